//! Repair of garbled Vietnamese OCR text: a noisy-channel decoder over a syllable
//! language model and an OCR channel model, with a confidence per correction.
//!
//! (Skeleton: the repair owner replaces `Repairer`'s body.)

use serde::{Deserialize, Serialize};
use std::path::Path;

/// One token the repair changed, for review by a clerk.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Correction {
    /// 1-based line in the text given to [`Repairer::repair`].
    pub line: u32,
    /// Byte offset of the corrected token in the repaired text.
    pub start: usize,
    pub original: String,
    pub corrected: String,
    /// Posterior probability of `corrected`, 0–1.
    pub confidence: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner_up: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Repaired {
    pub text: String,
    pub corrections: Vec<Correction>,
}

/// A loaded repair model. Load once per process and share across threads.
pub struct Repairer {
    _private: (),
}

impl Repairer {
    /// Loads the dictionaries and models from `dir` (normally `dictionaries/`).
    pub fn load(dir: &Path) -> anyhow::Result<Repairer> {
        let _ = dir;
        Ok(Repairer { _private: () })
    }

    /// Repairs `text`, keeping its line structure.
    pub fn repair(&self, text: &str) -> Repaired {
        Repaired { text: crate::viet::nfc(text), corrections: Vec::new() }
    }
}
