//! Loading a ruleset: its main file and the files it includes (`引用`),
//! parsed and handed to the checker.
//!
//! Reading files is injected as a function, so loading stays pure and
//! testable: the CLI passes one that reads the file system, tests an
//! in-memory map, a case system whatever store it keeps rulesets in.

use crate::diag::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::{self, ast};
use std::path::Path;

/// Deepest chain of includes accepted.
pub const MAX_INCLUDE_DEPTH: usize = 16;

/// The parsed files of one ruleset, main file first, then includes in the
/// order they are first met (depth first).
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Every file read.
    pub sources: SourceMap,
    /// Syntax trees of the files that parsed.
    pub files: Vec<(FileId, ast::File)>,
    /// Syntax and include errors.
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves `target` written in the file named `from` (relative to its folder).
pub fn resolve(from: &str, target: &str) -> String {
    let t = Path::new(target);
    if t.is_absolute() {
        return target.to_string();
    }
    let joined = match Path::new(from).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(t),
        _ => t.to_path_buf(),
    };
    normalize(&joined.to_string_lossy())
}

fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let absolute = p.starts_with('/');
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Parses `main` (named `name`) and, through `read`, every file it includes.
pub fn parse_with_includes(
    name: &str,
    main: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Parsed {
    parse_into(SourceMap::new(), name, main, read)
}

/// [`parse_with_includes`] into a source map that already holds other
/// files (e.g. a township's, when its superior is loaded next): ids go on
/// from there, and "include once" counts only the files of this load.
fn parse_into(
    sources: SourceMap,
    name: &str,
    main: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Parsed {
    let mut out = Parsed {
        sources,
        ..Parsed::default()
    };
    let id = out.sources.add(name, main);
    let mut stack = vec![name.to_string()];
    visit(&mut out, id, read, &mut stack, id.0);
    out
}

fn visit(
    out: &mut Parsed,
    id: FileId,
    read: &dyn Fn(&str) -> Option<String>,
    stack: &mut Vec<String>,
    base: u32,
) {
    let Some(file) = out.sources.get(id) else {
        return;
    };
    let (name, text) = (file.name.clone(), file.text.clone());
    let tree = match syntax::parse(id, &text) {
        Ok(t) => t,
        Err(ds) => {
            out.diagnostics.extend(ds);
            return;
        }
    };
    let includes: Vec<ast::Text> = tree
        .items
        .iter()
        .filter_map(|i| match i {
            ast::Item::Include(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    out.files.push((id, tree));
    for inc in includes {
        let path = resolve(&name, &inc.value);
        if stack.contains(&path) {
            out.diagnostics.push(
                Diagnostic::error(
                    "E0601",
                    format!(
                        "引用成环：{} 又引用了正在读取的 {path}；请删去其中一处引用",
                        name
                    ),
                )
                .with_primary(inc.span, "循环引用"),
            );
            continue;
        }
        if out
            .sources
            .iter()
            .any(|(fid, f)| fid.0 >= base && f.name == path)
        {
            continue; // already included elsewhere: include once
        }
        if stack.len() >= MAX_INCLUDE_DEPTH {
            out.diagnostics.push(
                Diagnostic::error(
                    "E0602",
                    format!("引用层数超过 {MAX_INCLUDE_DEPTH} 层；请减少嵌套引用"),
                )
                .with_primary(inc.span, "引用过深"),
            );
            continue;
        }
        match read(&path) {
            Some(text) => {
                let child = out.sources.add(path.clone(), text);
                stack.push(path);
                visit(out, child, read, stack, base);
                stack.pop();
            }
            None => out.diagnostics.push(
                Diagnostic::error(
                    "E0603",
                    format!("找不到引用的文件 {path}；请检查路径（相对于 {name} 所在目录）"),
                )
                .with_primary(inc.span, "文件不存在"),
            ),
        }
    }
}

/// The span of a whole file, for diagnostics about a file as such.
pub fn file_span(sources: &SourceMap, id: FileId) -> Span {
    Span::new(
        id,
        0,
        sources.get(id).map(|f| f.text.len().min(1)).unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve("rulesets/a/b.rules", "../prelude.rules"),
            "rulesets/prelude.rules"
        );
        assert_eq!(resolve("b.rules", "c.rules"), "c.rules");
        assert_eq!(resolve("x/b.rules", "./c.rules"), "x/c.rules");
    }

    #[test]
    fn includes_are_read_once_and_cycles_reported() {
        let mut fs = BTreeMap::new();
        fs.insert("a.rules", "引用 \"b.rules\"\n引用 \"c.rules\"");
        fs.insert("b.rules", "引用 \"c.rules\"");
        fs.insert("c.rules", "引用 \"a.rules\"");
        let read = |p: &str| fs.get(p).map(|s| s.to_string());
        let parsed = parse_with_includes("a.rules", fs["a.rules"], &read);
        assert_eq!(parsed.files.len(), 3);
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].code, "E0601");
    }

    #[test]
    fn a_missing_include_is_an_error_with_the_resolved_path() {
        let read = |_: &str| None;
        let parsed = parse_with_includes("dir/a.rules", "引用 \"../x.rules\"", &read);
        assert_eq!(parsed.diagnostics[0].code, "E0603");
        assert!(parsed.diagnostics[0].message.contains("x.rules"));
    }
}

/// A loaded ruleset: its sources, the checked model (when there are no
/// errors) and every diagnostic.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Every file read.
    pub sources: SourceMap,
    /// The checked ruleset, `None` when there were errors.
    pub ruleset: Option<crate::model::Ruleset>,
    /// Syntax, include and checker diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks the ruleset `main` named `name`, reading what it
/// includes (and testing that what it refines exists) through `read`.
pub fn load(name: &str, main: &str, read: &dyn Fn(&str) -> Option<String>) -> Loaded {
    load_into(SourceMap::new(), name, main, read)
}

/// [`load`] into a source map that already holds other files.
fn load_into(
    sources: SourceMap,
    name: &str,
    main: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Loaded {
    let parsed = parse_into(sources, name, main, read);
    let sources = parsed.sources;
    let mut diagnostics = parsed.diagnostics;
    let syntax_failed = crate::diag::has_errors(&diagnostics);
    let exists = |file: FileId, path: &str| {
        let from = sources.get(file).map(|f| f.name.as_str()).unwrap_or("");
        let full = resolve(from, path);
        sources.find(&full).is_some() || read(&full).is_some()
    };
    let options = crate::check::Options {
        path_exists: Some(&exists),
    };
    let (ruleset, check_diags) = if parsed.files.is_empty() {
        (None, Vec::new())
    } else {
        crate::check::check_with(&parsed.files, &sources, &options)
    };
    diagnostics.extend(check_diags);
    let ruleset = if syntax_failed { None } else { ruleset };
    Loaded {
        sources,
        ruleset,
        diagnostics,
    }
}

/// A township (or any refining) ruleset and its superior, loaded into one
/// [`SourceMap`] so that a diagnostic can label both (validation).
#[derive(Debug, Clone)]
pub struct LoadedPair {
    /// Every file of both rulesets (the township's first).
    pub sources: SourceMap,
    /// The refining ruleset, `None` when it has errors.
    pub township: Option<crate::model::Ruleset>,
    /// The superior's path as resolved, `None` when there is none to load.
    pub superior_name: Option<String>,
    /// The superior ruleset, `None` when it has errors or could not be read.
    pub superior: Option<crate::model::Ruleset>,
    /// Whether the superior's main file could not be read.
    pub superior_unreadable: bool,
    /// Diagnostics of both loads.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the ruleset `main` named `name`, then its superior into the same
/// source map: the file named `superior` when given (as a path the reader
/// accepts), else the township's own `细化` resolved against `name`.
pub fn load_with_superior(
    name: &str,
    main: &str,
    superior: Option<&str>,
    read: &dyn Fn(&str) -> Option<String>,
) -> LoadedPair {
    let first = load(name, main, read);
    let sup_name = superior.map(str::to_string).or_else(|| {
        first
            .ruleset
            .as_ref()
            .and_then(|r| r.meta.refines.as_ref())
            .map(|r| resolve(name, r))
    });
    let mut pair = LoadedPair {
        sources: first.sources,
        township: first.ruleset,
        superior_name: sup_name.clone(),
        superior: None,
        superior_unreadable: false,
        diagnostics: first.diagnostics,
    };
    let Some(sup_name) = sup_name else {
        return pair;
    };
    let Some(text) = read(&sup_name) else {
        pair.superior_unreadable = true;
        return pair;
    };
    let second = load_into(std::mem::take(&mut pair.sources), &sup_name, &text, read);
    pair.sources = second.sources;
    pair.superior = second.ruleset;
    pair.diagnostics.extend(second.diagnostics);
    pair
}
