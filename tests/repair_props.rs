//! Bad input never panics, and what is not Vietnamese comes out as it went in.

use once_cell::sync::Lazy;
use proptest::prelude::*;
use std::path::Path;
use vanban::repair::Repairer;

static REPAIRER: Lazy<Repairer> =
    Lazy::new(|| Repairer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries")).expect("dictionaries/ loads"));

/// Characters with no Latin letter: nothing in them can be a Vietnamese syllable.
fn non_latin_char() -> impl Strategy<Value = char> {
    prop_oneof![
        proptest::char::range('\u{4e00}', '\u{9fff}'),  // CJK
        proptest::char::range('\u{1f300}', '\u{1f6ff}'), // emoji
        proptest::char::range('\u{0}', '\u{1f}'),        // control characters
        proptest::char::range('\u{0400}', '\u{04ff}'),   // Cyrillic
        proptest::char::range('0', '9'),
        Just(' '),
        Just('\n'),
        Just('/'),
        Just('-'),
        Just('.'),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn any_unicode_comes_out_without_panic_and_keeps_its_lines(text in any::<String>()) {
        let repaired = REPAIRER.repair(&text);
        prop_assert_eq!(repaired.text.split('\n').count(), vanban::viet::nfc(&text).split('\n').count());
        for c in &repaired.corrections {
            prop_assert!(repaired.text[c.start..].starts_with(&c.corrected));
        }
    }

    #[test]
    fn non_vietnamese_runs_are_unchanged(text in proptest::collection::vec(non_latin_char(), 0..200)) {
        let text: String = text.into_iter().collect();
        let repaired = REPAIRER.repair(&text);
        prop_assert_eq!(repaired.text, vanban::viet::nfc(&text));
        prop_assert!(repaired.corrections.is_empty());
    }

    #[test]
    fn foreign_runs_inside_vietnamese_are_kept(cjk in "[\u{4e00}-\u{9fff}]{1,8}", emoji in "[\u{1f300}-\u{1f5ff}]{1,4}") {
        let text = format!("Thuc hien {cjk} ke hoach {emoji} so 107/KH-UBND");
        let repaired = REPAIRER.repair(&text).text;
        prop_assert!(repaired.contains(&cjk));
        prop_assert!(repaired.contains(&emoji));
        prop_assert!(repaired.ends_with("107/KH-UBND"));
    }
}

#[test]
fn empty_input_gives_empty_output() {
    assert_eq!(REPAIRER.repair("").text, "");
    assert_eq!(REPAIRER.repair("\n\n").text, "\n\n");
}

#[test]
fn a_one_megabyte_line_is_repaired() {
    let line = "cong tac dan van chinh quyen nam 2024 ".repeat(1 << 20 >> 5);
    assert!(line.len() >= 1 << 20);
    let repaired = REPAIRER.repair(&line);
    assert!(repaired.text.starts_with("công tác dân vận chính quyền năm 2024"), "{}", &repaired.text[..80]);
    assert_eq!(repaired.text.lines().count(), 1);
}

/// Ingest shares one loaded model across its worker threads.
#[test]
fn the_model_is_shared_across_threads() {
    fn assert_sync<T: Sync + Send>(_: &T) {}
    assert_sync(&*REPAIRER);
    let texts = ["Thuc hien ke hoach", "Pdy manh cong tac", "Quyết định số 25-NQ/TW"];
    let outputs: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = texts.iter().map(|t| s.spawn(move || REPAIRER.repair(t).text)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(outputs, ["Thực hiện kế hoạch", "Đẩy mạnh công tác", "Quyết định số 25-NQ/TW"]);
}
