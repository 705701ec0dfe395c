//! The font of the invisible text: a "glyphless" TrueType font made here, in code, as
//! Tesseract and OCRmyPDF do for their text layers. The text is never seen (render mode 3),
//! so the font needs no outlines: its glyphs are blank, one for each advance width the
//! document's characters have (Times' widths, `widths.rs`), and each word is stretched to
//! its box anyway. What makes copying and searching give the Unicode text is the ToUnicode
//! map, not the glyphs. The font program is a few hundred bytes, where a subset of a real
//! font cost 15–20 KB a document (issue 14's size limit: a text layer may add at most 10%
//! to a scan).
//!
//! Characters are coded on one byte ([`Coding::Bytes`]): printable ASCII as itself, the
//! other characters the document uses (a Vietnamese page uses 50–100) in the 160 other
//! codes, as a simple TrueType font. That halves the text's bytes in the content stream
//! against two bytes a character. A document of more distinct characters than that gets a
//! Type0 font coded by UTF-16 code unit instead ([`Coding::Cid`], Identity-H, CID = code
//! point, every character half an em wide).

use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::widths;

/// Units per em of the font program (widths are in 1/1000 em).
const UNITS_PER_EM: u16 = 1000;
/// The advance of every glyph of the two-byte font, and of .notdef.
const ADVANCE: u16 = 500;
/// Ascent and descent in 1/1000 em: the box a viewer highlights for a glyph.
const ASCENT: i16 = 800;
const DESCENT: i16 = -200;
/// The font's PostScript name (a full font, not a subset: it has no subset tag).
const NAME: &str = "VanbanGlyphless";

/// The text layer's font: its metrics (the font program is made for each document by
/// [`Encoder::write`], from the characters it draws).
pub struct FontFile {
    _made_in_code: (),
}

impl FontFile {
    /// The text layer's font. It is made in code, so nothing can be missing; the `Result`
    /// stays for callers that once looked a system font up.
    pub fn find() -> anyhow::Result<FontFile> {
        Ok(FontFile::glyphless())
    }

    pub fn glyphless() -> FontFile {
        FontFile { _made_in_code: () }
    }

    /// Descent below the baseline, as a fraction of the font size (negative).
    pub fn descent(&self) -> f32 {
        f32::from(DESCENT) / 1000.0
    }

    /// Ascent above the baseline, as a fraction of the font size.
    pub fn ascent(&self) -> f32 {
        f32::from(ASCENT) / 1000.0
    }
}

/// The one-byte codes left for characters other than printable ASCII (0x20..=0x7E, coded
/// as themselves). Code 0 stays unused.
fn free_codes() -> impl Iterator<Item = u8> {
    (0x80..=0xFF).chain(0x01..=0x1F).chain([0x7F])
}

/// How a document's characters are coded.
enum Coding {
    /// One byte a character. `chars` is what each code means (for the ToUnicode map): the
    /// characters used, and between two of them in the same 256-character block a few that
    /// are not, so that the map is a handful of ranges instead of a line per character.
    Bytes { codes: HashMap<char, u8>, chars: BTreeMap<u8, char>, drawn: BTreeSet<u8> },
    /// Two bytes, the UTF-16 code unit: the 256-character blocks used (high byte of the CID)
    /// and the largest CID.
    Cid { blocks: BTreeSet<u8>, max_cid: u16 },
}

/// The characters one document draws.
pub struct Encoder {
    coding: Coding,
}

impl Encoder {
    /// The coding of a document whose text is `texts` (every word it will draw: a word
    /// outside them is drawn as spaces).
    pub fn new<'t>(texts: impl IntoIterator<Item = &'t str>) -> Encoder {
        let mut used: BTreeSet<char> = texts.into_iter().flat_map(str::chars).collect();
        used.insert(' ');
        let others: Vec<char> = used.iter().copied().filter(|c| !(' '..='~').contains(c)).collect();
        let room = free_codes().count();
        // The largest gap filled that still fits; a range of the map costs about as much
        // as 8 characters listed one by one.
        for gap in [8u32, 4, 2, 1] {
            let runs = runs(&others, gap);
            if runs.iter().map(Vec::len).sum::<usize>() > room {
                continue;
            }
            let mut chars: BTreeMap<u8, char> = (0x20u8..=0x7E).map(|b| (b, char::from(b))).collect();
            for (code, c) in free_codes().zip(runs.into_iter().flatten()) {
                chars.insert(code, c);
            }
            let codes = chars.iter().map(|(&code, &c)| (c, code)).collect();
            return Encoder { coding: Coding::Bytes { codes, chars, drawn: BTreeSet::new() } };
        }
        Encoder { coding: Coding::Cid { blocks: BTreeSet::new(), max_cid: 0 } }
    }

    /// `text` coded, and its width in 1/1000 em.
    pub fn encode(&mut self, text: &str) -> (Vec<u8>, f32) {
        match &mut self.coding {
            Coding::Bytes { codes, drawn, .. } => {
                let mut bytes = Vec::with_capacity(text.len());
                let mut width = 0u32;
                for c in text.chars() {
                    // Every character of the texts the encoder was made from has a code.
                    let (c, code) = codes.get(&c).map_or((' ', b' '), |&code| (c, code));
                    drawn.insert(code);
                    bytes.push(code);
                    width += u32::from(widths::advance(c));
                }
                (bytes, width as f32)
            }
            Coding::Cid { blocks, max_cid } => {
                let mut bytes = Vec::with_capacity(text.len() * 2);
                for c in text.chars() {
                    let cid = u16::try_from(u32::from(c)).unwrap_or(0xFFFD);
                    // CID 0 is the font's .notdef: a NUL (never in OCR text) gets U+FFFD too.
                    let cid = if cid == 0 { 0xFFFD } else { cid };
                    blocks.insert((cid >> 8) as u8);
                    *max_cid = (*max_cid).max(cid);
                    bytes.extend_from_slice(&cid.to_be_bytes());
                }
                let width = bytes.len() as f32 / 2.0 * f32::from(ADVANCE) * 1000.0 / f32::from(UNITS_PER_EM);
                (bytes, width)
            }
        }
    }

    /// Writes the font (font program, widths and ToUnicode map) into `doc` as object `id`
    /// (reserved before the pages that use it were written).
    pub fn write(self, doc: &mut Document, id: ObjectId) -> anyhow::Result<()> {
        match self.coding {
            Coding::Bytes { chars, drawn, .. } => write_simple(doc, id, &chars, &drawn),
            Coding::Cid { blocks, max_cid } => write_cid(doc, id, &blocks, max_cid),
        }
    }
}

/// `chars` (sorted) in runs of consecutive code points, each run filled in where two
/// characters of the same 256-character block are at most `gap` apart.
fn runs(chars: &[char], gap: u32) -> Vec<Vec<char>> {
    let mut out: Vec<Vec<char>> = Vec::new();
    for &c in chars {
        let u = u32::from(c);
        if let Some(run) = out.last_mut() {
            let last = u32::from(*run.last().expect("runs are never empty"));
            if u > last && u - last <= gap && u >> 8 == last >> 8 && u <= 0xFFFF {
                run.extend((last + 1..=u).filter_map(char::from_u32));
                continue;
            }
        }
        out.push(vec![c]);
    }
    out
}

/// The descriptor of the font program `program`.
fn descriptor(doc: &mut Document, program: Vec<u8>, max_advance: u16) -> ObjectId {
    let program_len = program.len() as i64;
    let file_id = doc.add_object(compressed(dictionary! { "Length1" => program_len }, program));
    doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => NAME,
        // Symbolic: its glyphs are not named after a standard character set.
        "Flags" => 4,
        "FontBBox" => vec![0.into(), i64::from(DESCENT).into(), i64::from(max_advance).into(), i64::from(ASCENT).into()],
        "ItalicAngle" => 0,
        "Ascent" => i64::from(ASCENT),
        "Descent" => i64::from(DESCENT),
        "CapHeight" => 700,
        "StemV" => 80,
        "FontFile2" => file_id,
    })
}

/// The one-byte font: a simple TrueType font whose program's `cmap` sends each code drawn
/// to the blank glyph of its width (glyph 1, of no width, for the codes not drawn), so that
/// `Widths` and the program agree (PDF/A-2 6.2.11.5).
fn write_simple(doc: &mut Document, id: ObjectId, chars: &BTreeMap<u8, char>, drawn: &BTreeSet<u8>) -> anyhow::Result<()> {
    let width = |code: u8| -> u16 { if drawn.contains(&code) { chars.get(&code).map_or(0, |&c| widths::advance(c)) } else { 0 } };
    // Glyph 0 is .notdef, 1 the blank glyph of no width, 2.. one blank glyph per width drawn.
    let advances: Vec<u16> = drawn.iter().map(|&code| width(code)).collect::<BTreeSet<_>>().into_iter().collect();
    let mut cmap = [1u8; 256];
    for &code in drawn {
        let glyph = advances.iter().position(|&a| a == width(code)).unwrap_or(0) + 2;
        cmap[usize::from(code)] = glyph as u8;
    }
    let mut glyph_advances = vec![ADVANCE, 0];
    glyph_advances.extend_from_slice(&advances);
    let max_advance = glyph_advances.iter().copied().max().unwrap_or(ADVANCE);
    let descriptor = descriptor(doc, glyphless_program(&glyph_advances, Some(&cmap)), max_advance);
    let first = chars.keys().next().copied().unwrap_or(b' ');
    let last = chars.keys().next_back().copied().unwrap_or(b' ');
    let widths: Vec<Object> = (first..=last).map(|code| Object::Integer(i64::from(width(code)))).collect();
    let to_unicode_id = doc.add_object(compressed(dictionary! {}, to_unicode_cmap("<00> <FF>", &byte_ranges(chars)).into_bytes()));
    let font = dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "BaseFont" => NAME,
        "FirstChar" => i64::from(first),
        "LastChar" => i64::from(last),
        "Widths" => widths,
        "FontDescriptor" => descriptor,
        "ToUnicode" => to_unicode_id,
    };
    doc.objects.insert(id, Object::Dictionary(font));
    Ok(())
}

/// The ToUnicode ranges of the one-byte code: consecutive codes meaning consecutive
/// characters of one 256-character block make one `bfrange`.
fn byte_ranges(chars: &BTreeMap<u8, char>) -> Vec<String> {
    let mut ranges: Vec<(u8, u8, char)> = Vec::new();
    for (&code, &c) in chars {
        if let Some((first, last, start)) = ranges.last_mut() {
            let (u, s) = (u32::from(c), u32::from(*start));
            if code == last.wrapping_add(1) && code > *first && u <= 0xFFFF && u == s + u32::from(code - *first) && u >> 8 == s >> 8 {
                *last = code;
                continue;
            }
        }
        ranges.push((code, code, c));
    }
    ranges
        .into_iter()
        .map(|(first, last, c)| {
            let utf16: String = c.encode_utf16(&mut [0; 2]).iter().map(|u| format!("{u:04X}")).collect();
            format!("<{first:02X}> <{last:02X}> <{utf16}>")
        })
        .collect()
}

/// The two-byte font (Type0, Identity-H), for a document of more distinct characters than
/// one byte codes.
fn write_cid(doc: &mut Document, id: ObjectId, blocks: &BTreeSet<u8>, max_cid: u16) -> anyhow::Result<()> {
    let descriptor = descriptor(doc, glyphless_program(&[ADVANCE, ADVANCE], None), ADVANCE);
    // CID → glyph: every CID up to the largest used draws glyph 1, the blank one (CID 0
    // keeps .notdef). Flate shrinks the run of identical entries to a few dozen bytes.
    let mut cid_to_gid = Vec::with_capacity(2 * (usize::from(max_cid) + 1));
    cid_to_gid.extend_from_slice(&[0, 0]);
    for _ in 0..max_cid {
        cid_to_gid.extend_from_slice(&[0, 1]);
    }
    let map_id = doc.add_object(compressed(dictionary! {}, cid_to_gid));
    let cid_font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => NAME,
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor,
        // Every glyph is as wide as the font program's one advance.
        "DW" => i64::from(ADVANCE),
        "CIDToGIDMap" => map_id,
    });
    // One range per 256-character block used (a range may not cross a change of its first byte).
    let ranges: Vec<String> = blocks.iter().map(|b| format!("<{b:02X}00> <{b:02X}FF> <{b:02X}00>")).collect();
    let to_unicode_id = doc.add_object(compressed(dictionary! {}, to_unicode_cmap("<0000> <FFFF>", &ranges).into_bytes()));
    let font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => NAME,
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(cid_font)],
        "ToUnicode" => to_unicode_id,
    };
    doc.objects.insert(id, Object::Dictionary(font));
    Ok(())
}

/// A stream deflated as small as Flate gets it cheaply: Zopfli (a search for the shortest
/// Deflate coding, readable by every Flate decoder) with 2 iterations and no block
/// splitting. Its defaults (15 iterations, up to 15 blocks) made writing the corpus's PDFs
/// cost 0.92 s CPU, 8.5% of ingest (issue 14 allows 5%); these cost 0.12 s for 1 byte
/// more on the G4 TIFF's PDF (66,909 bytes, 1.098× its input). Used only for the streams
/// vanban writes (text layers, font, maps, XMP: a few KB a page), never for page images.
const ZOPFLI_ITERATIONS: std::num::NonZeroU64 = match std::num::NonZeroU64::new(2) {
    Some(n) => n,
    None => unreachable!(),
};

pub(super) fn compressed(dict: lopdf::Dictionary, data: Vec<u8>) -> Stream {
    let mut deflated = Vec::with_capacity(data.len() / 2);
    let options = zopfli::Options { iteration_count: ZOPFLI_ITERATIONS, maximum_block_splits: 1, ..zopfli::Options::default() };
    let made = zopfli::compress(options, zopfli::Format::Zlib, data.as_slice(), &mut deflated);
    match made {
        Ok(()) if deflated.len() < data.len() => {
            let mut dict = dict;
            dict.set("Filter", "FlateDecode");
            Stream::new(dict, deflated).with_compression(false)
        }
        _ => Stream::new(dict, data).with_compression(false),
    }
}

/// A ToUnicode CMap of code space `codespace` (`<lo> <hi>`) and `bfrange` lines.
fn to_unicode_cmap(codespace: &str, ranges: &[String]) -> String {
    let mut out = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n{codespace}\nendcodespacerange\n"
    );
    // At most 100 entries per section, as the CMap format asks.
    for chunk in ranges.chunks(100) {
        out.push_str(&format!("{} beginbfrange\n", chunk.len()));
        for range in chunk {
            out.push_str(range);
            out.push('\n');
        }
        out.push_str("endbfrange\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// The glyphless TrueType font program: glyph 0 (.notdef) a plain box half an em wide, the
/// others blank, glyph `i` advancing `advances[i]` (1/1000 em). Only the tables PDF asks
/// of an embedded TrueType font (ISO 32000-1 9.9: head, hhea, hmtx, loca, maxp, glyf), and
/// for the one-byte font the `cmap` from codes to glyphs, a single (1,0) subtable as PDF/A-2
/// (6.2.11.6) asks of a symbolic font. A CIDFontType2 reaches its glyphs through the
/// CIDToGIDMap, never through the font's own cmap (ISO 32000-1 9.7.4.2), so it has none.
fn glyphless_program(advances: &[u16], cmap: Option<&[u8; 256]>) -> Vec<u8> {
    let glyphs = advances.len().max(1) as u16;
    // .notdef: one closed contour, the box (50, 0)–(450, 700), on-curve points, 16-bit deltas.
    let mut notdef = Vec::new();
    for v in [1i16, 50, 0, 450, 700] {
        notdef.extend_from_slice(&v.to_be_bytes()); // contours, then xMin yMin xMax yMax
    }
    notdef.extend_from_slice(&3u16.to_be_bytes()); // end point of the contour
    notdef.extend_from_slice(&0u16.to_be_bytes()); // no instructions
    notdef.extend_from_slice(&[1, 1, 1, 1]); // flags: on curve
    for v in [50i16, 0, 400, 0, 0, 700, 0, -700] {
        notdef.extend_from_slice(&v.to_be_bytes()); // x deltas, then y deltas
    }
    let glyf = notdef.clone();
    let mut loca = Vec::new();
    loca.extend_from_slice(&0u16.to_be_bytes());
    // Every blank glyph is empty: it starts where the next does (short offsets: bytes / 2).
    for _ in 0..glyphs {
        loca.extend_from_slice(&(glyf.len() as u16 / 2).to_be_bytes());
    }

    let mut head = Vec::new();
    head.extend_from_slice(&0x0001_0000u32.to_be_bytes()); // version
    head.extend_from_slice(&0x0001_0000u32.to_be_bytes()); // font revision
    head.extend_from_slice(&0u32.to_be_bytes()); // checksum adjustment, set below
    head.extend_from_slice(&0x5F0F_3CF5u32.to_be_bytes()); // magic number
    head.extend_from_slice(&0x000Bu16.to_be_bytes()); // flags: baseline and lsb at 0, integer ppem
    head.extend_from_slice(&UNITS_PER_EM.to_be_bytes());
    head.extend_from_slice(&[0; 16]); // created, modified
    for v in [50i16, 0, 450, 700] {
        head.extend_from_slice(&v.to_be_bytes()); // bounding box of all glyphs
    }
    head.extend_from_slice(&0u16.to_be_bytes()); // mac style
    head.extend_from_slice(&8u16.to_be_bytes()); // smallest readable size in pixels
    head.extend_from_slice(&2i16.to_be_bytes()); // font direction hint
    head.extend_from_slice(&0i16.to_be_bytes()); // short loca offsets
    head.extend_from_slice(&0i16.to_be_bytes()); // glyph data format

    let mut hhea = Vec::new();
    hhea.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [ASCENT, DESCENT, 0] {
        hhea.extend_from_slice(&v.to_be_bytes()); // ascender, descender, line gap
    }
    hhea.extend_from_slice(&advances.iter().copied().max().unwrap_or(ADVANCE).to_be_bytes()); // advance width max
    for v in [0i16, 50, 450, 1, 0, 0, 0, 0, 0, 0, 0] {
        // min lsb, min rsb, x max extent, caret slope rise and run, caret offset, 4 reserved,
        // metric data format
        hhea.extend_from_slice(&v.to_be_bytes());
    }
    hhea.extend_from_slice(&glyphs.to_be_bytes()); // number of h-metrics: one per glyph

    let mut hmtx = Vec::new();
    for (i, &advance) in advances.iter().enumerate() {
        hmtx.extend_from_slice(&advance.to_be_bytes());
        hmtx.extend_from_slice(&(if i == 0 { 50i16 } else { 0 }).to_be_bytes()); // left side bearing
    }

    let mut maxp = Vec::new();
    maxp.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    // glyphs, points, contours, composite points and contours, zones, twilight points,
    // storage, function defs, instruction defs, stack elements, instruction size,
    // component elements, component depth
    for v in [glyphs, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0] {
        maxp.extend_from_slice(&v.to_be_bytes());
    }

    let mut tables = Vec::new();
    if let Some(map) = cmap {
        let mut table = Vec::with_capacity(12 + 262);
        // Version 0, one subtable: Macintosh (1), Roman (0), at offset 12.
        for v in [0u16, 1, 1, 0] {
            table.extend_from_slice(&v.to_be_bytes());
        }
        table.extend_from_slice(&12u32.to_be_bytes());
        // Format 0: a glyph for each byte. Length 262, language 0.
        for v in [0u16, 262, 0] {
            table.extend_from_slice(&v.to_be_bytes());
        }
        table.extend_from_slice(map);
        tables.push((*b"cmap", table));
    }
    tables.extend([(*b"glyf", glyf), (*b"head", head), (*b"hhea", hhea), (*b"hmtx", hmtx), (*b"loca", loca), (*b"maxp", maxp)]);
    sfnt(&tables)
}

/// A TrueType file of `tables` (sorted by tag), with checksums and head's adjustment.
fn sfnt(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    fn checksum(data: &[u8]) -> u32 {
        data.chunks(4).fold(0u32, |sum, c| {
            let mut word = [0u8; 4];
            word[..c.len()].copy_from_slice(c);
            sum.wrapping_add(u32::from_be_bytes(word))
        })
    }
    let n = tables.len() as u16;
    let power = 1u16 << (15 - n.leading_zeros() as u16); // largest power of 2 ≤ n
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, power * 16, power.trailing_zeros() as u16, n * 16 - power * 16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn simple_font(doc: &Document) -> &lopdf::Dictionary {
        doc.objects.values().filter_map(|o| o.as_dict().ok()).find(|d| d.get(b"Subtype").ok() == Some(&Object::from("TrueType"))).unwrap()
    }

    #[test]
    fn a_vietnamese_text_is_coded_on_one_byte_and_mapped_back_by_ranges() {
        let mut enc = Encoder::new(["Dân", "vận", "ầ"]);
        let (bytes, width) = enc.encode("Dân ầ");
        // Printable ASCII is itself; â (U+00E2), ầ (U+1EA7) and ậ (U+1EAD) get the codes
        // from 0x80 up, in code point order, with the characters between ầ and ậ (at most
        // 8 apart) filled in so that they make one range.
        assert_eq!(bytes, vec![b'D', 0x80, b'n', b' ', 0x81]);
        assert_eq!(enc.encode("vận").0, vec![b'v', 0x87, b'n']);
        // Times' widths: D 722, â as a 444, n 500, space 250, ầ as a 444.
        assert_eq!(width, 2360.0);
        let Coding::Bytes { chars, .. } = &enc.coding else { panic!("one byte") };
        assert_eq!(byte_ranges(chars), vec!["<20> <7E> <0020>", "<80> <80> <00E2>", "<81> <87> <1EA7>"]);

        let mut doc = Document::with_version("1.7");
        let id = doc.new_object_id();
        enc.write(&mut doc, id).unwrap();
        let font = simple_font(&doc);
        let first = font.get(b"FirstChar").unwrap().as_i64().unwrap();
        let widths = font.get(b"Widths").unwrap().as_array().unwrap();
        let width_of = |code: u8| widths[(i64::from(code) - first) as usize].as_i64().unwrap();
        assert_eq!((width_of(b'D'), width_of(0x80), width_of(b' '), width_of(0x87)), (722, 444, 250, 444));
        // A code not drawn has no width (and the program's glyph for it none either).
        assert_eq!((width_of(b'Q'), width_of(0x82)), (0, 0));
    }

    #[test]
    fn a_text_of_more_characters_than_one_byte_codes_gets_two_byte_codes() {
        let many: String = ('\u{4E00}'..='\u{4F00}').collect();
        let mut enc = Encoder::new([many.as_str()]);
        let (bytes, width) = enc.encode("Dân ệ");
        assert_eq!(bytes, vec![0, b'D', 0, 0xE2, 0, b'n', 0, b' ', 0x1E, 0xC7]);
        assert_eq!(width, 2500.0);
        let mut doc = Document::with_version("1.7");
        let id = doc.new_object_id();
        enc.write(&mut doc, id).unwrap();
        let font = doc.get_dictionary(id).unwrap();
        assert_eq!(font.get(b"Subtype").unwrap(), &Object::from("Type0"));
    }

    #[test]
    fn runs_fill_small_gaps_within_a_block_only() {
        let chars: Vec<char> = "aceé\u{1EA1}\u{1EA5}".chars().collect::<BTreeSet<_>>().into_iter().collect();
        let got: Vec<String> = runs(&chars, 2).iter().map(|r| r.iter().collect()).collect();
        assert_eq!(got, vec!["abcde".to_owned(), "é".to_owned(), "\u{1EA1}".to_owned(), "\u{1EA5}".to_owned()]);
    }

    #[test]
    fn the_font_programs_are_well_formed_truetype_files() {
        let mut cmap = [1u8; 256];
        cmap[usize::from(b'a')] = 2;
        for (program, tables) in [(glyphless_program(&[500, 500], None), 6), (glyphless_program(&[500, 0, 444, 722], Some(&cmap)), 7)] {
            assert!(program.len() < 700, "{} bytes", program.len());
            // The whole file sums to the magic number once head's adjustment is in.
            let sum = program.chunks(4).fold(0u32, |s, c| s.wrapping_add(u32::from_be_bytes(c.try_into().unwrap())));
            assert_eq!(sum, 0xB1B0_AFBA);
            // Its tables, each inside the file and where its directory entry says.
            assert_eq!(u16::from_be_bytes([program[4], program[5]]), tables);
            for i in 0..tables as usize {
                let entry = &program[12 + 16 * i..28 + 16 * i];
                let offset = u32::from_be_bytes(entry[8..12].try_into().unwrap()) as usize;
                let len = u32::from_be_bytes(entry[12..16].try_into().unwrap()) as usize;
                assert!(offset % 4 == 0 && offset + len <= program.len(), "{:?}", &entry[..4]);
            }
        }
    }
}
