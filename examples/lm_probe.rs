//! Prints log10 P(w | u v) of each word of each line given on standard input (lower case,
//! words as the model spells them), for judging what the repair's language model prefers.
//!
//!     echo "trên địa bàn tỉnh" | cargo run --release --example lm_probe -- [dictionaries]
use std::io::BufRead;
use std::path::Path;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "dictionaries".into());
    let lm = vanban::repair::lm::LanguageModel::load(Path::new(&dir))?;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let (mut u, mut v) = (vanban::repair::token::BOS, vanban::repair::token::BOS);
        let mut total = 0.0;
        let mut shown = Vec::new();
        for word in line.split_whitespace() {
            let w = lm.id(word).unwrap_or(vanban::repair::token::UNK);
            let p = lm.logp(u, v, w);
            total += p;
            shown.push(format!("{word}:{p:.2}"));
            (u, v) = (v, w);
        }
        println!("{total:8.2}  {}", shown.join(" "));
    }
    Ok(())
}
