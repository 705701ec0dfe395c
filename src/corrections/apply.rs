//! Replaying the journal over a record: what every reader (show, export, search index, web
//! page) sees is the record as the machine read it with the clerks' corrections on top.

use serde::{Deserialize, Serialize};

use super::journal::{Change, Entry, Field, Journal};
use crate::cite::{Citation, DocId};
use crate::header::FieldName;
use crate::index::lookup_key;
use crate::record::Document;

/// A correction in force on a record, as read: what `show`, the page and export say a
/// person set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    /// The journal entry (what an undo names).
    pub seq: u64,
    pub field: Field,
    /// For citation fields: the cited number concerned (the new one, or the deleted one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cited: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub by: String,
    pub at: String,
    /// The machine now reads the same thing itself (after a re-ingest): the correction
    /// agrees with the page and is kept as a confirmation.
    #[serde(default)]
    pub confirmed: bool,
}

impl Applied {
    /// "số, ký hiệu: 280/BC-UBND (Lan, 2026-12-02)".
    pub fn describe_vi(&self) -> String {
        let value = match (self.field, &self.new) {
            (Field::Citation, None) => format!("xoá {}", self.old.as_deref().unwrap_or("")),
            (Field::Citation, Some(new)) if self.old.is_none() => format!("thêm {new}"),
            (Field::CitationDate | Field::CitationType, new) => format!("{} → {}", self.cited.as_deref().unwrap_or(""), new.as_deref().unwrap_or("(trống)")),
            (_, new) => new.clone().unwrap_or_else(|| "(trống)".into()),
        };
        let confirmed = if self.confirmed { ", máy nay cũng đọc như vậy" } else { "" };
        format!("{}: {value} ({}, {}{confirmed})", self.field.label_vi(), self.by, self.at.get(..10).unwrap_or(&self.at))
    }
}

/// Applies the corrections of `journal` in force on `doc` (in journal order) and lists them
/// in `doc.corrected`. A record without corrections is left as it is.
pub fn apply(doc: &mut Document, journal: &Journal) {
    doc.corrected.clear();
    let entries = journal.in_force(&doc.id);
    if entries.is_empty() {
        return;
    }
    let machine = doc.clone();
    for entry in entries {
        if let Some(applied) = apply_entry(doc, &machine, entry) {
            // A later correction of the same own field supersedes the earlier one.
            if !matches!(applied.field, Field::Citation | Field::CitationDate | Field::CitationType) {
                doc.corrected.retain(|a| a.field != applied.field);
            }
            doc.corrected.push(applied);
        }
    }
}

fn apply_entry(doc: &mut Document, machine: &Document, entry: &Entry) -> Option<Applied> {
    let Change::Set { field, cited, old, new } = &entry.change else { return None };
    let meta = &mut doc.metadata;
    let same = |a: Option<&str>, b: Option<&str>| a.map(str::trim) == b.map(str::trim);
    let confirmed = match field {
        Field::Number => {
            meta.id = new.as_deref().and_then(DocId::from_canonical);
            settle(meta, FieldName::Number, new.is_some());
            same(machine.metadata.id.as_ref().map(DocId::as_str), new.as_deref())
        }
        Field::Date | Field::DocType | Field::Issuer | Field::Subject | Field::Signer => {
            // The signer has no evidence of its own to settle.
            let (slot, read, evidence) = match field {
                Field::Date => (&mut meta.date, &machine.metadata.date, Some(FieldName::Date)),
                Field::DocType => (&mut meta.doc_type, &machine.metadata.doc_type, Some(FieldName::DocType)),
                Field::Issuer => (&mut meta.issuer, &machine.metadata.issuer, Some(FieldName::Issuer)),
                Field::Subject => (&mut meta.subject, &machine.metadata.subject, Some(FieldName::Subject)),
                _ => (&mut meta.signer, &machine.metadata.signer, None),
            };
            *slot = new.clone();
            let confirmed = same(read.as_deref(), new.as_deref());
            if let Some(name) = evidence {
                settle(meta, name, new.is_some());
            }
            confirmed
        }
        Field::Citation => {
            set_citation(&mut doc.citations, old.as_deref(), new.as_deref());
            let has = |number: Option<&str>| number.is_some_and(|n| cites(machine, n));
            has(new.as_deref()) == new.is_some() && (!has(old.as_deref()) || old == new)
        }
        Field::CitationDate => {
            let key = cited.as_deref().and_then(lookup_key);
            for citation in doc.citations.iter_mut().filter(|c| citation_key(c).is_some() && citation_key(c) == key) {
                citation.date = new.clone();
                citation.inferred.retain(|f| f != "date");
            }
            machine.citations.iter().any(|c| citation_key(c).is_some() && citation_key(c) == key && same(c.date.as_deref(), new.as_deref()))
        }
        Field::CitationType => {
            let key = cited.as_deref().and_then(lookup_key);
            for citation in doc.citations.iter_mut().filter(|c| citation_key(c).is_some() && citation_key(c) == key) {
                citation.doc_type = new.clone().unwrap_or_default();
                citation.inferred.retain(|f| f != "type");
            }
            machine.citations.iter().any(|c| citation_key(c).is_some() && citation_key(c) == key && same(Some(c.doc_type.as_str()), new.as_deref()))
        }
    };
    let cited = match field {
        Field::Citation => new.clone().or_else(|| old.clone()),
        _ => cited.clone(),
    };
    Some(Applied { seq: entry.seq, field: *field, cited, old: old.clone(), new: new.clone(), by: entry.by.clone(), at: entry.at.clone(), confirmed })
}

/// A field a person set needs no more review: its evidence says so (the candidates the
/// machine considered stay, for the history).
fn settle(meta: &mut crate::cite::DocumentMeta, field: FieldName, has_value: bool) {
    if let Some(evidence) = meta.evidence.slot(field).as_mut() {
        evidence.needs_review = false;
        evidence.reason = None;
        evidence.confidence = if has_value { 1.0 } else { 0.0 };
        evidence.origin = if has_value { crate::header::Origin::Read } else { crate::header::Origin::None };
    }
}

/// The index key of a citation's number.
pub fn citation_key(citation: &Citation) -> Option<String> {
    citation.id.as_ref().and_then(|id| lookup_key(id.as_str()))
}

/// Whether `doc` cites the number `number` (any spelling of it).
pub fn cites(doc: &Document, number: &str) -> bool {
    let key = lookup_key(number);
    key.is_some() && doc.citations.iter().any(|c| citation_key(c) == key)
}

/// Replaces the number of every citation of `old` by `new`, deletes them (`new: None`), or
/// adds a citation of `new` OCR missed (`old: None`, or `old` no longer read at all).
fn set_citation(citations: &mut Vec<Citation>, old: Option<&str>, new: Option<&str>) {
    let old_key = old.and_then(lookup_key);
    let new_id = new.and_then(DocId::from_canonical);
    let mut found = false;
    if old_key.is_some() {
        citations.retain_mut(|c| {
            if citation_key(c) != old_key {
                return true;
            }
            found = true;
            match &new_id {
                Some(id) => {
                    renumber(c, id);
                    true
                }
                None => false,
            }
        });
    }
    let Some(id) = new_id else { return };
    if found || citations.iter().any(|c| citation_key(c) == lookup_key(id.as_str())) {
        return;
    }
    let mut added = Citation { raw: String::new(), page: 1, line: 0, ..Citation::default() };
    added.context = "(thêm bởi người sửa: máy không đọc được trích dẫn này)".into();
    renumber(&mut added, &id);
    citations.push(added);
}

/// Gives `citation` the number `id`: its parts, the type the number implies, and no more
/// doubt about it (a person read it).
fn renumber(citation: &mut Citation, id: &DocId) {
    citation.number = Some(id.number().to_owned());
    citation.year = id.year();
    citation.symbol = Some(id.symbol().to_owned());
    if let Some(implied) = id.implied_type() {
        citation.doc_type = implied.to_owned();
    } else if citation.doc_type.is_empty() {
        citation.doc_type = "Văn bản".into();
    }
    if citation.issuer.is_none() {
        citation.issuer = id.implied_issuer().map(str::to_owned);
    }
    citation.correction = None;
    citation.id = Some(id.clone());
}
