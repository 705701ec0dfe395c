//! Fuzz targets (issue 16), as proptest properties over arbitrary bytes and over pieces of
//! each grammar, run for a bounded number of cases in CI (a few seconds each):
//! - the query parser, through a real search of a real (small) index: any query gets
//!   results or a query error, never a panic, a stack overflow or an index error;
//! - the citation extractor, on arbitrary bytes read as text;
//! - the text decoder, on arbitrary bytes: `Ok` only for text, never a panic.
//!
//! Run longer with `PROPTEST_CASES=100000 cargo test --release --test fuzz_props`.

#[path = "abuse_support/mod.rs"]
mod abuse;

use proptest::prelude::*;
use std::sync::OnceLock;

use vanban::index::{Archive, SearchError, SearchRequest};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 300;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(CASES);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn archive() -> &'static Archive {
    static ARCHIVE: OnceLock<(tempfile::TempDir, Archive)> = OnceLock::new();
    &ARCHIVE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            abuse::build_archive(&dir.path().join("index"), 30, 3, 5);
            let archive = Archive::open_read_only(&dir.path().join("index")).unwrap();
            (dir, archive)
        })
        .1
}

/// Pieces of the query language, strung together at random.
const QUERY_PIECES: &[&str] = &[
    "(", ")", "((", "))", "NOT ", "-", "-(", "!", " OR ", " AND ", "||", "&&", "+", "\"", "“", "”", "*", " ", "chuyển",
    "đổi", "số", "dan", "van", "type:", "loại:", "issuer:", "year:", "year:2024", "year:2020..", "date:", "date:2024-02-29",
    "date:2025-02-30", "date:..17/3/2025", "cites:", "cites:25-NQ/TW", "number:1/KH-UBND", "25-NQ/TW", "1/KH-UBND",
    "Điều:5", ":", "..", "\u{0}", "\u{1b}[31m", "\n", "\u{202e}", "日本", "𝔘", "\u{301}",
];

fn query_text() -> impl Strategy<Value = String> {
    prop::collection::vec(0..QUERY_PIECES.len(), 0..400).prop_map(|ix| ix.into_iter().map(|i| QUERY_PIECES[i]).collect())
}

fn search(query: String) -> Result<(), TestCaseError> {
    let request = SearchRequest { query, limit: 5, facets: true, ..SearchRequest::default() };
    match archive().search(&request) {
        Ok(results) => prop_assert!(results.hits.len() <= 5),
        Err(SearchError::Query(err)) => prop_assert!(!err.to_string().is_empty()),
        Err(SearchError::Index(err)) => prop_assert!(false, "an index error for a query: {err:#}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_query_of_grammar_pieces_is_searched_or_refused(query in query_text()) {
        search(query)?;
    }

    #[test]
    fn any_bytes_as_a_query_are_searched_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        search(String::from_utf8_lossy(&bytes).into_owned())?;
    }

    #[test]
    fn the_citation_extractor_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..3000)) {
        let text = String::from_utf8_lossy(&bytes);
        let chars = text.chars().count();
        for citation in vanban::cite::extract(&text).citations {
            prop_assert!(citation.start <= citation.end && citation.end <= chars);
        }
        let _ = vanban::cite::extract_both(&text, &text.to_uppercase());
    }

    #[test]
    fn the_text_decoder_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..3000)) {
        if let Ok(text) = vanban::ingest::decode_text(&bytes) {
            let controls = text.chars().filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')).count();
            prop_assert!(controls * 100 <= text.chars().count(), "text with {controls} control characters was accepted");
        }
    }

    #[test]
    fn the_text_decoder_reads_every_text_it_is_given(text in "\\PC{0,400}", utf16 in any::<bool>(), big in any::<bool>()) {
        let bytes: Vec<u8> = if utf16 {
            let mut out = if big { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
            out.extend(text.encode_utf16().flat_map(|u| if big { u.to_be_bytes() } else { u.to_le_bytes() }));
            out
        } else {
            text.as_bytes().to_vec()
        };
        prop_assert_eq!(vanban::ingest::decode_text(&bytes).unwrap(), vanban::viet::nfc(&text));
    }
}
