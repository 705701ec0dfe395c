//! Writing files so that a kill or a power cut at any moment leaves either the old file or
//! the new one, never a truncated mix: every file vanban writes or replaces (exports,
//! records, journals, PDFs) goes through here.
//!
//! The recipe: write a temporary file in the target's own folder (a rename is only atomic
//! within one file system), flush it to disk, rename it over the target, then flush the
//! folder so that the rename itself survives a power cut. A killed writer leaves at most a
//! hidden `.NAME.*.tmp` file beside the target, which nothing reads.
//!
//! ```no_run
//! use std::io::Write;
//! // Small files: one call.
//! vanban::fsx::write_atomic("out/list.csv".as_ref(), b"a,b\n")?;
//! // Streams: write as you go, then commit; dropping it uncommitted leaves the old file.
//! let mut file = vanban::fsx::AtomicFile::create("out/big.csv".as_ref())?;
//! writeln!(file, "a,b")?;
//! file.commit()?;
//! # Ok::<(), std::io::Error>(())
//! ```

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Replaces (or creates) `path` with `bytes`, atomically and durably.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// A file being written in place of `target`; `target` is untouched until [`commit`].
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    /// `None` when the target is not a regular file (`/dev/stdout`, a pipe): written
    /// directly, since such a target cannot be renamed over and cannot be truncated by a kill.
    temp: Option<BufWriter<tempfile::NamedTempFile>>,
    direct: Option<BufWriter<File>>,
    target: PathBuf,
}

impl AtomicFile {
    /// Starts writing a replacement for `target`. A symbolic link is followed, so the file
    /// it points to is replaced and the link stays; an existing file's permissions are kept.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let target = match fs::canonicalize(target) {
            Ok(real) => real,
            Err(err) if err.kind() == io::ErrorKind::NotFound => target.to_path_buf(),
            Err(err) => return Err(err),
        };
        let existing = fs::metadata(&target).ok();
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            let file = fs::OpenOptions::new().write(true).open(&target)?;
            return Ok(AtomicFile { temp: None, direct: Some(BufWriter::new(file)), target });
        }
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // New files get the usual 0666 less the umask, not tempfile's private 0600.
            let mode = existing.map_or(0o666, |m| m.permissions().mode() & 0o7777);
            builder.permissions(fs::Permissions::from_mode(mode));
        }
        let temp = builder.tempfile_in(&dir)?;
        Ok(AtomicFile { temp: Some(BufWriter::with_capacity(1 << 16, temp)), direct: None, target })
    }

    /// The file that [`commit`](AtomicFile::commit) replaces.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes the new content to disk, renames it over the target and flushes the folder.
    pub fn commit(self) -> io::Result<()> {
        self.finish(true)
    }

    /// Renames the new content over the target without waiting for the disk; the caller
    /// makes it durable later, for many files at once (the record store syncs the whole
    /// folder before each index commit). Readers still see the old file or the new one.
    pub fn commit_unsynced(self) -> io::Result<()> {
        self.finish(false)
    }

    fn finish(mut self, durable: bool) -> io::Result<()> {
        if let Some(mut direct) = self.direct.take() {
            return direct.flush();
        }
        let temp = self.temp.take().expect("an AtomicFile has a temporary file until it is finished");
        let temp = temp.into_inner().map_err(io::IntoInnerError::into_error)?;
        if durable {
            temp.as_file().sync_all()?;
        }
        temp.persist(&self.target).map_err(|err| err.error)?;
        if durable {
            sync_parent(&self.target)?;
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match (&mut self.temp, &mut self.direct) {
            (Some(temp), _) => temp.write(buf),
            (None, Some(direct)) => direct.write(buf),
            (None, None) => Err(io::Error::other("the file was already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match (&mut self.temp, &mut self.direct) {
            (Some(temp), _) => temp.flush(),
            (None, Some(direct)) => direct.flush(),
            (None, None) => Ok(()),
        }
    }
}

/// Flushes the folder holding `path`, so that a rename into it is on disk.
pub fn sync_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => sync_dir(dir),
        _ => sync_dir(Path::new(".")),
    }
}

/// Flushes a folder's entries (creations, renames, deletions) to disk.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// A path as one line of text for messages: control characters (newlines that would
/// forge another message line, terminal escapes) and the invisible direction overrides
/// are shown as `\u{..}` escapes; everything else, Vietnamese included, as it is.
pub fn shown(path: &Path) -> String {
    one_line(&path.to_string_lossy()).into_owned()
}

/// `text` with control characters and direction overrides escaped (see [`shown`]).
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_file_stays_whole_until_commit_and_an_abandoned_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        write_atomic(&path, b"old content\n").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new").unwrap();
        file.flush().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"old content\n", "the target is untouched before commit");
        drop(file);
        assert_eq!(fs::read(&path).unwrap(), b"old content\n");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["list.csv"], "the temporary file went with the abandoned write");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new content\n").unwrap();
        file.commit().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new content\n");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_permissions_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        write_atomic(&real, b"a").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"b").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"b");
        assert_eq!(fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
    }

    #[test]
    fn names_with_newlines_and_escapes_stay_on_one_line() {
        assert_eq!(shown(Path::new("quyết định.png")), "quyết định.png");
        let forged = shown(Path::new("a.png\nvanban: b.png: forged\x1b[2K\u{202E}"));
        assert!(!forged.chars().any(char::is_control), "{forged}");
        assert_eq!(forged, "a.png\\u{a}vanban: b.png: forged\\u{1b}[2K\\u{202e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_directly() {
        write_atomic(Path::new("/dev/null"), b"discarded").unwrap();
    }
}
