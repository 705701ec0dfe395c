//! Repair of garbled Vietnamese OCR text: a noisy-channel decoder over a syllable
//! language model and an OCR channel model, with a confidence per correction.
//!
//! The text keeps its lines, numbers, document symbols, abbreviations and punctuation;
//! only words that can be Vietnamese syllables are candidates for change, and each
//! changed word keeps the letter case of the word it replaces.

pub mod align;
pub mod build;
pub mod channel;
pub mod corpus;
pub mod decode;
pub mod eval;
pub mod learn;
pub mod lm;
pub mod numbers;
pub mod ocr_sample;
pub mod reference;
pub mod skeleton;
pub mod token;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::path::Path;
use std::rc::Rc;

use skeleton::Skeleton;
use channel::{EngineModel, MarkCosts, Regime, RegimeEvidence};
use decode::Slot;
use lm::LanguageModel;
use token::{Piece, NUM, RESERVED, UNK};
use crate::viet::{self, Casing, Syllable, Tone, ToneStyle};

/// Maps looked up for every token and candidate: short words and ids, for which SipHash
/// cost more than the rest of the lookup.
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<lm::KeyHasher>>;

/// One token the repair changed, for review by a clerk.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Correction {
    /// 1-based line in the text given to [`Repairer::repair`].
    pub line: u32,
    /// Byte offset of the corrected token in the repaired text.
    pub start: usize,
    pub original: String,
    pub corrected: String,
    /// Posterior probability of `corrected`, 0–1.
    pub confidence: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner_up: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Repaired {
    pub text: String,
    pub corrections: Vec<Correction>,
}

/// Most candidates a printed token gets from its letters (the most frequent first);
/// the rest almost never win and cost decoding time.
const MAX_SAME_LETTER_CANDIDATES: usize = 8;
/// Most candidates a garbled token keeps for the decoder, and how many letter skeletons
/// of it are looked up.
const MAX_CHANNEL_CANDIDATES: usize = 14;
/// A reading the channel gives less than this (log10) is not a candidate at all.
const MIN_CHANNEL_LOGP: f32 = -12.0;
const MAX_SKELETONS: usize = 12;
/// Skeletons looked up for a legacy token whose letters already spell a syllable
/// ("tac", "dé"): its marks were lost or misread far more often than its letters, and
/// the long shots only distract the decoder. Set on the real legacy sample, and held out
/// too: with 12 instead, the held-out legacy pages (b) go from 1.90% to 1.95% SER.
const LEGACY_SPELLED_SKELETONS: usize = 6;
/// Skeletons looked up for a word that is already a known syllable (no vowel swaps).
const KNOWN_WORD_SKELETONS: usize = 3;

/// Pseudo-count of the letter model in a `vie` whole-token confusion row (see
/// [`EngineModel::word_prior`]).
const VIE_WORD_ROW_PRIOR: f32 = 50.0;

/// Pseudo-count of the letter model in an `eng` whole-token row. Since the rows of words
/// the corpus writes in the old style (hóa, ủy, khóa) count (channel::canonical_word_rows),
/// a word seen 21 times priced its commonest reading by the row alone ("khoa" for khóa,
/// 7 in 21), below the letter model's price, and "khóa XII" became "khoa XII". Set on the
/// development sets (f-dev, e, dev-legacy citations) with `vanban eval repair` watched:
/// 0 → 25: f-dev 584 → 583 errors, e 89 → 89, dev-legacy cited issuers 114 → 116 of 116;
/// held-out b 90 → 90, b' 86 → 85, b" 101 → 100, f 67 → 67. (10 left "khoa"; 50 and 100
/// made e 91.)
const ENG_WORD_ROW_PRIOR: f32 = 25.0;

/// Channel log10-probability of an unknown syllable in a heading printed as it is (a
/// name the model does not know), against the candidates the channel reads into it.
const UNKNOWN_KEPT_LOGP: f32 = -0.05;

/// Largest weight of the scanned `vie` channel in the blend. Its mark slips are priced
/// tens of times higher than the clean channel's, so in the log-mixture a quarter of it
/// already sets their price (dev real pages: 139 errors at full weight, 138 at a quarter);
/// at full weight the degraded Liberation pages of `eval repair` (c), whose errors are not
/// a scan's, got 2 syllables worse and correct text 0.055% changed instead of 0.054%.
const SCAN_BLEND_SHARE: f32 = 0.25;

/// log10 by which another mark of a known word's letters gets cheaper on a page as noisy
/// as a real scan (scaled by the square of the page's noise, 0–1, so that nearly correct
/// text, whose unknown words are names, is hardly touched). Set on the 5 development
/// pages of the real scans (138 → 132 errors; 131 at 2.0) with `vanban eval repair`
/// watched: at 1.3, (c) degraded 0.221% → 0.203%, (c") 9.53% → 9.49%, (d) 0.053% →
/// 0.056%; with the noise not squared (d) rose to 0.060–0.081% and (c") got worse.
const REAL_WORD_BOOST: f32 = 1.3;

/// Text without sentence punctuation (a 1 MB line) is decoded in runs of this many
/// tokens, which bounds the decoder's memory; the language model barely sees past a few
/// words anyway.
const MAX_DECODED_RUN: usize = 256;

/// The OCR channel table in the dictionaries folder.
pub const CHANNEL_TABLE: &str = "ocr_channel.tsv";
/// The scanned `vie` channel (`vanban dict build --scan-channel`), learned from real-like
/// scans of corpus text apart from the main table, whose `eng` readings take hours.
pub const SCAN_CHANNEL_TABLE: &str = "ocr_channel_scan.tsv";
/// Hand-written confusions of real legacy text layers, added to the learned ones.
pub const MANUAL_CHANNEL_TABLE: &str = "ocr_channel_manual.tsv";

/// A loaded repair model. Load once per process and share across threads (it is `Sync`).
pub struct Repairer {
    lm: LanguageModel,
    /// Folded (unmarked) form → vocabulary ids, most frequent first.
    by_fold: FastMap<String, Vec<u32>>,
    /// The same, keyed by packed letter skeleton, for the channel's candidate search.
    by_skeleton: FastMap<Skeleton, Vec<u32>>,
    /// Abbreviations of the domain lexicon, kept exactly as written.
    keep: HashSet<String>,
    /// Learned confusions of the legacy engine (Tesseract `eng`) and of ours (`vie`).
    legacy: EngineModel,
    accented: EngineModel,
    /// Confusions of `vie` on real-like scans (colour, seals, JPEG, 150–200 DPI), blended
    /// into `accented` as much as a text's unknown words say it is that noisy.
    scanned: EngineModel,
    style: ToneStyle,
    /// Each vocabulary word in the official style (hòa, ủy), worked out once: every
    /// repaired word is written from here.
    official: Vec<String>,
}

/// What kind of text is being repaired: its regime, and for accented text how much of
/// the scanned `vie` channel to blend into the clean one (0 for correct text).
#[derive(Debug, Clone, Copy, PartialEq)]
struct TextKind {
    regime: Regime,
    scan_blend: f32,
}

/// The channel a token is priced with: one engine, or the clean `vie` one blended with
/// the scanned one.
#[derive(Clone, Copy)]
struct Channel<'a> {
    engine: &'a EngineModel,
    blend: Option<(&'a EngineModel, f32)>,
}

/// What the decoder does with one token of the input.
#[derive(Clone)]
enum Action {
    /// Kept as written; the language model sees it as this id.
    Fixed(u32),
    /// One of these candidates (vocabulary id, channel log10-probability) replaces it.
    /// Shared: every occurrence of a word in a text gets the same candidates.
    Choose(Rc<[(u32, f32)]>),
}

struct Token {
    line: usize,
    piece: Piece,
    action: Action,
    /// A sentence ends after this token (for the language model).
    ends_sentence: bool,
}

impl Repairer {
    /// Loads the dictionaries and models from `dir` (normally `dictionaries/`).
    pub fn load(dir: &Path) -> anyhow::Result<Repairer> {
        let lm = LanguageModel::load(dir)?;
        let mut by_fold: FastMap<String, Vec<u32>> = FastMap::default();
        // The vocabulary is stored most frequent first, so pushing in id order sorts.
        for (id, word) in lm.vocab.iter().enumerate().skip(RESERVED.len()) {
            by_fold.entry(viet::fold(word)).or_default().push(id as u32);
        }
        let by_skeleton = by_fold.iter().filter_map(|(fold, ids)| Some((Skeleton::of(fold)?, ids.clone()))).collect();
        let domain_path = dir.join("domain.txt");
        let domain = std::fs::read_to_string(&domain_path)
            .with_context(|| format!("{}: cannot read the domain lexicon", domain_path.display()))?;
        let keep = domain_section(&domain, "abbreviations").map(str::to_owned).collect();
        let channel_path = dir.join(CHANNEL_TABLE);
        let table = std::fs::read_to_string(&channel_path)
            .with_context(|| format!("{}: cannot read the OCR channel model; run `vanban dict ocr` and `vanban dict build`", channel_path.display()))?;
        let manual_path = dir.join(MANUAL_CHANNEL_TABLE);
        let table = match std::fs::read_to_string(&manual_path) {
            Ok(manual) => format!("{table}\n{manual}"),
            Err(_) => table,
        };
        // The scanned channel's own table, when built, takes the place of any `vie-scan`
        // rows of the main one.
        let table = match std::fs::read_to_string(dir.join(SCAN_CHANNEL_TABLE)) {
            Ok(scan) => {
                let main: Vec<&str> = table.lines().filter(|l| !is_scan_row(l)).collect();
                format!("{}\n{scan}", main.join("\n"))
            }
            Err(_) => table,
        };
        // Whole-token rows are smoothed towards the letter model: a row of a word seen a
        // few times is mostly chance. `vie` rows are mark slips the letter model prices
        // well, so it weighs more there; `eng` rows (misreadings the letter model prices
        // poorly, "cia" for của) are kept nearer to what was learned.
        let mut legacy = EngineModel::from_table(&table, "eng");
        legacy.word_prior = ENG_WORD_ROW_PRIOR;
        let mut accented = EngineModel::from_table(&table, "vie");
        accented.word_prior = VIE_WORD_ROW_PRIOR;
        let mut scanned = EngineModel::from_table(&table, ocr_sample::SCANNED_VIE);
        scanned.word_prior = VIE_WORD_ROW_PRIOR;
        // Current official documents (Decree 30/2020/NĐ-CP templates: "CỘNG HÒA", "Ủy ban")
        // place the tone as in hòa, ủy: that is what clerks see on paper.
        let official = lm.vocab.iter().map(|w| viet::canonical(w, ToneStyle::Old)).collect();
        Ok(Repairer { lm, by_fold, by_skeleton, keep, legacy, accented, scanned, style: ToneStyle::Old, official })
    }

    /// Writes repaired syllables with `style` tone placement (the default is that of
    /// official documents, [`ToneStyle::Old`]: hòa, ủy).
    pub fn with_style(mut self, style: ToneStyle) -> Repairer {
        self.style = style;
        self
    }

    pub fn language_model(&self) -> &LanguageModel {
        &self.lm
    }

    /// Repairs `text`, keeping its line structure.
    pub fn repair(&self, text: &str) -> Repaired {
        let text = viet::nfc(text);
        // Letters Tesseract prints as other glyphs (Ð for Đ, $ for S), undone line by line
        // before anything reads the words.
        let text: String = if text.contains(['Ð', 'ð', '$']) {
            text.split('\n').map(|line| token::dollar_as_s_in_line(&token::undo_eth_in_line(line)).into_owned()).collect::<Vec<_>>().join("\n")
        } else {
            text
        };
        // A number the line's end cut after its slash or hyphen is one token again.
        let text = numbers::join_broken_numbers(&text).unwrap_or(text);
        let lines: Vec<&str> = text.split('\n').collect();
        let kind = self.kind_of(&lines);
        let regime = kind.regime;
        let mut cache: FastMap<String, Action> = FastMap::default();
        let mut tokens: Vec<Token> = Vec::new();
        for (line_index, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                if let Some(last) = tokens.last_mut() {
                    last.ends_sentence = true;
                }
                continue;
            }
            let pieces = token::pieces(line);
            for (index, &piece) in pieces.iter().enumerate() {
                let core = piece.core(line);
                if core.is_empty() {
                    continue;
                }
                // The part of a document symbol after a slash that OCR spaced off
                // ("09-CTr /HU", "25-NQ/ TW") is an issuer code, not a word.
                let after_slash = line[piece.start..piece.core_start].contains('/')
                    || index > 0 && line[pieces[index - 1].core_end..pieces[index - 1].end].ends_with('/');
                if after_slash {
                    tokens.push(Token { line: line_index, piece, action: Action::Fixed(UNK), ends_sentence: piece.ends_sentence(line) });
                    continue;
                }
                // "b." or "d)" opening a line marks a list item, not a damaged syllable.
                let list_marker = index == 0 && core.chars().count() == 1 && matches!(&line[piece.core_end..piece.end], "." | ")");
                if list_marker {
                    tokens.push(Token { line: line_index, piece, action: Action::Fixed(UNK), ends_sentence: false });
                    continue;
                }
                let action = match cache.get(core) {
                    Some(action) => action.clone(),
                    None => {
                        let action = self.action_for(core, kind);
                        cache.insert(core.to_string(), action.clone());
                        action
                    }
                };
                tokens.push(Token { line: line_index, piece, action, ends_sentence: piece.ends_sentence(line) });
            }
        }
        self.keep_names(&lines, &mut tokens, regime);
        self.boost_mark_slips(&lines, &mut tokens, kind);
        let tokens = self.join_split_words(&lines, tokens, kind);
        self.decode_and_rewrite(&lines, &tokens)
    }

    /// In marked text, a capitalized word beside another capitalized word is most often
    /// part of a name (Krông Pắc, Mường Nhé, Phìn Hồ, Cư Jút): the language model knows few
    /// names and a well-formed syllable is far likelier printed right than misread, so it
    /// is kept as printed, as is a name that does not look Vietnamese at all, when the
    /// vocabulary does not know it.
    ///
    /// In a heading all in capitals every word is capitalized, so that says nothing of
    /// names ("THÀNH PHÓ CÀN THƠ"): there an unknown syllable keeps its channel
    /// candidates, with "a word the model does not know, printed right" as one more, which
    /// the language model prices as any unknown word in that place.
    fn keep_names(&self, lines: &[&str], tokens: &mut [Token], regime: Regime) {
        if regime != Regime::Accented {
            return;
        }
        let capitalized = |t: &Token| {
            let core = t.piece.core(lines[t.line]);
            core.chars().all(char::is_alphabetic) && Casing::of(core) != Casing::Lower
        };
        let in_capitals = |t: &Token| Casing::of(t.piece.core(lines[t.line])) == Casing::Upper;
        let in_name: Vec<(bool, bool)> = (0..tokens.len())
            .map(|i| {
                let beside: Vec<&Token> =
                    [i.checked_sub(1), Some(i + 1)].into_iter().flatten().filter_map(|j| tokens.get(j)).filter(|n| n.line == tokens[i].line).collect();
                let in_name = capitalized(&tokens[i]) && beside.iter().any(|n| capitalized(n));
                let heading = in_name && in_capitals(&tokens[i]) && beside.iter().filter(|n| capitalized(n)).all(|n| in_capitals(n));
                (in_name, heading)
            })
            .collect();
        for (token, (in_name, heading)) in tokens.iter_mut().zip(in_name) {
            let Action::Choose(candidates) = &token.action else { continue };
            if !in_name {
                continue;
            }
            let core = token.piece.core(lines[token.line]);
            // A known syllable stays with the decoder: OCR makes known words of known
            // words in headings too ("TỐ TỤNG" for TỔ TỤNG).
            let canonical = viet::canonical(core, ToneStyle::New);
            let own_id = self.lm.id(&canonical);
            if let Some(own) = own_id {
                // But beside a name (not in a heading) only its marks may be fixed: the
                // scanned channel reads letters for letters too, and a name's letters are
                // as printed far more often than the model knows the name ("Ea Súp" is no
                // "Eo Súp", "Đá Nàng" is Đà Nẵng).
                if !heading {
                    let fold = viet::fold(&canonical);
                    let marks_only: Vec<(u32, f32)> = candidates.iter().copied().filter(|c| viet::fold(self.lm.word(c.0)) == fold).collect();
                    token.action = if marks_only.len() > 1 { Action::Choose(marks_only.into()) } else { Action::Fixed(own) };
                }
                continue;
            }
            if heading && Syllable::parse(core).is_some() {
                let kept = candidates.iter().copied().chain([(UNK, UNKNOWN_KEPT_LOGP)]).collect::<Vec<_>>();
                token.action = Action::Choose(kept.into());
            } else if Syllable::parse(core).is_some() || looks_foreign(core) {
                token.action = Action::Fixed(UNK);
            } else if !heading {
                // An unknown word beside a name: its marks may be fixed, its letters stay
                // ("Ea Súp" is no "Ga Súp").
                let fold = viet::fold(&viet::canonical(core, ToneStyle::New));
                let marks_only: Vec<(u32, f32)> = candidates.iter().copied().filter(|c| viet::fold(self.lm.word(c.0)) == fold).collect();
                token.action = if marks_only.is_empty() { Action::Fixed(UNK) } else { Action::Choose(marks_only.into()) };
            }
        }
    }

    /// On a page as noisy as a real scan, a known word is wrong far more often than the
    /// letter model of one slip says: Tesseract `vie` reads a lost or shifted mark as
    /// another valid syllable (bàn → bản, cầu → câu, bất → bắt). There the other marks
    /// of the same letters are made cheaper in proportion to the page's noise, so that
    /// the language model's preference decides — but only where it sees the word's
    /// neighbours: beside an abbreviation or a number it knows too little, and a
    /// capitalized word is a name or opens a sentence ("Tịnh Phong", "Nay"). A printed
    /// tone mark is not taken away ("UBND tỉnh" → "tinh"): a scan loses marks, it
    /// seldom makes one up.
    fn boost_mark_slips(&self, lines: &[&str], tokens: &mut [Token], kind: TextKind) {
        let noise = kind.scan_blend / SCAN_BLEND_SHARE;
        let boost = REAL_WORD_BOOST * noise * noise;
        if kind.regime != Regime::Accented || boost <= 0.0 {
            return;
        }
        let opaque = |t: &Token| matches!(t.action, Action::Fixed(UNK) | Action::Fixed(NUM));
        for i in 0..tokens.len() {
            let Action::Choose(candidates) = &tokens[i].action else { continue };
            let core = tokens[i].piece.core(lines[tokens[i].line]);
            if !matches!(Casing::of(core), Casing::Lower | Casing::Upper) {
                continue;
            }
            let canonical = viet::canonical(core, ToneStyle::New);
            let Some(own) = self.lm.id(&canonical) else { continue };
            let before = i.checked_sub(1).map(|j| &tokens[j]).filter(|t| !t.ends_sentence);
            let after = tokens.get(i + 1).filter(|_| !tokens[i].ends_sentence);
            if before.is_some_and(opaque) || after.is_some_and(opaque) {
                continue;
            }
            let fold = viet::fold(&canonical);
            let keep = candidates.iter().find(|c| c.0 == own).map_or(0.0, |c| c.1);
            let tone = |w: &str| Syllable::parse(w).map(|s| s.tone);
            let printed_tone = tone(&canonical);
            let slip = |id: u32| {
                let word = self.lm.word(id);
                id != own && viet::fold(word) == fold && !(printed_tone != Some(Tone::Level) && tone(word) == Some(Tone::Level))
            };
            let boosted: Vec<(u32, f32)> =
                candidates.iter().map(|&(id, logp)| if slip(id) { (id, (logp + boost).min(keep)) } else { (id, logp) }).collect();
            tokens[i].action = Action::Choose(boosted.into());
        }
    }

    /// OCR splits words at a wide letter ("tr ong" = trong): a piece with no vowel
    /// cannot be a syllable, so it is joined to its neighbour when the two together
    /// read as one.
    fn join_split_words(&self, lines: &[&str], tokens: Vec<Token>, kind: TextKind) -> Vec<Token> {
        let vowelless = |core: &str| {
            core.chars().all(char::is_alphabetic)
                && Casing::of(core) != Casing::Upper
                && !core.chars().any(channel::is_vowel)
        };
        let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
        let mut iter = tokens.into_iter().peekable();
        while let Some(token) = iter.next() {
            if let Some(next) = iter.peek() {
                let line = lines[token.line];
                let (a, b) = (token.piece, next.piece);
                let adjacent = next.line == token.line && a.core_end == a.end && b.core_start == b.start;
                if adjacent && (vowelless(a.core(line)) || vowelless(b.core(line))) {
                    let joined = format!("{}{}", a.core(line), b.core(line));
                    if joined.chars().all(char::is_alphabetic) {
                        // Only when the joined letters are a known syllable as printed: a
                        // vowelless piece is more often a word whose vowel OCR lost ("tw" = tư).
                        let known = self.lm.id(&viet::canonical(&joined, ToneStyle::New)).is_some();
                        let action = match known.then(|| self.action_for(&joined, kind)) {
                            Some(Action::Fixed(id)) => Some(Action::Choose(Rc::from([(id, 0.0)]))),
                            choose @ Some(Action::Choose(_)) => choose,
                            None => None,
                        };
                        if let Some(action) = action {
                            let piece = Piece { start: a.start, end: b.end, core_start: a.core_start, core_end: b.core_end };
                            let ends_sentence = next.ends_sentence;
                            iter.next();
                            out.push(Token { line: token.line, piece, action, ends_sentence });
                            continue;
                        }
                    }
                }
            }
            out.push(token);
        }
        out
    }

    fn kind_of<'t>(&self, lines: &[&'t str]) -> TextKind {
        let mut seen: FastMap<&str, (bool, bool)> = FastMap::default();
        let evidence = RegimeEvidence::of_lines(lines, |core| self.is_repairable_word(core), |core| {
            *seen.entry(core).or_insert_with(|| {
                let canonical = viet::canonical(core, ToneStyle::New);
                (self.lm.id(&canonical).is_some(), self.by_fold.contains_key(&viet::fold(&canonical)))
            })
        });
        let regime = evidence.regime();
        let scan_blend = match (regime, self.scanned.noise) {
            (Regime::Accented, Some(noise)) => SCAN_BLEND_SHARE * noise.blend(evidence.unknown_share()),
            _ => 0.0,
        };
        tracing::debug!(?evidence, ?regime, scan_blend, "repair regime");
        TextKind { regime, scan_blend }
    }

    /// Words made only of letters and not in the keep list; numbers, symbols and
    /// abbreviations are never changed.
    fn is_repairable_word(&self, core: &str) -> bool {
        !core.is_empty() && core.chars().all(char::is_alphabetic) && !self.keep.contains(core)
    }

    fn action_for(&self, core: &str, kind: TextKind) -> Action {
        let regime = kind.regime;
        let legacy = Channel { engine: &self.legacy, blend: None };
        let accented = Channel { engine: &self.accented, blend: (kind.scan_blend > 0.0).then_some((&self.scanned, kind.scan_blend)) };
        let canonical = viet::canonical(core, ToneStyle::New);
        let own_id = self.lm.id(&canonical);
        let fixed = || {
            if let Some(id) = own_id {
                Action::Fixed(id)
            } else if core.chars().any(|c| c.is_ascii_digit()) {
                Action::Fixed(NUM)
            } else {
                Action::Fixed(UNK)
            }
        };
        if self.keep.contains(core) {
            return fixed();
        }
        let plain_word = core.chars().all(char::is_alphabetic);
        let casing = Casing::of(core);
        // In marked text, capitals without marks that spell no syllable are acronyms
        // (EU, GAP, NOC), not damaged words.
        if regime == Regime::Accented && casing == Casing::Upper && own_id.is_none() && !viet::has_marks(core) {
            return fixed();
        }
        let candidates = match regime {
            Regime::Legacy if self.is_garbled_word(core) => {
                let skeletons = if self.by_fold.contains_key(&viet::fold(&canonical)) { LEGACY_SPELLED_SKELETONS } else { MAX_SKELETONS };
                self.channel_candidates(&canonical, legacy, skeletons)
            }
            Regime::Accented if plain_word && own_id.is_none() => self.channel_candidates(&canonical, accented, MAX_SKELETONS),
            // A digit inside a marked word is a misread letter ("1à" = là, "c0n" = con);
            // a bare "1a" may be an item number and stays.
            Regime::Accented if !plain_word && self.is_garbled_word(core) && (viet::has_marks(core) || core.chars().filter(|c| c.is_alphabetic()).count() >= 2) => {
                self.channel_candidates(&canonical, accented, MAX_SKELETONS)
            }
            // A known word read by our OCR: its likely misreadings, priced by the letter
            // model learned from `vie` (few skeletons: the word is probably right).
            Regime::Accented if plain_word && core.chars().count() <= 9 => self.channel_candidates(&canonical, accented, KNOWN_WORD_SKELETONS),
            _ if plain_word => {
                let costs = match regime {
                    Regime::Unaccented if !viet::has_marks(core) => MarkCosts::UNACCENTED,
                    _ => self.accented.marks.unwrap_or(MarkCosts::ACCENTED),
                };
                // Capitalized words are often names, which the language model predicts
                // poorly: ask it for twice the evidence before changing one.
                let costs = if casing == Casing::Lower || own_id.is_none() { costs } else { costs.scaled(2.0) };
                self.same_letter_candidates(&canonical, own_id, &costs)
            }
            _ => Vec::new(),
        };
        if tracing::enabled!(tracing::Level::TRACE) {
            let listed: Vec<String> = candidates.iter().map(|(id, logp)| format!("{}:{logp:.2}", self.lm.word(*id))).collect();
            tracing::trace!(core, ?regime, candidates = listed.join(" "), "repair candidates");
        }
        if candidates.is_empty() || candidates.len() == 1 && Some(candidates[0].0) == own_id {
            return fixed();
        }
        Action::Choose(candidates.into())
    }

    /// A token legacy OCR may have made from a syllable: letters, maybe a digit or two
    /// standing for a marked letter ("s6" = số), and not an abbreviation in capitals.
    fn is_garbled_word(&self, core: &str) -> bool {
        let letters = core.chars().filter(|&c| c.is_alphabetic() || token::is_misread_letter(c)).count();
        let digits = core.chars().filter(|c| c.is_ascii_digit()).count();
        // An apostrophe inside a word is a hook OCR split off its letter ("thu'c" = thực).
        let all_alnum = core.chars().all(|c| c.is_alphanumeric() || token::is_misread_letter(c) || matches!(c, '\'' | '‘' | '’'));

        all_alnum && letters >= 1 && digits <= 1 && core.chars().count() <= 9 && !(Casing::of(core) == Casing::Upper && Syllable::parse(core).is_none() && !self.by_fold.contains_key(&viet::fold(&core.to_lowercase())))
    }

    /// Syllables with the same letters as the token, priced by mark slips.
    fn same_letter_candidates(&self, canonical: &str, own_id: Option<u32>, costs: &MarkCosts) -> Vec<(u32, f32)> {
        let Some(same_letters) = self.by_fold.get(&viet::fold(canonical)) else { return Vec::new() };
        let mut candidates: Vec<(u32, f32)> = same_letters
            .iter()
            .take(MAX_SAME_LETTER_CANDIDATES)
            .map(|&id| (id, costs.cost(canonical, self.lm.word(id))))
            .collect();
        if let Some(id) = own_id {
            if !candidates.iter().any(|c| c.0 == id) {
                candidates.push((id, costs.keep));
            }
        }
        candidates
    }

    /// Everything the channel can reach from a garbled token: known whole-token
    /// confusions, and the syllables of every letter skeleton it may have come from,
    /// each priced by the learned letter model.
    fn channel_candidates(&self, canonical: &str, channel: Channel, max_skeletons: usize) -> Vec<(u32, f32)> {
        let engine = channel.engine;
        let printed: Vec<char> = canonical.chars().collect();
        let mut found: FastMap<u32, f32> = FastMap::default();
        let mut speller = BlendedSpeller::new(channel, &printed);
        // Whole-token confusions: P(token | word) of each engine, each smoothed towards its
        // letter model, then blended.
        let rows = |model: &EngineModel| -> Vec<(u32, (f32, f32))> {
            model.words.get(canonical).into_iter().flatten().filter_map(|(source, c, t)| Some((self.lm.id(source)?, (*c, *t)))).collect()
        };
        let (main_rows, blend_rows) = (rows(engine), channel.blend.map(|(model, _)| rows(model)).unwrap_or_default());
        let mut source: Vec<char> = Vec::new();
        for &id in main_rows.iter().chain(&blend_rows).map(|(id, _)| id) {
            if found.contains_key(&id) {
                continue;
            }
            source.clear();
            source.extend(self.lm.word(id).chars());
            let row = |rows: &[(u32, (f32, f32))]| rows.iter().find(|r| r.0 == id).map(|r| r.1);
            found.insert(id, speller.logp_with_rows(&source, row(&main_rows), row(&blend_rows)));
        }
        let mut skeletons: Vec<Skeleton> = engine.skeletons(&printed, max_skeletons).into_iter().map(|s| s.0).collect();
        if let Some((scanned, _)) = channel.blend {
            for (s, _) in scanned.skeletons(&printed, max_skeletons) {
                if !skeletons.contains(&s) {
                    skeletons.push(s);
                }
            }
        }
        // Legacy engines print any marked vowel as any other ("chép" for chấp): also try
        // the best skeletons with one vowel swapped; the letter model prices the swap.
        let direct = skeletons.len();
        // So do the best skeletons of another first letter or length ("Piy" = Đẩy: P for
        // Đ and i for ẩ at once).
        let mut swap_bases: Vec<Skeleton> = skeletons.iter().take(3.min(max_skeletons / 4)).copied().collect();
        if max_skeletons >= MAX_SKELETONS {
            let mut shapes: Vec<(Option<char>, u32)> = swap_bases.iter().map(|s| (s.first(), s.len())).collect();
            for s in skeletons.iter().skip(3) {
                let shape = (s.first(), s.len());
                if s.first().is_some() && !shapes.contains(&shape) && shapes.len() < 5 {
                    shapes.push(shape);
                    swap_bases.push(*s);
                }
            }
        }
        skeletons.extend(swap_bases.into_iter().flat_map(Skeleton::vowel_swaps));
        // Old layers lose whole vowels ("Mt tran" = Mặt trận, "cht luong" = chất lượng):
        // a word with no vowel left also tries its best skeleton with one put back.
        let vowelless = !printed.iter().any(|&c| channel::is_vowel(c));
        if vowelless && std::ptr::eq(engine, &self.legacy) {
            let inserted: Vec<Skeleton> = skeletons.iter().take(2).flat_map(|s| s.vowel_insertions()).collect();
            skeletons.extend(inserted);
        }
        let mut pool: Vec<u32> = Vec::new();
        for (rank, skeleton) in skeletons.iter().enumerate() {
            let Some(ids) = self.by_skeleton.get(skeleton) else { continue };
            // A swapped vowel is a long shot: only its most frequent syllables are worth pricing.
            let wide = rank < direct && max_skeletons >= MAX_SKELETONS;
            let take = if wide { 2 * MAX_SAME_LETTER_CANDIDATES } else { MAX_SAME_LETTER_CANDIDATES };
            pool.extend(ids.iter().take(take).filter(|id| !found.contains_key(id)));
        }
        // Candidates are ranked by channel + unigram, and the channel's log-probability is
        // never above zero: priced in falling unigram order, the pricing can stop once
        // the kept candidates all rank above the next one's unigram alone.
        let rank_of = |id: u32, channel: f32| channel + self.lm.unigram(id);
        pool.sort_unstable_by(|a, b| self.lm.unigram(*b).total_cmp(&self.lm.unigram(*a)).then(a.cmp(b)));
        pool.dedup();
        let mut kept: Vec<f32> = found.iter().filter(|c| *c.1 > MIN_CHANNEL_LOGP).map(|(&id, &lp)| rank_of(id, lp)).collect();
        kept.sort_unstable_by(|a, b| b.total_cmp(a));
        kept.truncate(MAX_CHANNEL_CANDIDATES);
        for id in pool {
            if kept.len() == MAX_CHANNEL_CANDIDATES && kept[MAX_CHANNEL_CANDIDATES - 1] > self.lm.unigram(id) {
                break;
            }
            source.clear();
            source.extend(self.lm.word(id).chars());
            let logp = speller.logp(&source);
            found.insert(id, logp);
            if logp > MIN_CHANNEL_LOGP {
                let rank = rank_of(id, logp);
                let at = kept.partition_point(|k| *k >= rank);
                kept.insert(at, rank);
                kept.truncate(MAX_CHANNEL_CANDIDATES);
            }
        }
        let mut candidates: Vec<(u32, f32)> = found.into_iter().filter(|c| c.1 > MIN_CHANNEL_LOGP).collect();
        candidates.sort_by(|a, b| rank_of(b.0, b.1).total_cmp(&rank_of(a.0, a.1)).then(a.0.cmp(&b.0)));
        candidates.truncate(MAX_CHANNEL_CANDIDATES);
        // The word as printed, when it is a known syllable, always stays in the running:
        // a rare word must not be replaced just because its neighbours are more frequent.
        if let Some(own) = self.lm.id(canonical) {
            if !candidates.iter().any(|c| c.0 == own) {
                candidates.push((own, speller.logp(&printed)));
            }
        }
        candidates
    }

    fn decode_and_rewrite(&self, lines: &[&str], tokens: &[Token]) -> Repaired {
        // Decode sentence by sentence.
        let mut chosen: Vec<Option<(u32, f32, Option<u32>)>> = vec![None; tokens.len()];
        let mut start = 0;
        let fixed: Vec<[(u32, f32); 1]> = tokens
            .iter()
            .map(|t| match t.action {
                Action::Fixed(id) => [(id, 0.0)],
                Action::Choose(_) => [(UNK, 0.0)],
            })
            .collect();
        let mut slots: Vec<Slot> = Vec::new();
        for end in 0..tokens.len() {
            let long_enough = end + 1 - start >= MAX_DECODED_RUN;
            if !(tokens[end].ends_sentence || end + 1 == tokens.len() || long_enough) {
                continue;
            }
            slots.clear();
            slots.extend(tokens[start..=end].iter().zip(&fixed[start..=end]).map(|(t, fixed)| Slot {
                candidates: match &t.action {
                    Action::Fixed(_) => fixed,
                    Action::Choose(c) => c,
                },
            }));
            let decoded = decode::decode(&self.lm, &slots);
            for (i, t) in tokens[start..=end].iter().enumerate() {
                if let Action::Choose(c) = &t.action {
                    let runner = decoded.runner_up[i].map(|j| c[j].0);
                    chosen[start + i] = Some((c[decoded.choice[i]].0, decoded.confidence[i], runner));
                }
            }
            start = end + 1;
        }
        // Rewrite each line with the chosen words.
        let mut out = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        let mut corrections = Vec::new();
        let mut next_token = 0;
        for (line_index, line) in lines.iter().enumerate() {
            if line_index > 0 {
                out.push('\n');
            }
            let mut copied = 0;
            while next_token < tokens.len() && tokens[next_token].line == line_index {
                let t = &tokens[next_token];
                let slot_choice = chosen[next_token];
                let k = next_token;
                next_token += 1;
                let Some((id, confidence, runner)) = slot_choice else {
                    // A document number keeps its digits and letters; only the Đ legacy OCR
                    // cannot read is put back (numbers::official_spelling).
                    let original = t.piece.core(line);
                    if let Some(spelled) = numbers::official_spelling(original) {
                        out.push_str(&line[copied..t.piece.core_start]);
                        let start = out.len();
                        out.push_str(&spelled);
                        copied = t.piece.core_end;
                        corrections.push(Correction { line: line_index as u32 + 1, start, original: original.to_string(), corrected: spelled, confidence: 1.0, runner_up: None });
                    }
                    continue;
                };
                // The unknown word of a heading, kept as printed.
                if id == UNK {
                    continue;
                }
                let original = t.piece.core(line);
                let casing = self.casing_in_context(lines, tokens, k, self.lm.word(id));
                let written = casing.apply(self.style_word(id));
                if written == original {
                    continue;
                }
                out.push_str(&line[copied..t.piece.core_start]);
                let start = out.len();
                out.push_str(&written);
                copied = t.piece.core_end;
                // A change of tone placement or case only is a normalization, not a correction.
                if viet::canonical(original, ToneStyle::New) != self.lm.word(id) {
                    corrections.push(Correction {
                        line: line_index as u32 + 1,
                        start,
                        original: original.to_string(),
                        corrected: written,
                        confidence,
                        runner_up: runner.map(|r| if r == UNK { original.to_string() } else { casing.apply(self.style_word(r)) }),
                    });
                }
            }
            out.push_str(&line[copied..]);
        }
        Repaired { text: out, corrections }
    }

    /// The letter case token `k` is written in when it becomes `word`: its own, except that
    /// legacy OCR reads a small marked vowel as its capital ("cua BO trudng BO Tai chinh":
    /// ộ read as O), so a short word in capitals that the repair gives marks, standing
    /// between words in small letters, is a word with a capital first letter ("Bộ"), not
    /// a heading's word (a heading's neighbours are capitals too) nor an acronym (which
    /// gets no marks).
    fn casing_in_context(&self, lines: &[&str], tokens: &[Token], k: usize, word: &str) -> Casing {
        let core = |t: &Token| t.piece.core(lines[t.line]);
        let original = core(&tokens[k]);
        let casing = Casing::of(original);
        if casing != Casing::Upper || original.chars().count() > 3 || viet::canonical(original, ToneStyle::New).to_lowercase() == word {
            return casing;
        }
        let in_small_letters = |t: Option<&Token>| {
            t.map(core).is_some_and(|w| w.chars().any(char::is_lowercase) && Casing::of(w) != Casing::Upper)
        };
        let before = k.checked_sub(1).and_then(|p| tokens.get(p));
        if in_small_letters(before) && in_small_letters(tokens.get(k + 1)) {
            Casing::Title
        } else {
            casing
        }
    }

    /// A vocabulary word (stored in the new style) written in the configured style.
    fn style_word(&self, id: u32) -> &str {
        match self.style {
            ToneStyle::New => self.lm.word(id),
            ToneStyle::Old => &self.official[id as usize],
        }
    }
}

/// Scores candidates against one printed token under a [`Channel`]: the engine's letter
/// model, or the mixture of the clean and scanned `vie` ones.
struct BlendedSpeller<'a> {
    main: channel::Speller<'a>,
    blend: Option<(channel::Speller<'a>, f32)>,
}

impl<'a> BlendedSpeller<'a> {
    fn new(channel: Channel<'a>, printed: &'a [char]) -> Self {
        BlendedSpeller { main: channel.engine.speller(printed), blend: channel.blend.map(|(model, weight)| (model.speller(printed), weight)) }
    }

    /// log10 P(printed | source) = log10((1 − w) P_clean + w P_scanned).
    fn logp(&mut self, source: &[char]) -> f32 {
        self.logp_with_rows(source, None, None)
    }

    /// The same, where either engine may have a whole-token row (times read so, times
    /// seen) for this source.
    fn logp_with_rows(&mut self, source: &[char], main_row: Option<(f32, f32)>, blend_row: Option<(f32, f32)>) -> f32 {
        let main = self.main.logp(source);
        let main = match main_row {
            Some(row) => self.main.engine().word_probability(row, main).log10(),
            None => main,
        };
        match &mut self.blend {
            None => main,
            Some((other, weight)) => {
                let letters = other.logp(source);
                let other = match blend_row {
                    Some(row) => other.engine().word_probability(row, letters).log10(),
                    None => letters,
                };
                let high = main.max(other);
                if high == f32::NEG_INFINITY {
                    return high;
                }
                high + ((1.0 - *weight) * 10f32.powf(main - high) + *weight * 10f32.powf(other - high)).log10()
            }
        }
    }
}

/// A row of the channel table about the scanned `vie` channel (its engine column, or the
/// noise row).
fn is_scan_row(line: &str) -> bool {
    line.split('\t').nth(1) == Some(ocr_sample::SCANNED_VIE)
}

/// A name in Latin letters that no Vietnamese syllable spells: letters Vietnamese does
/// not use (Jút) or a consonant cluster before the vowel (Krông, Plông; "tr" is Vietnamese).
fn looks_foreign(word: &str) -> bool {
    let lower: Vec<char> = word.to_lowercase().chars().collect();
    let cluster = lower.len() >= 3 && matches!(lower[0], 'b' | 'c' | 'd' | 'g' | 'k' | 'p') && matches!(lower[1], 'r' | 'l');
    cluster || lower.iter().any(|c| matches!(c, 'f' | 'j' | 'w' | 'z'))
}

/// The lines of one `[section]` of the domain lexicon, without comments.
pub(crate) fn domain_section<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let header = format!("[{name}]");
    text.lines()
        .map(str::trim)
        .skip_while(move |l| *l != header)
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}
