//! Text inputs: OCR output already in text form. Decoding (UTF-8, UTF-16 with or without a
//! byte-order mark), the size limit, and the test `kind` uses to tell text from data.
//!
//! Anything that is not text is refused with a reason a clerk can act on, never read as
//! text full of NUL bytes (issue 16: an unaccented UTF-16LE file without a BOM was taken
//! for UTF-8 and indexed as garbage, with exit 0).

use anyhow::{bail, Context};
use std::path::Path;

/// Largest `.txt` input accepted. A 500-page OCR text layer is about 2 MB; turning text
/// into a record takes about 48 bytes of memory a byte (a 4 MB text peaked at 289 MB,
/// an 8 MB one at 484 MB), so this keeps one text within ingest's 500 MB target, and no
/// record, index entry or search snippet is ever built from a text bigger than this.
pub const MAX_TEXT_BYTES: u64 = 4 << 20;

/// How much of a file the UTF-16 test looks at.
const SNIFF_BYTES: usize = 64 * 1024;
/// Decoded text with more control characters than this share is not text.
const MAX_CONTROL_SHARE: f64 = 0.01;

/// Reads a `.txt` file that holds OCR output. See [`decode_text`].
pub fn read_text_file(path: &Path) -> anyhow::Result<String> {
    let size = std::fs::metadata(path).context("cannot read the file")?.len();
    if size > MAX_TEXT_BYTES {
        bail!(
            "the text file is {:.1} MB, over the limit of {} MB for one document (about 2,000 pages); \
             split it into one file per document",
            size as f64 / (1 << 20) as f64,
            MAX_TEXT_BYTES >> 20
        );
    }
    let bytes = std::fs::read(path).context("cannot read the file")?;
    decode_text(&bytes)
}

/// UTF-8 (with or without BOM) or UTF-16 (with a BOM, or recognized by where its zero
/// bytes fall); anything else is refused with a reason a clerk can act on. The result is NFC.
pub fn decode_text(bytes: &[u8]) -> anyhow::Result<String> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        std::str::from_utf8(rest).map(str::to_owned).map_err(not_utf8)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        decode_utf16(rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        decode_utf16(rest, u16::from_be_bytes)?
    } else if !bytes.contains(&0) {
        std::str::from_utf8(bytes).map(str::to_owned).map_err(not_utf8)?
    } else {
        match utf16_order(bytes) {
            Some(Order::Little) => decode_utf16(bytes, u16::from_le_bytes)?,
            Some(Order::Big) => decode_utf16(bytes, u16::from_be_bytes)?,
            None => bail!(
                "the file holds zero bytes, so it is not UTF-8 text: binary data, or UTF-16 that could not be \
                 recognized; save it as UTF-8 and ingest again"
            ),
        }
    };
    if too_many_controls(text.chars()) {
        let controls = text.chars().filter(|&c| is_stray_control(c)).count();
        bail!("the file holds {controls} control characters: it is not a text file (or is damaged)");
    }
    Ok(crate::viet::nfc(&text))
}

/// A control character that text does not hold (line breaks, tabs and form feeds it does).
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{000C}')
}

fn too_many_controls(chars: impl Iterator<Item = char>) -> bool {
    let (mut all, mut controls) = (0usize, 0usize);
    for c in chars {
        all += 1;
        controls += usize::from(is_stray_control(c));
    }
    controls as f64 > MAX_CONTROL_SHARE * all as f64
}

/// Whether the first bytes of a file read as text (UTF-8 with nothing but an unfinished
/// character at the cut, or UTF-16 with a BOM or its zero-byte pattern): what `kind`
/// weighs against a misleading signature such as `%PDF-` quoted in a text.
pub fn looks_like_text(head: &[u8]) -> bool {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) || head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    if head.contains(&0) {
        let even = &head[..head.len() & !1];
        let unit: fn([u8; 2]) -> u16 = match utf16_order(head) {
            Some(Order::Little) => u16::from_le_bytes,
            Some(Order::Big) => u16::from_be_bytes,
            None => return false,
        };
        // A cut surrogate pair at the end is fine; controls are not.
        let decoded = char::decode_utf16(even.chunks_exact(2).map(|c| unit([c[0], c[1]])));
        return !too_many_controls(decoded.map(|c| c.unwrap_or(' ')));
    }
    match std::str::from_utf8(head) {
        Ok(text) => !text.chars().any(|c| c.is_control() && !c.is_whitespace()),
        // Cut in the middle of a character: the rest was valid.
        Err(err) => err.error_len().is_none(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Little,
    Big,
}

/// The byte order of UTF-16 text without a BOM, told by where its zero bytes fall: text
/// of Latin letters (Vietnamese included: most of its characters are below U+0100, the
/// rest below U+2000) has a zero as the high byte of most characters and almost never as
/// the low byte.
fn utf16_order(bytes: &[u8]) -> Option<Order> {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES) & !1];
    let units = sample.len() / 2;
    if units < 2 {
        return None;
    }
    let zeros_at = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let mostly = |n: usize| n * 10 >= units * 3;
    let rarely = |n: usize| n * 20 <= units;
    if mostly(odd) && rarely(even) {
        Some(Order::Little)
    } else if mostly(even) && rarely(odd) {
        Some(Order::Big)
    } else {
        None
    }
}

fn not_utf8(e: std::str::Utf8Error) -> anyhow::Error {
    anyhow::anyhow!(
        "not UTF-8 text (invalid byte at offset {}); save it as UTF-8 (or UTF-16 with a BOM) and ingest again",
        e.valid_up_to()
    )
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> anyhow::Result<String> {
    if !bytes.len().is_multiple_of(2) {
        bail!("UTF-16 text with an odd number of bytes: the file is truncated");
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| anyhow::anyhow!("invalid UTF-16 text: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big: bool) -> Vec<u8> {
        text.encode_utf16().flat_map(|u| if big { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
    }

    #[test]
    fn utf16_without_a_bom_is_recognized_in_both_orders() {
        for text in ["Quyet dinh so 1582/QD-UBND ve viec phe duyet", "Quyết định số 1582/QĐ-UBND về việc phê duyệt đề án"] {
            assert_eq!(decode_text(&utf16(text, false)).unwrap(), text);
            assert_eq!(decode_text(&utf16(text, true)).unwrap(), text);
            assert!(looks_like_text(&utf16(text, false)));
        }
    }

    #[test]
    fn zero_bytes_that_are_not_utf16_are_refused_not_indexed() {
        let err = decode_text(b"PK\x03\x04\x00\x00\x08\x00binary\x00\x00\x00\x00\xff\x13").unwrap_err().to_string();
        assert!(err.contains("zero bytes") && err.contains("UTF-8"), "{err}");
        assert!(decode_text(b"abc\x00def").is_err());
        assert!(!looks_like_text(b"\x00\x01\x02\x03\x04\x05"));
    }

    #[test]
    fn utf8_and_boms_as_before() {
        assert_eq!(decode_text("Số: 12".as_bytes()).unwrap(), "Số: 12");
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16("Số", false));
        assert_eq!(decode_text(&le).unwrap(), "Số");
        assert!(decode_text(b"\xff\xfe\x41").unwrap_err().to_string().contains("odd"));
        assert!(decode_text(b"caf\xe9").unwrap_err().to_string().contains("UTF-8"));
        assert!(decode_text(b"\x1b\x01\x02\x03\x04\x05\x06\x07\x08\x0e").unwrap_err().to_string().contains("control"));
    }

    #[test]
    fn a_head_cut_inside_a_character_still_looks_like_text() {
        let text = "Quyết định".as_bytes();
        assert!(looks_like_text(&text[..text.len() - 1]));
        assert!(!looks_like_text(b"\xff\xd8\xff\xe0"));
    }
}
