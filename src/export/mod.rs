//! Export: the cross-reference list (who cites whom) and the missing-documents list,
//! as CSV, JSON or JSONL. Pure functions over records, so they are tested without an index.
//!
//! The columns (CSV header = JSON keys) are part of the stable interface; see `docs/json.md`.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use crate::cite::{Citation, Relation};
use crate::index::lookup_key;
use crate::record::Document;

/// One citation: the citing document, the cited one, and where the citation stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossReference {
    pub citing_path: String,
    pub citing_record_id: String,
    pub citing_id: Option<String>,
    pub citing_type: Option<String>,
    pub citing_date: Option<String>,
    pub citing_issuer: Option<String>,
    /// Canonical number of the cited document; empty for a law cited by name.
    pub cited_id: Option<String>,
    pub cited_name: Option<String>,
    pub cited_type: String,
    pub cited_date: Option<String>,
    pub cited_issuer: Option<String>,
    pub cited_subject: Option<String>,
    pub relation: Relation,
    pub cited_in_index: bool,
    /// Source path of the cited document when it is in the index.
    pub cited_path: Option<String>,
    pub page: u32,
    pub line: u32,
    pub context: String,
    /// Who signed the citing document digitally (a person, else the sealing organisation).
    pub citing_signed_by: Option<String>,
    /// When (RFC 3339, with the signer's UTC offset).
    pub citing_signed_at: Option<String>,
    /// "hợp lệ", "không hợp lệ" or "một phần văn bản được ký": the worst of its signatures.
    pub citing_signature: Option<String>,
}

/// A cited document the archive does not hold: the to-collect list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingDocument {
    pub cited_id: Option<String>,
    pub cited_name: Option<String>,
    pub cited_type: String,
    pub cited_date: Option<String>,
    pub cited_issuer: Option<String>,
    pub cited_subject: Option<String>,
    /// Citations of it, over all documents.
    pub times_cited: usize,
    /// Documents citing it.
    pub cited_by_count: usize,
    /// The citing documents: an array in JSON, `number (path)` joined by `; ` in CSV.
    pub cited_by: Vec<Citer>,
}

/// A document citing a missing one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citer {
    /// Its number, when it has one.
    pub id: Option<String>,
    pub path: String,
}

impl MissingDocument {
    /// The citing documents in one line, `number (path)` joined by `; ` (a CSV cell, a table).
    pub fn cited_by_joined(&self) -> String {
        self.cited_by.iter().map(Citer::to_string).collect::<Vec<_>>().join("; ")
    }
}

impl std::fmt::Display for Citer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{id} ({})", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// [`MissingDocument`] as a CSV row: a spreadsheet cell holds one string, so the citing
/// documents are joined.
#[derive(Serialize)]
struct MissingCsvRow<'a> {
    cited_id: &'a Option<String>,
    cited_name: &'a Option<String>,
    cited_type: &'a str,
    cited_date: &'a Option<String>,
    cited_issuer: &'a Option<String>,
    cited_subject: &'a Option<String>,
    times_cited: usize,
    cited_by_count: usize,
    cited_by: String,
}

/// Every citation of every record, in record order then text order.
pub fn cross_references(records: &[Document]) -> Vec<CrossReference> {
    let held = HeldNumbers::new(records);
    let mut rows = Vec::new();
    for doc in records {
        let meta = &doc.metadata;
        let signed = crate::pdf::signature::principal(&doc.signatures);
        let signature = crate::pdf::signature::overall_status(&doc.signatures).map(|s| s.vietnamese().to_owned());
        for citation in &doc.citations {
            let cited = held.find(citation);
            rows.push(CrossReference {
                citing_path: doc.source_path.clone(),
                citing_record_id: doc.id.clone(),
                citing_id: meta.id.as_ref().map(|id| id.to_string()),
                citing_type: meta.doc_type.clone(),
                citing_date: meta.date.clone(),
                citing_issuer: meta.issuer.clone(),
                cited_id: citation.id.as_ref().map(|id| id.to_string()),
                cited_name: citation.name.clone(),
                cited_type: citation.doc_type.clone(),
                cited_date: citation.date.clone(),
                cited_issuer: citation.issuer.clone(),
                cited_subject: citation.subject.clone(),
                relation: citation.relation,
                cited_in_index: cited.is_some(),
                cited_path: cited.map(|d| d.source_path.clone()),
                page: citation.page,
                line: citation.line,
                context: citation.context.clone(),
                citing_signed_by: signed.map(|s| s.signer.clone()),
                citing_signed_at: signed.and_then(|s| s.signing_time.clone()),
                citing_signature: signature.clone(),
            });
        }
    }
    rows
}

/// Cited documents not in the index, most cited first. Fields the citations disagree on
/// (one gives the date, another not) take the first stated value.
pub fn missing_documents(records: &[Document]) -> Vec<MissingDocument> {
    let held = HeldNumbers::new(records);
    let mut groups: BTreeMap<String, (MissingDocument, Vec<Citer>)> = BTreeMap::new();
    for doc in records {
        let citing = Citer { id: doc.metadata.id.as_ref().map(|id| id.to_string()), path: doc.source_path.clone() };
        for citation in &doc.citations {
            if held.find(citation).is_some() {
                continue;
            }
            let Some(key) = citation_key(citation) else { continue };
            let (entry, citers) = groups.entry(key).or_insert_with(|| {
                (
                    MissingDocument {
                        cited_id: citation.id.as_ref().map(|id| id.to_string()),
                        cited_name: citation.name.clone(),
                        cited_type: citation.doc_type.clone(),
                        cited_date: None,
                        cited_issuer: None,
                        cited_subject: None,
                        times_cited: 0,
                        cited_by_count: 0,
                        cited_by: Vec::new(),
                    },
                    Vec::new(),
                )
            });
            entry.times_cited += 1;
            entry.cited_date = entry.cited_date.take().or_else(|| citation.date.clone());
            entry.cited_issuer = entry.cited_issuer.take().or_else(|| citation.issuer.clone());
            entry.cited_subject = entry.cited_subject.take().or_else(|| citation.subject.clone());
            if !citers.contains(&citing) {
                citers.push(citing.clone());
            }
        }
    }
    let mut missing: Vec<MissingDocument> = groups
        .into_values()
        .map(|(mut entry, citers)| {
            entry.cited_by_count = citers.len();
            entry.cited_by = citers;
            entry
        })
        .collect();
    missing.sort_by(|a, b| b.times_cited.cmp(&a.times_cited).then_with(|| a.cited_id.cmp(&b.cited_id)));
    missing
}

/// What identifies a cited document: its number's lookup key, or its name for a law cited
/// by name.
fn citation_key(citation: &Citation) -> Option<String> {
    if let Some(key) = citation.id.as_ref().and_then(|id| lookup_key(id.as_str())) {
        return Some(key);
    }
    let name = citation.name.as_deref()?.trim();
    (!name.is_empty()).then(|| format!("name:{}", crate::viet::fold(name).to_lowercase()))
}

/// The records by their own number's lookup key.
struct HeldNumbers<'a>(HashMap<String, &'a Document>);

impl<'a> HeldNumbers<'a> {
    fn new(records: &'a [Document]) -> HeldNumbers<'a> {
        let mut held = HashMap::new();
        for doc in records {
            if let Some(key) = doc.metadata.id.as_ref().and_then(|id| lookup_key(id.as_str())) {
                held.entry(key).or_insert(doc);
            }
        }
        HeldNumbers(held)
    }

    fn find(&self, citation: &Citation) -> Option<&'a Document> {
        let key = citation.id.as_ref().and_then(|id| lookup_key(id.as_str()))?;
        self.0.get(&key).copied()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Jsonl,
}

/// The CSV header of a row type: its serde field names, in order. Written explicitly so
/// that an empty list still has its header.
pub trait Columns: Serialize {
    const COLUMNS: &'static [&'static str];

    /// Writes the row as CSV; a row whose fields are all scalars serializes as it is.
    fn write_csv<W: Write>(&self, writer: &mut csv::Writer<W>) -> csv::Result<()> {
        writer.serialize(self)
    }
}

impl Columns for CrossReference {
    const COLUMNS: &'static [&'static str] = &[
        "citing_path", "citing_record_id", "citing_id", "citing_type", "citing_date", "citing_issuer", "cited_id",
        "cited_name", "cited_type", "cited_date", "cited_issuer", "cited_subject", "relation", "cited_in_index",
        "cited_path", "page", "line", "context", "citing_signed_by", "citing_signed_at", "citing_signature",
    ];
}

impl Columns for MissingDocument {
    const COLUMNS: &'static [&'static str] = &[
        "cited_id", "cited_name", "cited_type", "cited_date", "cited_issuer", "cited_subject", "times_cited",
        "cited_by_count", "cited_by",
    ];

    fn write_csv<W: Write>(&self, writer: &mut csv::Writer<W>) -> csv::Result<()> {
        writer.serialize(MissingCsvRow {
            cited_id: &self.cited_id,
            cited_name: &self.cited_name,
            cited_type: &self.cited_type,
            cited_date: &self.cited_date,
            cited_issuer: &self.cited_issuer,
            cited_subject: &self.cited_subject,
            times_cited: self.times_cited,
            cited_by_count: self.cited_by_count,
            cited_by: self.cited_by_joined(),
        })
    }
}

/// Writes `rows` in `format`. CSV is UTF-8 with a header (and a byte-order mark when `bom`,
/// which Excel needs to read Vietnamese); JSON is one array; JSONL one object per line.
pub fn write_rows<T: Columns>(rows: &[T], format: Format, bom: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    match format {
        Format::Csv => {
            if bom {
                out.write_all("\u{feff}".as_bytes())?;
            }
            let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(&mut *out);
            writer.write_record(T::COLUMNS)?;
            for row in rows {
                row.write_csv(&mut writer)?;
            }
            writer.flush()?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            out.write_all(b"\n")?;
        }
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *out, row)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
