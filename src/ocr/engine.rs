//! Tesseract with the `vie` model: one engine per worker thread, created on the thread's
//! first page and reused (starting an engine and loading the model costs ~0.15 s).

use anyhow::{bail, Context};
use std::cell::RefCell;
use std::ffi::CString;
use tesseract::plumbing::TessBaseApi;
use tesseract::PageSegMode;

use super::columns::split_columns;
use super::header_order::{is_header_part, order_header};
use super::junk::junk_reason;
use super::tsv::{self, TsvLine};
use super::PageImage;
use crate::record::{DroppedLine, OcrWord};

/// Tesseract language: Debian's `tesseract-ocr-vie` (`vie+eng` read worse, measured).
const LANGUAGE: &str = "vie";
/// Auto segmentation whose kept words average below this is retried as a single block.
const FALLBACK_CONFIDENCE: f32 = 60.0;

thread_local! {
    static ENGINE: RefCell<Option<TessBaseApi>> = const { RefCell::new(None) };
}

/// How Tesseract segmented the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segmentation {
    /// PSM 3: columns and blocks found automatically (reads two-column headers right).
    Auto,
    /// PSM 6: one block of text; the fallback when auto finds nothing or reads badly.
    SingleBlock,
}

/// One recognized page, junk lines removed.
#[derive(Debug, Clone)]
pub struct OcrPage {
    /// Lines in reading order, a blank line between paragraphs.
    pub text: String,
    pub words: Vec<OcrWord>,
    pub dropped_lines: Vec<DroppedLine>,
    /// Mean confidence of the kept words (0 when none).
    pub mean_confidence: f32,
    pub segmentation: Segmentation,
    /// Degrees the page was turned clockwise before this reading (see `crate::page`).
    pub rotation: u16,
    /// Degrees the page was then turned clockwise to level its crooked lines, 0 when it
    /// was read as scanned (`crate::page::deskew`).
    pub skew: f32,
    /// Why the page is not text a clerk can use, in Vietnamese, when it is not
    /// (`crate::page::readable`); its text and words are then empty.
    pub unreadable: Option<String>,
    /// Signature boxes, receipt stamps and marks beside them, taken out of the text
    /// (`crate::page::regions`).
    pub regions: Vec<crate::page::Region>,
}

impl OcrPage {
    /// Sum of kept word confidences: more confident text wins, and more of it.
    fn score(&self) -> f32 {
        self.words.iter().map(|w| w.confidence).sum()
    }
}

fn new_engine() -> anyhow::Result<TessBaseApi> {
    super::line_images::keep();
    let mut api = TessBaseApi::create();
    let language = CString::new(LANGUAGE).expect("no NUL");
    if api.init_2(None, Some(&language)).is_err() {
        bail!("cannot start Tesseract with the Vietnamese model; install tesseract-ocr-vie (apt-get install tesseract-ocr-vie)");
    }
    // Tesseract prints resolution and layout diagnostics on stderr; our errors say more.
    let _ = api.set_variable(c"debug_file", c"/dev/null");
    Ok(api)
}

/// OCRs one page on this thread's engine: auto segmentation first, a single block when
/// that finds nothing or reads with low confidence, and the better of the two is kept.
pub fn recognize(image: &PageImage) -> anyhow::Result<OcrPage> {
    ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(new_engine()?);
        }
        let api = slot.as_mut().expect("set above");
        let auto = run(api, image, Segmentation::Auto)?;
        if !needs_fallback(&auto) {
            return Ok(auto);
        }
        let block = run(api, image, Segmentation::SingleBlock)?;
        Ok(better(auto, block))
    })
}

/// Auto segmentation failed when it kept no words or read them with low confidence.
fn needs_fallback(auto: &OcrPage) -> bool {
    auto.words.is_empty() || auto.mean_confidence < FALLBACK_CONFIDENCE
}

/// The reading with more confident text; auto segmentation wins ties.
fn better(auto: OcrPage, block: OcrPage) -> OcrPage {
    if block.score() > auto.score() { block } else { auto }
}

fn run(api: &mut TessBaseApi, image: &PageImage, mode: Segmentation) -> anyhow::Result<OcrPage> {
    let psm = match mode {
        Segmentation::Auto => PageSegMode::PsmAuto,
        Segmentation::SingleBlock => PageSegMode::PsmSingleBlock,
    };
    let cache = TsvCache::from_env(image, mode);
    if let Some(tsv) = cache.as_ref().and_then(TsvCache::load) {
        return Ok(assemble(tsv::parse(&tsv), mode, image.height));
    }
    api.set_page_seg_mode(psm.as_tess_page_seg_mode());
    let width = i32::try_from(image.width).context("page too wide")?;
    let height = i32::try_from(image.height).context("page too tall")?;
    api.set_image(&image.pixels, width, height, 1, width)
        .map_err(|e| anyhow::anyhow!("Tesseract refused the page image: {e:?}"))?;
    api.set_source_resolution(image.dpi as i32);
    api.recognize().map_err(|_| anyhow::anyhow!("Tesseract failed to recognize the page"))?;
    let tsv = api.get_tsv_text(0).map_err(|_| anyhow::anyhow!("Tesseract gave no text for the page"))?;
    let tsv = tsv.as_ref().to_string_lossy();
    if let Some(cache) = &cache {
        cache.store(&tsv);
    }
    Ok(assemble(tsv::parse(&tsv), mode, image.height))
}

/// A development cache of Tesseract's raw page readings, on only when `VANBAN_OCR_CACHE`
/// names a folder: `vanban eval scans` re-ingests the real scans for every new build, and
/// when only repair, header or citation code changed, Tesseract's ~1 s per page is the
/// same work again. Keyed by the exact pixels, size, resolution, segmentation mode and
/// model, so a change in page cleanup reads afresh. Never set it in production: a new
/// Tesseract or model under the same name would not be noticed.
struct TsvCache {
    path: std::path::PathBuf,
}

impl TsvCache {
    fn from_env(image: &PageImage, mode: Segmentation) -> Option<TsvCache> {
        use sha2::{Digest, Sha256};
        let dir = std::env::var_os("VANBAN_OCR_CACHE").filter(|d| !d.is_empty())?;
        let mut hasher = Sha256::new();
        hasher.update(LANGUAGE.as_bytes());
        hasher.update([mode as u8]);
        hasher.update(image.width.to_le_bytes());
        hasher.update(image.height.to_le_bytes());
        hasher.update(image.dpi.to_le_bytes());
        hasher.update(&image.pixels);
        let key: String = hasher.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect();
        Some(TsvCache { path: std::path::PathBuf::from(dir).join(format!("{key}.tsv")) })
    }

    fn load(&self) -> Option<String> {
        std::fs::read_to_string(&self.path).ok()
    }

    /// Best effort: a cache that cannot be written only costs time.
    fn store(&self, tsv: &str) {
        let Some(dir) = self.path.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = self.path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, tsv).is_ok() && std::fs::rename(&tmp, &self.path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// The lines that are not junk, or that `exempt` keeps; the others are recorded in
/// `dropped` with the reason.
fn drop_junk(lines: Vec<TsvLine>, dropped: &mut Vec<DroppedLine>, exempt: fn(&TsvLine) -> bool) -> Vec<TsvLine> {
    let mut kept = Vec::with_capacity(lines.len());
    for line in lines {
        if exempt(&line) {
            kept.push(line);
            continue;
        }
        let scored: Vec<(&str, f32)> = line.words.iter().map(|w| (w.text.as_str(), w.confidence)).collect();
        match junk_reason(&scored) {
            Some(reason) => dropped.push(DroppedLine { text: line.text(), mean_confidence: line.mean_confidence(), reason }),
            None => kept.push(line),
        }
    }
    kept
}

/// Turns Tesseract's lines into page text: signature boxes and stamps taken out as regions
/// (before the junk filter, so that a box keeps all its lines), junk lines dropped (and
/// recorded), side-by-side columns separated, a blank line between paragraphs, each kept
/// word numbered with its line in that text. `height`: the page's, in pixels.
fn assemble(lines: Vec<TsvLine>, segmentation: Segmentation, height: u32) -> OcrPage {
    let (lines, regions) = crate::page::regions::separate(lines, height);
    let mut dropped_lines = Vec::new();
    let kept = drop_junk(lines, &mut dropped_lines, |_| false);
    // Splitting columns and the header can leave a piece of marks alone on its line (the
    // accents over a title that Tesseract read as words beside real ones): the pieces are
    // judged again; not the header's, whose number and date lines hold handwriting that
    // reads as symbols ("Số:⁄‡6 /CT-UBND") and must reach the header fields' reader.
    let ordered = drop_junk(order_header(split_columns(kept)), &mut dropped_lines, is_header_part);
    let mut text = String::new();
    let mut words = Vec::new();
    let mut line_no = 0u32;
    let mut last_paragraph = None;
    for line in ordered {
        let paragraph = (line.block, line.paragraph);
        if last_paragraph.is_some() && last_paragraph != Some(paragraph) {
            text.push('\n');
            line_no += 1;
        }
        last_paragraph = Some(paragraph);
        line_no += 1;
        text.push_str(&line.text());
        text.push('\n');
        words.extend(line.words.into_iter().map(|w| OcrWord {
            text: w.text,
            confidence: w.confidence,
            bbox: w.bbox,
            line: line_no,
        }));
    }
    let mean_confidence = tsv::mean(words.iter().map(|w| w.confidence));
    OcrPage { text, words, dropped_lines, mean_confidence, segmentation, rotation: 0, skew: 0.0, unreadable: None, regions }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::tsv::TsvWord;

    fn tsv_line(block: u32, paragraph: u32, text: &str, confidence: f32) -> TsvLine {
        let words = text
            .split_whitespace()
            .map(|w| TsvWord { text: w.to_owned(), confidence, bbox: [0, 0, 10, 10] })
            .collect();
        TsvLine { block, paragraph, words }
    }

    #[test]
    fn single_block_is_tried_when_auto_finds_nothing_or_reads_badly() {
        let nothing = assemble(Vec::new(), Segmentation::Auto, 3500);
        assert!(needs_fallback(&nothing));
        let doubtful = assemble(vec![tsv_line(1, 1, "Căn cứ Nghị định số", 45.0)], Segmentation::Auto, 3500);
        assert!(needs_fallback(&doubtful));
        let good = assemble(vec![tsv_line(1, 1, "Căn cứ Nghị định số", 91.0)], Segmentation::Auto, 3500);
        assert!(!needs_fallback(&good));

        let block = assemble(
            vec![tsv_line(1, 1, "Căn cứ Nghị định số 30/2020/NĐ-CP", 80.0), tsv_line(1, 1, "của Chính phủ", 80.0)],
            Segmentation::SingleBlock,
            3500,
        );
        assert_eq!(better(nothing, block.clone()).segmentation, Segmentation::SingleBlock);
        assert_eq!(better(doubtful.clone(), block).segmentation, Segmentation::SingleBlock);
        let worse_block = assemble(vec![tsv_line(1, 1, "Căn", 40.0)], Segmentation::SingleBlock, 3500);
        assert_eq!(better(doubtful, worse_block).segmentation, Segmentation::Auto);
    }

    #[test]
    fn paragraphs_are_separated_and_word_lines_match_the_text() {
        let page = assemble(
            vec![
                tsv_line(1, 1, "ỦY BAN NHÂN DÂN", 95.0),
                tsv_line(1, 1, "TỈNH BÌNH PHƯỚC", 94.0),
                tsv_line(2, 1, "° « s., M _*, š š F :", 30.0),
                tsv_line(3, 1, "Số: 1582/QĐ-UBND", 92.0),
            ],
            Segmentation::Auto,
            3500,
        );
        assert_eq!(page.text, "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\n\nSố: 1582/QĐ-UBND\n");
        assert_eq!(page.dropped_lines.len(), 1);
        let text_lines: Vec<&str> = page.text.lines().collect();
        for word in &page.words {
            assert!(text_lines[word.line as usize - 1].contains(&word.text), "{word:?}");
        }
    }
}
