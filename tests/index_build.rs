//! `vanban index build --records DIR…` on the real binary, real Tesseract and a real
//! tantivy index: the sample corpus ingested as two shards into record folders and built
//! into an index is the archive a plain `vanban ingest` makes (search, show, export), a
//! rerun changes nothing, and a folder left out drops its records.

mod ingest_support;
use ingest_support::*;
mod shards_support;
use shards_support::*;

#[test]
fn two_shards_built_into_one_index_equal_a_plain_ingest_and_a_rerun_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    copy_corpus(&scans, CORPUS);
    let plain = dir.path().join("plain-index");
    ok(ingest(&scans, &plain, &[]));

    let built = dir.path().join("built-index");
    let mut folders = Vec::new();
    for k in 0..2 {
        let out = dir.path().join(format!("records-{k}"));
        let shard = ok(ingest(&scans, &built, &["--shard", &format!("{k}/2"), "--records-out", out.to_str().unwrap()]));
        assert!(summary(&shard.stdout).0 > 0, "shard {k} of 2 took no file of the corpus: {}", shard.stdout);
        folders.push(out.to_str().unwrap().to_owned());
    }
    assert!(!built.exists(), "shards write no index");
    let mut build_args = vec!["index", "build", "--records"];
    build_args.extend(folders.iter().map(String::as_str));
    let first = ok(run(&mut vanban(&build_args, &built)));
    assert!(first.stdout.starts_with("indexed 5 new and 0 changed record(s), 0 unchanged, 0 dropped"), "{}", first.stdout);

    let expected = observed(&plain);
    assert_eq!(expected.len(), 2 + CORPUS.len() + QUERIES.len());
    assert!(expected[0].lines().count() > 5, "the corpus cites: {}", expected[0]);
    assert_same(&observed(&built), &expected, "the built index differs from a plain ingest");

    let again = ok(run(&mut vanban(&build_args, &built)));
    assert!(again.stdout.starts_with("indexed 0 new and 0 changed record(s), 5 unchanged, 0 dropped"), "{}", again.stdout);
    assert_same(&observed(&built), &expected, "a rerun changes nothing");

    // A folder left out: its records go from the index (and from search).
    let only_first = ok(run(&mut vanban(&["index", "build", "--records", &folders[0]], &built)));
    let kept = std::fs::read_dir(&folders[0]).unwrap().count();
    assert!(only_first.stdout.contains(&format!("{kept} unchanged, {} dropped", 5 - kept)), "{}", only_first.stdout);
    let left = vanban::index::Archive::open_read_only(&built).unwrap().records().unwrap();
    assert_eq!(left.len(), kept);
    // And back: the same archive as before, without duplicates.
    ok(run(&mut vanban(&build_args, &built)));
    assert_same(&observed(&built), &expected, "rebuilt with both folders again");

    // A folder that cannot be listed stops the build before it drops anything.
    let missing = run(&mut vanban(&["index", "build", "--records", &folders[0], "/nonexistent/records"], &built));
    assert_eq!(missing.status, 1);
    assert!(missing.stderr.contains("/nonexistent/records"), "{}", missing.stderr);
    assert_eq!(vanban::index::Archive::open_read_only(&built).unwrap().records().unwrap().len(), 5);
}

#[test]
fn a_changed_source_replaces_its_record_and_a_damaged_record_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    std::fs::write(scans.join("cv-12.txt"), "Số: 12/UBND-VP\nV/v báo cáo\n").unwrap();
    std::fs::write(scans.join("cv-13.txt"), "Số: 13/UBND-VP\nV/v kế hoạch\n").unwrap();
    let out = dir.path().join("records");
    let index = dir.path().join("index");
    let records_out = ["--records-out", out.to_str().unwrap()];
    ok(ingest(&scans, &index, &records_out));
    ok(run(&mut vanban(&["index", "build", "--records", out.to_str().unwrap()], &index)));

    // The file changes: its shard writes a second version beside the first.
    std::fs::write(scans.join("cv-12.txt"), "Số: 14/UBND-VP\nV/v báo cáo bổ sung\n").unwrap();
    ok(ingest(&scans, &index, &records_out));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3);
    let rebuilt = ok(run(&mut vanban(&["index", "build", "--records", out.to_str().unwrap()], &index)));
    assert!(rebuilt.stdout.starts_with("indexed 0 new and 1 changed record(s), 1 unchanged"), "{}", rebuilt.stdout);
    let archive = vanban::index::Archive::open_read_only(&index).unwrap();
    let docs = archive.records().unwrap();
    assert_eq!(docs.len(), 2, "one record per file");
    assert!(archive.find("14/UBND-VP").unwrap().len() == 1 && archive.find("12/UBND-VP").unwrap().is_empty());

    // A damaged record file is named; the index keeps what it had for it.
    let cv13 = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).find(|p| {
        std::fs::read_to_string(p).unwrap().contains("13/UBND-VP")
    });
    let cv13 = cv13.unwrap();
    std::fs::write(&cv13, "{\"record_version\": 1, \"id\": ").unwrap();
    std::fs::remove_dir_all(&index).unwrap();
    let damaged = run(&mut vanban(&["index", "build", "--records", out.to_str().unwrap()], &index));
    assert_eq!(damaged.status, 3, "{}", damaged.stderr);
    assert!(damaged.stderr.contains(cv13.file_name().unwrap().to_str().unwrap()) && damaged.stderr.contains("damaged"), "{}", damaged.stderr);
    assert_eq!(vanban::index::Archive::open_read_only(&index).unwrap().records().unwrap().len(), 1);
}

/// A report that cites a plan without its date gets the date from the plan's own record
/// when both are in the archive — and the same whether one ingest read the plan first or
/// two shards read them apart and `index build` put them together.
#[test]
fn a_citation_completed_from_another_record_does_not_depend_on_who_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    // Read in name order by a one-job ingest: the plan first.
    std::fs::write(
        scans.join("a-ke-hoach-12.txt"),
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/KH-UBND\n\nQuảng Ngãi, ngày 03 tháng 02 năm 2025\n\nKẾ HOẠCH\n\
         Chuyển đổi số trong công tác văn thư, lưu trữ năm 2025\n\nCác sở, ban, ngành tổ chức số hóa tài liệu lưu trữ \
         của cơ quan mình, hoàn thành trước ngày 31 tháng 12 năm 2025.\n",
    )
    .unwrap();
    std::fs::write(
        scans.join("b-bao-cao-48.txt"),
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 48/BC-UBND\n\nQuảng Ngãi, ngày 20 tháng 6 năm 2025\n\nBÁO CÁO\n\
         Kết quả sáu tháng đầu năm 2025\n\nThực hiện Kế hoạch số 12/KH-UBND, các sở, ban, ngành đã số hóa \
         được 12.000 hồ sơ lưu trữ.\n",
    )
    .unwrap();
    let plain = dir.path().join("plain-index");
    ok(run(&mut vanban(&["ingest", scans.to_str().unwrap(), "--jobs", "1"], &plain)));
    let cited = |index: &std::path::Path| {
        let docs = vanban::index::Archive::open_read_only(index).unwrap().records().unwrap();
        let report = docs.iter().find(|d| d.source_path.ends_with("b-bao-cao-48.txt")).expect("the report is indexed");
        let citation = report.citations.iter().find(|c| c.id.as_ref().is_some_and(|id| id.as_str() == "12/KH-UBND")).expect("the report cites the plan");
        (citation.date.clone(), citation.inferred.clone())
    };
    assert_eq!(cited(&plain), (Some("2025-02-03".to_owned()), vec!["date".to_owned()]), "the plan's date, marked as taken from its record");

    // Each in a shard of its own: neither shard knows the other file.
    let built = dir.path().join("built-index");
    let mut build_args = vec!["index".to_owned(), "build".to_owned(), "--records".to_owned()];
    for (k, name) in ["a-ke-hoach-12.txt", "b-bao-cao-48.txt"].iter().enumerate() {
        let list = dir.path().join(format!("list-{k}"));
        std::fs::write(&list, format!("{name}\n")).unwrap();
        let out = dir.path().join(format!("records-{k}"));
        ok(ingest(&scans, &built, &["--files-from", list.to_str().unwrap(), "--records-out", out.to_str().unwrap()]));
        build_args.push(out.to_str().unwrap().to_owned());
    }
    let build_args: Vec<&str> = build_args.iter().map(String::as_str).collect();
    ok(run(&mut vanban(&build_args, &built)));
    assert_eq!(cited(&built), cited(&plain));
    assert_same(&observed(&built), &observed(&plain), "shards read apart differ from one ingest");
}
