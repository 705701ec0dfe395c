//! For the hardening tests (issue 16): archives made of synthetic but real records
//! (written and indexed by the real `ArchiveWriter`, no OCR), big enough that holding them
//! all in memory shows, and helpers to read a process's memory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use vanban::cite::{Citation, DocId, DocumentMeta, Relation};
use vanban::index::Archive;
use vanban::record::{Document, OcrWord, Page, PageSource, SourceKind, RECORD_VERSION};

/// Citation sentences a hostile (or unlucky) scan can hold: a spreadsheet would run them.
pub const HOSTILE_CONTEXTS: &[&str] = &[
    "=HYPERLINK(\"http://example.invalid/x\",\"Bấm vào đây\")",
    "@SUM(A1:A9) theo Kế hoạch số 1/KH-UBND",
    "+1+cmd|' /C calc'!A0",
    "-2+3 Căn cứ Kế hoạch số 2/KH-UBND",
];

/// Document `i` of a synthetic archive: numbered `i/KH-UBND`, citing `citations` others
/// (some held, some not), with `words` OCR words on each of its 3 pages (bulk: a record
/// of 1,000 words a page is about 150 KB of JSON, like a real scan's).
pub fn document(i: usize, citations: usize, words: usize) -> Document {
    let number = format!("{}/KH-UBND", i + 1);
    let line = |n: usize| format!("Dòng {n} của văn bản số {number}: triển khai công tác chuyển đổi số, cải cách hành chính.");
    let pages: Vec<Page> = (1..=3u32)
        .map(|p| {
            let text: String = (0..20).map(|n| line(n) + "\n").collect();
            Page {
                number: p,
                source: PageSource::Ocr,
                raw_text: text.clone(),
                text_layer: None,
                layer: None,
                mean_confidence: Some(88.0),
                words: (0..words)
                    .map(|w| OcrWord {
                        text: format!("từ{w}"),
                        confidence: 90.0,
                        bbox: [w as u32 % 2000, w as u32 / 20, 40, 30],
                        line: (w / 50) as u32 + 1,
                    })
                    .collect(),
                dropped_lines: Vec::new(),
                repaired_text: text,
                corrections: Vec::new(),
                ..Default::default()
            }
        })
        .collect();
    let cited: Vec<Citation> = (0..citations)
        .map(|c| {
            // Every other citation is to a document of the archive, the rest to missing ones.
            let target = if c % 2 == 0 { format!("{}/KH-UBND", (i + c) % 997 + 1) } else { format!("{}/QĐ-UBND", 5000 + c) };
            let context = if i == 0 && c < HOSTILE_CONTEXTS.len() {
                HOSTILE_CONTEXTS[c].to_string()
            } else {
                format!("Thực hiện văn bản số {target} về chuyển đổi số của Ủy ban nhân dân tỉnh")
            };
            Citation {
                doc_type: "Kế hoạch".to_string(),
                id: Some(DocId::parse(&target).expect("a canonical number")),
                raw: target.clone(),
                relation: Relation::ThucHien,
                page: 1,
                line: c as u32 + 1,
                context,
                ..Citation::default()
            }
        })
        .collect();
    Document {
        record_version: RECORD_VERSION,
        id: format!("doc{i:05}"),
        source_path: format!("/scans/kh-{:05}.pdf", i + 1),
        sha256: format!("{:064x}", i + 1),
        source_kind: SourceKind::Pdf,
        pages,
        metadata: DocumentMeta {
            id: DocId::parse(&number),
            doc_type: Some("Kế hoạch".to_string()),
            issuer: Some("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI".to_string()),
            date: Some(format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1)),
            subject: Some(format!("về chuyển đổi số, đợt {i}")),
            ..DocumentMeta::default()
        },
        citations: cited,
        warnings: Vec::new(),
        signatures: Vec::new(),
        ingested_at: 1_700_000_000,
        corrected: Vec::new(),
    }
}

/// Writes and commits `docs` documents into a new archive at `dir`.
pub fn build_archive(dir: &Path, docs: usize, citations: usize, words: usize) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove the previous archive");
    }
    let archive = Archive::open_or_create(dir).expect("create the archive");
    let mut writer = archive.writer().expect("the writer");
    for i in 0..docs {
        writer.upsert(&document(i, citations, words)).expect("upsert");
        if i % 200 == 199 {
            writer.commit().expect("commit");
        }
    }
    writer.finish().expect("the last commit");
}

/// 300 documents of ~150 KB each (45 MB of records), 20 citations each: built once per
/// test binary.
pub fn bulky_archive() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bulky-archive-{}", env!("CARGO_CRATE_NAME")));
        build_archive(&dir, 300, 20, 1000);
        dir
    })
}

/// The peak resident memory of a running process, in MB (`VmHWM`), Linux only.
pub fn peak_rss_mb(pid: u32) -> Option<u64> {
    status_kb(pid, "VmHWM:").map(|kb| kb / 1024)
}

/// The current resident memory of a running process, in MB.
pub fn rss_mb(pid: u32) -> Option<u64> {
    status_kb(pid, "VmRSS:").map(|kb| kb / 1024)
}

fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The largest peak resident memory of the children this process has waited for, in MB
/// (`getrusage(RUSAGE_CHILDREN)`): a finished command's peak, measured by the kernel.
pub fn children_peak_rss_mb() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes the struct we pass.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as u64 / 1024
}
