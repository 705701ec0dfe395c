//! Extraction never panics, and its work grows linearly with the input, whatever the input.

use proptest::prelude::*;
use std::time::Duration;

use vanban::cite::extract;

/// Pieces that exercise every branch of the grammar when strung together at random.
const PIECES: &[&str] = &[
    "Nghị quyết ", "số ", "s6 ", "Số: ", "25", "-", "/", "NQ", "TW", "TƯ", "QĐ", "QD", "Qb", "2020", "NĐ-CP", " ",
    "\n", "\u{0C}", "ngày ", "14/7/2015", " tháng ", " năm ", "của ", "Ban Chấp hành ", "về ", "Luật ", "Bộ luật ",
    "Tổ chức ", "Chỉ thị 35", "Căn cứ ", "thực hiện ", "được sửa đổi", "bãi bỏ ", "(", ")", "“", "”", ";", ".", ",",
    "KT. CHỦ TỊCH", "Nơi nhận:", "- ", "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI", "\u{0301}", "Ð", "0", "O", "l", "   ",
    "Ṿ/v ", "V/v ", "BÍ THƯ", "İ", "Mẫu số ", "Hiến pháp ", "năm 2013", "%", "~", "Nguyễn Văn A",
];

/// The learned `eng` OCR channel, which damages a text as the legacy engine would.
static CHANNEL: std::sync::LazyLock<vanban::cite::damage::ChannelDamage> = std::sync::LazyLock::new(|| {
    vanban::cite::damage::ChannelDamage::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/dictionaries")), "eng").unwrap()
});

fn piece_text() -> impl Strategy<Value = String> {
    prop::collection::vec(0..PIECES.len(), 0..200).prop_map(|ix| ix.into_iter().map(|i| PIECES[i]).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_any_string(text in "\\PC{0,300}") {
        let _ = extract(&text);
    }

    #[test]
    fn never_panics_on_grammar_pieces(text in piece_text()) {
        let extraction = extract(&text);
        let chars = text.chars().count();
        for c in &extraction.citations {
            prop_assert!(c.start <= c.end && c.end <= chars);
            prop_assert!(c.page >= 1 && c.line >= 1);
        }
    }

    #[test]
    fn reading_a_text_beside_its_damaged_copy_never_panics(text in piece_text()) {
        let damaged = CHANNEL.damage(&text);
        let both = vanban::cite::extract_both(&text, &damaged);
        for c in &both.citations {
            prop_assert!(c.ocr.is_some() || c.start <= c.end);
        }
    }

    #[test]
    fn every_id_reparses_to_itself(text in piece_text()) {
        for c in extract(&text).citations {
            if let Some(id) = c.id {
                let again = vanban::cite::DocId::parse(id.as_str());
                prop_assert_eq!(again.as_ref(), Some(&id));
            }
        }
    }
}

/// CPU time of this thread, not wall time: other processes on a busy CI machine then
/// cost us little more than cache misses.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant the kernel knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Fastest of a few runs, so that a busy machine does not make a linear pass look quadratic.
fn time(text: &str) -> Duration {
    (0..5)
        .map(|_| {
            let start = thread_cpu_time();
            std::hint::black_box(extract(std::hint::black_box(text)));
            thread_cpu_time().saturating_sub(start)
        })
        .min()
        .unwrap()
}

/// Growing the input must grow the time in proportion: with 8× the input, a linear pass takes
/// about 8× as long and a quadratic one 64×; the bound (24×) sits far from both, so that a
/// busy CI machine cannot make a linear pass fail nor a quadratic one pass.
fn assert_linear(name: &str, make: impl Fn(usize) -> String, unit: usize) {
    let small = make(unit);
    let large = make(unit * 8);
    // A quadratic pass fails every attempt; noise does not fail three in a row.
    let mut ratios = Vec::new();
    for _ in 0..3 {
        let (t_small, t_large) = (time(&small), time(&large));
        let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-6);
        println!("{name}: {} bytes {:?}, {} bytes {:?}, ratio {ratio:.1} (linear ≈ 8)", small.len(), t_small, large.len(), t_large);
        if ratio < 24.0 {
            return;
        }
        ratios.push(ratio);
    }
    panic!("{name}: 8× the input took {ratios:.1?}× the time in three attempts");
}

#[test]
fn pathological_inputs_take_linear_time() {
    assert_linear("digits", |n| "7".repeat(n), 50_000);
    assert_linear("one long line", |n| "Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương về ".repeat(n / 60), 100_000);
    assert_linear("deep brackets", |n| "(".repeat(n / 2) + &")".repeat(n / 2), 200_000);
    assert_linear("separators", |n| "1- -/ ".repeat(n / 6), 50_000);
    assert_linear("markers", |n| "Số: số s6 ".repeat(n / 10), 50_000);
    assert_linear("short forms", |n| "Chỉ thị 35 Chỉ thị số 35/CT-TTg ".repeat(n / 32), 50_000);
    assert_linear("law names", |n| "Luật Luật Tổ chức, Luật ".repeat(n / 24), 50_000);
    assert_linear("many lines", |n| "Số: 12/QĐ-UBND\nKT. CHỦ TỊCH\n- Nơi nhận:\n".repeat(n / 40), 50_000);
}
