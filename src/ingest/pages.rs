//! Reading one unit of work: an image page through OCR, or a whole text file.
//! Runs on the worker threads; everything here is per page and shares nothing.

use std::time::Duration;

use super::kind::FileKind;
use super::source::SourceFile;
use crate::ocr::{self, OcrPage};
use crate::pdf::layer::{LayerVerdict, TextLayer};
use crate::pdf::page::PdfPage;
use crate::record::PAGE_BREAK;
use crate::repair::Repairer;

pub enum PageContent {
    /// OCR'd; a PDF page's text layer, when it has one, comes with its verdict.
    /// `rereads`: the cited numbers whose digits were read again from the image
    /// (`crate::ocr::reread`); those changed stand changed in `ocr` already.
    Ocr { ocr: OcrPage, layer: Option<(TextLayer, LayerVerdict)>, rereads: Vec<crate::ocr::reread::NumberReread> },
    /// A PDF page whose own text layer stands for it: nothing was OCR'd; the signature boxes
    /// stamped into the layer come apart as regions.
    Layer { layer: TextLayer, verdict: LayerVerdict, regions: Vec<crate::page::Region> },
    Text(String),
}

pub struct RawPage {
    /// 1-based.
    pub number: u32,
    pub content: PageContent,
    /// A PDF's digital signatures: a fact of the file, read on the worker with page 1.
    pub signatures: Option<crate::pdf::SignatureReport>,
    /// Page 1's header fields, their filled-in digits read while the page image was in
    /// memory (see `crate::header`).
    pub header: Option<crate::header::PageHeader>,
}

/// The pages of task `task` (1-based) of `file`, and the CPU time spent reading them.
/// `repairer`'s language model judges PDF text layers; with `use_text_layers` false every
/// PDF page is OCR'd even when its layer is faithful.
pub fn read_task(file: &SourceFile, task: u32, repairer: &Repairer, use_text_layers: bool) -> (anyhow::Result<Vec<RawPage>>, Duration) {
    super::cpu::measure(|| match file.kind {
        FileKind::Image(kind) => ocr_page(file, kind, task, repairer, use_text_layers).map(|page| vec![page]),
        FileKind::Text => text_pages(file),
    })
}

fn ocr_page(file: &SourceFile, kind: ocr::ImageKind, number: u32, repairer: &Repairer, use_text_layers: bool) -> anyhow::Result<RawPage> {
    let in_page = |e: anyhow::Error| if file.tasks > 1 { e.context(format!("page {number}")) } else { e };
    // Only page 1 carries the document's own header.
    let header_of = |image: Option<&ocr::PageImage>, words: &[crate::record::OcrWord], size: (u32, u32)| {
        (number == 1).then(|| crate::header::read_fields(image, words, size)).flatten()
    };
    let (content, header) = if kind == ocr::ImageKind::Pdf {
        match crate::pdf::page::read(&file.path, number, repairer.language_model(), use_text_layers).map_err(in_page)? {
            PdfPage::Layer { layer, verdict, image, regions } => {
                let size = image.as_ref().map_or_else(
                    || {
                        let px = |points: f64| (points * crate::pdf::layer::PIXELS_PER_POINT).round() as u32;
                        (px(layer.page_size.0), px(layer.page_size.1))
                    },
                    |i| (i.width, i.height),
                );
                let header = header_of(image.as_ref(), &layer.words, size);
                (PageContent::Layer { layer, verdict, regions }, header)
            }
            PdfPage::Ocr { mut ocr, layer, image } => {
                let rereads = crate::ocr::reread::numbers(&image, &mut ocr);
                let header = header_of(Some(&image), &ocr.words, (image.width, image.height));
                (PageContent::Ocr { ocr, layer, rereads }, header)
            }
        }
    } else {
        let (image, ocr, rereads) = ocr_image_page(&file.path, kind, number, repairer.language_model()).map_err(in_page)?;
        let header = header_of(Some(&image), &ocr.words, (image.width, image.height));
        (PageContent::Ocr { ocr, layer: None, rereads }, header)
    };
    let signatures = (kind == ocr::ImageKind::Pdf && number == 1)
        .then(|| crate::pdf::signature::read(&file.path))
        .transpose()?;
    Ok(RawPage { number, content, signatures, header })
}

/// Page `number` of an image file (PNG, JPEG, TIFF) read as ingest reads it: decoded,
/// turned upright and level, receipt stamps taken off, OCR'd with signature boxes, seal
/// and signature marks and junk lines set apart, and the doubtful digits of cited numbers
/// read again. Also the image as read (turned), for the header fields' crops.
/// `vanban eval repair` reads its real-like scans through this, so that its figures are
/// those of what a user gets.
pub fn ocr_image_page(
    path: &std::path::Path,
    kind: ocr::ImageKind,
    number: u32,
    lm: &crate::repair::lm::LanguageModel,
) -> anyhow::Result<(ocr::PageImage, OcrPage, Vec<crate::ocr::reread::NumberReread>)> {
    let mut image = ocr::load_page(path, kind, number)?;
    let mut ocr = crate::page::read_upright(&mut image, lm)?;
    let rereads = crate::ocr::reread::numbers(&image, &mut ocr);
    Ok((image, ocr, rereads))
}

/// A text file's pages: form feeds separate them, as in text layers exported from PDFs.
fn text_pages(file: &SourceFile) -> anyhow::Result<Vec<RawPage>> {
    let text = super::read_text_file(&file.path)?;
    let text = text.strip_suffix(PAGE_BREAK).unwrap_or(&text);
    Ok(text
        .split(PAGE_BREAK)
        .enumerate()
        .map(|(i, page)| RawPage { number: i as u32 + 1, content: PageContent::Text(page.to_owned()), signatures: None, header: None })
        .collect())
}
