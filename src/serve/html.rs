//! HTML building blocks. Every piece of text that came from a record or a request goes
//! through [`esc`] (or [`url`] inside an address) before it reaches the page; the page
//! templates only ever concatenate escaped text and fixed markup.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

use super::failure::Failure;
use crate::index::Snippet;
use crate::repair::Correction;

/// A correction whose posterior is below this is shown as a doubt, with its alternatives.
pub const UNSURE_BELOW: f32 = 0.9;

/// Escapes text for HTML element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes text for one query value or path segment.
pub fn url(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A query string from (name, value) pairs, leaving out empty values.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> =
        pairs.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| format!("{k}={}", url(v.trim()))).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// A full page: header with the search box, `body`, footer with the downloads.
pub fn page(title: &str, query: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Vanban</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/">Vanban <small>Tra cứu văn bản</small></a>
  <form class="searchbox" action="/" method="get" role="search">
    <input type="search" name="q" id="q" value="{query}" maxlength="1000" autocomplete="off"
      placeholder="Số hiệu (25-NQ/TW) hoặc từ cần tìm, có dấu hay không dấu" aria-label="Tìm kiếm">
    <button type="submit">Tìm</button>
  </form>
</header>
<main>
{body}
</main>
<footer>
  <span>Tải về:</span>
  <a href="/api/export/crossref?format=csv" download>Danh sách trích dẫn (CSV)</a>
  <a href="/api/export/crossref?format=json" download>(JSON)</a>
  <a href="/missing">Văn bản được trích dẫn nhưng chưa có trong kho</a>
  <a href="/api/export/missing?format=csv" download>(CSV)</a>
  <a href="/review">Văn bản cần kiểm tra</a>
</footer>
</body>
</html>
"#,
        title = esc(title),
        query = esc(query),
    )
}

/// The page for a failure: its message, and the way back.
pub fn error_page(failure: &Failure) -> Response {
    let body = format!(
        "<section class=\"error\"><h1>Không thực hiện được yêu cầu</h1><p>{}</p><p><a href=\"/\">← Về trang tìm kiếm</a></p></section>",
        esc(&failure.message)
    );
    html_response(failure.status, page("Lỗi", "", &body))
}

pub fn html_response(status: StatusCode, html: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html).into_response()
}

/// A snippet with its matched words in `<mark>`. Highlights are char ranges; overlapping
/// or out-of-range ones (which the index should not give) are skipped, not trusted.
pub fn snippet(snippet: &Snippet) -> String {
    let chars: Vec<char> = snippet.text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for &[start, end] in &snippet.highlights {
        let (start, end) = (start.min(chars.len()), end.min(chars.len()));
        if start < at || end <= start {
            continue;
        }
        out.push_str(&esc(&chars[at..start].iter().collect::<String>()));
        out.push_str("<mark>");
        out.push_str(&esc(&chars[start..end].iter().collect::<String>()));
        out.push_str("</mark>");
        at = end;
    }
    out.push_str(&esc(&chars[at..].iter().collect::<String>()));
    out
}

/// A page's text as numbered lines (`id="l<N>"`, so search hits can point at a line), with
/// the repair's corrections marked: every changed word underlined, the unsure ones
/// highlighted, each with what OCR read and the runner-up.
pub fn numbered_text(text: &str, corrections: &[Correction]) -> String {
    let mut marks: Vec<&Correction> = corrections
        .iter()
        .filter(|c| !c.corrected.is_empty() && text.get(c.start..).is_some_and(|rest| rest.starts_with(&c.corrected)))
        .collect();
    marks.sort_by_key(|c| c.start);
    let mut marks = marks.into_iter().peekable();
    let mut out = String::from("<ol class=\"text\">");
    let mut line_start = 0;
    for (i, line) in text.split('\n').enumerate() {
        let line_end = line_start + line.len();
        let _ = write!(out, "<li id=\"l{}\">", i + 1);
        let mut at = line_start;
        while let Some(mark) = marks.peek() {
            if mark.start >= line_end {
                break;
            }
            let mark = marks.next().expect("peeked");
            let end = mark.start + mark.corrected.len();
            if mark.start < at || end > line_end {
                continue;
            }
            out.push_str(&esc(&text[at..mark.start]));
            out.push_str(&correction(mark));
            at = end;
        }
        out.push_str(&esc(&text[at..line_end]));
        out.push_str("</li>");
        line_start = line_end + 1;
    }
    out.push_str("</ol>");
    out
}

fn correction(c: &Correction) -> String {
    let unsure = c.confidence < UNSURE_BELOW;
    let percent = (c.confidence.clamp(0.0, 1.0) * 100.0).round();
    let mut note = format!("OCR đọc: {} · độ tin cậy {percent}%", c.original);
    if let Some(runner_up) = &c.runner_up {
        let _ = write!(note, " · phương án khác: {runner_up}");
    }
    format!(
        "<span class=\"corr{}\" tabindex=\"0\" title=\"{}\">{}<span class=\"alt\" role=\"tooltip\">{}</span></span>",
        if unsure { " unsure" } else { "" },
        esc(&note),
        esc(&c.corrected),
        esc(&note),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(esc("<script>alert('x')</script> & \"y\""), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
    }

    #[test]
    fn url_encodes_vietnamese_and_separators() {
        assert_eq!(url("dân vận&x=1/2"), "d%C3%A2n%20v%E1%BA%ADn%26x%3D1%2F2");
    }

    #[test]
    fn snippet_marks_highlights_and_escapes_the_rest() {
        let s = Snippet { page: 1, line: 2, text: "a <b> dân vận".into(), highlights: vec![[6, 9], [7, 8], [10, 99]] };
        assert_eq!(snippet(&s), "a &lt;b&gt; <mark>dân</mark> <mark>vận</mark>");
    }

    fn corr(start: usize, corrected: &str, confidence: f32) -> Correction {
        Correction { line: 1, start, original: "x<".into(), corrected: corrected.into(), confidence, runner_up: Some("dấn".into()) }
    }

    #[test]
    fn numbered_text_marks_corrections_at_their_byte_offsets() {
        let text = "công tác\ndân vận";
        let html = numbered_text(text, &[corr("công tác\n".len(), "dân", 0.5), corr(0, "công", 0.99)]);
        assert!(html.contains("<li id=\"l2\"><span class=\"corr unsure\""), "{html}");
        assert!(html.contains("<li id=\"l1\"><span class=\"corr\""), "{html}");
        assert!(html.contains("OCR đọc: x&lt; · độ tin cậy 50% · phương án khác: dấn"), "{html}");
        assert!(html.ends_with(" vận</li></ol>"), "{html}");
    }

    #[test]
    fn corrections_that_do_not_fit_the_text_are_ignored() {
        let text = "dân vận";
        for bad in [corr(2, "n", 0.5), corr(99, "x", 0.5), corr(0, "dân vận công", 0.5)] {
            let html = numbered_text(text, std::slice::from_ref(&bad));
            assert_eq!(html, "<ol class=\"text\"><li id=\"l1\">dân vận</li></ol>");
        }
    }
}
