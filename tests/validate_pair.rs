//! The real superior/refinement pair in `rulesets/pair/` (national tax rules
//! and the Zhejiang 地税 rows that refine them) and the deliberately
//! defective refinement derived from it: the findings are exactly the
//! documented ones, every planted defect is reported, and every witness is
//! checked by evaluating it against both rulesets (`cailiang::case` +
//! `cailiang::eval`). Snapshots of the rendered findings use the renderer the
//! CLI uses (`render::diagnostics_human`).

use cailiang::case::{self, CaseFormat};
use cailiang::eval::{self, EvalOptions, Recommendation};
use cailiang::load::{self, LoadedPair};
use cailiang::model::Ruleset;
use cailiang::render::diagnostics_human;
use cailiang::validate::{self, CaseDoc, Finding};
use std::collections::BTreeMap;

const REAL: &str = "rulesets/pair/zhejiang-refines-national.rules";
const DEFECTIVE: &str = "rulesets/pair/zhejiang-defective.rules";

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn run(path: &str) -> (LoadedPair, Vec<Finding>, String) {
    let text = read(path).unwrap();
    let pair = load::load_with_superior(path, &text, None, &read);
    assert!(
        !cailiang::diag::has_errors(&pair.diagnostics),
        "{}",
        diagnostics_human(&pair.sources, &pair.diagnostics)
    );
    let t = pair.township.as_ref().unwrap();
    let s = pair.superior.as_ref().expect("the superior named by 细化");
    let mut fs = validate::analyse(t);
    fs.extend(validate::validate(t, s));
    let rendered = diagnostics_human(&pair.sources, &validate::diagnostics(&fs));
    (pair, fs, rendered)
}

/// (code, matter) → count.
fn census(fs: &[Finding]) -> BTreeMap<(String, String), usize> {
    let mut m = BTreeMap::new();
    for f in fs {
        *m.entry((
            f.diagnostic.code.to_string(),
            f.matter.clone().unwrap_or_default(),
        ))
        .or_insert(0) += 1;
    }
    m
}

fn expect(list: &[(&str, &str, usize)]) -> BTreeMap<(String, String), usize> {
    list.iter()
        .map(|(c, m, n)| ((c.to_string(), m.to_string()), *n))
        .collect()
}

/// A witness case as a case file, evaluated against one ruleset. Facts the
/// witness leaves out (no table condition reads them) take their defaults;
/// 首次发生 has none and decides the 首违不罚 list, so it is stated (否)
/// unless the witness gives it: the comparison is then about the tables.
fn eval_doc<'r>(rs: &'r Ruleset, doc: &CaseDoc) -> Option<Recommendation<'r>> {
    let mut facts = doc.facts.clone();
    facts
        .entry("首次发生".to_string())
        .or_insert_with(|| "否".to_string());
    let mut yaml = format!("matter: {}\nfacts:\n", doc.matter);
    for (k, v) in &facts {
        // Each side reads only the facts it declares (a township fact the
        // superior lacks is V0211: the superior's result holds for every value).
        if !rs.facts.iter().any(|f| &f.name == k) {
            continue;
        }
        yaml.push_str(&format!("  {k}: \"{v}\"\n"));
    }
    let d = doc
        .dates
        .map(|d| d.decision.to_string())
        .unwrap_or_else(|| "2024-06-01".to_string());
    yaml.push_str(&format!(
        "dates: {{ act: {d}, discovery: {d}, decision: {d} }}\n"
    ));
    let case = case::load_case(&yaml, CaseFormat::Yaml, rs).ok()?;
    eval::evaluate(rs, &case, &EvalOptions::default()).ok()
}

/// What a recommendation decides, in comparable words: outcome, fine,
/// statutory range, other sanctions (statute's and grade's, with modality).
fn decided(r: &Recommendation) -> String {
    format!(
        "{:?} | fine {:?} | statutory {:?} | {}",
        r.outcome,
        r.fine.map(|f| (f.range, f.mandatory)),
        r.statutory_range,
        sanctions(r)
    )
}

/// The other sanctions a recommendation carries (statute's and grade's).
fn sanctions(r: &Recommendation) -> String {
    let mut sanctions: Vec<String> = r
        .sanctions
        .statute
        .iter()
        .chain(r.sanctions.grade.iter())
        .map(|o| format!("{:?} {}", o.modality, o.name))
        .collect();
    sanctions.sort();
    sanctions.dedup();
    sanctions.join(", ")
}

fn has_warning(r: &Recommendation, code: &str) -> bool {
    r.warnings.iter().any(|w| w.code == code)
}

/// Whether a witness case really shows a disagreement: the two rulesets
/// decide it differently, or the refinement's own benchmark lies outside the
/// statute the superior applies (the evaluator clamps it and says so), or
/// one ruleset is not in force on the day, or the refinement's table gives
/// no grade (a gap: only the statute remains, the benchmark says nothing).
fn really_disagrees(t: &Ruleset, s: &Ruleset, doc: &CaseDoc) -> (bool, String) {
    let (Some(a), Some(b)) = (eval_doc(t, doc), eval_doc(s, doc)) else {
        return (false, format!("witness does not evaluate: {doc:?}"));
    };
    let (da, db) = (decided(&a), decided(&b));
    let graded = t
        .matters
        .iter()
        .any(|m| m.id == doc.matter && matches!(m.table, cailiang::model::Table::Graded(_)));
    let yes = da != db
        || (graded && a.grade.is_none())
        || has_warning(&a, "clamped")
        || has_warning(&a, "not_in_force") != has_warning(&b, "not_in_force");
    (yes, format!("township: {da}\nsuperior: {db}"))
}

/// The real pair's findings, documented in the ruleset's header and in
/// rulesets/pair/README.md.
const REAL_FINDINGS: &[(&str, &str, usize)] = &[
    // The document's own gaps and overlaps (table analysis).
    ("V0101", "SZ60-1-1", 1),
    ("V0102", "SZ60-1-1", 1),
    ("V0102", "SZ60-1-2", 2),
    // Effective date unknown; the superior (the 2021 list) starts 2021-04-01.
    ("V0208", "", 1),
    // Superior matters the Zhejiang rows do not refine.
    ("V0201", "SZ63", 1),
    ("V0201", "FP37", 1),
    ("V0201", "FP41", 1),
    // Zhejiang facts the national statute does not have.
    ("V0211", "SZ60-1-1", 3),
    ("V0211", "SZ60-1-2", 3),
    // SZ60-1-1: gap; grade 1 under 情节严重 (单位, 个人); grade 2 without
    // 情节严重.
    ("V0204", "SZ60-1-1", 4),
    // SZ60-3: 责令限期改正 added to both grades (a real textual difference).
    ("V0204", "SZ60-3", 2),
    // SZ60-1-2: grade 1 under 情节严重 (单位, 个人); grades 2 and 3 without
    // 情节严重.
    ("V0204", "SZ60-1-2", 4),
];

#[test]
fn the_real_pair_reports_exactly_the_documented_findings() {
    let (pair, fs, rendered) = run(REAL);
    assert_eq!(census(&fs), expect(REAL_FINDINGS), "{rendered}");
    let t = pair.township.as_ref().unwrap();
    let s = pair.superior.as_ref().unwrap();
    // The national 首违不罚 list is carried unchanged: no list finding.
    assert!(
        fs.iter()
            .all(|f| !matches!(f.diagnostic.code, "V0206" | "V0207")),
        "{rendered}"
    );
    // Every witness of a refinement finding really disagrees when
    // evaluated; table-analysis witnesses (one ruleset) evaluate.
    for f in &fs {
        let Some(w) = &f.witness else { continue };
        if f.diagnostic.code.starts_with("V01") {
            for c in &w.cases {
                assert!(eval_doc(t, &c.case).is_some(), "{:?}", c.case);
            }
            continue;
        }
        for c in &w.cases {
            let (yes, why) = really_disagrees(t, s, &c.case);
            {
                assert!(yes, "{}: no disagreement\n{why}", f.diagnostic.message);
            }
        }
    }
    for f in fs
        .iter()
        .filter(|f| matches!(f.diagnostic.code, "V0101" | "V0102" | "V0204" | "V0208"))
    {
        assert!(f.witness.is_some(), "{} lacks a witness", f.diagnostic.code);
    }
    insta::assert_snapshot!("pair_real", rendered);
}

/// Each planted defect: code, matter, a fragment of the message, whether the
/// validator gives a witness (declaration-only findings have none).
const PLANTED: &[(&str, &str, &str, bool)] = &[
    ("V0204", "SZ60-3", "1万元至6万元", true),
    ("V0207", "", "第 4 项的条件比上级宽", true),
    ("V0207", "", "第 15 项在上级清单中没有", false),
    ("V0208", "", "2020-01-01", true),
    ("V0209", "", "从轻", false),
    ("V0210", "", "多阶次", false),
    ("V0202", "DJ44", "DJ44", false),
    ("V0203", "SZ60-1-4", "SZ60-1-4", true),
];

#[test]
fn every_planted_defect_is_reported_with_a_witness_that_really_disagrees() {
    let (pair, fs, rendered) = run(DEFECTIVE);
    let t = pair.township.as_ref().unwrap();
    let s = pair.superior.as_ref().unwrap();
    for (code, matter, fragment, witnessed) in PLANTED {
        let f = fs
            .iter()
            .find(|f| {
                f.diagnostic.code == *code
                    && f.matter.as_deref().unwrap_or("") == *matter
                    && f.diagnostic.message.contains(fragment)
            })
            .unwrap_or_else(|| panic!("{code} {matter} {fragment} missing:\n{rendered}"));
        let files: std::collections::BTreeSet<_> =
            f.diagnostic.labels.iter().map(|l| l.span.file).collect();
        assert!(files.len() >= 2, "{code} labels one file only");
        if !witnessed {
            continue;
        }
        let w = f
            .witness
            .as_ref()
            .unwrap_or_else(|| panic!("{code} {fragment}: no witness"));
        for c in &w.cases {
            let (yes, why) = really_disagrees(t, s, &c.case);
            assert!(yes, "{code} {fragment}: no disagreement\n{why}");
        }
    }
    // Nothing of the real pair's list or statutes is reported beyond the
    // planted defects.
    let lists = fs.iter().filter(|f| f.diagnostic.code == "V0207").count();
    assert_eq!(lists, 2, "{rendered}");
    let statutes: Vec<_> = fs
        .iter()
        .filter(|f| f.diagnostic.code == "V0203")
        .map(|f| f.matter.clone())
        .collect();
    assert_eq!(statutes, vec![Some("SZ60-1-4".to_string())], "{rendered}");
    insta::assert_snapshot!("pair_defective", rendered);
}

/// A real pair that conforms: 磐安县民政局 publishes the provincial
/// benchmark as its own (a lower body applying its superior's benchmark
/// directly); validation finds nothing at all.
#[test]
fn the_county_that_applies_the_provincial_benchmark_directly_conforms() {
    let (_, fs, rendered) = run("rulesets/pair/panan-civil-affairs-county.rules");
    assert!(fs.is_empty(), "{rendered}");
}
