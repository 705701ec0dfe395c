//! Corrections through `vanban serve` over HTTP (the real binary, a real index): the review
//! list, the edit form, a save found by search at once, undo, and who may write.

mod serve_support;

use serve_support::{enc, ingest, Server};

fn archive() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    // A letter whose own number line is missing: the review list must name it.
    std::fs::write(
        scans.join("cv.txt"),
        "ỦY BAN NHÂN DÂN\nHUYỆN SƠN TỊNH\nV/v báo cáo tình hình thực hiện kế hoạch\nSơn Tịnh, ngày 5 tháng 3 năm 2024\n\n\
         Thực hiện Kế hoạch số 107/KH-UBND ngày 10/3/2023 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân huyện báo cáo như sau.\n",
    )
    .unwrap();
    let index = dir.path().join("index");
    ingest(&index, &scans);
    (dir, index)
}

fn post(s: &Server, target: &str, body: &str, extra_headers: &str) -> serve_support::Response {
    s.raw(
        format!(
            "POST {target} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{extra_headers}Connection: close\r\n\r\n{body}",
            s.addr,
            body.len()
        )
        .as_bytes(),
    )
}

fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("the loopback page carries the form's proof") + 19;
    page[at..at + 32].to_owned()
}

#[test]
fn a_clerk_reviews_corrects_finds_and_undoes_and_strangers_cannot_write() {
    let (_dir, index) = archive();
    let s = Server::start(&index);
    let token_file = index.join("write-token");
    let token = std::fs::read_to_string(&token_file).expect("serve made a write token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    let review = s.json("/api/review");
    assert_eq!(review["count"], 1, "{review}");
    let item = &review["items"][0];
    assert!(item["reasons"].as_array().unwrap().iter().any(|r| r["field"] == "number"), "{review}");
    let id = item["record_id"].as_str().unwrap().to_owned();
    let page = s.get("/review").text();
    assert!(page.contains("văn bản có trường máy đọc chưa chắc") && page.contains(&format!("/document/{id}#sua")), "{page}");

    let doc_page = s.get(&format!("/document/{id}")).text();
    assert!(doc_page.contains("Sửa thông tin văn bản") && doc_page.contains("Lịch sử sửa"), "{doc_page}");
    let csrf = csrf_of(&doc_page);
    let target = format!("/document/{id}/fix");
    let body = format!("by={}&number={}&csrf={csrf}", enc("Trần Thị Lan"), enc("34/UBND-VP"));

    // Another site's page cannot make the clerk's browser write.
    let cross = post(&s, &target, &body, "Origin: http://evil.example\r\n");
    assert_eq!(cross.status, 403, "{}", cross.text());
    // A form without the proof (not from this server's page) is refused too.
    let bare = post(&s, &target, &format!("by=Lan&number={}", enc("34/UBND-VP")), "");
    assert_eq!(bare.status, 403, "{}", bare.text());
    let wrong = post(&s, &target, &format!("by=Lan&number={}&token=nope", enc("34/UBND-VP")), "");
    assert_eq!(wrong.status, 403, "{}", wrong.text());
    // Bad values: 422 with the reason, nothing written.
    let bad = post(&s, &target, &format!("by=Lan&date=31%2F02%2F2024&csrf={csrf}"), "");
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert!(bad.text().contains("không phải là một ngày có thật"), "{}", bad.text());

    let saved = post(&s, &target, &body, &format!("Origin: http://{}\r\n", s.addr));
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert!(saved.header("set-cookie").is_some_and(|c| c.contains("vanban_name=")));
    let found = s.json(&format!("/api/search?q={}", enc("34/UBND-VP")));
    assert_eq!(found["hits"][0]["match"], "document", "{found}");
    assert_eq!(found["hits"][0]["record_id"], id.as_str());
    assert_eq!(s.json("/api/review")["count"], 0, "a field a person set is done");
    let doc_page = s.get(&format!("/document/{id}")).text();
    assert!(doc_page.contains("do Trần Thị Lan sửa"), "{doc_page}");

    // A script with the token (Authorization) writes too; then undo from the history.
    let with_bearer = post(&s, &target, &format!("by=Hùng&signer={}", enc("Nguyễn Văn A")), &format!("Authorization: Bearer {}\r\n", token.trim()));
    assert_eq!(with_bearer.status, 303, "{}", with_bearer.text());
    let undone = post(&s, &format!("/document/{id}/undo"), &format!("by=Lan&seq=1&csrf={csrf}"), "");
    assert_eq!(undone.status, 303, "{}", undone.text());
    let found = s.json(&format!("/api/search?q={}", enc("34/UBND-VP")));
    assert!(found["hits"].as_array().unwrap().iter().all(|h| h["match"] != "document"), "{found}");
    let doc_page = s.get(&format!("/document/{id}")).text();
    assert!(doc_page.contains("đã hoàn tác"), "{doc_page}");

    // Rotating the token: the old one stops working at once.
    let rotated = std::process::Command::new(env!("CARGO_BIN_EXE_vanban")).arg("--index").arg(&index).args(["serve", "--rotate-token"]).output().unwrap();
    assert!(rotated.status.success());
    let stale = post(&s, &target, "by=Hùng&signer=B", &format!("Authorization: Bearer {}\r\n", token.trim()));
    assert_eq!(stale.status, 403, "{}", stale.text());
    // An over-long body is refused before it is read whole.
    let huge = format!("by=Lan&subject={}&csrf={csrf}", "a".repeat(200_000));
    assert_eq!(post(&s, &target, &huge, "").status, 413);
}

/// This machine's address on its network (not loopback), if it has one: where another
/// computer of the office would reach `vanban serve --addr 0.0.0.0:…`.
fn network_address() -> Option<std::net::IpAddr> {
    // Connecting a UDP socket sends nothing; it only asks the kernel which local address
    // would be used to reach an outside address (TEST-NET-3, never routed anywhere real).
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("203.0.113.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn from_another_computer_reading_is_open_and_writing_needs_the_token() {
    let Some(ip) = network_address() else {
        eprintln!("SKIPPED: this machine has no network address other than loopback");
        return;
    };
    let (_dir, index) = archive();
    let mut s = Server::start_on(&index, "0.0.0.0:0", &[]);
    s.addr = std::net::SocketAddr::new(ip, s.addr.port());
    let token = std::fs::read_to_string(index.join("write-token")).expect("serve made a write token");
    let id = s.json("/api/review")["items"][0]["record_id"].as_str().expect("the review list is readable from the network").to_owned();

    // The page seen from elsewhere carries no proof: the form asks for the token instead.
    let page = s.get(&format!("/document/{id}")).text();
    assert!(!page.contains("name=\"csrf\""), "a page served to another computer must not carry the write proof");
    assert!(page.contains("name=\"token\""), "the form asks for the token: {page}");
    // The proof a loopback page carries does not let another computer write either.
    let local_page = Server::start_with(&index, &[]).get(&format!("/document/{id}")).text();
    let csrf = csrf_of(&local_page);
    let target = format!("/document/{id}/fix");
    let origin = format!("Origin: http://{}\r\n", s.addr);
    for body in [format!("by=Lan&number={}", enc("34/UBND-VP")), format!("by=Lan&number={}&csrf={csrf}", enc("34/UBND-VP"))] {
        let refused = post(&s, &target, &body, &origin);
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert!(refused.text().contains("cần mã ghi"), "{}", refused.text());
    }
    assert_eq!(post(&s, &format!("/document/{id}/undo"), "by=Lan&seq=1", &origin).status, 403);
    assert!(!index.join("corrections.jsonl").exists() || std::fs::read(index.join("corrections.jsonl")).unwrap().is_empty(), "nothing was written");

    // With the token typed into the form, the write goes through and the browser keeps it.
    let body = format!("by=Lan&number={}&token={}", enc("34/UBND-VP"), enc(token.trim()));
    let saved = post(&s, &target, &body, &origin);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let cookies: Vec<&str> = saved.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie")).map(|(_, v)| v.as_str()).collect();
    assert!(cookies.iter().any(|c| c.contains("HttpOnly") && c.contains(token.trim())), "{cookies:?}");
    assert_eq!(s.json(&format!("/api/search?q={}", enc("34/UBND-VP")))["hits"][0]["record_id"], id.as_str());
}

#[test]
fn citations_type_and_date_are_edited_on_the_page_beside_the_header_of_the_scan() {
    let (_dir, index) = archive();
    let s = Server::start(&index);
    let id = s.json("/api/review")["items"][0]["record_id"].as_str().unwrap().to_owned();
    let page = s.get(&format!("/document/{id}")).text();
    for input in ["name=\"cite_new\" value=\"107/KH-UBND\"", "name=\"cite_type\" value=\"Kế hoạch\"", "name=\"cite_date\" value=\"10/03/2023\""] {
        assert!(page.contains(input), "the form shows {input}: {page}");
    }
    let csrf = csrf_of(&page);
    let target = format!("/document/{id}/fix");
    let form = |date: &str, cite_type: &str| {
        format!("by=Lan&cite_old={n}&cite_new={n}&cite_type={}&cite_date={}&csrf={csrf}", enc(cite_type), enc(date), n = enc("107/KH-UBND"))
    };
    // A type the number contradicts, and a date that does not exist: 422, nothing written.
    let bad = post(&s, &target, &form("10/03/2023", "Quyết định"), "");
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert!(bad.text().contains("là số của một Kế hoạch"), "{}", bad.text());
    let bad = post(&s, &target, &form("30/02/2023", "Kế hoạch"), "");
    assert_eq!(bad.status, 422, "{}", bad.text());
    // Sending the form back unchanged changes nothing, and says so.
    let same = post(&s, &target, &form("10/03/2023", "Kế hoạch"), "");
    assert_eq!(same.status, 422, "{}", same.text());
    assert!(same.text().contains("Không có gì thay đổi"), "{}", same.text());
    let saved = post(&s, &target, &form("13/03/2023", "Kế hoạch"), "");
    assert_eq!(saved.status, 303, "{}", saved.text());
    let cited = s.json(&format!("/api/documents/{id}/citations"));
    assert!(cited.to_string().contains("2023-03-13"), "{cited}");
    let page = s.get(&format!("/document/{id}")).text();
    assert!(page.contains("ngày của văn bản được dẫn 107/KH-UBND: 2023-03-10 → 2023-03-13"), "{page}");

    // A scanned record shows the header of its first page beside the form.
    let scanned = serve_support::sample_index();
    let s = Server::start(scanned);
    let hits = s.json(&format!("/api/search?q={}", enc("1582/QĐ-UBND")));
    let scanned_id = hits["hits"][0]["record_id"].as_str().expect("the sample decision is indexed").to_owned();
    let page = s.get(&format!("/document/{scanned_id}")).text();
    assert!(page.contains(&format!("/api/documents/{scanned_id}/header-image")), "{page}");
    let crop = s.get(&format!("/api/documents/{scanned_id}/header-image"));
    assert_eq!(crop.status, 200);
    let header = image::load_from_memory(&crop.body).expect("the header crop is an image");
    let full = image::load_from_memory(&s.get(&format!("/api/documents/{scanned_id}/pages/1/image")).body).unwrap();
    let shape = |i: &image::DynamicImage| f64::from(i.height()) / f64::from(i.width().max(1));
    assert!(shape(&header) < shape(&full) / 2.0, "a crop of the top, not the page: {}x{} of {}x{}", header.width(), header.height(), full.width(), full.height());
}
