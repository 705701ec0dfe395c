//! The bounds that keep one client (careless or hostile) from stopping the server for the
//! others (issue 16): how long a connection may sit without sending a request or without
//! reading our answer, how many connections are open at once, and how many expensive
//! requests (downloads of the whole archive, the missing-documents page) run at once.
//! Everything else a request can cost is bounded where it is parsed: the query's length
//! and depth (`index::query`), the result page (`views`), the request target (`guard`).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::failure::Failure;

/// Default for `--timeout`: a connection that sends no complete request head within this
/// long (a new one, or one kept alive after its last answer), or that reads nothing of our
/// answer for this long, is closed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default for `--max-connections`; never more than half the process's file limit, so that
/// the index and record files can always be opened.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// Expensive requests running at once; more wait up to [`HEAVY_WAIT`], then get 503.
/// Each streams with constant memory, so this bounds CPU and disk, not memory.
pub const HEAVY_AT_ONCE: usize = 4;
/// How long an expensive request waits for its turn before being told to come back.
pub const HEAVY_WAIT: Duration = Duration::from_secs(2);
/// What 503 answers put in `Retry-After`, in seconds.
pub const RETRY_AFTER_SECS: u64 = 5;
/// Threads for blocking work (tantivy, record files); requests beyond them queue.
pub const BLOCKING_THREADS: usize = 32;
/// Largest request head hyper buffers (request line + headers); the target alone is
/// limited to `MAX_URI_BYTES` by the guard.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The server's tunable bounds (`vanban serve --timeout --max-connections`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { timeout: DEFAULT_TIMEOUT, max_connections: DEFAULT_MAX_CONNECTIONS }
    }
}

impl Limits {
    /// The connection cap actually used: the configured one, within half the file limit.
    pub fn connection_cap(&self) -> usize {
        let files = open_file_limit().unwrap_or(1024);
        self.max_connections.clamp(1, (files / 2).max(16))
    }
}

/// The soft limit on open files (`ulimit -n`).
fn open_file_limit() -> Option<usize> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit only writes the struct we pass.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            return Some(usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX));
        }
    }
    None
}

/// Page images converted at once (a TIFF page decoded, a PDF page rasterized, a scan
/// read whole); more wait up to [`IMAGE_WAIT`]. A browser asks for one image a page view,
/// so these wait longer than downloads before giving up.
pub const IMAGES_AT_ONCE: usize = 4;
pub const IMAGE_WAIT: Duration = Duration::from_secs(10);

/// Turns for one kind of expensive work.
#[derive(Clone)]
pub struct Turns {
    permits: Arc<Semaphore>,
    at_once: usize,
    wait: Duration,
}

impl Turns {
    /// Downloads and the missing-documents page.
    pub fn heavy() -> Turns {
        Turns { permits: Arc::new(Semaphore::new(HEAVY_AT_ONCE)), at_once: HEAVY_AT_ONCE, wait: HEAVY_WAIT }
    }

    /// Page images not in the cache.
    pub fn images() -> Turns {
        Turns { permits: Arc::new(Semaphore::new(IMAGES_AT_ONCE)), at_once: IMAGES_AT_ONCE, wait: IMAGE_WAIT }
    }

    /// A turn, held until the permit is dropped (after the last byte of a download); or
    /// 503 with `Retry-After` when none frees up in time.
    pub async fn turn(&self) -> Result<OwnedSemaphorePermit, Failure> {
        match tokio::time::timeout(self.wait, Arc::clone(&self.permits).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(Failure::busy(format!(
                "Máy chủ đang bận với {} yêu cầu nặng khác: hãy thử lại sau {RETRY_AFTER_SECS} giây.",
                self.at_once
            ))),
        }
    }
}
