//! Reads the crate's own Rust sources for the tests that guard its structure (`architecture`) and
//! its translation calls (`i18n`): a small lexer that drops comments and keeps string literals
//! apart from code, and the paths each file names, resolved against the file's module.
//!
//! Why a lexer and not `grep`: a doc comment that says "pages never import `crate::backend`", or a
//! string that contains "backend::", is not an import, and `use crate::{api, backend::guard}`
//! names `backend::` without the text "crate::backend" appearing.

use std::path::{Path, PathBuf};

/// One token of code, with the line it starts on (1-based).
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    /// The literal's text as written between the quotes (escapes are not decoded).
    Str(String),
    Punct(char),
    /// Numbers, char literals and lifetimes: present so that neighbours stay apart, never matched.
    Other,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
}

/// The tokens of `source`, comments left out.
pub fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let ident_start = |c: char| c == '_' || c.is_alphabetic();
    let ident_char = |c: char| c == '_' || c.is_alphanumeric();
    // Counts the newlines in chars[from..to] into `line`.
    let advance = |line: &mut usize, from: usize, to: usize| {
        *line += chars[from..to.min(chars.len())].iter().filter(|c| **c == '\n').count();
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            if c == '\n' {
                line += 1;
            }
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            // Block comments nest in Rust.
            let start = i;
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            advance(&mut line, start, i);
        } else if let Some((content, end)) = string_at(&chars, i) {
            out.push(Token { tok: Tok::Str(content), line });
            advance(&mut line, i, end);
            i = end;
        } else if c == 'r' && next == Some('#') && chars.get(i + 2).is_some_and(|c| ident_start(*c)) {
            // A raw identifier: r#type.
            let start = i + 2;
            i = start;
            while i < chars.len() && ident_char(chars[i]) {
                i += 1;
            }
            out.push(Token { tok: Tok::Ident(chars[start..i].iter().collect()), line });
        } else if ident_start(c) {
            let start = i;
            while i < chars.len() && ident_char(chars[i]) {
                i += 1;
            }
            out.push(Token { tok: Tok::Ident(chars[start..i].iter().collect()), line });
        } else if c.is_ascii_digit() {
            while i < chars.len()
                && (ident_char(chars[i]) || (chars[i] == '.' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                i += 1;
            }
            out.push(Token { tok: Tok::Other, line });
        } else if c == '\'' {
            // A char literal ('a', '\n', '\u{1F}', '\'') or a lifetime ('a, 'static).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && ident_char(chars[i]) {
                    i += 1;
                }
            }
            out.push(Token { tok: Tok::Other, line });
        } else {
            out.push(Token { tok: Tok::Punct(c), line });
            i += 1;
        }
    }
    out
}

/// A string literal starting at `i` ("…", b"…", c"…", r"…", r#"…"#, br#"…"#): its content and
/// the index just past it.
fn string_at(chars: &[char], i: usize) -> Option<(String, usize)> {
    let mut j = i;
    // An identifier character just before means this is the tail of a name (`bar"` cannot occur;
    // `for r in` can), so prefixes only count at the start of a token.
    if i > 0 && (chars[i - 1] == '_' || chars[i - 1].is_alphanumeric()) {
        return None;
    }
    if matches!(chars.get(j), Some('b') | Some('c')) {
        j += 1;
    }
    let raw = chars.get(j) == Some(&'r');
    if raw {
        j += 1;
    }
    let mut hashes = 0;
    while raw && chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    let start = j;
    if raw {
        loop {
            if j >= chars.len() {
                return Some((chars[start..].iter().collect(), chars.len()));
            }
            if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                return Some((chars[start..j].iter().collect(), j + 1 + hashes));
            }
            j += 1;
        }
    }
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 2,
            '"' => return Some((chars[start..j].iter().collect(), j + 1)),
            _ => j += 1,
        }
    }
    Some((chars[start..].iter().collect(), chars.len()))
}

/// A path the code names, absolute where it could be resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedPath {
    /// `crate::a::b` → `["a", "b"]` with `in_crate`; `serde::Serialize` → `["serde", "Serialize"]`.
    pub segments: Vec<String>,
    /// Whether the path starts at this crate's root (written `crate::`, `super::`, `self::`, or
    /// through a name a `use` brought in from there).
    pub in_crate: bool,
    pub line: usize,
    /// Written in a `use` declaration (else used inline in code).
    pub in_use: bool,
}

/// The module path of a source file under `src/` (`pages/lists.rs` → `["pages", "lists"]`,
/// `components/mod.rs` → `["components"]`, `lib.rs` → `[]`).
pub fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "mod" | "lib" | "main") {
            parts.push(stem.to_string());
        }
    }
    parts
}

fn ident(t: &Token) -> Option<&str> {
    match &t.tok {
        Tok::Ident(s) => Some(s),
        _ => None,
    }
}

fn is_punct(t: Option<&Token>, c: char) -> bool {
    matches!(t, Some(Token { tok: Tok::Punct(p), .. }) if *p == c)
}

fn is_path_sep(toks: &[Token], i: usize) -> bool {
    is_punct(toks.get(i), ':') && is_punct(toks.get(i + 1), ':')
}

/// Every path in `source` (a file whose module is `module`), `use` trees expanded, relative
/// starts (`super::`, `self::`, names brought in by `use`) resolved.
pub fn paths(source: &str, module: &[String]) -> Vec<NamedPath> {
    let toks = tokens(source);
    // Inline modules (`mod tests { … }`) change what `super` means inside them.
    let mut modules: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut raw: Vec<(Vec<String>, Vec<String>, usize, bool)> = Vec::new(); // (segments, module, line, in_use)
    let mut i = 0;
    let current = |modules: &[(String, usize)]| -> Vec<String> {
        module.iter().cloned().chain(modules.iter().map(|(m, _)| m.clone())).collect()
    };
    while i < toks.len() {
        match &toks[i].tok {
            Tok::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Tok::Punct('}') => {
                if modules.last().is_some_and(|(_, d)| *d == depth) {
                    modules.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Tok::Ident(k)
                if k == "mod" && toks.get(i + 1).and_then(ident).is_some() && is_punct(toks.get(i + 2), '{') =>
            {
                modules.push((ident(&toks[i + 1]).unwrap().to_string(), depth + 1));
                i += 2;
            }
            Tok::Ident(k) if k == "use" => {
                let line = toks[i].line;
                let mut trees = Vec::new();
                let end = use_tree(&toks, i + 1, Vec::new(), &mut trees);
                for segments in trees {
                    raw.push((segments, current(&modules), line, true));
                }
                i = end;
            }
            Tok::Ident(_) | Tok::Punct(':') => {
                // An inline path: ident (:: ident)+, or ::ident…; stops at `::<` and `::{`.
                let leading = is_path_sep(&toks, i) && !(i > 0 && ident(&toks[i - 1]).is_some());
                let mut j = if leading { i + 2 } else { i };
                let mut segments = Vec::new();
                while let Some(name) = toks.get(j).and_then(ident) {
                    segments.push(name.to_string());
                    if is_path_sep(&toks, j + 1) {
                        j += 3;
                    } else {
                        j += 1;
                        break;
                    }
                }
                if segments.len() >= 2 || (leading && !segments.is_empty()) {
                    raw.push((segments, current(&modules), toks[i].line, false));
                }
                i = j.max(i + 1);
            }
            _ => i += 1,
        }
    }
    // Names that `use` brought in, to resolve `pages::x` after `use crate::pages;`.
    let mut imported: Vec<(String, Vec<String>, bool)> = Vec::new();
    let mut out = Vec::new();
    for (segments, module, line, in_use) in raw {
        let (resolved, in_crate) = resolve(&segments, &module, &imported);
        if in_use {
            if let Some(last) = segments.last().filter(|s| *s != "*") {
                imported.push((last.clone(), resolved.clone(), in_crate));
            }
        }
        out.push(NamedPath { segments: resolved, in_crate, line, in_use });
    }
    out
}

/// Expands the use tree starting at `toks[i]` into full paths (a `{…}` group multiplies them;
/// `as` aliases keep the original path under the alias as its last segment); returns the index
/// past the tree's end.
fn use_tree(toks: &[Token], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    if is_path_sep(toks, i) {
        i += 2;
    }
    loop {
        match toks.get(i).map(|t| &t.tok) {
            Some(Tok::Ident(name)) => {
                if name == "self" && !path.is_empty() {
                    // `a::{self, b}`: `self` is `a` itself.
                } else {
                    path.push(name.clone());
                }
                i += 1;
                if is_path_sep(toks, i) {
                    i += 2;
                    continue;
                }
                if toks.get(i).and_then(ident) == Some("as") {
                    i += 2;
                }
                out.push(path);
                return skip_to_tree_end(toks, i);
            }
            Some(Tok::Punct('*')) => {
                path.push("*".to_string());
                out.push(path);
                return skip_to_tree_end(toks, i + 1);
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                loop {
                    if is_punct(toks.get(i), '}') {
                        i += 1;
                        break;
                    }
                    i = use_tree(toks, i, path.clone(), out);
                    if is_punct(toks.get(i), ',') {
                        i += 1;
                    }
                    if i >= toks.len() {
                        break;
                    }
                }
                return skip_to_tree_end(toks, i);
            }
            _ => return i + 1,
        }
    }
}

/// Past whatever ends a use tree here: `;` (consumed), or `,`/`}` left for the caller.
fn skip_to_tree_end(toks: &[Token], i: usize) -> usize {
    if is_punct(toks.get(i), ';') {
        i + 1
    } else {
        i
    }
}

fn resolve(segments: &[String], module: &[String], imported: &[(String, Vec<String>, bool)]) -> (Vec<String>, bool) {
    let Some(first) = segments.first() else { return (vec![], false) };
    match first.as_str() {
        "crate" => (segments[1..].to_vec(), true),
        "self" => (module.iter().cloned().chain(segments[1..].iter().cloned()).collect(), true),
        "super" => {
            let mut base = module.to_vec();
            let mut rest = segments;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            (base.into_iter().chain(rest.iter().cloned()).collect(), true)
        }
        _ => match imported.iter().rev().find(|(name, _, _)| name == first) {
            Some((_, full, in_crate)) if segments.len() > 1 || full.len() > 1 => {
                (full.iter().cloned().chain(segments[1..].iter().cloned()).collect(), *in_crate)
            }
            _ => (segments.to_vec(), false),
        },
    }
}

/// Every `.rs` file under `dir`, sorted.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// A macro call `name!(…)` found in code: where it is and its top-level arguments as tokens.
#[derive(Debug)]
pub struct MacroCall {
    pub line: usize,
    pub args: Vec<Vec<Tok>>,
}

/// Every `name!(…)` / `name![…]` / `name!{…}` call in `source`, arguments split at top-level commas.
pub fn macro_calls(source: &str, name: &str) -> Vec<MacroCall> {
    let toks = tokens(source);
    let mut calls = Vec::new();
    for i in 0..toks.len() {
        if ident(&toks[i]) != Some(name) || !is_punct(toks.get(i + 1), '!') {
            continue;
        }
        let Some(Tok::Punct(open)) = toks.get(i + 2).map(|t| &t.tok) else { continue };
        if !matches!(open, '(' | '[' | '{') {
            continue;
        }
        let mut depth = 0;
        let mut args = vec![Vec::new()];
        for t in &toks[i + 2..] {
            match t.tok {
                Tok::Punct('(' | '[' | '{') => {
                    depth += 1;
                    if depth == 1 {
                        continue;
                    }
                }
                Tok::Punct(')' | ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Tok::Punct(',') if depth == 1 => {
                    args.push(Vec::new());
                    continue;
                }
                _ => {}
            }
            args.last_mut().unwrap().push(t.tok.clone());
        }
        if args.last().is_some_and(|a| a.is_empty()) {
            args.pop();
        }
        calls.push(MacroCall { line: toks[i].line, args });
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_idents(source: &str) -> Vec<String> {
        tokens(source).into_iter().filter_map(|t| if let Tok::Ident(s) = t.tok { Some(s) } else { None }).collect()
    }

    #[test]
    fn comments_and_strings_are_not_code() {
        let source = r####"
            //! pages never use crate::backend
            /* a block /* nested backend:: */ still comment */
            let a = "backend::x"; let b = r#"crate::backend "quoted" "#; let c = '"'; let d = b"x";
            fn f<'a>(x: &'a str) -> char { 'b' }
            real_code
        "####;
        let ids = code_idents(source);
        assert!(!ids.iter().any(|i| i == "backend"), "{ids:?}");
        assert!(ids.contains(&"real_code".to_string()));
        let strings: Vec<_> =
            tokens(source).into_iter().filter_map(|t| if let Tok::Str(s) = t.tok { Some(s) } else { None }).collect();
        assert_eq!(strings, vec!["backend::x", "crate::backend \"quoted\" ", "x"]);
        let line = tokens(source).into_iter().find(|t| t.tok == Tok::Ident("real_code".into())).unwrap().line;
        assert_eq!(line, 6);
    }

    #[test]
    fn use_trees_expand_and_relative_paths_resolve() {
        let module = vec!["pages".to_string(), "cart".to_string()];
        let source = "use crate::{api::cart::CartDto, backend::{guard, state::AppState as S}};\n\
                      use super::lists;\n\
                      fn f() { lists::SaveAsList(); super::super::format::money(); self::g(); }\n\
                      mod tests { use super::*; fn t() { super::super::x::y(); } }\n\
                      use crate::pages;\nfn h() { pages::search::highlighted(); serde::Serialize::f(); }";
        let found: Vec<(String, bool, usize)> =
            paths(source, &module).into_iter().map(|p| (p.segments.join("::"), p.in_crate, p.line)).collect();
        let has = |p: &str, line: usize| found.iter().any(|(s, c, l)| s == p && *c && *l == line);
        assert!(has("api::cart::CartDto", 1), "{found:?}");
        assert!(has("backend::guard", 1));
        assert!(has("backend::state::AppState", 1));
        assert!(has("pages::lists", 2));
        assert!(has("pages::lists::SaveAsList", 3));
        assert!(has("format::money", 3));
        assert!(has("pages::cart::g", 3));
        assert!(has("pages::cart::*", 4));
        assert!(has("pages::x::y", 4));
        assert!(has("pages::search::highlighted", 6));
        assert!(found.iter().any(|(s, c, _)| s == "serde::Serialize::f" && !*c));
    }

    #[test]
    fn macro_calls_split_top_level_arguments() {
        let calls = macro_calls(r#"x(tr!(locale, "a.b", count = f(1, 2), sku = s)); // tr!(l, "c.d")"#, "tr");
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].args.len(), 4);
        assert_eq!(calls[0].args[1], vec![Tok::Str("a.b".into())]);
        assert_eq!(calls[0].args[2][0], Tok::Ident("count".into()));
    }

    #[test]
    fn module_paths_follow_files() {
        assert_eq!(module_of(Path::new("pages/lists.rs")), vec!["pages", "lists"]);
        assert_eq!(module_of(Path::new("components/mod.rs")), vec!["components"]);
        assert!(module_of(Path::new("lib.rs")).is_empty());
    }
}
