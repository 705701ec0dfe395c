//! The `vanban` command: parses the command line and hands over to `vanban::cli`.

use clap::Parser;

fn main() {
    vanban::cli::ensure_single_threaded_tesseract();
    let cli = vanban::cli::Cli::parse();
    std::process::exit(vanban::cli::run(cli));
}
