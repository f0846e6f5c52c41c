//! End to end: real rulesets from `rulesets/` (parsed and checked), case
//! files in YAML and JSON, the recommendation, its trace and human rendering.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cailiang::case::{CaseFormat, load_case};
use cailiang::eval::{EvalOptions, Outcome, evaluate, render_human};
use cailiang::model::Ruleset;

fn load(path: &str) -> Ruleset {
    let read = |p: &str| std::fs::read_to_string(p).ok();
    let main = std::fs::read_to_string(path).unwrap();
    let loaded = cailiang::load::load(path, &main, &read);
    for d in &loaded.diagnostics {
        assert!(!d.is_error(), "{path}: {d:?}");
    }
    loaded.ruleset.unwrap()
}

fn tax() -> Ruleset {
    load("rulesets/tax/shouwei-bufa.rules")
}

fn run(rs: &Ruleset, case: &str) -> (String, String) {
    let c = load_case(case, CaseFormat::Yaml, rs).unwrap();
    let r = evaluate(rs, &c, &EvalOptions { trace: true }).unwrap();
    (r.to_json_pretty(), render_human(&r, rs))
}

const PERSON: &str = "  未成年人年龄段: 成年人或单位\n";

#[test]
fn tax_first_offence_is_not_punished() {
    let rs = tax();
    let case = format!(
        "matter: SZ60-1-4\nfacts:\n{PERSON}  首次发生: 是\n  危害后果轻微: 是\n  发现前主动改正: 是\ndates:\n  违法行为发生日: 2023-03-01\n  发现日: 2023-06-01\n  决定日: 2023-07-01\n"
    );
    let c = load_case(&case, CaseFormat::Yaml, &rs).unwrap();
    let r = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    assert_eq!(r.outcome, Outcome::NoPenalty, "{}", r.to_json_pretty());
    assert!(r.obligations.iter().any(|o| o.contains("承诺书")));
    let (json, human) = run(&rs, &case);
    insta::assert_snapshot!("tax_first_offence_json", json);
    insta::assert_snapshot!("tax_first_offence_human", human);
}

#[test]
fn tax_serious_case_and_may_fine() {
    let rs = tax();
    // 情节严重: 二千元 至 一万元, mandatory.
    let case = format!("matter: SZ60-1-4\nfacts:\n{PERSON}  首次发生: 否\n  情节严重: 是\n");
    let c = load_case(&case, CaseFormat::Yaml, &rs).unwrap();
    let r = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    assert_eq!(r.outcome, Outcome::Penalty);
    let f = r.fine.unwrap();
    assert_eq!(f.range.lower.normalize().to_string(), "2000");
    assert_eq!(f.range.upper.unwrap().normalize().to_string(), "10000");
    assert!(f.mandatory);
    // Otherwise: 可以 二千元以下 — the fine itself is an option.
    let case = format!("matter: SZ60-1-4\nfacts:\n{PERSON}  首次发生: 否\n");
    let c = load_case(&case, CaseFormat::Yaml, &rs).unwrap();
    let r = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    let f = r.fine.unwrap();
    assert!(!f.mandatory);
    assert!(!f.range.lower_inclusive);
    assert_eq!(f.range.upper.unwrap().normalize().to_string(), "2000");
    let (json, human) = run(&rs, &case);
    insta::assert_snapshot!("tax_may_fine_json", json);
    insta::assert_snapshot!("tax_may_fine_human", human);
}

#[test]
fn tax_limitation_is_five_years() {
    let rs = tax();
    let case = |discovery: &str| {
        format!(
            "matter: SZ60-3\nfacts:\n{PERSON}  情节严重: 否\ndates:\n  违法行为发生日: 2018-05-01\n  发现日: {discovery}\n"
        )
    };
    let eval = |text: &str| {
        let c = load_case(text, CaseFormat::Yaml, &rs).unwrap();
        evaluate(&rs, &c, &EvalOptions::default()).unwrap().outcome
    };
    assert_eq!(eval(&case("2023-05-01")), Outcome::Penalty);
    assert_eq!(eval(&case("2023-05-02")), Outcome::TimeBarred);
}

#[test]
fn tax_evasion_multiple_of_base_and_missing_base() {
    let rs = tax();
    let case = format!("matter: SZ63\nfacts:\n{PERSON}  不缴或少缴税款: 12,345.67元\n");
    let c = load_case(&case, CaseFormat::Yaml, &rs).unwrap();
    let r = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    let f = r.fine.unwrap().range;
    assert_eq!(f.lower.normalize().to_string(), "6172.835");
    assert_eq!(f.upper.unwrap().normalize().to_string(), "61728.35");
    // Missing base: an envelope, the fact named.
    let c = load_case(
        &format!("matter: SZ63\nfacts:\n{PERSON}"),
        CaseFormat::Yaml,
        &rs,
    )
    .unwrap();
    let r = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    assert!(r.missing_facts.contains(&"不缴或少缴税款"));
    assert!(r.fine.unwrap().range.upper.is_none());
}

#[test]
fn tax_minor_gets_lighter_or_reduced_options() {
    let rs = tax();
    let case = "{\"matter\": \"SZ60-3\", \"facts\": {\"未成年人年龄段\": \"已满十四周岁不满十八周岁\", \"情节严重\": \"是\"}}";
    let c = load_case(case, CaseFormat::Json, &rs).unwrap();
    let r = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    assert_eq!(r.outcome, Outcome::Penalty);
    assert_eq!(
        r.options.iter().filter(|o| o.required).count(),
        2,
        "{}",
        r.to_json_pretty()
    );
    let human = render_human(&r, &rs);
    assert!(human.contains("应当（择一）从轻处罚"), "{human}");
}

#[test]
fn every_real_ruleset_evaluates_every_matter_without_facts() {
    for path in [
        "rulesets/tax/shouwei-bufa.rules",
        "rulesets/jiangmen/no-penalty-list-2021.rules",
    ] {
        let rs = load(path);
        for i in 0..rs.matters.len() {
            let c = cailiang::case::Case::new(&rs, cailiang::model::MatterId(i as u32));
            let r = evaluate(&rs, &c, &EvalOptions { trace: true }).unwrap();
            assert!(!r.possible_outcomes.is_empty());
            let _ = render_human(&r, &rs);
        }
    }
}
