//! Development loop for the header fields without re-running OCR: reads records printed by
//! `vanban ingest DIR --dry-run` (which keep page 1's word boxes), renders page 1 again,
//! runs the header reader and the combination, and prints each field against the gold.
//!
//!     cargo run --release --example header_dev -- RECORDS.jsonl GOLD_DIR [NAME_FILTER]

use std::collections::HashMap;
use std::path::Path;

use vanban::record::Document;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    // RECORDS: a JSON-lines file of records, or an index folder (an `eval scans` scratch
    // index: target/eval-scans/dev-extended-*/index).
    let source = Path::new(&args[1]);
    let docs: Vec<Document> = if source.is_dir() {
        vanban::index::Archive::open_read_only(source)?.records()?
    } else {
        std::fs::read_to_string(source)?.lines().map(serde_json::from_str).collect::<Result<_, _>>()?
    };
    // GOLD_DIR: one folder, or several separated by commas (the first holding NAME.p1.json wins).
    let gold_dirs: Vec<&Path> = args[2].split(',').map(Path::new).collect();
    let filter = args.get(3).cloned().unwrap_or_default();
    let mut totals: HashMap<&str, (usize, usize, usize)> = HashMap::new();
    for mut doc in docs {
        let path = doc.source_path.clone();
        let name = Path::new(&path).file_stem().unwrap().to_string_lossy().into_owned();
        if !name.contains(&filter) {
            continue;
        }
        let image = vanban::ocr::load_page(Path::new(&path), vanban::ocr::ImageKind::Pdf, 1)?;
        // As at ingest: a page read from its text layer has no image to read digits from.
        let scanned = doc.pages[0].source == vanban::record::PageSource::Ocr;
        let header = vanban::header::read_fields(scanned.then_some(&image), &doc.pages[0].words, (image.width, image.height));
        if doc.signatures.is_empty() {
            doc.signatures = vanban::pdf::signature::read(Path::new(&path)).map(|r| r.signatures).unwrap_or_default();
        }
        let extraction = vanban::cite::extract_both(&doc.full_text(), &doc.raw_full_text());
        doc.metadata = extraction.document;
        doc.citations = extraction.citations;
        let headers: Vec<(u32, vanban::header::PageHeader)> = header.clone().map(|h| (1, h)).into_iter().collect();
        vanban::header::apply(&mut doc, &headers);
        let m = &doc.metadata;
        let gold: Option<serde_json::Value> = gold_dirs.iter().find_map(|d| std::fs::read_to_string(d.join(format!("{name}.p1.json"))).ok()).and_then(|t| serde_json::from_str(&t).ok());
        println!("== {name}");
        // The header zone's OCR words row by row, for looking at (set HEADER_WORDS=1).
        if std::env::var("HEADER_WORDS").is_ok() {
            let mut line = 0;
            for w in doc.pages[0].words.iter().filter(|w| w.bbox[1] < image.height / 3) {
                if w.line != line {
                    line = w.line;
                    print!("\n   words l{line}:");
                }
                print!(" {}({:.0})@{},{}", w.text, w.confidence, w.bbox[0], w.bbox[1]);
            }
            println!();
        }
        // Page 1's lines with their extent and repaired text (set HEADER_LINES=1): what the
        // subject's geometry rule sees.
        if std::env::var("HEADER_LINES").is_ok() {
            let text: Vec<&str> = doc.pages[0].repaired_text.lines().collect();
            for b in vanban::header::subject::line_boxes(&doc.pages[0].words).iter().take(40) {
                println!("   line {:3} x {:4}..{:4} y {:4}..{:4} {:?}", b.line, b.left, b.right, b.top, b.bottom, text.get(b.line as usize - 1).copied().unwrap_or_default());
            }
        }
        for sig in &doc.signatures {
            println!("   signature {:?} {:?} {:?}", sig.signer, sig.time_for_display(), sig.verification);
        }
        for r in doc.pages.iter().flat_map(|p| p.regions.iter().map(move |r| (p.number, r))) {
            if r.1.signing_time.is_some() || r.1.receipt_date.is_some() {
                println!("   region p{} {:?} signed {:?} received {:?}", r.0, r.1.kind, r.1.signing_time, r.1.receipt_date);
            }
        }
        if let Some(h) = &header {
            // The crops, for looking at (set HEADER_CROPS=dir).
            if let Ok(dir) = std::env::var("HEADER_CROPS") {
                let mut slots = Vec::new();
                if let Some(n) = &h.number {
                    slots.push(("num", n.digits.field));
                }
                if let Some(d) = &h.date {
                    slots.push(("day", d.day.field));
                    slots.push(("mon", d.month.field));
                }
                for (what, field) in slots {
                    if let Some(c) = vanban::header::crop::crop(&image, field) {
                        let mut pgm = format!("P5\n{} {}\n255\n", c.width, c.height).into_bytes();
                        pgm.extend_from_slice(&c.pixels);
                        std::fs::write(format!("{dir}/{name}_{what}.pgm"), pgm)?;
                    }
                }
            }
            if let Some(n) = &h.number {
                println!("   number line {:?} slot ocr {:?} ({:.0}) suffix {:?} readings {:?}", n.text, n.digits.ocr, n.digits.ocr_confidence, n.suffix, n.digits.readings.iter().map(|r| format!("{}:{:.2}", r.text, r.score)).collect::<Vec<_>>());
            }
            if let Some(d) = &h.date {
                println!("   date line {:?} day {:?} ({:.0}) {:?} month {:?} {:?} year {:?}", d.text, d.day.ocr, d.day.ocr_confidence, d.day.readings.iter().map(|r| format!("{}:{:.2}", r.text, r.score)).collect::<Vec<_>>(), d.month.ocr, d.month.readings.iter().map(|r| format!("{}:{:.2}", r.text, r.score)).collect::<Vec<_>>(), d.year);
            }
            println!("   issuer lines {:?}", h.issuer_lines);
        }
        let show = |field: &str, value: Option<String>, ev: Option<&vanban::header::FieldEvidence>| {
            let flag = ev.map_or("".to_owned(), |e| {
                format!(
                    "{}conf {:.2} {:?} {}",
                    if e.needs_review { "REVIEW " } else { "" },
                    e.confidence,
                    e.origin,
                    e.candidates.iter().take(4).map(|c| format!("{}={:.2}[{}]", c.value, c.confidence, c.sources.iter().map(|s| format!("{:?}{}{:.2}", s.kind, if s.agrees { "+" } else { "-" }, s.confidence)).collect::<Vec<_>>().join(","))).collect::<Vec<_>>().join(" | ")
                )
            });
            println!("   {field:7} {:30} {flag}", value.unwrap_or_default());
        };
        show("number", m.id.as_ref().map(|i| i.to_string()), m.evidence.number.as_ref());
        show("date", m.date.clone(), m.evidence.date.as_ref());
        show("issuer", m.issuer.clone().map(|i| format!("{i} [{}]", m.parent_issuer.clone().unwrap_or_default())), m.evidence.issuer.as_ref());
        show("type", m.doc_type.clone(), m.evidence.doc_type.as_ref());
        println!("   subject {:?}", m.subject);
        if let Some(g) = gold {
            let d = &g["document"];
            let norm = |s: &str| vanban::viet::fold(&vanban::viet::nfc(s)).to_lowercase().replace(['Ð'], "đ").chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let checks = [
                ("number", d["id"].as_str().map(str::to_owned), m.id.as_ref().map(|i| i.to_string()), m.evidence.needs_review(vanban::header::FieldName::Number)),
                ("date", d["date"].as_str().map(str::to_owned), m.date.clone(), m.evidence.needs_review(vanban::header::FieldName::Date)),
                ("issuer", d["issuer"].as_str().map(str::to_owned), m.issuer.clone(), m.evidence.needs_review(vanban::header::FieldName::Issuer)),
                ("type", d["type"].as_str().map(str::to_owned), m.doc_type.clone(), m.evidence.needs_review(vanban::header::FieldName::DocType)),
            ];
            for (field, want, got, flagged) in checks {
                let right = match (&want, &got) {
                    (Some(w), Some(g)) => norm(w) == norm(g) || (field == "issuer" && (norm(g).contains(&norm(w)) || norm(w).ends_with(&norm(g)))),
                    _ => false,
                };
                let t = totals.entry(field).or_default();
                t.0 += 1;
                t.1 += right as usize;
                t.2 += (!right && got.is_some() && !flagged) as usize;
                println!("   GOLD {field:7} want {:30} {}", want.unwrap_or_default(), if right { "RIGHT" } else if got.is_some() && !flagged { "WRONG-UNFLAGGED" } else { "miss/flagged" });
            }
        }
    }
    let mut fields: Vec<_> = totals.into_iter().collect();
    fields.sort();
    for (field, (n, right, wrong)) in fields {
        println!("TOTAL {field}: {right}/{n} right, {wrong} wrong and not flagged");
    }
    Ok(())
}
