//! `vanban dict authority`: builds the two derived tables of `dictionaries/authority/`.
//!
//! - `documents.tsv`: the documents known to exist — every corpus file's own number (front
//!   matter `so_hieu`, with `loai_van_ban`, `ngay_ban_hanh`, `co_quan_ban_hanh`) and every
//!   number its clean text cites or its front matter lists (`can_cu_phap_luat`…), with
//!   the type, date and issuer most often given for it;
//! - `codes.tsv`: how often each issuer code, unit code and type–issuer pair occurs in
//!   those numbers and in the own numbers of real scanned headers (`--records`: the records
//!   folder of an index the scans were ingested into), so that the grammar knows the codes
//!   offices really use (`HĐND-KTNS`, `STC-HCSN`) beyond the organs table.
//!
//! Only numbers the grammar does not reject are counted; a scan's number whose code is never
//! seen elsewhere is counted only when its parts are codes of the tables (an OCR misreading
//! must not teach the grammar a code). Deterministic: the same inputs give the same bytes.

use anyhow::{Context, Result};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{fold_code, Authority, Possibility};
use crate::cite::DocId;

/// What was built, for the command's summary line.
pub struct Built {
    pub corpus_files: usize,
    pub records: usize,
    pub documents: usize,
    pub codes: usize,
}

/// Votes for one known document's fields.
#[derive(Default)]
struct Votes {
    id: Option<DocId>,
    doc_type: HashMap<String, u32>,
    date: HashMap<String, u32>,
    issuer: HashMap<String, u32>,
    seen: u32,
}

impl Votes {
    fn add(&mut self, id: &DocId, doc_type: Option<&str>, date: Option<&str>, issuer: Option<&str>, weight: u32) {
        self.id.get_or_insert_with(|| id.clone());
        for (map, value) in [(&mut self.doc_type, doc_type), (&mut self.date, date), (&mut self.issuer, issuer)] {
            if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
                *map.entry(v.to_owned()).or_default() += weight;
            }
        }
        self.seen += 1;
    }
}

/// The most voted value; ties broken by the value itself, for determinism.
fn best(map: &HashMap<String, u32>) -> Option<&str> {
    map.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(v, _)| v.as_str())
}

/// Front matter of a corpus file as `key → values`, and the body after it.
fn front_matter(text: &str) -> Option<(Vec<(String, String)>, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut key = String::new();
    for line in rest[..end].lines() {
        let unquote = |s: &str| s.trim().trim_matches('"').trim_matches('\'').trim().to_owned();
        if let Some(item) = line.trim_start().strip_prefix("- ") {
            if line.starts_with(' ') && !key.is_empty() {
                fields.push((key.clone(), unquote(item)));
            }
            continue;
        }
        if let Some((k, value)) = line.split_once(':') {
            if !k.starts_with(' ') {
                key = k.trim().to_owned();
                fields.push((key.clone(), unquote(value)));
            }
        }
    }
    Some((fields, &rest[end + 5..]))
}

/// Builds the tables from `corpus` (and the records folders of ingested real scans) into
/// `out/authority/`, keeping the hand-written tables there.
pub fn build(corpus: &Path, records: &[PathBuf], out: &Path) -> Result<Built> {
    let authority = Authority::builtin();
    let mut votes: BTreeMap<String, Votes> = BTreeMap::new();
    let mut codes: BTreeMap<(&'static str, String), u32> = BTreeMap::new();
    let count_codes = |id: &DocId, codes: &mut BTreeMap<(&'static str, String), u32>| {
        let parts = authority.parts(id);
        let Some(issuer) = parts.issuer_key() else { return };
        *codes.entry(("issuer", issuer.clone())).or_default() += 1;
        for unit in parts.issuer.iter().skip(1) {
            *codes.entry(("unit", fold_code(unit))).or_default() += 1;
        }
        if let Some(kind) = &parts.kind {
            *codes.entry(("pair", format!("{}\t{issuer}", fold_code(kind)))).or_default() += 1;
        }
    };
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(corpus)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    anyhow::ensure!(!paths.is_empty(), "{}: no corpus files (*.md) there", corpus.display());
    paths.sort();
    // Law names: read without the law table, so that the names are the corpus's own.
    let bare = Authority::builtin_without_laws();
    let mut law_files: BTreeMap<String, u32> = BTreeMap::new();
    let mut law_spellings: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for path in &paths {
        let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        let (fields, body) = front_matter(&text).unwrap_or((Vec::new(), &text));
        let get = |keys: &[&str]| fields.iter().find(|(k, v)| keys.contains(&k.as_str()) && !v.is_empty()).map(|(_, v)| v.as_str());
        if let Some(own) = get(&["so_hieu", "sohieu"]).and_then(DocId::parse) {
            if !authority.is_possible(&own).is_impossible() {
                let date = get(&["ngay_ban_hanh", "ngaybanhanh"]).and_then(crate::cite::parse_date);
                let issuer = get(&["co_quan_ban_hanh", "issuer"]).map(|i| canonical_issuer(authority, i));
                let doc_type = get(&["loai_van_ban", "loaivanban"]).and_then(|t| authority.doc_type(&t.replace('-', " ")).map(|t| t.name.clone()));
                // The front matter states the file's own fields: it outweighs citations.
                votes.entry(own.index_key()).or_default().add(&own, doc_type.as_deref(), date.as_deref(), issuer.as_deref(), 5);
                count_codes(&own, &mut codes);
            }
        }
        for (key, value) in &fields {
            if matches!(key.as_str(), "can_cu_phap_luat" | "can_cu" | "can_cu_phap_ly" | "thay_the") {
                if let Some(id) = DocId::parse(value).filter(|id| !authority.is_possible(id).is_impossible()) {
                    votes.entry(id.index_key()).or_default().add(&id, None, None, None, 1);
                }
            }
        }
        let mut names_here: std::collections::BTreeSet<(String, String)> = std::collections::BTreeSet::new();
        for citation in crate::cite::extract_with(body, &bare).citations {
            if let Some(name) = citation.name.as_deref().filter(|_| citation.id.is_none() && crate::cite::vocab::NAMED_TYPES.contains(&citation.doc_type.as_str())) {
                names_here.insert((super::laws::key(name), name.to_owned()));
            }
            let Some(id) = citation.id.as_ref() else { continue };
            if authority.is_possible(id).is_impossible() {
                continue;
            }
            let issuer = citation.issuer.as_deref().map(|i| canonical_issuer(authority, i));
            let doc_type = (citation.doc_type != "Văn bản").then_some(citation.doc_type.as_str());
            votes.entry(id.index_key()).or_default().add(id, doc_type, citation.date.as_deref(), issuer.as_deref(), 1);
            count_codes(id, &mut codes);
        }
        let mut keys_here = std::collections::BTreeSet::new();
        for (key, name) in names_here {
            *law_spellings.entry(key.clone()).or_default().entry(name).or_default() += 1;
            if keys_here.insert(key.clone()) {
                *law_files.entry(key).or_default() += 1;
            }
        }
    }
    let mut record_count = 0;
    let laws = law_table(&law_files, &law_spellings);
    for dir in records {
        for entry in std::fs::read_dir(dir).with_context(|| format!("{}: cannot read the records folder", dir.display()))? {
            let path = entry?.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let json = std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
            let record: crate::record::Document = serde_json::from_str(&json).with_context(|| format!("{}: not a vanban record", path.display()))?;
            record_count += 1;
            let Some(own) = record.metadata.id.as_ref() else { continue };
            // Only codes the tables already know: a misread code must not become "seen".
            if matches!(authority.is_possible(own), Possibility::Possible | Possibility::Known) {
                count_codes(own, &mut codes);
            }
        }
    }
    let dir = out.join(super::FOLDER);
    std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
    let mut documents = String::from(
        "# Documents known to exist, built by `vanban dict authority` from the legal corpus (front\n\
         # matter and the numbers its text cites). Columns: number | type | date | issuer | sources\n",
    );
    let mut n_documents = 0;
    for v in votes.values() {
        let Some(id) = &v.id else { continue };
        let cell = |m: &HashMap<String, u32>| best(m).unwrap_or("-").replace('\t', " ");
        writeln!(documents, "{id}\t{}\t{}\t{}\t{}", cell(&v.doc_type), cell(&v.date), cell(&v.issuer), v.seen)?;
        n_documents += 1;
    }
    let mut table = String::from(
        "# Codes of real document numbers, built by `vanban dict authority` (legal corpus, real scan\n\
         # headers). Columns: kind (issuer | unit | pair) | folded code (pair: type, issuer) | count\n",
    );
    for ((kind, code), count) in &codes {
        writeln!(table, "{kind}\t{code}\t{count}")?;
    }
    crate::fsx::write_atomic(&dir.join("documents.tsv"), documents.as_bytes()).with_context(|| format!("{}", dir.display()))?;
    crate::fsx::write_atomic(&dir.join("codes.tsv"), table.as_bytes()).with_context(|| format!("{}", dir.display()))?;
    crate::fsx::write_atomic(&dir.join("laws.tsv"), laws.as_bytes()).with_context(|| format!("{}", dir.display()))?;
    for name in ["doc_types.tsv", "organs.tsv", "places.tsv"] {
        let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dictionaries").join(super::FOLDER).join(name);
        let target = dir.join(name);
        if !target.exists() {
            let bytes = std::fs::read(&source).with_context(|| format!("{}: cannot read", source.display()))?;
            crate::fsx::write_atomic(&target, &bytes).with_context(|| format!("{} → {}", source.display(), target.display()))?;
        }
    }
    Ok(Built { corpus_files: paths.len(), records: record_count, documents: n_documents, codes: codes.len() })
}

/// Fewest corpus files that must cite a name for it to be a known law's (one file may cut a
/// name oddly; two agreeing files make it a name).
const MIN_LAW_FILES: u32 = 2;

/// `laws.tsv`: each name cited by name only in at least [`MIN_LAW_FILES`] corpus files, in
/// its most frequent spelling, sorted by key.
fn law_table(files: &BTreeMap<String, u32>, spellings: &BTreeMap<String, BTreeMap<String, u32>>) -> String {
    let mut out = String::from(
        "# Names of laws, codes and ordinances cited by name in the legal corpus, built by `vanban dict authority`\n\
         # (a name cited in at least two files). Columns: name | corpus files citing it\n",
    );
    for (key, &n) in files.iter().filter(|(_, &n)| n >= MIN_LAW_FILES) {
        let Some(spelling) = spellings.get(key).and_then(|m| m.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))) else { continue };
        let _ = writeln!(out, "{}\t{n}", spelling.0.replace('\t', " "));
    }
    out
}

/// An issuer as the tables spell it, else as given (squashed).
fn canonical_issuer(authority: &Authority, printed: &str) -> String {
    match authority.normalize_issuer(printed) {
        Some(organ) if organ.consumed + 1 >= printed.trim_end().len() => organ.name,
        _ => printed.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}
