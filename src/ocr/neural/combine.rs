//! Tesseract and the neural reader on the same page, combined line by line under the
//! language model.
//!
//! The two err differently: Tesseract `vie` keeps tone marks on clean print but breaks
//! on colour, low resolution and seals; the neural reader reads those but drops marks
//! (`sô` for số). So the neural reader reads the whole page (its own line detector,
//! then each line), its characters are put on Tesseract's lines by position, and for
//! each line the reading the language model finds likelier — with the readers' own
//! confidences as a prior — is kept. Tesseract's line structure, word boxes and junk
//! filter stay as they are; only a line's text may change.
//!
//! The network runs on the OCR worker ([`second_reading`]); the choice needs the
//! language model and runs where the repairer is ([`choose`], [`apply`]).
//!
//! Not wired into ingest yet: on the development pages it does not beat Tesseract
//! alone after repair (`vanban eval neural`), because the Rust port's page reading
//! still falls short of the reference's (see the README's accuracy section).

use serde::{Deserialize, Serialize};

use super::prep::{Gray, LineBox};
use super::LineReading;
use crate::record::OcrWord;
use crate::repair::lm::LanguageModel;
use crate::repair::token::{BOS, EOS, UNK};
use crate::viet::{self, ToneStyle};

/// The neural reading of one Tesseract line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineAlternative {
    /// 1-based line of the page's raw text (as [`OcrWord::line`]).
    pub line: u32,
    pub text: String,
    /// Mean peak probability of its characters.
    pub confidence: f32,
    /// Its words, with the image x-range of their characters.
    pub words: Vec<AltWord>,
}

/// A word of a neural line: text, the x of its first and last character, mean peak
/// probability of its characters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AltWord {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub confidence: f32,
}

/// The neural reader's alternatives for a page's lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecondReading {
    pub lines: Vec<LineAlternative>,
}

/// A detected line and what the recognizer read there.
pub struct NeuralLine {
    pub bbox: LineBox,
    pub reading: LineReading,
}

/// The neural reader over a whole page: detected lines, read in batches.
pub fn read_page(page: &Gray) -> anyhow::Result<Vec<NeuralLine>> {
    let boxes: Vec<LineBox> = super::detect_lines(page)?.into_iter().map(|(b, _)| b).collect();
    let readings = super::read_lines(page, &boxes)?;
    Ok(boxes.into_iter().zip(readings).map(|(bbox, reading)| NeuralLine { bbox, reading }).collect())
}

/// Page text of the neural reader alone, lines in XY-cut reading order.
pub fn page_text(lines: &[NeuralLine]) -> String {
    let boxes: Vec<LineBox> = lines.iter().map(|l| l.bbox).collect();
    super::detect::reading_order(&boxes)
        .into_iter()
        .map(|i| lines[i].reading.text.as_str())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Pages Tesseract read with a mean word confidence below this get the second reading.
/// Clean print reads at 90 and more, where the neural reader only loses tone marks;
/// colour, low-resolution and sealed pages read lower.
pub const WEAK_PAGE_CONFIDENCE: f32 = 88.0;

/// The second reading of a page Tesseract read weakly (see [`WEAK_PAGE_CONFIDENCE`]);
/// `None` for a page read well, or when the neural reader fails (the failure is logged:
/// Tesseract's reading stands).
pub fn second_reading_if_weak(image: &crate::ocr::PageImage, ocr: &crate::ocr::OcrPage) -> Option<SecondReading> {
    if ocr.words.is_empty() || ocr.mean_confidence >= WEAK_PAGE_CONFIDENCE {
        return None;
    }
    let gray = Gray::new(image.width as usize, image.height as usize, &image.pixels)?;
    match second_reading(&gray, &ocr.words) {
        Ok(second) => Some(second),
        Err(err) => {
            tracing::warn!("neural reader failed on a page: {err:#}");
            None
        }
    }
}

/// Reads `page` with the neural reader and puts its characters on Tesseract's lines.
pub fn second_reading(page: &Gray, words: &[OcrWord]) -> anyhow::Result<SecondReading> {
    let neural = read_page(page)?;
    Ok(align_to_lines(&neural, words))
}

/// For each Tesseract line (the hull of its words), the neural characters of the
/// detected lines that overlap it vertically by half the smaller height, whose x lies
/// within the line (with a margin of a third of its height).
pub fn align_to_lines(neural: &[NeuralLine], words: &[OcrWord]) -> SecondReading {
    let mut hulls: Vec<(u32, [f32; 4])> = Vec::new();
    for w in words {
        let [l, t, wd, ht] = w.bbox.map(|v| v as f32);
        match hulls.iter_mut().find(|(line, _)| *line == w.line) {
            Some((_, h)) => {
                h[0] = h[0].min(l);
                h[1] = h[1].min(t);
                h[2] = h[2].max(l + wd);
                h[3] = h[3].max(t + ht);
            }
            None => hulls.push((w.line, [l, t, l + wd, t + ht])),
        }
    }
    let mut lines = Vec::new();
    for (line, [x0, y0, x1, y1]) in hulls {
        let h = (y1 - y0).max(1.0);
        let margin = h / 3.0;
        let mut chars: Vec<(f32, char, f32)> = Vec::new();
        for n in neural {
            let overlap = (y1.min(n.bbox.y1) - y0.max(n.bbox.y0)).max(0.0);
            if overlap < 0.5 * h.min(n.bbox.y1 - n.bbox.y0) {
                continue;
            }
            chars.extend(n.reading.chars.iter().filter(|c| c.x >= x0 - margin && c.x <= x1 + margin).map(|c| (c.x, c.ch, c.probability)));
        }
        if chars.iter().all(|c| c.1.is_whitespace()) {
            continue;
        }
        chars.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut words: Vec<AltWord> = Vec::new();
        for group in chars.split(|c| c.1.is_whitespace()).filter(|g| !g.is_empty()) {
            let raw: String = group.iter().map(|c| c.1).collect();
            let confidence = group.iter().map(|c| c.2).sum::<f32>() / group.len() as f32;
            words.push(AltWord { text: viet::nfc(&raw), x0: group[0].0, x1: group[group.len() - 1].0, confidence });
        }
        let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        let confidence = words.iter().map(|w| w.confidence).sum::<f32>() / words.len().max(1) as f32;
        lines.push(LineAlternative { line, text, confidence, words });
    }
    SecondReading { lines }
}

/// log10 cost of a word the language model does not know (a misread syllable most
/// often): about what a rare known word costs.
const UNKNOWN_WORD: f32 = -5.0;
/// Below this many log10 units of advantage the neural reading does not replace
/// Tesseract's (Tesseract reads clean print better; it keeps ties).
pub const MARGIN: f32 = 1.0;

/// log10 P of a line's words under the trigram model, numbers and symbols as the
/// unknown token without penalty, unknown letter-words with [`UNKNOWN_WORD`].
pub fn line_logp(lm: &LanguageModel, text: &str) -> f32 {
    let (mut u, mut v) = (BOS, BOS);
    let mut total = 0.0;
    for token in text.split_whitespace() {
        let core = token.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            continue;
        }
        let w = if core.chars().all(char::is_alphabetic) {
            match lm.id(&viet::canonical(core, ToneStyle::New)) {
                Some(id) => id,
                None => {
                    total += UNKNOWN_WORD;
                    UNK
                }
            }
        } else {
            UNK
        };
        total += lm.logp(u, v, w);
        (u, v) = (v, w);
    }
    total + lm.logp(u, v, EOS)
}

/// What [`choose`] did to one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub line: u32,
    pub tesseract: String,
    pub neural: String,
    /// log10 advantage of the neural reading (positive: it is likelier).
    pub advantage: f32,
    pub took_neural: bool,
}

/// Tesseract's page text with each line replaced by the neural reading where the
/// language model prefers it by more than [`MARGIN`]; the choices, for the record and
/// for evaluation.
pub fn choose(text: &str, second: &SecondReading, lm: &LanguageModel) -> (String, Vec<Choice>) {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut choices = Vec::new();
    for alt in &second.lines {
        let Some(slot) = (alt.line as usize).checked_sub(1).and_then(|i| lines.get_mut(i)) else { continue };
        if slot.trim().is_empty() || *slot == alt.text {
            continue;
        }
        let advantage = line_logp(lm, &alt.text) - line_logp(lm, slot);
        let took_neural = advantage > MARGIN;
        choices.push(Choice { line: alt.line, tesseract: slot.clone(), neural: alt.text.clone(), advantage, took_neural });
        if took_neural {
            *slot = alt.text.clone();
        }
    }
    (lines.join("\n"), choices)
}

/// `ocr` with the lines [`choose`] gives to the neural reader replaced: the line's text,
/// and its words (boxes from the neural characters' positions within Tesseract's line,
/// confidence 100 × the characters' mean probability).
pub fn apply(mut ocr: crate::ocr::OcrPage, second: &SecondReading, lm: &LanguageModel) -> (crate::ocr::OcrPage, Vec<Choice>) {
    let (text, choices) = choose(&ocr.text, second, lm);
    let replaced: Vec<u32> = choices.iter().filter(|c| c.took_neural).map(|c| c.line).collect();
    if replaced.is_empty() {
        return (ocr, choices);
    }
    let mut words = Vec::with_capacity(ocr.words.len());
    let mut old = std::mem::take(&mut ocr.words).into_iter().peekable();
    while let Some(w) = old.next() {
        if !replaced.contains(&w.line) {
            words.push(w);
            continue;
        }
        // The whole line: its hull, then the neural words in its place.
        let line = w.line;
        let (mut top, mut bottom) = (w.bbox[1], w.bbox[1] + w.bbox[3]);
        while let Some(next) = old.next_if(|n| n.line == line) {
            top = top.min(next.bbox[1]);
            bottom = bottom.max(next.bbox[1] + next.bbox[3]);
        }
        let alt = second.lines.iter().find(|a| a.line == line).expect("a chosen line has an alternative");
        let pitch = (bottom - top) as f32 * 0.25;
        words.extend(alt.words.iter().map(|a| OcrWord {
            text: a.text.clone(),
            confidence: 100.0 * a.confidence,
            bbox: [(a.x0 - pitch).max(0.0) as u32, top, ((a.x1 - a.x0) + 2.0 * pitch) as u32, bottom - top],
            line,
        }));
    }
    ocr.words = words;
    ocr.text = text;
    (ocr, choices)
}
