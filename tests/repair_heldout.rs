//! Held-out means held out: no line of a held-out corpus file is in the text the repair
//! models were trained on, and the committed models were built from that text.
//! Needs ../shared/corpus/legal (or VANBAN_CORPUS): fails under CI without it, and
//! otherwise says it skipped.

use std::path::{Path, PathBuf};
use vanban::repair::corpus::{self, TrainingText, MIN_SHARED_LINE_WORDS};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("VANBAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/legal"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "{}: corpus not found (CI is set, so this check must run)", dir.display());
    eprintln!("SKIPPED held-out checks: {} not found", dir.display());
    None
}

/// Whitespace runs made one space, NFC.
fn normalized(line: &str) -> String {
    vanban::viet::nfc(&line.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Words: whitespace-separated tokens with a letter or digit ("-" is not one).
fn word_count(line: &str) -> usize {
    line.split_whitespace().filter(|t| t.chars().any(char::is_alphanumeric)).count()
}

#[test]
fn no_held_out_line_is_in_the_training_text_and_the_models_were_built_from_it() {
    let Some(dir) = corpus() else { return };
    let files = corpus::list_files(&dir).unwrap();
    let held_out: Vec<_> = files.iter().filter(|f| f.held_out).collect();
    assert!(held_out.len() >= 15, "{} held-out files", held_out.len());

    // Every held-out line of 8+ words, as printed (only its spacing normalized).
    let mut patterns: Vec<String> = Vec::new();
    let mut held_out_words = 0usize;
    for f in &held_out {
        for line in corpus::read_running_text(&f.path).unwrap().lines() {
            let line = normalized(line);
            let words = word_count(&line);
            held_out_words += words;
            if words >= MIN_SHARED_LINE_WORDS {
                patterns.push(format!(" {line} "));
            }
        }
    }
    patterns.sort();
    patterns.dedup();
    let matcher = aho_corasick::AhoCorasick::new(&patterns).unwrap();
    let words_in_training = |texts: &mut dyn Iterator<Item = &str>| -> (usize, Option<String>) {
        let mut seen = vec![false; patterns.len()];
        for text in texts {
            for line in text.lines() {
                let padded = format!(" {} ", normalized(line));
                for m in matcher.find_overlapping_iter(&padded) {
                    seen[m.pattern().as_usize()] = true;
                }
            }
        }
        let found: Vec<&String> = patterns.iter().zip(&seen).filter(|(_, s)| **s).map(|(p, _)| p).collect();
        (found.iter().map(|p| word_count(p)).sum(), found.first().map(|p| p.trim().to_string()))
    };

    // The raw held-in files do share such lines (the reason for the content split)…
    let raw: Vec<String> = files.iter().filter(|f| !f.held_out).map(|f| corpus::read_running_text(&f.path).unwrap()).collect();
    let (shared_before, _) = words_in_training(&mut raw.iter().map(String::as_str));
    eprintln!(
        "held-out words in lines of {MIN_SHARED_LINE_WORDS}+ words that occur verbatim in held-in files: {shared_before} of {held_out_words} ({:.1}%)",
        100.0 * shared_before as f64 / held_out_words as f64
    );
    assert!(shared_before > 0, "the check found no shared line even in the raw files: it tests nothing");
    drop(raw);

    // …the training text has none of them.
    let training = TrainingText::read(&files).unwrap();
    let (shared_after, example) = words_in_training(&mut training.files.iter().map(|(_, t)| t.as_str()));
    assert_eq!(shared_after, 0, "held-out lines in the training text, e.g. {example:?}");

    // Nor have the lines the OCR channel's training pages are made of.
    let page_lines = vanban::repair::ocr_sample::sample_lines(&dir, vanban::repair::ocr_sample::Split::Train, 60 * 36).unwrap();
    let (in_pages, example) = words_in_training(&mut page_lines.iter().map(String::as_str));
    assert_eq!(in_pages, 0, "held-out lines on the training pages, e.g. {example:?}");

    // And the committed models were built from exactly this training text.
    let dict = Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries");
    let digest = std::fs::read_to_string(dict.join(vanban::repair::build::TRAINING_DIGEST)).unwrap();
    let committed = digest.lines().find_map(|l| l.strip_prefix("sha256\t")).expect("a sha256 row");
    assert_eq!(committed, training.digest(), "dictionaries/ were built from other training text: run `vanban dict build`");
    let listed: Vec<&str> = std::fs::read_to_string(dict.join("holdout.txt")).unwrap().leak().lines().collect();
    let expected: Vec<&str> = held_out.iter().map(|f| f.relative.as_str()).collect();
    assert_eq!(listed, expected, "dictionaries/holdout.txt lists other held-out files");
}
