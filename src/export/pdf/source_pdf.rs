//! An input PDF's own pages, kept as they are (images, vector drawing, visible text,
//! annotations), with their old invisible text removed and vanban's put in its place, so
//! that the output has exactly one text layer. A page whose own text vanban judged
//! faithful (born-digital, `PageSource::TextLayer`) keeps it and gets no second one.
//!
//! Invisible text is text drawn in render mode 3: what OCR programs (Tesseract's PDF
//! output, OCRmyPDF, scanner software) lay under a scan. Visible text is part of how the
//! page looks (a signature box, a born-digital letter) and is never touched.

use anyhow::{bail, Context};
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Dictionary, Document as Pdf, Object, ObjectId, Stream};
use std::collections::HashSet;
use std::path::PathBuf;

use super::font::{Encoder, FontFile};
use super::geometry::{self, Turned};
use super::{meta, text, Written};
use crate::record::{Document, PageSource};

pub fn build(doc: &Document, bytes: &[u8], font: &FontFile) -> anyhow::Result<(Pdf, Written)> {
    let mut pdf = Pdf::load_mem(bytes).map_err(|e| anyhow::anyhow!("the PDF cannot be read ({e})"))?;
    if pdf.is_encrypted() {
        bail!("the PDF is encrypted: vanban cannot rewrite it");
    }
    let pages = pdf.get_pages();
    let font_id = pdf.new_object_id();
    // A born-digital page keeps its own text and gets none of vanban's.
    let lines: Vec<Vec<text::Line>> =
        doc.pages.iter().map(|p| if p.source == PageSource::TextLayer { Vec::new() } else { text::placed_lines(p) }).collect();
    let mut encoder = Encoder::new(lines.iter().flatten().flatten().map(|p| p.text.as_str()));
    let mut text_pages = 0;
    let mut layers_removed = 0;
    let mut forms_done = std::collections::HashSet::new();
    for (page, lines) in doc.pages.iter().zip(&lines) {
        let Some(&page_id) = pages.get(&page.number) else {
            bail!("the PDF has no page {} any more", page.number);
        };
        layers_removed += usize::from(strip_page(&mut pdf, page_id, &mut forms_done).with_context(|| format!("page {}", page.number))?);
        if page.source == PageSource::TextLayer {
            continue;
        }
        if lines.is_empty() {
            continue;
        }
        let (crop, rotate) = page_box(&pdf, page_id)?;
        let (w, h) = (crop[2] - crop[0], crop[3] - crop[1]);
        // What pdftoppm rendered for OCR: the crop box turned by /Rotate, at 300 DPI.
        let shown = Turned::new(rotate, w, h);
        let read = Turned::new(page.rotation, shown.width, shown.height);
        let scale = 72.0 / crate::ocr::RASTER_DPI as f32;
        let mut content = b"Q\nq\n".to_vec();
        content.extend_from_slice(geometry::cm(&geometry::shifted(shown.matrix, crop[0], crop[1])).as_bytes());
        content.extend_from_slice(read.cm().as_bytes());
        content.extend_from_slice(&text::content(lines, &mut encoder, font, scale, read.height));
        content.extend_from_slice(b"Q\n");
        add_content(&mut pdf, page_id, content)?;
        add_font(&mut pdf, page_id, font_id)?;
        text_pages += 1;
    }
    if text_pages > 0 {
        encoder.write(&mut pdf, font_id)?;
    }
    let catalog = pdf.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| anyhow::anyhow!("the PDF has no catalog"))?;
    // An arbitrary input cannot be promised to be PDF/A: its old claim, if any, is dropped.
    pdf.get_dictionary_mut(catalog)?.remove(b"OutputIntents");
    meta::apply(&mut pdf, catalog, &meta::Fields::of(doc), None)?;
    pdf.prune_objects();
    let count = doc.pages.len();
    Ok((pdf, Written { path: PathBuf::new(), pages: count, text_pages, layers_removed, pdfa: false }))
}

/// The page's crop box (else media box), inherited from its parents when not its own, and
/// its `/Rotate` (0, 90, 180 or 270).
fn page_box(pdf: &Pdf, page_id: ObjectId) -> anyhow::Result<([f32; 4], u16)> {
    let inherited = |key: &[u8]| -> Option<Object> {
        let mut id = Some(page_id);
        for _ in 0..32 {
            let dict = pdf.get_dictionary(id?).ok()?;
            if let Ok(value) = dict.get(key) {
                return pdf.dereference(value).ok().map(|(_, o)| o.clone());
            }
            id = dict.get(b"Parent").and_then(Object::as_reference).ok();
        }
        None
    };
    let rect = |o: Object| -> Option<[f32; 4]> {
        let a = o.as_array().ok()?;
        let v: Vec<f32> = a.iter().filter_map(|x| pdf.dereference(x).ok().and_then(|(_, x)| x.as_float().ok())).collect();
        (v.len() == 4).then(|| [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
    };
    let media = inherited(b"MediaBox").and_then(rect).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let crop = inherited(b"CropBox").and_then(rect).map_or(media, |c| {
        [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])]
    });
    let rotate = inherited(b"Rotate").and_then(|o| o.as_i64().ok()).unwrap_or(0).rem_euclid(360) as u16;
    Ok((crop, rotate - rotate % 90))
}

/// Puts `q` before the page's content and `tail` (which starts by closing it) after, so
/// that whatever state the page leaves cannot move or hide vanban's text.
fn add_content(pdf: &mut Pdf, page_id: ObjectId, tail: Vec<u8>) -> anyhow::Result<()> {
    let head = pdf.add_object(Stream::new(dictionary! {}, b"q\n".to_vec()));
    let tail = pdf.add_object(super::font::compressed(dictionary! {}, tail));
    let old: Vec<Object> = match pdf.get_dictionary(page_id)?.get(b"Contents") {
        Ok(Object::Reference(id)) => match pdf.get_object(*id) {
            Ok(Object::Array(items)) => items.clone(),
            _ => vec![Object::Reference(*id)],
        },
        Ok(Object::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let mut contents = vec![Object::Reference(head)];
    contents.extend(old);
    contents.push(Object::Reference(tail));
    pdf.get_dictionary_mut(page_id)?.set("Contents", contents);
    Ok(())
}

/// The page's resources (its own, or inherited) as its own dictionary, with vanban's font.
fn add_font(pdf: &mut Pdf, page_id: ObjectId, font_id: ObjectId) -> anyhow::Result<()> {
    let mut resources = resolved_resources(pdf, page_id);
    let mut fonts = match resources.get(b"Font").ok().and_then(|o| pdf.dereference(o).ok()) {
        Some((_, Object::Dictionary(d))) => d.clone(),
        _ => Dictionary::new(),
    };
    fonts.set("VanbanText", font_id);
    resources.set("Font", fonts);
    pdf.get_dictionary_mut(page_id)?.set("Resources", resources);
    Ok(())
}

fn resolved_resources(pdf: &Pdf, page_id: ObjectId) -> Dictionary {
    let mut id = Some(page_id);
    for _ in 0..32 {
        let Some(dict) = id.and_then(|i| pdf.get_dictionary(i).ok()) else { break };
        if let Ok(value) = dict.get(b"Resources") {
            if let Ok((_, Object::Dictionary(d))) = pdf.dereference(value) {
                return d.clone();
            }
        }
        id = dict.get(b"Parent").and_then(Object::as_reference).ok();
    }
    Dictionary::new()
}

/// Removes the invisible text of the page's content and of the forms it draws; true when
/// there was some.
fn strip_page(pdf: &mut Pdf, page_id: ObjectId, forms_done: &mut HashSet<ObjectId>) -> anyhow::Result<bool> {
    let mut removed = false;
    let content = pdf.get_page_content(page_id).map_err(|e| anyhow::anyhow!("the page content cannot be read ({e})"))?;
    if let Some((stripped, used)) = strip_invisible(&content) {
        // The fonts only the old layer drew with go too (a viewer lists every font a page
        // names, and the old layer's font is often not embedded or not Unicode).
        let mut resources = resolved_resources(pdf, page_id);
        let fonts = match resources.get(b"Font").ok().and_then(|o| pdf.dereference(o).ok()) {
            Some((_, Object::Dictionary(d))) => Some(d.clone()),
            _ => None,
        };
        if let Some(fonts) = fonts {
            let mut kept = Dictionary::new();
            for (name, font) in fonts.iter() {
                if used.contains(name) {
                    kept.set(name.clone(), font.clone());
                }
            }
            resources.set("Font", kept);
            pdf.get_dictionary_mut(page_id)?.set("Resources", resources);
        }
        let mut stream = Stream::new(dictionary! {}, stripped);
        let _ = stream.compress();
        let id = pdf.add_object(stream);
        pdf.get_dictionary_mut(page_id)?.set("Contents", id);
        removed = true;
    }
    // Forms the page draws (OCRmyPDF puts its layer in one).
    let resources = resolved_resources(pdf, page_id);
    let forms: Vec<ObjectId> = match resources.get(b"XObject").ok().and_then(|o| pdf.dereference(o).ok()) {
        Some((_, Object::Dictionary(d))) => d.iter().filter_map(|(_, v)| v.as_reference().ok()).collect(),
        _ => Vec::new(),
    };
    for form in forms {
        if !forms_done.insert(form) {
            continue;
        }
        let Ok(Object::Stream(stream)) = pdf.get_object(form) else { continue };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
            continue;
        }
        let data = if stream.dict.has(b"Filter") { stream.decompressed_content() } else { Ok(stream.content.clone()) };
        let Ok(data) = data else { continue };
        if let Some((stripped, _)) = strip_invisible(&data) {
            if let Ok(Object::Stream(stream)) = pdf.get_object_mut(form) {
                stream.dict.remove(b"Filter");
                stream.dict.remove(b"DecodeParms");
                stream.set_content(stripped);
                let _ = stream.compress();
                removed = true;
            }
        }
    }
    Ok(removed)
}

/// `content` without the text it draws in render mode 3, and the fonts its remaining
/// (visible) text draws with; `None` when it draws no invisible text (the content is then
/// kept byte for byte). A `'` or `"` that drew invisible text still moves to the next
/// line, so that visible text after it stays where it was; a `Tf` selecting a font that
/// only invisible text used goes too, so that the old layer's font can be dropped.
fn strip_invisible(content: &[u8]) -> Option<(Vec<u8>, HashSet<Vec<u8>>)> {
    let decoded = Content::decode(content).ok()?;
    let (mut mode, mut font) = (0i64, None::<Vec<u8>>);
    let mut saved = Vec::new();
    let mut removed = false;
    let mut used = HashSet::new();
    let mut kept = Vec::with_capacity(decoded.operations.len());
    for op in decoded.operations {
        match op.operator.as_str() {
            "q" => saved.push((mode, font.clone())),
            "Q" => (mode, font) = saved.pop().unwrap_or((0, None)),
            "Tr" => mode = op.operands.first().and_then(|o| o.as_i64().ok()).unwrap_or(mode),
            "Tf" => font = op.operands.first().and_then(|o| o.as_name().ok()).map(<[u8]>::to_vec),
            "Tj" | "TJ" | "'" | "\"" if mode != 3 => used.extend(font.clone()),
            "Tj" | "TJ" => {
                removed = true;
                continue;
            }
            "'" => {
                removed = true;
                kept.push(Operation::new("T*", vec![]));
                continue;
            }
            "\"" => {
                removed = true;
                let mut ops = op.operands.into_iter();
                let (aw, ac) = (ops.next().unwrap_or(Object::Integer(0)), ops.next().unwrap_or(Object::Integer(0)));
                kept.push(Operation::new("Tw", vec![aw]));
                kept.push(Operation::new("Tc", vec![ac]));
                kept.push(Operation::new("T*", vec![]));
                continue;
            }
            _ => {}
        }
        kept.push(op);
    }
    if !removed {
        return None;
    }
    // A font no kept text draws with was selected only for the invisible text.
    kept.retain(|op| op.operator != "Tf" || op.operands.first().and_then(|o| o.as_name().ok()).is_some_and(|n| used.contains(n)));
    Some((Content { operations: kept }.encode().ok()?, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_invisible_text_is_removed() {
        let content = b"q 10 0 0 10 0 0 cm /Im0 Do Q\nBT 3 Tr /F1 12 Tf 1 0 0 1 5 5 Tm (Thuc hien) Tj ET\nBT 0 Tr /F2 9 Tf (Ky boi) Tj ET";
        let (out, used) = strip_invisible(content).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains("Thuc") && !out.contains("/F1"), "{out}");
        assert_eq!(used, HashSet::from([b"F2".to_vec()]));
        assert!(out.contains("(Ky boi) Tj"), "{out}");
        assert!(out.contains("/Im0 Do"), "{out}");
        assert!(strip_invisible(b"BT /F2 9 Tf (Ky boi) Tj ET").is_none());
    }

    #[test]
    fn the_mode_is_restored_with_the_graphics_state() {
        let content = b"q 3 Tr Q BT (seen) Tj ET";
        assert!(strip_invisible(content).is_none());
    }
}
