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
