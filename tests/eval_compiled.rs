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

/// The grade guards over a number and an enum fact are decided by a table
/// (one comparison per boundary): every boundary, inclusive and exclusive
/// end, scale (100 = 100.0 = 100.00), enum value beyond those the guards
/// name, `其他` in the middle, both `多阶次` policies and missing facts give
/// exactly what the interpreter gives.
#[test]
fn indexed_grade_guards_agree_with_the_interpreter() {
    use cailiang::model::{FactId, MatterId, Value};
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let matter = r#"
事项 G-1 "分档" {
  事实 {
    面积: 数量 平方米
    区域: 枚举(一般区域, 重点区域, 其他区域, 核心区域)
  }
  法定 { 罚款 1万 至 10万 }
  阶次 1 "小" 当 面积 不满50平方米 且 区域 = 一般区域 { 罚款 1万 至 2万 }
  阶次 2 "中" 当 面积 达到50平方米 且 面积 不满100.0平方米 { 罚款 2万 至 3万 }
  阶次 3 "其他" 其他 { 罚款 3万 至 4万 }
  阶次 4 "重点" 当 区域 = 重点区域 { 罚款 4万 至 5万 }
  阶次 5 "大" 当 面积 超过100平方米 且 面积 150.00平方米以下 且 区域 = 一般区域 { 罚款 5万 至 8万 }
  阶次 6 "巨" 当 面积 超过150平方米 { 罚款 8万 至 10万 }
}
"#;
    let areas = [
        "0", "49.99", "50", "50.0", "75", "99.999", "100", "100.00", "100.01", "150", "150.000",
        "150.5", "1000",
    ];
    let mut fast = 0;
    for several in ["首个", "从重"] {
        for ends in ["以上含本数 以下含本数", "以上含本数 以下不含本数"] {
            let text = format!(
                "规则集 \"g\" {{\n  边界 {ends}\n  政策 {{ 多阶次: {several} }}\n}}\n{matter}"
            );
            let rs = support::load("g.rules", &text);
            let ev = Evaluator::new(&rs);
            assert!(ev.is_compiled(MatterId(0)));
            let fact =
                |name: &str| FactId(rs.facts.iter().position(|f| f.name == name).unwrap() as u32);
            let (area, zone) = (fact("面积"), fact("区域"));
            let mut areas: Vec<Option<&str>> = areas.iter().copied().map(Some).collect();
            areas.push(None);
            for a in &areas {
                for z in [None, Some(0u16), Some(1), Some(2), Some(3)] {
                    let mut c = Case::new(&rs, MatterId(0));
                    if let Some(a) = a {
                        c.set(area, Value::Number(Decimal::from_str(a).unwrap()));
                    }
                    if let Some(z) = z {
                        c.set(zone, Value::Enum(z));
                    }
                    c.act_date = Some(Date {
                        year: 2024,
                        month: 1,
                        day: 1,
                    });
                    c.discovery_date = Some(Date {
                        year: 2024,
                        month: 2,
                        day: 1,
                    });
                    c.decision_date = Some(Date {
                        year: 2024,
                        month: 3,
                        day: 1,
                    });
                    let what = format!("{several} {ends} 面积 {a:?} 区域 {z:?}");
                    fast += usize::from(agree(&ev, &c, &what));
                }
            }
        }
    }
    assert!(fast >= 200, "fast path taken for only {fast} cases");
}

/// How many of the bundled rulesets' matters the compiled form covers (the
/// rulesets the scenario files load, each once). Prints the count; the
/// floor only guards against a shape silently dropping out.
#[test]
fn compiled_coverage_of_bundled_matters() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rulesets");
    let files = collect_scenarios(&[root]).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let (mut matters, mut compiled) = (0usize, 0usize);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let sf = cailiang::scenario::parse(&text).unwrap();
        let rpath = file.parent().unwrap_or(Path::new(".")).join(&sf.ruleset);
        let rpath = rpath.canonicalize().unwrap_or(rpath);
        if !seen.insert(rpath.clone()) {
            continue;
        }
        let loaded = load_path(&rpath).unwrap();
        let Some(rs) = loaded.ruleset.as_ref() else {
            continue;
        };
        let ev = Evaluator::new(rs);
        for (i, m) in rs.matters.iter().enumerate() {
            let id = cailiang::model::MatterId(u32::try_from(i).unwrap());
            let c = ev.is_compiled(id);
            matters += 1;
            compiled += usize::from(c);
            if std::env::var_os("COVERAGE_LIST").is_some() && !c {
                eprintln!("not compiled: {} {} {}", rpath.display(), m.id, m.name);
            }
        }
    }
    eprintln!(
        "{compiled} of {matters} bundled matters compiled ({} rulesets)",
        seen.len()
    );
    assert!(compiled * 10 >= matters * 7, "{compiled} of {matters}");
}

/// A statute whose fine is a switch (情节严重的 …): one compiled slot per
/// arm — arms with their own modality, an arm without a fine, `其他`,
/// grades inside and outside an arm's range, a matter without a table —
/// agrees with the interpreter on every combination of the facts, known
/// or not.
#[test]
fn statute_fine_switches_agree_with_the_interpreter() {
    use cailiang::model::{FactId, MatterId, Value};
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let text = r#"
规则集 "s" { 边界 以上含本数 以下不含本数 }
事实 { 主动: 是否 }
情节 主动消除 "主动消除危害后果" { 应当 从轻 当 主动 }
事项 S-1 "分支" {
  事实 {
    严重: 是否
    金额: 金额
  }
  法定 { 罚款 { 当 严重: 5000元 至 50万元; 当 金额 1万元以上: 1000元 至 10万元; 其他: 可以 10万元以下 } }
  阶次 1 "轻" 当 金额 5000元以下 { 罚款 1000元 至 3万元 }
  阶次 2 "重" 其他 { 罚款 3万元 至 6万元 }
}
事项 S-2 "无表" {
  事实 { 严重: 是否 }
  法定 { 罚款 { 当 严重: 1万元 至 10万元; 其他: 无 } }
}
"#;
    let rs = support::load("s.rules", text);
    let ev = Evaluator::new(&rs);
    let fact = |name: &str, owner: Option<MatterId>| {
        FactId(
            rs.facts
                .iter()
                .position(|f| f.name == name && f.owner == owner)
                .unwrap() as u32,
        )
    };
    let mut fast = 0;
    for mi in [0u32, 1] {
        let m = MatterId(mi);
        assert!(ev.is_compiled(m), "matter {mi} compiled");
        let serious = fact("严重", Some(m));
        let amount = rs
            .facts
            .iter()
            .position(|f| f.name == "金额" && f.owner == Some(m))
            .map(|i| FactId(i as u32));
        let active = fact("主动", None);
        let amounts: &[Option<&str>] = if amount.is_some() {
            &[
                None,
                Some("0"),
                Some("4999.99"),
                Some("5000"),
                Some("9999"),
                Some("10000"),
                Some("60000"),
            ]
        } else {
            &[None]
        };
        for s in [None, Some(true), Some(false)] {
            for a in amounts {
                for act in [None, Some(true), Some(false)] {
                    let mut c = Case::new(&rs, m);
                    if let Some(s) = s {
                        c.set(serious, Value::Bool(s));
                    }
                    if let (Some(f), Some(a)) = (amount, a) {
                        c.set(f, Value::Number(Decimal::from_str(a).unwrap()));
                    }
                    if let Some(x) = act {
                        c.set(active, Value::Bool(x));
                    }
                    c.act_date = Date::new(2024, 1, 1);
                    c.discovery_date = Date::new(2024, 2, 1);
                    c.decision_date = Date::new(2024, 3, 1);
                    let what = format!("matter {mi} 严重 {s:?} 金额 {a:?} 主动 {act:?}");
                    fast += usize::from(agree(&ev, &c, &what));
                }
            }
        }
    }
    assert!(fast >= 20, "fast path taken for only {fast} cases");
}
