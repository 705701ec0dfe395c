//! Document numbers in repaired text: the Đ of their codes put back, and a number that
//! the printed line broke after its slash or hyphen made one token again.
//!
//! Legacy OCR (Tesseract `eng`) has no Đ: "30/2020/ND-CP", "1710/QD-UBND", "34/NQ-HDND".
//! The language model leaves numbers alone, so without this step the repaired text keeps
//! them so and a reader (or a search for the printed text) sees codes no office prints.
//! The grammar of [`crate::cite::DocId`] knows the official spelling of each code; only
//! that spelling's Đ is taken (and the Quốc hội's term the year gives), so no other digit,
//! letter or case is changed here.

/// The number `core` spelled as the office prints it (`27/2022/ND-CP` → `27/2022/NĐ-CP`),
/// when that differs from `core` only by D written for Đ (or by a damaged Quốc hội term).
/// `None` otherwise: not a number, nothing to restore, or a reading whose other letters
/// the grammar would change.
pub fn official_spelling(core: &str) -> Option<String> {
    let plausible = core.contains(['/', '-']) && core.starts_with(|c: char| c.is_ascii_digit()) && (core.contains(['D', 'd']) || core.contains("QH"));
    if !plausible {
        return None;
    }
    let id = crate::cite::DocId::parse(core)?;
    let official = id.as_str();
    let bars_only = |printed: &str, spelled: &str| {
        let (printed, spelled): (Vec<char>, Vec<char>) = (printed.chars().collect(), spelled.chars().collect());
        printed.len() == spelled.len() && printed.iter().zip(&spelled).all(|(p, s)| p == s || matches!((p, s), ('D', 'Đ') | ('d', 'đ')))
    };
    if core == official {
        return None;
    }
    if bars_only(core, official) {
        return Some(official.to_owned());
    }
    // "31/2024/QHI5S": the Quốc hội's term the grammar read from the year (its digits
    // damaged in print); everything before it as printed, but for the bars.
    let head = official.strip_suffix(|c: char| c.is_ascii_digit())?.strip_suffix(|c: char| c.is_ascii_digit())?;
    let damaged_term = head.ends_with("QH")
        && core.len() > head.len()
        && core.is_char_boundary(head.len())
        && bars_only(&core[..head.len()], head)
        && core[head.len()..].chars().all(|c| c.is_ascii_alphanumeric());
    damaged_term.then(|| official.to_owned())
}

/// A document number the page broke at the end of a line after its slash or hyphen
/// ("Quyết định số 2205/QD-" / "UBND ngày 30/6/2021"), written as one token again: the
/// continuation is moved up to the end of the number's line. Legacy text layers wrap a long number
/// wherever the line ends; the number is one word to a reader, a search and the
/// extraction, and the language model must not read its code ("TU", "TW") as a syllable.
///
/// Lines keep their count (a line that held only the continuation is left empty). Only a
/// head that starts with a digit and ends in `/` or `-` is joined, and only to a
/// continuation that looks like a code (capitals at least as many as small letters:
/// `UBND`, `TT-BTC`, `TTg`), so running words stay where they are.
/// A number spaced within its line ("Số: 215 /KH-SNNPTNT") is left so: offices type the
/// own number so, leaving room for it to be written in, and OCR keeps that space.
/// `None` when nothing is joined.
pub fn join_broken_numbers(text: &str) -> Option<String> {
    if !text.contains(['/', '-']) {
        return None;
    }
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut changed = false;
    for i in 0..lines.len() {
        if i + 1 == lines.len() {
            break;
        }
        let head_ok = lines[i].split_whitespace().last().is_some_and(is_broken_head);
        if !head_ok {
            continue;
        }
        let next = &lines[i + 1];
        let Some(first) = next.split_whitespace().next() else { continue };
        if !is_continuation(first) {
            continue;
        }
        let rest_at = next.find(first).map_or(next.len(), |at| at + first.len());
        let rest = next[rest_at..].trim_start().to_owned();
        let head_line = lines[i].trim_end().to_owned();
        lines[i] = format!("{head_line}{first}");
        lines[i + 1] = rest;
        changed = true;
    }
    changed.then(|| lines.join("\n"))
}

/// The start of a number cut by the line's end: a digit first, a slash or hyphen last,
/// nothing but the letters and digits of codes, `/`, `-` and `.` between (an opening
/// bracket before it is allowed: "(số 587/").
fn is_broken_head(token: &str) -> bool {
    let token = token.trim_start_matches(['(', '[', '"', '“']);
    token.starts_with(|c: char| c.is_ascii_digit()) && token.ends_with(['/', '-']) && token.chars().all(|c| is_code_char(c) || c == '.')
}

/// The rest of a number: a code with a capital in it (`UBND`, `TT-BTC`, `TTg`, `QH15`,
/// `BNN-KH`), maybe followed by the sentence's punctuation. Digits alone ("2025" after
/// "2021-") are not joined: a range or a date the line broke is as often printed spaced.
fn is_continuation(token: &str) -> bool {
    let core = token.trim_end_matches([',', ';', ':', '.', ')', ']', '"', '”']);
    let upper = core.chars().filter(|c| c.is_uppercase()).count();
    let lower = core.chars().filter(|c| c.is_lowercase()).count();
    core.starts_with(|c: char| c.is_ascii_digit() || c.is_ascii_uppercase() || c == 'Đ')
        && core.ends_with(|c: char| c.is_alphanumeric())
        && core.chars().all(is_code_char)
        && upper >= 1
        && upper >= lower
}

/// Letters, digits and joints of document codes: ASCII, and Đ.
fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'Đ' | 'đ' | '/' | '-')
}

#[cfg(test)]
mod tests {
    use super::{join_broken_numbers, official_spelling};

    #[test]
    fn a_number_the_line_end_broke_after_its_slash_or_hyphen_is_one_token_again() {
        let text = "thuc hién Quyét dinh s6 2205/QD-\nUBND ngay 30/6/2021 cua\nThong tu s6 55/2023/\nTT-BTC; va 25-HD/\nBTGTW, ngay";
        assert_eq!(
            join_broken_numbers(text).as_deref(),
            Some("thuc hién Quyét dinh s6 2205/QD-UBND\nngay 30/6/2021 cua\nThong tu s6 55/2023/TT-BTC;\nva 25-HD/BTGTW,\nngay")
        );
        // The lines keep their count: a line that held only the rest of the number is left empty.
        assert_eq!(join_broken_numbers("Quyét dinh 1710/\nQD-UBND\nngay").as_deref(), Some("Quyét dinh 1710/QD-UBND\n\nngay"));
    }

    #[test]
    fn running_words_and_spaced_own_numbers_stay_where_they_are() {
        // A word, not a code, after the break; a dash of a range standing alone.
        assert_eq!(join_broken_numbers("giai doan 2021-\nnam 2025"), None);
        assert_eq!(join_broken_numbers("giai đoạn 2021 -\n2025"), None);
        assert_eq!(join_broken_numbers("giai đoạn 2021-\n2025"), None);
        assert_eq!(join_broken_numbers("số 12/\nNghị định"), None);
        // A code that is not a number's head ("V/v", "UBND-"), and a number not broken.
        assert_eq!(join_broken_numbers("V/\nUBND"), None);
        assert_eq!(join_broken_numbers("số 12/2024/ND-CP\nUBND tỉnh"), None);
        // The own number typed with room to write it in keeps its space.
        assert_eq!(join_broken_numbers("Số: 215 /KH-SNNPTNT\nQuảng Ngãi"), None);
        assert_eq!(join_broken_numbers("no numbers at all"), None);
    }

    #[test]
    fn the_d_of_a_code_that_is_printed_with_a_bar_gets_it_back() {
        assert_eq!(official_spelling("30/2020/ND-CP").as_deref(), Some("30/2020/NĐ-CP"));
        assert_eq!(official_spelling("1710/QD-UBND").as_deref(), Some("1710/QĐ-UBND"));
        assert_eq!(official_spelling("17/2023/NQ-HDND").as_deref(), Some("17/2023/NQ-HĐND"));
        assert_eq!(official_spelling("144-QD/TW").as_deref(), Some("144-QĐ/TW"));
        // The Quốc hội's term, damaged in print, as the year says it.
        assert_eq!(official_spelling("31/2024/QHI5S").as_deref(), Some("31/2024/QH15"));
        assert_eq!(official_spelling("35/2023/UBTVQHIS").as_deref(), Some("35/2023/UBTVQH15"));
    }

    #[test]
    fn nothing_but_the_bar_is_changed() {
        // Already right, or codes with no Đ.
        assert_eq!(official_spelling("30/2020/NĐ-CP"), None);
        assert_eq!(official_spelling("09-HD/BTCTW"), None);
        assert_eq!(official_spelling("126/KH-UBND"), None);
        // A misread letter is the citation's correction to judge, not a spelling: kept.
        assert_eq!(official_spelling("1745/QB-UBND"), None);
        // Not a document number.
        assert_eq!(official_spelling("12/9/2024"), None);
        assert_eq!(official_spelling("Dak-Lak"), None);
    }
}
