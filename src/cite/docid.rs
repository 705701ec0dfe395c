//! The canonical document number/symbol: `25-NQ/TW`, `30/2020/NĐ-CP`, `33/CT-TTg`.
//!
//! Three shapes exist and each is printed in its own canonical form:
//! - Party: `N-KIND/ISSUER` (`25-NQ/TW`, `1185-CV/HU`, `26-HD/BTCTW`);
//! - state: `N/KIND-ISSUER[-UNIT…]` (`107/KH-UBND`, `33/CT-TTg`) and official letters
//!   without a type abbreviation `N/ISSUER-UNIT` (`3456/UBND-KSTT`);
//! - normative: `N/YEAR/KIND-ISSUER` (`30/2020/NĐ-CP`) or `N/YEAR/ISSUER` (`58/2024/QH15`).
//!
//! [`parse_at`] is the grammar, over tokens of the cleaned text, so that the same code reads
//! a number in running text, in a header and in a search query.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::clean::Cleaned;
use super::tokenize::{tokenize, Kind, Token};
use super::vocab;
use crate::authority::Authority;

/// A canonical document id, NFC, in the official casing. Used as the index key, so two
/// spellings of the same number must produce the same `DocId`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(String);

impl DocId {
    /// Parses the first number/symbol in messy text (spaces, stray hyphens, OCR damage,
    /// missing diacritics): "Nghi quyet so 25 -NQ/TƯ" → `25-NQ/TW`. `None` when nothing that
    /// looks like a document number is there.
    pub fn parse(text: &str) -> Option<DocId> {
        let cleaned = Cleaned::new(text);
        let tokens = tokenize(&cleaned);
        (0..tokens.len()).find_map(|i| parse_at(&cleaned, &tokens, i)).map(|parsed| parsed.id)
    }

    /// Like [`DocId::parse`], and also reads the loose spellings people type in a search
    /// box: separators left out or replaced by spaces ("25 NQ TW", "25-NQ-TW",
    /// "30 2020 ND CP").
    pub fn parse_query(text: &str) -> Option<DocId> {
        if let Some(id) = DocId::parse(text) {
            return Some(id);
        }
        let cleaned = Cleaned::new(text);
        let tokens = tokenize(&cleaned);
        let words: Vec<&Token> = tokens.iter().filter(|t| t.is_word()).collect();
        let first_number = words.iter().position(|t| number_digits(word_folded(&cleaned, t)).is_some())?;
        let number = number_digits(word_folded(&cleaned, words[first_number]))?;
        let mut year = None;
        let mut parts = Vec::new();
        for token in &words[first_number + 1..] {
            let folded = word_folded(&cleaned, token);
            if parts.is_empty() && year.is_none() && is_year(folded) {
                year = Some(folded.to_owned());
                continue;
            }
            let original = cleaned.original(token.start as usize, token.end as usize);
            let part = canonical_part(original, folded, true)?;
            parts.push(part);
        }
        if parts.is_empty() || (parts.len() < 2 && year.is_none()) {
            return None;
        }
        let party = year.is_none()
            && parts.len() == 2
            && vocab::kind(&fold_upper(&parts[0])).is_some()
            && vocab::is_party_issuer(&fold_upper(&parts[1]));
        Some(if party {
            DocId(format!("{number}-{}/{}", parts[0], parts[1]))
        } else {
            let year = year.map(|y| format!("{y}/")).unwrap_or_default();
            DocId(format!("{number}/{year}{}", parts.join("-")))
        })
    }

    /// A number already in canonical form (as [`DocId`] writes it, e.g. read back from a
    /// table this program wrote): taken as is after a check of its shape. `None` when it
    /// does not start with a number followed by `-` or `/` and a symbol.
    pub fn from_canonical(text: &str) -> Option<DocId> {
        let digits = text.find(['-', '/'])?;
        let (number, rest) = text.split_at(digits);
        let ok = !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
            && rest.len() > 1
            && !rest.chars().any(char::is_whitespace);
        ok.then(|| DocId(text.to_owned()))
    }

    /// The same symbol under another number ("3563/QĐ-UBND" → "3561/QĐ-UBND"): a list of
    /// numbers that share the symbol printed after the last.
    pub fn with_number(&self, number: &str) -> DocId {
        DocId(format!("{number}{}", &self.0[self.number().len()..]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key the index stores and number queries are compared on: folded (no
    /// diacritics, đ→d), upper case, no leading zeros in the number.
    /// `01/2023/TT-VPCP` and `1/2023/TT-VPCP` → `1/2023/TT-VPCP`; `30/2020/NĐ-CP` → `30/2020/ND-CP`.
    pub fn index_key(&self) -> String {
        let folded = crate::viet::fold(&self.0).to_uppercase();
        let trimmed = folded.trim_start_matches('0');
        if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
            trimmed.to_owned()
        } else {
            // The number was all zeros: keep one.
            format!("0{trimmed}")
        }
    }

    /// The number before the first separator ("25", "30").
    pub fn number(&self) -> &str {
        let end = self.0.find(['-', '/']).unwrap_or(self.0.len());
        &self.0[..end]
    }

    /// The year of a normative number (`30/2020/NĐ-CP` → 2020).
    pub fn year(&self) -> Option<u16> {
        let mut pieces = self.0.split('/');
        pieces.next()?;
        let second = pieces.next()?;
        pieces.next()?;
        if is_year(second) {
            second.parse().ok()
        } else {
            None
        }
    }

    /// Everything after the number and the year ("NQ/TW", "NĐ-CP", "KH-UBND").
    pub fn symbol(&self) -> &str {
        let rest = &self.0[self.number().len()..];
        let rest = rest.strip_prefix(['-', '/']).unwrap_or(rest);
        match self.year() {
            Some(_) => &rest[5..],
            None => rest,
        }
    }

    /// True for Party numbering (`25-NQ/TW`).
    pub fn is_party(&self) -> bool {
        self.0[self.number().len()..].starts_with('-')
    }

    /// The official spelling of the type abbreviation, when the number has one ("NQ", "NĐ").
    pub fn kind(&self) -> Option<&str> {
        let symbol = self.symbol();
        let first = symbol.split(['-', '/']).next()?;
        vocab::kind(&fold_upper(first)).map(|_| first)
    }

    /// The type name the number implies: `NĐ` → "Nghị định"; a Party `TT` → "Thông tri";
    /// `HĐ` → "Hợp đồng" but `HD` → "Hướng dẫn"; a state letter without a type code
    /// (`3456/UBND-KSTT`) → "Công văn".
    pub fn implied_type(&self) -> Option<&'static str> {
        let Some(kind) = self.kind() else {
            if let Some(old) = self.organ_first_type() {
                return Some(old);
            }
            let issuer = self.issuer_code()?;
            return match issuer.as_str() {
                "QH" | "UBTVQH" => None,
                // N/CP, N/HĐBT without a year: the decrees of the Government before 1997.
                "CP" | "HDBT" if self.year().is_none() && !self.symbol().contains('-') => Some("Nghị định"),
                _ => Some("Công văn"),
            };
        };
        let authority = Authority::builtin();
        let in_system = |t: &&crate::authority::DocType| if self.is_party() { t.in_system("party") } else { t.in_system("state") || t.in_system("legal") };
        let types: Vec<&crate::authority::DocType> = authority.types_of_code(kind).filter(in_system).collect();
        types.iter().find(|t| t.code.as_deref() == Some(kind)).or(types.first()).map(|t| t.name.as_str())
    }

    /// The type of an older state number that puts the organ before the type code
    /// ("350/UB-QĐ-NĐ": a Quyết định of the Ủy ban): the second code is a type the first
    /// code's organ may issue. `None` for any other shape ("26/QH-NĐ-UB": the Quốc hội
    /// issues no Nghị định, so QH there is no organ).
    fn organ_first_type(&self) -> Option<&'static str> {
        if self.year().is_some() || self.is_party() {
            return None;
        }
        let mut pieces = self.symbol().split(['-', '/']);
        let (organ, kind) = (pieces.next()?, pieces.next()?);
        vocab::kind(&fold_upper(kind))?;
        let authority = Authority::builtin();
        let classes: Vec<&str> = authority.organs_of_code(organ).map(|o| o.class.as_str()).collect();
        let found = authority
            .types_of_code(kind)
            .filter(|t| t.in_system("state") || t.in_system("legal"))
            .find(|t| t.code.as_deref() == Some(kind) && classes.iter().any(|c| t.issued_by(c)))?;
        Some(found.name.as_str())
    }

    /// The issuer code (folded upper case, term digits removed): `TTg` → "TTG", `QH15` → "QH".
    pub fn issuer_code(&self) -> Option<String> {
        let symbol = self.symbol();
        let mut pieces = symbol.split(['-', '/']);
        let first = pieces.next()?;
        let code = if vocab::kind(&fold_upper(first)).is_some() { pieces.next()? } else { first };
        Some(fold_upper(code).trim_end_matches(|c: char| c.is_ascii_digit()).to_owned())
    }

    /// The issuing body the symbol implies (`TTg` → "Thủ tướng Chính phủ").
    pub fn implied_issuer(&self) -> Option<&'static str> {
        // An organ-first number whose first code cannot issue its type names no organ.
        if self.kind().is_none() && self.second_code_is_a_type() && self.organ_first_type().is_none() {
            return None;
        }
        vocab::issuer(&self.issuer_code()?).map(|(_, name)| name)
    }

    /// True for the older organ-first shape "N/ORGAN-TYPE-…" of state numbers.
    fn second_code_is_a_type(&self) -> bool {
        !self.is_party() && self.year().is_none() && self.symbol().split(['-', '/']).nth(1).is_some_and(|k| vocab::kind(&fold_upper(k)).is_some())
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A number/symbol found in the token stream.
#[derive(Debug, Clone)]
pub struct ParsedId {
    pub id: DocId,
    /// Char offset in the cleaned text where the id ends.
    pub end: usize,
    /// Index of the first token after the id.
    pub next_token: usize,
}

/// Upper limit on digits in a document number; longer digit runs are not numbers.
const MAX_NUMBER_DIGITS: usize = 6;
/// Upper limit on the parts after the number (`30/2020/TTLT-BTC-BNV-BYT` has 5).
const MAX_PARTS: usize = 6;

/// Reads a number/symbol starting at token `i` (which must be the number). Constant work
/// per call (bounded by [`MAX_PARTS`] and the separator groups it skips), so scanning a
/// whole text with it is linear.
pub fn parse_at(cleaned: &Cleaned, tokens: &[Token], i: usize) -> Option<ParsedId> {
    let first = tokens.get(i)?;
    if !first.is_word() {
        return None;
    }
    // A number glued to letters before it ("s633") is not a number start.
    let mut number = number_digits(word_folded(cleaned, first))?;
    let mut at = i + 1;
    if let Some((rest, next)) = split_number(cleaned, tokens, i, &number) {
        number.push_str(&rest);
        at = next;
    }
    let mut parts: Vec<Part> = Vec::new();
    while parts.len() < MAX_PARTS {
        let Some((sep, next)) = separator_group(tokens, at, parts.is_empty()) else { break };
        let Some(token) = tokens.get(next).filter(|t| t.is_word()) else { break };
        let folded = word_folded(cleaned, token);
        let original = cleaned.original(token.start as usize, token.end as usize);
        // "7/2023NQ-HĐND": the slash between the year and the type code lost.
        if let (true, '/', Some((year, code_at))) = (parts.is_empty(), sep, glued_year(folded)) {
            if matches!(separator_group(tokens, next + 1, false), Some(('-', _))) {
                let code = cleaned.original(token.start as usize + code_at, token.end as usize);
                if let Some(part) = canonical_part(code, &folded[code_at..], false).or_else(|| damaged_kind(code, &folded[code_at..])) {
                    parts.push(Part { sep, text: year, is_year: true, token: next });
                    parts.push(Part { sep, text: part, is_year: false, token: next });
                    at = next + 1;
                    continue;
                }
            }
        }
        let as_year = number_digits(folded).filter(|d| is_year(d));
        if let (true, '/', Some(year)) = (parts.is_empty(), sep, as_year) {
            // Only a year when another '/' follows: "30/2020/NĐ-CP", not a date "12/9/2014".
            match separator_group(tokens, next + 1, false) {
                Some(('/', _)) => {}
                _ => break,
            }
            parts.push(Part { sep, text: year, is_year: true, token: next });
            at = next + 1;
            continue;
        }
        // "1424/T Tr-BQL": OCR split a type code with a space; the two pieces are one code
        // only when together they are a known type code and a separator follows.
        let opening = parts.iter().all(|p| p.is_year);
        if let (true, Some(joined_at)) = (opening && sep == '/', split_kind(cleaned, tokens, next)) {
            let last = joined_at;
            let joined = cleaned.original(token.start as usize, tokens[last].end as usize).replace(' ', "");
            if let Some(part) = canonical_part(&joined, &joined.chars().map(super::clean::fold_char).collect::<String>(), false) {
                parts.push(Part { sep, text: part, is_year: false, token: last });
                at = last + 1;
                continue;
            }
        }
        // "22-Q_D/TW": the bar of a Đ read as an underscore before the D.
        if let (true, Some((part, last))) = (opening, barred_d_kind(cleaned, tokens, next)) {
            parts.push(Part { sep, text: part, is_year: false, token: last });
            at = last + 1;
            continue;
        }
        let separator_follows = matches!(separator_group(tokens, next + 1, false), Some(('/' | '-', _)));
        let part = match canonical_part(original, folded, false) {
            Some(part) => part,
            None if opening && separator_follows => match damaged_kind(original, folded) {
                Some(part) => part,
                None => break,
            },
            None => break,
        };
        if sep == ' ' {
            // "31 KII/TU": a lost hyphen is accepted only before a type code (known, or
            // damaged in capitals) directly followed by '/' and a Party organ.
            let slash_follows = tokens.get(next + 1).is_some_and(|t| t.is_punct('/'));
            let party_after = tokens.get(next + 2).filter(|t| t.is_word()).is_some_and(|t| vocab::is_party_issuer(&fold_upper(cleaned.original(t.start as usize, t.end as usize))));
            let kind_like = vocab::kind(&fold_upper(&part)).is_some() || damaged_kind(original, folded).is_some() && !original.chars().any(char::is_lowercase);
            if !kind_like || !slash_follows || !party_after && vocab::kind(&fold_upper(&part)).is_none() {
                break;
            }
        }
        let mut part = Part { sep: if sep == ' ' { '-' } else { sep }, text: part, is_year: false, token: next };
        at = next + 1;
        // "484/TTr-CAT-TM(CSKT)": a unit's own code in brackets glued to the last code.
        if let Some((unit, close)) = bracketed_unit(cleaned, tokens, at) {
            part.text = format!("{}({unit})", part.text);
            part.token = close;
            parts.push(part);
            break;
        }
        parts.push(part);
    }
    if assemble(&number, &parts).is_none() && !parts.is_empty() {
        if let Some(code) = code_past_a_table_column(cleaned, tokens, at) {
            let text = canonical_part(cleaned.original(tokens[code].start as usize, tokens[code].end as usize), word_folded(cleaned, &tokens[code]), false);
            if let Some(text) = text {
                parts.push(Part { sep: '-', text, is_year: false, token: code });
            }
        }
    }
    let (id, used) = assemble(&number, &parts)?;
    let last = parts[used - 1].token;
    Some(ParsedId { id, end: tokens[last].end as usize, next_token: last + 1 })
}

/// "số 41 8/QĐ-UBND": OCR split the number with a space; "Số: 1 2 8 /UBND-TCKH": a clerk
/// typed it letter-spaced. After the marker "số" (or "số:"), digit groups one space apart
/// are one number (at most five digits in all) when either there are two groups, the first
/// of at most three digits, followed at once by '/' or '-'; or every group is one digit
/// (letter-spaced), followed by '/' or '-' (spaces before it allowed, as typed). Returns the
/// digits after the first group and the token after the last.
fn split_number(cleaned: &Cleaned, tokens: &[Token], i: usize, head: &str) -> Option<(String, usize)> {
    if head.len() > 3 || !word_folded(cleaned, &tokens[i]).chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !after_number_marker(cleaned, tokens, i) {
        return None;
    }
    let digit_group = |at: usize| -> Option<&str> {
        tokens.get(at).filter(|t| t.kind == Kind::Space && t.end - t.start == 1)?;
        let word = tokens.get(at + 1).filter(|t| t.is_word())?;
        let digits = word_folded(cleaned, word);
        digits.chars().all(|c| c.is_ascii_digit()).then_some(digits)
    };
    let separator_at = |at: usize| tokens.get(at).is_some_and(|t| matches!(t.kind, Kind::Punct('/' | '-' | '⁄' | '∕' | '／')));
    let mut groups = vec![head.to_owned()];
    let mut at = i + 1;
    while let Some(digits) = digit_group(at) {
        if groups.iter().map(String::len).sum::<usize>() + digits.len() > 5 {
            return None;
        }
        groups.push(digits.to_owned());
        at += 2;
    }
    if groups.len() < 2 {
        return None;
    }
    let spaced = groups.iter().all(|g| g.len() == 1);
    let joined_at_once = groups.len() == 2 && separator_at(at);
    // Letter-spaced digits may stand apart from the separator too ("1 2 8 /UBND").
    let space_then_separator = tokens.get(at).is_some_and(|t| t.kind == Kind::Space) && separator_at(at + 1);
    if !(joined_at_once || spaced && (separator_at(at) || space_then_separator)) {
        return None;
    }
    Some((groups[1..].concat(), at))
}

/// True when the number at token `i` follows the marker "số" (with its colon, "Số: 128"),
/// one blank between.
fn after_number_marker(cleaned: &Cleaned, tokens: &[Token], i: usize) -> bool {
    let Some(mut at) = i.checked_sub(1).filter(|&p| tokens[p].kind == Kind::Space) else { return false };
    if at > 0 && tokens[at - 1].is_punct(':') {
        at -= 1;
    }
    at.checked_sub(1).and_then(|m| tokens.get(m)).is_some_and(|t| t.is_word() && vocab::is_number_marker(word_folded(cleaned, t)))
}

/// Words of the neighbouring table column a code may stand past ([`code_past_a_table_column`]).
const MAX_COLUMN_WORDS: usize = 4;

/// "Quyết định số 1843/QĐ-\ntrồng mới UBND ngày 12/10/2023": a table cell broke the number
/// after its hyphen, and OCR read the next row of the page across both columns, so the
/// words of the cell beside it come before the rest of the code. At token `at`, right after
/// an unfinished number: a hyphen ending the line, then at most [`MAX_COLUMN_WORDS`] words
/// in small letters, then a code in capitals followed by "ngày", a comma, a semicolon or the
/// line's end. Returns the code's token index.
fn code_past_a_table_column(cleaned: &Cleaned, tokens: &[Token], at: usize) -> Option<usize> {
    let mut index = at;
    while tokens.get(index).is_some_and(|t| t.kind == Kind::Space) {
        index += 1;
    }
    tokens.get(index).filter(|t| t.is_punct('-'))?;
    index += 1;
    while tokens.get(index).is_some_and(|t| t.kind == Kind::Space) {
        index += 1;
    }
    tokens.get(index).filter(|t| t.kind == Kind::Newline)?;
    index += 1;
    let mut words = 0;
    while let Some(t) = tokens.get(index) {
        match t.kind {
            Kind::Space if t.end - t.start == 1 => {}
            Kind::Word => {
                let original = cleaned.original(t.start as usize, t.end as usize);
                let capitals = original.chars().count() >= 2 && original.chars().all(|c| c.is_uppercase() || c == 'Đ');
                if capitals {
                    let after = tokens.get(index + 1).map(|n| n.kind);
                    let then_word = tokens.get(index + 2).filter(|n| n.is_word()).map(|n| word_folded(cleaned, n));
                    let ends = match after {
                        None | Some(Kind::Newline) | Some(Kind::Punct(',' | ';')) => true,
                        Some(Kind::Space) => then_word == Some("ngay"),
                        _ => false,
                    };
                    return (words > 0 && ends && vocab::kind(&fold_upper(original)).is_none()).then_some(index);
                }
                if !original.chars().all(|c| c.is_lowercase()) || words == MAX_COLUMN_WORDS {
                    return None;
                }
                words += 1;
            }
            _ => return None,
        }
        index += 1;
    }
    None
}

/// Upper limit on the numbers a list can give before the one that carries the symbol.
const MAX_LISTED_NUMBERS: usize = 12;

/// "các Quyết định số 3561, 3562 và 3563/QĐ-UBND", "các Thông tư số 01, 02/2024/TT-BTC":
/// bare numbers listed (comma, "và") right after the marker "số" before the number at token
/// `i`, which alone prints the symbol they share. Returns each one's digits and token index,
/// in text order; empty when the list does not open at "số" ("Điều 2, 5 và 7/…" lists none).
pub fn listed_numbers_before(cleaned: &Cleaned, tokens: &[Token], i: usize) -> Vec<(String, usize)> {
    let mut items = Vec::new();
    let mut at = i;
    while items.len() < MAX_LISTED_NUMBERS {
        let mut p = at;
        let back_over_space = |p: usize| if p > 0 && tokens[p - 1].kind == Kind::Space { p - 1 } else { p };
        p = back_over_space(p);
        let Some(before) = p.checked_sub(1) else { break };
        if tokens[before].is_word() && word_folded(cleaned, &tokens[before]) == "va" {
            p = back_over_space(before);
            if p > 0 && tokens[p - 1].is_punct(',') {
                p -= 1;
            }
        } else if tokens[before].is_punct(',') && p < at {
            // A comma with a blank after it: "3,50/N2-TC" (hệ số 3,50) is a decimal.
            p = before;
        } else {
            break;
        }
        p = back_over_space(p);
        let Some(item) = p.checked_sub(1).filter(|&q| tokens[q].is_word()) else { break };
        let folded = word_folded(cleaned, &tokens[item]);
        if folded.len() > 5 || !folded.chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        items.push((folded.to_owned(), item));
        at = item;
    }
    if items.is_empty() || !after_number_marker(cleaned, tokens, at) {
        return Vec::new();
    }
    items.reverse();
    items
}

/// "T Tr": the word at `i` (one or two letters, a capital first) and, after one space, a
/// word glued to a separator, which together spell a known type code ("TTr", "QĐ").
/// Returns the token index of the second word.
fn split_kind(cleaned: &Cleaned, tokens: &[Token], i: usize) -> Option<usize> {
    let head = cleaned.original(tokens[i].start as usize, tokens[i].end as usize);
    if !(1..=2).contains(&head.chars().count()) || !head.starts_with(char::is_uppercase) {
        return None;
    }
    let space = tokens.get(i + 1).filter(|t| t.kind == Kind::Space && t.end - t.start == 1)?;
    let _ = space;
    let tail = tokens.get(i + 2).filter(|t| t.is_word())?;
    if !matches!(tokens.get(i + 3).map(|t| t.kind), Some(Kind::Punct('-' | '/'))) {
        return None;
    }
    let joined: String = format!("{head}{}", cleaned.original(tail.start as usize, tail.end as usize));
    // Only a code spelled as the tables spell it ("TTr", not "TTR" nor "T Ty").
    let spelling = vocab::kind(&fold_upper(&joined)).map(|(spelling, _)| spelling)?;
    (spelling == joined && vocab::kind(&fold_upper(head)).is_none()).then_some(i + 2)
}

/// "Q_D": a word, an underscore and a word starting with D, glued, followed by a
/// separator, which with the underscore and the D read as one Đ spell a known type code
/// as the tables spell it ("QĐ", "NĐ"). Returns the code and the token index of the tail.
fn barred_d_kind(cleaned: &Cleaned, tokens: &[Token], i: usize) -> Option<(String, usize)> {
    let head = tokens.get(i).filter(|t| t.is_word())?;
    let bar = tokens.get(i + 1).filter(|t| t.is_punct('_') && t.start == head.end)?;
    let tail = tokens.get(i + 2).filter(|t| t.is_word() && t.start == bar.end)?;
    if !matches!(tokens.get(i + 3).map(|t| t.kind), Some(Kind::Punct('-' | '/'))) {
        return None;
    }
    let tail_text = cleaned.original(tail.start as usize, tail.end as usize);
    let rest = tail_text.strip_prefix('D')?;
    let joined = format!("{}Đ{rest}", cleaned.original(head.start as usize, head.end as usize));
    let spelling = vocab::kind(&fold_upper(&joined)).map(|(spelling, _)| spelling)?;
    (spelling == joined).then(|| (joined, i + 2))
}

/// "(CSKT)" glued at `at` to the code before it: the letters in the brackets and the
/// index of the closing bracket.
fn bracketed_unit(cleaned: &Cleaned, tokens: &[Token], at: usize) -> Option<(String, usize)> {
    let open = tokens.get(at).filter(|t| t.is_punct('('))?;
    if at == 0 || tokens[at - 1].end != open.start {
        return None;
    }
    let inner = tokens.get(at + 1).filter(|t| t.is_word())?;
    tokens.get(at + 2).filter(|t| t.is_punct(')'))?;
    let text = cleaned.original(inner.start as usize, inner.end as usize);
    let ok = (2..=8).contains(&text.chars().count()) && text.chars().all(|c| c.is_ascii_uppercase() || c == 'Đ' || c.is_ascii_digit()) && text.starts_with(|c: char| c.is_ascii_uppercase() || c == 'Đ');
    ok.then(|| (text.to_owned(), at + 2))
}

/// "2023nq": a year glued to the letters of a code. Returns the year and the byte (= char,
/// the folded digits being ASCII) offset where the letters start.
fn glued_year(folded: &str) -> Option<(String, usize)> {
    let year = folded.get(..4)?;
    let letters = &folded[4..];
    (is_year(year) && (1..=4).contains(&letters.chars().count()) && letters.chars().all(|c| c.is_ascii_alphabetic())).then(|| (year.to_owned(), 4))
}

/// One part read after the number.
struct Part {
    /// The separator before it ('/' or '-').
    sep: char,
    /// Official spelling (a year stays digits).
    text: String,
    is_year: bool,
    /// Its token index.
    token: usize,
}

/// Builds the canonical id from the number and the parts read after it, with the count
/// of parts it used; `None` when they do not make a document number (a date, a fraction,
/// a lone "4/KH").
fn assemble(number: &str, parts: &[Part]) -> Option<(DocId, usize)> {
    let first = parts.first()?;
    if first.sep == '-' {
        // Party: N-KIND/ISSUER.
        let issuer = parts.get(1)?;
        if issuer.sep != '/' || first.is_year || issuer.is_year {
            return None;
        }
        // An unknown type code stands only before a Party organ (a damaged "Qb/TW").
        if vocab::kind(&fold_upper(&first.text)).is_none() && !vocab::is_party_issuer(&fold_upper(&issuer.text)) {
            return None;
        }
        return Some((DocId(format!("{number}-{}/{}", first.text, issuer.text)), 2));
    }
    let (year, skip) = if first.is_year { (Some(first.text.as_str()), 1) } else { (None, 0) };
    let rest = &parts[skip..];
    if rest.is_empty() || rest[0].is_year {
        return None;
    }
    // "25/NQ/TW": a Party number written with a slash.
    if year.is_none()
        && rest.len() >= 2
        && rest[1].sep == '/'
        && vocab::kind(&fold_upper(&rest[0].text)).is_some()
        && vocab::is_party_issuer(&fold_upper(&rest[1].text))
    {
        return Some((DocId(format!("{number}-{}/{}", rest[0].text, rest[1].text)), 2));
    }
    // After the first part, parts are joined by hyphens; a further '/' ends the number.
    let mut symbol: Vec<&str> = vec![rest[0].text.as_str()];
    for part in &rest[1..] {
        if part.sep != '-' || part.is_year {
            break;
        }
        symbol.push(&part.text);
    }
    // Before 1997 the Government numbered its decrees N/CP (and the Council of Ministers
    // N/HĐBT): a lone central organ code is a number too.
    let old_government = year.is_none() && symbol.len() == 1 && matches!(fold_upper(symbol[0]).as_str(), "CP" | "HDBT");
    let enough = symbol.len() >= 2 || (year.is_some() && vocab::kind(&fold_upper(symbol[0])).is_none()) || old_government;
    if !enough {
        return None;
    }
    let used = skip + symbol.len();
    let term = match (year, symbol.as_slice()) {
        (Some(y), [code]) => legislature_from_year(code, y),
        _ => None,
    };
    let symbol = term.map_or_else(|| symbol.join("-"), |t| t);
    let year = year.map(|y| format!("{y}/")).unwrap_or_default();
    Some((DocId(format!("{number}/{year}{symbol}")), used))
}

/// The terms of the Quốc hội (numbering from the XI): the first and last year of each.
const LEGISLATURES: &[(u8, u16, u16)] = &[(11, 2002, 2007), (12, 2007, 2011), (13, 2011, 2016), (14, 2016, 2021), (15, 2021, 2026), (16, 2026, 2031)];

/// "31/2024/QHI5S": the term after QH or UBTVQH damaged beyond what [`canonical_part`]
/// reads (a stray letter after the digits, S for 5). The year says which term passed the
/// document (one, or two in an election year): the term whose digits the damaged suffix,
/// its look-alike letters read as digits, starts with. `None` when the suffix is whole, or
/// when no term of that year, or more than one, fits.
fn legislature_from_year(code: &str, year: &str) -> Option<String> {
    let year: u16 = year.parse().ok()?;
    let (body, suffix) = ["UBTVQH", "QH"].iter().find_map(|b| code.strip_prefix(b).map(|rest| (*b, rest)))?;
    if suffix.is_empty() || suffix.len() <= 2 && suffix.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let read: String = suffix.chars().map(|c| match c { 'I' | 'L' | 'l' | '|' => '1', 'O' => '0', 'S' => '5', 'Z' => '2', 'B' => '8', c => c }).collect();
    // At most one character more than a term's two digits: a longer tail is something else.
    if read.chars().count() > 3 || !read.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut fits = LEGISLATURES.iter().filter(|(_, from, to)| (*from..=*to).contains(&year)).map(|(t, _, _)| t.to_string()).filter(|t| read.starts_with(t.as_str()));
    let term = fits.next()?;
    fits.next().is_none().then(|| format!("{body}{term}"))
}

/// Skips a separator group at token `at`: blanks (at most one line break) around one or
/// more '/' or '-' ("33/CT- -TTg", "37-\nTT/TU"). Returns the separator ('/' wins over '-')
/// and the index of the next token. With `allow_bare_space`, a group of spaces alone
/// returns ' ' (the lost hyphen of "31 KII/TU").
fn separator_group(tokens: &[Token], at: usize, allow_bare_space: bool) -> Option<(char, usize)> {
    let mut sep = None;
    let mut newlines = 0;
    let mut spaces = false;
    let mut comma = false;
    let mut index = at;
    while let Some(token) = tokens.get(index) {
        match token.kind {
            // "1420/TT, -BQL": a mark OCR read for a lost letter, glued to the code before.
            Kind::Punct(',') if index == at && at > 0 && tokens[at - 1].is_word() => comma = true,
            // OCR reads a number's slash as a fraction or division slash too ("2 7⁄2023⁄QH15").
            Kind::Punct('/' | '⁄' | '∕' | '／') => sep = Some('/'),
            Kind::Punct('-') => {
                if sep.is_none() {
                    sep = Some('-')
                }
            }
            Kind::Space => spaces = true,
            // A stray mark between the number and its separator ("88§/CP"): skipped.
            Kind::Punct('§' | '·' | '\'' | '’' | '‘' | '`' | '°' | '^' | '¨') => {}
            Kind::Newline => {
                newlines += 1;
                if newlines > 1 {
                    return None;
                }
            }
            _ => break,
        }
        index += 1;
        if index - at > 8 {
            return None;
        }
    }
    if comma {
        // Only as "code, -CODE" on one line: the separator glued to the code after it (a
        // list "12/QĐ-UBND, 13/…" or a bullet "…, - Kế hoạch" is not one number).
        let glued = index > at + 1 && matches!(tokens[index - 1].kind, Kind::Punct('-' | '/'));
        return (sep.is_some() && newlines == 0 && glued).then(|| (sep.unwrap_or('-'), index));
    }
    match sep {
        Some(sep) => Some((sep, index)),
        None if allow_bare_space && spaces && newlines == 0 => Some((' ', index)),
        None => None,
    }
}

/// The digits of a document number, with OCR's O for 0 and l/I for 1 put right; `None` if
/// the token is not a number (or is too long to be one).
pub fn number_digits(folded: &str) -> Option<String> {
    if folded.is_empty() || folded.len() > MAX_NUMBER_DIGITS || !folded.starts_with(|c: char| c.is_ascii_digit() || c == 'o' || c == 'l' || c == 'i') {
        return None;
    }
    // "O09" for "09": OCR read the first zero twice, once as the letter (no office pads a
    // number to three digits with a letter's help).
    let folded = if folded.starts_with("o0") { &folded[1..] } else { folded };
    let mut digits = String::with_capacity(folded.len());
    let mut has_digit = false;
    for c in folded.chars() {
        digits.push(match c {
            '0'..='9' => {
                has_digit = true;
                c
            }
            'o' => '0',
            'l' | 'i' => '1',
            _ => return None,
        });
    }
    has_digit.then_some(digits)
}

fn is_year(folded: &str) -> bool {
    folded.len() == 4 && folded.parse::<u16>().is_ok_and(|y| (1945..=2100).contains(&y))
}

fn word_folded<'a>(cleaned: &'a Cleaned, token: &Token) -> &'a str {
    cleaned.folded(token.start as usize, token.end as usize)
}

pub(crate) fn fold_upper(text: &str) -> String {
    text.chars().map(super::clean::fold_char).collect::<String>().to_uppercase()
}

/// The official spelling of one symbol part, or `None` when the word cannot be one.
/// `lenient` (search queries) also accepts lower case: "nd" → "NĐ". Known codes take the
/// spelling of the tables (`QD` → `QĐ`, `TTG` → `TTg`), except that of two codes folding
/// alike (`HĐ` Hợp đồng and `HD` Hướng dẫn) the printed one is kept. An unknown code in
/// capitals is kept as printed: whether it can exist is for [`super::correct`] to judge.
fn canonical_part(original: &str, folded: &str, lenient: bool) -> Option<String> {
    if let Some(single) = one_eth(original) {
        let folded: String = single.chars().map(super::clean::fold_char).collect();
        return canonical_part(&single, &folded, lenient);
    }
    if folded.chars().count() > 12 || !folded.chars().any(|c| c.is_alphabetic()) {
        return None;
    }
    let printed_upper = upper_keeping_marks(original);
    if printed_upper == "TƯ" {
        return Some("TW".to_owned());
    }
    let all_caps = !original.chars().any(char::is_lowercase);
    let capitalized = original.starts_with(char::is_uppercase);
    let upper = folded.to_uppercase();
    let letters = upper.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &upper[letters.len()..];
    if letters.is_empty() || letters.chars().any(|c| c.is_ascii_digit()) && !all_caps {
        return None;
    }
    // "số 12/34A-KP": two digits or more before the letters make a house number or a lot,
    // not a code (OCR's digit for a letter of a code is one: "0Đ", "1B").
    if upper.chars().take_while(|c| c.is_ascii_digit()).count() >= 2 {
        return None;
    }
    // A term suffix misread ("UBTVQHI5", "QHl4"): letters I/L/O among its digits.
    if vocab::issuer(letters).is_none() {
        for body in ["UBTVQH", "QH"] {
            if let Some(term) = upper.strip_prefix(body) {
                let digits: String = term.chars().map(|c| match c { 'I' | 'L' => '1', 'O' => '0', d => d }).collect();
                if (1..=2).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) && term.chars().any(|c| c.is_ascii_digit()) {
                    return Some(format!("{body}{digits}"));
                }
            }
        }
    }
    let known = vocab::kind(letters).or_else(|| vocab::issuer(letters)).map(|(spelling, _)| spelling);
    if let Some(spelling) = known {
        if !(all_caps || capitalized || lenient) {
            return None;
        }
        let printed_letters = printed_upper.trim_end_matches(|c: char| c.is_ascii_digit());
        if printed_letters != spelling.to_uppercase() && Authority::builtin().has_code_spelling(printed_letters) {
            return Some(printed_upper);
        }
        return Some(format!("{spelling}{digits}"));
    }
    if let Some(spelled) = compound_party_code(letters, &printed_upper).filter(|_| all_caps) {
        return Some(format!("{spelled}{digits}"));
    }
    if all_caps || lenient {
        return Some(printed_upper);
    }
    // "11/CT-FTg": a capital of TTg misread; kept as printed for the correction to put back.
    if capitalized && Authority::builtin().misread_mixed_case(original) {
        return Some(original.to_owned());
    }
    // "2156/SGDĐT-CTrTT", "SGDĐT-GDTrH": an office's unit code with "Tr" for a word in Tr-.
    if is_unit_code_with_tr(original) {
        return Some(original.to_owned());
    }
    None
}

/// "BCDTW" for "BCĐTW": a Party organ code made of an organ's code and a level (Ban Chỉ
/// đạo + Trung ương), with the Đ its parts' tables spell put back. `None` when the code is
/// no such compound, or when the printed spelling is itself a code of the tables (of two
/// codes folding alike the printed one is kept).
fn compound_party_code(letters: &str, printed_upper: &str) -> Option<String> {
    if !vocab::is_party_issuer(letters) || Authority::builtin().has_code_spelling(printed_upper) {
        return None;
    }
    let spell = |part: &str| -> Option<String> {
        if part == "TW" {
            return Some("TW".to_owned());
        }
        vocab::issuer(part).map(|(spelling, _)| spelling.to_owned())
    };
    (1..letters.len()).filter(|&i| letters.is_char_boundary(i)).find_map(|i| {
        let (unit, level) = letters.split_at(i);
        let spelled = format!("{}{}", spell(unit)?, spell(level)?);
        (crate::viet::fold(&spelled).to_uppercase() == letters).then_some(spelled)
    })
}

/// A unit's code in capitals with a small "r" after a "T" ("CTrTT" Chính trị tư tưởng,
/// "GDTrH" Giáo dục trung học), as offices abbreviate words in Tr-: at least three capitals
/// and a capital after the small letter, which no word of running text has.
fn is_unit_code_with_tr(original: &str) -> bool {
    let chars: Vec<char> = original.chars().collect();
    let capitals = chars.iter().filter(|c| c.is_uppercase()).count();
    let small_ok = chars.iter().enumerate().all(|(i, c)| !c.is_lowercase() || *c == 'r' && i > 0 && chars[i - 1] == 'T');
    let capital_after_small = chars.windows(2).any(|w| w[0].is_lowercase() && w[1].is_uppercase());
    chars.iter().all(|c| c.is_ascii_alphabetic() || matches!(c, 'Đ')) && capitals >= 3 && small_ok && capital_after_small
}

/// Tesseract prints one Đ as a run of Latin Đ and Icelandic Ð ("QĐÐ", "HĐĐĐND"): a run of
/// two or more holding an Icelandic Ð is one Đ. `None` when there is no such run (a real
/// "ĐĐBQH" is all Latin Đ and stays).
fn one_eth(original: &str) -> Option<String> {
    let chars: Vec<char> = original.chars().collect();
    let is_d = |c: char| matches!(c, 'Đ' | 'Ð' | 'đ' | 'ð');
    let mut out = String::with_capacity(original.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        while j < chars.len() && is_d(chars[j]) {
            j += 1;
        }
        if j - i >= 2 && chars[i..j].iter().any(|&c| c == 'Ð' || c == 'ð') {
            out.push('Đ');
            changed = true;
            i = j;
        } else if j > i {
            out.extend(&chars[i..j]);
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    changed.then_some(out)
}

/// Upper case with Vietnamese marks kept, and Tesseract's Icelandic Ð read as Đ.
fn upper_keeping_marks(original: &str) -> String {
    original.chars().flat_map(char::to_uppercase).map(|c| if c == 'Ð' { 'Đ' } else { c }).collect()
}

/// A damaged type code where one must stand: the first part after the number, short, in
/// capitals or starting with one ("Qb", "T1r", "0Đ"), followed by a separator. Read as
/// printed so that [`super::correct`] can judge it against the tables.
fn damaged_kind(original: &str, folded: &str) -> Option<String> {
    let n = folded.chars().count();
    let starts_like_a_code = original.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) && original.chars().take_while(|c| c.is_ascii_digit()).count() < 2;
    ((1..=4).contains(&n) && starts_like_a_code && folded.chars().any(char::is_alphabetic)).then(|| upper_keeping_marks(original))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> String {
        DocId::parse(text).map(|d| d.to_string()).unwrap_or_else(|| "(none)".into())
    }

    #[test]
    fn the_three_shapes_parse_to_their_canonical_forms() {
        assert_eq!(id("25-NQ/TW"), "25-NQ/TW");
        assert_eq!(id("1185-CV/HU"), "1185-CV/HU");
        assert_eq!(id("26-HD/BTCTW"), "26-HD/BTCTW");
        assert_eq!(id("107/KH-UBND"), "107/KH-UBND");
        assert_eq!(id("33/CT-TTg"), "33/CT-TTg");
        assert_eq!(id("30/2020/NĐ-CP"), "30/2020/NĐ-CP");
        assert_eq!(id("01/2023/TT-VPCP"), "01/2023/TT-VPCP");
        assert_eq!(id("35/2023/UBTVQH15"), "35/2023/UBTVQH15");
        assert_eq!(id("58/2024/QH15"), "58/2024/QH15");
        assert_eq!(id("3456/UBND-KSTT"), "3456/UBND-KSTT");
        assert_eq!(id("01/2020/TTLT-BTC-BNV"), "01/2020/TTLT-BTC-BNV");
        assert_eq!(id("55/2026/TT-BGDĐT"), "55/2026/TT-BGDĐT");
    }

    #[test]
    fn ocr_damage_is_tolerated() {
        assert_eq!(id("33/CT- -TTg"), "33/CT-TTg");
        // A damaged type code before a Party organ is read as printed; whether it can exist
        // and what it stands for is the correction's to say (cite::correct).
        assert_eq!(id("217- QDB/TW"), "217-QDB/TW");
        assert_eq!(id("218- Qb/TW"), "218-QB/TW");
        assert_eq!(id("31 KII/TU"), "31-KII/TU");
        assert_eq!(id("37-\nTT/TU"), "37-TT/TU");
        assert_eq!(id("30/2020/ND-CP"), "30/2020/NĐ-CP");
        assert_eq!(id("30/2020/NÐ-CP"), "30/2020/NĐ-CP");
        // Tesseract's run of Đ and Icelandic Ð for one Đ.
        assert_eq!(id("157/QĐÐ-NĐ-UB"), "157/QĐ-NĐ-UB");
        assert_eq!(id("87/HĐĐÐND-KTNS"), "87/HĐND-KTNS");
        assert_eq!(id("1O7/KH-UBND"), "107/KH-UBND");
        assert_eq!(id("l85-CV/HU"), "185-CV/HU");
        assert_eq!(id("25-NQ/TƯ"), "25-NQ/TW");
        assert_eq!(id("3225/QD-UBND"), "3225/QĐ-UBND");
        assert_eq!(id("12/2019/QD-TTG"), "12/2019/QĐ-TTg");
        assert_eq!(id("55/2026/TT-BGDDT"), "55/2026/TT-BGDĐT");
        assert_eq!(id("35/2023/UBTVQHI5"), "35/2023/UBTVQH15");
        assert_eq!(id("120/KH-SGDDT"), "120/KH-SGDĐT");
        assert_eq!(id("15/QD-HDTDKT"), "15/QĐ-HĐTĐKT");
        assert_eq!(id("58/2024/QHl5"), "58/2024/QH15");
        // Damaged further (a stray letter after the term, S for 5): the year says the term.
        assert_eq!(id("31/2024/QHI5S"), "31/2024/QH15");
        assert_eq!(id("43/2024/QHIS"), "43/2024/QH15");
        assert_eq!(id("35/2023/UBTVQHI5S"), "35/2023/UBTVQH15");
        // No term of that year fits: kept as printed (the correction judges it).
        assert_eq!(id("31/2024/QHI4S"), "31/2024/QHI4S");
        // A number split by a space after "số", a year glued to its type code.
        assert_eq!(id("Quyết định số 41 8/QĐ-UBND"), "418/QĐ-UBND");
        assert_eq!(id("Nghị quyết số 3 7/2023NQ-HĐND"), "37/2023/NQ-HĐND");
        assert_eq!(id("số 7/2023NO-HĐND"), "7/2023/NO-HĐND");
        // Without the marker, or with more than a space between, the groups stay apart.
        assert_eq!(id("khoản 2 18/QĐ-UBND"), "18/QĐ-UBND");
        assert_eq!(id("số 2  18/QĐ-UBND"), "18/QĐ-UBND");
        // Typed letter-spaced after "Số:" (the space before the bar too): one number.
        assert_eq!(id("Số: 1 2 8 /UBND-TCKH"), "128/UBND-TCKH");
        assert_eq!(id("Kế hoạch số 2 1 7/KH-UBND ngày"), "217/KH-UBND");
        assert_eq!(id("Số: 41 8/QĐ-UBND"), "418/QĐ-UBND");
        // Groups of several digits apart from the bar, or too many digits: not joined.
        assert_eq!(id("số 12 34 /QĐ-UBND"), "34/QĐ-UBND");
        assert_eq!(id("số 1 2 3 4 5 6/QĐ-UBND"), "6/QĐ-UBND");
        assert_eq!(id("khoản 1 2 8/QĐ-UBND"), "8/QĐ-UBND");
        // A type code split by a space; a unit's code in brackets.
        assert_eq!(id("số 1424/T Tr-BQL ngày"), "1424/TTr-BQL");
        assert_eq!(id("số 1424/T Ty-BQL ngày"), "(none)");
        // A capital of a code with a small letter misread: read as printed.
        assert_eq!(id("số 11/CT- -FTg ngày"), "11/CT-FTg");
        assert_eq!(id("số 11/CT-Ftg ngày"), "(none)");
        assert_eq!(id("số 484/TTr-CAT-\nTM(CSKT) ngày"), "484/TTr-CAT-TM(CSKT)");
        assert_eq!(id("số 484/TTr-CAT (CSKT)"), "484/TTr-CAT");

        // A mark OCR read for a lost letter, between a code and the hyphen glued to the next.
        assert_eq!(id("số 1420/TT, -BQL ngày"), "1420/TT-BQL");
        assert_eq!(id("số 12/QĐ-UBND, - Kế hoạch"), "12/QĐ-UBND");
        assert_eq!(id("số 12/QĐ-UBND, 13/QĐ-UBND"), "12/QĐ-UBND");
    }

    fn listed(text: &str) -> Vec<String> {
        let cleaned = Cleaned::new(text);
        let tokens = tokenize(&cleaned);
        let first = (0..tokens.len()).find(|&i| parse_at(&cleaned, &tokens, i).is_some());
        first.map(|i| listed_numbers_before(&cleaned, &tokens, i).into_iter().map(|(n, _)| n).collect()).unwrap_or_default()
    }

    #[test]
    fn numbers_listed_before_the_one_with_the_symbol_share_it() {
        assert_eq!(listed("các Quyết định số 3561, 3562 và 3563/QĐ-UBND ngày"), ["3561", "3562"]);
        assert_eq!(listed("các Thông tư số 01, 02, và 03/2024/TT-BTC"), ["01", "02"]);
        assert_eq!(listed("Quyết định số: 12, 13/QĐ-UBND"), ["12"]);
        // A decimal comma lists nothing ("hệ số 3,50/N2-TC").
        assert_eq!(listed("hưởng lương hệ số 3,50/N2-TC"), Vec::<String>::new());
        // Not opened by "số": articles, items of a table, numbers of something else.
        assert_eq!(listed("Điều 2, 5 và 7/QĐ-UBND"), Vec::<String>::new());
        assert_eq!(listed("số 2 và hướng dẫn 7/QĐ-UBND"), Vec::<String>::new());
        assert_eq!(listed("số 3563/QĐ-UBND"), Vec::<String>::new());
        let id = DocId::parse("3563/QĐ-UBND").unwrap();
        assert_eq!(id.with_number("3561").as_str(), "3561/QĐ-UBND");
        assert_eq!(DocId::parse("03/2024/TT-BTC").unwrap().with_number("01").as_str(), "01/2024/TT-BTC");
    }

    #[test]
    fn a_code_past_the_words_of_the_next_table_column_completes_the_number() {
        assert_eq!(id("Quyết định số 1843/QĐ-\ntrồng mới UBND ngày 12/10/2023"), "1843/QĐ-UBND");
        assert_eq!(id("Chi thi s6 06/CT-\nrung mua kho UBND ngay 15/01/2024 cui"), "06/CT-UBND");
        // Not past a capitalized word, a number, nor words running on ("của UBND tỉnh").
        assert_eq!(id("số 12/QĐ-\ncủa UBND tỉnh"), "(none)");
        assert_eq!(id("số 12/QĐ-\nNgày 5 UBND ngày"), "(none)");
        assert_eq!(id("số 12/QĐ-\nUBND ngày 5/3"), "12/QĐ-UBND");
    }

    #[test]
    fn dates_fractions_and_fragments_are_not_numbers() {
        assert_eq!(id("ngày 12/9/2014"), "(none)");
        assert_eq!(id("giai đoạn 2020-2025"), "(none)");
        assert_eq!(id("tỷ lệ 3/4 cán bộ"), "(none)");
        assert_eq!(id("Số 4/KH"), "(none)");
        assert_eq!(id("số 25-nq/tw"), "(none)");
        assert_eq!(id("1234567/QĐ-UBND"), "(none)");
        assert_eq!(id("Địa chỉ: số 12/34A-KP đường Lê Lợi"), "(none)");
    }

    #[test]
    fn unit_codes_with_a_small_r_are_read() {
        assert_eq!(id("Công văn số 1909/SGDĐT-CTrTT ngày 21/8/2023"), "1909/SGDĐT-CTrTT");
        assert_eq!(id("số 812/SGDĐT-GDTrH ngày"), "812/SGDĐT-GDTrH");
        // A word of running text after a number is no code.
        assert_eq!(id("số 12/KH-UBND Trong"), "12/KH-UBND");
        assert_eq!(id("số 12/Trong"), "(none)");
    }

    #[test]
    fn a_đ_read_as_underscore_and_d_and_a_zero_read_twice() {
        assert_eq!(id("Quy định số 22-Q_D/TW ngày"), "22-QĐ/TW");
        assert_eq!(id("Quyết định số 15/Q_D-UBND ngày"), "15/QĐ-UBND");
        // Only where the two spell a known code.
        assert_eq!(id("số 15/X_D-UBND"), "(none)");
        assert_eq!(id("Hướng dẫn số O09-HD/BTCTW ngày"), "09-HD/BTCTW");
        assert_eq!(id("số O1/KH-UBND"), "01/KH-UBND");
    }

    #[test]
    fn the_đ_of_a_compound_party_code_is_put_back() {
        // OCR (or a typewriter) without Đ: Ban Chỉ đạo Trung ương's code as the table spells it.
        assert_eq!(id("Kế hoạch số 01-KH/BCDTW ngày"), "01-KH/BCĐTW");
        assert_eq!(id("Kế hoạch số 01-KH/BCĐTW ngày"), "01-KH/BCĐTW");
        // A level alone and a Party unit of a level keep their spelling.
        assert_eq!(id("26-HD/BTCTW"), "26-HD/BTCTW");
        assert_eq!(id("09-CTr/HU"), "09-CTr/HU");
    }

    #[test]
    fn hd_and_hđ_are_kept_apart() {
        assert_eq!(id("02-HD/TU"), "02-HD/TU");
        assert_eq!(id("15/HĐ-UBND"), "15/HĐ-UBND");
        assert_eq!(DocId::parse("15/HĐ-UBND").unwrap().implied_type(), Some("Hợp đồng"));
        assert_eq!(DocId::parse("02-HD/TU").unwrap().implied_type(), Some("Hướng dẫn"));
    }

    #[test]
    fn parts_and_implications() {
        let d = DocId::parse("30/2020/NĐ-CP").unwrap();
        assert_eq!((d.number(), d.year(), d.symbol()), ("30", Some(2020), "NĐ-CP"));
        assert_eq!(d.implied_type(), Some("Nghị định"));
        assert_eq!(d.implied_issuer(), Some("Chính phủ"));
        let p = DocId::parse("37-TT/TU").unwrap();
        assert_eq!((p.number(), p.year(), p.symbol()), ("37", None, "TT/TU"));
        assert_eq!(p.implied_type(), Some("Thông tri"));
        assert_eq!(p.implied_issuer(), Some("Tỉnh ủy"));
        let q = DocId::parse("35/2023/UBTVQH15").unwrap();
        assert_eq!(q.implied_issuer(), Some("Ủy ban Thường vụ Quốc hội"));
        assert_eq!(DocId::parse("33/CT-TTg").unwrap().implied_issuer(), Some("Thủ tướng Chính phủ"));
        assert_eq!(DocId::parse("3456/UBND-KSTT").unwrap().implied_type(), Some("Công văn"));
        // Older numbers put the organ first: a Quyết định of the Ủy ban.
        assert_eq!(DocId::parse("350/UB-QĐ-NĐ").unwrap().implied_type(), Some("Quyết định"));
        // … but only an organ that may issue the type: QH here is no Quốc hội.
        let plan = DocId::parse("26/QH-NĐ-UB").unwrap();
        assert_eq!((plan.implied_type(), plan.implied_issuer()), (None, None));
    }

    #[test]
    fn every_spelling_of_a_number_has_one_index_key() {
        let key = |s: &str| DocId::parse_query(s).map(|d| d.index_key());
        let want = Some("25-NQ/TW".to_owned());
        for spelling in ["25-NQ/TW", "nghi quyet so 25-NQ/TW", "25-NQ/TƯ", "25 NQ TW", "25-nq-tw", "Nghị quyết 025-NQ/TW"] {
            assert_eq!(key(spelling), want, "{spelling}");
        }
        let want = Some("30/2020/ND-CP".to_owned());
        for spelling in ["30/2020/NĐ-CP", "30/2020/ND-CP", "30 2020 nd cp", "30/2020/nđ-cp"] {
            assert_eq!(key(spelling), want, "{spelling}");
        }
        assert_eq!(key("1/2023/TT-VPCP"), key("01/2023/TT-VPCP"));
        assert_eq!(key("QD 12 UBND"), None);
    }
}
