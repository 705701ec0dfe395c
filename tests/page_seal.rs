//! A red seal pressed over the body of a colour scan, through the page pipeline `vanban
//! ingest` reads a page image with (`vanban::ingest::ocr_image_page`) and real Tesseract:
//! the lines under the seal are read, not left out with the ring or cut into a column
//! beside it (`src/page/colour.rs`). The same seal on a gray scan, which cannot be lifted,
//! leaves 58 of the page's 416 syllables out of place or unread.

use std::path::Path;
use std::process::Command;
use vanban::ocr::ImageKind;
use vanban::repair::eval::syllable_errors;
use vanban::repair::Repairer;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus page as a colour JPEG scan (blue-black ink on cream paper), with a red seal
/// of 1.6 in (two rings, a star, the organ's name) over the members' list of Điều 1.
fn sealed_scan(out: &Path) -> bool {
    let page = repo().join("corpus/qd-1582-ubnd.png");
    let bold = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf";
    let (size, c) = (480, 240);
    let status = Command::new("/usr/bin/convert")
        .arg(&page)
        .args(["-colorspace", "sRGB", "+level-colors", "#1c1c30,#f2ead6", "("])
        .args(["-size", &format!("{size}x{size}"), "xc:white", "-fill", "none", "-stroke", "#d8454f", "-strokewidth", "10"])
        .args(["-draw", &format!("circle {c},{c} {},{c}", c + 216), "-strokewidth", "5", "-draw", &format!("circle {c},{c} {},{c}", c + 168)])
        .args(["-fill", "#d8454f", "-stroke", "none", "-draw", &format!("polygon {c},{} {},{} {},{}", c - 60, c - 18, c + 6, c + 18, c + 6)])
        .args(["-font", bold, "-pointsize", "39", "-draw", &format!("text {},{} 'ỦY BAN NHÂN DÂN'", c - 150, c - 90)])
        .args(["-draw", &format!("text {},{} 'TỈNH'", c - 45, c + 90), ")"])
        .args(["-gravity", "northwest", "-geometry", "+1000+1950", "-compose", "multiply", "-composite"])
        .args(["-type", "TrueColor", "-quality", "60", "-units", "PixelsPerInch", "-density", "300"])
        .arg(out)
        .status();
    status.is_ok_and(|s| s.success())
}

#[test]
fn the_lines_under_a_red_seal_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let sealed = dir.path().join("sealed.jpg");
    if !Path::new("/usr/share/fonts/truetype/liberation2").is_dir() {
        eprintln!("SKIPPED: fonts-liberation2 is not installed (scripts/setup.sh installs it)");
        return;
    }
    assert!(sealed_scan(&sealed), "ImageMagick draws the seal");
    let repairer = Repairer::load(&repo().join("dictionaries")).unwrap();
    let lm = repairer.language_model();
    let read = |path: &Path, kind| vanban::ingest::ocr_image_page(path, kind, 1, lm).unwrap().1.text;
    let clean = read(&repo().join("corpus/qd-1582-ubnd.png"), ImageKind::Png);
    // The same scan saved as an RGB TIFF, as some scanners write.
    let tiff = dir.path().join("sealed.tif");
    assert!(Command::new("/usr/bin/convert").arg(&sealed).args(["-compress", "none"]).arg(&tiff).status().is_ok_and(|s| s.success()));
    for (path, kind) in [(&sealed, ImageKind::Jpeg), (&tiff, ImageKind::Tiff)] {
        let text = read(path, kind);
        // The members the seal is pressed over.
        for name in ["Nguyễn Thị Hạnh", "Lê Quang Vinh", "Đại diện lãnh đạo"] {
            assert!(clean.contains(name), "the clean page reads {name:?}:\n{clean}");
            assert!(text.contains(name), "{kind:?}: {name:?} under the seal is not read:\n{text}");
        }
        // And the page reads as the clean page does, give or take a few syllables.
        let errors = syllable_errors(&clean, &text);
        eprintln!("{kind:?}: {} of {} syllables differ from the clean page", errors.errors, errors.reference);
        assert!(errors.rate() < 0.03, "{kind:?}: {} of {} syllables differ from the clean page:\n{text}", errors.errors, errors.reference);
        // The seal's own letters are not read as text.
        assert_eq!(text.matches("ỦY BAN NHÂN DÂN").count(), clean.matches("ỦY BAN NHÂN DÂN").count(), "{text}");
    }
}
