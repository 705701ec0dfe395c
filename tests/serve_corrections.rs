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
