//! The document's own metadata from its header (issuing body, number, place and date, type,
//! subject) and footer (signer, capacity, recipients).
//!
//! A scanned header is two columns that OCR may read line by line across both, so the
//! national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc",
//! "ĐẢNG CỘNG SẢN VIỆT NAM") is cut out of each line before the issuer lines are read.

use super::clean::Cleaned;
use super::dates;
use super::docid::{self, fold_upper, DocId};
use super::extract::squash;
use super::tokenize::{Kind, Token};
use super::vocab;
use super::DocumentMeta;

/// The name statistics the signer's review on the assembled record weighs a name with
/// (`crate::header::signer`).
pub(crate) use super::surname::{is_surname, misread_surname, near_surnames, tone_doubts};

/// Lines searched for the header, and from the end for the footer.
const HEADER_LINES: usize = 80;
const FOOTER_LINES: usize = 70;

/// The national and Party mottos, folded: the right column of every header.
pub(crate) const MOTTOS: &[&[&str]] = &[
    &["cong", "hoa", "xa", "hoi", "chu", "nghia", "viet", "nam"],
    &["doc", "lap", "tu", "do", "hanh", "phuc"],
    &["dang", "cong", "san", "viet", "nam"],
];

/// Words that name a signing capacity ("KT. CHỦ TỊCH", "PHÓ BÍ THƯ", "BỘ TRƯỞNG").
const CAPACITY_WORDS: &[&str] = &[
    "chu tich", "bi thu", "giam doc", "truong", "thu tuong", "chanh", "thong doc", "chu nhiem", "tong kiem toan", "uy vien",
];

/// One line of the text, as a char span.
struct Line {
    start: usize,
    end: usize,
}

/// What the header's number line gave: the id, the line's char span.
pub struct OwnNumber {
    pub id: Option<DocId>,
    pub span: (usize, usize),
}

pub fn read(cleaned: &Cleaned, tokens: &[Token]) -> (DocumentMeta, Option<OwnNumber>) {
    let (meta, own, _) = read_with_subject_lines(cleaned, tokens);
    (meta, own)
}

/// [`read`], and where the subject stands (its lines, each with how it is read).
fn read_with_subject_lines(cleaned: &Cleaned, tokens: &[Token]) -> (DocumentMeta, Option<OwnNumber>, Vec<(usize, Part)>) {
    let lines = lines(cleaned);
    let mut meta = DocumentMeta::default();
    let header_end = lines.iter().filter(|l| !blank(cleaned, l)).nth(HEADER_LINES).map_or(cleaned.len(), |l| l.start);
    let lines_end = header_end;
    let header_end = header_end.min(first_body_line(cleaned, &lines).unwrap_or(usize::MAX));
    // A header printed after the basis lines (some digitized copies put it there) is still
    // found, but then only as "Số: …" with its colon: a wrapped basis line may start "số 108/…".
    let own = own_number(cleaned, tokens, header_end, false, &mut meta)
        .or_else(|| own_number(cleaned, tokens, lines_end, true, &mut meta));
    let header_end = match &own {
        Some(o) if o.span.0 >= header_end => lines_end,
        _ => header_end,
    };
    let number_line = own.as_ref().and_then(|o| lines.iter().position(|l| l.start <= o.span.0 && o.span.0 <= l.end));
    place_and_date(cleaned, tokens, header_end, &mut meta);
    issuer(cleaned, &lines, number_line, &mut meta);
    let subject_lines = title_and_subject(cleaned, &lines, number_line, header_end, &mut meta);
    if meta.doc_type.is_none() {
        meta.doc_type = meta.id.as_ref().and_then(|id| id.implied_type()).map(str::to_owned);
    }
    signer(cleaned, &lines, &mut meta);
    recipients(cleaned, &lines, &mut meta);
    (meta, own, subject_lines)
}

/// The subject that `raw`'s header gives, read from the same lines of `repaired` (repair
/// keeps the line structure): what the record stores is the repaired text, never the raw
/// OCR ("Thue hién cong tac …"). `None` when `raw` gives no subject, or when a line of it
/// in `repaired` does not read as Vietnamese (then no subject is better than OCR junk).
pub(crate) fn subject_on_repaired_lines(raw: &str, repaired: &str) -> Option<String> {
    let raw = Cleaned::new(raw);
    let tokens = super::tokenize::tokenize(&raw);
    let (_, _, parts) = read_with_subject_lines(&raw, &tokens);
    let repaired = Cleaned::new(repaired);
    let lines = lines(&repaired);
    let mut subject = Vec::new();
    for (i, (k, part)) in parts.into_iter().enumerate() {
        let text = part_text(&repaired, lines.get(k)?, part);
        // The raw reading may have run on into the body (or taken it, when the subject's
        // own line was too garbled to read as Vietnamese): the repaired line shows it.
        let past = matches!(part, Part::First | Part::Whole) && ends_subject(&repaired, &lines, k, i == 0);
        // A subject opens a paragraph: a line under a sentence that goes on is the body's.
        let inside_paragraph = i == 0 && part == Part::First && k > 0 && {
            let above = squash(strip_marks(repaired.original(lines[k - 1].start, lines[k - 1].end)));
            !above.is_empty() && reads_as_vietnamese(&above) && !mostly_upper(&above)
        };
        if past || inside_paragraph || !reads_as_vietnamese(&text) {
            break;
        }
        subject.push(text);
    }
    (!subject.is_empty()).then(|| subject.join(" "))
}

fn lines(cleaned: &Cleaned) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, c) in cleaned.folded.chars().enumerate() {
        if c == '\n' || c == crate::record::PAGE_BREAK {
            lines.push(Line { start, end: i });
            start = i + 1;
        }
    }
    lines.push(Line { start, end: cleaned.len() });
    lines
}

fn blank(cleaned: &Cleaned, line: &Line) -> bool {
    cleaned.folded(line.start, line.end).trim().is_empty()
}

/// Markdown and layout marks around a line's text.
fn strip_marks(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || "#*_>|`=~".contains(c))
}

/// The first "Căn cứ …" line: the header is over by then.
fn first_body_line(cleaned: &Cleaned, lines: &[Line]) -> Option<usize> {
    lines
        .iter()
        .find(|l| {
            let folded = cleaned.folded(l.start, l.end);
            // Not a heading ("### Căn cứ pháp lý"): a basis line names a document.
            !folded.trim_start().starts_with('#') && strip_marks(folded).starts_with("can cu ") && folded.split_whitespace().count() >= 5
        })
        .map(|l| l.start)
}

/// "Số: 1582/QĐ-UBND", "Số 312-BC/HU", "Nghị quyết số: 27/2026/QH16". Damaged numbers keep
/// what is legible and add a flag.
fn own_number(cleaned: &Cleaned, tokens: &[Token], header_end: usize, need_colon: bool, meta: &mut DocumentMeta) -> Option<OwnNumber> {
    let folded_word = |t: &Token| cleaned.folded(t.start as usize, t.end as usize);
    for (m, token) in tokens.iter().enumerate() {
        if token.start as usize >= header_end {
            break;
        }
        if !token.is_word() || !vocab::is_number_marker(folded_word(token)) {
            continue;
        }
        let printed = cleaned.original(token.start as usize, token.end as usize);
        // ("$6: 1125/QĐ-UBND": legacy OCR's S of Số as a dollar sign, see clean.)
        if !(printed.starts_with(['S', '$']) || folded_word(token) == "so") {
            continue;
        }
        let mut at = m + 1;
        if tokens.get(at + 1).is_some_and(|t| t.is_word() && folded_word(t) == "hieu") {
            at += 2;
        }
        let mut colon = false;
        let mut junk = None;
        let mut steps = 0;
        while let Some(t) = tokens.get(at) {
            match t.kind {
                Kind::Space => {}
                Kind::Punct(':') => colon = true,
                Kind::Punct(c) if c != '/' && c != '-' && c != '\n' && steps < 4 => {
                    junk.get_or_insert(t.start as usize);
                }
                _ => break,
            }
            at += 1;
            steps += 1;
        }
        let Some(number_token) = tokens.get(at).filter(|t| t.is_word()) else { continue };
        // "Số 312-BC/HU" opens its line; after a type name ("Nghị quyết số: 27/2026/QH16")
        // the colon is needed, else it is a citation in a list ("- Nghị quyết số 29-NQ/TW").
        // Bounded, so that a megabyte-long line of "số" stays linear.
        let before_on_line = || tokens[m.saturating_sub(12)..m].iter().rev().take_while(|t| !matches!(t.kind, Kind::Newline | Kind::PageBreak));
        let opens_line = before_on_line().all(|t| !t.is_word());
        let after_type = before_on_line().all(|t| !t.is_word() || is_type_word(folded_word(t)));
        if !(opens_line || (colon && after_type)) || (need_colon && !colon) {
            continue;
        }
        // A lower-case "số" opening a line without a colon is a wrapped sentence ("… Thông
        // tư\nsố 15/2020/TT-BGDĐT ngày …"): the header's marker is "Số", or "số:" after a type.
        if !printed.starts_with(['S', '$']) && !colon {
            continue;
        }
        let parsed = docid::parse_at(cleaned, tokens, at);
        let line_end = tokens[at..]
            .iter()
            .take(40)
            .find(|t| matches!(t.kind, Kind::Newline | Kind::PageBreak))
            .map_or_else(|| tokens[(at + 40).min(tokens.len() - 1)].end as usize, |t| t.start as usize);
        let start = token.start as usize;
        match parsed {
            Some(p) => {
                meta.number_raw = Some(squash(cleaned.original(start, p.end)));
                // A mark glued to the number ("%4/KH~VP") may stand for a lost digit: the
                // legible part is kept in the flag, but not given as the id, which would file
                // the document under a number it may not have.
                let glued = junk.is_some() && number_token.start > 0 && !cleaned.folded(number_token.start as usize - 1, number_token.start as usize).trim().is_empty();
                if glued {
                    meta.flags.push(super::flag::number_partly_illegible(&squash(cleaned.original(junk.unwrap_or(start), p.end)), &p.id));
                    return Some(OwnNumber { id: None, span: (start, p.end) });
                }
                meta.id = Some(p.id.clone());
                return Some(OwnNumber { id: Some(p.id), span: (start, p.end) });
            }
            None => {
                // Keep the legible run up to two spaces or the end of the line.
                let text = cleaned.original(number_token.start as usize, line_end);
                let legible: String = text.split("  ").next().unwrap_or("").split_whitespace().next().unwrap_or("").to_owned();
                if legible.is_empty() || !legible.chars().any(|c| c.is_ascii_digit()) {
                    continue;
                }
                meta.number_raw = Some(squash(cleaned.original(start, number_token.start as usize + legible.chars().count())));
                meta.flags.push(super::flag::number_illegible(&legible));
                return Some(OwnNumber { id: None, span: (start, number_token.start as usize + legible.chars().count()) });
            }
        }
    }
    None
}

fn is_type_word(folded: &str) -> bool {
    vocab::TYPE_PHRASES.iter().any(|(phrase, _)| phrase.split(' ').any(|w| w == folded))
}

/// "Bình Phước, ngày 17 tháng 3 năm 2025": the first date in the header after a place.
fn place_and_date(cleaned: &Cleaned, tokens: &[Token], header_end: usize, meta: &mut DocumentMeta) {
    for (i, token) in tokens.iter().enumerate() {
        if token.start as usize >= header_end {
            break;
        }
        if !token.is_word() || cleaned.folded(token.start as usize, token.end as usize) != "ngay" {
            continue;
        }
        // Preceded by a comma on the same line: "Place, ngày …".
        let mut p = i;
        while p > 0 && tokens[p - 1].kind == Kind::Space {
            p -= 1;
        }
        if p == 0 || !tokens[p - 1].is_punct(',') {
            continue;
        }
        // Place: the capitalized words just before the comma (not a number's symbol part,
        // which OCR may put on the same line: "Số: 12/KH-VP Đồng Nai, ngày …").
        let mut first = p - 1;
        let mut words = 0;
        let mut q = p - 1;
        while q > 0 && words < 5 {
            q -= 1;
            let t = &tokens[q];
            let printed = cleaned.original(t.start as usize, t.end as usize);
            match t.kind {
                // A wide gap is the column gap of a two-column header.
                Kind::Space if t.end - t.start >= 2 => break,
                Kind::Space => {}
                Kind::Punct('.') => {}
                Kind::Word if printed.starts_with(char::is_uppercase) => {
                    let symbol_like = printed.chars().count() >= 2 && !printed.chars().any(char::is_lowercase) && printed != "TP";
                    if symbol_like || vocab::is_number_marker(cleaned.folded(t.start as usize, t.end as usize)) {
                        break;
                    }
                    first = q;
                    words += 1;
                }
                _ => break,
            }
        }
        if first < p - 1 {
            let place = squash(cleaned.original(tokens[first].start as usize, tokens[p - 2].end as usize));
            meta.place = Some(strip_marks(&place).to_owned());
        }
        match dates::date_at(cleaned, tokens, i) {
            Some(date) => meta.date = Some(date.iso),
            None => meta.flags.push(super::flag::DATE_ILLEGIBLE.to_owned()),
        }
        return;
    }
}

/// The line's text with motto fragments and layout marks cut out.
fn without_motto(cleaned: &Cleaned, line: &Line) -> String {
    let folded: Vec<char> = cleaned.folded(line.start, line.end).chars().collect();
    let original: Vec<char> = cleaned.original(line.start, line.end).chars().collect();
    // Words with char spans within the line.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        if folded[i].is_alphanumeric() {
            let s = i;
            while i < folded.len() && folded[i].is_alphanumeric() {
                i += 1;
            }
            words.push((s, i));
        } else {
            i += 1;
        }
    }
    // OCR reads a capital Đ as P ("Pộc lập", "PẢNG"): compare with that undone.
    let word = |k: usize| {
        let w: String = folded[words[k].0..words[k].1].iter().collect();
        undo_p_for_d(&w)
    };
    let mut cut = vec![false; original.len()];
    let mut k = 0;
    while k < words.len() {
        let mut best = 0;
        for motto in MOTTOS {
            for offset in 0..motto.len() {
                let mut n = 0;
                while k + n < words.len() && offset + n < motto.len() && word(k + n) == motto[offset + n] {
                    n += 1;
                }
                best = best.max(n);
            }
        }
        if best >= 3 {
            let (s, e) = (words[k].0, words[k + best - 1].1);
            cut[s..e].iter_mut().for_each(|c| *c = true);
            k += best;
        } else {
            k += 1;
        }
    }
    let kept: String = original.iter().zip(&cut).map(|(c, cut)| if *cut { ' ' } else { *c }).collect();
    let kept = squash(&kept);
    strip_marks(kept.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace())).to_owned()
}

/// A word-initial P not followed by H is a misread Đ (folded, either case): no native
/// Vietnamese word starts with P alone.
pub(crate) fn undo_p_for_d(word: &str) -> String {
    let mut chars = word.chars();
    match (chars.next(), chars.clone().next()) {
        (Some('p'), Some(n)) if n != 'h' => format!("d{}", chars.as_str()),
        (Some('P'), Some(n)) if n != 'H' => format!("D{}", chars.as_str()),
        _ => word.to_owned(),
    }
}

/// How the name of an issuing body begins (folded upper case).
const BODY_OPENERS: &[&str] = &[
    "BO ", "SO ", "BAN ", "UY BAN", "HOI DONG", "HUYEN UY", "TINH UY", "THANH UY", "QUAN UY", "THI UY", "DANG UY", "DANG BO",
    "CHI BO", "PHONG ", "CUC ", "CHI CUC", "TONG CUC", "VU ", "VAN PHONG", "TRUNG TAM", "TRUONG ", "VIEN ", "CONG AN",
    "DOAN ", "HOI ", "MAT TRAN", "UBND", "HDND", "THANH TRA", "KHO BAC", "BAO HIEM", "TOA AN", "BO CHI HUY", "NGAN HANG",
];

/// Whether `text` opens as the name of an issuing body does ("SỞ TÀI CHÍNH", "Trung tâm …";
/// OCR's P for Đ undone).
pub(crate) fn opens_like_organ(text: &str) -> bool {
    let folded: String = fold_upper(text.trim()).split(' ').map(undo_p_for_d).collect::<Vec<_>>().join(" ");
    BODY_OPENERS.iter().any(|b| folded.starts_with(b) || folded == b.trim_end())
}

/// A header line that cannot be an issuing body: a type title ("THÔNG TƯ"), a number, a
/// heading ending in a colon.
fn could_be_body(text: &str) -> bool {
    let folded = crate::viet::fold(text).to_lowercase();
    vocab::type_phrase(folded.trim()).is_none() && DocId::parse(text).is_none() && !text.ends_with(':')
}

fn mostly_upper(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 8
}

/// The issuer lines: the upper-case block just above the number line (or at the top).
fn issuer(cleaned: &Cleaned, lines: &[Line], number_line: Option<usize>, meta: &mut DocumentMeta) {
    let mut block: Vec<String> = Vec::new();
    let candidates: Vec<usize> = match number_line {
        Some(n) => (0..n).rev().collect(),
        None => (0..lines.len().min(8)).collect(),
    };
    for k in candidates {
        let text = without_motto(cleaned, &lines[k]);
        if text.chars().all(|c| !c.is_alphanumeric()) {
            if !block.is_empty() && number_line.is_none() {
                break;
            }
            continue;
        }
        if !mostly_upper(&text) || text.chars().count() > 80 || !could_be_body(&text) {
            // Before the block starts, skip OCR crumbs ("min" left of a motto line) and,
            // without a number line, anything else above the issuer.
            let crumb = text.chars().filter(|c| c.is_alphabetic()).count() <= 3;
            if block.is_empty() && (number_line.is_none() || crumb) {
                continue;
            }
            break;
        }
        block.push(text);
        if block.len() == 3 {
            break;
        }
    }
    if number_line.is_some() {
        block.reverse();
    }
    // On the number line itself, text before "Số" may be the issuer's last line (two columns).
    match block.len() {
        0 => {}
        1 => meta.issuer = Some(block.remove(0)),
        _ => {
            let (first, second) = (&block[block.len() - 2], &block[block.len() - 1]);
            // "ĐẢNG BỘ TỈNH … / HUYỆN ỦY …": the second line names a body of its own under
            // the first. "ỦY BAN NHÂN DÂN / TỈNH BÌNH PHƯỚC", "NGÂN HÀNG NHÀ NƯỚC / VIỆT NAM":
            // one name wrapped over two lines.
            let second_folded: String = fold_upper(second).split(' ').map(undo_p_for_d).collect::<Vec<_>>().join(" ");
            if BODY_OPENERS.iter().any(|b| second_folded.starts_with(b)) {
                meta.parent_issuer = Some(first.clone());
                meta.issuer = Some(second.clone());
            } else {
                meta.issuer = Some(format!("{first} {second}"));
            }
        }
    }
}

/// How one line of a subject is read.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Part {
    /// A letter's "V/v …" line: its left column, after "V/v".
    AfterVv,
    /// A wrapped line of a letter's trích yếu: its left column.
    LeftColumn,
    /// The first line under a title: from "Về việc" on when a stamp ran into it.
    First,
    /// A wrapped line under a title: all of it.
    Whole,
}

fn part_text(cleaned: &Cleaned, line: &Line, part: Part) -> String {
    let printed = cleaned.original(line.start, line.end);
    match part {
        Part::AfterVv => {
            let text = squash(strip_marks(left_column(printed)));
            let after: String = text.chars().skip(3).collect();
            after.trim_start_matches([':', ' ']).to_owned()
        }
        Part::LeftColumn => squash(strip_marks(left_column(printed))),
        Part::First => subject_start(&squash(strip_marks(printed))),
        Part::Whole => squash(strip_marks(printed)),
    }
}

/// The title line ("QUYẾT ĐỊNH", "KẾ HOẠCH") gives the type; the lines under it, up to a
/// blank line or the first "Căn cứ", give the subject. A letter's "V/v …" is its subject.
/// Returns the subject's lines, each with how it was read.
fn title_and_subject(cleaned: &Cleaned, lines: &[Line], number_line: Option<usize>, header_end: usize, meta: &mut DocumentMeta) -> Vec<(usize, Part)> {
    let from = number_line.unwrap_or(0);
    // The number line may itself name the type: "Nghị quyết số: 27/2026/QH16".
    if let Some(n) = number_line {
        let folded = strip_marks(cleaned.folded(lines[n].start, lines[n].end));
        if let Some((_, t)) = vocab::TYPE_PHRASES.iter().find(|(p, _)| folded.starts_with(&format!("{p} so"))) {
            meta.doc_type = Some((*t).to_owned());
        }
    }
    let mut found: Vec<(usize, Part)> = Vec::new();
    for k in from..lines.len() {
        let line = &lines[k];
        if line.start >= header_end {
            break;
        }
        let folded = squash(strip_marks(cleaned.folded(line.start, line.end)));
        if folded.starts_with("v/v") {
            found = vec![(k, Part::AfterVv)];
            let mut last = part_text(cleaned, line, Part::AfterVv);
            // The trích yếu wraps in its narrow column, a lower-case line each ("V/v góp ý
            // dự thảo … sửa / đổi, bổ sung …"), up to a blank line or "Kính gửi".
            for (j, next) in lines.iter().enumerate().skip(k + 1).take(4) {
                let printed = part_text(cleaned, next, Part::LeftColumn);
                let folded = strip_marks(cleaned.folded(next.start, next.end));
                let continues = printed.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit())
                    || last.ends_with([',', '-']) || last.split_whitespace().last().is_some_and(|w| w.chars().all(char::is_lowercase));
                // Never the other column's motto or date line that OCR puts after the block.
                let other_column = mostly_upper(&printed) || folded.contains(", ngay ") || folded.contains(" ngay ") && folded.contains(" thang ");
                if printed.is_empty() || folded.trim_start().starts_with("kinh gui") || other_column || !continues || !reads_as_vietnamese(&printed) {
                    break;
                }
                found.push((j, Part::LeftColumn));
                last = printed;
            }
            meta.doc_type.get_or_insert_with(|| "Công văn".to_owned());
            continue;
        }
        let printed = squash(strip_marks(cleaned.original(line.start, line.end)));
        // "QUYẾT ĐỊNH" alone, or an older title naming its issuer: "QUYẾT ĐỊNH CỦA ỦY BAN
        // NHÂN DÂN TỈNH".
        let title = vocab::type_phrase(&folded).or_else(|| folded.split_once(" cua ").and_then(|(t, _)| vocab::type_phrase(t)));
        let Some(doc_type) = title else { continue };
        if !mostly_upper(&printed) {
            continue;
        }
        meta.doc_type = Some(doc_type.to_owned());
        // A letter's "V/v" above stays when nothing under the title reads as a subject.
        let under = subject_under_title(cleaned, lines, k);
        if !under.is_empty() {
            found = under;
        }
        break;
    }
    if !found.is_empty() {
        meta.subject = Some(found.iter().map(|&(k, part)| part_text(cleaned, &lines[k], part)).collect::<Vec<_>>().join(" "));
    }
    found
}

/// The subject lines under the title on line `title`.
fn subject_under_title(cleaned: &Cleaned, lines: &[Line], title: usize) -> Vec<(usize, Part)> {
    let mut subject: Vec<(usize, String)> = Vec::new();
    // Blank lines and lines that do not read as Vietnamese (a seal, a receipt stamp or
    // a signature box OCR'd into the column) since the last subject line.
    let mut gap = false;
    let mut skipped = 0;
    for (k, line) in lines.iter().enumerate().skip(title + 1).take(12) {
        let printed = squash(strip_marks(cleaned.original(line.start, line.end)));
        if printed.is_empty() || !reads_as_vietnamese(&printed) {
            if !printed.is_empty() {
                skipped += 1;
            }
            gap = !subject.is_empty();
            if skipped > 3 {
                break;
            }
            continue;
        }
        if ends_subject(cleaned, lines, k, subject.is_empty() && skipped == 0) {
            break;
        }
        match subject.last() {
            None => subject.push((k, subject_start(&printed))),
            // Across a gap only a wrapped line continues the subject: it starts in lower
            // case, or the line before stopped mid-phrase.
            Some((_, last)) => {
                let continues = printed.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit()) || last.ends_with([',', '-']);
                if gap && (!continues || subject.len() > 2) {
                    break;
                }
                // The enacting body's name in capitals under a decision's subject ("ỦY BAN
                // NHÂN DÂN HUYỆN …") is not the subject's.
                let body_name = mostly_upper(&printed) && !mostly_upper(last) && BODY_OPENERS.iter().any(|b| fold_upper(&printed).starts_with(b));
                if body_name {
                    break;
                }
                subject.push((k, printed));
            }
        }
        gap = false;
        if subject.len() == 4 {
            break;
        }
    }
    subject.iter().enumerate().map(|(i, (k, _))| (*k, if i == 0 { Part::First } else { Part::Whole })).collect()
}

/// Whether line `k` under a title is past the subject: the body's first line, an article,
/// "Kính gửi", a rule, another title. `first`: no subject line was found yet, nor skipped.
fn ends_subject(cleaned: &Cleaned, lines: &[Line], k: usize, first: bool) -> bool {
    let line = &lines[k];
    let folded = strip_marks(cleaned.folded(line.start, line.end));
    let printed = squash(strip_marks(cleaned.original(line.start, line.end)));
    // "Thực hiện …" opens the body; "thực hiện …" in lower case under a Party title is its
    // trích yếu ("KẾ HOẠCH / thực hiện Nghị quyết số …"), and so is a short "Thực hiện công
    // tác … năm 2024" standing alone right under the title.
    let body_opener = printed.starts_with(char::is_uppercase)
        && (folded.starts_with("can cu") || folded.starts_with("thuc hien") && !(first && stands_alone(cleaned, lines, k)));
    // "Điều 1. …": the articles (the title found was the enacting "QUYẾT ĐỊNH:").
    let article = folded.strip_prefix("dieu").is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()));
    body_opener
        || article
        || folded.starts_with("kinh gui")
        || folded.starts_with("---")
        || printed.chars().all(|c| !c.is_alphanumeric())
        || vocab::type_phrase(&squash(folded)).is_some()
}

/// Whether the line `k` is a paragraph of its own of at most two lines, followed by a blank
/// line and not ending as a sentence that goes on (":", ";", ","): a subject, not the body's
/// opening "Thực hiện Kế hoạch số …, … như sau:".
fn stands_alone(cleaned: &Cleaned, lines: &[Line], k: usize) -> bool {
    let paragraph: Vec<&Line> = lines[k..].iter().take(3).take_while(|l| !blank(cleaned, l)).collect();
    let followed_by_blank = lines.get(k + paragraph.len()).is_some_and(|l| blank(cleaned, l));
    let last = paragraph.last().map(|l| cleaned.original(l.start, l.end).trim_end()).unwrap_or_default();
    paragraph.len() <= 2 && followed_by_blank && !last.ends_with([':', ';', ','])
}

/// Whether a line reads as Vietnamese: most of its words are well-formed syllables. A seal,
/// a receipt stamp or a signature box read by OCR ("^ .^A ,À k4", "CỤ T§6 .J}LŸ-2 i") does
/// not. Numbers and document numbers ("24/2013/NQ-HĐND") and acronyms ("HĐND") count
/// neither way; a single letter counts against (real subjects have none, OCR junk many).
pub(crate) fn reads_as_vietnamese(text: &str) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for token in text.split_whitespace() {
        let word = token.trim_matches(|c: char| ",.;:!?()[]\"“”'‘’-–…".contains(c));
        if word.is_empty() {
            // Ordinary punctuation standing alone ("-", "–", ","), or nothing.
            if token.chars().any(|c| !",.;:!?()\"“”'-–…".contains(c)) {
                bad += 1;
            }
            continue;
        }
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if word.chars().count() >= 2 && crate::viet::Syllable::parse(word).is_some_and(|s| s.is_valid()) {
            good += 1;
        } else if letters >= 2 && word.chars().all(|c| c.is_uppercase() || c == '-' || c == '/' || c.is_ascii_digit()) {
            // An acronym (HĐND, UBND, THADS) or a number's codes.
        } else {
            bad += 1;
        }
    }
    good >= 1 && good * 10 >= (good + bad) * 6
}

/// The first line of a subject as it should read: what stands before "về việc" when a stamp
/// or the other column's text ran into it ("-TRUNG TÂM CÔNG … Về việc …") is dropped, and
/// OCR's "Và việc" / "Vệ việc" for the "Về việc" every such subject opens with is put right.
fn subject_start(printed: &str) -> String {
    let words: Vec<&str> = printed.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| crate::viet::fold(w).to_lowercase()).collect();
    let at = folded.windows(2).position(|w| w[0] == "ve" && w[1] == "viec");
    let start = match at {
        Some(i) if i > 0 => {
            let before = words[..i].join(" ");
            if mostly_upper(&before) || !reads_as_vietnamese(&before) {
                i
            } else {
                0
            }
        }
        _ => 0,
    };
    let mut out: Vec<String> = words[start..].iter().map(|w| (*w).to_owned()).collect();
    let opens = folded.get(start).is_some_and(|w| w == "va" || w == "ve") && folded.get(start + 1).is_some_and(|w| w == "viec");
    if opens {
        out[0] = if out[0].starts_with(char::is_uppercase) { "Về".to_owned() } else { "về".to_owned() };
    }
    out.join(" ")
}

/// The left column of a line laid out in two (a run of three spaces parts them).
fn left_column(line: &str) -> &str {
    let trimmed = line.trim_start();
    match trimmed.find("   ") {
        Some(gap) => &trimmed[..gap],
        None => trimmed,
    }
}

/// Lines under the capacity block searched for the name as any name run, and as a name
/// standing alone on its line: a seal or the signature stroke can push the name down, and
/// OCR may read the recipients column between the capacity and the name.
const NAME_LINES_NEAR: usize = 8;
const NAME_LINES_FAR: usize = 24;

/// Word pairs of headings and titles (folded), never a person's name: a run holding one is
/// a capacity or heading line OCR misread ("ÁNH VĂN PHÒNG" for "CHÁNH VĂN PHÒNG"), or the
/// body's heading ("QUYẾT ĐỊNH"). Written from the forms of Vietnamese administrative
/// documents (Nghị định 30/2020/NĐ-CP), not from any sample page.
const TITLE_PAIRS: &[&str] = &[
    "van phong", "chu tich", "quyet dinh", "uy ban", "nhan dan", "thong bao", "to trinh", "bao cao", "cong van", "ke hoach",
    "chi thi", "nghi quyet", "nghi dinh", "giam doc", "bi thu", "hoi dong", "noi nhan", "cong hoa", "xa hoi", "chu nghia",
    "doc lap", "hanh phuc", "thuong vu", "thuong truc",
];

/// The signing-capacity openers (folded, without their dot), never a word of a name.
const OPENER_WORDS: &[&str] = &["tm", "kt", "tl", "tuq", "t/m"];

/// "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Văn A", read from the end of the document. When a
/// capacity is read but no name under it, the field stays empty and is flagged, with the
/// line that stood where the name should be if it read as a title (a name is never guessed
/// from a heading).
fn signer(cleaned: &Cleaned, lines: &[Line], meta: &mut DocumentMeta) {
    let first = lines.len().saturating_sub(FOOTER_LINES);
    let footer = &lines[first..];
    // The last capacity block.
    let mut block_end = None;
    let mut capacity: Vec<String> = Vec::new();
    for (k, line) in footer.iter().enumerate().rev() {
        if let Some(text) = capacity_part(cleaned, line) {
            if block_end.is_none() {
                block_end = Some(k);
            }
            capacity.push(text);
        } else if block_end.is_some() && !blank(cleaned, line) {
            // The recipients column beside the capacity lines.
            let printed = cleaned.original(line.start, line.end).trim_start();
            if !printed.starts_with(['-', '+']) {
                break;
            }
        }
    }
    let Some(block_end) = block_end else {
        // No capacity read (a seal or signature stroke over it): a name standing alone on a
        // line of the signature area, after "Nơi nhận:".
        let Some(start) = footer.iter().rposition(|l| strip_marks(cleaned.folded(l.start, l.end)).starts_with("noi nhan")) else { return };
        for line in footer[start + 1..].iter().take(NAME_LINES_FAR + 16) {
            let Some(printed) = signature_column(cleaned, line) else { continue };
            if let NameRead::Name(name, misread) = standalone_name(&printed) {
                if misread {
                    meta.flags.push(super::flag::signer_surname_repaired(&printed));
                }
                meta.signer = Some(name);
                return;
            }
        }
        return;
    };
    capacity.reverse();
    meta.signer_title = Some(capacity.join(" / "));
    let mut read_instead = None;
    for (k, line) in footer[block_end + 1..].iter().take(NAME_LINES_FAR).enumerate() {
        let Some(printed) = signature_column(cleaned, line) else { continue };
        let read = if k < NAME_LINES_NEAR { name_in_column(&printed) } else { standalone_name(&printed) };
        match read {
            NameRead::Name(name, misread) => {
                if misread {
                    meta.flags.push(super::flag::signer_surname_repaired(&printed));
                }
                meta.signer = Some(name);
                return;
            }
            NameRead::Title(title) if k < NAME_LINES_NEAR && read_instead.is_none() => read_instead = Some(title),
            _ => {}
        }
    }
    meta.flags.push(super::flag::signer_illegible(read_instead.as_deref()));
}

/// The right column of a footer line, where the signature stands, marks and spaces cleaned;
/// `None` for a line of the left column alone (a recipient).
fn signature_column(cleaned: &Cleaned, line: &Line) -> Option<String> {
    let full = cleaned.original(line.start, line.end);
    let column = match full.trim_end().rfind("   ") {
        Some(b) => &full[b..],
        None if full.trim_start().starts_with(['-', '+']) => return None,
        None => full,
    };
    Some(squash(strip_marks(column)))
}

/// What a line under the capacity reads as.
enum NameRead {
    /// A person's name, and whether its surname was a misreading repaired.
    Name(String, bool),
    /// A run of capitalized words that is a heading or title, not a name.
    Title(String),
    None,
}

/// The words of `printed` with surrounding punctuation off, empty ones dropped.
fn bare_words(printed: &str) -> Vec<&str> {
    printed.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphabetic())).filter(|w| !w.is_empty()).collect()
}

/// The name at the end of a line near the capacity: the whole line, or (a column OCR ran
/// into another) a run cut from its end that opens with a known surname and does not end
/// in the comma or semicolon of a recipients line.
fn name_in_column(printed: &str) -> NameRead {
    let Some(name) = person_name(printed) else { return NameRead::None };
    if let Some(title) = title_run(&name, true) {
        return NameRead::Title(title);
    }
    let (name, misread) = with_surname_repaired(printed, name);
    let line_words = bare_words(printed).len();
    let name_words = name.split(' ').count();
    let whole = line_words == name_words || (misread && line_words == name_words + 1);
    if !whole {
        let first = name.split(' ').next().unwrap_or("");
        if !super::surname::is_surname(first) || printed.trim_end().ends_with([',', ';']) {
            return NameRead::None;
        }
    }
    NameRead::Name(name, misread)
}

/// A name standing alone on its line (2–5 words) and opening with a known surname, as read
/// or repaired: what is taken further from the capacity, or with no capacity read at all.
fn standalone_name(printed: &str) -> NameRead {
    let Some(name) = person_name(printed) else { return NameRead::None };
    if let Some(title) = title_run(&name, false) {
        return NameRead::Title(title);
    }
    let (name, misread) = with_surname_repaired(printed, name);
    let name_words: Vec<&str> = name.split(' ').collect();
    let line_words = bare_words(printed).len();
    let whole = line_words == name_words.len() || (misread && line_words == name_words.len() + 1);
    if !whole || !(2..=5).contains(&name_words.len()) || !super::surname::is_surname(name_words[0]) {
        return NameRead::None;
    }
    NameRead::Name(name, misread)
}

/// `name` when it holds a heading or title (an opener such as "TM", or a pair of
/// [`TITLE_PAIRS`]). With `surname_first`, a run opening with a known surname is a name
/// whatever follows ("Nguyễn Văn Phong").
fn title_run(name: &str, surname_first: bool) -> Option<String> {
    let folded = format!(" {} ", crate::viet::fold(name).to_lowercase());
    let opener = OPENER_WORDS.iter().any(|w| folded.contains(&format!(" {w} ")));
    let pair = TITLE_PAIRS.iter().any(|p| folded.contains(&format!(" {p} ")));
    // "VĂN PHÒNG" opens with a pair, though "Văn" is a surname too.
    let opens_with_pair = TITLE_PAIRS.iter().any(|p| folded.starts_with(&format!(" {p} ")));
    let first = name.split(' ').next().unwrap_or("");
    (opener || opens_with_pair || (pair && !(surname_first && super::surname::is_surname(first)))).then(|| name.to_owned())
}

/// The capacity part of a footer line ("KT. CHỦ TỊCH", or that part of "Nơi nhận: KT. CHỦ TỊCH").
fn capacity_part(cleaned: &Cleaned, line: &Line) -> Option<String> {
    // In a two-column footer the capacity is the right column: the text after the last
    // wide gap.
    let line_folded = cleaned.folded(line.start, line.end);
    let column = line_folded.rfind("   ").map_or(0, |b| line_folded[..b].chars().count());
    let (start, end) = (line.start + column, line.end);
    let folded = strip_marks(cleaned.folded(start, end)).to_owned();
    let printed_full = cleaned.original(start, end);
    let folded_full = cleaned.folded(start, end);
    let opener = ["kt. ", "kt.", "tm. ", "tm.", "t/m ", "t.m. ", "q. ", "tl. ", "tuq. "]
        .iter()
        .filter_map(|o| find_word_start(folded_full, o))
        .min();
    let (text, folded_part) = match opener {
        Some(byte) => {
            let chars = folded_full[..byte].chars().count();
            let printed: String = printed_full.chars().skip(chars).collect();
            (printed, folded_full[byte..].to_owned())
        }
        None => (printed_full.to_owned(), folded),
    };
    let mut text = squash(strip_marks(&text));
    // "- Lưu: VT, KT." names the economics office, not "ký thay": an opener needs a capacity after it.
    if opener.is_some() && text.split_whitespace().count() < 2 {
        return None;
    }
    // OCR may close the column gap to one space ("- Ban Tuyên giáo Tỉnh ủy, BÍ THƯ"): then
    // the capacity is the run of upper-case words that ends the line.
    let cut_to_run = !mostly_upper(&text);
    if cut_to_run {
        text = trailing_upper_run(&text)?;
    }
    let words = text.split_whitespace().count();
    if words == 0 || words > 8 {
        return None;
    }
    // Without an opener the capacity words must stand in the part kept, not only elsewhere
    // on the line: "… của Giám đốc Sở Tài chính tại Công văn số 143/STC-" ends in capitals
    // but its capacity word is in the running text.
    let kept_folded = if cut_to_run { crate::viet::fold(&text).to_lowercase() } else { folded_part };
    let kept_folded: String = kept_folded.split(' ').map(undo_p_for_d).collect::<Vec<_>>().join(" ");
    if opener.is_none() && !CAPACITY_WORDS.iter().any(|w| kept_folded.contains(w)) {
        return None;
    }
    Some(text)
}

/// The words at the end of `text` that have no lower-case letter ("BÍ THƯ", "KT. CHỦ TỊCH").
fn trailing_upper_run(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let upper = words.iter().rev().take_while(|w| !w.chars().any(char::is_lowercase) && w.chars().any(char::is_alphabetic)).count();
    (upper > 0).then(|| words[words.len() - upper..].join(" "))
}

/// Byte offset of `needle` in `hay` where it starts a word.
fn find_word_start(hay: &str, needle: &str) -> Option<usize> {
    hay.match_indices(needle).map(|(i, _)| i).find(|&i| i == 0 || !hay[..i].ends_with(|c: char| c.is_alphanumeric()))
}

/// A person's name: the trailing run of 2–6 capitalized words of the line, not in upper
/// case throughout unless the whole line is the name.
fn person_name(printed: &str) -> Option<String> {
    let words: Vec<&str> = printed.split_whitespace().collect();
    let mut run = Vec::new();
    for word in words.iter().rev() {
        let clean = word.trim_matches(|c: char| !c.is_alphabetic());
        let all_caps_line = !printed.chars().any(char::is_lowercase);
        let title_case = clean.chars().skip(1).all(|c| !c.is_uppercase());
        if clean.is_empty() || !clean.starts_with(char::is_uppercase) || word.chars().any(|c| c.is_ascii_digit()) || !(title_case || all_caps_line) {
            break;
        }
        run.push(clean);
        if run.len() == 6 {
            break;
        }
    }
    run.reverse();
    if run.len() < 2 || printed.starts_with('(') {
        return None;
    }
    let name = run.join(" ");
    let folded = crate::viet::fold(&name).to_lowercase();
    // "Trương" is a surname as well as the "trưởng" of a title: only titles of two words
    // or more rule a line out.
    let title = CAPACITY_WORDS.iter().filter(|w| w.contains(' ')).any(|w| folded.contains(w))
        || ["pho ", "chanh ", "truong ban", "truong phong", "bo truong", "thu truong"].iter().any(|w| folded.starts_with(w));
    if title || folded.contains("noi nhan") || folded.contains("da ky") {
        return None;
    }
    Some(name)
}

/// `name`, read by [`person_name`] from `printed`, with its surname restored when OCR misread
/// it: the first word of the name ("Xguyến Quốc Việt"), or a lower-case word the name run
/// stopped at ("rần Phước Hiên" gave "Phước Hiên"). Only when the name is the whole line,
/// so that the word before a name in running text ("thị trấn Mộ Đức") is never taken.
/// The flag says whether it was repaired.
fn with_surname_repaired(printed: &str, name: String) -> (String, bool) {
    let line_words: Vec<&str> = printed
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
        .collect();
    let name_words: Vec<&str> = name.split(' ').collect();
    let upper = !name.chars().any(char::is_lowercase);
    let fix = |word: &str| super::surname::misread_surname(word, upper);
    if line_words.len() == name_words.len() {
        if let Some(surname) = fix(name_words[0]) {
            return ([surname.as_str()].into_iter().chain(name_words[1..].iter().copied()).collect::<Vec<_>>().join(" "), true);
        }
    } else if line_words.len() == name_words.len() + 1 && name_words.len() >= 2 && line_words[0].starts_with(char::is_lowercase) {
        if let Some(surname) = fix(line_words[0]) {
            return (format!("{surname} {name}"), true);
        }
    }
    (name, false)
}

/// "Nơi nhận:" and the bullet lines under it (or the list after the colon).
fn recipients(cleaned: &Cleaned, lines: &[Line], meta: &mut DocumentMeta) {
    let first = lines.len().saturating_sub(FOOTER_LINES);
    let Some(k) = lines[first..].iter().position(|l| {
        let f = strip_marks(cleaned.folded(l.start, l.end));
        f.starts_with("noi nhan") || f.starts_with("danh sach nhan")
    }) else {
        return;
    };
    let k = first + k;
    let cut_capacity = |text: &str| -> String {
        let folded = crate::viet::fold(text).to_lowercase();
        // "KT. CHỦ TỊCH" glued on by OCR is cut; "Lưu: VT, KT." (an office) is kept.
        let cut = ["kt.", "tm.", "t/m", "tl.", "tuq."]
            .iter()
            .filter_map(|o| find_word_start(&folded, o).filter(|&b| folded[b + o.len()..].chars().any(char::is_alphabetic)))
            .min();
        let chars = cut.map(|b| folded[..b].chars().count());
        let kept: String = match chars {
            Some(n) => text.chars().take(n).collect(),
            None => text.to_owned(),
        };
        kept.trim().trim_end_matches([';', ',', '.', ' ']).trim_start_matches(['-', '+', '•', ' ']).trim().to_owned()
    };
    let head = squash(strip_marks(cleaned.original(lines[k].start, lines[k].end).split("   ").next().unwrap_or("")));
    if let Some((_, rest)) = head.split_once(':') {
        let rest = rest.trim().trim_matches(['(', ')']);
        for item in rest.split(';').map(cut_capacity).filter(|s| !s.is_empty() && s.chars().any(char::is_alphabetic)) {
            if capacity_only(&item) {
                continue;
            }
            meta.recipients.push(item);
        }
    }
    let mut started = false;
    for line in lines[k + 1..].iter().take(40) {
        // Only the left column: the right one holds the capacity and the signature.
        let printed = squash(cleaned.original(line.start, line.end).split("   ").next().unwrap_or(""));
        let printed = printed.trim();
        if printed.is_empty() {
            continue;
        }
        if !(printed.starts_with(['-', '+', '•']) || printed.starts_with("* ")) {
            if started {
                break;
            }
            continue;
        }
        started = true;
        let mut item = cut_capacity(printed.trim_start_matches(['-', '+', '•', '*', ' ']));
        // The capacity column glued on by OCR ("Ban Tuyên giáo Tỉnh ủy, BÍ THƯ").
        if let Some(run) = trailing_upper_run(&item).filter(|r| CAPACITY_WORDS.iter().any(|w| crate::viet::fold(r).to_lowercase().contains(w))) {
            if let Some(rest) = item.strip_suffix(run.as_str()) {
                item = rest.trim_end().trim_end_matches([',', ';', '.']).to_owned();
            }
        }
        if !item.is_empty() {
            meta.recipients.push(item);
        }
    }
}

fn capacity_only(text: &str) -> bool {
    mostly_upper(text) && text.split_whitespace().count() <= 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::tokenize::tokenize;

    fn meta(text: &str) -> DocumentMeta {
        let cleaned = Cleaned::new(text);
        let tokens = tokenize(&cleaned);
        read(&cleaned, &tokens).0
    }

    #[test]
    fn two_column_state_header_is_read() {
        let m = meta(
            "ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             TỈNH BÌNH PHƯỚC              Độc lập - Tự do - Hạnh phúc\n\
             Số: 1582/QĐ-UBND            Bình Phước, ngày 17 tháng 3 năm 2025\n\n\
             QUYẾT ĐỊNH\n\
             Về việc ban hành Quy chế làm việc\n\n\
             Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n",
        );
        assert_eq!(m.id.as_ref().map(|d| d.as_str()), Some("1582/QĐ-UBND"));
        assert_eq!(m.issuer.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC"));
        assert_eq!(m.parent_issuer, None);
        assert_eq!(m.place.as_deref(), Some("Bình Phước"));
        assert_eq!(m.date.as_deref(), Some("2025-03-17"));
        assert_eq!(m.doc_type.as_deref(), Some("Quyết định"));
        assert_eq!(m.subject.as_deref(), Some("Về việc ban hành Quy chế làm việc"));
    }

    #[test]
    fn party_header_has_a_parent_body() {
        let m = meta(
            "ĐẢNG BỘ TỈNH BÌNH PHƯỚC      ĐẢNG CỘNG SẢN VIỆT NAM\nHUYỆN ỦY BÙ ĐĂNG\n*\nSố 312-BC/HU        Bù Đăng, ngày 5 tháng 6 năm 2024\n\nBÁO CÁO\nkết quả thực hiện\n\nNội dung.\n\n\
             Nơi nhận:                      T/M BAN THƯỜNG VỤ\n- Ban Thường vụ Tỉnh ủy,\n- Lưu Văn phòng Huyện ủy.     BÍ THƯ\n\nTrần Văn Bình\n",
        );
        assert_eq!(m.id.as_ref().map(|d| d.as_str()), Some("312-BC/HU"));
        assert_eq!(m.parent_issuer.as_deref(), Some("ĐẢNG BỘ TỈNH BÌNH PHƯỚC"));
        assert_eq!(m.issuer.as_deref(), Some("HUYỆN ỦY BÙ ĐĂNG"));
        assert_eq!(m.doc_type.as_deref(), Some("Báo cáo"));
        assert_eq!(m.date.as_deref(), Some("2024-06-05"));
        assert_eq!(m.signer.as_deref(), Some("Trần Văn Bình"));
        assert_eq!(m.signer_title.as_deref(), Some("T/M BAN THƯỜNG VỤ / BÍ THƯ"));
        assert_eq!(m.recipients, ["Ban Thường vụ Tỉnh ủy", "Lưu Văn phòng Huyện ủy"]);
    }

    #[test]
    fn a_header_printed_after_the_basis_lines_is_found_by_its_colon() {
        let m = meta(
            "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;\nCăn cứ Luật Quản lý thuế\nsố 108/2025/QH15 về hóa đơn;\n\nCHÍNH PHỦ\nSố: 203/2026/NĐ-CP Hà Nội, ngày 11 tháng 6 năm 2026\nNGHỊ ĐỊNH\n",
        );
        assert_eq!(m.id.as_ref().map(|d| d.as_str()), Some("203/2026/NĐ-CP"));
        assert_eq!(m.date.as_deref(), Some("2026-06-11"));
        assert_eq!(m.issuer.as_deref(), Some("CHÍNH PHỦ"));
    }

    #[test]
    fn a_wrapped_sentence_opening_with_so_gives_no_own_number() {
        // The header's "Số: 11" lost to OCR; the body's "Thông tư\nsố 15/2020/TT-BGDĐT" is a
        // citation, not the document's number.
        let m = meta("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nST /CT-UBND\n\nCHỈ THỊ\nVề tăng cường chỉ đạo Kỳ thi\n\nThực hiện Chỉ thị số 11/CT-TTg ngày 16 tháng 4 năm 2021; Thông tư\nsố 15/2020/TT-BGDĐT ngày 26 tháng 5 năm 2020 của Bộ\n");
        assert_eq!(m.id, None);
        assert_eq!(meta("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nsố: 12/CT-UBND\n\nCHỈ THỊ\n").id.map(|i| i.to_string()).as_deref(), Some("12/CT-UBND"));
    }

    #[test]
    fn a_damaged_number_keeps_what_is_legible_and_is_flagged() {
        let m = meta("Sé: %4/KH~VP Déng Nai, ngay 0§ thing 4_ nam 2024\n\nKE HOACH\nThue hién cong tac\n");
        assert_eq!(m.id, None);
        assert_eq!(m.number_raw.as_deref(), Some("Sé: %4/KH~VP"));
        assert_eq!(m.flags[0], super::super::flag::number_partly_illegible("%4/KH~VP", "4/KH-VP"));
        assert!(m.flags.iter().any(|f| super::super::flag::is_date_illegible(f)), "{:?}", m.flags);
        assert_eq!(m.place.as_deref(), Some("Déng Nai"));
        // A stray mark apart from the number leaves the number whole.
        let m = meta("Số: ' 107/KH-UBND\n");
        assert_eq!(m.id.as_ref().map(|d| d.as_str()), Some("107/KH-UBND"));
        assert_eq!(m.doc_type.as_deref(), Some("Kế hoạch"));
    }

    #[test]
    fn a_signer_surname_misread_by_ocr_is_repaired_and_flagged() {
        let footer = |name: &str| meta(&format!("QUYẾT ĐỊNH\nVề việc giao chỉ tiêu\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n{name}\n"));
        // The first letter lost: the name run would otherwise start at the given name.
        let m = footer("rần Minh Khôi");
        assert_eq!(m.signer.as_deref(), Some("Trần Minh Khôi"));
        assert_eq!(m.flags, [super::super::flag::signer_surname_repaired("rần Minh Khôi")]);
        // A letter misread, with stray marks before it.
        let m = footer("` Xguyến Thị Lan");
        assert_eq!(m.signer.as_deref(), Some("Nguyễn Thị Lan"));
        assert!(m.flags[0].contains("Xguyến Thị Lan"), "{:?}", m.flags);
        // Printed in capitals.
        assert_eq!(footer("PHẠMM VĂN TƯ").signer.as_deref(), Some("PHẠM VĂN TƯ"));
        // Well read, or a syllable that may be a surname the list lacks: left as printed.
        for name in ["Lê Văn Bình", "Vân Thị Hoa"] {
            let m = footer(name);
            assert_eq!(m.signer.as_deref(), Some(name));
            assert!(m.flags.is_empty(), "{:?}", m.flags);
        }
    }

    #[test]
    fn a_word_before_a_name_in_running_text_is_not_taken_for_its_surname() {
        let m = meta("QUYẾT ĐỊNH\nVề việc giao chỉ tiêu\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nthị trấn Mộ Đức\n");
        assert_ne!(m.signer.as_deref(), Some("Trần Mộ Đức"));
        assert!(!m.flags.iter().any(|f| super::super::flag::signer_flag_kind(f) == Some("surname")), "{:?}", m.flags);
    }

    #[test]
    fn a_heading_or_misread_title_under_the_capacity_is_not_the_signer() {
        let footer = |under: &str| meta(&format!("QUYẾT ĐỊNH\nVề việc giao chỉ tiêu\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTL. GIÁM ĐỐC\n{under}\n"));
        // "CHÁNH VĂN PHÒNG" with its first letters lost, and nothing legible under it.
        for title in ["ÁNH VĂN PHÒNG", "QUYẾT ĐỊNH", "VĂN PHÒNG", "KT. HÓ GIÁM ĐỐC"] {
            let m = footer(title);
            assert_eq!(m.signer, None, "{title}");
            assert!(m.flags.iter().any(|f| super::super::flag::signer_flag_kind(f) == Some("illegible")), "{title}: {:?}", m.flags);
        }
        assert!(footer("ÁNH VĂN PHÒNG").flags.contains(&super::super::flag::signer_illegible(Some("ÁNH VĂN PHÒNG"))));
        // A name whose given names are such words stays a name.
        assert_eq!(footer("Nguyễn Văn Phong").signer.as_deref(), Some("Nguyễn Văn Phong"));
    }

    #[test]
    fn a_name_pushed_below_the_recipients_is_found_when_it_stands_alone() {
        let m = meta(
            "THÔNG BÁO\nKết luận\n\nNơi nhận:\n- Sở Nội vụ;\nTL. CHỦ TỊCH\nÁNH VĂN PHÒNG\n\n- Các Sở: Tài chính, Xây dựng,\nTư pháp, Công Thương,\n\
             Và các Khu công nghiệp Bình Định;\n- Lưu: VT.\n\n` guyễn Thị Hoa\n",
        );
        assert_eq!(m.signer.as_deref(), Some("Nguyễn Thị Hoa"));
        assert_eq!(m.flags, [super::super::flag::signer_surname_repaired("guyễn Thị Hoa")]);
    }

    #[test]
    fn a_recipients_line_ending_in_a_comma_is_not_a_name() {
        let m = meta("QUYẾT ĐỊNH\nVề việc\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n  Xây dựng, Tư pháp, Công Thương,\n\nĐỗ Văn Tâm\n");
        assert_eq!(m.signer.as_deref(), Some("Đỗ Văn Tâm"));
    }

    #[test]
    fn a_name_under_a_capacity_lost_to_the_seal_is_read_after_the_recipients() {
        let text = "QUYẾT ĐỊNH\nVề việc\n\nTheo đề nghị của Giám đốc Sở Tài chính tại Công văn số 143/STC-\nHCSN ngày 15/01/2025.\n\nQUYẾT ĐỊNH:\n\nĐiều 1. Nội dung.\n\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nPhạm Thị Lan\n";
        let m = meta(text);
        assert_eq!(m.signer_title, None);
        assert_eq!(m.signer.as_deref(), Some("Phạm Thị Lan"));
        // Nothing but recipients after "Nơi nhận:": no signer and no guess.
        let m = meta(&text.replace("Phạm Thị Lan", "- Sở Tài chính;"));
        assert_eq!((m.signer, m.signer_title), (None, None));
    }

    #[test]
    fn an_office_named_kt_in_the_recipients_is_not_ky_thay() {
        let m = meta("UBND HUYỆN CHƯ SÊ\nSố: 88/QĐ-UBND\n\nQUYẾT ĐỊNH\nVề việc giao chỉ tiêu\n\nNơi nhận:\n- Như Điều 2;\n- Lưu: VT, KT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Văn Bình\n");
        assert_eq!(m.signer_title.as_deref(), Some("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"));
        assert_eq!(m.recipients, ["Như Điều 2", "Lưu: VT, KT"]);
        assert_eq!(m.signer.as_deref(), Some("Lê Văn Bình"));
    }

    #[test]
    fn a_party_title_has_its_lower_case_subject() {
        let m = meta("ĐẢNG BỘ TỈNH GIA LAI\nHUYỆN ỦY CHƯ SÊ\nSố 40-KH/HU\n\nKẾ HOẠCH\nthực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị\n\nThực hiện Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị, Ban Thường vụ Huyện ủy ban hành kế hoạch.\n");
        assert_eq!(m.subject.as_deref(), Some("thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị"));
    }

    #[test]
    fn a_letters_subject_runs_over_its_wrapped_lines() {
        // As a born-digital layer lays it out: the V/v block alone in the left column.
        let m = meta(
            "ỦY BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH BÌNH ĐỊNH                Độc lập - Tự do - Hạnh phúc\n\
             Số: 77 /UBND-VX             Bình Định, ngày 3 tháng 2 năm 2025\nV/v góp ý dự thảo Quyết định sửa\n  đổi, bổ sung một số điều của\n \
             Quyết định số 12/QĐ-TTg về\n Chương trình hỗ trợ\n\n            Kính gửi: Sở Tài chính\n",
        );
        assert_eq!(m.subject.as_deref(), Some("góp ý dự thảo Quyết định sửa đổi, bổ sung một số điều của Quyết định số 12/QĐ-TTg về Chương trình hỗ trợ"));
        // As OCR reads the columns one after the other: the motto is not the subject's.
        let m = meta("ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH\nSố: 77/UBND-VX\nV/v báo cáo tình hình\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n");
        assert_eq!(m.subject.as_deref(), Some("báo cáo tình hình"));
        let m = meta("Số: 77/UBND-VX\nV/v báo cáo tình hình\nBình Định, ngày 3 tháng 2 năm 2025\n");
        assert_eq!(m.subject.as_deref(), Some("báo cáo tình hình"));
    }

    #[test]
    fn junk_under_the_title_is_not_the_subject() {
        // A signature box's OCR under the title, then the real subject.
        let m = meta("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 280/BC-UBND\n\nBÁO CÁO\n\n^ .^A ,À k4\n\n£ ˆ Lá bà ˆ Ã ° Lá »\n\nVệ việc điều chỉnh dự toán ngân sách năm 2024\n\nThực hiện Luật Ngân sách nhà nước;\n");
        assert_eq!(m.subject.as_deref(), Some("Về việc điều chỉnh dự toán ngân sách năm 2024"));
        // Only junk: no subject rather than junk.
        let m = meta("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 280/BC-UBND\n\nBÁO CÁO\n\n^ .^A ,À k4\n\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n");
        assert_eq!(m.subject, None);
    }

    #[test]
    fn a_stamp_run_into_the_subject_is_cut_and_its_wrapped_line_joined() {
        let text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 07/CT-UBND\n\nCHỈ THỊ\n\n-TRUNG TÂM CÔNG 810 & Tin HỌC O.NG ÃIj Về việc tăng cường công tác thi hành án hành chính\n\nCỤ T§6 .J}LŸ-2 i\nlpệ h Ngày :4/ÂL. 2 LUA#\n\ntrên địa bàn tỉnh Quảng Ngãi\n\nĐEN | Chuyển:\n\nThời gian qua, công tác thi hành án\n";
        let m = meta(text);
        assert_eq!(m.subject.as_deref(), Some("Về việc tăng cường công tác thi hành án hành chính trên địa bàn tỉnh Quảng Ngãi"));
        let m = meta("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 239/TTr-UBND\n\nTỜ TRÌNH\n\nvà việc đề nghị xây dựng Nghị quyết của HĐND tỉnh bãi bỏ Nghị quyết số\n24/2013/NQ-HĐND ngày 10/12/2013 của HĐND tỉnh\n\nKính gửi: Thường trực HĐND tỉnh\n");
        assert_eq!(m.subject.as_deref(), Some("về việc đề nghị xây dựng Nghị quyết của HĐND tỉnh bãi bỏ Nghị quyết số 24/2013/NQ-HĐND ngày 10/12/2013 của HĐND tỉnh"));
    }

    #[test]
    fn an_older_title_naming_its_issuer_gives_the_subject_and_articles_never_do() {
        let m = meta("ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG\nSố: 157/QĐ-NĐ-UB\n\nQUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN TỈNH\nVề việc : Giao quyền sử dụng đất ở dân cư\n\nỦY BAN NHÂN DÂN TỈNH CAO BẰNG\n\n- Căn cứ Luật đất đai ngày 14/7/1993;\n");
        assert_eq!(m.doc_type.as_deref(), Some("Quyết định"));
        assert_eq!(m.subject.as_deref(), Some("Về việc : Giao quyền sử dụng đất ở dân cư"));
        let m = meta("Số: 157/QĐ-UB\n\nQUYẾT ĐỊNH:\nĐiều1:- Nay phê duyệt, thu hồi đất đai\n");
        assert_eq!(m.subject, None);
    }

    #[test]
    fn a_plans_subject_opening_with_thuc_hien_is_told_from_the_body() {
        let subject = |text: &str| meta(text).subject;
        // A short paragraph alone under the title is the subject.
        assert_eq!(
            subject("Số: 12/KH-VP\n\nKẾ HOẠCH\nThực hiện công tác cải cách hành chính năm 2025\n\nThực hiện Kế hoạch số 7/KH-UBND ngày 2/1/2025 của UBND tỉnh,\nVăn phòng xây dựng kế hoạch như sau:\n").as_deref(),
            Some("Thực hiện công tác cải cách hành chính năm 2025")
        );
        // The body's opening sentence is not, standing alone or not.
        assert_eq!(subject("Số: 12/KH-VP\n\nKẾ HOẠCH\n\nThực hiện Kế hoạch số 7/KH-UBND ngày 2/1/2025 của UBND tỉnh, Văn phòng xây dựng kế hoạch như sau:\n\n1. Mục đích\n"), None);
        assert_eq!(subject("Số: 12/KH-VP\n\nKẾ HOẠCH\nThực hiện Kế hoạch số 7/KH-UBND ngày 2/1/2025 của UBND tỉnh\nvề cải cách hành chính, Văn phòng ban hành kế hoạch\nthực hiện như sau:\n"), None);
        // Under a subject of its own, "Thực hiện …" opens the body.
        assert_eq!(
            subject("Số: 12/KH-VP\n\nKẾ HOẠCH\nCải cách hành chính năm 2025\nThực hiện Kế hoạch số 7/KH-UBND ngày 2/1/2025\n\n").as_deref(),
            Some("Cải cách hành chính năm 2025")
        );
    }

    #[test]
    fn the_enacting_body_under_a_decisions_subject_is_not_the_subjects() {
        let m = meta("ỦY BAN NHÂN DÂN\nHUYỆN LẠC SƠN\nSố: 88/QĐ-UBND\n\nQUYẾT ĐỊNH\nBan hành Quy chế tiếp công dân\ncủa Ủy ban nhân dân huyện Lạc Sơn\nỦY BAN NHÂN DÂN HUYỆN LẠC SƠN\n\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n");
        assert_eq!(m.subject.as_deref(), Some("Ban hành Quy chế tiếp công dân của Ủy ban nhân dân huyện Lạc Sơn"));
    }

    #[test]
    fn the_subject_the_raw_text_gives_is_read_from_the_repaired_lines() {
        let raw = "So: 12/KH-VP\n\nKE HOACH\nCai cach hanh chinh nam 2025\nva so hoa tai lieu\n\nCan cu Luat To chuc chinh quyen dia phuong ngay 19/6/2015;\n";
        let repaired = "Số: 12/KH-VP\n\nKẾ HOẠCH\nCải cách hành chính năm 2025\nvà số hóa tài liệu\n\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\n";
        assert_eq!(subject_on_repaired_lines(raw, repaired).as_deref(), Some("Cải cách hành chính năm 2025 và số hóa tài liệu"));
        // Raw OCR that took the body's opening sentence for the subject (the subject's own
        // line too garbled to read): the repaired line shows the body, and nothing is given.
        let raw = "KE HOACH\nThue hién cong tqc Dqn vqn chinh quyén\n\nThure hién Ké hoach sé 7/KH-UBND ngay 2/1/2025 UBND tinh,\nVan phong xay dung ké hoach nhu sau:\n";
        let repaired = "KẾ HOẠCH\nThực hiện công tác Dân vận chính quyền\n\nThực hiện Kế hoạch số 7/KH-UBND ngày 2/1/2025 UBND tỉnh,\nVăn phòng xây dựng kế hoạch như sau:\n";
        assert!(meta(raw).subject.is_some_and(|s| !s.contains("Dqn")), "the raw reading takes the body");
        assert_eq!(subject_on_repaired_lines(raw, repaired), None);
    }

    #[test]
    fn vietnamese_lines_and_junk_lines_are_told_apart() {
        for good in ["Về việc tăng cường công tác thi hành án hành chính", "24/2013/NQ-HĐND ngày 10/12/2013 của HĐND tỉnh", "tầm nhìn đến năm 2025"] {
            assert!(reads_as_vietnamese(good), "{good}");
        }
        for junk in ["^ .^A ,À k4", "£ ˆ Lá bà ˆ Ã ° Lá »", "CỤ T§6 .J}LŸ-2 i", "lpệ h Ngày :4/ÂL. 2 LUA#"] {
            assert!(!reads_as_vietnamese(junk), "{junk}");
        }
    }
}
