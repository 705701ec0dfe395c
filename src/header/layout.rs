//! Where the header fields stand on the page, from OCR word boxes: the "Số:" line and its
//! printed suffix, the place-and-date line with its printed month and year, and the issuer
//! block of the left column above the number.
//!
//! Text alone cannot do this on real scans: Tesseract reads a two-column header line by line
//! across both columns, and reads the handwritten digits of "Số: 280 /BC-UBND" as "ổ0"
//! glued to "Số:". Boxes say where the filled-in part is (between "Số:" and the printed
//! suffix, between "ngày" and "tháng"), so it can be cropped and read by a digit reader,
//! and what Tesseract made of it kept as one weak reading among others.
//!
//! Pure geometry over `OcrWord`s: no image here (see [`super::crop`]).

use serde::{Deserialize, Serialize};

use super::digits::DigitReading;
use crate::record::OcrWord;
use crate::viet;

/// A box in page pixels, edges inclusive-exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rect {
    pub left: u32,
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
}

impl Rect {
    pub fn of(word: &OcrWord) -> Rect {
        let [l, t, w, h] = word.bbox;
        Rect { left: l, top: t, right: l.saturating_add(w), bottom: t.saturating_add(h) }
    }
    pub fn width(&self) -> u32 {
        self.right.saturating_sub(self.left)
    }
    pub fn height(&self) -> u32 {
        self.bottom.saturating_sub(self.top)
    }
    fn center_x(&self) -> u32 {
        self.left / 2 + self.right / 2
    }
    /// `[left, top, width, height]`, as `OcrWord::bbox`.
    pub fn to_bbox(self) -> [u32; 4] {
        [self.left, self.top, self.width(), self.height()]
    }
}

/// The header of the page as laid out: what each field's printed part says and where its
/// filled-in part is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageHeader {
    pub number: Option<NumberLine>,
    pub date: Option<DateLine>,
    /// Upper-case lines of the left column above the number line, top to bottom.
    pub issuer_lines: Vec<String>,
}

/// "Số: 280 /BC-UBND": the printed marker, the filled-in number, the printed suffix.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberLine {
    /// The whole line as OCR read it.
    pub text: String,
    /// The number part: what OCR read there, and where it is.
    pub digits: Slot,
    /// The printed part after the number ("/BC-UBND", "-NQ/TW", "/2026/TT-BCT"), as read;
    /// a lost slash put back ("Số:1582QĐ-UBND" → "/QĐ-UBND").
    pub suffix: String,
    /// Mean OCR confidence (0–100) of the words the suffix comes from.
    pub suffix_confidence: f32,
    /// Left and right edge of the line (marker to suffix), in page pixels.
    pub span: (u32, u32),
}

/// "Quảng Ngãi, ngày 22 tháng 11 năm 2024".
#[derive(Debug, Clone, PartialEq)]
pub struct DateLine {
    pub text: String,
    /// The place before the comma, as read.
    pub place: Option<String>,
    pub day: Slot,
    pub month: Slot,
    /// The year's digits as read (printed), with their confidence.
    pub year: Option<(String, f32)>,
    /// The line from "ngày" to the year, for a reader that reads the filled-in day with
    /// the printed words around it anchoring where it starts and ends.
    pub span: Rect,
    /// The digit reader's readings of the whole line (empty until read).
    pub line_readings: Vec<super::digits::DayReading>,
}

/// One filled-in part of a header line: what page OCR read there, where it is, and (once
/// [`super::read_fields`] has cropped it) what the digit reader made of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Slot {
    /// What OCR read in the slot (possibly junk: "ổ0", "@39_", "Ø2").
    pub ocr: String,
    /// Mean confidence (0–100) of the words it comes from (0 when nothing was read).
    pub ocr_confidence: f32,
    /// The part of the page to crop for a digit reader.
    pub field: Rect,
    /// The digit reader's readings of the crop, best first (empty until read).
    pub readings: Vec<DigitReading>,
    /// The crop was read and holds no ink: the field was left blank.
    pub blank: bool,
}

/// How far down the page the header may reach (share of the page height).
const HEADER_ZONE: f32 = 0.45;

/// One word with its folded text.
#[derive(Clone)]
struct Word<'a> {
    text: &'a str,
    folded: String,
    confidence: f32,
    rect: Rect,
}

/// Finds the header fields among a page's words. `width`/`height` are the page's pixels.
pub fn find(words: &[OcrWord], width: u32, height: u32) -> PageHeader {
    let zone = (height as f32 * HEADER_ZONE) as u32;
    let words: Vec<Word> = words
        .iter()
        .filter(|w| w.bbox[1] < zone && !w.text.trim().is_empty())
        .map(|w| Word { text: w.text.as_str(), folded: viet::fold(&w.text).to_lowercase(), confidence: w.confidence, rect: Rect::of(w) })
        .collect();
    let rows = rows(&words);
    let number = rows.iter().find_map(|row| number_line(&words, row, width));
    let date = rows.iter().find_map(|row| date_line(&words, row));
    let issuer_lines = match &number {
        Some(n) => issuer_lines(&words, &rows, n),
        None => Vec::new(),
    };
    PageHeader { number, date, issuer_lines }
}

/// Words grouped into visual rows (by vertical overlap), each row left to right.
fn rows(words: &[Word]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..words.len()).collect();
    order.sort_by_key(|&i| (words[i].rect.top + words[i].rect.bottom) / 2);
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let r = words[i].rect;
        let fits = |row: &Vec<usize>| {
            let (top, bottom) = band(words, row);
            let overlap = bottom.min(r.bottom).saturating_sub(top.max(r.top));
            overlap * 2 >= r.height().min(bottom - top).max(1)
        };
        match rows.iter_mut().rev().take(4).find(|row| fits(row)) {
            Some(row) => row.push(i),
            None => rows.push(vec![i]),
        }
    }
    for row in &mut rows {
        row.sort_by_key(|&i| words[i].rect.left);
    }
    rows.sort_by_key(|row| band(words, row).0);
    rows
}

/// The row's vertical band: the median top and bottom of its words (one tall handwritten
/// digit or accented capital does not stretch it).
fn band(words: &[Word], row: &[usize]) -> (u32, u32) {
    let mut tops: Vec<u32> = row.iter().map(|&i| words[i].rect.top).collect();
    let mut bottoms: Vec<u32> = row.iter().map(|&i| words[i].rect.bottom).collect();
    tops.sort_unstable();
    bottoms.sort_unstable();
    let (top, bottom) = (tops[tops.len() / 2], bottoms[bottoms.len() / 2]);
    (top, bottom.max(top + 1))
}

/// Width of one printed character on the row, from its confidently read words.
fn char_width(words: &[Word], row: &[usize]) -> f32 {
    let (mut width, mut chars) = (0u32, 0usize);
    for &i in row {
        let w = &words[i];
        let n = w.text.chars().count();
        if w.confidence >= 80.0 && n >= 2 {
            width += w.rect.width();
            chars += n;
        }
    }
    if chars == 0 {
        let (top, bottom) = band(words, row);
        return (bottom - top) as f32 * 0.6;
    }
    width as f32 / chars as f32
}

/// The number marker: "Số", "Số:", OCR's "Só", "Sô", "Sé", "S6", possibly glued to what
/// follows ("Số:ổ0", "Số:1582QĐ-UBND"). Returns the length in chars of the marker.
fn number_marker(word: &Word) -> Option<usize> {
    if !word.text.starts_with('S') {
        return None;
    }
    let folded: Vec<char> = word.folded.chars().collect();
    if folded.len() < 2 || !matches!(folded[1], 'o' | 'e' | '6' | '0' | 'a') {
        return None;
    }
    let mut n = 2;
    while n < folded.len() && matches!(folded[n], ':' | ';' | '.' | ',') {
        n += 1;
    }
    // "Sở" (a department) and "Số" alone are told apart by what follows: a bare marker
    // must be followed by the number, a glued one must not continue with letters.
    if n < folded.len() && folded[n].is_alphabetic() && n == 2 {
        return None;
    }
    Some(n)
}

/// "Số:" that a seal, the pen or the scan's colour made unreadable: Tesseract gives a short
/// word starting with "S" at a confidence it would never give a printed word ("ST" at 5).
/// Only the row's first word in the left column can be it (see [`number_line`]).
fn garbled_marker(word: &Word) -> bool {
    word.text.starts_with('S') && word.text.chars().count() <= 3 && word.confidence < 40.0
}

/// Whether the suffix ("/CT-UBND", "/2024/QĐ-UBND") holds a type code of the tables: the
/// sign that a row with a garbled marker is the number line and not a body line.
fn suffix_has_type_code(suffix: &str) -> bool {
    let types = crate::authority::Authority::builtin();
    suffix.split(['/', '-', '–']).any(|part| part.chars().count() >= 2 && types.types_of_code(part).next().is_some())
}

/// Whether the suffix's first code ("/UBND-KTTH", "/2024/QĐ-UBND", "-NQ/TW") is spelled
/// exactly as a type or issuer code of the tables: the sign, stricter than
/// [`suffix_has_type_code`], that a word far after "Số:" is still the number's suffix.
fn suffix_opens_with_a_code(suffix: &str) -> bool {
    let types = crate::authority::Authority::builtin();
    suffix
        .split(['/', '-', '–'])
        .find(|part| !part.is_empty() && !part.chars().all(|c| c.is_ascii_digit()))
        .is_some_and(|code| code.chars().count() >= 2 && types.has_code_spelling(code))
}

/// A suffix starts at a separator followed by letters, or by a year and letters
/// ("/BC-UBND", "-NQ/TW", "/2026/TT-BCT"), or at capitals right after the digits when OCR
/// lost the slash ("1582QĐ-UBND"). Returns its char offset in `text`.
fn suffix_start(text: &[char]) -> Option<usize> {
    for (i, &c) in text.iter().enumerate() {
        if c.is_uppercase() && i > 0 && text[i - 1].is_ascii_digit() && lost_slash_before(&text[i..]) {
            return Some(i);
        }
        if !matches!(c, '/' | '-' | '–') {
            continue;
        }
        let rest: String = text[i + 1..].iter().collect::<String>();
        let rest = rest.trim_start();
        match rest.chars().next() {
            Some(c) if c.is_alphabetic() => return Some(i),
            Some(c) if c.is_ascii_digit() => {
                let year: String = rest.chars().take(4).collect();
                let after = rest.chars().nth(4);
                if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) && matches!(after, Some('/' | '-')) {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// "QĐ-UBND" right after the digits: a type code of the tables, then a hyphen. ("4B/QĐ" is a
/// misread digit, not a lost slash.)
fn lost_slash_before(text: &[char]) -> bool {
    let code: String = text.iter().take_while(|c| c.is_alphabetic()).collect();
    let next = text.get(code.chars().count());
    code.chars().count() >= 2 && next == Some(&'-') && crate::authority::Authority::builtin().types_of_code(&code).next().is_some()
}

/// What stands between the marker and the suffix can be a number (read or misread: "280",
/// "ổ0", "@39_", "Ø2") or nothing; words ("Sở Tài chính-KH") are not.
fn could_be_number(text: &str) -> bool {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    text.chars().filter(|c| c.is_alphabetic()).count() < 3 && text.chars().count() <= 8
}

/// The "Số:" line: the marker in the left half of the page, then the number, then the
/// printed suffix on the same row before the column gap.
fn number_line(words: &[Word], row: &[usize], page_width: u32) -> Option<NumberLine> {
    let left_column = |i: usize| words[i].rect.center_x() < page_width * 11 / 20;
    let found = row.iter().position(|&i| left_column(i) && number_marker(&words[i]).is_some());
    // Failing a readable marker, a garbled one at the start of the left column (see
    // [`garbled_marker`]); the suffix must then be a known type code to be believed.
    let garbled = found.is_none();
    let m = match found {
        Some(m) => m,
        None => row.iter().position(|&i| left_column(i)).filter(|&m| garbled_marker(&words[row[m]]))?,
    };
    let marker_word = &words[row[m]];
    let marker_len = if garbled { marker_word.text.chars().count() } else { number_marker(marker_word)? };
    let (top, bottom) = band(words, row);
    let line_height = bottom - top;
    // The words after the marker up to the column gap.
    let mut part = vec![row[m]];
    let mut right = marker_word.rect.right;
    for &i in &row[m + 1..] {
        let gap = words[i].rect.left.saturating_sub(right);
        // A handwritten number is 3-4 line heights wide: when Tesseract returned nothing for
        // it, only the printed suffix after the gap says this is the number line, so a wider
        // gap is bridged for a word that is a suffix with a type code of the tables.
        let lone_marker_then_suffix = part.len() == 1
            && gap <= line_height * 5
            && words[i].text.starts_with(['/', '-', '–'])
            && suffix_opens_with_a_code(&trim_suffix(&words[i].text));
        if gap > line_height * 3 && !lone_marker_then_suffix {
            break;
        }
        right = words[i].rect.right;
        part.push(i);
    }
    // Char positions of each word in the joined text (no spaces: OCR puts them anywhere).
    let mut joined: Vec<char> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (k, &i) in part.iter().enumerate() {
        let chars: Vec<char> = if k == 0 { words[i].text.chars().skip(marker_len).collect() } else { words[i].text.chars().collect() };
        owner.extend(std::iter::repeat_n(k, chars.len()));
        joined.extend(chars);
    }
    let start = suffix_start(&joined)?;
    let slash_lost = !matches!(joined[start], '/' | '-' | '–');
    let mut suffix: String = joined[start..].iter().filter(|c| !c.is_whitespace()).collect();
    if slash_lost {
        suffix.insert(0, '/');
    }
    let suffix = trim_suffix(&suffix);
    if !suffix.chars().skip(1).any(char::is_alphabetic) {
        return None;
    }
    if garbled && !suffix_has_type_code(&suffix) {
        return None;
    }
    let digits_text: String = joined[..start].iter().collect();
    if !could_be_number(&digits_text) {
        return None;
    }
    let suffix_word = owner[start];
    let cw = char_width(words, row);
    // Left edge of the number: after the marker ("Số:" is about 1.3 line heights wide when
    // OCR glued the handwriting to it and its own box cannot say where it ends).
    let marker_rect = marker_word.rect;
    // A garbled marker's box may hold the handwriting too ("Số:11" read as "ST"): the
    // estimate, never past the box's own right edge.
    let number_left = if garbled {
        (marker_rect.left + line_height * 13 / 10).min(marker_rect.right)
    } else if marker_word.text.chars().count() <= marker_len {
        marker_rect.right
    } else {
        marker_rect.left + line_height * 13 / 10
    };
    // Right edge: where the suffix starts (estimated inside a glued word), and half a line
    // height more, so that the suffix's first mark ("/") is in the crop rather than cut in
    // half: a reader reads it as the printed mark it is.
    let suffix_rect = words[part[suffix_word]].rect;
    let chars_before_in_word = owner[..start].iter().filter(|&&k| k == suffix_word).count();
    let suffix_left = if chars_before_in_word == 0 {
        suffix_rect.left
    } else {
        let suffix_chars = owner[start..].iter().filter(|&&k| k == suffix_word).count();
        suffix_rect.right.saturating_sub((cw * suffix_chars as f32) as u32).max(number_left)
    };
    let number_right = suffix_left + line_height / 2;
    let mut digit_parts: Vec<usize> = owner[..start].to_vec();
    digit_parts.dedup();
    let digit_words: Vec<usize> = digit_parts.iter().map(|&k| part[k]).collect();
    let suffix_words: Vec<usize> = (suffix_word..part.len()).map(|k| part[k]).collect();
    Some(NumberLine {
        text: part.iter().map(|&i| words[i].text).collect::<Vec<_>>().join(" "),
        digits: Slot {
            ocr: digits_text.trim().to_owned(),
            ocr_confidence: mean_confidence(words, &digit_words),
            field: field_box(number_left, number_right, top, bottom),
            ..Slot::default()
        },
        suffix,
        suffix_confidence: mean_confidence(words, &suffix_words),
        span: (marker_rect.left, right),
    })
}

/// A suffix ends at the first character that cannot be part of a symbol.
fn trim_suffix(suffix: &str) -> String {
    let end = suffix.char_indices().find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '/' | '-' | '–' | '.'))).map_or(suffix.len(), |(i, _)| i);
    suffix[..end].trim_end_matches(['.', '-', '/']).to_owned()
}

fn mean_confidence(words: &[Word], indices: &[usize]) -> f32 {
    if indices.is_empty() {
        return 0.0;
    }
    indices.iter().map(|&i| words[i].confidence).sum::<f32>() / indices.len() as f32
}

/// The box to crop for a filled-in field between two printed parts of a line: the gap,
/// and above and below the line's band, where handwriting reaches.
fn field_box(left: u32, right: u32, top: u32, bottom: u32) -> Rect {
    let h = bottom - top;
    Rect { left, top: top.saturating_sub(h * 3 / 5), right: right.max(left + 1), bottom: bottom + h * 2 / 5 }
}

/// "Place, ngày D tháng M năm Y", with D (and sometimes M) filled in by hand.
///
/// Tesseract often glues a pen day to the printed words around it, so that "ngày", the day
/// and "tháng" come out as one word ("ngày4†tháng", "ngàyÂtháng") or the day opens
/// "tháng" ("{tháng"): such a word is cut before its "tháng", whose printed width is known.
fn date_line(words: &[Word], row: &[usize]) -> Option<DateLine> {
    let cw = char_width(words, row);
    let cut: Vec<Word> = row.iter().flat_map(|&i| split_before_month(&words[i], cw)).collect();
    let order: Vec<usize> = (0..cut.len()).collect();
    date_line_of(&cut, &order, cw)
}

/// `word` cut before a "tháng" it holds after other characters: the part before (the
/// day, with "ngày" when that is glued too) and "tháng…", its box the printed word's width
/// from the right edge. Any other word as it is.
fn split_before_month<'a>(word: &Word<'a>, cw: f32) -> Vec<Word<'a>> {
    let chars: Vec<(usize, char)> = word.text.char_indices().collect();
    let folded: Vec<String> = chars.iter().map(|&(_, c)| viet::fold(&c.to_string()).to_lowercase()).collect();
    let at = (1..chars.len()).rev().find(|&k| folded[k..].concat().starts_with("thang"));
    let Some(k) = at else { return vec![word.clone()] };
    let (byte, right_chars) = (chars[k].0, chars.len() - k);
    let month_left = word.rect.right.saturating_sub((cw * 0.85 * right_chars as f32) as u32).max(word.rect.left + 1);
    let (head, tail) = word.text.split_at(byte);
    let part = |text: &'a str, left: u32, right: u32| Word { text, folded: viet::fold(text).to_lowercase(), confidence: word.confidence, rect: Rect { left, right, ..word.rect } };
    vec![part(head, word.rect.left, month_left), part(tail, month_left, word.rect.right)]
}

fn date_line_of(words: &[Word], row: &[usize], cw: f32) -> Option<DateLine> {
    let starts = |i: usize, w: &str| words[i].folded.starts_with(w);
    // "ngày" itself may be garbled where the pen day touches it ("ngàW†"): a short word
    // opening as it does, right before "tháng", stands for it.
    let d = row.iter().position(|&i| starts(i, "ngay")).or_else(|| (0..row.len().saturating_sub(1)).find(|&k| starts(row[k], "nga") && words[row[k]].text.chars().count() <= 7 && starts(row[k + 1], "thang")))?;
    let t = row[d..].iter().position(|&i| starts(i, "thang")).map(|k| k + d)?;
    let y = row[t..].iter().position(|&i| words[i].folded.starts_with("nam")).map(|k| k + t)?;
    // A body sentence mentions dates too; the header's line has a place before "ngày"
    // ("Quảng Ngãi, ngày"; OCR may lose the comma, not the capital).
    let (top, bottom) = band(words, row);
    // A symbol's code ("… TT-BGDĐT ngày 26 tháng 5 năm 2020") is not a place.
    let place_before = d > 0 && {
        let prev = words[row[d - 1]].text;
        let symbol_like = prev.chars().count() >= 2 && !prev.chars().any(char::is_lowercase);
        prev.ends_with(',') || (prev.starts_with(char::is_uppercase) && !symbol_like && words[row[d - 1]].rect.right + (bottom - top) * 2 > words[row[d]].rect.left)
    };
    if !place_before {
        return None;
    }
    // The header's date line ends at its year; a sentence of the body runs on after it
    // ("… năm 2020 và được sửa đổi, bổ sung").
    let year_right = words[*row.get(y + 1).unwrap_or(&row[y])].rect.right;
    let runs_on = row[(y + 2).min(row.len())..].iter().any(|&i| words[i].rect.left < year_right + (bottom - top) * 3 && words[i].text.chars().any(char::is_alphanumeric));
    if runs_on {
        return None;
    }
    // Where a marker word ("ngày", "tháng") ends: its box, unless OCR glued the handwriting
    // to it (its text runs on, or its box is far wider than the word).
    let after = |i: usize, marker: usize| -> (u32, String) {
        let w = &words[i];
        let n = w.text.chars().count();
        let expected = w.rect.left + (cw * marker as f32 * 1.1) as u32;
        if n <= marker + 1 {
            (w.rect.right.min(expected), String::new())
        } else {
            (w.rect.left + (cw * marker as f32) as u32, w.text.chars().skip(marker).collect())
        }
    };
    let (day_left, day_glued) = after(row[d], 4);
    let (month_left, month_glued) = after(row[t], 5);
    let slot = |left: u32, glued: String, between: &[usize], right: u32| -> Slot {
        let mut ocr = glued;
        let mut confidences = Vec::new();
        for &i in between {
            ocr.push_str(words[i].text);
            confidences.push(words[i].confidence);
        }
        let ocr_confidence = if confidences.is_empty() { 0.0 } else { confidences.iter().sum::<f32>() / confidences.len() as f32 };
        Slot { ocr, ocr_confidence, field: field_box(left, right, top, bottom), ..Slot::default() }
    };
    let day = slot(day_left, day_glued, &row[d + 1..t], words[row[t]].rect.left);
    let month = slot(month_left, month_glued, &row[t + 1..y], words[row[y]].rect.left);
    let year = row.get(y + 1).map(|&i| (words[i].text.trim_end_matches(['.', ',']).to_owned(), words[i].confidence));
    let line_right = words[*row.get(y + 1).unwrap_or(&row[y])].rect.right;
    let span = field_box(words[row[d]].rect.left.saturating_sub(cw as u32), line_right + cw as u32, top, bottom);
    // The place: the capitalized words before the comma, back to the column gap.
    let mut place = Vec::new();
    let mut left_edge = words[row[d]].rect.left;
    for &i in row[..d].iter().rev() {
        let w = &words[i];
        if w.rect.right + (bottom - top) * 2 < left_edge || !w.text.starts_with(char::is_uppercase) || place.len() == 4 {
            break;
        }
        place.push(w.text.trim_end_matches(','));
        left_edge = w.rect.left;
    }
    place.reverse();
    Some(DateLine {
        text: row[d.saturating_sub(place.len())..].iter().map(|&i| words[i].text).collect::<Vec<_>>().join(" "),
        place: (!place.is_empty()).then(|| place.join(" ")),
        day,
        month,
        year,
        span,
        line_readings: Vec::new(),
    })
}

/// The issuer block: the upper-case lines of the left column just above the number line,
/// centred over it as printed (a signature box or a gazette stamp beside them is not).
fn issuer_lines(words: &[Word], rows: &[Vec<usize>], number: &NumberLine) -> Vec<String> {
    let (line_left, line_right) = (number.span.0, number.span.1);
    let axis = (line_left + line_right) / 2;
    let span = line_right.saturating_sub(line_left).max(1);
    let number_top = number.digits.field.top + number.digits.field.height() / 4;
    let mut lines: Vec<String> = Vec::new();
    for row in rows.iter().rev() {
        let (top, _) = band(words, row);
        if top >= number_top {
            continue;
        }
        // The words of this row within reach of the column's axis.
        // The motto of the right column, when it stands on the same row, ends the line.
        let cut = motto_start(words, row).unwrap_or(row.len());
        let near: Vec<usize> = row[..cut].iter().copied().filter(|&i| words[i].rect.center_x().abs_diff(axis) < span).collect();
        let text = near.iter().map(|&i| words[i].text).collect::<Vec<_>>().join(" ");
        let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() < 3 {
            continue; // an underline, a star, a speck
        }
        let left = near.iter().map(|&i| words[i].rect.left).min().unwrap_or(0);
        let right = near.iter().map(|&i| words[i].rect.right).max().unwrap_or(0);
        let centred = ((left + right) / 2).abs_diff(axis) * 10 < span * 3;
        let upper = letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 8;
        // Seals and signature marks over the block lower OCR's confidence; the shape of the
        // line (upper case, centred over the number) says more.
        if !(centred && upper && mean_confidence(words, &near) >= 30.0) || lines.len() == 4 {
            break;
        }
        lines.push(text);
    }
    lines.reverse();
    lines
}

/// Where a run of three or more motto words ("CỘNG HÒA XÃ HỘI …", "Độc lập - Tự do …",
/// "ĐẢNG CỘNG SẢN VIỆT NAM") starts among `row`'s words.
fn motto_start(words: &[Word], row: &[usize]) -> Option<usize> {
    let folded: Vec<String> = row
        .iter()
        .map(|&i| crate::cite::meta::undo_p_for_d(words[i].folded.trim_matches(|c: char| !c.is_alphanumeric())))
        .collect();
    (0..row.len()).find(|&k| {
        crate::cite::meta::MOTTOS.iter().any(|motto| {
            (0..motto.len()).any(|offset| {
                let run = folded[k..].iter().filter(|w| !w.is_empty()).zip(&motto[offset..]).take_while(|(w, m)| w.as_str() == **m).count();
                run >= 3
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of a row: (text, left, width), all at `top` with height `h`.
    fn row(top: u32, h: u32, words: &[(&str, u32, u32, f32)]) -> Vec<OcrWord> {
        words.iter().map(|&(text, left, width, confidence)| OcrWord { text: text.to_owned(), confidence, bbox: [left, top, width, h], line: 1 }).collect()
    }

    fn page() -> Vec<OcrWord> {
        // A real-looking 300 DPI header: issuer column left, motto right, a handwritten
        // "280" that OCR glued to "Số:", a handwritten day read as junk.
        let mut words = Vec::new();
        words.extend(row(190, 56, &[("ỦY", 399, 81, 97.0), ("BAN", 496, 122, 97.0), ("NHÂN", 634, 172, 97.0), ("DÂN", 821, 124, 96.0), ("CỘNG", 1007, 201, 47.0), ("HÒA", 1225, 130, 97.0), ("XÃ", 1370, 83, 96.0), ("HỘI", 1471, 111, 96.0), ("CHỦ", 1600, 128, 96.0), ("NGHĨA", 1744, 196, 97.0), ("VIỆT", 1959, 142, 96.0), ("NAM", 2118, 140, 96.0)]));
        words.extend(row(260, 55, &[("TỈNH", 399, 145, 92.0), ("QUẢNG", 563, 214, 91.0), ("NGÃI", 794, 150, 92.0), ("Độc", 1286, 94, 96.0), ("lập", 1398, 109, 93.0), ("-", 1480, 28, 93.0), ("Tự", 1525, 73, 97.0), ("do", 1614, 93, 93.0), ("-", 1689, 22, 93.0), ("Hạnh", 1724, 137, 97.0), ("phúc", 1881, 120, 96.0)]));
        words.extend(row(400, 56, &[("Số:ổ0", 467, 183, 75.0), ("/BC-UBND", 688, 277, 89.0), ("Quảng", 1196, 158, 97.0), ("Ngãi,", 1365, 123, 97.0), ("ngày", 1511, 113, 77.0), ("Êˆ@_", 1633, 71, 27.0), ("tháng", 1742, 135, 96.0), ("11", 1894, 51, 90.0), ("năm", 1964, 98, 97.0), ("2024", 2080, 118, 97.0)]));
        words.extend(row(557, 55, &[("BÁO", 1145, 124, 92.0), ("CÁO", 1288, 124, 97.0)]));
        words
    }

    #[test]
    fn a_handwritten_number_glued_to_the_marker_is_located() {
        let layout = find(&page(), 2480, 3508);
        let number = layout.number.expect("number line");
        assert_eq!(number.suffix, "/BC-UBND");
        assert_eq!(number.digits.ocr, "ổ0");
        // The crop starts after "Số:" (estimated inside the glued word) and ends just inside
        // the suffix (its slash).
        let field = number.digits.field;
        assert!(field.left > 467 + 40 && field.left < 467 + 110, "{field:?}");
        assert_eq!(field.right, 688 + 56 / 2);
        assert!(field.top < 400 && field.bottom > 456, "{field:?}");
        assert_eq!(layout.issuer_lines, ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"]);
    }

    #[test]
    fn the_date_line_gives_day_slot_printed_month_and_year() {
        let layout = find(&page(), 2480, 3508);
        let date = layout.date.expect("date line");
        assert_eq!(date.place.as_deref(), Some("Quảng Ngãi"));
        assert_eq!(date.day.ocr, "Êˆ@_");
        assert_eq!((date.day.field.left, date.day.field.right), (1511 + 113, 1742));
        assert_eq!(date.month.ocr, "11");
        assert_eq!(date.year, Some(("2024".to_owned(), 97.0)));
    }

    #[test]
    fn a_pen_day_glued_to_the_printed_words_still_gives_the_date_line() {
        // Printed words of the row as real scans give them, with the day between.
        let with = |middle: &[(&str, u32, u32, f32)]| {
            let mut words = vec![("Quảng", 1298, 146, 97.0), ("Ngãi,", 1454, 123, 93.0)];
            words.extend_from_slice(middle);
            words.extend_from_slice(&[("01", 1902, 54, 94.0), ("năm", 1968, 96, 97.0), ("2025", 2074, 112, 95.0)]);
            find(&row(556, 50, &words), 2480, 3508).date
        };
        // "ngày", the day and "tháng" one word: cut before "tháng", by its printed width.
        let date = with(&[("ngàyÂtháng", 1590, 290, 6.0)]).expect("date line");
        assert_eq!(date.month.ocr, "01");
        let day = date.day.field;
        assert!(day.left > 1590 + 60 && day.right > 1590 + 130 && day.right < 1880 - 90, "{day:?}");
        // The day opening "tháng".
        let date = with(&[("ngày", 1516, 110, 97.0), ("{tháng", 1628, 200, 14.0)]).expect("date line");
        assert_eq!(date.day.ocr, "{");
        assert!(date.day.field.left >= 1626 && date.day.field.right < 1828 - 80, "{:?}", date.day.field);
        // "ngày" garbled where the pen touches it, right before "tháng".
        let date = with(&[("ngàW†", 1532, 150, 54.0), ("tháng", 1719, 120, 96.0)]).expect("date line");
        assert_eq!(date.day.field.right, 1719);
        // A body word that only opens like "ngày" is no date marker without "tháng" next.
        assert!(with(&[("ngành", 1532, 150, 90.0), ("y", 1700, 10, 50.0), ("tháng", 1719, 120, 96.0)]).is_none());
    }

    #[test]
    fn a_handwritten_number_ocr_returned_nothing_for_is_bridged_to_its_printed_suffix() {
        // "Số:" alone, then 139 px of pen ink Tesseract gave no word for (3.4 line heights of
        // 41 px), then the printed suffix: the field is the gap.
        let words = row(400, 41, &[("Số:", 400, 60, 93.0), ("/UBND-KTTH", 599, 230, 90.0)]);
        let number = find(&words, 2480, 3508).number.expect("number line");
        assert_eq!(number.suffix, "/UBND-KTTH");
        assert_eq!((number.digits.field.left, number.digits.field.right), (460, 599 + 41 / 2));
        // The same gap before a word that is no suffix of the tables is the column gap.
        let words = row(400, 41, &[("Số:", 400, 60, 93.0), ("/Xin-chào", 599, 230, 90.0)]);
        assert!(find(&words, 2480, 3508).number.is_none());
        // And a wider gap than a number is ever written is the column gap too.
        let words = row(400, 41, &[("Số:", 400, 60, 93.0), ("/UBND-KTTH", 700, 230, 90.0)]);
        assert!(find(&words, 2480, 3508).number.is_none());
    }

    #[test]
    fn a_typed_number_with_its_slash_lost_keeps_its_suffix() {
        let words = row(400, 50, &[("Số:1582QĐ-UBND", 400, 420, 91.0)]);
        let number = find(&words, 2480, 3508).number.expect("number line");
        assert_eq!(number.suffix, "/QĐ-UBND");
        assert_eq!(number.digits.ocr, "1582");
        let words = row(400, 50, &[("Số:", 400, 65, 96.0), ("157/", 480, 90, 93.0), ("QĐ-NĐ-UB", 575, 200, 90.0)]);
        let number = find(&words, 2480, 3508).number.expect("number line");
        assert_eq!((number.digits.ocr.as_str(), number.suffix.as_str()), ("157", "/QĐ-NĐ-UB"));
        assert_eq!(number.digits.field.left, 465);
        let words = row(400, 50, &[("Số", 400, 50, 96.0), ("15/2020/TT-BGDĐT", 470, 400, 93.0)]);
        let number = find(&words, 2480, 3508).number.expect("number line");
        assert_eq!((number.digits.ocr.as_str(), number.suffix.as_str()), ("15", "/2020/TT-BGDĐT"));
        let words = row(400, 50, &[("Số", 400, 50, 96.0), ("312-BC/HU", 470, 250, 93.0)]);
        assert_eq!(find(&words, 2480, 3508).number.unwrap().suffix, "-BC/HU");
        // A letter misread in the handwriting is not a lost slash.
        let words = row(400, 50, &[("Số:4B", 400, 150, 51.0), ("/QĐ-XPHC", 560, 250, 90.0)]);
        let number = find(&words, 2480, 3508).number.unwrap();
        assert_eq!((number.digits.ocr.as_str(), number.suffix.as_str()), ("4B", "/QĐ-XPHC"));
    }

    #[test]
    fn body_lines_and_departments_are_not_header_fields() {
        // "Sở Tài chính" is not a number marker; a date in a sentence has no place before it.
        let words = row(400, 50, &[("Sở", 400, 60, 96.0), ("Tài", 470, 80, 96.0), ("chính-KH", 560, 200, 96.0)]);
        assert!(find(&words, 2480, 3508).number.is_none());
        let words = row(400, 50, &[("trước", 300, 120, 96.0), ("ngày", 430, 110, 96.0), ("20", 550, 50, 96.0), ("tháng", 610, 130, 96.0), ("3", 750, 25, 96.0), ("năm", 790, 100, 96.0), ("2025", 900, 110, 96.0)]);
        assert!(find(&words, 2480, 3508).date.is_none());
        // A cited document's date in a wrapped sentence: a code is no place, and the
        // header's date line ends at its year.
        let words = row(400, 50, &[("BGDĐT", 300, 150, 96.0), ("ngày", 470, 110, 96.0), ("26", 590, 50, 96.0), ("tháng", 650, 130, 96.0), ("5", 790, 25, 96.0), ("năm", 830, 100, 96.0), ("2020", 940, 110, 96.0), ("và", 1070, 60, 96.0), ("được", 1140, 120, 96.0)]);
        assert!(find(&words, 2480, 3508).date.is_none());
        let words = row(400, 50, &[("Quảng", 300, 150, 96.0), ("Ngãi,", 460, 120, 96.0), ("ngày", 600, 110, 96.0), ("26", 720, 50, 96.0), ("tháng", 780, 130, 96.0), ("5", 920, 25, 96.0), ("năm", 960, 100, 96.0), ("2020", 1070, 110, 96.0), ("và", 1200, 60, 96.0), ("được", 1270, 120, 96.0)]);
        assert!(find(&words, 2480, 3508).date.is_none());
        // A marker garbled beyond reading counts only before a type code, and only when
        // OCR was unsure of it.
        let words = row(400, 50, &[("ST", 400, 60, 5.0), ("/CT-UBND", 570, 230, 88.0)]);
        let number = find(&words, 2480, 3508).number.unwrap();
        assert_eq!((number.digits.ocr.as_str(), number.suffix.as_str()), ("", "/CT-UBND"));
        assert!(number.digits.field.left >= 460 && number.digits.field.right > 570);
        let words = row(400, 50, &[("ST", 400, 60, 5.0), ("/UBND-NC", 570, 230, 88.0)]);
        assert!(find(&words, 2480, 3508).number.is_none());
        let words = row(400, 50, &[("ST", 400, 60, 90.0), ("/CT-UBND", 570, 230, 88.0)]);
        assert!(find(&words, 2480, 3508).number.is_none());
        // Below the header zone nothing is looked for.
        let words = row(3000, 50, &[("Số:", 400, 65, 96.0), ("12/QĐ-UBND", 480, 300, 96.0)]);
        assert!(find(&words, 2480, 3508).number.is_none());
    }
}
