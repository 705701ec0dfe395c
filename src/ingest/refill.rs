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
//! The archive's citations are evidence too ([`ArchiveCitations`]): a number one OCR-likely
//! digit from how other records print a number of the same symbol and day is flagged with
//! both, or taken when most of the archive prints it so and OCR doubted the reading
//! (`cite::against_archive`); a law cited by name whose date OCR garbled takes the date the
//! other records print for it in the year that can still be read.
//!
//! Reading every record again costs about as much as indexing it, so the pass remembers
//! (in `INDEX/citations-known.sha256`) the archive's own documents it last read against:
//! while they are the same, only the records this run wrote are read again (a rerun on
//! unchanged folders reads none); when they changed, all are.

use anyhow::Context;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::authority::{fold_code, Authority, KnownDoc};
use crate::cite::{Citation, DocId};
use crate::index::Archive;

/// Records read and extracted at once by the pass's workers.
const CHUNK: usize = 256;
/// File in the index folder: the fingerprint of the own documents the citations were last
/// read against, and on a second line the digest of the archive's citations as printed
/// ([`ArchiveCitations`]). Absent: a run wrote records and did not finish; all are read again.
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
    let state = std::fs::read_to_string(state_path(archive)).unwrap_or_default();
    let mut lines = state.lines().map(str::trim);
    let (last_known, last_cited) = (lines.next().unwrap_or(""), lines.next());
    let known_same = last_known == fingerprint(&known);
    // Nothing written and the same own documents: no citation of the archive changed, and
    // none is read again (a rerun on unchanged folders reads no record).
    let (citations, cited_digest) = match last_cited {
        Some(digest) if known_same && written.is_empty() => (0, digest.to_owned()),
        _ => {
            let cited = ArchiveCitations::gather(archive)?;
            let digest = hex(&cited.digest());
            let all = !known_same || last_cited != Some(digest.as_str());
            let mut authority = Authority::load_or_builtin(dict)?;
            authority.add_known(known);
            (refill(archive, &authority, &cited, |id| all || written.contains(id))?, digest)
        }
    };
    let dates = crate::header::archive::update(archive).context("weighing the archive's citations into the documents' dates")?;
    // The dates just weighed are part of what the next run compares with. (The citations as
    // printed are what they were: the pass counts its own corrections by the printed number.)
    let after = fingerprint(&known_documents(archive)?);
    let path = state_path(archive);
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, format!("{after}\n{cited_digest}\n")).and_then(|()| std::fs::rename(&tmp, &path)).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Finished { citations, dates })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
fn refill(archive: &Archive, authority: &Authority, cited: &ArchiveCitations, chosen: impl Fn(&str) -> bool + Sync) -> anyhow::Result<usize> {
    let entries: Vec<_> = archive.record_entries()?.into_iter().filter(|e| chosen(&e.id)).collect();
    let mut writer = archive.writer_on_demand();
    // Read and extracted on every core, a chunk at a time (memory: one chunk of records);
    // written here, in record order.
    for chunk in entries.chunks(CHUNK) {
        let redone: Vec<anyhow::Result<Option<crate::record::Document>>> = chunk
            .par_iter()
            .map(|entry| {
                let mut doc = archive.read_machine_entry(entry).with_context(|| format!("reading the record of {}", entry.source_path))?;
                let full_text = doc.full_text();
                let mut extraction = crate::cite::extract_both_with(&full_text, &doc.raw_full_text(), authority);
                crate::cite::from_rereads(&mut extraction.citations, &doc.rereads());
                cited.apply(&doc, &full_text, &mut extraction.citations, authority);
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

/// A reading of a number OCR gave with less confidence than this (Tesseract's 0–100) is one
/// OCR doubted.
const OCR_DOUBT: f32 = 60.0;

/// What the records of the archive cite, as they print it: each record counted once per
/// number and date (and per law name and date). Numbers the archive pass itself chose are
/// counted as printed, and dates it or the known documents filled in not at all, so that a
/// second pass sees what the first saw.
#[derive(Default)]
pub struct ArchiveCitations {
    /// Symbol and year (folded) → (number as printed, date printed) → citing record ids.
    numbers: HashMap<String, BTreeMap<(DocId, Option<String>), BTreeSet<String>>>,
    /// Law name key (`authority::laws::key`) → date printed → citing record ids.
    laws: HashMap<String, BTreeMap<String, BTreeSet<String>>>,
}

impl ArchiveCitations {
    /// Reads the citations of every record of the archive.
    pub fn gather(archive: &Archive) -> anyhow::Result<ArchiveCitations> {
        let entries = archive.record_entries()?;
        let mut out = ArchiveCitations::default();
        for chunk in entries.chunks(CHUNK) {
            let docs: Vec<anyhow::Result<crate::record::Document>> =
                chunk.par_iter().map(|entry| archive.read_machine_entry(entry).with_context(|| format!("reading the record of {}", entry.source_path))).collect();
            for doc in docs {
                out.add(&doc?);
            }
        }
        Ok(out)
    }

    fn add(&mut self, doc: &crate::record::Document) {
        for c in &doc.citations {
            let printed_date = c.date.clone().filter(|_| !c.inferred.iter().any(|f| f == "date"));
            if let Some(id) = &c.id {
                let printed = match &c.correction {
                    Some(k) if k.from_archive => DocId::from_canonical(&k.printed).unwrap_or_else(|| id.clone()),
                    _ => id.clone(),
                };
                self.numbers.entry(symbol_key(&printed)).or_default().entry((printed, printed_date)).or_default().insert(doc.id.clone());
            } else if let (Some(name), Some(date)) = (&c.name, printed_date) {
                self.laws.entry(crate::authority::laws::key(name)).or_default().entry(date).or_default().insert(doc.id.clone());
            }
        }
    }

    /// A digest of what was gathered, in a fixed order.
    fn digest(&self) -> Vec<u8> {
        let mut hasher = Sha256::new();
        let mut numbers: Vec<_> = self.numbers.iter().collect();
        numbers.sort_by(|a, b| a.0.cmp(b.0));
        for (key, readings) in numbers {
            for ((id, date), records) in readings {
                hasher.update(format!("{key}\t{id}\t{}\t{}\n", date.as_deref().unwrap_or(""), records.iter().cloned().collect::<Vec<_>>().join(",")).as_bytes());
            }
        }
        let mut laws: Vec<_> = self.laws.iter().collect();
        laws.sort_by(|a, b| a.0.cmp(b.0));
        for (key, dates) in laws {
            for (date, records) in dates {
                hasher.update(format!("{key}\t{date}\t{}\n", records.iter().cloned().collect::<Vec<_>>().join(",")).as_bytes());
            }
        }
        hasher.finalize().to_vec()
    }

    /// Weighs the citations just extracted from `doc` against what the other records cite.
    pub fn apply(&self, doc: &crate::record::Document, full_text: &str, citations: &mut [Citation], authority: &Authority) {
        let others = |records: &BTreeSet<String>| records.iter().filter(|r| **r != doc.id).count();
        // Numbers this document cites itself are documents of their own, not misreadings of
        // one another (1420/TTr-BQL and 1424/TTr-BQL cited side by side).
        let own: HashSet<DocId> = citations.iter().filter_map(|c| c.id.clone()).collect();
        for c in citations.iter_mut() {
            match &c.id {
                // A number the image readers disagreed on is still open to the archive.
                Some(id) if c.correction.as_ref().is_none_or(|k| k.is_unsure_reread()) => {
                    let Some(readings) = self.numbers.get(&symbol_key(id)) else { continue };
                    let printed_elsewhere: usize = readings.iter().filter(|((other, _), _)| other == id).map(|(_, records)| others(records)).sum();
                    let mut by_reading: BTreeMap<(&DocId, &str), usize> = BTreeMap::new();
                    for ((other, date), records) in readings {
                        let (Some(date), n) = (date.as_deref(), others(records)) else { continue };
                        if n > 0 && !own.contains(other) {
                            *by_reading.entry((other, date)).or_default() += n;
                        }
                    }
                    if by_reading.is_empty() {
                        continue;
                    }
                    let readings: Vec<crate::cite::ArchiveReading<'_>> =
                        by_reading.into_iter().map(|((id, date), records)| crate::cite::ArchiveReading { id, date: Some(date), records }).collect();
                    // The image readers disagreeing on its digits is doubt too.
                    let doubt = ocr_doubted(doc, c) || c.correction.as_ref().is_some_and(|k| k.is_unsure_reread());
                    let Some(verdict) = crate::cite::against_archive(id, c.date.as_deref(), printed_elsewhere, doubt, &readings, authority) else { continue };
                    if &verdict.id != id {
                        c.number = Some(verdict.id.number().to_owned());
                        c.year = verdict.id.year();
                        c.symbol = Some(verdict.id.symbol().to_owned());
                        c.id = Some(verdict.id);
                    }
                    if let Some(date) = verdict.date {
                        c.date = Some(date);
                        c.inferred.push("date".to_owned());
                        c.review.push("date".to_owned());
                    }
                    c.correction = Some(match &c.correction {
                        Some(earlier) => verdict.correction.with_earlier(earlier),
                        None => verdict.correction,
                    });
                }
                None if c.date.is_none() => {
                    let Some(name) = &c.name else { continue };
                    let Some(dates) = self.laws.get(&crate::authority::laws::key(name)) else { continue };
                    let after: String = full_text.chars().skip(c.end).take(48).collect();
                    let Some(year) = crate::cite::garbled_date_year(&after) else { continue };
                    let year = year.to_string();
                    let in_year: Vec<(&String, usize)> = dates.iter().filter(|(d, _)| d.starts_with(&year)).map(|(d, r)| (d, others(r))).filter(|(_, n)| *n > 0).collect();
                    // One date of that year, printed by two other records at least.
                    if let [(date, n)] = in_year[..] {
                        if n >= 2 {
                            c.date = Some(date.clone());
                            c.inferred.push("date".to_owned());
                            c.review.push("date".to_owned());
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn symbol_key(id: &DocId) -> String {
    format!("{}|{}|{}", fold_code(id.symbol()), id.year().map(|y| y.to_string()).unwrap_or_default(), id.is_party())
}

/// True when OCR read the citation's number with low confidence: the page's word holding
/// its number ("1466/TTT-VP") is below [`OCR_DOUBT`]. A page without words (a text layer) is
/// read without doubt.
fn ocr_doubted(doc: &crate::record::Document, c: &Citation) -> bool {
    let (Some(page), Some(number)) = (doc.pages.iter().find(|p| p.number == c.page), c.number.as_deref()) else { return false };
    let marker = format!("{number}/");
    let starts = |text: &str| text.trim_start_matches(|ch: char| !ch.is_ascii_digit()).starts_with(&marker);
    page.words.iter().filter(|w| starts(&w.text)).map(|w| w.confidence).min_by(f32::total_cmp).is_some_and(|conf| conf < OCR_DOUBT)
}
