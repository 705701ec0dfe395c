# The recipe both legacy-OCR sets are made with (held-out-legacy/render.sh, dev-legacy/render.sh):
# one place, so that the development set stays made exactly as the held-out one. Sourced by
# those scripts; `here` is the calling script's folder (its src/*.pango in, the readings out).

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
