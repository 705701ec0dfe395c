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
    /// At least this many digits (1, or 2 to ask for a day's two digits: see
    /// [`spread_lone_digits`]).
    pub min_digits: usize,
    /// At most this many digits (5 for a number, 2 for a day or a month).
    pub max_digits: usize,
    /// The printed text right after the gap, if any ("/BC-UBND"): a reader that reads
    /// whole lines can anchor the digits' end on it.
    pub after: Option<String>,
    /// For a two-digit field, the digits its first one may be ([`DAY_TENS`], [`MONTH_TENS`]);
    /// `None`: any digit.
    pub leading: Option<&'static str>,
}

/// A day's tens digit: days run 01–31. Telling the reader so turns its commonest
/// misreading of a pen day, a "1" with a flag read as "4" ("47" for 17, "46" for 16), into
/// the reading of the right shape it ranked next, instead of a day no month has.
pub const DAY_TENS: &str = "0123";
/// A month's tens digit (01–12).
pub const MONTH_TENS: &str = "01";

/// A date line cut out of the page, from "ngày" to the year, for [`DigitReader::read_date_line`].
#[derive(Debug, Clone)]
pub struct DateLineCrop {
    pub line: PageImage,
    /// The printed month's digits, when page OCR read them with confidence.
    pub month: Option<String>,
    /// The printed year's four digits, when page OCR read them with confidence.
    pub year: Option<String>,
    /// At least this many digits in the day (1, or 2: see [`spread_lone_digits`]).
    pub day_min_digits: usize,
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
        // The crop reaches into the printed suffix's first mark: make the reading end on it,
        // or the model spends the slash on a "1" (a typed "107/" read as 1071).
        let mut pattern = crate::ocr::neural::Pattern::default().then_any_of(":", 0, 1).then_digits(field.min_digits.clamp(1, field.max_digits.max(1)), field.max_digits.max(1));
        pattern = match field.after.as_deref().and_then(|a| a.chars().next()).filter(|c| matches!(c, '/' | '-')) {
            Some(mark) => pattern.then_literal(&mark.to_string()),
            None => pattern.then_any_of("/-", 0, 1),
        };
        // A field of known shape (a day's tens are 0–3) is asked for more readings, and those
        // of another shape are dropped; the rest keep their weight (not scaled up), so the
        // weight the reader put on impossible readings stays doubt. (The pattern cannot
        // say it: "one digit, or a tens digit then one" is ambiguous to the beam search.)
        let leading = field.leading.filter(|_| field.max_digits == 2);
        let asked = if leading.is_some() { NEURAL_READINGS * 4 } else { NEURAL_READINGS };
        // The writing is read cut tight to its ink, as the recognizer saw lines in training,
        // in several views whose readings are averaged (see [`super::crop::ink_views`]).
        let mut views = super::crop::ink_views(crop);
        if views.is_empty() {
            views.push(crop.clone());
        }
        let mut out: Vec<DigitReading> = Vec::new();
        for view in &views {
            let Some(gray) = crate::ocr::neural::Gray::new(view.width as usize, view.height as usize, &view.pixels) else { continue };
            let candidates = match crate::ocr::neural::read_field(&gray, &pattern, asked) {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!("the neural digit reader failed: {e:#}");
                    return Vec::new();
                }
            };
            for c in candidates {
                let Some(text) = field_digits(&c.text) else { continue };
                if leading.is_some_and(|l| text.len() == 2 && !l.contains(&text[..1])) {
                    continue;
                }
                let score = c.score / views.len() as f32;
                match out.iter_mut().find(|r| r.text == text) {
                    Some(r) => r.score += score,
                    None => out.push(DigitReading { text, score }),
                }
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out.truncate(NEURAL_READINGS);
        out
    }

    fn read_date_line(&self, crop: &DateLineCrop) -> Vec<DayReading> {
        use crate::ocr::neural::Pattern;
        let line = &crop.line;
        let Some(gray) = crate::ocr::neural::Gray::new(line.width as usize, line.height as usize, &line.pixels) else { return Vec::new() };
        // The place's comma may reach into the cut; the printed words are literals, the day
        // 1–2 digits, so the model cannot spend a printed letter on a digit or a pen stroke
        // of the day on "tháng".
        let mut pattern = Pattern::default().then_any_of(",.", 0, 1).then_literal("ngày").then_digits(crop.day_min_digits.clamp(1, 2), 2).then_literal("tháng");
        pattern = match &crop.month {
            Some(m) => pattern.then_literal(m),
            None => pattern.then_digits(1, 2),
        };
        pattern = pattern.then_literal("năm");
        pattern = match &crop.year {
            Some(y) => pattern.then_literal(y),
            None => pattern.then_digits(4, 4),
        };
        // More readings than are kept: those with a day or month no calendar has are
        // dropped below, and the readings of a possible shape ranked after them are wanted.
        let candidates = match crate::ocr::neural::read_field(&gray, &pattern, NEURAL_READINGS * 4) {
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
        out.truncate(NEURAL_READINGS);
        out
    }
}

/// Moves the weight of one-digit readings of a day onto the two-digit readings of the same
/// ink that hold that digit (`forced`: the reader asked for exactly two digits).
///
/// Decree 30/2020 (Phụ lục I) has days below 10 written with a leading zero ("ngày 05"), so
/// a day read as one digit is usually a day whose other digit the reader lost (a pen "20"
/// whose "0" runs into the "2", read "2"): the forced reading says which. A forced "02"
/// keeps the weight on the lone digit's own day; a lone digit no forced reading holds keeps
/// its weight. Both views stay candidates; only the weights move.
pub fn spread_lone_digits(readings: &[(String, f32)], forced: &[(String, f32)]) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = Vec::new();
    let mut add = |text: &str, score: f32| match out.iter_mut().find(|(t, _)| t == text) {
        Some((_, s)) => *s += score,
        None => out.push((text.to_owned(), score)),
    };
    for (text, score) in readings {
        let lone = text.len() == 1;
        let holding: Vec<&(String, f32)> = if lone { forced.iter().filter(|(f, _)| f.len() == 2 && f.contains(text.as_str())).collect() } else { Vec::new() };
        let total: f32 = holding.iter().map(|(_, s)| s).sum();
        if total <= 0.0 {
            add(text, *score);
            continue;
        }
        for (f, s) in holding {
            add(f, score * s / total);
        }
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
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
    fn a_lone_digit_moves_its_weight_to_the_two_digit_readings_that_hold_it() {
        let s = |v: &[(&str, f32)]| v.iter().map(|&(t, x)| (t.to_owned(), x)).collect::<Vec<_>>();
        // A pen "24" read "2" or "4": asked for two digits, the reader sees "24".
        let out = spread_lone_digits(&s(&[("2", 0.42), ("4", 0.27), ("24", 0.09)]), &s(&[("24", 0.64), ("21", 0.19), ("34", 0.04)]));
        assert_eq!(out[0].0, "24");
        assert!((out[0].1 - (0.09 + 0.42 * 0.64 / 0.83 + 0.27 * 0.64 / 0.68)).abs() < 1e-4, "{out:?}");
        assert!(!out.iter().any(|(t, _)| t == "2" || t == "4"), "{out:?}");
        // A "05" read "5": the forced "05" keeps the weight on the fifth.
        let out = spread_lone_digits(&s(&[("5", 0.8)]), &s(&[("05", 0.7), ("15", 0.1)]));
        assert_eq!(out[0].0, "05");
        // Nothing forced holds the digit: it keeps its weight; two-digit readings are left.
        let out = spread_lone_digits(&s(&[("7", 0.5), ("12", 0.3)]), &s(&[("12", 0.9)]));
        assert_eq!(out, s(&[("7", 0.5), ("12", 0.3)]));
        let total: f32 = spread_lone_digits(&s(&[("2", 0.6), ("20", 0.1)]), &s(&[("20", 0.3), ("28", 0.3)])).iter().map(|r| r.1).sum();
        assert!((total - 0.7).abs() < 1e-4, "weights move, they are not made: {total}");
    }

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
            let field = FieldCrop { digits: crop, min_digits: 1, max_digits: 5, after: None, leading: None };
            let readings = NeuralDigits.read_digits(&field);
            assert_eq!(readings.first().map(|r| r.text.as_str()), Some(want), "{text}: {readings:?}");
            assert!(readings.windows(2).all(|w| w[0].score >= w[1].score) && readings.iter().map(|r| r.score).sum::<f32>() <= 1.01, "{readings:?}");
        }
    }

    /// A day's crop is read as a day: two digits only with a tens digit of 0–3.
    #[test]
    fn a_day_is_read_with_a_tens_digit_a_day_can_have() {
        let crop = render("27").expect("ImageMagick and fonts-liberation2 render test digits (scripts/setup.sh installs them)");
        let day = |min_digits| NeuralDigits.read_digits(&FieldCrop { digits: crop.clone(), min_digits, max_digits: 2, after: None, leading: Some(DAY_TENS) });
        assert_eq!(day(1).first().map(|r| r.text.as_str()), Some("27"));
        let crop = render("47").expect("rendered");
        let readings = NeuralDigits.read_digits(&FieldCrop { digits: crop, min_digits: 2, max_digits: 2, after: None, leading: Some(DAY_TENS) });
        assert!(!readings.is_empty() && readings.iter().all(|r| r.text.len() == 2 && DAY_TENS.contains(&r.text[..1])), "{readings:?}");
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
