//! `vanban serve` against hostile clients (issue 16, findings 1, 3, 4 and 7), on loopback,
//! each test bounded in time: one request must not stop the server, idle or slow clients
//! must not hold it, and many expensive requests at once must neither exhaust memory nor
//! stop others from being answered.

#[path = "abuse_support/mod.rs"]
mod abuse;
#[path = "serve_support/mod.rs"]
mod serve;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serve::{enc, Server};

/// The server is alive and answers an ordinary search.
fn answers(server: &mut Server) {
    assert!(server.is_running(), "the server died");
    let response = server.get("/api/search?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i");
    assert_eq!(response.status, 200, "{}", response.text());
}

/// Finding 1: `q=a` followed by 481 or more `)` overflowed a worker's stack and aborted
/// the whole server; so did deep `(` and `NOT` nesting, on every endpoint taking `q`.
#[test]
fn deep_and_huge_queries_get_an_answer_and_the_server_lives() {
    let mut server = Server::start(abuse::bulky_archive());
    let closers = format!("a{}", ")".repeat(999));
    let openers = format!("{}a", "(".repeat(999));
    let nots = format!("{}a", "NOT ".repeat(240));
    let dashes = format!("{}a", "-(".repeat(400));
    for endpoint in ["/api/search", "/", "/api/export/crossref"] {
        // Stray `)` are dropped with a notice, however many.
        let response = server.get(&format!("{endpoint}?q={}", enc(&closers)));
        assert_eq!(response.status, 200, "{endpoint} with 999 `)`: {}", response.text());
        for deep in [&openers, &nots, &dashes] {
            let response = server.get(&format!("{endpoint}?q={}", enc(deep)));
            assert_eq!(response.status, 400, "{endpoint} with {:?}…: {}", &deep[..12], response.text());
            assert!(response.text().contains("32"), "the message names the limit: {}", response.text());
        }
        answers(&mut server);
    }
    // A hundred made-up words: at most 8 are looked for within one letter.
    let made_up: Vec<String> = (0..100u8).map(|i| format!("qx{}{}zv", (b'a' + i / 26) as char, (b'a' + i % 26) as char)).collect();
    let fuzzy = server.json(&format!("/api/search?q={}", enc(&made_up.join(" "))));
    let notices = fuzzy["notices"].as_array().unwrap();
    // The API's notices are in Vietnamese, as the page shows them.
    assert_eq!(notices.iter().filter(|n| n.as_str().unwrap().starts_with("Không văn bản nào chứa")).count(), 8, "{notices:?}");
    assert!(notices.iter().any(|n| n.as_str().unwrap().starts_with("Có hơn 8 từ")), "{notices:?}");
    // 100,000 parentheses: far over the request-target limit, refused before parsing.
    let huge = format!("GET /api/search?q={}a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "%28".repeat(100_000));
    let response = server.raw(huge.as_bytes());
    assert!([414, 431].contains(&response.status), "{}", response.status);
    answers(&mut server);
}

/// Finding 3: idle connections were never closed, and 20,000 of them used up the file
/// limit. Now a connection that sends nothing, or stays idle after an answer, or sends
/// its request head a byte at a time, is closed after `--timeout`; beyond
/// `--max-connections` a new one gets 503 at once; and the server serves again as soon as
/// the idle ones are gone.
#[test]
fn idle_slow_and_surplus_connections_are_bounded() {
    let mut server = Server::start_with(abuse::bulky_archive(), &["--timeout", "2", "--max-connections", "40"]);
    let closed_within = |mut stream: TcpStream| -> Duration {
        let start = Instant::now();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
        start.elapsed()
    };
    // Silent from the start.
    let silent = TcpStream::connect(server.addr).unwrap();
    assert!(closed_within(silent) < Duration::from_secs(10));
    // Idle after one answer (keep-alive).
    let mut kept = TcpStream::connect(server.addr).unwrap();
    kept.write_all(b"GET /api/search?q=x HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut first = [0u8; 16];
    kept.read_exact(&mut first).unwrap();
    assert!(first.starts_with(b"HTTP/1.1 200"));
    assert!(closed_within(kept) < Duration::from_secs(10));
    // A request head sent one byte every 200 ms never completes in time.
    let mut slow = TcpStream::connect(server.addr).unwrap();
    let start = Instant::now();
    let mut cut = false;
    for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Padding: ".iter().chain([b'a'; 200].iter()) {
        if slow.write_all(&[*byte]).is_err() {
            cut = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(cut, "a slow request head was let run for {:?}", start.elapsed());
    assert!(start.elapsed() < Duration::from_secs(15));

    // Fill the cap with idle connections: the next one is told to come back.
    let idle: Vec<TcpStream> = (0..40).map(|_| TcpStream::connect(server.addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let refused = server.get("/api/search?q=x");
    assert_eq!(refused.status, 503, "{}", refused.text());
    assert_eq!(refused.header("retry-after"), Some("5"));
    // Once the idle ones time out, everyone is served again.
    std::thread::sleep(Duration::from_secs(3));
    answers(&mut server);
    drop(idle);
}

/// Finding 4: 200 concurrent downloads of the whole archive held 6.35 GB, and the memory
/// stayed taken. Now downloads take turns (503 with Retry-After beyond them), each streams
/// one record at a time, every download that runs is complete, and others are answered.
#[test]
fn many_concurrent_downloads_are_streamed_in_turns_with_flat_memory() {
    let archive = abuse::bulky_archive();
    let mut server = Server::start(archive);
    let whole = server.get("/api/export/crossref?format=csv");
    assert_eq!(whole.status, 200);
    let rows = whole.text().lines().count();
    assert_eq!(rows, 1 + 300 * 20, "a header and one row per citation");
    let before = abuse::rss_mb(server.pid()).unwrap_or(0);

    let addr = server.addr;
    let clients: Vec<_> = (0..40)
        .map(|i| {
            std::thread::spawn(move || {
                let format = if i % 2 == 0 { "csv" } else { "json" };
                let request = format!("GET /api/export/crossref?format={format} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
                stream.write_all(request.as_bytes()).unwrap();
                let mut bytes = Vec::new();
                let _ = stream.read_to_end(&mut bytes);
                (format, bytes)
            })
        })
        .collect();
    // Meanwhile, ordinary searches are answered.
    for _ in 0..5 {
        answers(&mut server);
    }
    let (mut complete, mut busy) = (0, 0);
    for client in clients {
        let (format, bytes) = client.join().unwrap();
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(12)]).to_string();
        if head.starts_with("HTTP/1.1 503") {
            assert!(String::from_utf8_lossy(&bytes).to_lowercase().contains("retry-after: 5"));
            busy += 1;
            continue;
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        let body = dechunked(&bytes);
        if format == "csv" {
            assert_eq!(String::from_utf8_lossy(&body).lines().count(), rows, "a complete CSV");
        } else {
            let rows: serde_json::Value = serde_json::from_slice(&body).expect("a complete JSON array");
            assert_eq!(rows.as_array().unwrap().len(), 300 * 20);
        }
        complete += 1;
    }
    assert!(complete >= 4, "at least one round of downloads ran ({complete} complete, {busy} busy)");
    let peak = abuse::peak_rss_mb(server.pid()).unwrap();
    eprintln!("40 concurrent downloads of a 45 MB archive: {complete} complete, {busy} told to retry; server RSS {before} MB before, peak {peak} MB");
    assert!(peak < 400, "the server's memory peaked at {peak} MB");
    answers(&mut server);
}

/// A download whose client stops reading does not keep its turn: the connection times out
/// (`--timeout`) and the next downloads run.
#[test]
fn a_client_that_stops_reading_gives_back_its_turn() {
    let mut server = Server::start_with(abuse::bulky_archive(), &["--timeout", "2"]);
    let started = Instant::now();
    assert_eq!(server.get("/api/export/crossref?format=csv").status, 200);
    let one_download = started.elapsed();
    let request = b"GET /api/export/crossref?format=json HTTP/1.1\r\nHost: x\r\n\r\n";
    let stalled: Vec<TcpStream> = (0..6)
        .map(|_| {
            let mut stream = TcpStream::connect(server.addr).unwrap();
            shrink_receive_buffer(&stream);
            stream.write_all(request).unwrap();
            stream
        })
        .collect();
    // Downloads that are read come through again once the stalled ones have timed out
    // (well before the minute a stalled download may otherwise wait for its client).
    let bound = one_download * 6 + Duration::from_secs(30);
    let start = Instant::now();
    loop {
        let response = server.get("/api/export/crossref?format=csv");
        if response.status == 200 {
            assert_eq!(response.text().lines().count(), 1 + 300 * 20);
            break;
        }
        assert_eq!(response.status, 503, "{}", response.text());
        assert!(start.elapsed() < bound, "stalled downloads kept their turns for {:?}", start.elapsed());
        std::thread::sleep(Duration::from_millis(500));
    }
    answers(&mut server);
    drop(stalled);
}

/// A client socket that holds little unread data, so that a client that does not read
/// makes the server wait at once rather than after megabytes.
fn shrink_receive_buffer(stream: &TcpStream) {
    use std::os::fd::AsRawFd;
    let size: libc::c_int = 4096;
    // SAFETY: setsockopt reads `size` for the call; the descriptor stays open (`stream`).
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            (&size as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

/// Deep result pages cost what the first page does (only the page's hits are read), and
/// pages past the index's limit are refused.
#[test]
fn deep_pages_are_cheap_and_capped() {
    let mut server = Server::start(abuse::bulky_archive());
    let page = server.json("/api/search?q=chuy%E1%BB%83n&page=15");
    let ranks: Vec<u64> = page["hits"].as_array().unwrap().iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (281..=300).collect::<Vec<u64>>());
    assert!(page["hits"][0]["snippets"].as_array().is_some_and(|s| !s.is_empty()));
    assert_eq!(server.get("/api/search?page=501").status, 400);
    assert_eq!(server.get("/?page=99999999999999999999").status, 400);
    answers(&mut server);
}

/// Finding 7: a citation sentence beginning `=HYPERLINK(…)` or `@SUM(…)` went into the
/// CSV as it was, and a spreadsheet would run it. CSV cells now start with `'` then; JSON
/// keeps the text as it is.
#[test]
fn csv_downloads_never_hold_a_formula() {
    let server = Server::start(abuse::bulky_archive());
    let csv = server.get("/api/export/crossref?format=csv");
    let mut reader = csv::ReaderBuilder::new().from_reader(&csv.body[3..]);
    let cells: Vec<String> = reader.records().flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>()).collect();
    for cell in &cells {
        let first = cell.trim_start_matches(' ').chars().next();
        assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')), "a formula cell: {cell:?}");
    }
    for hostile in abuse::HOSTILE_CONTEXTS {
        assert!(cells.contains(&format!("'{hostile}")), "{hostile} is kept, neutralized");
    }
    let json = server.json("/api/export/crossref?format=json");
    let contexts: Vec<&str> = json.as_array().unwrap().iter().map(|row| row["context"].as_str().unwrap()).collect();
    for hostile in abuse::HOSTILE_CONTEXTS {
        assert!(contexts.contains(hostile), "JSON keeps {hostile} as it is");
    }
}

fn dechunked(bytes: &[u8]) -> Vec<u8> {
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head") + 4;
    let head = String::from_utf8_lossy(&bytes[..split]).to_lowercase();
    let body = &bytes[split..];
    if !head.contains("transfer-encoding: chunked") {
        return body.to_vec();
    }
    serve::dechunk(body)
}

/// Paths that climb out of the archive (`..`, encoded or not, absolute, NUL) name no record
/// and no asset: 400 or 404, never a file of the machine, and the server lives.
#[test]
fn paths_that_climb_out_of_the_archive_reach_nothing() {
    let mut server = Server::start(abuse::bulky_archive());
    let climbs = [
        "/api/documents/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/documents/%2Fetc%2Fpasswd",
        "/api/documents/..%2Frecords/citations",
        "/api/documents/..%2F..%2FCargo.toml/pages/1/image",
        "/api/documents/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd/pages/1/image",
        "/api/documents/a%00b",
        "/document/..%2F..%2F..%2Fetc%2Fpasswd",
        "/assets/..%2F..%2F..%2FCargo.toml",
        "/assets/..%2Fserve%2Fmod.rs",
        "/../../../etc/passwd",
        "/assets/../../../../etc/passwd",
    ];
    for target in climbs {
        let response = server.get(target);
        assert!([400, 404].contains(&response.status), "{target}: {} {}", response.status, response.text());
        let body = response.text();
        assert!(!body.contains("root:") && !body.contains("[package]") && !body.contains("fn "), "{target} leaked a file: {body}");
    }
    answers(&mut server);
}
