//! Multi-page TIFF through the `tiff` crate: bilevel (fax G3/G4), gray and RGB pages.

use anyhow::{bail, Context};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use tiff::decoder::{ifd::Value, Decoder, DecodingResult, Limits};
use tiff::tags::Tag;
use tiff::ColorType;

use super::limits::{check_dimensions, max_decode_alloc};
use super::{PageImage, DEFAULT_DPI};

/// A TIFF with more pages than this is refused rather than walked forever.
const MAX_PAGES: u32 = 10_000;

fn open(path: &Path) -> anyhow::Result<Decoder<BufReader<File>>> {
    let file = File::open(path).context("cannot open the file")?;
    let mut limits = Limits::default();
    limits.decoding_buffer_size = max_decode_alloc() as usize;
    let decoder = Decoder::new(BufReader::new(file)).map_err(damaged)?;
    Ok(decoder.with_limits(limits))
}

fn damaged(err: tiff::TiffError) -> anyhow::Error {
    match err {
        tiff::TiffError::UnsupportedError(e) => anyhow::anyhow!(
            "this kind of TIFF is not supported ({e}); save the scan as bilevel, 8-bit gray or RGB TIFF, or as PNG"
        ),
        tiff::TiffError::LimitsExceeded | tiff::TiffError::IntSizeError => {
            anyhow::anyhow!("the TIFF page is too large to decode safely; scan it at 300 DPI")
        }
        other => anyhow::anyhow!("the TIFF file cannot be decoded ({other}); the file is damaged or truncated"),
    }
}

/// Counts the pages and checks each page's size from its header.
pub fn page_count(path: &Path) -> anyhow::Result<u32> {
    let mut decoder = open(path)?;
    let mut pages = 0;
    loop {
        pages += 1;
        let (width, height) = decoder.dimensions().map_err(damaged)?;
        check_dimensions(width, height).with_context(|| format!("page {pages}"))?;
        if !decoder.more_images() {
            return Ok(pages);
        }
        if pages >= MAX_PAGES {
            bail!("the TIFF file has more than {MAX_PAGES} pages; split it");
        }
        decoder.next_image().map_err(damaged)?;
    }
}

/// The size of page `number` (1-based) from its header, before anything is decoded.
pub fn page_dimensions(path: &Path, number: u32) -> anyhow::Result<(u32, u32)> {
    let mut decoder = open(path)?;
    let index = number.checked_sub(1).context("page numbers start at 1")?;
    decoder.seek_to_image(index as usize).map_err(damaged)?;
    decoder.dimensions().map_err(damaged)
}

pub fn load_page(path: &Path, number: u32) -> anyhow::Result<PageImage> {
    let mut decoder = open(path)?;
    let index = number.checked_sub(1).context("page numbers start at 1")?;
    decoder.seek_to_image(index as usize).map_err(damaged)?;
    let (width, height) = decoder.dimensions().map_err(damaged)?;
    check_dimensions(width, height)?;
    let color = decoder.colortype().map_err(damaged)?;
    let dpi = declared_dpi(&mut decoder).unwrap_or(DEFAULT_DPI);
    let data = decoder.read_image().map_err(damaged)?;
    let mut pixels = to_gray(&data, color, width as usize, height as usize)?;
    // A colour scan: its red seals are lifted off the print (`crate::page::colour`).
    if let DecodingResult::U8(bytes) = &data {
        let rgb: Option<std::borrow::Cow<[u8]>> = match color {
            ColorType::RGB(8) => Some(bytes.as_slice().into()),
            ColorType::RGBA(8) => Some(bytes.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect::<Vec<u8>>().into()),
            _ => None,
        };
        if let Some(rgb) = rgb {
            crate::page::colour::lift_red_seals(&mut pixels, &rgb, width, height, dpi);
        }
    }
    Ok(PageImage { width, height, dpi, pixels })
}

/// XResolution with ResolutionUnit (2 = inch, 3 = centimetre); the tiff crate has
/// already turned WhiteIsZero into BlackIsZero, so only the resolution is read here.
fn declared_dpi(decoder: &mut Decoder<BufReader<File>>) -> Option<u32> {
    let value = decoder.find_tag(Tag::XResolution).ok()??;
    let per_unit = match value {
        Value::Rational(n, d) if d != 0 => f64::from(n) / f64::from(d),
        other => f64::from(other.into_u32().ok()?),
    };
    let unit = decoder.find_tag_unsigned::<u16>(Tag::ResolutionUnit).ok().flatten().unwrap_or(2);
    let dpi = if unit == 3 { per_unit * 2.54 } else { per_unit };
    let dpi = dpi.round() as u32;
    (100..=1200).contains(&dpi).then_some(dpi)
}

/// Converts a decoded page to 8-bit gray (0 = black).
fn to_gray(data: &DecodingResult, color: ColorType, width: usize, height: usize) -> anyhow::Result<Vec<u8>> {
    let bytes = match (data, color) {
        (DecodingResult::U8(bytes), _) => bytes.as_slice(),
        (DecodingResult::U16(words), ColorType::Gray(16)) => {
            return Ok(words.iter().map(|w| (w >> 8) as u8).collect());
        }
        _ => bail!("unsupported TIFF pixel format {color:?}; save the scan as bilevel, 8-bit gray or RGB"),
    };
    let pixels = width * height;
    let gray = match color {
        ColorType::Gray(1) => {
            let row_bytes = width.div_ceil(8);
            if bytes.len() < row_bytes * height {
                bail!("the TIFF page is shorter than its declared {width}×{height} pixels; the file is damaged");
            }
            let mut out = Vec::with_capacity(pixels);
            for row in bytes.chunks(row_bytes).take(height) {
                out.extend((0..width).map(|x| if row[x / 8] & (0x80 >> (x % 8)) != 0 { 255 } else { 0 }));
            }
            out
        }
        ColorType::Gray(8) => bytes.to_vec(),
        ColorType::GrayA(8) => bytes.chunks_exact(2).map(|p| p[0]).collect(),
        ColorType::RGB(8) => bytes.chunks_exact(3).map(|p| luma(p[0], p[1], p[2])).collect(),
        ColorType::RGBA(8) => bytes.chunks_exact(4).map(|p| luma(p[0], p[1], p[2])).collect(),
        other => bail!("unsupported TIFF pixel format {other:?}; save the scan as bilevel, 8-bit gray or RGB"),
    };
    if gray.len() != pixels {
        bail!("the TIFF page holds {} pixels where {width}×{height} were declared; the file is damaged", gray.len());
    }
    Ok(gray)
}

/// ITU-R BT.601 luma, as the `image` crate uses.
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilevel_rows_are_unpacked_with_their_padding() {
        // 10 px wide: two bytes a row, the last 6 bits padding.
        let rows = vec![0b1000_0000, 0b0100_0000, 0b0000_0001, 0b1100_0000];
        let gray = to_gray(&DecodingResult::U8(rows), ColorType::Gray(1), 10, 2).unwrap();
        assert_eq!(gray.len(), 20);
        assert_eq!(&gray[..10], &[255, 0, 0, 0, 0, 0, 0, 0, 0, 255]);
        assert_eq!(&gray[10..], &[0, 0, 0, 0, 0, 0, 0, 255, 255, 255]);
    }

    #[test]
    fn short_pixel_data_is_an_error_not_a_panic() {
        let err = to_gray(&DecodingResult::U8(vec![1, 2, 3]), ColorType::Gray(8), 4, 4).unwrap_err();
        assert!(err.to_string().contains("damaged"), "{err}");
    }
}
