//! Builds small checked models by hand, for the evaluator's tests (unit tests
//! include this file with `#[path]`, integration tests as a module).
#![allow(dead_code, clippy::unwrap_used)]

use super::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// An exact decimal from text.
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// An inclusive bound.
pub fn inc<T>(value: T) -> Bound<T> {
    Bound {
        value,
        inclusive: true,
    }
}

/// An exclusive bound.
pub fn exc<T>(value: T) -> Bound<T> {
    Bound {
        value,
        inclusive: false,
    }
}

/// A fixed amount.
pub fn fixed(s: &str) -> Amount {
    Amount::Fixed(d(s))
}

/// `lo 至 hi` (both inclusive).
pub fn range(lo: &str, hi: &str) -> FineRule {
    FineRule::Range {
        lower: Some(inc(fixed(lo))),
        upper: inc(fixed(hi)),
    }
}

/// `hi以下` (maximum only).
pub fn max_only(hi: &str) -> FineRule {
    FineRule::Range {
        lower: None,
        upper: inc(fixed(hi)),
    }
}

/// A fine with modality 应当.
pub fn fine(rule: FineRule) -> Fine {
    Fine {
        modality: Modality::Shall,
        rule,
        span: Span::default(),
    }
}

/// A statute with a fine and no other sanction.
pub fn statute(rule: FineRule) -> Statute {
    Statute {
        from: None,
        to: None,
        basis: Some("《某法》第一条".to_string()),
        fine: Some(fine(rule)),
        others: Vec::new(),
        one_of: Vec::new(),
        not_punishable: false,
        span: Span::default(),
    }
}

/// A grade.
pub fn grade(id: &str, guard: Guard, rule: FineRule) -> Grade {
    Grade {
        id: id.to_string(),
        name: None,
        guard,
        fine: Some(fine(rule)),
        others: Vec::new(),
        one_of: Vec::new(),
        notes: Vec::new(),
        reduced: false,
        shall_fine: false,
        no_penalty: None,
        collective: None,
        refers: None,
        basis: None,
        span: Span::default(),
    }
}

/// `fact` is 是.
pub fn is(fact: FactId) -> Cond {
    Cond::Bool { fact, value: true }
}

/// A numeric fact in `[lo, hi)` (None: unbounded).
pub fn num(fact: FactId, lo: Option<&str>, hi: Option<&str>) -> Cond {
    Cond::Number {
        fact,
        interval: Interval {
            lower: lo.map(|s| inc(d(s))),
            upper: hi.map(|s| exc(d(s))),
        },
        // As if written `lo以上 hi以下`: both ends read by the convention.
        by_convention: (true, true),
    }
}

/// An enum fact is one of `values`.
pub fn one_of(fact: FactId, values: &[u16]) -> Cond {
    Cond::Enum {
        fact,
        values: values.to_vec(),
    }
}

/// A band of shares (inclusive).
pub fn band(reference: BandReference, lo: &str, hi: &str) -> Band {
    Band {
        reference,
        lower: inc(d(lo)),
        upper: inc(d(hi)),
    }
}

/// The default policy (SAMR 2022: lower / upper 30 % of the grade).
pub fn default_policy() -> Policy {
    Policy {
        lighter: band(BandReference::Grade, "0", "0.3"),
        heavier: band(BandReference::Grade, "0.7", "1"),
        ordinary: band(BandReference::Grade, "0", "1"),
        max_only_lighter: None,
        max_only_ordinary: None,
        max_only_heavier: None,
        reduced_floor: ReducedFloor::None,
        mixed: MixedRule::Ask,
        several_grades: SeveralGrades::Heavier,
        several_grades_declared: true,
        unknown_factor: UnknownFactor::Lowest,
        reduced_requires: Quantifier::Any,
        lighter_requires: Quantifier::Any,
        heavier_requires: Quantifier::Any,
        rounding: Rounding::Exact,
        spans: BTreeMap::new(),
    }
}

/// A ruleset under construction.
pub struct Rb {
    /// The ruleset.
    pub rs: Ruleset,
}

impl Default for Rb {
    fn default() -> Self {
        Self::new()
    }
}

impl Rb {
    /// An empty ruleset.
    pub fn new() -> Rb {
        Rb {
            rs: Ruleset {
                meta: Meta {
                    name: "测试裁量基准".to_string(),
                    authority: None,
                    document_number: None,
                    source: None,
                    level: None,
                    effective_from: None,
                    effective_to: None,
                    refines: None,
                    boundaries: Boundaries {
                        above_inclusive: true,
                        below_inclusive: false,
                        declared: true,
                    },
                    notes: Vec::new(),
                    span: Span::default(),
                },
                facts: Vec::new(),
                shared_facts: BTreeMap::new(),
                matters: Vec::new(),
                matter_index: BTreeMap::new(),
                circumstances: Vec::new(),
                lists: Vec::new(),
                limitation: Vec::new(),
                policy: default_policy(),
                content_hash: "0123abcd".to_string(),
            },
        }
    }

    /// Declares a shared fact.
    pub fn fact(&mut self, name: &str, ty: FactType) -> FactId {
        let id = FactId(self.rs.facts.len() as u32);
        self.rs.facts.push(FactDef {
            name: name.to_string(),
            ty,
            description: None,
            default: None,
            owner: None,
            span: Span::default(),
        });
        self.rs.shared_facts.insert(name.to_string(), id);
        for m in &mut self.rs.matters {
            m.facts.insert(name.to_string(), id);
        }
        id
    }

    /// Adds a matter with statutes and a table; it sees every shared fact
    /// and every ruleset circumstance added before or after.
    pub fn matter(&mut self, id: &str, statutes: Vec<Statute>, table: Table) -> MatterId {
        let mid = MatterId(self.rs.matters.len() as u32);
        self.rs.matters.push(Matter {
            id: id.to_string(),
            name: format!("{id} 违法行为"),
            violation_basis: None,
            penalty_basis: Some("《某法》第一条".to_string()),
            notes: Vec::new(),
            facts: self.rs.shared_facts.clone(),
            statutes,
            table,
            limitation: Vec::new(),
            circumstances: (0..self.rs.circumstances.len()).collect(),
            own_circumstances: Vec::new(),
            list_items: Vec::new(),
            span: Span::default(),
        });
        self.rs.matter_index.insert(id.to_string(), mid);
        mid
    }

    /// Adds a ruleset circumstance covering every matter.
    pub fn circ(&mut self, id: &str, modality: Modality, effect: Effect, when: Cond) -> usize {
        let i = self.rs.circumstances.len();
        self.rs.circumstances.push(Circumstance {
            id: id.to_string(),
            name: None,
            modality,
            effect,
            when,
            basis: Some("《中华人民共和国行政处罚法》".to_string()),
            scope: None,
            obligations: Vec::new(),
            span: Span::default(),
        });
        for m in &mut self.rs.matters {
            m.circumstances.push(i);
        }
        i
    }

    /// Adds a list with one item covering every matter.
    pub fn list_item(
        &mut self,
        kind: ListKind,
        modality: Modality,
        when: Cond,
        obligations: &[&str],
    ) {
        let li = self.rs.lists.len();
        self.rs.lists.push(List {
            kind,
            id: "清单".to_string(),
            name: "测试清单".to_string(),
            basis: Some("某清单".to_string()),
            fixed: false,
            items: vec![ListItem {
                id: "1".to_string(),
                name: "清单事项一".to_string(),
                scope: None,
                when,
                modality,
                obligations: obligations.iter().map(|s| s.to_string()).collect(),
                basis: None,
                fine: None,
                span: Span::default(),
            }],
            word: None,
            span: Span::default(),
        });
        for m in &mut self.rs.matters {
            m.list_items.push((li, 0));
        }
    }

    /// The finished ruleset.
    pub fn finish(self) -> Ruleset {
        self.rs
    }
}
