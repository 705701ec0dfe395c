use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;

use super::{Global, EXIT_OK};
use crate::export::{self, cross_references, missing_documents, write_rows};
use crate::index::Archive;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Jsonl,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Output file [default: standard output]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Start CSV with a byte-order mark so that Excel reads Vietnamese correctly.
    #[arg(long)]
    pub bom: bool,
    /// List cited documents that are not in the index instead.
    #[arg(long)]
    pub missing: bool,
}

pub fn run(args: &ExportArgs, global: &Global) -> anyhow::Result<i32> {
    let archive = Archive::open_read_only(&global.index)?;
    let records = archive.records()?;
    let format = match args.format {
        Format::Csv => export::Format::Csv,
        Format::Json => export::Format::Json,
        Format::Jsonl => export::Format::Jsonl,
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let written = if args.missing {
        write_rows(&missing_documents(&records), format, args.bom, &mut out)
    } else {
        write_rows(&cross_references(&records), format, args.bom, &mut out)
    };
    match (written, &args.out) {
        (Ok(()), _) => Ok(EXIT_OK),
        (Err(err), Some(path)) => Err(err.context(format!("cannot write {}", path.display()))),
        (Err(err), None) if is_broken_pipe(&err) => Ok(EXIT_OK),
        (Err(err), None) => Err(err.context("cannot write to standard output")),
    }
}

/// `vanban export | head` closes the pipe early; that is not an error.
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<csv::Error>().is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
    })
}
