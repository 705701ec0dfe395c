//! The digital signatures of a PDF, read and verified by poppler's `pdfsig` (NSS does the
//! cryptography; we never do): who signed (the certificate's subject), when (the signature
//! dictionary's `/M`, with the offset the signer wrote), with what, which bytes each
//! signature covers, and whether the signature and those bytes verify.
//!
//! `pdfsig` runs offline and bounded: `-no-ocsp` (no revocation check over the network; it
//! does not fetch issuer certificates unless asked with `-aia`, which we never pass), under
//! `timeout`, with `TZ=UTC` and `LC_ALL=C` so that the time it prints is UTC in English.
//!
//! On top of `pdfsig`'s verdicts we check what it does not: that each signature's byte
//! range skips exactly its own `/Contents` string, and which bytes of the file no valid
//! signature covers (a document modified after signing).

use std::path::Path;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::sigdict;

/// One digital signature of a PDF, as stored in the record (`Document::signatures`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Signature {
    /// The signature's form field ("Signature1").
    #[serde(default)]
    pub field: String,
    /// The certificate subject's common name: a person ("Phùng Tô Long") or an organisation
    /// ("Ủy ban nhân dân tỉnh Quảng Ngãi").
    pub signer: String,
    /// Subject `O`: for a person, the organisation they sign for ("ỦY BAN NHÂN DÂN TỈNH
    /// QUẢNG NGÃI"); for an organisation's own certificate often only its province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Subject `OU` ("VĂN PHÒNG").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Subject `L`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// The whole subject distinguished name as `pdfsig` prints it.
    pub subject: String,
    pub role: SignerRole,
    /// RFC 3339 with the signer's own UTC offset ("2024-11-26T10:40:48+07:00"); see
    /// [`TimeSource`] for where it was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_source: Option<TimeSource>,
    /// `/SubFilter`: "ETSI.CAdES.detached" (PAdES), "adbe.pkcs7.detached"…
    pub kind: String,
    /// The digest the signature is made over ("SHA-256").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// The byte ranges the signature covers, `[start, end)` in file offsets.
    pub byte_ranges: Vec<[u64; 2]>,
    /// How much of the file this signature, and the valid signatures made after it, vouch for.
    pub coverage: Coverage,
    pub verification: Verification,
    /// What NSS says of the certificate chain on this machine ("issuer is unknown" when the
    /// Vietnamese root CA is not installed; no revocation check is made, see the module doc).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The signing software (`/Prop_Build /App /Name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
}

/// Who the certificate belongs to, for the header fields: a person signs, an organisation
/// seals (its certificate names the issuer), a publisher stamps a copy after the fact
/// (the provincial gazette centre: it names neither issuer nor signer).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SignerRole {
    Person,
    Organization,
    Publisher,
}

/// Where [`Signature::signing_time`] comes from.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// The signature dictionary's `/M`, which carries the signer's UTC offset (and lies
    /// inside the signed bytes).
    Dictionary,
    /// The CMS signing-time attribute (UTC), when the dictionary has no `/M`.
    Cms,
}

/// Which bytes of the file are vouched for.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// The signature covers the whole file (but its own contents).
    WholeFile,
    /// It covers the file as it was when signed, and every byte added since is covered by
    /// a valid later signature (the usual later signatures and stamps), or is only
    /// validation data or padding.
    WithLaterSignatures,
    /// Bytes were added after it that no valid signature covers: the document was
    /// changed after signing.
    Partial,
}

/// `pdfsig`'s verdict on the signature and the bytes it covers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
pub enum Verification {
    Valid,
    /// The covered bytes are not those that were signed.
    DigestMismatch,
    /// The signature value does not verify, or the byte range is malformed (the reason says).
    Invalid(String),
    /// `pdfsig` could not tell (undecodable signature data…).
    Unknown(String),
}

/// What a clerk reads: "hợp lệ", "không hợp lệ" or "một phần văn bản được ký".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Valid,
    Invalid,
    PartlySigned,
}

impl Status {
    pub fn vietnamese(self) -> &'static str {
        match self {
            Status::Valid => "hợp lệ",
            Status::Invalid => "không hợp lệ",
            Status::PartlySigned => "một phần văn bản được ký",
        }
    }
}

impl Signature {
    pub fn status(&self) -> Status {
        match (&self.verification, self.coverage) {
            (Verification::Valid, Coverage::Partial) => Status::PartlySigned,
            (Verification::Valid, _) => Status::Valid,
            _ => Status::Invalid,
        }
    }

    /// The signing time as written by the signer.
    pub fn time(&self) -> Option<OffsetDateTime> {
        OffsetDateTime::parse(self.signing_time.as_deref()?, &Rfc3339).ok()
    }

    /// "26/11/2024 10:40:48 (+07:00)": the time as the signer's clock showed it.
    pub fn time_for_display(&self) -> Option<String> {
        let t = self.time()?;
        let (h, m, _) = t.offset().as_hms();
        let offset = if t.offset().is_utc() { "UTC".to_owned() } else { format!("{}{:02}:{:02}", if h < 0 || m < 0 { '-' } else { '+' }, h.abs(), m.abs()) };
        Some(format!(
            "{:02}/{:02}/{} {:02}:{:02}:{:02} ({offset})",
            t.day(),
            t.month() as u8,
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        ))
    }

    /// "Chữ ký số: <signer>, <time>, <status>".
    pub fn summary_vietnamese(&self) -> String {
        let time = self.time_for_display().unwrap_or_else(|| "không rõ thời gian ký".to_owned());
        format!("Chữ ký số: {}, {time}, {}", self.signer, self.status().vietnamese())
    }
}

/// The clerk's lines, "Chữ ký số: <signer>, <time>, <status>", in signing order, each once
/// with how many signatures read the same (an organisation often seals every page).
pub fn summary_lines(signatures: &[Signature]) -> Vec<SummaryLine> {
    let mut lines: Vec<SummaryLine> = Vec::new();
    for s in signatures {
        let text = s.summary_vietnamese();
        match lines.iter_mut().find(|l| l.text == text) {
            Some(line) => line.times += 1,
            None => lines.push(SummaryLine { text, status: s.status(), times: 1 }),
        }
    }
    lines
}

/// One line of [`summary_lines`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryLine {
    pub text: String,
    pub status: Status,
    /// How many signatures read the same.
    pub times: usize,
}

/// The signature a one-line listing names: the first valid one of a person or an
/// organisation (not a publisher's copy stamp), else the first one.
pub fn principal(signatures: &[Signature]) -> Option<&Signature> {
    let issuing = |s: &&Signature| s.role != SignerRole::Publisher;
    signatures
        .iter()
        .filter(issuing)
        .find(|s| s.verification == Verification::Valid)
        .or_else(|| signatures.iter().find(issuing))
        .or_else(|| signatures.first())
}

/// The document's signatures in one word: the worst status among them.
pub fn overall_status(signatures: &[Signature]) -> Option<Status> {
    let statuses: Vec<Status> = signatures.iter().map(Signature::status).collect();
    [Status::Invalid, Status::PartlySigned, Status::Valid].into_iter().find(|s| statuses.contains(s))
}

/// What one PDF's signatures say, with the facts an archivist must be told.
#[derive(Debug, Clone, Default)]
pub struct SignatureReport {
    pub signatures: Vec<Signature>,
    /// Full sentences for the record's warnings (a signature that does not verify, a file
    /// changed after signing).
    pub warnings: Vec<String>,
}

/// Reads and verifies every signature of the PDF at `path`. A PDF without signatures gives
/// an empty report; `Err` only when `pdfsig` cannot be run or the file cannot be read.
pub fn read(path: &Path) -> anyhow::Result<SignatureReport> {
    let bytes = std::fs::read(path).context("cannot read the file")?;
    let output = crate::ocr::poppler("pdfsig")
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .arg("-no-ocsp")
        .arg(path)
        .output()
        .context("cannot run `pdfsig`; install poppler-utils (apt-get install poppler-utils)")?;
    if matches!(output.status.code(), Some(124 | 137)) {
        bail!("`pdfsig` gave up checking the digital signatures: the PDF is damaged or far too complex");
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed = parse_pdfsig(&stdout);
    Ok(assemble(parsed, &bytes))
}

/// One `Signature #N:` block of `pdfsig`'s output.
#[derive(Debug, Clone, Default, PartialEq)]
struct Printed {
    field: String,
    common_name: String,
    subject: String,
    time_utc: Option<OffsetDateTime>,
    hash: Option<String>,
    kind: String,
    ranges: Vec<[u64; 2]>,
    validation: Option<String>,
    certificate: Option<String>,
}

fn parse_pdfsig(out: &str) -> Vec<Printed> {
    let mut all: Vec<Printed> = Vec::new();
    for line in out.lines() {
        if line.starts_with("Signature #") {
            all.push(Printed::default());
            continue;
        }
        let Some(current) = all.last_mut() else { continue };
        let Some((key, value)) = line.trim().strip_prefix("- ").and_then(|l| l.split_once(": ")) else { continue };
        let value = value.trim().to_owned();
        match key {
            "Signature Field Name" => current.field = value,
            "Signer Certificate Common Name" => current.common_name = crate::viet::nfc(&value),
            "Signer full Distinguished Name" => current.subject = crate::viet::nfc(&value),
            "Signing Time" => current.time_utc = pdfsig_time(&value),
            "Signing Hash Algorithm" => current.hash = Some(value).filter(|v| !v.is_empty()),
            "Signature Type" => current.kind = value,
            "Signed Ranges" => current.ranges = ranges(&value),
            "Signature Validation" => current.validation = Some(value),
            "Certificate Validation" => current.certificate = Some(value),
            _ => {}
        }
    }
    all
}

/// "Nov 26 2024 03:40:48", printed by `pdfsig` in the time zone of its environment (UTC).
fn pdfsig_time(value: &str) -> Option<OffsetDateTime> {
    let format = time::format_description::parse_borrowed::<2>("[month repr:short] [day] [year] [hour]:[minute]:[second]").ok()?;
    time::PrimitiveDateTime::parse(value, &format).ok().map(|t| t.assume_utc())
}

/// "[0 - 2051999], [2076769 - 2108200]".
fn ranges(value: &str) -> Vec<[u64; 2]> {
    value
        .split('[')
        .filter_map(|part| {
            let inner = part.split(']').next()?;
            let (a, b) = inner.split_once('-')?;
            Some([a.trim().parse().ok()?, b.trim().parse().ok()?])
        })
        .collect()
}

fn verification(printed: &Printed, bytes: &[u8]) -> Verification {
    if let Some(problem) = range_problem(&printed.ranges, bytes) {
        return Verification::Invalid(problem);
    }
    match printed.validation.as_deref() {
        Some("Signature is Valid.") => Verification::Valid,
        Some("Digest Mismatch.") => Verification::DigestMismatch,
        Some("Signature is Invalid.") => Verification::Invalid("giá trị chữ ký không khớp".to_owned()),
        Some(other) => Verification::Unknown(format!("pdfsig báo: {}", other.trim_end_matches('.'))),
        None => Verification::Unknown("pdfsig không đưa ra kết luận".to_owned()),
    }
}

/// A byte range that does not start at 0, overlaps, runs past the end, or leaves out more
/// than the signature's own `/Contents` hex string could hide unsigned bytes.
fn range_problem(ranges: &[[u64; 2]], bytes: &[u8]) -> Option<String> {
    let len = bytes.len() as u64;
    match ranges {
        [[0, a], [b, c]] if a < b && b <= c && *c <= len => {
            let hole = &bytes[*a as usize..*b as usize];
            let is_contents = hole.len() >= 2
                && hole[0] == b'<'
                && hole[hole.len() - 1] == b'>'
                && hole[1..hole.len() - 1].iter().all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace());
            (!is_contents).then(|| "vùng được ký bỏ ra ngoài nhiều hơn chính chữ ký".to_owned())
        }
        [] => Some("pdfsig không cho biết vùng được ký".to_owned()),
        _ => Some("vùng được ký không đúng dạng".to_owned()),
    }
}

/// Turns `pdfsig`'s blocks into signatures with their coverage, and the warnings.
fn assemble(printed: Vec<Printed>, bytes: &[u8]) -> SignatureReport {
    let len = bytes.len() as u64;
    let mut signatures: Vec<Signature> = printed
        .iter()
        .map(|p| {
            let dict = match p.ranges.as_slice() {
                [[0, a], [b, _], ..] => sigdict::read(bytes, *a as usize, *b as usize),
                _ => sigdict::SigDict::default(),
            };
            let (time, source) = match (dict.time, p.time_utc) {
                (Some(t), _) => (Some(t), Some(TimeSource::Dictionary)),
                (None, Some(t)) => (Some(t), Some(TimeSource::Cms)),
                (None, None) => (None, None),
            };
            let subject = if p.subject.is_empty() { format!("CN={}", p.common_name) } else { p.subject.clone() };
            let dn = distinguished_name(&subject);
            let get = |key: &str| dn.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
            let signer = if p.common_name.is_empty() { get("CN").unwrap_or_default() } else { p.common_name.clone() };
            Signature {
                field: p.field.clone(),
                role: role(&signer, &dn),
                organization: get("O"),
                unit: get("OU"),
                locality: get("L"),
                signer,
                subject,
                signing_time: time.and_then(|t| t.format(&Rfc3339).ok()),
                time_source: source,
                kind: p.kind.clone(),
                hash: p.hash.clone(),
                byte_ranges: p.ranges.clone(),
                coverage: Coverage::Partial,
                verification: verification(p, bytes),
                certificate: p.certificate.as_ref().map(|c| c.trim_end_matches('.').to_owned()),
                reason: dict.reason,
                location: dict.location,
                app: dict.app,
            }
        })
        .collect();
    let mut warnings = Vec::new();
    let end = |s: &Signature| s.byte_ranges.last().map_or(0, |r| r[1]);
    // The furthest byte a valid signature vouches for, and whether what lies past it is
    // harmless (padding, or validation data a signing tool adds afterwards).
    let covered_to = signatures.iter().filter(|s| s.verification == Verification::Valid).map(end).max().unwrap_or(0);
    let tail_harmless = covered_to >= len || harmless_tail(&bytes[covered_to.min(len) as usize..]);
    for s in &mut signatures {
        let own_end = end(s);
        let later = signatures_after(own_end, covered_to);
        s.coverage = if own_end == len {
            Coverage::WholeFile
        } else if later && tail_harmless {
            Coverage::WithLaterSignatures
        } else {
            Coverage::Partial
        };
    }
    for s in &signatures {
        match &s.verification {
            Verification::Valid => {}
            Verification::DigestMismatch => warnings.push(format!(
                "Chữ ký số của {} không hợp lệ: phần đã ký của tệp bị thay đổi sau khi ký.",
                s.signer
            )),
            Verification::Invalid(reason) | Verification::Unknown(reason) => {
                warnings.push(format!("Chữ ký số của {} không kiểm tra được ({reason}).", s.signer))
            }
        }
    }
    if !signatures.is_empty() && !tail_harmless {
        let valid = signatures.iter().any(|s| s.verification == Verification::Valid);
        if valid {
            warnings.push(format!(
                "Tệp PDF bị thay đổi sau chữ ký hợp lệ cuối cùng: {} byte ở cuối tệp không thuộc chữ ký nào.",
                len - covered_to
            ));
        }
    }
    SignatureReport { signatures, warnings }
}

/// A signature ending at `own_end` is followed by valid signatures when they reach further.
fn signatures_after(own_end: u64, covered_to: u64) -> bool {
    covered_to > own_end
}

/// Bytes after the last signed range that change nothing a reader sees: whitespace and NULs
/// (padding), or an incremental update that only adds long-term validation data (`/DSS`,
/// certificates, OCSP answers and CRLs a signing tool appends after signing).
fn harmless_tail(tail: &[u8]) -> bool {
    if tail.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        return true;
    }
    let has = |needle: &[u8]| tail.windows(needle.len()).any(|w| w == needle);
    has(b"/DSS") && !has(b"/Type/Page") && !has(b"/Type /Page") && !has(b"/Annots") && !has(b"/AcroForm")
}

/// `CN=Phùng Tô Long,OU=VĂN PHÒNG,O=ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI,C=VN` → pairs, with
/// backslash escapes and quoted values (RFC 4514 as NSS prints it).
fn distinguished_name(dn: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = dn.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            '"' => quoted = !quoted,
            ',' | '+' if !quoted => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
        .into_iter()
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

/// Words that open the name of an organ, not of a person.
const ORGAN_HEADS: &[&str] = &[
    "ủy", "uỷ", "ubnd", "sở", "ban", "bộ", "cục", "chi", "tổng", "trung", "văn", "phòng", "công", "hội", "đảng",
    "huyện", "tỉnh", "thành", "xã", "phường", "thị", "viện", "trường", "bệnh", "kho", "ngân", "quỹ", "tòa", "toà",
    "cơ", "đoàn", "liên", "mặt", "hợp", "đài", "báo", "cổng", "chính", "quốc", "nhà", "thanh", "kiểm", "tập",
];

/// Whether a common name reads as a person's name: two to five Vietnamese syllables, all
/// capitalized or all in capitals, the first not one that opens an organ's name.
fn is_person_name(cn: &str) -> bool {
    let words: Vec<&str> = cn.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) {
        return false;
    }
    let title_case = words.iter().all(|w| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
    });
    let capitals = words.iter().all(|w| w.chars().all(char::is_uppercase));
    let syllables = words.iter().all(|w| crate::viet::Syllable::parse(w).is_some());
    let first = words[0].to_lowercase();
    (title_case || capitals) && syllables && !ORGAN_HEADS.contains(&first.as_str())
}

/// Person, organisation or publisher. A certificate with a tax or budget code (`UID=MST:…`,
/// `MNS:`) belongs to an organisation; the provincial gazette centre ("Trung tâm Công báo")
/// and e-portals publish signed copies of other organs' documents.
fn role(cn: &str, dn: &[(String, String)]) -> SignerRole {
    let folded = crate::viet::fold(cn).to_lowercase();
    if folded.contains("cong bao") || folded.contains("cong thong tin dien tu") {
        return SignerRole::Publisher;
    }
    let organisation_code = dn.iter().any(|(k, v)| k.eq_ignore_ascii_case("UID") && (v.starts_with("MST:") || v.starts_with("MNS:")));
    if !organisation_code && is_person_name(cn) {
        SignerRole::Person
    } else {
        SignerRole::Organization
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRINTED: &str = "Digital Signature Info of: x.pdf
Signature #1:
  - Signature Field Name: Signature1
  - Signer Certificate Common Name: Phùng Tô Long
  - Signer full Distinguished Name: CN=Phùng Tô Long,OU=VĂN PHÒNG,O=ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI,L=Quảng Ngãi,C=VN
  - Signing Time: Nov 06 2024 01:49:06
  - Signing Hash Algorithm: SHA1
  - Signature Type: ETSI.CAdES.detached
  - Signed Ranges: [0 - 10], [16 - 30]
  - Not total document signed
  - Signature Validation: Signature is Valid.
  - Certificate Validation: Certificate issuer is unknown.
Signature #2:
  - Signature Field Name: Signature2
  - Signer Certificate Common Name: TRUNG TÂM CÔNG BÁO VÀ TIN HỌC
  - Signer full Distinguished Name: E=ttcbth@example.vn,UID=MST:4300476238,CN=TRUNG TÂM CÔNG BÁO VÀ TIN HỌC,OU=VĂN PHÒNG,O=ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI,L=Quảng Ngãi,C=VN
  - Signing Time: Nov 06 2024 09:27:07
  - Signing Hash Algorithm: SHA-256
  - Signature Type: adbe.pkcs7.detached
  - Signed Ranges: [0 - 34], [40 - 50]
  - Total document signed
  - Signature Validation: Digest Mismatch.
";

    fn file() -> Vec<u8> {
        let mut bytes = vec![b'x'; 50];
        bytes[10..16].copy_from_slice(b"<0aF0>");
        bytes[34..40].copy_from_slice(b"<3082>");
        bytes
    }

    #[test]
    fn pdfsig_blocks_are_read() {
        let printed = parse_pdfsig(PRINTED);
        assert_eq!(printed.len(), 2);
        assert_eq!(printed[0].common_name, "Phùng Tô Long");
        assert_eq!(printed[0].ranges, vec![[0, 10], [16, 30]]);
        assert_eq!(printed[0].time_utc.unwrap().hour(), 1);
        assert_eq!(printed[1].validation.as_deref(), Some("Digest Mismatch."));
    }

    #[test]
    fn roles_statuses_and_warnings() {
        let report = assemble(parse_pdfsig(PRINTED), &file());
        let [person, stamp] = report.signatures.as_slice() else { panic!() };
        assert_eq!(person.role, SignerRole::Person);
        assert_eq!(person.organization.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"));
        assert_eq!(person.unit.as_deref(), Some("VĂN PHÒNG"));
        assert_eq!(person.time_source, Some(TimeSource::Cms));
        assert_eq!(person.signing_time.as_deref(), Some("2024-11-06T01:49:06Z"));
        assert_eq!(stamp.role, SignerRole::Publisher);
        assert_eq!(stamp.verification, Verification::DigestMismatch);
        assert_eq!(stamp.status(), Status::Invalid);
        // Bytes 30..50 were added after the first signature and only an invalid one covers them.
        assert_eq!(person.coverage, Coverage::Partial);
        assert_eq!(person.status(), Status::PartlySigned);
        assert!(report.warnings.iter().any(|w| w.contains("TRUNG TÂM") && w.contains("bị thay đổi sau khi ký")), "{:?}", report.warnings);
        assert!(report.warnings.iter().any(|w| w.contains("20 byte ở cuối tệp")), "{:?}", report.warnings);
    }

    #[test]
    fn a_later_valid_signature_covers_the_earlier_ones_additions() {
        let printed = PRINTED.replace("Digest Mismatch.", "Signature is Valid.");
        let report = assemble(parse_pdfsig(&printed), &file());
        assert_eq!(report.signatures[0].coverage, Coverage::WithLaterSignatures);
        assert_eq!(report.signatures[0].status(), Status::Valid);
        assert_eq!(report.signatures[1].coverage, Coverage::WholeFile);
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        // Something appended after the last signature is a change nobody signed.
        let mut longer = file();
        longer.extend_from_slice(b"\n1 0 obj <</Type/Page>> endobj\n");
        let report = assemble(parse_pdfsig(&printed), &longer);
        assert_eq!(report.signatures[1].coverage, Coverage::Partial);
        assert!(report.warnings[0].contains("bị thay đổi sau chữ ký hợp lệ cuối cùng"));
        // Trailing whitespace is not.
        let mut padded = file();
        padded.extend_from_slice(b"\r\n\0\0");
        assert!(assemble(parse_pdfsig(&printed), &padded).warnings.is_empty());
    }

    #[test]
    fn a_range_that_hides_more_than_the_contents_is_invalid() {
        let mut bytes = file();
        bytes[12] = b'z';
        let report = assemble(parse_pdfsig(&PRINTED.replace("Digest Mismatch.", "Signature is Valid.")), &bytes);
        assert!(matches!(report.signatures[0].verification, Verification::Invalid(_)));
    }

    #[test]
    fn names_of_people_and_of_organs() {
        assert!(is_person_name("Nguyễn Phước Bình"));
        assert!(is_person_name("Phùng Tô Long"));
        assert!(!is_person_name("Ủy ban nhân dân tỉnh Quảng Ngãi"));
        assert!(!is_person_name("Trung tâm Công báo"));
        assert!(!is_person_name("Sở Tư Pháp"));
        assert!(is_person_name("TRẦN VĂN AN"));
        assert!(!is_person_name("TRUNG TÂM CÔNG BÁO VÀ TIN HỌC"));
        assert!(!is_person_name("Trần văn An"));
        let dn = distinguished_name(r#"CN=Công ty A\, B,O="Tỉnh X, Y",C=VN"#);
        assert_eq!(dn[0], ("CN".to_owned(), "Công ty A, B".to_owned()));
        assert_eq!(dn[1], ("O".to_owned(), "Tỉnh X, Y".to_owned()));
        assert_eq!(role("Trung tâm Công báo và Tin học", &dn), SignerRole::Publisher);
    }

    #[test]
    fn display_uses_the_signers_offset() {
        let mut s = assemble(parse_pdfsig(PRINTED), &file()).signatures.remove(0);
        s.signing_time = Some("2024-11-26T10:40:48+07:00".to_owned());
        assert_eq!(s.time_for_display().as_deref(), Some("26/11/2024 10:40:48 (+07:00)"));
        assert!(s.summary_vietnamese().starts_with("Chữ ký số: Phùng Tô Long, 26/11/2024 10:40:48 (+07:00), "));
    }
}
