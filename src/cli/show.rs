use super::Global;

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Document number, record id or source path.
    pub key: String,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &ShowArgs, global: &Global) -> anyhow::Result<i32> {
    let _ = (args, global);
    anyhow::bail!("show is not written yet")
}
