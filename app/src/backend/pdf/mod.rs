//! Business documents as PDF: the machinery quotes and invoices share.
//!
//! Pure data in, bytes out: a [`Document`] (heading, parties, facts, a line table, totals,
//! notes, a footer) is laid out on A4 pages and drawn with [krilla], which embeds a subset of
//! each font used. Strings arrive already translated and formatted (money, dates, quantities);
//! nothing here touches the database, the session or Leptos.
//!
//! Text may mix scripts in any string: it is split into runs by script and drawn with the
//! matching Noto font (Latin, Arabic, CJK; see [`fonts`]), shaped by rustybuzz, and ordered by
//! the Unicode bidi algorithm, so Arabic reads right to left with its numbers and SKUs left to
//! right inside it (see [`text`]). A right-to-left document mirrors the page (see [`layout`]).
//!
//! Fonts come from the Debian packages `fonts-noto-core` and `fonts-noto-cjk`, looked up by file
//! name under `PORTAL_FONT_DIR` (default `/usr/share/fonts`) and read once per process; a
//! missing one is [`PdfError::FontMissing`].
//!
//! Rendering is CPU work (a 200-line Japanese quote: well under a second in a debug build): call
//! [`render`] from `tokio::task::spawn_blocking`, not on the async runtime's threads.
//!
//! ```ignore
//! let pdf = pdf::render(&Document { heading: "Quote Q-100004".into(), ..Default::default() })?;
//! ```

use std::path::PathBuf;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{Metadata, TextDirection};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};

pub mod fonts;
pub mod layout;
pub mod text;

use layout::{Op, Rgb, PAGE_H, PAGE_W};

/// A quote, an invoice or any document of their shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The PDF's metadata title (shown in a viewer's title bar).
    pub title: String,
    /// BCP-47 language tag ("en", "ja", "zh-Hans", "ar"): metadata, shaping language and the
    /// CJK face (Japanese, Simplified or Traditional Chinese, Korean).
    pub lang: String,
    /// Right-to-left layout (Arabic): the page is mirrored, columns run from the right, start
    /// aligned text sits at the right. Also the direction of strings without a strong letter.
    pub rtl: bool,
    /// The big title at the top: "Quote Q-100004 · revision 2".
    pub heading: String,
    /// Blocks side by side, three to a row: a label and lines, the first line (the name) bold:
    /// `("From", ["Northwind Supply", "12 Harbour Road", …])`.
    pub parties: Vec<(String, Vec<String>)>,
    /// Label and value pairs, four to a row: dates, expiry, PO number, terms, currency.
    pub facts: Vec<(String, String)>,
    /// The line table.
    pub table: Table,
    /// Label and value lines under the table, at the end side; the last one is the bold total.
    pub totals: Vec<(String, String)>,
    /// Paragraphs after everything else (terms, messages), wrapped to the page width.
    pub notes: Vec<String>,
    /// Text at the start of every page's footer.
    pub footer: String,
    /// Text at the end of every page's footer, with `{page}` and `{pages}` replaced by the page
    /// number and the page count (ASCII digits): "Page {page} of {pages}". Empty: none.
    pub page_label: String,
}

/// Columns and rows of already formatted strings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    /// One string per column in each row; a cell's text wraps within its column.
    pub rows: Vec<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub header: String,
    /// Relative width (the columns share the page width in proportion); positive.
    pub width: f32,
    pub align: Align,
}

impl Column {
    pub fn new(header: impl Into<String>, width: f32, align: Align) -> Self {
        Column { header: header.into(), width, align }
    }
}

/// Alignment in reading direction: `Start` is left in a left-to-right document and right in a
/// right-to-left one; amounts and quantities are `End`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    #[default]
    Start,
    End,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "font file not found: {} (install fonts-noto-core and fonts-noto-cjk, or set PORTAL_FONT_DIR to a folder holding it)",
        .0.display()
    )]
    FontMissing(PathBuf),
    #[error("cannot use font file {path}: {1}", path = .0.display())]
    FontUnreadable(PathBuf, String),
    #[error("table row {row} has {cells} cells but the table has {columns} columns")]
    RowShape { row: usize, cells: usize, columns: usize },
    #[error("table column {column} has width {width}; relative widths must be positive numbers")]
    ColumnWidth { column: usize, width: f32 },
    #[error("writing the PDF failed: {0}")]
    Writer(String),
}

/// Renders `doc` as a PDF file.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::FontSet::new(&doc.lang);
    let typesetter = text::Typesetter::new(&fonts, &doc.lang, doc.rtl);
    let pages = layout::layout(doc, &typesetter)?;
    draw(doc, pages)
}

/// [`render`] on tokio's blocking pool: shaping and subsetting are CPU work, kept off the
/// threads that answer requests.
pub async fn render_off_thread(doc: Document) -> Result<Vec<u8>, PdfError> {
    tokio::task::spawn_blocking(move || render(&doc))
        .await
        .map_err(|e| PdfError::Writer(format!("render task: {e}")))?
}

fn draw(doc: &Document, pages: Vec<Vec<Op>>) -> Result<Vec<u8>, PdfError> {
    let mut pdf = krilla::Document::new();
    let mut metadata = Metadata::new()
        .title(doc.title.clone())
        .creator("portal".to_owned())
        .text_direction(if doc.rtl { TextDirection::RightToLeft } else { TextDirection::LeftToRight });
    if !doc.lang.is_empty() {
        metadata = metadata.language(doc.lang.clone());
    }
    pdf.set_metadata(metadata);

    for ops in pages {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Writer("invalid page size".to_owned()))?;
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text { x, baseline, line, color } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(color)));
                    let mut x = x;
                    for run in &line.runs {
                        if !run.glyphs.is_empty() {
                            surface.draw_glyphs(
                                Point::from_xy(x, baseline),
                                &run.glyphs,
                                run.face.font.clone(),
                                &run.text,
                                line.style.size,
                                false,
                            );
                        }
                        x += run.advance * line.style.size;
                    }
                }
                Op::Rule { x0, x1, y, width, color } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x0, y);
                    path.line_to(x1, y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(color.0, color.1, color.2).into(),
                            width,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
                Op::Band { x, y, w, h, color } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(color)));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| PdfError::Writer(e.to_string()))
}

fn fill(color: Rgb) -> Fill {
    Fill { paint: rgb::Color::new(color.0, color.1, color.2).into(), ..Default::default() }
}

#[cfg(test)]
mod tests;
