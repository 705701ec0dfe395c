//! The tantivy schema and how a [`Document`] becomes an index entry.
//!
//! Everything search shows comes from stored fields, so a search never reads the JSON
//! records and always sees one consistent commit.

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::TantivyDocument;

use super::number::lookup_key;
use super::tokenizer::{Form, EXACT, FOLDED};
use crate::cite::Relation;
use crate::record::Document;

/// Facet roots used by `--facets`.
pub const FACET_TYPE: &str = "/type";
pub const FACET_ISSUER: &str = "/issuer";
pub const FACET_YEAR: &str = "/year";

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub path: Field,
    pub sha256: Field,
    /// Full repaired text, pages joined by form feed: exact tokens, stored for snippets.
    pub text_exact: Field,
    pub text_folded: Field,
    /// The document's own number as printed canonically (stored) and its lookup key.
    pub number: Field,
    pub number_key: Field,
    pub cites_key: Field,
    pub doc_type: Field,
    pub type_key: Field,
    pub issuer: Field,
    pub subject: Field,
    pub year: Field,
    /// YYYYMMDD.
    pub date: Field,
    pub facets: Field,
    /// JSON list of [`StoredCitation`], for number-lookup snippets.
    pub citations: Field,
    /// [`signed_keys`] of the document, for `signed:`.
    pub signed: Field,
    /// Lookup keys of the other numbers the document's own number may be, when it is
    /// unsure (see `header::evidence`): a search by one of them finds the document, marked.
    pub number_candidate_key: Field,
    /// Why the own number is unsure or inferred ("cần kiểm tra: …"), empty when it was read.
    pub number_note: Field,
    /// The printed signer and every digital signer's name, folded, for `signer:`.
    pub signer: Field,
}

/// What the index keeps of each citation: enough to show the citing sentence.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredCitation {
    pub key: String,
    pub id: String,
    pub relation: Relation,
    pub page: u32,
    pub line: u32,
    pub context: String,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let numeric = NumericOptions::default().set_indexed().set_fast().set_stored();
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            path: b.add_text_field("path", STRING | STORED),
            sha256: b.add_text_field("sha256", STORED),
            text_exact: b.add_text_field("text_exact", text(EXACT) | STORED),
            text_folded: b.add_text_field("text_folded", text(FOLDED)),
            number: b.add_text_field("number", STORED),
            number_key: b.add_text_field("number_key", STRING),
            cites_key: b.add_text_field("cites_key", STRING),
            doc_type: b.add_text_field("type", STORED),
            type_key: b.add_text_field("type_key", STRING),
            issuer: b.add_text_field("issuer", text(FOLDED) | STORED),
            subject: b.add_text_field("subject", STORED),
            year: b.add_i64_field("year", numeric.clone()),
            date: b.add_i64_field("date", numeric),
            facets: b.add_facet_field("facets", FacetOptions::default()),
            citations: b.add_text_field("citations", STORED),
            signed: b.add_text_field("signed", STRING),
            number_candidate_key: b.add_text_field("number_candidate_key", STRING | STORED),
            number_note: b.add_text_field("number_note", STORED),
            signer: b.add_text_field("signer", text(FOLDED)),
        };
        (b.build(), fields)
    }

    /// The fields of an existing index's schema; an error when it was made by a vanban
    /// whose schema differs.
    pub fn from_schema(schema: &Schema) -> anyhow::Result<Fields> {
        let (expected, fields) = Fields::schema();
        for (_, entry) in expected.fields() {
            let found = schema.get_field(entry.name()).ok().map(|f| schema.get_field_entry(f));
            if found != Some(entry) {
                anyhow::bail!(
                    "the index was made by another version of vanban (field `{}` differs); \
                     move the index folder away and ingest again",
                    entry.name()
                );
            }
        }
        Ok(fields)
    }

    pub fn to_tantivy(&self, doc: &Document) -> TantivyDocument {
        let mut out = TantivyDocument::new();
        out.add_text(self.id, &doc.id);
        out.add_text(self.path, &doc.source_path);
        out.add_text(self.sha256, &doc.sha256);
        let text = doc.full_text();
        out.add_text(self.text_exact, &text);
        out.add_text(self.text_folded, &text);
        let meta = &doc.metadata;
        if let Some(id) = &meta.id {
            out.add_text(self.number, id.as_str());
            if let Some(key) = lookup_key(id.as_str()) {
                out.add_text(self.number_key, key);
            }
        }
        if let Some(evidence) = &meta.evidence.number {
            if let Some(note) = evidence.note() {
                out.add_text(self.number_note, note);
            }
            if evidence.needs_review {
                let own = meta.id.as_ref().and_then(|id| lookup_key(id.as_str()));
                let mut keys: Vec<String> = evidence.candidates.iter().filter(|c| c.confidence > 0.0).filter_map(|c| lookup_key(&c.value)).collect();
                keys.sort();
                keys.dedup();
                for key in keys.into_iter().filter(|k| Some(k) != own.as_ref()) {
                    out.add_text(self.number_candidate_key, key);
                }
            }
        }
        let mut stored_citations = Vec::new();
        for citation in &doc.citations {
            let Some(id) = &citation.id else { continue };
            let Some(key) = lookup_key(id.as_str()) else { continue };
            out.add_text(self.cites_key, &key);
            stored_citations.push(StoredCitation {
                key,
                id: id.to_string(),
                relation: citation.relation,
                page: citation.page,
                line: citation.line,
                context: citation.context.clone(),
            });
        }
        out.add_text(self.citations, serde_json::to_string(&stored_citations).unwrap_or_default());
        if let Some(doc_type) = non_empty(&meta.doc_type) {
            out.add_text(self.doc_type, doc_type);
            out.add_text(self.type_key, type_key(doc_type));
            out.add_facet(self.facets, Facet::from_path([&FACET_TYPE[1..], doc_type]));
        }
        if let Some(issuer) = non_empty(&meta.issuer) {
            out.add_text(self.issuer, issuer);
            out.add_facet(self.facets, Facet::from_path([&FACET_ISSUER[1..], issuer]));
        }
        if let Some(subject) = non_empty(&meta.subject) {
            out.add_text(self.subject, subject);
        }
        for key in signed_keys(doc) {
            out.add_text(self.signed, key);
        }
        let certified = doc.signatures.iter().map(|s| s.signer.as_str());
        for name in non_empty(&meta.signer).into_iter().chain(certified) {
            out.add_text(self.signer, name);
        }
        if let Some(date) = meta.date.as_deref().and_then(parse_iso_date) {
            out.add_i64(self.date, date);
            out.add_i64(self.year, date / 10_000);
            out.add_facet(self.facets, Facet::from_path([&FACET_YEAR[1..], &(date / 10_000).to_string()]));
        }
        out
    }
}

/// What `signed:` matches: `yes` or `no`, and for a signed document the status of each of
/// its signatures (`valid`, `invalid`, `partly`).
pub fn signed_keys(doc: &Document) -> Vec<&'static str> {
    use crate::pdf::Status;
    if doc.signatures.is_empty() {
        return vec!["no"];
    }
    let mut keys = vec!["yes"];
    for s in &doc.signatures {
        let key = match s.status() {
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::PartlySigned => "partly",
        };
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The key `type:` filters compare on: folded, lower case, single spaces.
pub fn type_key(doc_type: &str) -> String {
    Form::Folded.normalize(doc_type).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `YYYY-MM-DD` → YYYYMMDD, checking the ranges.
pub fn parse_iso_date(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.get(..2)?.parse().ok()?;
    ((1000..=9999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then_some(year * 10_000 + month * 100 + day)
}

/// YYYYMMDD → `YYYY-MM-DD`.
pub fn format_date(date: i64) -> String {
    format!("{:04}-{:02}-{:02}", date / 10_000, date / 100 % 100, date % 100)
}

/// Reads a stored string field.
pub fn stored_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned)
}

/// Reads a stored i64 field.
pub fn stored_i64(doc: &TantivyDocument, field: Field) -> Option<i64> {
    doc.get_first(field).and_then(|v| v.as_i64())
}
