//! Page images for the document page. PNG and JPEG scans are sent as they are; a TIFF
//! page is decoded (by the OCR stage's loader, with its size limits) and a PDF page is
//! rasterized by `pdftoppm`, both to PNG, and kept in a small in-memory cache because a
//! clerk flips back and forth between pages.
//!
//! The file is always the record's own `source_path`: the request names a record id and a
//! page number, never a path.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;

use super::failure::Failure;
use crate::ocr::ImageKind;
use crate::record::{Document, SourceKind};

/// Converted pages kept in memory (about 25 A4 pages at the display size).
const CACHE_BYTES: usize = 48 * 1024 * 1024;
/// A PDF page at this resolution is as wide as the text column beside it.
const PDF_DPI: &str = "100";
/// TIFF scans are 300 DPI or more; this width (about 150 DPI on A4) is plenty on screen.
const MAX_DISPLAY_WIDTH: u32 = 1240;
/// A PNG or JPEG larger than this is not a page scan anyone should stream to a browser.
const MAX_DIRECT_BYTES: u64 = 64 * 1024 * 1024;
/// The top of a first page that holds a directive's header (organ, "Số:" line, place and
/// date, type and title) on A4 at any resolution: what the clerk checks the number and date
/// against while editing them.
const HEADER_SHARE: f64 = 0.34;
/// Decoding a page to crop it may use at most this much memory (a 600 DPI A4 colour page
/// is about 105 MB).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// The cache key's page number of a first page's header crop.
const HEADER_KEY: u32 = 0;

/// An encoded page image.
#[derive(Debug)]
pub struct PageImage {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Which page of which version of which record.
type Key = (String, String, u32);

#[derive(Default)]
pub struct PageImages {
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    entries: HashMap<Key, Arc<PageImage>>,
    /// Oldest first; evicted first.
    order: VecDeque<Key>,
    bytes: usize,
}

impl PageImages {
    /// Page `number` (1-based) of `doc`, converted when its file is a TIFF or a PDF.
    pub fn page(&self, doc: &Document, number: u32) -> Result<Arc<PageImage>, Failure> {
        if number == 0 || number as usize > doc.pages.len() {
            return Err(Failure::not_found(format!(
                "Văn bản này có {} trang; không có trang {number}.",
                doc.pages.len()
            )));
        }
        let key = (doc.id.clone(), doc.sha256.clone(), number);
        if let Some(hit) = self.lock().entries.get(&key) {
            return Ok(Arc::clone(hit));
        }
        let image = Arc::new(render(doc, number)?);
        self.lock().insert(key, Arc::clone(&image));
        Ok(image)
    }

    /// The header of the record's first page, cropped (see [`HEADER_SHARE`]), as PNG.
    pub fn header(&self, doc: &Document) -> Result<Arc<PageImage>, Failure> {
        let key = (doc.id.clone(), doc.sha256.clone(), HEADER_KEY);
        if let Some(hit) = self.lock().entries.get(&key) {
            return Ok(Arc::clone(hit));
        }
        let page = self.page(doc, 1)?;
        let crop = header_crop(&page).map_err(|err| Failure::internal(&err.context(format!("phần đầu trang 1 của {}", doc.source_path))))?;
        let crop = Arc::new(crop);
        self.lock().insert(key, Arc::clone(&crop));
        Ok(crop)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Cache {
    fn insert(&mut self, key: Key, image: Arc<PageImage>) {
        if image.bytes.len() > CACHE_BYTES || self.entries.contains_key(&key) {
            return;
        }
        self.bytes += image.bytes.len();
        self.entries.insert(key.clone(), image);
        self.order.push_back(key);
        while self.bytes > CACHE_BYTES {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some(evicted) = self.entries.remove(&oldest) {
                self.bytes -= evicted.bytes.len();
            }
        }
    }
}

fn render(doc: &Document, number: u32) -> Result<PageImage, Failure> {
    let path = Path::new(&doc.source_path);
    if doc.source_kind == SourceKind::Text {
        return Err(Failure::not_found(
            "Văn bản này được nhập từ tệp chữ nên không có ảnh trang.".to_string(),
        ));
    }
    if !path.is_file() {
        return Err(Failure::not_found(format!(
            "Không tìm thấy tệp gốc {}: có thể tệp đã bị chuyển hoặc xoá sau khi nhập; hãy nhập lại thư mục chứa nó.",
            doc.source_path
        )));
    }
    let rendered = match doc.source_kind {
        SourceKind::Image => direct(path),
        SourceKind::Tiff => tiff_page(path, number),
        SourceKind::Pdf => pdf_page(path, number),
        SourceKind::Text => unreachable!("handled above"),
    };
    rendered.map_err(|err| Failure::internal(&err.context(format!("trang {number} của {}", doc.source_path))))
}

/// A PNG or JPEG scan, sent as it is; its type is read from its first bytes.
fn direct(path: &Path) -> anyhow::Result<PageImage> {
    let size = std::fs::metadata(path).context("cannot read the scan")?.len();
    if size > MAX_DIRECT_BYTES {
        anyhow::bail!("the scan is {size} bytes, more than the {MAX_DIRECT_BYTES} bytes the server sends");
    }
    let bytes = std::fs::read(path).context("cannot read the scan")?;
    let content_type = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        anyhow::bail!("the scan is neither PNG nor JPEG any more; ingest it again")
    };
    Ok(PageImage { content_type, bytes })
}

fn tiff_page(path: &Path, number: u32) -> anyhow::Result<PageImage> {
    let page = crate::ocr::load_page(path, ImageKind::Tiff, number)?;
    let gray = image::GrayImage::from_raw(page.width, page.height, page.pixels)
        .context("the decoded TIFF page has fewer pixels than its size")?;
    let gray = if gray.width() > MAX_DISPLAY_WIDTH {
        let height = (u64::from(gray.height()) * u64::from(MAX_DISPLAY_WIDTH) / u64::from(gray.width())).max(1) as u32;
        image::imageops::resize(&gray, MAX_DISPLAY_WIDTH, height, image::imageops::FilterType::Triangle)
    } else {
        gray
    };
    let mut bytes = Vec::new();
    gray.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).context("cannot encode the page as PNG")?;
    Ok(PageImage { content_type: "image/png", bytes })
}

fn header_crop(page: &PageImage) -> anyhow::Result<PageImage> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(&page.bytes)).with_guessed_format().context("cannot read the page image")?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let full = reader.decode().context("cannot decode the page image")?;
    let height = ((f64::from(full.height()) * HEADER_SHARE).round() as u32).clamp(1, full.height().max(1));
    let mut crop = full.crop_imm(0, 0, full.width(), height);
    if crop.width() > MAX_DISPLAY_WIDTH {
        crop = crop.resize(MAX_DISPLAY_WIDTH, u32::MAX, image::imageops::FilterType::Triangle);
    }
    let mut bytes = Vec::new();
    crop.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).context("cannot encode the header as PNG")?;
    Ok(PageImage { content_type: "image/png", bytes })
}

fn pdf_page(path: &Path, number: u32) -> anyhow::Result<PageImage> {
    let n = number.to_string();
    let output = crate::ocr::poppler("pdftoppm")
        .args(["-r", PDF_DPI, "-png", "-f", &n, "-l", &n])
        .arg(path)
        .output()
        .context("cannot run pdftoppm (install poppler-utils)")?;
    if !output.status.success() || !output.stdout.starts_with(b"\x89PNG") {
        let reason = String::from_utf8_lossy(&output.stderr);
        anyhow::bail!("pdftoppm could not rasterize the page: {}", reason.trim());
    }
    Ok(PageImage { content_type: "image/png", bytes: output.stdout })
}
