//! Numbers in a file's name. Clerks name scans by the document's number ("280-BC.pdf",
//! "QD430.jpg", "01CT.pdf"), so a name is evidence for the number; but names lie (a real
//! "QD430.jpg" holds decision 440, "2352-07-CT-UBND.pdf" starts with a receipt number), so it
//! is only ever supporting evidence, never the one source of a value the page contradicts.

use crate::viet;

/// A run of digits in a file name, with the letters standing right beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameNumber {
    /// The digits as written ("07").
    pub digits: String,
    /// The letter runs just before and just after it (folded, upper case): "CT" in "07-CT-UBND".
    pub neighbours: Vec<String>,
}

impl NameNumber {
    /// Whether `code` (a type or issuer code of the printed suffix: "BC", "QĐ", "TTr") stands
    /// beside the number in the name ("280-BC", "QD430", "660TBUB").
    pub fn beside(&self, code: &str) -> bool {
        let code = viet::fold(code).to_uppercase();
        // Clerks abbreviate ("UB" for UBND) and run codes together ("TBUB").
        let abbreviates = |n: &String| n.len() >= 2 && code.starts_with(n.as_str());
        !code.is_empty() && self.neighbours.iter().any(|n| n == &code || n.starts_with(&code) || n.ends_with(&code) || abbreviates(n))
    }

    /// The number without leading zeros ("07" → "7"), as numbers are compared.
    pub fn value(&self) -> &str {
        let trimmed = self.digits.trim_start_matches('0');
        if trimmed.is_empty() { "0" } else { trimmed }
    }
}

/// The numbers in the name of `path` (its stem: the extension and a ".signed" are not part
/// of it), in order.
pub fn numbers(path: &str) -> Vec<NameNumber> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = name.split_once('.').map_or(name, |(s, _)| s);
    // A dotted archive code ("H14.1999.1180.ND.001.020") is the stem with its dots.
    let stem = if name.matches('.').count() > 2 { name.rsplit_once('.').map_or(name, |(s, _)| s) } else { stem };
    let folded = viet::fold(stem).to_uppercase();
    // Runs of digits and of letters; anything else separates.
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in folded.chars() {
        let kind = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        };
        match (kind, runs.last_mut()) {
            (Some(k), Some((last, run))) if *last == k && !run.is_empty() => run.push(c),
            (Some(k), _) => runs.push((k, c.to_string())),
            (None, _) => runs.push((false, String::new())),
        }
    }
    let mut out = Vec::new();
    for (i, (digit, run)) in runs.iter().enumerate() {
        if !*digit || run.len() > 5 {
            continue;
        }
        let at = |j: Option<usize>| j.and_then(|j| runs.get(j));
        let letters = |run: Option<&(bool, String)>| run.filter(|(d, r)| !*d && !r.is_empty()).map(|(_, r)| r.clone());
        let separator = |run: Option<&(bool, String)>| run.is_some_and(|(d, r)| !*d && r.is_empty());
        let mut neighbours = Vec::new();
        for (near, far) in [(i.checked_sub(1), i.checked_sub(2)), (Some(i + 1), Some(i + 2))] {
            // Right beside ("QD430"), or across one separator ("280-BC").
            let found = letters(at(near)).or_else(|| if separator(at(near)) { letters(at(far)) } else { None });
            if let Some(found) = found {
                neighbours.push(found);
            }
        }
        out.push(NameNumber { digits: run.clone(), neighbours });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(path: &str) -> Vec<String> {
        numbers(path).into_iter().map(|n| n.digits).collect()
    }

    #[test]
    fn numbers_are_found_with_the_codes_beside_them() {
        let n = numbers("/scans/280-BC.pdf");
        assert_eq!(digits("/scans/280-BC.pdf"), ["280"]);
        assert!(n[0].beside("BC") && !n[0].beside("TB"));
        let n = numbers("QD430.jpg");
        assert_eq!(n[0].digits, "430");
        assert!(n[0].beside("QĐ"), "{n:?}");
        let n = numbers("2352-07-CT-UBND.pdf");
        assert_eq!(digits("2352-07-CT-UBND.pdf"), ["2352", "07"]);
        assert!(!n[0].beside("CT") && n[1].beside("CT") && n[1].value() == "7");
        assert!(numbers("660TBUB.pdf")[0].beside("TB"));
        assert!(numbers("299-UB.pdf")[0].beside("UBND"));
        assert!(numbers("01CT.pdf")[0].beside("CT"));
        assert!(numbers("280 BC.signed.pdf")[0].beside("BC"));
        assert_eq!(digits("H14.1999.1180.ND.001.020.pdf"), ["14", "1999", "1180", "001", "020"]);
        assert!(digits("bnt-BTTTT-Gop-y-du-thao.pdf").is_empty());
        assert_eq!(digits("vht507.pdf"), ["507"]);
    }
}
