use std::path::PathBuf;

use super::Global;

/// How the figures are printed (the same figures, the same order, in every form).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct OutputArgs {
    /// Print the figures as Markdown table rows (the README's accuracy tables).
    #[arg(long, conflicts_with = "json")]
    pub markdown: bool,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

impl OutputArgs {
    fn print(&self, figures: &crate::eval::Figures) {
        if self.json {
            println!("{}", figures.to_json());
        } else if self.markdown {
            print!("{}", figures.to_markdown());
        } else {
            print!("{}", figures.to_text());
        }
    }
}

#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Syllable accuracy of repair on held-out corpus files.
    Repair {
        #[arg(long, default_value = "../shared/corpus/legal")]
        corpus: PathBuf,
        /// Evaluate at most N held-out files (a fast subset).
        #[arg(long)]
        max_files: Option<usize>,
        /// Lines of running text taken from each held-out file.
        #[arg(long, default_value_t = 400)]
        max_lines: usize,
        /// Held-out pages rendered and OCR'd for the OCR figures (cached; 0 skips them).
        #[arg(long, default_value_t = 12)]
        ocr_pages: usize,
        /// Cache of rendered pages and OCR output.
        #[arg(long, default_value = "target/ocr-cache")]
        ocr_cache: PathBuf,
        /// A real legacy OCR text layer, scored against --reference (skipped when absent).
        #[arg(long, default_value = "../shared/samples/legacy-ocr-plan-2024.txt")]
        legacy_sample: PathBuf,
        /// Phrase reference of --legacy-sample [default: tests/gold/legacy-sample-reference.tsv of the source tree]
        #[arg(long)]
        reference: Option<PathBuf>,
        /// The held-out legacy-OCR sample, line (f) [default: tests/gold/held-out-legacy of the source tree]
        #[arg(long)]
        held_out_legacy: Option<PathBuf>,
        /// Print every reference phrase of the (development) legacy sample the repair gets wrong.
        #[arg(long)]
        verbose: bool,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Citation precision/recall/F1 and metadata accuracy on the gold set.
    Cite {
        #[arg(long, default_value = "../shared/corpus/legal")]
        corpus: PathBuf,
        /// Hand-annotated gold documents [default: tests/gold of the source tree]
        #[arg(long)]
        gold: Option<PathBuf>,
        /// Shared folder that sample annotations point into.
        #[arg(long, default_value = "../shared")]
        shared: PathBuf,
        /// Print every missed and extra citation of the development sets.
        #[arg(long)]
        verbose: bool,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The real ingest pipeline on real scanned PDFs, page 1 scored against hand-made gold:
    /// syllable error rate, own number/type/date/issuer, citations.
    Scans {
        /// Folder of real scans with `gold/` (see its README).
        #[arg(long, default_value = "../shared/real-scans")]
        scans: PathBuf,
        /// Scratch indexes, one per build of vanban and of the dictionaries (reused when unchanged).
        #[arg(long, default_value = "target/eval-scans")]
        work: PathBuf,
        /// OCR worker threads [default: number of cores]
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Ingest every PDF of the real scans (as a clerk's archive), not only the gold pages' files.
        #[arg(long)]
        whole_archive: bool,
        /// Also list the misses of the development pages (held-out pages stay aggregate).
        #[arg(long)]
        verbose: bool,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The neural line reader against Tesseract on the transcribed real pages, and its
    /// digit accuracy on the handwritten number and day fields.
    Neural {
        #[arg(long, default_value = "../shared/real-scans")]
        real_scans: PathBuf,
        /// Digit crops: pdf, page, left, top, width, height, digits, field [default: tests/gold/digit-crops.tsv of the source tree]
        #[arg(long)]
        crops: Option<PathBuf>,
        /// Print every line where the readers differ and every crop's candidates.
        #[arg(long)]
        verbose: bool,
    },
}

pub fn run(cmd: &EvalCommand, global: &Global) -> anyhow::Result<i32> {
    match cmd {
        EvalCommand::Repair { corpus, max_files, max_lines, ocr_pages, ocr_cache, legacy_sample, reference, held_out_legacy, verbose, output } => {
            let options = crate::repair::eval::EvalOptions {
                max_files: *max_files,
                max_lines_per_file: *max_lines,
                ocr_pages: *ocr_pages,
                ocr_cache: ocr_cache.clone(),
            };
            let real = crate::repair::eval::RealSample {
                text: legacy_sample.clone(),
                reference: reference
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold/legacy-sample-reference.tsv")),
                verbose: *verbose,
            };
            let (mut figures, notes) = crate::repair::eval::run(corpus, &global.dict_dir(), &options, Some(&real))?;
            // (f): the held-out legacy sample of our own documents (tests/gold/held-out-legacy).
            let held_out = held_out_legacy.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold/held-out-legacy"));
            let repairer = crate::repair::Repairer::load(&global.dict_dir())?;
            figures.extend(crate::eval::legacy::figures(&repairer, &held_out)?);
            output.print(&figures);
            for note in notes {
                println!("{note}");
            }
            Ok(super::EXIT_OK)
        }
        EvalCommand::Neural { real_scans, crops, verbose } => crate::ocr::neural::eval::run(&crate::ocr::neural::eval::Options {
            real_scans: real_scans.clone(),
            dict: global.dict_dir(),
            crops: crops.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold/digit-crops.tsv")),
            verbose: *verbose,
        }),
        EvalCommand::Cite { corpus, gold, shared, verbose, output } => {
            let gold = gold.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold"));
            let dict = global.dict_dir();
            let repairer = match crate::repair::Repairer::load(&dict) {
                Ok(r) => Some(r),
                Err(err) => {
                    eprintln!("vanban: warning: no repairer ({err:#}); after-repair figures skipped");
                    None
                }
            };
            let damage = match crate::cite::damage::ChannelDamage::load(&dict, "eng") {
                Ok(d) => Some(d),
                Err(err) => {
                    eprintln!("vanban: warning: {err:#}; the learned-channel figures are skipped");
                    None
                }
            };
            let report = crate::cite::eval::run(&crate::cite::eval::Inputs {
                gold_dir: &gold,
                shared_dir: shared,
                corpus_dir: Some(corpus),
                repairer: repairer.as_ref(),
                damage: damage.as_ref(),
            })?;
            output.print(&report.figures());
            for note in &report.notes {
                println!("note: {note}");
            }
            if *verbose {
                println!("\nErrors of the development sets (held-out sets are printed only in aggregate):\n{}", report.errors());
            }
            Ok(super::EXIT_OK)
        }
        EvalCommand::Scans { scans, work, jobs, whole_archive, verbose, output } => {
            let jobs = jobs.map(usize::from).unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let options = crate::eval::scans::ScanOptions {
                scans: scans.clone(),
                plan: crate::eval::scans::IngestPlan { work: work.clone(), dict: global.dict_dir(), jobs, whole_archive: *whole_archive },
            };
            let (figures, cases, scores, ingested) = crate::eval::scans::evaluate(&options)?;
            eprintln!(
                "vanban: real scans: {} gold pages; {} file(s) ingested now, {} reused from {}, {} failed",
                cases.len(),
                ingested.ingested,
                ingested.reused,
                ingested.index.display(),
                ingested.failed
            );
            output.print(&figures);
            if *verbose {
                println!("\nDevelopment pages, misses (held-out pages are printed only in aggregate):");
                print!("{}", crate::eval::scans::development_misses(&cases, &scores));
            }
            Ok(super::EXIT_OK)
        }
    }
}
