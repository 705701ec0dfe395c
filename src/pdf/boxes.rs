//! A PDF page's text layer and the visible boxes of the digital signatures added to it
//! ("Ký bởi: … / Cơ quan: … / Thời gian ký: …", the provincial gazette's "TRUNG TÂM CÔNG
//! BÁO VÀ TIN HỌC / ttcbth@… / 26.11.2024 13:45:56 +07:00").
//!
//! - A scanned page whose layer is only those boxes (partial): the layer states their text
//!   exactly, where OCR of the small print over the scan reads garbage ("24 26. LỆ) .2024
//!   13:45:56"); the boxes become the page's regions from the layer's words, and whatever
//!   OCR read inside them leaves the page text, the word list and the OCR's own regions
//!   there ([`apply`]).
//! - A page whose layer IS its text (born digital, or a faithful OCR layer): the gazette
//!   stamps its box into that same layer, above the header. The same recognition by layout
//!   and words (`crate::page::regions`) takes the box's words out of the layer's text and
//!   word list into regions ([`take_from_layer`]), so that the body, the index's text field
//!   and citation extraction never see them.

use std::collections::HashSet;

use crate::ocr::tsv::{TsvLine, TsvWord};
use crate::ocr::OcrPage;
use crate::page::{Region, RegionKind};

use super::layer::{TextLayer, PIXELS_PER_POINT};

/// The layer's words on poppler's own lines, in the shape OCR lines have.
fn layer_lines(layer: &TextLayer) -> Vec<TsvLine> {
    layer
        .lines
        .iter()
        .map(|line| TsvLine {
            block: 0,
            paragraph: 0,
            words: line
                .iter()
                .filter_map(|&i| layer.words.get(i))
                .map(|w| TsvWord { text: w.text.clone(), confidence: w.confidence, bbox: w.bbox })
                .collect(),
        })
        .filter(|l| !l.words.is_empty())
        .collect()
}

/// Puts `layer`'s boxes on `ocr` (the page OCR'd as it lies in the PDF, unturned): regions
/// from the layer, and the OCR lines inside them taken out of the text.
pub fn apply(ocr: &mut OcrPage, layer: &TextLayer) {
    if ocr.rotation != 0 || layer.words.is_empty() {
        return;
    }
    // Only what reads as a signature box or a receipt stamp: a partial layer may also hold
    // a piece of the document's own text, which OCR must keep reading.
    let boxes: Vec<Region> = crate::page::regions::group(layer_lines(layer))
        .into_iter()
        .filter(|r| r.kind != RegionKind::Mark)
        .collect();
    if boxes.is_empty() {
        return;
    }
    let inside = |bbox: [u32; 4]| {
        let (cx, cy) = (bbox[0] + bbox[2] / 2, bbox[1] + bbox[3] / 2);
        boxes.iter().any(|r| {
            // OCR's boxes of the small print spread a little past the layer's.
            let pad = 20;
            let b = r.bbox;
            cx + pad >= b[0] && cx <= b[0] + b[2] + pad && cy + pad >= b[1] && cy <= b[1] + b[3] + pad
        })
    };
    ocr.regions.retain(|r| !inside(r.bbox));
    remove_lines(ocr, |words| words.iter().filter(|w| inside(w.bbox)).count() * 2 > words.len());
    let mut regions: Vec<Region> = boxes;
    regions.append(&mut ocr.regions);
    regions.sort_by_key(|r| (r.bbox[1], r.bbox[0]));
    ocr.regions = regions;
}

/// Takes the signature boxes and receipt stamps out of a layer that stands for its page:
/// their words leave `layer.words`, `layer.lines` and `layer.text` (a layout line left
/// with nothing else goes; the box's words sharing a line with the document's text are
/// blanked, keeping that text's columns), and they are returned as regions. Other marks the
/// margin rule would take stay: on a layer they are text the PDF states, not a seal's
/// garbage.
pub fn take_from_layer(layer: &mut TextLayer) -> Vec<Region> {
    if layer.words.is_empty() {
        return Vec::new();
    }
    let height = (layer.page_size.1 * PIXELS_PER_POINT).round() as u32;
    let (kept, regions) = crate::page::regions::separate(layer_lines(layer), height);
    let boxes: Vec<Region> = regions.into_iter().filter(|r| r.kind != RegionKind::Mark).collect();
    if boxes.is_empty() {
        return Vec::new();
    }
    let kept: HashSet<(&str, [u32; 4])> = kept.iter().flat_map(|l| l.words.iter().map(|w| (w.text.as_str(), w.bbox))).collect();
    let in_box = |bbox: [u32; 4]| {
        let (cx, cy) = (bbox[0] + bbox[2] / 2, bbox[1] + bbox[3] / 2);
        boxes.iter().any(|r| {
            let b = r.bbox;
            cx >= b[0] && cx <= b[0] + b[2] && cy >= b[1] && cy <= b[1] + b[3]
        })
    };
    let removed: Vec<bool> = layer.words.iter().map(|w| !kept.contains(&(w.text.as_str(), w.bbox)) && in_box(w.bbox)).collect();
    if removed.contains(&true) {
        remove_layer_words(layer, &removed);
    }
    boxes
}

/// Removes the words `removed` flags from `layer`: from its word list, its lines and its
/// layout text, renumbering the lines of the words that stay.
fn remove_layer_words(layer: &mut TextLayer, removed: &[bool]) {
    let lines: Vec<&str> = layer.text.lines().collect();
    // Each layout line's tokens, and which of them go: the line's words left to right
    // matched in order to its tokens (the layout prints a line's words left to right).
    let mut out: Vec<Option<String>> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let number = i as u32 + 1;
        let mut on_line: Vec<usize> = (0..layer.words.len()).filter(|&w| layer.words[w].line == number).collect();
        if !on_line.iter().any(|&w| removed[w]) {
            out.push(Some((*line).to_owned()));
            continue;
        }
        on_line.sort_by_key(|&w| layer.words[w].bbox[0]);
        let tokens: Vec<(usize, &str)> = line.split_whitespace().map(|t| (t.as_ptr() as usize - line.as_ptr() as usize, t)).collect();
        let mut blank = vec![false; tokens.len()];
        let mut cursor = 0;
        for &w in &on_line {
            if let Some(found) = (cursor..tokens.len()).find(|&t| tokens[t].1 == layer.words[w].text) {
                blank[found] = removed[w];
                cursor = found + 1;
            }
        }
        let mut text = (*line).to_owned();
        // From the right, so that the byte offsets to the left stay true (a blanked token
        // is one space per character, fewer bytes than its letters).
        for (t, &(at, token)) in tokens.iter().enumerate().rev() {
            if blank[t] {
                text.replace_range(at..at + token.len(), &" ".repeat(token.chars().count()));
            }
        }
        let text = text.trim_end().to_owned();
        out.push((!text.trim().is_empty()).then_some(text));
    }
    // The new text: lines that went are dropped, blank lines at the start too (the layer's
    // text starts with its first printed line, as `layer::parse` trims it).
    let mut renumber = vec![0u32; lines.len() + 1];
    let mut text = String::with_capacity(layer.text.len());
    let mut n = 0u32;
    for (i, line) in out.iter().enumerate() {
        let Some(line) = line else { continue };
        if n == 0 && line.trim().is_empty() {
            continue;
        }
        if n > 0 {
            text.push('\n');
        }
        n += 1;
        renumber[i + 1] = n;
        text.push_str(line);
    }
    let mut index = vec![None; layer.words.len()];
    let mut words = Vec::with_capacity(layer.words.len());
    for (i, w) in layer.words.iter().enumerate() {
        if removed[i] {
            continue;
        }
        let mut w = w.clone();
        // A word whose line went (poppler placed it on a line of the box) keeps the nearest
        // line that stayed before it.
        w.line = (1..=w.line as usize).rev().map(|l| renumber.get(l).copied().unwrap_or(0)).find(|&l| l > 0).unwrap_or(1);
        index[i] = Some(words.len());
        words.push(w);
    }
    layer.lines = layer
        .lines
        .iter()
        .map(|line| line.iter().filter_map(|&i| index.get(i).copied().flatten()).collect::<Vec<usize>>())
        .filter(|l| !l.is_empty())
        .collect();
    layer.words = words;
    layer.text = text;
}

/// Removes from `ocr`'s text the lines whose words `remove` picks, renumbering the words
/// that stay (a blank line between paragraphs is kept once).
fn remove_lines(ocr: &mut OcrPage, remove: impl Fn(&[&crate::record::OcrWord]) -> bool) {
    let lines: Vec<&str> = ocr.text.lines().collect();
    let mut removed = vec![false; lines.len() + 1];
    for (i, flag) in removed.iter_mut().enumerate().skip(1) {
        let words: Vec<&crate::record::OcrWord> = ocr.words.iter().filter(|w| w.line as usize == i).collect();
        *flag = !words.is_empty() && remove(&words);
    }
    if !removed.contains(&true) {
        return;
    }
    let mut renumber = vec![0u32; lines.len() + 1];
    let mut text = String::with_capacity(ocr.text.len());
    let mut n = 0u32;
    let mut after_blank = true;
    for (i, line) in lines.iter().enumerate() {
        if removed[i + 1] {
            continue;
        }
        let blank = line.trim().is_empty();
        if blank && after_blank {
            continue;
        }
        after_blank = blank;
        n += 1;
        renumber[i + 1] = n;
        text.push_str(line);
        text.push('\n');
    }
    ocr.words.retain(|w| !removed.get(w.line as usize).copied().unwrap_or(false));
    for w in &mut ocr.words {
        w.line = renumber.get(w.line as usize).copied().unwrap_or(0);
    }
    ocr.text = text;
    ocr.mean_confidence = crate::ocr::tsv::mean(ocr.words.iter().map(|w| w.confidence));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::OcrWord;

    fn word(text: &str, left: u32, top: u32, line: u32) -> OcrWord {
        OcrWord { text: text.to_owned(), confidence: 90.0, bbox: [left, top, 20 * text.chars().count() as u32, 25], line }
    }

    /// Words laid on lines as given: (line text, left, top); a `None` is a blank line.
    fn page(lines: &[Option<(&str, u32, u32)>]) -> OcrPage {
        let mut text = String::new();
        let mut words = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if let Some((t, left, top)) = line {
                let mut x = *left;
                for w in t.split_whitespace() {
                    let ow = word(w, x, *top, i as u32 + 1);
                    x += ow.bbox[2] + 10;
                    words.push(ow);
                }
                text.push_str(t);
            }
            text.push('\n');
        }
        OcrPage {
            text,
            words,
            dropped_lines: Vec::new(),
            mean_confidence: 90.0,
            segmentation: crate::ocr::Segmentation::Auto,
            rotation: 0,
            skew: 0.0,
            unreadable: None,
            regions: Vec::new(),
        }
    }

    fn layer(lines: &[(&str, u32, u32)]) -> TextLayer {
        let mut words = Vec::new();
        let mut indices = Vec::new();
        for (i, (t, left, top)) in lines.iter().enumerate() {
            let mut x = *left;
            let mut line = Vec::new();
            for w in t.split_whitespace() {
                let ow = OcrWord { confidence: 100.0, ..word(w, x, *top, i as u32 + 1) };
                x += ow.bbox[2] + 8;
                line.push(words.len());
                words.push(ow);
            }
            indices.push(line);
        }
        TextLayer { text: String::new(), words, lines: indices, page_size: (595.0, 842.0) }
    }

    #[test]
    fn the_layers_signature_box_becomes_a_region_and_leaves_the_text() {
        let mut ocr = page(&[
            Some(("24 26. LỆ) .2024 13:45:56", 1070, 111)),
            None,
            Some(("ỦY BAN NHÂN DÂN", 400, 190)),
            Some(("TỈNH QUẢNG NGÃI", 400, 260)),
            None,
            Some(("Thực hiện quy định", 480, 990)),
        ]);
        let layer = layer(&[
            ("Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi", 2006, 20),
            ("Cơ quan: Tỉnh Quảng Ngãi", 2006, 45),
            ("Thời gian ký: 26/11/2024 10:40:48", 2006, 70),
            ("TRUNG TÂM CÔNG", 1127, 26),
            ("BÁO VÀ TIN HỌC", 1127, 55),
            ("26.11.2024 13:45:56", 1127, 115),
            ("+07:00", 1127, 145),
        ]);
        apply(&mut ocr, &layer);
        assert_eq!(ocr.text, "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nThực hiện quy định\n");
        let lines: Vec<&str> = ocr.text.lines().collect();
        for w in &ocr.words {
            assert!(lines[w.line as usize - 1].contains(&w.text), "{w:?}");
        }
        let signer = ocr.regions.iter().find(|r| r.signer.is_some()).expect("signature box");
        assert_eq!(signer.signer.as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
        assert_eq!(signer.organization.as_deref(), Some("Tỉnh Quảng Ngãi"));
        assert_eq!(signer.signing_time.as_deref(), Some("2024-11-26T10:40:48"));
        let gazette = ocr.regions.iter().find(|r| r.lines[0].starts_with("TRUNG")).expect("gazette box");
        assert_eq!(gazette.signing_time.as_deref(), Some("2024-11-26T13:45:56"));
    }

    /// A layer laid out as poppler gives it: `layout` is the `-layout` text; each word is
    /// placed on its line with a box from its column there (one character = 10 px, one
    /// line = 50 px), and poppler's lines are the runs of words without a wide gap.
    fn laid_out(layout: &str) -> TextLayer {
        let mut words = Vec::new();
        let mut lines = Vec::new();
        for (i, line) in layout.lines().enumerate() {
            let mut run: Vec<usize> = Vec::new();
            let mut last_end = None;
            for token in line.split_whitespace() {
                let column = (token.as_ptr() as usize - line.as_ptr() as usize) as u32;
                let chars = token.chars().count() as u32;
                if last_end.is_some_and(|end| column > end + 3) && !run.is_empty() {
                    lines.push(std::mem::take(&mut run));
                }
                last_end = Some(column + chars);
                run.push(words.len());
                words.push(OcrWord { text: token.to_owned(), confidence: 100.0, bbox: [column * 10, 100 + i as u32 * 50, chars * 10, 30], line: i as u32 + 1 });
            }
            if !run.is_empty() {
                lines.push(run);
            }
        }
        TextLayer { text: layout.to_owned(), words, lines, page_size: (595.0, 842.0) }
    }

    #[test]
    fn a_born_digital_pages_gazette_box_leaves_its_layer_for_a_region() {
        let layout = "TRUNG TÂM CÔNG
                                                  BÁO VÀ TIN HỌC
                                                  ttcbth@quangngai.gov.vn
                                                  06.11.2024 09:27:05
                                                  +07:00

 ỦY BAN NHÂN DÂN             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
 TỈNH QUẢNG NGÃI                   Độc lập - Tự do - Hạnh phúc

  Số: 542    /TB-UBND             Quảng Ngãi, ngày 06 tháng 11 năm 2024";
        let mut layer = laid_out(&layout.replacen("TRUNG", &format!("{}TRUNG", " ".repeat(50)), 1));
        layer.text = layout.to_owned();
        let regions = take_from_layer(&mut layer);
        assert_eq!(
            layer.text,
            " ỦY BAN NHÂN DÂN             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
 TỈNH QUẢNG NGÃI                   Độc lập - Tự do - Hạnh phúc

  Số: 542    /TB-UBND             Quảng Ngãi, ngày 06 tháng 11 năm 2024"
        );
        let lines: Vec<&str> = layer.text.lines().collect();
        for w in &layer.words {
            assert!(lines[w.line as usize - 1].split_whitespace().any(|t| t == w.text), "{w:?}");
        }
        assert_eq!(layer.words.first().map(|w| w.text.as_str()), Some("ỦY"));
        assert!(layer.lines.iter().flatten().all(|&i| i < layer.words.len()));
        assert_eq!(regions.len(), 1, "{regions:?}");
        assert_eq!(regions[0].kind, RegionKind::SignatureBox);
        assert_eq!(regions[0].signing_time.as_deref(), Some("2024-11-06T09:27:05"));
        assert_eq!(regions[0].lines[0], "TRUNG TÂM CÔNG");
    }

    #[test]
    fn a_box_sharing_a_layout_line_with_the_header_is_blanked_out_of_it() {
        let body = "\n".repeat(20) + "Các cơ quan: Sở Tư pháp, Sở Nội vụ";
        let mut layer = laid_out(&format!(
            " ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM      Ký bởi: Sở Tư pháp
 TỈNH QUẢNG NGÃI            Độc lập - Tự do - Hạnh phúc      Thời gian ký: 26.11.2024 10:40:48{body}"
        ));
        let regions = take_from_layer(&mut layer);
        assert_eq!(regions.len(), 1, "{regions:?}");
        assert_eq!(regions[0].signer.as_deref(), Some("Sở Tư pháp"));
        let lines: Vec<&str> = layer.text.lines().collect();
        assert_eq!(lines[0], " ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
        assert_eq!(lines[1], " TỈNH QUẢNG NGÃI            Độc lập - Tự do - Hạnh phúc");
        // Body text further down is not a box, even with "cơ quan:" in it.
        assert_eq!(lines.last(), Some(&"Các cơ quan: Sở Tư pháp, Sở Nội vụ"));
        for w in &layer.words {
            assert!(lines[w.line as usize - 1].split_whitespace().any(|t| t == w.text), "{w:?}");
        }
    }

    #[test]
    fn a_layer_without_boxes_is_left_alone() {
        let layout = " ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
 Số: 12 /TB-UBND          Quảng Ngãi, ngày 06 tháng 11 năm 2024

Căn cứ Luật Tổ chức chính quyền địa phương lúc 10:30 ngày 25/6/2015";
        let mut layer = laid_out(layout);
        let before = layer.clone();
        assert!(take_from_layer(&mut layer).is_empty());
        assert_eq!(layer, before);
    }

    #[test]
    fn a_turned_page_or_an_empty_layer_changes_nothing() {
        let lines = [Some(("24 26. LỆ) .2024 13:45:56", 1070, 111))];
        let layer = layer(&[("26.11.2024 13:45:56", 1127, 115)]);
        let mut turned = page(&lines);
        turned.rotation = 180;
        apply(&mut turned, &layer);
        assert_eq!(turned.text, page(&lines).text);
        let mut plain = page(&lines);
        apply(&mut plain, &TextLayer::default());
        assert_eq!(plain.text, page(&lines).text);
    }
}
