//! Corrections in the browser: the edit form and history on the document page, and the
//! two writes (`POST /document/{id}/fix`, `POST /document/{id}/undo`), which go through the
//! same checks and journal as `vanban fix` ([`crate::corrections`]).
//!
//! Who may write: see [`super::token`]. From the server's own computer (loopback) a clerk
//! writes without the token; from any other address a write without it is refused (403).
//! Every write must also come from a page of this server (CSRF: `Origin` and the form's
//! proof), and its body is bounded ([`MAX_FORM_BYTES`]).

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::net::SocketAddr;

use super::failure::{Failure, PageFailure};
use super::html::{self, esc, url};
use super::pages::bad_path;
use super::state::AppState;
use super::token;
use crate::corrections::{self, Change, Edit, Field, Journal};
use crate::record::Document;

/// Largest form body accepted: a subject of 1000 Vietnamese characters percent-encoded is
/// ~9 KB, plus a few dozen citations.
pub const MAX_FORM_BYTES: usize = 64 * 1024;
/// The cookie remembering the clerk's name, so it is entered once.
const NAME_COOKIE: &str = "vanban_name";

/// The TCP peer of the connection a request came on (set by `listen`).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// What the viewer of a page may do.
pub struct Access {
    /// The form's CSRF proof, when the viewer may write without typing the token.
    pub csrf: Option<String>,
    /// The name remembered in the browser.
    pub name: String,
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn is_loopback(peer: Option<&Peer>) -> bool {
    peer.is_some_and(|p| p.0.ip().is_loopback())
}

/// What the viewer of the document page may do: the loopback clerk and a browser holding
/// the token get the form's proof; anyone else is asked for the token in the form.
pub fn access(state: &AppState, peer: Option<&Peer>, headers: &HeaderMap) -> Access {
    let token = token::load(state.index_dir()).ok().flatten();
    let name = cookie(headers, NAME_COOKIE).map(decode_cookie).unwrap_or_default();
    let csrf = token.as_deref().and_then(|t| {
        let holds = cookie(headers, token::COOKIE).is_some_and(|c| token::same(c, t));
        (is_loopback(peer) || holds).then(|| token::csrf(t))
    });
    Access { csrf, name }
}

/// The edit form and the corrections history, for the document page.
pub fn section(doc: &Document, journal: &Journal, access: &Access) -> String {
    let meta = &doc.metadata;
    let id = url(&doc.id);
    let mut out = String::from("<section id=\"sua\" class=\"edit\"><h2>Sửa thông tin văn bản</h2><div class=\"edit-grid\">");
    // The clerk types the number and date while looking at them on the scan.
    if doc.source_kind != crate::record::SourceKind::Text && !doc.pages.is_empty() {
        let _ = write!(
            out,
            "<figure class=\"header-crop\"><a href=\"/api/documents/{id}/pages/1/image\" target=\"_blank\" rel=\"noopener\"><img src=\"/api/documents/{id}/header-image\" alt=\"Phần đầu trang 1 của bản quét: cơ quan ban hành, số, ngày\"></a><figcaption>Phần đầu trang 1 của bản quét, để đối chiếu số, ngày và cơ quan ban hành.</figcaption></figure>"
        );
    }
    let _ = write!(out, "<form method=\"post\" action=\"/document/{id}/fix\" class=\"edit-form\">");
    out.push_str(&credentials(access, false));
    let values: [(Field, Option<String>); 6] = [
        (Field::Number, meta.id.as_ref().map(|i| i.to_string())),
        (Field::DocType, meta.doc_type.clone()),
        (Field::Date, meta.date.as_deref().map(super::pages::vietnamese_date)),
        (Field::Issuer, meta.issuer.clone()),
        (Field::Subject, meta.subject.clone()),
        (Field::Signer, meta.signer.clone()),
    ];
    for (field, value) in values {
        let by_person = doc.corrected.iter().find(|a| a.field == field).map(|a| format!(" <small class=\"by-person\">(do {} sửa)</small>", esc(&a.by))).unwrap_or_default();
        let flagged = crate::corrections::review::reasons(doc).into_iter().find(|r| r.field == field.key());
        let hint = flagged.map(|r| format!("<small class=\"flag\">{}</small>", esc(&r.why))).unwrap_or_default();
        let value = esc(value.as_deref().unwrap_or(""));
        let input = if field == Field::Subject {
            format!("<textarea name=\"subject\" rows=\"2\" maxlength=\"1000\">{value}</textarea>")
        } else {
            let placeholder = match field {
                Field::Number => " placeholder=\"ví dụ 280/BC-UBND\"",
                Field::Date => " placeholder=\"ngày/tháng/năm\"",
                _ => "",
            };
            format!("<input name=\"{}\" value=\"{value}\" maxlength=\"1000\"{placeholder}>", field.key())
        };
        let _ = write!(out, "<label><span>{}{by_person}</span>{input}{hint}</label>", esc(&capital(field.label_vi())));
    }
    out.push_str("<fieldset><legend>Văn bản được dẫn (số, ký hiệu · loại · ngày)</legend>");
    let mut seen = std::collections::HashSet::new();
    for citation in &doc.citations {
        let Some(cited) = &citation.id else { continue };
        if !seen.insert(cited.to_string()) {
            continue;
        }
        let unsure = citation.correction.as_ref().map(|c| format!("<small class=\"flag\">in là “{}”</small>", esc(&c.printed))).unwrap_or_default();
        let date = citation.date.as_deref().map(super::pages::vietnamese_date).unwrap_or_default();
        let _ = write!(
            out,
            "<div class=\"cite\"><input type=\"hidden\" name=\"cite_old\" value=\"{n}\">\
             <input name=\"cite_new\" value=\"{n}\" maxlength=\"100\" aria-label=\"Số, ký hiệu của văn bản được dẫn\">\
             <input name=\"cite_type\" value=\"{t}\" maxlength=\"60\" aria-label=\"Loại của văn bản được dẫn {n}\" placeholder=\"loại văn bản\">\
             <input name=\"cite_date\" value=\"{d}\" maxlength=\"40\" aria-label=\"Ngày của văn bản được dẫn {n}\" placeholder=\"ngày/tháng/năm\">\
             <label class=\"inline\"><input type=\"checkbox\" name=\"cite_del\" value=\"{n}\"> xoá (trích dẫn sai)</label>{unsure}</div>",
            n = esc(cited.as_str()),
            t = esc(&citation.doc_type),
            d = esc(&date),
        );
    }
    out.push_str("<label><span>Thêm số được dẫn mà máy bỏ sót</span><input name=\"cite_add\" maxlength=\"100\" placeholder=\"ví dụ 25-NQ/TW\"></label></fieldset>");
    out.push_str("<button type=\"submit\">Lưu sửa đổi</button></form></div>");
    history(&mut out, doc, journal, access);
    out.push_str("</section>");
    out
}

/// The name box and, unless the viewer is already trusted, the token box; the CSRF proof.
/// `inline`: the compact boxes of the history's undo buttons.
fn credentials(access: &Access, inline: bool) -> String {
    let name = esc(&access.name);
    let mut out = if inline {
        format!("<input name=\"by\" value=\"{name}\" required maxlength=\"100\" size=\"12\" placeholder=\"Người sửa\" aria-label=\"Người sửa\">")
    } else {
        format!("<label><span>Người sửa</span><input name=\"by\" value=\"{name}\" required maxlength=\"100\" autocomplete=\"name\"></label>")
    };
    match (&access.csrf, inline) {
        (Some(csrf), _) => {
            let _ = write!(out, "<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(csrf));
        }
        (None, true) => out.push_str("<input name=\"token\" type=\"password\" required size=\"10\" placeholder=\"Mã ghi\" aria-label=\"Mã ghi\" autocomplete=\"off\">"),
        (None, false) => out.push_str(
            "<label><span>Mã ghi</span><input name=\"token\" type=\"password\" required autocomplete=\"off\"><small>Người quản trị kho có mã này (in ra khi chạy <code>vanban serve</code> lần đầu).</small></label>",
        ),
    }
    out
}

fn history(out: &mut String, doc: &Document, journal: &Journal, access: &Access) {
    let entries: Vec<_> = journal.of_record(&doc.id).collect();
    out.push_str("<h3>Lịch sử sửa</h3>");
    if entries.is_empty() {
        out.push_str("<p>Chưa ai sửa văn bản này.</p>");
        return;
    }
    out.push_str("<table class=\"list history\"><thead><tr><th>#</th><th>Lúc (UTC)</th><th>Người sửa</th><th>Thay đổi</th><th></th></tr></thead><tbody>");
    for entry in entries.iter().rev() {
        let undone = journal.is_undone(&doc.id, entry.seq);
        let action = match (&entry.change, undone) {
            (Change::Set { .. }, false) => format!(
                "<form method=\"post\" action=\"/document/{}/undo\" class=\"undo\"><input type=\"hidden\" name=\"seq\" value=\"{}\">{}<button type=\"submit\">Hoàn tác</button></form>",
                url(&doc.id),
                entry.seq,
                credentials(access, true)
            ),
            (Change::Set { .. }, true) => "đã hoàn tác".to_owned(),
            (Change::Undo { .. }, _) => String::new(),
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{action}</td></tr>",
            entry.seq,
            esc(&entry.at.replace('T', " ").replace('Z', "")),
            esc(&entry.by),
            esc(&entry.change.describe_vi()),
        );
    }
    out.push_str("</tbody></table>");
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A form body (`application/x-www-form-urlencoded`) as (key, value) pairs.
fn form(body: &Bytes) -> Vec<(String, String)> {
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |&b| b == b'=');
            let key = parts.next().unwrap_or_default();
            let value = parts.next().unwrap_or_default();
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// `+` is a space, `%XX` a byte; invalid UTF-8 becomes U+FFFD.
fn percent_decode(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < text.len() => {
                match std::str::from_utf8(&text[i + 1..i + 3]).ok().filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit())).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn field<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn forbidden(message: &str) -> Failure {
    Failure { status: StatusCode::FORBIDDEN, message: message.to_owned(), retry_after: None }
}

/// Whether this write may go through: from a page of this server, by someone allowed.
/// Returns the token when the form carried it (to remember it in a cookie).
fn authorize(state: &AppState, peer: Option<&Peer>, headers: &HeaderMap, pairs: &[(String, String)]) -> Result<Option<String>, Failure> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let same = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")).is_some_and(|o| o == host);
        if !same {
            return Err(forbidden("Yêu cầu ghi này đến từ một trang khác (Origin không khớp): đã từ chối."));
        }
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|s| s.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return Err(forbidden("Yêu cầu ghi này đến từ một trang khác: đã từ chối."));
        }
    }
    let token = token::load(state.index_dir()).map_err(|err| Failure::internal(&anyhow::Error::from(err)))?;
    let Some(token) = token else {
        return Err(forbidden("Máy chủ chưa có mã ghi: hãy khởi động lại bằng `vanban serve` để tạo mã."));
    };
    let bearer = headers.get(header::AUTHORIZATION).and_then(|a| a.to_str().ok()).and_then(|a| a.strip_prefix("Bearer "));
    if bearer.is_some_and(|b| token::same(b.trim(), &token)) {
        return Ok(None);
    }
    if let Some(typed) = field(pairs, "token") {
        if token::same(typed.trim(), &token) {
            return Ok(Some(token));
        }
        return Err(forbidden("Mã ghi không đúng: hãy hỏi người quản trị kho."));
    }
    let proof_ok = field(pairs, "csrf").is_some_and(|c| token::same(c, &token::csrf(&token)));
    let trusted = is_loopback(peer) || cookie(headers, token::COOKIE).is_some_and(|c| token::same(c, &token));
    if proof_ok && trusted {
        return Ok(None);
    }
    if !trusted {
        return Err(forbidden("Muốn sửa từ máy khác cần mã ghi: hãy nhập mã ghi vào ô “Mã ghi” của biểu mẫu."));
    }
    Err(forbidden("Biểu mẫu đã cũ hoặc không phải của trang này: hãy tải lại trang văn bản rồi sửa lại."))
}

/// What every write carries: its form fields, the token to remember (when the form sent
/// one), and the clerk's name.
struct WriteRequest {
    pairs: Vec<(String, String)>,
    token: Option<String>,
    by: String,
}

/// Reads a write's form and checks that it may write (see [`authorize`]).
fn write_request(state: &AppState, peer: Option<&Peer>, headers: &HeaderMap, body: &Bytes) -> Result<WriteRequest, Failure> {
    let pairs = form(body);
    let token = authorize(state, peer, headers, &pairs)?;
    let by = field(&pairs, "by").unwrap_or("").to_owned();
    Ok(WriteRequest { pairs, token, by })
}

/// Runs a journal write off the server's async threads (it locks and fsyncs a file).
async fn journal<F>(what: &str, write: F) -> Result<anyhow::Result<corrections::Saved>, Failure>
where
    F: FnOnce() -> anyhow::Result<corrections::Saved> + Send + 'static,
{
    tokio::task::spawn_blocking(write).await.map_err(|err| Failure::internal(&anyhow::anyhow!("{what} stopped unexpectedly: {err}")))
}

/// `POST /document/{id}/fix`: the edit form.
pub async fn save(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    peer: Option<axum::Extension<Peer>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageFailure> {
    let Path(id) = id.map_err(bad_path)?;
    let WriteRequest { pairs, token, by } = write_request(&state, peer.as_deref(), &headers, &body)?;
    let mut edits = Vec::new();
    for own in Field::OWN {
        if let Some(value) = field(&pairs, own.key()) {
            edits.push(Edit::Set(own, value.to_owned()));
        }
    }
    let column = |key: &str| -> Vec<&str> { pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect() };
    let (olds, news, types, dates) = (column("cite_old"), column("cite_new"), column("cite_type"), column("cite_date"));
    let deleted = column("cite_del");
    for (i, old) in olds.iter().enumerate() {
        if deleted.contains(old) {
            continue;
        }
        // The type and date name the citation by the number it has now, so they go before a
        // change of that number in the same save; unchanged values are left out by the plan.
        if let Some(doc_type) = types.get(i).filter(|t| !t.trim().is_empty()) {
            edits.push(Edit::CiteType((*old).to_owned(), (*doc_type).to_owned()));
        }
        if let Some(date) = dates.get(i) {
            edits.push(Edit::CiteDate((*old).to_owned(), (*date).to_owned()));
        }
        match news.get(i).map(|n| n.trim()) {
            Some("") => edits.push(Edit::CiteDel((*old).to_owned())),
            Some(new) if new != old.trim() => edits.push(Edit::CiteSet((*old).to_owned(), new.to_owned())),
            _ => {}
        }
    }
    edits.extend(deleted.iter().map(|d| Edit::CiteDel((*d).to_owned())));
    if let Some(added) = field(&pairs, "cite_add").filter(|a| !a.trim().is_empty()) {
        edits.push(Edit::CiteAdd(added.to_owned()));
    }
    let index_dir = state.index_dir().to_path_buf();
    let record = id.clone();
    let name = by.clone();
    let result = journal("a save", move || corrections::save(&index_dir, &record, &name, &edits, crate::authority::Authority::builtin())).await?;
    finish(result, &id, &by, token)
}

/// `POST /document/{id}/undo`: a button of the history.
pub async fn undo(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    peer: Option<axum::Extension<Peer>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageFailure> {
    let Path(id) = id.map_err(bad_path)?;
    let WriteRequest { pairs, token, by } = write_request(&state, peer.as_deref(), &headers, &body)?;
    let seq: u64 = field(&pairs, "seq")
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| Failure::bad_request("Thiếu số thứ tự của lần sửa cần hoàn tác.".to_owned()))?;
    let index_dir = state.index_dir().to_path_buf();
    let (record, name) = (id.clone(), by.clone());
    let result = journal("an undo", move || corrections::undo(&index_dir, &record, seq, &name)).await?;
    finish(result, &id, &by, token)
}

/// A saved write goes back to the document page (303), remembering the name and, when the
/// form carried it, the token; a refused one says why, field by field.
fn finish(result: anyhow::Result<corrections::Saved>, id: &str, by: &str, token: Option<String>) -> Result<Response, PageFailure> {
    match result {
        Ok(_) => {
            let location = format!("/document/{}#sua", url(id));
            let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
            let cookies = response.headers_mut();
            let name = format!("{NAME_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Strict", encode_cookie(by.trim()));
            if let Ok(value) = HeaderValue::from_str(&name) {
                cookies.append(header::SET_COOKIE, value);
            }
            if let Some(token) = token {
                let value = format!("{}={token}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict", token::COOKIE);
                if let Ok(value) = HeaderValue::from_str(&value) {
                    cookies.append(header::SET_COOKIE, value);
                }
            }
            Ok(response)
        }
        Err(err) => {
            let (status, messages) = if let Some(invalid) = err.downcast_ref::<corrections::Invalid>() {
                (StatusCode::UNPROCESSABLE_ENTITY, invalid.0.iter().map(|(_, m)| m.clone()).collect())
            } else if err.downcast_ref::<corrections::NoRecord>().is_some() {
                (StatusCode::NOT_FOUND, vec![err.to_string()])
            } else if err.to_string().contains("Kho đang được cập nhật") {
                (StatusCode::SERVICE_UNAVAILABLE, vec![err.to_string()])
            } else {
                tracing::error!("{err:#}");
                (StatusCode::INTERNAL_SERVER_ERROR, vec![format!("Không lưu được: {err:#}")])
            };
            let mut body = String::from("<section class=\"edit\"><h1>Chưa lưu</h1><p>Không có gì được ghi vào sổ sửa vì:</p><ul class=\"errors\">");
            for message in &messages {
                let _ = write!(body, "<li>{}</li>", esc(message));
            }
            let _ = write!(body, "</ul><p><a href=\"/document/{}#sua\">Quay lại văn bản</a> (hoặc nút Quay lại của trình duyệt để giữ các giá trị đã nhập).</p></section>", url(id));
            Ok(html::html_response(status, html::page("Chưa lưu", "", &body)))
        }
    }
}

/// Names are kept in a cookie percent-encoded (a cookie value is ASCII without `;`).
fn encode_cookie(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn decode_cookie(text: &str) -> String {
    percent_decode(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_and_cookies_decode() {
        let pairs = form(&Bytes::from_static(b"by=Nguy%E1%BB%85n+Lan&cite_old=107%2FKH-UBND&x=%ZZ&empty="));
        assert_eq!(pairs[0], ("by".to_owned(), "Nguyễn Lan".to_owned()));
        assert_eq!(pairs[1].1, "107/KH-UBND");
        assert_eq!(pairs[2].1, "%ZZ");
        assert_eq!(pairs[3].1, "");
        assert_eq!(decode_cookie(&encode_cookie("Trần Thị Hà; x")), "Trần Thị Hà; x");
        assert_eq!(percent_decode(b"50%"), "50%");
    }
}
