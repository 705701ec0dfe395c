//! Test lines rendered with pango-view (Debian's pango1.0-tools), as the tests that read
//! rendered text with the real readers need them. Shared by those tests with
//! `#[path = "common/pango.rs"] mod pango;`.

use std::path::Path;
use std::process::Command;

/// Renders `text` at 300 DPI in `font` with a white `margin` (pixels) and returns it as gray
/// pixels; `markup` reads `text` as Pango markup. `None` (and a note on stderr) when
/// pango-view is missing.
pub fn render_line(text: &str, font: &str, margin: u32, markup: bool, dir: &Path) -> Option<image::GrayImage> {
    let source = dir.join("line.txt");
    std::fs::write(&source, text).unwrap();
    let png = dir.join("line.png");
    let mut command = Command::new("pango-view");
    command.args([format!("--font={font}"), "--dpi=300".to_owned(), format!("--margin={margin}"), "-q".to_owned()]);
    if markup {
        command.arg("--markup");
    }
    let status = command.arg("--output").arg(&png).arg(&source).status();
    if !matches!(status, Ok(s) if s.success()) {
        eprintln!("skipped: pango-view (pango1.0-tools) is needed to render test lines");
        return None;
    }
    Some(image::open(&png).unwrap().to_luma8())
}
