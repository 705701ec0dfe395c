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

/// Syllables common in Vietnamese middle and given names (the names of the civil
/// registers' most frequent lists), written from general knowledge, not from any sample
/// page. A syllable of a name that is not among them but is among them with another tone
/// mark ("Hiên" for Hiền, "Tuân" for Tuấn) was likely misread: OCR drops and swaps tone
/// marks most where a seal's ink or a signature's stroke crosses the name.
const GIVEN_NAMES: &[&str] = &[
    "An", "Anh", "Ánh", "Bảo", "Bích", "Bình", "Cảnh", "Châu", "Chi", "Chí", "Chiến", "Chinh", "Chính", "Công",
    "Cúc", "Cường", "Danh", "Diệp", "Diệu", "Dũng", "Duy", "Duyên", "Dương", "Đại", "Đạo", "Đạt", "Điệp", "Định", "Đông",
    "Đức", "Gia", "Giang", "Hà", "Hải", "Hạnh", "Hào", "Hảo", "Hằng", "Hân", "Hậu", "Hiền", "Hiển", "Hiến", "Hiệp",
    "Hiếu", "Hoa", "Hòa", "Hóa", "Hoài", "Hoan", "Hoàn", "Hoàng", "Hội", "Hồng", "Huân", "Huệ", "Hùng", "Hưng", "Hương",
    "Hường", "Hữu", "Huy", "Huyền", "Khải", "Khang", "Khanh", "Khánh", "Khoa", "Khôi", "Kiên", "Kiệt", "Kim", "Lam",
    "Lan", "Lâm", "Lệ", "Liên", "Liêm", "Linh", "Loan", "Lộc", "Lợi", "Long", "Luân", "Lực", "Lương", "Ly", "Mai", "Mạnh",
    "Minh", "My", "Mỹ", "Nam", "Nga", "Ngân", "Nghĩa", "Ngọc", "Nguyên", "Nhân", "Nhật", "Nhi", "Nhung", "Ninh", "Oanh",
    "Phát", "Phong", "Phú", "Phúc", "Phụng", "Phước", "Phương", "Phượng", "Quân", "Quang", "Quế", "Quốc", "Quý", "Quyên",
    "Quyết", "Quỳnh", "Sang", "Sáu", "Sơn", "Sỹ", "Sĩ", "Tài", "Tâm", "Tân", "Tấn", "Thắm", "Thắng", "Thanh", "Thành",
    "Thảo", "Thi", "Thị", "Thiện", "Thịnh", "Thoa", "Thông", "Thu", "Thuận", "Thủy", "Thúy", "Thư", "Thương", "Tiến",
    "Tín", "Tình", "Toàn", "Trà", "Trang", "Trí", "Triết", "Trinh", "Trọng", "Trung", "Trường", "Tú", "Tuấn", "Tùng",
    "Tuyết", "Tư", "Tường", "Uyên", "Vân", "Văn", "Vi", "Việt", "Vinh", "Vĩnh", "Võ", "Vũ", "Vương", "Vy", "Xuân", "Yến",
];

/// Whether `word` is a common syllable of given or middle names (any case).
pub fn is_given_name(word: &str) -> bool {
    same_syllable_in(word, GIVEN_NAMES).is_some() || is_surname(word)
}

fn same_syllable_in<'a>(word: &str, list: &[&'a str]) -> Option<&'a str> {
    let read = Syllable::parse(word)?;
    list.iter().copied().find(|n| Syllable::parse(n).as_ref() == Some(&read))
}

/// The common name syllables `word` may stand for with another tone mark, written in its
/// case, when `word` itself is none of them ("Hiên" → ["Hiền", "Hiển", "Hiến"]); empty when
/// `word` is a common name syllable or near none. `surname`: the first word of a name,
/// weighed against the surnames instead.
pub fn tone_doubts(word: &str, surname: bool) -> Vec<String> {
    let Some(read) = Syllable::parse(word) else { return Vec::new() };
    let known = |n: &str| if surname { is_surname(n) } else { is_given_name(n) };
    if known(word) {
        return Vec::new();
    }
    let list: Vec<&str> = if surname { SURNAMES.to_vec() } else { GIVEN_NAMES.iter().chain(SURNAMES).copied().collect() };
    let casing = crate::viet::Casing::of(word);
    let mut doubts: Vec<String> = list
        .iter()
        .filter_map(|n| Syllable::parse(n).filter(|s| s.onset == read.onset && s.rhyme == read.rhyme).map(|_| casing.apply(&n.to_lowercase())))
        .collect();
    doubts.dedup();
    doubts
}

/// Surnames one letter from `word` (two for words and surnames of five letters or more,
/// marks aside), in [`SURNAMES`] order: what a first word
/// read unsure may stand for ("Tấn" → Trần, Tạ, Tăng, Thân …), and the one to prefer when
/// it alone is borne by one Vietnamese in a hundred or more (see [`misread_surname`]).
/// Empty for a surname.
pub fn near_surnames(word: &str) -> (Vec<String>, Option<String>) {
    if is_surname(word) || word.chars().count() < 2 {
        return (Vec::new(), None);
    }
    let letters = fold(&word.to_lowercase());
    let upper = !word.chars().any(char::is_lowercase);
    // A long word may have lost two letters to a stroke across it ("Xuyên" for Nguyễn).
    let allowed = |s: &str| if letters.chars().count() >= 5 && fold(s).chars().count() >= 5 { 2 } else { 1 };
    let near: Vec<&str> = SURNAMES.iter().copied().filter(|s| edits(&letters, &fold(&s.to_lowercase())) <= allowed(s)).collect();
    // As in [`misread_surname`], letters are never given to short words or short surnames.
    let long = |s: &str| letters.chars().count() >= 3 && fold(s).chars().count() >= 3;
    let major: Vec<&str> = near.iter().copied().filter(|s| SURNAMES[..MAJOR].contains(s) && long(s)).collect();
    let write = |s: &str| if upper { s.to_uppercase() } else { s.to_owned() };
    (near.iter().map(|s| write(s)).collect(), (major.len() == 1).then(|| write(major[0])))
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
    fn a_name_syllable_that_is_rare_as_read_and_common_with_another_tone_is_doubted() {
        assert_eq!(tone_doubts("Hiên", false), ["Hiền", "Hiển", "Hiến"]);
        assert_eq!(tone_doubts("Tuân", false), ["Tuấn"]);
        assert_eq!(tone_doubts("TUÂN", false), ["TUẤN"]);
        // Common as read: no doubt, whatever else it could be.
        assert!(tone_doubts("Hiền", false).is_empty());
        assert!(tone_doubts("Minh", false).is_empty());
        // Near no common name with any tone: nothing to offer.
        assert!(tone_doubts("Khuyến", false).is_empty());
        assert!(tone_doubts("xyz", false).is_empty());
        // A surname is weighed against the surnames.
        assert_eq!(tone_doubts("Trân", true), ["Trần"]);
        assert!(tone_doubts("Trần", true).is_empty());
    }

    #[test]
    fn a_first_word_read_unsure_is_offered_the_surnames_one_letter_away() {
        let (near, preferred) = near_surnames("Tấn");
        assert_eq!(preferred.as_deref(), Some("Trần"), "{near:?}");
        assert!(near.contains(&"Tăng".to_owned()) && near.contains(&"Thân".to_owned()), "{near:?}");
        assert_eq!(near_surnames("TẤN").1.as_deref(), Some("TRẦN"));
        assert_eq!(near_surnames("Xuyên").1.as_deref(), Some("Nguyễn"));
        assert_eq!(near_surnames("Trần"), (Vec::new(), None));
        assert_eq!(near_surnames("x"), (Vec::new(), None));
        // Short words are offered surnames but given none.
        assert_eq!(near_surnames("Lú").1, None);
        assert!(near_surnames("Lú").0.contains(&"Lê".to_owned()));
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
