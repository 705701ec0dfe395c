//! What a file holds, judged by its first bytes and its name together: a clerk's folder
//! has JPEGs named `.png`, text saved as `.pdf`, and files with no extension at all.

use anyhow::{bail, Context};
use std::io::Read;
use std::path::Path;

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
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") || head.starts_with(b"II+\0") || head.starts_with(b"MM\0+") {
        Some(ImageKind::Tiff)
    } else if head.len() >= 5 && head[..head.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        // The PDF header may follow some junk bytes (readers accept it within 1 KB).
        Some(ImageKind::Pdf)
    } else {
        None
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
    } else if std::str::from_utf8(head).is_ok() || head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        "text"
    } else {
        "data of an unknown kind"
    }
}

/// Classifies a file. `Ok(None)`: not something vanban ingests (no known extension and
/// no known content), skipped silently. `Err`: a file that claims to be an input but is
/// not, with the reason.
pub fn classify(path: &Path) -> anyhow::Result<Option<FileKind>> {
    let mut head = Vec::with_capacity(1024);
    std::fs::File::open(path)
        .context("cannot open the file")?
        .take(1024)
        .read_to_end(&mut head)
        .context("cannot read the file")?;
    let by_name = kind_by_extension(path);
    let by_content = image_kind_by_magic(&head);
    if head.is_empty() && by_name.is_some() {
        bail!("the file is empty (0 bytes)");
    }
    Ok(match (by_name, by_content) {
        // Content wins: a JPEG named .png is still a readable scan.
        (_, Some(kind)) => Some(FileKind::Image(kind)),
        (Some(FileKind::Text), None) => Some(FileKind::Text),
        (Some(FileKind::Image(named)), None) => bail!(
            "the name says {} but the content is {}, not an image; rename or replace the file",
            describe(named),
            describe_content(&head)
        ),
        (None, None) => None,
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

        let empty = dir.path().join("empty.jpg");
        std::fs::write(&empty, b"").unwrap();
        assert!(classify(&empty).unwrap_err().to_string().contains("empty"));
    }
}
