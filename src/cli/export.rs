use std::path::PathBuf;

use super::Global;

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
}

pub fn run(args: &ExportArgs, global: &Global) -> anyhow::Result<i32> {
    let _ = (args, global);
    anyhow::bail!("export is not written yet")
}
