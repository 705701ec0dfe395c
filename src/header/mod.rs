//! The document's own header fields — number, date, issuer, type — read from the page and
//! combined with every other piece of evidence the archive holds, each with its provenance
//! and confidence, and flagged for a person when the evidence is weak or disagrees.
//!
//! Two steps, because the page image exists only on the OCR worker:
//! 1. [`read_fields`] (on the worker, page image in memory): [`layout`] finds the "Số:" line,
//!    the date line and the issuer block among the OCR word boxes; the filled-in parts
//!    (handwritten or stamped number and day) are cut out ([`crop`]) and read by a
//!    [`digits::DigitReader`]. The result, a [`PageHeader`], travels with the page.
//! 2. [`apply`] (when the record is assembled): [`combine`] weighs the page header with the
//!    text reader's metadata, the digital signatures, the file's name and the later pages,
//!    and writes each field's value and [`evidence`] into the record.
//!
//! 3. [`subject`] cuts a subject that ran on into the body where the page's line geometry
//!    shows the body's opening line, and [`signer`] flags a signer's name whose words were
//!    read unsure or only by the second reading of the signature area; [`display`] writes
//!    the sure number and date into their lines of the text in place of a pen's digits read
//!    as glyphs.
//!
//! [`evidence`] is the record part (what show, search, serve, export and review read).

pub mod archive;
pub mod combine;
pub mod crop;
pub mod digits;
pub mod display;
pub mod evidence;
pub mod filename;
pub mod layout;
pub mod signer;
pub mod subject;

pub use evidence::{Candidate, DateAsRead, Evidence, EvidenceKind, FieldEvidence, FieldName, HeaderEvidence, Origin};
pub use layout::PageHeader;

use crate::ocr::PageImage;
use crate::record::{Document, OcrWord};

/// Finds the header fields among the page's words (`size`: the page in the words' pixels)
/// and, when the page image is at hand, reads their filled-in digits from it with the
/// default digit reader. `None` when the page has no header (no number line and no date
/// line).
pub fn read_fields(image: Option<&PageImage>, words: &[OcrWord], size: (u32, u32)) -> Option<PageHeader> {
    read_fields_with(image, words, size, digits::default_reader())
}

/// [`read_fields`] with a given digit reader.
pub fn read_fields_with(image: Option<&PageImage>, words: &[OcrWord], size: (u32, u32), reader: &dyn digits::DigitReader) -> Option<PageHeader> {
    let mut header = layout::find(words, size.0, size.1);
    if header.number.is_none() && header.date.is_none() {
        return None;
    }
    // Without the image (a born-digital page) the fields are typed: their words are all.
    let Some(image) = image else { return Some(header) };
    if let Some(number) = &mut header.number {
        let after = Some(number.suffix.clone());
        read_slot(image, &mut number.digits, reader, 5, after, None);
    }
    if let Some(date) = &mut header.date {
        read_day(image, &mut date.day, reader);
        // A printed month is read well by page OCR; only a filled-in one is cropped.
        let printed = date.month.ocr.trim().chars().all(|c| c.is_ascii_digit()) && !date.month.ocr.trim().is_empty() && date.month.ocr_confidence >= 70.0;
        if !printed {
            read_slot(image, &mut date.month, reader, 2, None, Some(digits::MONTH_TENS));
        }
        if !date.day.blank {
            read_date_line(image, date, printed, reader);
        }
    }
    Some(header)
}

fn read_slot(image: &PageImage, slot: &mut layout::Slot, reader: &dyn digits::DigitReader, max_digits: usize, after: Option<String>, leading: Option<&'static str>) {
    let Some(crop) = crop::crop(image, slot.field) else { return };
    if !crop::has_ink(&crop) {
        slot.blank = true;
        return;
    }
    slot.readings = reader.read_digits(&digits::FieldCrop { digits: crop, min_digits: 1, max_digits, after, leading });
}

/// Reads the day slot, its right edge cleared of the printed "tháng"'s first stroke.
fn read_day(image: &PageImage, slot: &mut layout::Slot, reader: &dyn digits::DigitReader) {
    let Some(mut crop) = crop::crop(image, slot.field) else { return };
    crop::clear_right_edge_marks(&mut crop);
    if !crop::has_ink(&crop) {
        slot.blank = true;
        return;
    }
    let readings = reader.read_digits(&digits::FieldCrop { digits: crop.clone(), min_digits: 1, max_digits: 2, after: None, leading: Some(digits::DAY_TENS) });
    slot.readings = if has_lone_digit(readings.iter().map(|r| (r.text.len(), r.score))) {
        let forced = reader.read_digits(&digits::FieldCrop { digits: crop, min_digits: 2, max_digits: 2, after: None, leading: Some(digits::DAY_TENS) });
        let pairs = |v: &[digits::DigitReading]| v.iter().map(|r| (r.text.clone(), r.score)).collect::<Vec<_>>();
        digits::spread_lone_digits(&pairs(&readings), &pairs(&forced)).into_iter().map(|(text, score)| digits::DigitReading { text, score }).collect()
    } else {
        readings
    };
}

/// Whether one-digit readings (length, score) carry enough weight to ask the reader for the
/// day's two digits (see [`digits::spread_lone_digits`]).
fn has_lone_digit(readings: impl Iterator<Item = (usize, f32)>) -> bool {
    readings.filter(|(len, _)| *len == 1).map(|(_, s)| s).sum::<f32>() >= 0.05
}

/// Reads the day again on the whole date line ("ngày __ tháng 02 năm 2025"), the printed
/// words fixing where it starts and ends, and pools it with the day crop's readings: a
/// tight crop of a pen "24" often reads as "2" (the stroke cut, the "4" taken for a mark).
fn read_date_line(image: &PageImage, date: &mut layout::DateLine, month_printed: bool, reader: &dyn digits::DigitReader) {
    let Some(line) = crop::crop(image, date.span) else { return };
    let month = month_printed.then(|| date.month.ocr.trim().to_owned());
    let year = date.year.as_ref().filter(|(y, c)| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) && *c >= 70.0).map(|(y, _)| y.clone());
    let crop = |day_min_digits| digits::DateLineCrop { line: line.clone(), month: month.clone(), year: year.clone(), day_min_digits };
    let readings = reader.read_date_line(&crop(1));
    // Only with the month given: a reading of the month too would not pool by day alone.
    date.line_readings = if month.is_some() && has_lone_digit(readings.iter().map(|r| (if r.day < 10 { 1 } else { 2 }, r.score))) {
        let forced = reader.read_date_line(&crop(2));
        let pairs = |v: &[digits::DayReading], two: bool| v.iter().map(|r| (if two { format!("{:02}", r.day) } else { r.day.to_string() }, r.score)).collect::<Vec<_>>();
        digits::spread_lone_digits(&pairs(&readings, false), &pairs(&forced, true))
            .into_iter()
            .filter_map(|(text, score)| Some(digits::DayReading { day: text.parse().ok()?, month: None, score }))
            .fold(Vec::new(), |mut out: Vec<digits::DayReading>, r| {
                match out.iter_mut().find(|o| o.day == r.day) {
                    Some(o) => o.score += r.score,
                    None => out.push(r),
                }
                out
            })
    } else {
        readings
    };
    date.line_readings.sort_by(|a, b| b.score.total_cmp(&a.score));
}

/// Weighs all evidence for the header fields of `doc` (whose metadata holds what the text
/// reader found) and stores the values with their evidence. `headers` are the pages' header
/// readings (page number, header), in page order; the first one is the document's header.
pub fn apply(doc: &mut Document, headers: &[(u32, PageHeader)]) {
    let header = headers.iter().find(|(_, h)| h.number.is_some()).or(headers.first()).map(|(p, h)| (*p, h));
    let page = header.map_or(1, |(p, _)| p);
    let text_layer = doc.pages.iter().find(|p| p.number == page).and_then(|p| p.text_layer.as_deref());
    let scanned = doc.pages.iter().find(|p| p.number == page).is_some_and(|p| p.source == crate::record::PageSource::Ocr);
    let inputs = combine::Inputs { source_path: &doc.source_path, header, signatures: &doc.signatures, citations: &doc.citations, text_layer, scanned };
    let mut meta = std::mem::take(&mut doc.metadata);
    combine::combine(&mut meta, &inputs);
    // The subject read from the text may run on into the body where the scan lost the
    // blank line between them: the first page's line geometry says where the body starts.
    if let (Some(subject), Some(first)) = (meta.subject.as_deref(), doc.pages.first()) {
        meta.subject = Some(subject::trim_to_layout(subject, &first.words, &first.repaired_text));
    }
    // The signer's name against the confidences and provenance of the words that read it.
    signer::review(&mut meta, &doc.pages);
    doc.metadata = meta;
    // The number and date lines show the fields' readings, not a pen's digits read as glyphs.
    if header.is_some() {
        display::show_fields(&doc.metadata, &mut doc.pages, &mut doc.citations, page);
    }
}
