#!/bin/bash
# Real OCR of the citation gold set, for `vanban eval cite`: render each gold document
# (tests/gold/NAME.txt, our own text) as a 300 DPI page in a font no training page of
# `vanban dict ocr` uses (TeX Gyre Schola), degrade it as a scanner does (blur, noise,
# threshold), and read it with real Tesseract: `eng` (as old PDFs' legacy text layers were
# made) and `vie` (as vanban reads scans). Writes OUT_DIR/eng/NAME.txt and OUT_DIR/vie/NAME.txt
# (default OUT_DIR: tests/gold/ocr, the readings `vanban eval cite` scores; they are
# committed, so the evaluation needs no Tesseract). Deterministic (fixed noise seed).
#   bash tests/gold/render-and-ocr.sh [OUT_DIR]
# Needs pango-view, ImageMagick (/usr/bin/convert), fonts-texgyre, tesseract-ocr-eng and -vie.
# About 10 s a page and engine.
set -euo pipefail
gold=$(cd "$(dirname "$0")" && pwd)
out=${1:-$gold/ocr}
mkdir -p "$out/eng" "$out/vie"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for txt in "$gold"/*.txt; do
  name=$(basename "$txt" .txt)
  pango-view --font="TeX Gyre Schola 12" --dpi=300 --margin=150 --width=2200 -q -o "$work/$name.png" "$txt"
  /usr/bin/convert "$work/$name.png" -colorspace Gray -blur 0x1.2 -seed 5 -attenuate 0.6 +noise Gaussian \
    -threshold 55% -units PixelsPerInch -density 300 "$work/$name-scan.png"
  for lang in eng vie; do
    OMP_THREAD_LIMIT=1 tesseract "$work/$name-scan.png" "$out/$lang/$name" -l $lang --psm 3 2>/dev/null
  done
done
echo "eng and vie readings of $(ls "$gold"/*.txt | wc -l) gold documents in $out"
