//! Skewed copies of the development pages: page 1 of each Quảng Ngãi page transcribed by
//! hand, rendered as ingest renders it, turned by ±2° and ±4° (a sheet laid crooked on
//! the scanner), saved as PNG and ingested; scored like the upright page saved the same
//! way. It shows that levelling ([`crate::page::deskew`]) gives a crooked page back the
//! upright page's text, number and citations.
//!
//! Why copies: the real scans lie within about 2° of level, and a page laid 3° or more
//! off reads as garbage (measured: `tesseract -l vie` on the corpus page turned 3°: 56%
//! syllable errors), so the case has to be made. Only development pages are turned: the
//! held-out pages stay unseen.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::PathBuf;

use super::figure::{EvalSet, Figure, Figures, Split, Value};
use super::scans::{self, Case, IngestPlan, PageScore, ScanSet};
use crate::ocr::{ImageKind, PageImage};

/// The turns applied, degrees clockwise.
pub const TURNS: [f32; 4] = [-4.0, -2.0, 2.0, 4.0];

/// The figures of the upright and the turned copies, each its own set.
pub fn figures(cases: &[Case], plan: &IngestPlan) -> Result<Figures> {
    let pages: Vec<&Case> =
        cases.iter().filter(|c| c.set == ScanSet::QuangNgai && c.page == 1 && c.transcription.is_some() && !c.project_gold).collect();
    let mut made: Vec<(usize, f32, PathBuf)> = Vec::new();
    // Each page's own skew as scanned: a copy's skew is that plus its turn.
    let mut own_skew: Vec<f32> = Vec::new();
    let root = scans::scratch_root("skewed", plan)?;
    for (i, case) in pages.iter().enumerate() {
        let mut page: Option<PageImage> = None;
        let upright_png = root.join("turn+0").join("input").join(format!("{}.png", case.name));
        if upright_png.is_file() {
            page = Some(crate::ocr::load_page(&upright_png, ImageKind::Png, 1)?);
        }
        for turn in std::iter::once(0.0).chain(TURNS) {
            // One archive per turn: the copies of a page must not lend each other evidence.
            let dir = root.join(format!("turn{:+}", turn as i32)).join("input");
            std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
            let path = dir.join(format!("{}.png", case.name));
            if !path.is_file() {
                if page.is_none() {
                    page = Some(crate::ocr::load_page(&case.pdf, ImageKind::Pdf, 1)?);
                }
                let turned = crate::page::deskew::rotate(page.as_ref().expect("loaded above"), turn);
                let image = image::GrayImage::from_raw(turned.width, turned.height, turned.pixels).context("page size")?;
                image.save(&path).with_context(|| format!("{}: cannot write", path.display()))?;
            }
            made.push((i, turn, path));
        }
        own_skew.push(page.as_ref().and_then(crate::page::deskew::estimate).map_or(0.0, |s| s.degrees));
    }
    let mut records = BTreeMap::new();
    for turn in std::iter::once(0.0).chain(TURNS) {
        let dir = root.join(format!("turn{:+}", turn as i32));
        let index = dir.join("index");
        let options = crate::ingest::Options {
            dir: dir.join("input"),
            index: index.clone(),
            dict: plan.dict.clone(),
            jobs: plan.jobs,
            dry_run: false,
            force_ocr: false,
            pdf_out: None,
            shard: None,
            files_from: None,
            records_out: None,
        };
        crate::ingest::run(&options)?;
        for doc in crate::index::Archive::open_read_only(&index)?.records()? {
            records.insert(PathBuf::from(&doc.source_path), doc);
        }
    }
    let mut upright: Vec<PageScore> = Vec::new();
    let mut turned: Vec<PageScore> = Vec::new();
    let mut levelled: BTreeMap<bool, usize> = BTreeMap::new();
    // One line per copy, beside the copies: where a set's errors come from.
    let mut per_copy = String::from("page\tturn\tlying\tlevelled_by\tser_repaired\tsyllables\tnumber_right\tcitations_matched\tgold_citations\n");
    for (i, turn, path) in &made {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        let doc = records.get(&canonical).or_else(|| records.get(path));
        let score = scans::score_page(pages[*i], doc);
        let ser = score.ser_repaired.unwrap_or_default();
        per_copy.push_str(&format!(
            "{}\t{turn:+}\t{:+.2}\t{:+.2}\t{}\t{}\t{}\t{}\t{}\n",
            pages[*i].name,
            turn + own_skew[*i],
            doc.and_then(|d| d.pages.first()).map_or(0.0, |p| p.skew),
            ser.errors,
            ser.reference,
            score.fields.iter().any(|f| f.0 == "number" && f.1),
            score.matched_gold,
            score.gold_citations,
        ));
        if *turn == 0.0 {
            upright.push(score);
        } else {
            let skew = doc.and_then(|d| d.pages.first()).map_or(0.0, |p| p.skew);
            // A copy past the levelling threshold (its turn plus the page's own skew)
            // should come back to within half a degree of the page as scanned.
            let off = turn + own_skew[*i];
            if off.abs() >= crate::page::deskew::MIN_ANGLE {
                let back = (skew + off).abs() <= 0.5;
                *levelled.entry(back).or_default() += 1;
            }
            turned.push(score);
        }
    }
    let table = root.join("copies.tsv");
    std::fs::write(&table, per_copy).with_context(|| format!("{}: cannot write", table.display()))?;
    let n = pages.len();
    let mut out = Figures::default();
    let upright_set = EvalSet::new("quangngai-upright-png", format!("Quảng Ngãi transcriptions p1 as upright PNG ({n} pages)"), Split::Development);
    let turned_set = EvalSet::new(
        "quangngai-skewed",
        format!("the same pages turned ±2° and ±4° ({} copies)", turned.len()),
        Split::Development,
    );
    for (set, scores) in [(&upright_set, &upright), (&turned_set, &turned)] {
        push(&mut out, set, scores);
    }
    out.push(Figure::new(
        "skew.levelled",
        &format!("copies lying past {}° levelled back to within 0.5° of the scan", crate::page::deskew::MIN_ANGLE),
        &turned_set,
        Value::Share { right: levelled.get(&true).copied().unwrap_or(0), total: levelled.values().sum() },
    ));
    Ok(out)
}

fn push(out: &mut Figures, set: &EvalSet, scores: &[PageScore]) {
    let mut ser = crate::repair::eval::ErrorCount::default();
    for e in scores.iter().filter_map(|s| s.ser_repaired) {
        ser.add(e);
    }
    out.push(Figure::new("ser.repaired", "syllable error rate, repaired", set, Value::Rate { errors: ser.errors, of: ser.reference }));
    let field = |name: &str| {
        let all: Vec<bool> = scores.iter().flat_map(|s| s.fields.iter().filter(|f| f.0 == name).map(|f| f.1)).collect();
        Value::Share { right: all.iter().filter(|&&r| r).count(), total: all.len() }
    };
    out.push(Figure::new("own.number", "own number exactly right", set, field("number")));
    let (matched, gold) = scores.iter().fold((0, 0), |(a, b), s| (a + s.matched_gold, b + s.gold_citations));
    let (right, items) = scores.iter().fold((0, 0), |(a, b), s| (a + s.matched_items, b + s.record_items));
    out.push(Figure::new("cite.recall", "citations recall", set, Value::Share { right: matched, total: gold }));
    out.push(Figure::new("cite.precision", "citations precision", set, Value::Share { right, total: items }));
}
