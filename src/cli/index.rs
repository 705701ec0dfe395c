//! `vanban index build --records DIR…`: the index from the record folders that
//! `vanban ingest --records-out` wrote (one per shard, or one shared), for an archive
//! ingested on many machines. See `index::build`.

use std::path::PathBuf;

use super::{Global, EXIT_OK, EXIT_SOME_FILES_FAILED};

#[derive(Debug, clap::Subcommand)]
pub enum IndexCommand {
    /// Build or update the index (--index) from record folders: new and changed records
    /// are added, records no folder holds any more are dropped; safe to rerun.
    Build(BuildArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Record folders written by `vanban ingest --records-out` (one or more).
    #[arg(long, required = true, num_args = 1.., value_name = "DIR")]
    pub records: Vec<PathBuf>,
}

/// Exit status: 0 when every record was read, 3 when some could not be (each named on
/// stderr; the index keeps what it had for them), 1 when the build could not run.
pub fn run(command: &IndexCommand, global: &Global) -> anyhow::Result<i32> {
    match command {
        IndexCommand::Build(args) => build(args, global),
    }
}

fn build(args: &BuildArgs, global: &Global) -> anyhow::Result<i32> {
    let built = crate::index::build::build(&global.index, &args.records, &global.dict_dir(), |done, total| {
        eprintln!("vanban: index build: {done}/{total} records");
    })?;
    for (path, reason) in &built.failed {
        eprintln!("vanban: {}: {}", crate::fsx::shown(path), crate::fsx::one_line(reason));
    }
    let seconds = built.elapsed.as_secs_f64();
    let rate = if seconds > 0.0 { (built.added + built.changed) as f64 / seconds } else { 0.0 };
    println!(
        "indexed {} new and {} changed record(s), {} unchanged, {} dropped (no folder holds them), {} failed, in {:.1} s ({:.0} records/s)",
        built.added,
        built.changed,
        built.unchanged,
        built.removed,
        built.failed.len(),
        seconds,
        rate
    );
    if built.superseded > 0 {
        println!("{} older version(s) of changed sources passed over", built.superseded);
    }
    if built.citations_updated > 0 {
        println!("{} record(s) whose citations the whole archive completed", built.citations_updated);
    }
    if built.dates_updated > 0 {
        println!("{} document date(s) updated from the archive's citations", built.dates_updated);
    }
    Ok(if built.failed.is_empty() { EXIT_OK } else { EXIT_SOME_FILES_FAILED })
}
