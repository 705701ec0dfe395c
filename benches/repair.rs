//! Repair speed and model footprint: syllables per second on one core (target ≥ 100,000),
//! model load time (≤ 1 s) and resident memory of the loaded model (≤ 300 MB).
//! Baselines in the same process: reading the model files raw, and splitting the same
//! text into tokens (the least any repair must do).
//! Input: held-out corpus files from ../shared/corpus/legal (skipped when absent).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};
use std::time::Instant;
use vanban::repair::{corpus, Repairer};

fn dict_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries")
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("VANBAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/legal"))
}

fn resident_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// About `syllables` syllables of held-out running text.
fn held_out_sample(syllables: usize) -> Option<String> {
    let files = corpus::list_files(&corpus_dir()).ok()?;
    let mut text = String::new();
    let mut count = 0;
    for f in files.iter().filter(|f| f.held_out) {
        for line in corpus::read_running_text(&f.path).ok()?.lines() {
            count += line.split_whitespace().count();
            text.push_str(line);
            text.push('\n');
            if count >= syllables {
                return Some(text);
            }
        }
    }
    Some(text)
}

fn bench(c: &mut Criterion) {
    let rss_before = resident_kb();
    let raw_started = Instant::now();
    let raw_bytes: usize = std::fs::read_dir(dict_dir()).unwrap().flatten().map(|e| std::fs::read(e.path()).map_or(0, |b| b.len())).sum();
    let raw_read = raw_started.elapsed();
    let started = Instant::now();
    let repairer = Repairer::load(&dict_dir()).expect("dictionaries/ loads");
    let load = started.elapsed();
    let rss_after = resident_kb();
    println!(
        "model load: {:.3} s (target ≤ 1 s); raw read of the {:.1} MB of files: {:.3} s; ratio {:.1}×",
        load.as_secs_f64(),
        raw_bytes as f64 / 1e6,
        raw_read.as_secs_f64(),
        load.as_secs_f64() / raw_read.as_secs_f64().max(1e-9)
    );
    println!("resident memory of the loaded model: {:.1} MB (target ≤ 300 MB)", (rss_after.saturating_sub(rss_before)) as f64 / 1024.0);

    let Some(accented) = held_out_sample(40_000) else {
        println!("corpus not found at {}: skipping the speed benchmark", corpus_dir().display());
        return;
    };
    let unaccented = vanban::viet::fold(&accented);
    let syllables = accented.split_whitespace().count() as u64;
    let mut group = c.benchmark_group("repair");
    group.sample_size(10).measurement_time(std::time::Duration::from_secs(4)).throughput(Throughput::Elements(syllables));
    group.bench_function("baseline: split into tokens", |b| b.iter(|| vanban::repair::token::pieces(&accented).len()));
    group.bench_function("correct text", |b| b.iter(|| repairer.repair(&accented)));
    group.bench_function("marks removed", |b| b.iter(|| repairer.repair(&unaccented)));
    group.finish();

    // Plain timings for the printed summary (one core: repair is single-threaded per call).
    let time = |f: &dyn Fn()| {
        let t = Instant::now();
        for _ in 0..3 {
            f();
        }
        t.elapsed().as_secs_f64() / 3.0
    };
    let base = time(&|| {
        std::hint::black_box(vanban::repair::token::pieces(&accented));
    });
    for (name, text) in [("correct text", &accented), ("marks removed", &unaccented)] {
        let secs = time(&|| {
            std::hint::black_box(repairer.repair(text));
        });
        println!(
            "{name}: {:.0} syllables/s per core (target ≥ 100,000); {:.0}× the time of tokenizing alone",
            syllables as f64 / secs,
            secs / base.max(1e-9)
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
