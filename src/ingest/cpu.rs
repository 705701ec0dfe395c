//! CPU time of the calling thread, for the `--timings` split between OCR and the stages
//! after it. Wall time would mislead on a busy machine: the thread that repairs and
//! indexes waits for a core while the OCR workers hold both.

use std::time::Duration;

/// The calling thread's user + system CPU time, from `/proc/thread-self/stat` (Linux;
/// `None` elsewhere). Resolution is one clock tick (10 ms), fine for sums over a batch.
pub fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // /proc reports in USER_HZ, which is 100 on Linux for every architecture.
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Measures `work` in CPU time of this thread when available, else in wall time.
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let wall = std::time::Instant::now();
    let cpu = thread_cpu_time();
    let result = work();
    let took = match (cpu, thread_cpu_time()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => wall.elapsed(),
    };
    (result, took)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn busy_work_costs_cpu_time_and_sleeping_does_not() {
        let (_, slept) = measure(|| std::thread::sleep(Duration::from_millis(200)));
        assert!(slept < Duration::from_millis(100), "{slept:?}");
        let (sum, spun) = measure(|| (0..200_000_000u64).fold(0u64, |a, b| a.wrapping_add(b ^ (a >> 3))));
        assert!(sum != 1 && spun >= Duration::from_millis(20), "{spun:?}");
    }
}
