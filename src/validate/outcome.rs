//! What a table gives at a point of the fact space: the grade (or weighted
//! score, or the statute itself) and its fine as an interval of 元 or of
//! factors of a base fact.

use super::show;
use super::space::{Point, Space};
use crate::model::{
    Amount, Bound, FineRule, Grade, Guard, Matter, OtherSanction, Ruleset, Statute, Table,
    Weighted, WeightedBase,
};
use crate::source::Span;
use crate::syntax::ast::Modality;
use crate::syntax::ast::SeveralGrades;
use crate::value::Date;
use rust_decimal::Decimal;

/// What the ends of a fine are measured in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    /// 元.
    Yuan,
    /// Multiples of a base fact (by name), counted at least as `floor`.
    Base {
        /// The base fact's name.
        name: String,
        /// Its floor.
        floor: Option<Decimal>,
        /// The cap on the amount (`最高不超过`): capped intervals compare
        /// only under the same cap.
        cap: Option<Decimal>,
    },
}

/// A fine as an interval.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FineIv {
    /// What the ends measure.
    pub key: Key,
    /// Lower end.
    pub lo: Bound<Decimal>,
    /// Upper end.
    pub hi: Bound<Decimal>,
}

/// The fine part of a result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FineOut {
    /// No fine.
    NoFine,
    /// A fine interval.
    Iv(FineIv),
    /// Cannot be computed exactly (the reason).
    Unknown(String),
}

/// What a table gives at a point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Res {
    /// In words: `阶次 2“一般”`, `法定幅度`, `权重合计 35%`.
    pub label: String,
    /// The grade's index (graded tables).
    pub grade: Option<usize>,
    /// The fine.
    pub fine: FineOut,
    /// Other sanctions: (name, mandatory).
    pub others: Vec<(String, bool)>,
    /// Periods of sanctions that have one: (name with object, period); a
    /// grade's period replaces the statute's for the same sanction.
    pub periods: Vec<(String, crate::model::SanctionPeriod)>,
    /// Where the grade (or statute, or model) is written.
    pub span: Span,
}

impl Res {
    /// The result in words: `阶次 2“一般”：罚款 20万元至40万元`.
    pub fn describe(&self) -> String {
        let mut s = format!("{}：{}", self.label, describe_fine(&self.fine));
        for (name, must) in &self.others {
            s.push_str(&format!(
                "；{}{name}",
                if *must { "并处 " } else { "可以并处 " }
            ));
        }
        s
    }
}

/// A fine in words.
pub(crate) fn describe_fine(f: &FineOut) -> String {
    match f {
        FineOut::NoFine => "不罚款".to_string(),
        FineOut::Unknown(why) => format!("罚款（无法精确计算：{why}）"),
        FineOut::Iv(iv) => format!("罚款 {}", describe_iv(iv)),
    }
}

/// An interval in words.
pub(crate) fn describe_iv(iv: &FineIv) -> String {
    let end = |d: Decimal| match &iv.key {
        Key::Yuan => show::money(d),
        Key::Base { .. } => format!("{}倍", d.normalize()),
    };
    let base = match &iv.key {
        Key::Yuan => String::new(),
        Key::Base { name, floor, .. } => match floor {
            Some(f) => format!(
                "{name}（不足{}的按{}计算）的",
                show::money(*f),
                show::money(*f)
            ),
            None => format!("{name}的"),
        },
    };
    let capped = match &iv.key {
        Key::Base { cap: Some(c), .. } => format!("（最高不超过{}）", show::money(*c)),
        _ => String::new(),
    };
    format!("{}{capped}", describe_plain(iv, &base, end))
}

fn describe_plain(iv: &FineIv, base: &str, end: impl Fn(Decimal) -> String) -> String {
    if iv.lo.value == iv.hi.value && iv.lo.inclusive && iv.hi.inclusive {
        return format!("{base}{}", end(iv.lo.value));
    }
    if iv.lo.value.is_zero() && !iv.lo.inclusive {
        let excl = if iv.hi.inclusive { "" } else { "（不含）" };
        return format!("{base}{}{excl}以下", end(iv.hi.value));
    }
    let l = if iv.lo.inclusive { "" } else { "（不含）" };
    let h = if iv.hi.inclusive { "" } else { "（不含）" };
    format!("{base}{}{l}至{}{h}", end(iv.lo.value), end(iv.hi.value))
}

fn amount(rs: &Ruleset, a: &Amount) -> (Key, Decimal) {
    match a {
        Amount::Fixed(d) => (Key::Yuan, *d),
        Amount::OfBase {
            base,
            floor,
            factor,
            cap,
        } => (
            Key::Base {
                name: rs
                    .facts
                    .get(base.0 as usize)
                    .map(|f| f.name.clone())
                    .unwrap_or_default(),
                floor: *floor,
                cap: *cap,
            },
            *factor,
        ),
        // One "unit" of the product: two products compare only when they
        // multiply the same facts under the same cap.
        Amount::Product { money, count, cap } => {
            let name = |f: crate::model::FactId| {
                rs.facts
                    .get(f.0 as usize)
                    .map(|f| f.name.clone())
                    .unwrap_or_default()
            };
            (
                Key::Base {
                    name: format!("{}乘以{}", name(*money), name(*count)),
                    floor: None,
                    cap: *cap,
                },
                Decimal::ONE,
            )
        }
    }
}

/// `a` starts no lower than `b` (lower ends).
fn lo_ge(a: Bound<Decimal>, b: Bound<Decimal>) -> bool {
    a.value > b.value || (a.value == b.value && (!a.inclusive || b.inclusive))
}

/// `a` ends no higher than `b` (upper ends).
fn hi_le(a: Bound<Decimal>, b: Bound<Decimal>) -> bool {
    a.value < b.value || (a.value == b.value && (!a.inclusive || b.inclusive))
}

/// Whether `inner` lies within `outer`; `None` when they are measured in
/// different things (no exact comparison).
pub(crate) fn within(inner: &FineIv, outer: &FineIv) -> Option<bool> {
    if inner.key != outer.key {
        return None;
    }
    Some(lo_ge(inner.lo, outer.lo) && hi_le(inner.hi, outer.hi))
}

/// Whether `later` is lighter than `earlier`: one of its ends lies below
/// the same end of `earlier`. `None` when not comparable.
pub(crate) fn lighter(later: &FineIv, earlier: &FineIv) -> Option<bool> {
    if later.key != earlier.key {
        return None;
    }
    Some(!lo_ge(later.lo, earlier.lo) || !hi_le(earlier.hi, later.hi))
}

/// The context of resolving fines: a ruleset (side of the space) and the
/// statute version in force.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// The ruleset.
    pub rs: &'a Ruleset,
    /// Its side in the space.
    pub side: usize,
    /// The space.
    pub space: &'a Space,
    /// The statute version in force.
    pub statute: Option<&'a Statute>,
}

impl Ctx<'_> {
    /// A fine rule at a point.
    pub fn fine(&self, rule: &FineRule, p: &Point) -> FineOut {
        self.fine_depth(rule, p, 0)
    }

    fn fine_depth(&self, rule: &FineRule, p: &Point, depth: u8) -> FineOut {
        if depth > 4 {
            return FineOut::Unknown("嵌套过深".into());
        }
        match rule {
            FineRule::Exact(a) => {
                let (key, v) = amount(self.rs, a);
                let b = Bound {
                    value: v,
                    inclusive: true,
                };
                FineOut::Iv(FineIv { key, lo: b, hi: b })
            }
            FineRule::Range { lower, upper } => {
                let (key, hv) = amount(self.rs, &upper.value);
                let lo = match lower {
                    None => Bound {
                        value: Decimal::ZERO,
                        inclusive: false,
                    },
                    Some(l) => {
                        let (lk, lv) = amount(self.rs, &l.value);
                        if lk != key {
                            return FineOut::Unknown(
                                "下限与上限的计算基数不同（一端为固定金额或另一基数）".into(),
                            );
                        }
                        Bound {
                            value: lv,
                            inclusive: l.inclusive,
                        }
                    }
                };
                FineOut::Iv(FineIv {
                    key,
                    lo,
                    hi: Bound {
                        value: hv,
                        inclusive: upper.inclusive,
                    },
                })
            }
            FineRule::StatuteBand { lower, upper } => {
                let Some(st) = self.statute.and_then(|s| s.fine.as_ref()) else {
                    return FineOut::Unknown("没有施行中的法定罚款可供按比例计算".into());
                };
                let FineOut::Iv(s) = self.fine_depth(&st.rule, p, depth + 1) else {
                    return FineOut::Unknown("法定罚款无法确定".into());
                };
                let width = s.hi.value - s.lo.value;
                let at = |b: Bound<Decimal>, end: Bound<Decimal>, one: bool| {
                    let edge = if one {
                        b.value == Decimal::ONE
                    } else {
                        b.value.is_zero()
                    };
                    Bound {
                        value: s.lo.value + width * b.value,
                        inclusive: b.inclusive && (!edge || end.inclusive),
                    }
                };
                FineOut::Iv(FineIv {
                    key: s.key.clone(),
                    lo: at(*lower, s.lo, false),
                    hi: at(*upper, s.hi, true),
                })
            }
            // Shares of 0 … the statutory maximum.
            FineRule::MaximumBand { lower, upper } => {
                let Some(st) = self.statute.and_then(|s| s.fine.as_ref()) else {
                    return FineOut::Unknown("没有施行中的法定罚款可供按比例计算".into());
                };
                let FineOut::Iv(s) = self.fine_depth(&st.rule, p, depth + 1) else {
                    return FineOut::Unknown("法定罚款无法确定".into());
                };
                let at = |b: Bound<Decimal>| Bound {
                    value: s.hi.value * b.value,
                    inclusive: b.inclusive && (b.value != Decimal::ONE || s.hi.inclusive),
                };
                FineOut::Iv(FineIv {
                    key: s.key.clone(),
                    lo: at(*lower),
                    hi: at(*upper),
                })
            }
            FineRule::Switch(arms) => {
                let mut matched_before = false;
                for arm in arms {
                    let hit = match &arm.guard {
                        Guard::When(c) => self.space.eval(self.side, c, p),
                        Guard::Otherwise => !matched_before,
                    };
                    if hit {
                        return match &arm.fine {
                            None => FineOut::NoFine,
                            Some(r) => self.fine_depth(r, p, depth + 1),
                        };
                    }
                    matched_before |= hit;
                }
                FineOut::NoFine
            }
        }
    }

    /// The grades whose guard holds at a point (`其他` holds when no
    /// earlier grade's does).
    pub fn matching(&self, grades: &[Grade], p: &Point) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, g) in grades.iter().enumerate() {
            let hit = match &g.guard {
                Guard::When(c) => self.space.eval(self.side, c, p),
                Guard::Otherwise => out.is_empty(),
            };
            if hit {
                out.push(i);
            }
        }
        out
    }

    /// The grade selected among the matching ones, by the ruleset's policy.
    /// As the evaluator does, a no-penalty grade is the lightest under 从重.
    pub fn select(&self, grades: &[Grade], matching: &[usize]) -> Option<usize> {
        match self.rs.policy.several_grades {
            SeveralGrades::Heavier => matching
                .iter()
                .rev()
                .find(|&&i| grades.get(i).is_some_and(|g| g.no_penalty.is_none()))
                .or(matching.last())
                .copied(),
            SeveralGrades::First => matching.first().copied(),
        }
    }

    /// The statute's and a grade's other sanctions that apply at a point.
    fn others_at(
        &self,
        statute: &[OtherSanction],
        grade: &[OtherSanction],
        p: &Point,
    ) -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = statute
            .iter()
            .chain(grade)
            .filter(|o| {
                o.when
                    .as_ref()
                    .is_none_or(|c| self.space.eval(self.side, c, p))
            })
            .map(|o| (o.name.clone(), o.modality == Modality::Shall))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The periods of the sanctions that apply at a point: the grade's, and
    /// the statute's where the grade does not give the same sanction a period.
    fn periods_at(
        &self,
        statute: &[OtherSanction],
        grade: &[OtherSanction],
        p: &Point,
    ) -> Vec<(String, crate::model::SanctionPeriod)> {
        let holds = |o: &&OtherSanction| {
            o.when
                .as_ref()
                .is_none_or(|c| self.space.eval(self.side, c, p))
        };
        let from_grade = grade.iter().filter(holds).filter(|o| o.period.is_some());
        let from_statute = statute.iter().filter(holds).filter(|o| {
            o.period.is_some()
                && !grade
                    .iter()
                    .any(|g| g.period.is_some() && g.same_sanction(o))
        });
        from_grade
            .chain(from_statute)
            .filter_map(|o| o.period.map(|x| (o.title(), x)))
            .collect()
    }

    /// A grade's result at a point.
    pub fn grade_result(&self, grades: &[Grade], i: usize, p: &Point) -> Option<Res> {
        let g = grades.get(i)?;
        Some(Res {
            label: grade_label(g),
            grade: Some(i),
            fine: match &g.fine {
                None => FineOut::NoFine,
                Some(f) => self.fine(&f.rule, p),
            },
            // As the evaluator does: the statute's 并处 apply in every grade,
            // conditional ones where their condition holds at this point; a
            // no-penalty or 减轻 grade keeps only the statute's orders
            // (责令改正) and lists its own.
            others: {
                let st = self.statute.map(|s| s.others.as_slice()).unwrap_or(&[]);
                if g.no_penalty.is_some() || g.reduced {
                    let orders: Vec<OtherSanction> = st
                        .iter()
                        .filter(|o| crate::model::is_order(&o.name))
                        .cloned()
                        .collect();
                    self.others_at(&orders, &g.others, p)
                } else {
                    self.others_at(st, &g.others, p)
                }
            },
            periods: self.periods_at(
                self.statute.map(|s| s.others.as_slice()).unwrap_or(&[]),
                &g.others,
                p,
            ),
            span: g.span,
        })
    }

    /// What the matter's table gives at a point; `None`: no grade applies.
    pub fn result(&self, m: &Matter, p: &Point) -> Option<Res> {
        match &m.table {
            Table::Graded(grades) => {
                let matching = self.matching(grades, p);
                let i = self.select(grades, &matching)?;
                self.grade_result(grades, i, p)
            }
            Table::None => {
                let st = self.statute?;
                Some(Res {
                    label: "法定幅度（无阶次）".to_string(),
                    grade: None,
                    fine: match &st.fine {
                        None => FineOut::NoFine,
                        Some(f) => self.fine(&f.rule, p),
                    },
                    others: self.others_at(&st.others, &[], p),
                    periods: self.periods_at(&st.others, &[], p),
                    span: st.span,
                })
            }
            Table::Weighted(w) => {
                let (raw, clamped) = self.weight(w, p);
                let fine = self.weighted_fine(w, clamped, p);
                let label = if raw == clamped {
                    format!("权重合计 {}", show::percent(raw))
                } else {
                    format!(
                        "权重合计 {}（按上下限取 {}）",
                        show::percent(raw),
                        show::percent(clamped)
                    )
                };
                Some(Res {
                    label,
                    grade: None,
                    fine,
                    others: Vec::new(),
                    periods: Vec::new(),
                    span: w.span,
                })
            }
        }
    }

    /// The weighted sum at a point: (raw, clamped by floor and cap). A
    /// factor none of whose levels applies adds nothing.
    pub fn weight(&self, w: &Weighted, p: &Point) -> (Decimal, Decimal) {
        let mut sum = w.start;
        for f in &w.factors {
            let mut matched = false;
            for l in &f.levels {
                let hit = match &l.guard {
                    Guard::When(c) => self.space.eval(self.side, c, p),
                    Guard::Otherwise => true,
                };
                if hit {
                    sum += l.weight;
                    matched = true;
                    break;
                }
            }
            let _ = matched;
        }
        let clamped = sum.max(w.floor).min(w.cap);
        (sum, clamped)
    }

    /// The fine of a weighted model at a clamped weight.
    pub fn weighted_fine(&self, w: &Weighted, clamped: Decimal, p: &Point) -> FineOut {
        let (key, v) = match &w.times {
            WeightedBase::StatutoryMaximum => {
                let Some(st) = self.statute.and_then(|s| s.fine.as_ref()) else {
                    return FineOut::Unknown("没有施行中的法定罚款".into());
                };
                match self.fine(&st.rule, p) {
                    FineOut::Iv(iv) => (iv.key, iv.hi.value),
                    _ => return FineOut::Unknown("法定上限无法确定".into()),
                }
            }
            WeightedBase::Amount(a) => amount(self.rs, a),
        };
        let b = Bound {
            value: v * clamped,
            inclusive: true,
        };
        FineOut::Iv(FineIv { key, lo: b, hi: b })
    }

    /// The statute's fine at a point.
    pub fn statute_fine(&self, p: &Point) -> Option<FineIv> {
        let st = self.statute?.fine.as_ref()?;
        match self.fine(&st.rule, p) {
            FineOut::Iv(iv) => Some(iv),
            _ => None,
        }
    }
}

/// `阶次 2“一般”`.
pub(crate) fn grade_label(g: &Grade) -> String {
    let head = match &g.name {
        Some(n) => format!("阶次 {}“{n}”", g.id),
        None => format!("阶次 {}", g.id),
    };
    // The grade's decision in the document's word, where it is not an
    // ordinary penalty (its fine part then reads 不罚款 / below the minimum).
    match (&g.no_penalty, g.reduced) {
        (Some(w), _) => format!("{head}（结论：{w}）"),
        (None, true) => format!("{head}（减轻处罚档）"),
        (None, false) => head,
    }
}

/// The statute version in force on `date` (the last one listed when
/// several or none match, so that an undated analysis uses the newest).
pub(crate) fn statute_at(m: &Matter, date: Option<Date>) -> Option<&Statute> {
    let Some(d) = date else {
        return m.statutes.last();
    };
    m.statutes
        .iter()
        .rev()
        .find(|s| s.from.is_none_or(|f| f <= d) && s.to.is_none_or(|t| d <= t))
        .or(m.statutes.last())
}

/// The dates at which to analyse a matter: one per statute version in force
/// during the ruleset's effective period (the later of the version's and
/// the ruleset's start), or the ruleset's start when there are none.
pub(crate) fn analysis_dates(rs: &Ruleset, m: &Matter) -> Vec<Option<Date>> {
    let (from, to) = (rs.meta.effective_from, rs.meta.effective_to);
    let mut out: Vec<Option<Date>> = Vec::new();
    for s in &m.statutes {
        if let (Some(st), Some(rf)) = (s.to, from)
            && st < rf
        {
            continue;
        }
        if let (Some(sf), Some(rt)) = (s.from, to)
            && sf > rt
        {
            continue;
        }
        let d = match (s.from, from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.is_empty() {
        out.push(from);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(v: i64, inclusive: bool) -> Bound<Decimal> {
        Bound {
            value: Decimal::from(v),
            inclusive,
        }
    }

    fn iv(lo: Bound<Decimal>, hi: Bound<Decimal>) -> FineIv {
        FineIv {
            key: Key::Yuan,
            lo,
            hi,
        }
    }

    #[test]
    fn containment_respects_inclusive_ends() {
        let outer = iv(b(10, true), b(20, false));
        assert_eq!(within(&iv(b(10, true), b(20, false)), &outer), Some(true));
        assert_eq!(within(&iv(b(10, true), b(20, true)), &outer), Some(false));
        assert_eq!(within(&iv(b(9, false), b(15, true)), &outer), Some(false));
        let other = FineIv {
            key: Key::Base {
                name: "违法所得".into(),
                floor: None,
                cap: None,
            },
            ..outer.clone()
        };
        assert_eq!(within(&other, &outer), None);
    }

    #[test]
    fn a_lower_end_below_is_lighter() {
        let one = iv(b(10, true), b(20, true));
        assert_eq!(lighter(&iv(b(5, true), b(30, true)), &one), Some(true));
        assert_eq!(lighter(&iv(b(20, true), b(40, true)), &one), Some(false));
        assert_eq!(describe_iv(&one), "10元至20元");
    }
}
