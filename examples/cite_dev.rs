//! Development loop for citations on the real scans without re-running OCR: reads the
//! records of an `eval scans` scratch index (target/eval-scans/dev-extended-*/index),
//! extracts the citations again from their repaired and raw text with this build (the
//! archive's own numbers known, as at ingest), and prints the extended development block's
//! citation figures and each page's misses, extras and corrections (development pages only).
//!
//!     cargo run --release --example cite_dev -- INDEX [SCANS] [DEV_GOLD]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use vanban::eval::scans;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let index = Path::new(&args[1]);
    // A text file instead: print what is extracted from it (one citation a line).
    if index.is_file() {
        let authority = vanban::authority::Authority::load(Path::new("dictionaries"))?;
        let text = std::fs::read_to_string(index)?;
        for c in vanban::cite::extract_with(&text, &authority).citations {
            println!("{} | {:?} | {:?} | {:?} | {:?} | {:?} | {:?}", c.doc_type, c.id.map(|i| i.to_string()), c.name, c.date, c.issuer, c.raw, c.correction.map(|k| k.reason));
        }
        return Ok(());
    }
    let scans_dir = PathBuf::from(args.get(2).map_or("/work/shared/real-scans", String::as_str));
    let dev_gold = PathBuf::from(args.get(3).map_or("tests/gold/real-dev", String::as_str));
    let mut docs = vanban::index::Archive::open_read_only(index)?.records()?;
    let mut authority = vanban::authority::Authority::load(Path::new("dictionaries"))?;
    authority.add_known(docs.iter().filter_map(vanban::authority::KnownDoc::of_record).collect::<Vec<_>>());
    let mut records = BTreeMap::new();
    for doc in &mut docs {
        let extraction = vanban::cite::extract_both_with(&doc.full_text(), &doc.raw_full_text(), &authority);
        doc.citations = extraction.citations;
        let path = PathBuf::from(&doc.source_path);
        records.insert(path.canonicalize().unwrap_or(path), doc.clone());
    }
    // CITE_DEV_DUMP=FILE: every record's source and citations as JSON lines (for the
    // turned copies' index, which has no gold cases of its own).
    if let Ok(dump) = std::env::var("CITE_DEV_DUMP") {
        let lines: Vec<String> = records.values().map(|d| serde_json::json!({"source_path": d.source_path, "citations": d.citations}).to_string()).collect();
        std::fs::write(dump, lines.join("\n"))?;
    }
    let cases = scans::load_dev_cases(&scans_dir, &dev_gold)?;
    let scores: Vec<_> = cases
        .iter()
        .map(|case| {
            let canonical = case.pdf.canonicalize().unwrap_or_else(|_| case.pdf.clone());
            scans::score_page(case, records.get(&canonical))
        })
        .collect();
    print!("{}", scans::development_misses(&cases, &scores));
    for f in scans::extended_figures(&cases, &scores).figures.iter().filter(|f| f.key.starts_with("cite.")) {
        println!("{:50} {:.3} {:?}", f.name, f.value.get(), f.value);
    }
    Ok(())
}
