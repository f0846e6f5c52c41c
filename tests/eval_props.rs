//! Properties of the evaluator over generated rulesets and facts.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, unreachable_code)]

mod common;

use cailiang::case::Case;
use cailiang::eval::{EvalOptions, FineRange, Outcome, Recommendation, evaluate};
use common::build::*;
use common::prelude::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Facts: three booleans, an enum of three values, a number.
const NUM_DOMAIN: [&str; 7] = ["0", "50", "75", "100", "125", "150", "200"];

#[derive(Debug, Clone)]
enum CondSpec {
    Bool(usize, bool),
    Enum(Vec<u16>),
    Num(Option<u8>, Option<u8>),
    And(Box<CondSpec>, Box<CondSpec>),
    Or(Box<CondSpec>, Box<CondSpec>),
    Not(Box<CondSpec>),
}

fn cond_spec() -> impl Strategy<Value = CondSpec> {
    let leaf = prop_oneof![
        (0..3usize, any::<bool>()).prop_map(|(f, v)| CondSpec::Bool(f, v)),
        proptest::sample::subsequence(vec![0u16, 1, 2], 1..3).prop_map(CondSpec::Enum),
        (proptest::option::of(0..3u8), proptest::option::of(0..3u8))
            .prop_map(|(a, b)| CondSpec::Num(a, b)),
    ];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| CondSpec::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| CondSpec::Or(Box::new(a), Box::new(b))),
            inner.prop_map(|a| CondSpec::Not(Box::new(a))),
        ]
    })
}

const THRESHOLDS: [&str; 3] = ["50", "100", "150"];

fn lower(c: &CondSpec, f: &[FactId]) -> Cond {
    match c {
        CondSpec::Bool(i, v) => Cond::Bool {
            fact: f[*i],
            value: *v,
        },
        CondSpec::Enum(vs) => one_of(f[3], vs),
        CondSpec::Num(a, b) => {
            let (a, b) = match (a, b) {
                (Some(a), Some(b)) if a > b => (Some(*b), Some(*a)),
                (a, b) => (*a, *b),
            };
            num(
                f[4],
                a.map(|i| THRESHOLDS[i as usize]),
                b.map(|i| THRESHOLDS[i as usize]),
            )
        }
        CondSpec::And(a, b) => Cond::And(vec![lower(a, f), lower(b, f)]),
        CondSpec::Or(a, b) => Cond::Or(vec![lower(a, f), lower(b, f)]),
        CondSpec::Not(a) => Cond::Not(Box::new(lower(a, f))),
    }
}

#[derive(Debug, Clone)]
enum TableSpec {
    None,
    /// (guard, otherwise?, lower, width) per grade.
    Graded(Vec<(CondSpec, bool, u32, u32)>),
    /// start, per factor (levels: (guard, weight %)).
    Weighted(u32, Vec<Vec<(CondSpec, u32)>>),
}

#[derive(Debug, Clone)]
struct Spec {
    statute_lo: u32,
    statute_width: u32,
    table: TableSpec,
    /// (effect 0–7, shall, condition)
    circs: Vec<(u8, bool, CondSpec)>,
    mixed: u8,
    first: bool,
    floor: u8,
    all_lighter: bool,
    all_reduced: bool,
    lighter_share: u32,
    heavier_share: u32,
}

fn table_spec() -> impl Strategy<Value = TableSpec> {
    prop_oneof![
        Just(TableSpec::None),
        proptest::collection::vec((cond_spec(), any::<bool>(), 0..200u32, 0..200u32), 1..5)
            .prop_map(TableSpec::Graded),
        (
            0..30u32,
            proptest::collection::vec(
                proptest::collection::vec((cond_spec(), 0..40u32), 1..4),
                0..3
            )
        )
            .prop_map(|(s, f)| TableSpec::Weighted(s, f)),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (0..3u32, 1..200u32, table_spec()),
        proptest::collection::vec((0..8u8, any::<bool>(), cond_spec()), 0..4),
        (
            0..4u8,
            any::<bool>(),
            0..3u8,
            any::<bool>(),
            any::<bool>(),
            1..50u32,
            1..50u32,
        ),
    )
        .prop_map(
            |((lo, w, table), circs, (mixed, first, floor, al, ar, ls, hs))| Spec {
                statute_lo: lo,
                statute_width: w,
                table,
                circs,
                mixed,
                first,
                floor,
                all_lighter: al,
                all_reduced: ar,
                lighter_share: ls,
                heavier_share: hs,
            },
        )
}

fn k(x: u32) -> String {
    (u64::from(x) * 1000).to_string()
}

const EFFECTS: [Effect; 8] = [
    Effect::Lighter,
    Effect::Heavier,
    Effect::Reduced,
    Effect::LighterOrReduced,
    Effect::NoPenalty,
    Effect::GradeMaximum,
    Effect::GradeMinimum,
    Effect::GradeUp,
];

fn build(s: &Spec, unknown: UnknownFactor) -> (Ruleset, Vec<FactId>) {
    let mut b = Rb::new();
    let f = vec![
        b.fact("b0", FactType::Bool),
        b.fact("b1", FactType::Bool),
        b.fact("b2", FactType::Bool),
        b.fact(
            "e",
            FactType::Enum(vec!["轻".into(), "中".into(), "重".into()]),
        ),
        b.fact("n", FactType::Number),
    ];
    // Statute: lo × 10000 (0: maximum only), width × 1000.
    let lo = s.statute_lo * 10;
    let rule = if lo == 0 {
        max_only(&k(s.statute_width))
    } else {
        range(&k(lo), &k(lo + s.statute_width))
    };
    let table = match &s.table {
        TableSpec::None => Table::None,
        TableSpec::Graded(gs) => Table::Graded(
            gs.iter()
                .enumerate()
                .map(|(i, (c, other, glo, gw))| {
                    let guard = if *other && i + 1 == gs.len() {
                        Guard::Otherwise
                    } else {
                        Guard::When(lower(c, &f))
                    };
                    grade(&format!("G{i}"), guard, range(&k(*glo), &k(glo + gw)))
                })
                .collect(),
        ),
        TableSpec::Weighted(start, factors) => Table::Weighted(Weighted {
            start: d(&format!("0.{start:02}")),
            factors: factors
                .iter()
                .enumerate()
                .map(|(i, levels)| Factor {
                    name: format!("因素{i}"),
                    description: None,
                    levels: levels
                        .iter()
                        .map(|(c, w)| FactorLevel {
                            label: None,
                            guard: Guard::When(lower(c, &f)),
                            weight: d(&format!("0.{w:02}")),
                            span: Span::default(),
                        })
                        .collect(),
                    span: Span::default(),
                })
                .collect(),
            cap: d("1"),
            floor: d("0.1"),
            times: WeightedBase::StatutoryMaximum,
            span: Span::default(),
        }),
    };
    b.matter("M", vec![statute(rule)], table);
    for (i, (e, shall, c)) in s.circs.iter().enumerate() {
        let m = if *shall {
            Modality::Shall
        } else {
            Modality::May
        };
        b.circ(&format!("C{i}"), m, EFFECTS[*e as usize], lower(c, &f));
    }
    let p = &mut b.rs.policy;
    p.mixed = [
        MixedRule::Ask,
        MixedRule::Offset,
        MixedRule::LighterPrevails,
        MixedRule::HeavierPrevails,
    ][s.mixed as usize];
    p.several_grades = if s.first {
        SeveralGrades::First
    } else {
        SeveralGrades::Heavier
    };
    p.reduced_floor = match s.floor {
        0 => ReducedFloor::None,
        1 => ReducedFloor::Amount(d("500")),
        _ => ReducedFloor::ShareOfMinimum(d("0.5")),
    };
    p.lighter_requires = if s.all_lighter {
        Quantifier::All
    } else {
        Quantifier::Any
    };
    p.reduced_requires = if s.all_reduced {
        Quantifier::All
    } else {
        Quantifier::Any
    };
    p.lighter = band(
        BandReference::Grade,
        "0",
        &format!("0.{:02}", s.lighter_share),
    );
    p.heavier = band(
        BandReference::Grade,
        &format!("0.{:02}", 100 - s.heavier_share),
        "1",
    );
    p.unknown_factor = unknown;
    (b.finish(), f)
}

type Facts = (bool, bool, bool, u16, usize);

fn facts() -> impl Strategy<Value = Facts> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0..3u16,
        0..NUM_DOMAIN.len(),
    )
}

fn case_of(rs: &Ruleset, f: &[FactId], v: &[Option<Value>; 5]) -> Case {
    let mut c = Case::new(rs, MatterId(0));
    for (i, x) in v.iter().enumerate() {
        if let Some(x) = x {
            c.set(f[i], *x);
        }
    }
    c
}

fn values(x: &Facts) -> [Option<Value>; 5] {
    [
        Some(Value::Bool(x.0)),
        Some(Value::Bool(x.1)),
        Some(Value::Bool(x.2)),
        Some(Value::Enum(x.3)),
        Some(Value::Number(d(NUM_DOMAIN[x.4]))),
    ]
}

fn eval<'r>(rs: &'r Ruleset, c: &Case) -> Recommendation<'r> {
    evaluate(rs, c, &EvalOptions::default()).unwrap()
}

/// Whether a 减轻 could be part of the result (a reduced or 从轻或者减轻
/// circumstance is present in the ruleset).
fn has_reduced(rs: &Ruleset) -> bool {
    rs.circumstances
        .iter()
        .any(|c| matches!(c.effect, Effect::Reduced | Effect::LighterOrReduced))
}

fn floor_of(rs: &Ruleset, s: &FineRange) -> FineRange {
    let (lo, inc) = match rs.policy.reduced_floor {
        ReducedFloor::None => (d("0"), false),
        ReducedFloor::Amount(a) => (a.min(s.lower), true),
        ReducedFloor::ShareOfMinimum(p) => (p * s.lower, true),
    };
    FineRange {
        lower: lo,
        lower_inclusive: inc,
        upper: s.upper,
        upper_inclusive: s.upper_inclusive,
    }
}

/// `a` is nowhere above `b`: lower and upper ends not higher.
fn not_higher(a: &FineRange, b: &FineRange) -> bool {
    a.lower <= b.lower
        && match (a.upper, b.upper) {
            (Some(x), Some(y)) => x <= y,
            (_, None) => true,
            (None, Some(_)) => false,
        }
}

fn add_circ(rs: &Ruleset, effect: Effect) -> Ruleset {
    let mut rs = rs.clone();
    let i = rs.circumstances.len();
    rs.circumstances.push(Circumstance {
        id: "新增".into(),
        name: None,
        modality: Modality::Shall,
        effect,
        when: Cond::True,
        basis: None,
        scope: None,
        obligations: Vec::new(),
        span: Span::default(),
    });
    for m in &mut rs.matters {
        m.circumstances.push(i);
    }
    rs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(400),
    ))]

    #[test]
    fn within_statute_unless_reduced(s in spec(), x in facts()) {
        let (rs, f) = build(&s, UnknownFactor::Lowest);
        let r = eval(&rs, &case_of(&rs, &f, &values(&x)));
        if let (Some(fine), Some(st)) = (r.fine, r.statutory_range) {
            if has_reduced(&rs) {
                prop_assert!(floor_of(&rs, &st).contains_range(&fine.range), "{:?} vs {:?}", fine.range, st);
            } else {
                prop_assert!(st.contains_range(&fine.range), "{:?} vs {:?}", fine.range, st);
            }
        }
    }

    #[test]
    fn lighter_never_raises_heavier_never_lowers(s in spec(), x in facts()) {
        let (rs, f) = build(&s, UnknownFactor::Lowest);
        let c = case_of(&rs, &f, &values(&x));
        let base = eval(&rs, &c);
        let Some(b) = base.fine else { return Ok(()) };
        for e in [Effect::Lighter, Effect::Reduced, Effect::LighterOrReduced] {
            let rs2 = add_circ(&rs, e);
            let r = eval(&rs2, &c);
            if let Some(fr) = r.fine {
                prop_assert!(not_higher(&fr.range, &b.range), "{e:?}: {:?} after {:?}", fr.range, b.range);
            }
        }
        let rs2 = add_circ(&rs, Effect::Heavier);
        let r = eval(&rs2, &c);
        let fr = r.fine.unwrap();
        prop_assert!(not_higher(&b.range, &fr.range), "heavier: {:?} after {:?}", fr.range, b.range);
    }

    #[test]
    fn mandatory_no_penalty_wins(s in spec(), x in facts()) {
        let (rs, f) = build(&s, UnknownFactor::Lowest);
        let rs2 = add_circ(&rs, Effect::NoPenalty);
        let r = eval(&rs2, &case_of(&rs2, &f, &values(&x)));
        prop_assert_eq!(r.outcome, Outcome::NoPenalty);
        prop_assert!(r.fine.is_none());
    }

    #[test]
    fn deterministic_and_total(s in spec(), x in facts(), mask in 0u8..32, trace in any::<bool>()) {
        let (rs, f) = build(&s, UnknownFactor::Lowest);
        let mut v = values(&x);
        for (i, slot) in v.iter_mut().enumerate() {
            if mask & (1 << i) != 0 {
                *slot = None;
            }
        }
        let c = case_of(&rs, &f, &v);
        let a = evaluate(&rs, &c, &EvalOptions { trace }).unwrap();
        let b = evaluate(&rs, &c, &EvalOptions { trace }).unwrap();
        prop_assert_eq!(a.to_json(), b.to_json());
        let _ = cailiang::eval::render_human(&a, &rs);
    }

    #[test]
    fn envelope_contains_every_completion(s in spec(), x in facts(), mask in 1u8..32) {
        let (rs, f) = build(&s, UnknownFactor::AllLevels);
        let mut v = values(&x);
        for (i, slot) in v.iter_mut().enumerate() {
            if mask & (1 << i) != 0 {
                *slot = None;
            }
        }
        let env = eval(&rs, &case_of(&rs, &f, &v));
        // Every completion of the missing facts.
        let domains: Vec<Vec<Value>> = (0..5)
            .map(|i| match (i, v[i]) {
                (_, Some(x)) => vec![x],
                (0..=2, None) => vec![Value::Bool(false), Value::Bool(true)],
                (3, None) => (0..3).map(Value::Enum).collect(),
                _ => NUM_DOMAIN.iter().map(|s| Value::Number(d(s))).collect(),
            })
            .collect();
        let mut idx = [0usize; 5];
        loop {
            let full: [Option<Value>; 5] = std::array::from_fn(|i| Some(domains[i][idx[i]]));
            let r = eval(&rs, &case_of(&rs, &f, &full));
            prop_assert!(r.missing_facts.is_empty());
            prop_assert!(env.possible_outcomes.contains(r.outcome), "{:?} not in {:?}", r.outcome, env.possible_outcomes);
            if let Some(fr) = r.fine {
                let ef = env.fine.unwrap();
                prop_assert!(ef.range.contains_range(&fr.range), "{:?} not in {:?}", fr.range, ef.range);
            }
            if let Some(g) = r.grade {
                prop_assert!(env.grade == Some(g) || env.possible_grades.contains(&g));
            }
            // Next completion.
            let mut i = 0;
            loop {
                if i == 5 {
                    return Ok(());
                }
                idx[i] += 1;
                if idx[i] < domains[i].len() {
                    break;
                }
                idx[i] = 0;
                i += 1;
            }
        }
    }

    #[test]
    fn grade_up_never_lowers_and_never_exceeds_the_statute(s in spec(), x in facts()) {
        let (rs, f) = build(&s, UnknownFactor::Lowest);
        let c = case_of(&rs, &f, &values(&x));
        let base = eval(&rs, &c);
        let rs2 = add_circ(&rs, Effect::GradeUp);
        let r = eval(&rs2, &c);
        if let (Some(b), Some(fr)) = (base.fine, r.fine) {
            prop_assert!(not_higher(&b.range, &fr.range), "上调一个档次 lowered: {:?} after {:?}", fr.range, b.range);
            if let (Some(st), Some(u)) = (r.statutory_range, fr.range.upper) {
                prop_assert!(st.upper.is_none_or(|m| u <= m), "above the statute: {:?} vs {:?}", fr.range, st);
            }
        }
    }

    #[test]
    fn grade_points_stay_inside_the_grade_and_the_statute(s in spec(), x in facts()) {
        let (mut rs, f) = build(&s, UnknownFactor::Lowest);
        // No other circumstance, 一般 = the whole grade: the plain result is
        // the grade's range (clamped into the statute).
        rs.circumstances.clear();
        for m in &mut rs.matters {
            m.circumstances.clear();
        }
        rs.policy.ordinary = band(BandReference::Grade, "0", "1");
        let c = case_of(&rs, &f, &values(&x));
        let plain = eval(&rs, &c);
        for e in [Effect::GradeMaximum, Effect::GradeMinimum] {
            let rs2 = add_circ(&rs, e);
            let r = eval(&rs2, &c);
            if let (Some(p), Some(fr)) = (plain.fine, r.fine) {
                prop_assert!(p.range.contains_range(&fr.range), "{e:?}: {:?} outside the grade {:?}", fr.range, p.range);
                // A point, unless the grade lies wholly outside the statute
                // (its clamped range is then empty and so is the point).
                // 本档较低限 of a grade starting at 0 is its 从轻 band (documented).
                if plain.grade.is_some()
                    && p.range.upper.is_some_and(|u| u > p.range.lower)
                    && !r.warnings.iter().any(|w| w.code == "grade_minimum_open")
                {
                    prop_assert!(fr.point.is_some(), "{e:?}: not a point: {:?}", fr.range);
                }
            }
        }
    }

    #[test]
    fn a_cap_never_raises_a_fine(rate_lo in 0u32..100, rate_w in 0u32..100, days in 0u32..1000, cap in 0u32..5000, fixed_lo in any::<bool>()) {
        let run = |cap: Option<u32>| {
            let mut b = Rb::new();
            let q = b.fact("逾期天数", FactType::Quantity(cailiang::value::Unit::parse("天").unwrap()));
            let amt = |r: u32| Amount::OfBase { base: q, floor: None, factor: Decimal::from(r), cap: cap.map(Decimal::from) };
            let lower = if fixed_lo { None } else { Some(inc(amt(rate_lo))) };
            b.matter("D", vec![statute(FineRule::Range { lower, upper: inc(amt(rate_lo + rate_w)) })], Table::None);
            let rs = b.finish();
            let mut c = Case::new(&rs, MatterId(0));
            c.set(q, Value::Number(Decimal::from(days)));
            eval(&rs, &c).fine.map(|f| f.range)
        };
        let (Some(free), Some(capped)) = (run(None), run(Some(cap))) else { return Ok(()) };
        prop_assert!(not_higher(&capped, &free), "{capped:?} above {free:?}");
        let c = Decimal::from(cap);
        prop_assert!(capped.upper.is_some_and(|u| u <= c) || c > free.upper.unwrap_or(c));
    }

    /// A grade marked 减轻 never goes above the statutory maximum nor below
    /// the 减轻下限 policy, whatever its range and the circumstances.
    #[test]
    fn a_reduced_grade_stays_under_the_maximum_and_above_the_floor(s in spec(), x in facts(), mask in any::<u8>()) {
        let (mut rs, f) = build(&s, UnknownFactor::Lowest);
        mark_reduced(&mut rs, mask);
        let r = eval(&rs, &case_of(&rs, &f, &values(&x)));
        let reduced = selected_is_reduced(&rs, &r);
        if let (true, Some(fine), Some(st)) = (reduced, r.fine, r.statutory_range) {
            prop_assert!(not_higher(&FineRange { lower: d("0"), lower_inclusive: true, upper: fine.range.upper, upper_inclusive: true }, &st),
                "above the maximum: {:?} vs {:?}", fine.range, st);
            let floor = match rs.policy.reduced_floor {
                ReducedFloor::None => d("0"),
                ReducedFloor::Amount(a) => a,
                ReducedFloor::ShareOfMinimum(p) => p * st.lower,
            };
            prop_assert!(fine.range.lower >= floor, "below the floor {floor}: {:?}", fine.range);
            for o in &r.options {
                if let Some(or) = o.range {
                    prop_assert!(or.lower >= floor, "option below the floor {floor}: {:?}", or);
                }
            }
        }
    }

    /// On grades marked 减轻 too, lighter circumstances never raise the fine.
    #[test]
    fn lighter_never_raises_on_reduced_grades(s in spec(), x in facts(), mask in any::<u8>()) {
        let (mut rs, f) = build(&s, UnknownFactor::Lowest);
        mark_reduced(&mut rs, mask);
        let c = case_of(&rs, &f, &values(&x));
        let base = eval(&rs, &c);
        let Some(b) = base.fine else { return Ok(()) };
        for e in [Effect::Lighter, Effect::Reduced, Effect::LighterOrReduced] {
            let rs2 = add_circ(&rs, e);
            let r = eval(&rs2, &c);
            if let Some(fr) = r.fine {
                prop_assert!(not_higher(&fr.range, &b.range), "{e:?}: {:?} after {:?}", fr.range, b.range);
            }
        }
    }

    /// A mandatory 从轻 list item's own range is clamped into the statute: the
    /// result stays inside the statutory range whatever the item says.
    #[test]
    fn a_lighter_item_range_stays_inside_the_statute(s in spec(), x in facts(), lo in 0u32..300, w in 0u32..300) {
        let (rs, f) = build(&s, UnknownFactor::Lowest);
        let rs = add_item(&rs, ListKind::Lighter, range(&k(lo), &k(lo + w)));
        let r = eval(&rs, &case_of(&rs, &f, &values(&x)));
        if let (Some(fine), Some(st)) = (r.fine, r.statutory_range) {
            if !has_reduced(&rs) {
                prop_assert!(st.contains_range(&fine.range), "{:?} vs {:?}", fine.range, st);
            }
        }
    }

    /// A mandatory 减轻 list item's range never exceeds the statutory maximum.
    #[test]
    fn a_reduced_item_range_stays_under_the_maximum(s in spec(), x in facts(), lo in 0u32..300, w in 0u32..300) {
        let (rs, f) = build(&s, UnknownFactor::Lowest);
        let rs = add_item(&rs, ListKind::Reduced, range(&k(lo), &k(lo + w)));
        let r = eval(&rs, &case_of(&rs, &f, &values(&x)));
        if let (Some(fine), Some(st)) = (r.fine, r.statutory_range) {
            prop_assert!(fine.range.upper.is_some_and(|u| st.upper.is_none_or(|m| u <= m)), "{:?} vs {:?}", fine.range, st);
        }
    }
}

/// Marks the grades whose bit is set in `mask` as 减轻.
fn mark_reduced(rs: &mut Ruleset, mask: u8) {
    if let Table::Graded(gs) = &mut rs.matters[0].table {
        for (i, g) in gs.iter_mut().enumerate() {
            g.reduced = mask & (1 << i) != 0;
        }
    }
}

fn selected_is_reduced(rs: &Ruleset, r: &Recommendation<'_>) -> bool {
    let (Table::Graded(gs), Some(g)) = (&rs.matters[0].table, r.grade) else {
        return false;
    };
    gs.iter().any(|x| x.id == g.id && x.reduced)
}

/// Adds a mandatory list item of `kind` with its own fine, holding always.
fn add_item(rs: &Ruleset, kind: ListKind, rule: FineRule) -> Ruleset {
    let mut rs = rs.clone();
    let li = rs.lists.len();
    rs.lists.push(List {
        kind,
        id: "清单".into(),
        name: "测试清单".into(),
        basis: None,
        fixed: false,
        items: vec![ListItem {
            id: "1".into(),
            name: "条目".into(),
            scope: None,
            when: Cond::True,
            modality: Modality::Shall,
            obligations: Vec::new(),
            basis: None,
            fine: Some(rule),
            span: Span::default(),
        }],
        word: None,
        span: Span::default(),
    });
    for m in &mut rs.matters {
        m.list_items.push((li, 0));
    }
    rs
}

/// A ruleset from text (one file), checked.
fn ruleset_from(text: &str) -> cailiang::model::Ruleset {
    let mut sources = cailiang::source::SourceMap::new();
    let id = sources.add("p.rules", text);
    let ast = cailiang::syntax::parse(id, text).unwrap();
    let (rs, diags) = cailiang::check::check(&[(id, ast)], &sources);
    rs.unwrap_or_else(|| panic!("{text}\n{diags:#?}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A grade's period inside the statute's is recommended as written and
    /// stays inside the statutory period; 择一 never imposes a fine and
    /// reports every alternative as a required choice.
    #[test]
    fn recommended_period_stays_inside_the_statute_and_one_of_never_imposes_both(
        a in 1u32..60, w in 0u32..60, x in 0u32..60, y in 0u32..60,
        months in any::<bool>(), hi in 1u32..5000,
    ) {
        let (sa, sb) = (a, a + w + x + y);
        let (ga, gb) = (a + x.min(w), a + x.min(w) + y.min(w));
        let u = if months { "个月" } else { "日" };
        let text = format!(
            "规则集 \"p\" {{ 边界 以上含本数 以下含本数 }}\n事项 A \"a\" {{\n  法定 {{ 暂扣 \"许可证\" {sa}{u} 至 {sb}{u}; 择一 {{ 警告; 罚款 {hi}元以下 }} }}\n  阶次 1 \"一\" 其他 {{ 暂扣 \"许可证\" {ga}{u} 至 {gb}{u} }}\n}}\n"
        );
        let rs = ruleset_from(&text);
        let c = Case::new(&rs, cailiang::model::MatterId(0));
        let rec = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
        // 择一: no fine imposed, both alternatives offered, as required choices.
        prop_assert!(rec.fine.is_none());
        let alts: Vec<_> = rec.options.iter().filter(|o| o.kind == cailiang::eval::ChoiceKind::OneOf).collect();
        prop_assert_eq!(alts.len(), 2);
        prop_assert!(alts.iter().all(|o| o.required));
        // The period: the grade's, inside the statute's.
        let s: Vec<_> = rec.sanctions.iter().collect();
        prop_assert_eq!(s.len(), 1);
        let (p, sp) = rec.sanctions.periods(s[0]);
        let (p, sp) = (p.unwrap(), sp.unwrap());
        prop_assert!(p.inside(&sp));
        prop_assert_eq!(p.range.lower.unwrap().value, Decimal::from(ga));
        prop_assert_eq!(p.range.upper.unwrap().value, Decimal::from(gb));
    }
}

// ----- the compiled form agrees with the interpreter ------------------------------

/// What the compiled form must follow beyond the model `Spec` builds:
/// rounding, the boundary convention, the dates (limitation and statute
/// versions), a conditional limitation, a second statute version, a 可以
/// fine, other sanctions, obligations, a list item and forgotten facts.
#[derive(Debug, Clone)]
struct Knobs {
    rounding: u8,
    declared: bool,
    /// Months from the act to the discovery (None: not given) and to the decision.
    discovery: Option<u8>,
    decision: Option<u8>,
    no_act_date: bool,
    limitation: Option<CondSpec>,
    /// 0: one version; 1: a second version from 2023 (heavier); 2: the act
    /// date's version not punishable.
    versions: u8,
    may_fine: bool,
    /// 0: none; 1: 并处 (must); 2: 可以并处; 3: a conditional one.
    sanction: u8,
    obligations: bool,
    /// (kind 0–3, shall, condition)
    list: Option<(u8, bool, CondSpec)>,
    unknown: u8,
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        (
            0..4u8,
            any::<bool>(),
            proptest::option::of(0..40u8),
            proptest::option::of(0..40u8),
            proptest::bool::weighted(0.05),
        ),
        (
            proptest::option::weighted(0.2, cond_spec()),
            0..3u8,
            any::<bool>(),
            0..4u8,
            any::<bool>(),
        ),
        (
            proptest::option::weighted(0.3, (0..4u8, any::<bool>(), cond_spec())),
            prop_oneof![8 => Just(0u8), 2 => 1..32u8],
        ),
    )
        .prop_map(
            |(
                (rounding, declared, discovery, decision, no_act_date),
                (limitation, versions, may_fine, sanction, obligations),
                (list, unknown),
            )| Knobs {
                rounding,
                declared,
                discovery,
                decision,
                no_act_date,
                limitation,
                versions,
                may_fine,
                sanction,
                obligations,
                list,
                unknown,
            },
        )
}

fn date_after(months: u8) -> cailiang::value::Date {
    let m = u32::from(months);
    cailiang::value::Date::new(2022 + (m / 12) as i32, (m % 12 + 1) as u8, 15).unwrap()
}

fn tweak(rs: &mut Ruleset, k: &Knobs, f: &[FactId]) {
    rs.policy.rounding = [
        Rounding::Exact,
        Rounding::Yuan,
        Rounding::Hundred,
        Rounding::Thousand,
    ][k.rounding as usize];
    rs.meta.boundaries.declared = k.declared;
    if let Some(c) = &k.limitation {
        rs.limitation = vec![LimitationRule {
            period: Period::Months(6),
            when: Some(lower(c, f)),
            basis: None,
            span: Span::default(),
        }];
    }
    let m = &mut rs.matters[0];
    if k.may_fine {
        if let Some(fi) = &mut m.statutes[0].fine {
            fi.modality = Modality::May;
        }
    }
    let sanction = |name: &str, modality, when| OtherSanction {
        name: name.into(),
        display: name.into(),
        kind: None,
        object: None,
        period: None,
        modality,
        needs_approval: false,
        when,
        span: Span::default(),
    };
    match k.sanction {
        1 => m.statutes[0]
            .others
            .push(sanction("责令改正", Modality::Shall, None)),
        2 => m.statutes[0]
            .others
            .push(sanction("没收违法所得", Modality::May, None)),
        3 => m.statutes[0].others.push(sanction(
            "吊销许可证",
            Modality::Shall,
            Some(Cond::Bool {
                fact: f[0],
                value: true,
            }),
        )),
        _ => {}
    }
    if let Table::Graded(gs) = &mut m.table {
        if k.sanction == 2 {
            gs[0]
                .others
                .push(sanction("没收违法所得", Modality::May, None));
        }
    }
    match k.versions {
        1 => {
            let mut second = m.statutes[0].clone();
            m.statutes[0].to = Some(date_after(11));
            second.from = Some(date_after(12));
            if let Some(fi) = &mut second.fine {
                fi.rule = range("50000", "300000");
            }
            m.statutes.push(second);
        }
        2 => {
            let mut second = m.statutes[0].clone();
            m.statutes[0].to = Some(date_after(11));
            m.statutes[0].not_punishable = true;
            second.from = Some(date_after(12));
            m.statutes.push(second);
        }
        _ => {}
    }
    if k.obligations {
        for (i, c) in rs.circumstances.iter_mut().enumerate() {
            c.obligations = if i % 2 == 0 {
                vec!["教育当事人".into()]
            } else {
                vec!["签署承诺书".into()]
            };
        }
    }
    if let Some((kind, shall, c)) = &k.list {
        let li = rs.lists.len();
        rs.lists.push(List {
            kind: [
                ListKind::NoPenalty,
                ListKind::Lighter,
                ListKind::Reduced,
                ListKind::FirstOffence,
            ][*kind as usize],
            id: "清单".into(),
            name: "测试清单".into(),
            basis: Some("某清单".into()),
            fixed: false,
            word: None,
            items: vec![ListItem {
                id: "1".into(),
                name: "清单事项一".into(),
                scope: None,
                when: lower(c, f),
                modality: if *shall {
                    Modality::Shall
                } else {
                    Modality::May
                },
                obligations: if k.obligations {
                    vec!["承诺书".into()]
                } else {
                    Vec::new()
                },
                basis: None,
                fine: None,
                span: Span::default(),
            }],
            span: Span::default(),
        });
        rs.matters[0].list_items.push((li, 0));
    }
}

fn dated_case(rs: &Ruleset, f: &[FactId], x: &Facts, k: &Knobs) -> Case {
    let mut v = values(x);
    for (i, slot) in v.iter_mut().enumerate() {
        if k.unknown & (1 << i) != 0 {
            *slot = None;
        }
    }
    let mut c = case_of(rs, f, &v);
    c.act_date = (!k.no_act_date).then(|| date_after(0));
    c.discovery_date = k.discovery.map(date_after);
    c.decision_date = k.decision.map(date_after);
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(1000),
    ))]

    #[test]
    fn compiled_agrees_with_interpreter(s in spec(), x in facts(), k in knobs()) {
        let (mut rs, f) = build(&s, UnknownFactor::Lowest);
        tweak(&mut rs, &k, &f);
        let ev = cailiang::eval::Evaluator::new(&rs);
        let c = dated_case(&rs, &f, &x, &k);
        for trace in [false, true] {
            let opts = EvalOptions { trace };
            let a = ev.evaluate(&c, &opts).unwrap();
            let b = evaluate(&rs, &c, &opts).unwrap();
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(a.to_json(), b.to_json());
        }
    }
}

/// The property above exercises the fast path, not only the fallback.
#[test]
fn compiled_property_takes_the_fast_path() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (spec(), facts(), knobs());
    let (mut fast, mut compiled, n) = (0, 0, 2000);
    for _ in 0..n {
        let (s, x, k) = strategy.new_tree(&mut runner).unwrap().current();
        let (mut rs, f) = build(&s, UnknownFactor::Lowest);
        tweak(&mut rs, &k, &f);
        let ev = cailiang::eval::Evaluator::new(&rs);
        compiled += usize::from(ev.is_compiled(MatterId(0)));
        fast +=
            usize::from(ev.takes_fast_path(&dated_case(&rs, &f, &x, &k), &EvalOptions::default()));
    }
    eprintln!("{compiled} of {n} models compiled, {fast} cases on the fast path");
    // The generator also draws shapes the compiled form leaves to the
    // interpreter (within-grade adjustments, conditional and period
    // sanctions …), so a good quarter compiling is what to expect.
    assert!(compiled * 4 >= n, "{compiled} of {n} models compiled");
    assert!(fast * 20 >= n, "{fast} of {n} cases on the fast path");
}

/// The id of a fact by name.
fn fact_named(rs: &cailiang::model::Ruleset, name: &str) -> cailiang::model::FactId {
    let i = rs.facts.iter().position(|f| f.name == name).unwrap();
    cailiang::model::FactId(u32::try_from(i).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// 按日连续处罚 (`罚款 原处罚数额 乘以 计罚日数`): the fine is exactly the
    /// product, never above a written cap, and 可以 keeps it discretionary.
    #[test]
    fn product_fine_is_the_exact_product_and_never_above_the_cap(
        cents in 0i64..10_000_000_000_000, days in 0u32..100_000,
        cap in proptest::option::of(1u64..1_000_000_000),
    ) {
        let cap_text = cap.map_or(String::new(), |c| format!(" 最高不超过 {c}元"));
        let text = format!(
            "规则集 \"p\" {{ 边界 以上含本数 以下含本数 }}\n事项 A \"a\" {{\n  事实 {{ 原处罚数额: 金额; 计罚日数: 数量 日 }}\n  法定 {{ 可以 罚款 原处罚数额 乘以 计罚日数{cap_text} }}\n}}\n"
        );
        let rs = ruleset_from(&text);
        let mut c = Case::new(&rs, cailiang::model::MatterId(0));
        let money = Decimal::new(cents, 2);
        c.set(fact_named(&rs, "原处罚数额"), Value::Number(money));
        c.set(fact_named(&rs, "计罚日数"), Value::Number(Decimal::from(days)));
        let rec = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
        let fine = rec.fine.unwrap();
        prop_assert!(!fine.mandatory);
        let product = money.checked_mul(Decimal::from(days)).unwrap();
        let expected = cap.map_or(product, |cap| product.min(Decimal::from(cap)));
        prop_assert_eq!(fine.range.lower, expected);
        prop_assert_eq!(fine.range.upper, Some(expected));
        if let Some(cap) = cap {
            prop_assert!(fine.range.upper.is_some_and(|u| u <= Decimal::from(cap)));
        }
        prop_assert!(rec.missing_facts.is_empty());
    }

    /// Either operand missing: the fine is the sound envelope `0 … cap`
    /// (unbounded without a cap) and the missing fact is named.
    #[test]
    fn product_fine_with_a_missing_operand_is_the_envelope(
        days in 1u32..1000, cap in proptest::option::of(1u64..1_000_000),
    ) {
        let cap_text = cap.map_or(String::new(), |c| format!(" capped_at {c}元"));
        let text = format!(
            "ruleset \"p\" {{ boundaries above_inclusive below_inclusive }}\nmatter A \"a\" {{\n  facts {{ 原处罚数额: money; 计罚日数: integer }}\n  statute {{ may fine 原处罚数额 times 计罚日数{cap_text} }}\n}}\n"
        );
        let rs = ruleset_from(&text);
        let mut c = Case::new(&rs, cailiang::model::MatterId(0));
        c.set(fact_named(&rs, "计罚日数"), Value::Number(Decimal::from(days)));
        let rec = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
        let fine = rec.fine.unwrap();
        prop_assert_eq!(fine.range.lower, Decimal::ZERO);
        prop_assert_eq!(fine.range.upper, cap.map(Decimal::from));
        prop_assert!(rec.missing_facts.iter().any(|m| m.contains("原处罚数额")));
    }
}

/// A product too large for exact decimals is reported (`product_overflow`),
/// never wrapped and never a panic; the cap still bounds it.
#[test]
fn product_overflow_is_a_warning_not_a_panic() {
    for (cap, upper) in [
        ("", None),
        (" 最高不超过 100万", Some(Decimal::from(1_000_000))),
    ] {
        let text = format!(
            "规则集 \"p\" {{ 边界 以上含本数 以下含本数 }}\n事项 A \"a\" {{\n  事实 {{ 原处罚数额: 金额; 计罚日数: 整数 }}\n  法定 {{ 可以 罚款 原处罚数额 乘以 计罚日数{cap} }}\n}}\n"
        );
        let rs = ruleset_from(&text);
        let mut c = Case::new(&rs, cailiang::model::MatterId(0));
        c.set(fact_named(&rs, "原处罚数额"), Value::Number(Decimal::MAX));
        c.set(fact_named(&rs, "计罚日数"), Value::Number(Decimal::from(3)));
        let rec = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
        assert!(rec.warnings.iter().any(|w| w.code == "product_overflow"));
        let fine = rec.fine.unwrap();
        assert_eq!(fine.range.upper, upper);
    }
}

/// Grades may take `法定 …` bands over a product statute, and a missing
/// count leaves every grade possible with the capped envelope.
#[test]
fn grade_bands_over_a_product_statute() {
    let text = "规则集 \"p\" { 边界 以上含本数 以下不含本数 }\n事项 A \"a\" {\n  事实 { 原处罚数额: 金额; 计罚日数: 数量 日 }\n  法定 { 可以 罚款 原处罚数额 乘以 计罚日数 最高不超过 100万 }\n  阶次 1 \"轻\" 当 计罚日数 10日以下 { 罚款 法定 0% 至 50% }\n  阶次 2 \"重\" 其他 { 罚款 法定 50% 至 100% }\n}\n";
    let rs = ruleset_from(text);
    let mut c = Case::new(&rs, cailiang::model::MatterId(0));
    c.set(
        fact_named(&rs, "原处罚数额"),
        Value::Number(Decimal::from(20_000)),
    );
    c.set(fact_named(&rs, "计罚日数"), Value::Number(Decimal::from(5)));
    let rec = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    let st = rec.statutory_range.unwrap();
    assert_eq!(
        (st.lower, st.upper),
        (Decimal::from(100_000), Some(Decimal::from(100_000)))
    );
    // Past the cap: 20000 × 60 = 120万 → 100万.
    c.set(
        fact_named(&rs, "计罚日数"),
        Value::Number(Decimal::from(60)),
    );
    let rec = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    assert_eq!(
        rec.fine.unwrap().range.upper,
        Some(Decimal::from(1_000_000))
    );
    // Missing count: both facts' envelope up to the cap, the count named.
    let mut c = Case::new(&rs, cailiang::model::MatterId(0));
    c.set(
        fact_named(&rs, "原处罚数额"),
        Value::Number(Decimal::from(20_000)),
    );
    let rec = evaluate(&rs, &c, &EvalOptions::default()).unwrap();
    let fine = rec.fine.unwrap();
    assert_eq!(fine.range.lower, Decimal::ZERO);
    assert_eq!(fine.range.upper, Some(Decimal::from(1_000_000)));
    assert!(rec.missing_facts.contains(&"计罚日数"));
}
