//! A writer process killed at an arbitrary moment (SIGKILL, mid-commit or not) leaves an
//! archive whose last commit is readable, whose every record is on disk, and that a rerun
//! completes without duplicates. The child is this test binary, re-run on an ignored test.

#[path = "search_support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use support::Doc;
use vanban::index::Archive;

const CHILD_DIR: &str = "VANBAN_KILL_TEST_DIR";

fn document(i: usize, version: usize) -> vanban::record::Document {
    let text: &'static str = Box::leak(format!("Kế hoạch số {i} về chỉnh trang đô thị, phiên bản {version}").into_boxed_str());
    let id: &'static str = Box::leak(format!("doc-{i}").into_boxed_str());
    Doc::new(id, &[text]).build_with_hash(&format!("{i}-{version}"))
}

/// The child: commits one new document and one replaced document per round until killed
/// (or its parent stops reading: the next println! then ends it).
#[test]
#[ignore = "run by killed_ingest_leaves_a_consistent_archive"]
fn child_writes_until_killed() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else { return };
    let archive = Archive::open_or_create(std::path::Path::new(&dir)).unwrap();
    let mut writer = archive.writer().unwrap();
    for round in 0..100_000 {
        writer.upsert(&document(round, 0)).unwrap();
        writer.upsert(&document(0, round)).unwrap();
        writer.commit().unwrap();
        println!("committed {round}");
        writer.upsert(&document(round + 1_000_000, 0)).unwrap(); // pending until the next commit
    }
}

#[test]
fn killed_ingest_leaves_a_consistent_archive() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_writes_until_killed", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut committed = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if let Some(round) = line.unwrap().strip_prefix("committed ") {
            committed = round.parse::<usize>().unwrap();
            if committed >= 15 {
                break;
            }
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(7));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(committed >= 15, "the child stopped early");

    let archive = Archive::open_read_only(dir.path()).expect("the last commit is readable");
    let records = archive.records().expect("every committed record is on disk");
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "no duplicates");
    assert!(records.len() > committed, "at least the rounds seen committed: {}", records.len());
    // Commit n holds doc-n and the document left pending after commit n-1: all or nothing.
    let carried = records.iter().filter(|r| r.id.starts_with("doc-100")).count();
    assert_eq!(carried + 1, records.len() - carried, "a commit is visible whole or not at all");
    assert_eq!(records.iter().filter(|r| r.id == "doc-0").count(), 1);

    // The rerun: upsert everything again (with the pending ones) and commit.
    let archive = Archive::open_or_create(dir.path()).expect("the killed writer's lock is released");
    let mut writer = archive.writer().unwrap();
    for round in 0..=committed + 1 {
        writer.upsert(&document(round, 0)).unwrap();
    }
    writer.commit().unwrap();
    let records = archive.records().unwrap();
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "no duplicates after the rerun");
}

#[test]
fn the_next_writer_removes_the_records_of_an_uncommitted_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let records_dir = dir.path().join("records");
    let files = || -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(&records_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    {
        let archive = Archive::open_or_create(dir.path()).unwrap();
        let mut writer = archive.writer().unwrap();
        writer.upsert(&document(1, 0)).unwrap();
        writer.commit().unwrap();
        writer.upsert(&document(2, 0)).unwrap(); // written, never committed: the kill
    }
    std::fs::write(records_dir.join(".doc-3@1.json.x1y2.tmp"), b"{half").unwrap();
    let stems = || -> Vec<String> { files().iter().map(|f| f.split('@').next().unwrap().to_string()).collect() };
    assert_eq!(stems(), [".doc-3", "doc-1", "doc-2"]);

    let archive = Archive::open_or_create(dir.path()).unwrap();
    let writer = archive.writer().unwrap();
    assert_eq!(stems(), ["doc-1"], "only the committed record stays");
    assert_eq!(archive.records().unwrap().len(), 1);
    drop(writer);
}
