//! How sure vanban is of each header field, and why: the part of the record that `show`,
//! `search`, `serve`, `export`, the evaluation and the review list read.
//!
//! The plain values stay where they always were ([`DocumentMeta`](crate::cite::DocumentMeta)'s
//! `id`, `date`, `issuer`, `type`), so every reader that only wants a value keeps working;
//! [`HeaderEvidence`] beside them says, per field, how the value was reached, the other
//! values considered, and whether a person must look (`needs_review`).
//!
//! Meaning of a value with its evidence:
//! - `needs_review == false`: the evidence agrees and is strong; the value is the answer.
//! - `needs_review == true` with a value: the best reading, stored so that a search finds it,
//!   but shown as unsure; the other candidates are listed.
//! - `needs_review == true` without a value (`id: null`): nothing was good enough to store;
//!   the candidates are what the machine saw.
//!
//! Old records have no evidence: every field then reads as "read from the text", unflagged.

use serde::{Deserialize, Serialize};

/// The own-metadata fields that carry evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldName {
    Number,
    Date,
    Issuer,
    #[serde(rename = "type")]
    DocType,
    Subject,
}

impl FieldName {
    pub const ALL: [FieldName; 5] = [FieldName::Number, FieldName::Date, FieldName::Issuer, FieldName::DocType, FieldName::Subject];

    /// The key used in JSON and on the command line ("number", "type" …).
    pub fn key(self) -> &'static str {
        match self {
            FieldName::Number => "number",
            FieldName::Date => "date",
            FieldName::Issuer => "issuer",
            FieldName::DocType => "type",
            FieldName::Subject => "subject",
        }
    }

    /// The field as a Vietnamese clerk names it.
    pub fn label_vi(self) -> &'static str {
        match self {
            FieldName::Number => "số, ký hiệu",
            FieldName::Date => "ngày ban hành",
            FieldName::Issuer => "cơ quan ban hành",
            FieldName::DocType => "loại văn bản",
            FieldName::Subject => "trích yếu",
        }
    }
}

/// Per field, how its value was reached. A field without an entry was read from the text
/// the old way (records made before evidence existed, or a field nobody doubted).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct HeaderEvidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<FieldEvidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<FieldEvidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<FieldEvidence>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<FieldEvidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<FieldEvidence>,
    /// The date as the page gave it, before other documents of the archive that cite this
    /// one were weighed in (see [`super::archive`]): each run starts again from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_as_read: Option<Box<DateAsRead>>,
}

/// The date field as the document's own pages gave it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DateAsRead {
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<FieldEvidence>,
    /// Flags of the text reader that the inferred date made stale ("date illegible").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags_removed: Vec<String>,
}

impl HeaderEvidence {
    pub fn is_empty(&self) -> bool {
        FieldName::ALL.iter().all(|&f| self.get(f).is_none())
    }

    pub fn get(&self, field: FieldName) -> Option<&FieldEvidence> {
        match field {
            FieldName::Number => self.number.as_ref(),
            FieldName::Date => self.date.as_ref(),
            FieldName::Issuer => self.issuer.as_ref(),
            FieldName::DocType => self.doc_type.as_ref(),
            FieldName::Subject => self.subject.as_ref(),
        }
    }

    pub fn slot(&mut self, field: FieldName) -> &mut Option<FieldEvidence> {
        match field {
            FieldName::Number => &mut self.number,
            FieldName::Date => &mut self.date,
            FieldName::Issuer => &mut self.issuer,
            FieldName::DocType => &mut self.doc_type,
            FieldName::Subject => &mut self.subject,
        }
    }

    /// Whether a person must look at `field`.
    pub fn needs_review(&self, field: FieldName) -> bool {
        self.get(field).is_some_and(|e| e.needs_review)
    }

    /// The fields flagged for review, in [`FieldName::ALL`] order.
    pub fn flagged(&self) -> Vec<FieldName> {
        FieldName::ALL.into_iter().filter(|&f| self.needs_review(f)).collect()
    }
}

/// How one field's value was reached.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FieldEvidence {
    /// 0–1: how likely the stored value is right (0 when there is none).
    pub confidence: f32,
    /// A person should check this field: the evidence disagrees, is weak, or is missing.
    #[serde(default)]
    pub needs_review: bool,
    /// Whether the stored value was read where the field is printed, or inferred from
    /// elsewhere (file name, signature, other documents); `show` and the web page say so.
    pub origin: Origin,
    /// Why the field needs review, in Vietnamese, for the clerk ("hai nguồn không khớp …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Every value considered, best first; the stored value (when there is one) is first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
}

impl FieldEvidence {
    /// The sources behind the stored value (the first candidate's).
    pub fn sources(&self) -> &[Evidence] {
        self.candidates.first().map_or(&[], |c| c.sources.as_slice())
    }

    /// Candidate values other than the stored one.
    pub fn alternatives(&self) -> impl Iterator<Item = &Candidate> {
        self.candidates.iter().skip(1)
    }

    /// What a clerk should be told about the field, in Vietnamese, when it needs review or
    /// was inferred ("cần kiểm tra: chỉ một nguồn: …; khả năng khác: 230/BC-UBND"); `None`
    /// for a value read and sure.
    pub fn note(&self) -> Option<String> {
        if !self.needs_review && self.origin != Origin::Inferred {
            return None;
        }
        let mut note = if self.needs_review { "cần kiểm tra".to_owned() } else { "suy ra".to_owned() };
        if let Some(reason) = &self.reason {
            note.push_str(": ");
            note.push_str(reason);
        } else {
            let kinds: Vec<&str> = self.sources().iter().filter(|s| s.agrees).map(|s| s.kind.label_vi()).collect();
            note.push_str(&format!(" từ {}", kinds.join(", ")));
        }
        let others: Vec<&str> = self.alternatives().filter(|c| c.confidence > 0.0).take(3).map(|c| c.value.as_str()).collect();
        if !others.is_empty() && !note.contains(others[0]) {
            note.push_str(&format!("; khả năng khác: {}", others.join(", ")));
        }
        Some(note)
    }
}

/// Where a stored value came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Read on the page where the field is printed or filled in.
    #[default]
    Read,
    /// Not legible on the page: reached from other evidence.
    Inferred,
    /// No value stored.
    None,
}

/// One value considered for a field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Candidate {
    /// In the field's stored form: canonical number, ISO date, issuer or type name.
    pub value: String,
    /// 0–1.
    pub confidence: f32,
    /// What supports this value (and, with `agrees: false`, what speaks against it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Evidence>,
}

/// One piece of evidence: what a source said.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// What the source said, as read ("Số: 280 /BC-UBND", "280-BC.pdf",
    /// "Thời gian ký: 26.11.2024 10:40:48 +07:00").
    pub text: String,
    /// 0–1: how much this source alone is worth.
    pub confidence: f32,
    /// 1-based page where it was read, when it comes from a page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// `false` when the source speaks against the candidate (a signing time before the date).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub agrees: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// The kinds of evidence a header field can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// The printed header as OCR read it (the text of the page).
    PrintedText,
    /// Printed words found by position on the page (word boxes of the header).
    HeaderLayout,
    /// Handwritten or stamped digits read from their crop of the page image.
    Handwriting,
    /// The PDF's own text layer.
    TextLayer,
    /// A digital signature (its organisation, its signing time).
    Signature,
    /// A receipt stamp ("CÔNG VĂN ĐẾN … Số … Ngày …").
    ReceiptStamp,
    /// The file's name (clerks name files by number; names can be wrong).
    FileName,
    /// The same number printed on a later page.
    LaterPage,
    /// Another document in the archive that cites this one.
    CitedBy,
    /// A document this one cites: its date bounds this one's (a document is dated on or
    /// after the documents it cites).
    Cites,
    /// A list of what exists (organs, type codes) the value was normalized against.
    Authority,
}

impl EvidenceKind {
    /// The source as a Vietnamese clerk would name it.
    pub fn label_vi(self) -> &'static str {
        match self {
            EvidenceKind::PrintedText => "chữ in trên trang",
            EvidenceKind::HeaderLayout => "vị trí trên trang",
            EvidenceKind::Handwriting => "chữ số viết tay",
            EvidenceKind::TextLayer => "lớp chữ của PDF",
            EvidenceKind::Signature => "chữ ký số",
            EvidenceKind::ReceiptStamp => "dấu công văn đến",
            EvidenceKind::FileName => "tên tệp",
            EvidenceKind::LaterPage => "trang sau",
            EvidenceKind::CitedBy => "văn bản khác trích dẫn",
            EvidenceKind::Cites => "ngày của văn bản được trích dẫn",
            EvidenceKind::Authority => "danh mục cơ quan, loại văn bản",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_round_trips_and_old_metadata_loads() {
        let mut evidence = HeaderEvidence::default();
        evidence.number = Some(FieldEvidence {
            confidence: 0.55,
            needs_review: true,
            origin: Origin::Read,
            reason: Some("chữ số viết tay đọc không chắc".to_owned()),
            candidates: vec![
                Candidate {
                    value: "280/BC-UBND".to_owned(),
                    confidence: 0.55,
                    sources: vec![Evidence { kind: EvidenceKind::FileName, text: "280-BC.pdf".to_owned(), confidence: 0.5, page: None, agrees: true }],
                },
                Candidate { value: "230/BC-UBND".to_owned(), confidence: 0.2, sources: Vec::new() },
            ],
        });
        let json = serde_json::to_string(&evidence).unwrap();
        assert!(json.contains("\"needs_review\":true") && json.contains("\"kind\":\"file_name\""), "{json}");
        assert!(!json.contains("agrees"), "agreeing evidence is the default and not written: {json}");
        let back: HeaderEvidence = serde_json::from_str(&json).unwrap();
        assert_eq!(back, evidence);
        assert_eq!(back.flagged(), [FieldName::Number]);
        assert_eq!(back.number.as_ref().unwrap().sources()[0].kind, EvidenceKind::FileName);

        // Metadata written before evidence existed still loads, with nothing flagged.
        let old = r#"{"id":"1582/QĐ-UBND","number_raw":"Số: 1582/QĐ-UBND","type":"Quyết định","issuer":null,"parent_issuer":null,"place":null,"date":"2025-03-17","subject":null,"signer":null,"signer_title":null,"recipients":[],"flags":[]}"#;
        let meta: crate::cite::DocumentMeta = serde_json::from_str(old).unwrap();
        assert!(meta.evidence.is_empty());
        assert!(meta.evidence.flagged().is_empty());
    }
}
