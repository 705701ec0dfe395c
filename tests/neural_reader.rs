//! The neural line reader on lines rendered here: what the header stage and the
//! line combination rely on (a printed line read right, a number read as digits).

use std::path::Path;
use std::process::Command;

use vanban::ocr::neural::{self, Gray, Pattern};

/// Renders `text` as one line at 300 DPI with DejaVu Serif (Vietnamese glyphs) and
/// returns it as gray pixels; `None` when pango-view is missing.
fn render(text: &str, font: &str, dir: &Path) -> Option<(usize, usize, Vec<u8>)> {
    let source = dir.join("line.txt");
    std::fs::write(&source, text).unwrap();
    let png = dir.join("line.png");
    let status = Command::new("pango-view")
        .args([&format!("--font={font}"), "--dpi=300", "--margin=40", "-q", "--output"])
        .arg(&png)
        .arg(&source)
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        eprintln!("skipped: pango-view (pango1.0-tools) is needed to render test lines");
        return None;
    }
    let image = image::open(&png).unwrap().to_luma8();
    Some((image.width() as usize, image.height() as usize, image.into_raw()))
}

#[test]
fn reads_a_rendered_vietnamese_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương";
    let Some((w, h, px)) = render(text, "DejaVu Serif 12", dir.path()) else { return };
    let reading = neural::read_line(&Gray::new(w, h, &px).unwrap()).unwrap();
    let errors = vanban::repair::eval::syllable_errors(text, &reading.text);
    assert!(errors.errors <= 1, "read {:?}", reading.text);
    assert!(reading.confidence > 0.8, "confidence {}", reading.confidence);
    // Characters come with positions, left to right, inside the image.
    assert!(reading.chars.windows(2).all(|p| p[0].x <= p[1].x));
    assert!(reading.chars.iter().all(|c| c.x >= 0.0 && c.x <= w as f32));
}

#[test]
fn reads_a_number_as_ranked_digit_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let Some((w, h, px)) = render("1582", "DejaVu Serif 14", dir.path()) else { return };
    let crop = Gray::new(w, h, &px).unwrap();
    let candidates = neural::read_digits(&crop, 6, 3).unwrap();
    assert_eq!(candidates[0].text, "1582", "{candidates:?}");
    assert!(candidates[0].score > 0.5, "{candidates:?}");
    assert!(candidates.windows(2).all(|c| c[0].score >= c[1].score));
    assert!(candidates.iter().map(|c| c.score).sum::<f32>() <= 1.0 + 1e-4);

    // The whole number line against its printed suffix.
    let Some((w, h, px)) = render("Số: 349/QĐ-UBND", "DejaVu Serif 14", dir.path()) else { return };
    let pattern = Pattern::default().then_any_of("Ss", 1, 1).then_any_of("ốôo", 1, 1).then_literal(":").then_digits(1, 5).then_literal("/QĐ-UBND");
    let best = neural::read_field(&Gray::new(w, h, &px).unwrap(), &pattern, 2).unwrap();
    assert_eq!(best[0].text, "Số:349/QĐ-UBND", "{best:?}");
}

#[test]
fn blank_and_tiny_crops_read_as_nothing_without_panicking() {
    let white = vec![255u8; 200 * 60];
    let reading = neural::read_line(&Gray::new(200, 60, &white).unwrap()).unwrap();
    assert_eq!(reading.text, "");
    let dot = vec![0u8; 1];
    let reading = neural::read_line(&Gray::new(1, 1, &dot).unwrap()).unwrap();
    assert!(reading.text.chars().count() <= 2);
    assert!(neural::read_digits(&Gray::new(200, 60, &white).unwrap(), 4, 3).unwrap().len() <= 3);
}
