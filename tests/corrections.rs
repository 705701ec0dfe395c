//! Clerks' corrections against a real index built by the real `vanban ingest`: the journal,
//! replay on every read (show, export, search), re-ingest, undo, concurrent writers, a torn
//! last line, and the checks on values.

mod ingest_support;
use ingest_support::*;

use std::path::Path;

use vanban::corrections::{self, Edit, Field, Journal};
use vanban::index::Archive;

/// A letter of a district people's committee, with its own number and one citation.
fn letter(number: &str) -> String {
    format!(
        "ỦY BAN NHÂN DÂN\nHUYỆN SƠN TỊNH\nSố: {number}\nV/v báo cáo tình hình thực hiện kế hoạch\n\
         Sơn Tịnh, ngày 5 tháng 3 năm 2024\n\nKính gửi: Ủy ban nhân dân tỉnh\n\n\
         Thực hiện Kế hoạch số 107/KH-UBND ngày 10/3/2023 của Ủy ban nhân dân tỉnh, \
         Ủy ban nhân dân huyện báo cáo như sau.\n"
    )
}

fn setup(number: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    std::fs::write(scans.join("cv.txt"), letter(number)).unwrap();
    let index = dir.path().join("index");
    let run = ingest(&scans, &index, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    (dir, scans, index)
}

fn record_id(index: &Path) -> String {
    let docs = Archive::open_read_only(index).unwrap().records().unwrap();
    assert_eq!(docs.len(), 1);
    docs[0].id.clone()
}

fn own_numbers(index: &Path, number: &str) -> Vec<String> {
    let archive = Archive::open_read_only(index).unwrap();
    archive.find(number).unwrap().iter().filter_map(|d| d.metadata.id.as_ref().map(|id| id.to_string())).collect()
}

fn authority() -> &'static vanban::authority::Authority {
    vanban::authority::Authority::builtin()
}

#[test]
fn a_corrected_number_is_found_shown_exported_kept_over_reingest_and_undone() {
    let (_dir, scans, index) = setup("12/UBND-VP");
    let id = record_id(&index);
    assert_eq!(own_numbers(&index, "12/UBND-VP"), ["12/UBND-VP"]);

    let saved = corrections::save(&index, &id, "Lan", &[Edit::Set(Field::Number, "21/UBND-VP".into())], authority()).unwrap();
    assert_eq!(saved.entries.len(), 1);
    assert_eq!(saved.entries[0].seq, 1);
    // The index is updated at once: the corrected number finds the document, the old does not.
    assert_eq!(own_numbers(&index, "21/UBND-VP"), ["21/UBND-VP"]);
    assert!(own_numbers(&index, "12/UBND-VP").is_empty());
    let search = run(&mut vanban(&["search", "21/UBND-VP", "--json"], &index));
    assert!(search.stdout.contains("cv.txt"), "{}", search.stdout);

    // show applies the journal; the record file stays as the machine wrote it.
    let shown = run(&mut vanban(&["show", "21/UBND-VP"], &index));
    assert!(shown.stdout.contains("Number      21/UBND-VP"), "{}", shown.stdout);
    assert!(shown.stdout.contains("Corrected   số, ký hiệu: 21/UBND-VP (Lan,"), "{}", shown.stdout);
    let stored: Vec<_> = std::fs::read_dir(index.join("records")).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    assert!(stored.iter().all(|s| s.contains("12/UBND-VP") && !s.contains("21/UBND-VP")));

    // export: the corrected value, and who set it.
    let export = run(&mut vanban(&["export", "--format", "json"], &index));
    let rows: serde_json::Value = serde_json::from_str(&export.stdout).unwrap();
    let row = &rows.as_array().unwrap()[0];
    assert_eq!(row["citing_id"], "21/UBND-VP");
    assert_eq!(row["citing_corrected_by"], "số, ký hiệu (Lan)");

    // Re-ingest of a changed file keeps the correction.
    std::fs::write(scans.join("cv.txt"), letter("12/UBND-VP") + "Nơi nhận: như trên.\n").unwrap();
    assert_eq!(ingest(&scans, &index, &[]).status, 0);
    assert_eq!(own_numbers(&index, "21/UBND-VP"), ["21/UBND-VP"]);
    let doc = &Archive::open_read_only(&index).unwrap().find(&id).unwrap()[0];
    assert!(!doc.corrected[0].confirmed, "the machine still reads 12");

    // A re-ingest that now reads what the clerk set marks the correction confirmed.
    std::fs::write(scans.join("cv.txt"), letter("21/UBND-VP")).unwrap();
    assert_eq!(ingest(&scans, &index, &[]).status, 0);
    let doc = &Archive::open_read_only(&index).unwrap().find(&id).unwrap()[0];
    assert_eq!(doc.metadata.id.as_ref().unwrap().as_str(), "21/UBND-VP");
    assert!(doc.corrected[0].confirmed);

    // Undo: back to what the machine reads, in the index too; the history keeps both.
    std::fs::write(scans.join("cv.txt"), letter("12/UBND-VP")).unwrap();
    assert_eq!(ingest(&scans, &index, &[]).status, 0);
    corrections::undo(&index, &id, 1, "Hùng").unwrap();
    assert_eq!(own_numbers(&index, "12/UBND-VP"), ["12/UBND-VP"]);
    assert!(own_numbers(&index, "21/UBND-VP").is_empty());
    let journal = Journal::read(&corrections::journal::path_in(&index)).unwrap();
    assert_eq!(journal.entries.len(), 2);
    assert!(journal.is_undone(&id, 1));
    assert!(corrections::undo(&index, &id, 1, "Hùng").is_err(), "an undone correction cannot be undone twice");
}

#[test]
fn citations_are_added_corrected_deleted_and_dated_and_values_are_checked() {
    let (_dir, _scans, index) = setup("12/UBND-VP");
    let id = record_id(&index);
    let path = corrections::journal::path_in(&index);

    // Bad values: clear messages, nothing written.
    let bad = [
        Edit::Set(Field::Number, "abc".into()),
        Edit::Set(Field::Date, "31/02/2024".into()),
        Edit::Set(Field::DocType, "Thư tình".into()),
        Edit::CiteDel("999/KH-UBND".into()),
    ];
    let err = corrections::save(&index, &id, "Lan", &bad, authority()).unwrap_err();
    let invalid = err.downcast_ref::<corrections::Invalid>().expect("an Invalid");
    assert_eq!(invalid.0.len(), 4, "{invalid}");
    assert!(invalid.to_string().contains("“abc” không phải là một số, ký hiệu văn bản"), "{invalid}");
    assert!(invalid.to_string().contains("“31/02/2024” không phải là một ngày có thật"), "{invalid}");
    assert!(!path.exists() || std::fs::read(&path).unwrap().is_empty());
    // A number of another type than the document's.
    let err = corrections::save(&index, &id, "Lan", &[Edit::Set(Field::Number, "21/QĐ-UBND".into())], authority()).unwrap_err();
    assert!(err.to_string().contains("là số của một Quyết định"), "{err}");
    assert!(corrections::save(&index, &id, " ", &[Edit::Set(Field::Date, "6/3/2024".into())], authority()).is_err(), "a name is required");

    let edits = [
        Edit::Set(Field::Date, "6/3/2024".into()),
        Edit::CiteSet("107/KH-UBND".into(), "170/KH-UBND".into()),
        Edit::CiteAdd("25-NQ/TW".into()),
        Edit::CiteDate("170/KH-UBND".into(), "11/3/2023".into()),
    ];
    let err = corrections::save(&index, &id, "Lan", &edits, authority()).unwrap_err();
    assert!(err.to_string().contains("không dẫn số “170/KH-UBND”"), "a date needs the citation as it is now: {err}");
    corrections::save(&index, &id, "Lan", &edits[..3], authority()).unwrap();
    corrections::save(&index, &id, "Lan", &[Edit::CiteDate("170/KH-UBND".into(), "11/3/2023".into())], authority()).unwrap();
    let doc = &Archive::open_read_only(&index).unwrap().find(&id).unwrap()[0];
    assert_eq!(doc.metadata.date.as_deref(), Some("2024-03-06"));
    let cited: Vec<(String, Option<String>)> = doc.citations.iter().map(|c| (c.id.as_ref().unwrap().to_string(), c.date.clone())).collect();
    assert!(cited.contains(&("170/KH-UBND".into(), Some("2023-03-11".into()))), "{cited:?}");
    assert!(cited.iter().any(|(n, _)| n == "25-NQ/TW"), "{cited:?}");
    assert!(!cited.iter().any(|(n, _)| n == "107/KH-UBND"), "{cited:?}");
    // Search by a cited number finds the citing document at once.
    let search = run(&mut vanban(&["search", "170/KH-UBND", "--json"], &index));
    assert!(search.stdout.contains("cv.txt"), "{}", search.stdout);
    let export = run(&mut vanban(&["export", "--format", "json"], &index));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&export.stdout).unwrap();
    let added = rows.iter().find(|r| r["cited_id"] == "25-NQ/TW").expect("the added citation is exported");
    assert_eq!(added["cited_corrected_by"], "Lan");

    // A citation's type: checked against the types that exist and against its number.
    let err = corrections::save(&index, &id, "Lan", &[Edit::CiteType("170/KH-UBND".into(), "Quyết định".into())], authority()).unwrap_err();
    assert!(err.to_string().contains("là số của một Kế hoạch"), "{err}");
    let err = corrections::save(&index, &id, "Lan", &[Edit::CiteType("170/KH-UBND".into(), "Thư tình".into())], authority()).unwrap_err();
    assert!(err.to_string().contains("không phải là một loại văn bản đã biết"), "{err}");
    // A law added by its number alone: the number does not say its type, the clerk does.
    corrections::save(&index, &id, "Lan", &[Edit::CiteAdd("45/2013/QH13".into())], authority()).unwrap();
    let fixed = run(&mut vanban(&["fix", &id, "--cite-type", "45/2013/QH13=luật", "--cite-date", "45/2013/QH13=29/11/2013", "--by", "Hùng"], &index));
    assert_eq!(fixed.status, 0, "{}", fixed.stderr);
    assert!(fixed.stdout.contains("loại của văn bản được dẫn 45/2013/QH13"), "{}", fixed.stdout);
    let doc = &Archive::open_read_only(&index).unwrap().find(&id).unwrap()[0];
    let law = doc.citations.iter().find(|c| c.id.as_ref().is_some_and(|i| i.as_str() == "45/2013/QH13")).expect("the added citation");
    assert_eq!((law.doc_type.as_str(), law.date.as_deref()), ("Luật", Some("2013-11-29")));
    // The form sends the dates back as it shows them (day first): no edit.
    let err = corrections::save(&index, &id, "Lan", &[Edit::CiteDate("170/KH-UBND".into(), "11/03/2023".into())], authority()).unwrap_err();
    assert!(err.to_string().contains("Không có gì thay đổi"), "{err}");

    corrections::save(&index, &id, "Lan", &[Edit::CiteDel("25-NQ/TW".into())], authority()).unwrap();
    let doc = &Archive::open_read_only(&index).unwrap().find(&id).unwrap()[0];
    assert!(!doc.citations.iter().any(|c| c.id.as_ref().is_some_and(|i| i.as_str() == "25-NQ/TW")));
    // Saving what is already there says so.
    let err = corrections::save(&index, &id, "Lan", &[Edit::Set(Field::Date, "6/3/2024".into())], authority()).unwrap_err();
    assert!(err.to_string().contains("Không có gì thay đổi"), "{err}");
}

#[test]
fn two_clerks_saving_at_once_both_corrections_are_kept_in_order() {
    let (_dir, _scans, index) = setup("12/UBND-VP");
    let id = record_id(&index);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let handles: Vec<_> = [("Lan", Edit::Set(Field::Signer, "Nguyễn Văn A".into())), ("Hùng", Edit::Set(Field::Date, "7/3/2024".into()))]
        .into_iter()
        .map(|(who, edit)| {
            let (index, id, barrier) = (index.clone(), id.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                corrections::save(&index, &id, who, &[edit], authority()).map(|s| s.entries[0].seq)
            })
        })
        .collect();
    let mut seqs: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap().expect("both saves succeed")).collect();
    seqs.sort();
    assert_eq!(seqs, [1, 2]);
    let doc = &Archive::open_read_only(&index).unwrap().find(&id).unwrap()[0];
    assert_eq!(doc.metadata.signer.as_deref(), Some("Nguyễn Văn A"));
    assert_eq!(doc.metadata.date.as_deref(), Some("2024-03-07"));
    assert_eq!(own_numbers(&index, "12/UBND-VP"), ["12/UBND-VP"], "the index still holds the document once");
    assert_eq!(Archive::open_read_only(&index).unwrap().records().unwrap().len(), 1);
}

#[test]
fn a_torn_last_line_loses_only_itself() {
    let (_dir, _scans, index) = setup("12/UBND-VP");
    let id = record_id(&index);
    corrections::save(&index, &id, "Lan", &[Edit::Set(Field::Signer, "Nguyễn Văn A".into())], authority()).unwrap();
    let path = corrections::journal::path_in(&index);
    // A crash in the middle of the next write.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(br#"{"seq":2,"at":"2026-12-02T04:00:00Z","by":"Lan","record":""#);
    std::fs::write(&path, bytes).unwrap();
    let shown = run(&mut vanban(&["show", "12/UBND-VP"], &index));
    assert_eq!(shown.status, 0, "{}", shown.stderr);
    assert!(shown.stdout.contains("Nguyễn Văn A"));
    assert!(shown.stderr.contains("không đọc được"), "a warning names the torn line: {}", shown.stderr);
    // The next save starts on a line of its own and gets the next number.
    let fix = run(&mut vanban(&["fix", "12/UBND-VP", "--date", "8/3/2024", "--by", "Hùng"], &index));
    assert_eq!(fix.status, 0, "{}", fix.stderr);
    assert!(fix.stdout.contains("#2"), "{}", fix.stdout);
    let history = run(&mut vanban(&["fix", "12/UBND-VP", "--history"], &index));
    assert!(history.stdout.contains("Lan") && history.stdout.contains("Hùng"), "{}", history.stdout);
    let doc = &Archive::open_read_only(&index).unwrap().find(&id).unwrap()[0];
    assert_eq!(doc.metadata.signer.as_deref(), Some("Nguyễn Văn A"));
    assert_eq!(doc.metadata.date.as_deref(), Some("2024-03-08"));
}
