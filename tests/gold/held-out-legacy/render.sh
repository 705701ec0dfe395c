#!/usr/bin/env bash
# The held-out legacy-OCR sample: two directives written for vanban (src/*.pango, our own
# text), rendered as printed pages in fonts no training page of `vanban dict ocr` uses,
# degraded as an office scanner would, and read by Tesseract `eng` as the text layers of
# old PDFs were made. Writes, next to this script:
#   NAME.ref.txt   the printed text (the reference; markup stripped, blocks in reading order)
#   NAME.ocr.txt   Tesseract eng's reading of the degraded page (the sample)
# Deterministic (fixed seeds; same Tesseract, same output). Needs pango1.0-tools,
# imagemagick (/usr/bin/convert), fonts-texgyre, tesseract-ocr-eng.
#   bash tests/gold/held-out-legacy/render.sh [KEEP_DIR]   # KEEP_DIR keeps the page images
# Held out: nobody tunes repair or extraction on these files; `vanban eval repair` and
# `vanban eval cite` report them as held-out.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/../legacy-page.sh"

# A Party plan in TeX Gyre Schola 13 pt, 300 DPI, tilted, blurred and thresholded to black and white.
page kh-142-hu "TeX Gyre Schola" 13 300 0.35 0.8 0.5 "-threshold 55%"
# A state decision in TeX Gyre Bonum 12 pt, 240 DPI, gray, saved as a low-quality JPEG and read back.
page qd-2315-ubnd "TeX Gyre Bonum" 12 240 -0.5 0.6 0.3 "-quality 35 -write jpg:$tmp/q.jpg +delete jpg:$tmp/q.jpg"
