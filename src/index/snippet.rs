//! Snippets: the lines of a document that best show why it matched, with the matched words
//! marked, and their page and line. Pure functions over text, so the same code serves the
//! full-text and number searches and is tested without an index.

use serde::Serialize;

use super::tokenizer::{syllable_tokens, Form, SyllableToken};
use crate::record::PAGE_BREAK;

/// Snippets longer than this are cut around their first highlight.
const MAX_SNIPPET_CHARS: usize = 240;
/// How much text to keep before the first highlight when cutting.
const LEAD_CHARS: usize = 60;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    /// 1-based page and line (within the page) of the snippet.
    pub page: u32,
    pub line: u32,
    pub text: String,
    /// `[start, end)` char offsets in `text` of the matched words.
    pub highlights: Vec<[usize; 2]>,
}

/// How a token matched: which query term, and whether only approximately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenMatch {
    pub term: usize,
    pub fuzzy: bool,
}

/// The best `max` lines of `text` (pages joined by form feed), ranked by how many distinct
/// query terms they hold (best first, then in document order); and whether any match anywhere in
/// the text was only approximate.
pub fn best_lines(text: &str, max: usize, matcher: impl Fn(&SyllableToken) -> Option<TokenMatch>) -> (Vec<Snippet>, bool) {
    let lines = lines(text);
    let mut per_line: Vec<(Vec<usize>, Vec<(usize, usize)>)> = vec![(Vec::new(), Vec::new()); lines.len()];
    let mut any_fuzzy = false;
    let mut line_index = 0;
    for token in syllable_tokens(text, Form::Folded) {
        let Some(found) = matcher(&token) else { continue };
        any_fuzzy |= found.fuzzy;
        while lines[line_index].end < token.start {
            line_index += 1;
        }
        let (terms, ranges) = &mut per_line[line_index];
        if !terms.contains(&found.term) {
            terms.push(found.term);
        }
        ranges.push((token.start - lines[line_index].start, token.end - lines[line_index].start));
    }
    let mut ranked: Vec<usize> = (0..lines.len()).filter(|&i| !per_line[i].0.is_empty()).collect();
    ranked.sort_by_key(|&i| (std::cmp::Reverse(per_line[i].0.len()), i));
    // When some line holds several query terms (the phrase, the name), lines with fewer are
    // stray folded matches ("tỉnh" for "tinh gọn", "Số:" for "chuyen doi so"): leave them out.
    if let Some(&best) = ranked.first() {
        let best_terms = per_line[best].0.len();
        if best_terms > 1 {
            ranked.retain(|&i| per_line[i].0.len() == best_terms);
        }
    }
    ranked.truncate(max);
    let snippets = ranked
        .into_iter()
        .map(|i| {
            let line = &lines[i];
            snippet(&text[line.start..line.end], &per_line[i].1, line.page, line.line)
        })
        .collect();
    (snippets, any_fuzzy)
}

/// A snippet of one line (or sentence) with the given byte ranges highlighted; long lines
/// are cut around the first highlight.
pub fn snippet(line_text: &str, ranges: &[(usize, usize)], page: u32, line: u32) -> Snippet {
    let mut ranges: Vec<(usize, usize)> = ranges.to_vec();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    // Work in chars from here: highlights are char offsets for non-Rust readers of the JSON.
    let char_at = |byte: usize| line_text[..byte].chars().count();
    let chars: Vec<char> = line_text.chars().collect();
    let mut highlights: Vec<[usize; 2]> = merged.iter().map(|&(s, e)| [char_at(s), char_at(e)]).collect();
    let first = highlights.first().map_or(0, |h| h[0]);
    let (mut from, mut to) = (0, chars.len());
    if chars.len() > MAX_SNIPPET_CHARS {
        from = first.saturating_sub(LEAD_CHARS);
        to = (from + MAX_SNIPPET_CHARS).min(chars.len());
    }
    // Trim surrounding blanks without moving the highlights out of place.
    while from < to && chars[from].is_whitespace() {
        from += 1;
    }
    while to > from && chars[to - 1].is_whitespace() {
        to -= 1;
    }
    let mut text: String = chars[from..to].iter().collect();
    let mut shift = from;
    if from > 0 {
        text.insert(0, '…');
        shift = from - 1;
    }
    if to < chars.len() {
        text.push('…');
    }
    highlights.retain(|h| h[0] >= from && h[1] <= to);
    for h in &mut highlights {
        h[0] -= shift;
        h[1] -= shift;
    }
    Snippet { page, line, text, highlights }
}

struct Line {
    start: usize,
    end: usize,
    page: u32,
    line: u32,
}

/// Byte ranges of the lines of `text`, with their 1-based page and line within the page.
fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let (mut page, mut line, mut start) = (1u32, 1u32, 0usize);
    for (i, c) in text.char_indices() {
        if c == '\n' || c == PAGE_BREAK {
            out.push(Line { start, end: i, page, line });
            start = i + c.len_utf8();
            if c == PAGE_BREAK {
                page += 1;
                line = 1;
            } else {
                line += 1;
            }
        }
    }
    out.push(Line { start, end: text.len(), page, line });
    out
}

/// Levenshtein distance at most 1 (insert, delete, substitute or swap one char).
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    let suffix = ra.iter().rev().zip(rb.iter().rev()).take_while(|(x, y)| x == y).count();
    let (mid_a, mid_b) = (&ra[..ra.len() - suffix], &rb[..rb.len() - suffix]);
    let swapped = mid_a.len() == 2 && mid_b.len() == 2 && mid_a[0] == mid_b[1] && mid_a[1] == mid_b[0];
    mid_a.len().max(mid_b.len()) <= 1 || swapped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term_matcher<'a>(terms: &'a [&'a str]) -> impl Fn(&SyllableToken) -> Option<TokenMatch> + 'a {
        move |t| terms.iter().position(|w| *w == t.text).map(|term| TokenMatch { term, fuzzy: false })
    }

    #[test]
    fn picks_the_line_with_most_terms_and_gives_page_and_line() {
        let text = "Tiêu đề\nvề công tác dân vận\u{c}Trang hai\nđẩy mạnh công tác Dân vận của Đảng";
        let (snippets, fuzzy) = best_lines(text, 1, term_matcher(&["dan", "van", "dang"]));
        assert!(!fuzzy);
        assert_eq!(snippets.len(), 1);
        let s = &snippets[0];
        assert_eq!((s.page, s.line), (2, 2));
        let marked: Vec<String> = s.highlights.iter().map(|h| s.text.chars().skip(h[0]).take(h[1] - h[0]).collect()).collect();
        assert_eq!(marked, ["Dân", "vận", "Đảng"]);
    }

    #[test]
    fn stray_single_word_matches_give_way_to_the_phrase() {
        let text = "ĐẢNG BỘ TỈNH ĐẮK LẮK\nSố: 12\nvề tinh gọn bộ máy\nmột số vấn đề\nlại tinh gọn tổ chức";
        let (snippets, _) = best_lines(text, 3, term_matcher(&["tinh", "gon"]));
        let lines: Vec<u32> = snippets.iter().map(|s| s.line).collect();
        assert_eq!(lines, [3, 5], "only the lines with the whole phrase");
    }

    #[test]
    fn long_lines_are_cut_around_the_match() {
        let line = format!("{} dân vận {}", "chữ ".repeat(200), "cuối ".repeat(200));
        let (snippets, _) = best_lines(&line, 1, term_matcher(&["dan"]));
        let s = &snippets[0];
        assert!(s.text.chars().count() <= MAX_SNIPPET_CHARS + 2);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        let h = s.highlights[0];
        assert_eq!(s.text.chars().skip(h[0]).take(h[1] - h[0]).collect::<String>(), "dân");
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("dan", "dan"));
        assert!(within_one_edit("dan", "dun"));
        assert!(within_one_edit("dan", "dann"));
        assert!(within_one_edit("dan", "da"));
        assert!(within_one_edit("dan", "adn"));
        assert!(!within_one_edit("dan", "dxyn"));
        assert!(!within_one_edit("dan", "nad"));
    }
}
