//! Document numbers in repaired text: the Đ of their codes put back.
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

#[cfg(test)]
mod tests {
    use super::official_spelling;

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
