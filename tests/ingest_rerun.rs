//! Reruns against a real index: unchanged files are skipped by hash, a changed file
//! replaces its record, and an ingest killed midway leaves a readable index that a
//! rerun completes without duplicates.

mod ingest_support;
use ingest_support::*;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use vanban::index::Archive;
use vanban::record::Document;

fn committed(index: &Path) -> Vec<Document> {
    Archive::open_read_only(index).expect("the index opens read-only").records().expect("records are readable")
}

fn assert_one_record_per_file(docs: &[Document], files: usize) {
    let paths: HashSet<&str> = docs.iter().map(|d| d.source_path.as_str()).collect();
    let ids: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(docs.len(), files, "{paths:?}");
    assert_eq!(paths.len(), files, "no duplicate paths");
    assert_eq!(ids.len(), files, "no duplicate ids");
}

#[test]
fn unchanged_files_are_skipped_and_a_changed_file_replaces_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    copy_corpus(&scans, &["qd-1582-ubnd.png", "tb-45-hu-legacy-ocr.txt"]);
    std::fs::write(scans.join("cv-12.txt"), "Số: 12/UBND-VP\nV/v báo cáo\n").unwrap();
    let index = dir.path().join("index");

    let first = ingest(&scans, &index, &[]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    assert_eq!(summary(&first.stdout), (3, 3, 0, 0));
    assert_one_record_per_file(&committed(&index), 3);

    let again = ingest(&scans, &index, &[]);
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert_eq!(summary(&again.stdout), (0, 0, 3, 0), "nothing is OCR'd twice");

    std::fs::write(scans.join("cv-12.txt"), "Số: 13/UBND-VP\nV/v báo cáo bổ sung\n").unwrap();
    let changed = ingest(&scans, &index, &[]);
    assert_eq!(summary(&changed.stdout), (1, 1, 2, 0));
    let docs = committed(&index);
    assert_one_record_per_file(&docs, 3);
    let cv = docs.iter().find(|d| d.source_path.ends_with("cv-12.txt")).unwrap();
    assert!(cv.pages[0].raw_text.contains("13/UBND-VP"), "the new content replaced the old");
    assert_eq!(cv.sha256, vanban::ingest::sha256_file(&scans.join("cv-12.txt")).unwrap());
}

#[test]
fn an_ingest_killed_midway_is_finished_by_a_rerun_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    // Many small text files commit in several batches; the scans keep the run going.
    for i in 0..40 {
        let sub = scans.join(format!("hộp {:02}", i / 10));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("cv-{i}.txt")), format!("Số: {i}/UBND-VP\nKính gửi: Sở Nội vụ\n")).unwrap();
    }
    copy_corpus(&scans, &["qd-1582-ubnd.png", "cv-3456-ubnd.jpg", "bc-312-hu.tif"]);
    let files = 43;
    let index = dir.path().join("index");

    let mut child = vanban(&["ingest", scans.to_str().unwrap(), "--jobs", "2"], &index)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill once the first commit is visible (or after a while, whichever comes first).
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if Archive::open_read_only(&index).and_then(|a| a.records()).is_ok_and(|r| !r.is_empty()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    // Whatever was committed is readable and has no duplicates.
    if let Ok(archive) = Archive::open_read_only(&index) {
        let partial = archive.records().unwrap();
        assert!(partial.len() <= files);
        let paths: HashSet<&str> = partial.iter().map(|d| d.source_path.as_str()).collect();
        assert_eq!(paths.len(), partial.len());
    }

    let rerun = ingest(&scans, &index, &[]);
    assert_eq!(rerun.status, 0, "{}", rerun.stderr);
    let (ingested, _, unchanged, failed) = summary(&rerun.stdout);
    assert_eq!((ingested + unchanged, failed), (files, 0));
    assert_one_record_per_file(&committed(&index), files);

    let last = ingest(&scans, &index, &[]);
    assert_eq!(summary(&last.stdout), (0, 0, files, 0));
}

/// A plan whose day was never filled in, and a report citing it with its date: after the
/// ingest the plan's date is the one the report gives, shown as inferred and flagged (one
/// witness, not the page), and a rerun leaves it so (the citation counted once).
#[test]
fn a_document_citing_another_with_its_date_dates_it() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    std::fs::write(
        scans.join("kh-58.txt"),
        "ỦY BAN NHÂN DÂN\nHUYỆN ĐỒNG PHÚ\nSố: 58/KH-UBND          Đồng Phú, ngày ..... tháng ..... năm 2025\n\nKẾ HOẠCH\nCải cách hành chính năm 2025\n\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n",
    )
    .unwrap();
    std::fs::write(
        scans.join("bc-7.txt"),
        "ỦY BAN NHÂN DÂN\nHUYỆN ĐỒNG PHÚ\nSố: 7/BC-UBND          Đồng Phú, ngày 20 tháng 3 năm 2025\n\nBÁO CÁO\nKết quả cải cách hành chính quý I năm 2025\n\nThực hiện Kế hoạch số 58/KH-UBND ngày 14/02/2025 của Ủy ban nhân dân huyện về cải cách hành chính năm 2025, Ủy ban nhân dân huyện báo cáo như sau:\n",
    )
    .unwrap();
    let index = dir.path().join("index");
    let check = || {
        let docs = committed(&index);
        let plan = docs.iter().find(|d| d.source_path.ends_with("kh-58.txt")).unwrap();
        let m = &plan.metadata;
        assert_eq!(m.date.as_deref(), Some("2025-02-14"), "{m:#?}");
        let e = m.evidence.date.as_ref().unwrap();
        assert!(e.needs_review && e.origin == vanban::header::Origin::Inferred, "{e:#?}");
        let cited: Vec<&str> = e.sources().iter().filter(|s| s.kind == vanban::header::EvidenceKind::CitedBy).map(|s| s.text.as_str()).collect();
        assert_eq!(cited, ["Báo cáo 7/BC-UBND trích ngày 2025-02-14"]);
        assert!(!m.flags.iter().any(|f| ::vanban::cite::flag::is_date_illegible(f)), "{:?}", m.flags);
        let shown = run(&mut vanban(&["show", "58/KH-UBND"], &index));
        assert!(shown.stdout.contains("2025-02-14") && shown.stdout.contains("văn bản khác trích dẫn"), "{}", shown.stdout);
    };
    let out = ingest(&scans, &index, &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    check();
    // A new file in a later batch: the weighing runs again from what the page gave.
    std::fs::write(scans.join("cv-9.txt"), "Số: 9/UBND-VP\nV/v báo cáo\n").unwrap();
    let out = ingest(&scans, &index, &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    check();
}
