//! What every handler shares: the index folder, the open archive, the page-image cache.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::failure::Failure;
use super::images::PageImages;
use super::limits::Turns;
use crate::index::Archive;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

struct Shared {
    index_dir: PathBuf,
    /// Opened on first use, so the server can start before the first ingest. The archive
    /// reloads its reader on every search, so each request sees the last commit.
    archive: Mutex<Option<Arc<Archive>>>,
    images: PageImages,
    heavy: Turns,
    converting: Turns,
}

impl AppState {
    pub fn new(index_dir: PathBuf) -> AppState {
        AppState(Arc::new(Shared {
            index_dir,
            archive: Mutex::new(None),
            images: PageImages::default(),
            heavy: Turns::heavy(),
            converting: Turns::images(),
        }))
    }

    /// Turns for expensive requests (downloads, the missing-documents page).
    pub fn heavy(&self) -> &Turns {
        &self.0.heavy
    }

    /// Turns for page images (each may decode a whole scan).
    pub fn converting(&self) -> &Turns {
        &self.0.converting
    }

    pub fn index_dir(&self) -> &std::path::Path {
        &self.0.index_dir
    }

    pub fn images(&self) -> &PageImages {
        &self.0.images
    }

    /// The archive, opened read-only on first use.
    pub fn archive(&self) -> Result<Arc<Archive>, Failure> {
        let mut slot = self.0.archive.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(archive) = slot.as_ref() {
            return Ok(Arc::clone(archive));
        }
        let archive = Arc::new(Archive::open_read_only(&self.0.index_dir).map_err(|err| Failure::unavailable(&err))?);
        *slot = Some(Arc::clone(&archive));
        Ok(archive)
    }

    /// Runs `work` on the blocking pool (tantivy, record files and image decoding all
    /// block), with the archive at hand.
    pub async fn with_archive<T, F>(&self, work: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&AppState, &Archive) -> Result<T, Failure> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let archive = state.archive()?;
            work(&state, &archive)
        })
        .await
        .map_err(|err| Failure::internal(&anyhow::anyhow!("a request handler stopped unexpectedly: {err}")))?
    }
}
