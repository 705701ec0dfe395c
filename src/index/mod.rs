//! The archive: a tantivy index plus the JSON records stored beside it (`DIR/records`).
//!
//! The index is the source of truth for which records exist: a record file is written
//! (atomically, under a name of its own: see [`store`]) before the commit that refers to
//! it, so after a crash the last commit is readable, every record it lists is on disk, and
//! each says what the index says; files written for an uncommitted batch are orphans that
//! the next writer deletes.
//!
//! One writer at a time (tantivy's lock); any number of read-only archives (search, show,
//! export) may be open meanwhile, each seeing the last commit made before it opened.

use anyhow::Context;
use std::path::{Path, PathBuf};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{AllQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument};

use crate::record::Document;

pub mod build;
mod number;
mod query;
mod schema;
mod search;
mod snippet;
pub mod store;
pub mod tokenizer;

pub use number::{lookup_key, parse_number_query, NumberQuery};
pub use query::{QueryError, MAX_DEPTH as MAX_QUERY_DEPTH};
pub use search::{FacetCounts, FacetValue, Hit, MatchKind, QueryKind, SearchError, SearchRequest, SearchResults, Snippet};

/// Whether a search query has words or phrases to find (not only filters such as
/// `year:2024` or `signer:"…"`): a hit of such a query without a snippet matched a signer's
/// name, the one other place words are looked for.
pub fn query_has_words(query: &str) -> bool {
    let Ok(parsed) = query::parse(query) else { return false };
    let mut texts = Vec::new();
    query::positive_texts(&parsed.root, &mut texts);
    !texts.is_empty()
}

use schema::{stored_i64, stored_str, Fields};

/// Memory tantivy's writer may use before flushing a segment; two indexing threads share it.
/// Small enough for the ingest's 500 MB budget, large enough for few segments.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
const WRITER_THREADS: usize = 2;

pub struct Archive {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    read_only: bool,
    /// The clerks' corrections, applied to every record read.
    journal: crate::corrections::JournalCache,
}

/// See [`Archive::writer_on_demand`].
pub struct WriterOnDemand<'a> {
    archive: &'a Archive,
    writer: Option<ArchiveWriter>,
    written: usize,
}

impl WriterOnDemand<'_> {
    /// Adds or replaces `doc`, opening the writer on the first call.
    pub fn upsert(&mut self, doc: &Document) -> anyhow::Result<()> {
        let writer = match &mut self.writer {
            Some(writer) => writer,
            none => none.insert(self.archive.writer()?),
        };
        writer.upsert(doc)?;
        self.written += 1;
        Ok(())
    }

    /// Commits what was written, if anything; returns how many records were.
    pub fn finish(self) -> anyhow::Result<usize> {
        if let Some(writer) = self.writer {
            writer.finish()?;
        }
        Ok(self.written)
    }
}

pub struct ArchiveWriter {
    records_dir: PathBuf,
    writer: IndexWriter,
    fields: Fields,
    /// Record files written since the last commit, to flush before it.
    unflushed: Vec<PathBuf>,
    /// The clerks' corrections: a record is indexed with them applied, so that a re-ingest
    /// keeps a corrected number searchable.
    journal: crate::corrections::JournalCache,
}

impl Archive {
    /// Opens the archive for writing, creating it when absent.
    pub fn open_or_create(dir: &Path) -> anyhow::Result<Archive> {
        std::fs::create_dir_all(dir.join("records"))
            .with_context(|| format!("cannot create the index folder {}", dir.display()))?;
        let index = if dir.join("meta.json").exists() {
            Index::open_in_dir(dir).with_context(|| format!("cannot open the index in {}", dir.display()))?
        } else {
            let (schema, _) = Fields::schema();
            Index::create_in_dir(dir, schema)
                .with_context(|| format!("cannot create an index in {}", dir.display()))?
        };
        Archive::from_index(dir, index, false)
    }

    /// Opens an existing archive read-only (search, show, export): safe while an ingest runs.
    pub fn open_read_only(dir: &Path) -> anyhow::Result<Archive> {
        if !dir.join("meta.json").exists() {
            anyhow::bail!(
                "no index in {}: run `vanban ingest FOLDER` first, or point --index (or VANBAN_INDEX) at the index folder",
                dir.display()
            );
        }
        // A concurrent ingest may delete the files of a just-merged segment between our
        // reading meta.json and opening them; the next attempt sees the new meta.json.
        let mut last_error = None;
        for _ in 0..3 {
            match Index::open_in_dir(dir).map_err(anyhow::Error::from).and_then(|i| Archive::from_index(dir, i, true)) {
                Ok(archive) => return Ok(archive),
                Err(err) => last_error = Some(err),
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Err(last_error.expect("three attempts")).with_context(|| format!("cannot open the index in {}", dir.display()))
    }

    fn from_index(dir: &Path, index: Index, read_only: bool) -> anyhow::Result<Archive> {
        let fields = Fields::from_schema(&index.schema())
            .with_context(|| format!("cannot use the index in {}", dir.display()))?;
        index.tokenizers().register(tokenizer::EXACT, tokenizer::SyllableTokenizer::new(tokenizer::Form::Exact));
        index.tokenizers().register(tokenizer::FOLDED, tokenizer::SyllableTokenizer::new(tokenizer::Form::Folded));
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let journal = crate::corrections::JournalCache::new(dir);
        Ok(Archive { dir: dir.to_path_buf(), index, reader, fields, read_only, journal })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn records_dir(&self) -> PathBuf {
        self.dir.join("records")
    }

    /// A searcher on the latest commit.
    fn searcher(&self) -> anyhow::Result<Searcher> {
        self.reader.reload().context("cannot reload the index")?;
        Ok(self.reader.searcher())
    }

    /// The SHA-256 of the committed record for `record_id`, if any. `None` also when its
    /// record file has gone (deleted, or damaged and deleted by a clerk), so that the next
    /// ingest writes it again instead of skipping the file as unchanged.
    pub fn known_hash(&self, record_id: &str) -> anyhow::Result<Option<String>> {
        let searcher = self.searcher()?;
        let query = TermQuery::new(Term::from_field_text(self.fields.id, record_id), IndexRecordOption::Basic);
        let hits = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = hits.first() else { return Ok(None) };
        let doc: TantivyDocument = searcher.doc(*address)?;
        let Some(hash) = stored_str(&doc, self.fields.sha256) else { return Ok(None) };
        Ok(store::locate(&self.records_dir(), record_id, &hash).exists().then_some(hash))
    }

    /// The single writer of this archive (tantivy allows one per index).
    pub fn writer(&self) -> anyhow::Result<ArchiveWriter> {
        if self.read_only {
            anyhow::bail!("the index in {} was opened read-only", self.dir.display());
        }
        let writer = self.index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY).with_context(|| {
            format!(
                "cannot write to the index in {}: is another `vanban ingest` running on it?",
                self.dir.display()
            )
        })?;
        // Holding the writer lock, nobody else is writing records: safe to tidy them.
        self.remove_orphan_records()?;
        Ok(ArchiveWriter { records_dir: self.records_dir(), writer, fields: self.fields, unflushed: Vec::new(), journal: crate::corrections::JournalCache::new(&self.dir) })
    }

    /// A writer opened only when the first record changes: an archive-wide pass that
    /// changes nothing takes no writer lock and commits nothing.
    pub fn writer_on_demand(&self) -> WriterOnDemand<'_> {
        WriterOnDemand { archive: self, writer: None, written: 0 }
    }

    /// Opens an existing archive for writing corrections (no index is created).
    pub fn open_writable(dir: &Path) -> anyhow::Result<Archive> {
        if !dir.join("meta.json").exists() {
            anyhow::bail!("no index in {}: run `vanban ingest FOLDER` first", dir.display());
        }
        Archive::open_or_create(dir)
    }

    /// A small writer for a clerk's correction: waits up to ten seconds for another save
    /// to finish; an ingest holding the index longer gets a message saying so.
    pub fn correction_writer(&self) -> anyhow::Result<ArchiveWriter> {
        const MEMORY: usize = 15_000_000;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let writer = loop {
            match self.index.writer_with_num_threads(1, MEMORY) {
                Ok(writer) => break writer,
                Err(tantivy::TantivyError::LockFailure(..)) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(tantivy::TantivyError::LockFailure(..)) => anyhow::bail!(
                    "Kho đang được cập nhật (một lệnh `vanban ingest` đang chạy trên {}): hãy lưu lại sau khi nó xong.",
                    self.dir.display()
                ),
                Err(err) => return Err(err).with_context(|| format!("cannot write to the index in {}", self.dir.display())),
            }
        };
        Ok(ArchiveWriter { records_dir: self.records_dir(), writer, fields: self.fields, unflushed: Vec::new(), journal: crate::corrections::JournalCache::new(&self.dir) })
    }

    /// The clerks' corrections journal of this archive.
    pub fn journal(&self) -> anyhow::Result<std::sync::Arc<crate::corrections::Journal>> {
        self.journal.get()
    }

    /// Deletes the record files no committed document refers to: those an ingest wrote and
    /// was killed before committing, and its half-written temporary files. Only called with
    /// the writer lock held; a file the last commit refers to is never touched. Returns how
    /// many files went.
    fn remove_orphan_records(&self) -> anyhow::Result<usize> {
        let searcher = self.searcher()?;
        let records_dir = self.records_dir();
        let mut referenced = std::collections::HashSet::new();
        for address in searcher.search(&AllQuery, &DocSetCollector)? {
            let stored: TantivyDocument = searcher.doc(address)?;
            let id = stored_str(&stored, self.fields.id).unwrap_or_default();
            let sha256 = stored_str(&stored, self.fields.sha256).unwrap_or_default();
            referenced.insert(store::locate(&records_dir, &id, &sha256));
        }
        let entries = std::fs::read_dir(&records_dir)
            .with_context(|| format!("cannot list the records in {}", records_dir.display()))?;
        let mut removed = 0;
        for entry in entries {
            let path = entry.with_context(|| format!("cannot list the records in {}", records_dir.display()))?.path();
            if !path.is_file() || referenced.contains(&path) {
                continue;
            }
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(err).with_context(|| format!("cannot remove the stale record {}", path.display())),
            }
        }
        Ok(removed)
    }

    /// The own number, type, ISO date and issuer of every committed document that has a
    /// number, from the index's stored fields (no record file is read): the documents the
    /// archive knows exist, for the citation grammar (`authority::Authority::add_known`).
    pub fn own_documents(&self) -> anyhow::Result<Vec<crate::authority::KnownDoc>> {
        let searcher = self.searcher()?;
        let mut out = Vec::new();
        for address in searcher.search(&AllQuery, &DocSetCollector)? {
            let stored: TantivyDocument = searcher.doc(address)?;
            let Some(id) = stored_str(&stored, self.fields.number).and_then(|n| crate::cite::DocId::from_canonical(&n)) else { continue };
            let date = stored_i64(&stored, self.fields.date).map(schema::format_date);
            out.push(crate::authority::KnownDoc {
                id,
                doc_type: stored_str(&stored, self.fields.doc_type),
                date,
                issuer: stored_str(&stored, self.fields.issuer),
                seen: 1,
            });
        }
        Ok(out)
    }

    /// Every committed record, ordered by source path.
    pub fn records(&self) -> anyhow::Result<Vec<Document>> {
        let mut docs = self.read_records(&AllQuery)?;
        docs.sort_by(|a, b| a.source_path.cmp(&b.source_path).then_with(|| a.id.cmp(&b.id)));
        Ok(docs)
    }

    /// Records matching a record id, a source path or a document number, tried in that order.
    pub fn find(&self, key: &str) -> anyhow::Result<Vec<Document>> {
        let key = key.trim();
        let by_id = TermQuery::new(Term::from_field_text(self.fields.id, key), IndexRecordOption::Basic);
        let found = self.read_records(&by_id)?;
        if !found.is_empty() {
            return Ok(found);
        }
        let mut paths = vec![key.to_string()];
        if let Ok(canonical) = std::fs::canonicalize(key) {
            paths.push(canonical.to_string_lossy().into_owned());
        }
        for path in paths {
            let by_path = TermQuery::new(Term::from_field_text(self.fields.path, &path), IndexRecordOption::Basic);
            let found = self.read_records(&by_path)?;
            if !found.is_empty() {
                return Ok(found);
            }
        }
        let Some(number) = parse_number_query(key) else { return Ok(Vec::new()) };
        let mut found = Vec::new();
        for number_key in &number.keys {
            let by_number = TermQuery::new(Term::from_field_text(self.fields.number_key, number_key), IndexRecordOption::Basic);
            for doc in self.read_records(&by_number)? {
                if !found.iter().any(|d: &Document| d.id == doc.id) {
                    found.push(doc);
                }
            }
        }
        Ok(found)
    }

    /// Source paths of the committed documents whose own number is `number` (any spelling
    /// [`lookup_key`] accepts): whether a cited document is in the archive, without reading
    /// its record.
    pub fn paths_of_number(&self, number: &str) -> anyhow::Result<Vec<String>> {
        let Some(key) = lookup_key(number) else { return Ok(Vec::new()) };
        let searcher = self.searcher()?;
        let query = TermQuery::new(Term::from_field_text(self.fields.number_key, &key), IndexRecordOption::Basic);
        let mut paths = Vec::new();
        for address in searcher.search(&query, &DocSetCollector)? {
            let stored: TantivyDocument = searcher.doc(address)?;
            paths.extend(stored_str(&stored, self.fields.path));
        }
        paths.sort();
        Ok(paths)
    }

    /// The record files of the committed documents matching `query`. A concurrent ingest
    /// may commit a newer record and delete the one the searcher knew between our reload
    /// and the read: the next attempt sees the new commit.
    fn read_records(&self, query: &dyn Query) -> anyhow::Result<Vec<Document>> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let entries = self.entries(query)?;
            let mut docs = Vec::with_capacity(entries.len());
            let mut gone = None;
            for entry in &entries {
                match self.read_entry(entry) {
                    Ok(doc) => docs.push(doc),
                    Err(err) if attempt < 3 && is_not_found(&err) => {
                        gone = Some(err);
                        break;
                    }
                    Err(err) => return Err(err),
                }
            }
            if gone.is_none() {
                return Ok(docs);
            }
        }
    }

    /// Which record each committed document matching `query` has, without reading them.
    fn entries(&self, query: &dyn Query) -> anyhow::Result<Vec<RecordEntry>> {
        let searcher = self.searcher()?;
        let mut entries = Vec::new();
        for address in searcher.search(query, &DocSetCollector)? {
            let stored: TantivyDocument = searcher.doc(address)?;
            entries.push(RecordEntry {
                id: stored_str(&stored, self.fields.id).unwrap_or_default(),
                sha256: stored_str(&stored, self.fields.sha256).unwrap_or_default(),
                source_path: stored_str(&stored, self.fields.path).unwrap_or_default(),
                number: stored_str(&stored, self.fields.number),
            });
        }
        Ok(entries)
    }

    /// Every committed record's entry, ordered by source path (the order of [`records`]),
    /// for reading the records one at a time: an export holds one record, not the archive.
    ///
    /// [`records`]: Archive::records
    pub fn record_entries(&self) -> anyhow::Result<Vec<RecordEntry>> {
        let mut entries = self.entries(&AllQuery)?;
        entries.sort_by(|a, b| a.source_path.cmp(&b.source_path).then_with(|| a.id.cmp(&b.id)));
        Ok(entries)
    }

    /// Reads the record of `entry`. When a concurrent ingest has replaced it since the
    /// entry was listed, the record now committed for the same id is read instead.
    pub fn read_entry(&self, entry: &RecordEntry) -> anyhow::Result<Document> {
        let mut doc = self.read_machine_entry(entry)?;
        self.journal.apply(&mut doc)?;
        Ok(doc)
    }

    /// The record of `entry` as the machine read it, without the clerks' corrections.
    pub fn read_machine_entry(&self, entry: &RecordEntry) -> anyhow::Result<Document> {
        let records_dir = self.records_dir();
        match store::read_record(&store::locate(&records_dir, &entry.id, &entry.sha256)) {
            Err(err) if is_not_found(&err) => {
                let by_id = TermQuery::new(Term::from_field_text(self.fields.id, &entry.id), IndexRecordOption::Basic);
                match self.entries(&by_id)?.first() {
                    Some(now) if now.sha256 != entry.sha256 => store::read_record(&store::locate(&records_dir, &now.id, &now.sha256)),
                    _ => Err(err),
                }
            }
            read => read,
        }
    }

    /// Runs a search (number lookup or full text); see [`SearchRequest`].
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.searcher().map_err(SearchError::Index)?;
        search::run(&searcher, &self.fields, request)
    }
}

/// What the index says about one record, enough to find its file and to tell which
/// numbers the archive holds, without reading the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEntry {
    pub id: String,
    /// SHA-256 of the source the record was made from: names the record file.
    pub sha256: String,
    pub source_path: String,
    /// The document's own number, as printed canonically.
    pub number: Option<String>,
}

fn is_not_found(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound))
}

impl ArchiveWriter {
    /// Adds `doc`, replacing any earlier record with the same id. Visible after `commit`.
    pub fn upsert(&mut self, doc: &Document) -> anyhow::Result<()> {
        let written = store::write_record(&self.records_dir, doc)?;
        self.unflushed.push(written);
        let journal = self.journal.get()?;
        if journal.of_record(&doc.id).next().is_some() {
            let mut corrected = doc.clone();
            crate::corrections::apply(&mut corrected, &journal);
            self.index_only(&corrected)
        } else {
            self.index_only(doc)
        }
    }

    /// Re-indexes a committed record with the corrections now in force (`doc` as read),
    /// leaving its record file as the machine wrote it. Visible after `commit`.
    pub fn reindex(&mut self, doc: &Document) -> anyhow::Result<()> {
        self.index_only(doc)
    }

    fn index_only(&mut self, doc: &Document) -> anyhow::Result<()> {
        self.writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
        self.writer
            .add_document(self.fields.to_tantivy(doc))
            .with_context(|| format!("cannot index {}", doc.source_path))?;
        Ok(())
    }

    /// Drops the record `record_id` from the index (its file goes with the next writer's
    /// tidying). Visible after `commit`.
    pub fn remove(&mut self, record_id: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.id, record_id));
    }

    /// Makes everything upserted so far durable and visible, atomically.
    pub fn commit(&mut self) -> anyhow::Result<()> {
        store::make_durable(&self.records_dir, &self.unflushed)?;
        self.writer.commit().context("cannot commit the index")?;
        self.unflushed.clear();
        Ok(())
    }

    /// Commits, then waits for tantivy's background merges so that the index the next
    /// search opens has few segments. For the end of an ingest.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.commit()?;
        self.writer.wait_merging_threads().context("cannot finish merging the index segments")
    }

    /// Documents upserted since the last commit.
    pub fn pending(&self) -> usize {
        self.unflushed.len()
    }
}
