//! Citation extraction: the document's own metadata and every document it cites.
//!
//! Stages (each its own module, each tested alone), as in eyecite:
//! [`clean`] (NFC text and its folded twin) → [`tokenize`] → [`extract`](mod@extract) (citations,
//! by the grammar in [`docid`] and [`vocab`]) and [`meta`] (the header and footer) →
//! [`resolve`] (short forms, the document's own number, one row per document per sentence).
//! Entry point: [`extract()`] (or [`extract_both`] for a repaired text with its raw OCR text).
//! The canonical number/symbol type is [`DocId`].
//!
//! What the citations list means, for export users:
//! - one entry per citation *occurrence*, so page, line and context lead to every place a
//!   document is cited; the same document twice in one sentence is one entry;
//! - short forms ("Chỉ thị 35", "Nghị quyết 18") are entries of the full citation they stand
//!   for (its id, date, issuer), with their own span; a short form the document never cites in
//!   full is dropped, as is "Quyết định này" (the document itself) and a form number
//!   ("Mẫu số 01/TP-HGTM");
//! - `start`/`end` are char offsets in the NFC text, `page` counts form feeds, `line` is the
//!   line within that page; `context` is the clause around the citation, on one line.
//!
//! Accuracy and speed: `vanban eval cite` and `cargo bench --bench cite`.

use serde::{Deserialize, Serialize};

mod both;
pub mod clean;
mod correct;
mod dates;
pub mod damage;
mod docid;
pub mod eval;
mod extract;
pub mod flag;
pub(crate) mod meta;
mod ocr_words;
mod resolve;
mod subject;
mod surname;
pub mod tokenize;
pub(crate) mod vocab;
pub use both::{extract_both, extract_both_with};
pub use correct::{against_archive, from_rereads, ArchiveReading, ArchiveVerdict, IdCorrection};
pub use dates::garbled_date_year;
pub use dates::parse_loose as parse_date;
pub use docid::DocId;
pub use resolve::key as citation_key;

/// How the citing document relates to the cited one.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// "Căn cứ …": legal basis.
    CanCu,
    /// "Thực hiện …", "Triển khai …": implements.
    ThucHien,
    /// "… thay thế …": replaces.
    ThayThe,
    /// "sửa đổi, bổ sung …": amends.
    SuaDoi,
    /// "bãi bỏ …": repeals.
    BaiBo,
    /// Any other reference.
    #[default]
    Mention,
}

impl Relation {
    /// The relation as a Vietnamese clerk names it ("căn cứ", "thực hiện" …).
    pub fn label(self) -> &'static str {
        match self {
            Relation::CanCu => "căn cứ",
            Relation::ThucHien => "thực hiện",
            Relation::ThayThe => "thay thế",
            Relation::SuaDoi => "sửa đổi, bổ sung",
            Relation::BaiBo => "bãi bỏ",
            Relation::Mention => "nhắc đến",
        }
    }
}

/// One cited document, as found in the text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Citation {
    /// Document type in words, e.g. "Nghị quyết", "Luật".
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Canonical number/symbol; `None` for a law cited only by name.
    pub id: Option<DocId>,
    /// A law's or code's name when cited by name ("Luật Đầu tư công").
    /// Always serialized (`null` when absent) so every citation object has the same keys.
    #[serde(default)]
    pub name: Option<String>,
    pub number: Option<String>,
    pub year: Option<u16>,
    pub symbol: Option<String>,
    /// ISO date (YYYY-MM-DD).
    pub date: Option<String>,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub relation: Relation,
    /// The span as it stands in the text that was searched.
    pub raw: String,
    /// 1-based page and line of the span's start.
    pub page: u32,
    pub line: u32,
    /// Char offsets of the span in the full text (pages joined by form feed).
    pub start: usize,
    pub end: usize,
    /// The sentence around the citation, for export and search snippets.
    #[serde(default)]
    pub context: String,
    /// The same citation in the raw OCR text, when [`extract_both`] was given it.
    #[serde(default)]
    pub ocr: Option<OcrSpan>,
    /// When the printed number could not exist, or was one OCR misreading from a known
    /// document the sentence agrees with: the number as printed, why, and how sure.
    /// Always serialized (`null` when none), like every field of a citation.
    #[serde(default)]
    pub correction: Option<IdCorrection>,
    /// Fields the sentence does not give, taken from the list of documents known to exist
    /// (the legal corpus, the archive): "date", "type", "issuer". Always serialized.
    #[serde(default)]
    pub inferred: Vec<String>,
    /// Fields a person should check because what was read there does not read right:
    /// "subject" when the words after the number are not Vietnamese (OCR garbage such as
    /// "phân khat.iih phí"); the subject is then left empty (the sentence is in `context`).
    /// Always serialized.
    #[serde(default)]
    pub review: Vec<String>,
}

impl Citation {
    /// Whether the issuer says no more than the number's code implies ("Tỉnh ủy" for a
    /// `-KH/TU`, or none): a sentence's own words, a list's, or a corrected number's code
    /// may then replace it; an issuer the sentence stated may not be replaced.
    pub fn issuer_only_implied(&self) -> bool {
        self.issuer.is_none() || self.issuer.as_deref() == self.id.as_ref().and_then(DocId::implied_issuer)
    }
}

/// Where a citation stands in the raw OCR text (char offsets, 1-based page and line).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct OcrSpan {
    pub raw: String,
    pub page: u32,
    pub line: u32,
    pub start: usize,
    pub end: usize,
}

/// The document's own metadata from its header and footer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct DocumentMeta {
    pub id: Option<DocId>,
    /// The number line as printed ("Số: 1582/QĐ-UBND").
    pub number_raw: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub issuer: Option<String>,
    /// The superior body line above the issuer, if any ("ĐẢNG BỘ TỈNH BÌNH PHƯỚC").
    pub parent_issuer: Option<String>,
    pub place: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    pub subject: Option<String>,
    pub signer: Option<String>,
    pub signer_title: Option<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Doubts about what was read, in Vietnamese for the clerk (see [`flag`]).
    #[serde(default)]
    pub flags: Vec<String>,
    /// Per field: how its value was reached, the other candidates, and whether a person
    /// must check it (`needs_review`). See [`crate::header::HeaderEvidence`].
    #[serde(default, skip_serializing_if = "crate::header::HeaderEvidence::is_empty")]
    pub evidence: crate::header::HeaderEvidence,
}

/// What [`extract`] finds in a document's text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Extraction {
    pub document: DocumentMeta,
    pub citations: Vec<Citation>,
}

/// Extracts the document's own metadata and its citations from its full text
/// (pages joined by [`crate::record::PAGE_BREAK`]). Works on raw OCR and repaired text.
/// Offsets are char offsets in the NFC form of `text` (the same as `text` when it is NFC,
/// as repaired text always is). Never panics; linear in the length of `text`.
pub fn extract(text: &str) -> Extraction {
    extract_with(text, crate::authority::Authority::builtin())
}

/// [`extract`] against `authority` (the tables of a dictionaries folder, extended with the
/// documents of the archive), which decides what a cited number can be.
pub fn extract_with(text: &str, authority: &crate::authority::Authority) -> Extraction {
    let cleaned = clean::Cleaned::new(text);
    let tokens = tokenize::tokenize(&cleaned);
    let (document, own) = meta::read(&cleaned, &tokens);
    let (found, shorts) = extract::Extractor::new(&cleaned, &tokens, authority).run();
    let own_id = own.as_ref().and_then(|o| o.id.as_ref());
    let citations = resolve::resolve(found, shorts, own_id, own.as_ref().map(|o| o.span), authority);
    Extraction { document, citations }
}
