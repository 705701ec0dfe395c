//! The vocabulary of Vietnamese document numbering as the citation grammar uses it: type
//! codes and issuer codes (from the authority tables, `dictionaries/authority/`: Decree
//! 30/2020/NĐ-CP Appendix III, the law on legal documents, Party rules, the organs), and the
//! type names that open a citation. Keys are folded upper case. OCR misreadings are not
//! listed here: a misread code is judged and repaired against the tables in
//! [`super::correct`], and misread keywords come from the OCR channel ([`super::ocr_words`]).

use crate::authority::Authority;

fn authority() -> &'static Authority {
    Authority::builtin()
}

/// A type code → (official spelling, type name), for the codes of state, legal and Party
/// numbers (`QD` → ("QĐ", "Quyết định")). `TT` is Thông tư (a Party `TT`, Thông tri, is
/// decided by the caller from the form of the number).
pub fn kind(folded_upper: &str) -> Option<(&'static str, &'static str)> {
    let t = authority().types_of_code(folded_upper).next()?;
    Some((t.code.as_deref()?, t.name.as_str()))
}

/// An issuer code → (official spelling, issuer name): `TTG` → ("TTg", "Thủ tướng Chính
/// phủ"); Party units combine with their level (`BTCTU` → "Ban Tổ chức Tỉnh ủy").
pub fn issuer(folded_upper: &str) -> Option<(&'static str, &'static str)> {
    authority().issuer_code(folded_upper)
}

/// Party issuer codes: a number `N-KIND/CODE` with one of these is a Party document.
pub fn is_party_issuer(folded_upper: &str) -> bool {
    authority().is_party_code(folded_upper)
}

/// Type names as they open a citation, folded, longest first where one is a prefix of another.
pub const TYPE_PHRASES: &[(&str, &str)] = &[
    ("thong tu lien tich", "Thông tư liên tịch"),
    ("nghi quyet lien tich", "Nghị quyết liên tịch"),
    ("nghi quyet", "Nghị quyết"),
    ("nghi dinh", "Nghị định"),
    ("quyet dinh", "Quyết định"),
    ("chi thi", "Chỉ thị"),
    ("quy che", "Quy chế"),
    ("quy dinh", "Quy định"),
    ("thong cao", "Thông cáo"),
    ("thong bao", "Thông báo"),
    ("huong dan", "Hướng dẫn"),
    ("chuong trinh", "Chương trình"),
    ("ke hoach", "Kế hoạch"),
    ("phuong an", "Phương án"),
    ("de an", "Đề án"),
    ("du an", "Dự án"),
    ("bao cao", "Báo cáo"),
    ("bien ban", "Biên bản"),
    ("to trinh", "Tờ trình"),
    ("phieu trinh", "Tờ trình"),
    ("hop dong", "Hợp đồng"),
    ("cong dien", "Công điện"),
    ("cong van", "Công văn"),
    ("van ban", "Văn bản"),
    ("ket luan", "Kết luận"),
    ("thong tri", "Thông tri"),
    ("thong tu", "Thông tư"),
    ("bo luat", "Bộ luật"),
    ("luat", "Luật"),
    ("phap lenh", "Pháp lệnh"),
    ("hien phap", "Hiến pháp"),
    ("sac lenh", "Sắc lệnh"),
    ("lenh", "Lệnh"),
    ("ban ghi nho", "Bản ghi nhớ"),
    ("giay moi", "Giấy mời"),
];

/// Types that are cited by name ("Luật Đầu tư công"), with or without a number.
pub const NAMED_TYPES: &[&str] = &["Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"];

/// The word "số" before a number, as printed or as OCR reads it (see [`super::ocr_words`]).
pub fn is_number_marker(folded: &str) -> bool {
    super::ocr_words::reads_as(folded, "so")
}

/// The type name a phrase stands for, by its folded words.
pub fn type_phrase(folded: &str) -> Option<&'static str> {
    TYPE_PHRASES.iter().find(|(k, _)| *k == folded).map(|(_, v)| *v)
}
