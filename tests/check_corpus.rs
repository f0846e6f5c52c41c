//! The checker's corpus: every `tests/bad/*.rules` file yields the code named
//! on its first line (`# 期望: E0301`), and its rendered diagnostics are
//! snapshotted; every `tests/good/*.rules` file checks without errors.
//! Together the bad files cover every registered code (see `EXEMPT`).

use cailiang::check::CODES;
use cailiang::diag::Diagnostic;
use cailiang::load;
use cailiang::source::SourceMap;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Codes no corpus file can trigger: internal parser errors, a 16-deep
/// include chain, and numbers the grammar already refuses to lex.
const EXEMPT: &[&str] = &["E0003", "E0006", "E0602"];

fn load_and_check(dir: &Path, name: &str) -> (SourceMap, Vec<Diagnostic>) {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).ok();
    let loaded = load::load(name, &text, &read);
    (loaded.sources, loaded.diagnostics)
}

fn rules_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rules"))
        .collect();
    names.sort();
    names
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

#[test]
fn bad_corpus() {
    let dir = root().join("bad");
    let names = rules_in(&dir);
    assert!(names.len() >= 40, "only {} bad files", names.len());
    let mut covered = BTreeSet::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let expected: Vec<&str> = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# 期望:"))
            .unwrap_or_else(|| panic!("{name}: first line must be `# 期望: CODE`"))
            .split(',')
            .map(str::trim)
            .collect();
        let (sources, diags) = load_and_check(&dir, name);
        let got: Vec<&str> = diags.iter().map(|d| d.code).collect();
        for e in &expected {
            assert!(got.contains(e), "{name}: expected {e}, got {got:?}");
        }
        covered.extend(got.iter().map(|c| c.to_string()));
        let rendered = cailiang::render::diagnostics_human(&sources, &diags);
        insta::assert_snapshot!(name.trim_end_matches(".rules"), rendered);
    }
    let missing: Vec<&str> = CODES
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !covered.contains(*c) && !EXEMPT.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a bad corpus file: {missing:?}"
    );
}

#[test]
fn good_corpus_checks_clean() {
    let dir = root().join("good");
    for name in rules_in(&dir) {
        let (sources, diags) = load_and_check(&dir, &name);
        let errors: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
        assert!(
            errors.is_empty(),
            "{name}:\n{}",
            cailiang::render::diagnostics_human(&sources, &errors)
        );
    }
}

#[test]
fn diagnostics_doc_lists_every_code() {
    let doc = std::fs::read_to_string(root().join("../docs/DIAGNOSTICS.md")).unwrap();
    for (code, _) in CODES {
        assert!(
            doc.contains(&format!("| {code} |")),
            "docs/DIAGNOSTICS.md lacks {code}"
        );
    }
}
