//! Property tests: the validator against brute-force enumeration of every
//! integer point on small generated domains (a bool, an enum of three
//! values, an integer 0–10; points 0–11 cover every cell, since no
//! condition uses an endpoint above 10).
//!
//! Grade selection is evaluated by a small reference function here; switch
//! to `cailiang::eval::evaluate` when the evaluator lands.

use cailiang::load;
use cailiang::model::Value;
use cailiang::validate::{self, Finding};
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
struct Grade {
    b: Option<bool>,
    e: Option<Vec<u16>>,
    n: Option<(u8, u8)>,
    lo: u8,
    hi: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Pt {
    b: bool,
    e: u16,
    n: u8,
}

const ENUM: [&str; 3] = ["轻", "中", "重"];

fn points() -> Vec<Pt> {
    let mut v = Vec::new();
    for b in [false, true] {
        for e in 0..3 {
            for n in 0..=11 {
                v.push(Pt { b, e, n });
            }
        }
    }
    v
}

impl Grade {
    fn matches(&self, p: Pt) -> bool {
        self.b.is_none_or(|b| b == p.b)
            && self.e.as_ref().is_none_or(|es| es.contains(&p.e))
            && self.n.is_none_or(|(a, z)| a <= p.n && p.n <= z)
    }
    fn cond(&self) -> String {
        let mut parts = Vec::new();
        if let Some(b) = self.b {
            parts.push(if b {
                "甲".to_string()
            } else {
                "非 甲".to_string()
            });
        }
        if let Some(es) = &self.e {
            let names: Vec<&str> = es.iter().map(|i| ENUM[*i as usize]).collect();
            parts.push(format!("乙 属于 ({})", names.join(", ")));
        }
        if let Some((a, z)) = self.n {
            parts.push(format!("丙 >= {a} 且 丙 <= {z}"));
        }
        if parts.is_empty() {
            "丙 >= 0".to_string()
        } else {
            parts.join(" 且 ")
        }
    }
}

fn grade() -> impl Strategy<Value = Grade> {
    (
        proptest::option::of(any::<bool>()),
        proptest::option::of(proptest::sample::subsequence(vec![0u16, 1, 2], 1..=3)),
        proptest::option::of((0u8..=10, 0u8..=10).prop_map(|(a, b)| (a.min(b), a.max(b)))),
        1u8..=100,
        1u8..=100,
    )
        .prop_map(|(b, e, n, x, y)| Grade {
            b,
            e,
            n,
            lo: x.min(y),
            hi: x.max(y),
        })
}

fn text(grades: &[Grade], policy: bool) -> String {
    let mut s =
        String::from("规则集 \"生成\" {\n  施行 2024-01-01\n  边界 以上含本数 以下含本数\n");
    if policy {
        s.push_str("  政策 { 多阶次: 从重 }\n");
    }
    s.push_str("}\n事项 M \"生成的事项\" {\n  事实 { 甲: 是否; 乙: 枚举(轻, 中, 重); 丙: 整数 }\n  法定 { 罚款 1元 至 100元 }\n");
    for (i, g) in grades.iter().enumerate() {
        s.push_str(&format!(
            "  阶次 {} 当 {} {{ 罚款 {}元 至 {}元 }}\n",
            i + 1,
            g.cond(),
            g.lo,
            g.hi
        ));
    }
    s.push_str("}\n");
    s
}

/// The heavier (last listed) matching grade.
fn select(grades: &[Grade], p: Pt) -> Option<usize> {
    grades.iter().rposition(|g| g.matches(p))
}

fn point_of(f: &Finding, case: usize) -> Pt {
    let w = f.witness.as_ref().expect("a witness");
    let v = &w.cases[case].case.values;
    let b = match v.get("甲") {
        Some(Value::Bool(b)) => *b,
        _ => false,
    };
    let e = match v.get("乙") {
        Some(Value::Enum(e)) => *e,
        _ => 0,
    };
    let n = match v.get("丙") {
        Some(Value::Number(d)) => u8::try_from(d.trunc().mantissa()).unwrap_or(0).min(11),
        _ => 0,
    };
    // Facts the conditions do not read are free: any value will do.
    Pt { b, e, n }
}

fn load_one(text: &str) -> cailiang::model::Ruleset {
    let read = |_: &str| None;
    let l = load::load("g.rules", text, &read);
    l.ruleset
        .unwrap_or_else(|| panic!("{text}\n{:#?}", l.diagnostics))
}

/// A witness point, with free facts filled by every value: all variants.
fn variants(f: &Finding, case: usize) -> Vec<Pt> {
    let w = f.witness.as_ref().expect("a witness");
    let v = &w.cases[case].case.values;
    let base = point_of(f, case);
    points()
        .into_iter()
        .filter(|p| {
            (!v.contains_key("甲") || p.b == base.b)
                && (!v.contains_key("乙") || p.e == base.e)
                && (!v.contains_key("丙") || p.n == base.n)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn gaps_and_overlaps_match_brute_force(grades in proptest::collection::vec(grade(), 2..=4)) {
        let rs = load_one(&text(&grades, false));
        let fs = validate::analyse(&rs);
        // Gaps.
        let gap_exists = points().into_iter().any(|p| select(&grades, p).is_none());
        let gaps: Vec<&Finding> = fs.iter().filter(|f| f.diagnostic.code == "V0101").collect();
        prop_assert_eq!(gaps.len(), usize::from(gap_exists));
        for g in &gaps {
            // Facts the space does not hold are read by no condition.
            for p in variants(g, 0) {
                prop_assert!(select(&grades, p).is_none(), "witness {:?} is no gap", p);
            }
        }
        // Overlaps with different ranges (no 多阶次 policy declared).
        let mut pairs = BTreeSet::new();
        for p in points() {
            let m: Vec<usize> = (0..grades.len()).filter(|i| grades[*i].matches(p)).collect();
            for (x, a) in m.iter().enumerate() {
                for b in m.iter().skip(x + 1) {
                    if (grades[*a].lo, grades[*a].hi) != (grades[*b].lo, grades[*b].hi) {
                        pairs.insert((*a, *b));
                    }
                }
            }
        }
        let overlaps: Vec<&Finding> = fs.iter().filter(|f| f.diagnostic.code == "V0102").collect();
        prop_assert_eq!(overlaps.len(), pairs.len());
        for o in &overlaps {
            let p = point_of(o, 0);
            let m = grades.iter().filter(|g| g.matches(p)).count();
            prop_assert!(m >= 2, "witness {:?} matches {} grades", p, m);
        }
    }

    #[test]
    fn refinement_findings_match_brute_force(
        sup in proptest::collection::vec(grade(), 2..=4),
        town in proptest::collection::vec(grade(), 2..=4),
    ) {
        let s = load_one(&text(&sup, true));
        let t = load_one(&text(&town, true));
        let fs = validate::validate(&t, &s);
        let disagree = |p: Pt| -> Option<(Option<usize>, usize)> {
            let sg = select(&sup, p)?;
            match select(&town, p) {
                None => Some((None, sg)),
                Some(tg) => {
                    let (a, b) = (&town[tg], &sup[sg]);
                    (!(a.lo >= b.lo && a.hi <= b.hi)).then_some((Some(tg), sg))
                }
            }
        };
        let expected: BTreeSet<(Option<usize>, usize)> =
            points().into_iter().filter_map(disagree).collect();
        let mut reported = BTreeSet::new();
        for f in fs.iter().filter(|f| f.diagnostic.code == "V0204") {
            // Every reported witness really disagrees, whatever the free facts.
            for p in variants(f, 0) {
                let d = disagree(p);
                prop_assert!(d.is_some(), "witness {:?} does not disagree", p);
                if let Some(d) = d {
                    reported.insert(d);
                }
            }
        }
        // Every disagreement found by enumeration is reported.
        prop_assert_eq!(expected, reported);
    }
}
