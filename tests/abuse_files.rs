//! The command line against hostile inputs and kills (issue 16, findings 1, 2, 5, 6, 8
//! and 9): each test builds its inputs at run time, runs the real binary, and checks what
//! a clerk relies on afterwards.

#[path = "abuse_support/mod.rs"]
mod abuse;
mod ingest_support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use ingest_support::{ingest, run, summary, vanban, Run};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_vanban")
}

/// A small archive (no OCR) in a temporary folder.
fn small_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    abuse::build_archive(&dir.path().join("index"), 12, 4, 20);
    dir
}

/// Finding 1, on the command line: the parser recursed once per `(`/`NOT` and per stray
/// `)`, so a query of a few hundred of them overflowed a small main stack. Under
/// `ulimit -s 1024` every such query now gets an answer or exit status 2.
#[test]
fn deep_queries_exit_2_even_on_a_one_megabyte_stack() {
    let dir = small_archive();
    let index = dir.path().join("index");
    let search = |query: &str| -> Run {
        run(Command::new("sh")
            .args(["-c", "ulimit -s 1024 && exec \"$0\" \"$@\""])
            .arg(bin())
            .arg("--index")
            .arg(&index)
            .args(["search", "--", query])
            .env("OMP_THREAD_LIMIT", "1"))
    };
    let closers = search(&format!("chuyển{}", ")".repeat(990)));
    assert_eq!(closers.status, 0, "stray `)` are dropped: {}", closers.stderr);
    for deep in [format!("{}chuyển", "(".repeat(990)), format!("{}chuyển", "NOT ".repeat(240)), format!("{}chuyển", "-(".repeat(400))] {
        let out = search(&deep);
        assert_eq!(out.status, 2, "{}…: {}", &deep[..8], out.stderr);
        assert!(out.stderr.contains("32 deep"), "{}", out.stderr);
    }
    let huge = search(&"(".repeat(100_000));
    assert_eq!(huge.status, 2, "{}", huge.stderr);
    assert!(huge.stderr.contains("100000 characters"), "{}", huge.stderr);
}

/// Finding 9: a query may start with `-` (exclude a word) without `--`.
#[test]
fn a_query_may_start_with_a_minus() {
    let dir = small_archive();
    let index = dir.path().join("index");
    let out = run(&mut vanban(&["search", "-khéo", "chuyển", "--json"], &index));
    assert_eq!(out.status, 0, "{}", out.stderr);
    let results: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(results["total"], 12, "{}", out.stdout);
    let dashed = run(Command::new(bin()).arg("--index").arg(&index).args(["search", "--limit", "2", "--", "-khéo", "chuyển"]));
    assert_eq!(dashed.status, 0, "{}", dashed.stderr);
}

/// Finding 9: impossible dates are refused, on the command line and in the query.
#[test]
fn impossible_dates_are_refused() {
    let dir = small_archive();
    let index = dir.path().join("index");
    for args in [
        vec!["search", "chuyển", "--from", "2025-02-30"],
        vec!["search", "chuyển", "--to", "31/4/2024"],
        vec!["search", "date:2023-02-29"],
    ] {
        let out = run(&mut vanban(&args, &index));
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("not a date") || out.stderr.contains("not understood"), "{}", out.stderr);
    }
    assert_eq!(run(&mut vanban(&["search", "chuyển", "--from", "2024-02-29"], &index)).status, 0);
}

/// Finding 2: `export --out FILE` truncated FILE before writing, so a kill midway left it
/// empty. Killed at moments spread over a whole export, FILE is always either what it was
/// before or the complete new export.
#[test]
fn a_killed_export_leaves_the_old_file_whole() {
    let archive = abuse::bulky_archive();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("trich-dan.csv");
    let export = |file: &Path, format: &str| {
        let mut cmd = Command::new(bin());
        cmd.arg("--index").arg(archive).args(["export", "--format", format, "--out"]).arg(file);
        cmd
    };
    let full = dir.path().join("full.csv");
    let start = Instant::now();
    assert!(export(&full, "csv").status().unwrap().success());
    let took = start.elapsed();
    let complete = std::fs::read(&full).unwrap();
    assert!(complete.len() > 1_000_000, "a large export: {} bytes", complete.len());
    assert!(export(&out, "json").status().unwrap().success());
    let mut before = std::fs::read(&out).unwrap();
    for round in 0..6u32 {
        let mut child = export(&out, "csv").stdout(Stdio::null()).spawn().unwrap();
        // From early in the run to its end.
        std::thread::sleep(took.mul_f64(f64::from(round) / 6.0 + 0.05));
        let _ = child.kill();
        child.wait().unwrap();
        let now = std::fs::read(&out).unwrap();
        assert!(now == before || now == complete, "round {round}: {} bytes, neither the old file nor the new one", now.len());
        before = now;
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(leftovers.len() <= 2 + 6, "at most a hidden temporary file per kill: {leftovers:?}");
}

/// Finding 7, on the command line: `vanban export --format csv` writes a cell that would
/// start a formula with `'` first; `--format jsonl` keeps the text as it is.
#[test]
fn exported_csv_holds_no_formula() {
    let archive = abuse::bulky_archive();
    let export = |format: &str| -> String {
        let out = run(Command::new(bin()).arg("--index").arg(archive).args(["export", "--format", format]));
        assert_eq!(out.status, 0, "{}", out.stderr);
        out.stdout
    };
    let csv = export("csv");
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader.records().flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>()).collect();
    assert!(cells.iter().all(|c| !c.starts_with(['=', '+', '-', '@', '\t', '\r'])), "a cell starts a formula");
    let jsonl = export("jsonl");
    for hostile in abuse::HOSTILE_CONTEXTS {
        assert!(cells.contains(&format!("'{hostile}")), "{hostile} is kept, neutralized");
        assert!(jsonl.contains(&serde_json::to_string(hostile).unwrap()), "JSON lines keep {hostile} as it is");
    }
}

/// Finding 5, text: a 50 MB text was accepted (2.3 GB of memory, a 128 MB record). A text
/// over the limit is refused, naming the file and the limit.
#[test]
fn an_oversized_text_is_refused_with_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    let line = "Thực hiện Kế hoạch số 107/KH-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh về chuyển đổi số.\n";
    std::fs::write(scans.join("qua-lon.txt"), line.repeat((5 << 20) / line.len() + 1)).unwrap();
    std::fs::write(scans.join("binh-thuong.txt"), line).unwrap();
    let out = ingest(&scans, &dir.path().join("index"), &[]);
    assert_eq!(out.status, 3, "{}", out.stderr);
    assert_eq!(summary(&out.stdout), (1, 1, 0, 1));
    let error = out.stderr.lines().find(|l| l.contains("qua-lon.txt")).expect("an error line names the file");
    assert!(error.contains("over the limit of 4 MB"), "{error}");
}

/// Finding 5, images: pages are priced before they are decoded, pages over the size limit
/// are refused from their header, and two big pages are never OCR'd at once, so ingest at
/// the default jobs stays within 500 MB (two 50-megapixel pages on two workers took 530 MB;
/// three 100-megapixel PNGs 897 MB).
#[test]
fn big_pages_are_priced_before_decoding_and_memory_stays_under_500_mb() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    write_page_png(&scans.join("qua-lon.png"), 10_000, 10_000);
    for name in ["a1.png", "a2.png"] {
        write_page_png(&scans.join(name), 7_000, 7_100);
    }
    let mut cmd = Command::new(bin());
    cmd.arg("--index").arg(dir.path().join("index")).arg("ingest").arg(&scans).env_remove("VANBAN_INDEX");
    let out = run(&mut cmd);
    let peak = abuse::children_peak_rss_mb();
    eprintln!("ingest of two 50-megapixel pages and one of 100 at the default jobs: peak {peak} MB");
    assert_eq!(out.status, 3, "{}", out.stderr);
    assert_eq!(summary(&out.stdout), (2, 2, 0, 1));
    let refused = out.stderr.lines().find(|l| l.contains("qua-lon.png")).expect("the big page is named");
    assert!(refused.contains("10000×10000") && refused.contains("70 megapixels"), "{refused}");
    assert!(peak <= 500, "ingest peaked at {peak} MB");
}

/// A white page with a few black bars, gray, as a scanner would write it.
fn write_page_png(path: &Path, width: u32, height: u32) {
    let mut page = image::GrayImage::from_pixel(width, height, image::Luma([255]));
    for y in (800..1400).step_by(60) {
        for dy in 0..30 {
            for x in 700..width.min(5000) {
                if (x / 40) % 2 == 0 {
                    page.put_pixel(x, y + dy, image::Luma([0]));
                }
            }
        }
    }
    page.save(path).unwrap();
}

/// Finding 6: a kill during the re-ingest of changed files left record files holding the
/// new, never committed text: `show` and `export` returned it, `search` did not, and no
/// later run repaired it. Killed at several moments of such a re-ingest (each after a
/// record was written), then rerun on the restored files, the archive must agree with
/// itself everywhere.
#[test]
fn a_kill_during_reingest_never_leaves_records_and_index_disagreeing() {
    const FILES: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    let index = dir.path().join("index");
    std::fs::create_dir_all(&scans).unwrap();
    let write_all = |version: &str| {
        for i in 0..FILES {
            let text = format!(
                "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\nSố: {n}/KH-UBND\nKẾ HOẠCH\nvề chuyển đổi số, bản {version}\n\
                 Thực hiện Kế hoạch số {m}/KH-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh, bản {version}.\n",
                n = i + 1,
                m = 500 + i
            );
            std::fs::write(scans.join(format!("kh-{i:02}.txt")), text).unwrap();
        }
    };
    write_all("phienbanA");
    let first = ingest(&scans, &index, &[]);
    assert_eq!(first.status, 0, "{}", first.stderr);

    for round in 0..4u64 {
        write_all("phienbanB");
        let records_dir = index.join("records");
        let started = SystemTime::now();
        let mut child = vanban(&["ingest", scans.to_str().unwrap(), "--jobs", "2"], &index)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the rerun has written a record, then let it go on a little.
        let deadline = Instant::now() + Duration::from_secs(60);
        while !written_since(&records_dir, started) && Instant::now() < deadline && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(round * 15));
        let _ = child.kill();
        child.wait().unwrap();

        write_all("phienbanA");
        let rerun = ingest(&scans, &index, &[]);
        assert_eq!(rerun.status, 0, "round {round}: {}", rerun.stderr);
        assert_agrees(&index, FILES, "phienbanA", "phienbanB");
    }
}

fn written_since(dir: &Path, since: SystemTime) -> bool {
    std::fs::read_dir(dir).into_iter().flatten().flatten().any(|e| e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t > since))
}

/// `show`, `export` and `search` all say the same: every document holds `current` and
/// none holds `stale`.
fn assert_agrees(index: &Path, files: usize, current: &str, stale: &str) {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = run(&mut vanban(args, index));
        assert_eq!(out.status, 0, "{args:?}: {}", out.stderr);
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", out.stdout))
    };
    let found = json(&["search", current, "--json", "--limit", "100"]);
    assert_eq!(found["total"], files, "search finds every document's current text");
    let exact = |results: &serde_json::Value| results["hits"].as_array().unwrap().iter().filter(|h| h["fuzzy"] == false).count();
    assert_eq!(exact(&found), files);
    // (A word found nowhere falls back to words one letter away, marked fuzzy.)
    assert_eq!(exact(&json(&["search", stale, "--json", "--limit", "100"])), 0, "search finds no stale text");
    for hit in found["hits"].as_array().unwrap() {
        let record = json(&["show", hit["record_id"].as_str().unwrap(), "--json"]);
        let text = record["pages"][0]["raw_text"].as_str().unwrap();
        assert!(text.contains(current) && !text.contains(stale), "show disagrees with search: {text}");
    }
    let export = run(&mut vanban(&["export", "--format", "jsonl"], index));
    let rows: Vec<serde_json::Value> = export.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let citing: HashSet<&str> = rows.iter().map(|r| r["citing_record_id"].as_str().unwrap()).collect();
    assert_eq!(citing.len(), files);
    for row in &rows {
        let context = row["context"].as_str().unwrap();
        assert!(!context.contains(stale), "export disagrees with search: {context}");
    }
}

/// Finding 8: a Vietnamese text quoting `%PDF-1.4` was refused as a PDF; an unaccented
/// UTF-16LE text without a BOM was indexed as UTF-8 full of NUL bytes. Both are read as
/// the text they are; bytes that are not text are refused with the reason.
#[test]
fn text_is_told_by_its_content_and_utf16_without_a_bom_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    std::fs::write(
        scans.join("ghi-chu.txt"),
        "%PDF-1.4 là định dạng của tệp đính kèm.\nThực hiện Kế hoạch số 107/KH-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh.\n",
    )
    .unwrap();
    let unaccented = "Thuc hien Ke hoach so 108/KH-UBND ngay 10/3/2025 cua Uy ban nhan dan tinh.\n";
    let utf16: Vec<u8> = unaccented.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(scans.join("utf16.txt"), utf16).unwrap();
    std::fs::write(scans.join("nhi-phan.txt"), b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe\x00\x00\x13\x37").unwrap();
    let index = dir.path().join("index");
    let out = ingest(&scans, &index, &[]);
    assert_eq!(out.status, 3, "{}", out.stderr);
    assert_eq!(summary(&out.stdout), (2, 2, 0, 1), "{}", out.stderr);
    let refused = out.stderr.lines().find(|l| l.contains("nhi-phan.txt")).expect("the binary file is named");
    assert!(refused.contains("zero bytes"), "{refused}");
    let records = vanban::index::Archive::open_read_only(&index).unwrap().records().unwrap();
    let utf16_record = records.iter().find(|r| r.source_path.ends_with("utf16.txt")).unwrap();
    assert_eq!(utf16_record.pages[0].raw_text, unaccented, "decoded, not NUL-ridden");
    for (name, number) in [("ghi-chu.txt", "107/KH-UBND"), ("utf16.txt", "108/KH-UBND")] {
        let record = records.iter().find(|r| r.source_path.ends_with(name)).unwrap();
        let cited: Vec<String> = record.citations.iter().filter_map(|c| c.id.as_ref().map(|id| id.to_string())).collect();
        assert!(cited.contains(&number.to_string()), "{name}: {cited:?}");
    }
}

/// Finding 9: a file name holding a newline forged a second `vanban:` error line; hidden
/// files were skipped without a word; two links to one file counted as 3 ingested.
#[test]
fn error_lines_stay_one_line_and_the_summary_tells_what_was_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    let text = "Thực hiện Kế hoạch số 107/KH-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh.\n";
    std::fs::write(scans.join("a.txt"), text).unwrap();
    std::os::unix::fs::symlink(scans.join("a.txt"), scans.join("b.txt")).unwrap();
    std::os::unix::fs::symlink(scans.join("a.txt"), scans.join("c.txt")).unwrap();
    std::fs::write(scans.join(".nhap.txt"), text).unwrap();
    let forged: PathBuf = scans.join("x.png\nvanban: y.png: forged line\x1b[2K.png");
    std::fs::write(&forged, "not a png").unwrap();
    let out = ingest(&scans, &dir.path().join("index"), &[]);
    assert_eq!(out.status, 3, "{}", out.stderr);
    assert_eq!(summary(&out.stdout), (1, 1, 0, 1), "one file read once, one refused:\n{}\n{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(lines.iter().all(|l| l.starts_with("vanban: ")), "every line is a message: {lines:?}");
    assert!(!out.stderr.contains('\x1b'), "no terminal escape reaches the terminal");
    let bad = lines.iter().filter(|l| l.contains("forged line")).count();
    assert_eq!(bad, 1, "the forged name stays on its own line: {lines:?}");
    assert!(lines.iter().any(|l| l.contains("x.png\\u{a}vanban: y.png")), "{lines:?}");
    assert_eq!(lines.iter().filter(|l| l.contains("the same file as")).count(), 2, "{lines:?}");
    assert!(out.stdout.contains("passed over 1 hidden") && out.stdout.contains(".nhap.txt"), "{}", out.stdout);
    assert!(out.stdout.contains("2 path(s) led to a file already read"), "{}", out.stdout);
}
