//! The signer's name weighed once the record is assembled, when the page's words (with
//! Tesseract's confidences) and the OCR stage's notes are at hand: the text reader
//! (`crate::cite::meta`) sees only the text, in which a name read with confidence 95 and
//! one read at 40, or one read only by the second reading of the signature area, look
//! alike.
//!
//! A name is stored as sure only when every syllable was read with confidence by the
//! page's own reading and each is a common name syllable or has no commoner twin under
//! another tone mark. Otherwise it is flagged ([`flag::signer_unsure`]) with its candidates:
//! "prefer unsure to wrong". A name the second reading gave only below the confidence of
//! print is stored too, flagged, rather than nothing.

use crate::cite::meta as surname;
use crate::cite::{flag, DocumentMeta};
use crate::record::{OcrWord, Page};
use crate::viet::{fold, Casing, Syllable};

/// Reason of the note the OCR stage leaves for each line that the second reading of the
/// signature area put into the page's text (`crate::ocr` engine, `assemble_rereading`).
pub const REREAD_KEPT: &str = "đọc lại vùng chữ ký (lần đọc thứ hai, một khối): dòng được đưa vào văn bản";
/// Reason of the note for a name-shaped line of that reading read below the confidence of
/// print: not in the text.
pub const REREAD_UNSURE: &str = "đọc lại vùng chữ ký (lần đọc thứ hai, một khối): chữ đọc không chắc, không đưa vào văn bản";

/// A syllable of the name read with less confidence than this is not sure.
const NAME_CONFIDENCE: f32 = 60.0;
/// Candidates listed at most (the combinations of several doubtful syllables).
const MAX_CANDIDATES: usize = 6;

/// Flags the signer's name of `meta` when it is not sure, with its candidates, or stores
/// an unsure name the second reading of the signature area gave when none was read.
pub fn review(meta: &mut DocumentMeta, pages: &[Page]) {
    match meta.signer.clone() {
        Some(name) => review_read(meta, &name, pages),
        None => from_unsure_reread(meta, pages),
    }
}

/// The words of a name, punctuation off.
fn name_words(text: &str) -> Vec<String> {
    text.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_owned()).filter(|w| !w.is_empty()).collect()
}

fn folded(word: &str) -> String {
    fold(&word.to_lowercase())
}

/// Whether `line` holds `given` (folded words) in a row.
fn holds(line: &[String], given: &[String]) -> bool {
    !given.is_empty() && line.windows(given.len()).any(|w| w.iter().map(|x| folded(x)).eq(given.iter().cloned()))
}

/// The page's words that read the name: its given names matched (marks aside, as repair
/// may have changed them) in a row, with the word before them when the name has a
/// surname read on the same line. The last such place in the document.
fn words_of<'a>(name: &[String], pages: &'a [Page]) -> Option<Vec<&'a OcrWord>> {
    let given: Vec<String> = name[1..].iter().map(|w| folded(w)).collect();
    for page in pages.iter().rev() {
        let words = &page.words;
        for start in (0..words.len().saturating_sub(given.len() - 1)).rev() {
            let run = &words[start..start + given.len()];
            let same = run.iter().zip(&given).all(|(w, g)| folded(w.text.trim_matches(|c: char| !c.is_alphabetic())) == *g);
            if same && run.iter().all(|w| w.line == run[0].line) {
                let mut found: Vec<&OcrWord> = run.iter().collect();
                if let Some(before) = start.checked_sub(1).map(|b| &words[b]).filter(|b| b.line == run[0].line) {
                    found.insert(0, before);
                }
                return Some(found);
            }
        }
    }
    None
}

/// Per word of the name, the readings to offer: the statistics' preferred ones first, the
/// word as read last; and whether one of them is preferred alone (then it is stored).
fn choices(words: &[String], first_unsure: bool) -> Vec<(Vec<String>, bool)> {
    words
        .iter()
        .enumerate()
        .map(|(k, word)| {
            let mut options = surname::tone_doubts(word, k == 0);
            let mut alone = options.len() == 1;
            if k == 0 && options.is_empty() && first_unsure {
                let (near, preferred) = surname::near_surnames(word);
                options = near;
                if let Some(preferred) = preferred {
                    options.retain(|o| *o != preferred);
                    options.insert(0, preferred);
                    alone = true;
                }
            }
            options.retain(|o| o != word);
            options.push(word.clone());
            (options, alone)
        })
        .collect()
}

/// The names `choices` give, the stored one first: each word's preferred reading when it
/// has one alone, else as read; then the other combinations.
fn candidates(choices: &[(Vec<String>, bool)]) -> Vec<String> {
    let stored: Vec<String> = choices.iter().map(|(o, alone)| if *alone { o[0].clone() } else { o[o.len() - 1].clone() }).collect();
    let mut names = vec![stored.join(" ")];
    let mut combos: Vec<Vec<String>> = vec![Vec::new()];
    for (options, _) in choices {
        combos = combos.into_iter().flat_map(|c| options.iter().map(move |o| [c.clone(), vec![o.clone()]].concat())).take(64).collect();
    }
    for combo in combos {
        let name = combo.join(" ");
        if !names.contains(&name) && names.len() < MAX_CANDIDATES {
            names.push(name);
        }
    }
    names
}

/// The doubts about a name read by the text reader.
fn review_read(meta: &mut DocumentMeta, name: &str, pages: &[Page]) {
    let words = name_words(name);
    if words.len() < 2 {
        return;
    }
    let surname_repaired = meta.flags.iter().any(|f| flag::signer_flag_kind(f) == Some("surname"));
    let mut reasons = Vec::new();
    let given: Vec<String> = words[1..].iter().map(|w| folded(w)).collect();
    let reread_only = pages
        .iter()
        .flat_map(|p| &p.dropped_lines)
        .any(|d| d.reason == REREAD_KEPT && holds(&name_words(&d.text), &given));
    if reread_only {
        reasons.push("chỉ đọc được ở lần đọc lại vùng chữ ký".to_owned());
    }
    if let Some(read) = words_of(&words, pages) {
        // A surname repaired from a misreading is flagged for it already.
        let judged = if surname_repaired && read.len() == words.len() { &read[1..] } else { &read[..] };
        for w in judged.iter().filter(|w| w.confidence < NAME_CONFIDENCE) {
            reasons.push(format!("chữ “{}” đọc không chắc (độ tin cậy {:.0})", w.text, w.confidence));
        }
    }
    let choices = choices(&words, false);
    for (word, (options, _)) in words.iter().zip(&choices) {
        if options.len() > 1 {
            reasons.push(format!("“{word}” ít gặp trong tên người, dấu thanh có thể đọc sai"));
        }
    }
    if reasons.is_empty() {
        return;
    }
    let candidates = candidates(&choices);
    meta.flags.retain(|f| flag::signer_flag_kind(f) != Some("unsure"));
    meta.flags.push(flag::signer_unsure(&reasons, name, &candidates));
    meta.signer = Some(candidates[0].clone());
}

/// A name the second reading gave below the confidence of print, stored flagged when no
/// name was read: a line of 3–5 words (a name cut to two by the seal is no name to store)
/// whose given names are capitalized syllables and whose first word is a surname, a
/// misreading of one ([`surname::misread_surname`]), or a capitalized word near surnames;
/// a mark before it ("k& Trần Phước Hiên") is passed over. Never a title ("PHÓ CHỦ TỊCH").
fn from_unsure_reread(meta: &mut DocumentMeta, pages: &[Page]) {
    let Some(page) = pages.iter().rev().find(|p| p.dropped_lines.iter().any(|d| d.reason == REREAD_UNSURE)) else { return };
    for note in page.dropped_lines.iter().filter(|d| d.reason == REREAD_UNSURE) {
        let words = name_words(&note.text);
        let found = unsure_name(&words).or_else(|| words.get(1..).and_then(unsure_name));
        let Some((read, candidates)) = found else { continue };
        let reason = format!("chỉ đọc được ở lần đọc lại vùng chữ ký, dưới ngưỡng tin cậy của chữ in (độ tin cậy trung bình {:.0})", note.mean_confidence);
        meta.flags.retain(|f| !matches!(flag::signer_flag_kind(f), Some("illegible" | "unsure")));
        meta.flags.push(flag::signer_unsure(&[reason], &read, &candidates));
        meta.signer = Some(candidates[0].clone());
        return;
    }
}

/// Folded words that belong to a signing title, never to a name.
const TITLE_WORDS: &[&str] = &["tich", "giam", "uy", "tm", "kt", "tl"];

/// The name `words` read as (see [`from_unsure_reread`]): as read, and the candidates,
/// the one to store first.
fn unsure_name(words: &[String]) -> Option<(String, Vec<String>)> {
    if !(3..=5).contains(&words.len()) || !words[1..].iter().all(|w| Syllable::parse(w).is_some() && w.starts_with(char::is_uppercase)) {
        return None;
    }
    if words.iter().any(|w| TITLE_WORDS.contains(&folded(w).as_str())) {
        return None;
    }
    let read = words.join(" ");
    let mut words = words.to_vec();
    let upper = words[1..].iter().all(|w| Casing::of(w) == Casing::Upper);
    let casing = if upper { Casing::Upper } else { Casing::Title };
    let mut first_unsure = false;
    if surname::is_surname(&words[0]) {
        // "trần" read in lower case under the seal: the surname as printed.
        words[0] = casing.apply(&words[0].to_lowercase());
    } else if let Some(repaired) = surname::misread_surname(&words[0], upper) {
        // "frần", "tần": a surname that lost or changed a letter.
        words[0] = repaired;
    } else if words[0].starts_with(char::is_uppercase) && !surname::near_surnames(&words[0]).0.is_empty() {
        first_unsure = true;
    } else {
        return None;
    }
    Some((read, candidates(&choices(&words, first_unsure))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{DroppedLine, PageSource};

    fn page(words: &[(&str, f32, u32)], dropped: &[(&str, &str)]) -> Page {
        Page {
            number: 1,
            source: PageSource::Ocr,
            mean_confidence: Some(90.0),
            words: words.iter().map(|&(text, confidence, line)| OcrWord { text: text.to_owned(), confidence, bbox: [0, 0, 10, 10], line }).collect(),
            dropped_lines: dropped.iter().map(|&(text, reason)| DroppedLine { text: text.to_owned(), mean_confidence: 45.0, reason: reason.to_owned() }).collect(),
            ..Default::default()
        }
    }

    fn signed(name: Option<&str>, flags: &[String]) -> DocumentMeta {
        DocumentMeta { signer: name.map(str::to_owned), signer_title: Some("KT. CHỦ TỊCH".to_owned()), flags: flags.to_vec(), ..Default::default() }
    }

    fn unsure_flags(meta: &DocumentMeta) -> Vec<&String> {
        meta.flags.iter().filter(|f| flag::signer_flag_kind(f) == Some("unsure")).collect()
    }

    #[test]
    fn a_name_read_surely_by_the_page_stays_unflagged() {
        let pages = [page(&[("TỊCH", 97.0, 70), ("Nguyễn", 96.0, 71), ("Hoàng", 97.0, 71), ("Giang", 95.0, 71)], &[])];
        let mut meta = signed(Some("Nguyễn Hoàng Giang"), &[]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer.as_deref(), Some("Nguyễn Hoàng Giang"));
        assert!(meta.flags.is_empty(), "{:?}", meta.flags);
    }

    #[test]
    fn a_name_read_only_by_the_second_reading_is_flagged() {
        let pages = [page(&[("Nguyễn", 95.0, 71), ("Hoàng", 96.0, 71), ("Giang", 95.0, 71)], &[("Nguyễn Hoàng Giang", REREAD_KEPT)])];
        let mut meta = signed(Some("Nguyễn Hoàng Giang"), &[]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer.as_deref(), Some("Nguyễn Hoàng Giang"));
        let flags = unsure_flags(&meta);
        assert_eq!(flags.len(), 1, "{:?}", meta.flags);
        assert!(flags[0].contains("lần đọc lại"), "{}", flags[0]);
    }

    #[test]
    fn a_syllable_read_unsure_flags_the_name() {
        let pages = [page(&[("Đặng", 96.0, 28), ("Văn", 41.0, 28), ("Minh", 95.0, 28)], &[])];
        let mut meta = signed(Some("Đặng Văn Minh"), &[]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer.as_deref(), Some("Đặng Văn Minh"));
        assert!(unsure_flags(&meta)[0].contains("“Văn” đọc không chắc (độ tin cậy 41)"), "{:?}", meta.flags);
    }

    #[test]
    fn a_tone_mark_the_name_statistics_doubt_gives_candidates() {
        // Read confidently, but "Hiên" is rare and Hiền, Hiển, Hiến common: several, so the
        // name is kept as read and flagged with them.
        let pages = [page(&[("Trần", 96.0, 71), ("Phước", 97.0, 71), ("Hiên", 95.0, 71)], &[])];
        let mut meta = signed(Some("Trần Phước Hiên"), &[]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer.as_deref(), Some("Trần Phước Hiên"));
        let flags = unsure_flags(&meta);
        assert!(flags[0].contains("có thể là “Trần Phước Hiên”, “Trần Phước Hiền”, “Trần Phước Hiển”"), "{}", flags[0]);
        // One commoner twin alone: it is stored, the reading kept in the flag.
        let pages = [page(&[("Trần", 96.0, 53), ("Hoàng", 96.0, 53), ("Tuân", 90.0, 53)], &[])];
        let mut meta = signed(Some("Trần Hoàng Tuân"), &[]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer.as_deref(), Some("Trần Hoàng Tuấn"));
        assert!(unsure_flags(&meta)[0].contains("OCR đọc “Trần Hoàng Tuân”; có thể là “Trần Hoàng Tuấn”, “Trần Hoàng Tuân”"), "{:?}", meta.flags);
    }

    #[test]
    fn a_surname_repaired_is_not_doubted_again_for_its_misread_letters() {
        let pages = [page(&[("rần", 40.0, 49), ("Phước", 96.0, 49), ("Hiền", 93.0, 49)], &[])];
        let mut meta = signed(Some("Trần Phước Hiền"), &[flag::signer_surname_repaired("rần Phước Hiền")]);
        review(&mut meta, &pages);
        assert_eq!(meta.flags, [flag::signer_surname_repaired("rần Phước Hiền")]);
    }

    #[test]
    fn a_name_read_below_the_cut_by_the_second_reading_is_stored_flagged_instead_of_nothing() {
        let pages = [page(&[("TỊCH", 97.0, 40)], &[("trần Phước Hiền", REREAD_UNSURE), ("2> <@", "vết dấu")])];
        let mut meta = signed(None, &[flag::signer_illegible(None)]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer.as_deref(), Some("Trần Phước Hiền"));
        assert_eq!(meta.flags.len(), 1, "{:?}", meta.flags);
        assert!(meta.flags[0].starts_with(flag::SIGNER_UNSURE), "{:?}", meta.flags);
        // A first word that is no surname: the surnames one letter from it, the commonest alone stored.
        let pages = [page(&[], &[("Tấn Hoàng Tuấn", REREAD_UNSURE)])];
        let mut meta = signed(None, &[flag::signer_illegible(None)]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer.as_deref(), Some("Trần Hoàng Tuấn"));
        assert!(unsure_flags(&meta)[0].contains("OCR đọc “Tấn Hoàng Tuấn”"), "{:?}", meta.flags);
        // A surname misread: repaired, the reading kept in the flag.
        let pages = [page(&[], &[("frần Phước Hiền", REREAD_UNSURE)])];
        let mut meta = signed(None, &[flag::signer_illegible(None)]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer.as_deref(), Some("Trần Phước Hiền"));
        assert!(unsure_flags(&meta)[0].contains("OCR đọc “frần Phước Hiền”"), "{:?}", meta.flags);
        // A mark before the name is passed over.
        let pages = [page(&[], &[("k& Trần Phước Hiền", REREAD_UNSURE)])];
        let mut meta = signed(None, &[]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer.as_deref(), Some("Trần Phước Hiền"));
        // Seal marks, lower-case words, a title and a name cut to two words are no name: the
        // field stays empty and flagged.
        let pages = [page(&[], &[("ngãi tỉnh", REREAD_UNSURE), ("Xyz Qwe Abc", REREAD_UNSURE), ("HẠ ỒN HỦ TỊCH", REREAD_UNSURE), ("Hoàng Giang", REREAD_UNSURE)])];
        let mut meta = signed(None, &[flag::signer_illegible(None)]);
        review(&mut meta, &pages);
        assert_eq!(meta.signer, None);
        assert_eq!(meta.flags, [flag::signer_illegible(None)]);
    }
}
