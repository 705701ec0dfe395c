//! Turning a file's pages into its [`Document`] record: repair each page, extract the
//! metadata and citations from the repaired text, and note what a clerk should know.

use super::pages::{PageContent, RawPage};
use super::source::SourceFile;
use super::kind::FileKind;
use crate::ocr::ImageKind;
use crate::record::{Document, Page, PageSource, SourceKind, RECORD_VERSION};
use crate::repair::Repairer;

/// Pages read with a mean word confidence below this get a warning on the record.
const LOW_CONFIDENCE: f32 = 70.0;

/// `authority` judges the cited numbers (see `cite::extract_both_with`).
pub fn build(file: &SourceFile, mut raw_pages: Vec<RawPage>, repairer: &Repairer, authority: &crate::authority::Authority) -> Document {
    raw_pages.sort_by_key(|p| p.number);
    let mut warnings = Vec::new();
    let signatures = raw_pages.iter_mut().find_map(|p| p.signatures.take()).unwrap_or_default();
    warnings.extend(signatures.warnings);
    let headers: Vec<(u32, crate::header::PageHeader)> = raw_pages.iter_mut().filter_map(|p| p.header.take().map(|h| (p.number, h))).collect();
    let pages: Vec<Page> = raw_pages.into_iter().map(|raw| page(raw, repairer, &mut warnings)).collect();
    let mut doc = Document {
        record_version: RECORD_VERSION,
        id: file.id.clone(),
        source_path: file.canonical.to_string_lossy().into_owned(),
        sha256: file.sha256.clone(),
        source_kind: source_kind(file.kind),
        pages,
        metadata: Default::default(),
        citations: Vec::new(),
        warnings,
        signatures: signatures.signatures,
        ingested_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        corrected: Vec::new(),
    };
    // Both readings: positions in the raw OCR too, and citations that repair damaged.
    let extraction = crate::cite::extract_both_with(&doc.full_text(), &doc.raw_full_text(), authority);
    doc.metadata = extraction.document;
    doc.citations = extraction.citations;
    let mut citations = std::mem::take(&mut doc.citations);
    crate::cite::from_rereads(&mut citations, &doc.rereads());
    doc.citations = citations;
    crate::header::apply(&mut doc, &headers);
    if !doc.signatures.is_empty() {
        let evidence = crate::pdf::evidence::from_signatures(&doc.signatures);
        let notes = crate::pdf::evidence::apply(&mut doc.metadata, &evidence);
        doc.metadata.flags.extend(notes);
        doc.warnings.extend(crate::pdf::evidence::check_date(doc.metadata.date.as_deref(), &evidence));
    }
    doc
}

fn source_kind(kind: FileKind) -> SourceKind {
    match kind {
        FileKind::Text => SourceKind::Text,
        FileKind::Image(ImageKind::Tiff) => SourceKind::Tiff,
        FileKind::Image(ImageKind::Pdf) => SourceKind::Pdf,
        FileKind::Image(_) => SourceKind::Image,
    }
}

fn page(raw: RawPage, repairer: &Repairer, warnings: &mut Vec<String>) -> Page {
    let number = raw.number;
    match raw.content {
        PageContent::Text(text) => {
            let repaired = repairer.repair(&text);
            Page {
                number,
                source: PageSource::TextFile,
                raw_text: text,
                text_layer: None,
                mean_confidence: None,
                words: Vec::new(),
                dropped_lines: Vec::new(),
                repaired_text: repaired.text,
                corrections: repaired.corrections,
                layer: None,
                ..Default::default()
            }
        }
        PageContent::Layer { layer, verdict, regions } => {
            let repaired = crate::pdf::page::layer_text(&layer, &verdict, repairer);
            Page {
                number,
                source: PageSource::TextLayer,
                raw_text: layer.text,
                text_layer: None,
                mean_confidence: None,
                words: layer.words,
                dropped_lines: Vec::new(),
                repaired_text: repaired.text,
                corrections: repaired.corrections,
                layer: Some(verdict),
                regions,
                ..Default::default()
            }
        }
        PageContent::Ocr { ocr, layer, rereads } => {
            if let Some(reason) = &ocr.unreadable {
                warnings.push(format!("Trang {number}: {reason}."));
            } else if ocr.words.is_empty() {
                warnings.push(format!("Trang {number}: không nhận dạng được chữ nào; kiểm tra bản quét có bị trắng hoặc lộn ngược không."));
            } else if ocr.mean_confidence < LOW_CONFIDENCE {
                warnings.push(format!(
                    "Trang {number} đọc được với độ tin cậy thấp (trung bình {:.0}/100); hãy kiểm tra bản quét.",
                    ocr.mean_confidence
                ));
            }
            // The signature area's second read leaves notes among the dropped lines (what it
            // put into the text, what it read too unsurely to); they are not scanner noise.
            let is_reread_note = |reason: &str| reason == crate::header::signer::REREAD_KEPT || reason == crate::header::signer::REREAD_UNSURE;
            let noise = ocr.dropped_lines.iter().filter(|d| !is_reread_note(&d.reason)).count();
            if noise > 0 {
                warnings.push(format!("Trang {number}: {noise} dòng trông như nhiễu của máy quét đã được bỏ khỏi văn bản (xem dropped_lines)."));
            }
            let mut repaired = repairer.repair(&ocr.text);
            let (text_layer, layer) = match layer {
                Some((layer, verdict)) => {
                    let (merged, verdict) = crate::pdf::page::with_layer(&ocr, repaired, &layer, verdict, repairer);
                    repaired = merged;
                    (Some(layer.text), Some(verdict))
                }
                None => (None, None),
            };
            Page {
                number,
                source: PageSource::Ocr,
                raw_text: ocr.text,
                text_layer,
                mean_confidence: Some(ocr.mean_confidence),
                words: ocr.words,
                dropped_lines: ocr.dropped_lines,
                repaired_text: repaired.text,
                corrections: repaired.corrections,
                layer,
                rotation: ocr.rotation,
                skew: ocr.skew,
                unreadable: ocr.unreadable,
                regions: ocr.regions,
                rereads,
            }
        }
    }
}
