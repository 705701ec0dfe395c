//! A red seal lifted off a colour scan before it is made gray.
//!
//! Why: the organ's round red seal is pressed over the last lines of the text and the
//! signer's title and name. In gray its ink is mid-gray (about 100 of 255), as dark as the
//! print for Tesseract's binarization, so the ring and the print under it become one
//! picture: Tesseract leaves the whole block out, four or five lines of text lost under
//! every seal (measured on the development real-like scans of `vanban eval repair`). In
//! colour the seal is plain to see: red where the print is black or blue-black. Inside a
//! seal's box:
//! - away from print (farther than two pixels from a dark pixel that is not red), every
//!   pixel is paper or seal and is lifted to at least [`PAPER_FLOOR`]: JPEG keeps colour
//!   at half the resolution of light, so the edges of the seal's thin letters are dark and
//!   hardly red, and lifting only the red pixels left their outlines, which Tesseract read
//!   as words ("ZY BẠN NHÂN");
//! - next to print, a red pixel takes its red channel's value (a red seal is light in red
//!   light, as on a red-filtered copy), in part when it is only a little red; print is dark
//!   in every channel and keeps its edges (taking the red channel of every pixel there
//!   thinned the letters under the ring and cost more words than it saved).
//!
//! Only seals are lifted, not every red pixel: a Party document prints its heading in red
//! and a red heading must still be read. A seal is told by its shape: its red pixels make
//! one piece (the ring) roughly as tall as wide, 0.7–2.5 in across, mostly hollow; a red
//! heading's letters are pieces a line high. Everything red inside the ring's box (the
//! organ's name, the star) goes with it.

/// A pixel is red ink when its red channel exceeds its green and blue by this much (the
/// seal's #d8454f by 137; JPEG blurs its edges, paper and print differ by less than 30).
const RED_MARGIN: i32 = 45;
/// Below this red level a reddish pixel is print (dark in every channel), not seal ink.
const MIN_RED: u8 = 100;
/// Side of the cells the red mask is joined on, in inches: a ring broken by the print
/// that crosses it is still one piece.
const CELL_INCHES: f32 = 0.02;
/// A dark pixel (gray below this) that is not red (red by less than [`PRINT_MAX_RED`]) is
/// print: the seal's own ink is 80–110 gray and clearly red, print 10–60 and neutral or
/// blue-black, and a thin stroke of print or a tone mark stays below this under JPEG.
const PRINT_MAX_GRAY: u8 = 110;
const PRINT_MAX_RED: i32 = 25;
/// What seal ink away from print is lifted to at least: paper for Tesseract's binarization.
const PAPER_FLOOR: u8 = 200;
/// Around a seal's red cells, the ring's blurred outer edge.
const SEAL_MARGIN_INCHES: f32 = 0.04;
/// A seal's box, in inches, both sides.
const SEAL_MIN_INCHES: f32 = 0.7;
const SEAL_MAX_INCHES: f32 = 2.5;
/// Most of a seal's box is not red (a ring, a star, small letters); a red block or a
/// photo is.
const SEAL_MAX_FILL: f32 = 0.55;

/// Red seals in `rgb` (8-bit RGB, row-major, `width × height × 3` bytes) lifted in `gray`
/// (its gray version, `width × height` bytes): inside each seal's box (and a margin), every
/// pixel gets the value of its red channel when that is lighter. Pixels outside a seal are
/// left bit for bit. Returns how many seals were lifted.
pub fn lift_red_seals(gray: &mut [u8], rgb: &[u8], width: u32, height: u32, dpi: u32) -> usize {
    let (w, h) = (width as usize, height as usize);
    if gray.len() < w * h || rgb.len() < w * h * 3 || w == 0 || h == 0 {
        return 0;
    }
    let redness = |i: usize| -> i32 {
        let (r, g, b) = (rgb[3 * i] as i32, rgb[3 * i + 1] as i32, rgb[3 * i + 2] as i32);
        r - g.max(b)
    };
    let is_red = |i: usize| rgb[3 * i] >= MIN_RED && redness(i) >= RED_MARGIN;
    // The red mask on a coarse grid: a cell is red when a few of its pixels are.
    let cell = ((CELL_INCHES * dpi as f32).round() as usize).max(1);
    let (cw, ch) = (w.div_ceil(cell), h.div_ceil(cell));
    let mut counts = vec![0u16; cw * ch];
    let mut any = false;
    for y in 0..h {
        for x in 0..w {
            if is_red(y * w + x) {
                counts[(y / cell) * cw + x / cell] += 1;
                any = true;
            }
        }
    }
    if !any {
        return 0;
    }
    let least = ((cell * cell) / 8).max(1) as u16;
    let red: Vec<bool> = counts.iter().map(|&c| c >= least).collect();
    // Pieces of red cells, 8-connected with one cell of slack (a ring's gaps under print).
    let mut label = vec![usize::MAX; cw * ch];
    let mut seals = Vec::new();
    let mut stack = Vec::new();
    for start in 0..cw * ch {
        if !red[start] || label[start] != usize::MAX {
            continue;
        }
        label[start] = start;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1, mut cells) = (cw, ch, 0, 0, 0usize);
        while let Some(c) = stack.pop() {
            let (cx, cy) = (c % cw, c / cw);
            (x0, y0, x1, y1) = (x0.min(cx), y0.min(cy), x1.max(cx), y1.max(cy));
            cells += 1;
            for ny in cy.saturating_sub(2)..=(cy + 2).min(ch - 1) {
                for nx in cx.saturating_sub(2)..=(cx + 2).min(cw - 1) {
                    let n = ny * cw + nx;
                    if red[n] && label[n] == usize::MAX {
                        label[n] = start;
                        stack.push(n);
                    }
                }
            }
        }
        let inches = |cells: usize| (cells * cell) as f32 / dpi as f32;
        let (bw, bh) = (inches(x1 - x0 + 1), inches(y1 - y0 + 1));
        let fill = cells as f32 / ((x1 - x0 + 1) * (y1 - y0 + 1)) as f32;
        let seal_sized = |side: f32| (SEAL_MIN_INCHES..=SEAL_MAX_INCHES).contains(&side);
        if seal_sized(bw) && seal_sized(bh) && bw / bh < 1.5 && bh / bw < 1.5 && fill <= SEAL_MAX_FILL {
            let margin = ((SEAL_MARGIN_INCHES * dpi as f32) as usize).max(1);
            seals.push(((x0 * cell).saturating_sub(margin), (y0 * cell).saturating_sub(margin), ((x1 + 1) * cell + margin).min(w), ((y1 + 1) * cell + margin).min(h)));
        }
    }
    for &(x0, y0, x1, y1) in &seals {
        let bw = x1 - x0;
        // Print in the box, grown by two pixels: its strokes' soft edges.
        let print: Vec<bool> = (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| y * w + x))
            .map(|i| gray[i] < PRINT_MAX_GRAY && redness(i) < PRINT_MAX_RED)
            .collect();
        let near_print = |x: usize, y: usize| {
            let (lx, ly) = (x - x0, y - y0);
            (ly.saturating_sub(2)..=(ly + 2).min(y1 - y0 - 1)).any(|yy| (lx.saturating_sub(2)..=(lx + 2).min(bw - 1)).any(|xx| print[yy * bw + xx]))
        };
        for y in y0..y1 {
            for x in x0..x1 {
                let i = y * w + x;
                if !near_print(x, y) {
                    gray[i] = gray[i].max(rgb[3 * i]).max(PAPER_FLOOR);
                    continue;
                }
                let r = redness(i);
                if r > 15 {
                    // Fully from a clear red on; a pixel of print's edge over the ring only
                    // in part, so that the letter keeps its shape.
                    let weight = ((r - 15) as f32 / (RED_MARGIN - 15) as f32).min(1.0);
                    let target = rgb[3 * i].max(gray[i]) as f32;
                    gray[i] = (gray[i] as f32 + weight * (target - gray[i] as f32)).round() as u8;
                }
            }
        }
    }
    seals.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAPER: [u8; 3] = [242, 234, 214];
    const INK: [u8; 3] = [28, 28, 48];
    const SEAL: [u8; 3] = [216, 69, 79];

    fn page(w: usize, h: usize) -> Vec<u8> {
        PAPER.iter().copied().cycle().take(w * h * 3).collect()
    }
    fn set(rgb: &mut [u8], w: usize, x: usize, y: usize, c: [u8; 3]) {
        rgb[3 * (y * w + x)..3 * (y * w + x) + 3].copy_from_slice(&c);
    }
    fn gray_of(rgb: &[u8]) -> Vec<u8> {
        rgb.chunks(3).map(|p| (0.2126 * p[0] as f32 + 0.7152 * p[1] as f32 + 0.0722 * p[2] as f32).round() as u8).collect()
    }
    /// Lines of "print": letters 4 px wide and 10 px high, a line every 40 px.
    fn print(rgb: &mut [u8], w: usize, h: usize) {
        for y in (20..h - 20).filter(|y| y % 40 < 10) {
            for x in (20..w - 20).filter(|x| x % 14 < 4) {
                set(rgb, w, x, y, INK);
            }
        }
    }

    #[test]
    fn a_red_ring_over_print_is_lifted_and_the_print_under_it_stays() {
        let (w, h, dpi) = (800, 800, 200);
        let mut rgb = page(w, h);
        print(&mut rgb, w, h);
        // A ring of 1.5 in (radius 150 px), 7 px thick, multiplied over the print.
        for y in 0..h {
            for x in 0..w {
                let d = (((x as f32 - 400.0).powi(2) + (y as f32 - 400.0).powi(2)).sqrt() - 150.0).abs();
                if d < 3.5 {
                    let i = 3 * (y * w + x);
                    for k in 0..3 {
                        rgb[i + k] = ((rgb[i + k] as u32 * SEAL[k] as u32) / 255) as u8;
                    }
                }
            }
        }
        let mut gray = gray_of(&rgb);
        let before = gray.clone();
        assert_eq!(lift_red_seals(&mut gray, &rgb, w as u32, h as u32, dpi), 1);
        // The ring's own pixels (on paper) are now near the paper.
        let ring_on_paper = (0..h).flat_map(|y| (0..w).map(move |x| (x, y))).find(|&(x, y)| {
            let d = (((x as f32 - 400.0).powi(2) + (y as f32 - 400.0).powi(2)).sqrt() - 150.0).abs();
            d < 1.0 && rgb[3 * (y * w + x)] > 150
        });
        let (x, y) = ring_on_paper.expect("a ring pixel on paper");
        assert!(before[y * w + x] < 130, "the ring is as dark as print in gray: {}", before[y * w + x]);
        assert!(gray[y * w + x] >= 200, "ring pixel lifted to {}", gray[y * w + x]);
        // Print, under the ring or not, stays print; away from the seal it is untouched.
        for (i, (&b, &a)) in before.iter().zip(&gray).enumerate() {
            if b < 60 {
                assert!(a < 60, "print pixel {i} lifted from {b} to {a}");
            }
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            if ((x - 400.0).powi(2) + (y - 400.0).powi(2)).sqrt() > 250.0 {
                assert_eq!(a, b, "pixel {i} away from the seal changed");
            }
        }
    }

    #[test]
    fn a_red_heading_is_not_a_seal() {
        let (w, h) = (1200, 400);
        let mut rgb = page(w, h);
        // A red heading: letters 40 px high, a line 1000 px long.
        for y in 50..90 {
            for x in (100..1100).filter(|x| x % 30 < 18) {
                set(&mut rgb, w, x, y, SEAL);
            }
        }
        let mut gray = gray_of(&rgb);
        let before = gray.clone();
        assert_eq!(lift_red_seals(&mut gray, &rgb, w as u32, h as u32, 200), 0);
        assert_eq!(gray, before);
    }

    #[test]
    fn a_page_without_red_is_left_as_it_was() {
        let (w, h) = (600, 600);
        let mut rgb = page(w, h);
        print(&mut rgb, w, h);
        let mut gray = gray_of(&rgb);
        let before = gray.clone();
        assert_eq!(lift_red_seals(&mut gray, &rgb, w as u32, h as u32, 200), 0);
        assert_eq!(gray, before);
    }
}
