fn main() {
    // src/ocr/line_images.rs defines Leptonica's `pixWriteMem` so that Tesseract's in-memory
    // line images skip compression; Tesseract (a shared library) only finds that definition
    // when the executable exports it.
    println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol=pixWriteMem");
    println!("cargo:rerun-if-changed=build.rs");
}
