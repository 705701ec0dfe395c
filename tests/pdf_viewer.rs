//! Searchable PDFs in a real viewer (issue 14): the PDFs `vanban pdf` writes for a scanned
//! image and for a scanned PDF are opened in Debian Chromium's own PDF viewer, headless
//! (`tests/browser/pdf_viewer.mjs`), and the text the viewer selects — what its find bar
//! searches and what a clerk copies — is the repaired Vietnamese, each phrase once (one
//! text layer, not two). Real Tesseract reads the corpus scans. Needs Debian's `chromium`
//! and Node.js; skipped, saying so, when either is absent.

mod browser_support;

use browser_support::{browser, Browser};
use std::path::Path;
use std::process::Command;

use unicode_normalization::UnicodeNormalization;
use vanban::export::pdf::{self, FontFile};
use vanban::repair::Repairer;

/// Words joined by single spaces, NFC: the viewer breaks lines where the page does.
fn words(text: &str) -> String {
    text.nfc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn chromiums_pdf_viewer_finds_the_repaired_vietnamese_in_vanbans_pdfs() {
    let Some(Browser { chromium, scripts: browser_dir }) = browser("the PDF viewer test") else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repairer = Repairer::load(&root.join("dictionaries")).expect("dictionaries/ loads");
    let font = FontFile::find().expect("fonts-dejavu-core is installed (scripts/setup.sh)");
    let dir = tempfile::tempdir().unwrap();
    // (scan, phrases a clerk would search for in it)
    let cases: [(&str, &[&str]); 2] = [
        ("qd-1582-ubnd.png", &["Ban Chỉ đạo thực hiện Kế hoạch số 107/KH-UBND", "Nghị định số 30/2020/NĐ-CP", "Trần Văn Minh"]),
        ("kh-107-ubnd.pdf", &["chuyển đổi số trong công tác văn thư", "Kế hoạch"]),
    ];
    let mut pdfs = Vec::new();
    let mut docs = Vec::new();
    for (scan, _) in &cases {
        let doc = vanban::ingest::document_from_file(&root.join("corpus").join(scan), &repairer).expect("ingests").expect("a scan is an input");
        let out = dir.path().join(pdf::file_name(&doc));
        pdf::write(&doc, &font, &out).expect("the PDF is written");
        pdfs.push(out);
        docs.push(doc);
    }
    let seen_json = dir.path().join("viewer.json");
    let out = Command::new("node")
        .arg("pdf_viewer.mjs")
        .arg(&seen_json)
        .args(&pdfs)
        .current_dir(&browser_dir)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node pdf_viewer.mjs");
    assert!(out.status.success(), "the PDF viewer test failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let seen: std::collections::HashMap<String, Option<String>> = serde_json::from_str(&std::fs::read_to_string(&seen_json).unwrap()).unwrap();
    for (((scan, phrases), pdf), doc) in cases.iter().zip(&pdfs).zip(&docs) {
        let viewer = words(seen[pdf.to_str().unwrap()].as_deref().unwrap_or_else(|| panic!("{scan}: the viewer gave no text")));
        let repaired = words(&doc.full_text());
        for phrase in *phrases {
            let phrase = words(phrase);
            let want = repaired.matches(&phrase).count();
            assert!(want > 0, "{scan}: the repaired text lacks {phrase:?} (OCR or repair changed): {repaired}");
            assert_eq!(viewer.matches(&phrase).count(), want, "{scan}: Chromium's viewer finds {phrase:?} not exactly as often as the repaired text has it:\n{viewer}");
        }
        // The whole layer is the repaired text, in reading order.
        let errors = vanban::repair::eval::syllable_errors(&repaired, &viewer);
        assert!(errors.rate() <= 0.005, "{scan}: the viewer's text differs from the repaired text ({:.2}% syllables):\n{viewer}", 100.0 * errors.rate());
    }
}
