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

/// Tesseract `vie` prints Đ as the Icelandic Ð (U+00D0), or as a run of both ("HĐÐĐND"
/// for HĐND): a run of Đ and Ð with an Ð in it is one Đ, ð is đ. Vietnamese has no Ð,
/// so this never changes a correct word; a run of Đ alone ("ĐĐBQH", Đoàn đại biểu Quốc
/// hội) is left as printed. `None` when `word` has no Ð or ð.
pub fn undo_eth(word: &str) -> Option<String> {
    if !word.contains(['Ð', 'ð']) {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        if run.iter().any(|c| matches!(c, 'Ð' | 'ð')) {
            out.push(if run.iter().any(|c| c.is_uppercase()) { 'Đ' } else { 'đ' });
        } else {
            out.extend(run.iter());
        }
        run.clear();
    };
    for c in word.chars() {
        if matches!(c, 'Đ' | 'Ð' | 'đ' | 'ð') {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    Some(out)
}

/// `line` with [`undo_eth`] applied to every word, document numbers included: Vietnamese
/// has no Ð anywhere, so "87/HĐÐĐND-KTNS" is 87/HĐND-KTNS in the repaired text a clerk
/// reads, searches and exports, as it is in the citations read from it.
pub fn undo_eth_in_line(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains(['Ð', 'ð']) {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut copied = 0;
    for p in pieces(line) {
        let core = p.core(line);
        if let Some(fixed) = undo_eth(core) {
            out.push_str(&line[copied..p.core_start]);
            out.push_str(&fixed);
            copied = p.core_end;
        }
    }
    out.push_str(&line[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Tesseract `eng` reads the capital S of "Sở", "Số" as a dollar sign ("$6 Tài chính",
/// "$6: 1125/QĐ-UBND"). True for a `$` at index `i` of `chars` that opens a word and is
/// followed by a letter, or by one digit that ends the word ("$6;"): a sum of dollars has
/// more digits ("$100"), and directives write sums in đồng.
pub fn is_misread_s(chars: &[char], i: usize) -> bool {
    if chars[i] != '$' || i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '$') {
        return false;
    }
    match (chars.get(i + 1), chars.get(i + 2)) {
        (Some(c), _) if c.is_alphabetic() => true,
        (Some(d), after) if d.is_ascii_digit() => match after {
            Some(a) if a.is_alphanumeric() => false,
            // "$6.5", "$6,5": a price.
            Some('.' | ',') => !chars.get(i + 3).is_some_and(|c| c.is_ascii_digit()),
            _ => true,
        },
        _ => false,
    }
}

/// `line` with every [`is_misread_s`] dollar sign written as the S it stands for.
pub fn dollar_as_s_in_line(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('$') {
        return std::borrow::Cow::Borrowed(line);
    }
    let chars: Vec<char> = line.chars().collect();
    std::borrow::Cow::Owned((0..chars.len()).map(|i| if is_misread_s(&chars, i) { 'S' } else { chars[i] }).collect())
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

    #[test]
    fn a_dollar_opening_a_word_is_a_capital_s() {
        assert_eq!(dollar_as_s_in_line("- $6 Tai chinh tinh; $6: 1125/QD-UBND; $6; 215"), "- S6 Tai chinh tinh; S6: 1125/QD-UBND; S6; 215");
        assert_eq!(dollar_as_s_in_line("cia $o Ké hoach"), "cia So Ké hoach");
        // Sums, prices and marks inside a word stay.
        assert_eq!(dollar_as_s_in_line("giá $100 và $6.5 hay US$5"), "giá $100 và $6.5 hay US$5");
    }

    #[test]
    fn icelandic_eth_is_vietnamese_d() {
        assert_eq!(undo_eth("HĐÐĐND").as_deref(), Some("HĐND"));
        assert_eq!(undo_eth("ÐÔNG").as_deref(), Some("ĐÔNG"));
        assert_eq!(undo_eth("ðã").as_deref(), Some("đã"));
        assert_eq!(undo_eth("ĐĐBQH"), None);
        assert_eq!(undo_eth_in_line("Thường trực HĐÐĐND tỉnh, số 87/HĐÐĐND-KTNS ðã"), "Thường trực HĐND tỉnh, số 87/HĐND-KTNS đã");
        assert_eq!(undo_eth_in_line("(Số: 12/QÐ-UBND; 30/2020/NĐÐ-CP)."), "(Số: 12/QĐ-UBND; 30/2020/NĐ-CP).");
        // A real run of Đ (ĐĐBQH) in a number is not Tesseract's artefact.
        assert_eq!(undo_eth_in_line("số 5/ĐĐBQH-VP ðã"), "số 5/ĐĐBQH-VP đã");
    }
}
