//! The rows of the authority tables and their parsers (tab-separated, `#` comments).

use anyhow::{bail, Context, Result};
use std::collections::HashMap;

use crate::cite::DocId;

pub struct Sources {
    pub doc_types: String,
    pub organs: String,
    pub places: String,
    pub codes: String,
    pub documents: String,
    /// `laws.tsv`: names of laws cited in the legal corpus (may be empty).
    pub laws: String,
}

/// A document type and the code its numbers carry.
#[derive(Debug, Clone, PartialEq)]
pub struct DocType {
    /// As printed in numbers (`QĐ`, `TTr`); `None` for types without one (Công văn, Luật).
    pub code: Option<String>,
    /// "Quyết định".
    pub name: String,
    /// Which numbering systems use it: "state", "party", "legal" (normative, N/YEAR/…).
    pub systems: Vec<String>,
    /// Organ classes that may issue it; empty = any.
    pub issuers: Vec<String>,
}

impl DocType {
    pub fn in_system(&self, system: &str) -> bool {
        self.systems.iter().any(|s| s == system)
    }

    /// Whether an organ of `class` may issue this type.
    pub fn issued_by(&self, class: &str) -> bool {
        self.issuers.is_empty() || self.issuers.iter().any(|c| c == class)
    }
}

/// One organ (or organ kind, for local ones: "Ủy ban nhân dân").
#[derive(Debug, Clone, PartialEq)]
pub struct OrganEntry {
    /// As printed in numbers (`BYT`, `HĐND`); `None` when numbers never carry it.
    pub code: Option<String>,
    /// Canonical name ("Bộ Y tế", "Ủy ban nhân dân").
    pub name: String,
    /// See `organs.tsv`: ministry, local-committee, party-level, unit…
    pub class: String,
    /// Year the organ was replaced or dissolved, if it was.
    pub until: Option<u16>,
    /// Other folded phrases naming it ("ubnd").
    pub also: Vec<String>,
}

impl OrganEntry {
    /// Local organs are named with a level and a place ("… tỉnh Quảng Ngãi").
    pub fn is_local(&self) -> bool {
        matches!(
            self.class.as_str(),
            "local-council" | "local-committee" | "department" | "district-department" | "party-level" | "inspectorate" | "office"
        ) || self.code.as_deref() == Some("CA")
    }

    pub fn is_party(&self) -> bool {
        self.class.starts_with("party")
    }
}

/// A province or centrally-run city.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    /// "tỉnh" or "thành phố".
    pub level: String,
    /// Year it ceased to exist as a unit, if it did.
    pub until: Option<u16>,
    /// The unit it was merged into.
    pub merged_into: Option<String>,
}

/// A document known to exist.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownDoc {
    pub id: DocId,
    pub doc_type: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    pub issuer: Option<String>,
    /// How many sources name it (front matter, citations in clean text, archive records).
    pub seen: u32,
}

impl KnownDoc {
    /// A record's own document, when it has a number the header read without doubt (a
    /// number flagged for review may be another document's): an empty list otherwise.
    pub fn of_record(doc: &crate::record::Document) -> Option<KnownDoc> {
        let meta = &doc.metadata;
        if !meta.flags.is_empty() {
            return None;
        }
        Some(KnownDoc { id: meta.id.clone()?, doc_type: meta.doc_type.clone(), date: meta.date.clone(), issuer: meta.issuer.clone(), seen: 1 })
    }
}

fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#')).map(|(n, l)| (n + 1, l.split('\t').map(str::trim).collect()))
}

fn cell<'a>(cells: &[&'a str], i: usize, line: usize, what: &str) -> Result<&'a str> {
    match cells.get(i) {
        Some(c) if !c.is_empty() => Ok(c),
        _ => bail!("line {line}: no {what} (column {})", i + 1),
    }
}

fn list(cell: &str) -> Vec<String> {
    cell.split(',').map(str::trim).filter(|s| !s.is_empty() && *s != "*").map(str::to_owned).collect()
}

fn until(status: &str, line: usize) -> Result<Option<u16>> {
    match status {
        "current" => Ok(None),
        s => {
            let year = s.strip_prefix("former:").with_context(|| format!("line {line}: status is \"current\" or \"former:YYYY\", not {s:?}"))?;
            Ok(Some(year.parse().with_context(|| format!("line {line}: year {year:?}"))?))
        }
    }
}

pub fn parse_types(text: &str) -> Result<Vec<DocType>> {
    rows(text)
        .map(|(line, c)| {
            let code = cell(&c, 0, line, "code")?;
            Ok(DocType {
                code: (code != "-").then(|| code.to_owned()),
                name: cell(&c, 1, line, "type name")?.to_owned(),
                systems: list(cell(&c, 2, line, "systems")?),
                issuers: list(cell(&c, 3, line, "issuers")?),
            })
        })
        .collect::<Result<_>>()
        .context("doc_types.tsv")
}

pub fn parse_organs(text: &str) -> Result<Vec<OrganEntry>> {
    rows(text)
        .map(|(line, c)| {
            let code = cell(&c, 0, line, "code")?;
            Ok(OrganEntry {
                code: (code != "-").then(|| code.to_owned()),
                name: cell(&c, 1, line, "name")?.to_owned(),
                class: cell(&c, 2, line, "class")?.to_owned(),
                until: until(cell(&c, 3, line, "status")?, line)?,
                also: c.get(4).map(|s| list(s)).unwrap_or_default(),
            })
        })
        .collect::<Result<_>>()
        .context("organs.tsv")
}

pub fn parse_places(text: &str) -> Result<Vec<Place>> {
    rows(text)
        .map(|(line, c)| {
            Ok(Place {
                name: cell(&c, 0, line, "name")?.to_owned(),
                level: cell(&c, 1, line, "level")?.to_owned(),
                until: until(cell(&c, 2, line, "status")?, line)?,
                merged_into: c.get(3).filter(|s| !s.is_empty()).map(|s| s.to_string()),
            })
        })
        .collect::<Result<_>>()
        .context("places.tsv")
}

/// `codes.tsv`: kind ("issuer"), folded code, count.
pub fn parse_codes(text: &str) -> Result<HashMap<String, u32>> {
    let mut out = HashMap::new();
    for (line, c) in rows(text) {
        if cell(&c, 0, line, "kind").context("codes.tsv")? != "issuer" {
            continue;
        }
        let code = cell(&c, 1, line, "code").context("codes.tsv")?;
        let count: u32 = cell(&c, 2, line, "count").context("codes.tsv")?.parse().with_context(|| format!("codes.tsv line {line}: count"))?;
        out.insert(code.to_owned(), count);
    }
    Ok(out)
}

/// `documents.tsv`: id, type, date, issuer, sources ("-" for unknown fields).
pub fn parse_documents(text: &str) -> Result<Vec<KnownDoc>> {
    rows(text)
        .map(|(line, c)| {
            let field = |i: usize| c.get(i).filter(|s| !s.is_empty() && **s != "-").map(|s| s.to_string());
            let printed = cell(&c, 0, line, "number")?;
            // Stored canonical (the build wrote `DocId` strings): taken as is, since parsing
            // would consult the authority being built.
            let id = DocId::from_canonical(printed).with_context(|| format!("line {line}: {printed:?} is not a document number"))?;
            Ok(KnownDoc { id, doc_type: field(1), date: field(2), issuer: field(3), seen: field(4).and_then(|s| s.parse().ok()).unwrap_or(1) })
        })
        .collect::<Result<_>>()
        .context("documents.tsv")
}
