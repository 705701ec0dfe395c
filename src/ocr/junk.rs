//! The junk-line filter. Speckle on a blank part of a scan (dirty glass, a stamp's
//! shadow, a punched hole) makes Tesseract invent lines such as `° « s., M _*, š š F :`.
//! Passing them on would feed garbage to repair and to the index, so lines are judged
//! by confidence, alphabet and shape, and the dropped ones are kept in the record with
//! the reason, for a clerk to check.

/// Below this mean word confidence a line is dropped whatever it looks like.
const HOPELESS_CONFIDENCE: f32 = 25.0;
/// Below this, a line must also look like text to be kept.
const DOUBTFUL_CONFIDENCE: f32 = 60.0;

/// Why a line is judged to be noise, or `None` to keep it. `words` are the line's
/// tokens with Tesseract's confidence (0–100).
pub fn junk_reason(words: &[(&str, f32)]) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    let confidence = words.iter().map(|(_, c)| c).sum::<f32>() / words.len() as f32;
    if confidence < HOPELESS_CONFIDENCE {
        return Some(format!("mean confidence {confidence:.0} is below {HOPELESS_CONFIDENCE:.0}"));
    }
    let text: String = words.iter().map(|(w, _)| *w).collect::<Vec<_>>().join(" ");
    // A line of symbols alone ("%", "©") says nothing, however confidently read; the
    // punctuation that may end a document's text on its own line ("./.") stays.
    if !text.chars().any(|c| c.is_alphanumeric()) && text.chars().any(|c| !c.is_whitespace() && !".,;:-/()…".contains(c)) {
        return Some("no letter or digit, only symbols".to_owned());
    }
    let alphabet = alphabet_share(&text);
    if alphabet < 0.5 {
        return Some(format!("only {:.0}% of its characters are letters or digits", alphabet * 100.0));
    }
    // Marks read as a line of their own: the accents over a title line that Tesseract put
    // on a line above it ("£ ˆ Lá bÀ ˆ Ẩ ° Lá »"), confident or not. Real lines, even
    // lists of single letters ("a, b, c và d"), are not mostly fragments among symbols.
    let fragments = fragment_share(words);
    if words.len() >= 5 && fragments >= 0.6 && alphabet < 0.7 {
        return Some(format!(
            "{:.0}% of its words are stray characters and only {:.0}% of its characters letters or digits",
            fragments * 100.0,
            alphabet * 100.0
        ));
    }
    if confidence < DOUBTFUL_CONFIDENCE {
        if alphabet < 0.8 {
            return Some(format!(
                "mean confidence {confidence:.0} and only {:.0}% letters or digits",
                alphabet * 100.0
            ));
        }
        if words.len() >= 3 && fragments >= 0.5 {
            return Some(format!(
                "mean confidence {confidence:.0} and {:.0}% of its words are stray characters",
                fragments * 100.0
            ));
        }
        if has_punctuation_run(&text) {
            return Some(format!("mean confidence {confidence:.0} and a run of repeated punctuation"));
        }
    }
    None
}

/// Characters that never stand in Vietnamese administrative print, of two kinds: the
/// typography and letters of other languages (guillemets, the dagger, the German and
/// Nordic letters), and the keyboard's markup signs, which a typed document never prints
/// alone. A seal's rim, a signature's stroke or a speck read as a word comes out as them.
const FOREIGN_GLYPHS: &str = "‹›«»`´¨ˆ˜¸¬†‡¤¦¡¿„‚©®™¶ŒœØøÆæßÞþ¢£¥µƒ‰";
const MARKUP_GLYPHS: &str = "_|{}\\^@#";
/// Punctuation a list letter or footnote is printed with ("a)", "(a)", "“đ”;").
const LIST_PUNCTUATION: &str = "().,;:“”\"'‘’";

/// Why a word of a line with real words beside it is a stray mark, or `None` to keep it:
/// a word made only of symbols of which one never stands in Vietnamese print ("‹", "Ø",
/// "_-", "(#)"), or a single letter wrapped in three symbols or more, two of them none a
/// list letter or an abbreviation ("b/c") is printed with ("Ì“**“"). Real punctuation ("—", ";", "(", "%", "/"), the
/// blanks of a form ("……", "____"), numbers and words are never such marks.
pub fn stray_glyph_reason(word: &str) -> Option<String> {
    let foreign = |c: char| FOREIGN_GLYPHS.contains(c);
    let markup = |c: char| MARKUP_GLYPHS.contains(c);
    let letter = |c: char| c.is_alphanumeric() && !foreign(c);
    let letters = word.chars().filter(|&c| letter(c)).count();
    if letters == 0 {
        // A form's blank to fill in: a run of underscores.
        if word.chars().filter(|&c| c == '_').count() >= 3 && word.chars().all(|c| c == '_' || c == '.' || c == '…') {
            return None;
        }
        if word.chars().any(foreign) {
            return Some(format!("ký hiệu không có trong văn bản hành chính tiếng Việt (vết dấu hoặc vết mực đọc thành chữ): “{word}”"));
        }
        if word.chars().any(markup) {
            return Some(format!("ký hiệu bàn phím không bao giờ đứng riêng trong văn bản in (vết dấu hoặc vết mực): “{word}”"));
        }
        return None;
    }
    let symbols: Vec<char> = word.chars().filter(|&c| !letter(c)).collect();
    let digit = word.chars().any(|c| c.is_ascii_digit());
    let unlisted = symbols.iter().filter(|&&c| !LIST_PUNCTUATION.contains(c) && c != '/').count();
    if letters == 1 && !digit && symbols.len() >= 3 && unlisted >= 2 {
        return Some(format!("một chữ cái lẻ giữa các ký hiệu (vết dấu hoặc vết mực đọc thành chữ): “{word}”"));
    }
    None
}

/// Share of the non-space characters that are letters (of the Vietnamese alphabet, after
/// folding its marks) or digits, counting the punctuation legal text uses as half.
fn alphabet_share(text: &str) -> f32 {
    let mut total = 0.0;
    let mut good = 0.0;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        total += 1.0;
        if is_vietnamese_alphanumeric(c) {
            good += 1.0;
        } else if ".,;:-/()%\"'!?".contains(c) {
            good += 0.5;
        }
    }
    if total == 0.0 { 1.0 } else { good / total }
}

fn is_vietnamese_alphanumeric(c: char) -> bool {
    if c.is_ascii_alphanumeric() {
        return true;
    }
    let mut buf = [0; 4];
    let folded = crate::viet::fold(c.encode_utf8(&mut buf));
    folded.chars().count() == 1 && folded.chars().all(|f| f.is_ascii_alphabetic())
}

/// Share of words that hold at most one letter or digit and are not numbers: in real
/// Vietnamese lines almost every word is a syllable of two letters or more.
fn fragment_share(words: &[(&str, f32)]) -> f32 {
    let fragments = words
        .iter()
        .filter(|(w, _)| w.chars().filter(|c| is_vietnamese_alphanumeric(*c)).count() <= 1)
        .filter(|(w, _)| !w.chars().any(|c| c.is_ascii_digit()))
        .count();
    fragments as f32 / words.len() as f32
}

/// Four or more of the same punctuation mark in a row (`....`, `____`, `::::`).
fn has_punctuation_run(text: &str) -> bool {
    let mut run = 0;
    let mut last = None;
    for c in text.chars() {
        if c.is_ascii_punctuation() && Some(c) == last {
            run += 1;
            if run >= 4 {
                return true;
            }
        } else {
            run = 1;
        }
        last = Some(c);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, confidence: f32) -> Vec<(&str, f32)> {
        text.split_whitespace().map(|w| (w, confidence)).collect()
    }

    #[test]
    fn good_lines_are_kept() {
        for text in [
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;",
            "Số: 1582/QĐ-UBND",
            "- Lưu: VT, NC.",
            "1. Ông Trần Văn Minh, Phó Chủ tịch UBND tỉnh - Trưởng ban;",
            "ở",
        ] {
            assert_eq!(junk_reason(&line(text, 90.0)), None, "{text}");
        }
    }

    #[test]
    fn a_good_line_read_with_middling_confidence_is_kept() {
        let text = "Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện./.";
        assert_eq!(junk_reason(&line(text, 55.0)), None);
    }

    #[test]
    fn speckle_garbage_is_dropped() {
        // Lines Tesseract produced on the speckled band of corpus/cv-3456-ubnd.jpg.
        for (text, confidence) in [
            ("¬- ` X in ...x N ` . . -", 40.0),
            ("° « s., M _*, š š F : : : vs. § s? ..e® °", 35.0),
            ("° ` *s« ..® ` * .. v° -", 50.0),
            ("t - S. ° th ở ° Xã }", 45.0),
        ] {
            assert!(junk_reason(&line(text, confidence)).is_some(), "{text}");
        }
    }

    #[test]
    fn accents_read_as_a_line_of_their_own_are_dropped_even_when_confident() {
        // Over the title of a real Quảng Ngãi report, at confidences 0–91 (mean 62).
        assert!(junk_reason(&line("£ ˆ Lá bÀ ˆ Ẩ ° Lá »", 62.0)).is_some());
        assert_eq!(junk_reason(&line("Điều 1. Các điểm a, b, c và d", 62.0)), None);
        assert_eq!(junk_reason(&line("a) b) c) d) đ)", 90.0)), None);
    }

    #[test]
    fn hopeless_confidence_is_dropped_whatever_the_letters() {
        let reason = junk_reason(&line("An Si the vo và", 12.0)).unwrap();
        assert!(reason.contains("confidence 12"), "{reason}");
    }

    #[test]
    fn repeated_punctuation_with_low_confidence_is_dropped() {
        assert!(junk_reason(&line("ln ........ ww", 50.0)).is_some());
        assert_eq!(junk_reason(&line("Họ và tên: ........................", 90.0)), None);
    }

    #[test]
    fn a_line_of_symbols_alone_is_dropped_but_an_ending_mark_is_kept() {
        // 22-TTR p3: a seal's mark in the margin read as "%" with confidence 87.
        assert!(junk_reason(&line("%", 87.0)).is_some());
        assert!(junk_reason(&line("“ »", 90.0)).is_some());
        assert_eq!(junk_reason(&line("./.", 90.0)), None);
        assert_eq!(junk_reason(&line("50%", 90.0)), None);
    }

    #[test]
    fn stray_glyphs_of_other_scripts_and_markup_are_marks() {
        for word in ["‹", "›", "Ø", "Œ", "`", "„", "_-", "__", "(#)", "#", "|", "_"] {
            assert!(stray_glyph_reason(word).is_some(), "{word}");
        }
        assert!(stray_glyph_reason("‹").unwrap().contains("không có trong văn bản"));
        assert!(stray_glyph_reason("#").unwrap().contains("bàn phím"));
    }

    #[test]
    fn a_lone_letter_wrapped_in_marks_is_a_mark_but_a_list_letter_is_not() {
        assert!(stray_glyph_reason("Ì“**“").is_some());
        for word in ["“a”;", "(a)", "a);", "đ)", "“đ”,", "b/c", "(*)", "(**)"] {
            assert_eq!(stray_glyph_reason(word), None, "{word}");
        }
    }

    #[test]
    fn punctuation_numbers_blanks_and_words_are_never_stray_glyphs() {
        for word in [
            "—", "–", "-", ";", ":", "(", ")", "\"", "“", "”", "/", "%", "./.", "...", "……", "____", "___...", "=", "&", "§", "°", "*",
            "50%", "2#", "0Ð", "K„", "(b/©);", "ố†Ï", "Ìn", "ở", "UBND", "19/6/2015", "a)",
        ] {
            assert_eq!(stray_glyph_reason(word), None, "{word}");
        }
    }

    #[test]
    fn empty_line_is_not_judged() {
        assert_eq!(junk_reason(&[]), None);
    }
}
