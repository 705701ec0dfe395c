//! A faster `tesseract::StrideMap::Index::AddOffset`, the step of Tesseract's LSTM
//! convolution and max-pooling loops.
//!
//! Tesseract 5 moves a window over each text line's tensor by calling `AddOffset` once per
//! neighbouring cell (25 M calls on two corpus pages): it adds the offset to one index,
//! recomputes the flat position and checks the index is still inside the line, through
//! three further out-of-line calls (`SetTFromIndices`, `IsValid`, and `MaxIndexOfDim` three
//! times). That bookkeeping, ~130 instructions a call, was 12% of vanban's instructions on
//! clean corpus pages (callgrind), more than the LSTM's own matrix products. The library
//! calls it through its PLT, so the definition here, exported by `build.rs`, is the one
//! Tesseract runs: the same arithmetic in one function of ~25 instructions. Every reading
//! is unchanged (same integers in, same integers out; `tests` checks it against the
//! library's own function on the same memory).
//!
//! The function reads Tesseract's private data, whose layout is that of Tesseract 5 (the
//! index: a pointer to its map, `t_`, three `int` indices; the map: `shape_[3]`,
//! `t_increments_[3]`, then `heights_` and `widths_` as libstdc++ `std::vector<int>`).
//! Until [`enable`] has seen a Tesseract 5 library loaded, and for any other version,
//! every call goes to the library's own function.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// The mangled name of `bool tesseract::StrideMap::Index::AddOffset(int, FlexDimensions)`.
const ADD_OFFSET: &CStr = c"_ZN9tesseract9StrideMap5Index9AddOffsetEiNS_14FlexDimensionsE";

/// A libstdc++ `std::vector<int>`: start, finish, end of storage.
#[repr(C)]
pub(super) struct CppIntVector {
    start: *const c_int,
    finish: *const c_int,
    end_of_storage: *const c_int,
}

impl CppIntVector {
    /// Element `i`, `None` past the end (as `i >= size()`, `i` taken as unsigned).
    ///
    /// # Safety
    /// `start..finish` is a live array of `int`s (or both are null).
    #[inline(always)]
    unsafe fn get(&self, i: c_int) -> Option<c_int> {
        let len = if self.start.is_null() { 0 } else { self.finish.offset_from(self.start).max(0) as usize };
        let i = i as isize as usize;
        (i < len).then(|| *self.start.add(i))
    }
}

/// `tesseract::StrideMap` (stridemap.h, Tesseract 5): batch, height, width.
#[repr(C)]
pub(super) struct StrideMap {
    shape: [c_int; 3],
    t_increments: [c_int; 3],
    heights: CppIntVector,
    widths: CppIntVector,
}

#[cfg(test)]
impl CppIntVector {
    pub(super) fn from_raw(start: *const c_int, finish: *const c_int) -> Self {
        CppIntVector { start, finish, end_of_storage: finish }
    }

    pub(super) fn empty() -> Self {
        Self::from_raw(std::ptr::null(), std::ptr::null())
    }
}

impl StrideMap {
    #[cfg(test)]
    pub(super) fn from_parts(shape: [c_int; 3], t_increments: [c_int; 3], heights: CppIntVector, widths: CppIntVector) -> Self {
        StrideMap { shape, t_increments, heights, widths }
    }

    /// `Index::MaxIndexOfDim`: the last index of `dimension` (0 batch, 1 height, 2 width)
    /// at `indices`: the map's, or for height and width that image's own (its entry in
    /// `heights_`/`widths_`, when it has one that fits the map).
    ///
    /// # Safety
    /// The map's vectors are live.
    #[inline(always)]
    pub(super) unsafe fn last_index(&self, indices: &[c_int; 3], dimension: usize) -> c_int {
        let map_last = self.shape[dimension].wrapping_sub(1);
        let own = match dimension {
            0 => return map_last,
            1 => self.heights.get(indices[0]),
            _ => self.widths.get(indices[0]),
        };
        match own {
            Some(size) if size <= map_last => size.wrapping_sub(1),
            _ => map_last,
        }
    }

    /// `Index::SetTFromIndices`: the flat position of `indices`.
    #[inline(always)]
    pub(super) fn t_of(&self, indices: &[c_int; 3]) -> c_int {
        self.t_increments[0]
            .wrapping_mul(indices[0])
            .wrapping_add(self.t_increments[1].wrapping_mul(indices[1]))
            .wrapping_add(self.t_increments[2].wrapping_mul(indices[2]))
    }

    /// `Index::IsValid`: no index negative, none past its dimension's last.
    ///
    /// # Safety
    /// The map's vectors are live.
    #[inline(always)]
    pub(super) unsafe fn is_valid(&self, indices: &[c_int; 3]) -> bool {
        if indices[0] < 0 || indices[1] < 0 || indices[2] < 0 || indices[0] > self.last_index(indices, 0) {
            return false;
        }
        indices[1] <= self.last_index(indices, 1) && indices[2] <= self.last_index(indices, 2)
    }

    /// `Index::Increment`: steps `indices` (and their flat position `t`) to the next cell,
    /// width fastest, each dimension up to its last index; false after the last cell.
    ///
    /// # Safety
    /// The map's vectors are live.
    #[inline(always)]
    pub(super) unsafe fn increment(&self, indices: &mut [c_int; 3], t: &mut c_int) -> bool {
        for dimension in (0..3).rev() {
            if self.last_index(indices, dimension) != indices[dimension] {
                *t = t.wrapping_add(self.t_increments[dimension]);
                indices[dimension] = indices[dimension].wrapping_add(1);
                return true;
            }
            *t = t.wrapping_sub(self.t_increments[dimension].wrapping_mul(indices[dimension]));
            indices[dimension] = 0;
        }
        false
    }
}

/// `tesseract::StrideMap::Index` (public only because the exported function names it).
#[repr(C)]
pub struct StrideIndex {
    map: *const StrideMap,
    t: c_int,
    indices: [c_int; 3],
}

type AddOffsetFn = unsafe extern "C" fn(*mut StrideIndex, c_int, c_int) -> bool;

/// Whether the loaded Tesseract has the layout this module reads.
static OWN_IMPLEMENTATION: AtomicBool = AtomicBool::new(false);

/// Calls that reached this definition (the test's proof that Tesseract's calls land here).
#[cfg(test)]
static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Switches to the implementation here when the loaded library is Tesseract 5 (call before
/// the first recognition; [`super::engine`] does when it starts an engine).
pub(super) fn enable() {
    std::hint::black_box(add_offset as AddOffsetFn);
    // SAFETY: TessVersion returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(TessVersion()) };
    let tesseract_5 = version.to_bytes().starts_with(b"5.");
    OWN_IMPLEMENTATION.store(tesseract_5 && library_add_offset().is_some(), Ordering::Relaxed);
}

extern "C" {
    fn TessVersion() -> *const c_char;
}

/// The library's own `AddOffset`, found past this definition.
fn library_add_offset() -> Option<AddOffsetFn> {
    static REAL: OnceLock<Option<AddOffsetFn>> = OnceLock::new();
    *REAL.get_or_init(|| {
        // SAFETY: dlsym with a NUL-terminated name; the symbol, when found, is the member
        // function above, whose Itanium C++ ABI is `this` then the two ints.
        let symbol: *mut c_void = unsafe { libc::dlsym(libc::RTLD_NEXT, ADD_OFFSET.as_ptr()) };
        (!symbol.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, AddOffsetFn>(symbol) })
    })
}

/// Adds `offset` to index `dimension` (0 batch, 1 height, 2 width), sets the flat position
/// `t` from the indices, and says whether the index is inside the map: no index negative,
/// the batch below the map's, the height and width below that image's own (its entry in
/// `heights_`/`widths_`, when it has one that fits the map), else below the map's.
///
/// # Safety
/// `index` is a live `StrideMap::Index` of Tesseract 5 whose map is live.
#[export_name = "_ZN9tesseract9StrideMap5Index9AddOffsetEiNS_14FlexDimensionsE"]
pub unsafe extern "C" fn add_offset(index: *mut StrideIndex, offset: c_int, dimension: c_int) -> bool {
    #[cfg(test)]
    CALLS.fetch_add(1, Ordering::Relaxed);
    if !OWN_IMPLEMENTATION.load(Ordering::Relaxed) || !(0..3).contains(&dimension) {
        return match library_add_offset() {
            Some(real) => real(index, offset, dimension),
            None => false,
        };
    }
    let index = &mut *index;
    let map = &*index.map;
    let i = &mut index.indices;
    i[dimension as usize] = i[dimension as usize].wrapping_add(offset);
    index.t = map.t_of(i);
    map.is_valid(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(values: &[c_int]) -> CppIntVector {
        let range = values.as_ptr_range();
        CppIntVector { start: range.start, finish: range.end, end_of_storage: range.end }
    }

    #[test]
    fn every_step_gives_what_tesseracts_own_function_gives() {
        enable();
        assert!(OWN_IMPLEMENTATION.load(Ordering::Relaxed), "Tesseract 5 expected");
        let real = library_add_offset().expect("the library's AddOffset");
        // Batches of lines of unequal sizes, as Tesseract builds them, and maps whose
        // per-image sizes are missing or larger than the map (the fallbacks).
        let heights = [3, 1, 7, 4];
        let widths = [40, 12, 1, 55];
        let cases = [
            ([4, 7, 55], vector(&heights), vector(&widths)),
            ([4, 5, 30], vector(&heights), vector(&widths)),
            ([6, 7, 55], vector(&heights[..2]), vector(&widths[..3])),
            ([1, 36, 200], vector(&[]), vector(&[])),
        ];
        let mut compared = 0;
        for (shape, heights, widths) in cases {
            let t_increments = [shape[1] * shape[2], shape[2], 1];
            let map = StrideMap { shape, t_increments, heights, widths };
            for start in [[0, 0, 0], [1, 0, 11], [3, 2, 54], [2, 6, 0], [0, 35, 199], [5, 1, 3]] {
                for dimension in 0..3 {
                    for offset in [-60, -8, -2, -1, 0, 1, 2, 3, 8, 60] {
                        let mut ours = StrideIndex { map: &map, t: -7, indices: start };
                        let mut theirs = StrideIndex { map: &map, t: -7, indices: start };
                        // SAFETY: both indices point at a live map of the library's layout.
                        let (a, b) = unsafe { (add_offset(&mut ours, offset, dimension), real(&mut theirs, offset, dimension)) };
                        assert_eq!((a, ours.t, ours.indices), (b, theirs.t, theirs.indices), "{shape:?} {start:?} {dimension} {offset}");
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 4 * 6 * 3 * 10);
    }

    #[test]
    fn tesseracts_lstm_steps_land_here() {
        let before = CALLS.load(Ordering::Relaxed);
        crate::ocr::read_corpus_header_strip();
        assert!(CALLS.load(Ordering::Relaxed) > before, "Tesseract's AddOffset calls did not reach this module: is it exported (build.rs)?");
    }
}
