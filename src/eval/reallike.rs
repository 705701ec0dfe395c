//! The citation gold documents of `tests/gold` (written for vanban: UBND, HĐND, ministry,
//! Prime Minister's and Party documents) rendered as real-like scans by
//! `tests/gold/reallike/render.py` (two-column header, seal over the signature, digital-
//! signature box, receipt stamp, handwritten number and day on every other page, colour,
//! skew, JPEG in a PDF) and read through vanban's own ingest, scored like the real scans
//! (own number/type/date/issuer, citations) against `tests/gold/NAME.json`.
//!
//! Why: those documents are otherwise read only as clean one-column renders by the
//! Tesseract CLI, where every figure is 1.000; the central-government kinds of page (a
//! ministry's thông tư, a công điện) have no other development material, because the only
//! real ones are held out. Development material: rules may be tuned on it (as kinds of
//! page, never for one document).
//!
//! The renders are cached in `<work>/../eval-reallike-render/<hash of the script and the
//! gold texts>`, the ingest in a scratch index of its own (`gold-reallike-<build key>`), so
//! a rerun with the same build and script costs nothing.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

use super::figure::{EvalSet, Figure, Figures, Split, Value};
use crate::cite::eval::{Expected, ExpectedCitation};
use super::scans::{self, Case, GoldCitation, GoldHeader, GoldPage, Group, IngestPlan, Ingested, PageScore, ScanSet};

/// The set's key in the figures.
pub const SET_KEY: &str = "gold-reallike";

/// What the renderer wrote beside each PDF (`NAME.layout.json`).
#[derive(Debug, Deserialize)]
struct Layout {
    handwritten_number: bool,
}

/// The block, scored.
pub struct RealLike {
    pub figures: Figures,
    pub cases: Vec<Case>,
    pub scores: Vec<PageScore>,
    pub ingested: Ingested,
}

/// The renderer, in the source tree.
fn script(gold: &Path) -> PathBuf {
    gold.join("reallike/render.py")
}

/// The gold documents: every `NAME.txt` with its `NAME.json`.
fn gold_texts(gold: &Path) -> Result<Vec<PathBuf>> {
    let mut texts: Vec<PathBuf> = std::fs::read_dir(gold)
        .with_context(|| format!("{}: cannot read the gold folder", gold.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && p.with_extension("json").is_file())
        .collect();
    texts.sort();
    if texts.is_empty() {
        bail!("{}: no gold documents (NAME.txt with NAME.json)", gold.display());
    }
    Ok(texts)
}

/// Renders the PDFs (once for a given script and gold texts) and returns their folder.
fn rendered(gold: &Path, plan: &IngestPlan) -> Result<PathBuf> {
    let script = script(gold);
    let mut hasher = Sha256::new();
    hasher.update(std::fs::read(&script).with_context(|| format!("{}: cannot read the renderer", script.display()))?);
    for txt in gold_texts(gold)? {
        hasher.update(txt.file_name().unwrap_or_default().to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&txt).with_context(|| format!("{}: cannot read", txt.display()))?);
    }
    let key: String = hasher.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect();
    // Beside the scratch indexes, not among them: their pruning must not drop the renders.
    let dir = plan.work.with_file_name("eval-reallike-render").join(key);
    let done = dir.join("done");
    if !done.is_file() {
        std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
        eprintln!("vanban: rendering the gold documents as real-like scans into {} (about a minute)", dir.display());
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg(&dir)
            .arg(gold)
            .output()
            .with_context(|| format!("{}: cannot run python3 (scripts/setup.sh installs it)", script.display()))?;
        if !out.status.success() {
            bail!(
                "{}: rendering failed ({}); it needs pango-view, ImageMagick, img2pdf and the fonts scripts/setup.sh installs",
                script.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        std::fs::write(&done, b"").with_context(|| format!("{}: cannot write", done.display()))?;
    }
    Ok(dir)
}

/// One case per gold document, its PDF in `dir`.
fn load_cases(gold: &Path, dir: &Path) -> Result<Vec<Case>> {
    let mut cases = Vec::new();
    for txt in gold_texts(gold)? {
        let name = txt.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let json_path = txt.with_extension("json");
        let json = std::fs::read_to_string(&json_path).with_context(|| format!("{}: cannot read", json_path.display()))?;
        // The format `vanban eval cite` reads (`crate::cite::eval::Expected`).
        let doc: Expected = serde_json::from_str(&json).with_context(|| format!("{}: not valid gold JSON", json_path.display()))?;
        let layout_path = dir.join(format!("{name}.layout.json"));
        let layout: Layout = serde_json::from_str(
            &std::fs::read_to_string(&layout_path).with_context(|| format!("{}: cannot read (render again)", layout_path.display()))?,
        )
        .with_context(|| format!("{}: not the renderer's layout JSON", layout_path.display()))?;
        let citations = doc.citations.iter().map(gold_citation).collect();
        let m = doc.document;
        let gold_page = GoldPage {
            document: GoldHeader { doc_type: m.doc_type, id: m.id, date: m.date, issuer: m.issuer },
            citations,
            legibility: Some(if layout.handwritten_number { "handwritten-number" } else { "clean" }.to_owned()),
        };
        let transcription = Some(crate::viet::nfc(&std::fs::read_to_string(&txt).with_context(|| format!("{}: cannot read", txt.display()))?));
        let pdf = dir.join(format!("{name}.pdf"));
        cases.push(Case { set: ScanSet::GoldRealLike, name, page: 1, pdf, gold: gold_page, transcription, project_gold: true, whole_document: true });
    }
    Ok(cases)
}

/// A gold citation: its `id` is a number (it starts with a digit) or a law's name.
fn gold_citation(c: &ExpectedCitation) -> GoldCitation {
    let is_id = c.id.chars().next().is_some_and(|c| c.is_ascii_digit());
    GoldCitation {
        doc_type: c.doc_type.clone(),
        id: is_id.then(|| c.id.clone()),
        name: (!is_id).then(|| c.id.clone()),
        date: c.date.clone(),
    }
}

/// Renders (or reuses), ingests (or reuses) and scores the set.
pub fn evaluate(gold: &Path, plan: &IngestPlan) -> Result<RealLike> {
    let dir = rendered(gold, plan)?;
    let cases = load_cases(gold, &dir)?;
    let files: Vec<(ScanSet, PathBuf)> = cases.iter().map(|c| (c.set, c.pdf.clone())).collect();
    let ingested = scans::ingest_files(&files, SET_KEY, plan)?;
    let scores = scans::score_all(&cases, &ingested.records);
    let mut figures = Figures::default();
    let set = EvalSet::new(SET_KEY, format!("tests/gold real-like scans through ingest ({})", cases.len()), Split::Development);
    // Against the gold text as written: an upper bound (the header's two columns are one
    // line there, and the stamp and signature boxes are not in it).
    let mut raw = crate::repair::eval::ErrorCount::default();
    let mut repaired = crate::repair::eval::ErrorCount::default();
    for s in &scores {
        if let (Some(a), Some(b)) = (s.ser_raw, s.ser_repaired) {
            raw.add(a);
            repaired.add(b);
        }
    }
    let note = "(against the gold text: an upper bound, header columns and stamps count)";
    figures.push(Figure::new("ser.raw", &format!("syllable error rate, raw OCR {note}"), &set, Value::Rate { errors: raw.errors, of: raw.reference }));
    figures.push(Figure::new("ser.repaired", &format!("syllable error rate, repaired {note}"), &set, Value::Rate { errors: repaired.errors, of: repaired.reference }));
    scans::group_figures(&mut figures, &Group { set, members: (0..cases.len()).collect() }, &cases, &scores);
    Ok(RealLike { figures, cases, scores, ingested })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_citations_are_numbers_or_names() {
        let expected = |id: &str| ExpectedCitation { id: id.to_owned(), date: Some("2011-01-19".into()), ..Default::default() };
        let c = gold_citation(&expected("01/2011/TT-BNV"));
        assert_eq!((c.id.as_deref(), c.name.as_deref(), c.date.as_deref()), (Some("01/2011/TT-BNV"), None, Some("2011-01-19")));
        let c = gold_citation(&expected("Luật Cán bộ, công chức"));
        assert_eq!((c.id.as_deref(), c.name.as_deref()), (None, Some("Luật Cán bộ, công chức")));
    }

    /// Every gold document can be laid out by the renderer: a "Số" line and a "Nơi nhận"
    /// block, and its JSON parses (what `load_cases` reads).
    #[test]
    fn every_gold_document_has_what_the_renderer_lays_out() {
        let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold");
        let texts = gold_texts(&gold).unwrap();
        assert_eq!(texts.len(), 16);
        for txt in texts {
            let text = std::fs::read_to_string(&txt).unwrap();
            assert!(text.lines().any(|l| l.starts_with("Số")), "{}: no Số line", txt.display());
            assert!(text.lines().any(|l| l.starts_with("Nơi nhận")), "{}: no Nơi nhận", txt.display());
            let doc: Expected = serde_json::from_str(&std::fs::read_to_string(txt.with_extension("json")).unwrap()).unwrap();
            assert!(doc.document.id.is_some() && !doc.citations.is_empty(), "{}", txt.display());
        }
    }
}
