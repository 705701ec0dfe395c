use super::Global;

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// A document number (25-NQ/TW) or words, with or without diacritics.
    pub query: String,
    #[arg(long)]
    pub json: bool,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
}

pub fn run(args: &SearchArgs, global: &Global) -> anyhow::Result<i32> {
    let _ = (args, global);
    anyhow::bail!("search is not written yet")
}
