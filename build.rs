fn main() {
    // src/ocr/line_images.rs defines Leptonica's `pixWriteMem` so that Tesseract's in-memory
    // line images skip compression; Tesseract (a shared library) only finds that definition
    // when the executable exports it.
    println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol=pixWriteMem");
    // … and reads them back with its own `pixReadMem`.
    println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol=pixReadMem");
    // src/ocr/stride_index.rs defines Tesseract's `StrideMap::Index::AddOffset` (the LSTM's
    // index step, called through the library's PLT) in a faster form.
    println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol=_ZN9tesseract9StrideMap5Index9AddOffsetEiNS_14FlexDimensionsE");
    // src/ocr/brick_opening.rs defines Leptonica's `pixOpenBrick` (Tesseract's ruled-line
    // finder) in O(log size) passes.
    println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol=pixOpenBrick");
    // src/ocr/timestep_write.rs defines Tesseract's `NetworkIO::WriteTimeStepPart` (every
    // LSTM layer's int8 output store) four values at a time.
    println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol=_ZN9tesseract9NetworkIO17WriteTimeStepPartEiiiPKf");
    // src/ocr/convolve.rs defines Tesseract's `Convolve::Forward` (the LSTM's first layer,
    // reached through the library's virtual-function tables) with its index steps inline.
    println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol=_ZN9tesseract8Convolve7ForwardEbRKNS_9NetworkIOEPKNS_15TransposedArrayEPNS_14NetworkScratchEPS1_");
    println!("cargo:rerun-if-changed=build.rs");
}
