//! The syllable trigram language model: interpolated modified Kneser–Ney estimated from
//! counts, pruned by a count cutoff, and stored in backoff form so that a lookup is at
//! most three hash probes.
//!
//! On disk (`lm.bin`) keys are sorted and delta-coded as varints and log-probabilities
//! are quantized to 16 bits, which keeps the file small enough for git; loading decodes
//! it into open-addressing hash tables.

use anyhow::{bail, Context};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use super::token::{BOS, EOS, RESERVED};

const MAGIC: &[u8; 8] = b"VBLM\x00\x00\x00\x01";
/// Bits per word id in a packed n-gram key (three ids fit a u64).
const ID_BITS: u32 = 21;
const LOGP_FLOOR: f32 = -30.0;

/// A fast multiplicative hasher for the u64 keys the counts and tables use; the keys are
/// already well spread, and SipHash would dominate the build time.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ *b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64)
    }
}

pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

pub fn key2(v: u32, w: u32) -> u64 {
    ((v as u64) << ID_BITS) | w as u64
}

pub fn key3(u: u32, v: u32, w: u32) -> u64 {
    ((u as u64) << (2 * ID_BITS)) | key2(v, w)
}

/// Open-addressing table of n-grams, each packed with its values into one u64: word ids
/// take as few bits as the vocabulary needs (12 for four thousand syllables) and the
/// values are the file's 16-bit quantized log-probabilities, so an entry is 8 bytes
/// where a (key, f32) pair takes 16 — half the memory, and twice the entries per cache
/// line for a decoder whose time goes to cache misses.
struct Table {
    entries: Vec<u64>,
    mask: usize,
    /// 64 − log2(size): Fibonacci hashing takes the top bits of the product, which
    /// depend on every bit of the key (the low bits would ignore the first word).
    shift: u32,
    /// Bits below the key that hold the values.
    value_bits: u32,
}

const EMPTY: u64 = u64::MAX;

/// Decoding probes the n-gram tables at random, tens of megabytes of them: with 4 KB
/// pages nearly every probe also misses the TLB. Asking the kernel for 2 MB pages
/// (before the memory is first touched) makes decoding markedly faster; where the kernel
/// says no, nothing changes.
fn ask_for_huge_pages<T>(buffer: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = buffer.as_ptr() as usize;
        let end = start + buffer.capacity() * std::mem::size_of::<T>();
        let aligned = (start + HUGE - 1) & !(HUGE - 1);
        if end > aligned + HUGE {
            let length = (end - aligned) & !(HUGE - 1);
            // SAFETY: advice only, over whole pages inside this allocation; it changes
            // neither the contents nor the validity of the memory.
            unsafe { libc::madvise(aligned as *mut libc::c_void, length, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = buffer;
}

impl Table {
    fn with_capacity(n: usize, value_bits: u32) -> Self {
        let size = (n * 2).next_power_of_two().max(16);
        let mut entries = Vec::with_capacity(size);
        ask_for_huge_pages(&entries);
        entries.resize(size, EMPTY);
        Table { entries, mask: size - 1, shift: 64 - size.trailing_zeros(), value_bits }
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn insert(&mut self, key: u64, value: u64) {
        let mut i = self.slot(key);
        while self.entries[i] != EMPTY && self.entries[i] >> self.value_bits != key {
            i = (i + 1) & self.mask;
        }
        self.entries[i] = (key << self.value_bits) | value;
    }

    #[inline]
    fn get(&self, key: u64) -> Option<u64> {
        let mut i = self.slot(key);
        loop {
            let entry = self.entries[i];
            if entry == EMPTY {
                return None;
            }
            if entry >> self.value_bits == key {
                return Some(entry & ((1 << self.value_bits) - 1));
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Starts loading the cache line `key` hashes to, so a later [`get`](Self::get)
    /// finds it there: the decoder asks for a hundred keys per word, each a cache miss
    /// in tens of megabytes, and issuing them together overlaps the waits.
    #[inline]
    fn prefetch(&self, key: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            let entry = &self.entries[self.slot(key)];
            // SAFETY: a prefetch is a hint; the pointer is to a live element.
            unsafe { std::arch::x86_64::_mm_prefetch(entry as *const u64 as *const i8, std::arch::x86_64::_MM_HINT_T0) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }
}

/// Trigram entries hold one quantized log-probability; bigram entries a flag (some
/// trigram continues this bigram), the log-probability and the backoff weight.
const TRIGRAM_VALUE_BITS: u32 = 16;
const BIGRAM_VALUE_BITS: u32 = 33;
const CONTINUED: u64 = 1 << 32;

/// A loaded trigram model over syllable ids. Log-probabilities are base 10.
pub struct LanguageModel {
    pub vocab: Vec<String>,
    ids: HashMap<String, u32>,
    unigrams: Vec<(f32, f32)>,
    bigrams: Table,
    trigrams: Table,
    /// Bits per word id in the tables' keys.
    id_bits: u32,
}

impl LanguageModel {
    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    pub fn word(&self, id: u32) -> &str {
        &self.vocab[id as usize]
    }

    pub fn unigram(&self, w: u32) -> f32 {
        self.unigrams[w as usize].0
    }

    #[inline]
    fn key2(&self, v: u32, w: u32) -> u64 {
        ((v as u64) << self.id_bits) | w as u64
    }

    #[inline]
    fn key3(&self, u: u32, v: u32, w: u32) -> u64 {
        ((u as u64) << (2 * self.id_bits)) | self.key2(v, w)
    }

    /// log10 P(w | u v) with backoff.
    #[inline]
    pub fn logp(&self, u: u32, v: u32, w: u32) -> f32 {
        self.logp_in(u, v, self.context(u, v), w)
    }

    /// The backoff weight of the context (u, v) when some trigram continues it, `None`
    /// when none does (then P(w | u v) is P(w | v) and no trigram need be looked up). It
    /// is the same for every next word, so a decoder scoring many candidates after one
    /// context looks it up once.
    #[inline]
    pub fn context(&self, u: u32, v: u32) -> Option<f32> {
        let entry = self.bigrams.get(self.key2(u, v))?;
        (entry & CONTINUED != 0).then(|| dequantize(entry as u16) + BOW_OFFSET)
    }

    /// log10 P(w | u v) given the [`context`](Self::context) of (u, v).
    #[inline]
    pub fn logp_in(&self, u: u32, v: u32, context: Option<f32>, w: u32) -> f32 {
        match context {
            Some(backoff) => match self.trigrams.get(self.key3(u, v, w)) {
                Some(q) => dequantize(q as u16),
                None => backoff + self.logp2(v, w),
            },
            None => self.logp2(v, w),
        }
    }

    /// Hints that [`logp_in`](Self::logp_in)`(u, v, context, w)` comes soon (see
    /// `Table::prefetch`).
    #[inline]
    pub fn prefetch(&self, u: u32, v: u32, context: Option<f32>, w: u32) {
        if context.is_some() {
            self.trigrams.prefetch(self.key3(u, v, w));
        }
        self.bigrams.prefetch(self.key2(v, w));
    }

    /// Hints that [`context`](Self::context)`(u, v)` comes soon.
    #[inline]
    pub fn prefetch_context(&self, u: u32, v: u32) {
        self.bigrams.prefetch(self.key2(u, v));
    }

    #[inline]
    pub fn logp2(&self, v: u32, w: u32) -> f32 {
        if let Some(entry) = self.bigrams.get(self.key2(v, w)) {
            return dequantize((entry >> 16) as u16);
        }
        self.unigrams[v as usize].1 + self.unigrams[w as usize].0
    }

    /// Loads `lm.vocab` and `lm.bin` from `dir`.
    pub fn load(dir: &Path) -> anyhow::Result<LanguageModel> {
        let vocab_path = dir.join("lm.vocab");
        let vocab: Vec<String> = std::fs::read_to_string(&vocab_path)
            .with_context(|| format!("{}: cannot read the language model vocabulary; run `vanban dict build`", vocab_path.display()))?
            .lines()
            .map(str::to_owned)
            .collect();
        let bin_path = dir.join("lm.bin");
        let bytes = std::fs::read(&bin_path)
            .with_context(|| format!("{}: cannot read the language model; run `vanban dict build`", bin_path.display()))?;
        let model = decode(&bytes, vocab).with_context(|| format!("{}: damaged language model file; rebuild it with `vanban dict build`", bin_path.display()))?;
        Ok(model)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> anyhow::Result<&[u8]> {
        if self.at + n > self.bytes.len() {
            bail!("truncated at byte {}", self.at);
        }
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    fn u32(&mut self) -> anyhow::Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn f32(&mut self) -> anyhow::Result<f32> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn u16(&mut self) -> anyhow::Result<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn varint(&mut self) -> anyhow::Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            value |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(value);
            }
        }
        bail!("bad varint at byte {}", self.at)
    }
}

fn quantize(logp: f32) -> u16 {
    let clamped = logp.clamp(LOGP_FLOOR, 0.0);
    ((clamped / LOGP_FLOOR) * 65535.0).round() as u16
}

fn dequantize(q: u16) -> f32 {
    q as f32 / 65535.0 * LOGP_FLOOR
}

/// Backoff weights may be positive; they are stored offset into the same range.
const BOW_OFFSET: f32 = 10.0;

fn decode(bytes: &[u8], vocab: Vec<String>) -> anyhow::Result<LanguageModel> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(8)? != MAGIC {
        bail!("not a vanban language model (bad magic)");
    }
    let (v, n2, n3) = (r.u32()? as usize, r.u32()? as usize, r.u32()? as usize);
    if v != vocab.len() {
        bail!("vocabulary has {} words but the model expects {v}", vocab.len());
    }
    let mut unigrams = Vec::with_capacity(v);
    for _ in 0..v {
        unigrams.push((r.f32()?, r.f32()?));
    }
    // Ids in as few bits as the vocabulary needs, none of them all ones, so no entry
    // can equal EMPTY.
    let id_bits = (v as u64 + 1).next_power_of_two().trailing_zeros().max(1);
    if 3 * id_bits + TRIGRAM_VALUE_BITS > 64 || 2 * id_bits + BIGRAM_VALUE_BITS > 64 {
        bail!("a vocabulary of {v} words is too large for the packed tables (at most 32,767)");
    }
    let id_mask = (1u64 << ID_BITS) - 1;
    let repack = |file_key: u64, words: u32| -> u64 {
        (0..words).rev().fold(0u64, |packed, i| (packed << id_bits) | ((file_key >> (i * ID_BITS)) & id_mask))
    };
    let mut trigram_rows = Vec::with_capacity(n3);
    let mut bigram_rows = Vec::with_capacity(n2);
    let mut key = 0u64;
    for _ in 0..n2 {
        key += r.varint()?;
        let (p, bow) = (r.u16()?, r.u16()?);
        bigram_rows.push((key, p, bow));
    }
    key = 0;
    for _ in 0..n3 {
        key += r.varint()?;
        trigram_rows.push((key, r.u16()?));
    }
    let mut trigrams = Table::with_capacity(n3, TRIGRAM_VALUE_BITS);
    // Contexts some trigram continues, as file keys of their bigram.
    let mut continued: std::collections::HashSet<u64, BuildHasherDefault<KeyHasher>> = Default::default();
    for &(file_key, q) in &trigram_rows {
        if file_key >> (2 * ID_BITS) >= v as u64 || (file_key >> ID_BITS) & id_mask >= v as u64 || file_key & id_mask >= v as u64 {
            bail!("trigram with a word id outside the vocabulary");
        }
        continued.insert(file_key >> ID_BITS);
        trigrams.insert(repack(file_key, 3), q as u64);
    }
    let mut bigrams = Table::with_capacity(n2, BIGRAM_VALUE_BITS);
    for &(file_key, p, bow) in &bigram_rows {
        if file_key >> ID_BITS >= v as u64 || file_key & id_mask >= v as u64 {
            bail!("bigram with a word id outside the vocabulary");
        }
        let flag = if continued.contains(&file_key) { CONTINUED } else { 0 };
        bigrams.insert(repack(file_key, 2), flag | (p as u64) << 16 | bow as u64);
    }
    let ids = vocab.iter().enumerate().map(|(i, w)| (w.clone(), i as u32)).collect();
    Ok(LanguageModel { vocab, ids, unigrams, bigrams, trigrams, id_bits })
}

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Counts sentences and estimates the model.
pub struct LmBuilder {
    pub vocab: Vec<String>,
    unigram_counts: Vec<u64>,
    bigram_counts: KeyMap<u32>,
    trigram_counts: KeyMap<u32>,
}

/// What to keep when writing the model.
#[derive(Debug, Clone, Copy)]
pub struct Pruning {
    /// Trigrams seen fewer times than this are dropped (their mass goes to backoff).
    pub min_trigram_count: u32,
    /// Trigrams whose count × log10(probability / backoff estimate) is below this are
    /// dropped (Seymore & Rosenfeld's weighted-difference pruning).
    pub min_weighted_gain: f64,
    pub min_bigram_count: u32,
}

impl LmBuilder {
    /// `vocab` must start with the reserved tokens in [`RESERVED`] order.
    pub fn new(vocab: Vec<String>) -> LmBuilder {
        assert!(vocab.iter().zip(RESERVED).all(|(a, b)| a == b));
        assert!(vocab.len() < (1 << ID_BITS));
        let n = vocab.len();
        LmBuilder { vocab, unigram_counts: vec![0; n], bigram_counts: KeyMap::default(), trigram_counts: KeyMap::default() }
    }

    /// Counts one sentence of word ids (without <s> and </s>).
    pub fn add_sentence(&mut self, words: &[u32]) {
        let mut u = BOS;
        let mut v = BOS;
        self.unigram_counts[BOS as usize] += 1;
        for &w in words.iter().chain(std::iter::once(&EOS)) {
            self.unigram_counts[w as usize] += 1;
            *self.bigram_counts.entry(key2(v, w)).or_default() += 1;
            if v != BOS {
                *self.trigram_counts.entry(key3(u, v, w)).or_default() += 1;
            }
            u = v;
            v = w;
        }
    }

    /// Raw bigram counts, for the word lexicon.
    pub fn bigram_counts(&self) -> &KeyMap<u32> {
        &self.bigram_counts
    }

    pub fn unigram_counts(&self) -> &[u64] {
        &self.unigram_counts
    }

    /// Estimates interpolated modified Kneser–Ney, prunes, converts to backoff form and
    /// serializes to the `lm.bin` format.
    pub fn build(&self, pruning: Pruning) -> Vec<u8> {
        let v = self.vocab.len();
        // Adjusted counts: continuation counts for lower orders, except after <s>, whose
        // n-grams are never the tail of a longer one.
        let mut bigram_adjusted: KeyMap<u32> = KeyMap::default();
        for &k in self.trigram_counts.keys() {
            *bigram_adjusted.entry(k & ((1 << (2 * ID_BITS)) - 1)).or_default() += 1;
        }
        for (&k, &c) in &self.bigram_counts {
            if (k >> ID_BITS) as u32 == BOS {
                bigram_adjusted.insert(k, c);
            }
        }
        let mut unigram_adjusted = vec![0u64; v];
        for &k in bigram_adjusted.keys() {
            unigram_adjusted[(k & ((1 << ID_BITS) - 1)) as usize] += 1;
        }
        // Unigrams: discounted continuation counts interpolated with the uniform.
        let total: u64 = unigram_adjusted.iter().sum();
        let d1 = discounts(unigram_adjusted.iter().map(|&c| c as u32));
        let mut p1 = vec![0f64; v];
        let mut mass = 0f64;
        for (w, &c) in unigram_adjusted.iter().enumerate() {
            if c > 0 {
                let d = d1.of(c as u32);
                p1[w] = (c as f64 - d) / total as f64;
                mass += d / total as f64;
            }
        }
        for (w, p) in p1.iter_mut().enumerate() {
            if w as u32 != BOS {
                *p += mass / (v - 1) as f64;
            }
        }
        // Bigrams.
        let d2 = discounts(bigram_adjusted.values().copied());
        let ctx2 = context_stats(&bigram_adjusted);
        let mut p2: KeyMap<f64> = KeyMap::default();
        for (&k, &c) in &bigram_adjusted {
            let ctx = k >> ID_BITS;
            let w = (k & ((1 << ID_BITS) - 1)) as usize;
            let s = ctx2[&ctx];
            let gamma = d2.gamma(&s) / s.total as f64;
            p2.insert(k, (c as f64 - d2.of(c)) / s.total as f64 + gamma * p1[w]);
        }
        // Trigrams.
        let d3 = discounts(self.trigram_counts.values().copied());
        let ctx3 = context_stats(&self.trigram_counts);
        let lower2 = |k3: u64| -> f64 {
            let k2 = k3 & ((1 << (2 * ID_BITS)) - 1);
            p2[&k2]
        };
        let mut p3: Vec<(u64, f64)> = self
            .trigram_counts
            .iter()
            .filter(|(_, &c)| c >= pruning.min_trigram_count)
            .filter_map(|(&k, &c)| {
                let s = ctx3[&(k >> ID_BITS)];
                let gamma = d3.gamma(&s) / s.total as f64;
                let backed_off = gamma * lower2(k);
                let p = (c as f64 - d3.of(c)) / s.total as f64 + backed_off;
                // Weighted-difference pruning: a trigram whose probability the backoff
                // already predicts well, times how often it occurs, earns no place.
                let gain = c as f64 * (p.log10() - backed_off.log10());
                (gain >= pruning.min_weighted_gain).then_some((k, p))
            })
            .collect();
        p3.sort_unstable_by_key(|e| e.0);
        let mut kept2: Vec<(u64, f64)> = p2
            .iter()
            .filter(|(k, _)| self.bigram_counts.get(k).copied().unwrap_or(0) >= pruning.min_bigram_count || ctx3.contains_key(k))
            .map(|(&k, &p)| (k, p))
            .collect();
        kept2.sort_unstable_by_key(|e| e.0);
        // Backoff weights: the mass left after the kept n-grams, renormalized over the
        // lower order's distribution of the words not kept.
        let mut bow2: KeyMap<f64> = KeyMap::default();
        let mut sums: KeyMap<(f64, f64)> = KeyMap::default();
        for &(k, p) in &p3 {
            let e = sums.entry(k >> ID_BITS).or_default();
            e.0 += p;
            e.1 += lower2(k);
        }
        for (ctx, (hi, lo)) in sums {
            bow2.insert(ctx, ((1.0 - hi).max(1e-12) / (1.0 - lo).max(1e-12)).log10());
        }
        let mut bow1 = vec![0f64; v];
        let mut sums1 = vec![(0f64, 0f64); v];
        for &(k, p) in &kept2 {
            let ctx = (k >> ID_BITS) as usize;
            sums1[ctx].0 += p;
            sums1[ctx].1 += p1[(k & ((1 << ID_BITS) - 1)) as usize];
        }
        for (ctx, (hi, lo)) in sums1.into_iter().enumerate() {
            bow1[ctx] = ((1.0 - hi).max(1e-12) / (1.0 - lo).max(1e-12)).log10();
        }
        // Serialize. Every trigram context must have its bigram so the backoff weight has
        // a home.
        let mut out = Vec::with_capacity(16 + v * 8 + kept2.len() * 7 + p3.len() * 5);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(v as u32).to_le_bytes());
        out.extend_from_slice(&(kept2.len() as u32).to_le_bytes());
        out.extend_from_slice(&(p3.len() as u32).to_le_bytes());
        for w in 0..v {
            let lp = if w as u32 == BOS { LOGP_FLOOR } else { (p1[w].max(1e-30)).log10() as f32 };
            out.extend_from_slice(&lp.to_le_bytes());
            out.extend_from_slice(&(bow1[w] as f32).to_le_bytes());
        }
        let mut prev = 0u64;
        for &(k, p) in &kept2 {
            push_varint(&mut out, k - prev);
            prev = k;
            out.extend_from_slice(&quantize(p.log10() as f32).to_le_bytes());
            let bow = bow2.get(&k).copied().unwrap_or(0.0) as f32;
            out.extend_from_slice(&quantize(bow - BOW_OFFSET).to_le_bytes());
        }
        prev = 0;
        for &(k, p) in &p3 {
            push_varint(&mut out, k - prev);
            prev = k;
            out.extend_from_slice(&quantize(p.log10() as f32).to_le_bytes());
        }
        out
    }
}

/// Per-context totals: all counts, and how many continuations were seen once, twice,
/// three or more times (for the modified KN backoff mass).
#[derive(Debug, Clone, Copy, Default)]
struct ContextStats {
    total: u64,
    n: [u64; 3],
}

fn context_stats(counts: &KeyMap<u32>) -> KeyMap<ContextStats> {
    let mut out: KeyMap<ContextStats> = KeyMap::default();
    for (&k, &c) in counts {
        let s = out.entry(k >> ID_BITS).or_default();
        s.total += c as u64;
        s.n[(c.min(3) - 1) as usize] += 1;
    }
    out
}

/// Modified Kneser–Ney discounts D1, D2, D3+ from counts of counts (Chen & Goodman).
#[derive(Debug, Clone, Copy)]
struct Discounts([f64; 3]);

fn discounts(counts: impl Iterator<Item = u32>) -> Discounts {
    let mut n = [0f64; 5];
    for c in counts {
        if (1..=4).contains(&c) {
            n[c as usize] += 1.0;
        }
    }
    if n[1] == 0.0 || n[2] == 0.0 || n[3] == 0.0 {
        return Discounts([0.5, 1.0, 1.5]);
    }
    let y = n[1] / (n[1] + 2.0 * n[2]);
    let clamp = |d: f64, max: f64| d.clamp(0.05, max);
    Discounts([
        clamp(1.0 - 2.0 * y * n[2] / n[1], 0.99),
        clamp(2.0 - 3.0 * y * n[3] / n[2], 1.99),
        clamp(3.0 - 4.0 * y * n[4] / n[3], 2.99),
    ])
}

impl Discounts {
    fn of(&self, c: u32) -> f64 {
        match c {
            0 => 0.0,
            1 => self.0[0],
            2 => self.0[1],
            _ => self.0[2],
        }
    }
    fn gamma(&self, s: &ContextStats) -> f64 {
        self.0[0] * s.n[0] as f64 + self.0[1] * s.n[1] as f64 + self.0[2] * s.n[2] as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_sum_to_one_and_prefer_seen_continuations() {
        let vocab: Vec<String> = RESERVED.iter().map(|s| s.to_string()).chain(["a", "b", "c"].map(String::from)).collect();
        let mut b = LmBuilder::new(vocab.clone());
        for _ in 0..5 {
            b.add_sentence(&[4, 5, 6]);
            b.add_sentence(&[4, 5, 5, 6]);
        }
        b.add_sentence(&[6, 4]);
        let bytes = b.build(Pruning { min_trigram_count: 1, min_bigram_count: 1, min_weighted_gain: 0.0 });
        let lm = decode(&bytes, vocab).unwrap();
        for (u, v) in [(4, 5), (0, 4), (6, 6)] {
            let total: f64 = (1..7).map(|w| 10f64.powf(lm.logp(u, v, w) as f64)).sum();
            assert!((total - 1.0).abs() < 0.02, "context ({u},{v}) sums to {total}");
        }
        assert!(lm.logp(4, 5, 6) > lm.logp(4, 5, 4));
    }
}
