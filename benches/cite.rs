//! Extraction throughput per core on real legal text, printed in MB/s, with the ratio to a
//! baseline run in the same process: `viet::fold` over the same text (the cheapest full pass
//! any stage makes over a document).
//!
//! Input: the shared legal corpus (`../shared/corpus/legal`, or `VANBAN_SHARED`), else the
//! gold documents. Run: `cargo bench --bench cite`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;
use std::time::Instant;

fn documents() -> (String, Vec<String>) {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("VANBAN_SHARED").map(PathBuf::from).unwrap_or_else(|| repo.join("../shared"));
    let corpus = shared.join("corpus/legal");
    let mut docs = Vec::new();
    if corpus.is_dir() {
        let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(&corpus)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect();
        paths.sort();
        // A fixed slice of the corpus (about 8 MB) keeps the run short.
        let mut total = 0;
        for path in paths.iter().step_by(3) {
            if let Ok(text) = std::fs::read_to_string(path) {
                total += text.len();
                docs.push(text);
            }
            if total > 8_000_000 {
                break;
            }
        }
        return (format!("legal corpus sample ({} files)", docs.len()), docs);
    }
    for entry in std::fs::read_dir(repo.join("tests/gold")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|x| x == "txt") {
            docs.push(std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    let docs: Vec<String> = docs.iter().cycle().take(docs.len() * 200).cloned().collect();
    ("gold documents ×200 (corpus absent)".to_owned(), docs)
}

fn seconds(mut f: impl FnMut()) -> f64 {
    // Best of three, single thread.
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn bench(c: &mut Criterion) {
    let (label, docs) = documents();
    let bytes: usize = docs.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    let extract_s = seconds(|| {
        for d in &docs {
            std::hint::black_box(vanban::cite::extract(d));
        }
    });
    let fold_s = seconds(|| {
        for d in &docs {
            std::hint::black_box(vanban::viet::fold(d));
        }
    });
    println!("cite extract on {label}: {mb:.1} MB");
    println!("  extract: {:.1} MB/s per core (target ≥ 5)", mb / extract_s);
    println!("  baseline viet::fold: {:.1} MB/s; extract takes {:.2}× the baseline's time", mb / fold_s, extract_s / fold_s);

    let one = docs.iter().max_by_key(|d| d.len()).unwrap().clone();
    let mut group = c.benchmark_group("cite");
    group.throughput(Throughput::Bytes(one.len() as u64));
    group.sample_size(20);
    group.bench_function("extract_largest_document", |b| b.iter(|| vanban::cite::extract(std::hint::black_box(&one))));
    group.bench_function("baseline_fold_largest_document", |b| b.iter(|| vanban::viet::fold(std::hint::black_box(&one))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
