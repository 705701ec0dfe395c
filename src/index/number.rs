//! Document numbers as lookup keys, and recognizing a search query that is a number.
//!
//! People and OCR spell one number many ways: `25-NQ/TW`, `25-nq/tw`, `25 - NQ/TƯ`,
//! `25-NQ-TW`, `Nghị quyết số 25-NQ/TW`; `QD` for `QĐ`; `2O20` for `2020`; `01/2023/…` for
//! `1/2023/…`. [`lookup_key`] maps all of them to one key. The index stores this key for the
//! document's own number and for every number it cites, and queries are compared on it, so
//! a lookup does not depend on how well the citation parser canonicalized either side.
//!
//! The key is deliberately looser than [`DocId::index_key`](crate::cite::DocId::index_key):
//! it ignores which separator (`/` or `-`) stands between parts. Two real documents never
//! differ only in that.

use crate::cite::DocId;
use crate::viet;

/// The separator-, case- and diacritic-insensitive key of a document number, or `None`
/// when `number` does not start with a digit.
pub fn lookup_key(number: &str) -> Option<String> {
    let number = viet::nfc(number);
    let mut parts = Vec::new();
    for part in number.split(|c: char| c.is_whitespace() || matches!(c, '/' | '-' | '–' | '.' | '_')) {
        if part.is_empty() {
            continue;
        }
        parts.push(normalize_part(part));
    }
    let first = parts.first()?;
    if !first.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(parts.join("/"))
}

/// One part of a number: `TƯ` (Trung ương) is `TW`; digits misread as letters are digits
/// again when the part is otherwise numeric; leading zeros go.
fn normalize_part(part: &str) -> String {
    let upper = part.to_uppercase();
    if upper == "TƯ" {
        return "TW".to_string();
    }
    let folded = viet::fold(&upper);
    let has_digit = folded.chars().any(|c| c.is_ascii_digit());
    let looks_numeric = has_digit && folded.chars().all(|c| c.is_ascii_digit() || matches!(c, 'O' | 'I' | 'L'));
    if !looks_numeric {
        return folded;
    }
    let digits: String = folded.chars().map(|c| match c {
        'O' => '0',
        'I' | 'L' => '1',
        d => d,
    }).collect();
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() }
}

/// A search query that asks for one document number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberQuery {
    /// The number as it will be shown ("25-NQ/TW").
    pub display: String,
    /// Keys to look up (see [`lookup_key`]); usually one.
    pub keys: Vec<String>,
}

/// Document types that may stand before a number in a query, folded and lower case: in
/// words, or abbreviated.
const TYPE_NAMES: &[&str] = &[
    "nghi quyet", "quyet dinh", "chi thi", "ke hoach", "bao cao", "thong tu", "thong tri", "thong bao",
    "huong dan", "cong van", "ket luan", "quy dinh", "quy che", "chuong trinh", "luat", "phap lenh",
    "hien phap", "to trinh", "de an", "phuong an", "bien ban", "hop dong", "nghi dinh", "thong tu lien tich",
    "nq", "qd", "ct", "kh", "bc", "tb", "hd", "cv", "kl", "tt", "nd", "qc", "qyd", "tc", "ctr", "pa", "da",
    "bb", "ttr", "cd", "ttlt",
];

/// Whether `words` (before the number) are a type and/or "số": "", "số", "Nghị quyết",
/// "nghi quyet so", "QĐ số:".
fn is_type_prefix(words: &[&str]) -> bool {
    let folded: Vec<String> = words.iter().map(|w| viet::fold(w.trim_end_matches([':', '.', ','])).to_lowercase()).collect();
    let mut folded: Vec<&str> = folded.iter().map(String::as_str).filter(|w| !w.is_empty()).collect();
    if folded.last() == Some(&"so") {
        folded.pop();
    }
    folded.is_empty() || TYPE_NAMES.contains(&folded.join(" ").as_str())
}

/// "25 NQ TW" has three words; a loose number has at most this many ("30 2020 ND CP" four).
const MAX_LOOSE_WORDS: usize = 5;

/// Recognizes a query that is a document number, possibly after its type ("Nghị quyết
/// 25-NQ/TW", "nghi quyet so 25-NQ/TW", "QĐ số 1582/QĐ-UBND"). `None` for anything else,
/// which then goes to full-text search.
pub fn parse_number_query(query: &str) -> Option<NumberQuery> {
    let words: Vec<&str> = query.split_whitespace().collect();
    let first_number = words.iter().position(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    if !is_type_prefix(&words[..first_number]) {
        return None;
    }
    let tail = &words[first_number..];
    let canonical = |text: &str| DocId::parse(text).or_else(|| DocId::parse(&text.to_uppercase()));
    let (typed, id) = match strict_number(tail) {
        Some(compact) => (compact.clone(), canonical(&compact)),
        // "25 NQ TW", "30 2020 ND CP": the citation grammar's loose query reading.
        None if tail.len() <= MAX_LOOSE_WORDS && tail.iter().all(|w| w.chars().all(is_symbol_char)) => {
            let typed = tail.join(" ");
            let id = DocId::parse_query(&typed).or_else(|| DocId::parse_query(&typed.to_uppercase()))?;
            (typed, Some(id))
        }
        None => return None,
    };
    let display = id.as_ref().map_or_else(|| typed.clone(), DocId::to_string);
    let mut keys = Vec::new();
    for candidate in [typed.as_str(), display.as_str()] {
        if let Some(key) = lookup_key(candidate) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    if keys.is_empty() {
        return None;
    }
    Some(NumberQuery { display, keys })
}

/// Letters of number symbols: Latin without diacritics, plus Đ (NĐ, QĐ) and Ư (TƯ); a word
/// with any other accented letter ("kế hoạch") is Vietnamese text, not a symbol.
fn is_symbol_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'Đ' | 'đ' | 'Ư' | 'ư')
}

/// A number written with its separators ("25-NQ/TW", "25 - NQ / TW"), compacted. Spaces may
/// only stand beside a separator; otherwise the query goes on with words
/// ("25-NQ/TW dân vận") and is not a number.
fn strict_number(tail: &[&str]) -> Option<String> {
    let joined_by_separator = |pair: &[&str]| pair[0].ends_with(['/', '-']) || pair[1].starts_with(['/', '-']);
    if !tail.windows(2).all(joined_by_separator) {
        return None;
    }
    let compact: String = tail.concat();
    let compact = compact.trim_end_matches(['.', ',', ';', ':', ')']);
    let (start, end) = super::tokenizer::number_span(compact)?;
    ((start, end) == (0, compact.len())).then(|| compact.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(q: &str) -> String {
        parse_number_query(q).unwrap_or_else(|| panic!("{q:?} should be a number query")).keys[0].clone()
    }

    #[test]
    fn spellings_of_one_number_share_a_key() {
        let canonical = key("25-NQ/TW");
        for q in ["25-nq/tw", "25 - NQ / TW", "25-NQ-TW", "25-NQ/TƯ", "25-nq/tư", "Nghị quyết 25-NQ/TW",
            "nghi quyet so 25-NQ/TW", "Nghị quyết số: 25-NQ/TW"] {
            assert_eq!(key(q), canonical, "{q}");
        }
        assert_eq!(key("30/2020/ND-CP"), key("30/2020/NĐ-CP"));
        assert_eq!(key("1582/QD-UBND"), key("1582/QĐ-UBND"));
        assert_eq!(key("01/2023/TT-VPCP"), key("1/2023/TT-VPCP"));
        assert_eq!(key("30/2O20/NĐ-CP"), key("30/2020/NĐ-CP"));
        assert_eq!(key("25 NQ TW"), canonical);
        assert_eq!(key("30 2020 nd cp"), key("30/2020/NĐ-CP"));
    }

    #[test]
    fn the_number_is_displayed_in_the_official_casing() {
        for (query, shown) in [("25-nq/tư", "25-NQ/TW"), ("nghi quyet so 25 - nq / tw", "25-NQ/TW"),
            ("30/2020/nd-cp", "30/2020/NĐ-CP"), ("33/ct-ttg", "33/CT-TTg"), ("1582/QD-UBND", "1582/QĐ-UBND")] {
            assert_eq!(parse_number_query(query).unwrap().display, shown, "{query}");
        }
    }

    #[test]
    fn tu_of_a_province_is_not_tw() {
        assert_ne!(key("31-KL/TU"), key("31-KL/TW"));
    }

    #[test]
    fn words_and_dates_are_not_numbers() {
        for q in ["dân vận", "2024", "19/6/2015", "dân vận 25-NQ/TW", "25-NQ/TW dân vận", "", "2024 kế hoạch",
            "năm 2025 dân vận", "100 năm"] {
            assert_eq!(parse_number_query(q), None, "{q}");
        }
    }
}
