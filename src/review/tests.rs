use super::*;
use crate::case::{CaseFormat, load_case};
use crate::eval::{EvalOptions, evaluate};
use crate::model::Ruleset;

const RULES: &str = r#"
规则集 "评查测试" {
  边界 以上含本数 以下含本数
  政策 { 从轻: 阶次 0% 至 30%; 从重: 阶次 70% 至 100% }
}
事项 W-1 "未依法取得排污许可证排放水污染物" {
  处罚依据 "《水污染防治法》第八十三条"
  事实 { 排放量: 数量 吨; 主动改正: 是否 默认 否; 轻微及时改正: 是否 默认 否; 初次轻微: 是否 默认 否 }
  法定 { 罚款 10万 至 100万 }
  阶次 1 "一般" 当 排放量 10吨以下 { 罚款 10万 至 40万 }
  阶次 2 "严重" 其他 { 罚款 40万 至 100万 }
  情节 主动改正 "主动改正" { 可以 从轻 当 主动改正 }
  情节 轻微 "违法行为轻微并及时改正" { 应当 不予处罚 当 轻微及时改正 }
  情节 初次 "初次违法且危害后果轻微并及时改正" { 可以 不予处罚 当 初次轻微 }
}
事项 W-2 "可以处罚款的事项" {
  法定 { 可以 罚款 5万以下 }
}
"#;

fn ruleset() -> Ruleset {
    let loaded = crate::load::load("t.rules", RULES, &|_| None);
    assert!(
        !crate::diag::has_errors(&loaded.diagnostics),
        "{:?}",
        loaded.diagnostics
    );
    loaded.ruleset.expect("ruleset")
}

fn verdict(rs: &Ruleset, case: &str, decided: Decided) -> Judged {
    let case = load_case(case, CaseFormat::Yaml, rs).expect("case");
    let rec = evaluate(rs, &case, &EvalOptions::default()).expect("rec");
    judge(&rec, &decided)
}

fn fined(x: &str) -> Decided {
    Decided {
        outcome: DecidedOutcome::Penalty,
        word: None,
        fine: parse_money(x),
        others: None,
    }
}

fn waived() -> Decided {
    Decided {
        outcome: DecidedOutcome::NoPenalty,
        word: Some("不予处罚".to_string()),
        fine: None,
        others: None,
    }
}

const GRADE1: &str = "matter: W-1\nfacts: { 排放量: 5吨 }\n";

#[test]
fn within_and_its_ends() {
    let rs = ruleset();
    for x in ["10万", "25万", "40万"] {
        let j = verdict(&rs, GRADE1, fined(x));
        assert_eq!(j.verdict, Verdict::Within, "{x}: {}", j.reason);
    }
    let j = verdict(&rs, GRADE1, fined("25万"));
    assert_eq!(
        j.reason,
        "决定罚款 25万元，基准幅度（阶次 1“一般”） 10万元至40万元"
    );
}

#[test]
fn above_below_and_outside_the_statute() {
    let rs = ruleset();
    let j = verdict(&rs, GRADE1, fined("400001"));
    assert_eq!(j.verdict, Verdict::AboveBenchmark, "{}", j.reason);
    let j = verdict(&rs, GRADE1, fined("99999.99"));
    assert_eq!(j.verdict, Verdict::OutsideStatute, "{}", j.reason);
    assert!(
        j.reason.contains("超出法定幅度 10万元至100万元"),
        "{}",
        j.reason
    );
    let j = verdict(&rs, GRADE1, fined("101万"));
    assert_eq!(j.verdict, Verdict::OutsideStatute);
    let heavy = "matter: W-1\nfacts: { 排放量: 50吨 }\n";
    let j = verdict(&rs, heavy, fined("30万"));
    assert_eq!(j.verdict, Verdict::BelowBenchmark, "{}", j.reason);
    assert!(j.verdict.is_finding());
}

#[test]
fn a_may_lighter_choice_is_within_discretion() {
    let rs = ruleset();
    let case = "matter: W-1\nfacts: { 排放量: 5吨, 主动改正: 是 }\n";
    // The 从轻 band of 10万–40万 is 10万–19万.
    let j = verdict(&rs, case, fined("12万"));
    assert!(
        matches!(j.verdict, Verdict::Within | Verdict::WithinDiscretion),
        "{:?} {}",
        j.verdict,
        j.reason
    );
    let j = verdict(&rs, case, fined("41万"));
    assert_eq!(j.verdict, Verdict::AboveBenchmark, "{}", j.reason);
}

#[test]
fn no_penalty_both_ways() {
    let rs = ruleset();
    let minor = "matter: W-1\nfacts: { 排放量: 5吨, 轻微及时改正: 是 }\n";
    assert_eq!(verdict(&rs, minor, waived()).verdict, Verdict::Within);
    let j = verdict(&rs, minor, fined("10万"));
    assert_eq!(j.verdict, Verdict::PenaltyNotAllowed, "{}", j.reason);
    let j = verdict(&rs, GRADE1, waived());
    assert_eq!(j.verdict, Verdict::PenaltyRequired, "{}", j.reason);
    assert!(j.reason.contains("10万元至40万元"), "{}", j.reason);
}

#[test]
fn fine_required_and_may_fine() {
    let rs = ruleset();
    let warning_only = Decided {
        outcome: DecidedOutcome::Penalty,
        word: Some("处罚".to_string()),
        fine: None,
        others: None,
    };
    assert_eq!(
        verdict(&rs, GRADE1, warning_only.clone()).verdict,
        Verdict::FineRequired
    );
    let may = "matter: W-2\n";
    assert_eq!(verdict(&rs, may, warning_only).verdict, Verdict::Within);
    assert_eq!(verdict(&rs, may, fined("5万")).verdict, Verdict::Within);
    assert_eq!(
        verdict(&rs, may, fined("5.1万")).verdict,
        Verdict::OutsideStatute
    );
}

#[test]
fn missing_facts_inside_the_envelope_cannot_be_settled_outside_it_can() {
    let rs = ruleset();
    let unknown = "matter: W-1\nfacts: { 排放量: ~ }\n";
    let j = verdict(&rs, unknown, fined("50万"));
    assert_eq!(j.verdict, Verdict::Undetermined, "{}", j.reason);
    assert!(j.reason.contains("排放量"), "{}", j.reason);
    let j = verdict(&rs, unknown, fined("120万"));
    assert_eq!(j.verdict, Verdict::OutsideStatute, "{}", j.reason);
}

#[test]
fn review_file_in_chinese_and_english_keys() {
    let zh = "规则集: t.rules\n案卷:\n- 案号: 甲罚〔2024〕1号\n  事项: W-1\n  事实: { 排放量: 5吨 }\n  决定: { 罚款: 25万 }\n- 事项: W-1\n  决定: { 结论: 免予处罚 }\n";
    let f = parse(zh).expect("zh");
    assert_eq!(f.ruleset.as_deref(), Some("t.rules"));
    assert_eq!(f.cases.len(), 2);
    assert_eq!(f.cases[0].id, "甲罚〔2024〕1号");
    assert_eq!(f.cases[0].decided.fine, parse_money("25万"));
    assert_eq!(f.cases[1].id, "第2件");
    assert_eq!(f.cases[1].decided.outcome, DecidedOutcome::NoPenalty);
    let en = "cases:\n- id: A-1\n  matter: W-1\n  decided: { outcome: penalty, fine: 250000 }\n";
    let f = parse(en).expect("en");
    assert_eq!(f.ruleset, None);
    assert_eq!(f.cases[0].decided.fine, parse_money("250000"));
}

#[test]
fn review_file_errors_say_where_and_what() {
    let bad_fine = "cases:\n- id: A-1\n  matter: W-1\n  decided: { fine: 二十五万块 }\n";
    let e = parse(bad_fine).unwrap_err();
    assert!(matches!(e, ReviewError::BadFine { .. }), "{e}");
    assert!(e.to_string().contains("第4行"), "{e}");
    let bad_word = "cases:\n- id: A-1\n  matter: W-1\n  decided: { outcome: 警告 }\n";
    let e = parse(bad_word).unwrap_err();
    assert!(
        e.to_string().contains("应为 处罚、不予处罚 或 免予处罚"),
        "{e}"
    );
    let empty = "cases:\n- id: A-1\n  matter: W-1\n  decided: {}\n";
    assert!(matches!(
        parse(empty).unwrap_err(),
        ReviewError::EmptyDecision { .. }
    ));
    let both = "cases:\n- id: A-1\n  matter: W-1\n  decided: { outcome: 不予处罚, fine: 5万 }\n";
    assert!(matches!(
        parse(both).unwrap_err(),
        ReviewError::FineWithoutPenalty { .. }
    ));
    let unknown_key = "cases:\n- id: A-1\n  matter: W-1\n  decided: { fines: 5万 }\n";
    assert!(matches!(
        parse(unknown_key).unwrap_err(),
        ReviewError::Syntax { .. }
    ));
    let negative = "cases:\n- id: A-1\n  matter: W-1\n  decided: { fine: \"-5\" }\n";
    assert!(matches!(
        parse(negative).unwrap_err(),
        ReviewError::BadFine { .. }
    ));
}

#[test]
fn review_case_resolves_evaluates_and_judges() {
    let rs = ruleset();
    let f = parse("cases:\n- id: A-1\n  matter: W-1\n  facts: { 排放量: 5吨 }\n  decided: { fine: 50万 }\n- id: A-2\n  matter: W-9\n  decided: { fine: 1 }\n").expect("file");
    let ev = crate::eval::Evaluator::new(&rs);
    let opts = EvalOptions::default();
    let r = review_case(&rs, &f.cases[0], |c| ev.evaluate(c, &opts)).expect("reviewed");
    assert_eq!(r.verdict, Verdict::AboveBenchmark);
    assert_eq!(r.matter, "W-1");
    assert_eq!(r.line, Some(2));
    assert!(review_case(&rs, &f.cases[1], |c| ev.evaluate(c, &opts)).is_err());
}

#[test]
fn a_no_penalty_decision_listing_a_penalty_contradicts_itself() {
    let text = "cases:\n- id: A-1\n  matter: W-1\n  decided: { outcome: 不予处罚, 其他: [警告] }\n";
    assert!(matches!(
        parse(text).unwrap_err(),
        ReviewError::FineWithoutPenalty { .. }
    ));
    // An order that is not a penalty (责令改正) may go with 不予处罚.
    let text =
        "cases:\n- id: A-1\n  matter: W-1\n  decided: { outcome: 不予处罚, 其他: [责令改正] }\n";
    assert!(parse(text).is_ok());
    // Other sanctions alone are a decision.
    let text = "cases:\n- id: A-1\n  matter: W-1\n  decided: { 其他: [警告] }\n";
    let f = parse(text).unwrap();
    assert_eq!(f.cases[0].decided.outcome, DecidedOutcome::Penalty);
}

/// Under 可以不予处罚 (第三十三条第一款 second sentence) the officer may
/// waive the penalty or give one without the fine: both are discretion.
#[test]
fn a_may_waive_case_leaves_penalty_and_fine_to_the_officer() {
    let rs = ruleset();
    let first = "matter: W-1\nfacts: { 排放量: 5吨, 初次轻微: 是 }\n";
    let j = verdict(&rs, first, waived());
    assert_eq!(j.verdict, Verdict::WithinDiscretion, "{}", j.reason);
    let warning_only = Decided {
        outcome: DecidedOutcome::Penalty,
        word: Some("处罚".to_string()),
        fine: None,
        others: None,
    };
    let j = verdict(&rs, first, warning_only);
    assert_eq!(j.verdict, Verdict::WithinDiscretion, "{}", j.reason);
    assert_eq!(verdict(&rs, first, fined("20万")).verdict, Verdict::Within);
    assert_eq!(
        verdict(&rs, first, fined("50万")).verdict,
        Verdict::AboveBenchmark
    );
}
