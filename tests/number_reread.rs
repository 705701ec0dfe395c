//! The digits of a cited number read again from the image (`vanban::ocr::reread`), on a
//! line rendered here with the number in light italic, as scanned directives print it, and
//! read by the real Tesseract and the neural reader.

#[path = "common/pango.rs"]
mod pango;

use std::path::Path;

use vanban::ocr::reread::{self, Decision};
use vanban::ocr::PageImage;

/// Renders `markup` (Pango markup) at 300 DPI with a white margin, as a page image; `None`
/// when pango-view is missing.
fn render(markup: &str, dir: &Path) -> Option<PageImage> {
    let image = pango::render_line(markup, "DejaVu Serif 12", 60, true, dir)?;
    Some(PageImage { width: image.width(), height: image.height(), dpi: 300, pixels: image.into_raw() })
}

const LINE: &str = "Xét đề nghị của Sở Nội vụ tại Tờ trình số <span foreground=\"#555555\"><i>573/TTr-SNV</i></span> ngày 25/11/2024.";

#[test]
fn a_digit_the_page_reading_took_for_a_look_alike_is_read_right_from_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let Some(image) = render(LINE, dir.path()) else { return };
    let mut page = vanban::ocr::recognize(&image).expect("Tesseract reads the line");
    let index = page.words.iter().position(|w| w.text.ends_with("/TTr-SNV")).unwrap_or_else(|| panic!("the number is read: {}", page.text));
    // The page reading as italic print often gives it on scans: a 5 read as 3.
    let printed = page.words[index].text.clone();
    let misread = reread::with_digits(&printed, "373");
    page.text = page.text.replacen(&printed, &misread, 1);
    page.words[index].text = misread.clone();

    let rereads = reread::numbers(&image, &mut page);
    let number = rereads.iter().find(|r| r.printed == misread).unwrap_or_else(|| panic!("the number is read again: {rereads:?}"));
    assert_eq!(number.decision, Decision::Changed, "{number:?}");
    assert_eq!(number.read, "573/TTr-SNV");
    assert_eq!(number.candidates, ["573", "373"]);
    assert!(page.text.contains("số 573/TTr-SNV"), "{}", page.text);
    assert_eq!(page.words[index].text, "573/TTr-SNV");
}

#[test]
fn a_number_read_right_is_confirmed_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let Some(image) = render(LINE, dir.path()) else { return };
    let mut page = vanban::ocr::recognize(&image).expect("Tesseract reads the line");
    let before = page.text.clone();
    let rereads = reread::numbers(&image, &mut page);
    let number = rereads.iter().find(|r| r.printed.ends_with("/TTr-SNV")).unwrap_or_else(|| panic!("the number is read again: {rereads:?}"));
    assert_eq!(number.printed, "573/TTr-SNV", "the page reading of the clean render");
    assert_eq!(number.decision, Decision::Confirmed, "{number:?}");
    assert_eq!(page.text, before);
    // The neural reader agreed with the page, so Tesseract's word reads were not spent on
    // it; the reading is recorded by its reader.
    assert_eq!(number.readings, ["neural:573"], "{number:?}");
}
