//! The invisible text of one page: each word of the repaired text drawn in render mode 3
//! (neither filled nor stroked) on the box OCR found it in, stretched horizontally to the
//! box's width, so that selecting highlights the printed word and copying gives the
//! repaired Vietnamese, line by line in the order OCR read them.

use std::io::Write;

use super::font::{Encoder, FontFile};
use crate::record::{OcrWord, Page};

/// A word to draw: its text and its box in page pixels (left, top, width, height).
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub text: String,
    pub bbox: [f32; 4],
}

/// One line of words in reading order.
pub type Line = Vec<Placed>;

/// The page's repaired words, each on its box. A repaired line that still has as many
/// words as OCR read is matched word for word; one that repair split or joined is spread
/// over the line's span in proportion to the letters of its words. When the repaired text
/// does not have the raw text's lines (it always has, for pages vanban OCR'd) the raw
/// words are drawn as OCR read them rather than nothing.
pub fn placed_lines(page: &Page) -> Vec<Line> {
    let raw_lines = page.raw_text.split('\n').count();
    let repaired: Vec<&str> = page.repaired_text.split('\n').collect();
    let use_repaired = repaired.len() == raw_lines;
    let mut by_line: std::collections::BTreeMap<u32, Vec<&OcrWord>> = Default::default();
    for word in &page.words {
        by_line.entry(word.line).or_default().push(word);
    }
    let mut lines = Vec::with_capacity(by_line.len());
    for (number, words) in by_line {
        let text = if use_repaired { repaired.get(number as usize - 1).copied() } else { None };
        let line = match text {
            Some(text) => place_line(text, &words),
            None => words.iter().map(|w| Placed { text: crate::viet::nfc(&w.text), bbox: bbox(w) }).collect(),
        };
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

fn bbox(w: &OcrWord) -> [f32; 4] {
    [w.bbox[0] as f32, w.bbox[1] as f32, w.bbox[2] as f32, w.bbox[3] as f32]
}

fn place_line(text: &str, words: &[&OcrWord]) -> Line {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    if tokens.is_empty() || words.is_empty() {
        return Vec::new();
    }
    if tokens.len() == words.len() {
        return tokens.iter().zip(words).map(|(t, w)| Placed { text: (*t).to_owned(), bbox: bbox(w) }).collect();
    }
    let left = words.iter().map(|w| w.bbox[0]).min().unwrap_or(0) as f32;
    let right = words.iter().map(|w| w.bbox[0] + w.bbox[2]).max().unwrap_or(0) as f32;
    let top = words.iter().map(|w| w.bbox[1]).min().unwrap_or(0) as f32;
    let bottom = words.iter().map(|w| w.bbox[1] + w.bbox[3]).max().unwrap_or(0) as f32;
    // A space counts as one letter: the gap between two printed words.
    let letters: usize = tokens.iter().map(|t| t.chars().count()).sum::<usize>() + tokens.len() - 1;
    let per_letter = (right - left).max(1.0) / letters as f32;
    let mut x = left;
    tokens
        .iter()
        .map(|t| {
            let width = t.chars().count() as f32 * per_letter;
            let placed = Placed { text: (*t).to_owned(), bbox: [x, top, width, bottom - top] };
            x += width + per_letter;
            placed
        })
        .collect()
}

/// The unit the text is written in: a hundredth of an inch (0.72 pt, 3 pixels of a 300 DPI
/// scan). Positions and sizes are whole units: a word starts within 0.13 mm of its box,
/// which no viewer's highlight shows, and its numbers are shorter and repeat more than in
/// whole pixels (the text layer of a two-page G4 report deflated 8% smaller).
const UNIT: f32 = 0.72;

/// Content-stream operators drawing `lines` invisibly with font resource `/VanbanText`.
/// `scale` is points per pixel and `height` the page height in points (y measured down
/// from it). The text is written in whole [`UNIT`]s (one `cm` scales them to points); each
/// word moves from the previous one with a relative `Td`, and its stretch (`Tz`) is a whole
/// percent, one value kept over a run of words while it fits each of them (see
/// `stretches`), written only when it changes. The strings are literal, one byte a
/// character (see `font::Encoder`). All of this keeps the layer small: issue 14 allows a
/// text layer 10% of the scan's size.
pub fn content(lines: &[Line], encoder: &mut Encoder, font: &FontFile, scale: f32, height: f32) -> Vec<u8> {
    let mut out = Vec::new();
    if lines.is_empty() {
        return out;
    }
    let _ = write!(out, "{u} 0 0 {u} 0 0 cm\nBT\n3 Tr\n", u = num(UNIT));
    // Units per pixel.
    let k = scale / UNIT;
    let height = height / UNIT;
    let extent = font.ascent() - font.descent();
    let (space, _) = encoder.encode(" ");
    // First the page's words with their sizes and the stretch that fits each to its box,
    // then the stretches written (see `stretches`), then the operators.
    struct Item {
        size: i64,
        baseline: i64,
        left: i64,
        glyphs: Vec<u8>,
        want: f32,
    }
    let mut items = Vec::new();
    for line in lines {
        // One size and baseline for the line, so that viewers read it as one line.
        let top = k * line.iter().map(|p| p.bbox[1]).fold(f32::MAX, f32::min);
        let bottom = k * line.iter().map(|p| p.bbox[1] + p.bbox[3]).fold(f32::MIN, f32::max);
        let size = (((bottom - top) / extent).round() as i64).max(1);
        let baseline = (height - bottom - font.descent() * size as f32).round() as i64;
        let count = line.len();
        for (i, word) in line.iter().enumerate() {
            let (mut glyphs, em_width) = encoder.encode(&word.text);
            if glyphs.is_empty() {
                continue;
            }
            let natural = em_width / 1000.0 * size as f32;
            let want = if natural > 0.0 { (100.0 * k * word.bbox[2] / natural).clamp(1.0, 10_000.0) } else { 100.0 };
            // The space after a word (not drawn past the line's last word) tells every
            // viewer where the word ends.
            if i + 1 < count {
                glyphs.extend_from_slice(&space);
            }
            items.push(Item { size, baseline, left: (k * word.bbox[0]).round() as i64, glyphs, want });
        }
    }
    let stretches = stretches(&items.iter().map(|i| i.want).collect::<Vec<_>>());
    let (mut x, mut y, mut size, mut stretch) = (0i64, 0i64, 0i64, 100i64);
    for (item, want) in items.iter().zip(stretches) {
        if item.size != size {
            size = item.size;
            let _ = writeln!(out, "/VanbanText {size} Tf");
        }
        let _ = write!(out, "{} {} Td ", item.left - x, item.baseline - y);
        (x, y) = (item.left, item.baseline);
        if want != stretch {
            stretch = want;
            let _ = write!(out, "{stretch} Tz ");
        }
        out.extend_from_slice(&literal(&item.glyphs));
        out.extend_from_slice(b" Tj\n");
    }
    out.extend_from_slice(b"ET\n");
    out
}

/// How much narrower than its printed box a word may be drawn, so that one `Tz` serves
/// several words: with Times' widths a dense page then needs about 40 stretches (a tenth of
/// its words). Never wider: a word stays inside its OCR box and starts where it does.
const NARROWER: f32 = 0.10;

/// The whole-percent stretch (`Tz`) to draw each word with, given the stretch that would
/// fit each exactly: one value is kept while it fits every word of a run (at most the
/// exact stretch and at least `1 - NARROWER` of it), the largest that does. Greedy runs
/// are the fewest: a run ends only where no value fits one more word.
fn stretches(want: &[f32]) -> Vec<i64> {
    let mut out = Vec::with_capacity(want.len());
    let mut start = 0;
    while start < want.len() {
        let (mut low, mut high) = (0f32, f32::MAX);
        let mut end = start;
        while end < want.len() {
            let (l, h) = ((want[end] * (1.0 - NARROWER)).ceil(), want[end].floor().max(1.0));
            let (l, h) = (low.max(l), high.min(h));
            // The first word always fits alone (its floor is within its range unless the
            // range holds no whole percent; then it is drawn at its floor).
            if end > start && l > h {
                break;
            }
            (low, high) = (l, h);
            end += 1;
        }
        let value = high.max(1.0) as i64;
        out.extend(std::iter::repeat(value).take(end - start));
        start = end;
    }
    out
}

/// `bytes` as a literal string: backslash and parentheses escaped, and the two line-end
/// bytes too (a reader would otherwise turn a CR into LF).
fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
    out.push(b')');
    out
}

/// A number as content streams want it: at most 3 decimals, no exponent.
pub(super) fn num(v: f32) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, left: u32, line: u32) -> OcrWord {
        OcrWord { text: text.to_owned(), confidence: 90.0, bbox: [left, 100, 50, 20], line }
    }

    #[test]
    fn a_repaired_line_with_the_same_words_keeps_their_boxes() {
        let page = Page {
            raw_text: "Dan van\n\nchinh quyen".to_owned(),
            repaired_text: "Dân vận\n\nchính quyền".to_owned(),
            words: vec![word("Dan", 10, 1), word("van", 70, 1), word("chinh", 10, 3), word("quyen", 70, 3)],
            ..Default::default()
        };
        let lines = placed_lines(&page);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0][1], Placed { text: "vận".to_owned(), bbox: [70.0, 100.0, 50.0, 20.0] });
        assert_eq!(lines[1][0].text, "chính");
    }

    #[test]
    fn a_line_repair_split_is_spread_over_its_span() {
        let page = Page {
            raw_text: "côngtác".to_owned(),
            repaired_text: "công tác".to_owned(),
            words: vec![word("côngtác", 0, 1)],
            ..Default::default()
        };
        let lines = placed_lines(&page);
        assert_eq!(lines[0].len(), 2);
        assert!(lines[0][1].bbox[0] > lines[0][0].bbox[0] + lines[0][0].bbox[2]);
        assert!(lines[0][1].bbox[0] + lines[0][1].bbox[2] <= 50.5);
    }

    #[test]
    fn one_stretch_serves_a_run_of_words_and_never_widens_one() {
        let want = [120.4, 115.0, 111.0, 80.0, 150.0, 149.2];
        let got = stretches(&want);
        assert_eq!(got, vec![111, 111, 111, 80, 149, 149]);
        for (w, g) in want.iter().zip(&got) {
            assert!((*g as f32) <= *w && (*g as f32) >= w * (1.0 - NARROWER) - 1.0, "{g} for {w}");
        }
        assert_eq!(stretches(&[2.5, 2.4]), vec![2, 2]);
        assert!(stretches(&[]).is_empty());
    }

    #[test]
    fn numbers_are_short_and_plain() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(0.1234), "0.123");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(f32::NAN), "0");
    }
}
