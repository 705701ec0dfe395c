//! Tesseract's in-memory line images, stored without compression.
//!
//! Tesseract 5.3 keeps every piece of a line it hands to its LSTM recognizer as a PNG in
//! memory (`ImageData::SetPixInternal` calls Leptonica's `pixWriteMem(…, IFF_PNG)`) and
//! decodes it again a moment later (`GetPixInternal`). Deflating those PNGs at zlib's
//! default level was 8–10% of vanban's CPU on real pages (perf, 6 Quảng Ngãi first pages),
//! work that buys nothing: the bytes never leave the process. This module defines
//! `pixWriteMem` in the executable (exported to the dynamic symbol table by `build.rs`),
//! so that Tesseract's call lands here, and writes PNG requests as stored (level 0) PNGs:
//! still PNG, decoded to the same pixels, so Tesseract reads exactly the same text
//! (checked: the CLI's text is byte-identical with this function preloaded, at 18% less
//! CPU). Every other format goes to Leptonica's own `pixWriteMem`.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Leptonica's `IFF_PNG` (imageio.h).
const IFF_PNG: c_int = 3;
/// zlib's "no compression" level.
const STORED: c_int = 0;

type WriteMem = unsafe extern "C" fn(*mut *mut u8, *mut usize, *mut c_void, c_int) -> c_int;

extern "C" {
    fn pixSetZlibCompression(pix: *mut c_void, compval: c_int) -> c_int;
    fn pixWriteMemPng(data: *mut *mut u8, size: *mut usize, pix: *mut c_void, gamma: f32) -> c_int;
}

/// PNG writes that went through this module (the test's proof that Tesseract's calls are
/// routed here, i.e. that the symbol is exported).
static PNG_WRITES: AtomicUsize = AtomicUsize::new(0);

/// How many PNG images were written stored since the process started.
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

/// Leptonica's `pixWriteMem` with PNG written uncompressed (see the module's comment).
/// Returns 0 on success, 1 on error, as Leptonica does.
///
/// # Safety
/// The arguments of Leptonica's `pixWriteMem`: valid out pointers and a valid `PIX`.
#[no_mangle]
pub unsafe extern "C" fn pixWriteMem(data: *mut *mut u8, size: *mut usize, pix: *mut c_void, format: c_int) -> c_int {
    if format == IFF_PNG && !pix.is_null() {
        PNG_WRITES.fetch_add(1, Ordering::Relaxed);
        // The level is a field of the image, which Tesseract destroys right after.
        pixSetZlibCompression(pix, STORED);
        return pixWriteMemPng(data, size, pix, 0.0);
    }
    match leptonica_write_mem() {
        Some(write) => write(data, size, pix, format),
        None => 1,
    }
}

/// Keeps the definition in every executable that starts a Tesseract engine (a function
/// nothing in Rust calls could be left out by the linker, and Tesseract would then
/// compress again, silently).
pub(super) fn keep() {
    std::hint::black_box(pixWriteMem as WriteMem);
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
        // The engine itself, not `recognize`: with VANBAN_OCR_CACHE set, `recognize` may
        // answer from the cache without Tesseract ever saving a line image.
        let tsv = Engine::new().expect("Tesseract").read(&strip, Segmentation::Auto).expect("Tesseract reads the strip");
        assert!(stored_png_writes() > before, "Tesseract's PNG writes did not reach this module: is pixWriteMem exported (build.rs)?");
        assert!(tsv.contains("UỶ") || tsv.contains("ỦY"), "{tsv}");
    }

    #[test]
    fn other_formats_go_to_leptonica() {
        assert!(leptonica_write_mem().is_some());
    }
}
