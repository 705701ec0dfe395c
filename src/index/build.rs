//! `vanban index build`: the index from record folders that shards wrote (`vanban ingest
//! --records-out`, on any number of machines), through the archive's own writer, so that
//! search, show and export see it exactly as after one `vanban ingest`.
//!
//! The folders are the truth: a record in them that the index lacks (or holds for other
//! content) is added, an indexed record no folder holds any more is dropped, and a record
//! the index already holds for the same content is not even read. Records are read, indexed
//! and let go one at a time, with a commit every few thousand; only the file names are held,
//! so a million records need some 100 MB. A killed build leaves the last commit readable,
//! and a rerun does what is left.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::TantivyDocument;

use super::schema::stored_str;
use super::{store, Archive};
use crate::record::Document;

/// Commit after this many new or changed records …
const COMMIT_EVERY_DOCS: usize = 5000;
/// … or this long after the last commit.
const COMMIT_EVERY: Duration = Duration::from_secs(30);

/// What a build did.
#[derive(Debug, Default)]
pub struct Built {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Indexed records that no folder holds any more: dropped from the index.
    pub removed: usize,
    /// Older versions of a record (of a source whose content changed since) passed over.
    pub superseded: usize,
    /// Record files that could not be read, each with the reason; the index keeps what it
    /// had for them.
    pub failed: Vec<(PathBuf, String)>,
    /// Records whose citations the archive's own documents changed (`ingest::refill`).
    pub citations_updated: usize,
    /// Documents whose date the archive's citations changed (`header::archive`).
    pub dates_updated: usize,
    pub elapsed: Duration,
}

/// One record file found in a folder.
struct Found {
    folder: u16,
    name: Box<str>,
}

/// Builds or updates the index in `index_dir` from the record files in `folders`.
/// `progress` is called now and then with (records done, records found).
/// `dict`: the dictionaries whose authority tables the citations are read against.
pub fn build(index_dir: &Path, folders: &[PathBuf], dict: &Path, mut progress: impl FnMut(usize, usize)) -> anyhow::Result<Built> {
    let start = Instant::now();
    if folders.is_empty() {
        anyhow::bail!("no records folder given: name at least one with --records");
    }
    if folders.len() > usize::from(u16::MAX) {
        anyhow::bail!("too many records folders ({}): at most {}", folders.len(), u16::MAX);
    }
    let mut built = Built::default();
    let found = list(folders)?;
    let archive = Archive::open_or_create(index_dir).with_context(|| format!("opening the index {}", index_dir.display()))?;
    let records_dir = archive.records_dir();
    // Stem of the record's file name → (id, committed file name).
    let mut committed = archive.committed_files()?;
    let mut writer = archive.writer().context("opening the index for writing")?;
    // Ids of the records this build writes: their citations were read without the archive.
    let mut written: HashSet<String> = HashSet::new();
    let mut forgotten = false;
    let mut stems: Vec<&str> = found.keys().map(|s| &**s).collect();
    // In name order: the same folders give the same index, whatever the listing order.
    stems.sort_unstable();
    let total = stems.len();
    let mut pending = 0;
    let mut last_commit = Instant::now();
    let mut last_progress = Instant::now();
    for (done, stem) in stems.into_iter().enumerate() {
        if last_progress.elapsed() >= Duration::from_secs(5) {
            progress(done, total);
            last_progress = Instant::now();
        }
        let versions = &found[stem];
        let was = committed.remove(stem);
        let (chosen, read) = match choose(folders, versions, &mut built) {
            Ok(chosen) => chosen,
            Err((path, reason)) => {
                built.failed.push((path, reason));
                continue;
            }
        };
        if was.as_ref().is_some_and(|(_, name)| **name == *chosen.name) {
            built.unchanged += 1;
            continue;
        }
        let path = folders[usize::from(chosen.folder)].join(&*chosen.name);
        let doc = match read.map_or_else(|| store::read_record(&path), Ok) {
            Ok(doc) => doc,
            Err(err) => {
                built.failed.push((path, format!("{err:#}")));
                continue;
            }
        };
        if store::file_stem(&doc.id) != stem {
            built.failed.push((path, format!("the record is of {} ({}), not of the file its name gives: was it renamed?", doc.id, doc.source_path)));
            continue;
        }
        if !forgotten {
            // Killed from here on, the rerun reads every record's citations again.
            crate::ingest::refill::forget(&archive)?;
            forgotten = true;
        }
        writer.upsert(&doc).with_context(|| format!("cannot index the record {}", path.display()))?;
        written.insert(doc.id.clone());
        match &was {
            Some((id, _)) if *id != doc.id => {
                // The same file stem for another id (two very long ids): the old one goes.
                writer.remove(id);
                built.added += 1;
            }
            Some(_) => built.changed += 1,
            None => built.added += 1,
        }
        pending += 1;
        if pending >= COMMIT_EVERY_DOCS || last_commit.elapsed() >= COMMIT_EVERY {
            writer.commit()?;
            pending = 0;
            last_commit = Instant::now();
        }
    }
    // What no folder holds any more.
    let mut gone = Vec::new();
    if !committed.is_empty() && !forgotten {
        crate::ingest::refill::forget(&archive)?;
    }
    for (_, (id, name)) in committed {
        writer.remove(&id);
        gone.push(records_dir.join(&*name));
        built.removed += 1;
    }
    writer.finish()?;
    // The file names are not needed any more: let them go before the citations pass.
    drop(found);
    for path in gone {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err).with_context(|| format!("cannot remove the dropped record {}", path.display())),
        }
    }
    if start.elapsed() >= Duration::from_secs(5) {
        progress(total, total);
    }
    // Citations read against the whole archive, then their dates weighed into the cited
    // documents' dates, as at the end of an ingest. Always run: a build killed after its
    // last commit must still get them from a rerun.
    let finished = crate::ingest::refill::finish(&archive, dict, &written).context("reading the citations again against the whole archive")?;
    built.citations_updated = finished.citations;
    built.dates_updated = finished.dates;
    built.elapsed = start.elapsed();
    Ok(built)
}

/// The record files of every folder, by file stem (`stem@version.json`; a name without
/// `@` is a record of an earlier vanban). Hidden files (a writer's half-written temporary
/// file) and other names are passed over. A folder that cannot be listed stops the build:
/// taken for empty, it would drop all its records from the index.
fn list(folders: &[PathBuf]) -> anyhow::Result<HashMap<Box<str>, Vec<Found>>> {
    let mut found: HashMap<Box<str>, Vec<Found>> = HashMap::new();
    for (i, folder) in folders.iter().enumerate() {
        let cannot = || format!("cannot list the records folder {}", folder.display());
        for entry in std::fs::read_dir(folder).with_context(cannot)? {
            let entry = entry.with_context(cannot)?;
            let Ok(name) = entry.file_name().into_string() else { continue };
            if name.starts_with('.') || !name.ends_with(".json") {
                continue;
            }
            let stem = name.trim_end_matches(".json");
            let stem = stem.rsplit_once('@').map_or(stem, |(stem, _)| stem);
            let folder = u16::try_from(i).expect("checked by the caller");
            found.entry(stem.into()).or_default().push(Found { folder, name: name.as_str().into() });
        }
    }
    Ok(found)
}

/// Which of a record's versions to index: the only one; else the one made from the
/// source's present content when the source can be read here; else the newest. Returns
/// it, and the record when it had to be read to tell.
fn choose<'a>(folders: &[PathBuf], versions: &'a [Found], built: &mut Built) -> Result<(&'a Found, Option<Document>), (PathBuf, String)> {
    if let [only] = versions {
        return Ok((only, None));
    }
    // The same file in two folders (a shard rerun into another folder): one version.
    let mut names: Vec<&str> = versions.iter().map(|v| &*v.name).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() == 1 {
        return Ok((&versions[0], None));
    }
    let mut read = Vec::new();
    for version in versions {
        let path = folders[usize::from(version.folder)].join(&*version.name);
        match store::read_record(&path) {
            Ok(doc) => read.push((version, doc)),
            Err(err) => return Err((path, format!("{err:#}"))),
        }
    }
    let present = crate::ingest::sha256_file(Path::new(&read[0].1.source_path)).ok();
    let at = read
        .iter()
        .position(|(_, doc)| Some(&doc.sha256) == present.as_ref())
        .unwrap_or_else(|| {
            (0..read.len())
                .max_by(|&a, &b| read[a].1.ingested_at.cmp(&read[b].1.ingested_at).then_with(|| read[a].0.name.cmp(&read[b].0.name)))
                .expect("two versions or more")
        });
    built.superseded += names.len() - 1;
    let (version, doc) = read.swap_remove(at);
    Ok((version, Some(doc)))
}

impl Archive {
    /// Every committed record: the stem of its file name → (record id, file name). Only
    /// the stored id and hash are read.
    fn committed_files(&self) -> anyhow::Result<HashMap<Box<str>, (String, Box<str>)>> {
        let searcher = self.searcher()?;
        let records_dir = self.records_dir();
        let mut out = HashMap::new();
        for address in searcher.search(&AllQuery, &DocSetCollector)? {
            let stored: TantivyDocument = searcher.doc(address)?;
            let id = stored_str(&stored, self.fields.id).unwrap_or_default();
            let sha256 = stored_str(&stored, self.fields.sha256).unwrap_or_default();
            let path = store::locate(&records_dir, &id, &sha256);
            let name: Box<str> = path.file_name().map(|n| n.to_string_lossy().into()).unwrap_or_default();
            out.insert(store::file_stem(&id).into(), (id, name));
        }
        Ok(out)
    }
}
