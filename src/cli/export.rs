use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;

use super::{Global, EXIT_OK};
use crate::export::{self, archive_cited_pairs, archive_cross_references, archive_missing_documents, write_row_stream, write_rows};
use crate::fsx::AtomicFile;
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
    /// One row per cited document of each citing document (its first place, with `times`
    /// and every place in `places`) instead of one row per citation.
    #[arg(long, conflicts_with = "missing")]
    pub once: bool,
}

/// Writes the list, reading one record at a time. `--out FILE` is replaced atomically
/// ([`AtomicFile`]): a kill or a full disk midway leaves the previous FILE whole.
pub fn run(args: &ExportArgs, global: &Global) -> anyhow::Result<i32> {
    let archive = Archive::open_read_only(&global.index)?;
    let format = match args.format {
        Format::Csv => export::Format::Csv,
        Format::Json => export::Format::Json,
        Format::Jsonl => export::Format::Jsonl,
    };
    let write = |out: &mut dyn Write| -> anyhow::Result<()> {
        if args.missing {
            write_rows(&archive_missing_documents(&archive)?, format, args.bom, out)
        } else if args.once {
            write_row_stream(archive_cited_pairs(&archive)?, format, args.bom, out).map(|_| ())
        } else {
            write_row_stream(archive_cross_references(&archive, None)?, format, args.bom, out).map(|_| ())
        }
    };
    match &args.out {
        Some(path) => {
            let mut file = AtomicFile::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            write(&mut file).with_context(|| format!("cannot write {} (it was left as it was)", path.display()))?;
            file.commit().with_context(|| format!("cannot write {} (it was left as it was)", path.display()))?;
            Ok(EXIT_OK)
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut out) {
                Ok(()) => Ok(EXIT_OK),
                Err(err) if is_broken_pipe(&err) => Ok(EXIT_OK),
                Err(err) => Err(err.context("cannot write to standard output")),
            }
        }
    }
}

/// `vanban export | head` closes the pipe early; that is not an error.
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<csv::Error>().is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
    })
}
