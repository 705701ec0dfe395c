//! Reading the digits a clerk wrote or stamped into a header field ("Số: 280", "ngày 22").
//!
//! [`DigitReader`] is the interface: a crop of the page in, candidate digit strings with a
//! score out, best first. The neural digit reader (`src/ocr/neural/`) is meant to sit
//! behind it; until it is there, [`TesseractDigits`] re-reads the crop with Tesseract's
//! `eng` model restricted to digits, in a few segmentation modes and scales, and lets them vote. On
//! the handwritten fields of the Quảng Ngãi development pages that reads about half the
//! fields right (the full-page `vie` reading gets almost none), so its readings are only
//! ever one piece of evidence among several (see [`super::combine`]).

use std::cell::RefCell;
use std::ffi::CString;

use tesseract::plumbing::TessBaseApi;
use tesseract::PageSegMode;

use crate::ocr::PageImage;

/// One reading of a field's digits.
#[derive(Debug, Clone, PartialEq)]
pub struct DigitReading {
    /// Digits only.
    pub text: String,
    /// 0–1: the reader's belief in this reading.
    pub score: f32,
}

/// A filled-in field cut out of the page, for a reader.
#[derive(Debug, Clone)]
pub struct FieldCrop {
    /// The filled-in part: the gap between the printed words, and above and below the
    /// line where handwriting reaches. It may hold the first printed mark after the gap
    /// (the "/" of "/BC-UBND"): a reader reads it as printed, not as a digit.
    pub digits: PageImage,
    /// At most this many digits (5 for a number, 2 for a day or a month).
    pub max_digits: usize,
    /// The printed text right after the gap, if any ("/BC-UBND"): a reader that reads
    /// whole lines can anchor the digits' end on it.
    pub after: Option<String>,
}

/// Reads the digits in a crop of a header field. Implementations never panic and return
/// an empty list when they see no digits.
pub trait DigitReader {
    fn read_digits(&self, field: &FieldCrop) -> Vec<DigitReading>;
    /// A short name for the evidence record ("tesseract-eng-digits").
    fn name(&self) -> &'static str;
}

/// The reader used at ingest.
pub fn default_reader() -> &'static dyn DigitReader {
    &TesseractDigits
}

/// Tesseract `eng`, digits (and the printed marks that border a field: "/", ":") only,
/// voting over segmentation modes and scales.
pub struct TesseractDigits;

/// The readings that vote: (segmentation mode, scale). Handwriting is read better at some
/// sizes than others, and no one size is best for every hand.
const VARIANTS: [(PageSegMode, f32); 4] = [
    (PageSegMode::PsmSingleLine, 1.0),
    (PageSegMode::PsmSingleLine, 2.0),
    (PageSegMode::PsmSingleWord, 2.0),
    (PageSegMode::PsmSingleLine, 0.5),
];

thread_local! {
    static ENGINE: RefCell<Option<TessBaseApi>> = const { RefCell::new(None) };
}

fn new_engine() -> Option<TessBaseApi> {
    let mut api = TessBaseApi::create();
    let language = CString::new("eng").expect("no NUL");
    api.init_2(None, Some(&language)).ok()?;
    let _ = api.set_variable(c"debug_file", c"/dev/null");
    api.set_variable(c"tessedit_char_whitelist", c"0123456789/:").ok()?;
    Some(api)
}

impl DigitReader for TesseractDigits {
    fn name(&self) -> &'static str {
        "tesseract-eng-digits"
    }

    fn read_digits(&self, field: &FieldCrop) -> Vec<DigitReading> {
        ENGINE.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.is_none() {
                *slot = new_engine();
            }
            let Some(api) = slot.as_mut() else {
                tracing::warn!("no Tesseract eng model: handwritten digits are not re-read (apt-get install tesseract-ocr-eng)");
                return Vec::new();
            };
            let mut readings = Vec::new();
            for (mode, scale) in VARIANTS {
                let image = if scale == 1.0 { None } else { scaled(&field.digits, scale) };
                let image = image.as_ref().unwrap_or(&field.digits);
                if let Some((text, confidence)) = read_once(api, image, mode) {
                    if let Some(digits) = field_digits(&text).filter(|d| d.len() <= field.max_digits) {
                        readings.push((digits, confidence));
                    }
                }
            }
            vote(&readings, VARIANTS.len())
        })
    }
}

/// The digits of a reading: after the last ":" (the marker's colon) and before the first
/// "/" (the printed suffix's slash).
fn field_digits(text: &str) -> Option<String> {
    let after_colon = text.rsplit(':').next().unwrap_or(text);
    let before_slash = after_colon.split('/').next().unwrap_or("");
    let digits: String = before_slash.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// `image` resized by `scale` (bilinear), with a white margin kept in proportion.
fn scaled(image: &PageImage, scale: f32) -> Option<PageImage> {
    let gray = image::GrayImage::from_raw(image.width, image.height, image.pixels.clone())?;
    let (w, h) = ((image.width as f32 * scale).round().max(8.0) as u32, (image.height as f32 * scale).round().max(8.0) as u32);
    let resized = image::imageops::resize(&gray, w, h, image::imageops::FilterType::Triangle);
    Some(PageImage { width: w, height: h, dpi: (image.dpi as f32 * scale).round() as u32, pixels: resized.into_raw() })
}

/// One reading: the text and Tesseract's mean confidence (0–100).
fn read_once(api: &mut TessBaseApi, crop: &PageImage, mode: PageSegMode) -> Option<(String, f32)> {
    let width = i32::try_from(crop.width).ok()?;
    let height = i32::try_from(crop.height).ok()?;
    api.set_page_seg_mode(mode.as_tess_page_seg_mode());
    api.set_image(&crop.pixels, width, height, 1, width).ok()?;
    api.set_source_resolution(crop.dpi.max(70) as i32);
    api.recognize().ok()?;
    let text = api.get_utf8_text().ok()?;
    let text = text.as_ref().to_string_lossy().trim().to_owned();
    // With a character whitelist Tesseract's LSTM reports a confidence of 0 for every
    // word (measured: "280" read right scores 0): agreement between the variants is then
    // the only measure, and each reading counts as a middling one.
    let confidence = match api.mean_text_conf() {
        c if c > 0 => c as f32,
        _ => WHITELISTED_CONFIDENCE,
    };
    (!text.is_empty()).then_some((text, confidence))
}

/// The confidence given to one whitelisted reading (see [`read_once`]).
const WHITELISTED_CONFIDENCE: f32 = 60.0;

/// Readings that agree add up: a string's score is the sum of its readings' confidences
/// over the number of readings tried (so all variants agreeing with confidence scores
/// near 1).
fn vote(readings: &[(String, f32)], tried: usize) -> Vec<DigitReading> {
    let mut out: Vec<DigitReading> = Vec::new();
    for (text, confidence) in readings {
        let share = confidence.clamp(0.0, 100.0) / 100.0 / tried.max(1) as f32;
        match out.iter_mut().find(|r| &r.text == text) {
            Some(r) => r.score += share,
            None => out.push(DigitReading { text: text.clone(), score: share }),
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.text.cmp(&b.text)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_marks_around_the_field_are_not_digits() {
        assert_eq!(field_digits("280/").as_deref(), Some("280"));
        assert_eq!(field_digits(":157/1").as_deref(), Some("157"));
        assert_eq!(field_digits("/"), None);
    }

    #[test]
    fn agreeing_modes_add_up_and_come_first() {
        let votes = vote(&[("280".into(), 90.0), ("230".into(), 60.0), ("280".into(), 84.0)], 3);
        assert_eq!(votes[0].text, "280");
        assert!((votes[0].score - 0.58).abs() < 0.01, "{votes:?}");
        assert_eq!(votes[1].text, "230");
        assert!(vote(&[], 3).is_empty());
    }

    /// The real reader on digits rendered here: a printed "157" must come back as "157".
    #[test]
    fn tesseract_reads_printed_digits_in_a_crop() {
        let crop = render("157").expect("ImageMagick and fonts-liberation2 render test digits (scripts/setup.sh installs them)");
        let field = FieldCrop { digits: crop, max_digits: 5, after: None };
        let readings = TesseractDigits.read_digits(&field);
        assert_eq!(readings.first().map(|r| r.text.as_str()), Some("157"), "{readings:?}");
    }

    /// Renders `text` in a serif font at 300 DPI with ImageMagick (installed by setup.sh for
    /// the render tests).
    fn render(text: &str) -> Option<PageImage> {
        let dir = tempfile::tempdir().ok()?;
        let out = dir.path().join("digits.pgm");
        let font = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf";
        let status = std::process::Command::new("/usr/bin/convert")
            .args(["-density", "300", "-font", font, "-pointsize", "14", "-background", "white", "-fill", "black"])
            .arg(format!("label:{text}"))
            .args(["-bordercolor", "white", "-border", "20", "-depth", "8"])
            .arg(&out)
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
        let bytes = std::fs::read(&out).ok()?;
        let (width, height, pixels) = pgm(&bytes)?;
        Some(PageImage { width, height, dpi: 300, pixels })
    }

    fn pgm(bytes: &[u8]) -> Option<(u32, u32, Vec<u8>)> {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).into_owned();
        let mut fields = text.split_ascii_whitespace();
        (fields.next()? == "P5").then_some(())?;
        let width: u32 = fields.next()?.parse().ok()?;
        let height: u32 = fields.next()?.parse().ok()?;
        let _max: u32 = fields.next()?.parse().ok()?;
        let pixels = bytes[bytes.len() - (width * height) as usize..].to_vec();
        Some((width, height, pixels))
    }
}
