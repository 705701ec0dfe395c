//! `vanban eval scans` in CI: the real ingest pipeline on the real scans of
//! `../shared/real-scans`, with floors at the levels measured when this test was written
//! (a ratchet: whoever improves a figure raises its floor here). Fails under `CI` when the
//! scans are missing. The scratch index lives in `target/eval-scans` and is reused while
//! the binary and the dictionaries are unchanged.

mod accuracy_support;

use std::process::Command;

/// (set, figure, floor or ceiling): shares must stay ≥, error rates ≤.
const FLOORS: &[(&str, &str, f64)] = &[
    ("quangngai-transcribed", "ser.raw", 0.0473),
    ("quangngai-transcribed", "ser.repaired", 0.0195),
    ("nomvn-transcribed", "ser.raw", 0.1567),
    ("nomvn-transcribed", "ser.repaired", 0.1259),
    ("all-gold", "own.number", 0.923),
    ("all-gold", "own.number_wrong_unflagged", 0.0),
    ("all-gold", "own.date", 0.923),
    ("all-gold", "own.type", 1.0),
    ("all-gold", "own.issuer", 1.0),
    ("all-gold", "cite.recall", 0.965),
    ("all-gold", "cite.precision", 0.975),
    ("all-gold", "cite.date", 0.984),
    ("all-gold", "cite.type", 0.975),
    ("all-gold", "cite.wrong_correction", 0.01),
    // The extended development set: the 7 shared Quảng Ngãi pages and the project's own
    // gold of the other 30 files (tests/gold/real-dev), on an index of its own.
    ("quangngai-extended", "own.number", 0.972),
    ("quangngai-extended", "own.number_wrong_unflagged", 0.0),
    ("quangngai-extended", "own.date", 0.972),
    ("quangngai-extended", "own.type", 1.0),
    ("quangngai-extended", "own.issuer", 1.0),
    ("quangngai-extended", "cite.recall", 0.984),
    ("quangngai-extended", "cite.precision", 0.989),
    ("quangngai-extended", "cite.date", 0.988),
    ("quangngai-extended", "cite.type", 0.994),
    ("quangngai-extended", "cite.wrong_correction", 0.0),
    // The digit reader alone, on the pages whose own number and day are handwritten.
    ("quangngai-extended", "digits.number", 0.838),
    ("quangngai-extended", "digits.day", 0.838),
    // tests/gold rendered as real-like scans (tests/gold/reallike/render.py) and ingested.
    ("gold-reallike", "own.number", 0.875),
    ("gold-reallike", "own.number_wrong_unflagged", 0.0),
    ("gold-reallike", "own.date", 1.0),
    ("gold-reallike", "own.type", 1.0),
    ("gold-reallike", "own.issuer", 0.5),
    ("gold-reallike", "cite.recall", 0.989),
    ("gold-reallike", "cite.precision", 0.989),
    ("gold-reallike", "cite.date", 0.975),
    ("gold-reallike", "cite.type", 0.989),
];

/// One run at a time: both tests share the scratch index (one writer at a time).
static SCRATCH: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn eval(scans: &std::path::Path, extra: &[&str]) -> (String, String) {
    let _one_at_a_time = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--dict", concat!(env!("CARGO_MANIFEST_DIR"), "/dictionaries"), "eval", "scans", "--scans"])
        .arg(scans)
        .args(extra)
        .output()
        .expect("vanban runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "vanban eval scans failed:\n{stderr}");
    (stdout, stderr)
}

#[test]
fn real_scans_stay_at_or_above_their_floors() {
    let Some(scans) = accuracy_support::shared("real scans (vanban eval scans)", "real-scans") else { return };
    let (json, stderr) = eval(&scans, &["--json"]);
    assert!(stderr.contains("0 failed"), "a gold page's file failed to ingest:\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(&json).expect("--json prints JSON");
    let figures = report["figures"].as_array().expect("figures");
    // Every figure carries its set and whether that set is held out.
    for f in figures {
        let split = f["set"]["split"].as_str().unwrap();
        assert!(["development", "held-out", "dev+held-out"].contains(&split), "{f}");
    }
    let mut below = Vec::new();
    let mut summary = Vec::new();
    for (set, key, limit) in FLOORS {
        let f = figures
            .iter()
            .find(|f| f["set"]["key"] == *set && f["key"] == *key)
            .unwrap_or_else(|| panic!("vanban eval scans no longer prints {set} {key}"));
        let v = &f["value"];
        let (value, is_rate) = match v["kind"].as_str().unwrap() {
            "share" => (v["right"].as_f64().unwrap() / v["total"].as_f64().unwrap().max(1.0), false),
            "rate" => (v["errors"].as_f64().unwrap() / v["of"].as_f64().unwrap().max(1.0), true),
            other => panic!("unexpected value kind {other}"),
        };
        let ok = if is_rate { value <= *limit + 1e-9 } else { value >= *limit - 1e-9 };
        summary.push(format!("{set} {key} {value:.4}"));
        if !ok {
            below.push(format!("{set} {key}: {value:.4}, {} {limit}", if is_rate { "ceiling" } else { "floor" }));
        }
    }
    assert!(below.is_empty(), "real-scan figures fell past their floors:\n{}", below.join("\n"));
    // The extended block is development material and says how many pages it has.
    let extended: Vec<_> = figures.iter().filter(|f| f["set"]["key"] == "quangngai-extended").collect();
    assert!(!extended.is_empty(), "the extended development block is missing");
    for f in extended {
        assert_eq!(f["set"]["split"], "development", "{f}");
        let name = f["set"]["name"].as_str().unwrap();
        assert!(name.contains("extended") && name.contains("pages"), "{name}");
    }
    accuracy_support::ran("real scans (vanban eval scans)", &summary.join("; "));
}

/// `--verbose` lists the misses of development pages only: no held-out page is named.
#[test]
fn verbose_never_names_a_held_out_page() {
    let Some(scans) = accuracy_support::shared("real scans, held-out pages stay aggregate", "real-scans") else { return };
    let (text, _) = eval(&scans, &["--verbose"]);
    assert!(text.contains("quangngai/280-BC:"), "development pages are listed:\n{text}");
    let extended = text.split("Extended development set, misses:").nth(1).unwrap_or_else(|| panic!("no extended section:\n{text}"));
    assert!(extended.contains("quangngai/51-QD-UB:"), "the project-gold pages are listed:\n{extended}");
    for entry in std::fs::read_dir(scans.join("gold/nomvn")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().trim_end_matches(".p1.json").to_owned();
        assert!(!text.contains(&name), "held-out page {name} printed by --verbose");
    }
    for line in text.lines().take_while(|l| !l.is_empty()) {
        assert!(["development ", "held-out ", "dev+held-out "].iter().any(|p| line.starts_with(p)), "unlabelled figure: {line}");
    }
    accuracy_support::ran("real scans, held-out pages stay aggregate", "verbose output names no held-out page");
}
