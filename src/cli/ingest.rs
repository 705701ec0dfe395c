use std::path::PathBuf;

use super::Global;

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Folder of scans (PNG, JPEG, TIFF, PDF) and OCR text files, searched recursively.
    pub dir: PathBuf,
    /// Worker threads [default: number of cores]
    #[arg(long)]
    pub jobs: Option<usize>,
}

pub fn run(args: &IngestArgs, global: &Global) -> anyhow::Result<i32> {
    let _ = (args, global);
    anyhow::bail!("ingest is not written yet")
}
