use std::path::PathBuf;

use super::Global;

#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Syllable accuracy of repair on held-out corpus files.
    Repair {
        #[arg(long, default_value = "../shared/corpus/legal")]
        corpus: PathBuf,
    },
    /// Citation precision/recall/F1 and metadata accuracy on the gold set.
    Cite {
        #[arg(long, default_value = "../shared/corpus/legal")]
        corpus: PathBuf,
    },
}

pub fn run(cmd: &EvalCommand, _global: &Global) -> anyhow::Result<i32> {
    match cmd {
        EvalCommand::Repair { .. } => anyhow::bail!("eval repair is not written yet"),
        EvalCommand::Cite { .. } => anyhow::bail!("eval cite is not written yet"),
    }
}
