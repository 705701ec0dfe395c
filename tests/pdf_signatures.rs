//! Digital signatures of the real PDFs: every signed Quảng Ngãi PDF gives its signer,
//! organisation, signing time and a verdict; a copy with one byte changed inside the signed
//! bytes, or with bytes appended after the last signature, is reported as such. The
//! held-out central-government PDFs are checked only as counts.

mod accuracy_support;

use std::path::{Path, PathBuf};

use accuracy_support::{ran, shared};
use vanban::pdf::signature::{self, Coverage, SignerRole, TimeSource, Verification};
use vanban::pdf::Status;

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    all.sort();
    all
}

#[test]
fn every_signed_quang_ngai_pdf_names_its_signer_organisation_and_time_and_verifies() {
    let Some(dir) = shared("pdf-signatures-quangngai", "real-scans/quangngai") else { return };
    let (mut signed, mut signatures, mut persons) = (0, 0, 0);
    for pdf in pdfs(&dir) {
        let report = signature::read(&pdf).unwrap_or_else(|e| panic!("{}: {e:#}", pdf.display()));
        if report.signatures.is_empty() {
            continue;
        }
        signed += 1;
        assert!(report.warnings.is_empty(), "{}: {:?}", pdf.display(), report.warnings);
        for s in &report.signatures {
            signatures += 1;
            persons += (s.role == SignerRole::Person) as usize;
            let name = pdf.display();
            assert!(!s.signer.is_empty(), "{name}: no signer");
            assert!(s.organization.is_some(), "{name}: {} has no organisation", s.signer);
            assert_eq!(s.verification, Verification::Valid, "{name}: {}", s.signer);
            assert_ne!(s.coverage, Coverage::Partial, "{name}: {}", s.signer);
            assert_eq!(s.status(), Status::Valid);
            // Every one of these carries /M with the signer's offset (+07:00).
            assert_eq!(s.time_source, Some(TimeSource::Dictionary), "{name}");
            let time = s.time().unwrap_or_else(|| panic!("{name}: no signing time"));
            assert_eq!(time.offset().whole_hours(), 7, "{name}");
            assert!((2018..=2025).contains(&time.year()), "{name}: {time}");
            assert_eq!(s.byte_ranges.len(), 2);
        }
    }
    assert_eq!(signed, 36);
    ran("pdf-signatures-quangngai", &format!("development: {signed} signed PDFs, {signatures} signatures ({persons} by a person), all valid with signer, organisation and time"));
}

#[test]
fn held_out_signatures_are_counted_only() {
    let Some(dir) = shared("pdf-signatures-held-out", "real-scans/nomvn") else { return };
    let (mut signed, mut valid, mut total, mut with_time) = (0, 0, 0, 0);
    for pdf in pdfs(&dir) {
        let report = signature::read(&pdf).expect("pdfsig runs");
        signed += !report.signatures.is_empty() as usize;
        for s in &report.signatures {
            total += 1;
            valid += (s.status() == Status::Valid) as usize;
            with_time += (s.time().is_some() && !s.signer.is_empty()) as usize;
        }
    }
    assert_eq!(signed, 5);
    assert_eq!(valid, total);
    assert_eq!(with_time, total);
    ran("pdf-signatures-held-out", &format!("held-out: {signed} signed PDFs, {valid} of {total} signatures valid, {with_time} with signer and time"));
}

/// The copy is made under a temporary folder: `../shared` is read-only.
fn copy_of(check: &str, name: &str) -> Option<(tempfile::TempDir, PathBuf, Vec<u8>)> {
    let source = shared(check, &format!("real-scans/quangngai/{name}"))?;
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(source).unwrap();
    let path = dir.path().join(name);
    Some((dir, path, bytes))
}

#[test]
fn one_changed_byte_inside_the_signed_range_does_not_verify() {
    let Some((_dir, path, mut bytes)) = copy_of("pdf-signature-tampered", "280-BC.pdf") else { return };
    let original = signature::read(&accuracy_support::shared_root().join("real-scans/quangngai/280-BC.pdf")).unwrap();
    let first = original.signatures[0].byte_ranges[0];
    // A byte in the middle of the first signed range: inside the page content, which every
    // signature covers.
    let at = ((first[0] + first[1]) / 2) as usize;
    bytes[at] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let report = signature::read(&path).unwrap();
    assert_eq!(report.signatures.len(), original.signatures.len());
    for s in &report.signatures {
        assert_eq!(s.verification, Verification::DigestMismatch, "{}", s.signer);
        assert_eq!(s.status(), Status::Invalid);
        assert!(s.summary_vietnamese().ends_with(", không hợp lệ"), "{}", s.summary_vietnamese());
    }
    assert!(report.warnings.iter().any(|w| w.contains("không hợp lệ") || w.contains("không kiểm tra được")), "{:?}", report.warnings);
    ran("pdf-signature-tampered", &format!("a copy with byte {at} changed: {} signature(s), none verifies", report.signatures.len()));
}

#[test]
fn bytes_appended_after_the_last_signature_are_a_change_nobody_signed() {
    let Some((_dir, path, mut bytes)) = copy_of("pdf-signature-appended", "280-BC.pdf") else { return };
    bytes.extend_from_slice(b"\n99 0 obj\n<</Type/Page/Contents 100 0 R>>\nendobj\n%%EOF\n");
    std::fs::write(&path, &bytes).unwrap();
    let report = signature::read(&path).unwrap();
    // The signed bytes are intact, so each signature still verifies …
    assert!(report.signatures.iter().all(|s| s.verification == Verification::Valid));
    // … but none covers the addition.
    assert!(report.signatures.iter().all(|s| s.status() == Status::PartlySigned));
    assert!(report.signatures[0].summary_vietnamese().ends_with(", một phần văn bản được ký"));
    assert!(report.warnings.iter().any(|w| w.contains("bị thay đổi sau chữ ký hợp lệ cuối cùng")), "{:?}", report.warnings);
    ran("pdf-signature-appended", "bytes appended after the last signature: every signature partial, a warning");
}

#[test]
fn an_unsigned_pdf_and_a_non_pdf_have_no_signatures() {
    if let Some(unsigned) = shared("pdf-unsigned", "real-scans/quangngai/H14.1999.1180.ND.001.020.pdf") {
        assert!(signature::read(&unsigned).unwrap().signatures.is_empty());
    }
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.pdf");
    std::fs::write(&junk, b"%PDF-1.4\nnot really\n").unwrap();
    let report = signature::read(&junk).unwrap();
    assert!(report.signatures.is_empty() && report.warnings.is_empty());
}
