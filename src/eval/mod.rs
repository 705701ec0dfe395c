//! Evaluation shared by the `vanban eval` subcommands: the labelled [`figure::Figure`]
//! every subcommand prints; the held-out legacy-OCR sample ([`legacy`]); and the real-scan
//! evaluation ([`scans`]), which runs the whole ingest pipeline on real PDFs.

pub mod figure;
pub mod legacy;
pub mod scans;

pub use figure::{EvalSet, Figure, Figures, Split, Status, Target, Value};
