#!/usr/bin/env bash
# OCR throughput: vanban vs the tesseract CLI on the same pages, in one run.
#
#   bench/ocr_throughput.sh [COPIES]      # default 3 copies of the 6 corpus pages = 18 pages
#
# Both OCR the same 300-DPI gray PNG pages (the corpus's PNG, JPEG, TIFF and PDF pages,
# extracted once) with 2 workers:
#   vanban:    `vanban ingest PAGES --jobs 2 --timings` into a fresh temporary index
#              (one Tesseract engine per worker, reused; OMP_THREAD_LIMIT=1 by re-exec);
#   tesseract: `OMP_THREAD_LIMIT=1 xargs -P 2 tesseract PAGE out -l vie` (one process per page).
# Prints pages/s for both and their ratio (target ≥ 1.1), the share of repair +
# extraction + indexing in vanban's work (target ≤ 10%), and vanban's peak RSS with
# 2 workers from GNU time (target ≤ 500 MB; Debian package `time`).
# The machine may be shared: run it when it is otherwise idle, or compare ROUNDS.
set -euo pipefail

copies=${1:-3}
rounds=${ROUNDS:-1}
root="$(cd "$(dirname "$0")/.." && pwd)"
vanban="${VANBAN:-$root/target/release/vanban}"
[ -x "$vanban" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time: apt-get install time" >&2; exit 1; }
command -v tesseract >/dev/null || { echo "install tesseract-ocr tesseract-ocr-vie" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pages="$tmp/pages"; mkdir -p "$pages/src"
corpus="$root/corpus"
/usr/bin/convert "$corpus/qd-1582-ubnd.png" "$pages/src/qd.png"
/usr/bin/convert "$corpus/cv-3456-ubnd.jpg" "$pages/src/cv.png"
/usr/bin/convert "$corpus/bc-312-hu.tif" -depth 8 "$pages/src/bc-%d.png"
pdftoppm -r 300 -gray -png "$corpus/kh-107-ubnd.pdf" "$pages/src/kh"
for c in $(seq 1 "$copies"); do
    for f in "$pages"/src/*.png; do cp "$f" "$pages/c$c-$(basename "$f")"; done
done
rm -r "$pages/src"
n=$(ls "$pages"/*.png | wc -l)
echo "pages: $n (6 corpus pages × $copies), 2 workers, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

now() { date +%s.%N; }
best_cli=0; best_vanban=0
for r in $(seq 1 "$rounds"); do
    rm -f "$pages"/*.txt
    t0=$(now)
    ls "$pages"/*.png | OMP_THREAD_LIMIT=1 xargs -P 2 -I{} tesseract {} {} -l vie --psm 3 >/dev/null 2>&1
    t1=$(now)
    cli=$(echo "$n / ($t1 - $t0)" | bc -l)
    rm -f "$pages"/*.txt

    rm -rf "$tmp/index"
    t0=$(now)
    /usr/bin/time -v -o "$tmp/time.txt" "$vanban" --index "$tmp/index" ingest "$pages" --jobs 2 --timings > "$tmp/summary.txt"
    t1=$(now)
    van=$(echo "$n / ($t1 - $t0)" | bc -l)
    printf 'round %d: tesseract CLI %.3f pages/s, vanban %.3f pages/s\n' "$r" "$cli" "$van"
    best_cli=$(echo "if ($cli > $best_cli) $cli else $best_cli" | bc -l)
    best_vanban=$(echo "if ($van > $best_vanban) $van else $best_vanban" | bc -l)
done

cat "$tmp/summary.txt"
rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/time.txt")
share=$(sed -n 's/.*(\([0-9.]*\)% of the work).*/\1/p' "$tmp/summary.txt")
printf 'tesseract CLI (OMP_THREAD_LIMIT=1, xargs -P 2): %.3f pages/s\n' "$best_cli"
printf 'vanban ingest --jobs 2:                         %.3f pages/s\n' "$best_vanban"
printf 'ratio vanban / CLI: %.2f  (target >= 1.10)\n' "$(echo "$best_vanban / $best_cli" | bc -l)"
printf 'repair + extraction + indexing: %s%% of the work  (target <= 10%%)\n' "$share"
printf 'peak RSS of vanban ingest, 2 workers: %d MB  (target <= 500 MB)\n' "$((rss_kb / 1024))"
