//! The names of laws, codes and ordinances that exist, for a law cited by name only.
//!
//! A law cited by its name ("Căn cứ Luật Tổ chức chính quyền địa phương …") has no number
//! for the grammar to judge: OCR damage in its name ("Luật Tô Ổ chức", "Luật Xử ý vi phạm
//! hành chính", "Luật Ban hành văn bản q1 phạm pháp luật") makes a citation no clerk can
//! look up and that matches no other citation of the same law. The names the legal corpus
//! cites (`laws.tsv`, built by `vanban dict authority`: every name cited in at least two
//! corpus files) are the reference: a name read is respelled as the known name it folds to
//! (diacritics, case, spaces and marks aside), or taken to the one known name a letter or
//! two away when no other known name is as near and the name is long enough for that to be
//! no other law's.
//!
//! A legacy text layer (Tesseract `eng`) damages more than a letter or two: "Luat T6é chttc
//! chinh quyén dia phuong", "Luat Can be, ceng chic", "Luat Vién chic". Such a name is read
//! ([`LawNames::read`]) word for word against the known names of as many words, each word
//! printed otherwise than the known one priced by the learned OCR channel (the repair's
//! `eng` letter model, `dictionaries/ocr_channel.tsv`: P(printed | word), "chttc" for chức,
//! "6é" for ổ): the name is taken only when every damaged word is a likely reading of the
//! known word and no other known name is nearly as likely; two as likely make it unsure.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::repair::channel::EngineModel;

/// Known names by key ([`key`]), and the keys for the search of a damaged one.
#[derive(Default)]
pub struct LawNames {
    by_key: HashMap<String, String>,
    /// (key as chars, key) for the near search.
    keys: Vec<(Vec<char>, String)>,
    /// Each name's words, lower case with their marks, and folded (for [`LawNames::read`]).
    words: Vec<(Vec<Vec<char>>, Vec<String>, String)>,
}

/// What a printed law name was read as ([`LawNames::read`]).
#[derive(Debug, Clone, PartialEq)]
pub enum LawReading<'a> {
    /// A known name: folded alike, or a letter or two from a long one ([`LawNames::canonical`]).
    Known(&'a str),
    /// Damaged by OCR beyond that, and one known name is clearly the likeliest reading:
    /// the name, how sure (its share of the probability among the known names, at most
    /// [`MAX_CONFIDENCE`]), and whether it is sure enough to need no review (every word
    /// printed otherwise is together a reading at least as likely as [`SURE_LOG10_P`]).
    Damaged { name: &'a str, confidence: f32, sure: bool },
    /// Damaged, and two or more known names are about as likely: none is taken.
    Unsure(Vec<&'a str>),
}

/// Least log10 P(printed word | known word) for a word printed otherwise than the known
/// one. Another real word is far below it ("cong" for chức: −13.5; "chinh" for quốc: −37);
/// a word that differs from the known one by a vowel only may come near it ("so" for sự:
/// −3.5), which the other bounds (the rival names, the words printed right) guard.
const MIN_WORD_LOG10_P: f32 = -5.0;
/// A damaged name whose words printed otherwise are together at least this likely (one
/// reading in a thousand, the order of the keyword readings' bound in `cite::ocr_words`)
/// is taken without review; a less likely one is taken and flagged.
pub const SURE_LOG10_P: f32 = -3.0;
/// The likeliest name must be this much likelier (log10) than the next one to be taken.
const MIN_LOG10_MARGIN: f32 = 2.0;
/// The least share of a damaged name's words that must be printed right (folded alike).
const MIN_RIGHT_SHARE: f32 = 0.4;
/// The most a damaged name's reading is trusted: a law the list does not hold may be
/// what was printed.
pub const MAX_CONFIDENCE: f32 = 0.9;

/// Whether a printed word holds a letter legacy OCR (an engine without Vietnamese) does not
/// print: ơ, ư, ă, đ, a dot below, a hook. Such a word came from a reader that knows
/// Vietnamese (or a person), which misreads marks, not letters.
fn has_vietnamese_letter(word: &[char]) -> bool {
    word.iter().any(|&c| c.is_alphabetic() && c as u32 > 0xFF)
}

/// The learned letter model of the legacy engine, compiled in (extraction stays a pure
/// function of text), with the hand-written supplement's rows (its shape-blind mix).
fn legacy_channel() -> &'static EngineModel {
    static MODEL: OnceLock<EngineModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        let table = format!("{}\n{}", include_str!("../../dictionaries/ocr_channel.tsv"), include_str!("../../dictionaries/ocr_channel_manual.tsv"));
        EngineModel::from_table(&table, "eng")
    })
}

/// The words of a name as compared by [`LawNames::read`]: split at spaces and commas,
/// marks around a word dropped, lower case; a word with no letter or digit is no word.
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A name as compared: no diacritics, lower case, letters and digits only.
pub fn key(name: &str) -> String {
    crate::viet::fold(name).to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect()
}

/// How many letter edits a name of `len` key chars may carry: none under 14 (the short
/// names of different laws are a letter or two apart: "Luật Thuế" …), then one per 15 chars.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=13 => 0,
        14..=29 => 1,
        30..=49 => 2,
        _ => 3,
    }
}

impl LawNames {
    /// Parses `laws.tsv`: `name<TAB>files`, `#` comments.
    pub fn parse(text: &str) -> LawNames {
        let mut names = LawNames::default();
        for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let name = line.split('\t').next().unwrap_or_default().trim();
            let k = key(name);
            if k.is_empty() || names.by_key.contains_key(&k) {
                continue;
            }
            names.by_key.insert(k.clone(), name.to_owned());
            let words = name_words(name);
            let folded = words.iter().map(|w| key(w)).collect();
            names.words.push((words.iter().map(|w| w.chars().collect()).collect(), folded, k.clone()));
            names.keys.push((k.chars().collect(), k));
        }
        names
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The known name `printed` stands for: the same name folded alike, or the one known
    /// name within the allowed edits with no rival as near. `None` when none is.
    pub fn canonical(&self, printed: &str) -> Option<&str> {
        let k = key(printed);
        if let Some(name) = self.by_key.get(&k) {
            return Some(name);
        }
        let chars: Vec<char> = k.chars().collect();
        let limit = allowed_edits(chars.len());
        if limit == 0 {
            return None;
        }
        let mut best: Option<(usize, &str)> = None;
        let mut tie = false;
        for (candidate, candidate_key) in &self.keys {
            if candidate.len().abs_diff(chars.len()) > limit || allowed_edits(candidate.len()) == 0 {
                continue;
            }
            let Some(d) = bounded_distance(&chars, candidate, limit) else { continue };
            match best {
                Some((b, _)) if d > b => {}
                Some((b, _)) if d == b => tie = true,
                _ => {
                    best = Some((d, candidate_key));
                    tie = false;
                }
            }
        }
        let (_, found) = best.filter(|_| !tie)?;
        self.by_key.get(found).map(String::as_str)
    }

    /// What `printed` names: a known name ([`LawNames::canonical`]), or the one known name
    /// of as many words that the OCR channel makes clearly the likeliest reading of it (see
    /// the module's doc). `None` when no known name is a likely reading.
    pub fn read(&self, printed: &str) -> Option<LawReading<'_>> {
        if let Some(name) = self.canonical(printed) {
            return Some(LawReading::Known(name));
        }
        let printed_words = name_words(printed);
        let n = printed_words.len();
        if n < 2 {
            return None;
        }
        let printed_keys: Vec<String> = printed_words.iter().map(|w| key(w)).collect();
        let printed_chars: Vec<Vec<char>> = printed_words.iter().map(|w| w.chars().collect()).collect();
        let channel = legacy_channel();
        let mut spellers: Vec<Option<crate::repair::channel::Speller<'_>>> = (0..n).map(|_| None).collect();
        let mut scored: Vec<(f32, &str)> = Vec::new();
        'names: for (words, folded, k) in &self.words {
            // The same number of words, the first one ("Luật", "Bộ luật") printed right.
            if words.len() != n || folded[0] != printed_keys[0] {
                continue;
            }
            // Besides the first word, one at least printed right ("Luật Gi…", a name cut
            // short, is not "Luật Giá").
            let right = folded.iter().zip(&printed_keys).filter(|(a, b)| a == b).count();
            if right < 2 || (right as f32) < MIN_RIGHT_SHARE * n as f32 {
                continue;
            }
            let mut logp = 0.0;
            for (i, word) in words.iter().enumerate() {
                if folded[i] == printed_keys[i] {
                    continue;
                }
                // Legacy OCR prints a mark as a glyph of its own or drops it, and a letter
                // as another or as two; it seldom loses a whole letter: a word printed
                // shorter than the known one is another word, or one cut short.
                if has_vietnamese_letter(&printed_chars[i]) || printed_chars[i].len() < word.len() {
                    continue 'names;
                }
                let speller = spellers[i].get_or_insert_with(|| channel.speller(&printed_chars[i]));
                let p = speller.logp(word);
                if p < MIN_WORD_LOG10_P {
                    continue 'names;
                }
                logp += p;
            }
            if let Some(name) = self.by_key.get(k) {
                scored.push((logp, name.as_str()));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let &(best, name) = scored.first()?;
        let rivals: Vec<&str> = scored.iter().skip(1).take_while(|(p, _)| best - p < MIN_LOG10_MARGIN).map(|&(_, n)| n).collect();
        if !rivals.is_empty() {
            return Some(LawReading::Unsure(std::iter::once(name).chain(rivals).collect()));
        }
        let total: f32 = scored.iter().map(|(p, _)| 10f32.powf(p - best)).sum();
        Some(LawReading::Damaged { name, confidence: MAX_CONFIDENCE / total, sure: best >= SURE_LOG10_P })
    }
}

/// Levenshtein distance of `a` and `b` if it is at most `limit` (a band of the table).
fn bounded_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    let big = limit + 1;
    let mut previous: Vec<usize> = (0..=b.len()).map(|j| j.min(big)).collect();
    let mut current = vec![big; b.len() + 1];
    for i in 1..=a.len() {
        current.fill(big);
        current[0] = i.min(big);
        let from = i.saturating_sub(limit).max(1);
        let to = (i + limit).min(b.len());
        let mut row_min = current[0];
        for j in from..=to {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let value = substitution.min(previous[j] + 1).min(current[j - 1] + 1).min(big);
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    (previous[b.len()] <= limit).then_some(previous[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> LawNames {
        LawNames::parse(
            "# test\nLuật Tổ chức chính quyền địa phương\t50\nLuật Tổ chức Chính phủ\t40\nLuật Xử lý vi phạm hành chính\t30\n\
             Luật Đất đai\t60\nLuật Nhà ở\t20\nLuật Ban hành văn bản quy phạm pháp luật\t70\n",
        )
    }

    #[test]
    fn a_name_folded_alike_takes_the_known_spelling() {
        assert_eq!(names().canonical("Luật Đắt đai"), Some("Luật Đất đai"));
        assert_eq!(names().canonical("Luật T Ổ chức chính quyên địa phương"), Some("Luật Tổ chức chính quyền địa phương"));
    }

    #[test]
    fn a_long_name_a_letter_or_two_away_takes_the_known_one() {
        assert_eq!(names().canonical("Luật Tô Ổ chức chính quyền địa phương"), Some("Luật Tổ chức chính quyền địa phương"));
        assert_eq!(names().canonical("Luật Xử ý vi phạm hành chính"), Some("Luật Xử lý vi phạm hành chính"));
        assert_eq!(names().canonical("Luật Ban hành văn bản q1 phạm pháp luật"), Some("Luật Ban hành văn bản quy phạm pháp luật"));
    }

    #[test]
    fn short_names_and_far_names_are_left_alone() {
        // "Luật Nhà o" is one letter from "Luật Nhà ở" folded alike: respelled; "Luật Nha" is not.
        assert_eq!(names().canonical("Luật Nhà"), None);
        assert_eq!(names().canonical("Luật Đầu tư công"), None);
        assert_eq!(names().canonical("Luật Tổ chức Quốc hội"), None);
    }

    fn read<'a>(names: &'a LawNames, printed: &str) -> Option<LawReading<'a>> {
        names.read(printed)
    }

    fn more_names() -> LawNames {
        LawNames::parse(
            "Luật Tổ chức chính quyền địa phương\t50\nLuật Tổ chức Chính phủ\t40\nLuật Cán bộ, công chức\t7\nLuật Viên chức\t10\n\
             Luật Giá\t9\nLuật Dược\t9\nLuật Dân số\t3\n",
        )
    }

    #[test]
    fn a_name_legacy_ocr_damaged_is_read_as_the_one_likely_known_name() {
        let names = more_names();
        // Marks printed as glyphs of their own or as other letters (Tesseract eng).
        for (printed, want) in [
            ("Luat T6é chttc chinh quyén dia phuong", Some("Luật Tổ chức chính quyền địa phương")),
            ("Luat Té chifc chinh quyén dia phuong", Some("Luật Tổ chức chính quyền địa phương")),
            ("Luat T6 cht’c Chinh phi", Some("Luật Tổ chức Chính phủ")),
            ("Luat Can be, ceng chic", Some("Luật Cán bộ, công chức")),
            ("Luat Vién chic", Some("Luật Viên chức")),
        ] {
            let got = match read(&names, printed) {
                Some(LawReading::Damaged { name, confidence, .. }) => {
                    assert!(confidence > 0.5 && confidence <= MAX_CONFIDENCE, "{printed}: {confidence}");
                    Some(name)
                }
                Some(LawReading::Known(name)) => panic!("{printed}: known {name}"),
                _ => None,
            };
            assert_eq!(got, want, "{printed}");
        }
        // A reading one in a thousand or likelier needs no review; a less likely one does.
        assert!(matches!(read(&names, "Luat Vién chic"), Some(LawReading::Damaged { sure: true, .. })));
        assert!(matches!(read(&names, "Luat Can be, ceng chic"), Some(LawReading::Damaged { sure: false, .. })));
    }

    #[test]
    fn other_words_cut_names_and_vietnamese_letters_are_not_taken_for_damage() {
        let names = more_names();
        // Another law the list does not hold, a name cut short, a first word printed otherwise.
        assert_eq!(read(&names, "Luật Công chức"), None);
        assert_eq!(read(&names, "Luat Cong chic"), None);
        assert_eq!(read(&names, "Luật Gi"), None);
        assert_eq!(read(&names, "Luật Do"), None);
        assert_eq!(read(&names, "Laat Vién chic"), None);
        // A word printed with letters only a Vietnamese reader prints is read as printed:
        // "Luật Dân sự" is not the "Luật Dân số" of the list.
        assert_eq!(read(&names, "Luật Dân sự"), None);
        // Printed right: known.
        assert_eq!(read(&names, "Luat Vien chuc"), Some(LawReading::Known("Luật Viên chức")));
    }

    #[test]
    fn two_known_names_as_likely_make_the_reading_unsure() {
        // "dic" is as likely a reading of đạc as of đục (a made-up second law, for the rule).
        let names = LawNames::parse("Luật Đo đạc và bản đồ\t3\nLuật Đo đục và bản đồ\t3\n");
        match read(&names, "Luat Do dic va ban do") {
            Some(LawReading::Unsure(both)) => assert_eq!(both.len(), 2),
            other => panic!("{other:?}"),
        }
        // Alone in the list, it is the reading (a letter from it: the near search's).
        let one = LawNames::parse("Luật Đo đạc và bản đồ\t3\n");
        assert_eq!(one.canonical("Luat Do dic va ban do"), Some("Luật Đo đạc và bản đồ"));
    }

    #[test]
    fn the_band_distance_is_the_edit_distance_up_to_its_limit() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(bounded_distance(&c("kitten"), &c("sitting"), 3), Some(3));
        assert_eq!(bounded_distance(&c("kitten"), &c("sitting"), 2), None);
        assert_eq!(bounded_distance(&c("abc"), &c("abc"), 1), Some(0));
    }
}
