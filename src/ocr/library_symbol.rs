//! What vanban's own definitions of Tesseract internals share (`convolve`,
//! `timestep_write`): finding the library's definition behind the one exported here, and
//! deciding once per process whether the one here may run.
//!
//! Each definition reads Tesseract 5.3's private data layout, so it runs only when that
//! version is loaded and the library's own function can be reached (it is the fallback,
//! and the tests compare against it).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::atomic::{AtomicU8, Ordering};

extern "C" {
    fn TessVersion() -> *const c_char;
}

/// Whether the loaded Tesseract is a 5.3 release, the layout the definitions here read.
pub(super) fn tesseract_is_5_3() -> bool {
    // SAFETY: TessVersion returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(TessVersion()) };
    version.to_bytes().starts_with(b"5.3.")
}

/// The library's definition of `name`, the next one after the executable's in the
/// dynamic linker's lookup order.
///
/// # Safety
/// `F` is the function-pointer type of the symbol `name` (for a C++ member function under
/// the Itanium ABI: `this` first, then the arguments).
pub(super) unsafe fn next_definition<F: Copy>(name: &CStr) -> Option<F> {
    assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<*mut c_void>(), "F must be a function pointer");
    // SAFETY: dlsym with a NUL-terminated name.
    let symbol: *mut c_void = unsafe { libc::dlsym(libc::RTLD_NEXT, name.as_ptr()) };
    // SAFETY: the caller vouches that `F` is the symbol's function-pointer type.
    (!symbol.is_null()).then(|| unsafe { std::mem::transmute_copy::<*mut c_void, F>(&symbol) })
}

/// A choice between the definition here and the library's, made on the first call (the
/// library is loaded by then) and kept for the process.
pub(super) struct OwnOrLibrary(AtomicU8);

const UNDECIDED: u8 = 0;
const OWN: u8 = 1;
const LIBRARY: u8 = 2;

impl OwnOrLibrary {
    pub(super) const fn undecided() -> Self {
        Self(AtomicU8::new(UNDECIDED))
    }

    /// Whether the definition here runs; `usable` is asked on the first call only.
    pub(super) fn own(&self, usable: impl FnOnce() -> bool) -> bool {
        match self.0.load(Ordering::Relaxed) {
            UNDECIDED => {
                let own = usable();
                self.0.store(if own { OWN } else { LIBRARY }, Ordering::Relaxed);
                own
            }
            known => known == OWN,
        }
    }
}

/// `tesseract::GENERIC_2D_ARRAY<T>` (matrix.h, Tesseract 5.3): the arrays of the
/// `NetworkIO` both definitions read.
#[repr(C)]
pub(super) struct Array2D<T> {
    pub(super) vtable: *const c_void,
    pub(super) array: *mut T,
    pub(super) empty: T,
    pub(super) dim1: c_int,
    pub(super) dim2: c_int,
    pub(super) size_allocated: c_int,
}

impl<T> Array2D<T> {
    /// Row `t` (`operator[]`: the library's `int` product, then widened).
    ///
    /// # Safety
    /// `t` is a row of the array.
    #[inline(always)]
    pub(super) unsafe fn row(&self, t: c_int) -> *mut T {
        self.array.offset(t.wrapping_mul(self.dim2) as isize)
    }
}
