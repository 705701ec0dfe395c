//! Whether what OCR read from a page is Vietnamese text at all.
//!
//! Tesseract's confidence alone does not tell: on an upside-down page it reads shapes as
//! letters with middling confidence. The language model does: of the words of a real
//! page, even a poor scan's, most are syllables it knows; of a page read the wrong way
//! up, few are. Such a page is kept out of the text (repair, citations and the index
//! would only mine its garbage for numbers) and flagged for a clerk.

use crate::ocr::OcrPage;
use crate::pdf::layer::language;
use crate::record::DroppedLine;
use crate::repair::lm::LanguageModel;

/// A reading with fewer words than this is judged by confidence alone (a stamp, a
/// signature page): too little to say what language it is.
const MIN_WORDS: usize = 12;
/// Share of its letter-words the language model knows, below which a reading is not
/// Vietnamese. Measured with Tesseract `vie`: the corpus page qd-1582 mirrored reads 14%
/// known; a real page, even a poor scan with one error in eight syllables, keeps most of its
/// syllables real words, so the bar sits well above garbage and below poor text.
const MIN_KNOWN: f32 = 0.55;

/// A reading of at most this many letter-words read with [`WORD_CONFIDENCE`], with at least
/// twice as many lines dropped as noise as kept, below [`MARKS_CONFIDENCE`], is marks and not
/// text: a blank page that a seal or a stamp bled onto (89-QD-CT p2: ", cả “" beside ten
/// dropped lines; 86-QD-CT p2: "Sài f2 sử /" read with confidence 0–20).
const MARKS_WORDS: usize = 2;
const MARKS_CONFIDENCE: f32 = 70.0;
/// A word read with less confidence than this is no sign of text on a page of marks.
const WORD_CONFIDENCE: f32 = 50.0;

/// How well a reading looks like text: the language model's share of known words when
/// there are enough of them, Tesseract's confidence (scaled to 0–1) otherwise.
pub fn text_likeness(ocr: &OcrPage, lm: &LanguageModel) -> f32 {
    let lang = language(&ocr.text, lm);
    if lang.words >= MIN_WORDS { lang.known } else { ocr.mean_confidence / 100.0 }
}

/// True when the reading is text a clerk can use.
pub fn reads_as_text(ocr: &OcrPage, lm: &LanguageModel) -> bool {
    ocr.words.is_empty() || text_likeness(ocr, lm) >= MIN_KNOWN
}

/// Marks `ocr` unreadable when it is not Vietnamese text: its lines move to the dropped
/// lines with the reason, its text and words are emptied, and `unreadable` says why in
/// Vietnamese.
pub fn judge(ocr: &mut OcrPage, lm: &LanguageModel) {
    let lang = language(&ocr.text, lm);
    let kept_lines = ocr.text.lines().filter(|l| !l.trim().is_empty()).count();
    let letter_words = ocr
        .words
        .iter()
        .filter(|w| w.confidence >= WORD_CONFIDENCE)
        .filter(|w| {
            let core = w.text.trim_matches(|c: char| !c.is_alphanumeric());
            !core.is_empty() && core.chars().all(char::is_alphabetic)
        })
        .count();
    if kept_lines > 0
        && letter_words.min(lang.words) <= MARKS_WORDS
        && ocr.dropped_lines.len() >= 2 * kept_lines
        && ocr.mean_confidence < MARKS_CONFIDENCE
    {
        // Not unreadable (nothing to scan again): the page has no text, only marks.
        drop_text(ocr, "chỉ có vết dấu hoặc vết mực, không có chữ");
        ocr.mean_confidence = 0.0;
        return;
    }
    if lang.words < MIN_WORDS || lang.known >= MIN_KNOWN {
        return;
    }
    let reason = format!(
        "trang đọc ra chữ vô nghĩa (chỉ {:.0}% số từ là tiếng Việt), kể cả sau khi xoay trang; văn bản của trang không được đưa vào chỉ mục, cần quét lại",
        lang.known * 100.0
    );
    drop_text(ocr, &reason);
    ocr.unreadable = Some(reason);
}

/// Moves every line of `ocr`'s text to its dropped lines with `reason` (kept for the
/// clerk who asks why a page has no text) and empties its text and words.
fn drop_text(ocr: &mut OcrPage, reason: &str) {
    let confidence = ocr.mean_confidence;
    let lines = std::mem::take(&mut ocr.text);
    ocr.dropped_lines.extend(lines.lines().filter(|l| !l.trim().is_empty()).map(|l| DroppedLine {
        text: l.to_owned(),
        mean_confidence: confidence,
        reason: reason.to_owned(),
    }));
    ocr.words.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::OcrWord;

    fn lm() -> LanguageModel {
        LanguageModel::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/dictionaries"))).expect("language model")
    }

    fn page(text: &str, confidence: f32, dropped: usize) -> OcrPage {
        let words = text
            .lines()
            .enumerate()
            .flat_map(|(i, l)| l.split_whitespace().map(move |w| OcrWord { text: w.to_owned(), confidence, bbox: [0, 0, 10, 10], line: i as u32 + 1 }))
            .collect();
        OcrPage {
            text: text.to_owned(),
            words,
            dropped_lines: (0..dropped).map(|_| DroppedLine { text: "\\Ô ., `:".into(), mean_confidence: 14.0, reason: "noise".into() }).collect(),
            mean_confidence: confidence,
            segmentation: crate::ocr::Segmentation::Auto,
            rotation: 0,
            skew: 0.0,
            unreadable: None,
            regions: Vec::new(),
        }
    }

    #[test]
    fn a_blank_page_with_a_seals_marks_has_no_text() {
        let lm = lm();
        let mut seal = page(", cả “\n", 64.0, 10);
        judge(&mut seal, &lm);
        assert_eq!(seal.text, "");
        assert!(seal.words.is_empty());
        assert_eq!(seal.unreadable, None, "nothing to scan again");
        assert_eq!(seal.dropped_lines.len(), 11);
        // Words read with confidence near 0 are marks too, however many.
        let mut marks = page("f s4\nSài f2 sử /\n", 20.0, 7);
        judge(&mut marks, &lm);
        assert_eq!(marks.text, "");
        // A short page read with confidence, or with little noise beside it, stays.
        for (text, confidence, dropped) in [("PHỤ LỤC\n", 92.0, 4), (", cả “\n", 64.0, 1), ("Trần Văn An\n", 60.0, 6)] {
            let mut short = page(text, confidence, dropped);
            judge(&mut short, &lm);
            assert_eq!(short.text, text);
        }
    }
}
