//! Seal and signature strokes read as text. A directive ends with the Decree 30/2020
//! signature block in the right column ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ
//! TỊCH", a handwritten signature, the red seal over it, the signer's name); Tesseract
//! reads the seal's rim and the signature's strokes as short lines ("h", "F4", "a :") or
//! glues them before a title ("BHÓ CHỦ TỊCH", "<=>x CHỦ TỊCH"). The same strokes and the
//! specks a seal leaves elsewhere are far smaller than the page's print ("Lá" 9 px high
//! among 45 px words). Such marks are taken out of the lines and kept in the page's
//! dropped lines with the reason, for a clerk to check.
//!
//! Only marks are judged: a line of the block that holds one real word (a syllable of two
//! letters or more, read with some confidence, of the print's size) stays as it is.

use super::tsv::{TsvLine, TsvWord};
use crate::record::DroppedLine;
use crate::viet::Syllable;

/// Titles of a signature block (Decree 30/2020, Appendix I), folded to capitals without
/// marks: the signer's office, or the collective body after "TM.".
const TITLES: &[&str] = &[
    "CHU TICH",
    "GIAM DOC",
    "CHANH VAN PHONG",
    "THU TUONG",
    "BO TRUONG",
    "THU TRUONG",
    "TRUONG BAN",
    "CHANH AN",
    "VIEN TRUONG",
    "CUC TRUONG",
    "CHANH THANH TRA",
    "UY BAN NHAN DAN",
    "HOI DONG NHAN DAN",
    "CHINH PHU",
];
/// Words that may stand before a title: "TM." (on behalf of), "KT." (signing for), "TL."
/// and "TUQ." (by order of), "Q." (acting), and "PHÓ" (deputy).
const PREFIXES: &[&str] = &["TM", "KT", "TL", "TUQ", "Q", "PHO"];
/// The deputy's title word, what "KT. <title>" is always followed by.
const DEPUTY: &str = "PHÓ";

/// Lines of at most this many words are judged as specks.
const SPECK_WORDS: usize = 3;
/// A word this many times smaller in height than the print is a speck.
const SPECK_SHARE: u32 = 2;
/// A word read with less confidence than this is no evidence of print.
const WORD_CONFIDENCE: f32 = 50.0;
/// Without a signer's name read, the block reaches this many print heights under the last
/// title (signature, seal and name fit in it).
const BLOCK_DEPTH: u32 = 14;
/// Words with at least this confidence and two letters give the print's height.
const PRINT_CONFIDENCE: f32 = 80.0;
/// So many of them are needed to judge sizes at all.
const PRINT_WORDS: usize = 20;

/// The size and extent of a page's print, measured on its confident words.
struct Print {
    /// Median height of confident words.
    height: u32,
    /// The middle of the text's extent across the page.
    middle: u32,
}

fn letters(word: &str) -> String {
    crate::viet::fold(word).chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_uppercase()
}

fn measure(lines: &[TsvLine]) -> Option<Print> {
    let mut heights: Vec<u32> = lines
        .iter()
        .flat_map(|l| &l.words)
        .filter(|w| w.confidence >= PRINT_CONFIDENCE && w.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2)
        .map(|w| w.bbox[3])
        .collect();
    if heights.len() < PRINT_WORDS {
        return None;
    }
    heights.sort_unstable();
    let words = lines.iter().flat_map(|l| &l.words);
    let left = words.clone().map(|w| w.bbox[0]).min()?;
    let right = words.map(|w| w.bbox[0] + w.bbox[2]).max()?;
    Some(Print { height: heights[heights.len() / 2].max(1), middle: (left + right) / 2 })
}

fn is_speck(word: &TsvWord, print: &Print) -> bool {
    word.bbox[3] * SPECK_SHARE < print.height
}

/// A word that is print and not a mark: a syllable of two letters or more, or a number,
/// read with some confidence at the print's size.
fn is_real_word(word: &TsvWord, print: &Print) -> bool {
    if word.confidence < WORD_CONFIDENCE || is_speck(word, print) {
        return false;
    }
    let core = word.text.trim_matches(|c: char| !c.is_alphanumeric());
    if core.chars().all(|c| c.is_ascii_digit()) {
        return core.len() >= 2;
    }
    // An abbreviation in capitals ("UBND", "HĐND") is print too.
    let acronym = core.chars().count() >= 3 && core.chars().all(|c| c.is_alphabetic() && c.is_uppercase());
    acronym || (core.chars().count() >= 2 && Syllable::parse(core).is_some())
}

/// "Nơi nhận:", the head of the recipients' list left of the signature block.
fn is_recipients_head(line: &TsvLine) -> bool {
    let words: Vec<String> = line.words.iter().take(2).map(|w| letters(&w.text)).collect();
    words == ["NOI", "NHAN"]
}

fn top(line: &TsvLine) -> u32 {
    line.words.iter().map(|w| w.bbox[1]).min().unwrap_or(0)
}

fn bottom(line: &TsvLine) -> u32 {
    line.words.iter().map(|w| w.bbox[1] + w.bbox[3]).max().unwrap_or(0)
}

fn left(line: &TsvLine) -> u32 {
    line.words.first().map_or(0, |w| w.bbox[0])
}

fn right(line: &TsvLine) -> u32 {
    line.words.iter().map(|w| w.bbox[0] + w.bbox[2]).max().unwrap_or(0)
}

/// A title found in a line: where its words start, and which title.
#[derive(Debug, Clone, Copy)]
struct Title {
    /// Index of the title's first word.
    start: usize,
    /// Characters of the first word glued before the title's first word ("PHÓA" of
    /// "PHÓACHỦ"), 0 when it stands alone.
    glued: usize,
    title: &'static str,
}

/// The title a line of the block ends with, in capitals: "KT. CHỦ TỊCH", "BHÓ CHỦ
/// TỊCH", "PHÓACHỦ TỊCH" (its first word glued to marks).
fn find_title(line: &TsvLine) -> Option<Title> {
    let upper = |w: &TsvWord| w.text.chars().filter(|c| c.is_alphabetic()).all(|c| !c.is_lowercase());
    let words: Vec<String> = line.words.iter().map(|w| letters(&w.text)).collect();
    for title in TITLES {
        let parts: Vec<&str> = title.split(' ').collect();
        if words.len() < parts.len() {
            continue;
        }
        let start = words.len() - parts.len();
        if !line.words[start..].iter().all(upper) || words[start + 1..] != parts[1..] {
            continue;
        }
        if words[start] == parts[0] {
            return Some(Title { start, glued: 0, title });
        }
        // Folding keeps one letter per character of an NFC word of letters only, so the
        // marks' share of the word is counted in its characters.
        let glued_word = &line.words[start].text;
        let all_letters = glued_word.chars().all(char::is_alphabetic) && glued_word.chars().count() == words[start].len();
        if all_letters && words[start].len() > parts[0].len() + 1 && words[start].ends_with(parts[0]) {
            return Some(Title { start, glued: words[start].len() - parts[0].len(), title });
        }
    }
    None
}

/// Removes seal and signature marks from `lines`, recording them in `dropped`: lines of
/// specks anywhere (not the header's, whose handwritten number may read as marks), in
/// the signature block, lines without a real word and marks before a title, and stray
/// glyphs between words.
pub fn clean(lines: Vec<TsvLine>, dropped: &mut Vec<DroppedLine>, exempt: fn(&TsvLine) -> bool) -> Vec<TsvLine> {
    let lines = match measure(&lines) {
        Some(print) => by_size(lines, &print, dropped, exempt),
        None => lines,
    };
    stray_glyphs(lines, dropped, exempt)
}

/// Single stray glyphs among a line's words ("quyền ‹ địa phương", "Báo › cáo"), judged by
/// their characters alone ([`super::junk::stray_glyph_reason`]), whatever the page's print:
/// taken out of lines that keep a real word, each kept in `dropped` with its reason. Not in
/// the header, whose handwritten number reads as symbols the header reader needs.
fn stray_glyphs(lines: Vec<TsvLine>, dropped: &mut Vec<DroppedLine>, exempt: fn(&TsvLine) -> bool) -> Vec<TsvLine> {
    lines
        .into_iter()
        .map(|mut line| {
            if line.words.len() < 2 || exempt(&line) {
                return line;
            }
            let reasons: Vec<Option<String>> = line.words.iter().map(|w| super::junk::stray_glyph_reason(&w.text)).collect();
            let keeps_a_word = line.words.iter().zip(&reasons).any(|(w, r)| r.is_none() && w.text.chars().any(char::is_alphanumeric));
            if !keeps_a_word || reasons.iter().all(Option::is_none) {
                return line;
            }
            let words = std::mem::take(&mut line.words);
            for (word, reason) in words.into_iter().zip(reasons) {
                match reason {
                    Some(reason) => dropped.push(DroppedLine { text: word.text, mean_confidence: word.confidence, reason }),
                    None => line.words.push(word),
                }
            }
            line
        })
        .collect()
}

/// [`clean`]'s judgement of marks by their size against the page's `print`.
fn by_size(lines: Vec<TsvLine>, print: &Print, dropped: &mut Vec<DroppedLine>, exempt: fn(&TsvLine) -> bool) -> Vec<TsvLine> {
    let mut kept = Vec::with_capacity(lines.len());
    for line in lines {
        let specks = !line.words.is_empty() && line.words.len() <= SPECK_WORDS && line.words.iter().all(|w| is_speck(w, print));
        if specks && !exempt(&line) {
            dropped.push(DroppedLine {
                text: line.text(),
                mean_confidence: line.mean_confidence(),
                reason: format!("vết nhỏ hơn nhiều so với chữ in của trang (cao dưới {} px): vết dấu hoặc vết mực", print.height / SPECK_SHARE),
            });
        } else {
            kept.push(line);
        }
    }
    let kept = signature_block(kept, print, dropped);
    handwriting(kept, print, dropped, exempt)
}

/// Handwriting is taller than the print (a pen's loops, 1.5–3 times the print's height); a
/// line of it, or the pen's marks after a printed line, read as no syllables.
const HAND_SHARE_MIN: f32 = 1.5;
/// Below this confidence a word that is not a syllable, a number or an abbreviation, or is
/// far off the print's size, is a mark.
const MARK_CONFIDENCE: f32 = 50.0;

/// A word of print's shape: a syllable, an abbreviation in capitals, a number or a measure
/// ("13", "I999" with a digit misread, "62,9m2"), or a code or date ("15/01/2025",
/// "143/STC-HCSN", "QĐ-TTg"). OCR's readings of handwriting are mostly none of these
/// ("ñz/ý", "86nh...Vuôa..", "s4").
fn print_shaped(word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        return false;
    }
    if core.contains(['/', '-']) {
        return core.split(['/', '-']).all(|part| part.starts_with(|c: char| c.is_ascii_digit() || c.is_uppercase()));
    }
    // A word with marks glued after it ("tỉnh).I."): its letters before the first other
    // character decide.
    let letters: String = core.chars().take_while(|c| c.is_alphabetic()).collect();
    if letters.chars().count() >= 2 && letters.len() < core.len() && print_shaped(&letters) {
        return true;
    }
    if core.chars().any(|c| c.is_ascii_digit()) {
        let digits: String = core.chars().map(|c| match c { 'I' | 'l' | '|' => '1', 'O' | 'o' => '0', c => c }).collect();
        let number = digits.chars().all(|c| c.is_ascii_digit() || ".,".contains(c));
        let unit = digits.trim_start_matches(|c: char| c.is_ascii_digit() || ".,".contains(c));
        let measure = digits.starts_with(|c: char| c.is_ascii_digit())
            && unit.chars().count() <= 3
            && unit.starts_with(|c: char| c.is_ascii_lowercase())
            && unit.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        return number || measure;
    }
    let acronym = core.chars().count() >= 2 && core.chars().all(|c| c.is_alphabetic() && c.is_uppercase());
    // A bare letter ("u" of "§u") is a mark's piece; one with a mark ("ở", "ý") is a word.
    let bare_letter = core.chars().count() == 1 && core.is_ascii();
    acronym || (!bare_letter && Syllable::parse(core).is_some())
}

/// A pen's or seal's mark read as a word, judged against `reference`, the height of the
/// line's print (or the page's): a word not of print's shape read unsure or taller than the
/// print, or a word of print's shape read unsure and far off the print's size (a third of
/// it, or twice it).
fn is_pen_mark(word: &TsvWord, reference: u32) -> bool {
    // Punctuation ("./.", "-") is print's; it goes only along with marks beside it.
    if !word.text.chars().any(char::is_alphanumeric) {
        return false;
    }
    let ratio = word.bbox[3] as f32 / reference.max(1) as f32;
    if print_shaped(&word.text) {
        word.confidence < MARK_CONFIDENCE && (ratio * 3.0 <= 1.0 || ratio >= 2.0)
    } else {
        word.confidence < MARK_CONFIDENCE || (ratio >= HAND_SHARE_MIN && word.confidence < SURE_CONFIDENCE)
    }
}

/// A word read with this confidence is print whatever its size (a seal's ink can make a
/// printed word's box tall).
const SURE_CONFIDENCE: f32 = 70.0;

/// A line of the recipients' list ("- Bộ đội BP tỉnh (b/c);", "- Lưu: VT, KTTHh20."): it
/// ends in abbreviations and the drafter's initials, printed, that read as no syllables.
fn is_list_line(line: &TsvLine) -> bool {
    let first = line.words.first().map_or("", |w| w.text.as_str());
    ["-", "+", "•"].contains(&first) || first.starts_with(['-', '+', '•']) || crate::viet::fold(first).to_lowercase().starts_with("luu")
}

/// A word that is print for certain: of print's shape, read with some confidence, and of
/// the page's print size.
fn is_confident_print(word: &TsvWord, print: &Print) -> bool {
    let h = word.bbox[3] as f32;
    word.confidence >= MARK_CONFIDENCE && print_shaped(&word.text) && h < HAND_SHARE_MIN * print.height as f32 && h * 3.0 > print.height as f32
}

/// The height of a line's print: the median of its confident print words, else the page's.
fn line_print_height(line: &TsvLine, print: &Print) -> u32 {
    let mut heights: Vec<u32> = line.words.iter().filter(|w| is_confident_print(w, print)).map(|w| w.bbox[3]).collect();
    if heights.is_empty() {
        return print.height;
    }
    heights.sort_unstable();
    heights[heights.len() / 2].max(1)
}

/// Handwriting and pen marks read as text, outside the header (whose handwritten number
/// and date the header reader needs): a line of words taller than the print of which not a
/// third is print, or a line of marks only, is dropped; marks after a line's last printed
/// word are cut off it ("thi hành Quyết định này/. §u -"). Both kept in `dropped`.
fn handwriting(lines: Vec<TsvLine>, print: &Print, dropped: &mut Vec<DroppedLine>, exempt: fn(&TsvLine) -> bool) -> Vec<TsvLine> {
    let mut kept = Vec::with_capacity(lines.len());
    for mut line in lines {
        if line.words.is_empty() || exempt(&line) {
            kept.push(line);
            continue;
        }
        let mut heights: Vec<u32> = line.words.iter().map(|w| w.bbox[3]).collect();
        heights.sort_unstable();
        let median = heights[heights.len() / 2] as f32;
        let printed = line.words.iter().filter(|w| is_confident_print(w, print)).count();
        let shapeless = line.words.iter().filter(|w| !print_shaped(&w.text)).count();
        let reference = line_print_height(&line, print);
        // Marks only, none of print's shape ("s4"): a short line of large print read unsure,
        // whose words are syllables, is not this.
        let all_marks = line.words.iter().all(|w| is_pen_mark(w, reference) && !print_shaped(&w.text));
        let tall = median >= HAND_SHARE_MIN * print.height as f32;
        if (tall && printed * 3 < line.words.len() && shapeless * 3 >= line.words.len()) || all_marks {
            dropped.push(DroppedLine {
                text: line.text(),
                mean_confidence: line.mean_confidence(),
                reason: format!(
                    "chữ viết tay hoặc vết bút: {printed} trong {} từ đọc được như chữ in, chữ cao {:.1} lần chữ in của trang",
                    line.words.len(),
                    median / print.height as f32
                ),
            });
            continue;
        }
        // Punctuation among the marks ("§u -") goes with them, never alone.
        let punctuation = |w: &TsvWord| !w.text.chars().any(char::is_alphanumeric);
        let run = line.words.iter().rev().take_while(|w| is_pen_mark(w, reference) || punctuation(w)).count();
        let marks_at_end = if is_list_line(&line) { 0 } else { line.words[line.words.len() - run..].iter().rposition(|w| is_pen_mark(w, reference)).map_or(0, |_| run) };
        if marks_at_end > 0 && marks_at_end < line.words.len() {
            let cut = line.words.split_off(line.words.len() - marks_at_end);
            let cut = TsvLine { block: line.block, paragraph: line.paragraph, words: cut };
            dropped.push(DroppedLine {
                text: cut.text(),
                mean_confidence: cut.mean_confidence(),
                reason: "vết bút hoặc chữ viết tay sau chữ in cuối dòng (không phải âm tiết, số hay chữ viết tắt đọc chắc chắn)".to_owned(),
            });
        }
        kept.push(line);
    }
    kept
}

/// The signature block: the right half of the page level with and under its title lines
/// (and beside "Nơi nhận:", which Decree 30 puts left of it: the titles may be under the
/// seal and not read at all), down to the signer's name.
fn signature_block(lines: Vec<TsvLine>, print: &Print, dropped: &mut Vec<DroppedLine>) -> Vec<TsvLine> {
    let h = print.height;
    let titles: Vec<(usize, Title)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.words.len() <= 8)
        .filter_map(|(i, l)| find_title(l).map(|t| (i, t)))
        .filter(|(i, t)| lines[*i].words[t.start].bbox[0] + h > print.middle)
        .collect();
    let recipients = lines.iter().filter(|l| is_recipients_head(l)).map(top).min();
    let first_title = titles.iter().map(|(i, _)| top(&lines[*i])).min();
    let block_top = match (first_title, recipients) {
        (Some(t), Some(r)) => (t.saturating_sub(h / 2)).min(r.saturating_sub(h)),
        (Some(t), None) => t.saturating_sub(h / 2),
        (None, Some(r)) => r.saturating_sub(h),
        (None, None) => return lines,
    };
    let block_left = print.middle.saturating_sub(h);
    let heads_bottom = titles.iter().map(|(i, _)| bottom(&lines[*i])).chain(recipients.map(|r| r + h)).max().unwrap_or(block_top);
    // The signer's name ends the block: the first line under the titles with two real words.
    let name_bottom = lines
        .iter()
        .filter(|l| top(l) > heads_bottom && left(l) >= block_left && l.words.iter().filter(|w| is_real_word(w, print)).count() >= 2)
        .map(top)
        .min()
        .map(|t| t + h);
    let block_bottom = name_bottom.unwrap_or(heads_bottom + BLOCK_DEPTH * h);
    let in_block = |l: &TsvLine| !l.words.is_empty() && left(l) >= block_left && top(l) >= block_top && bottom(l) <= block_bottom;

    // Title lines in reading order, so that "PHÓ" can follow "KT." on the line above.
    let mut title_of: Vec<Option<Title>> = vec![None; lines.len()];
    for (i, t) in &titles {
        title_of[*i] = Some(*t);
    }
    let mut kept = Vec::with_capacity(lines.len());
    let mut last_title: Option<(TsvLine, Title)> = None;
    for (i, line) in lines.into_iter().enumerate() {
        // A title line is the block's whatever marks stand left of it.
        if let Some(title) = title_of[i] {
            let line = mend_title(line, title, last_title.as_ref(), dropped);
            let title = find_title(&line).unwrap_or(title);
            last_title = Some((line.clone(), title));
            kept.push(line);
            continue;
        }
        if !in_block(&line) || line.words.iter().any(|w| is_real_word(w, print)) {
            kept.push(line);
        } else {
            dropped.push(DroppedLine {
                text: line.text(),
                mean_confidence: line.mean_confidence(),
                reason: "vết dấu hoặc chữ ký trong khối chữ ký (không có âm tiết nào đọc được)".to_owned(),
            });
        }
    }
    kept
}

/// A title line without the marks before its title: "BHÓ CHỦ TỊCH" → "PHÓ CHỦ TỊCH" (a
/// mark one letter from PHÓ, or any mark under "KT. CHỦ TỊCH", whose next line is always
/// the deputy's title), "<=>x CHỦ TỊCH" → "CHỦ TỊCH". A line whose words before the title
/// hold a real word is left as it is.
fn mend_title(mut line: TsvLine, title: Title, above: Option<&(TsvLine, Title)>, dropped: &mut Vec<DroppedLine>) -> TsvLine {
    // Split a first title word glued to marks ("PHÓACHỦ" → "PHÓA" + "CHỦ").
    let mut start = title.start;
    if title.glued > 0 {
        let word = line.words.remove(start);
        let chars: Vec<char> = word.text.chars().collect();
        let head: String = chars[..title.glued].iter().collect();
        let tail: String = chars[title.glued..].iter().collect();
        let head_width = (u64::from(word.bbox[2]) * title.glued as u64 / chars.len() as u64) as u32;
        let [x, y, w, h] = word.bbox;
        line.words.insert(start, TsvWord { text: tail, confidence: word.confidence, bbox: [x + head_width, y, w - head_width, h] });
        line.words.insert(start, TsvWord { text: head, confidence: word.confidence, bbox: [x, y, head_width, h] });
        start += 1;
    }
    // A prefix misread by one letter ("1M." for "TM.") is the prefix.
    for word in &mut line.words[..start] {
        if let Some(prefix) = misread_prefix(&word.text) {
            word.text = format!("{prefix}.");
        }
    }
    let prefix = &line.words[..start];
    let is_prefix = |w: &TsvWord| PREFIXES.contains(&letters(&w.text).as_str()) && w.confidence >= WORD_CONFIDENCE;
    let junk: Vec<usize> = (0..start).filter(|&k| !is_prefix(&prefix[k])).collect();
    if junk.is_empty() {
        return line;
    }
    let is_word = |w: &TsvWord| {
        let core = w.text.trim_matches(|c: char| !c.is_alphanumeric());
        w.confidence >= WORD_CONFIDENCE
            && core.chars().count() >= 2
            && core.chars().all(|c| !c.is_lowercase())
            && Syllable::parse(core).is_some()
    };
    if junk.iter().any(|&k| is_word(&prefix[k])) {
        return line;
    }
    let near_deputy = junk.iter().any(|&k| {
        let l = letters(&prefix[k].text);
        l.chars().count() >= 2 && edit_distance(&l, "PHO") <= 1
    });
    let under_kt = above.is_some_and(|(l, t)| t.title == title.title && l.words.first().is_some_and(|w| letters(&w.text) == "KT"));
    let has_deputy = prefix.iter().any(|w| letters(&w.text) == "PHO" && is_prefix(w));
    let deputy = (near_deputy || under_kt) && !has_deputy;
    let mut removed: Vec<TsvWord> = junk.iter().rev().map(|&k| line.words.remove(k)).collect();
    removed.reverse();
    let text = removed.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    let mean = removed.iter().map(|w| w.confidence).sum::<f32>() / removed.len() as f32;
    let shown_title = line.words[start - removed.len()..].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    if deputy {
        let l = removed.iter().map(|w| w.bbox[0]).min().unwrap_or(0);
        let t = removed.iter().map(|w| w.bbox[1]).min().unwrap_or(0);
        let r = removed.iter().map(|w| w.bbox[0] + w.bbox[2]).max().unwrap_or(0);
        let b = removed.iter().map(|w| w.bbox[1] + w.bbox[3]).max().unwrap_or(0);
        line.words.insert(start - removed.len(), TsvWord { text: DEPUTY.to_owned(), confidence: WORD_CONFIDENCE, bbox: [l, t, r - l, b - t] });
    }
    let reason = if deputy {
        format!("vết trước chức danh \"{shown_title}\" trong khối chữ ký, đọc là \"{DEPUTY}\" (khối chữ ký theo Nghị định 30/2020)")
    } else {
        format!("vết dấu hoặc chữ ký trước chức danh \"{shown_title}\" trong khối chữ ký")
    };
    dropped.push(DroppedLine { text, mean_confidence: mean, reason });
    line
}

/// The prefix an abbreviation with its dot is one character from ("1M." → "TM"), when
/// only one is.
fn misread_prefix(word: &str) -> Option<&'static str> {
    let core = word.strip_suffix('.')?;
    let letters = letters(core);
    if PREFIXES.contains(&letters.as_str()) || letters.chars().count() < 2 {
        return None;
    }
    let near: Vec<&str> = PREFIXES.iter().copied().filter(|p| p.len() >= 2 && edit_distance(&letters, p) <= 1).collect();
    (near.len() == 1).then(|| near[0])
}

/// Levenshtein distance in characters (the project's one edit distance, over letters).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    crate::repair::eval::edit_distance(&a, &b)
}

/// A dark pixel, for [`missing_signer_area`]'s ink count.
const INK_LEVEL: u8 = 128;

/// Where the signer's name should stand but Tesseract's automatic layout returned no line
/// (the seal and the signature stroke over it made it a picture): the right half of the
/// page from the signature block's titles, or from "Nơi nhận:" when no title was read, to
/// the page's foot, as `[left, top, width, height]`. `None` when a name line was read
/// under the block, when the page has no block, or when that area holds no ink outside
/// the words read (nothing to read again). `lines` are the page's cleaned lines;
/// `pixels` the page's gray image, `width` × `height`.
pub fn missing_signer_area(lines: &[TsvLine], pixels: &[u8], width: u32, height: u32) -> Option<[u32; 4]> {
    let print = measure(lines)?;
    let h = print.height;
    let block_left = print.middle.saturating_sub(h);
    let titles: Vec<&TsvLine> = lines.iter().filter(|l| l.words.len() <= 8 && find_title(l).is_some_and(|t| l.words[t.start].bbox[0] + h > print.middle)).collect();
    let recipients = lines.iter().filter(|l| is_recipients_head(l)).map(top).max();
    let first_title = titles.iter().map(|l| top(l)).min();
    let area_top = match (first_title, recipients) {
        (Some(t), _) => t.saturating_sub(h / 2),
        (None, Some(r)) => r.saturating_sub(h),
        (None, None) => return None,
    };
    let heads_bottom = titles.iter().map(|l| bottom(l)).max().unwrap_or(area_top);
    // A line reaching into the right half under the titles (the name, or the body when the
    // "title" was a heading's words) means the area was read.
    let name_read = lines.iter().any(|l| {
        top(l) > heads_bottom && right(l) > block_left && !is_list_line(l) && l.words.iter().filter(|w| is_real_word(w, &print)).count() >= 2
    });
    if name_read || block_left >= width || area_top >= height {
        return None;
    }
    let area = [block_left, area_top, width - block_left, height - area_top];
    (unread_ink(lines, pixels, width, area) >= (h * h) as usize).then_some(area)
}

/// Dark pixels of `area` outside the boxes of the words read.
fn unread_ink(lines: &[TsvLine], pixels: &[u8], width: u32, area: [u32; 4]) -> usize {
    let [x0, y0, w, hh] = area;
    let boxes: Vec<[u32; 4]> = lines.iter().flat_map(|l| &l.words).map(|w| w.bbox).filter(|b| b[0] + b[2] > x0 && b[1] + b[3] > y0).collect();
    let mut count = 0;
    for y in y0..y0 + hh {
        let row = y as usize * width as usize;
        for x in x0..x0 + w {
            if pixels.get(row + x as usize).is_some_and(|&p| p < INK_LEVEL) && !boxes.iter().any(|b| x >= b[0] && x < b[0] + b[2] && y >= b[1] && y < b[1] + b[3]) {
                count += 1;
            }
        }
    }
    count
}

/// A word of the second reading below the confidence of print but above this may still be
/// a syllable of the name under the seal ("trần" at 50, "Hoàng" at 43): kept aside for the
/// signer's review, never in the text. The first word, the surname, is weighed there
/// against the surnames whatever its confidence.
const UNSURE_WORD_CONFIDENCE: f32 = 30.0;

/// What the second reading of the signature area gave.
pub struct SignerReread {
    /// Lines of print, to join the page.
    pub kept: Vec<TsvLine>,
    /// Lines of syllables of the print's size of which some were read below the confidence
    /// of print: not text, but a name a person may confirm (`crate::header::signer`).
    pub unsure: Vec<TsvLine>,
}

/// Of a second reading (one block, PSM 6) of [`missing_signer_area`], the lines that read
/// as the block's print: Vietnamese syllables or capacity words ("KT.", "TM."), two real
/// words at least, no list line, on no row a line of `lines` already covers; and apart,
/// the lines left out only for their confidence. The rest (the seal's rim and the
/// signature's strokes) is dropped. `reread` is in page pixels.
pub fn signer_lines(reread: Vec<TsvLine>, lines: &[TsvLine]) -> SignerReread {
    let mut out = SignerReread { kept: Vec::new(), unsure: Vec::new() };
    let Some(print) = measure(lines) else { return out };
    let block_left = print.middle.saturating_sub(print.height);
    let read_rows: Vec<(u32, u32)> = lines.iter().filter(|l| right(l) > block_left).map(|l| (top(l), bottom(l))).collect();
    let next_block = lines.iter().map(|l| l.block).max().unwrap_or(0) + 1;
    let shaped = |w: &TsvWord| {
        let core = w.text.trim_matches(|c: char| !c.is_alphanumeric());
        !core.is_empty() && (PREFIXES.contains(&letters(core).as_str()) || Syllable::parse(core).is_some())
    };
    for line in reread {
        if line.words.is_empty() || is_list_line(&line) || read_rows.iter().any(|&(t, b)| top(&line) < b && bottom(&line) > t) {
            continue;
        }
        let print_words = line.words.iter().filter(|w| is_real_word(w, &print)).count();
        if line.words.iter().all(|w| shaped(w) && w.confidence >= WORD_CONFIDENCE) && print_words >= 2 {
            out.kept.push(TsvLine { block: next_block, paragraph: 1, ..line });
            continue;
        }
        // The same shape with the confidence cut lowered, marks without a letter at its ends
        // ("¬.*_ Tấn Hoàng Tuấn") off, and any first word (a surname under the seal's ink,
        // "frần", "tần"): syllables of the print's size that the signer's review weighs.
        let lettered = |w: &TsvWord| w.text.chars().any(char::is_alphabetic);
        let start = line.words.iter().position(lettered).unwrap_or(line.words.len());
        let end = line.words.iter().rposition(lettered).map_or(start, |e| e + 1);
        let core = &line.words[start..end.max(start)];
        let sized = core.iter().filter(|w| !is_speck(w, &print) && w.text.chars().filter(|c| c.is_alphabetic()).count() >= 2).count();
        if (2..=6).contains(&core.len()) && core[1..].iter().all(|w| shaped(w) && w.confidence >= UNSURE_WORD_CONFIDENCE) && sized >= 2 {
            out.unsure.push(TsvLine { words: core.to_vec(), ..line });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of `(text, confidence)` words from `left`, 45 px high, 22 px a character.
    fn line(block: u32, words: &[(&str, f32)], left: u32, top: u32) -> TsvLine {
        let mut x = left;
        let words = words
            .iter()
            .map(|&(text, confidence)| {
                let width = 22 * text.chars().count() as u32;
                let word = TsvWord { text: text.to_owned(), confidence, bbox: [x, top, width, 45] };
                x += width + 18;
                word
            })
            .collect();
        TsvLine { block, paragraph: 1, words }
    }

    fn confident(block: u32, text: &str, left: u32, top: u32) -> TsvLine {
        let words: Vec<(&str, f32)> = text.split_whitespace().map(|w| (w, 95.0)).collect();
        line(block, &words, left, top)
    }

    /// One mark: `text` in a box of `width` × `height`.
    fn mark(text: &str, confidence: f32, bbox: [u32; 4]) -> TsvLine {
        TsvLine { block: 20, paragraph: 1, words: vec![TsvWord { text: text.to_owned(), confidence, bbox }] }
    }

    /// A page's last paragraph and "Nơi nhận" list on the left, from x = 390 to 2200.
    fn body() -> Vec<TsvLine> {
        let mut lines: Vec<TsvLine> = (0..6)
            .map(|i| confident(1, "Chánh Văn phòng UBND tỉnh; Giám đốc các Sở: Tài nguyên và Môi trường, Công Thương; Giám đốc", 390, 300 + i * 70))
            .collect();
        lines.push(confident(2, "Nơi nhận:", 390, 1150));
        lines.push(confident(2, "- Như Điều 5;", 395, 1215));
        lines.push(confident(2, "- Lưu: VT, KTN.", 395, 1430));
        lines
    }

    fn texts(lines: &[TsvLine]) -> Vec<String> {
        lines.iter().map(TsvLine::text).collect()
    }

    #[test]
    fn marks_in_the_signature_block_are_dropped_and_the_deputys_title_mended() {
        // 84-QD-UB p3 as Tesseract read it: the seal over the deputy's title and signature.
        let mut lines = body();
        lines.push(confident(3, "TM. ỦY BAN NHÂN DÂN", 1462, 1137));
        lines.push(confident(3, "KT. CHỦ TỊCH", 1587, 1204));
        lines.push(line(3, &[("BHÓ", 92.0), ("CHỦ", 97.0), ("TỊCH", 95.0)], 1586, 1255));
        lines.push(TsvLine {
            block: 3,
            paragraph: 1,
            words: vec![
                TsvWord { text: "a".into(), confidence: 58.0, bbox: [1567, 1301, 99, 68] },
                TsvWord { text: ":".into(), confidence: 82.0, bbox: [1882, 1305, 8, 8] },
            ],
        });
        lines.push(mark("vã", 27.0, [1570, 1409, 28, 28]));
        lines.push(confident(3, "Trần Phước Hiền", 1573, 1608));
        let mut dropped = Vec::new();
        let kept = clean(lines, &mut dropped, |_| false);
        let kept = texts(&kept);
        assert_eq!(kept[kept.len() - 4..], ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Phước Hiền"]);
        assert_eq!(kept.len(), 9 + 4, "{kept:?}");
        let marks: Vec<&str> = dropped.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(marks, ["BHÓ", "a :", "vã"], "{dropped:?}");
        assert!(dropped[0].reason.contains("PHÓ"), "{}", dropped[0].reason);
    }

    #[test]
    fn marks_glued_before_a_title_are_taken_off() {
        for (marks, above, expected) in [
            // 574-UB p1, 51-QD-UB p3 (under "TM." the chairman's own title may follow).
            (vec![("<=>x", 21.0)], "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
            (vec![("1Ó", 59.0)], "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
            // 23BC p2: under "KT. CHỦ TỊCH" the next title is the deputy's.
            (vec![("TẠ", 20.0)], "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            // H14 p2: the deputy's word glued to the title's.
            (vec![("SP", 27.0), ("co", 15.0), ("PHÓACHỦ", 29.0)], "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH"),
        ] {
            let mut lines = body();
            lines.push(confident(3, above, 1462, 1137));
            let mut title = marks.clone();
            if title.last().is_some_and(|(w, _)| w.ends_with("CHỦ")) {
                title.push(("TỊCH", 97.0));
            } else {
                title.extend([("CHỦ", 97.0), ("TỊCH", 96.0)]);
            }
            lines.push(line(3, &title, 1450, 1255));
            let mut dropped = Vec::new();
            let kept = texts(&clean(lines, &mut dropped, |_| false));
            assert_eq!(kept.last().map(String::as_str), Some(expected), "{marks:?}: {kept:?}");
            assert_eq!(dropped.len(), 1, "{dropped:?}");
        }
    }

    #[test]
    fn without_titles_the_block_is_beside_and_under_the_recipients_list() {
        // 04CT p4: the titles lie under the seal and were not read; a signature stroke was.
        let mut lines = body();
        lines.push(mark("F4", 73.0, [1907, 2065, 22, 34]));
        lines.push(confident(3, "Trần Hoàng Tuấn", 1554, 2088));
        lines.push(mark("z", 91.0, [1382, 2200, 29, 27]));
        let mut dropped = Vec::new();
        let kept = texts(&clean(lines, &mut dropped, |_| false));
        assert_eq!(kept.last().map(String::as_str), Some("z"), "under the name the block has ended");
        assert_eq!(kept[kept.len() - 2], "Trần Hoàng Tuấn");
        assert_eq!(dropped.len(), 1);
        assert_eq!(dropped[0].text, "F4");
    }

    #[test]
    fn a_prefix_misread_by_one_letter_is_mended_not_dropped() {
        let mut lines = body();
        lines.push(line(3, &[("1M.", 78.0), ("ỦY", 97.0), ("BAN", 96.0), ("NHÂN", 96.0), ("DÂN", 92.0)], 1371, 2488));
        lines.push(confident(3, "T/M UBND TỈNH", 1400, 2560));
        let mut dropped = Vec::new();
        let kept = texts(&clean(lines, &mut dropped, |_| false));
        assert_eq!(kept[kept.len() - 2..], ["TM. ỦY BAN NHÂN DÂN", "T/M UBND TỈNH"]);
        assert!(dropped.is_empty(), "{dropped:?}");
        assert_eq!(misread_prefix("1M."), Some("TM"));
        assert_eq!(misread_prefix("KT."), None);
        assert_eq!(misread_prefix("“=....."), None);
    }

    #[test]
    fn real_words_titles_and_names_in_the_block_stay() {
        let mut lines = body();
        lines.push(confident(3, "TL. CHỦ TỊCH", 1509, 2546));
        lines.push(confident(3, "CHÁNH VĂN PHÒNG", 1436, 2614));
        lines.push(confident(3, "(Đã ký)", 1600, 2700));
        lines.push(confident(3, "Nguyễn Quốc Việt", 1511, 3046));
        // A title with a real word before it is not the block's marks.
        lines.push(confident(4, "QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN", 1400, 3200));
        let mut dropped = Vec::new();
        let kept = clean(lines.clone(), &mut dropped, |_| false);
        assert_eq!(kept, lines);
        assert!(dropped.is_empty());
    }

    #[test]
    fn specks_far_smaller_than_the_print_are_dropped_anywhere_but_the_header() {
        let mut lines = body();
        lines.insert(3, mark("Lá", 53.0, [592, 1822, 9, 10]));
        lines.insert(4, confident(1, "ở", 390, 1900));
        let mut dropped = Vec::new();
        let kept = clean(lines.clone(), &mut dropped, |_| false);
        assert_eq!(kept.len(), lines.len() - 1);
        assert_eq!(dropped[0].text, "Lá");
        let mut dropped = Vec::new();
        assert_eq!(clean(lines.clone(), &mut dropped, |l| l.words[0].text == "Lá"), lines);
    }

    #[test]
    fn handwriting_lines_and_pen_marks_after_print_are_dropped() {
        // A form filled in by hand (H14 p3 as Tesseract read it), print 45 px high.
        let word = |text: &str, confidence: f32, x: u32, height: u32| TsvWord { text: text.to_owned(), confidence, bbox: [x, 2000, 22 * text.chars().count() as u32, height] };
        let mut lines = body();
        // Taller than the print and hardly a syllable among them.
        lines.push(TsvLine { block: 5, paragraph: 1, words: vec![word("lau", 14.0, 400, 110), word("Ô#4n", 0.0, 500, 110), word("+", 87.0, 620, 42), word("quà", 82.0, 700, 90), word("ñz/ý", 5.0, 800, 80)] });
        // Marks only, at the print's size.
        lines.push(TsvLine { block: 6, paragraph: 1, words: vec![word("s4", 35.0, 400, 45)] });
        // A printed line ending in pen marks.
        lines.push(TsvLine {
            block: 7,
            paragraph: 1,
            words: vec![word("thi", 94.0, 400, 45), word("hành", 96.0, 480, 45), word("Quyết", 96.0, 600, 48), word("này/.", 88.0, 740, 46), word("§u", 14.0, 880, 110), word("-", 56.0, 940, 6)],
        });
        // A printed line whose last word was read unsure but is a syllable at print's size, and
        // a number read unsure: both stay, as do measures and years with a digit misread.
        assert!(["62,9m2,", "394m“,", "I999.", "15/01/2025;", "QĐ-TTg", "UBND", "Về", "tỉnh).I.", "119/KH-BCĐ38§9QNg"].iter().all(|w| print_shaped(w)));
        assert!(!["ñz/ý", "86nh...Vuôa..", "s4", "Ô#4n", "cl*:", "§u"].iter().any(|w| print_shaped(w)));
        lines.push(TsvLine { block: 8, paragraph: 1, words: vec![word("Công", 95.0, 400, 45), word("văn", 95.0, 500, 45), word("số", 95.0, 600, 45), word("143/STC-HCSN", 41.0, 680, 46), word("nhiêm", 30.0, 900, 44)] });
        // The archive line ends in the drafter's initials, printed; the closing "./." stays.
        lines.push(TsvLine { block: 9, paragraph: 1, words: vec![word("-", 93.0, 400, 4), word("Lưu:", 95.0, 440, 45), word("VT,", 95.0, 540, 45), word("KTTHh20.", 36.0, 640, 45)] });
        lines.push(TsvLine { block: 9, paragraph: 1, words: vec![word("định", 95.0, 400, 45), word("này", 95.0, 500, 45), word("./.", 26.0, 600, 45)] });
        let mut dropped = Vec::new();
        let kept = texts(&clean(lines, &mut dropped, |_| false));
        assert_eq!(kept[kept.len() - 4..], ["thi hành Quyết này/.", "Công văn số 143/STC-HCSN nhiêm", "- Lưu: VT, KTTHh20.", "định này ./."], "{kept:?}");
        let gone: Vec<&str> = dropped.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(gone, ["lau Ô#4n + quà ñz/ý", "s4", "§u -"]);
        // The header's handwritten number is the header reader's.
        let mut lines = body();
        lines.push(TsvLine { block: 6, paragraph: 1, words: vec![word("Số:⁄‡6", 35.0, 400, 90)] });
        let mut dropped = Vec::new();
        assert_eq!(clean(lines.clone(), &mut dropped, |l| l.block == 6), lines);
    }

    /// A white page of `width` × `height` with a dark patch (a seal over a name) at `ink`.
    fn page_with_ink(width: u32, height: u32, ink: [u32; 4]) -> Vec<u8> {
        let mut pixels = vec![255u8; (width * height) as usize];
        for y in ink[1]..ink[1] + ink[3] {
            for x in ink[0]..ink[0] + ink[2] {
                pixels[(y * width + x) as usize] = 30;
            }
        }
        pixels
    }

    #[test]
    fn an_inked_signature_area_without_a_name_line_is_read_again_and_only_then() {
        let (width, height) = (2600, 1900);
        let seal = [1500, 1250, 300, 200];
        let lines = body();
        let area = missing_signer_area(&lines, &page_with_ink(width, height, seal), width, height).expect("ink under Nơi nhận, no name read");
        let [x, y, w, h] = area;
        assert!(x <= seal[0] && y <= seal[1] && x + w >= seal[0] + seal[2] && y + h >= seal[1] + seal[3], "{area:?}");
        assert!(x > 390 + 200, "the recipients' column is not read again: {area:?}");
        // Nothing inked there: nothing to read.
        assert_eq!(missing_signer_area(&lines, &page_with_ink(width, height, [0, 0, 0, 0]), width, height), None);
        // The name was read: the page is not read twice.
        let mut named = body();
        named.push(confident(3, "Nguyễn Văn An", 1550, 1480));
        assert_eq!(missing_signer_area(&named, &page_with_ink(width, height, seal), width, height), None);
        // A page without a signature block or recipients' list is never read twice.
        let plain: Vec<TsvLine> = body().into_iter().filter(|l| l.block == 1).collect();
        assert_eq!(missing_signer_area(&plain, &page_with_ink(width, height, seal), width, height), None);
    }

    #[test]
    fn of_the_second_reading_only_new_lines_of_confident_syllables_are_kept() {
        let mut lines = body();
        lines.push(confident(3, "KT. CHỦ TỊCH", 1550, 1150));
        let reread = vec![
            confident(1, "KT. CHỦ TỊCH", 1552, 1152),
            line(1, &[("2>", 40.0), ("<@", 0.0)], 1330, 1250),
            line(1, &[("¬.*_", 60.0), ("Tấn", 43.0), ("Hoàng", 97.0), ("Tuấn", 94.0)], 1400, 1330),
            line(1, &[("frần", 60.0), ("Phước", 96.0), ("Hxq", 20.0)], 1500, 1500),
            confident(1, "Trần Phước Hiền", 1530, 1420),
        ];
        let read = signer_lines(reread, &lines);
        let texts: Vec<String> = read.kept.iter().map(TsvLine::text).collect();
        assert_eq!(texts, ["Trần Phước Hiền"]);
        assert_eq!(read.kept[0].block, 4, "a paragraph of its own, after the page's lines");
        // The name read under the cut is set aside for review, the seal's marks are not.
        let unsure: Vec<String> = read.unsure.iter().map(TsvLine::text).collect();
        assert_eq!(unsure, ["Tấn Hoàng Tuấn"]);
        // A word that is no syllable after the first one is no name.
        assert!(!unsure.iter().any(|u| u.contains("Phước")));
    }

    #[test]
    fn stray_glyphs_between_words_are_taken_out_and_kept_with_their_reason() {
        let lines = vec![
            confident(1, "Luật Tổ chức chính quyền ‹ địa phương ngày 19/6/2015;", 200, 300),
            confident(1, "_- Báo › cáo tiếp thu — giải trình (50%);", 200, 360),
            confident(1, "Số: 2 # /CT-UBND", 200, 100),
            confident(1, "‹ ›", 200, 420),
        ];
        let mut dropped = Vec::new();
        let kept = clean(lines, &mut dropped, |l| l.words.first().is_some_and(|w| w.text == "Số:"));
        let texts: Vec<String> = kept.iter().map(TsvLine::text).collect();
        assert_eq!(
            texts,
            [
                "Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
                "Báo cáo tiếp thu — giải trình (50%);",
                // The header's handwritten number, and a line of marks alone (the junk filter's), stay.
                "Số: 2 # /CT-UBND",
                "‹ ›",
            ]
        );
        let gone: Vec<&str> = dropped.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(gone, ["‹", "_-", "›"]);
        assert!(dropped.iter().all(|d| d.reason.contains("vết dấu hoặc vết mực")), "{dropped:?}");
    }

    #[test]
    fn a_page_with_little_print_is_left_alone() {
        let lines = vec![confident(1, "PHỤ LỤC", 1000, 200), mark("h", 86.0, [1558, 2813, 9, 8])];
        let mut dropped = Vec::new();
        assert_eq!(clean(lines.clone(), &mut dropped, |_| false), lines);
        assert!(clean(Vec::new(), &mut dropped, |_| false).is_empty());
        assert_eq!(edit_distance("BHO", "PHO"), 1);
        assert_eq!(edit_distance("PHOA", "PHO"), 1);
        assert_eq!(edit_distance("O", "PHO"), 2);
    }
}
