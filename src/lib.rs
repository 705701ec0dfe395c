//! vanban: scanned Vietnamese government directives → searchable, cross-referenced records.
//!
//! The folders follow the pipeline, and data flows one way:
//! file → pages ([`ocr`]) → raw text with word confidences → repaired text ([`repair`])
//! → document metadata + citations ([`cite`]) → [`record::Document`] → [`index`] → [`export`].
//! [`ingest`] drives the whole chain over a folder. Everything after OCR is a pure function
//! over text and records, so it is tested without Tesseract.

pub mod authority;
pub mod cite;
pub mod cli;
pub mod corrections;
pub mod eval;
pub mod export;
pub mod fsx;
pub mod header;
pub mod index;
pub mod ingest;
pub mod ocr;
pub mod page;
pub mod pdf;
pub mod record;
pub mod repair;
pub mod serve;
pub mod viet;
