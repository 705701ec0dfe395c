//! The review list: the records a person should look at, most important first.
//!
//! A record is listed when one of its own fields (number, date, issuer, type) is flagged
//! `needs_review`, was inferred from weak evidence, or is empty, or when one of its cited
//! numbers was corrected by the machine or could not be settled; a field a person has set
//! is done. The order is how much the record matters: the number of other documents of the
//! archive citing it, then its path.

use serde::Serialize;
use std::collections::{HashMap, HashSet};

use super::apply::citation_key;
use super::journal::Field;
use crate::header::{FieldName, Origin};
use crate::index::{lookup_key, Archive};
use crate::record::Document;

/// An inferred value below this confidence counts as weak evidence.
pub const WEAK_CONFIDENCE: f32 = 0.6;

/// Which records to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Part of the issuer's name, without regard to case or diacritics.
    pub issuer: Option<String>,
    /// Year of the document's date.
    pub year: Option<u16>,
}

/// One record to review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub record_id: String,
    pub source_path: String,
    pub number: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub date: Option<String>,
    pub issuer: Option<String>,
    /// How many other documents of the archive cite this one.
    pub cited_by: usize,
    pub reasons: Vec<Reason>,
}

/// Why a record is listed: the field (its key: number, date, issuer, type, citation) and
/// a Vietnamese sentence for the clerk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub field: String,
    pub label: String,
    pub why: String,
}

/// The review list of `archive`, reading one record at a time.
pub fn list(archive: &Archive, filter: &Filter) -> anyhow::Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut citers: HashMap<String, HashSet<String>> = HashMap::new();
    let mut own_keys: Vec<Option<String>> = Vec::new();
    for entry in archive.record_entries()? {
        let doc = archive.read_entry(&entry)?;
        for key in doc.citations.iter().filter_map(citation_key) {
            citers.entry(key).or_default().insert(doc.id.clone());
        }
        let reasons = reasons(&doc);
        if reasons.is_empty() || !matches(&doc, filter) {
            continue;
        }
        let meta = &doc.metadata;
        own_keys.push(meta.id.as_ref().and_then(|id| lookup_key(id.as_str())));
        items.push(Item {
            record_id: doc.id.clone(),
            source_path: doc.source_path.clone(),
            number: meta.id.as_ref().map(|id| id.to_string()),
            doc_type: meta.doc_type.clone(),
            date: meta.date.clone(),
            issuer: meta.issuer.clone(),
            cited_by: 0,
            reasons,
        });
    }
    for (item, key) in items.iter_mut().zip(own_keys) {
        item.cited_by = key.and_then(|k| citers.get(&k)).map_or(0, |ids| ids.iter().filter(|id| **id != item.record_id).count());
    }
    items.sort_by(|a, b| b.cited_by.cmp(&a.cited_by).then_with(|| a.source_path.cmp(&b.source_path)));
    Ok(items)
}

fn matches(doc: &Document, filter: &Filter) -> bool {
    let meta = &doc.metadata;
    if let Some(year) = filter.year {
        if !meta.date.as_deref().is_some_and(|d| d.starts_with(&format!("{year:04}-"))) {
            return false;
        }
    }
    if let Some(issuer) = filter.issuer.as_deref().map(crate::viet::fold).filter(|i| !i.trim().is_empty()) {
        let names = [meta.issuer.as_deref(), meta.parent_issuer.as_deref()];
        if !names.into_iter().flatten().any(|n| crate::viet::fold(n).to_lowercase().contains(&issuer.trim().to_lowercase())) {
            return false;
        }
    }
    true
}

/// Why `doc` (corrections applied) needs a person; empty when it does not.
pub fn reasons(doc: &Document) -> Vec<Reason> {
    let meta = &doc.metadata;
    let set_by_person = |field: Field| doc.corrected.iter().any(|a| a.field == field);
    let mut out = Vec::new();
    let own = [
        (FieldName::Number, Field::Number, meta.id.is_some()),
        (FieldName::Date, Field::Date, meta.date.is_some()),
        (FieldName::Issuer, Field::Issuer, meta.issuer.is_some()),
        (FieldName::DocType, Field::DocType, meta.doc_type.is_some()),
    ];
    for (name, field, has_value) in own {
        if set_by_person(field) {
            continue;
        }
        let evidence = meta.evidence.get(name);
        let why = match evidence {
            Some(e) if e.needs_review => Some(e.note().unwrap_or_else(|| "cần kiểm tra".into())),
            Some(e) if has_value && e.origin == Origin::Inferred && e.confidence < WEAK_CONFIDENCE => {
                Some(e.note().unwrap_or_else(|| "suy ra từ bằng chứng yếu".into()))
            }
            _ if !has_value => Some("máy không đọc được: trống".into()),
            _ => None,
        };
        if let Some(why) = why {
            out.push(Reason { field: field.key().into(), label: field.label_vi().into(), why });
        }
    }
    for citation in &doc.citations {
        let Some(correction) = &citation.correction else { continue };
        let Some(id) = &citation.id else { continue };
        let why = if correction.needs_review {
            let others = if correction.candidates.is_empty() { String::new() } else { format!("; khả năng: {}", correction.candidates.join(", ")) };
            format!("số được dẫn chưa chắc: in là “{}”, đọc là {id}{others}", correction.printed)
        } else {
            format!("máy đã sửa số được dẫn: in là “{}”, đọc là {id} ({})", correction.printed, correction.reason)
        };
        out.push(Reason { field: Field::Citation.key().into(), label: Field::Citation.label_vi().into(), why });
    }
    out
}
