//! Rendered-and-OCR'd corpus text: the data the OCR channel model is learned from
//! (held-in files) and the OCR inputs of the evaluation (held-out files).
//!
//! Each page is a text file of corpus lines, rendered with pango-view in Liberation Serif
//! (fonts-liberation2, by path: the older package of the same name has no Vietnamese
//! glyphs) at 300 DPI, optionally degraded with ImageMagick, and read back by the
//! Tesseract CLI with `eng` (what legacy text layers look like) and `vie` (our OCR).
//! It is slow on two cores, so every output is cached and a rerun resumes where the last
//! one stopped.

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

/// Which files the pages come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Held-in files: training data of the channel model.
    Train,
    /// Held-out files: evaluation inputs.
    HeldOut,
}

impl Split {
    fn folder(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::HeldOut => "heldout",
        }
    }
}

/// The OCR readings produced for each page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Tesseract `eng` on the clean page.
    Eng,
    /// Tesseract `vie` on the clean page.
    Vie,
    /// Tesseract `vie` on a degraded (blurred, noisy, re-sampled) page.
    VieDegraded,
    /// Tesseract `eng` on the degraded page: closest to old scanned text layers.
    EngDegraded,
}

impl Reading {
    pub const ALL: [Reading; 4] = [Reading::Eng, Reading::Vie, Reading::VieDegraded, Reading::EngDegraded];
    pub fn suffix(self) -> &'static str {
        match self {
            Reading::Eng => "eng",
            Reading::Vie => "vie",
            Reading::VieDegraded => "vie-degraded",
            Reading::EngDegraded => "eng-degraded",
        }
    }
}

/// One page: its source text and the OCR readings that exist.
#[derive(Debug, Clone)]
pub struct Page {
    pub source: PathBuf,
}

impl Page {
    pub fn reading_path(&self, reading: Reading) -> PathBuf {
        self.source.with_extension(format!("{}.txt", reading.suffix()))
    }
    pub fn read(&self, reading: Reading) -> anyhow::Result<String> {
        let path = self.reading_path(reading);
        Ok(crate::viet::nfc(&std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read", path.display()))?))
    }
    pub fn source_text(&self) -> anyhow::Result<String> {
        Ok(std::fs::read_to_string(&self.source).with_context(|| format!("{}: cannot read", self.source.display()))?)
    }
}

/// Lines of the split's files, chosen by a hash of their text so the sample is spread
/// over every file and the same on every machine, cut to page width.
fn sample_lines(corpus_dir: &Path, split: Split, wanted: usize) -> anyhow::Result<Vec<String>> {
    let files = corpus::list_files(corpus_dir)?;
    let mut scored: Vec<(u64, String)> = Vec::new();
    for f in files.iter().filter(|f| f.held_out == (split == Split::HeldOut)) {
        let text = corpus::read_running_text(&f.path)?;
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
                std::fs::write(path, chunk.join("\n") + "\n").with_context(|| format!("{}: cannot write", path.display()))?;
            }
        }
    }
    let pages: Vec<Page> = sources.into_iter().filter(|p| p.exists()).map(|source| Page { source }).collect();
    let fontconfig = write_fontconfig(cache)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build()?;
    pool.install(|| {
        pages.par_iter().try_for_each(|page| -> anyhow::Result<()> {
            for &reading in readings {
                produce(page, reading, &fontconfig)?;
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
    std::fs::write(&path, conf).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(path)
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
    let language = match reading {
        Reading::Eng | Reading::EngDegraded => "eng",
        Reading::Vie | Reading::VieDegraded => "vie",
    };
    let base = out.with_extension("").with_extension("partial");
    run(Command::new("tesseract")
        .env("OMP_THREAD_LIMIT", "1")
        .arg(&image)
        .arg(&base)
        .args(["-l", language, "--dpi", "300"]))
    .context("OCR with the tesseract CLI (install tesseract-ocr with the eng and vie models)")?;
    let produced = base.with_extension("partial.txt");
    std::fs::rename(&produced, &out).with_context(|| format!("{}: cannot move into place", out.display()))?;
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
        .filter(|page| readings.iter().all(|r| page.reading_path(*r).exists()))
        .collect();
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    pages
}
