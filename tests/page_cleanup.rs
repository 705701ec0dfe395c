//! Boxes on a scanned page that are not its text, through the real binary and real
//! Tesseract: a digital signature box and a receipt stamp become typed regions with what
//! they say, and never reach the text, the number or the citations.

mod ingest_support;
use ingest_support::*;

use image::GrayImage;
use std::path::Path;
use std::process::Command;
use vanban::page::RegionKind;

const PAGE: &str = "qd-1582-ubnd.png";

fn upright() -> GrayImage {
    image::open(corpus().join(PAGE)).unwrap().into_luma8()
}

/// Draws `lines` at (`x`, `y`) in `colour`, `size` pixels a line, inside a frame.
fn boxed_text(page: &Path, out: &Path, x: u32, y: u32, size: u32, colour: &str, lines: &[&str]) -> bool {
    let step = size * 3 / 2;
    let width = lines.iter().map(|l| l.chars().count() as u32).max().unwrap_or(0) * size * 6 / 10 + 40;
    let height = step * lines.len() as u32 + 30;
    let mut command = Command::new("/usr/bin/convert");
    command.arg(page).args(["-fill", "none", "-stroke", colour, "-strokewidth", "3", "-draw"]);
    command.arg(format!("rectangle {},{} {},{}", x, y, x + width, y + height));
    command.args(["-stroke", "none", "-fill", colour, "-font", "DejaVu-Sans", "-pointsize", &size.to_string()]);
    for (i, line) in lines.iter().enumerate() {
        command.arg("-annotate").arg(format!("+{}+{}", x + 20, y + 15 + step * (i as u32 + 1) - size / 3)).arg(line);
    }
    command.args(["-type", "TrueColor"]).arg(out);
    command.status().is_ok_and(|s| s.success())
}

#[test]
fn a_signature_box_and_a_receipt_stamp_become_regions_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.png");
    upright().save(&clean).unwrap();
    let signed = dir.path().join("signed.png");
    let stamped = dir.path().join("in").join("stamped.png");
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    let made = boxed_text(
        &clean,
        &signed,
        1640,
        16,
        30,
        "#1010F0",
        &["Ký bởi: Ủy ban nhân dân tỉnh Bình Phước", "Cơ quan: Tỉnh Bình Phước", "Thời gian ký: 17.03.2025 15:42:07 +07:00"],
    ) && boxed_text(
        &signed,
        &stamped,
        1100,
        3285,
        34,
        "#3020A0",
        &["CÔNG VĂN ĐẾN", "Số: 4512 Ngày: 19/3/2025", "Chuyển: Phòng Tổng hợp"],
    );
    assert!(made, "ImageMagick draws the boxes");
    let docs = read_by_name(&dir.path().join("in"));
    let (_, doc) = &docs[0];
    let page = &doc.pages[0];
    let text = page.repaired_text.to_lowercase();
    for word in ["ký bởi", "cơ quan:", "thời gian ký", "công văn đến", "chuyển:", "4512"] {
        assert!(!text.contains(word), "{word:?} is in the text:\n{}", page.repaired_text);
    }
    let signature = page.regions.iter().find(|r| r.kind == RegionKind::SignatureBox).expect("a signature-box region");
    assert_eq!(signature.signing_time.as_deref(), Some("2025-03-17T15:42:07"), "{signature:?}");
    assert!(signature.organization.as_deref().is_some_and(|o| o.contains("Bình Phước")), "{signature:?}");
    let receipt = page.regions.iter().find(|r| r.kind == RegionKind::ReceiptStamp).expect("a receipt-stamp region");
    assert_eq!(receipt.receipt_date.as_deref(), Some("2025-03-19"), "{receipt:?}");
    assert_eq!(receipt.receipt_number.as_deref(), Some("4512"), "{receipt:?}");
    // The document itself reads as before: number, date and citations.
    assert_eq!(doc.metadata.id.as_ref().map(|i| i.to_string()).as_deref(), Some("1582/QĐ-UBND"));
    assert_eq!(doc.metadata.date.as_deref(), Some("2025-03-17"));
    assert!(!doc.citations.iter().any(|c| serde_json::to_string(&c.id).unwrap().contains("4512")));
}
