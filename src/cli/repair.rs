use std::path::PathBuf;

use super::{Global, EXIT_OK};
use crate::repair::Repairer;

#[derive(Debug, clap::Args)]
pub struct RepairArgs {
    /// Text file to repair [default: standard input]
    pub file: Option<PathBuf>,
    /// Print the repaired text and every correction as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &RepairArgs, global: &Global) -> anyhow::Result<i32> {
    let text = super::read_text_input(args.file.as_deref())?;
    let repairer = Repairer::load(&global.dict_dir())?;
    let repaired = repairer.repair(&text);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&repaired)?);
    } else {
        print!("{}", repaired.text);
    }
    Ok(EXIT_OK)
}
