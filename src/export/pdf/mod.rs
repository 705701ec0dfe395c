//! Searchable PDFs out (issue 14): for each record, a PDF that looks exactly like the scan
//! (its page images unchanged, or an input PDF's own pages) with one invisible text layer,
//! vanban's repaired text, each word on the box OCR read it in. Viewers then search, select
//! and copy correct Vietnamese, and other systems can index the file.
//!
//! Pages come from the source file the record was made from, which must be unchanged (its
//! SHA-256 is checked): the word boxes are in that file's pixels.

mod font;
mod geometry;
mod images;
mod meta;
mod source_pdf;
mod text;
mod widths;

use anyhow::{bail, Context};
use lopdf::{dictionary, Document as Pdf, Object};
use std::path::{Path, PathBuf};

pub use font::FontFile;
pub use meta::Fields;
pub use text::{placed_lines, Placed};

use crate::ocr::ImageKind;
use crate::record::{Document, SourceKind};

/// What was written for one record.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub pages: usize,
    /// Pages that got vanban's text layer (a born-digital page keeps its own text instead).
    pub text_pages: usize,
    /// Old invisible text layers removed from an input PDF's pages.
    pub layers_removed: usize,
    pub pdfa: bool,
}

/// The file name of `doc`'s PDF: its source's name with `.pdf`.
pub fn file_name(doc: &Document) -> String {
    let stem = Path::new(&doc.source_path).file_stem().map_or_else(|| doc.id.clone(), |s| s.to_string_lossy().into_owned());
    format!("{stem}.pdf")
}

/// Writes `doc`'s searchable PDF to `out` (replaced atomically).
pub fn write(doc: &Document, font: &FontFile, out: &Path) -> anyhow::Result<Written> {
    let (bytes, written) = to_bytes(doc, font)?;
    let mut file = crate::fsx::AtomicFile::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    std::io::Write::write_all(&mut file, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    file.commit().with_context(|| format!("cannot write {}", out.display()))?;
    Ok(Written { path: out.to_path_buf(), ..written })
}

/// `doc`'s searchable PDF in memory (the web page's download).
pub fn to_bytes(doc: &Document, font: &FontFile) -> anyhow::Result<(Vec<u8>, Written)> {
    let source = Path::new(&doc.source_path);
    let kind = match doc.source_kind {
        SourceKind::Text => bail!("{} is a text file: it has no page images to put in a PDF", source.display()),
        SourceKind::Pdf => ImageKind::Pdf,
        SourceKind::Tiff => ImageKind::Tiff,
        SourceKind::Image => image_kind(source)?,
    };
    let bytes = std::fs::read(source).with_context(|| format!("cannot read the source file {} of record {}", source.display(), doc.id))?;
    check_unchanged(doc, &bytes)?;
    let (mut pdf, written) = if kind == ImageKind::Pdf {
        source_pdf::build(doc, &bytes, font).with_context(|| format!("{}", source.display()))?
    } else {
        from_images(doc, kind, font).with_context(|| format!("{}", source.display()))?
    };
    let mut out = Vec::with_capacity(bytes.len() + (64 << 10));
    // Object streams and a cross-reference stream (PDF 1.5, allowed by PDF/A-2): the
    // dictionaries are deflated together and each object costs a 7-byte entry instead of a
    // 20-byte line, which keeps the output within issue 14's 10% of the input.
    let options = lopdf::SaveOptions::builder().use_object_streams(true).use_xref_streams(true).compression_level(9).build();
    pdf.save_with_options(&mut out, options).context("cannot write the PDF")?;
    Ok((out, written))
}

/// PNG or JPEG, from the file's first bytes.
fn image_kind(path: &Path) -> anyhow::Result<ImageKind> {
    let mut head = [0u8; 4];
    use std::io::Read;
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .with_context(|| format!("cannot read the source file {}", path.display()))?;
    match head {
        [0x89, b'P', b'N', b'G'] => Ok(ImageKind::Png),
        [0xFF, 0xD8, ..] => Ok(ImageKind::Jpeg),
        _ => bail!("{} is neither PNG nor JPEG any more", path.display()),
    }
}

/// The word boxes are in the pixels of the file as it was read: a changed file would put
/// every word in the wrong place.
fn check_unchanged(doc: &Document, bytes: &[u8]) -> anyhow::Result<()> {
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    if digest != doc.sha256 {
        bail!(
            "{} has changed since it was ingested (its words would land in the wrong places); run `vanban ingest` on it again",
            doc.source_path
        );
    }
    Ok(())
}

/// A new PDF whose pages are the image file's pages at their own resolution.
fn from_images(doc: &Document, kind: ImageKind, font: &FontFile) -> anyhow::Result<(Pdf, Written)> {
    let mut pdf = Pdf::with_version("1.7");
    let pages_id = pdf.new_object_id();
    let font_id = pdf.new_object_id();
    let lines: Vec<Vec<text::Line>> = doc.pages.iter().map(text::placed_lines).collect();
    let mut encoder = font::Encoder::new(lines.iter().flatten().flatten().map(|p| p.text.as_str()));
    let mut kids = Vec::new();
    let mut text_pages = 0;
    let mut bilevel = true;
    for (page, lines) in doc.pages.iter().zip(&lines) {
        let image = images::page_image(Path::new(&doc.source_path), kind, page.number).with_context(|| format!("page {}", page.number))?;
        bilevel &= image.is_bilevel_gray();
        let scale = 72.0 / image.dpi;
        let (width, height) = (image.width as f32 * scale, image.height as f32 * scale);
        let image_id = pdf.add_object(image.stream);
        let mut content = format!("q {} 0 0 {} 0 0 cm /Scan Do Q\n", text::num(width), text::num(height)).into_bytes();
        if !lines.is_empty() {
            text_pages += 1;
            let turned = geometry::Turned::new(page.rotation, width, height);
            content.extend_from_slice(b"q\n");
            content.extend_from_slice(turned.cm().as_bytes());
            content.extend_from_slice(&text::content(lines, &mut encoder, font, scale, turned.height));
            content.extend_from_slice(b"Q\n");
        }
        let content_id = pdf.add_object(font::compressed(dictionary! {}, content));
        let page_id = pdf.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(width), Object::Real(height)],
            "Resources" => dictionary! {
                "XObject" => dictionary! { "Scan" => image_id },
                "Font" => dictionary! { "VanbanText" => font_id },
            },
            "Contents" => content_id,
        });
        kids.push(Object::Reference(page_id));
    }
    // Bilevel pages (a G4 TIFF) need no sRGB profile: DeviceGray is mapped to CalGray on
    // each page instead, which saves the profile and the output intent (about 500 bytes, a
    // tenth of what issue 14 allows a small two-page fax-coded file).
    let colour = if bilevel && !kids.is_empty() { meta::Colour::CalGray } else { meta::Colour::SrgbIntent };
    if colour == meta::Colour::CalGray {
        let gray = pdf.add_object(meta::default_gray());
        for kid in &kids {
            let resources = pdf.get_object_mut(kid.as_reference()?)?.as_dict_mut()?.get_mut(b"Resources")?.as_dict_mut()?;
            resources.set("ColorSpace", dictionary! { "DefaultGray" => gray });
        }
    }
    let count = kids.len();
    pdf.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count as i64 }));
    encoder.write(&mut pdf, font_id)?;
    let catalog = pdf.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    pdf.trailer.set("Root", catalog);
    let pdfa = meta::apply(&mut pdf, catalog, &Fields::of(doc), Some(colour))?;
    Ok((pdf, Written { path: PathBuf::new(), pages: count, text_pages, layers_removed: 0, pdfa }))
}
