//! What the PDF says about the document: the Info dictionary and the same in XMP (title =
//! type, number and subject; author = issuer; the date; the citations as keywords), and,
//! for PDF/A-2b, the sRGB output intent and the identification in XMP.

use lopdf::{dictionary, Document as Pdf, Object, ObjectId, Stream, StringFormat};
use std::fmt::Write;

use crate::record::Document;

/// Debian's sRGB profile (package ghostscript, see scripts/setup.sh), the output intent
/// PDF/A wants; without it the PDF is written without claiming PDF/A.
const SRGB_PROFILES: &[&str] = &["/usr/share/color/icc/ghostscript/srgb.icc", "/usr/share/color/icc/sRGB.icc"];

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
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Sets the Info dictionary and the catalog's XMP metadata of `pdf`, and when `pdfa` (and
/// the sRGB profile is installed) the output intent; returns whether PDF/A-2b is claimed.
pub fn apply(pdf: &mut Pdf, catalog: ObjectId, fields: &Fields, pdfa: bool) -> anyhow::Result<bool> {
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
    let mut info = dictionary! {
        "Title" => text_string(&fields.title),
        "Creator" => text_string("vanban"),
        "Producer" => text_string(&format!("vanban {}", env!("CARGO_PKG_VERSION"))),
        "CreationDate" => Object::string_literal(pdf_date.clone()),
        "ModDate" => Object::string_literal(pdf_date),
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

    let profile = if pdfa { SRGB_PROFILES.iter().find_map(|p| std::fs::read(p).ok()) } else { None };
    let claimed = profile.is_some();
    if let Some(profile) = profile {
        let mut icc = Stream::new(dictionary! { "N" => 3 }, profile);
        let _ = icc.compress();
        let icc_id = pdf.add_object(icc);
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
    let metadata = pdf.add_object(Stream::new(dictionary! { "Type" => "Metadata", "Subtype" => "XML" }, xmp.into_bytes()).with_compression(false));
    pdf.get_dictionary_mut(catalog)?.set("Metadata", metadata);
    // A file identifier (PDF/A wants one): from the content, so the same record gives the same id.
    let id = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("{fields:?}").as_bytes());
        Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal)
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
    let _ = writeln!(out, "<dc:format>application/pdf</dc:format>");
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
        out.push_str("<dc:subject><rdf:Bag>");
        for k in &fields.keywords {
            let _ = write!(out, "<rdf:li>{}</rdf:li>", escape(k));
        }
        out.push_str("</rdf:Bag></dc:subject>\n");
        let _ = writeln!(out, "<pdf:Keywords>{}</pdf:Keywords>", escape(keywords));
    }
    let _ = writeln!(out, "<pdf:Producer>vanban {}</pdf:Producer>", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "<xmp:CreatorTool>vanban</xmp:CreatorTool>");
    let _ = writeln!(out, "<xmp:CreateDate>{now}</xmp:CreateDate>\n<xmp:ModifyDate>{now}</xmp:ModifyDate>");
    if pdfa {
        out.push_str("<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n");
    }
    out.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    out
}
