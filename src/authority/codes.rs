//! The grammar of what a document number can be: the parts of its symbol, and whether
//! each can exist and they go together.
//!
//! Three numbering systems (see `doc_types.tsv` for the sources):
//! - Party: `N-TYPE/ORGAN` (`25-NQ/TW`, `09-CTr/HU`), the organ a Party organ (`TW`, `TU`) or a
//!   Party unit of one (`BTCTW` = Ban Tổ chức + Trung ương, `VPTU` = Văn phòng + Tỉnh ủy);
//! - state: `N/TYPE-ORGAN[-UNIT…]` (`107/KH-UBND`), or `N/ORGAN-UNIT` for a letter without
//!   a type code (`87/HĐND-KTNS`, `3456/UBND-KSTT`);
//! - legal (normative): `N/YEAR/TYPE-ORGAN` (`30/2020/NĐ-CP`) or `N/YEAR/QHnn` for laws.

use super::{fold_code, Authority};
use crate::cite::DocId;

/// A document number split into what its grammar names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolParts {
    pub number: String,
    pub year: Option<u16>,
    /// Party numbering (`N-TYPE/ORGAN`).
    pub party: bool,
    /// The type code, when the symbol opens with one (`QĐ`, `NQ`).
    pub kind: Option<String>,
    /// The issuer code and the unit codes after it (`["HĐND", "KTNS"]`; a joint circular's
    /// issuers `["BTC", "BNV"]`).
    pub issuer: Vec<String>,
}

impl SymbolParts {
    /// Splits `id`, with `authority` deciding whether the first code is a type code.
    pub fn split(id: &DocId, authority: &Authority) -> SymbolParts {
        let mut codes: Vec<String> = id.symbol().split(['-', '/']).filter(|p| !p.is_empty()).map(str::to_owned).collect();
        let party = id.is_party();
        let system = if party { "party" } else { "" };
        let is_type = |code: &str| authority.types_of_code(code).any(|t| system.is_empty() || t.in_system(system));
        // A Party number's first code is its type code, known or not (N-TYPE/ORGAN).
        let kind = if !codes.is_empty() && (party && codes.len() > 1 || codes.len() > 1 && is_type(&codes[0])) { Some(codes.remove(0)) } else { None };
        SymbolParts { number: id.number().to_owned(), year: id.year(), party, kind, issuer: codes }
    }

    /// The issuer code without its term or committee digits, folded: `QH15` → "QH".
    pub fn issuer_key(&self) -> Option<String> {
        let code = fold_code(self.issuer.first()?);
        Some(code.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned())
    }
}

/// What the grammar and the list of known documents say about a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Possibility {
    /// A document known to exist.
    Known,
    /// Every code exists and they go together.
    Possible,
    /// Nothing contradicts it, but something is rare (a code never seen, a year on a
    /// document type that does not carry one); the reason says what.
    Unusual(String),
    /// It cannot exist; the reason says why.
    Impossible(String),
}

impl Possibility {
    pub fn is_impossible(&self) -> bool {
        matches!(self, Possibility::Impossible(_))
    }
}

/// The latest year a number may carry: next year (documents are numbered ahead at year end).
fn latest_year() -> u16 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    (1970 + secs / 31_556_952) as u16 + 1
}

/// Years each National Assembly term sat (term → first and last year).
fn assembly_term(term: u16) -> Option<(u16, u16)> {
    // Terms I–VI are irregular; from VII (1981) every term is five years, XI from 2002.
    let start = match term {
        1 => 1946,
        2 => 1960,
        3 => 1964,
        4 => 1971,
        5 => 1975,
        6 => 1976,
        7 => 1981,
        8 => 1987,
        9 => 1992,
        10 => 1997,
        11..=20 => 2002 + 5 * (term - 11) - (term >= 13) as u16,
        _ => return None,
    };
    // XIII (2011) and XV (2021) started a year early or late: allow a year either side.
    Some((start.saturating_sub(1), start + 6))
}

/// Checks the shape of one code: letters of the code alphabet, and digits anywhere but at
/// the start (term and committee numbers: `QH15`, `BCĐ389QN`). Returns why it cannot be a code.
fn shape_error(code: &str) -> Option<String> {
    let code = without_bracketed_unit(code);
    let mut d_run = 0;
    for c in code.chars() {
        if c.is_ascii_digit() {
            continue;
        }
        if !c.is_alphabetic() {
            return Some(format!("\"{c}\" is not a letter of any code"));
        }
        if !(c.is_ascii_alphabetic() || matches!(c, 'Đ' | 'đ')) {
            return Some(format!("\"{c}\" is not a letter of any code"));
        }
        d_run = if matches!(c, 'Đ' | 'đ') { d_run + 1 } else { 0 };
        if d_run >= 3 {
            return Some(format!("three Đ in a row in {code}"));
        }
    }
    if code.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("the code {code} starts with a digit"));
    }
    None
}

/// A code without the unit's code glued to it in brackets ("TM(CSKT)" → "TM"): the
/// brackets are part of how some offices number (see `cite::docid`), not OCR damage.
pub fn without_bracketed_unit(code: &str) -> &str {
    match code.strip_suffix(')').and_then(|c| c.split_once('(')) {
        Some((head, unit)) if !head.is_empty() && !unit.is_empty() && unit.chars().all(|c| c.is_alphanumeric()) => head,
        _ => code,
    }
}

impl Authority {
    /// The parts of `id` by this authority's type codes.
    pub fn parts(&self, id: &DocId) -> SymbolParts {
        SymbolParts::split(id, self)
    }

    /// Whether `id` can exist: [`Possibility::Known`] when it is in the list of known
    /// documents, else what the grammar says of its codes, year and type–issuer pair.
    pub fn is_possible(&self, id: &DocId) -> Possibility {
        let grammar = self.grammar(id);
        if self.known(id).is_some() && !grammar.is_impossible() {
            return Possibility::Known;
        }
        grammar
    }

    fn grammar(&self, id: &DocId) -> Possibility {
        let parts = self.parts(id);
        let number: String = parts.number.chars().filter(char::is_ascii_digit).collect();
        if number.is_empty() || number.chars().all(|c| c == '0') {
            return Possibility::Impossible(format!("number {} is not a document number", parts.number));
        }
        if let Some(year) = parts.year {
            if !(1945..=latest_year()).contains(&year) {
                return Possibility::Impossible(format!("year {year}"));
            }
        }
        for code in parts.kind.iter().chain(&parts.issuer) {
            if let Some(why) = shape_error(code) {
                return Possibility::Impossible(why);
            }
            if self.misread_mixed_case(code) {
                return Possibility::Impossible(format!("no code is spelled {code} (small letters only in codes such as TTg, TTr)"));
            }
        }
        let Some(first) = parts.issuer.first() else {
            return Possibility::Impossible("no issuer code".to_owned());
        };
        if parts.party {
            return self.party_grammar(&parts, first);
        }
        // An issuer code with digits: only the assembly's term (QH15) and numbered
        // committees (BCĐ138) carry them.
        let issuer_key = parts.issuer_key().unwrap_or_default();
        let digits: String = first.chars().skip_while(|c| !c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            // Any other digit in an issuer code is a letter misread ("BC1" for BCT, "U8"
            // for UB, "N0" for NQ): no organ's code carries one.
            let numbered = matches!(issuer_key.as_str(), "QH" | "UBTVQH") || self.organs_of_code(&issuer_key).any(|o| o.class == "committee");
            if !numbered && self.times_seen(first) == 0 {
                return Possibility::Impossible(format!("a digit in the issuer code {first}"));
            }
            if matches!(issuer_key.as_str(), "QH" | "UBTVQH") {
                let term: u16 = digits.parse().unwrap_or(0);
                let Some((from, to)) = assembly_term(term) else {
                    return Possibility::Impossible(format!("no National Assembly term {term}"));
                };
                if let Some(year) = parts.year.filter(|y| !(from..=to).contains(y)) {
                    return Possibility::Impossible(format!("term {term} of the National Assembly did not sit in {year}"));
                }
            }
        }
        let organs: Vec<_> = self.organs_of_code(&issuer_key).filter(|o| !matches!(o.class.as_str(), "unit" | "party-unit" | "party-level")).collect();
        let party_organ = self.organs_of_code(&issuer_key).any(|o| o.is_party()) || self.party_code(&issuer_key);
        if let Some(kind) = &parts.kind {
            let types: Vec<_> = self.types_of_code(kind).filter(|t| t.in_system("state") || t.in_system("legal")).collect();
            if types.is_empty() {
                return Possibility::Impossible(format!("{kind} is not a type code of state documents"));
            }
            if !organs.is_empty() && !types.iter().any(|t| organs.iter().any(|o| t.issued_by(&o.class))) {
                let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
                return Possibility::Impossible(format!("{} is not issued by {}", names.join("/"), organs[0].name));
            }
            if parts.year.is_some() && !types.iter().any(|t| t.in_system("legal")) {
                return Possibility::Unusual(format!("a {} number with a year", types[0].name));
            }
        }
        if organs.is_empty() {
            if party_organ && self.times_seen(&issuer_key) == 0 {
                return Possibility::Unusual(format!("{first} is a Party organ in a state number"));
            }
            if self.times_seen(&issuer_key) == 0 {
                return Possibility::Unusual(format!("issuer code {first} never seen"));
            }
        }
        Possibility::Possible
    }

    fn party_grammar(&self, parts: &SymbolParts, organ: &str) -> Possibility {
        let Some(kind) = &parts.kind else {
            return Possibility::Impossible("a Party number without a type code".to_owned());
        };
        if !self.types_of_code(kind).any(|t| t.in_system("party")) {
            return Possibility::Impossible(format!("{kind} is not a type code of Party documents"));
        }
        if parts.year.is_some() {
            return Possibility::Impossible("Party numbers carry no year".to_owned());
        }
        let key = fold_code(organ);
        if self.party_code(&key) {
            return Possibility::Possible;
        }
        if self.organs_of_code(&key).any(|o| !o.is_party() && o.class != "unit") {
            return Possibility::Impossible(format!("{organ} is a state organ, not a Party one"));
        }
        if self.times_seen(&key) > 0 {
            return Possibility::Possible;
        }
        Possibility::Unusual(format!("Party organ code {organ} never seen"))
    }

    /// A Party organ code (folded upper): a central organ (`TW`, `BTCTW`), a level (`TU`,
    /// `HU`), or a unit of one (`BTC` + `TU`, `VP` + `HU`, `UBKT` + `ĐU`).
    pub fn is_party_code(&self, folded: &str) -> bool {
        self.party_code(folded)
    }

    fn party_code(&self, folded: &str) -> bool {
        let is = |code: &str, class: &str| self.organs_of_code(code).any(|o| o.class == class);
        if is(folded, "party-central") || is(folded, "party-level") {
            return true;
        }
        // A Party unit of a level (BTC + TU), or a central steering committee numbered in
        // the Party's way ("01-KH/BCĐTW": Ban Chỉ đạo Trung ương).
        (1..folded.len()).filter(|&i| folded.is_char_boundary(i)).any(|i| {
            let (unit, level) = folded.split_at(i);
            is(unit, "party-unit") && (is(level, "party-level") || level == "TW") || is(unit, "committee") && level == "TW"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(id: &str) -> Possibility {
        let id = DocId::parse(id).unwrap_or_else(|| panic!("{id} parses"));
        Authority::builtin().is_possible(&id)
    }

    fn possible(id: &str) -> bool {
        matches!(check(id), Possibility::Possible | Possibility::Known)
    }

    #[test]
    fn real_numbers_of_every_system_are_possible() {
        for id in [
            "25-NQ/TW", "09-CTr/HU", "26-HD/BTCTW", "12-QĐ/VPTU", "107/KH-UBND", "33/CT-TTg", "30/2020/NĐ-CP", "01/2023/TT-VPCP",
            "58/2024/QH15", "35/2023/UBTVQH15", "87/HĐND-KTNS", "3456/UBND-KSTT", "01/2020/TTLT-BTC-BNV", "04/QĐ-BCĐ138",
            "7603/TTr-HĐTĐ", "4039/STC-HCSN", "1747/QĐ-BGTVT", "57/2024/TT-BYT", "12/2019/QĐ-UBND",
        ] {
            assert!(possible(id), "{id}: {:?}", check(id));
        }
    }

    #[test]
    fn numbers_no_office_could_print_are_impossible() {
        for (id, why) in [
            ("5/2020/NĐ-UBND", "Nghị định"),
            ("5/2020/TT-UBND", "Thông tư"),
            ("5-NQ/UBND", "state organ"),
            ("5/2024/QH13", "term 13"),
            ("5/2099/NĐ-CP", "year"),
            ("00/QĐ-UBND", "number"),
            ("12/KH-SC1", "digit"),
            ("12/N0-QH", "digit"),
        ] {
            match check(id) {
                Possibility::Impossible(reason) => assert!(reason.contains(why), "{id}: {reason}"),
                other => panic!("{id}: {other:?}"),
            }
        }
    }

    #[test]
    fn an_unknown_issuer_code_is_unusual_not_impossible() {
        assert!(matches!(check("12/QĐ-XYZW"), Possibility::Unusual(_)), "{:?}", check("12/QĐ-XYZW"));
    }

    #[test]
    fn parts_name_the_type_and_the_issuer() {
        let a = Authority::builtin();
        let p = a.parts(&DocId::parse("87/HĐND-KTNS").unwrap());
        assert_eq!((p.kind, p.issuer), (None, vec!["HĐND".to_owned(), "KTNS".to_owned()]));
        let p = a.parts(&DocId::parse("30/2020/NĐ-CP").unwrap());
        assert_eq!((p.kind.as_deref(), p.year, p.issuer_key().as_deref()), (Some("NĐ"), Some(2020), Some("CP")));
        let p = a.parts(&DocId::parse("09-CTr/HU").unwrap());
        assert_eq!((p.party, p.kind.as_deref()), (true, Some("CTr")));
    }
}
