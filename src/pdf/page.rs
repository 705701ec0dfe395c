//! Reading one PDF page: its text layer first, and OCR only when the layer cannot stand
//! for the page.
//!
//! A page drawn as vector text whose layer reads as faithful Vietnamese is never
//! rasterized (a few hundredths of a second instead of a second or more of OCR). Any other
//! page with letters in its layer is rasterized — OCR needs the raster anyway — and the
//! layer's cover of the page's ink decides: faithful and covering, it is the text; covering
//! but garbled, both readings are kept for `merge`; covering little, it is evidence beside
//! the OCR text (a signature box). A page with no layer costs one `pdftotext` call more
//! than plain OCR, as it always did.

use std::path::Path;

use super::layer::{self, LayerKind, LayerVerdict, TextLayer};
use crate::ocr::{self, ImageKind, OcrPage, PageImage};
use crate::repair::lm::LanguageModel;
use crate::repair::{Repaired, Repairer};

/// A PDF page as read.
pub enum PdfPage {
    /// The layer is the page's text; nothing was OCR'd. `image`: the page's raster, when
    /// it was rendered to judge the layer (the header reader crops handwritten fields from it).
    /// `regions`: the signature boxes stamped into the layer, taken out of its text and words.
    Layer { layer: TextLayer, verdict: LayerVerdict, image: Option<PageImage>, regions: Vec<crate::page::Region> },
    /// The page was OCR'd; its layer, if it has one, comes with its verdict. `image`: the
    /// raster that was OCR'd.
    Ocr { ocr: OcrPage, layer: Option<(TextLayer, LayerVerdict)>, image: PageImage },
}

/// Reads page `number` of the PDF at `path`. With `use_layer` false every page is OCR'd
/// (the layer is still read and judged, and kept beside the OCR text).
pub fn read(path: &Path, number: u32, lm: &LanguageModel, use_layer: bool) -> anyhow::Result<PdfPage> {
    let Some(layer) = ocr::pdf_text_layer(path, number)? else {
        let mut image = ocr::load_page(path, ImageKind::Pdf, number)?;
        let ocr = crate::page::read_upright(&mut image, lm)?;
        return Ok(PdfPage::Ocr { ocr, layer: None, image });
    };
    let language = layer::language(&layer.text, lm);
    // Images that cannot be listed are taken to cover the page: its ink is then measured.
    let image_share = ocr::pdf_image_list(path, number).map_or(1.0, |list| layer::image_share(&list, layer.page_size));
    if use_layer {
        if let Some(verdict) = layer::judge_without_raster(&language, image_share) {
            let mut layer = layer;
            let regions = super::boxes::take_from_layer(&mut layer);
            return Ok(PdfPage::Layer { layer, verdict, image: None, regions });
        }
    }
    let mut image = ocr::load_page(path, ImageKind::Pdf, number)?;
    let verdict = layer::judge(&language, image_share, &layer, image.width, image.height, &image.pixels);
    if use_layer && verdict.kind == LayerKind::Faithful {
        let mut layer = layer;
        let regions = super::boxes::take_from_layer(&mut layer);
        return Ok(PdfPage::Layer { layer, verdict, image: Some(image), regions });
    }
    let mut ocr = crate::page::read_upright(&mut image, lm)?;
    if verdict.kind == LayerKind::Partial {
        super::boxes::apply(&mut ocr, &layer);
    }
    Ok(PdfPage::Ocr { ocr, layer: Some((layer, verdict)), image })
}

/// The text of a page whose layer stands for it. Born-digital text is what its author
/// typed: nothing to repair, and it stays identical to the layer. A faithful layer over a
/// scan is another engine's OCR, repaired like ours.
pub fn layer_text(layer: &TextLayer, verdict: &LayerVerdict, repairer: &Repairer) -> Repaired {
    if verdict.is_vector_page() {
        Repaired { text: layer.text.clone(), corrections: Vec::new() }
    } else {
        repairer.repair(&layer.text)
    }
}

/// An OCR'd page's repaired text with its layer taken into account: a garbled layer's
/// lines replace the OCR's where the language model prefers them (see `merge`); a partial
/// layer's words are kept in the verdict as evidence (signature box, stamps).
pub fn with_layer(ocr: &OcrPage, repaired: Repaired, layer: &TextLayer, mut verdict: LayerVerdict, repairer: &Repairer) -> (Repaired, LayerVerdict) {
    match verdict.kind {
        LayerKind::Garbled => {
            let merged = super::merge::merge(&ocr.text, &ocr.words, &repaired, layer, repairer);
            verdict.lines_from_layer = merged.lines_from_layer;
            (Repaired { text: merged.text, corrections: merged.corrections }, verdict)
        }
        LayerKind::Partial => {
            verdict.evidence = layer.words.clone();
            (repaired, verdict)
        }
        LayerKind::Faithful | LayerKind::None => (repaired, verdict),
    }
}
