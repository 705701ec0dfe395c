//! The spellings OCR makes of the few words the citation grammar keys on ("của", "số",
//! "thực hiện", "căn cứ", "ngày"…), derived from the learned OCR channel rather than listed.
//!
//! Why: a legacy text layer prints "của" as `ctia`, `cia`, `cla`; a list of such spellings
//! copied from one sample only fits that sample. The channel (`dictionaries/ocr_channel.tsv`
//! and its hand-written supplement, learned by rendering corpus text and reading it with
//! Tesseract, see `src/repair/channel.rs`) says how likely each letter is read as each
//! piece; every reading of a keyword whose probability is at least [`MIN_LOG10_P`] is
//! accepted as that keyword. The threshold was fixed before looking at any sample: one
//! reading in about 300.
//!
//! The channel tables are compiled in, so that extraction stays a pure function of text.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Keywords, folded: the words the grammar matches on by themselves.
const KEYWORDS: &[&str] = &[
    "của", "số", "thực", "hiện", "căn", "cứ", "ngày", "tháng", "năm", "triển", "khai", "quán", "triệt", "thay", "thế", "sửa", "đổi",
    "bổ", "sung", "bãi", "bỏ", "theo", "về", "mẫu", "một", "điều",
];

/// Least log10 probability of a reading for it to count as the keyword.
const MIN_LOG10_P: f32 = -2.5;
/// Pieces of a letter less likely than this are not tried (they could only make readings
/// below [`MIN_LOG10_P`] together with others).
const MIN_PIECE_SHARE: f32 = 0.003;
/// Readings kept per keyword (most likely first).
const MAX_READINGS: usize = 60;

/// Folded reading → folded keyword.
fn readings() -> &'static HashMap<String, &'static str> {
    static READINGS: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    READINGS.get_or_init(|| {
        let tables = [include_str!("../../dictionaries/ocr_channel.tsv"), include_str!("../../dictionaries/ocr_channel_manual.tsv")];
        build(&tables)
    })
}

/// The keyword (folded) that the folded word `printed` is a likely OCR reading of, or
/// `printed` itself when it is none.
pub fn keyword(printed: &str) -> &str {
    readings().get(printed).copied().unwrap_or(printed)
}

/// True when the folded word `printed` reads as the folded keyword `word` ("ctia" as "cua").
pub fn reads_as(printed: &str, word: &str) -> bool {
    printed == word || keyword(printed) == word
}

/// Letter → [(piece, log10 P(piece | letter))], over the `eng` (legacy engine) rows: the
/// `vie` engine keeps these words intact.
fn pieces(tables: &[&str]) -> HashMap<char, Vec<(String, f32)>> {
    let mut counts: HashMap<char, HashMap<String, f32>> = HashMap::new();
    for table in tables {
        for line in table.lines().filter(|l| l.starts_with("letter\t")) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [_, "eng", source, piece, count] = cols[..] else { continue };
            let (Some(source), Ok(count)) = (source.chars().next(), count.parse::<f32>()) else { continue };
            let piece = if piece == "∅" { String::new() } else { piece.to_owned() };
            *counts.entry(source).or_default().entry(piece).or_default() += count;
        }
    }
    counts
        .into_iter()
        .map(|(letter, pieces)| {
            let total: f32 = pieces.values().sum();
            let mut kept: Vec<(String, f32)> =
                pieces.into_iter().filter(|(_, c)| *c / total >= MIN_PIECE_SHARE).map(|(p, c)| (p, (c / total).log10())).collect();
            kept.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            (letter, kept)
        })
        .collect()
}

fn build(tables: &[&str]) -> HashMap<String, &'static str> {
    let pieces = pieces(tables);
    let mut out: HashMap<String, (&'static str, f32)> = HashMap::new();
    for &keyword in KEYWORDS {
        let folded_keyword = fold(keyword);
        let mut beams: Vec<(String, f32)> = vec![(String::new(), 0.0)];
        for letter in keyword.chars() {
            let options: Vec<(String, f32)> = match pieces.get(&letter) {
                Some(p) if !p.is_empty() => p.clone(),
                _ => vec![(letter.to_string(), 0.0)],
            };
            let mut next = Vec::new();
            for (text, score) in &beams {
                for (piece, logp) in &options {
                    if score + logp >= MIN_LOG10_P {
                        next.push((format!("{text}{piece}"), score + logp));
                    }
                }
            }
            next.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            next.truncate(MAX_READINGS * 4);
            beams = next;
        }
        // Readings that fold to the same word add up.
        let mut folded: HashMap<String, f32> = HashMap::new();
        for (text, score) in beams {
            *folded.entry(fold(&text)).or_default() += 10f32.powf(score);
        }
        let mut folded: Vec<(String, f32)> = folded.into_iter().map(|(t, p)| (t, p.log10())).collect();
        folded.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let keyword_static: &'static str = Box::leak(folded_keyword.clone().into_boxed_str());
        for (reading, logp) in folded.into_iter().take(MAX_READINGS) {
            // A token is letters and digits only; a reading that is another keyword as
            // printed stays that keyword.
            if reading.is_empty() || !reading.chars().all(char::is_alphanumeric) || logp < MIN_LOG10_P {
                continue;
            }
            if reading != folded_keyword && KEYWORDS.iter().any(|k| fold(k) == reading) {
                continue;
            }
            match out.get(&reading) {
                Some((_, best)) if *best >= logp => {}
                _ => {
                    out.insert(reading, (keyword_static, logp));
                }
            }
        }
    }
    out.into_iter().map(|(reading, (keyword, _))| (reading, keyword)).collect()
}

fn fold(text: &str) -> String {
    text.chars().map(super::clean::fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_legacy_readings_come_from_the_channel() {
        // Readings Tesseract eng gives of these words on rendered corpus pages.
        for (printed, word) in [("cua", "cua"), ("cia", "cua"), ("ctia", "cua"), ("s6", "so"), ("se", "so"), ("thyc", "thuc"), ("ngay", "ngay")] {
            assert_eq!(keyword(printed), word, "{printed}");
        }
    }

    #[test]
    fn ordinary_words_are_themselves() {
        for word in ["quyet", "dinh", "tinh", "ban", "hanh"] {
            assert_eq!(keyword(word), word);
        }
        assert!(!reads_as("cong", "cua"));
    }

    #[test]
    fn a_table_without_confusions_accepts_only_the_word_itself() {
        let table = "letter\teng\tc\tc\t100\nletter\teng\tu\tu\t100\nletter\teng\tủ\tu\t100\nletter\teng\ta\ta\t100\n";
        let map = build(&[table]);
        assert_eq!(map.get("cua"), Some(&"cua"));
        assert_eq!(map.get("cia"), None);
    }
}
