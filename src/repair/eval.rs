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

/// [`syllable_errors`] of an OCR reading of a corpus page, where the page's own text has
/// typos (`quyên lợi` for quyền lợi, `thông tỉn`, `phát triên`: the corpus prints them). A
/// reference syllable that repair of the clean page itself changes (`repaired_reference`,
/// aligned syllable for syllable) is right either as printed or as repaired: writing the
/// right Vietnamese where the page had a typo is no OCR error, and what repair does to
/// correct text is measured apart, by (d).
pub fn page_syllable_errors(reference: &str, repaired_reference: &str, hypothesis: &str) -> ErrorCount {
    let r = ser_tokens(reference);
    let fixed = ser_tokens(repaired_reference);
    let h = ser_tokens(hypothesis);
    let alternative = substitutions(&r, &fixed);
    let same = |i: usize, y: &String| r[i] == *y || alternative[i].is_some_and(|k| fixed[k] == *y);
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    let mut cur = vec![0; h.len() + 1];
    for i in 0..r.len() {
        cur[0] = i + 1;
        for (j, y) in h.iter().enumerate() {
            cur[j + 1] = (prev[j] + !same(i, y) as usize).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    ErrorCount { errors: prev[h.len()], reference: r.len() }
}

/// For each token of `a`, the token of `b` a minimal edit script substitutes for it, if any.
fn substitutions(a: &[String], b: &[String]) -> Vec<Option<usize>> {
    let mut out = vec![None; a.len()];
    for edit in edit_script(a, b) {
        if let (Some(i), Some(j)) = (edit.a, edit.b) {
            out[i] = Some(j);
        }
    }
    out
}

/// One edit of an alignment of `a` to `b`: both indices for a substitution, only `a`'s for
/// a deletion, only `b`'s for an insertion; `at` is where in `b` it stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edit {
    pub a: Option<usize>,
    pub b: Option<usize>,
    pub at: usize,
}

/// The edits of a cheapest alignment of `a` to `b`, in order; tokens left as they are are
/// not listed.
pub fn edit_script<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Edit> {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=m {
        d[0][j] = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            d[i][j] = (d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1])).min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    let (mut i, mut j) = (n, m);
    let mut out = Vec::new();
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]) {
            if a[i - 1] != b[j - 1] {
                out.push(Edit { a: Some(i - 1), b: Some(j - 1), at: j - 1 });
            }
            i -= 1;
            j -= 1;
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            out.push(Edit { a: Some(i - 1), b: None, at: j });
            i -= 1;
        } else {
            out.push(Edit { a: None, b: Some(j - 1), at: j - 1 });
            j -= 1;
        }
    }
    out.reverse();
    out
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
    // The real-like scans are read through the page pipeline in this process; Tesseract's
    // readings of them are kept beside the renders, keyed by the pixels it was given.
    let _cache = crate::ocr::cache_readings_in(&options.ocr_cache.join("tesseract"));
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

/// A page's reading and its repair, as scored.
pub struct PageReading {
    pub page: usize,
    pub source: String,
    /// The source as repair writes it (see [`page_syllable_errors`]).
    pub repaired_source: String,
    pub read: String,
    pub repaired: String,
}

/// `reading` of each page it covers, and its repair: two pages at a time (a page
/// pipeline reading is a Tesseract run when not cached).
pub fn read_pages(repairer: &Repairer, pages: &[ocr_sample::Page], reading: Reading) -> anyhow::Result<Vec<PageReading>> {
    use rayon::prelude::*;
    let covered: Vec<&ocr_sample::Page> = pages.iter().filter(|p| reading.covers(p.index())).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
    pool.install(|| {
        covered
            .par_iter()
            .with_max_len(1)
            .map(|page| {
                let read = page.read_with(reading, repairer.language_model())?;
                let repaired = repairer.repair(&read).text;
                let source = page.source_text()?;
                let repaired_source = repairer.repair(&source).text;
                Ok(PageReading { page: page.index(), source, repaired_source, read, repaired })
            })
            .collect()
    })
}

/// SER of `reading` on the pages it covers, before and after repair.
fn score_reading(repairer: &Repairer, pages: &[ocr_sample::Page], reading: Reading) -> anyhow::Result<OcrFigures> {
    let mut figures = OcrFigures { reading, pages: 0, before: ErrorCount::default(), after: ErrorCount::default(), pages_worse: 0 };
    for page in read_pages(repairer, pages, reading)? {
        let before = page_syllable_errors(&page.source, &page.repaired_source, &page.read);
        let after = page_syllable_errors(&page.source, &page.repaired_source, &page.repaired);
        figures.pages += 1;
        figures.pages_worse += (after.errors > before.errors) as usize;
        figures.before.add(before);
        figures.after.add(after);
    }
    Ok(figures)
}

/// The development (c') pages' errors as a reader sees them, for `--verbose`: per page its
/// errors before and after repair, then each stretch where the reading or its repair
/// differs from the source (`src`, `ocr`, `rep`; a few words of context on each side).
/// Development pages only: the held-out scan's pages are never printed.
pub fn development_misses(repairer: &Repairer, corpus_dir: &Path, options: &EvalOptions) -> anyhow::Result<Vec<String>> {
    let _cache = crate::ocr::cache_readings_in(&options.ocr_cache.join("tesseract"));
    let mut notes = Vec::new();
    for reading in Reading::development() {
        let pages = ocr_sample::prepare(corpus_dir, &options.ocr_cache, Split::Dev, options.ocr_pages, &[reading], 2)?;
        for page in read_pages(repairer, &pages, reading)? {
            let before = page_syllable_errors(&page.source, &page.repaired_source, &page.read);
            let after = page_syllable_errors(&page.source, &page.repaired_source, &page.repaired);
            notes.push(format!("(c') page {:03}: {} errors before repair, {} after, of {}", page.page, before.errors, after.errors, before.reference));
            let source = ser_tokens(&page.source);
            let read = ser_tokens(&page.read);
            let repaired = ser_tokens(&page.repaired);
            let to_read = alignment(&source, &read);
            let to_repaired = alignment(&source, &repaired);
            // Source positions where either side differs, grouped into stretches.
            let bad: Vec<bool> = (0..source.len() + 1).map(|i| to_read[i].1 || to_repaired[i].1).collect();
            let mut i = 0;
            while i < bad.len() {
                if !bad[i] {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < bad.len() && bad[i..(i + 3).min(bad.len())].iter().any(|&b| b) {
                    i += 1;
                }
                let (from, to) = (start.saturating_sub(2), (i + 1).min(source.len()));
                let span = |map: &[(usize, bool)], tokens: &[String]| {
                    let (a, b) = (map[from].0, map[to.min(map.len() - 1)].0);
                    tokens[a.min(tokens.len())..b.min(tokens.len()).max(a.min(tokens.len()))].join(" ")
                };
                notes.push(format!("  src: {}
  ocr: {}
  rep: {}", source[from..to].join(" "), span(&to_read, &read), span(&to_repaired, &repaired)));
            }
        }
    }
    Ok(notes)
}

/// For each source position `i` (0..=len), where it falls in `hypothesis` and whether
/// the minimal edit script changes something at it (a substitution or deletion of source
/// token `i`, or an insertion before it).
fn alignment(source: &[String], hypothesis: &[String]) -> Vec<(usize, bool)> {
    let (n, m) = (source.len(), hypothesis.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for i in 0..=n {
        d[i][0] = i;
    }
    for j in 0..=m {
        d[0][j] = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            d[i][j] = (d[i - 1][j - 1] + (source[i - 1] != hypothesis[j - 1]) as usize).min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    let mut out = vec![(0usize, false); n + 1];
    let (mut i, mut j) = (n, m);
    out[n] = (m, false);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + (source[i - 1] != hypothesis[j - 1]) as usize {
            let changed = source[i - 1] != hypothesis[j - 1];
            i -= 1;
            j -= 1;
            out[i] = (j, out[i].1 || changed);
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            i -= 1;
            out[i] = (j, true);
        } else {
            j -= 1;
            out[i].1 = true;
        }
    }
    out
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
            Reading::Pipeline(scan) if scan.name == ocr_sample::DEV_VIE_SCAN.name => (
                "c.dev-scan",
                format!("(c') page pipeline (Tesseract vie), development real-like scan {} ({} {} pt, {} DPI, colour, seal, JPEG)", scan.name, scan.font.family, scan.size_pt, scan.dpi),
            ),
            Reading::Pipeline(scan) => (
                "c.unseen-scan",
                format!("(c\") page pipeline (Tesseract vie), unseen real-like scan {} ({} {} pt, {} DPI, colour, seal, JPEG)", scan.name, scan.font.family, scan.size_pt, scan.dpi),
            ),
            Reading::VieScan(scan) => ("c.cli-scan", format!("Tesseract vie CLI, real-like scan {}", scan.name)),
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
            if options.ocr_pages > 0 {
                notes.extend(development_misses(&repairer, corpus_dir, options)?);
            }
        }
    }
    Ok((figures, notes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_edit_script_lists_substitutions_deletions_and_insertions_where_they_stand() {
        let script = super::edit_script(&["a", "b", "c", "d"], &["a", "x", "c", "e", "d"]);
        let e = |a, b, at| super::Edit { a, b, at };
        assert_eq!(script, [e(Some(1), Some(1), 1), e(None, Some(3), 3)]);
        assert_eq!(super::edit_script(&["a", "b"], &["b"]), [e(Some(0), None, 0)]);
        assert_eq!(super::substitutions(&["q".to_string(), "z".to_string()], &["q".to_string(), "y".to_string()]), [None, Some(1)]);
    }
    use super::*;

    #[test]
    fn a_typo_of_the_page_that_repair_corrects_is_right_either_way() {
        let page = "bảo vệ quyên lợi người lao động";
        let repaired_page = "bảo vệ quyền lợi người lao động";
        assert_eq!(page_syllable_errors(page, repaired_page, "bảo vệ quyên lợi người lao động").errors, 0);
        assert_eq!(page_syllable_errors(page, repaired_page, "bảo vệ quyền lợi người lao động").errors, 0);
        // Any other reading of that syllable, and every other error, still counts.
        assert_eq!(page_syllable_errors(page, repaired_page, "bảo vệ quyến lợi người lao đông").errors, 2);
        assert_eq!(page_syllable_errors(page, repaired_page, "bảo vệ quyền lợi lao động").errors, 1);
        // Without a typo it is the plain syllable error count.
        assert_eq!(page_syllable_errors(repaired_page, repaired_page, page).errors, syllable_errors(repaired_page, page).errors);
    }
}
