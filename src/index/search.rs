//! Search: a number lookup when the query is a document number, full text otherwise.
//!
//! Full text queries both text fields: a word typed with diacritics matches the exact field
//! (boosted) and the folded one, so "dân vận" ranks documents that say "dân vận" above those
//! that only fold to it ("dẫn vấn", OCR's "dan van"); a word typed without diacritics is
//! compared folded only, since the clerk did not say which accents they meant. A word found
//! nowhere is retried within one edit on the folded field (OCR damage), and such hits are
//! marked `fuzzy`.

use serde::Serialize;
use std::collections::HashMap;
use std::ops::Bound;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::number::{lookup_key, parse_number_query, NumberQuery};
use super::query::{self, parse_date_bounds, Filter, Node, QueryError};
use super::schema::{format_date, stored_i64, stored_str, Fields, StoredCitation, FACET_ISSUER, FACET_TYPE, FACET_YEAR};
use super::snippet::{best_lines, snippet, within_one_edit, TokenMatch};
use super::tokenizer::{syllable_tokens, Form, SyllableToken};

pub use super::snippet::Snippet;

/// How much more a match with the typed diacritics counts than a folded-only match.
const EXACT_BOOST: f32 = 3.0;
/// Extra weight for documents where the unquoted query words stand side by side.
const ADJACENCY_BOOST: f32 = 2.0;
/// A word found only in a signer's name counts for less than one in the text.
const SIGNER_BOOST: f32 = 0.5;
/// Puts the looked-up document itself above every document citing it.
const OWN_NUMBER_BOOST: f32 = 1000.0;
/// A document whose unsure number may be the looked-up one: below the document itself,
/// above the documents citing it.
const CANDIDATE_NUMBER_BOOST: f32 = 100.0;
/// Shorter words are not retried fuzzily: one edit turns most two-letter syllables into
/// dozens of others.
const MIN_FUZZY_CHARS: usize = 3;
/// Words retried fuzzily in one query, at most: each costs an automaton over the term
/// dictionary and a comparison with every token of every snippet, and a query of a
/// hundred made-up words is an attack, not a search.
const MAX_FUZZY_TERMS: usize = 8;
const MAX_LIMIT: usize = 10_000;
const SNIPPETS_PER_HIT: usize = 2;
const CITATION_SNIPPETS_PER_HIT: usize = 3;
const FACET_VALUES: usize = 20;
/// Snippets are looked for in this much of a document's text at most: every text ingested
/// now is within it (`ingest::MAX_TEXT_BYTES`), and a huge record from before that limit
/// costs a search hit no more than a big document does.
const SNIPPET_SCAN_BYTES: usize = 4 << 20;

/// The part of `text` snippets are looked for in (see [`SNIPPET_SCAN_BYTES`]).
fn snippet_window(text: &str) -> &str {
    if text.len() <= SNIPPET_SCAN_BYTES {
        return text;
    }
    let cut = (0..=SNIPPET_SCAN_BYTES).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    &text[..cut]
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    /// Hits to return (1–10 000).
    pub limit: usize,
    /// Best hits to pass over before the first returned (result pages): only the returned
    /// hits are read and get snippets, so a deep page costs about what the first does.
    pub offset: usize,
    /// Return hits without snippets (record ids for an export): no stored text is read.
    pub skip_snippets: bool,
    /// Count hits by type, issuer and year.
    pub facets: bool,
    /// Date range, inclusive: `2024`, `2024-03` or `2024-03-17` (also `17/3/2024`).
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("{0:#}")]
    Index(anyhow::Error),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(err: tantivy::TantivyError) -> SearchError {
        SearchError::Index(anyhow::Error::new(err).context("the index could not be searched"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryKind {
    Number,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The document whose own number was looked up.
    Document,
    /// A document citing the looked-up number.
    Cites,
    /// A document whose own number is unsure and may be the looked-up one (a candidate
    /// reading, see `number_note`).
    Candidate,
    /// A full-text match.
    Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub kind: QueryKind,
    /// The number looked up, as displayed (number queries only).
    pub number: Option<String>,
    /// Documents matching, of which `hits` are the first `limit`.
    pub total: usize,
    pub hits: Vec<Hit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<FacetCounts>,
    /// Repairs made to the query and fallbacks taken, one sentence each.
    pub notices: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub record_id: String,
    pub path: String,
    pub number: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
    pub subject: Option<String>,
    pub score: f32,
    #[serde(rename = "match")]
    pub match_kind: MatchKind,
    /// Why the document's own number is unsure or inferred ("cần kiểm tra: …"); absent
    /// when it was read and is sure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_note: Option<String>,
    /// Matched only within one edit of a query word (OCR-damaged text).
    pub fuzzy: bool,
    pub snippets: Vec<Snippet>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FacetCounts {
    #[serde(rename = "type")]
    pub doc_type: Vec<FacetValue>,
    pub issuer: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

pub fn run(searcher: &Searcher, fields: &Fields, request: &SearchRequest) -> Result<SearchResults, SearchError> {
    let mut notices = Vec::new();
    let range_filter = request_date_filter(fields, request)?;
    let shown_query = query::without_controls(&request.query);
    if let Some(number) = parse_number_query(&request.query) {
        let mut results = number_search(searcher, fields, request, &number, range_filter.as_ref().map(|q| q.box_clone()))?;
        if results.total == 0 {
            // "18-NQ/TU" is a provincial committee's number, but clerks also type TƯ
            // (central, TW) without its diacritic: when TU finds nothing, TW is meant.
            if let Some(central) = number.central_reading() {
                let central_results =
                    number_search(searcher, fields, request, &central, range_filter.as_ref().map(|q| q.box_clone()))?;
                if central_results.total > 0 {
                    results = central_results;
                    results.notices.push(format!(
                        "no document has or cites {}; showing {} (TƯ, the central committee)",
                        number.display, central.display
                    ));
                }
            }
        }
        if results.total > 0 {
            results.query = shown_query;
            return Ok(results);
        }
        let scope = if range_filter.is_some() { " in the date range" } else { "" };
        notices.push(format!("no document{scope} has or cites the number {}; searching the text for it", number.display));
    }
    let mut results = text_search(searcher, fields, request, range_filter)?;
    notices.append(&mut results.notices);
    results.notices = notices;
    results.query = shown_query;
    Ok(results)
}

/// `--from` / `--to` as a filter.
fn request_date_filter(fields: &Fields, request: &SearchRequest) -> Result<Option<Box<dyn Query>>, QueryError> {
    let bound = |flag: &'static str, value: &Option<String>, pick: fn((i64, i64)) -> i64| -> Result<Option<i64>, QueryError> {
        value
            .as_deref()
            .map(|v| parse_date_bounds(v).map(pick).ok_or_else(|| QueryError::BadDate { flag, value: v.to_string() }))
            .transpose()
    };
    let from = bound("--from", &request.from, |b| b.0)?;
    let to = bound("--to", &request.to, |b| b.1)?;
    Ok((from.is_some() || to.is_some()).then(|| filter_query(fields, &Filter::Date(from, to))).flatten())
}

fn number_search(
    searcher: &Searcher,
    fields: &Fields,
    request: &SearchRequest,
    number: &NumberQuery,
    range_filter: Option<Box<dyn Query>>,
) -> Result<SearchResults, SearchError> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for key in &number.keys {
        let own = TermQuery::new(Term::from_field_text(fields.number_key, key), IndexRecordOption::Basic);
        clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(own), OWN_NUMBER_BOOST))));
        let candidate = TermQuery::new(Term::from_field_text(fields.number_candidate_key, key), IndexRecordOption::Basic);
        clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(candidate), CANDIDATE_NUMBER_BOOST))));
        clauses.push((Occur::Should, Box::new(TermQuery::new(Term::from_field_text(fields.cites_key, key), IndexRecordOption::WithFreqs))));
    }
    let mut query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    if let Some(filter) = range_filter {
        query = Box::new(BooleanQuery::new(vec![(Occur::Must, query), (Occur::Must, filter)]));
    }
    let (total, top, facets) = collect(searcher, query.as_ref(), request)?;
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let stored: TantivyDocument = searcher.doc(address)?;
        let own_key = stored_str(&stored, fields.number).and_then(|n| lookup_key(&n));
        let is_own = own_key.is_some_and(|k| number.keys.contains(&k));
        let number_matcher = |t: &SyllableToken| {
            (t.is_number && lookup_key(&t.text).is_some_and(|k| number.keys.contains(&k))).then_some(TokenMatch { term: 0, fuzzy: false })
        };
        let is_candidate = !is_own && stored.get_all(fields.number_candidate_key).filter_map(|v| v.as_str()).any(|k| number.keys.iter().any(|q| q == k));
        let snippets = if request.skip_snippets {
            Vec::new()
        } else if is_own || is_candidate {
            let text = stored_str(&stored, fields.text_exact).unwrap_or_default();
            best_lines(snippet_window(&text), 1, number_matcher).0
        } else {
            citing_snippets(&stored, fields, &number.keys, number_matcher)
        };
        let kind = match (is_own, is_candidate) {
            (true, _) => MatchKind::Document,
            (false, true) => MatchKind::Candidate,
            _ => MatchKind::Cites,
        };
        hits.push(hit(&stored, fields, hits.len() + 1, score, kind, false, snippets));
    }
    Ok(SearchResults {
        query: request.query.clone(),
        kind: QueryKind::Number,
        number: Some(number.display.clone()),
        total,
        hits,
        facets,
        notices: Vec::new(),
    })
}

/// The sentences in which a citing document cites the number, from its stored citations.
fn citing_snippets(
    stored: &TantivyDocument,
    fields: &Fields,
    keys: &[String],
    matcher: impl Fn(&SyllableToken) -> Option<TokenMatch>,
) -> Vec<Snippet> {
    let citations: Vec<StoredCitation> =
        stored_str(stored, fields.citations).and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default();
    let mut snippets: Vec<Snippet> = Vec::new();
    for citation in citations.iter().filter(|c| keys.contains(&c.key)) {
        let context = if citation.context.trim().is_empty() { &citation.id } else { &citation.context };
        let ranges: Vec<(usize, usize)> = syllable_tokens(context, Form::Folded)
            .iter()
            .filter(|t| matcher(t).is_some())
            .map(|t| (t.start, t.end))
            .collect();
        let candidate = snippet(context, &ranges, citation.page, citation.line);
        if !snippets.iter().any(|s| s.text == candidate.text) {
            snippets.push(candidate);
        }
        if snippets.len() == CITATION_SNIPPETS_PER_HIT {
            break;
        }
    }
    snippets
}

fn text_search(
    searcher: &Searcher,
    fields: &Fields,
    request: &SearchRequest,
    range_filter: Option<Box<dyn Query>>,
) -> Result<SearchResults, SearchError> {
    let parsed = query::parse(&request.query)?;
    let mut compiler = Compiler { searcher, fields, fuzzy_terms: Vec::new(), notices: parsed.notices };
    let mut query = compiler.compile(&parsed.root)?.ok_or(QueryError::Empty)?;
    if let Some(filter) = range_filter {
        query = Box::new(BooleanQuery::new(vec![(Occur::Must, query), (Occur::Must, filter)]));
    }
    let (total, top, facets) = collect(searcher, query.as_ref(), request)?;

    let mut texts = Vec::new();
    query::positive_texts(&parsed.root, &mut texts);
    let mut term_ids: HashMap<String, usize> = HashMap::new();
    for text in &texts {
        for token in syllable_tokens(text, Form::Folded) {
            let next = term_ids.len();
            term_ids.entry(highlight_key(&token)).or_insert(next);
        }
    }
    let fuzzy_terms = &compiler.fuzzy_terms;
    let matcher = |t: &SyllableToken| {
        if let Some(&term) = term_ids.get(&highlight_key(t)) {
            return Some(TokenMatch { term, fuzzy: false });
        }
        if t.is_number || t.text.chars().count() < MIN_FUZZY_CHARS - 1 {
            return None;
        }
        fuzzy_terms
            .iter()
            .position(|f| within_one_edit(f, &t.text))
            .map(|i| TokenMatch { term: term_ids.len() + i, fuzzy: true })
    };
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let stored: TantivyDocument = searcher.doc(address)?;
        let (snippets, fuzzy) = if request.skip_snippets {
            (Vec::new(), false)
        } else {
            let text = stored_str(&stored, fields.text_exact).unwrap_or_default();
            best_lines(snippet_window(&text), SNIPPETS_PER_HIT, &matcher)
        };
        hits.push(hit(&stored, fields, hits.len() + 1, score, MatchKind::Text, fuzzy, snippets));
    }
    Ok(SearchResults {
        query: request.query.clone(),
        kind: QueryKind::Text,
        number: None,
        total,
        hits,
        facets,
        notices: compiler.notices,
    })
}

/// What a text token and a query token are compared on for highlighting: the folded
/// syllable, or for a document number its lookup key (so `25-nq-tw` marks `25-NQ/TW`).
fn highlight_key(token: &SyllableToken) -> String {
    match token.is_number.then(|| lookup_key(&token.text)).flatten() {
        Some(key) => format!("#{key}"),
        None => token.text.clone(),
    }
}

type Collected = (usize, Vec<(f32, DocAddress)>, Option<FacetCounts>);

fn collect(searcher: &Searcher, query: &dyn Query, request: &SearchRequest) -> Result<Collected, SearchError> {
    let limit = request.limit.clamp(1, MAX_LIMIT);
    let offset = request.offset.min(MAX_LIMIT - limit);
    let top = TopDocs::with_limit(limit).and_offset(offset).order_by_score();
    if !request.facets {
        let (total, top) = searcher.search(query, &(Count, top))?;
        return Ok((total, top, None));
    }
    let mut facet_collector = FacetCollector::for_field("facets");
    for root in [FACET_TYPE, FACET_ISSUER, FACET_YEAR] {
        facet_collector.add_facet(root);
    }
    let (total, top, counts) = searcher.search(query, &(Count, top, facet_collector))?;
    let values = |root: &str| -> Vec<FacetValue> {
        let mut values: Vec<FacetValue> = counts
            .get(root)
            .map(|(facet, count)| FacetValue { value: facet.to_path().last().copied().unwrap_or_default().to_string(), count })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        values.truncate(FACET_VALUES);
        values
    };
    let facets = FacetCounts { doc_type: values(FACET_TYPE), issuer: values(FACET_ISSUER), year: values(FACET_YEAR) };
    Ok((total, top, Some(facets)))
}

fn hit(
    stored: &TantivyDocument,
    fields: &Fields,
    rank: usize,
    score: f32,
    match_kind: MatchKind,
    fuzzy: bool,
    snippets: Vec<Snippet>,
) -> Hit {
    Hit {
        rank,
        record_id: stored_str(stored, fields.id).unwrap_or_default(),
        path: stored_str(stored, fields.path).unwrap_or_default(),
        number: stored_str(stored, fields.number),
        doc_type: stored_str(stored, fields.doc_type),
        issuer: stored_str(stored, fields.issuer),
        date: stored_i64(stored, fields.date).map(format_date),
        subject: stored_str(stored, fields.subject),
        score,
        match_kind,
        number_note: stored_str(stored, fields.number_note).filter(|n| !n.is_empty()),
        fuzzy,
        snippets,
    }
}

/// Turns the parsed query into a tantivy query, looking at the index to decide on fuzzy
/// fallbacks.
struct Compiler<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    fuzzy_terms: Vec<String>,
    notices: Vec<String>,
}

impl Compiler<'_> {
    fn compile(&mut self, node: &Node) -> Result<Option<Box<dyn Query>>, SearchError> {
        Ok(match node {
            Node::All => Some(Box::new(AllQuery)),
            Node::Word(word) => self.words(word, false)?,
            Node::Phrase(phrase) => self.words(phrase, true)?,
            Node::Filter(filter) => filter_query(self.fields, filter),
            Node::Not(inner) => self.compile(inner)?.map(|q| exclude(Box::new(AllQuery), q)),
            Node::And(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for item in items {
                    let (occur, inner) = match item {
                        Node::Not(inner) => (Occur::MustNot, inner.as_ref()),
                        other => (Occur::Must, other),
                    };
                    if let Some(q) = self.compile(inner)? {
                        clauses.push((occur, q));
                    }
                }
                if let Some(adjacent) = self.adjacency_boost(items) {
                    clauses.push((Occur::Should, adjacent));
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) && !clauses.is_empty() {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Node::Or(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for item in items {
                    if let Some(q) = self.compile(item)? {
                        clauses.push((Occur::Should, q));
                    }
                }
                (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
        })
    }

    /// A word or phrase: its syllables in order. A bare word that is a document number is
    /// searched as its whole-number term; in a phrase, positions count syllables, so the
    /// number's syllables are used.
    fn words(&mut self, text: &str, phrase: bool) -> Result<Option<Box<dyn Query>>, SearchError> {
        let tokens = syllable_tokens(text, Form::Exact).into_iter().zip(syllable_tokens(text, Form::Folded));
        let (numbers, syllables): (Vec<_>, Vec<_>) = tokens.partition(|(_, folded)| folded.is_number);
        if let (false, [(_, number)]) = (phrase, numbers.as_slice()) {
            return Ok(Some(self.number_word(&number.text)));
        }
        let pairs: Vec<(String, String)> = syllables.into_iter().map(|(e, f)| (e.text, f.text)).collect();
        match pairs.as_slice() {
            [] => Ok(None),
            [(exact, folded)] => Ok(Some(self.term(exact, folded)?)),
            _ => Ok(Some(self.phrase(&pairs))),
        }
    }

    /// A document number among other words: in the text as written, or as the document's
    /// own number or a number it cites (which the citation parser read even where OCR split
    /// it). Never fuzzy: one edit turns 25-NQ/TW into another document.
    fn number_word(&self, folded: &str) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            Box::new(TermQuery::new(Term::from_field_text(self.fields.text_folded, folded), IndexRecordOption::WithFreqs)),
        )];
        if let Some(key) = lookup_key(folded) {
            for field in [self.fields.number_key, self.fields.cites_key] {
                clauses.push((Occur::Should, Box::new(TermQuery::new(Term::from_field_text(field, &key), IndexRecordOption::Basic))));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Unquoted words found next to each other, in the order typed, rank higher: a clerk
    /// typing `dan van` means "dân vận" more often than "dân … văn".
    fn adjacency_boost(&self, items: &[Node]) -> Option<Box<dyn Query>> {
        let mut syllables = Vec::new();
        for item in items {
            if let Node::Word(word) = item {
                let tokens = syllable_tokens(word, Form::Exact).into_iter().zip(syllable_tokens(word, Form::Folded));
                syllables.extend(tokens.filter(|(_, f)| !f.is_number).map(|(e, f)| (e.text, f.text)));
            }
        }
        (syllables.len() >= 2).then(|| Box::new(BoostQuery::new(self.phrase(&syllables), ADJACENCY_BOOST)) as Box<dyn Query>)
    }

    /// One syllable: exact (boosted, when typed with diacritics) or folded; fuzzy on the
    /// folded field when the index has it nowhere.
    fn term(&mut self, exact: &str, folded: &str) -> Result<Box<dyn Query>, SearchError> {
        let folded_term = Term::from_field_text(self.fields.text_folded, folded);
        let in_names = self.searcher.doc_freq(&Term::from_field_text(self.fields.signer, folded))?;
        let unknown = self.searcher.doc_freq(&folded_term)? == 0 && in_names == 0 && folded.chars().count() >= MIN_FUZZY_CHARS;
        if unknown && self.fuzzy_terms.len() == MAX_FUZZY_TERMS {
            let notice = format!("more than {MAX_FUZZY_TERMS} words have no exact match; the others are not looked for within one letter");
            if !self.notices.contains(&notice) {
                self.notices.push(notice);
            }
        } else if unknown {
            self.notices.push(format!(
                "no document contains “{exact}”; showing documents with a word one letter away from it (marked fuzzy)"
            ));
            self.fuzzy_terms.push(folded.to_string());
            return Ok(Box::new(FuzzyTermQuery::new(folded_term, 1, true)));
        }
        let folded_query: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(TermQuery::new(folded_term, IndexRecordOption::WithFreqs)) as Box<dyn Query>),
            (Occur::Should, self.in_signer(std::slice::from_ref(&folded.to_string()))),
        ]));
        if exact == folded {
            return Ok(folded_query);
        }
        let exact_query = TermQuery::new(Term::from_field_text(self.fields.text_exact, exact), IndexRecordOption::WithFreqs);
        Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(BoostQuery::new(Box::new(exact_query), EXACT_BOOST))),
            (Occur::Should, folded_query),
        ])))
    }

    /// The folded syllables in the signers' names (printed signer, digital signers): a clerk
    /// typing "Trần Phước Hiền" wants the documents he signed, and the name is often read
    /// only from the signature block's second reading, not in the page text. Scored low, so
    /// documents that name him in their text still come first.
    fn in_signer(&self, folded: &[String]) -> Box<dyn Query> {
        let query: Box<dyn Query> = match folded {
            [one] => Box::new(TermQuery::new(Term::from_field_text(self.fields.signer, one), IndexRecordOption::Basic)),
            many => Box::new(PhraseQuery::new(many.iter().map(|s| Term::from_field_text(self.fields.signer, s)).collect())),
        };
        Box::new(BoostQuery::new(query, SIGNER_BOOST))
    }

    fn phrase(&self, syllables: &[(String, String)]) -> Box<dyn Query> {
        let terms = |field: Field, pick: fn(&(String, String)) -> &String| -> Vec<Term> {
            syllables.iter().map(|s| Term::from_field_text(field, pick(s))).collect()
        };
        let folded_syllables: Vec<String> = syllables.iter().map(|s| s.1.clone()).collect();
        let folded: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(PhraseQuery::new(terms(self.fields.text_folded, |s| &s.1))) as Box<dyn Query>),
            (Occur::Should, self.in_signer(&folded_syllables)),
        ]));
        if syllables.iter().all(|(e, f)| e == f) {
            return folded;
        }
        let exact = PhraseQuery::new(terms(self.fields.text_exact, |s| &s.0));
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(BoostQuery::new(Box::new(exact), EXACT_BOOST))),
            (Occur::Should, folded),
        ]))
    }
}

fn exclude(base: Box<dyn Query>, excluded: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![(Occur::Must, base), (Occur::MustNot, excluded)]))
}

/// A field filter: matches without adding to the score.
fn filter_query(fields: &Fields, filter: &Filter) -> Option<Box<dyn Query>> {
    let keyword = |field: Field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
    };
    let range = |field: Field, from: Option<i64>, to: Option<i64>| -> Box<dyn Query> {
        let bound = |v: Option<i64>| v.map_or(Bound::Unbounded, |v| Bound::Included(Term::from_field_i64(field, v)));
        Box::new(RangeQuery::new(bound(from), bound(to)))
    };
    let query: Box<dyn Query> = match filter {
        Filter::Type(key) => keyword(fields.type_key, key),
        Filter::Cites(key) => keyword(fields.cites_key, key),
        Filter::Number(key) => keyword(fields.number_key, key),
        Filter::Year(from, to) => range(fields.year, *from, *to),
        Filter::Date(from, to) => range(fields.date, *from, *to),
        Filter::Signed(key) => keyword(fields.signed, key),
        Filter::Issuer(words) | Filter::Signer(words) => {
            let field = if matches!(filter, Filter::Issuer(_)) { fields.issuer } else { fields.signer };
            let terms: Vec<Term> = syllable_tokens(words, Form::Folded)
                .into_iter()
                .filter(|t| !t.is_number)
                .map(|t| Term::from_field_text(field, &t.text))
                .collect();
            match terms.len() {
                0 => return None,
                1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic)),
                _ => Box::new(PhraseQuery::new(terms)),
            }
        }
    };
    Some(Box::new(ConstScoreQuery::new(query, 0.0)))
}
