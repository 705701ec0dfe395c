//! The noisy-channel decoder: for each sentence, the candidate sequence that maximizes
//! log P(words) + log P(OCR tokens | words), by beam search over trigram states.

use super::lm::LanguageModel;
use super::token::{BOS, EOS};

/// One position of a sentence: the candidates the channel allows, each with its
/// channel log10-probability. A fixed token (number, symbol, abbreviation) has one.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    pub candidates: &'a [(u32, f32)],
}

/// The best path's candidate index at each slot, plus for each slot the confidence of
/// that choice and the runner-up candidate index.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub choice: Vec<usize>,
    pub confidence: Vec<f32>,
    pub runner_up: Vec<Option<usize>>,
}

#[derive(Clone, Copy)]
struct State {
    u: u32,
    v: u32,
    score: f32,
    /// Index into the back-pointer arena.
    back: u32,
    /// Which candidate of its slot `v` is, so recombination is an array lookup.
    candidate: u16,
}

/// Beam width: trigram states kept per position. Wider beams changed < 0.05% of
/// syllables on held-out text while costing linear time.
pub const BEAM: usize = 10;

/// States this far (log10) below the best at their position are dropped, and a
/// candidate whose channel cost alone puts it that far behind is never scored: the
/// language model must then favour it 10,000 to 1 over the next few words to win back,
/// which a trigram model does not do. Most garbled tokens have one plausible reading,
/// so this keeps the beam to a few states. (4 rather than 5 scores a quarter fewer
/// n-grams and changed no figure of `vanban eval repair` for the worse.)
pub const MARGIN: f32 = 4.0;

/// Decodes one sentence.
pub fn decode(lm: &LanguageModel, slots: &[Slot]) -> Decoded {
    let n = slots.len();
    // Arena of (parent arena index, candidate index); index 0 is the root.
    let mut arena: Vec<(u32, u16)> = Vec::with_capacity(n * BEAM + 1);
    arena.push((0, 0));
    let mut beam = vec![State { u: BOS, v: BOS, score: 0.0, back: 0, candidate: 0 }];
    let mut previous_width = 1usize;
    let mut slot_of: Vec<u32> = Vec::new();
    let mut next: Vec<State> = Vec::with_capacity(BEAM * 16);
    let mut contexts: Vec<Option<f32>> = Vec::with_capacity(BEAM);
    for slot in slots {
        next.clear();
        let width = slot.candidates.len();
        let max_channel = slot.candidates.iter().map(|c| c.1).fold(f32::NEG_INFINITY, f32::max);
        // States sharing the trigram history (v, w) recombine: index by candidate pair.
        slot_of.clear();
        slot_of.resize(previous_width * width, u32::MAX);
        // Best first, so the bar below rises quickly.
        beam.sort_unstable_by(|a, b| b.score.total_cmp(&a.score));
        let mut best = f32::NEG_INFINITY;
        for s in beam.iter() {
            lm.prefetch_context(s.u, s.v);
        }
        contexts.clear();
        contexts.extend(beam.iter().map(|s| lm.context(s.u, s.v)));
        for (s, &context) in beam.iter().zip(&contexts) {
            for &(w, _) in slot.candidates {
                lm.prefetch(s.u, s.v, context, w);
            }
        }
        for (s, &context) in beam.iter().zip(&contexts) {
            if s.score + max_channel < best - MARGIN {
                break;
            }
            for (ci, &(w, ch)) in slot.candidates.iter().enumerate() {
                if s.score + ch < best - MARGIN {
                    continue;
                }
                let score = s.score + ch + lm.logp_in(s.u, s.v, context, w);
                best = best.max(score);
                let pair = s.candidate as usize * width + ci;
                match slot_of[pair] {
                    u32::MAX => {
                        arena.push((s.back, ci as u16));
                        slot_of[pair] = next.len() as u32;
                        next.push(State { u: s.v, v: w, score, back: (arena.len() - 1) as u32, candidate: ci as u16 });
                    }
                    at => {
                        let existing = &mut next[at as usize];
                        if score > existing.score {
                            arena.push((s.back, ci as u16));
                            existing.score = score;
                            existing.back = (arena.len() - 1) as u32;
                        }
                    }
                }
            }
        }
        previous_width = width;
        next.retain(|s| s.score >= best - MARGIN);
        if next.len() > BEAM {
            next.select_nth_unstable_by(BEAM - 1, |a, b| b.score.total_cmp(&a.score));
            next.truncate(BEAM);
        }
        std::mem::swap(&mut beam, &mut next);
    }
    let best = beam
        .iter()
        .map(|s| (s.score + lm.logp(s.u, s.v, EOS), s.back))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, back)| back)
        .unwrap_or(0);
    let mut choice = vec![0usize; n];
    let mut at = best;
    for i in (0..n).rev() {
        let (parent, ci) = arena[at as usize];
        choice[i] = ci as usize;
        at = parent;
    }
    let (confidence, runner_up) = local_posteriors(lm, slots, &choice);
    Decoded { choice, confidence, runner_up }
}

/// Confidence of each choice: its posterior among the slot's candidates with the
/// neighbouring words held at the best path (the three trigrams that contain it).
fn local_posteriors(lm: &LanguageModel, slots: &[Slot], choice: &[usize]) -> (Vec<f32>, Vec<Option<usize>>) {
    let word = |i: isize| -> u32 {
        if i < 0 {
            BOS
        } else if i as usize >= slots.len() {
            EOS
        } else {
            slots[i as usize].candidates[choice[i as usize]].0
        }
    };
    let mut confidence = Vec::with_capacity(slots.len());
    let mut runner_up = Vec::with_capacity(slots.len());
    let mut contexts: Vec<(Option<f32>, Option<f32>)> = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        if slot.candidates.len() < 2 {
            confidence.push(1.0);
            runner_up.push(None);
            continue;
        }
        let i = i as isize;
        let (a, b, d, e) = (word(i - 2), word(i - 1), word(i + 1), word(i + 2));
        let a = if i < 1 { BOS } else { a };
        let chosen = choice[i as usize];
        // A candidate the channel puts MARGIN behind the best could only win back with
        // odds the decoder never scored either: its share of the posterior is nil.
        let max_channel = slot.candidates.iter().map(|c| c.1).fold(f32::NEG_INFINITY, f32::max);
        let in_running = |j: usize, ch: f32| j == chosen || ch >= max_channel - MARGIN;
        let with_next = (i + 1) as usize <= slots.len();
        let with_second = (i + 2) as usize <= slots.len() && d != EOS;
        // Three rounds over the candidates, so that the memory reads of each round are
        // in flight together: the contexts, then the n-grams they call for, then scores.
        let ab = lm.context(a, b);
        for (j, &(w, ch)) in slot.candidates.iter().enumerate() {
            if in_running(j, ch) {
                lm.prefetch(a, b, ab, w);
                lm.prefetch_context(b, w);
                lm.prefetch_context(w, d);
            }
        }
        contexts.clear();
        for (j, &(w, ch)) in slot.candidates.iter().enumerate() {
            let pair = if in_running(j, ch) { (lm.context(b, w), lm.context(w, d)) } else { (None, None) };
            if in_running(j, ch) {
                if with_next {
                    lm.prefetch(b, w, pair.0, d);
                }
                if with_second {
                    lm.prefetch(w, d, pair.1, e);
                }
            }
            contexts.push(pair);
        }
        let scores: Vec<f32> = slot
            .candidates
            .iter()
            .zip(&contexts)
            .enumerate()
            .map(|(j, (&(w, ch), &(bw, wd)))| {
                if !in_running(j, ch) {
                    // Nil weight, but still ranked by the channel for the runner-up.
                    return ch - 1000.0;
                }
                let mut s = ch + lm.logp_in(a, b, ab, w);
                if with_next {
                    s += lm.logp_in(b, w, bw, d);
                }
                if with_second {
                    s += lm.logp_in(w, d, wd, e);
                }
                s
            })
            .collect();
        let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let total: f32 = scores.iter().map(|s| 10f32.powf(s - max)).sum();
        confidence.push(10f32.powf(scores[chosen] - max) / total);
        let second = scores
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != chosen)
            .max_by(|x, y| x.1.total_cmp(y.1))
            .map(|(j, _)| j);
        runner_up.push(second);
    }
    (confidence, runner_up)
}

