//! Decoding the recognizer's per-frame class posteriors (CTC, class 0 = blank).
//!
//! Greedy decoding is what the reference does for running text. For fields whose form
//! is known (a document number's digits, a day of the month), [`constrained`] searches
//! the strings the [`Pattern`] allows and ranks them by their full CTC probability
//! (summed over alignments): where the model's best class is a letter (`44O`, `Z00`,
//! `0ỹ` for a pen-written 07), the digit it ranks next usually is the right one.
//! (Lending letters' probability to look-alike digits was tried and did worse on the
//! real crops: a pen 7 read as `ỹ` became 4.)

use std::collections::HashMap;

/// Per-frame log-posteriors (natural log), `frames × classes`, class 0 the blank.
#[derive(Debug, Clone)]
pub struct Posteriors {
    pub frames: usize,
    pub classes: usize,
    pub logp: Vec<f32>,
}

impl Posteriors {
    /// From raw logits (log-softmax per frame).
    pub fn from_logits(logits: &[f32], frames: usize, classes: usize) -> Posteriors {
        let mut logp = logits[..frames * classes].to_vec();
        for f in logp.chunks_mut(classes) {
            let max = f.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let sum: f32 = f.iter().map(|v| (v - max).exp()).sum();
            let log_z = max + sum.ln();
            f.iter_mut().for_each(|v| *v -= log_z);
        }
        Posteriors { frames, classes, logp }
    }

    #[inline]
    pub fn frame(&self, t: usize) -> &[f32] {
        &self.logp[t * self.classes..][..self.classes]
    }
}

/// Greedy CTC: the best class per frame, repeats merged, blanks dropped. Returns the
/// kept (frame, class, probability) triples.
pub fn greedy(post: &Posteriors) -> Vec<(usize, usize, f32)> {
    let mut out = Vec::new();
    let mut previous = 0usize;
    for t in 0..post.frames {
        let f = post.frame(t);
        let (best, lp) = f.iter().enumerate().fold((0, f32::NEG_INFINITY), |a, (i, &v)| if v > a.1 { (i, v) } else { a });
        if best != 0 && best != previous {
            out.push((t, best, lp.exp()));
        }
        previous = best;
    }
    out
}

/// One part of a [`Pattern`]: any of `chars`, repeated `min..=max` times.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub chars: Vec<char>,
    pub min: usize,
    pub max: usize,
}

/// The strings a field may hold: parts in sequence (a tiny regular expression without
/// alternation). Spaces are never part of a field: the model's space class counts as
/// a blank when decoding against a pattern.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pattern {
    pub parts: Vec<Part>,
}

impl Pattern {
    /// `min..=max` decimal digits.
    pub fn digits(min: usize, max: usize) -> Pattern {
        Pattern::default().then_digits(min, max)
    }

    pub fn then_digits(mut self, min: usize, max: usize) -> Pattern {
        self.parts.push(Part { chars: ('0'..='9').collect(), min, max });
        self
    }

    /// Exactly the characters of `text` (spaces skipped).
    pub fn then_literal(mut self, text: &str) -> Pattern {
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            self.parts.push(Part { chars: vec![c], min: 1, max: 1 });
        }
        self
    }

    /// One of `chars`, `min..=max` times.
    pub fn then_any_of(mut self, chars: &str, min: usize, max: usize) -> Pattern {
        self.parts.push(Part { chars: chars.chars().collect(), min, max });
        self
    }

    /// The (character, next state) moves allowed after a prefix in `state`; a state is
    /// (part index, repeats of that part so far).
    fn moves(&self, state: (usize, usize)) -> Vec<(char, (usize, usize))> {
        let mut out = Vec::new();
        let (mut part, mut count) = state;
        loop {
            let Some(p) = self.parts.get(part) else { break };
            if count < p.max {
                out.extend(p.chars.iter().map(|&c| (c, (part, count + 1))));
            }
            if count < p.min {
                break;
            }
            part += 1;
            count = 0;
        }
        out
    }

    fn is_final(&self, state: (usize, usize)) -> bool {
        let (part, count) = state;
        match self.parts.get(part) {
            None => true,
            Some(p) => count >= p.min && self.parts[part + 1..].iter().all(|p| p.min == 0),
        }
    }
}

/// One decoded reading with its log-probability (natural log, summed over alignments).
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub text: String,
    pub logp: f32,
}

fn log_add(a: f32, b: f32) -> f32 {
    if a == f32::NEG_INFINITY {
        return b;
    }
    if b == f32::NEG_INFINITY {
        return a;
    }
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// The `n` best strings `pattern` allows, by CTC prefix beam search over the classes
/// of `charset` (class k + 1 is `charset[k]`); spaces count as blank.
pub fn constrained(post: &Posteriors, charset: &[char], pattern: &Pattern, n: usize) -> Vec<Scored> {
    const BEAM: usize = 24;
    // Per frame: log P(blank or space) and log P(c) for each character the pattern uses.
    let wanted: Vec<char> = {
        let mut v: Vec<char> = pattern.parts.iter().flat_map(|p| p.chars.iter().copied()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let class_of: HashMap<char, usize> = charset.iter().enumerate().map(|(i, &c)| (c, i + 1)).collect();
    let spaces: Vec<usize> = charset.iter().enumerate().filter(|(_, c)| c.is_whitespace()).map(|(i, _)| i + 1).collect();
    let mut frames: Vec<(f32, Vec<f32>)> = Vec::with_capacity(post.frames);
    for t in 0..post.frames {
        let f = post.frame(t);
        let blank = spaces.iter().fold(f[0], |a, &s| log_add(a, f[s]));
        let lp: Vec<f32> = wanted.iter().map(|c| class_of.get(c).map_or(f32::NEG_INFINITY, |&k| f[k])).collect();
        frames.push((blank, lp));
    }

    // Beam entries: prefix -> (state, log P ending in blank, log P ending in its last char).
    type Entry = ((usize, usize), f32, f32);
    let mut beam: HashMap<String, Entry> = HashMap::new();
    beam.insert(String::new(), ((0, 0), 0.0, f32::NEG_INFINITY));
    for (blank, lp) in &frames {
        let mut next: HashMap<String, Entry> = HashMap::with_capacity(beam.len() * 4);
        for (prefix, &(state, pb, pnb)) in &beam {
            let total = log_add(pb, pnb);
            // Stay: a blank, or the last character repeated.
            let e = next.entry(prefix.clone()).or_insert((state, f32::NEG_INFINITY, f32::NEG_INFINITY));
            e.1 = log_add(e.1, total + blank);
            if let Some(last) = prefix.chars().last() {
                let k = wanted.binary_search(&last).expect("prefix chars are wanted");
                e.2 = log_add(e.2, pnb + lp[k]);
            }
            // Extend by one allowed character.
            for (c, to) in pattern.moves(state) {
                let k = wanted.binary_search(&c).expect("pattern chars are wanted");
                // The same character again needs a blank between (else it merges).
                let from = if prefix.ends_with(c) { pb } else { total };
                let mut p = prefix.clone();
                p.push(c);
                let e = next.entry(p).or_insert((to, f32::NEG_INFINITY, f32::NEG_INFINITY));
                e.2 = log_add(e.2, from + lp[k]);
            }
        }
        let mut ranked: Vec<(String, Entry)> = next.into_iter().collect();
        ranked.sort_by(|a, b| log_add(b.1 .1, b.1 .2).total_cmp(&log_add(a.1 .1, a.1 .2)).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(BEAM);
        beam = ranked.into_iter().collect();
    }
    let mut done: Vec<Scored> = beam
        .into_iter()
        .filter(|(_, (state, _, _))| pattern.is_final(*state))
        .map(|(text, (_, pb, pnb))| Scored { text, logp: log_add(pb, pnb) })
        .collect();
    done.sort_by(|a, b| b.logp.total_cmp(&a.logp).then_with(|| a.text.cmp(&b.text)));
    done.truncate(n);
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Posteriors from per-frame (class, probability) peaks, the rest spread evenly.
    fn frames(peaks: &[(usize, f32)], classes: usize) -> Posteriors {
        let mut logp = Vec::new();
        for &(k, p) in peaks {
            let rest = (1.0 - p) / (classes - 1) as f32;
            logp.extend((0..classes).map(|c| if c == k { p.ln() } else { rest.ln() }));
        }
        Posteriors { frames: peaks.len(), classes, logp }
    }

    const CHARSET: [char; 5] = ['1', '2', '4', 'O', ' '];

    #[test]
    fn greedy_merges_repeats_and_drops_blanks() {
        let p = frames(&[(1, 0.9), (1, 0.9), (0, 0.9), (1, 0.9), (2, 0.8)], 6);
        let got: Vec<usize> = greedy(&p).iter().map(|g| g.1).collect();
        assert_eq!(got, vec![1, 1, 2]);
    }

    #[test]
    fn where_a_letter_wins_the_digit_ranked_next_is_read() {
        // "44O": frames 4, blank, 4, then O first and 1 second.
        let mut p = frames(&[(3, 0.9), (0, 0.9), (3, 0.9), (4, 0.6)], 6);
        p.logp[3 * 6 + 1] = 0.3f32.ln();
        let best = constrained(&p, &CHARSET, &Pattern::digits(1, 4), 3);
        assert_eq!(best[0].text, "441");
        assert!(best.windows(2).all(|w| w[0].logp >= w[1].logp));
    }

    #[test]
    fn the_pattern_bounds_the_length_and_literals_are_kept() {
        let p = frames(&[(1, 0.9), (2, 0.9), (0, 0.9), (3, 0.9)], 6);
        let two = constrained(&p, &CHARSET, &Pattern::digits(1, 2), 2);
        assert!(two.iter().all(|s| s.text.len() <= 2));
        let lit = constrained(&p, &CHARSET, &Pattern::digits(1, 3).then_literal("4"), 1);
        assert!(lit[0].text.ends_with('4'), "{lit:?}");
    }

    #[test]
    fn pattern_moves_skip_optional_parts() {
        let p = Pattern::digits(0, 1).then_literal("2");
        let m: Vec<char> = p.moves((0, 0)).into_iter().map(|m| m.0).collect();
        assert!(m.contains(&'2') && m.contains(&'7'));
        assert!(!p.is_final((0, 0)));
        assert!(p.is_final((1, 1)));
    }
}
