//! Pages scanned upside down or sideways, through the real binary and real Tesseract:
//! a clerk gets the same text, number and citations as from the upright scan, and a page
//! that no turn makes readable is flagged and kept out of the text instead of indexed.

mod ingest_support;
use ingest_support::*;

use image::{imageops, GrayImage};

const PAGE: &str = "qd-1582-ubnd.png";

fn upright() -> GrayImage {
    image::open(corpus().join(PAGE)).unwrap().into_luma8()
}

#[test]
fn an_upside_down_or_sideways_page_reads_like_the_upright_one() {
    let dir = tempfile::tempdir().unwrap();
    let page = upright();
    page.save(dir.path().join("a-upright.png")).unwrap();
    imageops::rotate180(&page).save(dir.path().join("b-upside-down.png")).unwrap();
    imageops::rotate90(&page).save(dir.path().join("c-turned-right.png")).unwrap();
    imageops::rotate270(&page).save(dir.path().join("d-turned-left.png")).unwrap();
    let docs = read_by_name(dir.path());
    assert_eq!(docs.len(), 4);
    let (_, reference) = &docs[0];
    assert_eq!(reference.pages[0].rotation, 0);
    assert!(reference.pages[0].unreadable.is_none());
    assert!(reference.metadata.id.is_some(), "the upright page has its number");
    for ((name, doc), degrees) in docs[1..].iter().zip([180, 270, 90]) {
        let p = &doc.pages[0];
        assert!(p.unreadable.is_none(), "{name}: {:?}", p.unreadable);
        // Turned by OSD, then read like the upright page: the same text, line for line.
        assert_eq!(p.rotation, degrees, "{name}");
        assert_eq!(p.repaired_text, reference.pages[0].repaired_text, "{name}");
        assert_eq!(doc.metadata.id, reference.metadata.id, "{name}");
        assert_eq!(doc.metadata.date, reference.metadata.date, "{name}");
        assert_eq!(citation_ids(doc), citation_ids(reference), "{name}");
    }
}

#[test]
fn a_page_no_turn_makes_readable_is_flagged_not_indexed() {
    let dir = tempfile::tempdir().unwrap();
    // A mirrored scan (film or a transparency scanned from the back): OSD finds no
    // turn that helps, and Tesseract reads letter-like garbage.
    imageops::flip_horizontal(&upright()).save(dir.path().join("mirrored.png")).unwrap();
    let docs = read_by_name(dir.path());
    let (_, doc) = &docs[0];
    let p = &doc.pages[0];
    let reason = p.unreadable.as_deref().expect("the page is flagged unreadable");
    assert!(reason.contains("vô nghĩa"), "{reason}");
    assert!(p.repaired_text.trim().is_empty() && p.raw_text.trim().is_empty(), "{:?}", p.repaired_text);
    assert!(p.words.is_empty());
    assert!(!p.dropped_lines.is_empty(), "what was read is kept for a clerk to see");
    assert!(doc.citations.is_empty(), "{:?}", doc.citations);
    assert!(doc.metadata.id.is_none(), "{:?}", doc.metadata.id);
    assert!(doc.warnings.iter().any(|w| w.starts_with("Trang 1:")), "{:?}", doc.warnings);
}
