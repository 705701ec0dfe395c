//! The digits of cited numbers read again from the image, where the page reading may have
//! taken one digit for another of like shape.
//!
//! Why: Tesseract reads a whole page line by line, and the italic or light digits of a
//! scanned page come out as digits of like shape (`373/TTr-SNV` where the page prints
//! `573/TTr-SNV`, `759/QĐ-UBND` for `789/QĐ-UBND`). When neither reading is a document
//! any list knows, the text alone cannot tell them apart; the image can. The word is cut
//! out of the page and read again as one word (Tesseract's single-word mode, which finds
//! the characters' cuts on its own rather than on the line's) at two enlargements: readers
//! that do not share the page reading's error. [`combine`] then decides:
//! - the re-readings agree with the page reading: it stands;
//! - they agree with one another on another number one digit shape away: that number is
//!   taken (the page reading is kept as printed, with the reason, in [`NumberReread`]);
//! - anything else: the page reading stands, and the other readings are kept as candidates
//!   for a person ("prefer unsure to wrong").
//!
//! Only numbers whose digits are doubtful are read again (a digit with a look-alike, or a
//! word Tesseract doubted): a handful of words per page. The words' text and the page's
//! text are changed here, at the OCR stage, so that the later stages stay functions of text;
//! the record keeps every re-read ([`NumberReread`]) for the citations to point at.

use std::cell::RefCell;
use std::ffi::{c_int, CStr, CString};

use serde::{Deserialize, Serialize};
use tesseract::plumbing::tesseract_sys as sys;

use super::{OcrPage, PageImage};
use crate::record::OcrWord;

/// Digits OCR reads for one another in the print of cited numbers (roman and italic): the
/// round digits one for another, and the upright strokes.
pub const DIGIT_SHAPES: &[&str] = &["035689", "17", "14", "49"];

/// A page word re-read below this confidence is doubtful whatever its digits.
const DOUBTFUL_CONFIDENCE: f32 = 90.0;
/// Enlargements of the word at which it is read again (the page is read at 1×).
const SCALES: &[u32] = &[2, 3];
/// Largest word box re-read (pixels, at the page's resolution): a number with its code is
/// one short word; a longer box is a line Tesseract did not split.
const MAX_WORD_WIDTH: u32 = 1200;
const MAX_WORD_HEIGHT: u32 = 200;

/// What the re-reading decided about one number.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The re-readings agree with the page reading.
    Confirmed,
    /// The re-readings agree on another number of like-shaped digits: it was taken.
    Changed,
    /// The readings disagree: the page reading stands, flagged, with the others as candidates.
    Unsure,
}

/// One number read again from the image, as the record keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NumberReread {
    /// The word as the page reading gave it ("373/TTr-SNV").
    pub printed: String,
    /// The word as it now stands in the page text ("573/TTr-SNV").
    pub read: String,
    /// 1-based line of the word in the page's raw text.
    pub line: u32,
    /// The word's box in page pixels (left, top, width, height).
    pub bbox: [u32; 4],
    /// The number's digits as each re-reading gave them ("2x:573"), "-" when a reading
    /// found no number of the same length.
    pub readings: Vec<String>,
    pub decision: Decision,
    /// 0–1: how sure the number now in the text is.
    pub confidence: f32,
    /// The numbers' digits a clerk should choose between, the one in the text first.
    pub candidates: Vec<String>,
}

/// The leading number of a cited number's word: (what precedes the digits, the digits, the
/// rest). `None` for words that are not a number followed by its code ("573/TTr-SNV",
/// "(789/QĐ-UBND", "1594-TB/TU"; not "2024", "12/2019" or "ngày").
pub fn number_part(word: &str) -> Option<(&str, &str, &str)> {
    let start = word.find(|c: char| c.is_ascii_digit())?;
    let lead = &word[..start];
    if lead.chars().any(|c| c.is_alphanumeric()) {
        return None;
    }
    let digits_end = word[start..].find(|c: char| !c.is_ascii_digit()).map_or(word.len(), |e| start + e);
    let rest = &word[digits_end..];
    let digits = &word[start..digits_end];
    // A number is followed by its separator and a code with a capital letter in it.
    let separated = rest.starts_with(['/', '-']);
    let coded = rest.chars().any(|c| c.is_uppercase());
    (separated && coded && (1..=5).contains(&digits.len())).then_some((lead, digits, rest))
}

/// The day of a date written in figures ("25/11/2024;", "(05.02.2025)"): (what precedes
/// it, its one or two digits, the rest). The day of a cited document's date is printed in
/// the same type as its number, and misread alike ("23/11/2024" for 25/11/2024).
pub fn date_part(word: &str) -> Option<(&str, &str, &str)> {
    let start = word.find(|c: char| c.is_ascii_digit())?;
    let lead = &word[..start];
    if lead.chars().any(|c| c.is_alphanumeric()) {
        return None;
    }
    let digits_end = word[start..].find(|c: char| !c.is_ascii_digit()).map_or(word.len(), |e| start + e);
    let (digits, rest) = (&word[start..digits_end], &word[digits_end..]);
    // Day, separator, month of one or two digits, separator, a four-digit year.
    let groups: Vec<&str> = rest.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let separated = rest.starts_with(['/', '-', '.', '⁄']);
    let dated = groups.len() == 2 && (1..=2).contains(&groups[0].len()) && groups[1].len() == 4;
    (separated && dated && (1..=2).contains(&digits.len())).then_some((lead, digits, rest))
}

/// The part of a word that is read again: a cited number's leading number, or a date's day.
fn reread_part(word: &str) -> Option<(&str, &str, &str)> {
    number_part(word).or_else(|| date_part(word))
}

/// True when a digit of `digits` has a look-alike ([`DIGIT_SHAPES`]).
fn has_look_alike(digits: &str) -> bool {
    digits.chars().any(|d| DIGIT_SHAPES.iter().any(|g| g.contains(d)))
}

/// True when `a` and `b` are the same length and every digit where they differ is one of
/// like shape of the other.
pub fn look_alike(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a != b
        && a.chars().zip(b.chars()).filter(|(x, y)| x != y).all(|(x, y)| DIGIT_SHAPES.iter().any(|g| g.contains(x) && g.contains(y)))
}

/// Whether the page reading's word is a cited number worth reading again: a number with its
/// code whose digits have look-alikes or which Tesseract doubted. The header's own number
/// after "Số:" is not: it is usually handwritten, and the header reader reads it
/// (`crate::header`).
fn doubtful(word: &OcrWord, previous: Option<&OcrWord>) -> bool {
    let Some((_, digits, _)) = reread_part(&word.text) else { return false };
    let after_marker = previous.is_some_and(|p| p.line == word.line && p.text.ends_with(':'));
    !after_marker && (word.confidence < DOUBTFUL_CONFIDENCE || has_look_alike(digits))
}

/// What [`combine`] decided: the digits to keep in the text, how sure, and the candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub decision: Decision,
    pub digits: String,
    pub confidence: f32,
    pub candidates: Vec<String>,
}

/// One re-reading of a number's digits: which reader, and the digits it read (`None`: it
/// found no number of that shape, which says nothing about the digits).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading<'a> {
    pub reader: Reader,
    pub digits: Option<&'a str>,
}

/// The readers a number is read again with. Readings of one kind share their errors more
/// than readings of two kinds do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Tesseract `vie`, the word alone, enlarged this many times, in single-word mode.
    TesseractWord(u32),
    /// The neural line recognizer (`crate::ocr::neural`), the word alone.
    Neural,
}

impl Reader {
    fn kind(self) -> u8 {
        match self {
            Reader::TesseractWord(_) => 0,
            Reader::Neural => 1,
        }
    }

    fn label(self) -> String {
        match self {
            Reader::TesseractWord(scale) => format!("tesseract-word-{scale}x"),
            Reader::Neural => "neural".to_owned(),
        }
    }
}

/// Combines the page reading's digits `first` with the re-readings. `None` when no
/// re-reading read a number of the same length (a digit lost or split says nothing about
/// which digits are right).
///
/// The page reading is replaced only when every re-reading that read the number agrees on
/// one other number, those readings come from two kinds of reader or more, and each digit
/// that differs has the other's shape ([`DIGIT_SHAPES`]); any other disagreement leaves the
/// page reading, flagged, with the other readings as candidates.
pub fn combine(first: &str, rereadings: &[Reading<'_>]) -> Option<Verdict> {
    let read: Vec<&Reading<'_>> = rereadings.iter().filter(|r| r.digits.is_some_and(|d| d.len() == first.len())).collect();
    if read.is_empty() {
        return None;
    }
    let others: Vec<&str> = read.iter().filter_map(|r| r.digits).filter(|d| *d != first).collect();
    if others.is_empty() {
        return Some(Verdict { decision: Decision::Confirmed, digits: first.to_owned(), confidence: 1.0, candidates: vec![first.to_owned()] });
    }
    let agreed = others[0];
    let mut kinds: Vec<u8> = read.iter().map(|r| r.reader.kind()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    if others.len() == read.len() && kinds.len() >= 2 && others.iter().all(|o| *o == agreed) && look_alike(first, agreed) {
        let confidence = if read.len() == rereadings.len() { 0.8 } else { 0.7 };
        return Some(Verdict { decision: Decision::Changed, digits: agreed.to_owned(), confidence, candidates: vec![agreed.to_owned(), first.to_owned()] });
    }
    let mut candidates = vec![first.to_owned()];
    for other in others {
        if !candidates.iter().any(|c| c == other) {
            candidates.push(other.to_owned());
        }
    }
    Some(Verdict { decision: Decision::Unsure, digits: first.to_owned(), confidence: 0.0, candidates })
}

/// Reads the doubtful cited numbers of `ocr` again from `image` (the page as it was read:
/// turned and levelled, so that the word boxes fall on it), changes the words and the page
/// text where [`combine`] says so, and returns what was read. A reader that fails leaves the
/// page as it was.
pub fn numbers(image: &PageImage, ocr: &mut OcrPage) -> Vec<NumberReread> {
    let mut out = Vec::new();
    for index in 0..ocr.words.len() {
        let previous = index.checked_sub(1).map(|i| &ocr.words[i]);
        let word = &ocr.words[index];
        if !doubtful(word, previous) {
            continue;
        }
        let Some((_, first, _)) = reread_part(&word.text) else { continue };
        let first = first.to_owned();
        // The neural reader first: most cited numbers are read right, and when it agrees with
        // the page no set of readings can change the number (a change needs every reader to
        // agree on another), so Tesseract's two word reads are spent only on the numbers in
        // doubt (bench/ocr_throughput.sh, real pages: 1.65 CPU s a page with all three readers
        // on every doubtful number, 1.36 s this way; the figures of `vanban eval scans` the same).
        let neural = read_word_number_neural(image, word.bbox);
        let mut readings: Vec<(Reader, Option<String>)> = Vec::with_capacity(SCALES.len() + 1);
        if neural.as_deref() != Some(first.as_str()) {
            readings.extend(SCALES.iter().map(|&scale| (Reader::TesseractWord(scale), read_word_number(image, word.bbox, scale))));
        }
        readings.push((Reader::Neural, neural));
        let borrowed: Vec<Reading<'_>> = readings.iter().map(|(reader, digits)| Reading { reader: *reader, digits: digits.as_deref() }).collect();
        let Some(verdict) = combine(&first, &borrowed) else { continue };
        let printed = word.text.clone();
        let read = if verdict.decision == Decision::Changed { with_digits(&printed, &verdict.digits) } else { printed.clone() };
        let line = word.line;
        if read != printed {
            replace_in_line(&mut ocr.text, line, &printed, &read);
            ocr.words[index].text = read.clone();
        }
        let labels = readings.iter().map(|(reader, digits)| format!("{}:{}", reader.label(), digits.as_deref().unwrap_or("-"))).collect();
        out.push(NumberReread {
            printed,
            read,
            line,
            bbox: ocr.words[index].bbox,
            readings: labels,
            decision: verdict.decision,
            confidence: verdict.confidence,
            candidates: verdict.candidates,
        });
    }
    out
}

/// `word` with its leading number's digits replaced by `digits`.
pub fn with_digits(word: &str, digits: &str) -> String {
    match reread_part(word) {
        Some((lead, _, rest)) => format!("{lead}{digits}{rest}"),
        None => word.to_owned(),
    }
}

/// Replaces the first `from` on 1-based line `line` of `text` by `to`.
fn replace_in_line(text: &mut String, line: u32, from: &str, to: &str) {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            if let Some(at) = l.find(from) {
                text.replace_range(offset + at..offset + at + from.len(), to);
            }
            return;
        }
        offset += l.len();
    }
}

/// The leading number's digits of the word at `bbox`, read alone at `scale`×, when the
/// reading is a number with its code.
fn read_word_number(image: &PageImage, bbox: [u32; 4], scale: u32) -> Option<String> {
    let [_, _, width, height] = bbox;
    if width == 0 || height == 0 || width > MAX_WORD_WIDTH || height > MAX_WORD_HEIGHT {
        return None;
    }
    let crop = enlarged_crop(image, bbox, scale)?;
    let text = match read_single_word(&crop) {
        Ok(text) => text,
        Err(error) => {
            tracing::warn!("re-reading a cited number failed: {error:#}");
            return None;
        }
    };
    reread_digits(&crate::viet::nfc(text.trim()))
}

/// The leading digits of a re-reading, before whatever follows them: the separator may be
/// lost or read as another mark ("789QĐ-UBND": a reader of one word often drops the thin
/// slash). A reading of digits alone is none: the number's end is not known.
fn reread_digits(text: &str) -> Option<String> {
    let word = text.split_whitespace().next()?;
    let start = word.find(|c: char| c.is_ascii_digit())?;
    if word[..start].chars().any(char::is_alphanumeric) {
        return None;
    }
    let rest = word[start..].trim_start_matches(|c: char| c.is_ascii_digit());
    let digits = &word[start..word.len() - rest.len()];
    (!rest.is_empty() && (1..=5).contains(&digits.len())).then(|| digits.to_owned())
}

/// The leading number's digits of the word at `bbox` read by the neural line recognizer,
/// the word cut about as tight as its box (as its line detector cuts lines).
fn read_word_number_neural(image: &PageImage, bbox: [u32; 4]) -> Option<String> {
    let [left, top, width, height] = bbox;
    if width == 0 || height == 0 || width > MAX_WORD_WIDTH || height > MAX_WORD_HEIGHT {
        return None;
    }
    let pad = (height / 10).max(2);
    let x0 = left.saturating_sub(pad);
    let y0 = top.saturating_sub(pad);
    let x1 = (left + width + pad).min(image.width);
    let y1 = (top + height + pad).min(image.height);
    if x1 <= x0 || y1 <= y0 || image.pixels.len() < image.width as usize * image.height as usize {
        return None;
    }
    let mut pixels = Vec::with_capacity(((x1 - x0) * (y1 - y0)) as usize);
    for y in y0..y1 {
        let row = y as usize * image.width as usize;
        pixels.extend_from_slice(&image.pixels[row + x0 as usize..row + x1 as usize]);
    }
    let gray = super::neural::Gray::new((x1 - x0) as usize, (y1 - y0) as usize, &pixels)?;
    match super::neural::read_line(&gray) {
        Ok(reading) => reread_digits(&crate::viet::nfc(reading.text.trim())),
        Err(error) => {
            tracing::warn!("the neural reader failed on a cited number: {error:#}");
            None
        }
    }
}

/// The word's box with a margin of white page around it (a quarter of the box's height,
/// as the page reading saw it), enlarged `scale` times by bilinear interpolation.
fn enlarged_crop(image: &PageImage, bbox: [u32; 4], scale: u32) -> Option<PageImage> {
    let [left, top, width, height] = bbox;
    let pad_x = (height / 4).max(4);
    let pad_y = (height / 6).max(3);
    let x0 = left.saturating_sub(pad_x);
    let y0 = top.saturating_sub(pad_y);
    let x1 = (left + width + pad_x).min(image.width);
    let y1 = (top + height + pad_y).min(image.height);
    if x1 <= x0 + 1 || y1 <= y0 + 1 || image.pixels.len() < image.width as usize * image.height as usize {
        return None;
    }
    let (w, h) = (x1 - x0, y1 - y0);
    let (out_w, out_h) = (w * scale, h * scale);
    let at = |x: u32, y: u32| f32::from(image.pixels[(y0 + y.min(h - 1)) as usize * image.width as usize + (x0 + x.min(w - 1)) as usize]);
    let mut pixels = Vec::with_capacity(out_w as usize * out_h as usize);
    for oy in 0..out_h {
        let fy = ((oy as f32 + 0.5) / scale as f32 - 0.5).max(0.0);
        let (y, dy) = (fy.floor() as u32, fy.fract());
        for ox in 0..out_w {
            let fx = ((ox as f32 + 0.5) / scale as f32 - 0.5).max(0.0);
            let (x, dx) = (fx.floor() as u32, fx.fract());
            let top_row = at(x, y) * (1.0 - dx) + at(x + 1, y) * dx;
            let bottom_row = at(x, y + 1) * (1.0 - dx) + at(x + 1, y + 1) * dx;
            pixels.push((top_row * (1.0 - dy) + bottom_row * dy).round().clamp(0.0, 255.0) as u8);
        }
    }
    Some(PageImage { width: out_w, height: out_h, dpi: image.dpi * scale, pixels })
}

/// A Tesseract engine in single-word mode, one per worker thread (apart from the page
/// engine, whose settings stay as they are).
struct WordEngine(*mut sys::TessBaseAPI);

impl Drop for WordEngine {
    fn drop(&mut self) {
        // SAFETY: the handle came from TessBaseAPICreate and is deleted once.
        unsafe { sys::TessBaseAPIDelete(self.0) }
    }
}

thread_local! {
    static WORD_ENGINE: RefCell<Option<WordEngine>> = const { RefCell::new(None) };
}

impl WordEngine {
    fn new() -> anyhow::Result<WordEngine> {
        let language = CString::new("vie").expect("no NUL");
        // SAFETY: plain C API calls on a handle we own; the strings are NUL-terminated.
        unsafe {
            let engine = WordEngine(sys::TessBaseAPICreate());
            if engine.0.is_null() || sys::TessBaseAPIInit3(engine.0, std::ptr::null(), language.as_ptr()) != 0 {
                anyhow::bail!("cannot start Tesseract with the Vietnamese model; install tesseract-ocr-vie");
            }
            sys::TessBaseAPISetVariable(engine.0, c"debug_file".as_ptr(), c"/dev/null".as_ptr());
            sys::TessBaseAPISetPageSegMode(engine.0, sys::TessPageSegMode_PSM_SINGLE_WORD);
            Ok(engine)
        }
    }

    fn read(&mut self, image: &PageImage) -> anyhow::Result<String> {
        let width = c_int::try_from(image.width)?;
        let height = c_int::try_from(image.height)?;
        anyhow::ensure!(image.pixels.len() >= image.width as usize * image.height as usize, "the word image is smaller than its size says");
        // SAFETY: the buffer holds width × height bytes (checked above) and outlives the
        // calls; the returned text is freed with TessDeleteText.
        unsafe {
            sys::TessBaseAPISetImage(self.0, image.pixels.as_ptr(), width, height, 1, width);
            sys::TessBaseAPISetSourceResolution(self.0, image.dpi as c_int);
            let text = sys::TessBaseAPIGetUTF8Text(self.0);
            let out = if text.is_null() { String::new() } else { CStr::from_ptr(text).to_string_lossy().into_owned() };
            if !text.is_null() {
                sys::TessDeleteText(text);
            }
            sys::TessBaseAPIClear(self.0);
            Ok(out)
        }
    }
}

/// `image` read as one word on this thread's single-word engine.
fn read_single_word(image: &PageImage) -> anyhow::Result<String> {
    WORD_ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(WordEngine::new()?);
        }
        slot.as_mut().expect("set above").read(image)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_with_its_code_is_found_in_its_word() {
        assert_eq!(number_part("573/TTr-SNV"), Some(("", "573", "/TTr-SNV")));
        assert_eq!(number_part("(789/QĐ-UBND,"), Some(("(", "789", "/QĐ-UBND,")));
        assert_eq!(number_part("1594-TB/TU"), Some(("", "1594", "-TB/TU")));
        for word in ["2024", "12/2019", "ngày", "số", "a12/QĐ", "12/", "123456/QĐ-UB"] {
            assert_eq!(number_part(word), None, "{word}");
        }
        assert_eq!(with_digits("(759/QĐ-UBND,", "789"), "(789/QĐ-UBND,");
    }

    #[test]
    fn a_dates_day_is_found_in_its_word() {
        assert_eq!(date_part("23/11⁄2024;"), Some(("", "23", "/11⁄2024;")));
        assert_eq!(date_part("(5.2.2025)"), Some(("(", "5", ".2.2025)")));
        for word in ["2024", "12/2019", "123/11/2024", "25/11/24", "573/TTr-SNV"] {
            assert_eq!(date_part(word), None, "{word}");
        }
        assert_eq!(with_digits("23/11⁄2024;", "25"), "25/11⁄2024;");
    }

    fn readings<'a>(t2: Option<&'a str>, t3: Option<&'a str>, neural: Option<&'a str>) -> [Reading<'a>; 3] {
        [
            Reading { reader: Reader::TesseractWord(2), digits: t2 },
            Reading { reader: Reader::TesseractWord(3), digits: t3 },
            Reading { reader: Reader::Neural, digits: neural },
        ]
    }

    #[test]
    fn readings_that_agree_with_the_page_keep_it() {
        let v = combine("789", &readings(Some("789"), Some("789"), Some("789"))).unwrap();
        assert_eq!((v.decision, v.digits.as_str()), (Decision::Confirmed, "789"));
        // A reader that lost a digit says nothing; the others confirm.
        let v = combine("573", &readings(Some("73"), Some("573"), None)).unwrap();
        assert_eq!(v.decision, Decision::Confirmed);
        assert_eq!(combine("573", &readings(None, Some("5731"), Some("57"))), None);
    }

    #[test]
    fn readers_of_two_kinds_agreeing_on_a_look_alike_number_replace_it() {
        let v = combine("373", &readings(Some("573"), Some("573"), Some("573"))).unwrap();
        assert_eq!(v.decision, Decision::Changed);
        assert_eq!(v.digits, "573");
        assert_eq!(v.candidates, ["573", "373"]);
        assert!(v.confidence > 0.5 && v.confidence < 1.0);
        // One of each kind is enough; the reader that found no number is no vote.
        let v = combine("759", &readings(None, Some("789"), Some("789"))).unwrap();
        assert_eq!((v.decision, v.digits.as_str()), (Decision::Changed, "789"));
    }

    #[test]
    fn disagreeing_or_unlike_readings_keep_the_page_reading_flagged() {
        // The re-readings disagree with each other.
        let v = combine("373", &readings(Some("573"), Some("373"), Some("573"))).unwrap();
        assert_eq!((v.decision, v.digits.as_str()), (Decision::Unsure, "373"));
        assert_eq!(v.candidates, ["373", "573"]);
        assert_eq!(v.confidence, 0.0);
        // They agree, but on a number no digit shape explains (2 is like none of 3 5 8).
        let v = combine("373", &readings(Some("273"), Some("273"), Some("273"))).unwrap();
        assert_eq!((v.decision, v.digits.as_str()), (Decision::Unsure, "373"));
        // Readers of one kind alone do not overrule the page: they share their errors.
        let v = combine("59", &readings(Some("39"), Some("39"), None)).unwrap();
        assert_eq!((v.decision, v.digits.as_str()), (Decision::Unsure, "59"));
    }

    #[test]
    fn a_rereading_may_have_lost_the_slash() {
        assert_eq!(reread_digits("789QĐ-UBND").as_deref(), Some("789"));
        assert_eq!(reread_digits("573/TTr-SNI").as_deref(), Some("573"));
        assert_eq!(reread_digits("3/3/TTr").as_deref(), Some("3"));
        assert_eq!(reread_digits("573"), None);
        assert_eq!(reread_digits("ngày"), None);
    }

    #[test]
    fn only_doubtful_numbers_are_read_again() {
        let word = |text: &str, confidence: f32| OcrWord { text: text.to_owned(), confidence, bbox: [0, 0, 10, 10], line: 3 };
        assert!(doubtful(&word("573/TTr-SNV", 96.0), None));
        assert!(doubtful(&word("22/HĐND-KTNS", 70.0), None));
        // 2 has no look-alike among the digits.
        assert!(!doubtful(&word("22/HĐND-KTNS", 96.0), None));
        assert!(!doubtful(&word("Thông", 10.0), None));
        // The header's own number after "Số:" is the header reader's.
        assert!(!doubtful(&word("86/QĐ-CT", 40.0), Some(&word("Số:", 90.0))));
    }

    #[test]
    fn a_changed_word_is_changed_on_its_line_of_the_text() {
        let mut text = "Xét Tờ trình số 373/TTr-SNV\nngày 5; số 373/TTr-SNV\n".to_owned();
        replace_in_line(&mut text, 2, "373/TTr-SNV", "573/TTr-SNV");
        assert_eq!(text, "Xét Tờ trình số 373/TTr-SNV\nngày 5; số 573/TTr-SNV\n");
    }
}
