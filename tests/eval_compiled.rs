//! The compiled form (`Evaluator`) gives exactly what the interpreter
//! (`evaluate`) gives: on every bundled scenario (and variants of each with
//! other dates and with one fact forgotten), and on the benchmark's graded
//! matter, where its fast path must be taken. The generated-model property
//! lives in `eval_props.rs` (`compiled_agrees_with_interpreter`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cailiang::case::Case;
use cailiang::cli::{collect_scenarios, load_path};
use cailiang::eval::{EvalOptions, Evaluator, evaluate};
use cailiang::value::Date;
use std::path::{Path, PathBuf};

#[path = "../benches/support/mod.rs"]
mod support;

/// Compares both paths on one case (trace off and on); true when the fast
/// path was taken.
fn agree(ev: &Evaluator<'_>, case: &Case, what: &str) -> bool {
    let rs = ev.ruleset();
    for trace in [false, true] {
        let opts = EvalOptions { trace };
        let a = ev.evaluate(case, &opts);
        let b = evaluate(rs, case, &opts);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{what} (trace {trace})");
                assert_eq!(a.to_json(), b.to_json(), "{what} (trace {trace})");
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{what}"),
            (a, b) => panic!("{what}: {:?} vs {:?}", a.is_ok(), b.is_ok()),
        }
    }
    ev.takes_fast_path(case, &EvalOptions::default())
}

#[test]
fn compiled_agrees_on_every_bundled_scenario() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rulesets");
    let files = collect_scenarios(&[root]).unwrap();
    let (mut cases, mut fast, mut variants, mut compiled_cases) = (0usize, 0usize, 0usize, 0usize);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let sf = cailiang::scenario::parse(&text).unwrap();
        let rpath = file.parent().unwrap_or(Path::new(".")).join(&sf.ruleset);
        let loaded = load_path(&rpath).unwrap();
        let Some(rs) = loaded.ruleset.as_ref() else {
            continue;
        };
        let ev = Evaluator::new(rs);
        for sc in &sf.cases {
            let Ok(case) = sc.case.resolve(rs) else {
                continue;
            };
            let what = format!("{} / {}", file.display(), sc.name);
            cases += 1;
            let took = agree(&ev, &case, &what);
            fast += usize::from(took);
            // The fast path is taken exactly when the matter is compiled and
            // the interpreter has nothing to warn about, explore or ask.
            let r = evaluate(rs, &case, &EvalOptions::default()).unwrap();
            let clean = case.matters.len() == 1
                && r.warnings.is_empty()
                && r.missing_facts.is_empty()
                && r.needs_judgement.is_empty();
            let compiled = case.matters.iter().all(|m| ev.is_compiled(*m));
            assert_eq!(
                took,
                compiled && clean,
                "{what}: fast path {took}, compiled {compiled}, clean {clean}"
            );
            compiled_cases += usize::from(compiled);
            // Other dates: time-barred, no dates, the decision date alone.
            let shifted = |c: &Case, years: i32| {
                let mut c = c.clone();
                c.discovery_date = c
                    .act_date
                    .and_then(|d| Date::new(d.year + years, d.month, d.day.min(28)));
                c
            };
            for c in [shifted(&case, 1), shifted(&case, 3)] {
                agree(&ev, &c, &format!("{what} (dates shifted)"));
                variants += 1;
            }
            let mut undated = case.clone();
            undated.act_date = None;
            undated.discovery_date = None;
            agree(&ev, &undated, &format!("{what} (no dates)"));
            // One fact forgotten at a time.
            for i in 0..case.facts.len() {
                if case.facts[i].is_some() {
                    let mut c = case.clone();
                    c.facts[i] = None;
                    agree(&ev, &c, &format!("{what} (fact {i} unknown)"));
                    variants += 1;
                }
            }
        }
    }
    eprintln!(
        "{cases} scenario cases ({compiled_cases} of compiled matters, {fast} on the fast path), {variants} variants"
    );
    assert!(cases >= 400, "only {cases} scenario cases");
    assert!(
        fast >= 50,
        "fast path taken for only {fast} of {cases} cases"
    );
}

#[test]
fn the_graded_benchmark_matter_takes_the_fast_path() {
    let (rs, ids) = support::bench_ruleset();
    let gens = support::generate::graded_cases(20_000, 11);
    let fast = support::check_compiled_agrees(&rs, &ids, &gens);
    // Every generated case states every fact.
    assert_eq!(fast, gens.len());
    // The weighted matter is not compiled (the interpreter evaluates it);
    // the listed matter is.
    let ev = Evaluator::new(&rs);
    assert!(ev.is_compiled(ids.graded));
    assert!(!ev.is_compiled(ids.weighted));
    assert!(ev.is_compiled(ids.listed));
}
