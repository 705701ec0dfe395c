//! A fast subset of `vanban eval repair` with floors under the targets, so a
//! regression in the model or the decoder fails CI. Needs ../shared/corpus/legal (or
//! VANBAN_CORPUS): without it each check fails under `CI` and otherwise says it skipped
//! (see `tests/accuracy_support`).

mod accuracy_support;

use std::path::{Path, PathBuf};
use vanban::repair::eval::{evaluate_ocr, evaluate_text, EvalOptions};
use vanban::repair::ocr_sample::Reading;
use vanban::repair::Repairer;

fn corpus(check: &str) -> Option<PathBuf> {
    match std::env::var_os("VANBAN_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => accuracy_support::shared(check, "corpus/legal"),
    }
}

fn repairer() -> Repairer {
    Repairer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries")).unwrap()
}

#[test]
fn held_out_text_restoration_and_stability() {
    let check = "repair: held-out corpus text, marks restored and correct text kept";
    let Some(corpus) = corpus(check) else { return };
    let options = EvalOptions { max_files: Some(5), max_lines_per_file: 200, ocr_pages: 0, ocr_cache: PathBuf::new() };
    let report = evaluate_text(&repairer(), &corpus, &options).unwrap();
    assert_eq!(report.files, 5);
    let restored = 1.0 - report.unaccented_after.rate();
    let unchanged = 1.0 - report.correct_changed.rate();
    eprintln!("restored {restored:.4}, unchanged {unchanged:.5}");
    assert!(restored >= 0.975, "marks restored on {restored:.4} of syllables");
    assert!(unchanged >= 0.998, "correct text unchanged on {unchanged:.5} of syllables");
    accuracy_support::ran(check, &format!("restored {restored:.4}, unchanged {unchanged:.5}"));
}

/// Renders and OCRs one held-out page (cached between runs) when Tesseract is installed.
#[test]
fn held_out_ocr_page_gets_better() {
    let check = "repair: a held-out page read by Tesseract gets better";
    let Some(corpus) = corpus(check) else { return };
    if std::process::Command::new("tesseract").arg("--version").output().is_err() {
        accuracy_support::skip(check, "the tesseract command is not installed (scripts/setup.sh installs it)");
        return;
    }
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ocr-cache");
    let options = EvalOptions { max_files: Some(0), max_lines_per_file: 0, ocr_pages: 1, ocr_cache: cache };
    let figures = evaluate_ocr(&repairer(), &corpus, &options).unwrap();
    for f in &figures {
        eprintln!("{:?}: SER {:.4} → {:.4}", f.reading, f.before.rate(), f.after.rate());
        assert!(f.after.errors <= f.before.errors, "{:?} got worse", f.reading);
    }
    let legacy = figures.iter().find(|f| f.reading == Reading::Eng).unwrap();
    assert!(legacy.before.rate() > 0.5 && legacy.after.rate() <= 0.15, "legacy SER after repair {:.4}", legacy.after.rate());
    accuracy_support::ran(check, &format!("legacy SER {:.4} → {:.4}", legacy.before.rate(), legacy.after.rate()));
}

/// The real legacy text layer against its phrase reference (tests/gold): the figure
/// `vanban eval repair` prints as (e), with a floor under what it reached.
#[test]
fn real_legacy_sample_against_its_reference() {
    let check = "repair: the real legacy sample against its reference (development)";
    let Some(path) = accuracy_support::shared(check, "samples/legacy-ocr-plan-2024.txt") else { return };
    let raw = std::fs::read_to_string(path).unwrap();
    let phrases = vanban::repair::reference::read_reference(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold/legacy-sample-reference.tsv")).unwrap();
    let f = vanban::repair::reference::score(&repairer(), &raw, &phrases).unwrap();
    eprintln!("SER {:.4} → {:.4}; phrases right {} of {}", f.before.rate(), f.after.rate(), f.phrases_right_after, f.phrases);
    assert!(f.before.rate() > 0.8);
    assert!(f.after.rate() <= 0.055, "real legacy SER after repair {:.4}", f.after.rate());
    assert!(f.phrases_right_after >= 95, "{} phrases right", f.phrases_right_after);
    accuracy_support::ran(check, &format!("SER {:.4} → {:.4}", f.before.rate(), f.after.rate()));
}
