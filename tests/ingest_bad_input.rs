//! A folder with every kind of bad file a clerk's share holds, mixed with good ones:
//! each bad file gets one error line naming it and the reason, the batch goes on, the
//! good files are ingested, and the exit status is 3. Fixtures are made here, at test
//! time. (We run as root, who can read a chmod-000 file, so "unreadable" is tested
//! with a dangling symbolic link and a symbolic-link loop.)

mod ingest_support;
use ingest_support::*;

use std::path::Path;

/// CRC-32 (IEEE) for the hand-made PNG chunks.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A valid PNG header claiming 30000×30000 gray pixels (900 MB), with almost no data.
fn huge_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    png_chunk(&mut png, b"IHDR", &ihdr);
    png_chunk(&mut png, b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    png_chunk(&mut png, b"IEND", &[]);
    png
}

/// The bad files, each with a word its error line must contain.
fn make_bad_files(dir: &Path) -> Vec<(&'static str, &'static str)> {
    std::fs::write(dir.join("rỗng.png"), b"").unwrap();
    let jpeg = std::fs::read(corpus().join("cv-3456-ubnd.jpg")).unwrap();
    std::fs::write(dir.join("truncated.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
    std::fs::write(dir.join("not-an-image.png"), "Quyết định số 1582/QĐ-UBND\n").unwrap();
    std::fs::write(
        dir.join("no-pages.pdf"),
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    )
    .unwrap();
    std::fs::write(dir.join("huge.png"), huge_png()).unwrap();
    // "Quyết định" in Windows-1258-ish single bytes: not UTF-8.
    std::fs::write(dir.join("latin1.txt"), b"Quy\xeat \xf0\xecnh s\xf4 12\n").unwrap();
    std::os::unix::fs::symlink(dir.join("đã xóa.png"), dir.join("mất liên kết.png")).unwrap();
    vec![
        ("rỗng.png", "empty"),
        ("truncated.jpg", "truncated"),
        ("not-an-image.png", "text"),
        ("no-pages.pdf", "no pages"),
        ("huge.png", "30000×30000"),
        ("latin1.txt", "UTF-8"),
        ("mất liên kết.png", "does not exist"),
    ]
}

fn make_good_files(dir: &Path) {
    copy_corpus(dir, &["qd-1582-ubnd.png"]);
    std::fs::rename(dir.join("qd-1582-ubnd.png"), dir.join("Quyết định 1582 bản quét.png")).unwrap();
    let sub = dir.join("thư mục con");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("Công văn số 12.txt"), "Số: 12/UBND-VP\nKính gửi: Sở Nội vụ\n").unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("Thông báo số 45-TB/HU".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(sub.join("utf16.txt"), utf16).unwrap();
}

fn assert_each_bad_file_named_once(stderr: &str, bad: &[(&str, &str)]) {
    let error_lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("vanban: ")).collect();
    assert_eq!(error_lines.len(), bad.len(), "one line per bad file:\n{stderr}");
    for (name, reason) in bad {
        let lines: Vec<&&str> = error_lines.iter().filter(|l| l.contains(&format!("/{name}: "))).collect();
        assert_eq!(lines.len(), 1, "{name} named once:\n{stderr}");
        assert!(lines[0].contains(reason), "{name}: reason should mention {reason:?}: {}", lines[0]);
    }
}

#[test]
fn bad_files_are_named_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir(&scans).unwrap();
    let bad = make_bad_files(&scans);
    make_good_files(&scans);
    let out = ingest(&scans, &dir.path().join("index"), &["--dry-run"]);
    assert_eq!(out.status, 3, "exit status 3 when a file failed:\n{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_each_bad_file_named_once(&out.stderr, &bad);
    assert_eq!(summary(&out.stderr), (3, 3, 0, bad.len()));
    let docs = records(&out.stdout);
    let mut names: Vec<&str> = docs.iter().map(|d| d.source_path.rsplit('/').next().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["Công văn số 12.txt", "Quyết định 1582 bản quét.png", "utf16.txt"]);
    let utf16 = docs.iter().find(|d| d.source_path.ends_with("utf16.txt")).unwrap();
    assert_eq!(utf16.pages[0].raw_text, "Thông báo số 45-TB/HU");
}

#[test]
fn good_files_beside_bad_ones_reach_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir(&scans).unwrap();
    let bad = make_bad_files(&scans);
    make_good_files(&scans);
    let index = dir.path().join("index");
    let out = ingest(&scans, &index, &[]);
    assert_eq!(out.status, 3, "{}", out.stderr);
    assert_each_bad_file_named_once(&out.stderr, &bad);
    assert_eq!(summary(&out.stdout), (3, 3, 0, bad.len()));
    let archive = vanban::index::Archive::open_read_only(&index).unwrap();
    assert_eq!(archive.records().unwrap().len(), 3);
    // The bad files fail again on a rerun (nothing about them was recorded as done);
    // the good ones are skipped as unchanged.
    let again = ingest(&scans, &index, &[]);
    assert_eq!(again.status, 3);
    assert_eq!(summary(&again.stdout), (0, 0, 3, bad.len()));
}

#[test]
fn a_missing_folder_is_a_fatal_error_with_status_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = ingest(&dir.path().join("không có"), &dir.path().join("index"), &[]);
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("không có") && out.stderr.contains("no such folder"), "{}", out.stderr);
}
