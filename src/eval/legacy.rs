//! The held-out legacy-OCR sample (`tests/gold/held-out-legacy/`): directives written for
//! vanban, rendered in fonts no training page uses, degraded, and read by Tesseract `eng`
//! as old PDFs' text layers were made. Scored here as `vanban eval repair` line (f):
//! syllable error rate of the reading before and after repair against the printed text.
//!
//! Held out: nobody tunes the channel, the decoder or the extractor on these files, so this
//! is the legacy figure a new archive can expect (line (e), the shared sample, was tuned on).

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

use super::figure::{EvalSet, Figure, Figures, Split, Value};
use crate::repair::eval::{syllable_errors, ErrorCount};
use crate::repair::Repairer;

/// The sample's documents: (name, reading, reference), in name order.
pub fn load(dir: &Path) -> Result<Vec<(String, String, String)>> {
    let mut readings: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read the held-out legacy sample", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".ocr.txt")))
        .collect();
    readings.sort();
    let mut out = Vec::new();
    for path in readings {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().trim_end_matches(".ocr.txt").to_owned();
        let reference_path = dir.join(format!("{name}.ref.txt"));
        let read = |p: &Path| std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()));
        out.push((name, read(&path)?, read(&reference_path)?));
    }
    Ok(out)
}

/// Line (f): SER before and after repair, summed over the documents; and beside it, when
/// the development set made the same way (`dev-legacy/`, a sibling of `dir`) is there,
/// line (f-dev), the figure one may tune on.
pub fn figures(repairer: &Repairer, dir: &Path) -> Result<Figures> {
    let docs = load(dir)?;
    let mut out = Figures::default();
    let set = EvalSet::new(
        "held-out-legacy",
        format!("legacy OCR (Tesseract eng) of our own directives, tests/gold/held-out-legacy ({} documents)", docs.len()),
        Split::HeldOut,
    );
    push_lines(&mut out, repairer, &docs, &set, "f", "(f) held-out legacy OCR");
    let dev_dir = dir.with_file_name("dev-legacy");
    if dev_dir.is_dir() {
        let dev = load(&dev_dir)?;
        let set = EvalSet::new(
            "dev-legacy",
            format!("legacy OCR (Tesseract eng) of our own directives, tests/gold/dev-legacy ({} documents)", dev.len()),
            Split::Development,
        );
        push_lines(&mut out, repairer, &dev, &set, "f-dev", "(f-dev) development legacy OCR");
    }
    Ok(out)
}

/// `KEY.before` and `KEY.after`: the SER of the readings and of their repair.
fn push_lines(out: &mut Figures, repairer: &Repairer, docs: &[(String, String, String)], set: &EvalSet, key: &str, label: &str) {
    let (mut before, mut after) = (ErrorCount::default(), ErrorCount::default());
    for (_, reading, reference) in docs {
        before.add(syllable_errors(reference, reading));
        after.add(syllable_errors(reference, &repairer.repair(reading).text));
    }
    out.push(Figure::new(&format!("{key}.before"), &format!("{label}: SER before repair"), set, Value::Rate { errors: before.errors, of: before.reference }));
    out.push(
        Figure::new(&format!("{key}.after"), &format!("{label}: SER after repair"), set, Value::Rate { errors: after.errors, of: after.reference })
            .target(super::figure::Target::AtMost(0.10)),
    );
}
