//! The sample corpus through the real binary and real Tesseract: what a clerk gets from
//! each kind of scan. `--dry-run` prints the records, so these tests need no index.

mod ingest_support;
use ingest_support::*;

use vanban::record::{Document, SourceKind};

fn by_name<'a>(docs: &'a [Document], name: &str) -> &'a Document {
    docs.iter().find(|d| d.source_path.ends_with(name)).unwrap_or_else(|| panic!("no record for {name}"))
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_sample_scan_is_read_with_its_number_and_date() {
    let index = tempfile::tempdir().unwrap();
    let out = ingest(&corpus(), index.path(), &["--dry-run"]);
    assert_eq!(out.status, 0, "stderr:\n{}", out.stderr);
    let docs = records(&out.stdout);
    assert_eq!(summary(&out.stderr), (5, 7, 0, 0), "{}", out.stderr);
    assert_eq!(docs.len(), 5);
    assert!(!index.path().join("meta.json").exists(), "a dry run leaves the index alone");

    // The header numbers must come out exactly: they are what clerks search by.
    for (name, kind, pages, header) in [
        ("qd-1582-ubnd.png", SourceKind::Image, 1, ["Số: 1582/QĐ-UBND", "ngày 17 tháng 3 năm 2025"]),
        ("kh-107-ubnd.pdf", SourceKind::Pdf, 2, ["Số: 107/KH-UBND", "ngày 10 tháng 3 năm 2025"]),
        ("bc-312-hu.tif", SourceKind::Tiff, 2, ["Số 312-BC/HU", "ngày 25 tháng 4 năm 2025"]),
        ("cv-3456-ubnd.jpg", SourceKind::Image, 1, ["Số: 3456/UBND-KSTT", "ngày 05 tháng 5 năm 2025"]),
    ] {
        let doc = by_name(&docs, name);
        assert_eq!(doc.source_kind, kind, "{name}");
        assert_eq!(doc.pages.len(), pages, "{name}");
        let first = squeeze(&doc.pages[0].raw_text);
        for expected in header {
            assert!(first.contains(expected), "{name}: {expected:?} not in\n{first}");
        }
        for page in &doc.pages {
            let confidence = page.mean_confidence.expect("OCR pages have a confidence");
            assert!(confidence > 80.0, "{name} page {}: confidence {confidence}", page.number);
            assert!(!page.words.is_empty() && page.words.iter().all(|w| w.line >= 1 && w.bbox[2] > 0));
            assert!(page.text_layer.is_none(), "{name}: scanned pages have no text layer");
        }
        assert_eq!(doc.sha256, vanban::ingest::sha256_file(&corpus().join(name)).unwrap());
    }
    // Two-column header: the issuer's lines come out together, not interleaved with the
    // national motto on the same text line.
    for (name, issuer) in [
        ("qd-1582-ubnd.png", "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 1582/QĐ-UBND\n"),
        ("kh-107-ubnd.pdf", "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 107/KH-UBND\n"),
        ("cv-3456-ubnd.jpg", "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 3456/UBND-KSTT\n"),
        ("bc-312-hu.tif", "ĐẢNG BỘ TỈNH BÌNH PHƯỚC\nHUYỆN ỦY ĐỒNG PHÚ\n"),
    ] {
        let first = &by_name(&docs, name).pages[0].raw_text;
        assert!(first.starts_with(issuer), "{name}:\n{first}");
        assert!(first.contains("\nĐộc lập - Tự do - Hạnh phúc\n") || first.contains("\nĐẢNG CỘNG SẢN VIỆT NAM\n"), "{first}");
    }
    let qd = squeeze(&by_name(&docs, "qd-1582-ubnd.png").pages[0].raw_text);
    assert!(qd.contains("Căn cứ Nghị định số 30/2020/NĐ-CP"), "{qd}");
    // Second pages are read too, in order.
    let kh = by_name(&docs, "kh-107-ubnd.pdf");
    assert!(squeeze(&kh.pages[1].raw_text).contains("Thông tư số 01/2023/TT-VPCP"));
}

#[test]
fn the_speckled_band_is_dropped_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    copy_corpus(dir.path(), &["cv-3456-ubnd.jpg"]);
    let out = ingest(dir.path(), &dir.path().join("index"), &["--dry-run"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let docs = records(&out.stdout);
    let page = &docs[0].pages[0];
    assert!(page.dropped_lines.len() >= 3, "{:#?}", page.dropped_lines);
    assert!(page.dropped_lines.iter().all(|l| !l.reason.is_empty()));
    assert!(docs[0].warnings.iter().any(|w| w.contains("noise")), "{:?}", docs[0].warnings);
    // What is left is the letter, not the speckle: every kept line is mostly letters.
    for line in page.raw_text.lines().filter(|l| !l.trim().is_empty()) {
        let letters = line.chars().filter(|c| c.is_alphanumeric()).count();
        let visible = line.chars().filter(|c| !c.is_whitespace()).count();
        assert!(letters * 2 >= visible, "junk kept: {line:?}");
    }
    // The body text on either side of the band survives.
    let text = squeeze(&page.raw_text);
    assert!(text.contains("nghiêm túc thực hiện"), "{text}");
}

#[test]
fn legacy_ocr_text_goes_straight_to_repair() {
    let dir = tempfile::tempdir().unwrap();
    copy_corpus(dir.path(), &["tb-45-hu-legacy-ocr.txt"]);
    let out = ingest(dir.path(), &dir.path().join("index"), &["--dry-run"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let doc = &records(&out.stdout)[0];
    assert_eq!(doc.source_kind, SourceKind::Text);
    assert_eq!(doc.pages.len(), 1);
    let original = std::fs::read_to_string(corpus().join("tb-45-hu-legacy-ocr.txt")).unwrap();
    assert_eq!(doc.pages[0].raw_text, original, "raw text is the file as given");
    assert!(!doc.pages[0].repaired_text.is_empty());
    assert!(doc.pages[0].mean_confidence.is_none() && doc.pages[0].words.is_empty());
}
