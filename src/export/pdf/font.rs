//! The font of the invisible text: a "glyphless" TrueType font made here, in code, as
//! Tesseract and OCRmyPDF do for their text layers. The text is never seen (render mode 3),
//! so the font needs no outlines: every character is drawn with one blank glyph half an em
//! wide, and each word is stretched to its box anyway. What makes copying and searching
//! give the Unicode text is the ToUnicode map, not the glyphs. The whole font program is
//! under 400 bytes, the same in every file, where a subset of a real font cost 15–20 KB a
//! document (issue 14's size limit: a text layer may add at most 10% to a scan).
//!
//! Characters are coded as their UTF-16 code unit (Identity-H, CID = code point), so the
//! ToUnicode map is a handful of ranges (one per 256-character block a document uses) and
//! the CID-to-glyph map sends every CID to the blank glyph. A character beyond the Basic
//! Multilingual Plane (none in Vietnamese text) is coded as U+FFFD.

use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::collections::BTreeSet;

/// Units per em of the font program, and the advance of its blank glyph: half an em.
const UNITS_PER_EM: u16 = 1000;
const ADVANCE: u16 = 500;
/// Ascent and descent in 1/1000 em: the box a viewer highlights for a glyph.
const ASCENT: i16 = 800;
const DESCENT: i16 = -200;
/// The font's PostScript name (a full font, not a subset: it has no subset tag).
const NAME: &str = "VanbanGlyphless";

/// The text layer's font program.
pub struct FontFile {
    program: Vec<u8>,
}

impl FontFile {
    /// The text layer's font. It is made in code, so nothing can be missing; the `Result`
    /// stays for callers that once looked a system font up.
    pub fn find() -> anyhow::Result<FontFile> {
        Ok(FontFile::glyphless())
    }

    pub fn glyphless() -> FontFile {
        FontFile { program: glyphless_program() }
    }

    /// The font program (a TrueType file).
    pub fn program(&self) -> &[u8] {
        &self.program
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

/// The characters one document draws.
pub struct Encoder<'f> {
    font: &'f FontFile,
    /// The 256-character blocks used (high byte of the CID), for the ToUnicode ranges.
    blocks: BTreeSet<u8>,
    max_cid: u16,
}

impl<'f> Encoder<'f> {
    pub fn new(font: &'f FontFile) -> Encoder<'f> {
        Encoder { font, blocks: BTreeSet::new(), max_cid: 0 }
    }

    /// `text` as 2-byte CIDs (Identity-H) and its width in 1/1000 em.
    pub fn encode(&mut self, text: &str) -> (Vec<u8>, f32) {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        let mut count = 0;
        for c in text.chars() {
            let cid = u16::try_from(u32::from(c)).unwrap_or(0xFFFD);
            // CID 0 is the font's .notdef: a NUL (never in OCR text) gets U+FFFD too.
            let cid = if cid == 0 { 0xFFFD } else { cid };
            self.blocks.insert((cid >> 8) as u8);
            self.max_cid = self.max_cid.max(cid);
            bytes.extend_from_slice(&cid.to_be_bytes());
            count += 1;
        }
        (bytes, count as f32 * f32::from(ADVANCE) * 1000.0 / f32::from(UNITS_PER_EM))
    }

    /// Writes the Type0 font (font program, CID-to-glyph map and ToUnicode map) into `doc`
    /// as object `id` (reserved before the pages that use it were written).
    pub fn write(self, doc: &mut Document, id: ObjectId) -> anyhow::Result<()> {
        let program = self.font.program.clone();
        let program_len = program.len() as i64;
        let file_id = doc.add_object(compressed(dictionary! { "Length1" => program_len }, program));
        let descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor",
            "FontName" => NAME,
            // Symbolic: its glyphs are not named after a standard character set.
            "Flags" => 4,
            "FontBBox" => vec![0.into(), i64::from(DESCENT).into(), i64::from(ADVANCE).into(), i64::from(ASCENT).into()],
            "ItalicAngle" => 0,
            "Ascent" => i64::from(ASCENT),
            "Descent" => i64::from(DESCENT),
            "CapHeight" => 700,
            "StemV" => 80,
            "FontFile2" => file_id,
        });
        // CID → glyph: every CID up to the largest used draws glyph 1, the blank one (CID 0
        // keeps .notdef). Flate shrinks the run of identical entries to a few dozen bytes.
        let mut cid_to_gid = Vec::with_capacity(2 * (usize::from(self.max_cid) + 1));
        cid_to_gid.extend_from_slice(&[0, 0]);
        for _ in 0..self.max_cid {
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
        let to_unicode_id = doc.add_object(compressed(dictionary! {}, to_unicode_cmap(&self.blocks).into_bytes()));
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
}

/// A stream deflated at the best level.
pub(super) fn compressed(dict: lopdf::Dictionary, data: Vec<u8>) -> Stream {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let deflated = encoder.write_all(&data).and_then(|()| encoder.finish());
    match deflated {
        Ok(deflated) if deflated.len() < data.len() => {
            let mut dict = dict;
            dict.set("Filter", "FlateDecode");
            Stream::new(dict, deflated).with_compression(false)
        }
        _ => Stream::new(dict, data).with_compression(false),
    }
}

/// The ToUnicode CMap: CID = UTF-16 code unit, one `bfrange` per 256-character block used
/// (a range may not cross a change of its first byte).
fn to_unicode_cmap(blocks: &BTreeSet<u8>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let blocks: Vec<u8> = blocks.iter().copied().collect();
    // At most 100 entries per section, as the CMap format asks.
    for chunk in blocks.chunks(100) {
        out.push_str(&format!("{} beginbfrange\n", chunk.len()));
        for &b in chunk {
            out.push_str(&format!("<{b:02X}00> <{b:02X}FF> <{b:02X}00>\n"));
        }
        out.push_str("endbfrange\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// The glyphless TrueType font program: glyph 0 (.notdef) a plain box, glyph 1 blank, both
/// half an em wide. Only the tables PDF asks of an embedded TrueType font (ISO 32000-1
/// 9.9: head, hhea, hmtx, loca, maxp, glyf). No cmap: a CIDFontType2 reaches its glyphs
/// through the CIDToGIDMap, never through the font's own cmap (ISO 32000-1 9.7.4.2), and
/// it cost 70 bytes a file.
fn glyphless_program() -> Vec<u8> {
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
    for offset in [0u16, glyf.len() as u16 / 2, glyf.len() as u16 / 2] {
        loca.extend_from_slice(&offset.to_be_bytes()); // short offsets: bytes / 2
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
    hhea.extend_from_slice(&ADVANCE.to_be_bytes()); // advance width max
    for v in [0i16, 50, 450, 1, 0, 0, 0, 0, 0, 0, 0] {
        // min lsb, min rsb, x max extent, caret slope rise and run, caret offset, 4 reserved,
        // metric data format
        hhea.extend_from_slice(&v.to_be_bytes());
    }
    hhea.extend_from_slice(&2u16.to_be_bytes()); // number of h-metrics

    let mut hmtx = Vec::new();
    for (advance, lsb) in [(ADVANCE, 50i16), (ADVANCE, 0)] {
        hmtx.extend_from_slice(&advance.to_be_bytes());
        hmtx.extend_from_slice(&lsb.to_be_bytes());
    }

    let mut maxp = Vec::new();
    maxp.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    // glyphs, points, contours, composite points and contours, zones, twilight points,
    // storage, function defs, instruction defs, stack elements, instruction size,
    // component elements, component depth
    for v in [2u16, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0] {
        maxp.extend_from_slice(&v.to_be_bytes());
    }

    sfnt(&[(*b"glyf", glyf), (*b"head", head), (*b"hhea", hhea), (*b"hmtx", hmtx), (*b"loca", loca), (*b"maxp", maxp)])
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

    #[test]
    fn characters_are_coded_as_their_code_points_and_mapped_back_by_block() {
        let font = FontFile::glyphless();
        let mut enc = Encoder::new(&font);
        let (bytes, width) = enc.encode("Dân ệ");
        assert_eq!(bytes, vec![0, b'D', 0, 0xE2, 0, b'n', 0, b' ', 0x1E, 0xC7]);
        assert_eq!(width, 2500.0);
        let cmap = to_unicode_cmap(&enc.blocks);
        assert!(cmap.contains("2 beginbfrange\n<0000> <00FF> <0000>\n<1E00> <1EFF> <1E00>\n"), "{cmap}");
        assert_eq!(enc.max_cid, 0x1EC7);
    }

    #[test]
    fn the_font_program_is_a_well_formed_truetype_file() {
        let program = glyphless_program();
        assert!(program.len() < 400, "{} bytes", program.len());
        // The whole file sums to the magic number once head's adjustment is in.
        let sum = program.chunks(4).fold(0u32, |s, c| s.wrapping_add(u32::from_be_bytes(c.try_into().unwrap())));
        assert_eq!(sum, 0xB1B0_AFBA);
        // Six tables, each inside the file and where its directory entry says.
        assert_eq!(u16::from_be_bytes([program[4], program[5]]), 6);
        for i in 0..6 {
            let entry = &program[12 + 16 * i..28 + 16 * i];
            let offset = u32::from_be_bytes(entry[8..12].try_into().unwrap()) as usize;
            let len = u32::from_be_bytes(entry[12..16].try_into().unwrap()) as usize;
            assert!(offset % 4 == 0 && offset + len <= program.len(), "{:?}", &entry[..4]);
        }
    }
}
