//! A second reader beside Tesseract: trueocr's neural line recognizer (a small CTC
//! network, `models/trueocr/rec.onnx`) and text-line detector (`det.onnx`), run in pure
//! Rust by `tract` from the bytes compiled into the binary (nothing is read or fetched
//! at run time).
//!
//! What it is for, measured on real scans (see the README's accuracy section): it reads
//! low-resolution and colour pages better than Tesseract `vie`, but drops tone marks on
//! our clean renders, so it is combined with Tesseract rather than replacing it; and it
//! reads handwritten digits in the number and day fields that Tesseract cannot.
//!
//! The API other stages code against:
//! - [`read_line`]: any one-line crop → text, confidence and the per-frame posteriors;
//! - [`read_digits`] / [`read_field`]: a crop of a handwritten or stamped field →
//!   several [`Candidate`]s with scores that sum to at most 1 (a posterior among the
//!   strings the field may hold), so that a caller can weigh them against other
//!   evidence and flag the field unsure when the best is not far ahead;
//! - [`read_lines`]: many line boxes of one page, batched by width (the fast path).
//!
//! Every function is safe to call from many threads at once; the models load once.

pub mod combine;
pub mod ctc;
mod detect;
pub mod eval;
pub mod prep;

use anyhow::{anyhow, Context};
use once_cell::sync::OnceCell;
use tract_onnx::prelude::*;

pub use ctc::{Pattern, Posteriors};
pub use detect::detect_lines;
pub use prep::{Gray, LineBox};

use prep::{InkLine, Margins};

static REC_ONNX: &[u8] = include_bytes!("../../../models/trueocr/rec.onnx");
static DET_ONNX: &[u8] = include_bytes!("../../../models/trueocr/det.onnx");
static META_JSON: &str = include_str!("../../../models/trueocr/meta.json");

/// Lines per recognizer run (the reference's default batch).
const MAX_BATCH: usize = 32;

/// One reading of a field, with its share of the probability among the strings the
/// field's pattern allows (summed over CTC alignments, normalized over the candidates
/// found). Scores of one call are sorted best first and sum to at most 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub text: String,
    pub score: f32,
}

/// One character of a greedy reading: where it sits (image x of its frame) and how sure
/// the model was.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CharHit {
    pub ch: char,
    pub x: f32,
    pub probability: f32,
}

/// A line as the recognizer read it.
#[derive(Debug, Clone)]
pub struct LineReading {
    /// Greedy CTC text, NFC, whitespace collapsed (as the reference prints it).
    pub text: String,
    /// Mean peak probability of the kept frames (the reference's confidence; not
    /// calibrated: 0.95 is typical of a right line, below 0.8 a doubtful one).
    pub confidence: f32,
    /// The characters with their positions, for word boxes and alignment.
    pub chars: Vec<CharHit>,
    /// Per-frame log-posteriors, for [`read_field`]-style decoding of parts of the line.
    pub posteriors: Posteriors,
}

impl LineReading {
    /// The `n` best strings `pattern` allows in this line (see [`read_field`]).
    pub fn candidates(&self, pattern: &Pattern, n: usize) -> Vec<Candidate> {
        let reader = match Reader::get() {
            Ok(r) => r,
            Err(_) => return Vec::new(),
        };
        scored_candidates(&self.posteriors, &reader.charset, pattern, n)
    }
}

/// The loaded models.
pub struct Reader {
    rec: Arc<TypedRunnableModel>,
    /// The detector as parsed: its reshapes do not analyse with symbolic sides, so it
    /// is specialised to each input size it meets (pages of one size share one plan).
    det_model: InferenceModel,
    det_plans: std::sync::Mutex<std::collections::HashMap<(usize, usize), Arc<TypedRunnableModel>>>,
    charset: Vec<char>,
    margins: Margins,
    /// Long side of the detector's input (meta.json `det_long_side`).
    det_long_side: usize,
}

static READER: OnceCell<Reader> = OnceCell::new();

#[derive(serde::Deserialize)]
struct Meta {
    charset: Vec<String>,
    max_width: usize,
    pad_y: f32,
    pad_x: f32,
    det_long_side: usize,
}

impl Reader {
    /// The process's reader, loaded on first use (~0.3 s).
    pub fn get() -> anyhow::Result<&'static Reader> {
        READER.get_or_try_init(Reader::load)
    }

    fn load() -> anyhow::Result<Reader> {
        let meta: Meta = serde_json::from_str(META_JSON).context("models/trueocr/meta.json")?;
        let charset = meta
            .charset
            .iter()
            .map(|s| s.chars().next().ok_or_else(|| anyhow!("empty class in meta.json")))
            .collect::<anyhow::Result<Vec<char>>>()?;
        // The logits before the graph's own argmax, so that fields can be decoded against
        // a pattern, and the valid frame count of each line.
        let rec = tract_onnx::onnx()
            .model_for_read(&mut &REC_ONNX[..])
            .map_err(|e| anyhow!("loading rec.onnx: {e}"))?
            .with_outputs_by_name(["/rec/Transpose_output_0", "lengths"])
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(|e| anyhow!("preparing rec.onnx: {e}"))?;
        let det_model = tract_onnx::onnx().model_for_read(&mut &DET_ONNX[..]).map_err(|e| anyhow!("loading det.onnx: {e}"))?;
        Ok(Reader {
            rec,
            det_model,
            det_plans: Default::default(),
            charset,
            margins: Margins { pad_y: meta.pad_y, pad_x: meta.pad_x, max_width: meta.max_width },
            det_long_side: meta.det_long_side,
        })
    }

    /// The detector's plan for inputs of `height` × `width` (built on first use, ~0.1 s).
    fn det_plan(&self, height: usize, width: usize) -> anyhow::Result<Arc<TypedRunnableModel>> {
        let mut plans = self.det_plans.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(plan) = plans.get(&(height, width)) {
            return Ok(Arc::clone(plan));
        }
        let plan = self
            .det_model
            .clone()
            .with_input_fact(0, f32::fact([1, 1, height, width]).into())
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(|e| anyhow!("preparing det.onnx for {height}×{width}: {e}"))?;
        // Scans come in a handful of sizes; a pathological batch must not grow this forever.
        if plans.len() >= 16 {
            plans.clear();
        }
        plans.insert((height, width), Arc::clone(&plan));
        Ok(plan)
    }

    /// Recognizes prepared lines, batched by width like the reference.
    fn recognize(&self, lines: &[InkLine]) -> anyhow::Result<Vec<LineReading>> {
        let widths: Vec<usize> = lines.iter().map(|l| l.width).collect();
        let mut out: Vec<Option<LineReading>> = vec![None; lines.len()];
        for batch in prep::width_batches(&widths, MAX_BATCH) {
            let members: Vec<&InkLine> = batch.iter().map(|&i| &lines[i]).collect();
            let (data, w, declared) = prep::pad_batch(&members);
            let x = Tensor::from_shape(&[members.len(), 1, prep::INPUT_HEIGHT, w], &data)?;
            let widths = Tensor::from_shape(&[members.len()], &declared)?;
            let result = self.rec.run(tvec!(x.into(), widths.into())).map_err(|e| anyhow!("recognizer: {e}"))?;
            let logits = result[0].to_plain_array_view::<f32>().map_err(|e| anyhow!("recognizer output: {e}"))?;
            let lengths = result[1].cast_to::<i64>().map_err(|e| anyhow!("recognizer lengths: {e}"))?;
            let lengths: Vec<i64> = lengths.to_plain_array_view::<i64>().map_err(|e| anyhow!("recognizer lengths: {e}"))?.iter().copied().collect();
            let shape = logits.shape().to_vec();
            anyhow::ensure!(shape.len() == 3, "recognizer output of shape {shape:?}");
            let (frames, classes) = (shape[1], shape[2]);
            let flat = logits.as_standard_layout();
            let flat = flat.as_slice().expect("standard layout");
            for (j, &index) in batch.iter().enumerate() {
                let n = (lengths[j].max(0) as usize).min(frames);
                let post = Posteriors::from_logits(&flat[j * frames * classes..], n, classes);
                out[index] = Some(self.reading(post, &lines[index], w, frames));
            }
        }
        Ok(out.into_iter().map(|r| r.expect("every line is in one batch")).collect())
    }

    fn reading(&self, post: Posteriors, line: &InkLine, padded_width: usize, frames: usize) -> LineReading {
        let hits = ctc::greedy(&post);
        // Frames are evenly spaced over the padded input width.
        let columns_per_frame = padded_width as f32 / frames.max(1) as f32;
        let chars: Vec<CharHit> = hits
            .iter()
            .filter_map(|&(t, k, p)| {
                let ch = *self.charset.get(k - 1)?;
                let column = (t as f32 + 0.5) * columns_per_frame;
                Some(CharHit { ch, x: line.x_origin + column * line.x_scale, probability: p })
            })
            .collect();
        let raw: String = chars.iter().map(|c| c.ch).collect();
        let text = crate::viet::nfc(&raw).split_whitespace().collect::<Vec<_>>().join(" ");
        let confidence = if chars.is_empty() { 0.0 } else { chars.iter().map(|c| c.probability).sum::<f32>() / chars.len() as f32 };
        LineReading { text, confidence, chars, posteriors: post }
    }
}

fn scored_candidates(post: &Posteriors, charset: &[char], pattern: &Pattern, n: usize) -> Vec<Candidate> {
    // Normalize over a wider list than is returned, so that the scores of the first n
    // are not inflated by cutting the list short.
    let found = ctc::constrained(post, charset, pattern, n.max(1) * 4);
    let Some(best) = found.first().map(|s| s.logp) else { return Vec::new() };
    let z: f32 = found.iter().map(|s| (s.logp - best).exp()).sum();
    found.into_iter().take(n).map(|s| Candidate { score: (s.logp - best).exp() / z, text: s.text }).collect()
}

/// Reads a crop that holds one line of text (the whole crop is the line, read with the
/// model's own margin around it). Cut it about as tight as the ink, as a detector box
/// is: wide white bands around the text shrink it in the model's fixed-height input
/// (a 12-point line rendered with 40 white pixels around it reads badly). Trimming the
/// crop to its ink was tried and did worse on the real handwritten fields (11 of 12
/// instead of 12), whose hand-cut boxes hold stray marks.
pub fn read_line(crop: &Gray) -> anyhow::Result<LineReading> {
    let reader = Reader::get()?;
    let line = prep::prepare_crop(crop, &reader.margins);
    Ok(reader.recognize(std::slice::from_ref(&line))?.remove(0))
}

/// Reads the lines at `boxes` of one page image, batched (many lines per network run).
pub fn read_lines(page: &Gray, boxes: &[LineBox]) -> anyhow::Result<Vec<LineReading>> {
    let reader = Reader::get()?;
    // Each line is cut out first and read with white around it, as the reference's page
    // reader does (the model was trained so: with the real lines above and below in its
    // window it reads them too).
    let lines: Vec<InkLine> = boxes
        .iter()
        .map(|b| {
            let (x0, y0) = (b.x0.floor().max(0.0) as u32, b.y0.floor().max(0.0) as u32);
            let (x1, y1) = (b.x1.ceil().max(0.0) as u32, b.y1.ceil().max(0.0) as u32);
            match crop(page, [x0, y0, x1.saturating_sub(x0), y1.saturating_sub(y0)]) {
                Some((w, h, px)) => {
                    let mut line = prep::prepare_crop(&Gray { width: w, height: h, pixels: &px }, &reader.margins);
                    line.x_origin += x0 as f32;
                    line
                }
                None => prep::prepare_crop(&Gray { width: 1, height: 1, pixels: &[255] }, &reader.margins),
            }
        })
        .collect();
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    reader.recognize(&lines)
}

/// The `n` best readings of a crop holding only handwritten or stamped digits (the
/// number before "/QĐ-UBND", the day after "ngày"): 1 to `max_digits` digits.
pub fn read_digits(crop: &Gray, max_digits: usize, n: usize) -> anyhow::Result<Vec<Candidate>> {
    read_field(crop, &Pattern::digits(1, max_digits.max(1)), n)
}

/// The `n` best readings of a one-line crop that `pattern` allows, for fields whose form
/// is known: e.g. `Pattern::digits(1, 4).then_literal("/QĐ-UBND")` over the whole
/// number line, which lets the printed suffix anchor where the digits end.
pub fn read_field(crop: &Gray, pattern: &Pattern, n: usize) -> anyhow::Result<Vec<Candidate>> {
    let reader = Reader::get()?;
    let reading = read_line(crop)?;
    Ok(scored_candidates(&reading.posteriors, &reader.charset, pattern, n))
}

/// A colour crop (RGB, row-major) as gray, with the weights OpenCV uses, so that blue
/// ink reads as dark as the reference saw it.
pub fn gray_from_rgb(rgb: &[u8]) -> Vec<u8> {
    rgb.chunks_exact(3)
        .map(|p| (0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32).round().clamp(0.0, 255.0) as u8)
        .collect()
}

/// Copies the region `bbox` (left, top, width, height, clipped to the image) of a gray
/// page out as its own image.
pub fn crop(page: &Gray, bbox: [u32; 4]) -> Option<(usize, usize, Vec<u8>)> {
    let [l, t, w, h] = bbox.map(|v| v as usize);
    let (x1, y1) = ((l + w).min(page.width), (t + h).min(page.height));
    if l >= x1 || t >= y1 {
        return None;
    }
    let pixels = (t..y1).flat_map(|y| page.pixels[y * page.width + l..y * page.width + x1].iter().copied()).collect();
    Some((x1 - l, y1 - t, pixels))
}
