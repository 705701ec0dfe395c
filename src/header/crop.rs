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
