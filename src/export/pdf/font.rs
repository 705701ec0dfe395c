//! The font of the invisible text: a Debian TrueType font (DejaVu Sans, else Liberation
//! Sans), cut down to the glyphs one document uses and embedded as a CID font with a
//! ToUnicode map, so that copying and searching give the Unicode text whatever the viewer.
//!
//! Every distinct character gets its own CID (1, 2, … in order of first use) and the
//! ToUnicode map says which character it is: a character the font has no glyph for is still
//! copied right (its CID draws glyph 0, which nobody sees in invisible text).

use anyhow::{bail, Context};
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Fonts tried in order; all are Debian packages with Vietnamese glyphs
/// (fonts-dejavu-core, fonts-liberation2), see scripts/setup.sh.
const CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
];

/// A TrueType font file read once per run.
pub struct FontFile {
    pub path: PathBuf,
    data: Vec<u8>,
    /// PostScript name, for BaseFont.
    name: String,
    units_per_em: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    bbox: [f32; 4],
}

impl FontFile {
    /// The first candidate font that is installed and readable; `VANBAN_PDF_FONT` names
    /// another TrueType file.
    pub fn find() -> anyhow::Result<FontFile> {
        let mut paths: Vec<PathBuf> = std::env::var_os("VANBAN_PDF_FONT").map(PathBuf::from).into_iter().collect();
        paths.extend(CANDIDATES.iter().map(PathBuf::from));
        for path in &paths {
            if path.is_file() {
                return FontFile::load(path);
            }
        }
        bail!("no font for the PDF text layer: install fonts-dejavu-core (apt-get install fonts-dejavu-core), or set VANBAN_PDF_FONT to a TrueType font with Vietnamese letters")
    }

    pub fn load(path: &Path) -> anyhow::Result<FontFile> {
        let data = std::fs::read(path).with_context(|| format!("cannot read the font {}", path.display()))?;
        let face = ttf_parser::Face::parse(&data, 0)
            .map_err(|e| anyhow::anyhow!("{} is not a usable TrueType font ({e})", path.display()))?;
        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| "VanbanText".to_owned());
        let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        let units_per_em = f32::from(face.units_per_em());
        let scale = 1000.0 / units_per_em;
        let b = face.global_bounding_box();
        let font = FontFile {
            path: path.to_path_buf(),
            name,
            units_per_em,
            ascent: f32::from(face.ascender()) * scale,
            descent: f32::from(face.descender()) * scale,
            cap_height: face.capital_height().map_or(700.0, |h| f32::from(h) * scale),
            bbox: [f32::from(b.x_min) * scale, f32::from(b.y_min) * scale, f32::from(b.x_max) * scale, f32::from(b.y_max) * scale],
            data: Vec::new(),
        };
        Ok(FontFile { data, ..font })
    }

    fn face(&self) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(&self.data, 0).expect("parsed when loaded")
    }

    /// Descent below the baseline, as a fraction of the font size (negative).
    pub fn descent(&self) -> f32 {
        self.descent / 1000.0
    }

    /// Ascent above the baseline, as a fraction of the font size.
    pub fn ascent(&self) -> f32 {
        self.ascent / 1000.0
    }
}

/// The characters one document draws, each with its CID and width.
pub struct Encoder<'f> {
    font: &'f FontFile,
    face: ttf_parser::Face<'f>,
    cids: HashMap<char, u16>,
    /// By CID - 1: the character, its glyph in the full font, its width in 1/1000 em.
    used: Vec<(char, u16, f32)>,
}

impl<'f> Encoder<'f> {
    pub fn new(font: &'f FontFile) -> Encoder<'f> {
        Encoder { font, face: font.face(), cids: HashMap::new(), used: Vec::new() }
    }

    /// `text` as 2-byte CIDs (Identity-H) and its width in 1/1000 em. Characters past the
    /// 65,534th distinct one are left out (no document has that many).
    pub fn encode(&mut self, text: &str) -> (Vec<u8>, f32) {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        let mut width = 0.0;
        for c in text.chars() {
            let cid = match self.cids.get(&c) {
                Some(&cid) => cid,
                None => {
                    if self.used.len() >= usize::from(u16::MAX) - 1 {
                        continue;
                    }
                    let glyph = self.face.glyph_index(c).map_or(0, |g| g.0);
                    let advance = self
                        .face
                        .glyph_hor_advance(ttf_parser::GlyphId(glyph))
                        .map_or(500.0, |a| f32::from(a) * 1000.0 / self.font.units_per_em);
                    self.used.push((c, glyph, advance));
                    let cid = self.used.len() as u16;
                    self.cids.insert(c, cid);
                    cid
                }
            };
            bytes.extend_from_slice(&cid.to_be_bytes());
            width += self.used[usize::from(cid) - 1].2;
        }
        (bytes, width)
    }

    /// Writes the Type0 font (with its subset font program, widths and ToUnicode map) into
    /// `doc` as object `id` (reserved before the pages that use it were written).
    pub fn write(self, doc: &mut Document, id: ObjectId) -> anyhow::Result<()> {
        let mut remapper = subsetter::GlyphRemapper::new();
        let subset_gids: Vec<u16> = self.used.iter().map(|&(_, glyph, _)| remapper.remap(glyph)).collect();
        let program = subsetter::subset(&self.font.data, 0, &remapper)
            .map_err(|e| anyhow::anyhow!("cannot subset the font {} ({e:?})", self.font.path.display()))?;
        let program_len = program.len() as i64;
        let mut file = Stream::new(dictionary! { "Length1" => program_len }, program);
        let _ = file.compress();
        let file_id = doc.add_object(file);

        // A subset font's name starts with six capital letters that differ per subset.
        let tag = subset_tag(&self.used);
        let base_font = format!("{tag}+{}", self.font.name);
        let f = self.font;
        let descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor",
            "FontName" => Object::Name(base_font.clone().into_bytes()),
            "Flags" => 32,
            "FontBBox" => f.bbox.iter().map(|&v| Object::Real(v)).collect::<Vec<_>>(),
            "ItalicAngle" => 0,
            "Ascent" => Object::Real(f.ascent),
            "Descent" => Object::Real(f.descent),
            "CapHeight" => Object::Real(f.cap_height),
            "StemV" => 80,
            "FontFile2" => file_id,
        });

        // CID → glyph of the subset: 2 bytes per CID from 0.
        let mut cid_to_gid = vec![0u8; 2 * (self.used.len() + 1)];
        for (i, gid) in subset_gids.iter().enumerate() {
            cid_to_gid[2 * (i + 1)..2 * (i + 2)].copy_from_slice(&gid.to_be_bytes());
        }
        let mut map = Stream::new(dictionary! {}, cid_to_gid);
        let _ = map.compress();
        let map_id = doc.add_object(map);

        let widths: Vec<Object> = self.used.iter().map(|&(_, _, w)| Object::Real(w.round())).collect();
        let cid_font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => Object::Name(base_font.clone().into_bytes()),
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"),
                "Supplement" => 0,
            },
            "FontDescriptor" => descriptor,
            "DW" => 500,
            "W" => vec![Object::Integer(1), Object::Array(widths)],
            "CIDToGIDMap" => map_id,
        });

        let mut to_unicode = Stream::new(dictionary! {}, to_unicode_cmap(&self.used).into_bytes());
        let _ = to_unicode.compress();
        let to_unicode_id = doc.add_object(to_unicode);
        let font = dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => Object::Name(base_font.into_bytes()),
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Reference(cid_font)],
            "ToUnicode" => to_unicode_id,
        };
        doc.objects.insert(id, Object::Dictionary(font));
        Ok(())
    }
}

/// Six capital letters drawn from the characters used: the same subset gets the same tag.
fn subset_tag(used: &[(char, u16, f32)]) -> String {
    let mut hash: u32 = 2_166_136_261;
    for &(c, _, _) in used {
        hash = (hash ^ c as u32).wrapping_mul(16_777_619);
    }
    (0..6)
        .map(|i| {
            let letter = (hash >> (i * 5)) % 26;
            char::from(b'A' + letter as u8)
        })
        .collect()
}

/// The ToUnicode CMap: CID i+1 is `used[i]`'s character (UTF-16BE, so a character beyond
/// the BMP is a surrogate pair).
fn to_unicode_cmap(used: &[(char, u16, f32)]) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in used.chunks(100).enumerate() {
        let (start, chars) = chunk;
        out.push_str(&format!("{} beginbfchar\n", chars.len()));
        for (i, &(c, _, _)) in chars.iter().enumerate() {
            let cid = start * 100 + i + 1;
            let mut units = [0u16; 2];
            let hex: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04X}")).collect();
            out.push_str(&format!("<{cid:04X}> <{hex}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_character_gets_one_cid_and_the_cmap_names_it() {
        let Ok(font) = FontFile::find() else { return };
        let mut enc = Encoder::new(&font);
        let (bytes, width) = enc.encode("Dân dân");
        assert_eq!(bytes, vec![0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 2, 0, 3]);
        assert!(width > 0.0);
        let cmap = to_unicode_cmap(&enc.used);
        assert!(cmap.contains("<0002> <00E2>"), "{cmap}");
        assert!(cmap.contains("<0004> <0020>"), "{cmap}");
    }
}
