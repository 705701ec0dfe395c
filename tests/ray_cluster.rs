//! The Ray driver (`deploy/ray/driver.py`) on a real Ray cluster on this machine: a head
//! node and a second worker node (two raylets), 60 files (the sample corpus, copies of its
//! scans and small text files), the second node killed (its raylet and everything under
//! it, vanban included) while it works. The driver's retries must finish the run, and the
//! index it builds must be what a plain `vanban ingest` of the folder makes.
//!
//! Needs Ray in a virtual environment: `scripts/setup.sh` installs it in /opt/vanban-ray
//! (or set VANBAN_RAY_VENV). Without it the test says so and passes: .ci/run installs it.

mod ingest_support;
use ingest_support::*;
mod shards_support;
use shards_support::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn venv() -> PathBuf {
    std::env::var_os("VANBAN_RAY_VENV").map_or_else(|| PathBuf::from("/opt/vanban-ray"), PathBuf::from)
}

/// A Ray cluster of this test: its processes are found by its own temporary folder (in
/// their command lines) and by descent from them, and killed by id when it ends.
struct Cluster {
    temp: PathBuf,
    port: u16,
}

/// Every process whose command line mentions `mark`, with all its descendants.
fn processes_under(mark: &str) -> Vec<i32> {
    let mut table = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let Some(ppid) = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)).and_then(|p| p.parse::<i32>().ok()) else { continue };
        table.push((pid, ppid, String::from_utf8_lossy(&cmdline).replace('\0', " ")));
    }
    let mut chosen: Vec<i32> = table.iter().filter(|(pid, _, cmd)| cmd.contains(mark) && *pid != std::process::id() as i32).map(|(pid, _, _)| *pid).collect();
    loop {
        let more: Vec<i32> = table.iter().filter(|(pid, ppid, _)| chosen.contains(ppid) && !chosen.contains(pid)).map(|(pid, _, _)| *pid).collect();
        if more.is_empty() {
            return chosen;
        }
        chosen.extend(more);
    }
}

fn kill(pids: &[i32]) {
    for &pid in pids {
        // SAFETY: kill only sends a signal.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
}

fn ray(args: &[&str]) -> Command {
    let mut cmd = Command::new(venv().join("bin/ray"));
    cmd.args(args).env("RAY_USAGE_STATS_ENABLED", "0").stdout(Stdio::null()).stderr(Stdio::piped());
    cmd
}

impl Cluster {
    fn start(temp: PathBuf) -> Cluster {
        // A free port: bind to 0 and let go of it.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Cluster { temp, port };
        let head = ray(&["start", "--head", "--num-cpus", "1", "--port", &port.to_string(), "--include-dashboard=false", "--disable-usage-stats", "--object-store-memory", "80000000", "--temp-dir", cluster.temp.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(head.status.success(), "ray start --head: {}", String::from_utf8_lossy(&head.stderr));
        cluster
    }

    fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Starts a second node; returns its raylet's process id.
    fn add_node(&self) -> i32 {
        let raylets = |c: &Cluster| -> Vec<i32> {
            processes_under(c.temp.to_str().unwrap()).into_iter().filter(|pid| {
                std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| String::from_utf8_lossy(&c).split('\0').next().is_some_and(|exe| exe.ends_with("/raylet")))
            }).collect()
        };
        let before = raylets(self);
        let node = ray(&["start", "--address", &self.address(), "--num-cpus", "1", "--object-store-memory", "80000000"]).output().unwrap();
        assert!(node.status.success(), "ray start --address: {}", String::from_utf8_lossy(&node.stderr));
        let added: Vec<i32> = raylets(self).into_iter().filter(|p| !before.contains(p)).collect();
        assert_eq!(added.len(), 1, "one new raylet: before {before:?}, added {added:?}");
        added[0]
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        kill(&processes_under(self.temp.to_str().unwrap()));
        let _ = std::fs::remove_dir_all(&self.temp);
    }
}

/// The folder: the corpus, its four scans copied into two more boxes, and 49 text files.
fn archive(dir: &Path) -> PathBuf {
    let scans = dir.join("lưu trữ");
    copy_corpus(&scans.join("hộp 0"), CORPUS);
    for copy in 1..=2 {
        copy_corpus(&scans.join(format!("hộp {copy}")), &CORPUS[..4]);
    }
    for i in 0..47 {
        let sub = scans.join(format!("hộp {}", 3 + i % 3));
        std::fs::create_dir_all(&sub).unwrap();
        let body = format!("Số: {}/UBND-VP\nV/v thực hiện Kế hoạch số 107/KH-UBND\nKính gửi: Sở Nội vụ\nThực hiện Kế hoạch số 107/KH-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh về số hóa tài liệu lưu trữ.\n", 200 + i);
        std::fs::write(sub.join(format!("cv-{}.txt", 200 + i)), body).unwrap();
    }
    scans
}

#[test]
fn a_ray_cluster_that_loses_a_node_midway_builds_the_index_a_plain_ingest_builds() {
    if !venv().join("bin/ray").exists() {
        eprintln!("SKIPPED: no Ray in {} (scripts/setup.sh installs it; or set VANBAN_RAY_VENV)", venv().display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scans = archive(dir.path());
    let files = walkdir::WalkDir::new(&scans).into_iter().filter(|e| e.as_ref().unwrap().file_type().is_file()).count();
    assert_eq!(files, 60);
    // Ray's socket paths must stay short: its own folder right under /tmp.
    let cluster = Cluster::start(tempfile::Builder::new().prefix("vr-").tempdir_in("/tmp").unwrap().keep());
    let second = cluster.add_node();

    let records = dir.path().join("records");
    let index = dir.path().join("index");
    let report = dir.path().join("report.json");
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/ray/driver.py");
    let mut run_driver = Command::new(venv().join("bin/python"));
    run_driver
        .arg(driver)
        .args(["--input", scans.to_str().unwrap(), "--records", records.to_str().unwrap(), "--index", index.to_str().unwrap()])
        .args(["--vanban", env!("CARGO_BIN_EXE_vanban"), "--dict", Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries").to_str().unwrap()])
        .args(["--address", &cluster.address(), "--batch-files", "2", "--report", report.to_str().unwrap()])
        .env("RAY_USAGE_STATS_ENABLED", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let child = run_driver.spawn().unwrap();

    // Kill the second node once the run is well under way: its raylet, its workers and
    // the vanban they run, as when a machine goes down.
    let deadline = Instant::now() + Duration::from_secs(240);
    let count = |dir: &Path| std::fs::read_dir(dir).map_or(0, |d| d.flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".json")).count());
    while count(&records) < 12 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut doomed = vec![second];
    doomed.extend(descendants(second));
    let working = doomed.iter().any(|&p| std::fs::read(format!("/proc/{p}/cmdline")).is_ok_and(|c| String::from_utf8_lossy(&c).contains("vanban")));
    kill(&doomed);
    let killed_at = count(&records);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the driver failed ({:?}):\n{stderr}", out.status);
    assert!(killed_at < files, "the node was killed after the run ended: make the run longer\n{stderr}");
    eprintln!("ray run: {:.1} s; second node killed with {killed_at} records written (vanban running on it: {working})", started.elapsed().as_secs_f64());

    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["failed_files"], serde_json::json!([]), "{report}");
    assert_eq!(report["failed_batches"], serde_json::json!([]), "{report}");
    assert_eq!(report["index_build"]["status"], 0, "{report}");
    assert!(stderr.contains("pages/s") && stderr.contains("ETA"), "progress on stderr:\n{stderr}");

    let plain = dir.path().join("plain-index");
    ok(ingest(&scans, &plain, &[]));
    let expected = observed(&plain);
    assert_eq!(vanban::index::Archive::open_read_only(&index).unwrap().records().unwrap().len(), 60);
    assert_same(&observed(&index), &expected, "the index the Ray run built differs from a plain ingest");
}

/// The descendants of `pid` (a raylet's workers and what they run).
fn descendants(pid: i32) -> Vec<i32> {
    let mut out = vec![];
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(child) = entry.file_name().to_string_lossy().parse::<i32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)).and_then(|p| p.parse::<i32>().ok());
            if ppid == Some(parent) && !out.contains(&child) {
                out.push(child);
                frontier.push(child);
            }
        }
    }
    out
}
