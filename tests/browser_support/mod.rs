//! What the headless-Chromium tests (`serve_browser`, `pdf_viewer`) need before they run:
//! Debian's Chromium, Node.js, and playwright-core in `tests/browser` (installed here with
//! `npm ci` from its lock file when missing).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A browser the tests can drive.
pub struct Browser {
    /// Chromium's executable (`CHROMIUM`, else `/usr/bin/chromium`).
    pub chromium: PathBuf,
    /// `tests/browser`: the Node scripts and their node_modules.
    pub scripts: PathBuf,
}

/// The browser, or `None` after saying why `test` is skipped (no Chromium, no Node.js).
pub fn browser(test: &str) -> Option<Browser> {
    let chromium = std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        eprintln!("SKIPPED {test}: no Chromium at {} (apt-get install -y chromium, or set CHROMIUM)", chromium.display());
        return None;
    }
    if !Command::new("node").arg("--version").output().is_ok_and(|out| out.status.success()) {
        eprintln!("SKIPPED {test}: Node.js is not installed (apt-get install -y nodejs npm)");
        return None;
    }
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !scripts.join("node_modules/playwright-core").is_dir() {
        let installed = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&scripts).status().is_ok_and(|s| s.success());
        assert!(installed, "`npm ci` in tests/browser failed: {test} needs playwright-core");
    }
    Some(Browser { chromium, scripts })
}
