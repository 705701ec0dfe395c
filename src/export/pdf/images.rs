//! The page images of an image input as PDF image objects, their coded data carried over
//! untouched wherever PDF has the same filter: a JPEG's bytes as DCTDecode, a PNG's IDAT
//! data as FlateDecode with the PNG predictors, a CCITT G3/G4 TIFF strip as
//! CCITTFaxDecode. Only what PDF cannot hold as it is (an interlaced PNG or one with an
//! alpha channel, a TIFF in another compression) is decoded and deflated losslessly.
//! The image dictionaries leave out `/Type /XObject`, optional for an image (ISO 32000-1
//! table 89): an image's dictionary cannot go in an object stream, so its bytes count.

use anyhow::{bail, Context};
use lopdf::{dictionary, Object, Stream};
use std::io::Write;
use std::path::Path;

use crate::ocr::ImageKind;

/// One page image ready to embed: its stream and its size.
pub struct PageImage {
    pub stream: Stream,
    pub width: u32,
    pub height: u32,
    /// Pixels per inch, for the page size (300 when the file does not say).
    pub dpi: f32,
}

impl PageImage {
    /// One bit a pixel in DeviceGray: black and white only.
    pub fn is_bilevel_gray(&self) -> bool {
        let dict = &self.stream.dict;
        dict.get(b"BitsPerComponent").and_then(Object::as_i64).ok() == Some(1)
            && dict.get(b"ColorSpace").and_then(Object::as_name).ok() == Some(b"DeviceGray".as_slice())
    }
}

const DEFAULT_DPI: f32 = crate::ocr::DEFAULT_DPI as f32;

/// Page `number` (1-based) of an image file.
pub fn page_image(path: &Path, kind: ImageKind, number: u32) -> anyhow::Result<PageImage> {
    match kind {
        ImageKind::Jpeg => jpeg(&std::fs::read(path).context("cannot read the file")?),
        ImageKind::Png => png(path, &std::fs::read(path).context("cannot read the file")?),
        ImageKind::Tiff => tiff(path, number),
        ImageKind::Pdf => bail!("a PDF's pages are copied, not embedded as images"),
    }
}

/// A JPEG as it is: DCTDecode with the colour space its frame header gives.
pub fn jpeg(bytes: &[u8]) -> anyhow::Result<PageImage> {
    let mut pos = 2;
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        bail!("not a JPEG file (no start-of-image marker)");
    }
    let mut adobe = false;
    let mut dpi = None;
    while pos + 4 <= bytes.len() {
        if bytes[pos] != 0xFF {
            bail!("the JPEG file is damaged (no marker where one should be)");
        }
        let marker = bytes[pos + 1];
        if marker == 0xFF {
            pos += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]));
        let segment = bytes.get(pos + 4..pos + 2 + len).context("the JPEG file is truncated")?;
        match marker {
            0xE0 if segment.starts_with(b"JFIF\0") && segment.len() >= 12 => {
                let density = f32::from(u16::from_be_bytes([segment[8], segment[9]]));
                dpi = match segment[7] {
                    1 => Some(density),
                    2 => Some(density * 2.54),
                    _ => None,
                };
            }
            0xEE if segment.starts_with(b"Adobe") => adobe = true,
            // Start of frame (not DHT 0xC4, JPG 0xC8, DAC 0xCC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if segment.len() < 6 {
                    bail!("the JPEG frame header is truncated");
                }
                let bits = segment[0];
                let height = u32::from(u16::from_be_bytes([segment[1], segment[2]]));
                let width = u32::from(u16::from_be_bytes([segment[3], segment[4]]));
                let components = segment[5];
                let mut dict = dictionary! {
                    "Subtype" => "Image",
                    "Width" => width,
                    "Height" => height,
                    "BitsPerComponent" => i64::from(bits),
                    "Filter" => "DCTDecode",
                };
                match components {
                    1 => dict.set("ColorSpace", "DeviceGray"),
                    3 => dict.set("ColorSpace", "DeviceRGB"),
                    4 => {
                        dict.set("ColorSpace", "DeviceCMYK");
                        // Adobe's CMYK JPEGs store the inks inverted.
                        if adobe {
                            dict.set("Decode", [1, 0, 1, 0, 1, 0, 1, 0].iter().map(|&v| Object::Integer(v)).collect::<Vec<_>>());
                        }
                    }
                    n => bail!("a JPEG with {n} colour components cannot be put in a PDF"),
                }
                if width == 0 || height == 0 {
                    bail!("the JPEG frame header gives a size of zero");
                }
                let stream = Stream::new(dict, bytes.to_vec()).with_compression(false);
                return Ok(PageImage { stream, width, height, dpi: plausible(dpi) });
            }
            _ => {}
        }
        pos += 2 + len;
    }
    bail!("the JPEG file has no frame header")
}

/// A PNG: its IDAT data as it is when PDF's predictors can read it (not interlaced, no
/// alpha), else decoded and deflated.
fn png(path: &Path, bytes: &[u8]) -> anyhow::Result<PageImage> {
    if bytes.get(..8) != Some(b"\x89PNG\r\n\x1a\n") {
        bail!("not a PNG file");
    }
    let mut pos = 8;
    let mut header = None;
    let mut palette = None;
    let mut data = Vec::new();
    let mut dpi = None;
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().expect("4 bytes")) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let chunk = bytes.get(pos + 8..pos + 8 + len).context("the PNG file is truncated")?;
        match kind {
            b"IHDR" if len >= 13 => header = Some(chunk.to_vec()),
            b"PLTE" => palette = Some(chunk.to_vec()),
            b"pHYs" if len == 9 && chunk[8] == 1 => {
                let per_metre = u32::from_be_bytes(chunk[0..4].try_into().expect("4 bytes"));
                dpi = Some(per_metre as f32 * 0.0254);
            }
            b"IDAT" => data.extend_from_slice(chunk),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let header = header.context("the PNG file has no header")?;
    let width = u32::from_be_bytes(header[0..4].try_into().expect("4 bytes"));
    let height = u32::from_be_bytes(header[4..8].try_into().expect("4 bytes"));
    let (depth, color, interlace) = (header[8], header[9], header[12]);
    let dpi = plausible(dpi);
    let colors = match color {
        0 | 3 => 1,
        2 => 3,
        _ => 0,
    };
    if colors == 0 || interlace != 0 || data.is_empty() {
        return decoded(path, dpi);
    }
    let mut dict = dictionary! {
        "Subtype" => "Image",
        "Width" => width,
        "Height" => height,
        "BitsPerComponent" => i64::from(depth),
        "Filter" => "FlateDecode",
        "DecodeParms" => dictionary! {
            "Predictor" => 15,
            "Colors" => colors,
            "BitsPerComponent" => i64::from(depth),
            "Columns" => width,
        },
    };
    match color {
        0 => dict.set("ColorSpace", "DeviceGray"),
        2 => dict.set("ColorSpace", "DeviceRGB"),
        _ => {
            let palette = palette.context("the PNG file has no palette")?;
            let entries = palette.len() / 3;
            if entries == 0 {
                bail!("the PNG palette is empty");
            }
            dict.set(
                "ColorSpace",
                vec![
                    Object::Name(b"Indexed".to_vec()),
                    Object::Name(b"DeviceRGB".to_vec()),
                    Object::Integer(entries as i64 - 1),
                    Object::String(palette[..entries * 3].to_vec(), lopdf::StringFormat::Hexadecimal),
                ],
            );
        }
    }
    let stream = Stream::new(dict, data).with_compression(false);
    Ok(PageImage { stream, width, height, dpi })
}

/// An image PDF cannot hold as coded: decoded by the `image` crate and deflated (RGB, or
/// gray when it has no colour); its transparency, if any, is dropped (a scan has none).
fn decoded(path: &Path, dpi: f32) -> anyhow::Result<PageImage> {
    let image = image::ImageReader::open(path)
        .context("cannot open the file")?
        .with_guessed_format()
        .context("cannot read the file")?
        .decode()
        .map_err(|e| anyhow::anyhow!("the image cannot be decoded ({e})"))?;
    let (width, height) = (image.width(), image.height());
    let gray = !image.color().has_color();
    let (pixels, space, colors) =
        if gray { (image.into_luma8().into_raw(), "DeviceGray", 1) } else { (image.into_rgb8().into_raw(), "DeviceRGB", 3) };
    Ok(PageImage { stream: deflated(width, height, 8, colors, space, &pixels)?, width, height, dpi })
}

/// Raw pixels, deflated, as an image stream.
fn deflated(width: u32, height: u32, bits: u8, _colors: u8, space: &str, pixels: &[u8]) -> anyhow::Result<Stream> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(pixels)?;
    let data = encoder.finish()?;
    let dict = dictionary! {
        "Subtype" => "Image",
        "Width" => width,
        "Height" => height,
        "BitsPerComponent" => i64::from(bits),
        "ColorSpace" => Object::Name(space.as_bytes().to_vec()),
        "Filter" => "FlateDecode",
    };
    Ok(Stream::new(dict, data).with_compression(false))
}

/// Page `number` of a TIFF: a single-strip CCITT G3/G4 page as it is, else decoded to gray
/// (as OCR read it) and deflated, one bit a pixel when it is black and white.
fn tiff(path: &Path, number: u32) -> anyhow::Result<PageImage> {
    use tiff::decoder::Decoder;
    use tiff::tags::Tag;
    let file = std::fs::File::open(path).context("cannot open the file")?;
    let mut decoder = Decoder::new(std::io::BufReader::new(file)).map_err(|e| anyhow::anyhow!("the TIFF file cannot be read ({e})"))?;
    decoder.seek_to_image(number as usize - 1).map_err(|e| anyhow::anyhow!("the TIFF file has no page {number} ({e})"))?;
    let tag = |decoder: &mut Decoder<_>, tag: Tag| decoder.find_tag(tag).ok().flatten();
    let (width, height) = decoder.dimensions().map_err(|e| anyhow::anyhow!("the TIFF page {number} has no size ({e})"))?;
    let unit = tag(&mut decoder, Tag::ResolutionUnit).and_then(|v| v.into_u16().ok()).unwrap_or(2);
    let dpi = match tag(&mut decoder, Tag::XResolution) {
        Some(tiff::decoder::ifd::Value::Rational(n, d)) if d > 0 => Some(n as f32 / d as f32),
        Some(v) => v.into_f32().ok(),
        None => None,
    }
    .map(|r| if unit == 3 { r * 2.54 } else { r });
    let dpi = plausible(dpi);
    let compression = tag(&mut decoder, Tag::Compression).and_then(|v| v.into_u16().ok()).unwrap_or(1);
    let photometric = tag(&mut decoder, Tag::PhotometricInterpretation).and_then(|v| v.into_u16().ok()).unwrap_or(0);
    let fill_order = tag(&mut decoder, Tag::FillOrder).and_then(|v| v.into_u16().ok()).unwrap_or(1);
    let offsets = tag(&mut decoder, Tag::StripOffsets).and_then(|v| v.into_u64_vec().ok()).unwrap_or_default();
    let counts = tag(&mut decoder, Tag::StripByteCounts).and_then(|v| v.into_u64_vec().ok()).unwrap_or_default();
    let g3_options = tag(&mut decoder, Tag::Unknown(292)).and_then(|v| v.into_u32().ok()).unwrap_or(0);
    // G4 (4), or one-dimensional G3 (3) without fill bits' options, in one strip.
    let k = match compression {
        4 => Some(-1),
        3 if g3_options & !4 == 0 => Some(0),
        _ => None,
    };
    if let (Some(k), [offset], [count], 1, 0 | 1) = (k, offsets.as_slice(), counts.as_slice(), fill_order, photometric) {
        let bytes = std::fs::read(path).context("cannot read the file")?;
        let strip = usize::try_from(*offset).ok().zip(usize::try_from(*count).ok()).and_then(|(o, c)| bytes.get(o..o.checked_add(c)?));
        if let Some(strip) = strip {
            let mut parms = dictionary! { "K" => k, "Columns" => width, "Rows" => height };
            if g3_options & 4 != 0 {
                parms.set("EncodedByteAlign", true);
            }
            let mut dict = dictionary! {
                "Subtype" => "Image",
                "Width" => width,
                "Height" => height,
                "BitsPerComponent" => 1,
                "ColorSpace" => "DeviceGray",
                "Filter" => "CCITTFaxDecode",
                "DecodeParms" => parms,
            };
            // Min-is-black pages draw their 1 bits white.
            if photometric == 1 {
                dict.set("Decode", vec![Object::Integer(1), Object::Integer(0)]);
            }
            return Ok(PageImage { stream: Stream::new(dict, strip.to_vec()).with_compression(false), width, height, dpi });
        }
    }
    let page = crate::ocr::load_page(path, ImageKind::Tiff, number)?;
    if page.pixels.iter().all(|&p| p == 0 || p == 255) {
        let row = (page.width as usize).div_ceil(8);
        let mut packed = vec![0u8; row * page.height as usize];
        for (y, line) in page.pixels.chunks(page.width as usize).enumerate() {
            for (x, &p) in line.iter().enumerate() {
                if p == 255 {
                    packed[y * row + x / 8] |= 0x80 >> (x % 8);
                }
            }
        }
        let stream = deflated(page.width, page.height, 1, 1, "DeviceGray", &packed)?;
        return Ok(PageImage { stream, width: page.width, height: page.height, dpi });
    }
    let stream = deflated(page.width, page.height, 8, 1, "DeviceGray", &page.pixels)?;
    Ok(PageImage { stream, width: page.width, height: page.height, dpi })
}

/// Files often say 72 or 96 "DPI" meaning "unknown": OCR then took 300, and so do we.
fn plausible(dpi: Option<f32>) -> f32 {
    dpi.filter(|d| (100.0..=1200.0).contains(d)).unwrap_or(DEFAULT_DPI)
}
