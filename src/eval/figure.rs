//! One printed accuracy figure, and the table every `vanban eval` subcommand prints.
//!
//! Why a type: a figure measured on text the rules were tuned on says much less than one
//! measured on text nobody looked at, and a reader cannot tell them apart unless every
//! line says which it is. A [`Figure`] cannot be built without its [`EvalSet`], and an
//! `EvalSet` cannot be built without its [`Split`], so no subcommand can print an
//! unlabelled number. The README's accuracy table is pasted from `--markdown`, so it
//! matches the command line for line.

use serde::Serialize;
use std::fmt::Write as _;

/// Whether the set was looked at while rules, weights or models were tuned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Split {
    /// Seen while tuning (rules written from it, weights chosen on it): an optimistic figure.
    Development,
    /// Never looked at while tuning: what a new archive can expect.
    HeldOut,
    /// Development and held-out pages pooled (e.g. "all 13 gold pages"): still optimistic.
    #[serde(rename = "dev+held-out")]
    Pooled,
}

impl Split {
    pub fn label(self) -> &'static str {
        match self {
            Split::Development => "development",
            Split::HeldOut => "held-out",
            Split::Pooled => "dev+held-out",
        }
    }
}

/// The material a figure is measured on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvalSet {
    /// Short stable key (`quangngai-gold`), used by tests to find a figure.
    pub key: String,
    /// What it is, for a reader (`Quảng Ngãi gold p1, 7 pages`).
    pub name: String,
    pub split: Split,
}

impl EvalSet {
    pub fn new(key: impl Into<String>, name: impl Into<String>, split: Split) -> EvalSet {
        EvalSet { key: key.into(), name: name.into(), split }
    }
}

/// How a figure's value reads: a share of things right (higher is better) or an error
/// rate (lower is better), with the counts behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Value {
    /// `right` of `total` (accuracy, precision, recall).
    Share { right: usize, total: usize },
    /// `errors` per `of` (syllable error rate), printed as a percentage.
    Rate { errors: usize, of: usize },
    /// A derived ratio (F1) without meaningful counts.
    Ratio { value: f64 },
}

impl Value {
    pub fn get(&self) -> f64 {
        match *self {
            Value::Share { right, total } => ratio(right, total),
            Value::Rate { errors, of } => ratio(errors, of),
            Value::Ratio { value } => value,
        }
    }

    fn show(&self, x: f64) -> String {
        match self {
            // Small rates (correct text changed) need the third decimal.
            Value::Rate { .. } if x > 0.0 && x < 0.01 => format!("{:.3}%", 100.0 * x),
            Value::Rate { .. } => format!("{:.2}%", 100.0 * x),
            _ => format!("{x:.3}"),
        }
    }

    fn counts(&self) -> String {
        match *self {
            Value::Share { right, total } => format!("{right}/{total}"),
            Value::Rate { errors, of } => format!("{errors}/{of}"),
            Value::Ratio { .. } => String::new(),
        }
    }
}

/// 0/0 is 0: nothing measured is not a success.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// What the figure should reach (from the issue that set it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    AtLeast(f64),
    AtMost(f64),
}

/// Where a figure stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    Below,
    /// No target was set for it (reported so that nothing is left out).
    NoTarget,
    /// Nothing to measure (0 items): printed, never counted as met.
    Empty,
}

/// One printed figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Short stable key (`own.number`), used by tests to find it.
    pub key: String,
    /// What it measures, for a reader.
    pub name: String,
    pub set: EvalSet,
    pub value: Value,
    pub target: Option<Target>,
}

impl Figure {
    pub fn new(key: &str, name: &str, set: &EvalSet, value: Value) -> Figure {
        Figure { key: key.to_owned(), name: name.to_owned(), set: set.clone(), value, target: None }
    }

    pub fn target(mut self, target: Target) -> Figure {
        self.target = Some(target);
        self
    }

    pub fn status(&self) -> Status {
        let empty = match self.value {
            Value::Share { total, .. } => total == 0,
            Value::Rate { of, .. } => of == 0,
            Value::Ratio { .. } => false,
        };
        if empty {
            return Status::Empty;
        }
        let x = self.value.get();
        match self.target {
            None => Status::NoTarget,
            Some(Target::AtLeast(t)) if x + 1e-12 >= t => Status::Met,
            Some(Target::AtMost(t)) if x <= t + 1e-12 => Status::Met,
            Some(_) => Status::Below,
        }
    }

    fn target_text(&self) -> String {
        match self.target {
            Some(Target::AtLeast(t)) => format!("≥ {}", self.value.show(t)),
            Some(Target::AtMost(t)) => format!("≤ {}", self.value.show(t)),
            None => "—".to_owned(),
        }
    }

    fn status_text(&self) -> &'static str {
        match self.status() {
            Status::Met => "met",
            Status::Below => "BELOW",
            Status::NoTarget => "",
            Status::Empty => "nothing measured",
        }
    }

    fn value_text(&self) -> String {
        let counts = self.value.counts();
        if counts.is_empty() {
            self.value.show(self.value.get())
        } else {
            format!("{} ({counts})", self.value.show(self.value.get()))
        }
    }
}

/// The figures of one evaluation run, in print order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub figures: Vec<Figure>,
}

impl Figures {
    pub fn push(&mut self, figure: Figure) {
        self.figures.push(figure);
    }

    pub fn extend(&mut self, other: Figures) {
        self.figures.extend(other.figures);
    }

    pub fn find(&self, set_key: &str, key: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.set.key == set_key && f.key == key)
    }

    /// The table for the terminal: one figure a line, its split first.
    pub fn to_text(&self) -> String {
        let set_width = self.figures.iter().map(|f| f.set.name.chars().count()).max().unwrap_or(0);
        let name_width = self.figures.iter().map(|f| f.name.chars().count()).max().unwrap_or(0);
        let mut out = String::new();
        for f in &self.figures {
            let line = format!(
                "{:<12} {:<sw$}  {:<nw$}  {:>18}  target {:<9} {}",
                f.set.split.label(),
                f.set.name,
                f.name,
                f.value_text(),
                f.target_text(),
                f.status_text(),
                sw = set_width,
                nw = name_width,
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out
    }

    /// The same lines as Markdown table rows, for the README.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("| split | set | figure | value | target | status |\n| --- | --- | --- | --- | --- | --- |\n");
        for f in &self.figures {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                f.set.split.label(),
                f.set.name,
                f.name,
                f.value_text(),
                f.target_text(),
                f.status_text()
            );
        }
        out
    }

    /// One JSON object with every figure (for tests and scripts).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_names_its_split_and_set() {
        let dev = EvalSet::new("qn", "Quảng Ngãi gold p1, 7 pages", Split::Development);
        let held = EvalSet::new("nomvn", "nomvn gold p1, 6 pages", Split::HeldOut);
        let mut figures = Figures::default();
        figures.push(Figure::new("own.number", "own number right", &dev, Value::Share { right: 1, total: 7 }).target(Target::AtLeast(0.9)));
        figures.push(Figure::new("ser", "SER repaired", &held, Value::Rate { errors: 10, of: 200 }).target(Target::AtMost(0.04)));
        let text = figures.to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("development") && lines[0].contains("Quảng Ngãi gold p1") && lines[0].contains("0.143 (1/7)") && lines[0].ends_with("BELOW"));
        assert!(lines[1].starts_with("held-out") && lines[1].contains("5.00% (10/200)") && lines[1].contains("≤ 4.00%"));
        assert_eq!(figures.to_markdown().lines().count(), 2 + 2);
    }

    #[test]
    fn json_says_the_split_as_printed() {
        for split in [Split::Development, Split::HeldOut, Split::Pooled] {
            assert_eq!(serde_json::to_value(split).unwrap(), split.label());
        }
    }

    #[test]
    fn a_rate_meets_an_upper_target_and_nothing_measured_never_passes() {
        let set = EvalSet::new("s", "s", Split::HeldOut);
        let low = Figure::new("k", "k", &set, Value::Rate { errors: 3, of: 100 }).target(Target::AtMost(0.04));
        assert_eq!(low.status(), Status::Met);
        let empty = Figure::new("k", "k", &set, Value::Share { right: 0, total: 0 }).target(Target::AtLeast(0.0));
        assert_eq!(empty.status(), Status::Empty);
    }
}
