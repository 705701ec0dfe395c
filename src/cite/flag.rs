//! The doubts about a document's own fields that the reader stores in
//! [`DocumentMeta::flags`](super::DocumentMeta::flags). A clerk reads them on the web page,
//! in `show` and in the review list, so they are Vietnamese; the code that later clears a
//! flag (once other evidence gave the field a value) finds it through these helpers, which
//! also know the English wording of records written by earlier versions.

/// The date line could not be read.
pub const DATE_ILLEGIBLE: &str = "không đọc được ngày ban hành";
/// Beginning of the flag of a number of which only a part could be read.
pub const NUMBER_ILLEGIBLE: &str = "không đọc được số hiệu";
/// Beginning of the flag of a number with a mark glued to it that may stand for a digit.
pub const NUMBER_PARTLY_ILLEGIBLE: &str = "số hiệu chỉ đọc được một phần";
/// The subject was found only in the raw OCR text, whose words a clerk cannot read.
pub const SUBJECT_ILLEGIBLE: &str = "không đọc được trích yếu: chỉ bản OCR thô có trích yếu";

/// "không đọc được số hiệu: chỉ đọc được "39_/TTr-UBND"".
pub fn number_illegible(legible: &str) -> String {
    format!("{NUMBER_ILLEGIBLE}: chỉ đọc được \"{legible}\"")
}

/// "số hiệu chỉ đọc được một phần: "%4/KH~VP"; phần đọc được: 4/KH-VP".
pub fn number_partly_illegible(printed: &str, legible_id: impl std::fmt::Display) -> String {
    format!("{NUMBER_PARTLY_ILLEGIBLE}: \"{printed}\"; phần đọc được: {legible_id}")
}

/// The signer's name is kept as OCR read it, because repair changed its letters.
pub fn signer_as_read(repaired: &str) -> String {
    format!("tên người ký giữ như OCR đọc; nếu sửa lỗi sẽ thành \"{repaired}\"")
}

/// The signer's surname was misread by OCR and repaired: the printed reading is kept here.
pub fn signer_surname_repaired(printed: &str) -> String {
    format!("họ người ký đã sửa từ bản OCR \"{printed}\"")
}

/// Beginning of the flag of a signature block whose capacity was read but no name under it.
pub const SIGNER_ILLEGIBLE: &str = "không đọc được tên người ký";

/// "không đọc được tên người ký: dòng dưới chức vụ đọc là “ÁNH VĂN PHÒNG”" (the line that
/// stood where the name should be, when there was one), or the bare sentence.
pub fn signer_illegible(read_instead: Option<&str>) -> String {
    match read_instead {
        Some(read) => format!("{SIGNER_ILLEGIBLE}: dòng dưới chức vụ đọc là “{read}”, không phải tên người"),
        None => SIGNER_ILLEGIBLE.to_owned(),
    }
}

/// Beginning of the flag of a signer's name stored but not sure.
pub const SIGNER_UNSURE: &str = "tên người ký chưa chắc";

/// "tên người ký chưa chắc (chỉ đọc được ở lần đọc lại vùng chữ ký; “Hiên” ít gặp trong
/// tên người): OCR đọc “Trần Phước Hiên”; có thể là “Trần Phước Hiền”, “Trần Phước Hiên”":
/// why, what OCR read, and the candidates, the stored one first.
pub fn signer_unsure(reasons: &[String], read: &str, candidates: &[String]) -> String {
    let quoted: Vec<String> = candidates.iter().map(|c| format!("“{c}”")).collect();
    format!("{SIGNER_UNSURE} ({}): OCR đọc “{read}”; có thể là {}", reasons.join("; "), quoted.join(", "))
}

/// The kind of a flag about the signer's name, so that two readings of one page (repaired
/// and raw) give one flag of each kind: `Some("surname")`, `Some("illegible")`,
/// `Some("unsure")`, or `None`.
pub fn signer_flag_kind(flag: &str) -> Option<&'static str> {
    if flag.starts_with("họ người ký đã sửa từ bản OCR") {
        Some("surname")
    } else if flag.starts_with(SIGNER_ILLEGIBLE) {
        Some("illegible")
    } else if flag.starts_with(SIGNER_UNSURE) {
        Some("unsure")
    } else {
        None
    }
}

/// Whether `flag` says the date could not be read (in this or an earlier version's words).
pub fn is_date_illegible(flag: &str) -> bool {
    flag == DATE_ILLEGIBLE || flag == "date illegible"
}

/// Whether `flag` says the own number could not be read, wholly or in part.
pub fn is_number_illegible(flag: &str) -> bool {
    flag.starts_with(NUMBER_ILLEGIBLE)
        || flag.starts_with(NUMBER_PARTLY_ILLEGIBLE)
        || flag.starts_with("number illegible")
        || flag.starts_with("number partly illegible")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_of_earlier_records_are_still_recognized() {
        assert!(is_date_illegible("date illegible"));
        assert!(is_date_illegible(DATE_ILLEGIBLE));
        assert!(is_number_illegible("number illegible: only \"39_\" could be read"));
        assert!(is_number_illegible(&number_illegible("39_/TTr-UBND")));
        assert!(is_number_illegible(&number_partly_illegible("%4/KH~VP", "4/KH-VP")));
        assert!(!is_number_illegible(DATE_ILLEGIBLE));
    }

    #[test]
    fn signer_flags_are_told_by_kind() {
        assert_eq!(signer_flag_kind(&signer_surname_repaired("rần Phước Hiên")), Some("surname"));
        assert_eq!(signer_flag_kind(&signer_illegible(Some("ÁNH VĂN PHÒNG"))), Some("illegible"));
        assert_eq!(signer_flag_kind(&signer_illegible(None)), Some("illegible"));
        let unsure = signer_unsure(&["chữ đọc không chắc".to_owned()], "Trần Phước Hiên", &["Trần Phước Hiền".to_owned(), "Trần Phước Hiên".to_owned()]);
        assert_eq!(signer_flag_kind(&unsure), Some("unsure"));
        assert!(unsure.contains("“Trần Phước Hiền”, “Trần Phước Hiên”"), "{unsure}");
        assert_eq!(signer_flag_kind(DATE_ILLEGIBLE), None);
        assert_eq!(signer_flag_kind(&signer_as_read("Lỗ Hổng Sơn")), None);
    }

    #[test]
    fn a_number_flag_folds_to_what_the_review_list_and_eval_look_for() {
        // `eval scans` and the review list recognize a number flag by "so hieu" once folded.
        for flag in [number_illegible("39_"), number_partly_illegible("%4", "4/KH-VP")] {
            assert!(crate::viet::fold(&flag).to_lowercase().contains("so hieu"), "{flag}");
        }
    }
}
