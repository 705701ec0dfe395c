//! The Vietnamese syllable and text folding: one place that repair, cite and index use
//! for every comparison of Vietnamese text.
//!
//! (Skeleton: the repair owner grows `Syllable` here.)

use unicode_normalization::UnicodeNormalization;

/// NFC form of `text`.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Removes every diacritic and maps đ/Đ to d/D, keeping case: "Đẩy mạnh" → "Day manh".
/// Search uses this for its accent-insensitive field.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}
