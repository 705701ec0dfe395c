#!/bin/bash
# Real-OCR check of the gold set: render each gold document as a 300 dpi page, degrade it like
# a scan (blur, noise, threshold), read it back with Tesseract (vie), and keep the OCR text
# beside the gold JSON. Then score it:
#   bash tests/gold/render-and-ocr.sh /tmp/ocr-gold && vanban eval cite --gold /tmp/ocr-gold --verbose
# (the "gold, clean text" row is then the Tesseract reading). Needs pango-view, ImageMagick
# (/usr/bin/convert), fonts-liberation2 and tesseract-ocr-vie. About 10 s a page.
set -euo pipefail
out=${1:?usage: render-and-ocr.sh OUT_DIR}
gold=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for txt in "$gold"/*.txt; do
  name=$(basename "$txt" .txt)
  pango-view --font="Liberation Serif 12" --dpi=300 --margin=150 --width=2200 -q -o "$work/$name.png" "$txt"
  /usr/bin/convert "$work/$name.png" -colorspace Gray -blur 0x1.2 -attenuate 0.6 +noise Gaussian \
    -threshold 55% -units PixelsPerInch -density 300 "$work/$name-scan.png"
  OMP_THREAD_LIMIT=1 tesseract "$work/$name-scan.png" "$out/$name" -l vie 2>/dev/null
  cp "$gold/$name.json" "$out/"
done
echo "OCR text of $(ls "$gold"/*.txt | wc -l) gold documents in $out"
