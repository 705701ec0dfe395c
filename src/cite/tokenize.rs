//! Tokenize: the cleaned text as a flat list of words, separators and line ends.
//!
//! Letters and digits form one token together ("QH15", "s6", "1O7"), because OCR glues
//! them and the grammar decides what such a token is. Every token knows its char span.

use super::clean::Cleaned;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A run of letters and digits.
    Word,
    /// Spaces and tabs.
    Space,
    Newline,
    PageBreak,
    /// Any other single char (punctuation, symbols); its folded char is in the text.
    Punct(char),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// Char span in the cleaned text.
    pub start: u32,
    pub end: u32,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    pub fn is_blank(&self) -> bool {
        matches!(self.kind, Kind::Space | Kind::Newline)
    }
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }
}

/// Splits `cleaned` into tokens. Linear in the text length.
pub fn tokenize(cleaned: &Cleaned) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(cleaned.len() / 3 + 1);
    let mut current: Option<Token> = None;
    for (index, c) in cleaned.folded.chars().enumerate() {
        let index = index as u32;
        let kind = if c.is_alphanumeric() {
            Kind::Word
        } else if c == '\n' {
            Kind::Newline
        } else if c == crate::record::PAGE_BREAK {
            Kind::PageBreak
        } else if c.is_whitespace() {
            Kind::Space
        } else {
            Kind::Punct(c)
        };
        let extends = matches!(kind, Kind::Word | Kind::Space);
        match &mut current {
            Some(token) if extends && token.kind == kind => token.end = index + 1,
            _ => {
                if let Some(token) = current.take() {
                    tokens.push(token);
                }
                current = Some(Token { kind, start: index, end: index + 1 });
            }
        }
    }
    tokens.extend(current);
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        let cleaned = Cleaned::new(text);
        tokenize(&cleaned)
            .iter()
            .map(|t| (t.kind, cleaned.original(t.start as usize, t.end as usize).to_owned()))
            .collect()
    }

    #[test]
    fn letters_and_digits_stay_together_and_punctuation_splits() {
        let got = kinds("Số: 30/2020/NĐ-CP\ns6  QH15");
        let words: Vec<&str> = got.iter().filter(|(k, _)| *k == Kind::Word).map(|(_, s)| s.as_str()).collect();
        assert_eq!(words, ["Số", "30", "2020", "NĐ", "CP", "s6", "QH15"]);
        assert!(got.iter().any(|(k, s)| *k == Kind::Space && s == "  "));
        assert!(got.iter().any(|(k, _)| *k == Kind::Newline));
        assert!(got.iter().any(|(k, _)| *k == Kind::Punct('/')));
    }
}
