//! Text: script runs (font fallback), bidi order, shaping, measuring and line wrapping.
//!
//! A string goes through, per paragraph (`\n` separates them):
//! 1. its base direction: the first strong character's (Unicode bidi rules P2–P3), the
//!    document's direction when it has none (a bare number or SKU follows the page);
//! 2. wrapping in logical order at break opportunities (after spaces, between CJK characters,
//!    after a hyphen inside a word), measured by shaping; a word wider than the box is cut
//!    between characters, so nothing ever runs past its box;
//! 3. per line, the bidi algorithm's visual runs; each run is split by script into font runs
//!    (Latin/Greek/Cyrillic/digits → Noto Sans, Arabic → Noto Sans Arabic, Han/kana/Hangul →
//!    Noto Sans CJK, with a per-character fallback when the chosen font lacks a glyph), each
//!    shaped by rustybuzz in its direction (so Arabic letters join), laid out left to right.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use krilla::text::{GlyphId, KrillaGlyph};
use unicode_bidi::{get_base_direction, Direction, Level, ParagraphBidiInfo};
use unicode_script::{Script, ScriptExtension, UnicodeScript};

use super::fonts::{Face, Family, FontSet};
use super::PdfError;

/// How a piece of text is set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Font size in points.
    pub size: f32,
    pub bold: bool,
}

/// A run of glyphs from one face, in visual order (left to right).
#[derive(Clone, Debug)]
pub struct ShapedRun {
    pub face: &'static Face,
    /// The run's characters in logical order; each glyph's `text_range` points into it, which
    /// is what makes the text extractable (and searchable) from the PDF.
    pub text: String,
    pub glyphs: Vec<KrillaGlyph>,
    /// Total advance, in em.
    pub advance: f32,
}

/// One line of text, ready to draw: runs left to right.
#[derive(Clone, Debug)]
pub struct Line {
    pub runs: Vec<ShapedRun>,
    pub style: Style,
    /// Width in points.
    pub width: f32,
}

impl Line {
    /// The line's text in visual order (runs concatenated); for tests and debugging.
    #[cfg(test)]
    pub fn visual_text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// Shapes text for one document: its fonts, its language and its direction.
pub struct Typesetter<'a> {
    pub fonts: &'a FontSet,
    pub rtl: bool,
    language: Option<rustybuzz::Language>,
    /// Shape plans by face, direction and script: compiling a plan (the font's features for a
    /// script) costs more than shaping a short string with it.
    plans: RefCell<HashMap<(usize, bool, rustybuzz::Script), rustybuzz::ShapePlan>>,
}

impl<'a> Typesetter<'a> {
    pub fn new(fonts: &'a FontSet, lang: &str, rtl: bool) -> Self {
        let language = lang.parse::<rustybuzz::Language>().ok();
        Typesetter { fonts, rtl, language, plans: RefCell::new(HashMap::new()) }
    }

    /// Lays `text` out into lines no wider than `max_width` points.
    pub fn lines(&self, text: &str, style: Style, max_width: f32) -> Result<Vec<Line>, PdfError> {
        let text = sanitize(text);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let bidi = ParagraphBidiInfo::new(paragraph, Some(self.base_level(paragraph)));
            let whole = self.shape_line(&bidi, 0..trim_end(paragraph, 0, paragraph.len()), style)?;
            if whole.width <= max_width {
                lines.push(whole);
                continue;
            }
            for range in self.wrap(paragraph, style, max_width)? {
                lines.push(self.shape_line(&bidi, range, style)?);
            }
        }
        Ok(lines)
    }

    /// One line, never wrapped.
    pub fn line(&self, text: &str, style: Style) -> Result<Line, PdfError> {
        let text = sanitize(text).replace('\n', " ");
        let bidi = ParagraphBidiInfo::new(&text, Some(self.base_level(&text)));
        self.shape_line(&bidi, 0..text.len(), style)
    }

    /// The width of `text` on one line, in points.
    pub fn width(&self, text: &str, style: Style) -> Result<f32, PdfError> {
        Ok(self.line(text, style)?.width)
    }

    fn base_level(&self, paragraph: &str) -> Level {
        match get_base_direction(paragraph) {
            Direction::Ltr => Level::ltr(),
            Direction::Rtl => Level::rtl(),
            Direction::Mixed if self.rtl => Level::rtl(),
            Direction::Mixed => Level::ltr(),
        }
    }

    /// Byte ranges of `paragraph`'s lines (trailing spaces trimmed).
    pub fn wrap(&self, paragraph: &str, style: Style, max_width: f32) -> Result<Vec<Range<usize>>, PdfError> {
        let mut lines = Vec::new();
        let mut ends = break_opportunities(paragraph);
        ends.push(paragraph.len());
        let mut start = 0;
        let mut fitting: Option<usize> = None;
        let mut i = 0;
        while i < ends.len() {
            let end = ends[i];
            if end <= start {
                i += 1;
                continue;
            }
            let candidate = start..trim_end(paragraph, start, end);
            if self.width(&paragraph[candidate], style)? <= max_width {
                fitting = Some(end);
                i += 1;
                continue;
            }
            match fitting.take() {
                // The line ends before this segment; the segment starts the next line.
                Some(fit) => {
                    lines.push(start..trim_end(paragraph, start, fit));
                    start = fit;
                }
                // One segment wider than the box: cut it between characters.
                None => {
                    let cut = self.cut(paragraph, start, end, style, max_width)?;
                    lines.push(start..trim_end(paragraph, start, cut));
                    start = cut;
                }
            }
        }
        if start < paragraph.len() {
            lines.push(start..trim_end(paragraph, start, paragraph.len()));
        }
        if lines.is_empty() {
            lines.push(0..0);
        }
        Ok(lines)
    }

    /// The longest prefix of `paragraph[start..end]` that fits, ending at a character
    /// boundary that does not separate a mark from its base; at least one character.
    fn cut(&self, paragraph: &str, start: usize, end: usize, style: Style, max_width: f32) -> Result<usize, PdfError> {
        let boundaries: Vec<usize> = paragraph[start..end]
            .char_indices()
            .skip(1)
            .filter(|(_, c)| !is_attached(*c))
            .map(|(i, _)| start + i)
            .chain(std::iter::once(end))
            .collect();
        // Binary search for the last boundary whose prefix fits.
        let (mut lo, mut hi) = (0usize, boundaries.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.width(&paragraph[start..boundaries[mid]], style)? <= max_width {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok(boundaries[lo.saturating_sub(1)])
    }

    fn shape_line(&self, bidi: &ParagraphBidiInfo<'_>, range: Range<usize>, style: Style) -> Result<Line, PdfError> {
        let text = bidi.text;
        let mut runs = Vec::new();
        if !range.is_empty() {
            let (levels, visual) = bidi.visual_runs(range);
            for run in visual {
                let rtl = levels[run.start].is_rtl();
                let mut shaped = Vec::new();
                for (sub, family) in self.font_runs(&text[run.clone()], style.bold)? {
                    let face = self.fonts.face(family, style.bold)?;
                    shaped.push(self.shape(face, &text[run.start + sub.start..run.start + sub.end], rtl));
                }
                if rtl {
                    shaped.reverse();
                }
                runs.extend(shaped);
            }
        }
        let width = runs.iter().map(|r| r.advance).sum::<f32>() * style.size;
        Ok(Line { runs, style, width })
    }

    /// Splits `text` into runs of one font: script first, then coverage.
    fn font_runs(&self, text: &str, bold: bool) -> Result<Vec<(Range<usize>, Family)>, PdfError> {
        let mut chars: Vec<(usize, char, Family)> = Vec::new();
        for (range, family) in script_runs(text) {
            for (i, c) in text[range.clone()].char_indices() {
                chars.push((range.start + i, c, family));
            }
        }
        // Fallback: a character the script's font lacks goes to the first font that has it
        // (marks and invisible controls stay with what they attach to).
        let mut previous: Option<Family> = None;
        for entry in &mut chars {
            let (_, c, family) = *entry;
            if is_attached(c) || is_invisible(c) {
                if let Some(p) = previous {
                    entry.2 = p;
                }
            } else if !c.is_whitespace() && !self.fonts.face(family, bold)?.covers(c) {
                for other in Family::FALLBACK_ORDER {
                    if other != family && self.fonts.face(other, bold)?.covers(c) {
                        entry.2 = other;
                        break;
                    }
                }
            }
            previous = Some(entry.2);
        }
        Ok(group(text, chars.into_iter().map(|(i, _, f)| (i, f))))
    }

    fn shape(&self, face: &'static Face, text: &str, rtl: bool) -> ShapedRun {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(if rtl { rustybuzz::Direction::RightToLeft } else { rustybuzz::Direction::LeftToRight });
        if let Some(language) = &self.language {
            buffer.set_language(language.clone());
        }
        let key = (face as *const Face as usize, rtl, buffer.script());
        let mut plans = self.plans.borrow_mut();
        let plan = plans.entry(key).or_insert_with(|| {
            rustybuzz::ShapePlan::new(
                &face.shaper,
                buffer.direction(),
                Some(buffer.script()),
                self.language.as_ref(),
                &[],
            )
        });
        let output = rustybuzz::shape_with_plan(&face.shaper, plan, buffer);
        drop(plans);
        let upem = face.units_per_em;
        // A glyph stands for the characters from its cluster up to the next cluster (in
        // logical order, whatever the visual order).
        let mut clusters: Vec<usize> = output.glyph_infos().iter().map(|g| g.cluster as usize).collect();
        clusters.sort_unstable();
        clusters.dedup();
        let mut advance = 0.0;
        let glyphs = output
            .glyph_infos()
            .iter()
            .zip(output.glyph_positions())
            .map(|(info, pos)| {
                let start = info.cluster as usize;
                let end = match clusters.binary_search(&start) {
                    Ok(k) => clusters.get(k + 1).copied().unwrap_or(text.len()),
                    Err(_) => text.len(),
                };
                let x_advance = pos.x_advance as f32 / upem;
                advance += x_advance;
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    x_advance,
                    pos.x_offset as f32 / upem,
                    pos.y_offset as f32 / upem,
                    pos.y_advance as f32 / upem,
                    start.min(text.len())..end.max(start).min(text.len()),
                    None,
                )
            })
            .collect();
        ShapedRun { face, text: text.to_owned(), glyphs, advance }
    }
}

/// Splits `text` into runs by script: each run's font family, in logical order. Characters
/// common to all scripts (spaces, digits, punctuation) join the run before them (or, at the
/// start, the first script after them), except that a run made only of them is Latin, and
/// ASCII digits are always Latin.
/// Unicode's script extensions count: the Arabic comma and Arabic-Indic digits go with Arabic,
/// the ideographic comma and the katakana-hiragana prolonged sound mark with CJK.
pub fn script_runs(text: &str) -> Vec<(Range<usize>, Family)> {
    let strong: Vec<(usize, Option<Family>)> = text.char_indices().map(|(i, c)| (i, family_of(c))).collect();
    let mut resolved = Vec::with_capacity(strong.len());
    let mut current: Option<Family> = None;
    for (k, &(i, family)) in strong.iter().enumerate() {
        let family = match family {
            Some(f) => f,
            None => current.unwrap_or_else(|| strong[k..].iter().find_map(|(_, f)| *f).unwrap_or(Family::Latin)),
        };
        current = Some(family);
        resolved.push((i, family));
    }
    group(text, resolved.into_iter())
}

fn group(text: &str, chars: impl Iterator<Item = (usize, Family)>) -> Vec<(Range<usize>, Family)> {
    let mut runs: Vec<(Range<usize>, Family)> = Vec::new();
    for (i, family) in chars {
        match runs.last_mut() {
            Some((range, f)) if *f == family => range.end = i,
            _ => {
                if let Some((range, _)) = runs.last_mut() {
                    range.end = i;
                }
                runs.push((i..i, family));
            }
        }
    }
    if let Some((range, _)) = runs.last_mut() {
        range.end = text.len();
    }
    runs
}

/// The family a character's script asks for; `None` for characters of no particular script.
fn family_of(c: char) -> Option<Family> {
    if c.is_ascii_digit() {
        // Digits are of no script, but a figure reads best in one face: "15mm", "1,234.50".
        return Some(Family::Latin);
    }
    match c.script() {
        Script::Arabic | Script::Syriac | Script::Thaana => Some(Family::Arabic),
        Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo => Some(Family::Cjk),
        Script::Common | Script::Inherited | Script::Unknown => {
            let ext: ScriptExtension = c.script_extension();
            if ext.is_common() || ext.is_inherited() || ext.is_empty() {
                None
            } else if [Script::Latin, Script::Greek, Script::Cyrillic].into_iter().any(|s| ext.contains_script(s)) {
                // Shared with the Latin scripts (the middle dot "·" also lists Han): neutral.
                None
            } else if ext.contains_script(Script::Arabic) {
                Some(Family::Arabic)
            } else if [Script::Han, Script::Hiragana, Script::Katakana, Script::Hangul]
                .into_iter()
                .any(|s| ext.contains_script(s))
            {
                Some(Family::Cjk)
            } else {
                None
            }
        }
        _ => Some(Family::Latin),
    }
}

/// Characters that belong to the one before them: combining marks, joiners, variation
/// selectors (Unicode's "Inherited" script).
fn is_attached(c: char) -> bool {
    c.script() == Script::Inherited || matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
}

/// Invisible format characters (bidi marks and controls, zero-width space, soft hyphen): the
/// shaper hides them; they need no font of their own.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Tabs and other control characters become spaces; CR LF, CR and the Unicode line and
/// paragraph separators become `\n`.
fn sanitize(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.chars()
        .map(|c| match c {
            '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => '\n',
            '\n' => '\n',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// `end` moved back over trailing white space, not before `start`.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

/// Byte positions where a new line may start (never 0 or the end).
pub fn break_opportunities(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    for k in 1..chars.len() {
        let (i, c) = chars[k];
        let p = chars[k - 1].1;
        if c.is_whitespace() || is_attached(c) {
            continue;
        }
        let after_space = p.is_whitespace();
        // A hyphen inside a word ("PIPE-|CU-15"), but not before a digit ("CU-15", "-5").
        let after_hyphen =
            matches!(p, '-' | '\u{2010}') && k >= 2 && chars[k - 2].1.is_alphanumeric() && c.is_alphabetic();
        let ideographic =
            (breaks_around(p) || breaks_around(c)) && !NO_BREAK_BEFORE.contains(c) && !NO_BREAK_AFTER.contains(p);
        if after_space || after_hyphen || ideographic {
            out.push(i);
        }
    }
    out
}

/// Characters a line may break before and after without a space: Han, kana and CJK
/// punctuation (Hangul breaks at spaces, like Latin).
fn breaks_around(c: char) -> bool {
    matches!(c.script(), Script::Han | Script::Hiragana | Script::Katakana)
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF60}' | '\u{30FC}')
}

/// Japanese and Chinese line-breaking rules (kinsoku): never at the start of a line…
const NO_BREAK_BEFORE: &str = "、。，．,.:;?!・：；？！ー‐）」』】〕〉》〙〗｝］)]}”’〜～…‥ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ゛゜％%";
/// …and never at the end of one.
const NO_BREAK_AFTER: &str = "（「『【〔〈《〘〖｛［([{“‘";

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<(&str, Family)> {
        script_runs(text).into_iter().map(|(r, f)| (&text[r], f)).collect()
    }

    #[test]
    fn scripts_split_into_font_runs() {
        use Family::*;
        assert_eq!(runs("Copper pipe 15 mm"), vec![("Copper pipe 15 mm", Latin)]);
        assert_eq!(runs("銅管 15mm"), vec![("銅管 ", Cjk), ("15mm", Latin)]);
        assert_eq!(runs("PIPE-CU-15 ボールバルブ"), vec![("PIPE-CU-15 ", Latin), ("ボールバルブ", Cjk)]);
        // The prolonged sound mark (Common script, extensions Hira Kana) stays with the kana.
        assert_eq!(runs("ー"), vec![("ー", Cjk)]);
        // Leading neutrals take the first script after them.
        assert_eq!(runs("(銅管)"), vec![("(銅管)", Cjk)]);
        assert_eq!(runs("أنبوب نحاسي PIPE-CU-15"), vec![("أنبوب نحاسي ", Arabic), ("PIPE-CU-15", Latin)]);
        // The Arabic comma and Arabic-Indic digits go with Arabic even after Latin.
        assert_eq!(runs("A،١٥"), vec![("A", Latin), ("،١٥", Arabic)]);
        // Marks (Inherited) stay with their base.
        assert_eq!(runs("مَرحبا"), vec![("مَرحبا", Arabic)]);
        assert_eq!(runs("12.50"), vec![("12.50", Latin)]);
        // The middle dot is shared by Latin and Han (among others): it follows its neighbours.
        assert_eq!(runs("Q-1 · rev 2"), vec![("Q-1 · rev 2", Latin)]);
        assert_eq!(runs("銅管·継手"), vec![("銅管·継手", Cjk)]);
        assert!(runs("").is_empty());
    }

    #[test]
    fn break_opportunities_follow_spaces_cjk_and_hyphens() {
        let at = |t: &str| -> Vec<String> {
            let mut pieces = Vec::new();
            let mut start = 0;
            for i in break_opportunities(t).into_iter().chain([t.len()]) {
                pieces.push(t[start..i].to_owned());
                start = i;
            }
            pieces
        };
        assert_eq!(at("Copper pipe 15"), ["Copper ", "pipe ", "15"]);
        assert_eq!(at("PIPE-CU-15"), ["PIPE-", "CU-15"]);
        assert_eq!(at("−5 and -5"), ["−5 ", "and ", "-5"]);
        // Between ideographs and kana, but never before 、。ー or small kana, nor after （.
        assert_eq!(at("銅管、ボール（大）"), ["銅", "管、", "ボー", "ル", "（大）"]);
        assert_eq!(at("أنبوب نحاسي"), ["أنبوب ", "نحاسي"]);
    }
}
