//! `vanban serve`: the archive in a browser, for clerks who never open a terminal.
//!
//! Server-rendered HTML pages ([`pages`]) and a JSON API ([`api`]) share one set of views
//! ([`views`]) over the read-only [`Archive`](crate::index::Archive): the page a clerk sees
//! and the JSON a script gets are the same search and the same record. Page images are
//! served by record id and page number only ([`images`]), never by a path taken from the
//! request, so the server can only ever read files that belong to indexed records.
//!
//! Every tantivy and file access is blocking, so handlers hand it to tokio's blocking pool;
//! the async side only parses requests and writes responses. Connections are accepted
//! and bounded (timeouts, a cap) by [`listen`], expensive requests take turns ([`limits`]).

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::path::PathBuf;

mod api;
mod downloads;
mod edit;
mod failure;
mod html;
mod images;
pub mod limits;
mod listen;
mod pages;
mod review;
pub mod token;
mod state;
mod views;

pub use failure::Failure;
pub use limits::Limits;
pub use state::AppState;

/// Longest request target accepted; a search query is at most 1000 characters, which
/// percent-encoded Vietnamese stays well under.
pub const MAX_URI_BYTES: usize = 16 * 1024;
/// Reads (GET) expect no body; it is bounded anyway. The two writes have their own bound
/// (`edit::MAX_FORM_BYTES`).
const MAX_BODY_BYTES: usize = 16 * 1024;

/// All routes, pages and API, with the security headers and the request bounds.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::search))
        .route("/document/{id}", get(pages::document))
        .route("/document/{id}/fix", post(edit::save).layer(DefaultBodyLimit::max(edit::MAX_FORM_BYTES)))
        .route("/document/{id}/undo", post(edit::undo).layer(DefaultBodyLimit::max(edit::MAX_FORM_BYTES)))
        .route("/missing", get(pages::missing))
        .route("/review", get(review::page))
        .route("/api/review", get(review::api))
        .route("/assets/{name}", get(pages::asset))
        .route("/api/search", get(api::search))
        .route("/api/documents/{id}", get(api::document))
        .route("/api/documents/{id}/citations", get(api::citations))
        .route("/api/documents/{id}/pages/{page}/image", get(api::page_image))
        .route("/api/documents/{id}/header-image", get(api::header_image))
        .route("/api/documents/{id}/pdf", get(api::searchable_pdf))
        .route("/api/export/crossref", get(downloads::cross_references_download))
        .route("/api/export/missing", get(downloads::missing))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(guard))
        .with_state(state)
}

/// Serves the archive in `index_dir` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    index_dir: PathBuf,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(AppState::new(index_dir));
    listen::run(listener, app, limits, shutdown).await
}

/// Refuses over-long request targets before routing, and adds the headers that keep a
/// browser from running or framing anything the server did not write itself.
async fn guard(request: Request, next: Next) -> Response {
    let target_len = request.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    let mut response = if target_len > MAX_URI_BYTES {
        let failure = Failure::too_long(format!(
            "Địa chỉ yêu cầu dài {target_len} byte, vượt giới hạn {MAX_URI_BYTES} byte: hãy rút ngắn câu tìm kiếm."
        ));
        failure.respond(request.uri().path().starts_with("/api/"))
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Not `no-referrer`: under it a browser sends `Origin: null` with the edit form's POST,
    // which the write check must refuse. `same-origin` still tells other sites nothing.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

async fn not_found(request: Request) -> Response {
    let api = request.uri().path().starts_with("/api/");
    Failure::not_found("Không có trang này. Hãy quay về trang tìm kiếm.".to_string()).respond(api)
}

/// Answers a HEAD or GET with a fixed body; used for the embedded assets.
fn fixed(content_type: &'static str, body: &'static str) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")],
        body,
    )
        .into_response()
}
