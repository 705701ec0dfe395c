//! The JSON API and pages of `vanban serve`, over HTTP against the real binary serving an
//! archive ingested (with real OCR) from the repository's sample scans; and the requests a
//! hostile or broken client sends, which must get a 4xx and leave the server running.

mod serve_support;

use serve_support::{enc, ingest, sample_index, Server};

/// A server of its own for each test (it starts in milliseconds); the archive is shared.
fn server() -> Server {
    Server::start(sample_index())
}

fn hits(results: &serde_json::Value) -> &Vec<serde_json::Value> {
    results["hits"].as_array().expect("hits")
}

#[test]
fn a_number_query_gives_the_document_first_then_the_documents_citing_it() {
    let s = server();
    for typed in ["107/KH-UBND", "kế hoạch số 107/KH-UBND", "107/kh-ubnd"] {
        let results = s.json(&format!("/api/search?q={}", enc(typed)));
        assert_eq!(results["kind"], "number", "{typed}: {results}");
        assert_eq!(results["number"].as_str().unwrap().to_uppercase(), "107/KH-UBND");
        let hits = hits(&results);
        assert_eq!(hits[0]["match"], "document", "{typed}");
        assert!(hits[0]["path"].as_str().unwrap().ends_with("kh-107-ubnd.pdf"));
        let citing: Vec<&str> = hits[1..].iter().map(|h| h["path"].as_str().unwrap()).collect();
        assert!(hits[1..].iter().all(|h| h["match"] == "cites"), "{typed}");
        assert!(citing.iter().any(|p| p.ends_with("qd-1582-ubnd.png")), "{citing:?}");
        let snippet = &hits[1]["snippets"][0];
        assert!(snippet["page"].as_u64().unwrap() >= 1 && snippet["line"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn words_are_found_with_or_without_diacritics_and_highlighted() {
    let s = server();
    for typed in ["chuyển đổi số", "chuyen doi so"] {
        let results = s.json(&format!("/api/search?q={}", enc(typed)));
        assert_eq!(results["kind"], "text");
        let hits = hits(&results);
        assert!(hits.iter().any(|h| h["path"].as_str().unwrap().ends_with("kh-107-ubnd.pdf")), "{typed}: {results}");
        let snippet = &hits[0]["snippets"][0];
        let text: Vec<char> = snippet["text"].as_str().unwrap().chars().collect();
        let [start, end] = [0, 1].map(|i| snippet["highlights"][0][i].as_u64().unwrap() as usize);
        let marked: String = text[start..end].iter().collect();
        assert_eq!(crate_fold(&marked), crate_fold(typed.split(' ').next().unwrap()), "{snippet}");
    }
}

fn crate_fold(text: &str) -> String {
    vanban::viet::fold(text).to_lowercase()
}

#[test]
fn filters_narrow_the_results_and_facets_count_them() {
    let s = server();
    let all = s.json("/api/search");
    assert_eq!(all["total"], 5, "the five samples: {all}");
    let types = all["facets"]["type"].as_array().unwrap();
    assert!(types.iter().any(|t| t["value"] == "Quyết định" && t["count"] == 1), "{types:?}");
    let decisions = s.json(&format!("/api/search?type={}", enc("Quyết định")));
    assert_eq!(decisions["total"], 1);
    assert_eq!(hits(&decisions)[0]["type"], "Quyết định");
    let by_year = s.json("/api/search?q=*&year=2025");
    assert_eq!(by_year["total"], 5);
    let none = s.json("/api/search?year=1999");
    assert_eq!(none["total"], 0);
    let dated = s.json("/api/search?from=2025-05-01");
    assert!(hits(&dated).iter().all(|h| h["date"].as_str().unwrap() >= "2025-05-01"), "{dated}");
    assert_eq!(dated["total"], 2, "{dated}");
}

#[test]
fn search_pages_through_results() {
    let s = server();
    let first = s.json("/api/search?page=1");
    assert_eq!(first["page"], 1);
    assert_eq!(first["per_page"], 20);
    assert_eq!(first["pages"], 1);
    let beyond = s.json("/api/search?page=2");
    assert_eq!(beyond["total"], 5);
    assert!(hits(&beyond).is_empty());
}

#[test]
fn a_document_is_its_whole_record() {
    let s = server();
    let id = s.record_id("qd-1582-ubnd.png");
    let doc = s.json(&format!("/api/documents/{id}"));
    assert_eq!(doc["id"], id.as_str());
    assert_eq!(doc["metadata"]["id"], "1582/QĐ-UBND");
    assert_eq!(doc["source_kind"], "image");
    assert!(doc["pages"][0]["repaired_text"].as_str().unwrap().contains("Ban Chỉ đạo"));
}

#[test]
fn citations_link_to_held_documents_and_mark_the_others() {
    let s = server();
    let decision = s.record_id("qd-1582-ubnd.png");
    let plan = s.record_id("kh-107-ubnd.pdf");
    let view = s.json(&format!("/api/documents/{decision}/citations"));
    let citations = view["citations"].as_array().unwrap();
    let to_plan = citations.iter().find(|c| c["id"] == "107/KH-UBND").expect("cites the plan");
    assert_eq!(to_plan["in_archive"], true);
    assert_eq!(to_plan["cited_record_id"], plan.as_str());
    let absent = citations.iter().find(|c| c["id"] == "30/2020/NĐ-CP").expect("cites decree 30/2020/NĐ-CP");
    assert_eq!(absent["in_archive"], false);
    assert!(absent["cited_record_id"].is_null());

    let plan_view = s.json(&format!("/api/documents/{plan}/citations"));
    let citing: Vec<&str> = plan_view["cited_by"].as_array().unwrap().iter().map(|h| h["record_id"].as_str().unwrap()).collect();
    assert!(citing.contains(&decision.as_str()), "{plan_view}");
    assert!(!citing.contains(&plan.as_str()));
    assert_eq!(plan_view["cited_by_total"].as_u64().unwrap() as usize, citing.len());
}

#[test]
fn the_document_page_shows_scan_text_links_and_cited_by() {
    let s = server();
    let decision = s.record_id("qd-1582-ubnd.png");
    let plan = s.record_id("kh-107-ubnd.pdf");
    let page = s.get(&format!("/document/{decision}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    let html = page.text();
    assert!(html.contains(&format!("<img src=\"/api/documents/{decision}/pages/1/image\"")), "scan beside the text");
    assert!(html.contains(&format!("href=\"/document/{plan}\"")), "citation of the held plan is a link");
    assert!(html.contains("không có trong kho lưu trữ"), "a cited document not held is marked");
    assert!(html.contains("id=\"l1\""), "numbered lines for the search hits to point at");
    let raw = s.get(&format!("/document/{decision}?view=raw")).text();
    assert!(raw.contains("Bản OCR gốc") && raw.contains("aria-current=\"true\">Bản OCR gốc"), "raw OCR one click away");
    let cited = s.get(&format!("/document/{plan}")).text();
    assert!(cited.contains("Được trích dẫn bởi") && cited.contains(&format!("href=\"/document/{decision}\"")));
}

#[test]
fn corrections_of_the_repair_are_marked_with_their_alternatives() {
    let s = server();
    let legacy = s.record_id("tb-45-hu-legacy-ocr.txt");
    let doc = s.json(&format!("/api/documents/{legacy}"));
    let corrections = doc["pages"][0]["corrections"].as_array().cloned().unwrap_or_default();
    assert!(!corrections.is_empty(), "the legacy OCR text needs repairs");
    let html = s.get(&format!("/document/{legacy}")).text();
    let marked = html.matches("<span class=\"corr").count();
    assert!(marked * 2 >= corrections.len(), "{marked} of {} corrections marked", corrections.len());
    assert!(html.contains("OCR đọc: "));
}

#[test]
fn page_images_are_served_for_every_kind_of_scan() {
    let s = server();
    for (suffix, content_type, magic) in [
        ("qd-1582-ubnd.png", "image/png", &b"\x89PNG"[..]),
        ("cv-3456-ubnd.jpg", "image/jpeg", &[0xFF, 0xD8, 0xFF][..]),
        ("bc-312-hu.tif", "image/png", &b"\x89PNG"[..]),
        ("kh-107-ubnd.pdf", "image/png", &b"\x89PNG"[..]),
    ] {
        let id = s.record_id(suffix);
        let image = s.get(&format!("/api/documents/{id}/pages/1/image"));
        assert_eq!(image.status, 200, "{suffix}: {}", image.text());
        assert_eq!(image.header("content-type"), Some(content_type), "{suffix}");
        assert!(image.body.starts_with(magic), "{suffix}");
        let decoded = image::load_from_memory(&image.body).unwrap_or_else(|e| panic!("{suffix}: {e}"));
        assert!(decoded.width() >= 600 && decoded.height() >= 600, "{suffix}: {}x{}", decoded.width(), decoded.height());
        assert_eq!(s.get(&format!("/api/documents/{id}/pages/99/image")).status, 404, "{suffix}");
        assert_eq!(s.get(&format!("/api/documents/{id}/pages/0/image")).status, 404, "{suffix}");
        assert_eq!(s.get(&format!("/api/documents/{id}/pages/x/image")).status, 400, "{suffix}");
    }
    let text = s.record_id("tb-45-hu-legacy-ocr.txt");
    let none = s.get(&format!("/api/documents/{text}/pages/1/image"));
    assert_eq!(none.status, 404);
    assert!(none.text().contains("tệp chữ"));
}

#[test]
fn the_cross_reference_list_downloads_as_csv_with_bom_and_as_json() {
    let s = server();
    let csv = s.get("/api/export/crossref?format=csv");
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.header("content-disposition").unwrap().starts_with("attachment; filename=\"vanban-trich-dan.csv\""));
    assert!(csv.body.starts_with("\u{feff}citing_path,citing_record_id,".as_bytes()), "BOM then header");
    let mut reader = csv::Reader::from_reader(&csv.body[3..]);
    let csv_rows = reader.records().count();
    let json = s.json("/api/export/crossref?format=json");
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), csv_rows);
    assert!(rows.iter().any(|r| r["cited_id"] == "107/KH-UBND" && r["cited_in_index"] == true));

    let decision = s.record_id("qd-1582-ubnd.png");
    let one_search = s.json(&format!("/api/export/crossref?format=json&type={}", enc("Quyết định")));
    let one_rows = one_search.as_array().unwrap();
    assert!(!one_rows.is_empty() && one_rows.len() < rows.len());
    assert!(one_rows.iter().all(|r| r["citing_record_id"] == decision.as_str()), "only the search's documents");
    assert!(one_rows.iter().any(|r| r["cited_id"] == "107/KH-UBND" && r["cited_in_index"] == true));
}

#[test]
fn the_missing_documents_list_downloads() {
    let s = server();
    let missing = s.json("/api/export/missing?format=json");
    let rows = missing.as_array().unwrap();
    assert!(rows.iter().any(|r| r["cited_id"] == "25-NQ/TW"), "{missing}");
    assert!(!rows.iter().any(|r| r["cited_id"] == "107/KH-UBND"), "a held document is not missing");
    let csv = s.get("/api/export/missing");
    assert!(csv.body.starts_with("\u{feff}cited_id,".as_bytes()));
    let page = s.get("/missing").text();
    assert!(page.contains("25-NQ/TW"));
    assert_eq!(s.get("/api/export/missing?format=xlsx").status, 400);
}

#[test]
fn query_text_is_escaped_in_the_page() {
    let s = server();
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let page = s.get(&format!("/?q={}", enc(hostile)));
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(!html.contains("<script>alert"), "script tag reflected");
    assert!(!html.contains("<img src=x"), "attribute breakout");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x"));
    assert!(page.header("content-security-policy").unwrap().contains("script-src 'self'"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn no_request_reads_a_file_outside_the_archive() {
    let s = server();
    for target in [
        "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd/pages/1/image",
        "/api/documents/%2Fetc%2Fpasswd",
        "/document/..%2F..%2Fetc%2Fpasswd",
        "/document/%2Fetc%2Fpasswd",
        "/api/documents/Cargo.toml",
        "/api/documents/src/citations",
        "/assets/..%2Fmod.rs",
        "/assets/../../Cargo.toml",
        "/../../../../etc/passwd",
        "/api/documents/107-KH-UBND",
    ] {
        let response = s.get(target);
        assert!((400..500).contains(&response.status), "{target}: {} {}", response.status, response.text());
        let body = response.text();
        assert!(!body.contains("root:") && !body.contains("[package]") && !body.contains("pub fn"), "{target}: {body}");
    }
}

#[test]
fn malformed_and_oversized_requests_get_4xx_and_the_server_keeps_running() {
    let s = server();
    let check = |what: &str, status: u16, expected: std::ops::RangeInclusive<u16>| {
        assert!(expected.contains(&status), "{what}: status {status}");
    };
    let long_query = "dân vận ".repeat(200);
    let response = s.get(&format!("/api/search?q={}", enc(&long_query)));
    check("1600-character query", response.status, 400..=400);
    assert!(response.text().contains("\"error\""));
    let huge = "a".repeat(40_000);
    check("40 KB query", s.get(&format!("/api/search?q={huge}")).status, 414..=414);
    check("40 KB query page", s.get(&format!("/?q={huge}")).status, 414..=414);
    check("bad percent-encoded UTF-8", s.get("/api/search?q=%FF%FE").status, 400..=400);
    check("bad UTF-8 page", s.get("/?q=%C3%28").status, 400..=400);
    check("bad UTF-8 id", s.get("/api/documents/%FF").status, 400..=400);
    check("raw bytes", s.raw(b"GET /api/search?q=\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 400..=499);
    check("bad id", s.get("/api/documents/a;b").status, 400..=400);
    check("too long id", s.get(&format!("/api/documents/{}", "a".repeat(500))).status, 400..=400);
    check("unknown id", s.get("/api/documents/0123456789abcdef").status, 404..=404);
    check("unknown id page", s.get("/document/0123456789abcdef").status, 404..=404);
    check("bad page", s.get("/api/search?page=-3").status, 400..=400);
    check("page too far", s.get("/api/search?page=100000").status, 400..=400);
    check("bad filter", s.get("/api/search?year=abc").status, 400..=400);
    check("bad date", s.get("/api/search?from=tomorrow").status, 400..=400);
    check("lone operator", s.get("/api/search?q=OR").status, 400..=400);
    check("control characters", s.get("/api/search?q=d%C3%A2n%00%07v%E1%BA%ADn").status, 200..=200);
    check("unknown route", s.get("/api/nothing").status, 404..=404);
    check("unknown document page number", s.get(&format!("/document/{}?page=7", s.record_id("qd-1582-ubnd.png"))).status, 404..=404);
    let post = s.raw(b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    check("POST", post.status, 405..=405);
    let big_body = format!("GET /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n{}", "x".repeat(100_000));
    check("large body", s.raw(big_body.as_bytes()).status, 200..=499);
    let big_header = format!("GET / HTTP/1.1\r\nHost: x\r\nX-Junk: {}\r\nConnection: close\r\n\r\n", "y".repeat(1_000_000));
    check("1 MB header", s.raw(big_header.as_bytes()).status, 400..=499);
    check("garbage", s.raw(b"HELLO THERE\r\n\r\n").status, 400..=499);
    assert_eq!(s.get("/api/search?q=quyết+định").status, 200, "still serving");
}

#[test]
fn the_server_starts_before_the_first_ingest_and_sees_each_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let mut server = Server::start(&index);
    let before = server.get("/api/search");
    assert_eq!(before.status, 503, "{}", before.text());
    assert!(before.text().contains("vanban ingest"));
    assert_eq!(server.get("/").status, 503);

    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/tb-45-hu-legacy-ocr.txt");
    std::fs::copy(&sample, inbox.join("first.txt")).unwrap();
    ingest(&index, &inbox);
    assert_eq!(server.json("/api/search")["total"], 1);

    let text = std::fs::read_to_string(&sample).unwrap().replace("45-TB/HU", "46-TB/HU");
    std::fs::write(inbox.join("second.txt"), text).unwrap();
    ingest(&index, &inbox);
    assert_eq!(server.json("/api/search")["total"], 2, "a running server sees the new commit");
    assert!(server.is_running());
}
