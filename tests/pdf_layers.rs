//! PDF text layers as a clerk's archive has them: born-digital letters (the layer is the
//! text, nothing is OCR'd), scans whose only layer is a signature box (OCR, the box kept as
//! evidence), and a legacy PDF whose layer is Tesseract `eng` over Vietnamese (both
//! readings, repaired, combined line by line: never worse than OCR alone).

mod accuracy_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use accuracy_support::{ran, shared, skip};
use once_cell::sync::Lazy;
use vanban::page::RegionKind;
use vanban::pdf::layer::LayerKind;
use vanban::record::{Document, PageSource};
use vanban::repair::Repairer;

static REPAIRER: Lazy<Repairer> =
    Lazy::new(|| Repairer::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries")).expect("dictionaries/ loads"));

fn record(path: &Path) -> Document {
    vanban::ingest::document_from_file(path, &REPAIRER).expect("ingests").expect("a PDF is an input")
}

/// What `pdftotext -layout` gives for one page, NFC, without the margins: "the layer's text".
fn pdftotext_page(path: &Path, page: u32) -> String {
    let n = page.to_string();
    let out = Command::new("pdftotext").args(["-layout", "-enc", "UTF-8", "-f", &n, "-l", &n]).arg(path).arg("-").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    vanban::viet::nfc(text.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}'))
}

/// The four born-digital letters of Quảng Ngãi, with their header as printed.
const BORN_DIGITAL: &[(&str, &str, &str, &str, &str)] = &[
    ("vht507.pdf", "542/TB-UBND", "Thông báo", "2024-11-06", "Phùng Tô Long"),
    ("vht534.pdf", "565/TB-UBND", "Thông báo", "2024-11-15", "Phùng Tô Long"),
    ("05.pdf", "11/TB-UBND", "Thông báo", "2025-01-08", "Nguyễn Phước Bình"),
    ("bnt-BTTTT-Gop-y-du-thao-sua-doi-bo-sung-Chuong-trinh-VTCI.pdf", "507/UBND-KGVX", "Công văn", "2025-01-24", "Phùng Tô Long"),
];

#[test]
fn born_digital_pages_are_their_layer_and_their_header_is_right() {
    let Some(dir) = shared("pdf-born-digital", "real-scans/quangngai") else { return };
    let mut pages = 0;
    for &(name, number, doc_type, date, signer) in BORN_DIGITAL {
        let path = dir.join(name);
        let doc = record(&path);
        for page in &doc.pages {
            pages += 1;
            assert_eq!(page.source, PageSource::TextLayer, "{name} p{}: OCR'd", page.number);
            let verdict = page.layer.as_ref().expect("the verdict is kept");
            assert_eq!(verdict.kind, LayerKind::Faithful);
            let layer = pdftotext_page(&path, page.number);
            if page.number == 1 {
                // The gazette's signature box above the header is a region, out of the text:
                // the text is the layer's without the box's words, which open the layer.
                let boxes: Vec<_> = page.regions.iter().filter(|r| r.kind == RegionKind::SignatureBox).collect();
                assert_eq!(boxes.len(), 1, "{name}: {:?}", page.regions);
                assert!(boxes[0].lines.iter().any(|l| l.contains("ttcbth@")), "{name}: {:?}", boxes[0]);
                assert!(boxes[0].signing_time.is_some(), "{name}: {:?}", boxes[0]);
                let box_words: Vec<&str> = boxes[0].lines.iter().flat_map(|l| l.split_whitespace()).collect();
                let text_words: Vec<&str> = page.raw_text.split_whitespace().collect();
                assert_eq!([box_words, text_words].concat(), layer.split_whitespace().collect::<Vec<_>>(), "{name}");
                assert!(!page.raw_text.contains("+07:00") && !page.raw_text.contains("CÔNG BÁO"), "{name}");
            } else {
                assert_eq!(page.raw_text, layer, "{name} p{}", page.number);
                assert!(page.regions.is_empty(), "{name} p{}: {:?}", page.number, page.regions);
            }
            assert_eq!(page.repaired_text, page.raw_text, "{name} p{}: born-digital text is not repaired", page.number);
            assert!(page.corrections.is_empty());
            // Every word has a box on the page, on a line of the text that prints it.
            let lines: Vec<&str> = page.raw_text.split('\n').collect();
            assert!(!page.words.is_empty());
            for w in &page.words {
                let line = lines[w.line as usize - 1];
                assert!(line.contains(&w.text), "{name} p{}: “{}” is not on line {} “{line}”", page.number, w.text, w.line);
                assert!(w.bbox[0] + w.bbox[2] <= 2550 && w.bbox[1] + w.bbox[3] <= 3600, "{:?}", w.bbox);
            }
        }
        let meta = &doc.metadata;
        assert_eq!(meta.id.as_ref().map(|id| id.to_string()).as_deref(), Some(number), "{name}");
        assert_eq!(meta.doc_type.as_deref(), Some(doc_type), "{name}");
        assert_eq!(meta.date.as_deref(), Some(date), "{name}");
        assert_eq!(meta.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Quảng Ngãi"), "{name}: the organ in its canonical spelling (authority tables)");
        assert_eq!(meta.place.as_deref(), Some("Quảng Ngãi"), "{name}");
        assert_eq!(meta.signer.as_deref(), Some(signer), "{name}");
        assert_eq!(doc.signatures.len(), 5, "{name}");
        assert!(doc.warnings.is_empty(), "{name}: {:?}", doc.warnings);
    }
    // The letter's trích yếu wraps over five lines of its left column.
    let path = dir.join(BORN_DIGITAL[3].0);
    assert_eq!(
        record(&path).metadata.subject.as_deref(),
        Some("góp ý dự thảo Quyết định sửa đổi, bổ sung một số điều của Quyết định số 2269/QĐ-TTg về Chương trình cung cấp dịch vụ viễn thông công ích")
    );
    ran("pdf-born-digital", &format!("development: 4 PDFs, {pages} pages read from their layer (identical to pdftotext -layout after NFC, but the gazette box on page 1, which is a region), number, type, date, issuer, place, signer right"));
}

#[test]
fn a_scan_whose_layer_is_a_signature_box_is_ocrd_and_keeps_the_box() {
    let Some(path) = shared("pdf-partial-layer", "real-scans/quangngai/575-UB.pdf") else { return };
    let doc = record(&path);
    let page = &doc.pages[0];
    assert_eq!(page.source, PageSource::Ocr);
    let verdict = page.layer.as_ref().unwrap();
    assert_eq!(verdict.kind, LayerKind::Partial, "{verdict:?}");
    assert!(verdict.ink_coverage.unwrap() < 0.3, "{verdict:?}");
    let evidence: Vec<&str> = verdict.evidence.iter().map(|w| w.text.as_str()).collect();
    assert!(evidence.windows(3).any(|w| w == ["CÔNG", "BÁO", "VÀ"]) || evidence.join(" ").contains("CÔNG BÁO"), "{evidence:?}");
    assert!(page.text_layer.is_some());
    ran("pdf-partial-layer", &format!("a signed scan: layer partial (ink coverage {:.2}), {} words kept as evidence", verdict.ink_coverage.unwrap(), evidence.len()));
}

/// A directive of our own, one page, lines short enough never to wrap.
const DIRECTIVE: &str = "ỦY BAN NHÂN DÂN HUYỆN TÂN LẬP
Số: 215/KH-UBND
Tân Lập, ngày 12 tháng 3 năm 2025
KẾ HOẠCH
Triển khai công tác chuyển đổi số trong cơ quan hành chính
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ
về công tác văn thư;
Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng
Chính phủ, Ủy ban nhân dân huyện ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao hiệu quả quản lý, điều hành của các cơ quan, đơn vị
trên địa bàn huyện; bảo đảm văn bản điện tử được gửi, nhận và
lưu trữ đúng quy định.
2. Các phòng, ban chuyên môn phối hợp chặt chẽ với Ủy ban nhân dân
các xã, thị trấn trong quá trình thực hiện; kịp thời báo cáo những
khó khăn, vướng mắc phát sinh.
II. NHIỆM VỤ CỤ THỂ
1. Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện chủ trì
hướng dẫn việc số hóa hồ sơ, tài liệu lưu trữ; hoàn thành trước
ngày 30 tháng 9 năm 2025.
2. Phòng Nội vụ kiểm tra, đôn đốc việc ứng dụng chữ ký số của cán
bộ, công chức; tổng hợp kết quả, báo cáo Chủ tịch Ủy ban nhân dân
huyện hằng quý.
3. Phòng Tài chính - Kế hoạch bố trí kinh phí thực hiện từ nguồn
ngân sách được giao.
III. TỔ CHỨC THỰC HIỆN
Thủ trưởng các cơ quan, đơn vị căn cứ nội dung Kế hoạch này xây
dựng chương trình cụ thể, triển khai thực hiện nghiêm túc và hiệu
quả. Trong quá trình thực hiện, nếu có vướng mắc, phản ánh về
Phòng Nội vụ để tổng hợp, trình Ủy ban nhân dân huyện xem xét,
giải quyết./.
CHỦ TỊCH
Trần Minh Khoa
";

/// Renders [`DIRECTIVE`] as a scanned A4 page at 150 DPI (Liberation Serif 13 pt, blurred
/// and thresholded) and lets Tesseract `eng` make a PDF of it with its text layer, as
/// legacy scanning software did. `None` when a tool is missing.
fn legacy_pdf(dir: &Path) -> Option<PathBuf> {
    let font_dir = "/usr/share/fonts/truetype/liberation2";
    if !Path::new(font_dir).join("LiberationSerif-Regular.ttf").exists() {
        return None;
    }
    // fonts-liberation (1.x) shares the family name and has no Vietnamese glyphs.
    let conf = dir.join("fonts.conf");
    std::fs::write(&conf, format!("<?xml version=\"1.0\"?><fontconfig><dir>{font_dir}</dir><cachedir>{}</cachedir></fontconfig>", dir.join("fc").display())).unwrap();
    let text = dir.join("directive.txt");
    std::fs::write(&text, DIRECTIVE).unwrap();
    let block = dir.join("block.png");
    let ok = |c: &mut Command| c.status().is_ok_and(|s| s.success());
    let rendered = ok(Command::new("pango-view")
        .env("FONTCONFIG_FILE", &conf)
        .args(["-q", "--dpi=300", "--font=Liberation Serif 13", "--margin=0", "--spacing=6", "--background=white", "--foreground=black", "-o"])
        .arg(&block)
        .arg(&text));
    let page = dir.join("page.png");
    let degraded = rendered
        && ok(Command::new("/usr/bin/convert").arg(&block).args([
            "-colorspace", "Gray", "-depth", "8", "-background", "white", "-gravity", "northwest", "-splice", "354x250",
            "-extent", "2480x3508", "-resize", "50%", "-blur", "0x0.8", "-threshold", "55%", "-units", "PixelsPerInch",
            "-density", "150",
        ]).arg(&page));
    let pdf_dir = dir.join("in");
    std::fs::create_dir_all(&pdf_dir).unwrap();
    let made = degraded
        && ok(Command::new("tesseract").env("OMP_THREAD_LIMIT", "1").arg(&page).arg(pdf_dir.join("legacy")).args(["-l", "eng", "pdf"]));
    made.then(|| pdf_dir.join("legacy.pdf"))
}

fn tokens(line: &str) -> Vec<&str> {
    line.split_whitespace().map(|t| t.trim_matches(|c: char| !c.is_alphanumeric())).filter(|t| !t.is_empty()).collect()
}

/// Token edit distance.
fn errors(reference: &str, output: &str) -> usize {
    let (a, b) = (tokens(reference), tokens(output));
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut prev = row.clone();
        std::mem::swap(&mut prev, &mut row);
        row[0] = i;
        for j in 1..=b.len() {
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1]));
        }
    }
    row[b.len()]
}

fn non_empty(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(vanban::viet::nfc).collect()
}

#[test]
fn a_legacy_ocr_layer_is_combined_with_ocr_never_worse_and_better_where_it_is_right() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pdf) = legacy_pdf(dir.path()) else {
        skip("pdf-legacy-layer", "pango-view, ImageMagick, fonts-liberation2 and tesseract (eng) are needed");
        return;
    };
    let doc = record(&pdf);
    let page = &doc.pages[0];
    let verdict = page.layer.as_ref().expect("judged");
    assert_eq!(verdict.kind, LayerKind::Garbled, "{verdict:?}");
    assert!(verdict.marked < 0.3 && verdict.ink_coverage.unwrap() > 0.9, "{verdict:?}");
    assert_eq!(page.source, PageSource::Ocr);

    // The three readings, each repaired, line by line.
    let ocr_alone = REPAIRER.repair(&page.raw_text).text;
    let raw_lines: Vec<&str> = page.raw_text.split('\n').collect();
    let layer = vanban::ocr::pdf_text_layer(&pdf, 1).unwrap().unwrap();
    let layer_alone = REPAIRER.repair(&vanban::pdf::merge::layer_on_ocr_lines(&raw_lines, &page.words, &layer.words)).text;
    let reference = non_empty(DIRECTIVE);
    let (ocr_lines, layer_lines, merged_lines) = (non_empty(&ocr_alone), non_empty(&layer_alone), non_empty(&page.repaired_text));

    let whole = |lines: &[String]| lines.join(" ");
    let (e_ocr, e_layer, e_merged) = (errors(&whole(&reference), &whole(&ocr_lines)), errors(&whole(&reference), &whole(&layer_lines)), errors(&whole(&reference), &whole(&merged_lines)));
    let n = tokens(&whole(&reference)).len();
    let figure = format!(
        "legacy eng layer, {n} syllables: OCR alone {e_ocr} errors, layer alone (repaired) {e_layer}, combined {e_merged}; {} line(s) from the layer",
        verdict.lines_from_layer.len()
    );
    println!("{figure}");
    assert!(e_merged <= e_ocr, "the combination is worse than OCR alone: {e_merged} > {e_ocr}");

    // Line by line (the page keeps the directive's lines): where the layer alone is right and
    // OCR alone is not, the combination is right.
    if reference.len() == ocr_lines.len() && ocr_lines.len() == layer_lines.len() && layer_lines.len() == merged_lines.len() {
        for i in 0..reference.len() {
            let (o, l, m) = (errors(&reference[i], &ocr_lines[i]), errors(&reference[i], &layer_lines[i]), errors(&reference[i], &merged_lines[i]));
            assert!(m <= o, "line {}: combined “{}” is worse than OCR “{}”", i + 1, merged_lines[i], ocr_lines[i]);
            if l == 0 && o > 0 {
                assert_eq!(m, 0, "line {}: the layer reads it right (“{}”), the combination does not (“{}”)", i + 1, layer_lines[i], merged_lines[i]);
            }
        }
    } else {
        println!("(line counts differ; compared as whole pages only)");
    }
    ran("pdf-legacy-layer", &figure);
}
