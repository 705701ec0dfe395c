#!/usr/bin/env bash
# Installs the Debian packages vanban needs to build, run and test. Idempotent; run as root
# (or with sudo available). Rust itself (cargo) must already be installed.
set -euo pipefail

packages=(
  # OCR: Tesseract 5 and its Vietnamese model; the library and headers the `tesseract` crate links.
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng libtesseract-dev libleptonica-dev
  # bindgen in the tesseract crate's build needs libclang.
  clang libclang-dev pkg-config
  # Scanned PDFs: pdftoppm rasterizes pages, pdftotext reads a page's own text layer.
  poppler-utils
  # Rendering the sample corpus and test pages (corpus/render.sh) and measuring peak memory.
  imagemagick fonts-liberation2 pango1.0-tools ghostscript img2pdf libtiff-tools time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all system packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
