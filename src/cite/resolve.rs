//! Resolve: short forms to the full citations they stand for, the document's own number
//! out, and one row per cited document per sentence.
//!
//! Export users get one row per citation occurrence, so that page, line and context point at
//! every place a document is cited; a document named twice in one sentence ("… Nghị quyết số
//! 18-NQ/TW … theo Nghị quyết số 18-NQ/TW") is one row, with the first relation found.

use std::collections::{HashMap, HashSet};

use super::extract::{Found, ShortForm};
use super::{Citation, DocId};
use crate::authority::Authority;

/// Merges full citations and resolved short forms in text order. `own_id` and
/// `own_span` (the header's number line, in chars) are the document itself, not citations.
pub fn resolve(found: Vec<Found>, shorts: Vec<ShortForm>, own_id: Option<&DocId>, own_span: Option<(usize, usize)>, authority: &Authority) -> Vec<Citation> {
    let unmarked_own = if own_id.is_none() && own_span.is_none() { unmarked_own_number(&found) } else { None };
    let mut all: Vec<Found> = found
        .into_iter()
        .enumerate()
        .filter(|(index, _)| Some(*index) != unmarked_own)
        .map(|(_, f)| f)
        .filter(|f| {
            let c = &f.citation;
            let own = own_id.is_some_and(|own| c.id.as_ref().is_some_and(|id| id.index_key() == own.index_key()));
            let in_header = own_span.is_some_and(|(s, e)| c.start < e && c.end > s);
            !own && !in_header
        })
        .collect();
    all.sort_by_key(|f| f.citation.start);
    for f in &mut all {
        type_from_known(&mut f.citation, authority);
        date_in_number_year(&mut f.citation);
    }
    prefer_stated_fields(&mut all);
    // Full citations by (type, number), in text order, so each short form is one lookup.
    let mut by_number: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (index, f) in all.iter().enumerate() {
        if let Some(number) = f.citation.number.as_deref() {
            by_number.entry((f.citation.doc_type.as_str(), number.trim_start_matches('0'))).or_default().push(index);
        }
    }
    let resolved: Vec<Found> = shorts
        .into_iter()
        .filter_map(|short| {
            let candidates = by_number.get(&(short.doc_type, short.number.as_str()))?;
            // The nearest full citation before the short form, else the first after it.
            let before = candidates.partition_point(|&i| all[i].citation.start < short.occurrence.start);
            let target = candidates[before.saturating_sub(1)];
            Some(resolved_short(short, &all[target]))
        })
        .collect();
    all.extend(resolved);
    all.sort_by_key(|f| f.citation.start);
    let mut seen = HashSet::new();
    all.into_iter()
        .filter(|f| seen.insert((f.sentence_start, key(&f.citation))))
        .map(|f| f.citation)
        .collect()
}

/// "Luật Phòng, chống thiên tai số 33/2013/QH13": a number whose code implies no one type
/// (a QH number is a Luật or a Nghị quyết) and whose type word the sentence did not give
/// where it is looked for (read "Văn bản") takes the type the list of known documents
/// gives it, named in [`Citation::inferred`].
fn type_from_known(c: &mut Citation, authority: &Authority) {
    if c.doc_type != "Văn bản" {
        return;
    }
    let Some(known) = c.id.as_ref().and_then(|id| authority.known(id)) else { return };
    if let Some(doc_type) = known.doc_type.as_deref().filter(|t| !t.is_empty() && *t != "Văn bản") {
        c.doc_type = doc_type.to_owned();
        c.inferred.push("type".to_owned());
    }
}

/// A date read one digit off the year its number carries is put in that year, and the
/// date is named for review (see [`super::dates::in_number_year`]).
fn date_in_number_year(c: &mut Citation) {
    let (Some(year), Some(date)) = (c.id.as_ref().and_then(|id| id.year()), c.date.as_deref()) else { return };
    if let Some(fixed) = super::dates::in_number_year(date, year) {
        c.date = Some(fixed);
        if !c.review.iter().any(|f| f == "date") {
            c.review.push("date".to_owned());
        }
    }
}

/// A cited document's date or issuer that no sentence states (an issuer implied by the
/// number's code, a date or issuer taken from the known documents) gives way to what the
/// document itself states for the same number in another citation: the title's "Nghị quyết
/// số 18-NQ/TW và Nghị quyết số 19-NQ/TW" are the body's "Nghị quyết số 18-NQ/TW ngày
/// 16/6/2022 của Ban Chấp hành Trung ương Đảng khóa XIII". The known documents may hold
/// another document of that number (a Party number restarts each term: 18-NQ/TW of 2017),
/// and a code names a level, not the organ ("TW": the Ban Chấp hành, the Bộ Chính trị or
/// the Ban Bí thư). The nearest statement wins, the one before on a tie.
fn prefer_stated_fields(all: &mut [Found]) {
    let stated_issuer = |c: &Citation| c.issuer.clone().filter(|_| !c.inferred.iter().any(|f| f == "issuer") && !c.issuer_only_implied());
    let stated_date = |c: &Citation| c.date.clone().filter(|_| !c.inferred.iter().any(|f| f == "date"));
    let keys: Vec<Option<String>> = all.iter().map(|f| f.citation.id.as_ref().map(|_| key(&f.citation))).collect();
    let issuers: Vec<Option<String>> = all.iter().map(|f| stated_issuer(&f.citation)).collect();
    let dates: Vec<Option<String>> = all.iter().map(|f| stated_date(&f.citation)).collect();
    let n = all.len();
    let nearest = |i: usize, values: &[Option<String>]| {
        let same = |j: &usize| keys[*j].is_some() && keys[*j] == keys[i] && values[*j].is_some();
        let before = (0..i).rev().find(same);
        let after = (i + 1..n).find(same);
        let j = match (before, after) {
            (Some(b), Some(a)) => if a - i < i - b { a } else { b },
            (b, a) => b.or(a)?,
        };
        values[j].clone()
    };
    for i in 0..n {
        let c = &all[i].citation;
        let issuer_unstated = c.issuer.is_some() && issuers[i].is_none();
        let date_inferred = c.date.is_some() && dates[i].is_none();
        let issuer = if issuer_unstated { nearest(i, &issuers) } else { None };
        let date = if date_inferred { nearest(i, &dates) } else { None };
        let c = &mut all[i].citation;
        if let Some(issuer) = issuer {
            c.issuer = Some(issuer);
            c.inferred.retain(|f| f != "issuer");
        }
        if let Some(date) = date {
            c.date = Some(date);
            c.inferred.retain(|f| f != "date");
        }
    }
}

/// Lines of page 1 within which a header's number line stands.
const OWN_NUMBER_LINES: u32 = 12;

/// The header's number line when the header reader found none because OCR broke its "Số"
/// ("Sé6: 1582/QD-UBND Binh Phuéc, ngay 17 thang 3 …", "S6 312-BC/HU"): the first number
/// of the text, printed bare (no type word, no "số" read before it), in the first lines of
/// page 1, is the document's own number, not a citation. A number a sentence cites has a
/// type word or "số" before it, or stands after the title.
fn unmarked_own_number(found: &[Found]) -> Option<usize> {
    let first = &found.first()?.citation;
    let bare = first.id.is_some() && first.name.is_none() && !first.raw.contains(char::is_whitespace) && first.raw.starts_with(|c: char| c.is_ascii_digit());
    (bare && first.page == 1 && first.line <= OWN_NUMBER_LINES).then_some(0)
}

/// What identifies the cited document: its id, else its type and name.
pub fn key(c: &Citation) -> String {
    match (&c.id, &c.name) {
        (Some(id), _) => id.index_key(),
        (None, Some(name)) => crate::viet::fold(name).to_lowercase(),
        (None, None) => format!("{}#{}", c.doc_type, c.number.as_deref().unwrap_or("")),
    }
}

/// The short form "Chỉ thị 35" as a citation of `target`, the full citation it stands for.
fn resolved_short(short: ShortForm, target: &Found) -> Found {
    let t = &target.citation;
    let o = short.occurrence;
    let citation = Citation {
        doc_type: t.doc_type.clone(),
        id: t.id.clone(),
        name: t.name.clone(),
        number: t.number.clone(),
        year: t.year,
        symbol: t.symbol.clone(),
        date: t.date.clone(),
        issuer: t.issuer.clone(),
        subject: t.subject.clone(),
        review: t.review.clone(),
        // A date or issuer taken from the known documents stays marked so on its short forms.
        inferred: t.inferred.clone(),
        ..o
    };
    Found { citation, sentence_start: short.sentence_start }
}

#[cfg(test)]
mod tests {
    use crate::cite::extract;

    fn ids(text: &str) -> Vec<(String, String)> {
        extract(text)
            .citations
            .iter()
            .map(|c| (c.id.as_ref().map(|d| d.to_string()).or(c.name.clone()).unwrap_or_default(), c.raw.clone()))
            .collect()
    }

    #[test]
    fn short_forms_resolve_to_the_full_citation_before_them() {
        let got = ids("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ.\nĐể triển khai Chỉ thị 33, tỉnh yêu cầu.");
        assert_eq!(got, [("33/CT-TTg".into(), "Chỉ thị số 33/CT-TTg".into()), ("33/CT-TTg".into(), "Chỉ thị 33".into())]);
        let resolved = &extract("Nghị quyết số 18-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương.\nQuán triệt Nghị quyết 18.").citations[1];
        assert_eq!(resolved.date.as_deref(), Some("2022-06-16"));
        assert_eq!(resolved.line, 2);
    }

    #[test]
    fn what_the_document_states_for_a_number_beats_its_code_and_the_known_list() {
        let text = "CHƯƠNG TRÌNH\nthực hiện Nghị quyết số 18-NQ/TW và Nghị quyết số 19-NQ/TW\n\n\
                    Thực hiện Nghị quyết số 18-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương Đảng khóa XIII về đất đai; \
                    Nghị quyết số 19-NQ/TW ngày 16/6/2022 của Bộ Chính trị về nông nghiệp.\n";
        let got = extract(text).citations;
        let read: Vec<(String, Option<&str>, Option<&str>)> =
            got.iter().map(|c| (c.id.as_ref().unwrap().to_string(), c.date.as_deref(), c.issuer.as_deref())).collect();
        // The title names neither date nor organ: the body's, not a 2017 18-NQ/TW of the known
        // documents, nor the code's guess at the organ.
        assert_eq!(
            read,
            [
                ("18-NQ/TW".to_owned(), Some("2022-06-16"), Some("Ban Chấp hành Trung ương Đảng khóa XIII")),
                ("19-NQ/TW".to_owned(), Some("2022-06-16"), Some("Bộ Chính trị")),
                ("18-NQ/TW".to_owned(), Some("2022-06-16"), Some("Ban Chấp hành Trung ương Đảng khóa XIII")),
                ("19-NQ/TW".to_owned(), Some("2022-06-16"), Some("Bộ Chính trị")),
            ]
        );
        assert!(got.iter().all(|c| c.inferred.is_empty()), "{got:?}");
        // A number the document dates nowhere keeps the known list's date, marked so.
        let alone = extract("Quán triệt Nghị quyết số 18-NQ/TW và các văn bản liên quan.").citations;
        assert!(alone[0].inferred.iter().all(|f| f != "issuer"));
        if alone[0].date.is_some() {
            assert!(alone[0].inferred.iter().any(|f| f == "date"));
        }
    }

    #[test]
    fn a_type_the_sentence_did_not_give_comes_from_the_known_documents() {
        let c = &extract("1. Thực hiện nghiêm Luật Phòng, chống thiên tai số 33/2013/QH13 và các văn bản hướng dẫn.").citations[0];
        assert_eq!((c.doc_type.as_str(), c.inferred.iter().any(|f| f == "type")), ("Luật", true));
        // A type the sentence gives stays, unmarked.
        let c = &extract("Căn cứ Luật số 33/2013/QH13.").citations[0];
        assert_eq!((c.doc_type.as_str(), c.inferred.iter().any(|f| f == "type")), ("Luật", false));
    }

    #[test]
    fn a_date_one_digit_off_its_numbers_year_is_put_in_that_year_and_flagged() {
        let c = &extract("Thực hiện Nghị định số 66/2021/NĐ-CP ngày 06/7/2091 của Chính phủ.").citations[0];
        assert_eq!((c.date.as_deref(), c.review.iter().any(|f| f == "date")), (Some("2021-07-06"), true));
        let c = &extract("Thực hiện Nghị định số 66/2021/NĐ-CP ngày 06/7/2021 của Chính phủ.").citations[0];
        assert_eq!((c.date.as_deref(), c.review.is_empty()), (Some("2021-07-06"), true));
    }

    #[test]
    fn an_unresolved_short_form_is_dropped() {
        assert!(ids("Quán triệt Nghị quyết 18 của Đảng.").is_empty());
    }

    #[test]
    fn one_row_per_document_per_sentence() {
        let got = ids("Theo Nghị định số 61/2018/NĐ-CP và Nghị định số 61/2018/NĐ-CP. Thực hiện Nghị định số 61/2018/NĐ-CP nêu trên.");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn a_bare_number_heading_the_page_is_its_own_number_when_ocr_broke_the_so() {
        let text = "UY BAN NHAN DAN\nTINH BINH PHUOC\nSé6: 1582/QD-UBND Binh Phuéc, ngay 17 thang 3 nam 2025\nQUYET DINH\n\nCan cu Quyét dinh sé 12/2019/QD-UBND ngay 03/5/2019;\n";
        let got: Vec<String> = ids(text).into_iter().map(|(id, _)| id).collect();
        assert_eq!(got, ["12/2019/QĐ-UBND"]);
        // A number cited with its type word in the first lines stays a citation.
        let text = "Thực hiện Kế hoạch số 45-KH/HU ngày 10/7/2021 của Huyện ủy.\n";
        assert_eq!(ids(text).len(), 1);
        // A bare number far down the page is no header.
        let text = format!("{}Theo 45-KH/HU ngày 10/7/2021 của Huyện ủy.\n", "Dòng chữ.\n".repeat(20));
        assert_eq!(ids(&text).len(), 1);
    }

    #[test]
    fn the_documents_own_number_is_not_a_citation() {
        let got = ids("Số: 1582/QĐ-UBND\n\nQUYẾT ĐỊNH\nQuyết định số 1582/QĐ-UBND có hiệu lực. Quyết định này thay thế Quyết định số 12/2019/QĐ-UBND.");
        assert_eq!(got, [("12/2019/QĐ-UBND".into(), "Quyết định số 12/2019/QĐ-UBND".into())]);
    }
}
