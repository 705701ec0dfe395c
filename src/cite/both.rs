//! Extraction over a page's two texts: the repaired text (what the record shows) and the raw
//! OCR text it came from. Each citation found in the repaired text gets its position in the
//! raw text too, so that a clerk can find it on the scan's own text layer; and a citation that
//! only the raw text yields (a number the repair changed) is kept rather than lost.
//!
//! Repair keeps the line structure, so the same citation stands on the same page and line in
//! both texts; that is what pairs them.

use super::{extract_with, resolve, Citation, Extraction, OcrSpan};
use crate::authority::Authority;

/// How many lines apart two readings of one citation may stand (repair may re-wrap a line).
const MAX_LINE_DRIFT: u32 = 2;

/// A raw law name is the repaired one damaged by OCR when at most one letter in this many
/// differs (Tesseract eng misreads a few accented vowels of a name, not its words).
const MAX_DAMAGED_SHARE_OF_NAME: usize = 3;

/// Extracts from `repaired`, with positions in `raw` as [`Citation::ocr`]. A citation found
/// only in `raw` is added with its span (`raw`, `start`, `end`) in the raw text, which its
/// `ocr` span repeats; page and line are the same in both texts.
pub fn extract_both(repaired: &str, raw: &str) -> Extraction {
    extract_both_with(repaired, raw, Authority::builtin())
}

/// [`extract_both`] against `authority` (see [`super::extract_with`]).
pub fn extract_both_with(repaired: &str, raw: &str, authority: &Authority) -> Extraction {
    let mut from_repaired = extract_with(repaired, authority);
    let from_raw = extract_with(raw, authority);
    let mut used = vec![false; from_raw.citations.len()];
    for citation in &mut from_repaired.citations {
        let key = resolve::key(citation);
        let best = from_raw
            .citations
            .iter()
            .enumerate()
            .filter(|(i, r)| !used[*i] && r.page == citation.page && r.line.abs_diff(citation.line) <= MAX_LINE_DRIFT && resolve::key(r) == key)
            .min_by_key(|(_, r)| r.line.abs_diff(citation.line));
        if let Some((i, r)) = best {
            used[i] = true;
            citation.ocr = Some(span_of(r));
        }
    }
    // "09-HD/BTICTW" corrected to 09-HD/BTCTW in the repaired text, left as printed in the
    // raw one (the sentence around it read less well there): one citation, the raw reading
    // its OCR position, not a second document.
    for citation in &mut from_repaired.citations {
        let Some(printed) = citation.correction.as_ref().filter(|_| citation.ocr.is_none()).map(|k| k.printed.as_str()) else { continue };
        let same = from_raw.citations.iter().enumerate().find(|(i, r)| {
            !used[*i] && r.page == citation.page && r.line.abs_diff(citation.line) <= MAX_LINE_DRIFT && r.id.as_ref().is_some_and(|id| id.as_str() == printed)
        });
        if let Some((i, r)) = same {
            used[i] = true;
            citation.ocr = Some(span_of(r));
        }
    }
    // A number the repaired text holds damaged beyond repair (it cannot exist) gives way to
    // the raw reading of the same place when that one can exist: repair changed it.
    for citation in &mut from_repaired.citations {
        if citation.ocr.is_some() || !citation.id.as_ref().is_some_and(|id| authority.is_possible(id).is_impossible()) {
            continue;
        }
        let same_place = from_raw.citations.iter().enumerate().find(|(i, r)| {
            !used[*i] && r.page == citation.page && r.line.abs_diff(citation.line) <= MAX_LINE_DRIFT && r.id.as_ref().is_some_and(|id| !authority.is_possible(id).is_impossible())
        });
        if let Some((i, r)) = same_place {
            used[i] = true;
            let context = std::mem::take(&mut citation.context);
            *citation = Citation { ocr: Some(span_of(r)), context, ..r.clone() };
        }
    }
    let known: std::collections::HashSet<String> = from_repaired.citations.iter().map(resolve::key).collect();
    pair_damaged_law_names(&mut from_repaired.citations, &from_raw.citations, &known, &mut used);
    let raw_only: Vec<Citation> = from_raw
        .citations
        .iter()
        .enumerate()
        .filter(|(i, r)| !used[*i] && !known.contains(&resolve::key(r)))
        .map(|(_, r)| r)
        .map(|r| Citation { ocr: Some(span_of(r)), ..r.clone() })
        .collect();
    from_repaired.citations.extend(raw_only);
    from_repaired.citations.sort_by_key(|c| (c.page, c.line, c.start));
    keep_ocr_letters_of_names(&mut from_repaired.document, &from_raw.document);
    fill_missing(&mut from_repaired.document, from_raw.document, repaired, raw);
    from_repaired
}

/// A person's name is not in the language model, so a repair that changed its letters (not
/// only its accents: "Lé Hong Son" → "Lỗ Hổng Sơn") guessed; the letters OCR read are kept.
fn keep_ocr_letters_of_names(doc: &mut super::DocumentMeta, raw: &super::DocumentMeta) {
    let letters = |name: &str| crate::viet::fold(name).to_lowercase();
    if let (Some(repaired), Some(read)) = (&doc.signer, &raw.signer) {
        if letters(repaired) != letters(read) {
            doc.flags.push(super::flag::signer_as_read(repaired));
            doc.signer = Some(read.clone());
        }
    }
}

/// A law cited by name whose name OCR damaged ("Luật Tổ chức chính quyền địa phương" read
/// "Luật Te chtc chinh quyen dia phuong") and repair restored is one citation read two ways,
/// not two laws: a name only the raw reading gives, standing where a repaired law-name
/// citation stands (the same page line, or an overlapping span) and differing from it by a
/// few letters only, is paired with it as its raw position. Each repaired name takes at most
/// one raw name, the nearest in letters, so two laws on one line stay two.
fn pair_damaged_law_names(repaired: &mut [Citation], raw: &[Citation], known: &std::collections::HashSet<String>, used: &mut [bool]) {
    for (i, r) in raw.iter().enumerate() {
        if used[i] || r.id.is_some() || r.name.is_none() {
            continue;
        }
        let raw_key: Vec<char> = resolve::key(r).chars().collect();
        if known.contains(&raw_key.iter().collect::<String>()) {
            continue;
        }
        let nearest = repaired
            .iter_mut()
            .filter(|c| c.ocr.is_none() && c.id.is_none() && c.name.is_some() && c.doc_type == r.doc_type && c.page == r.page)
            .filter(|c| c.line == r.line || (c.start < r.end && r.start < c.end))
            .filter_map(|c| {
                let key: Vec<char> = resolve::key(c).chars().collect();
                let letters_apart = crate::repair::eval::edit_distance(&key, &raw_key);
                (letters_apart * MAX_DAMAGED_SHARE_OF_NAME <= key.len().max(raw_key.len())).then_some((letters_apart, c))
            })
            .min_by_key(|(letters_apart, _)| *letters_apart);
        if let Some((_, citation)) = nearest {
            used[i] = true;
            citation.ocr = Some(span_of(r));
        }
    }
}

fn span_of(c: &Citation) -> OcrSpan {
    OcrSpan { raw: c.raw.clone(), page: c.page, line: c.line, start: c.start, end: c.end }
}

/// Fields the repaired text did not yield, taken from the raw text's reading. The subject
/// is text a clerk reads: only where the raw reading found it is taken from the raw text,
/// its words are those of the same lines of the repaired text, or none (flagged).
fn fill_missing(doc: &mut super::DocumentMeta, raw: super::DocumentMeta, repaired_text: &str, raw_text: &str) {
    if doc.id.is_none() {
        doc.id = raw.id;
        doc.number_raw = doc.number_raw.take().or(raw.number_raw);
    }
    doc.doc_type = doc.doc_type.take().or(raw.doc_type);
    doc.issuer = doc.issuer.take().or(raw.issuer);
    doc.parent_issuer = doc.parent_issuer.take().or(raw.parent_issuer);
    doc.place = doc.place.take().or(raw.place);
    doc.date = doc.date.take().or(raw.date);
    if doc.subject.is_none() && raw.subject.is_some() {
        doc.subject = super::meta::subject_on_repaired_lines(raw_text, repaired_text);
        if doc.subject.is_none() {
            doc.flags.push(super::flag::SUBJECT_ILLEGIBLE.to_owned());
        }
    }
    // The signer's flags follow the reading the name was taken from: the two readings of one
    // name ("rắn Phước Hiên" repaired, "rần Phước Hiên" raw) give one flag, not two.
    let signer_from_raw = doc.signer.is_none() && raw.signer.is_some();
    if signer_from_raw {
        doc.flags.retain(|f| super::flag::signer_flag_kind(f).is_none());
        doc.signer = raw.signer;
    }
    doc.signer_title = doc.signer_title.take().or(raw.signer_title);
    if doc.recipients.is_empty() {
        doc.recipients = raw.recipients;
    }
    for flag in raw.flags {
        let about_signer = super::flag::signer_flag_kind(&flag).is_some();
        if about_signer && !signer_from_raw && doc.flags.iter().any(|f| super::flag::signer_flag_kind(f).is_some()) {
            continue;
        }
        if about_signer && doc.signer.is_some() && !signer_from_raw && super::flag::signer_flag_kind(&flag) == Some("illegible") {
            continue;
        }
        if !doc.flags.contains(&flag) {
            doc.flags.push(flag);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::extract;

    #[test]
    fn citations_carry_their_raw_position_and_raw_only_ones_are_kept() {
        let raw = "Thure hién Ké hoach sé 107/KH-UBND ngay 28/03/2024.\nQuyét dinh s6 99-QD/TW nay.";
        // A repair that fixed the words but broke the second number.
        let repaired = "Thực hiện Kế hoạch số 107/KH-UBND ngày 28/03/2024.\nQuyết định số 99-Q/TW nay.";
        let got = extract_both(repaired, raw);
        let plan = &got.citations[0];
        assert_eq!(plan.id.as_ref().unwrap().as_str(), "107/KH-UBND");
        assert_eq!(plan.raw, "Kế hoạch số 107/KH-UBND");
        let ocr = plan.ocr.as_ref().unwrap();
        assert_eq!((ocr.raw.as_str(), ocr.line, ocr.start), ("Ké hoach sé 107/KH-UBND", 1, 11));
        let decision = &got.citations[1];
        assert_eq!(decision.id.as_ref().unwrap().as_str(), "99-QĐ/TW");
        assert_eq!(decision.line, 2);
    }

    #[test]
    fn a_number_corrected_only_in_the_repaired_text_is_one_citation() {
        // The raw sentence names no issuer to confirm BTCTW, so its number stays as printed.
        let raw = "binh theo Huéng dan s6 O09-HD/BTICTW ngay 11/01/2024\ncua Ban T6 chute Trung uong; hoan\n";
        let repaired = "bình theo Hướng dẫn số 09-HD/BTICTW ngày 11/01/2024\ncủa Ban Tổ chức Trung ương; hoàn\n";
        let got = extract_both(repaired, raw);
        let ids: Vec<&str> = got.citations.iter().filter_map(|c| c.id.as_ref().map(|d| d.as_str())).collect();
        assert_eq!(ids, ["09-HD/BTCTW"], "{:?}", got.citations);
        assert_eq!(got.citations[0].ocr.as_ref().map(|o| o.raw.as_str()), Some("s6 O09-HD/BTICTW"));
    }

    #[test]
    fn a_law_name_damaged_only_in_the_raw_text_is_one_citation_with_its_raw_position() {
        let raw = "Căn cứ Luật Te chtc chinh quyen dia phuong ngày 19/6/2015;\nCăn cứ Luật Cán be, cêng chúc và Luật Viên chic;\n";
        let repaired = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\nCăn cứ Luật Cán bộ, công chức và Luật Viên chức;\n";
        let got = extract_both(repaired, raw);
        let names: Vec<&str> = got.citations.iter().map(|c| c.name.as_deref().unwrap_or("")).collect();
        assert_eq!(names, ["Luật Tổ chức chính quyền địa phương", "Luật Cán bộ, công chức", "Luật Viên chức"]);
        let read: Vec<&str> = got.citations.iter().map(|c| c.ocr.as_ref().map_or("", |o| o.raw.as_str())).collect();
        assert_eq!(read, ["Luật Te chtc chinh quyen dia phuong", "Luật Cán be, cêng chúc", "Luật Viên chic"]);
    }

    #[test]
    fn a_second_law_only_the_raw_text_names_on_the_line_is_kept() {
        // Repair lost the second law of the line: the raw one is another law, not a misreading.
        let raw = "Căn cứ Luật Đầu tư công và Luật Ngân sách nhà nước;\n";
        let repaired = "Căn cứ Luật Đầu tư công và Lu^t ngần sạch nhà nước;\n";
        let got = extract_both(repaired, raw);
        let names: Vec<&str> = got.citations.iter().filter_map(|c| c.name.as_deref()).collect();
        assert_eq!(names, ["Luật Đầu tư công", "Luật Ngân sách nhà nước"]);
        // A raw name far from the repaired name of its line stays a citation of its own.
        let raw = "Căn cứ Luật Ngân sách nhà nước;\n";
        let repaired = "Căn cứ Luật Đầu tư công;\n";
        let got = extract_both(repaired, raw);
        let names: Vec<&str> = got.citations.iter().filter_map(|c| c.name.as_deref()).collect();
        assert_eq!(names, ["Luật Đầu tư công", "Luật Ngân sách nhà nước"]);
    }

    #[test]
    fn a_subject_only_the_raw_reading_finds_is_stored_as_the_repaired_text_reads() {
        // A repair that broke the title: only the raw reading finds the subject under it.
        let raw = "So: 12/KH-VP\n\nKE HOACH\nCai cach hanh chinh nam 2025\n\nCan cu Luat To chuc chinh quyen dia phuong ngay 19/6/2015;\n";
        let repaired = "Số: 12/KH-VP\n\nKẾ HOẶC\nCải cách hành chính năm 2025\n\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\n";
        assert_eq!(extract(repaired).document.subject, None);
        let got = extract_both(repaired, raw);
        assert_eq!(got.document.subject.as_deref(), Some("Cải cách hành chính năm 2025"));
        // The repaired line is junk: no subject, and the clerk is told.
        let repaired = "Số: 12/KH-VP\n\nKẾ HOẶC\n^ .^A ,À k4 §\n\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\n";
        let got = extract_both(repaired, raw);
        assert_eq!(got.document.subject, None);
        assert!(got.document.flags.iter().any(|f| f == super::super::flag::SUBJECT_ILLEGIBLE), "{:?}", got.document.flags);
    }

    #[test]
    fn a_signer_whose_letters_repair_changed_is_kept_as_read() {
        let raw = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLé Hong Son\n";
        let repaired = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLỗ Hổng Sơn\n";
        let got = extract_both(repaired, raw);
        assert_eq!(got.document.signer.as_deref(), Some("Lé Hong Son"));
        assert!(got.document.flags[0].contains("Lỗ Hổng Sơn"));
        // Accents alone restored: the repaired name stands.
        let got = extract_both("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrần Tuệ Hiền\n", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrán Tuệ Hien\n");
        assert_eq!(got.document.signer.as_deref(), Some("Trần Tuệ Hiền"));
    }

    #[test]
    fn one_misread_surname_read_two_ways_gives_one_flag() {
        let got = extract_both("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nrắn Văn Tú\n", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nrần Văn Tú\n");
        assert_eq!(got.document.signer.as_deref(), Some("Trần Văn Tú"));
        let signer_flags: Vec<&String> = got.document.flags.iter().filter(|f| super::super::flag::signer_flag_kind(f).is_some()).collect();
        assert_eq!(signer_flags, [&super::super::flag::signer_surname_repaired("rắn Văn Tú")]);
    }

    #[test]
    fn a_name_only_the_raw_reading_finds_clears_the_repaired_readings_doubt() {
        // Repair turned the name into words that read as a heading; the raw reading has it.
        let got = extract_both("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nVĂN PHÒNG\n", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Văn Phong\n");
        assert_eq!(got.document.signer.as_deref(), Some("Lê Văn Phong"));
        assert!(got.document.flags.iter().all(|f| super::super::flag::signer_flag_kind(f).is_none()), "{:?}", got.document.flags);
    }
}
