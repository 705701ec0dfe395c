//! OCR: page images from image, TIFF and PDF files, and Tesseract (`vie`) over them,
//! one engine per worker thread, with per-word confidences and a junk-line filter.
//!
//! (Skeleton: the OCR owner fills this module.)
