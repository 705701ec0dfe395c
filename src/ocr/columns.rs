//! Side-by-side columns inside one Tesseract line. A directive's header has the issuer
//! on the left and the national motto on the right, and its footer has "Nơi nhận" beside
//! the signer; Tesseract's auto segmentation often reads each pair as one long line
//! ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), which hides the issuer from
//! extraction. Where consecutive lines have a wide gap at the same place, the run is
//! rewritten as the left column's lines, then the right column's.

use super::tsv::TsvLine;

/// A gap wider than this many word heights separates columns; justified body text
/// stretches spaces to about one word height at most.
const COLUMN_GAP_HEIGHTS: u32 = 3;

/// Paragraph ids given to the rewritten columns, so that a blank line separates them.
const LEFT_COLUMN: u32 = u32::MAX - 1;
const RIGHT_COLUMN: u32 = u32::MAX;

fn left(line: &TsvLine) -> u32 {
    line.words.first().map_or(0, |w| w.bbox[0])
}

fn right(line: &TsvLine) -> u32 {
    line.words.last().map_or(0, |w| w.bbox[0] + w.bbox[2])
}

/// Where the line splits into two columns: (index of the first right-hand word, the
/// x coordinate in the middle of the gap).
fn split_point(line: &TsvLine) -> Option<(usize, u32)> {
    let mut heights: Vec<u32> = line.words.iter().map(|w| w.bbox[3]).collect();
    heights.sort_unstable();
    let height = *heights.get(heights.len() / 2)?;
    let threshold = (height * COLUMN_GAP_HEIGHTS).max(60);
    line.words
        .windows(2)
        .enumerate()
        .map(|(i, pair)| {
            let end = pair[0].bbox[0] + pair[0].bbox[2];
            (i + 1, end, pair[1].bbox[0].saturating_sub(end))
        })
        .filter(|&(_, _, gap)| gap > threshold)
        .max_by_key(|&(_, _, gap)| gap)
        .map(|(index, end, gap)| (index, end + gap / 2))
}

/// Rewrites runs of two-column lines; other lines pass through unchanged.
pub fn split_columns(lines: Vec<TsvLine>) -> Vec<TsvLine> {
    let mut out: Vec<TsvLine> = Vec::with_capacity(lines.len());
    let mut lines = lines.into_iter().peekable();
    while let Some(line) = lines.next() {
        let Some((index, boundary)) = split_point(&line) else {
            out.push(line);
            continue;
        };
        let block = line.block;
        let (mut lefts, mut rights) = (Vec::new(), Vec::new());
        // Lines just before, in the same block and wholly on one side, belong to the run
        // too (a signer's "KT. CHỦ TỊCH" above the "Nơi nhận:" line).
        let mut before = Vec::new();
        while let Some(prev) = out.last().filter(|p| p.block == block && one_side(p, boundary).is_some()) {
            if prev.paragraph >= LEFT_COLUMN {
                break;
            }
            before.push(out.pop().expect("checked above"));
        }
        for prev in before.into_iter().rev() {
            place(prev, boundary, &mut lefts, &mut rights);
        }
        push_split(line, index, &mut lefts, &mut rights);
        // The run goes on while lines split at the same place, or, within Tesseract's
        // block, sit wholly on one side.
        while let Some(next) = lines.peek() {
            let splits_here = split_point(next)
                .filter(|&(i, _)| right_of(next, i - 1) < boundary && next.words[i].bbox[0] > boundary);
            if let Some((index, _)) = splits_here {
                push_split(lines.next().expect("peeked"), index, &mut lefts, &mut rights);
            } else if next.block == block && one_side(next, boundary).is_some() {
                place(lines.next().expect("peeked"), boundary, &mut lefts, &mut rights);
            } else {
                break;
            }
        }
        // One block for the whole run, so that each column reads as one paragraph.
        out.extend(lefts.into_iter().chain(rights).map(|line| TsvLine { block, ..line }));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

/// Which side of `boundary` the whole line is on, if it does not cross it.
fn one_side(line: &TsvLine, boundary: u32) -> Option<Side> {
    if line.words.is_empty() {
        None
    } else if right(line) < boundary {
        Some(Side::Left)
    } else if left(line) > boundary {
        Some(Side::Right)
    } else {
        None
    }
}

fn place(line: TsvLine, boundary: u32, lefts: &mut Vec<TsvLine>, rights: &mut Vec<TsvLine>) {
    match one_side(&line, boundary) {
        Some(Side::Right) => rights.push(column_line(line, RIGHT_COLUMN)),
        _ => lefts.push(column_line(line, LEFT_COLUMN)),
    }
}

fn right_of(line: &TsvLine, word: usize) -> u32 {
    let b = line.words[word].bbox;
    b[0] + b[2]
}

fn column_line(mut line: TsvLine, paragraph: u32) -> TsvLine {
    line.paragraph = paragraph;
    line
}

fn push_split(mut line: TsvLine, index: usize, lefts: &mut Vec<TsvLine>, rights: &mut Vec<TsvLine>) {
    let right_words = line.words.split_off(index);
    rights.push(TsvLine { block: line.block, paragraph: RIGHT_COLUMN, words: right_words });
    lefts.push(column_line(line, LEFT_COLUMN));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::tsv::TsvWord;

    /// A line of words at the given x positions, each 100 px wide and 50 px high.
    fn line(words: &[(&str, u32)]) -> TsvLine {
        TsvLine {
            block: 1,
            paragraph: 1,
            words: words
                .iter()
                .map(|&(text, x)| TsvWord { text: text.to_owned(), confidence: 95.0, bbox: [x, 0, 100, 50] })
                .collect(),
        }
    }

    fn texts(lines: &[TsvLine]) -> Vec<String> {
        lines.iter().map(TsvLine::text).collect()
    }

    #[test]
    fn a_two_column_header_becomes_the_left_column_then_the_right() {
        let lines = vec![
            line(&[("ỦY", 300), ("BAN", 420), ("CỘNG", 1300), ("HÒA", 1420)]),
            line(&[("TỈNH", 320), ("BP", 440), ("Độc", 1320), ("lập", 1440)]),
            line(&[("Số:", 300), ("1582/QĐ-UBND", 420), ("Bình", 1250), ("Phước,", 1370)]),
            line(&[("V/v", 300), ("đôn", 420)]),
            line(&[("Căn", 350), ("cứ", 470), ("Luật", 590), ("Tổ", 710), ("chức", 830), ("chính", 950), ("quyền", 1070), ("địa", 1190), ("phương", 1310)]),
        ];
        let out = split_columns(lines);
        assert_eq!(
            texts(&out),
            ["ỦY BAN", "TỈNH BP", "Số: 1582/QĐ-UBND", "V/v đôn", "CỘNG HÒA", "Độc lập", "Bình Phước,", "Căn cứ Luật Tổ chức chính quyền địa phương"]
        );
        assert_eq!(out[0].paragraph, LEFT_COLUMN);
        assert_eq!(out[4].paragraph, RIGHT_COLUMN);
        assert_eq!(out[7].paragraph, 1, "body text is left alone");
    }

    #[test]
    fn a_signer_line_above_the_run_joins_the_right_column() {
        let mut signer = line(&[("KT.", 1500), ("CHỦ", 1620), ("TỊCH", 1740)]);
        signer.block = 7;
        let mut footer = line(&[("Nơi", 300), ("nhận:", 420), ("PHÓ", 1500), ("CHỦ", 1620)]);
        footer.block = 7;
        let mut body = line(&[("này./.", 350)]);
        body.block = 6;
        let out = split_columns(vec![body, signer, footer]);
        assert_eq!(texts(&out), ["này./.", "Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ"]);
    }

    #[test]
    fn body_text_with_ordinary_spaces_is_not_split() {
        let body = line(&[("Điều", 350), ("1.", 470), ("Thành", 590), ("lập", 710)]);
        assert_eq!(split_columns(vec![body.clone()]), vec![body]);
    }

    #[test]
    fn empty_lines_do_not_panic() {
        let empty = TsvLine { block: 1, paragraph: 1, words: Vec::new() };
        assert_eq!(split_columns(vec![empty.clone()]), vec![empty]);
    }
}
