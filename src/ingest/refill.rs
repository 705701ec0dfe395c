//! The archive-wide citations pass: each record's citations read again against everything
//! the archive holds, once the run's records are all in.
//!
//! A citation's number is corrected to, and its missing date and issuer filled in from,
//! the documents known to exist (`crate::authority`), and the archive's own documents are
//! among them. Were they added as files finished, a citation would depend on which files
//! happened to finish first: two `--jobs 2` ingests of one folder, or a plain ingest and the
//! same folder in shards built with `vanban index build`, would disagree. So during a run
//! each file is read against what the archive held when the run began, and this pass, run
//! at the end of an ingest and of an index build, reads the citations again against the
//! dictionaries plus the archive's own documents, taken in number order.
//!
//! Reading every record again costs about as much as indexing it, so the pass remembers
//! (in `INDEX/citations-known.sha256`) the archive's own documents it last read against:
//! while they are the same, only the records this run wrote are read again (a rerun on
//! unchanged folders reads none); when they changed, all are.

use anyhow::Context;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::authority::{Authority, KnownDoc};
use crate::index::Archive;

/// Records read and extracted at once by the pass's workers.
const CHUNK: usize = 256;
/// File in the index folder: the fingerprint of the own documents the citations were last
/// read against. Absent: a run wrote records and did not finish; all are read again.
const STATE_FILE: &str = "citations-known.sha256";

/// What the end-of-run pass changed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Finished {
    /// Records whose citations the archive's own documents changed.
    pub citations: usize,
    /// Documents whose date the archive's citations changed (`header::archive`).
    pub dates: usize,
}

/// The archive's own documents, as the authority takes them, in number order: the same
/// archive gives the same list whatever order its records were written in.
pub fn known_documents(archive: &Archive) -> anyhow::Result<Vec<KnownDoc>> {
    let mut docs = archive.own_documents().context("reading the archive's own numbers")?;
    docs.sort_by(|a, b| {
        (a.id.as_str(), &a.doc_type, &a.date, &a.issuer).cmp(&(b.id.as_str(), &b.doc_type, &b.date, &b.issuer))
    });
    Ok(docs)
}

/// Forgets what the citations were last read against: the next [`finish`] reads them all.
/// For a run whose records were made without the archive (an index build from shards),
/// before it writes any: killed midway, its rerun must still read them.
pub fn forget(archive: &Archive) -> anyhow::Result<()> {
    match std::fs::remove_file(state_path(archive)) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err).with_context(|| format!("cannot remove {}", state_path(archive).display())),
    }
}

/// The end of a run that wrote the records `written` (ids): citations read again against
/// the whole archive (see the module doc), then the archive's dated citations weighed into
/// the documents' dates.
pub fn finish(archive: &Archive, dict: &Path, written: &HashSet<String>) -> anyhow::Result<Finished> {
    let known = known_documents(archive)?;
    let all = std::fs::read_to_string(state_path(archive)).ok().as_deref().map(str::trim) != Some(&fingerprint(&known));
    let mut authority = Authority::load_or_builtin(dict)?;
    authority.add_known(known);
    let citations = refill(archive, &authority, |id| all || written.contains(id))?;
    let dates = crate::header::archive::update(archive).context("weighing the archive's citations into the documents' dates")?;
    // The dates just weighed are part of what the next run compares with.
    let after = fingerprint(&known_documents(archive)?);
    let path = state_path(archive);
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, format!("{after}\n")).and_then(|()| std::fs::rename(&tmp, &path)).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Finished { citations, dates })
}

fn state_path(archive: &Archive) -> PathBuf {
    archive.dir().join(STATE_FILE)
}

fn fingerprint(known: &[KnownDoc]) -> String {
    let mut hasher = Sha256::new();
    for doc in known {
        for field in [Some(doc.id.as_str()), doc.doc_type.as_deref(), doc.date.as_deref(), doc.issuer.as_deref()] {
            hasher.update(field.unwrap_or("").as_bytes());
            hasher.update([0]);
        }
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Re-extracts the citations of the records `chosen` picks (by id) against `authority`, and
/// commits those whose citations changed. Returns how many changed.
fn refill(archive: &Archive, authority: &Authority, chosen: impl Fn(&str) -> bool + Sync) -> anyhow::Result<usize> {
    let entries: Vec<_> = archive.record_entries()?.into_iter().filter(|e| chosen(&e.id)).collect();
    let mut writer = archive.writer_on_demand();
    // Read and extracted on every core, a chunk at a time (memory: one chunk of records);
    // written here, in record order.
    for chunk in entries.chunks(CHUNK) {
        let redone: Vec<anyhow::Result<Option<crate::record::Document>>> = chunk
            .par_iter()
            .map(|entry| {
                let mut doc = archive.read_machine_entry(entry).with_context(|| format!("reading the record of {}", entry.source_path))?;
                let extraction = crate::cite::extract_both_with(&doc.full_text(), &doc.raw_full_text(), authority);
                if extraction.citations == doc.citations {
                    return Ok(None);
                }
                doc.citations = extraction.citations;
                Ok(Some(doc))
            })
            .collect();
        for doc in redone {
            let Some(doc) = doc? else { continue };
            writer.upsert(&doc)?;
        }
    }
    writer.finish()
}
