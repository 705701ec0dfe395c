//! The README's accuracy table is the output of `vanban eval all --markdown`, kept between
//! two marker lines so that it can be rewritten by the command and checked by a test
//! (`tests/accuracy_readme.rs`) line for line.
//!
//! Why: a table typed by hand drifts from what the evaluation prints, and drops the
//! figures below target; a generated table cannot.

/// The line before the generated table.
pub const BEGIN: &str = "<!-- begin: `vanban eval all --markdown` (generated: `vanban eval all --update-readme README.md`) -->";
/// The line after it.
pub const END: &str = "<!-- end: `vanban eval all --markdown` -->";

/// The table between the markers, as written (each line with its newline).
pub fn table(readme: &str) -> Result<&str, String> {
    let (start, end) = bounds(readme)?;
    Ok(&readme[start..end])
}

/// `readme` with the text between the markers replaced by `table`.
pub fn replace_table(readme: &str, table: &str) -> Result<String, String> {
    let (start, end) = bounds(readme)?;
    let mut out = String::with_capacity(readme.len() + table.len());
    out.push_str(&readme[..start]);
    out.push_str(table);
    if !table.is_empty() && !table.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&readme[end..]);
    Ok(out)
}

/// Byte range of the table: from after the BEGIN line to the start of the END line.
fn bounds(readme: &str) -> Result<(usize, usize), String> {
    let begin = readme.find(BEGIN).ok_or_else(|| format!("no line {BEGIN}"))?;
    let start = readme[begin..].find('\n').map(|i| begin + i + 1).ok_or("nothing after the begin marker")?;
    let end = readme[start..].find(END).map(|i| start + i).ok_or_else(|| format!("no line {END} after the begin marker"))?;
    Ok((start, end))
}

/// The lines of `expected` and `found` that differ, for a failure message: each line
/// missing from the README with `-`, each line the README has that the command does not
/// print with `+`.
pub fn differences(expected: &str, found: &str) -> Vec<String> {
    let want: Vec<&str> = expected.lines().collect();
    let have: Vec<&str> = found.lines().collect();
    let mut out: Vec<String> = want.iter().filter(|l| !have.contains(l)).map(|l| format!("- {l}")).collect();
    out.extend(have.iter().filter(|l| !want.contains(l)).map(|l| format!("+ {l}")));
    if out.is_empty() && want != have {
        out.push("the same lines in another order".to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_between_the_markers_is_replaced_and_nothing_else() {
        let readme = format!("# A\nbefore\n{BEGIN}\n| old |\n{END}\nafter\n");
        assert_eq!(table(&readme).unwrap(), "| old |\n");
        let new = replace_table(&readme, "| new |\n| rows |\n").unwrap();
        assert_eq!(new, format!("# A\nbefore\n{BEGIN}\n| new |\n| rows |\n{END}\nafter\n"));
        assert_eq!(table(&new).unwrap(), "| new |\n| rows |\n");
    }

    #[test]
    fn a_readme_without_markers_is_an_error_not_a_silent_pass() {
        assert!(table("# no table\n").is_err());
        assert!(replace_table(&format!("{BEGIN}\n| x |\n"), "| y |\n").is_err());
    }

    #[test]
    fn differences_name_the_missing_and_the_extra_lines() {
        let d = differences("| a |\n| b |\n", "| a |\n| c |\n");
        assert_eq!(d, vec!["- | b |".to_owned(), "+ | c |".to_owned()]);
        assert_eq!(differences("| a |\n| b |\n", "| b |\n| a |\n"), vec!["the same lines in another order".to_owned()]);
        assert!(differences("| a |\n", "| a |\n").is_empty());
    }
}
