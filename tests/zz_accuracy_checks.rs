//! Runs last (cargo runs test targets in name order): says how many accuracy checks of
//! this `cargo test` ran and which were skipped, so that a green run on a machine without
//! `../shared` cannot pass for a checked one. See `tests/accuracy_support`.

mod accuracy_support;

#[test]
fn accuracy_checks_of_this_run() {
    let dir = accuracy_support::ledger_dir();
    let mut ran = Vec::new();
    let mut skipped = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let mut parts = text.trim_end().splitn(3, '\t');
        let (outcome, check) = (parts.next().unwrap_or(""), parts.next().unwrap_or("").to_owned());
        if outcome == "ran" { ran.push(check) } else { skipped.push(check) }
    }
    ran.sort();
    skipped.sort();
    let line = format!(
        "accuracy checks in this cargo test run: {} ran, {} skipped{}",
        ran.len(),
        skipped.len(),
        if skipped.is_empty() { String::new() } else { format!(" ({})", skipped.join(", ")) }
    );
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
    // Old ledgers of earlier runs are removed (a day is far longer than any run).
    if let Some(parent) = dir.parent() {
        for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
            let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|e| e.as_secs() > 86_400));
            if old {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    if std::env::var_os("CI").is_some() {
        assert!(skipped.is_empty(), "{line}");
    }
}
