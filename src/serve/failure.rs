//! Why a request could not be answered, in words a clerk can act on, and how that is
//! shown: a JSON `{"error": …}` under `/api/`, an HTML page elsewhere.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::index::{QueryError, SearchError};

#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    /// Vietnamese, one or two sentences, saying what to do.
    pub message: String,
    /// Seconds after which to try again (`Retry-After`), for a server that is busy.
    pub retry_after: Option<u64>,
}

impl Failure {
    fn new(status: StatusCode, message: String) -> Failure {
        Failure { status, message, retry_after: None }
    }

    pub fn bad_request(message: String) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, message)
    }

    /// The request is understood but what it asks for cannot be made (a searchable PDF of a
    /// record whose scan has changed or gone).
    pub fn cannot_make(message: String) -> Failure {
        Failure::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub fn not_found(message: String) -> Failure {
        Failure::new(StatusCode::NOT_FOUND, message)
    }

    pub fn too_long(message: String) -> Failure {
        Failure::new(StatusCode::URI_TOO_LONG, message)
    }

    /// Too many expensive requests at once: 503, come back in a few seconds.
    pub fn busy(message: String) -> Failure {
        Failure { retry_after: Some(super::limits::RETRY_AFTER_SECS), ..Failure::new(StatusCode::SERVICE_UNAVAILABLE, message) }
    }

    /// The index is missing or cannot be opened: the server is up, the archive is not.
    pub fn unavailable(err: &anyhow::Error) -> Failure {
        Failure::new(StatusCode::SERVICE_UNAVAILABLE, format!("Chưa mở được kho lưu trữ: {err:#}"))
    }

    /// Something broke on our side (a damaged record, a failed read): logged, and shown.
    pub fn internal(err: &anyhow::Error) -> Failure {
        tracing::error!("{err:#}");
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, format!("Lỗi khi đọc kho lưu trữ: {err:#}"))
    }

    /// A search the index refused: a bad query is the clerk's to fix (400), anything else ours.
    pub fn from_search(err: SearchError) -> Failure {
        match err {
            SearchError::Query(QueryError::Empty) => {
                Failure::bad_request("Hãy nhập từ cần tìm, số hiệu văn bản hoặc chọn một bộ lọc.".to_string())
            }
            SearchError::Query(QueryError::TooLong { chars }) => Failure::bad_request(format!(
                "Câu tìm kiếm dài {chars} ký tự, quá giới hạn: hãy tìm bằng vài từ đặc trưng."
            )),
            SearchError::Query(QueryError::BadFilter { field, value, reason }) => {
                Failure::bad_request(format!("Không hiểu bộ lọc “{field}:{value}” ({reason})."))
            }
            SearchError::Query(QueryError::BadDate { value, .. }) => Failure::bad_request(format!(
                "“{value}” không phải là ngày: hãy nhập 2024-03-17, 2024-03, 2024 hoặc 17/3/2024."
            )),
            SearchError::Query(QueryError::TooDeep) => Failure::bad_request(format!(
                "Câu tìm kiếm lồng quá {} lớp ngoặc hoặc NOT: hãy viết lại với ít ngoặc hơn.",
                crate::index::MAX_QUERY_DEPTH
            )),
            SearchError::Index(err) => Failure::internal(&err),
        }
    }

    /// The response for this failure, JSON for the API and HTML for the pages.
    pub fn respond(&self, api: bool) -> Response {
        let mut response = if api {
            (self.status, Json(serde_json::json!({ "error": self.message }))).into_response()
        } else {
            super::html::error_page(self).into_response()
        };
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// Failures of API handlers answer in JSON.
pub struct ApiFailure(pub Failure);

impl From<Failure> for ApiFailure {
    fn from(failure: Failure) -> ApiFailure {
        ApiFailure(failure)
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        self.0.respond(true)
    }
}

/// Failures of page handlers answer in HTML.
pub struct PageFailure(pub Failure);

impl From<Failure> for PageFailure {
    fn from(failure: Failure) -> PageFailure {
        PageFailure(failure)
    }
}

impl IntoResponse for PageFailure {
    fn into_response(self) -> Response {
        self.0.respond(false)
    }
}
