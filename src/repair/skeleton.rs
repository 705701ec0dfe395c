//! A letter skeleton: the unmarked letters a syllable is spelled with ("của" → "cua"),
//! packed into a u64 so that the hundreds of skeletons tried per garbled token cost no
//! allocation and are looked up by an integer.

/// Letters a–z, five bits each, the first letter highest, so that comparing two packed
/// skeletons compares them as strings. Twelve letters at most (no syllable has more
/// than seven); the lowest bit marks a skeleton that can match no syllable (too long,
/// or holding a digit or sign), which keeps it apart from every vocabulary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Skeleton(u64);

const LETTERS: u32 = 12;
const UNMATCHABLE: u64 = 1;
/// Code of a character that is no letter a–z.
const OTHER: u64 = 31;

pub const VOWELS: [char; 6] = ['a', 'e', 'i', 'o', 'u', 'y'];

fn code(letter: char) -> u64 {
    if letter.is_ascii_lowercase() {
        letter as u64 - 'a' as u64 + 1
    } else {
        OTHER
    }
}

fn shift(at: u32) -> u32 {
    64 - 4 - 5 * (at + 1)
}

impl Skeleton {
    /// The skeleton of an unmarked lowercase word, `None` if it cannot be one.
    pub fn of(word: &str) -> Option<Skeleton> {
        let mut s = Skeleton::default();
        for c in word.chars() {
            s = s.push(c);
        }
        (s.0 & UNMATCHABLE == 0).then_some(s)
    }

    pub fn len(self) -> u32 {
        (0..LETTERS).take_while(|&i| (self.0 >> shift(i)) & 31 != 0).count() as u32
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    fn code_at(self, at: u32) -> u64 {
        (self.0 >> shift(at)) & 31
    }

    /// The skeleton with `letter` added at the end.
    pub fn push(self, letter: char) -> Skeleton {
        let len = self.len();
        if len == LETTERS {
            return Skeleton(self.0 | UNMATCHABLE);
        }
        let code = code(letter);
        let flag = if code == OTHER { UNMATCHABLE } else { 0 };
        Skeleton(self.0 | code << shift(len) | flag)
    }

    pub fn first(self) -> Option<char> {
        match self.code_at(0) {
            0 => None,
            OTHER => Some('?'),
            c => Some((b'a' + c as u8 - 1) as char),
        }
    }

    /// Every skeleton with one of this one's vowels replaced by another.
    pub fn vowel_swaps(self) -> impl Iterator<Item = Skeleton> {
        let len = self.len();
        (0..len).flat_map(move |at| {
            let here = self.code_at(at);
            let is_vowel = VOWELS.iter().any(|&v| code(v) == here);
            VOWELS
                .iter()
                .filter(move |&&v| is_vowel && code(v) != here)
                .map(move |&v| Skeleton(self.0 & !(31 << shift(at)) | code(v) << shift(at)))
        })
    }

    /// Every skeleton with a vowel put in after the first letter, or later.
    pub fn vowel_insertions(self) -> impl Iterator<Item = Skeleton> {
        let len = self.len();
        (1..=len).filter(move |_| len < LETTERS).flat_map(move |at| {
            // Letters from `at` on move one place down.
            let keep_mask = if at == 0 { 0 } else { !((1u64 << shift(at - 1)) - 1) };
            let head = self.0 & keep_mask & !UNMATCHABLE;
            let tail = (self.0 & !keep_mask & !UNMATCHABLE) >> 5;
            let flag = self.0 & UNMATCHABLE;
            VOWELS.iter().map(move |&v| Skeleton(head | code(v) << shift(at) | tail | flag))
        })
    }
}

impl std::fmt::Display for Skeleton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for at in 0..self.len() {
            let c = self.code_at(at);
            let letter = if c == OTHER { '?' } else { (b'a' + c as u8 - 1) as char };
            write!(f, "{letter}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(word: &str) -> Skeleton {
        Skeleton::of(word).unwrap()
    }

    #[test]
    fn packs_and_orders_like_strings() {
        assert_eq!(s("nghieng").to_string(), "nghieng");
        assert_eq!(s("cua").len(), 3);
        let mut words = ["cua", "cu", "ca", "cuaz", "b", "chuong"];
        let mut packed: Vec<Skeleton> = words.iter().map(|w| s(w)).collect();
        words.sort();
        packed.sort();
        assert_eq!(packed.iter().map(|p| p.to_string()).collect::<Vec<_>>(), words);
        assert!(Skeleton::of("s6").is_none());
        assert!(Skeleton::of("abcdefghijklm").is_none());
    }

    #[test]
    fn swaps_and_insertions() {
        let swaps: Vec<String> = s("cua").vowel_swaps().map(|k| k.to_string()).collect();
        assert!(swaps.contains(&"cia".to_string()) && swaps.contains(&"cue".to_string()));
        assert_eq!(swaps.len(), 10);
        let inserted: Vec<String> = s("cht").vowel_insertions().map(|k| k.to_string()).collect();
        assert!(inserted.contains(&"chat".to_string()) && inserted.contains(&"chta".to_string()) && inserted.contains(&"caht".to_string()));
        assert_eq!(inserted.len(), 18);
        assert_eq!(s("mt").vowel_insertions().map(|k| k.to_string()).collect::<Vec<_>>()[0], "mat");
    }
}
