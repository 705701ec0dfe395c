use std::path::PathBuf;

use super::Global;

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
        /// Print every reference phrase the repair gets wrong.
        #[arg(long)]
        verbose: bool,
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
        /// Print every missed and extra citation.
        #[arg(long)]
        verbose: bool,
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
        /// Print the figures as Markdown table rows (the README's accuracy table).
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
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
        EvalCommand::Repair { corpus, max_files, max_lines, ocr_pages, ocr_cache, legacy_sample, reference, verbose } => {
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
            crate::repair::eval::run(corpus, &global.dict_dir(), &options, Some(&real))
        }
        EvalCommand::Neural { real_scans, crops, verbose } => crate::ocr::neural::eval::run(&crate::ocr::neural::eval::Options {
            real_scans: real_scans.clone(),
            dict: global.dict_dir(),
            crops: crops.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold/digit-crops.tsv")),
            verbose: *verbose,
        }),
        EvalCommand::Cite { corpus, gold, shared, verbose } => {
            let gold = gold.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold"));
            let repairer = match crate::repair::Repairer::load(&global.dict_dir()) {
                Ok(r) => Some(r),
                Err(err) => {
                    eprintln!("vanban: warning: no repairer ({err:#}); after-repair figures skipped");
                    None
                }
            };
            let report = crate::cite::eval::run(&crate::cite::eval::Inputs {
                gold_dir: &gold,
                shared_dir: shared,
                corpus_dir: Some(corpus),
                repairer: repairer.as_ref(),
            })?;
            print!("{report}");
            if *verbose {
                println!("\nErrors:\n{}", report.errors());
            }
            Ok(super::EXIT_OK)
        }
        EvalCommand::Scans { scans, work, jobs, whole_archive, verbose, markdown, json } => {
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
            if *json {
                println!("{}", figures.to_json());
            } else if *markdown {
                print!("{}", figures.to_markdown());
            } else {
                print!("{}", figures.to_text());
            }
            if *verbose {
                println!("\nDevelopment pages, misses (held-out pages are printed only in aggregate):");
                print!("{}", crate::eval::scans::development_misses(&cases, &scores));
            }
            Ok(super::EXIT_OK)
        }
    }
}
