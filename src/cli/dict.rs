use std::path::PathBuf;

use super::{Global, EXIT_OK};

#[derive(Debug, clap::Subcommand)]
pub enum DictCommand {
    /// Rebuild dictionaries/ from a corpus of correctly accented text.
    Build {
        /// Corpus folder (Markdown files with front matter).
        #[arg(long, default_value = "../shared/corpus/legal")]
        corpus: PathBuf,
        /// Output folder [default: the --dict folder]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Where `vanban dict ocr` left its pages (the channel model's data).
        #[arg(long, default_value = "target/ocr-cache")]
        ocr_cache: PathBuf,
        /// Re-estimate only the OCR channel table from --ocr-cache, keeping the language
        /// model and word lists (a minute instead of several).
        #[arg(long)]
        channel_only: bool,
        /// Learn only the scanned `vie` channel (`ocr_channel_scan.tsv`: the `vie-scan` rows
        /// and the noise row) from the pages `dict ocr --scan-channel` read, keeping
        /// everything else.
        #[arg(long)]
        scan_channel: bool,
    },
    /// Render corpus lines to page images and OCR them with Tesseract eng and vie (the
    /// data of the OCR channel model and of `eval repair`), plus the `eng` scan variants
    /// (other fonts, sizes, resolutions, scanner damage). Slow; resumes where it stopped.
    Ocr {
        #[arg(long, default_value = "../shared/corpus/legal")]
        corpus: PathBuf,
        /// Cache folder for pages, images and OCR output.
        #[arg(long, default_value = "target/ocr-cache")]
        cache: PathBuf,
        /// Pages to produce (36 lines each).
        #[arg(long, default_value_t = 24)]
        pages: usize,
        /// Take the lines from held-out files (evaluation inputs) instead of held-in ones.
        #[arg(long)]
        held_out: bool,
        /// Pages OCR'd at once.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// Only the `vie` readings: Liberation 12 pt clean and degraded, and the real-like
        /// scans (`ocr_sample::VIE_SCANS`), the data of the scanned channel. A fraction of
        /// the time of every reading.
        #[arg(long)]
        scan_channel: bool,
    },
    /// Rebuild dictionaries/authority/documents.tsv, codes.tsv and laws.tsv (documents known
    /// to exist, the codes real numbers carry, the names of laws cited by name) from the legal corpus and, optionally, the records of
    /// ingested real scans (their own headers' numbers).
    Authority {
        #[arg(long, default_value = "../shared/corpus/legal")]
        corpus: PathBuf,
        /// Records folder(s) of an index the real scans were ingested into (INDEX/records).
        #[arg(long)]
        records: Vec<PathBuf>,
        /// Output folder [default: the --dict folder]
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub fn run(cmd: &DictCommand, global: &Global) -> anyhow::Result<i32> {
    match cmd {
        DictCommand::Build { corpus, out, ocr_cache, channel_only, scan_channel } => {
            let out = out.clone().unwrap_or_else(|| global.dict_dir());
            if *scan_channel {
                crate::repair::build::build_scan_channel(&out, ocr_cache)?;
            } else if *channel_only {
                crate::repair::build::build_channel_only(&out, ocr_cache)?;
            } else {
                crate::repair::build::build(corpus, &out, ocr_cache)?;
            }
        }
        DictCommand::Authority { corpus, records, out } => {
            let out = out.clone().unwrap_or_else(|| global.dict_dir());
            let built = crate::authority::build::build(corpus, records, &out)?;
            eprintln!(
                "dict authority: {} known documents, {} codes, from {} corpus files and {} scan records, in {}",
                built.documents,
                built.codes,
                built.corpus_files,
                built.records,
                out.join(crate::authority::FOLDER).display()
            );
        }
        DictCommand::Ocr { corpus, cache, pages, held_out, jobs, scan_channel } => {
            use crate::repair::ocr_sample::{prepare, Reading, Split};
            let split = if *held_out { Split::HeldOut } else { Split::Train };
            let readings = match (*held_out, *scan_channel) {
                (true, _) => Reading::evaluation(),
                (false, true) => Reading::scan_channel(),
                (false, false) => Reading::training(),
            };
            let started = std::time::Instant::now();
            let done = prepare(corpus, cache, split, *pages, &readings, *jobs)?;
            eprintln!("dict ocr: {} pages ready under {} ({:.0} s)", done.len(), cache.display(), started.elapsed().as_secs_f64());
        }
    }
    Ok(EXIT_OK)
}
