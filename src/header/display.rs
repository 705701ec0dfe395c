//! The number and date lines as a clerk reads them. Their filled-in parts are handwritten
//! on most scans, and page OCR reads a pen's digits as glyphs ("Số: 6§0_ /QĐ-UBND",
//! "ngày 2# thángØ? năm 2021") although the header fields, read from the same places by the
//! digit reader and weighed with the other evidence ([`super::combine`]), are right. In the
//! text a clerk reads and searches (the repaired text), such a part shows the field's
//! reading when the field is sure, and "…" when it is not, never the glyphs; the line as
//! OCR read it stays in the page's dropped lines, with the reason. The raw OCR text is
//! left as read.

use crate::cite::{Citation, DocumentMeta};
use crate::record::{DroppedLine, Page};

/// What stands for a filled-in part that could not be read surely.
pub const PLACEHOLDER: &str = "…";
/// Lines from the top of the page searched for the number and date lines.
const HEADER_LINES: usize = 30;
/// A filled-in part read longer than this is not one (the line is something else).
const FILL_CHARS: usize = 12;

/// A filled-in part of a line: its char range in the line and what to show there.
struct Fill {
    start: usize,
    end: usize,
    shown: String,
}

/// The fields' values as the lines show them: the number, and the day and month, each
/// when its field is sure.
struct Sure {
    number: Option<String>,
    day: Option<u32>,
    month: Option<u32>,
}

fn sure_values(meta: &DocumentMeta) -> Sure {
    let sure = |e: Option<&super::FieldEvidence>| e.is_some_and(|e| !e.needs_review);
    let number = meta.id.as_ref().filter(|_| sure(meta.evidence.number.as_ref())).map(|id| id.number().to_owned()).filter(|n| !n.is_empty());
    let date: Option<(u32, u32)> = meta.date.as_deref().filter(|_| sure(meta.evidence.date.as_ref())).and_then(|d| {
        let mut parts = d.split('-').skip(1);
        Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
    });
    Sure { number, day: date.map(|d| d.1), month: date.map(|d| d.0) }
}

/// What a filled-in part read as `read` shows: the sure value, the reading when it is a
/// plain number (nothing says it is wrong), or the placeholder for glyphs.
fn shown(read: &str, sure: Option<String>) -> Option<String> {
    let read: String = read.chars().filter(|c| !c.is_whitespace()).collect();
    let shown = match sure {
        Some(value) => value,
        None if read.is_empty() || read.chars().all(|c| c.is_ascii_digit()) => return None,
        None => PLACEHOLDER.to_owned(),
    };
    (shown != read).then_some(shown)
}

/// Chars of `line` folded one for one (marks off, lower case), so that positions agree.
fn fold_chars(line: &str) -> Vec<char> {
    line.chars().map(|c| crate::viet::fold(&c.to_string()).to_lowercase().chars().next().unwrap_or(c)).collect()
}

fn find(hay: &[char], needle: &str, from: usize) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..hay.len().saturating_sub(needle.len() - 1)).find(|&i| hay[i..i + needle.len()] == needle[..])
}

/// The number line's filled-in part: between "Số:" and the printed "/…" suffix. `None` for
/// a line that is no number line; no part when it shows what it should already.
fn number_fill(line: &str, sure: &Sure) -> Option<Vec<Fill>> {
    let folded = fold_chars(line);
    let lead = folded.iter().take_while(|c| c.is_whitespace()).count();
    if folded.get(lead..lead + 2) != Some(&['s', 'o'][..]) {
        return None;
    }
    let colon = (lead + 2..(lead + 5).min(folded.len())).find(|&i| folded[i] == ':')?;
    let slash = (colon + 1..folded.len()).find(|&i| folded[i] == '/' && folded[i + 1..].iter().any(|c| c.is_alphabetic()))?;
    let chars: Vec<char> = line.chars().collect();
    let read: String = chars[colon + 1..slash].iter().collect();
    if read.trim().chars().count() > FILL_CHARS {
        return None;
    }
    Some(shown(&read, sure.number.clone()).map(|shown| Fill { start: colon + 1, end: slash, shown: format!(" {shown}") }).into_iter().collect())
}

/// The date line's filled-in parts: the day between "ngày" and "tháng", the month between
/// "tháng" and "năm". Only the header's line, whose place (capitalized words) stands
/// before "ngày"; `None` for any other line.
fn date_fills(line: &str, sure: &Sure) -> Option<Vec<Fill>> {
    let folded = fold_chars(line);
    let d = find(&folded, "ngay", 0)?;
    let t = find(&folded, "thang", d + 4)?;
    let y = find(&folded, "nam", t + 5)?;
    let chars: Vec<char> = line.chars().collect();
    let before: String = chars[..d].iter().collect();
    let before = before.trim();
    let place = !before.is_empty() && before.split_whitespace().count() <= 5 && before.split_whitespace().all(|w| w.starts_with(char::is_uppercase));
    if !place || folded[..d].iter().collect::<String>().contains("can cu") {
        return None;
    }
    let part = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let day_read = part(d + 4, t);
    let month_read = part(t + 5, y);
    if day_read.trim().chars().count() > FILL_CHARS || month_read.trim().chars().count() > FILL_CHARS {
        return None;
    }
    let width = |read: &str, n: u32| if n < 10 && read.trim().chars().count() >= 2 { format!("{n:02}") } else { n.to_string() };
    let mut fills = Vec::new();
    if let Some(shown) = shown(&day_read, sure.day.map(|n| width(&day_read, n))) {
        fills.push(Fill { start: d + 4, end: t, shown: format!(" {shown} ") });
    }
    if let Some(shown) = shown(&month_read, sure.month.map(|n| width(&month_read, n))) {
        fills.push(Fill { start: t + 5, end: y, shown: format!(" {shown} ") });
    }
    Some(fills)
}

/// `line` with its `fills` written in (in order, not overlapping).
fn filled(line: &str, fills: &[Fill]) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for fill in fills {
        out.extend(&chars[at..fill.start]);
        out.push_str(&fill.shown);
        at = fill.end;
    }
    out.extend(&chars[at..]);
    out
}

/// Rewrites the filled-in parts of the number and date lines of page `page` of `pages`'
/// repaired text after what `meta`'s fields hold, keeping the positions of `citations` (in
/// the pages' joined repaired text) and of the page's repairs after them right.
pub fn show_fields(meta: &DocumentMeta, pages: &mut [Page], citations: &mut [Citation], page: u32) {
    let sure = sure_values(meta);
    let Some(p) = pages.iter().position(|pg| pg.number == page) else { return };
    if pages[p].source != crate::record::PageSource::Ocr {
        return;
    }
    let page_start: usize = pages[..p].iter().map(|pg| pg.repaired_text.chars().count() + 1).sum();
    let (mut number_done, mut date_done) = (false, false);
    let (mut line_char, mut line_byte) = (0, 0);
    let text = std::mem::take(&mut pages[p].repaired_text);
    let mut out = String::with_capacity(text.len());
    // (end of the line in chars, char delta, end in bytes, byte delta) of each line changed.
    let mut edits: Vec<(usize, isize, usize, isize)> = Vec::new();
    for (k, line) in text.split_inclusive('\n').enumerate() {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let mut new = body.to_owned();
        if k < HEADER_LINES && !number_done {
            if let Some(fills) = number_fill(&new, &sure) {
                number_done = true;
                new = filled(&new, &fills);
            }
        }
        if k < HEADER_LINES && !date_done {
            if let Some(fills) = date_fills(&new, &sure) {
                date_done = true;
                new = filled(&new, &fills);
            }
        }
        if new != body {
            let char_delta = new.chars().count() as isize - body.chars().count() as isize;
            let byte_delta = new.len() as isize - body.len() as isize;
            edits.push((page_start + line_char + body.chars().count(), char_delta, line_byte + body.len(), byte_delta));
            pages[p].dropped_lines.push(DroppedLine {
                text: body.to_owned(),
                mean_confidence: 0.0,
                reason: format!("dòng số, ngày như OCR đọc (phần viết tay đọc thành ký hiệu); trong văn bản: “{new}” (giá trị đã đọc chắc chắn của trường, hoặc “{PLACEHOLDER}” khi chưa chắc)"),
            });
        }
        out.push_str(&new);
        out.push_str(&line[body.len()..]);
        line_char += line.chars().count();
        line_byte += line.len();
    }
    pages[p].repaired_text = out;
    let shift = |pos: usize, at: fn(&(usize, isize, usize, isize)) -> (usize, isize)| -> usize {
        (pos as isize + edits.iter().map(at).filter(|&(end, _)| pos >= end).map(|(_, delta)| delta).sum::<isize>()).max(0) as usize
    };
    for citation in citations.iter_mut() {
        citation.start = shift(citation.start, |e| (e.0, e.1));
        citation.end = shift(citation.end, |e| (e.0, e.1));
    }
    for correction in &mut pages[p].corrections {
        correction.start = shift(correction.start, |e| (e.2, e.3));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sure(number: Option<&str>, day: Option<u32>, month: Option<u32>) -> Sure {
        Sure { number: number.map(str::to_owned), day, month }
    }

    fn number_line(line: &str, s: &Sure) -> String {
        number_fill(line, s).map_or_else(|| line.to_owned(), |f| filled(line, &f))
    }

    fn date_line(line: &str, s: &Sure) -> String {
        date_fills(line, s).map_or_else(|| line.to_owned(), |f| filled(line, &f))
    }

    #[test]
    fn a_handwritten_number_read_as_glyphs_shows_the_sure_field_or_a_placeholder() {
        assert_eq!(number_line("Số: 6§0_ /QĐ-UBND", &sure(Some("680"), None, None)), "Số: 680/QĐ-UBND");
        assert_eq!(number_line("Số: 6§0_ /QĐ-UBND", &sure(None, None, None)), "Số: …/QĐ-UBND");
        assert_eq!(number_line("Số:4†/QĐÐ-UBND", &sure(Some("47"), None, None)), "Số: 47/QĐÐ-UBND");
        // A plain number read, unsure: nothing says it is wrong; typed and sure: as it is.
        assert_eq!(number_line("Số: 39 /TTr-UBND", &sure(None, None, None)), "Số: 39 /TTr-UBND");
        assert_eq!(number_line("Số: 1582/QĐ-UBND", &sure(Some("1582"), None, None)), "Số: 1582/QĐ-UBND");
        // A line that is no number line is left alone.
        assert_eq!(number_line("Sở Tài chính: 6§/QĐ", &sure(Some("6"), None, None)), "Sở Tài chính: 6§/QĐ");
    }

    #[test]
    fn a_handwritten_day_and_month_show_the_sure_date_or_a_placeholder() {
        let s = sure(None, Some(24), Some(1));
        assert_eq!(date_line("Quảng Ngãi, ngày 2# thángØ? năm 2021", &s), "Quảng Ngãi, ngày 24 tháng 01 năm 2021");
        assert_eq!(date_line("Quảng Ngãi, ngày 2# tháng 01 năm 2021", &sure(None, None, None)), "Quảng Ngãi, ngày … tháng 01 năm 2021");
        assert_eq!(date_line("Quảng Ngãi, ngày 24 tháng 01 năm 2025", &s), "Quảng Ngãi, ngày 24 tháng 01 năm 2025");
        assert_eq!(date_line("Quảng Ngãi, ngày 5 tháng 3 năm 2025", &sure(None, Some(5), Some(3))), "Quảng Ngãi, ngày 5 tháng 3 năm 2025");
        // A date in the body is no header line.
        let body = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 1# tháng 6 năm 2015;";
        assert_eq!(date_line(body, &s), body);
    }

    #[test]
    fn the_record_keeps_the_line_as_read_and_positions_after_it_stay_right() {
        let repaired = "ỦY BAN NHÂN DÂN\nSố: 6§0_ /QĐ-UBND\nQuảng Ngãi, ngày 2# tháng 01 năm 2025\nCăn cứ Luật số 77/2015/QH13;\n".to_owned();
        let mut pages = vec![Page { number: 1, repaired_text: repaired.clone(), raw_text: repaired.clone(), ..Default::default() }];
        let mut meta = DocumentMeta { id: crate::cite::DocId::parse("680/QĐ-UBND"), ..Default::default() };
        meta.evidence.number = Some(super::super::FieldEvidence { confidence: 0.9, needs_review: false, origin: Default::default(), reason: None, candidates: Vec::new() });
        let start = repaired.find("77/2015").map(|b| repaired[..b].chars().count()).unwrap();
        let mut citations = vec![Citation { start, end: start + 12, ..Default::default() }];
        show_fields(&meta, &mut pages, &mut citations, 1);
        let text = &pages[0].repaired_text;
        assert_eq!(text, "ỦY BAN NHÂN DÂN\nSố: 680/QĐ-UBND\nQuảng Ngãi, ngày … tháng 01 năm 2025\nCăn cứ Luật số 77/2015/QH13;\n");
        let c = &citations[0];
        assert_eq!(text.chars().skip(c.start).take(c.end - c.start).collect::<String>(), "77/2015/QH13");
        assert_eq!(pages[0].raw_text, repaired, "the raw OCR text stays as read");
        let kept: Vec<&str> = pages[0].dropped_lines.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(kept, ["Số: 6§0_ /QĐ-UBND", "Quảng Ngãi, ngày 2# tháng 01 năm 2025"]);
        // A born-digital page is never rewritten.
        let mut typed = vec![Page { number: 1, source: crate::record::PageSource::TextLayer, repaired_text: repaired.clone(), ..Default::default() }];
        show_fields(&meta, &mut typed, &mut [], 1);
        assert_eq!(typed[0].repaired_text, repaired);
    }
}
