//! The batch: find the files, skip the unchanged ones, OCR every page on a pool of
//! workers, and turn each finished file into a record on this thread — repair, extract,
//! upsert — committing every few documents, so a killed ingest keeps what it committed
//! and a rerun does only the rest.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::document;
use super::pages::{read_task, RawPage};
use super::source::{inspect, SourceFile};
use super::walk;
use crate::index::{Archive, ArchiveWriter};
use crate::repair::Repairer;

/// Commit after this many new records …
const COMMIT_EVERY_DOCS: usize = 16;
/// … or this long after the last commit, whichever comes first.
const COMMIT_EVERY: Duration = Duration::from_secs(20);

#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    pub index: PathBuf,
    pub dict: PathBuf,
    /// Worker threads for OCR (each holds one Tesseract engine).
    pub jobs: usize,
    /// Print each record as a JSON line on stdout instead of indexing it; the index is
    /// neither read nor written (so every file is processed).
    pub dry_run: bool,
}

/// Where finished records go.
enum Sink {
    Index(ArchiveWriter),
    JsonLines(std::io::Stdout),
}

impl Sink {
    fn put(&mut self, doc: &crate::record::Document) -> anyhow::Result<()> {
        match self {
            Sink::Index(writer) => writer.upsert(doc).context("cannot add the record to the index"),
            Sink::JsonLines(out) => {
                use std::io::Write;
                let line = serde_json::to_string(doc)?;
                writeln!(out.lock(), "{line}").context("cannot write to standard output")
            }
        }
    }

    fn commit(&mut self) -> anyhow::Result<()> {
        match self {
            Sink::Index(writer) => writer
                .commit()
                .context("committing the index (records committed before stay readable; run ingest again)"),
            Sink::JsonLines(_) => Ok(()),
        }
    }
}

/// What a batch did, for the closing summary.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub ingested: usize,
    pub unchanged: usize,
    pub failed: usize,
    /// Pages of the ingested files.
    pub pages: usize,
    pub elapsed: Duration,
    /// Worker time spent loading and OCRing pages (summed over workers).
    pub ocr_time: Duration,
    /// Time spent on repair, extraction and indexing (this thread).
    pub post_time: Duration,
}

/// A file whose pages are being read.
struct InFlight {
    file: Arc<SourceFile>,
    remaining: u32,
    pages: Vec<RawPage>,
    error: Option<anyhow::Error>,
}

/// Runs the batch. Per-file problems are reported on stderr (`vanban: PATH: REASON`)
/// and counted; only problems with the index, the models or the folder itself are `Err`.
pub fn run(options: &Options) -> anyhow::Result<Summary> {
    let start = Instant::now();
    if !options.dir.is_dir() && !options.dir.is_file() {
        anyhow::bail!("{}: no such folder; give the folder of scans to ingest", options.dir.display());
    }
    let jobs = options.jobs.max(1);
    let repairer = Repairer::load(&options.dict)
        .with_context(|| format!("loading the repair models from {}", options.dict.display()))?;
    let archive = if options.dry_run {
        None
    } else {
        Some(
            Archive::open_or_create(&options.index)
                .with_context(|| format!("opening the index {}", options.index.display()))?,
        )
    };
    let mut summary = Summary::default();
    let progress = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let report = |path: &Path, err: &dyn std::fmt::Display| {
        progress.suspend(|| eprintln!("vanban: {}: {err}", path.display()));
    };

    let mut todo = Vec::new();
    for found in walk::files(&options.dir, Some(&options.index)) {
        let path = match found {
            Ok(path) => path,
            Err(problem) => {
                report(&problem.path, &problem.reason);
                summary.failed += usize::from(!problem.is_loop);
                continue;
            }
        };
        match inspect(&path) {
            Ok(None) => {}
            Ok(Some(file)) => match archive.as_ref().map_or(Ok(None), |a| a.known_hash(&file.id)) {
                Ok(Some(hash)) if hash == file.sha256 => summary.unchanged += 1,
                Ok(_) => todo.push(Arc::new(file)),
                Err(err) => {
                    report(&path, &format!("{err:#}"));
                    summary.failed += 1;
                }
            },
            Err(err) => {
                report(&path, &format!("{err:#}"));
                summary.failed += 1;
            }
        }
    }
    if todo.is_empty() {
        summary.elapsed = start.elapsed();
        return Ok(summary);
    }

    let total_tasks: u64 = todo.iter().map(|f| u64::from(f.tasks)).sum();
    progress.set_length(total_tasks);
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} pages  {per_sec}  ETA {eta}  {msg}")
            .expect("valid template"),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("vanban-ocr-{i}"))
        .build()
        .context("cannot start the OCR worker threads")?;
    let (sender, results) = mpsc::channel();
    let mut in_flight: HashMap<usize, InFlight> = HashMap::new();
    for (index, file) in todo.iter().enumerate() {
        in_flight.insert(index, InFlight { file: Arc::clone(file), remaining: file.tasks, pages: Vec::new(), error: None });
        for task in 1..=file.tasks {
            let file = Arc::clone(file);
            let sender = sender.clone();
            pool.spawn_fifo(move || {
                let (result, took) = read_task(&file, task);
                // The receiver outlives every task; a send can only fail if it panicked.
                let _ = sender.send((index, result, took));
            });
        }
    }
    drop(sender);

    let mut sink = match &archive {
        Some(archive) => Sink::Index(archive.writer().context("opening the index for writing")?),
        None => Sink::JsonLines(std::io::stdout()),
    };
    let mut uncommitted = 0;
    let mut last_commit = Instant::now();
    for (index, result, took) in results {
        summary.ocr_time += took;
        progress.inc(1);
        let state = in_flight.get_mut(&index).expect("every task's file is in flight");
        state.remaining -= 1;
        match result {
            Ok(pages) => state.pages.extend(pages),
            Err(err) => {
                state.error.get_or_insert(err);
            }
        }
        if state.remaining > 0 {
            continue;
        }
        let state = in_flight.remove(&index).expect("present above");
        if let Some(err) = state.error {
            report(&state.file.path, &format!("{err:#}"));
            summary.failed += 1;
            continue;
        }
        let post_start = Instant::now();
        progress.set_message(state.file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        let pages = state.pages.len();
        let doc = document::build(&state.file, state.pages, &repairer);
        match sink.put(&doc) {
            Ok(()) => {
                summary.ingested += 1;
                summary.pages += pages;
                uncommitted += 1;
            }
            Err(err) => {
                report(&state.file.path, &format!("{err:#}"));
                summary.failed += 1;
            }
        }
        if uncommitted >= COMMIT_EVERY_DOCS || (uncommitted > 0 && last_commit.elapsed() >= COMMIT_EVERY) {
            sink.commit()?;
            uncommitted = 0;
            last_commit = Instant::now();
        }
        summary.post_time += post_start.elapsed();
    }
    let post_start = Instant::now();
    sink.commit()?;
    summary.post_time += post_start.elapsed();
    progress.finish_and_clear();
    summary.elapsed = start.elapsed();
    Ok(summary)
}
