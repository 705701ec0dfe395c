#!/usr/bin/env bash
# Searchable PDFs out (issue 14): what they cost in size and in ingest time.
#
#   bench/pdf_out.sh [ROUNDS]      # default 3 rounds; 0 = sizes only
#
# Time: ingests the sample corpus's scans (PNG, JPEG, 2-page TIFF, 2-page PDF) into a fresh
# temporary index with 2 workers, once without and once with `--pdf-out DIR`, ROUNDS times
# alternating, and prints the CPU seconds (user + system, GNU time) of each and their
# ratio (target ≤ 5%): CPU time is what the PDFs cost, and it is less sensitive than wall
# time to other work on a shared machine.
#
# Size: for every input, its bytes, its PDF's bytes and their ratio, and the largest ratio,
# against issue 14's limit (1.1× for PDF inputs; for image inputs the images plus 10%,
# counted here as the image file plus 10%, which the image data never exceeds). On the
# corpus, and on ../shared/real-scans (its 37 + 6 PDFs and the 6 nomvn first-page PNGs;
# `$VANBAN_SHARED/real-scans` when set) when it is there: those are ingested into a
# temporary index too, which takes minutes unless VANBAN_OCR_CACHE names a warm cache.
# Exits 1 when an output is over the limit.
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
  # Without the OCR cache: the share of the PDFs is measured against real OCR work.
  /usr/bin/time -f "%U %S" -o "$tmp/time" env -u VANBAN_OCR_CACHE "$vanban" --index "$tmp/index" ingest "$tmp/scans" --jobs 2 "$@" >/dev/null 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; exit 1; }
  awk '{ printf "%.2f", $1 + $2 }' "$tmp/time"
}

if [ "$rounds" -gt 0 ]; then
  without=0; with=0
  for r in $(seq "$rounds"); do
    a=$(run); b=$(run --pdf-out "$tmp/pdf")
    echo "round $r: ingest ${a} s CPU, with --pdf-out ${b} s CPU"
    without=$(echo "$without + $a" | bc -l); with=$(echo "$with + $b" | bc -l)
  done
  echo "ingest: $(printf %.2f "$without") s CPU; with --pdf-out: $(printf %.2f "$with") s CPU"
  echo "added by the PDFs: $(echo "100 * ($with - $without) / $without" | bc -l | xargs printf %.1f)% (target ≤ 5%)"
else
  run --pdf-out "$tmp/pdf" >/dev/null
fi

over=0
# Sizes of the PDFs in $2 against the inputs in $1 they were made from (same name).
sizes() {
  local scans=$1 pdfs=$2 label=$3 max_pdf=0 max_image=0
  printf '%-58s %10s %10s %6s\n' "$label input" bytes "PDF bytes" ratio
  for f in "$scans"/*; do
    local name; name=$(basename "${f%.*}")
    [ -f "$pdfs/$name.pdf" ] || continue
    local in out ratio
    in=$(stat -L -c %s "$f"); out=$(stat -c %s "$pdfs/$name.pdf")
    ratio=$(echo "$out / $in" | bc -l | xargs printf %.3f)
    local flag=""
    if (( $(echo "$ratio > 1.1" | bc -l) )); then flag="  OVER 1.1"; over=1; fi
    printf '%-58s %10d %10d %6s%s\n' "$(basename "$f")" "$in" "$out" "$ratio" "$flag"
    case "$f" in
      *.pdf) max_pdf=$(echo "if ($ratio > $max_pdf) $ratio else $max_pdf" | bc -l) ;;
      *) max_image=$(echo "if ($ratio > $max_image) $ratio else $max_image" | bc -l) ;;
    esac
  done
  echo "$label: max ratio $(printf %.3f "$max_pdf") for PDF inputs, $(printf %.3f "$max_image") for image inputs (limit 1.1)"
}

sizes "$tmp/scans" "$tmp/pdf" corpus

real="${VANBAN_SHARED:-$root/../shared}/real-scans"
if [ -d "$real" ]; then
  mkdir -p "$tmp/real"
  ln -s "$real"/quangngai/*.pdf "$real"/nomvn/*.pdf "$real"/nomvn/*_p1.png "$tmp/real/"
  "$vanban" --index "$tmp/real-index" ingest "$tmp/real" --jobs 2 >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  "$vanban" --index "$tmp/real-index" pdf --all --out "$tmp/real-pdf" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  sizes "$tmp/real" "$tmp/real-pdf" real-scans
else
  echo "real scans: $real is not there, skipped"
fi
exit "$over"
