//! Issuer normalization: the organ a printed issuer names, in its canonical spelling.
//!
//! A printed issuer is matched word by word on its folded form (no diacritics, lower case),
//! so OCR's lost or wrong marks ("THÀNH PHÓ CÀN THƠ") do not matter; the canonical spelling
//! comes from the tables (organ kind, level word, province) and, for a place the tables do
//! not list (a district, a commune), from the printed words in title case.

use super::tables::{OrganEntry, Place};
use super::{fold_code, Authority};

/// An organ as a printed issuer names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Organ {
    /// The canonical full name: "Ủy ban nhân dân thành phố Cần Thơ", "Bộ Y tế",
    /// "Ban Thường vụ Tỉnh ủy Quảng Ngãi".
    pub name: String,
    /// The organ without its place: "Ủy ban nhân dân", "Ban Thường vụ Tỉnh ủy".
    pub kind: String,
    /// The code its numbers carry, when there is one (`UBND`, `BYT`, `BTCTU`).
    pub code: Option<String>,
    /// The class of `organs.tsv` (ministry, local-committee, party-level…).
    pub class: String,
    /// "tỉnh", "thành phố", "huyện", "xã"… when printed or implied by the place.
    pub level: Option<String>,
    /// "Quảng Ngãi", "Tư Nghĩa".
    pub place: Option<String>,
    /// The place is a province or city of `places.tsv` (its spelling is the table's).
    pub place_known: bool,
    /// For a province merged in 2025 (or Hà Tây in 2008): the unit it became part of.
    pub merged_into: Option<String>,
    /// Bytes of the input that name the organ; what follows is not part of it
    /// ("Chính phủ sửa đổi" → the 10 bytes of "Chính phủ").
    pub consumed: usize,
}

/// Level words of local administration, folded, longest first where one is a prefix.
const LEVELS: &[(&str, &str)] = &[
    ("thanh pho", "thành phố"),
    ("tp", "thành phố"),
    ("thi xa", "thị xã"),
    ("thi tran", "thị trấn"),
    ("dac khu", "đặc khu"),
    ("tinh", "tỉnh"),
    ("huyen", "huyện"),
    ("quan", "quận"),
    ("xa", "xã"),
    ("phuong", "phường"),
];

/// Titles of an organ's head, folded, that stand before the organ's name when a document
/// is cited by its signer ("Bộ trưởng Bộ Y tế"): the issuer is the organ.
pub(super) const TITLES: &[&str] =
    &["bo truong", "vien truong", "chanh an", "thong doc", "tong", "giam doc", "truong", "thu truong"];

/// Whether word `i` continues the name the word before it is part of: nothing but spaces
/// and hyphens between them, or one line break (a name wrapped on the next line). A
/// comma, a full stop or a blank line ends a name: "của Ban Thường vụ Tỉnh ủy, Ban Thường
/// vụ Huyện ủy báo cáo", "của Ban Thường vụ Tỉnh ủy.\n3. Chỉ thị này…". The full stop of a
/// level abbreviation ("TP. Thủ Đức") is part of the name.
fn joined(text: &str, words: &[Word<'_>], i: usize) -> bool {
    let (Some(prev), Some(w)) = (i.checked_sub(1).and_then(|p| words.get(p)), words.get(i)) else { return true };
    let start = w.end - w.printed.len();
    let gap = text.get(prev.end..start).unwrap_or("");
    let abbreviation = gap.trim_start().starts_with('.') && prev.folded == "tp";
    let stop = gap.contains(',') || (gap.contains('.') && !abbreviation) || gap.matches('\n').count() > 1;
    !stop
}

/// One word of the printed issuer.
struct Word<'a> {
    printed: &'a str,
    folded: String,
    end: usize,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            let printed = &text[s..i];
            let folded: String = printed.chars().map(crate::cite::clean::fold_char).collect();
            out.push(Word { printed, folded, end: i });
        }
        // Anything but spaces, hyphens and commas inside the name ends it.
        if start.is_none() && !(c.is_whitespace() || c == '-' || c == ',' || c == '–' || c == '.' || c.is_alphanumeric()) {
            break;
        }
    }
    out
}

impl Authority {
    /// The organ `printed` names, from its first word: "ỦY BAN NHÂN DÂN THÀNH PHÓ CÀN THƠ"
    /// → "Ủy ban nhân dân thành phố Cần Thơ"; "UBND tỉnh Quảng Ngãi" → "Ủy ban nhân dân tỉnh
    /// Quảng Ngãi"; "BỘ TÀI CHÍNH" → "Bộ Tài chính"; "Thủ tướng Chính phủ phê duyệt" →
    /// "Thủ tướng Chính phủ" (with [`Organ::consumed`] saying where the name ended).
    /// `None` when the text does not open with an organ of the tables.
    pub fn normalize_issuer(&self, printed: &str) -> Option<Organ> {
        let text = printed.replace('Ð', "Đ");
        let words = words(&text);
        // "Bộ trưởng Bộ Y tế", "Giám đốc Sở Tài chính": the head's title, then the organ.
        let title = TITLES.iter().map(|t| matches_at(&words, 0, t)).find(|&n| n > 0).unwrap_or(0);
        let (entry, mut used) = match (title > 0).then(|| self.organ_at(&words, title)).flatten() {
            Some((entry, n)) => (entry, title + n),
            None => self.organ_at(&words, 0)?,
        };
        let mut kind = entry.name.clone();
        let mut code = entry.code.clone();
        let mut class = entry.class.clone();
        // A Party unit followed by its level: "Ban Thường vụ" + "Tỉnh ủy", "Ban Tổ chức" +
        // "Trung ương" (BTC + TW).
        if entry.class == "party-unit" {
            if let Some((level, n)) = self.organ_at(&words, used).filter(|(e, _)| e.class == "party-level") {
                kind = format!("{} {}", entry.name, level.name);
                code = compose(&entry.code, &level.code);
                class = "party-local".to_owned();
                used += n;
            } else if words.get(used).is_some_and(|w| w.folded == "trung") && words.get(used + 1).is_some_and(|w| w.folded == "uong") {
                kind = format!("{} Trung ương", entry.name);
                code = entry.code.as_ref().map(|c| format!("{c}TW"));
                class = "party-central".to_owned();
                used += 2;
            }
        }
        let mut organ = Organ {
            name: kind.clone(),
            kind,
            code,
            class,
            level: None,
            place: None,
            place_known: false,
            merged_into: None,
            consumed: words[used - 1].end,
        };
        // A numbered committee: "Ban Chỉ đạo 138"; a central one: "Ban Chỉ đạo Trung ương".
        if organ.class == "committee" {
            if let Some(w) = words.get(used).filter(|w| w.printed.chars().all(|c| c.is_ascii_digit())) {
                organ.kind = format!("{} {}", organ.kind, w.printed);
                organ.name = organ.kind.clone();
                organ.consumed = w.end;
                used += 1;
            } else if matches_at(&words, used, "trung uong") == 2 && joined(&text, &words, used) && joined(&text, &words, used + 1) {
                organ.kind = format!("{} Trung ương", organ.kind);
                organ.name = organ.kind.clone();
                organ.consumed = words[used + 1].end;
                used += 2;
            }
        }
        if entry.is_local() || matches!(organ.class.as_str(), "party-local" | "committee") {
            self.read_place(&words, used, &mut organ, &text);
        }
        // `consumed` counts bytes of `printed`; Ð and Đ have the same length in UTF-8.
        Some(organ)
    }

    /// The longest organ name of the tables that starts at word `at`, and its length in words.
    fn organ_at(&self, words: &[Word<'_>], at: usize) -> Option<(&OrganEntry, usize)> {
        let mut best: Option<(&OrganEntry, usize)> = None;
        for entry in &self.organs {
            if entry.class == "unit" {
                continue;
            }
            let own = super::fold_words(&entry.name);
            let code = entry.code.as_deref().map(|c| fold_code(c).to_lowercase());
            let phrases = std::iter::once(own).chain(entry.also.iter().cloned());
            for phrase in phrases {
                let n = matches_at(words, at, &phrase);
                if n > 0 && best.is_none_or(|(_, b)| n > b) {
                    best = Some((entry, n));
                }
            }
            // The code itself, printed as a word ("UBND tỉnh", "HĐND huyện"), for local organs.
            let spelled_as_code = matches!(entry.class.as_str(), "local-council" | "local-committee") && code.as_ref().is_some_and(|c| c.len() >= 4);
            if let (Some(code), true) = (code, spelled_as_code) {
                if words.get(at).is_some_and(|w| w.folded == code && w.printed.chars().all(|c| !c.is_lowercase())) && best.is_none() {
                    best = Some((entry, 1));
                }
            }
        }
        best
    }

    /// Reads "[level] Place" after a local organ's name.
    fn read_place(&self, words: &[Word<'_>], mut at: usize, organ: &mut Organ, text: &str) {
        for (folded, level) in LEVELS {
            let n = matches_at(words, at, folded);
            if n > 0 {
                organ.level = Some((*level).to_owned());
                at += n;
                organ.consumed = words[at - 1].end;
                break;
            }
        }
        if let Some((place, n)) = self.place_at(words, at) {
            // A state organ's level follows from the province ("tỉnh", "thành phố"); a Party
            // organ names its level itself ("Tỉnh ủy Quảng Ngãi", "Đảng bộ tỉnh Bình Phước").
            if !organ.class.starts_with("party") {
                organ.level.get_or_insert_with(|| place.level.clone());
            }
            organ.place = Some(place.name.clone());
            organ.place_known = true;
            organ.merged_into = place.merged_into.clone();
            organ.consumed = words[at + n - 1].end;
        } else if organ.level.as_deref() != Some("tỉnh") && (organ.level.is_some() || organ.class.starts_with("party")) {
            // A place the tables do not list (a district, a commune): capitalized words as
            // printed, in title case, at most four. (Every province is in the table, so
            // after "tỉnh" an unknown word is not a place: "tỉnh Tà soát" is OCR's "rà soát".)
            let all_caps = !text.chars().any(char::is_lowercase);
            let mut taken = Vec::new();
            for (i, w) in words.iter().enumerate().skip(at).take(4) {
                let capitalized = w.printed.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
                if !capitalized || (!all_caps && is_heading(w.printed)) || !joined(text, words, i) {
                    break;
                }
                taken.push(w);
            }
            if let Some(last) = taken.last() {
                organ.place = Some(taken.iter().map(|w| title_case(w.printed)).collect::<Vec<_>>().join(" "));
                organ.consumed = last.end;
            }
        }
        let mut name = organ.kind.clone();
        for part in [&organ.level, &organ.place].into_iter().flatten() {
            name.push(' ');
            name.push_str(part);
        }
        organ.name = name;
    }

    /// A province of the table starting at word `at` (folded words; one letter of slack for
    /// names of six letters or more, as OCR reads "QUANG NGAL").
    fn place_at(&self, words: &[Word<'_>], at: usize) -> Option<(&Place, usize)> {
        let mut best: Option<(&Place, usize, usize)> = None;
        for place in &self.places {
            let folded = super::fold_words(&place.name);
            let n_words = folded.split(' ').count();
            if at + n_words > words.len() {
                continue;
            }
            let printed: Vec<&str> = words[at..at + n_words].iter().map(|w| w.folded.as_str()).collect();
            let printed = printed.join(" ");
            let distance = if printed == folded { 0 } else if folded.len() >= 6 && within_one_edit(&printed, &folded) { 1 } else { continue };
            // A current unit is preferred over a former one of the same name (Huế).
            let better = match best {
                None => true,
                Some((b, n, d)) => distance < d || distance == d && (n_words > n || n_words == n && b.until.is_some() && place.until.is_none()),
            };
            if better {
                best = Some((place, n_words, distance));
            }
        }
        best.map(|(p, n, _)| (p, n))
    }
}

/// Number of words of `phrase` (folded, space-separated) matched from word `at`, or 0.
fn matches_at(words: &[Word<'_>], at: usize, phrase: &str) -> usize {
    let mut n = 0;
    for part in phrase.split(' ') {
        match words.get(at + n) {
            Some(w) if w.folded == part => n += 1,
            _ => return 0,
        }
    }
    n
}

fn compose(unit: &Option<String>, level: &Option<String>) -> Option<String> {
    Some(format!("{}{}", unit.as_deref()?, level.as_deref()?))
}

/// A word in capitals (two letters or more): a heading line glued to the name.
fn is_heading(printed: &str) -> bool {
    printed.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !printed.chars().any(char::is_lowercase)
}

fn title_case(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// True when `a` and `b` differ by exactly one substitution, insertion or deletion.
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 || a == b {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    prefix + suffix >= a.len().max(b.len()) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(printed: &str) -> Option<String> {
        Authority::builtin().normalize_issuer(printed).map(|o| o.name)
    }

    #[test]
    fn a_header_in_capitals_with_ocr_marks_wrong_gets_its_canonical_name() {
        assert_eq!(name("ỦY BAN NHÂN DÂN THÀNH PHÓ CÀN THƠ").as_deref(), Some("Ủy ban nhân dân thành phố Cần Thơ"));
        assert_eq!(name("UỶ BAN NHÂN DÂN TỈNH QUẢNG NGÃI").as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
        assert_eq!(name("UBND TỈNH QUẢNG NGÃI").as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
        assert_eq!(name("HỘI ĐỒNG NHÂN DÂN TỈNH QUANG NGAL").as_deref(), Some("Hội đồng nhân dân tỉnh Quảng Ngãi"));
        assert_eq!(name("BỘ TÀI CHÍNH").as_deref(), Some("Bộ Tài chính"));
        assert_eq!(name("BỘ GIÁO DỤC VÀ ĐÀO TẠO").as_deref(), Some("Bộ Giáo dục và Đào tạo"));
        assert_eq!(name("TỈNH ỦY QUẢNG NGÃI").as_deref(), Some("Tỉnh ủy Quảng Ngãi"));
        assert_eq!(name("ỦY BAN NHÂN DÂN HUYỆN TƯ NGHĨA").as_deref(), Some("Ủy ban nhân dân huyện Tư Nghĩa"));
    }

    #[test]
    fn a_name_ends_at_a_comma_a_full_stop_or_a_blank_line() {
        // The next clause's capitalized words are no unlisted place of the organ.
        assert_eq!(name("Ban Thường vụ Huyện ủy, Đảng ủy phường xây dựng Kế hoạch").as_deref(), Some("Ban Thường vụ Huyện ủy"));
        assert_eq!(name("Ban Thường vụ Thành ủy.\n4. Quyết định này").as_deref(), Some("Ban Thường vụ Thành ủy"));
        assert_eq!(name("UBND thị xã. Sau khi").as_deref(), Some("Ủy ban nhân dân thị xã"));
        assert_eq!(name("Ủy ban nhân dân quận, Ủy ban nhân dân phường").as_deref(), Some("Ủy ban nhân dân quận"));
        assert_eq!(name("UBND huyện\n\nNơi nhận:").as_deref(), Some("Ủy ban nhân dân huyện"));
        // A place on the next line, a hyphenated one, and a level abbreviation's full stop stay.
        assert_eq!(name("ỦY BAN NHÂN DÂN HUYỆN\nSƠN TỊNH").as_deref(), Some("Ủy ban nhân dân huyện Sơn Tịnh"));
        assert_eq!(name("UBND TP. Thủ Đức").as_deref(), Some("Ủy ban nhân dân thành phố Thủ Đức"));
    }

    #[test]
    fn a_central_steering_committee_keeps_trung_uong() {
        let o = Authority::builtin().normalize_issuer("Ban Chỉ đạo Trung ương về phòng, chống tham nhũng").unwrap();
        assert_eq!(o.name, "Ban Chỉ đạo Trung ương");
        assert_eq!(name("Ban Chỉ đạo 389 tỉnh").as_deref(), Some("Ban Chỉ đạo 389 tỉnh"));
        assert_eq!(name("Ban Chỉ đạo, Tổ giúp việc").as_deref(), Some("Ban Chỉ đạo"));
    }

    #[test]
    fn party_units_combine_with_their_level() {
        let o = Authority::builtin().normalize_issuer("BAN THƯỜNG VỤ TỈNH ỦY").unwrap();
        assert_eq!((o.name.as_str(), o.code.as_deref()), ("Ban Thường vụ Tỉnh ủy", Some("BTVTU")));
        let o = Authority::builtin().normalize_issuer("Ban Tổ chức Trung ương").unwrap();
        assert_eq!((o.name.as_str(), o.code.as_deref(), o.class.as_str()), ("Ban Tổ chức Trung ương", Some("BTCTW"), "party-central"));
    }

    #[test]
    fn the_name_ends_where_the_organ_ends() {
        let a = Authority::builtin();
        for (printed, want) in [
            ("Thủ tướng Chính phủ phê duyệt", "Thủ tướng Chính phủ"),
            ("Chính phủ sửa đổi, bổ sung", "Chính phủ"),
            ("Ban Bí thư Trung ương bằng nhiều hình thức", "Ban Bí thư Trung ương"),
            ("UBND tỉnh đảm bảo chính xác", "UBND tỉnh"),
            ("Ủy ban nhân dân huyện Tư Nghĩa về việc", "Ủy ban nhân dân huyện Tư Nghĩa"),
        ] {
            let o = a.normalize_issuer(printed).unwrap();
            assert_eq!(&printed[..o.consumed], want, "{printed}");
        }
        assert_eq!(a.normalize_issuer("UBND tỉnh đảm bảo").unwrap().name, "Ủy ban nhân dân tỉnh");
    }

    #[test]
    fn an_organ_cited_by_its_heads_title_is_the_organ() {
        assert_eq!(name("Bộ trưởng Bộ Tài nguyên và Môi trường").as_deref(), Some("Bộ Tài nguyên và Môi trường"));
        assert_eq!(name("Tổng Thanh tra Chính phủ").as_deref(), Some("Thanh tra Chính phủ"));
        assert_eq!(name("Tổng Liên đoàn Lao động Việt Nam").as_deref(), Some("Tổng Liên đoàn Lao động Việt Nam"));
        assert_eq!(name("Giám đốc Sở Tài chính tỉnh Quảng Ngãi").as_deref(), Some("Sở Tài chính tỉnh Quảng Ngãi"));
    }

    #[test]
    fn merged_provinces_say_what_they_became() {
        let o = Authority::builtin().normalize_issuer("ỦY BAN NHÂN DÂN TỈNH KON TUM").unwrap();
        assert_eq!((o.place.as_deref(), o.merged_into.as_deref()), (Some("Kon Tum"), Some("Quảng Ngãi")));
        let o = Authority::builtin().normalize_issuer("Ủy ban nhân dân thành phố Huế").unwrap();
        assert_eq!((o.place.as_deref(), o.merged_into), (Some("Huế"), None));
    }

    #[test]
    fn text_that_names_no_organ_is_none() {
        assert_eq!(name("QUYẾT ĐỊNH"), None);
        assert_eq!(name(""), None);
        assert_eq!(name("Về việc ban hành quy chế"), None);
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("quang ngal", "quang ngai"));
        assert!(within_one_edit("abc", "abxc"));
        assert!(!within_one_edit("abc", "abc"));
        assert!(!within_one_edit("abcd", "axcx"));
    }
}
