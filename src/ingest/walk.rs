//! Finding the input files under a folder: recursively, in name order (so runs and their
//! error lists are reproducible), skipping hidden entries and the index's own folder,
//! following symbolic links but never round a loop.

use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A file to consider, or a path that could not be walked and why.
pub type Found = Result<PathBuf, Problem>;

#[derive(Debug, Clone)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
    /// A symbolic link back to a folder above it: reported, but not a failed file.
    pub is_loop: bool,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    pub found: Vec<Found>,
    /// Hidden files and folders (names starting with `.`, as `.git` or an editor's
    /// `.~lock` file) that were passed over, for the summary: a clerk who named a scan
    /// `.png` by mistake should hear that it was not read.
    pub hidden: Vec<PathBuf>,
}

/// Every regular file under `root` (or `root` itself when it is a file), except hidden
/// ones and anything inside `skip` (the index folder, when it sits inside `root`).
pub fn files(root: &Path, skip: Option<&Path>) -> Vec<Found> {
    walk(root, skip).found
}

/// [`files`], with the hidden entries it passed over.
pub fn walk(root: &Path, skip: Option<&Path>) -> Walk {
    walk_skipping(root, skip.as_slice())
}

/// [`walk`], passing over every folder of `skip` (the index, a records folder).
pub fn walk_skipping(root: &Path, skip: &[&Path]) -> Walk {
    let skip: Vec<PathBuf> = skip.iter().filter_map(|s| s.canonicalize().ok()).collect();
    let mut hidden = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let is_hidden = entry.depth() > 0 && entry.file_name().as_encoded_bytes().starts_with(b".");
            if is_hidden {
                hidden.push(entry.path().to_path_buf());
            }
            let skipped = !skip.is_empty() && entry.path().canonicalize().is_ok_and(|p| skip.contains(&p));
            !is_hidden && !skipped
        });
    let mut found = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => found.push(Ok(entry.into_path())),
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                found.push(Err(Problem { path, reason: walk_error_reason(&err), is_loop: err.loop_ancestor().is_some() }));
            }
        }
    }
    Walk { found, hidden }
}

/// The files named in a list (`--files-from`): one path a line, relative to `root` or
/// absolute; blank lines are passed over. A listed folder is walked like `root`. A listed
/// path that does not exist is a [`Problem`] of its own (the batch goes on); only a list
/// that cannot be read at all is an `Err`.
pub fn listed(root: &Path, list: &Path, skip: &[&Path]) -> anyhow::Result<Walk> {
    use anyhow::Context;
    let bytes = std::fs::read(list).with_context(|| format!("cannot read the file list {}", list.display()))?;
    let mut out = Walk::default();
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let name = path_of_bytes(line);
        let path = if name.is_absolute() { name } else { root.join(name) };
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                let walked = walk_skipping(&path, skip);
                out.found.extend(walked.found);
                out.hidden.extend(walked.hidden);
            }
            Ok(_) => out.found.push(Ok(path)),
            Err(err) => {
                let reason = match err.kind() {
                    std::io::ErrorKind::NotFound => format!("cannot read: the file does not exist (listed in {})", list.display()),
                    std::io::ErrorKind::PermissionDenied => "cannot read: permission denied; give the ingesting user read access".to_owned(),
                    _ => format!("cannot read: {err}"),
                };
                out.found.push(Err(Problem { path, reason, is_loop: false }));
            }
        }
    }
    Ok(out)
}

#[cfg(unix)]
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Shard `index` of `count` (`--shard K/N`): which of N independent runs takes a file.
/// A file's shard depends only on its stable key, its path relative to the ingested
/// folder and its size, so that N copies of the same command started anywhere (a Slurm
/// array, a Kubernetes indexed job) split the folder between them without talking to
/// each other: each file falls in exactly one shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = || format!("“{text}” is not a shard: write K/N, with K from 0 to N-1 (as --shard 0/4)");
        let (k, n) = text.trim().split_once('/').ok_or_else(usage)?;
        let index: u32 = k.trim().parse().map_err(|_| usage())?;
        let count: u32 = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || index >= count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the file at `path`, found under `root`, is this shard's. A file whose size
    /// cannot be read is taken by every shard, so that its error is reported (by each).
    pub fn takes(&self, root: &Path, path: &Path) -> bool {
        let Ok(meta) = std::fs::metadata(path) else { return true };
        self.takes_key(&shard_key(root, path, meta.len()))
    }

    /// Whether the stable key `key` ([`shard_key`]) falls in this shard.
    pub fn takes_key(&self, key: &[u8]) -> bool {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(key);
        let value = u64::from_be_bytes(digest[..8].try_into().expect("eight bytes"));
        value % u64::from(self.count) == u64::from(self.index)
    }
}

/// The stable key of a file: its path relative to the ingested folder (components joined
/// by `/`, so that every machine computes the same key whatever its mount point), a NUL,
/// and its size in bytes. A path outside the folder (an absolute path in a file list)
/// keys by itself.
pub fn shard_key(root: &Path, path: &Path, size: u64) -> Vec<u8> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut key = Vec::new();
    for (i, part) in relative.components().enumerate() {
        if i > 0 {
            key.push(b'/');
        }
        key.extend_from_slice(part.as_os_str().as_encoded_bytes());
    }
    key.push(0);
    key.extend_from_slice(size.to_string().as_bytes());
    key
}

fn walk_error_reason(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        return format!("symbolic link loop back to {}; skipped", ancestor.display());
    }
    match err.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "cannot read: the file does not exist (a dangling symbolic link?)".to_owned()
        }
        Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "cannot read: permission denied; give the ingesting user read access".to_owned()
        }
        Some(io) => format!("cannot read: {io}"),
        None => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_split_every_key_once() {
        assert_eq!("1/3".parse::<Shard>(), Ok(Shard { index: 1, count: 3 }));
        for bad in ["3/3", "0/0", "1", "a/2", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let shards: Vec<Shard> = (0..4).map(|index| Shard { index, count: 4 }).collect();
        let mut sizes = [0usize; 4];
        for i in 0..400u64 {
            let key = shard_key(Path::new("/a"), Path::new(&format!("/a/hộp {}/qđ-{i}.png", i % 7)), i * 1000);
            let takers: Vec<usize> = (0..4).filter(|&k| shards[k].takes_key(&key)).collect();
            assert_eq!(takers.len(), 1, "exactly one shard takes each file");
            sizes[takers[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 60), "roughly even: {sizes:?}");
        assert_eq!(shard_key(Path::new("/mnt/a"), Path::new("/mnt/a/x/y.png"), 5), shard_key(Path::new("/b"), Path::new("/b/x/y.png"), 5), "the mount point does not matter");
        assert_ne!(shard_key(Path::new("/a"), Path::new("/a/x.png"), 5), shard_key(Path::new("/a"), Path::new("/a/x.png"), 6));
    }

    #[test]
    fn hidden_entries_and_the_index_are_skipped_and_order_is_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["b.png", "a.txt", ".hidden.png", "sub/c.pdf", ".git/x.png", "index/meta.json"] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b"x").unwrap();
        }
        let found: Vec<PathBuf> = files(root, Some(&root.join("index")))
            .into_iter()
            .map(|f| f.unwrap().strip_prefix(root).unwrap().to_path_buf())
            .collect();
        assert_eq!(found, vec![PathBuf::from("a.txt"), "b.png".into(), "sub/c.pdf".into()]);
        let hidden: Vec<PathBuf> = walk(root, Some(&root.join("index"))).hidden.iter().map(|p| p.strip_prefix(root).unwrap().to_path_buf()).collect();
        assert_eq!(hidden, vec![PathBuf::from(".git"), ".hidden.png".into()], "passed over, and said so");
    }

    #[cfg(unix)]
    #[test]
    fn loops_and_dangling_links_are_reported_not_followed_forever() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(root.join("nowhere.png"), root.join("dangling.png")).unwrap();
        let found = files(root, None);
        let errors: Vec<String> = found.iter().filter_map(|f| f.as_ref().err()).map(|p| p.reason.clone()).collect();
        assert_eq!(errors.len(), 2, "{found:?}");
        assert!(errors.iter().any(|e| e.contains("loop")), "{errors:?}");
        assert_eq!(found.iter().filter(|f| f.as_ref().is_err_and(|p| p.is_loop)).count(), 1);
        assert!(errors.iter().any(|e| e.contains("does not exist")), "{errors:?}");
    }
}
