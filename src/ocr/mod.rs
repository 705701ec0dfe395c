//! OCR: page images from image, TIFF and PDF files, and Tesseract (`vie`) over them,
//! one engine per worker thread, with per-word confidences and a junk-line filter.
//!
//! A file is opened twice on purpose: [`page_count`] reads only headers, so ingest can
//! schedule every page on the worker pool up front, and [`load_page`] decodes one page
//! when a worker gets to it — a 300-page PDF never sits in memory whole.

mod brick_opening;
mod columns;
mod convolve;
mod library_symbol;
mod header_order;
mod engine;
mod image_file;
pub mod junk;
mod limits;
mod line_images;
mod marks;
pub mod neural;
mod pdf;
pub mod reread;
mod stride_index;
mod timestep_write;
pub(crate) use pdf::poppler;
pub use pdf::{image_list as pdf_image_list, text_layer as pdf_text_layer, RASTER_DPI};
mod tiff_file;
pub(crate) mod tsv;

use std::path::Path;

pub use engine::{cache_readings_in, read_block_lines, recognize, CacheReadings, OcrPage, Segmentation};
pub use limits::{check_dimensions, MAX_PIXELS, MAX_SIDE, PAGE_BYTES_PER_PIXEL};

/// Resolution assumed when a file does not declare one (what scanners default to).
pub const DEFAULT_DPI: u32 = 300;

/// The kinds of file that hold page images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Tiff,
    Pdf,
}

/// One page as 8-bit gray pixels, row-major, `width * height` bytes.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    /// The resolution the file declares (Tesseract needs it to size its text model).
    pub dpi: u32,
    pub pixels: Vec<u8>,
}

/// Number of pages in the file, read from headers only.
pub fn page_count(path: &Path, kind: ImageKind) -> anyhow::Result<u32> {
    match kind {
        ImageKind::Png | ImageKind::Jpeg => image_file::check(path, kind).map(|()| 1),
        ImageKind::Tiff => tiff_file::page_count(path),
        ImageKind::Pdf => pdf::page_count(path),
    }
}

/// Pixels of page `number` (1-based) once decoded, read from headers only (PDF pages at
/// the 300 DPI they are rasterized at): what reading the page will cost in memory.
pub fn page_pixels(path: &Path, kind: ImageKind, number: u32) -> anyhow::Result<u64> {
    let (width, height) = match kind {
        ImageKind::Png | ImageKind::Jpeg => image_file::dimensions(path, kind)?,
        ImageKind::Tiff => tiff_file::page_dimensions(path, number)?,
        ImageKind::Pdf => return pdf::page_pixels(path, number),
    };
    Ok(u64::from(width) * u64::from(height))
}

/// Decodes page `number` (1-based) to gray pixels, refusing pages over the size limits
/// before any pixel buffer is allocated.
pub fn load_page(path: &Path, kind: ImageKind, number: u32) -> anyhow::Result<PageImage> {
    match kind {
        ImageKind::Png | ImageKind::Jpeg => image_file::load(path, kind),
        ImageKind::Tiff => tiff_file::load_page(path, number),
        ImageKind::Pdf => pdf::render_page(path, number),
    }
}

/// The top fifth of a corpus page (its header): a few printed lines, enough to reach
/// Tesseract's LSTM recognizer in the tests that check what vanban defines for it.
#[cfg(test)]
pub(crate) fn corpus_header_strip() -> PageImage {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/qd-1582-ubnd.png");
    let page = load_page(&path, ImageKind::Png, 1).expect("corpus page");
    let height = page.height / 5;
    PageImage { height, pixels: page.pixels[..(page.width * height) as usize].to_vec(), ..page }
}

/// Reads [`corpus_header_strip`] on a fresh engine (never from `VANBAN_OCR_CACHE`, which
/// would skip Tesseract) and checks the header was read: the tests of what vanban defines
/// for Tesseract's LSTM then count their calls around it.
#[cfg(test)]
pub(crate) fn read_corpus_header_strip() -> String {
    let tsv = engine::Engine::new().expect("Tesseract").read(&corpus_header_strip(), Segmentation::Auto).expect("Tesseract reads the strip");
    assert!(tsv.contains("UỶ") || tsv.contains("ỦY"), "{tsv}");
    tsv
}
