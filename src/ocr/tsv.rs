//! Tesseract's TSV output (`GetTSVText`) read into lines of words with confidences and
//! boxes. Columns: level page block par line word left top width height conf text;
//! level 5 rows are words.

/// One word as Tesseract reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct TsvWord {
    pub text: String,
    pub confidence: f32,
    pub bbox: [u32; 4],
}

/// The words of one text line, and where the line sits in Tesseract's layout.
#[derive(Debug, Clone, PartialEq)]
pub struct TsvLine {
    pub block: u32,
    pub paragraph: u32,
    pub words: Vec<TsvWord>,
}

impl TsvLine {
    pub fn text(&self) -> String {
        let words: Vec<&str> = self.words.iter().map(|w| w.text.as_str()).collect();
        words.join(" ")
    }

    pub fn mean_confidence(&self) -> f32 {
        mean(self.words.iter().map(|w| w.confidence))
    }
}

pub fn mean(values: impl Iterator<Item = f32>) -> f32 {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { sum / n as f32 }
}

/// Groups the word rows by (block, paragraph, line), in Tesseract's reading order.
/// Rows that do not parse and words that are only whitespace are skipped.
pub fn parse(tsv: &str) -> Vec<TsvLine> {
    let mut lines: Vec<TsvLine> = Vec::new();
    let mut current_key = None;
    for row in tsv.lines() {
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<u32>().ok();
        let (Some(block), Some(par), Some(line)) = (num(2), num(3), num(4)) else { continue };
        let (Some(left), Some(top), Some(width), Some(height)) = (num(6), num(7), num(8), num(9)) else { continue };
        let Ok(confidence) = cols[10].trim().parse::<f32>() else { continue };
        let text = cols[11].trim();
        if text.is_empty() {
            continue;
        }
        let word = TsvWord {
            text: crate::viet::nfc(text),
            confidence: confidence.clamp(0.0, 100.0),
            bbox: [left, top, width, height],
        };
        let key = (block, par, line);
        if current_key != Some(key) {
            current_key = Some(key);
            lines.push(TsvLine { block, paragraph: par, words: Vec::new() });
        }
        lines.last_mut().expect("pushed above").words.push(word);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
        4\t1\t1\t1\t1\t0\t236\t200\t600\t50\t-1\t\n\
        5\t1\t1\t1\t1\t1\t236\t200\t120\t50\t96.5\tSố:\n\
        5\t1\t1\t1\t1\t2\t380\t200\t400\t50\t91.25\t1582/QĐ-UBND\n\
        5\t1\t1\t1\t2\t1\t236\t260\t80\t50\t95\t \n\
        5\t1\t2\t1\t1\t1\t1200\t200\t300\t50\t40\tCỘNG\n\
        garbage row\n";

    #[test]
    fn words_are_grouped_into_lines_with_boxes_and_confidences() {
        let lines = parse(SAMPLE);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0].text(), "Số: 1582/QĐ-UBND");
        assert_eq!(lines[0].words[1].bbox, [380, 200, 400, 50]);
        assert!((lines[0].mean_confidence() - 93.875).abs() < 1e-4);
        assert_eq!((lines[1].block, lines[1].paragraph), (2, 1));
    }

    #[test]
    fn empty_output_gives_no_lines() {
        assert!(parse("").is_empty());
        assert_eq!(mean(std::iter::empty()), 0.0);
    }
}
