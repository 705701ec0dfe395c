//! Reading one unit of work: an image page through OCR, or a whole text file.
//! Runs on the worker threads; everything here is per page and shares nothing.

use std::time::Duration;

use super::kind::FileKind;
use super::source::SourceFile;
use crate::ocr::{self, OcrPage};
use crate::record::PAGE_BREAK;

pub enum PageContent {
    Ocr { ocr: OcrPage, text_layer: Option<String> },
    Text(String),
}

pub struct RawPage {
    /// 1-based.
    pub number: u32,
    pub content: PageContent,
    /// A PDF's digital signatures: a fact of the file, read on the worker with page 1.
    pub signatures: Option<crate::pdf::SignatureReport>,
}

/// The pages of task `task` (1-based) of `file`, and the CPU time spent reading them.
pub fn read_task(file: &SourceFile, task: u32) -> (anyhow::Result<Vec<RawPage>>, Duration) {
    super::cpu::measure(|| match file.kind {
        FileKind::Image(kind) => ocr_page(file, kind, task).map(|page| vec![page]),
        FileKind::Text => text_pages(file),
    })
}

fn ocr_page(file: &SourceFile, kind: ocr::ImageKind, number: u32) -> anyhow::Result<RawPage> {
    let in_page = |e: anyhow::Error| if file.tasks > 1 { e.context(format!("page {number}")) } else { e };
    let image = ocr::load_page(&file.path, kind, number).map_err(in_page)?;
    let text_layer = ocr::text_layer(&file.path, kind, number).map_err(in_page)?;
    let ocr = ocr::recognize(&image).map_err(in_page)?;
    let signatures = (kind == ocr::ImageKind::Pdf && number == 1)
        .then(|| crate::pdf::signature::read(&file.path))
        .transpose()?;
    Ok(RawPage { number, content: PageContent::Ocr { ocr, text_layer }, signatures })
}

/// A text file's pages: form feeds separate them, as in text layers exported from PDFs.
fn text_pages(file: &SourceFile) -> anyhow::Result<Vec<RawPage>> {
    let text = super::read_text_file(&file.path)?;
    let text = text.strip_suffix(PAGE_BREAK).unwrap_or(&text);
    Ok(text
        .split(PAGE_BREAK)
        .enumerate()
        .map(|(i, page)| RawPage { number: i as u32 + 1, content: PageContent::Text(page.to_owned()), signatures: None })
        .collect())
}
