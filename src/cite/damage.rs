//! A deterministic imitation of legacy OCR damage, for the evaluation's damaged copies of
//! the gold documents. Modelled on the legacy sample's text layer: most diacritics gone,
//! "số" read as s6/sb/sé/so, "của" as ctia/cia, QĐ as QD/QB/QÐ, NĐ as ND, stray spaces
//! and hyphens inside numbers, a line break inside a citation.
//!
//! Same input, same output: the generator is seeded from the text itself.

use unicode_normalization::UnicodeNormalization;

/// A small xorshift generator: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn seeded(text: &str) -> Rng {
        let mut h: u64 = 0xcbf29ce484222325;
        for b in text.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
        Rng(h | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[(self.next() % options.len() as u64) as usize]
    }
}

/// Returns `text` as a legacy OCR layer might have read it.
pub fn damage(text: &str) -> String {
    let mut rng = Rng::seeded(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut first = true;
        for word in line.split(' ') {
            if !first {
                out.push(' ');
            }
            first = false;
            damage_word(word, &mut rng, &mut out);
        }
    }
    out
}

fn damage_word(word: &str, rng: &mut Rng, out: &mut String) {
    let lower = word.to_lowercase();
    match lower.trim_end_matches([':', ',']) {
        "số" => {
            let marker = rng.pick(&["s6", "sb", "sé", "so", "số", "sd"]);
            out.push_str(&if word.starts_with('S') { capitalize(marker) } else { marker.to_owned() });
            out.push_str(&word[word.trim_end_matches([':', ',']).len()..]);
            // A citation broken across lines after its "số".
            if rng.chance(12) && !word.ends_with(':') {
                out.push('\n');
                // The caller adds a space before the next word; the line starts with it.
            }
            return;
        }
        "của" => {
            out.push_str(rng.pick(&["ctia", "cia", "cua", "ciia", "của"]));
            return;
        }
        _ => {}
    }
    if word.chars().any(|c| c.is_ascii_digit()) && (word.contains('/') || word.contains('-')) {
        out.push_str(&damage_number(word, rng));
        return;
    }
    // Upper-case words (issuer lines, titles) lose their marks less often than running text.
    let strip = if word.chars().all(|c| !c.is_lowercase()) { 45 } else { 75 };
    if rng.chance(strip) {
        out.push_str(&strip_marks(word, rng));
    } else {
        out.push_str(word);
    }
}

/// Damage inside a number/symbol: Đ misread, stray spaces and hyphens, O for 0, a break
/// after a Party number's hyphen.
fn damage_number(word: &str, rng: &mut Rng) -> String {
    let mut s = word.to_owned();
    if s.contains("QĐ") {
        s = s.replacen("QĐ", rng.pick(&["QD", "QB", "QÐ", "QĐ", "QD"]), 1);
    }
    if s.contains("NĐ") && rng.chance(60) {
        s = s.replacen("NĐ", "ND", 1);
    }
    if s.ends_with("/TW") && rng.chance(20) {
        s = format!("{}TƯ", &s[..s.len() - 2]);
    }
    if let Some(pos) = s.find('-') {
        let roll = rng.next() % 100;
        if roll < 15 {
            s.insert(pos + 1, ' ');
        } else if roll < 25 {
            s.replace_range(pos..pos + 1, "- -");
        } else if roll < 33 && s[..pos].chars().all(|c| c.is_ascii_digit()) {
            // "Thông tri số 37-" / "TT/TU"
            s.insert(pos + 1, '\n');
        }
    }
    if rng.chance(8) {
        if let Some(pos) = s.find('0') {
            s.replace_range(pos..pos + 1, "O");
        }
    }
    if rng.chance(10) {
        if let Some(pos) = s.find('1') {
            s.replace_range(pos..pos + 1, "l");
        }
    }
    if rng.chance(10) && s.contains("KH") {
        // "KII" for KH: the H's crossbar lost.
        s = s.replacen("KH", "KII", 1);
    }
    let party_hyphen = s.find('-').filter(|&p| s[..p].chars().all(|c| c.is_ascii_alphanumeric()) && s[p..].contains('/'));
    if let (Some(pos), true) = (party_hyphen, rng.chance(10)) {
        // "31 KH/TU": the hyphen read as a space.
        s.replace_range(pos..pos + 1, " ");
    } else if rng.chance(10) {
        if let Some(pos) = s.find('/') {
            s.insert(pos, ' ');
        }
    }
    s
}

/// Drops diacritics; now and then keeps a wrong one, as OCR does ("é" for "ê").
fn strip_marks(word: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        if ('\u{0300}'..='\u{036f}').contains(&c) {
            if c == '\u{0302}' && rng.chance(30) {
                out.push('\u{0301}');
            }
            continue;
        }
        out.push(match c {
            'đ' => 'd',
            'Đ' => if rng.chance(50) { 'D' } else { 'P' },
            _ => c,
        });
    }
    out.nfc().collect()
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damage_is_deterministic_and_changes_the_text() {
        let text = "Thực hiện Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương Đảng về công tác dân vận";
        assert_eq!(damage(text), damage(text));
        assert_ne!(damage(text), text);
    }

    #[test]
    fn damaged_numbers_still_parse_to_the_same_id() {
        for n in 0..40 {
            let text = format!("Quyết định số {n}7-QĐ/TW và Nghị định số {n}3/2020/NĐ-CP ngày 5/3/2020");
            let damaged = damage(&text);
            let ids: Vec<String> = crate::cite::extract(&damaged).citations.iter().filter_map(|c| c.id.as_ref().map(|d| d.to_string())).collect();
            assert_eq!(ids, [format!("{n}7-QĐ/TW"), format!("{n}3/2020/NĐ-CP")], "{damaged}");
        }
    }
}
