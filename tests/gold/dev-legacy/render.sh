#!/usr/bin/env bash
# The development legacy-OCR set, made as held-out-legacy/render.sh makes the held-out one:
# directives written for vanban (src/*.pango, our own text), rendered as printed
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
source "$(cd "$(dirname "$0")" && pwd)/../legacy-page.sh"

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
# A ministry circular in TeX Gyre Termes 13 pt (the Times of official print), 300 DPI,
# slightly tilted, blurred and thresholded as a fax-grade copy.
page tt-18-btc "TeX Gyre Termes" 13 300 0.5 1.0 0.5 "-threshold 55%"
# A ministry decision in DejaVu Serif 12 pt, 200 DPI, gray, a low-quality JPEG.
page qd-2317-bnn "DejaVu Serif" 12 200 -0.4 0.6 0.4 "-quality 35 -write jpg:$tmp/q.jpg +delete jpg:$tmp/q.jpg"
# A provincial Party resolution in DejaVu Serif Condensed 12 pt, 240 DPI, noisy, thresholded dark.
page nq-09-tu "DejaVu Serif Condensed" 12 240 0.3 0.8 0.7 "-threshold 45%"
# A ministry letter (V/v line) in TeX Gyre Termes 12 pt, 200 DPI, blurred gray JPEG.
page cv-3107-btnmt "TeX Gyre Termes" 12 200 -0.7 0.9 0.3 "-quality 30 -write jpg:$tmp/q.jpg +delete jpg:$tmp/q.jpg"
# A Party letter in Liberation Sans 12 pt (an Arial office), 300 DPI, tilted, thresholded light.
page cv-1520-tu "Liberation Sans" 12 300 0.8 0.7 0.5 "-threshold 60%"
# A district letter answering several others, its number typed letter-spaced ("1 2 8 /UBND"),
# in FreeSerif 13 pt, 200 DPI, gray, a low-quality JPEG.
page cv-128-ubnd "FreeSerif" 13 200 0.6 0.7 0.4 "-quality 30 -write jpg:$tmp/q.jpg +delete jpg:$tmp/q.jpg"
# A council resolution with a long basis of laws (amending laws by name), in TeX Gyre Heros
# Cn 12 pt (a condensed Arial), 300 DPI, thresholded as a photocopy.
page nq-21-hdnd "TeX Gyre Heros Cn" 12 300 -0.4 0.9 0.5 "-threshold 52%"
# A Party conclusion citing Party numbers with a comma before the date, in FreeSans 12 pt,
# 240 DPI, noisy, thresholded dark.
page tb-268-tu "FreeSans" 12 240 0.7 0.8 0.6 "-threshold 47%"
# A department's plan with a table whose cells break numbers over lines, in TeX Gyre
# Adventor 11 pt, 200 DPI, blurred gray JPEG.
page kh-215-snn "TeX Gyre Adventor" 11 200 -0.5 0.8 0.3 "-quality 35 -write jpg:$tmp/q.jpg +delete jpg:$tmp/q.jpg"
# A provincial decision citing a range of numbers ("số 1612, 1613 và 1614/QĐ-BTC"), in
# DejaVu Sans Condensed 12 pt, 240 DPI, tilted, thresholded light.
page qd-1125-ubnd "DejaVu Sans Condensed" 12 240 0.9 0.7 0.5 "-threshold 60%"
