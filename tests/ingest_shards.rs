//! `vanban ingest --shard K/N --records-out OUT` and `--files-from LIST`, on the real binary:
//! N shards split a folder between them (each file in exactly one), a rerun skips what a
//! shard finished, and a file list names its files relative to the folder or absolutely.

mod ingest_support;
use ingest_support::*;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A folder of small OCR text files in nested boxes, plus the corpus's legacy OCR text.
fn text_archive(dir: &Path, files: usize) -> PathBuf {
    let scans = dir.join("lưu trữ");
    for i in 0..files {
        let sub = scans.join(format!("hộp {:02}", i % 4));
        std::fs::create_dir_all(&sub).unwrap();
        let body = format!("Số: {i}/UBND-VP\nV/v báo cáo tình hình số hóa tài liệu\nKính gửi: Sở Nội vụ\n{}", "Nội dung. ".repeat(i));
        std::fs::write(sub.join(format!("cv-{i}.txt")), body).unwrap();
    }
    copy_corpus(&scans, &["tb-45-hu-legacy-ocr.txt"]);
    scans
}

/// The record files in a records folder (names only), and no half-written temporary file.
fn record_names(out: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(out).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(!name.starts_with('.'), "a temporary file was left behind: {name}");
        assert!(name.ends_with(".json"), "{name}");
        names.insert(name);
    }
    names
}

fn ingest_records(scans: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["ingest", scans.to_str().unwrap(), "--jobs", "2", "--records-out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    // No index may appear: point --index somewhere that must stay absent.
    run(&mut vanban(&args, &out.with_extension("no-index")))
}

#[test]
fn shards_are_disjoint_cover_the_folder_and_write_records_only() {
    let dir = tempfile::tempdir().unwrap();
    let scans = text_archive(dir.path(), 30);
    let all = dir.path().join("all");
    let whole = ingest_records(&scans, &all, &[]);
    assert_eq!(whole.status, 0, "{}", whole.stderr);
    assert_eq!(summary(&whole.stdout), (31, 31, 0, 0));
    let expected = record_names(&all);
    assert_eq!(expected.len(), 31);
    assert!(!all.with_extension("no-index").exists(), "--records-out writes no index");

    let mut union = BTreeSet::new();
    let mut total = 0;
    for k in 0..3 {
        let out = dir.path().join(format!("shard-{k}"));
        let shard = ingest_records(&scans, &out, &["--shard", &format!("{k}/3")]);
        assert_eq!(shard.status, 0, "{}", shard.stderr);
        let names = record_names(&out);
        assert!(!names.is_empty(), "shard {k} of 3 took no file of 31");
        assert_eq!(summary(&shard.stdout).0, names.len());
        assert!(union.is_disjoint(&names), "shard {k} wrote a record another shard wrote");
        total += names.len();
        union.extend(names);
    }
    assert_eq!(total, 31);
    assert_eq!(union, expected, "the shards together wrote exactly the records of a whole run");

    // Each record is the file's, under the name the index's records folder gives it.
    let cv = scans.join("hộp 01/cv-5.txt");
    let id = vanban::ingest::record_id(&cv.canonicalize().unwrap());
    let sha = vanban::ingest::sha256_file(&cv).unwrap();
    let doc: vanban::record::Document = serde_json::from_slice(&std::fs::read(all.join(format!("{id}@{}.json", &sha[..16]))).unwrap()).unwrap();
    assert_eq!(doc.metadata.id.map(|n| n.to_string()).as_deref(), Some("5/UBND-VP"));

    // Bad shards are refused before any work.
    for bad in ["3/3", "1", "x/2"] {
        let refused = ingest_records(&scans, &dir.path().join("bad"), &["--shard", bad]);
        assert_eq!(refused.status, 2, "{bad}: {}", refused.stderr);
        assert!(refused.stderr.contains("K/N"), "{}", refused.stderr);
    }
}

#[test]
fn a_rerun_skips_finished_files_and_redoes_a_missing_or_changed_one() {
    let dir = tempfile::tempdir().unwrap();
    let scans = text_archive(dir.path(), 12);
    let out = dir.path().join("records");
    let first = ingest_records(&scans, &out, &["--shard", "0/2"]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    let (done, _, _, _) = summary(&first.stdout);
    let names = record_names(&out);
    assert_eq!(names.len(), done);

    let again = ingest_records(&scans, &out, &["--shard", "0/2"]);
    assert_eq!(summary(&again.stdout), (0, 0, done, 0), "nothing is done twice: {}", again.stdout);
    assert_eq!(record_names(&out), names);

    // A worker killed before its rename leaves no record: the rerun writes just that one.
    let lost = names.iter().next().unwrap().clone();
    std::fs::remove_file(out.join(&lost)).unwrap();
    let resumed = ingest_records(&scans, &out, &["--shard", "0/2"]);
    assert_eq!(summary(&resumed.stdout), (1, 1, done - 1, 0), "{}", resumed.stdout);
    assert_eq!(record_names(&out), names);
}

#[test]
fn a_file_list_takes_relative_and_absolute_paths_and_reports_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let scans = text_archive(dir.path(), 8);
    let list = dir.path().join("batch-0001.txt");
    let absolute = scans.join("hộp 02/cv-2.txt");
    std::fs::write(
        &list,
        format!("hộp 01/cv-1.txt\n\n{}\r\nhộp 03/không-có.txt\ntb-45-hu-legacy-ocr.txt\n", absolute.display()),
    )
    .unwrap();
    let out = dir.path().join("records");
    let listed = ingest_records(&scans, &out, &["--files-from", list.to_str().unwrap()]);
    assert_eq!(listed.status, 3, "a missing file fails the batch's exit status: {}", listed.stderr);
    assert_eq!(summary(&listed.stdout), (3, 3, 0, 1), "{}", listed.stdout);
    let missing = listed.stderr.lines().find(|l| l.contains("không-có.txt")).unwrap_or_else(|| panic!("{}", listed.stderr));
    assert!(missing.contains("does not exist"), "{missing}");
    let sources: BTreeSet<String> = record_names(&out)
        .iter()
        .map(|name| {
            let doc: vanban::record::Document = serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap();
            Path::new(&doc.source_path).file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    assert_eq!(sources, BTreeSet::from(["cv-1.txt".to_owned(), "cv-2.txt".to_owned(), "tb-45-hu-legacy-ocr.txt".to_owned()]));

    // A list that cannot be read stops the batch with a message naming it.
    let gone = ingest_records(&scans, &out, &["--files-from", "/nonexistent/list.txt"]);
    assert_eq!(gone.status, 1);
    assert!(gone.stderr.contains("/nonexistent/list.txt"), "{}", gone.stderr);
}
