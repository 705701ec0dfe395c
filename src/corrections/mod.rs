//! Corrections by people: the fields a clerk sets because the machine could not read them.
//!
//! Corrections are data, not edits of the record ([`journal`]): every read of a record
//! applies them ([`apply`]), the search index is updated at once with the corrected values
//! ([`save`]), and a re-ingest of the source keeps them (the journal is keyed by the
//! record id, which the source path decides). Values are checked first ([`validate`]).

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub mod apply;
pub mod journal;
pub mod review;
pub mod validate;

pub use apply::{apply, Applied};
pub use journal::{Change, Entry, Field, Journal, NewEntry};
pub use validate::{Edit, Invalid};

use crate::index::Archive;
use crate::record::Document;

/// The journal of one index, read again only when it has grown (it is only appended to),
/// so that an export applying it to every record reads it once.
pub struct JournalCache {
    path: PathBuf,
    slot: Mutex<Option<(u64, Arc<Journal>)>>,
}

impl JournalCache {
    pub fn new(index_dir: &Path) -> JournalCache {
        JournalCache { path: journal::path_in(index_dir), slot: Mutex::new(None) }
    }

    /// The journal as it is on disk now.
    pub fn get(&self) -> anyhow::Result<Arc<Journal>> {
        let len = match std::fs::metadata(&self.path) {
            Ok(meta) => meta.len(),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => 0,
            Err(err) => return Err(err).with_context(|| format!("cannot read the corrections journal {}", self.path.display())),
        };
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((cached_len, journal)) = slot.as_ref() {
            if *cached_len == len {
                return Ok(Arc::clone(journal));
            }
        }
        let journal = Arc::new(if len == 0 { Journal::default() } else { Journal::read(&self.path)? });
        *slot = Some((len, Arc::clone(&journal)));
        Ok(journal)
    }

    /// Applies the corrections in force to `doc`.
    pub fn apply(&self, doc: &mut Document) -> anyhow::Result<()> {
        let journal = self.get()?;
        apply::apply(doc, &journal);
        Ok(())
    }
}

/// No committed record has this id.
#[derive(Debug)]
pub struct NoRecord(pub String);

impl std::fmt::Display for NoRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Không có văn bản nào mang mã “{}” trong kho.", self.0)
    }
}

impl std::error::Error for NoRecord {}

/// What a save wrote, and the record as it now reads.
#[derive(Debug)]
pub struct Saved {
    pub entries: Vec<Entry>,
    pub record: Document,
}

/// Checks `edits` on record `record_id`, appends them to the journal as one save by `by`,
/// and updates the search index so that a search by a corrected number finds the document
/// at once. Nothing is written when a value is invalid ([`Invalid`]), the record does not
/// exist ([`NoRecord`]) or the index is busy.
pub fn save(index_dir: &Path, record_id: &str, by: &str, edits: &[Edit], authority: &crate::authority::Authority) -> anyhow::Result<Saved> {
    let by = validate::check_name(by)?;
    write(index_dir, record_id, |doc| {
        let changes = validate::plan(doc, edits, authority)?;
        Ok(changes.into_iter().map(|change| NewEntry { by: by.clone(), record: record_id.to_owned(), change }).collect())
    })
}

/// Undoes entry `seq` of record `record_id` (appends an undo entry by `by`; the entry
/// itself stays in the history) and updates the index.
pub fn undo(index_dir: &Path, record_id: &str, seq: u64, by: &str) -> anyhow::Result<Saved> {
    let by = validate::check_name(by)?;
    let journal = Journal::read(&journal::path_in(index_dir))?;
    let Some(entry) = journal.of_record(record_id).find(|e| e.seq == seq) else {
        return Err(Invalid(vec![("undo".into(), format!("Văn bản này không có lần sửa số {seq} trong sổ sửa."))]).into());
    };
    if !matches!(entry.change, Change::Set { .. }) || journal.is_undone(record_id, seq) {
        return Err(Invalid(vec![("undo".into(), format!("Lần sửa số {seq} đã được hoàn tác rồi."))]).into());
    }
    write(index_dir, record_id, |_| Ok(vec![NewEntry { by: by.clone(), record: record_id.to_owned(), change: Change::Undo { of: seq } }]))
}

/// Takes the index's writer (one writer at a time: a save waits for another to finish,
/// and is refused while an ingest runs), plans the entries on the record as it reads now,
/// appends them, then re-indexes the record with them applied.
fn write(index_dir: &Path, record_id: &str, plan: impl FnOnce(&Document) -> anyhow::Result<Vec<NewEntry>>) -> anyhow::Result<Saved> {
    let archive = Archive::open_writable(index_dir)?;
    let mut writer = archive.correction_writer()?;
    let record = read_one(&archive, record_id)?;
    let new_entries = plan(&record)?;
    let entries = journal::append(&journal::path_in(index_dir), &new_entries)?;
    let record = read_one(&archive, record_id)?;
    writer.reindex(&record)?;
    writer.commit()?;
    Ok(Saved { entries, record })
}

fn read_one(archive: &Archive, record_id: &str) -> anyhow::Result<Document> {
    archive.find(record_id)?.into_iter().find(|d| d.id == record_id).ok_or_else(|| NoRecord(record_id.to_owned()).into())
}
