//! The Vietnamese syllable tokenizer, in two flavours: exact (NFC, lower case, diacritics
//! kept) and folded (`viet::fold`, lower case). The index, the query builder and the snippet
//! finder all cut text with [`syllable_tokens`], so a word is the same token everywhere.
//!
//! Vietnamese writes one syllable per space-separated word, so a token is a run of letters
//! and digits. A chunk that looks like a document number (`25-NQ/TW`, `30/2020/NĐ-CP`) is
//! also emitted whole, at the position of its first syllable, so that a full-text search
//! for a number matches it as one term as well as syllable by syllable.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::viet;

/// Name under which the exact tokenizer is registered with tantivy.
pub const EXACT: &str = "vi_exact";
/// Name under which the folded tokenizer is registered with tantivy.
pub const FOLDED: &str = "vi_folded";

/// Tokens longer than this are junk (a run of OCR noise, a 1 MB line of digits): dropped,
/// because they never match a query and tantivy refuses terms over 64 KB.
const MAX_TOKEN_CHARS: usize = 64;

/// Which normal form tokens take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// NFC, lower case, diacritics kept, tone placed in the new style: "dân", "ủy".
    Exact,
    /// Diacritics removed, đ→d, lower case: "dan".
    Folded,
}

impl Form {
    /// `text` in this form (one token's worth, or a whole query word).
    pub fn normalize(self, text: &str) -> String {
        match self {
            // "Uỷ" and "Ủy", "hoà" and "hòa" are one word in two tone-placement styles:
            // the exact field must not rank one above the other.
            Form::Exact if text.is_ascii() => text.to_lowercase(),
            Form::Exact => viet::canonical(text, viet::ToneStyle::New),
            Form::Folded => viet::fold(text).to_lowercase(),
        }
    }
}

/// One token: its normalized text, byte range in the source text and syllable position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyllableToken {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub position: usize,
    /// True for the whole-number token (`25-nq/tw`) emitted beside its syllables.
    pub is_number: bool,
}

/// Cuts `text` into syllable tokens (plus whole document numbers) in the given form.
pub fn syllable_tokens(text: &str, form: Form) -> Vec<SyllableToken> {
    let mut tokens = Vec::new();
    let mut position = 0usize;
    for (chunk_start, chunk) in whitespace_chunks(text) {
        let mut number_pending = number_span(chunk).map(|(s, e)| (chunk_start + s, chunk_start + e));
        for (word_start, word) in words(chunk) {
            let start = chunk_start + word_start;
            let end = start + word.len();
            if let Some((ns, ne)) = number_pending {
                if start >= ns {
                    number_pending = None;
                    if ne - ns <= MAX_TOKEN_CHARS * 2 {
                        tokens.push(SyllableToken {
                            text: form.normalize(&text[ns..ne]),
                            start: ns,
                            end: ne,
                            position,
                            is_number: true,
                        });
                    }
                }
            }
            if word.chars().count() > MAX_TOKEN_CHARS {
                continue;
            }
            tokens.push(SyllableToken { text: form.normalize(word), start, end, position, is_number: false });
            position += 1;
        }
    }
    tokens
}

/// Whitespace-separated chunks with their byte offsets.
fn whitespace_chunks(text: &str) -> Vec<(usize, &str)> {
    runs(text, |c| !c.is_whitespace())
}

/// Letter/digit runs of a chunk (combining marks stay inside their word, so NFD text
/// tokenizes like NFC text).
fn words(chunk: &str) -> Vec<(usize, &str)> {
    runs(chunk, |c| c.is_alphanumeric() || is_combining_mark(c))
}

/// Maximal runs of chars satisfying `inside`, with their byte offsets.
fn runs(text: &str, inside: impl Fn(char) -> bool) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (inside(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

/// The byte span, within a whitespace chunk, of a document number: trimmed of surrounding
/// punctuation, starting with a digit, holding a letter, and with `/` or `-` between its
/// parts ("25-NQ/TW", "30/2020/NĐ-CP", "(số 107/KH-UBND)" → "107/KH-UBND").
pub fn number_span(chunk: &str) -> Option<(usize, usize)> {
    let start = chunk.find(|c: char| c.is_alphanumeric())?;
    let end = chunk.rfind(|c: char| c.is_alphanumeric() || is_combining_mark(c))?;
    let end = end + chunk[end..].chars().next()?.len_utf8();
    let core = &chunk[start..end];
    let starts_with_digit = core.chars().next()?.is_ascii_digit();
    let has_letter = core.chars().any(char::is_alphabetic);
    let has_separator = core.contains(['/', '-']);
    let clean = core.chars().all(|c| c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '/' | '-' | '.'));
    (starts_with_digit && has_letter && has_separator && clean).then_some((start, end))
}

/// The tantivy side: a [`Tokenizer`] over [`syllable_tokens`].
#[derive(Clone)]
pub struct SyllableTokenizer {
    form: Form,
    tokens: Vec<Token>,
}

impl SyllableTokenizer {
    pub fn new(form: Form) -> SyllableTokenizer {
        SyllableTokenizer { form, tokens: Vec::new() }
    }
}

pub struct SyllableTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl Tokenizer for SyllableTokenizer {
    type TokenStream<'a> = SyllableTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SyllableTokenStream<'a> {
        self.tokens.clear();
        self.tokens.extend(syllable_tokens(text, self.form).into_iter().map(|t| Token {
            offset_from: t.start,
            offset_to: t.end,
            position: t.position,
            text: t.text,
            position_length: 1,
        }));
        SyllableTokenStream { tokens: &mut self.tokens, next: 0 }
    }
}

impl TokenStream for SyllableTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, form: Form) -> Vec<String> {
        syllable_tokens(text, form).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_syllables_on_space_and_punctuation() {
        assert_eq!(texts("Công tác Dân vận, (năm 2024).", Form::Exact), ["công", "tác", "dân", "vận", "năm", "2024"]);
        assert_eq!(texts("Công tác Dân vận", Form::Folded), ["cong", "tac", "dan", "van"]);
        assert_eq!(texts("Đảng ủy", Form::Folded), ["dang", "uy"]);
    }

    #[test]
    fn keeps_document_numbers_whole_beside_their_syllables() {
        let tokens = syllable_tokens("theo Nghị quyết số 25-NQ/TW, ngày", Form::Folded);
        let number = tokens.iter().find(|t| t.is_number).unwrap();
        assert_eq!(number.text, "25-nq/tw");
        let first_syllable = tokens.iter().find(|t| t.text == "25").unwrap();
        assert_eq!(number.position, first_syllable.position);
        assert_eq!(texts("30/2020/NĐ-CP", Form::Exact)[0], "30/2020/nđ-cp");
    }

    #[test]
    fn offsets_point_into_the_source_even_after_multibyte_letters() {
        let text = "Ủy ban  nhân\tdân";
        for t in syllable_tokens(text, Form::Exact) {
            assert_eq!(Form::Exact.normalize(&text[t.start..t.end]), t.text);
        }
    }

    #[test]
    fn old_and_new_tone_placement_give_one_exact_token() {
        assert_eq!(texts("Uỷ ban", Form::Exact), texts("Ủy ban", Form::Exact));
        assert_eq!(texts("HOÀ BÌNH", Form::Exact), texts("hòa bình", Form::Exact));
        assert_ne!(texts("dân", Form::Exact), texts("dẫn", Form::Exact));
    }

    #[test]
    fn nfd_input_tokenizes_like_nfc() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "dân vận".nfd().collect();
        assert_eq!(texts(&nfd, Form::Exact), ["dân", "vận"]);
    }

    #[test]
    fn drops_absurdly_long_tokens() {
        let long = "9".repeat(100_000);
        assert!(syllable_tokens(&long, Form::Folded).is_empty());
    }
}
