//! Development loop for page levelling (`vanban::page::deskew`): prints the skew measured
//! on page 1 of each PDF or image given, as scanned and turned by the given angles, and
//! the time the measurement takes. Nothing is OCR'd.
//!
//!     cargo run --release --example skew_dev -- FILE... [--turn 2,-4]

use std::path::Path;
use std::time::Instant;

use vanban::ocr::{load_page, ImageKind};
use vanban::page::deskew;

fn main() -> anyhow::Result<()> {
    let mut turns = vec![0.0f32];
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--turn" {
            let list = args.next().unwrap_or_default();
            turns.extend(list.split(',').filter_map(|a| a.parse::<f32>().ok()));
        } else {
            files.push(arg);
        }
    }
    for file in files {
        let path = Path::new(&file);
        let kind = match path.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
            Some("pdf") => ImageKind::Pdf,
            Some("png") => ImageKind::Png,
            Some("jpg") | Some("jpeg") => ImageKind::Jpeg,
            _ => ImageKind::Tiff,
        };
        let page = load_page(path, kind, 1)?;
        for &turn in &turns {
            let turned = deskew::rotate(&page, turn);
            let start = Instant::now();
            let skew = deskew::estimate(&turned);
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            let name = path.file_name().unwrap().to_string_lossy();
            match skew {
                Some(s) => println!("{name}\tturn {turn:+.1}\tskew {:+.2}\tcontrast {:.2}\t{ms:.0} ms", s.degrees, s.contrast),
                None => println!("{name}\tturn {turn:+.1}\tno skew found\t{ms:.0} ms"),
            }
        }
    }
    Ok(())
}
