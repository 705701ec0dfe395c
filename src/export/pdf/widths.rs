//! How wide each character of the invisible text is drawn: the advance widths of Times
//! (the Adobe core font Times-Roman, whose widths Times New Roman shares), the typeface of
//! Vietnamese administrative documents (Decree 30/2020/ND-CP prescribes it). A word drawn
//! with its printed font's proportions fits its OCR box at nearly the same horizontal
//! stretch as its neighbours, so one `Tz` serves a run of words; with one width for every
//! character each word needed its own (the stretches were a fifth of the text layer).

use unicode_normalization::UnicodeNormalization;

/// Times-Roman advance widths (1/1000 em) of the printable ASCII characters, U+0020..=U+007E.
const ASCII: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, // space to /
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, // 0 to ?
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, // @ to O
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, // P to _
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, // ` to o
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, // p to ~
];

/// The width of a character whose shape is unknown here: an average letter.
pub const DEFAULT: u16 = 500;

/// The advance width of `c` in 1/1000 em: a letter with diacritics (every Vietnamese
/// letter: ắ, Ệ, ơ, ư) as wide as its base letter, đ and Đ as d and D, a few common
/// punctuation marks as Times draws them, anything else [`DEFAULT`].
pub fn advance(c: char) -> u16 {
    if let Some(w) = ascii(c) {
        return w;
    }
    match c {
        'đ' => return ascii('d').unwrap_or(DEFAULT),
        'Đ' => return ascii('D').unwrap_or(DEFAULT),
        '\u{2018}' | '\u{2019}' => return 333,
        '\u{201C}' | '\u{201D}' => return 444,
        '\u{2013}' => return 500,
        '\u{2014}' | '\u{2026}' => return 1000,
        '\u{00B0}' => return 400,
        _ => {}
    }
    // The base letter of a precomposed one: the first character of its decomposition.
    match c.to_string().nfd().next() {
        Some(base) if base != c => ascii(base).unwrap_or(DEFAULT),
        _ => DEFAULT,
    }
}

fn ascii(c: char) -> Option<u16> {
    let i = (c as u32).checked_sub(0x20)? as usize;
    ASCII.get(i).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_letters_are_as_wide_as_their_base_letters() {
        assert_eq!(advance(' '), 250);
        assert_eq!(advance('m'), 778);
        assert_eq!(advance('~'), 541);
        assert_eq!(advance('ắ'), advance('a'));
        assert_eq!(advance('Ệ'), advance('E'));
        assert_eq!(advance('ư'), advance('u'));
        assert_eq!(advance('Ơ'), advance('O'));
        assert_eq!(advance('đ'), 500);
        assert_eq!(advance('Đ'), 722);
        assert_eq!(advance('\u{2014}'), 1000);
        assert_eq!(advance('中'), DEFAULT);
        assert_eq!(advance('\u{7}'), DEFAULT);
    }
}
