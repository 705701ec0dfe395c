//! The document's own header fields — number, date, issuer, type — read from the page and
//! combined with every other piece of evidence the archive holds, each with its provenance
//! and confidence, and flagged for a person when the evidence is weak or disagrees.
//!
//! [`evidence`] is the record part (what show, search, serve, export and review read).

pub mod crop;
pub mod digits;
pub mod evidence;
pub mod filename;
pub mod layout;

pub use evidence::{Candidate, Evidence, EvidenceKind, FieldEvidence, FieldName, HeaderEvidence, Origin};
