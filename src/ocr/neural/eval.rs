//! `vanban eval neural`: the neural reader against Tesseract on real scans.
//!
//! - Page text: the Quảng Ngãi first pages transcribed by hand (`gold/quangngai/*.p1.txt`,
//!   development set), page 1 rendered at 300 DPI as ingest renders it; syllable error
//!   rate of Tesseract, of the neural reader alone, and of the line-by-line combination,
//!   raw and repaired, with the CPU time of each reader.
//! - Handwritten digits: the crops listed in `tests/gold/digit-crops.tsv` (positions on
//!   the rendered pages, not images), read with [`super::read_digits`]; top-1 and
//!   top-3 accuracy, and Tesseract's reading of the same crops for comparison.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use super::combine;
use super::prep::Gray;
use crate::ocr::{self, ImageKind, PageImage};
use crate::repair::eval::syllable_errors;
use crate::repair::Repairer;

pub struct Options {
    pub real_scans: PathBuf,
    pub dict: PathBuf,
    pub crops: PathBuf,
    pub verbose: bool,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    errors: usize,
    reference: usize,
}

impl Tally {
    fn add(&mut self, reference: &str, hypothesis: &str) -> f64 {
        let e = syllable_errors(reference, hypothesis);
        self.errors += e.errors;
        self.reference += e.reference;
        e.rate()
    }
    fn rate(&self) -> f64 {
        self.errors as f64 / self.reference.max(1) as f64
    }
}

fn gray(image: &PageImage) -> Gray<'_> {
    Gray { width: image.width as usize, height: image.height as usize, pixels: &image.pixels }
}

/// CPU time of this thread (the readers run on it, one thread each).
fn cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Tesseract on a crop as one line, digits only: what vanban could do without the
/// neural reader.
fn tesseract_digits(crop: &Gray, dpi: u32) -> anyhow::Result<String> {
    use tesseract::plumbing::TessBaseApi;
    let mut api = TessBaseApi::create();
    api.init_2(None, Some(c"vie")).map_err(|_| anyhow::anyhow!("cannot start Tesseract"))?;
    let _ = api.set_variable(c"debug_file", c"/dev/null");
    let _ = api.set_variable(c"tessedit_char_whitelist", c"0123456789");
    api.set_page_seg_mode(tesseract::PageSegMode::PsmSingleLine.as_tess_page_seg_mode());
    api.set_image(crop.pixels, crop.width as i32, crop.height as i32, 1, crop.width as i32)
        .map_err(|e| anyhow::anyhow!("Tesseract refused the crop: {e:?}"))?;
    api.set_source_resolution(dpi as i32);
    let text = api.get_utf8_text().map_err(|_| anyhow::anyhow!("Tesseract read nothing"))?;
    Ok(text.as_ref().to_string_lossy().split_whitespace().collect())
}

pub fn run(options: &Options) -> anyhow::Result<i32> {
    let repairer = Repairer::load(&options.dict)?;
    let gold = options.real_scans.join("gold/quangngai");
    let mut names: Vec<String> = std::fs::read_dir(&gold)
        .with_context(|| format!("reading {}", gold.display()))?
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".p1.txt").map(str::to_owned))
        .collect();
    names.sort();
    println!("Real first pages transcribed by hand (development set: {} Quảng Ngãi pages), page 1 at 300 DPI", names.len());
    println!("syllable error rate (SER), raw → repaired:");
    // tesseract, neural, combined × raw, repaired
    let mut tallies = [[Tally::default(); 2]; 3];
    let (mut tess_cpu, mut neural_cpu) = (Duration::ZERO, Duration::ZERO);
    let (mut taken, mut offered) = (0usize, 0usize);
    for name in &names {
        let pdf = options.real_scans.join("quangngai").join(format!("{name}.pdf"));
        let reference = std::fs::read_to_string(gold.join(format!("{name}.p1.txt")))?;
        let image = ocr::load_page(&pdf, ImageKind::Pdf, 1).with_context(|| format!("rendering {}", pdf.display()))?;
        let t0 = cpu();
        let tess = ocr::recognize(&image)?;
        let t1 = cpu();
        let neural = combine::read_page(&gray(&image))?;
        let t2 = cpu();
        tess_cpu += t1 - t0;
        neural_cpu += t2 - t1;
        let neural_text = combine::page_text(&neural);
        let second = combine::align_to_lines(&neural, &tess.words);
        let (combined, choices) = combine::choose(&tess.text, &second, repairer.language_model());
        offered += choices.len();
        taken += choices.iter().filter(|c| c.took_neural).count();
        let mut row = Vec::new();
        for (k, text) in [&tess.text, &neural_text, &combined].into_iter().enumerate() {
            let raw = tallies[k][0].add(&reference, text);
            let repaired = tallies[k][1].add(&reference, &repairer.repair(text).text);
            row.push(format!("{:5.2}% → {:5.2}%", 100.0 * raw, 100.0 * repaired));
        }
        println!("  {name:<18} tesseract {}   neural {}   combined {}", row[0], row[1], row[2]);
        if options.verbose {
            for c in &choices {
                println!("    l{:<3} {:+6.2} {} | {} ⇒ {}", c.line, c.advantage, c.tesseract, c.neural, if c.took_neural { "neural" } else { "tesseract" });
            }
        }
    }
    let line = |label: &str, t: &[Tally; 2]| {
        println!("  {label:<34} {:5.2}% → {:5.2}%  ({} syllables)", 100.0 * t[0].rate(), 100.0 * t[1].rate(), t[0].reference)
    };
    println!("all pages:");
    line("Tesseract vie", &tallies[0]);
    line("neural reader alone (trueocr)", &tallies[1]);
    line("combined per line under the LM", &tallies[2]);
    println!("  lines where the readers differ: {offered}; neural reading kept on {taken}");
    let n = names.len().max(1) as f64;
    println!(
        "  CPU per page: Tesseract {:.2} s, neural reader {:.2} s (detector + recognizer, one thread)",
        tess_cpu.as_secs_f64() / n,
        neural_cpu.as_secs_f64() / n
    );
    digits(options)?;
    Ok(0)
}

/// One handwritten field on a rendered page.
struct DigitCrop {
    pdf: String,
    page: u32,
    bbox: [u32; 4],
    expected: String,
    kind: String,
}

fn read_crops(path: &Path) -> anyhow::Result<Vec<DigitCrop>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        anyhow::ensure!(f.len() >= 8, "{}:{}: expected 8 tab-separated fields", path.display(), i + 1);
        let num = |s: &str| s.parse::<u32>().with_context(|| format!("{}:{}: {s:?} is not a number", path.display(), i + 1));
        out.push(DigitCrop {
            pdf: f[0].to_owned(),
            page: num(f[1])?,
            bbox: [num(f[2])?, num(f[3])?, num(f[4])?, num(f[5])?],
            expected: f[6].to_owned(),
            kind: f[7].to_owned(),
        });
    }
    Ok(out)
}

fn digits(options: &Options) -> anyhow::Result<()> {
    let crops = read_crops(&options.crops)?;
    let (mut top1, mut top3, mut tess_right) = (0, 0, 0);
    let mut cache: Option<(String, PageImage)> = None;
    for c in &crops {
        if cache.as_ref().map(|(k, _)| k != &c.pdf).unwrap_or(true) {
            let pdf = options.real_scans.join("quangngai").join(&c.pdf);
            let image = ocr::load_page(&pdf, ImageKind::Pdf, c.page).with_context(|| format!("rendering {}", pdf.display()))?;
            cache = Some((c.pdf.clone(), image));
        }
        let page = &cache.as_ref().expect("set above").1;
        let Some((w, h, px)) = super::crop(&gray(page), c.bbox) else { continue };
        let crop = Gray { width: w, height: h, pixels: &px };
        let candidates = super::read_digits(&crop, c.expected.len().max(4), 3)?;
        let tess = tesseract_digits(&crop, page.dpi).unwrap_or_default();
        let hit = |k: usize| candidates.iter().take(k).any(|x| x.text == c.expected);
        top1 += hit(1) as usize;
        top3 += hit(3) as usize;
        tess_right += (tess == c.expected) as usize;
        if options.verbose {
            let shown: Vec<String> = candidates.iter().map(|x| format!("{} {:.2}", x.text, x.score)).collect();
            println!("  {:<28} {:<6} {:>6}: neural [{}]  tesseract {:?}", c.pdf, c.kind, c.expected, shown.join(", "), tess);
        }
    }
    let n = crops.len().max(1) as f64;
    println!("Handwritten digits of number and day fields ({} real crops, development set):", crops.len());
    println!(
        "  neural reader, digits only: top-1 {:.0}% ({top1}), top-3 {:.0}% ({top3}); Tesseract (digits whitelist): {:.0}% ({tess_right})",
        100.0 * top1 as f64 / n,
        100.0 * top3 as f64 / n,
        100.0 * tess_right as f64 / n
    );
    Ok(())
}
