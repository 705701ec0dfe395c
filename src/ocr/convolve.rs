//! A faster `tesseract::Convolve::Forward`, the first layer of Tesseract's LSTM line
//! recognizer.
//!
//! For every cell of a text line's tensor, `Convolve::Forward` stacks the 3×3 neighbourhood
//! of input features into one output time step (cells outside the line get random values).
//! The library does it through the generic index machinery: per cell 12
//! `StrideMap::Index::AddOffset` calls, 9 `CopyTimeStepGeneral` calls (each a `memcpy` of
//! one byte with the `vie` model) and an `Increment`, all out of line through its PLT:
//! ~1,800 instructions a cell, 13.6% of vanban's instructions on two clean corpus pages
//! (callgrind: 3.2 of 23.6 G inclusive), for 9 bytes of output. The definition here,
//! exported by `build.rs` (the library's virtual-function tables bind to the symbol, so
//! its calls land here), walks the same cells in the same order with the index arithmetic
//! inline ([`super::stride_index`]'s) and copies the features directly.
//!
//! The output is the library's, byte for byte: the same cells are copied, and the cells
//! outside the line are filled by the library's own `NetworkIO::Randomize` in the same
//! order, so the layer's random generator gives the same values and ends in the same
//! state. `tests` compare with the library's own function on random shapes, inputs and
//! per-image sizes, in integer and float mode.
//!
//! The function reads Tesseract's private data, whose layout is that of Tesseract 5.3
//! (`Convolve`: `ni_` at 0x18, `randomizer_` at 0x58, `half_x_`/`half_y_` at 0x60; see
//! [`NetworkIo`]). For any other version, and with debug display asked for, every call
//! goes to the library's own function.

use std::ffi::{c_int, c_void, CStr};
use std::sync::OnceLock;

use super::library_symbol::{next_definition, tesseract_is_5_3, Array2D, OwnOrLibrary};

use super::stride_index::StrideMap;

/// The mangled name of `void tesseract::Convolve::Forward(bool, const NetworkIO &,
/// const TransposedArray *, NetworkScratch *, NetworkIO *)`.
const FORWARD: &CStr = c"_ZN9tesseract8Convolve7ForwardEbRKNS_9NetworkIOEPKNS_15TransposedArrayEPNS_14NetworkScratchEPS1_";

/// `tesseract::NetworkIO` (networkio.h, Tesseract 5.3), up to its stride map (public only
/// because the exported function names it).
#[repr(C)]
pub struct NetworkIo {
    floats: Array2D<f32>,
    ints: Array2D<i8>,
    int_mode: bool,
    stride_map: StrideMap,
}

/// `tesseract::Convolve` (convolve.h, Tesseract 5.3), the fields `Forward` reads (public
/// only because the exported function names it).
#[repr(C)]
pub struct Convolve {
    /// vtable, `type_`, `training_`, `needs_to_backprop_`, `network_flags_`.
    head: [u8; 0x18],
    ni: c_int,
    no: c_int,
    /// `num_weights_`, `name_`, `forward_win_`, `backward_win_`.
    middle: [u8; 0x58 - 0x20],
    randomizer: *mut c_void,
    half_x: c_int,
    half_y: c_int,
}

type ForwardFn = unsafe extern "C" fn(*mut Convolve, bool, *const NetworkIo, *const c_void, *mut c_void, *mut NetworkIo);

extern "C" {
    /// `void NetworkIO::ResizeToMap(bool int_mode, const StrideMap &, int num_features)`.
    #[link_name = "_ZN9tesseract9NetworkIO11ResizeToMapEbRKNS_9StrideMapEi"]
    fn resize_to_map(io: *mut NetworkIo, int_mode: bool, map: *const StrideMap, features: c_int);
    /// `void NetworkIO::Randomize(int t, int offset, int num_features, TRand *)`.
    #[link_name = "_ZN9tesseract9NetworkIO9RandomizeEiiiPNS_5TRandE"]
    fn randomize(io: *mut NetworkIo, t: c_int, offset: c_int, features: c_int, randomizer: *mut c_void);
}

/// Whether the loaded Tesseract has the layout this module reads.
static IMPLEMENTATION: OwnOrLibrary = OwnOrLibrary::undecided();

/// Calls that reached this definition (the test's proof that Tesseract's calls land here).
#[cfg(test)]
static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Keeps the definition in every executable that starts a Tesseract engine (see
/// `line_images::keep`).
pub(super) fn keep() {
    std::hint::black_box(forward as ForwardFn);
}

/// Whether the definition here runs (decided on the first call).
fn own_implementation() -> bool {
    IMPLEMENTATION.own(|| tesseract_is_5_3() && library_forward().is_some())
}

/// The library's own `Convolve::Forward`, found past this definition.
fn library_forward() -> Option<ForwardFn> {
    static REAL: OnceLock<Option<ForwardFn>> = OnceLock::new();
    // SAFETY: the type is the member function's above (`this`, then the arguments).
    *REAL.get_or_init(|| unsafe { next_definition(FORWARD) })
}

/// Sizes `output` as `input` with `no_` features, then writes into each of its time steps
/// the `ni_` input features of every cell of the (2·`half_x_`+1)×(2·`half_y_`+1)
/// neighbourhood, x outer, y inner; a neighbour outside the image gets random features
/// from the layer's generator (a whole column of them when its x is outside).
///
/// # Safety
/// The arguments of Tesseract 5.3's `Convolve::Forward`: a live `Convolve`, live
/// `NetworkIO`s.
#[export_name = "_ZN9tesseract8Convolve7ForwardEbRKNS_9NetworkIOEPKNS_15TransposedArrayEPNS_14NetworkScratchEPS1_"]
pub unsafe extern "C" fn forward(
    layer: *mut Convolve,
    debug: bool,
    input: *const NetworkIo,
    input_transpose: *const c_void,
    scratch: *mut c_void,
    output: *mut NetworkIo,
) {
    #[cfg(test)]
    CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if debug || !own_implementation() {
        if let Some(real) = library_forward() {
            real(layer, debug, input, input_transpose, scratch, output);
        }
        return;
    }
    let layer = &*layer;
    let input = &*input;
    resize_to_map(output, input.int_mode, &input.stride_map, layer.no);
    let (ni, half_x, half_y, randomizer) = (layer.ni, layer.half_x, layer.half_y, layer.randomizer);
    if input.int_mode {
        stack(output, ni, half_x, half_y, randomizer, |io| &io.ints, &input.ints);
    } else {
        stack(output, ni, half_x, half_y, randomizer, |io| &io.floats, &input.floats);
    }
}

/// The loop of [`forward`] over the cells of `output`'s stride map, on the integer or the
/// float arrays (`array` picks `output`'s, `source` is the input's).
///
/// # Safety
/// As [`forward`], after `output` was sized.
#[inline(always)]
unsafe fn stack<T: Copy>(
    output: *mut NetworkIo,
    ni: c_int,
    half_x: c_int,
    half_y: c_int,
    randomizer: *mut c_void,
    array: impl Fn(&NetworkIo) -> &Array2D<T>,
    source: &Array2D<T>,
) {
    let y_scale = half_y.wrapping_mul(2).wrapping_add(1);
    let column = y_scale.wrapping_mul(ni);
    let features = ni.max(0) as usize;
    // `randomize` writes only array elements: the map and the arrays' rows stay where they
    // are for the whole walk.
    let map = &(*output).stride_map;
    let target = array(&*output);
    let mut dest = [0 as c_int; 3];
    let mut t: c_int = 0;
    loop {
        // `IsValid` of a neighbour (same batch as the cell): its batch, height and width
        // within their last indices; those of height and width depend on the batch only.
        let batch_valid = dest[0] >= 0 && dest[0] <= map.last_index(&dest, 0);
        let (last_y, last_x) = (map.last_index(&dest, 1), map.last_index(&dest, 2));
        let inside = |y: c_int, x: c_int| batch_valid && y >= 0 && x >= 0 && y <= last_y && x <= last_x;
        let row = target.row(t);
        let mut out_ix: c_int = 0;
        let mut x = half_x.wrapping_neg();
        while x <= half_x {
            let cell_x = dest[2].wrapping_add(x);
            if !inside(dest[1], cell_x) {
                randomize(output, t, out_ix, column, randomizer);
            } else {
                let mut out_iy = out_ix;
                let mut y = half_y.wrapping_neg();
                while y <= half_y {
                    let cell_y = dest[1].wrapping_add(y);
                    if !inside(cell_y, cell_x) {
                        randomize(output, t, out_iy, ni, randomizer);
                    } else {
                        let from = source.row(map.t_of(&[dest[0], cell_y, cell_x]));
                        let to = row.offset(out_iy as isize);
                        if features == 1 {
                            *to = *from;
                        } else {
                            std::ptr::copy_nonoverlapping(from, to, features);
                        }
                    }
                    out_iy = out_iy.wrapping_add(ni);
                    y += 1;
                }
            }
            out_ix = out_ix.wrapping_add(column);
            x += 1;
        }
        if !map.increment(&mut dest, &mut t) {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;
    use crate::ocr::stride_index::CppIntVector;

    /// The library's virtual-function table of `GENERIC_2D_ARRAY<T>` (named by `mangled`),
    /// as the constructor sets it: its `operator[]` calls the virtual `index`.
    fn array_vtable(mangled: &CStr) -> *const c_void {
        // SAFETY: dlsym with a NUL-terminated name.
        let table = unsafe { libc::dlsym(libc::RTLD_DEFAULT, mangled.as_ptr()) };
        assert!(!table.is_null(), "{mangled:?}");
        // The object points past the offset-to-top and type-info entries.
        (table as *const u8).wrapping_add(16) as *const c_void
    }

    /// A `TRand` (a `std::minstd_rand`: one `unsigned long` of state), with room to spare.
    fn generator(seed: u64) -> [u64; 4] {
        [seed, 0, 0, 0]
    }

    struct Case {
        shape: [c_int; 3],
        heights: Vec<c_int>,
        widths: Vec<c_int>,
        ni: c_int,
        half_x: c_int,
        half_y: c_int,
        int_mode: bool,
    }

    fn next(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        *seed >> 33
    }

    /// Runs `run` (ours or the library's) on `case` with input values from `seed`, and
    /// returns the output's arrays, shape and the generator's final state.
    fn run_case(case: &Case, seed: u64, run: ForwardFn) -> (Vec<i8>, Vec<u32>, [c_int; 4], [u64; 4]) {
        let width = case.shape.iter().product::<c_int>();
        let mut values = seed;
        let mut input_ints: Vec<i8> = (0..width * case.ni).map(|_| next(&mut values) as i8).collect();
        let mut input_floats: Vec<f32> = (0..width * case.ni).map(|_| next(&mut values) as f32 / 7.0 - 1e5).collect();
        let out_size = (width * case.ni * (2 * case.half_x + 1) * (2 * case.half_y + 1)) as usize;
        // Filled alike for both runs: cells the layer skips keep these values.
        // Room for the library's SIMD padding too (`ResizeNoInit` would otherwise replace
        // the array).
        let mut output_ints = vec![-99i8; out_size + 256];
        let mut output_floats = vec![-9.5f32; out_size + 256];
        let heights = case.heights.clone();
        let widths = case.widths.clone();
        let vector = |values: &Vec<c_int>| {
            let range = values.as_ptr_range();
            CppIntVector::from_raw(range.start, range.end)
        };
        let map = StrideMap::from_parts(
            case.shape,
            [case.shape[1] * case.shape[2], case.shape[2], 1],
            vector(&heights),
            vector(&widths),
        );
        let array = |ptr: *mut c_void, len: usize, dim2: c_int| (ptr, len as c_int / dim2.max(1), dim2, len as c_int);
        let (ip, id1, id2, isz) = array(input_ints.as_mut_ptr() as *mut c_void, input_ints.len(), case.ni);
        let (fp, fd1, fd2, fsz) = array(input_floats.as_mut_ptr() as *mut c_void, input_floats.len(), case.ni);
        let float_vtable = array_vtable(c"_ZTVN9tesseract16GENERIC_2D_ARRAYIfEE");
        let int_vtable = array_vtable(c"_ZTVN9tesseract16GENERIC_2D_ARRAYIaEE");
        let input = NetworkIo {
            floats: Array2D { vtable: float_vtable, array: fp as *mut f32, empty: 0.0, dim1: fd1, dim2: fd2, size_allocated: fsz },
            ints: Array2D { vtable: int_vtable, array: ip as *mut i8, empty: 0, dim1: id1, dim2: id2, size_allocated: isz },
            int_mode: case.int_mode,
            stride_map: map,
        };
        let mut output = NetworkIo {
            floats: Array2D { vtable: float_vtable, array: output_floats.as_mut_ptr(), empty: 0.0, dim1: 0, dim2: 0, size_allocated: output_floats.len() as c_int },
            ints: Array2D { vtable: int_vtable, array: output_ints.as_mut_ptr(), empty: 0, dim1: 0, dim2: 0, size_allocated: output_ints.len() as c_int },
            int_mode: !case.int_mode,
            stride_map: StrideMap::from_parts([0; 3], [0; 3], CppIntVector::empty(), CppIntVector::empty()),
        };
        let mut rng = generator(seed | 1);
        let mut layer = Convolve {
            head: [0; 0x18],
            ni: case.ni,
            no: case.ni * (2 * case.half_x + 1) * (2 * case.half_y + 1),
            middle: [0; 0x58 - 0x20],
            randomizer: rng.as_mut_ptr() as *mut c_void,
            half_x: case.half_x,
            half_y: case.half_y,
        };
        // SAFETY: live layer and arrays, the output's preallocated for the layer's size (so
        // the library never frees or replaces them).
        unsafe { run(&mut layer, false, &input, std::ptr::null(), std::ptr::null_mut(), &mut output) };
        assert_eq!(output.ints.array, output_ints.as_mut_ptr());
        assert_eq!(output.floats.array, output_floats.as_mut_ptr());
        let shape = if case.int_mode { [output.ints.dim1, output.ints.dim2, 0, 1] } else { [output.floats.dim1, output.floats.dim2, 0, 0] };
        // The output's copied stride map vectors belong to libstdc++'s allocator: leaked
        // here (a few bytes a case), never freed by Rust.
        std::mem::forget(output);
        (output_ints, output_floats.iter().map(|v| v.to_bits()).collect(), shape, rng)
    }

    #[test]
    fn every_layer_output_is_what_tesseracts_own_function_gives() {
        assert!(own_implementation(), "Tesseract 5.3 expected");
        let real = library_forward().expect("the library's Convolve::Forward");
        let mut seed = 17u64;
        let mut compared = 0;
        for round in 0..120 {
            let batch = 1 + next(&mut seed) as c_int % 3;
            let height = 1 + next(&mut seed) as c_int % 6;
            let width = 1 + next(&mut seed) as c_int % 9;
            // Per-image sizes: none, fewer than the batch, some larger than the map, and the
            // extremes 1, the map's and one past it (a size below 1 never ends the
            // library's own walk either).
            let sizes = |seed: &mut u64, map: c_int| -> Vec<c_int> {
                match round % 5 {
                    0 => vec![],
                    1 => (0..batch - 1).map(|_| 1 + next(seed) as c_int % map).collect(),
                    2 => (0..batch).map(|_| 1 + next(seed) as c_int % (map + 2)).collect(),
                    3 => (0..batch).map(|_| [1, map, map + 1][next(seed) as usize % 3]).collect(),
                    _ => (0..batch).map(|_| 1 + next(seed) as c_int % map).collect(),
                }
            };
            let case = Case {
                shape: [batch, height, width],
                heights: sizes(&mut seed, height),
                widths: sizes(&mut seed, width),
                ni: 1 + next(&mut seed) as c_int % 3,
                half_x: next(&mut seed) as c_int % 3,
                half_y: next(&mut seed) as c_int % 3,
                int_mode: round % 2 == 0,
            };
            let values = next(&mut seed);
            let ours = run_case(&case, values, forward);
            let theirs = run_case(&case, values, real);
            assert_eq!(ours, theirs, "round {round}: {:?} {:?} {:?}", case.shape, case.heights, case.widths);
            compared += 1;
        }
        assert_eq!(compared, 120);
    }

    #[test]
    fn tesseracts_convolutions_land_here() {
        let before = CALLS.load(Ordering::Relaxed);
        crate::ocr::read_corpus_header_strip();
        assert!(CALLS.load(Ordering::Relaxed) > before, "Tesseract's Convolve::Forward calls did not reach this module: is it exported (build.rs)?");
    }
}
