//! Two readings of a page with a garbled text layer — our OCR, and the layer (a legacy
//! engine's OCR) — combined line by line.
//!
//! The layer's words are put on the OCR's lines by their boxes (a word belongs to the OCR
//! line whose box holds its middle), so the two readings have the same lines whatever
//! either engine did with columns and line breaks. Both are repaired — the layer as a
//! whole, so that the repair sees it is legacy OCR — and each line keeps the OCR reading
//! unless the layer's is clearly likelier: it is the layer that must make its case, since
//! OCR with the Vietnamese model is right far more often.
//!
//! "Likelier" is the language model's score of each reading, plus, where the two lines
//! have the same words but for a few, what the OCR engine itself said of those words: a
//! word it read with confidence 0.3 is more likely the layer's than one it read at 0.95.
//! The language model alone cannot tell "1." from "I." opening a list item, or "phản
//! ánh" from "phản ảnh"; the OCR's confidence can.

use crate::record::OcrWord;
use crate::repair::token;
use crate::repair::{Correction, Repaired, Repairer};

use super::layer::{words_logp, TextLayer};

/// How much likelier (log10) the layer's line must be than the OCR's to replace it.
const MARGIN: f32 = 0.5;
/// When the two lines do not have the same number of words, the language model alone
/// decides, and must prefer the layer by a factor of 10.
const MARGIN_UNALIGNED: f32 = 1.0;
/// The cost (log10) charged per token a reading lacks against the other: about that of a
/// word the model does not know, so that dropping words does not pay.
const MISSING_TOKEN: f32 = -4.0;
/// How often a repaired legacy-layer word is right where it differs from our OCR, before
/// the OCR's confidence is heard (the repaired real legacy sample has 3.9% of its
/// syllables wrong; where it disagrees with OCR it is wrong far more often).
const LAYER_RIGHT: f32 = 0.8;

/// The combined page: repaired text with the OCR's line structure, its corrections, and
/// the lines (1-based) taken from the layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub text: String,
    pub corrections: Vec<Correction>,
    pub lines_from_layer: Vec<u32>,
}

/// Combines the OCR reading (`ocr_raw`, its `ocr_words`, and `ocr_repaired` = the repair
/// of `ocr_raw`) with the layer's, line by line.
pub fn merge(ocr_raw: &str, ocr_words: &[OcrWord], ocr_repaired: &Repaired, layer: &TextLayer, repairer: &Repairer) -> Merged {
    let keep_ocr = || Merged { text: ocr_repaired.text.clone(), corrections: ocr_repaired.corrections.clone(), lines_from_layer: Vec::new() };
    let raw_lines: Vec<&str> = ocr_raw.split('\n').collect();
    let layer_text = layer_on_ocr_lines(&raw_lines, ocr_words, &layer.words);
    let layer_repaired = repairer.repair(&layer_text);
    let ocr_lines: Vec<&str> = ocr_repaired.text.split('\n').collect();
    let layer_lines: Vec<&str> = layer_repaired.text.split('\n').collect();
    if ocr_lines.len() != layer_lines.len() {
        return keep_ocr();
    }
    let lm = repairer.language_model();
    let mut text = String::with_capacity(ocr_repaired.text.len());
    let mut corrections = Vec::new();
    let mut lines_from_layer = Vec::new();
    let (ocr_starts, layer_starts) = (line_starts(&ocr_repaired.text), line_starts(&layer_repaired.text));
    for (i, (ours, theirs)) in ocr_lines.iter().zip(&layer_lines).enumerate() {
        let line = i as u32 + 1;
        if i > 0 {
            text.push('\n');
        }
        let from_layer = !theirs.trim().is_empty() && ours.trim() != theirs.trim() && {
            let (o, no) = words_logp(ours, lm);
            let (l, nl) = words_logp(theirs, lm);
            let confidences: Vec<f32> = ocr_words.iter().filter(|w| w.line == line).map(|w| w.confidence / 100.0).collect();
            let evidence = match confidence_evidence(ours, theirs, &confidences) {
                Some(channel) => (l - o) + channel - MARGIN,
                None if no.abs_diff(nl) <= (no / 10).max(1) => {
                    let most = no.max(nl);
                    let adjusted = |sum: f32, n: usize| sum + (most - n) as f32 * MISSING_TOKEN;
                    adjusted(l, nl) - adjusted(o, no) - MARGIN_UNALIGNED
                }
                None => f32::NEG_INFINITY,
            };
            tracing::debug!(line, ocr = o, layer = l, evidence, ours, theirs, "merge");
            evidence > 0.0
        };
        let (chosen, source, starts) = if from_layer {
            lines_from_layer.push(line);
            (theirs, &layer_repaired, &layer_starts)
        } else {
            (ours, ocr_repaired, &ocr_starts)
        };
        let at = text.len();
        text.push_str(chosen);
        for c in source.corrections.iter().filter(|c| c.line == line) {
            let mut c = c.clone();
            c.start = at + c.start.saturating_sub(starts[i]);
            corrections.push(c);
        }
    }
    Merged { text, corrections, lines_from_layer }
}

/// What the OCR engine's confidence says (log10 odds for the layer) where two readings of
/// a line with the same number of words differ word by word; `None` when the words do
/// not line up (different counts, or OCR's words not those of its line).
fn confidence_evidence(ours: &str, theirs: &str, confidences: &[f32]) -> Option<f32> {
    let cores = |line: &str| -> Vec<String> { token::pieces(line).iter().map(|p| p.core(line).to_owned()).collect() };
    let (a, b) = (cores(ours), cores(theirs));
    if a.len() != b.len() || a.len() != confidences.len() {
        return None;
    }
    let mut odds = 0.0;
    for ((x, y), &c) in a.iter().zip(&b).zip(confidences) {
        if x != y {
            let c = c.clamp(0.01, 0.99);
            odds += (((1.0 - c) * LAYER_RIGHT) / (c * (1.0 - LAYER_RIGHT))).log10();
        }
    }
    Some(odds)
}

/// Byte offset of each line's start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// The layer's text with the OCR's lines: line `i` holds the layer words whose middle lies
/// in OCR line `i`'s box (a word in two boxes goes to the nearer line), left to right;
/// lines OCR left empty stay empty.
pub fn layer_on_ocr_lines(raw_lines: &[&str], ocr_words: &[OcrWord], layer_words: &[OcrWord]) -> String {
    // [left, top, right, bottom] of each OCR line.
    let mut boxes: Vec<Option<[u32; 4]>> = vec![None; raw_lines.len()];
    for w in ocr_words {
        let Some(slot) = (w.line as usize).checked_sub(1).and_then(|i| boxes.get_mut(i)) else { continue };
        let [l, t, width, height] = w.bbox;
        let b = [l, t, l + width, t + height];
        *slot = Some(match *slot {
            None => b,
            Some(a) => [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])],
        });
    }
    let mut on_line: Vec<Vec<&OcrWord>> = vec![Vec::new(); raw_lines.len()];
    for w in layer_words {
        let (x, y) = (w.bbox[0] + w.bbox[2] / 2, w.bbox[1] + w.bbox[3] / 2);
        let nearest = boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|b| (i, b)))
            .filter(|(_, b)| {
                let pad = (b[3] - b[1]) / 2;
                x + pad >= b[0] && x <= b[2] + pad && y >= b[1] && y <= b[3]
            })
            .min_by_key(|(_, b)| (y as i64 - (b[1] + b[3]) as i64 / 2).abs());
        if let Some((i, _)) = nearest {
            on_line[i].push(w);
        }
    }
    let mut out = String::new();
    for (i, words) in on_line.iter_mut().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if raw_lines[i].trim().is_empty() {
            continue;
        }
        words.sort_by_key(|w| w.bbox[0]);
        let joined: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        out.push_str(&joined.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, x: u32, y: u32, line: u32) -> OcrWord {
        OcrWord { text: text.to_owned(), confidence: 90.0, bbox: [x, y, 40, 20], line }
    }

    #[test]
    fn layer_words_are_put_on_the_ocr_lines_by_their_boxes() {
        let raw = ["Căn cứ Luật", "", "Điều 1"];
        let ocr = [word("Căn", 0, 0, 1), word("cứ", 50, 0, 1), word("Luật", 100, 0, 1), word("Điều", 0, 60, 3), word("1", 50, 60, 3)];
        // The layer lists its words in another order, one of them a little lower.
        let layer = [word("Dieu", 2, 62, 0), word("Luat", 101, 3, 0), word("Can", 1, 0, 0), word("cu", 52, 1, 0), word("1", 51, 61, 0), word("noise", 500, 300, 0)];
        assert_eq!(layer_on_ocr_lines(&raw, &ocr, &layer), "Can cu Luat\n\nDieu 1");
    }

    #[test]
    fn the_ocr_engines_doubt_about_a_word_counts_for_the_layer() {
        // "I." read at 0.55 against the layer's "1.": odds for the layer.
        let unsure = confidence_evidence("I. Nâng cao", "1. Nâng cao", &[0.55, 0.97, 0.96]).unwrap();
        assert!(unsure > 0.4, "{unsure}");
        // "ánh" read at 0.95 against the layer's "ảnh": odds for the OCR.
        let sure = confidence_evidence("phản ánh về", "phản ảnh về", &[0.96, 0.95, 0.97]).unwrap();
        assert!(sure < -0.5, "{sure}");
        // Same words: no evidence either way; different counts: none at all.
        assert_eq!(confidence_evidence("phản ánh", "phản ánh.", &[0.5, 0.5]), Some(0.0));
        assert_eq!(confidence_evidence("phản ánh", "phản", &[0.5, 0.5]), None);
    }

    #[test]
    fn line_starts_are_byte_offsets() {
        assert_eq!(line_starts("ab\n\ncđ\n"), vec![0, 3, 4, 8]);
    }
}
