//! `vanban review`: the records a clerk should check (fields flagged, inferred from weak
//! evidence or empty; cited numbers corrected or unsure), most cited first, with a count.

use std::io::Write;

use super::{Global, EXIT_OK};
use crate::corrections::review::{self, Filter};
use crate::index::Archive;

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// Only records whose issuer contains this (case and diacritics ignored).
    #[arg(long)]
    pub issuer: Option<String>,
    /// Only records dated in this year.
    #[arg(long)]
    pub year: Option<u16>,
    /// One JSON array of items (record_id, source_path, number, type, date, issuer,
    /// cited_by, reasons[{field, label, why}]).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &ReviewArgs, global: &Global) -> anyhow::Result<i32> {
    let archive = Archive::open_read_only(&global.index)?;
    let items = review::list(&archive, &Filter { issuer: args.issuer.clone(), year: args.year })?;
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &items).map_err(std::io::Error::from).and_then(|()| writeln!(out))
    } else {
        (|| -> std::io::Result<()> {
            writeln!(out, "{} văn bản cần kiểm tra (sửa bằng `vanban fix SỐ_HOẶC_MÃ --number … --by TÊN`)", items.len())?;
            for (i, item) in items.iter().enumerate() {
                let number = item.number.as_deref().unwrap_or("(chưa có số)");
                let what = [item.doc_type.as_deref(), item.issuer.as_deref(), item.date.as_deref()];
                let what: Vec<&str> = what.into_iter().flatten().collect();
                writeln!(out, "\n{:>3}. {number} · {}  [được {} văn bản dẫn]", i + 1, what.join(" · "), item.cited_by)?;
                writeln!(out, "     {}  (mã {})", item.source_path, item.record_id)?;
                for reason in &item.reasons {
                    writeln!(out, "     - {}: {}", reason.label, reason.why)?;
                }
            }
            Ok(())
        })()
    };
    match written {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(EXIT_OK),
    }
}
