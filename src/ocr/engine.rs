//! Tesseract with the `vie` model: one engine per worker thread, created on the thread's
//! first page and reused (starting an engine and loading the model costs ~0.15 s).

use anyhow::{bail, Context};
use std::cell::RefCell;
use std::ffi::{c_int, CStr, CString};
use tesseract::plumbing::tesseract_sys as sys;

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
/// Tesseract variables set on every engine (and part of the OCR cache key).
/// `textord_disable_pitch_test`: Tesseract's layout tests every text row for fixed-pitch
/// (typewriter) spacing, 4% of a clean corpus page's instructions and 3% of a noisy one's
/// (callgrind); with the LSTM recognizer, which reads each row whole, the test changed
/// nothing we read (the CLI's text byte for byte on both bench corpus pages; `vanban eval
/// all` figures unchanged).
const SETTINGS: &[(&CStr, &CStr)] = &[(c"textord_disable_pitch_test", c"1")];

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
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

/// This thread's Tesseract engine, on Tesseract's C API: the `tesseract` crate's wrapper
/// has no result iterator, which [`Engine::words`] needs.
pub(super) struct Engine(*mut sys::TessBaseAPI);

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: the handle came from TessBaseAPICreate and is deleted once.
        unsafe { sys::TessBaseAPIDelete(self.0) }
    }
}

impl Engine {
    pub(super) fn new() -> anyhow::Result<Engine> {
        super::line_images::keep();
        super::brick_opening::keep();
        super::stride_index::enable();
        super::timestep_write::keep();
        super::convolve::keep();
        let language = CString::new(LANGUAGE).expect("no NUL");
        // SAFETY: plain C API calls on a handle we own; the strings are NUL-terminated.
        unsafe {
            let engine = Engine(sys::TessBaseAPICreate());
            if engine.0.is_null() || sys::TessBaseAPIInit3(engine.0, std::ptr::null(), language.as_ptr()) != 0 {
                bail!("cannot start Tesseract with the Vietnamese model; install tesseract-ocr-vie (apt-get install tesseract-ocr-vie)");
            }
            // Tesseract prints resolution and layout diagnostics on stderr; our errors say more.
            sys::TessBaseAPISetVariable(engine.0, c"debug_file".as_ptr(), c"/dev/null".as_ptr());
            for (name, value) in SETTINGS {
                if sys::TessBaseAPISetVariable(engine.0, name.as_ptr(), value.as_ptr()) == 0 {
                    bail!("this Tesseract has no variable {}", name.to_string_lossy());
                }
            }
            Ok(engine)
        }
    }

    /// Reads `image` in `mode`: the word rows of Tesseract's TSV (see [`Engine::words`]).
    pub(super) fn read(&mut self, image: &PageImage, mode: Segmentation) -> anyhow::Result<String> {
        let psm = match mode {
            Segmentation::Auto => sys::TessPageSegMode_PSM_AUTO,
            Segmentation::SingleBlock => sys::TessPageSegMode_PSM_SINGLE_BLOCK,
        };
        let width = c_int::try_from(image.width).context("page too wide")?;
        let height = c_int::try_from(image.height).context("page too tall")?;
        if image.pixels.len() < image.width as usize * image.height as usize {
            bail!("the page image is smaller than its size says");
        }
        // SAFETY: the pixel buffer holds width × height bytes (checked above) and outlives
        // the calls (Tesseract copies it in SetImage; Clear below lets it go).
        unsafe {
            sys::TessBaseAPISetPageSegMode(self.0, psm);
            sys::TessBaseAPISetImage(self.0, image.pixels.as_ptr(), width, height, 1, width);
            sys::TessBaseAPISetSourceResolution(self.0, image.dpi as c_int);
            if sys::TessBaseAPIRecognize(self.0, std::ptr::null_mut()) != 0 {
                sys::TessBaseAPIClear(self.0);
                bail!("Tesseract failed to recognize the page");
            }
            let words = self.words();
            sys::TessBaseAPIClear(self.0);
            Ok(words)
        }
    }

    /// The recognized words as the word rows (level 5) of `GetTSVText`, the same bytes:
    /// walking the words ourselves skips what `GetTSVText` does besides (per word three
    /// `IsAtFinalElement` look-aheads whose counts it never prints, and the text put
    /// together symbol by symbol), 3–4% of a page's CPU (perf). Its level 1–4 rows are
    /// not written: nothing reads them (`tsv::parse`), so cached readings with them parse
    /// the same.
    ///
    /// # Safety
    /// Called after a successful `Recognize` on this engine.
    unsafe fn words(&mut self) -> String {
        use sys::{
            TessPageIteratorLevel_RIL_BLOCK as BLOCK, TessPageIteratorLevel_RIL_PARA as PARA,
            TessPageIteratorLevel_RIL_TEXTLINE as LINE, TessPageIteratorLevel_RIL_WORD as WORD,
        };
        let mut tsv = String::new();
        let words = sys::TessBaseAPIGetIterator(self.0);
        if words.is_null() {
            return tsv;
        }
        let layout = sys::TessResultIteratorGetPageIteratorConst(words);
        let (mut block, mut paragraph, mut line, mut word) = (0u32, 0u32, 0u32, 0u32);
        loop {
            // An empty word (none on the line, or a picture block) has no text and is
            // skipped, as GetTSVText skips it.
            let text = sys::TessResultIteratorGetUTF8Text(words, WORD);
            if !text.is_null() {
                if sys::TessPageIteratorIsAtBeginningOf(layout, BLOCK) != 0 {
                    block += 1;
                    (paragraph, line, word) = (0, 0, 0);
                }
                if sys::TessPageIteratorIsAtBeginningOf(layout, PARA) != 0 {
                    paragraph += 1;
                    (line, word) = (0, 0);
                }
                if sys::TessPageIteratorIsAtBeginningOf(layout, LINE) != 0 {
                    line += 1;
                    word = 0;
                }
                word += 1;
                let (mut left, mut top, mut right, mut bottom) = (0, 0, 0, 0);
                sys::TessPageIteratorBoundingBox(layout, WORD, &mut left, &mut top, &mut right, &mut bottom);
                let confidence = sys::TessResultIteratorConfidence(words, WORD);
                let shown = CStr::from_ptr(text).to_string_lossy();
                // GetTSVText's row: std::to_string of a float prints it as %f.
                tsv.push_str(&format!(
                    "5\t1\t{block}\t{paragraph}\t{line}\t{word}\t{left}\t{top}\t{}\t{}\t{:.6}\t{shown}\n",
                    right - left,
                    bottom - top,
                    f64::from(confidence)
                ));
                sys::TessDeleteText(text);
            }
            if sys::TessResultIteratorNext(words, WORD) == 0 {
                break;
            }
        }
        sys::TessResultIteratorDelete(words);
        tsv
    }
}

/// OCRs one page on this thread's engine: auto segmentation first, a single block when
/// that finds nothing or reads with low confidence, and the better of the two is kept.
pub fn recognize(image: &PageImage) -> anyhow::Result<OcrPage> {
    ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(Engine::new()?);
        }
        let engine = slot.as_mut().expect("set above");
        let auto = run(engine, image, Segmentation::Auto)?;
        if !needs_fallback(&auto) {
            return Ok(auto);
        }
        let block = run(engine, image, Segmentation::SingleBlock)?;
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

fn run(engine: &mut Engine, image: &PageImage, mode: Segmentation) -> anyhow::Result<OcrPage> {
    let cache = TsvCache::from_env(image, mode);
    if let Some(tsv) = cache.as_ref().and_then(TsvCache::load) {
        return Ok(assemble_rereading(engine, tsv::parse(&tsv), mode, image));
    }
    let tsv = engine.read(image, mode)?;
    if let Some(cache) = &cache {
        cache.store(&tsv);
    }
    Ok(assemble_rereading(engine, tsv::parse(&tsv), mode, image))
}

/// [`assemble`], and where the signer's name should stand but no line was read over ink
/// (`marks::missing_signer_area`), that area alone read again as one block: its lines that
/// read as print join the page as a last paragraph. Only such pages are read twice.
///
/// What the second reading gave is also noted among the dropped lines (the lines it put in
/// the text, and the name-shaped lines it read too unsure for the text), for the signer's
/// review (`crate::header::signer`): a name read only there is never stored as sure.
fn assemble_rereading(engine: &mut Engine, lines: Vec<TsvLine>, mode: Segmentation, image: &PageImage) -> OcrPage {
    let (mut lines, mut dropped, regions) = clean_lines(lines, image.height);
    if let Some(area) = super::marks::missing_signer_area(&lines, &image.pixels, image.width, image.height) {
        match read_area(engine, image, area) {
            Ok(reread) => {
                let read = super::marks::signer_lines(reread, &lines);
                let note = |line: &TsvLine, reason: &str| DroppedLine { text: line.text(), mean_confidence: line.mean_confidence(), reason: reason.to_owned() };
                dropped.extend(read.kept.iter().map(|l| note(l, crate::header::signer::REREAD_KEPT)));
                dropped.extend(read.unsure.iter().map(|l| note(l, crate::header::signer::REREAD_UNSURE)));
                lines.extend(read.kept);
            }
            Err(error) => dropped.push(DroppedLine {
                text: String::new(),
                mean_confidence: 0.0,
                reason: format!("không đọc lại được vùng chữ ký: {error:#}"),
            }),
        }
    }
    compose(lines, dropped, regions, mode)
}

/// `area` (`[left, top, width, height]`) of `image` read as one block, its words' boxes
/// put back in the page's pixels. Cached like a page reading.
fn read_area(engine: &mut Engine, image: &PageImage, area: [u32; 4]) -> anyhow::Result<Vec<TsvLine>> {
    let [x0, y0, w, h] = area;
    let mut pixels = Vec::with_capacity(w as usize * h as usize);
    for y in y0..y0 + h {
        let start = y as usize * image.width as usize + x0 as usize;
        pixels.extend_from_slice(image.pixels.get(start..start + w as usize).context("the signature area is outside the page")?);
    }
    let crop = PageImage { width: w, height: h, dpi: image.dpi, pixels };
    let mut lines = tsv::parse(&read_cached(engine, &crop, Segmentation::SingleBlock)?);
    for word in lines.iter_mut().flat_map(|l| &mut l.words) {
        word.bbox[0] += x0;
        word.bbox[1] += y0;
    }
    Ok(lines)
}

/// `image` read in `mode` on `engine`, through the development cache.
fn read_cached(engine: &mut Engine, image: &PageImage, mode: Segmentation) -> anyhow::Result<String> {
    let cache = TsvCache::from_env(image, mode);
    if let Some(tsv) = cache.as_ref().and_then(TsvCache::load) {
        return Ok(tsv);
    }
    let tsv = engine.read(image, mode)?;
    if let Some(cache) = &cache {
        cache.store(&tsv);
    }
    Ok(tsv)
}

/// A small image (a stamp's area) read as one block on this thread's engine: its lines'
/// text, top to bottom, nothing dropped.
pub fn read_block_lines(image: &PageImage) -> anyhow::Result<Vec<String>> {
    ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(Engine::new()?);
        }
        let engine = slot.as_mut().expect("set above");
        let tsv = read_cached(engine, image, Segmentation::SingleBlock)?;
        Ok(tsv::parse(&tsv).iter().map(TsvLine::text).collect())
    })
}

/// A development cache of Tesseract's raw page readings, on only when `VANBAN_OCR_CACHE`
/// names a folder: `vanban eval scans` re-ingests the real scans for every new build, and
/// when only repair, header or citation code changed, Tesseract's ~1 s per page is the
/// same work again. Keyed by the exact pixels, size, resolution, segmentation mode,
/// model and Tesseract variables ([`SETTINGS`]), so a change in page cleanup or settings
/// reads afresh. Never set it in production: a new
/// Tesseract or model under the same name would not be noticed.
struct TsvCache {
    path: std::path::PathBuf,
}

/// The folder of [`TsvCache`] while an evaluation holds a [`CacheReadings`] guard (and
/// `VANBAN_OCR_CACHE` is not set): `vanban eval repair` reads its rendered scans through
/// the page pipeline in this process, and keeps Tesseract's readings beside its renders.
static CACHE_DIR: std::sync::RwLock<Option<std::path::PathBuf>> = std::sync::RwLock::new(None);

/// While alive, Tesseract's page readings in this process are cached in a folder (see
/// [`cache_readings_in`]); dropped, nothing is cached again.
pub struct CacheReadings(());

impl Drop for CacheReadings {
    fn drop(&mut self) {
        *CACHE_DIR.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// Caches Tesseract's page readings in `dir` until the guard is dropped, as
/// `VANBAN_OCR_CACHE` does (which wins when set). For evaluations only: like that
/// variable, the key does not see a new Tesseract or model under the same name.
pub fn cache_readings_in(dir: &std::path::Path) -> CacheReadings {
    *CACHE_DIR.write().unwrap_or_else(|e| e.into_inner()) = Some(dir.to_path_buf());
    CacheReadings(())
}

impl TsvCache {
    fn from_env(image: &PageImage, mode: Segmentation) -> Option<TsvCache> {
        use sha2::{Digest, Sha256};
        let dir = std::env::var_os("VANBAN_OCR_CACHE")
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| CACHE_DIR.read().unwrap_or_else(|e| e.into_inner()).clone())?;
        let mut hasher = Sha256::new();
        hasher.update(LANGUAGE.as_bytes());
        for (name, value) in SETTINGS {
            hasher.update(name.to_bytes_with_nul());
            hasher.update(value.to_bytes_with_nul());
        }
        hasher.update([mode as u8]);
        hasher.update(image.width.to_le_bytes());
        hasher.update(image.height.to_le_bytes());
        hasher.update(image.dpi.to_le_bytes());
        hasher.update(&image.pixels);
        let key: String = hasher.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect();
        Some(TsvCache { path: dir.join(format!("{key}.tsv")) })
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
#[cfg(test)]
fn assemble(lines: Vec<TsvLine>, segmentation: Segmentation, height: u32) -> OcrPage {
    let (lines, dropped, regions) = clean_lines(lines, height);
    compose(lines, dropped, regions, segmentation)
}

/// [`assemble`]'s first half: the kept lines in reading order, the dropped ones, the regions.
fn clean_lines(lines: Vec<TsvLine>, height: u32) -> (Vec<TsvLine>, Vec<DroppedLine>, Vec<crate::page::Region>) {
    let (lines, regions) = crate::page::regions::separate(lines, height);
    let mut dropped_lines = Vec::new();
    let kept = drop_junk(lines, &mut dropped_lines, |_| false);
    // Splitting columns and the header can leave a piece of marks alone on its line (the
    // accents over a title that Tesseract read as words beside real ones): the pieces are
    // judged again; not the header's, whose number and date lines hold handwriting that
    // reads as symbols ("Số:⁄‡6 /CT-UBND") and must reach the header fields' reader.
    let ordered = drop_junk(order_header(split_columns(kept)), &mut dropped_lines, is_header_part);
    // Seal and signature strokes, judged by size and place once the columns are apart.
    let ordered = super::marks::clean(ordered, &mut dropped_lines, is_header_part);
    (ordered, dropped_lines, regions)
}

/// [`assemble`]'s second half: the page's text and numbered words from its kept lines.
fn compose(ordered: Vec<TsvLine>, dropped_lines: Vec<DroppedLine>, regions: Vec<crate::page::Region>, segmentation: Segmentation) -> OcrPage {
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
impl Engine {
    /// [`Engine::words`] and Tesseract's own `GetTSVText` word rows, from one reading.
    fn words_and_tsv(&mut self, image: &PageImage) -> (String, String) {
        // SAFETY: as in `read`.
        unsafe {
            sys::TessBaseAPISetPageSegMode(self.0, sys::TessPageSegMode_PSM_AUTO);
            sys::TessBaseAPISetImage(self.0, image.pixels.as_ptr(), image.width as c_int, image.height as c_int, 1, image.width as c_int);
            sys::TessBaseAPISetSourceResolution(self.0, image.dpi as c_int);
            assert_eq!(sys::TessBaseAPIRecognize(self.0, std::ptr::null_mut()), 0);
            let words = self.words();
            let tsv = sys::TessBaseAPIGetTsvText(self.0, 0);
            let rows: String = CStr::from_ptr(tsv).to_string_lossy().lines().filter(|r| r.starts_with("5\t")).map(|r| format!("{r}\n")).collect();
            sys::TessDeleteText(tsv);
            sys::TessBaseAPIClear(self.0);
            (words, rows)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::tsv::TsvWord;

    #[test]
    fn the_words_are_the_word_rows_of_tesseracts_tsv() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/qd-1582-ubnd.png");
        let mut pages = vec![crate::ocr::load_page(&path, crate::ocr::ImageKind::Png, 1).expect("corpus page")];
        // Extra pages to compare on, e.g. real scans: VANBAN_TSV_PAGES=a.png:b.png.
        for extra in std::env::var("VANBAN_TSV_PAGES").unwrap_or_default().split(':').filter(|p| !p.is_empty()) {
            pages.push(crate::ocr::load_page(std::path::Path::new(extra), crate::ocr::ImageKind::Png, 1).expect("page"));
        }
        let mut engine = Engine::new().expect("Tesseract");
        for page in &pages {
            let (words, tsv) = engine.words_and_tsv(page);
            assert!(words.lines().count() > 50, "{words}");
            assert_eq!(words, tsv);
        }
    }

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
