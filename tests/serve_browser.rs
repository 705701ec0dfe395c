//! The browser test: the sample corpus ingested with real OCR, `vanban serve` on a free
//! loopback port, and `tests/browser/e2e.mjs` driving headless Chromium through it (search
//! by number and by words, open a document beside its scan, follow a citation, download the
//! exports). Needs Debian's `chromium` and Node.js; skipped, saying so, when either is absent.
//! `npm ci` in tests/browser is run here when its node_modules is missing.

mod browser_support;
mod serve_support;

use browser_support::{browser, Browser};
use serve_support::{sample_index, Server};
use std::process::Command;

#[test]
fn a_clerk_searches_opens_a_document_follows_a_citation_and_downloads_the_export() {
    let Some(Browser { chromium, scripts: browser_dir }) = browser("the browser test") else { return };

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
