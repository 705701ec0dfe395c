//! Ingest: walk a folder, detect each file's kind, skip unchanged files (by hash),
//! OCR pages in parallel, repair, extract, and index — one error line per bad file,
//! and the batch goes on.
//!
//! The stages, each its own module: [`walk`] finds files, [`kind`] tells what they hold,
//! `source` hashes and counts pages, `pages` reads one page (OCR) on a worker,
//! `document` turns pages into a record, and `batch` schedules it all.

use std::path::Path;

mod batch;
mod budget;
mod cpu;
mod document;
pub mod kind;
mod pages;
pub mod refill;
mod source;
mod text;
pub mod walk;

pub use batch::{run, Options, Summary};
pub use pages::ocr_image_page;
pub use source::{record_id, sha256_file};
pub use text::{decode_text, looks_like_text, read_text_file, MAX_TEXT_BYTES};

/// Reads, repairs and extracts one file into its record, without the index and on this
/// thread: what `batch` does for each file, for tests and for one-off use.
/// `Ok(None)` when the file is not something vanban ingests.
pub fn document_from_file(path: &Path, repairer: &crate::repair::Repairer) -> anyhow::Result<Option<crate::record::Document>> {
    let Some(file) = source::inspect(path)? else { return Ok(None) };
    let mut raw_pages = Vec::new();
    for task in 1..=file.tasks {
        raw_pages.extend(pages::read_task(&file, task, repairer, true).0?);
    }
    Ok(Some(document::build(&file, raw_pages, repairer, crate::authority::Authority::builtin())))
}
