//! Splitting a line into words, and the word classes the language model counts.
//! Training and decoding share this so they see text the same way.

use crate::viet::{Syllable, ToneStyle};

/// A whitespace-separated token of a line: `core` is the word without the punctuation
/// around it ("(Điều" → "Điều"). Offsets are bytes into the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub core_start: usize,
    pub core_end: usize,
}

impl Piece {
    pub fn core<'a>(&self, line: &'a str) -> &'a str {
        &line[self.core_start..self.core_end]
    }
    /// Whether the punctuation after the word ends a sentence for the language model.
    pub fn ends_sentence(&self, line: &str) -> bool {
        line[self.core_end..self.end].contains(['.', '!', '?', ';', ':'])
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\u{0300}' || ('\u{0300}'..='\u{036f}').contains(&c) || is_misread_letter(c)
}

/// Signs that legacy OCR prints for a letter ("¢éng" = công, "nhi¢m" = nhiệm): part of
/// the word, so repair sees the whole of it.
pub fn is_misread_letter(c: char) -> bool {
    c == '¢'
}

/// The whitespace-separated tokens of `line`.
pub fn pieces(line: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(piece(line, s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

fn piece(line: &str, start: usize, end: usize) -> Piece {
    let token = &line[start..end];
    let lead = token.find(is_word_char);
    match lead {
        None => Piece { start, end, core_start: end, core_end: end },
        Some(lead) => {
            let trail = token.rfind(is_word_char).map(|i| i + token[i..].chars().next().map_or(1, char::len_utf8));
            let trail = trail.unwrap_or(token.len());
            Piece { start, end, core_start: start + lead, core_end: start + trail }
        }
    }
}

/// Reserved vocabulary ids of the language model.
pub const BOS: u32 = 0;
pub const EOS: u32 = 1;
pub const UNK: u32 = 2;
pub const NUM: u32 = 3;
pub const RESERVED: [&str; 4] = ["<s>", "</s>", "<unk>", "<num>"];

/// What the language model sees of a word: a syllable in canonical form, a number, or
/// something else (abbreviation, foreign word, symbol).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordClass {
    Syllable(String),
    Number,
    Other,
}

pub fn classify(core: &str, style: ToneStyle) -> WordClass {
    if core.chars().any(|c| c.is_ascii_digit()) {
        return WordClass::Number;
    }
    match Syllable::parse(core) {
        Some(s) => WordClass::Syllable(s.write(style)),
        None => WordClass::Other,
    }
}

/// Splits a running-text line into sentences of word classes, for counting.
pub fn sentences(line: &str, style: ToneStyle) -> Vec<Vec<WordClass>> {
    let mut out = vec![Vec::new()];
    for p in pieces(line) {
        let core = p.core(line);
        if !core.is_empty() {
            out.last_mut().unwrap().push(classify(core, style));
        }
        if p.ends_sentence(line) && !out.last().unwrap().is_empty() {
            out.push(Vec::new());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_strip_punctuation() {
        let line = "(Điều 5), số 107/KH-UBND.";
        let cores: Vec<_> = pieces(line).iter().map(|p| p.core(line)).collect();
        assert_eq!(cores, ["Điều", "5", "số", "107/KH-UBND"]);
        assert!(pieces(line)[3].ends_sentence(line));
    }
}
