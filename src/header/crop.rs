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
}
