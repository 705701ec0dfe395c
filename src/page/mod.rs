//! Preparing a scanned page before and around OCR: turning it upright, taking signature
//! boxes and stamps out of its text ([`regions`]), red seals off its print ([`colour`]),
//! and judging whether what OCR read from
//! it is text at all.
//!
//! Real archives hold pages scanned upside down or sideways; Tesseract reads those as
//! confident-looking garbage that repair cannot fix and citation extraction mines for
//! numbers. [`orient`] finds the page's orientation (Tesseract's OSD) and turns the
//! pixels, [`deskew`] levels a page laid a few degrees crooked, [`readable`] refuses a
//! reading that is still not Vietnamese, so that it is flagged for a clerk instead of
//! indexed. [`stamp`] takes receipt stamps off the pixels before the read, so that the
//! words they were pressed over are read.

pub mod colour;
pub mod deskew;
pub mod orient;
pub mod readable;
pub mod regions;
pub mod stamp;

pub use orient::Rotation;
pub use regions::{Region, RegionKind};

use crate::ocr::{self, OcrPage, PageImage};
use crate::repair::lm::LanguageModel;

/// OCRs `image` the right way up and level: read as scanned first (turned level when it
/// lies crooked, [`deskew`]); when that reading is not text, Tesseract's OSD says which way
/// the page is turned, and the turned page is read again and kept if it reads better
/// (`image` is then the turned page, so that word boxes and header crops match it). A
/// reading that is still not text is marked unreadable.
pub fn read_upright(image: &mut PageImage, lm: &LanguageModel) -> anyhow::Result<OcrPage> {
    // A landscape page is most often a portrait one scanned sideways. Tesseract reads such
    // a page's lines itself (it turns vertical lines), but gives their boxes on the sideways
    // page and may put the header's columns in another order: it is turned before the read.
    let mut turned_first = 0;
    if image.width > image.height {
        if let Some(rotation) = orient::detect(image, orient::CONFIDENT) {
            *image = orient::rotate(image, rotation);
            turned_first = rotation.degrees();
        }
    }
    let skew = level(image);
    let stamps = stamp::take_out(image, ocr::read_block_lines);
    let mut first = ocr::recognize(image)?;
    first.rotation = turned_first;
    first.skew = skew;
    first.regions.extend(stamps);
    if !readable::reads_as_text(&first, lm) {
        if let Some(rotation) = orient::detect(image, orient::MIN_CONFIDENCE) {
            let mut turned = orient::rotate(image, rotation);
            // A page that lay sideways showed its lines as columns: its skew is measured
            // only now (a levelled page turned upside down stays level).
            let turned_skew = level(&mut turned);
            let turned_stamps = stamp::take_out(&mut turned, ocr::read_block_lines);
            let mut second = ocr::recognize(&turned)?;
            second.regions.extend(turned_stamps);
            if readable::text_likeness(&second, lm) > readable::text_likeness(&first, lm) {
                tracing::debug!(degrees = rotation.degrees(), "page turned upright");
                second.rotation = (turned_first + rotation.degrees()) % 360;
                second.skew = skew + turned_skew;
                *image = turned;
                first = second;
            }
        }
    }
    readable::judge(&mut first, lm);
    Ok(first)
}

/// Levels `image` in place when it lies crooked enough to hurt OCR; the degrees it was
/// turned clockwise, 0 when it was left bit for bit as it was (so that an upright page's
/// OCR, and its cached reading, are those of the scan itself).
fn level(image: &mut PageImage) -> f32 {
    match deskew::straighten(image) {
        Some((levelled, degrees)) => {
            tracing::debug!(degrees, "page levelled");
            *image = levelled;
            degrees
        }
        None => 0.0,
    }
}
