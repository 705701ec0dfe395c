//! Clean: the text in NFC, and beside it a *folded* copy that the grammar matches on.
//!
//! The folded copy has exactly one char for every char of the NFC text (lower case, no
//! diacritics, đ/Đ/Ð → d, every dash and `~` → `-`, curly quotes → `"`), so a match in the
//! folded copy maps back to the original span by char index alone. Matching on the folded
//! copy is what makes "Nghi quyet so", "Nghị quyết số" and "NGHỊ QUYẾT SỐ" one pattern.

use unicode_normalization::UnicodeNormalization;

/// A document's text prepared for matching.
pub struct Cleaned {
    /// The text in NFC; every offset the extractor reports refers to it.
    pub text: String,
    /// One folded char per char of `text`, as a string.
    pub folded: String,
    /// Char index → byte offset in `text` (one extra entry: `text.len()`).
    pub text_bytes: Vec<u32>,
    /// Char index → byte offset in `folded` (one extra entry: `folded.len()`).
    pub folded_bytes: Vec<u32>,
    /// Char indices of every `\n`, ascending.
    newlines: Vec<u32>,
    /// Char indices of every page break (form feed), ascending.
    page_breaks: Vec<u32>,
}

impl Cleaned {
    pub fn new(input: &str) -> Cleaned {
        let text: String = if unicode_normalization::is_nfc_quick(input.chars())
            == unicode_normalization::IsNormalized::Yes
        {
            input.to_owned()
        } else {
            input.nfc().collect()
        };
        let mut folded = String::with_capacity(text.len());
        let mut text_bytes = Vec::with_capacity(text.len() + 1);
        let mut folded_bytes = Vec::with_capacity(text.len() + 1);
        let mut newlines = Vec::new();
        let mut page_breaks = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        for (index, (byte, c)) in text.char_indices().enumerate() {
            text_bytes.push(byte as u32);
            folded_bytes.push(folded.len() as u32);
            match c {
                '\n' => newlines.push(index as u32),
                crate::record::PAGE_BREAK => page_breaks.push(index as u32),
                _ => {}
            }
            folded.push(if is_misread_one(&chars, index) {
                '1'
            } else if crate::repair::token::is_misread_s(&chars, index) {
                // "$6: 1125/QĐ-UBND", "$6 Tài chính": legacy OCR's S of Số, Sở.
                's'
            } else {
                fold_char(c)
            });
        }
        text_bytes.push(text.len() as u32);
        folded_bytes.push(folded.len() as u32);
        Cleaned { text, folded, text_bytes, folded_bytes, newlines, page_breaks }
    }

    /// Number of chars.
    pub fn len(&self) -> usize {
        self.text_bytes.len() - 1
    }

    /// The original (NFC) text of chars `start..end`.
    pub fn original(&self, start: usize, end: usize) -> &str {
        &self.text[self.text_bytes[start] as usize..self.text_bytes[end] as usize]
    }

    /// The folded text of chars `start..end`.
    pub fn folded(&self, start: usize, end: usize) -> &str {
        &self.folded[self.folded_bytes[start] as usize..self.folded_bytes[end] as usize]
    }

    /// 1-based page and 1-based line within that page of char `index`.
    pub fn page_and_line(&self, index: usize) -> (u32, u32) {
        let index = index as u32;
        let breaks_before = self.page_breaks.partition_point(|&b| b < index);
        let page_start = if breaks_before == 0 { 0 } else { self.page_breaks[breaks_before - 1] + 1 };
        let newlines_before = self.newlines.partition_point(|&n| n < index);
        let newlines_before_page = self.newlines.partition_point(|&n| n < page_start);
        ((breaks_before + 1) as u32, (newlines_before - newlines_before_page + 1) as u32)
    }
}

/// Folds one char; see the module doc. Always exactly one char out, so offsets stay aligned.
/// "tháng 1]", "ngày ]5", "Covid-]9": OCR's `]` or `|` for a 1 glued to a digit, read as
/// the 1 in the folded copy (so a date's or a number's digits are whole; whether the
/// result can be a date is for the date grammar to judge). A bracket that closes "[1]"
/// (a footnote) and a bar with a blank on both sides (a table's rule) are kept.
fn is_misread_one(chars: &[char], index: usize) -> bool {
    if !matches!(chars[index], ']' | '|') {
        return false;
    }
    let run_start = chars[..index].iter().rposition(|c| !c.is_ascii_digit()).map_or(0, |p| p + 1);
    let digits_before = index - run_start;
    let digit_after = chars.get(index + 1).is_some_and(|c| c.is_ascii_digit());
    // After one digit ("1]": a day or month), or before a digit ("]5", "20]9"); after a
    // longer number with none following it closes a bracket ("… năm 2024]").
    if !(digit_after || digits_before == 1) {
        return false;
    }
    // The digits before it opened by '[': a footnote mark or a reference, not a misread 1.
    !(digits_before > 0 && run_start > 0 && chars[run_start - 1] == '[')
}

pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return match c {
            '~' => '-',
            _ => c.to_ascii_lowercase(),
        };
    }
    match c {
        'đ' | 'Đ' | 'Ð' | 'ð' => return 'd',
        '–' | '—' | '‐' | '‑' | '‒' | '−' | '―' => return '-',
        '“' | '”' | '„' | '‟' | '«' | '»' => return '"',
        '‘' | '’' | '‚' | '‛' => return '\'',
        '\u{a0}' | '\u{2002}'..='\u{200a}' | '\u{202f}' => return ' ',
        _ => {}
    }
    let mut base = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if base.is_none() {
            base = Some(d);
        }
    });
    let base = base.unwrap_or(c);
    // A lone combining mark (not composed by NFC) folds to a space so that it separates
    // words instead of gluing them.
    if ('\u{0300}'..='\u{036f}').contains(&base) {
        return ' ';
    }
    base.to_lowercase().next().unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bracket_or_bar_glued_to_a_digit_is_a_one() {
        let folded = |t: &str| Cleaned::new(t).folded;
        assert_eq!(folded("tháng 1] năm"), "thang 11 nam");
        assert_eq!(folded("ngày ]5/3"), "ngay 15/3");
        assert_eq!(folded("Covid-]9"), "covid-19");
        assert_eq!(folded("ngày |8 tháng"), "ngay 18 thang");
        // Footnotes, closing brackets, a bracket standing alone, table rules: kept.
        assert_eq!(folded("Điều 5[1] và [12]"), "dieu 5[1] va [12]");
        assert_eq!(folded("(năm 2024]"), "(nam 2024]");
        assert_eq!(folded("số ] 02/2024"), "so ] 02/2024");
        assert_eq!(folded("| 12 |"), "| 12 |");
    }

    #[test]
    fn a_dollar_opening_a_word_is_an_s() {
        let folded = |t: &str| Cleaned::new(t).folded;
        assert_eq!(folded("$6: 1125/QD-UBND"), "s6: 1125/qd-ubnd");
        assert_eq!(folded("cia $6 Tai chinh"), "cia s6 tai chinh");
        assert_eq!(folded("giá $100"), "giá $100".replace('á', "a"));
    }

    #[test]
    fn folded_copy_is_aligned_char_for_char() {
        let c = Cleaned::new("Nghị quyết số 25–NQ/TƯ của Đảng");
        assert_eq!(c.folded, "nghi quyet so 25-nq/tu cua dang");
        assert_eq!(c.len(), c.folded.chars().count());
        assert_eq!(c.original(14, 22), "25–NQ/TƯ");
        assert_eq!(c.folded(14, 22), "25-nq/tu");
    }

    #[test]
    fn decomposed_input_is_composed_first() {
        let c = Cleaned::new("Nghi\u{0323} quyê\u{0301}t");
        assert_eq!(c.text, "Nghị quyết");
        assert_eq!(c.folded, "nghi quyet");
    }

    #[test]
    fn pages_and_lines_count_form_feeds_and_newlines() {
        let c = Cleaned::new("a\nb\u{0C}c\nd\ne");
        assert_eq!(c.page_and_line(0), (1, 1));
        assert_eq!(c.page_and_line(2), (1, 2));
        assert_eq!(c.page_and_line(4), (2, 1));
        assert_eq!(c.page_and_line(8), (2, 3));
    }
}
