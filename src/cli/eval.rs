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
    },
    /// Citation precision/recall/F1 and metadata accuracy on the gold set.
    Cite {
        #[arg(long, default_value = "../shared/corpus/legal")]
        corpus: PathBuf,
    },
}

pub fn run(cmd: &EvalCommand, global: &Global) -> anyhow::Result<i32> {
    match cmd {
        EvalCommand::Repair { corpus, max_files, max_lines } => {
            crate::repair::eval::run(corpus, &global.dict_dir(), *max_files, *max_lines)
        }
        EvalCommand::Cite { .. } => anyhow::bail!("eval cite is not written yet"),
    }
}
