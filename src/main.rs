//! The `vanban` command: parses the command line and hands over to `vanban::cli`.

use clap::Parser;

fn main() {
    vanban::cli::ensure_single_threaded_tesseract();
    let args = vanban::cli::search::hyphen_words_to_query(std::env::args_os().collect());
    let cli = vanban::cli::Cli::parse_from(args);
    std::process::exit(vanban::cli::run(cli));
}
