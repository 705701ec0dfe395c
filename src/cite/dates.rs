//! Dates as Vietnamese documents print them: "ngày 14/7/2015", "ngày 19 tháng 6 năm 2015",
//! "ngày 28-03-2024", read from the token stream (so OCR's "ngay 19 thang 6 nam 2015" too).

use super::clean::Cleaned;
use super::tokenize::{Kind, Token};

/// A date found after the word "ngày".
pub struct FoundDate {
    /// ISO YYYY-MM-DD.
    pub iso: String,
    /// Index of the first token after the date.
    pub next_token: usize,
}

/// Reads "ngày D/M/Y" or "ngày D tháng M năm Y" starting at token `at` (the word "ngày").
pub fn date_at(cleaned: &Cleaned, tokens: &[Token], at: usize) -> Option<FoundDate> {
    let word = |i: usize| tokens.get(i).filter(|t| t.is_word()).map(|t| cleaned.folded(t.start as usize, t.end as usize));
    let garbled = is_misread_ngay(word(at)?);
    if !garbled && !matches!(word(at)?, "ngay" | "ngáy" | "ngày") {
        return None;
    }
    let mut day_at = next_word(tokens, at + 1, 2)?;
    let mut day = small_number(word(day_at)?)?;
    // Numeric form: D/M/Y, D-M-Y, D.M.Y, separators glued or with a space beside them as a
    // typewriter or OCR leaves it ("24 /7/ 1993").
    let spaced = |i: usize| if tokens.get(i).is_some_and(|t| t.kind == Kind::Space) { i + 1 } else { i };
    // OCR reads a date's slash as a fraction or division slash too ("13⁄11⁄2024", "30/ 7⁄2024").
    let separator = |i: usize| tokens.get(i).and_then(|t| match t.kind {
        Kind::Punct('⁄' | '∕' | '／') => Some('/'),
        Kind::Punct(c @ ('/' | '-' | '.')) => Some(c),
        _ => None,
    });
    // "ngày 1 9/6/2015": OCR split the day's two digits with a space (as the month's below);
    // read so only where the digit alone would leave no date at all.
    let one_digit = |i: usize| word(i).is_some_and(|w| w.len() == 1 && w.bytes().all(|b| b.is_ascii_digit()));
    if one_digit(day_at) && tokens.get(day_at + 1).is_some_and(|t| t.kind == Kind::Space) && one_digit(day_at + 2) && separator(day_at + 3).is_some() {
        day = small_number(&format!("{}{}", word(day_at)?, word(day_at + 2)?))?;
        day_at += 2;
    }
    let sep_at = spaced(day_at + 1);
    if let Some(sep) = separator(sep_at) {
        let month_at = spaced(sep_at + 1);
        let mut month = small_number(word(month_at)?)?;
        let mut month_end = month_at;
        // "24/1 1/2017": OCR split the month's two digits with a space.
        if tokens.get(month_at + 1).is_some_and(|t| t.kind == Kind::Space) && separator(month_at + 3) == Some(sep) {
            let joined = format!("{}{}", word(month_at)?, word(month_at + 2)?);
            month = small_number(&joined)?;
            month_end = month_at + 2;
        }
        let second_sep = spaced(month_end + 1);
        if separator(second_sep) != Some(sep) {
            return None;
        }
        let mut year_at = spaced(second_sep + 1);
        let printed_year = word(year_at)?;
        // "19/6/201 5": the year's last digit split off by a space.
        let year = if printed_year.len() == 3 && tokens.get(year_at + 1).is_some_and(|t| t.kind == Kind::Space) && one_digit(year_at + 2) {
            let joined = format!("{printed_year}{}", word(year_at + 2)?);
            year_at += 2;
            year_number(&joined)?
        } else {
            year_number(printed_year)?
        };
        return Some(FoundDate { iso: iso(year, month, day)?, next_token: year_at + 1 });
    }
    // Words: D tháng M năm Y. (Not after a misread "ngày": there only the numeric form,
    // whose shape alone says it is a date.)
    if garbled {
        return None;
    }
    let thang_at = next_word(tokens, day_at + 1, 2)?;
    if !is_month_word(word(thang_at)?) {
        return None;
    }
    let month_at = next_word(tokens, thang_at + 1, 2)?;
    let month = small_number(word(month_at)?)?;
    let nam_at = next_word(tokens, month_at + 1, 2)?;
    if !matches!(word(nam_at)?, "nam" | "nim" | "narn") {
        return None;
    }
    let year_at = next_word(tokens, nam_at + 1, 2)?;
    let year = year_number(word(year_at)?)?;
    Some(FoundDate { iso: iso(year, month, day)?, next_token: year_at + 1 })
}

/// The year of a date OCR garbled past reading, right after a citation: "ngày 19/201 5",
/// "ngày 1 26/2015", "ngày Ì 2/6/2015" (the day and month lost, the year whole once spaces
/// are dropped). `after`: the text following the citation. `None` when no "ngày" (or a
/// misread one) opens it, or no year of 1900–2100 stands in the next few characters.
pub fn garbled_date_year(after: &str) -> Option<u16> {
    let rest = after.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    let (word, tail) = rest.split_once(char::is_whitespace)?;
    let folded = crate::viet::fold(word).to_lowercase();
    if folded != "ngay" && !is_misread_ngay(&folded) {
        return None;
    }
    // The date's own characters: up to the clause's end, at most 16 of them.
    let span: String = tail.chars().take_while(|c| !matches!(c, ';' | ',' | '\n')).take(16).filter(|c| !c.is_whitespace()).collect();
    let digits: Vec<char> = span.chars().collect();
    (0..digits.len().saturating_sub(3)).rev().find_map(|i| {
        let run: String = digits[i..i + 4].iter().collect();
        let bounded = digits.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (bounded && run.chars().all(|c| c.is_ascii_digit())).then(|| run.parse::<u16>().ok()).flatten().filter(|y| (1900..=2100).contains(y))
    })
}

/// "nsày", "nqày", "ngàv": the word "ngày" with one letter misread by OCR (folded), the g as a
/// letter of like shape or the y as v. Taken for "ngày" only before a numeric date
/// ([`date_at`]): no Vietnamese word is spelled so.
pub fn is_misread_ngay(folded: &str) -> bool {
    match folded.as_bytes() {
        [b'n', g, b'a', b'y'] => matches!(g, b's' | b'q' | b'p' | b'j' | b'y' | b'9'),
        [b'n', b'g', b'a', b'v'] => true,
        _ => false,
    }
}

/// The next word token at or after `at`, skipping only blanks (at most `max_blanks` tokens).
pub fn next_word(tokens: &[Token], at: usize, max_blanks: usize) -> Option<usize> {
    let mut index = at;
    while tokens.get(index)?.is_blank() {
        index += 1;
        if index - at > max_blanks {
            return None;
        }
    }
    tokens[index].is_word().then_some(index)
}

/// "tháng" and its OCR forms ("thang", "thing", "thảng").
fn is_month_word(folded: &str) -> bool {
    folded.starts_with("th") && folded.len() <= 6 && folded.ends_with("ng")
}

fn small_number(folded: &str) -> Option<u32> {
    if folded.len() > 2 {
        return None;
    }
    ocr_digits(folded)?.parse().ok()
}

fn year_number(folded: &str) -> Option<u32> {
    if folded.len() != 4 {
        return None;
    }
    ocr_digits(folded)?.parse().ok().filter(|y| (1900..=2100).contains(y))
}

/// The digits of a day, month or year with OCR's letters for digits put back ("I8" → 18,
/// "l5" → 15, "I999" → 1999, "2O24" → 2024): a letter counts only beside a real digit, so
/// a word stays a word.
fn ocr_digits(folded: &str) -> Option<String> {
    if !folded.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    folded
        .chars()
        .map(|c| match c {
            '0'..='9' => Some(c),
            'i' | 'l' => Some('1'),
            'o' => Some('0'),
            _ => None,
        })
        .collect()
}

fn iso(year: u32, month: u32, day: u32) -> Option<String> {
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month).contains(&day).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Parses a date written alone ("14/7/2015", "2015-07-14", "19 tháng 6 năm 2015") into ISO;
/// used for front-matter labels.
pub fn parse_loose(text: &str) -> Option<String> {
    let digits: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    match digits[..] {
        [y, m, d] if y > 31 => iso(y, m, d),
        [d, m, y] => iso(y, m, d),
        _ => None,
    }
}

/// The date of a number that carries its year ("66/2021/NĐ-CP ngày 06/7/2091"): a document
/// is dated in the year of its number, so a date whose year is one digit from that year
/// (an OCR slip, 2 read 9) is dated in that year. `None` when the date is in the number's
/// year already, or its year is further off (then it is no slip of one digit, and the
/// number itself may be the misread one).
pub fn in_number_year(iso_date: &str, number_year: u16) -> Option<String> {
    let (year, rest) = iso_date.split_at_checked(4)?;
    let want = format!("{number_year:04}");
    let differing = year.bytes().zip(want.bytes()).filter(|(a, b)| a != b).count();
    (differing == 1 && rest.starts_with('-')).then(|| format!("{want}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::tokenize::tokenize;

    fn date(text: &str) -> Option<String> {
        let cleaned = Cleaned::new(text);
        let tokens = tokenize(&cleaned);
        date_at(&cleaned, &tokens, 0).map(|d| d.iso)
    }

    #[test]
    fn both_printed_forms_read_as_iso() {
        assert_eq!(date("ngày 14/7/2015").as_deref(), Some("2015-07-14"));
        assert_eq!(date("ngày 19 tháng 6 năm 2015").as_deref(), Some("2015-06-19"));
        // OCR's fraction slash for a date's slash.
        assert_eq!(date("ngày 13⁄11⁄2024").as_deref(), Some("2024-11-13"));
        assert_eq!(date("ngày 30/ 7⁄2024").as_deref(), Some("2024-07-30"));
        assert_eq!(date("ngay 28-03-2024").as_deref(), Some("2024-03-28"));
        assert_eq!(date("ngay 19 thang 6\nnam 2015").as_deref(), Some("2015-06-19"));
        assert_eq!(date("ngày 01 tháng 01 năm 2026").as_deref(), Some("2026-01-01"));
        // A typewriter's spaces beside the slashes.
        assert_eq!(date("ngày 24 /7/ 1993").as_deref(), Some("1993-07-24"));
        assert_eq!(date("ngày 24 / 7 / 1993").as_deref(), Some("1993-07-24"));
    }

    #[test]
    fn ocr_letters_for_digits_are_read_beside_real_digits() {
        assert_eq!(date("ngày I8 tháng 9 năm 1986").as_deref(), Some("1986-09-18"));
        assert_eq!(date("ngày 18 tháng 01 năm I999").as_deref(), Some("1999-01-18"));
        assert_eq!(date("ngày l5/O4/2O24").as_deref(), Some("2024-04-15"));
        assert_eq!(date("ngày 24/1 1/2017").as_deref(), Some("2017-11-24"));
        assert_eq!(date("ngày 24/1 3/2017"), None);
        // The day's or the year's digits split by a space.
        assert_eq!(date("ngày 1 9/6/2015").as_deref(), Some("2015-06-19"));
        assert_eq!(date("ngày 3 1/08/2015").as_deref(), Some("2015-08-31"));
        assert_eq!(date("ngày 19/6/201 5").as_deref(), Some("2015-06-19"));
        assert_eq!(date("ngày 4 5/6/2015"), None);
        // "ngày" misread ("nsày"), before a numeric date only.
        assert_eq!(date("nsày 23/11⁄2024").as_deref(), Some("2024-11-23"));
        assert_eq!(date("nqày 5/3/2020").as_deref(), Some("2020-03-05"));
        assert_eq!(date("nsày 19 tháng 6 năm 2015"), None);
        assert_eq!(date("này 23/11/2024"), None);
        // OCR's "]" or "|" for a 1 glued to a digit, where the date can be read one way only.
        assert_eq!(date("ngày 2 tháng 1] năm 2010").as_deref(), Some("2010-11-02"));
        assert_eq!(date("ngày ]8 tháng 9 năm 2024").as_deref(), Some("2024-09-18"));
        assert_eq!(date("ngày |5/3/2024").as_deref(), Some("2024-03-15"));
        assert_eq!(date("ngày 2 tháng 2] năm 2010"), None);
        // A word is not a number: "ngày lo tháng …" has no day.
        assert_eq!(date("ngày lo tháng 4 năm 2024"), None);
    }

    #[test]
    fn the_year_of_a_garbled_date_after_a_citation() {
        assert_eq!(garbled_date_year(" ngày 19/201 5; Luật sửa"), Some(2015));
        assert_eq!(garbled_date_year(" ngày 1 26/2015; Luật"), Some(2015));
        assert_eq!(garbled_date_year(" ngày Ì 2/6/2015;"), Some(2015));
        assert_eq!(garbled_date_year(" của Quốc hội ngày 19/6/2015"), None);
        assert_eq!(garbled_date_year(" ngày 19/6; năm 2015"), None);
        assert_eq!(garbled_date_year(" ngày 12345/2015"), Some(2015));
        assert_eq!(garbled_date_year(" ngày 120156"), None);
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(date("ngày 31/2/2015"), None);
        assert_eq!(date("ngày 0§ tháng 4 năm 2024"), None);
        assert_eq!(date("ngày 12/13/2015"), None);
    }

    #[test]
    fn loose_label_dates() {
        assert_eq!(parse_loose("15/06/2026").as_deref(), Some("2026-06-15"));
        assert_eq!(parse_loose("2026-06-15").as_deref(), Some("2026-06-15"));
        assert_eq!(parse_loose("19 tháng 6 năm 2015").as_deref(), Some("2015-06-19"));
    }

    #[test]
    fn a_cited_date_one_digit_from_its_numbers_year_is_in_that_year() {
        assert_eq!(in_number_year("2091-07-06", 2021).as_deref(), Some("2021-07-06"));
        assert_eq!(in_number_year("2013-12-03", 2018).as_deref(), Some("2018-12-03"));
        // In its year already, or two digits off: left as read.
        assert_eq!(in_number_year("2021-07-06", 2021), None);
        assert_eq!(in_number_year("1991-07-06", 2021), None);
        assert_eq!(in_number_year("20", 2021), None);
    }
}
