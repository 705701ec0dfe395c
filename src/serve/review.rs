//! The review list in the browser (`/review`) and as JSON (`/api/review`): the same list as
//! `vanban review` ([`crate::corrections::review`]), filterable by issuer and year.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::fmt::Write;

use super::failure::{ApiFailure, Failure, PageFailure};
use super::html::{self, esc, url};
use super::pages::bad_query;
use super::state::AppState;
use crate::corrections::review::{self, Filter, Item};

/// Rows the page shows; the JSON has them all.
const ROWS_SHOWN: usize = 1000;

#[derive(Debug, Default, Deserialize)]
pub struct ReviewParams {
    #[serde(default)]
    pub issuer: Option<String>,
    /// A year, as typed (an empty box is no filter).
    #[serde(default)]
    pub year: Option<String>,
}

impl ReviewParams {
    fn filter(&self) -> Result<Filter, Failure> {
        let issuer = self.issuer.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if issuer.is_some_and(|i| i.chars().count() > 200) {
            return Err(Failure::bad_request("Tên cơ quan để lọc dài quá 200 ký tự.".to_string()));
        }
        let year = match self.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(y) => Some(y.parse::<u16>().ok().filter(|y| (1900..=2200).contains(y)).ok_or_else(|| {
                Failure::bad_request(format!("“{y}” không phải là một năm (ví dụ 2024)."))
            })?),
        };
        Ok(Filter { issuer: issuer.map(str::to_owned), year })
    }
}

async fn items(state: &AppState, filter: Filter) -> Result<Vec<Item>, Failure> {
    // Reads every record (one at a time): an expensive request, taking its turn.
    let turn = state.heavy().turn().await?;
    state
        .with_archive(move |_, archive| {
            let _turn = turn;
            review::list(archive, &filter).map_err(|err| Failure::internal(&err))
        })
        .await
}

pub async fn page(State(state): State<AppState>, params: Result<Query<ReviewParams>, QueryRejection>) -> Result<Response, PageFailure> {
    let Query(params) = params.map_err(bad_query)?;
    let items = items(&state, params.filter()?).await?;
    let mut body = String::from("<section class=\"review\"><h1>Văn bản cần kiểm tra</h1>");
    let _ = write!(
        body,
        "<form class=\"filter\" method=\"get\" action=\"/review\"><label>Cơ quan ban hành <input name=\"issuer\" value=\"{}\" maxlength=\"200\"></label> \
         <label>Năm <input name=\"year\" value=\"{}\" size=\"5\" maxlength=\"4\" inputmode=\"numeric\"></label> <button type=\"submit\">Lọc</button></form>",
        esc(params.issuer.as_deref().unwrap_or("")),
        esc(params.year.as_deref().unwrap_or(""))
    );
    let _ = write!(
        body,
        "<p class=\"count\"><strong>{}</strong> văn bản có trường máy đọc chưa chắc, suy ra từ bằng chứng yếu hoặc để trống, \
         hay số được dẫn máy đã sửa hoặc chưa chắc. Văn bản được nhiều văn bản khác dẫn nhất ở trên cùng. \
         Bấm vào số để mở văn bản và sửa.</p>",
        items.len()
    );
    body.push_str("<table class=\"list\"><thead><tr><th>Văn bản</th><th>Ngày</th><th>Cơ quan ban hành</th><th>Được dẫn</th><th>Cần kiểm tra</th></tr></thead><tbody>");
    for item in items.iter().take(ROWS_SHOWN) {
        let name = match (&item.doc_type, &item.number) {
            (Some(t), Some(n)) => format!("{t} {n}"),
            (None, Some(n)) => n.clone(),
            (Some(t), None) => format!("{t} (chưa có số)"),
            (None, None) => "(chưa có số)".to_owned(),
        };
        let file = item.source_path.rsplit('/').next().unwrap_or(&item.source_path);
        let mut reasons = String::from("<ul>");
        for reason in &item.reasons {
            let _ = write!(reasons, "<li><b>{}</b>: {}</li>", esc(&reason.label), esc(&reason.why));
        }
        reasons.push_str("</ul>");
        let _ = write!(
            body,
            "<tr><td><a href=\"/document/{}#sua\">{}</a><br><small>{}</small></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{reasons}</td></tr>",
            url(&item.record_id),
            esc(&name),
            esc(file),
            esc(item.date.as_deref().map(super::pages::vietnamese_date).as_deref().unwrap_or("")),
            esc(item.issuer.as_deref().unwrap_or("")),
            item.cited_by,
        );
    }
    body.push_str("</tbody></table>");
    if items.len() > ROWS_SHOWN {
        let _ = write!(body, "<p>Trang này chỉ hiện {ROWS_SHOWN} dòng đầu; <a href=\"/api/review\">bản JSON</a> có đủ {} dòng.</p>", items.len());
    }
    body.push_str("</section>");
    Ok(html::html_response(StatusCode::OK, html::page("Văn bản cần kiểm tra", "", &body)))
}

pub async fn api(State(state): State<AppState>, params: Result<Query<ReviewParams>, QueryRejection>) -> Result<Response, ApiFailure> {
    let Query(params) = params.map_err(bad_query)?;
    let items = items(&state, params.filter()?).await?;
    Ok(Json(serde_json::json!({ "count": items.len(), "items": items })).into_response())
}
