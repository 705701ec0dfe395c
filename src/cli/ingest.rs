use std::path::PathBuf;

use super::{Global, EXIT_OK, EXIT_SOME_FILES_FAILED};
use crate::ingest::{Options, Summary};

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Folder of scans (PNG, JPEG, TIFF, PDF) and OCR text files, searched recursively.
    pub dir: PathBuf,
    /// Worker threads [default: number of cores]
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Also print how the time was spent: OCR, and repair + extraction + indexing.
    #[arg(long)]
    pub timings: bool,
    /// OCR, repair and extract, but print each record as one JSON line on standard output
    /// instead of indexing it (the index is left alone; the summary goes to stderr).
    #[arg(long)]
    pub dry_run: bool,
    /// OCR every PDF page, even one whose own text layer is faithful (born-digital text is
    /// otherwise used as it is, without OCR); the layer is still judged and kept.
    #[arg(long)]
    pub force_ocr: bool,
    /// Also write each ingested scan as a searchable PDF into DIR (as `vanban pdf` does):
    /// its pages as they are, with the repaired text invisible under the words.
    #[arg(long, value_name = "DIR")]
    pub pdf_out: Option<PathBuf>,
    /// Take only shard K of N (K from 0 to N-1): the files whose path relative to DIR and
    /// size hash to K. N runs with K = 0…N-1 (a Slurm array, a Kubernetes indexed job)
    /// share the folder between them, each file in exactly one; use with --records-out.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::ingest::walk::Shard>,
    /// Read the files named in LIST (one path a line, relative to DIR or absolute) instead
    /// of every file under DIR. A listed file that is missing is reported and the rest go on.
    #[arg(long, value_name = "LIST")]
    pub files_from: Option<PathBuf>,
    /// Write only the records, one JSON file each, into OUT (no index), for
    /// `vanban index build --records OUT`. Files whose record is already in OUT are skipped,
    /// so a rerun (of a shard killed midway) does only the rest.
    #[arg(long, value_name = "OUT", conflicts_with = "dry_run")]
    pub records_out: Option<PathBuf>,
}

/// Exit status: 0 when every file was ingested (or unchanged), 3 when any file failed
/// (each named on stderr), 1 when the batch could not run at all.
pub fn run(args: &IngestArgs, global: &Global) -> anyhow::Result<i32> {
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = Options { dir: args.dir.clone(), index: global.index.clone(), dict: global.dict_dir(), jobs, dry_run: args.dry_run, force_ocr: args.force_ocr, pdf_out: args.pdf_out.clone(),
        shard: args.shard,
        files_from: args.files_from.clone(),
        records_out: args.records_out.clone(),
    };
    let summary = crate::ingest::run(&options)?;
    print_summary(&summary, args.timings, args.dry_run);
    Ok(if summary.failed > 0 { EXIT_SOME_FILES_FAILED } else { EXIT_OK })
}

fn print_summary(s: &Summary, timings: bool, to_stderr: bool) {
    // In a dry run stdout carries the records, so the summary moves to stderr.
    let say = |line: String| if to_stderr { eprintln!("{line}") } else { println!("{line}") };
    let seconds = s.elapsed.as_secs_f64();
    let rate = if seconds > 0.0 { s.pages as f64 / seconds } else { 0.0 };
    say(format!(
        "ingested {} file(s) ({} page(s)), {} skipped as unchanged, {} failed, in {:.1} s ({:.2} pages/s)",
        s.ingested, s.pages, s.unchanged, s.failed, seconds, rate
    ));
    if !s.hidden.is_empty() {
        const NAMED: usize = 5;
        let mut names: Vec<String> = s.hidden.iter().take(NAMED).map(|p| crate::fsx::shown(p)).collect();
        if s.hidden.len() > NAMED {
            names.push(format!("and {} more", s.hidden.len() - NAMED));
        }
        say(format!(
            "passed over {} hidden file(s) or folder(s), whose names start with “.”: {} (rename a scan to ingest it)",
            s.hidden.len(),
            names.join(", ")
        ));
    }
    if s.duplicates > 0 {
        say(format!(
            "{} path(s) led to a file already read under another name (symbolic links), and were not read again",
            s.duplicates
        ));
    }
    if timings {
        let ocr = s.ocr_time.as_secs_f64();
        let post = s.post_time.as_secs_f64();
        let share = if ocr + post > 0.0 { 100.0 * post / (ocr + post) } else { 0.0 };
        say(format!(
            "timings (CPU): reading + OCR {ocr:.2} s; repair + extraction + indexing {post:.3} s ({share:.1}% of the work)"
        ));
    }
}
