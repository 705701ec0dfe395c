//! The cross-reference list and the missing-documents list, in every format, read back the
//! way a clerk's spreadsheet or script would read them; and the `export`, `search` and
//! `show` commands of the real binary on an index built here.

#[path = "search_support/mod.rs"]
mod support;

use std::process::Command;
use support::{archive_with, sample_documents};
use vanban::export::{cross_references, missing_documents, write_rows, Columns, CrossReference, Format};

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap()).collect();
    (header, rows)
}

#[test]
fn one_row_per_citation_with_the_cited_document_resolved() {
    let (_dir, archive) = archive_with(&sample_documents());
    let rows = cross_references(&archive.records().unwrap());
    assert_eq!(rows.len(), 6);
    let to_resolution: Vec<&CrossReference> = rows.iter().filter(|r| r.cited_id.as_deref() == Some("25-NQ/TW")).collect();
    assert_eq!(to_resolution.len(), 2);
    for row in &to_resolution {
        assert!(row.cited_in_index);
        assert_eq!(row.cited_path.as_deref(), Some("/scans/nq25.pdf"));
    }
    let plan = to_resolution.iter().find(|r| r.citing_record_id == "kh107").unwrap();
    assert_eq!(plan.citing_id.as_deref(), Some("107/KH-UBND"));
    assert_eq!(plan.citing_type.as_deref(), Some("Kế hoạch"));
    assert_eq!(plan.citing_date.as_deref(), Some("2024-04-10"));
    assert_eq!((plan.page, plan.line), (1, 4));
    let decree = rows.iter().find(|r| r.cited_id.as_deref() == Some("30/2020/NĐ-CP")).unwrap();
    assert!(!decree.cited_in_index);
    assert_eq!(decree.cited_path, None);
}

#[test]
fn csv_has_a_header_optional_bom_and_reads_back_exactly() {
    let (_dir, archive) = archive_with(&sample_documents());
    let rows = cross_references(&archive.records().unwrap());
    let mut plain = Vec::new();
    write_rows(&rows, Format::Csv, false, &mut plain).unwrap();
    let (header, records) = csv_rows(&plain);
    assert_eq!(header, CrossReference::COLUMNS);
    assert_eq!(records.len(), rows.len());
    let context = header.iter().position(|h| h == "context").unwrap();
    let relation = header.iter().position(|h| h == "relation").unwrap();
    let decree = records.iter().find(|r| r[context].contains("30/2020/NĐ-CP")).unwrap();
    assert_eq!(&decree[relation], "can_cu");
    assert!(decree[context].contains("ngày 05 tháng 3 năm 2020"), "commas and Vietnamese survive quoting");

    let mut with_bom = Vec::new();
    write_rows(&rows, Format::Csv, true, &mut with_bom).unwrap();
    assert!(with_bom.starts_with("\u{feff}".as_bytes()));
    assert_eq!(&with_bom[3..], &plain[..]);

    let mut empty = Vec::new();
    write_rows::<CrossReference>(&[], Format::Csv, false, &mut empty).unwrap();
    assert_eq!(String::from_utf8(empty).unwrap().trim_end(), CrossReference::COLUMNS.join(","));
}

#[test]
fn json_and_jsonl_carry_the_same_rows() {
    let (_dir, archive) = archive_with(&sample_documents());
    let rows = cross_references(&archive.records().unwrap());
    let mut json = Vec::new();
    write_rows(&rows, Format::Json, false, &mut json).unwrap();
    let array: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    let mut jsonl = Vec::new();
    write_rows(&rows, Format::Jsonl, false, &mut jsonl).unwrap();
    let lines: Vec<serde_json::Value> =
        String::from_utf8(jsonl).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(array, lines);
    assert_eq!(array.len(), rows.len());
    let keys: Vec<&String> = array[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), CrossReference::COLUMNS.len());
    for column in CrossReference::COLUMNS {
        assert!(array[0].get(*column).is_some(), "JSON lacks {column}");
    }
}

#[test]
fn missing_documents_are_counted_with_who_cites_them() {
    let (_dir, archive) = archive_with(&sample_documents());
    let missing = missing_documents(&archive.records().unwrap());
    let cited: Vec<String> = missing.iter().map(|m| m.cited_id.clone().or(m.cited_name.clone()).unwrap()).collect();
    assert!(!cited.contains(&"25-NQ/TW".to_string()), "held documents are not missing");
    for expected in ["33/CT-TTg", "31-KL/TU", "30/2020/NĐ-CP", "Luật Tổ chức chính quyền địa phương"] {
        assert!(cited.contains(&expected.to_string()), "{expected} missing from {cited:?}");
    }
    let decree = missing.iter().find(|m| m.cited_id.as_deref() == Some("30/2020/NĐ-CP")).unwrap();
    assert_eq!((decree.times_cited, decree.cited_by_count), (1, 1));
    assert_eq!(decree.cited_by[0].id.as_deref(), Some("1582/QĐ-UBND"));
    assert_eq!(decree.cited_by[0].path, "/scans/qd1582.pdf");
    let mut out = Vec::new();
    write_rows(&missing, Format::Csv, false, &mut out).unwrap();
    let (header, rows) = csv_rows(&out);
    assert_eq!(header, vanban::export::MissingDocument::COLUMNS);
    assert_eq!(rows.len(), missing.len());
    let by_column = header.iter().position(|c| c == "cited_by").unwrap();
    assert!(rows.iter().any(|r| &r[by_column] == "1582/QĐ-UBND (/scans/qd1582.pdf)"), "CSV joins the citing documents");
    // JSON and JSONL give the citing documents as an array of objects.
    let mut out = Vec::new();
    write_rows(&missing, Format::Jsonl, false, &mut out).unwrap();
    let first: serde_json::Value = serde_json::from_slice(out.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert!(first["cited_by"][0]["path"].is_string(), "{first}");
    assert!(first["cited_by"][0].get("id").is_some(), "{first}");
}

fn vanban(index: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .env("VANBAN_INDEX", index)
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .expect("run vanban")
}

#[test]
fn the_binary_searches_shows_and_exports_an_index() {
    let (dir, _archive) = archive_with(&sample_documents());

    let out = vanban(dir.path(), &["search", "nghi quyet so 25-nq/tư", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results["kind"], "number");
    assert_eq!(results["hits"][0]["record_id"], "nq25");
    assert_eq!(results["hits"][0]["match"], "document");
    assert_eq!(results["hits"][1]["match"], "cites");
    assert!(results["hits"][1]["snippets"][0]["page"].is_u64());

    let human = vanban(dir.path(), &["search", "dan van", "--facets"]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("[dân] [vận]") || text.contains("[Dân] [vận]"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when stdout is not a terminal");
    assert!(text.contains("issuer:"), "{text}");

    let bad = vanban(dir.path(), &["search", "year:soon"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("year:soon"));

    let show = vanban(dir.path(), &["show", "107/KH-UBND"]);
    let text = String::from_utf8(show.stdout).unwrap();
    assert!(text.contains("Kế hoạch") && text.contains("25-NQ/TW") && text.contains("── page 2 ──"), "{text}");
    let show_json = vanban(dir.path(), &["show", "kh107", "--json"]);
    let record: vanban::record::Document = serde_json::from_slice(&show_json.stdout).unwrap();
    assert_eq!(record.id, "kh107");
    let unknown = vanban(dir.path(), &["show", "nothing-like-this"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("nothing-like-this"));

    let csv_path = dir.path().join("refs.csv");
    let export = vanban(dir.path(), &["export", "--bom", "--out", csv_path.to_str().unwrap()]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let bytes = std::fs::read(&csv_path).unwrap();
    let (header, rows) = csv_rows(&bytes[3..]);
    assert_eq!(header, CrossReference::COLUMNS);
    assert_eq!(rows.len(), 6);
    let missing = vanban(dir.path(), &["export", "--missing", "--format", "jsonl"]);
    assert_eq!(String::from_utf8(missing.stdout).unwrap().lines().count(), 4);

    let no_index = vanban(&dir.path().join("absent"), &["search", "x"]);
    assert_eq!(no_index.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_index.stderr).contains("vanban ingest"));
}

#[test]
fn the_binary_takes_an_unquoted_query_and_refuses_limit_zero() {
    let (dir, _archive) = archive_with(&sample_documents());
    let out = vanban(dir.path(), &["search", "nghi", "quyet", "so", "25", "NQ-TW", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results["kind"], "number");
    assert_eq!(results["number"], "25-NQ/TW", "the official spelling, not the typed one");
    assert_eq!(results["hits"][0]["record_id"], "nq25");

    let out = vanban(dir.path(), &["search", "dan", "van", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--limit"));
}

#[test]
fn export_once_gives_one_row_per_cited_document_with_its_places() {
    use support::Doc;
    use vanban::cite::Relation;
    use vanban::export::CitedPair;
    let plan = Doc::new("kh9", &["Số: 9/KH-UBND\nKẾ HOẠCH", "Trang hai."])
        .number("9/KH-UBND", "Kế hoạch")
        .cites("45/2022/NĐ-CP", "Nghị định", Relation::Mention, 1, 3, "theo Nghị định số 45/2022/NĐ-CP")
        .cites("25-NQ/TW", "Nghị quyết", Relation::ThucHien, 1, 5, "Thực hiện Nghị quyết số 25-NQ/TW")
        .cites("45/2022/NĐ-CP", "Nghị định", Relation::CanCu, 2, 7, "Căn cứ Nghị định số 45/2022/NĐ-CP")
        .cites("45/2022/NĐ-CP", "Nghị định", Relation::Mention, 2, 9, "khoản 3 Điều 14 Nghị định số 45/2022/NĐ-CP")
        .build();
    let mut docs = sample_documents();
    docs.push(plan);
    let (dir, _archive) = archive_with(&docs);
    let out = vanban(dir.path(), &["export", "--once"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (header, rows) = csv_rows(&out.stdout);
    assert_eq!(header, CitedPair::COLUMNS);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let of_plan: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[column("citing_record_id")] == "kh9").collect();
    let cited: Vec<&str> = of_plan.iter().map(|r| &r[column("cited_id")]).collect();
    assert_eq!(cited, ["45/2022/NĐ-CP", "25-NQ/TW"], "first cited first, each once");
    let decree = of_plan[0];
    assert_eq!(&decree[column("times")], "3");
    assert_eq!(&decree[column("places")], "1:3; 2:7; 2:9");
    assert_eq!(&decree[column("relation")], "can_cu", "why it is cited, over a mention");
    assert_eq!((&decree[column("page")], &decree[column("line")]), ("1", "3"), "the first place");
    // Documents citing each thing once are one row each, as in the full list.
    let all = vanban(dir.path(), &["export", "--format", "jsonl"]);
    let full = String::from_utf8(all.stdout).unwrap().lines().count();
    assert_eq!(rows.len(), full - 2);
    let both = vanban(dir.path(), &["export", "--once", "--missing"]);
    assert_eq!(both.status.code(), Some(2), "--once and --missing are two different lists");
}
