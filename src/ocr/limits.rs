//! Size limits checked from headers, before decoding: a 30000×30000 image would need
//! 900 MB as gray pixels (and several times that inside Tesseract), so it is refused.

use anyhow::bail;

/// Longest side accepted, in pixels: an A0 sheet scanned at 600 DPI is about 20000 px.
pub const MAX_SIDE: u32 = 20_000;
/// Most pixels accepted in one page: 100 megapixels, about 100 MB as gray.
pub const MAX_PIXELS: u64 = 100_000_000;

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
        assert!(check_dimensions(15_000, 15_000).is_err(), "225 MP is over 100 MP");
        assert!(check_dimensions(0, 10).is_err());
    }
}
