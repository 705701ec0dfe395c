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
    // Two-column header, read in the clerk's order (Decree 30's layout): the issuer's lines
    // together, then the national motto, then the number; never interleaved on one line.
    for (name, issuer, number) in [
        ("qd-1582-ubnd.png", "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\n", Some("\nSố: 1582/QĐ-UBND\n")),
        ("kh-107-ubnd.pdf", "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\n", Some("\nSố: 107/KH-UBND\n")),
        ("cv-3456-ubnd.jpg", "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\n", Some("\nSố: 3456/UBND-KSTT\n")),
        ("bc-312-hu.tif", "ĐẢNG BỘ TỈNH BÌNH PHƯỚC\nHUYỆN ỦY ĐỒNG PHÚ\n", None),
    ] {
        let first = &by_name(&docs, name).pages[0].raw_text;
        assert!(first.starts_with(issuer), "{name}:\n{first}");
        let motto = ["\nĐộc lập - Tự do - Hạnh phúc\n", "\nĐẢNG CỘNG SẢN VIỆT NAM\n"]
            .iter()
            .find_map(|m| first.find(m))
            .unwrap_or_else(|| panic!("{name}: no motto line:\n{first}"));
        if let Some(number) = number {
            let at = first.find(number).unwrap_or_else(|| panic!("{name}: no number line:\n{first}"));
            assert!(at > motto, "{name}: the number comes after the motto:\n{first}");
        }
    }
    let qd = squeeze(&by_name(&docs, "qd-1582-ubnd.png").pages[0].raw_text);
    assert!(qd.contains("Căn cứ Nghị định số 30/2020/NĐ-CP"), "{qd}");
    // Second pages are read too, in order.
    let kh = by_name(&docs, "kh-107-ubnd.pdf");
    assert!(squeeze(&kh.pages[1].raw_text).contains("Thông tư số 01/2023/TT-VPCP"));
    what_a_clerk_relies_on(&docs);
}

/// The printed text of a sample document: its source (`corpus/src`, our own text) without
/// markup and block markers — the transcription the repaired text is scored against.
fn transcription(source: &str) -> String {
    let text = std::fs::read_to_string(corpus().join("src").join(source)).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('@')).collect();
    let mut out = String::new();
    let mut in_tag = false;
    for c in lines.join("\n").chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// What a clerk relies on, per document: the record's own number, type, date and issuer;
/// the documents it cites; and repaired text close to what is printed (syllable error
/// rate against the source, ceilings a little above what was measured when written).
fn what_a_clerk_relies_on(docs: &[Document]) {
    // (file, source, number, type, date, issuer, cited, SER ceiling of the repaired text)
    let expected: [(&str, &str, &str, &str, &str, &str, &[&str], f64); 5] = [
        ("qd-1582-ubnd.png", "qd-1582-ubnd.pango", "1582/QĐ-UBND", "Quyết định", "2025-03-17", "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC",
            &["107/KH-UBND", "245/TTr-SNV", "30/2020/NĐ-CP", "33/CT-TTg", "Luật Tổ chức chính quyền địa phương",
              "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương"], 0.015),
        ("kh-107-ubnd.pdf", "kh-107-ubnd.pango", "107/KH-UBND", "Kế hoạch", "2025-03-10", "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC",
            &["01/2023/TT-VPCP", "25-NQ/TW", "30/2020/NĐ-CP", "33/CT-TTg"], 0.05),
        ("bc-312-hu.tif", "bc-312-hu.pango", "312-BC/HU", "Báo cáo", "2025-04-25", "HUYỆN ỦY ĐỒNG PHÚ",
            &["107/KH-UBND", "1185-CV/HU", "1582/QĐ-UBND", "25-NQ/TW", "26-HD/BTCTW", "30/2020/NĐ-CP", "33/CT-TTg"], 0.03),
        ("cv-3456-ubnd.jpg", "cv-3456-ubnd.pango", "3456/UBND-KSTT", "Công văn", "2025-05-05", "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC",
            &["01/2023/TT-VPCP", "107/KH-UBND", "1582/QĐ-UBND", "30/2020/NĐ-CP", "312-BC/HU"], 0.11),
        ("tb-45-hu-legacy-ocr.txt", "tb-45-hu.ref", "45-TB/HU", "Thông báo", "2025-05-12", "HUYỆN ỦY ĐỒNG PHÚ",
            &["107/KH-UBND", "25-NQ/TW", "312-BC/HU", "3456/UBND-KSTT"], 0.03),
    ];
    let (mut cited, mut found, mut missed) = (0, 0, Vec::new());
    for (name, source, number, doc_type, date, issuer, cites, ceiling) in expected {
        let doc = by_name(docs, name);
        let meta = &doc.metadata;
        assert_eq!(meta.id.as_ref().map(|d| d.to_string()).as_deref(), Some(number), "{name}: own number");
        assert_eq!(meta.doc_type.as_deref(), Some(doc_type), "{name}: type");
        assert_eq!(meta.date.as_deref(), Some(date), "{name}: date");
        // Issuers are compared case-blind (the record stores the organ's canonical
        // spelling, not the printed capitals); the legacy layer's also without diacritics:
        // its marks are restored by repair, which may pick a wrong tone on a proper name.
        let got_issuer = meta.issuer.as_deref().unwrap_or_default().to_lowercase();
        let issuer = issuer.to_lowercase();
        if doc.source_kind == SourceKind::Text {
            assert_eq!(vanban::viet::fold(&got_issuer), vanban::viet::fold(&issuer), "{name}: issuer");
        } else {
            assert_eq!(got_issuer, issuer, "{name}: issuer");
        }
        let got: Vec<String> = doc.citations.iter().filter_map(|c| c.id.as_ref().map(|d| d.to_string()).or_else(|| c.name.clone())).collect();
        for g in &got {
            assert!(cites.contains(&g.as_str()), "{name}: cites {g}, which the document does not cite");
        }
        for want in cites {
            cited += 1;
            if got.iter().any(|g| g == want) {
                found += 1;
            } else {
                missed.push(format!("{name}: {want}"));
            }
        }
        let reference = transcription(source);
        let ser = vanban::repair::eval::syllable_errors(&reference, &doc.full_text().replace(vanban::record::PAGE_BREAK, "\n"));
        eprintln!("{name}: repaired SER {:.4} ({} syllables)", ser.rate(), ser.reference);
        assert!(ser.reference > 150, "{name}: the transcription is too short to score");
        assert!(ser.rate() <= ceiling, "{name}: repaired text SER {:.4} over {ceiling}", ser.rate());
    }
    // One citation is lost today: "33/CT-TTg" read as "33/CT-VTg" on bc-312-hu page 2.
    eprintln!("citations found {found} of {cited}; missed {missed:?}");
    assert!(found + 1 >= cited, "citations found {found} of {cited}; missed {missed:?}");
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
    assert!(docs[0].warnings.iter().any(|w| w.contains("nhiễu của máy quét")), "{:?}", docs[0].warnings);
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

/// A legacy text layer (what Tesseract `eng` made of a Vietnamese page, as
/// corpus/legacy-ocr.pl imitates it) of a plan whose subject opens with "Thực hiện": the
/// record's subject is the repaired text of that line, never the raw OCR.
#[test]
fn a_legacy_layers_subject_is_the_repaired_text() {
    let dir = tempfile::tempdir().unwrap();
    let plan = "ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
                HUYỆN ĐỒNG PHÚ                            Độc lập - Tự do - Hạnh phúc\n\
                Số: 58/KH-UBND                    Đồng Phú, ngày 14 tháng 2 năm 2025\n\n\
                KẾ HOẠCH\n\
                Thực hiện công tác cải cách hành chính năm 2025\n\n\
                Thực hiện Kế hoạch số 107/KH-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh về chuyển đổi số trong công tác văn thư, \
                lưu trữ; Ủy ban nhân dân huyện xây dựng kế hoạch thực hiện công tác cải cách hành chính năm 2025 như sau:\n\
                I. MỤC ĐÍCH, YÊU CẦU\n\
                - Nâng cao chất lượng phục vụ người dân, doanh nghiệp; bảo đảm công khai, minh bạch thủ tục hành chính.\n";
    let mut garble = std::process::Command::new("perl")
        .arg(corpus().join("legacy-ocr.pl"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("perl runs corpus/legacy-ocr.pl");
    use std::io::Write;
    garble.stdin.take().unwrap().write_all(plan.as_bytes()).unwrap();
    let layer = String::from_utf8(garble.wait_with_output().unwrap().stdout).unwrap();
    let raw_subject = layer.lines().nth(5).unwrap().to_owned();
    assert!(!raw_subject.contains("công tác"), "the layer has lost its diacritics: {raw_subject}");
    std::fs::write(dir.path().join("kh-58-legacy.txt"), &layer).unwrap();
    let out = ingest(dir.path(), &dir.path().join("index"), &["--dry-run"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let doc = &records(&out.stdout)[0];
    assert_eq!(doc.metadata.subject.as_deref(), Some("Thực hiện công tác cải cách hành chính năm 2025"));
    assert_eq!(doc.metadata.doc_type.as_deref(), Some("Kế hoạch"));
}

#[test]
fn a_pdf_text_layer_is_kept_beside_the_ocr() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("born-digital.pdf");
    let text = "Số: 77/QĐ-UBND\nCăn cứ Nghị định số 30/2020/NĐ-CP";
    let rendered = std::process::Command::new("pango-view")
        .args(["-q", "--dpi=300", "--font=DejaVu Serif 14", "-t", text, "-o"])
        .arg(&pdf)
        .status();
    if !rendered.is_ok_and(|s| s.success()) {
        eprintln!("skipped: pango-view (pango1.0-tools) is needed to make a PDF with a text layer");
        return;
    }
    let out = ingest(dir.path(), &dir.path().join("index"), &["--dry-run"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let doc = &records(&out.stdout)[0];
    assert_eq!(doc.source_kind, SourceKind::Pdf);
    let layer = doc.pages[0].text_layer.as_deref().expect("the text layer is kept");
    assert!(squeeze(layer).contains("Số: 77/QĐ-UBND Căn cứ Nghị định số 30/2020/NĐ-CP"), "{layer}");
    assert!(squeeze(&doc.pages[0].raw_text).contains("77/QĐ-UBND"), "the page is OCR'd too");
}
