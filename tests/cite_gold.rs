//! The gold set in CI: citations F1 and own-metadata accuracy must stay at or above the
//! issue's targets (`vanban eval cite` prints the same figures).

use std::path::PathBuf;

use vanban::cite::eval::{self, Inputs};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the clone (CI), or `VANBAN_SHARED`.
fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("VANBAN_SHARED").map(PathBuf::from).unwrap_or_else(|| repo().join("../shared"));
    dir.is_dir().then_some(dir)
}

#[test]
fn gold_set_meets_the_targets() {
    let shared = shared();
    let corpus = shared.as_ref().map(|s| s.join("corpus/legal"));
    let repairer = vanban::repair::Repairer::load(&repo().join("dictionaries")).ok();
    let report = eval::run(&Inputs {
        gold_dir: &repo().join("tests/gold"),
        shared_dir: shared.as_deref().unwrap_or(&repo()),
        corpus_dir: corpus.as_deref(),
        repairer: repairer.as_ref(),
    })
    .expect("gold set loads");
    println!("{report}");

    let clean = report.condition(eval::CLEAN).unwrap();
    assert!(clean.documents >= 10, "the gold set lost documents");
    assert!(clean.citations.f1() >= 0.97, "clean F1 {:.3}", clean.citations.f1());
    for field in ["number", "type", "date"] {
        assert!(clean.fields.accuracy(field) >= 0.97, "clean {field} {:.3}", clean.fields.accuracy(field));
    }
    assert!(clean.fields.accuracy("issuer") >= 0.9);
    assert!(clean.fields.accuracy("signer") >= 0.9);

    let damaged = report.condition(eval::DAMAGED).unwrap();
    assert!(damaged.citations.f1() >= 0.93, "damaged F1 {:.3}", damaged.citations.f1());
    for field in ["number", "type", "date"] {
        assert!(damaged.fields.accuracy(field) >= 0.9, "damaged {field} {:.3}", damaged.fields.accuracy(field));
    }
    if let Some(repaired) = report.condition(eval::DAMAGED_REPAIRED) {
        assert!(repaired.citations.f1() >= 0.96, "after repair F1 {:.3}", repaired.citations.f1());
    }

    match report.condition(eval::LEGACY) {
        Some(legacy) => {
            assert!(legacy.citations.f1() >= 0.93, "legacy OCR F1 {:.3}", legacy.citations.f1());
            if let Some(repaired) = report.condition(eval::LEGACY_REPAIRED) {
                assert!(repaired.citations.f1() >= 0.93, "legacy after repair F1 {:.3}", repaired.citations.f1());
            }
        }
        None => eprintln!("skipped: the shared legacy sample is absent"),
    }
    match &report.corpus {
        Some(corpus) => {
            assert!(corpus.documents >= 50, "corpus files with a printed header: {}", corpus.documents);
            for field in ["number", "type"] {
                assert!(corpus.fields.accuracy(field) >= 0.95, "corpus {field} {:.3}", corpus.fields.accuracy(field));
            }
            assert!(corpus.fields.accuracy("date") >= 0.95, "corpus date {:.3}", corpus.fields.accuracy("date"));
            assert!(corpus.fields.accuracy("issuer") >= 0.85, "corpus issuer {:.3}", corpus.fields.accuracy("issuer"));
        }
        None => eprintln!("skipped: the shared corpus is absent"),
    }
}
