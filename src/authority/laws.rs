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

use std::collections::HashMap;

/// Known names by key ([`key`]), and the keys for the search of a damaged one.
#[derive(Default)]
pub struct LawNames {
    by_key: HashMap<String, String>,
    /// (key as chars, key) for the near search.
    keys: Vec<(Vec<char>, String)>,
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

    #[test]
    fn the_band_distance_is_the_edit_distance_up_to_its_limit() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(bounded_distance(&c("kitten"), &c("sitting"), 3), Some(3));
        assert_eq!(bounded_distance(&c("kitten"), &c("sitting"), 2), None);
        assert_eq!(bounded_distance(&c("abc"), &c("abc"), 1), Some(0));
    }
}
