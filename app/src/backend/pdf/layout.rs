//! Page layout: turns a [`Document`] into pages of positioned lines, rules and bands.
//!
//! Positions are in PDF points from the page's top-left corner (krilla's convention). Every
//! block is placed by its *logical* start offset and width inside the content box; `phys_left`
//! mirrors them for right-to-left documents, so the whole page (parties, facts, table columns,
//! totals, footer) reads from the right.

use super::text::{Line, Style, Typesetter};
use super::{Align, Document, PdfError};

/// A4 portrait, in points.
pub const PAGE_W: f32 = 595.276;
pub const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 50.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
const TOP: f32 = 48.0;
const FOOTER_RULE_Y: f32 = PAGE_H - 46.0;
/// Body content stops here; the footer lives below.
const BODY_BOTTOM: f32 = FOOTER_RULE_Y - 12.0;

const HEADING: Style = Style { size: 18.0, bold: true };
const LABEL: Style = Style { size: 7.5, bold: false };
const BODY: Style = Style { size: 9.0, bold: false };
const BODY_BOLD: Style = Style { size: 9.5, bold: true };
const TABLE_HEAD: Style = Style { size: 7.5, bold: true };
const GRAND_TOTAL: Style = Style { size: 10.5, bold: true };
const NOTE: Style = Style { size: 8.5, bold: false };
const FOOTER: Style = Style { size: 7.5, bold: false };

const CELL_PAD_X: f32 = 5.0;
const CELL_PAD_Y: f32 = 4.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

const INK: Rgb = Rgb(0x1d, 0x23, 0x2c);
const MUTED: Rgb = Rgb(0x66, 0x70, 0x85);
const NOTE_INK: Rgb = Rgb(0x34, 0x40, 0x54);
const RULE: Rgb = Rgb(0xc4, 0xca, 0xd4);
const LIGHT_RULE: Rgb = Rgb(0xe4, 0xe7, 0xec);
const BAND: Rgb = Rgb(0xf2, 0xf4, 0xf7);

/// Something drawn on a page.
#[derive(Debug)]
pub enum Op {
    /// A line of text; `x` is its left edge, `baseline` its baseline.
    Text { x: f32, baseline: f32, line: Line, color: Rgb },
    /// A horizontal rule.
    Rule { x0: f32, x1: f32, y: f32, width: f32, color: Rgb },
    /// A filled rectangle (the table header's band).
    Band { x: f32, y: f32, w: f32, h: f32, color: Rgb },
}

/// The height of a line of text set in `style`.
fn line_height(style: Style) -> f32 {
    style.size * 1.4
}

/// From the top of a line box to its baseline.
fn baseline_offset(style: Style) -> f32 {
    style.size * 1.08
}

fn block_height(lines: &[Line]) -> f32 {
    lines.iter().map(|l| line_height(l.style)).sum()
}

/// The table's geometry: logical start and width of each column.
struct Columns {
    starts: Vec<f32>,
    widths: Vec<f32>,
    aligns: Vec<Align>,
}

struct Pager<'a> {
    ts: &'a Typesetter<'a>,
    rtl: bool,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Pager<'_> {
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn room(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    fn push(&mut self, op: Op) {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// The physical left edge of a box given by its logical start and width.
    fn phys_left(&self, start: f32, width: f32) -> f32 {
        if self.rtl {
            MARGIN_X + CONTENT_W - start - width
        } else {
            MARGIN_X + start
        }
    }

    fn lines(&self, text: &str, style: Style, width: f32) -> Result<Vec<Line>, PdfError> {
        self.ts.lines(text, style, width.max(1.0))
    }

    /// Draws `lines` in the box (`start`, `width`) from `top` down; returns the height used.
    fn put_lines(&mut self, lines: &[Line], start: f32, width: f32, align: Align, top: f32, color: Rgb) -> f32 {
        let left = self.phys_left(start, width);
        let flush_left = matches!((align, self.rtl), (Align::Start, false) | (Align::End, true));
        let mut y = top;
        for line in lines {
            let x = if flush_left { left } else { left + width - line.width };
            if !line.runs.is_empty() {
                self.push(Op::Text { x, baseline: y + baseline_offset(line.style), line: line.clone(), color });
            }
            y += line_height(line.style);
        }
        y - top
    }

    fn rule(&mut self, start: f32, width: f32, y: f32, weight: f32, color: Rgb) {
        let x0 = self.phys_left(start, width);
        self.push(Op::Rule { x0, x1: x0 + width, y, width: weight, color });
    }

    fn heading(&mut self, doc: &Document) -> Result<(), PdfError> {
        let lines = self.lines(&doc.heading, HEADING, CONTENT_W)?;
        let h = self.put_lines(&lines, 0.0, CONTENT_W, Align::Start, self.y, INK);
        self.y += h + 6.0;
        self.rule(0.0, CONTENT_W, self.y, 0.8, RULE);
        self.y += 16.0;
        Ok(())
    }

    /// Blocks side by side, three to a row: a small grey label, the name in bold, the rest.
    fn parties(&mut self, doc: &Document) -> Result<(), PdfError> {
        const GAP: f32 = 18.0;
        for row in doc.parties.chunks(3) {
            let cols = row.len().clamp(2, 3) as f32;
            let width = (CONTENT_W - GAP * (cols - 1.0)) / cols;
            let mut blocks = Vec::new();
            for (label, lines) in row {
                let label = self.lines(label, LABEL, width)?;
                let mut rest = Vec::new();
                for (i, text) in lines.iter().enumerate() {
                    let style = if i == 0 { BODY_BOLD } else { BODY };
                    rest.extend(self.lines(text, style, width)?);
                }
                blocks.push((label, rest));
            }
            let height =
                blocks.iter().map(|(label, rest)| block_height(label) + 1.5 + block_height(rest)).fold(0.0, f32::max);
            if height > self.room() {
                self.new_page();
            }
            for (i, (label, rest)) in blocks.iter().enumerate() {
                let start = i as f32 * (width + GAP);
                let top = self.y;
                let h = self.put_lines(label, start, width, Align::Start, top, MUTED);
                self.put_lines(rest, start, width, Align::Start, top + h + 1.5, INK);
            }
            self.y += height + 14.0;
        }
        Ok(())
    }

    /// Label over value, four to a row.
    fn facts(&mut self, doc: &Document) -> Result<(), PdfError> {
        const COLS: usize = 4;
        const GAP: f32 = 12.0;
        if doc.facts.is_empty() {
            return Ok(());
        }
        let width = (CONTENT_W - GAP * (COLS as f32 - 1.0)) / COLS as f32;
        for row in doc.facts.chunks(COLS) {
            let mut cells = Vec::new();
            for (label, value) in row {
                cells.push((self.lines(label, LABEL, width)?, self.lines(value, BODY, width)?));
            }
            let height = cells.iter().map(|(l, v)| block_height(l) + 1.5 + block_height(v)).fold(0.0, f32::max);
            if height > self.room() {
                self.new_page();
            }
            for (i, (label, value)) in cells.iter().enumerate() {
                let start = i as f32 * (width + GAP);
                let top = self.y;
                let h = self.put_lines(label, start, width, Align::Start, top, MUTED);
                self.put_lines(value, start, width, Align::Start, top + h + 1.5, INK);
            }
            self.y += height + 8.0;
        }
        self.y += 10.0;
        Ok(())
    }

    fn columns(&self, doc: &Document) -> Result<Columns, PdfError> {
        let columns = &doc.table.columns;
        for (i, c) in columns.iter().enumerate() {
            if !(c.width.is_finite() && c.width > 0.0) {
                return Err(PdfError::ColumnWidth { column: i, width: c.width });
            }
        }
        let total: f32 = columns.iter().map(|c| c.width).sum();
        let widths: Vec<f32> = columns.iter().map(|c| CONTENT_W * c.width / total).collect();
        let starts = widths
            .iter()
            .scan(0.0, |acc, w| {
                let start = *acc;
                *acc += w;
                Some(start)
            })
            .collect();
        Ok(Columns { starts, widths, aligns: columns.iter().map(|c| c.align).collect() })
    }

    /// Lays each cell of a row out to its column's inner width.
    fn cells(&self, texts: &[String], cols: &Columns, style: Style) -> Result<Vec<Vec<Line>>, PdfError> {
        texts.iter().zip(&cols.widths).map(|(text, w)| self.lines(text, style, w - 2.0 * CELL_PAD_X)).collect()
    }

    fn table_header(&mut self, header: &[Vec<Line>], cols: &Columns) {
        let height = header.iter().map(|c| block_height(c)).fold(0.0, f32::max) + 2.0 * CELL_PAD_Y;
        let top = self.y;
        self.push(Op::Band { x: MARGIN_X, y: top, w: CONTENT_W, h: height, color: BAND });
        for (i, cell) in header.iter().enumerate() {
            let (start, width) = (cols.starts[i] + CELL_PAD_X, cols.widths[i] - 2.0 * CELL_PAD_X);
            self.put_lines(cell, start, width, cols.aligns[i], top + CELL_PAD_Y, MUTED);
        }
        self.y += height;
        self.rule(0.0, CONTENT_W, self.y, 0.8, RULE);
    }

    /// The line table: a header (repeated on each page it spans), rows that never split
    /// unless one is taller than a whole page, a thin rule under each row.
    fn table(&mut self, doc: &Document) -> Result<(), PdfError> {
        let table = &doc.table;
        if table.columns.is_empty() {
            return Ok(());
        }
        let cols = self.columns(doc)?;
        let headers: Vec<String> = table.columns.iter().map(|c| c.header.clone()).collect();
        let header = self.cells(&headers, &cols, TABLE_HEAD)?;
        let header_h = header.iter().map(|c| block_height(c)).fold(0.0, f32::max) + 2.0 * CELL_PAD_Y;
        let row_line = line_height(BODY);

        let mut rows = Vec::with_capacity(table.rows.len());
        for (r, row) in table.rows.iter().enumerate() {
            if row.len() != table.columns.len() {
                return Err(PdfError::RowShape { row: r, cells: row.len(), columns: table.columns.len() });
            }
            rows.push(self.cells(row, &cols, BODY)?);
        }

        // The header never sits alone at the bottom of a page.
        let first_row_h = rows.first().map_or(0.0, |cells| row_height(cells));
        if header_h + first_row_h.min(BODY_BOTTOM - TOP - header_h) > self.room() {
            self.new_page();
        }
        self.table_header(&header, &cols);
        let mut rows_on_page = 0usize;

        for cells in &rows {
            if row_height(cells) > self.room() && rows_on_page > 0 {
                self.new_page();
                self.table_header(&header, &cols);
                rows_on_page = 0;
            }
            // Normally one pass; a row taller than a page continues on the next.
            let depth = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let mut from = 0;
            while from < depth {
                let fit = ((self.room() - 2.0 * CELL_PAD_Y) / row_line).floor().max(0.0) as usize;
                if fit == 0 && rows_on_page > 0 {
                    self.new_page();
                    self.table_header(&header, &cols);
                    rows_on_page = 0;
                    continue;
                }
                let take = fit.clamp(1, depth - from);
                let top = self.y + CELL_PAD_Y;
                for (i, cell) in cells.iter().enumerate() {
                    let part = &cell[from.min(cell.len())..(from + take).min(cell.len())];
                    let (start, width) = (cols.starts[i] + CELL_PAD_X, cols.widths[i] - 2.0 * CELL_PAD_X);
                    self.put_lines(part, start, width, cols.aligns[i], top, INK);
                }
                self.y += take as f32 * row_line + 2.0 * CELL_PAD_Y;
                self.rule(0.0, CONTENT_W, self.y, 0.5, LIGHT_RULE);
                rows_on_page += 1;
                from += take;
                if from < depth {
                    self.new_page();
                    self.table_header(&header, &cols);
                    rows_on_page = 0;
                }
            }
        }
        Ok(())
    }

    /// Label and value pairs at the end side under the table; the last one bold above a rule.
    fn totals(&mut self, doc: &Document) -> Result<(), PdfError> {
        if doc.totals.is_empty() {
            return Ok(());
        }
        const GAP: f32 = 3.0;
        let block_w = (CONTENT_W * 0.45).clamp(200.0, CONTENT_W);
        let label_w = block_w * 0.58;
        let value_w = block_w - label_w;
        let block_start = CONTENT_W - block_w;
        let last = doc.totals.len() - 1;
        let mut rows = Vec::new();
        for (i, (label, value)) in doc.totals.iter().enumerate() {
            let style = if i == last { GRAND_TOTAL } else { BODY };
            let label_lines = self.lines(label, style, label_w - CELL_PAD_X)?;
            let value_lines = self.lines(value, style, value_w - CELL_PAD_X)?;
            rows.push((label_lines, value_lines));
        }
        let row_h = |(l, v): &(Vec<Line>, Vec<Line>)| block_height(l).max(block_height(v)) + GAP;
        let height: f32 = 8.0 + rows.iter().map(row_h).sum::<f32>() + 6.0;
        if height > self.room() {
            self.new_page();
        }
        self.y += 8.0;
        for (i, row) in rows.iter().enumerate() {
            if i == last && last > 0 {
                self.y += 2.0;
                self.rule(block_start, block_w, self.y, 0.8, RULE);
                self.y += 4.0;
            }
            let (label, value) = row;
            self.put_lines(label, block_start + CELL_PAD_X, label_w - CELL_PAD_X, Align::Start, self.y, INK);
            self.put_lines(value, block_start + label_w, value_w - CELL_PAD_X, Align::End, self.y, INK);
            self.y += row_h(row);
        }
        Ok(())
    }

    /// Paragraphs across the full width, breaking across pages line by line.
    fn notes(&mut self, doc: &Document) -> Result<(), PdfError> {
        if doc.notes.is_empty() {
            return Ok(());
        }
        self.y += 16.0;
        for note in &doc.notes {
            for line in self.lines(note, NOTE, CONTENT_W)? {
                if line_height(NOTE) > self.room() {
                    self.new_page();
                }
                let top = self.y;
                self.y += self.put_lines(std::slice::from_ref(&line), 0.0, CONTENT_W, Align::Start, top, NOTE_INK);
            }
            self.y += 5.0;
        }
        Ok(())
    }

    /// The footer of every page: the document's footer at the start, "page X of Y" at the end.
    fn footers(&mut self, doc: &Document) -> Result<(), PdfError> {
        let total = self.pages.len();
        for n in 0..total {
            let label = doc.page_label.replace("{page}", &(n + 1).to_string()).replace("{pages}", &total.to_string());
            let label_line = self.ts.line(&label, FOOTER)?;
            let label_w = label_line.width;
            let text_w = (CONTENT_W - label_w - 16.0).max(CONTENT_W / 3.0);
            let mut text = self.lines(&doc.footer, FOOTER, text_w)?;
            // Room for three lines under the rule; a longer footer is cut.
            text.truncate(3);
            let top = FOOTER_RULE_Y + 6.0;

            let mut ops = Vec::new();
            std::mem::swap(&mut ops, &mut self.pages[n]);
            let mut footer = Pager { ts: self.ts, rtl: self.rtl, pages: vec![ops], y: 0.0 };
            footer.rule(0.0, CONTENT_W, FOOTER_RULE_Y, 0.5, LIGHT_RULE);
            footer.put_lines(&text, 0.0, text_w, Align::Start, top, MUTED);
            if !label.is_empty() {
                footer.put_lines(&[label_line], 0.0, CONTENT_W, Align::End, top, MUTED);
            }
            if let Some(ops) = footer.pages.pop() {
                self.pages[n] = ops;
            }
        }
        Ok(())
    }
}

fn row_height(cells: &[Vec<Line>]) -> f32 {
    let depth = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    depth as f32 * line_height(BODY) + 2.0 * CELL_PAD_Y
}

/// Lays the whole document out: one list of drawing operations per page.
pub fn layout(doc: &Document, ts: &Typesetter<'_>) -> Result<Vec<Vec<Op>>, PdfError> {
    let mut pager = Pager { ts, rtl: doc.rtl, pages: Vec::new(), y: TOP };
    pager.new_page();
    pager.heading(doc)?;
    pager.parties(doc)?;
    pager.facts(doc)?;
    pager.table(doc)?;
    pager.totals(doc)?;
    pager.notes(doc)?;
    pager.footers(doc)?;
    Ok(pager.pages)
}
