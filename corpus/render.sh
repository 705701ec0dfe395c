#!/usr/bin/env bash
# Re-renders the sample corpus from corpus/src/*.pango (and *.ref), deterministically.
# (Not .txt: `vanban ingest corpus` would take the sources for OCR text inputs.)
#
#   corpus/render.sh            # writes the files listed in corpus/README.md
#
# Needs (Debian): pango1.0-tools fonts-liberation2 imagemagick img2pdf libtiff-tools.
# Each source file is a sequence of blocks introduced by a line `@KIND`:
#   @left / @right        the two-column national header (first page only)
#   @title / @center      centered lines          @body   justified paragraphs
#   @page                 start a new page        @speckle  a speckled blank band
#   @foot-left / @foot-right  "Nơi nhận" and the signer block, side by side
# Text is Pango markup (<b>, <i>). Pages are A4 at 300 DPI, 8-bit gray.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="$here/src"
out="$here"
convert=/usr/bin/convert          # /usr/local/bin/convert may be a stand-in
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fonts-liberation (1.x) has no Vietnamese glyphs and shares the family name with
# fonts-liberation2, so pin fontconfig to the liberation2 folder alone.
fontdir=/usr/share/fonts/truetype/liberation2
[ -f "$fontdir/LiberationSerif-Regular.ttf" ] || { echo "render.sh: install fonts-liberation2" >&2; exit 1; }
cat > "$tmp/fonts.conf" <<EOF
<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$fontdir</dir><cachedir>$tmp/fc-cache</cachedir></fontconfig>
EOF
export FONTCONFIG_FILE="$tmp/fonts.conf"
export SOURCE_DATE_EPOCH=0   # no timestamps in PDF/PNG metadata

DPI=300
PAGE_W=2480; PAGE_H=3508          # A4 at 300 DPI
LEFT=354; TOP=200                 # 30 mm left margin, ~17 mm top
BODY_PT=462                       # body width in points (~163 mm)
FONT="Liberation Serif"

# render KIND TEXTFILE PNG: one block of markup to a white gray PNG.
render() {
    local kind=$1 text=$2 png=$3 width align size=13 extra=()
    case $kind in
        left)       width=215; align=center; size=12 ;;
        right)      width=285; align=center; size=12 ;;
        title|center) width=$BODY_PT; align=center ;;
        body)       width=$BODY_PT; align=left; extra=(--justify --indent=28) ;;
        foot-left)  width=215; align=left; size=11 ;;
        foot-right) width=240; align=center ;;
        *) echo "render.sh: unknown block @$kind" >&2; exit 1 ;;
    esac
    pango-view -q --markup --dpi=$DPI --font="$FONT $size" --width=$width --align=$align \
        --wrap=word --margin=0 --background=white --foreground=black --hinting=full \
        --spacing=2 "${extra[@]}" -o "$png.rgba.png" "$text"
    "$convert" "$png.rgba.png" -colorspace Gray -depth 8 "$png"
}

height() { identify -format '%h' "$1"; }

# compose_doc NAME: renders every page of src/NAME.txt to $tmp/NAME-pN.png (clean).
compose_doc() {
    local name=$1 dir="$tmp/$name"
    mkdir -p "$dir"
    # Split the source into numbered block files: page/seq-kind.txt
    awk -v dir="$dir" '
        /^@/ { kind = substr($0, 2); if (kind == "page") { page++; seq = 0; kind = "body" }
               seq++; file = sprintf("%s/%d-%02d-%s.txt", dir, page + 1, seq, kind);
               printf "" > file; next }
        { print >> file }
    ' "$src/$name.pango"
    local page=1
    while ls "$dir/$page-"*.txt >/dev/null 2>&1; do
        local args=() y=$TOP header_h=0 foot_h=0
        for block in "$dir/$page-"*.txt; do
            local kind; kind=$(basename "$block" .txt); kind=${kind#*-*-}
            local png="${block%.txt}.png"
            if [ "$kind" = speckle ]; then echo "$y $((y + 420))" > "$tmp/$name-speckle"; y=$((y + 420)); continue; fi
            render "$kind" "$block" "$png"
            local h; h=$(height "$png"); [ -n "${DEBUG:-}" ] && echo "$name p$page $kind h=$h y=$y" >&2
            case $kind in
                left)  args+=("$png" -geometry +236+$y -composite); header_h=$h ;;
                right) args+=("$png" -geometry +1200+$y -composite)
                       [ "$h" -gt "$header_h" ] && header_h=$h; y=$((y + header_h + 70)) ;;
                foot-left)  args+=("$png" -geometry +$LEFT+$((y + 60)) -composite); foot_h=$h ;;
                foot-right) args+=("$png" -geometry +1420+$y -composite)
                       [ "$h" -gt "$foot_h" ] && foot_h=$h; y=$((y + foot_h)) ;;
                *)     args+=("$png" -geometry +$LEFT+$y -composite); y=$((y + h + 25)) ;;
            esac
        done
        if [ "$y" -gt $((PAGE_H - 150)) ]; then
            echo "render.sh: $name page $page overflows A4 ($y px); split it with @page" >&2; exit 1
        fi
        "$convert" -size ${PAGE_W}x${PAGE_H} xc:white -colorspace Gray "${args[@]}" \
            -depth 8 "$tmp/$name-p$page.png"
        page=$((page + 1))
    done
}

# A scanner's faults, deterministic (fixed seeds): slight rotation, blur, noise.
degrade() {
    local in=$1 outp=$2 angle=$3 blur=$4 noise=$5
    "$convert" "$in" -background white -rotate "$angle" -gravity center -extent ${PAGE_W}x${PAGE_H} +repage \
        -blur "0x$blur" -seed 7 -attenuate "$noise" +noise Gaussian -colorspace Gray "$outp"
}

# Sprinkle dark specks over a band: what a dirty scanner glass leaves on a blank area.
speckle_band() {
    local in=$1 outp=$2 y0=$3 y1=$4 n=$5 draw="" i=0 seed=12345
    while [ $i -lt "$n" ]; do
        seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
        local x=$(( 300 + seed % 1900 ))
        seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
        local y=$(( y0 + seed % (y1 - y0) )) r=$(( 1 + seed % 4 ))
        draw+="circle $x,$y $((x + r)),$y "
        i=$((i + 1))
    done
    "$convert" "$in" -fill black -draw "$draw" "$outp"
}

finish_png() { "$convert" "$1" -strip -colorspace Gray -depth 8 -units PixelsPerInch -density $DPI "$2"; }

for f in "$src"/*.pango; do
    name=$(basename "$f" .pango)
    compose_doc "$name"
done

# 1. Quyết định 1582: a clean single-page PNG.
finish_png "$tmp/qd-1582-ubnd-p1.png" "$out/qd-1582-ubnd.png"

# 2. Kế hoạch 107: a scanned two-page PDF (JPEG pages, no text layer), slight tilt.
for p in 1 2; do
    degrade "$tmp/kh-107-ubnd-p$p.png" "$tmp/kh-$p.png" 0.4 0.6 0.1
    "$convert" "$tmp/kh-$p.png" -strip -quality 70 -units PixelsPerInch -density $DPI "$tmp/kh-$p.jpg"
done
img2pdf --engine internal --nodate --producer "" -o "$out/kh-107-ubnd.pdf" "$tmp/kh-1.jpg" "$tmp/kh-2.jpg"

# 3. Báo cáo 312 (Party): a two-page bilevel G4 TIFF, tilted ~1°, blurred, noisy.
for p in 1 2; do
    degrade "$tmp/bc-312-hu-p$p.png" "$tmp/bc-$p.png" -1.0 1.0 0.8
    "$convert" "$tmp/bc-$p.png" -threshold 55% -strip -type bilevel -compress Group4 \
        -units PixelsPerInch -density $DPI "$tmp/bc-$p.tif"
done
tiffcp -c g4 "$tmp/bc-1.tif" "$tmp/bc-2.tif" "$out/bc-312-hu.tif"

# 4. Công văn 3456: JPEG quality 60, tilted, blurred, specks all over and a speckled
#    blank band between the text and the signature (Tesseract invents junk lines there).
speckle_band "$tmp/cv-3456-ubnd-p1.png" "$tmp/cv-speck.png" $(cat "$tmp/cv-3456-ubnd-speckle") 900
degrade "$tmp/cv-speck.png" "$tmp/cv-deg.png" 0.8 0.8 0.5
"$convert" "$tmp/cv-deg.png" -strip -quality 60 -units PixelsPerInch -density $DPI "$out/cv-3456-ubnd.jpg"

# 5. Thông báo 45: a legacy OCR text layer (no Vietnamese model): diacritics lost or garbled.
perl "$here/legacy-ocr.pl" < "$src/tb-45-hu.ref" > "$out/tb-45-hu-legacy-ocr.txt"

echo "render.sh: wrote $(cd "$out" && ls qd-1582-ubnd.png kh-107-ubnd.pdf bc-312-hu.tif cv-3456-ubnd.jpg tb-45-hu-legacy-ocr.txt | tr '\n' ' ')"
