//! Coverage of a ruleset by scenario cases (`cailiang test --coverage`):
//! which grades, weighted factor levels, circumstances and list items no case
//! reached, and which thresholds no case tests on either side.
//!
//! Pure: cases are evaluated with the trace on, and a rule counts as reached
//! when a trace step points at it (its span), or, for grades, when it is the
//! selected or a possible grade.

use crate::case::Case;
use crate::eval::{EvalOptions, evaluate};
use crate::model::{Cond, FactId, FactType, Guard, MatterId, Ruleset, Table, Value};
use crate::source::Span;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeSet;

/// The smallest step that moves a value across a boundary `b` of a fact of
/// type `ty`: 1 for integers, otherwise 0.01 (or finer when `b` is finer).
pub fn step_for(ty: &FactType, b: Decimal) -> Decimal {
    if matches!(ty, FactType::Integer) {
        return Decimal::ONE;
    }
    let scale = b.normalize().scale().max(2);
    Decimal::new(1, scale)
}

/// Something no case reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// `grade`, `factor_level`, `circumstance`, `list_item`.
    pub kind: &'static str,
    /// The matter (grades, levels, matter-own circumstances).
    pub matter: Option<String>,
    /// Its id (grade id, `因素/档`, circumstance id, `清单 第N项`).
    pub id: String,
    /// Its description.
    pub name: Option<String>,
}

/// A threshold side no case tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundaryGap {
    /// The matter whose cases were looked at.
    pub matter: String,
    /// The rule the threshold belongs to (`阶次 2`, `情节 X` …).
    pub rule: String,
    /// The fact.
    pub fact: String,
    /// The threshold as written in the fact's unit.
    pub threshold: String,
    /// The values just on either side (`9.99吨`, `10吨`).
    pub sides: [String; 2],
    /// The sides no case has.
    pub missing: Vec<String>,
}

/// Coverage of one ruleset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Cases looked at.
    pub cases: usize,
    /// Matters no case names.
    pub untested_matters: Vec<String>,
    /// Rules no case reached.
    pub unreached: Vec<Gap>,
    /// Threshold sides no case tests.
    pub boundaries: Vec<BoundaryGap>,
}

impl Coverage {
    /// Whether everything was reached and every threshold tested.
    pub fn is_complete(&self) -> bool {
        self.untested_matters.is_empty() && self.unreached.is_empty() && self.boundaries.is_empty()
    }
}

struct Rule<'a> {
    kind: &'static str,
    matter: Option<String>,
    id: String,
    name: Option<String>,
    span: Span,
    cond: Option<&'a Cond>,
    /// Matters it belongs to (whose cases count).
    matters: Vec<MatterId>,
    label: String,
}

fn unit_text(ty: &FactType) -> &'static str {
    match ty {
        FactType::Money => "元",
        FactType::Quantity(u) => u.name,
        FactType::Percent => "%",
        _ => "",
    }
}

fn numbers(c: &Cond, out: &mut Vec<(FactId, Decimal, bool, bool)>) {
    // (fact, value, is_lower, inclusive)
    match c {
        Cond::Number { fact, interval, .. } => {
            if let Some(b) = interval.lower {
                out.push((*fact, b.value, true, b.inclusive));
            }
            if let Some(b) = interval.upper {
                out.push((*fact, b.value, false, b.inclusive));
            }
        }
        Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|x| numbers(x, out)),
        Cond::Not(x) => numbers(x, out),
        _ => {}
    }
}

/// The coverage of `ruleset` by `cases` (already resolved against it).
pub fn coverage(ruleset: &Ruleset, cases: &[Case]) -> Coverage {
    let mut reached: BTreeSet<(u32, u32, u32)> = BTreeSet::new();
    let mut grades: BTreeSet<(MatterId, String)> = BTreeSet::new();
    let key = |s: Span| (s.file.0, s.start, s.end);
    for case in cases {
        for &mid in &case.matters {
            let one = Case {
                matters: vec![mid],
                ..case.clone()
            };
            let Ok(rec) = evaluate(ruleset, &one, &EvalOptions { trace: true }) else {
                continue;
            };
            for st in rec.trace.iter().flatten() {
                if let Some(s) = st.span {
                    reached.insert(key(s));
                }
            }
            if let Some(g) = rec.grade {
                grades.insert((mid, g.id.to_string()));
            }
            for g in &rec.possible_grades {
                grades.insert((mid, g.id.to_string()));
            }
        }
    }
    let tested: BTreeSet<MatterId> = cases
        .iter()
        .flat_map(|c| c.matters.iter().copied())
        .collect();
    let mut cov = Coverage {
        cases: cases.len(),
        ..Coverage::default()
    };
    let mut rules: Vec<Rule<'_>> = Vec::new();
    for (mi, m) in ruleset.matters.iter().enumerate() {
        let mid = MatterId(u32::try_from(mi).unwrap_or(u32::MAX));
        if !tested.contains(&mid) {
            cov.untested_matters.push(m.id.clone());
        }
        match &m.table {
            Table::Graded(gs) => {
                for g in gs {
                    rules.push(Rule {
                        kind: "grade",
                        matter: Some(m.id.clone()),
                        id: g.id.clone(),
                        name: g.name.clone(),
                        span: g.span,
                        cond: match &g.guard {
                            Guard::When(c) => Some(c),
                            Guard::Otherwise => None,
                        },
                        matters: vec![mid],
                        label: format!("阶次 {}", g.id),
                    });
                }
            }
            Table::Weighted(w) => {
                for f in &w.factors {
                    for (i, l) in f.levels.iter().enumerate() {
                        let lab = l.label.clone().unwrap_or_else(|| format!("第{}档", i + 1));
                        rules.push(Rule {
                            kind: "factor_level",
                            matter: Some(m.id.clone()),
                            id: format!("{}/{lab}", f.name),
                            name: None,
                            span: l.span,
                            cond: match &l.guard {
                                Guard::When(c) => Some(c),
                                Guard::Otherwise => None,
                            },
                            matters: vec![mid],
                            label: format!("因素 {}/{lab}", f.name),
                        });
                    }
                }
            }
            Table::None => {}
        }
        for c in &m.own_circumstances {
            rules.push(Rule {
                kind: "circumstance",
                matter: Some(m.id.clone()),
                id: c.id.clone(),
                name: c.name.clone(),
                span: c.span,
                cond: Some(&c.when),
                matters: vec![mid],
                label: format!("情节 {}", c.id),
            });
        }
    }
    for (ci, c) in ruleset.circumstances.iter().enumerate() {
        let ms: Vec<MatterId> = ruleset
            .matters
            .iter()
            .enumerate()
            .filter(|(_, m)| m.circumstances.contains(&ci))
            .map(|(i, _)| MatterId(u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        if ms.is_empty() {
            continue;
        }
        rules.push(Rule {
            kind: "circumstance",
            matter: None,
            id: c.id.clone(),
            name: c.name.clone(),
            span: c.span,
            cond: Some(&c.when),
            matters: ms,
            label: format!("情节 {}", c.id),
        });
    }
    for (li, l) in ruleset.lists.iter().enumerate() {
        for (ii, it) in l.items.iter().enumerate() {
            let ms: Vec<MatterId> = ruleset
                .matters
                .iter()
                .enumerate()
                .filter(|(_, m)| m.list_items.contains(&(li, ii)))
                .map(|(i, _)| MatterId(u32::try_from(i).unwrap_or(u32::MAX)))
                .collect();
            if ms.is_empty() {
                continue;
            }
            rules.push(Rule {
                kind: "list_item",
                matter: None,
                id: format!("{} 第{}项", l.id, it.id),
                name: Some(it.name.clone()),
                span: it.span,
                cond: Some(&it.when),
                matters: ms,
                label: format!("{} 第{}项", l.id, it.id),
            });
        }
    }
    let mut seen: BTreeSet<(String, String, u32, String)> = BTreeSet::new();
    for r in &rules {
        let hit = reached.contains(&key(r.span))
            || (r.kind == "grade"
                && r.matters
                    .iter()
                    .any(|m| grades.contains(&(*m, r.id.clone()))));
        if !hit && r.matters.iter().any(|m| tested.contains(m)) {
            cov.unreached.push(Gap {
                kind: r.kind,
                matter: r.matter.clone(),
                id: r.id.clone(),
                name: r.name.clone(),
            });
        }
        let Some(cond) = r.cond else { continue };
        let mut ts = Vec::new();
        numbers(cond, &mut ts);
        for (fact, b, is_lower, inclusive) in ts {
            let Some(def) = ruleset.facts.get(fact.0 as usize) else {
                continue;
            };
            let step = step_for(&def.ty, b);
            // (below, above) of the boundary: which side holds b itself.
            let b_is_upper_side = is_lower == inclusive;
            let (below, above) = if b_is_upper_side {
                (b - step, b)
            } else {
                (b, b + step)
            };
            for &mid in &r.matters {
                let matter = ruleset
                    .matters
                    .get(mid.0 as usize)
                    .map(|m| m.id.clone())
                    .unwrap_or_default();
                let dedup = (
                    matter.clone(),
                    def.name.clone(),
                    fact.0,
                    b.normalize().to_string(),
                );
                if !seen.insert(dedup) {
                    continue;
                }
                let values: Vec<Decimal> = cases
                    .iter()
                    .filter(|c| c.matters.contains(&mid))
                    .filter_map(|c| match c.get(fact) {
                        Some(Value::Number(x)) => Some(x),
                        _ => None,
                    })
                    .collect();
                let has_below = values.iter().any(|x| {
                    if b_is_upper_side {
                        *x >= below && *x < b
                    } else {
                        *x == b
                    }
                });
                let has_above = values.iter().any(|x| {
                    if b_is_upper_side {
                        *x == b
                    } else {
                        *x > b && *x <= above
                    }
                });
                let u = unit_text(&def.ty);
                let show = |x: Decimal| format!("{}{u}", x.normalize());
                let mut missing = Vec::new();
                if !has_below && below >= Decimal::ZERO {
                    missing.push(show(below));
                }
                if !has_above {
                    missing.push(show(above));
                }
                if !missing.is_empty() {
                    cov.boundaries.push(BoundaryGap {
                        matter,
                        rule: r.label.clone(),
                        fact: def.name.clone(),
                        threshold: show(b),
                        sides: [show(below), show(above)],
                        missing,
                    });
                }
            }
        }
    }
    cov
}

/// Coverage in words, for `cailiang test --coverage`.
pub fn render_human(name: &str, cov: &Coverage) -> String {
    use std::fmt::Write as _;
    let mut out = format!("覆盖情况：{name}（{} 个案例）\n", cov.cases);
    if cov.is_complete() {
        out.push_str("  全部阶次、因素档次、情节和清单项均已覆盖，各阈值两侧均有案例。\n");
        return out;
    }
    if !cov.untested_matters.is_empty() {
        let _ = writeln!(out, "  没有案例的事项：{}", cov.untested_matters.join("、"));
    }
    if !cov.unreached.is_empty() {
        out.push_str("  没有案例到达：\n");
        for g in &cov.unreached {
            let kind = match g.kind {
                "grade" => "阶次",
                "factor_level" => "因素档次",
                "circumstance" => "情节",
                _ => "清单项",
            };
            let m = g
                .matter
                .as_deref()
                .map(|m| format!("事项 {m} "))
                .unwrap_or_default();
            let n = g
                .name
                .as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default();
            let _ = writeln!(out, "    {m}{kind} {}{n}", g.id);
        }
    }
    if !cov.boundaries.is_empty() {
        out.push_str("  阈值两侧缺少的案例（建议补充）：\n");
        for b in &cov.boundaries {
            let [lo, hi] = &b.sides;
            let _ = writeln!(
                out,
                "    事项 {} {}：{} 阈值 {}（{lo} / {hi}），缺 {}",
                b.matter,
                b.rule,
                b.fact,
                b.threshold,
                b.missing.join("、")
            );
        }
    }
    out
}
