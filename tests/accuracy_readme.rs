//! The README's accuracy table is exactly what `vanban eval all --markdown` prints: every
//! figure of `eval repair`, `eval cite` and `eval scans`, each labelled development or
//! held-out, including those below target. A figure that moves (a better model, a new
//! rule) makes this test fail until the table is refreshed with
//! `vanban eval all --update-readme README.md`.
//!
//! Needs `../shared` (corpus, legacy sample, real scans): fails under `CI` without it and
//! otherwise says it skipped. Reuses the OCR cache (`target/ocr-cache`) and the real-scan
//! scratch index (`target/eval-scans`) of `vanban eval`.

mod accuracy_support;

use std::process::Command;
use vanban::eval::readme;

#[test]
fn the_readme_accuracy_table_is_what_vanban_eval_all_prints() {
    let check = "README accuracy table = `vanban eval all --markdown`";
    let repo = accuracy_support::repo();
    let readme_text = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let in_readme = readme::table(&readme_text).unwrap_or_else(|e| panic!("README.md: {e}"));
    for rel in ["corpus/legal", "samples/legacy-ocr-plan-2024.txt", "real-scans/gold"] {
        if accuracy_support::shared(check, rel).is_none() {
            return;
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .current_dir(&repo)
        .args(["--dict", "dictionaries", "eval", "all", "--markdown", "--shared"])
        .arg(accuracy_support::shared_root())
        .output()
        .expect("vanban runs");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "vanban eval all failed:\n{}", String::from_utf8_lossy(&out.stderr));
    // Every line is labelled with its split.
    for line in printed.lines().skip(2) {
        assert!(
            ["| development |", "| held-out |", "| dev+held-out |"].iter().any(|p| line.starts_with(p)),
            "unlabelled figure: {line}"
        );
    }
    let differences = readme::differences(&printed, in_readme);
    assert!(
        differences.is_empty(),
        "README.md's accuracy table is not what `vanban eval all --markdown` prints; refresh it with \
         `cargo build --release && target/release/vanban eval all --update-readme README.md`:\n{}",
        differences.join("\n")
    );
    accuracy_support::ran(check, &format!("{} figures, line for line", printed.lines().count().saturating_sub(2)));
}
