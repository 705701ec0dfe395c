//! Text-line detection (trueocr's `det.onnx`, page.py): the page shrunk so its long
//! side is 1024 pixels, a per-pixel "line core" probability and the distances to the
//! line's top and bottom; each connected core is one line box.

use anyhow::anyhow;
use tract_onnx::prelude::*;

use super::prep::{self, Gray, LineBox};
use super::Reader;

/// The detector's output is at half its input's resolution.
const OUT_STRIDE: f32 = 2.0;
/// Its input sides are multiples of this.
const INPUT_MULTIPLE: usize = 32;
/// A line's core is shorter than the line by this × its height at each end.
const CORE_X_SHRINK: f32 = 0.15;
/// Small text: when the median line is under this many detector pixels high, detect
/// again at a scale that makes it about ADAPTIVE_TARGET_H.
const ADAPTIVE_MIN_H: f32 = 9.0;
const ADAPTIVE_TARGET_H: f32 = 12.0;
const ADAPTIVE_MAX_SIDE: usize = 2048;

/// The line boxes of a page image, in image pixels, with the detector's score; in no
/// particular order (see [`reading_order`]).
pub fn detect_lines(page: &Gray) -> anyhow::Result<Vec<(LineBox, f32)>> {
    let reader = Reader::get()?;
    let long = reader.det_long_side;
    let (mut boxes, mut scale) = detect_at(reader, page, long)?;
    if boxes.len() >= 8 {
        let mut heights: Vec<f32> = boxes.iter().map(|(b, _)| b.y1 - b.y0).collect();
        heights.sort_by(f32::total_cmp);
        let n = heights.len();
        let median = if n % 2 == 1 { heights[n / 2] } else { (heights[n / 2 - 1] + heights[n / 2]) / 2.0 };
        if median < ADAPTIVE_MIN_H {
            let side = ((ADAPTIVE_MAX_SIDE as f32).min(long as f32 * ADAPTIVE_TARGET_H / median.max(1.0)) as usize) / 32 * 32;
            if side > long {
                (boxes, scale) = detect_at(reader, page, side)?;
            }
        }
    }
    let (w, h) = (page.width as f32, page.height as f32);
    for (b, _) in boxes.iter_mut() {
        b.x0 = (b.x0 / scale).clamp(0.0, w);
        b.x1 = (b.x1 / scale).clamp(0.0, w);
        b.y0 = (b.y0 / scale).clamp(0.0, h);
        b.y1 = (b.y1 / scale).clamp(0.0, h);
    }
    Ok(boxes)
}

fn detect_at(reader: &Reader, page: &Gray, long_side: usize) -> anyhow::Result<(Vec<(LineBox, f32)>, f32)> {
    let scale = long_side as f64 / page.width.max(page.height) as f64;
    let nh = ((page.height as f64 * scale).round() as usize).max(1);
    let nw = ((page.width as f64 * scale).round() as usize).max(1);
    let small = if (nw, nh) != (page.width, page.height) {
        prep::resize(page.pixels, page.width, page.height, nw, nh)
    } else {
        page.pixels.to_vec()
    };
    let ph = nh.div_ceil(INPUT_MULTIPLE) * INPUT_MULTIPLE;
    let pw = nw.div_ceil(INPUT_MULTIPLE) * INPUT_MULTIPLE;
    let mut input = vec![0f32; ph * pw];
    for y in 0..nh {
        for x in 0..nw {
            input[y * pw + x] = 1.0 - small[y * nw + x] as f32 / 255.0;
        }
    }
    let x = Tensor::from_shape(&[1, 1, ph, pw], &input)?;
    let out = reader.det_plan(ph, pw)?.run(tvec!(x.into())).map_err(|e| anyhow!("detector: {e}"))?;
    let out = out[0].to_plain_array_view::<f32>().map_err(|e| anyhow!("detector output: {e}"))?;
    let shape = out.shape().to_vec();
    anyhow::ensure!(shape.len() == 4 && shape[1] >= 3, "detector output of shape {shape:?}");
    let (oh, ow) = (shape[2], shape[3]);
    let plane = |c: usize| -> Vec<f32> { out.slice(tract_ndarray::s![0, c, .., ..]).iter().copied().collect() };
    Ok((decode_lines(&plane(0), &plane(1), &plane(2), ow, oh), scale as f32))
}

/// Line boxes from the detector's planes (core logit, distance up, distance down), in
/// detector input pixels: one per 4-connected component of cores above one half.
fn decode_lines(core: &[f32], up: &[f32], down: &[f32], w: usize, h: usize) -> Vec<(LineBox, f32)> {
    let prob: Vec<f32> = core.iter().map(|v| 1.0 / (1.0 + (-v).exp())).collect();
    let mut label = vec![0u32; w * h];
    let mut boxes = Vec::new();
    let mut stack = Vec::new();
    let mut next = 0u32;
    for start in 0..w * h {
        if prob[start] <= 0.5 || label[start] != 0 {
            continue;
        }
        next += 1;
        label[start] = next;
        stack.push(start);
        let (mut area, mut left, mut right) = (0usize, usize::MAX, 0usize);
        let (mut top, mut bottom, mut score) = (0f64, 0f64, 0f64);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            area += 1;
            left = left.min(x);
            right = right.max(x);
            let ys = (y as f64 + 0.5) * OUT_STRIDE as f64;
            top += ys - up[i] as f64;
            bottom += ys + down[i] as f64;
            score += prob[i] as f64;
            let mut visit = |j: usize| {
                if prob[j] > 0.5 && label[j] == 0 {
                    label[j] = next;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        if area < 2 {
            continue;
        }
        let n = area as f64;
        let (y0, y1) = ((top / n) as f32, (bottom / n) as f32);
        let lh = (y1 - y0).max(1.0);
        let ex = (CORE_X_SHRINK * lh).min(0.5 * lh);
        let x0 = left as f32 * OUT_STRIDE - ex;
        let x1 = (right + 1) as f32 * OUT_STRIDE + ex;
        boxes.push((LineBox { x0, y0, x1, y1 }, (score / n) as f32));
    }
    boxes
}

/// Reading order by recursive XY-cut (order.py `order_xycut`): split at the widest gap
/// between rows or columns, upper or left part first; rows top to bottom where no gap
/// is left. Returns indices into `boxes`.
pub fn reading_order(boxes: &[LineBox]) -> Vec<usize> {
    fn best_cut(boxes: &[LineBox], ids: &[usize], vertical: bool) -> (f32, Option<usize>, Vec<usize>) {
        let span = |b: &LineBox| if vertical { (b.y0, b.y1) } else { (b.x0, b.x1) };
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by(|&a, &b| span(&boxes[ids[a]]).0.total_cmp(&span(&boxes[ids[b]]).0));
        let mut end = span(&boxes[ids[order[0]]]).1;
        let (mut gap, mut cut) = (0f32, None);
        for k in 1..order.len() {
            let (lo, hi) = span(&boxes[ids[order[k]]]);
            if lo - end > gap {
                gap = lo - end;
                cut = Some(k);
            }
            end = end.max(hi);
        }
        (gap, cut, order)
    }
    fn top_down(boxes: &[LineBox], ids: &[usize]) -> Vec<usize> {
        let mut heights: Vec<f32> = ids.iter().map(|&i| boxes[i].y1 - boxes[i].y0).collect();
        heights.sort_by(f32::total_cmp);
        let n = heights.len();
        let median = if n % 2 == 1 { heights[n / 2] } else { (heights[n / 2 - 1] + heights[n / 2]) / 2.0 };
        let row = |i: usize| (((boxes[i].y0 + boxes[i].y1) / 2.0) / (median * 0.5).max(1e-3)).round_ties_even() as i64;
        let mut out = ids.to_vec();
        out.sort_by(|&a, &b| row(a).cmp(&row(b)).then(boxes[a].x0.total_cmp(&boxes[b].x0)));
        out
    }
    fn rec(boxes: &[LineBox], ids: Vec<usize>) -> Vec<usize> {
        if ids.len() <= 1 {
            return ids;
        }
        let (gy, ky, oy) = best_cut(boxes, &ids, true);
        let (gx, kx, ox) = best_cut(boxes, &ids, false);
        let (k, o) = match (ky, kx) {
            (None, None) => return top_down(boxes, &ids),
            (Some(k), _) if gy >= gx => (k, oy),
            (_, Some(k)) => (k, ox),
            (Some(k), None) => (k, oy),
        };
        let first: Vec<usize> = o[..k].iter().map(|&i| ids[i]).collect();
        let second: Vec<usize> = o[k..].iter().map(|&i| ids[i]).collect();
        let mut out = rec(boxes, first);
        out.extend(rec(boxes, second));
        out
    }
    rec(boxes, (0..boxes.len()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x0: f32, y0: f32, x1: f32, y1: f32) -> LineBox {
        LineBox { x0, y0, x1, y1 }
    }

    #[test]
    fn two_columns_read_left_column_first() {
        // A two-column header over a full-width body line.
        let boxes = [b(600.0, 0.0, 1000.0, 20.0), b(0.0, 0.0, 400.0, 20.0), b(0.0, 30.0, 400.0, 50.0), b(600.0, 30.0, 1000.0, 50.0), b(0.0, 100.0, 1000.0, 120.0)];
        assert_eq!(reading_order(&boxes), vec![1, 2, 0, 3, 4]);
    }

    #[test]
    fn one_core_blob_is_one_box() {
        let (w, h) = (8, 4);
        let mut core = vec![-5.0f32; w * h];
        for x in 1..6 {
            core[w + x] = 5.0;
            core[2 * w + x] = 5.0;
        }
        let up = vec![3.0f32; w * h];
        let down = vec![3.0f32; w * h];
        let got = decode_lines(&core, &up, &down, w, h);
        assert_eq!(got.len(), 1);
        let (bx, score) = got[0];
        assert!(score > 0.99);
        assert!((bx.y0 - (4.0 - 3.0)).abs() < 1e-4, "{bx:?}"); // mean row centre 2.0 * 2 = 4
        assert!(bx.x0 < 2.0 && bx.x1 > 12.0, "{bx:?}");
    }
}
