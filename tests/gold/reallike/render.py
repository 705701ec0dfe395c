#!/usr/bin/env python3
"""Real-like scans of the citation gold documents (tests/gold/NAME.txt), for
`vanban eval scans` (block "tests/gold real-like scans").

Why: the gold documents are otherwise read only as clean one-column renders by the
Tesseract CLI, where every figure is 1.000. A real page of a Vietnamese directive is laid out
as the Decree 30/2020 form prescribes and carries what a scanner sees on it; this renders the
same texts that way, so that vanban's own ingest (orientation, seal lift, layout, rereads,
header extraction) is measured on our own development material:
  - the two-column header: organ (left, bold, rule or "*") and national motto (right),
    "Số:" line under the organ, place and date in italics under the motto;
  - the title and subject centred and bold, the body justified with an indent;
  - the signature block: "Nơi nhận:" list (left), the signer's title, a blue scribble and
    the name (right), a red round seal over the title and the name;
  - a blue digital-signature box ("Ký bởi / Cơ quan / Thời gian ký"), in the top margin or
    beside the signature;
  - a receipt stamp ("ĐẾN / Số / Ngày / Chuyển") with handwritten figures, in a corner;
  - on every other document the own number and the day left blank in print and written
    in by hand (a script font, blue ink);
  - cream paper, dark ink, a slight skew, sensor noise, 200/220/240 DPI, JPEG, one PDF a
    document (img2pdf: the JPEG bytes are embedded as they are).
Nothing is random: every variation is a function of the document's position in the sorted
list, and ImageMagick's noise is seeded, so a rerun gives the same pixels.

    python3 tests/gold/reallike/render.py OUT_DIR [GOLD_DIR]

Writes OUT_DIR/NAME.pdf for each GOLD_DIR/NAME.txt (default GOLD_DIR: tests/gold).
Needs pango-view, ImageMagick (/usr/bin/convert), img2pdf, fonts-liberation2, fonts-texgyre
(scripts/setup.sh installs them). About 3 s a document on one core.
"""

import html
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

CONVERT = "/usr/bin/convert"  # /usr/local/bin/convert may be a stand-in (shared notes)
FONT_DIRS = ["/usr/share/fonts/truetype/liberation2", "/usr/share/texmf/fonts/opentype/public/tex-gyre"]
BODY_FONTS = ["Liberation Serif", "TeX Gyre Termes"]
HAND_FONT = "TeX Gyre Chorus"
SANS = "Liberation Sans"
BOLD_FILE = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
HAND_INK = "#1d3a9c"
SEAL_RED = "#d63a48"
BOX_BLUE = "#1f4fb4"
STAMP_INK = "#43389a"


def run(args, **kw):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


class Renderer:
    def __init__(self, work: Path, dpi: int, env):
        self.work = work
        self.dpi = dpi
        self.env = env
        self.n = 0

    def px(self, inches: float) -> int:
        return round(inches * self.dpi)

    def text(self, markup: str, font: str, width_px=None, align="left", justify=False, indent_px=0, spacing=1.12):
        """Renders Pango markup, black on white, at the page's DPI; returns (path, w, h)."""
        self.n += 1
        out = self.work / f"b{self.n:03}.png"
        args = ["pango-view", "-q", "--markup", f"--font={font}", f"--dpi={self.dpi}", "--margin=0", f"--align={align}",
                f"--line-spacing={spacing}", "-o", str(out), "-t", markup]
        if width_px:
            args.append(f"--width={round(width_px * 72 / self.dpi)}")
            args.append("--wrap=word")
        if justify:
            args.append("--justify")
        if indent_px:
            args.append(f"--indent={round(indent_px * 72 / self.dpi)}")
        run(args, env=self.env)
        w, h = size(out)
        return out, w, h


def size(path: Path):
    out = subprocess.run([CONVERT, str(path), "-format", "%w %h", "info:"], check=True, capture_output=True, text=True).stdout
    w, h = out.split()
    return int(w), int(h)


def columns(line: str):
    """(left, right) of a two-column line of the gold text: a line indented by 2+ spaces is
    right only; otherwise a run of 3+ spaces separates the columns."""
    if not line.strip():
        return "", ""
    if line.startswith("  "):
        return "", line.strip()
    parts = re.split(r"\s{3,}", line.strip(), maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def hand(s: str, size_pt: float) -> str:
    return f"<span font='{HAND_FONT} {size_pt:.0f}' foreground='{HAND_INK}' rise='-2000'>{esc(s)}</span>"


def parse(text: str):
    lines = text.split("\n")
    so = next(i for i, l in enumerate(lines) if re.match(r"^Số[: ]", l))
    end = next((i for i in range(so + 1, len(lines)) if not lines[i].strip()), len(lines))
    sig = next(i for i, l in enumerate(lines) if l.startswith("Nơi nhận"))
    return lines[:so], lines[so], lines[so + 1:end], lines[end:sig], lines[sig:]


def render(txt: Path, index: int, out_pdf: Path, work: Path, env):
    dpi = [220, 200, 240][index % 3]
    font = BODY_FONTS[index % 2]
    handwritten = index % 2 == 0
    skew = ((index * 7) % 11 - 5) * 0.2
    quality = 72 + (index * 5) % 12
    r = Renderer(work, dpi, env)
    W, H = r.px(8.27), r.px(11.69)
    left_m, right_m, top_m, bottom_m = r.px(1.18), r.px(0.65), r.px(0.75), r.px(0.75)
    cw = W - left_m - right_m
    head, so_line, after_so, body, sig = parse(txt.read_text(encoding="utf-8"))

    pages = [[]]  # per page: (png, x, y) blocks, composed by multiplication on white
    draws = [[]]  # per page: ImageMagick -draw primitives (rules, scribbles)

    def put(png, x, y, page=None):
        (pages[-1] if page is None else pages[page]).append((png, x, y))

    # Header: organ (left) and motto (right), each line centred in its column.
    lw = round(cw * 0.42)
    rx, rw = left_m + lw, cw - lw
    lefts = [columns(l)[0] for l in head if columns(l)[0]]
    rights = [columns(l)[1] for l in head if columns(l)[1]]
    y = top_m
    organ = [l for l in lefts if l != "*"]
    for i, l in enumerate(lefts):
        bold = l == "*" or i == len(organ) - 1 or len(organ) == 1 or (i > 0 and is_upper(l))
        png, w, h = r.text(esc(l), f"{font} {'Bold ' if bold else ''}12.5")
        put(png, left_m + (lw - w) // 2, y)
        y += round(h * 1.05)
    if "*" not in lefts:
        rule = r.px(0.7)
        draws[-1].append(f"line {left_m + (lw - rule) // 2},{y + 2} {left_m + (lw + rule) // 2},{y + 2}")
        y += r.px(0.06)
    left_bottom = y
    y = top_m
    last_w = 0
    for i, l in enumerate(rights):
        pt = "12" if i == 0 and len(rights) > 1 else "13"
        png, w, h = r.text(esc(l), f"{font} Bold {pt}")
        put(png, rx + (rw - w) // 2, y)
        y += round(h * 1.05)
        last_w = w
    draws[-1].append(f"line {rx + (rw - last_w) // 2},{y + 4} {rx + (rw + last_w) // 2},{y + 4}")
    y = max(left_bottom, y + r.px(0.06)) + r.px(0.18)

    # "Số:" and the date, the number and the day written in by hand on every other page.
    so_left, date_right = columns(so_line)
    m = re.match(r"^(Số:?\s*)(\d+)(.*)$", so_left)
    if handwritten and m:
        so_markup = esc(m.group(1)) + hand(m.group(2), 19) + esc(m.group(3))
    else:
        so_markup = esc(so_left)
    dm = re.match(r"^(.*ngày\s+)(\d+)(\s.*)$", date_right)
    if handwritten and dm:
        date_markup = f"<i>{esc(dm.group(1))}</i>" + hand(dm.group(2), 19) + f"<i>{esc(dm.group(3))}</i>"
    else:
        date_markup = f"<i>{esc(date_right)}</i>"
    png, w, h1 = r.text(so_markup, f"{font} 13")
    put(png, left_m + (lw - w) // 2, y)
    png, w, h2 = r.text(date_markup, f"{font} 13")
    put(png, rx + (rw - w) // 2, y)
    y += max(h1, h2) + r.px(0.05)
    for l in after_so:  # "V/v …" under the number
        png, w, h = r.text(esc(l.strip()), f"{font} 12", width_px=lw)
        put(png, left_m + (lw - w) // 2, y)
        y += h
    y += r.px(0.25)
    header_bottom = y

    def place(png, x, h):
        nonlocal y
        if y + h > H - bottom_m:
            pages.append([])
            draws.append([])
            y = top_m
        put(png, x, y)
        y += h

    # Body: the title block (when the first paragraph is a title in capitals), then paragraphs.
    paras = [p for p in body]
    blocks, cur = [], []
    for l in paras:
        if l.strip():
            cur.append(l.strip())
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    gap = r.px(0.07)
    for bi, block in enumerate(blocks):
        if bi == 0 and is_upper(block[0]):
            png, w, h = r.text(esc(block[0]), f"{font} Bold 14")
            place(png, left_m + (cw - w) // 2, h)
            for l in block[1:]:
                png, w, h = r.text(f"<b>{esc(l)}</b>", f"{font} 13.5", width_px=round(cw * 0.82), align="center")
                place(png, left_m + (cw - w) // 2, h)
            rule = r.px(1.3)
            draws[-1].append(f"line {left_m + (cw - rule) // 2},{y + r.px(0.05)} {left_m + (cw + rule) // 2},{y + r.px(0.05)}")
            y += r.px(0.22)
            continue
        for l in block:
            if is_upper(l.rstrip(":")) or (is_upper(l.split(" ")[0]) and l.endswith(":") and len(l) < 40):
                centred = not re.match(r"^[IVX]+\.", l)
                png, w, h = r.text(f"<b>{esc(l)}</b>", f"{font} 13", width_px=cw, align="center" if centred else "left")
                place(png, left_m + ((cw - w) // 2 if centred else r.px(0.4)), h + gap)
                continue
            mk = re.match(r"^(Điều \d+\.)(.*)$", l)
            markup = f"<b>{esc(mk.group(1))}</b>{esc(mk.group(2))}" if mk else esc(l)
            indent = r.px(0.4) if not l.startswith("Kính gửi") else 0
            png, w, h = r.text(markup, f"{font} 13", width_px=cw, justify=True, indent_px=indent)
            place(png, left_m, h + gap)
        y += gap

    # Signature block: kept on one page.
    sl = [columns(l)[0] for l in sig if columns(l)[0]]
    sr = [columns(l)[1] for l in sig if columns(l)[1]]
    name, titles = sr[-1], sr[:-1]
    slw = round(cw * 0.46)
    srx, srw = left_m + slw, cw - slw
    rendered_left = []
    for i, l in enumerate(sl):
        if i == 0:
            rendered_left.append(r.text(f"<b><i>{esc(l)}</i></b>", f"{font} 12", width_px=slw))
        else:
            rendered_left.append(r.text(esc(l), f"{font} 11", width_px=slw))
    rendered_titles = [r.text(f"<b>{esc(t)}</b>", f"{font} 13") for t in titles]
    name_png = r.text(f"<b>{esc(name)}</b>", f"{font} 13")
    signing_gap = r.px(1.15)
    right_h = sum(t[2] for t in rendered_titles) + signing_gap + name_png[2]
    left_h = sum(t[2] for t in rendered_left)
    block_h = max(left_h, right_h) + r.px(0.2)
    y += r.px(0.15)
    if y + block_h > H - bottom_m:
        pages.append([])
        draws.append([])
        y = top_m
    sy = y
    for png, w, h in rendered_left:
        put(png, left_m, y)
        y += h
    y = sy
    for png, w, h in rendered_titles:
        put(png, srx + (srw - w) // 2, y)
        y += h
    titles_bottom = y
    name_y = y + signing_gap
    put(name_png[0], srx + (srw - name_png[1]) // 2, name_y)
    # A scribble for the hand signature, in blue.
    cx, cy = srx + srw // 2, titles_bottom + signing_gap // 2
    s = r.px(0.45)
    draws[-1].append(
        f"stroke {HAND_INK} stroke-width {max(2, r.px(0.012))} fill none path 'M {cx - s},{cy + s // 4} "
        f"C {cx - s // 2},{cy - s} {cx},{cy + s} {cx + s // 3},{cy - s // 3} S {cx + s},{cy + s // 3} {cx + s + s // 3},{cy - s // 5}' stroke black fill black"
    )
    # The seal: over the left part of the title and of the name.
    seal_d = r.px(1.5)
    seal_cx = srx + srw // 2 - r.px(0.55)
    seal_cy = (titles_bottom + name_y) // 2 - r.px(0.1)
    seal = make_seal(r, seal_d, " - ".join(organ) or organ_of(lefts))
    put(seal, seal_cx - seal_d // 2, seal_cy - seal_d // 2)
    sig_page = len(pages) - 1

    # Digital-signature box: top margin on a third of the documents, beside the name otherwise.
    box = make_signature_box(r, font, organ[-1] if organ else "", txt, date_right)
    bw, bh = size(box)
    if index % 3 == 0:
        put(box, W - right_m - bw, max(r.px(0.1), top_m - bh - r.px(0.05)), page=0)
    else:
        put(box, min(W - bw - r.px(0.2), srx + srw // 2 + r.px(0.15)), name_y - bh // 2 - r.px(0.35), page=sig_page)

    # Receipt stamp: top-left corner over the organ's name, or bottom-left over "Nơi nhận".
    stamp = make_stamp(r, index)
    tw, th = size(stamp)
    if index % 4 == 3:
        put(stamp, left_m + r.px(0.1), min(H - th - r.px(0.3), sy + left_h + r.px(0.1)), page=sig_page)
    else:
        put(stamp, r.px(0.35), r.px(0.3), page=0)

    jpgs = []
    for p, (blocks_p, draws_p) in enumerate(zip(pages, draws)):
        args = [CONVERT, "-size", f"{W}x{H}", "xc:white"]
        for png, x, yy in blocks_p:
            args += [str(png), "-geometry", f"+{x}+{yy}", "-compose", "multiply", "-composite"]
        args += ["-compose", "over", "-stroke", "black", "-strokewidth", str(max(1, r.px(0.008)))]
        for d in draws_p:
            args += ["-draw", d]
        seed = 11 + index * 3 + p
        args += ["-colorspace", "sRGB", "+level-colors", "#1d1d2c,#f3ecdc",
                 "-background", "#f3ecdc", "-rotate", f"{skew + 0.15 * p:.2f}", "-gravity", "center", "-extent", f"{W}x{H}",
                 "-blur", "0x0.55", "-seed", str(seed), "-attenuate", "0.3", "+noise", "Gaussian",
                 "-quality", str(quality), "-units", "PixelsPerInch", "-density", str(dpi)]
        jpg = work / f"page{p + 1}.jpg"
        run(args + [str(jpg)])
        jpgs.append(str(jpg))
    tmp = out_pdf.with_suffix(".pdf.part")
    run(["img2pdf", "--output", str(tmp)] + jpgs)
    # What the page shows that the gold cannot say: the scorer counts the digit reader on
    # the documents whose number and day are handwritten.
    layout = {"handwritten_number": handwritten, "dpi": dpi, "font": font, "skew_degrees": skew, "pages": len(jpgs)}
    out_pdf.with_suffix(".layout.json").write_text(json.dumps(layout) + "\n")
    os.replace(tmp, out_pdf)
    return len(jpgs)


def organ_of(lefts):
    return " ".join(l for l in lefts if l != "*")


def make_seal(r: Renderer, d: int, organ: str) -> Path:
    """A round seal: two rings, the organ's name around, a star in the middle, in red."""
    r.n += 1
    ring_text = r.work / f"ring{r.n}.png"
    out = r.work / f"seal{r.n}.png"
    outer, inner = d // 2 - r.px(0.03), round(d * 0.33)
    pt = max(10, round(d * 0.085))
    label = f"★ {organ.upper()} ★ {organ.upper()} "
    run([CONVERT, "-background", "white", "-fill", SEAL_RED, "-font", BOLD_FILE, "-pointsize", str(pt), f"label:{label}",
         "-virtual-pixel", "white", "-distort", "Arc", f"359.9 0 {outer - r.px(0.05)} {inner + r.px(0.04)}", str(ring_text)])
    c = d // 2
    star = []
    import math
    for k in range(10):
        rad = (r.px(0.2) if k % 2 == 0 else r.px(0.08))
        a = -math.pi / 2 + k * math.pi / 5
        star.append(f"{c + rad * math.cos(a):.0f},{c + rad * math.sin(a):.0f}")
    run([CONVERT, "-size", f"{d}x{d}", "xc:white",
         str(ring_text), "-gravity", "center", "-compose", "multiply", "-composite", "-gravity", "northwest", "-compose", "over",
         "-fill", "none", "-stroke", SEAL_RED, "-strokewidth", str(r.px(0.03)), "-draw", f"circle {c},{c} {c + outer},{c}",
         "-strokewidth", str(max(2, r.px(0.012))), "-draw", f"circle {c},{c} {c + inner},{c}",
         "-fill", SEAL_RED, "-stroke", "none", "-draw", "polygon " + " ".join(star),
         "-channel", "RGB", "-blur", "0x0.6", str(out)])
    return out


def make_signature_box(r: Renderer, font: str, organ: str, txt: Path, date_line: str) -> Path:
    """The box a digital signature leaves on the page: who signed, the organ, when."""
    dm = re.search(r"ngày (\d+) tháng (\d+) năm (\d{4})", date_line)
    when = f"{int(dm.group(1)):02}.{int(dm.group(2)):02}.{dm.group(3)}" if dm else "01.01.2024"
    slug = re.sub(r"[^a-z]", "", txt.stem.split("-")[-1])[:8] or "vanthu"
    markup = (f"<span foreground='{BOX_BLUE}'>Ký bởi: {esc(organ.title())}\n"
              f"Email: vanthu@{slug}.gov.vn\nCơ quan: {esc(organ.title())}\n"
              f"Thời gian ký: {when} 15:{(len(organ) * 7) % 60:02}:{(len(organ) * 13) % 60:02} +07:00</span>")
    png, w, h = r.text(markup, f"{SANS} 8.5")
    r.n += 1
    out = r.work / f"box{r.n}.png"
    pad = r.px(0.06)
    run([CONVERT, str(png), "-bordercolor", "white", "-border", str(pad), "-bordercolor", BOX_BLUE, "-border", str(max(2, r.px(0.012))), str(out)])
    return out


def make_stamp(r: Renderer, index: int) -> Path:
    """A receipt stamp ("ĐẾN") with its number and day written in by hand, a little askew."""
    number = 1200 + (index * 137) % 3000
    day, month = 3 + (index * 5) % 24, 1 + (index * 7) % 12
    markup = (f"<span foreground='{STAMP_INK}'><b>VĂN PHÒNG UBND</b>\n<span size='x-large'><b>ĐẾN</b></span>  Số: "
              f"{hand(str(number), 15)}\nNgày: {hand(f'{day}/{month}', 15)}\nChuyển: {hand('VT', 13)}</span>")
    png, w, h = r.text(markup, f"{SANS} 10", align="left")
    r.n += 1
    out = r.work / f"stamp{r.n}.png"
    pad = r.px(0.05)
    run([CONVERT, str(png), "-bordercolor", "white", "-border", str(pad), "-bordercolor", STAMP_INK, "-border", str(max(2, r.px(0.014))),
         "-background", "white", "-rotate", str(-3 + index % 5), str(out)])
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: render.py OUT_DIR [GOLD_DIR]")
    out = Path(sys.argv[1])
    gold = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        conf = tmp / "fonts.conf"
        dirs = "".join(f"<dir>{d}</dir>" for d in FONT_DIRS)
        conf.write_text(f"<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>{dirs}<cachedir>{tmp}/fc</cachedir></fontconfig>")
        env = dict(os.environ, FONTCONFIG_FILE=str(conf))
        txts = sorted(gold.glob("*.txt"))
        for i, txt in enumerate(txts):
            pdf = out / f"{txt.stem}.pdf"
            if pdf.exists() and pdf.with_suffix(".layout.json").exists():
                continue
            work = tmp / txt.stem
            work.mkdir()
            try:
                n = render(txt, i, pdf, work, env)
            except subprocess.CalledProcessError as e:
                sys.exit(f"{txt}: {' '.join(map(str, e.cmd[:2]))} failed: {e.stderr.decode(errors='replace').strip()}")
            except StopIteration:
                sys.exit(f"{txt}: no 'Số' line or no 'Nơi nhận' block: not a directive this renderer can lay out")
            print(f"{pdf}: {n} page(s)", file=sys.stderr)


if __name__ == "__main__":
    main()
