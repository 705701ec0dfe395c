//! Correct: a cited number OCR damaged, put back against what can exist.
//!
//! The grammar of [`crate::authority`] says whether a number can exist. Two cases are
//! corrected, each keeping the printed form, the reason and a confidence
//! ([`IdCorrection`]):
//! - the number **cannot exist** (a type code that is no type code, `0Đ-UBND`; an issuer
//!   code no organ has, `BVT`; `HĐĐĐND`): each impossible code is replaced by the nearest
//!   code of the tables by OCR-likely edits, and the result must be possible. When two
//!   repairs are equally near, or none is near, the number stays as printed.
//! - the number can exist but is **not known**, and one OCR-likely edit away is a known
//!   document (legal corpus, the archive) whose date agrees with the date the sentence gives
//!   and whose type and issuer do not contradict it (`07/2021/NĐ-CP` dated 19/10/2021 when
//!   `107/2021/NĐ-CP` of that day exists; `2024/TT-BYT` when the number was lost).
//!
//! A possible number that is unknown stays as printed: offices issue documents no list has.
//!
//! What an "OCR-likely edit" costs ([`edit_cost`]): the shapes of capitals and digits that
//! OCR confuses (0/O/Q/D, 1/I/L/T, 5/S, 8/B, V/Y, H/II…), the letter confusions of the
//! learned OCR channel (`dictionaries/ocr_channel.tsv`), a stray mark or symbol (`Œ`, `·`),
//! and Tesseract's `ĐÐĐ` for one Đ; any other letter costs a full edit.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

use super::DocId;
use crate::authority::{fold_code, Authority, Possibility, SymbolParts};

/// How a cited number was corrected.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IdCorrection {
    /// The number as printed (as the grammar read it).
    pub printed: String,
    /// Why, in a clerk's words ("issuer code BVT does not exist; BYT is one OCR edit away").
    pub reason: String,
    /// 0–1: how sure the correction is.
    pub confidence: f32,
    /// The numbers a clerk should choose between, best first (the chosen one, the printed
    /// one and any near rival); when the repair was a toss-up the printed number is kept.
    #[serde(default)]
    pub candidates: Vec<String>,
    /// The number was changed or could not be settled: a person should look at it.
    /// Every correction is flagged; the printed form and the candidates say what to check.
    #[serde(default = "flagged")]
    pub needs_review: bool,
    /// Made by the archive-wide pass from what other records cite ([`against_archive`]):
    /// the archive counts this citation by its printed number, not by the one chosen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_archive: bool,
}

fn flagged() -> bool {
    true
}

/// How the flag of a number whose image readers disagreed begins ([`from_rereads`]).
const REREAD_UNSURE: &str = "the number read again alone from the image gives other digits";
/// How that flag ends: the number stays as read.
const REREAD_KEPT: &str = ": kept as read";

impl IdCorrection {
    /// True when this is only the flag of a number whose digits the image readers disagreed
    /// on, the number kept as read: other evidence (the archive) may still settle it.
    pub fn is_unsure_reread(&self) -> bool {
        self.confidence == 0.0 && !self.from_archive && self.reason.starts_with(REREAD_UNSURE)
    }

    /// Takes what `earlier` (an unsure re-read, [`IdCorrection::is_unsure_reread`]) said into
    /// this correction: its reason after this one's, its candidates after this one's.
    pub fn with_earlier(mut self, earlier: &IdCorrection) -> IdCorrection {
        // What the earlier flag kept is now settled here: only what the readers saw stays.
        let earlier_reason = earlier.reason.strip_suffix(REREAD_KEPT).unwrap_or(&earlier.reason);
        self.reason = format!("{}; {earlier_reason}", self.reason);
        for candidate in &earlier.candidates {
            if !self.candidates.contains(candidate) {
                self.candidates.push(candidate.clone());
            }
        }
        self
    }
}

/// What the sentence says about the cited document, to check a candidate against.
#[derive(Debug, Default, Clone, Copy)]
pub struct Evidence<'a> {
    /// ISO date printed with the citation.
    pub date: Option<&'a str>,
    /// Type phrase printed before the number ("Thông tư"), if any.
    pub doc_type: Option<&'a str>,
    /// Issuer stated after "của", if any.
    pub issuer: Option<&'a str>,
}

/// Largest cost of a code repair: one OCR-likely edit, or two cheap ones.
const MAX_CODE_COST: f32 = 1.0;
/// A second repair this close to the best makes the choice a guess: none is made.
pub(crate) const AMBIGUITY_MARGIN: f32 = 0.25;
/// Largest cost of repairing a code that could exist as printed: one shape confusion.
const UNUSUAL_MAX_COST: f32 = 0.4;
/// Largest cost of a number repair towards a known document.
const MAX_NUMBER_COST: f32 = 0.6;

/// The corrected number, or `None` to keep the printed one.
pub fn correct(id: &DocId, evidence: Evidence<'_>, authority: &Authority) -> Option<(DocId, IdCorrection)> {
    match authority.is_possible(id) {
        // A known number whose known date is not the one the sentence prints: OCR may have
        // made one known number of another ("số ] 02/2024/NĐ-CP ngày 30/7/2024" where
        // 102/2024/NĐ-CP is of 30/7/2024 and 02/2024/NĐ-CP of another day); only a neighbour
        // known with exactly the printed date is taken.
        Possibility::Known => {
            let known_date = authority.known(id).and_then(|k| k.date.as_deref());
            // (Known without a date, it is taken against a neighbour known with the printed date.)
            match evidence.date {
                Some(said) if known_date != Some(said) => towards_known(id, evidence, authority),
                _ => None,
            }
        }
        Possibility::Impossible(why) => repair_codes(id, &why, evidence, authority, false).or_else(|| towards_said_type(id, evidence, authority)),
        Possibility::Unusual(why) => repair_codes(id, &why, evidence, authority, true)
            .or_else(|| towards_known(id, evidence, authority))
            .or_else(|| towards_said_type(id, evidence, authority)),
        Possibility::Possible => towards_known(id, evidence, authority).or_else(|| towards_said_type(id, evidence, authority)),
    }
}

/// "Đề án số 12/DA-UBND": the type code is another type's (DA is Dự án) but one shape
/// confusion from the code of the type the sentence names (ĐA): which of the two OCR
/// damaged is not known, so the number is kept as printed and flagged, with both readings.
fn towards_said_type(id: &DocId, evidence: Evidence<'_>, authority: &Authority) -> Option<(DocId, IdCorrection)> {
    let said = evidence.doc_type.filter(|t| *t != "Văn bản")?;
    let parts = authority.parts(id);
    let Some(kind) = parts.kind.as_deref() else {
        return towards_said_type_code(id, &parts, said, authority);
    };
    // Spelled as printed: DA (Dự án) and ĐA (Đề án) fold alike.
    if authority.types().iter().any(|t| t.code.as_deref() == Some(kind) && t.name == said) {
        return None;
    }
    let system = |t: &&crate::authority::DocType| if parts.party { t.in_system("party") } else { t.in_system("state") || t.in_system("legal") };
    let printed = normalized_chars(kind);
    let mut near: Vec<DocId> = Vec::new();
    let mut lost_tail: Option<DocId> = None;
    for t in authority.types().iter().filter(|t| t.name == said).filter(system) {
        let Some(code) = &t.code else { continue };
        let target = normalized_chars(code);
        // "Tờ trình số 1420/TT-BQL": the small last letter of TTr (CTr) lost; no type of the
        // sentence's kind is numbered so, and no Tờ trình is a Thông tư.
        let tail_lost = code.strip_suffix(|c: char| c.is_lowercase()).is_some_and(|head| head == kind);
        if code == kind || !tail_lost && edit_cost(&printed, &target) > UNUSUAL_MAX_COST {
            continue;
        }
        let mut codes = vec![code.clone()];
        codes.extend(parts.issuer.iter().cloned());
        if let Some(candidate) = assemble(&parts, &codes).filter(|c| !authority.is_possible(c).is_impossible() && c != id) {
            if tail_lost {
                lost_tail.get_or_insert(candidate.clone());
            }
            if !near.contains(&candidate) {
                near.push(candidate);
            }
        }
    }
    if let Some(fixed) = lost_tail {
        let code = fixed.kind().unwrap_or_default().to_owned();
        let reason = format!("{kind} is not the code of a {said}; {code} lost its last letter: {fixed}");
        let candidates = vec![fixed.to_string(), id.to_string()];
        return Some((fixed, IdCorrection { printed: id.to_string(), reason, confidence: 0.8, candidates, needs_review: true, from_archive: false }));
    }
    let best = near.first()?;
    // "Đề án số 05-DA/TU": in a Party number no type is coded DA (Dự án is the State's), so
    // the code cannot be read as printed; the said type's code differs only by the bar of
    // its Đ, which legacy OCR (Tesseract eng) never prints: that is the reading.
    let printed_is_a_type_here = authority.types().iter().filter(system).any(|t| t.code.as_deref() == Some(kind));
    let best_kind = best.kind().unwrap_or_default();
    if parts.party && !printed_is_a_type_here && best_kind != kind && best_kind.replace('Đ', "D") == kind {
        let reason = format!("no Party document is coded {kind}; {best} ({said}) lost the bar of its Đ");
        let candidates = vec![best.to_string(), id.to_string()];
        return Some((best.clone(), IdCorrection { printed: id.to_string(), reason, confidence: 0.9, candidates, needs_review: false, from_archive: false }));
    }
    let candidates = vec![id.to_string(), best.to_string()];
    let reason = format!("{kind} is not the code of a {said}; {best} is one OCR misreading away: kept as printed");
    Some((id.clone(), IdCorrection { printed: id.to_string(), reason, confidence: 0.0, candidates, needs_review: true, from_archive: false }))
}

/// "Quyết định số 1843/QBD-UBND", "Tờ trình số 187/TIF-STC": a state number whose first
/// code is no type code and no issuer code the tables have or real numbers carry, but is
/// within one OCR-likely edit ([`edit_cost`]) of the code of the type the sentence names,
/// and that code with the issuer codes after it can exist (the type may come from that
/// issuer): the type code is that one. When two codes of the said type are that near, the
/// number is kept as printed with both. Always flagged: the type word was read too.
fn towards_said_type_code(id: &DocId, parts: &SymbolParts, said: &str, authority: &Authority) -> Option<(DocId, IdCorrection)> {
    let first = parts.issuer.first()?;
    if parts.party || parts.issuer.len() < 2 {
        return None;
    }
    let folded = fold_code(first);
    let codes = CodeSets::get(authority);
    let exists = authority.types_of_code(first).next().is_some()
        || codes.state_issuers.iter().chain(&codes.party_issuers).any(|(f, _)| *f == folded)
        || authority.times_seen(&folded) > 0;
    if exists {
        return None;
    }
    let printed = normalized_chars(first);
    let mut near: Vec<(DocId, f32)> = Vec::new();
    for t in authority.types().iter().filter(|t| t.name == said && (t.in_system("state") || t.in_system("legal"))) {
        let Some(code) = &t.code else { continue };
        let cost = edit_cost(&printed, &normalized_chars(code));
        if cost > MAX_CODE_COST {
            continue;
        }
        let mut spelled = vec![code.clone()];
        spelled.extend(parts.issuer[1..].iter().cloned());
        let Some(candidate) = assemble(parts, &spelled) else { continue };
        if authority.is_possible(&candidate).is_impossible() || authority.parts(&candidate).kind.is_none() || near.iter().any(|(c, _)| *c == candidate) {
            continue;
        }
        near.push((candidate, cost));
    }
    near.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (best, cost) = near.first()?.clone();
    if near.get(1).is_some_and(|(_, second)| second - cost < AMBIGUITY_MARGIN) {
        let candidates: Vec<String> = std::iter::once(id.to_string()).chain(near.iter().map(|(c, _)| c.to_string())).collect();
        let reason = format!("{first} is no code; {} are as near and each the code of a {said}: kept as printed", candidates[1..].join(", "));
        return Some((id.clone(), IdCorrection { printed: id.to_string(), reason, confidence: 0.0, candidates, needs_review: true, from_archive: false }));
    }
    let reason = format!("{first} is no code; {} (the code of a {said}, as the sentence says) is one OCR misreading away: {best}", best.kind().unwrap_or_default());
    let confidence = (0.9 - 0.3 * cost).clamp(0.5, 0.9);
    let candidates = vec![best.to_string(), id.to_string()];
    Some((best, IdCorrection { printed: id.to_string(), reason, confidence, candidates, needs_review: true, from_archive: false }))
}

/// Replaces the codes of `id` that the tables do not have by their nearest codes.
/// `unusual`: the number could exist as printed (a code never seen): then only a repair of
/// one shape confusion, with no rival, is made.
fn repair_codes(id: &DocId, why: &str, evidence: Evidence<'_>, authority: &Authority, unusual: bool) -> Option<(DocId, IdCorrection)> {
    let parts = authority.parts(id);
    let codes = CodeSets::get(authority);
    let stated = evidence.issuer.and_then(|i| authority.normalize_issuer(i)).and_then(|o| o.code).map(|c| fold_code(&c));
    // Options per part: (spelling, cost). A part the tables know keeps itself at no cost.
    let mut options: Vec<Vec<(String, f32)>> = Vec::new();
    let mut raw: Vec<String> = Vec::new();
    // The damaged kind of a number whose kind went undetected sits in the issuer list.
    let mut all: Vec<(Slot, String)> = Vec::new();
    if let Some(kind) = &parts.kind {
        all.push((Slot::Kind, kind.clone()));
    }
    for (i, code) in parts.issuer.iter().enumerate() {
        let slot = if i == 0 { if parts.kind.is_none() && parts.issuer.len() > 1 { Slot::KindOrIssuer } else { Slot::Issuer } } else { Slot::Unit };
        all.push((slot, code.clone()));
    }
    for (slot, printed) in &all {
        raw.push(printed.clone());
        let mut choices = vec![(printed.clone(), codes.own_cost(printed, *slot, parts.party, authority))];
        if choices[0].1 > 0.0 && !parts.party {
            // Two codes run together, their hyphen lost ("NĐCP").
            if let Some(split) = codes.split(printed) {
                choices.push((split, 0.2));
            }
        }
        if choices[0].1 > 0.0 {
            for (code, cost) in codes.nearest(printed, *slot, parts.party) {
                let bonus = if stated.as_deref() == Some(fold_code(&code).as_str()) { 0.3 } else { 0.0 };
                choices.push((code, (cost - bonus).max(0.0)));
            }
        }
        choices.sort_by(|a, b| a.1.total_cmp(&b.1));
        choices.truncate(4);
        options.push(choices);
    }
    // Every combination (at most 4^parts, and parts ≤ 6; in practice one damaged part).
    let mut candidates: Vec<(Vec<String>, f32)> = vec![(Vec::new(), 0.0)];
    for choices in &options {
        let mut next = Vec::new();
        for (codes_so_far, cost) in &candidates {
            for (code, c) in choices {
                if cost + c <= MAX_CODE_COST {
                    let mut v = codes_so_far.clone();
                    v.push(code.clone());
                    next.push((v, cost + c));
                }
            }
        }
        next.sort_by(|a, b| a.1.total_cmp(&b.1));
        next.truncate(16);
        candidates = next;
    }
    let mut ranked: Vec<(DocId, f32)> = Vec::new();
    for (codes, cost) in candidates {
        if codes == raw {
            continue;
        }
        let Some(candidate) = assemble(&parts, &codes) else { continue };
        let mut cost = cost;
        // "Quyết định số 217-QDB/TW": the type the sentence names settles QĐ against QĐi.
        if let (Some(said), Some(kind)) = (evidence.doc_type.filter(|t| *t != "Văn bản"), candidate.kind()) {
            if !authority.types_of_code(kind).any(|t| t.name == said) {
                cost += 0.3;
            }
        }
        match authority.is_possible(&candidate) {
            Possibility::Known => cost -= if agrees(&candidate, evidence, authority) { 0.3 } else { 0.0 },
            Possibility::Possible => {}
            _ => continue,
        }
        if ranked.iter().all(|(c, _)| c != &candidate) {
            ranked.push((candidate, cost));
        }
    }
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (best, cost) = ranked.first()?.clone();
    let margin = if unusual { 2.0 * AMBIGUITY_MARGIN } else { AMBIGUITY_MARGIN };
    let rivals: Vec<String> = ranked.iter().skip(1).take_while(|(_, c)| c - cost < margin).take(2).map(|(d, _)| d.to_string()).collect();
    if unusual && cost > UNUSUAL_MAX_COST {
        // It could exist as printed: kept, with no flag (offices use codes no list has).
        return None;
    }
    // "09-HD/BTICTW": BTCTW is the printed code with one letter less (a stroke read as I),
    // its rivals (BTGTW, BTCTU) that and a letter misread: the one code a stray letter
    // away is the reading, however cheap the shapes make the others. (A letter misread
    // with rivals as near, "BOL" for BQL or BĐT, stays a tie.)
    let single_edit = !rivals.is_empty() && {
        let printed = normalized_chars(id.symbol());
        let edits = |c: &DocId| crate::repair::eval::edit_distance(&normalized_chars(c.symbol()), &printed);
        edits(&best) == 1
            && normalized_chars(best.symbol()).len() + 1 == printed.len()
            && ranked.iter().skip(1).take_while(|(_, c)| c - cost < margin).all(|(c, _)| edits(c) >= 2)
    };
    if !rivals.is_empty() && !single_edit {
        // It cannot exist, and two repairs are equally near: kept as printed, for a person.
        let candidates = std::iter::once(best.to_string()).chain(rivals).collect::<Vec<_>>();
        // (A code never seen that one shape confusion from two codes that exist is as unsure.)
        let reason = format!("{why}; {} are equally near: kept as printed", candidates.join(", "));
        return Some((id.clone(), IdCorrection { printed: id.to_string(), reason, confidence: 0.0, candidates, needs_review: true, from_archive: false }));
    }
    let confidence = (0.95 - 0.3 * cost.max(0.0) - if unusual { 0.15 } else { 0.0 } - if single_edit { 0.1 } else { 0.0 }).clamp(0.5, 0.99);
    let reason = if single_edit {
        format!("{why}; {best} is the one number that can exist a single letter away (OCR misreading); {} need two", rivals.join(", "))
    } else {
        format!("{why}; {best} is the nearest number that can exist (OCR misreading)")
    };
    let candidates = std::iter::once(best.to_string()).chain(std::iter::once(id.to_string())).chain(rivals).collect();
    Some((best.clone(), IdCorrection { printed: id.to_string(), reason, confidence, candidates, needs_review: true, from_archive: false }))
}

/// A known document one OCR-likely edit from `id` whose date agrees with the sentence.
fn towards_known(id: &DocId, evidence: Evidence<'_>, authority: &Authority) -> Option<(DocId, IdCorrection)> {
    // Without a date in the sentence nothing confirms a known document: keep the number.
    let date = evidence.date?;
    let date_year: Option<u16> = date.get(..4).and_then(|y| y.parse().ok());
    let printed_number = id.number();
    let mut found: Vec<(&crate::authority::KnownDoc, f32)> = Vec::new();
    // The same symbol and year, another number (a digit lost, misread or added).
    for known in authority.known_with_symbol(id) {
        if known.date.as_deref() != Some(date) || !agrees(&known.id, evidence, authority) {
            continue;
        }
        let cost = number_cost(printed_number, known.id.number());
        if cost <= MAX_NUMBER_COST {
            found.push((known, cost));
        }
    }
    // The number lost and the year read as the number: "2024/TT-BYT" for "37/2024/TT-BYT".
    if id.year().is_none() {
        if let Ok(year) = printed_number.trim_start_matches('0').parse::<u16>() {
            if date_year == Some(year) {
                for known in authority.known_with(id.symbol(), Some(year)) {
                    if known.date.as_deref() == Some(date) && agrees(&known.id, evidence, authority) {
                        found.push((known, 0.5));
                    }
                }
            }
        }
    }
    found.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (known, cost) = *found.first()?;
    if found.get(1).is_some_and(|(_, second)| second - cost < AMBIGUITY_MARGIN) {
        return None;
    }
    // An organ numbers the documents it signs in one day in sequence: an unknown number
    // among the numbers known of that very day is one more of them, not a misreading of
    // one ("24/2021/QH15" of 28/7/2021, when 23 and 29 are known of that day). Kept as
    // printed, flagged with the known neighbour as the other candidate.
    if authority.known(id).is_none() {
        if let Some((low, high)) = among_numbers_of_the_day(id, date, authority) {
            let reason = format!(
                "{id} is not a known document, but it stands among the numbers known of {date} ({low} … {high}): one more of that day's; {} is one OCR misreading away: kept as printed",
                known.id
            );
            let candidates = vec![id.to_string(), known.id.to_string()];
            return Some((id.clone(), IdCorrection { printed: id.to_string(), reason, confidence: 0.0, candidates, needs_review: true, from_archive: false }));
        }
    }
    let reason = match authority.known(id).map(|k| k.date.as_deref()) {
        Some(Some(other)) => format!("{id} is a document of {other}, not of {date}; {} of {date} is, one OCR misreading away", known.id),
        Some(None) => format!("{id} is known with no date; {} of {date} is, one OCR misreading away", known.id),
        None => format!("{id} is not a known document; {} of {date} is, one OCR misreading away", known.id),
    };
    let candidates = vec![known.id.to_string(), id.to_string()];
    Some((known.id.clone(), IdCorrection { printed: id.to_string(), reason, confidence: (0.95 - 0.3 * cost).clamp(0.5, 0.95), candidates, needs_review: true, from_archive: false }))
}

/// The lowest and highest numbers known of `date` with `id`'s symbol and year, when there
/// are two or more and `id`'s number lies strictly between them.
fn among_numbers_of_the_day(id: &DocId, date: &str, authority: &Authority) -> Option<(u32, u32)> {
    let printed: u32 = id.number().parse().ok()?;
    let numbers: Vec<u32> = authority
        .known_with_symbol(id)
        .filter(|k| k.date.as_deref() == Some(date))
        .filter_map(|k| k.id.number().parse().ok())
        .collect();
    let (low, high) = (*numbers.iter().min()?, *numbers.iter().max()?);
    (numbers.len() >= 2 && low < printed && printed < high).then_some((low, high))
}

/// The stated type and issuer do not contradict the known document's.
fn agrees(id: &DocId, evidence: Evidence<'_>, authority: &Authority) -> bool {
    let known = authority.known(id);
    let type_ok = match (evidence.doc_type, known.and_then(|k| k.doc_type.as_deref()).or(id.implied_type())) {
        (Some(said), Some(real)) if said != "Văn bản" => crate::viet::fold(said).eq_ignore_ascii_case(&crate::viet::fold(real)),
        _ => true,
    };
    let issuer_ok = match (evidence.issuer.and_then(|i| authority.normalize_issuer(i)), known.and_then(|k| k.issuer.as_deref())) {
        (Some(said), Some(real)) => match authority.normalize_issuer(real) {
            Some(real) => said.kind == real.kind,
            None => true,
        },
        _ => true,
    };
    type_ok && issuer_ok
}

/// Builds the id from the parts with `codes` in place of the kind and issuer codes.
fn assemble(parts: &SymbolParts, codes: &[String]) -> Option<DocId> {
    let mut codes = codes.iter();
    let text = if parts.party {
        let kind = codes.next()?;
        let issuer = codes.next()?;
        format!("{}-{kind}/{issuer}", parts.number)
    } else {
        let symbol: Vec<&str> = codes.map(String::as_str).collect();
        let year = parts.year.map(|y| format!("{y}/")).unwrap_or_default();
        format!("{}/{year}{}", parts.number, symbol.join("-"))
    };
    DocId::from_canonical(&text)
}

/// Where a code stands in the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Kind,
    /// The first code of a state number without a detected kind: a type code or an issuer.
    KindOrIssuer,
    Issuer,
    Unit,
}

/// The codes a slot may hold, folded, with their official spelling.
struct CodeSets {
    party_kinds: Vec<(String, String)>,
    state_kinds: Vec<(String, String)>,
    party_issuers: Vec<(String, String)>,
    state_issuers: Vec<(String, String)>,
}

impl CodeSets {
    fn get(authority: &Authority) -> &'static CodeSets {
        // The code sets come from the compiled-in tables plus the codes seen in real numbers;
        // an authority extended by the archive adds documents, not codes to repair towards.
        let _ = authority;
        static SETS: OnceLock<CodeSets> = OnceLock::new();
        SETS.get_or_init(|| {
            let a = Authority::builtin();
            let mut sets = CodeSets { party_kinds: Vec::new(), state_kinds: Vec::new(), party_issuers: Vec::new(), state_issuers: Vec::new() };
            for t in a.types() {
                let Some(code) = &t.code else { continue };
                let entry = (fold_code(code), code.clone());
                if t.in_system("party") && !sets.party_kinds.contains(&entry) {
                    sets.party_kinds.push(entry.clone());
                }
                if (t.in_system("state") || t.in_system("legal")) && !sets.state_kinds.contains(&entry) {
                    sets.state_kinds.push(entry);
                }
            }
            for o in a.organs() {
                let Some(code) = &o.code else { continue };
                let entry = (fold_code(code), code.clone());
                match o.class.as_str() {
                    "party-central" | "party-level" => sets.party_issuers.push(entry),
                    "party-unit" => {
                        for level in a.organs().iter().filter(|l| l.class == "party-level" || l.code.as_deref() == Some("TW")) {
                            if let Some(l) = &level.code {
                                sets.party_issuers.push((fold_code(&format!("{code}{l}")), format!("{code}{l}")));
                            }
                        }
                    }
                    "unit" => {}
                    _ => sets.state_issuers.push(entry),
                }
            }
            sets.party_issuers.dedup();
            sets
        })
    }

    fn slot_codes(&self, slot: Slot, party: bool) -> Vec<&(String, String)> {
        match (slot, party) {
            (Slot::Kind, true) => self.party_kinds.iter().collect(),
            (Slot::Kind, false) => self.state_kinds.iter().collect(),
            (Slot::KindOrIssuer, _) => self.state_kinds.iter().chain(&self.state_issuers).collect(),
            (Slot::Issuer, true) => self.party_issuers.iter().collect(),
            (Slot::Issuer, false) => self.state_issuers.iter().collect(),
            (Slot::Unit, _) => Vec::new(),
        }
    }

    /// 0 when `printed` may stand in `slot` as it is; else the cost of keeping it (an
    /// impossible code can never be kept cheaply; an unknown one somewhat).
    fn own_cost(&self, printed: &str, slot: Slot, party: bool, authority: &Authority) -> f32 {
        let printed = crate::authority::without_bracketed_unit(printed);
        let folded = fold_code(printed);
        let bad_shape = printed.starts_with(|c: char| c.is_ascii_digit())
            || printed.chars().any(|c| !(c.is_alphanumeric()))
            || printed.chars().any(|c| c.is_alphabetic() && !(c.is_ascii_alphabetic() || c == 'Đ' || c == 'đ'))
            || printed.contains("ĐĐĐ")
            || (printed.contains("ĐĐ") && !authority.has_code_spelling(printed));
        if bad_shape {
            return 2.0;
        }
        if slot == Slot::Unit {
            return 0.0;
        }
        let key = folded.trim_end_matches(|c: char| c.is_ascii_digit());
        // Digits belong only to the assembly's term (QH15) and numbered committees (BCĐ138):
        // elsewhere they are letters misread ("BN6", "N0").
        let numbered = matches!(key, "QH" | "UBTVQH") || authority.organs_of_code(key).any(|o| o.class == "committee");
        if folded.chars().any(|c| c.is_ascii_digit()) && (slot == Slot::Kind || !numbered) && authority.times_seen(&folded) == 0 {
            return 2.0;
        }
        let known = self.slot_codes(slot, party).iter().any(|(f, _)| f == key || f == &folded) || authority.times_seen(key) > 0;
        if known {
            0.0
        } else {
            0.5
        }
    }

    /// `printed` as two codes of state numbers whose hyphen was lost: "NĐCP" → "NĐ-CP".
    fn split(&self, printed: &str) -> Option<String> {
        let folded = fold_code(printed);
        let find = |part: &str| self.state_kinds.iter().chain(&self.state_issuers).find(|(f, _)| f == part).map(|(_, s)| s.as_str());
        (1..folded.len()).filter(|&i| folded.is_char_boundary(i)).find_map(|i| {
            let (a, b) = folded.split_at(i);
            Some(format!("{}-{}", find(a)?, find(b)?))
        })
    }

    /// Codes of the slot within [`MAX_CODE_COST`] of `printed`, with their cost.
    fn nearest(&self, printed: &str, slot: Slot, party: bool) -> Vec<(String, f32)> {
        let printed_chars = normalized_chars(printed);
        let mut out: Vec<(String, f32)> = Vec::new();
        let slot = if slot == Slot::Unit { return out } else { slot };
        // A committee's number ("BCĐ138") is kept after the repaired letters.
        let digits: String = printed.chars().rev().take_while(|c| c.is_ascii_digit()).collect::<Vec<_>>().into_iter().rev().collect();
        let letters: Vec<char> = printed_chars[..printed_chars.len() - digits.chars().count()].to_vec();
        for (folded, spelling) in self.slot_codes(slot, party) {
            let target: Vec<char> = folded.chars().collect();
            let cost = edit_cost(&letters, &target);
            if cost <= MAX_CODE_COST {
                out.push((format!("{spelling}{digits}"), cost));
            }
            // Or the digits are letters misread ("BC1" for BCT, "U8" for UB).
            if !digits.is_empty() {
                let cost = edit_cost(&printed_chars, &target);
                if cost <= MAX_CODE_COST {
                    out.push((spelling.clone(), cost));
                }
            }
        }
        out.sort_by(|a, b| a.1.total_cmp(&b.1));
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }
}

/// The printed code as the edit distance sees it: upper case, Đ/Ð as D. A Đ printed twice
/// or more is not merged here (ĐĐBQH has two): [`edit_cost`] drops a repeated D cheaply.
pub(crate) fn normalized_chars(printed: &str) -> Vec<char> {
    printed.chars().flat_map(|c| super::clean::fold_char(c).to_uppercase()).collect()
}

/// Cost of OCR printing `printed` for `real` (both folded upper): a weighted edit distance
/// where shape confusions and stray symbols are cheap.
pub fn edit_cost(printed: &[char], real: &[char]) -> f32 {
    let n = printed.len();
    let m = real.len();
    let mut d = vec![vec![f32::INFINITY; m + 1]; n + 1];
    d[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let here = d[i][j];
            if here.is_infinite() {
                continue;
            }
            if i < n && j < m {
                let c = if printed[i] == real[j] { 0.0 } else { substitution(printed[i], real[j]) };
                d[i + 1][j + 1] = d[i + 1][j + 1].min(here + c);
            }
            if i < n {
                // A printed char with no source: a stray mark or symbol outside the code
                // alphabet (Œ, ·, ') is cheap, a letter or digit is not.
                // Tesseract's Đ printed two or three times ("HĐĐĐND") is cheap too.
                let repeated_d = printed[i] == 'D' && i > 0 && printed[i - 1] == 'D';
                // A thin stroke (a speck, a seal's line, a serif come loose) read as I
                // between letters ("KTINS", "SVHTITDL") costs a shape confusion.
                let stroke = printed[i] == 'I' && i > 0 && i + 1 < n;
                let c = if repeated_d || !printed[i].is_ascii_alphanumeric() {
                    0.2
                } else if stroke {
                    0.4
                } else {
                    1.0
                };
                d[i + 1][j] = d[i + 1][j].min(here + c);
            }
            if j < m {
                // A Đ of a pair (ĐĐBQH) merged into one by the Đ/Ð runs OCR prints is cheap.
                let paired_d = real[j] == 'D' && ((j > 0 && real[j - 1] == 'D') || real.get(j + 1) == Some(&'D'));
                d[i][j + 1] = d[i][j + 1].min(here + if paired_d { 0.3 } else { 1.0 });
            }
            // One real letter printed as two ("H" as "II").
            if i + 1 < n && j < m && is_split(real[j], printed[i], printed[i + 1]) {
                d[i + 2][j + 1] = d[i + 2][j + 1].min(here + 0.4);
            }
        }
    }
    d[n][m]
}

/// Capitals and digits of similar shape (in the serif and sans fonts of official
/// documents), which OCR reads for one another.
const SHAPES: &[&str] = &["0OQD", "1ILT", "5S", "8BD", "2Z", "6G", "VY", "UV", "CG", "EF", "PF", "MN", "HN", "KX", "4A"];

fn substitution(printed: char, real: char) -> f32 {
    if SHAPES.iter().any(|group| group.contains(printed) && group.contains(real)) {
        return 0.4;
    }
    // The learned channel's letter confusions (lower case, folded), as costs.
    let channel = channel_confusions();
    let key = (real.to_ascii_lowercase(), printed.to_ascii_lowercase());
    match channel.get(&key) {
        Some(&logp) => (-logp / 4.0).clamp(0.4, 1.0),
        None => 1.0,
    }
}

fn is_split(real: char, a: char, b: char) -> bool {
    matches!((real, a, b), ('H', 'I', 'I') | ('H', 'L', 'I') | ('M', 'N', 'I') | ('M', 'I', 'V') | ('W', 'V', 'V') | ('U', 'L', 'I') | ('N', 'I', 'V'))
}

/// (source letter, printed letter) → log10 P, from the `eng` letter rows of the channel
/// tables, folded to base letters; only single-letter readings of another letter.
fn channel_confusions() -> &'static HashMap<(char, char), f32> {
    static TABLE: OnceLock<HashMap<(char, char), f32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut counts: HashMap<char, HashMap<char, f32>> = HashMap::new();
        for table in [include_str!("../../dictionaries/ocr_channel.tsv"), include_str!("../../dictionaries/ocr_channel_manual.tsv")] {
            for line in table.lines().filter(|l| l.starts_with("letter\t")) {
                let cols: Vec<&str> = line.split('\t').collect();
                let [_, _, source, piece, count] = cols[..] else { continue };
                let (Some(s), Ok(count)) = (source.chars().next(), count.parse::<f32>()) else { continue };
                let mut piece_chars = piece.chars();
                let (Some(p), None) = (piece_chars.next(), piece_chars.next()) else { continue };
                let (s, p) = (super::clean::fold_char(s), super::clean::fold_char(p));
                *counts.entry(s).or_default().entry(p).or_default() += count;
            }
        }
        let mut out = HashMap::new();
        for (s, pieces) in counts {
            let total: f32 = pieces.values().sum();
            for (p, c) in pieces {
                if p != s && c / total >= 0.001 {
                    out.insert((s, p), (c / total).log10());
                }
            }
        }
        out
    })
}

/// Cost of reading the number `real` as `printed` (both as printed, leading zeros and all):
/// a leading digit lost ("07" for 107), a digit misread as a similar one (0.4) or as
/// another (0.9).
fn number_cost(printed: &str, real: &str) -> f32 {
    if printed.trim_start_matches('0') == real.trim_start_matches('0') {
        return 0.0;
    }
    if !printed.is_empty() && real.len() == printed.len() + 1 && real.ends_with(printed) {
        return 0.5;
    }
    let p: Vec<char> = printed.chars().collect();
    let r: Vec<char> = real.chars().collect();
    if p.len() == r.len() {
        let diffs: Vec<(char, char)> = p.iter().zip(&r).filter(|(a, b)| a != b).map(|(a, b)| (*a, *b)).collect();
        if let [(a, b)] = diffs[..] {
            return if DIGIT_SHAPES.iter().any(|g| g.contains(a) && g.contains(b)) { 0.4 } else { 0.9 };
        }
    }
    f32::INFINITY
}

/// Digits OCR reads for one another.
const DIGIT_SHAPES: &[&str] = &["17", "38", "56", "68", "08", "69", "14", "49"];

/// How another record of the archive prints a number of the same symbol.
#[derive(Debug, Clone)]
pub struct ArchiveReading<'a> {
    pub id: &'a DocId,
    /// The date the citing records print with it.
    pub date: Option<&'a str>,
    /// How many other records print it so, with that date.
    pub records: usize,
}

/// What the archive says of a cited number ([`against_archive`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveVerdict {
    /// The number to cite: the archive's reading, or the printed one when it is kept.
    pub id: DocId,
    /// The archive's date, when the printed one was missing or one OCR slip from it.
    pub date: Option<String>,
    pub correction: IdCorrection,
}

/// Other records printing a number this many times, with no record printing the one read
/// here, and OCR unsure of its reading: the archive's reading is taken.
const ARCHIVE_MAJORITY: usize = 2;
/// Largest cost of the number edit towards another record's reading: one digit misread,
/// a leading digit lost, or two digits of like shape.
const MAX_ARCHIVE_NUMBER_COST: f32 = 0.9;

/// Judges a cited number against how the other records of the archive print numbers of
/// its symbol ("Công văn số 1466/TTT-VP" where three records cite 1488/TTT-VP of 25/11/2024,
/// the date here read 23/11⁄2024). A reading one OCR-likely digit edit away whose date agrees
/// (the same date, none printed here, or one slip from it) is
/// - taken, when at least [`ARCHIVE_MAJORITY`] other records print it, none prints the
///   number read here, and OCR itself doubted the reading (`ocr_doubt`); the date follows;
/// - otherwise offered beside the printed number, which is kept: two records that print
///   759/QĐ-UBND and 789/QĐ-UBND of one day are each flagged with both numbers (a province
///   issues many decisions a day, so a near number of the same day may be another document).
///
/// `printed_elsewhere`: other records printing this very number. `None` when no reading is
/// near, or two are equally near, or the printed number is a known document.
pub fn against_archive(printed: &DocId, date: Option<&str>, printed_elsewhere: usize, ocr_doubt: bool, others: &[ArchiveReading<'_>], authority: &Authority) -> Option<ArchiveVerdict> {
    if authority.known(printed).is_some() {
        return None;
    }
    let mut near: Vec<(&ArchiveReading<'_>, f32)> = Vec::new();
    for other in others {
        if other.id == printed || other.id.symbol() != printed.symbol() || other.id.year() != printed.year() || other.id.is_party() != printed.is_party() {
            continue;
        }
        let Some(other_date) = other.date else { continue };
        // A number without a year is reissued every year: only a printed date ties it to one.
        let date_agrees = match date {
            None => printed.year().is_some(),
            Some(said) => said == other_date || super::extract::one_date_slip(said, other_date),
        };
        let cost = archive_number_cost(printed.number(), other.id.number());
        if date_agrees && cost <= MAX_ARCHIVE_NUMBER_COST {
            // A date printed and equal is worth more than one missing or slipped.
            let cost = cost + if date == Some(other_date) { 0.0 } else { 0.2 };
            near.push((other, cost));
        }
    }
    near.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.records.cmp(&a.0.records)));
    let (best, cost) = *near.first()?;
    if near.get(1).is_some_and(|(other, second)| second - cost < AMBIGUITY_MARGIN && other.id != best.id) {
        return None;
    }
    // A reading no more common than this one's is no evidence against it.
    if best.records <= printed_elsewhere {
        return None;
    }
    let other_date = best.date.map(str::to_owned);
    let take = best.records >= ARCHIVE_MAJORITY && printed_elsewhere == 0 && ocr_doubt;
    let times = if best.records == 1 { "once".to_owned() } else { format!("{} times", best.records) };
    if take {
        let reason = format!(
            "{printed} is cited nowhere else in the archive; {} of {} is cited {times}, one OCR misreading away, and OCR doubted this reading",
            best.id,
            other_date.as_deref().unwrap_or("-")
        );
        let confidence = (0.8 - 0.2 * cost).clamp(0.5, 0.8);
        let correction = IdCorrection { printed: printed.to_string(), reason, confidence, candidates: vec![best.id.to_string(), printed.to_string()], needs_review: true, from_archive: true };
        let date = other_date.filter(|d| date != Some(d.as_str()));
        return Some(ArchiveVerdict { id: best.id.clone(), date, correction });
    }
    let reason = format!("{} of {} is cited {times} elsewhere in the archive, one OCR misreading away: kept as printed", best.id, other_date.as_deref().unwrap_or("-"));
    let correction = IdCorrection { printed: printed.to_string(), reason, confidence: 0.0, candidates: vec![printed.to_string(), best.id.to_string()], needs_review: true, from_archive: true };
    Some(ArchiveVerdict { id: printed.clone(), date: None, correction })
}

/// Cost of reading another record's number `real` as `printed`: a leading digit lost
/// (0.5), or one or two digits misread each as one of like shape (0.4 each; the round
/// digits of italic print, 3 5 6 8 9 0, one for another). Any other digit is no OCR slip
/// but another number: 286 and 287 of one day are two letters of one office.
fn archive_number_cost(printed: &str, real: &str) -> f32 {
    if !printed.is_empty() && real.len() == printed.len() + 1 && real.ends_with(printed) {
        return 0.5;
    }
    let p: Vec<char> = printed.chars().collect();
    let r: Vec<char> = real.chars().collect();
    if p.len() != r.len() {
        return f32::INFINITY;
    }
    let diffs: Vec<(char, char)> = p.iter().zip(&r).filter(|(a, b)| a != b).map(|(a, b)| (*a, *b)).collect();
    let shaped = |(a, b): &(char, char)| ARCHIVE_DIGIT_SHAPES.iter().any(|g| g.contains(*a) && g.contains(*b));
    if (1..=2).contains(&diffs.len()) && diffs.iter().all(shaped) {
        0.4 * diffs.len() as f32
    } else {
        f32::INFINITY
    }
}

/// Digits OCR reads for one another in the print of cited numbers (roman and italic).
const ARCHIVE_DIGIT_SHAPES: &[&str] = crate::ocr::reread::DIGIT_SHAPES;

/// Lines after a citation's first line within which its number may stand ("Tờ trình số" at
/// the end of one line, the number on the next).
const REREAD_LINES: u32 = 2;

/// Puts on each citation what the OCR stage's re-reading of its number's digits decided
/// (`crate::ocr::reread`; `rereads`: per page number, that page's re-reads): a number the
/// image read otherwise carries the page reading as printed, the reason and the readings;
/// one the readers disagreed on is flagged with the other readings as candidates. A pure
/// function of the records: the images were read before.
pub fn from_rereads(citations: &mut [super::Citation], rereads: &[(u32, &[crate::ocr::reread::NumberReread])]) {
    use crate::ocr::reread::{number_part, Decision};
    date_rereads_for_review(citations, rereads);
    for c in citations.iter_mut() {
        let Some(id) = c.id.clone() else { continue };
        let number = id.number();
        let tail = &id.as_str()[number.len()..];
        let (page, line) = c.ocr.as_ref().map_or((c.page, c.line), |o| (o.page, o.line));
        let Some(r) = rereads
            .iter()
            .filter(|(p, _)| *p == page)
            .flat_map(|(_, rs)| rs.iter())
            .filter(|r| r.decision != Decision::Confirmed && (line..=line + REREAD_LINES).contains(&r.line))
            .find(|r| number_part(&r.read).is_some_and(|(_, digits, rest)| digits == number && same_code_start(rest, tail)))
        else {
            continue;
        };
        let printed_digits = number_part(&r.printed).map_or(number, |(_, d, _)| d).to_owned();
        let with_number = |digits: &str| format!("{digits}{tail}");
        let readings = r.readings.join(", ");
        let previous = c.correction.take();
        let correction = match r.decision {
            Decision::Changed => {
                // The number as the page reading printed it: its digits, and the codes as
                // printed when the codes were repaired too.
                let printed = previous.as_ref().map_or_else(|| with_number(&printed_digits), |k| crate::ocr::reread::with_digits(&k.printed, &printed_digits));
                let mut reason = format!("the page reading gave {printed_digits}; the number read again alone from the image gives {number} ({readings})");
                if let Some(k) = &previous {
                    reason = format!("{reason}; {}", k.reason);
                }
                let confidence = previous.as_ref().map_or(r.confidence, |k| k.confidence.min(r.confidence));
                IdCorrection { printed, reason, confidence, candidates: vec![id.to_string(), with_number(&printed_digits)], needs_review: true, from_archive: false }
            }
            Decision::Unsure | Decision::Confirmed => {
                let others: Vec<String> = r.candidates.iter().filter(|d| d.as_str() != number).map(|d| with_number(d)).collect();
                let reason = format!("{REREAD_UNSURE} ({readings}){REREAD_KEPT}");
                match previous {
                    Some(mut k) => {
                        k.reason = format!("{}; {reason}", k.reason);
                        for other in others {
                            if !k.candidates.contains(&other) {
                                k.candidates.push(other);
                            }
                        }
                        k.needs_review = true;
                        k
                    }
                    None => {
                        let candidates = std::iter::once(id.to_string()).chain(others).collect();
                        IdCorrection { printed: id.to_string(), reason, confidence: 0.0, candidates, needs_review: true, from_archive: false }
                    }
                }
            }
        };
        c.correction = Some(correction);
    }
}

/// Marks for review the date of each citation whose day was read again from the image and
/// changed or left unsure (`crate::ocr::reread`, the day of a date in figures): the day is
/// what the readers disagreed on.
fn date_rereads_for_review(citations: &mut [super::Citation], rereads: &[(u32, &[crate::ocr::reread::NumberReread])]) {
    use crate::ocr::reread::{date_part, Decision};
    for c in citations.iter_mut() {
        let Some(date) = c.date.as_deref() else { continue };
        let (page, line) = c.ocr.as_ref().map_or((c.page, c.line), |o| (o.page, o.line));
        let reread = rereads
            .iter()
            .filter(|(p, _)| *p == page)
            .flat_map(|(_, rs)| rs.iter())
            .filter(|r| r.decision != Decision::Confirmed && (line..=line + REREAD_LINES).contains(&r.line))
            .any(|r| date_part(&r.read).is_some_and(|(_, day, rest)| date.get(8..).and_then(|d| d.parse::<u8>().ok()) == day.parse().ok() && rest.contains(&date[..4])));
        if reread && !c.review.iter().any(|f| f == "date") {
            c.review.push("date".to_owned());
        }
    }
}

/// True when two spellings of what follows a number start with the same code letters
/// ("/TTr-SNỸ" and "/TTr-SNV"), compared folded.
fn same_code_start(a: &str, b: &str) -> bool {
    let head = |s: &str| -> String { crate::viet::fold(s).to_uppercase().chars().filter(|c| c.is_alphanumeric()).take(3).collect() };
    let (a, b) = (head(a), head(b));
    !a.is_empty() && a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reread(printed: &str, read: &str, line: u32, decision: crate::ocr::reread::Decision, candidates: &[&str]) -> crate::ocr::reread::NumberReread {
        crate::ocr::reread::NumberReread {
            printed: printed.to_owned(),
            read: read.to_owned(),
            line,
            bbox: [0, 0, 10, 10],
            readings: vec!["tesseract-word-2x:573".to_owned(), "neural:573".to_owned()],
            decision,
            confidence: if decision == crate::ocr::reread::Decision::Changed { 0.8 } else { 0.0 },
            candidates: candidates.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn a_number_the_image_read_otherwise_keeps_the_page_reading_as_printed() {
        use crate::ocr::reread::Decision;
        let mut citations = crate::cite::extract("Xét đề nghị của Sở Nội vụ tại Tờ trình số 573/TTr-SNV ngày 25/11/2024.\n").citations;
        let rereads = [reread("373/TTr-SNV", "573/TTr-SNV", 1, Decision::Changed, &["573", "373"])];
        from_rereads(&mut citations, &[(1, &rereads[..])]);
        let k = citations[0].correction.as_ref().expect("the re-read is on the citation");
        assert_eq!(citations[0].id.as_ref().unwrap().as_str(), "573/TTr-SNV");
        assert_eq!(k.printed, "373/TTr-SNV");
        assert_eq!(k.candidates, ["573/TTr-SNV", "373/TTr-SNV"]);
        assert!(k.needs_review && k.confidence > 0.5 && !k.is_unsure_reread(), "{k:?}");
        // The same number on another page, or another number, is not this re-read.
        let mut others = crate::cite::extract("Theo Tờ trình số 573/TTr-SNV ngày 25/11/2024 và Quyết định số 789/QĐ-UBND.\n").citations;
        from_rereads(&mut others, &[(2, &rereads[..])]);
        assert!(others.iter().all(|c| c.correction.is_none()));
    }

    #[test]
    fn a_number_the_readers_disagreed_on_is_flagged_with_the_other_reading() {
        use crate::ocr::reread::Decision;
        let mut citations = crate::cite::extract("Căn cứ Quyết định số 759/QĐ-UBND ngày 05/02/2025 của UBND tỉnh.\n").citations;
        let rereads = [reread("759/QĐ-UBND", "759/QĐ-UBND", 1, Decision::Unsure, &["759", "789"]), reread("05/02/2025", "05/02/2025", 1, Decision::Unsure, &["05", "06"])];
        from_rereads(&mut citations, &[(1, &rereads[..])]);
        let c = &citations[0];
        assert_eq!(c.id.as_ref().unwrap().as_str(), "759/QĐ-UBND");
        let k = c.correction.as_ref().expect("flagged");
        assert_eq!((k.printed.as_str(), k.confidence, k.needs_review), ("759/QĐ-UBND", 0.0, true));
        assert_eq!(k.candidates, ["759/QĐ-UBND", "789/QĐ-UBND"]);
        assert_eq!(c.review, ["date"]);
        // Still open to other evidence (the archive), which then keeps what it said.
        assert!(k.is_unsure_reread());
        let archive = IdCorrection { printed: "759/QĐ-UBND".into(), reason: "archive".into(), confidence: 0.7, candidates: vec!["789/QĐ-UBND".into(), "759/QĐ-UBND".into()], needs_review: true, from_archive: true };
        let merged = archive.with_earlier(k);
        assert_eq!(merged.candidates, ["789/QĐ-UBND", "759/QĐ-UBND"]);
        assert!(merged.reason.starts_with("archive; the number read again") && !merged.reason.ends_with("kept as read"), "{merged:?}");
        assert!(!merged.is_unsure_reread());
        // A confirmed reading adds nothing.
        let mut confirmed = crate::cite::extract("Căn cứ Quyết định số 759/QĐ-UBND ngày 05/02/2025 của UBND tỉnh.\n").citations;
        from_rereads(&mut confirmed, &[(1, &[reread("759/QĐ-UBND", "759/QĐ-UBND", 1, Decision::Confirmed, &["759"])][..])]);
        assert!(confirmed[0].correction.is_none() && confirmed[0].review.is_empty());
    }

    fn fix(id: &str, evidence: Evidence<'_>) -> Option<String> {
        let id = DocId::parse(id).unwrap_or_else(|| panic!("{id} parses"));
        correct(&id, evidence, Authority::builtin()).map(|(d, _)| d.to_string())
    }

    #[test]
    fn a_party_project_code_without_its_bar_is_the_said_type_s() {
        let project = Evidence { doc_type: Some("Đề án"), ..Evidence::default() };
        // No Party document is coded DA: the Đ of ĐA lost its bar.
        assert_eq!(fix("05-DA/TU", project).as_deref(), Some("05-ĐA/TU"));
        // In a State number DA is a Dự án: which of the two was printed is not known.
        assert_eq!(fix("12/DA-UBND", project).as_deref(), Some("12/DA-UBND"));
        // Without the type said, nothing to go by.
        assert_eq!(fix("05-DA/TU", Evidence::default()).as_deref(), None);
    }

    #[test]
    fn a_first_code_that_is_no_code_takes_the_said_type_s_code_one_misreading_away() {
        let decision = Evidence { doc_type: Some("Quyết định"), ..Evidence::default() };
        // A letter too many in the type code: QBD is no type and no organ's code.
        let id = DocId::parse("512/QBD-UBND").unwrap();
        let (fixed, c) = correct(&id, decision, Authority::builtin()).expect("corrected");
        assert_eq!((fixed.as_str(), c.printed.as_str(), c.needs_review), ("512/QĐ-UBND", "512/QBD-UBND", true));
        assert!(c.confidence >= 0.5 && c.reason.contains("Quyết định"), "{c:?}");
        // Without the type word, or with another type's, nothing says which code it was.
        assert_eq!(fix("512/QBD-UBND", Evidence::default()).as_deref(), None);
        assert_eq!(fix("512/QBD-UBND", Evidence { doc_type: Some("Kế hoạch"), ..Evidence::default() }).as_deref(), None);
        // A first code that is an organ's (a letter without a type code) stays.
        assert_eq!(fix("512/UBND-VX", decision).as_deref(), None);
        // Too far from QĐ: kept.
        assert_eq!(fix("512/XBY-UBND", decision).as_deref(), None);
    }

    #[test]
    fn the_one_code_a_single_letter_away_is_taken_over_cheaper_looking_two_letter_rivals() {
        // A stroke read as I in a Party unit's code: BTCTW is one letter away; BTGTW and
        // BTCTU need that and a letter misread.
        let id = DocId::parse("09-HD/BTICTW").unwrap();
        let (fixed, c) = correct(&id, Evidence::default(), Authority::builtin()).expect("corrected");
        assert_eq!(fixed.as_str(), "09-HD/BTCTW");
        assert!(c.needs_review && c.candidates.len() >= 3 && c.candidates[1] == "09-HD/BTICTW", "{c:?}");
        // Two codes a single letter away: kept as printed, both offered.
        assert!(matches!(fix("09-HD/BTXTW", Evidence::default()).as_deref(), None | Some("09-HD/BTXTW")));
    }

    #[test]
    fn impossible_codes_take_the_nearest_code_that_exists() {
        let none = Evidence::default();
        assert_eq!(fix("45/0Đ-UBND", none).as_deref(), Some("45/QĐ-UBND"));
        assert_eq!(fix("87/HĐĐĐND-KTNS", none).as_deref(), Some("87/HĐND-KTNS"));
        // Latin Đ and Icelandic Ð together are one Đ as soon as the number is read.
        assert_eq!(DocId::parse("87/HĐÐND-KTNS").map(|d| d.to_string()).as_deref(), Some("87/HĐND-KTNS"));
        assert_eq!(fix("3/2024/TT-BVT", none).as_deref(), Some("3/2024/TT-BYT"));
        assert_eq!(fix("31-KII/TU", none).as_deref(), Some("31-KH/TU"));
        assert_eq!(fix("154/2020/NĐCP", none).as_deref(), Some("154/2020/NĐ-CP"));
        // A capital of TTg misread; the sentence names the Prime Minister.
        let by_pm = Evidence { issuer: Some("Thủ tướng Chính phủ"), ..Evidence::default() };
        assert_eq!(fix("11/CT-FTg", by_pm).as_deref(), Some("11/CT-TTg"));
        // A speck read as a stray capital inside TTg.
        assert_eq!(fix("96/CĐ-TTEg", none).as_deref(), Some("96/CĐ-TTg"));
        // A code never seen, a stray stroke read as I from one that exists.
        assert_eq!(fix("3298/TTr-SVHTITDL", none).as_deref(), Some("3298/TTr-SVHTTDL"));
        // The type the sentence names chooses between two equally near codes.
        let decision = Evidence { doc_type: Some("Quyết định"), ..Evidence::default() };
        assert_eq!(fix("217-QDB/TW", decision).as_deref(), Some("217-QĐ/TW"));
        // The small last letter of a type code lost: the sentence names the type.
        let report = Evidence { doc_type: Some("Tờ trình"), ..Evidence::default() };
        assert_eq!(fix("1420/TT-BQL", report).as_deref(), Some("1420/TTr-BQL"));
        assert_eq!(fix("1420/TT-BQL", Evidence::default()), None);
    }

    #[test]
    fn a_correction_keeps_the_printed_number_and_is_flagged_for_review() {
        let id = DocId::parse("45/0Đ-UBND").unwrap();
        let (fixed, c) = correct(&id, Evidence::default(), Authority::builtin()).unwrap();
        assert_eq!((fixed.as_str(), c.printed.as_str(), c.needs_review), ("45/QĐ-UBND", "45/0Đ-UBND", true));
        assert_eq!(c.candidates, ["45/QĐ-UBND", "45/0Đ-UBND"]);
        // Records written before the flag existed read as flagged.
        let old: IdCorrection = serde_json::from_str(r#"{"printed":"45/0Đ-UBND","reason":"r","confidence":0.9}"#).unwrap();
        assert!(old.needs_review && old.candidates.is_empty());
    }

    /// The compiled-in tables with `documents` (lines of documents.tsv) as the known documents.
    fn authority_knowing(documents: &str) -> Authority {
        let dir = tempfile::tempdir().unwrap();
        let tables = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/authority");
        std::fs::create_dir(dir.path().join("authority")).unwrap();
        for name in ["doc_types.tsv", "organs.tsv", "places.tsv", "codes.tsv", "laws.tsv"] {
            std::fs::copy(tables.join(name), dir.path().join("authority").join(name)).unwrap();
        }
        std::fs::write(dir.path().join("authority/documents.tsv"), documents).unwrap();
        Authority::load(dir.path()).unwrap()
    }

    #[test]
    fn an_unknown_number_among_the_numbers_known_of_its_day_is_one_more_of_them() {
        let a = authority_knowing("40/2019/QH14\tNghị quyết\t2019-06-14\tQuốc hội\t1\n49/2019/QH14\tNghị quyết\t2019-06-14\tQuốc hội\t1\n");
        let said = Evidence { date: Some("2019-06-14"), doc_type: Some("Nghị quyết"), issuer: None };
        // 44 (between 40 and 49, signed that day) is one more of that day's: kept, flagged.
        let printed = DocId::parse("44/2019/QH14").unwrap();
        let (kept, c) = correct(&printed, said, &a).expect("flagged");
        assert_eq!(kept.as_str(), "44/2019/QH14");
        assert_eq!((c.confidence, c.needs_review), (0.0, true));
        assert_eq!(c.candidates, ["44/2019/QH14", "49/2019/QH14"]);
        // 9 is outside that day's run: a digit lost from 49, as before.
        let lost = DocId::parse("9/2019/QH14").unwrap();
        assert_eq!(correct(&lost, said, &a).map(|(d, _)| d.to_string()).as_deref(), Some("49/2019/QH14"));
        // With one number known of the day there is no run: 44 is 49 misread (4 for 9).
        let one = authority_knowing("49/2019/QH14\tNghị quyết\t2019-06-14\tQuốc hội\t1\n");
        assert_eq!(correct(&printed, said, &one).map(|(d, _)| d.to_string()).as_deref(), Some("49/2019/QH14"));
    }

    #[test]
    fn a_possible_number_is_never_changed_without_a_known_document() {
        assert_eq!(fix("107/KH-UBND", Evidence::default()), None);
        assert_eq!(fix("1234/QĐ-UBND", Evidence { date: Some("2024-01-01"), ..Evidence::default() }), None);
    }

    #[test]
    fn a_known_number_printed_with_another_known_document_s_date_is_that_document() {
        // 02/2024/NĐ-CP exists, but 102/2024/NĐ-CP is the decree of 30/7/2024.
        let said = Evidence { date: Some("2024-07-30"), doc_type: Some("Nghị định"), issuer: None };
        assert_eq!(fix("02/2024/NĐ-CP", said).as_deref(), Some("102/2024/NĐ-CP"));
        // With its own known date, or no date, it stays.
        assert_eq!(fix("102/2024/NĐ-CP", said), None);
        assert_eq!(fix("02/2024/NĐ-CP", Evidence::default()), None);
        assert_eq!(fix("02/2024/NĐ-CP", Evidence { date: Some("2024-03-03"), ..Evidence::default() }), None);
    }


    fn reading<'a>(id: &'a DocId, date: &'a str, records: usize) -> ArchiveReading<'a> {
        ArchiveReading { id, date: Some(date), records }
    }

    #[test]
    fn a_number_the_archive_prints_otherwise_is_taken_only_by_a_majority_and_an_ocr_doubt() {
        let a = Authority::builtin();
        let printed = DocId::parse("1466/TTT-VP").unwrap();
        let real = DocId::parse("1488/TTT-VP").unwrap();
        let others = [reading(&real, "2024-11-25", 3)];
        // Three records print 1488 of 25/11; this one, doubted by OCR, 1466 of "23/11".
        let v = against_archive(&printed, Some("2024-11-23"), 0, true, &others, a).unwrap();
        assert_eq!((v.id.as_str(), v.date.as_deref()), ("1488/TTT-VP", Some("2024-11-25")));
        assert_eq!(v.correction.candidates, ["1488/TTT-VP", "1466/TTT-VP"]);
        assert!(v.correction.needs_review && v.correction.from_archive);
        // OCR sure of its reading, or another record printing 1466 too: both kept, flagged.
        for (elsewhere, doubt) in [(0, false), (1, true)] {
            let v = against_archive(&printed, Some("2024-11-23"), elsewhere, doubt, &others, a).unwrap();
            assert_eq!((v.id.as_str(), v.date, v.correction.confidence), ("1466/TTT-VP", None, 0.0));
            assert_eq!(v.correction.candidates, ["1466/TTT-VP", "1488/TTT-VP"]);
        }
    }

    #[test]
    fn one_record_against_one_flags_both_and_changes_neither() {
        let a = Authority::builtin();
        let (x, y) = (DocId::parse("759/QĐ-UBND").unwrap(), DocId::parse("789/QĐ-UBND").unwrap());
        let v = against_archive(&x, Some("2024-12-12"), 0, true, &[reading(&y, "2024-12-12", 1)], a).unwrap();
        assert_eq!(v.id, x);
        assert_eq!(v.correction.candidates, ["759/QĐ-UBND", "789/QĐ-UBND"]);
        let v = against_archive(&y, Some("2024-12-12"), 0, true, &[reading(&x, "2024-12-12", 1)], a).unwrap();
        assert_eq!(v.id, y);
    }

    #[test]
    fn the_archive_says_nothing_of_another_day_another_symbol_or_a_far_number() {
        let a = Authority::builtin();
        let printed = DocId::parse("759/QĐ-UBND").unwrap();
        let other_day = DocId::parse("789/QĐ-UBND").unwrap();
        assert_eq!(against_archive(&printed, Some("2024-10-01"), 0, true, &[reading(&other_day, "2024-12-12", 5)], a), None);
        let other_symbol = DocId::parse("789/QĐ-SNV").unwrap();
        assert_eq!(against_archive(&printed, Some("2024-12-12"), 0, true, &[reading(&other_symbol, "2024-12-12", 5)], a), None);
        // Another digit than a like-shaped one: the next letter of the same office and day.
        let (p286, p287) = (DocId::parse("286/STC-HCSN").unwrap(), DocId::parse("287/STC-HCSN").unwrap());
        assert_eq!(against_archive(&p286, Some("2025-02-04"), 0, true, &[reading(&p287, "2025-02-04", 3)], a), None);
        // No year and no date: the number may be any year's.
        let (n19, n17) = (DocId::parse("19/NQ-CP").unwrap(), DocId::parse("17/NQ-CP").unwrap());
        assert_eq!(against_archive(&n19, None, 0, true, &[reading(&n17, "2019-03-07", 3)], a), None);
        // The majority reading is not flagged by a rarer one.
        assert_eq!(against_archive(&DocId::parse("1488/TTT-VP").unwrap(), Some("2024-11-25"), 2, false, &[reading(&DocId::parse("1466/TTT-VP").unwrap(), "2024-11-23", 1)], a), None);
        let far = DocId::parse("123/QĐ-UBND").unwrap();
        assert_eq!(against_archive(&printed, Some("2024-12-12"), 0, true, &[reading(&far, "2024-12-12", 5)], a), None);
        // Two readings as near: which one is meant is not known.
        let (b, c) = (DocId::parse("758/QĐ-UBND").unwrap(), DocId::parse("756/QĐ-UBND").unwrap());
        assert_eq!(against_archive(&printed, Some("2024-12-12"), 0, true, &[reading(&b, "2024-12-12", 2), reading(&c, "2024-12-12", 2)], a), None);
    }

    #[test]
    fn number_costs() {
        assert_eq!(number_cost("07", "107"), 0.5);
        assert_eq!(number_cost("01", "1"), 0.0);
        assert_eq!(number_cost("7", "107"), f32::INFINITY);
        assert_eq!(number_cost("747", "1747"), 0.5);
        assert_eq!(number_cost("115", "145"), 0.4);
        assert_eq!(number_cost("115", "125"), 0.9);
    }

    #[test]
    fn shape_confusions_are_cheap_and_other_letters_are_not() {
        let c = |p: &str, r: &str| edit_cost(&p.chars().collect::<Vec<_>>(), &r.chars().collect::<Vec<_>>());
        assert!(c("0D", "QD") < 0.5);
        assert!(c("KII", "KH") < 0.5);
        assert!(c("SGŒTVT", "SGTVT") < 0.5);
        assert!(c("BXD", "BYT") > 1.0);
        // A stray I inside a code is a thin stroke; a letter lost at an end is not.
        assert!(c("SVHTITDL", "SVHTTDL") <= 0.4);
        assert!(c("BYTI", "BYT") >= 1.0);
    }
}
