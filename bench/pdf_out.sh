#!/usr/bin/env bash
# What writing searchable PDFs adds to ingest (issue 14: at most 5%).
#
#   bench/pdf_out.sh [ROUNDS]      # default 3 rounds
#
# Ingests the sample corpus's scans (PNG, JPEG, 2-page TIFF, 2-page PDF) into a fresh
# temporary index with 2 workers, once without and once with `--pdf-out DIR`, ROUNDS times
# alternating, and prints the CPU seconds (user + system, GNU time) of each and their
# ratio: CPU time is what the PDFs cost, and it is less sensitive than wall time to other
# work on a shared machine. Also prints the PDFs' sizes against their sources'.
set -euo pipefail

rounds=${1:-3}
root="$(cd "$(dirname "$0")/.." && pwd)"
vanban="${VANBAN:-$root/target/release/vanban}"
[ -x "$vanban" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time: apt-get install time" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/scans"
for f in qd-1582-ubnd.png cv-3456-ubnd.jpg bc-312-hu.tif kh-107-ubnd.pdf; do
  cp "$root/corpus/$f" "$tmp/scans/"
done

# CPU seconds of one ingest into a fresh index, with the extra arguments given.
run() {
  rm -rf "$tmp/index" "$tmp/pdf"
  /usr/bin/time -f "%U %S" -o "$tmp/time" "$vanban" --index "$tmp/index" ingest "$tmp/scans" --jobs 2 "$@" >/dev/null 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; exit 1; }
  awk '{ printf "%.2f", $1 + $2 }' "$tmp/time"
}

without=0; with=0
for r in $(seq "$rounds"); do
  a=$(run); b=$(run --pdf-out "$tmp/pdf")
  echo "round $r: ingest ${a} s CPU, with --pdf-out ${b} s CPU"
  without=$(echo "$without + $a" | bc -l); with=$(echo "$with + $b" | bc -l)
done
echo "ingest: $(printf %.2f "$without") s CPU; with --pdf-out: $(printf %.2f "$with") s CPU"
echo "added by the PDFs: $(echo "100 * ($with - $without) / $without" | bc -l | xargs printf %.1f)% (target ≤ 5%)"
for f in "$tmp"/scans/*; do
  name=$(basename "${f%.*}")
  in=$(stat -c %s "$f"); out=$(stat -c %s "$tmp/pdf/$name.pdf")
  echo "$(basename "$f"): $in bytes → $name.pdf $out bytes ($(echo "100 * $out / $in" | bc -l | xargs printf %.0f)%)"
done
