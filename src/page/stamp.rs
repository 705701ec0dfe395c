//! Receipt stamps ("ĐẾN / Số: … / Ngày: … / Chuyển: …") found in the pixels and taken out
//! of the page before it is read.
//!
//! Why in the pixels: a stamp is pressed wherever there is room, often over the organ's
//! name in the header's left column or over the first words of the body. Tesseract then
//! reads the stamp's line and the organ's as one ("ĐEN Số: 12⁄2 ly BAN NHÂN DÂN"), and the
//! frame's edge glued to a letter turns "Trong" into "“rang": the words under the stamp are
//! lost before any text stage can help. [`crate::page::regions`] takes the stamp's *words*
//! out of the text afterwards, but cannot give back the words it covered.
//!
//! What a stamp is: a thin rectangular frame (one connected stroke whose pixels lie along
//! the four sides of its bounding box, with ink in all four corners; a seal's ring has
//! none there), of a stamp's size, with "ĐẾN" or "Chuyển" and one more of ĐẾN/Số/Ngày/
//! Chuyển inside when the frame alone is read. Not the text body: a frame of print
//! without those words (a table cell, a boxed note) is left as it is.
//!
//! What is taken out: where the frame's ink is clearly lighter than the print (a coloured
//! stamp on a gray scan: blue, violet or red ink is 60–120 gray where print is 20–40),
//! every pixel inside the frame lighter than half-way between the two is made paper: the
//! stamp goes, the print under it stays. The stamp alone (its ink, the print blanked) is
//! read for its region (receipt number and date). Where the two inks cannot be told apart
//! (a black-and-white scan), only the frame's long straight strokes are erased, so that
//! they no longer touch the letters; the stamp's words stay for `regions` to take.

use crate::ocr::PageImage;
use crate::page::regions::{self, Region, RegionKind};

/// A stamp's size, inches: wide and tall enough to hold "ĐẾN / Số / Ngày", smaller than a
/// page's tables and frames.
const MIN_WIDTH_IN: f32 = 0.6;
const MAX_WIDTH_IN: f32 = 4.0;
const MIN_HEIGHT_IN: f32 = 0.3;
const MAX_HEIGHT_IN: f32 = 2.5;
/// A frame is thin: its stroke covers at most this share of its bounding box.
const MAX_FILL: f32 = 0.3;
/// Share of the columns (rows) whose outermost stroke pixel lies on the top and bottom
/// (left and right) side's line.
const MIN_SIDE_COVER: f32 = 0.85;
/// How far from its side's line a stroke's outermost pixel may lie, inches (a stroke's
/// ragged edge, JPEG; a seal's ring bends away by far more).
const SIDE_TOLERANCE_IN: f32 = 0.03;
/// Least gray between the print and the stamp's ink for telling them apart.
const MIN_INK_CONTRAST: i32 = 40;
/// A frame's stroke that is erased when the inks are alike is at least this long, inches
/// (a letter's stem or bar is shorter at the sizes of a header or a body: an ascender of
/// 14 pt print is 0.14 in).
const MIN_STROKE_IN: f32 = 0.2;
/// A frame's stroke is at most this thick, inches (a stamp's rule is 0.01–0.03 in; a row
/// of print letters glued together by the blur is as tall as a letter, 0.1 in and more).
const MAX_THICK_IN: f32 = 0.05;

/// A frame found on the page: its bounding box and which of its pixels are its stroke.
#[derive(Debug, Clone)]
pub struct Frame {
    /// left, top, width, height in the page's pixels.
    pub bbox: [u32; 4],
    /// `width * height`, true where the frame's straight strokes are (see [`straight_strokes`]).
    straight: Vec<bool>,
    /// Its four sides, fitted.
    sides: Sides,
    /// The gray of the middle of the frame's strokes (their darkest tenth; the rest is the
    /// blurred edge): the stamp's ink where it is laid thickest.
    pub ink: u8,
}

/// Takes receipt stamps out of `image` (see the module's text). `read` reads a crop of the
/// page as one block and gives its lines. Returns the regions of the stamps whose ink was
/// taken out (their words will not be in the page's reading); a stamp only unglued from
/// the print is left for [`regions`] to take from the text.
pub fn take_out(image: &mut PageImage, mut read: impl FnMut(&PageImage) -> anyhow::Result<Vec<String>>) -> Vec<Region> {
    let frames = find_frames(image);
    if frames.is_empty() {
        return Vec::new();
    }
    let paper = crate::page::deskew::paper_colour(image);
    let print = print_level(image, &frames);
    let mut taken = Vec::new();
    for frame in frames {
        let separable = i32::from(frame.ink) - i32::from(print) >= MIN_INK_CONTRAST;
        let split = ((u32::from(frame.ink) + u32::from(print)) / 2) as u8;
        let crop = if separable { stamp_ink_only(image, &frame, split, paper) } else { crop(image, frame.bbox) };
        let lines = match read(&crop) {
            Ok(lines) => lines,
            Err(error) => {
                tracing::debug!(%error, "a framed area could not be read");
                continue;
            }
        };
        if !has_stamp_words(&lines) {
            continue;
        }
        tracing::debug!(bbox = ?frame.bbox, separable, "receipt stamp taken out of the page");
        if separable {
            lift_light_ink(image, &frame, split, paper);
            let mut region = regions::parse(&lines, frame.bbox);
            // The frame and its words say what it is, whether or not OCR read an anchor.
            if region.kind != RegionKind::ReceiptStamp {
                region = Region { kind: RegionKind::ReceiptStamp, ..region };
            }
            taken.push(region);
        } else {
            erase_strokes(image, &frame, paper);
        }
    }
    taken
}

/// "ĐẾN" or "Chuyển", and one more of ĐẾN / Số / Ngày / Chuyển, as words of `lines`.
pub fn has_stamp_words(lines: &[String]) -> bool {
    let mut seen = [false; 4];
    for line in lines {
        let folded = crate::viet::fold(line).to_lowercase();
        for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            match word {
                "den" => seen[0] = true,
                "chuyen" => seen[1] = true,
                "so" => seen[2] = true,
                "ngay" => seen[3] = true,
                _ => {}
            }
        }
    }
    (seen[0] || seen[1]) && seen.iter().filter(|&&s| s).count() >= 2
}

/// The page's dark threshold: half-way between Otsu's and the paper, so that a light
/// stamp's strokes count as ink.
fn dark_threshold(image: &PageImage) -> u8 {
    let paper = crate::page::deskew::paper_colour(image);
    let otsu = crate::page::deskew::otsu(&image.pixels).unwrap_or(128);
    ((u32::from(otsu) + u32::from(paper.max(otsu))) / 2) as u8
}

/// The print's stroke gray: the darkest tenth of the ink outside the frames.
fn print_level(image: &PageImage, frames: &[Frame]) -> u8 {
    let dark = dark_threshold(image);
    let mut histogram = [0usize; 256];
    let w = image.width as usize;
    for (i, &p) in image.pixels.iter().enumerate() {
        if p >= dark {
            continue;
        }
        let (x, y) = ((i % w) as u32, (i / w) as u32);
        if frames.iter().any(|f| x >= f.bbox[0] && x < f.bbox[0] + f.bbox[2] && y >= f.bbox[1] && y < f.bbox[1] + f.bbox[3]) {
            continue;
        }
        histogram[p as usize] += 1;
    }
    percentile(&histogram, 0.1)
}

fn percentile(histogram: &[usize; 256], share: f32) -> u8 {
    let total: usize = histogram.iter().sum();
    let mut seen = 0;
    for (level, &n) in histogram.iter().enumerate() {
        seen += n;
        if total > 0 && seen as f32 >= total as f32 * share {
            return level as u8;
        }
    }
    0
}

/// A horizontal run of dark pixels, `x0..x1` on row `y`.
#[derive(Clone, Copy)]
struct Run {
    y: u32,
    x0: u32,
    x1: u32,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Thin rectangular frames of a stamp's size: connected strokes (8-neighbours) whose long
/// straight strokes reach all four sides and all four corners of their bounding box.
pub fn find_frames(image: &PageImage) -> Vec<Frame> {
    let (w, h) = (image.width as usize, image.height as usize);
    if w == 0 || h == 0 || image.pixels.len() < w * h {
        return Vec::new();
    }
    let dark = dark_threshold(image);
    let mut runs: Vec<Run> = Vec::new();
    let mut row_start = vec![0usize; h + 1];
    for y in 0..h {
        row_start[y] = runs.len();
        let row = &image.pixels[y * w..(y + 1) * w];
        let mut x = 0;
        while x < w {
            if row[x] < dark {
                let x0 = x;
                while x < w && row[x] < dark {
                    x += 1;
                }
                runs.push(Run { y: y as u32, x0: x0 as u32, x1: x as u32 });
            } else {
                x += 1;
            }
        }
    }
    row_start[h] = runs.len();
    let mut parent: Vec<usize> = (0..runs.len()).collect();
    for y in 1..h {
        let (mut p, p_end) = (row_start[y - 1], row_start[y]);
        for r in row_start[y]..row_start[y + 1] {
            let run = runs[r];
            while p < p_end && runs[p].x1 < run.x0 {
                p += 1;
            }
            let mut q = p;
            while q < p_end && runs[q].x0 <= run.x1 {
                let (a, b) = (find(&mut parent, q), find(&mut parent, r));
                if a != b {
                    parent[a] = b;
                }
                q += 1;
            }
        }
    }
    // Bounding box and pixel count of every component.
    let mut boxes: std::collections::HashMap<usize, ([u32; 4], usize)> = std::collections::HashMap::new();
    for i in 0..runs.len() {
        let root = find(&mut parent, i);
        let run = runs[i];
        let entry = boxes.entry(root).or_insert(([run.x0, run.y, run.x1, run.y + 1], 0));
        let b = &mut entry.0;
        b[0] = b[0].min(run.x0);
        b[1] = b[1].min(run.y);
        b[2] = b[2].max(run.x1);
        b[3] = b[3].max(run.y + 1);
        entry.1 += (run.x1 - run.x0) as usize;
    }
    let dpi = image.dpi.max(72) as f32;
    // The component may be larger than the frame: letters the frame touches are part of
    // it. Its box is bounded loosely here and the frame's own box (its straight strokes')
    // is judged below.
    let candidates: std::collections::HashMap<usize, [u32; 4]> = boxes
        .into_iter()
        .filter(|(_, (b, count))| {
            let (bw, bh) = ((b[2] - b[0]) as f32, (b[3] - b[1]) as f32);
            (MIN_WIDTH_IN * dpi..=MAX_WIDTH_IN * dpi * 1.5).contains(&bw)
                && (MIN_HEIGHT_IN * dpi..=MAX_HEIGHT_IN * dpi * 1.5).contains(&bh)
                && (*count as f32) <= MAX_FILL * bw * bh
        })
        .map(|(root, (b, _))| (root, [b[0], b[1], b[2] - b[0], b[3] - b[1]]))
        .collect();
    let mut strokes: std::collections::HashMap<usize, Vec<bool>> =
        candidates.iter().map(|(&root, b)| (root, vec![false; b[2] as usize * b[3] as usize])).collect();
    for i in 0..runs.len() {
        let root = find(&mut parent, i);
        if let (Some(b), Some(mask)) = (candidates.get(&root), strokes.get_mut(&root)) {
            let run = runs[i];
            let row = (run.y - b[1]) as usize * b[2] as usize;
            for x in run.x0..run.x1 {
                mask[row + (x - b[0]) as usize] = true;
            }
        }
    }
    let mut frames: Vec<Frame> = candidates
        .into_iter()
        .filter_map(|(root, component)| {
            let stroke = strokes.remove(&root)?;
            let (cw, ch) = (component[2] as usize, component[3] as usize);
            // The frame's straight strokes join at its corners; a rule under the organ's
            // name that the letters glued to the component is a straight piece of its own.
            let all_straight = largest_piece(&straight_strokes(&stroke, cw, ch, image.dpi), cw, ch);
            // The frame's own box: where its straight strokes are.
            let (mut x0, mut y0, mut x1, mut y1) = (cw, ch, 0, 0);
            for (i, _) in all_straight.iter().enumerate().filter(|(_, &s)| s) {
                let (x, y) = (i % cw, i / cw);
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
            if x1 <= x0 || y1 <= y0 {
                return None;
            }
            let (fw, fh) = (x1 - x0, y1 - y0);
            if !(MIN_WIDTH_IN * dpi..=MAX_WIDTH_IN * dpi).contains(&(fw as f32))
                || !(MIN_HEIGHT_IN * dpi..=MAX_HEIGHT_IN * dpi).contains(&(fh as f32))
            {
                return None;
            }
            let straight: Vec<bool> = (y0..y1).flat_map(|y| all_straight[y * cw + x0..y * cw + x1].iter().copied()).collect();
            let sides = frame_sides(&straight, fw, fh, image.dpi)?;
            let bbox = [component[0] + x0 as u32, component[1] + y0 as u32, fw as u32, fh as u32];
            let mut histogram = [0usize; 256];
            for (i, _) in straight.iter().enumerate().filter(|(_, &s)| s) {
                let (x, y) = (bbox[0] as usize + i % fw, bbox[1] as usize + i / fw);
                histogram[image.pixels[y * w + x] as usize] += 1;
            }
            Some(Frame { bbox, straight, sides, ink: percentile(&histogram, 0.1) })
        })
        .collect();
    frames.sort_by_key(|f| (f.bbox[1], f.bbox[0]));
    frames
}

/// The largest 8-connected piece of `mask` (`w` × `h`), alone.
fn largest_piece(mask: &[bool], w: usize, h: usize) -> Vec<bool> {
    let mut label = vec![0u32; w * h];
    let mut best = (0u32, 0usize);
    let mut next = 0u32;
    let mut stack = Vec::new();
    for start in 0..w * h {
        if !mask[start] || label[start] != 0 {
            continue;
        }
        next += 1;
        label[start] = next;
        stack.push(start);
        let mut size = 0;
        while let Some(i) = stack.pop() {
            size += 1;
            let (x, y) = (i % w, i / w);
            for ny in y.saturating_sub(1)..(y + 2).min(h) {
                for nx in x.saturating_sub(1)..(x + 2).min(w) {
                    let j = ny * w + nx;
                    if mask[j] && label[j] == 0 {
                        label[j] = next;
                        stack.push(j);
                    }
                }
            }
        }
        if size > best.1 {
            best = (next, size);
        }
    }
    label.iter().map(|&l| l != 0 && l == best.0).collect()
}

/// The four sides of a rectangle's outline (`stroke`: its straight strokes over their
/// box), each a straight line fitted to the outermost stroke pixels along it; `None`
/// unless nearly every row (column) has a pixel on each side and nearly all of those lie
/// on the side's line. A seal's ring has its pixels on each side on a curve; a letter
/// glued to the frame's edge (a T's bar) adds a few rows that are left out of the fit.
fn frame_sides(stroke: &[bool], w: usize, h: usize, dpi: u32) -> Option<Sides> {
    if w < 10 || h < 10 {
        return None;
    }
    let at = |x: usize, y: usize| stroke[y * w + x];
    let rows = h / 10..h - h / 10;
    let columns = w / 10..w - w / 10;
    let left: Vec<(f32, f32)> = rows.clone().filter_map(|y| (0..w / 3).find(|&x| at(x, y)).map(|x| (y as f32, x as f32))).collect();
    let right: Vec<(f32, f32)> =
        rows.clone().filter_map(|y| (w - w / 3..w).rev().find(|&x| at(x, y)).map(|x| (y as f32, x as f32))).collect();
    let top: Vec<(f32, f32)> = columns.clone().filter_map(|x| (0..h / 3).find(|&y| at(x, y)).map(|y| (x as f32, y as f32))).collect();
    let bottom: Vec<(f32, f32)> =
        columns.clone().filter_map(|x| (h - h / 3..h).rev().find(|&y| at(x, y)).map(|y| (x as f32, y as f32))).collect();
    let tolerance = (SIDE_TOLERANCE_IN * dpi.max(72) as f32).max(2.0);
    let side = |points: &[(f32, f32)], of: usize| {
        let line = robust_fit(points, tolerance)?;
        let on = points.iter().filter(|&&(u, v)| (line.at(u) - v).abs() <= tolerance).count();
        (on as f32 >= MIN_SIDE_COVER * of as f32).then_some(line)
    };
    Some(Sides {
        left: side(&left, rows.len())?,
        right: side(&right, rows.len())?,
        top: side(&top, columns.len())?,
        bottom: side(&bottom, columns.len())?,
    })
}

/// A line `v = slope·u + offset` (x of y for the left and right sides, y of x for the top
/// and bottom).
#[derive(Debug, Clone, Copy)]
struct Line {
    slope: f32,
    offset: f32,
}

impl Line {
    fn at(&self, u: f32) -> f32 {
        self.slope * u + self.offset
    }
}

/// A frame's sides in its box's pixels.
#[derive(Debug, Clone, Copy)]
struct Sides {
    left: Line,
    right: Line,
    top: Line,
    bottom: Line,
}

/// Least squares over `(u, v)`, then again over the points within `tolerance` of the
/// first line (a few outliers, letters glued to the side, do not tilt it).
fn robust_fit(points: &[(f32, f32)], tolerance: f32) -> Option<Line> {
    let first = least_squares(points)?;
    let near: Vec<(f32, f32)> = points.iter().copied().filter(|&(u, v)| (first.at(u) - v).abs() <= tolerance * 2.0).collect();
    least_squares(&near).or(Some(first))
}

fn least_squares(points: &[(f32, f32)]) -> Option<Line> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f32;
    let (su, sv) = points.iter().fold((0.0, 0.0), |(a, b), &(u, v)| (a + u, b + v));
    let (mu, mv) = (su / n, sv / n);
    let (cov, var) = points.iter().fold((0.0, 0.0), |(c, v2), &(u, v)| (c + (u - mu) * (v - mv), v2 + (u - mu) * (u - mu)));
    if var <= 0.0 {
        return None;
    }
    let slope = cov / var;
    Some(Line { slope, offset: mv - slope * mu })
}

/// `bbox` of `image`, clipped to the page.
fn crop(image: &PageImage, bbox: [u32; 4]) -> PageImage {
    let [x0, y0, w, h] = clip(image, bbox);
    let mut pixels = Vec::with_capacity(w as usize * h as usize);
    for y in y0..y0 + h {
        let start = (y * image.width + x0) as usize;
        pixels.extend_from_slice(&image.pixels[start..start + w as usize]);
    }
    PageImage { width: w, height: h, dpi: image.dpi, pixels }
}

fn clip(image: &PageImage, bbox: [u32; 4]) -> [u32; 4] {
    let x0 = bbox[0].min(image.width);
    let y0 = bbox[1].min(image.height);
    [x0, y0, bbox[2].min(image.width - x0), bbox[3].min(image.height - y0)]
}

/// Which pixels of the frame's box lie inside its sides, the strokes included (a stamp is
/// pressed a few degrees askew: its box's corners are outside it).
fn interior(frame: &Frame, dpi: u32) -> Vec<bool> {
    let [_, _, w, h] = frame.bbox;
    let (w, h) = (w as usize, h as usize);
    let Sides { left, right, top, bottom } = frame.sides;
    // A pixel or two of blur beyond the strokes' outer edges.
    let pad = (0.008 * dpi as f32).max(1.0);
    let mut inside = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32, y as f32);
            inside[y * w + x] =
                fx >= left.at(fy) - pad && fx <= right.at(fy) + pad && fy >= top.at(fx) - pad && fy <= bottom.at(fx) + pad;
        }
    }
    inside
}

/// Near the print inside the frame's box: within two pixels of the print's solid strokes
/// (2×2 pixels darker than `split`: a speck of the stamp's ink that JPEG made darker is
/// not print), so that the print keeps the gray edge of blur around them.
fn near_print(image: &PageImage, bbox: [u32; 4], split: u8) -> Vec<bool> {
    let [x0, y0, w, h] = bbox;
    let (w, h) = (w as usize, h as usize);
    let dark = |x: usize, y: usize| image.pixels[(y0 as usize + y) * image.width as usize + x0 as usize + x] < split;
    let mut near = vec![false; w * h];
    for y in 0..h.saturating_sub(1) {
        for x in 0..w.saturating_sub(1) {
            if dark(x, y) && dark(x + 1, y) && dark(x, y + 1) && dark(x + 1, y + 1) {
                for ny in y.saturating_sub(2)..(y + 4).min(h) {
                    for nx in x.saturating_sub(2)..(x + 4).min(w) {
                        near[ny * w + nx] = true;
                    }
                }
            }
        }
    }
    near
}

/// The frame's area as the stamp alone: its ink inside the frame; the print (and its
/// blurred edge) and everything outside the frame made paper.
fn stamp_ink_only(image: &PageImage, frame: &Frame, split: u8, paper: u8) -> PageImage {
    let bbox = clip(image, frame.bbox);
    let mut out = crop(image, bbox);
    let inside = interior(frame, image.dpi);
    let near = near_print(image, bbox, split);
    for (i, p) in out.pixels.iter_mut().enumerate() {
        if near[i] || !inside.get(i).copied().unwrap_or(false) {
            *p = paper;
        }
    }
    out
}

/// Inside the frame, every pixel that is not print or the print's blurred edge (the
/// stamp's ink, the paper) made paper: the print under the stamp is what stays, as it was.
fn lift_light_ink(image: &mut PageImage, frame: &Frame, split: u8, paper: u8) {
    let bbox = clip(image, frame.bbox);
    let inside = interior(frame, image.dpi);
    let near = near_print(image, bbox, split);
    let [x0, y0, w, h] = bbox;
    for y in 0..h as usize {
        let row = (y0 as usize + y) * image.width as usize + x0 as usize;
        for x in 0..w as usize {
            let i = y * w as usize + x;
            if inside.get(i).copied().unwrap_or(false) && !near[i] {
                image.pixels[row + x] = paper;
            }
        }
    }
}

/// The frame's long straight strokes: rows and columns of its stroke at least
/// [`MIN_STROKE_IN`] long (a letter it touches has shorter ones), as a mask of its box.
fn straight_strokes(stroke: &[bool], w: usize, h: usize, dpi: u32) -> Vec<bool> {
    let min = ((MIN_STROKE_IN * dpi.max(72) as f32) as usize).max(3);
    let thick = ((MAX_THICK_IN * dpi.max(72) as f32) as usize).max(2);
    // A rule is thin all along; a row of letters the blur glued together is as tall as
    // they are.
    let thin = |ends: (usize, usize), across: &dyn Fn(usize) -> usize| {
        let (a, b) = ends;
        [a + (b - a) / 4, a + (b - a) / 2, a + 3 * (b - a) / 4].iter().filter(|&&m| across(m) <= thick).count() >= 2
    };
    // Rows, then columns, as lines of the mask: the index of pixel `along` of line `line`.
    let row = |y: usize, x: usize| y * w + x;
    let column = |x: usize, y: usize| y * w + x;
    let orientations: [(usize, usize, &dyn Fn(usize, usize) -> usize); 2] = [(h, w, &row), (w, h, &column)];
    // How many stroke pixels in a row along line `line` through its pixel `at`.
    let run = |index: &dyn Fn(usize, usize) -> usize, length: usize, line: usize, at: usize| {
        (0..=at).rev().take_while(|&a| stroke[index(line, a)]).count() + (at + 1..length).take_while(|&a| stroke[index(line, a)]).count()
    };
    let mut straight = vec![false; w * h];
    for (k, &(lines, length, index)) in orientations.iter().enumerate() {
        // Across a run: the perpendicular line through each of its pixels.
        let (_, across_length, across_index) = orientations[1 - k];
        for line in 0..lines {
            let mut along = 0;
            while along < length {
                let start = along;
                while along < length && stroke[index(line, along)] {
                    along += 1;
                }
                if along - start >= min && thin((start, along), &|m| run(across_index, across_length, m, line)) {
                    (start..along).for_each(|a| straight[index(line, a)] = true);
                }
                along = along.max(start + 1);
            }
        }
    }
    straight
}

/// The frame's straight strokes made paper, so that they no longer touch the letters.
fn erase_strokes(image: &mut PageImage, frame: &Frame, paper: u8) {
    let [x0, y0, w, h] = frame.bbox;
    let w = w as usize;
    for (i, _) in frame.straight.iter().enumerate().filter(|(_, &e)| e) {
        let (x, y) = (x0 as usize + i % w, y0 as usize + i / w);
        if x < image.width as usize && y < image.height as usize && y < (y0 + h) as usize {
            image.pixels[y * image.width as usize + x] = paper;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 300 DPI gray page: paper 235, with `draw` applied.
    fn page(width: u32, height: u32) -> PageImage {
        PageImage { width, height, dpi: 300, pixels: vec![235; (width * height) as usize] }
    }

    fn rect(image: &mut PageImage, x: u32, y: u32, w: u32, h: u32, gray: u8) {
        for yy in y..y + h {
            for xx in x..x + w {
                image.pixels[(yy * image.width + xx) as usize] = gray;
            }
        }
    }

    fn outline(image: &mut PageImage, x: u32, y: u32, w: u32, h: u32, thick: u32, gray: u8) {
        rect(image, x, y, w, thick, gray);
        rect(image, x, y + h - thick, w, thick, gray);
        rect(image, x, y, thick, h, gray);
        rect(image, x + w - thick, y, thick, h, gray);
    }

    fn ring(image: &mut PageImage, cx: f32, cy: f32, r: f32, thick: f32, gray: u8) {
        for y in 0..image.height {
            for x in 0..image.width {
                let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
                if (d - r).abs() <= thick / 2.0 {
                    image.pixels[(y * image.width + x) as usize] = gray;
                }
            }
        }
    }

    #[test]
    fn a_stamp_sized_frame_is_found_and_a_seal_ring_or_a_text_block_is_not() {
        let mut image = page(1600, 1200);
        outline(&mut image, 100, 100, 450, 260, 4, 100);
        ring(&mut image, 1100.0, 400.0, 200.0, 6.0, 100);
        // A paragraph: rows of dark "words".
        for row in 0..6 {
            for word in 0..8 {
                rect(&mut image, 100 + word * 120, 700 + row * 60, 90, 25, 30);
            }
        }
        let frames = find_frames(&image);
        assert_eq!(frames.len(), 1, "{:?}", frames.iter().map(|f| f.bbox).collect::<Vec<_>>());
        assert_eq!(frames[0].bbox, [100, 100, 450, 260]);
        assert_eq!(frames[0].ink, 100);
        // Too small for a stamp (a box around one word), or as big as a page's table.
        let mut small = page(1600, 1200);
        outline(&mut small, 100, 100, 120, 60, 3, 100);
        outline(&mut small, 10, 10, 1500, 1100, 3, 100);
        assert!(find_frames(&small).is_empty());
    }

    #[test]
    fn stamp_words_are_den_or_chuyen_with_one_more() {
        let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(has_stamp_words(&lines(&["VĂN PHÒNG UBND", "ĐEN Số: 1474", "Ngày: 13/3"])));
        assert!(has_stamp_words(&lines(&["CV", "Ngày:21/3/18", "Chuyển:"])));
        // Print in a box: numbers and dates, but no "đến" and no "chuyển".
        assert!(!has_stamp_words(&lines(&["Số: 12/2024/NQ-HĐND", "ngày 10 tháng 7 năm 2024"])));
        assert!(!has_stamp_words(&lines(&["ĐẾN"])));
    }

    /// A printed "word" at (`x`, `y`): eight stems 6 px wide and 36 px tall (an upper-case
    /// word at 13 pt, 300 DPI), 160 px in all.
    fn word(image: &mut PageImage, x: u32, y: u32, gray: u8) {
        for stem in 0..8 {
            rect(image, x + stem * 20, y, 6, 36, gray);
        }
    }

    fn is_word(image: &PageImage, x: u32, y: u32, gray: u8) -> bool {
        (0..8).all(|stem| (y..y + 36).all(|yy| (x + stem * 20..x + stem * 20 + 6).all(|xx| image.pixels[(yy * image.width + xx) as usize] == gray)))
    }

    /// A page whose coloured (lighter) stamp frame and words lie over a dark printed word.
    fn stamped_page() -> PageImage {
        let mut image = page(1600, 1200);
        // The printed word under the stamp's right edge, and one beside it.
        word(&mut image, 500, 200, 30);
        word(&mut image, 700, 200, 30);
        // The stamp: frame and "words" in lighter ink, the frame over the printed word.
        outline(&mut image, 120, 120, 460, 260, 4, 100);
        rect(&mut image, 160, 180, 200, 30, 95);
        rect(&mut image, 160, 260, 260, 30, 95);
        image
    }

    #[test]
    fn a_coloured_stamp_is_lifted_off_the_print_and_read_alone() {
        let mut image = stamped_page();
        let mut seen: Vec<PageImage> = Vec::new();
        let regions = take_out(&mut image, |crop| {
            seen.push(crop.clone());
            Ok(vec!["VĂN PHÒNG UBND".into(), "ĐẾN Số: 1474".into(), "Ngày: 13/3".into(), "Chuyển: VT".into()])
        });
        assert_eq!(regions.len(), 1);
        assert_eq!(regions[0].kind, RegionKind::ReceiptStamp);
        assert_eq!(regions[0].receipt_number.as_deref(), Some("1474"));
        // What was read was the stamp alone: its ink, not the print under it.
        let crop = &seen[0];
        let at = |img: &PageImage, x: u32, y: u32| img.pixels[(y * img.width + x) as usize];
        assert_eq!(at(crop, 160 - 120 + 10, 180 - 120 + 10), 95);
        assert_eq!(at(crop, 500 - 120 + 2, 200 - 120 + 10), 235, "the printed word is blanked in the stamp's reading");
        // On the page the stamp is gone and the print under and beside it stays whole.
        assert!(find_frames(&image).is_empty());
        for (x, y) in [(170, 190), (130, 125), (577, 300)] {
            assert_eq!(at(&image, x, y), 235, "stamp ink at ({x}, {y})");
        }
        assert!(is_word(&image, 500, 200, 30), "the print under the stamp's edge stays whole");
        assert!(is_word(&image, 700, 200, 30));
    }

    #[test]
    fn a_frame_without_stamp_words_is_left_alone() {
        let mut image = stamped_page();
        let before = image.pixels.clone();
        let regions = take_out(&mut image, |_| Ok(vec!["Số: 12/2024/NQ-HĐND".into(), "ngày 10 tháng 7".into()]));
        assert!(regions.is_empty());
        assert!(image.pixels == before);
    }

    #[test]
    fn a_black_stamp_loses_only_its_frame_strokes() {
        let mut image = page(1600, 1200);
        word(&mut image, 500, 200, 0);
        outline(&mut image, 120, 120, 460, 260, 4, 0);
        rect(&mut image, 160, 180, 200, 30, 0);
        let regions = take_out(&mut image, |_| Ok(vec!["CV ĐẾN Số: 2352".into(), "Chuyển:".into()]));
        // Its words stay on the page, for the text's own stamp handling.
        assert!(regions.is_empty());
        let at = |x: u32, y: u32| image.pixels[(y * image.width + x) as usize];
        assert_eq!(at(121, 250), 235, "the frame's left side is erased");
        assert_eq!(at(300, 121), 235, "the frame's top is erased");
        assert_eq!(at(200, 190), 0, "the stamp's words stay");
        // The stems the frame's side crossed stay, cut where the side ran.
        assert_eq!(at(502, 220), 0, "the print beside the frame stays");
        assert!((0..4).all(|stem| (200..236).all(|y| at(582 + stem * 20, y) == 0)));
    }

    /// A frame turned `degrees` about its centre, `thick` pixels wide.
    fn turned_outline(image: &mut PageImage, cx: f32, cy: f32, w: f32, h: f32, degrees: f32, thick: f32, gray: u8) {
        let (sin, cos) = degrees.to_radians().sin_cos();
        for y in 0..image.height {
            for x in 0..image.width {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                let (u, v) = (dx * cos + dy * sin, -dx * sin + dy * cos);
                let on_x = (u.abs() - w / 2.0).abs() <= thick / 2.0 && v.abs() <= h / 2.0 + thick / 2.0;
                let on_y = (v.abs() - h / 2.0).abs() <= thick / 2.0 && u.abs() <= w / 2.0 + thick / 2.0;
                if on_x || on_y {
                    image.pixels[(y * image.width + x) as usize] = gray;
                }
            }
        }
    }

    #[test]
    fn a_stamp_pressed_askew_with_a_letter_glued_to_its_edge_is_found_and_lifted_whole() {
        let mut image = page(1600, 1200);
        turned_outline(&mut image, 350.0, 250.0, 440.0, 260.0, -3.0, 4.0, 95);
        // A "T" of the organ's name whose bar the frame's right side crosses.
        rect(&mut image, 560, 200, 34, 6, 30);
        rect(&mut image, 574, 200, 6, 36, 30);
        // Light handwriting just outside the frame's turned corner, inside its box.
        rect(&mut image, 124, 386, 10, 10, 95);
        let frames = find_frames(&image);
        assert_eq!(frames.len(), 1);
        let b = frames[0].bbox;
        assert!(b[2] >= 440 && b[2] <= 470 && b[3] >= 260 && b[3] <= 300, "{b:?}");
        let regions = take_out(&mut image, |_| Ok(vec!["ĐẾN Số: 1474".into(), "Ngày: 13/3".into()]));
        assert_eq!(regions.len(), 1);
        let at = |x: u32, y: u32| image.pixels[(y * image.width + x) as usize];
        assert_eq!(at(350, 250 - 130), 235, "the frame's top is lifted");
        assert_eq!(at(576, 220), 30, "the T's stem stays");
        assert_eq!(at(128, 390), 95, "ink outside the turned frame stays");
    }
}
