//! Subject: whether the subject read after a cited number reads as Vietnamese.
//!
//! A subject is the words of the clause after the number ("về việc điều chỉnh dự toán …").
//! On a damaged scan those words may be OCR garbage ("việc phân khat.iih phí mua xe"): a
//! clerk reading the export should not take that for the cited document's subject. A subject
//! whose words are not well-formed Vietnamese syllables often enough is left empty and the
//! citation names "subject" in [`Citation::review`]; the sentence stays in its context.

use super::Citation;
use crate::viet::Syllable;

/// Share of a subject's words that may fail to be syllables and the subject still be kept
/// (flagged): one word in twenty, and always one (a foreign word, "online", one OCR slip).
const MAX_INVALID_SHARE: f64 = 0.05;

/// Empties a subject that does not read as Vietnamese and flags it for review; flags a
/// kept subject with a word that is no syllable.
pub fn check(citation: &mut Citation) {
    let Some(subject) = citation.subject.as_deref() else { return };
    let (valid, total) = syllable_share(subject);
    if valid == total {
        return;
    }
    let allowed = ((total as f64 * MAX_INVALID_SHARE).floor() as usize).max(1);
    if total - valid > allowed {
        citation.subject = None;
    }
    if !citation.review.iter().any(|f| f == "subject") {
        citation.review.push("subject".to_owned());
    }
}

/// (well-formed, counted) words of `text`. Counted: each run of letters with a lower-case
/// letter in it (split at any mark inside a word, "khat.iih" is two); numbers,
/// abbreviations in capitals ("TTATXH", "IUU") and capitalized words without Vietnamese
/// letters (names from other languages: "Covid", "Internet") are not judged.
pub fn syllable_share(text: &str) -> (usize, usize) {
    let mut valid = 0;
    let mut total = 0;
    for piece in text.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
        if piece.chars().any(|c| c.is_ascii_digit()) {
            // A letter glued to digits ("l5", "IHa2") is OCR damage, not a word.
            if piece.chars().any(char::is_lowercase) {
                total += 1;
            }
            continue;
        }
        if !piece.chars().any(char::is_lowercase) || (piece.starts_with(char::is_uppercase) && piece.is_ascii()) {
            continue;
        }
        total += 1;
        valid += Syllable::parse(piece).is_some() as usize;
    }
    (valid, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(subject: &str) -> Citation {
        let mut c = Citation { subject: Some(subject.to_owned()), ..Citation::default() };
        check(&mut c);
        c
    }

    #[test]
    fn a_vietnamese_subject_is_kept_unflagged() {
        let c = checked("việc điều chỉnh dự toán chi ngân sách năm 2024 đối với Sở Xây dựng (TTATXH)");
        assert_eq!(c.subject.as_deref(), Some("việc điều chỉnh dự toán chi ngân sách năm 2024 đối với Sở Xây dựng (TTATXH)"));
        assert!(c.review.is_empty());
    }

    #[test]
    fn ocr_garbage_is_no_subject_and_is_flagged() {
        let c = checked("việc phân khat.iih phí mua xe ô tô phục vụ công tác chung trên địa bàn tỉnh năm 2024");
        assert_eq!((c.subject, c.review), (None, vec!["subject".to_owned()]));
        let c = checked("Iiưe tlıực lıiện");
        assert_eq!(c.subject, None);
    }

    #[test]
    fn one_broken_word_is_kept_but_flagged() {
        for kept in ["triển khai dịch vụ công trực tuyến và thanh toán online", "phòng, chống dịch Covid-19 trên địa bàn tỉnh hiẹn nay"] {
            let c = checked(kept);
            assert_eq!(c.subject.as_deref(), Some(kept));
            assert_eq!(c.review, ["subject"], "{kept}");
        }
        assert!(checked("phòng, chống dịch Covid-19").review.is_empty());
    }
}
