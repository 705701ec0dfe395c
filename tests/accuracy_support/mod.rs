//! Accuracy checks that need `../shared` (the corpus, the real scans, the legacy sample),
//! which a fresh clone does not have.
//!
//! Why: a check that silently returns early passes without checking anything ("ok …
//! 0.00s"). Here a missing input fails the test when `CI` is set, and otherwise prints one
//! visible line (`SKIPPED accuracy check …`, written past the test harness's capture).
//! Every check that ran or was skipped is also noted in a ledger of this `cargo test` run,
//! which `tests/zz_accuracy_checks.rs` (run last: cargo runs test targets in name order)
//! sums up as "accuracy checks: N ran, M skipped".
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `VANBAN_SHARED`, else `../shared` beside the clone (as in CI).
pub fn shared_root() -> PathBuf {
    std::env::var_os("VANBAN_SHARED").map(PathBuf::from).unwrap_or_else(|| repo().join("../shared"))
}

/// `rel` under the shared folder, for accuracy check `check`. When it is missing: under
/// `CI` the test fails; otherwise one visible "SKIPPED" line and `None`.
pub fn shared(check: &str, rel: &str) -> Option<PathBuf> {
    let path = shared_root().join(rel);
    if path.exists() {
        return Some(path);
    }
    skip(check, &format!("{} is missing (the shared data beside the clone, or VANBAN_SHARED)", path.display()));
    None
}

/// A check that cannot run for `reason`: a failure under `CI`, else a visible line.
pub fn skip(check: &str, reason: &str) {
    note(check, "skipped", reason);
    if std::env::var_os("CI").is_some() {
        panic!("accuracy check `{check}` cannot run: {reason}; CI is set, so this is a failure, not a skip");
    }
    visible(&format!("SKIPPED accuracy check `{check}`: {reason}"));
}

/// The check ran (call it once its assertions passed); `detail` says what it measured.
pub fn ran(check: &str, detail: &str) {
    note(check, "ran", detail);
    visible(&format!("accuracy check `{check}` ran: {detail}"));
}

/// Written to the process's stderr directly, past libtest's capture of `eprintln!`.
fn visible(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The ledger of this `cargo test` run: one folder per parent process (cargo).
pub fn ledger_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("accuracy-ledger").join(parent_id().to_string())
}

#[cfg(unix)]
fn parent_id() -> u32 {
    std::os::unix::process::parent_id()
}

#[cfg(not(unix))]
fn parent_id() -> u32 {
    0
}

fn note(check: &str, outcome: &str, detail: &str) {
    let dir = ledger_dir();
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let file: String = check.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    let _ = std::fs::write(dir.join(file), format!("{outcome}\t{check}\t{detail}\n"));
}
