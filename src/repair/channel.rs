//! The OCR channel model: log P(what OCR printed | the real syllable), and the
//! candidates it can reach from a printed token.
//!
//! Three kinds of input behave very differently, so the channel has one setting per
//! [`Regime`], chosen per text from how its words look:
//! - `Unaccented`: marks were stripped (typed without Vietnamese input, or exported
//!   without them) — every syllable with the same letters is equally likely;
//! - `Accented`: a Vietnamese-aware OCR (Tesseract `vie`) or correct text — the printed
//!   token is almost always right, and errors are single tone or modifier slips;
//! - `Legacy`: an engine without Vietnamese (Tesseract `eng`, old text layers) — most
//!   marks are lost or turned into look-alike letters and digits, and letters merge and
//!   split (`ctia` = của, `Pdy` = Đẩy, `s6` = số).

use crate::viet::{self, letter_marks, Tone};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regime {
    Unaccented,
    Accented,
    Legacy,
}

/// log10 costs of mark slips between a printed token and a candidate with the same
/// letters, learned from OCR of rendered text (see `ocr_channel.tsv`).
#[derive(Debug, Clone, Copy)]
pub struct MarkCosts {
    /// The token is a known syllable and printed as is.
    pub keep: f32,
    pub tone_dropped: f32,
    pub tone_wrong: f32,
    pub modifier_dropped: f32,
    pub modifier_wrong: f32,
}

impl MarkCosts {
    /// Measured on Tesseract `vie` output of rendered corpus text: about 1 syllable in
    /// 100 is wrong and most errors are one mark.
    pub const ACCENTED: MarkCosts =
        MarkCosts { keep: -0.004, tone_dropped: -2.3, tone_wrong: -2.6, modifier_dropped: -2.3, modifier_wrong: -2.6 };
    /// Legacy engines keep the letters but marks are close to noise.
    pub const LEGACY: MarkCosts =
        MarkCosts { keep: -0.3, tone_dropped: -0.4, tone_wrong: -0.5, modifier_dropped: -0.4, modifier_wrong: -0.6 };
    /// Every mark was removed: a printed token without marks says nothing about them.
    pub const UNACCENTED: MarkCosts =
        MarkCosts { keep: 0.0, tone_dropped: 0.0, tone_wrong: -3.0, modifier_dropped: 0.0, modifier_wrong: -3.0 };

    pub fn of(regime: Regime) -> MarkCosts {
        match regime {
            Regime::Unaccented => MarkCosts::UNACCENTED,
            Regime::Accented => MarkCosts::ACCENTED,
            Regime::Legacy => MarkCosts::LEGACY,
        }
    }

    /// Cost of printing `printed` for `real`, two lowercase words with the same fold.
    pub fn cost(&self, printed: &str, real: &str) -> f32 {
        if printed == real {
            return self.keep;
        }
        let mut cost = 0.0;
        for (p, r) in printed.chars().zip(real.chars()) {
            if p == r {
                continue;
            }
            let (p, r) = (letter_marks(p), letter_marks(r));
            if p.tone != r.tone {
                cost += if p.tone == Tone::Level { self.tone_dropped } else { self.tone_wrong };
            }
            if p.modifier != r.modifier {
                cost += if p.modifier.is_none() { self.modifier_dropped } else { self.modifier_wrong };
            }
        }
        cost
    }
}

/// Counts of how the words of a text look, to pick its [`Regime`].
#[derive(Debug, Default, Clone, Copy)]
pub struct RegimeEvidence {
    pub words: usize,
    pub marked: usize,
    pub known: usize,
}

impl RegimeEvidence {
    pub fn add(&mut self, word: &str, known: bool) {
        self.words += 1;
        self.marked += viet::has_marks(word) as usize;
        self.known += known as usize;
    }

    /// Correct Vietnamese has marks on about 80% of its syllables and nearly all of them
    /// are known; stripped text has none; legacy OCR has marks, mostly wrong ones.
    pub fn regime(&self) -> Regime {
        if self.words == 0 {
            return Regime::Accented;
        }
        let marked = self.marked as f32 / self.words as f32;
        let known = self.known as f32 / self.words as f32;
        if marked < 0.2 && self.words >= 3 {
            Regime::Unaccented
        } else if known < 0.85 && self.words >= 3 {
            Regime::Legacy
        } else {
            Regime::Accented
        }
    }
}
