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
    let numbered = folded.last() == Some(&"so");
    if numbered {
        folded.pop();
    }
    let joined = folded.join(" ");
    // "Luật Đầu tư công số 58/2024/QH15": a type, the document's name, then "số".
    let named = numbered && TYPE_NAMES.iter().any(|t| joined.starts_with(&format!("{t} ")));
    folded.is_empty() || TYPE_NAMES.contains(&joined.as_str()) || named
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
        // "25 NQ TW", "30 2020 ND CP", "2147/QĐ UBND", "18 NQ-TW": a space where a
        // separator belongs. Symbol letters only, and at least one symbol part, so that
        // dates ("19/6/2015") and words stay text.
        None if tail.len() <= MAX_LOOSE_WORDS
            && tail.iter().all(|w| w.chars().all(|c| is_symbol_char(c) || matches!(c, '/' | '-')))
            && tail.iter().any(|w| w.chars().any(|c| c.is_alphabetic())) =>
        {
            let typed = tail.join(" ");
            let id = DocId::parse_query(&typed)
                .or_else(|| DocId::parse_query(&typed.to_uppercase()))
                .or_else(|| official_spelling(&typed));
            (typed, id)
        }
        None => return None,
    };
    // The typed spelling when the grammar keeps its separators; otherwise the official one.
    let id = match id {
        Some(id) if separators(&id.to_string()) == separators(&typed) => Some(id),
        other => official_spelling(&typed).or(other),
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

/// The number in its official spelling when the typed one has the wrong separators
/// ("18-NQ-TW", "2147/QĐ UBND"): the first reading, over every choice of `-` or `/`
/// between its parts, that the citation grammar accepts as the same number.
fn official_spelling(typed: &str) -> Option<DocId> {
    let key = lookup_key(typed)?;
    let parts: Vec<String> = typed
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '-'))
        .filter(|p| !p.is_empty())
        .map(str::to_uppercase)
        .collect();
    if parts.len() < 2 || parts.len() > MAX_LOOSE_WORDS {
        return None;
    }
    let gaps = parts.len() - 1;
    // Party documents are written 18-NQ/TW, state ones 2147/QĐ-UBND, 30/2020/NĐ-CP: that
    // reading first, then the others.
    let party = PARTY_ORGANS.contains(&viet::fold(parts[gaps].as_str()).as_str());
    let preferred: u32 = if party { ((1 << gaps) - 1) & !1 } else { (1 << (gaps - 1)) - 1 };
    std::iter::once(preferred).chain((0..1u32 << gaps).filter(|&s| s != preferred)).find_map(|slashes| {
        let mut text = parts[0].clone();
        for (gap, part) in parts[1..].iter().enumerate() {
            text.push(if slashes & (1 << gap) != 0 { '/' } else { '-' });
            text.push_str(part);
        }
        // Only a spelling the grammar keeps as it is: it is the official one.
        DocId::parse(&text).filter(|id| {
            let shown = id.to_string();
            lookup_key(&shown).as_deref() == Some(key.as_str()) && separators(&shown) == separators(&text)
        })
    })
}

/// The `/` and `-` of a number, in order: what tells its spellings apart.
fn separators(text: &str) -> String {
    text.chars().filter(|c| matches!(c, '/' | '-')).collect()
}

/// Last parts of Party numbers (folded): the central, provincial, district, grassroots
/// and military committees.
const PARTY_ORGANS: &[&str] = &["TW", "TU", "HU", "DU", "QU", "TƯ", "BCSD", "DUK"];

impl NumberQuery {
    /// The same number with a provincial `TU` read as the central `TƯ` (TW), for when
    /// the `TU` number finds nothing; `None` when the number has no `TU` part.
    pub fn central_reading(&self) -> Option<NumberQuery> {
        let swap = |text: &str| -> Option<String> {
            let mut changed = false;
            let out: Vec<String> = text
                .split('/')
                .map(|part| if part == "TU" { changed = true; "TW".to_string() } else { part.to_string() })
                .collect();
            changed.then(|| out.join("/"))
        };
        let keys: Vec<String> = self.keys.iter().filter_map(|k| swap(k)).collect();
        if keys.is_empty() {
            return None;
        }
        let display = self
            .display
            .split_inclusive(['/', '-'])
            .map(|part| match part.trim_end_matches(['/', '-']) {
                "TU" | "Tu" | "tu" => format!("TW{}", &part[2..]),
                _ => part.to_string(),
            })
            .collect();
        Some(NumberQuery { display, keys })
    }
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
        let central = parse_number_query("18-nq/tu").unwrap().central_reading().unwrap();
        assert_eq!((central.display.as_str(), central.keys[0].as_str()), ("18-NQ/TW", key("18-NQ/TW").as_str()));
        assert_eq!(parse_number_query("18-NQ/TW").unwrap().central_reading(), None);
    }

    #[test]
    fn a_space_for_a_separator_and_a_named_law_are_numbers() {
        for (query, shown) in [("2147/QĐ UBND", "2147/QĐ-UBND"), ("215 KH/HU", "215-KH/HU"), ("18 NQ-TW", "18-NQ/TW"),
            ("18-NQ-TW", "18-NQ/TW"), ("2147-QĐ-UBND", "2147/QĐ-UBND"), ("Luật Đầu tư công số 58/2024/QH15", "58/2024/QH15")] {
            let parsed = parse_number_query(query).unwrap_or_else(|| panic!("{query:?} should be a number query"));
            assert_eq!(parsed.display, shown, "{query}");
            assert_eq!(parsed.keys[0], key(shown), "{query}");
        }
    }

    #[test]
    fn words_and_dates_are_not_numbers() {
        for q in ["dân vận", "2024", "19/6/2015", "dân vận 25-NQ/TW", "25-NQ/TW dân vận", "", "2024 kế hoạch",
            "năm 2025 dân vận", "100 năm"] {
            assert_eq!(parse_number_query(q), None, "{q}");
        }
    }
}
