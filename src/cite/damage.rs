//! Damaged copies of the gold documents for `vanban eval cite`, drawn from the *learned*
//! OCR channel: the letter confusions and split words that `vanban dict build` counted by
//! aligning rendered corpus pages with Tesseract's readings (`dictionaries/ocr_channel.tsv`).
//!
//! Why learned rows only: a damage model written by hand from the spellings the extractor
//! already tolerates measures nothing (the old variant lists here were the same lists the
//! extractor matched, so the damaged figures were 1.000 by construction). The hand-written
//! supplement `ocr_channel_manual.tsv` is left out for the same reason: its rows were added
//! from the legacy sample. The channel knows letters of Vietnamese syllables only; digits,
//! slashes and hyphens are left as printed (real Tesseract readings of rendered gold pages,
//! `tests/gold/ocr/`, are the check of those).
//!
//! Same input, same output: the generator is seeded from the text itself.

use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::Path;

/// The channel table's spelling of "OCR printed nothing for this letter".
const NOTHING: &str = "∅";

/// A small xorshift generator: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn seeded(text: &str) -> Rng {
        let mut h: u64 = 0xcbf29ce484222325;
        for b in text.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
        Rng(h | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// What the learned channel says one engine prints for a letter or a word.
#[derive(Debug, Clone, Default)]
pub struct ChannelDamage {
    /// Source letter → (printed letters, count), with the total.
    letters: HashMap<char, (Vec<(String, u64)>, u64)>,
    /// Source word → (split reading, count) and the times the word was aligned.
    splits: HashMap<String, (Vec<(String, u64)>, u64)>,
}

impl ChannelDamage {
    /// The learned rows of `engine` (`eng`: legacy, `vie`) in a channel table.
    pub fn from_table(table: &str, engine: &str) -> ChannelDamage {
        let mut damage = ChannelDamage::default();
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["letter", e, source, printed, count] if *e == engine => {
                    let (Some(letter), Ok(count)) = (single_char(source), count.parse::<u64>()) else { continue };
                    let printed = if *printed == NOTHING { String::new() } else { (*printed).to_owned() };
                    let entry = damage.letters.entry(letter).or_default();
                    entry.0.push((printed, count));
                    entry.1 += count;
                }
                // Only split readings ("6 diéu" for điều): whole-word confusions without a
                // split are what the letter rows already count.
                ["word", e, printed, source, count, total] if *e == engine && printed.contains(' ') && !source.contains(' ') => {
                    let (Ok(count), Ok(total)) = (count.parse::<u64>(), total.parse::<u64>()) else { continue };
                    let entry = damage.splits.entry((*source).to_owned()).or_default();
                    entry.0.push(((*printed).to_owned(), count));
                    entry.1 = total;
                }
                _ => {}
            }
        }
        damage
    }

    /// Loads `dict_dir/ocr_channel.tsv` (the learned table; not the manual supplement).
    pub fn load(dict_dir: &Path, engine: &str) -> Result<ChannelDamage> {
        let path = dict_dir.join("ocr_channel.tsv");
        let table = std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read the OCR channel table", path.display()))?;
        let damage = ChannelDamage::from_table(&table, engine);
        anyhow::ensure!(!damage.letters.is_empty(), "{}: no letter rows for engine {engine}", path.display());
        Ok(damage)
    }

    /// `text` as the engine might print it: every lower-case letter drawn from the channel's
    /// distribution for it, capitals without their marks, and now and then a word split as
    /// the engine splits it.
    pub fn damage(&self, text: &str) -> String {
        let mut rng = Rng::seeded(text);
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            for (j, token) in line.split(' ').enumerate() {
                if j > 0 {
                    out.push(' ');
                }
                self.damage_token(token, &mut rng, &mut out);
            }
        }
        out
    }

    fn damage_token(&self, token: &str, rng: &mut Rng, out: &mut String) {
        let core_start = token.find(|c: char| c.is_alphanumeric()).unwrap_or(token.len());
        let core_end = token.rfind(|c: char| c.is_alphanumeric()).map_or(core_start, |i| i + token[i..].chars().next().map_or(1, char::len_utf8));
        let (lead, core, trail) = (&token[..core_start], &token[core_start..core_end], &token[core_end..]);
        out.push_str(lead);
        let lower = crate::viet::nfc(&core.to_lowercase());
        let all_capitals = core.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        if let Some((readings, total)) = self.splits.get(&lower).filter(|_| !all_capitals) {
            let mut roll = rng.below(*total);
            for (reading, count) in readings {
                if roll < *count {
                    out.push_str(&recase(core, reading));
                    out.push_str(trail);
                    return;
                }
                roll -= count;
            }
        }
        for c in crate::viet::nfc(core).chars() {
            // The table was learned on lower case. Capitals (issuer lines, titles, codes)
            // come out of Tesseract eng as their base letters ("ỦY BAN NHÂN DÂN" → "UY BAN
            // NHAN DAN" in the real readings of tests/gold/ocr/eng): marks lost, letters kept.
            if c.is_uppercase() {
                out.push_str(&crate::viet::fold(&c.to_string()));
                continue;
            }
            match self.letters.get(&c) {
                Some((readings, total)) => {
                    let mut roll = rng.below(*total);
                    let printed = readings.iter().find(|(_, count)| {
                        let hit = roll < *count;
                        roll = roll.saturating_sub(*count);
                        hit
                    });
                    out.push_str(&printed.map_or_else(|| c.to_string(), |(p, _)| p.clone()));
                }
                None => out.push(c),
            }
        }
        out.push_str(trail);
    }
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// A split reading in the case of the word it replaces (a capital first letter, marks lost
/// as on every capital).
fn recase(word: &str, reading: &str) -> String {
    if word.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = reading.chars();
        chars.next().map(|f| crate::viet::fold(&f.to_uppercase().to_string()).chars().chain(chars).collect()).unwrap_or_default()
    } else {
        reading.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eng() -> ChannelDamage {
        ChannelDamage::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/dictionaries")), "eng").unwrap()
    }

    #[test]
    fn damage_is_deterministic_and_changes_the_text() {
        let text = "Thực hiện Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương Đảng về công tác dân vận";
        let channel = eng();
        assert_eq!(channel.damage(text), channel.damage(text));
        assert_ne!(channel.damage(text), text);
    }

    /// The letters follow the learned table: `eng` loses most marks, keeps digits, slashes
    /// and the line structure, and keeps capitals capital.
    #[test]
    fn the_eng_channel_loses_marks_and_keeps_digits_and_lines() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gold/01-qd-ubnd-quy-che.txt")).unwrap();
        let damaged = eng().damage(&text);
        assert_eq!(damaged.lines().count(), text.lines().count());
        // Numbers and dates (the tokens with a slash) keep their digits. Other tokens may
        // gain one: the channel learned split readings such as "6 diéu" for "điều".
        let numbers = |s: &str| -> Vec<String> {
            s.split_whitespace().filter(|t| t.contains('/')).map(|t| t.chars().filter(|c| c.is_ascii_digit() || *c == '/').collect()).collect()
        };
        assert_eq!(numbers(&damaged), numbers(&text));
        let marked = |s: &str| s.split_whitespace().filter(|w| crate::viet::has_marks(w)).count() as f64 / s.split_whitespace().count() as f64;
        assert!(marked(&text) > 0.6 && marked(&damaged) < 0.35, "{:.2} → {:.2}", marked(&text), marked(&damaged));
        let upper = |s: &str| s.chars().filter(|c| c.is_uppercase()).count();
        assert!(upper(&damaged) * 10 >= upper(&text) * 8, "capitals kept: {} of {}", upper(&damaged), upper(&text));
    }

    #[test]
    fn a_table_row_is_a_distribution_of_readings() {
        let table = "letter\teng\tđ\td\t3\nletter\teng\tđ\t∅\t1\nword\teng\t6 diéu\tđiều\t2\t4\n";
        let channel = ChannelDamage::from_table(table, "eng");
        let (readings, total) = &channel.letters[&'đ'];
        assert_eq!(*total, 4);
        assert!(readings.contains(&(String::new(), 1)));
        assert_eq!(channel.splits["điều"].1, 4);
        assert!(ChannelDamage::from_table(table, "vie").letters.is_empty());
    }
}
