//! The corrections journal: `DIR/corrections.jsonl`, one JSON object a line, only ever
//! appended to.
//!
//! Why a journal and not an edit of the record: a record is rewritten by every ingest of
//! its source, so a correction written into it would be lost; the journal is kept apart and
//! applied on every read ([`super::apply`]), so it survives any number of re-ingests, and it
//! is also the history a clerk reads (who changed what, when) and undoes from.
//!
//! Crash safety: each entry is one `write` of one line on a file opened for appending,
//! under an exclusive `flock`, then `fsync`. A crash mid-write can leave at most a torn last
//! line; a reader skips it with a warning, and the next writer first ends it with a newline
//! so that its own entry starts on a line of its own. Earlier entries are never touched.

use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The journal's file name inside the index folder.
pub const FILE_NAME: &str = "corrections.jsonl";

/// A field a person can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Number,
    Date,
    #[serde(rename = "type")]
    DocType,
    Issuer,
    Subject,
    Signer,
    /// A citation's number: `old` is the cited number (absent when adding one OCR missed),
    /// `new` the number it becomes (absent when deleting a false one).
    Citation,
    /// A citation's date: `cited` names the citation by its number.
    CitationDate,
    /// A citation's document type ("Nghị định", "Thông tư" …): `cited` names the citation.
    CitationType,
}

impl Field {
    /// The own-metadata fields, in the order the form and `vanban fix` show them.
    pub const OWN: [Field; 6] = [Field::Number, Field::DocType, Field::Date, Field::Issuer, Field::Subject, Field::Signer];

    /// The key used in JSON, on the command line and in form fields.
    pub fn key(self) -> &'static str {
        match self {
            Field::Number => "number",
            Field::Date => "date",
            Field::DocType => "type",
            Field::Issuer => "issuer",
            Field::Subject => "subject",
            Field::Signer => "signer",
            Field::Citation => "citation",
            Field::CitationDate => "citation_date",
            Field::CitationType => "citation_type",
        }
    }

    /// The field as a Vietnamese clerk names it.
    pub fn label_vi(self) -> &'static str {
        match self {
            Field::Number => "số, ký hiệu",
            Field::Date => "ngày ban hành",
            Field::DocType => "loại văn bản",
            Field::Issuer => "cơ quan ban hành",
            Field::Subject => "trích yếu",
            Field::Signer => "người ký",
            Field::Citation => "văn bản được dẫn",
            Field::CitationDate => "ngày của văn bản được dẫn",
            Field::CitationType => "loại của văn bản được dẫn",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        [Field::Number, Field::Date, Field::DocType, Field::Issuer, Field::Subject, Field::Signer, Field::Citation, Field::CitationDate, Field::CitationType]
            .into_iter()
            .find(|f| f.key() == key)
    }
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// 1, 2, 3 … in the order the entries were written; an undo names the entry it undoes.
    pub seq: u64,
    /// RFC 3339, UTC.
    pub at: String,
    /// The name the clerk entered.
    pub by: String,
    /// The record's id (`record::Document::id`), stable across re-ingests of its source.
    pub record: String,
    #[serde(flatten)]
    pub change: Change,
}

/// What an entry does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Change {
    /// Sets `field` from `old` (what the clerk saw) to `new` (`None`: cleared/deleted).
    Set {
        field: Field,
        /// For [`Field::CitationDate`] and [`Field::CitationType`]: the cited number the
        /// value belongs to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cited: Option<String>,
        old: Option<String>,
        new: Option<String>,
    },
    /// Cancels the entry with sequence number `of`.
    Undo { of: u64 },
}

impl Change {
    /// The change in one Vietnamese line, as the history (page and `vanban fix --history`)
    /// shows it: "số, ký hiệu: 280/B-UBND → 280/BC-UBND".
    pub fn describe_vi(&self) -> String {
        match self {
            Change::Undo { of } => format!("hoàn tác lần sửa #{of}"),
            Change::Set { field: Field::Citation, old: None, new, .. } => format!("thêm trích dẫn {}", new.as_deref().unwrap_or("")),
            Change::Set { field: Field::Citation, old: Some(old), new: None, .. } => format!("xoá trích dẫn {old}"),
            Change::Set { field, cited, old, new } => {
                let of = cited.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
                let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(trống)".into());
                format!("{}{of}: {} → {}", field.label_vi(), shown(old), shown(new))
            }
        }
    }
}

/// A change to append, before it has a sequence number and a time.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub by: String,
    pub record: String,
    pub change: Change,
}

/// The journal read back: every whole entry in order, and what was skipped.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    pub entries: Vec<Entry>,
    /// Lines that could not be read (a torn last line after a crash), each said in a sentence.
    pub skipped: Vec<String>,
    by_record: HashMap<String, Vec<usize>>,
}

impl Journal {
    /// Reads the journal at `path`; an absent file is an empty journal.
    pub fn read(path: &Path) -> anyhow::Result<Journal> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(err) => return Err(err).with_context(|| format!("cannot read the corrections journal {}", path.display())),
        };
        Ok(Journal::parse(&bytes, path))
    }

    fn parse(bytes: &[u8], path: &Path) -> Journal {
        let mut journal = Journal::default();
        for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<Entry>(line) {
                Ok(entry) => {
                    journal.by_record.entry(entry.record.clone()).or_default().push(journal.entries.len());
                    journal.entries.push(entry);
                }
                Err(err) => {
                    let said = format!("dòng {} của sổ sửa {} không đọc được (có thể do máy dừng khi đang ghi), đã bỏ qua: {err}", n + 1, path.display());
                    tracing::warn!("{said}");
                    journal.skipped.push(said);
                }
            }
        }
        journal
    }

    /// The entries about `record`, in order.
    pub fn of_record<'a>(&'a self, record: &str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.by_record.get(record).into_iter().flatten().map(|&i| &self.entries[i])
    }

    /// The entries of `record` still in force: every `Set` no later `Undo` cancelled.
    pub fn in_force(&self, record: &str) -> Vec<&Entry> {
        let undone: std::collections::HashSet<u64> = self
            .of_record(record)
            .filter_map(|e| match e.change {
                Change::Undo { of } => Some(of),
                Change::Set { .. } => None,
            })
            .collect();
        self.of_record(record).filter(|e| matches!(e.change, Change::Set { .. }) && !undone.contains(&e.seq)).collect()
    }

    /// Whether entry `seq` of `record` has been undone.
    pub fn is_undone(&self, record: &str, seq: u64) -> bool {
        self.of_record(record).any(|e| e.change == Change::Undo { of: seq })
    }

    /// The records with at least one entry.
    pub fn records(&self) -> impl Iterator<Item = &str> {
        self.by_record.keys().map(String::as_str)
    }
}

/// The journal file of the index in `index_dir`.
pub fn path_in(index_dir: &Path) -> PathBuf {
    index_dir.join(FILE_NAME)
}

/// Appends `entries` (one clerk's save: all kept or, on an error before the write, none),
/// numbering them after the last entry on file. Returns them as written.
///
/// The lock makes two writers (two clerks saving at once, a `vanban fix` beside the
/// server) take turns: both saves are kept, one after the other, with distinct numbers.
pub fn append(path: &Path, entries: &[NewEntry]) -> anyhow::Result<Vec<Entry>> {
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .with_context(|| format!("cannot open the corrections journal {}", path.display()))?;
    lock_exclusive(&file).with_context(|| format!("cannot lock the corrections journal {}", path.display()))?;
    let result = append_locked(&mut file, path, entries);
    // Closing the file releases the lock.
    drop(file);
    result
}

fn append_locked(file: &mut File, path: &Path, entries: &[NewEntry]) -> anyhow::Result<Vec<Entry>> {
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_end(&mut bytes).with_context(|| format!("cannot read the corrections journal {}", path.display()))?;
    let last = Journal::parse(&bytes, path).entries.iter().map(|e| e.seq).max().unwrap_or(0);
    let at = now_rfc3339();
    let written: Vec<Entry> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| Entry { seq: last + 1 + i as u64, at: at.clone(), by: e.by.clone(), record: e.record.clone(), change: e.change.clone() })
        .collect();
    let mut out = Vec::new();
    // A torn last line (a crash mid-write) is ended, so that it stays one unreadable line
    // and our entries start on lines of their own.
    if bytes.last().is_some_and(|&b| b != b'\n') {
        out.push(b'\n');
    }
    for entry in &written {
        serde_json::to_writer(&mut out, entry).context("cannot serialize a correction")?;
        out.push(b'\n');
    }
    // One write: with O_APPEND the whole save lands at the end, or (a crash) part of it as
    // a torn last line that readers skip.
    file.write_all(&out).with_context(|| format!("cannot write to the corrections journal {}", path.display()))?;
    file.sync_all().with_context(|| format!("cannot flush the corrections journal {} to disk", path.display()))?;
    if bytes.is_empty() {
        // A new file: its name must survive a power cut too.
        crate::fsx::sync_parent(path).with_context(|| format!("cannot flush the folder of {}", path.display()))?;
    }
    Ok(written)
}

#[cfg(unix)]
fn lock_exclusive(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    loop {
        // SAFETY: flock only reads the descriptor, which `file` keeps open.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

#[cfg(not(unix))]
fn lock_exclusive(_file: &File) -> std::io::Result<()> {
    Ok(())
}

/// Now, as RFC 3339 in UTC to the second ("2026-12-02T04:10:00Z").
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(record: &str, new: &str) -> NewEntry {
        NewEntry { by: "Lan".into(), record: record.into(), change: Change::Set { field: Field::Number, cited: None, old: None, new: Some(new.into()) } }
    }

    #[test]
    fn entries_are_numbered_in_order_and_a_torn_last_line_is_skipped_and_ended() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        append(&path, &[set("a", "1/QĐ-UBND")]).unwrap();
        // A crash in the middle of the next write.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"seq":2,"at":"2026-"#).unwrap();
        drop(file);
        let journal = Journal::read(&path).unwrap();
        assert_eq!(journal.entries.len(), 1);
        assert_eq!(journal.skipped.len(), 1);
        let written = append(&path, &[set("a", "2/QĐ-UBND"), set("b", "3/QĐ-UBND")]).unwrap();
        assert_eq!(written.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3]);
        let journal = Journal::read(&path).unwrap();
        assert_eq!(journal.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(journal.skipped.len(), 1, "the torn line stays one skipped line");
        assert_eq!(journal.of_record("a").count(), 2);
        append(&path, &[NewEntry { by: "Lan".into(), record: "a".into(), change: Change::Undo { of: 2 } }]).unwrap();
        let journal = Journal::read(&path).unwrap();
        let in_force: Vec<u64> = journal.in_force("a").iter().map(|e| e.seq).collect();
        assert_eq!(in_force, [1]);
        assert!(journal.is_undone("a", 2));
    }
}
