//! The JSON API under `/api/` (documented in `docs/api.md`): the same views the pages show.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::failure::{ApiFailure, Failure};
use super::pages::{bad_path, bad_query};
use super::state::AppState;
use super::views::{self, SearchForm};

pub async fn search(State(state): State<AppState>, form: Result<Query<SearchForm>, QueryRejection>) -> Result<Response, ApiFailure> {
    let Query(form) = form.map_err(bad_query)?;
    let view = state.with_archive(move |_, archive| views::search(archive, &form)).await?;
    Ok(Json(view).into_response())
}

/// The whole record, as `vanban show --json` prints it.
pub async fn document(State(state): State<AppState>, id: Result<Path<String>, PathRejection>) -> Result<Response, ApiFailure> {
    let Path(id) = id.map_err(bad_path)?;
    let doc = state.with_archive(move |_, archive| views::record(archive, &id)).await?;
    Ok(Json(doc).into_response())
}

pub async fn citations(State(state): State<AppState>, id: Result<Path<String>, PathRejection>) -> Result<Response, ApiFailure> {
    let Path(id) = id.map_err(bad_path)?;
    let view = state
        .with_archive(move |_, archive| {
            let doc = views::record(archive, &id)?;
            views::citations(archive, &doc)
        })
        .await?;
    Ok(Json(view).into_response())
}

/// Page `page` of the record's scan, as PNG or JPEG.
pub async fn page_image(
    State(state): State<AppState>,
    params: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiFailure> {
    let Path((id, page)) = params.map_err(bad_path)?;
    let number: u32 = page
        .parse()
        .map_err(|_| Failure::bad_request(format!("Số trang “{page}” không hợp lệ: hãy dùng một số từ 1.")))?;
    // Cached pages cost nothing, but which are cached is only known inside; every image
    // takes a turn (a browser asks for one a page view, and waits up to 10 s for it).
    let turn = state.converting().turn().await?;
    let image = state
        .with_archive(move |state, archive| {
            let _turn = turn;
            let doc = views::record(archive, &id)?;
            state.images().page(&doc, number)
        })
        .await?;
    let headers = [(header::CONTENT_TYPE, image.content_type), (header::CACHE_CONTROL, "private, max-age=300")];
    Ok((headers, image.bytes.clone()).into_response())
}

/// The header of the record's first page (number, date, issuer), cropped: shown beside the
/// edit form.
pub async fn header_image(State(state): State<AppState>, id: Result<Path<String>, PathRejection>) -> Result<Response, ApiFailure> {
    let Path(id) = id.map_err(bad_path)?;
    let turn = state.converting().turn().await?;
    let image = state
        .with_archive(move |state, archive| {
            let _turn = turn;
            let doc = views::record(archive, &id)?;
            state.images().header(&doc)
        })
        .await?;
    let headers = [(header::CONTENT_TYPE, image.content_type), (header::CACHE_CONTROL, "private, max-age=300")];
    Ok((headers, image.bytes.clone()).into_response())
}

/// The record's searchable PDF (`crate::export::pdf`): the scan's pages with the repaired
/// text invisible under the words, made on request (it takes a converting turn, like a page
/// image) and sent as a download named after the source file.
pub async fn searchable_pdf(State(state): State<AppState>, id: Result<Path<String>, PathRejection>) -> Result<Response, ApiFailure> {
    let Path(id) = id.map_err(bad_path)?;
    let turn = state.converting().turn().await?;
    let (bytes, name) = state
        .with_archive(move |_, archive| {
            let _turn = turn;
            let doc = views::record(archive, &id)?;
            if doc.source_kind == crate::record::SourceKind::Text {
                return Err(Failure::not_found("Văn bản này được nhập từ tệp chữ nên không có ảnh trang để làm PDF.".to_string()));
            }
            let made = crate::export::pdf::FontFile::find().and_then(|font| crate::export::pdf::to_bytes(&doc, &font));
            match made {
                Ok((bytes, _)) => Ok((bytes, crate::export::pdf::file_name(&doc))),
                Err(err) => {
                    tracing::warn!("searchable PDF of {}: {err:#}", doc.id);
                    Err(Failure::cannot_make(format!(
                        "Không tạo được bản PDF có thể tìm kiếm: tệp gốc đã bị đổi, bị xóa hoặc không đọc được ({}). Hãy nhập lại văn bản.",
                        doc.source_path
                    )))
                }
            }
        })
        .await?;
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", super::html::url(&name));
    let headers = [
        (header::CONTENT_TYPE, "application/pdf".to_string()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "private, max-age=300".to_string()),
    ];
    Ok((headers, bytes).into_response())
}
