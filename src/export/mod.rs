//! Export: the cross-reference list (who cites whom) and the missing-documents list,
//! as CSV, JSON or JSONL. Pure functions over records, so they are tested without an index,
//! and streaming versions over an archive ([`archive_cross_references`],
//! [`archive_missing_documents`]) that hold one record at a time: an export of the whole
//! archive costs the memory of its largest record, not of all of them (issue 16).
//!
//! The columns (CSV header = JSON keys) are part of the stable interface; see `docs/json.md`.
//! CSV cells are written so that a spreadsheet never runs them as formulas ([`csv_cell`]).

pub mod pdf;

use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;

use crate::cite::{Citation, Relation};
use crate::corrections::Field;
use crate::index::{lookup_key, Archive, RecordEntry};
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
    /// The number as the page prints it, when `cited_id` is a correction of it or the
    /// number could not be settled; empty otherwise.
    pub cited_id_printed: Option<String>,
    /// True when a person should check the citation: its number was corrected or is
    /// unsettled (the numbers to choose between are listed in `cited_id_candidates`, joined
    /// by "; "), or another field did not read right (`Citation::review`: a subject left
    /// empty because the words after the number were not Vietnamese).
    pub cited_needs_review: bool,
    pub cited_id_candidates: Option<String>,
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
    /// The citing document's fields a person set (`vanban fix`, the web form), each with who
    /// set it: "số, ký hiệu (Lan); ngày ban hành (Lan)". Empty when the machine read them all.
    pub citing_corrected_by: Option<String>,
    /// Who set this citation's number or date by hand (added, corrected); empty otherwise.
    pub cited_corrected_by: Option<String>,
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
    let held = HeldNumbers::from_records(records);
    records.iter().flat_map(|doc| citations_of(doc, &held)).collect()
}

/// The rows of one citing document.
pub fn citations_of(doc: &Document, held: &HeldNumbers) -> Vec<CrossReference> {
    let meta = &doc.metadata;
    let signed = crate::pdf::signature::principal(&doc.signatures);
    let signature = crate::pdf::signature::overall_status(&doc.signatures).map(|s| s.vietnamese().to_owned());
    let own: Vec<String> = doc
        .corrected
        .iter()
        .filter(|a| !matches!(a.field, Field::Citation | Field::CitationDate | Field::CitationType))
        .map(|a| format!("{} ({})", a.field.label_vi(), a.by))
        .collect();
    let own_corrections = (!own.is_empty()).then(|| own.join("; "));
    doc.citations
        .iter()
        .map(|citation| {
            let cited = held.find(citation);
            CrossReference {
                citing_path: doc.source_path.clone(),
                citing_record_id: doc.id.clone(),
                citing_id: meta.id.as_ref().map(|id| id.to_string()),
                citing_type: meta.doc_type.clone(),
                citing_date: meta.date.clone(),
                citing_issuer: meta.issuer.clone(),
                cited_id: citation.id.as_ref().map(|id| id.to_string()),
                cited_id_printed: citation.correction.as_ref().map(|c| c.printed.clone()),
                cited_needs_review: citation.correction.as_ref().is_some_and(|c| c.needs_review) || !citation.review.is_empty(),
                cited_id_candidates: citation.correction.as_ref().filter(|c| !c.candidates.is_empty()).map(|c| c.candidates.join("; ")),
                cited_name: citation.name.clone(),
                cited_type: citation.doc_type.clone(),
                cited_date: citation.date.clone(),
                cited_issuer: citation.issuer.clone(),
                cited_subject: citation.subject.clone(),
                relation: citation.relation,
                cited_in_index: cited.is_some(),
                cited_path: cited.map(str::to_string),
                page: citation.page,
                line: citation.line,
                context: citation.context.clone(),
                citing_signed_by: signed.map(|s| s.signer.clone()),
                citing_signed_at: signed.and_then(|s| s.signing_time.clone()),
                citing_signature: signature.clone(),
                citing_corrected_by: own_corrections.clone(),
                cited_corrected_by: cited_corrections(doc, citation),
            }
        })
        .collect()
}

/// One cited document per citing document (`export --once`): a plan citing Nghị định
/// 45/2022 nine times is one row, the answer to "which document cites which".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CitedPair {
    /// The first place it is cited, with the relation that says why it is cited (căn cứ,
    /// thay thế …) over a mention, and any field a later place gives that the first lacks.
    #[serde(flatten)]
    pub first: CrossReference,
    /// How many times the citing document cites it.
    pub times: usize,
    /// Every place, "page:line", joined by "; ".
    pub places: String,
}

/// The pairs of one citing document, in the order first cited.
pub fn cited_pairs(doc: &Document, held: &HeldNumbers) -> Vec<CitedPair> {
    let mut pairs: Vec<(String, CitedPair)> = Vec::new();
    for (citation, row) in doc.citations.iter().zip(citations_of(doc, held)) {
        let key = citation_key(citation).unwrap_or_else(|| format!("context:{}", row.context));
        let place = format!("{}:{}", row.page, row.line);
        let Some((_, pair)) = pairs.iter_mut().find(|(k, _)| *k == key) else {
            pairs.push((key, CitedPair { first: row, times: 1, places: place }));
            continue;
        };
        pair.times += 1;
        pair.places = format!("{}; {place}", pair.places);
        let first = &mut pair.first;
        if first.relation == Relation::Mention {
            first.relation = row.relation;
        }
        first.cited_needs_review |= row.cited_needs_review;
        for (mine, theirs) in [
            (&mut first.cited_date, row.cited_date),
            (&mut first.cited_issuer, row.cited_issuer),
            (&mut first.cited_subject, row.cited_subject),
            (&mut first.cited_id_printed, row.cited_id_printed),
            (&mut first.cited_id_candidates, row.cited_id_candidates),
            (&mut first.cited_corrected_by, row.cited_corrected_by),
        ] {
            if mine.is_none() {
                *mine = theirs;
            }
        }
    }
    pairs.into_iter().map(|(_, pair)| pair).collect()
}

/// Who set `citation` (its number or date) by hand, from the corrections applied to `doc`.
fn cited_corrections(doc: &Document, citation: &Citation) -> Option<String> {
    let key = crate::corrections::apply::citation_key(citation)?;
    let mut people: Vec<&str> = doc
        .corrected
        .iter()
        .filter(|a| matches!(a.field, Field::Citation | Field::CitationDate | Field::CitationType))
        .filter(|a| a.cited.as_deref().and_then(lookup_key).as_ref() == Some(&key))
        .map(|a| a.by.as_str())
        .collect();
    people.dedup();
    (!people.is_empty()).then(|| people.join("; "))
}

/// The cross-reference rows of the archive, reading one record at a time. `only`: the
/// record ids whose citations are wanted (one search); `None`, every record. Whether a
/// cited document is held always looks at the whole archive, from the index alone.
pub fn archive_cross_references<'a>(
    archive: &'a Archive,
    only: Option<HashSet<String>>,
) -> anyhow::Result<impl Iterator<Item = anyhow::Result<CrossReference>> + 'a> {
    let entries = archive.record_entries()?;
    let held = HeldNumbers::from_entries(&entries);
    let wanted = entries.into_iter().filter(move |e| only.as_ref().is_none_or(|ids| ids.contains(&e.id)));
    Ok(wanted.flat_map(move |entry| match archive.read_entry(&entry) {
        Ok(doc) => citations_of(&doc, &held).into_iter().map(Ok).collect::<Vec<_>>(),
        Err(err) => vec![Err(err)],
    }))
}

/// [`archive_cross_references`] with one row per cited document of each citing document.
pub fn archive_cited_pairs(archive: &Archive) -> anyhow::Result<impl Iterator<Item = anyhow::Result<CitedPair>> + '_> {
    let entries = archive.record_entries()?;
    let held = HeldNumbers::from_entries(&entries);
    Ok(entries.into_iter().flat_map(move |entry| match archive.read_entry(&entry) {
        Ok(doc) => cited_pairs(&doc, &held).into_iter().map(Ok).collect::<Vec<_>>(),
        Err(err) => vec![Err(err)],
    }))
}

/// The missing-documents list of the archive, reading one record at a time.
pub fn archive_missing_documents(archive: &Archive) -> anyhow::Result<Vec<MissingDocument>> {
    let entries = archive.record_entries()?;
    let held = HeldNumbers::from_entries(&entries);
    let mut tally = MissingTally::default();
    for entry in &entries {
        tally.add(&archive.read_entry(entry)?, &held);
    }
    Ok(tally.finish())
}

/// Cited documents not in the index, most cited first. Fields the citations disagree on
/// (one gives the date, another not) take the first stated value.
pub fn missing_documents(records: &[Document]) -> Vec<MissingDocument> {
    let held = HeldNumbers::from_records(records);
    let mut tally = MissingTally::default();
    for doc in records {
        tally.add(doc, &held);
    }
    tally.finish()
}

/// The missing-documents list being gathered, one citing document at a time.
#[derive(Default)]
struct MissingTally {
    groups: BTreeMap<String, (MissingDocument, Vec<Citer>)>,
}

impl MissingTally {
    fn add(&mut self, doc: &Document, held: &HeldNumbers) {
        let groups = &mut self.groups;
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

    fn finish(self) -> Vec<MissingDocument> {
        let mut missing: Vec<MissingDocument> = self
            .groups
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
}

/// What identifies a cited document: its number's lookup key, or its name for a law cited
/// by name. The missing-documents list, `export --once` and the record page's list of cited
/// documents all count a document once by it.
pub fn citation_key(citation: &Citation) -> Option<String> {
    if let Some(key) = citation.id.as_ref().and_then(|id| lookup_key(id.as_str())) {
        return Some(key);
    }
    let name = citation.name.as_deref()?.trim();
    (!name.is_empty()).then(|| format!("name:{}", crate::viet::fold(name).to_lowercase()))
}

/// The source path of the archive's document for each own number's lookup key: whether
/// (and where) a cited document is held.
pub struct HeldNumbers(HashMap<String, String>);

impl HeldNumbers {
    pub fn from_records(records: &[Document]) -> HeldNumbers {
        HeldNumbers::collect(records.iter().map(|doc| (doc.metadata.id.as_ref().map(|id| id.to_string()), &doc.source_path)))
    }

    /// From the index alone (its stored numbers and paths), without reading records.
    pub fn from_entries(entries: &[RecordEntry]) -> HeldNumbers {
        HeldNumbers::collect(entries.iter().map(|e| (e.number.clone(), &e.source_path)))
    }

    /// The first document (in the order given) holding each number wins.
    fn collect<'a>(numbered: impl Iterator<Item = (Option<String>, &'a String)>) -> HeldNumbers {
        let mut held = HashMap::new();
        for (number, path) in numbered {
            if let Some(key) = number.as_deref().and_then(lookup_key) {
                held.entry(key).or_insert_with(|| path.clone());
            }
        }
        HeldNumbers(held)
    }

    fn find(&self, citation: &Citation) -> Option<&str> {
        let key = citation.id.as_ref().and_then(|id| lookup_key(id.as_str()))?;
        self.0.get(&key).map(String::as_str)
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

    /// The row as CSV sees it: an object whose fields are all scalars. A row whose fields
    /// already are serializes as it is.
    fn csv_row(&self) -> serde_json::Result<serde_json::Value> {
        serde_json::to_value(self)
    }
}

impl Columns for CrossReference {
    const COLUMNS: &'static [&'static str] = &[
        "citing_path", "citing_record_id", "citing_id", "citing_type", "citing_date", "citing_issuer", "cited_id",
        "cited_id_printed", "cited_needs_review", "cited_id_candidates", "cited_name", "cited_type", "cited_date", "cited_issuer", "cited_subject", "relation", "cited_in_index",
        "cited_path", "page", "line", "context", "citing_signed_by", "citing_signed_at", "citing_signature",
        "citing_corrected_by", "cited_corrected_by",
    ];
}

impl Columns for CitedPair {
    const COLUMNS: &'static [&'static str] = &[
        "citing_path", "citing_record_id", "citing_id", "citing_type", "citing_date", "citing_issuer", "cited_id",
        "cited_id_printed", "cited_needs_review", "cited_id_candidates", "cited_name", "cited_type", "cited_date", "cited_issuer", "cited_subject", "relation", "cited_in_index",
        "cited_path", "page", "line", "context", "citing_signed_by", "citing_signed_at", "citing_signature",
        "citing_corrected_by", "cited_corrected_by", "times", "places",
    ];
}

impl Columns for MissingDocument {
    const COLUMNS: &'static [&'static str] = &[
        "cited_id", "cited_name", "cited_type", "cited_date", "cited_issuer", "cited_subject", "times_cited",
        "cited_by_count", "cited_by",
    ];

    fn csv_row(&self) -> serde_json::Result<serde_json::Value> {
        serde_json::to_value(MissingCsvRow {
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

impl<T: Columns> Columns for &T {
    const COLUMNS: &'static [&'static str] = T::COLUMNS;

    fn csv_row(&self) -> serde_json::Result<serde_json::Value> {
        (**self).csv_row()
    }
}

/// Writes `rows` in `format`. CSV is UTF-8 with a header (and a byte-order mark when `bom`,
/// which Excel needs to read Vietnamese); JSON is one array; JSONL one object per line.
pub fn write_rows<T: Columns>(rows: &[T], format: Format, bom: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    write_row_stream(rows.iter().map(Ok), format, bom, out).map(|_| ())
}

/// [`write_rows`] over rows produced one at a time (and possibly failing: the first error
/// stops the output and is returned). Returns how many rows were written.
pub fn write_row_stream<T: Columns>(
    rows: impl Iterator<Item = anyhow::Result<T>>,
    format: Format,
    bom: bool,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    let mut written = 0;
    match format {
        Format::Csv => {
            if bom {
                out.write_all("\u{feff}".as_bytes())?;
            }
            let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(&mut *out);
            writer.write_record(T::COLUMNS)?;
            for row in rows {
                writer.write_record(csv_cells(&row?)?)?;
                written += 1;
            }
            writer.flush()?;
        }
        Format::Json => {
            // The same bytes as pretty-printing the whole array, one row at a time.
            let failed = std::cell::RefCell::new(None);
            let count = std::cell::Cell::new(0);
            let stream = JsonArray(std::cell::RefCell::new(Some(rows.map_while(|row| match row {
                Ok(row) => {
                    count.set(count.get() + 1);
                    Some(row)
                }
                Err(err) => {
                    *failed.borrow_mut() = Some(err);
                    None
                }
            }))));
            let result = serde_json::to_writer_pretty(&mut *out, &stream);
            drop(stream);
            written = count.get();
            result?;
            if let Some(err) = failed.into_inner() {
                return Err(err);
            }
            out.write_all(b"\n")?;
        }
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *out, &row?)?;
                out.write_all(b"\n")?;
                written += 1;
            }
        }
    }
    out.flush()?;
    Ok(written)
}

/// An iterator serialized as a JSON array as it runs (serde only borrows what it writes).
struct JsonArray<I>(std::cell::RefCell<Option<I>>);

impl<I: Iterator> Serialize for JsonArray<I>
where
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rows = self.0.borrow_mut().take().ok_or_else(|| serde::ser::Error::custom("the rows were already written"))?;
        serializer.collect_seq(rows)
    }
}

/// The cells of one CSV row, in column order, each made safe for spreadsheets.
fn csv_cells<T: Columns>(row: &T) -> anyhow::Result<Vec<String>> {
    let value = row.csv_row()?;
    Ok(T::COLUMNS
        .iter()
        .map(|column| {
            let text = match value.get(column) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(text)) => text.clone(),
                Some(other) => other.to_string(),
            };
            csv_cell(&text).into_owned()
        })
        .collect())
}

/// A CSV cell that a spreadsheet will show as text and never run (CSV or formula
/// injection): as OWASP recommends, a cell that begins with `=`, `+`, `-`, `@`, a tab or
/// a carriage return, even after spaces, gets a leading `'`, which Excel and LibreOffice
/// read as "this is text" and do not display. A citation sentence quoted from a scan
/// (`=HYPERLINK(…)`, `@SUM(…)`, or just a list item `- Công tác…`) is therefore written
/// `'=HYPERLINK(…)`. JSON and JSONL exports are data, not spreadsheets, and are left as they are.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let starts_a_formula = |c: char| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r');
    let first = text.chars().next();
    let after_spaces = text.trim_start_matches(' ').chars().next();
    if first.is_some_and(starts_a_formula) || after_spaces.is_some_and(starts_a_formula) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_citation_with_a_flagged_field_is_marked_for_review_even_with_its_number_sure() {
        let cite = |number: &str, review: &[&str]| Citation {
            doc_type: "Quyết định".into(),
            id: crate::cite::DocId::parse(number),
            review: review.iter().map(|r| r.to_string()).collect(),
            ..Citation::default()
        };
        let doc = Document {
            record_version: crate::record::RECORD_VERSION,
            id: "r".into(),
            source_path: "a.txt".into(),
            sha256: String::new(),
            source_kind: crate::record::SourceKind::Text,
            pages: Vec::new(),
            metadata: Default::default(),
            citations: vec![cite("12/QĐ-UBND", &[]), cite("13/QĐ-UBND", &["subject"])],
            warnings: Vec::new(),
            signatures: Vec::new(),
            ingested_at: 0,
            corrected: Vec::new(),
        };
        let rows = cross_references(std::slice::from_ref(&doc));
        assert_eq!(rows.iter().map(|r| r.cited_needs_review).collect::<Vec<_>>(), [false, true]);
        // The number itself was not corrected: nothing printed differently, no candidates.
        assert!(rows[1].cited_id_printed.is_none() && rows[1].cited_id_candidates.is_none());
    }

    #[test]
    fn formula_starts_are_neutralized_and_everything_else_kept() {
        for hostile in ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "  =1+1"] {
            assert_eq!(csv_cell(hostile), format!("'{hostile}"), "{hostile:?}");
        }
        for plain in ["Căn cứ Luật", "25-NQ/TW", "2025-03-10", "", "a=b", "1"] {
            assert_eq!(csv_cell(plain), plain);
        }
    }
}
