#!/usr/bin/env python3
"""Reference readings of trueocr 0.1.1 (ONNX Runtime) on the development pages, for the
agreement check of vanban's Rust port (`tests/neural_reader.rs`, `vanban eval neural`).

For each PDF given, page 1 is rendered as vanban's ingest renders it (`pdftoppm -r 300
-gray`); trueocr's line detector runs on it (no deskew or turn: vanban's page stage does
those), and its recognizer reads each detected box cut out of the page, as trueocr's
page reader does. One row per line: the detector's box (floats), the cut-out box
(integers), a hash of the text read (not the text: the scans' text stays out of the
repository), its length in characters and the reference confidence.

Rebuild (the rows in tests/gold/trueocr-reference.tsv):
    python3 -m venv /tmp/trueocr-venv && /tmp/trueocr-venv/bin/pip install trueocr==0.1.1
    /tmp/trueocr-venv/bin/python tools/trueocr_reference.py \
        ../shared/real-scans/quangngai/{04-QD-138,2352-07-CT-UBND,239-TTr,280-BC,46-TB}.pdf \
        > tests/gold/trueocr-reference.tsv
"""
import hashlib
import os
import subprocess
import sys
import unicodedata

import cv2
import numpy as np
from trueocr.page import PageEngine
from trueocr.recognizer import Recognizer

import trueocr

MODELS = os.path.join(os.path.dirname(trueocr.__file__), "models")


def text_hash(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode()).hexdigest()[:16]


def main(pdfs):
    engine = PageEngine(MODELS, threads=1)
    recognizer = Recognizer(MODELS, threads=1)
    print("# trueocr 0.1.1 readings of page 1 (pdftoppm -r 300 -gray), see tools/trueocr_reference.py")
    print("# pdf\tdet_x0\tdet_y0\tdet_x1\tdet_y1\tx0\ty0\tx1\ty1\ttext_sha256_16\tchars\tconfidence")
    for pdf in pdfs:
        pgm = subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", "1", "-l", "1", pdf], check=True, capture_output=True).stdout
        gray = cv2.imdecode(np.frombuffer(pgm, np.uint8), cv2.IMREAD_GRAYSCALE)
        h, w = gray.shape
        rows, crops = [], []
        for b in engine.detect(gray):
            x0, y0 = np.floor(b[:2]).astype(int)
            x1, y1 = np.ceil(b[2:4]).astype(int)
            x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
            if x1 > x0 and y1 > y0:
                rows.append((b, (x0, y0, x1, y1)))
                crops.append(gray[y0:y1, x0:x1])
        for (b, c), p in zip(rows, recognizer.predict(crops, batch_size=32)):
            name = os.path.basename(pdf)
            det = "\t".join(f"{v:.2f}" for v in b[:4])
            cut = "\t".join(str(int(v)) for v in c)
            print(f"{name}\t{det}\t{cut}\t{text_hash(p.text)}\t{len(p.text)}\t{p.confidence:.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
