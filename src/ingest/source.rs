//! One input file before any OCR: its kind, content hash, record id and page count —
//! everything the scheduler needs, read from headers only.

use anyhow::Context;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::kind::{classify, FileKind};

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as found under the ingested folder (what error lines show).
    pub path: PathBuf,
    /// The canonical path: the record's identity.
    pub canonical: PathBuf,
    pub kind: FileKind,
    pub sha256: String,
    pub id: String,
    /// Units of work: pages for images, 1 for a text file (split on form feeds later).
    pub tasks: u32,
}

/// Inspects `path`; `Ok(None)` when it is not an input vanban ingests.
pub fn inspect(path: &Path) -> anyhow::Result<Option<SourceFile>> {
    let Some(kind) = classify(path)? else { return Ok(None) };
    let canonical = path.canonicalize().context("cannot resolve the path")?;
    let sha256 = sha256_file(path)?;
    let tasks = match kind {
        FileKind::Image(image) => crate::ocr::page_count(path, image)?,
        FileKind::Text => 1,
    };
    Ok(Some(SourceFile { path: path.to_path_buf(), id: record_id(&canonical), canonical, kind, sha256, tasks }))
}

/// The record id: the first 16 hex digits of the SHA-256 of the canonical path, so a
/// file keeps its id when its content changes and the new record replaces the old one.
pub fn record_id(canonical: &Path) -> String {
    let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
    hex(&digest[..8])
}

/// Hex SHA-256 of the file's bytes, read in blocks (a scan may be hundreds of MB).
pub fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut file = std::fs::File::open(path).context("cannot open the file")?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buf).context("cannot read the file")?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_the_sha256_of_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(sha256_file(&path).unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn record_id_depends_on_the_path_only() {
        let a = record_id(Path::new("/archive/2025/qđ-1582.png"));
        assert_eq!(a.len(), 16);
        assert_eq!(a, record_id(Path::new("/archive/2025/qđ-1582.png")));
        assert_ne!(a, record_id(Path::new("/archive/2025/qđ-1583.png")));
    }
}
