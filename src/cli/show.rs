//! `vanban show`: one record, for a clerk (metadata, citations, repaired text) or as the
//! record's JSON (`--json`, the `record::Document` schema, documented in `docs/json.md`).

use std::io::Write;

use super::{Global, EXIT_OK};
use crate::index::Archive;
use crate::record::Document;

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Document number, record id or source path.
    pub key: String,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &ShowArgs, global: &Global) -> anyhow::Result<i32> {
    let archive = Archive::open_read_only(&global.index)?;
    let found = archive.find(&args.key)?;
    let doc = match found.as_slice() {
        [] => anyhow::bail!(
            "no record has the id, source path or number “{}”; try `vanban search {:?}`",
            args.key,
            args.key
        ),
        [doc] => doc,
        several => {
            let ids: Vec<String> = several.iter().map(|d| format!("  {}  {}", d.id, d.source_path)).collect();
            anyhow::bail!(
                "{} records match “{}”; show one by its record id:\n{}",
                several.len(),
                args.key,
                ids.join("\n")
            )
        }
    };
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, doc).map_err(std::io::Error::from).and_then(|()| writeln!(out))
    } else {
        write_human(&mut out, doc, &archive)
    };
    match written {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(EXIT_OK),
    }
}

fn write_human(out: &mut dyn Write, doc: &Document, archive: &Archive) -> std::io::Result<()> {
    let meta = &doc.metadata;
    let id = meta.id.as_ref().map(|id| id.to_string());
    let issuer = match (&meta.parent_issuer, &meta.issuer) {
        (Some(parent), Some(issuer)) => Some(format!("{issuer} ({parent})")),
        (_, issuer) => issuer.clone(),
    };
    let signer = match (&meta.signer_title, &meta.signer) {
        (Some(title), Some(name)) => Some(format!("{name}, {title}")),
        (_, name) => name.clone(),
    };
    let rows: [(&str, Option<String>); 12] = [
        ("Number", id.or_else(|| meta.number_raw.clone())),
        ("Type", meta.doc_type.clone()),
        ("Issuer", issuer),
        ("Place", meta.place.clone()),
        ("Date", meta.date.clone()),
        ("Subject", meta.subject.clone()),
        ("Signer", signer),
        ("Recipients", (!meta.recipients.is_empty()).then(|| meta.recipients.join("; "))),
        ("Source", Some(format!("{} ({:?}, {} page(s))", doc.source_path, doc.source_kind, doc.pages.len()))),
        ("Record", Some(doc.id.clone())),
        ("SHA-256", Some(doc.sha256.clone())),
        ("Flags", (!meta.flags.is_empty()).then(|| meta.flags.join("; "))),
    ];
    for (label, value) in rows {
        // A header field that was inferred or needs review says so under its value.
        let field = match label {
            "Number" => Some(crate::header::FieldName::Number),
            "Type" => Some(crate::header::FieldName::DocType),
            "Issuer" => Some(crate::header::FieldName::Issuer),
            "Date" => Some(crate::header::FieldName::Date),
            "Subject" => Some(crate::header::FieldName::Subject),
            _ => None,
        };
        let note = field.and_then(|f| meta.evidence.get(f)).and_then(|e| e.note());
        match (value, note) {
            (Some(value), note) => {
                writeln!(out, "{label:<11} {value}")?;
                if let Some(note) = note {
                    writeln!(out, "{:<11} ↳ {note}", "")?;
                }
            }
            (None, Some(note)) => writeln!(out, "{label:<11} — ({note})")?,
            (None, None) => {}
        }
    }
    for applied in &doc.corrected {
        writeln!(out, "{:<11} {}", "Corrected", applied.describe_vi())?;
    }
    for line in crate::pdf::signature::summary_lines(&doc.signatures) {
        let repeat = if line.times > 1 { format!(" (×{})", line.times) } else { String::new() };
        writeln!(out, "{}{repeat}", line.text)?;
    }
    for warning in &doc.warnings {
        writeln!(out, "Warning     {warning}")?;
    }
    writeln!(out, "\nCitations ({})", doc.citations.len())?;
    for c in &doc.citations {
        let cited = c.id.as_ref().map(|id| id.to_string()).or_else(|| c.name.clone()).unwrap_or_default();
        let named = if cited.starts_with(&c.doc_type) { cited } else { format!("{} {cited}", c.doc_type) };
        let mut line = format!("  p.{} l.{}  {}: {named}", c.page, c.line, c.relation.label());
        for extra in [&c.date, &c.issuer].into_iter().flatten() {
            line.push_str(&format!(", {extra}"));
        }
        if let Some(subject) = &c.subject {
            line.push_str(&format!(" — {subject}"));
        }
        let held = match &c.id {
            Some(id) => archive.paths_of_number(id.as_str()).unwrap_or_default(),
            None => Vec::new(),
        };
        if !held.is_empty() {
            line.push_str(&format!("  [in the archive: {}]", held.join(", ")));
        }
        writeln!(out, "{line}")?;
        if let Some(note) = citation_check(c) {
            writeln!(out, "{:<12}↳ {note}", "")?;
        }
    }
    for page in &doc.pages {
        let source = if page.source == crate::record::PageSource::TextLayer { " (the PDF's own text, not OCR'd)" } else { "" };
        writeln!(out, "\n── page {}{source} ──", page.number)?;
        writeln!(out, "{}", page.repaired_text.trim_end())?;
        if let Some(layer) = page.layer.as_ref().filter(|l| !l.evidence.is_empty()) {
            let words: Vec<&str> = layer.evidence.iter().map(|w| w.text.as_str()).collect();
            writeln!(out, "[the PDF's text layer on this page (signature box, stamps): {}]", words.join(" "))?;
        }
    }
    Ok(())
}

/// What a clerk should check in a citation, in Vietnamese, when anything: a number changed
/// from what the page prints (or kept with rival readings), and fields taken from other
/// documents rather than read in the sentence.
fn citation_check(c: &crate::cite::Citation) -> Option<String> {
    let mut checks = Vec::new();
    let shown = c.id.as_ref().map(|i| i.to_string()).unwrap_or_default();
    if let Some(fix) = c.correction.as_ref().filter(|f| f.needs_review || f.printed != shown) {
        let others: Vec<&str> = fix.candidates.iter().map(String::as_str).filter(|k| *k != fix.printed && *k != shown).collect();
        let mut note = format!("trên trang in “{}”", fix.printed);
        if !others.is_empty() {
            note.push_str(&format!("; khả năng: {}", others.join(", ")));
        }
        checks.push(note);
    }
    if !c.inferred.is_empty() {
        let fields: Vec<&str> = c
            .inferred
            .iter()
            .map(|f| match f.as_str() {
                "date" => "ngày",
                "type" => "loại văn bản",
                "issuer" => "cơ quan ban hành",
                other => other,
            })
            .collect();
        checks.push(format!("lấy từ văn bản khác: {}", fields.join(", ")));
    }
    if checks.is_empty() {
        return None;
    }
    let verb = if c.correction.as_ref().is_some_and(|f| f.needs_review) || !c.review.is_empty() { "cần kiểm tra" } else { "đã sửa" };
    Some(format!("{verb}: {}", checks.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::citation_check;
    use crate::cite::{Citation, IdCorrection};

    /// A correction the archive pass made and left for review.
    fn flagged(printed: &str, candidates: &[&str]) -> IdCorrection {
        IdCorrection {
            printed: printed.into(),
            reason: String::new(),
            confidence: 0.6,
            candidates: candidates.iter().map(|c| (*c).to_owned()).collect(),
            needs_review: true,
            from_archive: true,
        }
    }

    fn cited(id: &str) -> Citation {
        Citation { id: crate::cite::DocId::parse(id), ..Citation::default() }
    }

    #[test]
    fn a_number_changed_from_the_page_shows_what_the_page_prints() {
        let mut c = cited("1488/TTT-VP");
        c.correction = Some(flagged("1466/TTT-VP", &["1488/TTT-VP", "1466/TTT-VP"]));
        c.inferred = vec!["date".into()];
        assert_eq!(citation_check(&c).as_deref(), Some("cần kiểm tra: trên trang in “1466/TTT-VP”; lấy từ văn bản khác: ngày"));
    }

    #[test]
    fn a_number_kept_as_printed_with_a_rival_reading_names_the_rival() {
        let mut c = cited("759/QĐ-UBND");
        c.correction = Some(flagged("759/QĐ-UBND", &["759/QĐ-UBND", "789/QĐ-UBND"]));
        assert_eq!(citation_check(&c).as_deref(), Some("cần kiểm tra: trên trang in “759/QĐ-UBND”; khả năng: 789/QĐ-UBND"));
    }

    #[test]
    fn a_citation_read_as_printed_has_nothing_to_check() {
        assert_eq!(citation_check(&cited("30/2020/NĐ-CP")), None);
    }
}
