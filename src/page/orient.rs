//! Orientation: which way up a page was scanned, and turning its pixels upright.
//!
//! Tesseract's orientation and script detection (OSD, Debian's `tesseract-ocr-osd`) looks
//! at the shapes of the page's characters, not at words, so it works on Vietnamese with
//! the Latin-script model it ships. It runs on its own engine (one per worker thread)
//! because the `vie` engine cannot load the `osd` model beside its LSTM one; OCR calls it
//! only when the upright reading failed (see [`crate::ocr::recognize_upright`]), so a
//! normal page costs nothing more.

use std::cell::RefCell;
use std::ffi::{c_char, c_int};

use tesseract::plumbing::tesseract_sys as sys;

use crate::ocr::PageImage;

/// How far to turn a page clockwise to make it upright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rotation {
    #[default]
    None,
    Clockwise90,
    Half,
    Clockwise270,
}

impl Rotation {
    /// From degrees clockwise (multiples of 90); anything else is no rotation.
    pub fn from_degrees(degrees: i32) -> Rotation {
        match degrees.rem_euclid(360) {
            90 => Rotation::Clockwise90,
            180 => Rotation::Half,
            270 => Rotation::Clockwise270,
            _ => Rotation::None,
        }
    }

    /// Degrees clockwise, as stored in the record.
    pub fn degrees(self) -> u16 {
        match self {
            Rotation::None => 0,
            Rotation::Clockwise90 => 90,
            Rotation::Half => 180,
            Rotation::Clockwise270 => 270,
        }
    }
}

/// OSD's confidence needed once the first reading failed. Kept low on purpose: a turned
/// reading replaces the first one only when it reads better (see `crate::page`), so a wrong
/// answer costs one extra read, never the text. Measured: the corpus page qd-1582 upside
/// down and sideways gives 19–20 (`tesseract --psm 0`).
pub const MIN_CONFIDENCE: f32 = 2.0;
/// OSD's confidence needed to turn a landscape page before any reading, where no second
/// reading checks the answer: many real landscape pages (tables, appendices) are meant to
/// be read as they lie. The corpus page sideways gives 19–20; a wrong turn costs the page's
/// word boxes and column order, so only a clear answer is acted on.
pub const CONFIDENT: f32 = 10.0;
/// OSD reads character shapes, which stay clear at half a 300-DPI page's size; a smaller
/// image is quicker to analyse.
const OSD_MAX_SIDE: u32 = 1800;

/// `image` turned `rotation` clockwise.
pub fn rotate(image: &PageImage, rotation: Rotation) -> PageImage {
    let (w, h) = (image.width as usize, image.height as usize);
    let src = &image.pixels;
    let pixels = match rotation {
        Rotation::None => return image.clone(),
        Rotation::Half => src.iter().rev().copied().collect(),
        Rotation::Clockwise90 => {
            // New row y is old column y read bottom to top.
            let mut out = Vec::with_capacity(w * h);
            for y in 0..w {
                for x in 0..h {
                    out.push(src[(h - 1 - x) * w + y]);
                }
            }
            out
        }
        Rotation::Clockwise270 => {
            // New row y is old column w-1-y read top to bottom.
            let mut out = Vec::with_capacity(w * h);
            for y in 0..w {
                for x in 0..h {
                    out.push(src[x * w + (w - 1 - y)]);
                }
            }
            out
        }
    };
    let (width, height) = match rotation {
        Rotation::Clockwise90 | Rotation::Clockwise270 => (image.height, image.width),
        _ => (image.width, image.height),
    };
    PageImage { width, height, dpi: image.dpi, pixels }
}

/// The page reduced by a whole factor so that its longer side is at most `max_side`
/// (each output pixel the mean of its block), with its resolution scaled alike.
pub(crate) fn reduced(image: &PageImage, max_side: u32) -> PageImage {
    let factor = image.width.max(image.height).div_ceil(max_side).max(1) as usize;
    if factor == 1 {
        return image.clone();
    }
    let (w, h) = (image.width as usize, image.height as usize);
    let (nw, nh) = (w / factor, h / factor);
    let mut pixels = Vec::with_capacity(nw * nh);
    for by in 0..nh {
        for bx in 0..nw {
            let mut sum = 0u32;
            for y in by * factor..(by + 1) * factor {
                let row = &image.pixels[y * w + bx * factor..y * w + (bx + 1) * factor];
                sum += row.iter().map(|&p| u32::from(p)).sum::<u32>();
            }
            pixels.push((sum / (factor * factor) as u32) as u8);
        }
    }
    PageImage { width: nw as u32, height: nh as u32, dpi: (image.dpi / factor as u32).max(1), pixels }
}

/// Tesseract's OSD engine of this thread.
struct Osd(*mut sys::TessBaseAPI);

impl Drop for Osd {
    fn drop(&mut self) {
        // SAFETY: the handle came from TessBaseAPICreate and is deleted once.
        unsafe { sys::TessBaseAPIDelete(self.0) }
    }
}

impl Osd {
    fn new() -> Option<Osd> {
        // SAFETY: plain C API calls on a handle we own; the strings are NUL-terminated.
        unsafe {
            let api = Osd(sys::TessBaseAPICreate());
            if api.0.is_null() {
                return None;
            }
            let ok = sys::TessBaseAPIInit3(api.0, std::ptr::null(), c"osd".as_ptr()) == 0;
            if !ok {
                return None;
            }
            sys::TessBaseAPISetVariable(api.0, c"debug_file".as_ptr(), c"/dev/null".as_ptr());
            sys::TessBaseAPISetPageSegMode(api.0, sys::TessPageSegMode_PSM_OSD_ONLY);
            Some(api)
        }
    }

    /// OSD's answer for `image`: the clockwise turn that makes it upright and OSD's
    /// confidence, or `None` when OSD finds too little text to judge.
    fn detect(&mut self, image: &PageImage) -> Option<(Rotation, f32)> {
        let (mut degrees, mut confidence): (c_int, f32) = (0, 0.0);
        // The script name points into Tesseract's own table: nothing to free.
        let mut script: *const c_char = std::ptr::null();
        let mut script_confidence = 0f32;
        // SAFETY: the pixel buffer outlives the calls (Tesseract copies it in SetImage and
        // we Clear before returning); the out pointers are valid locals.
        let found = unsafe {
            sys::TessBaseAPISetImage(
                self.0,
                image.pixels.as_ptr(),
                image.width as c_int,
                image.height as c_int,
                1,
                image.width as c_int,
            );
            sys::TessBaseAPISetSourceResolution(self.0, image.dpi as c_int);
            let found = sys::TessBaseAPIDetectOrientationScript(
                self.0,
                &mut degrees,
                &mut confidence,
                &mut script,
                &mut script_confidence,
            ) != 0;
            sys::TessBaseAPIClear(self.0);
            found
        };
        // OSD reports the page's orientation counter-clockwise: turning it that far
        // clockwise makes it upright.
        found.then(|| (Rotation::from_degrees(360 - degrees), confidence))
    }
}

thread_local! {
    static OSD: RefCell<Option<Option<Osd>>> = const { RefCell::new(None) };
}

/// The clockwise turn that makes `image` upright, when OSD is sure enough that it is not
/// upright already. `None` also when the `osd` model is not installed (a warning says so
/// once per thread: the page is then read as scanned).
pub fn detect(image: &PageImage, min_confidence: f32) -> Option<Rotation> {
    let small = reduced(image, OSD_MAX_SIDE);
    OSD.with(|cell| {
        let mut slot = cell.borrow_mut();
        let engine = slot.get_or_insert_with(|| {
            let engine = Osd::new();
            if engine.is_none() {
                tracing::warn!("Tesseract's orientation model is missing: pages scanned upside down or sideways cannot be turned; install tesseract-ocr-osd");
            }
            engine
        });
        let (rotation, confidence) = engine.as_mut()?.detect(&small)?;
        tracing::debug!(degrees = rotation.degrees(), confidence, "orientation");
        (rotation != Rotation::None && confidence >= min_confidence).then_some(rotation)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(width: u32, height: u32) -> PageImage {
        PageImage { width, height, dpi: 300, pixels: (0..width * height).map(|i| i as u8).collect() }
    }

    #[test]
    fn a_quarter_turn_and_its_opposite_give_the_page_back() {
        let p = page(3, 2);
        let cw = rotate(&p, Rotation::Clockwise90);
        assert_eq!((cw.width, cw.height), (2, 3));
        // Old bottom-left pixel (0,1)=3 is new top-left after a clockwise turn.
        assert_eq!(cw.pixels, vec![3, 0, 4, 1, 5, 2]);
        let back = rotate(&cw, Rotation::Clockwise270);
        assert_eq!(back.pixels, p.pixels);
        assert_eq!((back.width, back.height), (3, 2));
        let half = rotate(&rotate(&p, Rotation::Clockwise90), Rotation::Clockwise90);
        assert_eq!(half.pixels, rotate(&p, Rotation::Half).pixels);
    }

    #[test]
    fn osd_degrees_become_clockwise_turns() {
        assert_eq!(Rotation::from_degrees(360 - 90), Rotation::Clockwise270);
        assert_eq!(Rotation::from_degrees(360 - 180), Rotation::Half);
        assert_eq!(Rotation::from_degrees(360), Rotation::None);
        assert_eq!(Rotation::from_degrees(45), Rotation::None);
    }

    #[test]
    fn reduction_keeps_the_mean_and_scales_the_resolution() {
        let p = PageImage { width: 4, height: 2, dpi: 300, pixels: vec![0, 255, 10, 10, 255, 0, 10, 10] };
        let r = reduced(&p, 2);
        assert_eq!((r.width, r.height, r.dpi), (2, 1, 150));
        assert_eq!(r.pixels, vec![127, 10]);
    }
}
