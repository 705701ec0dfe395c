//! Extract: every citation in the token stream, with its type, date, issuer, subject,
//! relation and context. Short forms ("Chỉ thị 35") are collected here and resolved in
//! [`super::resolve`].
//!
//! Every step looks at a bounded window of tokens around a candidate, so the whole pass
//! is linear in the text length whatever the input.

use super::clean::Cleaned;
use super::correct;
use super::dates;
use super::ocr_words;
use super::subject;
use crate::authority::{Authority, Damaged};
use super::docid::{self, DocId};
use super::tokenize::{Kind, Token};
use super::vocab;
use super::{Citation, Relation};

/// A type phrase followed by a bare number ("Chỉ thị 35", "Nghị quyết số 18"): a short
/// form that stands for a full citation earlier in the document.
#[derive(Debug, Clone)]
pub struct ShortForm {
    pub doc_type: &'static str,
    pub number: String,
    /// The citation as it would be reported, without id/type details yet.
    pub occurrence: Citation,
    /// Char index of the start of its sentence (for de-duplication).
    pub sentence_start: usize,
}

/// A citation with the sentence it stands in.
#[derive(Debug, Clone)]
pub struct Found {
    pub citation: Citation,
    pub sentence_start: usize,
}

/// The formula that opens the title of a law amending others.
const AMENDING_PREFIX: &str = "Luật sửa đổi, bổ sung một số điều của";
/// How far back a type phrase or law name may stand from the number (in words).
const MAX_NAME_WORDS: usize = 14;
/// How far back from "số N" a law's name may start: longer than a name read forwards,
/// since the walk back stops at any function word or punctuation but the comma and names
/// such as "Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ" run to 15 words.
const MAX_NAME_WORDS_BEFORE_NUMBER: usize = 20;
/// How far back the relation keyword is looked for (in tokens).
const MAX_RELATION_LOOKBACK: usize = 400;
/// How far on (words) in its clause a law's "thông qua ngày …" is looked for.
const MAX_PASSED_DATE_WORDS: usize = 32;
/// How far back (tokens) a clause's opening date is looked for.
const MAX_OPENING_DATE_LOOKBACK: usize = 120;
/// Longest stretch of text read as an organ's name, in chars.
const MAX_ORGAN_CHARS: usize = 160;
/// Longest subject or context kept, in chars.
const MAX_SUBJECT_CHARS: usize = 300;
const MAX_CONTEXT_CHARS: usize = 400;

/// An issuer read after "của": the name and the token after it, or a name too damaged to
/// store.
enum IssuerRead {
    Named(String, usize),
    /// The token after the illegible name.
    Unsure(usize),
}

pub struct Extractor<'a> {
    cleaned: &'a Cleaned,
    tokens: &'a [Token],
    /// What can exist: codes, organs, known documents (to judge and correct numbers).
    authority: &'a Authority,
}

impl<'a> Extractor<'a> {
    pub fn new(cleaned: &'a Cleaned, tokens: &'a [Token], authority: &'a Authority) -> Extractor<'a> {
        Extractor { cleaned, tokens, authority }
    }

    /// All full citations and short forms, in text order.
    pub fn run(&self) -> (Vec<Found>, Vec<ShortForm>) {
        let mut found = Vec::new();
        let mut shorts = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            if !self.tokens[i].is_word() {
                i += 1;
                continue;
            }
            if self.starts_number(i) {
                if let Some(parsed) = docid::parse_at(self.cleaned, self.tokens, i) {
                    // "số 3561, 3562 và 3563/QĐ-UBND": each listed number is a citation of
                    // its own, with the symbol, date and issuer printed after the last; a
                    // list of forms ("Mẫu số 06, 07 và 08/TP-HT") is forms to its end.
                    let listed = docid::listed_numbers_before(self.cleaned, self.tokens, i);
                    if !self.is_form_number(i) && !listed.first().is_some_and(|&(_, at)| self.is_form_number(at)) {
                        for (number, at) in listed {
                            let end = self.tokens[at].end as usize;
                            let listed = self.full_citation(at, parsed.id.with_number(&number), end, parsed.next_token, found.last());
                            found.push(listed);
                        }
                        let citation = self.full_citation(i, parsed.id, parsed.end, parsed.next_token, found.last());
                        found.push(citation);
                    }
                    i = parsed.next_token;
                    continue;
                }
            }
            if let Some(next) = self.named_or_short(i, &mut found, &mut shorts) {
                i = next;
                continue;
            }
            i += 1;
        }
        end_subjects_at_the_next_citation(&mut found);
        settle_ties_by_neighbours(&mut found);
        repair_codes_by_siblings(&mut found, self.authority);
        self.spell_units_by_their_names(&mut found);
        self.share_list_dates(&mut found);
        for f in &mut found {
            subject::check(&mut f.citation);
        }
        (found, shorts)
    }

    /// "các Quyết định số 1743/QĐ-BGTVT, 1744/QĐ-BGTVT ngày 31/12/2024 của …": numbers of one
    /// type listed with nothing but a comma or "và" between them share the date (and the
    /// issuer) printed after the last. A number that reads a date of its own keeps it.
    fn share_list_dates(&self, found: &mut [Found]) {
        for k in (1..found.len()).rev() {
            let (head, tail) = found.split_at_mut(k);
            let (current, next) = (&mut head[k - 1].citation, &tail[0].citation);
            let (Some(current_id), Some(next_id)) = (current.id.as_ref(), next.id.as_ref()) else { continue };
            if current.doc_type != next.doc_type || next.start < current.end {
                continue;
            }
            let between = self.cleaned.folded(current.end, next.start);
            let separator = |w: &str| w.is_empty() || w == "va" || w == "so";
            // A number's own date between it and the next ("1745/QĐ-UBND ngày 12/9/2023,
            // 806/QĐ-UBND ngày …") still leaves the two in one list, for the issuer only.
            let date_word = |w: &str| matches!(w, "ngay" | "thang" | "nam") || (!w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '/' || c == '-' || c == '.'));
            let words = || between.split(|c: char| c.is_whitespace() || c == ',' || c == ':');
            // "18-NQ/TW, Nghị quyết số 19-NQ/TW": the type phrase and "số" said again.
            let retyped = between.len() <= 40 && {
                let said: Vec<&str> = words().filter(|w| !w.is_empty() && *w != "va").collect();
                said.split_last().is_some_and(|(marker, phrase)| vocab::is_number_marker(marker) && vocab::type_phrase(&phrase.join(" ")) == Some(next.doc_type.as_str()))
            };
            let listed = (between.len() <= 16 && words().all(separator)) || retyped;
            let listed_after_a_date = current.date.is_some() && between.len() <= 40 && words().all(|w| separator(w) || date_word(w));
            if !(listed || listed_after_a_date) || !(between.contains(',') || between.contains("va")) {
                continue;
            }
            let stated = |field: &str| !next.inferred.iter().any(|f| f == field);
            if current.date.is_none() {
                if let Some(date) = next.date.clone().filter(|_| stated("date")) {
                    current.date = Some(date);
                }
            }
            // The issuer printed after the last number is the list's: it replaces what an
            // earlier number's code only implied ("217-QĐ/TW, 218-QĐ/TW … của Bộ Chính trị":
            // TW implies the Central Committee, the sentence names the Politburo), but only
            // where both numbers' codes imply the same organ — "12/QĐ-TTg, 1745/QĐ-UBND … của
            // UBND tỉnh" names the province's committee for the second alone.
            let same_code = current_id.implied_issuer() == next_id.implied_issuer();
            if current.issuer_only_implied() && same_code && stated("issuer") {
                if let Some(issuer) = next.issuer.clone() {
                    current.issuer = Some(issuer);
                }
            }
        }
    }

    /// "2512/BTNMT-QLDD" in a letter that names "Cục Quản lý đất đai": legacy OCR has no Đ,
    /// so a unit's code (which no table spells) comes out with D. A unit's code is the
    /// initials of its name; where the initials of words printed in the document spell the
    /// code letter for letter, their Đ is the code's. Only D becomes Đ, nothing else.
    fn spell_units_by_their_names(&self, found: &mut [Found]) {
        let unknown_with_d = |code: &str| {
            (3..=6).contains(&code.len()) && code.contains('D') && code.chars().all(|c| c.is_ascii_uppercase()) && vocab::kind(code).is_none() && vocab::issuer(code).is_none()
        };
        // A unit's code follows the issuer's ("BTNMT-QLDD", "QĐ-UBND-KT"); the issuer's own
        // code ("QĐ-BGD", Bộ Giáo dục) is the tables' to spell, never a name's initials.
        let units = |id: &DocId| -> Vec<String> {
            let parts: Vec<&str> = id.symbol().split(['-', '/']).collect();
            let first_issuer = usize::from(parts.first().is_some_and(|k| vocab::kind(&crate::authority::fold_code(k)).is_some()));
            parts.into_iter().skip(first_issuer + 1).map(str::to_owned).collect()
        };
        let wanted: std::collections::HashSet<String> =
            found.iter().filter_map(|f| f.citation.id.as_ref()).flat_map(units).filter(|code| unknown_with_d(code)).collect();
        if wanted.is_empty() {
            return;
        }
        // Initials of the 3 to 6 words of a unit's name ("Cục Quản lý đất đai", "Vụ Kế hoạch
        // – Tài chính"): the words after an organ word, the first capitalized; kept where
        // they spell a wanted code. Initials of running words spell codes by chance.
        let words: Vec<usize> = (0..self.tokens.len()).filter(|&i| self.tokens[i].is_word() && self.is_letters(i)).collect();
        let mut spelled: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for start in 1..words.len() {
            let organ_before = matches!(self.word(words[start - 1]), "cuc" | "vu" | "phong" | "ban" | "vien" | "tam");
            if !organ_before || !self.capitalized(words[start]) {
                continue;
            }
            let mut initials = String::new();
            for &w in words[start..].iter().take(6) {
                initials.extend(self.original(w).chars().next().into_iter().flat_map(char::to_uppercase));
                let folded = crate::authority::fold_code(&initials);
                if initials.chars().count() >= 3 && initials.contains('Đ') && wanted.contains(&folded) {
                    spelled.entry(folded).or_insert_with(|| initials.clone());
                }
            }
        }
        for f in found.iter_mut() {
            let Some(id) = f.citation.id.as_ref() else { continue };
            let unit_codes = units(id);
            let mut changed = false;
            let respelled: String = id
                .as_str()
                .split_inclusive(['-', '/'])
                .map(|piece| {
                    let code = piece.trim_end_matches(['-', '/']);
                    match spelled.get(code).filter(|_| unit_codes.iter().any(|u| u == code)) {
                        Some(name) => {
                            changed = true;
                            let bars: String = code.chars().zip(name.chars()).map(|(c, n)| if c == 'D' && n == 'Đ' { 'Đ' } else { c }).collect();
                            format!("{bars}{}", &piece[code.len()..])
                        }
                        None => piece.to_owned(),
                    }
                })
                .collect();
            if let Some(new_id) = changed.then(|| DocId::from_canonical(&respelled)).flatten() {
                f.citation.symbol = Some(new_id.symbol().to_owned());
                f.citation.id = Some(new_id);
            }
        }
    }

    fn word(&self, i: usize) -> &'a str {
        let t = &self.tokens[i];
        self.cleaned.folded(t.start as usize, t.end as usize)
    }

    fn original(&self, i: usize) -> &'a str {
        let t = &self.tokens[i];
        self.cleaned.original(t.start as usize, t.end as usize)
    }

    fn is_word(&self, i: usize, folded: &str) -> bool {
        self.tokens.get(i).is_some_and(|t| t.is_word()) && self.word(i) == folded
    }

    fn capitalized(&self, i: usize) -> bool {
        self.original(i).starts_with(char::is_uppercase)
    }

    /// True when token `i` can open a number: not glued to a '/' or '-' before it (then it
    /// is the inside of something else, like the month of a date).
    fn starts_number(&self, i: usize) -> bool {
        if docid::number_digits(self.word(i)).is_none() {
            return false;
        }
        match i.checked_sub(1).map(|p| self.tokens[p].kind) {
            Some(Kind::Punct('/')) | Some(Kind::Punct('.')) => false,
            Some(Kind::Punct('-')) => i < 2 || !self.tokens[i - 2].is_word(),
            _ => true,
        }
    }

    /// "Mẫu số 01/TP-HGTM", "mẫu 43/BB-VPHC", "Phụ lục số 01/PL-BTC": the number of a form
    /// or an appendix, not of a document. "Điều 5/NĐ-CP", "khoản 2/…": an article, clause
    /// or chapter of a document is numbered, but is no document (the number a type phrase or
    /// "số" introduces is one, and is not asked about here).
    fn is_form_number(&self, i: usize) -> bool {
        let Some(mut before) = self.prev_word(i) else { return false };
        if matches!(self.word(before), "dieu" | "khoan" | "diem" | "chuong" | "muc") {
            return true;
        }
        if vocab::is_number_marker(self.word(before)) {
            match self.prev_word(before) {
                Some(p) => before = p,
                None => return false,
            }
        }
        let appendix = self.word(before) == "luc" && self.prev_word(before).is_some_and(|p| self.word(p) == "phu");
        appendix || matches!(self.word(before), "mau" | "bieu")
    }

    /// The previous word before token `i`, skipping blanks (and nothing else).
    fn prev_word(&self, i: usize) -> Option<usize> {
        let mut index = i.checked_sub(1)?;
        let mut skipped = 0;
        while self.tokens[index].is_blank() {
            index = index.checked_sub(1)?;
            skipped += 1;
            if skipped > 3 {
                return None;
            }
        }
        self.tokens[index].is_word().then_some(index)
    }

    /// Reads backwards from the number at `i`: the "số" marker, then a type phrase or a
    /// law's name. Returns (type, law name, first token of the citation).
    fn lookback(&self, i: usize) -> (Option<&'static str>, Option<String>, usize) {
        let mut start = i;
        let mut before = i;
        // "số:", "s6", "Số hiệu", with a colon or a stray mark between.
        let mut cursor = i;
        for _ in 0..3 {
            match cursor.checked_sub(1).map(|p| self.tokens[p].kind) {
                Some(Kind::Space) | Some(Kind::Newline) | Some(Kind::Punct(':')) => cursor -= 1,
                _ => break,
            }
        }
        if let Some(marker) = cursor.checked_sub(1).filter(|&p| self.tokens[p].is_word()) {
            if vocab::is_number_marker(self.word(marker)) {
                start = marker;
                before = marker;
            }
        }
        if let Some((doc_type, phrase_start)) = self.type_phrase_ending_before(before) {
            // A law's type word is capitalized; "pháp luật số" is the end of a name.
            if !vocab::NAMED_TYPES.contains(&doc_type) || self.capitalized(phrase_start) {
                return (Some(doc_type), None, phrase_start);
            }
        }
        // "Luật Tổ chức chính quyền địa phương số 72/2025/QH15": a name between the type
        // word and the number.
        let mut words = Vec::new();
        let mut at = before;
        while words.len() < MAX_NAME_WORDS_BEFORE_NUMBER {
            let Some(w) = self.prev_word_or_comma(at) else { break };
            words.push(w);
            at = w;
            if let Some((doc_type, phrase_start)) = self.named_type_at(w) {
                if vocab::NAMED_TYPES.contains(&doc_type) && self.capitalized(phrase_start) {
                    let end = self.tokens[self.prev_word(before).unwrap_or(w)].end as usize;
                    let name = squash(self.cleaned.original(self.tokens[phrase_start].start as usize, end));
                    return (Some(doc_type), Some(name), phrase_start);
                }
            }
        }
        (None, None, start)
    }

    /// The previous word before `i`, also stepping over a comma inside a name
    /// ("Luật Phòng, chống tham nhũng"); stops at any other punctuation.
    fn prev_word_or_comma(&self, i: usize) -> Option<usize> {
        let mut index = i.checked_sub(1)?;
        let mut skipped = 0;
        while self.tokens[index].is_blank() || self.tokens[index].is_punct(',') {
            index = index.checked_sub(1)?;
            skipped += 1;
            if skipped > 3 {
                return None;
            }
        }
        if !self.tokens[index].is_word() || vocab::is_number_marker(self.word(index)) {
            return None;
        }
        // "ngày", "của", "theo", "tại", "về" end a name; "Bảo vệ", "Tài nguyên", "cửa khẩu"
        // fold to the same letters but are printed with other marks and go on. Printed
        // without marks (raw OCR) the word is taken as the function word.
        if matches!(self.word(index), "ngay" | "cua" | "theo" | "tai" | "ve") {
            let printed = crate::viet::nfc(self.original(index)).to_lowercase();
            if printed.is_ascii() || matches!(printed.as_str(), "ngày" | "của" | "tại" | "về") {
                return None;
            }
        }
        Some(index)
    }

    /// A type phrase ("Nghị quyết", "Luật") whose last word is the word just before `i`.
    fn type_phrase_ending_before(&self, i: usize) -> Option<(&'static str, usize)> {
        let mut words = Vec::with_capacity(4);
        let mut at = i;
        while words.len() < 4 {
            let Some(w) = self.prev_word(at) else { break };
            words.push(w);
            at = w;
        }
        let mut best = None;
        for n in 1..=words.len() {
            let phrase: Vec<&str> = words[..n].iter().rev().map(|&w| self.word(w)).collect();
            if let Some(doc_type) = vocab::type_phrase(&phrase.join(" ")) {
                best = Some((doc_type, words[n - 1]));
            }
        }
        best
    }

    /// A type phrase starting at word `i`: (type, index of its first word).
    fn named_type_at(&self, i: usize) -> Option<(&'static str, usize)> {
        let first = self.word(i);
        if first == "luat" {
            // "Bộ luật" is one phrase: the word before decides.
            if let Some(p) = self.prev_word(i).filter(|&p| self.word(p) == "bo") {
                return Some(("Bộ luật", p));
            }
            return Some(("Luật", i));
        }
        let second = self.next_word(i)?;
        match (first, self.word(second)) {
            ("phap", "lenh") => Some(("Pháp lệnh", i)),
            ("hien", "phap") => Some(("Hiến pháp", i)),
            _ => None,
        }
    }

    fn next_word(&self, i: usize) -> Option<usize> {
        dates::next_word(self.tokens, i + 1, 2)
    }

    /// Builds the citation of `id` whose number starts at token `i` and ends at char `end`.
    /// `previous` is the citation found before this one: in a list ("Luật số 47/2024/QH15,
    /// số 58/2024/QH15") a number with no type of its own takes the list's type.
    fn full_citation(&self, i: usize, id: DocId, end: usize, next_token: usize, previous: Option<&Found>) -> Found {
        let (mut phrase_type, name, first) = self.lookback(i);
        if phrase_type.is_none() {
            if let Some(previous) = previous {
                let between = self.cleaned.folded(previous.citation.end.min(self.tokens[first].start as usize), self.tokens[first].start as usize);
                let listed = between.len() <= 12 && between.split(|c: char| c.is_whitespace() || c == ',').all(|w| w.is_empty() || w == "va");
                if listed && (between.contains(',') || between.contains("va")) {
                    phrase_type = vocab::TYPE_PHRASES.iter().map(|(_, t)| *t).find(|t| *t == previous.citation.doc_type);
                }
            }
        }
        let mut citation = Citation {
            doc_type: reconcile_type(phrase_type, &id).to_owned(),
            number: Some(id.number().to_owned()),
            year: id.year(),
            symbol: Some(id.symbol().to_owned()),
            issuer: id.implied_issuer().map(str::to_owned),
            name,
            ..Citation::default()
        };
        citation.id = Some(id);
        let mut found = self.describe(&mut citation, first, end, next_token);
        if let Some(issuer) = previous.and_then(|p| self.issued_with_previous(&found.citation, first, p)) {
            found.citation.issuer = Some(issuer);
        }
        self.correct_number(&mut found.citation, phrase_type);
        found
    }

    /// Judges the cited number against what can exist and corrects what OCR damaged
    /// (see [`correct`]); the fields the number implied follow the corrected number.
    fn correct_number(&self, citation: &mut Citation, phrase_type: Option<&'static str>) {
        self.repair_number(citation, phrase_type);
        self.fill_from_known(citation);
    }

    /// A field the sentence leaves out, from the document's entry in the list of known
    /// documents (its date above all: "Thủ tướng Chính phủ phê duyệt … tại Quyết định số
    /// 1456/QĐ-TTg" gives none). Each field so filled is named in [`Citation::inferred`].
    fn fill_from_known(&self, citation: &mut Citation) {
        let Some(id) = citation.id.as_ref() else { return };
        let Some(known) = self.authority.known(id) else { return };
        if citation.date.is_none() {
            // A number without a year is reused every year: "Chỉ thị số 04/CT-UBND ngày
            // 42/02/2018" is not the 04/CT-UBND of 2024 the archive holds.
            let printed_year = printed_year_after(&citation.context, &citation.raw);
            if let Some(date) = known.date.as_ref().filter(|d| id.year().is_some() || printed_year.is_none_or(|y| d.starts_with(&y))) {
                citation.date = Some(date.clone());
                citation.inferred.push("date".to_owned());
            }
        } else if let (Some(said), Some(real)) = (citation.date.as_deref(), known.date.as_deref()) {
            // "Nghị định số 101/2024/NĐ-CP ngày 2/7/2024" of a decree of 29/7/2024: a number
            // with its year names one document, and a date one OCR slip from that document's
            // date (a digit lost or misread in the day or the month) is that date. Only for a
            // document more than one source names (a header's handwritten day is no proof).
            if id.year().is_some() && known.seen >= 2 && said != real && one_date_slip(said, real) {
                citation.date = Some(real.to_owned());
                citation.inferred.push("date".to_owned());
                citation.review.push("date".to_owned());
            }
        }
        if citation.issuer.is_none() {
            if let Some(issuer) = &known.issuer {
                citation.issuer = Some(issuer.clone());
                citation.inferred.push("issuer".to_owned());
            }
        }
    }

    fn repair_number(&self, citation: &mut Citation, phrase_type: Option<&'static str>) {
        let Some(id) = citation.id.clone() else { return };
        let evidence = correct::Evidence { date: citation.date.as_deref(), doc_type: phrase_type, issuer: citation.issuer.as_deref() };
        let Some((fixed, mut correction)) = correct::correct(&id, evidence, self.authority) else { return };
        // "Luật Đầu tư công số 58/2024/QH15 ngày 29/11/2024": a number the list of known
        // documents holds (only its date unknown) printed whole is no misreading of a
        // neighbour of that date (an assembly passes many laws a day): kept as printed,
        // the neighbour offered for review. Not so "số ] 02/2024/NĐ-CP" for 102/2024/NĐ-CP:
        // a glyph OCR left before the number is the digit it lost.
        let printed_whole = !glyph_before_number(&citation.context, &citation.raw, id.number());
        if fixed != id && printed_whole && self.authority.known(&id).is_some_and(|k| k.date.is_none()) {
            correction.reason = format!("{}; kept as printed (the printed number is known)", correction.reason);
            correction.confidence = 0.0;
            correction.needs_review = true;
            citation.correction = Some(correction);
            return;
        }
        citation.doc_type = reconcile_type(phrase_type, &fixed).to_owned();
        adopt_corrected_id(citation, fixed, correction);
    }

    /// Fills in what follows the number (date, issuer, subject) and the span, page, line,
    /// relation and context.
    fn describe(&self, citation: &mut Citation, first: usize, end: usize, next_token: usize) -> Found {
        let start = self.tokens[first].start as usize;
        self.read_tail(citation, next_token);
        if citation.issuer_only_implied() {
            if let Some(issuer) = self.issuer_that_issued(first) {
                citation.issuer = Some(issuer);
            }
        }
        if citation.date.is_none() {
            citation.date = self.passed_date(next_token).or_else(|| self.opening_date(first).filter(|_| !self.listed_before_another(next_token)));
        }
        citation.raw = self.cleaned.original(start, end).to_owned();
        citation.start = start;
        citation.end = end;
        (citation.page, citation.line) = self.cleaned.page_and_line(start);
        let sentence_start = self.sentence_start(first);
        citation.relation = self.relation(first, sentence_start, next_token);
        citation.context = self.context(start, end);
        Found { citation: citation.clone(), sentence_start: self.tokens.get(sentence_start).map_or(0, |t| t.start as usize) }
    }

    /// The organ a sentence names as the one that issued the document whose type phrase
    /// opens at token `first`: "Ban Thường vụ Huyện ủy đã ban hành Kế hoạch số 45-KH/HU" —
    /// the code HU implies only the district committee, the sentence names its standing
    /// board. The organ must end right before "(đã|vừa) ban hành" and be one the authority
    /// tables know; the longest such name is taken.
    fn issuer_that_issued(&self, first: usize) -> Option<String> {
        let hanh = self.prev_word(first)?;
        let ban = self.prev_word(hanh)?;
        if self.word(hanh) != "hanh" || self.word(ban) != "ban" || self.capitalized(ban) {
            return None;
        }
        let mut verb = ban;
        if let Some(p) = self.prev_word(ban).filter(|&p| matches!(self.word(p), "da" | "vua" | "moi")) {
            verb = p;
        }
        let mut candidates = Vec::new();
        let mut p = verb;
        for _ in 0..10 {
            let Some(q) = self.prev_word(p) else { break };
            p = q;
            candidates.push(p);
        }
        candidates.into_iter().rev().find_map(|p| {
            if !self.capitalized(p) {
                return None;
            }
            let (name, next) = self.organ_at(p)?;
            (self.next_word(next.saturating_sub(1)) == Some(verb)).then_some(name)
        })
    }

    /// "Ban Thường vụ Tỉnh ủy đã ban hành Chỉ thị số 15-CT/TU … và Kế hoạch số 48-KH/TU": the
    /// second document of "X đã ban hành A … và B" is X's too. Only where A took X from the
    /// verb ([`Self::issuer_that_issued`]), B's type phrase follows "và" in the same clause
    /// (no full stop, semicolon or new item between), B states no issuer of its own, and
    /// both numbers' codes imply the same organ (`TU` and `TU`): "… ban hành Chỉ thị số
    /// 15-CT/TU về thực hiện Nghị quyết số 01-NQ/TW và Kế hoạch …" leaves B to its code.
    fn issued_with_previous(&self, citation: &Citation, first: usize, previous: &Found) -> Option<String> {
        if !citation.issuer_only_implied() {
            return None;
        }
        let va = self.prev_word(first)?;
        if self.word(va) != "va" || self.capitalized(va) {
            return None;
        }
        let (previous_id, id) = (previous.citation.id.as_ref()?, citation.id.as_ref()?);
        if previous_id.implied_issuer().is_none() || previous_id.implied_issuer() != id.implied_issuer() {
            return None;
        }
        let previous_first = self.tokens.partition_point(|t| (t.start as usize) < previous.citation.start);
        if previous_first >= va || (previous_first..va).any(|i| self.is_clause_boundary(i, true)) {
            return None;
        }
        let issuer = self.issuer_that_issued(previous_first)?;
        (previous.citation.issuer.as_deref() == Some(issuer.as_str())).then_some(issuer)
    }

    /// A joint document's issuers (a "liên tịch" type or an LT code), "của Bộ Y tế và Bộ
    /// Giáo dục và Đào tạo": after the first organ, "và" and another organ the authority
    /// tables know (never words of the next clause: "và hướng dẫn …" ends the issuer).
    /// Only for joint documents: elsewhere "của UBND tỉnh và Sở Nội vụ hướng dẫn …" opens
    /// the next clause with its subject.
    fn joint_issuer(&self, first: String, next: usize) -> (String, usize) {
        let Some(va) = self.next_word(next.saturating_sub(1)).filter(|&v| self.word(v) == "va") else { return (first, next) };
        let Some(second) = self.next_word(va).filter(|&s| self.capitalized(s)) else { return (first, next) };
        match self.organ_at(second) {
            Some((name, after)) => (format!("{first} và {name}"), after),
            None => (first, next),
        }
    }

    /// Date, stated issuer and subject after the number, in any order.
    fn read_tail(&self, citation: &mut Citation, mut at: usize) {
        for _ in 0..4 {
            let Some(w) = self.next_word_over_commas(at) else { return };
            let word = self.word(w);
            if word == "ngay" || dates::is_misread_ngay(word) {
                if let Some(date) = dates::date_at(self.cleaned, self.tokens, w) {
                    citation.date.get_or_insert(date.iso);
                    at = date.next_token;
                    continue;
                }
                return;
            }
            if is_cua(word) {
                match self.issuer_after(w + 1) {
                    Some(IssuerRead::Named(issuer, next)) => {
                        let joint = citation.doc_type.contains("liên tịch") || citation.id.as_ref().is_some_and(|id| id.symbol().contains("LT-"));
                        let (issuer, next) = if joint { self.joint_issuer(issuer, next) } else { (issuer, next) };
                        citation.issuer = Some(issuer);
                        at = next;
                        continue;
                    }
                    // Named, but not legibly: no name is stored (what the code implies
                    // stays), and a person is asked to read it.
                    Some(IssuerRead::Unsure(next)) => {
                        if !citation.review.iter().any(|f| f == "issuer") {
                            citation.review.push("issuer".to_owned());
                        }
                        at = next;
                        continue;
                    }
                    None => return,
                }
            }
            if word == "nam" && citation.date.is_none() {
                // "Luật Đầu tư năm 2020": the year of a law cited by name.
                if let Some(y) = self.next_word(w).and_then(|y| self.word(y).parse::<u16>().ok()).filter(|y| (1945..=2100).contains(y)) {
                    citation.year.get_or_insert(y);
                    at = self.next_word(w).unwrap() + 1;
                    continue;
                }
                return;
            }
            if word == "ve" || self.opens_subject(w) {
                let from = if word == "ve" { self.next_word(w).unwrap_or(w + 1) } else { w };
                citation.subject = self.clause_text(from);
                return;
            }
            return;
        }
    }

    /// "HĐND và UBND" inside a name ("Luật Tổ chức HĐND và UBND"): "và" at `index` between
    /// two organ acronyms joins them; before a capitalized word it would end the name.
    fn joins_acronyms(&self, index: usize) -> bool {
        let acronym = |i: usize| {
            let printed = self.original(i);
            printed.chars().count() >= 2 && printed.chars().all(|c| c.is_uppercase()) && self.type_phrase_starting_at(i).is_none()
        };
        self.prev_word(index).is_some_and(acronym) && self.next_word(index).is_some_and(acronym)
    }

    /// "Ngày 22/11/2023, Thủ tướng Chính phủ phê duyệt … tại Quyết định số 1456/QĐ-TTg":
    /// a clause that opens with a date and names one document dates that document. Any
    /// other number between the date and this one makes the date nobody's.
    fn opening_date(&self, first: usize) -> Option<String> {
        let mut start = first;
        let limit = first.saturating_sub(MAX_OPENING_DATE_LOOKBACK);
        while start > limit && !self.is_clause_boundary(start - 1, true) {
            start -= 1;
        }
        if start == limit && start > 0 {
            return None;
        }
        let opening = dates::next_word(self.tokens, start, 2)?;
        if self.word(opening) != "ngay" || !self.capitalized(opening) {
            return None;
        }
        let date = dates::date_at(self.cleaned, self.tokens, opening)?;
        let mut index = date.next_token;
        while self.tokens.get(index).is_some_and(|t| t.kind == Kind::Space) {
            index += 1;
        }
        if !self.tokens.get(index).is_some_and(|t| t.is_punct(',')) {
            return None;
        }
        let another = (index..first).any(|i| self.tokens[i].is_word() && (self.word(i) == "ngay" || docid::parse_at(self.cleaned, self.tokens, i).is_some()));
        (!another).then_some(date.iso)
    }

    /// "Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW, ngày 25/10/2017": true when the
    /// number ending before token `at` is followed by another in a list (a comma or "và",
    /// the type phrase and "số" again at most); the date after the list is theirs, not the
    /// date a clause opens with.
    fn listed_before_another(&self, at: usize) -> bool {
        let Some(mut w) = self.next_word_over_commas(at) else { return false };
        let mut joined = self.tokens[at..w].iter().any(|t| t.is_punct(','));
        if self.word(w) == "va" {
            let Some(n) = self.next_word(w) else { return false };
            (w, joined) = (n, true);
        }
        if let Some((_, last)) = self.type_phrase_starting_at(w) {
            let Some(n) = self.next_word(last) else { return false };
            w = n;
        }
        if vocab::is_number_marker(self.word(w)) {
            let Some(n) = self.next_word(w) else { return false };
            w = n;
        }
        joined && self.starts_number(w) && docid::parse_at(self.cleaned, self.tokens, w).is_some()
    }

    fn next_word_over_commas(&self, at: usize) -> Option<usize> {
        let mut index = at;
        let mut skipped = 0;
        while let Some(t) = self.tokens.get(index) {
            if t.is_word() {
                return Some(index);
            }
            // "số 60/CP. ngày 05/7/1994": a stray full stop before a lower-case "ngày" ends
            // no sentence.
            let stray_stop = t.is_punct('.') && self.next_word(index).is_some_and(|n| self.word(n) == "ngay" && !self.capitalized(n));
            if !(t.is_blank() || t.is_punct(',') || t.is_punct('(') || t.is_punct(')') || stray_stop) || skipped > 4 {
                return None;
            }
            index += 1;
            skipped += 1;
        }
        None
    }

    /// "quy định …", "hướng dẫn …", "ban hành …" right after a citation describe its subject.
    fn opens_subject(&self, w: usize) -> bool {
        let Some(second) = self.next_word(w) else { return false };
        matches!((self.word(w), self.word(second)), ("quy", "dinh") | ("huong", "dan") | ("ban", "hanh"))
            && !self.capitalized(w)
    }

    /// The issuer after "của": capitalized words (with lower-case words inside, as in "Ban
    /// Chấp hành Trung ương Đảng") and a parenthesis "(khóa XI)", up to the subject.
    fn issuer_after(&self, at: usize) -> Option<IssuerRead> {
        let first = self.next_word(at.saturating_sub(1))?;
        if !self.capitalized(first) {
            return None;
        }
        if let Some(found) = self.organ_reading(first) {
            return Some(found);
        }
        let mut last = first;
        let mut index = first + 1;
        let mut words = 1;
        let mut in_parens = false;
        while let Some(t) = self.tokens.get(index) {
            match t.kind {
                Kind::Space => {}
                Kind::Newline if !in_parens && self.line_break_ends_name(index) => break,
                Kind::Newline => {}
                Kind::Punct('(') if !in_parens => in_parens = true,
                Kind::Punct(')') if in_parens => {
                    in_parens = false;
                    last = index;
                }
                Kind::Word => {
                    let w = self.word(index);
                    if !in_parens && ((is_issuer_stop(w) && !self.capitalized(index)) || (w == "ban" && self.is_word(self.next_word(index).unwrap_or(0), "hanh") && !self.capitalized(index))) {
                        break;
                    }
                    if !in_parens && (w == "quy" || w == "huong") && !self.capitalized(index) {
                        break;
                    }
                    // A heading in capitals ("CHỦ TỊCH ỦY BAN …") after an issuer in mixed case.
                    if !in_parens && self.is_heading_word(index) && self.original(first).chars().any(char::is_lowercase) {
                        break;
                    }
                    last = index;
                    words += 1;
                    if words > 14 {
                        break;
                    }
                }
                Kind::Punct('-') => {}
                _ => break,
            }
            index += 1;
        }
        let text = squash(self.cleaned.original(self.tokens[first].start as usize, self.tokens[last].end as usize));
        // Words no table names and that are not Vietnamese ("Ủy ban nh", "Thu tuéng Chinh
        // pht"): OCR's fragments of a name, not a name to store.
        let (valid, total) = subject::syllable_share(&text);
        if valid < total {
            return Some(IssuerRead::Unsure(last + 1));
        }
        Some(IssuerRead::Named(text, last + 1))
    }

    /// An organ of the authority tables named from word `first`: its canonical name (with a
    /// "(khóa XI)" after it kept as printed), ending where the organ's name ends, so that the
    /// words of the next clause are not taken in ("Thủ tướng Chính phủ phê duyệt …").
    fn organ_at(&self, first: usize) -> Option<(String, usize)> {
        match self.organ_reading(first)? {
            IssuerRead::Named(name, next) => Some((name, next)),
            IssuerRead::Unsure(_) => None,
        }
    }

    /// [`Self::organ_at`], or [`IssuerRead::Unsure`] when the words name an organ OCR
    /// damaged and two organs of the tables are as near (see
    /// [`Authority::normalize_damaged_issuer`]): a damaged name is read as the one organ it
    /// is nearest to, further than its printed words alone would read.
    fn organ_reading(&self, first: usize) -> Option<IssuerRead> {
        let start = self.tokens[first].start as usize;
        let limit = (start + MAX_ORGAN_CHARS).min(self.cleaned.len());
        // Up to the end of the line after next at most: a name is not split over more.
        let text = self.cleaned.original(start, limit);
        let organ = match self.authority.normalize_damaged_issuer(text) {
            Some(Damaged::Organ(organ, _)) => organ,
            Some(Damaged::Unsure(consumed)) => return Some(IssuerRead::Unsure(self.last_word_within(first, start, &text[..consumed]) + 1)),
            None => self.authority.normalize_issuer(text)?,
        };
        let mut last = self.last_word_within(first, start, &text[..organ.consumed]);
        let mut name = organ.name;
        // "(khóa XI)", "khóa XVI": the term, as printed.
        if let Some((term, term_last)) = self.term_after(last) {
            name.push(' ');
            name.push_str(&term);
            last = term_last;
        }
        Some(IssuerRead::Named(name, last + 1))
    }

    /// The last word token from `first` (at char `start`) inside `name`, its text.
    fn last_word_within(&self, first: usize, start: usize, name: &str) -> usize {
        let end_char = start + name.chars().count();
        let mut last = first;
        let mut index = first;
        while let Some(t) = self.tokens.get(index) {
            if t.end as usize > end_char {
                break;
            }
            if t.is_word() {
                last = index;
            }
            index += 1;
        }
        last
    }

    /// "(khóa XI)" or "khóa XVI" right after token `last`: the text and its last token.
    fn term_after(&self, last: usize) -> Option<(String, usize)> {
        let mut index = last + 1;
        while self.tokens.get(index).is_some_and(|t| t.is_blank()) {
            index += 1;
        }
        let open = self.tokens.get(index)?.is_punct('(');
        let word = if open { self.next_word(index)? } else { index };
        if !self.tokens.get(word)?.is_word() || !matches!(self.word(word), "khoa") {
            return None;
        }
        let roman = self.next_word(word)?;
        if !self.original(roman).chars().all(|c| "IVXLC".contains(c) || c.is_ascii_digit()) {
            return None;
        }
        let mut end = roman;
        if open {
            let close = roman + 1;
            if !self.tokens.get(close)?.is_punct(')') {
                return None;
            }
            end = close;
        }
        let from = if open { index } else { word };
        Some((squash(self.cleaned.original(self.tokens[from].start as usize, self.tokens[end].end as usize)), end))
    }

    /// Whether the line break at token `index` ends an issuer or name: a blank line, a
    /// heading in capitals, or a line that opens a new clause ("Căn cứ", "Thực hiện", "Theo", "Xét").
    fn line_break_ends_name(&self, index: usize) -> bool {
        let mut next = index + 1;
        while self.tokens.get(next).is_some_and(|n| n.kind == Kind::Space) {
            next += 1;
        }
        let Some(t) = self.tokens.get(next) else { return true };
        if t.kind != Kind::Word {
            return true;
        }
        if self.is_heading_word(next) {
            return true;
        }
        let second = self.next_word(next).map(|n| self.word(n)).unwrap_or("");
        self.capitalized(next)
            && matches!((self.word(next), second), ("can", "cu") | ("thuc", "hien") | ("theo", _) | ("xet", _) | ("trien", "khai"))
    }

    /// A word printed in capitals (two letters or more) that is not a Roman numeral
    /// ("khóa XII") nor an abbreviation glued into a name ("UBND tỉnh").
    fn is_heading_word(&self, index: usize) -> bool {
        let printed = self.original(index);
        let letters = printed.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 2
            && !printed.chars().any(char::is_lowercase)
            && !printed.chars().all(|c| "IVXLC".contains(c))
            && !matches!(self.word(index), "ubnd" | "hdnd" | "mttq" | "tw")
    }

    /// Text from token `from` to the end of its clause, quotes trimmed, at most
    /// [`MAX_SUBJECT_CHARS`].
    fn clause_text(&self, from: usize) -> Option<String> {
        let start = self.tokens.get(from)?.start as usize;
        let end_token = self.subject_end(from, self.clause_end(from));
        let end = self.tokens[end_token.saturating_sub(1).max(from)].end as usize;
        let text = squash(self.cleaned.original(start, end));
        let text = text.trim_matches(|c: char| c.is_whitespace() || "\"“”'‘’,.;:".contains(c));
        if text.is_empty() {
            return None;
        }
        Some(truncate_chars(text, MAX_SUBJECT_CHARS))
    }

    /// Where a subject stops inside its clause: before ", <Capitalized word>" (a new clause
    /// with its own subject: "…, Ủy ban nhân dân tỉnh ban hành …"), "như sau", "đến <number>"
    /// (the object of the main verb) or a line break that opens a heading or a new clause.
    fn subject_end(&self, from: usize, clause_end: usize) -> usize {
        let mut in_quotes = false;
        for index in from..clause_end {
            let t = &self.tokens[index];
            match t.kind {
                Kind::Punct('"' | '“' | '”') => in_quotes = !in_quotes,
                Kind::Punct(',') if !in_quotes => {
                    if self.next_word(index).is_some_and(|n| n < clause_end && self.capitalized(n)) {
                        return index;
                    }
                    // "…, cụ thể:", "…, cụ thể như sau": what follows is the detail, not the subject.
                    if self.next_word(index).is_some_and(|n| self.word(n) == "cu" && self.next_word(n).is_some_and(|t| self.word(t) == "the")) {
                        return index;
                    }
                }
                Kind::Newline if index > from && self.line_break_ends_name(index) => return index,
                Kind::Word if index > from && !in_quotes && !self.capitalized(index) => {
                    let next = self.next_word(index);
                    let second = next.map(|n| self.word(n)).unwrap_or("");
                    let number_follows = next.is_some_and(|n| self.word(n).starts_with(|c: char| c.is_ascii_digit()));
                    if (self.word(index) == "nhu" && second == "sau") || (self.word(index) == "den" && number_follows) {
                        return index;
                    }
                }
                _ => {}
            }
        }
        clause_end
    }

    /// Index of the token that ends the clause containing token `from` (';', a full stop,
    /// a blank line, a new bullet line), or the end of the text.
    fn clause_end(&self, from: usize) -> usize {
        let mut index = from;
        while index < self.tokens.len() {
            if self.is_clause_boundary(index, true) {
                return index;
            }
            index += 1;
            if self.tokens[index - 1].end as usize - self.tokens[from].start as usize > MAX_SUBJECT_CHARS * 2 {
                return index;
            }
        }
        index
    }

    /// True when token `index` ends a clause (with `semicolons`) or a sentence.
    fn is_clause_boundary(&self, index: usize, semicolons: bool) -> bool {
        let t = &self.tokens[index];
        match t.kind {
            Kind::Punct(';') => semicolons,
            Kind::Punct('.') => {
                // Not a decimal point or an abbreviation inside a word.
                !self.tokens.get(index + 1).is_some_and(|n| n.is_word())
            }
            Kind::PageBreak => false,
            Kind::Newline => {
                // A blank line, or a line that opens a new item ("- ", "+ ", "a)", "2.").
                let mut next = index + 1;
                while self.tokens.get(next).is_some_and(|n| n.kind == Kind::Space) {
                    next += 1;
                }
                match self.tokens.get(next).map(|n| n.kind) {
                    None | Some(Kind::Newline) | Some(Kind::PageBreak) => true,
                    Some(Kind::Punct('-')) | Some(Kind::Punct('+')) | Some(Kind::Punct('*')) => true,
                    Some(Kind::Word) => {
                        let w = self.word(next);
                        let item = (w.len() <= 2 || w.chars().all(|c| c.is_ascii_digit()) || matches!(w, "ii" | "iii" | "iv" | "vi" | "vii"))
                            && self.tokens.get(next + 1).is_some_and(|n| n.is_punct('.') || n.is_punct(')'));
                        item || self.is_word(next, "can") && self.is_word(self.next_word(next).unwrap_or(0), "cu")
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Token index where the sentence containing token `first` starts.
    fn sentence_start(&self, first: usize) -> usize {
        let mut index = first;
        let limit = first.saturating_sub(MAX_RELATION_LOOKBACK);
        while index > limit {
            if self.is_clause_boundary(index - 1, false) {
                return index;
            }
            index -= 1;
        }
        index
    }

    /// The relation named by the nearest keyword before the citation in its sentence
    /// ("Căn cứ", "thực hiện", "thay thế", "sửa đổi, bổ sung", "bãi bỏ"); passive forms
    /// ("đã được sửa đổi bởi") describe another document and are skipped. "… hết hiệu lực"
    /// after the citation in its clause means it is repealed.
    fn relation(&self, first: usize, sentence_start: usize, next_token: usize) -> Relation {
        let mut index = first;
        while index > sentence_start {
            index -= 1;
            if !self.tokens[index].is_word() {
                continue;
            }
            let Some(before) = self.prev_word(index) else { continue };
            // Keywords as printed or as OCR reads them (the learned channel's readings).
            let relation = match (ocr_words::keyword(self.word(before)), ocr_words::keyword(self.word(index))) {
                ("can", "cu") => Relation::CanCu,
                ("thuc", "hien") | ("trien", "khai") | ("quan", "triet") => Relation::ThucHien,
                ("thay", "the") => Relation::ThayThe,
                ("sua", "doi") | ("bo", "sung") => Relation::SuaDoi,
                ("bai", "bo") => Relation::BaiBo,
                _ => continue,
            };
            if self.is_passive(before) {
                continue;
            }
            // "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15": the
            // words are the amending law's title, not what this document does to Luật 31.
            if relation == Relation::SuaDoi && self.follows_a_type_word(before) {
                continue;
            }
            // "thực hiện theo quy định tại Điều 5 Nghị định …" applies a rule; it does not
            // implement the document.
            if relation == Relation::ThucHien && self.is_followed_by_theo(index) {
                continue;
            }
            return relation;
        }
        let end = self.clause_end(next_token.min(self.tokens.len().saturating_sub(1)));
        let mut index = next_token;
        while index + 2 < end {
            if self.is_word(index, "het") {
                if let Some(h) = self.next_word(index) {
                    if self.word(h) == "hieu" && self.next_word(h).is_some_and(|l| self.word(l) == "luc") {
                        return Relation::BaiBo;
                    }
                }
            }
            index += 1;
        }
        Relation::Mention
    }

    /// "Luật sửa đổi", "Nghị định sửa đổi", "Thông tư sửa đổi" (and "… sửa đổi, bổ sung"):
    /// the keyword at `w` is part of a document's title. "Thông tư này sửa đổi" is not.
    fn follows_a_type_word(&self, w: usize) -> bool {
        let mut at = w;
        // "sửa đổi, bổ sung": from "bổ" go back over "sửa đổi," to the word before it.
        if self.word(at) == "bo" {
            match self.prev_word_or_comma_any(at) {
                Some(d) if self.word(d) == "doi" => match self.prev_word(d) {
                    Some(s) if self.word(s) == "sua" => at = s,
                    _ => return false,
                },
                _ => return false,
            }
        }
        self.prev_word(at).is_some_and(|p| matches!(self.word(p), "luat" | "dinh" | "tu" | "quyet" | "lenh"))
    }

    /// "thực hiện theo …", "thực hiện đúng …", "thực hiện tại …".
    fn is_followed_by_theo(&self, w: usize) -> bool {
        let mut at = w;
        for _ in 0..2 {
            let Some(n) = self.next_word(at) else { return false };
            if matches!(self.word(n), "theo" | "dung" | "tai") {
                return true;
            }
            at = n;
        }
        false
    }

    /// "được sửa đổi", "bị bãi bỏ", "đã được sửa đổi, bổ sung": the keyword at `w` is passive.
    fn is_passive(&self, w: usize) -> bool {
        let mut at = w;
        for _ in 0..3 {
            let Some(p) = self.prev_word_or_comma_any(at) else { return false };
            if matches!(self.word(p), "duoc" | "bi") {
                return true;
            }
            at = p;
        }
        false
    }

    fn prev_word_or_comma_any(&self, i: usize) -> Option<usize> {
        let mut index = i.checked_sub(1)?;
        for _ in 0..4 {
            if self.tokens[index].is_word() {
                return Some(index);
            }
            if !(self.tokens[index].is_blank() || self.tokens[index].is_punct(',')) {
                return None;
            }
            index = index.checked_sub(1)?;
        }
        None
    }

    /// The clause around chars `start..end`, whitespace squashed, at most
    /// [`MAX_CONTEXT_CHARS`] (a window around the citation when longer).
    fn context(&self, start: usize, end: usize) -> String {
        let first = self.tokens.partition_point(|t| (t.end as usize) <= start);
        let last = self.tokens.partition_point(|t| (t.start as usize) < end);
        let mut from = first;
        let limit = first.saturating_sub(MAX_RELATION_LOOKBACK);
        while from > limit && !self.is_clause_boundary(from - 1, true) {
            from -= 1;
        }
        let to = self.clause_end(last.min(self.tokens.len().saturating_sub(1)));
        let from_char = self.tokens.get(from).map_or(start, |t| t.start as usize);
        let to_char = self.tokens.get(to).map_or(self.cleaned.len(), |t| t.end as usize).max(end);
        let from_char = from_char.max(start.saturating_sub(MAX_CONTEXT_CHARS / 2));
        let to_char = to_char.min(end + MAX_CONTEXT_CHARS / 2).min(self.cleaned.len());
        squash(self.cleaned.original(from_char, to_char)).trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace()).to_owned()
    }

    /// At word `i`: a law cited by name only ("Luật Tổ chức chính quyền địa phương ngày 19
    /// tháng 6 năm 2015"), or a short form ("Chỉ thị 35"). Returns the token to go on from.
    fn named_or_short(&self, i: usize, found: &mut Vec<Found>, shorts: &mut Vec<ShortForm>) -> Option<usize> {
        if !self.capitalized(i) {
            return None;
        }
        let (doc_type, phrase_end) = self.type_phrase_starting_at(i)?;
        let after = self.next_word(phrase_end)?;
        // Skip the "số" marker.
        let number_at = if vocab::is_number_marker(self.word(after)) {
            let mut n = after + 1;
            while self.tokens.get(n).is_some_and(|t| t.is_blank() || t.is_punct(':')) {
                n += 1;
            }
            n
        } else {
            after
        };
        if self.tokens.get(number_at).is_some_and(|t| t.is_word()) && self.starts_number(number_at) {
            if docid::parse_at(self.cleaned, self.tokens, number_at).is_some() {
                return Some(number_at);
            }
            let number = docid::number_digits(self.word(number_at))?;
            let glued = self.tokens.get(number_at + 1).is_some_and(|t| t.is_punct('/') || t.is_punct('-'));
            if glued && number_at > after {
                return self.old_style_number(i, doc_type, &number, number_at, found);
            }
            if glued || (number.len() == 4 && number.starts_with(['1', '2'])) {
                return None;
            }
            let mut occurrence = Citation { doc_type: doc_type.to_owned(), number: Some(number.clone()), ..Citation::default() };
            let end = self.tokens[number_at].end as usize;
            let found_here = self.describe(&mut occurrence, i, end, number_at + 1);
            shorts.push(ShortForm {
                doc_type,
                number: number.trim_start_matches('0').to_owned(),
                occurrence: found_here.citation,
                sentence_start: found_here.sentence_start,
            });
            return Some(number_at + 1);
        }
        if !vocab::NAMED_TYPES.contains(&doc_type) {
            return None;
        }
        self.named_law(i, doc_type, after, found)
    }

    /// "Công văn số 158/UB ngày 09/4/2021": an older number of one organ code and no type
    /// code, which the grammar alone does not take for a number (a lone "4/KH" is often
    /// something else). Taken where the sentence vouches for it: a type phrase, "số", the
    /// number, an organ code the tables have, then at once "ngày" and a date.
    fn old_style_number(&self, i: usize, doc_type: &'static str, number: &str, number_at: usize, found: &mut Vec<Found>) -> Option<usize> {
        let code_at = number_at + 2;
        if !self.tokens.get(number_at + 1)?.is_punct('/') || !self.tokens.get(code_at)?.is_word() {
            return None;
        }
        // A further '/' or '-' makes it another shape, which the grammar has judged already.
        if self.tokens.get(code_at + 1).is_some_and(|t| matches!(t.kind, Kind::Punct('/' | '-' | '⁄'))) {
            return None;
        }
        let code = self.original(code_at);
        if !code.starts_with(char::is_uppercase) || code.chars().count() > 6 || !code.chars().all(char::is_alphabetic) {
            return None;
        }
        let upper = code.to_uppercase();
        let (spelling, _) = vocab::issuer(&crate::authority::fold_code(&upper))?;
        let date_word = self.next_word_over_commas(code_at + 1).filter(|&w| self.word(w) == "ngay")?;
        dates::date_at(self.cleaned, self.tokens, date_word)?;
        let id = DocId::from_canonical(&format!("{number}/{spelling}"))?;
        let mut citation = Citation {
            doc_type: doc_type.to_owned(),
            number: Some(id.number().to_owned()),
            symbol: Some(id.symbol().to_owned()),
            ..Citation::default()
        };
        citation.id = Some(id);
        let end = self.tokens[code_at].end as usize;
        found.push(self.describe(&mut citation, i, end, code_at + 1));
        Some(code_at + 1)
    }

    /// A law by name: the type word(s) at `i`, the name from word `name_at`.
    fn named_law(&self, i: usize, doc_type: &'static str, name_at: usize, found: &mut Vec<Found>) -> Option<usize> {
        // "LUẬT ĐẦU TƯ CÔNG" in capitals is a title, not a citation.
        if !self.original(i).chars().any(char::is_lowercase) {
            return None;
        }
        // The Constitution is cited as "Hiến pháp nước Cộng hòa …" or "Hiến pháp năm 2013";
        // "Hiến pháp và pháp luật" names no document.
        let constitution = doc_type == "Hiến pháp" && matches!(self.word(name_at), "nuoc" | "nam");
        if doc_type == "Luật" && self.amends(name_at) {
            return self.amending_law(i, name_at, found);
        }
        // "Căn cứ Luật đất đai của Chủ tịch nước công bố ngày …": older and hastier documents
        // print a law's name in lower case; it is a citation only where a citation's words
        // stand around it (a relation before, or a date, number or issuer after).
        let lower_case_name = !constitution && !self.capitalized(name_at);
        if lower_case_name && (is_name_stop(self.original(name_at), true) || !self.is_letters(name_at)) {
            return None;
        }
        let mut last = name_at;
        let mut index = name_at;
        let mut words = 0;
        // Whether the name is printed with diacritics: then "thiên tai" is not "tại".
        let mut accented = !self.original(i).is_ascii();
        while words < MAX_NAME_WORDS {
            let t = &self.tokens[index];
            match t.kind {
                Kind::Word => {
                    let w = self.word(index);
                    let printed = self.original(index);
                    accented |= !printed.is_ascii();
                    let stop = !self.capitalized(index) && is_name_stop(printed, accented);
                    let number_like = w.starts_with(|c: char| c.is_ascii_digit()) && !digit_for_letter(printed);
                    if index != name_at && (stop || vocab::is_number_marker(w) || number_like) {
                        break;
                    }
                    let next_is = |want: &str| self.next_word(index).is_some_and(|n| self.word(n) == want);
                    if index != name_at
                        && ((w == "va" && self.next_word(index).is_some_and(|n| self.capitalized(n)) && !self.joins_acronyms(index))
                            || (w == "quy" && next_is("dinh"))
                            || (w == "huong" && next_is("dan"))
                            || (w == "ban" && next_is("hanh") && !self.capitalized(index)))
                    {
                        break;
                    }
                    // "năm 2013" after "Hiến pháp" is its year, read by the tail.
                    if constitution && index == name_at && w == "nam" {
                        break;
                    }
                    if !matches!(w, "va" | "hoac") {
                        last = index;
                    }
                    words += 1;
                }
                Kind::Space | Kind::Newline => {}
                Kind::Punct(',') | Kind::Punct('-') => {
                    // A comma inside a name is followed by a lower-case word ("Phòng, chống").
                    if self.next_word(index).is_none_or(|n| self.capitalized(n)) {
                        break;
                    }
                }
                // A speck OCR read inside the name ("Luật Tổ chức chính quyền ‹ địa phương")
                // is passed over when the name goes on in lower case.
                Kind::Punct(c) if is_speck(c) && self.next_word(index).is_some_and(|n| !self.capitalized(n) && self.is_letters(n)) => {}
                _ => break,
            }
            index += 1;
            if index >= self.tokens.len() {
                break;
            }
        }
        // "Luật Đầu tư công số 58/2024/QH15": the number branch reads it.
        let mut probe = last + 1;
        while self.tokens.get(probe).is_some_and(|t| t.is_blank() || t.is_punct(':')) {
            probe += 1;
        }
        // "Luat Nha 6 s6 27/2023/QH15": the name's last syllable (ở, ó) read as a lone digit
        // before "số"; the number branch reads the name with it.
        if self.tokens.get(probe).is_some_and(|t| t.is_word()) && self.word(probe).len() == 1 && self.word(probe).starts_with(|c: char| c.is_ascii_digit()) {
            if let Some(marker) = self.next_word(probe).filter(|&m| vocab::is_number_marker(self.word(m))) {
                probe = marker;
            }
        }
        if self.tokens.get(probe).is_some_and(|t| t.is_word()) {
            let marker_skipped = if vocab::is_number_marker(self.word(probe)) { self.next_word(probe).unwrap_or(probe) } else { probe };
            if docid::parse_at(self.cleaned, self.tokens, marker_skipped).is_some() {
                return Some(marker_skipped);
            }
        }
        if constitution && self.word(name_at) == "nam" {
            last = self.prev_word(name_at).unwrap_or(i);
        }
        let end = self.tokens[last].end as usize;
        let mut name = without_specks(self.cleaned.original(self.tokens[i].start as usize, end));
        if lower_case_name {
            // "thi hành Luật thống nhất": after a relation word "Luật" may be the law just
            // spoken of and the words after it no name. A lower-case name is a citation when
            // a citation's tail follows it, or when it is the name of a law the tables know.
            let (keyword_before, tail_after) = self.cited_around(i, last);
            if !(tail_after || keyword_before && self.authority.law_name(&capitalize_name(&name, self.original(name_at))).is_some()) {
                return None;
            }
            name = capitalize_name(&name, self.original(name_at));
        }
        let (name, correction) = self.law_reading(&name);
        let mut citation = Citation { doc_type: doc_type.to_owned(), name: Some(name), correction, ..Citation::default() };
        if doc_type.starts_with("Luật") || doc_type == "Bộ luật" {
            citation.issuer = Some("Quốc hội".to_owned());
        }
        // "Luật Đầu tư 2024": the year names the version.
        let mut next = last + 1;
        if let Some(y) = self.next_word(last).filter(|&y| self.word(y).len() == 4) {
            if let Ok(year @ 1945..=2100) = self.word(y).parse::<u16>() {
                citation.year = Some(year);
                next = y + 1;
            }
        }
        found.push(self.describe(&mut citation, i, end, next));
        Some(next)
    }

    /// Whether the name from word `i` is that of an amending law: "sửa đổi, bổ sung …", also
    /// when OCR damaged "đổi" ("Luật sửa\nđi, bổ sung một số điều của …").
    /// Legacy OCR's readings of the words count too ("Luat sia déi, bé sung").
    fn amends(&self, i: usize) -> bool {
        if !self.reads(i, "sua") {
            return false;
        }
        let Some(second) = self.next_word(i) else { return false };
        if self.reads(second, "doi") {
            return true;
        }
        let short = self.word(second).chars().count() <= 3 && self.is_letters(second) && !self.capitalized(second);
        let then = self.next_word_over_commas(second + 1);
        short && then.is_some_and(|b| self.reads(b, "bo") && self.next_word(b).is_some_and(|s| self.reads(s, "sung")))
    }

    /// Whether word `i` is the keyword `folded` or a likely OCR reading of it ([`ocr_words`]).
    fn reads(&self, i: usize, folded: &str) -> bool {
        self.tokens.get(i).is_some_and(|t| t.is_word()) && super::ocr_words::reads_as(self.word(i), folded)
    }

    /// Whether word `i` is made of letters only (no digit, no stray mark): a name's word.
    fn is_letters(&self, i: usize) -> bool {
        self.original(i).chars().all(char::is_alphabetic)
    }

    /// Whether a law named from word `i` to word `last` is cited rather than spoken of: a
    /// relation keyword right before it ("Căn cứ", "thực hiện", "theo", "thi hành"), or
    /// what a citation carries right after it ("ngày …", "năm 2013", "số …", "của …", "được").
    /// Returns (keyword before, tail after).
    fn cited_around(&self, i: usize, last: usize) -> (bool, bool) {
        let before = self.prev_word(i).map(|b| ocr_words::keyword(self.word(b)));
        let before2 = self.prev_word(i).and_then(|b| self.prev_word(b)).map(|b| ocr_words::keyword(self.word(b)));
        let keyword_before = matches!((before2, before), (Some("can"), Some("cu")) | (Some("thuc"), Some("hien")) | (Some("thi"), Some("hanh")) | (_, Some("theo")));
        let after = self.next_word_over_commas(last + 1).map(|a| self.word(a));
        let tail_after = after.is_some_and(|w| matches!(w, "ngay" | "so" | "duoc" | "da") || is_cua(w))
            || (after == Some("nam") && self.next_word_over_commas(last + 1).and_then(|a| self.next_word(a)).is_some_and(|y| self.word(y).len() == 4 && self.word(y).parse::<u16>().is_ok()));
        (keyword_before, tail_after)
    }

    /// "… đã được Quốc hội khóa XIV thông qua ngày 17/6/2020", "… của Chủ tịch nước công bố
    /// ngày 24/7/1993": the date a document was passed, published or signed, said further on
    /// in its clause. Another number or another date on the way makes it nobody's.
    fn passed_date(&self, from: usize) -> Option<String> {
        let last_token = self.tokens.len().checked_sub(1)?;
        let end = self.clause_end(from.min(last_token));
        let mut index = from;
        let mut words = 0;
        while index < end && words < MAX_PASSED_DATE_WORDS {
            if !self.tokens[index].is_word() {
                index += 1;
                continue;
            }
            words += 1;
            let w = self.word(index);
            if w == "ngay" || (self.starts_number(index) && docid::parse_at(self.cleaned, self.tokens, index).is_some()) {
                return None;
            }
            let next = self.next_word(index);
            let verb_end = match (w, next.map(|n| self.word(n))) {
                ("thong", Some("qua")) | ("cong", Some("bo")) | ("ban", Some("hanh")) => next,
                // "Biên bản … số 09/BB-VPHC do ông …, Cán bộ …, Công an tỉnh … lập ngày …".
                ("ky", _) | ("lap", _) => Some(index),
                _ => None,
            };
            if let Some(mut at) = verb_end.and_then(|v| self.next_word(v)) {
                if self.word(at) == "vao" {
                    at = self.next_word(at)?;
                }
                if self.word(at) == "ngay" {
                    return dates::date_at(self.cleaned, self.tokens, at).map(|d| d.iso);
                }
            }
            index += 1;
        }
        None
    }

    /// "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B": one law, the amending one,
    /// whose name holds the laws it amends; its name runs to the date, number, or clause end.
    fn amending_law(&self, i: usize, name_at: usize, found: &mut Vec<Found>) -> Option<usize> {
        let mut last = name_at;
        let mut index = name_at;
        // The laws it amends named with their numbers ("… của Luật Đất đai số 31/2024/QH15,
        // Luật Nhà ở số 27/2023/QH15 … và Luật Các tổ chức tín dụng số 32/2024/QH15"): their
        // names and numbers, which are part of the amending law's name.
        let mut amended: Vec<(String, DocId)> = Vec::new();
        let mut first_amended = None;
        while let Some(t) = self.tokens.get(index) {
            match t.kind {
                Kind::Word => {
                    let w = self.word(index);
                    // "ngày 22 tháng 11", "số 47/2019/QH14" — but not "một số điều".
                    let number_follows = self.next_word(index).is_some_and(|n| self.starts_number(n));
                    if !self.capitalized(index) && number_follows && (matches!(w, "ngay" | "nam") || vocab::is_number_marker(w)) {
                        if let Some((name, id, next)) = self.amended_law_number(index, !amended.is_empty()) {
                            first_amended.get_or_insert(index);
                            amended.push((name, id));
                            last = next - 1;
                            index = next;
                            if self.next_word_over_commas(next).is_some_and(|n| self.is_word(n, "luat") || self.is_word(n, "va")) {
                                continue;
                            }
                        }
                        break;
                    }
                    if w.starts_with(|c: char| c.is_ascii_digit()) || index - name_at > MAX_NAME_WORDS * 6 {
                        break;
                    }
                    last = index;
                }
                Kind::Space | Kind::Punct(',') => {}
                // "cht’c" (chức): legacy OCR's apostrophe for a horn or a mark, inside a word.
                Kind::Punct('\'') if index > 0 && self.tokens[index - 1].is_word() && self.tokens.get(index + 1).is_some_and(|n| n.is_word() && n.start == t.end) => {}
                Kind::Newline if !self.line_break_ends_name(index) => {}
                _ => break,
            }
            index += 1;
        }
        let end = self.tokens[last].end as usize;
        let mut name = squash(self.cleaned.original(self.tokens[i].start as usize, end));
        // "Luật sửa đi, bổ sung": the damaged "đổi" ([`Self::amends`]) written as it reads.
        if let Some(second) = self.next_word(name_at).filter(|&n| !self.is_word(n, "doi")) {
            let from = self.tokens[i].start as usize;
            let head = squash(self.cleaned.original(from, self.tokens[name_at].end as usize));
            let tail = squash(self.cleaned.original(self.tokens[second].end as usize, end));
            name = format!("{head} đổi{tail}");
        }
        if !amended.is_empty() {
            // Written in full, as the law's title reads: the OCR of the numbers inside does
            // not belong in a name.
            let laws: Vec<String> = amended.iter().map(|(law, id)| format!("{law} số {id}")).collect();
            let (tail, head) = laws.split_last().expect("one at least");
            let list = if head.is_empty() { tail.clone() } else { format!("{} và {tail}", head.join(", ")) };
            let name = format!("{AMENDING_PREFIX} {list}");
            let mut citation =
                Citation { doc_type: "Luật".to_owned(), name: Some(name), issuer: Some("Quốc hội".to_owned()), ..Citation::default() };
            found.push(self.describe(&mut citation, i, end, last + 1));
            // The amended laws are cited too: read them again as numbers.
            return first_amended.map(|f| self.prev_word(f).unwrap_or(f));
        }
        let mut probe = last + 1;
        while self.tokens.get(probe).is_some_and(|t| t.is_blank() || t.is_punct(':')) {
            probe += 1;
        }
        if self.tokens.get(probe).is_some_and(|t| t.is_word()) {
            let marker_skipped = if vocab::is_number_marker(self.word(probe)) { self.next_word(probe).unwrap_or(probe) } else { probe };
            if docid::parse_at(self.cleaned, self.tokens, marker_skipped).is_some() {
                return Some(marker_skipped);
            }
        }
        let (name, mut correction) = match self.authority.read_law_name(&name) {
            Some(_) => self.law_reading(&name),
            None => self.amended_names(&name),
        };
        // The printed form is the name as printed, before "đổi" was put back.
        if let Some(k) = correction.as_mut() {
            let printed = squash(self.cleaned.original(self.tokens[i].start as usize, end));
            for candidate in k.candidates.iter_mut().filter(|c| **c == k.printed) {
                candidate.clone_from(&printed);
            }
            k.printed = printed;
        }
        let mut citation =
            Citation { doc_type: "Luật".to_owned(), name: Some(name), issuer: Some("Quốc hội".to_owned()), correction, ..Citation::default() };
        found.push(self.describe(&mut citation, i, end, last + 1));
        Some(last + 1)
    }

    /// At the marker `at` ("số") inside an amending law's name: the amended law's name and
    /// number, and the token after the number, when another law follows it (or, with
    /// `listing`, when it ends a list of them).
    fn amended_law_number(&self, at: usize, listing: bool) -> Option<(String, DocId, usize)> {
        let n = self.next_word(at)?;
        let parsed = docid::parse_at(self.cleaned, self.tokens, n)?;
        let then = self.next_word_over_commas(parsed.next_token);
        let law_follows = then.is_some_and(|t| self.is_word(t, "luat") || (self.is_word(t, "va") && self.next_word(t).is_some_and(|l| self.is_word(l, "luat"))));
        if !law_follows && !listing {
            return None;
        }
        let (_, name, _) = self.lookback(n);
        let name = name?;
        let name = self.authority.law_name(&name).map_or(name, str::to_owned);
        Some((name, parsed.id, parsed.next_token))
    }

    /// "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tô Ô chức
    /// chính quyền địa phương": the title's formula written as it reads, and each amended
    /// law's name put right against the known names (see [`Authority::law_name`]), with
    /// the correction of those OCR damaged ([`Self::law_reading`]).
    fn amended_names(&self, name: &str) -> (String, Option<correct::IdCorrection>) {
        let kept = || (name.to_owned(), None);
        let folded: String = crate::viet::fold(name).to_lowercase();
        let rest: String = match folded.find(" cua luat ") {
            Some(cua) => {
                let head: String = folded[..cua].chars().filter(|c| c.is_alphabetic()).collect();
                if !(head.starts_with("luatsua") && head.contains("bosung") && head.ends_with("dieu")) {
                    return kept();
                }
                // Folding keeps the byte length of ASCII but not of Vietnamese letters: cut by chars.
                let cut = folded[..cua].chars().count() + " của ".chars().count();
                name.chars().skip(cut).collect()
            }
            // "Luat sia déi, bé sung mét sé diéu cia Luat …": the formula as legacy OCR
            // reads it, word for word.
            None => match formula_read_as(name) {
                Some(rest) => rest,
                None => return kept(),
            },
        };
        let mut laws: Vec<String> = Vec::new();
        let mut separators: Vec<&str> = Vec::new();
        let mut current = String::new();
        for word in rest.split(' ') {
            // A capital opens an amended law's name ("… pháp luật" ends one).
            let law_starts = crate::viet::fold(word).eq_ignore_ascii_case("luat") && word.starts_with(char::is_uppercase) && !current.is_empty();
            if law_starts {
                let trimmed = current.trim_end();
                let (law, sep) = if let Some(l) = trimmed.strip_suffix(" và").or_else(|| trimmed.strip_suffix(" va")) {
                    (l, " và ")
                } else if let Some(l) = trimmed.strip_suffix(',') {
                    (l, ", ")
                } else {
                    return kept();
                };
                laws.push(law.to_owned());
                separators.push(sep);
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        laws.push(current);
        let mut out = AMENDING_PREFIX.to_owned();
        out.push(' ');
        let mut corrections: Vec<correct::IdCorrection> = Vec::new();
        for (k, law) in laws.iter().enumerate() {
            let (read, correction) = self.law_reading(law);
            out.push_str(&read);
            corrections.extend(correction);
            if let Some(sep) = separators.get(k) {
                out.push_str(sep);
            }
        }
        // One correction for the amending law's name: its printed form, each amended law's
        // reason, the least sure of them.
        let correction = (!corrections.is_empty()).then(|| {
            let unsure = corrections.iter().any(|c| c.confidence == 0.0);
            let chosen = if unsure { name.to_owned() } else { out.clone() };
            let other = if unsure { out.clone() } else { name.to_owned() };
            correct::IdCorrection {
                printed: name.to_owned(),
                reason: corrections.iter().map(|c| c.reason.as_str()).collect::<Vec<_>>().join("; "),
                confidence: corrections.iter().map(|c| c.confidence).fold(1.0, f32::min),
                candidates: if chosen == other { vec![chosen] } else { vec![chosen, other] },
                needs_review: corrections.iter().any(|c| c.needs_review),
                from_archive: false,
            }
        });
        if correction.as_ref().is_some_and(|c| c.confidence == 0.0) {
            // An amended law as unsure as two known names: the whole name as it reads.
            return (name.to_owned(), correction);
        }
        (out, correction)
    }

    /// A law's printed name read against the known names: the name to cite, and the
    /// correction to record when OCR damaged it (the printed form, why, how sure), or when
    /// two known names are as likely (kept as printed, both offered).
    fn law_reading(&self, printed: &str) -> (String, Option<correct::IdCorrection>) {
        use crate::authority::laws::LawReading;
        match self.authority.read_law_name(printed) {
            None => (printed.to_owned(), None),
            Some(LawReading::Known(name)) => (name.to_owned(), None),
            Some(LawReading::Damaged { name, confidence, sure }) => {
                let reason = format!("“{printed}” is no known law's name; {name} is the one OCR most likely misread so");
                let correction = correct::IdCorrection {
                    printed: printed.to_owned(),
                    reason,
                    confidence,
                    candidates: vec![name.to_owned(), printed.to_owned()],
                    needs_review: !sure,
                    from_archive: false,
                };
                (name.to_owned(), Some(correction))
            }
            Some(LawReading::Unsure(names)) => {
                let reason = format!("“{printed}” is no known law's name; {} are as likely readings: kept as printed", names.join(", "));
                let candidates = std::iter::once(printed.to_owned()).chain(names.iter().map(|n| (*n).to_owned())).collect();
                let correction = correct::IdCorrection { printed: printed.to_owned(), reason, confidence: 0.0, candidates, needs_review: true, from_archive: false };
                (printed.to_owned(), Some(correction))
            }
        }
    }

    /// The type phrase that starts at word `i`: (type, last word of the phrase).
    fn type_phrase_starting_at(&self, i: usize) -> Option<(&'static str, usize)> {
        let mut words = vec![i];
        while words.len() < 4 {
            let Some(n) = dates::next_word(self.tokens, words[words.len() - 1] + 1, 1) else { break };
            words.push(n);
        }
        let mut best = None;
        let mut phrase = String::new();
        for (n, &w) in words.iter().enumerate() {
            if n > 0 {
                phrase.push(' ');
            }
            phrase.push_str(self.word(w));
            if let Some(doc_type) = vocab::type_phrase(&phrase) {
                best = Some((doc_type, w));
            }
        }
        best
    }
}

/// The words of the amending formula ("Luật sửa đổi, bổ sung một số điều của"), folded.
const AMENDING_FORMULA: [&str; 9] = ["luat", "sua", "doi", "bo", "sung", "mot", "so", "dieu", "cua"];

/// The amended laws' part of an amending law's name whose formula legacy OCR damaged,
/// every word of it a likely reading of the formula's word ([`ocr_words::reads_as`]):
/// the words after "của", from the "Luật" that opens the first amended law.
fn formula_read_as(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let folded = |w: &str| crate::viet::fold(w).to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let n = AMENDING_FORMULA.len();
    let read = words.len() > n && AMENDING_FORMULA.iter().zip(&words).all(|(f, w)| super::ocr_words::reads_as(&folded(w), f));
    (read && folded(words[n]) == "luat").then(|| words[n..].join(" "))
}

/// A mark that is no punctuation of a sentence: a speck or stroke OCR read as a symbol.
fn is_speck(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace() && !matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '"' | '\'' | '/' | '-' | '\u{0C}')
}

/// How far (chars) another number may stand and still speak for a tied repair.
const NEIGHBOUR_CHARS: usize = 300;

/// "Tờ trình số 1420/TTr-BQL … và số 1424/TTr-BOL": a damaged code kept as printed because
/// two repairs were equally near (BQL, BDT) is settled by the numbers cited beside it in the
/// same sentence: when exactly one of the repairs carries an issuer code that a neighbour
/// carries, the office numbering both is taken to be the same. Still flagged for review.
fn settle_ties_by_neighbours(found: &mut [Found]) {
    for k in 0..found.len() {
        let c = &found[k].citation;
        let (Some(id), Some(correction)) = (&c.id, &c.correction) else { continue };
        if correction.printed != id.as_str() || correction.candidates.len() < 2 {
            continue;
        }
        let near = |j: usize| {
            let o = &found[j];
            j != k && (o.sentence_start == found[k].sentence_start || o.citation.start.abs_diff(c.start) <= NEIGHBOUR_CHARS)
        };
        let neighbour_codes: Vec<(String, String)> = (0..found.len())
            .filter(|&j| near(j))
            .filter_map(|j| {
                let other = found[j].citation.id.as_ref()?;
                Some((other.issuer_code()?, other.to_string()))
            })
            .collect();
        let printed_code = id.issuer_code();
        let mut chosen: Vec<(DocId, String)> = Vec::new();
        for candidate in correction.candidates.iter().filter(|x| *x != id.as_str()).filter_map(|x| DocId::from_canonical(x)) {
            let Some(code) = candidate.issuer_code().filter(|code| Some(code) != printed_code.as_ref()) else { continue };
            if let Some((_, by)) = neighbour_codes.iter().find(|(n, _)| *n == code) {
                chosen.push((candidate, by.clone()));
            }
        }
        let [(fixed, by)] = &chosen[..] else { continue };
        let (fixed, by) = (fixed.clone(), by.clone());
        let c = &mut found[k].citation;
        let Some(mut correction) = c.correction.take() else { continue };
        let others: Vec<String> = correction.candidates.iter().filter(|x| **x != fixed.as_str()).cloned().collect();
        correction.reason = format!("{}; {fixed} chosen: {by}, cited beside it, has its code", correction.reason.trim_end_matches(": kept as printed"));
        correction.confidence = 0.7;
        correction.candidates = std::iter::once(fixed.to_string()).chain(others).collect();
        adopt_corrected_id(c, fixed, correction);
    }
}

/// Puts a chosen number into a citation: its id, number, year and symbol, and the issuer
/// its code implies where the old issuer came only from the old code (a stated issuer stays).
fn adopt_corrected_id(c: &mut Citation, fixed: DocId, correction: correct::IdCorrection) {
    if c.issuer_only_implied() {
        c.issuer = fixed.implied_issuer().map(str::to_owned).or(c.issuer.take());
    }
    c.number = Some(fixed.number().to_owned());
    c.year = fixed.year();
    c.symbol = Some(fixed.symbol().to_owned());
    c.id = Some(fixed);
    c.correction = Some(correction);
}

/// "số ] 02/2024/NĐ-CP": a mark standing alone right before the cited number (after a
/// space) that OCR makes of a 1 (`]`, `|`, `!`, `l`, `I`), found through the citation's
/// `raw` span in its `context`.
fn glyph_before_number(context: &str, raw: &str, number: &str) -> bool {
    let squashed_raw: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let (Some(at), Some(in_raw)) = (context.find(&squashed_raw), squashed_raw.find(number)) else { return false };
    let before = context[..at + in_raw].trim_end();
    let mut tail = before.chars().rev();
    let (Some(mark), blank) = (tail.next(), tail.next()) else { return false };
    matches!(mark, ']' | '|' | '!' | 'l' | 'I') && blank.is_none_or(char::is_whitespace)
}

/// The year of a date printed right after the citation's span in its context, even when
/// the day or month cannot be read ("ngày 42/02/2018" → "2018").
fn printed_year_after(context: &str, raw: &str) -> Option<String> {
    let squashed_raw: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = context.find(&squashed_raw)? + squashed_raw.len();
    let rest = context[at..].trim_start();
    let rest = rest.strip_prefix("ngày")?;
    let head: String = rest.chars().take(24).collect();
    let digits: String = head.chars().take_while(|c| !c.is_alphabetic() || "thángnăm".contains(*c)).filter(char::is_ascii_digit).collect();
    let year = digits.get(digits.len().checked_sub(4)?..)?;
    (year.starts_with("19") || year.starts_with("20")).then(|| year.to_owned())
}

/// Two ISO dates of one year that differ in the day or the month by one OCR slip: a digit
/// lost ("2" for 29) or one digit misread ("19" for 18).
pub(crate) fn one_date_slip(said: &str, real: &str) -> bool {
    let parts = |d: &str| -> Option<(String, String, String)> {
        let mut p = d.split('-');
        Some((p.next()?.to_owned(), p.next()?.trim_start_matches('0').to_owned(), p.next()?.trim_start_matches('0').to_owned()))
    };
    let (Some((ys, ms, ds)), Some((yr, mr, dr))) = (parts(said), parts(real)) else { return false };
    let slip = |a: &str, b: &str| {
        (a.len() + 1 == b.len() && (b.starts_with(a) || b.ends_with(a)))
            || (a.len() == b.len() && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1)
    };
    ys == yr && ((ms == mr && ds != dr && slip(&ds, &dr)) || (ds == dr && ms != mr && slip(&ms, &mr)))
}

/// Largest cost of repairing a code towards a symbol the same document cites: one letter
/// added, lost or misread, or two shape confusions.
const MAX_SIBLING_COST: f32 = 1.0;

/// "Công văn số 222/HĐND-KTINS … số 208/HĐND-KTNS, số 224/HĐND-KTNS": a number holding a
/// code that no table has and no real number showed (KTINS) is one OCR edit from a symbol
/// that another citation of the same document spells with known codes (HĐND-KTNS): a
/// document citing one office's papers repeats its symbol, and OCR damages one copy. The
/// symbol is taken from the sibling; the number and year stay as printed. Nothing is done
/// when two sibling symbols are equally near, or when the printed symbol is itself known.
/// Flagged for review like every correction.
fn repair_codes_by_siblings(found: &mut [Found], authority: &Authority) {
    // Compared symbol against symbol, each distinct one once: a long compilation cites
    // thousands of numbers but few distinct symbols (linear in the citations, not square).
    let mut vouched: Vec<(Vec<char>, bool, usize)> = Vec::new();
    let mut unvouched: Vec<(usize, Vec<char>, bool)> = Vec::new();
    let mut judged: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for (k, f) in found.iter().enumerate() {
        let Some(id) = f.citation.id.as_ref() else { continue };
        let bad = *judged.entry(id.symbol()).or_insert_with(|| unvouched_code(id, authority));
        let symbol = correct::normalized_chars(id.symbol());
        if bad {
            if f.citation.correction.is_none() {
                unvouched.push((k, symbol, id.is_party()));
            }
        } else if !vouched.iter().any(|(s, p, _)| *s == symbol && *p == id.is_party()) {
            vouched.push((symbol, id.is_party(), k));
        }
    }
    let mut nearest: std::collections::HashMap<(Vec<char>, bool), Option<(f32, usize)>> = std::collections::HashMap::new();
    for (k, printed, party) in unvouched {
        let choice = *nearest.entry((printed.clone(), party)).or_insert_with(|| {
            let mut near: Vec<(f32, usize)> = vouched
                .iter()
                .filter(|(symbol, p, _)| *p == party && *symbol != printed)
                .map(|(symbol, _, j)| (correct::edit_cost(&printed, symbol), *j))
                .filter(|(cost, _)| *cost <= MAX_SIBLING_COST)
                .collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0));
            let best = *near.first()?;
            if near.get(1).is_some_and(|(second, _)| second - best.0 < correct::AMBIGUITY_MARGIN) {
                return None;
            }
            Some(best)
        });
        let Some((cost, j)) = choice else { continue };
        let (Some(id), Some(by)) = (found[k].citation.id.clone(), found[j].citation.id.clone()) else { continue };
        let text = match (id.is_party(), id.year()) {
            (true, _) => format!("{}-{}", id.number(), by.symbol()),
            (false, Some(year)) => format!("{}/{year}/{}", id.number(), by.symbol()),
            (false, None) => format!("{}/{}", id.number(), by.symbol()),
        };
        let Some(fixed) = DocId::from_canonical(&text) else { continue };
        if authority.is_possible(&fixed).is_impossible() {
            continue;
        }
        let reason = format!("{} holds a code never seen; {by}, cited in the same document, has the symbol {}, one OCR misreading away", id, by.symbol());
        let correction = correct::IdCorrection {
            printed: id.to_string(),
            reason,
            confidence: (0.9 - 0.3 * cost).clamp(0.5, 0.9),
            candidates: vec![fixed.to_string(), id.to_string()],
            needs_review: true,
            from_archive: false,
        };
        let c = &mut found[k].citation;
        adopt_corrected_id(c, fixed, correction);
    }
}

/// A code of the number that no table names and no real number showed ("KTINS").
fn unvouched_code(id: &DocId, authority: &Authority) -> bool {
    id.symbol().split(['-', '/']).any(|piece| {
        let folded = crate::authority::fold_code(crate::authority::without_bracketed_unit(piece));
        let key = folded.trim_end_matches(|c: char| c.is_ascii_digit());
        !key.is_empty()
            && authority.types_of_code(key).next().is_none()
            && authority.organs_of_code(key).next().is_none()
            && authority.issuer_code(key).is_none()
            && authority.times_seen(key) == 0
    })
}

/// The text squashed, without the specks [`is_speck`] passes over inside a name.
fn without_specks(text: &str) -> String {
    squash(&text.chars().filter(|&c| !is_speck(super::clean::fold_char(c))).collect::<String>())
}

/// A subject runs to the end of its clause, which in a damaged text (a lost closing quote or
/// semicolon) may hold the next citation: cut it there.
/// A law named by name inside the subject ("… quy định chi tiết một số điều của Luật Đầu tư
/// công") is part of that subject, not a citation of its own: it is dropped, the subject kept.
fn end_subjects_at_the_next_citation(found: &mut Vec<Found>) {
    let mut k = 1;
    while k < found.len() {
        let next = &found[k].citation;
        let next_raw = squash(&next.raw);
        let named_only = next.id.is_none() && next.name.is_some();
        let own_right = |subject: &str| cited_in_own_right(subject, &next_raw, next);
        let keep_law = found[k - 1].citation.subject.as_deref().is_some_and(own_right);
        let current = &mut found[k - 1].citation;
        let Some(subject) = current.subject.as_mut() else {
            k += 1;
            continue;
        };
        if named_only && subject.contains(&next_raw) && !keep_law {
            found.remove(k);
            continue;
        }
        k += 1;
        if let Some(at) = subject.find(&next_raw) {
            let kept = subject[..at].trim_end();
            // Drop the type words and connectors left before the cut ("… và Kết luận").
            let mut words: Vec<&str> = kept.split(' ').collect();
            while words.last().is_some_and(|w| {
                let f = crate::viet::fold(w).to_lowercase();
                matches!(f.trim_matches(|c: char| !c.is_alphanumeric()), "va" | "hoac" | "" | "theo" | "cua" | "tai")
            }) {
                words.pop();
            }
            let kept = words.join(" ");
            let kept = kept.trim_end_matches(|c: char| c.is_whitespace() || ",;:\"“”".contains(c)).to_owned();
            current.subject = (!kept.is_empty()).then_some(kept);
        }
    }
}

/// A law named inside another citation's subject that is cited for itself all the same:
/// an article of it ("theo quy định tại khoản 2 Điều 157 Luật Đất đai"), or its version
/// given by a year or a date ("phù hợp với Luật Quy hoạch năm 2017").
fn cited_in_own_right(subject: &str, raw: &str, law: &Citation) -> bool {
    if law.year.is_some() || law.date.is_some() {
        return true;
    }
    let Some(at) = subject.find(raw) else { return false };
    let mut before = subject[..at].split_whitespace().rev();
    let number = before.next().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
    number && before.next().is_some_and(|w| crate::viet::fold(w).eq_ignore_ascii_case("dieu"))
}

/// "của", as printed or as OCR reads it (the learned channel's readings: "ctia", "cia"…).
fn is_cua(folded: &str) -> bool {
    ocr_words::reads_as(folded, "cua")
}

/// The type of a citation: the phrase before the number, unless the number's type code
/// says otherwise ("Quy chế … 11-QĐ/TU" is a Quyết định); "Văn bản" or no phrase take the
/// type the number implies.
fn reconcile_type(phrase: Option<&'static str>, id: &DocId) -> &'static str {
    let implied = id.implied_type();
    match phrase {
        Some("Văn bản") | None => implied.unwrap_or("Văn bản"),
        Some(said) => {
            let Some(kind) = id.kind() else { return said };
            let system = |t: &&crate::authority::DocType| if id.is_party() { t.in_system("party") } else { t.in_system("state") || t.in_system("legal") };
            let fits = Authority::builtin().types_of_code(kind).filter(system).any(|t| t.name == said);
            if fits { said } else { implied.unwrap_or(said) }
        }
    }
}

fn is_issuer_stop(folded: &str) -> bool {
    matches!(folded, "ve" | "ngay" | "so" | "nhiem" | "thuc" | "tiep" | "nam" | "va" | "tai" | "theo")
}

/// Lower-case words that end a law's name ("Luật Đầu tư công *năm* 2019", "… *đã* được").
const NAME_STOPS: &[&str] = &[
    "ngày", "số", "năm", "của", "được", "đã", "thì", "theo", "tại", "này", "có", "về", "là", "các", "để", "do", "hoặc", "khi",
    "trong", "như", "mà", "sẽ", "phải", "bị", "thay", "sửa", "quy định",
];

/// Whether the word `printed` ends a law's name. A word printed with its accents is compared
/// as printed ("thiên tai" goes on, "tại" stops); a word without any is compared folded, as
/// OCR strips accents, unless the document is accented and the bare spelling is itself a
/// word of law names ("tai", "ma túy", "thi hành").
fn is_name_stop(printed: &str, accented: bool) -> bool {
    let lower = printed.to_lowercase();
    if NAME_STOPS.contains(&lower.as_str()) {
        return true;
    }
    if !lower.is_ascii() || (accented && matches!(lower.as_str(), "tai" | "ma" | "thi" | "co" | "la" | "cac")) {
        return false;
    }
    NAME_STOPS.iter().any(|s| crate::viet::fold(s) == lower)
}

/// A word whose first letter OCR read as the digit of like shape: "1uat" for "luật", "0ng"
/// for "ông" (a 1 or 0, then lower-case letters only). Inside a law's name it is a word of
/// the name, not the number that ends it ("Luật Ban hành văn bản quy phạm pháp 1uat số
/// 80/2015/QH13" is one citation, not a name cut short and a second one with the number).
fn digit_for_letter(printed: &str) -> bool {
    let mut chars = printed.chars();
    matches!(chars.next(), Some('1' | '0')) && printed.chars().count() >= 3 && chars.all(char::is_lowercase)
}

/// A law's name printed in lower case ("Luật đất đai") as official style writes it: the
/// first word of the name after the type word capitalized ("Luật Đất đai").
fn capitalize_name(name: &str, first_name_word: &str) -> String {
    let Some(at) = name.find(first_name_word) else { return name.to_owned() };
    let mut chars = first_name_word.chars();
    let Some(first) = chars.next() else { return name.to_owned() };
    format!("{}{}{}{}", &name[..at], first.to_uppercase(), chars.as_str(), &name[at + first_name_word.len()..])
}

/// Whitespace runs (line breaks included) → one space.
pub fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((byte, _)) => format!("{}…", &text[..byte]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::tokenize::tokenize;

    fn found(text: &str) -> (Vec<Citation>, Vec<ShortForm>) {
        let cleaned = Cleaned::new(text);
        let tokens = tokenize(&cleaned);
        let (found, shorts) = Extractor::new(&cleaned, &tokens, Authority::builtin()).run();
        (found.into_iter().map(|f| f.citation).collect(), shorts)
    }

    #[test]
    fn a_date_one_slip_from_a_known_document_s_date_is_that_date() {
        assert!(one_date_slip("2024-07-02", "2024-07-29"));
        assert!(one_date_slip("2024-07-19", "2024-07-18"));
        assert!(one_date_slip("2024-01-29", "2024-07-29"));
        assert!(!one_date_slip("2024-07-02", "2023-07-29"));
        assert!(!one_date_slip("2024-06-02", "2024-07-29"));
        assert!(!one_date_slip("2024-07-11", "2024-07-29"));
        // 101/2024/NĐ-CP is the decree of 29/7/2024.
        let c = one("Căn cứ Nghị định số 101/2024/NĐ-CP ngày 2/7/2024 của Chính phủ quy định về điều tra cơ bản đất đai;");
        assert_eq!(c.date.as_deref(), Some("2024-07-29"));
        assert!(c.review.contains(&"date".to_owned()) && c.inferred.contains(&"date".to_owned()));
        // A date that is not one slip away stays as printed.
        let c = one("Căn cứ Nghị định số 101/2024/NĐ-CP ngày 15/3/2024 của Chính phủ;");
        assert_eq!(c.date.as_deref(), Some("2024-03-15"));
    }

    #[test]
    fn a_letter_read_as_a_digit_inside_a_law_s_name_does_not_cut_it_in_two() {
        let (cited, _) = found("Căn cứ Luật Ban hành văn bản quy phạm pháp 1uật số 80/2015/QH13 ngày 22 tháng 6 năm 2015;");
        assert_eq!(cited.len(), 1, "{cited:?}");
        assert_eq!(cited[0].id.as_ref().map(|d| d.to_string()).as_deref(), Some("80/2015/QH13"));
        // A year after a law's name is still its year, not a word of the name.
        let (cited, _) = found("Căn cứ Luật Đầu tư 2020 của Quốc hội;");
        assert_eq!(cited[0].year, Some(2020));
        assert!(digit_for_letter("1uat") && digit_for_letter("0ng"));
        assert!(!digit_for_letter("10") && !digit_for_letter("1a") && !digit_for_letter("2uat") && !digit_for_letter("1UBND"));
    }

    #[test]
    fn a_year_printed_after_the_number_is_read_even_when_the_day_is_not() {
        assert_eq!(printed_year_after("và Chỉ thị số 04/CT-UBND ngày 42/02/2018 của UBND tỉnh", "Chỉ thị số 04/CT-UBND").as_deref(), Some("2018"));
        assert_eq!(printed_year_after("Luật ngày 19/201 5;", "Luật").as_deref(), Some("2015"));
        assert_eq!(printed_year_after("Chỉ thị số 04/CT-UBND của UBND tỉnh", "Chỉ thị số 04/CT-UBND"), None);
    }

    #[test]
    fn a_code_never_seen_takes_the_symbol_another_citation_of_the_document_spells() {
        let (all, _) = found("Công văn số 222/HĐND-KTINS ngày 1/2/2024 và số 208/HĐND-KTNS ngày 2/2/2024 của Thường trực HĐND tỉnh.");
        let ids: Vec<String> = all.iter().filter_map(|c| c.id.as_ref().map(|i| i.to_string())).collect();
        assert_eq!(ids, ["222/HĐND-KTNS", "208/HĐND-KTNS"]);
        let k = all[0].correction.as_ref().expect("corrected");
        assert_eq!((k.printed.as_str(), k.needs_review), ("222/HĐND-KTINS", true));
        // Another committee's symbol (two letters away) is left alone, and so is a symbol
        // no sibling comes near.
        let (all, _) = found("Công văn số 222/HĐND-KTXH ngày 1/2/2024 và số 208/HĐND-KTNS ngày 2/2/2024.");
        assert!(all.iter().all(|c| c.correction.is_none()), "{all:#?}");
        let (all, _) = found("Công văn số 222/UBND-QWZX ngày 1/2/2024 và số 208/HĐND-KTNS ngày 2/2/2024.");
        assert_eq!(all[0].id.as_ref().map(|i| i.to_string()).as_deref(), Some("222/UBND-QWZX"));
    }

    fn one(text: &str) -> Citation {
        let (mut all, _) = found(text);
        assert_eq!(all.len(), 1, "{all:#?}");
        all.remove(0)
    }

    #[test]
    fn a_tied_code_repair_is_settled_by_a_number_cited_beside_it() {
        let (all, _) = found("Xét Tờ trình số 1420/TTr-BQL ngày 13/12/2024 và số 1424/TTr-BOL ngày 16/12/2024 của Ban.");
        let ids: Vec<_> = all.iter().map(|c| c.id.as_ref().unwrap().to_string()).collect();
        assert_eq!(ids, ["1420/TTr-BQL", "1424/TTr-BQL"]);
        let k = all[1].correction.as_ref().unwrap();
        assert_eq!((k.printed.as_str(), k.needs_review), ("1424/TTr-BOL", true));
        // Alone, the tie stays as printed, flagged.
        let c = one("Xét Tờ trình số 1424/TTr-BOL ngày 16/12/2024.");
        assert_eq!(c.id.as_ref().unwrap().as_str(), "1424/TTr-BOL");
        assert!(c.correction.as_ref().unwrap().candidates.len() >= 2);
    }

    #[test]
    fn a_law_named_before_its_number_is_one_law_citation() {
        // "vệ", "Tài" fold to the function words "về", "tại" but do not end a name.
        let c = one("Căn cứ Luật Bảo vệ bí mật nhà nước số 117/2025/QH15;");
        assert_eq!((c.doc_type.as_str(), c.name.as_deref()), ("Luật", Some("Luật Bảo vệ bí mật nhà nước")));
        assert_eq!(c.id.as_ref().unwrap().as_str(), "117/2025/QH15");
        let c = one("Căn cứ Luật Tài nguyên nước số 28/2023/QH15;");
        assert_eq!((c.doc_type.as_str(), c.name.as_deref()), ("Luật", Some("Luật Tài nguyên nước")));
        // A fifteen-word name.
        let c = one("Căn cứ Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ số\n42/2024/QH15;");
        assert_eq!(c.doc_type, "Luật");
        // "của" printed as such still ends the walk: the number is no law of that name.
        let (all, _) = found("Thực hiện Luật Đất đai, theo đề nghị của Sở Tài chính số 12/STC ngày 5/3/2024.");
        assert!(all.iter().all(|c| c.id.is_none() || c.name.is_none()), "{all:#?}");
    }

    #[test]
    fn an_amending_law_read_by_legacy_ocr_is_one_law() {
        let (cited, _) = found("Can cut Luat Ban hanh van ban quy pham phap luat ngay 22 thang 6 nam 2015; Luat siva ddi, bo\nsung mét sé diéu cia Luat Ban hanh van ban quy pham phap luat ngay 18 thang 6 nam 2020;");
        let names: Vec<&str> = cited.iter().filter_map(|c| c.name.as_deref()).collect();
        assert_eq!(names, ["Luật Ban hành văn bản quy phạm pháp luật", "Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật"]);
        assert_eq!(cited[1].date.as_deref(), Some("2020-06-18"));
        // The laws it amends, their names damaged ("cht’c" for chức), stay inside its name,
        // read as the known laws they most likely are.
        let (cited, _) = found("Luat sia déi, bé sung mét sé diéu cia Luat T6 cht’c Chinh phi va Luat T6 chute chinh quyén dia phuong ngay 22 thang 11 nam 2019;");
        assert_eq!(cited.len(), 1, "{cited:?}");
        assert!(cited[0].name.as_deref().is_some_and(|n| n.starts_with("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật")), "{cited:?}");
        let printed = &cited[0].correction.as_ref().expect("the printed name is kept").printed;
        assert!(printed.starts_with("Luat sia déi, bé sung"), "{printed}");
    }

    #[test]
    fn each_number_of_a_list_sharing_one_symbol_is_cited() {
        let (cited, _) = found("Chi đã được duyệt tại các Quyết định số 3561, 3562 và 3563/QĐ-UBND ngày 28/12/2023 của Chủ tịch Ủy ban nhân dân huyện; bãi bỏ các thủ tục số 2, 5 và 7 tại Phụ lục.");
        let ids: Vec<String> = cited.iter().filter_map(|c| c.id.as_ref().map(|i| i.to_string())).collect();
        assert_eq!(ids, ["3561/QĐ-UBND", "3562/QĐ-UBND", "3563/QĐ-UBND"]);
        for c in &cited {
            assert_eq!(c.doc_type, "Quyết định");
            assert_eq!(c.date.as_deref(), Some("2023-12-28"));
            assert_eq!(c.issuer.as_deref(), Some("Chủ tịch Ủy ban nhân dân huyện"));
        }
        assert_eq!(cited[0].raw, "Quyết định số 3561");
        // Forms listed after "Mẫu số" are no documents.
        let (cited, _) = found("Lập theo Mẫu số 06, 07 và 08/TP-HT ban hành kèm theo Thông tư này.");
        assert!(cited.is_empty(), "{cited:?}");
    }

    #[test]
    fn a_list_of_numbers_takes_the_date_after_it_not_the_clause_s_opening_date() {
        for text in [
            "Ngày 28/8/2024, Ban Thường vụ Tỉnh ủy nghe báo cáo kết quả thực hiện Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW, ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII.",
            "Ngay 28/8/2024, Ban Thudng vu Tinh uy nghe bao cao két qua\nthuc hién Nghi quyét sé 18-NQ/TW, Nghi quyét sé 19-NQ/TW, ngay 25/10/2017 cua\nBan Chap hanh Trung uong Dang khoa XII.",
        ] {
            let (cited, _) = found(text);
            assert_eq!(cited.len(), 2, "{text}");
            assert!(cited.iter().all(|c| c.date.as_deref() == Some("2017-10-25")), "{cited:?}");
        }
        // One document named in the clause still takes the date the clause opens with.
        let c = one("Ngày 22/11/2023, Thủ tướng Chính phủ phê duyệt Đề án tại Quyết định số 1456/QĐ-TTg.");
        assert_eq!(c.date.as_deref(), Some("2023-11-22"));
    }

    #[test]
    fn a_full_state_citation_has_every_part() {
        let c = one("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;");
        assert_eq!(c.doc_type, "Nghị định");
        assert_eq!(c.id.as_ref().unwrap().as_str(), "30/2020/NĐ-CP");
        assert_eq!((c.number.as_deref(), c.year, c.symbol.as_deref()), (Some("30"), Some(2020), Some("NĐ-CP")));
        assert_eq!(c.date.as_deref(), Some("2020-03-05"));
        assert_eq!(c.issuer.as_deref(), Some("Chính phủ"));
        assert_eq!(c.subject.as_deref(), Some("công tác văn thư"));
        assert_eq!(c.relation, Relation::CanCu);
        assert_eq!(c.raw, "Nghị định số 30/2020/NĐ-CP");
        assert_eq!((c.start, c.end), (7, 33));
    }

    #[test]
    fn a_party_citation_with_a_stated_issuer_and_a_quoted_subject() {
        let c = one("quán triệt Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương Đảng (khóa XI) về “Tăng cường công tác dân vận”;");
        assert_eq!(c.id.as_ref().unwrap().as_str(), "25-NQ/TW");
        assert_eq!(c.issuer.as_deref(), Some("Ban Chấp hành Trung ương Đảng (khóa XI)"));
        assert_eq!(c.subject.as_deref(), Some("Tăng cường công tác dân vận"));
        assert_eq!(c.relation, Relation::ThucHien);
    }

    #[test]
    fn numbers_listed_before_one_issuer_share_it_where_their_codes_agree() {
        let issuers = |text: &str| -> Vec<(String, Option<String>)> {
            found(text).0.iter().map(|c| (c.id.as_ref().unwrap().to_string(), c.issuer.clone())).collect()
        };
        // The code TW implies the Central Committee; the sentence names the Politburo for both.
        let got = issuers("Thực hiện các Quy định số 217-QĐ/TW, 218-QĐ/TW ngày 02/01/2024 của Bộ Chính trị về giám sát;");
        assert_eq!(got.iter().map(|g| g.1.as_deref()).collect::<Vec<_>>(), [Some("Bộ Chính trị"), Some("Bộ Chính trị")], "{got:?}");
        // A number with a date of its own still shares the list's issuer.
        let got = issuers("Căn cứ các Quyết định số: 1745/QĐ-UBND ngày 12/9/2023, 806/QĐ-UBND ngày 05/6/2024 của Ủy ban nhân dân tỉnh Quảng Ngãi;");
        assert_eq!(got[0].1, got[1].1, "{got:?}");
        assert!(got[0].1.as_deref().is_some_and(|i| i.contains("Quảng Ngãi")), "{got:?}");
        // Codes of different organs: the issuer after the last names the last alone.
        let got = issuers("Căn cứ các Quyết định số 12/QĐ-TTg, 1745/QĐ-UBND của Ủy ban nhân dân tỉnh Quảng Ngãi;");
        assert_eq!(got[0].1.as_deref(), Some("Thủ tướng Chính phủ"), "{got:?}");
    }

    #[test]
    fn the_organ_that_issued_a_document_before_its_number_is_its_issuer() {
        let c = one("Ban Thường vụ Huyện ủy đã ban hành Kế hoạch số 45-KH/HU ngày 10/7/2021 để triển khai thực hiện.");
        assert_eq!(c.issuer.as_deref(), Some("Ban Thường vụ Huyện ủy"), "{c:?}");
        // An issuer the sentence gives after the number stands; words that are no organ
        // before "ban hành" give nothing.
        let c = one("Ban Thường vụ Huyện ủy đã ban hành Kế hoạch thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị.");
        assert_eq!(c.issuer.as_deref(), Some("Bộ Chính trị"), "{c:?}");
        let c = one("Các đơn vị đã ban hành Kế hoạch số 45-KH/HU ngày 10/7/2021.");
        assert_eq!(c.issuer.as_deref(), Some("Huyện ủy"), "{c:?}");
    }

    #[test]
    fn a_joint_document_names_every_issuer() {
        let c = one("Căn cứ Thông tư liên tịch số 13/2016/TTLT-BYT-BGDĐT ngày 12/5/2016 của Bộ Y tế và Bộ Giáo dục và Đào tạo quy định về công tác y tế trường học;");
        assert_eq!(c.issuer.as_deref(), Some("Bộ Y tế và Bộ Giáo dục và Đào tạo"), "{c:?}");
        // "và" before words that are no organ ends the issuer.
        let c = one("Căn cứ Thông tư liên tịch số 13/2016/TTLT-BYT-BGDĐT ngày 12/5/2016 của Bộ Y tế và hướng dẫn của tỉnh;");
        assert_eq!(c.issuer.as_deref(), Some("Bộ Y tế"), "{c:?}");
        // Not a joint document: a second organ after "và" is the next clause's subject.
        let c = one("Căn cứ Quyết định số 1234/QĐ-UBND ngày 05/3/2020 của Ủy ban nhân dân tỉnh và Sở Nội vụ hướng dẫn thực hiện;");
        assert!(!c.issuer.as_deref().unwrap_or_default().contains("Sở Nội vụ"), "{c:?}");
    }

    #[test]
    fn numbers_listed_before_one_date_share_it() {
        let (all, _) = found("Thực hiện các Quyết định số: 1743/QĐ-BGTVT, 1744/QĐ-BGTVT ngày 31/12/2024 của Bộ trưởng Bộ Giao thông vận tải về việc công bố;");
        let dates: Vec<_> = all.iter().map(|c| (c.id.as_ref().unwrap().to_string(), c.date.clone())).collect();
        assert_eq!(dates, [("1743/QĐ-BGTVT".to_owned(), Some("2024-12-31".to_owned())), ("1744/QĐ-BGTVT".to_owned(), Some("2024-12-31".to_owned()))]);
        // A number with its own date keeps it; one of another type shares nothing.
        let (all, _) = found("Quyết định số 12/QĐ-UBND ngày 01/02/2024, số 13/QĐ-UBND ngày 05/02/2024 của UBND tỉnh;");
        assert_eq!(all[0].date.as_deref(), Some("2024-02-01"));
        let (all, _) = found("Căn cứ Quyết định số 12/QĐ-UBND và Kế hoạch số 15/KH-UBND ngày 05/02/2024 của UBND tỉnh;");
        assert_eq!(all[0].date, None);
    }

    #[test]
    fn a_date_said_further_on_with_lap_ngay() {
        let c = one("Căn cứ Biên bản vi phạm hành chính số 09/BB-VPHC do ông Nguyễn Văn A, Cán bộ Phòng Cảnh sát, Công an tỉnh Quảng Ngãi lập ngày 22/01/2025;");
        assert_eq!(c.date.as_deref(), Some("2025-01-22"));
    }

    #[test]
    fn an_older_number_of_one_organ_code_when_the_sentence_vouches_for_it() {
        let c = one("Trên cơ sở nội dung Công văn số 158/UB ngày 09/4/2021 của Ủy ban Quốc gia về việc triển khai;");
        assert_eq!((c.id.as_ref().unwrap().as_str(), c.doc_type.as_str(), c.date.as_deref()), ("158/UB", "Công văn", Some("2021-04-09")));
        // Without "số" and a date right after, or with a code no organ has, it is no citation.
        assert!(found("Công văn 158/UB về việc triển khai").0.is_empty());
        assert!(found("Công văn số 158/UB gửi các sở").0.is_empty());
        assert!(found("Công văn số 4/XYZ ngày 09/4/2021").0.is_empty());
    }

    #[test]
    fn a_number_with_fraction_slashes_and_a_split_number() {
        let (all, _) = found("Luật Nhà ở số 2 7⁄2023⁄QH15 và Luật Đất đai số 31⁄2024/QH15;");
        let ids: Vec<_> = all.iter().filter_map(|c| c.id.as_ref().map(|i| i.to_string())).collect();
        assert_eq!(ids, ["27/2023/QH15", "31/2024/QH15"]);
    }

    #[test]
    fn an_amending_law_that_names_the_amended_laws_by_number_is_one_citation_and_they_are_cited_too() {
        let (all, _) = found("Căn cứ Luật sửa đổi, bồ sung một số điễu của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 và Luật Các tổ chức tín dụng số 32/2024/QH15 ngày 29/6/2024;");
        assert_eq!(all[0].name.as_deref(), Some("Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 và Luật Các tổ chức tín dụng số 32/2024/QH15"));
        assert_eq!(all[0].date.as_deref(), Some("2024-06-29"));
        let ids: Vec<_> = all[1..].iter().map(|c| c.id.as_ref().unwrap().to_string()).collect();
        assert_eq!(ids, ["31/2024/QH15", "27/2023/QH15", "32/2024/QH15"]);
        // A law's own number after its name is no amended law ("Luật sửa đổi … số 47/2019/QH14").
        let c = one("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương số 47/2019/QH14;");
        assert_eq!(c.id.as_ref().unwrap().as_str(), "47/2019/QH14");
    }

    #[test]
    fn a_law_named_inside_a_subject_is_cited_when_an_article_or_its_year_is_given() {
        let text = "Công văn số 1060/BTC-QLGCS ngày 23/01/2025 về việc miễn tiền thuê đất theo quy định tại khoản 2 Điều 157 Luật Đất đai và sửa đổi;";
        assert!(found(text).0.iter().any(|c| c.name.as_deref() == Some("Luật Đất đai")));
        let text = "Công văn số 1060/BTC-QLGCS ngày 23/01/2025 về việc hướng dẫn thi hành Luật Đất đai;";
        assert!(!found(text).0.iter().any(|c| c.name.is_some()));
    }

    #[test]
    fn the_issuer_is_implied_by_the_symbol_when_not_stated() {
        assert_eq!(one("theo Chỉ thị số 33/CT-TTg").issuer.as_deref(), Some("Thủ tướng Chính phủ"));
        assert_eq!(one("Nghị quyết số 35/2023/UBTVQH15").issuer.as_deref(), Some("Ủy ban Thường vụ Quốc hội"));
    }

    #[test]
    fn raw_ocr_text_without_diacritics() {
        // "Thyc", "sé": readings of "thực", "số" by the legacy engine (the learned channel).
        let c = one("Thyc hién Ké hoach sé 107/KH-UBND ngay 28/03/2024 UBND tinh");
        assert_eq!(c.id.as_ref().unwrap().as_str(), "107/KH-UBND");
        assert_eq!(c.doc_type, "Kế hoạch");
        assert_eq!(c.date.as_deref(), Some("2024-03-28"));
        assert_eq!(c.relation, Relation::ThucHien);
        let c = one("quan triet Nghi quyet so 25-NQ/TW ngay 03/6/2013");
        assert_eq!((c.doc_type.as_str(), c.date.as_deref()), ("Nghị quyết", Some("2013-06-03")));
        assert_eq!(one("thuc hien Chi thi so 05-CT/TW").doc_type, "Chỉ thị");
        let (all, _) = found("Hudéng dan s 02-HD/TU, Théng tri s 37-\nTT/TU ctia Ban Thuong vu");
        let got: Vec<(&str, &str, Option<&str>)> =
            all.iter().map(|c| (c.id.as_ref().unwrap().as_str(), c.doc_type.as_str(), c.issuer.as_deref())).collect();
        assert_eq!(got, [("02-HD/TU", "Hướng dẫn", Some("Tỉnh ủy")), ("37-TT/TU", "Thông tri", Some("Ban Thường vụ"))]);
    }

    #[test]
    fn numbers_that_cannot_exist_are_corrected_with_the_printed_form_kept() {
        let c = one("Căn cứ Quyết định số 45/0Đ-UBND ngày 12/3/2024 của UBND tỉnh;");
        assert_eq!(c.id.as_ref().unwrap().as_str(), "45/QĐ-UBND");
        assert_eq!(c.doc_type, "Quyết định");
        let fix = c.correction.as_ref().expect("a correction is recorded");
        assert_eq!(fix.printed, "45/0Đ-UBND");
        assert!(fix.confidence > 0.5 && fix.confidence < 1.0, "{fix:?}");
        let c = one("các Công văn số 87/HĐĐĐND-KTNS ngày 15/5/2024 của Thường trực HĐND tỉnh");
        assert_eq!(c.id.as_ref().unwrap().as_str(), "87/HĐND-KTNS");
        assert_eq!(c.correction.as_ref().unwrap().printed, "87/HĐĐĐND-KTNS");
        // A number that can exist as printed is left alone, and says nothing was corrected.
        let c = one("Căn cứ Kế hoạch số 107/KH-UBND ngày 28/3/2024 của UBND tỉnh;");
        assert_eq!((c.id.as_ref().unwrap().as_str(), c.correction.is_none()), ("107/KH-UBND", true));
    }

    #[test]
    fn a_type_the_number_contradicts_is_the_numbers_type() {
        let c = one("ban hành kèm theo Quy chế số 11-QĐ/TU ngày 02/3/2021 của Ban Thường vụ Tỉnh ủy");
        assert_eq!(c.doc_type, "Quyết định");
        // A Party Quy định is numbered N-QĐ/…: the phrase stands.
        assert_eq!(one("Quy định số 144-QĐ/TW ngày 09/5/2024 của Bộ Chính trị").doc_type, "Quy định");
    }

    #[test]
    fn an_issuer_ends_where_the_organ_ends() {
        for (text, want) in [
            ("Ngày 22/11/2023, tại Quyết định số 1456/QĐ-TTg ngày 22/11/2023 của Thủ tướng Chính phủ phê duyệt Quy hoạch tỉnh", "Thủ tướng Chính phủ"),
            ("theo Nghị định số 154/2020/NĐ-CP ngày 31/12/2020 của Chính phủ sửa đổi, bổ sung một số điều", "Chính phủ"),
            ("Chỉ thị số 11-CT/TW ngày 08/12/2021 của Ban Bí thư Trung ương bằng nhiều hình thức", "Ban Bí thư"),
            ("Kế hoạch số 23/KH-UBND ngày 30/01/2024 của Chủ tịch UBND tỉnh Tà soát", "Chủ tịch Ủy ban nhân dân tỉnh"),
            ("Nghị quyết số 27/2017/NQ-HĐND ngày 14/7/2017 của HĐND tỉnh Quảng Ngãi chính sách hỗ trợ", "Hội đồng nhân dân tỉnh Quảng Ngãi"),
            ("Thông tư số 05/2021/TT-BGDĐT ngày 12/3/2021 của Bộ trưởng Bộ Giáo dục và Đào tạo", "Bộ Giáo dục và Đào tạo"),
        ] {
            let (all, _) = found(text);
            let c = all.iter().find(|c| c.id.is_some()).unwrap();
            assert_eq!(c.issuer.as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn an_issuer_ocr_damaged_is_the_one_organ_it_is_nearest_to() {
        for (text, want) in [
            // A letter misread in the level ("ủy" read "lý"), with the next clause after a comma.
            ("Hướng dẫn số 07-HD/TU ngày 02/3/2023 của Ban Thường vụ Tỉnh lý, các huyện ủy triển khai", "Ban Thường vụ Tỉnh ủy"),
            // A stray colon inside the name, then the next clause.
            ("Quyết định số 1020/QĐ-TTg ngày 15/8/2022 của Thủ: tướng Chính phủ phê duyệt Đề án", "Thủ tướng Chính phủ"),
            // A glyph inside a word of the name, broken over two lines.
            ("Chỉ thị số 04/CT-UBND ngày 11/3/2023 của Ủy\nban nh@n dân huyện về phòng cháy", "Ủy ban nhân dân huyện"),
            // A capital misread ("Bộ" as "BG") in a ministry's name.
            ("Công văn số 880/BTNMT-TCMT ngày 20/2/2023 của BG Tài nguyên và Môi trường.", "Bộ Tài nguyên và Môi trường"),
        ] {
            let c = one(text);
            assert_eq!(c.issuer.as_deref(), Some(want), "{text}");
            assert!(c.review.is_empty(), "{text}: {:?}", c.review);
        }
        // The term after a damaged "Đảng" is kept as printed.
        let c = one("Nghị quyết số 29-NQ/TW ngày 04/11/2013 của Ban Chấp hành Trung ương Bằng khóa XI về đổi mới");
        assert_eq!(c.issuer.as_deref(), Some("Ban Chấp hành Trung ương Đảng khóa XI"), "{c:?}");
        // The organ that issued a document, named before "đã ban hành", damaged alike.
        let c = one("Ban Thường vụ Thành ly đã ban hành Kế hoạch số 12-KH/ThU ngày 10/7/2021.");
        assert_eq!(c.issuer.as_deref(), Some("Ban Thường vụ Thành ủy"), "{c:?}");
    }

    #[test]
    fn an_issuer_that_reads_as_no_words_is_not_stored_but_flagged() {
        // OCR's fragments of a name: what the code implies stays, and a person is asked.
        let c = one("Quyết định số 1011/QĐ-UBND ngày 20/4/2024 của Ủy ban nh về kiện toàn Tổ công tác.");
        assert_ne!(c.issuer.as_deref(), Some("Ủy ban nh"), "{c:?}");
        assert_eq!(c.review, ["issuer"], "{c:?}");
        // The subject after the illegible name is still read.
        assert_eq!(c.subject.as_deref(), Some("kiện toàn Tổ công tác"), "{c:?}");
        // A name the tables do not know, in Vietnamese words, is kept as printed.
        let c = one("Báo cáo số 101/BC-HĐND ngày 02/12/2021 của Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh về thẩm tra");
        assert_eq!(c.issuer.as_deref(), Some("Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh"), "{c:?}");
        assert!(c.review.is_empty(), "{c:?}");
    }

    #[test]
    fn the_second_document_an_organ_issued_in_one_clause_is_its_too() {
        let issuers = |text: &str| -> Vec<Option<String>> { found(text).0.iter().map(|c| c.issuer.clone()).collect() };
        let text = "Ban Thường vụ Huyện ủy đã ban hành Chỉ thị số 03-CT/HU ngày 10/8/2022 về tăng cường sự lãnh đạo của Đảng đối với công tác dân vận và Kế hoạch số 21-KH/HU ngày 21/11/2022 thực hiện Chỉ thị.";
        assert_eq!(issuers(text), [Some("Ban Thường vụ Huyện ủy".to_owned()), Some("Ban Thường vụ Huyện ủy".to_owned())]);
        // A document named inside the first one's subject is not the organ's by that.
        let text = "Ban Thường vụ Huyện ủy đã ban hành Chỉ thị số 03-CT/HU ngày 10/8/2022 về thực hiện Nghị quyết số 01-NQ/TW và Kế hoạch số 21-KH/HU ngày 21/11/2022.";
        assert_eq!(issuers(text)[2].as_deref(), Some("Huyện ủy"));
        // Nor one of another organ's code, nor one in the next sentence.
        let text = "Ban Thường vụ Huyện ủy đã ban hành Chỉ thị số 03-CT/HU ngày 10/8/2022 và Quyết định số 88/QĐ-UBND ngày 21/11/2022.";
        assert_ne!(issuers(text)[1].as_deref(), Some("Ban Thường vụ Huyện ủy"));
        let text = "Ban Thường vụ Huyện ủy đã ban hành Chỉ thị số 03-CT/HU ngày 10/8/2022. Sau đó, các xã và Kế hoạch số 21-KH/HU ngày 21/11/2022.";
        assert_eq!(issuers(text)[1].as_deref(), Some("Huyện ủy"));
    }

    #[test]
    fn a_citation_broken_across_lines_and_pages_reports_its_start() {
        let (all, _) = found("Trang một\u{0C}dòng một\ncủa Thông tri số 37-\nTT/TU cua Ban Thuong vu");
        let c = all.iter().find(|c| c.id.as_ref().is_some_and(|d| d.as_str() == "37-TT/TU")).unwrap();
        assert_eq!((c.page, c.line), (2, 2));
        assert_eq!(c.doc_type, "Thông tri");
        assert_eq!(c.raw, "Thông tri số 37-\nTT/TU");
    }

    #[test]
    fn a_known_number_printed_whole_is_kept_not_moved_to_a_neighbour() {
        // 58/2024/QH15 is known without a date, 56/2024/QH15 with this one: both laws of a day.
        let c = one("Căn cứ Luật Đầu tư công số 58/2024/QH15 ngày 29 tháng 11 năm 2024;");
        assert_eq!(c.id.as_ref().unwrap().as_str(), "58/2024/QH15");
        let k = c.correction.as_ref().expect("the neighbour is offered for review");
        assert!(k.needs_review && k.candidates.iter().any(|x| x == "56/2024/QH15"), "{k:?}");
    }

    #[test]
    fn a_known_number_after_a_stray_one_glyph_is_still_corrected() {
        // 02/2024/NĐ-CP is known without a date; the "]" is the 1 of 102/2024/NĐ-CP of 30/7/2024.
        let c = one("Căn cứ Nghị định số ] 02/2024/NĐ-CP ngày 30/7/2024 của Chính phủ;");
        assert_eq!(c.id.as_ref().unwrap().as_str(), "102/2024/NĐ-CP");
        assert!(glyph_before_number("số ] 02/2024/NĐ-CP ngày", "02/2024/NĐ-CP", "02"));
        assert!(!glyph_before_number("Luật số 58/2024/QH15 ngày", "Luật số 58/2024/QH15", "58"));
        assert!(!glyph_before_number("Hồ Chí Minh 02/2024/NĐ-CP", "02/2024/NĐ-CP", "02"));
    }

    #[test]
    fn laws_by_name_and_by_number() {
        let c = one("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;");
        assert_eq!(c.name.as_deref(), Some("Luật Tổ chức chính quyền địa phương"));
        assert_eq!(c.id, None);
        assert_eq!(c.date.as_deref(), Some("2015-06-19"));
        assert_eq!(c.issuer.as_deref(), Some("Quốc hội"));
        let c = one("Căn cứ Luật Đầu tư công số 58/2024/QH15;");
        assert_eq!(c.name.as_deref(), Some("Luật Đầu tư công"));
        assert_eq!(c.id.as_ref().unwrap().as_str(), "58/2024/QH15");
        assert_eq!(c.doc_type, "Luật");
        let c = one("Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15;");
        assert_eq!(c.name.as_deref(), Some("Luật Ban hành văn bản quy phạm pháp luật"));
        let c = one("Căn cứ Luật Phòng, chống tham nhũng ngày 20 tháng 11 năm 2018;");
        assert_eq!(c.name.as_deref(), Some("Luật Phòng, chống tham nhũng"));
        assert_eq!(one("thi hành Luật Phòng, chống thiên tai tại địa phương").name.as_deref(), Some("Luật Phòng, chống thiên tai"));
        // Without accents the folded form decides ("tai" may be "tại"): the name is cut short.
        // A name printed without accents takes the known law's spelling (laws.tsv).
        assert_eq!(one("thi hanh Luat Dat dai ngay 18/01/2024").name.as_deref(), Some("Luật Đất đai"));
        assert_eq!(one("theo Luật Quốc tịch Việt Nam năm 2008").name.as_deref(), Some("Luật Quốc tịch Việt Nam"));
        assert_eq!(one("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;").name.as_deref(), Some("Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"));
        let c = one("theo Hiến pháp năm 2013");
        assert_eq!((c.name.as_deref(), c.year), (Some("Hiến pháp"), Some(2013)));
        assert_eq!(one("thi hành Luật Ngân sách nhà nước và các văn bản").name.as_deref(), Some("Luật Ngân sách nhà nước"));
        assert_eq!(one("Bộ luật Tố tụng dân sự ban hành năm 2015").name.as_deref(), Some("Bộ luật Tố tụng dân sự"));
        assert!(found("tuân thủ Hiến pháp và pháp luật; LUẬT ĐẦU TƯ CÔNG").0.is_empty());
    }

    #[test]
    fn relations_follow_the_nearest_active_keyword() {
        let (all, _) = found(
            "Căn cứ Nghị định số 29/2025/NĐ-CP của Chính phủ đã được sửa đổi, bổ sung tại Nghị định số 166/2025/NĐ-CP;\n\
             Điều 2. Bãi bỏ Thông tư số 13/2016/TT-BNV.\n\
             Thông tư này sửa đổi, bổ sung Thông tư số 01/2011/TT-BNV.\n\
             Nghị định số 117/2017/NĐ-CP hết hiệu lực kể từ ngày Nghị định này có hiệu lực.",
        );
        let relation = |id: &str| all.iter().find(|c| c.id.as_ref().unwrap().as_str() == id).unwrap().relation;
        assert_eq!(relation("29/2025/NĐ-CP"), Relation::CanCu);
        assert_eq!(relation("166/2025/NĐ-CP"), Relation::CanCu);
        assert_eq!(relation("13/2016/TT-BNV"), Relation::BaiBo);
        assert_eq!(relation("01/2011/TT-BNV"), Relation::SuaDoi);
        assert_eq!(relation("117/2017/NĐ-CP"), Relation::BaiBo);
        // The amending law's title says what that law does, not what this document does.
        let (all, _) = found(
            "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 ngày 29/6/2024;\n\
             Căn cứ Nghị định số 154/2020/NĐ-CP ngày 31/12/2020 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 34/2016/NĐ-CP;",
        );
        let relation = |id: &str| all.iter().find(|c| c.id.as_ref().is_some_and(|i| i.as_str() == id)).unwrap().relation;
        assert_eq!(relation("31/2024/QH15"), Relation::CanCu);
        assert_eq!(relation("27/2023/QH15"), Relation::CanCu);
        assert_eq!(relation("154/2020/NĐ-CP"), Relation::CanCu);
        let c = one("tờ khai thực hiện theo quy định tại Điều 25 Nghị định số 08/2015/NĐ-CP.");
        assert_eq!(c.relation, Relation::Mention);
    }

    #[test]
    fn short_forms_are_collected_and_this_document_is_not() {
        let (all, shorts) = found("Triển khai Chỉ thị 33 và Nghị quyết số 18; Quyết định này có hiệu lực. Theo Luật Đầu tư 2024.");
        // A law's year is not a short form's number.
        let law: Vec<(Option<&str>, Option<u16>)> = all.iter().map(|c| (c.name.as_deref(), c.year)).collect();
        assert_eq!(law, [(Some("Luật Đầu tư"), Some(2024))]);
        let got: Vec<(&str, &str)> = shorts.iter().map(|s| (s.doc_type, s.number.as_str())).collect();
        assert_eq!(got, [("Chỉ thị", "33"), ("Nghị quyết", "18")]);
    }

    #[test]
    fn context_is_the_clause_around_the_citation() {
        let c = one("Mở đầu. Thực hiện Kế hoạch số 107/KH-UBND của UBND tỉnh; các phòng triển khai.");
        assert_eq!(c.context, "Thực hiện Kế hoạch số 107/KH-UBND của UBND tỉnh;");
    }

    #[test]
    fn numbers_in_a_list_take_the_lists_type() {
        let (all, _) = found("được sửa đổi, bổ sung bởi Luật số 03/2022/QH15, số 47/2024/QH15 và số 58/2024/QH15; Luật Tiêu chuẩn và quy chuẩn kỹ thuật số 68/2006/QH11");
        let got: Vec<(&str, &str)> = all.iter().map(|c| (c.id.as_ref().unwrap().as_str(), c.doc_type.as_str())).collect();
        assert_eq!(got, [("03/2022/QH15", "Luật"), ("47/2024/QH15", "Luật"), ("58/2024/QH15", "Luật"), ("68/2006/QH11", "Luật")]);
        assert_eq!(all[3].name.as_deref(), Some("Luật Tiêu chuẩn và quy chuẩn kỹ thuật"));
    }

    #[test]
    fn a_subject_ends_where_the_next_citation_starts() {
        let (all, _) = found("quán triệt Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương về “Tăng cường và\nKết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư");
        assert_eq!(all[0].subject.as_deref(), Some("Tăng cường"));
        assert_eq!(all[1].id.as_ref().unwrap().as_str(), "114-KL/TW");
    }

    #[test]
    fn form_numbers_are_not_citations() {
        let (all, _) = found("lập biên bản theo mẫu số 43/BB-VPHC và Mẫu 01/TP-HGTM ban hành kèm theo Thông tư số 01/2011/TT-BNV");
        let ids: Vec<&str> = all.iter().map(|c| c.id.as_ref().unwrap().as_str()).collect();
        assert_eq!(ids, ["01/2011/TT-BNV"]);
    }

    #[test]
    fn an_issuer_stops_at_a_heading_or_a_new_clause_on_the_next_line() {
        let (all, _) = found("Căn cứ Kế hoạch số 52/KH-UBND của Ủy ban nhân dân huyện\nGIÁM ĐỐC SỞ NỘI VỤ TỈNH GIA LAI\nCăn cứ");
        assert_eq!(all[0].issuer.as_deref(), Some("Ủy ban nhân dân huyện"));
        let (all, _) = found("PHƯƠNG ÁN\ntriển khai Chỉ thị số 09-CT/TU của Tỉnh ủy Gia Lai\n\nThực hiện Hướng dẫn số 3-HD/BTGTW");
        assert_eq!(all[0].issuer.as_deref(), Some("Tỉnh ủy Gia Lai"));
        let (all, _) = found("thực hiện Nghị quyết số 4-NQ/TU của Ban Chấp hành Đảng bộ tỉnh khóa XVI về cải cách hành chính;");
        assert_eq!(all[0].issuer.as_deref(), Some("Ban Chấp hành Đảng bộ tỉnh khóa XVI"));
    }

    #[test]
    fn a_subject_stops_where_the_main_clause_goes_on() {
        let (all, _) = found("Thực hiện Hướng dẫn số 7-HD/BTCTW ngày 02/4/2024 của Ban Tổ chức Trung ương về công tác phát triển đảng viên, Đảng ủy xã báo cáo như sau:");
        assert_eq!(all[0].subject.as_deref(), Some("công tác phát triển đảng viên"));
        let (all, _) = found("đã quán triệt Chỉ thị số 12-CT/TU của Tỉnh ủy về phòng, chống dịch bệnh đến 95% cán bộ, đảng viên.");
        assert_eq!(all[0].subject.as_deref(), Some("phòng, chống dịch bệnh"));
        let (all, _) = found("theo Thông tư số 05/2023/TT-BNV về chế độ báo cáo thống kê như sau:");
        assert_eq!(all[0].subject.as_deref(), Some("chế độ báo cáo thống kê"));
    }

    #[test]
    fn a_to_trinh_number_misread_by_ocr_is_still_a_to_trinh() {
        for misread in ["T1r", "TIr", "Tlr"] {
            let c = one(&format!("xét Tờ trình số 77/{misread}-STP ngày 02/5/2025 của Sở Tư pháp"));
            assert_eq!(c.id.as_ref().unwrap().as_str(), "77/TTr-STP", "{misread}");
            assert_eq!(c.doc_type, "Tờ trình");
        }
    }

    #[test]
    fn a_law_named_inside_a_subject_is_part_of_that_subject() {
        let (all, _) = found(
            "Căn cứ Luật Quy hoạch số 21/2017/QH14 ngày 24 tháng 11 năm 2017;\nCăn cứ Nghị định số 37/2019/NĐ-CP ngày 07 tháng 5 năm 2019 của Chính phủ quy định chi tiết thi hành một số điều của Luật Quy hoạch;",
        );
        let ids: Vec<String> = all.iter().map(|c| c.id.as_ref().map(|d| d.to_string()).unwrap_or_default()).collect();
        assert_eq!(ids, ["21/2017/QH14", "37/2019/NĐ-CP"]);
        assert_eq!(all[0].name.as_deref(), Some("Luật Quy hoạch"));
        assert_eq!(all[1].subject.as_deref(), Some("quy định chi tiết thi hành một số điều của Luật Quy hoạch"));
    }

    #[test]
    fn an_amending_law_is_one_citation_named_in_full() {
        let (all, _) = found(
            "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức ngày 25 tháng 11 năm 2019;",
        );
        assert_eq!(all.len(), 1, "{all:?}");
        let c = &all[0];
        assert_eq!(c.doc_type, "Luật");
        assert_eq!(c.name.as_deref(), Some("Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức"));
        assert_eq!(c.date.as_deref(), Some("2019-11-25"));
        assert_eq!(c.relation, Relation::CanCu);
    }

    #[test]
    fn an_amending_law_whose_doi_ocr_damaged_is_still_one_citation() {
        let (all, _) = found("Căn cứ Luật sửa\nđi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính\nquyền địa phương ngày 22/11/2019;");
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].name.as_deref(), Some("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương"));
        assert_eq!(all[0].date.as_deref(), Some("2019-11-22"));
        // "sửa chữa" opens no amending law.
        let (all, _) = found("Căn cứ Luật sửa chữa nhà ở ngày 1/1/2020;");
        assert!(all.iter().all(|c| c.name.as_deref().is_none_or(|n| !n.contains("bổ sung"))), "{all:?}");
    }

    #[test]
    fn a_speck_inside_a_laws_name_is_passed_over() {
        let (all, _) = found("theo quy định tại Điều 20 Luật Tổ chức chính quyền ‹ địa phương ngày 19/6/2015; Chủ tịch UBND tỉnh kính trình");
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].name.as_deref(), Some("Luật Tổ chức chính quyền địa phương"));
        assert_eq!(all[0].date.as_deref(), Some("2015-06-19"));
    }

    #[test]
    fn a_clause_that_opens_with_a_date_dates_its_one_document() {
        let (all, _) = found("Ngày 22/11/2023, Thủ tướng Chính phủ phê duyệt Quy hoạch tỉnh thời kỳ 2021-2030, tầm nhìn đến năm 2050 tại Quyết định số 1456/QĐ-TTg; nay đề nghị.");
        assert_eq!(all[0].date.as_deref(), Some("2023-11-22"));
        // Two documents after the date: neither takes it.
        let (all, _) = found("Ngày 05/3/2024, UBND tỉnh có Công văn số 12/UBND-KT gửi Sở theo Quyết định số 7/QĐ-UBND.");
        assert!(all.iter().all(|c| c.id.as_ref().unwrap().to_string() != "7/QĐ-UBND" || c.date.is_none()), "{all:?}");
    }

    #[test]
    fn a_name_joins_two_acronyms_with_va() {
        let (all, _) = found("Căn cứ Luật Tổ chức HĐND và UBND các cấp; Căn cứ Luật Đất đai và Luật Nhà ở;");
        let names: Vec<_> = all.iter().filter_map(|c| c.name.clone()).collect();
        assert_eq!(names, ["Luật Tổ chức HĐND và UBND", "Luật Đất đai", "Luật Nhà ở"]);
    }

    #[test]
    fn a_stray_full_stop_before_the_date_keeps_the_date() {
        let (all, _) = found("các Nghị định của Chính phủ số 88/CP. ngày 17/8/1994, số 60/CP. ngày 05/7/1994 về nhà ở. Ngày 12/5/1995 là ngày khác.");
        let dates: Vec<_> = all.iter().map(|c| (c.id.as_ref().unwrap().to_string(), c.date.clone())).collect();
        assert_eq!(dates, [("88/CP".to_owned(), Some("1994-08-17".to_owned())), ("60/CP".to_owned(), Some("1994-07-05".to_owned()))]);
    }

    #[test]
    fn a_law_name_legacy_ocr_damaged_is_the_known_law_with_its_printed_form_kept() {
        let c = one("Căn cứ Luat Can be, ceng chic ngày 13 tháng 11 năm 2008;");
        assert_eq!(c.name.as_deref(), Some("Luật Cán bộ, công chức"));
        let k = c.correction.as_ref().expect("the printed name is kept");
        assert_eq!(k.printed, "Luat Can be, ceng chic");
        assert_eq!(k.candidates, ["Luật Cán bộ, công chức", "Luat Can be, ceng chic"]);
        assert!(k.needs_review && k.confidence > 0.5, "{k:?}");
        // Inside an amending law's name, each amended law is read so.
        let c = one("Căn cứ Luat sia déi, bé sung mét sé diéu cia Luat T6 cht’c Chinh phi va Luat T6 chute chinh quyén dia phuong ngày 22 tháng 11 năm 2019;");
        assert_eq!(
            c.name.as_deref(),
            Some("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương")
        );
        assert!(c.correction.as_ref().is_some_and(|k| k.printed.contains("T6 cht’c")), "{c:#?}");
        // A name printed right carries no correction.
        assert!(one("Căn cứ Luật Viên chức ngày 15 tháng 11 năm 2010;").correction.is_none());
    }

    #[test]
    fn a_law_named_in_lower_case_is_cited_where_a_citations_words_stand_around_it() {
        let (all, _) = found("- Căn cứ Luật đất đai của Chủ tịch nước công bố ngày 24 /7/ 1993 và các\nNghị định dưới luật của Hội đồng Chính phủ số : 88/CP. ngày 17/8/1994");
        let law = &all[0];
        assert_eq!((law.name.as_deref(), law.date.as_deref()), (Some("Luật Đất đai"), Some("1993-07-24")), "{all:#?}");
        assert_eq!(law.relation, Relation::CanCu);
        assert_eq!(all[1].date.as_deref(), Some("1994-08-17"));
        assert_eq!(one("theo Luật ngân sách nhà nước năm 2015 và").name.as_deref(), Some("Luật Ngân sách nhà nước"));
        // A law spoken of, not cited: "Luật này", "của Luật hiện hành".
        assert!(found("Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025.").0.is_empty());
        assert!(found("phù hợp với các quy định của Luật hiện hành.").0.is_empty());
        // After a relation word only, a lower-case name must be one the tables know: "thi
        // hành Luật thống nhất" is the law just spoken of, carried out uniformly.
        assert!(found("Để bảo đảm việc thi hành Luật thống nhất, Bộ đề nghị như sau:").0.is_empty());
        assert!(found("De bao dam viec thi hanh Luat thong nhat, Bo de nghi nhu sau:").0.is_empty());
        assert_eq!(one("Căn cứ Luật đất đai;").name.as_deref(), Some("Luật Đất đai"));
    }

    #[test]
    fn a_unit_code_read_without_its_bar_takes_the_d_bar_of_the_units_name_in_the_text() {
        let text = "theo Công văn số 1854/BTNMT-QLDD ngày 18/3/2024. Báo cáo về Bộ (qua Cục Quản lý đất đai) trước ngày 15/12/2024.";
        let (all, _) = found(text);
        assert_eq!(all[0].id.as_ref().map(|d| d.as_str()), Some("1854/BTNMT-QLĐĐ"), "{all:#?}");
        assert_eq!(all[0].symbol.as_deref(), Some("BTNMT-QLĐĐ"));
        // No name in the text, or a name whose initials have no Đ: the code stays as printed.
        assert_eq!(one("theo Công văn số 1854/BTNMT-QLDD ngày 18/3/2024.").id.map(|d| d.to_string()).as_deref(), Some("1854/BTNMT-QLDD"));
        let (all, _) = found("theo Công văn số 1854/BTNMT-QLDD ngày 18/3/2024 (qua Quỹ Lâm Dương Dự).");
        assert_eq!(all[0].id.as_ref().map(|d| d.as_str()), Some("1854/BTNMT-QLDD"));
        // The issuer's own code is not a unit's: "QĐ-BGD" (Bộ Giáo dục) beside "Ban Giám đốc".
        let (all, _) = found("theo Quyết định số 31/2000/QĐ-BGD ngày 11/9/2000; Ban Giám đốc chịu trách nhiệm.");
        assert_eq!(all[0].id.as_ref().map(|d| d.as_str()), Some("31/2000/QĐ-BGD"));
        // Initials of running words are no unit's name ("cá nhân kinh doanh đăng ký").
        let (all, _) = found("theo Công văn số 12/UBND-CNKD ngày 2/3/2024 về cá nhân kinh đăng ký.");
        assert_eq!(all[0].id.as_ref().map(|d| d.as_str()), Some("12/UBND-CNKD"));
    }

    #[test]
    fn a_name_syllable_read_as_a_lone_digit_before_so_does_not_split_the_law_from_its_number() {
        // "Luật Nhà ở số 27/2023/QH15" read with ở as a 6: one citation, by its number.
        let (all, _) = found("sửa đổi Luat Dat dai s6 31/2024/QH15, Luat Nha 6 s6 27/2023/QH15;");
        let ids: Vec<_> = all.iter().map(|c| c.id.as_ref().map(|d| d.to_string())).collect();
        assert_eq!(ids, [Some("31/2024/QH15".to_owned()), Some("27/2023/QH15".to_owned())], "{all:#?}");
    }

    #[test]
    fn a_laws_date_of_passing_later_in_its_clause_is_its_date() {
        let c = one("- Căn cứ Luật Tổ chức HĐND và UBND các cấp đã được Quốc hội Nước\nCHXHCN Việt Nam thông qua ngày 21/6/1994.");
        assert_eq!((c.name.as_deref(), c.date.as_deref()), (Some("Luật Tổ chức HĐND và UBND"), Some("1994-06-21")));
        let c = one("Căn cứ Luật Đầu tư số 61/2020/QH14, được Quốc hội khóa XIV thông qua ngày 17/06/2020;");
        assert_eq!(c.date.as_deref(), Some("2020-06-17"));
        // Another document on the way: the date is that one's, not the law's.
        let (all, _) = found("Căn cứ Luật Đất đai và Nghị định số 43/2014/NĐ-CP được Chính phủ ban hành ngày 15/5/2014;");
        let dates: Vec<_> = all.iter().map(|c| c.date.as_deref()).collect();
        assert_eq!(dates, [None, Some("2014-05-15")]);
    }

    #[test]
    fn a_subject_of_ocr_garbage_is_left_empty_and_flagged() {
        let c = one("Quyết định số 735/QĐ-UBND ngày 14/11/2024 của UBND tỉnh về việc phân khat.iih phí mua xe ô tô, cụ thể:");
        assert_eq!((c.subject.as_deref(), c.review.as_slice()), (None, ["subject".to_owned()].as_slice()));
        let c = one("Quyết định số 734/QĐ-UBND ngày 14/11/2024 của UBND tỉnh về việc điều chỉnh dự toán chi năm 2024, cụ thể như sau:");
        assert_eq!(c.subject.as_deref(), Some("việc điều chỉnh dự toán chi năm 2024"));
        assert!(c.review.is_empty());
    }

    #[test]
    fn every_citation_has_the_same_json_keys() {
        let (all, _) = found("Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024; Căn cứ Nghị định số 102/2024/NĐ-CP;");
        let keys = |c: &Citation| serde_json::to_value(c).unwrap().as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&all[0]), keys(&all[1]));
        assert!(serde_json::to_value(&all[1]).unwrap().get("name").is_some_and(|v| v.is_null()));
    }
}
