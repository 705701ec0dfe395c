//! The browser test: the sample corpus ingested with real OCR, `vanban serve` on a free
//! loopback port, and `tests/browser/e2e.mjs` driving headless Chromium through it (search
//! by number and by words, open a document beside its scan, follow a citation, download the
//! exports). Needs Debian's `chromium` and Node.js; skipped, saying so, when either is absent.
//! `npm ci` in tests/browser is run here when its node_modules is missing.

mod serve_support;

use serve_support::{sample_index, Server};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    path.is_file().then_some(path)
}

fn works(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|out| out.status.success())
}

#[test]
fn a_clerk_searches_opens_a_document_follows_a_citation_and_downloads_the_export() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED the browser test: no Chromium at /usr/bin/chromium (apt-get install -y chromium, or set CHROMIUM)");
        return;
    };
    if !works("node") {
        eprintln!("SKIPPED the browser test: Node.js is not installed (apt-get install -y nodejs npm)");
        return;
    }
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !browser_dir.join("node_modules/playwright-core").is_dir() {
        let installed = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&browser_dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(installed, "`npm ci` in tests/browser failed: the browser test needs playwright-core");
    }

    let server = Server::start(sample_index());
    let shots = std::env::temp_dir().join("vanban-e2e");
    let out = Command::new("node")
        .arg("e2e.mjs")
        .current_dir(&browser_dir)
        .env("VANBAN_URL", format!("http://{}", server.addr))
        .env("VANBAN_SHOTS", &shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node e2e.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the browser test failed (screenshots in {}):\n{stdout}", shots.display());
}
