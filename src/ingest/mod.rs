//! Ingest: walk a folder, detect each file's kind, skip unchanged files (by hash),
//! OCR pages in parallel, repair, extract, and index — one error line per bad file,
//! and the batch goes on.
//!
//! The stages, each its own module: [`walk`] finds files, [`kind`] tells what they hold,
//! `source` hashes and counts pages, `pages` reads one page (OCR) on a worker,
//! `document` turns pages into a record, and `batch` schedules it all.

use anyhow::{bail, Context};
use std::path::Path;

mod batch;
mod cpu;
mod document;
pub mod kind;
mod pages;
mod source;
pub mod walk;

pub use batch::{run, Options, Summary};
pub use source::{record_id, sha256_file};

/// Reads, repairs and extracts one file into its record, without the index and on this
/// thread: what `batch` does for each file, for tests and for one-off use.
/// `Ok(None)` when the file is not something vanban ingests.
pub fn document_from_file(path: &Path, repairer: &crate::repair::Repairer) -> anyhow::Result<Option<crate::record::Document>> {
    let Some(file) = source::inspect(path)? else { return Ok(None) };
    let mut raw_pages = Vec::new();
    for task in 1..=file.tasks {
        raw_pages.extend(pages::read_task(&file, task, repairer, true).0?);
    }
    Ok(Some(document::build(&file, raw_pages, repairer)))
}

/// Largest `.txt` input accepted: a 500-page OCR text layer is about 2 MB, so anything
/// this big is not one document (or not text) and would only exhaust memory.
pub const MAX_TEXT_BYTES: u64 = 64 << 20;

/// Reads a `.txt` file that holds OCR output. See [`decode_text`].
pub fn read_text_file(path: &Path) -> anyhow::Result<String> {
    let size = std::fs::metadata(path).context("cannot read the file")?.len();
    if size > MAX_TEXT_BYTES {
        bail!("the text file is {} MB, over the limit of {} MB for one document; split it", size >> 20, MAX_TEXT_BYTES >> 20);
    }
    let bytes = std::fs::read(path).context("cannot read the file")?;
    decode_text(&bytes)
}

/// UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused with a
/// reason a clerk can act on. The result is NFC.
pub fn decode_text(bytes: &[u8]) -> anyhow::Result<String> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        std::str::from_utf8(rest).map(str::to_owned).map_err(not_utf8)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        decode_utf16(rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        decode_utf16(rest, u16::from_be_bytes)?
    } else {
        std::str::from_utf8(bytes).map(str::to_owned).map_err(not_utf8)?
    };
    Ok(crate::viet::nfc(&text))
}

fn not_utf8(e: std::str::Utf8Error) -> anyhow::Error {
    anyhow::anyhow!(
        "not UTF-8 text (invalid byte at offset {}); save it as UTF-8 (or UTF-16 with a BOM) and ingest again",
        e.valid_up_to()
    )
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> anyhow::Result<String> {
    if !bytes.len().is_multiple_of(2) {
        bail!("UTF-16 text with an odd number of bytes: the file is truncated");
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| anyhow::anyhow!("invalid UTF-16 text: {e}"))
}
