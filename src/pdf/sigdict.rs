//! The few entries of a PDF signature dictionary that `pdfsig` does not print: the signing
//! time `/M` with its UTC offset, `/Reason`, `/Location` and the signing application.
//!
//! Why read them from the bytes: a signature dictionary is never compressed (its
//! `/Contents` must sit at the file offsets its `/ByteRange` names, so that the signed
//! bytes can skip it), and those offsets are exactly what `pdfsig` reports. The object
//! around the `/Contents` hole is therefore plain text at a known place, and four keys of it
//! are all we need — no need for a whole PDF parser. Every read is bounded and total: bad
//! bytes give `None`, never a panic.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// How far before the `/Contents` hole the object may start, and after it end: a signature
/// dictionary with a long `/Reason` and a `/Prop_Build` is a few hundred bytes.
const MAX_DICT_SPAN: usize = 16 * 1024;

/// What the signature dictionary itself says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SigDict {
    /// `/M`: when the signer's software says it signed, with the offset it wrote.
    pub time: Option<OffsetDateTime>,
    pub reason: Option<String>,
    pub location: Option<String>,
    /// `/Name` of `/Prop_Build /App` (the signing software: "SmartCA © VNPT 2024").
    pub app: Option<String>,
}

/// Reads the dictionary whose `/Contents` hex string fills `bytes[hole_start..hole_end]`.
pub fn read(bytes: &[u8], hole_start: usize, hole_end: usize) -> SigDict {
    if hole_start > hole_end || hole_end > bytes.len() {
        return SigDict::default();
    }
    let before_from = hole_start.saturating_sub(MAX_DICT_SPAN);
    let before = &bytes[before_from..hole_start];
    // The object starts at its last "obj" keyword before the hole and ends at "endobj".
    let start = find_last(before, b" obj").map_or(0, |i| i + 4);
    let after = &bytes[hole_end..(hole_end + MAX_DICT_SPAN).min(bytes.len())];
    let end = find_first(after, b"endobj").unwrap_or(after.len());
    let mut dict = before[start..].to_vec();
    dict.extend_from_slice(&after[..end]);
    SigDict {
        time: string_after(&dict, b"/M").and_then(|s| pdf_date(&s)),
        reason: string_after(&dict, b"/Reason").map(|s| text_string(&s)).filter(|s| !s.trim().is_empty()),
        location: string_after(&dict, b"/Location").map(|s| text_string(&s)).filter(|s| !s.trim().is_empty()),
        app: app_name(&dict),
    }
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn find_first(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The string value of `key` in `dict` (a key is followed by a delimiter, so `/M` does not
/// match `/Metadata`).
fn string_after(dict: &[u8], key: &[u8]) -> Option<Vec<u8>> {
    let mut from = 0;
    while let Some(at) = find_first(&dict[from..], key) {
        let after = from + at + key.len();
        let next = dict.get(after).copied();
        let is_key = matches!(next, Some(b' ' | b'\r' | b'\n' | b'\t' | b'(' | b'<' | b'/'));
        if is_key {
            let mut i = after;
            while dict.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            return match dict.get(i) {
                Some(b'(') => literal_string(&dict[i + 1..]),
                Some(b'<') if dict.get(i + 1) != Some(&b'<') => hex_string(&dict[i + 1..]),
                _ => None,
            };
        }
        from = after;
    }
    None
}

/// `/Prop_Build << /App << /Name ... >> >>`: the name may be a string or a name object.
fn app_name(dict: &[u8]) -> Option<String> {
    let app = find_first(dict, b"/App")?;
    let rest = &dict[app + 4..];
    let name = find_first(rest, b"/Name")?;
    let mut i = name + 5;
    while rest.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    let value = match rest.get(i)? {
        b'(' => text_string(&literal_string(&rest[i + 1..])?),
        b'<' => text_string(&hex_string(&rest[i + 1..])?),
        b'/' => name_object(&rest[i + 1..]),
        _ => return None,
    };
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A name object's text: `#xx` escapes decoded, up to the next delimiter.
fn name_object(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_whitespace() || b"/<>[]()%".contains(&b) {
            break;
        }
        if b == b'#' {
            if let Some(v) = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out.clone()).unwrap_or_else(|_| out.iter().map(|&b| char::from(b)).collect())
}

/// The bytes of a literal string whose opening parenthesis was just passed: balanced
/// parentheses, backslash escapes (ISO 32000-1, 7.3.4.2).
fn literal_string(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'\\' => {
                let Some(&e) = bytes.get(i) else { return None };
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'\r' => {
                        if bytes.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                    }
                    b'\n' => {}
                    b'0'..=b'7' => {
                        let mut value = u32::from(e - b'0');
                        for _ in 0..2 {
                            match bytes.get(i) {
                                Some(&d @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(value as u8);
                    }
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(b);
            }
            b')' if depth == 0 => return Some(out),
            b')' => {
                depth -= 1;
                out.push(b);
            }
            _ => out.push(b),
        }
    }
    None
}

/// The bytes of a hex string whose `<` was just passed.
fn hex_string(bytes: &[u8]) -> Option<Vec<u8>> {
    let end = bytes.iter().position(|&b| b == b'>')?;
    let digits: Vec<u8> = bytes[..end].iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let nibble = |d: u8| (d as char).to_digit(16).unwrap_or(0) as u8;
    // An odd last digit is followed by an implied 0.
    Some(digits.chunks(2).map(|p| nibble(p[0]) << 4 | p.get(1).map_or(0, |&d| nibble(d))).collect())
}

/// A PDF text string: UTF-16BE with its byte-order mark, UTF-8 with its mark (PDF 2.0), or
/// PDFDocEncoding (read as Latin-1, which it equals for every letter signers use).
pub fn text_string(bytes: &[u8]) -> String {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
        char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    };
    crate::viet::nfc(&text)
}

/// A PDF date, `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1, 7.9.4): every part after the year
/// optional, the offset `Z`, `+HH'mm'` or `-HH'mm'` (a missing offset is read as UTC, as the
/// standard says to assume nothing and UTC is the only neutral reading).
pub fn pdf_date(bytes: &[u8]) -> Option<OffsetDateTime> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let rest = &text[digits.len()..];
    let field = |from: usize, len: usize, default: u32| -> Option<u32> {
        match digits.get(from..from + len) {
            Some(d) => d.parse().ok(),
            None if digits.len() <= from => Some(default),
            None => None,
        }
    };
    let year = field(0, 4, 0)? as i32;
    let month = Month::try_from(field(4, 2, 1)? as u8).ok()?;
    let date = Date::from_calendar_date(year, month, field(6, 2, 1)? as u8).ok()?;
    let clock = Time::from_hms(field(8, 2, 0)? as u8, field(10, 2, 0)? as u8, field(12, 2, 0)? as u8).ok()?;
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let nums: Vec<i8> = rest[1..]
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .take(2)
                .filter_map(|p| p.parse().ok())
                .collect();
            let (h, m) = (*nums.first()?, nums.get(1).copied().unwrap_or(0));
            let sign = if sign == '-' { -1 } else { 1 };
            UtcOffset::from_hms(sign * h, sign * m, 0).ok()?
        }
        _ => UtcOffset::UTC,
    };
    Some(PrimitiveDateTime::new(date, clock).assume_offset(offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_offset() {
        let t = pdf_date(b"D:20241126104048+07'00'").unwrap();
        assert_eq!(t.offset(), UtcOffset::from_hms(7, 0, 0).unwrap());
        assert_eq!((t.year(), t.month() as u8, t.day(), t.hour(), t.minute(), t.second()), (2024, 11, 26, 10, 40, 48));
        assert_eq!(pdf_date(b"D:20180321").unwrap().offset(), UtcOffset::UTC);
        assert_eq!(pdf_date(b"D:20180321164100Z").unwrap().hour(), 16);
        assert_eq!(pdf_date(b"D:20180321164100-05'30").unwrap().offset().whole_minutes(), -330);
        assert!(pdf_date(b"D:2024133").is_none());
        assert!(pdf_date(b"D:20241332").is_none());
        assert!(pdf_date(b"hello").is_none());
    }

    #[test]
    fn the_dictionary_around_the_contents_is_read() {
        let mut pdf = b"%PDF-1.7\n14 0 obj\n<</Type/Sig/SubFilter/ETSI.CAdES.detached/Reason(\xfe\xff\x00V\x1e\xc7)/Location(Vi\\352t \\(Nam\\))/Prop_Build<</App<</Name(SmartCA \xa9 VNPT)>>>>/M(D:20241126104048+07'00')/ByteRange [0 94 100 20 ] /Contents ".to_vec();
        let hole_start = pdf.len();
        pdf.extend_from_slice(b"<3082>");
        let hole_end = pdf.len();
        pdf.extend_from_slice(b">>\nendobj\n15 0 obj\n<</M(D:19990101)>>\nendobj\n");
        let dict = read(&pdf, hole_start, hole_end);
        assert_eq!(dict.time.unwrap().hour(), 10);
        assert_eq!(dict.reason.as_deref(), Some("Vệ"));
        assert_eq!(dict.location.as_deref(), Some("Viêt (Nam)"));
        assert_eq!(dict.app.as_deref(), Some("SmartCA © VNPT"));
        // Out of range or garbage: nothing, no panic.
        assert_eq!(read(&pdf, 5, 2), SigDict::default());
        assert_eq!(read(b"(((", 1, 2), SigDict::default());
    }

    #[test]
    fn an_app_name_object_is_decoded() {
        assert_eq!(app_name(b"/Prop_Build<</App<</Name/iText#20Sharp#205.5>>>>").as_deref(), Some("iText Sharp 5.5"));
    }
}
