//! Scanned PDFs through Debian's poppler tools: `pdfinfo` for the page count and sizes,
//! `pdftoppm` to rasterize one page at 300 DPI gray, `pdftotext` for a page's own text
//! layer. Running the tools as processes keeps a malformed PDF from taking us down.

use anyhow::{bail, Context};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::limits::check_dimensions;
use super::PageImage;

/// Rasterizing resolution: what Tesseract reads best and what scanners produce.
pub const RASTER_DPI: u32 = 300;

/// How long one poppler call may take. A malformed PDF can make poppler loop, and one file
/// must not hang a whole batch; a real page rasterizes in about a second.
const POPPLER_TIMEOUT_SECS: u32 = 120;

/// `tool` under coreutils' `timeout`, which kills it (and says so with status 124) when it
/// runs past [`POPPLER_TIMEOUT_SECS`].
pub(crate) fn poppler(tool: &str) -> Command {
    let mut command = Command::new("timeout");
    command.args(["--kill-after=5", &POPPLER_TIMEOUT_SECS.to_string(), tool]);
    command
}

fn run(tool: &str, args: &[&str], path: &Path, trailing: &[&str]) -> anyhow::Result<Output> {
    let output = poppler(tool)
        .args(args)
        .arg(path)
        .args(trailing)
        .output()
        .with_context(|| format!("cannot run `{tool}`; install poppler-utils (apt-get install poppler-utils)"))?;
    gave_up(tool, &output)?;
    Ok(output)
}

/// An error when `timeout` stopped the tool (status 124, or 137 after `--kill-after`).
fn gave_up(tool: &str, output: &Output) -> anyhow::Result<()> {
    if output.status.code() == Some(124) || output.status.code() == Some(137) {
        bail!("`{tool}` gave up after {POPPLER_TIMEOUT_SECS} s: the PDF is damaged or far too complex");
    }
    Ok(())
}

/// Most bytes one `pdftotext` call may print for one page. A real page's layer is a few
/// kilobytes (the densest Quảng Ngãi first page: 3.8 KB laid out, 31 KB as `-tsv`); a
/// compressed content stream can unpack to gigabytes of text. Poppler 22.12 (Debian 12) stops a page
/// at about 50,000 characters itself (570 KB as `-tsv`, measured with a PDF drawing
/// 8,000 lines), so this is a guard against a poppler that does not, not a limit a page
/// of today's poppler reaches.
const MAX_LAYER_BYTES: usize = 1 << 20;

/// Runs `command` keeping at most `limit` bytes of what it prints on stdout; `None` when
/// it prints more (it is then killed, and its pipe closed so that any child dies too).
fn capped_output(command: &mut Command, limit: usize) -> std::io::Result<Option<Output>> {
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let mut stderr = child.stderr.take().expect("stderr is piped");
    // Read beside stdout so that neither pipe fills and blocks the tool; kept short.
    let errors = std::thread::spawn(move || {
        let mut kept = Vec::new();
        let _ = (&mut stderr).take(64 << 10).read_to_end(&mut kept);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        kept
    });
    let mut stdout = Vec::new();
    let read = child.stdout.take().expect("stdout is piped").take(limit as u64 + 1).read_to_end(&mut stdout);
    if read.is_err() || stdout.len() > limit {
        let _ = child.kill();
        let _ = child.wait();
        let _ = errors.join();
        read?;
        return Ok(None);
    }
    let status = child.wait()?;
    let stderr = errors.join().unwrap_or_default();
    Ok(Some(Output { status, stdout, stderr }))
}

/// The last line poppler printed on stderr: the one that names the problem.
fn poppler_reason(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("unknown error").trim().to_owned()
}

/// `(pages, [(width_pts, height_pts)])` from `pdfinfo -f 1 -l LAST`.
fn info(path: &Path, last: Option<u32>) -> anyhow::Result<(u32, Vec<(f64, f64)>)> {
    let last = last.map(|l| l.to_string());
    let args: Vec<&str> = match &last {
        Some(l) => vec!["-f", "1", "-l", l],
        None => vec![],
    };
    let output = run("pdfinfo", &args, path, &[])?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let pages = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse::<u32>().ok());
    let reason = poppler_reason(&output);
    let no_pages = String::from_utf8_lossy(&output.stderr).contains("page count 0");
    match pages {
        Some(0) => bail!("the PDF has no pages"),
        None if no_pages => bail!("the PDF has no pages"),
        None => bail!("the PDF cannot be read ({reason}); the file is damaged or not a PDF"),
        Some(pages) => {
            let sizes = stdout.lines().filter_map(page_size).collect();
            Ok((pages, sizes))
        }
    }
}

/// Parses "Page    3 size:  595.2 x 841.92 pts (A4)".
fn page_size(line: &str) -> Option<(f64, f64)> {
    let rest = line.strip_prefix("Page")?;
    let (_, dims) = rest.split_once("size:")?;
    let mut parts = dims.split_whitespace();
    let width = parts.next()?.parse().ok()?;
    (parts.next()? == "x").then_some(())?;
    let height = parts.next()?.parse().ok()?;
    Some((width, height))
}

fn pixels_at_raster_dpi(points: f64) -> u32 {
    (points / 72.0 * f64::from(RASTER_DPI)).round().clamp(0.0, u32::MAX as f64) as u32
}

/// Pages in the PDF; every page's size at 300 DPI is checked against the limits.
pub fn page_count(path: &Path) -> anyhow::Result<u32> {
    let (pages, _) = info(path, None)?;
    let (_, sizes) = info(path, Some(pages))?;
    for (i, (w, h)) in sizes.iter().enumerate() {
        check_dimensions(pixels_at_raster_dpi(*w), pixels_at_raster_dpi(*h))
            .with_context(|| format!("page {} at {RASTER_DPI} DPI", i + 1))?;
    }
    Ok(pages)
}

/// Pixels of page `number` at 300 DPI, from `pdfinfo` (for ingest's memory budget).
pub fn page_pixels(path: &Path, number: u32) -> anyhow::Result<u64> {
    let (_, sizes) = info(path, Some(number))?;
    let (w, h) = sizes.last().copied().context("pdfinfo gave no page size")?;
    Ok(u64::from(pixels_at_raster_dpi(w)) * u64::from(pixels_at_raster_dpi(h)))
}

/// Rasterizes page `number` to 8-bit gray at 300 DPI (`pdftoppm` writes PGM to stdout).
pub fn render_page(path: &Path, number: u32) -> anyhow::Result<PageImage> {
    let n = number.to_string();
    let dpi = RASTER_DPI.to_string();
    let output = run("pdftoppm", &["-r", &dpi, "-gray", "-f", &n, "-l", &n], path, &[])?;
    if !output.status.success() || output.stdout.is_empty() {
        bail!("cannot rasterize page {number} of the PDF ({})", poppler_reason(&output));
    }
    let (width, height, pixels) = parse_pgm(output.stdout)
        .with_context(|| format!("pdftoppm gave an unreadable image for page {number}"))?;
    check_dimensions(width, height)?;
    Ok(PageImage { width, height, dpi: RASTER_DPI, pixels })
}

/// The page's own text layer, when it has one with any letters in it: the text as laid
/// out (`-layout`) and the words with their boxes (`-tsv`), put together by
/// [`crate::pdf::layer::parse`].
pub fn text_layer(path: &Path, number: u32) -> anyhow::Result<Option<crate::pdf::layer::TextLayer>> {
    let n = number.to_string();
    // A layer poppler cannot read (a PDF that forbids copying its text…) is no layer: the
    // page is OCR'd like any scan. Only a timeout is an error (the PDF is damaged).
    let pdftotext = |mode: &str| -> anyhow::Result<Option<String>> {
        let mut command = poppler("pdftotext");
        command.args([mode, "-enc", "UTF-8", "-f", &n, "-l", &n]).arg(path).arg("-");
        let output = capped_output(&mut command, MAX_LAYER_BYTES)
            .context("cannot run `pdftotext`; install poppler-utils (apt-get install poppler-utils)")?;
        let Some(output) = output else {
            tracing::warn!(
                file = %crate::fsx::shown(path),
                page = number,
                "the page's text layer is over {} MB, far more than a page holds: not used, the page is OCR'd",
                MAX_LAYER_BYTES >> 20
            );
            return Ok(None);
        };
        gave_up("pdftotext", &output)?;
        if !output.status.success() {
            tracing::debug!(page = number, reason = poppler_reason(&output), "no readable text layer");
            return Ok(None);
        }
        Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()))
    };
    let Some(layout) = pdftotext("-layout")? else { return Ok(None) };
    if !layout.chars().any(char::is_alphanumeric) {
        return Ok(None);
    }
    let Some(tsv) = pdftotext("-tsv")? else { return Ok(None) };
    Ok(Some(crate::pdf::layer::parse(&layout, &tsv)))
}

/// `pdfimages -list` of one page: the images it paints and their resolutions (nothing is
/// decoded), for [`crate::pdf::layer::image_share`].
pub fn image_list(path: &Path, number: u32) -> anyhow::Result<String> {
    let n = number.to_string();
    let output = run("pdfimages", &["-list", "-f", &n, "-l", &n], path, &[])?;
    if !output.status.success() {
        bail!("cannot list the images of page {number} ({})", poppler_reason(&output));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Binary PGM (P5, maxval < 256): header fields separated by whitespace, `#` comments.
fn parse_pgm(mut bytes: Vec<u8>) -> anyhow::Result<(u32, u32, Vec<u8>)> {
    let mut fields = Vec::with_capacity(4);
    let mut pos = 0;
    while fields.len() < 4 {
        while pos < bytes.len() && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b'#') {
            if bytes[pos] == b'#' {
                while pos < bytes.len() && bytes[pos] != b'\n' {
                    pos += 1;
                }
            } else {
                pos += 1;
            }
        }
        let start = pos;
        while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if start == pos {
            bail!("the PGM header ends early");
        }
        fields.push(String::from_utf8_lossy(&bytes[start..pos]).into_owned());
    }
    pos += 1; // the single whitespace byte before the pixels
    if fields[0] != "P5" || fields[3].parse::<u32>().map_or(true, |max| max > 255) {
        bail!("not an 8-bit binary PGM");
    }
    let width: u32 = fields[1].parse()?;
    let height: u32 = fields[2].parse()?;
    let len = width as usize * height as usize;
    if bytes.len() < pos + len {
        bail!("the PGM image is shorter than its header says");
    }
    bytes.drain(..pos);
    bytes.truncate(len);
    Ok((width, height, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tool_that_prints_without_end_is_cut_at_the_cap() {
        let out = capped_output(Command::new("yes").arg("chuyển đổi số"), 1 << 20).unwrap();
        assert!(out.is_none(), "`yes` never stops: its output must be cut, not collected");
        let out = capped_output(Command::new("printf").arg("trang 1"), 1 << 20).unwrap().unwrap();
        assert_eq!((out.status.success(), out.stdout.as_slice()), (true, &b"trang 1"[..]));
    }

    #[test]
    fn pgm_with_a_comment_is_parsed() {
        let mut pgm = b"P5\n# made by a test\n3 2\n255\n".to_vec();
        pgm.extend_from_slice(&[0, 1, 2, 3, 4, 5, 99]);
        let (w, h, px) = parse_pgm(pgm).unwrap();
        assert_eq!((w, h), (3, 2));
        assert_eq!(px, vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn short_pgm_is_an_error() {
        assert!(parse_pgm(b"P5 3 2 255\n\x00".to_vec()).is_err());
        assert!(parse_pgm(b"P5 3".to_vec()).is_err());
    }

    #[test]
    fn pdfinfo_page_size_lines_are_read() {
        assert_eq!(page_size("Page    1 size:  595.2 x 841.92 pts (A4)"), Some((595.2, 841.92)));
        assert_eq!(page_size("Pages:           2"), None);
        assert_eq!(pixels_at_raster_dpi(595.2), 2480);
    }
}
