#!/usr/bin/env bash
# Installs the Debian packages vanban needs to build, run and test. Idempotent; run as root
# (or with sudo available). Rust itself (cargo) must already be installed.
set -euo pipefail

packages=(
  # OCR: Tesseract 5, its Vietnamese model and its orientation model (pages scanned upside
  # down or sideways, src/page); the library and headers the `tesseract` crate links.
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd libtesseract-dev libleptonica-dev
  # bindgen in the tesseract crate's build needs libclang.
  clang libclang-dev pkg-config
  # Scanned PDFs: pdftoppm rasterizes pages, pdftotext reads a page's own text layer.
  poppler-utils
  # Rendering the sample corpus and test pages (corpus/render.sh) and measuring peak memory.
  imagemagick fonts-liberation2 pango1.0-tools ghostscript img2pdf libtiff-tools time
  # Serif fonts with Vietnamese glyphs for the scan variants of `vanban dict ocr` and
  # `vanban eval repair` (TeX Gyre Termes and Pagella, DejaVu Serif, FreeSerif).
  fonts-texgyre fonts-dejavu-core fonts-freefont-ttf
  # Times-like fonts that stack a tone mark above the circumflex or breve (ể, ố, ẵ), as the
  # fonts of many scanned office documents do, for the real-like `vie` scan variants
  # (Doulos SIL) and the held-out one (Charis SIL); SIL Open Font License.
  fonts-sil-doulos fonts-sil-charis
  # Searchable PDFs (src/export/pdf): the tests check the output with qpdf --check.
  qpdf
  # The browser tests of `vanban serve` drive Debian's Chromium with playwright-core.
  chromium
  # Ray (issue 15: deploy/ray, tests/ray_cluster.rs) goes into a virtual environment.
  python3 python3-venv
)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all system packages present"
else
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The browser-test driver (playwright-core only: it uses the system Chromium, downloads no browser).
if [ ! -d "$(dirname "$0")/../tests/browser/node_modules" ]; then
  (cd "$(dirname "$0")/../tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
# Ray, from the Python registry, in its own virtual environment (VANBAN_RAY_VENV, default
# /opt/vanban-ray): the cluster driver deploy/ray/driver.py and its test run with it.
ray_venv="${VANBAN_RAY_VENV:-/opt/vanban-ray}"
ray_requirements="$(dirname "$0")/../deploy/ray/requirements.txt"
wanted_ray="$(sed -n 's/^ray==//p' "$ray_requirements")"
if [ "$("$ray_venv/bin/python" -c 'import ray; print(ray.__version__)' 2>/dev/null)" != "$wanted_ray" ]; then
  echo "setup: installing Ray $wanted_ray into $ray_venv"
  /usr/bin/python3 -m venv "$ray_venv"
  "$ray_venv/bin/pip" install -q --disable-pip-version-check -r "$ray_requirements"
fi
echo "setup: done"
