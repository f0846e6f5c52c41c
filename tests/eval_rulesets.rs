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

#[test]
fn a_conditional_sanction_applies_only_when_its_condition_holds() {
    // 固废法 第一百零二条 style: "情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭".
    let text = "规则集 \"条件并处\" { 边界 以上含本数 以下含本数 }\n事项 G-1 \"未依法公开信息\" {\n  事实 { 情节严重: 是否 默认 否 }\n  法定 {\n    罚款 5万 至 20万\n    并处 责令改正\n    可以并处 \"责令停业或者关闭\" 需批准 当 情节严重\n  }\n  阶次 1 \"一般\" 其他 { 说明 \"照抄法定幅度\"; 罚款 5万 至 20万 }\n}\n";
    let loaded = cailiang::load::load("g.rules", text, &|_| None);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    let rs = loaded.ruleset.unwrap();
    let eval = |facts: &str| {
        let c = load_case(
            &format!("matter: G-1\nfacts: {facts}\n"),
            CaseFormat::Yaml,
            &rs,
        )
        .unwrap();
        let r = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
        r.sanctions
            .iter()
            .map(|s| s.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(eval("{ 情节严重: 否 }"), vec!["责令改正"]);
    assert_eq!(
        eval("{ 情节严重: 是 }"),
        vec!["责令改正", "责令停业或者关闭"]
    );
    // Not established: the envelope keeps it (it may apply) and asks for the fact.
    let c = load_case(
        "matter: G-1\nfacts: { 情节严重: ~ }\n",
        CaseFormat::Yaml,
        &rs,
    )
    .unwrap();
    let r = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    assert!(
        r.missing_facts.contains(&"情节严重"),
        "{:?}",
        r.missing_facts
    );
    assert!(r.sanctions.iter().any(|s| s.name == "责令停业或者关闭"));
}

#[test]
fn cong_jiu_cong_qing_weighs_other_sanctions_and_never_picks_silently() {
    // Old law: 5万–10万. New law (from 2025-03-01): a lower fine, but 吊销 added.
    let text = "规则集 \"两版\" { 边界 以上含本数 以下含本数 }\n事项 A \"甲\" {\n  法定 至 2025-02-28 { 罚款 5万 至 10万 }\n  法定 自 2025-03-01 { 罚款 1万 至 5万; 并处 吊销许可证件 }\n}\n事项 B \"乙\" {\n  法定 至 2025-02-28 { 罚款 1万 至 5万; 并处 吊销许可证件 }\n  法定 自 2025-03-01 { 罚款 1万 至 5万 }\n}\n";
    let loaded = cailiang::load::load("v.rules", text, &|_| None);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    let rs = loaded.ruleset.unwrap();
    let eval = |m: &str| {
        let c = load_case(
            &format!("matter: {m}\ndates: {{ act: 2025-01-10, discovery: 2025-02-01, decision: 2025-04-01 }}\n"),
            CaseFormat::Yaml,
            &rs,
        )
        .unwrap();
        evaluate(&rs, &c, &EvalOptions::default()).unwrap()
    };
    // A: lighter fine, heavier sanctions → the act-time law, and a judgement with both.
    let a = eval("A");
    assert_eq!(a.fine.unwrap().range.lower.to_string(), "50000");
    assert_eq!(a.needs_judgement.len(), 1);
    assert_eq!(a.needs_judgement[0].candidates.len(), 2);
    // B: equal fines, the new law drops 吊销 → the new law is lighter.
    let b = eval("B");
    assert!(b.needs_judgement.is_empty());
    assert!(b.sanctions.iter().all(|s| s.name != "吊销许可证件"));
}

#[test]
fn hyphen_ranges_from_real_tables_evaluate_to_the_written_amounts() {
    // 连云港 渔业处罚自由裁量基准(2022版): "12米以下渔船 … 处罚款0.8万-1.2万",
    // "12米-24米机动渔船 … 处罚款1万-1.5万" (the rows overlap at 12米 as written).
    // 盘锦市大洼区教育局 (2023): "處違法所得2-4倍罰款" under "違法所得一倍以上五倍以下".
    // The statute block of Y-1 is an assumption of this test, not quoted law.
    let text = "规则集 \"记号\" { 边界 以上含本数 以下含本数; 政策 { 多阶次: 从重 } }\n\
事项 Y-1 \"渔船违法\" {\n  事实 { 船长: 数量 米 }\n  法定 { 罚款 5万以下 }\n\
  阶次 1 \"12米以下渔船\" 当 船长 12米以下 { 罚款 0.8万-1.2万 }\n\
  阶次 2 \"12米-24米机动渔船\" 当 船长 12米-24米 { 罚款 1万-1.5万 }\n}\n\
事项 J-1 \"教育\" {\n  事实 { 违法所得: 金额 }\n  法定 { 罚款 违法所得 一倍以上五倍以下 }\n\
  阶次 2 \"较重\" 其他 { 罚款 违法所得 2-4倍 }\n}\n";
    let loaded = cailiang::load::load("n.rules", text, &|_| None);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    let rs = loaded.ruleset.unwrap();
    let fine = |case: &str| {
        let c = load_case(case, CaseFormat::Yaml, &rs).unwrap();
        let r = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
        let f = r.fine.unwrap();
        (
            f.range.lower.normalize().to_string(),
            f.range.upper.unwrap().normalize().to_string(),
        )
    };
    assert_eq!(
        fine("matter: Y-1\nfacts: { 船长: 10米 }\n"),
        ("8000".into(), "12000".into())
    );
    assert_eq!(
        fine("matter: Y-1\nfacts: { 船长: 20米 }\n"),
        ("10000".into(), "15000".into())
    );
    assert_eq!(
        fine("matter: J-1\nfacts: { 违法所得: 1万元 }\n"),
        ("20000".into(), "40000".into())
    );
}
