//! An organ's name that OCR (and the repair after it) left damaged: "Ban Thường vụ Tỉnh ly",
//! "Thủ: tướng Chính phủ", "Ủy ban nh&n dân huyện", "BG Tài nguyên và Môi trường".
//!
//! [`Authority::normalize_issuer`] matches an issuer word for word on its folded form, so
//! lost or wrong marks do not matter, but a wrong letter, a glyph inside a word or a stray
//! mark between two words does: the name is then cut short ("Ban Thường vụ") or not found.
//! Here a printed name is matched against the organ names of the tables with the edits OCR
//! makes, under a closeness bound, and taken only when one organ is clearly the nearest:
//! - a damaged word is at most two letter edits from the table's word (a glyph such as
//!   `&` counting as a letter) and keeps at least half of its letters in order; its
//!   capital (or small) first letter is the table's; and the printed words up to it spell
//!   no organ of the tables themselves ("Sở Nội vụ" is never the "Bộ Nội vụ");
//! - a stray mark between two words (`:`, `;`, `'`) is one edit; a comma, a full stop, a
//!   bracket, a quotation mark or a blank line still ends the name;
//! - a name of three words or more, two of them printed right, at most one edit in all
//!   (two for a name of 16 letters or more); a one-letter word is never damaged.
//!
//! The outcome is the organ of the respelled name (read by [`Authority::normalize_issuer`],
//! which adds the level and the place printed after it), or [`Damaged::Unsure`] when two
//! organs are as near: the caller then keeps no name and flags the field.

use std::collections::HashSet;

use super::organs::Organ;
use super::Authority;

/// One organ name of the tables as it may be printed: its words folded, with whether each
/// one is capitalized in the canonical name (`None` for an also-written phrase, whose
/// casing the table does not give: no word of it may be damaged).
pub(crate) struct Phrase {
    words: Vec<String>,
    capitals: Option<Vec<bool>>,
}

/// The phrases the matcher knows, and every prefix of them (to tell a printed name that
/// is itself another organ's).
pub(crate) struct Phrases {
    list: Vec<Phrase>,
    prefixes: HashSet<String>,
    /// Each first word of a phrase and the phrases it opens (most printed words are near
    /// none of them: the phrases are not tried one by one).
    by_first: Vec<(String, Vec<usize>)>,
}

impl Phrases {
    /// Every organ name and also-written phrase, and the Party units with their levels
    /// ("Ban Thường vụ" + "Tỉnh ủy") and with "Trung ương", as `normalize_issuer` composes them.
    pub(crate) fn of(authority: &Authority) -> Phrases {
        let mut list = Vec::new();
        let named = |name: &str| Phrase {
            words: super::fold_words(name).split(' ').map(str::to_owned).collect(),
            capitals: Some(name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.starts_with(char::is_uppercase)).collect()),
        };
        for entry in authority.organs.iter().filter(|e| e.class != "unit") {
            list.push(named(&entry.name));
            for also in &entry.also {
                list.push(Phrase { words: also.split(' ').map(str::to_owned).collect(), capitals: None });
            }
        }
        for unit in authority.organs.iter().filter(|e| e.class == "party-unit") {
            for level in authority.organs.iter().filter(|e| e.class == "party-level") {
                list.push(named(&format!("{} {}", unit.name, level.name)));
            }
            list.push(named(&format!("{} Trung ương", unit.name)));
        }
        for committee in authority.organs.iter().filter(|e| e.class == "committee") {
            list.push(named(&format!("{} Trung ương", committee.name)));
        }
        // A phrase whose casing does not line up with its words (a hyphen inside a word)
        // has none.
        for phrase in &mut list {
            if phrase.capitals.as_ref().is_some_and(|c| c.len() != phrase.words.len()) {
                phrase.capitals = None;
            }
        }
        list.retain(|p| !p.words.iter().any(String::is_empty));
        let mut prefixes = HashSet::new();
        for phrase in &list {
            for n in 1..=phrase.words.len() {
                prefixes.insert(phrase.words[..n].join(" "));
            }
        }
        let mut by_first: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, phrase) in list.iter().enumerate() {
            match by_first.iter_mut().find(|(w, _)| *w == phrase.words[0]) {
                Some((_, all)) => all.push(i),
                None => by_first.push((phrase.words[0].clone(), vec![i])),
            }
        }
        Phrases { list, prefixes, by_first }
    }
}

/// What a damaged printed name was read as.
#[derive(Debug, Clone, PartialEq)]
pub enum Damaged {
    /// One organ is the nearest: its reading, `consumed` counted in the printed text, and
    /// the edits it took.
    Organ(Organ, usize),
    /// Two organs are as near: none is taken; the bytes of the printed text they cover.
    Unsure(usize),
}

/// One word of the printed name: letters and the glyphs OCR put among them.
struct Word {
    folded: String,
    capital: bool,
    end: usize,
    /// A stray mark stands between this word and the one before.
    stray_before: bool,
    /// Something that ends a name stands before this word.
    break_before: bool,
}

/// Words of `text` up to [`MAX_WORDS`], split at spaces, hyphens and commas; the marks
/// before and after a word's letters are what stands between words.
fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut gap = String::new();
    let mut rest = text;
    while out.len() < MAX_WORDS {
        let Some(start) = rest.find(|c: char| c.is_alphanumeric()) else { break };
        gap.push_str(&rest[..start]);
        let token_end = rest[start..].find(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | ',')).map_or(rest.len(), |e| start + e);
        let token = &rest[start..token_end];
        // The word's letters end at its last letter; marks after it belong to the next gap.
        let core_end = token.rfind(|c: char| c.is_alphanumeric()).map_or(0, |i| i + token[i..].chars().next().map_or(1, char::len_utf8));
        let core = &token[..core_end];
        let offset = text.len() - rest.len();
        let break_before = !out.is_empty() && ends_name(&gap, out.last().map(|w| w.folded.as_str()));
        let stray_before = !out.is_empty() && gap.chars().any(|c| !c.is_whitespace() && !matches!(c, '-' | '–'));
        let folded: String = core.chars().map(crate::cite::clean::fold_char).flat_map(char::to_lowercase).collect();
        out.push(Word { folded, capital: core.starts_with(char::is_uppercase), end: offset + start + core_end, stray_before, break_before });
        gap.clear();
        gap.push_str(&token[core_end..]);
        rest = &rest[token_end..];
    }
    out
}

/// Whether the text between two words ends a name: a comma, a full stop (not a level's
/// "TP."), a bracket, a quotation mark, a slash or a blank line.
fn ends_name(gap: &str, previous: Option<&str>) -> bool {
    let abbreviation = previous == Some("tp") && gap.trim_start().starts_with('.');
    gap.matches('\n').count() > 1
        || gap.chars().any(|c| matches!(c, ',' | '(' | ')' | '[' | ']' | '"' | '“' | '”' | '/' | '?' | '!'))
        || (gap.contains('.') && !abbreviation)
}

/// Most words a name is read over.
const MAX_WORDS: usize = 16;

/// Letters of a name from which two edits are allowed rather than one.
const LONG_NAME_LETTERS: usize = 16;

/// Longest common subsequence of two short words.
fn common(a: &[char], b: &[char]) -> usize {
    let mut previous = vec![0; b.len() + 1];
    for x in a {
        let mut current = vec![0; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = if x == y { previous[j] + 1 } else { previous[j + 1].max(current[j]) };
        }
        previous = current;
    }
    previous[b.len()]
}

/// Edits that make printed word `printed` the table's `want`, if it may be a damaged
/// reading of it (see the module's rules).
fn word_edits(printed: &str, want: &str) -> Option<usize> {
    let (p, w): (Vec<char>, Vec<char>) = (printed.chars().collect(), want.chars().collect());
    if w.len() < 2 {
        return None;
    }
    let d = crate::repair::eval::edit_distance(&p, &w);
    (d <= 2 && 2 * common(&p, &w) >= w.len()).then_some(d)
}

impl Authority {
    /// The organ a damaged `printed` name stands for, when the tables' names read it
    /// further than [`Authority::normalize_issuer`] reads the printed words (which it then
    /// does not: `None` when the printed name needs no edit, or names no organ even so).
    /// A head's title before the organ ("Bộ trưởng") must be printed right.
    pub fn normalize_damaged_issuer(&self, printed: &str) -> Option<Damaged> {
        let phrases = self.phrases.get_or_init(|| Phrases::of(self));
        let words = words(printed);
        if words.len() < 3 {
            return None;
        }
        let first_is_title = super::organs::TITLES.iter().find_map(|t| {
            let n = t.split(' ').count();
            (words.len() > n && words[..n].iter().map(|w| w.folded.as_str()).collect::<Vec<_>>().join(" ") == *t && !words[1..=n].iter().any(|w| w.break_before)).then_some(n)
        });
        let mut best: Option<(usize, usize, &Phrase, usize)> = None; // (words, edits, phrase, from)
        let mut tie = false;
        for from in [Some(0), first_is_title].into_iter().flatten() {
            let opening = &words[from].folded;
            let candidates = phrases.by_first.iter().filter(|(w, _)| w == opening || word_edits(opening, w).is_some());
            for phrase in candidates.flat_map(|(_, all)| all.iter().map(|&i| &phrases.list[i])) {
                let Some(edits) = self.edits_to(&words, from, phrase, &phrases.prefixes) else { continue };
                let n = phrase.words.len();
                let better = best.is_none_or(|(bn, be, _, _)| n > bn || (n == bn && edits < be));
                let same = best.is_some_and(|(bn, be, bp, _)| n == bn && edits == be && bp.words != phrase.words);
                if better {
                    best = Some((n, edits, phrase, from));
                    tie = false;
                } else if same {
                    tie = true;
                }
            }
        }
        let (n, edits, phrase, from) = best?;
        let matched_end = words[from + n - 1].end;
        if edits == 0 || matched_end <= self.normalize_issuer(printed).map_or(0, |o| o.consumed) {
            return None;
        }
        if tie {
            return Some(Damaged::Unsure(matched_end));
        }
        // The respelled name, with what was printed before it (a title) and after it (a
        // level, a place) as printed.
        let head = &printed[..if from == 0 { 0 } else { words[from - 1].end }];
        let respelled_name = phrase.words.join(" ");
        let tail = &printed[matched_end..];
        let respelled = format!("{head}{}{respelled_name}{tail}", if head.is_empty() { "" } else { " " });
        let name_end = respelled.len() - tail.len();
        let mut organ = self.normalize_issuer(&respelled)?;
        if organ.consumed < name_end {
            return None;
        }
        organ.consumed = matched_end + (organ.consumed - name_end);
        Some(Damaged::Organ(organ, edits))
    }

    /// Edits that make `words` from `from` the `phrase`, within the bound; `None` when it
    /// is out of reach.
    fn edits_to(&self, words: &[Word], from: usize, phrase: &Phrase, prefixes: &HashSet<String>) -> Option<usize> {
        let n = phrase.words.len();
        if words.len() < from + n {
            return None;
        }
        let letters: usize = phrase.words.iter().map(|w| w.chars().count()).sum();
        let bound = if letters >= LONG_NAME_LETTERS { 2 } else { 1 };
        let mut edits = 0;
        let mut damaged = 0;
        let mut printed_so_far = String::new();
        for (k, want) in phrase.words.iter().enumerate() {
            let word = &words[from + k];
            if k > 0 && word.break_before {
                return None;
            }
            if k > 0 && word.stray_before {
                edits += 1;
            }
            if !printed_so_far.is_empty() {
                printed_so_far.push(' ');
            }
            printed_so_far.push_str(&word.folded);
            if word.folded != *want {
                let capitals = phrase.capitals.as_ref()?;
                if capitals[k] != word.capital {
                    return None;
                }
                edits += word_edits(&word.folded, want)?;
                // The printed words up to here spell another organ's name: read as printed.
                if prefixes.contains(&printed_so_far) {
                    return None;
                }
                damaged += 1;
            }
            if edits > bound {
                return None;
            }
        }
        (n >= 3 && damaged * 3 <= n).then_some(edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(printed: &str) -> Option<String> {
        match Authority::builtin().normalize_damaged_issuer(printed)? {
            Damaged::Organ(o, _) => Some(format!("{}|{}", o.name, &printed[..o.consumed])),
            Damaged::Unsure(_) => Some("unsure".to_owned()),
        }
    }

    #[test]
    fn a_letter_misread_in_an_organs_name_takes_the_tables_name() {
        assert_eq!(read("Ban Thường vụ Tỉnh ly, Ban Thường vụ Huyện ủy").as_deref(), Some("Ban Thường vụ Tỉnh ủy|Ban Thường vụ Tỉnh ly"));
        assert_eq!(read("Ban Thường vụ Huyện lý đã ban hành").as_deref(), Some("Ban Thường vụ Huyện ủy|Ban Thường vụ Huyện lý"));
        assert_eq!(read("Thủ tụng Chính phủ về tiếp tục").as_deref(), Some("Thủ tướng Chính phủ|Thủ tụng Chính phủ"));
        assert_eq!(read("BG Tài nguyên và Môi trường.").as_deref(), Some("Bộ Tài nguyên và Môi trường|BG Tài nguyên và Môi trường"));
        // Two letters of a short word lost, in a long name: "ủy" read "dy", repaired "dự".
        assert_eq!(read("Ban Thường vụ Tỉnh dự. Việc").as_deref(), Some("Ban Thường vụ Tỉnh ủy|Ban Thường vụ Tỉnh dự"));
    }

    #[test]
    fn a_stray_mark_or_a_glyph_inside_the_name_is_passed_over() {
        assert_eq!(read("Thủ: tướng Chính phủ phê duyệt").as_deref(), Some("Thủ tướng Chính phủ|Thủ: tướng Chính phủ"));
        assert_eq!(read("Ủy\nban nh&n dân huyện về kiện toàn").as_deref(), Some("Ủy ban nhân dân huyện|Ủy\nban nh&n dân huyện"));
    }

    #[test]
    fn the_term_and_the_place_after_a_damaged_name_are_read_as_printed() {
        assert_eq!(read("Ban Chấp hành Trung ương Bằng khóa XI về").as_deref(), Some("Ban Chấp hành Trung ương Đảng|Ban Chấp hành Trung ương Bằng"));
        assert_eq!(read("Ủy ban nhân dân tinh Quảng Ngãi").as_deref(), None, "printed right: normalize_issuer's");
        assert_eq!(read("Ủy ban nhân dn tỉnh Quảng Ngãi").as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi|Ủy ban nhân dn tỉnh Quảng Ngãi"));
    }

    #[test]
    fn words_of_the_next_clause_and_other_organs_are_not_taken_for_damage() {
        // A real word in small letters where the table has a capital.
        assert_eq!(read("Ban Chấp hành Trung ương bằng nhiều hình thức"), None);
        assert_eq!(read("Ban Bí thư Trung ương bằng nhiều hình thức"), None);
        // Another organ printed right is that organ.
        assert_eq!(read("Sở Nội vụ hướng dẫn"), None);
        assert_eq!(read("Ban Thường vụ Tỉnh đoàn"), None);
        // Too far: a word with no letter of the table's, or two words damaged in a short name.
        assert_eq!(read("Ban Thường vụ Tỉnh đã ban hành"), None);
        assert_eq!(read("Thu tung Chinh pha"), None);
        // A comma or a full stop ends the name before the damaged word.
        assert_eq!(read("Ban Thường vụ, Tỉnh ly"), None);
        assert_eq!(read("Bộ Y tế"), None);
        assert_eq!(read("Bộ X tế"), None);
    }
}
