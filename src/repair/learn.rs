//! Estimating the OCR channel from rendered-and-OCR'd pages: letter confusions, whole-word
//! confusions (with split and merged words), and mark-slip rates, per engine. Written to
//! `dictionaries/ocr_channel.tsv` as counts and rates, so the file is readable and diffs
//! show what changed.

use std::collections::BTreeMap;
use std::path::Path;

use super::align::{align_letters, align_words, words, Link};
use super::build::write_lines;
use super::ocr_sample::{Page, Reading};
use crate::viet::{self, letter_marks, Syllable, Tone};

/// Word confusions seen fewer times than this are left to the letter model.
const MIN_WORD_CONFUSION: u32 = 2;

/// Counts for one engine.
#[derive(Debug, Default)]
pub struct EngineCounts {
    /// (source letter, OCR letters) → count.
    pub letters: BTreeMap<(char, String), u32>,
    /// (OCR token, source word) → count; split readings have a space in the OCR token,
    /// merged ones in the source word.
    pub words: BTreeMap<(String, String), u32>,
    /// Source word → times aligned (the denominator of word confusions).
    pub sources: BTreeMap<String, u32>,
    pub aligned: u32,
    pub splits: u32,
    pub merges: u32,
    /// Aligned syllables read with the same letters (fold): kept, tone dropped, tone
    /// wrong, modifier dropped, modifier wrong.
    pub marks: [u32; 5],
}

impl EngineCounts {
    pub fn add_page(&mut self, source: &str, ocr: &str) {
        for link in align_words(&words(source), &words(ocr)) {
            let (src, read) = match &link {
                Link::One { source, ocr } => (source.clone(), ocr.clone()),
                Link::Split { source, ocr } => {
                    self.splits += 1;
                    (source.clone(), format!("{} {}", ocr.0, ocr.1))
                }
                Link::Merge { source, ocr } => {
                    self.merges += 1;
                    (format!("{} {}", source.0, source.1), ocr.clone())
                }
            };
            let is_syllables = src.split(' ').all(|s| Syllable::parse(s).is_some());
            if !is_syllables {
                continue;
            }
            self.aligned += 1;
            *self.sources.entry(src.clone()).or_default() += 1;
            *self.words.entry((read.clone(), src.clone())).or_default() += 1;
            if let Link::One { .. } = link {
                for (letter, piece) in align_letters(&src, &read) {
                    *self.letters.entry((letter, piece)).or_default() += 1;
                }
                self.count_marks(&src, &read);
            }
        }
    }

    fn count_marks(&mut self, src: &str, read: &str) {
        if viet::fold(src) != viet::fold(read) || src.chars().count() != read.chars().count() {
            return;
        }
        if src == read {
            self.marks[0] += 1;
            return;
        }
        for (s, r) in src.chars().zip(read.chars()) {
            let (s, r) = (letter_marks(s), letter_marks(r));
            if s.tone != r.tone {
                self.marks[if r.tone == Tone::Level { 1 } else { 2 }] += 1;
            }
            if s.modifier != r.modifier {
                self.marks[if r.modifier.is_none() { 3 } else { 4 }] += 1;
            }
        }
    }
}

/// Empty OCR letters are written as this in the table.
pub const NOTHING: &str = "∅";

/// Counts every page's readings: `eng` for the legacy engine (Liberation 12 pt, clean and
/// degraded, and every training scan variant the page has), both `vie` readings for ours.
/// Also returns how many page readings each engine was learned from.
pub fn count_pages(pages: &[Page]) -> anyhow::Result<(BTreeMap<&'static str, EngineCounts>, BTreeMap<String, usize>)> {
    let mut engines: BTreeMap<&'static str, EngineCounts> = BTreeMap::new();
    let mut readings: BTreeMap<String, usize> = BTreeMap::new();
    for page in pages {
        let source = page.source_text()?;
        for reading in Reading::training() {
            if !reading.covers(page.index()) || !page.reading_path(reading).exists() {
                continue;
            }
            engines.entry(reading.engine()).or_default().add_page(&source, &page.read(reading)?);
            *readings.entry(reading.suffix()).or_default() += 1;
        }
    }
    Ok((engines, readings))
}

/// Writes the channel table.
pub fn write_table(
    path: &Path,
    engines: &BTreeMap<&'static str, EngineCounts>,
    pages: usize,
    readings: &BTreeMap<String, usize>,
) -> anyhow::Result<()> {
    let mut lines = vec![
        "# OCR channel model of vanban: derived from corpus text rendered to pages and read by".to_string(),
        "# Tesseract (eng = legacy engine: Liberation Serif 12 pt at 300 DPI, clean and degraded, and".to_string(),
        "# the scan variants of ocr_sample::SCANS; vie = ours, Liberation 12 pt, clean and degraded).".to_string(),
        "# Rebuild: `vanban dict ocr` then `vanban dict build`. Columns: kind, engine, then per kind:".to_string(),
        "#   stats  name value | marks  kept tone-dropped tone-wrong modifier-dropped modifier-wrong".to_string(),
        "#   letter  source-letter ocr-letters count | word  ocr-token source-word count source-total".to_string(),
        format!("# pages: {pages}"),
    ];
    for (reading, n) in readings {
        lines.push(format!("# reading {reading}: {n} pages"));
    }
    for (engine, c) in engines {
        lines.push(format!("stats\t{engine}\taligned\t{}", c.aligned));
        lines.push(format!("stats\t{engine}\tsplits\t{}", c.splits));
        lines.push(format!("stats\t{engine}\tmerges\t{}", c.merges));
        lines.push(format!("marks\t{engine}\t{}", c.marks.map(|m| m.to_string()).join("\t")));
        for ((letter, piece), count) in &c.letters {
            let piece = if piece.is_empty() { NOTHING } else { piece.as_str() };
            lines.push(format!("letter\t{engine}\t{letter}\t{piece}\t{count}"));
        }
        for ((read, src), count) in &c.words {
            if *count >= MIN_WORD_CONFUSION && read != src {
                lines.push(format!("word\t{engine}\t{read}\t{src}\t{count}\t{}", c.sources[src]));
            }
        }
    }
    write_lines(path, lines)
}
