//! Test documents for the index, search and export tests: real `record::Document` values
//! with metadata and citations stated explicitly (the citation parser is tested on its own),
//! indexed into a temporary archive with the real tantivy writer.
#![allow(dead_code)]

use vanban::cite::{Citation, DocId, DocumentMeta, Relation};
use vanban::index::Archive;
use vanban::record::{Document, Page, PageSource, SourceKind, RECORD_VERSION};

pub struct Doc {
    pub id: &'static str,
    pub number: Option<&'static str>,
    pub doc_type: Option<&'static str>,
    pub issuer: Option<&'static str>,
    pub date: Option<&'static str>,
    pub subject: Option<&'static str>,
    pub pages: Vec<&'static str>,
    pub citations: Vec<Citation>,
}

impl Doc {
    pub fn new(id: &'static str, pages: &[&'static str]) -> Doc {
        Doc { id, number: None, doc_type: None, issuer: None, date: None, subject: None, pages: pages.to_vec(), citations: Vec::new() }
    }

    pub fn number(mut self, number: &'static str, doc_type: &'static str) -> Doc {
        self.number = Some(number);
        self.doc_type = Some(doc_type);
        self
    }

    pub fn issuer(mut self, issuer: &'static str) -> Doc {
        self.issuer = Some(issuer);
        self
    }

    pub fn date(mut self, date: &'static str) -> Doc {
        self.date = Some(date);
        self
    }

    pub fn subject(mut self, subject: &'static str) -> Doc {
        self.subject = Some(subject);
        self
    }

    /// Cites `number` from the sentence `context`, found on `page`/`line` of this document.
    pub fn cites(mut self, number: &str, doc_type: &str, relation: Relation, page: u32, line: u32, context: &str) -> Doc {
        self.citations.push(Citation {
            doc_type: doc_type.to_string(),
            id: Some(docid(number)),
            raw: number.to_string(),
            relation,
            page,
            line,
            context: context.to_string(),
            ..Citation::default()
        });
        self
    }

    pub fn cites_law_by_name(mut self, name: &str) -> Doc {
        self.citations.push(Citation {
            doc_type: "Luật".to_string(),
            name: Some(name.to_string()),
            raw: name.to_string(),
            page: 1,
            line: 1,
            context: format!("Căn cứ {name};"),
            ..Citation::default()
        });
        self
    }

    pub fn build(&self) -> Document {
        self.build_with_hash(&format!("sha-of-{}", self.id))
    }

    pub fn build_with_hash(&self, sha256: &str) -> Document {
        Document {
            record_version: RECORD_VERSION,
            id: self.id.to_string(),
            source_path: format!("/scans/{}.pdf", self.id),
            sha256: sha256.to_string(),
            source_kind: SourceKind::Pdf,
            pages: self
                .pages
                .iter()
                .enumerate()
                .map(|(i, text)| Page {
                    number: i as u32 + 1,
                    source: PageSource::Ocr,
                    raw_text: text.to_string(),
                    text_layer: None,
                    mean_confidence: Some(90.0),
                    words: Vec::new(),
                    dropped_lines: Vec::new(),
                    repaired_text: text.to_string(),
                    corrections: Vec::new(),
                    layer: None,
                    ..Default::default()
                })
                .collect(),
            metadata: DocumentMeta {
                id: self.number.map(docid),
                doc_type: self.doc_type.map(str::to_string),
                issuer: self.issuer.map(str::to_string),
                date: self.date.map(str::to_string),
                subject: self.subject.map(str::to_string),
                ..DocumentMeta::default()
            },
            citations: self.citations.clone(),
            warnings: Vec::new(),
            signatures: Vec::new(),
            ingested_at: 1_700_000_000,
            corrected: Vec::new(),
        }
    }
}

pub fn docid(number: &str) -> DocId {
    DocId::parse(number).unwrap_or_else(|| panic!("DocId::parse refused the canonical number {number}"))
}

/// An archive in a fresh temporary folder holding `docs`, committed.
pub fn archive_with(docs: &[Document]) -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let archive = Archive::open_or_create(dir.path()).expect("create archive");
    let mut writer = archive.writer().expect("writer");
    for doc in docs {
        writer.upsert(doc).expect("upsert");
    }
    writer.commit().expect("commit");
    drop(writer);
    (dir, archive)
}

/// A small archive of a Party resolution, documents citing it, and unrelated ones.
pub fn sample_documents() -> Vec<Document> {
    vec![
        Doc::new("nq25", &[
            "BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 25-NQ/TW\nNGHỊ QUYẾT\nvề tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới",
            "Công tác dân vận là nhiệm vụ có ý nghĩa chiến lược.",
        ])
        .number("25-NQ/TW", "Nghị quyết")
        .issuer("Ban Chấp hành Trung ương")
        .date("2013-06-03")
        .subject("về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới"),
        Doc::new("kh107", &[
            "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC\nSố: 107/KH-UBND\nKẾ HOẠCH\nThực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương.",
            "Các sở, ngành đẩy mạnh chỉnh trang đô thị và công tác dân vận chính quyền.",
        ])
        .number("107/KH-UBND", "Kế hoạch")
        .issuer("UBND tỉnh Bình Phước")
        .date("2024-04-10")
        .subject("thực hiện công tác dân vận chính quyền năm 2024")
        .cites("25-NQ/TW", "Nghị quyết", Relation::ThucHien, 1, 4, "Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương.")
        .cites("33/CT-TTg", "Chỉ thị", Relation::Mention, 2, 1, "Theo Chỉ thị số 33/CT-TTg của Thủ tướng Chính phủ."),
        Doc::new("bc312", &[
            "HUYỆN ỦY BÙ ĐĂNG\nSố 312-BC/HU\nBÁO CÁO\nkết quả 10 năm thực hiện Nghị quyết 25-NQ/TƯ",
            "Trang hai.\nHuyện ủy đã quán triệt Nghị quyết số 25-NQ/TW đến toàn thể cán bộ, đảng viên.\nCông tác dan van có nhiều chuyển biến.",
        ])
        .number("312-BC/HU", "Báo cáo")
        .issuer("Huyện ủy Bù Đăng")
        .date("2023-05-20")
        .subject("kết quả 10 năm thực hiện Nghị quyết 25-NQ/TW")
        .cites("25-NQ/TW", "Nghị quyết", Relation::Mention, 2, 2, "Huyện ủy đã quán triệt Nghị quyết số 25-NQ/TW đến toàn thể cán bộ, đảng viên.")
        .cites("31-KL/TU", "Kết luận", Relation::Mention, 2, 3, "Theo Kết luận số 31-KL/TU của Tỉnh ủy.")
        .cites_law_by_name("Luật Tổ chức chính quyền địa phương"),
        Doc::new("qd1582", &[
            "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC\nSố: 1582/QĐ-UBND\nQUYẾT ĐỊNH\nvề việc phê duyệt đề án chỉnh trang đô thị",
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
        ])
        .number("1582/QĐ-UBND", "Quyết định")
        .issuer("UBND tỉnh Bình Phước")
        .date("2025-03-17")
        .subject("về việc phê duyệt đề án chỉnh trang đô thị")
        .cites("30/2020/NĐ-CP", "Nghị định", Relation::CanCu, 2, 1, "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;"),
        Doc::new("tb9", &["THÔNG BÁO\nvề lịch tiếp công dân tháng 5; dẫn vấn đề dân sinh ra bàn"])
            .number("9/TB-VP", "Thông báo")
            .issuer("Văn phòng UBND tỉnh")
            .date("2024-05-02"),
    ]
    .into_iter()
    .map(|d| d.build())
    .collect()
}
