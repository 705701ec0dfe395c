//! What a file holds, judged by its first bytes and its name together: a clerk's folder
//! has JPEGs named `.png`, text saved as `.pdf`, and files with no extension at all.

use anyhow::{bail, Context};
use std::io::Read;
use std::path::Path;

use super::text::looks_like_text;
use crate::ocr::ImageKind;

/// An input vanban can ingest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Image(ImageKind),
    /// OCR output already in text form.
    Text,
}

/// The kind of file its extension promises.
fn kind_by_extension(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => FileKind::Image(ImageKind::Png),
        "jpg" | "jpeg" | "jpe" | "jfif" => FileKind::Image(ImageKind::Jpeg),
        "tif" | "tiff" => FileKind::Image(ImageKind::Tiff),
        "pdf" => FileKind::Image(ImageKind::Pdf),
        "txt" | "text" => FileKind::Text,
        _ => return None,
    })
}

/// The kind of image the first bytes announce.
pub fn image_kind_by_magic(head: &[u8]) -> Option<ImageKind> {
    match signature(head) {
        Some(Signature::Image(kind)) => Some(kind),
        Some(Signature::Pdf { .. }) => Some(ImageKind::Pdf),
        None => None,
    }
}

/// What the first bytes announce. PNG, JPEG and TIFF signatures are binary and open the
/// file; `%PDF-` may follow some junk (readers accept it within 1 KB), and is also plain
/// text that a document may quote, so where it stands is kept for [`classify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signature {
    Image(ImageKind),
    /// `at`: the offset of `%PDF-`.
    Pdf { at: usize },
}

fn signature(head: &[u8]) -> Option<Signature> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Signature::Image(ImageKind::Png))
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Signature::Image(ImageKind::Jpeg))
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") || head.starts_with(b"II+\0") || head.starts_with(b"MM\0+") {
        Some(Signature::Image(ImageKind::Tiff))
    } else {
        head[..head.len().min(1024)].windows(5).position(|w| w == b"%PDF-").map(|at| Signature::Pdf { at })
    }
}

fn describe(kind: ImageKind) -> &'static str {
    match kind {
        ImageKind::Png => "a PNG image",
        ImageKind::Jpeg => "a JPEG image",
        ImageKind::Tiff => "a TIFF image",
        ImageKind::Pdf => "a PDF",
    }
}

/// A guess at what a file that is not an image holds, for the error message.
fn describe_content(head: &[u8]) -> &'static str {
    if head.is_empty() {
        "empty"
    } else if looks_like_text(head) {
        "text"
    } else {
        "data of an unknown kind"
    }
}

/// Classifies a file by its content, with its name as the tie-breaker. `Ok(None)`: not
/// something vanban ingests (no known extension and no known content), skipped silently.
/// `Err`: a file that claims to be an input but is not, with the reason.
///
/// A binary image signature decides (a JPEG named `.png` is a JPEG). Text decides over a
/// `%PDF-` it happens to quote (issue 16: a Vietnamese `.txt` mentioning `%PDF-1.4` was
/// refused as a damaged PDF): a file whose first kilobyte reads as text is a PDF only when
/// it starts with `%PDF-` and is not named as text, or is named `.pdf`.
pub fn classify(path: &Path) -> anyhow::Result<Option<FileKind>> {
    let mut head = Vec::with_capacity(1024);
    std::fs::File::open(path)
        .context("cannot open the file")?
        .take(1024)
        .read_to_end(&mut head)
        .context("cannot read the file")?;
    let by_name = kind_by_extension(path);
    if head.is_empty() && by_name.is_some() {
        bail!("the file is empty (0 bytes)");
    }
    let text = looks_like_text(&head);
    let pdf = Some(FileKind::Image(ImageKind::Pdf));
    Ok(match (by_name, signature(&head)) {
        // A binary signature wins: a JPEG named .png is still a readable scan.
        (_, Some(Signature::Image(kind))) => Some(FileKind::Image(kind)),
        (Some(FileKind::Text), Some(Signature::Pdf { .. })) if text => Some(FileKind::Text),
        (Some(FileKind::Text), None) => Some(FileKind::Text),
        (_, Some(Signature::Pdf { at: 0 })) => pdf,
        (named, Some(Signature::Pdf { .. })) if named == pdf || !text => pdf,
        (Some(FileKind::Image(named)), _) => bail!(
            "the name says {} but the content is {}, not an image; rename or replace the file",
            describe(named),
            describe_content(&head)
        ),
        (_, _) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_name_the_image_kind() {
        assert_eq!(image_kind_by_magic(b"\x89PNG\r\n\x1a\n...."), Some(ImageKind::Png));
        assert_eq!(image_kind_by_magic(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageKind::Jpeg));
        assert_eq!(image_kind_by_magic(b"II*\0\x08\0\0\0"), Some(ImageKind::Tiff));
        assert_eq!(image_kind_by_magic(b"MM\0*"), Some(ImageKind::Tiff));
        assert_eq!(image_kind_by_magic(b"%PDF-1.4\n"), Some(ImageKind::Pdf));
        assert_eq!(image_kind_by_magic(b"Quyet dinh so 1582"), None);
        assert_eq!(image_kind_by_magic(b""), None);
    }

    #[test]
    fn text_named_png_is_refused_and_misnamed_images_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("scan.png");
        std::fs::write(&fake, "Quyết định số 1582/QĐ-UBND").unwrap();
        let err = classify(&fake).unwrap_err().to_string();
        assert!(err.contains("PNG") && err.contains("text"), "{err}");

        let jpeg_as_png = dir.path().join("photo.png");
        std::fs::write(&jpeg_as_png, [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]).unwrap();
        assert_eq!(classify(&jpeg_as_png).unwrap(), Some(FileKind::Image(ImageKind::Jpeg)));

        let notes = dir.path().join("notes.md");
        std::fs::write(&notes, "# notes").unwrap();
        assert_eq!(classify(&notes).unwrap(), None);

        let quoting = dir.path().join("ghi-chu.txt");
        std::fs::write(&quoting, "%PDF-1.4 là phiên bản định dạng của tệp đính kèm Công văn số 12/UBND-VP").unwrap();
        assert_eq!(classify(&quoting).unwrap(), Some(FileKind::Text), "text that quotes %PDF- is text");
        let later = dir.path().join("ghi-chu-2.txt");
        std::fs::write(&later, "Tệp mẫu: %PDF-1.7 đính kèm").unwrap();
        assert_eq!(classify(&later).unwrap(), Some(FileKind::Text));
        let pdf_named_txt = dir.path().join("scan.txt");
        std::fs::write(&pdf_named_txt, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj").unwrap();
        assert_eq!(classify(&pdf_named_txt).unwrap(), Some(FileKind::Image(ImageKind::Pdf)), "a real PDF named .txt");
        let junk_then_pdf = dir.path().join("scan");
        std::fs::write(&junk_then_pdf, b"\x00\x01junk%PDF-1.4\n%\xe2\xe3").unwrap();
        assert_eq!(classify(&junk_then_pdf).unwrap(), Some(FileKind::Image(ImageKind::Pdf)));

        let empty = dir.path().join("empty.jpg");
        std::fs::write(&empty, b"").unwrap();
        assert!(classify(&empty).unwrap_err().to_string().contains("empty"));
    }
}
