//! Reading the training corpus: which files are held out, and the running text of a
//! Markdown file without its front matter and markup.

use anyhow::Context;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One file in twenty is held out for evaluation, chosen by a hash of its path inside the
/// corpus so the split does not depend on the machine or the order of the walk.
const HOLDOUT_ONE_IN: u32 = 20;

/// A corpus file and whether evaluation owns it.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub path: PathBuf,
    /// Path inside the corpus folder, with `/` separators: the key of the split.
    pub relative: String,
    pub held_out: bool,
}

/// Every `.md` file under `dir`, sorted by relative path.
pub fn list_files(dir: &Path) -> anyhow::Result<Vec<CorpusFile>> {
    if !dir.is_dir() {
        anyhow::bail!("{}: corpus folder not found (give --corpus DIR)", dir.display());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("walking {}", dir.display()))?;
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if relative.eq_ignore_ascii_case("README.md") {
            continue;
        }
        files.push(CorpusFile { held_out: is_held_out(&relative), path: path.to_path_buf(), relative });
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(files)
}

pub fn is_held_out(relative: &str) -> bool {
    let digest = Sha256::digest(relative.as_bytes());
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % HOLDOUT_ONE_IN == 0
}

/// Lines of at least this many words that a held-out file contains are dropped from the
/// training text: legal documents copy whole paragraphs from one another (one held-out
/// file was three quarters a copy of a training file), and a model that saw the
/// paragraph would be scored on text it learned by heart. Shorter lines are formulas
/// every document repeats ("Căn cứ Luật Tổ chức Chính phủ;"), which the model is right
/// to know.
pub const MIN_SHARED_LINE_WORDS: usize = 8;

/// The words of a line as they are compared: without the punctuation around them,
/// lowercase, without marks (hòa = hoà = HOÀ).
fn comparable_words(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| crate::viet::fold(&w.to_lowercase()))
        .collect()
}

/// A hash of each run of [`MIN_SHARED_LINE_WORDS`] words.
fn shingles(words: &[String]) -> impl Iterator<Item = u64> + '_ {
    use std::hash::{Hash, Hasher};
    words.windows(MIN_SHARED_LINE_WORDS).map(|window| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        window.hash(&mut h);
        h.finish()
    })
}

/// The content split: every line of at least [`MIN_SHARED_LINE_WORDS`] words of the
/// held-out files. A training line is held out with them when it is one of them, contains
/// one, or (being that long itself) is contained in one: legal text is copied in whole
/// paragraphs and in clauses of them.
#[derive(Debug, Default)]
pub struct HeldOutLines {
    /// Comparable words of each distinct line.
    lines: Vec<Vec<String>>,
    /// Hash of the first run of words of each line → the lines starting with it.
    by_start: std::collections::HashMap<u64, Vec<u32>>,
    /// Hash of every run of words → (line, position) where it occurs.
    by_shingle: std::collections::HashMap<u64, Vec<(u32, u32)>>,
}

impl HeldOutLines {
    pub fn of(files: &[CorpusFile]) -> anyhow::Result<HeldOutLines> {
        let mut seen = HashSet::new();
        let mut out = HeldOutLines::default();
        for f in files.iter().filter(|f| f.held_out) {
            for line in read_running_text(&f.path)?.lines() {
                let words = comparable_words(line);
                if words.len() < MIN_SHARED_LINE_WORDS || !seen.insert(words.clone()) {
                    continue;
                }
                let id = out.lines.len() as u32;
                for (at, shingle) in shingles(&words).enumerate() {
                    if at == 0 {
                        out.by_start.entry(shingle).or_default().push(id);
                    }
                    out.by_shingle.entry(shingle).or_default().push((id, at as u32));
                }
                out.lines.push(words);
            }
        }
        Ok(out)
    }

    /// Whether `line` (of a training file) shares a held-out line: equal to one,
    /// containing one, or contained in one.
    pub fn contains(&self, line: &str) -> bool {
        if self.lines.is_empty() {
            return false;
        }
        let words = comparable_words(line);
        if words.len() < MIN_SHARED_LINE_WORDS {
            return false;
        }
        for (at, shingle) in shingles(&words).enumerate() {
            // A held-out line starting here and fitting in the rest of this one.
            for &id in self.by_start.get(&shingle).into_iter().flatten() {
                let held = &self.lines[id as usize];
                if words[at..].starts_with(held) {
                    return true;
                }
            }
            // This line inside a held-out one.
            if at == 0 {
                for &(id, position) in self.by_shingle.get(&shingle).into_iter().flatten() {
                    if self.lines[id as usize][position as usize..].starts_with(&words) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Held-out lines (distinct).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// What the models may learn from: the running text of every held-in file without the
/// lines a held-out file also contains. Every model built by `vanban dict build` and
/// every training page of `vanban dict ocr` reads its text from here.
#[derive(Debug)]
pub struct TrainingText {
    /// (relative path, running text without the shared lines), in path order.
    pub files: Vec<(String, String)>,
    /// Lines left out, and their words.
    pub dropped_lines: usize,
    pub dropped_words: usize,
}

impl TrainingText {
    pub fn read(files: &[CorpusFile]) -> anyhow::Result<TrainingText> {
        let held_out = HeldOutLines::of(files)?;
        let per_file: Vec<anyhow::Result<(String, String, usize, usize)>> = files
            .par_iter()
            .filter(|f| !f.held_out)
            .map(|f| {
                let text = read_running_text(&f.path)?;
                let (mut kept, mut lines, mut words) = (String::with_capacity(text.len()), 0, 0);
                for line in text.lines() {
                    if held_out.contains(line) {
                        lines += 1;
                        words += line.split_whitespace().count();
                    } else {
                        kept.push_str(line);
                        kept.push('\n');
                    }
                }
                Ok((f.relative.clone(), kept, lines, words))
            })
            .collect();
        let mut out = TrainingText { files: Vec::new(), dropped_lines: 0, dropped_words: 0 };
        for file in per_file {
            let (relative, text, lines, words) = file?;
            out.files.push((relative, text));
            out.dropped_lines += lines;
            out.dropped_words += words;
        }
        Ok(out)
    }

    /// SHA-256 of the training text (path, text, path, text…): written beside the
    /// models, so a test can tell that the committed models were built from this text.
    pub fn digest(&self) -> String {
        let mut hash = Sha256::new();
        for (relative, text) in &self.files {
            hash.update(relative.as_bytes());
            hash.update([0]);
            hash.update(text.as_bytes());
            hash.update([0]);
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The running text of a corpus file, one paragraph (or table cell) a line, NFC.
pub fn read_running_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(crate::viet::nfc(&strip_markdown(&text)))
}

/// Drops YAML front matter, rules, and Markdown markup (headings, emphasis, list and quote
/// markers, table pipes, links, HTML tags), keeping the words.
pub fn strip_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    if lines.peek().map(|l| l.trim_end() == "---").unwrap_or(false) {
        lines.next();
        for line in lines.by_ref() {
            if line.trim_end() == "---" {
                break;
            }
        }
    }
    for line in lines {
        let line = line.trim();
        if line.is_empty() || line.chars().all(|c| matches!(c, '-' | '=' | '*' | '_' | '|' | ':' | ' ')) {
            continue;
        }
        if line.starts_with('|') {
            for cell in line.split('|') {
                push_clean(&mut out, cell);
            }
        } else {
            push_clean(&mut out, line);
        }
    }
    out
}

fn push_clean(out: &mut String, line: &str) {
    let mut line = line.trim();
    line = line.trim_start_matches('#').trim_start_matches('>').trim_start();
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            line = rest;
        }
    }
    let mut cleaned = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' => {}
            '_' if chars.peek() == Some(&'_') => {
                chars.next();
            }
            '<' => {
                // An HTML tag: skip to its end.
                for t in chars.by_ref() {
                    if t == '>' {
                        break;
                    }
                }
            }
            ']' if chars.peek() == Some(&'(') => {
                for t in chars.by_ref() {
                    if t == ')' {
                        break;
                    }
                }
            }
            '[' => {}
            _ => cleaned.push(c),
        }
    }
    let cleaned = cleaned.trim();
    if !cleaned.is_empty() {
        out.push_str(cleaned);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_front_matter_and_markup() {
        let md = "---\ntitle: \"x\"\nso_hieu: \"1/QĐ\"\n---\n\n# NGHỊ ĐỊNH\n\n**Số: 06/2026/NĐ-CP**\n\n---\n| Cột một | [Điều 2](http://x) |\n- Mục <b>một</b>\n";
        assert_eq!(strip_markdown(md), "NGHỊ ĐỊNH\nSố: 06/2026/NĐ-CP\nCột một\nĐiều 2\nMục một\n");
    }

    #[test]
    fn a_training_line_sharing_a_held_out_line_is_held_out() {
        let held = "Giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan thực hiện.";
        let mut lines = HeldOutLines::default();
        let words = comparable_words(held);
        for (at, shingle) in shingles(&words).enumerate() {
            if at == 0 {
                lines.by_start.entry(shingle).or_default().push(0);
            }
            lines.by_shingle.entry(shingle).or_default().push((0, at as u32));
        }
        lines.lines.push(words);
        // The same line, with other case, marks and punctuation.
        assert!(lines.contains("GIAO SỞ TÀI CHÍNH chủ trì phối hợp với các sở ngành liên quan thực hiện"));
        // A paragraph containing it, and a clause of it.
        assert!(lines.contains("Điều 3. Giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan thực hiện. Quyết định này có hiệu lực."));
        assert!(lines.contains("chủ trì, phối hợp với các sở, ngành liên quan"));
        // Short lines are formulas, and a different clause is different.
        assert!(!lines.contains("Giao Sở Tài chính chủ trì"));
        assert!(!lines.contains("Giao Sở Nội vụ chủ trì, phối hợp với các sở, ngành liên quan thực hiện."));
    }
}
