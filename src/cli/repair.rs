use std::path::PathBuf;

use super::{Global, EXIT_OK};
use crate::repair::Repairer;

#[derive(Debug, clap::Args)]
pub struct RepairArgs {
    /// Text file to repair [default: standard input]
    pub file: Option<PathBuf>,
    /// Print the repaired text and every correction (original → corrected, confidence,
    /// runner-up) as JSON, for review of doubtful words.
    #[arg(long)]
    pub json: bool,
    /// Tone placement of repaired words: `official` (hòa, ủy, thủy, khóa — as in the
    /// templates of Decree 30/2020/NĐ-CP; the default) or `modern` (hoà, uỷ, thuỷ, khoá).
    #[arg(long, value_enum, default_value_t = Style::Official)]
    pub style: Style,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Style {
    /// hòa, ủy, thủy, khóa: the placement of current official documents.
    #[value(alias = "old", alias = "traditional")]
    Official,
    /// hoà, uỷ, thuỷ, khoá: the tone on the main vowel (1980s spelling rules).
    #[value(alias = "new")]
    Modern,
}

pub fn run(args: &RepairArgs, global: &Global) -> anyhow::Result<i32> {
    let text = super::read_text_input(args.file.as_deref())?;
    let style = match args.style {
        Style::Official => crate::viet::ToneStyle::Old,
        Style::Modern => crate::viet::ToneStyle::New,
    };
    let repairer = Repairer::load(&global.dict_dir())?.with_style(style);
    let repaired = repairer.repair(&text);
    let output = if args.json { serde_json::to_string_pretty(&repaired)? + "\n" } else { repaired.text };
    write_stdout(&output)?;
    Ok(EXIT_OK)
}

/// Writes to standard output; a reader that stops early (`| head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(anyhow::Error::new(e).context("writing standard output")),
        _ => Ok(()),
    }
}
