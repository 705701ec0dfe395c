//! Helpers of the tests that build an index from shards (`index_build`, `ray_cluster`):
//! what a clerk sees of an archive, to compare a built index with a plain ingest's.
#![allow(dead_code)]

use std::path::Path;

// The test that uses these declares `mod ingest_support;` too.
use crate::ingest_support::{run, vanban, Run};

pub const CORPUS: &[&str] = &["qd-1582-ubnd.png", "kh-107-ubnd.pdf", "bc-312-hu.tif", "cv-3456-ubnd.jpg", "tb-45-hu-legacy-ocr.txt"];

/// Queries a clerk would type: numbers, words with and without diacritics, a filter.
pub const QUERIES: &[&str] = &["1582/QĐ-UBND", "107/KH-UBND", "số hóa", "so hoa tai lieu", "ban chỉ đạo", "cites:107/KH-UBND", "type:\"Báo cáo\""];

pub fn ok(run: Run) -> Run {
    assert!(run.status == 0, "status {}: {}\n{}", run.status, run.stdout, run.stderr);
    run
}

/// What a clerk sees of an archive: the cross-reference export, the missing-documents
/// export, every record as `show --json` prints it (less its ingest time), and the hits of
/// each query with their snippets and facets. Not the scores nor their order: BM25 counts
/// replaced documents that tantivy has not merged away yet, so they depend on the order of
/// the index's commits and differ between two plain ingests of one folder too.
///
/// A citation's date or issuer filled in from another record of the archive is compared
/// too: `ingest::refill` reads every record's citations again against the whole archive at
/// the end of an ingest and of an index build, so it does not depend on which files
/// finished first.
pub fn observed(index: &Path) -> Vec<String> {
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
        let found = ok(run(&mut vanban(&["search", "--json", "--facets", "--limit", "100", query], index))).stdout;
        let mut value: serde_json::Value = serde_json::from_str(&found).unwrap();
        // The hits as a set, in record id order: their scores, and so the order of
        // near-equal ones (the 47 nearly identical letters of `ray_cluster`), depend on
        // BM25 statistics that count replaced documents not yet merged away.
        let hits = value["hits"].as_array_mut().unwrap();
        hits.sort_by(|a, b| a["record_id"].as_str().cmp(&b["record_id"].as_str()));
        for hit in hits.iter_mut() {
            hit["score"] = serde_json::Value::Null;
            hit["rank"] = serde_json::Value::Null;
        }
        seen.push(value.to_string());
    }
    seen
}

/// Asserts two observations are equal, showing where the first difference is.
pub fn assert_same(got: &[String], expected: &[String], what: &str) {
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

