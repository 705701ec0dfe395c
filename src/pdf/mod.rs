//! PDFs that already carry what OCR guesses: a text layer (born-digital text, a legacy OCR
//! layer, or only the text of a signature box) and digital signatures.
//!
//! - [`signature`]: every signature, read and verified by poppler's `pdfsig`, with the
//!   signer, organisation, signing time (with its offset), byte ranges and verdict;
//! - [`evidence`]: what the signatures say about the header fields (signer, issuer, a
//!   bound on the date);
//! - `sigdict`: the signature dictionary's own entries (`/M`…), read from the bytes;
//! - [`layer`]: a page's text layer and the verdict on it (faithful, garbled, partial,
//!   none); [`page`] reads a page, OCR'ing it only when the layer cannot stand for it;
//!   [`merge`] combines OCR and a garbled layer line by line; `boxes` makes a partial
//!   layer's signature boxes the page's regions, out of its OCR text.

mod boxes;
pub mod evidence;
pub mod layer;
pub mod merge;
pub mod page;
pub mod signature;
mod sigdict;

pub use evidence::SignatureEvidence;
pub use signature::{Signature, SignatureReport, Status};
