//! What a PDF's digital signatures say about its own header fields. A certificate names
//! exactly who signed and for which organisation, and the signing time bounds the date:
//! a document is issued on, or a few days before, the day its issuer signs it.
//!
//! [`from_signatures`] gathers that evidence in a typed form for the header stage to weigh;
//! [`apply`] is the plain combination used today (the certificate's person is the signer,
//! its organisation fills a missing issuer, the signing day checks the date), and
//! [`check_date`] words what an archivist must be told.

use serde::{Deserialize, Serialize};

use super::signature::{Signature, SignerRole, Verification};
use crate::cite::DocumentMeta;

/// The header evidence in a PDF's valid signatures (a publisher's copy stamp names neither
/// the issuer nor the signer, but its time bounds the date too).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SignatureEvidence {
    /// The first person who signed.
    pub signer: Option<String>,
    /// The organisation of the first organisation's own signature (its seal), else the
    /// organisation in the signing person's certificate.
    pub issuer: Option<String>,
    /// The earliest signing time (RFC 3339, the signer's offset) …
    pub first_signed_at: Option<String>,
    /// … and its day (ISO) at the signer's offset: the document's date is on or before it.
    pub latest_date: Option<String>,
}

/// The evidence of `signatures` (only those that verify count).
pub fn from_signatures(signatures: &[Signature]) -> SignatureEvidence {
    let valid = || signatures.iter().filter(|s| s.verification == Verification::Valid);
    let signer = valid().find(|s| s.role == SignerRole::Person).map(|s| s.signer.clone());
    let issuer = valid()
        .find(|s| s.role == SignerRole::Organization)
        .map(|s| s.signer.clone())
        .or_else(|| valid().find(|s| s.role == SignerRole::Person).and_then(|s| s.organization.clone()));
    // Any valid signature bounds the date, a publisher's copy stamp too (a document is
    // published after it is issued): the earliest is the tightest bound.
    let first = valid().filter_map(|s| Some((s.time()?, s))).min_by_key(|(t, _)| *t);
    SignatureEvidence {
        signer,
        issuer,
        first_signed_at: first.and_then(|(_, s)| s.signing_time.clone()),
        latest_date: first.map(|(t, _)| iso_date(local_day(t))),
    }
}

/// The day at the signer's offset; a time given only in UTC (a CMS signing time) is read at
/// Việt Nam's offset, +07:00, that of the documents vanban reads — its UTC day can be the
/// day before, which would make a right date look later than its signature.
fn local_day(t: time::OffsetDateTime) -> time::Date {
    if t.offset().is_utc() {
        t.to_offset(time::UtcOffset::from_hms(7, 0, 0).expect("a valid offset")).date()
    } else {
        t.date()
    }
}

fn iso_date(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day())
}

/// Fills the header fields the certificates answer for: the signer is the person whose
/// certificate signed (the printed name block is often read wrong or not at all); a
/// missing issuer is the sealing organisation's. The printed issuer is kept when there is
/// one: an office can sign for its parent body. Returns notes for the record's flags.
pub fn apply(meta: &mut DocumentMeta, evidence: &SignatureEvidence) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(person) = &evidence.signer {
        let same = meta.signer.as_deref().is_some_and(|read| crate::viet::fold(read).to_lowercase() == crate::viet::fold(person).to_lowercase());
        if !same {
            if let Some(read) = &meta.signer {
                notes.push(format!("người ký đọc được trong văn bản là “{read}”; chữ ký số ghi tên {person}"));
            }
            meta.signer = Some(person.clone());
        }
    }
    if meta.issuer.is_none() {
        if let Some(issuer) = &evidence.issuer {
            meta.issuer = Some(issuer.to_uppercase());
            notes.push("issuer taken from the digital signature's certificate".to_owned());
        }
    }
    if meta.date.is_none() {
        if let Some(day) = &evidence.latest_date {
            notes.push(format!("không đọc được ngày ban hành; văn bản được ký số ngày {day}, nên được ban hành vào ngày đó hoặc trước đó"));
        }
    }
    notes
}

/// A sentence for the record when the document's printed date is later than the day it was
/// first signed: either the date was read wrong or the signature predates the text.
pub fn check_date(date: Option<&str>, evidence: &SignatureEvidence) -> Option<String> {
    let (date, day) = (date?, evidence.latest_date.as_deref()?);
    // ISO dates compare as strings.
    (date > day).then(|| {
        format!(
            "Văn bản ghi ngày {date} nhưng được ký số ngày {}: không thể ký số trước ngày của văn bản; hãy kiểm tra lại ngày.",
            evidence.first_signed_at.as_deref().unwrap_or(day)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::signature::Coverage;

    fn sig(signer: &str, role: SignerRole, time: &str, org: Option<&str>) -> Signature {
        Signature {
            field: String::new(),
            signer: signer.to_owned(),
            organization: org.map(str::to_owned),
            unit: None,
            locality: None,
            subject: format!("CN={signer}"),
            role,
            signing_time: Some(time.to_owned()),
            time_source: None,
            kind: "ETSI.CAdES.detached".to_owned(),
            hash: None,
            byte_ranges: vec![[0, 1], [2, 3]],
            coverage: Coverage::WholeFile,
            verification: Verification::Valid,
            certificate: None,
            reason: None,
            location: None,
            app: None,
        }
    }

    #[test]
    fn the_person_signs_the_seal_issues_and_the_first_day_bounds_the_date() {
        let sigs = vec![
            sig("Phùng Tô Long", SignerRole::Person, "2024-11-06T08:49:06+07:00", Some("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")),
            sig("Ủy ban nhân dân tỉnh Quảng Ngãi", SignerRole::Organization, "2024-11-06T08:54:21+07:00", Some("Tỉnh Quảng Ngãi")),
            sig("TRUNG TÂM CÔNG BÁO VÀ TIN HỌC", SignerRole::Publisher, "2024-11-07T09:27:05+07:00", None),
        ];
        let ev = from_signatures(&sigs);
        assert_eq!(ev.signer.as_deref(), Some("Phùng Tô Long"));
        assert_eq!(ev.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"));
        assert_eq!(ev.latest_date.as_deref(), Some("2024-11-06"));
        // A UTC time late in the evening is the next day in Việt Nam.
        let late = vec![sig("Ủy ban nhân dân tỉnh X", SignerRole::Organization, "2024-11-05T20:00:00Z", None)];
        assert_eq!(from_signatures(&late).latest_date.as_deref(), Some("2024-11-06"));
        let offset = vec![sig("Ủy ban nhân dân tỉnh X", SignerRole::Organization, "2024-11-05T20:00:00-05:00", None)];
        assert_eq!(from_signatures(&offset).latest_date.as_deref(), Some("2024-11-05"));

        let mut meta = DocumentMeta { signer: Some("Công Thương".to_owned()), ..Default::default() };
        let notes = apply(&mut meta, &ev);
        assert_eq!(meta.signer.as_deref(), Some("Phùng Tô Long"));
        assert_eq!(meta.issuer.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"));
        assert_eq!(notes.len(), 3, "{notes:?}");

        assert!(check_date(Some("2024-11-07"), &ev).is_some());
        assert!(check_date(Some("2024-11-06"), &ev).is_none());
        assert!(check_date(Some("2024-10-30"), &ev).is_none());
    }

    #[test]
    fn signatures_that_do_not_verify_are_no_evidence() {
        let mut s = sig("Phùng Tô Long", SignerRole::Person, "2024-11-06T08:49:06+07:00", None);
        s.verification = Verification::DigestMismatch;
        assert_eq!(from_signatures(&[s]), SignatureEvidence::default());
    }
}
