//! What the PDF says about the document: the Info dictionary and the same in XMP (title =
//! type, number and subject; author = issuer; the date; the citations as keywords), and,
//! for PDF/A-2b, the sRGB output intent and the identification in XMP.

use lopdf::{dictionary, Document as Pdf, Object, ObjectId, StringFormat};
use std::fmt::Write;

use crate::record::Document;


/// The fields the PDF carries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    pub title: String,
    pub author: Option<String>,
    pub subject: Option<String>,
    /// ISO date of the document.
    pub date: Option<String>,
    pub keywords: Vec<String>,
}

impl Fields {
    pub fn of(doc: &Document) -> Fields {
        let meta = &doc.metadata;
        let number = meta.id.as_ref().map(|id| id.to_string()).or_else(|| meta.number_raw.clone());
        let mut title: Vec<String> = Vec::new();
        title.extend(meta.doc_type.clone());
        title.extend(number.map(|n| format!("số {n}")));
        title.extend(meta.subject.clone());
        let title = if title.is_empty() {
            std::path::Path::new(&doc.source_path).file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned())
        } else {
            title.join(" ")
        };
        let mut keywords: Vec<String> = Vec::new();
        for c in &doc.citations {
            let name = match (&c.id, &c.name) {
                (Some(id), _) => format!("{} {id}", c.doc_type),
                (None, Some(name)) => name.clone(),
                (None, None) => continue,
            };
            if !keywords.contains(&name) {
                keywords.push(name);
            }
        }
        Fields { title, author: meta.issuer.clone(), subject: meta.subject.clone(), date: meta.date.clone(), keywords }
    }
}

/// A text string as PDF wants Unicode: UTF-16BE after a byte-order mark.
pub fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    // Literal, not hex: 2 bytes a UTF-16 unit instead of 4 (lopdf escapes what must be).
    Object::String(bytes, StringFormat::Literal)
}

/// How a PDF/A file says what its colours mean (ISO 19005-2 6.2.4.3: a device colour space
/// may be used only under an output intent, or where a device-independent default colour
/// space replaces it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// The sRGB output intent (a 580-byte ICC profile): for colour or gray-level images.
    SrgbIntent,
    /// Pages whose only colours are DeviceGray images of one bit a pixel: each page maps
    /// DeviceGray to CalGray through its `DefaultGray` resource ([`default_gray`]), and the
    /// file needs no profile. Black stays black and white white under any gamma.
    CalGray,
}

/// The CIE-based gray of bilevel pages, for which only 0 (black) and 1 (white) are ever
/// painted: gamma 1, and the equal-energy white point [1 1 1] (a valid CalGray white,
/// Y = 1). Poppler converts CalGray without adapting the white point, so sRGB's D65 white
/// (0.9505 1 1.089) rendered the paper at 250 instead of 255; with [1 1 1] the pages render
/// pixel for pixel as with DeviceGray (checked with `pdftoppm`).
pub fn default_gray() -> Object {
    let params = dictionary! { "WhitePoint" => vec![1.into(), 1.into(), 1.into()] };
    Object::Array(vec![Object::Name(b"CalGray".to_vec()), Object::Dictionary(params)])
}

/// Sets the Info dictionary and the catalog's XMP metadata of `pdf`, and when `pdfa` is
/// given what PDF/A asks for its colours; returns whether PDF/A-2b is claimed.
pub fn apply(pdf: &mut Pdf, catalog: ObjectId, fields: &Fields, pdfa: Option<Colour>) -> anyhow::Result<bool> {
    let now = time::OffsetDateTime::now_utc();
    let pdf_date = format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let xmp_date = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let keywords = fields.keywords.join("; ");
    // No Creator nor ModDate (and so no xmp:CreatorTool nor xmp:ModifyDate, which PDF/A
    // would ask to match them): the producer and the date made say it, and every entry is
    // paid for twice, in Info and in XMP.
    let mut info = dictionary! {
        "Title" => text_string(&fields.title),
        "Producer" => Object::string_literal(format!("vanban {}", env!("CARGO_PKG_VERSION"))),
        "CreationDate" => Object::string_literal(pdf_date),
    };
    if let Some(author) = &fields.author {
        info.set("Author", text_string(author));
    }
    if let Some(subject) = &fields.subject {
        info.set("Subject", text_string(subject));
    }
    if !keywords.is_empty() {
        info.set("Keywords", text_string(&keywords));
    }
    let info_id = pdf.add_object(info);
    pdf.trailer.set("Info", info_id);

    let claimed = pdfa.is_some();
    if pdfa == Some(Colour::SrgbIntent) {
        let icc_id = pdf.add_object(super::font::compressed(dictionary! { "N" => 3 }, srgb_profile()));
        let intent = dictionary! {
            "Type" => "OutputIntent",
            "S" => "GTS_PDFA1",
            "OutputConditionIdentifier" => Object::string_literal("sRGB IEC61966-2.1"),
            "Info" => Object::string_literal("sRGB IEC61966-2.1"),
            "DestOutputProfile" => icc_id,
        };
        pdf.get_dictionary_mut(catalog)?.set("OutputIntents", vec![Object::Dictionary(intent)]);
    }
    let xmp = xmp(fields, &keywords, &xmp_date, claimed);
    // Deflated: PDF/A-2 (unlike PDF/A-1) allows a filter on the metadata stream (veraPDF's
    // PDF/A-2b rules for 6.6.2.1 ask only Type, Subtype, and a well-formed UTF-8 packet).
    let metadata = pdf.add_object(super::font::compressed(dictionary! { "Type" => "Metadata", "Subtype" => "XML" }, xmp.into_bytes()));
    pdf.get_dictionary_mut(catalog)?.set("Metadata", metadata);
    // A file identifier (PDF/A wants one): from the content, so the same record gives the same id.
    let id = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("{fields:?}").as_bytes());
        // Literal, not hex: 16 bytes instead of 32 digits, twice.
        Object::String(digest[..16].to_vec(), StringFormat::Literal)
    };
    pdf.trailer.set("ID", vec![id.clone(), id]);
    Ok(claimed)
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The XMP packet: Dublin Core and PDF properties mirroring the Info dictionary.
fn xmp(fields: &Fields, keywords: &str, now: &str, pdfa: bool) -> String {
    let mut out = String::from("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    out.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    out.push_str("<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
    if pdfa {
        out.push_str(" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    }
    out.push_str(">\n");
    let _ = writeln!(out, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>", escape(&fields.title));
    if let Some(author) = &fields.author {
        let _ = writeln!(out, "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>", escape(author));
    }
    if let Some(subject) = &fields.subject {
        let _ = writeln!(out, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>", escape(subject));
    }
    if let Some(date) = &fields.date {
        let _ = writeln!(out, "<dc:date><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:date>", escape(date));
    }
    if !fields.keywords.is_empty() {
        // Once, as pdf:Keywords (which PDF/A asks to equal Info's Keywords); a dc:subject
        // list of the same citations cost 50 bytes more a file, deflated.
        let _ = writeln!(out, "<pdf:Keywords>{}</pdf:Keywords>", escape(keywords));
    }
    let _ = writeln!(out, "<pdf:Producer>vanban {}</pdf:Producer>", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "<xmp:CreateDate>{now}</xmp:CreateDate>");
    if pdfa {
        out.push_str("<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n");
    }
    out.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    out
}

/// A compact sRGB ICC profile (version 2.1, display class, 580 bytes), made here: the same
/// white point and D50-adapted colorants as the sRGB IEC61966-2.1 profiles (HP's, and
/// Ghostscript's `srgb.icc`: white 0.9505 1 1.0891; red 0.4361 0.2225 0.0139; green 0.3851
/// 0.7169 0.0971; blue 0.1431 0.0606 0.7141) and sRGB's tone curve sampled at 64 points
/// (linear interpolation between them is within 0.2% of the curve), shared by the three
/// channels. Ghostscript's profile samples 1,024 points and costs 2.3 KB a file.
pub fn srgb_profile() -> Vec<u8> {
    fn s15(v: f64) -> [u8; 4] {
        ((v * 65536.0).round() as i32).to_be_bytes()
    }
    fn xyz(v: [f64; 3]) -> Vec<u8> {
        let mut out = b"XYZ \0\0\0\0".to_vec();
        v.iter().for_each(|&c| out.extend_from_slice(&s15(c)));
        out
    }
    let mut desc = b"desc\0\0\0\0".to_vec();
    desc.extend_from_slice(&5u32.to_be_bytes());
    desc.extend_from_slice(b"sRGB\0");
    desc.extend_from_slice(&[0; 4 + 4 + 2 + 1 + 67]); // no Unicode nor ScriptCode description
    let mut cprt = b"text\0\0\0\0".to_vec();
    cprt.extend_from_slice(b"No copyright\0");
    let mut curve = b"curv\0\0\0\0".to_vec();
    const POINTS: usize = 64;
    curve.extend_from_slice(&(POINTS as u32).to_be_bytes());
    for i in 0..POINTS {
        let v = i as f64 / (POINTS - 1) as f64;
        let linear = if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
        curve.extend_from_slice(&((linear * 65535.0).round() as u16).to_be_bytes());
    }
    // (signature, data); the three TRC tags share the one curve.
    let tags: [(&[u8; 4], usize); 9] =
        [(b"desc", 0), (b"cprt", 1), (b"wtpt", 2), (b"rXYZ", 3), (b"gXYZ", 4), (b"bXYZ", 5), (b"rTRC", 6), (b"gTRC", 6), (b"bTRC", 6)];
    let data = [
        desc,
        cprt,
        xyz([0.9505, 1.0, 1.0891]),
        xyz([0.4361, 0.2225, 0.0139]),
        xyz([0.3851, 0.7169, 0.0971]),
        xyz([0.1431, 0.0606, 0.7141]),
        curve,
    ];
    let mut offsets = Vec::new();
    let mut at = 128 + 4 + 12 * tags.len();
    let mut body = Vec::new();
    for d in &data {
        offsets.push(at);
        body.extend_from_slice(d);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        at = 128 + 4 + 12 * tags.len() + body.len();
    }
    let size = at;
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&(size as u32).to_be_bytes());
    out.extend_from_slice(&[0; 4]); // preferred CMM: none
    out.extend_from_slice(&0x0210_0000u32.to_be_bytes()); // version 2.1
    out.extend_from_slice(b"mntrRGB XYZ ");
    for v in [2026u16, 1, 1, 0, 0, 0] {
        out.extend_from_slice(&v.to_be_bytes()); // creation date: fixed, so files are reproducible
    }
    out.extend_from_slice(b"acsp");
    out.extend_from_slice(&[0; 24]); // platform, flags, manufacturer, model, attributes
    out.extend_from_slice(&0u32.to_be_bytes()); // perceptual intent
    for c in [0.9642, 1.0, 0.8249] {
        out.extend_from_slice(&s15(c)); // PCS illuminant: D50
    }
    out.extend_from_slice(&[0; 4 + 16 + 28]); // creator, profile ID (v4 only), reserved
    out.extend_from_slice(&(tags.len() as u32).to_be_bytes());
    for (sig, i) in tags {
        out.extend_from_slice(sig);
        out.extend_from_slice(&(offsets[i] as u32).to_be_bytes());
        out.extend_from_slice(&(data[i].len() as u32).to_be_bytes());
    }
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_srgb_profile_is_a_well_formed_icc_v2_display_profile() {
        let p = srgb_profile();
        assert_eq!(u32::from_be_bytes(p[0..4].try_into().unwrap()) as usize, p.len());
        assert!(p.len() < 600, "{} bytes", p.len());
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        assert_eq!(&p[36..40], b"acsp");
        let count = u32::from_be_bytes(p[128..132].try_into().unwrap()) as usize;
        assert_eq!(count, 9);
        for i in 0..count {
            let e = &p[132 + 12 * i..144 + 12 * i];
            let (offset, len) = (u32::from_be_bytes(e[4..8].try_into().unwrap()) as usize, u32::from_be_bytes(e[8..12].try_into().unwrap()) as usize);
            assert!(offset % 4 == 0 && offset + len <= p.len(), "{:?}", &e[..4]);
        }
        // The curve starts at 0 and ends at full scale.
        let curve = p.len() - (12 + 2 * 64);
        assert_eq!(&p[curve..curve + 4], b"curv");
        assert_eq!(&p[p.len() - 2..], &[0xFF, 0xFF]);
    }
}
