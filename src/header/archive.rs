//! Evidence from the rest of the archive: a document that cites this one by its number with
//! a date ("Thực hiện Kế hoạch số 58/KH-UBND ngày 14/02/2025 của …") witnesses its date. A
//! handwritten day the digit reader was unsure of is settled when a citing document gives
//! the same date; a date the page did not yield at all is inferred from the citations, shown
//! as inferred and flagged; a citation giving another date than the page's puts both before
//! a clerk.
//!
//! Run after each ingest over the whole archive ([`update`]): the citing document may come in
//! a later batch than the one it cites. What the page gave is kept beside the result
//! ([`HeaderEvidence::date_as_read`](super::HeaderEvidence)), so that a later run starts
//! again from it and never counts a citation twice.

use std::collections::HashMap;

use super::evidence::{Candidate, DateAsRead, Evidence, EvidenceKind, FieldEvidence, Origin};
use crate::record::Document;
use crate::cite::flag;

/// One dated citation of a number, by another document of the archive.
#[derive(Debug, Clone, PartialEq)]
pub struct CitedDate {
    /// The citing record's id (never the cited document's own).
    pub citer: String,
    /// The citing document as a clerk names it ("Báo cáo 280/BC-UBND", else its file).
    pub citer_label: String,
    /// The date the citation gives, ISO.
    pub date: String,
}

/// A source of one citation: worth a reading of the day on its own page, not more (the
/// citing text was OCR'd too, and a clerk may have copied the date wrong).
const CITED_WEIGHT: f32 = 0.35;
/// A source that a page reading must have to count as a witness of its own.
const MIN_READ: f32 = 0.2;

/// The lookup key of a document number (see [`crate::index::lookup_key`]).
pub fn key(number: &str) -> Option<String> {
    crate::index::lookup_key(number)
}

/// The dated citations `doc` makes, keyed by the cited number's key.
pub fn dated_citations(doc: &Document) -> Vec<(String, CitedDate)> {
    let label = match (&doc.metadata.doc_type, &doc.metadata.id) {
        (Some(t), Some(id)) => format!("{t} {id}"),
        (None, Some(id)) => id.to_string(),
        _ => std::path::Path::new(&doc.source_path).file_name().map_or_else(|| doc.source_path.clone(), |n| n.to_string_lossy().into_owned()),
    };
    let own = doc.metadata.id.as_ref().and_then(|id| key(id.as_str()));
    let mut out: Vec<(String, CitedDate)> = Vec::new();
    for c in &doc.citations {
        let (Some(id), Some(date)) = (&c.id, &c.date) else { continue };
        let Some(k) = key(id.as_str()) else { continue };
        if Some(&k) == own.as_ref() || out.iter().any(|(o, d)| *o == k && d.date == *date) {
            continue;
        }
        out.push((k, CitedDate { citer: doc.id.clone(), citer_label: label.clone(), date: date.clone() }));
    }
    out
}

/// Weighs the citations of `doc`'s number in `cited` (other documents' dated citations of
/// it) into its date. Starts from what the page gave (kept from an earlier run). Returns
/// whether the record changed.
pub fn apply(doc: &mut Document, cited: &[CitedDate]) -> bool {
    let before = (doc.metadata.date.clone(), doc.metadata.evidence.clone(), doc.metadata.flags.clone());
    let meta = &mut doc.metadata;
    if let Some(read) = meta.evidence.date_as_read.take() {
        meta.date = read.value;
        meta.evidence.date = read.evidence;
        for flag in read.flags_removed {
            if !meta.flags.contains(&flag) {
                meta.flags.push(flag);
            }
        }
    }
    let cited: Vec<&CitedDate> = cited.iter().filter(|c| c.citer != doc.id).collect();
    // The year the page printed: a citation of the same number in another year is of
    // another document (numbers start again each year).
    let read_year = meta.date.as_deref().or_else(|| meta.evidence.date.as_ref().and_then(|e| e.candidates.first()).map(|c| c.value.as_str())).map(|d| d[..4.min(d.len())].to_owned());
    let cited: Vec<&CitedDate> = cited.into_iter().filter(|c| read_year.as_deref().is_none_or(|y| c.date.starts_with(y))).collect();
    if !cited.is_empty() {
        let read = DateAsRead { value: meta.date.clone(), evidence: meta.evidence.date.clone(), flags_removed: Vec::new() };
        let mut read = Box::new(read);
        let (date, evidence) = weigh(meta.date.as_deref(), meta.evidence.date.as_ref(), &cited);
        if date.is_some() && meta.flags.iter().any(|f| flag::is_date_illegible(f)) {
            meta.flags.retain(|f| !flag::is_date_illegible(f));
            read.flags_removed.push(flag::DATE_ILLEGIBLE.to_owned());
        }
        meta.date = date;
        meta.evidence.date = Some(evidence);
        meta.evidence.date_as_read = Some(read);
    }
    (doc.metadata.date.clone(), doc.metadata.evidence.clone(), doc.metadata.flags.clone()) != before
}

/// The date and its evidence from the page's reading (`value`, `read`) and the citations.
fn weigh(value: Option<&str>, read: Option<&FieldEvidence>, cited: &[&CitedDate]) -> (Option<String>, FieldEvidence) {
    let mut candidates: Vec<Candidate> = read.map(|e| e.candidates.clone()).unwrap_or_default();
    // A text file or an old record: the text reader's date, typed, without candidates.
    if let (Some(v), true) = (value, candidates.is_empty()) {
        candidates.push(Candidate { value: v.to_owned(), confidence: 0.8, sources: vec![source(EvidenceKind::PrintedText, v, 0.8)] });
    }
    for c in cited {
        let text = format!("{} trích ngày {}", c.citer_label, c.date);
        match candidates.iter_mut().find(|x| x.value == c.date) {
            Some(x) => x.sources.push(source(EvidenceKind::CitedBy, &text, CITED_WEIGHT)),
            None => candidates.push(Candidate { value: c.date.clone(), confidence: 0.0, sources: vec![source(EvidenceKind::CitedBy, &text, CITED_WEIGHT)] }),
        }
    }
    for c in &mut candidates {
        c.confidence = super::combine::score(&c.sources);
    }
    let was_sure = value.is_some() && read.is_none_or(|e| !e.needs_review);
    let read_of = |c: &Candidate| c.sources.iter().any(|s| s.agrees && s.kind != EvidenceKind::CitedBy && s.kind != EvidenceKind::Signature && s.confidence >= MIN_READ);
    let dated: Vec<&str> = {
        let mut d: Vec<&str> = cited.iter().map(|c| c.date.as_str()).collect();
        d.sort_unstable();
        d.dedup();
        d
    };
    let describe = |c: &Candidate| {
        let kinds: Vec<&str> = c.sources.iter().filter(|s| s.agrees).map(|s| s.kind.label_vi()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        format!("{} ({})", c.value, kinds.join(", "))
    };
    // What the page read stays first when it was sure; else the best supported value.
    if was_sure {
        let v = value.expect("sure has a value");
        let at = candidates.iter().position(|c| c.value == v).unwrap_or(0);
        let stored = candidates.remove(at);
        candidates.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.value.cmp(&b.value)));
        candidates.insert(0, stored);
    } else {
        candidates.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.value.cmp(&b.value)));
        // The page's reading was unsure: a date every citation gives that the page's readers
        // also saw (even weakly: "ngày 20" behind a likelier "ngày 2") is the better guess.
        let seen = |c: &Candidate| c.sources.iter().any(|s| s.agrees && !matches!(s.kind, EvidenceKind::CitedBy | EvidenceKind::Signature));
        if let [only] = dated[..] {
            if let Some(at) = candidates.iter().position(|c| c.value == only && seen(c)) {
                let chosen = candidates.remove(at);
                candidates.insert(0, chosen);
            }
        }
    }
    let best = &candidates[0];
    let agree = dated.len() == 1 && dated[0] == best.value;
    let (needs_review, reason) = if !agree {
        (true, Some(format!("các nguồn không khớp: {}", candidates.iter().take(3).map(describe).collect::<Vec<_>>().join("; "))))
    } else if was_sure || read_of(best) {
        // The page and another document agree: two witnesses.
        (false, None)
    } else {
        let texts: Vec<&str> = best.sources.iter().filter(|s| s.kind == EvidenceKind::CitedBy).take(3).map(|s| s.text.as_str()).collect();
        let page = if best.sources.iter().any(|s| s.agrees && s.kind == EvidenceKind::Handwriting) {
            "chữ số viết tay đọc không chắc"
        } else {
            "trang không ghi rõ ngày"
        };
        (true, Some(format!("{page}; văn bản khác trích dẫn ngày này: {}", texts.join("; "))))
    };
    let origin = if read_of(best) || was_sure { Origin::Read } else { Origin::Inferred };
    let evidence = FieldEvidence { confidence: best.confidence, needs_review, origin, reason, candidates: candidates.clone() };
    (Some(candidates[0].value.clone()), evidence)
}

fn source(kind: EvidenceKind, text: &str, confidence: f32) -> Evidence {
    Evidence { kind, text: text.to_owned(), confidence, page: None, agrees: true }
}

/// Brings the date evidence of every record of `archive` up to date with the archive's
/// citations, and commits the records that changed. Returns how many changed.
pub fn update(archive: &crate::index::Archive) -> anyhow::Result<usize> {
    let entries = archive.record_entries()?;
    // Two readings of each record, one at a time, so that memory grows with the archive's
    // own numbers and the citations of them, not with every citation of every record (most
    // cite laws and decrees the archive does not hold).
    let mut targets: Vec<(usize, Option<String>)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let doc = archive.read_machine_entry(entry)?;
        let own = doc.metadata.id.as_ref().and_then(|id| key(id.as_str()));
        if own.is_some() || doc.metadata.evidence.date_as_read.is_some() {
            targets.push((i, own));
        }
    }
    let owned: std::collections::HashSet<&str> = targets.iter().filter_map(|(_, own)| own.as_deref()).collect();
    let mut by_number: HashMap<String, Vec<CitedDate>> = HashMap::new();
    for entry in &entries {
        let doc = archive.read_machine_entry(entry)?;
        for (k, c) in dated_citations(&doc) {
            if owned.contains(k.as_str()) {
                by_number.entry(k).or_default().push(c);
            }
        }
    }
    let mut writer = archive.writer_on_demand();
    for (i, own) in targets {
        let cited = own.as_ref().and_then(|k| by_number.get(k)).map_or(&[][..], Vec::as_slice);
        let mut doc = archive.read_machine_entry(&entries[i])?;
        if cited.is_empty() && doc.metadata.evidence.date_as_read.is_none() {
            continue;
        }
        if apply(&mut doc, cited) {
            writer.upsert(&doc)?;
        }
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::{Citation, DocId, DocumentMeta};
    use crate::header::HeaderEvidence;

    fn doc(id: &str, number: &str, date: Option<&str>, evidence: Option<FieldEvidence>) -> Document {
        let mut d: Document = serde_json::from_value(serde_json::json!({
            "record_version": crate::record::RECORD_VERSION, "id": id, "source_path": format!("/a/{id}.pdf"),
            "sha256": "00", "source_kind": "pdf", "pages": [], "metadata": {}, "citations": [], "warnings": [], "ingested_at": 0
        }))
        .unwrap();
        d.metadata = DocumentMeta { id: DocId::parse(number), doc_type: Some("Kế hoạch".to_owned()), date: date.map(str::to_owned), ..Default::default() };
        d.metadata.evidence = HeaderEvidence { date: evidence, ..Default::default() };
        d
    }

    fn citing(id: &str, number: &str, cites: &str, date: &str) -> Document {
        let mut d = doc(id, number, Some("2025-03-01"), None);
        d.citations.push(Citation { doc_type: "Kế hoạch".to_owned(), id: DocId::parse(cites), date: Some(date.to_owned()), ..Default::default() });
        d
    }

    fn unsure_day(candidates: &[(&str, f32)]) -> FieldEvidence {
        FieldEvidence {
            confidence: candidates[0].1,
            needs_review: true,
            origin: Origin::Read,
            reason: Some("chỉ một nguồn".to_owned()),
            candidates: candidates
                .iter()
                .map(|(v, c)| Candidate { value: (*v).to_owned(), confidence: *c, sources: vec![source(EvidenceKind::Handwriting, &format!("ngày {}", &v[8..]), *c)] })
                .collect(),
        }
    }

    fn cited_by(docs: &[&Document], number: &str) -> Vec<CitedDate> {
        let k = key(number).unwrap();
        docs.iter().flat_map(|d| dated_citations(d)).filter(|(o, _)| *o == k).map(|(_, c)| c).collect()
    }

    #[test]
    fn a_citing_document_settles_an_unsure_handwritten_day() {
        let mut target = doc("t", "58/KH-UBND", Some("2025-02-18"), Some(unsure_day(&[("2025-02-18", 0.45), ("2025-02-16", 0.3)])));
        let citer = citing("c", "7/BC-UBND", "58/KH-UBND", "2025-02-16");
        let cited = cited_by(&[&citer], "58/KH-UBND");
        assert!(apply(&mut target, &cited));
        let m = &target.metadata;
        assert_eq!(m.date.as_deref(), Some("2025-02-16"));
        let e = m.evidence.date.as_ref().unwrap();
        assert!(!e.needs_review, "{e:?}");
        assert!(e.sources().iter().any(|s| s.kind == EvidenceKind::CitedBy && s.text.contains("Kế hoạch 7/BC-UBND")));
        // Run again (a later ingest): the same result, the citation counted once.
        let once = target.clone();
        assert!(!apply(&mut target, &cited));
        assert_eq!(target, once);
        // The citing document gone: back to what the page gave.
        assert!(apply(&mut target, &[]));
        assert_eq!(target.metadata.date.as_deref(), Some("2025-02-18"));
        assert!(target.metadata.evidence.date.as_ref().unwrap().needs_review);
        assert!(target.metadata.evidence.date_as_read.is_none());
    }

    #[test]
    fn a_weak_reading_a_citation_confirms_comes_first_still_flagged() {
        // The reader's likelier "2" and its faint "20"; a citation gives the 20th.
        let mut target = doc("t", "7/CT-UBND", Some("2018-03-02"), Some(unsure_day(&[("2018-03-02", 0.48), ("2018-03-20", 0.07)])));
        let citer = citing("c", "9/KH-UBND", "7/CT-UBND", "2018-03-20");
        assert!(apply(&mut target, &cited_by(&[&citer], "7/CT-UBND")));
        let e = target.metadata.evidence.date.as_ref().unwrap();
        assert_eq!(target.metadata.date.as_deref(), Some("2018-03-20"));
        assert!(e.needs_review && e.reason.as_deref().is_some_and(|r| r.starts_with("chữ số viết tay đọc không chắc")), "{e:?}");
        assert_eq!(e.candidates[1].value, "2018-03-02");
        // A date no reader saw does not displace the page's reading.
        let mut target = doc("t", "7/CT-UBND", Some("2018-03-02"), Some(unsure_day(&[("2018-03-02", 0.48), ("2018-03-20", 0.07)])));
        let citer = citing("c", "9/KH-UBND", "7/CT-UBND", "2018-03-12");
        apply(&mut target, &cited_by(&[&citer], "7/CT-UBND"));
        assert_eq!(target.metadata.date.as_deref(), Some("2018-03-02"));
        assert!(target.metadata.evidence.date.as_ref().unwrap().needs_review);
    }

    #[test]
    fn a_date_the_page_did_not_give_is_inferred_and_flagged() {
        let mut target = doc("t", "58/KH-UBND", None, None);
        target.metadata.flags.push(flag::DATE_ILLEGIBLE.to_owned());
        let citer = citing("c", "7/BC-UBND", "58/KH-UBND", "2025-02-14");
        assert!(apply(&mut target, &cited_by(&[&citer], "58/KH-UBND")));
        let m = &target.metadata;
        assert_eq!(m.date.as_deref(), Some("2025-02-14"));
        let e = m.evidence.date.as_ref().unwrap();
        assert!(e.needs_review && e.origin == Origin::Inferred, "{e:?}");
        assert!(e.note().unwrap().contains("văn bản khác trích dẫn"), "{:?}", e.note());
        assert!(!m.flags.iter().any(|f| flag::is_date_illegible(f)), "the stale flag goes: {:?}", m.flags);
        // Undone, the flag is back.
        apply(&mut target, &[]);
        assert!(target.metadata.flags.iter().any(|f| flag::is_date_illegible(f)));
    }

    #[test]
    fn a_citation_giving_another_date_puts_both_before_a_clerk() {
        let mut target = doc("t", "58/KH-UBND", Some("2025-02-14"), None);
        let citer = citing("c", "7/BC-UBND", "58/KH-UBND", "2025-02-24");
        assert!(apply(&mut target, &cited_by(&[&citer], "58/KH-UBND")));
        let m = &target.metadata;
        assert_eq!(m.date.as_deref(), Some("2025-02-14"), "the typed date stays");
        let e = m.evidence.date.as_ref().unwrap();
        assert!(e.needs_review);
        assert_eq!(e.candidates.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["2025-02-14", "2025-02-24"]);
        // Agreeing, the typed date gains a witness and stays unflagged.
        let mut target = doc("t", "58/KH-UBND", Some("2025-02-14"), None);
        let citer = citing("c", "7/BC-UBND", "58/KH-UBND", "2025-02-14");
        assert!(apply(&mut target, &cited_by(&[&citer], "58/KH-UBND")));
        assert!(!target.metadata.evidence.date.as_ref().unwrap().needs_review);
    }

    #[test]
    fn the_same_number_of_another_year_is_another_document() {
        let mut target = doc("t", "58/KH-UBND", Some("2025-02-14"), None);
        let citer = citing("c", "7/BC-UBND", "58/KH-UBND", "2023-05-02");
        assert!(!apply(&mut target, &cited_by(&[&citer], "58/KH-UBND")));
        assert!(target.metadata.evidence.date.is_none());
        // A document never witnesses its own date.
        let mut target = citing("t", "58/KH-UBND", "58/KH-UBND", "2025-01-01");
        assert!(cited_by(&[&target.clone()], "58/KH-UBND").is_empty());
        assert!(!apply(&mut target, &[CitedDate { citer: "t".to_owned(), citer_label: String::new(), date: "2025-03-01".to_owned() }]));
    }
}
