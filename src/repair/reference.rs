//! Scoring repair on a real OCR text layer against a phrase reference: for each
//! reference phrase, the syllables that the repaired line gets wrong.
//!
//! Simulated OCR (rendered corpus pages read back by Tesseract) flatters a model whose
//! channel was learned from the same kind of rendering; a real scan's text layer, read
//! by a Vietnamese speaker, does not. The reference gives phrases per line rather than
//! whole lines so it need not copy the layer, and repair keeps lines, so each phrase is
//! looked for in its own line of the output.

use anyhow::{bail, Context};
use std::path::Path;

use super::eval::{ser_tokens, ErrorCount};
use super::Repairer;

/// One reference phrase: a 1-based line of the OCR text and what that line says there.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub line: usize,
    pub text: String,
}

/// How a repaired text compares with a reference.
#[derive(Debug, Clone, Default)]
pub struct ReferenceFigures {
    pub phrases: usize,
    /// Phrases the repaired (or raw) line contains syllable for syllable.
    pub phrases_right_before: usize,
    pub phrases_right_after: usize,
    pub before: ErrorCount,
    pub after: ErrorCount,
    /// Phrases the repair got wrong: (line, reference, what the repaired line says there).
    pub misses: Vec<(usize, String, String)>,
}

/// Reads a reference file: `line<TAB>phrase` rows, `#` comments.
pub fn read_reference(path: &Path) -> anyhow::Result<Vec<Phrase>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read the reference", path.display()))?;
    let mut phrases = Vec::new();
    for (i, row) in text.lines().enumerate() {
        if row.trim().is_empty() || row.starts_with('#') {
            continue;
        }
        let Some((line, phrase)) = row.split_once('\t') else {
            bail!("{}:{}: expected `line<TAB>phrase`", path.display(), i + 1);
        };
        let line: usize = line.trim().parse().with_context(|| format!("{}:{}: `{line}` is not a line number", path.display(), i + 1))?;
        phrases.push(Phrase { line, text: crate::viet::nfc(phrase.trim()) });
    }
    Ok(phrases)
}

/// Syllable errors of `phrase` against the stretch of `line` that matches it best.
pub fn phrase_errors(phrase: &[String], line: &[String]) -> (usize, String) {
    // Edit distance with free skips of the line before and after the phrase.
    let (n, m) = (phrase.len(), line.len());
    let mut prev: Vec<(usize, usize)> = (0..=m).map(|j| (0, j)).collect();
    for i in 1..=n {
        let mut cur = vec![(i, 0usize); m + 1];
        for j in 1..=m {
            let substitute = (prev[j - 1].0 + (phrase[i - 1] != line[j - 1]) as usize, prev[j - 1].1);
            let skip_phrase = (prev[j].0 + 1, prev[j].1);
            let skip_line = (cur[j - 1].0 + 1, cur[j - 1].1);
            cur[j] = [substitute, skip_phrase, skip_line].into_iter().min_by_key(|c| c.0).unwrap();
        }
        prev = cur;
    }
    let (end, &(errors, start)) = prev.iter().enumerate().min_by_key(|(_, c)| c.0).unwrap();
    (errors, line[start.min(end)..end].join(" "))
}

/// The syllables of `text` as compared: without surrounding punctuation, letter case
/// or a preference of tone placement (hòa = hoà, which `--style` chooses).
fn comparable(text: &str) -> Vec<String> {
    ser_tokens(text).iter().map(|t| crate::viet::canonical(t, crate::viet::ToneStyle::New)).collect()
}

/// Compares `raw` and its repair with the reference, phrase by phrase.
pub fn score(repairer: &Repairer, raw: &str, phrases: &[Phrase]) -> anyhow::Result<ReferenceFigures> {
    let raw = crate::viet::nfc(raw);
    let repaired = repairer.repair(&raw).text;
    let raw_lines: Vec<&str> = raw.split('\n').collect();
    let repaired_lines: Vec<&str> = repaired.split('\n').collect();
    let mut figures = ReferenceFigures::default();
    for phrase in phrases {
        let (Some(raw_line), Some(repaired_line)) = (raw_lines.get(phrase.line - 1), repaired_lines.get(phrase.line - 1)) else {
            bail!("the reference names line {} but the text has {} lines", phrase.line, raw_lines.len());
        };
        let reference = comparable(&phrase.text);
        let (before, _) = phrase_errors(&reference, &comparable(raw_line));
        let (after, found) = phrase_errors(&reference, &comparable(repaired_line));
        figures.phrases += 1;
        figures.phrases_right_before += (before == 0) as usize;
        figures.phrases_right_after += (after == 0) as usize;
        figures.before.add(ErrorCount { errors: before, reference: reference.len() });
        figures.after.add(ErrorCount { errors: after, reference: reference.len() });
        if after > 0 {
            figures.misses.push((phrase.line, phrase.text.clone(), found));
        }
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<String> {
        ser_tokens(s)
    }

    #[test]
    fn a_phrase_is_matched_inside_its_line() {
        let (errors, found) = phrase_errors(&tokens("công tác dân vận"), &tokens("thực hiện công tác dân vận chính quyền"));
        assert_eq!((errors, found.as_str()), (0, "công tác dân vận"));
        let (errors, _) = phrase_errors(&tokens("công tác dân vận"), &tokens("thực hiện công tức dân văn chính quyền"));
        assert_eq!(errors, 2);
        // A split word: one piece stands for it, the other is outside the phrase.
        let (errors, found) = phrase_errors(&tokens("trong nội bộ"), &tokens("tr ong nội bộ"));
        assert_eq!((errors, found.as_str()), (1, "ong nội bộ"));
    }
}
