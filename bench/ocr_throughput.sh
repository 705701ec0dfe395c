#!/usr/bin/env bash
# OCR throughput: vanban vs the tesseract CLI on the same pages, in one run, on two sets:
#
#   bench/ocr_throughput.sh [COPIES]      # default 3 copies of each set's 6 pages = 18 pages
#
# Sets (both 300-DPI gray PNG pages, extracted at run time into a temporary folder that is
# removed at the end; nothing rendered is kept):
#   corpus: the corpus's PNG, JPEG, TIFF and PDF pages (6);
#   real:   page 1 of 6 Quảng Ngãi development scans of ../shared/real-scans (VANBAN_SHARED,
#           default ../shared), rendered as `pdftoppm -r 300 -gray` (seals, signature boxes,
#           handwriting: what archives hold). Skipped when the scans are not there.
# Both OCR the same pages with 2 workers:
#   vanban:    `vanban ingest PAGES --jobs 2 --timings` into a fresh temporary index
#              (one Tesseract engine per worker, reused; OMP_THREAD_LIMIT=1 by re-exec);
#   tesseract: `OMP_THREAD_LIMIT=1 xargs -P 2 tesseract PAGE out -l vie` (one process per page).
# Prints pages/s for both and their ratio (target ≥ 1.3, issue 10), the share of repair +
# extraction + indexing in vanban's CPU time (target ≤ 10%; measured on the ingesting
# thread, and as an upper bound over the whole process), and vanban's peak RSS with
# 2 workers from GNU time (target ≤ 500 MB; Debian package `time`).
# The machine may be shared: run it when it is otherwise idle, or compare ROUNDS; the
# CPU seconds per page (user + system, from GNU time) are less sensitive to other load,
# and their ratio is printed too.
set -euo pipefail

copies=${1:-3}
rounds=${ROUNDS:-1}
target=1.3
root="$(cd "$(dirname "$0")/.." && pwd)"
vanban="${VANBAN:-$root/target/release/vanban}"
shared="${VANBAN_SHARED:-$root/../shared}"
[ -x "$vanban" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time: apt-get install time" >&2; exit 1; }
command -v tesseract >/dev/null || { echo "install tesseract-ocr tesseract-ocr-vie" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }

# copies the PNGs of $1/src COPIES times into $1 and removes src
multiply() {
    for c in $(seq 1 "$copies"); do
        for f in "$1"/src/*.png; do cp "$f" "$1/c$c-$(basename "$f")"; done
    done
    rm -r "$1/src"
}

corpus_pages="$tmp/corpus"; mkdir -p "$corpus_pages/src"
corpus="$root/corpus"
/usr/bin/convert "$corpus/qd-1582-ubnd.png" "$corpus_pages/src/qd.png"
/usr/bin/convert "$corpus/cv-3456-ubnd.jpg" "$corpus_pages/src/cv.png"
/usr/bin/convert "$corpus/bc-312-hu.tif" -depth 8 "$corpus_pages/src/bc-%d.png"
pdftoppm -r 300 -gray -png "$corpus/kh-107-ubnd.pdf" "$corpus_pages/src/kh"
multiply "$corpus_pages"
sets="corpus"

real_pages="$tmp/real"
scans="$shared/real-scans/quangngai"
if [ -d "$scans" ]; then
    mkdir -p "$real_pages/src"
    # Development pages only (the held-out nomvn pages are not looked at).
    for name in 280-BC 239-TTr 46-TB 04-QD-138 2352-07-CT-UBND 51-QD-UB; do
        pdftoppm -r 300 -gray -png -f 1 -l 1 -singlefile "$scans/$name.pdf" "$real_pages/src/$name"
    done
    multiply "$real_pages"
    sets="corpus real"
else
    echo "no real scans at $scans (set VANBAN_SHARED): corpus pages only" >&2
fi
echo "2 workers, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at start"

for set in $sets; do
    pages="$tmp/$set"
    n=$(ls "$pages"/*.png | wc -l)
    echo "== $set: $n pages (6 pages × $copies)"
    best_cli=0; best_vanban=0; best_cli_cpu=0; best_van_cpu=0
    for r in $(seq 1 "$rounds"); do
        rm -f "$pages"/*.txt
        t0=$(now)
        ls "$pages"/*.png | OMP_THREAD_LIMIT=1 /usr/bin/time -f "%U %S" -o "$tmp/cli-cpu.txt" \
            xargs -P 2 -I{} tesseract {} {} -l vie --psm 3 >/dev/null 2>&1
        t1=$(now)
        cli=$(calc "$n / ($t1 - $t0)")
        rm -f "$pages"/*.txt

        rm -rf "$tmp/index"
        t0=$(now)
        /usr/bin/time -v -o "$tmp/time.txt" "$vanban" --index "$tmp/index" ingest "$pages" --jobs 2 --timings > "$tmp/summary.txt"
        t1=$(now)
        van=$(calc "$n / ($t1 - $t0)")
        cli_cpu=$(awk -v n="$n" '{ print ($1 + $2) / n }' "$tmp/cli-cpu.txt")
        van_cpu=$(awk -v n="$n" -F': ' '/User time|System time/ { s += $2 } END { print s / n }' "$tmp/time.txt")
        printf 'round %d: tesseract CLI %.3f pages/s (%.2f CPU s/page), vanban %.3f pages/s (%.2f CPU s/page), load %s\n' \
            "$r" "$cli" "$cli_cpu" "$van" "$van_cpu" "$(cut -d' ' -f1 /proc/loadavg)"
        best_cli=$(calc "($cli > $best_cli) ? $cli : $best_cli")
        best_vanban=$(calc "($van > $best_vanban) ? $van : $best_vanban")
        best_cli_cpu=$(calc "($best_cli_cpu == 0 || $cli_cpu < $best_cli_cpu) ? $cli_cpu : $best_cli_cpu")
        best_van_cpu=$(calc "($best_van_cpu == 0 || $van_cpu < $best_van_cpu) ? $van_cpu : $best_van_cpu")
    done

    cat "$tmp/summary.txt"
    rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/time.txt")
    share=$(sed -n 's/.*(\([0-9.]*\)% of the work).*/\1/p' "$tmp/summary.txt")
    ocr_cpu=$(sed -n 's/.*reading + OCR \([0-9.]*\) s;.*/\1/p' "$tmp/summary.txt")
    total_cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$tmp/time.txt")
    printf '%s: tesseract CLI (OMP_THREAD_LIMIT=1, xargs -P 2): %.3f pages/s, %.2f CPU s/page\n' "$set" "$best_cli" "$best_cli_cpu"
    printf '%s: vanban ingest --jobs 2:                         %.3f pages/s, %.2f CPU s/page\n' "$set" "$best_vanban" "$best_van_cpu"
    printf '%s: ratio vanban / CLI: %.2f pages/s, %.2f CPU per page  (target >= %s)\n' "$set" \
        "$(calc "$best_vanban / $best_cli")" "$(calc "$best_cli_cpu / $best_van_cpu")" "$target"
    printf '%s: repair + extraction + indexing: %s%% of the work  (target <= 10%%)\n' "$set" "$share"
    printf '  upper bound, all of vanban'"'"'s CPU that is not page OCR (startup, model load, hashing,\n'
    printf '  index threads, pdftoppm not counted as OCR): %.1f%% (%.2f of %.2f CPU s)\n' \
        "$(calc "100 * (1 - $ocr_cpu / $total_cpu)")" "$(calc "$total_cpu - $ocr_cpu")" "$total_cpu"
    printf '%s: peak RSS of vanban ingest, 2 workers: %d MB  (target <= 500 MB)\n' "$set" "$((rss_kb / 1024))"
done
