//! Rendered-and-OCR'd corpus text: the data the OCR channel model is learned from
//! (held-in files) and the OCR inputs of the evaluation (held-out files).
//!
//! Each page is a text file of corpus lines, rendered with pango-view in Liberation Serif
//! 12 pt (fonts-liberation2, by path: the older package of the same name has no Vietnamese
//! glyphs) at 300 DPI, optionally degraded with ImageMagick, and read back by the
//! Tesseract CLI with `eng` (what legacy text layers look like) and `vie` (our OCR).
//!
//! Real scans are not that uniform, so the `eng` engine also reads [`SCANS`]: the same
//! pages rendered in other Times-like fonts, at 13–14 pt (the size of official documents),
//! at 300 or 200 DPI, then degraded like a scanner or copier would (blur and threshold,
//! speckle, a slight skew, JPEG). Each training scan variant is applied to every other
//! page, so 60 pages give 30 pages per variant. [`HELD_OUT_SCAN`] is a font, size and
//! resolution no training variant uses, read on the held-out pages only.
//!
//! It is slow on two cores, so every output is cached and a rerun resumes where the last
//! one stopped. Cache layout, per page `page-NNN`: `.txt` (source), `.png` and
//! `.degraded.png` (Liberation 12 pt), `.{eng,vie,eng-degraded,vie-degraded}.txt`, and per
//! scan variant `.scan-NAME-HASH.{png,jpg}` (the degraded image) and `.eng-scan-NAME-HASH.txt`
//! (HASH: of the variant's recipe, [`Scan::file_key`]).

use anyhow::{bail, Context};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::corpus;

/// Lines per rendered page, and the widest line: short enough that pango never wraps, so
/// every page line is one source line.
const LINES_PER_PAGE: usize = 36;
const MAX_LINE_CHARS: usize = 72;
const FONT_DIR: &str = "/usr/share/fonts/truetype/liberation2";

/// The channel engine of `vie` readings of real-like scans.
pub const SCANNED_VIE: &str = "vie-scan";

/// Which files the pages come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Held-in files: training data of the channel model.
    Train,
    /// Held-out files: evaluation inputs.
    HeldOut,
    /// Held-in files again, but lines no `dict ocr` page uses (past the first
    /// [`TRAINING_PAGES_MAX`] pages): the development pages of `eval repair`, on which the
    /// repair's weights may be tuned without looking at the held-out pages. The language
    /// model has seen their text, so their figures are optimistic.
    Dev,
}

/// The most training pages `dict ocr` renders (`--pages 60`); development pages take the
/// lines after theirs, so no channel model learns from a development reading.
pub const TRAINING_PAGES_MAX: usize = 60;

impl Split {
    fn folder(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::HeldOut => "heldout",
            Split::Dev => "dev",
        }
    }
}

/// A serif font for the scan variants, picked by file path (see [`write_font_config`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Font {
    /// Short name, used in file names.
    pub key: &'static str,
    /// Family name as fontconfig reports it for `file`.
    pub family: &'static str,
    pub file: &'static str,
    /// The Debian package that installs `file`.
    pub package: &'static str,
}

pub const LIBERATION_SERIF: Font = Font {
    key: "liberation",
    family: "Liberation Serif",
    file: "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    package: "fonts-liberation2",
};
/// A Times clone (URW Nimbus Roman, extended with Vietnamese by the TeX Gyre project).
pub const TEX_GYRE_TERMES: Font = Font {
    key: "termes",
    family: "TeX Gyre Termes",
    file: "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf",
    package: "fonts-texgyre",
};
pub const DEJAVU_SERIF: Font =
    Font { key: "dejavu", family: "DejaVu Serif", file: "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", package: "fonts-dejavu-core" };
pub const FREE_SERIF: Font =
    Font { key: "freeserif", family: "FreeSerif", file: "/usr/share/fonts/truetype/freefont/FreeSerif.ttf", package: "fonts-freefont-ttf" };
/// The bold of the Times clone, for the capitals of headings.
pub const TEX_GYRE_TERMES_BOLD: Font = Font {
    key: "termesbold",
    family: "TeX Gyre Termes Bold",
    file: "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-bold.otf",
    package: "fonts-texgyre",
};
/// A Palatino clone: not used for training, only for the held-out scan variant.
pub const TEX_GYRE_PAGELLA: Font = Font {
    key: "pagella",
    family: "TeX Gyre Pagella",
    file: "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyrepagella-regular.otf",
    package: "fonts-texgyre",
};

/// What a scanner or copier does to a page (ImageMagick, deterministic).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Degrade {
    /// Grey-scale, anti-aliased, as rendered.
    Gray,
    /// Blurred by `sigma` pixels, then binarized at `percent` (a bilevel scan or fax).
    BlurThreshold { sigma: f32, percent: u32 },
    /// Salt-and-pepper speckle (dust, toner) over a lightly blurred page, then binarized.
    Speckle,
    /// Skewed by `degrees`, blurred, binarized (a page laid crooked on the glass).
    Rotate { degrees: f32 },
    /// Blurred and saved as JPEG at `quality` (grey-scale, with ringing around the strokes).
    Jpeg { quality: u32 },
    /// Skewed, then JPEG.
    RotateJpeg { degrees: f32, quality: u32 },
    /// Ink spread (strokes thickened by a pixel, as on a dark copy or a worn printer),
    /// blurred, binarized: marks merge with their letters, thin letters drop out.
    Ink,
    /// A colour scan: dark blue-black ink on cream paper, sensor noise, JPEG at `quality`
    /// (how most provincial archives scan: colour, 150–200 DPI, saved as JPEG or
    /// JPEG-in-PDF). `ink` thickens the strokes first, as on a heavily printed page.
    Colour { quality: u32, ink: bool },
    /// The colour scan with a red seal stamped over several lines of text (rings, a star
    /// and the organ's name in red), as over a signature or a heading.
    Seal { quality: u32 },
    /// The colour scan with the back of the sheet showing through: the page mirrored,
    /// shifted half a line, blurred and faint under the text.
    BleedThrough { quality: u32 },
}

impl Degrade {
    fn extension(self) -> &'static str {
        match self {
            Degrade::Jpeg { .. }
            | Degrade::RotateJpeg { .. }
            | Degrade::Colour { .. }
            | Degrade::Seal { .. }
            | Degrade::BleedThrough { .. } => "jpg",
            _ => "png",
        }
    }

    /// ImageMagick arguments between the input and the output image, for a page
    /// rendered at `dpi`; `page` moves the seal from page to page.
    fn args(self, dpi: u32, page: usize) -> Vec<String> {
        // Ink and paper of a colour scan; Gaussian sensor noise.
        const COLOUR: &str = "-colorspace sRGB +level-colors #1c1c30,#f2ead6";
        // Seeded: the figures of these pages are printed in the README and checked against it.
        const NOISE: &str = "-seed 13 -attenuate 0.35 +noise Gaussian";
        let colour = match self {
            Degrade::Colour { quality, ink } => {
                let ink = if ink { "-morphology Erode Disk:1 -blur 0x0.5 " } else { "" };
                Some(format!("{ink}{COLOUR} {NOISE} -quality {quality}"))
            }
            Degrade::Seal { quality } => {
                // A seal of about 36 mm: two rings, a star, the organ's name.
                let px = |inches: f32| (inches * dpi as f32).round() as i32;
                let (size, r1, r2) = (px(1.6), px(0.72), px(0.56));
                let c = size / 2;
                let dy = (page % 5) as i32 * px(0.9) - px(1.8);
                let font = LIBERATION_SERIF.file.replace("Regular", "Bold");
                let point = px(0.13);
                return [
                    "-colorspace", "sRGB", "+level-colors", "#1c1c30,#f2ead6", "(", "-size", &format!("{size}x{size}"), "xc:white",
                    "-fill", "none", "-stroke", "#d8454f", "-strokewidth", &px(0.035).to_string(),
                    "-draw", &format!("circle {c},{c} {},{c}", c + r1), "-strokewidth", &px(0.015).to_string(),
                    "-draw", &format!("circle {c},{c} {},{c}", c + r2), "-fill", "#d8454f", "-stroke", "none",
                    "-draw", &format!("polygon {c},{} {},{} {},{}", c - px(0.2), c - px(0.06), c + px(0.02), c + px(0.06), c + px(0.02)),
                    "-font", &font, "-pointsize", &point.to_string(),
                    "-draw", &format!("text {},{} 'ỦY BAN NHÂN DÂN'", c - px(0.5), c - px(0.3)),
                    "-draw", &format!("text {},{} 'TỈNH'", c - px(0.15), c + px(0.3)),
                    ")", "-gravity", "center", "-geometry", &format!("{:+}{:+}", -px(0.8), dy), "-compose", "multiply", "-composite",
                    "-gravity", "northwest",
                ]
                .into_iter()
                .map(str::to_string)
                .chain(format!("{NOISE} -quality {quality}").split_whitespace().map(str::to_string))
                .collect();
            }
            Degrade::BleedThrough { quality } => {
                let shift = (dpi as f32 * 0.09) as i32;
                return ["(", "+clone", "-flop", "-roll", &format!("+0+{shift}"), "-blur", "0x1.2", "+level", "80%,100%", ")", "-compose", "multiply", "-composite"]
                    .into_iter()
                    .map(str::to_string)
                    .chain(format!("{COLOUR} {NOISE} -quality {quality}").split_whitespace().map(str::to_string))
                    .collect();
            }
            _ => None,
        };
        if let Some(args) = colour {
            return args.split_whitespace().map(str::to_string).collect();
        }
        let args = match self {
            Degrade::Gray => String::new(),
            Degrade::BlurThreshold { sigma, percent } => format!("-blur 0x{sigma} -threshold {percent}%"),
            Degrade::Speckle => "-blur 0x0.6 -seed 11 -attenuate 0.15 +noise Impulse -threshold 55%".to_string(),
            Degrade::Rotate { degrees } => format!("-background white -rotate {degrees} -blur 0x0.8 -threshold 55%"),
            Degrade::Jpeg { quality } => format!("-blur 0x0.6 -quality {quality}"),
            Degrade::RotateJpeg { degrees, quality } => format!("-background white -rotate {degrees} -blur 0x0.5 -quality {quality}"),
            Degrade::Ink => "-morphology Erode Disk:1 -blur 0x0.6 -threshold 50%".to_string(),
            Degrade::Colour { .. } | Degrade::Seal { .. } | Degrade::BleedThrough { .. } => unreachable!("colour scans are handled above"),
        };
        ["-colorspace", "Gray"].iter().map(|s| s.to_string()).chain(args.split_whitespace().map(str::to_string)).collect()
    }
}

/// One way of printing and scanning a page for the legacy (`eng`) engine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scan {
    /// Used in file names: `page-NNN.eng-scan-NAME-HASH.txt` ([`Scan::file_key`]).
    pub name: &'static str,
    pub font: Font,
    pub size_pt: u32,
    pub dpi: u32,
    pub degrade: Degrade,
    /// Read on the pages whose number is `offset` modulo `every`.
    pub every: usize,
    pub offset: usize,
    /// The page printed in capitals, as headings are ("THÀNH PHỐ CẦN THƠ"): capitals
    /// carry their marks in less room, and OCR drops and swaps them more.
    pub upper: bool,
}

impl Scan {
    /// The variant's name in cache file names: its name and a hash of how it is made (font,
    /// size, resolution, capitals, the ImageMagick recipe), so that changing a recipe (a
    /// seed, a noise level) renders its pages again instead of reading stale cached ones.
    pub fn file_key(&self) -> String {
        let recipe = format!("{}|{}|{}|{}|{}", self.font.family, self.size_pt, self.dpi, self.upper, self.degrade.args(self.dpi, 0).join(" "));
        // FNV-1a: stable across Rust versions, unlike std's hasher.
        let hash = recipe.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
        format!("{}-{hash:08x}", self.name)
    }
}

/// Scan variants of the training pages: four fonts, 13 and 14 pt, 300 and 200 DPI, six
/// kinds of damage; each on every other page.
pub const SCANS: [Scan; 10] = [
    Scan { name: "liberation13-300-blur", font: LIBERATION_SERIF, size_pt: 13, dpi: 300, degrade: Degrade::BlurThreshold { sigma: 1.0, percent: 55 }, every: 2, offset: 0, upper: false },
    Scan { name: "termes14-200-gray", font: TEX_GYRE_TERMES, size_pt: 14, dpi: 200, degrade: Degrade::Gray, every: 2, offset: 1, upper: false },
    Scan { name: "termes13-300-jpeg", font: TEX_GYRE_TERMES, size_pt: 13, dpi: 300, degrade: Degrade::Jpeg { quality: 25 }, every: 2, offset: 0, upper: false },
    Scan { name: "dejavu13-200-blur", font: DEJAVU_SERIF, size_pt: 13, dpi: 200, degrade: Degrade::BlurThreshold { sigma: 0.7, percent: 55 }, every: 2, offset: 1, upper: false },
    Scan { name: "freeserif14-300-speckle", font: FREE_SERIF, size_pt: 14, dpi: 300, degrade: Degrade::Speckle, every: 2, offset: 0, upper: false },
    Scan { name: "freeserif13-200-skew", font: FREE_SERIF, size_pt: 13, dpi: 200, degrade: Degrade::Rotate { degrees: 0.6 }, every: 2, offset: 1, upper: false },
    Scan { name: "liberation14-200-skewjpeg", font: LIBERATION_SERIF, size_pt: 14, dpi: 200, degrade: Degrade::RotateJpeg { degrees: -0.5, quality: 30 }, every: 2, offset: 0, upper: false },
    Scan { name: "termes14-300-skew", font: TEX_GYRE_TERMES, size_pt: 14, dpi: 300, degrade: Degrade::Rotate { degrees: -0.8 }, every: 2, offset: 1, upper: false },
    Scan { name: "termes13-200-ink", font: TEX_GYRE_TERMES, size_pt: 13, dpi: 200, degrade: Degrade::Ink, every: 2, offset: 0, upper: false },
    Scan { name: "liberation14-200-ink", font: LIBERATION_SERIF, size_pt: 14, dpi: 200, degrade: Degrade::Ink, every: 2, offset: 1, upper: false },
];

/// A Times-like font whose marks stack vertically (the tone mark above the circumflex
/// or breve: ể, ố, ẵ), as in the fonts of many scanned office documents; the fonts above
/// put the tone beside the circumflex. Tesseract `vie` loses or swaps the upper mark of
/// such stacks (để → đê, thẩm → thâm, tổ → tô), the commonest error on real pages.
pub const DOULOS_SIL: Font =
    Font { key: "doulos", family: "Doulos SIL", file: "/usr/share/fonts/truetype/doulos/DoulosSIL-Regular.ttf", package: "fonts-sil-doulos" };
/// Another font with stacked marks (a Charter design): only for the held-out `vie` scan.
pub const CHARIS_SIL: Font =
    Font { key: "charis", family: "Charis SIL", file: "/usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf", package: "fonts-sil-charis" };

/// Real-like scan variants read by `vie`, the engine vanban runs: what provincial
/// archives hold (colour or grey, 150–300 DPI, JPEG, red seals, bleed-through, heavy ink,
/// headings in capitals), mostly in a font with stacked marks. Tesseract `vie` misreads
/// marks on such pages far more often than on clean renders, mostly into other valid
/// syllables (phố → phó, Cần → Càn), and the repair learns how often from these. Each
/// on every third page (20 of 60), so each page gets three.
pub const VIE_SCANS: [Scan; 9] = [
    Scan { name: "doulos14-300-gray", font: DOULOS_SIL, size_pt: 14, dpi: 300, degrade: Degrade::Jpeg { quality: 60 }, every: 3, offset: 0, upper: false },
    Scan { name: "doulos13-200-colour", font: DOULOS_SIL, size_pt: 13, dpi: 200, degrade: Degrade::Colour { quality: 40, ink: false }, every: 3, offset: 1, upper: false },
    Scan { name: "doulos14-300-seal", font: DOULOS_SIL, size_pt: 14, dpi: 300, degrade: Degrade::Seal { quality: 45 }, every: 3, offset: 2, upper: false },
    Scan { name: "doulos13-150-colour", font: DOULOS_SIL, size_pt: 13, dpi: 150, degrade: Degrade::Colour { quality: 50, ink: false }, every: 3, offset: 0, upper: false },
    Scan { name: "doulos14-300-bleed", font: DOULOS_SIL, size_pt: 14, dpi: 300, degrade: Degrade::BleedThrough { quality: 45 }, every: 3, offset: 1, upper: false },
    Scan { name: "doulos13-200-caps", font: DOULOS_SIL, size_pt: 13, dpi: 200, degrade: Degrade::Colour { quality: 45, ink: false }, every: 3, offset: 2, upper: true },
    Scan { name: "doulos14-200-colourink", font: DOULOS_SIL, size_pt: 14, dpi: 200, degrade: Degrade::Colour { quality: 45, ink: true }, every: 3, offset: 0, upper: false },
    Scan { name: "termes13-200-colour", font: TEX_GYRE_TERMES, size_pt: 13, dpi: 200, degrade: Degrade::Colour { quality: 40, ink: false }, every: 3, offset: 1, upper: false },
    Scan { name: "termesbold13-200-caps", font: TEX_GYRE_TERMES_BOLD, size_pt: 13, dpi: 200, degrade: Degrade::Colour { quality: 40, ink: false }, every: 3, offset: 2, upper: true },
];

/// A Century Schoolbook clone with stacked marks: only for the development `vie` scan.
pub const TEX_GYRE_SCHOLA: Font = Font {
    key: "schola",
    family: "TeX Gyre Schola",
    file: "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyreschola-regular.otf",
    package: "fonts-texgyre",
};

/// The development counterpart of [`HELD_OUT_VIE_SCAN`]: the same kind of page (a font
/// with stacked marks, a resolution between the training ones, colour, a seal, JPEG) in
/// a font and resolution that neither a training variant nor the held-out one uses, read
/// on [`Split::Dev`] pages. The repair's weights are tuned on it, never on the held-out one.
pub const DEV_VIE_SCAN: Scan = Scan {
    name: "schola13-220-seal",
    font: TEX_GYRE_SCHOLA,
    size_pt: 13,
    dpi: 220,
    degrade: Degrade::Seal { quality: 40 },
    every: 1,
    offset: 0,
    upper: false,
};

/// The held-out real-like scan of `eval repair` for `vie`: a font (stacked marks too),
/// size and resolution no training variant uses, with a seal.
pub const HELD_OUT_VIE_SCAN: Scan = Scan {
    name: "charis13-240-seal",
    font: CHARIS_SIL,
    size_pt: 13,
    dpi: 240,
    degrade: Degrade::Seal { quality: 40 },
    every: 1,
    offset: 0,
    upper: false,
};

/// The held-out scan variant of `eval repair`: a font, size and resolution no training
/// variant uses.
pub const HELD_OUT_SCAN: Scan = Scan {
    name: "pagella13-240-blur",
    font: TEX_GYRE_PAGELLA,
    size_pt: 13,
    dpi: 240,
    degrade: Degrade::BlurThreshold { sigma: 0.8, percent: 55 },
    every: 1,
    offset: 0,
    upper: false,
};

/// The OCR readings produced for each page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// Tesseract `eng` on the clean page.
    Eng,
    /// Tesseract `vie` on the clean page.
    Vie,
    /// Tesseract `vie` on a degraded (blurred, noisy, re-sampled) page.
    VieDegraded,
    /// Tesseract `eng` on the degraded page: closest to old scanned text layers.
    EngDegraded,
    /// Tesseract `eng` on a scan variant of the page (only on the pages the variant covers).
    EngScan(&'static Scan),
    /// Tesseract `vie` on a real-like scan variant of the page (the CLI: the training data
    /// of the scanned channel).
    VieScan(&'static Scan),
    /// The scan image read as `vanban ingest` reads a one-page image: vanban's page
    /// pipeline (upright, level, stamps off, Tesseract `vie` through the library, seal and
    /// signature marks and junk lines set apart, cited numbers' digits read again). The
    /// evaluation's real-like scans, so that their figures are what a user gets. Never a
    /// text file of the cache: read afresh on every run ([`read_through_pipeline`]), with
    /// Tesseract's readings cached by their exact pixels, so that a changed pipeline reads
    /// anew.
    Pipeline(&'static Scan),
}

impl Reading {
    /// The readings of every page (Liberation Serif 12 pt, 300 DPI).
    pub const ALL: [Reading; 4] = [Reading::Eng, Reading::Vie, Reading::VieDegraded, Reading::EngDegraded];

    /// The readings the scanned `vie` channel and its noise model learn from
    /// (`vanban dict ocr --scan-channel`): `vie` on the clean and degraded Liberation pages,
    /// and on the real-like scans.
    pub fn scan_channel() -> Vec<Reading> {
        [Reading::Vie, Reading::VieDegraded].into_iter().chain(VIE_SCANS.iter().map(Reading::VieScan)).collect()
    }

    /// What `vanban dict ocr` produces for the training pages: [`Reading::ALL`] and the
    /// training scan variants.
    pub fn training() -> Vec<Reading> {
        Reading::ALL.into_iter().chain(SCANS.iter().map(Reading::EngScan)).chain(VIE_SCANS.iter().map(Reading::VieScan)).collect()
    }

    /// What `vanban eval repair` reads on the held-out pages: [`Reading::ALL`],
    /// [`HELD_OUT_SCAN`] and [`HELD_OUT_VIE_SCAN`] (through the page pipeline).
    pub fn evaluation() -> Vec<Reading> {
        Reading::ALL.into_iter().chain([Reading::EngScan(&HELD_OUT_SCAN), Reading::Pipeline(&HELD_OUT_VIE_SCAN)]).collect()
    }

    /// What `vanban eval repair` reads on the development pages ([`Split::Dev`]).
    pub fn development() -> Vec<Reading> {
        vec![Reading::Pipeline(&DEV_VIE_SCAN)]
    }

    /// The scan variant this reading is made from, if any.
    pub fn scan(self) -> Option<&'static Scan> {
        match self {
            Reading::EngScan(scan) | Reading::VieScan(scan) | Reading::Pipeline(scan) => Some(scan),
            _ => None,
        }
    }

    pub fn suffix(self) -> String {
        match self {
            Reading::Eng => "eng".into(),
            Reading::Vie => "vie".into(),
            Reading::VieDegraded => "vie-degraded".into(),
            Reading::EngDegraded => "eng-degraded".into(),
            Reading::EngScan(scan) => format!("eng-scan-{}", scan.file_key()),
            Reading::VieScan(scan) => format!("vie-scan-{}", scan.file_key()),
            Reading::Pipeline(scan) => format!("pipeline-scan-{}", scan.file_key()),
        }
    }

    /// The Tesseract language of this reading.
    pub fn language(self) -> &'static str {
        match self {
            Reading::Eng | Reading::EngDegraded | Reading::EngScan(_) => "eng",
            Reading::Vie | Reading::VieDegraded | Reading::VieScan(_) | Reading::Pipeline(_) => "vie",
        }
    }

    /// The channel-model engine learned from this reading: `vie` on clean renders and
    /// `vie-scan` on real-like scans are kept apart, so that repair can tell how much of
    /// each a text looks like (see `channel::NoiseLevel`).
    pub fn engine(self) -> &'static str {
        match self {
            Reading::VieScan(_) | Reading::Pipeline(_) => SCANNED_VIE,
            _ => self.language(),
        }
    }

    /// Whether page number `index` gets this reading.
    pub fn covers(self, index: usize) -> bool {
        match self.scan() {
            Some(scan) => index % scan.every == scan.offset,
            None => true,
        }
    }
}

/// One page: its source text and the OCR readings that exist.
#[derive(Debug, Clone)]
pub struct Page {
    pub source: PathBuf,
}

impl Page {
    /// The page number, from the file name `page-NNN.txt`.
    pub fn index(&self) -> usize {
        let stem = self.source.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        stem.strip_prefix("page-").and_then(|n| n.parse().ok()).unwrap_or(0)
    }
    /// Where `reading` is cached: its text, or for a [`Reading::Pipeline`] the scan image
    /// it reads.
    pub fn reading_path(&self, reading: Reading) -> PathBuf {
        match reading {
            Reading::Pipeline(scan) => self.scan_image(scan),
            _ => self.source.with_extension(format!("{}.txt", reading.suffix())),
        }
    }
    /// The degraded image of `scan` for this page.
    pub fn scan_image(&self, scan: &Scan) -> PathBuf {
        self.source.with_extension(format!("scan-{}.{}", scan.file_key(), scan.degrade.extension()))
    }
    /// The text of `reading`; a [`Reading::Pipeline`] is read through the page pipeline
    /// with `lm` (see [`read_through_pipeline`] for its cache).
    pub fn read_with(&self, reading: Reading, lm: &super::lm::LanguageModel) -> anyhow::Result<String> {
        match reading {
            Reading::Pipeline(scan) => read_through_pipeline(&self.scan_image(scan), lm),
            _ => self.read(reading),
        }
    }
    /// The cached text of a reading made by the tesseract CLI.
    pub fn read(&self, reading: Reading) -> anyhow::Result<String> {
        if let Reading::Pipeline(scan) = reading {
            bail!("{}: the page pipeline's reading is not cached as text; read it with read_with", self.scan_image(scan).display());
        }
        let path = self.reading_path(reading);
        Ok(crate::viet::nfc(&std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read", path.display()))?))
    }
    pub fn source_text(&self) -> anyhow::Result<String> {
        Ok(std::fs::read_to_string(&self.source).with_context(|| format!("{}: cannot read", self.source.display()))?)
    }
}

/// Lines of the split's files, chosen by a hash of their text so the sample is spread
/// over every file and the same on every machine, cut to page width. Training pages take
/// their lines from the [`corpus::TrainingText`], without the lines held-out files share.
pub fn sample_lines(corpus_dir: &Path, split: Split, wanted: usize) -> anyhow::Result<Vec<String>> {
    let files = corpus::list_files(corpus_dir)?;
    if split == Split::Dev {
        let skipped = TRAINING_PAGES_MAX * LINES_PER_PAGE;
        return Ok(sample_lines(corpus_dir, Split::Train, skipped + wanted)?.into_iter().skip(skipped).collect());
    }
    let texts: Vec<String> = match split {
        Split::Dev => unreachable!("handled above"),
        Split::Train => corpus::TrainingText::read(&files)?.files.into_iter().map(|(_, text)| text).collect(),
        Split::HeldOut => files.iter().filter(|f| f.held_out).map(|f| corpus::read_running_text(&f.path)).collect::<anyhow::Result<_>>()?,
    };
    let mut scored: Vec<(u64, String)> = Vec::new();
    for text in &texts {
        for line in text.lines() {
            if line.split_whitespace().count() < 6 || !line.chars().any(|c| crate::viet::has_marks(&c.to_string())) {
                continue;
            }
            let digest = Sha256::digest(line.as_bytes());
            let rank = u64::from_be_bytes(digest[..8].try_into().unwrap());
            scored.push((rank, line.to_string()));
        }
    }
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let mut out = Vec::new();
    for (_, line) in scored {
        out.extend(cut_to_width(&line));
        if out.len() >= wanted {
            out.truncate(wanted);
            break;
        }
    }
    Ok(out)
}

/// Splits a paragraph into lines of at most [`MAX_LINE_CHARS`] characters at spaces.
fn cut_to_width(paragraph: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in paragraph.split_whitespace() {
        if word.chars().count() > MAX_LINE_CHARS {
            continue;
        }
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > MAX_LINE_CHARS {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Writes the page sources of `split` under `cache` (if not there yet) and produces every
/// missing reading, `jobs` pages at a time. Returns the pages.
pub fn prepare(corpus_dir: &Path, cache: &Path, split: Split, pages: usize, readings: &[Reading], jobs: usize) -> anyhow::Result<Vec<Page>> {
    let dir = cache.join(split.folder());
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create the OCR cache", dir.display()))?;
    let sources: Vec<PathBuf> = (0..pages).map(|i| dir.join(format!("page-{i:03}.txt"))).collect();
    if sources.iter().any(|p| !p.exists()) {
        let lines = sample_lines(corpus_dir, split, pages * LINES_PER_PAGE)?;
        for (i, chunk) in lines.chunks(LINES_PER_PAGE).enumerate().take(pages) {
            let path = &sources[i];
            if !path.exists() {
                crate::fsx::write_atomic(path, (chunk.join("\n") + "\n").as_bytes()).with_context(|| format!("{}: cannot write", path.display()))?;
            }
        }
    }
    let pages: Vec<Page> = sources.into_iter().filter(|p| p.exists()).map(|source| Page { source }).collect();
    let fontconfig = write_fontconfig(cache)?;
    let mut scan_configs: Vec<(&'static str, PathBuf)> = Vec::new();
    for scan in readings.iter().filter_map(|r| r.scan()) {
        if !scan_configs.iter().any(|(key, _)| *key == scan.font.key) {
            scan_configs.push((scan.font.key, write_font_config(cache, &scan.font)?));
        }
    }
    // One job per page for the readings of the shared Liberation 12 pt images, one per
    // (page, scan variant) for the rest, so two workers stay busy whatever is missing.
    let mut work: Vec<(&Page, Vec<Reading>)> = Vec::new();
    for page in &pages {
        let base: Vec<Reading> = readings.iter().copied().filter(|r| r.scan().is_none()).collect();
        work.push((page, base));
        for &r in readings {
            if r.scan().is_some() && r.covers(page.index()) {
                work.push((page, vec![r]));
            }
        }
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build()?;
    pool.install(|| {
        work.par_iter().with_max_len(1).try_for_each(|(page, readings)| -> anyhow::Result<()> {
            for &reading in readings {
                match reading.scan() {
                    Some(scan) => {
                        let config = &scan_configs.iter().find(|(key, _)| *key == scan.font.key).expect("config written above").1;
                        produce_scan(page, reading, scan, config)?;
                    }
                    None => produce(page, reading, &fontconfig)?,
                }
            }
            Ok(())
        })
    })?;
    Ok(pages)
}

/// A fontconfig file that sees only fonts-liberation2, so "Liberation Serif" is the one
/// with Vietnamese glyphs.
fn write_fontconfig(cache: &Path) -> anyhow::Result<PathBuf> {
    if !Path::new(FONT_DIR).is_dir() {
        bail!("{FONT_DIR} not found: install fonts-liberation2 (the older fonts-liberation has no Vietnamese glyphs)");
    }
    let path = cache.join("fonts.conf");
    let conf = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n  <dir>{FONT_DIR}</dir>\n  <cachedir>{}</cachedir>\n</fontconfig>\n",
        cache.join("fontconfig-cache").display()
    );
    crate::fsx::write_atomic(&path, conf.as_bytes()).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(path)
}

/// A fontconfig file that sees exactly one font file, so pango renders with it whatever
/// else is installed (several packages name a font "Liberation Serif").
fn write_font_config(cache: &Path, font: &Font) -> anyhow::Result<PathBuf> {
    let file = Path::new(font.file);
    if !file.is_file() {
        bail!("{}: not found: install {} (scripts/setup.sh)", font.file, font.package);
    }
    let dir = file.parent().context("font file without a folder")?;
    let path = cache.join(format!("fonts-{}.conf", font.key));
    let conf = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n  <dir>{}</dir>\n  <selectfont>\n    <acceptfont><glob>{}</glob></acceptfont>\n    <rejectfont><glob>*</glob></rejectfont>\n  </selectfont>\n  <cachedir>{}</cachedir>\n</fontconfig>\n",
        dir.display(),
        file.display(),
        cache.join("fontconfig-cache").display()
    );
    crate::fsx::write_atomic(&path, conf.as_bytes()).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(path)
}

/// Renders `page` as `scan` describes, degrades it and reads it as `reading` says.
/// Several readings may share one scan image (same variant name).
fn produce_scan(page: &Page, reading: Reading, scan: &'static Scan, fontconfig: &Path) -> anyhow::Result<()> {
    let out = page.reading_path(reading);
    if out.exists() {
        return Ok(());
    }
    let key = scan.file_key();
    let image = page.scan_image(scan);
    if !image.exists() {
        let rendered = page.source.with_extension(format!("scan-{key}.rendered.png"));
        let text = if scan.upper {
            let upper = page.source.with_extension(format!("scan-{key}.upper.txt"));
            std::fs::write(&upper, page.source_text()?.to_uppercase()).with_context(|| format!("{}: cannot write", upper.display()))?;
            upper
        } else {
            page.source.clone()
        };
        run(Command::new("pango-view")
            .env("FONTCONFIG_FILE", fontconfig)
            .arg(format!("--font={} {}", scan.font.family, scan.size_pt))
            .arg(format!("--dpi={}", scan.dpi))
            .arg(format!("--margin={}", scan.dpi / 2))
            .args(["-q", "--output"])
            .arg(&rendered)
            .arg(&text))
        .context("rendering with pango-view (install pango1.0-tools)")?;
        let partial = image.with_extension(format!("partial.{}", scan.degrade.extension()));
        run(Command::new("/usr/bin/convert")
            .arg(&rendered)
            .args(scan.degrade.args(scan.dpi, page.index()))
            .args(["-units", "PixelsPerInch", "-density", &scan.dpi.to_string()])
            .arg(&partial))
        .context("degrading with ImageMagick (/usr/bin/convert)")?;
        std::fs::rename(&partial, &image).with_context(|| format!("{}: cannot move into place", image.display()))?;
        std::fs::remove_file(&rendered).with_context(|| format!("{}: cannot remove", rendered.display()))?;
    }
    if let Reading::Pipeline(_) = reading {
        // Read when scored (`Page::read_with`): the image is all that is cached.
        return Ok(());
    }
    ocr(&image, &out, reading.language(), scan.dpi)
}

/// `image` (a one-page PNG or JPEG) read as `vanban ingest` reads such a file
/// (`crate::ingest::ocr_image_page`): the page's text before repair, what ingest stores as
/// the page's raw text. Tesseract's readings are cached only if the caller holds a
/// `crate::ocr::cache_readings_in` guard (or `VANBAN_OCR_CACHE` is set).
pub fn read_through_pipeline(image: &Path, lm: &super::lm::LanguageModel) -> anyhow::Result<String> {
    let kind = match image.extension().and_then(|e| e.to_str()) {
        Some("png") => crate::ocr::ImageKind::Png,
        _ => crate::ocr::ImageKind::Jpeg,
    };
    let (_, page, _) = crate::ingest::ocr_image_page(image, kind, 1, lm).with_context(|| format!("{}: cannot read through the page pipeline", image.display()))?;
    Ok(crate::viet::nfc(&page.text))
}

fn produce(page: &Page, reading: Reading, fontconfig: &Path) -> anyhow::Result<()> {
    let out = page.reading_path(reading);
    if out.exists() {
        return Ok(());
    }
    let clean = page.source.with_extension("png");
    if !clean.exists() {
        run(Command::new("pango-view")
            .env("FONTCONFIG_FILE", fontconfig)
            .args(["--font=Liberation Serif 12", "--dpi=300", "--margin=150", "-q", "--output"])
            .arg(&clean)
            .arg(&page.source))
        .context("rendering with pango-view (install pango1.0-tools)")?;
    }
    let image = match reading {
        Reading::VieDegraded | Reading::EngDegraded => {
            let degraded = page.source.with_extension("degraded.png");
            if !degraded.exists() {
                // A photocopy of a photocopy: lost resolution, blur, speckle, uneven threshold.
                run(Command::new("/usr/bin/convert")
                    .arg(&clean)
                    .args(["-colorspace", "Gray", "-resize", "45%", "-resize", "222.3%", "-blur", "0x1.1", "-seed", "7", "-attenuate", "0.6", "+noise", "Gaussian", "-threshold", "58%", "-units", "PixelsPerInch", "-density", "300"])
                    .arg(&degraded))
                .context("degrading with ImageMagick (/usr/bin/convert)")?;
            }
            degraded
        }
        _ => clean,
    };
    ocr(&image, &out, reading.language(), 300)
}

/// Reads `image` with the tesseract CLI into `out`, via a partial file so an interrupted
/// run leaves nothing that looks finished.
fn ocr(image: &Path, out: &Path, language: &str, dpi: u32) -> anyhow::Result<()> {
    // page-NNN.READING.partial(.txt): one per reading, as readings may run side by side.
    let base = PathBuf::from(format!("{}.partial", out.with_extension("").display()));
    run(Command::new("tesseract")
        .env("OMP_THREAD_LIMIT", "1")
        .arg(image)
        .arg(&base)
        .args(["-l", language, "--dpi", &dpi.to_string()]))
    .context("OCR with the tesseract CLI (install tesseract-ocr with the eng and vie models)")?;
    let produced = base.with_extension("partial.txt");
    std::fs::rename(&produced, out).with_context(|| format!("{}: cannot move into place", out.display()))?;
    Ok(())
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let output = cmd.output().with_context(|| format!("cannot start {:?}", cmd.get_program()))?;
    if !output.status.success() {
        bail!("{:?} failed: {}", cmd.get_program(), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}

/// All cached pages of `split` that have every one of `readings`.
pub fn cached_pages(cache: &Path, split: Split, readings: &[Reading]) -> Vec<Page> {
    let dir = cache.join(split.folder());
    let mut pages: Vec<Page> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("page-") && name.ends_with(".txt") && name.matches('.').count() == 1
        })
        .map(|source| Page { source })
        .filter(|page| readings.iter().all(|r| !r.covers(page.index()) || page.reading_path(*r).exists()))
        .collect();
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A corpus of `files` files with distinct marked lines, every one short enough to
    /// be a page line of its own.
    fn synthetic_corpus(files: usize, lines: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in 0..files {
            let text: Vec<String> = (0..lines).map(|l| format!("Điều {l} của văn bản số {f} quy định việc thứ {}.", f * lines + l)).collect();
            std::fs::write(dir.path().join(format!("van-ban-{f:02}.md")), text.join("\n\n") + "\n").unwrap();
        }
        dir
    }

    #[test]
    fn development_pages_are_training_text_no_training_page_reads() {
        let corpus = synthetic_corpus(30, 100);
        let training_pages = sample_lines(corpus.path(), Split::Train, TRAINING_PAGES_MAX * LINES_PER_PAGE).unwrap();
        let development = sample_lines(corpus.path(), Split::Dev, 3 * LINES_PER_PAGE).unwrap();
        let held_out = sample_lines(corpus.path(), Split::HeldOut, usize::MAX).unwrap();
        assert_eq!(training_pages.len(), TRAINING_PAGES_MAX * LINES_PER_PAGE);
        assert_eq!(development.len(), 3 * LINES_PER_PAGE);
        for line in &development {
            assert!(!training_pages.contains(line), "a training page reads the development line {line:?}");
            assert!(!held_out.contains(line), "the development line {line:?} is held out");
        }
        // Drawn from the same ranking as the training pages: the lines right after theirs.
        let longer = sample_lines(corpus.path(), Split::Train, (TRAINING_PAGES_MAX + 3) * LINES_PER_PAGE).unwrap();
        assert_eq!(longer[TRAINING_PAGES_MAX * LINES_PER_PAGE..], development[..]);
    }

    #[test]
    fn the_development_scan_is_no_training_or_held_out_variant() {
        for other in VIE_SCANS.iter().chain([&HELD_OUT_VIE_SCAN]) {
            assert_ne!(DEV_VIE_SCAN.font, other.font, "{}", other.name);
            assert_ne!(DEV_VIE_SCAN.dpi, other.dpi, "{}", other.name);
        }
    }
}
