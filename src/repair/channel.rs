//! The OCR channel model: log P(what OCR printed | the real syllable), and the
//! candidates it can reach from a printed token.
//!
//! Three kinds of input behave very differently, so the channel has one setting per
//! [`Regime`], chosen per text from how its words look:
//! - `Unaccented`: marks were stripped (typed without Vietnamese input, or exported
//!   without them) — every syllable with the same letters is equally likely;
//! - `Accented`: a Vietnamese-aware OCR (Tesseract `vie`) or correct text — the printed
//!   token is almost always right, and errors are single tone or modifier slips;
//! - `Legacy`: an engine without Vietnamese (Tesseract `eng`, old text layers) — most
//!   marks are lost or turned into look-alike letters and digits, and letters merge and
//!   split (`ctia` = của, `Pdy` = Đẩy, `s6` = số).

use std::collections::HashMap;

use super::lm::{KeyHasher, KeyMap};
use super::skeleton::{Skeleton, VOWELS};

/// Per-letter totals, looked up for every letter the model prices: hashed like [`KeyMap`].
type CharMap<V> = HashMap<char, V, std::hash::BuildHasherDefault<KeyHasher>>;
use crate::viet::{self, letter_marks, Tone};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regime {
    Unaccented,
    Accented,
    Legacy,
}

/// log10 costs of mark slips between a printed token and a candidate with the same
/// letters, learned from OCR of rendered text (see `ocr_channel.tsv`).
#[derive(Debug, Clone, Copy)]
pub struct MarkCosts {
    /// The token is a known syllable and printed as is.
    pub keep: f32,
    pub tone_dropped: f32,
    pub tone_wrong: f32,
    pub modifier_dropped: f32,
    pub modifier_wrong: f32,
}

impl MarkCosts {
    /// Used when the channel table has no `vie` mark counts: about one syllable in a
    /// hundred misread, most errors a single mark.
    pub const ACCENTED: MarkCosts =
        MarkCosts { keep: -0.004, tone_dropped: -2.3, tone_wrong: -2.6, modifier_dropped: -2.3, modifier_wrong: -2.6 };
    /// Every mark was removed: a printed token without marks says nothing about them.
    pub const UNACCENTED: MarkCosts =
        MarkCosts { keep: 0.0, tone_dropped: 0.0, tone_wrong: -3.0, modifier_dropped: 0.0, modifier_wrong: -3.0 };

    /// Every slip `factor` times as costly (in log space); keeping stays as it is.
    pub fn scaled(&self, factor: f32) -> MarkCosts {
        MarkCosts {
            keep: self.keep,
            tone_dropped: self.tone_dropped * factor,
            tone_wrong: self.tone_wrong * factor,
            modifier_dropped: self.modifier_dropped * factor,
            modifier_wrong: self.modifier_wrong * factor,
        }
    }

    /// Cost of printing `printed` for `real`, two lowercase words with the same fold.
    pub fn cost(&self, printed: &str, real: &str) -> f32 {
        if printed == real {
            return self.keep;
        }
        let mut cost = 0.0;
        for (p, r) in printed.chars().zip(real.chars()) {
            if p == r {
                continue;
            }
            let (p, r) = (letter_marks(p), letter_marks(r));
            if p.tone != r.tone {
                cost += if p.tone == Tone::Level { self.tone_dropped } else { self.tone_wrong };
            }
            if p.modifier != r.modifier {
                cost += if p.modifier.is_none() { self.modifier_dropped } else { self.modifier_wrong };
            }
        }
        cost
    }
}

/// Counts of how the words of a text look, to pick its [`Regime`].
#[derive(Debug, Default, Clone, Copy)]
pub struct RegimeEvidence {
    pub words: usize,
    /// Words with any Vietnamese mark.
    pub marked: usize,
    /// Words that are known syllables as written.
    pub known: usize,
    /// Words whose letters (marks aside) spell a known syllable.
    pub known_letters: usize,
}

impl RegimeEvidence {
    /// The evidence of a text: every word that `repairable` accepts, with `lookup` saying
    /// whether it is a known syllable as written and whether its letters spell one.
    pub fn of_lines<'t>(
        lines: &[&'t str],
        repairable: impl Fn(&str) -> bool,
        mut lookup: impl FnMut(&'t str) -> (bool, bool),
    ) -> RegimeEvidence {
        let mut evidence = RegimeEvidence::default();
        for line in lines {
            for piece in super::token::pieces(line) {
                let core = piece.core(line);
                if repairable(core) {
                    let (known, known_letters) = lookup(core);
                    evidence.add(core, known, known_letters);
                }
            }
        }
        evidence
    }

    pub fn add(&mut self, word: &str, known: bool, known_letters: bool) {
        self.words += 1;
        self.marked += viet::has_marks(word) as usize;
        self.known += known as usize;
        self.known_letters += known_letters as usize;
    }

    /// Share of the words that are not known syllables as written.
    pub fn unknown_share(&self) -> f32 {
        if self.words == 0 {
            0.0
        } else {
            1.0 - self.known as f32 / self.words as f32
        }
    }

    /// Correct Vietnamese has marks on about 80% of its syllables and nearly all of them
    /// are known; stripped text has no marks but its letters still spell syllables;
    /// legacy OCR has few marks, mostly wrong ones, and many letter strings that spell
    /// nothing ("ctia", "nuéc").
    pub fn regime(&self) -> Regime {
        if self.words < 3 {
            let stripped = self.words > 0 && self.marked == 0 && self.known_letters == self.words;
            return if stripped { Regime::Unaccented } else { Regime::Accented };
        }
        let share = |n: usize| n as f32 / self.words as f32;
        // Legacy engines put a mark on a fifth of the words at most; a text marked
        // nearly everywhere is accented even when many of its words are names (Krông Pắc).
        if share(self.known) >= 0.85 && share(self.marked) >= 0.2 || share(self.marked) >= 0.5 {
            Regime::Accented
        } else if share(self.marked) < 0.02 && share(self.known_letters) >= 0.9 {
            Regime::Unaccented
        // A few stray marks ("sé", "véi") and a few words spelling nothing ("ctia") are
        // legacy OCR, not text typed without marks.
        } else if share(self.marked) < 0.2 && share(self.known_letters) >= 0.985 {
            Regime::Unaccented
        } else {
            Regime::Legacy
        }
    }
}

/// How much a text read by `vie` looks like a real-like scan rather than a clean page,
/// from how many of its words are unknown: Tesseract's misreadings make unknown words
/// and wrong known words in proportion, so the share of unknown words tells how often
/// a known word is wrong too. Learned by `vanban dict build` over the `vie` readings of
/// the training pages (clean renders and real-like scans): a least-squares line from the
/// share of unknown words of a page to its word error rate, and each channel's own rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoiseModel {
    pub intercept: f32,
    pub slope: f32,
    /// Word error rate of the clean `vie` readings and of the scanned ones.
    pub clean_rate: f32,
    pub scan_rate: f32,
}

impl NoiseModel {
    /// The weight of the scanned channel for a text with `unknown_share` unknown words:
    /// 0 for a text as clean as our renders (or correct text), 1 for one as noisy as the
    /// scans the channel was learned from, or noisier.
    pub fn blend(&self, unknown_share: f32) -> f32 {
        let rate = self.intercept + self.slope * unknown_share;
        let span = self.scan_rate - self.clean_rate;
        if span <= 0.0 {
            return 0.0;
        }
        ((rate - self.clean_rate) / span).clamp(0.0, 1.0)
    }
}

/// Learned letter and word confusions of one OCR engine.
#[derive(Default)]
pub struct EngineModel {
    /// log10 P(OCR letters | source letter), keyed by [`piece_key`].
    letters: KeyMap<f32>,
    /// How often each source letter was seen, for smoothing.
    letter_totals: CharMap<u32>,
    /// The same counts pooled over letters that differ only in tone ('ẩ' → 'â'), then
    /// only in marks ('ẩ' → 'a'): rare letters borrow the confusions of their family.
    family: KeyMap<f32>,
    family_totals: CharMap<u32>,
    base: KeyMap<f32>,
    base_totals: CharMap<u32>,
    /// OCR letters → source letters without marks, log10 P(source | OCR), best first.
    inverse: HashMap<String, Vec<(char, f32)>>,
    /// Whole-token confusions: OCR token → (source word, times read so, times seen).
    pub words: HashMap<String, Vec<(String, f32, f32)>>,
    /// Pseudo-count of the letter model in a whole-token row (0: the row alone). A row of
    /// a source word seen a few times is mostly chance: Tesseract `vie` printed "tỉnh" for
    /// 12 of the 16 "tinh" of our pages, which alone would make every "tỉnh" a likely
    /// "tinh".
    pub word_prior: f32,
    /// Mark slips for tokens read with the right letters.
    pub marks: Option<MarkCosts>,
    /// [`letter_logp`](Self::letter_logp) worked out at load time for every letter and
    /// every piece its base letter was ever read as; a piece never seen costs the
    /// letter's `unseen` price for its prior class. Scoring a token then takes one probe
    /// per letter and piece instead of three and a logarithm.
    precomputed: KeyMap<f32>,
    unseen: CharMap<[f32; PRIOR_CLASSES]>,
    /// Weight of a shape-blind letter model mixed into the learned one. Real legacy
    /// layers come from engines, fonts and scanners our rendered pages never saw, and
    /// misread vowels in ways the learned counts price at one in millions ("vén" for
    /// vận); a little probability for any vowel read as any vowel, or a letter lost,
    /// lets the language model decide those. Set by a `mix` row of the channel table.
    pub mix: f32,
    /// For the scanned `vie` channel: how much of it a text calls for.
    pub noise: Option<NoiseModel>,
}

/// The whole-token rows keyed as the repair looks them up: the OCR token and its source
/// word each written as [`viet::canonical`] in the new style, as the vocabulary stores
/// words. The table counts words as the corpus prints them, and official text writes
/// hóa, ủy, thủy, khỏe (the old style): keyed so, those rows never met a vocabulary word,
/// and the legacy engine's commonest misreadings of them ("héa" for hóa, read so 197 times
/// in 397; "ty" for ủy, 43 in 277) were priced by the letter model alone. Rows of one word
/// in both spellings are pooled: counts added, and the word's total is the sum of the
/// totals of its spellings.
fn canonical_word_rows(rows: &[(&str, &str, f32, f32)]) -> HashMap<String, Vec<(String, f32, f32)>> {
    use crate::viet::ToneStyle;
    let mut spelling_totals: HashMap<String, Vec<(&str, f32)>> = HashMap::new();
    for &(_, source, _, total) in rows {
        let spellings = spelling_totals.entry(viet::canonical(source, ToneStyle::New)).or_default();
        if !spellings.iter().any(|(s, _)| *s == source) {
            spellings.push((source, total));
        }
    }
    let mut pooled: HashMap<String, Vec<(String, f32, f32)>> = HashMap::new();
    for &(read, source, count, _) in rows {
        let source = viet::canonical(source, ToneStyle::New);
        let total: f32 = spelling_totals.get(&source).map_or(0.0, |s| s.iter().map(|(_, t)| t).sum());
        let entries = pooled.entry(viet::canonical(read, ToneStyle::New)).or_default();
        match entries.iter_mut().find(|e| e.0 == source) {
            Some(entry) => entry.1 += count,
            None => entries.push((source, count, total)),
        }
    }
    pooled
}

/// P(piece | letter) knowing only letter shapes in the large: kept as is, marks changed,
/// a vowel for a vowel, lost, or two letters that keep the base.
fn shape_blind_probability(source: SourceLetter, piece: &[char], piece_bases: &[char]) -> f32 {
    let vowel = |base: char| VOWELS.contains(&base);
    match (piece, piece_bases) {
        ([p], _) if *p == source.letter => 0.5,
        (_, [b]) if *b == source.base => 0.1,
        (_, [b]) if vowel(*b) && vowel(source.base) => 0.01,
        ([], _) => 0.02,
        (_, [a, b]) if *a == source.base || *b == source.base => 0.005,
        // Other confusions are the learned model's to price: giving them a floor only
        // lets readings no one would pick into the decoder.
        _ => 0.0,
    }
}

/// The prior of a piece never seen for the letter: how much it looks like the letter.
const PRIOR_CLASSES: usize = 5;
const PRIORS: [f32; PRIOR_CLASSES] = [0.6, 0.1, 0.01, 2e-4, 2e-5];

/// A printed letter no table holds, to price pieces never seen.
const NEVER_PRINTED: char = '\u{10FFFF}';

/// Scores source words against one printed token; see [`EngineModel::speller`].
pub struct Speller<'a> {
    engine: &'a EngineModel,
    printed: &'a [char],
    printed_bases: Vec<char>,
    /// Source letters met so far; letter `i` owns `memo[i * stride..]`, one log10
    /// probability per (printed position, piece length), NaN until worked out.
    letters: Vec<char>,
    memo: Vec<f32>,
    row: Vec<f32>,
    next: Vec<f32>,
}

impl<'a> Speller<'a> {
    /// The engine this speller prices with.
    pub fn engine(&self) -> &'a EngineModel {
        self.engine
    }

    /// log10 P(the printed token | the word is `source`): the best way to read each
    /// source letter as zero, one or two printed letters.
    pub fn logp(&mut self, source: &[char]) -> f32 {
        let m = self.printed.len();
        let stride = 3 * (m + 1);
        self.row.clear();
        self.row.resize(m + 1, f32::NEG_INFINITY);
        self.row[0] = 0.0;
        for &letter in source {
            let at = match self.letters.iter().position(|&l| l == letter) {
                Some(i) => i * stride,
                None => {
                    self.letters.push(letter);
                    self.memo.resize(self.memo.len() + stride, f32::NAN);
                    (self.letters.len() - 1) * stride
                }
            };
            let source = SourceLetter { letter, family: toneless(letter), base: base_letter(letter) };
            self.next.clear();
            self.next.resize(m + 1, f32::NEG_INFINITY);
            for j in 0..=m {
                if self.row[j] == f32::NEG_INFINITY {
                    continue;
                }
                for k in 0..=2usize.min(m - j) {
                    let cell = &mut self.memo[at + j * 3 + k];
                    if cell.is_nan() {
                        *cell = self.engine.letter_logp(source, &self.printed[j..j + k], &self.printed_bases[j..j + k]);
                    }
                    let score = self.row[j] + *cell;
                    if score > self.next[j + k] {
                        self.next[j + k] = score;
                    }
                }
            }
            std::mem::swap(&mut self.row, &mut self.next);
        }
        self.row[m]
    }
}

/// A source letter with the keys of its smoothing families, worked out once per letter
/// of a candidate rather than once per printed piece it may have become.
#[derive(Clone, Copy)]
struct SourceLetter {
    letter: char,
    family: char,
    base: char,
}

/// Packs a source letter and up to two OCR letters into one key.
fn piece_key(source: char, piece: &[char]) -> u64 {
    let a = piece.first().map_or(0, |c| *c as u64);
    let b = piece.get(1).map_or(0, |c| *c as u64);
    ((source as u64) << 42) | (a << 21) | b
}

/// The two letters (or fewer) packed by [`piece_key`], and the source letter.
fn unpack_piece_key(key: u64) -> (char, Vec<char>) {
    let part = |shift: u32| char::from_u32(((key >> shift) & ((1 << 21) - 1)) as u32).unwrap_or('\0');
    let piece = [part(21), part(0)].into_iter().filter(|&c| c != '\0').collect();
    (part(42), piece)
}

/// Which prior a piece gets for a source letter: the letter itself, its base letter
/// with other marks, nothing, another letter, two letters.
#[inline]
fn prior_class(source: SourceLetter, piece: &[char], piece_bases: &[char]) -> usize {
    match (piece, piece_bases) {
        ([p], _) if *p == source.letter => 0,
        (_, [b]) if *b == source.base => 1,
        ([], _) => 2,
        ([_], _) => 3,
        _ => 4,
    }
}

/// Source letters that print a piece less often than this share of its readings are
/// not tried for it: "P" is mostly p, but it is Đ often enough in old layers to try.
const MIN_INVERSE_SHARE: f32 = 0.001;

/// Pseudo-count of the prior in the smoothed letter model.
const PRIOR_WEIGHT: f32 = 3.0;

impl EngineModel {
    /// log10 P(`piece` | `source`), smoothed towards the letter's family (same letter
    /// and modifier, any tone), then its base letter, then a prior that keeps the letter.
    #[inline]
    fn letter_logp(&self, source: SourceLetter, piece: &[char], piece_bases: &[char]) -> f32 {
        if let Some(&logp) = self.precomputed.get(&piece_key(source.letter, piece)) {
            return logp;
        }
        let class = prior_class(source, piece, piece_bases);
        let learned = match self.unseen.get(&source.letter) {
            Some(prices) => prices[class],
            None => self.smoothed_probability(source, piece, PRIORS[class]),
        };
        self.mixed(learned, source, piece, piece_bases).log10()
    }

    /// The learned probability mixed with the shape-blind one (see [`EngineModel::mix`]).
    #[inline]
    fn mixed(&self, learned: f32, source: SourceLetter, piece: &[char], piece_bases: &[char]) -> f32 {
        if self.mix == 0.0 {
            return learned;
        }
        (1.0 - self.mix) * learned + self.mix * shape_blind_probability(source, piece, piece_bases)
    }

    /// The smoothed estimate behind [`letter_logp`](Self::letter_logp).
    fn smoothed_probability(&self, source: SourceLetter, piece: &[char], prior: f32) -> f32 {
        let smooth = |counts: &KeyMap<f32>, totals: &CharMap<u32>, key: char, lower: f32| {
            let total = totals.get(&key).copied().unwrap_or(0) as f32;
            let seen = counts.get(&piece_key(key, piece)).copied().unwrap_or(0.0);
            (seen + PRIOR_WEIGHT * lower) / (total + PRIOR_WEIGHT)
        };
        let base = smooth(&self.base, &self.base_totals, source.base, prior);
        let family = smooth(&self.family, &self.family_totals, source.family, base);
        smooth(&self.letters, &self.letter_totals, source.letter, family)
    }

    /// A scorer of many candidate sources against one printed token, which remembers the
    /// letter probabilities it has worked out (candidates share most of their letters).
    pub fn speller<'a>(&'a self, printed: &'a [char]) -> Speller<'a> {
        Speller {
            engine: self,
            printed,
            printed_bases: printed.iter().map(|&c| base_letter(c)).collect(),
            letters: Vec::new(),
            memo: Vec::new(),
            row: Vec::with_capacity(printed.len() + 1),
            next: Vec::with_capacity(printed.len() + 1),
        }
    }

    /// Unmarked letter strings the printed token may have come from, most likely first:
    /// each printed letter (or pair) replaced by the source letters that OCR turns into it.
    pub fn skeletons(&self, printed: &[char], limit: usize) -> Vec<(Skeleton, f32)> {
        let m = printed.len();
        let mut at: Vec<Vec<(Skeleton, f32)>> = vec![Vec::new(); m + 1];
        at[0].push((Skeleton::default(), 0.0));
        let mut piece = String::new();
        for j in 0..m {
            let states = std::mem::take(&mut at[j]);
            for &(skeleton, score) in &states {
                for k in 1..=2usize.min(m - j) {
                    piece.clear();
                    piece.extend(&printed[j..j + k]);
                    let options: &[(char, f32)] = match self.inverse.get(piece.as_str()) {
                        Some(o) => o,
                        None if k == 1 => &[],
                        None => continue,
                    };
                    let mut any = false;
                    for &(letter, logp) in options.iter().take(4) {
                        any = true;
                        at[j + k].push((skeleton.push(letter), score + logp));
                    }
                    if !any && k == 1 {
                        at[j + 1].push((skeleton.push(base_letter(printed[j])), score - 1.0));
                    }
                }
            }
            at[j] = states;
            for next in at.iter_mut().skip(j + 1).take(2) {
                next.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                next.dedup_by(|a, b| a.0 == b.0);
                next.truncate(limit);
            }
        }
        std::mem::take(&mut at[m])
    }

    /// P(the token | a source word with this row), from the row and the letter model's
    /// log10-probability `letter_logp` of the same reading.
    pub fn word_probability(&self, (count, total): (f32, f32), letter_logp: f32) -> f32 {
        let letter = if self.word_prior > 0.0 { 10f32.powf(letter_logp) } else { 0.0 };
        (count + self.word_prior * letter) / (total + self.word_prior)
    }

    /// Reads the rows of `engine` from the channel table.
    pub fn from_table(table: &str, engine: &str) -> EngineModel {
        let mut model = EngineModel::default();
        let mut counts: Vec<(char, Vec<char>, u32)> = Vec::new();
        let mut word_rows: Vec<(&str, &str, f32, f32)> = Vec::new();
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 || cols[1] != engine {
                continue;
            }
            match (cols[0], &cols[2..]) {
                ("letter", [source, piece, count]) => {
                    let (Some(source), Ok(count)) = (source.chars().next(), count.parse::<u32>()) else { continue };
                    let piece: Vec<char> = if *piece == super::learn::NOTHING { Vec::new() } else { piece.chars().collect() };
                    if piece.len() <= 2 {
                        counts.push((source, piece, count));
                    }
                }
                ("word", [read, source, count, total]) => {
                    let (Ok(count), Ok(total)) = (count.parse::<f32>(), total.parse::<f32>()) else { continue };
                    word_rows.push((read, source, count, total));
                }
                ("noise", [intercept, slope, clean_rate, scan_rate]) => {
                    let values: Vec<f32> = [intercept, slope, clean_rate, scan_rate].iter().filter_map(|v| v.parse().ok()).collect();
                    if let [intercept, slope, clean_rate, scan_rate] = values[..] {
                        model.noise = Some(NoiseModel { intercept, slope, clean_rate, scan_rate });
                    }
                }
                ("mix", [weight, ..]) => {
                    model.mix = weight.parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0);
                }
                ("marks", [kept, tone_dropped, tone_wrong, modifier_dropped, modifier_wrong]) => {
                    let n: Vec<f32> = [kept, tone_dropped, tone_wrong, modifier_dropped, modifier_wrong]
                        .iter()
                        .map(|v| v.parse::<f32>().unwrap_or(0.0))
                        .collect();
                    let total = n.iter().sum::<f32>().max(1.0);
                    // Add-one smoothing, and never cheaper than one slip in a thousand words
                    // would justify: a rare slip must not outweigh the language model.
                    let rate = |x: f32| ((x + 1.0) / (total + 5.0)).log10().min(-2.0);
                    model.marks = Some(MarkCosts {
                        keep: ((n[0] + 1.0) / (total + 5.0)).log10(),
                        tone_dropped: rate(n[1]),
                        tone_wrong: rate(n[2]),
                        modifier_dropped: rate(n[3]),
                        modifier_wrong: rate(n[4]),
                    });
                }
                _ => {}
            }
        }
        model.words = canonical_word_rows(&word_rows);
        let mut inverse_counts: HashMap<String, CharMap<u32>> = HashMap::new();
        for (source, piece, count) in &counts {
            *model.letter_totals.entry(*source).or_default() += count;
            if !piece.is_empty() {
                *inverse_counts.entry(piece.iter().collect()).or_default().entry(base_letter(*source)).or_default() += count;
            }
        }
        for (source, piece, count) in counts {
            *model.letters.entry(piece_key(source, &piece)).or_default() += count as f32;
            let family = toneless(source);
            *model.family.entry(piece_key(family, &piece)).or_default() += count as f32;
            *model.family_totals.entry(family).or_default() += count;
            let base = base_letter(source);
            *model.base.entry(piece_key(base, &piece)).or_default() += count as f32;
            *model.base_totals.entry(base).or_default() += count;
        }
        for (piece, sources) in inverse_counts {
            let total: u32 = sources.values().sum();
            let mut options: Vec<(char, f32)> = sources
                .into_iter()
                .filter(|(_, c)| *c as f32 >= MIN_INVERSE_SHARE * total as f32)
                .map(|(letter, c)| (letter, (c as f32 / total as f32).log10()))
                .collect();
            options.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            model.inverse.insert(piece, options);
        }
        model.precompute();
        model
    }

    /// Fills `precomputed` and `unseen` for every letter of Vietnamese (other letters are
    /// worked out when asked).
    fn precompute(&mut self) {
        let mut pieces_of_base: CharMap<Vec<Vec<char>>> = CharMap::default();
        for &key in self.base.keys() {
            let (base, piece) = unpack_piece_key(key);
            pieces_of_base.entry(base).or_default().push(piece);
        }
        // The letters vocabulary words are spelled with: a–z, đ and the marked vowels
        // (each a syllable on its own). A smaller table stays in the processor's cache.
        let marked_vowels = (0xC0u32..0x1F00)
            .filter_map(char::from_u32)
            .filter(|c| c.is_lowercase() && crate::viet::Syllable::parse(&c.to_string()).is_some());
        let letters = ('a'..='z').chain(['đ']).chain(marked_vowels);
        let mut precomputed = KeyMap::default();
        let mut unseen = CharMap::default();
        for letter in letters {
            let source = SourceLetter { letter, family: toneless(letter), base: base_letter(letter) };
            for piece in pieces_of_base.get(&source.base).into_iter().flatten() {
                let bases: Vec<char> = piece.iter().map(|&c| base_letter(c)).collect();
                let prior = PRIORS[prior_class(source, piece, &bases)];
                let learned = self.smoothed_probability(source, piece, prior);
                precomputed.insert(piece_key(letter, piece), self.mixed(learned, source, piece, &bases).log10());
            }
            let prices = PRIORS.map(|prior| self.smoothed_probability(source, &[NEVER_PRINTED], prior));
            unseen.insert(letter, prices);
        }
        self.precomputed = precomputed;
        self.unseen = unseen;
    }
}

/// The letter without its tone: 'ẩ' → 'â'.
#[inline]
pub fn toneless(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    // Asked for every letter the letter model prices: precomputed for the Latin letters.
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| (0..0x1F00u32).map(|n| char::from_u32(n).map_or('\0', compose_toneless)).collect());
    table.get(c as usize).copied().unwrap_or_else(|| compose_toneless(c))
}

fn compose_toneless(c: char) -> char {
    let marks = letter_marks(c);
    let mut s = String::new();
    s.push(marks.base);
    if let Some(m) = marks.modifier {
        if m == 'đ' {
            return 'đ';
        }
        s.push(m);
    }
    viet::nfc(&s).chars().next().unwrap_or(c)
}

/// A vowel with or without marks: 'ố', 'y', 'Ư'.
#[inline]
pub fn is_vowel(c: char) -> bool {
    VOWELS.contains(&base_letter(c))
}

/// The letter without marks, lowercase: 'ố' → 'o', 'đ' → 'd'.
#[inline]
pub fn base_letter(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let b = letter_marks(c).base;
    b.to_lowercase().next().unwrap_or(b)
}

#[cfg(test)]
mod tests {
    use super::EngineModel;

    #[test]
    fn word_rows_of_old_style_spellings_meet_the_vocabulary_and_pool() {
        // The corpus prints ủy (old style) mostly and uỷ sometimes; the vocabulary stores uỷ.
        let table = "word\teng\tty\tủy\t43\t277\nword\teng\tuy\tủy\t213\t277\nword\teng\tuy\tuỷ\t21\t21\nword\tvie\thòa\thòa\t5\t5\n";
        let eng = EngineModel::from_table(table, "eng");
        assert_eq!(eng.words["ty"], vec![("uỷ".to_string(), 43.0, 298.0)]);
        assert_eq!(eng.words["uy"], vec![("uỷ".to_string(), 234.0, 298.0)]);
        // The OCR token is keyed as the repair looks it up, too.
        let vie = EngineModel::from_table(table, "vie");
        assert_eq!(vie.words["hoà"], vec![("hoà".to_string(), 5.0, 5.0)]);
    }
}
