//! Weighing the evidence for each header field: what the text reader found, what the header's
//! layout and the digit reader saw on the page, the digital signatures, the file's name and
//! the later pages. Each field gets a value, its candidates with their sources, a confidence
//! and `needs_review` when the evidence is weak or disagrees.
//!
//! The rule that matters most: a value is stored unflagged only when two independent
//! sources agree (the digit reader and the file name, a typed number and the digit reader,
//! a handwritten day and the signing time), or when a typed field was read with high
//! confidence and nothing contradicts it. Anything else is stored as the best candidate
//! with `needs_review`, so it never silently becomes another document's number.

use super::evidence::{Candidate, Evidence, EvidenceKind, FieldEvidence, HeaderEvidence, Origin};
use super::filename::{self, NameNumber};
use super::layout::{PageHeader, Slot};
use crate::cite::{Citation, DocId, DocumentMeta};
use crate::pdf::signature::{SignerRole, Verification};
use crate::pdf::Signature;

/// What the combination reads besides the text reader's metadata.
pub struct Inputs<'a> {
    /// The source file's path (its name is evidence for the number).
    pub source_path: &'a str,
    /// The page the header was read on, and what was read there.
    pub header: Option<(u32, &'a PageHeader)>,
    pub signatures: &'a [Signature],
    /// The document's citations (a later page may repeat the document's own number).
    pub citations: &'a [Citation],
    /// The header page's own PDF text layer, if any (a born-digital page's is its text).
    pub text_layer: Option<&'a str>,
    /// The header page was read by OCR (a scan), not from text: the text reader's number
    /// is then one OCR reading, not a typed fact.
    pub scanned: bool,
}

/// Sources that read a field where it is printed or filled in (anything else infers it).
const READ: [EvidenceKind; 4] = [EvidenceKind::PrintedText, EvidenceKind::Handwriting, EvidenceKind::TextLayer, EvidenceKind::HeaderLayout];

/// A value needs at least this much support to be stored at all.
const MIN_STORED: f32 = 0.25;
/// A source below this does not count as agreeing independently.
const MIN_INDEPENDENT: f32 = 0.2;

/// Weighs the evidence and writes the number, date, issuer and type with their evidence
/// into `meta` (whose fields hold what the text reader found).
pub fn combine(meta: &mut DocumentMeta, inputs: &Inputs) {
    let mut evidence = HeaderEvidence::default();
    let layer = inputs.text_layer.map(|text| crate::cite::extract(text).document).unwrap_or_default();
    let (id, number) = number(meta, &layer, inputs);
    meta.id = id;
    evidence.number = Some(number);
    let (date, date_evidence) = date(meta, &layer, inputs);
    meta.date = date;
    evidence.date = Some(date_evidence);
    let (issuer, parent, issuer_evidence) = issuer(meta, inputs);
    // A reading that is no organ's name is not kept as the issuer, not even the text
    // reader's: its evidence holds it as a candidate for the clerk.
    let refused = issuer_evidence.reason.as_deref().is_some_and(|r| r.starts_with(NOT_AN_ORGAN));
    if issuer.is_some() || refused {
        meta.issuer = issuer;
        meta.parent_issuer = parent;
    }
    evidence.issuer = Some(issuer_evidence);
    if let Some((_, header)) = inputs.header {
        if meta.place.is_none() {
            meta.place = header.date.as_ref().and_then(|d| d.place.clone());
        }
    }
    let (doc_type, type_evidence) = doc_type(meta);
    meta.doc_type = doc_type;
    evidence.doc_type = Some(type_evidence);
    // A scanned page with a title and no subject that reads as Vietnamese (only a stamp or
    // a seal under the title): no subject is stored, and the clerk is told.
    if inputs.header.is_some() && meta.subject.is_none() && meta.doc_type.as_deref().is_some_and(|t| t != "Công văn") {
        evidence.subject = Some(FieldEvidence { confidence: 0.0, needs_review: true, origin: Origin::None, reason: Some("không đọc được trích yếu".to_owned()), candidates: Vec::new() });
    }
    // The text reader's "illegible" flags speak of its own reading; once the evidence
    // stored a value, the field's evidence says how sure it is.
    if meta.id.is_some() {
        meta.flags.retain(|f| !crate::cite::flag::is_number_illegible(f));
    }
    if meta.date.is_some() {
        meta.flags.retain(|f| !crate::cite::flag::is_date_illegible(f));
    }
    meta.evidence = evidence;
}

/// Candidates being gathered for one field, keyed by a comparison form of their value.
#[derive(Default)]
struct Pool {
    /// Key, candidate, and the confidence of the source whose spelling the value is.
    entries: Vec<(String, Candidate, f32)>,
    /// Of two spellings of one value, keep the longer ("01/CT-UBND", not "1/CT-UBND": a
    /// reader loses a faint leading zero more often than it invents one), unless only a
    /// weak reading offers it: a reading the reader itself doubts ("0157" at confidence
    /// 0) must not respell what a sure one read ("157").
    prefer_longer: bool,
}

impl Pool {
    fn add(&mut self, key: String, value: String, source: Evidence) {
        let weight = if source.agrees { source.confidence } else { 0.0 };
        match self.entries.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, c, spelled_by)) => {
                if self.prefer_longer && value != c.value {
                    let longer = value.chars().count() > c.value.chars().count();
                    let (strong_new, strong_old) = (weight >= MIN_INDEPENDENT, *spelled_by >= MIN_INDEPENDENT);
                    if (strong_new && !strong_old) || (strong_new == strong_old && longer) {
                        c.value = value;
                        *spelled_by = weight;
                    }
                }
                // One vote per source: the same reading twice is one witness.
                match c.sources.iter_mut().find(|s| s.kind == source.kind && s.agrees == source.agrees && s.text == source.text) {
                    Some(s) if s.confidence >= source.confidence => {}
                    Some(s) => *s = source,
                    None => c.sources.push(source),
                }
            }
            None => self.entries.push((key, Candidate { value, confidence: 0.0, sources: vec![source] }, weight)),
        }
    }

    /// Adds `source` to the candidate `key` if there is one (support, never a new value).
    fn support(&mut self, key: &str, source: Evidence) {
        if let Some((_, c, _)) = self.entries.iter_mut().find(|(k, _, _)| k == key) {
            if !c.sources.iter().any(|s| s.kind == source.kind && s.agrees == source.agrees) {
                c.sources.push(source);
            }
        }
    }

    /// Candidates with their confidence, best first.
    fn ranked(self) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = self
            .entries
            .into_iter()
            .map(|(_, mut c, _)| {
                c.confidence = score(&c.sources);
                c
            })
            .collect();
        out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.value.cmp(&b.value)));
        out
    }
}

/// Agreeing sources combine as independent witnesses (noisy-or); a source against the
/// value takes off in proportion to its weight.
pub(super) fn score(sources: &[Evidence]) -> f32 {
    let mut doubt = 1.0;
    let mut against = 1.0;
    for s in sources {
        let c = s.confidence.clamp(0.0, 0.99);
        if s.agrees {
            doubt *= 1.0 - c;
        } else {
            against *= 1.0 - 0.8 * c;
        }
    }
    ((1.0 - doubt) * against * 100.0).round() / 100.0
}

/// Kinds of source that agree with a candidate with some weight.
fn independent(c: &Candidate) -> usize {
    let mut kinds: Vec<EvidenceKind> = c.sources.iter().filter(|s| s.agrees && s.confidence >= MIN_INDEPENDENT).map(|s| s.kind).collect();
    kinds.sort_by_key(|k| *k as u8);
    kinds.dedup();
    kinds.len()
}

fn evidence(kind: EvidenceKind, text: impl Into<String>, confidence: f32, page: Option<u32>) -> Evidence {
    Evidence { kind, text: text.into(), confidence: (confidence * 100.0).round() / 100.0, page, agrees: true }
}

/// A page OCR reading of a slot, as digits, when it is digits (possibly around stray marks
/// of the line: "157/", "22.").
fn clean_digits(text: &str) -> Option<String> {
    let trimmed = text.trim().trim_matches(|c: char| matches!(c, '/' | '-' | '.' | ',' | '_' | ':' | ' '));
    (!trimmed.is_empty() && trimmed.len() <= 5 && trimmed.chars().all(|c| c.is_ascii_digit())).then(|| trimmed.to_owned())
}

/// Page OCR's signs for two pen digits, as the digits: a slashed zero comes out "Ø", a
/// crossed seven (as Vietnamese clerks write it) "†" or "‡" ("0†" for a pen 07, "Ø3"
/// for 03 on the development pages). Only where a digit stands beside it: a lone sign may
/// be anything.
fn pen_shapes(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() != 2 || !t.chars().any(|c| c.is_ascii_digit()) {
        return text.to_owned();
    }
    t.chars().map(|c| match c {
        'Ø' | 'ø' => '0',
        '†' | '‡' => '7',
        other => other,
    }).collect()
}

/// How much a page OCR reading of a slot is worth: Tesseract is sure of typed digits (90+)
/// and unsure of handwriting, which it also reads as digits now and then.
fn printed_weight(confidence: f32) -> f32 {
    ((confidence - 55.0) / 45.0).clamp(0.0, 1.0) * 0.9
}

/// The outcome for one field from its ranked candidates.
struct Decision {
    value: Option<String>,
    evidence: FieldEvidence,
}

/// Stores the best candidate when it has enough support; flags it unless `sure` says the
/// evidence is strong and agrees.
fn decide(candidates: Vec<Candidate>, sure: impl Fn(&Candidate, Option<&Candidate>) -> bool, read_kinds: &[EvidenceKind], missing: &str) -> Decision {
    let Some(best) = candidates.first() else {
        return Decision {
            value: None,
            evidence: FieldEvidence { confidence: 0.0, needs_review: true, origin: Origin::None, reason: Some(missing.to_owned()), candidates },
        };
    };
    let stored = best.confidence >= MIN_STORED;
    let confident = stored && sure(best, candidates.get(1));
    let read = best.sources.iter().any(|s| s.agrees && read_kinds.contains(&s.kind) && s.confidence >= MIN_INDEPENDENT);
    let reason = if confident {
        None
    } else if !stored {
        Some(format!("{missing}; các khả năng đọc được đều yếu"))
    } else if candidates.get(1).is_some_and(|r| r.confidence >= best.confidence * 0.6) {
        Some(format!("các nguồn không khớp: {}", candidates.iter().take(3).map(describe).collect::<Vec<_>>().join("; ")))
    } else if independent(best) < 2 {
        Some(format!("chỉ một nguồn: {}", describe(best)))
    } else {
        Some(format!("bằng chứng yếu: {}", describe(best)))
    };
    Decision {
        value: stored.then(|| best.value.clone()),
        evidence: FieldEvidence {
            confidence: if stored { best.confidence } else { 0.0 },
            needs_review: !confident,
            origin: match (stored, read) {
                (false, _) => Origin::None,
                (true, true) => Origin::Read,
                (true, false) => Origin::Inferred,
            },
            reason,
            candidates,
        },
    }
}

/// "280/BC-UBND (chữ số viết tay, tên tệp)".
fn describe(c: &Candidate) -> String {
    let kinds: Vec<&str> = c.sources.iter().filter(|s| s.agrees).map(|s| s.kind.label_vi()).collect();
    format!("{} ({})", c.value, kinds.join(", "))
}

// ---------------------------------------------------------------------------------------
// Number

/// The printed part after the number, canonical ("/BC-UBND", "-NQ/TW", "/2026/TT-BCT"),
/// from the layout when it parses, else from the text reader's number.
fn suffix(meta: &DocumentMeta, header: Option<&PageHeader>) -> Option<String> {
    let from_layout = header.and_then(|h| h.number.as_ref()).and_then(|n| canonical_suffix(&n.suffix));
    let from_text = meta.id.as_ref().map(|id| id.as_str()[id.number().len()..].to_owned());
    from_layout.or(from_text)
}

fn canonical_suffix(suffix: &str) -> Option<String> {
    let id = DocId::parse(&format!("1{suffix}"))?;
    (id.number() == "1").then(|| id.as_str()[1..].to_owned())
}

/// The id for `digits` with `suffix`, canonical.
fn with_suffix(digits: &str, suffix: &str) -> Option<DocId> {
    DocId::parse(&format!("{digits}{suffix}")).filter(|id| id.number() == digits)
}

/// The type and issuer codes of a suffix ("/QĐ-UBND" → QĐ, UBND), for file names.
fn codes(suffix: &str) -> Vec<String> {
    suffix.split(['/', '-']).filter(|p| p.chars().any(char::is_alphabetic)).map(str::to_owned).collect()
}

fn number(meta: &DocumentMeta, layer: &DocumentMeta, inputs: &Inputs) -> (Option<DocId>, FieldEvidence) {
    let header = inputs.header.map(|(_, h)| h);
    let page = inputs.header.map(|(p, _)| p);
    let Some(suffix) = suffix(meta, header).or_else(|| suffix(layer, None)) else {
        // No number line: keep what the text reader decided (a partly legible number is
        // in its flags), and say so.
        let decision = decide(Vec::new(), |_, _| false, &[], "không tìm thấy dòng số, ký hiệu");
        return (meta.id.clone(), FieldEvidence { needs_review: meta.id.is_none(), ..decision.evidence });
    };
    let all_name_numbers = filename::numbers(inputs.source_path);
    let mut pool = Pool { prefer_longer: true, ..Pool::default() };
    let key = |id: &DocId| id.index_key();
    let add = |pool: &mut Pool, digits: &str, source: Evidence| {
        if let Some(id) = with_suffix(digits, &suffix) {
            pool.add(key(&id), id.to_string(), source);
        }
    };
    match header.and_then(|h| h.number.as_ref()) {
        Some(line) => {
            let slot = &line.digits;
            if let Some(digits) = clean_digits(&pen_shapes(&slot.ocr)) {
                add(&mut pool, &digits, evidence(EvidenceKind::PrintedText, line.text.clone(), printed_weight(slot.ocr_confidence), page));
            }
            for reading in slot_readings(slot) {
                add(&mut pool, &reading.0, evidence(EvidenceKind::Handwriting, reading.0.clone(), reading.1, page));
            }
        }
        None => {
            // The text reader's number: a text file, or a page whose layout was not found.
            if let Some(id) = &meta.id {
                // On a scan whose header was not found, it is one OCR reading nothing checked.
                let weight = if inputs.header.is_none() && !inputs.scanned { 0.8 } else { 0.5 };
                add(&mut pool, id.number(), evidence(EvidenceKind::PrintedText, meta.number_raw.clone().unwrap_or_else(|| id.to_string()), weight, None));
            }
        }
    }
    // A born-digital page's text layer prints the number exactly.
    if let Some(id) = &layer.id {
        pool.add(key(id), id.to_string(), evidence(EvidenceKind::TextLayer, layer.number_raw.clone().unwrap_or_else(|| id.to_string()), 0.7, page));
    }
    // The file's name: a number beside the suffix's type code ("280-BC", "QD430") is a
    // candidate of its own (the page may be illegible); any other number only supports what
    // the page shows. A number the suffix itself holds ("BCĐ138") is not the document's.
    let name = inputs.source_path.rsplit(['/', '\\']).next().unwrap_or(inputs.source_path).to_owned();
    let codes = codes(&suffix);
    let in_suffix = |digits: &str| codes.iter().any(|c| c.contains(digits));
    let name_numbers: Vec<&NameNumber> = all_name_numbers.iter().filter(|n| !in_suffix(&n.digits)).collect();
    let beside: Vec<bool> = name_numbers.iter().map(|n| codes.first().is_some_and(|c| n.beside(c))).collect();
    // Two numbers beside the code ("12-QD-430") leave the name ambiguous.
    let beside_weight = if beside.iter().filter(|&&b| b).count() > 1 { 0.25 } else { 0.45 };
    for (n, beside) in name_numbers.iter().zip(beside) {
        let source = evidence(EvidenceKind::FileName, name.clone(), if beside { beside_weight } else { 0.2 }, None);
        if let Some(id) = with_suffix(&n.digits, &suffix) {
            if beside {
                pool.add(key(&id), id.to_string(), source);
            } else {
                pool.support(&key(&id), source);
            }
        }
    }
    // The same number on a later page ("Kèm theo Quyết định số 280/QĐ-UBND …").
    for c in inputs.citations.iter().filter(|c| page.is_some_and(|p| c.page > p)) {
        let Some(id) = &c.id else { continue };
        if id.as_str()[id.number().len()..] == suffix {
            pool.support(&key(id), evidence(EvidenceKind::LaterPage, c.context.clone(), 0.5, Some(c.page)));
        }
    }
    let mut candidates = pool.ranked();
    if let Some(k) = named_and_read(&candidates) {
        let c = candidates.remove(k);
        candidates.insert(0, c);
    }
    // A number of the name that is not beside the type code only supports; but one that
    // differs from the page's reading by a single digit is most likely the same number,
    // misread on the page or mistyped in the name: either way a clerk must look.
    let near = candidates.first().and_then(|best| {
        let digits = DocId::parse(&best.value).map(|id| id.number().trim_start_matches('0').to_owned())?;
        name_numbers.iter().find(|n| one_digit_apart(n.value(), &digits)).map(|n| n.digits.clone())
    });
    if let Some(digits) = &near {
        if let Some(id) = with_suffix(digits, &suffix) {
            if !candidates.iter().any(|c| c.value == id.to_string()) {
                candidates.push(Candidate { value: id.to_string(), confidence: 0.2, sources: vec![evidence(EvidenceKind::FileName, name.clone(), 0.2, None)] });
            }
        }
    }
    let mut decision = decide(candidates, sure_number, &READ, "không đọc được số");
    if let (Some(digits), Some(_)) = (&near, &decision.value) {
        if !decision.evidence.needs_review {
            decision.evidence.needs_review = true;
            decision.evidence.reason = Some(format!("tên tệp «{name}» ghi số {digits}, chỉ khác một chữ số với số đọc trên trang"));
        }
    }
    let id = decision.value.as_deref().and_then(DocId::parse);
    (id, decision.evidence)
}

/// The least weight a digit reader's reading needs for the file name to bring it forward.
const NAMED_READING: f32 = 0.05;

/// The candidate to put first when the best one rests on the digit reader alone and another
/// is named by the file (beside the type code) and read by the reader too, with less
/// weight, or read by page OCR in the same slot (however unsure: Tesseract reads a pen
/// "47" as "4†", a crossed seven, where the digit reader takes the seven for a "4"). The
/// reader's readings are a spread over what the ink may say, and its commonest errors are
/// one digit shape for another (a pen "1" read as "4": 16 → 46, 22 → 42); a clerk's name
/// agreeing by chance with one of them, or with another reader's reading of the same ink,
/// is rarer than the reader ranking a near shape first. Both stay candidates and the field
/// is left for review (the reader's best is a close rival); a typed reading page OCR is
/// sure of is never overruled.
fn named_and_read(candidates: &[Candidate]) -> Option<usize> {
    let best = candidates.first()?;
    let typed = best.sources.iter().any(|s| s.agrees && ((s.kind == EvidenceKind::PrintedText && s.confidence >= 0.8) || s.kind == EvidenceKind::TextLayer));
    let named = |c: &Candidate| c.sources.iter().any(|s| s.agrees && s.kind == EvidenceKind::FileName && s.confidence >= MIN_STORED);
    if typed || named(best) {
        return None;
    }
    let read = |c: &Candidate| c.sources.iter().any(|s| s.agrees && ((s.kind == EvidenceKind::Handwriting && s.confidence >= NAMED_READING) || (s.kind == EvidenceKind::PrintedText && s.page.is_some())));
    candidates.iter().position(|c| named(c) && read(c)).filter(|&k| k > 0)
}

/// Two numbers of three digits or more, of the same length, that differ in exactly one
/// digit (the commonest misreading of a number: one digit for another).
fn one_digit_apart(a: &str, b: &str) -> bool {
    a.len() >= 3 && a.len() == b.len() && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
}

/// The readings of a slot with ink, as (digits, score).
fn slot_readings(slot: &Slot) -> Vec<(String, f32)> {
    if slot.blank {
        return Vec::new();
    }
    slot.readings.iter().filter(|r| (1..=5).contains(&r.text.len())).map(|r| (r.text.clone(), r.score)).collect()
}

/// A number is sure when two kinds of source agree and no rival comes close, or when it is
/// typed and read with high confidence and no other source gives another number with
/// weight: page OCR is sure of some misreadings too (a pen "115" taken for a typed "445"),
/// so a digit reader that reads another number rather than this one, or a file name's
/// other number beside the type code, leaves the number for a clerk to check.
fn sure_number(best: &Candidate, rival: Option<&Candidate>) -> bool {
    let rival_close = rival.is_some_and(|r| r.confidence >= 0.4 || r.confidence >= best.confidence * 0.5);
    let typed = best.sources.iter().any(|s| (s.kind == EvidenceKind::PrintedText && s.confidence >= 0.8) || (s.kind == EvidenceKind::TextLayer && s.confidence >= 0.7));
    // The digit reader reads typed digits well too: its best reading going to another
    // number, with some weight, is a second opinion against the page OCR's.
    let best_read = best.sources.iter().filter(|s| s.agrees && s.kind == EvidenceKind::Handwriting).map(|s| s.confidence).fold(0.0, f32::max);
    let rival_read = rival.is_some_and(|r| r.sources.iter().any(|s| s.agrees && s.kind == EvidenceKind::Handwriting && s.confidence >= MIN_INDEPENDENT.max(best_read)));
    let rival_named = rival.is_some_and(|r| r.confidence >= 0.4 && r.sources.iter().any(|s| s.agrees && s.kind == EvidenceKind::FileName));
    (independent(best) >= 2 && best.confidence >= 0.6 && !rival_close) || (typed && !rival_read && !rival_named)
}

// ---------------------------------------------------------------------------------------
// Date

/// The earliest day a valid issuer signature was made, and the earliest publisher copy
/// stamp (a looser bound: the gazette publishes after the issuer signs).
fn signing_bounds(signatures: &[Signature]) -> (Option<(time::Date, String)>, Option<(time::Date, String)>) {
    let valid = || signatures.iter().filter(|s| s.verification == Verification::Valid);
    let day = |s: &Signature| -> Option<(time::Date, String)> {
        let t = s.time()?;
        let local = if t.offset().is_utc() { t.to_offset(time::UtcOffset::from_hms(7, 0, 0).ok()?) } else { t };
        Some((local.date(), format!("{}: {}", s.signer, s.time_for_display().unwrap_or_default())))
    };
    let issuer = valid().filter(|s| s.role != SignerRole::Publisher).filter_map(day).min_by_key(|(d, _)| *d);
    let publisher = valid().filter(|s| s.role == SignerRole::Publisher).filter_map(day).min_by_key(|(d, _)| *d);
    (issuer, publisher)
}

/// How many days before its first issuer signature a document is usually dated at most.
const SIGNED_WITHIN_DAYS: i64 = 10;
/// The same for the gazette's copy stamp.
const PUBLISHED_WITHIN_DAYS: i64 = 20;

fn iso(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day())
}

fn parse_iso(text: &str) -> Option<time::Date> {
    let mut parts = text.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.get(..2)?.parse().ok()?;
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

fn date(meta: &DocumentMeta, layer: &DocumentMeta, inputs: &Inputs) -> (Option<String>, FieldEvidence) {
    let header = inputs.header.and_then(|(p, h)| h.date.as_ref().map(|d| (p, d)));
    let mut pool = Pool::default();
    let mut views_disagree = false;
    let (signed, published) = signing_bounds(inputs.signatures);
    // The text reader's date (typed dates, text files, a date line the layout missed). Where
    // the layout found the date line, the text reader read the same OCR words: not a
    // second witness.
    let text_date = meta.date.as_deref().and_then(parse_iso);
    if let (Some(d), None) = (text_date, header) {
        pool.add(iso(d), iso(d), evidence(EvidenceKind::PrintedText, iso(d), 0.8, None));
    }
    if let Some(d) = layer.date.as_deref().and_then(parse_iso) {
        pool.add(iso(d), iso(d), evidence(EvidenceKind::TextLayer, iso(d), 0.7, None));
    }
    if let Some((page, line)) = header {
        let year = line
            .year
            .as_ref()
            .and_then(|(y, c)| (y.len() == 4).then(|| y.parse::<i32>().ok().map(|y| (y, *c))).flatten())
            .or_else(|| text_date.map(|d| (d.year(), 60.0)));
        let months: Vec<(u8, Evidence)> = {
            let printed = clean_digits(&line.month.ocr).and_then(|m| m.parse::<u8>().ok()).filter(|m| (1..=12).contains(m));
            match printed {
                Some(m) if line.month.ocr_confidence >= 70.0 => vec![(m, evidence(EvidenceKind::PrintedText, format!("tháng {m}"), printed_weight(line.month.ocr_confidence), Some(page)))],
                _ => {
                    let mut months: Vec<(u8, Evidence)> = slot_readings(&line.month)
                        .into_iter()
                        .filter_map(|(t, s)| t.parse::<u8>().ok().filter(|m| (1..=12).contains(m)).map(|m| (m, evidence(EvidenceKind::Handwriting, format!("tháng {t}"), s, Some(page)))))
                        .take(2)
                        .collect();
                    if let Some(m) = printed {
                        months.push((m, evidence(EvidenceKind::PrintedText, format!("tháng {m}"), printed_weight(line.month.ocr_confidence), Some(page))));
                    }
                    months
                }
            }
        };
        let mut days: Vec<(u8, Evidence)> = Vec::new();
        if let Some(d) = clean_digits(&pen_shapes(&line.day.ocr)).and_then(|d| d.parse::<u8>().ok()).filter(|d| (1..=31).contains(d)) {
            days.push((d, evidence(EvidenceKind::PrintedText, line.text.clone(), printed_weight(line.day.ocr_confidence), Some(page))));
        }
        // The day crop's readings and the whole line's (the printed words anchoring the
        // day) are two views of one ink by one reader: averaged, not two witnesses.
        let slot_days: Vec<(u8, String, f32)> = slot_readings(&line.day).into_iter().filter_map(|(t, s)| Some((t.parse::<u8>().ok()?, t, s))).collect();
        let line_days: Vec<(u8, f32)> = line.line_readings.iter().filter(|r| r.month.is_none()).map(|r| (r.day, r.score)).collect();
        let mut seen: Vec<u8> = Vec::new();
        for d in slot_days.iter().map(|(d, _, _)| *d).chain(line_days.iter().map(|(d, _)| *d)) {
            if !seen.contains(&d) {
                seen.push(d);
            }
        }
        let views = if line_days.is_empty() || line.day.blank { 1.0 } else { 2.0 };
        // The two views reading different days is a disagreement of its own.
        let top = |days: &[(u8, f32)]| days.iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|d| d.0);
        let slot_top = top(&slot_days.iter().map(|(d, _, s)| (*d, *s)).collect::<Vec<_>>());
        views_disagree = views > 1.0 && slot_top.is_some() && slot_top != top(&line_days);
        for d in seen {
            let from_slot: f32 = slot_days.iter().filter(|(x, _, _)| *x == d).map(|(_, _, s)| s).sum();
            let from_line: f32 = if views > 1.0 { line_days.iter().filter(|(x, _)| *x == d).map(|(_, s)| s).sum() } else { 0.0 };
            let spelled = slot_days.iter().find(|(x, _, _)| *x == d).map_or_else(|| d.to_string(), |(_, t, _)| t.clone());
            days.push((d, evidence(EvidenceKind::Handwriting, format!("ngày {spelled}"), (from_slot + from_line) / views, Some(page))));
        }
        if let Some((year, _)) = year {
            for (m, month_source) in &months {
                for (d, day_source) in &days {
                    let Ok(month) = time::Month::try_from(*m) else { continue };
                    let Ok(date) = time::Date::from_calendar_date(year, month, *d) else { continue };
                    let mut source = day_source.clone();
                    // The day carries the weight; a month read by hand weakens it.
                    if month_source.kind == EvidenceKind::Handwriting {
                        source.confidence = (source.confidence * month_source.confidence.max(0.3) * 2.0).min(source.confidence);
                    }
                    pool.add(iso(date), iso(date), source);
                }
            }
        }
    }
    // Signing times bound the date: issued on or a few days before the first signature.
    let cited = cited_bound(inputs.citations, meta.id.as_ref());
    let mut candidates = pool.ranked();
    for c in &mut candidates {
        let Some(d) = parse_iso(&c.value) else { continue };
        // A day before the latest document the page cites cannot be the document's own. The
        // cited date was OCR'd too, so it speaks against the day without ruling it out.
        if let Some((day, text)) = cited.as_ref().filter(|(day, _)| d < *day) {
            c.sources.push(Evidence { agrees: false, ..evidence(EvidenceKind::Cites, format!("{text} (ngày {})", iso(*day)), CITED_AGAINST, None) });
        }
    }
    // A day only the digit reader read: the signing time weighs its readings (see
    // [`signing_prior`]). A typed day is checked against the signatures below, not weighed.
    let typed_day = |c: &Candidate| c.sources.iter().any(|s| matches!(s.kind, EvidenceKind::PrintedText | EvidenceKind::TextLayer) && s.agrees && s.confidence >= 0.7);
    let prior = if candidates.iter().any(typed_day) { None } else { signed.as_ref().map(|b| (b, false)).or(published.as_ref().map(|b| (b, true))) };
    let mut overturned = None;
    let mut weighed_by = None;
    if let Some(((day, text), publisher_only)) = prior {
        overturned = weigh_by_signing_time(&mut candidates, *day, text, publisher_only);
        weighed_by = overturned.as_ref().is_none_or(|o| !o.kept).then_some(*day);
    }
    for c in &mut candidates {
        let Some(d) = parse_iso(&c.value) else { continue };
        // A window of days agrees with a third of all readings by chance: a check on a
        // reading, not a witness of its own (its weight stays below `MIN_INDEPENDENT`).
        for (bound, within, weight) in [(&signed, SIGNED_WITHIN_DAYS, 0.15), (&published, PUBLISHED_WITHIN_DAYS, 0.1)] {
            let Some((day, text)) = bound else { continue };
            let before = (*day - d).whole_days();
            // The signature that weighed the readings has had its say.
            if weighed_by == Some(*day) {
                continue;
            }
            if (0..=within).contains(&before) {
                c.sources.push(evidence(EvidenceKind::Signature, text.clone(), weight, None));
            } else if before < 0 {
                c.sources.push(Evidence { agrees: false, ..evidence(EvidenceKind::Signature, text.clone(), 0.9, None) });
            }
        }
        c.confidence = score(&c.sources);
    }
    candidates.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then_with(|| a.value.cmp(&b.value)));
    let mut decision = decide(candidates, sure_date, &READ, "không đọc được ngày");
    // (A typed day read by page OCR settles it: the reader's views are of the same print.)
    let typed = decision.evidence.sources().iter().any(|s| matches!(s.kind, EvidenceKind::PrintedText | EvidenceKind::TextLayer) && s.agrees && s.confidence >= 0.7);
    if views_disagree && !typed && decision.value.is_some() && !decision.evidence.needs_review {
        decision.evidence.needs_review = true;
        decision.evidence.reason = Some(format!("hai lần đọc ngày viết tay không khớp: {}", decision.evidence.candidates.iter().take(3).map(describe).collect::<Vec<_>>().join("; ")));
    }
    if let (Some(o), Some(_)) = (&overturned, &decision.value) {
        decision.evidence.needs_review = true;
        let chose = if o.kept { "chữ số viết tay đọc rõ, giữ nguyên" } else { "chọn theo thời điểm ký" };
        decision.evidence.reason = Some(format!("chữ số viết tay đọc là {}, thời điểm ký số gợi ý {} ({chose}): {}", o.read, o.chosen, decision.evidence.candidates.iter().take(3).map(describe).collect::<Vec<_>>().join("; ")));
    }
    if decision.value.is_none() {
        if let Some((day, text)) = signed.as_ref().or(published.as_ref()) {
            decision.evidence.reason = Some(format!("{}; ký số {} ({text})", decision.evidence.reason.unwrap_or_default(), iso(*day)));
        }
    }
    (decision.value, decision.evidence)
}

/// How likely a document is dated `before` days before its first signature, against a
/// day anywhere in the month (a likelihood ratio). Measured on the Quảng Ngãi development
/// pages (`header_dev` prints each page's signatures and gold date): of 33 pages with an
/// issuer's signature, 25 are dated that day or the day before, 7 two to four days
/// before, 1 seventeen days before; on the 3 with only the gazette's copy stamp, one day
/// before. Rounded towards 1 (a prior, not a verdict): the clerk dates the page when it is
/// signed on paper, the digital signature follows within the day as a rule.
fn signing_prior(before: i64, publisher_only: bool) -> f32 {
    match (publisher_only, before) {
        (_, b) if b < 0 => 0.05,
        (false, 0..=1) => 8.0,
        (false, 2..=4) => 2.0,
        (false, 5..=10) => 0.5,
        (true, 0..=2) => 4.0,
        (true, 3..=7) => 1.5,
        (true, 8..=20) => 0.5,
        _ => 0.25,
    }
}

/// A reading the reader is this sure of is kept when the signing time points elsewhere
/// (and flagged): the prior chooses between unsure readings, it does not overrule a clear one.
const CLEAR_READING: f32 = 0.6;

/// Weighs handwritten day readings by the signing time (Bayes: each candidate's support
/// times [`signing_prior`], normalised over the candidates and the days no reading gave),
/// and writes the change as each candidate's signature evidence, for or against, so that
/// its confidence is the weighed one and says where it came from.
///
/// When the weighing would put another day before the reader's first reading, that is
/// returned (reading, chosen, whether the reading was kept): a reading the reader is sure
/// of ([`CLEAR_READING`]) is kept unweighed; either way the field is for a clerk to check.
fn weigh_by_signing_time(candidates: &mut Vec<Candidate>, signed: time::Date, text: &str, publisher_only: bool) -> Option<Overturn> {
    let bases: Vec<f32> = candidates.iter().map(|c| score(&c.sources)).collect();
    let first = (0..candidates.len()).max_by(|&a, &b| bases[a].total_cmp(&bases[b]).then_with(|| candidates[b].value.cmp(&candidates[a].value)))?;
    let (read, read_base) = (candidates[first].value.clone(), bases[first]);
    let factors: Vec<f32> = candidates.iter().map(|c| parse_iso(&c.value).map_or(1.0, |d| signing_prior((signed - d).whole_days(), publisher_only))).collect();
    let total: f32 = bases.iter().sum();
    let norm: f32 = bases.iter().zip(&factors).map(|(b, f)| b * f).sum::<f32>() + (1.0 - total).max(0.0);
    if norm <= 0.0 {
        return None;
    }
    let mut weighed_all = candidates.clone();
    for ((c, base), factor) in weighed_all.iter_mut().zip(&bases).zip(&factors) {
        let weighed = (base * factor / norm).clamp(0.0, 0.99);
        let Some(d) = parse_iso(&c.value) else { continue };
        let before = (signed - d).whole_days();
        let said = format!("{text}; ngày văn bản {}", if before >= 0 { format!("{before} ngày trước khi ký") } else { format!("{} ngày sau khi ký", -before) });
        if weighed > *base + 0.005 {
            let raise = 1.0 - (1.0 - weighed) / (1.0 - base).max(0.01);
            c.sources.push(evidence(EvidenceKind::Signature, said, raise, None));
        } else if weighed < *base - 0.005 && *base > 0.0 {
            let lower = ((1.0 - weighed / base) / 0.8).min(0.99);
            c.sources.push(Evidence { agrees: false, ..evidence(EvidenceKind::Signature, said, lower, None) });
        }
        c.confidence = score(&c.sources);
    }
    let chosen = weighed_all.iter().max_by(|a, b| a.confidence.total_cmp(&b.confidence).then_with(|| b.value.cmp(&a.value)))?.value.clone();
    if chosen == read {
        *candidates = weighed_all;
        return None;
    }
    let kept = read_base >= CLEAR_READING;
    if !kept {
        *candidates = weighed_all;
    }
    Some(Overturn { read, chosen, kept })
}

/// The signing time pointing to another day than the digit reader's first reading.
struct Overturn {
    read: String,
    chosen: String,
    /// The reading was clear and kept; the signing time's day is only its rival.
    kept: bool,
}

/// How much a cited document dated after a candidate day speaks against it.
const CITED_AGAINST: f32 = 0.6;

/// The latest date of the documents `citations` cite (other than the document itself,
/// `own`, which a later page may repeat), with the citation's words: the document is dated
/// on or after it.
fn cited_bound(citations: &[Citation], own: Option<&DocId>) -> Option<(time::Date, String)> {
    let own = own.map(DocId::index_key);
    citations
        .iter()
        .filter(|c| c.id.as_ref().is_none_or(|id| Some(id.index_key()) != own))
        .filter_map(|c| {
            let day = parse_iso(c.date.as_deref()?)?;
            let label = match (&c.id, &c.name) {
                (Some(id), _) => format!("{} {id}", c.doc_type),
                (None, Some(name)) => name.clone(),
                (None, None) => c.raw.clone(),
            };
            Some((day, label.trim().to_owned()))
        })
        .max_by_key(|(day, _)| *day)
}

/// A date is sure when its day was typed and read with confidence and no signature
/// contradicts it, or when the digit reader read it well and it falls in the signing
/// window, with no rival close.
fn sure_date(best: &Candidate, rival: Option<&Candidate>) -> bool {
    let against = best.sources.iter().any(|s| !s.agrees);
    let typed = best.sources.iter().any(|s| matches!(s.kind, EvidenceKind::PrintedText | EvidenceKind::TextLayer) && s.agrees && s.confidence >= 0.7);
    let read = best.sources.iter().any(|s| s.kind == EvidenceKind::Handwriting && s.confidence >= 0.4);
    // The issuer's own signature: the gazette's copy stamp, weeks later, is too loose a check.
    let in_window = best.sources.iter().any(|s| s.kind == EvidenceKind::Signature && s.agrees && s.confidence >= 0.15);
    let rival_close = rival.is_some_and(|r| r.confidence >= best.confidence * 0.6);
    !against && !rival_close && (typed || (read && in_window))
}

// ---------------------------------------------------------------------------------------
// Issuer and type

fn fold(text: &str) -> String {
    crate::viet::fold(text).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn issuer(meta: &DocumentMeta, inputs: &Inputs) -> (Option<String>, Option<String>, FieldEvidence) {
    let page = inputs.header.map(|(p, _)| p);
    let lines = inputs.header.map(|(_, h)| h.issuer_lines.clone()).unwrap_or_default();
    // The block's last three lines, split into issuer and superior body as the text reader
    // splits them ("ỦY BAN NHÂN DÂN / TỈNH …" is one name wrapped; "HUYỆN ỦY …" under
    // "ĐẢNG BỘ TỈNH …" is a body of its own).
    let block = lines[lines.len().saturating_sub(3)..].join("\n");
    let split = if lines.is_empty() { DocumentMeta::default() } else { crate::cite::extract(&block).document };
    let (layout_issuer, layout_parent) = (split.issuer, split.parent_issuer);
    let mut pool = Pool::default();
    if let Some(issuer) = &layout_issuer {
        pool.add(fold(issuer), issuer.clone(), evidence(EvidenceKind::HeaderLayout, lines.join(" / "), 0.8, page));
    }
    if let Some(issuer) = &meta.issuer {
        pool.add(fold(issuer), issuer.clone(), evidence(EvidenceKind::PrintedText, issuer.clone(), 0.7, None));
    }
    // The certificate names the organisation that signed: support for a printed issuer of
    // that name; the only candidate when nothing printed was read.
    let sealed = inputs
        .signatures
        .iter()
        .filter(|s| s.verification == Verification::Valid && s.role == SignerRole::Organization)
        .map(|s| s.signer.clone())
        .next();
    if let Some(org) = sealed {
        let source = evidence(EvidenceKind::Signature, org.clone(), 0.6, None);
        // A printed name the seal's name continues ("Ủy ban nhân dân" read, the rest of the
        // block lost to OCR; the certificate says "… tỉnh Quảng Ngãi") is that name cut short.
        let key = fold(&org);
        let cut_short: Vec<Evidence> = pool.entries.iter().filter(|(k, _, _)| key.starts_with(&format!("{k} "))).flat_map(|(_, c, _)| c.sources.clone()).collect();
        if pool.entries.is_empty() || !cut_short.is_empty() {
            pool.add(key.clone(), org.to_uppercase(), source);
            for s in cut_short {
                pool.add(key.clone(), org.to_uppercase(), s);
            }
        } else {
            pool.support(&key, source);
        }
    }
    let candidates = pool.ranked();
    let parent = match candidates.first() {
        Some(best) if layout_issuer.as_deref().is_some_and(|i| fold(i) == fold(&best.value)) => layout_parent,
        _ => meta.parent_issuer.clone(),
    };
    let mut decision = decide(candidates, |best, _| best.confidence >= 0.6, &READ, "không đọc được cơ quan ban hành");
    // The organ in its canonical spelling, when the tables know it ("ỦY BAN NHÂN DÂN TỈNH
    // QUẢNG NGÃI" → "Ủy ban nhân dân tỉnh Quảng Ngãi"); a body they do not know stays as
    // printed.
    let value = decision.value.map(|printed| match normalized(&printed) {
        Some(name) => {
            if let Some(best) = decision.evidence.candidates.first_mut() {
                best.sources.push(evidence(EvidenceKind::Authority, name.clone(), 1.0, None));
                best.value = name.clone();
            }
            name
        }
        None => printed,
    });
    let parent = parent.map(|p| normalized(&p).unwrap_or(p));
    // Neither an organ of the tables nor a name that reads as one ("TRUNG TÂM Y TẾ HUYỆN
    // …" does; a seal's or a stamp's letters, "CỤ T§6 .J}LŸ", do not): a candidate for the
    // clerk, not a fact.
    if let Some(printed) = value.as_deref().filter(|v| !plausible_organ(v)) {
        let mut evidence = decision.evidence;
        evidence.reason = Some(format!("{NOT_AN_ORGAN}: «{printed}»"));
        evidence.needs_review = true;
        evidence.origin = Origin::None;
        evidence.confidence = 0.0;
        return (None, None, evidence);
    }
    (value, parent, decision.evidence)
}

/// The start of the reason given for an issuer read that names no organ.
const NOT_AN_ORGAN: &str = "không giống tên một cơ quan";

/// Whether a printed issuer names an organ: the tables know it, or it opens as organs'
/// names open ("SỞ", "TRUNG TÂM", "BAN", "UBND" …) and its words are Vietnamese.
fn plausible_organ(printed: &str) -> bool {
    if crate::authority::Authority::builtin().normalize_issuer(printed).is_some() {
        return true;
    }
    let words = printed.split_whitespace().count();
    (2..=16).contains(&words) && crate::cite::meta::opens_like_organ(printed) && crate::cite::meta::reads_as_vietnamese(printed)
}

/// The canonical name of the organ `printed` names, when it names one of the tables whole.
fn normalized(printed: &str) -> Option<String> {
    let organ = crate::authority::Authority::builtin().normalize_issuer(printed)?;
    let rest = printed.get(organ.consumed..).unwrap_or("");
    rest.chars().all(|c| !c.is_alphanumeric()).then_some(organ.name)
}

/// The type from the title line and from the number's code: agreeing, or one of them alone.
fn doc_type(meta: &DocumentMeta) -> (Option<String>, FieldEvidence) {
    let mut pool = Pool::default();
    if let Some(t) = &meta.doc_type {
        pool.add(fold(t), t.clone(), evidence(EvidenceKind::PrintedText, t.clone(), 0.8, None));
    }
    if let Some(t) = meta.id.as_ref().and_then(|id| id.implied_type()) {
        let code = meta.id.as_ref().map(|id| id.to_string()).unwrap_or_default();
        pool.add(fold(t), t.to_owned(), evidence(EvidenceKind::PrintedText, code, 0.6, None));
    }
    let candidates = pool.ranked();
    let decision = decide(candidates, |best, rival| best.confidence >= 0.6 && rival.is_none_or(|r| r.confidence < best.confidence * 0.8), &[EvidenceKind::PrintedText], "không đọc được loại văn bản");
    (decision.value, decision.evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::digits::DigitReading;
    use crate::header::layout::{DateLine, NumberLine, Rect};
    use crate::header::FieldName;

    fn slot(ocr: &str, confidence: f32, readings: &[(&str, f32)]) -> Slot {
        Slot {
            ocr: ocr.to_owned(),
            ocr_confidence: confidence,
            field: Rect { left: 500, top: 380, right: 700, bottom: 470 },
            readings: readings.iter().map(|&(text, score)| DigitReading { text: text.to_owned(), score }).collect(),
            blank: false,
        }
    }

    #[test]
    fn a_doubtful_reading_does_not_respell_a_sure_number() {
        // Printed "157", the hand reader sure of "157" and, at confidence 0, of "0157":
        // numbers compare without leading zeros, so both are one candidate, spelled 157.
        let mut pool = Pool { prefer_longer: true, ..Pool::default() };
        pool.add("157".into(), "157".into(), evidence(EvidenceKind::Handwriting, "157", 0.99, Some(1)));
        pool.add("157".into(), "0157".into(), evidence(EvidenceKind::Handwriting, "0157", 0.0, Some(1)));
        assert_eq!(pool.ranked()[0].value, "157");
        // The other order: a weak first reading yields to a sure one.
        let mut pool = Pool { prefer_longer: true, ..Pool::default() };
        pool.add("157".into(), "0157".into(), evidence(EvidenceKind::Handwriting, "0157", 0.05, Some(1)));
        pool.add("157".into(), "157".into(), evidence(EvidenceKind::Handwriting, "157", 0.9, Some(1)));
        assert_eq!(pool.ranked()[0].value, "157");
        // Two sure readings: the faint leading zero is kept.
        let mut pool = Pool { prefer_longer: true, ..Pool::default() };
        pool.add("1".into(), "1".into(), evidence(EvidenceKind::Handwriting, "1", 0.9, Some(1)));
        pool.add("1".into(), "01".into(), evidence(EvidenceKind::PrintedText, "01", 0.4, Some(1)));
        assert_eq!(pool.ranked()[0].value, "01");
    }

    fn header(number: Slot, suffix: &str, day: Slot, month: &str) -> PageHeader {
        PageHeader {
            number: Some(NumberLine { text: format!("Số: {} {suffix}", number.ocr), digits: number, suffix: suffix.to_owned(), suffix_confidence: 90.0, span: (460, 960) }),
            date: Some(DateLine {
                text: "Quảng Ngãi, ngày … tháng … năm 2024".to_owned(),
                place: Some("Quảng Ngãi".to_owned()),
                day,
                month: slot(month, 95.0, &[]),
                year: Some(("2024".to_owned(), 96.0)),
                span: Rect { left: 1500, top: 380, right: 2300, bottom: 470 },
                line_readings: Vec::new(),
            }),
            issuer_lines: vec!["ỦY BAN NHÂN DÂN".to_owned(), "TỈNH QUẢNG NGÃI".to_owned()],
        }
    }

    fn signed(day: &str) -> Signature {
        serde_json::from_value(serde_json::json!({
            "signer": "Ủy ban nhân dân tỉnh Quảng Ngãi", "subject": "CN=Ủy ban nhân dân tỉnh Quảng Ngãi",
            "role": "organization", "signing_time": format!("{day}T10:40:48+07:00"), "kind": "ETSI.CAdES.detached",
            "byte_ranges": [[0, 1], [2, 3]], "coverage": "whole_file", "verification": {"status": "valid"}
        }))
        .expect("a signature record")
    }

    fn run(path: &str, header: Option<&PageHeader>, signatures: &[Signature], text_meta: DocumentMeta) -> DocumentMeta {
        let mut meta = text_meta;
        let inputs = Inputs { source_path: path, header: header.map(|h| (1, h)), signatures, citations: &[], text_layer: None, scanned: header.is_some() };
        combine(&mut meta, &inputs);
        meta
    }

    #[test]
    fn an_issuer_that_names_no_organ_is_a_candidate_not_a_fact() {
        let text = |issuer: &str| DocumentMeta { issuer: Some(issuer.to_owned()), ..DocumentMeta::default() };
        // A seal's letters read as the issuer: not stored, flagged, kept as a candidate.
        let meta = run("/scans/a.pdf", None, &[], text("CỤ T§6 .J}LŸ-2 i"));
        assert_eq!(meta.issuer, None);
        let e = meta.evidence.issuer.as_ref().unwrap();
        assert!(e.needs_review && e.reason.as_deref().is_some_and(|r| r.contains("CỤ T§6")), "{e:?}");
        assert_eq!(e.candidates[0].value, "CỤ T§6 .J}LŸ-2 i");
        // An organ the tables do not list, whose name reads as one, stays.
        let meta = run("/scans/a.pdf", None, &[], text("TRUNG TÂM PHÁT TRIỂN QUỸ ĐẤT HUYỆN SƠN TỊNH"));
        assert_eq!(meta.issuer.as_deref(), Some("TRUNG TÂM PHÁT TRIỂN QUỸ ĐẤT HUYỆN SƠN TỊNH"));
        assert!(!meta.evidence.needs_review(FieldName::Issuer));
        // Vietnamese words that open as no organ does: a line of the body, not an issuer.
        let meta = run("/scans/a.pdf", None, &[], text("VỀ VIỆC TĂNG CƯỜNG CÔNG TÁC"));
        assert_eq!(meta.issuer, None);
    }

    #[test]
    fn a_handwritten_number_the_reader_and_the_file_name_agree_on_is_stored_unflagged() {
        let h = header(slot("ổ0", 75.0, &[("280", 0.6), ("230", 0.1)]), "/BC-UBND", slot("", 0.0, &[("22", 0.5)]), "11");
        let meta = run("/scans/280-BC.pdf", Some(&h), &[signed("2024-11-26")], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("280/BC-UBND"));
        let number = meta.evidence.number.as_ref().unwrap();
        assert!(!number.needs_review, "{number:?}");
        assert_eq!(number.origin, Origin::Read);
        let kinds: Vec<EvidenceKind> = number.sources().iter().map(|s| s.kind).collect();
        assert!(kinds.contains(&EvidenceKind::Handwriting) && kinds.contains(&EvidenceKind::FileName), "{kinds:?}");
        assert_eq!(number.candidates[1].value, "230/BC-UBND");
        // The day read by hand falls four days before the issuer signed: the date is sure.
        assert_eq!(meta.date.as_deref(), Some("2024-11-22"));
        assert!(!meta.evidence.needs_review(FieldName::Date), "{:?}", meta.evidence.date);
        assert_eq!(meta.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
    }

    #[test]
    fn a_file_name_that_contradicts_the_page_leaves_the_number_for_review() {
        // A real "QD430.jpg" holds decision 440: the page's reading is kept, flagged, and the
        // name's number is a candidate, not the value.
        let h = header(slot("", 20.0, &[("440", 0.6)]), "/QĐ-UBND", slot("", 0.0, &[]), "3");
        let meta = run("QD430.jpg", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("440/QĐ-UBND"));
        let number = meta.evidence.number.as_ref().unwrap();
        assert!(number.needs_review);
        let values: Vec<&str> = number.candidates.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["440/QĐ-UBND", "430/QĐ-UBND"]);
        assert!(number.reason.as_deref().unwrap().contains("không khớp"), "{:?}", number.reason);
    }

    #[test]
    fn a_reading_the_file_name_also_gives_comes_before_one_the_reader_alone_gives() {
        // A pen "16" the reader reads "46" first and "16" far behind; the file "16CT.pdf"
        // names 16 beside the type code: 16 is stored, flagged, with 46 as the rival.
        let h = header(slot("", 20.0, &[("46", 0.9), ("16", 0.07)]), "/CT-UBND", slot("", 0.0, &[]), "12");
        let meta = run("16CT.pdf", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("16/CT-UBND"));
        let number = meta.evidence.number.as_ref().unwrap();
        assert!(number.needs_review, "{number:?}");
        assert_eq!(number.candidates[1].value, "46/CT-UBND");
        // A name the reader never read does not replace the reading (QD430 holding 440).
        let h = header(slot("", 20.0, &[("46", 0.9), ("48", 0.07)]), "/CT-UBND", slot("", 0.0, &[]), "12");
        let meta = run("16CT.pdf", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("46/CT-UBND"));
        // Nor does it overrule a typed number page OCR is sure of.
        let h = header(slot("46", 96.0, &[("46", 0.6), ("16", 0.3)]), "/CT-UBND", slot("", 0.0, &[]), "12");
        let meta = run("16CT.pdf", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("46/CT-UBND"));
    }

    #[test]
    fn a_reading_the_file_name_and_page_ocr_give_comes_before_one_the_reader_alone_gives() {
        // A pen "47" with a crossed seven: the digit reader sure of "44", page OCR unsure of
        // "4†"; the file "47-QD-UB.pdf" names 47 beside the type code.
        let h = header(slot("4†", 56.0, &[("44", 0.98)]), "/QĐ-UBND", slot("", 0.0, &[]), "1");
        let meta = run("47-QD-UB.pdf", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("47/QĐ-UBND"));
        let number = meta.evidence.number.as_ref().unwrap();
        assert!(number.needs_review, "{number:?}");
        assert_eq!(number.candidates[1].value, "44/QĐ-UBND");
        // Page OCR reading something else: the reader's reading stays first, still flagged.
        let h = header(slot("4#", 56.0, &[("44", 0.98)]), "/QĐ-UBND", slot("", 0.0, &[]), "1");
        let meta = run("47-QD-UB.pdf", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("44/QĐ-UBND"));
        assert!(meta.evidence.needs_review(FieldName::Number));
    }

    #[test]
    fn a_number_only_the_file_name_gives_is_inferred_and_flagged() {
        let h = header(slot("#", 53.0, &[]), "/CT-UBND", slot("", 0.0, &[]), "3");
        let meta = run("2352-07-CT-UBND.pdf", Some(&h), &[], DocumentMeta::default());
        // 2352 (a receipt number) is not beside the type code; 07 is.
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("07/CT-UBND"));
        let number = meta.evidence.number.as_ref().unwrap();
        assert!(number.needs_review);
        assert_eq!(number.origin, Origin::Inferred);
        // No day read: no date is made up from the signing time.
        assert_eq!(meta.date, None);
        assert!(meta.evidence.needs_review(FieldName::Date));
    }

    #[test]
    fn a_typed_reading_the_file_name_contradicts_is_left_for_review() {
        // Page OCR sure of "445" where the clerk's file name says 115 beside the type code:
        // either may be wrong, so the page's reading is stored, flagged, the name's a candidate.
        let h = header(slot("445", 97.0, &[]), "/NQ-CP", slot("17", 94.0, &[]), "3");
        let meta = run("nq-115.pdf", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("445/NQ-CP"));
        let number = meta.evidence.number.as_ref().unwrap();
        assert!(number.needs_review, "{number:?}");
        let values: Vec<&str> = number.candidates.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["445/NQ-CP", "115/NQ-CP"]);
        // The same name agreeing with the page: sure.
        let meta = run("nq-445.pdf", Some(&h), &[], DocumentMeta::default());
        assert!(!meta.evidence.needs_review(FieldName::Number), "{:?}", meta.evidence.number);
    }

    #[test]
    fn a_day_before_a_document_the_page_cites_yields_and_is_flagged() {
        // A pen "20" the reader takes likelier for "02"; the page cites a decree of the 10th.
        let h = header(slot("12", 95.0, &[]), "/CT-UBND", slot("", 0.0, &[("02", 0.48), ("20", 0.3)]), "3");
        let cites = |date: &str| Citation { doc_type: "Nghị định".to_owned(), id: DocId::parse("71/2024/NĐ-CP"), date: Some(date.to_owned()), page: 1, ..Default::default() };
        let with = |citations: &[Citation]| {
            let mut meta = DocumentMeta::default();
            combine(&mut meta, &Inputs { source_path: "a.pdf", header: Some((1, &h)), signatures: &[], citations, text_layer: None, scanned: true });
            meta
        };
        let meta = with(&[cites("2024-03-10"), cites("2023-07-01")]);
        assert_eq!(meta.date.as_deref(), Some("2024-03-20"));
        let date = meta.evidence.date.as_ref().unwrap();
        assert!(date.needs_review, "{date:?}");
        assert_eq!(date.candidates[1].value, "2024-03-02");
        assert!(date.candidates[1].sources.iter().any(|s| s.kind == EvidenceKind::Cites && !s.agrees && s.text.contains("71/2024/NĐ-CP")), "{date:?}");
        // Cited documents all older than both readings: the reader's order stands.
        let meta = with(&[cites("2023-07-01")]);
        assert_eq!(meta.date.as_deref(), Some("2024-03-02"));
        // The document's own number repeated on a later page, with its own date, is no bound.
        let own = Citation { doc_type: "Chỉ thị".to_owned(), id: DocId::parse("12/CT-UBND"), date: Some("2024-03-20".to_owned()), page: 2, ..Default::default() };
        let meta = with(&[own]);
        assert_eq!(meta.date.as_deref(), Some("2024-03-02"));
    }

    #[test]
    fn a_typed_reading_the_digit_reader_reads_otherwise_is_left_for_review() {
        // Page OCR sure of "445", the digit reader for "115" at a middling 0.45 and "445"
        // barely: one source stands behind the number, another speaks for a rival.
        let h = header(slot("445", 97.0, &[("115", 0.45), ("445", 0.1)]), "/NQ-CP", slot("17", 94.0, &[]), "3");
        let meta = run("scan-0001.pdf", Some(&h), &[], DocumentMeta::default());
        assert!(meta.evidence.needs_review(FieldName::Number), "{:?}", meta.evidence.number);
        // The digit reader agreeing, a weak other reading: sure.
        let h = header(slot("445", 97.0, &[("445", 0.7), ("115", 0.25)]), "/NQ-CP", slot("17", 94.0, &[]), "3");
        let meta = run("scan-0001.pdf", Some(&h), &[], DocumentMeta::default());
        assert!(!meta.evidence.needs_review(FieldName::Number), "{:?}", meta.evidence.number);
    }

    #[test]
    fn a_file_name_number_one_digit_from_the_reading_leaves_it_for_review() {
        // "cv_3722" names no type code of "/BXD-KHCN", but 3722 against a read 3727 is the
        // same number misread somewhere.
        let h = header(slot("3727", 97.0, &[("3727", 0.8)]), "/BXD-KHCN", slot("17", 94.0, &[]), "3");
        let meta = run("cv_3722_metro.pdf", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("3727/BXD-KHCN"));
        let number = meta.evidence.number.as_ref().unwrap();
        assert!(number.needs_review, "{number:?}");
        assert!(number.candidates.iter().any(|c| c.value == "3722/BXD-KHCN"), "{number:?}");
        // A name number far from the reading (a year, a receipt number) says nothing.
        let meta = run("cv_2024_metro.pdf", Some(&h), &[], DocumentMeta::default());
        assert!(!meta.evidence.needs_review(FieldName::Number), "{:?}", meta.evidence.number);
        let meta = run("cv_3727_metro.pdf", Some(&h), &[], DocumentMeta::default());
        assert!(!meta.evidence.needs_review(FieldName::Number), "{:?}", meta.evidence.number);
    }

    #[test]
    fn a_scanned_number_without_its_header_line_is_one_reading_and_flagged() {
        let text = crate::cite::extract("ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 1582/QĐ-UBND      Bình Phước, ngày 17 tháng 3 năm 2025\n\nQUYẾT ĐỊNH\nVề việc ban hành Quy chế\n").document;
        let mut meta = text.clone();
        combine(&mut meta, &Inputs { source_path: "scan.pdf", header: None, signatures: &[], citations: &[], text_layer: None, scanned: true });
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("1582/QĐ-UBND"));
        assert!(meta.evidence.needs_review(FieldName::Number), "{:?}", meta.evidence.number);
        // The same text from a text file: typed, sure.
        let mut meta = text;
        combine(&mut meta, &Inputs { source_path: "qd.txt", header: None, signatures: &[], citations: &[], text_layer: None, scanned: false });
        assert!(!meta.evidence.needs_review(FieldName::Number), "{:?}", meta.evidence.number);
    }

    #[test]
    fn a_typed_number_read_with_confidence_needs_no_second_source() {
        let h = header(slot("1582", 95.0, &[]), "/QĐ-UBND", slot("17", 94.0, &[]), "3");
        let meta = run("scan-0001.png", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("1582/QĐ-UBND"));
        assert!(!meta.evidence.needs_review(FieldName::Number));
        assert_eq!(meta.date.as_deref(), Some("2024-03-17"));
        assert!(!meta.evidence.needs_review(FieldName::Date));
    }

    #[test]
    fn the_signing_time_chooses_between_unsure_day_readings_and_the_date_is_flagged() {
        // A pen "27" the reader reads "02" first, "22" and "27" behind; the issuer signed on
        // the 27th: the day of signing is far likelier than one 25 days before it.
        let h = header(slot("12", 95.0, &[]), "/CT-UBND", slot("", 0.0, &[("02", 0.45), ("22", 0.22), ("27", 0.15)]), "12");
        let meta = run("a.pdf", Some(&h), &[signed("2024-12-27")], DocumentMeta::default());
        assert_eq!(meta.date.as_deref(), Some("2024-12-27"));
        let date = meta.evidence.date.as_ref().unwrap();
        assert!(date.needs_review, "{date:?}");
        assert!(date.reason.as_deref().is_some_and(|r| r.contains("02")), "{date:?}");
        // Where it came from: the reading and the signature, each with its weight.
        let kinds: Vec<(EvidenceKind, bool)> = date.candidates[0].sources.iter().map(|s| (s.kind, s.agrees)).collect();
        assert!(kinds.contains(&(EvidenceKind::Handwriting, true)) && kinds.contains(&(EvidenceKind::Signature, true)), "{kinds:?}");
        assert!(date.candidates.iter().any(|c| c.value == "2024-12-02"), "{date:?}");
        // Without a signature the reader's first reading stands.
        let meta = run("a.pdf", Some(&h), &[], DocumentMeta::default());
        assert_eq!(meta.date.as_deref(), Some("2024-12-02"));
        // A clear reading is kept, and flagged, when the signing time points elsewhere.
        let h = header(slot("12", 95.0, &[]), "/CT-UBND", slot("", 0.0, &[("02", 0.8), ("27", 0.1)]), "12");
        let meta = run("a.pdf", Some(&h), &[signed("2024-12-27")], DocumentMeta::default());
        assert_eq!(meta.date.as_deref(), Some("2024-12-02"));
        assert!(meta.evidence.needs_review(FieldName::Date), "{:?}", meta.evidence.date);
        // The reading and the signing time agreeing: sure.
        let h = header(slot("12", 95.0, &[]), "/CT-UBND", slot("", 0.0, &[("26", 0.7), ("20", 0.1)]), "12");
        let meta = run("a.pdf", Some(&h), &[signed("2024-12-27")], DocumentMeta::default());
        assert_eq!(meta.date.as_deref(), Some("2024-12-26"));
        assert!(!meta.evidence.needs_review(FieldName::Date), "{:?}", meta.evidence.date);
    }

    #[test]
    fn page_ocr_signs_for_a_slashed_zero_and_a_crossed_seven_read_as_the_digits() {
        assert_eq!(pen_shapes("Ø3"), "03");
        assert_eq!(pen_shapes("0†"), "07");
        assert_eq!(pen_shapes("4‡"), "47");
        // A lone sign, or a longer junk reading, says nothing.
        assert_eq!(pen_shapes("†"), "†");
        assert_eq!(pen_shapes("Â4‡"), "Â4‡");
        // A slashed-zero day the reader hardly saw, a day after the gazette's stamp: read.
        let h = header(slot("12", 95.0, &[]), "/CT-UBND", slot("Ø3", 74.0, &[("4", 0.14), ("03", 0.02)]), "4");
        let mut stamp = signed("2024-04-04");
        stamp.role = SignerRole::Publisher;
        let meta = run("a.pdf", Some(&h), &[stamp], DocumentMeta::default());
        assert_eq!(meta.date.as_deref(), Some("2024-04-03"));
        assert!(meta.evidence.needs_review(FieldName::Date), "{:?}", meta.evidence.date);
    }

    #[test]
    fn a_day_after_the_signature_is_contradicted_and_flagged() {
        let h = header(slot("12", 95.0, &[]), "/QĐ-UBND", slot("", 0.0, &[("28", 0.6)]), "11");
        let meta = run("a.pdf", Some(&h), &[signed("2024-11-26")], DocumentMeta::default());
        let date = meta.evidence.date.as_ref().unwrap();
        assert!(date.needs_review, "{date:?}");
        assert!(date.candidates[0].sources.iter().any(|s| s.kind == EvidenceKind::Signature && !s.agrees));
    }

    #[test]
    fn the_whole_date_line_reading_and_the_day_crop_are_pooled_and_flagged_when_they_differ() {
        use crate::header::digits::DayReading;
        // A pen "24" the tight crop reads as "2" and the anchored line as "24": pooled, the
        // issuer's signature two days later settles it, but the two views differ: flagged.
        let mut h = header(slot("12", 95.0, &[]), "/TB-UBND", slot("", 0.0, &[("2", 0.42), ("4", 0.27), ("24", 0.09)]), "1");
        if let Some(d) = h.date.as_mut() {
            d.line_readings = vec![DayReading { day: 24, month: None, score: 0.7 }, DayReading { day: 4, month: None, score: 0.2 }];
        }
        let meta = run("a.pdf", Some(&h), &[signed("2024-01-26")], DocumentMeta::default());
        assert_eq!(meta.date.as_deref(), Some("2024-01-24"));
        let date = meta.evidence.date.as_ref().unwrap();
        assert!(date.needs_review, "{date:?}");
        // Both views agreeing on the day, within the signing window: sure.
        let mut h = header(slot("12", 95.0, &[]), "/TB-UBND", slot("", 0.0, &[("24", 0.8)]), "1");
        if let Some(d) = h.date.as_mut() {
            d.line_readings = vec![DayReading { day: 24, month: None, score: 0.9 }];
        }
        let meta = run("a.pdf", Some(&h), &[signed("2024-01-26")], DocumentMeta::default());
        assert_eq!(meta.date.as_deref(), Some("2024-01-24"));
        assert!(!meta.evidence.needs_review(FieldName::Date), "{:?}", meta.evidence.date);
        // The text reader's stale flag goes once the evidence stored the date.
        let text = DocumentMeta { flags: vec![crate::cite::flag::DATE_ILLEGIBLE.to_owned()], ..DocumentMeta::default() };
        let meta = run("a.pdf", Some(&h), &[signed("2024-01-26")], text);
        assert!(meta.flags.is_empty(), "{:?}", meta.flags);
    }

    #[test]
    fn a_text_file_keeps_what_the_text_reader_found() {
        let text = crate::cite::extract("ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 1582/QĐ-UBND      Bình Phước, ngày 17 tháng 3 năm 2025\n\nQUYẾT ĐỊNH\nVề việc ban hành Quy chế\n").document;
        let meta = run("corpus/qd-1582.txt", None, &[], text);
        assert_eq!(meta.id.as_ref().map(|i| i.as_str()), Some("1582/QĐ-UBND"));
        assert_eq!(meta.date.as_deref(), Some("2025-03-17"));
        assert_eq!(meta.doc_type.as_deref(), Some("Quyết định"));
        assert_eq!(meta.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Bình Phước"));
        assert!(meta.evidence.flagged().is_empty(), "{:?}", meta.evidence);
    }
}
