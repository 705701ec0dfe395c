//! The Vietnamese syllable and text folding: one place that repair, cite and index use
//! for every comparison of Vietnamese text.
//!
//! A syllable is onset + rhyme + tone. The rhyme is kept with its vowel modifiers
//! (ă â ê ô ơ ư) but without the tone, so "hòa", "hoà" and "HOÀ" all parse to the same
//! [`Syllable`] and differ only when written back with a [`ToneStyle`].

use unicode_normalization::UnicodeNormalization;

/// NFC form of `text`.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Removes every diacritic and maps đ/Đ to d/D, keeping case: "Đẩy mạnh" → "Day manh".
/// Search uses this for its accent-insensitive field.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}

/// The six tones; `Level` (ngang) carries no mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tone {
    Level,
    Grave,
    Acute,
    Hook,
    Tilde,
    Dot,
}

impl Tone {
    pub const ALL: [Tone; 6] = [Tone::Level, Tone::Grave, Tone::Acute, Tone::Hook, Tone::Tilde, Tone::Dot];

    fn from_mark(c: char) -> Option<Tone> {
        Some(match c {
            '\u{0300}' => Tone::Grave,
            '\u{0301}' => Tone::Acute,
            '\u{0309}' => Tone::Hook,
            '\u{0303}' => Tone::Tilde,
            '\u{0323}' => Tone::Dot,
            _ => return None,
        })
    }

    fn mark(self) -> Option<char> {
        match self {
            Tone::Level => None,
            Tone::Grave => Some('\u{0300}'),
            Tone::Acute => Some('\u{0301}'),
            Tone::Hook => Some('\u{0309}'),
            Tone::Tilde => Some('\u{0303}'),
            Tone::Dot => Some('\u{0323}'),
        }
    }
}

/// Where the tone mark goes on the open rhymes oa, oe, uy: the style of the 1980s
/// spelling rules ("hoà", "thuỷ", the default matching key) or the traditional one
/// ("hòa", "thủy"), which current official documents use and repair writes by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ToneStyle {
    #[default]
    New,
    Old,
}

const ONSETS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d", "đ", "g", "h", "k", "l",
    "m", "n", "p", "r", "s", "t", "v", "x",
];

/// Every rhyme of standard Vietnamese spelling, toneless, as written after its onset
/// (after "qu" and "gi" the glide belongs to the onset: qu+a, gi+ưa).
const RHYMES: &[&str] = &[
    "a", "ai", "ao", "au", "ay", "ac", "ach", "am", "an", "ang", "anh", "ap", "at", "ăc", "ăm", "ăn", "ăng", "ăp",
    "ăt", "âc", "âm", "ân", "âng", "âp", "ât", "âu", "ây", "e", "eo", "ec", "em", "en", "eng", "ep", "et", "ê", "êu",
    "êch", "êm", "ên", "ênh", "êp", "êt", "êng", "i", "ia", "iu", "ich", "im", "in", "inh", "ip", "it", "iêc", "iêm",
    "iên", "iêng", "iêp", "iêt", "iêu", "yêm", "yên", "yêt", "yêu", "o", "oa", "oe", "oi", "oc", "om", "on", "ong",
    "op", "ot", "oac", "oach", "oai", "oam", "oan", "oang", "oanh", "oao", "oap", "oat", "oay", "oăc", "oăm", "oăn",
    "oăng", "oăt", "oen", "oet", "oeo", "ooc", "oong", "ô", "ôi", "ôc", "ôm", "ôn", "ông", "ôp", "ôt", "ơ", "ơi",
    "ơm", "ơn", "ơp", "ơt", "u", "ua", "ui", "uc", "um", "un", "ung", "up", "ut", "uân", "uâng", "uât", "uây", "uê",
    "uênh", "uêch", "uy", "uya", "uych", "uyên", "uyêt", "uyn", "uynh", "uyt", "uyu", "uôc", "uôi", "uôm", "uôn",
    "uông", "uôt", "uơ", "ư", "ưa", "ưi", "ưu", "ưc", "ưng", "ưm", "ưn", "ưt", "ươ", "ươc", "ươi", "ươm", "ươn",
    "ương", "ươp", "ươt", "ươu", "y",
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y')
}

fn is_modified_vowel(c: char) -> bool {
    matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

/// A Vietnamese syllable, case and tone placement stripped: `onset` + `rhyme` + `tone`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Syllable {
    /// "", "b", "ngh", "qu", "gi", … (lowercase).
    pub onset: String,
    /// Toneless rhyme with its vowel modifiers, e.g. "ương", "oa" (lowercase).
    pub rhyme: String,
    pub tone: Tone,
}

impl Syllable {
    /// Parses one word. `None` when it is not a well-formed Vietnamese syllable:
    /// unknown onset or rhyme, two tone marks, or a stop rhyme (-p, -t, -c, -ch) with a
    /// tone other than sắc or nặng.
    pub fn parse(word: &str) -> Option<Syllable> {
        if word.is_empty() || word.len() > 24 {
            return None;
        }
        let mut tone = Tone::Level;
        let mut toneless = String::with_capacity(word.len());
        for c in word.nfd() {
            if let Some(t) = Tone::from_mark(c) {
                if tone != Tone::Level {
                    return None;
                }
                tone = t;
            } else {
                toneless.extend(c.to_lowercase());
            }
        }
        let toneless: String = toneless.nfc().collect();
        if !toneless.chars().all(|c| c == 'đ' || (c.is_ascii_lowercase()) || is_vowel(c)) {
            return None;
        }
        let (onset, rhyme) = split_onset(&toneless)?;
        if !RHYMES.contains(&rhyme) {
            return None;
        }
        let syllable = Syllable { onset: onset.to_string(), rhyme: rhyme.to_string(), tone };
        syllable.is_valid().then_some(syllable)
    }

    /// Whether the tone may go with the rhyme: stop codas (-p, -t, -c, -ch) only take
    /// sắc or nặng.
    pub fn is_valid(&self) -> bool {
        let stop = ["p", "t", "c", "ch"].iter().any(|coda| self.rhyme.ends_with(coda));
        !stop || matches!(self.tone, Tone::Acute | Tone::Dot)
    }

    /// The syllable in lowercase NFC, the tone placed by `style`.
    pub fn write(&self, style: ToneStyle) -> String {
        let mut letters: Vec<char> = self.onset.chars().chain(self.rhyme.chars()).collect();
        if let Some(mark) = self.tone.mark() {
            let at = self.onset.chars().count() + tone_position(&self.rhyme, &self.onset, style);
            let mut out = String::with_capacity(letters.len() * 3);
            for (i, c) in letters.drain(..).enumerate() {
                out.push(c);
                if i == at {
                    out.push(mark);
                }
            }
            return out.nfc().collect();
        }
        letters.into_iter().collect()
    }
}

/// Splits a lowercase toneless word into a known onset and the rest. "gi" and "qu" are
/// onsets only when a vowel follows them ("gìn" is g + in).
fn split_onset(word: &str) -> Option<(&str, &str)> {
    for onset in ONSETS {
        if let Some(rest) = word.strip_prefix(onset) {
            if rest.is_empty() {
                continue;
            }
            if *onset == "gi" && !rest.starts_with(is_vowel) {
                continue;
            }
            return Some((onset, rest));
        }
    }
    if word.starts_with(is_vowel) {
        Some(("", word))
    } else {
        None
    }
}

/// Index (in chars) of the vowel in `rhyme` that carries the tone mark.
fn tone_position(rhyme: &str, onset: &str, style: ToneStyle) -> usize {
    let chars: Vec<char> = rhyme.chars().collect();
    let vowels = chars.iter().take_while(|c| is_vowel(**c)).count();
    let has_coda = vowels < chars.len();
    if let Some(last_modified) = chars[..vowels].iter().rposition(|c| is_modified_vowel(*c)) {
        return last_modified;
    }
    match vowels {
        0 | 1 => 0,
        _ if has_coda => vowels - 1,
        3 => 1,
        _ => {
            let pair: String = chars[..2].iter().collect();
            let glide_first = matches!(pair.as_str(), "oa" | "oe" | "uy");
            // After "qu"/"gi" the glide belongs to the onset, so "quý" has one vowel.
            if glide_first && style == ToneStyle::New || onset == "qu" {
                1
            } else {
                0
            }
        }
    }
}

/// How a word is cased, so repair can write its correction the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    Lower,
    Title,
    Upper,
}

impl Casing {
    /// "UBND" and "ĐẨY" are upper, "Đẩy" title, everything else lower. OCR mixes case
    /// inside capitals ("PiCH"), so a word mostly in capitals counts as upper.
    pub fn of(word: &str) -> Casing {
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let upper = word.chars().filter(|c| c.is_uppercase()).count();
        let first_upper = word.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase);
        if letters >= 2 && (upper == letters || upper * 4 >= letters * 3 && upper >= 3) {
            Casing::Upper
        } else if first_upper {
            Casing::Title
        } else {
            Casing::Lower
        }
    }

    /// Writes a lowercase `word` in this casing.
    pub fn apply(self, word: &str) -> String {
        match self {
            Casing::Lower => word.to_string(),
            Casing::Upper => word.to_uppercase(),
            Casing::Title => {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        }
    }
}

/// The canonical lowercase form of a word: the syllable rewritten in `style` when it is
/// one, else the word lowercased. "Hòa" and "HOÀ" both give "hoà" in the new style.
pub fn canonical(word: &str, style: ToneStyle) -> String {
    match Syllable::parse(word) {
        Some(s) => s.write(style),
        None => nfc(&word.to_lowercase()),
    }
}

/// Whether `word` carries any Vietnamese mark (tone, modifier or đ).
pub fn has_marks(word: &str) -> bool {
    word.chars().any(|c| !c.is_ascii() && fold(c.encode_utf8(&mut [0; 4])) != c.to_string())
}

/// A letter split into what OCR can get wrong separately: the base letter (folded,
/// lowercase), its vowel modifier or stroke (circumflex, breve, horn, đ's bar) and its tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LetterMarks {
    pub base: char,
    pub modifier: Option<char>,
    pub tone: Tone,
}

/// Splits one (lowercase) letter into [`LetterMarks`].
///
/// The repair's letter model asks this for every letter of every candidate, so ASCII
/// answers at once and the Latin letters up to U+1EFF (all Vietnamese ones) come from a
/// table built on first use; only other scripts pay for a decomposition.
#[inline]
pub fn letter_marks(c: char) -> LetterMarks {
    if c.is_ascii() {
        return LetterMarks { base: c, modifier: None, tone: Tone::Level };
    }
    static TABLE: std::sync::OnceLock<Vec<LetterMarks>> = std::sync::OnceLock::new();
    match TABLE.get_or_init(|| (0..LATIN_TABLE_END).map(|n| char::from_u32(n).map_or(LetterMarks { base: '\0', modifier: None, tone: Tone::Level }, decompose_letter)).collect()).get(c as usize) {
        Some(marks) => *marks,
        None => decompose_letter(c),
    }
}

/// End (exclusive) of the code points [`letter_marks`] keeps in its table: Latin Extended
/// Additional, where the letters with two marks (ế, ự) live, ends at U+1EFF.
const LATIN_TABLE_END: u32 = 0x1F00;

fn decompose_letter(c: char) -> LetterMarks {
    if c == 'đ' || c == 'Đ' {
        return LetterMarks { base: 'd', modifier: Some('đ'), tone: Tone::Level };
    }
    let mut base = c;
    let mut modifier = None;
    let mut tone = Tone::Level;
    for (i, d) in std::iter::once(c).nfd().enumerate() {
        if i == 0 {
            base = d;
        } else if let Some(t) = Tone::from_mark(d) {
            tone = t;
        } else {
            modifier = Some(d);
        }
    }
    LetterMarks { base, modifier, tone }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_and_new_tone_placement_read_as_one_syllable() {
        for (a, b) in [("hòa", "hoà"), ("ủy", "uỷ"), ("thủy", "thuỷ"), ("khỏe", "khoẻ")] {
            assert_eq!(Syllable::parse(a), Syllable::parse(b), "{a} vs {b}");
            assert_eq!(Syllable::parse(a).unwrap().write(ToneStyle::New), b);
            assert_eq!(Syllable::parse(b).unwrap().write(ToneStyle::Old), a);
        }
    }

    #[test]
    fn tone_goes_on_the_main_vowel() {
        for w in ["người", "quốc", "giữa", "thuyền", "khuỷu", "ngoài", "quý", "mía", "múa", "hoạch", "gìn", "được", "yến"] {
            let s = Syllable::parse(w).unwrap_or_else(|| panic!("{w} should parse"));
            assert_eq!(s.write(ToneStyle::New), w);
        }
    }

    #[test]
    fn decomposes_onset_rhyme_tone() {
        let s = Syllable::parse("Nghiệp").unwrap();
        assert_eq!((s.onset.as_str(), s.rhyme.as_str(), s.tone), ("ngh", "iêp", Tone::Dot));
        let s = Syllable::parse("QUYỀN").unwrap();
        assert_eq!((s.onset.as_str(), s.rhyme.as_str(), s.tone), ("qu", "yên", Tone::Grave));
    }

    #[test]
    fn rejects_what_is_not_a_syllable() {
        for w in ["UBND", "quyén", "hién", "tàp", "ctia", "s6", "abc", "", "hello", "mãt"] {
            assert!(Syllable::parse(w).is_none(), "{w} should be rejected");
        }
    }

    #[test]
    fn casing_round_trips() {
        assert_eq!(Casing::of("Đẩy"), Casing::Title);
        assert_eq!(Casing::of("ĐẨY"), Casing::Upper);
        assert_eq!(Casing::Upper.apply("đẩy"), "ĐẨY");
        assert_eq!(Casing::Title.apply("đẩy"), "Đẩy");
    }
}
