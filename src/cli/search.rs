//! `vanban search`: number lookup or full text; human list or `--json`.
//!
//! The `--json` output is a stable interface, documented in `docs/json.md`: one object
//! `{"query", "kind": "number"|"text", "number", "total", "hits": [{"rank", "record_id",
//! "path", "number", "type", "issuer", "date", "subject", "score", "match":
//! "document"|"cites"|"text", "fuzzy", "snippets": [{"page", "line", "text", "highlights":
//! [[start, end]…]}]}], "facets"?: {"type"|"issuer"|"year": [{"value", "count"}]},
//! "notices": [..]}`. Highlights are char offsets into the snippet text.

use std::io::{IsTerminal, Write};

use super::{Global, EXIT_OK};
use crate::index::{Archive, FacetValue, Hit, MatchKind, QueryKind, SearchError, SearchRequest, SearchResults, Snippet};

/// Exit status for a query that cannot be understood (see `cli` for the others).
pub const EXIT_BAD_QUERY: i32 = 2;

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// A document number (25-NQ/TW) or words, with or without diacritics. Also "phrases",
    /// AND/OR/NOT, -word, and filters type:, issuer:, year:, cites:, number:, date:A..B.
    /// Several words need no quotes (`vanban search đầu tư công`); they are joined by spaces.
    /// A word starting with `-` excludes it, even first (`vanban search -khéo dân vận`);
    /// after `--` every word is part of the query, `--json` included.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Print the results as JSON (schema: docs/json.md).
    #[arg(long)]
    pub json: bool,
    /// How many documents to show (at least 1).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Also count the matching documents by type, issuer and year.
    #[arg(long)]
    pub facets: bool,
    /// Only documents dated on or after this day (2024-03-17, 2024-03, 2024 or 17/3/2024).
    #[arg(long)]
    pub from: Option<String>,
    /// Only documents dated on or before this day.
    #[arg(long)]
    pub to: Option<String>,
}

/// Options of `search` (and the global ones) that take a value.
const VALUE_OPTIONS: &[&str] = &["--limit", "--from", "--to", "--index", "--dict"];
/// Options of `search` (and the global ones) without a value.
const FLAGS: &[&str] = &["--json", "--facets", "-h", "--help"];

/// Rewrites a `vanban search` command line so that query words starting with `-`
/// (`-khéo`: exclude the word) reach the query instead of being taken for unknown flags:
/// the options stay where clap looks for them, and every query word, in its order, goes
/// after a `--`. Other command lines, and searches without such a word, are left as they are.
pub fn hyphen_words_to_query(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let text: Vec<Option<&str>> = args.iter().map(|a| a.to_str()).collect();
    // The subcommand: after the program name and any global options with their values.
    let mut at = 1;
    while let Some(Some(arg)) = text.get(at) {
        if VALUE_OPTIONS.contains(arg) {
            at += 2;
        } else if arg.starts_with("--index=") || arg.starts_with("--dict=") {
            at += 1;
        } else {
            break;
        }
    }
    if text.get(at) != Some(&Some("search")) {
        return args;
    }
    let (mut options, mut words) = (Vec::new(), Vec::new());
    let mut i = at + 1;
    let mut rewrite = false;
    while i < args.len() {
        match text[i] {
            Some("--") => {
                words.extend(args[i + 1..].iter().cloned());
                break;
            }
            Some(arg) if VALUE_OPTIONS.contains(&arg) => {
                options.extend(args[i..(i + 2).min(args.len())].iter().cloned());
                i += 2;
                continue;
            }
            // Known flags, `--option=value`, and unknown `--options` (for clap to refuse).
            Some(arg) if FLAGS.contains(&arg) || arg.starts_with("--") => options.push(args[i].clone()),
            Some(arg) if arg.starts_with('-') => {
                rewrite = true;
                words.push(args[i].clone());
            }
            _ => words.push(args[i].clone()),
        }
        i += 1;
    }
    if !rewrite {
        return args;
    }
    let mut out: Vec<std::ffi::OsString> = args[..=at].to_vec();
    out.extend(options);
    out.push("--".into());
    out.extend(words);
    out
}

pub fn run(args: &SearchArgs, global: &Global) -> anyhow::Result<i32> {
    if args.limit == 0 {
        eprintln!("vanban: cannot search: --limit must be at least 1 (it is how many documents to show)");
        return Ok(EXIT_BAD_QUERY);
    }
    let archive = Archive::open_read_only(&global.index)?;
    let request = SearchRequest {
        query: args.query.join(" "),
        limit: args.limit,
        offset: 0,
        skip_snippets: false,
        facets: args.facets,
        from: args.from.clone(),
        to: args.to.clone(),
    };
    let results = match archive.search(&request) {
        Ok(results) => results,
        Err(SearchError::Query(err)) => {
            eprintln!("vanban: cannot search: {err}");
            return Ok(EXIT_BAD_QUERY);
        }
        Err(SearchError::Index(err)) => return Err(err),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &results).map_err(std::io::Error::from).and_then(|()| writeln!(out))
    } else {
        for notice in &results.notices {
            eprintln!("vanban: note: {notice}");
        }
        // Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org).
        let style = Style { colour: stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none() };
        write_human(&mut out, &results, style)
    };
    match written {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(EXIT_OK),
    }
}

#[derive(Clone, Copy)]
struct Style {
    colour: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn write_human(out: &mut dyn Write, results: &SearchResults, style: Style) -> std::io::Result<()> {
    let shown = results.hits.len();
    match (results.kind, &results.number) {
        (QueryKind::Number, Some(number)) => {
            let own = results.hits.iter().filter(|h| h.match_kind == MatchKind::Document).count();
            let maybe = results.hits.iter().filter(|h| h.match_kind == MatchKind::Candidate).count();
            let citing = results.total - (own + maybe).min(results.total);
            let itself = match (own, maybe) {
                (0, 0) => "not in the index; ".to_owned(),
                (0, m) => format!("not read as any document's number, but {m} document(s) may have it (unsure reading); "),
                _ => "the document and ".to_owned(),
            };
            writeln!(out, "{}: {itself}{citing} document(s) citing it", style.paint("1", number))?;
        }
        _ => writeln!(out, "{} document(s) match “{}”", results.total, results.query)?,
    }
    if shown < results.total {
        writeln!(out, "(showing the first {shown}; use --limit N for more)")?;
    }
    for hit in &results.hits {
        writeln!(out)?;
        write_hit(out, hit, style)?;
    }
    if let Some(facets) = &results.facets {
        writeln!(out)?;
        for (name, values) in [("type", &facets.doc_type), ("issuer", &facets.issuer), ("year", &facets.year)] {
            writeln!(out, "{}: {}", style.paint("1", name), facet_line(values))?;
        }
    }
    Ok(())
}

fn write_hit(out: &mut dyn Write, hit: &Hit, style: Style) -> std::io::Result<()> {
    let number = hit.number.as_deref().unwrap_or("(no number)");
    let mut line = format!("{:>2}. {}", hit.rank, style.paint("1;36", number));
    for part in [&hit.doc_type, &hit.issuer, &hit.date].into_iter().flatten() {
        line.push_str(" · ");
        line.push_str(part);
    }
    match hit.match_kind {
        MatchKind::Document => line.push_str(&style.paint("32", "  [the document]")),
        MatchKind::Cites => line.push_str(&style.paint("32", "  [cites it]")),
        MatchKind::Candidate => line.push_str(&style.paint("33", "  [may be the document: its number is unsure]")),
        MatchKind::Text => {}
    }
    if let (Some(note), MatchKind::Document | MatchKind::Candidate | MatchKind::Text) = (&hit.number_note, hit.match_kind) {
        line.push_str(&style.paint("33", &format!("  [number {note}]")));
    }
    if hit.fuzzy {
        line.push_str(&style.paint("33", "  [fuzzy]"));
    }
    writeln!(out, "{line}")?;
    if let Some(subject) = &hit.subject {
        writeln!(out, "    {subject}")?;
    }
    writeln!(out, "    {}", style.paint("2", &hit.path))?;
    for snippet in &hit.snippets {
        writeln!(out, "    p.{} l.{}  {}", snippet.page, snippet.line, highlighted(snippet, style))?;
    }
    Ok(())
}

/// The snippet with its highlights in bold yellow on a terminal, in [brackets] otherwise.
fn highlighted(snippet: &Snippet, style: Style) -> String {
    let chars: Vec<char> = snippet.text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for &[start, end] in &snippet.highlights {
        let (start, end) = (start.min(chars.len()), end.min(chars.len()));
        if start < at {
            continue;
        }
        out.extend(&chars[at..start]);
        let word: String = chars[start..end].iter().collect();
        out.push_str(&if style.colour { style.paint("1;33", &word) } else { format!("[{word}]") });
        at = end;
    }
    out.extend(&chars[at..]);
    out
}

fn facet_line(values: &[FacetValue]) -> String {
    if values.is_empty() {
        return "-".to_string();
    }
    values.iter().map(|v| format!("{} ({})", v.value, v.count)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(line: &str) -> String {
        let args = line.split(' ').map(std::ffi::OsString::from).collect();
        hyphen_words_to_query(args).iter().map(|a| a.to_str().unwrap()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn hyphen_words_go_to_the_query_and_options_stay_options() {
        assert_eq!(rewritten("vanban search -khéo dân --json"), "vanban search --json -- -khéo dân");
        assert_eq!(rewritten("vanban --index x search dân -khéo --limit 5"), "vanban --index x search --limit 5 -- dân -khéo");
        assert_eq!(rewritten("vanban search --from -x -y"), "vanban search --from -x -- -y");
        assert_eq!(rewritten("vanban search dân vận --json"), "vanban search dân vận --json", "nothing to move");
        assert_eq!(rewritten("vanban search -- -a --json"), "vanban search -- -a --json");
        assert_eq!(rewritten("vanban show -x"), "vanban show -x");
        assert_eq!(rewritten("vanban search --jsno -x"), "vanban search --jsno -- -x", "clap still refuses the typo");
    }
}
