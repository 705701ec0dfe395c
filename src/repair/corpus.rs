//! Reading the training corpus: which files are held out, and the running text of a
//! Markdown file without its front matter and markup.

use anyhow::Context;
use sha2::{Digest, Sha256};
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
}
