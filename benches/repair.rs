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
    // The real legacy text layer, if present: the slowest kind of input (every word goes
    // through the learned letter model).
    let legacy = std::fs::read_to_string(corpus_dir().join("../../samples/legacy-ocr-plan-2024.txt")).ok();
    let syllables = accented.split_whitespace().count() as u64;
    let mut group = c.benchmark_group("repair");
    group.sample_size(10).measurement_time(std::time::Duration::from_secs(4)).throughput(Throughput::Elements(syllables));
    group.bench_function("baseline: split into tokens", |b| b.iter(|| vanban::repair::token::pieces(&accented).len()));
    group.bench_function("correct text", |b| b.iter(|| repairer.repair(&accented)));
    group.bench_function("marks removed", |b| b.iter(|| repairer.repair(&unaccented)));
    group.finish();

    // Printed summary. "Per core" is syllables per second of this thread's CPU time, so
    // other processes on a shared machine do not distort it; wall time is shown beside.
    let measure = |f: &dyn Fn()| {
        let (wall, cpu) = (Instant::now(), thread_cpu_seconds());
        let mut runs = 0;
        while runs < 3 || thread_cpu_seconds() - cpu < 2.0 {
            f();
            runs += 1;
        }
        ((thread_cpu_seconds() - cpu) / runs as f64, wall.elapsed().as_secs_f64() / runs as f64)
    };
    let (base_cpu, _) = measure(&|| {
        std::hint::black_box(vanban::repair::token::pieces(&accented));
    });
    let mut inputs = vec![("correct text", accented.clone()), ("marks removed", unaccented.clone())];
    if let Some(legacy) = legacy {
        inputs.push(("legacy OCR sample", legacy));
    }
    for (name, text) in &inputs {
        let syllables = text.split_whitespace().count() as u64;
        let (cpu, wall) = measure(&|| {
            std::hint::black_box(repairer.repair(text));
        });
        println!(
            "{name}: {:.0} syllables/s per core (CPU time; target ≥ 100,000), {:.0}/s wall; {:.0}× the CPU time of tokenizing correct text",
            syllables as f64 / cpu,
            syllables as f64 / wall,
            cpu / base_cpu.max(1e-9)
        );
    }
}

/// CPU seconds this thread has used (user + system), from /proc.
fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    // Fields after the parenthesized command name; utime and stime are the 12th and 13th.
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    ticks / 100.0
}

criterion_group!(benches, bench);
criterion_main!(benches);
