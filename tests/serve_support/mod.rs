//! For the `vanban serve` tests: an archive ingested from the repository's sample scans
//! (real OCR, once per test binary), the real binary serving it on a free loopback port,
//! and a raw HTTP/1.1 client that can also send what no well-behaved client would.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

pub fn vanban() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vanban"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("VANBAN_INDEX").env("OMP_THREAD_LIMIT", "1");
    cmd
}

/// The sample corpus (PNG, JPEG, TIFF, PDF and a text file), ingested afresh once per test
/// binary into cargo's scratch folder for tests (so that nothing is left in /tmp).
pub fn sample_index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sample-index-{}", env!("CARGO_CRATE_NAME")));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove the previous sample index");
        }
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        ingest(&dir, &corpus);
        dir
    })
}

/// Runs `vanban --index DIR ingest FOLDER` and insists that every file went in.
pub fn ingest(index: &Path, folder: &Path) {
    let out = vanban().arg("--index").arg(index).arg("ingest").arg(folder).output().expect("run vanban ingest");
    assert!(out.status.success(), "ingest failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// `vanban serve` on a free loopback port; stopped when dropped (so never keep one in a
/// static, which is never dropped).
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    pub fn start(index: &Path) -> Server {
        Server::start_with(index, &[])
    }

    /// `vanban serve` with extra arguments (`--timeout 2`, `--max-connections 40`).
    pub fn start_with(index: &Path, extra: &[&str]) -> Server {
        Server::start_on(index, "127.0.0.1:0", extra)
    }

    /// `vanban serve --addr ADDR`; with an unspecified address (0.0.0.0:0) `addr` is the
    /// banner's, which the caller replaces by one of this machine's addresses.
    pub fn start_on(index: &Path, listen: &str, extra: &[&str]) -> Server {
        let mut child = vanban()
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", listen])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start vanban serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read the serve banner");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in the serve banner {line:?}"));
        Server { child, addr }
    }

    pub fn url(&self, target: &str) -> String {
        format!("http://{}{target}", self.addr)
    }

    pub fn get(&self, target: &str) -> Response {
        self.raw(format!("GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).as_bytes())
    }

    /// Sends `request` as it is and reads the whole response.
    pub fn raw(&self, request: &[u8]) -> Response {
        let mut stream = TcpStream::connect(self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        // The server may answer and close before reading all of a hostile request.
        let _ = stream.write_all(request);
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Response::parse(&bytes).unwrap_or_else(|| panic!("no HTTP response to {:?}", String::from_utf8_lossy(&request[..request.len().min(200)])))
    }

    pub fn json(&self, target: &str) -> serde_json::Value {
        let response = self.get(target);
        assert_eq!(response.status, 200, "{target}: {}", response.text());
        serde_json::from_slice(&response.body).unwrap_or_else(|e| panic!("{target}: not JSON ({e}): {}", response.text()))
    }

    /// The record id of the sample whose file name ends with `suffix`.
    pub fn record_id(&self, suffix: &str) -> String {
        let all = self.json("/api/search");
        all["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|hit| hit["path"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no record for {suffix} in {all}"))["record_id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("poll the server").is_none()
    }

    /// The server's process id (to read its memory in /proc).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Option<Response> {
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&bytes[..split]);
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let raw_body = &bytes[split + 4..];
        let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked { dechunk(raw_body) } else { raw_body.to_vec() };
        Some(Response { status, headers, body })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The body of a `Transfer-Encoding: chunked` answer, its chunks joined.
pub fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&body[start..(start + size).min(body.len())]);
        body = &body[(start + size + 2).min(body.len())..];
    }
    out
}

/// Percent-encodes a query value.
pub fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
