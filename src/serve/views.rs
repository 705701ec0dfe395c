//! The views behind both the pages and the API: one search, one document with its
//! citations linked. Plain functions over the archive, run on the blocking pool.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use super::failure::Failure;
use crate::cite::Citation;
use crate::index::{Archive, Hit, MatchKind, QueryKind, SearchRequest, SearchResults};
use crate::record::Document;

/// Results per page of the search page and of `/api/search`.
pub const PER_PAGE: usize = 20;
/// The index returns at most 10 000 hits, so pages stop there.
pub const MAX_PAGE: usize = 10_000 / PER_PAGE;
/// Most documents listed as citing one document (the rest are counted, not listed).
const MAX_CITED_BY: usize = 500;
/// Record ids are short hex digests; anything else is refused before touching the index.
const MAX_RECORD_ID_CHARS: usize = 128;

/// The search box and its filters, as they arrive in the query string. Every field is
/// text so that a bad value gets a Vietnamese message rather than a deserializer's.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SearchForm {
    #[serde(default)]
    pub q: String,
    #[serde(default, rename = "type")]
    pub doc_type: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub year: String,
    /// Date range, inclusive: 2024-03-17, 2024-03, 2024 or 17/3/2024.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: String,
}

impl SearchForm {
    /// 1-based result page; empty means the first.
    pub fn page(&self) -> Result<usize, Failure> {
        let text = self.page.trim();
        if text.is_empty() {
            return Ok(1);
        }
        text.parse::<usize>().ok().filter(|p| (1..=MAX_PAGE).contains(p)).ok_or_else(|| {
            Failure::bad_request(format!("Số trang “{text}” không hợp lệ: hãy dùng một số từ 1 đến {MAX_PAGE}."))
        })
    }

    /// Nothing typed and nothing chosen: the whole archive.
    pub fn is_blank(&self) -> bool {
        [&self.q, &self.doc_type, &self.issuer, &self.year, &self.from, &self.to].iter().all(|v| v.trim().is_empty())
    }

    /// The query the index runs: the box (parenthesized, so that its OR stays inside)
    /// followed by the chosen filters; `*` when there is neither.
    pub fn index_query(&self) -> String {
        let mut parts = Vec::new();
        let typed = self.q.trim();
        let filters: Vec<String> = [("type", &self.doc_type), ("issuer", &self.issuer), ("year", &self.year)]
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(field, value)| format!("{field}:\"{}\"", value.trim().replace(['"', '“', '”'], " ")))
            .collect();
        if !typed.is_empty() {
            parts.push(if filters.is_empty() { typed.to_string() } else { format!("({typed})") });
        }
        parts.extend(filters);
        if parts.is_empty() {
            parts.push("*".to_string());
        }
        parts.join(" ")
    }

    fn date(value: &str) -> Option<String> {
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_string())
    }
}

/// One page of search results, with the facet counts of the whole result set.
#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    #[serde(flatten)]
    pub results: SearchResults,
    pub page: usize,
    pub per_page: usize,
    /// Pages of results available (at most [`MAX_PAGE`]).
    pub pages: usize,
}

pub fn search(archive: &Archive, form: &SearchForm) -> Result<SearchView, Failure> {
    let page = form.page()?;
    let request = SearchRequest {
        query: form.index_query(),
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
        skip_snippets: false,
        facets: true,
        from: SearchForm::date(&form.from),
        to: SearchForm::date(&form.to),
    };
    let mut results = archive.search(&request).map_err(Failure::from_search)?;
    // Ranks count from the first page.
    for hit in &mut results.hits {
        hit.rank += request.offset;
    }
    // The page and the API's JSON both tell the clerk in Vietnamese.
    for notice in &mut results.notices {
        *notice = super::pages::vietnamese_notice(notice);
    }
    let pages = results.total.div_ceil(PER_PAGE).clamp(1, MAX_PAGE);
    Ok(SearchView { results, page, per_page: PER_PAGE, pages })
}

/// Every record id the search matches (up to the index's limit), for exporting one search.
pub fn matching_record_ids(archive: &Archive, form: &SearchForm) -> Result<Vec<String>, Failure> {
    let request = SearchRequest {
        query: form.index_query(),
        limit: MAX_PAGE * PER_PAGE,
        offset: 0,
        skip_snippets: true,
        facets: false,
        from: SearchForm::date(&form.from),
        to: SearchForm::date(&form.to),
    };
    let results = archive.search(&request).map_err(Failure::from_search)?;
    Ok(results.hits.into_iter().map(|hit| hit.record_id).collect())
}

/// The record `id`, looked up by record id only: a path or number in the URL finds nothing.
pub fn record(archive: &Archive, id: &str) -> Result<Document, Failure> {
    let well_formed = !id.is_empty()
        && id.chars().count() <= MAX_RECORD_ID_CHARS
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !well_formed {
        return Err(Failure::bad_request(
            "Mã văn bản không hợp lệ: mã chỉ gồm chữ số và chữ cái không dấu (ví dụ 3f2a9c0d1b4e5f60).".to_string(),
        ));
    }
    let found = archive.find(id).map_err(|err| Failure::internal(&err))?;
    found.into_iter().find(|doc| doc.id == id).ok_or_else(|| {
        Failure::not_found(format!("Không có văn bản mã “{id}” trong kho lưu trữ; có thể nó đã bị nhập lại với mã khác."))
    })
}

/// A citation and where the cited document is in the archive, if it is.
#[derive(Debug, Clone, Serialize)]
pub struct LinkedCitation {
    #[serde(flatten)]
    pub citation: Citation,
    pub in_archive: bool,
    /// Record id of the cited document, when the archive holds it.
    pub cited_record_id: Option<String>,
}

/// A document with its citations linked and the documents citing it.
#[derive(Debug, Clone, Serialize)]
pub struct CitationsView {
    pub record_id: String,
    pub number: Option<String>,
    pub citations: Vec<LinkedCitation>,
    /// Documents citing this one, each with the sentences that cite it.
    pub cited_by: Vec<Hit>,
    /// All documents citing this one (`cited_by` lists at most 500).
    pub cited_by_total: usize,
}

pub fn citations(archive: &Archive, doc: &Document) -> Result<CitationsView, Failure> {
    let mut held: HashMap<String, Option<String>> = HashMap::new();
    let mut linked = Vec::with_capacity(doc.citations.len());
    for citation in &doc.citations {
        let cited_record_id = match &citation.id {
            Some(number) => {
                let number = number.to_string();
                match held.get(&number) {
                    Some(found) => found.clone(),
                    None => {
                        let found = record_with_number(archive, &number)?;
                        held.insert(number, found.clone());
                        found
                    }
                }
            }
            None => None,
        };
        linked.push(LinkedCitation { citation: citation.clone(), in_archive: cited_record_id.is_some(), cited_record_id });
    }
    let number = doc.metadata.id.as_ref().map(|id| id.to_string());
    let (cited_by, cited_by_total) = match &number {
        Some(number) => citing(archive, number, &doc.id)?,
        None => (Vec::new(), 0),
    };
    Ok(CitationsView { record_id: doc.id.clone(), number, citations: linked, cited_by, cited_by_total })
}

/// The record id of the document whose own number is `number`, if the archive holds one.
fn record_with_number(archive: &Archive, number: &str) -> Result<Option<String>, Failure> {
    let request = SearchRequest { query: format!("number:\"{number}\""), limit: 1, ..SearchRequest::default() };
    match archive.search(&request) {
        Ok(results) => Ok(results.hits.into_iter().next().map(|hit| hit.record_id)),
        // A number the query grammar cannot read is not a number any record has.
        Err(crate::index::SearchError::Query(_)) => Ok(None),
        Err(err) => Err(Failure::from_search(err)),
    }
}

/// The documents citing `number`, other than the record `own_id` itself.
fn citing(archive: &Archive, number: &str, own_id: &str) -> Result<(Vec<Hit>, usize), Failure> {
    let request = SearchRequest { query: number.to_string(), limit: MAX_CITED_BY, ..SearchRequest::default() };
    let results = match archive.search(&request) {
        Ok(results) if results.kind == QueryKind::Number => results,
        Ok(_) | Err(crate::index::SearchError::Query(_)) => return Ok((Vec::new(), 0)),
        Err(err) => return Err(Failure::from_search(err)),
    };
    let own = results.hits.iter().filter(|hit| hit.match_kind == MatchKind::Document).count();
    let hits: Vec<Hit> =
        results.hits.into_iter().filter(|hit| hit.match_kind == MatchKind::Cites && hit.record_id != own_id).collect();
    let total = results.total.saturating_sub(own).max(hits.len());
    Ok((hits, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(q: &str) -> SearchForm {
        SearchForm { q: q.to_string(), ..SearchForm::default() }
    }

    #[test]
    fn a_number_alone_stays_a_number_query() {
        assert_eq!(form("25-NQ/TW").index_query(), "25-NQ/TW");
    }

    #[test]
    fn filters_follow_the_typed_words_which_keep_their_or_inside() {
        let f = SearchForm { doc_type: "Quyết định".into(), year: "2024".into(), ..form("a OR b") };
        assert_eq!(f.index_query(), "(a OR b) type:\"Quyết định\" year:\"2024\"");
    }

    #[test]
    fn quotes_in_a_filter_value_cannot_break_out_of_it() {
        let f = SearchForm { issuer: "UBND\" OR x".into(), ..SearchForm::default() };
        assert_eq!(f.index_query(), "issuer:\"UBND  OR x\"");
    }

    #[test]
    fn nothing_typed_browses_everything() {
        assert_eq!(SearchForm::default().index_query(), "*");
        assert!(SearchForm::default().is_blank());
    }

    #[test]
    fn page_numbers_are_bounded() {
        assert_eq!(SearchForm::default().page().unwrap(), 1);
        for bad in ["0", "-1", "abc", "501", "99999999999999999999999"] {
            let f = SearchForm { page: bad.into(), ..SearchForm::default() };
            assert_eq!(f.page().unwrap_err().status, axum::http::StatusCode::BAD_REQUEST, "{bad}");
        }
    }
}
