//! `vanban pdf KEY|--all --out DIR`: searchable PDFs of records (see `crate::export::pdf`).

use anyhow::Context;
use std::collections::HashSet;
use std::path::PathBuf;

use super::{Global, EXIT_OK, EXIT_SOME_FILES_FAILED};
use crate::export::pdf::{self, FontFile};
use crate::index::Archive;
use crate::record::{Document, SourceKind};

#[derive(Debug, clap::Args)]
pub struct PdfArgs {
    /// Document number, record id or source path [or --all].
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub key: Option<String>,
    /// Every record made from a scan (text inputs have no pages to show).
    #[arg(long)]
    pub all: bool,
    /// Folder the PDFs are written to (created if missing); each is named after its source.
    #[arg(long)]
    pub out: PathBuf,
}

/// Exit status 0 when every PDF was written, 3 when some record failed (each named on
/// stderr) and the others were written.
pub fn run(args: &PdfArgs, global: &Global) -> anyhow::Result<i32> {
    let archive = Archive::open_read_only(&global.index)?;
    let docs: Vec<Document> = match &args.key {
        Some(key) => {
            let found = archive.find(key)?;
            match found.len() {
                0 => anyhow::bail!("no record has the id, source path or number “{key}”; try `vanban search {key:?}`"),
                1 => found,
                n => {
                    let ids: Vec<String> = found.iter().map(|d| format!("  {}  {}", d.id, d.source_path)).collect();
                    anyhow::bail!("{n} records match “{key}”; give one record id:\n{}", ids.join("\n"))
                }
            }
        }
        None => archive.records()?.into_iter().filter(|d| d.source_kind != SourceKind::Text).collect(),
    };
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create the folder {}", args.out.display()))?;
    let font = FontFile::find()?;
    let mut names = HashSet::new();
    let mut failed = 0;
    for doc in &docs {
        let mut name = pdf::file_name(doc);
        if !names.insert(name.clone()) {
            // Two sources of the same name in different folders: the record id tells them apart.
            name = format!("{}-{}.pdf", name.trim_end_matches(".pdf"), doc.id);
            names.insert(name.clone());
        }
        match pdf::write(doc, &font, &args.out.join(&name)) {
            Ok(written) => println!(
                "{}: {} page(s), text on {}{}{}",
                written.path.display(),
                written.pages,
                written.text_pages,
                if written.layers_removed > 0 { format!(", {} old text layer(s) replaced", written.layers_removed) } else { String::new() },
                if written.pdfa { ", PDF/A-2b" } else { "" }
            ),
            Err(err) if args.key.is_some() => return Err(err),
            Err(err) => {
                failed += 1;
                eprintln!("vanban: {}: {err:#}", doc.source_path);
            }
        }
    }
    Ok(if failed > 0 { EXIT_SOME_FILES_FAILED } else { EXIT_OK })
}
