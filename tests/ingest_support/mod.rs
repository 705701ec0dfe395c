//! Helpers shared by the ingest integration tests: run the real `vanban` binary (which
//! re-executes itself with OMP_THREAD_LIMIT=1) on folders built in a tempdir.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Copies the named files of the sample corpus into `dir`.
pub fn copy_corpus(dir: &Path, names: &[&str]) {
    std::fs::create_dir_all(dir).unwrap();
    for name in names {
        std::fs::copy(corpus().join(name), dir.join(name)).unwrap();
    }
}

pub fn vanban(args: &[&str], index: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vanban"));
    cmd.args(args).arg("--index").arg(index).env_remove("VANBAN_INDEX");
    cmd
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let Output { status, stdout, stderr } = cmd.output().expect("the vanban binary runs");
    Run {
        status: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// `vanban ingest DIR --jobs 2 --index INDEX`.
pub fn ingest(dir: &Path, index: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["ingest", dir.to_str().unwrap(), "--jobs", "2"];
    args.extend_from_slice(extra);
    run(&mut vanban(&args, index))
}

/// The records a `--dry-run` printed, one JSON object a line.
pub fn records(stdout: &str) -> Vec<vanban::record::Document> {
    stdout.lines().map(|l| serde_json::from_str(l).expect("each line is a record")).collect()
}

/// Reads the summary line's counters: (ingested, pages, unchanged, failed).
pub fn summary(text: &str) -> (usize, usize, usize, usize) {
    let line = text.lines().find(|l| l.starts_with("ingested ")).unwrap_or_else(|| panic!("no summary in:\n{text}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(4)
        .map(|s| s.parse().unwrap())
        .collect();
    (numbers[0], numbers[1], numbers[2], numbers[3])
}

/// Ingests the files of `dir` in one dry run and returns their records by file name, in
/// name order (the page tests compare a turned or cleaned copy with the upright page).
pub fn read_by_name(dir: &Path) -> Vec<(String, vanban::record::Document)> {
    let out = ingest(dir, &dir.join("index"), &["--dry-run"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let mut docs: Vec<(String, vanban::record::Document)> = records(&out.stdout)
        .into_iter()
        .map(|d| (Path::new(&d.source_path).file_name().unwrap().to_string_lossy().into_owned(), d))
        .collect();
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    docs
}

/// A record's citation ids, sorted, to compare two readings of one page.
pub fn citation_ids(doc: &vanban::record::Document) -> Vec<String> {
    let mut ids: Vec<String> = doc.citations.iter().map(|c| serde_json::to_string(&c.id).unwrap()).collect();
    ids.sort();
    ids
}
