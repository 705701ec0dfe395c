//! A PDF page's own text layer, and whether to trust it.
//!
//! The layer is read twice by poppler: `pdftotext -layout` gives the text as the page lays
//! it out (two-column headers on one line, as the header reader expects), `pdftotext -tsv`
//! the words with their boxes; each word is then placed on its line of the layout text.
//!
//! [`judge`] sorts a layer into four kinds, from its language and from how much of the
//! page's ink it covers:
//! - **faithful**: well-formed, marked Vietnamese the language model knows, covering the
//!   page (born-digital text; a good OCR layer) — used as the page text, no OCR;
//! - **garbled**: it covers the page but does not read as Vietnamese (a legacy OCR layer,
//!   Tesseract `eng` over Vietnamese) — the page is OCR'd and each line keeps whichever
//!   reading, both repaired, the language model prefers (see `merge`);
//! - **partial**: it covers a small part of the page (a signature box, a receipt stamp) —
//!   the page is OCR'd and the layer's words are kept as evidence;
//! - **none**: no letters at all.

use serde::{Deserialize, Serialize};

use crate::record::OcrWord;
use crate::repair::lm::LanguageModel;
use crate::repair::token::{self, WordClass, BOS, EOS, NUM, UNK};
use crate::viet::{self, Syllable, ToneStyle};

/// Word boxes are stored in the pixels of the 300 DPI raster OCR reads, like OCR's own.
pub const PIXELS_PER_POINT: f64 = crate::ocr::RASTER_DPI as f64 / 72.0;

/// A page's text layer as poppler reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextLayer {
    /// `pdftotext -layout`, NFC, without the page break and blank margins.
    pub text: String,
    /// Every word with its box (300 DPI pixels) and its 1-based line in `text`;
    /// confidence 100 (the PDF states its text, nobody guessed it).
    pub words: Vec<OcrWord>,
    /// Poppler's own lines (`-tsv`), as indices into `words`: for a layer made by OCR these
    /// are the OCR engine's lines.
    pub lines: Vec<Vec<usize>>,
    /// Page size in points.
    pub page_size: (f64, f64),
}

/// What kind of layer a page has; see the module documentation.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    Faithful,
    Garbled,
    Partial,
    None,
}

/// The verdict on a page's layer, with the measures it rests on (stored on the page so
/// that a clerk or an engineer can see why the layer was, or was not, used).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LayerVerdict {
    pub kind: LayerKind,
    /// Words of letters only: what the shares below count.
    pub words: usize,
    /// Share of those that are well-formed Vietnamese syllables.
    pub valid_syllables: f32,
    /// Share the language model's vocabulary knows.
    pub known: f32,
    /// Share carrying a Vietnamese mark (tone, modifier or đ): about 80% in real text.
    pub marked: f32,
    /// Mean log10 probability of a token under the trigram language model.
    pub lm_logp: f32,
    /// Share of the page's area painted by images (a scan is close to 1).
    pub image_share: f32,
    /// Share of the page's ink under the layer's words, measured on the raster when the page
    /// is an image (vector text is its own ink).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ink_coverage: Option<f32>,
    /// Lines of the page text that were taken from the layer (garbled layers; 1-based).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines_from_layer: Vec<u32>,
    /// A partial layer's words with their boxes (the signature box, a receipt stamp): what
    /// the page's text layer adds to its OCR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<OcrWord>,
}

impl LayerVerdict {
    /// A page drawn as vector text (born digital): its layer is what the author typed.
    pub fn is_vector_page(&self) -> bool {
        self.image_share < IMAGE_PAGE
    }
}

/// The language of a layer, before anything about the page is known.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Language {
    pub words: usize,
    pub valid_syllables: f32,
    pub known: f32,
    pub marked: f32,
    pub lm_logp: f32,
}

/// A layer reads as faithful Vietnamese at these shares: real text has ~80% marked
/// syllables, nearly all known; legacy OCR has a mark on a fifth of its words at most and
/// many that spell nothing. Measured on the born-digital pages: marked 0.71–0.78, known
/// 0.94–0.97, valid 0.92–0.96, LM −2.4 to −2.1; the real legacy sample: marked 0.19,
/// known 0.46, LM −4.3.
const FAITHFUL_MARKED: f32 = 0.4;
const FAITHFUL_KNOWN: f32 = 0.85;
const FAITHFUL_VALID: f32 = 0.8;
const FAITHFUL_LM: f32 = -3.2;
/// Fewer letter words than this say too little to judge a language by.
const MIN_WORDS: usize = 8;
/// A page whose images cover this share of it is a scan: its ink must be measured.
const IMAGE_PAGE: f32 = 0.5;
/// The layer must cover this share of a scanned page's ink to stand for the page (a real
/// scan keeps seals, signatures and specks no text layer has); a signature box covers a
/// few percent.
const COVERS_PAGE: f32 = 0.6;

/// Measures the language of `text` against the language model.
pub fn language(text: &str, lm: &LanguageModel) -> Language {
    let (mut words, mut valid, mut known, mut marked) = (0usize, 0usize, 0usize, 0usize);
    let (mut logp, mut tokens) = (0f64, 0usize);
    for line in text.lines() {
        for piece in token::pieces(line) {
            let core = piece.core(line);
            if core.is_empty() || !core.chars().all(char::is_alphabetic) {
                continue;
            }
            words += 1;
            valid += Syllable::parse(core).is_some() as usize;
            known += lm.id(&viet::canonical(core, ToneStyle::New)).is_some() as usize;
            marked += viet::has_marks(core) as usize;
        }
        let (l, n) = line_logp(line, lm);
        logp += f64::from(l);
        tokens += n;
    }
    let share = |n: usize| if words == 0 { 0.0 } else { n as f32 / words as f32 };
    Language {
        words,
        valid_syllables: share(valid),
        known: share(known),
        marked: share(marked),
        lm_logp: if tokens == 0 { 0.0 } else { (logp / tokens as f64) as f32 },
    }
}

/// Sum of log10 P over the tokens of `line` (sentence ends included) and their count, each
/// sentence scored from its start: what the language model thinks of one line.
pub fn line_logp(line: &str, lm: &LanguageModel) -> (f32, usize) {
    let (mut sum, mut n) = (0f32, 0usize);
    for sentence in token::sentences(line, ToneStyle::New) {
        let (mut u, mut v) = (BOS, BOS);
        for class in sentence.iter() {
            let w = match class {
                WordClass::Syllable(s) => lm.id(s).unwrap_or(UNK),
                WordClass::Number => NUM,
                WordClass::Other => UNK,
            };
            sum += lm.logp(u, v, w);
            n += 1;
            (u, v) = (v, w);
        }
        sum += lm.logp(u, v, EOS);
        n += 1;
    }
    (sum, n)
}

/// Sum of log10 P over the words of `line` read as one sentence — punctuation left out, so
/// that two readings of a line are compared on their words alone — and their count (the
/// sentence end included).
pub fn words_logp(line: &str, lm: &LanguageModel) -> (f32, usize) {
    let (mut u, mut v) = (BOS, BOS);
    let (mut sum, mut n) = (0f32, 0usize);
    for piece in token::pieces(line) {
        let core = piece.core(line);
        if core.is_empty() {
            continue;
        }
        let w = match token::classify(core, ToneStyle::New) {
            WordClass::Syllable(s) => lm.id(&s).unwrap_or(UNK),
            WordClass::Number => NUM,
            WordClass::Other => UNK,
        };
        sum += lm.logp(u, v, w);
        n += 1;
        (u, v) = (v, w);
    }
    (sum + lm.logp(u, v, EOS), n + 1)
}

impl Language {
    pub fn is_faithful(&self) -> bool {
        self.words >= MIN_WORDS
            && self.marked >= FAITHFUL_MARKED
            && self.known >= FAITHFUL_KNOWN
            && self.valid_syllables >= FAITHFUL_VALID
            && self.lm_logp >= FAITHFUL_LM
    }

    fn verdict(&self, kind: LayerKind, image_share: f32, ink_coverage: Option<f32>) -> LayerVerdict {
        LayerVerdict {
            kind,
            words: self.words,
            valid_syllables: self.valid_syllables,
            known: self.known,
            marked: self.marked,
            lm_logp: self.lm_logp,
            image_share,
            ink_coverage,
            lines_from_layer: Vec::new(),
            evidence: Vec::new(),
        }
    }
}

/// The verdict when no raster is needed: a page drawn as vector text with a faithful layer
/// (the text is its own ink). `None` when the page must be rasterized to decide.
pub fn judge_without_raster(language: &Language, image_share: f32) -> Option<LayerVerdict> {
    (language.is_faithful() && image_share < IMAGE_PAGE).then(|| language.verdict(LayerKind::Faithful, image_share, None))
}

/// The verdict for a page that has been rasterized (`pixels`, 8-bit gray, 300 DPI).
pub fn judge(language: &Language, image_share: f32, layer: &TextLayer, width: u32, height: u32, pixels: &[u8]) -> LayerVerdict {
    if language.words == 0 {
        return language.verdict(LayerKind::None, image_share, None);
    }
    let coverage = ink_coverage(&layer.words, width, height, pixels);
    let covers = coverage >= COVERS_PAGE;
    let kind = match (covers, language.is_faithful()) {
        (true, true) => LayerKind::Faithful,
        (true, false) if language.words >= MIN_WORDS => LayerKind::Garbled,
        _ => LayerKind::Partial,
    };
    language.verdict(kind, image_share, Some(coverage))
}

/// Share of the dark pixels of the page that lie under a word box (each box grown by a
/// third of its height, as glyphs overhang the box a text layer gives them). Counted on
/// 4×4 cells to keep it to a few milliseconds.
pub fn ink_coverage(words: &[OcrWord], width: u32, height: u32, pixels: &[u8]) -> f32 {
    const CELL: u32 = 4;
    const INK: u8 = 128;
    if width == 0 || height == 0 || pixels.len() < (width as usize) * (height as usize) {
        return 0.0;
    }
    let (cw, ch) = (width.div_ceil(CELL) as usize, height.div_ceil(CELL) as usize);
    let mut covered = vec![false; cw * ch];
    for w in words {
        let [left, top, bw, bh] = w.bbox;
        let grow = bh / 3;
        let x0 = left.saturating_sub(grow) / CELL;
        let y0 = top.saturating_sub(grow) / CELL;
        let x1 = ((left + bw + grow) / CELL).min(cw as u32 - 1);
        let y1 = ((top + bh + grow) / CELL).min(ch as u32 - 1);
        for y in y0..=y1 {
            for x in x0..=x1 {
                covered[y as usize * cw + x as usize] = true;
            }
        }
    }
    let (mut ink, mut inside) = (0u64, 0u64);
    for (y, row) in pixels.chunks_exact(width as usize).enumerate().take(height as usize) {
        let cell_row = (y / CELL as usize) * cw;
        for (x, &p) in row.iter().enumerate() {
            if p < INK {
                ink += 1;
                inside += covered[cell_row + x / CELL as usize] as u64;
            }
        }
    }
    if ink == 0 {
        0.0
    } else {
        inside as f32 / ink as f32
    }
}

/// Reads poppler's outputs for one page: the `-layout` text and the `-tsv` words.
pub fn parse(layout: &str, tsv: &str) -> TextLayer {
    let text = viet::nfc(layout.trim_matches(|c: char| c.is_whitespace() || c == crate::record::PAGE_BREAK));
    let mut words = Vec::new();
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut page_size = (0.0, 0.0);
    let mut line_key = None;
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<f64>().ok();
        let (Some(left), Some(top), Some(width), Some(height)) = (num(6), num(7), num(8), num(9)) else { continue };
        let text = cols[11..].join("\t");
        match (cols[0], text.as_str()) {
            ("1", _) => page_size = (width, height),
            ("5", word) if !word.trim().is_empty() => {
                let key = (cols[2], cols[3], cols[4]);
                if line_key != Some(key) {
                    lines.push(Vec::new());
                    line_key = Some(key);
                }
                let px = |v: f64| (v * PIXELS_PER_POINT).round().max(0.0) as u32;
                lines.last_mut().expect("pushed above").push(words.len());
                words.push(OcrWord {
                    text: viet::nfc(word.trim()),
                    confidence: 100.0,
                    bbox: [px(left), px(top), px(width).max(1), px(height).max(1)],
                    line: 0,
                });
            }
            _ => {}
        }
    }
    place_on_lines(&text, &mut words);
    TextLayer { text, words, lines, page_size }
}

/// Gives each word the 1-based line of `text` that prints it. The layout text is written
/// row by row, left to right, so the words are taken in that order too — rows made of
/// words whose boxes overlap vertically (a line mixes sizes: their boxes differ by a point
/// or two), each row from the left — and each is matched to the nearest unused equal
/// token from where the last one matched; a word with no equal token nearby (poppler
/// split it differently) takes the line of the word before.
fn place_on_lines(text: &str, words: &mut [OcrWord]) {
    let tokens: Vec<(u32, &str)> = text
        .lines()
        .enumerate()
        .flat_map(|(i, line)| line.split_whitespace().map(move |t| (i as u32 + 1, t)))
        .collect();
    let mut used = vec![false; tokens.len()];
    let mut cursor = 0usize;
    let mut last_line = 1u32;
    for i in reading_order(words) {
        let from = cursor.saturating_sub(40);
        let to = (cursor + 200).min(tokens.len());
        let found = (from..to)
            .filter(|&t| !used[t] && tokens[t].1 == words[i].text)
            .min_by_key(|&t| if t >= cursor { t - cursor } else { 2 * (cursor - t) });
        match found {
            Some(t) => {
                used[t] = true;
                cursor = t + 1;
                last_line = tokens[t].0;
                words[i].line = last_line;
            }
            None => words[i].line = last_line,
        }
    }
}

/// Word indices row by row (top to bottom), each row left to right: a word joins the row
/// above when its middle lies within that row's vertical extent.
fn reading_order(words: &[OcrWord]) -> Vec<usize> {
    let mut by_middle: Vec<usize> = (0..words.len()).collect();
    let middle = |w: &OcrWord| w.bbox[1] + w.bbox[3] / 2;
    by_middle.sort_by_key(|&i| (middle(&words[i]), words[i].bbox[0]));
    let mut rows: Vec<(u32, Vec<usize>)> = Vec::new();
    for i in by_middle {
        let w = &words[i];
        match rows.last_mut() {
            Some((bottom, row)) if middle(w) <= *bottom => {
                row.push(i);
                *bottom = (*bottom).max(w.bbox[1] + w.bbox[3]);
            }
            _ => rows.push((w.bbox[1] + w.bbox[3], vec![i])),
        }
    }
    rows.into_iter()
        .flat_map(|(_, mut row)| {
            row.sort_by_key(|&i| words[i].bbox[0]);
            row
        })
        .collect()
}

/// The share of the page's area that `pdfimages -list` says images cover: each image's
/// size in inches is its pixels over its resolution.
pub fn image_share(list: &str, page_size: (f64, f64)) -> f32 {
    let page_in2 = page_size.0 / 72.0 * page_size.1 / 72.0;
    if page_in2 <= 0.0 {
        return 0.0;
    }
    let mut area = 0.0;
    for row in list.lines().skip(2) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        if cols.len() < 14 || !matches!(cols[2], "image" | "stencil") {
            continue;
        }
        let num = |i: usize| cols[i].parse::<f64>().ok().filter(|v| *v > 0.0);
        if let (Some(w), Some(h), Some(xppi), Some(yppi)) = (num(3), num(4), num(12), num(13)) {
            area += (w / xppi) * (h / yppi);
        }
    }
    (area / page_in2).min(1.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tpar_num\tblock_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0.000000\t0.000000\t595.320000\t842.040000\t-1\t###PAGE###
3\t1\t0\t0\t0\t0\t108.98\t71.49\t122.25\t29.25\t-1\t###FLOW###
4\t1\t0\t0\t0\t0\t108.98\t71.49\t122.25\t14.35\t-1\t###LINE###
5\t1\t0\t0\t0\t0\t108.98\t71.49\t20.0\t14.35\t100\tỦY
5\t1\t0\t0\t0\t1\t130.00\t71.49\t20.0\t14.35\t100\tBAN
5\t1\t0\t1\t0\t0\t300.00\t72.00\t60.0\t14.35\t100\tCỘNG
5\t1\t0\t1\t0\t1\t362.00\t72.00\t40.0\t14.35\t100\tHÒA
5\t1\t0\t2\t0\t0\t108.98\t120.00\t20.0\t14.35\t100\tSố:
5\t1\t0\t2\t0\t1\t130.00\t120.00\t20.0\t14.35\t100\t542
";

    #[test]
    fn words_land_on_the_layout_line_that_prints_them() {
        let layout = "\n  ỦY BAN          CỘNG HÒA\n\n  Số: 542\n\u{c}";
        let layer = parse(layout, TSV);
        assert_eq!(layer.text, "ỦY BAN          CỘNG HÒA\n\n  Số: 542");
        assert_eq!(layer.page_size, (595.32, 842.04));
        let lines: Vec<(&str, u32)> = layer.words.iter().map(|w| (w.text.as_str(), w.line)).collect();
        assert_eq!(lines, [("ỦY", 1), ("BAN", 1), ("CỘNG", 1), ("HÒA", 1), ("Số:", 3), ("542", 3)]);
        // Poppler's own lines: the two header columns are two lines.
        assert_eq!(layer.lines, vec![vec![0, 1], vec![2, 3], vec![4, 5]]);
        // Points to 300 DPI pixels.
        assert_eq!(layer.words[0].bbox[0], (108.98 * PIXELS_PER_POINT).round() as u32);
    }

    #[test]
    fn image_share_from_pdfimages() {
        let list = "page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio
--------------------------------------------------------------------------------------------
   1     0 image     203   206  rgb     3   8  image  no       202  0   285   285 74.8K  61%
   1     1 smask     203   206  gray    1   8  image  no       202  0   285   285   63B 0.2%
";
        let share = image_share(list, (595.32, 842.04));
        assert!(share > 0.005 && share < 0.02, "{share}");
        let scan = "x\ny\n   1     0 image    2480  3508  gray    1   8  jpeg   no        12  0   300   300  900K  10%\n";
        assert!(image_share(scan, (595.32, 842.04)) > 0.99);
        assert_eq!(image_share("", (0.0, 0.0)), 0.0);
    }

    #[test]
    fn ink_under_the_words_is_counted() {
        // A 40×20 page: ink in a word's box and ink elsewhere.
        let (w, h) = (40u32, 20u32);
        let mut px = vec![255u8; (w * h) as usize];
        for y in 2..6 {
            for x in 2..10 {
                px[(y * w + x) as usize] = 0;
            }
        }
        for y in 14..18 {
            for x in 30..38 {
                px[(y * w + x) as usize] = 0;
            }
        }
        let word = OcrWord { text: "a".into(), confidence: 100.0, bbox: [2, 2, 8, 4], line: 1 };
        let c = ink_coverage(std::slice::from_ref(&word), w, h, &px);
        assert!((c - 0.5).abs() < 0.01, "{c}");
        assert_eq!(ink_coverage(&[], w, h, &px), 0.0);
        assert_eq!(ink_coverage(&[word], 0, 0, &[]), 0.0);
    }
}
