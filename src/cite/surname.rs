//! Vietnamese surnames, and the repair of a signer's name whose surname OCR misread
//! ("Xguyến Quốc Việt", "rần Phước Hiên").
//!
//! A name is not in the language model, so text repair cannot fix it; but the first
//! syllable of a Vietnamese full name is nearly always one of a hundred surnames. A first
//! word that cannot be printed as it was read (lower case, or not a Vietnamese syllable at
//! all) and is one letter edit from exactly one surname is taken to be that surname. A word
//! that is a well-formed, capitalized syllable is left alone: it may be a surname this list
//! lacks.

use crate::viet::{fold, Syllable};

/// The common Vietnamese surnames (the "bách gia tính" of the family registers; the
/// most frequent dozen cover nine people in ten). Written from general knowledge, not
/// from any sample page.
const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Đinh", "Lâm", "Mai", "Trịnh", "Trương", "Lương", "Lưu",
    "Hà", "Tô", "Tạ", "Cao", "Châu", "Chu", "Đàm", "Đồng", "Kiều", "Khúc", "La", "Lại", "Lạc",
    "Lò", "Lục", "Mạc", "Nông", "Phùng", "Quách", "Tăng", "Thái", "Thân", "Thạch", "Tiêu", "Tôn",
    "Triệu", "Từ", "Văn", "Vương", "Vi", "Viên", "Ông", "Âu", "Ứng", "Bạch", "Bế", "Cù", "Diệp",
    "Doãn", "Giang", "Giáp", "Hứa", "Hàn", "Khổng", "Khương", "Kim", "Lã", "Lỗ", "Lữ", "Mã",
    "Mẫn", "Nghiêm", "Ninh", "Phí", "Phó", "Quan", "Sầm", "Thiều", "Tiết", "Tống", "Trình", "Ưng",
    "Yên", "Đậu", "Công", "Cấn", "Hầu", "Hạ", "Kha", "Khuất", "Mông", "Nhan", "Ôn", "Phương",
    "Quang", "Trà", "Đường", "Mạnh", "Đới",
];

/// The first `MAJOR` of [`SURNAMES`] are each borne by about one Vietnamese in a hundred or
/// more (Nguyễn to Dương, by the published census-based estimates); the rest are rarer.
const MAJOR: usize = 15;

/// Whether `word` is one of the common surnames (any case, marks as printed).
pub fn is_surname(word: &str) -> bool {
    let lower = word.to_lowercase();
    SURNAMES.iter().any(|s| s.to_lowercase() == lower)
}

/// The surname that `word`, the first word of a name, was misread from, written in the
/// case of the rest of the name (`upper` for a name printed in capitals). `None` when
/// `word` is printable as read, already a surname, or near none or several surnames.
pub fn misread_surname(word: &str, upper: bool) -> Option<String> {
    let lower = word.to_lowercase();
    if lower.is_empty() || !lower.chars().all(char::is_alphabetic) {
        return None;
    }
    let is_surname = |s: &str| s.to_lowercase() == lower;
    if SURNAMES.iter().any(|s| is_surname(s)) {
        return None;
    }
    let capitalized = word.starts_with(char::is_uppercase);
    if capitalized && Syllable::parse(word).is_some() {
        return None;
    }
    let letters = fold(&lower);
    // Two-letter surnames ("Lê", "Hà") are one edit from too much OCR debris: only their
    // accents are restored, never a letter.
    let score = |surname: &str| -> Option<(usize, usize)> {
        let surname = surname.to_lowercase();
        let folded = fold(&surname);
        let letter_edits = edits(&letters, &folded);
        let allowed = if folded.chars().count() < 3 || letters.chars().count() < 3 { 0 } else { 1 };
        (letter_edits <= allowed).then(|| (letter_edits, edits(&lower, &surname)))
    };
    let mut scored: Vec<(usize, usize, &str)> = SURNAMES.iter().filter_map(|s| score(s).map(|(a, b)| (a, b, *s))).collect();
    scored.sort();
    scored.dedup_by_key(|c| c.2);
    let best = scored.first()?;
    let tied: Vec<&str> = scored.iter().filter(|c| (c.0, c.1) == (best.0, best.1)).map(|c| c.2).collect();
    // Between readings equally near, a surname borne by one Vietnamese in a hundred or more
    // outweighs a rare one ten times over ("rắn": Trần rather than Hàn); else unsure.
    let major: Vec<&str> = tied.iter().copied().filter(|s| SURNAMES[..MAJOR].contains(s)).collect();
    let surname = match (tied.as_slice(), major.as_slice()) {
        ([only], _) | (_, [only]) => *only,
        _ => return None,
    };
    Some(if upper { surname.to_uppercase() } else { surname.to_owned() })
}

/// Levenshtein distance in characters (the project's one edit distance, over letters).
fn edits(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    crate::repair::eval::edit_distance(&a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_letter_lost_or_misread_is_restored() {
        assert_eq!(misread_surname("rần", false).as_deref(), Some("Trần"));
        assert_eq!(misread_surname("Xguyến", false).as_deref(), Some("Nguyễn"));
        assert_eq!(misread_surname("guyễn", false).as_deref(), Some("Nguyễn"));
        assert_eq!(misread_surname("âguyên", false).as_deref(), Some("Nguyễn"));
        assert_eq!(misread_surname("PHẠMM", true).as_deref(), Some("PHẠM"));
        // As near to Hàn as to Trần: the far commoner surname is taken.
        assert_eq!(misread_surname("rắn", false).as_deref(), Some("Trần"));
    }

    #[test]
    fn a_word_printable_as_read_is_left_alone() {
        // Surnames, and capitalized syllables that may be surnames the list lacks.
        assert_eq!(misread_surname("Trần", false), None);
        assert_eq!(misread_surname("Vân", false), None);
        assert_eq!(misread_surname("Trán", false), None);
        assert_eq!(misread_surname("Lé", false), None);
    }

    #[test]
    fn a_word_near_no_surname_or_several_is_not_guessed() {
        assert_eq!(misread_surname("xyzabc", false), None);
        // "ưng" could be Ưng or Ứng: both are surnames, one accent apart.
        assert_eq!(misread_surname("ửng", false), None);
        // Short debris is never given letters.
        assert_eq!(misread_surname("e", false), None);
        assert_eq!(misread_surname("a1", false), None);
    }
}
