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
    let skip = skip.and_then(|s| s.canonicalize().ok());
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
            let skipped = skip.as_ref().is_some_and(|s| entry.path().canonicalize().is_ok_and(|p| &p == s));
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
