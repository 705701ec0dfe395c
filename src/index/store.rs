//! The JSON records beside the index: `DIR/records/<id>@<source hash>.json`.
//!
//! A record file is named after the source content it was made from, and the index stores
//! that hash, so the record a committed index entry refers to is never overwritten by a
//! later ingest: re-ingesting a changed file writes a *new* file, and the commit that
//! indexes it is what makes it the record. A kill before that commit leaves the old
//! record and the old index entry, which agree; the new file is an orphan that the next
//! writer deletes (issue 16: before this, the new text was renamed over the committed
//! record, and `show`/`export` disagreed with `search` for good). Records written by
//! earlier versions, `<id>.json`, are still read.
//!
//! Each file is written atomically ([`crate::fsx`]). Durability is batched: an fsync per
//! record cost three quarters of the indexing time (measured 221 vs 897 documents/s), so
//! records are flushed together, with one `syncfs` on Linux, just before each commit.

use anyhow::Context;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

use crate::record::{Document, RECORD_VERSION};

/// File names longer than this (after escaping) are shortened with a hash; most file
/// systems stop at 255 bytes.
const MAX_FILE_STEM: usize = 160;

/// The record file of `record_id` made from the source whose SHA-256 is `sha256`.
pub fn record_file(records_dir: &Path, record_id: &str, sha256: &str) -> PathBuf {
    let stem = file_stem(record_id);
    let version = if sha256.len() >= 16 && sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        sha256[..16].to_ascii_lowercase()
    } else {
        // Not a hex digest (tests, hand-made records): its own digest keeps names distinct.
        Sha256::digest(sha256.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect()
    };
    // `@` never occurs in an escaped stem, so no id's file can be taken for another's.
    records_dir.join(format!("{stem}@{version}.json"))
}

/// The file name earlier versions gave the record of `record_id` (one per id, replaced in
/// place): still read when the versioned file is absent.
pub fn legacy_record_path(records_dir: &Path, record_id: &str) -> PathBuf {
    records_dir.join(format!("{}.json", file_stem(record_id)))
}

/// The file holding the committed record (`record_id`, `sha256`): the versioned file, else
/// a legacy one; the versioned name when neither exists (for the error message).
pub fn locate(records_dir: &Path, record_id: &str, sha256: &str) -> PathBuf {
    let versioned = record_file(records_dir, record_id, sha256);
    if versioned.exists() {
        return versioned;
    }
    let legacy = legacy_record_path(records_dir, record_id);
    if legacy.exists() {
        legacy
    } else {
        versioned
    }
}

/// Ids are derived from paths, so they are escaped into a safe file name: letters,
/// digits, `.`, `_` and `-` stay, every other byte becomes `%XX`.
pub(crate) fn file_stem(record_id: &str) -> String {
    let mut stem = String::with_capacity(record_id.len());
    for (i, byte) in record_id.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-') || (byte == b'.' && i > 0);
        if keep {
            stem.push(byte as char);
        } else {
            stem.push_str(&format!("%{byte:02X}"));
        }
    }
    if stem.len() > MAX_FILE_STEM {
        let digest = Sha256::digest(record_id.as_bytes());
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let cut = (0..=MAX_FILE_STEM - 40).rev().find(|&i| stem.is_char_boundary(i)).unwrap_or(0);
        stem = format!("{}~{hex}", &stem[..cut]);
    }
    stem
}

/// Writes `doc` to its versioned record file atomically: a file the index refers to is
/// only ever replaced by a record of the same source content. Not yet durable: see
/// [`make_durable`]. Returns the file written.
pub fn write_record(records_dir: &Path, doc: &Document) -> anyhow::Result<PathBuf> {
    let path = record_file(records_dir, &doc.id, &doc.sha256);
    let write = || -> anyhow::Result<()> {
        let mut file = crate::fsx::AtomicFile::create(&path)?;
        serde_json::to_writer(&mut file, doc).context("cannot serialize the record")?;
        file.commit_unsynced()?;
        Ok(())
    };
    write().with_context(|| format!("cannot write the record {}", path.display()))?;
    Ok(path)
}

/// Reads one record file, refusing records written by a newer vanban. The file is parsed
/// as it is read (a large record is not held twice).
pub fn read_record(path: &Path) -> anyhow::Result<Document> {
    // Whole, then parsed from memory: serde_json reads a slice several times faster than a
    // reader, and the archive-wide passes read every record.
    let bytes = fs::read(path).with_context(|| format!("cannot read the record {}", path.display()))?;
    let doc: Document = serde_json::from_slice(&bytes).with_context(|| {
        format!("the record {} is damaged: delete it and run `vanban ingest` on its source again", path.display())
    })?;
    if doc.record_version > RECORD_VERSION {
        anyhow::bail!(
            "the record {} was written by a newer vanban (record version {}, this one reads up to {}); upgrade vanban",
            path.display(),
            doc.record_version,
            RECORD_VERSION
        );
    }
    Ok(doc)
}

/// Makes the record files written since the last commit, and their renames, durable.
pub fn make_durable(records_dir: &Path, written: &[PathBuf]) -> anyhow::Result<()> {
    if written.is_empty() {
        return Ok(());
    }
    let flush = || -> std::io::Result<()> {
        let dir = fs::File::open(records_dir)?;
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let _ = written;
            // SAFETY: syncfs only reads the descriptor, which `dir` keeps open.
            if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        #[cfg(not(target_os = "linux"))]
        for path in written {
            fs::File::open(path)?.sync_all()?;
        }
        dir.sync_all()
    };
    flush().with_context(|| format!("cannot flush the records in {} to disk", records_dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_file_names_are_safe_and_distinct() {
        let dir = Path::new("/r");
        assert_eq!(record_file(dir, "abc-12_x.y", "0123456789ABCDEF0123"), Path::new("/r/abc-12_x.y@0123456789abcdef.json"));
        assert_ne!(record_file(dir, "a", "1-10"), record_file(dir, "a", "11-0"));
        assert_eq!(legacy_record_path(dir, "abc-12_x.y"), Path::new("/r/abc-12_x.y.json"));
        let slashy = record_file(dir, "../etc/passwd", "../x");
        assert_eq!(slashy.parent(), Some(dir));
        assert_ne!(record_file(dir, "a/b", "1"), record_file(dir, "a%2Fb", "1"));
        assert_ne!(record_file(dir, "a", "1"), record_file(dir, "a", "2"));
        let long = record_file(dir, &"ệ".repeat(500), "1");
        assert!(long.file_name().unwrap().len() < 255);
        assert_ne!(long, record_file(dir, &"ệ".repeat(501), "1"));
    }
}
