//! `vanban eval cite`: precision/recall/F1 of citations by canonical id and the accuracy of
//! each own-metadata field, on
//! - the hand-annotated gold documents in `tests/gold/` (each `NAME.txt` with `NAME.json`),
//!   as written; damaged by the learned OCR channel ([`super::damage`]); and as real
//!   Tesseract `eng` and `vie` read rendered, degraded pages of them (`tests/gold/ocr/`) —
//!   each raw and after repair (read as ingest reads a page: [`extract_both`] of the
//!   repaired and the raw text). All **development**: the extractor was written with them.
//! - the real legacy OCR sample(s) named by `tests/gold/legacy/*.json` (development: rules
//!   were tuned on it);
//! - the legacy OCR set of our own documents in `tests/gold/dev-legacy/`, made by the
//!   held-out set's recipe in other fonts and degradations (development: extraction and
//!   repair are tuned on it, so the held-out set need not be), its printed text and its
//!   Tesseract `eng` reading, raw and repaired;
//! - the legacy OCR sample of our own documents in `tests/gold/held-out-legacy/`
//!   (**held-out**: nobody tunes on it);
//! - the labelled files of the legal corpus (front matter `so_hieu`, `loai_van_ban`,
//!   `co_quan_ban_hanh`, `ngay_ban_hanh`, and the ids in `can_cu_phap_luat`/`can_cu`;
//!   development).
//!
//! Citations are compared as sets per document, by canonical id (or a law's name), in NFC
//! and without regard to case or spaces (docs/architecture: "How accuracy is counted").
//! Where a gold file gives a cited document's type, date or issuer (the object form of a
//! citation, see [`ExpectedCitation`] for the convention), every condition also scores
//! those fields of the cited documents it finds ("cited date right" …, target ≥ 0.97).

use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{damage::ChannelDamage, extract, extract_both, parse_date, DocId, Extraction};
use crate::eval::figure::{EvalSet, Figure, Figures, Split, Target, Value};
use crate::repair::Repairer;

/// Expected output for one gold document.
#[derive(Debug, Clone, Deserialize)]
pub struct Expected {
    /// For a gold file that annotates a shared sample: its path under the shared folder.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub document: ExpectedMeta,
    pub citations: Vec<ExpectedCitation>,
}

impl Expected {
    /// The cited ids (or laws' names), as the citation figures compare them.
    pub fn cited_ids(&self) -> Vec<String> {
        self.citations.iter().map(|c| c.id.clone()).collect()
    }
}

/// One cited document of a gold file: a bare id (`"01/2011/TT-BNV"`, or a law's name), or
/// an object `{"id", "type", "date", "issuer"}` giving what the text prints of it:
/// - `type`: the type the text names it by ("Luật", "Quy định", "Thông tư liên tịch"); a
///   generic "Văn bản số N/UBND-…" is the type its number shows (a Công văn);
/// - `date` (ISO): only where the text prints a full day for that document (in its own
///   citation, or once for a list "Quyết định số 217-QĐ/TW, 218-QĐ/TW ngày …");
/// - `issuer`: the organ as the text names it for that document, after "của" ("của Bộ
///   trưởng Bộ Tài chính", "Ban Chấp hành Trung ương Đảng (khóa XI)", the term kept as
///   printed), or as the one that issued it ("Chính phủ đã ban hành các Nghị định số: …",
///   "các Quyết định của Thủ tướng Chính phủ số: …"); absent where the text names none
///   (a code's implied organ is not the text's) or only loosely ("ngày … Hội nghị lần thứ
///   năm Ban Chấp hành …", no "của").
///
/// A field left out is not scored; the fields are compared as the corpus check compares
/// them ([`same_type`], [`same_organ`], dates exactly).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "CitationJson")]
pub struct ExpectedCitation {
    pub id: String,
    pub doc_type: Option<String>,
    pub date: Option<String>,
    pub issuer: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CitationJson {
    Id(String),
    Full(FullCitationJson),
}

/// Unknown keys are refused, so that a misspelt field ("isuer") is an error, not a field
/// silently left unscored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FullCitationJson {
    id: String,
    #[serde(rename = "type", default)]
    doc_type: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    issuer: Option<String>,
}

impl From<CitationJson> for ExpectedCitation {
    fn from(json: CitationJson) -> Self {
        match json {
            CitationJson::Id(id) => ExpectedCitation { id, ..ExpectedCitation::default() },
            CitationJson::Full(f) => ExpectedCitation { id: f.id, doc_type: f.doc_type, date: f.date, issuer: f.issuer },
        }
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct ExpectedMeta {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub date: Option<String>,
    pub issuer: Option<String>,
    pub signer: Option<String>,
}

pub struct GoldDoc {
    pub name: String,
    pub text: String,
    pub expected: Expected,
}

/// Loads `dir/*.txt` with their `.json`. Errors name the file and what is wrong with it.
pub fn load_gold(dir: &Path) -> Result<Vec<GoldDoc>> {
    let mut docs = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read the gold folder", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    for text_path in entries {
        let json_path = text_path.with_extension("json");
        let text = std::fs::read_to_string(&text_path).with_context(|| format!("{}", text_path.display()))?;
        let expected = read_expected(&json_path)?;
        let name = text_path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        docs.push(GoldDoc { name, text, expected });
    }
    Ok(docs)
}

fn read_expected(path: &Path) -> Result<Expected> {
    let json = std::fs::read_to_string(path)
        .with_context(|| format!("{}: every gold .txt needs its expected .json beside it", path.display()))?;
    serde_json::from_str(&json).with_context(|| format!("{}: not valid gold JSON", path.display()))
}

/// Loads `dir/*.json` that annotate shared samples (`"source": "samples/…"`), resolving
/// the source under `shared`. Samples whose text is absent are skipped (returned by name).
pub fn load_samples(dir: &Path, shared: &Path) -> Result<(Vec<GoldDoc>, Vec<String>)> {
    let mut docs = Vec::new();
    let mut missing = Vec::new();
    let Ok(read) = std::fs::read_dir(dir) else { return Ok((docs, missing)) };
    let mut paths: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    paths.sort();
    for path in paths {
        let expected = read_expected(&path)?;
        let source = expected.source.clone().with_context(|| format!("{}: a sample annotation needs \"source\"", path.display()))?;
        let text_path = shared.join(&source);
        match std::fs::read(&text_path) {
            Ok(bytes) => docs.push(GoldDoc { name: source, text: String::from_utf8_lossy(&bytes).into_owned(), expected }),
            Err(_) => missing.push(text_path.display().to_string()),
        }
    }
    Ok((docs, missing))
}

/// Citation counts over a set of documents.
#[derive(Debug, Default, Clone, Copy)]
pub struct Prf {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_positives)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_negatives)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
    fn add(&mut self, other: Prf) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// NFC, lower case, no whitespace: the comparison form of ids and field values.
pub fn compare_form(text: &str) -> String {
    crate::viet::nfc(text).to_lowercase().chars().filter(|c| !c.is_whitespace()).collect()
}

/// The comparison form of a citation: a canonical id as [`compare_form`]; a law cited by
/// name also without diacritics, since a name (unlike an id) has no canonical spelling that
/// OCR damage could be undone to.
fn citation_form(text: &str) -> String {
    if DocId::parse(text).is_some_and(|id| compare_form(id.as_str()) == compare_form(text)) {
        compare_form(text)
    } else {
        compare_form(&crate::viet::fold(text))
    }
}

/// The set of cited documents in an extraction, in comparison form.
pub fn cited_set(extraction: &Extraction) -> BTreeSet<String> {
    extraction
        .citations
        .iter()
        .filter_map(|c| c.id.as_ref().map(|d| d.to_string()).or_else(|| c.name.clone()))
        .map(|s| citation_form(&s))
        .collect()
}

/// Scores one document's citations; also returns the misses and the extras, for the report.
pub fn score(expected: &[String], extraction: &Extraction) -> (Prf, Vec<String>, Vec<String>) {
    let want: BTreeSet<String> = expected.iter().map(|s| citation_form(s)).collect();
    let got = cited_set(extraction);
    let prf = Prf {
        true_positives: want.intersection(&got).count(),
        false_positives: got.difference(&want).count(),
        false_negatives: want.difference(&got).count(),
    };
    (prf, want.difference(&got).cloned().collect(), got.difference(&want).cloned().collect())
}

/// Right/total for each own-metadata field.
#[derive(Debug, Default, Clone)]
pub struct FieldAccuracy {
    /// (field, right, total)
    pub fields: Vec<(&'static str, usize, usize)>,
}

impl FieldAccuracy {
    fn record(&mut self, field: &'static str, want: Option<&str>, got: Option<&str>, same: impl Fn(&str, &str) -> bool) {
        let Some(want) = want else { return };
        let right = got.is_some_and(|g| same(want, g));
        match self.fields.iter_mut().find(|(f, _, _)| *f == field) {
            Some(entry) => {
                entry.1 += right as usize;
                entry.2 += 1;
            }
            None => self.fields.push((field, right as usize, 1)),
        }
    }

    /// Share right for `field` (1.0 when never labelled).
    pub fn accuracy(&self, field: &str) -> f64 {
        self.fields.iter().find(|(f, _, _)| *f == field).map_or(1.0, |(_, r, t)| ratio(*r, *t))
    }

    fn check(&mut self, want: &ExpectedMeta, got: &Extraction) {
        let doc = &got.document;
        let same = |a: &str, b: &str| compare_form(a) == compare_form(b);
        let same_type = |a: &str, b: &str| compare_form(&crate::viet::fold(&a.replace('-', " "))) == compare_form(&crate::viet::fold(b));
        let got_id = doc.id.as_ref().map(|d| d.to_string());
        self.record("number", want.id.as_deref(), got_id.as_deref(), same);
        self.record("type", want.doc_type.as_deref(), doc.doc_type.as_deref(), same_type);
        let want_date = want.date.as_deref().and_then(parse_date);
        self.record("date", want_date.as_deref(), doc.date.as_deref(), same);
        // Names compared without diacritics, which damaged text cannot be asked to restore.
        let same_name = |a: &str, b: &str| compare_form(&crate::viet::fold(a)) == compare_form(&crate::viet::fold(b));
        self.record("issuer", want.issuer.as_deref(), doc.issuer.as_deref(), same_name);
        self.record("signer", want.signer.as_deref(), doc.signer.as_deref(), same_name);
    }
}

/// One evaluated condition (clean gold, damaged gold, legacy sample…).
#[derive(Debug, Clone)]
pub struct Condition {
    pub label: String,
    /// What it is measured on, and whether that was seen while tuning.
    pub set: EvalSet,
    pub documents: usize,
    pub citations: Prf,
    pub fields: FieldAccuracy,
    /// Per cited document the gold lists with a type, date or issuer and the extraction
    /// finds: whether every reading of it gives that field right (see [`score_cited_fields`]).
    pub cited_fields: FieldAccuracy,
    /// Distinct cited numbers (per document) the extractor changed from the printed one,
    /// and those of them the gold does not list: the wrong-correction rate.
    pub corrected: usize,
    pub wrong_corrections: usize,
    /// "document: missed … / extra …" lines for the report's detail.
    pub errors: Vec<String>,
}

/// (corrected, wrong, "printed → id" of the wrong ones): the distinct numbers of
/// `extraction` changed from their printed form (a correction that kept the printed number
/// and only flagged it is none), and those not in `expected`.
pub fn corrections(expected: &[String], extraction: &Extraction) -> (usize, usize, Vec<String>) {
    let want: BTreeSet<String> = expected.iter().map(|s| citation_form(s)).collect();
    let mut seen = BTreeSet::new();
    let (mut corrected, mut wrong, mut listed) = (0, 0, Vec::new());
    for c in &extraction.citations {
        let (Some(id), Some(k)) = (&c.id, &c.correction) else { continue };
        let got = citation_form(id.as_str());
        if citation_form(&k.printed) == got || !seen.insert(got.clone()) {
            continue;
        }
        corrected += 1;
        if !want.contains(&got) {
            wrong += 1;
            listed.push(format!("{} → {id}", k.printed));
        }
    }
    (corrected, wrong, listed)
}

/// Scores the type, date and issuer of each cited document of `expected` that the gold
/// gives them for and `extraction` finds (a miss is the citation figures' business). The
/// document is read right for a field when at least one of its citations gives the field
/// and every one that gives it (the full citation, its short forms, a second mention)
/// gives the gold's value: a clerk reading the export sees every row. Returns the wrong
/// ones, "cited ID field: gold …, read […]", for the report.
pub fn score_cited_fields(expected: &[ExpectedCitation], extraction: &Extraction, into: &mut FieldAccuracy) -> Vec<String> {
    let mut wrong = Vec::new();
    for want in expected {
        let form = citation_form(&want.id);
        let readings: Vec<&super::Citation> = extraction
            .citations
            .iter()
            .filter(|c| c.id.as_ref().map(|d| d.to_string()).or_else(|| c.name.clone()).is_some_and(|s| citation_form(&s) == form))
            .collect();
        if readings.is_empty() {
            continue;
        }
        let want_date = want.date.as_deref().map(|d| iso_date(d).or_else(|| parse_date(d)).unwrap_or_else(|| d.to_owned()));
        let fields: [(&'static str, Option<&str>, &dyn Fn(&super::Citation) -> Option<&str>, &dyn Fn(&str, &str) -> bool); 3] = [
            ("type", want.doc_type.as_deref(), &|c| Some(c.doc_type.as_str()).filter(|t| !t.is_empty()), &same_type),
            ("date", want_date.as_deref(), &|c| c.date.as_deref(), &|a, b| a == b),
            ("issuer", want.issuer.as_deref(), &|c| c.issuer.as_deref(), &same_organ),
        ];
        for (field, want_value, get, same) in fields {
            let Some(want_value) = want_value else { continue };
            let mut read: Vec<&str> = readings.iter().filter_map(|c| get(c)).collect();
            read.sort_unstable();
            read.dedup();
            let right = !read.is_empty() && read.iter().all(|r| same(want_value, r));
            into.record(field, Some(want_value), right.then_some(want_value), |a, b| a == b);
            if !right {
                wrong.push(format!("cited {} {field}: gold {want_value:?}, read {read:?}", want.id));
            }
        }
    }
    wrong
}

fn evaluate(label: &str, set: &EvalSet, docs: &[GoldDoc], read: &dyn Fn(&str) -> Extraction) -> Condition {
    let mut condition = Condition {
        label: label.to_owned(),
        set: set.clone(),
        documents: docs.len(),
        citations: Prf::default(),
        fields: FieldAccuracy::default(),
        cited_fields: FieldAccuracy::default(),
        corrected: 0,
        wrong_corrections: 0,
        errors: Vec::new(),
    };
    for doc in docs {
        let extraction = read(&doc.text);
        let ids = doc.expected.cited_ids();
        let (prf, missed, extra) = score(&ids, &extraction);
        condition.citations.add(prf);
        for wrong in score_cited_fields(&doc.expected.citations, &extraction, &mut condition.cited_fields) {
            condition.errors.push(format!("{}: {wrong}", doc.name));
        }
        let (corrected, wrong, listed) = corrections(&ids, &extraction);
        condition.corrected += corrected;
        condition.wrong_corrections += wrong;
        if !listed.is_empty() {
            condition.errors.push(format!("{}: corrected wrongly {:?}", doc.name, listed));
        }
        condition.fields.check(&doc.expected.document, &extraction);
        if !missed.is_empty() || !extra.is_empty() {
            condition.errors.push(format!("{}: missed {:?} extra {:?}", doc.name, missed, extra));
        }
    }
    condition
}

/// The corpus part: own metadata against front matter, and recall of labelled cited ids.
#[derive(Debug, Default, Clone)]
pub struct CorpusResult {
    /// Files with a number in the front matter.
    pub labelled_files: usize,
    /// Of those, files whose text prints the number in a header line.
    pub documents: usize,
    pub fields: FieldAccuracy,
    pub cited_found: usize,
    pub cited_labelled: usize,
    /// Per citation of a document that is itself a corpus file: its type, date and issuer
    /// as read from the citing sentence against the cited file's front matter. A field the
    /// sentence does not give (absent, or filled in from the known documents and named in
    /// `Citation::inferred`) is not counted: the list of known documents is built from this
    /// same corpus, so counting it would score the list against itself.
    pub cited_fields: FieldAccuracy,
    pub errors: Vec<String>,
}

/// Where to find the inputs.
pub struct Inputs<'a> {
    pub gold_dir: &'a Path,
    /// Folder the sample annotations' `source` paths are relative to (`../shared`).
    pub shared_dir: &'a Path,
    pub corpus_dir: Option<&'a Path>,
    pub repairer: Option<&'a Repairer>,
    /// The learned `eng` channel that damages the gold (from the dictionaries).
    pub damage: Option<&'a ChannelDamage>,
}

pub struct Report {
    pub conditions: Vec<Condition>,
    pub corpus: Option<CorpusResult>,
    pub notes: Vec<String>,
}

impl Report {
    pub fn condition(&self, label: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.label == label)
    }
}

pub const CLEAN: &str = "gold, clean text";
pub const DAMAGED: &str = "gold, learned eng channel, raw";
pub const DAMAGED_REPAIRED: &str = "gold, learned eng channel, repaired";
pub const OCR_ENG: &str = "gold, Tesseract eng reading, raw";
pub const OCR_ENG_REPAIRED: &str = "gold, Tesseract eng reading, repaired";
pub const OCR_VIE: &str = "gold, Tesseract vie reading, raw";
pub const OCR_VIE_REPAIRED: &str = "gold, Tesseract vie reading, repaired";
pub const LEGACY: &str = "legacy OCR sample, raw";
pub const LEGACY_REPAIRED: &str = "legacy OCR sample, repaired";
pub const DEV_LEGACY_PRINTED: &str = "development legacy OCR set, printed text";
pub const DEV_LEGACY: &str = "development legacy OCR set, raw";
pub const DEV_LEGACY_REPAIRED: &str = "development legacy OCR set, repaired";
pub const HELD_OUT_LEGACY: &str = "held-out legacy OCR sample, raw";
pub const HELD_OUT_LEGACY_REPAIRED: &str = "held-out legacy OCR sample, repaired";

/// The gold documents with their text replaced by an OCR reading in `dir` (`NAME.txt`);
/// documents without a reading are left out (named in the returned list).
fn with_readings(gold: &[GoldDoc], dir: &Path) -> Result<(Vec<GoldDoc>, Vec<String>)> {
    let mut docs = Vec::new();
    let mut missing = Vec::new();
    for doc in gold {
        let path = dir.join(format!("{}.txt", doc.name));
        match std::fs::read(&path) {
            Ok(bytes) => docs.push(GoldDoc {
                name: doc.name.clone(),
                text: crate::viet::nfc(&String::from_utf8_lossy(&bytes)),
                expected: doc.expected.clone(),
            }),
            Err(_) => missing.push(path.display().to_string()),
        }
    }
    Ok((docs, missing))
}

/// The held-out legacy sample: `NAME.ocr.txt` (Tesseract eng reading) with `NAME.json`.
pub fn load_held_out_legacy(dir: &Path) -> Result<Vec<GoldDoc>> {
    load_rendered(dir, ".ocr.txt")
}

/// A set made by a legacy `render.sh` (`held-out-legacy/`, `dev-legacy/`): each document's
/// `NAME{suffix}` (`.ocr.txt`, the Tesseract eng reading; `.ref.txt`, the printed text)
/// with `NAME.json`. An absent folder is an empty set.
pub fn load_rendered(dir: &Path, suffix: &str) -> Result<Vec<GoldDoc>> {
    let mut docs = Vec::new();
    let Ok(read) = std::fs::read_dir(dir) else { return Ok(docs) };
    let mut paths: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.to_str().is_some_and(|s| s.ends_with(suffix))).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().trim_end_matches(suffix).to_owned();
        let text = std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
        let expected = read_expected(&dir.join(format!("{name}.json")))?;
        docs.push(GoldDoc { name, text, expected });
    }
    Ok(docs)
}

pub fn run(inputs: &Inputs) -> Result<Report> {
    let gold = load_gold(inputs.gold_dir)?;
    let (samples, missing) = load_samples(&inputs.gold_dir.join("legacy"), inputs.shared_dir)?;
    let mut notes: Vec<String> = missing.iter().map(|m| format!("sample not found, skipped: {m}")).collect();
    let gold_set = EvalSet::new("cite-gold", format!("tests/gold, documents written for vanban ({})", gold.len()), Split::Development);
    // After repair, as ingest reads a page: the repaired text, with the raw OCR beside it.
    let repaired = |raw: &str, repairer: &Repairer| extract_both(&repairer.repair(raw).text, raw);
    let mut conditions = vec![evaluate(CLEAN, &gold_set, &gold, &|t| extract(t))];
    match inputs.damage {
        Some(channel) => {
            conditions.push(evaluate(DAMAGED, &gold_set, &gold, &|t| extract(&channel.damage(t))));
            if let Some(repairer) = inputs.repairer {
                conditions.push(evaluate(DAMAGED_REPAIRED, &gold_set, &gold, &|t| repaired(&channel.damage(t), repairer)));
            }
        }
        None => notes.push("no OCR channel table: the learned-channel figures are skipped".to_owned()),
    }
    for (engine, raw_label, repaired_label) in [("eng", OCR_ENG, OCR_ENG_REPAIRED), ("vie", OCR_VIE, OCR_VIE_REPAIRED)] {
        let (docs, missing) = with_readings(&gold, &inputs.gold_dir.join("ocr").join(engine))?;
        notes.extend(missing.iter().map(|m| format!("reading not found, skipped: {m}")));
        if docs.is_empty() {
            continue;
        }
        let set = EvalSet::new(format!("cite-gold-ocr-{engine}"), format!("tests/gold rendered, Tesseract {engine} ({})", docs.len()), Split::Development);
        conditions.push(evaluate(raw_label, &set, &docs, &|t| extract(t)));
        if let Some(repairer) = inputs.repairer {
            conditions.push(evaluate(repaired_label, &set, &docs, &|t| repaired(t, repairer)));
        }
    }
    if inputs.repairer.is_none() {
        notes.push("no repairer: the after-repair figures are skipped".to_owned());
    }
    if !samples.is_empty() {
        let set = EvalSet::new("legacy-sample", format!("real legacy OCR layer, shared/samples ({})", samples.len()), Split::Development);
        conditions.push(evaluate(LEGACY, &set, &samples, &|t| extract(t)));
        if let Some(repairer) = inputs.repairer {
            conditions.push(evaluate(LEGACY_REPAIRED, &set, &samples, &|t| repaired(t, repairer)));
        }
    }
    let dev_dir = inputs.gold_dir.join("dev-legacy");
    let (dev_printed, dev_read) = (load_rendered(&dev_dir, ".ref.txt")?, load_rendered(&dev_dir, ".ocr.txt")?);
    if !dev_read.is_empty() {
        let set = EvalSet::new("dev-legacy", format!("legacy OCR of our own documents, tests/gold/dev-legacy ({})", dev_read.len()), Split::Development);
        conditions.push(evaluate(DEV_LEGACY_PRINTED, &set, &dev_printed, &|t| extract(t)));
        conditions.push(evaluate(DEV_LEGACY, &set, &dev_read, &|t| extract(t)));
        if let Some(repairer) = inputs.repairer {
            conditions.push(evaluate(DEV_LEGACY_REPAIRED, &set, &dev_read, &|t| repaired(t, repairer)));
        }
    }
    let held_out = load_held_out_legacy(&inputs.gold_dir.join("held-out-legacy"))?;
    if !held_out.is_empty() {
        let set = EvalSet::new("held-out-legacy", format!("legacy OCR of our own documents, tests/gold/held-out-legacy ({})", held_out.len()), Split::HeldOut);
        conditions.push(evaluate(HELD_OUT_LEGACY, &set, &held_out, &|t| extract(t)));
        if let Some(repairer) = inputs.repairer {
            conditions.push(evaluate(HELD_OUT_LEGACY_REPAIRED, &set, &held_out, &|t| repaired(t, repairer)));
        }
    }
    let corpus = match inputs.corpus_dir {
        Some(dir) if dir.is_dir() => Some(evaluate_corpus(dir)?),
        Some(dir) => {
            notes.push(format!("corpus folder {} not found, skipped", dir.display()));
            None
        }
        None => None,
    };
    Ok(Report { conditions, corpus, notes })
}

/// Front matter as `key → value` (list items joined under their key), and the body after it.
fn front_matter(text: &str) -> Option<(Vec<(String, String)>, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in rest[..end].lines() {
        let unquote = |s: &str| s.trim().trim_matches('"').trim_matches('\'').trim().to_owned();
        if let Some(item) = line.trim_start().strip_prefix("- ") {
            if line.starts_with(' ') {
                if let Some(last) = fields.last() {
                    let key = last.0.clone();
                    fields.push((key, unquote(item)));
                }
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            if !key.starts_with(' ') {
                fields.push((key.trim().to_owned(), unquote(value)));
            }
        }
    }
    Some((fields, &rest[end + 5..]))
}

/// The running text of a corpus file: tables and editorial notes (blockquotes) dropped,
/// since a scanned directive has neither.
fn corpus_body(body: &str) -> String {
    body.lines()
        .filter(|l| {
            let l = l.trim_start();
            // Tables, notes and "- **Số hiệu:** …" fact lists are the corpus's own summaries.
            !l.starts_with('|') && !l.starts_with('>') && !l.starts_with("- **") && !is_editorial_heading(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
        // Markdown emphasis ("**Luật Đầu tư công** số 58/2024/QH15", "*Căn cứ …;*") is the
        // corpus's typography; a printed page has none.
        .replace('*', "")
}

/// The corpus's own section headings ("## THÔNG TIN VĂN BẢN", "## Nội dung toàn văn"),
/// which no printed directive has.
fn is_editorial_heading(line: &str) -> bool {
    let Some(text) = line.strip_prefix("##") else { return false };
    let folded = crate::viet::fold(text.trim_start_matches('#').trim()).to_lowercase();
    ["thong tin van ban", "van ban", "noi dung", "noi dung toan van", "noi dung van ban", "toan van", "ghi chu", "can cu phap ly", "tom tat", "muc luc"]
        .iter()
        .any(|h| folded == *h)
}

/// True when a line of `body` opens with "Số" (or a type name and "số:") and holds `id`.
fn prints_number(body: &str, id: &DocId) -> bool {
    body.lines().take(150).any(|line| {
        let folded = crate::viet::fold(line).to_lowercase();
        let folded = folded.trim_start_matches(|c: char| !c.is_alphanumeric());
        (folded.starts_with("so") || folded.contains(" so:")) && DocId::parse(line).is_some_and(|d| d.index_key() == id.index_key())
    })
}

/// True when one of the first lines holds `name` in capitals ("BỘ TÀI CHÍNH").
fn prints_upper(body: &str, name: &str) -> bool {
    let upper = crate::viet::nfc(name).to_uppercase();
    let upper_alt = upper.replace("HÒA", "HOÀ").replace("ỦY", "UỶ");
    body.lines().take(150).any(|line| {
        let line = crate::viet::nfc(line);
        line.contains(&upper) || line.contains(&upper_alt)
    })
}

/// True when one of the first lines reads "Place, ngày D tháng M năm YYYY" or "…, ngày D/M/YYYY".
fn prints_place_and_date(body: &str) -> bool {
    body.lines().take(150).any(|line| {
        let folded = crate::viet::fold(line).to_lowercase();
        let Some(at) = folded.find(", ngay ") else { return false };
        let rest: String = folded[at + 7..].chars().take(24).collect();
        let digits = rest.split(|c: char| !c.is_ascii_digit()).filter(|d| !d.is_empty()).count();
        digits >= 3 && (rest.contains("thang") || rest.contains('/'))
    })
}

/// What the corpus's front matter says of a document: (type, ISO date, issuer).
type Labelled = (Option<String>, Option<String>, Option<String>);

fn evaluate_corpus(dir: &Path) -> Result<CorpusResult> {
    let mut result = CorpusResult::default();
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    paths.sort();
    let mut texts = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = std::fs::read(&path).with_context(|| format!("{}", path.display()))?;
        texts.push((path, String::from_utf8_lossy(&bytes).into_owned()));
    }
    // Every numbered file's own fields, by number: what a citation of it should read.
    let mut labelled: std::collections::HashMap<String, Labelled> = std::collections::HashMap::new();
    // The corpus spells its keys three ways (so_hieu, sohieu, so-hieu …): any of them labels
    // a cited document (the own-metadata figures below keep to the one spelling).
    // Most files keep these facts not in the front matter but in the editorial fact table
    // of their body ("| Số hiệu | 159/NQ-CP |", or a "- **Số hiệu:** …" list): read there
    // too, a field the front matter lacks. Both are the corpus's labels, never the running
    // text the citations are read from (`corpus_body` drops them).
    for (_, text) in &texts {
        let Some((fields, body)) = front_matter(text) else { continue };
        let facts = fact_table(body);
        let get = |keys: &[&str], label: &str| {
            keys.iter()
                .find_map(|k| fields.iter().find(|(key, v)| key == k && !v.is_empty()).map(|(_, v)| v.clone()))
                .or_else(|| facts.iter().find(|(key, _)| key == label).map(|(_, v)| v.clone()))
        };
        let Some(id) = get(&["so_hieu", "sohieu", "so-hieu"], "so hieu").and_then(|n| DocId::parse(&n)) else { continue };
        // A fact table is trusted only in a file that is the document itself: its title
        // or its printed header gives the number. Topic compilations ("Viên chức") carry
        // tables of some other law's number and dates, which would label citations wrongly.
        let in_front_matter = fields.iter().any(|(k, v)| ["so_hieu", "sohieu", "so-hieu"].contains(&k.as_str()) && !v.is_empty());
        let title = fields.iter().find(|(k, _)| k == "title").map_or("", |(_, v)| v.as_str());
        let own = in_front_matter
            || DocId::parse(title).is_some_and(|t| t.index_key() == id.index_key())
            || prints_number(&corpus_body(body), &id);
        if !own {
            continue;
        }
        let date = get(&["ngay_ban_hanh", "ngay-ban-hanh", "ngaybanhanh"], "ngay ban hanh").and_then(|d| iso_date(&d).or_else(|| parse_date(&d)));
        // A label the file's own printed header contradicts ("Số: 88/2012/NĐ-CP … ngày 23
        // tháng 10" under a table saying 24/10) is not a truth to score against.
        let printed_date = extract(&corpus_body(body)).document.date;
        let date = date.filter(|d| printed_date.as_ref().is_none_or(|p| p == d));
        // "Luật (sửa đổi)" is a Luật; "QD-TTg" is a code someone typed in the type's place.
        let doc_type = get(&["loai_van_ban", "loai-van-ban"], "loai van ban")
            .map(|t| without_abbreviation(&t))
            .filter(|t| t.contains(char::is_whitespace) || !t.contains('-'));
        let issuer = get(&["co_quan_ban_hanh", "co-quan-ban-hanh", "co_quan"], "co quan ban hanh").map(|i| without_abbreviation(&i));
        // Two files that label one number differently: neither label is kept for that field.
        match labelled.entry(id.index_key()) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((doc_type, date, issuer));
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let (t, d, i) = e.get_mut();
                disagree(t, doc_type, &same_type);
                disagree(d, date, &|a, b| a == b);
                disagree(i, issuer, &same_organ);
            }
        }
    }
    drop_dates_the_citing_sentences_contradict(&mut labelled, &texts);
    for (path, text) in &texts {
        let Some((fields, body)) = front_matter(&text) else { continue };
        let get = |k: &str| fields.iter().find(|(key, v)| key == k && !v.is_empty()).map(|(_, v)| v.as_str());
        let body = corpus_body(body);
        let extraction = extract(&body);
        // A file without a front-matter number (a compilation, or one whose number is in
        // its fact table only) still cites documents: its citations are scored below, its
        // own metadata is not (see `documents`).
        let Some(number) = get("so_hieu") else {
            let own_key = fact_table(&text).iter().find(|(k, _)| k == "so hieu").and_then(|(_, n)| DocId::parse(n)).map(|d| d.index_key());
            check_cited_fields(&mut result, path, &extraction, &labelled, own_key.as_deref());
            continue;
        };
        let label_id = DocId::parse(number);
        // Own metadata is scored only where the file prints its header ("Số: …"); many
        // files keep it in a table or the front matter alone, which a scan never has.
        if label_id.as_ref().is_some_and(|id| prints_number(&body, id)) {
            result.documents += 1;
        let want = ExpectedMeta {
            id: label_id.as_ref().map(|d| d.to_string()),
            doc_type: get("loai_van_ban").map(str::to_owned),
            // Scored where the header prints a date ("Hà Nội, ngày …"): some files print none.
            date: get("ngay_ban_hanh").filter(|_| prints_place_and_date(&body)).map(str::to_owned),
            // Scored where the header prints the body's name in capitals, as issuers are printed.
            issuer: get("co_quan_ban_hanh").filter(|name| prints_upper(&body, name)).map(str::to_owned),
            signer: None,
        };
        result.fields.check(&want, &extraction);
        let mut one = FieldAccuracy::default();
        one.check(&want, &extraction);
        let doc = &extraction.document;
        for (field, right, _) in &one.fields {
            if *right == 0 {
                let (labelled, read) = match *field {
                    "number" => (want.id.clone(), doc.id.as_ref().map(|d| d.to_string())),
                    "type" => (want.doc_type.clone(), doc.doc_type.clone()),
                    "date" => (want.date.clone(), doc.date.clone()),
                    _ => (want.issuer.clone(), doc.issuer.clone()),
                };
                result.errors.push(format!("{}: own {field} labelled {labelled:?}, read {read:?}", path.display()));
            }
        }
        }
        result.labelled_files += 1;
        let own_key = label_id.as_ref().map(|d| d.index_key());
        check_cited_fields(&mut result, path, &extraction, &labelled, own_key.as_deref());
        let got = cited_set(&extraction);
        for (key, value) in &fields {
            if key != "can_cu_phap_luat" && key != "can_cu" {
                continue;
            }
            let Some(id) = DocId::parse(value) else { continue };
            result.cited_labelled += 1;
            if got.contains(&citation_form(id.as_str())) {
                result.cited_found += 1;
            } else {
                result.errors.push(format!("{}: cited {} not found", path.display(), id));
            }
        }
    }
    Ok(result)
}

/// Drops a date label that the corpus's citing sentences contradict: when other files,
/// in at least two sentences "… <number> ngày D tháng M năm Y", give the document one other
/// date more often than the label's own. The corpus's editors typed the labels, and the
/// file that is the document may carry the same slip in its printed header
/// (88/2012/NĐ-CP: labelled and headed 24/10/2012, cited as of 23/10/2012, its real
/// date). The sentences are read by a plain pattern, not by the extractor this scores.
fn drop_dates_the_citing_sentences_contradict(labelled: &mut std::collections::HashMap<String, Labelled>, texts: &[(PathBuf, String)]) {
    let mut stated: std::collections::HashMap<String, BTreeMap<String, usize>> = std::collections::HashMap::new();
    for (_, text) in texts {
        let Some((fields, body)) = front_matter(text) else { continue };
        let own = fields
            .iter()
            .find(|(k, v)| ["so_hieu", "sohieu", "so-hieu"].contains(&k.as_str()) && !v.is_empty())
            .map(|(_, v)| v.clone())
            .or_else(|| fact_table(body).into_iter().find(|(k, _)| k == "so hieu").map(|(_, n)| n))
            .and_then(|n| DocId::parse(&n))
            .map(|d| d.index_key());
        for (key, date) in dates_after_numbers(&corpus_body(body)) {
            if Some(&key) != own.as_ref() && labelled.get(&key).is_some_and(|(_, d, _)| d.as_deref().is_some_and(|d| !d.is_empty())) {
                *stated.entry(key).or_default().entry(date).or_default() += 1;
            }
        }
    }
    for (key, dates) in stated {
        let Some((_, Some(label), _)) = labelled.get_mut(&key) else { continue };
        let own_count = dates.get(label.as_str()).copied().unwrap_or(0);
        if dates.iter().any(|(d, &n)| d != label && n >= 2 && n > own_count) {
            // Empty: contradicted, not scored (as where two files disagree).
            label.clear();
        }
    }
}

/// (index key, ISO date) for each "<number> ngày D tháng M năm Y" or "<number> ngày D/M/Y"
/// of a text: the date printed straight after a document number.
fn dates_after_numbers(body: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = body.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, pair) in words.windows(2).enumerate() {
        if pair[1] != "ngày" {
            continue;
        }
        let Some(id) = DocId::parse(pair[0].trim_end_matches([',', ';', ':', ')'])) else { continue };
        let date_words: Vec<&str> = words[i + 2..]
            .iter()
            .take(5)
            .map(|w| w.trim_end_matches([',', ';', ':', '.', ')']))
            .take_while(|w| matches!(*w, "tháng" | "năm") || (!w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '/')))
            .collect();
        if let Some(date) = parse_date(&date_words.join(" ")) {
            out.push((id.index_key(), date));
        }
    }
    out
}

/// Keeps `kept` when `other` says the same or nothing; drops it (and fills nothing) when
/// they differ; takes `other` when `kept` is empty and never contradicted.
fn disagree(kept: &mut Option<String>, other: Option<String>, same: &dyn Fn(&str, &str) -> bool) {
    match (kept.as_deref(), other) {
        (Some(a), Some(b)) if !same(a, &b) => *kept = Some(String::new()),
        (None, Some(b)) => *kept = Some(b),
        _ => {}
    }
}

/// The editorial fact rows of a corpus body, `(folded key, value)`: table rows
/// "| **Số hiệu** | 159/NQ-CP |" and list items "- **Số hiệu:** 159/NQ-CP". A value the
/// corpus had not filled in ("Đang cập nhật") is none.
fn fact_table(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in body.lines().take(400) {
        let line = line.trim();
        let (key, value) = if let Some(row) = line.strip_prefix('|') {
            let mut cells = row.split('|');
            let (Some(k), Some(v)) = (cells.next(), cells.next()) else { continue };
            (k, v)
        } else if let Some(item) = line.strip_prefix("- **") {
            let Some((k, v)) = item.split_once("**") else { continue };
            (k, v)
        } else {
            continue;
        };
        let key = crate::viet::fold(key.replace('*', "").trim().trim_end_matches(':')).to_lowercase();
        let value = value.replace('*', "");
        let value = value.trim().trim_start_matches(':').trim();
        let folded = crate::viet::fold(value).to_lowercase();
        if value.is_empty() || folded.starts_with("dang cap nhat") || folded.starts_with("chua ") {
            continue;
        }
        out.push((key, value.to_owned()));
    }
    out
}

/// "Ngân hàng Nhà nước Việt Nam (NHNN)" → "Ngân hàng Nhà nước Việt Nam": the corpus adds
/// the abbreviation in brackets, which a citing sentence does not.
fn without_abbreviation(name: &str) -> String {
    match name.split_once(" (") {
        Some((head, _)) if !head.trim().is_empty() => head.trim().to_owned(),
        _ => name.trim().to_owned(),
    }
}

/// A front-matter date written the ISO way ("2026-05-12").
fn iso_date(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && text.chars().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shape.then(|| text.to_owned())
}

/// Scores the type, date and issuer each citation of `extraction` reads for a document the
/// corpus labels (see [`CorpusResult::cited_fields`]); its own number is no citation.
fn check_cited_fields(
    result: &mut CorpusResult,
    path: &Path,
    extraction: &Extraction,
    labelled: &std::collections::HashMap<String, Labelled>,
    own_key: Option<&str>,
) {
    let mut seen = BTreeSet::new();
    for c in &extraction.citations {
        let Some(id) = &c.id else { continue };
        let key = id.index_key();
        if Some(key.as_str()) == own_key {
            continue;
        }
        let Some((want_type, want_date, want_issuer)) = labelled.get(&key) else { continue };
        // An empty label is one two files disagree on (see `disagree`): not scored.
        let labelled_as = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
        let (want_type, want_date, want_issuer) = (labelled_as(want_type), labelled_as(want_date), labelled_as(want_issuer));
        // One count per document and per stated value: a document cited ten times the same
        // way is one reading, not ten.
        let stated = |field: &str, value: &Option<String>| value.clone().filter(|_| !c.inferred.iter().any(|f| f == field));
        let got_date = stated("date", &c.date);
        let got_issuer = stated("issuer", &c.issuer);
        if !seen.insert((key.clone(), c.doc_type.clone(), got_date.clone(), got_issuer.clone())) {
            continue;
        }
        let mut record = |field: &'static str, want: Option<&str>, got: Option<&str>, same: &dyn Fn(&str, &str) -> bool| {
            let Some(got) = got else { return };
            let before = result.cited_fields.fields.iter().find(|f| f.0 == field).map_or(0, |f| f.1);
            result.cited_fields.record(field, want, Some(got), same);
            let after = result.cited_fields.fields.iter().find(|f| f.0 == field).map_or(0, |f| f.1);
            if want.is_some() && after == before {
                result.errors.push(format!("{}: cited {id} {field} labelled {want:?}, read {got:?}", path.display()));
            }
        };
        record("type", want_type.as_deref(), stated("type", &Some(c.doc_type.clone())).as_deref(), &same_type);
        // A number without its year ("1341/QĐ-TTg") is reused every year: the label is of
        // one of several documents, so the date the citation gives is not scored against it.
        let want_date = want_date.filter(|_| id.year().is_some());
        record("date", want_date.as_deref(), got_date.as_deref(), &|a, b| a == b);
        record("issuer", want_issuer.as_deref(), got_issuer.as_deref(), &same_organ);
    }
}

/// Types compared without diacritics, case or hyphens ("Nghị quyết" = "nghi-quyet").
fn same_type(a: &str, b: &str) -> bool {
    compare_form(&crate::viet::fold(&a.replace('-', " "))) == compare_form(&crate::viet::fold(&b.replace('-', " ")))
}

/// Organ names compared without diacritics, case or spaces, "UBND"/"HĐND" spelled out; or
/// naming the same organ of the authority tables, with the same words after it (a term
/// "khóa XIII"): "Ban Chấp hành Trung ương" is the "Ban Chấp hành Trung ương Đảng", and
/// "Bộ trưởng Bộ Tài chính" (a document cited by its signer's title) the "Bộ Tài chính",
/// as the extractor names issuers (the issuer is the organ).
fn same_organ(a: &str, b: &str) -> bool {
    use crate::eval::scans::issuer_form;
    let organ = |name: &str| {
        let organ = crate::authority::Authority::builtin().normalize_issuer(name)?;
        Some((issuer_form(&organ.name), issuer_form(name.get(organ.consumed..)?)))
    };
    issuer_form(a) == issuer_form(b) || organ(a).is_some_and(|o| Some(o) == organ(b))
}

impl Report {
    /// Every missed and extra citation and every wrong metadata field of the development
    /// conditions, one per line. Held-out conditions are never listed (aggregates only).
    pub fn errors(&self) -> String {
        let mut out = String::new();
        for c in self.conditions.iter().filter(|c| c.set.split != Split::HeldOut) {
            for e in &c.errors {
                out.push_str(&format!("  [{}] {e}\n", c.label));
            }
        }
        for e in self.corpus.iter().flat_map(|c| &c.errors) {
            out.push_str(&format!("  [corpus] {e}\n"));
        }
        out
    }

    /// Every figure, labelled with its set and whether it is held out.
    pub fn figures(&self) -> Figures {
        let mut out = Figures::default();
        for c in &self.conditions {
            let p = &c.citations;
            let key = |k: &str| format!("{}.{k}", c.label);
            out.push(Figure::new(&key("precision"), &format!("{}: citations precision", c.label), &c.set, Value::Share { right: p.true_positives, total: p.true_positives + p.false_positives }));
            out.push(Figure::new(&key("recall"), &format!("{}: citations recall", c.label), &c.set, Value::Share { right: p.true_positives, total: p.true_positives + p.false_negatives }));
            let f1_target = if c.label == CLEAN || c.label == DEV_LEGACY_PRINTED {
                0.97
            } else if c.label.ends_with("repaired") {
                0.96
            } else {
                0.93
            };
            out.push(Figure::new(&key("f1"), &format!("{}: citations F1", c.label), &c.set, Value::Ratio { value: p.f1() }).target(Target::AtLeast(f1_target)));
            out.push(
                Figure::new(&key("wrong_correction"), &format!("{}: cited numbers corrected wrongly (of those corrected)", c.label), &c.set, Value::Rate { errors: c.wrong_corrections, of: c.corrected })
                    .target(Target::AtMost(0.01)),
            );
            for (field, right, total) in &c.fields.fields {
                let figure = Figure::new(&key(field), &format!("{}: own {field}", c.label), &c.set, Value::Share { right: *right, total: *total });
                // The issue's ≥ 97% is set on clean text for the number, type and date.
                let clean_target = (c.label == CLEAN || c.label == DEV_LEGACY_PRINTED) && matches!(*field, "number" | "type" | "date");
                out.push(if clean_target { figure.target(Target::AtLeast(0.97)) } else { figure });
            }
            // The issue's ≥ 97% for each cited field (issue 12), on what a clerk is given: the
            // printed text and the repaired readings. A raw reading is reported beside them
            // without a target: legacy OCR without marks cannot spell an organ's name right
            // ("Bo Tai chinh"), and nothing of it reaches the record unrepaired.
            for (field, right, total) in &c.cited_fields.fields {
                let figure = Figure::new(&key(&format!("cited_{field}")), &format!("{}: cited {field} right (where the gold gives one)", c.label), &c.set, Value::Share { right: *right, total: *total });
                out.push(if c.label.ends_with("raw") { figure } else { figure.target(Target::AtLeast(0.97)) });
            }
        }
        if let Some(corpus) = &self.corpus {
            let set = EvalSet::new(
                "corpus-headers",
                format!("corpus files that print their header ({} of {} numbered)", corpus.documents, corpus.labelled_files),
                Split::Development,
            );
            for (field, right, total) in &corpus.fields.fields {
                let figure = Figure::new(&format!("corpus.{field}"), &format!("corpus: own {field}"), &set, Value::Share { right: *right, total: *total });
                out.push(if matches!(*field, "number" | "type" | "date") { figure.target(Target::AtLeast(0.97)) } else { figure });
            }
            let set = EvalSet::new("corpus-cited", format!("corpus files with labelled cited ids ({} files)", corpus.labelled_files), Split::Development);
            out.push(Figure::new("corpus.cited", "corpus: labelled cited ids found (recall)", &set, Value::Share { right: corpus.cited_found, total: corpus.cited_labelled }));
            let set = EvalSet::new("corpus-cited-fields", "citations in the corpus of documents that are corpus files (their front matter)", Split::Development);
            for (field, right, total) in &corpus.cited_fields.fields {
                out.push(
                    Figure::new(&format!("corpus.cited_{field}"), &format!("corpus: cited {field} right (where the sentence gives one)"), &set, Value::Share { right: *right, total: *total })
                        .target(Target::AtLeast(0.97)),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gold_citation_is_a_bare_id_or_an_object_with_its_fields() {
        let json = r#"{"citations": ["Luật Viên chức", {"id": "25-NQ/TW", "type": "Nghị quyết", "date": "2013-06-03", "issuer": "Ban Chấp hành Trung ương Đảng (khóa XI)"}, {"id": "01/2023/TT-VPCP", "type": "Thông tư"}]}"#;
        let got: Expected = serde_json::from_str(json).unwrap();
        assert_eq!(got.cited_ids(), ["Luật Viên chức", "25-NQ/TW", "01/2023/TT-VPCP"]);
        assert_eq!(got.citations[1].issuer.as_deref(), Some("Ban Chấp hành Trung ương Đảng (khóa XI)"));
        assert_eq!((got.citations[2].doc_type.as_deref(), got.citations[2].date.as_deref()), (Some("Thông tư"), None));
        // A misspelt field is an error, not a field silently left unscored.
        assert!(serde_json::from_str::<Expected>(r#"{"citations": [{"id": "1/QĐ-UBND", "isuer": "UBND tỉnh"}]}"#).is_err());
    }

    #[test]
    fn organs_compare_as_the_tables_name_them() {
        assert!(same_organ("UBND tỉnh", "Ủy ban nhân dân tỉnh"));
        assert!(same_organ("Bộ trưởng Bộ Tài chính", "Bộ Tài chính"));
        assert!(same_organ("Ban Chấp hành Trung ương", "Ban Chấp hành Trung ương Đảng"));
        assert!(same_organ("Ban Chấp hành Trung ương Đảng khóa XIII", "Ban Chấp hành Trung ương Đảng khóa XIII"));
        // Another organ, another level, another term, or words of the next clause glued on.
        assert!(!same_organ("Bộ Chính trị", "Ban Chấp hành Trung ương Đảng"));
        assert!(!same_organ("UBND tỉnh", "UBND huyện"));
        assert!(!same_organ("Ban Chấp hành Trung ương Đảng khóa XIII", "Ban Chấp hành Trung ương Đảng"));
        assert!(!same_organ("Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy Ban Thường"));
    }

    #[test]
    fn a_cited_field_is_right_when_every_reading_that_gives_it_agrees_with_the_gold() {
        let gold = |issuer: &str| ExpectedCitation { id: "18-NQ/TW".into(), doc_type: Some("Nghị quyết".into()), date: Some("2022-06-16".into()), issuer: Some(issuer.into()) };
        let text = "Thực hiện Nghị quyết số 18-NQ/TW ngày 16/6/2022 của Bộ Chính trị về đất đai.\nQuán triệt Nghị quyết 18.\n";
        let extraction = extract(text);
        let mut fields = FieldAccuracy::default();
        assert!(score_cited_fields(&[gold("Bộ Chính trị")], &extraction, &mut fields).is_empty());
        assert_eq!(fields.fields, [("type", 1, 1), ("date", 1, 1), ("issuer", 1, 1)]);
        let mut fields = FieldAccuracy::default();
        let wrong = score_cited_fields(&[gold("Ban Bí thư")], &extraction, &mut fields);
        assert_eq!(wrong, ["cited 18-NQ/TW issuer: gold \"Ban Bí thư\", read [\"Bộ Chính trị\"]"]);
        assert_eq!(fields.accuracy("issuer"), 0.0);
        // A field the gold leaves out, and a citation the extraction misses, are not scored.
        let mut fields = FieldAccuracy::default();
        let missed = ExpectedCitation { id: "19-NQ/TW".into(), date: Some("2022-06-16".into()), ..ExpectedCitation::default() };
        score_cited_fields(&[ExpectedCitation { id: "18-NQ/TW".into(), ..ExpectedCitation::default() }, missed], &extraction, &mut fields);
        assert!(fields.fields.is_empty());
    }

    #[test]
    fn dates_printed_after_numbers_are_read_by_pattern() {
        let body = "Nghị định số 88/2012/NĐ-CP ngày 23 tháng 10 năm 2012 của Chính phủ; Thông tư 02/2007/TT-BNV ngày 25/5/2007, và Quyết định 12/QĐ-UBND của UBND ngày 1/1/2020.";
        let got = dates_after_numbers(body);
        let key = |id: &str| DocId::parse(id).unwrap().index_key();
        assert_eq!(got, vec![(key("88/2012/NĐ-CP"), "2012-10-23".to_owned()), (key("02/2007/TT-BNV"), "2007-05-25".to_owned())]);
    }

    #[test]
    fn a_date_label_two_citing_sentences_contradict_is_dropped() {
        let file = |own: &str, body: &str| (PathBuf::from(own), format!("---\ntitle: x\n---\n| **Số hiệu** | {own} |\n\n{body}\n"));
        let cite = |date: &str| format!("Căn cứ Nghị định số 88/2012/NĐ-CP ngày {date} của Chính phủ.\n");
        let key = DocId::parse("88/2012/NĐ-CP").unwrap().index_key();
        let run = |texts: Vec<(PathBuf, String)>| {
            let mut labelled = std::collections::HashMap::from([(key.clone(), (None, Some("2012-10-24".to_owned()), None))]);
            drop_dates_the_citing_sentences_contradict(&mut labelled, &texts);
            labelled[&key].1.clone().unwrap()
        };
        // Two sentences of another date against none of the label's: dropped.
        assert_eq!(run(vec![file("1/2020/TT-BTTTT", &(cite("23 tháng 10 năm 2012") + &cite("23/10/2012")))]), "");
        // One sentence is not enough; nor are two against two of the label's.
        assert_eq!(run(vec![file("1/2020/TT-BTTTT", &cite("23/10/2012"))]), "2012-10-24");
        let even = cite("23/10/2012") + &cite("23/10/2012") + &cite("24/10/2012") + &cite("24/10/2012");
        assert_eq!(run(vec![file("1/2020/TT-BTTTT", &even)]), "2012-10-24");
        // The document's own file does not vote.
        assert_eq!(run(vec![file("88/2012/NĐ-CP", &(cite("23/10/2012") + &cite("23/10/2012")))]), "2012-10-24");
    }
}
