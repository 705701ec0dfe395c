#!/usr/bin/env bash
# The development legacy-OCR set, made as held-out-legacy/render.sh makes the held-out one:
# four directives written for vanban (src/*.pango, our own text), rendered as printed
# pages in fonts the held-out set does not use, degraded as an office scanner would, and
# read by Tesseract `eng` as the text layers of old PDFs were made. Writes, next to this script:
#   NAME.ref.txt   the printed text (the reference; markup stripped, blocks in reading order)
#   NAME.ocr.txt   Tesseract eng's reading of the degraded page (the sample)
# Deterministic (fixed seeds; same Tesseract, same output). Needs pango1.0-tools,
# imagemagick (/usr/bin/convert), fonts-texgyre, fonts-sil-doulos, fonts-dejavu-core,
# tesseract-ocr-eng.
#   bash tests/gold/dev-legacy/render.sh [KEEP_DIR]   # KEEP_DIR keeps the page images
# Development: extraction and repair are tuned on these files (fonts, sizes and degradation
# differ from the held-out set's); `vanban eval cite` reports them as development.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
convert=/usr/bin/convert
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
keep=${1:-}
export SOURCE_DATE_EPOCH=0

# NAME FONT SIZE DPI ANGLE BLUR NOISE FINISH: one document's page and reading.
page() {
    local name=$1 font=$2 size=$3 dpi=$4 angle=$5 blur=$6 noise=$7 finish=$8
    local dir="$tmp/$name" width_pt=470
    mkdir -p "$dir"
    awk -v dir="$dir" '/^@/ { n++; file = sprintf("%s/%02d-%s.txt", dir, n, substr($0, 2)); printf "" > file; next } { print >> file }' \
        "$here/src/$name.pango"
    local stack=() left="" foot=""
    for block in "$dir"/*.txt; do
        local kind; kind=$(basename "$block" .txt); kind=${kind#*-}
        local png="${block%.txt}.png" w=$width_pt align=left extra=()
        case $kind in
            left|foot-left) w=215; align=center; [ "$kind" = foot-left ] && align=left ;;
            right|foot-right) w=250; align=center ;;
            title|center) align=center ;;
            body) extra=(--justify --indent=28) ;;
        esac
        pango-view -q --markup --dpi="$dpi" --font="$font $size" --width="$w" --align=$align --wrap=word \
            --margin=0 --background=white --foreground=black --spacing=2 "${extra[@]}" -o "$png.rgba.png" "$block"
        "$convert" "$png.rgba.png" -colorspace Gray -depth 8 "$png"
        case $kind in
            left|foot-left) left=$png ;;
            right|foot-right)
                "$convert" "$left" -size "$((dpi / 2))x10" xc:white "$png" -gravity north -background white +append "$png.row.png"
                stack+=("$png.row.png") ;;
            *) stack+=("$png") ;;
        esac
    done
    # Stack the blocks with a gap, on a page with margins.
    local args=()
    for s in "${stack[@]}"; do args+=("$s" -size "10x$((dpi / 8))" xc:white); done
    "$convert" -background white "${args[@]}" -gravity west -append -bordercolor white -border "$((dpi * 3 / 4))" \
        -colorspace Gray "$dir/clean.png"
    "$convert" "$dir/clean.png" -background white -rotate "$angle" -blur "0x$blur" -seed 11 -attenuate "$noise" \
        +noise Gaussian -colorspace Gray $finish -units PixelsPerInch -density "$dpi" "$dir/scan.png"
    OMP_THREAD_LIMIT=1 tesseract "$dir/scan.png" "$dir/ocr" -l eng --psm 3 --dpi "$dpi" 2>/dev/null
    mv "$dir/ocr.txt" "$here/$name.ocr.txt"
    # The reference: the printed words, markup and rules removed, blocks in reading order.
    grep -v '^@' "$here/src/$name.pango" | sed -e 's/<[^>]*>//g' | grep -vE '^(-+|\*)$' | grep -v '^$' > "$here/$name.ref.txt"
    [ -n "$keep" ] && mkdir -p "$keep" && cp "$dir/scan.png" "$keep/$name.png"
    echo "$name: $(wc -w < "$here/$name.ref.txt") words; page $(identify -format '%wx%h' "$dir/scan.png") at $dpi DPI"
}

# Fonts: none of the held-out set's (Schola, Bonum), nor Charis SIL and Pagella, which the
# held-out scans of `vanban eval repair` use.
# A Party plan typed in TeX Gyre Cursor 12 pt (a typewriter's Courier), 300 DPI, tilted,
# blurred, noisy and thresholded to black and white.
page kh-87-hu "TeX Gyre Cursor" 12 300 -0.3 0.9 0.6 "-threshold 50%"
# A state decision in Doulos SIL 13 pt, 200 DPI, gray, saved as a low-quality JPEG and read back.
page qd-1842-ubnd "Doulos SIL" 13 200 0.4 0.5 0.4 "-quality 30 -write jpg:$tmp/q.jpg +delete jpg:$tmp/q.jpg"
# A council resolution in TeX Gyre Heros 11 pt (offices that print in Arial), 240 DPI, thresholded light.
page nq-34-hdnd "TeX Gyre Heros" 11 240 0.25 0.7 0.5 "-threshold 62%"
# A department letter in DejaVu Sans 12 pt, 200 DPI, blurred gray JPEG.
page cv-2156-sgddt "DejaVu Sans" 12 200 -0.6 0.8 0.3 "-quality 40 -write jpg:$tmp/q.jpg +delete jpg:$tmp/q.jpg"
