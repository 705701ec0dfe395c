//! Downloads: the cross-reference list of the whole archive or of one search, and the
//! missing-documents list, as CSV (with a byte-order mark, for Excel) or JSON.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashSet;

use super::failure::{ApiFailure, Failure};
use super::pages::bad_query;
use super::state::AppState;
use super::views::{self, SearchForm};
use crate::export::{cross_references, missing_documents, write_rows, Columns, Format};

#[derive(Debug, Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    format: String,
    /// The search to export; all empty means the whole archive.
    #[serde(flatten)]
    search: SearchForm,
}

fn format(text: &str) -> Result<(Format, &'static str, &'static str), Failure> {
    match text.trim() {
        "" | "csv" => Ok((Format::Csv, "text/csv; charset=utf-8", "csv")),
        "json" => Ok((Format::Json, "application/json", "json")),
        other => Err(Failure::bad_request(format!("Định dạng “{other}” không có: hãy chọn csv hoặc json."))),
    }
}

pub async fn cross_references_download(
    State(state): State<AppState>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, ApiFailure> {
    let Query(params) = params.map_err(bad_query)?;
    let (format, content_type, extension) = format(&params.format)?;
    let whole = params.search.is_blank();
    let bytes = state
        .with_archive(move |_, archive| {
            let wanted: Option<HashSet<String>> = if whole {
                None
            } else {
                Some(views::matching_record_ids(archive, &params.search)?.into_iter().collect())
            };
            // Every record is needed even for one search: whether a cited document is in
            // the archive does not depend on whether it matched the search.
            let records = archive.records().map_err(|err| Failure::internal(&err))?;
            let mut rows = cross_references(&records);
            if let Some(wanted) = &wanted {
                rows.retain(|row| wanted.contains(&row.citing_record_id));
            }
            encode(&rows, format)
        })
        .await?;
    let name = if whole { "vanban-trich-dan" } else { "vanban-trich-dan-ket-qua-tim-kiem" };
    Ok(attachment(bytes, content_type, &format!("{name}.{extension}")))
}

pub async fn missing(State(state): State<AppState>, params: Result<Query<ExportParams>, QueryRejection>) -> Result<Response, ApiFailure> {
    let Query(params) = params.map_err(bad_query)?;
    let (format, content_type, extension) = format(&params.format)?;
    let bytes = state
        .with_archive(move |_, archive| {
            let records = archive.records().map_err(|err| Failure::internal(&err))?;
            encode(&missing_documents(&records), format)
        })
        .await?;
    Ok(attachment(bytes, content_type, &format!("vanban-van-ban-con-thieu.{extension}")))
}

fn encode<T: serde::Serialize + Columns>(rows: &[T], format: Format) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    write_rows(rows, format, true, &mut bytes).map_err(|err| Failure::internal(&err))?;
    Ok(bytes)
}

fn attachment(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}
