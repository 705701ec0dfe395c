//! `vanban serve` benchmark (issue 6), on the 20,000-document benchmark index that
//! `cargo bench --bench search` builds from `../shared/corpus/legal` into
//! `target/bench-search-index` (run that first; `bench/serve.sh` does both).
//!
//! 1. Search page latency: the real binary serves the index on a loopback port; one client
//!    requests the search page (`/?q=…`, facets and snippets included) for 300 queries —
//!    numbers, words with and without diacritics, a filter — and prints p50/p95/max against
//!    the target (p95 ≤ 50 ms), and against a baseline run in this process on the same
//!    index: the same searches through `Archive::search` without HTTP or HTML.
//! 2. Load: 50 concurrent clients (keep-alive connections) for 30 s over the same queries
//!    plus document pages; prints requests, errors (anything but 200, or a broken
//!    connection), throughput and latency percentiles. Bounded in time, loopback only.
//!
//! Run it with `bench/serve.sh`, or `cargo bench --bench serve` once the index exists;
//! `SERVE_BENCH_SECONDS=10 SERVE_BENCH_CLIENTS=20` make a shorter run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use vanban::index::{Archive, SearchRequest};

const PAGE_QUERIES: usize = 300;
const TARGET_P95_MS: f64 = 50.0;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-search-index");
    if !dir.join("bench-built.txt").exists() {
        println!(
            "serve bench: no benchmark index in {}; run `VANBAN_SHARED=/work/shared cargo bench --bench search` first (bench/serve.sh does); skipped",
            dir.display()
        );
        return;
    }
    let seconds: u64 = env_number("SERVE_BENCH_SECONDS", 30);
    let clients: usize = env_number("SERVE_BENCH_CLIENTS", 50);
    println!("load average at start: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());

    let archive = Archive::open_read_only(&dir).expect("open the benchmark index");
    let (queries, documents) = workload(&archive);
    println!("index: {} ({} queries, {} document pages in the workload)", dir.display(), queries.len(), documents.len());

    let server = Server::start(&dir);
    let targets: Vec<String> = queries.iter().map(|q| format!("/?q={}", encode(q))).collect();
    let mut client = Client::connect(server.addr);
    for target in targets.iter().take(20) {
        client.get(target).expect("warm-up request"); // page cache, term dictionaries
    }
    let mut page_ms = Vec::with_capacity(targets.len());
    for target in &targets {
        let started = Instant::now();
        let status = client.get(target).expect("search page");
        assert_eq!(status, 200, "{target}");
        page_ms.push(ms(started.elapsed()));
    }
    let mut baseline_ms = Vec::with_capacity(queries.len());
    for query in &queries {
        let started = Instant::now();
        let request = SearchRequest { query: query.clone(), limit: 20, facets: true, ..SearchRequest::default() };
        archive.search(&request).expect("baseline search");
        baseline_ms.push(ms(started.elapsed()));
    }
    let (p50, p95, max) = percentiles(&mut page_ms);
    let (b50, b95, _) = percentiles(&mut baseline_ms);
    println!(
        "search page ({} requests, one client): p50 {p50:.2} ms, p95 {p95:.2} ms, max {max:.2} ms (target p95 ≤ {TARGET_P95_MS} ms: {})",
        page_ms.len(),
        if p95 <= TARGET_P95_MS { "met" } else { "MISSED" }
    );
    println!(
        "  baseline Archive::search in-process (same queries, facets, 20 hits): p50 {b50:.2} ms, p95 {b95:.2} ms; ratio p95 {:.2}×",
        p95 / b95.max(1e-6)
    );

    let mut mixed = targets.clone();
    mixed.extend(documents.iter().map(|id| format!("/document/{id}")));
    let load = run_load(server.addr, &mixed, clients, Duration::from_secs(seconds));
    let mut latencies = load.latencies.lock().unwrap().clone();
    let (l50, l95, lmax) = percentiles(&mut latencies);
    let requests = load.ok.load(Ordering::Relaxed) + load.errors.load(Ordering::Relaxed);
    let errors = load.errors.load(Ordering::Relaxed);
    println!(
        "load: {clients} clients for {seconds} s: {requests} requests, {errors} errors, {:.0} requests/s; p50 {l50:.1} ms, p95 {l95:.1} ms, max {lmax:.1} ms ({})",
        requests as f64 / seconds as f64,
        if errors == 0 && requests > 0 { "no errors: met" } else { "ERRORS: MISSED" }
    );
    if let Some(first) = load.first_error.lock().unwrap().as_ref() {
        println!("  first error: {first}");
    }
    println!("load average at end: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Queries a clerk would type, taken from the index itself: document numbers (the
/// document and those citing it), two or three words of subjects with and without their
/// diacritics, and a type filter; plus record ids for the document pages.
fn workload(archive: &Archive) -> (Vec<String>, Vec<String>) {
    let all = archive
        .search(&SearchRequest { query: "*".into(), limit: 2_000, ..SearchRequest::default() })
        .expect("list the index");
    let mut queries = Vec::new();
    let mut documents = Vec::new();
    for (i, hit) in all.hits.iter().enumerate().step_by((all.hits.len() / PAGE_QUERIES).max(1)) {
        if queries.len() >= PAGE_QUERIES {
            break;
        }
        documents.push(hit.record_id.clone());
        if let Some(number) = &hit.number {
            queries.push(number.clone());
        }
        let words: Vec<&str> = hit.subject.as_deref().unwrap_or("").split_whitespace().filter(|w| w.chars().count() > 2).collect();
        if words.len() >= 3 {
            let start = i % (words.len() - 2);
            let phrase = words[start..start + 2 + i % 2].join(" ");
            queries.push(phrase.clone());
            queries.push(vanban::viet::fold(&phrase).to_lowercase());
        }
        if let Some(doc_type) = &hit.doc_type {
            if i % 5 == 0 {
                queries.push(format!("type:\"{doc_type}\" {}", words.first().copied().unwrap_or("")));
            }
        }
    }
    queries.truncate(PAGE_QUERIES);
    assert!(queries.len() >= 50, "too few queries from the index");
    (queries, documents)
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(index: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("OMP_THREAD_LIMIT", "1")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start vanban serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("serve banner");
        let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).and_then(|a| a.parse().ok());
        Server { addr: addr.unwrap_or_else(|| panic!("no address in {line:?}")), child }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A keep-alive HTTP/1.1 client: enough for responses with a Content-Length.
struct Client {
    reader: BufReader<TcpStream>,
    addr: SocketAddr,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        stream.set_nodelay(true).unwrap();
        Client { reader: BufReader::new(stream), addr }
    }

    /// Sends one GET and reads the whole response; returns its status.
    fn get(&mut self, target: &str) -> std::io::Result<u16> {
        let request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        self.reader.get_mut().write_all(request.as_bytes())?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad(&format!("status line {line:?}")))?;
        let mut length = None;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(bad("connection closed in the headers"));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<u64>().ok();
                }
            }
        }
        let length = length.ok_or_else(|| bad("no Content-Length"))?;
        std::io::copy(&mut (&mut self.reader).take(length), &mut std::io::sink())?;
        Ok(status)
    }
}

fn bad(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string())
}

#[derive(Default)]
struct Load {
    ok: AtomicU64,
    errors: AtomicU64,
    latencies: Mutex<Vec<f64>>,
    first_error: Mutex<Option<String>>,
}

fn run_load(addr: SocketAddr, targets: &[String], clients: usize, length: Duration) -> Arc<Load> {
    let load = Arc::new(Load::default());
    let stop = Arc::new(AtomicBool::new(false));
    let targets = Arc::new(targets.to_vec());
    let threads: Vec<_> = (0..clients)
        .map(|n| {
            let (load, stop, targets) = (Arc::clone(&load), Arc::clone(&stop), Arc::clone(&targets));
            std::thread::spawn(move || {
                let mut client = Client::connect(addr);
                let mut latencies = Vec::new();
                let mut i = n * 7;
                while !stop.load(Ordering::Relaxed) {
                    let target = &targets[i % targets.len()];
                    i += 1;
                    let started = Instant::now();
                    match client.get(target) {
                        Ok(200) => {
                            load.ok.fetch_add(1, Ordering::Relaxed);
                            latencies.push(ms(started.elapsed()));
                        }
                        outcome => {
                            load.errors.fetch_add(1, Ordering::Relaxed);
                            load.first_error.lock().unwrap().get_or_insert_with(|| format!("{target}: {outcome:?}"));
                            client = Client::connect(addr);
                        }
                    }
                }
                load.latencies.lock().unwrap().extend(latencies);
            })
        })
        .collect();
    std::thread::sleep(length);
    stop.store(true, Ordering::Relaxed);
    for thread in threads {
        thread.join().expect("client thread");
    }
    load
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentiles(times: &mut [f64]) -> (f64, f64, f64) {
    if times.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    (at(0.5), at(0.95), times[times.len() - 1])
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
