//! Where the subject under the title ends, by the lines' geometry.
//!
//! The text reader ([`crate::cite`]) finds the subject under "CHỈ THỊ" / "QUYẾT ĐỊNH" as the
//! lines that follow, up to a blank line or a line that opens like a body ("Căn cứ …",
//! "Thực hiện …"). On a scan the blank line is often lost and the body's first word misread
//! ("“rang thời gian qua, …" for "Trong thời gian qua, …"), so the subject runs on into the
//! body. The page's word boxes tell them apart the way a reader does: subject lines are
//! centred under the title; the body's first line starts at the paragraph indent and runs to
//! the right margin of the text column.
//!
//! Pure geometry over the page's [`OcrWord`]s and its text lines (the repaired text keeps
//! the raw text's lines, which the words are numbered by).

use crate::record::OcrWord;

/// One OCR line's extent, in page pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox {
    /// 1-based line number in the page's text (as [`OcrWord::line`]).
    pub line: u32,
    pub left: u32,
    pub right: u32,
    pub top: u32,
    pub bottom: u32,
}

impl LineBox {
    fn height(&self) -> u32 {
        self.bottom.saturating_sub(self.top)
    }
}

/// The extent of each line the words are on, in line order.
pub fn line_boxes(words: &[OcrWord]) -> Vec<LineBox> {
    let mut boxes: Vec<LineBox> = Vec::new();
    for w in words.iter().filter(|w| !w.text.trim().is_empty()) {
        let [l, t, wd, h] = w.bbox;
        let (r, b) = (l.saturating_add(wd), t.saturating_add(h));
        match boxes.iter_mut().find(|x| x.line == w.line) {
            Some(x) => {
                x.left = x.left.min(l);
                x.right = x.right.max(r);
                x.top = x.top.min(t);
                x.bottom = x.bottom.max(b);
            }
            None => boxes.push(LineBox { line: w.line, left: l, right: r, top: t, bottom: b }),
        }
    }
    boxes.sort_by_key(|b| b.line);
    boxes
}

/// The text column: the median left and right edge of the page's long lines (a justified
/// body's lines share both). `None` with fewer than three long lines.
fn text_column(boxes: &[LineBox]) -> Option<(u32, u32)> {
    let widest = boxes.iter().map(|b| b.right.saturating_sub(b.left)).max()?;
    let long: Vec<&LineBox> = boxes.iter().filter(|b| b.right.saturating_sub(b.left) * 5 >= widest * 4).collect();
    if long.len() < 3 {
        return None;
    }
    let median = |mut v: Vec<u32>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    Some((median(long.iter().map(|b| b.left).collect()), median(long.iter().map(|b| b.right).collect())))
}

/// Whether a line is shaped as a body paragraph's first line, not a centred subject line:
/// it reaches the column's right margin and starts clearly further from the left margin
/// than it ends from the right one (the paragraph indent), by more than a line height.
fn opens_paragraph(b: &LineBox, column: (u32, u32), line_height: u32) -> bool {
    let (col_left, col_right) = column;
    let to_left = b.left.saturating_sub(col_left);
    let to_right = col_right.saturating_sub(b.right);
    to_right <= line_height && to_left >= to_right + line_height * 3 / 2
}

/// The page's line pitch: the median distance from one line's top to the next one's, over
/// neighbouring lines of the same column (steps of half a line height to three).
fn line_pitch(boxes: &[LineBox], line_height: u32) -> Option<u32> {
    let mut tops: Vec<u32> = boxes.iter().map(|b| b.top).collect();
    tops.sort_unstable();
    let mut steps: Vec<u32> = tops.windows(2).map(|w| w[1] - w[0]).filter(|&d| d * 2 >= line_height && d <= line_height * 3).collect();
    steps.sort_unstable();
    steps.get(steps.len() / 2).copied()
}

/// Whether line `b`, under the subject's line `above`, is past the subject: far below it (a
/// seal or figure between, whose lines OCR lost), or after a gap wider than the lines'
/// spacing and shaped as a paragraph's first line. Without the gap an indented line that
/// runs to the margin is the subject's own second line (a long subject fills the column).
fn past_subject(b: &LineBox, above: &LineBox, column: (u32, u32), line_height: u32, pitch: u32) -> bool {
    let step = b.top.saturating_sub(above.top);
    step > pitch * 3 || step * 10 >= pitch * 14 && opens_paragraph(b, column, line_height)
}

/// The subject cut before the first of its lines that the page lays out as the body's
/// opening line. `subject` is what the text reader gave; `page_text` is the page's
/// (repaired) text whose lines the `words` are numbered by. Returns `subject` unchanged
/// when the lines cannot be found or say nothing.
pub fn trim_to_layout(subject: &str, words: &[OcrWord], page_text: &str) -> String {
    let boxes = line_boxes(words);
    let Some(column) = text_column(&boxes) else { return subject.to_owned() };
    let lines: Vec<&str> = page_text.lines().collect();
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut heights: Vec<u32> = boxes.iter().map(LineBox::height).filter(|&h| h > 0).collect();
    heights.sort_unstable();
    let Some(&line_height) = heights.get(heights.len() / 2) else { return subject.to_owned() };
    let Some(pitch) = line_pitch(&boxes, line_height) else { return subject.to_owned() };
    // The subject's lines: consecutive page lines whose whole text stands in the subject,
    // from the one where the subject starts.
    let mut from = 0;
    let mut above: Option<&LineBox> = None;
    for b in &boxes {
        let seen_first = above.is_some();
        let Some(text) = b.line.checked_sub(1).and_then(|i| lines.get(i as usize)).map(|t| squash(t)) else { continue };
        // Short lines ("Quảng Ngãi", a lone word) are found anywhere; they say nothing.
        if text.chars().count() < 12 {
            continue;
        }
        let Some(at) = subject[from..].find(&text).map(|i| i + from) else {
            if seen_first {
                break;
            }
            continue;
        };
        if above.is_some_and(|a| at > 0 && past_subject(b, a, column, line_height, pitch)) {
            return subject[..at].trim_end().to_owned();
        }
        above = Some(b);
        from = at + text.len();
    }
    subject.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Word boxes of a page from its lines (text, left, right, top), numbered from 1. One
    /// evenly spaced word per syllable is enough for the geometry: the words' union is the line.
    fn page(lines: &[(&str, u32, u32, u32)]) -> Vec<OcrWord> {
        let mut out = Vec::new();
        for (n, &(text, left, right, top)) in (1u32..).zip(lines) {
            let words: Vec<&str> = text.split_whitespace().collect();
            let step = (right - left) / words.len() as u32;
            out.extend(words.iter().enumerate().map(|(i, w)| OcrWord {
                text: (*w).to_owned(),
                confidence: 95.0,
                bbox: [left + i as u32 * step, top, step - 5, 50],
                line: n,
            }));
        }
        out
    }

    #[test]
    fn the_body_opening_under_a_centred_subject_is_cut_off() {
        let text = "CHỈ THỊ\nVề việc tăng cường công tác thi hành án hành chính\ntrên địa bàn tỉnh Quảng Ngãi\n“rang thời gian qua, công tác triển khai thi hành Luật\ntố tụng hành chính đã đạt được nhiều kết quả quan trọng\nbảo đảm quyền và lợi ích hợp pháp của cơ quan, tổ chức";
        let words = page(&[
            ("CHỈ THỊ", 1100, 1400, 600),
            ("Về việc tăng cường công tác thi hành án hành chính", 650, 1850, 680),
            ("trên địa bàn tỉnh Quảng Ngãi", 900, 1600, 740),
            ("“rang thời gian qua, công tác triển khai thi hành Luật", 560, 2200, 860),
            ("tố tụng hành chính đã đạt được nhiều kết quả quan trọng", 400, 2200, 920),
            ("bảo đảm quyền và lợi ích hợp pháp của cơ quan, tổ chức", 400, 2200, 980),
        ]);
        let subject = "Về việc tăng cường công tác thi hành án hành chính trên địa bàn tỉnh Quảng Ngãi “rang thời gian qua, công tác triển khai thi hành Luật";
        assert_eq!(trim_to_layout(subject, &words, text), "Về việc tăng cường công tác thi hành án hành chính trên địa bàn tỉnh Quảng Ngãi");
        // A subject of centred lines only is kept whole, and so is one whose lines are
        // not on the page.
        let whole = "Về việc tăng cường công tác thi hành án hành chính trên địa bàn tỉnh Quảng Ngãi";
        assert_eq!(trim_to_layout(whole, &words, text), whole);
        assert_eq!(trim_to_layout("Về việc khác", &words, text), "Về việc khác");
        // A long subject's second line, indented and running to the margin right under the
        // first, is the subject's; so is the body after it only past a gap.
        let text = "CHỈ THỊ\nVề việc tăng cường công tác quản lý nhà nước để hỗ trợ nhà đầu tư\ndự án sử dụng vốn ngoài ngân sách nhà nước tại tỉnh Quảng Ngãi\nThời gian qua, các cấp, các ngành đã có nhiều cố gắng trong lãnh đạo\nquản lý nhà nước về cải cách thủ tục hành chính, thu hút đầu tư\nđối với các dự án đầu tư bằng nguồn vốn ngoài ngân sách Nhà nước";
        let spreading = "tạo sự chuyển biến tích cực trong việc cải thiện môi trường đầu tư";
        let long = page(&[
            ("CHỈ THỊ", 1100, 1400, 430),
            ("Về việc tăng cường công tác quản lý nhà nước để hỗ trợ nhà đầu tư", 410, 2080, 490),
            ("dự án sử dụng vốn ngoài ngân sách nhà nước tại tỉnh Quảng Ngãi", 470, 2190, 565),
            ("Thời gian qua, các cấp, các ngành đã có nhiều cố gắng trong lãnh đạo", 420, 2200, 695),
            ("quản lý nhà nước về cải cách thủ tục hành chính, thu hút đầu tư", 300, 2200, 765),
            ("đối với các dự án đầu tư bằng nguồn vốn ngoài ngân sách Nhà nước", 300, 2200, 835),
            (spreading, 300, 2200, 905),
            (spreading, 300, 2200, 975),
            (spreading, 300, 2200, 1045),
        ]);
        let subject = "Về việc tăng cường công tác quản lý nhà nước để hỗ trợ nhà đầu tư dự án sử dụng vốn ngoài ngân sách nhà nước tại tỉnh Quảng Ngãi";
        assert_eq!(trim_to_layout(subject, &long, text), subject);
        let run_on = format!("{subject} Thời gian qua, các cấp, các ngành đã có nhiều cố gắng trong lãnh đạo");
        assert_eq!(trim_to_layout(&run_on, &long, text), subject);
        // Without a text column (too few long lines) nothing is cut.
        let few: Vec<OcrWord> = words.iter().filter(|w| w.line <= 4).cloned().collect();
        assert_eq!(trim_to_layout(subject, &few, text), subject);
    }
}
