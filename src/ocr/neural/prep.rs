//! Line crops as the recognizer reads them: the line box widened by margins, a window of
//! three line heights (the line with the image above and below it), scaled to 96 rows,
//! as an ink map (0 = paper, 1 = ink).
//!
//! This follows `trueocr/preprocess.py` step by step (the model was trained on crops
//! made so), including its quirks: Python's round-half-to-even for the output width,
//! OpenCV's area averaging when shrinking and bilinear interpolation when enlarging.

/// Rows of one text line in the recognizer's input.
pub const LINE_HEIGHT: usize = 32;
/// The recognizer reads the line with the image above and below it.
pub const WINDOW: usize = 3;
/// Rows of the recognizer's input.
pub const INPUT_HEIGHT: usize = LINE_HEIGHT * WINDOW;
/// Widths are padded to a multiple of this (the time-step stride).
pub const WIDTH_MULTIPLE: usize = 8;
/// Zero-ink columns past the widest line of a batch (the model's context branch looks
/// that far right; see preprocess.py).
pub const CONTEXT_HALO: usize = 8;

/// An 8-bit gray image, row-major.
#[derive(Debug, Clone, Copy)]
pub struct Gray<'a> {
    pub width: usize,
    pub height: usize,
    pub pixels: &'a [u8],
}

impl<'a> Gray<'a> {
    pub fn new(width: usize, height: usize, pixels: &'a [u8]) -> Option<Gray<'a>> {
        (width > 0 && height > 0 && pixels.len() == width * height).then_some(Gray { width, height, pixels })
    }

    #[inline]
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }
}

/// A box in pixels: x0, y0 (inclusive), x1, y1 (exclusive), as floats like the detector's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// One prepared line: `INPUT_HEIGHT` rows of `width` ink values, and how input columns
/// map back to image x (for word positions).
#[derive(Debug, Clone)]
pub struct InkLine {
    pub width: usize,
    pub ink: Vec<f32>,
    /// Image x of input column 0, and image pixels per input column.
    pub x_origin: f32,
    pub x_scale: f32,
}

/// Margins of the model (meta.json).
#[derive(Debug, Clone, Copy)]
pub struct Margins {
    pub pad_y: f32,
    pub pad_x: f32,
    pub max_width: usize,
}

/// numpy-style linear percentiles of the box's pixels, from their histogram.
fn percentiles(hist: &[u64; 256], n: u64, qs: [f64; 3]) -> [f64; 3] {
    let mut cum = [0u64; 256];
    let mut s = 0;
    for (i, &h) in hist.iter().enumerate() {
        s += h;
        cum[i] = s;
    }
    // searchsorted(cum, v, side="right"): first index whose cum > v.
    let search = |v: u64| cum.iter().position(|&c| c > v).unwrap_or(256) as f64;
    let mut out = [0.0; 3];
    for (k, q) in qs.iter().enumerate() {
        let x = q * (n - 1) as f64;
        let i = x.floor();
        let g = x - i;
        let lo = search(i as u64);
        let hi = search((i as u64 + 1).min(n - 1));
        let d = hi - lo;
        out[k] = if g >= 0.5 { hi - d * (1.0 - g) } else { lo + d * g };
    }
    out
}

/// Light text on a dark ground (a banner, a dark table head): the recognizer reads dark
/// on light, so such a line is read inverted. The ground (the box's median) lies nearer
/// the dark end than the text does, so the bright tail is the longer one.
pub fn is_dark_line(gray: &Gray, b: &LineBox) -> bool {
    let (w, h) = (gray.width as i64, gray.height as i64);
    let xa = (b.x0 as i64).max(0);
    let ya = (b.y0 as i64).max(0);
    let xb = (b.x1 as i64 + 1).min(w);
    let yb = (b.y1 as i64 + 1).min(h);
    if xb <= xa || yb <= ya {
        return false;
    }
    let mut hist = [0u64; 256];
    for y in ya..yb {
        let row = &gray.pixels[(y * w) as usize..][..w as usize];
        for &v in &row[xa as usize..xb as usize] {
            hist[v as usize] += 1;
        }
    }
    let n = ((xb - xa) * (yb - ya)) as u64;
    let [lo, med, hi] = percentiles(&hist, n, [0.02, 0.5, 0.98]);
    hi - med > 2.0 * (med - lo) + 8.0
}

/// Python's `round` (half to even).
fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

/// The ink map of one line of `gray` inside `b` (preprocess.crop_line with a window of 3).
pub fn crop_line(gray: &Gray, b: &LineBox, m: &Margins) -> InkLine {
    let pad_y = ((WINDOW as f64) * (1.0 + 2.0 * m.pad_y as f64) - 1.0) / 2.0;
    let height = INPUT_HEIGHT;
    let (x0, y0, x1, y1) = (b.x0 as f64, b.y0 as f64, b.x1 as f64, b.y1 as f64);
    let h = (y1 - y0).max(1.0);
    let (bx0, bx1) = (x0 - m.pad_x as f64 * h, x1 + m.pad_x as f64 * h);
    let (by0, by1) = (y0 - pad_y * h, y1 + pad_y * h);
    let (ix0, iy0) = (bx0.floor() as i64, by0.floor() as i64);
    let (ix1, iy1) = (bx1.ceil() as i64, by1.ceil() as i64);
    let cw = (ix1 - ix0).max(1) as usize;
    let ch = (iy1 - iy0).max(1) as usize;
    let dark = is_dark_line(gray, b);
    let ground = if dark { 0 } else { 255 };
    let mut crop = vec![ground; cw * ch];
    let (sx0, sy0) = (ix0.max(0), iy0.max(0));
    let (sx1, sy1) = (ix1.min(gray.width as i64), iy1.min(gray.height as i64));
    if sx1 > sx0 && sy1 > sy0 {
        for y in sy0..sy1 {
            let src = &gray.pixels[y as usize * gray.width..][sx0 as usize..sx1 as usize];
            let dst = &mut crop[(y - iy0) as usize * cw + (sx0 - ix0) as usize..][..src.len()];
            dst.copy_from_slice(src);
        }
    }
    let out_w = (round_half_even(cw as f64 * height as f64 / ch as f64) as usize).clamp(WIDTH_MULTIPLE, m.max_width.max(WIDTH_MULTIPLE));
    let resized = if ch > height { resize_area(&crop, cw, ch, out_w, height) } else { resize_linear(&crop, cw, ch, out_w, height) };
    let ink = resized.iter().map(|&v| if dark { v as f32 / 255.0 } else { 1.0 - v as f32 / 255.0 }).collect();
    InkLine { width: out_w, ink, x_origin: ix0 as f32, x_scale: cw as f32 / out_w as f32 }
}

/// A whole image as one line (preprocess.prepare_gray): trailing black columns (≥ 8)
/// are cut first, as the reference does.
pub fn prepare_crop(gray: &Gray, m: &Margins) -> InkLine {
    let used = (0..gray.width).rev().find(|&x| (0..gray.height).any(|y| gray.at(x, y) != 0));
    let width = match used {
        Some(last) if gray.width - last - 1 >= 8 => last + 1,
        _ => gray.width,
    };
    let b = LineBox { x0: 0.0, y0: 0.0, x1: width as f32, y1: gray.height as f32 };
    let view = Gray { width: gray.width, height: gray.height, pixels: gray.pixels };
    // Cropping happens inside crop_line: pixels right of `width` fall outside the box
    // plus its margin only when the margin is narrower than what was cut, so cut here.
    if width == gray.width {
        crop_line(&view, &b, m)
    } else {
        let cut: Vec<u8> = (0..gray.height).flat_map(|y| gray.pixels[y * gray.width..][..width].iter().copied()).collect();
        crop_line(&Gray { width, height: gray.height, pixels: &cut }, &b, m)
    }
}

/// Per-axis area-resampling weights (OpenCV's computeResizeAreaTab): for each output
/// index, (source index, weight) pairs summing to 1.
fn area_table(src: usize, dst: usize) -> Vec<Vec<(usize, f32)>> {
    let scale = src as f64 / dst as f64;
    (0..dst)
        .map(|d| {
            let fs1 = d as f64 * scale;
            let fs2 = fs1 + scale;
            let cell = scale.min(src as f64 - fs1);
            let s1 = fs1.ceil() as usize;
            let s2 = (fs2.floor() as usize).min(src);
            let mut tab = Vec::new();
            if s1 as f64 - fs1 > 1e-3 && s1 >= 1 {
                tab.push((s1 - 1, ((s1 as f64 - fs1) / cell) as f32));
            }
            for s in s1..s2 {
                tab.push((s, (1.0 / cell) as f32));
            }
            if fs2 - s2 as f64 > 1e-3 && s2 < src {
                tab.push((s2, (((fs2 - s2 as f64).min(1.0).min(cell)) / cell) as f32));
            }
            tab
        })
        .collect()
}

/// Shrinks by area averaging (cv2.INTER_AREA).
fn resize_area(src: &[u8], sw: usize, sh: usize, dw: usize, dh: usize) -> Vec<u8> {
    let xt = area_table(sw, dw);
    let yt = area_table(sh, dh);
    // Horizontal pass into float rows, then vertical.
    let mut rows = vec![0f32; sh * dw];
    for y in 0..sh {
        let s = &src[y * sw..][..sw];
        let r = &mut rows[y * dw..][..dw];
        for (x, tab) in xt.iter().enumerate() {
            r[x] = tab.iter().map(|&(i, w)| s[i] as f32 * w).sum();
        }
    }
    let mut out = vec![0u8; dw * dh];
    for (y, tab) in yt.iter().enumerate() {
        let o = &mut out[y * dw..][..dw];
        for (x, v) in o.iter_mut().enumerate() {
            let acc: f32 = tab.iter().map(|&(i, w)| rows[i * dw + x] * w).sum();
            *v = acc.round_ties_even().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// Enlarges bilinearly with half-pixel centres (cv2.INTER_LINEAR).
pub(crate) fn resize_linear(src: &[u8], sw: usize, sh: usize, dw: usize, dh: usize) -> Vec<u8> {
    let taps = |s: usize, d: usize| -> Vec<(usize, usize, f32)> {
        let scale = s as f64 / d as f64;
        (0..d)
            .map(|i| {
                let f = (i as f64 + 0.5) * scale - 0.5;
                let mut k = f.floor() as i64;
                let mut a = f - k as f64;
                if k < 0 {
                    k = 0;
                    a = 0.0;
                }
                if k as usize >= s - 1 {
                    k = s as i64 - 1;
                    a = 0.0;
                }
                let k = k as usize;
                (k, (k + 1).min(s - 1), a as f32)
            })
            .collect()
    };
    let xt = taps(sw, dw);
    let yt = taps(sh, dh);
    let mut out = vec![0u8; dw * dh];
    for (y, &(y0, y1, b)) in yt.iter().enumerate() {
        for (x, &(x0, x1, a)) in xt.iter().enumerate() {
            let p = |yy: usize, xx: usize| src[yy * sw + xx] as f32;
            let top = p(y0, x0) * (1.0 - a) + p(y0, x1) * a;
            let bottom = p(y1, x0) * (1.0 - a) + p(y1, x1) * a;
            out[y * dw + x] = (top * (1.0 - b) + bottom * b).round().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// Shrinks or enlarges `src` to `dw` × `dh` as the reference does (area when shrinking).
pub(crate) fn resize(src: &[u8], sw: usize, sh: usize, dw: usize, dh: usize) -> Vec<u8> {
    if dw <= sw && dh <= sh {
        resize_area(src, sw, sh, dw, dh)
    } else {
        resize_linear(src, sw, sh, dw, dh)
    }
}

/// Groups line indices into batches of similar width (preprocess.width_batches):
/// narrowest first; a batch closes at `max_batch` lines, when the next line is wider
/// than 1.3 × the batch's first, or when lines × width would pass 64 × 640 columns.
pub fn width_batches(widths: &[usize], max_batch: usize) -> Vec<Vec<usize>> {
    const MAX_RATIO: f64 = 1.3;
    const MIN_WIDTH: usize = 64;
    const MAX_AREA: usize = 64 * 640;
    let mut order: Vec<usize> = (0..widths.len()).collect();
    order.sort_by_key(|&i| widths[i]);
    let mut batches: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let w = widths[i].max(MIN_WIDTH);
        let fits = batches.last().is_some_and(|b: &Vec<usize>| {
            b.len() < max_batch && w as f64 <= MAX_RATIO * widths[b[0]].max(MIN_WIDTH) as f64 && (b.len() + 1) * w <= MAX_AREA
        });
        if fits {
            batches.last_mut().expect("checked").push(i);
        } else {
            batches.push(vec![i]);
        }
    }
    batches
}

/// Right-pads ink maps to one width (a multiple of 8, plus the halo): the batch tensor
/// [B, 1, 96, W] as a flat vector, W, and the declared widths.
pub fn pad_batch(lines: &[&InkLine]) -> (Vec<f32>, usize, Vec<i64>) {
    let widest = lines.iter().map(|l| l.width).max().unwrap_or(WIDTH_MULTIPLE);
    let w = widest.div_ceil(WIDTH_MULTIPLE) * WIDTH_MULTIPLE + CONTEXT_HALO;
    let mut out = vec![0f32; lines.len() * INPUT_HEIGHT * w];
    for (b, line) in lines.iter().enumerate() {
        for y in 0..INPUT_HEIGHT {
            out[(b * INPUT_HEIGHT + y) * w..][..line.width].copy_from_slice(&line.ink[y * line.width..][..line.width]);
        }
    }
    (out, w, lines.iter().map(|l| l.width as i64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_rounding_is_half_to_even() {
        assert_eq!(round_half_even(2.5), 2.0);
        assert_eq!(round_half_even(3.5), 4.0);
        assert_eq!(round_half_even(3.4), 3.0);
    }

    #[test]
    fn area_weights_sum_to_one() {
        for (s, d) in [(281, 96), (100, 33), (64, 64), (500, 7)] {
            for tab in area_table(s, d) {
                let sum: f32 = tab.iter().map(|t| t.1).sum();
                assert!((sum - 1.0).abs() < 1e-4, "{s}->{d}: {sum}");
            }
        }
    }

    #[test]
    fn a_blank_crop_is_no_ink_and_batches_pad_to_the_stride() {
        let px = vec![255u8; 40 * 20];
        let g = Gray::new(40, 20, &px).unwrap();
        let m = Margins { pad_y: 0.2, pad_x: 0.3, max_width: 768 };
        let line = prepare_crop(&g, &m);
        assert!(line.ink.iter().all(|&v| v == 0.0));
        assert_eq!(line.ink.len(), line.width * INPUT_HEIGHT);
        let (t, w, widths) = pad_batch(&[&line]);
        assert_eq!(w % WIDTH_MULTIPLE, 0);
        assert_eq!(t.len(), INPUT_HEIGHT * w);
        assert_eq!(widths, vec![line.width as i64]);
    }

    #[test]
    fn batches_group_similar_widths() {
        let b = width_batches(&[100, 300, 110, 120, 900], 64);
        assert_eq!(b, vec![vec![0, 2, 3], vec![1], vec![4]]);
    }
}
