//! `vanban dict build`: rebuilds every derived file of `dictionaries/` from the corpus,
//! deterministically (same corpus, same bytes). The hand-written `domain.txt` is kept.

use anyhow::Context;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::corpus::{self, TrainingText};
use super::lm::{LmBuilder, Pruning};
use super::token::{self, WordClass, NUM, RESERVED, UNK};
use crate::viet::ToneStyle;

/// Syllables seen fewer times than this are treated as unknown (mostly typos).
const MIN_SYLLABLE_COUNT: u64 = 2;
/// Two-syllable words for the lexicon: seen this often, and far more often together than
/// apart (pointwise mutual information, log2).
const MIN_WORD_COUNT: u32 = 20;
const MIN_WORD_PMI: f64 = 4.0;

/// Weighted-difference pruning at 0.5 drops 9% of the model's bytes for 0.03 points of
/// restoration accuracy on held-out text; a count cutoff of 2 cost more for the same size.
pub const PRUNING: Pruning = Pruning { min_trigram_count: 1, min_bigram_count: 1, min_weighted_gain: 0.5 };

/// Sentences of the training text as word classes, in file order.
pub fn training_sentences(training: &TrainingText) -> Vec<Vec<WordClass>> {
    let per_file: Vec<Vec<Vec<WordClass>>> = training
        .files
        .par_iter()
        .map(|(_, text)| text.lines().flat_map(|l| token::sentences(l, ToneStyle::New)).collect())
        .collect();
    per_file.into_iter().flatten().collect()
}

/// Written by `dict build` beside the models: what their training text was.
pub const TRAINING_DIGEST: &str = "training.tsv";

pub fn build(corpus_dir: &Path, out: &Path, ocr_cache: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("{}: cannot create the output folder", out.display()))?;
    let files = corpus::list_files(corpus_dir)?;
    let held_out: Vec<&str> = files.iter().filter(|f| f.held_out).map(|f| f.relative.as_str()).collect();
    eprintln!("dict build: {} files, {} held out for evaluation", files.len(), held_out.len());
    write_lines(&out.join("holdout.txt"), held_out.iter().copied())?;
    let training = TrainingText::read(&files)?;
    eprintln!(
        "dict build: {} training lines ({} words) also in held-out files, left out of training",
        training.dropped_lines, training.dropped_words
    );
    write_lines(
        &out.join(TRAINING_DIGEST),
        [
            "# The training text of these models: held-in corpus files without the lines of 8+ words".to_string(),
            "# that a held-out file also contains (repair::corpus::TrainingText). Written by `vanban dict build`.".to_string(),
            format!("files\t{}", training.files.len()),
            format!("held_out_files\t{}", held_out.len()),
            format!("dropped_lines\t{}", training.dropped_lines),
            format!("dropped_words\t{}", training.dropped_words),
            format!("sha256\t{}", training.digest()),
        ],
    )?;

    let sentences = training_sentences(&training);
    drop(training);
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for s in &sentences {
        for w in s {
            if let WordClass::Syllable(syl) = w {
                *counts.entry(syl.as_str()).or_default() += 1;
            }
        }
    }
    let mut syllables: Vec<(&str, u64)> = counts.into_iter().filter(|(_, c)| *c >= MIN_SYLLABLE_COUNT).collect();
    syllables.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total_syllables: u64 = syllables.iter().map(|s| s.1).sum();
    eprintln!("dict build: {} training sentences, {} syllables, {} distinct", sentences.len(), total_syllables, syllables.len());
    write_lines(&out.join("syllables.tsv"), syllables.iter().map(|(s, c)| format!("{s}\t{c}")))?;

    let vocab: Vec<String> = RESERVED.iter().map(|s| s.to_string()).chain(syllables.iter().map(|s| s.0.to_string())).collect();
    let ids: HashMap<&str, u32> = vocab.iter().enumerate().map(|(i, w)| (w.as_str(), i as u32)).collect();
    let mut builder = LmBuilder::new(vocab.clone());
    let mut buf = Vec::new();
    for s in &sentences {
        buf.clear();
        buf.extend(s.iter().map(|w| match w {
            WordClass::Syllable(syl) => ids.get(syl.as_str()).copied().unwrap_or(UNK),
            WordClass::Number => NUM,
            WordClass::Other => UNK,
        }));
        builder.add_sentence(&buf);
    }
    drop(sentences);
    write_lexicon(&out.join("lexicon.tsv"), &builder, &vocab)?;
    let bytes = builder.build(PRUNING);
    crate::fsx::write_atomic(&out.join("lm.bin"), &bytes).with_context(|| format!("{}: cannot write", out.join("lm.bin").display()))?;
    write_lines(&out.join("lm.vocab"), vocab.iter())?;
    eprintln!("dict build: language model {} bytes", bytes.len());
    build_channel(ocr_cache, out, &vocabulary(out, vocab.into_iter().skip(RESERVED.len()).collect())?)
}

/// Re-estimates only the OCR channel table of `out` from the OCR cache, with the
/// vocabulary of the language model already there (after `vanban dict ocr` added
/// readings; the language model does not depend on them).
pub fn build_channel_only(out: &Path, ocr_cache: &Path) -> anyhow::Result<()> {
    let path = out.join("lm.vocab");
    let words = std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read (run `vanban dict build` first)", path.display()))?;
    let syllables = words.lines().skip(RESERVED.len()).map(str::to_owned).collect();
    build_channel(ocr_cache, out, &vocabulary(out, syllables)?)
}

/// Learns only the scanned `vie` channel into `ocr_channel_scan.tsv` (its letter, word and
/// mark rows, and the noise row that says how much of it a text calls for) from the pages
/// `vanban dict ocr --scan-channel` read, with the vocabulary of the language model
/// already in `out`. The main table is left as it is: its `eng` readings take hours.
pub fn build_scan_channel(out: &Path, ocr_cache: &Path) -> anyhow::Result<()> {
    use super::ocr_sample::{cached_pages, Reading, Split, SCANNED_VIE};
    let path = out.join("lm.vocab");
    let words = std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read (run `vanban dict build` first)", path.display()))?;
    let vocabulary = vocabulary(out, words.lines().skip(RESERVED.len()).map(str::to_owned).collect())?;
    let pages = cached_pages(ocr_cache, Split::Train, &Reading::scan_channel());
    if pages.is_empty() {
        anyhow::bail!("no OCR pages under {} with the scan readings: run `vanban dict ocr --scan-channel` first", ocr_cache.display());
    }
    let mut counted = super::learn::count_pages(&pages, &vocabulary)?;
    // Only `vie` readings feed this table: `eng` ones a cache may also hold are the main table's.
    counted.engines.retain(|engine, _| *engine == SCANNED_VIE);
    counted.readings.retain(|reading, _| reading.starts_with("vie"));
    counted.noise.retain(|sample| sample.engine == "vie" || sample.engine == SCANNED_VIE);
    let table = out.join(super::SCAN_CHANNEL_TABLE);
    super::learn::write_table(&table, &counted, pages.len())?;
    for (engine, c) in &counted.engines {
        eprintln!("dict build: channel {engine}: {} aligned words, {} split, {} merged", c.aligned, c.splits, c.merges);
    }
    match super::learn::noise_model(&counted.noise) {
        Some(noise) => eprintln!("dict build: vie noise: {noise:?} over {} readings", counted.noise.len()),
        None => eprintln!("dict build: no noise model (no clean and scanned vie readings)"),
    }
    Ok(())
}

/// What the channel's noise model counts as a known word: the language model's
/// syllables, and the domain lexicon's abbreviations set aside, as the repair does.
fn vocabulary(out: &Path, syllables: std::collections::HashSet<String>) -> anyhow::Result<super::learn::Vocabulary> {
    let path = out.join("domain.txt");
    let domain = std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read the domain lexicon", path.display()))?;
    Ok(super::learn::Vocabulary { syllables, keep: super::domain_section(&domain, "abbreviations").map(str::to_owned).collect() })
}

/// Re-estimates the OCR channel table from the pages `vanban dict ocr` cached, or keeps
/// the committed table when there are none (rendering and OCR are a separate, slow step).
fn build_channel(ocr_cache: &Path, out: &Path, vocabulary: &super::learn::Vocabulary) -> anyhow::Result<()> {
    use super::ocr_sample::{cached_pages, Reading, Split};
    let pages = cached_pages(ocr_cache, Split::Train, &[Reading::Eng, Reading::Vie]);
    let table = out.join(super::CHANNEL_TABLE);
    if pages.is_empty() {
        if table.exists() {
            eprintln!("dict build: no OCR pages under {}; keeping {}", ocr_cache.display(), table.display());
            return Ok(());
        }
        anyhow::bail!("no OCR pages under {} to learn the channel model from: run `vanban dict ocr` first", ocr_cache.display());
    }
    let counted = super::learn::count_pages(&pages, vocabulary)?;
    super::learn::write_table(&table, &counted, pages.len())?;
    for (engine, c) in &counted.engines {
        eprintln!("dict build: channel {engine}: {} aligned words, {} split, {} merged", c.aligned, c.splits, c.merges);
    }
    if let Some(noise) = super::learn::noise_model(&counted.noise) {
        eprintln!("dict build: vie noise: {noise:?} over {} readings", counted.noise.len());
    }
    Ok(())
}

/// Two-syllable words: frequent bigrams whose syllables occur together far more often
/// than chance.
fn write_lexicon(path: &Path, builder: &LmBuilder, vocab: &[String]) -> anyhow::Result<()> {
    let unigrams = builder.unigram_counts();
    let total: u64 = unigrams.iter().sum();
    let mut words: Vec<(String, u32)> = builder
        .bigram_counts()
        .iter()
        .filter(|(_, &c)| c >= MIN_WORD_COUNT)
        .filter_map(|(&k, &c)| {
            let (v, w) = ((k >> 21) as usize, (k & ((1 << 21) - 1)) as usize);
            if v < RESERVED.len() || w < RESERVED.len() {
                return None;
            }
            let pmi = (c as f64 * total as f64 / (unigrams[v] as f64 * unigrams[w] as f64)).log2();
            (pmi >= MIN_WORD_PMI).then(|| (format!("{} {}", vocab[v], vocab[w]), c))
        })
        .collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    write_lines(path, words.iter().map(|(w, c)| format!("{w}\t{c}")))
}

pub fn write_lines<T: AsRef<str>>(path: &Path, lines: impl IntoIterator<Item = T>) -> anyhow::Result<()> {
    let mut w = crate::fsx::AtomicFile::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    for line in lines {
        writeln!(w, "{}", line.as_ref())?;
    }
    w.commit().with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}
