use std::path::PathBuf;

use super::{Global, EXIT_OK};

#[derive(Debug, clap::Subcommand)]
pub enum DictCommand {
    /// Rebuild dictionaries/ from a corpus of correctly accented text.
    Build {
        /// Corpus folder (Markdown files with front matter).
        #[arg(long, default_value = "../shared/corpus/legal")]
        corpus: PathBuf,
        /// Output folder [default: the --dict folder]
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub fn run(cmd: &DictCommand, global: &Global) -> anyhow::Result<i32> {
    match cmd {
        DictCommand::Build { corpus, out } => {
            let out = out.clone().unwrap_or_else(|| global.dict_dir());
            crate::repair::build::build(corpus, &out)?;
        }
    }
    Ok(EXIT_OK)
}
