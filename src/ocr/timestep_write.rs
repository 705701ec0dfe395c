//! A faster `tesseract::NetworkIO::WriteTimeStepPart`, the store of every LSTM and
//! fully-connected layer output.
//!
//! Tesseract 5's integer ("fast") models keep each layer's output as `int8` values: every
//! time step, `WriteTimeStepPart` scales the layer's `float` outputs by 127, rounds them half
//! away from zero, clips them to ±127 and stores them. The library does that one value at a
//! time with a branch on the sign (~14 instructions a value): 4.1% of vanban's instructions
//! on two clean corpus pages (callgrind, 0.96 of 23.2 G). The library calls it through its
//! PLT, so the definition here, exported by `build.rs`, is the one Tesseract runs: the same
//! arithmetic four values at a time with SSE2 (part of every x86-64 CPU). Every value is
//! unchanged, including the library's quirks on values no model produces (NaN and values
//! past ±2³¹ become -127, as `cvttss2si`'s 0x80000000 does there); `tests` compare with the
//! library's own function on random and extreme inputs.
//!
//! The function reads Tesseract's private data, whose layout is that of Tesseract 5.3
//! (`NetworkIO`: `f_` then `i_` as `GENERIC_2D_ARRAY`s — vtable, `array_`, `empty_`, `dim1_`,
//! `dim2_`, `size_allocated_` — then `int_mode_`). For any other version, and off x86-64,
//! every call goes to the library's own function.

use std::ffi::{c_int, CStr};
use std::sync::OnceLock;

use super::library_symbol::{next_definition, tesseract_is_5_3, Array2D, OwnOrLibrary};

/// The mangled name of `void tesseract::NetworkIO::WriteTimeStepPart(int, int, int, const float *)`.
const WRITE_TIME_STEP_PART: &CStr = c"_ZN9tesseract9NetworkIO17WriteTimeStepPartEiiiPKf";

/// `tesseract::NetworkIO` (networkio.h, Tesseract 5.3), up to `int_mode_` (public only
/// because the exported function names it).
#[repr(C)]
pub struct NetworkIo {
    floats: Array2D<f32>,
    ints: Array2D<i8>,
    int_mode: bool,
}

type WriteTimeStepPartFn = unsafe extern "C" fn(*mut NetworkIo, c_int, c_int, c_int, *const f32);

/// Whether the loaded Tesseract has the layout and arithmetic this module reproduces.
static IMPLEMENTATION: OwnOrLibrary = OwnOrLibrary::undecided();

/// Calls that reached this definition (the test's proof that Tesseract's calls land here).
#[cfg(test)]
static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

extern "C" {
}

/// Keeps the definition in every executable that starts a Tesseract engine (see
/// `line_images::keep`).
pub(super) fn keep() {
    std::hint::black_box(write_time_step_part as WriteTimeStepPartFn);
}

/// Whether the definition here runs (decided on the first call).
fn own_implementation() -> bool {
    IMPLEMENTATION.own(|| cfg!(target_arch = "x86_64") && tesseract_is_5_3() && library_write().is_some())
}

/// The library's own `WriteTimeStepPart`, found past this definition.
fn library_write() -> Option<WriteTimeStepPartFn> {
    static REAL: OnceLock<Option<WriteTimeStepPartFn>> = OnceLock::new();
    // SAFETY: the type is the member function's above (`this`, then the arguments).
    *REAL.get_or_init(|| unsafe { next_definition(WRITE_TIME_STEP_PART) })
}

/// Writes `count` values of `input` into time step `t` of `network_io` from feature
/// `offset` on: as they are in float mode, in integer mode each scaled by 127, rounded
/// half away from zero and clipped to ±127.
///
/// # Safety
/// The arguments of Tesseract 5's `NetworkIO::WriteTimeStepPart`: a live `NetworkIO` with
/// room for `count` features from `offset` at step `t`, and `count` readable floats.
#[export_name = "_ZN9tesseract9NetworkIO17WriteTimeStepPartEiiiPKf"]
pub unsafe extern "C" fn write_time_step_part(network_io: *mut NetworkIo, t: c_int, offset: c_int, count: c_int, input: *const f32) {
    #[cfg(test)]
    CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if !own_implementation() {
        if let Some(real) = library_write() {
            real(network_io, t, offset, count, input);
        }
        return;
    }
    let network_io = &mut *network_io;
    let count = count.max(0) as usize;
    if network_io.int_mode {
        let array = &network_io.ints;
        // The library's `int` arithmetic: t * dim2 in 32 bits, then widened.
        let start = t.wrapping_mul(array.dim2) as isize + offset as isize;
        write_ints(array.array.offset(start), input, count);
    } else {
        let array = &network_io.floats;
        let start = t.wrapping_mul(array.dim2) as isize + offset as isize;
        std::ptr::copy(input, array.array.offset(start), count);
    }
}

/// The library's conversion of one value: `ClipToRange(IntCastRounded(value * 127), -127, 127)`,
/// with x86's truncating conversion (0x80000000 for NaN and out-of-range values).
#[cfg(any(test, not(target_arch = "x86_64")))]
fn to_int8(value: f32) -> i8 {
    let truncate = |x: f32| if x.is_nan() || !(-2147483648.0..2147483648.0).contains(&x) { i32::MIN } else { x as i32 };
    let scaled = value * 127.0;
    let rounded = if scaled >= 0.0 { truncate(scaled + 0.5) } else { truncate(0.5 - scaled).wrapping_neg() };
    rounded.clamp(-127, 127) as i8
}

/// [`to_int8`] of `count` values from `input` into `output`, four at a time.
///
/// # Safety
/// `count` floats readable at `input`, `count` bytes writable at `output`.
#[cfg(target_arch = "x86_64")]
unsafe fn write_ints(output: *mut i8, input: *const f32, count: usize) {
    use std::arch::x86_64::*;
    let scale = _mm_set1_ps(127.0);
    let half = _mm_set1_ps(0.5);
    let zero = _mm_setzero_ps();
    let low = _mm_set1_epi16(-127);
    let high = _mm_set1_epi16(127);
    // Four values as the library rounds them, in 32-bit lanes.
    let round4 = |values: __m128| {
        let scaled = _mm_mul_ps(values, scale);
        // Ordered `>=`: false for NaN, as the library's `comiss` branch.
        let non_negative = _mm_castps_si128(_mm_cmpge_ps(scaled, zero));
        let up = _mm_cvttps_epi32(_mm_add_ps(scaled, half));
        let down = _mm_sub_epi32(_mm_setzero_si128(), _mm_cvttps_epi32(_mm_sub_ps(half, scaled)));
        _mm_or_si128(_mm_and_si128(non_negative, up), _mm_andnot_si128(non_negative, down))
    };
    // 32 -> 16 bits saturating keeps the order, so clipping the 16-bit values to ±127
    // clips the 32-bit ones; the final 16 -> 8 packing then changes nothing.
    let clip8 = |a: __m128i, b: __m128i| _mm_min_epi16(_mm_max_epi16(_mm_packs_epi32(a, b), low), high);
    let mut i = 0;
    while i + 16 <= count {
        let a = round4(_mm_loadu_ps(input.add(i)));
        let b = round4(_mm_loadu_ps(input.add(i + 4)));
        let c = round4(_mm_loadu_ps(input.add(i + 8)));
        let d = round4(_mm_loadu_ps(input.add(i + 12)));
        _mm_storeu_si128(output.add(i) as *mut __m128i, _mm_packs_epi16(clip8(a, b), clip8(c, d)));
        i += 16;
    }
    while i + 4 <= count {
        let packed = _mm_packs_epi16(clip8(round4(_mm_loadu_ps(input.add(i))), _mm_setzero_si128()), _mm_setzero_si128());
        std::ptr::write_unaligned(output.add(i) as *mut i32, _mm_cvtsi128_si32(packed));
        i += 4;
    }
    while i < count {
        let packed = _mm_packs_epi16(clip8(round4(_mm_set1_ps(*input.add(i))), _mm_setzero_si128()), _mm_setzero_si128());
        *output.add(i) = _mm_cvtsi128_si32(packed) as i8;
        i += 1;
    }
}

/// [`to_int8`] of `count` values (never run: other architectures use the library's own).
#[cfg(not(target_arch = "x86_64"))]
unsafe fn write_ints(output: *mut i8, input: *const f32, count: usize) {
    for i in 0..count {
        *output.add(i) = to_int8(*input.add(i));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    fn network_io(floats: &mut [f32], ints: &mut [i8], dim2: c_int, int_mode: bool) -> NetworkIo {
        let (f, f_rows) = (floats.as_mut_ptr(), floats.len() as c_int / dim2);
        let (i, i_rows) = (ints.as_mut_ptr(), ints.len() as c_int / dim2);
        NetworkIo {
            floats: Array2D { vtable: std::ptr::null(), array: f, empty: 0.0, dim1: f_rows, dim2, size_allocated: f_rows * dim2 },
            ints: Array2D { vtable: std::ptr::null(), array: i, empty: 0, dim1: i_rows, dim2, size_allocated: i_rows * dim2 },
            int_mode,
        }
    }

    /// Random floats mostly in the range layers produce, some past it, and the extremes.
    fn inputs(count: usize, seed: &mut u64) -> Vec<f32> {
        let specials = [0.0, -0.0, 1.0, -1.0, 0.5 / 127.0, -0.5 / 127.0, 1.5 / 127.0, -2.5 / 127.0, 1e9, -1e9, 3e7, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, 2.0, -1.7];
        (0..count)
            .map(|n| {
                *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let unit = (*seed >> 40) as f32 / (1u64 << 24) as f32;
                match n % 7 {
                    0 => specials[(*seed >> 20) as usize % specials.len()],
                    1 => f32::from_bits((*seed >> 16) as u32),
                    _ => unit * 2.4 - 1.2,
                }
            })
            .collect()
    }

    #[test]
    fn every_write_gives_what_tesseracts_own_function_gives() {
        assert!(own_implementation(), "Tesseract 5.3 on x86-64 expected");
        let real = library_write().expect("the library's WriteTimeStepPart");
        let mut seed = 7;
        let dim2 = 70;
        let mut compared = 0;
        for int_mode in [true, false] {
            for count in [0, 1, 3, 4, 5, 15, 16, 17, 33, 64, 70] {
                for offset in [0, 1, 70 - count] {
                    let input = inputs(count as usize, &mut seed);
                    let (mut our_floats, mut our_ints) = (vec![-3.0f32; 4 * 70], vec![99i8; 4 * 70]);
                    let (mut their_floats, mut their_ints) = (our_floats.clone(), our_ints.clone());
                    let mut ours = network_io(&mut our_floats, &mut our_ints, dim2, int_mode);
                    let mut theirs = network_io(&mut their_floats, &mut their_ints, dim2, int_mode);
                    // SAFETY: both point at live arrays of 4 steps of 70 features.
                    unsafe {
                        write_time_step_part(&mut ours, 2, offset, count, input.as_ptr());
                        real(&mut theirs, 2, offset, count, input.as_ptr());
                    }
                    let bits = |values: &[f32]| values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                    assert_eq!(our_ints, their_ints, "{int_mode} {count} {offset} {input:?}");
                    assert_eq!(bits(&our_floats), bits(&their_floats), "{int_mode} {count} {offset}");
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 2 * 11 * 3);
    }

    #[test]
    fn the_scalar_rule_is_the_librarys() {
        let real = library_write().expect("the library's WriteTimeStepPart");
        let input = inputs(4000, &mut 11);
        let mut ints = vec![0i8; 4000];
        let mut floats = vec![0f32; 4000];
        let mut theirs = network_io(&mut floats, &mut ints, 4000, true);
        // SAFETY: one step of 4000 features.
        unsafe { real(&mut theirs, 0, 0, 4000, input.as_ptr()) };
        let ours: Vec<i8> = input.iter().map(|&v| to_int8(v)).collect();
        assert_eq!(ours, ints);
    }

    #[test]
    fn tesseracts_layer_outputs_land_here() {
        let before = CALLS.load(Ordering::Relaxed);
        crate::ocr::read_corpus_header_strip();
        assert!(CALLS.load(Ordering::Relaxed) > before, "Tesseract's WriteTimeStepPart calls did not reach this module: is it exported (build.rs)?");
    }
}
