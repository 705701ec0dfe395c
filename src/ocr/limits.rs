//! Size limits checked from headers, before decoding: a 30000×30000 image would need
//! 900 MB as gray pixels (and several times that inside Tesseract), so it is refused.
//!
//! The limits follow from ingest's memory target (500 MB peak at the default jobs): one
//! page at [`MAX_PIXELS`] must fit beside the process's own ~150 MB (models, index
//! writer), and ingest counts every page being read against a budget of
//! [`PAGE_BYTES_PER_PIXEL`] a pixel (see `ingest::budget`), so that two workers never
//! hold two such pages at once (issue 16: three 100-megapixel PNGs peaked at 897 MB).

use anyhow::bail;

/// Longest side accepted, in pixels: an A0 sheet scanned at 600 DPI is about 20000 px.
pub const MAX_SIDE: u32 = 20_000;
/// Most pixels accepted in one page: 70 megapixels, an A3 sheet at 600 DPI or A1 at 300 DPI.
pub const MAX_PIXELS: u64 = 70_000_000;
/// Peak memory of reading one page, per pixel: decoding (at most 4 bytes a pixel, then
/// 1 as gray) and Tesseract's own copies. Measured: ingesting one 100-megapixel PNG with
/// `--jobs 1` peaked at 522 MB, one of 25 megapixels at 181 MB (4.55 bytes a pixel over a
/// base of 67 MB; `/usr/bin/time -v vanban ingest`, 2026-12, before page cleanup landed).
pub const PAGE_BYTES_PER_PIXEL: u64 = 5;

/// Refuses a page whose declared size is over [`MAX_SIDE`] or [`MAX_PIXELS`], or zero.
pub fn check_dimensions(width: u32, height: u32) -> anyhow::Result<()> {
    if width == 0 || height == 0 {
        bail!("the image declares a size of {width}×{height} pixels: the file is damaged");
    }
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_SIDE || height > MAX_SIDE || pixels > MAX_PIXELS {
        bail!(
            "the image is {width}×{height} pixels, over the limit of {MAX_SIDE} pixels a side \
             and {} megapixels; scan it at 300 DPI or split it into pages",
            MAX_PIXELS / 1_000_000
        );
    }
    Ok(())
}

/// Bytes the image decoder may allocate: one page at the limit as RGBA, plus slack.
pub fn max_decode_alloc() -> u64 {
    MAX_PIXELS * 4 + (64 << 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_at_600_dpi_passes() {
        check_dimensions(4961, 7016).unwrap();
    }

    #[test]
    fn huge_and_empty_images_are_refused_with_the_limit_named() {
        let err = check_dimensions(30_000, 30_000).unwrap_err().to_string();
        assert!(err.contains("30000×30000") && err.contains("20000"), "{err}");
        assert!(check_dimensions(15_000, 15_000).is_err(), "225 MP is over 70 MP");
        assert!(check_dimensions(10_000, 10_000).is_err(), "100 MP is over 70 MP");
        check_dimensions(7016, 9933).unwrap(); // A1 at 300 DPI
        assert!(check_dimensions(0, 10).is_err());
    }
}
