//! Development loop for the repair on real scans without re-running OCR: reads the records
//! of an `eval scans` scratch index, repairs page 1's raw OCR again with the dictionaries
//! given, and scores it against the hand transcriptions of the DEVELOPMENT pages only
//! (`gold/quangngai/*.p1.txt`; the held-out nomvn pages are never read here).
//!
//!     cargo run --release --example repair_dev -- target/eval-scans/<dir>/index /work/shared/real-scans [dictionaries] [--diff]
//!
//! With `--diff`, every token the repaired text gets wrong is printed with what was
//! printed (raw) and what the transcription says, for reading the kinds of errors left;
//! with `--diff --context` also the repaired words around it.

use std::path::Path;

use vanban::record::Document;
use vanban::repair::eval::{edit_script, ser_tokens, syllable_errors, ErrorCount};

fn main() -> anyhow::Result<()> {
    // VANBAN_LOG=vanban::repair=trace prints each token's candidates and channel prices.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("VANBAN_LOG") {
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    }
    let args: Vec<String> = std::env::args().collect();
    let index = Path::new(&args[1]);
    let scans = Path::new(&args[2]);
    let dict = args.get(3).filter(|a| !a.starts_with("--")).map(String::as_str).unwrap_or("dictionaries");
    let diff = args.iter().any(|a| a == "--diff");
    let docs: Vec<Document> = vanban::index::Archive::open_read_only(index)?.records()?;
    let repairer = vanban::repair::Repairer::load(Path::new(dict))?;
    let (mut raw_total, mut stored_total, mut new_total) = (ErrorCount::default(), ErrorCount::default(), ErrorCount::default());
    for doc in docs {
        let name = Path::new(&doc.source_path).file_stem().unwrap().to_string_lossy().into_owned();
        // Development transcriptions only.
        let Ok(gold) = std::fs::read_to_string(scans.join("gold/quangngai").join(format!("{name}.p1.txt"))) else { continue };
        let Some(page) = doc.pages.first() else { continue };
        let ser = |t: &str| t.replace('²', "2").replace('³', "3");
        let repaired = repairer.repair(&page.raw_text);
        let (raw, stored, new) = (
            syllable_errors(&gold, &ser(&page.raw_text)),
            syllable_errors(&gold, &ser(&page.repaired_text)),
            syllable_errors(&gold, &ser(&repaired.text)),
        );
        raw_total.add(raw);
        stored_total.add(stored);
        new_total.add(new);
        println!(
            "== {name}: raw {:.2}%  stored {:.2}%  now {:.2}%  ({} syllables)",
            100.0 * raw.rate(),
            100.0 * stored.rate(),
            100.0 * new.rate(),
            raw.reference
        );
        if diff {
            let (g, h) = (ser_tokens(&gold), ser_tokens(&ser(&repaired.text)));
            let r = ser_tokens(&ser(&page.raw_text));
            let raw_set: std::collections::HashSet<&String> = r.iter().collect();
            let context = args.iter().any(|a| a == "--context");
            for (want, got, at) in misses(&g, &h) {
                if context {
                    // The repaired words around the miss, to judge what the model saw.
                    let around = h[at.saturating_sub(4)..(at + 4).min(h.len())].join(" ");
                    println!("   [{around}]");
                }
                let note = match &got {
                    Some(w) if raw_set.contains(w) => "",
                    Some(_) => "  [repair made]",
                    None => "",
                };
                println!("   {:<20} -> {}{}", want.as_deref().unwrap_or("∅"), got.as_deref().unwrap_or("∅"), note);
            }
        }
    }
    println!(
        "TOTAL raw {:.2}% ({}/{})  stored {:.2}% ({})  now {:.2}% ({})",
        100.0 * raw_total.rate(),
        raw_total.errors,
        raw_total.reference,
        100.0 * stored_total.rate(),
        stored_total.errors,
        100.0 * new_total.rate(),
        new_total.errors
    );
    Ok(())
}

/// The edit operations of a cheapest alignment: (reference token, hypothesis token), one
/// side `None` for an insertion or deletion, and where in the hypothesis it stands.
fn misses(a: &[String], b: &[String]) -> Vec<(Option<String>, Option<String>, usize)> {
    edit_script(a, b).into_iter().map(|e| (e.a.map(|i| a[i].clone()), e.b.map(|j| b[j].clone()), e.at)).collect()
}
