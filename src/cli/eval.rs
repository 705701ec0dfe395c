use std::path::{Path, PathBuf};

use super::Global;
use crate::eval::Figures;

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
    fn print(&self, figures: &Figures) {
        if self.json {
            println!("{}", figures.to_json());
        } else if self.markdown {
            print!("{}", figures.to_markdown());
        } else {
            print!("{}", figures.to_text());
        }
    }

    /// Notes (inputs skipped, misses) follow the table on stdout, or go to stderr when
    /// stdout is Markdown or JSON that a script or the README reads.
    fn notes(&self, notes: &[String]) {
        for note in notes {
            if self.json || self.markdown {
                eprintln!("{note}");
            } else {
                println!("{note}");
            }
        }
    }
}

/// The source tree's `tests/gold`, where the committed gold sets live.
fn gold_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold")
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
        /// The project's own development gold for the other Quảng Ngãi pages, scored as the
        /// extended development block [default: tests/gold/real-dev of the source tree]
        #[arg(long)]
        dev_gold: Option<PathBuf>,
        /// Skip the extended development block (only the 13 shared gold pages).
        #[arg(long)]
        no_extended: bool,
        /// Skip the block of tests/gold rendered as real-like scans (tests/gold/reallike).
        #[arg(long)]
        no_reallike: bool,
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
    /// Every figure: `eval repair`, `eval cite` and `eval scans` with their defaults, in
    /// one table, each line labelled development or held-out. The README's accuracy
    /// table is this command's `--markdown` output.
    All {
        /// The shared data folder (corpus/legal, samples/, real-scans/).
        #[arg(long, default_value = "../shared")]
        shared: PathBuf,
        /// Cache of rendered pages and OCR output (as `eval repair`).
        #[arg(long, default_value = "target/ocr-cache")]
        ocr_cache: PathBuf,
        /// Scratch indexes of the real scans (as `eval scans`).
        #[arg(long, default_value = "target/eval-scans")]
        work: PathBuf,
        /// OCR worker threads for the real scans [default: number of cores]
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Write the Markdown table into FILE (the README) between its two markers
        /// instead of printing it.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["markdown", "json"])]
        update_readme: Option<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
    },
}

/// What `eval repair` measures, as passed on its command line.
struct RepairInputs<'a> {
    corpus: &'a Path,
    options: crate::repair::eval::EvalOptions,
    real: crate::repair::eval::RealSample,
    held_out_legacy: PathBuf,
}

/// Lines (a)–(e) from the repair evaluation, then (f), the held-out legacy sample.
fn repair_figures(inputs: RepairInputs, global: &Global) -> anyhow::Result<(Figures, Vec<String>)> {
    let dict = global.dict_dir();
    let (mut figures, notes) = crate::repair::eval::run(inputs.corpus, &dict, &inputs.options, Some(&inputs.real))?;
    let repairer = crate::repair::Repairer::load(&dict)?;
    figures.extend(crate::eval::legacy::figures(&repairer, &inputs.held_out_legacy)?);
    Ok((figures, notes))
}

fn cite_report(corpus: &Path, gold: &Path, shared: &Path, global: &Global) -> anyhow::Result<crate::cite::eval::Report> {
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
    crate::cite::eval::run(&crate::cite::eval::Inputs {
        gold_dir: gold,
        shared_dir: shared,
        corpus_dir: Some(corpus),
        repairer: repairer.as_ref(),
        damage: damage.as_ref(),
    })
}

/// The project's development gold of the real scans (see its README).
fn dev_gold_dir() -> PathBuf {
    gold_dir().join("real-dev")
}

fn scans_figures(scans: &Path, work: &Path, jobs: Option<u16>, whole_archive: bool, dev_gold: Option<PathBuf>, reallike: bool, global: &Global) -> anyhow::Result<crate::eval::scans::Evaluation> {
    let jobs = jobs.map(usize::from).unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = crate::eval::scans::ScanOptions {
        scans: scans.to_owned(),
        plan: crate::eval::scans::IngestPlan { work: work.to_owned(), dict: global.dict_dir(), jobs, whole_archive },
        dev_gold,
        reallike: reallike.then(gold_dir),
    };
    let run = crate::eval::scans::evaluate(&options)?;
    report_ingest(&format!("real scans: {} gold pages", run.cases.len()), &run.ingested);
    if let Some(ext) = &run.extended {
        let what = format!("extended development set: {} gold pages", ext.cases.len());
        match &ext.ingested {
            Some(i) => report_ingest(&what, i),
            None => eprintln!("vanban: {what}, scored on the same index"),
        }
    }
    if let Some(r) = &run.reallike {
        report_ingest(&format!("tests/gold real-like scans: {} documents", r.cases.len()), &r.ingested);
    }
    Ok(run)
}

/// One line on stderr of what an evaluation's scratch ingest did, so a slow run shows why.
fn report_ingest(what: &str, i: &crate::eval::scans::Ingested) {
    eprintln!("vanban: {what}; {} file(s) ingested now, {} reused from {}, {} failed", i.ingested, i.reused, i.index.display(), i.failed);
}

pub fn run(cmd: &EvalCommand, global: &Global) -> anyhow::Result<i32> {
    match cmd {
        EvalCommand::Repair { corpus, max_files, max_lines, ocr_pages, ocr_cache, legacy_sample, reference, held_out_legacy, verbose, output } => {
            let inputs = RepairInputs {
                corpus,
                options: crate::repair::eval::EvalOptions {
                    max_files: *max_files,
                    max_lines_per_file: *max_lines,
                    ocr_pages: *ocr_pages,
                    ocr_cache: ocr_cache.clone(),
                },
                real: crate::repair::eval::RealSample {
                    text: legacy_sample.clone(),
                    reference: reference.clone().unwrap_or_else(|| gold_dir().join("legacy-sample-reference.tsv")),
                    verbose: *verbose,
                },
                held_out_legacy: held_out_legacy.clone().unwrap_or_else(|| gold_dir().join("held-out-legacy")),
            };
            let (figures, notes) = repair_figures(inputs, global)?;
            output.print(&figures);
            output.notes(&notes);
            Ok(super::EXIT_OK)
        }
        EvalCommand::Neural { real_scans, crops, verbose } => crate::ocr::neural::eval::run(&crate::ocr::neural::eval::Options {
            real_scans: real_scans.clone(),
            dict: global.dict_dir(),
            crops: crops.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold/digit-crops.tsv")),
            verbose: *verbose,
        }),
        EvalCommand::Cite { corpus, gold, shared, verbose, output } => {
            let gold = gold.clone().unwrap_or_else(gold_dir);
            let report = cite_report(corpus, &gold, shared, global)?;
            output.print(&report.figures());
            output.notes(&report.notes.iter().map(|n| format!("note: {n}")).collect::<Vec<_>>());
            if *verbose {
                println!("\nErrors of the development sets (held-out sets are printed only in aggregate):\n{}", report.errors());
            }
            Ok(super::EXIT_OK)
        }
        EvalCommand::Scans { scans, work, jobs, whole_archive, dev_gold, no_extended, no_reallike, verbose, output } => {
            let dev_gold = (!*no_extended).then(|| dev_gold.clone().unwrap_or_else(dev_gold_dir));
            let run = scans_figures(scans, work, *jobs, *whole_archive, dev_gold, !*no_reallike, global)?;
            output.print(&run.figures);
            if *verbose {
                println!("\nDevelopment pages, misses (held-out pages are printed only in aggregate):");
                print!("{}", crate::eval::scans::development_misses(&run.cases, &run.scores));
                if let Some(ext) = &run.extended {
                    println!("\nExtended development set, misses:");
                    print!("{}", crate::eval::scans::development_misses(&ext.cases, &ext.scores));
                }
                if let Some(r) = &run.reallike {
                    println!("\ntests/gold real-like scans, misses:");
                    print!("{}", crate::eval::scans::development_misses(&r.cases, &r.scores));
                }
            }
            Ok(super::EXIT_OK)
        }
        EvalCommand::All { shared, ocr_cache, work, jobs, update_readme, output } => {
            // The same inputs and defaults as the three subcommands, so that each line here
            // is the line its own subcommand prints.
            let corpus = shared.join("corpus/legal");
            let inputs = RepairInputs {
                corpus: &corpus,
                options: crate::repair::eval::EvalOptions { max_files: None, max_lines_per_file: 400, ocr_pages: 12, ocr_cache: ocr_cache.clone() },
                real: crate::repair::eval::RealSample {
                    text: shared.join("samples/legacy-ocr-plan-2024.txt"),
                    reference: gold_dir().join("legacy-sample-reference.tsv"),
                    verbose: false,
                },
                held_out_legacy: gold_dir().join("held-out-legacy"),
            };
            let (mut figures, mut notes) = repair_figures(inputs, global)?;
            let cite = cite_report(&corpus, &gold_dir(), shared, global)?;
            figures.extend(cite.figures());
            notes.extend(cite.notes.iter().map(|n| format!("note: {n}")));
            let scans = shared.join("real-scans");
            if scans.join("gold").is_dir() {
                figures.extend(scans_figures(&scans, work, *jobs, false, Some(dev_gold_dir()), true, global)?.figures);
            } else {
                notes.push(format!("note: {} not found: the real-scan figures are skipped", scans.join("gold").display()));
            }
            match update_readme {
                Some(path) => {
                    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
                    let updated = crate::eval::readme::replace_table(&text, &figures.to_markdown()).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    std::fs::write(path, updated).map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
                    eprintln!("vanban: {} figures written into {}", figures.figures.len(), path.display());
                    output.notes(&notes);
                }
                None => {
                    output.print(&figures);
                    output.notes(&notes);
                }
            }
            Ok(super::EXIT_OK)
        }
    }
}
