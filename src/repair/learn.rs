//! Estimating the OCR channel from rendered-and-OCR'd pages: letter confusions, whole-word
//! confusions (with split and merged words), and mark-slip rates, per engine. Written to
//! `dictionaries/ocr_channel.tsv` as counts and rates, so the file is readable and diffs
//! show what changed.

use std::collections::BTreeMap;
use std::path::Path;

use super::align::{align_letters, align_words, words, Link};
use super::build::write_lines;
use super::channel::{NoiseModel, RegimeEvidence};
use super::eval::{syllable_errors, ErrorCount};
use super::ocr_sample::{Page, Reading, SCANNED_VIE};
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

/// What decides whether a word of an OCR reading is known, as the repair decides it.
pub struct Vocabulary {
    /// Syllables of the language model, canonical (modern tone placement).
    pub syllables: std::collections::HashSet<String>,
    /// Abbreviations of the domain lexicon (not words the repair looks at).
    pub keep: std::collections::HashSet<String>,
}

impl Vocabulary {
    /// The repair's evidence about `text` (see `Repairer::kind_of`).
    pub fn evidence(&self, text: &str) -> RegimeEvidence {
        let lines: Vec<&str> = text.lines().collect();
        RegimeEvidence::of_lines(
            &lines,
            |core| !core.is_empty() && core.chars().all(char::is_alphabetic) && !self.keep.contains(core),
            |core| (self.syllables.contains(&viet::canonical(core, viet::ToneStyle::New)), false),
        )
    }
}

/// One `vie` reading of a training page: how many of its words are unknown, and how
/// many syllables it got wrong.
#[derive(Debug, Clone, Copy)]
pub struct NoiseSample {
    pub engine: &'static str,
    pub unknown_share: f32,
    pub errors: ErrorCount,
}

/// The [`NoiseModel`] of the samples: a least-squares line from the share of unknown
/// words to the syllable error rate over all `vie` readings, clean and scanned, and the
/// error rate of each kind. `None` without scanned readings.
pub fn noise_model(samples: &[NoiseSample]) -> Option<NoiseModel> {
    let rate_of = |engine: &str| {
        let mut total = ErrorCount::default();
        samples.iter().filter(|s| s.engine == engine).for_each(|s| total.add(s.errors));
        (total.reference > 0).then(|| total.rate() as f32)
    };
    let (clean_rate, scan_rate) = (rate_of("vie")?, rate_of(SCANNED_VIE)?);
    let n = samples.len() as f64;
    let (x, y): (Vec<f64>, Vec<f64>) = samples.iter().map(|s| (s.unknown_share as f64, s.errors.rate())).unzip();
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxx: f64 = x.iter().map(|v| (v - mx) * (v - mx)).sum();
    let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some(NoiseModel { intercept: (my - slope * mx) as f32, slope: slope as f32, clean_rate, scan_rate })
}

/// Empty OCR letters are written as this in the table.
pub const NOTHING: &str = "∅";

/// The channel counts of every page's readings: `eng` for the legacy engine (Liberation
/// 12 pt, clean and degraded, and every training scan variant the page has), both clean
/// `vie` readings for ours, and the real-like `vie` scans for the scanned channel.
#[derive(Debug, Default)]
pub struct Counted {
    pub engines: BTreeMap<&'static str, EngineCounts>,
    /// How many page readings each reading kind gave.
    pub readings: BTreeMap<String, usize>,
    /// One per `vie` reading, for the noise model.
    pub noise: Vec<NoiseSample>,
}

pub fn count_pages(pages: &[Page], vocabulary: &Vocabulary) -> anyhow::Result<Counted> {
    let mut counted = Counted::default();
    for page in pages {
        let source = page.source_text()?;
        for reading in Reading::training() {
            if !reading.covers(page.index()) || !page.reading_path(reading).exists() {
                continue;
            }
            let read = page.read(reading)?;
            counted.engines.entry(reading.engine()).or_default().add_page(&source, &read);
            *counted.readings.entry(reading.suffix()).or_default() += 1;
            if reading.language() == "vie" {
                let unknown_share = vocabulary.evidence(&read).unknown_share();
                // A page printed in capitals is scored against its text in capitals: the
                // error rate counts case, and case is not what OCR got wrong there.
                let reference = if reading.scan().is_some_and(|s| s.upper) { source.to_uppercase() } else { source.clone() };
                counted.noise.push(NoiseSample { engine: reading.engine(), unknown_share, errors: syllable_errors(&reference, &read) });
            }
        }
    }
    Ok(counted)
}

/// Writes the channel table.
pub fn write_table(path: &Path, counted: &Counted, pages: usize) -> anyhow::Result<()> {
    let (engines, readings) = (&counted.engines, &counted.readings);
    let mut lines = vec![
        "# OCR channel model of vanban: derived from corpus text rendered to pages and read by".to_string(),
        "# Tesseract (eng = legacy engine: Liberation Serif 12 pt at 300 DPI, clean and degraded, and".to_string(),
        "# the scan variants of ocr_sample::SCANS; vie = ours, Liberation 12 pt, clean and degraded;".to_string(),
        "# vie-scan = ours on the real-like scans of ocr_sample::VIE_SCANS: colour, seals, JPEG, 150-200 DPI).".to_string(),
        "# Rebuild: `vanban dict ocr` then `vanban dict build`. Columns: kind, engine, then per kind:".to_string(),
        "#   stats  name value | marks  kept tone-dropped tone-wrong modifier-dropped modifier-wrong".to_string(),
        "#   noise  intercept slope clean-rate scan-rate (syllable error rate = intercept + slope x share of".to_string(),
        "#          unknown words, over the vie readings; see channel::NoiseModel)".to_string(),
        "#   letter  source-letter ocr-letters count | word  ocr-token source-word count source-total".to_string(),
        format!("# pages: {pages}"),
    ];
    for (reading, n) in readings {
        lines.push(format!("# reading {reading}: {n} pages"));
    }
    if let Some(noise) = noise_model(&counted.noise) {
        lines.push(format!(
            "noise\t{SCANNED_VIE}\t{:.5}\t{:.5}\t{:.5}\t{:.5}",
            noise.intercept, noise.slope, noise.clean_rate, noise.scan_rate
        ));
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
