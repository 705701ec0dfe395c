//! Command-line interface. Each subcommand has its own file with its arguments and `run`.
//! Exit status: 0 success; 1 a fatal error (message on stderr); 2 bad usage;
//! 3 `ingest` finished but some files failed (each named on stderr).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub mod dict;
pub mod eval;
pub mod export;
pub mod extract;
pub mod fix;
pub mod index;
pub mod pdf;
pub mod ingest;
pub mod repair;
pub mod review;
pub mod search;
pub mod serve;
pub mod show;

pub const EXIT_OK: i32 = 0;
pub const EXIT_ERROR: i32 = 1;
pub const EXIT_SOME_FILES_FAILED: i32 = 3;

#[derive(Debug, Parser)]
#[command(name = "vanban", version, about = "Scanned Vietnamese directives → searchable, cross-referenced records")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand understands.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Index folder (records are stored beside it, in DIR/records).
    #[arg(long, global = true, env = "VANBAN_INDEX", default_value = "index")]
    pub index: PathBuf,
    /// Dictionaries and models folder [default: ./dictionaries, else the one built in]
    #[arg(long, global = true, env = "VANBAN_DICT")]
    pub dict: Option<PathBuf>,
}

impl Global {
    /// The dictionaries folder: `--dict`, else `./dictionaries`, else the source tree's.
    pub fn dict_dir(&self) -> PathBuf {
        if let Some(dir) = &self.dict {
            return dir.clone();
        }
        let local = PathBuf::from("dictionaries");
        if local.join("README.md").exists() || local.is_dir() && local.read_dir().map(|mut d| d.next().is_some()).unwrap_or(false) {
            return local;
        }
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dictionaries")
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// OCR, repair, extract and index every document under DIR.
    Ingest(ingest::IngestArgs),
    /// Build the index from record folders (`vanban index build --records DIR…`).
    #[command(subcommand)]
    Index(index::IndexCommand),
    /// Search by document number or full text.
    Search(search::SearchArgs),
    /// Show one record by its number, record id or source path.
    Show(show::ShowArgs),
    /// Export the cross-reference list (or the missing-documents list).
    Export(export::ExportArgs),
    /// Correct a record's number, date, type, issuer, subject, signer or citations (kept in
    /// a journal that every read and every re-ingest applies).
    Fix(fix::FixArgs),
    /// List the records a clerk should check, most cited first.
    Review(review::ReviewArgs),
    /// Repair OCR text (FILE, or standard input) and print it.
    Repair(repair::RepairArgs),
    /// Extract metadata and citations from a text file (or standard input).
    Extract(extract::ExtractArgs),
    /// Build the dictionaries and models.
    #[command(subcommand)]
    Dict(dict::DictCommand),
    /// Accuracy evaluations.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Write searchable PDFs: the scan's pages as they are, with the repaired text invisible
    /// under each word (`vanban pdf KEY --out DIR`, or `--all`).
    Pdf(pdf::PdfArgs),
    /// Serve the search page and JSON API in the browser (http://127.0.0.1:8080/).
    Serve(serve::ServeArgs),
}

/// Runs a parsed command line and returns the process exit status.
pub fn run(cli: Cli) -> i32 {
    init_tracing();
    let result = match &cli.command {
        Command::Ingest(args) => ingest::run(args, &cli.global),
        Command::Index(cmd) => index::run(cmd, &cli.global),
        Command::Search(args) => search::run(args, &cli.global),
        Command::Show(args) => show::run(args, &cli.global),
        Command::Export(args) => export::run(args, &cli.global),
        Command::Fix(args) => fix::run(args, &cli.global),
        Command::Repair(args) => repair::run(args, &cli.global),
        Command::Review(args) => review::run(args, &cli.global),
        Command::Extract(args) => extract::run(args, &cli.global),
        Command::Dict(cmd) => dict::run(cmd, &cli.global),
        Command::Eval(cmd) => eval::run(cmd, &cli.global),
        Command::Serve(args) => serve::run(args, &cli.global),
        Command::Pdf(args) => pdf::run(args, &cli.global),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("vanban: error: {err:#}");
            EXIT_ERROR
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("VANBAN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT once, when the library loads, so
/// setting it from `main` is too late (measured: 2.64 s vs 0.86 s a page on 2 cores).
/// When it is unset we re-execute ourselves with it set to 1; rayon parallelizes pages.
pub fn ensure_single_threaded_tesseract() {
    if std::env::var_os("OMP_THREAD_LIMIT").is_some() {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        if let Ok(exe) = std::env::current_exe() {
            let args: Vec<_> = std::env::args_os().skip(1).collect();
            let err = std::process::Command::new(exe).args(args).env("OMP_THREAD_LIMIT", "1").exec();
            // exec only returns on failure; carry on single-process, just slower.
            tracing::warn!("could not re-execute with OMP_THREAD_LIMIT=1: {err}");
        }
    }
}

/// Reads FILE, or standard input when `path` is `None` or `-`. UTF-8 only, with a clear
/// error naming the file otherwise.
pub fn read_text_input(path: Option<&std::path::Path>) -> anyhow::Result<String> {
    use anyhow::Context;
    use std::io::Read;
    match path {
        Some(p) if p.as_os_str() != "-" => crate::ingest::read_text_file(p)
            .with_context(|| format!("{}", p.display())),
        _ => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).context("reading standard input")?;
            crate::ingest::decode_text(&buf).context("standard input")
        }
    }
}
