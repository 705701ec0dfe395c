#!/usr/bin/env bash
# PDF text layers: born-digital pages read from their layer vs OCR'd, in one run.
#
#   bench/pdf_layers.sh [COPIES]     # default 3 copies of the 4 born-digital letters = 27 pages
#
# 1. The four born-digital PDFs of ../shared/real-scans/quangngai (vht507, vht534, 05,
#    bnt-…; 9 pages), COPIES times under different names, ingested with 2 workers into a
#    fresh index twice: as vanban does (faithful layer → no OCR) and with `--force-ocr`
#    (every page rasterized and OCR'd, the layer still read and judged). Prints pages/s
#    (wall, whole ingest: model load and index commits included) and CPU seconds per page
#    (user + system of vanban and every poppler child, from GNU time), and the ratios
#    (target ≥ 20× pages/s).
# 2. Scanned pages: what judging a layer adds to a page that is OCR'd anyway — the extra
#    poppler calls (`pdftotext -tsv`, `pdfimages -list`) on the scanned, signed PDFs
#    280-BC, 46-TB and 575-UB (5 pages, each with a signature-box layer), against the OCR
#    CPU per page of the same pages. A page with no layer at all costs what it did before
#    (one `pdftotext -layout` call, as always).
# The machine may be shared: CPU seconds are steadier than wall time under load.
set -euo pipefail

copies=${1:-3}
root="$(cd "$(dirname "$0")/.." && pwd)"
vanban="${VANBAN:-$root/target/release/vanban}"
shared="${VANBAN_SHARED:-$root/../shared}"
qn="$shared/real-scans/quangngai"
[ -x "$vanban" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time: apt-get install time" >&2; exit 1; }
[ -d "$qn" ] || { echo "no $qn: the shared real scans are needed" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
calc() { awk "BEGIN { print $1 }"; }
now() { date +%s.%N; }

mkdir -p "$tmp/bd"
for c in $(seq 1 "$copies"); do
    for f in vht507.pdf vht534.pdf 05.pdf bnt-BTTTT-Gop-y-du-thao-sua-doi-bo-sung-Chuong-trinh-VTCI.pdf; do
        cp "$qn/$f" "$tmp/bd/c$c-$f"
    done
done
echo "born-digital: $((copies * 9)) pages (9 × $copies), 2 workers, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

run() { # run NAME ARGS... → prints "pages wall cpu"
    local name=$1; shift
    rm -rf "$tmp/index-$name"
    local t0 t1
    t0=$(now)
    /usr/bin/time -f "%U %S" -o "$tmp/cpu-$name.txt" "$vanban" --index "$tmp/index-$name" ingest "$tmp/bd" --jobs 2 "$@" > "$tmp/summary-$name.txt"
    t1=$(now)
    local pages
    pages=$(sed -n 's/.*(\([0-9]*\) page(s)).*/\1/p' "$tmp/summary-$name.txt")
    echo "$pages $(calc "$t1 - $t0") $(awk '{ print $1 + $2 }' "$tmp/cpu-$name.txt")"
}
read -r p_layer w_layer c_layer < <(run layer)
read -r p_ocr w_ocr c_ocr < <(run ocr --force-ocr)
[ "$p_layer" = "$p_ocr" ] || { echo "page counts differ: $p_layer vs $p_ocr" >&2; exit 1; }
printf 'text layer:    %6.2f pages/s  %.3f CPU s/page  (%.1f s wall)\n' "$(calc "$p_layer / $w_layer")" "$(calc "$c_layer / $p_layer")" "$w_layer"
printf 'OCR (forced):  %6.2f pages/s  %.3f CPU s/page  (%.1f s wall)\n' "$(calc "$p_ocr / $w_ocr")" "$(calc "$c_ocr / $p_ocr")" "$w_ocr"
printf 'speed-up: %.1fx pages/s (wall), %.1fx CPU per page  (target >= 20x)\n' "$(calc "$w_ocr / $w_layer")" "$(calc "$c_ocr / $c_layer")"

# 2. The added cost of judging a scanned page's layer.
mkdir -p "$tmp/scans"
for f in 280-BC.pdf 46-TB.pdf 575-UB.pdf; do cp "$qn/$f" "$tmp/scans/"; done
rm -rf "$tmp/index-scans"
/usr/bin/time -f "%U %S" -o "$tmp/cpu-scans.txt" "$vanban" --index "$tmp/index-scans" ingest "$tmp/scans" --jobs 2 > "$tmp/summary-scans.txt"
scan_pages=$(sed -n 's/.*(\([0-9]*\) page(s)).*/\1/p' "$tmp/summary-scans.txt")
scan_cpu=$(awk '{ print $1 + $2 }' "$tmp/cpu-scans.txt")
: > "$tmp/calls.sh"
for f in "$tmp"/scans/*.pdf; do
    pages=$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')
    for p in $(seq 1 "$pages"); do
        echo "pdftotext -tsv -enc UTF-8 -f $p -l $p '$f' - > /dev/null" >> "$tmp/calls.sh"
        echo "pdfimages -list -f $p -l $p '$f' > /dev/null" >> "$tmp/calls.sh"
    done
done
# Ten times over, so that GNU time's 10 ms resolution does not round it away.
for r in 1 2 3 4 5 6 7 8 9 10; do cat "$tmp/calls.sh"; done > "$tmp/calls10.sh"
/usr/bin/time -f "%U %S" -o "$tmp/extra.txt" bash "$tmp/calls10.sh"
extra=$(awk '{ print ($1 + $2) / 10 }' "$tmp/extra.txt")
printf 'scanned pages with a signature-box layer: %d pages, %.2f CPU s/page to ingest; the extra layer checks (tsv + pdfimages, upper bound: every page) add %.3f CPU s/page (%.1f%%)\n' \
    "$scan_pages" "$(calc "$scan_cpu / $scan_pages")" "$(calc "$extra / $scan_pages")" "$(calc "100 * $extra / $scan_cpu")"
