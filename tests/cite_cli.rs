//! `vanban extract` as a clerk runs it: on a text file, and on the shared legacy OCR sample.

mod accuracy_support;

use std::path::PathBuf;
use std::process::Command;

fn vanban() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn extract_json(path: &std::path::Path) -> serde_json::Value {
    let out = vanban().arg("extract").arg(path).arg("--json").output().expect("vanban runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn extract_json_has_the_documented_fields() {
    let json = extract_json(&repo().join("tests/gold/01-qd-ubnd-quy-che.txt"));
    assert_eq!(json["document"]["id"], "1582/QĐ-UBND");
    assert_eq!(json["document"]["date"], "2025-03-17");
    let citations = json["citations"].as_array().unwrap();
    let decree = citations.iter().find(|c| c["id"] == "30/2020/NĐ-CP").expect("30/2020/NĐ-CP cited");
    for field in ["type", "id", "number", "year", "symbol", "date", "issuer", "subject", "relation", "raw", "page", "line", "start", "end", "context"] {
        assert!(decree.get(field).is_some(), "missing {field}");
    }
    assert_eq!(decree["type"], "Nghị định");
    assert_eq!(decree["year"], 2020);
    assert_eq!(decree["symbol"], "NĐ-CP");
    assert_eq!(decree["date"], "2020-03-05");
    assert_eq!(decree["issuer"], "Chính phủ");
    assert_eq!(decree["relation"], "can_cu");
    assert_eq!(decree["subject"], "công tác văn thư");
    // The replaced decision, and the short form "… nêu trên" kept as its own occurrence.
    assert!(citations.iter().any(|c| c["id"] == "12/2019/QĐ-UBND" && c["relation"] == "thay_the"));
    assert_eq!(citations.iter().filter(|c| c["id"] == "61/2018/NĐ-CP").count(), 2);
    // "Quyết định này" is the document itself.
    assert!(citations.iter().all(|c| c["id"] != "1582/QĐ-UBND"));
}

#[test]
fn the_legacy_ocr_sample_yields_its_citations_with_canonical_ids() {
    let check = "extract CLI: the real legacy sample's citations";
    let Some(sample) = accuracy_support::shared(check, "samples/legacy-ocr-plan-2024.txt") else { return };
    let json = extract_json(&sample);
    let ids: Vec<&str> = json["citations"].as_array().unwrap().iter().filter_map(|c| c["id"].as_str()).collect();
    for want in ["107/KH-UBND", "25-NQ/TW", "33/CT-TTg", "217-QĐ/TW", "218-QĐ/TW", "31-KH/TU", "37-TT/TU", "76/NQ-CP", "3225/QĐ-UBND"] {
        assert!(ids.contains(&want), "{want} not in {ids:?}");
    }
    // Its own number is damaged ("%4/KH~VP"): kept as far as legible, and flagged.
    let flags = json["document"]["flags"].as_array().unwrap();
    assert!(flags.iter().any(|f| vanban::cite::flag::is_number_illegible(f.as_str().unwrap())), "{flags:?}");
    assert_eq!(json["document"]["type"], "Kế hoạch");
    accuracy_support::ran(check, &format!("{} ids extracted", ids.len()));
}

#[test]
fn a_file_that_is_not_text_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.bin");
    std::fs::write(&path, [b'S', 0xc3, 0x28, 0xa0, 0xa1, b'\n']).unwrap();
    let out = vanban().arg("extract").arg(&path).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("scan.bin") && stderr.contains("UTF-8"), "{stderr}");
}
