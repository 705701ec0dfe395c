//! Aligning OCR output with the text it was made from: first word to word (allowing a
//! word split in two or two words merged), then letter to letter inside each word.
//! The channel model is estimated from these alignments.

use crate::viet;

/// A word-level alignment link between source and OCR tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// One source word read as one OCR token.
    One { source: String, ocr: String },
    /// One source word read as two tokens ("trong" → "tr ong").
    Split { source: String, ocr: (String, String) },
    /// Two source words read as one token ("trong thời" → "trongthời").
    Merge { source: (String, String), ocr: String },
}

/// Tokens as the evaluation counts them: whitespace-split, punctuation stripped,
/// lowercase, NFC.
pub fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .map(|t| viet::nfc(&t.to_lowercase()))
        .collect()
}

/// 0 for the same letters, 2 for nothing in common (the price of a deletion plus an
/// insertion), on folded forms so that a lost mark is a near match.
fn mismatch(source: &str, ocr: &str) -> f32 {
    let a: Vec<char> = viet::fold(source).chars().collect();
    let b: Vec<char> = viet::fold(ocr).chars().collect();
    let longest = a.len().max(b.len()).max(1);
    2.0 * super::eval::edit_distance(&a, &b) as f32 / longest as f32
}

/// Links between `source` and `ocr` words on the cheapest path; words left unpaired
/// (OCR noise, dropped words) and poor matches are not returned.
pub fn align_words(source: &[String], ocr: &[String]) -> Vec<Link> {
    const SPLIT_PENALTY: f32 = 0.3;
    const GAP: f32 = 1.0;
    let (n, m) = (source.len(), ocr.len());
    let width = m + 1;
    let mut cost = vec![f32::INFINITY; (n + 1) * width];
    // 0 = diagonal, 1 = skip source, 2 = skip OCR, 3 = split, 4 = merge.
    let mut step = vec![0u8; (n + 1) * width];
    cost[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let here = cost[i * width + j];
            if !here.is_finite() {
                continue;
            }
            let mut relax = |ii: usize, jj: usize, c: f32, s: u8| {
                let at = ii * width + jj;
                if here + c < cost[at] {
                    cost[at] = here + c;
                    step[at] = s;
                }
            };
            if i < n && j < m {
                relax(i + 1, j + 1, mismatch(&source[i], &ocr[j]), 0);
            }
            if i < n {
                relax(i + 1, j, GAP, 1);
            }
            if j < m {
                relax(i, j + 1, GAP, 2);
            }
            if i < n && j + 1 < m {
                relax(i + 1, j + 2, mismatch(&source[i], &format!("{}{}", ocr[j], ocr[j + 1])) + SPLIT_PENALTY, 3);
            }
            if i + 1 < n && j < m {
                relax(i + 2, j + 1, mismatch(&format!("{}{}", source[i], source[i + 1]), &ocr[j]) + SPLIT_PENALTY, 4);
            }
        }
    }
    let mut links = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let at = i * width + j;
        match step[at] {
            0 => {
                let c = cost[at] - cost[(i - 1) * width + j - 1];
                if c <= 1.0 {
                    links.push(Link::One { source: source[i - 1].clone(), ocr: ocr[j - 1].clone() });
                }
                i -= 1;
                j -= 1;
            }
            1 => i -= 1,
            2 => j -= 1,
            3 => {
                let c = cost[at] - cost[(i - 1) * width + j - 2];
                if c <= 1.0 {
                    links.push(Link::Split { source: source[i - 1].clone(), ocr: (ocr[j - 2].clone(), ocr[j - 1].clone()) });
                }
                i -= 1;
                j -= 2;
            }
            _ => {
                let c = cost[at] - cost[(i - 2) * width + j - 1];
                if c <= 1.0 {
                    links.push(Link::Merge { source: (source[i - 2].clone(), source[i - 1].clone()), ocr: ocr[j - 1].clone() });
                }
                i -= 2;
                j -= 1;
            }
        }
    }
    links.reverse();
    links
}

/// Letter alignment of a source word with its OCR reading: for each source letter, the
/// OCR letters it became ("" when lost; letters OCR added go with the letter before).
pub fn align_letters(source: &str, ocr: &str) -> Vec<(char, String)> {
    let a: Vec<char> = source.chars().collect();
    let b: Vec<char> = ocr.chars().collect();
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let sub = |x: char, y: char| -> f32 {
        if x == y {
            0.0
        } else if viet::fold(&x.to_string()) == viet::fold(&y.to_string()) {
            0.4
        } else {
            1.0
        }
    };
    let mut cost = vec![f32::INFINITY; (n + 1) * width];
    let mut step = vec![0u8; (n + 1) * width];
    cost[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let here = cost[i * width + j];
            if i < n && j < m && here + sub(a[i], b[j]) < cost[(i + 1) * width + j + 1] {
                cost[(i + 1) * width + j + 1] = here + sub(a[i], b[j]);
                step[(i + 1) * width + j + 1] = 0;
            }
            if i < n && here + 1.0 < cost[(i + 1) * width + j] {
                cost[(i + 1) * width + j] = here + 1.0;
                step[(i + 1) * width + j] = 1;
            }
            // Marked letters are what legacy OCR shatters into several ("ủ" → "ti"), so
            // extra OCR letters go with a marked letter before a plain one.
            let insert = if i > 0 && !a[i - 1].is_ascii() { 0.9 } else { 1.0 };
            if j < m && here + insert < cost[i * width + j + 1] {
                cost[i * width + j + 1] = here + insert;
                step[i * width + j + 1] = 2;
            }
        }
    }
    let mut out: Vec<(char, String)> = a.iter().map(|c| (*c, String::new())).collect();
    let (mut i, mut j) = (n, m);
    let mut pending = String::new();
    while i > 0 || j > 0 {
        match step[i * width + j] {
            0 if i > 0 && j > 0 => {
                pending.insert(0, b[j - 1]);
                out[i - 1].1 = std::mem::take(&mut pending);
                i -= 1;
                j -= 1;
            }
            1 if i > 0 => {
                out[i - 1].1 = std::mem::take(&mut pending);
                i -= 1;
            }
            _ => {
                // An inserted OCR letter: it belongs to the source letter before it, or to
                // the first letter when nothing comes before.
                pending.insert(0, b[j - 1]);
                j -= 1;
                if i == 0 && j == 0 {
                    if let Some(first) = out.first_mut() {
                        first.1.insert_str(0, &pending);
                    }
                    pending.clear();
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_align_through_splits_and_merges() {
        let src = words("của đồng chí trong thời gian");
        let ocr = words("ctia déllg chi tr ong thờigian");
        let links = align_words(&src, &ocr);
        assert!(links.contains(&Link::One { source: "của".into(), ocr: "ctia".into() }));
        assert!(links.contains(&Link::Split { source: "trong".into(), ocr: ("tr".into(), "ong".into()) }));
        assert!(links.contains(&Link::Merge { source: ("thời".into(), "gian".into()), ocr: "thờigian".into() }));
    }

    #[test]
    fn letters_align_with_their_readings() {
        assert_eq!(
            align_letters("của", "ctia"),
            vec![('c', "c".into()), ('ủ', "ti".into()), ('a', "a".into())]
        );
        assert_eq!(align_letters("số", "s6"), vec![('s', "s".into()), ('ố', "6".into())]);
    }
}
