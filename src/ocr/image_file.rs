//! PNG and JPEG pages through the `image` crate, with the size checked from the header
//! and the decoder's own allocation limit as a second fence.

use anyhow::{bail, Context};
use image::{ImageFormat, ImageReader};
use std::io::Cursor;
use std::path::Path;

use super::limits::{check_dimensions, max_decode_alloc, MAX_SIDE};
use super::{ImageKind, PageImage, DEFAULT_DPI};

fn format(kind: ImageKind) -> ImageFormat {
    match kind {
        ImageKind::Png => ImageFormat::Png,
        _ => ImageFormat::Jpeg,
    }
}

fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(max_decode_alloc());
    limits
}

/// Reads the header only and applies the size limits.
pub fn check(path: &Path, kind: ImageKind) -> anyhow::Result<()> {
    let (width, height) = dimensions(path, kind)?;
    check_dimensions(width, height)
}

/// The image's size from its header, before anything is decoded.
pub fn dimensions(path: &Path, kind: ImageKind) -> anyhow::Result<(u32, u32)> {
    let file = std::fs::File::open(path).context("cannot open the file")?;
    let reader = ImageReader::with_format(std::io::BufReader::new(file), format(kind));
    reader.into_dimensions().map_err(|e| damaged(kind, e))
}

pub fn load(path: &Path, kind: ImageKind) -> anyhow::Result<PageImage> {
    let bytes = std::fs::read(path).context("cannot read the file")?;
    let (width, height) = ImageReader::with_format(Cursor::new(&bytes), format(kind))
        .into_dimensions()
        .map_err(|e| damaged(kind, e))?;
    check_dimensions(width, height)?;
    if kind == ImageKind::Jpeg && !jpeg_has_end_marker(&bytes) {
        // The JPEG decoder fills a cut-off scan with gray and reports success; OCR of
        // half a page would then pass for the whole document.
        bail!("the JPEG file is truncated (no end-of-image marker); copy or scan it again");
    }
    let mut reader = ImageReader::with_format(Cursor::new(&bytes), format(kind));
    reader.limits(limits());
    let decoded = reader.decode().map_err(|e| damaged(kind, e))?;
    let dpi = match kind {
        ImageKind::Png => png_dpi(&bytes),
        _ => jpeg_dpi(&bytes),
    }
    .unwrap_or(DEFAULT_DPI);
    let mut gray = decoded.to_luma8().into_raw();
    if decoded.color().has_color() {
        // A colour scan: its red seals are lifted off the print before colour is dropped.
        let rgb = decoded.into_rgb8();
        crate::page::colour::lift_red_seals(&mut gray, rgb.as_raw(), width, height, dpi);
    }
    Ok(PageImage { width, height, dpi, pixels: gray })
}

fn damaged(kind: ImageKind, err: image::ImageError) -> anyhow::Error {
    let name = if kind == ImageKind::Png { "PNG" } else { "JPEG" };
    match err {
        image::ImageError::Limits(_) => anyhow::anyhow!(
            "the {name} image is too large to decode safely ({err}); scan it at 300 DPI"
        ),
        _ => anyhow::anyhow!("the {name} image cannot be decoded ({err}); the file is damaged or truncated"),
    }
}

/// The EOI marker (FF D9) must appear after the last scan; entropy-coded data never holds
/// it (an FF byte there is always followed by 00), so its absence means truncation.
/// Some writers pad after EOI, so look in the last kilobyte, not only the last two bytes.
fn jpeg_has_end_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

/// DPI from the PNG `pHYs` chunk (pixels per metre).
fn png_dpi(bytes: &[u8]) -> Option<u32> {
    let mut pos = 8;
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().ok()?) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let data = bytes.get(pos + 8..pos + 8 + len)?;
        match kind {
            b"pHYs" if len == 9 && data[8] == 1 => {
                let per_metre = u32::from_be_bytes(data[0..4].try_into().ok()?);
                return plausible_dpi((f64::from(per_metre) * 0.0254).round() as u32);
            }
            b"IDAT" | b"IEND" => return None,
            _ => {}
        }
        pos += 12 + len;
    }
    None
}

/// DPI from the JFIF APP0 segment (units 1 = per inch, 2 = per cm).
fn jpeg_dpi(bytes: &[u8]) -> Option<u32> {
    let app0 = bytes.windows(5).take(64).position(|w| w == b"JFIF\0")?;
    let seg = bytes.get(app0 + 5..app0 + 12)?;
    let density = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
    match seg[2] {
        1 => plausible_dpi(density),
        2 => plausible_dpi((f64::from(density) * 2.54).round() as u32),
        _ => None,
    }
}

/// Files often carry 72 or 96 "DPI" that only means "unknown"; Tesseract sizes its text
/// model from the DPI, so such values would hurt more than the default does.
fn plausible_dpi(dpi: u32) -> Option<u32> {
    (100..=1200).contains(&dpi).then_some(dpi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_density_is_read_from_phys() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&9u32.to_be_bytes());
        png.extend_from_slice(b"pHYs");
        png.extend_from_slice(&11811u32.to_be_bytes()); // 300 DPI
        png.extend_from_slice(&11811u32.to_be_bytes());
        png.push(1);
        png.extend_from_slice(&[0; 4]);
        assert_eq!(png_dpi(&png), Some(300));
    }

    #[test]
    fn screen_resolutions_mean_unknown() {
        assert_eq!(plausible_dpi(72), None);
        assert_eq!(plausible_dpi(96), None);
        assert_eq!(plausible_dpi(400), Some(400));
    }

    #[test]
    fn a_cut_jpeg_has_no_end_marker() {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 3, 0xFF, 0x00, 4];
        assert!(!jpeg_has_end_marker(&jpeg));
        jpeg.extend_from_slice(&[0xFF, 0xD9, 0, 0]);
        assert!(jpeg_has_end_marker(&jpeg));
    }
}
