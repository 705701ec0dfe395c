//! `vanban index build --records DIR…` on the real binary, real Tesseract and a real
//! tantivy index: the sample corpus ingested as two shards into record folders and built
//! into an index is the archive a plain `vanban ingest` makes (search, show, export), a
//! rerun changes nothing, and a folder left out drops its records.

mod ingest_support;
use ingest_support::*;

use std::path::Path;

const CORPUS: &[&str] = &["qd-1582-ubnd.png", "kh-107-ubnd.pdf", "bc-312-hu.tif", "cv-3456-ubnd.jpg", "tb-45-hu-legacy-ocr.txt"];

/// Queries a clerk would type: numbers, words with and without diacritics, a filter.
const QUERIES: &[&str] = &["1582/QĐ-UBND", "107/KH-UBND", "số hóa", "so hoa tai lieu", "ban chỉ đạo", "cites:107/KH-UBND", "type:\"Báo cáo\""];

fn ok(run: Run) -> Run {
    assert!(run.status == 0, "status {}: {}\n{}", run.status, run.stdout, run.stderr);
    run
}

/// What a clerk sees of an archive: the cross-reference export, the missing-documents
/// export, every record as `show --json` prints it (less its ingest time), and the hits of
/// each query in their order (equal scores aside). Not the scores themselves: BM25 counts replaced documents that tantivy
/// has not merged away yet, so they depend on the order of the index's commits and differ
/// between two plain ingests of one folder too (`--jobs 1` and `--jobs 2`).
fn observed(index: &Path) -> Vec<String> {
    let mut seen = vec![
        ok(run(&mut vanban(&["export"], index))).stdout,
        ok(run(&mut vanban(&["export", "--missing"], index))).stdout,
    ];
    let docs = vanban::index::Archive::open_read_only(index).unwrap().records().unwrap();
    for doc in docs {
        let shown = ok(run(&mut vanban(&["show", "--json", &doc.id], index))).stdout;
        let mut value: serde_json::Value = serde_json::from_str(&shown).unwrap();
        value["ingested_at"] = serde_json::Value::Null;
        seen.push(value.to_string());
    }
    for query in QUERIES {
        let found = ok(run(&mut vanban(&["search", "--json", "--facets", "--limit", "50", query], index))).stdout;
        let mut value: serde_json::Value = serde_json::from_str(&found).unwrap();
        // Equally scored hits come in the index's internal order (a plain ingest's is the
        // order its files finished OCR): put each run of ties in record id order.
        let hits = value["hits"].as_array_mut().unwrap();
        let mut start = 0;
        while start < hits.len() {
            let score = hits[start]["score"].as_f64().unwrap();
            let end = (start..hits.len()).find(|&i| hits[i]["score"].as_f64() != Some(score)).unwrap_or(hits.len());
            hits[start..end].sort_by(|a, b| a["record_id"].as_str().cmp(&b["record_id"].as_str()));
            start = end;
        }
        for hit in hits.iter_mut() {
            hit["score"] = serde_json::Value::Null;
            hit["rank"] = serde_json::Value::Null;
        }
        seen.push(value.to_string());
    }
    seen
}

/// Asserts two observations are equal, showing where the first difference is.
fn assert_same(got: &[String], expected: &[String], what: &str) {
    assert_eq!(got.len(), expected.len(), "{what}: not the same records or queries");
    for (i, (a, b)) in got.iter().zip(expected).enumerate() {
        if a != b {
            let at = a.char_indices().zip(b.chars()).find(|((_, x), y)| x != y).map_or(a.len().min(b.len()), |((at, _), _)| at);
            let from = a.floor_char_boundary(at.saturating_sub(200));
            let a_to = a.ceil_char_boundary((at + 200).min(a.len()));
            let b_to = b.ceil_char_boundary((at + 200).min(b.len()));
            panic!("{what}: observation {i} differs at byte {at}:\n got: …{}…\nwant: …{}…", &a[from..a_to], &b[from.min(b.len())..b_to]);
        }
    }
}

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
