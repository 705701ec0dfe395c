//! Ingest's memory budget: every page being read (an image being decoded and OCR'd, a
//! text file waiting to be repaired) holds a share of it, priced before it is read, and a
//! worker waits for its share rather than pile a second big page on top of the first
//! (issue 16: three 100-megapixel PNGs on two workers peaked at 897 MB; the target is
//! 500 MB at the default jobs, whatever the number of cores).
//!
//! One piece of work is always let through when nothing else holds the budget, so a page
//! bigger than the budget (within the per-page limits) still goes, alone.

use std::sync::{Arc, Condvar, Mutex};

use crate::ocr::PAGE_BYTES_PER_PIXEL;

/// Memory for pages in flight, on top of the process's own (models ~70 MB, index writer
/// up to 64 MB, records being written): 350 MB keeps the peak under 500 MB.
pub const BUDGET_BYTES: u64 = 350 << 20;
/// Peak memory of turning a text file into a record, per byte of the file (repair,
/// extraction over the raw and repaired text, the record and the index entry). Measured:
/// a 4 MB text peaked at 289 MB, an 8 MB one at 484 MB (`/usr/bin/time -v vanban ingest`).
pub const TEXT_BYTES_PER_BYTE: u64 = 48;

/// What reading an image page of `pixels` pixels costs.
pub fn page_cost(pixels: u64) -> u64 {
    pixels.saturating_mul(PAGE_BYTES_PER_PIXEL)
}

/// What turning a text file of `bytes` bytes into a record costs.
pub fn text_cost(bytes: u64) -> u64 {
    bytes.saturating_mul(TEXT_BYTES_PER_BYTE)
}

#[derive(Clone)]
pub struct Budget(Arc<Shared>);

struct Shared {
    limit: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// A share of the budget, given back when dropped.
pub struct Share {
    budget: Budget,
    bytes: u64,
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget(Arc::new(Shared { limit, used: Mutex::new(0), freed: Condvar::new() }))
    }

    /// Waits until `bytes` fit (or nothing else is held), then holds them.
    pub fn take(&self, bytes: u64) -> Share {
        let shared = &self.0;
        let mut used = shared.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while *used > 0 && used.saturating_add(bytes) > shared.limit {
            used = shared.freed.wait(used).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        *used += bytes;
        Share { budget: self.clone(), bytes }
    }

    /// Bytes held now.
    #[cfg(test)]
    pub fn used(&self) -> u64 {
        *self.0.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let shared = &self.budget.0;
        let mut used = shared.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *used -= self.bytes;
        shared.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_second_big_share_waits_for_the_first_and_a_lone_one_always_goes() {
        let budget = Budget::new(100);
        let alone = budget.take(150);
        assert_eq!(budget.used(), 150, "bigger than the budget, but alone: it goes");
        let waiting = {
            let budget = budget.clone();
            std::thread::spawn(move || {
                let _share = budget.take(60);
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        assert!(!waiting.is_finished(), "the second share waits while the first is held");
        drop(alone);
        waiting.join().unwrap();
        assert_eq!(budget.used(), 0);
        let a = budget.take(40);
        let b = budget.take(40);
        assert_eq!(budget.used(), 80, "small shares go side by side");
        drop((a, b));
    }
}
