//! Reading the digits a clerk wrote or stamped into a header field ("Số: 280", "ngày 22").
//!
//! [`DigitReader`] is the interface: a crop of the page in, candidate digit strings with a
//! score out, best first. The neural digit reader (`src/ocr/neural/`) is meant to sit
//! behind it; until it is there, [`TesseractDigits`] re-reads the crop with Tesseract's
//! `eng` model restricted to digits, in a few segmentation modes, and lets them vote. On
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

/// Reads the digits in a crop of a header field. Implementations never panic and return
/// an empty list when they see no digits.
pub trait DigitReader {
    fn read_digits(&self, crop: &PageImage) -> Vec<DigitReading>;
    /// A short name for the evidence record ("tesseract-eng-digits").
    fn name(&self) -> &'static str;
}

/// The reader used at ingest.
pub fn default_reader() -> &'static dyn DigitReader {
    &TesseractDigits
}

/// Tesseract `eng`, digits only, voting over segmentation modes (line, word, raw line).
pub struct TesseractDigits;

/// The modes that vote: one text line, one word, a raw line without layout analysis.
const MODES: [PageSegMode; 3] = [PageSegMode::PsmSingleLine, PageSegMode::PsmSingleWord, PageSegMode::PsmRawLine];

thread_local! {
    static ENGINE: RefCell<Option<TessBaseApi>> = const { RefCell::new(None) };
}

fn new_engine() -> Option<TessBaseApi> {
    let mut api = TessBaseApi::create();
    let language = CString::new("eng").expect("no NUL");
    api.init_2(None, Some(&language)).ok()?;
    let _ = api.set_variable(c"debug_file", c"/dev/null");
    api.set_variable(c"tessedit_char_whitelist", c"0123456789").ok()?;
    Some(api)
}

impl DigitReader for TesseractDigits {
    fn name(&self) -> &'static str {
        "tesseract-eng-digits"
    }

    fn read_digits(&self, crop: &PageImage) -> Vec<DigitReading> {
        ENGINE.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.is_none() {
                *slot = new_engine();
            }
            let Some(api) = slot.as_mut() else {
                tracing::warn!("no Tesseract eng model: handwritten digits are not re-read (apt-get install tesseract-ocr-eng)");
                return Vec::new();
            };
            let readings: Vec<(String, f32)> = MODES.iter().filter_map(|&mode| read_once(api, crop, mode)).collect();
            vote(&readings, MODES.len())
        })
    }
}

/// One reading: the digits and Tesseract's mean confidence (0–100).
fn read_once(api: &mut TessBaseApi, crop: &PageImage, mode: PageSegMode) -> Option<(String, f32)> {
    let width = i32::try_from(crop.width).ok()?;
    let height = i32::try_from(crop.height).ok()?;
    api.set_page_seg_mode(mode.as_tess_page_seg_mode());
    api.set_image(&crop.pixels, width, height, 1, width).ok()?;
    api.set_source_resolution(crop.dpi as i32);
    api.recognize().ok()?;
    let text = api.get_utf8_text().ok()?;
    let digits: String = text.as_ref().to_string_lossy().chars().filter(char::is_ascii_digit).collect();
    let confidence = api.mean_text_conf() as f32;
    (!digits.is_empty()).then_some((digits, confidence))
}

/// Readings that agree add up: a string's score is the sum of its readings' confidences
/// over the number of modes tried (so three agreeing confident modes score near 1).
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
        let readings = TesseractDigits.read_digits(&crop);
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
