//! `vanban fix`: a clerk's correction from the shell, the same save as the web form's
//! (`crate::corrections::save`): checked, appended to the journal, indexed at once.

use std::io::Write;

use super::{Global, EXIT_OK};
use crate::corrections::{self, Edit, Field};
use crate::index::Archive;

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// Document number, record id or source path of the record to correct.
    pub key: String,
    /// The document's own number ("280/BC-UBND"); an empty value clears it.
    #[arg(long)]
    pub number: Option<String>,
    /// Date of issue: 26/11/2024, 2024-11-26 or "26 tháng 11 năm 2024".
    #[arg(long)]
    pub date: Option<String>,
    /// Document type ("Quyết định", "Báo cáo" …).
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    #[arg(long)]
    pub issuer: Option<String>,
    #[arg(long)]
    pub subject: Option<String>,
    #[arg(long)]
    pub signer: Option<String>,
    /// Adds a citation OCR missed (repeatable).
    #[arg(long = "cite-add", value_name = "NUMBER")]
    pub cite_add: Vec<String>,
    /// Deletes a false citation (repeatable).
    #[arg(long = "cite-del", value_name = "NUMBER")]
    pub cite_del: Vec<String>,
    /// Corrects a cited number (repeatable).
    #[arg(long = "cite-set", value_name = "OLD=NEW")]
    pub cite_set: Vec<String>,
    /// Sets the date of a citation (repeatable).
    #[arg(long = "cite-date", value_name = "NUMBER=DATE")]
    pub cite_date: Vec<String>,
    /// Sets the document type of a citation ("25-NQ/TW=Nghị quyết"; repeatable).
    #[arg(long = "cite-type", value_name = "NUMBER=TYPE")]
    pub cite_type: Vec<String>,
    /// Undoes the correction with this number (see --history).
    #[arg(long, value_name = "N")]
    pub undo: Option<u64>,
    /// Prints the record's corrections history instead of changing anything.
    #[arg(long)]
    pub history: bool,
    /// Who corrects (recorded in the journal) [default: $VANBAN_USER, else $USER].
    #[arg(long)]
    pub by: Option<String>,
}

pub fn run(args: &FixArgs, global: &Global) -> anyhow::Result<i32> {
    let record = {
        let archive = Archive::open_read_only(&global.index)?;
        let found = archive.find(&args.key)?;
        match found.as_slice() {
            [] => anyhow::bail!("no record has the id, source path or number “{}”; try `vanban search {:?}`", args.key, args.key),
            [doc] => doc.clone(),
            several => {
                let ids: Vec<String> = several.iter().map(|d| format!("  {}  {}", d.id, d.source_path)).collect();
                anyhow::bail!("{} records match “{}”; correct one by its record id:\n{}", several.len(), args.key, ids.join("\n"))
            }
        }
    };
    let mut out = std::io::stdout().lock();
    if args.history {
        let journal = corrections::Journal::read(&corrections::journal::path_in(&global.index))?;
        writeln!(out, "{}", record.source_path)?;
        for entry in journal.of_record(&record.id) {
            let undone = if journal.is_undone(&record.id, entry.seq) { "  [đã hoàn tác]" } else { "" };
            writeln!(out, "  #{:<4} {}  {}  {}{undone}", entry.seq, entry.at, entry.by, entry.change.describe_vi())?;
        }
        return Ok(EXIT_OK);
    }
    let by = args.by.clone().or_else(|| std::env::var("VANBAN_USER").ok()).or_else(|| std::env::var("USER").ok()).unwrap_or_default();
    let saved = match args.undo {
        Some(seq) => corrections::undo(&global.index, &record.id, seq, &by)?,
        None => {
            let edits = edits(args)?;
            if edits.is_empty() {
                anyhow::bail!("nothing to correct: give --number, --date, --type, --issuer, --subject, --signer, --cite-add, --cite-del, --cite-set, --cite-date, --cite-type or --undo");
            }
            let authority = crate::authority::Authority::load_or_builtin(&global.dict_dir())?;
            corrections::save(&global.index, &record.id, &by, &edits, &authority)?
        }
    };
    writeln!(out, "Đã lưu vào sổ sửa ({}):", saved.record.source_path)?;
    for entry in &saved.entries {
        writeln!(out, "  #{:<4} {}  {}  {}", entry.seq, entry.at, entry.by, entry.change.describe_vi())?;
    }
    Ok(EXIT_OK)
}

fn edits(args: &FixArgs) -> anyhow::Result<Vec<Edit>> {
    let mut edits = Vec::new();
    for (field, value) in [
        (Field::Number, &args.number),
        (Field::DocType, &args.doc_type),
        (Field::Date, &args.date),
        (Field::Issuer, &args.issuer),
        (Field::Subject, &args.subject),
        (Field::Signer, &args.signer),
    ] {
        if let Some(value) = value {
            edits.push(Edit::Set(field, value.clone()));
        }
    }
    edits.extend(args.cite_add.iter().cloned().map(Edit::CiteAdd));
    edits.extend(args.cite_del.iter().cloned().map(Edit::CiteDel));
    for pair in &args.cite_set {
        let (old, new) = split_pair(pair, "--cite-set", "OLD=NEW")?;
        edits.push(Edit::CiteSet(old, new));
    }
    for pair in &args.cite_date {
        let (number, date) = split_pair(pair, "--cite-date", "NUMBER=DATE")?;
        edits.push(Edit::CiteDate(number, date));
    }
    for pair in &args.cite_type {
        let (number, doc_type) = split_pair(pair, "--cite-type", "NUMBER=TYPE")?;
        edits.push(Edit::CiteType(number, doc_type));
    }
    Ok(edits)
}

fn split_pair(pair: &str, option: &str, shape: &str) -> anyhow::Result<(String, String)> {
    match pair.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() => Ok((a.trim().to_owned(), b.trim().to_owned())),
        _ => anyhow::bail!("{option} takes {shape}, not “{pair}”"),
    }
}
