//! Boxes on a page that are not the document's text: digital-signature boxes ("Ký bởi:",
//! "Cơ quan:", "Thời gian ký: 26.11.2024 13:45:56") and receipt stamps ("CÔNG VĂN ĐẾN",
//! "Số: … Ngày: … Giờ …", "Chuyển: …"). They are found by their words and where they lie,
//! taken out of the lines that become the page's text (so they never reach repair, the
//! index's text field or citation extraction), and kept in `pages[].regions` with what
//! they say parsed: the signing organisation and time, the receipt number and date.
//!
//! Where they lie: signature boxes are added after scanning, in the top margin above the
//! printed header; receipt stamps are pressed wherever there is room, often beside or over
//! the header. So every line above the header's first printed line is a margin line, and
//! when one margin line carries a box's words the whole margin is boxes (seals and logos
//! beside them read as garbage: "Z22uerh VÀ BÃO VÀ TIN HỌC"); a box's words further down
//! take their own line and the lines of the same Tesseract block right under it.

use once_cell::sync::Lazy;
use std::collections::BTreeSet;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::ocr::tsv::{TsvLine, TsvWord};

/// What a region is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RegionKind {
    /// A digital signature's visible box ("Ký bởi: … Cơ quan: … Thời gian ký: …").
    SignatureBox,
    /// A "CÔNG VĂN ĐẾN" receipt stamp (receipt number, date, hour, forwarding note).
    ReceiptStamp,
    /// Other marks in the margin beside such boxes (seal rings, logos, the gazette's
    /// stamp): never the document's text.
    Mark,
}

/// One region of a page, as read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Region {
    pub kind: RegionKind,
    /// left, top, width, height in the page's pixels (the page as OCR'd, after any turn).
    pub bbox: [u32; 4],
    /// The region's lines as OCR read them, top to bottom.
    pub lines: Vec<String>,
    /// Signature box: the organisation after "Cơ quan:" (or after "Ký bởi:" when that names one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Signature box: who signed, after "Ký bởi:" or "Người ký:".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// Signature box: the signing time printed in it, ISO 8601 without offset
    /// ("2024-11-26T13:45:56"), when its digits read as a real date and time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_time: Option<String>,
    /// Receipt stamp: the receipt number ("Số: 1234"), as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_number: Option<String>,
    /// Receipt stamp: the date the document was received, ISO ("2024-11-26"): evidence
    /// that the document is dated on or before it (for the header reader).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_date: Option<String>,
}

/// Words of a signature box, folded (no diacritics, lower case); OCR of the small box
/// print often loses a letter at the edge, so parts suffice ("oi gian ky").
const SIGNATURE_WORDS: &[&str] = &[
    "ky boi", "ky bo i", "gian ky", "nguoi ky", "co quan:", "email:", "ttcbth", "cong bao", ".gov.vn", "+07:00", "+07",
];
/// Words of a receipt stamp, folded.
const RECEIPT_WORDS: &[&str] = &["cong van den", "van den", "kinh chuyen", "chuyen:", "luu ho so"];

/// Lines that are the printed header: the first of them bounds the top margin. The organ's
/// name is matched in capitals only: a signature box names it in lower case ("Ký bởi: Ủy
/// ban nhân dân tỉnh …"). Every kind of issuing organ: people's committees and councils,
/// ministries and departments (BỘ, SỞ), the Prime Minister, Party committees and the
/// Party's motto; the number line with a slash or, in Party documents, a dash ("Số 37-TT/TU").
static HEADER_LINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(concat!(
        r"(?i:cong\s*hoa\s*xa\s*hoi|doc\s*lap\s*-)|\bCONG\s*HOA\s*XA\b|\bUY\s*BAN\s*NHAN\s*DAN\b|\bUBND\b|\bHOI\s*DONG\s*NHAN\s*DAN\b",
        r"|\bBO\s+[A-Z]|\bSO\s+[A-Z]{2}|\bCHINH\s*PHU\b|\bTHU\s*TUONG\b|\bDANG\s*(?:CONG\s*SAN|BO|UY)\b|\b(?:TINH|HUYEN|THANH|THI|QUAN)\s*UY\b",
        r"|\bSo\s*:\s*\S*\s*/|\bSo\s*:?\s*\d+\s*-\s*[A-Z]",
    ))
    .expect("valid regex")
});
/// "26.11.2024 13:45:56", "26/11/2024 10: 40:48" (OCR puts spaces in the time).
static DATE_TIME: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})\s+(\d{1,2})\s*:\s*(\d{2})\s*:\s*(\d{2})").expect("valid regex")
});
/// A time with seconds, "13:45:56", "l0: 40:48": printed only by signature boxes (OCR often
/// garbles the date before it: "24 26. LỆ) .2024 13:45:56").
static TIME_WITH_SECONDS: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?:^|[^\d:])[\dlIO]?\d\s*:\s*\d{2}\s*:\s*\d{2}(?:$|[^\d:])").expect("valid regex"));
/// A date alone: "26/11/2024", "26.11.24", "ngày 26 tháng 11 năm 2024" (folded).
static DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)(\d{1,2})\s*(?:[./-]|\s+thang\s+)\s*(\d{1,2})\s*(?:[./-]|\s+nam\s+)\s*(\d{4}|\d{2})\b").expect("valid regex")
});
static RECEIPT_NUMBER: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?i)\bSo\s*[:.]?\s*(\d{1,6})\b").expect("valid regex"));

/// Margin lines are looked for in this top share of the page only: a header never starts
/// lower, so a page without one (a later page) has no margin taken from it.
const MARGIN_SHARE: f32 = 0.25;

fn folded(line: &TsvLine) -> String {
    crate::viet::fold(&line.text())
}

fn line_box(words: &[TsvWord]) -> [u32; 4] {
    let left = words.iter().map(|w| w.bbox[0]).min().unwrap_or(0);
    let top = words.iter().map(|w| w.bbox[1]).min().unwrap_or(0);
    let right = words.iter().map(|w| w.bbox[0] + w.bbox[2]).max().unwrap_or(0);
    let bottom = words.iter().map(|w| w.bbox[1] + w.bbox[3]).max().unwrap_or(0);
    [left, top, right - left, bottom - top]
}

/// The kind of box a line's words belong to, if any.
fn anchor_kind(line: &TsvLine) -> Option<RegionKind> {
    let text = folded(line);
    let lower = text.to_lowercase();
    // "Công văn đến" in prose ("các công văn đến hạn") is lower case and long; the stamp
    // is upper case and short.
    let receipt = RECEIPT_WORDS.iter().any(|w| {
        let upper = w.to_uppercase();
        text.contains(upper.as_str()) || (lower.contains(w) && line.words.len() <= 6)
    });
    if receipt {
        return Some(RegionKind::ReceiptStamp);
    }
    if SIGNATURE_WORDS.iter().any(|w| lower.contains(w)) || DATE_TIME.is_match(&text) || TIME_WITH_SECONDS.is_match(&text) {
        return Some(RegionKind::SignatureBox);
    }
    None
}

/// Splits `lines` into the page's text lines and its regions. `height`: the page's height
/// in pixels.
pub fn separate(lines: Vec<TsvLine>, height: u32) -> (Vec<TsvLine>, Vec<Region>) {
    let (lines, mut taken) = take_margin_stamps(lines);
    // Judged piece by piece (a line's words between wide gaps): Tesseract reads a box or a
    // stamp and the printed header beside it as one line ("ĐẾN Số: 202   BỘ NỘI VỤ   CỘNG
    // HÒA XÃ HỘI …"), and the header's pieces must stay text. A line without wide gaps is
    // one piece, judged as before.
    let pieces: Vec<(usize, TsvLine)> =
        lines.into_iter().enumerate().flat_map(|(i, line)| split_at_gaps(line).into_iter().map(move |piece| (i, piece))).collect();
    let margin_limit = (height as f32 * MARGIN_SHARE) as u32;
    // The top of the printed header: the highest header line within the top of the page.
    let header_top = pieces
        .iter()
        .map(|(_, l)| l)
        .filter(|l| HEADER_LINE.is_match(&folded(l)) && anchor_kind(l).is_none())
        .map(|l| line_box(&l.words)[1])
        .filter(|&top| top <= margin_limit)
        .min();
    let in_margin = |line: &TsvLine| {
        let b = line_box(&line.words);
        header_top.is_some_and(|top| b[1] + b[3] <= top + b[3] / 3)
    };
    let margin_has_box = pieces.iter().any(|(_, l)| in_margin(l) && anchor_kind(l).is_some());

    let is_anchor = |line: &TsvLine| {
        anchor_kind(line).is_some_and(|kind| kind == RegionKind::ReceiptStamp || line_box(&line.words)[1] <= margin_limit)
    };
    // A line with an anchor is the box's or stamp's all through (the marks and seal strokes
    // Tesseract read beside it), save the pieces that read as the printed header.
    let anchor_lines: BTreeSet<usize> = pieces.iter().filter(|(_, l)| is_anchor(l)).map(|(i, _)| *i).collect();

    let mut kept: Vec<(usize, TsvLine)> = Vec::with_capacity(pieces.len());
    let mut anchors: Vec<(u32, [u32; 4])> = Vec::new(); // (block, box) of anchors below the margin
    for (i, line) in pieces {
        if margin_has_box && in_margin(&line) {
            taken.push(line);
            continue;
        }
        let b = line_box(&line.words);
        let header = HEADER_LINE.is_match(&folded(&line));
        if is_anchor(&line) {
            anchors.push((line.block, b));
            taken.push(line);
            continue;
        }
        if anchor_lines.contains(&i) && !header {
            taken.push(line);
            continue;
        }
        // A stamp's or box's further lines: the same Tesseract block, right under an
        // anchor (within two line heights), starting within it across (a box's lines are
        // set flush left inside its frame; the header's motto that a box in the corner
        // overlaps starts left of the box), and not the printed header itself (the motto
        // under a box's last line, read as a piece of its own).
        let follows = !header && anchors.iter().any(|&(block, a)| {
            block == line.block
                && b[1] >= a[1]
                && b[1] <= a[1] + a[3] * 4
                && b[0] + b[3] >= a[0]
                && b[0] < a[0] + a[2]
                && line.words.len() <= 8
        });
        if follows {
            anchors.push((line.block, b));
            taken.push(line);
        } else {
            kept.push((i, line));
        }
    }
    // The kept pieces of each line, back together in their order.
    let mut text: Vec<TsvLine> = Vec::with_capacity(kept.len());
    let mut last = None;
    for (i, piece) in kept {
        match text.last_mut() {
            Some(line) if last == Some(i) => line.words.extend(piece.words),
            _ => text.push(piece),
        }
        last = Some(i);
    }
    (text, group(taken))
}

/// A line cut at its wide gaps (as [`pieces`] cuts a taken one), each piece a line of the
/// same block and paragraph.
fn split_at_gaps(line: TsvLine) -> Vec<TsvLine> {
    let (block, paragraph) = (line.block, line.paragraph);
    pieces(line).into_iter().map(|p| TsvLine { block, paragraph, words: p.words }).collect()
}

/// Words of a stamp pressed in the side margin ("TRUNG TÂM CÔNG BÁO … / ĐẾN / Số … Ngày …
/// / Giờ … / Chuyển: …"), folded, as whole words or word pairs. A margin holds no text of
/// the document's own, but a hanging line or a wide table can start in it: two of these
/// words are asked for.
const MARGIN_STAMP_WORDS: &[&str] = &["den", "chuyen", "ngay", "gio", "so", "trung tam", "cong bao", "cong van", "luu ho so", "tin hoc"];
/// Lines of at least this many words make the body's text column.
const COLUMN_LINE_WORDS: usize = 6;
/// So many of them are needed to say where the column starts.
const COLUMN_LINES: usize = 8;

/// Takes a stamp pressed in the left margin beside the body out of the lines: the words
/// that start left of the body's text column by more than a word's height, on neighbouring
/// lines, when together they read as a stamp ([`MARGIN_STAMP_WORDS`]); with them, the rest
/// of the stamp that reaches into the column beside a short or centred line (a title), as
/// far as the stamp's pieces standing alone (ended by a wide gap) reach. Returns the lines
/// left and the stamp's pieces as lines of their own.
fn take_margin_stamps(lines: Vec<TsvLine>) -> (Vec<TsvLine>, Vec<TsvLine>) {
    let long: Vec<&TsvLine> = lines.iter().filter(|l| l.words.len() >= COLUMN_LINE_WORDS).collect();
    if long.len() < COLUMN_LINES {
        return (lines, Vec::new());
    }
    let mut heights: Vec<u32> = long.iter().flat_map(|l| l.words.iter().map(|w| w.bbox[3])).collect();
    heights.sort_unstable();
    let height = heights[heights.len() / 2].max(10);
    // Where the column starts: most long lines start there or further right (paragraph
    // indents, centred lines); a fifth is left for lines a stamp starts further left.
    let mut lefts: Vec<u32> = long.iter().map(|l| l.words[0].bbox[0]).collect();
    lefts.sort_unstable();
    let column = lefts[lefts.len() / 5];
    let in_margin = |w: &TsvWord| w.bbox[0] + height < column;
    // Lines with margin words, grouped while each is within two line heights of the last.
    let mut groups: Vec<(Vec<usize>, u32)> = Vec::new(); // (lines, bottom)
    let mut with_margin: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].words.first().is_some_and(in_margin)).collect();
    with_margin.sort_by_key(|&i| line_box(&lines[i].words)[1]);
    for i in with_margin {
        let b = line_box(&lines[i].words);
        match groups.last_mut() {
            Some((group, bottom)) if b[1] <= *bottom + 2 * height => {
                group.push(i);
                *bottom = (*bottom).max(b[1] + b[3]);
            }
            _ => groups.push((vec![i], b[1] + b[3])),
        }
    }
    let mut cut: Vec<usize> = vec![0; lines.len()]; // words taken from the start of each line
    for (group, _) in groups {
        let margin_text: Vec<String> = group
            .iter()
            .map(|&i| {
                let words: Vec<&str> = lines[i].words.iter().take_while(|w| in_margin(w)).map(|w| w.text.as_str()).collect();
                crate::viet::fold(&words.join(" ")).to_lowercase()
            })
            .collect();
        let hits = MARGIN_STAMP_WORDS.iter().filter(|w| margin_text.iter().any(|t| has_words(t, w))).count();
        if hits < 2 {
            continue;
        }
        // How far right the stamp reaches: its pieces that a wide gap ends before the body.
        let piece_end = |line: &TsvLine| -> (usize, u32) {
            let mut end = 1;
            while end < line.words.len() {
                if wide_gap(&line.words[end - 1], &line.words[end], 3 * height) {
                    break;
                }
                end += 1;
            }
            let last = &line.words[end - 1];
            (end, last.bbox[0] + last.bbox[2])
        };
        let middle = column + (long.iter().map(|l| line_box(&l.words)).map(|b| b[0] + b[2]).max().unwrap_or(column) - column) / 2;
        let reach = group.iter().map(|&i| piece_end(&lines[i])).filter(|&(_, right)| right < middle).map(|(_, right)| right).max();
        for &i in &group {
            let words = &lines[i].words;
            let margin = words.iter().take_while(|w| in_margin(w)).count();
            let (end, right) = piece_end(&lines[i]);
            cut[i] = if right < middle {
                end
            } else {
                // A line running on into the column: the words as far as the stamp reaches.
                let limit = reach.unwrap_or(0);
                margin.max(words.iter().take_while(|w| w.bbox[0] + w.bbox[2] / 2 < limit).count())
            };
        }
    }
    if cut.iter().all(|&n| n == 0) {
        return (lines, Vec::new());
    }
    let mut kept = Vec::with_capacity(lines.len());
    let mut taken = Vec::new();
    for (mut line, n) in lines.into_iter().zip(cut) {
        if n == 0 {
            kept.push(line);
            continue;
        }
        let rest = line.words.split_off(n.min(line.words.len()));
        taken.push(TsvLine { block: line.block, paragraph: line.paragraph, words: line.words });
        if !rest.is_empty() {
            kept.push(TsvLine { block: line.block, paragraph: line.paragraph, words: rest });
        }
    }
    (kept, taken)
}

/// Whether the folded `text` holds `words` as whole words (punctuation around them aside).
fn has_words(text: &str, words: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().map(|t| t.trim_matches(|c: char| !c.is_alphanumeric())).filter(|t| !t.is_empty()).collect();
    let wanted: Vec<&str> = words.split_whitespace().collect();
    tokens.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

/// Whether more than `limit` pixels of blank stand between `prev` and `next`: two boxes
/// side by side that Tesseract read as one line, not one sentence's words.
fn wide_gap(prev: &TsvWord, next: &TsvWord, limit: u32) -> bool {
    next.bbox[0] > prev.bbox[0] + prev.bbox[2] + limit
}

/// One piece of a taken line: its words between wide gaps (two boxes side by side read as
/// one line).
struct Piece {
    words: Vec<TsvWord>,
    bbox: [u32; 4],
}

fn pieces(line: TsvLine) -> Vec<Piece> {
    let mut out: Vec<Vec<TsvWord>> = Vec::new();
    for word in line.words {
        let gap_limit = word.bbox[3].max(20) * 3;
        let split = out.last().and_then(|p| p.last()).is_none_or(|prev| wide_gap(prev, &word, gap_limit));
        if split {
            out.push(vec![word]);
        } else if let Some(piece) = out.last_mut() {
            piece.push(word);
        }
    }
    out.into_iter().map(|words| Piece { bbox: line_box(&words), words }).collect()
}

/// Groups taken lines into regions: pieces overlapping across and near in height are one box.
pub(crate) fn group(taken: Vec<TsvLine>) -> Vec<Region> {
    let mut all: Vec<Piece> = taken.into_iter().flat_map(pieces).collect();
    all.sort_by_key(|p| (p.bbox[1], p.bbox[0]));
    let mut boxes: Vec<(Vec<Piece>, [u32; 4])> = Vec::new();
    for piece in all {
        let b = piece.bbox;
        let near = boxes.iter_mut().find(|(_, r)| {
            let overlap = b[0] < r[0] + r[2] && r[0] < b[0] + b[2];
            let gap = b[1].saturating_sub(r[1] + r[3]);
            overlap && gap <= b[3].max(20) * 2
        });
        match near {
            Some((members, r)) => {
                *r = union(*r, b);
                members.push(piece);
            }
            None => boxes.push((vec![piece], b)),
        }
    }
    boxes.into_iter().map(|(members, bbox)| region(members, bbox)).collect()
}

fn union(a: [u32; 4], b: [u32; 4]) -> [u32; 4] {
    let left = a[0].min(b[0]);
    let top = a[1].min(b[1]);
    let right = (a[0] + a[2]).max(b[0] + b[2]);
    let bottom = (a[1] + a[3]).max(b[1] + b[3]);
    [left, top, right - left, bottom - top]
}

fn region(members: Vec<Piece>, bbox: [u32; 4]) -> Region {
    let lines: Vec<String> = members
        .iter()
        .map(|p| p.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "))
        .collect();
    parse(&lines, bbox)
}

/// A region from its lines: its kind from its words, and what it says.
pub fn parse(lines: &[String], bbox: [u32; 4]) -> Region {
    let kind_of = |line: &String| {
        let words = line.split_whitespace().map(|w| TsvWord { text: w.to_owned(), confidence: 0.0, bbox: [0; 4] }).collect();
        anchor_kind(&TsvLine { block: 0, paragraph: 0, words })
    };
    let kinds: Vec<RegionKind> = lines.iter().filter_map(kind_of).collect();
    let kind = if kinds.contains(&RegionKind::ReceiptStamp) {
        RegionKind::ReceiptStamp
    } else if kinds.contains(&RegionKind::SignatureBox) {
        RegionKind::SignatureBox
    } else {
        RegionKind::Mark
    };
    let mut region = Region {
        kind,
        bbox,
        lines: lines.to_vec(),
        organization: None,
        signer: None,
        signing_time: None,
        receipt_number: None,
        receipt_date: None,
    };
    match kind {
        RegionKind::SignatureBox => {
            for line in lines {
                let folded = crate::viet::fold(line).to_lowercase();
                let after_colon = || line.split_once(':').map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty());
                if folded.contains("co quan") && region.organization.is_none() {
                    region.organization = after_colon();
                } else if (folded.contains("ky boi") || folded.contains("nguoi ky")) && region.signer.is_none() {
                    region.signer = after_colon();
                }
                if region.signing_time.is_none() {
                    region.signing_time = signing_time(line);
                }
            }
        }
        RegionKind::ReceiptStamp => {
            for line in lines {
                let folded = crate::viet::fold(line);
                if region.receipt_number.is_none() {
                    // The number stands before the date on a "Số: … Ngày: …" line.
                    let before_date = folded.to_lowercase().find("ngay").map_or(folded.as_str(), |at| &folded[..at]);
                    region.receipt_number = RECEIPT_NUMBER.captures(before_date).map(|c| c[1].to_owned());
                }
                if region.receipt_date.is_none() {
                    region.receipt_date = DATE.captures(&folded).and_then(|c| iso_date(&c[1], &c[2], &c[3]));
                }
            }
        }
        RegionKind::Mark => {}
    }
    region
}

fn iso_date(day: &str, month: &str, year: &str) -> Option<String> {
    let day: u8 = day.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    let mut year: i32 = year.parse().ok()?;
    if year < 100 {
        year += 2000;
    }
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    (1945..=2100).contains(&year).then(|| format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
}

fn signing_time(line: &str) -> Option<String> {
    let c = DATE_TIME.captures(line)?;
    let date = iso_date(&c[1], &c[2], &c[3])?;
    let (h, m, s): (u8, u8, u8) = (c[4].parse().ok()?, c[5].parse().ok()?, c[6].parse().ok()?);
    (h < 24 && m < 60 && s < 60).then(|| format!("{date}T{h:02}:{m:02}:{s:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(block: u32, text: &str, left: u32, top: u32) -> TsvLine {
        let mut x = left;
        let words = text
            .split_whitespace()
            .map(|w| {
                let width = 20 * w.chars().count() as u32;
                let word = TsvWord { text: w.to_owned(), confidence: 90.0, bbox: [x, top, width, 40] };
                x += width + 15;
                word
            })
            .collect();
        TsvLine { block, paragraph: 1, words }
    }

    #[test]
    fn a_signature_box_above_the_header_becomes_a_region() {
        let lines = vec![
            line(1, "Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi", 1800, 20),
            line(1, "Cơ quan: Tỉnh Quảng Ngãi", 1800, 70),
            line(1, "Thời gian ký: 26.11.2024 13:45:56 +07:00", 1800, 120),
            line(2, "Z22uerh VÀ BÃO VÀ TIN HỌC", 900, 60),
            line(3, "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 400, 200),
            line(3, "Số: 280 /BC-UBND", 400, 400),
            line(4, "Căn cứ Luật Tổ chức chính quyền địa phương", 300, 700),
        ];
        let (text, regions) = separate(lines, 3500);
        let kept: Vec<String> = text.iter().map(TsvLine::text).collect();
        assert_eq!(kept.len(), 3, "{kept:?}");
        assert!(kept[0].starts_with("ỦY BAN"));
        let signature = regions.iter().find(|r| r.kind == RegionKind::SignatureBox).expect("signature box");
        assert_eq!(signature.organization.as_deref(), Some("Tỉnh Quảng Ngãi"));
        assert_eq!(signature.signer.as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
        assert_eq!(signature.signing_time.as_deref(), Some("2024-11-26T13:45:56"));
        assert!(regions.iter().any(|r| r.kind == RegionKind::Mark && r.lines[0].starts_with("Z22")));
    }

    #[test]
    fn a_garbled_signing_time_above_the_header_is_taken_with_the_box() {
        // The date of the box's timestamp misread, its time with seconds intact.
        let lines = vec![
            line(1, "Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi", 1950, 10),
            line(2, "24 26. LỆ) .2024 13:45:56", 1070, 111),
            line(3, "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 400, 190),
            line(4, "Thực hiện quy định tại khoản 3 Điều 52 vào lúc 10:30 ngày 25/6/2015", 300, 990),
        ];
        let (text, _) = separate(lines, 3500);
        let kept: Vec<String> = text.iter().map(TsvLine::text).collect();
        assert_eq!(kept.len(), 2, "{kept:?}");
        assert!(kept[0].starts_with("ỦY BAN"));
        assert!(TIME_WITH_SECONDS.is_match("l0: 40:48"));
        assert!(!TIME_WITH_SECONDS.is_match("lúc 10:30 ngày 25/6/2015"));
    }

    #[test]
    fn a_receipt_stamp_is_taken_with_its_lines_and_date() {
        let lines = vec![
            line(1, "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 400, 200),
            line(2, "CÔNG VĂN ĐẾN", 300, 500),
            line(2, "Số: 4512 Ngày: 28/11/2024", 300, 545),
            line(2, "Giờ 9h Chuyển: Phòng KT", 300, 590),
            line(3, "Thực hiện Công văn số 4039/STC-HCSN ngày 20/11/2024", 300, 900),
        ];
        let (text, regions) = separate(lines, 3500);
        assert_eq!(text.len(), 2);
        assert_eq!(regions.len(), 1);
        let stamp = &regions[0];
        assert_eq!(stamp.kind, RegionKind::ReceiptStamp);
        assert_eq!(stamp.receipt_date.as_deref(), Some("2024-11-28"));
        assert_eq!(stamp.receipt_number.as_deref(), Some("4512"));
        assert_eq!(stamp.lines.len(), 3);
    }

    /// One line of two pieces: `a` at `ax` and `b` at `bx`.
    fn joined(block: u32, a: &str, ax: u32, b: &str, bx: u32, top: u32) -> TsvLine {
        let mut first = line(block, a, ax, top);
        first.words.extend(line(block, b, bx, top).words);
        first
    }

    /// A page's body: 20 long lines starting at x = 390 (a paragraph's first at 540).
    fn body(from: u32) -> Vec<TsvLine> {
        (0..20)
            .map(|i| line(9, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015", if i % 4 == 0 { 540 } else { 390 }, from + i * 60))
            .collect()
    }

    #[test]
    fn a_receipt_stamp_in_the_left_margin_beside_the_title_is_taken() {
        // The gazette's receipt stamp pressed left of the title, its first line running into
        // the title's line (no wide gap), its last into the body's first line.
        let mut lines = vec![
            line(1, "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 420, 200),
            // The title is centred: running on from the stamp, it ends far right.
            joined(2, "-TRUNG TÂM CÔNG 810 &", 40, "Về việc tăng cường công tác thi hành án hành chính", 520, 560),
            joined(2, "CỤ T§6 .J}LŸ-2", 80, "trên địa bàn tỉnh Quảng Ngãi", 1000, 620),
            line(2, "lpệ h Ngày :4/ÂL. 2 LUA#", 30, 680),
            joined(2, "ĐEN | Chuyển:", 60, "Trong thời gian qua, công tác triển khai thi hành", 540, 740),
        ];
        lines.extend(body(800));
        let (text, regions) = separate(lines, 3500);
        let kept: Vec<String> = text.iter().map(TsvLine::text).collect();
        assert_eq!(kept[1], "Về việc tăng cường công tác thi hành án hành chính");
        assert_eq!(kept[2], "trên địa bàn tỉnh Quảng Ngãi");
        assert_eq!(kept[3], "Trong thời gian qua, công tác triển khai thi hành");
        assert_eq!(kept.len(), 24, "{kept:?}");
        assert_eq!(regions.len(), 1, "{regions:?}");
        assert_eq!(regions[0].kind, RegionKind::ReceiptStamp);
        assert_eq!(regions[0].lines, ["-TRUNG TÂM CÔNG 810 &", "CỤ T§6 .J}LŸ-2", "lpệ h Ngày :4/ÂL. 2 LUA#", "ĐEN | Chuyển:"]);
    }

    #[test]
    fn lines_starting_in_the_margin_without_a_stamps_words_are_left_alone() {
        // A wide table's first column and a hanging "Nơi nhận:" start left of the body.
        let mut lines = vec![
            line(1, "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 420, 200),
            joined(2, "STT Số hiệu", 60, "Tên văn bản ngày ban hành", 540, 560),
            joined(2, "1 12/NQ-HĐND", 60, "Nghị quyết về giá đất", 540, 620),
        ];
        lines.extend(body(800));
        lines.push(line(10, "Nơi nhận: KT. CHỦ TỊCH", 300, 1500));
        let (text, regions) = separate(lines.clone(), 3500);
        assert_eq!(text, lines);
        assert!(regions.is_empty());
        assert!(has_words("-trung tam cong", "trung tam"));
        assert!(!has_words("trung tamcong", "trung tam"));
    }

    #[test]
    fn the_header_beside_a_box_in_the_same_tesseract_line_stays_text() {
        // A signature box in the top corner reaching down over the motto, and a receipt
        // stamp at the left, read by Tesseract as one block whose lines run across the
        // stamp, the organ's name, the motto and the box.
        let mut lines = vec![
            line(10, "Ký bởi: Bộ Nội Vụ", 1650, 60),
            line(10, "Email: vanthu@bo.gov.vn", 1650, 110),
            joined(10, "VĂN PHÒNG UBND", 150, "Cơ quan: Bộ Nội Vụ", 1650, 160),
            joined(10, "ĐẾN Số: 202", 150, "Thời gian ký: 20.02.2024 15:03:57 +07:00", 1650, 205),
            joined(10, "BỘ NỘI VỤ", 640, "CỘNG HÒA XÃ HỘI CHỦ", 1230, 250),
            joined(10, "Ngày: 9/7", 150, "Độc lập - Tự do - Hạnh phúc", 1415, 300),
            line(10, "Chuyển: VT", 150, 350),
            line(11, "Số: 01/2024/TT-BNV Hà Nội, ngày 20 tháng 02 năm 2024", 540, 440),
        ];
        lines.extend(body(800));
        let (text, regions) = separate(lines, 3500);
        let kept: Vec<String> = text.iter().map(TsvLine::text).collect();
        assert!(kept.contains(&"BỘ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ".to_owned()), "{kept:?}");
        assert!(kept.contains(&"Độc lập - Tự do - Hạnh phúc".to_owned()), "{kept:?}");
        let signature = regions.iter().find(|r| r.kind == RegionKind::SignatureBox).expect("signature box");
        assert_eq!(signature.organization.as_deref(), Some("Bộ Nội Vụ"));
        assert!(signature.lines.iter().all(|l| !l.contains("HÒA") && !l.contains("Độc")), "{:?}", signature.lines);
        let stamp = regions.iter().find(|r| r.kind == RegionKind::ReceiptStamp).expect("receipt stamp");
        assert!(stamp.lines.iter().any(|l| l.contains("202")), "{:?}", stamp.lines);
        assert!(stamp.lines.iter().all(|l| !l.contains("NỘI VỤ")), "{:?}", stamp.lines);
    }

    #[test]
    fn every_kind_of_organ_and_number_line_reads_as_the_printed_header() {
        for printed in ["HỘI ĐỒNG NHÂN DÂN", "TỈNH ỦY ĐỒNG NAI", "HUYỆN ỦY BÙ ĐĂNG", "ĐẢNG BỘ TỈNH BÌNH PHƯỚC", "ĐẢNG CỘNG SẢN VIỆT NAM",
            "THỦ TƯỚNG CHÍNH PHỦ", "SỞ TÀI CHÍNH", "BỘ NỘI VỤ", "Số 37-TT/TU", "Số: 12/2024/NQ-HĐND", "CỘNG HÒA XÃ HỘTCHỦ"]
        {
            assert!(HEADER_LINE.is_match(&crate::viet::fold(printed)), "{printed}");
        }
        // A signature box names the organ in small letters; prose is no header.
        for other in ["Ký bởi: Đảng ủy xã Tân Lập", "Cơ quan: Thủ tướng Chính phủ", "số 12 tháng 3", "Số người tham gia"] {
            assert!(!HEADER_LINE.is_match(&crate::viet::fold(other)), "{other}");
        }
    }

    #[test]
    fn body_text_and_pages_without_boxes_are_left_alone() {
        let lines = vec![
            line(1, "KHẨN", 300, 100),
            line(2, "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 400, 200),
            line(3, "các công văn đến hạn phải trả lời trước ngày 30/11/2024 theo quy định", 300, 900),
            line(3, "Cơ quan: chủ trì soạn thảo", 300, 1900),
        ];
        let (text, regions) = separate(lines.clone(), 3500);
        assert_eq!(text, lines);
        assert!(regions.is_empty());
    }
}

