//! Cutting a header field out of the page image, for a digit reader.

use super::layout::Rect;
use crate::ocr::PageImage;

/// A pixel darker than this is ink (8-bit gray, 0 black).
const INK: u8 = 128;
/// A field with fewer ink pixels than this share of its area was left blank.
const MIN_INK_SHARE: f32 = 0.004;
/// White margin added around a crop: readers see a field the way it stands on paper.
const MARGIN: u32 = 10;

/// The part of `image` under `rect` (clamped to the page), with a white margin around it;
/// `None` when nothing of it is on the page.
pub fn crop(image: &PageImage, rect: Rect) -> Option<PageImage> {
    let left = rect.left.min(image.width);
    let right = rect.right.min(image.width);
    let top = rect.top.min(image.height);
    let bottom = rect.bottom.min(image.height);
    if right <= left || bottom <= top || image.pixels.len() < (image.width as usize) * (image.height as usize) {
        return None;
    }
    let (w, h) = (right - left, bottom - top);
    let (out_w, out_h) = (w + 2 * MARGIN, h + 2 * MARGIN);
    let mut pixels = vec![255u8; out_w as usize * out_h as usize];
    for y in 0..h {
        let src = ((top + y) * image.width + left) as usize;
        let dst = ((y + MARGIN) * out_w + MARGIN) as usize;
        pixels[dst..dst + w as usize].copy_from_slice(&image.pixels[src..src + w as usize]);
    }
    Some(PageImage { width: out_w, height: out_h, dpi: image.dpi, pixels })
}

/// Whether the crop holds any writing (a field left blank reads as nothing, not as a
/// reader's guess).
pub fn has_ink(crop: &PageImage) -> bool {
    let ink = crop.pixels.iter().filter(|&&p| p < INK).count();
    let area = (crop.width as usize * crop.height as usize).max(1);
    ink >= 30 && ink as f32 >= area as f32 * MIN_INK_SHARE
}

/// Clears the ink marks that touch the crop's right edge and are narrow: the cut-off first
/// stroke of the printed word after the field (an italic "t" of "tháng" leaning into the
/// gap), which a digit reader would take for a "1". A pen stroke that crosses the edge
/// belongs to a digit whose ink reaches well into the field and is kept.
pub fn clear_right_edge_marks(crop: &mut PageImage) {
    let (w, h) = (crop.width as usize, crop.height as usize);
    if w <= 2 * MARGIN as usize || h <= 2 * MARGIN as usize || crop.pixels.len() < w * h {
        return;
    }
    let edge = w - MARGIN as usize - 1;
    // Narrower than a sixth of the field's height: no digit is that thin and that short.
    let max_width = ((h - 2 * MARGIN as usize) / 6).max(2);
    let mut seen = vec![false; w * h];
    for y0 in 0..h {
        let start = y0 * w + edge;
        if seen[start] || crop.pixels[start] >= INK {
            continue;
        }
        // The component through this edge pixel (8-connected).
        let mut stack = vec![start];
        let mut component = Vec::new();
        seen[start] = true;
        let mut min_x = edge;
        while let Some(i) = stack.pop() {
            component.push(i);
            let (x, y) = (i % w, i / w);
            min_x = min_x.min(x);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx as usize >= w || ny as usize >= h {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if !seen[j] && crop.pixels[j] < INK {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        if edge - min_x < max_width {
            for i in component {
                crop.pixels[i] = 255;
            }
        }
    }
}

/// Margins around the ink of [`ink_views`], as shares of the ink's height.
const VIEW_MARGINS: [f32; 3] = [0.0, 0.1, 0.2];

/// The field's writing cut out the way a line recognizer was trained to see a line: its
/// box tight around the text. A field crop is the gap between printed words, two or three
/// times taller than the digits in it, and the recognizer scales the whole crop to its
/// line height: the digits come out a third as tall as the printed lines it learned on,
/// and it reads a pen "16" as "46", "22" as "42", "87" as "89" (measured on the 37
/// Quảng Ngãi development pages: first readings right 24 of 37 numbers and 17 of 37 days
/// on the whole crop, 33 and 30 on these views pooled; `examples/header_dev.rs` dumps the
/// crops).
///
/// Six views: the box around all the ink, and the band of rows around the inkiest row
/// (leaving out a stray mark above or below the line: a seal's edge, a dot of the next
/// line), each with three margins. No single margin is best on every field; a reader
/// averages its readings over the views. Ink is what is markedly darker than the crop's
/// own paper (halfway from the paper's shade to the darkest ink's), so that faint pen
/// strokes on a grey scan are not cut off. Empty when the crop holds no ink.
pub fn ink_views(crop: &PageImage) -> Vec<PageImage> {
    let (w, h) = (crop.width as usize, crop.height as usize);
    if w == 0 || h == 0 || crop.pixels.len() < w * h {
        return Vec::new();
    }
    let Some(ink) = ink_level(&crop.pixels[..w * h]) else { return Vec::new() };
    let mut views = Vec::new();
    for rows in [Some((0, h)), inky_band(crop, ink)].into_iter().flatten() {
        let Some(bounds) = ink_box(crop, rows, ink) else { continue };
        for share in VIEW_MARGINS {
            views.push(cut(crop, bounds, share));
        }
    }
    views
}

/// Least contrast between the paper and the darkest ink of a crop with writing in it.
const MIN_CONTRAST: u8 = 40;

/// The shade below which a pixel of `pixels` is ink: halfway between the paper (the median:
/// a field is mostly paper) and the darkest ink (the darkest 0.2%: less than a field with
/// writing holds, see [`has_ink`]). `None` when the two
/// hardly differ (no writing).
fn ink_level(pixels: &[u8]) -> Option<u8> {
    let mut hist = [0usize; 256];
    for &p in pixels {
        hist[p as usize] += 1;
    }
    let at = |share: f32| {
        let want = (pixels.len() as f32 * share) as usize;
        let mut seen = 0;
        (0..=255u8).find(|&v| {
            seen += hist[v as usize];
            seen > want
        })
    };
    let (dark, paper) = (at(0.002)?, at(0.5)?);
    (paper.saturating_sub(dark) >= MIN_CONTRAST).then(|| dark + (paper - dark) / 2)
}

/// The box (left, top, right, bottom; exclusive ends) around the ink in rows `rows`.
fn ink_box(crop: &PageImage, rows: (usize, usize), ink: u8) -> Option<(usize, usize, usize, usize)> {
    let w = crop.width as usize;
    let (mut left, mut top, mut right, mut bottom) = (usize::MAX, usize::MAX, 0, 0);
    for y in rows.0..rows.1 {
        for (x, &p) in crop.pixels[y * w..(y + 1) * w].iter().enumerate() {
            if p < ink {
                left = left.min(x);
                right = right.max(x + 1);
                top = top.min(y);
                bottom = bottom.max(y + 1);
            }
        }
    }
    (right > left).then_some((left, top, right, bottom))
}

/// The rows (start, exclusive end) around the row with the most ink, across blank gaps of
/// at most a twentieth of the crop's height (a digit's strokes are connected top to
/// bottom; a mark past a wider gap is not the line's).
fn inky_band(crop: &PageImage, level: u8) -> Option<(usize, usize)> {
    let (w, h) = (crop.width as usize, crop.height as usize);
    let ink: Vec<usize> = (0..h).map(|y| crop.pixels[y * w..(y + 1) * w].iter().filter(|&&p| p < level).count()).collect();
    let peak = (0..h).max_by_key(|&y| ink[y]).filter(|&y| ink[y] > 0)?;
    let gap = (h / 20).max(2);
    let (mut start, mut end) = (peak, peak + 1);
    while let Some(step) = (1..=gap).find(|&g| start >= g && ink[start - g] > 0) {
        start -= step;
    }
    while let Some(step) = (0..gap).find(|&g| end + g < h && ink[end + g] > 0) {
        end += step + 1;
    }
    Some((start, end))
}

/// The box `bounds` of `crop` with a white margin of `share` of its height around it.
fn cut(crop: &PageImage, (left, top, right, bottom): (usize, usize, usize, usize), share: f32) -> PageImage {
    let w = crop.width as usize;
    let margin = ((bottom - top) as f32 * share).round() as usize;
    let (out_w, out_h) = (right - left + 2 * margin, bottom - top + 2 * margin);
    let mut pixels = vec![255u8; out_w * out_h];
    for y in top..bottom {
        let dst = (y - top + margin) * out_w + margin;
        pixels[dst..dst + right - left].copy_from_slice(&crop.pixels[y * w + left..y * w + right]);
    }
    PageImage { width: out_w as u32, height: out_h as u32, dpi: crop.dpi, pixels }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(width: u32, height: u32) -> PageImage {
        PageImage { width, height, dpi: 300, pixels: vec![255; (width * height) as usize] }
    }

    #[test]
    fn a_crop_copies_the_pixels_with_a_margin_and_clamps_to_the_page() {
        let mut image = page(100, 50);
        for y in 10..20 {
            for x in 30..40 {
                image.pixels[(y * 100 + x) as usize] = 0;
            }
        }
        let c = crop(&image, Rect { left: 25, top: 5, right: 45, bottom: 25 }).unwrap();
        assert_eq!((c.width, c.height), (20 + 2 * MARGIN, 20 + 2 * MARGIN));
        assert_eq!(c.pixels[((5 + MARGIN) * c.width + 5 + MARGIN) as usize], 0);
        assert_eq!(c.pixels[0], 255);
        assert!(has_ink(&c));
        let edge = crop(&image, Rect { left: 90, top: 40, right: 200, bottom: 200 }).unwrap();
        assert_eq!((edge.width, edge.height), (10 + 2 * MARGIN, 10 + 2 * MARGIN));
        assert!(!has_ink(&edge), "a blank field has no ink");
        assert!(crop(&image, Rect { left: 200, top: 0, right: 300, bottom: 10 }).is_none());
    }

    #[test]
    fn the_views_cut_the_ink_tight_and_leave_out_a_mark_past_a_gap() {
        // A field 100 high with a digit 30 high in the middle and a dot far below it.
        let mut image = page(80, 100);
        let mut ink = |x0: u32, x1: u32, y0: u32, y1: u32| {
            for y in y0..y1 {
                for x in x0..x1 {
                    image.pixels[(y * 80 + x) as usize] = 0;
                }
            }
        };
        ink(20, 40, 30, 60);
        ink(60, 63, 90, 93);
        let views = ink_views(&image);
        assert_eq!(views.len(), 2 * VIEW_MARGINS.len());
        let sizes: Vec<(u32, u32)> = views.iter().map(|v| (v.width, v.height)).collect();
        // The whole ink: digit to dot (43 wide, 63 high), then 6 and 13 of margin around it.
        assert_eq!(sizes[..3], [(43, 63), (55, 75), (69, 89)]);
        // The band around the digit's rows leaves the dot out.
        assert_eq!(sizes[3..], [(20, 30), (26, 36), (32, 42)]);
        assert!(views[3].pixels.iter().all(|&p| p == 0), "the tight band is all digit");
        assert_eq!(views[4].pixels[0], 255);
        // No ink, no views.
        assert!(ink_views(&page(10, 10)).is_empty());
        // Faint grey strokes on grey paper are ink all the same.
        let mut faint = PageImage { pixels: vec![230; 80 * 100], ..page(80, 100) };
        for y in 30..60 {
            for x in 20..40 {
                faint.pixels[y * 80 + x] = 170;
            }
        }
        assert_eq!((ink_views(&faint)[0].width, ink_views(&faint)[0].height), (20, 30));
    }

    #[test]
    fn a_narrow_mark_on_the_right_edge_is_cleared_and_a_digit_crossing_it_is_kept() {
        // A field 60 wide, 60 high: a digit-sized blob in the middle, a sliver of the next
        // printed word at the right edge.
        let mut image = page(60, 60);
        let ink = |image: &mut PageImage, x0: u32, x1: u32, y0: u32, y1: u32| {
            for y in y0..y1 {
                for x in x0..x1 {
                    image.pixels[(y * 60 + x) as usize] = 0;
                }
            }
        };
        ink(&mut image, 15, 35, 15, 45);
        ink(&mut image, 57, 60, 25, 40);
        let mut c = crop(&image, Rect { left: 0, top: 0, right: 60, bottom: 60 }).unwrap();
        clear_right_edge_marks(&mut c);
        let at = |c: &PageImage, x: u32, y: u32| c.pixels[((y + MARGIN) * c.width + x + MARGIN) as usize];
        assert_eq!(at(&c, 58, 30), 255, "the sliver is gone");
        assert_eq!(at(&c, 20, 30), 0, "the digit stays");
        // A stroke from the digit running to the edge keeps the whole digit.
        ink(&mut image, 35, 60, 28, 31);
        let mut c = crop(&image, Rect { left: 0, top: 0, right: 60, bottom: 60 }).unwrap();
        clear_right_edge_marks(&mut c);
        assert_eq!(at(&c, 59, 29), 0);
        assert_eq!(at(&c, 20, 30), 0);
    }
}
