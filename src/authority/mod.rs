//! What can exist: the document types and the codes their numbers carry, the state and Party
//! organs that issue them, the provinces, and the documents known to exist.
//!
//! Why a module of its own: a number read from a scan ("0Đ-UBND", "BVT", "HĐĐĐND") and an
//! issuer read from a header ("ỦY BAN NHÂN DÂN THÀNH PHÓ CÀN THƠ") can only be judged against
//! what Vietnamese administration actually has. The header (the document's own issuer and
//! type) and the citations (what it cites) both ask the same questions here:
//! - [`Authority::normalize_issuer`]: the organ a printed issuer names, in its canonical
//!   spelling ("Ủy ban nhân dân thành phố Cần Thơ");
//! - [`Authority::doc_type`]: the type a printed title or phrase names ("QUYẾT ĐỊNH");
//! - [`Authority::is_possible`]: whether a number can exist (its type code, issuer code,
//!   year, and that the type may come from that issuer), and why not;
//! - [`Authority::known`]: a document known to exist (national legal documents named in the
//!   legal corpus, and every document of the archive once [`Authority::add_known`] is fed).
//!
//! The data lives in `dictionaries/authority/` (see its README): three hand-written tables
//! with their sources (`doc_types.tsv`, `organs.tsv`, `places.tsv`) and two built by
//! `vanban dict authority` from the legal corpus and real scan headers (`codes.tsv`,
//! `documents.tsv`). [`Authority::builtin`] is the copy compiled into the binary, so that
//! pure text functions (`cite::extract`) need no folder; [`Authority::load`] reads a folder.

mod codes;
mod damaged;
pub mod laws;
mod organs;
mod tables;
pub mod build;

use anyhow::Result;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

pub use codes::{without_bracketed_unit, Possibility, SymbolParts};
pub use damaged::Damaged;
pub use organs::Organ;
pub use tables::{DocType, KnownDoc, OrganEntry, Place};

use crate::cite::DocId;

/// Sub-folder of the dictionaries folder that holds the authority tables.
pub const FOLDER: &str = "authority";

/// The tables, parsed, with lookups by folded code.
pub struct Authority {
    types: Vec<DocType>,
    organs: Vec<OrganEntry>,
    places: Vec<Place>,
    /// Folded upper code (`QD`, `HDND`) → indices into `types`.
    type_by_code: HashMap<String, Vec<usize>>,
    /// Folded upper code → indices into `organs`.
    organ_by_code: HashMap<String, Vec<usize>>,
    /// Issuer codes seen in real numbers (corpus, scan headers, archive), folded upper →
    /// how often; a code seen is possible even when no table names its organ.
    seen_codes: HashMap<String, u32>,
    /// Documents known to exist, by [`DocId::index_key`].
    documents: HashMap<String, KnownDoc>,
    /// Known documents by folded symbol and year (`TT-BYT|2024`) → their index keys, for
    /// the search of a number OCR damaged.
    by_symbol: HashMap<String, Vec<String>>,
    /// Folded issuer code → (spelling, name): the organs' codes and the Party units
    /// combined with their level (`BTCTU` → "BTCTU", "Ban Tổ chức Tỉnh ủy").
    issuer_codes: HashMap<String, (String, String)>,
    /// Names of laws, codes and ordinances cited in the legal corpus (`laws.tsv`).
    laws: laws::LawNames,
    /// The organ names as [`Authority::normalize_damaged_issuer`] matches them, made on first use.
    phrases: OnceLock<damaged::Phrases>,
}

impl Authority {
    /// Reads `dict_dir/authority/`. The three hand-written tables must be there; the built
    /// ones (`codes.tsv`, `documents.tsv`) may be absent (then nothing is known to exist
    /// beyond the tables). Errors name the file and the line.
    pub fn load(dict_dir: &Path) -> Result<Authority> {
        let dir = dict_dir.join(FOLDER);
        let read = |name: &str, required: bool| -> Result<Option<String>> {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(Some(text)),
                Err(err) if !required && err.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(err) => Err(anyhow::anyhow!("{}: {err}", path.display())),
            }
        };
        let sources = tables::Sources {
            doc_types: read("doc_types.tsv", true)?.unwrap_or_default(),
            organs: read("organs.tsv", true)?.unwrap_or_default(),
            places: read("places.tsv", true)?.unwrap_or_default(),
            codes: read("codes.tsv", false)?.unwrap_or_default(),
            documents: read("documents.tsv", false)?.unwrap_or_default(),
            laws: read("laws.tsv", false)?.unwrap_or_default(),
        };
        Authority::from_sources(&sources).map_err(|e| anyhow::anyhow!("{}: {e:#}", dir.display()))
    }

    /// [`Authority::load`], or the compiled-in tables when `dict_dir` has no `authority/`
    /// folder (a dictionaries folder made before it existed).
    pub fn load_or_builtin(dict_dir: &Path) -> Result<Authority> {
        if dict_dir.join(FOLDER).is_dir() {
            return Authority::load(dict_dir);
        }
        tracing::warn!("{}: no {FOLDER}/ folder; using the tables built into vanban", dict_dir.display());
        Authority::from_sources(&builtin_sources())
    }

    /// The tables of the source tree, compiled in. Parsed once.
    pub fn builtin() -> &'static Authority {
        static BUILTIN: OnceLock<Authority> = OnceLock::new();
        BUILTIN.get_or_init(|| Authority::from_sources(&builtin_sources()).expect("the compiled-in authority tables parse (checked by tests)"))
    }

    /// The compiled-in tables without the law names: what `vanban dict authority` reads the
    /// corpus with, so that the names it harvests are the corpus's, not the table's.
    pub(crate) fn builtin_without_laws() -> Authority {
        let sources = tables::Sources { laws: String::new(), ..builtin_sources() };
        Authority::from_sources(&sources).expect("the compiled-in authority tables parse (checked by tests)")
    }

    /// The known name of a law, code or ordinance cited by `printed` name (see [`laws`]):
    /// folded alike, a letter or two away, or the one clearly likeliest reading of a name
    /// OCR damaged.
    pub fn law_name(&self, printed: &str) -> Option<&str> {
        match self.laws.read(printed)? {
            laws::LawReading::Known(name) | laws::LawReading::Damaged { name, .. } => Some(name),
            laws::LawReading::Unsure(_) => None,
        }
    }

    /// What `printed` names among the known laws, and how sure ([`laws::LawNames::read`]).
    pub fn read_law_name(&self, printed: &str) -> Option<laws::LawReading<'_>> {
        self.laws.read(printed)
    }

    fn from_sources(sources: &tables::Sources) -> Result<Authority> {
        let types = tables::parse_types(&sources.doc_types)?;
        let organs = tables::parse_organs(&sources.organs)?;
        let places = tables::parse_places(&sources.places)?;
        let seen_codes = tables::parse_codes(&sources.codes)?;
        let documents = tables::parse_documents(&sources.documents)?;
        let mut type_by_code: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in types.iter().enumerate() {
            if let Some(code) = &t.code {
                type_by_code.entry(fold_code(code)).or_default().push(i);
            }
        }
        let mut organ_by_code: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, o) in organs.iter().enumerate() {
            if let Some(code) = &o.code {
                organ_by_code.entry(fold_code(code)).or_default().push(i);
            }
        }
        let mut issuer_codes: HashMap<String, (String, String)> = HashMap::new();
        for o in &organs {
            if let Some(code) = &o.code {
                issuer_codes.entry(fold_code(code)).or_insert_with(|| (code.clone(), o.name.clone()));
            }
        }
        for unit in organs.iter().filter(|o| o.class == "party-unit") {
            for level in organs.iter().filter(|o| o.class == "party-level" || o.code.as_deref() == Some("TW")) {
                let (Some(u), Some(l)) = (&unit.code, &level.code) else { continue };
                let level_name = if l == "TW" { "Trung ương" } else { level.name.as_str() };
                issuer_codes.entry(fold_code(&format!("{u}{l}"))).or_insert_with(|| (format!("{u}{l}"), format!("{} {level_name}", unit.name)));
            }
        }
        let mut authority = Authority {
            types,
            organs,
            places,
            type_by_code,
            organ_by_code,
            seen_codes,
            documents: HashMap::new(),
            by_symbol: HashMap::new(),
            issuer_codes,
            laws: laws::LawNames::parse(&sources.laws),
            phrases: OnceLock::new(),
        };
        for doc in documents {
            authority.insert_known(doc);
        }
        Ok(authority)
    }

    fn insert_known(&mut self, doc: KnownDoc) {
        let key = doc.id.index_key();
        if !self.documents.contains_key(&key) {
            self.by_symbol.entry(symbol_key(&doc.id)).or_default().push(key.clone());
        }
        match self.documents.get_mut(&key) {
            Some(entry) => {
                entry.doc_type = entry.doc_type.take().or(doc.doc_type);
                entry.date = entry.date.take().or(doc.date);
                entry.issuer = entry.issuer.take().or(doc.issuer);
                entry.seen += doc.seen.max(1);
            }
            None => {
                self.documents.insert(key, doc);
            }
        }
    }

    /// Known documents with the same symbol and year as `id` (`TT-BYT` of 2024), whatever
    /// their number.
    pub fn known_with_symbol(&self, id: &DocId) -> impl Iterator<Item = &KnownDoc> {
        self.by_symbol.get(&symbol_key(id)).into_iter().flatten().filter_map(|k| self.documents.get(k))
    }

    /// Known documents of `symbol` (folded like [`DocId::index_key`]) and `year`.
    pub fn known_with(&self, symbol: &str, year: Option<u16>) -> impl Iterator<Item = &KnownDoc> {
        let key = format!("{}|{}", fold_code(symbol), year.map(|y| y.to_string()).unwrap_or_default());
        self.by_symbol.get(&key).into_iter().flatten().filter_map(|k| self.documents.get(k))
    }

    /// An issuer code's official spelling and the organ it names (`TTG` → "TTg", "Thủ tướng
    /// Chính phủ"; `BTCTU` → "Ban Tổ chức Tỉnh ủy"); term digits are the caller's.
    pub fn issuer_code(&self, folded_upper: &str) -> Option<(&str, &str)> {
        self.issuer_codes.get(folded_upper).map(|(spelling, name)| (spelling.as_str(), name.as_str()))
    }

    /// True when a code with exactly this spelling exists (type or issuer): `HĐ` and `HD`
    /// fold alike but are different codes.
    pub fn has_code_spelling(&self, spelling: &str) -> bool {
        let folded = fold_code(spelling);
        self.types_of_code(&folded).any(|t| t.code.as_deref() == Some(spelling))
            || self.organs_of_code(&folded).any(|o| o.code.as_deref() == Some(spelling))
            || self.issuer_code(&folded).is_some_and(|(s, _)| s == spelling)
    }

    /// "FTg", "TTe": a code cased like one of the few codes spelled with a small letter
    /// (TTg, TTr, CTr …), the small letters the same, one capital another: such a code is
    /// that one with a capital misread (no office invents a code so cased). So is one with a
    /// stray capital among its capitals ("TTEg": a speck of the print read as E). The
    /// tables' own spellings are not misread ones.
    pub fn misread_mixed_case(&self, printed: &str) -> bool {
        // (Most codes are all capitals: answered without a look at the tables.)
        if !printed.chars().any(|c| c.is_ascii_lowercase()) || !printed.chars().all(|c| c.is_ascii_alphabetic()) || self.has_code_spelling(printed) {
            return false;
        }
        let codes = self.types.iter().filter_map(|t| t.code.as_deref()).chain(self.organs.iter().filter_map(|o| o.code.as_deref()));
        codes.filter(|code| code.is_ascii() && code.chars().any(|c| c.is_ascii_lowercase())).any(|code| {
            let head = code.trim_end_matches(|c: char| c.is_ascii_lowercase()).len();
            let printed_head = printed.trim_end_matches(|c: char| c.is_ascii_lowercase()).len();
            let same_tail = head > 0 && code[head..] == printed[printed_head..] && printed[..printed_head].chars().all(|c| c.is_ascii_uppercase());
            let one_misread = printed_head == head && code[..head].chars().zip(printed[..head].chars()).filter(|(a, b)| a != b).count() == 1;
            let one_stray = printed_head == head + 1 && (0..printed_head).any(|k| printed[..k].to_owned() + &printed[k + 1..printed_head] == code[..head]);
            same_tail && (one_misread || one_stray)
        })
    }

    /// The document types (Decree 30/2020, the law on legal documents, Party rules).
    pub fn types(&self) -> &[DocType] {
        &self.types
    }

    /// Every organ of the table.
    pub fn organs(&self) -> &[OrganEntry] {
        &self.organs
    }

    /// The provinces and centrally-run cities, before and after the 2025 mergers.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The types a code may stand for (`QĐ` → Quyết định; `TT` → Thông tư and Thông tri).
    pub fn types_of_code(&self, code: &str) -> impl Iterator<Item = &DocType> {
        self.type_by_code.get(&fold_code(code)).into_iter().flatten().map(|&i| &self.types[i])
    }

    /// The organs a code may stand for (`BYT` → Bộ Y tế; `VP` → a state or a Party office).
    pub fn organs_of_code(&self, code: &str) -> impl Iterator<Item = &OrganEntry> {
        self.organ_by_code.get(&fold_code(code)).into_iter().flatten().map(|&i| &self.organs[i])
    }

    /// How often an issuer code was seen in real numbers (corpus, scan headers, archive).
    pub fn times_seen(&self, code: &str) -> u32 {
        self.seen_codes.get(&fold_code(code)).copied().unwrap_or(0)
    }

    /// A document known to exist, by any spelling of its number.
    pub fn known(&self, id: &DocId) -> Option<&KnownDoc> {
        self.documents.get(&id.index_key())
    }

    /// Every known document (for candidate search).
    pub fn known_documents(&self) -> impl Iterator<Item = &KnownDoc> {
        self.documents.values()
    }

    /// Adds documents that exist (the archive's own records, what they cite in clean text)
    /// and counts their issuer codes as seen. A document already known keeps the fields it
    /// has and takes the ones it lacks.
    pub fn add_known(&mut self, docs: impl IntoIterator<Item = KnownDoc>) {
        for doc in docs {
            // A number that cannot exist (an own number OCR damaged) is not a document.
            if self.is_possible(&doc.id).is_impossible() {
                continue;
            }
            if let Some(code) = self.parts(&doc.id).issuer_key() {
                *self.seen_codes.entry(code).or_default() += 1;
            }
            self.insert_known(doc);
        }
    }

    /// The type a printed phrase names ("QUYẾT ĐỊNH", "Nghi quyet", "Thông tư liên tịch"):
    /// the whole phrase, diacritics and case aside.
    pub fn doc_type(&self, phrase: &str) -> Option<&DocType> {
        let folded = fold_words(phrase);
        self.types.iter().find(|t| fold_words(&t.name) == folded)
    }
}

fn builtin_sources() -> tables::Sources {
    tables::Sources {
        doc_types: include_str!("../../dictionaries/authority/doc_types.tsv").to_owned(),
        organs: include_str!("../../dictionaries/authority/organs.tsv").to_owned(),
        places: include_str!("../../dictionaries/authority/places.tsv").to_owned(),
        codes: include_str!("../../dictionaries/authority/codes.tsv").to_owned(),
        documents: include_str!("../../dictionaries/authority/documents.tsv").to_owned(),
        laws: include_str!("../../dictionaries/authority/laws.tsv").to_owned(),
    }
}

/// The key of [`Authority::known_with_symbol`]: folded symbol and year.
fn symbol_key(id: &DocId) -> String {
    format!("{}|{}", fold_code(id.symbol()), id.year().map(|y| y.to_string()).unwrap_or_default())
}

/// A code folded for lookups: upper case, no diacritics, Đ and Icelandic Ð → D.
pub fn fold_code(code: &str) -> String {
    code.chars().map(crate::cite::clean::fold_char).collect::<String>().to_uppercase()
}

/// Words folded (no diacritics, lower case) and joined by one space.
pub(crate) fn fold_words(text: &str) -> String {
    let folded: String = text.chars().map(crate::cite::clean::fold_char).collect();
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> std::path::PathBuf {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dictionaries")
    }

    #[test]
    fn the_compiled_in_tables_are_the_folder_tables() {
        let loaded = Authority::load(&dict()).unwrap();
        let builtin = Authority::builtin();
        assert_eq!(loaded.types().len(), builtin.types().len());
        assert_eq!(loaded.organs().len(), builtin.organs().len());
        assert_eq!(loaded.places().len(), builtin.places().len());
        assert_eq!(loaded.documents.len(), builtin.documents.len());
    }

    #[test]
    fn a_missing_table_is_an_error_naming_the_file() {
        let empty = tempfile::tempdir().unwrap();
        let err = Authority::load(empty.path()).err().expect("no tables there").to_string();
        assert!(err.contains("doc_types.tsv"), "{err}");
    }

    #[test]
    fn places_count_the_34_units_of_2025_and_the_63_before() {
        let a = Authority::builtin();
        let current = a.places().iter().filter(|p| p.merged_into.is_none() && p.until.is_none()).count();
        assert_eq!(current, 34);
        // The 63 provincial units of 2008–2024: every unit but Hà Tây (gone in 2008) and Huế
        // (a city only from 2025; before, Thừa Thiên Huế).
        let before = a.places().iter().filter(|p| p.until != Some(2008) && p.name != "Huế").count();
        assert_eq!(before, 63);
    }

    #[test]
    fn a_capital_misread_in_a_code_with_small_letters_is_told_apart() {
        let a = Authority::builtin();
        assert!(a.misread_mixed_case("FTg"));
        assert!(a.misread_mixed_case("TIr"));
        // A stray capital among the capitals (a speck read as E).
        assert!(a.misread_mixed_case("TTEg"));
        assert!(!a.misread_mixed_case("TTEEg"));
        // The real spellings, other small letters, other lengths, all capitals: not so.
        assert!(!a.misread_mixed_case("TTg"));
        assert!(!a.misread_mixed_case("TTy"));
        assert!(!a.misread_mixed_case("FTgx"));
        assert!(!a.misread_mixed_case("FTG"));
    }

    #[test]
    fn types_by_phrase_and_by_code() {
        let a = Authority::builtin();
        assert_eq!(a.doc_type("QUYẾT ĐỊNH").map(|t| t.name.as_str()), Some("Quyết định"));
        assert_eq!(a.doc_type("Thong tu lien tich").map(|t| t.name.as_str()), Some("Thông tư liên tịch"));
        assert_eq!(a.doc_type("QUYẾT"), None);
        let tt: Vec<&str> = a.types_of_code("TT").map(|t| t.name.as_str()).collect();
        assert_eq!(tt, ["Thông tư", "Thông tri"]);
        assert_eq!(a.types_of_code("qd").next().map(|t| t.name.as_str()), Some("Quyết định"));
    }
}
