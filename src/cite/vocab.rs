//! The vocabulary of Vietnamese document numbering: type names, type abbreviations
//! (Decree 30/2020/NĐ-CP Appendix III and Party Regulation 66-QĐ/TW), issuer codes, and
//! the OCR misreadings of them seen in legacy scans. Keys are folded upper case.

/// Type abbreviation in a number/symbol → (official spelling, type name).
/// `HD`/`HĐ`, `DA`/`ĐA` and `TT` are decided by the caller (the printed Đ, the form).
pub const KINDS: &[(&str, &str, &str)] = &[
    ("NQ", "NQ", "Nghị quyết"),
    ("ND", "NĐ", "Nghị định"),
    ("QD", "QĐ", "Quyết định"),
    ("QDI", "QĐi", "Quy định"),
    ("CT", "CT", "Chỉ thị"),
    ("QC", "QC", "Quy chế"),
    ("QYD", "QyĐ", "Quy định"),
    ("TC", "TC", "Thông cáo"),
    ("TB", "TB", "Thông báo"),
    ("HD", "HD", "Hướng dẫn"),
    ("CTR", "CTr", "Chương trình"),
    ("KH", "KH", "Kế hoạch"),
    ("PA", "PA", "Phương án"),
    ("DA", "DA", "Dự án"),
    ("BC", "BC", "Báo cáo"),
    ("BB", "BB", "Biên bản"),
    ("TTR", "TTr", "Tờ trình"),
    ("CD", "CĐ", "Công điện"),
    ("BGN", "BGN", "Bản ghi nhớ"),
    ("TTH", "TTh", "Bản thỏa thuận"),
    ("GUQ", "GUQ", "Giấy ủy quyền"),
    ("GM", "GM", "Giấy mời"),
    ("GGT", "GGT", "Giấy giới thiệu"),
    ("GNP", "GNP", "Giấy nghỉ phép"),
    ("PG", "PG", "Phiếu gửi"),
    ("PC", "PC", "Phiếu chuyển"),
    ("PB", "PB", "Phiếu báo"),
    ("KL", "KL", "Kết luận"),
    ("TT", "TT", "Thông tư"),
    ("CV", "CV", "Công văn"),
    ("TTLT", "TTLT", "Thông tư liên tịch"),
    ("NQLT", "NQLT", "Nghị quyết liên tịch"),
    ("L", "L", "Lệnh"),
    ("SL", "SL", "Sắc lệnh"),
];

/// Issuer codes → (official spelling, issuer name). A code may carry a term suffix
/// (`QH15`, `UBTVQH15`): the caller strips the digits before looking it up.
pub const ISSUERS: &[(&str, &str, &str)] = &[
    ("TW", "TW", "Ban Chấp hành Trung ương Đảng"),
    ("TU", "TU", "Tỉnh ủy"),
    ("HU", "HU", "Huyện ủy"),
    ("QU", "QU", "Quận ủy"),
    ("THU", "ThU", "Thành ủy"),
    ("DU", "ĐU", "Đảng ủy"),
    ("DUK", "ĐUK", "Đảng ủy Khối"),
    ("BTCTW", "BTCTW", "Ban Tổ chức Trung ương"),
    ("BTGTW", "BTGTW", "Ban Tuyên giáo Trung ương"),
    ("BTGDVTW", "BTGDVTW", "Ban Tuyên giáo và Dân vận Trung ương"),
    ("BDVTW", "BDVTW", "Ban Dân vận Trung ương"),
    ("UBKTTW", "UBKTTW", "Ủy ban Kiểm tra Trung ương"),
    ("VPTW", "VPTW", "Văn phòng Trung ương Đảng"),
    ("BTG", "BTG", "Ban Tuyên giáo"),
    ("BDV", "BDV", "Ban Dân vận"),
    ("UBKT", "UBKT", "Ủy ban Kiểm tra"),
    ("TTG", "TTg", "Thủ tướng Chính phủ"),
    ("CP", "CP", "Chính phủ"),
    ("QH", "QH", "Quốc hội"),
    ("UBTVQH", "UBTVQH", "Ủy ban Thường vụ Quốc hội"),
    ("CTN", "CTN", "Chủ tịch nước"),
    ("VPCP", "VPCP", "Văn phòng Chính phủ"),
    ("UBND", "UBND", "Ủy ban nhân dân"),
    ("HDND", "HĐND", "Hội đồng nhân dân"),
    ("BTC", "BTC", "Bộ Tài chính"),
    ("BNV", "BNV", "Bộ Nội vụ"),
    ("BGDDT", "BGDĐT", "Bộ Giáo dục và Đào tạo"),
    ("BYT", "BYT", "Bộ Y tế"),
    ("BCA", "BCA", "Bộ Công an"),
    ("BQP", "BQP", "Bộ Quốc phòng"),
    ("BCT", "BCT", "Bộ Công Thương"),
    ("BKHCN", "BKHCN", "Bộ Khoa học và Công nghệ"),
    ("BNNMT", "BNNMT", "Bộ Nông nghiệp và Môi trường"),
    ("BNG", "BNG", "Bộ Ngoại giao"),
    ("BXD", "BXD", "Bộ Xây dựng"),
    ("BTP", "BTP", "Bộ Tư pháp"),
    ("BVHTTDL", "BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("BLDTBXH", "BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội"),
    ("BTTTT", "BTTTT", "Bộ Thông tin và Truyền thông"),
    ("BKHDT", "BKHĐT", "Bộ Kế hoạch và Đầu tư"),
    ("BTNMT", "BTNMT", "Bộ Tài nguyên và Môi trường"),
    ("BNNPTNT", "BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
    ("BGTVT", "BGTVT", "Bộ Giao thông vận tải"),
    ("BDTTG", "BDTTG", "Bộ Dân tộc và Tôn giáo"),
    ("NHNN", "NHNN", "Ngân hàng Nhà nước Việt Nam"),
    ("TTCP", "TTCP", "Thanh tra Chính phủ"),
    ("UBDT", "UBDT", "Ủy ban Dân tộc"),
    ("TANDTC", "TANDTC", "Tòa án nhân dân tối cao"),
    ("VKSNDTC", "VKSNDTC", "Viện kiểm sát nhân dân tối cao"),
    ("KTNN", "KTNN", "Kiểm toán nhà nước"),
    ("TLD", "TLĐ", "Tổng Liên đoàn Lao động Việt Nam"),
    ("BCD", "BCĐ", "Ban Chỉ đạo"),
    ("HDTDKT", "HĐTĐKT", "Hội đồng Thi đua - Khen thưởng"),
    ("DDBQH", "ĐĐBQH", "Đoàn đại biểu Quốc hội"),
    ("SGDDT", "SGDĐT", "Sở Giáo dục và Đào tạo"),
    ("PGDDT", "PGDĐT", "Phòng Giáo dục và Đào tạo"),
    ("SLDTBXH", "SLĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("PLDTBXH", "PLĐTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("SKHDT", "SKHĐT", "Sở Kế hoạch và Đầu tư"),
    ("DHQGHN", "ĐHQGHN", "Đại học Quốc gia Hà Nội"),
    ("TWDTN", "TWĐTN", "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
    ("MTTQ", "MTTQ", "Mặt trận Tổ quốc"),
    ("VP", "VP", "Văn phòng"),
    ("SNV", "SNV", "Sở Nội vụ"),
    ("STC", "STC", "Sở Tài chính"),
];

/// Party issuer codes: a number `N-KIND/CODE` with one of these is a Party document.
pub const PARTY_ISSUERS: &[&str] =
    &["TW", "TU", "HU", "QU", "THU", "DU", "DUK", "BTCTW", "BTGTW", "BTGDVTW", "BDVTW", "UBKTTW", "VPTW"];

/// Whole-part OCR misreadings (folded upper) → the part they stand for.
pub const OCR_PARTS: &[(&str, &str)] =
    &[("QB", "QD"), ("QBI", "QDI"), ("QDB", "QD"), ("QDD", "QD"), ("QP", "QD"), ("KII", "KH"), ("NO", "ND"), ("TTQ", "TTG"),
      // Tờ trình: the second T of "TTr" read as 1, I or l.
      ("T1R", "TTR"), ("TIR", "TTR"), ("TLR", "TTR")];

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

/// Folded spellings (including OCR damage seen in legacy scans) of the word "số".
pub const NUMBER_MARKERS: &[&str] =
    &["so", "s6", "sb", "se", "sd", "s0", "s", "s5", "sc", "sa", "s4", "sø"];

pub fn kind(folded_upper: &str) -> Option<(&'static str, &'static str)> {
    KINDS.iter().find(|(k, _, _)| *k == folded_upper).map(|(_, spelling, name)| (*spelling, *name))
}

pub fn issuer(folded_upper: &str) -> Option<(&'static str, &'static str)> {
    ISSUERS.iter().find(|(k, _, _)| *k == folded_upper).map(|(_, spelling, name)| (*spelling, *name))
}

pub fn is_party_issuer(folded_upper: &str) -> bool {
    PARTY_ISSUERS.contains(&folded_upper)
}

pub fn ocr_part(folded_upper: &str) -> Option<&'static str> {
    OCR_PARTS.iter().find(|(k, _)| *k == folded_upper).map(|(_, v)| *v)
}

pub fn is_number_marker(folded: &str) -> bool {
    NUMBER_MARKERS.contains(&folded)
}

/// The type name a phrase stands for, by its folded words.
pub fn type_phrase(folded: &str) -> Option<&'static str> {
    TYPE_PHRASES.iter().find(|(k, _)| *k == folded).map(|(_, v)| *v)
}
