//! A scanned page's partial text layer: the visible boxes of the digital signatures added
//! after scanning ("Ký bởi: … / Cơ quan: … / Thời gian ký: …", the provincial gazette's
//! "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC / ttcbth@… / 26.11.2024 13:45:56 +07:00"). The layer
//! states their text exactly, where OCR of the small print over the scan reads garbage
//! ("24 26. LỆ) .2024 13:45:56"): the boxes become the page's regions from the layer's
//! words, and whatever OCR read inside them leaves the page text, the word list and the
//! OCR's own regions there.

use crate::ocr::tsv::{TsvLine, TsvWord};
use crate::ocr::OcrPage;
use crate::page::Region;

use super::layer::TextLayer;

/// Puts `layer`'s boxes on `ocr` (the page OCR'd as it lies in the PDF, unturned): regions
/// from the layer, and the OCR lines inside them taken out of the text.
pub fn apply(ocr: &mut OcrPage, layer: &TextLayer) {
    if ocr.rotation != 0 || layer.words.is_empty() {
        return;
    }
    let lines: Vec<TsvLine> = layer
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
        .collect();
    // Only what reads as a signature box or a receipt stamp: a partial layer may also hold
    // a piece of the document's own text, which OCR must keep reading.
    let boxes: Vec<Region> = crate::page::regions::group(lines)
        .into_iter()
        .filter(|r| r.kind != crate::page::RegionKind::Mark)
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
