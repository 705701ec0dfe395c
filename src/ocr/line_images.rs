//! Tesseract's in-memory line images, stored as plain pixels.
//!
//! Tesseract 5.3 keeps every piece of a line it hands to its LSTM recognizer as a PNG in
//! memory (`ImageData::SetPixInternal` calls Leptonica's `pixWriteMem(…, IFF_PNG)`) and
//! decodes it again a moment later (`GetPixInternal`, with `pixReadMem`, which recognizes
//! the format by its first bytes). Deflating those PNGs at zlib's default level was 8–10%
//! of vanban's CPU on real pages (perf, 6 Quảng Ngãi first pages); even stored (level 0),
//! libpng's per-row filter choice and the decoding were 2.9% of vanban's instructions on
//! two clean corpus pages (callgrind: 0.63 of 22.0 G), work that buys nothing: the bytes
//! never leave the process. This module defines `pixWriteMem` in the executable (exported
//! to the dynamic symbol table by `build.rs`), so that Tesseract's call lands here, and
//! writes PNG requests for the images Tesseract makes of lines (1 or 8 bits a pixel, one
//! sample, no colour map, no text) in Leptonica's own serialized form (`spix`: a header
//! and the raster, copied) followed by the image's resolution, which that form lacks;
//! `pixReadMem`, defined and exported here too, reads such bytes back to the image the PNG
//! would give, resolution and input format included (`tests` compare both readings,
//! raster word for raster word), and hands every other buffer to Leptonica. Other images
//! are written as stored (level 0) PNGs: still PNG, decoded to the same pixels (checked:
//! the CLI's text is byte-identical with this function preloaded). Every other format
//! goes to Leptonica's own `pixWriteMem`.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Leptonica's `IFF_PNG` (imageio.h).
const IFF_PNG: c_int = 3;
/// Leptonica's `IFF_SPIX`: the first bytes of its serialized form.
const SPIX_MAGIC: &[u8; 4] = b"spix";
/// What follows a line image's serialized form here: this tag, then its x and y
/// resolution (native-endian `int`s).
const RESOLUTION_TAG: &[u8; 4] = b"vbRS";
const TRAILER_BYTES: usize = 12;
/// zlib's "no compression" level.
const STORED: c_int = 0;

type WriteMem = unsafe extern "C" fn(*mut *mut u8, *mut usize, *mut c_void, c_int) -> c_int;
type ReadMem = unsafe extern "C" fn(*const u8, usize) -> *mut c_void;

extern "C" {
    fn pixSetZlibCompression(pix: *mut c_void, compval: c_int) -> c_int;
    fn pixWriteMemPng(data: *mut *mut u8, size: *mut usize, pix: *mut c_void, gamma: f32) -> c_int;
    fn pixWriteMemSpix(data: *mut *mut u8, size: *mut usize, pix: *mut c_void) -> c_int;
    fn pixGetDepth(pix: *const c_void) -> c_int;
    fn pixGetSpp(pix: *const c_void) -> c_int;
    fn pixGetColormap(pix: *const c_void) -> *mut c_void;
    fn pixGetText(pix: *const c_void) -> *const std::ffi::c_char;
    fn pixSetPadBits(pix: *mut c_void, val: c_int) -> c_int;
    fn pixGetXRes(pix: *const c_void) -> c_int;
    fn pixGetYRes(pix: *const c_void) -> c_int;
    fn pixSetResolution(pix: *mut c_void, xres: c_int, yres: c_int) -> c_int;
    fn pixSetInputFormat(pix: *mut c_void, format: c_int) -> c_int;
}

/// PNG writes that went through this module (the test's proof that Tesseract's calls are
/// routed here, i.e. that the symbol is exported).
static PNG_WRITES: AtomicUsize = AtomicUsize::new(0);

/// Line images read back through [`pixReadMem`] (the test's proof that Tesseract's reads
/// are routed here too).
static LINE_IMAGE_READS: AtomicUsize = AtomicUsize::new(0);

/// How many PNG images were written here since the process started.
#[cfg(test)]
pub fn stored_png_writes() -> usize {
    PNG_WRITES.load(Ordering::Relaxed)
}

/// Leptonica's own `pixWriteMem`, found past this definition.
fn leptonica_write_mem() -> Option<WriteMem> {
    static REAL: OnceLock<Option<WriteMem>> = OnceLock::new();
    *REAL.get_or_init(|| {
        // SAFETY: dlsym with a NUL-terminated name; the result, when not null, is
        // Leptonica's function of this exact signature (allheaders.h).
        let symbol = unsafe { libc::dlsym(libc::RTLD_NEXT, c"pixWriteMem".as_ptr()) };
        (!symbol.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, WriteMem>(symbol) })
    })
}

/// Leptonica's own `pixReadMem`, found past this definition.
fn leptonica_read_mem() -> Option<ReadMem> {
    static REAL: OnceLock<Option<ReadMem>> = OnceLock::new();
    *REAL.get_or_init(|| {
        // SAFETY: dlsym with a NUL-terminated name; the result, when not null, is
        // Leptonica's function of this exact signature (allheaders.h).
        let symbol = unsafe { libc::dlsym(libc::RTLD_NEXT, c"pixReadMem".as_ptr()) };
        (!symbol.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, ReadMem>(symbol) })
    })
}

/// The largest resolution whose PNG round trip (pixels per metre as a float, rounded, and
/// back) `tests` check gives the resolution back.
const MAX_RESOLUTION: c_int = 100_000;

/// Whether `pix` reads back from Leptonica's serialized form (and [`RESOLUTION_TAG`]'s
/// trailer) exactly as from a PNG: one 1- or 8-bit sample a pixel, no colour map, no text
/// (the serialized form keeps neither the sample count nor the text; PNG keeps both), a
/// resolution PNG gives back.
///
/// # Safety
/// `pix` is a valid `PIX`.
unsafe fn serializes_as_png_reads(pix: *mut c_void) -> bool {
    let resolution_kept = |r: c_int| (0..=MAX_RESOLUTION).contains(&r);
    matches!(pixGetDepth(pix), 1 | 8)
        && pixGetSpp(pix) == 1
        && pixGetColormap(pix).is_null()
        && pixGetText(pix).is_null()
        && resolution_kept(pixGetXRes(pix))
        && resolution_kept(pixGetYRes(pix))
}

/// The resolution a PNG of `pix` reads back with: Leptonica writes none (read as 0 × 0)
/// unless both are set.
///
/// # Safety
/// `pix` is a valid `PIX`.
unsafe fn png_resolution(pix: *mut c_void) -> (c_int, c_int) {
    match (pixGetXRes(pix), pixGetYRes(pix)) {
        (0, _) | (_, 0) => (0, 0),
        both => both,
    }
}

/// Leptonica's `pixWriteMem` with PNG written as plain pixels or uncompressed (see the
/// module's comment).
/// Returns 0 on success, 1 on error, as Leptonica does.
///
/// # Safety
/// The arguments of Leptonica's `pixWriteMem`: valid out pointers and a valid `PIX`.
#[no_mangle]
pub unsafe extern "C" fn pixWriteMem(data: *mut *mut u8, size: *mut usize, pix: *mut c_void, format: c_int) -> c_int {
    if format == IFF_PNG && !pix.is_null() {
        PNG_WRITES.fetch_add(1, Ordering::Relaxed);
        if serializes_as_png_reads(pix) {
            // A PNG read leaves the bits past each row's last pixel at 0; so does this
            // (they are a field of the image, which Tesseract destroys right after).
            pixSetPadBits(pix, 0);
            return write_line_image(data, size, pix);
        }
        // The level is a field of the image, which Tesseract destroys right after.
        pixSetZlibCompression(pix, STORED);
        return pixWriteMemPng(data, size, pix, 0.0);
    }
    match leptonica_write_mem() {
        Some(write) => write(data, size, pix, format),
        None => 1,
    }
}

/// Writes `pix` serialized, then [`RESOLUTION_TAG`] and its resolution, into a buffer of
/// Leptonica's allocator (the caller frees it with `lept_free`). Returns 0 on success.
///
/// # Safety
/// Valid out pointers and a valid `PIX`.
unsafe fn write_line_image(data: *mut *mut u8, size: *mut usize, pix: *mut c_void) -> c_int {
    let (mut serialized, mut length) = (std::ptr::null_mut::<u8>(), 0usize);
    if pixWriteMemSpix(&mut serialized, &mut length, pix) != 0 || serialized.is_null() {
        return 1;
    }
    // Leptonica allocates with the C allocator; realloc keeps it so.
    let grown = libc::realloc(serialized as *mut c_void, length + TRAILER_BYTES) as *mut u8;
    if grown.is_null() {
        libc::free(serialized as *mut c_void);
        return 1;
    }
    let mut trailer = [0u8; TRAILER_BYTES];
    trailer[..4].copy_from_slice(RESOLUTION_TAG);
    let (x_resolution, y_resolution) = png_resolution(pix);
    trailer[4..8].copy_from_slice(&x_resolution.to_ne_bytes());
    trailer[8..].copy_from_slice(&y_resolution.to_ne_bytes());
    std::ptr::copy_nonoverlapping(trailer.as_ptr(), grown.add(length), TRAILER_BYTES);
    *data = grown;
    *size = length + TRAILER_BYTES;
    0
}

/// Leptonica's `pixReadMem`, reading the line images [`pixWriteMem`] wrote here as the PNG
/// they stand for (its resolution, input format PNG); every other buffer is Leptonica's.
///
/// # Safety
/// The arguments of Leptonica's `pixReadMem`: `data` readable for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn pixReadMem(data: *const u8, size: usize) -> *mut c_void {
    let Some(read) = leptonica_read_mem() else { return std::ptr::null_mut() };
    if data.is_null() || size < SPIX_MAGIC.len() + TRAILER_BYTES {
        return read(data, size);
    }
    let bytes = std::slice::from_raw_parts(data, size);
    let (image, trailer) = bytes.split_at(size - TRAILER_BYTES);
    if !image.starts_with(SPIX_MAGIC) || !trailer.starts_with(RESOLUTION_TAG) {
        return read(data, size);
    }
    LINE_IMAGE_READS.fetch_add(1, Ordering::Relaxed);
    let pix = read(image.as_ptr(), image.len());
    if !pix.is_null() {
        let int_at = |at: usize| c_int::from_ne_bytes(trailer[at..at + 4].try_into().expect("4 bytes"));
        pixSetResolution(pix, int_at(4), int_at(8));
        pixSetInputFormat(pix, IFF_PNG);
    }
    pix
}

/// Keeps the definition in every executable that starts a Tesseract engine (a function
/// nothing in Rust calls could be left out by the linker, and Tesseract would then
/// compress again, silently).
pub(super) fn keep() {
    std::hint::black_box(pixWriteMem as WriteMem);
    std::hint::black_box(pixReadMem as ReadMem);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::engine::Engine;
    use crate::ocr::Segmentation;

    #[test]
    fn tesseracts_line_images_are_written_here_and_read_back_the_same() {
        let strip = crate::ocr::corpus_header_strip();
        let before = stored_png_writes();
        let reads_before = LINE_IMAGE_READS.load(Ordering::Relaxed);
        // The engine itself, not `recognize`: with VANBAN_OCR_CACHE set, `recognize` may
        // answer from the cache without Tesseract ever saving a line image.
        let tsv = Engine::new().expect("Tesseract").read(&strip, Segmentation::Auto).expect("Tesseract reads the strip");
        assert!(stored_png_writes() > before, "Tesseract's PNG writes did not reach this module: is pixWriteMem exported (build.rs)?");
        assert!(LINE_IMAGE_READS.load(Ordering::Relaxed) > reads_before, "Tesseract's line image reads did not reach this module: is pixReadMem exported (build.rs)?");
        assert!(tsv.contains("UỶ") || tsv.contains("ỦY"), "{tsv}");
    }

    extern "C" {
        fn pixCreate(width: c_int, height: c_int, depth: c_int) -> *mut c_void;
        fn pixDestroy(pix: *mut *mut c_void);
        fn pixGetData(pix: *mut c_void) -> *mut u32;
        fn pixGetWpl(pix: *const c_void) -> c_int;
        fn pixGetWidth(pix: *const c_void) -> c_int;
        fn pixGetHeight(pix: *const c_void) -> c_int;
        fn pixGetInputFormat(pix: *const c_void) -> c_int;
        fn lept_free(ptr: *mut c_void);
    }

    /// Writes `pix` with `write` and reads it back with Leptonica's `pixReadMem`.
    unsafe fn round_trip(write: WriteMem, pix: *mut c_void) -> *mut c_void {
        let (mut data, mut size) = (std::ptr::null_mut(), 0usize);
        assert_eq!(write(&mut data, &mut size, pix, IFF_PNG), 0);
        let read = pixReadMem(data, size);
        lept_free(data as *mut c_void);
        assert!(!read.is_null());
        read
    }

    /// What a reader of the image sees: size, depth, samples, resolution, colour map, and
    /// every raster word (the bits past each row's end included).
    unsafe fn seen(pix: *mut c_void) -> (Vec<c_int>, Vec<u32>) {
        let header = vec![
            pixGetWidth(pix),
            pixGetHeight(pix),
            pixGetDepth(pix),
            pixGetSpp(pix),
            pixGetXRes(pix),
            pixGetYRes(pix),
            pixGetColormap(pix).is_null() as c_int,
            pixGetText(pix).is_null() as c_int,
            pixGetInputFormat(pix),
        ];
        let words = (pixGetWpl(pix) * pixGetHeight(pix)) as usize;
        (header, std::slice::from_raw_parts(pixGetData(pix), words).to_vec())
    }

    #[test]
    fn line_images_read_back_as_their_png_would() {
        let leptonica = leptonica_write_mem().expect("Leptonica's pixWriteMem");
        let mut seed = 3u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 32) as u32
        };
        for round in 0..88 {
            let depth = if round % 2 == 0 { 8 } else { 1 };
            let (width, height) = (1 + (next() % 140) as c_int, 1 + (next() % 40) as c_int);
            let resolution = [0, 72, 150, 300, 301, 600, 1, 96, 200, 399, 1200][round % 11];
            // SAFETY: Leptonica images made, read and destroyed here; their rasters are
            // wpl × height words.
            unsafe {
                let make = |next: &mut dyn FnMut() -> u32| {
                    let pix = pixCreate(width, height, depth);
                    pixSetResolution(pix, resolution, resolution + round as c_int % 2);
                    let words = (pixGetWpl(pix) * height) as usize;
                    // Random pixels and random bits past each row's end (Leptonica's own
                    // operations leave them so).
                    for (i, word) in std::slice::from_raw_parts_mut(pixGetData(pix), words).iter_mut().enumerate() {
                        *word = match round % 3 { 0 => next(), 1 => if i % 5 == 0 { u32::MAX } else { 0 }, _ => next() & next() };
                    }
                    pix
                };
                let mut ours = make(&mut next);
                let mut theirs = pixCreate(width, height, depth);
                pixSetResolution(theirs, pixGetXRes(ours), pixGetYRes(ours));
                let words = (pixGetWpl(ours) * height) as usize;
                std::ptr::copy_nonoverlapping(pixGetData(ours), pixGetData(theirs), words);
                assert!(serializes_as_png_reads(ours), "round {round}: depth {} spp {} cmap {:?} text {:?}", pixGetDepth(ours), pixGetSpp(ours), pixGetColormap(ours), pixGetText(ours));
                let mut from_ours = round_trip(pixWriteMem, ours);
                let mut from_png = round_trip(leptonica, theirs);
                assert_eq!(seen(from_ours), seen(from_png), "round {round}: {width}×{height}×{depth} at {resolution}");
                for pix in [&mut ours, &mut theirs, &mut from_ours, &mut from_png] {
                    pixDestroy(pix);
                }
            }
        }
    }

    #[test]
    fn resolutions_read_back_as_from_png() {
        let leptonica = leptonica_write_mem().expect("Leptonica's pixWriteMem");
        let mut seed = 5u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % MAX_RESOLUTION as u64) as c_int + 1
        };
        let mut pairs: Vec<(c_int, c_int)> = (0..=2400).map(|r| (r, r)).collect();
        pairs.extend([(0, 300), (300, 0), (1, MAX_RESOLUTION), (MAX_RESOLUTION, MAX_RESOLUTION)]);
        pairs.extend((0..400).map(|_| (next(), next())));
        for (x, y) in pairs {
            // SAFETY: one-pixel Leptonica images made, read and destroyed here.
            unsafe {
                let mut ours = pixCreate(1, 1, 8);
                let mut theirs = pixCreate(1, 1, 8);
                pixSetResolution(ours, x, y);
                pixSetResolution(theirs, x, y);
                assert!(serializes_as_png_reads(ours));
                let mut from_ours = round_trip(pixWriteMem, ours);
                let mut from_png = round_trip(leptonica, theirs);
                assert_eq!(seen(from_ours), seen(from_png), "{x} × {y}");
                for pix in [&mut ours, &mut theirs, &mut from_ours, &mut from_png] {
                    pixDestroy(pix);
                }
            }
        }
    }

    #[test]
    fn other_formats_go_to_leptonica() {
        assert!(leptonica_write_mem().is_some());
    }
}
