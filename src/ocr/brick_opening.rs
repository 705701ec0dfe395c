//! Leptonica's `pixOpenBrick` on black-and-white pages, in O(log size) passes.
//!
//! Tesseract's page layout looks for ruled lines on every page (`LineFinder::GetLineMasks`)
//! by opening the thresholded page with bricks that grow with the resolution: at 300 DPI a
//! 15×15 one, then 1×75 and 75×1. Leptonica opens with one shifted copy of the page per
//! brick pixel (a 75-long brick: 150 full-page raster operations), which was 7.7% of
//! vanban's instructions on two clean corpus pages (callgrind: `pixOpenBrick` 2.0 of 25.8 G).
//! The same opening is computed here by doubling windows (a run of 75 is an AND of two
//! overlapping runs of 64, each of two runs of 32, …): 8 passes instead of 75, with exactly
//! Leptonica's result, pixels outside the image counting as OFF (its default asymmetric
//! boundary convention; `tests` compare with Leptonica's own function bit for bit).
//!
//! As with [`super::line_images`], the executable defines the C function and `build.rs`
//! exports it, so that Tesseract's call lands here; anything but a new 1-bit opening
//! (a destination given, other depths, a 1×1 brick) goes to Leptonica's own.

use std::ffi::{c_int, c_void};
use std::sync::OnceLock;

type OpenBrick = unsafe extern "C" fn(*mut c_void, *mut c_void, c_int, c_int) -> *mut c_void;

extern "C" {
    fn pixGetWidth(pix: *const c_void) -> c_int;
    fn pixGetHeight(pix: *const c_void) -> c_int;
    fn pixGetDepth(pix: *const c_void) -> c_int;
    fn pixGetWpl(pix: *const c_void) -> c_int;
    fn pixGetData(pix: *mut c_void) -> *mut u32;
    fn pixCreateTemplate(pix: *const c_void) -> *mut c_void;
}

/// Leptonica's own `pixOpenBrick`, found past this definition.
fn leptonica_open_brick() -> Option<OpenBrick> {
    static REAL: OnceLock<Option<OpenBrick>> = OnceLock::new();
    *REAL.get_or_init(|| {
        // SAFETY: dlsym with a NUL-terminated name; the result, when not null, is
        // Leptonica's function of this exact signature (allheaders.h).
        let symbol = unsafe { libc::dlsym(libc::RTLD_NEXT, c"pixOpenBrick".as_ptr()) };
        (!symbol.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, OpenBrick>(symbol) })
    })
}

/// Keeps the definition in every executable that starts a Tesseract engine (see
/// `line_images::keep`).
pub(super) fn keep() {
    std::hint::black_box(pixOpenBrick as OpenBrick);
}

/// Leptonica's `pixOpenBrick(pixd, pixs, hsize, vsize)`: the opening of `pixs` by a brick
/// `hsize` wide and `vsize` tall whose origin is at (`hsize / 2`, `vsize / 2`).
///
/// # Safety
/// The arguments of Leptonica's `pixOpenBrick`: `pixs` a valid `PIX` (or null), `pixd`
/// null or a valid `PIX`.
#[no_mangle]
pub unsafe extern "C" fn pixOpenBrick(pixd: *mut c_void, pixs: *mut c_void, hsize: c_int, vsize: c_int) -> *mut c_void {
    if pixd.is_null() && !pixs.is_null() && pixGetDepth(pixs) == 1 && hsize >= 1 && vsize >= 1 && hsize * vsize > 1 {
        if let Some(opened) = open_1bpp(pixs, hsize as usize, vsize as usize) {
            return opened;
        }
    }
    match leptonica_open_brick() {
        Some(open) => open(pixd, pixs, hsize, vsize),
        None => std::ptr::null_mut(),
    }
}

/// The opening of the 1-bit `pixs` as a new `PIX`; `None` when it cannot be made here.
///
/// # Safety
/// `pixs` is a valid 1-bit `PIX`.
unsafe fn open_1bpp(pixs: *mut c_void, hsize: usize, vsize: usize) -> Option<*mut c_void> {
    let (width, height, wpl) = (pixGetWidth(pixs), pixGetHeight(pixs), pixGetWpl(pixs));
    let (width, height, wpl) = (usize::try_from(width).ok()?, usize::try_from(height).ok()?, usize::try_from(wpl).ok()?);
    if width == 0 || height == 0 || wpl * 32 < width {
        return None;
    }
    let source = pixGetData(pixs);
    if source.is_null() {
        return None;
    }
    let source = std::slice::from_raw_parts(source, wpl * height);
    let mut page = PaddedPage::new(source, width, height, wpl, hsize, vsize);
    page.erode(hsize, vsize);
    page.dilate(hsize, vsize);
    let pixd = pixCreateTemplate(pixs);
    if pixd.is_null() {
        return None;
    }
    let out = pixGetData(pixd);
    if out.is_null() || pixGetWpl(pixd) as usize != wpl {
        return None;
    }
    page.write_to(std::slice::from_raw_parts_mut(out, wpl * height));
    Some(pixd)
}

/// A 1-bit page (pixel 0 in the high bit of word 0, as Leptonica stores it) inside a
/// margin of OFF pixels wider than any brick reaches, so that every window computed
/// near the edge sees exactly the image and OFF beyond it.
struct PaddedPage {
    words: Vec<u32>,
    /// Words a row, margins included.
    stride: usize,
    rows: usize,
    /// Margin words left of the image, and margin rows above it.
    margin_words: usize,
    margin_rows: usize,
    width: usize,
    height: usize,
}

impl PaddedPage {
    fn new(source: &[u32], width: usize, height: usize, wpl: usize, hsize: usize, vsize: usize) -> PaddedPage {
        let margin_words = hsize.div_ceil(32) + 1;
        let margin_rows = vsize;
        let stride = wpl + 2 * margin_words;
        let rows = height + 2 * margin_rows;
        let mut words = vec![0u32; stride * rows];
        let tail = tail_mask(width, wpl);
        for y in 0..height {
            let row = &source[y * wpl..(y + 1) * wpl];
            let start = (y + margin_rows) * stride + margin_words;
            words[start..start + wpl].copy_from_slice(row);
            // Bits past the width are outside the image: OFF, whatever the source holds.
            words[start + wpl - 1] &= tail;
        }
        PaddedPage { words, stride, rows, margin_words, margin_rows, width, height }
    }

    /// Erosion: a pixel stays ON when the whole brick placed at it is ON.
    fn erode(&mut self, hsize: usize, vsize: usize) {
        if hsize > 1 {
            for y in 0..self.rows {
                let row = &mut self.words[y * self.stride..(y + 1) * self.stride];
                run_along_row(row, hsize, |a, b| a & b);
                // The run starting at x covers x..x+hsize; the brick at x starts hsize/2 earlier.
                shift_row_right(row, hsize / 2);
            }
        }
        if vsize > 1 {
            run_down_columns(&mut self.words, self.stride, vsize, |a, b| a & b);
            shift_rows_down(&mut self.words, self.stride, vsize / 2);
        }
    }

    /// Dilation: a pixel is ON when the reflected brick placed at it touches an ON pixel.
    fn dilate(&mut self, hsize: usize, vsize: usize) {
        if hsize > 1 {
            for y in 0..self.rows {
                let row = &mut self.words[y * self.stride..(y + 1) * self.stride];
                run_along_row(row, hsize, |a, b| a | b);
                // The reflected brick at x covers x+hsize/2-hsize+1 ..= x+hsize/2.
                shift_row_right(row, hsize - 1 - hsize / 2);
            }
        }
        if vsize > 1 {
            run_down_columns(&mut self.words, self.stride, vsize, |a, b| a | b);
            shift_rows_down(&mut self.words, self.stride, vsize - 1 - vsize / 2);
        }
    }

    /// The image without its margins, bits past the width OFF (as Leptonica leaves them).
    fn write_to(&self, out: &mut [u32]) {
        let wpl = out.len() / self.height;
        let tail = tail_mask(self.width, wpl);
        for (y, row) in out.chunks_exact_mut(wpl).enumerate() {
            let start = (y + self.margin_rows) * self.stride + self.margin_words;
            row.copy_from_slice(&self.words[start..start + wpl]);
            row[wpl - 1] &= tail;
        }
    }
}

/// The mask of the pixels of a row's last word that are inside `width`.
fn tail_mask(width: usize, wpl: usize) -> u32 {
    let inside = width - (wpl - 1) * 32;
    if inside >= 32 { u32::MAX } else { !(u32::MAX >> inside) }
}

/// Each pixel of `row` becomes `op` over the run of `length` pixels starting at it (pixels
/// past the row's end OFF): runs of 1, 2, 4, … are combined, then two overlapping runs
/// of the largest power of two make the length.
fn run_along_row(row: &mut [u32], length: usize, op: impl Fn(u32, u32) -> u32 + Copy) {
    let mut run = 1;
    while run * 2 <= length {
        combine_with_ahead(row, run, op);
        run *= 2;
    }
    if run < length {
        combine_with_ahead(row, length - run, op);
    }
}

/// `row[x] = op(row[x], row[x + ahead])` for every pixel x, OFF past the end.
fn combine_with_ahead(row: &mut [u32], ahead: usize, op: impl Fn(u32, u32) -> u32) {
    let (words, bits) = (ahead / 32, (ahead % 32) as u32);
    let word = |row: &[u32], i: usize| row.get(i).copied().unwrap_or(0);
    // Ascending: each word reads only itself and later words, not yet changed.
    for i in 0..row.len() {
        let shifted = if bits == 0 {
            word(row, i + words)
        } else {
            (word(row, i + words) << bits) | (word(row, i + words + 1) >> (32 - bits))
        };
        row[i] = op(row[i], shifted);
    }
}

/// `row[x] = row[x - by]`, OFF before the start.
fn shift_row_right(row: &mut [u32], by: usize) {
    if by == 0 {
        return;
    }
    let (words, bits) = (by / 32, (by % 32) as u32);
    let word = |row: &[u32], i: usize| if i < words { 0 } else { row[i - words] };
    // Descending: each word reads only itself and earlier words, not yet changed.
    for i in (0..row.len()).rev() {
        row[i] = if bits == 0 {
            word(row, i)
        } else {
            let earlier = if i < words + 1 { 0 } else { row[i - words - 1] };
            (word(row, i) >> bits) | (earlier << (32 - bits))
        };
    }
}

/// Each pixel becomes `op` over the run of `length` pixels starting at it and going down
/// its column (rows past the last OFF), by doubling runs as [`run_along_row`].
fn run_down_columns(words: &mut [u32], stride: usize, length: usize, op: impl Fn(u32, u32) -> u32 + Copy) {
    let mut run = 1;
    while run * 2 <= length {
        combine_with_below(words, stride, run, op);
        run *= 2;
    }
    if run < length {
        combine_with_below(words, stride, length - run, op);
    }
}

/// `row y = op(row y, row y + below)`, OFF past the last row.
fn combine_with_below(words: &mut [u32], stride: usize, below: usize, op: impl Fn(u32, u32) -> u32) {
    let rows = words.len() / stride;
    for y in 0..rows {
        let (upper, lower) = words.split_at_mut((y + 1) * stride);
        let row = &mut upper[y * stride..];
        if y + below < rows {
            let other = &lower[(below - 1) * stride..below * stride];
            for (a, &b) in row.iter_mut().zip(other) {
                *a = op(*a, b);
            }
        } else {
            for a in row.iter_mut() {
                *a = op(*a, 0);
            }
        }
    }
}

/// `row y = row y - by`, OFF above the first row.
fn shift_rows_down(words: &mut [u32], stride: usize, by: usize) {
    if by == 0 {
        return;
    }
    let rows = words.len() / stride;
    let moved = rows.saturating_sub(by);
    words.copy_within(0..moved * stride, by.min(rows) * stride);
    words[..by.min(rows) * stride].fill(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    extern "C" {
        fn pixCreate(width: c_int, height: c_int, depth: c_int) -> *mut c_void;
        fn pixDestroy(pix: *mut *mut c_void);
    }

    /// A w×h 1-bit image of random pixels (ON with probability `density`/256), the bits
    /// past the width set too (Leptonica's erosions leave them so).
    unsafe fn random_image(width: usize, height: usize, density: u32, seed: &mut u64) -> *mut c_void {
        let pix = pixCreate(width as c_int, height as c_int, 1);
        let wpl = pixGetWpl(pix) as usize;
        let data = std::slice::from_raw_parts_mut(pixGetData(pix), wpl * height);
        for word in data.iter_mut() {
            let mut bits = 0u32;
            for bit in 0..32 {
                *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                if ((*seed >> 33) as u32 & 255) < density {
                    bits |= 1 << bit;
                }
            }
            *word = bits;
        }
        pix
    }

    unsafe fn pixels(pix: *mut c_void) -> Vec<bool> {
        let (width, height, wpl) = (pixGetWidth(pix) as usize, pixGetHeight(pix) as usize, pixGetWpl(pix) as usize);
        let data = std::slice::from_raw_parts(pixGetData(pix), wpl * height);
        (0..height).flat_map(|y| (0..width).map(move |x| data[y * wpl + x / 32] >> (31 - x % 32) & 1 == 1)).collect()
    }

    #[test]
    fn the_opening_is_leptonicas_pixel_for_pixel() {
        let leptonica = leptonica_open_brick().expect("Leptonica's pixOpenBrick");
        let mut seed = 7u64;
        let (mut compared, mut with_pixels_on) = (0, 0);
        // Bricks Tesseract uses at 300 DPI and at other resolutions, even and odd sizes,
        // runs longer than a word and longer than the image.
        let bricks = [(15, 15), (1, 75), (75, 1), (5, 5), (2, 3), (4, 1), (1, 2), (33, 1), (1, 40), (64, 2), (100, 1), (3, 120)];
        let sizes = [(1, 1), (31, 7), (32, 33), (33, 80), (95, 64), (150, 130), (200, 9)];
        for (hsize, vsize) in bricks {
            for (width, height) in sizes {
                for density in [40, 200, 250] {
                    // SAFETY: Leptonica images created and destroyed here.
                    unsafe {
                        let source = random_image(width, height, density, &mut seed);
                        let mut ours = pixOpenBrick(std::ptr::null_mut(), source, hsize, vsize);
                        let mut theirs = leptonica(std::ptr::null_mut(), source, hsize, vsize);
                        assert!(!ours.is_null() && !theirs.is_null());
                        assert_eq!(pixels(ours), pixels(theirs), "{hsize}×{vsize} brick, {width}×{height} image, density {density}");
                        with_pixels_on += usize::from(pixels(ours).contains(&true));
                        let wpl = pixGetWpl(ours) as usize;
                        let last = std::slice::from_raw_parts(pixGetData(ours), wpl * height)[wpl - 1];
                        assert_eq!(last & !tail_mask(width, wpl), 0, "bits past the width stay OFF");
                        let mut source = source;
                        pixDestroy(&mut ours);
                        pixDestroy(&mut theirs);
                        pixDestroy(&mut source);
                    }
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 12 * 7 * 3);
        assert!(with_pixels_on > compared / 4, "too few openings keep any pixel to compare: {with_pixels_on}");
    }

    #[test]
    fn other_requests_go_to_leptonica() {
        // SAFETY: as above; a 1×1 brick is Leptonica's copy.
        unsafe {
            let mut seed = 3u64;
            let mut source = random_image(40, 10, 128, &mut seed);
            let mut copy = pixOpenBrick(std::ptr::null_mut(), source, 1, 1);
            assert_eq!(pixels(copy), pixels(source));
            pixDestroy(&mut copy);
            pixDestroy(&mut source);
        }
    }
}
