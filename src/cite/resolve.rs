//! Resolve: short forms to the full citations they stand for, the document's own number
//! out, and one row per cited document per sentence.
//!
//! Export users get one row per citation occurrence, so that page, line and context point at
//! every place a document is cited; a document named twice in one sentence ("… Nghị quyết số
//! 18-NQ/TW … theo Nghị quyết số 18-NQ/TW") is one row, with the first relation found.

use std::collections::HashSet;

use super::extract::{Found, ShortForm};
use super::{Citation, DocId};

/// Merges full citations and resolved short forms in text order. `own_id` and
/// `own_span` (the header's number line, in chars) are the document itself, not citations.
pub fn resolve(found: Vec<Found>, shorts: Vec<ShortForm>, own_id: Option<&DocId>, own_span: Option<(usize, usize)>) -> Vec<Citation> {
    let mut all: Vec<Found> = found
        .into_iter()
        .filter(|f| {
            let c = &f.citation;
            let own = own_id.is_some_and(|own| c.id.as_ref().is_some_and(|id| id.index_key() == own.index_key()));
            let in_header = own_span.is_some_and(|(s, e)| c.start < e && c.end > s);
            !own && !in_header
        })
        .collect();
    let resolved: Vec<Found> = shorts.into_iter().filter_map(|short| resolve_short(short, &all)).collect();
    all.extend(resolved);
    all.sort_by_key(|f| f.citation.start);
    let mut seen = HashSet::new();
    all.into_iter()
        .filter(|f| seen.insert((f.sentence_start, key(&f.citation))))
        .map(|f| f.citation)
        .collect()
}

/// What identifies the cited document: its id, else its type and name.
pub fn key(c: &Citation) -> String {
    match (&c.id, &c.name) {
        (Some(id), _) => id.index_key(),
        (None, Some(name)) => crate::viet::fold(name).to_lowercase(),
        (None, None) => format!("{}#{}", c.doc_type, c.number.as_deref().unwrap_or("")),
    }
}

/// "Chỉ thị 35" → the nearest full citation before it of a Chỉ thị numbered 35 (else the
/// first one after it). `None` when the document never cites it in full.
fn resolve_short(short: ShortForm, full: &[Found]) -> Option<Found> {
    let matches = |f: &&Found| {
        let c = &f.citation;
        c.doc_type == short.doc_type && c.number.as_deref().map(|n| n.trim_start_matches('0')) == Some(short.number.as_str())
    };
    let target = full
        .iter()
        .filter(|f| f.citation.start < short.occurrence.start)
        .filter(matches)
        .last()
        .or_else(|| full.iter().find(matches))?;
    let t = &target.citation;
    let o = short.occurrence;
    let citation = Citation {
        doc_type: t.doc_type.clone(),
        id: t.id.clone(),
        name: t.name.clone(),
        number: t.number.clone(),
        year: t.year,
        symbol: t.symbol.clone(),
        date: t.date.clone(),
        issuer: t.issuer.clone(),
        subject: t.subject.clone(),
        ..o
    };
    Some(Found { citation, sentence_start: short.sentence_start })
}
