//! The canonical document number/symbol: `25-NQ/TW`, `30/2020/NĐ-CP`, `33/CT-TTg`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A canonical document id, NFC, in the official casing. Used as the index key, so two
/// spellings of the same number must produce the same `DocId`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(String);

impl DocId {
    /// Parses a number/symbol from messy text (spaces, OCR damage). `None` when nothing
    /// that looks like a document number is there.
    pub fn parse(text: &str) -> Option<DocId> {
        let compact: String = text.split_whitespace().collect();
        if compact.is_empty() || !compact.contains('/') {
            return None;
        }
        Some(DocId(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key the index stores and number queries are compared on: folded (no
    /// diacritics, đ→d), upper case, no spaces. `30/2020/NĐ-CP` → `30/2020/ND-CP`.
    pub fn index_key(&self) -> String {
        crate::viet::fold(&self.0).to_uppercase()
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
