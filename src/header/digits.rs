//! Reading the digits a clerk wrote or stamped into a header field ("Số: 280", "ngày 22").
//!
//! [`DigitReader`] is the interface: a crop of the page in, candidate digit strings with a
//! score out, best first. [`NeuralDigits`] sits behind it at ingest: trueocr's line
//! recognizer (`crate::ocr::neural`, pure Rust) decoding the crop against the field's
//! pattern. Tesseract cannot read pen digits (on a crop of "349" with a digits-only
//! whitelist it returns "5"); the neural reader reads the hand-cut handwritten fields of
//! the Quảng Ngãi gold pages 12 of 12. Its readings are still one piece of evidence
//! among several (see [`super::combine`]).

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

/// A date line cut out of the page, from "ngày" to the year, for [`DigitReader::read_date_line`].
#[derive(Debug, Clone)]
pub struct DateLineCrop {
    pub line: PageImage,
    /// The printed month's digits, when page OCR read them with confidence.
    pub month: Option<String>,
    /// The printed year's four digits, when page OCR read them with confidence.
    pub year: Option<String>,
}

/// One reading of a date line: the day (1–31), the month (when it was read, not given),
/// and the reader's belief in it.
#[derive(Debug, Clone, PartialEq)]
pub struct DayReading {
    pub day: u8,
    pub month: Option<u8>,
    pub score: f32,
}

/// Reads the digits in a crop of a header field. Implementations never panic and return
/// an empty list when they see no digits.
pub trait DigitReader {
    fn read_digits(&self, field: &FieldCrop) -> Vec<DigitReading>;
    /// Reads the day (and the month, when `month` is not given) of a whole date line
    /// "ngày __ tháng MM năm YYYY" cut out of the page: the printed words anchor where the
    /// handwritten day starts and ends. A reader that only reads digit crops returns
    /// nothing.
    fn read_date_line(&self, _line: &DateLineCrop) -> Vec<DayReading> {
        Vec::new()
    }
    /// A short name for the evidence record ("neural-ctc-digits").
    fn name(&self) -> &'static str;
}

/// The reader used at ingest.
pub fn default_reader() -> &'static dyn DigitReader {
    &NeuralDigits
}

/// trueocr's line recognizer (`crate::ocr::neural`), the crop decoded against the field's
/// pattern (constrained CTC): on the hand-cut handwritten fields of the Quảng Ngãi gold
/// pages it reads 12 of 12 where Tesseract reads none. The crop may hold the printed marks
/// that border the field (the marker's ":", the suffix's "/"), so the pattern allows them
/// and they are dropped from the reading; readings that differ only by them add up.
pub struct NeuralDigits;

/// Readings asked of the recognizer per field.
const NEURAL_READINGS: usize = 5;

impl DigitReader for NeuralDigits {
    fn name(&self) -> &'static str {
        "neural-ctc-digits"
    }

    fn read_digits(&self, field: &FieldCrop) -> Vec<DigitReading> {
        let crop = &field.digits;
        let Some(gray) = crate::ocr::neural::Gray::new(crop.width as usize, crop.height as usize, &crop.pixels) else { return Vec::new() };
        // The crop reaches into the printed suffix's first mark: make the reading end on it,
        // or the model spends the slash on a "1" (a typed "107/" read as 1071).
        let mut pattern = crate::ocr::neural::Pattern::default().then_any_of(":", 0, 1).then_digits(1, field.max_digits.max(1));
        pattern = match field.after.as_deref().and_then(|a| a.chars().next()).filter(|c| matches!(c, '/' | '-')) {
            Some(mark) => pattern.then_literal(&mark.to_string()),
            None => pattern.then_any_of("/-", 0, 1),
        };
        let candidates = match crate::ocr::neural::read_field(&gray, &pattern, NEURAL_READINGS) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("the neural digit reader failed: {e:#}");
                return Vec::new();
            }
        };
        let mut out: Vec<DigitReading> = Vec::new();
        for c in candidates {
            let Some(text) = field_digits(&c.text) else { continue };
            match out.iter_mut().find(|r| r.text == text) {
                Some(r) => r.score += c.score,
                None => out.push(DigitReading { text, score: c.score }),
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out
    }

    fn read_date_line(&self, crop: &DateLineCrop) -> Vec<DayReading> {
        use crate::ocr::neural::Pattern;
        let line = &crop.line;
        let Some(gray) = crate::ocr::neural::Gray::new(line.width as usize, line.height as usize, &line.pixels) else { return Vec::new() };
        // The place's comma may reach into the cut; the printed words are literals, the day
        // 1–2 digits, so the model cannot spend a printed letter on a digit or a pen stroke
        // of the day on "tháng".
        let mut pattern = Pattern::default().then_any_of(",.", 0, 1).then_literal("ngày").then_digits(1, 2).then_literal("tháng");
        pattern = match &crop.month {
            Some(m) => pattern.then_literal(m),
            None => pattern.then_digits(1, 2),
        };
        pattern = pattern.then_literal("năm");
        pattern = match &crop.year {
            Some(y) => pattern.then_literal(y),
            None => pattern.then_digits(4, 4),
        };
        let candidates = match crate::ocr::neural::read_field(&gray, &pattern, NEURAL_READINGS) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("the neural digit reader failed on a date line: {e:#}");
                return Vec::new();
            }
        };
        let mut out: Vec<DayReading> = Vec::new();
        for c in candidates {
            let Some((day, month)) = date_line_fields(&c.text) else { continue };
            if !(1..=31).contains(&day) || month.is_some_and(|m| !(1..=12).contains(&m)) {
                continue;
            }
            let month = if crop.month.is_some() { None } else { month };
            match out.iter_mut().find(|r| r.day == day && r.month == month) {
                Some(r) => r.score += c.score,
                None => out.push(DayReading { day, month, score: c.score }),
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out
    }
}

/// The day and month of a date line reading "ngày24tháng01năm2025" (spaces dropped).
fn date_line_fields(text: &str) -> Option<(u8, Option<u8>)> {
    let after_day = text.split_once("ngày")?.1;
    let (day, rest) = after_day.split_once("tháng")?;
    let month = rest.split_once("năm").map(|(m, _)| m).unwrap_or("");
    Some((day.parse().ok()?, month.parse().ok()))
}

/// The digits of a reading: after the last ":" (the marker's colon) and before the first
/// "/" (the printed suffix's slash).
fn field_digits(text: &str) -> Option<String> {
    let after_colon = text.rsplit(':').next().unwrap_or(text);
    let before_slash = after_colon.split('/').next().unwrap_or("");
    let digits: String = before_slash.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
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

    /// The real reader on digits rendered here: a printed "157" must come back as "157".
    #[test]
    fn the_neural_reader_reads_digits_in_a_crop_and_drops_the_bordering_marks() {
        for (text, want) in [("157", "157"), ("22", "22"), ("349/", "349")] {
            let crop = render(text).expect("ImageMagick and fonts-liberation2 render test digits (scripts/setup.sh installs them)");
            let field = FieldCrop { digits: crop, max_digits: 5, after: None };
            let readings = NeuralDigits.read_digits(&field);
            assert_eq!(readings.first().map(|r| r.text.as_str()), Some(want), "{text}: {readings:?}");
            assert!(readings.windows(2).all(|w| w[0].score >= w[1].score) && readings.iter().map(|r| r.score).sum::<f32>() <= 1.01, "{readings:?}");
        }
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
