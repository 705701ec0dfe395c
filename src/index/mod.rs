//! The archive: a tantivy index plus the JSON records stored beside it (`DIR/records`).
//!
//! (Skeleton: the index owner fills this module. Ingest relies on `Archive::open_or_create`,
//! `Archive::known_hash`, `Archive::writer`, `ArchiveWriter::upsert` and `ArchiveWriter::commit`;
//! export and show on `Archive::open_read_only`, `Archive::records` and `Archive::find`.)

use anyhow::bail;
use std::path::Path;

use crate::record::Document;

pub struct Archive {
    _private: (),
}

pub struct ArchiveWriter {
    _private: (),
}

impl Archive {
    /// Opens the archive for writing, creating it when absent.
    pub fn open_or_create(dir: &Path) -> anyhow::Result<Archive> {
        let _ = dir;
        bail!("index not written yet")
    }

    /// Opens an existing archive read-only (search, show, export): safe while an ingest runs.
    pub fn open_read_only(dir: &Path) -> anyhow::Result<Archive> {
        let _ = dir;
        bail!("index not written yet")
    }

    /// The SHA-256 of the committed record for `record_id`, if any.
    pub fn known_hash(&self, record_id: &str) -> anyhow::Result<Option<String>> {
        let _ = record_id;
        bail!("index not written yet")
    }

    /// The single writer of this archive (tantivy allows one per index).
    pub fn writer(&self) -> anyhow::Result<ArchiveWriter> {
        bail!("index not written yet")
    }

    /// Every committed record.
    pub fn records(&self) -> anyhow::Result<Vec<Document>> {
        bail!("index not written yet")
    }

    /// Records matching a record id, a source path or a document number.
    pub fn find(&self, key: &str) -> anyhow::Result<Vec<Document>> {
        let _ = key;
        bail!("index not written yet")
    }
}

impl ArchiveWriter {
    /// Adds `doc`, replacing any earlier record with the same id. Visible after `commit`.
    pub fn upsert(&mut self, doc: &Document) -> anyhow::Result<()> {
        let _ = doc;
        bail!("index not written yet")
    }

    /// Makes everything upserted so far durable and visible, atomically.
    pub fn commit(&mut self) -> anyhow::Result<()> {
        bail!("index not written yet")
    }
}
