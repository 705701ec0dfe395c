//! Skew: the small angle (a few degrees) a sheet lay crooked on the scanner at, and
//! turning the pixels so that its text lines run level before OCR.
//!
//! How the angle is found: on the page reduced to about 100 DPI (A4) and binarized (Otsu), the
//! dark pixels are projected onto the page's left edge along lines of each candidate
//! slope; along the slope of the text lines the projection is a comb of sharp rows and
//! gaps, so the sum of squared differences between neighbouring rows is largest there
//! (Postl's criterion). A coarse search over ±[`MAX_ANGLE`] is refined around its best
//! angle. It cost 0.06–0.2 s a page on the 2-core development machine under load, against
//! 1.4–2.8 s of OCR.
//!
//! Why only from [`MIN_ANGLE`]: Tesseract follows slightly sloping lines itself, the
//! handwritten digits of a slightly crooked page read better as scanned (measured, see
//! there), and an upright page must stay bit for bit what was scanned. A levelled page is
//! resampled with cubic shears ([`LEVELLING`]).

use crate::ocr::PageImage;

/// Skews searched. A sheet fed or laid further off is rare (the 37 Quảng Ngãi scans lie
/// within 2°), and this leaves room for a 2° sheet laid 4° off again.
pub const MAX_ANGLE: f32 = 8.0;
/// Smallest skew worth turning the page for. Measured with `tesseract -l vie` on the corpus
/// page qd-1582 turned with ImageMagick: syllable errors against the upright reading 0.5%
/// at 0.5°, 1.0% at 1°, 1.4% at 2°, then 56% at 3° and 81% at 5° (the layout falls apart).
/// On the real Quảng Ngãi pages it breaks sooner: copies of the five transcribed first
/// pages lying +2.0° to +2.25° off read at 38–71% syllable errors unlevelled (2.3–4.5%
/// levelled), while copies lying −1.75° to −2.0° read at 3–4% unlevelled (`vanban eval
/// scans`, set quangngai-skewed, `copies.tsv` beside the copies). Hence 2°, not the 2.5°
/// used before (turned copies 13.31% → 4.89% repaired SER).
///
/// Not lower, because the handwritten digits of a slightly crooked real page read better
/// as scanned. Levelling from 0.5° was measured on the real scans (14 of the 37 Quảng Ngãi
/// first pages lie 0.5°–2° off): text and citations got a little better (raw SER of the
/// transcribed pages 7.71% → 7.50%, extended citations recall 0.935 → 0.945) but
/// handwritten own numbers and dates were read worse (extended own number 33 → 32 of 37,
/// own date 34 → 31; held-out own number 5 → 3 of 6). From 1.5° (which levels the two
/// real pages lying 1.55° and 1.98° off) the transcribed pages read better (repaired SER
/// 2.74% → 2.49%) but one handwritten day was lost (extended own date 34 → 33 of 37): the
/// day's crop, resampled, read with half the confidence. So every real scan we hold is
/// still read as scanned.
pub const MIN_ANGLE: f32 = 2.0;
/// The estimate is trusted only when the best slope's sharpness exceeds the median
/// slope's by this factor: a page with too little text (a photo, a blank back) gives a
/// flat curve whose maximum means nothing.
const MIN_CONTRAST: f64 = 1.3;
/// Longer side of the page the angle is measured on: an A4 page at about 100 DPI, where
/// text rows stay distinct and the search is quick.
const WORK_SIDE: u32 = 1200;
/// Fewest dark pixels to judge a page from (a short line of text at 100 DPI has more).
const MIN_INK: usize = 500;

/// What the search found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Skew {
    /// Degrees the page's lines run clockwise from level (y grows downwards: a positive
    /// skew makes a line go down to the right). Turning the page by `-degrees` levels it.
    pub degrees: f32,
    /// Sharpness at the best slope over that at the median slope (≥ 1).
    pub contrast: f32,
}

/// The page's skew, or `None` when the page has too little text to tell.
pub fn estimate(image: &PageImage) -> Option<Skew> {
    // By size, not by the declared resolution, which scanners often get wrong: an A4
    // page at 300 DPI becomes about 100 DPI.
    let small = super::orient::reduced(image, WORK_SIDE);
    let (w, h) = (small.width as usize, small.height as usize);
    if w < 16 || h < 16 {
        return None;
    }
    let threshold = otsu(&small.pixels)?;
    let ink: Vec<(u16, u16)> = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| small.pixels[y * w + x] < threshold)
        .map(|(x, y)| (x as u16, y as u16))
        .collect();
    // A page more than half dark is a photo or an inverted scan: no rows to find.
    if ink.len() < MIN_INK || ink.len() * 2 > w * h {
        return None;
    }
    let margin = (w as f32 * (MAX_ANGLE + 1.0).to_radians().tan()).ceil() as usize + 2;
    let mut bins = vec![0u32; h + 2 * margin];
    let mut offsets = vec![0usize; w];
    let mut sharpness = |degrees: f32| -> f64 {
        // Row of the pixel's line where it crosses the page's vertical centre line: y
        // minus this column's rise, looked up rather than computed per pixel.
        let slope = degrees.to_radians().tan();
        for (x, o) in offsets.iter_mut().enumerate() {
            *o = (margin as isize - ((x as f32 - w as f32 / 2.0) * slope).round() as isize) as usize;
        }
        bins.iter_mut().for_each(|b| *b = 0);
        for &(x, y) in &ink {
            bins[y as usize + offsets[x as usize]] += 1;
        }
        bins.windows(2).map(|p| (f64::from(p[1]) - f64::from(p[0])).powi(2)).sum()
    };
    let coarse_step = 0.25f32;
    let steps = (MAX_ANGLE / coarse_step).round() as i32;
    let coarse: Vec<(f32, f64)> = (-steps..=steps).map(|i| i as f32 * coarse_step).map(|a| (a, sharpness(a))).collect();
    let mut values: Vec<f64> = coarse.iter().map(|&(_, s)| s).collect();
    values.sort_by(f64::total_cmp);
    let median = values[values.len() / 2];
    let (mut best, mut best_value) = coarse.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    if median <= 0.0 || best_value < MIN_CONTRAST * median {
        return None;
    }
    let centre = best;
    for i in -10..=10 {
        let a = centre + i as f32 * coarse_step / 10.0;
        let v = sharpness(a);
        if v > best_value {
            (best, best_value) = (a, v);
        }
    }
    Some(Skew { degrees: (best * 100.0).round() / 100.0, contrast: (best_value / median) as f32 })
}

/// The page turned so that a skew of `skew.degrees` becomes level, when that skew is
/// large enough to matter ([`MIN_ANGLE`]) and not at the edge of the search (where the
/// true angle may lie beyond it); `None` leaves the page as scanned.
pub fn straighten(image: &PageImage) -> Option<(PageImage, f32)> {
    let skew = estimate(image)?;
    tracing::debug!(degrees = skew.degrees, contrast = skew.contrast, "skew");
    let size = skew.degrees.abs();
    if size < MIN_ANGLE || size > MAX_ANGLE - 0.1 {
        return None;
    }
    Some((rotate_with(image, -skew.degrees, LEVELLING), -skew.degrees))
}

/// How a page is resampled when it is levelled: a cubic shift along each shear keeps strokes
/// sharp (one dimension at a time, unlike the bilinear turn that blurred "TTr") and leaves
/// no one-pixel steps in the glyphs. Measured on the turned copies of the transcribed
/// Quảng Ngãi pages (levelled from 1.5°): repaired SER 3.46% with whole-pixel shears, 2.79%
/// with cubic ones (upright pages 2.74%); citations recall 0.969 → 0.984.
pub const LEVELLING: Resampling = Resampling::Cubic;

/// `image` turned `degrees` clockwise about its centre, on a canvas grown to hold all of
/// it; the uncovered corners take the page's paper colour. Whole-pixel shears
/// ([`Resampling::WholePixels`]): `vanban eval scans` makes its turned copies with it.
///
/// A turn is three shears (rows shifted, then columns, then rows). With whole pixels every
/// glyph keeps its exact pixels, with a one-pixel step every 1/tan columns. Bilinear
/// resampling of the whole page was measured first and blurred small print: on the Quảng
/// Ngãi pages levelled by 0.8° Tesseract then read the printed "TTr" of three own numbers
/// as "TTIR"/"TIR". Levelling uses [`LEVELLING`] instead (see there).
pub fn rotate(image: &PageImage, degrees: f32) -> PageImage {
    rotate_with(image, degrees, Resampling::WholePixels)
}

/// How a shear moves a row or column by a fraction of a pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resampling {
    /// Rounded to whole pixels: no gray is invented, glyph edges step by a pixel.
    WholePixels,
    /// Interpolated along the row or column (cubic convolution, Keys a = −0.5): edges stay
    /// straight, strokes stay as sharp as a one-dimensional cubic keeps them.
    Cubic,
}

/// [`rotate`] with the given resampling of each shear.
pub fn rotate_with(image: &PageImage, degrees: f32, resampling: Resampling) -> PageImage {
    let (w, h) = (image.width as usize, image.height as usize);
    if w == 0 || h == 0 || degrees == 0.0 {
        return image.clone();
    }
    let phi = f64::from(degrees).to_radians();
    let (sin, cos) = phi.sin_cos();
    // R(φ) = Sx(α)·Sy(β)·Sx(α), α = −tan(φ/2), β = sin φ (y grows downwards).
    let alpha = -(phi / 2.0).tan();
    let paper = paper_colour(image);
    let first = shear_rows(&image.pixels, w, h, alpha, paper, resampling);
    let w1 = first.len() / h;
    let (second, h2) = shear_columns(&first, w1, h, sin, paper, resampling);
    let third = shear_rows(&second, w1, h2, alpha, paper, resampling);
    let w3 = third.len() / h2;
    // The turned page's own box, centred in the sheared canvas.
    let nw = ((w as f64 * cos.abs() + h as f64 * sin.abs()).ceil() as usize).min(w3);
    let nh = ((w as f64 * sin.abs() + h as f64 * cos.abs()).ceil() as usize).min(h2);
    let (x0, y0) = ((w3 - nw) / 2, (h2 - nh) / 2);
    let mut pixels = Vec::with_capacity(nw * nh);
    for y in y0..y0 + nh {
        pixels.extend_from_slice(&third[y * w3 + x0..y * w3 + x0 + nw]);
    }
    PageImage { width: nw as u32, height: nh as u32, dpi: image.dpi, pixels }
}

/// Each row shifted sideways by `slope` × its distance from the centre row; the canvas
/// widened to hold every shifted row.
fn shear_rows(src: &[u8], w: usize, h: usize, slope: f64, paper: u8, resampling: Resampling) -> Vec<u8> {
    let extra = (slope.abs() * h as f64).ceil() as usize + 2;
    let nw = w + extra;
    let mut out = vec![paper; nw * h];
    for y in 0..h {
        let shift = slope * (y as f64 + 0.5 - h as f64 / 2.0) + (extra / 2) as f64;
        let row = &src[y * w..(y + 1) * w];
        let dst = &mut out[y * nw..(y + 1) * nw];
        match resampling {
            Resampling::WholePixels => {
                let start = (shift.round() as isize).clamp(0, (nw - w) as isize) as usize;
                dst[start..start + w].copy_from_slice(row);
            }
            Resampling::Cubic => {
                // Output x reads source x − shift: whole part `base`, fraction `f` (the same
                // for the whole row, so the weights are computed once).
                let shift = shift.clamp(0.0, (nw - w) as f64);
                let back = -shift;
                let base = back.floor();
                let weights = cubic_weights(back - base);
                let base = base as isize;
                let at = |i: isize| if i >= 0 && (i as usize) < w { f64::from(row[i as usize]) } else { f64::from(paper) };
                for (x, d) in dst.iter_mut().enumerate() {
                    let i = x as isize + base;
                    if i < -2 || i > w as isize + 1 {
                        continue;
                    }
                    let v = weights[0] * at(i - 1) + weights[1] * at(i) + weights[2] * at(i + 1) + weights[3] * at(i + 2);
                    *d = v.round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
    out
}

/// Each column shifted down by `slope` × its distance from the centre column; the canvas
/// made taller to hold every shifted column. Returns the new height.
fn shear_columns(src: &[u8], w: usize, h: usize, slope: f64, paper: u8, resampling: Resampling) -> (Vec<u8>, usize) {
    let extra = (slope.abs() * w as f64).ceil() as usize + 2;
    let nh = h + extra;
    let mut out = vec![paper; w * nh];
    let shifts: Vec<f64> =
        (0..w).map(|x| (slope * (x as f64 + 0.5 - w as f64 / 2.0) + (extra / 2) as f64).clamp(0.0, (nh - h) as f64)).collect();
    match resampling {
        Resampling::WholePixels => {
            let shifts: Vec<usize> = shifts.iter().map(|s| s.round() as usize).collect();
            // Row by row, so that both buffers are read and written in order.
            for y in 0..h {
                let row = &src[y * w..(y + 1) * w];
                for (x, (&p, &shift)) in row.iter().zip(&shifts).enumerate() {
                    out[(y + shift) * w + x] = p;
                }
            }
        }
        Resampling::Cubic => {
            let taps: Vec<(isize, [f64; 4])> = shifts
                .iter()
                .map(|s| {
                    let back = -s;
                    let base = back.floor();
                    (base as isize, cubic_weights(back - base))
                })
                .collect();
            let at = |x: usize, y: isize| if y >= 0 && (y as usize) < h { f64::from(src[y as usize * w + x]) } else { f64::from(paper) };
            // Output row by output row: the source rows read drift by a pixel every
            // 1/slope columns, so reads stay nearly in order.
            for y in 0..nh {
                let dst = &mut out[y * w..(y + 1) * w];
                for (x, (d, &(base, weights))) in dst.iter_mut().zip(&taps).enumerate() {
                    let i = y as isize + base;
                    if i < -2 || i > h as isize + 1 {
                        continue;
                    }
                    let v = weights[0] * at(x, i - 1) + weights[1] * at(x, i) + weights[2] * at(x, i + 1) + weights[3] * at(x, i + 2);
                    *d = v.round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
    (out, nh)
}

/// Cubic convolution weights (Keys, a = −0.5) of the samples at −1, 0, 1, 2 for a point
/// `f` (0 ≤ f < 1) past sample 0.
fn cubic_weights(f: f64) -> [f64; 4] {
    let a = -0.5;
    let near = |t: f64| ((a + 2.0) * t - (a + 3.0)) * t * t + 1.0;
    let far = |t: f64| ((a * t - 5.0 * a) * t + 8.0 * a) * t - 4.0 * a;
    [far(1.0 + f), near(f), near(1.0 - f), far(2.0 - f)]
}

/// The paper's gray: the brightest tenth of the page begins here (a white fill beside a
/// gray scan's paper would be an edge Tesseract might read as a rule).
pub(crate) fn paper_colour(image: &PageImage) -> u8 {
    let mut histogram = [0usize; 256];
    for &p in image.pixels.iter().step_by(7) {
        histogram[p as usize] += 1;
    }
    let total: usize = histogram.iter().sum();
    let mut seen = 0;
    for level in (0..256).rev() {
        seen += histogram[level];
        if seen * 10 >= total {
            return level as u8;
        }
    }
    255
}

/// Otsu's threshold: pixels below it are ink. `None` for a page of one gray.
pub(crate) fn otsu(pixels: &[u8]) -> Option<u8> {
    let mut histogram = [0f64; 256];
    for &p in pixels {
        histogram[p as usize] += 1.0;
    }
    let total = pixels.len() as f64;
    let sum_all: f64 = histogram.iter().enumerate().map(|(i, &n)| i as f64 * n).sum();
    let (mut weight_dark, mut sum_dark) = (0.0, 0.0);
    let mut best: Option<(u8, f64)> = None;
    for t in 0..255usize {
        weight_dark += histogram[t];
        sum_dark += t as f64 * histogram[t];
        let weight_light = total - weight_dark;
        if weight_dark == 0.0 || weight_light == 0.0 {
            continue;
        }
        let mean_dark = sum_dark / weight_dark;
        let mean_light = (sum_all - sum_dark) / weight_light;
        let between = weight_dark * weight_light * (mean_dark - mean_light).powi(2);
        if best.is_none_or(|(_, b)| between > b) {
            best = Some((t as u8 + 1, between));
        }
    }
    best.map(|(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of "text": rows of dark dashes (words) on white, 300 DPI.
    fn text_page() -> PageImage {
        let (w, h) = (1200usize, 1600usize);
        let mut pixels = vec![250u8; w * h];
        for line in 0..40 {
            let top = 120 + line * 34;
            for y in top..top + 14 {
                for x in 100..1100 {
                    // Words of 60 pixels with 20-pixel spaces, shifted line by line.
                    if (x + line * 37) % 80 < 60 {
                        pixels[y * w + x] = 20;
                    }
                }
            }
        }
        PageImage { width: w as u32, height: h as u32, dpi: 300, pixels }
    }

    #[test]
    fn a_slightly_crooked_page_is_read_as_scanned() {
        let turned = rotate(&text_page(), 1.5);
        assert!((estimate(&turned).expect("a text page").degrees - 1.5).abs() < 0.15);
        assert!(straighten(&turned).is_none());
    }

    #[test]
    fn a_level_page_measures_level_and_is_left_alone() {
        let page = text_page();
        let skew = estimate(&page).expect("a text page");
        assert!(skew.degrees.abs() < 0.15, "{skew:?}");
        assert!(straighten(&page).is_none());
    }

    #[test]
    fn a_turned_page_gives_its_angle_back_and_is_levelled() {
        let page = text_page();
        for degrees in [-7.0f32, -4.0, -3.0, -2.2, 2.2, 3.0, 5.0] {
            let turned = rotate(&page, degrees);
            let skew = estimate(&turned).expect("a text page");
            assert!((skew.degrees - degrees).abs() < 0.15, "{degrees}: {skew:?}");
            let (level, by) = straighten(&turned).expect("turned back");
            assert!((by + degrees).abs() < 0.15);
            assert!(estimate(&level).expect("still text").degrees.abs() < 0.15);
        }
    }

    #[test]
    fn a_blank_or_tiny_page_has_no_skew() {
        let blank = PageImage { width: 800, height: 1000, dpi: 300, pixels: vec![255; 800 * 1000] };
        assert!(estimate(&blank).is_none());
        let tiny = PageImage { width: 3, height: 2, dpi: 300, pixels: vec![0, 255, 0, 255, 0, 255] };
        assert!(estimate(&tiny).is_none());
        let empty = PageImage { width: 0, height: 0, dpi: 0, pixels: vec![] };
        assert!(estimate(&empty).is_none());
        assert_eq!(rotate(&empty, 3.0).pixels.len(), 0);
    }

    #[test]
    fn turning_grows_the_canvas_and_keeps_the_paper_colour() {
        let page = PageImage { width: 100, height: 200, dpi: 300, pixels: vec![200; 100 * 200] };
        for resampling in [Resampling::WholePixels, Resampling::Cubic] {
            let turned = rotate_with(&page, 5.0, resampling);
            assert!(turned.width > 100 && turned.height > 200);
            assert!(turned.pixels.iter().all(|&p| p == 200), "{resampling:?}: no white or black wedges");
            assert_eq!(rotate_with(&page, 0.0, resampling).pixels, page.pixels);
        }
    }

    #[test]
    fn a_page_levelled_with_cubic_shears_keeps_its_ink_and_lines() {
        let page = text_page();
        let ink = |p: &PageImage| p.pixels.iter().filter(|&&v| v < 128).count() as f64;
        for degrees in [-4.0f32, -2.2, 2.2, 4.0] {
            let turned = rotate(&page, degrees);
            let (level, by) = straighten(&turned).expect("turned back");
            assert!((by + degrees).abs() < 0.15, "{degrees}: {by}");
            assert!(estimate(&level).expect("still text").degrees.abs() < 0.15);
            // Cubic shifts make gray edges, but as much ink as before stays ink.
            assert!((ink(&level) / ink(&page) - 1.0).abs() < 0.02, "{degrees}: ink {} against {}", ink(&level), ink(&page));
        }
    }

    #[test]
    fn a_cubic_shift_by_whole_pixels_moves_pixels_unchanged() {
        // At a fraction of 0 the weights pick the sample itself: a turn that needs no
        // fractional shift resamples nothing.
        assert_eq!(cubic_weights(0.0), [0.0, 1.0, 0.0, 0.0]);
        let w = cubic_weights(0.3);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "weights keep a flat gray flat");
    }

    #[test]
    fn turning_moves_pixels_without_resampling_them() {
        let page = text_page();
        let turned = rotate(&page, 2.5);
        // Only the page's own grays (ink 20, paper 250): no blurred in-between values.
        assert!(turned.pixels.iter().all(|&p| p == 20 || p == 250));
        let ink = |p: &PageImage| p.pixels.iter().filter(|&&v| v == 20).count() as f64;
        assert!((ink(&turned) / ink(&page) - 1.0).abs() < 0.01, "the ink is kept, not smeared or lost");
    }
}
