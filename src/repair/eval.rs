//! `vanban eval repair`: accuracy of repair on held-out whole files of the corpus, with
//! the syllable error rate (SER) of `shared/notes`: split on whitespace, strip the
//! punctuation around each token, NFC, token-level edit distance / reference tokens.
//! Both sides are written in one tone style first, since hòa and hoà are one syllable.

use std::path::Path;

use super::corpus;
use anyhow::Context;
use super::ocr_sample::{self, Reading, Split};
use super::Repairer;
use crate::eval::figure::{self, EvalSet, Figure, Figures, Target, Value};
use crate::viet::{self, ToneStyle};

/// Errors and reference length of one comparison.
#[derive(Debug, Default, Clone, Copy)]
pub struct ErrorCount {
    pub errors: usize,
    pub reference: usize,
}

impl ErrorCount {
    pub fn add(&mut self, other: ErrorCount) {
        self.errors += other.errors;
        self.reference += other.reference;
    }
    pub fn rate(&self) -> f64 {
        if self.reference == 0 {
            0.0
        } else {
            self.errors as f64 / self.reference as f64
        }
    }
}

/// The tokens SER compares.
pub fn ser_tokens(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .map(|t| {
            let casing = viet::Casing::of(t);
            match viet::Syllable::parse(t) {
                Some(s) => casing.apply(&s.write(ToneStyle::New)),
                None => viet::nfc(t),
            }
        })
        .collect()
}

/// Token-level edit distance between reference and hypothesis.
pub fn syllable_errors(reference: &str, hypothesis: &str) -> ErrorCount {
    let r = ser_tokens(reference);
    let h = ser_tokens(hypothesis);
    ErrorCount { errors: edit_distance(&r, &h), reference: r.len() }
}

pub fn edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + (x != y) as usize).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Options of the evaluation.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Evaluate at most this many held-out files (in path order).
    pub max_files: Option<usize>,
    /// Lines of running text taken from each file (long compilations would dominate).
    pub max_lines_per_file: usize,
    /// Rendered held-out pages for the OCR figures (0: skip them).
    pub ocr_pages: usize,
    /// Where rendered pages and their OCR are cached.
    pub ocr_cache: std::path::PathBuf,
}

/// Figures of the evaluation, as printed.
#[derive(Debug, Default, Clone)]
pub struct EvalReport {
    pub files: usize,
    /// (a) marks removed: errors before and after repair.
    pub unaccented_before: ErrorCount,
    pub unaccented_after: ErrorCount,
    /// (d) correct text: syllables changed.
    pub correct_changed: ErrorCount,
    /// (b), (c): OCR readings of rendered held-out pages, before and after repair.
    pub ocr: Vec<OcrFigures>,
}

/// SER of one OCR reading of the held-out pages, before and after repair.
#[derive(Debug, Clone)]
pub struct OcrFigures {
    pub reading: Reading,
    pub pages: usize,
    pub before: ErrorCount,
    pub after: ErrorCount,
    /// Pages where repair made the reading worse.
    pub pages_worse: usize,
}

/// Held-out running text, file by file: (relative path, text).
pub fn held_out_texts(corpus_dir: &Path, options: &EvalOptions) -> anyhow::Result<Vec<(String, String)>> {
    let files = corpus::list_files(corpus_dir)?;
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.held_out).take(options.max_files.unwrap_or(usize::MAX)) {
        let text = corpus::read_running_text(&f.path)?;
        let text: Vec<&str> = text.lines().take(options.max_lines_per_file).collect();
        out.push((f.relative.clone(), text.join("\n")));
    }
    Ok(out)
}

/// Runs the text-only evaluations (a) and (d).
pub fn evaluate_text(repairer: &Repairer, corpus_dir: &Path, options: &EvalOptions) -> anyhow::Result<EvalReport> {
    let mut report = EvalReport::default();
    for (_, text) in held_out_texts(corpus_dir, options)? {
        report.files += 1;
        let stripped = viet::fold(&text);
        let restored = repairer.repair(&stripped).text;
        let unchanged = repairer.repair(&text).text;
        for ((reference, stripped), (restored, unchanged)) in
            text.lines().zip(stripped.lines()).zip(restored.lines().zip(unchanged.lines()))
        {
            report.unaccented_before.add(syllable_errors(reference, stripped));
            report.unaccented_after.add(syllable_errors(reference, restored));
            report.correct_changed.add(syllable_errors(reference, unchanged));
        }
    }
    Ok(report)
}

/// Runs (b) and (c): renders and OCRs held-out pages (cached) and repairs each reading.
pub fn evaluate_ocr(repairer: &Repairer, corpus_dir: &Path, options: &EvalOptions) -> anyhow::Result<Vec<OcrFigures>> {
    if options.ocr_pages == 0 {
        return Ok(Vec::new());
    }
    let readings = Reading::evaluation();
    let pages = ocr_sample::prepare(corpus_dir, &options.ocr_cache, Split::HeldOut, options.ocr_pages, &readings, 2)?;
    let mut out = Vec::new();
    for reading in readings {
        out.push(score_reading(repairer, &pages, reading)?);
    }
    // The development counterpart of (c"): training text no channel model read, in a
    // font and resolution of its own, on which the repair may be tuned.
    let dev_readings = Reading::development();
    let dev_pages = ocr_sample::prepare(corpus_dir, &options.ocr_cache, Split::Dev, options.ocr_pages, &dev_readings, 2)?;
    for reading in dev_readings {
        out.push(score_reading(repairer, &dev_pages, reading)?);
    }
    Ok(out)
}

/// SER of `reading` on the pages it covers, before and after repair.
fn score_reading(repairer: &Repairer, pages: &[ocr_sample::Page], reading: Reading) -> anyhow::Result<OcrFigures> {
    let mut figures = OcrFigures { reading, pages: 0, before: ErrorCount::default(), after: ErrorCount::default(), pages_worse: 0 };
    for page in pages.iter().filter(|p| reading.covers(p.index())) {
        let source = page.source_text()?;
        let read = page.read(reading)?;
        let repaired = repairer.repair(&read).text;
        let before = syllable_errors(&source, &read);
        let after = syllable_errors(&source, &repaired);
        figures.pages += 1;
        figures.pages_worse += (after.errors > before.errors) as usize;
        figures.before.add(before);
        figures.after.add(after);
    }
    Ok(figures)
}

/// The figures of the report, each labelled with its set and whether the set is held out
/// (`crate::eval::figure`). The held-out corpus files are split from training by content
/// (training drops every line of 8+ words a held-out file prints).
pub fn figures(report: &EvalReport) -> Figures {
    let rate = |e: &ErrorCount| Value::Rate { errors: e.errors, of: e.reference };
    let text = EvalSet::new("corpus-held-out", format!("corpus files held out of training ({} files)", report.files), figure::Split::HeldOut);
    let mut out = Figures::default();
    out.push(Figure::new("a.before", "(a) marks removed: SER before repair", &text, rate(&report.unaccented_before)));
    out.push(Figure::new("a.after", "(a) marks removed: SER after repair", &text, rate(&report.unaccented_after)).target(Target::AtMost(0.02)));
    out.push(Figure::new("d.changed", "(d) correct text: syllables changed", &text, rate(&report.correct_changed)).target(Target::AtMost(0.001)));
    for f in &report.ocr {
        let (key, label) = match f.reading {
            Reading::Eng => ("b", "(b) legacy OCR (Tesseract eng)".to_string()),
            Reading::Vie => ("c", "(c) Tesseract vie, clean pages".to_string()),
            Reading::VieDegraded => ("c.degraded", "(c) Tesseract vie, degraded pages".to_string()),
            Reading::EngDegraded => ("b.degraded", "(b') legacy OCR (Tesseract eng), degraded pages".to_string()),
            Reading::EngScan(scan) => (
                "b.unseen-scan",
                format!("(b\") legacy OCR (Tesseract eng), unseen scan {} ({} {} pt, {} DPI)", scan.name, scan.font.family, scan.size_pt, scan.dpi),
            ),
            Reading::VieScan(scan) if scan.name == ocr_sample::DEV_VIE_SCAN.name => (
                "c.dev-scan",
                format!("(c') Tesseract vie, development real-like scan {} ({} {} pt, {} DPI, colour, seal, JPEG)", scan.name, scan.font.family, scan.size_pt, scan.dpi),
            ),
            Reading::VieScan(scan) => (
                "c.unseen-scan",
                format!("(c\") Tesseract vie, unseen real-like scan {} ({} {} pt, {} DPI, colour, seal, JPEG)", scan.name, scan.font.family, scan.size_pt, scan.dpi),
            ),
        };
        let pages = if key == "c.dev-scan" {
            EvalSet::new("corpus-dev-pages", format!("training-text pages no channel read, rendered and OCR'd ({} pages)", f.pages), figure::Split::Development)
        } else {
            EvalSet::new("corpus-held-out-pages", format!("held-out corpus pages rendered and OCR'd ({} pages)", f.pages), figure::Split::HeldOut)
        };
        out.push(Figure::new(&format!("{key}.before"), &format!("{label}: SER before repair"), &pages, rate(&f.before)));
        let after = Figure::new(&format!("{key}.after"), &format!("{label}: SER after repair"), &pages, rate(&f.after));
        // Targets: legacy readings ≤ 10% after repair; vie readings ≥ 40% fewer errors.
        let target = if key.starts_with('b') { 0.10 } else { 0.6 * f.before.rate() };
        out.push(after.target(Target::AtMost(target)));
        out.push(
            Figure::new(&format!("{key}.worse"), &format!("{label}: pages repair made worse"), &pages, Value::Rate { errors: f.pages_worse, of: f.pages })
                .target(Target::AtMost(0.0)),
        );
    }
    out
}

/// A real OCR text layer and its phrase reference (see [`super::reference`]).
#[derive(Debug, Clone)]
pub struct RealSample {
    pub text: std::path::PathBuf,
    pub reference: std::path::PathBuf,
    /// Print every phrase the repair gets wrong.
    pub verbose: bool,
}

/// The `eval repair` command: every figure, labelled; `--verbose` adds the phrases of the
/// (development) legacy sample that repair still gets wrong.
pub fn run(corpus_dir: &Path, dict_dir: &Path, options: &EvalOptions, real: Option<&RealSample>) -> anyhow::Result<(Figures, Vec<String>)> {
    let repairer = Repairer::load(dict_dir)?;
    let mut report = evaluate_text(&repairer, corpus_dir, options)?;
    report.ocr = evaluate_ocr(&repairer, corpus_dir, options)?;
    let mut figures = figures(&report);
    let mut notes = Vec::new();
    if let Some(real) = real {
        if !real.text.is_file() {
            notes.push(format!("(e) real legacy OCR: {} not found, skipped", real.text.display()));
            return Ok((figures, notes));
        }
        let raw = std::fs::read_to_string(&real.text).with_context(|| format!("{}: cannot read", real.text.display()))?;
        let phrases = super::reference::read_reference(&real.reference)?;
        let f = super::reference::score(&repairer, &raw, &phrases)?;
        // Development: the channel's manual rows and mix weight were tuned on this sample.
        let set = EvalSet::new(
            "legacy-sample",
            format!("real legacy OCR layer {}, {} reference phrases", real.text.file_name().and_then(|n| n.to_str()).unwrap_or("?"), f.phrases),
            figure::Split::Development,
        );
        let rate = |e: &ErrorCount| Value::Rate { errors: e.errors, of: e.reference };
        figures.push(Figure::new("e.before", "(e) real legacy OCR: SER before repair", &set, rate(&f.before)));
        figures.push(Figure::new("e.after", "(e) real legacy OCR: SER after repair", &set, rate(&f.after)));
        figures.push(Figure::new("e.phrases", "(e) real legacy OCR: phrases exactly right after repair", &set, Value::Share { right: f.phrases_right_after, total: f.phrases }));
        if real.verbose {
            for (line, reference, found) in &f.misses {
                notes.push(format!("  line {line}: {reference}\n       got: {found}"));
            }
        }
    }
    Ok((figures, notes))
}
