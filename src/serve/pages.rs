//! The HTML pages: search, document, missing documents, and the embedded assets.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use std::fmt::Write;

use super::failure::{Failure, PageFailure};
use super::html::{self, esc, numbered_text, query_string, url};
use super::state::AppState;
use super::views::{self, CitationsView, LinkedCitation, SearchForm, SearchView};
use crate::cite::Relation;
use crate::index::{FacetValue, Hit, MatchKind, QueryKind, Snippet};
use crate::record::{Document, SourceKind};

/// The missing-documents page lists this many; the download has them all.
const MISSING_ROWS_SHOWN: usize = 1000;

pub async fn search(State(state): State<AppState>, form: Result<Query<SearchForm>, QueryRejection>) -> Result<Response, PageFailure> {
    let Query(form) = form.map_err(bad_query)?;
    let shown = form.clone();
    let view = state.with_archive(move |_, archive| views::search(archive, &form)).await?;
    let title = if shown.q.trim().is_empty() { "Tìm kiếm".to_string() } else { shown.q.trim().to_string() };
    Ok(html::html_response(StatusCode::OK, html::page(&title, &shown.q, &search_body(&shown, &view))))
}

#[derive(Debug, Default, Deserialize)]
pub struct DocumentParams {
    #[serde(default)]
    page: String,
    /// `raw`: OCR as read; `layer`: a PDF's own text layer; otherwise the repaired text.
    #[serde(default)]
    view: String,
}

pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    params: Result<Query<DocumentParams>, QueryRejection>,
    peer: Option<axum::Extension<super::edit::Peer>>,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageFailure> {
    let Path(id) = id.map_err(bad_path)?;
    let Query(params) = params.map_err(bad_query)?;
    let access = super::edit::access(&state, peer.as_deref(), &headers);
    let (doc, links, journal) = state
        .with_archive(move |_, archive| {
            let doc = views::record(archive, &id)?;
            let links = views::citations(archive, &doc)?;
            let journal = archive.journal().map_err(|err| Failure::internal(&err))?;
            Ok((doc, links, journal))
        })
        .await?;
    let page_number = match params.page.trim() {
        "" => 1,
        text => text.parse::<u32>().ok().filter(|n| (1..=doc.pages.len() as u32).contains(n)).ok_or_else(|| {
            Failure::not_found(format!("Văn bản này có {} trang; không có trang “{text}”.", doc.pages.len()))
        })?,
    };
    let title = document_title(&doc);
    let mut body = document_body(&doc, &links, page_number, &params.view);
    body.push_str(&super::edit::section(&doc, &journal, &access));
    Ok(html::html_response(StatusCode::OK, html::page(&title, "", &body)))
}

pub async fn missing(State(state): State<AppState>) -> Result<Response, PageFailure> {
    // Reads every record (one at a time): an expensive request, taking its turn.
    let turn = state.heavy().turn().await?;
    let rows = state
        .with_archive(move |_, archive| {
            let _turn = turn;
            crate::export::archive_missing_documents(archive).map_err(|err| Failure::internal(&err))
        })
        .await?;
    let mut body = String::from("<section class=\"missing\"><h1>Văn bản được trích dẫn nhưng chưa có trong kho</h1>");
    let _ = write!(
        body,
        "<p>{} văn bản được các văn bản trong kho trích dẫn mà kho chưa lưu; nhiều lần trích dẫn nhất ở trên cùng. \
         Tải về: <a href=\"/api/export/missing?format=csv\" download>CSV</a> · <a href=\"/api/export/missing?format=json\" download>JSON</a></p>",
        rows.len()
    );
    body.push_str("<table class=\"list\"><thead><tr><th>Văn bản</th><th>Ngày</th><th>Cơ quan ban hành</th><th>Trích yếu</th><th>Số lần trích dẫn</th><th>Được trích dẫn trong</th></tr></thead><tbody>");
    for row in rows.iter().take(MISSING_ROWS_SHOWN) {
        let name = row.cited_id.as_deref().or(row.cited_name.as_deref()).unwrap_or("");
        let search = format!("/{}", query_string(&[("q", name)]));
        let _ = write!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&search),
            esc(&typed_name(&row.cited_type, name)),
            esc(row.cited_date.as_deref().map(vietnamese_date).as_deref().unwrap_or("")),
            esc(row.cited_issuer.as_deref().unwrap_or("")),
            esc(row.cited_subject.as_deref().unwrap_or("")),
            row.times_cited,
            esc(&row.cited_by_joined()),
        );
    }
    body.push_str("</tbody></table>");
    if rows.len() > MISSING_ROWS_SHOWN {
        let _ = write!(body, "<p>Trang này chỉ hiện {MISSING_ROWS_SHOWN} dòng đầu; bản tải về có đủ {} dòng.</p>", rows.len());
    }
    body.push_str("</section>");
    Ok(html::html_response(StatusCode::OK, html::page("Văn bản còn thiếu", "", &body)))
}

pub async fn asset(name: Result<Path<String>, PathRejection>) -> Result<Response, PageFailure> {
    let Path(name) = name.map_err(bad_path)?;
    Ok(match name.as_str() {
        "style.css" => super::fixed("text/css; charset=utf-8", include_str!("assets/style.css")),
        "app.js" => super::fixed("text/javascript; charset=utf-8", include_str!("assets/app.js")),
        "icon.svg" => super::fixed("image/svg+xml", include_str!("assets/icon.svg")),
        _ => return Err(Failure::not_found("Không có tệp này.".to_string()).into()),
    })
}

pub fn bad_query(rejection: QueryRejection) -> Failure {
    Failure::bad_request(format!("Tham số của địa chỉ không đọc được ({}); hãy tìm lại từ ô tìm kiếm.", rejection.body_text()))
}

pub fn bad_path(rejection: PathRejection) -> Failure {
    Failure::bad_request(format!("Địa chỉ không đọc được ({}).", rejection.body_text()))
}

fn search_body(form: &SearchForm, view: &SearchView) -> String {
    let results = &view.results;
    let mut out = String::from("<div class=\"layout\">");
    out.push_str(&facets(form, view));
    out.push_str("<section class=\"results\">");
    out.push_str(&summary(form, view));
    for notice in &results.notices {
        let _ = write!(out, "<p class=\"notice\">{}</p>", esc(&vietnamese_notice(notice)));
    }
    out.push_str("<ol class=\"hits\">");
    let words_typed = crate::index::query_has_words(&form.q);
    for hit in &results.hits {
        out.push_str(&hit_item(hit, words_typed));
    }
    out.push_str("</ol>");
    out.push_str(&pager(form, view));
    if !form.is_blank() && results.total > 0 {
        let export = |format: &str| {
            let mut pairs = form_pairs(form);
            pairs.push(("format", format));
            format!("/api/export/crossref{}", query_string(&pairs))
        };
        let _ = write!(
            out,
            "<p class=\"export\">Tải danh sách trích dẫn của các văn bản tìm được: <a href=\"{}\" download>CSV</a> · <a href=\"{}\" download>JSON</a></p>",
            esc(&export("csv")),
            esc(&export("json"))
        );
    }
    out.push_str("</section></div>");
    out
}

fn summary(form: &SearchForm, view: &SearchView) -> String {
    let results = &view.results;
    let text = match (results.kind, &results.number) {
        (QueryKind::Number, Some(number)) if view.page == 1 => {
            let held = results.hits.iter().filter(|h| h.match_kind == MatchKind::Document).count();
            let citing = results.total.saturating_sub(held);
            if held > 0 {
                format!("<strong>{}</strong>: văn bản có trong kho, và {citing} văn bản trích dẫn văn bản này.", esc(number))
            } else {
                format!(
                    "<strong>{}</strong>: <span class=\"absent\">không có trong kho lưu trữ</span>; {citing} văn bản trích dẫn văn bản này.",
                    esc(number)
                )
            }
        }
        _ if form.is_blank() => format!("Kho lưu trữ có <strong>{}</strong> văn bản.", results.total),
        _ => format!("<strong>{}</strong> văn bản khớp với tìm kiếm.", results.total),
    };
    format!("<p class=\"summary\">{text}</p>")
}

fn hit_item(hit: &Hit, words_typed: bool) -> String {
    let link = format!("/document/{}", url(&hit.record_id));
    let mut out = String::from("<li class=\"hit\">");
    let number = hit.number.as_deref().unwrap_or("(không rõ số hiệu)");
    let _ = write!(out, "<h2><a href=\"{}\">{} {}</a>", esc(&link), esc(hit.doc_type.as_deref().unwrap_or("")), esc(number));
    match hit.match_kind {
        MatchKind::Document => out.push_str(" <span class=\"badge own\">Văn bản gốc</span>"),
        MatchKind::Cites => out.push_str(" <span class=\"badge cites\">Trích dẫn</span>"),
        MatchKind::Candidate => out.push_str(" <span class=\"badge unsure\" title=\"Số của văn bản này đọc chưa chắc chắn; có thể là số đang tìm\">Có thể là văn bản gốc</span>"),
        MatchKind::Text => {}
    }
    if let (Some(note), MatchKind::Document | MatchKind::Candidate | MatchKind::Text) = (&hit.number_note, hit.match_kind) {
        let _ = write!(out, " <span class=\"badge unsure\" title=\"{}\">Số chưa chắc chắn</span>", esc(note));
    }
    if hit.fuzzy {
        out.push_str(" <span class=\"badge fuzzy\" title=\"Khớp với một từ sai khác một chữ (lỗi OCR)\">Gần đúng</span>");
    }
    out.push_str("</h2>");
    let facts: Vec<String> = [hit.issuer.clone(), hit.date.as_deref().map(vietnamese_date)].into_iter().flatten().collect();
    if !facts.is_empty() {
        let _ = write!(out, "<p class=\"facts\">{}</p>", esc(&facts.join(" · ")));
    }
    if let Some(subject) = &hit.subject {
        let _ = write!(out, "<p class=\"subject\">{}</p>", esc(subject));
    }
    write_snippets(&mut out, &link, &hit.snippets);
    if words_typed && hit.match_kind == MatchKind::Text && hit.snippets.is_empty() {
        // The words are nowhere in the text: the search found them in a signer's name.
        out.push_str("<p class=\"snippet\">Khớp với tên người ký văn bản.</p>");
    }
    out.push_str("</li>");
    out
}

/// The form's fields as query pairs, without the page (a new filter starts at page 1).
fn form_pairs(form: &SearchForm) -> Vec<(&'static str, &str)> {
    vec![
        ("q", form.q.as_str()),
        ("type", form.doc_type.as_str()),
        ("issuer", form.issuer.as_str()),
        ("year", form.year.as_str()),
        ("from", form.from.as_str()),
        ("to", form.to.as_str()),
    ]
}

fn facets(form: &SearchForm, view: &SearchView) -> String {
    let Some(counts) = &view.results.facets else { return String::new() };
    let mut out = String::from("<aside class=\"facets\" aria-label=\"Bộ lọc\">");
    let groups: [(&str, &str, &[FacetValue], &str); 3] = [
        ("Loại văn bản", "type", &counts.doc_type, &form.doc_type),
        ("Cơ quan ban hành", "issuer", &counts.issuer, &form.issuer),
        ("Năm", "year", &counts.year, &form.year),
    ];
    for (label, field, values, chosen) in groups {
        let _ = write!(out, "<h3>{label}</h3><ul>");
        let chosen = chosen.trim();
        if !chosen.is_empty() {
            let pairs: Vec<(&str, &str)> = form_pairs(form).into_iter().filter(|(k, _)| *k != field).collect();
            let _ = write!(
                out,
                "<li class=\"chosen\"><a href=\"/{}\" title=\"Bỏ bộ lọc này\">✕ {}</a></li>",
                esc(&query_string(&pairs)),
                esc(chosen)
            );
        }
        for value in values.iter().filter(|v| v.value != chosen) {
            let pairs: Vec<(&str, &str)> = form_pairs(form)
                .into_iter()
                .map(|(k, v)| if k == field { (k, value.value.as_str()) } else { (k, v) })
                .collect();
            let _ = write!(
                out,
                "<li><a href=\"/{}\">{}</a> <span class=\"count\">{}</span></li>",
                esc(&query_string(&pairs)),
                esc(&value.value),
                value.count
            );
        }
        if values.is_empty() && chosen.is_empty() {
            out.push_str("<li class=\"none\">—</li>");
        }
        out.push_str("</ul>");
    }
    let _ = write!(
        out,
        "<h3>Khoảng ngày</h3><form class=\"dates\" action=\"/\" method=\"get\">{}\
         <label>Từ <input name=\"from\" value=\"{}\" placeholder=\"2024-01-01\"></label>\
         <label>Đến <input name=\"to\" value=\"{}\" placeholder=\"31/12/2024\"></label>\
         <button type=\"submit\">Lọc</button></form>",
        form_pairs(form)
            .into_iter()
            .filter(|(k, v)| !matches!(*k, "from" | "to") && !v.trim().is_empty())
            .map(|(k, v)| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", esc(v)))
            .collect::<String>(),
        esc(&form.from),
        esc(&form.to),
    );
    out.push_str("</aside>");
    out
}

fn pager(form: &SearchForm, view: &SearchView) -> String {
    if view.pages <= 1 {
        return String::new();
    }
    let link = |page: usize| {
        let page = page.to_string();
        let mut pairs = form_pairs(form);
        pairs.push(("page", &page));
        format!("/{}", query_string(&pairs))
    };
    let mut out = String::from("<nav class=\"pager\">");
    if view.page > 1 {
        let _ = write!(out, "<a href=\"{}\" rel=\"prev\">← Trang trước</a>", esc(&link(view.page - 1)));
    }
    let _ = write!(out, "<span>Trang {} / {}</span>", view.page, view.pages);
    if view.page < view.pages {
        let _ = write!(out, "<a href=\"{}\" rel=\"next\">Trang sau →</a>", esc(&link(view.page + 1)));
    }
    out.push_str("</nav>");
    out
}

fn document_title(doc: &Document) -> String {
    let meta = &doc.metadata;
    let number = meta.id.as_ref().map(|id| id.to_string()).or_else(|| meta.number_raw.clone());
    match (&meta.doc_type, number) {
        (Some(t), Some(n)) => format!("{t} {n}"),
        (None, Some(n)) => n,
        (Some(t), None) => t.clone(),
        (None, None) => file_name(&doc.source_path).to_string(),
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn document_body(doc: &Document, links: &CitationsView, page_number: u32, view: &str) -> String {
    let meta = &doc.metadata;
    let mut out = String::from("<nav class=\"crumbs\"><a href=\"/\">← Tìm kiếm</a></nav><article class=\"document\">");
    let _ = write!(out, "<h1>{}</h1>", esc(&document_title(doc)));
    if let Some(subject) = &meta.subject {
        let _ = write!(out, "<p class=\"subject\">{}</p>", esc(subject));
    }
    out.push_str("<div class=\"reader\">");
    out.push_str(&scan_panel(doc, page_number));
    out.push_str(&text_panel(doc, page_number, view));
    out.push_str("</div><div class=\"details\">");
    out.push_str(&metadata_panel(doc));
    out.push_str(&citations_panel(links));
    out.push_str("</div></article>");
    out
}

fn page_tabs(doc: &Document, page_number: u32, view: &str) -> String {
    if doc.pages.len() <= 1 {
        return String::new();
    }
    let mut out = String::from("<nav class=\"pages\" aria-label=\"Trang\">Trang:");
    for page in &doc.pages {
        let href = format!("/document/{}{}", url(&doc.id), query_string(&[("page", &page.number.to_string()), ("view", view)]));
        let current = if page.number == page_number { " aria-current=\"page\"" } else { "" };
        let _ = write!(out, " <a href=\"{}\"{current}>{}</a>", esc(&href), page.number);
    }
    out.push_str("</nav>");
    out
}

fn scan_panel(doc: &Document, page_number: u32) -> String {
    let mut out = String::from("<section class=\"scan\"><h2>Bản quét</h2>");
    if doc.source_kind == SourceKind::Text {
        out.push_str("<p class=\"none\">Văn bản này được nhập từ tệp chữ nên không có ảnh trang.</p>");
    } else {
        let src = format!("/api/documents/{}/pages/{page_number}/image", url(&doc.id));
        let _ = write!(
            out,
            "<a href=\"{0}\" target=\"_blank\" rel=\"noopener\"><img src=\"{0}\" alt=\"Ảnh trang {page_number} của văn bản\"></a>",
            esc(&src)
        );
    }
    let _ = write!(out, "<p class=\"source\">Tệp gốc: <code>{}</code></p>", esc(&doc.source_path));
    if doc.source_kind != SourceKind::Text {
        let href = format!("/api/documents/{}/pdf", url(&doc.id));
        let _ = write!(out, "<p class=\"download\"><a href=\"{}\" download>Tải PDF có thể tìm kiếm</a></p>", esc(&href));
    }
    out.push_str("</section>");
    out
}

fn text_panel(doc: &Document, page_number: u32, view: &str) -> String {
    let Some(page) = doc.pages.iter().find(|p| p.number == page_number).or(doc.pages.first()) else {
        return "<section class=\"reading\"><p class=\"none\">Văn bản không có trang nào.</p></section>".to_string();
    };
    let view = match view {
        "raw" => "raw",
        "layer" if page.text_layer.is_some() => "layer",
        _ => "",
    };
    let mut out = String::from("<section class=\"reading\">");
    out.push_str(&page_tabs(doc, page_number, view));
    let tab = |name: &str, label: &str| {
        let href = format!("/document/{}{}", url(&doc.id), query_string(&[("page", &page_number.to_string()), ("view", name)]));
        let current = if name == view { " aria-current=\"true\"" } else { "" };
        format!("<a href=\"{}\"{current}>{label}</a>", esc(&href))
    };
    out.push_str("<nav class=\"tabs\">");
    out.push_str(&tab("", "Văn bản đã sửa lỗi"));
    // A page read from its PDF text layer was never OCR'd: its raw text is that layer.
    let raw_label = if page.source == crate::record::PageSource::TextLayer { "Lớp chữ gốc" } else { "Bản OCR gốc" };
    out.push_str(&tab("raw", raw_label));
    if page.text_layer.is_some() {
        out.push_str(&tab("layer", "Lớp chữ của PDF"));
    }
    out.push_str("</nav>");
    if let Some(note) = layer_note(page) {
        let _ = write!(out, "<p class=\"legend layer\">{}</p>", esc(&note));
    }
    match view {
        "raw" => {
            if let Some(confidence) = page.mean_confidence {
                let _ = write!(out, "<p class=\"legend\">Chữ như Tesseract đọc được (độ tin cậy trung bình {confidence:.0}/100).</p>");
            }
            out.push_str(&numbered_text(&page.raw_text, &[]));
        }
        "layer" => out.push_str(&numbered_text(page.text_layer.as_deref().unwrap_or_default(), &[])),
        _ => {
            let unsure = page.corrections.iter().filter(|c| c.confidence < html::UNSURE_BELOW).count();
            let _ = write!(
                out,
                "<p class=\"legend\">{} từ đã được sửa (<span class=\"corr\">gạch chân</span>), trong đó {unsure} từ chưa chắc chắn \
                 (<span class=\"corr unsure\">tô vàng</span>): trỏ chuột hoặc bấm vào từ để xem chữ OCR đọc và phương án khác.</p>",
                page.corrections.len()
            );
            out.push_str(&numbered_text(&page.repaired_text, &page.corrections));
        }
    }
    out.push_str("</section>");
    out
}

/// What the PDF's own text layer did for this page, in a clerk's words.
fn layer_note(page: &crate::record::Page) -> Option<String> {
    use crate::pdf::layer::LayerKind;
    let verdict = page.layer.as_ref()?;
    Some(match verdict.kind {
        LayerKind::Faithful if page.source == crate::record::PageSource::TextLayer => {
            "Trang này lấy nguyên văn từ lớp chữ của tệp PDF (văn bản điện tử), không qua OCR.".to_owned()
        }
        LayerKind::Garbled => format!(
            "Lớp chữ của PDF là bản OCR cũ bị lỗi; đã so từng dòng với bản OCR mới và giữ {} dòng của lớp chữ.",
            verdict.lines_from_layer.len()
        ),
        LayerKind::Partial => {
            let words: Vec<&str> = verdict.evidence.iter().map(|w| w.text.as_str()).collect();
            format!("Lớp chữ của PDF chỉ có ô chữ ký số hoặc dấu: {}", words.join(" "))
        }
        _ => return None,
    })
}

fn metadata_panel(doc: &Document) -> String {
    let meta = &doc.metadata;
    let signer = match (&meta.signer_title, &meta.signer) {
        (Some(title), Some(name)) => Some(format!("{name}, {title}")),
        (_, name) => name.clone(),
    };
    let rows: [(&str, Option<String>); 11] = [
        ("Số, ký hiệu", meta.id.as_ref().map(|id| id.to_string()).or_else(|| meta.number_raw.clone())),
        ("Loại văn bản", meta.doc_type.clone()),
        ("Cơ quan ban hành", meta.issuer.clone()),
        ("Cơ quan chủ quản", meta.parent_issuer.clone()),
        ("Nơi ban hành", meta.place.clone()),
        ("Ngày ban hành", meta.date.as_deref().map(vietnamese_date)),
        ("Trích yếu", meta.subject.clone()),
        ("Người ký", signer),
        ("Nơi nhận", (!meta.recipients.is_empty()).then(|| meta.recipients.join("; "))),
        ("Số trang", Some(doc.pages.len().to_string())),
        ("Mã văn bản", Some(doc.id.clone())),
    ];
    let mut out = String::from("<section class=\"meta\"><h2>Thông tin văn bản</h2><dl>");
    for (label, value) in rows {
        // A header field inferred or unsure says so beside its value (see header::evidence).
        let field = match label {
            "Số, ký hiệu" => Some(crate::header::FieldName::Number),
            "Loại văn bản" => Some(crate::header::FieldName::DocType),
            "Cơ quan ban hành" => Some(crate::header::FieldName::Issuer),
            "Ngày ban hành" => Some(crate::header::FieldName::Date),
            _ => None,
        };
        let evidence = field.and_then(|f| meta.evidence.get(f));
        let note = evidence.and_then(|e| e.note());
        let class = match evidence {
            Some(e) if e.needs_review => " class=\"unsure-field\"",
            Some(e) if e.origin == crate::header::Origin::Inferred => " class=\"inferred-field\"",
            _ => "",
        };
        let note = note.map(|n| format!("<span class=\"field-note\">{}</span>", esc(&n))).unwrap_or_default();
        match value {
            Some(value) => {
                let _ = write!(out, "<dt>{label}</dt><dd{class}>{}{note}</dd>", esc(&value));
            }
            None if !note.is_empty() => {
                let _ = write!(out, "<dt>{label}</dt><dd{class}>—{note}</dd>");
            }
            None => {}
        }
    }
    out.push_str("</dl>");
    for line in crate::pdf::signature::summary_lines(&doc.signatures) {
        let class = if line.status == crate::pdf::Status::Valid { "signature" } else { "signature bad" };
        let repeat = if line.times > 1 { format!(" <span class=\"times\">({} chữ ký)</span>", line.times) } else { String::new() };
        let _ = write!(out, "<p class=\"{class}\">{}{repeat}</p>", esc(&line.text));
    }
    for note in meta.flags.iter().chain(&doc.warnings) {
        let _ = write!(out, "<p class=\"warning\">{}</p>", esc(note));
    }
    let _ = write!(
        out,
        "<p class=\"json\"><a href=\"/api/documents/{}\">Bản ghi JSON</a></p></section>",
        esc(&url(&doc.id))
    );
    out
}

fn citations_panel(links: &CitationsView) -> String {
    let mut out = String::from("<section class=\"citations\">");
    let groups = cited_documents(&links.citations);
    let times = if groups.len() == links.citations.len() { String::new() } else { format!(", {} lần", links.citations.len()) };
    let _ = write!(out, "<h2>Văn bản được trích dẫn ({}{times})</h2>", groups.len());
    if links.citations.is_empty() {
        out.push_str("<p class=\"none\">Không tìm thấy trích dẫn nào trong văn bản.</p>");
    }
    out.push_str("<ul class=\"cited\">");
    for group in &groups {
        out.push_str(&citation_item(group));
    }
    out.push_str("</ul>");
    let _ = write!(out, "<h2>Được trích dẫn bởi ({})</h2>", links.cited_by_total);
    if links.cited_by.is_empty() {
        out.push_str("<p class=\"none\">Chưa văn bản nào trong kho trích dẫn văn bản này.</p>");
    }
    out.push_str("<ul class=\"cited-by\">");
    for hit in &links.cited_by {
        let href = format!("/document/{}", url(&hit.record_id));
        let _ = write!(
            out,
            "<li><a href=\"{}\">{} {}</a>{}",
            esc(&href),
            esc(hit.doc_type.as_deref().unwrap_or("")),
            esc(hit.number.as_deref().unwrap_or("(không rõ số hiệu)")),
            hit.date.as_deref().map(|d| format!(" <span class=\"date\">{}</span>", esc(&vietnamese_date(d)))).unwrap_or_default()
        );
        write_snippets(&mut out, &href, &hit.snippets);
        out.push_str("</li>");
    }
    out.push_str("</ul></section>");
    out
}

/// One cited document with every place the page cites it: a plan that cites Nghị định
/// 45/2022 nine times lists it once, so the clerk reads which documents it rests on.
fn cited_documents(citations: &[LinkedCitation]) -> Vec<Vec<&LinkedCitation>> {
    let mut groups: Vec<(String, Vec<&LinkedCitation>)> = Vec::new();
    for link in citations {
        let c = &link.citation;
        let key = crate::export::citation_key(c).unwrap_or_else(|| format!("raw:{}", crate::viet::fold(&c.raw).to_lowercase()));
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(link),
            None => groups.push((key, vec![link])),
        }
    }
    groups.into_iter().map(|(_, members)| members).collect()
}

/// Shown beside a place ("trang 2, dòng 29") when it was cited more often than this.
const PLACES_SHOWN: usize = 6;

fn citation_item(group: &[&LinkedCitation]) -> String {
    let first = group[0];
    let c = &first.citation;
    // What the clerk should read first: the relation that says why the document is cited
    // (căn cứ, thay thế …) over a mere mention, and the fields of the fullest mention.
    let relation = group.iter().map(|l| l.citation.relation).find(|r| *r != Relation::Mention).unwrap_or(c.relation);
    let date = group.iter().find_map(|l| l.citation.date.as_deref());
    let issuer = group.iter().find_map(|l| l.citation.issuer.as_deref());
    let subject = group.iter().find_map(|l| l.citation.subject.as_deref());
    let name = c.id.as_ref().map(|id| id.to_string()).or_else(|| c.name.clone()).unwrap_or_else(|| c.raw.clone());
    let label = typed_name(&c.doc_type, &name);
    let mut out = format!("<li><span class=\"relation\">{}</span> ", relation_label(relation));
    match group.iter().find_map(|l| l.cited_record_id.as_deref()) {
        Some(id) => {
            let _ = write!(out, "<a class=\"held\" href=\"/document/{}\">{}</a>", esc(&url(id)), esc(&label));
        }
        None => {
            let search = format!("/{}", query_string(&[("q", &name)]));
            let _ = write!(
                out,
                "<a class=\"not-held\" href=\"{}\" title=\"Tìm các văn bản khác trích dẫn văn bản này\">{}</a> <span class=\"absent\">không có trong kho lưu trữ</span>",
                esc(&search),
                esc(&label)
            );
        }
    }
    let inferred = |field: &str| group.iter().any(|l| l.citation.inferred.iter().any(|f| f == field));
    let mut facts = Vec::new();
    if let Some(d) = date {
        facts.push(if inferred("date") { format!("{} (theo danh mục văn bản)", vietnamese_date(d)) } else { vietnamese_date(d) });
    }
    if let Some(i) = issuer {
        facts.push(if inferred("issuer") { format!("{i} (theo danh mục văn bản)") } else { i.to_string() });
    }
    if !facts.is_empty() {
        let _ = write!(out, " <span class=\"facts\">{}</span>", esc(&facts.join(", ")));
    }
    if let Some(subject) = subject {
        let _ = write!(out, "<span class=\"subject\"> — {}</span>", esc(subject));
    }
    out.push_str(&doubts(group));
    let places: Vec<String> = group.iter().take(PLACES_SHOWN).map(|l| format!("trang {}, dòng {}", l.citation.page, l.citation.line)).collect();
    let more = if group.len() > PLACES_SHOWN { format!("; … {} lần", group.len()) } else if group.len() > 1 { format!(" — {} lần", group.len()) } else { String::new() };
    let class = if group.len() > 1 { "where places" } else { "where" };
    let _ = write!(out, " <span class=\"{class}\">({}{more})</span></li>", places.join("; "));
    out
}

/// What a person should check about a cited document: the number as printed when the
/// machine changed it or could not settle it (with the numbers to choose between), and the
/// fields it could not read. The reason stays in the tooltip and in the JSON record.
fn doubts(group: &[&LinkedCitation]) -> String {
    let mut out = String::new();
    let mut printed_seen: Vec<&str> = Vec::new();
    for link in group {
        let Some(k) = &link.citation.correction else { continue };
        if printed_seen.contains(&k.printed.as_str()) {
            continue;
        }
        printed_seen.push(&k.printed);
        let chosen = link.citation.id.as_ref().map(|id| id.to_string()).unwrap_or_default();
        let what = if chosen.is_empty() || chosen == k.printed {
            format!("số in trên bản {} giữ nguyên, chưa chắc", k.printed)
        } else {
            format!("bản in đọc được {}, máy sửa thành {chosen}", k.printed)
        };
        let others: Vec<&str> = k.candidates.iter().map(String::as_str).filter(|n| *n != chosen).collect();
        let choices = if others.is_empty() { String::new() } else { format!("; có thể là {}", others.join(", ")) };
        let check = if k.needs_review { " — cần kiểm tra" } else { "" };
        let _ = write!(out, "<p class=\"doubt\" title=\"{}\">{}{}{check}</p>", esc(&k.reason), esc(&what), esc(&choices));
    }
    let mut fields: Vec<&str> = Vec::new();
    for link in group {
        for field in &link.citation.review {
            let named = crate::header::FieldName::ALL.into_iter().find(|f| f.key() == field);
            let label = named.map_or(field.as_str(), |f| f.label_vi());
            if !fields.contains(&label) {
                fields.push(label);
            }
        }
    }
    if !fields.is_empty() {
        let _ = write!(out, "<p class=\"doubt\">Cần kiểm tra: {}</p>", esc(&fields.join(", ")));
    }
    out
}

/// "Nghị định 30/2020/NĐ-CP"; a law cited by name already says "Luật …".
fn typed_name(doc_type: &str, name: &str) -> String {
    let fold = |text: &str| crate::viet::fold(text).to_lowercase();
    if doc_type.is_empty() || fold(name).starts_with(&fold(doc_type)) {
        name.to_string()
    } else {
        format!("{doc_type} {name}")
    }
}

fn relation_label(relation: Relation) -> &'static str {
    match relation {
        Relation::CanCu => "Căn cứ",
        Relation::ThucHien => "Thực hiện",
        Relation::ThayThe => "Thay thế",
        Relation::SuaDoi => "Sửa đổi, bổ sung",
        Relation::BaiBo => "Bãi bỏ",
        Relation::Mention => "Dẫn chiếu",
    }
}

/// `2024-03-17` → `17/03/2024`, as Vietnamese documents write dates; anything else as is.
pub(super) fn vietnamese_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        [y, m] => format!("{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// The index explains its repairs and fallbacks in English; the clerk reads Vietnamese.
/// Known sentences are translated, anything new is shown as it is rather than dropped.
pub(super) fn vietnamese_notice(notice: &str) -> String {
    if let Some((scope, rest)) = notice.strip_prefix("no document").and_then(|r| r.split_once(" has or cites the number ")) {
        let number = rest.split(';').next().unwrap_or(rest);
        let within = if scope.contains("date range") { " trong khoảng ngày đã chọn" } else { "" };
        return format!("Không có văn bản nào{within} mang hoặc trích dẫn số {number}; đã tìm số này trong nội dung văn bản.");
    }
    if let Some((asked, rest)) = notice.strip_prefix("no document has or cites ").and_then(|r| r.split_once("; showing ")) {
        let central = rest.split(" (").next().unwrap_or(rest);
        return format!("Không có văn bản nào mang hoặc trích dẫn số {asked}; đang hiện {central} (TƯ: Trung ương).");
    }
    if let Some(rest) = notice.strip_prefix("no document contains “") {
        let word = rest.split('”').next().unwrap_or(rest);
        return format!("Không văn bản nào chứa “{word}”; đang hiện các văn bản có từ chỉ khác một chữ (đánh dấu “Gần đúng”).");
    }
    let known: &[(&str, &str)] = &[
        ("control characters in the query", "Các ký tự điều khiển trong câu tìm kiếm được đọc như dấu cách."),
        ("a quote was not closed", "Thiếu dấu ngoặc kép đóng; cụm từ được hiểu là kéo đến hết câu tìm kiếm."),
        ("a `)` without its `(`", "Bỏ qua dấu “)” không có “(” tương ứng."),
        ("a `(` was not closed", "Thiếu dấu “)”; đã tự đóng ở cuối câu tìm kiếm."),
        ("an `OR` with nothing", "Bỏ qua từ OR thiếu vế."),
        ("an `AND` with nothing", "Bỏ qua từ AND thiếu vế."),
        ("a `NOT` with nothing", "Bỏ qua từ NOT không có gì theo sau."),
        ("more than 8 words have no exact match", "Có hơn 8 từ không có trong kho; chỉ 8 từ đầu được tìm gần đúng."),
    ];
    for (prefix, vietnamese) in known {
        if notice.starts_with(prefix) {
            return vietnamese.to_string();
        }
    }
    if notice.ends_with("has no value and was ignored") {
        return format!("Bộ lọc {} không có giá trị nên bị bỏ qua.", notice.split(' ').next().unwrap_or(""));
    }
    notice.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_law_cited_by_name_is_not_called_luat_twice() {
        assert_eq!(typed_name("Luật", "Luật Tổ chức Chính phủ"), "Luật Tổ chức Chính phủ");
        assert_eq!(typed_name("Nghị định", "30/2020/NĐ-CP"), "Nghị định 30/2020/NĐ-CP");
    }

    fn cited(id: &str, line: u32, relation: Relation) -> LinkedCitation {
        let citation = crate::cite::Citation {
            doc_type: "Nghị định".into(),
            id: crate::cite::DocId::parse(id),
            relation,
            raw: id.into(),
            page: 1,
            line,
            ..Default::default()
        };
        LinkedCitation { citation, in_archive: false, cited_record_id: None }
    }

    #[test]
    fn a_document_cited_many_times_is_listed_once_with_its_places_and_doubts() {
        let mut corrected = cited("102/2024/NĐ-CP", 30, Relation::CanCu);
        corrected.citation.correction = Some(crate::cite::IdCorrection {
            printed: "02/2024/NĐ-CP".into(),
            reason: "02/2024/NĐ-CP is not a known document".into(),
            confidence: 0.8,
            candidates: vec!["102/2024/NĐ-CP".into(), "02/2024/NĐ-CP".into()],
            needs_review: true,
            from_archive: false,
        });
        corrected.citation.date = Some("2024-07-30".into());
        let mut unsure = cited("45/2022/NĐ-CP", 40, Relation::Mention);
        unsure.citation.review = vec!["date".into()];
        let links = CitationsView {
            record_id: "r".into(),
            number: None,
            citations: vec![
                cited("45/2022/NĐ-CP", 23, Relation::Mention),
                corrected,
                unsure,
                cited("45/2022/NĐ-CP", 41, Relation::CanCu),
                cited("102/2024/NĐ-CP", 34, Relation::CanCu),
            ],
            cited_by: Vec::new(),
            cited_by_total: 0,
        };
        let html = citations_panel(&links);
        assert!(html.contains("Văn bản được trích dẫn (2, 5 lần)"), "{html}");
        assert_eq!(html.matches("Nghị định 45/2022/NĐ-CP").count(), 1, "{html}");
        // The relation that says why it is cited wins over a mention.
        assert!(html.contains("Căn cứ</span> <a class=\"not-held\" href=\"/?q=45%2F2022%2FN%C4%90-CP\""), "{html}");
        assert!(html.contains("trang 1, dòng 23; trang 1, dòng 40; trang 1, dòng 41 — 3 lần"), "{html}");
        assert!(html.contains("bản in đọc được 02/2024/NĐ-CP, máy sửa thành 102/2024/NĐ-CP"), "{html}");
        assert!(html.contains("30/07/2024"), "the date of the mention that gives one: {html}");
        assert!(html.contains("Cần kiểm tra: ngày ban hành"), "{html}");
    }

    #[test]
    fn dates_are_written_day_first() {
        assert_eq!(vietnamese_date("2024-03-17"), "17/03/2024");
        assert_eq!(vietnamese_date("2024"), "2024");
    }

    #[test]
    fn known_notices_are_translated_and_unknown_ones_kept() {
        assert_eq!(
            vietnamese_notice("no document in the index has or cites the number 25-NQ/TW; searching the text for it"),
            "Không có văn bản nào mang hoặc trích dẫn số 25-NQ/TW; đã tìm số này trong nội dung văn bản."
        );
        assert_eq!(
            vietnamese_notice("no document has or cites the number 280/BC-UBND; searching the text for it"),
            "Không có văn bản nào mang hoặc trích dẫn số 280/BC-UBND; đã tìm số này trong nội dung văn bản."
        );
        assert!(vietnamese_notice("no document in the date range has or cites the number 1/QĐ-UBND; searching").contains("trong khoảng ngày"));
        assert_eq!(
            vietnamese_notice("no document has or cites 18-NQ/TU; showing 18-NQ/TW (TƯ, the central committee)"),
            "Không có văn bản nào mang hoặc trích dẫn số 18-NQ/TU; đang hiện 18-NQ/TW (TƯ: Trung ương)."
        );
        assert!(vietnamese_notice("no document contains “vân”; showing documents …").contains("“vân”"));
        assert_eq!(vietnamese_notice("something new"), "something new");
    }
}

/// Each snippet as a paragraph whose "page, line" links to that line of the document.
fn write_snippets(out: &mut String, document_link: &str, snippets: &[Snippet]) {
    for snippet in snippets {
        let _ = write!(
            out,
            "<p class=\"snippet\"><a class=\"where\" href=\"{}\">Trang {}, dòng {}</a> {}</p>",
            esc(&format!("{document_link}?page={}#l{}", snippet.page, snippet.line)),
            snippet.page,
            snippet.line,
            html::snippet(snippet)
        );
    }
}
