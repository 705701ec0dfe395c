//! The archive-wide citations pass: each record's citations read again against everything
//! the archive holds, once the run's records are all in.
//!
//! A citation's number is corrected to, and its missing date and issuer filled in from,
//! the documents known to exist (`crate::authority`), and the archive's own documents are
//! among them. Were they added as files finished, a citation would depend on which files
//! happened to finish first: two `--jobs 2` ingests of one folder, or a plain ingest and the
//! same folder in shards built with `vanban index build`, would disagree. So during a run
//! each file is read against what existed when the run started, and this pass, run at the
//! end of an ingest and of an index build, reads every record's citations again against the
//! dictionaries plus every record of the archive, taken in record id order.

use anyhow::Context;
use rayon::prelude::*;
use std::path::Path;

use crate::authority::{Authority, KnownDoc};
use crate::index::Archive;

/// Records read and extracted at once by the refill's workers.
const REFILL_CHUNK: usize = 256;

/// Re-extracts the citations of every record of `archive` against the authority tables of
/// `dict` and the archive's own documents, and commits the records whose citations changed.
/// Returns how many changed. Reads each record twice, one at a time.
pub fn refill_citations(archive: &Archive, dict: &Path) -> anyhow::Result<usize> {
    let entries = archive.record_entries()?;
    let mut authority = Authority::load_or_builtin(dict)?;
    let mut known: Vec<(String, KnownDoc)> = Vec::new();
    for entry in &entries {
        let doc = archive.read_machine_entry(entry).with_context(|| format!("reading the record of {}", entry.source_path))?;
        if let Some(k) = KnownDoc::of_record(&doc) {
            known.push((doc.id.clone(), k));
        }
    }
    // Record id order: the same archive gives the same authority whatever order it was read in.
    known.sort_by(|a, b| a.0.cmp(&b.0));
    authority.add_known(known.into_iter().map(|(_, k)| k));
    let mut writer = None;
    let mut changed = 0;
    // Read and extracted on every core, a chunk at a time (memory: one chunk of records);
    // written here, in record order.
    for chunk in entries.chunks(REFILL_CHUNK) {
        let redone: Vec<anyhow::Result<Option<crate::record::Document>>> = chunk
            .par_iter()
            .map(|entry| {
                let mut doc = archive.read_machine_entry(entry).with_context(|| format!("reading the record of {}", entry.source_path))?;
                let extraction = crate::cite::extract_both_with(&doc.full_text(), &doc.raw_full_text(), &authority);
                if extraction.citations == doc.citations {
                    return Ok(None);
                }
                doc.citations = extraction.citations;
                Ok(Some(doc))
            })
            .collect();
        for doc in redone {
            let Some(doc) = doc? else { continue };
            if writer.is_none() {
                writer = Some(archive.writer()?);
            }
            writer.as_mut().expect("opened above").upsert(&doc)?;
            changed += 1;
        }
    }
    if let Some(writer) = writer {
        writer.finish()?;
    }
    Ok(changed)
}
