//! Hardening benchmark (issue 16): does the server keep answering while hostile requests
//! run, and how much memory do hostile inputs cost?
//!
//! 1. `server`: the real binary serves a synthetic archive (600 documents, ~50 MB of
//!    records, 12,000 citations) on loopback. Eight ordinary clients (search pages, number
//!    lookups, document pages, JSON searches) run for `ABUSE_SECONDS` alone — the
//!    baseline — then again while hostile clients run: 50 looping whole-archive downloads,
//!    20 looping deepest result pages, deep-nesting and 1000-character fuzzy queries,
//!    300 idle connections, slow-header and slow-reader clients. Prints the ordinary
//!    requests' p50/p95/max in both phases and their ratio (target: p95 ≤ 1 s under abuse),
//!    errors, what the hostile requests got, and the server's peak memory.
//! 2. `ingest`: `vanban ingest` at the default jobs on hostile inputs — three
//!    100-megapixel PNGs, three 60-megapixel ones, a 4 MB and an 8 MB text — each run's
//!    peak memory measured by the kernel (`wait4`), against the 500 MB target.
//!
//! `cargo bench --bench abuse` runs both (`ABUSE_PART=server` or `ingest` for one);
//! `VANBAN_BIN=/path/to/vanban` measures another build (say, one from before the fixes) with
//! the same workload. Loopback only; bounded in time (about 2 × ABUSE_SECONDS + ingest).

#[path = "../tests/abuse_support/mod.rs"]
mod abuse;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TARGET_P95_MS: f64 = 1000.0;
const TARGET_INGEST_MB: u64 = 500;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list of tests; there are none.
    }
    let part = std::env::var("ABUSE_PART").unwrap_or_default();
    println!("vanban: {}", binary().display());
    println!("load average at start: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
    if part.is_empty() || part == "server" {
        server_under_abuse();
    }
    if part.is_empty() || part == "ingest" {
        ingest_memory();
    }
}

fn binary() -> PathBuf {
    std::env::var_os("VANBAN_BIN").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_vanban")))
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

// ---------------------------------------------------------------------------------------
// 1. The server under abuse.

fn server_under_abuse() {
    let seconds = env_number("ABUSE_SECONDS", 20);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-abuse-index");
    if !dir.join("built-600").exists() {
        abuse::build_archive(&dir, 600, 20, 500);
        std::fs::write(dir.join("built-600"), b"").unwrap();
    }
    let mut server = Server::start(&dir);
    let stop = Arc::new(AtomicBool::new(false));
    println!("\nserver: {} documents; ordinary clients: 8; {seconds} s a phase", 600);

    let baseline = ordinary_clients(server.addr, Duration::from_secs(seconds));
    baseline.print("alone");
    let rss_before = abuse::rss_mb(server.child.id()).unwrap_or(0);

    let tally = Arc::new(Tally::default());
    let hostile = start_hostile(server.addr, &stop, &tally);
    std::thread::sleep(Duration::from_secs(1));
    let abused = ordinary_clients(server.addr, Duration::from_secs(seconds));
    let alive = server.child.try_wait().unwrap().is_none();
    let peak = abuse::peak_rss_mb(server.child.id());
    stop.store(true, Ordering::Relaxed);
    for handle in hostile {
        let _ = handle.join();
    }
    abused.print("under abuse");
    let (p95_alone, p95_abused) = (baseline.percentile(0.95), abused.percentile(0.95));
    println!(
        "  p95 ratio under abuse / alone: {:.1}× ({p95_abused:.1} ms vs {p95_alone:.1} ms; target p95 ≤ {TARGET_P95_MS:.0} ms: {})",
        p95_abused / p95_alone.max(0.001),
        if p95_abused <= TARGET_P95_MS && abused.errors == 0 && alive { "met" } else { "NOT met" }
    );
    println!("  hostile requests: {}", tally.summary());
    match (alive, peak) {
        (true, Some(peak)) => println!(
            "  server memory: {rss_before} MB before the abuse, peak {peak} MB, {} MB after",
            abuse::rss_mb(server.child.id()).unwrap_or(0)
        ),
        _ => println!("  the server DIED under abuse ({:?})", server.child.try_wait().unwrap()),
    }
    let _ = server.child.kill();
}

/// Ordinary requests' latencies (ms) and failures over one phase.
#[derive(Default)]
struct Latencies {
    ms: Vec<f64>,
    errors: usize,
}

impl Latencies {
    fn percentile(&self, p: f64) -> f64 {
        if self.ms.is_empty() {
            return f64::INFINITY;
        }
        let mut sorted = self.ms.clone();
        sorted.sort_by(|a, b| a.total_cmp(b));
        sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
    }

    fn print(&self, phase: &str) {
        println!(
            "  ordinary requests {phase}: {} done, {} failed; p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            self.ms.len(),
            self.errors,
            self.percentile(0.5),
            self.percentile(0.95),
            self.percentile(1.0)
        );
    }
}

const ORDINARY: &[&str] = &[
    "/?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91",
    "/api/search?q=12%2FKH-UBND",
    "/?q=c%E1%BA%A3i+c%C3%A1ch+h%C3%A0nh+ch%C3%ADnh&type=K%E1%BA%BF+ho%E1%BA%A1ch",
    "/document/doc00042",
    "/api/search?q=d%C3%B2ng+vi%E1%BB%87c&year=2024",
    "/api/documents/doc00100/citations",
];

fn ordinary_clients(addr: SocketAddr, length: Duration) -> Latencies {
    let all = Arc::new(Mutex::new(Latencies::default()));
    let until = Instant::now() + length;
    let threads: Vec<_> = (0..8)
        .map(|c| {
            let all = Arc::clone(&all);
            std::thread::spawn(move || {
                let mut i = c;
                while Instant::now() < until {
                    let target = ORDINARY[i % ORDINARY.len()];
                    i += 1;
                    let started = Instant::now();
                    let ok = matches!(request(addr, target, Duration::from_secs(30)), Some((200, _)));
                    let took = started.elapsed().as_secs_f64() * 1000.0;
                    let mut all = all.lock().unwrap();
                    all.ms.push(took);
                    if !ok {
                        all.errors += 1;
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    Arc::try_unwrap(all).ok().unwrap().into_inner().unwrap()
}

/// What the hostile requests got back.
#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    bad_request: AtomicU64,
    busy: AtomicU64,
    other: AtomicU64,
    broken: AtomicU64,
}

impl Tally {
    fn count(&self, status: Option<u16>) {
        let counter = match status {
            Some(200) => &self.ok,
            Some(400 | 414 | 431) => &self.bad_request,
            Some(503) => &self.busy,
            Some(_) => &self.other,
            None => &self.broken,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn summary(&self) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "{} answered 200, {} refused (400/414/431), {} told to retry (503), {} other statuses, {} connections cut or timed out",
            get(&self.ok),
            get(&self.bad_request),
            get(&self.busy),
            get(&self.other),
            get(&self.broken)
        )
    }
}

fn start_hostile(addr: SocketAddr, stop: &Arc<AtomicBool>, tally: &Arc<Tally>) -> Vec<std::thread::JoinHandle<()>> {
    let mut handles = Vec::new();
    let looping = |handles: &mut Vec<_>, count: usize, targets: Vec<String>| {
        for c in 0..count {
            let (stop, tally, targets) = (Arc::clone(stop), Arc::clone(tally), targets.clone());
            handles.push(std::thread::spawn(move || {
                let mut i = c;
                while !stop.load(Ordering::Relaxed) {
                    let status = request(addr, &targets[i % targets.len()], Duration::from_secs(120)).map(|(s, _)| s);
                    tally.count(status);
                    i += 1;
                    if status.is_none() {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            }));
        }
    };
    let downloads = vec!["/api/export/crossref?format=csv".to_string(), "/api/export/crossref?format=json".to_string(), "/missing".to_string()];
    looping(&mut handles, 50, downloads);
    looping(&mut handles, 20, vec!["/?page=500".to_string(), "/api/search?q=d%C3%B2ng&page=499".to_string()]);
    let fuzzy: String = (0..120u8).map(|i| format!("qx{}{}zv ", (b'a' + i / 26) as char, (b'a' + i % 26) as char)).collect();
    let deep = vec![
        format!("/api/search?q=a{}", "%29".repeat(900)),
        format!("/api/search?q={}a", "%28".repeat(900)),
        format!("/?q={}a", "NOT+".repeat(240)),
        format!("/api/search?q={}", fuzzy.trim().replace(' ', "+")),
        "/api/search?from=2025-02-30".to_string(),
    ];
    looping(&mut handles, 6, deep);
    // Idle connections, reopened when the server closes them.
    for _ in 0..300 {
        let stop = Arc::clone(stop);
        handles.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Ok(mut stream) = TcpStream::connect(addr) {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
                    let mut byte = [0u8; 1];
                    while !stop.load(Ordering::Relaxed) {
                        match stream.read(&mut byte) {
                            Ok(0) => break,
                            Ok(_) => {}
                            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                            Err(_) => break,
                        }
                    }
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }));
    }
    // Slow headers: a byte every 2 s.
    for _ in 0..20 {
        let stop = Arc::clone(stop);
        handles.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let Ok(mut stream) = TcpStream::connect(addr) else { continue };
                for byte in b"GET / HTTP/1.1\r\nX-Slow: ".iter().chain([b'x'; 100].iter()) {
                    if stop.load(Ordering::Relaxed) || stream.write_all(&[*byte]).is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_secs(2));
                }
            }
        }));
    }
    // Slow readers of downloads: ask, then read nothing.
    for _ in 0..4 {
        let stop = Arc::clone(stop);
        handles.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Ok(mut stream) = TcpStream::connect(addr) {
                    let _ = stream.write_all(b"GET /api/export/crossref?format=json HTTP/1.1\r\nHost: x\r\n\r\n");
                    let until = Instant::now() + Duration::from_secs(40);
                    while !stop.load(Ordering::Relaxed) && Instant::now() < until {
                        std::thread::sleep(Duration::from_millis(200));
                    }
                }
            }
        }));
    }
    handles
}

/// One request on a fresh connection; the status and body size, or `None` when the
/// connection failed or timed out.
fn request(addr: SocketAddr, target: &str, timeout: Duration) -> Option<(u16, usize)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    stream.write_all(format!("GET {target} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n").as_bytes()).ok()?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).ok()?;
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(16)]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, bytes.len()))
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(index: &Path) -> Server {
        let mut child = Command::new(binary())
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env_remove("VANBAN_INDEX")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start vanban serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).and_then(|a| a.parse().ok()).expect("the address");
        Server { child, addr }
    }
}

// ---------------------------------------------------------------------------------------
// 2. Ingest memory on hostile inputs.

fn ingest_memory() {
    let scratch = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-abuse-ingest");
    println!("\ningest at the default jobs ({} cores), peak memory of each run (target ≤ {TARGET_INGEST_MB} MB):", cores());
    let cases: Vec<(&str, Box<dyn Fn(&Path)>)> = vec![
        ("three 100-megapixel PNGs", Box::new(|dir: &Path| pngs(dir, 3, 10_000, 10_000))),
        ("three 60-megapixel PNGs", Box::new(|dir: &Path| pngs(dir, 3, 7_700, 7_800))),
        ("a 4 MB text", Box::new(|dir: &Path| text(dir, 4_000_000))),
        ("an 8 MB text", Box::new(|dir: &Path| text(dir, 8_000_000))),
    ];
    for (name, make) in cases {
        let dir = scratch.join(name.replace(' ', "-"));
        let inputs = dir.join("in");
        if !inputs.exists() {
            std::fs::create_dir_all(&inputs).unwrap();
            make(&inputs);
        }
        let index = dir.join("index");
        let _ = std::fs::remove_dir_all(&index);
        let started = Instant::now();
        let mut child = Command::new(binary())
            .arg("--index")
            .arg(&index)
            .arg("ingest")
            .arg(&inputs)
            .env_remove("VANBAN_INDEX")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = String::new();
        child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        let peak = wait_peak_mb(&child);
        let summary = out.lines().next().unwrap_or("").to_string();
        let refused = err.lines().filter(|l| l.starts_with("vanban: ")).count();
        println!(
            "  {name}: peak {peak} MB ({}) in {:.0} s — {summary}{}",
            if peak <= TARGET_INGEST_MB { "within target" } else { "OVER target" },
            started.elapsed().as_secs_f64(),
            if refused > 0 { format!("; {refused} refused, e.g. {}", err.lines().next().unwrap_or("")) } else { String::new() }
        );
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Waits for `child` and returns its peak resident memory in MB, as the kernel counted it.
fn wait_peak_mb(child: &Child) -> u64 {
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 writes only the status and the usage we pass; the child is ours.
    unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    usage.ru_maxrss as u64 / 1024
}

fn pngs(dir: &Path, count: usize, width: u32, height: u32) {
    for i in 0..count {
        let mut page = image::GrayImage::from_pixel(width, height, image::Luma([255]));
        for y in (800 + 40 * i as u32..1400).step_by(60) {
            for dy in 0..30 {
                for x in 700..width.min(5000) {
                    if (x / 40) % 2 == 0 {
                        page.put_pixel(x, y + dy, image::Luma([0]));
                    }
                }
            }
        }
        page.save(dir.join(format!("trang-{i}.png"))).unwrap();
    }
}

fn text(dir: &Path, bytes: usize) {
    let line = "Thực hiện Kế hoạch số 107/KH-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh về chuyển đổi số trong công tác văn thư, lưu trữ.\n";
    let mut text = String::with_capacity(bytes + line.len());
    let mut n = 0;
    while text.len() < bytes {
        text.push_str(&line.replace("107", &(n % 997 + 1).to_string()));
        n += 1;
    }
    std::fs::write(dir.join("van-ban.txt"), text).unwrap();
}
