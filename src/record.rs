//! The per-document record: what OCR, repair and extraction produce, and what index,
//! export and serve read. Stored as JSON beside the index so that `show` and `export`
//! never need to OCR again.

use serde::{Deserialize, Serialize};

use crate::cite::{Citation, DocumentMeta};
use crate::repair::Correction;

/// Bumped whenever a field changes meaning; readers refuse records from the future.
/// 2: `metadata.evidence` says per header field how sure the value is; a value may be stored
/// with `needs_review` (before, an unsure number was left out).
pub const RECORD_VERSION: u32 = 2;

/// Page separator in [`Document::full_text`]: cite counts it to give each citation its page.
pub const PAGE_BREAK: char = '\u{000C}';

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    pub record_version: u32,
    /// Stable key of the record: derived from the canonical source path, so that a changed
    /// file replaces its old record instead of adding a second one.
    pub id: String,
    /// The source file as given on the command line (canonicalized, UTF-8 lossy).
    pub source_path: String,
    /// Hex SHA-256 of the file's bytes; an unchanged file is skipped on re-ingest.
    pub sha256: String,
    pub source_kind: SourceKind,
    pub pages: Vec<Page>,
    pub metadata: DocumentMeta,
    pub citations: Vec<Citation>,
    /// Things a clerk should know about this record (dropped junk lines, empty pages,
    /// illegible number…), each a full sentence.
    pub warnings: Vec<String>,
    /// A PDF's digital signatures, in signing order (see `crate::pdf::signature`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<crate::pdf::Signature>,
    /// Seconds since the Unix epoch when the record was made.
    pub ingested_at: u64,
    /// The corrections people made that are in force, filled in when the record is read
    /// (never stored: the journal beside the records is their home; see `crate::corrections`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<crate::corrections::Applied>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Image,
    Tiff,
    Pdf,
    Text,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Page {
    /// 1-based.
    pub number: u32,
    pub source: PageSource,
    /// Text as OCR (or the `.txt` file) gave it, after junk lines were dropped.
    pub raw_text: String,
    /// A PDF page's own text layer, kept as a second source of text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_layer: Option<String>,
    /// Tesseract's mean word confidence (0–100); `None` for text input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_confidence: Option<f32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<OcrWord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped_lines: Vec<DroppedLine>,
    pub repaired_text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// A PDF page's text layer: how it was judged and used (`crate::pdf::layer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<crate::pdf::layer::LayerVerdict>,
    /// Degrees the scan was turned clockwise before OCR because it lay upside down or
    /// sideways (`crate::page::orient`); word boxes are in the turned page's pixels.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rotation: u16,
    /// Degrees the scan was then turned clockwise to level its lines because it lay
    /// crooked (a few degrees, `crate::page::deskew`); 0 when it was read as scanned.
    /// Word boxes are in the levelled page's pixels.
    #[serde(default, skip_serializing_if = "is_level")]
    pub skew: f32,
    /// Why the page's text is not usable (in Vietnamese), when OCR read only garbage even
    /// after turning it: its text is then empty and kept among `dropped_lines`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// Signature boxes and receipt stamps found on the scan, with what they say (signer
    /// organisation, signing time, receipt number and date): kept out of the text, the
    /// index's text field and citation extraction (`crate::page::regions`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<crate::page::Region>,
    /// Cited numbers whose digits were read again from the image because the page reading
    /// may have taken a digit for one of like shape (`crate::ocr::reread`): what each reader
    /// saw and what was decided. A changed number stands changed in `raw_text` and `words`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rereads: Vec<crate::ocr::reread::NumberReread>,
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

fn is_level(degrees: &f32) -> bool {
    *degrees == 0.0
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PageSource {
    #[default]
    Ocr,
    TextFile,
    /// The PDF's own text layer, judged faithful: nothing was OCR'd.
    TextLayer,
}

/// One word as Tesseract saw it: text, confidence (0–100) and box in page pixels.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OcrWord {
    pub text: String,
    pub confidence: f32,
    /// left, top, width, height.
    pub bbox: [u32; 4],
    /// 1-based line number within the page's raw text.
    pub line: u32,
}

/// A line Tesseract produced that was judged to be noise (speckle, rules, stamps).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DroppedLine {
    pub text: String,
    pub mean_confidence: f32,
    pub reason: String,
}

impl Document {
    /// Repaired text of all pages joined by [`PAGE_BREAK`].
    pub fn full_text(&self) -> String {
        join_pages(self.pages.iter().map(|p| p.repaired_text.as_str()))
    }

    /// Each page's cited numbers read again from the image, by page number: what
    /// `cite::from_rereads` puts on the citations each time they are extracted.
    pub fn rereads(&self) -> Vec<(u32, &[crate::ocr::reread::NumberReread])> {
        self.pages.iter().map(|p| (p.number, p.rereads.as_slice())).collect()
    }

    /// Raw (unrepaired) text of all pages joined by [`PAGE_BREAK`].
    pub fn raw_full_text(&self) -> String {
        join_pages(self.pages.iter().map(|p| p.raw_text.as_str()))
    }
}

fn join_pages<'a>(pages: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, text) in pages.enumerate() {
        if i > 0 {
            out.push(PAGE_BREAK);
        }
        out.push_str(text);
    }
    out
}
