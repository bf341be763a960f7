//! Renders English, Japanese and Arabic documents and reads them back with poppler's
//! `pdftotext`, `pdfinfo` and `pdffonts` (Debian's `poppler-utils`; a test prints a notice and
//! skips its extraction checks when they are absent). Set `PORTAL_PDF_SAMPLES` to a folder to
//! keep the rendered files there.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::fonts::FontSet;
use super::text::{Style, Typesetter};
use super::*;

/// A rendered file: in `PORTAL_PDF_SAMPLES` (kept) or in a temporary folder of its own,
/// removed when the test passes (kept for a look when it fails).
struct Written {
    path: PathBuf,
    temporary: Option<PathBuf>,
}

impl Drop for Written {
    fn drop(&mut self) {
        if let Some(dir) = &self.temporary {
            if !std::thread::panicking() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

fn write(name: &str, bytes: &[u8]) -> Written {
    let (dir, temporary) = match std::env::var_os("PORTAL_PDF_SAMPLES") {
        Some(dir) => (PathBuf::from(dir), None),
        None => {
            let dir = std::env::temp_dir().join(format!("portal-pdf-{}-{name}", std::process::id()));
            (dir.clone(), Some(dir))
        }
    };
    std::fs::create_dir_all(&dir).expect("create the output folder");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    Written { path, temporary }
}

/// Runs a poppler tool; `None` (after a notice) when it is not installed.
fn poppler(tool: &str, args: &[&str], path: &Path) -> Option<String> {
    let output = match Command::new(tool).args(args).arg(path).output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("NOTICE: {tool} is not installed (apt-get install poppler-utils); skipping its checks");
            return None;
        }
        Err(e) => panic!("cannot run {tool}: {e}"),
    };
    assert!(
        output.status.success(),
        "{tool} failed on {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn pdftotext(path: &Path) -> Option<String> {
    let out = path.with_extension("txt");
    poppler("pdftotext", &["-layout", "-enc", "UTF-8"], path)?;
    Some(std::fs::read_to_string(out).expect("pdftotext writes NAME.txt beside the PDF"))
}

fn page_count(path: &Path) -> Option<u32> {
    let info = poppler("pdfinfo", &[], path)?;
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:"))?;
    Some(pages.trim().parse().expect("pdfinfo's page count"))
}

/// Asserts every font in the file is embedded and subset (`pdffonts`' emb and sub columns).
fn assert_fonts_subset(path: &Path) {
    let Some(list) = poppler("pdffonts", &[], path) else { return };
    let rows: Vec<&str> = list.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!rows.is_empty(), "no fonts in {}:\n{list}", path.display());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [type…] encoding emb sub uni object ID: emb/sub/uni are the 5th to 3rd last.
        let n = cols.len();
        assert!(n >= 7, "unexpected pdffonts row {row:?}");
        assert_eq!(
            (cols[n - 5], cols[n - 4], cols[n - 3]),
            ("yes", "yes", "yes"),
            "font not embedded, subset and mapped to Unicode: {row}"
        );
        assert!(cols[0].contains('+'), "subset fonts are named with a tag: {row}");
    }
}

/// Text with all white space removed: `pdftotext -layout` puts its own spaces between words
/// (and sometimes between runs of one word), so comparisons ignore spacing.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_contains_all(text: &str, words: &[&str]) {
    let squeezed = squeeze(text);
    for word in words {
        assert!(squeezed.contains(&squeeze(word)), "{word:?} missing from the extracted text:\n{text}");
    }
}

fn columns(labels: [&str; 5]) -> Vec<Column> {
    vec![
        Column::new(labels[0], 1.6, Align::Start),
        Column::new(labels[1], 4.0, Align::Start),
        Column::new(labels[2], 0.9, Align::End),
        Column::new(labels[3], 1.5, Align::End),
        Column::new(labels[4], 1.6, Align::End),
    ]
}

/// 12345 → "12,345".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn english(lines: usize) -> Document {
    let names = [
        "Copper pipe type L, 15 mm × 3 m, hard drawn, for potable water and heating circuits",
        "Ball valve ¾\" full bore, lever handle",
        "Press fitting elbow 90°",
        "PTFE thread seal tape",
        "Pipe clamp with rubber insert",
    ];
    Document {
        title: "Quote Q-100004".into(),
        lang: "en".into(),
        rtl: false,
        heading: "Quote Q-100004 · revision 2".into(),
        parties: vec![
            ("From".into(), vec!["Northwind Supply".into(), "12 Harbour Road".into(), "Portland, OR 97201".into()]),
            ("For".into(), vec!["Acme Builders".into(), "Attn. Maria Lopez".into(), "Denver, CO 80202".into()]),
        ],
        facts: vec![
            ("Quote date".into(), "3 December 2026".into()),
            ("Valid until".into(), "2 January 2027".into()),
            ("PO number".into(), "PO-77812".into()),
            ("Payment terms".into(), "Net 30".into()),
            ("Currency".into(), "US dollar (USD)".into()),
        ],
        table: Table {
            columns: columns(["SKU", "Description", "Qty", "Unit price", "Amount"]),
            rows: (0..lines)
                .map(|i| {
                    vec![
                        format!("PIPE-CU-{:03}", i + 1),
                        names[i % names.len()].to_owned(),
                        format!("{}", 10 + i),
                        "$12.50".into(),
                        format!("${:.2}", (10 + i) as f64 * 12.5),
                    ]
                })
                .collect(),
        },
        totals: vec![
            ("Subtotal".into(), "$1,234.50".into()),
            ("Sales tax (8.31%)".into(), "$102.59".into()),
            ("Total".into(), "$1,337.09".into()),
        ],
        notes: vec![
            "Prices are valid until the date above. Delivery within 5 working days of the order; freight is charged at cost for orders under $500.".into(),
            "Questions? Write to sales@northwind.example or call +1 503 555 0100.".into(),
        ],
        footer: "Northwind Supply Inc. · 12 Harbour Road, Portland · VAT US-99-1234567".into(),
        page_label: "Page {page} of {pages}".into(),
    }
}

fn japanese(lines: usize) -> Document {
    let names = ["銅管 15mm", "ボールバルブ", "継手 エルボ 90°（プレス式）", "シールテープ", "配管クランプ ゴム付き"];
    Document {
        title: "見積書 Q-100004".into(),
        lang: "ja".into(),
        rtl: false,
        heading: "見積書 Q-100004・改訂 2".into(),
        parties: vec![
            ("発行元".into(), vec!["ノースウィンド商事株式会社".into(), "東京都港区芝浦 1-2-3".into()]),
            ("宛先".into(), vec!["アクメ建設株式会社".into(), "大阪府大阪市北区梅田 4-5-6".into(), "購買部 山田様".into()]),
        ],
        facts: vec![
            ("見積日".into(), "2026年12月3日".into()),
            ("有効期限".into(), "2027年1月2日".into()),
            ("注文番号".into(), "PO-77812".into()),
            ("通貨".into(), "日本円 (JPY)".into()),
        ],
        table: Table {
            columns: columns(["品番", "品名", "数量", "単価", "金額"]),
            rows: (0..lines)
                .map(|i| {
                    vec![
                        format!("JP-SKU-{:04}", i + 1),
                        names[i % names.len()].to_owned(),
                        format!("{}", 1 + i % 40),
                        "¥1,250".into(),
                        format!("¥{}", thousands((1 + i % 40) * 1250)),
                    ]
                })
                .collect(),
        },
        totals: vec![
            ("小計".into(), "¥123,750".into()),
            ("消費税 (10%)".into(), "¥12,375".into()),
            ("合計".into(), "¥136,125".into()),
        ],
        notes: vec!["本見積書の有効期限は上記の日付までです。納期はご注文後5営業日以内、送料は5,000円未満のご注文で実費をご負担いただきます。".into()],
        footer: "ノースウィンド商事株式会社 · 東京都港区芝浦 1-2-3".into(),
        page_label: "{page} / {pages} ページ".into(),
    }
}

fn arabic(lines: usize) -> Document {
    let names = [
        "أنبوب نحاسي 15 مم",
        "صمام كروي بمقبض، فتحة كاملة ¾ بوصة، للمياه والتدفئة (الطراز PIPE-CU-15)",
        "كوع نحاسي PIPE-CU-15",
        "شريط تفلون",
    ];
    Document {
        title: "عرض سعر Q-100004".into(),
        lang: "ar".into(),
        rtl: true,
        heading: "عرض سعر Q-100004".into(),
        parties: vec![
            ("من".into(), vec!["شركة نورثويند للتوريدات".into(), "دبي، الإمارات".into()]),
            ("إلى".into(), vec!["شركة أكمي للبناء".into(), "الرياض".into()]),
        ],
        facts: vec![
            ("تاريخ العرض".into(), "2026-12-03".into()),
            ("صالح حتى".into(), "2027-01-02".into()),
            ("رقم أمر الشراء".into(), "PO-77812".into()),
        ],
        table: Table {
            columns: columns(["الرمز", "الصنف", "الكمية", "سعر الوحدة", "المبلغ"]),
            rows: (0..lines)
                .map(|i| {
                    vec![
                        format!("AR-SKU-{:03}", i + 1),
                        names[i % names.len()].to_owned(),
                        format!("{}", 2 + i),
                        "12.50".into(),
                        format!("{:.2}", (2 + i) as f64 * 12.5),
                    ]
                })
                .collect(),
        },
        totals: vec![("المجموع الفرعي".into(), "137.50".into()), ("الإجمالي".into(), "158.13".into())],
        notes: vec![
            "الأسعار صالحة حتى التاريخ المذكور أعلاه.".into(),
            "يتم التسليم خلال 5 أيام عمل من تاريخ الطلب، وتُحتسب أجور الشحن بالتكلفة الفعلية للطلبات التي تقل قيمتها عن 500 دولار. للاستفسار يرجى مراسلة sales@northwind.example أو الاتصال على الرقم 0100 555 503 1+.".into(),
        ],
        footer: "شركة نورثويند للتوريدات".into(),
        page_label: "صفحة {page} من {pages}".into(),
    }
}

#[test]
fn english_document_reads_back() {
    let doc = english(5);
    let file = write("quote-en.pdf", &render(&doc).expect("render"));
    let path = file.path.as_path();
    assert_fonts_subset(path);
    assert_eq!(page_count(path).unwrap_or(1), 1);
    let Some(text) = pdftotext(path) else { return };
    assert_contains_all(
        &text,
        &[
            "Quote Q-100004 · revision 2",
            "Northwind Supply",
            "Acme Builders",
            "Valid until",
            "PO-77812",
            "PIPE-CU-001",
            "PIPE-CU-005",
            "Ball valve",
            "Unit price",
            "$1,337.09",
            "Prices are valid until the date above.",
            "Page 1 of 1",
        ],
    );
    // The long description wrapped inside its cell: its words are all there, on separate lines.
    let description_lines = text.lines().filter(|l| l.contains("Copper pipe") || l.contains("potable water")).count();
    assert!(description_lines >= 2, "the long description should wrap:\n{text}");
}

#[test]
fn japanese_document_reads_back() {
    let doc = japanese(5);
    let file = write("quote-ja.pdf", &render(&doc).expect("render"));
    let path = file.path.as_path();
    assert_fonts_subset(path);
    let Some(text) = pdftotext(path) else { return };
    assert_contains_all(
        &text,
        &[
            "見積書",
            "Q-100004",
            "ノースウィンド商事株式会社",
            "銅管 15mm",
            "ボールバルブ",
            "（プレス式）",
            "JP-SKU-0001",
            "¥136,125",
            "合計",
            "1 / 1 ページ",
        ],
    );
}

#[test]
fn arabic_document_reads_back() {
    let doc = arabic(4);
    let file = write("quote-ar.pdf", &render(&doc).expect("render"));
    let path = file.path.as_path();
    assert_fonts_subset(path);
    let Some(text) = pdftotext(path) else { return };
    eprintln!("pdftotext -layout of the Arabic document:\n{text}");
    assert_contains_all(&text, &["Q-100004", "PO-77812", "AR-SKU-001", "AR-SKU-004", "PIPE-CU-15", "158.13"]);
    for word in ["عرض", "سعر", "أنبوب", "نحاسي", "صمام", "كروي", "الإجمالي", "نورثويند"]
    {
        assert!(
            contains_arabic_word(&text, word),
            "{word:?} missing from the extracted text (in any form poppler gives):\n{text}"
        );
    }
}

/// Whether the Arabic `word` is in `text` as poppler extracts it. What `pdftotext -layout`
/// gives back for the Arabic document (poppler 22, Debian 12):
/// - base letters in logical order, no presentation forms: the ToUnicode map points each joined
///   glyph at the character it was shaped from, so NFKC normalisation changes nothing;
/// - each bidi run wrapped in embedding controls (U+202B … U+202C around Arabic, U+202A …
///   U+202C around numbers and SKUs inside it), removed here;
/// - the lam-alef ligature (one glyph for two letters) comes back with its letters swapped:
///   "الإجمالي" reads "اإلجمالي", "أعلاه" reads "أعاله" (a known poppler quirk; the PDF maps the
///   glyph to the letters in logical order). The word is accepted in that form too;
/// - in case another poppler orders a line visually, the reversed word is accepted as well.
fn contains_arabic_word(text: &str, word: &str) -> bool {
    let text: String = squeeze(text).chars().filter(|c| !is_bidi_control(*c)).collect();
    let poppler_form = swap_lam_alef(word);
    [word.to_owned(), poppler_form.clone(), word.chars().rev().collect(), poppler_form.chars().rev().collect()]
        .iter()
        .any(|form| text.contains(form.as_str()))
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// "لا", "لأ", "لإ", "لآ" → "ال", "أل", "إل", "آل": how poppler returns the lam-alef ligatures.
fn swap_lam_alef(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == 'ل' && matches!(chars.get(i + 1), Some('ا' | 'أ' | 'إ' | 'آ')) {
            out.push(chars[i + 1]);
            out.push('ل');
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn poppler_lam_alef_form() {
    assert_eq!(swap_lam_alef("الإجمالي"), "اإلجمالي");
    assert_eq!(swap_lam_alef("الرياض"), "الرياض");
    assert!(contains_arabic_word("\u{202B}اإلجمالي\u{202C}", "الإجمالي"));
    assert!(!contains_arabic_word("الرياض", "الإجمالي"));
}

#[test]
fn two_hundred_lines_span_pages_with_header_and_footer_on_each() {
    let doc = japanese(200);
    let started = Instant::now();
    let bytes = render(&doc).expect("render");
    let elapsed = started.elapsed();
    let started = Instant::now();
    let again = render(&doc).expect("render");
    let again_elapsed = started.elapsed();
    let fonts = FontSet::new(&doc.lang);
    let ts = Typesetter::new(&fonts, &doc.lang, doc.rtl);
    let started = Instant::now();
    let pages = layout::layout(&doc, &ts).expect("layout");
    let layout_elapsed = started.elapsed();
    let started = Instant::now();
    draw(&doc, pages).expect("draw");
    let draw_elapsed = started.elapsed();
    eprintln!(
        "200-line Japanese PDF: {} bytes, rendered in {:?} (first call in this test), {:?} (again)",
        bytes.len(),
        elapsed,
        again_elapsed
    );
    eprintln!("  of which layout (shaping, wrapping) {layout_elapsed:?}, PDF writing (subsetting) {draw_elapsed:?}");
    assert_eq!(again, bytes, "rendering is deterministic");
    // Subset fonts: the CJK collection alone is 20 MB.
    assert!(bytes.len() < 1_500_000, "{} bytes: are the fonts subset?", bytes.len());
    let file = write("quote-ja-200.pdf", &bytes);
    let path = file.path.as_path();
    let Some(pages) = page_count(path) else { return };
    assert!(pages > 1, "200 lines on {pages} page(s)");
    let Some(text) = pdftotext(path) else { return };
    for i in 1..=200 {
        assert_contains_all(&text, &[&format!("JP-SKU-{i:04}")]);
    }
    // pdftotext ends each page with a form feed.
    let page_texts: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(page_texts.len() as u32, pages);
    for (n, page) in page_texts.iter().enumerate() {
        assert_contains_all(page, &["品番", "品名", "金額", &format!("{} / {pages} ページ", n + 1)]);
    }
    assert_contains_all(page_texts[page_texts.len() - 1], &["合計", "¥136,125"]);
}

#[test]
fn two_hundred_english_lines_keep_rows_whole_and_in_order() {
    let doc = english(200);
    let file = write("quote-en-200.pdf", &render(&doc).expect("render"));
    let path = file.path.as_path();
    let Some(text) = pdftotext(path) else { return };
    let squeezed = squeeze(&text);
    let mut last = 0;
    for i in 1..=200 {
        let at = squeezed.find(&format!("PIPE-CU-{i:03}")).unwrap_or_else(|| panic!("PIPE-CU-{i:03} missing"));
        assert!(at > last, "rows out of order at {i}");
        last = at;
    }
    let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
    assert!(pages > 1);
    for (n, page) in text.split('\u{c}').filter(|p| !p.trim().is_empty()).enumerate() {
        assert_contains_all(page, &["SKU", "Description", &format!("Page {} of {pages}", n + 1)]);
    }
}

#[test]
fn wrapping_fits_the_width_and_keeps_every_word() {
    let fonts = FontSet::new("ja");
    let ts = Typesetter::new(&fonts, "ja", false);
    let style = Style { size: 9.0, bold: false };

    let text = "Copper pipe type L, 15 mm × 3 m, hard drawn";
    let lines = ts.lines(text, style, 80.0).expect("lines");
    assert!(lines.len() >= 3, "{} lines", lines.len());
    for line in &lines {
        assert!(line.width <= 80.0, "line {:?} is {} wide", line.visual_text(), line.width);
    }
    let joined: Vec<String> = lines.iter().map(|l| l.visual_text()).collect();
    assert_eq!(joined.join(" "), text);

    // A word wider than the box is cut between characters, never overflowing.
    let lines = ts.lines("PIPECOPPERTYPELHARDDRAWN", style, 40.0).expect("lines");
    assert!(lines.len() >= 2);
    assert!(lines.iter().all(|l| l.width <= 40.0));
    assert_eq!(lines.iter().map(|l| l.visual_text()).collect::<String>(), "PIPECOPPERTYPELHARDDRAWN");

    // Japanese breaks between characters, but never before 、 or ー.
    let text = "本見積書の有効期限は上記の日付までです、ボールバルブ";
    let lines = ts.lines(text, style, 50.0).expect("lines");
    assert!(lines.len() >= 3);
    assert_eq!(lines.iter().map(|l| l.visual_text()).collect::<String>(), text);
    for line in &lines {
        assert!(line.width <= 50.0);
        let first = line.visual_text().chars().next();
        assert!(!matches!(first, Some('、' | 'ー')), "line starts with {first:?}");
    }

    // Explicit line breaks are kept; empty text is one empty line.
    assert_eq!(ts.lines("a\nb", style, 500.0).expect("lines").len(), 2);
    assert_eq!(ts.lines("", style, 500.0).expect("lines").len(), 1);
}

#[test]
fn arabic_is_joined_and_ordered_right_to_left() {
    let fonts = FontSet::new("ar");
    let ts = Typesetter::new(&fonts, "ar", true);
    let style = Style { size: 9.0, bold: false };

    let line = ts.line("أنبوب نحاسي PIPE-CU-15", style).expect("line");
    // Visual order, left to right: the SKU (a left-to-right island at the line's end), then
    // the Arabic words, whose run holds the text in logical order.
    let texts: Vec<&str> = line.runs.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["PIPE-CU-15", "أنبوب نحاسي "], "runs: {texts:?}");

    // Joined: the letters of a word shaped together are not the isolated forms.
    let word = ts.line("نحاسي", style).expect("line");
    let joined: Vec<u32> = word.runs[0].glyphs.iter().rev().map(|g| g.glyph_id.to_u32()).collect();
    let isolated: Vec<u32> = "نحاسي"
        .chars()
        .map(|c| ts.line(&c.to_string(), style).expect("line").runs[0].glyphs[0].glyph_id.to_u32())
        .collect();
    assert_eq!(joined.len(), isolated.len());
    assert_ne!(joined, isolated, "Arabic letters came out isolated");

    // A number alone in a right-to-left document keeps its digit order.
    let number = ts.line("1,234.50", style).expect("line");
    assert_eq!(number.visual_text(), "1,234.50");
}

#[test]
fn bad_tables_are_errors() {
    let mut doc = english(2);
    doc.table.rows[1].pop();
    match render(&doc) {
        Err(PdfError::RowShape { row: 1, cells: 4, columns: 5 }) => {}
        other => panic!("expected RowShape, got {:?}", other.map(|b| b.len())),
    }
    let mut doc = english(2);
    doc.table.columns[0].width = 0.0;
    assert!(matches!(render(&doc), Err(PdfError::ColumnWidth { column: 0, .. })));
}

#[test]
fn the_cjk_face_follows_the_language() {
    let ja = FontSet::new("ja").face(fonts::Family::Cjk, false).expect("JP face");
    let zh = FontSet::new("zh-Hans").face(fonts::Family::Cjk, false).expect("SC face");
    // Same collection, different faces: 直 is drawn differently in Japanese and Chinese.
    let (a, b) = (ja.shaper.glyph_index('直'), zh.shaper.glyph_index('直'));
    assert!(a.is_some() && b.is_some());
    assert_ne!(a, b, "JP and SC faces should map 直 to different glyphs");
}
