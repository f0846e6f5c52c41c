//! Unit tests of the evaluator on hand-built models.
#![allow(clippy::unwrap_used)]

use super::testkit::{build, prelude};

use super::*;
use crate::case::Case;
use build::*;
use prelude::*;

/// 4 grades by area: <100 → 1万–3万, 100–500 → 3万–6万, 500– → 6万–10万;
/// statute 1万–10万; lighter / heavier circumstances; a no-penalty rule.
fn graded() -> (Ruleset, FactId, FactId, FactId, FactId) {
    let mut b = Rb::new();
    let area = b.fact(
        "面积",
        FactType::Quantity(crate::value::Unit::parse("平方米").unwrap()),
    );
    let light = b.fact("主动消除危害后果", FactType::Bool);
    let heavy = b.fact("拒不改正", FactType::Bool);
    let minor = b.fact("轻微并及时改正", FactType::Bool);
    b.matter(
        "M1",
        vec![statute(range("10000", "100000"))],
        Table::Graded(vec![
            grade(
                "1",
                Guard::When(num(area, None, Some("100"))),
                range("10000", "30000"),
            ),
            grade(
                "2",
                Guard::When(num(area, Some("100"), Some("500"))),
                range("30000", "60000"),
            ),
            grade(
                "3",
                Guard::When(num(area, Some("500"), None)),
                range("60000", "100000"),
            ),
        ]),
    );
    b.circ("主动消除", Modality::Shall, Effect::Lighter, is(light));
    b.circ("拒不改正", Modality::Shall, Effect::Heavier, is(heavy));
    b.circ("轻微不罚", Modality::Shall, Effect::NoPenalty, is(minor));
    (b.finish(), area, light, heavy, minor)
}

fn case(rs: &Ruleset, facts: &[(FactId, Value)]) -> Case {
    let mut c = Case::new(rs, MatterId(0));
    for (f, v) in facts {
        c.set(*f, *v);
    }
    c
}

fn n(s: &str) -> Value {
    Value::Number(d(s))
}

fn eval<'r>(rs: &'r Ruleset, c: &Case) -> Recommendation<'r> {
    evaluate(rs, c, &EvalOptions::default()).unwrap()
}

#[test]
fn graded_ordinary() {
    let (rs, area, light, heavy, minor) = graded();
    let c = case(
        &rs,
        &[
            (area, n("200")),
            (light, Value::Bool(false)),
            (heavy, Value::Bool(false)),
            (minor, Value::Bool(false)),
        ],
    );
    let r = eval(&rs, &c);
    assert_eq!(r.outcome, Outcome::Penalty);
    assert_eq!(r.grade.unwrap().id, "2");
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("30000"), d("60000"))
    );
    assert!(r.missing_facts.is_empty(), "{:?}", r.missing_facts);
    assert!(r.trace.is_none());
}

#[test]
fn graded_lighter_and_heavier() {
    let (rs, area, light, heavy, minor) = graded();
    let mut c = case(
        &rs,
        &[
            (area, n("200")),
            (light, Value::Bool(true)),
            (heavy, Value::Bool(false)),
            (minor, Value::Bool(false)),
        ],
    );
    let r = eval(&rs, &c);
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("30000"), d("39000"))
    );
    c.set(light, Value::Bool(false));
    c.set(heavy, Value::Bool(true));
    let r = eval(&rs, &c);
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("51000"), d("60000"))
    );
    // Both: mixed → ask.
    c.set(light, Value::Bool(true));
    let r = eval(&rs, &c);
    assert_eq!(r.needs_judgement.len(), 1);
    assert_eq!(r.needs_judgement[0].candidates.len(), 3);
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("30000"), d("60000"))
    );
}

#[test]
fn mandatory_no_penalty_wins() {
    let (rs, area, light, heavy, minor) = graded();
    let c = case(
        &rs,
        &[
            (area, n("900")),
            (light, Value::Bool(false)),
            (heavy, Value::Bool(true)),
            (minor, Value::Bool(true)),
        ],
    );
    let r = eval(&rs, &c);
    assert_eq!(r.outcome, Outcome::NoPenalty);
    assert!(r.fine.is_none());
    assert!(r.obligations.iter().any(|o| o.contains("教育")));
}

#[test]
fn missing_facts_give_an_envelope() {
    let (rs, area, light, heavy, minor) = graded();
    let c = case(
        &rs,
        &[
            (light, Value::Bool(false)),
            (heavy, Value::Bool(false)),
            (minor, Value::Bool(false)),
        ],
    );
    let r = eval(&rs, &c);
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("10000"), d("100000"))
    );
    assert_eq!(r.missing_facts, vec!["面积"]);
    assert!(r.grade.is_none());
    assert_eq!(r.possible_grades.len(), 3);
    let c = case(
        &rs,
        &[
            (area, n("50")),
            (light, Value::Bool(false)),
            (heavy, Value::Bool(false)),
        ],
    );
    let r = eval(&rs, &c);
    assert!(r.possible_outcomes.contains(Outcome::NoPenalty));
    assert!(r.possible_outcomes.contains(Outcome::Penalty));
    assert_eq!(r.missing_facts, vec!["轻微并及时改正"]);
}

#[test]
fn trace_when_asked() {
    let (rs, area, light, heavy, minor) = graded();
    let c = case(
        &rs,
        &[
            (area, n("200")),
            (light, Value::Bool(true)),
            (heavy, Value::Bool(false)),
            (minor, Value::Bool(false)),
        ],
    );
    let r = evaluate(&rs, &c, &EvalOptions { trace: true }).unwrap();
    let t = r.trace.as_ref().unwrap();
    let kinds: Vec<&str> = t.iter().map(|s| s.kind).collect();
    assert!(kinds.contains(&"grade"), "{kinds:?}");
    assert!(kinds.contains(&"circumstance"));
    let g = t.iter().find(|s| s.kind == "grade").unwrap();
    assert_eq!(g.facts[0].name, "面积");
    assert_eq!(g.facts[0].value.as_deref(), Some("200平方米"));
    let json = r.to_json();
    assert!(json.contains("\"schema_version\":1"));
    assert!(json.contains("\"lower\":\"30000\""));
    let human = render_human(&r, &rs);
    assert!(human.contains("3万元至3.9万元"), "{human}");
}

fn date(s: &str) -> crate::value::Date {
    crate::value::Date::parse(s).unwrap()
}

/// A provincial eco weighted model: start 10 %, two factors, floor 20 %, cap 100 %,
/// times the statutory maximum (statute 10万–100万).
fn weighted(unknown: UnknownFactor) -> (Ruleset, FactId, FactId) {
    let mut b = Rb::new();
    let amount = b.fact(
        "排放量",
        FactType::Quantity(crate::value::Unit::parse("吨").unwrap()),
    );
    let zone = b.fact(
        "区域",
        FactType::Enum(vec!["一般区域".into(), "敏感区域".into()]),
    );
    let lvl = |cond: Cond, w: &str| FactorLevel {
        label: None,
        guard: Guard::When(cond),
        weight: d(w),
        span: Span::default(),
    };
    b.matter(
        "W",
        vec![statute(range("100000", "1000000"))],
        Table::Weighted(Weighted {
            start: d("0.10"),
            factors: vec![
                Factor {
                    name: "排放量".into(),
                    description: None,
                    levels: vec![
                        lvl(num(amount, None, Some("10")), "0.05"),
                        lvl(num(amount, Some("10"), Some("100")), "0.15"),
                        lvl(num(amount, Some("100"), None), "0.30"),
                    ],
                    span: Span::default(),
                },
                Factor {
                    name: "区域".into(),
                    description: None,
                    levels: vec![
                        lvl(one_of(zone, &[0]), "0"),
                        lvl(one_of(zone, &[1]), "0.20"),
                    ],
                    span: Span::default(),
                },
            ],
            cap: d("1"),
            floor: d("0.20"),
            times: WeightedBase::StatutoryMaximum,
            span: Span::default(),
        }),
    );
    b.rs.policy.unknown_factor = unknown;
    (b.finish(), amount, zone)
}

#[test]
fn weighted_model_point_and_floor() {
    let (rs, amount, zone) = weighted(UnknownFactor::Lowest);
    let c = case(&rs, &[(amount, n("50")), (zone, Value::Enum(1))]);
    let r = eval(&rs, &c);
    // 10 + 15 + 20 = 45 % of 100万.
    assert_eq!(r.fine.unwrap().point, Some(d("450000")));
    assert_eq!(r.score, Some(d("0.45")));
    // 10 + 5 + 0 = 15 % → floor 20 % → 20万.
    let c = case(&rs, &[(amount, n("5")), (zone, Value::Enum(0))]);
    assert_eq!(eval(&rs, &c).fine.unwrap().point, Some(d("200000")));
    // Unknown zone, policy lowest: counts 0 %, warning, listed as missing.
    let c = case(&rs, &[(amount, n("50"))]);
    let r = eval(&rs, &c);
    assert_eq!(r.fine.unwrap().point, Some(d("250000")));
    assert!(r.has_warning("unknown_factor"));
    assert_eq!(r.missing_facts, vec!["区域"]);
    // Policy all levels: an envelope 25 %–45 %.
    let (rs, amount, _) = weighted(UnknownFactor::AllLevels);
    let c = case(&rs, &[(amount, n("50"))]);
    let r = eval(&rs, &c);
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("250000"), d("450000"))
    );
    assert_eq!(r.fine.unwrap().point, None);
}

#[test]
fn weighted_below_minimum_is_clamped() {
    // Statute raised to 30万–100万: 20 % of 100万 = 20万 falls below the minimum.
    let (mut rs, amount, zone) = weighted(UnknownFactor::Lowest);
    rs.matters[0].statutes = vec![statute(range("300000", "1000000"))];
    let c = case(&rs, &[(amount, n("5")), (zone, Value::Enum(0))]);
    let r = eval(&rs, &c);
    assert_eq!(r.fine.unwrap().point, Some(d("300000")));
    assert!(r.has_warning("clamped"));
}

#[test]
fn max_only_statute_with_policy_bands() {
    let mut b = Rb::new();
    let light = b.fact("从轻", FactType::Bool);
    b.matter("T", vec![statute(max_only("50000"))], Table::None);
    b.circ("从轻情节", Modality::Shall, Effect::Lighter, is(light));
    b.rs.policy.max_only_lighter = Some(band(BandReference::Statute, "0", "0.2"));
    b.rs.policy.max_only_ordinary = Some(band(BandReference::Statute, "0.4", "0.6"));
    let rs = b.finish();
    let r = eval(&rs, &case(&rs, &[(light, Value::Bool(false))]));
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("20000"), d("30000"))
    );
    let r = eval(&rs, &case(&rs, &[(light, Value::Bool(true))]));
    let f = r.fine.unwrap().range;
    assert_eq!(
        (f.lower, f.lower_inclusive, f.upper),
        (d("0"), false, Some(d("10000")))
    );
    let s = r.statutory_range.unwrap();
    assert!(!s.lower_inclusive);
}

#[test]
fn threshold_switch_and_zero_base() {
    // 食品安全法 第124条: 货值 < 1万 → 5万–10万; otherwise 10–20 倍.
    let mut b = Rb::new();
    let value = b.fact("货值金额", FactType::Money);
    let of = |f: &str| Amount::OfBase {
        base: value,
        floor: None,
        factor: d(f),
        cap: None,
    };
    let rule = FineRule::Switch(vec![
        FineArm {
            modality: None,
            guard: Guard::When(num(value, None, Some("10000"))),
            fine: Some(range("50000", "100000")),
            span: Span::default(),
        },
        FineArm {
            modality: None,
            guard: Guard::Otherwise,
            fine: Some(FineRule::Range {
                lower: Some(inc(of("10"))),
                upper: inc(of("20")),
            }),
            span: Span::default(),
        },
    ]);
    b.matter("F", vec![statute(rule)], Table::None);
    let rs = b.finish();
    let r = eval(&rs, &case(&rs, &[(value, n("9999.99"))]));
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("50000"), d("100000"))
    );
    let r = eval(&rs, &case(&rs, &[(value, n("10000"))]));
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("100000"), d("200000"))
    );
    // Missing base: envelope from 5万 up, unbounded.
    let r = eval(&rs, &case(&rs, &[]));
    let f = r.fine.unwrap().range;
    assert_eq!(f.upper, None);
    assert_eq!(r.missing_facts, vec!["货值金额"]);

    // A pure multiple with a zero base and no fallback: 0–0 with a warning.
    let mut b = Rb::new();
    let gain = b.fact("违法所得", FactType::Money);
    let of = |f: &str| Amount::OfBase {
        base: gain,
        floor: None,
        factor: d(f),
        cap: None,
    };
    b.matter(
        "G",
        vec![statute(FineRule::Range {
            lower: Some(inc(of("1"))),
            upper: inc(of("5")),
        })],
        Table::None,
    );
    let rs = b.finish();
    let r = eval(&rs, &case(&rs, &[(gain, n("0"))]));
    assert_eq!(r.fine.unwrap().point, Some(d("0")));
    assert!(r.has_warning("zero_base"));
    // With a floor (固废法 第102条 style) the base counts at least 10万.
    let mut rs2 = rs.clone();
    rs2.matters[0].statutes = vec![statute(FineRule::Range {
        lower: Some(inc(Amount::OfBase {
            base: gain,
            floor: Some(d("100000")),
            factor: d("1"),
            cap: None,
        })),
        upper: inc(Amount::OfBase {
            base: gain,
            floor: Some(d("100000")),
            factor: d("5"),
            cap: None,
        }),
    })];
    let r = eval(&rs2, &case(&rs2, &[(gain, n("3000"))]));
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("100000"), d("500000"))
    );
}

#[test]
fn grade_below_raised_minimum_is_clamped() {
    // 固废法 2020: minimum raised tenfold; the old grade 1万–5万 is below 10万.
    let mut b = Rb::new();
    let x = b.fact("情节", FactType::Bool);
    b.matter(
        "S",
        vec![statute(range("100000", "1000000"))],
        Table::Graded(vec![
            grade("1", Guard::When(is(x)), range("10000", "50000")),
            grade("2", Guard::Otherwise, range("50000", "200000")),
        ]),
    );
    let rs = b.finish();
    let r = eval(&rs, &case(&rs, &[(x, Value::Bool(true))]));
    assert_eq!(r.fine.unwrap().point, Some(d("100000")));
    assert!(r.has_warning("clamped"));
    let r = eval(&rs, &case(&rs, &[(x, Value::Bool(false))]));
    assert_eq!(r.grade.unwrap().id, "2");
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("100000"), d("200000"))
    );
}

#[test]
fn limitation_two_and_five_years() {
    let (mut rs, area, light, heavy, minor) = graded();
    let harm = FactId(rs.facts.len() as u32);
    rs.facts.push(FactDef {
        name: "危害生命健康".into(),
        ty: FactType::Bool,
        description: None,
        default: None,
        owner: None,
        span: Span::default(),
    });
    rs.limitation = vec![LimitationRule {
        period: Period::Months(60),
        when: Some(is(harm)),
        basis: Some("第三十六条 五年".into()),
        span: Span::default(),
    }];
    let no = Value::Bool(false);
    let mut c = case(
        &rs,
        &[
            (area, n("50")),
            (harm, no),
            (light, no),
            (heavy, no),
            (minor, no),
        ],
    );
    c.act_date = Some(date("2020-01-10"));
    c.discovery_date = Some(date("2022-01-10"));
    assert_ne!(eval(&rs, &c).outcome, Outcome::TimeBarred);
    c.discovery_date = Some(date("2022-01-11"));
    let r = eval(&rs, &c);
    assert_eq!(r.outcome, Outcome::TimeBarred);
    assert!(r.fine.is_none());
    c.set(harm, Value::Bool(true));
    assert_ne!(eval(&rs, &c).outcome, Outcome::TimeBarred);
    // A continuing act runs from its end.
    c.set(harm, Value::Bool(false));
    c.act_end_date = Some(date("2021-06-01"));
    assert_ne!(eval(&rs, &c).outcome, Outcome::TimeBarred);
    // No discovery date, decision within the period: not barred; after it: envelope.
    c.act_end_date = None;
    c.discovery_date = None;
    c.decision_date = Some(date("2021-01-01"));
    assert_eq!(eval(&rs, &c).possible_outcomes.len(), 1);
    c.decision_date = Some(date("2023-01-01"));
    let r = eval(&rs, &c);
    assert!(r.possible_outcomes.contains(Outcome::TimeBarred));
    assert!(r.missing_facts.contains(&"发现日"));
}

#[test]
fn cong_jiu_cong_qing_applies_the_lighter_law() {
    let mut b = Rb::new();
    let mut old = statute(range("10000", "50000"));
    old.to = Some(date("2020-08-31"));
    let mut new = statute(range("100000", "500000"));
    new.from = Some(date("2020-09-01"));
    b.matter("L", vec![old, new], Table::None);
    let rs = b.finish();
    let mut c = case(&rs, &[]);
    c.act_date = Some(date("2020-06-01"));
    c.discovery_date = Some(date("2020-07-01"));
    c.decision_date = Some(date("2020-10-01"));
    let r = evaluate(&rs, &c, &EvalOptions { trace: true }).unwrap();
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("10000"), d("50000"))
    );
    assert_eq!(r.statute.unwrap().version, 0);
    assert!(r.has_warning("cong_jiu_cong_qing"));
    assert!(
        r.trace
            .unwrap()
            .iter()
            .any(|s| s.kind == "cong_jiu_cong_qing")
    );
    // The new law lighter: it applies.
    let mut rs2 = rs.clone();
    rs2.matters[0].statutes.swap(0, 1);
    rs2.matters[0].statutes[0].from = None;
    rs2.matters[0].statutes[0].to = Some(date("2020-08-31"));
    rs2.matters[0].statutes[1].from = Some(date("2020-09-01"));
    rs2.matters[0].statutes[1].to = None;
    let r = eval(&rs2, &c);
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("10000"), d("50000"))
    );
    assert_eq!(r.statute.unwrap().version, 1);
    // Not punishable any more.
    let mut rs3 = rs.clone();
    rs3.matters[0].statutes[1].not_punishable = true;
    rs3.matters[0].statutes[1].fine = None;
    assert_eq!(eval(&rs3, &c).outcome, Outcome::NoPenalty);
}

#[test]
fn article_29_takes_the_higher_fine() {
    let mut b = Rb::new();
    b.matter("A", vec![statute(range("1000", "5000"))], Table::None);
    b.matter("B", vec![statute(range("2000", "20000"))], Table::None);
    let rs = b.finish();
    let mut c = case(&rs, &[]);
    c.matters = vec![MatterId(0), MatterId(1)];
    let r = eval(&rs, &c);
    assert_eq!(r.matter.id, "B");
    assert_eq!(r.alternatives.len(), 1);
    assert_eq!(r.alternatives[0].matter.id, "A");
    assert!(r.has_warning("article_29"));
    c.matters = vec![MatterId(7)];
    assert!(evaluate(&rs, &c, &EvalOptions::default()).is_err());
}

#[test]
fn may_waive_and_first_offence_list() {
    let (mut rs, area, light, heavy, minor) = graded();
    let first = FactId(rs.facts.len() as u32);
    rs.facts.push(FactDef {
        name: "首次违法".into(),
        ty: FactType::Bool,
        description: None,
        default: None,
        owner: None,
        span: Span::default(),
    });
    rs.lists.push(List {
        kind: ListKind::FirstOffence,
        id: "首违不罚".into(),
        name: "首违不罚清单".into(),
        basis: Some("第三十三条第一款".into()),
        fixed: true,
        items: vec![ListItem {
            id: "1".into(),
            name: "未按规定报送".into(),
            scope: None,
            when: is(first),
            modality: Modality::May,
            obligations: vec!["签订承诺书".into()],
            basis: None,
            fine: None,
            span: Span::default(),
        }],
        word: None,
        span: Span::default(),
    });
    rs.matters[0].list_items.push((0, 0));
    let c = case(
        &rs,
        &[
            (area, n("50")),
            (light, Value::Bool(false)),
            (heavy, Value::Bool(false)),
            (minor, Value::Bool(false)),
            (first, Value::Bool(true)),
        ],
    );
    let r = eval(&rs, &c);
    assert_eq!(r.outcome, Outcome::MayWaive);
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("10000"), d("30000"))
    );
    let o = r
        .options
        .iter()
        .find(|o| o.kind == ChoiceKind::NoPenalty)
        .unwrap();
    assert_eq!(o.obligations, &["签订承诺书".to_string()]);
    // Mandatory list item: no penalty with its obligations.
    rs.lists[0].items[0].modality = Modality::Shall;
    let r = eval(&rs, &c);
    assert_eq!(r.outcome, Outcome::NoPenalty);
    assert!(r.obligations.contains(&"签订承诺书"));
}

#[test]
fn reduced_lighter_or_reduced_and_options() {
    let mut b = Rb::new();
    let minor_age = b.fact("已满十四周岁不满十八周岁", FactType::Bool);
    let coop = b.fact("立功", FactType::Bool);
    let may = b.fact("可以从轻", FactType::Bool);
    b.matter("R", vec![statute(range("100000", "200000"))], Table::None);
    b.circ(
        "未成年",
        Modality::Shall,
        Effect::LighterOrReduced,
        is(minor_age),
    );
    b.circ("减轻", Modality::Shall, Effect::Reduced, is(coop));
    b.circ("可以从轻", Modality::May, Effect::Lighter, is(may));
    b.rs.policy.reduced_floor = ReducedFloor::ShareOfMinimum(d("0.5"));
    let rs = b.finish();
    let f = Value::Bool(false);
    let t = Value::Bool(true);
    // 应当从轻或者减轻: both reported, the hull as the fine.
    let r = eval(&rs, &case(&rs, &[(minor_age, t), (coop, f), (may, f)]));
    let req: Vec<_> = r.options.iter().filter(|o| o.required).collect();
    assert_eq!(req.len(), 2);
    assert_eq!(r.fine.unwrap().range.lower, d("50000"));
    assert_eq!(r.fine.unwrap().range.upper, Some(d("130000")));
    // 应当减轻: below the minimum, not below the floor.
    let r = eval(&rs, &case(&rs, &[(minor_age, f), (coop, t), (may, f)]));
    let fr = r.fine.unwrap().range;
    assert_eq!(
        (fr.lower, fr.upper, fr.upper_inclusive),
        (d("50000"), Some(d("100000")), false)
    );
    // 可以从轻: an option, the fine unchanged.
    let r = eval(&rs, &case(&rs, &[(minor_age, f), (coop, f), (may, t)]));
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("100000"), d("200000"))
    );
    let o = r
        .options
        .iter()
        .find(|o| o.kind == ChoiceKind::Lighter)
        .unwrap();
    assert_eq!(o.range, Some(FineRange::closed(d("100000"), d("130000"))));
}

#[test]
fn mixed_policies() {
    let (mut rs, area, light, heavy, minor) = graded();
    let c = case(
        &rs,
        &[
            (area, n("200")),
            (light, Value::Bool(true)),
            (heavy, Value::Bool(true)),
            (minor, Value::Bool(false)),
        ],
    );
    for (rule, want) in [
        (MixedRule::Offset, FineRange::closed(d("30000"), d("60000"))),
        (
            MixedRule::LighterPrevails,
            FineRange::closed(d("30000"), d("39000")),
        ),
        (
            MixedRule::HeavierPrevails,
            FineRange::closed(d("51000"), d("60000")),
        ),
    ] {
        rs.policy.mixed = rule;
        let r = eval(&rs, &c);
        assert_eq!(r.fine.unwrap().range, want, "{rule:?}");
        assert!(r.needs_judgement.is_empty());
    }
}

#[test]
fn several_grades_first_or_heavier() {
    let mut b = Rb::new();
    let x = b.fact("x", FactType::Bool);
    let y = b.fact("y", FactType::Bool);
    b.matter(
        "G",
        vec![statute(range("0", "100"))],
        Table::Graded(vec![
            grade("1", Guard::When(is(x)), range("0", "10")),
            grade("2", Guard::When(is(y)), range("50", "100")),
        ]),
    );
    let mut rs = b.finish();
    let c = case(&rs, &[(x, Value::Bool(true)), (y, Value::Bool(true))]);
    assert_eq!(eval(&rs, &c).grade.unwrap().id, "2");
    rs.policy.several_grades = SeveralGrades::First;
    assert_eq!(eval(&rs, &c).grade.unwrap().id, "1");
}

#[test]
fn may_fine_others_rounding_and_warnings() {
    let mut b = Rb::new();
    let serious = b.fact("情节严重", FactType::Bool);
    let area = b.fact("面积", FactType::Number);
    let mut s = statute(max_only("2000"));
    s.fine.as_mut().unwrap().modality = Modality::May;
    s.others.push(OtherSanction {
        name: "责令改正".into(),
        display: "责令改正".into(),
        kind: None,
        object: None,
        period: None,
        modality: Modality::Shall,
        needs_approval: false,
        when: None,
        span: Span::default(),
    });
    s.others.push(OtherSanction {
        name: "没收违法所得".into(),
        display: "没收违法所得".into(),
        kind: None,
        object: None,
        period: None,
        modality: Modality::May,
        needs_approval: false,
        when: None,
        span: Span::default(),
    });
    b.matter(
        "TAX",
        vec![s],
        Table::Graded(vec![
            grade(
                "1",
                Guard::When(num(area, None, Some("100"))),
                range("0", "1000"),
            ),
            grade("2", Guard::Otherwise, range("1000", "2000")),
        ]),
    );
    b.circ("从重", Modality::Shall, Effect::Heavier, is(serious));
    b.rs.meta.boundaries.declared = false;
    b.rs.meta.effective_to = Some(date("2023-12-31"));
    b.rs.policy.rounding = Rounding::Hundred;
    b.rs.policy.heavier = band(BandReference::Grade, "0.77", "1");
    let rs = b.finish();
    let mut c = case(&rs, &[(serious, Value::Bool(true)), (area, n("100"))]);
    c.decision_date = Some(date("2024-05-01"));
    let r = eval(&rs, &c);
    let f = r.fine.unwrap();
    assert!(!f.mandatory);
    assert_eq!(f.range, FineRange::closed(d("1800"), d("2000"))); // 1770 → 1800
    assert!(r.options.iter().any(|o| o.kind == ChoiceKind::Fine));
    assert!(
        r.options
            .iter()
            .any(|o| o.kind == ChoiceKind::Sanction && o.id == "没收违法所得")
    );
    assert_eq!(r.sanctions.iter().count(), 2);
    assert!(r.has_warning("boundary_convention"), "{:?}", r.warnings);
    assert!(r.has_warning("not_in_force"));
    let json = r.to_json_pretty();
    assert!(json.contains("\"modality\": \"must\""), "{json}");
    let text = render_human(&r, &rs);
    assert!(text.contains("可以处罚款"), "{text}");
    assert!(text.contains("可以并处没收违法所得"), "{text}");
}

/// Rough speed check (run with `cargo test --release --lib eval_speed -- --ignored --nocapture`).
#[test]
#[ignore]
fn eval_speed() {
    let (rs, area, light, heavy, minor) = graded();
    let cases: Vec<Case> = (0..1000)
        .map(|i| {
            case(
                &rs,
                &[
                    (area, Value::Number(rust_decimal::Decimal::from(i % 700))),
                    (light, Value::Bool(i % 3 == 0)),
                    (heavy, Value::Bool(i % 5 == 0)),
                    (minor, Value::Bool(i % 11 == 0)),
                ],
            )
        })
        .collect();
    let opts = EvalOptions::default();
    let start = std::time::Instant::now();
    let mut n = 0u64;
    for _ in 0..1000 {
        for c in &cases {
            let r = evaluate(&rs, c, &opts).unwrap();
            n += r.fine.is_some() as u64;
        }
    }
    let el = start.elapsed();
    println!(
        "1M evaluations: {el:?} ({:.0} ns each), {n}",
        el.as_nanos() as f64 / 1e6
    );
    let opts = EvalOptions { trace: true };
    let start = std::time::Instant::now();
    for _ in 0..100 {
        for c in &cases {
            let _ = evaluate(&rs, c, &opts).unwrap();
        }
    }
    println!("100K traced: {:?}", start.elapsed());
}

/// A case where every boolean fact not given is 否.
fn closed(rs: &Ruleset, facts: &[(FactId, Value)]) -> Case {
    let mut c = case(rs, facts);
    for (i, f) in rs.facts.iter().enumerate() {
        let id = FactId(i as u32);
        if f.ty == FactType::Bool && !facts.iter().any(|(x, _)| *x == id) {
            c.set(id, Value::Bool(false));
        }
    }
    c
}

/// The graded fixture with one extra circumstance held by the fact `on`.
fn graded_with(modality: Modality, effect: Effect) -> (Ruleset, FactId, FactId) {
    let (mut rs, area, _, _, _) = graded();
    let mut b = Rb { rs: rs.clone() };
    let on = b.fact("调整情节", FactType::Bool);
    b.circ("调整", modality, effect, is(on));
    rs = b.finish();
    (rs, area, on)
}

#[test]
fn within_grade_adjustments() {
    let t = Value::Bool(true);
    // 本档最高限度 in grade 2 (3万–6万) → 6万; 本档较低限 → 3万.
    let (rs, area, on) = graded_with(Modality::Shall, Effect::GradeMaximum);
    let r = eval(&rs, &closed(&rs, &[(area, n("200")), (on, t)]));
    assert_eq!(r.fine.unwrap().point, Some(d("60000")));
    let (rs, area, on) = graded_with(Modality::Shall, Effect::GradeMinimum);
    let r = eval(&rs, &closed(&rs, &[(area, n("200")), (on, t)]));
    assert_eq!(r.fine.unwrap().point, Some(d("30000")));
    // 上调一个档次: grade 2 → grade 3's range; at grade 3 → the statutory maximum.
    let (rs, area, on) = graded_with(Modality::Shall, Effect::GradeUp);
    let r = eval(&rs, &closed(&rs, &[(area, n("200")), (on, t)]));
    assert_eq!(r.grade.unwrap().id, "2");
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("60000"), d("100000"))
    );
    let r = eval(&rs, &closed(&rs, &[(area, n("800")), (on, t)]));
    assert_eq!(r.fine.unwrap().point, Some(d("100000")));
    // 可以: the fine is unchanged, the option carries the next grade.
    let (rs, area, on) = graded_with(Modality::May, Effect::GradeUp);
    let r = eval(&rs, &closed(&rs, &[(area, n("200")), (on, t)]));
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("30000"), d("60000"))
    );
    let o = r
        .options
        .iter()
        .find(|o| o.kind == ChoiceKind::GradeUp)
        .unwrap();
    assert_eq!(o.range, Some(FineRange::closed(d("60000"), d("100000"))));
    // With 从重 (upper 30 %) after the move: the upper 30 % of grade 3.
    let (rs, area, on) = graded_with(Modality::Shall, Effect::GradeUp);
    let heavy = rs.shared_facts["拒不改正"];
    let r = eval(&rs, &closed(&rs, &[(area, n("200")), (on, t), (heavy, t)]));
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("88000"), d("100000"))
    );
}

#[test]
fn adjustments_need_a_grade_and_a_heavier_next_grade() {
    let t = Value::Bool(true);
    // No table: the adjustment holds but has no effect, with a warning.
    let mut b = Rb::new();
    let on = b.fact("调整情节", FactType::Bool);
    b.matter("N", vec![statute(range("10000", "100000"))], Table::None);
    b.circ("调整", Modality::Shall, Effect::GradeMaximum, is(on));
    let rs = b.finish();
    let r = eval(&rs, &closed(&rs, &[(on, t)]));
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("10000"), d("100000"))
    );
    assert!(r.has_warning("adjustment_without_grade"));
    // A next grade that is lighter: the grade stays, with a warning.
    let mut b = Rb::new();
    let on = b.fact("调整情节", FactType::Bool);
    let g = b.fact("档", FactType::Bool);
    b.matter(
        "U",
        vec![statute(range("10000", "100000"))],
        Table::Graded(vec![
            grade("1", Guard::When(is(g)), range("50000", "100000")),
            grade("2", Guard::Otherwise, range("10000", "50000")),
        ]),
    );
    b.circ("调整", Modality::Shall, Effect::GradeUp, is(on));
    let rs = b.finish();
    let r = eval(&rs, &closed(&rs, &[(on, t), (g, t)]));
    assert_eq!(
        r.fine.unwrap().range,
        FineRange::closed(d("50000"), d("100000"))
    );
    assert!(r.has_warning("grade_up_not_heavier"));
}

#[test]
fn a_capped_per_day_fine() {
    // 公民逾期1日处五元罚款……最高不超过二千元.
    let mut b = Rb::new();
    let days = b.fact(
        "逾期天数",
        FactType::Quantity(crate::value::Unit::parse("天").unwrap()),
    );
    let per_day = Amount::OfBase {
        base: days,
        floor: None,
        factor: d("5"),
        cap: Some(d("2000")),
    };
    b.matter(
        "D",
        vec![statute(max_only("2000"))],
        Table::Graded(vec![grade("2", Guard::Otherwise, FineRule::Exact(per_day))]),
    );
    let rs = b.finish();
    let r = eval(&rs, &closed(&rs, &[(days, n("10"))]));
    assert_eq!(r.fine.unwrap().point, Some(d("50")));
    let r = eval(&rs, &closed(&rs, &[(days, n("401"))]));
    assert_eq!(r.fine.unwrap().point, Some(d("2000")));
    // Unknown days: somewhere in 0–2000, and the day count is asked for.
    let r = eval(&rs, &closed(&rs, &[]));
    let f = r.fine.unwrap().range;
    assert_eq!(f.upper, Some(d("2000")));
    assert_eq!(r.missing_facts, vec!["逾期天数"]);
}
