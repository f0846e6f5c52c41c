//! Unit tests of the evaluator on hand-built models.
#![allow(clippy::unwrap_used)]

mod prelude {
    pub use crate::model::*;
    pub use crate::source::Span;
    pub use crate::syntax::ast::{
        BandReference, Effect, ListKind, MixedRule, Modality, Quantifier, Rounding, SeveralGrades,
        UnknownFactor,
    };
}

#[path = "../../tests/common/build.rs"]
mod build;

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
