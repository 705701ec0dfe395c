use std::path::PathBuf;

use super::{Global, EXIT_OK};

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Text file [default: standard input]
    pub file: Option<PathBuf>,
    /// Print `{"document": …, "citations": […]}` as JSON.
    #[arg(long)]
    pub json: bool,
    /// FILE is a stored record (`INDEX/records/ID.json`): extract again from its repaired
    /// and raw OCR text, as ingest does, without OCR (to see what a new build of the
    /// extractor makes of pages already read).
    #[arg(long)]
    pub record: bool,
}

pub fn run(args: &ExtractArgs, global: &Global) -> anyhow::Result<i32> {
    let extraction = if args.record {
        use anyhow::Context;
        let path = args.file.as_deref().context("--record needs the record's file")?;
        let json = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        let record: crate::record::Document = serde_json::from_str(&json).with_context(|| format!("{}: not a vanban record", path.display()))?;
        let authority = crate::authority::Authority::load(&global.dict_dir())?;
        let mut extraction = crate::cite::extract_both_with(&record.full_text(), &record.raw_full_text(), &authority);
        crate::cite::from_rereads(&mut extraction.citations, &record.rereads());
        extraction
    } else {
        let text = super::read_text_input(args.file.as_deref())?;
        crate::cite::extract(&text)
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&extraction)?);
    } else {
        let doc = &extraction.document;
        let field = |v: &Option<String>| v.clone().unwrap_or_else(|| "?".to_owned());
        println!(
            "document: {} {} of {}, {}",
            field(&doc.doc_type),
            doc.id.as_ref().map(|d| d.as_str()).unwrap_or("(no number found)"),
            field(&doc.issuer),
            field(&doc.date)
        );
        for flag in &doc.flags {
            println!("  note: {flag}");
        }
        println!("cites {}:", extraction.citations.len());
        for c in &extraction.citations {
            // A law cited by name already begins with its type ("Luật Đầu tư công").
            let title = match (&c.id, &c.name) {
                (Some(id), Some(name)) => format!("{name} {id}"),
                (Some(id), None) => format!("{} {id}", c.doc_type),
                (None, Some(name)) => name.clone(),
                (None, None) => c.doc_type.clone(),
            };
            let date = c.date.as_deref().unwrap_or("");
            println!("  p{} l{}\t{}\t{}\t{}", c.page, c.line, c.relation.label(), title, date);
        }
    }
    Ok(EXIT_OK)
}
