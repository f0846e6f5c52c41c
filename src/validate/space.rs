//! The fact space of one analysis: facts matched by name across rulesets,
//! each cut into elementary cells by the interval endpoints the conditions
//! use (a point for every endpoint, the open intervals between), so that
//! every condition is constant on every cell and evaluating it on one
//! representative value per cell is exact.

use super::show;
use crate::model::{Cond, FactId, FactType, Interval, Ruleset, Value};
use crate::value::Date;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// One elementary cell of a fact's domain.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    /// A value inside the cell (every value of the cell behaves alike).
    pub value: Value,
    /// The cell in words (`10吨`, `10吨至20吨之间（不含两端）`).
    pub desc: String,
}

/// A fact of the space.
#[derive(Debug, Clone)]
pub(crate) struct Dim {
    /// Its name (shared by both rulesets).
    pub name: String,
    /// Its type (as the first ruleset that reads it declares it).
    pub ty: FactType,
    /// Its cells, in the fact's value order (lightest first).
    pub cells: Vec<Cell>,
}

/// Same name, different type: the analysis cannot map one to the other.
#[derive(Debug, Clone)]
pub(crate) struct Conflict {
    /// The fact's name.
    pub name: String,
}

/// Builds a [`Space`]: feed it conditions of each side, then `build`.
#[derive(Debug, Default)]
pub(crate) struct SpaceBuilder {
    dims: Vec<(String, FactType, BTreeSet<Decimal>, BTreeSet<i64>)>,
    by_name: BTreeMap<String, usize>,
    binds: Vec<BTreeMap<FactId, usize>>,
    /// Name clashes found.
    pub conflicts: Vec<Conflict>,
}

impl SpaceBuilder {
    /// A builder for `sides` rulesets.
    pub fn new(sides: usize) -> Self {
        SpaceBuilder {
            binds: vec![BTreeMap::new(); sides],
            ..SpaceBuilder::default()
        }
    }

    fn bind(&mut self, side: usize, rs: &Ruleset, fact: FactId) -> Option<usize> {
        if let Some(d) = self.binds.get(side).and_then(|b| b.get(&fact)) {
            return Some(*d);
        }
        let def = rs.facts.get(fact.0 as usize)?;
        let idx = match self.by_name.get(&def.name) {
            Some(&i) => {
                let same = self.dims.get(i).is_some_and(|d| d.1 == def.ty);
                if !same {
                    if !self.conflicts.iter().any(|c| c.name == def.name) {
                        self.conflicts.push(Conflict {
                            name: def.name.clone(),
                        });
                    }
                    return None;
                }
                i
            }
            None => {
                let i = self.dims.len();
                self.dims.push((
                    def.name.clone(),
                    def.ty.clone(),
                    BTreeSet::new(),
                    BTreeSet::new(),
                ));
                self.by_name.insert(def.name.clone(), i);
                i
            }
        };
        if let Some(b) = self.binds.get_mut(side) {
            b.insert(fact, idx);
        }
        Some(idx)
    }

    /// Adds the atoms of a condition of side `side`.
    pub fn add_cond(&mut self, side: usize, rs: &Ruleset, cond: &Cond) {
        match cond {
            Cond::True => {}
            Cond::Bool { fact, .. } | Cond::Enum { fact, .. } => {
                self.bind(side, rs, *fact);
            }
            Cond::Number { fact, interval, .. } => {
                if let Some(i) = self.bind(side, rs, *fact)
                    && let Some(d) = self.dims.get_mut(i)
                {
                    for b in [interval.lower, interval.upper].into_iter().flatten() {
                        d.2.insert(b.value.normalize());
                    }
                }
            }
            Cond::Date { fact, interval } => {
                if let Some(i) = self.bind(side, rs, *fact)
                    && let Some(d) = self.dims.get_mut(i)
                {
                    for b in [interval.lower, interval.upper].into_iter().flatten() {
                        d.3.insert(b.value.to_days());
                    }
                }
            }
            Cond::And(cs) | Cond::Or(cs) => {
                for c in cs {
                    self.add_cond(side, rs, c);
                }
            }
            Cond::Not(c) => self.add_cond(side, rs, c),
        }
    }

    /// The space.
    pub fn build(self) -> Space {
        let dims = self
            .dims
            .into_iter()
            .map(|(name, ty, nums, days)| {
                let cells = cells(&ty, &nums, &days);
                Dim { name, ty, cells }
            })
            .collect();
        Space {
            dims,
            binds: self.binds,
        }
    }
}

/// The cells of one fact's domain. Numeric facts are taken as non-negative
/// (amounts, quantities, counts, percentages); integers and dates are
/// discrete, so an open interval with no whole number in it is no cell.
fn cells(ty: &FactType, nums: &BTreeSet<Decimal>, days: &BTreeSet<i64>) -> Vec<Cell> {
    match ty {
        FactType::Bool => [false, true]
            .into_iter()
            .map(|b| Cell {
                value: Value::Bool(b),
                desc: show::yes_no(b).to_string(),
            })
            .collect(),
        FactType::Enum(vs) => vs
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                Some(Cell {
                    value: Value::Enum(u16::try_from(i).ok()?),
                    desc: v.clone(),
                })
            })
            .collect(),
        FactType::Date => date_cells(days),
        _ => number_cells(ty, nums),
    }
}

fn number_cells(ty: &FactType, nums: &BTreeSet<Decimal>) -> Vec<Cell> {
    let integer = matches!(ty, FactType::Integer);
    let mut points: Vec<Decimal> = vec![Decimal::ZERO];
    points.extend(nums.iter().copied().filter(|d| *d > Decimal::ZERO));
    let show = |d: Decimal| show::number(ty, d);
    let mut out = Vec::new();
    for (i, p) in points.iter().enumerate() {
        out.push(Cell {
            value: Value::Number(*p),
            desc: show(*p),
        });
        match points.get(i + 1) {
            Some(q) => {
                let rep = if integer {
                    let r = p.floor() + Decimal::ONE;
                    (r < *q).then_some(r)
                } else {
                    Some((*p + *q) / Decimal::TWO)
                };
                if let Some(r) = rep {
                    out.push(Cell {
                        value: Value::Number(r),
                        desc: format!("{}至{}之间（不含两端）", show(*p), show(*q)),
                    });
                }
            }
            None => {
                let r = if integer || *p < Decimal::ONE {
                    p.floor() + Decimal::ONE
                } else {
                    *p * Decimal::TWO
                };
                out.push(Cell {
                    value: Value::Number(r),
                    desc: format!("超过{}", show(*p)),
                });
            }
        }
    }
    out
}

fn date_cells(days: &BTreeSet<i64>) -> Vec<Cell> {
    let mut out = Vec::new();
    let points: Vec<i64> = days.iter().copied().collect();
    let date = |d: i64| Date::from_days(d);
    let Some(first) = points.first() else {
        if let Some(d) = Date::new(2024, 1, 1) {
            out.push(Cell {
                value: Value::Date(d),
                desc: "任意日期".to_string(),
            });
        }
        return out;
    };
    if let (Some(b), Some(f)) = (date(first - 1), date(*first)) {
        out.push(Cell {
            value: Value::Date(b),
            desc: format!("{f} 之前"),
        });
    }
    for (i, p) in points.iter().enumerate() {
        let Some(pd) = date(*p) else { continue };
        out.push(Cell {
            value: Value::Date(pd),
            desc: pd.to_string(),
        });
        match points.get(i + 1) {
            Some(q) if q - p >= 2 => {
                if let (Some(r), Some(qd)) = (date(p + 1), date(*q)) {
                    out.push(Cell {
                        value: Value::Date(r),
                        desc: format!("{pd} 至 {qd} 之间（不含两端）"),
                    });
                }
            }
            Some(_) => {}
            None => {
                if let Some(r) = date(p + 1) {
                    out.push(Cell {
                        value: Value::Date(r),
                        desc: format!("{pd} 之后"),
                    });
                }
            }
        }
    }
    out
}

/// The fact space of one analysis.
#[derive(Debug, Clone)]
pub(crate) struct Space {
    /// The facts.
    pub dims: Vec<Dim>,
    binds: Vec<BTreeMap<FactId, usize>>,
}

/// A point of the space: a cell index per fact.
pub(crate) type Point = Vec<usize>;

impl Space {
    /// Number of points, `None` beyond `u64`.
    pub fn size(&self) -> Option<u64> {
        self.dims.iter().try_fold(1u64, |acc, d| {
            acc.checked_mul(u64::try_from(d.cells.len()).ok()?)
        })
    }

    /// Calls `f` on every point, in odometer order (last fact fastest).
    pub fn for_each(&self, mut f: impl FnMut(&Point)) {
        if self.dims.iter().any(|d| d.cells.is_empty()) {
            return;
        }
        let mut p: Point = vec![0; self.dims.len()];
        loop {
            f(&p);
            let mut k = self.dims.len();
            loop {
                if k == 0 {
                    return;
                }
                k -= 1;
                let (Some(slot), Some(dim)) = (p.get_mut(k), self.dims.get(k)) else {
                    return;
                };
                *slot += 1;
                if *slot < dim.cells.len() {
                    break;
                }
                *slot = 0;
            }
        }
    }

    /// The value of side `side`'s fact at a point.
    pub fn value(&self, side: usize, fact: FactId, p: &Point) -> Option<Value> {
        let d = *self.binds.get(side)?.get(&fact)?;
        self.dims.get(d)?.cells.get(*p.get(d)?).map(|c| c.value)
    }

    /// Whether side `side`'s condition holds at a point (a fact the space
    /// does not know makes its atom false).
    pub fn eval(&self, side: usize, cond: &Cond, p: &Point) -> bool {
        match cond {
            Cond::True => true,
            Cond::Bool { fact, value } => {
                matches!(self.value(side, *fact, p), Some(Value::Bool(b)) if b == *value)
            }
            Cond::Enum { fact, values } => {
                matches!(self.value(side, *fact, p), Some(Value::Enum(e)) if values.contains(&e))
            }
            Cond::Number { fact, interval, .. } => match self.value(side, *fact, p) {
                Some(Value::Number(n)) => interval.contains(n),
                _ => false,
            },
            Cond::Date { fact, interval } => match self.value(side, *fact, p) {
                Some(Value::Date(d)) => contains_date(interval, d),
                _ => false,
            },
            Cond::And(cs) => cs.iter().all(|c| self.eval(side, c, p)),
            Cond::Or(cs) => cs.iter().any(|c| self.eval(side, c, p)),
            Cond::Not(c) => !self.eval(side, c, p),
        }
    }

    /// The point's values by fact name.
    pub fn values(&self, p: &Point) -> BTreeMap<String, (FactType, Value)> {
        self.dims
            .iter()
            .zip(p.iter())
            .filter_map(|(d, i)| Some((d.name.clone(), (d.ty.clone(), d.cells.get(*i)?.value))))
            .collect()
    }

    /// The point's cells in words: `排放量 10吨至20吨之间（不含两端）`.
    pub fn describe(&self, p: &Point) -> String {
        let parts: Vec<String> = self
            .dims
            .iter()
            .zip(p.iter())
            .filter_map(|(d, i)| Some(format!("{} {}", d.name, d.cells.get(*i)?.desc)))
            .collect();
        if parts.is_empty() {
            "任何情形".to_string()
        } else {
            parts.join("，")
        }
    }
}

fn contains_date(iv: &Interval<Date>, d: Date) -> bool {
    iv.contains(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bound;

    #[test]
    fn integer_cells_skip_empty_open_intervals() {
        let nums: BTreeSet<Decimal> = [Decimal::from(3), Decimal::from(4)].into_iter().collect();
        let c = number_cells(&FactType::Integer, &nums);
        let vals: Vec<Value> = c.iter().map(|c| c.value).collect();
        assert_eq!(
            vals,
            vec![
                Value::Number(0.into()),
                Value::Number(1.into()),
                Value::Number(3.into()),
                Value::Number(4.into()),
                Value::Number(5.into())
            ]
        );
    }

    #[test]
    fn date_cells_cover_points_and_gaps() {
        let a = Date::new(2024, 1, 1).unwrap().to_days();
        let days: BTreeSet<i64> = [a, a + 1, a + 10].into_iter().collect();
        let c = date_cells(&days);
        // before, a, a+1, between, a+10, after
        assert_eq!(c.len(), 6);
        let iv = Interval {
            lower: Some(Bound {
                value: Date::from_days(a + 1).unwrap(),
                inclusive: false,
            }),
            upper: None,
        };
        assert!(contains_date(&iv, Date::from_days(a + 2).unwrap()));
    }
}
