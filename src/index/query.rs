//! The search query language, parsed into a small tree before anything touches tantivy.
//!
//! Words (all must match), `"phrases"`, `AND`, `OR`, `NOT` / `-word`, parentheses, and field
//! filters `type:`, `issuer:`, `year:`, `cites:`, `number:`, `date:` (ranges with `..`),
//! `signed:` (yes, no, valid, invalid, partly) and `signer:`.
//! `a b OR c d` means `(a AND b) OR (c AND d)`.
//!
//! Clerks paste text from anywhere, so the parser repairs rather than refuses: an
//! unbalanced quote closes at the end, a lone operator or stray parenthesis is dropped,
//! control characters become spaces; each repair adds a notice that search prints. Only a
//! query with nothing left to search for, an over-long query, a filter value that means
//! nothing (`year:abc`, `date:2025-02-30`) or one nested deeper than [`MAX_DEPTH`] is an
//! error.
//!
//! The parser recurses once per `(` and per `NOT`/`-`, and every later stage (the
//! tantivy query, its scorers) recurses over the tree it builds, so the depth is checked
//! here and nowhere else: a query of a thousand `(` or `NOT`s is refused before it can
//! exhaust a server thread's stack (issue 16).

use super::number::lookup_key;
use super::schema::type_key;

/// Longer queries are refused: nobody types them, and each word costs a posting-list scan.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Parentheses and `NOT`s nest at most this deep; deeper queries are refused. Nobody types
/// more than three or four levels; the limit bounds the recursion of everything after.
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A bare word; several syllables when it holds punctuation ("dân-vận").
    Word(String),
    Phrase(String),
    Filter(Filter),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    /// `*`: every document (useful with filters alone).
    All,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Folded, lower-case type ("nghi quyet").
    Type(String),
    /// Issuer words, matched as a phrase in the issuer name.
    Issuer(String),
    /// Inclusive year range.
    Year(Option<i64>, Option<i64>),
    /// Inclusive YYYYMMDD range.
    Date(Option<i64>, Option<i64>),
    /// Lookup key of a cited number.
    Cites(String),
    /// Lookup key of the document's own number.
    Number(String),
    /// Digitally signed or not, or a signature status: `yes`, `no`, `valid`, `invalid`,
    /// `partly` (see [`super::schema::signed_keys`]).
    Signed(String),
    /// Signer words, matched as a phrase in the signers' names (printed and certified).
    Signer(String),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("the query has nothing to search for; give some words, a document number or a filter such as type:\"nghị quyết\"")]
    Empty,
    #[error("the query is {chars} characters long; the limit is {MAX_QUERY_CHARS}: search for a few distinctive words instead")]
    TooLong { chars: usize },
    #[error("`{field}:{value}` is not understood: {reason}")]
    BadFilter { field: String, value: String, reason: String },
    #[error("{flag} {value:?} is not a date: give 2024-03-17, 2024-03, 2024 or 17/3/2024")]
    BadDate { flag: &'static str, value: String },
    #[error("the query nests parentheses or NOTs more than {MAX_DEPTH} deep: write it with fewer brackets")]
    TooDeep,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedQuery {
    pub root: Node,
    /// What was repaired in the query, one sentence each.
    pub notices: Vec<String>,
}

pub fn parse(query: &str) -> Result<ParsedQuery, QueryError> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong { chars });
    }
    let mut notices = Vec::new();
    let cleaned = without_controls(query);
    if cleaned != query {
        notices.push("control characters (and terminal colour codes) in the query were read as spaces".to_string());
    }
    let lexemes = lex(&cleaned, &mut notices)?;
    let mut parser = Parser { lexemes, next: 0, notices };
    // Stray `)`s split the top level into parts that are all required: collected side by
    // side, never nested, so that `a)))…` stays one level deep.
    let mut parts = vec![parser.parse_or(0)?];
    while parser.next < parser.lexemes.len() {
        // Only a stray `)` stops the top level early.
        parser.next += 1;
        parser.notices.push("a `)` without its `(` was ignored".to_string());
        parts.push(parser.parse_or(0)?);
    }
    parts.retain(|part| *part != Node::And(Vec::new()));
    let root = simplify(Node::And(parts));
    if root == Node::And(Vec::new()) {
        return Err(QueryError::Empty);
    }
    if only_exclusions(&root) {
        parser.notices.push(
            "a query of only exclusions (NOT …, -word) matches nothing: add a word to search for, or `*` for every document"
                .to_string(),
        );
    }
    let mut notices = Vec::new();
    for notice in parser.notices {
        if !notices.contains(&notice) {
            notices.push(notice);
        }
    }
    Ok(ParsedQuery { root, notices })
}

#[derive(Debug, Clone, PartialEq)]
enum Lexeme {
    Word(String),
    Phrase(String),
    Filter(Filter),
    Open,
    Close,
    And,
    Or,
    Not,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

fn lex(query: &str, notices: &mut Vec<String>) -> Result<Vec<Lexeme>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if is_quote(c) {
            let (phrase, next) = read_quoted(&chars, i, notices);
            out.push(Lexeme::Phrase(phrase));
            i = next;
        } else if c == '(' {
            out.push(Lexeme::Open);
            i += 1;
        } else if c == ')' {
            out.push(Lexeme::Close);
            i += 1;
        } else if c == '-' && chars.get(i + 1).is_some_and(|&n| n.is_alphabetic() || is_quote(n) || n == '(') {
            out.push(Lexeme::Not);
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')') && !is_quote(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                "AND" | "&&" | "+" => out.push(Lexeme::And),
                "OR" | "||" | "|" => out.push(Lexeme::Or),
                "NOT" | "!" => out.push(Lexeme::Not),
                "*" => out.push(Lexeme::Word("*".to_string())),
                _ => match field_prefix(&word) {
                    Some((field, value)) => {
                        let value = if value.is_empty() && i < chars.len() && is_quote(chars[i]) {
                            let (quoted, next) = read_quoted(&chars, i, notices);
                            i = next;
                            quoted
                        } else {
                            value.to_string()
                        };
                        if value.trim().is_empty() {
                            notices.push(format!("`{field}:` has no value and was ignored"));
                        } else {
                            out.push(Lexeme::Filter(parse_filter(field, value.trim())?));
                        }
                    }
                    None => out.push(Lexeme::Word(word)),
                },
            }
        }
    }
    Ok(out)
}

/// Reads a quoted phrase starting at the quote `chars[start]`; returns it and the index
/// after the closing quote (or the end, with a notice, when there is none).
fn read_quoted(chars: &[char], start: usize, notices: &mut Vec<String>) -> (String, usize) {
    let body_start = start + 1;
    match chars[body_start..].iter().position(|&c| is_quote(c)) {
        Some(len) => (chars[body_start..body_start + len].iter().collect(), body_start + len + 1),
        None => {
            notices.push("a quote was not closed; the phrase was taken to run to the end of the query".to_string());
            (chars[body_start..].iter().collect(), chars.len())
        }
    }
}

/// Known field names (English and Vietnamese, folded) before a `:`.
fn field_prefix(word: &str) -> Option<(&'static str, &str)> {
    let (name, value) = word.split_once(':')?;
    let field = match crate::viet::fold(name).to_lowercase().as_str() {
        "type" | "loai" => "type",
        "issuer" | "coquan" => "issuer",
        "year" | "nam" => "year",
        "date" | "ngay" => "date",
        "cites" | "trichdan" => "cites",
        "number" | "so" | "sohieu" => "number",
        "signed" | "daky" | "kyso" => "signed",
        "signer" | "nguoiky" => "signer",
        _ => return None,
    };
    Some((field, value))
}

fn bad(field: &str, value: &str, reason: &str) -> QueryError {
    QueryError::BadFilter { field: field.to_string(), value: value.to_string(), reason: reason.to_string() }
}

fn parse_filter(field: &str, value: &str) -> Result<Filter, QueryError> {
    match field {
        "type" => Ok(Filter::Type(type_key(&expand_type_abbreviation(value)))),
        "issuer" => Ok(Filter::Issuer(value.to_string())),
        "year" => {
            let (from, to) = parse_range(value, |v| v.parse::<i64>().ok().filter(|y| (1000..=9999).contains(y)).map(|y| (y, y)))
                .ok_or_else(|| bad(field, value, "give a year (2024) or a range (2020..2024)"))?;
            Ok(Filter::Year(from, to))
        }
        "date" => {
            let (from, to) = parse_range(value, parse_date_bounds)
                .ok_or_else(|| bad(field, value, "give a date (2024-03-17) or a range (2024-01-01..2024-12-31)"))?;
            Ok(Filter::Date(from, to))
        }
        "cites" | "number" => {
            let key = lookup_key(value).ok_or_else(|| bad(field, value, "give a document number such as 25-NQ/TW"))?;
            Ok(if field == "cites" { Filter::Cites(key) } else { Filter::Number(key) })
        }
        "signed" => {
            let key = match crate::viet::fold(value).to_lowercase().as_str() {
                "yes" | "co" | "true" => "yes",
                "no" | "khong" | "false" => "no",
                "valid" | "hople" | "hop le" => "valid",
                "invalid" | "khonghople" | "khong hop le" => "invalid",
                "partly" | "partial" | "motphan" | "mot phan" => "partly",
                _ => return Err(bad(field, value, "give yes, no, valid, invalid or partly")),
            };
            Ok(Filter::Signed(key.to_string()))
        }
        "signer" => Ok(Filter::Signer(value.to_string())),
        _ => unreachable!("field_prefix only returns known fields"),
    }
}

/// `A..B`, `A..`, `..B` or `A`, where each side parses to (earliest, latest).
fn parse_range(value: &str, side: impl Fn(&str) -> Option<(i64, i64)>) -> Option<(Option<i64>, Option<i64>)> {
    match value.split_once("..") {
        Some((from, to)) => {
            let from = if from.is_empty() { None } else { Some(side(from)?.0) };
            let to = if to.is_empty() { None } else { Some(side(to)?.1) };
            (from.is_some() || to.is_some()).then_some((from, to))
        }
        None => side(value).map(|(from, to)| (Some(from), Some(to))),
    }
}

/// A date as the first and last YYYYMMDD it covers: `2024` → 20240101..20241231,
/// `2024-03` → the month, `2024-03-17` or `17/03/2024` → the day.
pub fn parse_date_bounds(text: &str) -> Option<(i64, i64)> {
    let text = text.trim();
    let parts: Vec<&str> = if text.contains('/') {
        let mut p: Vec<&str> = text.split('/').collect();
        p.reverse();
        p
    } else {
        text.split('-').collect()
    };
    let numbers: Option<Vec<i64>> = parts.iter().map(|p| p.parse::<i64>().ok()).collect();
    let numbers = numbers?;
    let year = *numbers.first()?;
    if !(1000..=9999).contains(&year) {
        return None;
    }
    match numbers[1..] {
        [] => Some((year * 10_000 + 101, year * 10_000 + 1231)),
        [month] if (1..=12).contains(&month) => Some((year * 10_000 + month * 100 + 1, year * 10_000 + month * 100 + 31)),
        [month, day] if (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day) => {
            let date = year * 10_000 + month * 100 + day;
            Some((date, date))
        }
        _ => None,
    }
}

/// Days in `month` (1–12) of `year`, Gregorian: `2025-02-30` is not a day, `2024-02-29` is.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `type:NQ` means `type:"Nghị quyết"`: the abbreviations of Decree 30/2020 and Party use.
fn expand_type_abbreviation(value: &str) -> String {
    let name = match crate::viet::fold(value).to_uppercase().as_str() {
        "NQ" => "Nghị quyết",
        "QD" => "Quyết định",
        "CT" => "Chỉ thị",
        "KH" => "Kế hoạch",
        "BC" => "Báo cáo",
        "TB" => "Thông báo",
        "HD" => "Hướng dẫn",
        "CV" => "Công văn",
        "KL" => "Kết luận",
        "TT" => "Thông tư",
        "ND" => "Nghị định",
        "QC" => "Quy chế",
        "CTR" => "Chương trình",
        "TTR" => "Tờ trình",
        "DA" => "Đề án",
        "PA" => "Phương án",
        _ => value,
    };
    name.to_string()
}

struct Parser {
    lexemes: Vec<Lexeme>,
    next: usize,
    notices: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.next)
    }

    fn parse_or(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut alternatives = vec![self.parse_and(depth)?];
        while self.peek() == Some(&Lexeme::Or) {
            self.next += 1;
            alternatives.push(self.parse_and(depth)?);
        }
        let before = alternatives.len();
        alternatives.retain(|n| *n != Node::And(Vec::new()));
        if alternatives.len() < before && before > 1 {
            self.notices.push("an `OR` with nothing on one side was ignored".to_string());
        }
        Ok(simplify(Node::Or(alternatives)))
    }

    fn parse_and(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None | Some(Lexeme::Close) | Some(Lexeme::Or) => break,
                Some(Lexeme::And) => {
                    self.next += 1;
                    let dangling = items.is_empty() || matches!(self.peek(), None | Some(Lexeme::Close | Lexeme::Or | Lexeme::And));
                    if dangling {
                        self.notices.push("an `AND` with nothing on one side was ignored".to_string());
                    }
                }
                _ => {
                    if let Some(node) = self.parse_unary(depth)? {
                        items.push(node);
                    }
                }
            }
        }
        Ok(simplify(Node::And(items)))
    }

    /// One operand. `depth` counts the `(` and `NOT` around it; past [`MAX_DEPTH`] the
    /// query is refused rather than recursed into.
    fn parse_unary(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        let lexeme = self.lexemes[self.next].clone();
        self.next += 1;
        if matches!(lexeme, Lexeme::Open | Lexeme::Not) && depth >= MAX_DEPTH {
            return Err(QueryError::TooDeep);
        }
        Ok(match lexeme {
            Lexeme::Not => {
                let operand = match self.peek() {
                    None | Some(Lexeme::Close) | Some(Lexeme::Or) | Some(Lexeme::And) => None,
                    _ => self.parse_unary(depth + 1)?,
                };
                if let (Some(Node::Word(excluded)), Some(Lexeme::Word(next))) = (&operand, self.peek()) {
                    // "NOT dự án" excludes "dự" and still requires "án": say so, it is rarely meant.
                    self.notices.push(format!(
                        "NOT excludes only the next word (“{excluded}”, not “{excluded} {next}”): to exclude several words, quote them: NOT \"{excluded} {next}\""
                    ));
                }
                match operand {
                    Some(node) => Some(Node::Not(Box::new(node))),
                    None => {
                        self.notices.push("a `NOT` with nothing after it was ignored".to_string());
                        None
                    }
                }
            }
            Lexeme::Open => {
                let inner = self.parse_or(depth + 1)?;
                if self.peek() == Some(&Lexeme::Close) {
                    self.next += 1;
                } else {
                    self.notices.push("a `(` was not closed; it was closed at the end".to_string());
                }
                (inner != Node::And(Vec::new())).then_some(inner)
            }
            Lexeme::Word(word) if word == "*" => Some(Node::All),
            Lexeme::Word(word) => Some(Node::Word(word)),
            Lexeme::Phrase(phrase) => (!phrase.trim().is_empty()).then(|| Node::Phrase(phrase)),
            Lexeme::Filter(filter) => Some(Node::Filter(filter)),
            Lexeme::And | Lexeme::Or | Lexeme::Close => None,
        })
    }
}

/// One-element groups become their element; an empty group stays `And([])` (nothing).
fn simplify(node: Node) -> Node {
    match node {
        Node::And(mut items) | Node::Or(mut items) if items.len() == 1 => items.pop().expect("one item"),
        Node::Or(items) if items.is_empty() => Node::And(items),
        other => other,
    }
}

/// The query with control characters read as spaces. A terminal colour code
/// (`ESC [ 31 m`, pasted from coloured output) goes whole, so that its `[31m` is not
/// searched for as a word.
pub fn without_controls(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            // Parameters and intermediates run up to a final byte in `@`..=`~`.
            for next in chars.by_ref() {
                if ('@'..='~').contains(&next) {
                    break;
                }
            }
            out.push(' ');
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether every branch of the query only excludes ("NOT dự án"): such a query has nothing
/// to match, and the clerk should be told why the result is empty.
fn only_exclusions(node: &Node) -> bool {
    match node {
        Node::Not(_) => true,
        Node::And(items) | Node::Or(items) => !items.is_empty() && items.iter().all(only_exclusions),
        _ => false,
    }
}

/// The positive words and phrases of a query (not those under NOT): what snippets highlight.
pub fn positive_texts(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Word(text) | Node::Phrase(text) => out.push(text.clone()),
        Node::And(items) | Node::Or(items) => items.iter().for_each(|n| positive_texts(n, out)),
        Node::Not(_) | Node::Filter(_) | Node::All => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(q: &str) -> Node {
        parse(q).unwrap().root
    }

    fn word(w: &str) -> Node {
        Node::Word(w.to_string())
    }

    #[test]
    fn words_phrases_and_operators() {
        assert_eq!(root("dân vận"), Node::And(vec![word("dân"), word("vận")]));
        assert_eq!(root("\"dân vận\" -khéo"), Node::And(vec![Node::Phrase("dân vận".into()), Node::Not(Box::new(word("khéo")))]));
        assert_eq!(root("a b OR c"), Node::Or(vec![Node::And(vec![word("a"), word("b")]), word("c")]));
        assert_eq!(root("a AND NOT b"), Node::And(vec![word("a"), Node::Not(Box::new(word("b")))]));
        assert_eq!(root("(a OR b) c"), Node::And(vec![Node::Or(vec![word("a"), word("b")]), word("c")]));
    }

    #[test]
    fn filters() {
        assert_eq!(root("type:NQ"), Node::Filter(Filter::Type("nghi quyet".into())));
        assert_eq!(root("loại:\"Quyết định\""), Node::Filter(Filter::Type("quyet dinh".into())));
        assert_eq!(root("year:2020..2024"), Node::Filter(Filter::Year(Some(2020), Some(2024))));
        assert_eq!(root("date:2024-03..2024"), Node::Filter(Filter::Date(Some(20240301), Some(20241231))));
        assert_eq!(root("date:..17/3/2025"), Node::Filter(Filter::Date(None, Some(20250317))));
        assert!(matches!(root("cites:25-nq-tw"), Node::Filter(Filter::Cites(_))));
        assert!(matches!(parse("year:abc"), Err(QueryError::BadFilter { .. })));
        assert_eq!(root("signed:yes"), Node::Filter(Filter::Signed("yes".to_string())));
        assert_eq!(root("daky:không"), Node::Filter(Filter::Signed("no".to_string())));
        assert_eq!(root("signer:\"Phùng Tô Long\""), Node::Filter(Filter::Signer("Phùng Tô Long".to_string())));
        assert!(matches!(parse("signed:maybe"), Err(QueryError::BadFilter { .. })));
        for impossible in ["date:2025-02-30", "date:2025-02-29", "date:31/4/2024", "date:2024-13"] {
            assert!(matches!(parse(impossible), Err(QueryError::BadFilter { .. })), "{impossible}");
        }
        assert_eq!(root("date:2024-02-29"), Node::Filter(Filter::Date(Some(20240229), Some(20240229))));
        assert_eq!(parse_date_bounds("2000-02-29"), Some((20000229, 20000229)));
        assert_eq!(parse_date_bounds("1900-02-29"), None);
        assert!(matches!(parse("cites:abc"), Err(QueryError::BadFilter { .. })));
        // An unknown prefix is just text.
        assert_eq!(root("Điều:5"), word("Điều:5"));
    }

    #[test]
    fn broken_queries_are_repaired_with_a_notice() {
        let q = parse("\"dân vận").unwrap();
        assert_eq!(q.root, Node::Phrase("dân vận".into()));
        assert_eq!(q.notices.len(), 1);
        let pasted = parse("dự\u{1}án\u{1b}[31m").unwrap();
        assert_eq!(pasted.root, Node::And(vec![word("dự"), word("án")]));
        assert!(pasted.notices[0].contains("control characters"));
        assert!(parse("NOT dự").unwrap().notices.iter().any(|n| n.contains("only exclusions")));
        assert!(parse("đầu tư công NOT nông thôn").unwrap().notices.iter().any(|n| n.contains("NOT \"nông thôn\"")));
        assert!(parse("dân NOT vận").unwrap().notices.is_empty());
        for broken in ["AND dân", "dân OR", "dân NOT", "(dân", "dân)", "dân\u{0}vận", "-", "dân AND AND vận"] {
            let q = parse(broken).unwrap_or_else(|e| panic!("{broken:?}: {e}"));
            assert!(!q.notices.is_empty() || broken == "-", "{broken:?} should be noticed");
        }
    }

    #[test]
    fn nothing_to_search_is_an_error() {
        for empty in ["", "   ", "AND", "OR", "NOT", "()", "\"\"", "type:"] {
            assert_eq!(parse(empty).map(|q| q.root), Err(QueryError::Empty), "{empty:?}");
        }
        assert!(matches!(parse(&"a ".repeat(5000)), Err(QueryError::TooLong { .. })));
    }

    #[test]
    fn nesting_past_the_limit_is_refused_and_stray_closers_stay_flat() {
        let at_limit = format!("{}dân{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(root(&at_limit), word("dân"));
        let deep = format!("{}dân{}", "(".repeat(400), ")".repeat(400));
        assert_eq!(parse(&deep), Err(QueryError::TooDeep));
        assert_eq!(parse(&format!("{}dân", "NOT ".repeat(MAX_DEPTH + 1))), Err(QueryError::TooDeep));
        assert_eq!(parse(&format!("{}dân", "-(".repeat(40))), Err(QueryError::TooDeep));
        assert_eq!(parse(&format!("{}dân", "! ".repeat(400))), Err(QueryError::TooDeep));
        let closers = parse(&format!("a{}", ")".repeat(999))).unwrap();
        assert_eq!(closers.root, word("a"));
        let parts = parse(&format!("a{}", ") b".repeat(300))).unwrap();
        assert!(matches!(&parts.root, Node::And(items) if items.len() == 301 && items.iter().all(|n| matches!(n, Node::Word(_)))));
    }
}
