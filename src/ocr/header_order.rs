//! Reading order of a directive's header block. Decree 30/2020 lays it out in two columns
//! and two rows: the issuing organ's name (left) beside the national motto "CỘNG HÒA XÃ
//! HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" (right), then the number line
//! "Số: …" (left) beside the place and date "…, ngày … tháng … năm …" (right). A clerk
//! reads it organ, motto, number, date. Tesseract reads it in any of several orders: the
//! organ's first line glued to the motto when the gap between them is narrow ("ỦY BAN
//! NHÂN DÂN CỘNG HÒA XÃ HỘI …"), the whole left column (organ and number) before the
//! right one, or row by row. Where the motto is found, the header's lines are cut at the
//! motto's left edge and put back in the clerk's order; a page without the motto, or
//! without a number or date line beside it, is left as Tesseract read it.

use super::tsv::{TsvLine, TsvWord};

/// Paragraph ids of the reordered header's four parts, so that a blank line separates
/// them in the page text (below the ids `columns` uses).
const ORGAN: u32 = u32::MAX - 5;
const MOTTO: u32 = u32::MAX - 4;
const NUMBER: u32 = u32::MAX - 3;
const DATE: u32 = u32::MAX - 2;

/// The motto's first words, folded to capitals without marks.
const MOTTO_WORDS: [&str; 4] = ["CONG", "HOA", "XA", "HOI"];

/// Whether `line` is one of the reordered header's lines.
pub fn is_header_part(line: &TsvLine) -> bool {
    (ORGAN..=DATE).contains(&line.paragraph)
}

fn folded_upper(word: &TsvWord) -> String {
    crate::viet::fold(&word.text).chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_uppercase()
}

/// Index of the word where the motto starts in `line`: "CỘNG HÒA XÃ HỘI" with at most
/// one of its four words misread, starting on "CỘNG" or on a misread word before "HÒA".
fn motto_start(line: &TsvLine) -> Option<usize> {
    let words: Vec<String> = line.words.iter().map(folded_upper).collect();
    (0..words.len()).find(|&k| {
        let hits = MOTTO_WORDS.iter().enumerate().filter(|(i, w)| words.get(k + i).is_some_and(|x| x == *w)).count();
        hits >= 3 && (words[k] == "CONG" || words.get(k + 1).is_some_and(|x| x == "HOA"))
    })
}

fn top(words: &[TsvWord]) -> u32 {
    words.iter().map(|w| w.bbox[1]).min().unwrap_or(0)
}

fn bottom(words: &[TsvWord]) -> u32 {
    words.iter().map(|w| w.bbox[1] + w.bbox[3]).max().unwrap_or(0)
}

fn median_height(words: &[TsvWord]) -> u32 {
    let mut heights: Vec<u32> = words.iter().map(|w| w.bbox[3]).collect();
    heights.sort_unstable();
    heights.get(heights.len() / 2).copied().unwrap_or(0)
}

/// "Số: 280/BC-UBND", "Số:ổ0 /BC-UBND", "Số 46/TB-UBND" — but not "SỞ TÀI CHÍNH" (an organ's
/// name, capitals) nor "Số lượng" in prose (the number follows at once).
fn is_number_line(words: &[TsvWord]) -> bool {
    let Some(first) = words.first() else { return false };
    let folded = crate::viet::fold(&first.text);
    let Some(rest) = folded.strip_prefix("So") else { return false };
    let next = words.get(1).map(|w| w.text.as_str()).unwrap_or("");
    rest.starts_with([':', ';', '.']) || rest.chars().next().is_some_and(|c| c.is_ascii_digit()) || next.starts_with(':') || next.contains('/')
}

/// "Quảng Ngãi, ngày 22 tháng 11 năm 2024" (the day often handwritten and misread).
fn is_date_line(words: &[TsvWord]) -> bool {
    let text: Vec<String> = words.iter().map(|w| crate::viet::fold(&w.text).to_lowercase()).collect();
    let has = |s: &str| text.iter().any(|w| w.starts_with(s));
    has("ngay") && (has("thang") || has("nam"))
}

/// Whether a line's words left and right of the boundary are two columns, not one line of
/// body text running across: one side empty, or a gap of two word heights between them
/// (justified body text stretches its spaces to about one).
fn columns_apart(left: &[TsvWord], right: &[TsvWord], height: u32) -> bool {
    let (Some(l), Some(r)) = (left.iter().map(|w| w.bbox[0] + w.bbox[2]).max(), right.iter().map(|w| w.bbox[0]).min()) else {
        return true;
    };
    r.saturating_sub(l) >= 2 * height
}

/// A piece of a header line on one side of the columns' boundary.
struct Piece {
    block: u32,
    right: bool,
    words: Vec<TsvWord>,
}

/// Puts the header block of `lines` (a page's lines in Tesseract's order) in the clerk's
/// order: organ, motto, number, date. Other lines pass through unchanged.
pub fn order_header(lines: Vec<TsvLine>) -> Vec<TsvLine> {
    let Some((m, k)) = lines.iter().enumerate().find_map(|(i, l)| motto_start(l).map(|k| (i, k))) else {
        return lines;
    };
    let motto_line = &lines[m];
    let boundary = motto_line.words[k].bbox[0];
    let height = median_height(&motto_line.words).max(1);
    let side = |w: &TsvWord| w.bbox[0] + w.bbox[2] / 2 >= boundary;

    // The header ends with the number and date lines: find them among the lines that
    // follow the motto closely (the header is a few lines tall).
    let window_end = (m + 12).min(lines.len());
    let mut number_top = None;
    let mut header_bottom = None;
    for line in &lines[..window_end] {
        let (left, right): (Vec<TsvWord>, Vec<TsvWord>) = line.words.iter().cloned().partition(|w| !side(w));
        let near = top(&line.words) + height >= top(&motto_line.words) && top(&line.words) <= top(&motto_line.words) + 10 * height;
        if !near || !columns_apart(&left, &right, height) {
            continue;
        }
        if is_number_line(&left) {
            number_top = Some(number_top.map_or(top(&left), |t: u32| t.min(top(&left))));
            header_bottom = header_bottom.max(Some(bottom(&left)));
        }
        if is_date_line(&right) {
            header_bottom = header_bottom.max(Some(bottom(&right)));
            number_top = number_top.or(Some(top(&right)));
        }
    }
    let (Some(band), Some(header_bottom)) = (number_top, header_bottom) else { return lines };
    let band = band.saturating_sub(height / 2);

    // The header's lines: those around the motto line that start above the header's bottom.
    let in_header = |l: &TsvLine| !l.words.is_empty() && top(&l.words) + height / 2 < header_bottom;
    let mut start = m;
    while start > 0 && in_header(&lines[start - 1]) {
        start -= 1;
    }
    let mut end = m + 1;
    while end < lines.len() && in_header(&lines[end]) {
        end += 1;
    }

    let mut out = Vec::with_capacity(lines.len() + 4);
    let mut rest = lines.into_iter();
    out.extend(rest.by_ref().take(start));
    let mut pieces = Vec::new();
    for line in rest.by_ref().take(end - start) {
        let (left, right): (Vec<TsvWord>, Vec<TsvWord>) = line.words.into_iter().partition(|w| !side(w));
        for (words, right) in [(left, false), (right, true)] {
            if !words.is_empty() {
                pieces.push(Piece { block: line.block, right, words });
            }
        }
    }
    let block = pieces.first().map_or(0, |p| p.block);
    for (second_row, right, paragraph) in [(false, false, ORGAN), (false, true, MOTTO), (true, false, NUMBER), (true, true, DATE)] {
        out.extend(
            pieces
                .iter()
                .filter(|p| p.right == right && (top(&p.words) >= band) == second_row)
                .map(|p| TsvLine { block, paragraph, words: p.words.clone() }),
        );
    }
    out.extend(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of words at the given (x, y), each 100 px wide and 50 px high.
    fn line(block: u32, words: &[(&str, u32, u32)]) -> TsvLine {
        TsvLine {
            block,
            paragraph: 1,
            words: words
                .iter()
                .map(|&(text, x, y)| TsvWord { text: text.to_owned(), confidence: 95.0, bbox: [x, y, 100, 50] })
                .collect(),
        }
    }

    fn texts(lines: &[TsvLine]) -> Vec<String> {
        lines.iter().map(TsvLine::text).collect()
    }

    #[test]
    fn organ_glued_to_the_motto_and_the_left_column_first_are_put_in_the_clerks_order() {
        // As Tesseract read a Quảng Ngãi report: the organ's first line glued to the motto,
        // then the left column's lines, then the right column's.
        let lines = vec![
            line(1, &[("ỦY", 400, 190), ("BAN", 510, 190), ("DÂN", 620, 190), ("CỘNG", 1000, 190), ("HÒA", 1110, 190), ("XÃ", 1220, 190), ("HỘI", 1330, 190)]),
            line(2, &[("TỈNH", 400, 260), ("QUẢNG", 510, 260), ("NGÃI", 620, 260)]),
            line(2, &[("Số:", 460, 395), ("280/BC-UBND", 580, 400)]),
            line(3, &[("Độc", 1280, 270), ("lập", 1390, 270), ("-", 1500, 270), ("Tự", 1610, 270)]),
            line(3, &[("Quảng", 1190, 405), ("Ngãi,", 1300, 405), ("ngày", 1410, 405), ("22", 1520, 405), ("tháng", 1630, 405)]),
            line(4, &[("BÁO", 1140, 560), ("CÁO", 1250, 560)]),
            line(5, &[("Kính", 880, 800), ("gửi:", 990, 800)]),
        ];
        let out = order_header(lines);
        assert_eq!(
            texts(&out),
            [
                "ỦY BAN DÂN",
                "TỈNH QUẢNG NGÃI",
                "CỘNG HÒA XÃ HỘI",
                "Độc lập - Tự",
                "Số: 280/BC-UBND",
                "Quảng Ngãi, ngày 22 tháng",
                "BÁO CÁO",
                "Kính gửi:"
            ]
        );
        assert_eq!(out[6].paragraph, 1, "the title is left alone");
    }

    #[test]
    fn a_header_read_row_by_row_across_the_columns_is_split_at_the_motto() {
        let lines = vec![
            line(1, &[("UBND", 400, 190), ("TỈNH", 510, 190), ("CỘNG", 1000, 190), ("HÒA", 1110, 190), ("XÃ", 1220, 190), ("HỘI", 1330, 190)]),
            line(1, &[("BAN", 400, 260), ("CHỈ", 510, 260), ("ĐẠO", 620, 260), ("Độc", 1280, 265), ("lập", 1390, 265)]),
            line(1, &[("Số:", 460, 395), ("04/QĐ-BCĐ", 580, 400), ("Quảng", 1190, 405), ("Ngãi,", 1300, 405), ("ngày", 1410, 405), ("05", 1520, 405), ("tháng", 1630, 405)]),
            line(2, &[("QUYẾT", 1140, 560), ("ĐỊNH", 1250, 560)]),
        ];
        assert_eq!(
            texts(&order_header(lines)),
            ["UBND TỈNH", "BAN CHỈ ĐẠO", "CỘNG HÒA XÃ HỘI", "Độc lập", "Số: 04/QĐ-BCĐ", "Quảng Ngãi, ngày 05 tháng", "QUYẾT ĐỊNH"]
        );
    }

    #[test]
    fn pages_without_the_motto_or_without_a_number_or_date_are_left_alone() {
        let no_motto = vec![
            line(1, &[("ĐẢNG", 1000, 190), ("CỘNG", 1110, 190), ("SẢN", 1220, 190), ("VIỆT", 1330, 190), ("NAM", 1440, 190)]),
            line(1, &[("Số:", 460, 395), ("12-CV/TU", 580, 400)]),
        ];
        assert_eq!(order_header(no_motto.clone()), no_motto);
        let no_number = vec![
            line(1, &[("CỘNG", 1000, 190), ("HÒA", 1110, 190), ("XÃ", 1220, 190), ("HỘI", 1330, 190)]),
            line(2, &[("Điều", 300, 900), ("1.", 410, 900)]),
        ];
        assert_eq!(order_header(no_number.clone()), no_number);
        assert!(order_header(Vec::new()).is_empty());
    }

    #[test]
    fn a_body_line_with_a_date_across_the_columns_does_not_end_the_header() {
        let lines = vec![
            line(1, &[("CỘNG", 1000, 190), ("HÒA", 1110, 190), ("XÃ", 1220, 190), ("HỘI", 1330, 190)]),
            line(
                2,
                &[
                    ("Căn", 300, 400), ("cứ", 410, 400), ("Luật", 520, 400), ("Tổ", 630, 400), ("chức", 740, 400),
                    ("chính", 850, 400), ("quyền", 960, 400), ("ngày", 1070, 400), ("19", 1180, 400), ("tháng", 1290, 400),
                ],
            ),
        ];
        assert_eq!(order_header(lines.clone()), lines);
    }

    #[test]
    fn an_organ_named_so_is_not_a_number_line() {
        let sở = line(1, &[("SỞ", 400, 260), ("TÀI", 510, 260), ("CHÍNH", 620, 260)]);
        assert!(!is_number_line(&sở.words));
        let số = line(1, &[("Số:ổ0", 460, 395), ("/BC-UBND", 580, 400)]);
        assert!(is_number_line(&số.words));
        let bare = line(1, &[("Số", 460, 395), ("46/TB-UBND", 580, 400)]);
        assert!(is_number_line(&bare.words));
    }
}
