//! The batch: find the files, skip the unchanged ones, OCR every page on a pool of
//! workers, and turn each finished file into a record on this thread — repair, extract,
//! upsert — committing every few documents, so a killed ingest keeps what it committed
//! and a rerun does only the rest.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::budget::{self, Budget, Share};
use super::cpu;
use super::document;
use super::pages::{read_task, RawPage};
use super::kind::FileKind;
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
    /// OCR every PDF page, even one whose own text layer is faithful.
    pub force_ocr: bool,
    /// Also write each new record's searchable PDF into this folder (`crate::export::pdf`).
    pub pdf_out: Option<PathBuf>,
    /// Take only the files of this shard (`--shard K/N`).
    pub shard: Option<walk::Shard>,
    /// Read the files named in this list (`--files-from`) instead of walking the folder.
    pub files_from: Option<PathBuf>,
    /// Write records only, into this folder (`--records-out`), and no index: what
    /// `vanban index build` reads. A file whose record for its current content is already
    /// there is skipped, so that a rerun does only the rest.
    pub records_out: Option<PathBuf>,
}

/// Where `--pdf-out` puts each record's searchable PDF, and the font it draws with.
struct PdfOut {
    dir: PathBuf,
    font: crate::export::pdf::FontFile,
}

impl PdfOut {
    fn open(dir: &Path) -> anyhow::Result<PdfOut> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the folder {}", dir.display()))?;
        Ok(PdfOut { dir: dir.to_path_buf(), font: crate::export::pdf::FontFile::find()? })
    }

    /// The record's PDF, named after its source (a text input has no pages to show).
    fn write(&self, doc: &crate::record::Document) -> anyhow::Result<()> {
        if doc.source_kind == crate::record::SourceKind::Text {
            return Ok(());
        }
        crate::export::pdf::write(doc, &self.font, &self.dir.join(crate::export::pdf::file_name(doc))).map(|_| ())
    }
}

/// Where finished records go.
enum Sink {
    Index(ArchiveWriter),
    JsonLines(std::io::Stdout),
    /// A records folder (`--records-out`): each record written atomically under its own
    /// name (`id@hash.json`), flushed to disk at each commit point.
    Records { dir: PathBuf, unflushed: Vec<PathBuf> },
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
            Sink::Records { dir, unflushed } => {
                unflushed.push(crate::index::store::write_record(dir, doc)?);
                Ok(())
            }
        }
    }

    fn commit(&mut self) -> anyhow::Result<()> {
        match self {
            Sink::Index(writer) => writer
                .commit()
                .context("committing the index (records committed before stay readable; run ingest again)"),
            Sink::JsonLines(_) => Ok(()),
            Sink::Records { dir, unflushed } => {
                crate::index::store::make_durable(dir, unflushed)?;
                unflushed.clear();
                Ok(())
            }
        }
    }

    /// The last commit of the batch; also lets the index merge its segments, so that the
    /// searches that follow open few of them.
    fn finish(self) -> anyhow::Result<()> {
        match self {
            Sink::Index(writer) => writer
                .finish()
                .context("committing the index (records committed before stay readable; run ingest again)"),
            Sink::JsonLines(_) => Ok(()),
            mut records @ Sink::Records { .. } => records.commit(),
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
    /// CPU time the workers spent loading and OCRing pages (summed over workers; wall
    /// time where the platform cannot tell; `pdftoppm`'s own CPU is not included).
    pub ocr_time: Duration,
    /// CPU time spent on repair, extraction and indexing (on the ingesting thread).
    pub post_time: Duration,
    /// Hidden files and folders (names starting with `.`) that were passed over.
    pub hidden: Vec<PathBuf>,
    /// Paths that lead to a file already taken under another path (symbolic links): read
    /// once, under the first path.
    pub duplicates: usize,
}

/// A file whose pages are being read.
struct InFlight {
    file: Arc<SourceFile>,
    remaining: u32,
    pages: Vec<RawPage>,
    error: Option<anyhow::Error>,
    /// The memory budget its text holds until its record is made.
    shares: Vec<Share>,
}

/// Per-file error lines, printed above the progress bar.
struct Reporter {
    progress: ProgressBar,
}

impl Reporter {
    fn fail(&self, path: &Path, reason: &dyn std::fmt::Display, summary: &mut Summary) {
        self.note(path, reason);
        summary.failed += 1;
    }

    /// One line on stderr. File names come from the folder being ingested, so control
    /// characters in them (a newline that would forge a second `vanban:` line, a
    /// terminal escape) are shown escaped.
    fn note(&self, path: &Path, reason: &dyn std::fmt::Display) {
        let line = format!("vanban: {}: {}", crate::fsx::shown(path), crate::fsx::one_line(&reason.to_string()));
        self.progress.suspend(|| eprintln!("{line}"));
    }
}

/// Runs the batch. Per-file problems are reported on stderr (`vanban: PATH: REASON`)
/// and counted; only problems with the index, the models or the folder itself are `Err`.
pub fn run(options: &Options) -> anyhow::Result<Summary> {
    let start = Instant::now();
    if !options.dir.exists() {
        anyhow::bail!("{}: no such folder; give the folder of scans to ingest", options.dir.display());
    }
    let repairer = Repairer::load(&options.dict)
        .with_context(|| format!("loading the repair models from {}", options.dict.display()))?;
    // Shared with the workers, whose language model judges PDF text layers.
    let repairer = Arc::new(repairer);
    if let Some(out) = &options.records_out {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create the records folder {}", out.display()))?;
    }
    let archive = if options.dry_run || options.records_out.is_some() {
        None
    } else {
        let archive = Archive::open_or_create(&options.index)
            .with_context(|| format!("opening the index {}", options.index.display()))?;
        Some(archive)
    };
    let reporter = Reporter { progress: ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()) };
    let mut summary = Summary::default();
    let todo = discover(options, archive.as_ref(), &reporter, &mut summary)?;
    if !todo.is_empty() {
        // What can exist, extended by what the archive holds: the documents already indexed
        // are documents that exist, which a damaged citation of them can be corrected to.
        // Not extended by the files of this run as they finish: which finish first would
        // change the citations (see `refill`, which reads them again at the end).
        let mut authority = crate::authority::Authority::load_or_builtin(&options.dict)?;
        if let Some(archive) = &archive {
            authority.add_known(super::refill::known_documents(archive)?);
        }
        let sink = match (&archive, &options.records_out) {
            (Some(archive), _) => Sink::Index(archive.writer().context("opening the index for writing")?),
            (None, Some(out)) => Sink::Records { dir: out.clone(), unflushed: Vec::new() },
            (None, None) => Sink::JsonLines(std::io::stdout()),
        };
        let pdf_out = options.pdf_out.as_deref().map(PdfOut::open).transpose()?;
        let mut written = HashSet::new();
        process(todo, options.jobs.max(1), !options.force_ocr, sink, pdf_out.as_ref(), &repairer, &authority, &reporter, &mut summary, &mut written)?;
        // The new documents may cite older ones, with their dates, and be cited by them.
        if let Some(archive) = &archive {
            super::refill::finish(archive, &options.dict, &written).context("reading the citations again against the whole archive")?;
        }
    }
    reporter.progress.finish_and_clear();
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// The files to read: inputs under the folder whose content is not already indexed.
fn discover(options: &Options, archive: Option<&Archive>, reporter: &Reporter, summary: &mut Summary) -> anyhow::Result<Vec<Arc<SourceFile>>> {
    // Hashing a large archive takes a while: show that something is happening.
    reporter.progress.set_style(ProgressStyle::with_template("{spinner} checking files: {pos}").expect("valid template"));
    let mut todo = Vec::new();
    let mut skip = vec![options.index.as_path()];
    skip.extend(options.records_out.as_deref());
    let walked = match &options.files_from {
        Some(list) => walk::listed(&options.dir, list, &skip)?,
        None => walk::walk_skipping(&options.dir, &skip),
    };
    summary.hidden = walked.hidden;
    // The first path found to each file (by canonical path, i.e. record id).
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for found in walked.found {
        reporter.progress.inc(1);
        let path = match found {
            Ok(path) => path,
            Err(problem) if problem.is_loop => {
                reporter.note(&problem.path, &problem.reason);
                continue;
            }
            Err(problem) => {
                reporter.fail(&problem.path, &problem.reason, summary);
                continue;
            }
        };
        // Another shard's file: not even hashed here.
        if options.shard.is_some_and(|shard| !shard.takes(&options.dir, &path)) {
            continue;
        }
        let file = match inspect(&path) {
            Ok(Some(file)) => file,
            Ok(None) => continue,
            Err(err) => {
                reporter.fail(&path, &format!("{err:#}"), summary);
                continue;
            }
        };
        if let Some(first) = seen.get(&file.id) {
            let reason = format!("the same file as {} (a link to it); read once, under that name", crate::fsx::shown(first));
            reporter.note(&path, &reason);
            summary.duplicates += 1;
            continue;
        }
        seen.insert(file.id.clone(), path.clone());
        if let Some(out) = &options.records_out {
            // Finished by an earlier run (written atomically: present means complete).
            if crate::index::store::record_file(out, &file.id, &file.sha256).exists() {
                summary.unchanged += 1;
            } else {
                todo.push(Arc::new(file));
            }
            continue;
        }
        match archive.map_or(Ok(None), |a| a.known_hash(&file.id)) {
            Ok(Some(hash)) if hash == file.sha256 => summary.unchanged += 1,
            Ok(_) => todo.push(Arc::new(file)),
            Err(err) => reporter.fail(&path, &format!("{err:#}"), summary),
        }
    }
    Ok(todo)
}

/// What reading task `task` of `file` will hold in memory, priced from headers (a page
/// whose size cannot be read fails as soon as it is read, and costs nothing meanwhile).
fn cost(file: &SourceFile, task: u32) -> u64 {
    match file.kind {
        FileKind::Image(kind) => crate::ocr::page_pixels(&file.path, kind, task).map_or(0, budget::page_cost),
        FileKind::Text => std::fs::metadata(&file.path).map_or(0, |m| budget::text_cost(m.len())),
    }
}

/// Reads every page on `jobs` workers, and as each file completes, turns it into a record
/// here and hands it to the sink, committing every few records.
fn process(
    todo: Vec<Arc<SourceFile>>,
    jobs: usize,
    use_text_layers: bool,
    mut sink: Sink,
    pdf_out: Option<&PdfOut>,
    repairer: &Arc<Repairer>,
    authority: &crate::authority::Authority,
    reporter: &Reporter,
    summary: &mut Summary,
    written: &mut HashSet<String>,
) -> anyhow::Result<()> {
    let progress = &reporter.progress;
    progress.set_position(0);
    progress.reset_eta();
    progress.set_length(todo.iter().map(|f| u64::from(f.tasks)).sum());
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
    let budget = Budget::new(budget::BUDGET_BYTES);
    for (index, file) in todo.into_iter().enumerate() {
        for task in 1..=file.tasks {
            let file = Arc::clone(&file);
            let sender = sender.clone();
            let repairer = Arc::clone(repairer);
            let budget = budget.clone();
            pool.spawn_fifo(move || {
                let share = budget.take(cost(&file, task));
                let (result, took) = read_task(&file, task, &repairer, use_text_layers);
                // An image page's memory is gone once it is OCR'd; a text file's is not
                // until its record is made, on the receiving side.
                let share = (file.kind == FileKind::Text).then_some(share);
                // The receiver outlives every task; a send can only fail if it panicked.
                let _ = sender.send((index, result, took, share));
            });
        }
        in_flight.insert(index, InFlight { remaining: file.tasks, file, pages: Vec::new(), error: None, shares: Vec::new() });
    }
    drop(sender);

    let mut uncommitted = 0;
    let mut last_commit = Instant::now();
    for (index, result, took, share) in results {
        summary.ocr_time += took;
        progress.inc(1);
        let state = in_flight.get_mut(&index).expect("every task's file is in flight");
        state.shares.extend(share);
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
        let mut state = in_flight.remove(&index).expect("present above");
        let _shares = std::mem::take(&mut state.shares);
        if let Some(err) = state.error {
            reporter.fail(&state.file.path, &format!("{err:#}"), summary);
            continue;
        }
        let (outcome, took) = cpu::measure(|| {
            progress.set_message(state.file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            let pages = state.pages.len();
            let doc = document::build(&state.file, state.pages, repairer, authority);
            match sink.put(&doc) {
                Ok(()) => {
                    written.insert(doc.id.clone());
                    summary.ingested += 1;
                    summary.pages += pages;
                    uncommitted += 1;
                    // The record stands without its PDF: a failure is said, not counted.
                    if let Err(err) = pdf_out.map_or(Ok(()), |out| out.write(&doc)) {
                        reporter.note(&state.file.path, &format!("the searchable PDF was not written: {err:#}"));
                    }
                }
                Err(err) => reporter.fail(&state.file.path, &format!("{err:#}"), summary),
            }
            if uncommitted >= COMMIT_EVERY_DOCS || (uncommitted > 0 && last_commit.elapsed() >= COMMIT_EVERY) {
                sink.commit()?;
                uncommitted = 0;
                last_commit = Instant::now();
            }
            anyhow::Ok(())
        });
        summary.post_time += took;
        outcome?;
    }
    let (outcome, took) = cpu::measure(|| sink.finish());
    summary.post_time += took;
    outcome?;
    Ok(())
}
