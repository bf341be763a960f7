//! The Noto fonts the documents are drawn with: found by file name under `PORTAL_FONT_DIR`
//! (default `/usr/share/fonts`), read once per process and kept for its lifetime.
//!
//! Three families cover the portal's nine languages: Noto Sans (Latin, Greek, Cyrillic,
//! Vietnamese), Noto Sans Arabic (Noto Naskh Arabic when absent) and Noto Sans CJK, a TrueType
//! collection whose face is chosen by the document's language (JP, SC, TC, HK or KR: the same
//! code point is drawn the way its readers expect).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

use rustybuzz::ttf_parser;

use super::PdfError;

/// The environment variable naming the folder the fonts are looked up under.
pub const FONT_DIR_VAR: &str = "PORTAL_FONT_DIR";
const DEFAULT_FONT_DIR: &str = "/usr/share/fonts";

/// Which font a run of text is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// Noto Sans: Latin, Greek, Cyrillic, digits and punctuation.
    Latin,
    /// Noto Sans Arabic.
    Arabic,
    /// Noto Sans CJK: Han, kana, Hangul.
    Cjk,
}

impl Family {
    /// The order fonts are tried in when the chosen one has no glyph for a character.
    pub const FALLBACK_ORDER: [Family; 3] = [Family::Latin, Family::Cjk, Family::Arabic];
}

/// The face of the CJK collection a language reads best with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CjkRegion {
    Japanese,
    SimplifiedChinese,
    TraditionalChinese,
    HongKong,
    Korean,
}

impl CjkRegion {
    /// From a BCP-47 tag: `zh`, `zh-CN`, `zh-Hans` → SC; `zh-TW`, `zh-Hant` → TC; `zh-HK` → HK;
    /// `ko` → KR; anything else (Japanese first) → JP.
    pub fn for_lang(lang: &str) -> Self {
        let lower = lang.to_ascii_lowercase();
        let mut parts = lower.split(['-', '_']);
        match parts.next().unwrap_or_default() {
            "zh" => {
                let rest: Vec<&str> = parts.collect();
                if rest.contains(&"hk") || rest.contains(&"mo") {
                    CjkRegion::HongKong
                } else if rest.contains(&"hant") || rest.contains(&"tw") {
                    CjkRegion::TraditionalChinese
                } else {
                    CjkRegion::SimplifiedChinese
                }
            }
            "ko" => CjkRegion::Korean,
            _ => CjkRegion::Japanese,
        }
    }

    fn family_name(self) -> &'static str {
        match self {
            CjkRegion::Japanese => "Noto Sans CJK JP",
            CjkRegion::SimplifiedChinese => "Noto Sans CJK SC",
            CjkRegion::TraditionalChinese => "Noto Sans CJK TC",
            CjkRegion::HongKong => "Noto Sans CJK HK",
            CjkRegion::Korean => "Noto Sans CJK KR",
        }
    }
}

/// One loaded face: krilla's font (drawing, subsetting) and rustybuzz's face (shaping,
/// measuring, coverage) over the same bytes.
pub struct Face {
    pub font: krilla::text::Font,
    pub shaper: rustybuzz::Face<'static>,
    pub units_per_em: f32,
}

impl Face {
    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some()
    }
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("font", &self.font).finish()
    }
}

/// The faces one document uses, loaded on first use (an English document never reads the
/// 20 MB CJK collection).
pub struct FontSet {
    region: CjkRegion,
    dir: PathBuf,
    faces: Mutex<HashMap<(Family, bool), &'static Face>>,
}

impl FontSet {
    pub fn new(lang: &str) -> Self {
        let dir = std::env::var_os(FONT_DIR_VAR)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_FONT_DIR));
        FontSet { region: CjkRegion::for_lang(lang), dir, faces: Mutex::new(HashMap::new()) }
    }

    /// The face of `family`, bold or regular.
    pub fn face(&self, family: Family, bold: bool) -> Result<&'static Face, PdfError> {
        if let Some(face) = lock(&self.faces).get(&(family, bold)) {
            return Ok(face);
        }
        let face = load_face(&self.dir, family, bold, self.region)?;
        lock(&self.faces).insert((family, bold), face);
        Ok(face)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The maps only ever gain complete entries, so a panic elsewhere leaves them consistent.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// File names tried, in order, for each family and weight.
fn candidates(family: Family, bold: bool) -> &'static [&'static str] {
    match (family, bold) {
        (Family::Latin, false) => &["NotoSans-Regular.ttf"],
        (Family::Latin, true) => &["NotoSans-Bold.ttf"],
        (Family::Arabic, false) => &["NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf"],
        (Family::Arabic, true) => &["NotoSansArabic-Bold.ttf", "NotoNaskhArabic-Bold.ttf"],
        (Family::Cjk, false) => &["NotoSansCJK-Regular.ttc"],
        (Family::Cjk, true) => &["NotoSansCJK-Bold.ttc"],
    }
}

/// File bytes by path and faces by (path, index): each read once per process. They are leaked
/// on purpose: a face lives as long as the process (a handful of files, read on first use),
/// and `'static` bytes let the shaper face be built once instead of once per document.
static FILES: LazyLock<Mutex<HashMap<PathBuf, &'static [u8]>>> = LazyLock::new(Default::default);
static FACES: LazyLock<Mutex<HashMap<(PathBuf, u32), &'static Face>>> = LazyLock::new(Default::default);
/// File name → path, per font folder (built by walking the folder once).
static INDEX: LazyLock<Mutex<HashMap<PathBuf, HashMap<String, PathBuf>>>> = LazyLock::new(Default::default);

fn load_face(dir: &Path, family: Family, bold: bool, region: CjkRegion) -> Result<&'static Face, PdfError> {
    let names = candidates(family, bold);
    let path =
        names.iter().find_map(|name| find_file(dir, name)).ok_or_else(|| PdfError::FontMissing(dir.join(names[0])))?;
    let data = read_file(&path)?;
    let index = match family {
        Family::Cjk => cjk_face_index(data, region.family_name()),
        _ => 0,
    };
    let key = (path.clone(), index);
    let mut faces = lock(&FACES);
    if let Some(face) = faces.get(&key) {
        return Ok(face);
    }
    let invalid = |why: &str| PdfError::FontUnreadable(path.clone(), why.to_owned());
    let font = krilla::text::Font::new(krilla::Data::from(data), index)
        .ok_or_else(|| invalid("not an OpenType font krilla can read"))?;
    let shaper =
        rustybuzz::Face::from_slice(data, index).ok_or_else(|| invalid("not an OpenType font rustybuzz can read"))?;
    let units_per_em = shaper.units_per_em() as f32;
    let face: &'static Face = Box::leak(Box::new(Face { font, shaper, units_per_em }));
    faces.insert(key, face);
    Ok(face)
}

fn read_file(path: &Path) -> Result<&'static [u8], PdfError> {
    let mut files = lock(&FILES);
    if let Some(data) = files.get(path) {
        return Ok(data);
    }
    let bytes = std::fs::read(path).map_err(|e| PdfError::FontUnreadable(path.to_owned(), e.to_string()))?;
    let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    files.insert(path.to_owned(), data);
    Ok(data)
}

/// The index of the face named `family` in a collection (0 for a single font, or when no face
/// has that name: then the first "Noto Sans CJK" face, else the first face).
fn cjk_face_index(data: &[u8], family: &str) -> u32 {
    let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
    let names: Vec<(u32, Vec<String>)> =
        (0..count).filter_map(|i| ttf_parser::Face::parse(data, i).ok().map(|f| (i, family_names(&f)))).collect();
    let exact = names.iter().find(|(_, n)| n.iter().any(|n| n == family));
    let any_cjk = || names.iter().find(|(_, n)| n.iter().any(|n| n.starts_with("Noto Sans CJK")));
    exact.or_else(any_cjk).map_or(0, |(i, _)| *i)
}

fn family_names(face: &ttf_parser::Face<'_>) -> Vec<String> {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::FAMILY || n.name_id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
        .filter_map(|n| n.to_string())
        .collect()
}

/// Finds a file by name anywhere under `dir` (Debian spreads fonts over sub-folders).
fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut index = lock(&INDEX);
    if let Some(path) = index.get(dir).and_then(|files| files.get(name)) {
        return Some(path.clone());
    }
    // Not known (yet): walk the folder again, in case the fonts were installed since.
    let mut files = HashMap::new();
    walk(dir, 0, &mut files);
    let found = files.get(name).cloned();
    index.insert(dir.to_owned(), files);
    found
}

fn walk(dir: &Path, depth: u32, files: &mut HashMap<String, PathBuf>) {
    const MAX_DEPTH: u32 = 8;
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        // `file_type` does not follow symbolic links, so a linked folder is never walked twice.
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if depth < MAX_DEPTH {
                walk(&path, depth + 1, files);
            }
        } else if let Some(name) = entry.file_name().to_str() {
            files.entry(name.to_owned()).or_insert(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_region_follows_the_language() {
        assert_eq!(CjkRegion::for_lang("ja"), CjkRegion::Japanese);
        assert_eq!(CjkRegion::for_lang("ja-JP"), CjkRegion::Japanese);
        assert_eq!(CjkRegion::for_lang("zh"), CjkRegion::SimplifiedChinese);
        assert_eq!(CjkRegion::for_lang("zh-Hans-CN"), CjkRegion::SimplifiedChinese);
        assert_eq!(CjkRegion::for_lang("zh-Hant"), CjkRegion::TraditionalChinese);
        assert_eq!(CjkRegion::for_lang("zh_TW"), CjkRegion::TraditionalChinese);
        assert_eq!(CjkRegion::for_lang("zh-HK"), CjkRegion::HongKong);
        assert_eq!(CjkRegion::for_lang("ko"), CjkRegion::Korean);
        assert_eq!(CjkRegion::for_lang("en"), CjkRegion::Japanese);
    }

    #[test]
    fn a_missing_font_is_an_error_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("portal-no-fonts-{}", std::process::id()));
        let Err(err) = load_face(&dir, Family::Latin, false, CjkRegion::Japanese) else {
            panic!("a folder without fonts must not give a face");
        };
        match &err {
            PdfError::FontMissing(path) => assert!(path.ends_with("NotoSans-Regular.ttf")),
            other => panic!("expected FontMissing, got {other:?}"),
        }
        assert!(err.to_string().contains("NotoSans-Regular.ttf"), "{err}");
    }
}
