//! What a clerk typed, checked and turned into journal changes: a number must read as a
//! number (and one of the document's type), a date must be a date that exists, a type one
//! the authority tables know. Every message is a Vietnamese sentence naming the field and
//! the value, shown as it is by `vanban fix` and beside the field on the page.

use super::apply::{cites, citation_key};
use super::journal::{Change, Field};
use crate::authority::Authority;
use crate::cite::DocId;
use crate::index::lookup_key;
use crate::record::Document;

/// Longest free-text value (issuer, subject, signer), in characters.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Longest clerk name.
pub const MAX_NAME_CHARS: usize = 100;

/// One edit as asked for (command line or form).
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// An own field; an empty value clears it.
    Set(Field, String),
    /// Adds a citation OCR missed.
    CiteAdd(String),
    /// Deletes a false citation.
    CiteDel(String),
    /// Corrects a cited number: old → new.
    CiteSet(String, String),
    /// Sets the date of the citation of a number.
    CiteDate(String, String),
    /// Sets the document type of the citation of a number.
    CiteType(String, String),
}

/// The edits that cannot be saved, each with the field it belongs to (its key) and why.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Invalid(pub Vec<(String, String)>);

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<&str> = self.0.iter().map(|(_, m)| m.as_str()).collect();
        f.write_str(&messages.join("\n"))
    }
}

impl std::error::Error for Invalid {}

/// Checks the clerk's name: one line, not empty, not too long.
pub fn check_name(name: &str) -> Result<String, Invalid> {
    let name = name.trim();
    let problem = if name.is_empty() {
        Some("Hãy nhập tên người sửa (ghi vào sổ sửa để biết ai đã sửa gì).".to_owned())
    } else if name.chars().count() > MAX_NAME_CHARS {
        Some(format!("Tên người sửa dài quá {MAX_NAME_CHARS} ký tự."))
    } else if name.chars().any(char::is_control) {
        Some("Tên người sửa không được chứa ký tự điều khiển.".to_owned())
    } else {
        None
    };
    match problem {
        Some(message) => Err(Invalid(vec![("by".into(), message)])),
        None => Ok(crate::viet::nfc(name)),
    }
}

/// Turns `edits` on `doc` (the record as it reads now, corrections applied) into journal
/// changes, all or none: every problem is reported at once. An edit that changes nothing
/// is left out; no change at all is an error too, so that a save always says something.
pub fn plan(doc: &Document, edits: &[Edit], authority: &Authority) -> Result<Vec<Change>, Invalid> {
    let mut changes = Vec::new();
    let mut invalid = Invalid::default();
    let meta = &doc.metadata;
    // The type the document will have after this save: a number is checked against it.
    let new_type = edits.iter().find_map(|e| match e {
        Edit::Set(Field::DocType, value) => Some(value.trim().to_owned()),
        _ => None,
    });
    for edit in edits {
        let result = match edit {
            Edit::Set(field, value) => {
                let old = match field {
                    Field::Number => meta.id.as_ref().map(|id| id.to_string()),
                    Field::Date => meta.date.clone(),
                    Field::DocType => meta.doc_type.clone(),
                    Field::Issuer => meta.issuer.clone(),
                    Field::Subject => meta.subject.clone(),
                    Field::Signer => meta.signer.clone(),
                    Field::Citation | Field::CitationDate | Field::CitationType => None,
                };
                let value = value.trim();
                let checked = if value.is_empty() {
                    Ok(None)
                } else {
                    match field {
                        Field::Number => {
                            let doc_type = new_type.clone().filter(|t| !t.is_empty()).or_else(|| meta.doc_type.clone());
                            own_number(value, doc_type.as_deref(), authority).map(Some)
                        }
                        Field::Date => date(value, *field).map(Some),
                        Field::DocType => doc_type(value, authority).map(Some),
                        _ => text(value, *field).map(Some),
                    }
                };
                checked.map(|new| (new != old).then_some(Change::Set { field: *field, cited: None, old, new }))
            }
            Edit::CiteAdd(number) => cited_number(number).and_then(|id| {
                if cites(doc, id.as_str()) {
                    Err(format!("Văn bản này đã dẫn số {id}: không cần thêm."))
                } else {
                    Ok(Some(Change::Set { field: Field::Citation, cited: None, old: None, new: Some(id.to_string()) }))
                }
            }),
            Edit::CiteDel(number) => existing_citation(doc, number)
                .map(|old| Some(Change::Set { field: Field::Citation, cited: None, old: Some(old), new: None })),
            Edit::CiteSet(old, new) => existing_citation(doc, old).and_then(|old| {
                let new = cited_number(new)?;
                Ok((lookup_key(&old) != lookup_key(new.as_str()) || old != new.as_str())
                    .then(|| Change::Set { field: Field::Citation, cited: None, old: Some(old), new: Some(new.to_string()) }))
            }),
            Edit::CiteDate(number, value) => existing_citation(doc, number).and_then(|cited| {
                let key = lookup_key(&cited);
                let old = doc.citations.iter().find(|c| citation_key(c) == key).and_then(|c| c.date.clone());
                // The form shows a partial date ("11/2021") as it is stored; sent back
                // unchanged it is no edit, though it is not a whole date to check.
                if old.as_deref().is_some_and(|o| same_date(o, value)) {
                    return Ok(None);
                }
                let new = if value.trim().is_empty() { None } else { Some(date(value.trim(), Field::CitationDate)?) };
                Ok((old != new).then_some(Change::Set { field: Field::CitationDate, cited: Some(cited), old, new }))
            }),
            Edit::CiteType(number, value) => existing_citation(doc, number).and_then(|cited| {
                let new = doc_type(value.trim(), authority)?;
                if let Some(implied) = DocId::from_canonical(&cited).and_then(|id| id.implied_type().map(str::to_owned)) {
                    if crate::viet::fold(&implied) != crate::viet::fold(&new) {
                        return Err(format!("Số “{cited}” là số của một {implied}, không phải {new}: hãy sửa số được dẫn, hoặc để nguyên loại."));
                    }
                }
                let key = lookup_key(&cited);
                let old = doc.citations.iter().find(|c| citation_key(c) == key).map(|c| c.doc_type.clone()).filter(|t| !t.is_empty());
                Ok((old.as_deref() != Some(new.as_str())).then_some(Change::Set { field: Field::CitationType, cited: Some(cited), old, new: Some(new) }))
            }),
        };
        match result {
            Ok(Some(change)) => changes.push(change),
            Ok(None) => {}
            Err(message) => invalid.0.push((edit_key(edit).to_owned(), message)),
        }
    }
    if !invalid.0.is_empty() {
        return Err(invalid);
    }
    if changes.is_empty() {
        return Err(Invalid(vec![("".into(), "Không có gì thay đổi: các giá trị nhập vào giống hệt giá trị đang có.".into())]));
    }
    Ok(changes)
}

fn edit_key(edit: &Edit) -> &'static str {
    match edit {
        Edit::Set(field, _) => field.key(),
        Edit::CiteAdd(_) | Edit::CiteDel(_) | Edit::CiteSet(..) => Field::Citation.key(),
        Edit::CiteDate(..) => Field::CitationDate.key(),
        Edit::CiteType(..) => Field::CitationType.key(),
    }
}

/// A document number typed by a person, read by the citation grammar; the whole value must
/// be the number (nothing dropped), and the authority must not know it to be impossible.
pub fn number(value: &str) -> Result<DocId, String> {
    let example = "ví dụ 280/BC-UBND, 25-NQ/TW, 30/2020/NĐ-CP";
    let Some(id) = DocId::parse(value).or_else(|| DocId::parse_query(value)) else {
        return Err(format!("“{value}” không phải là một số, ký hiệu văn bản ({example})."));
    };
    let letters = |s: &str| crate::viet::fold(s).to_uppercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let typed = letters(value);
    let read = letters(id.as_str());
    if typed.trim_start_matches('0') != read.trim_start_matches('0') {
        return Err(format!("Chỉ đọc được “{id}” trong “{value}”: hãy nhập đúng một số, ký hiệu ({example})."));
    }
    Ok(id)
}

fn own_number(value: &str, doc_type: Option<&str>, authority: &Authority) -> Result<String, String> {
    let id = number(value)?;
    if let crate::authority::Possibility::Impossible(reason) = authority.is_possible(&id) {
        return Err(format!("Số “{id}” không thể có: {reason}."));
    }
    if let (Some(implied), Some(doc_type)) = (id.implied_type(), doc_type) {
        if crate::viet::fold(implied) != crate::viet::fold(doc_type) {
            return Err(format!(
                "Số “{id}” là số của một {implied}, nhưng loại văn bản đang là {doc_type}: hãy sửa cả loại văn bản, hoặc kiểm tra lại ký hiệu."
            ));
        }
    }
    Ok(id.to_string())
}

fn cited_number(value: &str) -> Result<DocId, String> {
    let id = number(value.trim())?;
    if let crate::authority::Possibility::Impossible(reason) = Authority::builtin().is_possible(&id) {
        return Err(format!("Số “{id}” không thể có: {reason}."));
    }
    Ok(id)
}

/// The number of a citation `doc` has, as the record spells it.
fn existing_citation(doc: &Document, number: &str) -> Result<String, String> {
    let key = lookup_key(number.trim());
    doc.citations
        .iter()
        .find(|c| key.is_some() && citation_key(c) == key)
        .and_then(|c| c.id.as_ref().map(|id| id.to_string()))
        .ok_or_else(|| format!("Văn bản này không dẫn số “{}”: kiểm tra lại số (danh sách trích dẫn ở trang văn bản).", number.trim()))
}

/// A date that exists, typed as 26/11/2024, 2024-11-26 or "26 tháng 11 năm 2024"; ISO back.
pub fn date(value: &str, field: Field) -> Result<String, String> {
    let iso = crate::cite::parse_date(value).ok_or_else(|| {
        format!("“{value}” không phải là một ngày có thật ({}: viết ngày/tháng/năm, ví dụ 26/11/2024).", field.label_vi())
    })?;
    let year: i32 = iso[..4].parse().unwrap_or(0);
    let this_year = time::OffsetDateTime::now_utc().year();
    if !(1900..=this_year + 1).contains(&year) {
        return Err(format!("Năm {year} của {} không hợp lý (từ 1900 đến {}).", field.label_vi(), this_year + 1));
    }
    Ok(iso)
}

/// Whether `typed` (day first, any separators) names the stored date `iso` (year first,
/// possibly without its day or month).
fn same_date(iso: &str, typed: &str) -> bool {
    let parts = |text: &str| text.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).map(|p| p.parse::<u32>().ok()).collect::<Vec<_>>();
    let mut stored = parts(iso);
    stored.reverse();
    !stored.is_empty() && stored == parts(typed)
}

fn doc_type(value: &str, authority: &Authority) -> Result<String, String> {
    authority.doc_type(value).map(|t| t.name.clone()).ok_or_else(|| {
        format!("“{value}” không phải là một loại văn bản đã biết (ví dụ Quyết định, Công văn, Báo cáo, Kế hoạch, Nghị quyết).")
    })
}

fn text(value: &str, field: Field) -> Result<String, String> {
    if value.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("{} dài quá {MAX_TEXT_CHARS} ký tự.", capitalized(field.label_vi())));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(format!("{} không được chứa ký tự điều khiển.", capitalized(field.label_vi())));
    }
    Ok(crate::viet::nfc(value))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
