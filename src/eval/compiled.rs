//! The compiled form of a ruleset: [`Evaluator`].
//!
//! [`evaluate`](super::evaluate) interprets the model on every call: it walks
//! the circumstance and list indexes, computes the statutory and grade fine
//! rules, multiplies the policy bands out of the grade's range, rounds and
//! clamps. For a ruleset loaded once and evaluated many times most of that
//! does not depend on the case. [`Evaluator::new`] does it once per matter,
//! statute version and grade:
//!
//! - the statutory range of each version, rounded, and whether its fine is
//!   mandatory;
//! - per (statute version, grade) the grade's fine and the 从轻 / 从重 / 一般 /
//!   减轻 ranges the policy bands give, already rounded and clamped into the
//!   statutory range, with whether the clamp moved them (and the ranges
//!   before the clamp, kept only where a clamp or a rounding can matter);
//! - flat lists of the matter's no-penalty grounds and of its 从轻 / 从重 /
//!   减轻 circumstances and list items, with their names, bases and
//!   obligations borrowed from the ruleset.
//!
//! The whole circumstance step is decided once too: per (statute version or
//! arm, grade) and per key — which of 从轻 / 从重 / 减轻 / 从轻或者减轻
//! apply, and which 可以 options are offered (7 bits) — the result range,
//! or that the interpreter must run (a clamp or rounding it would warn
//! about, a 减轻 floor, a judgement to ask for).
//!
//! Evaluating a case then decides the conditions (grade guards, circumstances)
//! and looks up a precomputed result: no `Decimal` arithmetic, no allocation on
//! the penalty path, and a [`Recommendation`] that lists nothing (the common
//! case) is written in one go, straight into the returned value.
//!
//! **Same results, always.** The compiled path covers the common shapes —
//! one matter, trace off, every fact the conditions read given, fixed
//! amounts, graded or no table, statute versions that agree — and gives up
//! (before building anything) wherever the interpreter would warn, explore
//! missing facts, ask for judgement or do something the compiled form does
//! not model (weighted tables, fine switches in grades, amounts from a base,
//! conditional sanctions, a boundary hit under an undeclared 边界 convention;
//! a statute's fine switch is compiled, one set of ranges per arm). It then
//! returns what [`evaluate`](super::evaluate) returns. Property tests check
//! that the two agree on generated models and on every bundled scenario.
//!
//! The evaluator borrows the ruleset, so the ruleset cannot change while a
//! compiled form of it exists.

use super::engine::{Ctx, DEFAULT_LIMITATION, EDUCATION, RuleVal, combine};
use super::output::{
    Choice, ChoiceKind, FineOut, GradeRef, MatterRef, Outcome, OutcomeSet, Recommendation,
    SCHEMA_VERSION, Sanctions, StatuteRef,
};
use super::range::{FineRange, cmp_dec, pow10};
use super::{EvalOptions, evaluate};
use crate::case::{Case, CaseError};
use crate::model::{
    Amount, Bound, Circumstance, Cond, FineRule, Grade, Guard, Interval, List, ListItem, Matter,
    MatterId, OtherSanction, Period, Policy, Ruleset, Statute, Table, Value,
};
use crate::syntax::ast::{
    Effect, ListKind, MixedRule, Modality, Quantifier, Rounding, SeveralGrades,
};
use crate::value::Date;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// A ruleset prepared for evaluating many cases.
///
/// Build it once after loading (it borrows the ruleset) and call
/// [`Evaluator::evaluate`] for each case: the result is exactly what
/// [`evaluate`](super::evaluate) gives, computed faster where the matter
/// and the case have a common shape (see the module documentation). Memory:
/// under 2 KB per grade and statute version (or arm of a statute's fine
/// switch), including ≈ 0.5 KB per boundary of an indexed grade table
/// (≈ 7.3 KB for a matter of 4 grades); proportional to the ruleset.
///
/// ```
/// use cailiang::case::{load_case, CaseFormat};
/// use cailiang::eval::{evaluate, EvalOptions, Evaluator};
///
/// let text = r#"
/// 规则集 "示例" { 边界 以上含本数 以下不含本数 }
/// 事项 W-1 "未按规定贮存危险废物" {
///   事实 { 贮存量: 数量 吨 }
///   法定 { 罚款 10万 至 100万 }
///   阶次 1 "轻微" 当 贮存量 1吨以下 { 罚款 10万 至 30万 }
///   阶次 2 "一般" 其他 { 罚款 30万 至 100万 }
/// }
/// "#;
/// let ruleset = cailiang::load::load("x.rules", text, &|_| None).ruleset.expect("valid");
/// let evaluator = Evaluator::new(&ruleset);
/// let case = load_case("matter: W-1\nfacts: { 贮存量: 500千克 }\ndates: { act: 2024-01-01, discovery: 2024-02-01 }\n",
///     CaseFormat::Yaml, &ruleset).expect("a valid case");
/// let fast = evaluator.evaluate(&case, &EvalOptions::default()).expect("the matter exists");
/// assert!(evaluator.takes_fast_path(&case, &EvalOptions::default()));
/// assert_eq!(fast, evaluate(&ruleset, &case, &EvalOptions::default()).expect("the matter exists"));
/// ```
#[derive(Debug)]
pub struct Evaluator<'r> {
    rs: &'r Ruleset,
    /// Every circumstance and list item, compiled once: the ruleset's
    /// circumstances, then each list's items, then each matter's own.
    items: Vec<Item<'r>>,
    /// Indexed by [`MatterId`]; `None`: the matter always takes the interpreter.
    matters: Vec<Option<Fast<'r>>>,
}

impl<'r> Evaluator<'r> {
    /// Compiles every matter of `ruleset` that has a shape the compiled path
    /// covers (the others are evaluated by the interpreter).
    pub fn new(ruleset: &'r Ruleset) -> Self {
        let declared = ruleset.meta.boundaries.declared;
        let mut items: Vec<Item<'r>> = ruleset
            .circumstances
            .iter()
            .map(|c| Item::circumstance(c, declared))
            .collect();
        let mut list_start = Vec::with_capacity(ruleset.lists.len());
        for list in &ruleset.lists {
            list_start.push(items.len());
            items.extend(
                list.items
                    .iter()
                    .map(|i| Item::list_item(list, i, declared)),
            );
        }
        let mut matters = Vec::with_capacity(ruleset.matters.len());
        for m in &ruleset.matters {
            let own = items.len();
            items.extend(
                m.own_circumstances
                    .iter()
                    .map(|c| Item::circumstance(c, declared)),
            );
            matters.push(Fast::compile(ruleset, m, &items, &list_start, own));
        }
        Evaluator {
            rs: ruleset,
            items,
            matters,
        }
    }

    /// The ruleset it evaluates.
    pub fn ruleset(&self) -> &'r Ruleset {
        self.rs
    }

    /// Whether a matter was compiled (cases of it may take the fast path).
    pub fn is_compiled(&self, matter: MatterId) -> bool {
        matches!(self.matters.get(matter.0 as usize), Some(Some(_)))
    }

    /// Evaluates a case: the same result as [`evaluate`](super::evaluate).
    ///
    /// # Errors
    /// As [`evaluate`](super::evaluate).
    pub fn evaluate(
        &self,
        case: &Case,
        options: &EvalOptions,
    ) -> Result<Recommendation<'r>, CaseError> {
        if let Some(fast) = self.fast(case, options) {
            if let Some(plan) = fast.plan(self.rs, case) {
                if let Some((outcome, head, fine)) = fast.plain_parts(&plan) {
                    return Ok(fast.plain(self.rs, outcome, head, fine));
                }
                return fast.build_parts(self.rs, &self.items, &plan);
            }
        }
        evaluate(self.rs, case, options)
    }

    /// Whether [`Evaluator::evaluate`] takes the compiled path for this case.
    pub fn takes_fast_path(&self, case: &Case, options: &EvalOptions) -> bool {
        self.fast(case, options)
            .is_some_and(|fast| fast.plan(self.rs, case).is_some())
    }

    /// The compiled matter a case may take the fast path of.
    #[inline]
    fn fast(&self, case: &Case, options: &EvalOptions) -> Option<&Fast<'r>> {
        if options.trace {
            return None;
        }
        let [mid] = case.matters.as_slice() else {
            return None;
        };
        self.matters.get(mid.0 as usize)?.as_ref()
    }
}

// ----- conditions ----------------------------------------------------------------

/// A number bound with its parts taken apart once.
#[derive(Debug, Clone, Copy)]
struct Key {
    value: Decimal,
    scale: u32,
    inclusive: bool,
    /// The mantissa at the bound's own scale and at 1–3 more decimals
    /// (`scaled[j]` = mantissa × 10^j), for `j < fits`.
    scaled: [i128; 4],
    fits: u32,
}

impl Key {
    fn new(b: Bound<Decimal>) -> Key {
        let m = b.value.mantissa();
        let mut scaled = [m; 4];
        let mut fits = 1;
        for j in 1..4u32 {
            match pow10(j).and_then(|p| m.checked_mul(p)) {
                Some(v) => {
                    if let Some(slot) = scaled.get_mut(j as usize) {
                        *slot = v;
                    }
                    fits = j + 1;
                }
                None => break,
            }
        }
        Key {
            value: b.value,
            scale: b.value.scale(),
            inclusive: b.inclusive,
            scaled,
            fits,
        }
    }

    /// `x` (with its mantissa and scale) against the bound: `Decimal::cmp`.
    #[inline]
    fn cmp(&self, x: Decimal, xm: i128, xs: u32) -> Ordering {
        if xs >= self.scale {
            let j = xs - self.scale;
            if j < self.fits {
                if let Some(k) = self.scaled.get(j as usize) {
                    return xm.cmp(k);
                }
            }
        }
        cmp_dec(x, self.value)
    }
}

/// A condition compiled for two-valued evaluation.
#[derive(Debug, Clone)]
enum Test {
    True,
    Bool {
        fact: usize,
        value: bool,
    },
    /// Enum values below 64, as a bit set.
    EnumMask {
        fact: usize,
        mask: u64,
    },
    Enum {
        fact: usize,
        values: Box<[u16]>,
    },
    Number {
        fact: usize,
        lower: Option<Key>,
        upper: Option<Key>,
        /// Ends whose inclusion an undeclared 边界 convention decided: a
        /// value exactly there makes the interpreter warn.
        edge: (bool, bool),
    },
    Date {
        fact: usize,
        interval: Interval<Date>,
    },
    And(Box<[Test]>),
    Or(Box<[Test]>),
    Not(Box<Test>),
}

impl Test {
    fn new(c: &Cond, declared: bool) -> Test {
        match c {
            Cond::True => Test::True,
            Cond::Bool { fact, value } => Test::Bool {
                fact: fact.0 as usize,
                value: *value,
            },
            Cond::Enum { fact, values } if values.iter().all(|v| *v < 64) => Test::EnumMask {
                fact: fact.0 as usize,
                mask: values.iter().fold(0u64, |m, v| m | (1u64 << v)),
            },
            Cond::Enum { fact, values } => Test::Enum {
                fact: fact.0 as usize,
                values: values.clone().into_boxed_slice(),
            },
            Cond::Number {
                fact,
                interval,
                by_convention,
            } => Test::Number {
                fact: fact.0 as usize,
                lower: interval.lower.map(Key::new),
                upper: interval.upper.map(Key::new),
                edge: if declared {
                    (false, false)
                } else {
                    (
                        by_convention.0 && interval.lower.is_some(),
                        by_convention.1 && interval.upper.is_some(),
                    )
                },
            },
            Cond::Date { fact, interval } => Test::Date {
                fact: fact.0 as usize,
                interval: *interval,
            },
            Cond::And(cs) => Test::And(cs.iter().map(|c| Test::new(c, declared)).collect()),
            Cond::Or(cs) => Test::Or(cs.iter().map(|c| Test::new(c, declared)).collect()),
            Cond::Not(c) => Test::Not(Box::new(Test::new(c, declared))),
        }
    }

    /// Two-valued: `None` where the interpreter would explore a missing fact
    /// or warn about a boundary. Evaluates the same atoms in the same order
    /// as the interpreter does when every fact is known.
    #[inline(always)]
    fn holds(&self, facts: &[Option<Value>]) -> Option<bool> {
        let val = |f: usize| facts.get(f).copied().flatten();
        match self {
            Test::True => Some(true),
            Test::Bool { fact, value } => match val(*fact)? {
                Value::Bool(b) => Some(b == *value),
                _ => None,
            },
            Test::EnumMask { fact, mask } => match val(*fact)? {
                Value::Enum(i) => Some(i < 64 && mask & (1u64 << i) != 0),
                _ => None,
            },
            Test::Number { .. } => self.number(facts),
            Test::And(cs) => all(cs, facts),
            _ => self.rare(facts),
        }
    }

    #[inline(never)]
    fn number(&self, facts: &[Option<Value>]) -> Option<bool> {
        let Test::Number {
            fact,
            lower,
            upper,
            edge,
        } = self
        else {
            return None;
        };
        let Value::Number(x) = facts.get(*fact).copied().flatten()? else {
            return None;
        };
        let (xm, xs) = (x.mantissa(), x.scale());
        let lo = lower.as_ref().map(|k| (k.cmp(x, xm, xs), k.inclusive));
        let above = match lo {
            None => true,
            Some((Ordering::Greater, _)) => true,
            Some((Ordering::Equal, inc)) => inc,
            Some((Ordering::Less, _)) => false,
        };
        if edge.0 && matches!(lo, Some((Ordering::Equal, _))) {
            return None;
        }
        if !above && !edge.1 {
            return Some(false);
        }
        let hi = upper.as_ref().map(|k| (k.cmp(x, xm, xs), k.inclusive));
        if edge.1 && matches!(hi, Some((Ordering::Equal, _))) {
            return None;
        }
        Some(
            above
                && match hi {
                    None => true,
                    Some((Ordering::Less, _)) => true,
                    Some((Ordering::Equal, inc)) => inc,
                    Some((Ordering::Greater, _)) => false,
                },
        )
    }

    #[inline(never)]
    fn rare(&self, facts: &[Option<Value>]) -> Option<bool> {
        let val = |f: usize| facts.get(f).copied().flatten();
        match self {
            Test::Enum { fact, values } => match val(*fact)? {
                Value::Enum(i) => Some(values.contains(&i)),
                _ => None,
            },
            Test::Date { fact, interval } => match val(*fact)? {
                Value::Date(d) => Some(interval.contains(d)),
                _ => None,
            },
            Test::Or(cs) => {
                for c in cs {
                    if c.holds(facts)? {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Test::Not(c) => c.holds(facts).map(|b| !b),
            _ => self.holds(facts),
        }
    }
}

/// `And`: false at the first condition that does not hold.
#[inline(never)]
fn all(cs: &[Test], facts: &[Option<Value>]) -> Option<bool> {
    for c in cs {
        if !c.holds(facts)? {
            return Some(false);
        }
    }
    Some(true)
}

// ----- the grade index ---------------------------------------------------------

/// No grade's guard holds (the table's entry).
const NO_GRADE: u8 = u8::MAX;

/// Grade guards over (at most) one number fact and one enum fact, decided by
/// a table instead of testing each guard in turn.
///
/// The sorted distinct boundaries of every number condition cut the number
/// line into cells: below the first boundary, at it, between it and the
/// next, … (`2k + 1` cells for `k` boundaries); every number condition of a
/// guard is true on whole cells. The enum values mentioned get a column each,
/// and one more column stands for every value above them. The table holds,
/// per cell and column, the grade the interpreter's loop chooses (first or
/// heaviest hit, `其他` where nothing before it hit). Used only when every
/// fact it reads is given with its type; otherwise the guards are tested one
/// by one, as before, and decide as the interpreter does about missing facts.
#[derive(Debug)]
struct GradeIndex {
    /// The number fact and its boundaries, ascending and distinct.
    num: Option<(usize, Box<[Key]>)>,
    /// The enum fact and the number of columns.
    en: Option<(usize, usize)>,
    cols: usize,
    /// `table[cell * cols + column]`: the grade, or [`NO_GRADE`].
    table: Box<[u8]>,
    /// The boundaries as mantissas at each scale a number can have
    /// (`rows[s * n .. s * n + n]` for scale `s`, `n` boundaries), usable
    /// where bit `s` of `row_ok` is set (every boundary has at most `s`
    /// decimals and its mantissa at scale `s` fits an `i128`): a number of
    /// that scale is then placed by comparing integers.
    rows: Box<[i128]>,
    row_ok: u32,
}

/// The cell of `x` among ascending boundaries, by `Decimal` comparison.
#[cold]
#[inline(never)]
fn cell_of(bounds: &[Key], x: Decimal) -> usize {
    let (xm, xs) = (x.mantissa(), x.scale());
    for (i, k) in bounds.iter().enumerate() {
        match k.cmp(x, xm, xs) {
            Ordering::Greater => {}
            Ordering::Equal => return 2 * i + 1,
            Ordering::Less => return 2 * i,
        }
    }
    2 * bounds.len()
}

/// Decimal's largest scale.
const MAX_SCALE: u32 = 28;

/// The boundaries at every scale (see [`GradeIndex::rows`]).
fn scale_rows(bounds: &[Key]) -> (Box<[i128]>, u32) {
    let mut rows = Vec::with_capacity(bounds.len() * (MAX_SCALE as usize + 1));
    let mut ok = 0u32;
    for s in 0..=MAX_SCALE {
        let mut all = true;
        for k in bounds {
            let v = s
                .checked_sub(k.scale)
                .and_then(pow10)
                .and_then(|p| k.value.mantissa().checked_mul(p));
            all &= v.is_some();
            rows.push(v.unwrap_or(0));
        }
        if all {
            ok |= 1 << s;
        }
    }
    (rows.into_boxed_slice(), ok)
}

/// The largest number of boundaries an index takes (cells fit a `u64`).
const MAX_BOUNDARIES: usize = 31;

/// One guard's conditions, as sets of cells and of enum values.
struct GuardSets<'a> {
    /// `None`: `其他`.
    otherwise: bool,
    numbers: Vec<(Option<&'a Key>, Option<&'a Key>)>,
    /// Enum masks that must all hold.
    enums: Vec<u64>,
}

impl GradeIndex {
    fn new(guards: &[Option<Test>], heavier: bool) -> Option<GradeIndex> {
        if guards.len() >= usize::from(NO_GRADE) {
            return None;
        }
        let mut num_fact: Option<usize> = None;
        let mut en_fact: Option<usize> = None;
        let mut sets = Vec::with_capacity(guards.len());
        for g in guards {
            let mut set = GuardSets {
                otherwise: g.is_none(),
                numbers: Vec::new(),
                enums: Vec::new(),
            };
            let atoms: &[Test] = match g {
                None | Some(Test::True) => &[],
                Some(Test::And(cs)) => cs,
                Some(t) => std::slice::from_ref(t),
            };
            for a in atoms {
                match a {
                    Test::True => {}
                    Test::Number {
                        fact,
                        lower,
                        upper,
                        edge: (false, false),
                    } => {
                        if *num_fact.get_or_insert(*fact) != *fact {
                            return None;
                        }
                        set.numbers.push((lower.as_ref(), upper.as_ref()));
                    }
                    Test::EnumMask { fact, mask } => {
                        if *en_fact.get_or_insert(*fact) != *fact {
                            return None;
                        }
                        set.enums.push(*mask);
                    }
                    _ => return None,
                }
            }
            sets.push(set);
        }
        if num_fact.is_some() && num_fact == en_fact {
            return None;
        }
        // The boundaries.
        let mut bounds: Vec<Key> = Vec::new();
        for k in sets
            .iter()
            .flat_map(|s| s.numbers.iter())
            .flat_map(|(l, u)| [*l, *u])
            .flatten()
        {
            if !bounds
                .iter()
                .any(|b| b.value.cmp(&k.value) == Ordering::Equal)
            {
                bounds.push(*k);
            }
        }
        if bounds.len() > MAX_BOUNDARIES {
            return None;
        }
        bounds.sort_by_key(|k| k.value);
        let cells = if num_fact.is_some() {
            bounds.len().checked_mul(2)?.checked_add(1)?
        } else {
            1
        };
        // Enum columns: every value mentioned, then one for the rest.
        let all_masks = sets
            .iter()
            .flat_map(|s| s.enums.iter())
            .fold(0u64, |m, x| m | x);
        let cols = if en_fact.is_some() {
            (64 - all_masks.leading_zeros() as usize).checked_add(1)?
        } else {
            1
        };
        // x against boundary j in a cell.
        let ord_at = |cell: usize, j: usize| -> Ordering {
            let i = cell / 2;
            if j < i {
                Ordering::Greater
            } else if j == i && cell % 2 == 1 {
                Ordering::Equal
            } else {
                Ordering::Less
            }
        };
        let index_of = |k: &Key| {
            bounds
                .iter()
                .position(|b| b.value.cmp(&k.value) == Ordering::Equal)
        };
        let mut table = Vec::with_capacity(cells.checked_mul(cols)?);
        for cell in 0..cells {
            for col in 0..cols {
                let mut chosen: Option<usize> = None;
                for (gi, s) in sets.iter().enumerate() {
                    let hit = if s.otherwise {
                        chosen.is_none()
                    } else {
                        let mut hit = true;
                        for (l, u) in &s.numbers {
                            let above = match l {
                                None => true,
                                Some(k) => match ord_at(cell, index_of(k)?) {
                                    Ordering::Greater => true,
                                    Ordering::Equal => k.inclusive,
                                    Ordering::Less => false,
                                },
                            };
                            let below = match u {
                                None => true,
                                Some(k) => match ord_at(cell, index_of(k)?) {
                                    Ordering::Less => true,
                                    Ordering::Equal => k.inclusive,
                                    Ordering::Greater => false,
                                },
                            };
                            hit &= above && below;
                        }
                        for m in &s.enums {
                            hit &= col < 64 && m & (1u64 << col) != 0;
                        }
                        hit
                    };
                    if hit {
                        chosen = Some(gi);
                        if !heavier {
                            break;
                        }
                    }
                }
                table.push(match chosen {
                    Some(g) => u8::try_from(g).ok()?,
                    None => NO_GRADE,
                });
            }
        }
        let (rows, row_ok) = scale_rows(&bounds);
        Some(GradeIndex {
            rows,
            row_ok,
            num: num_fact.map(|f| (f, bounds.into_boxed_slice())),
            en: en_fact.map(|f| (f, cols)),
            cols,
            table: table.into_boxed_slice(),
        })
    }

    /// The grade chosen (`Some(None)`: none), or `None` where a fact it
    /// reads is missing or of another type (the guards are then tested one
    /// by one).
    #[inline(always)]
    fn lookup(&self, facts: &[Option<Value>]) -> Option<Option<usize>> {
        let mut cell = 0;
        if let Some((f, bounds)) = &self.num {
            let Some(Some(Value::Number(x))) = facts.get(*f) else {
                return None;
            };
            let (xm, xs) = (x.mantissa(), x.scale());
            let n = bounds.len();
            let row = (xs <= MAX_SCALE && self.row_ok >> xs & 1 != 0)
                .then(|| self.rows.get(xs as usize * n..xs as usize * n + n))
                .flatten();
            if let Some(row) = row {
                // Above every boundary less than x (two cells each), at one
                // if x equals it.
                for &b in row {
                    cell += 2 * usize::from(xm > b) + usize::from(xm == b);
                }
            } else {
                cell = cell_of(bounds, *x);
            }
        }
        let mut col = 0;
        if let Some((f, cols)) = self.en {
            let Some(Some(Value::Enum(e))) = facts.get(f) else {
                return None;
            };
            col = usize::from(*e).min(cols.saturating_sub(1));
        }
        let g = *self
            .table
            .get(cell.checked_mul(self.cols)?.checked_add(col)?)?;
        Some((g != NO_GRADE).then_some(usize::from(g)))
    }
}

// ----- the compiled matter -----------------------------------------------------

// Circumstance classes 0–3 are the interpreter's (`C_LIGHTER` … `C_LOR`).
use super::engine::{C_HEAVIER, C_LIGHTER, C_LOR, C_REDUCED};
/// Not a class: a no-penalty ground.
const C_NO_PENALTY: usize = 4;
/// An effect the compiled form does not model.
const C_OTHER: usize = 5;
/// A list item of a kind no step of the evaluation reads.
const C_IGNORED: usize = 6;

/// The most no-penalty grounds or circumstances a compiled matter has (bit masks).
const MAX_ITEMS: usize = 64;

/// A circumstance or list item.
#[derive(Debug)]
struct Item<'r> {
    /// `C_*`.
    class: usize,
    shall: bool,
    test: Test,
    id: &'r str,
    name: Option<&'r str>,
    basis: Option<&'r str>,
    obligations: &'r [String],
    /// One of the obligations is an 教育 already.
    educates: bool,
}

impl<'r> Item<'r> {
    fn circumstance(c: &'r Circumstance, declared: bool) -> Item<'r> {
        let class = if c.effect == Effect::NoPenalty {
            C_NO_PENALTY
        } else if c.effect == Effect::Lighter {
            C_LIGHTER
        } else if c.effect == Effect::Heavier {
            C_HEAVIER
        } else if c.effect == Effect::Reduced {
            C_REDUCED
        } else if c.effect == Effect::LighterOrReduced {
            C_LOR
        } else {
            C_OTHER
        };
        Item {
            class,
            shall: c.modality == Modality::Shall,
            test: Test::new(&c.when, declared),
            id: &c.id,
            name: c.name.as_deref(),
            basis: c.basis.as_deref(),
            obligations: &c.obligations,
            educates: c.obligations.iter().any(|o| o.starts_with("教育")),
        }
    }

    fn list_item(list: &'r List, item: &'r ListItem, declared: bool) -> Item<'r> {
        let class = match list.kind {
            ListKind::NoPenalty | ListKind::FirstOffence => C_NO_PENALTY,
            ListKind::Lighter => C_LIGHTER,
            ListKind::Reduced => C_REDUCED,
            #[allow(unreachable_patterns)]
            _ => C_IGNORED,
        };
        Item {
            class,
            shall: item.modality == Modality::Shall,
            test: Test::new(&item.when, declared),
            id: &item.id,
            name: Some(&item.name),
            basis: item.basis.as_deref().or(list.basis.as_deref()),
            obligations: &item.obligations,
            educates: item.obligations.iter().any(|o| o.starts_with("教育")),
        }
    }

    /// The options a 可以 circumstance offers (as the interpreter).
    fn kinds(&self) -> &'static [ChoiceKind] {
        match self.class {
            C_LIGHTER => &[ChoiceKind::Lighter],
            C_HEAVIER => &[ChoiceKind::Heavier],
            C_REDUCED => &[ChoiceKind::Reduced],
            _ => &[ChoiceKind::Lighter, ChoiceKind::Reduced],
        }
    }
}

/// A statute version (or none, for a matter without statutes).
#[derive(Debug)]
struct Slot<'r> {
    statute: Option<(usize, &'r Statute)>,
    /// How the recommendation cites it.
    sref: Option<StatuteRef<'r>>,
    srange: Option<FineRange>,
    max_only: bool,
    /// The statutory fine is mandatory (or there is none).
    mandatory: bool,
}

/// What a penalty under one statute version and grade shows whatever the
/// circumstances: the parts of the [`Recommendation`] read off the ruleset.
#[derive(Debug, Clone, Copy)]
struct Head<'r> {
    statute: Option<StatuteRef<'r>>,
    statutory_range: Option<FineRange>,
    grade: Option<GradeRef<'r>>,
    st_others: &'r [OtherSanction],
    gr_others: &'r [OtherSanction],
    source: Option<&'r Statute>,
    /// A 可以 sanction: an option to list.
    may_sanction: bool,
}

impl<'r> Head<'r> {
    fn new(slot: &Slot<'r>, grade: Option<&'r Grade>) -> Head<'r> {
        let st_others: &'r [OtherSanction] = slot.statute.map_or(&[], |(_, s)| &s.others);
        let gr_others: &'r [OtherSanction] = grade.map_or(&[], |g| &g.others);
        Head {
            statute: slot.sref,
            statutory_range: slot.srange,
            grade: grade.map(|g| GradeRef {
                id: &g.id,
                name: g.name.as_deref(),
            }),
            st_others,
            gr_others,
            source: slot.statute.map(|(_, s)| s),
            may_sanction: st_others
                .iter()
                .chain(gr_others)
                .any(|s| s.modality == Modality::May),
        }
    }
}

impl Head<'_> {
    const EMPTY: Head<'static> = Head {
        statute: None,
        statutory_range: None,
        grade: None,
        st_others: &[],
        gr_others: &[],
        source: None,
        may_sanction: false,
    };
}

/// The circumstance step's result for one key ([`Comps::decide`]).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Out {
    /// `None`: no fine.
    fine: Option<FineOut>,
    /// 应当从轻或者减轻 alone: the two required options.
    lor: bool,
    /// Lists nothing (no required option, no fine or sanction to choose).
    plain: bool,
}

/// Bits of the key [`Comps::decide`] is indexed by: the 从轻, 从重, 减轻 and
/// 从轻或者减轻 classes apply; a 可以 circumstance offers a 从轻, 从重 or
/// 减轻 option.
const K_L: usize = 1;
const K_H: usize = 2;
const K_D: usize = 4;
const K_LOR: usize = 8;
const K_OPT_L: usize = 16;
const K_OPT_H: usize = 32;
const K_OPT_D: usize = 64;
/// [`Comps::decide`]: the interpreter must run.
const UNDECIDED: u8 = u8::MAX;

/// The circumstance step's components for one statute version and grade.
#[derive(Debug)]
struct Comps<'r> {
    head: Head<'r>,
    /// Per key (`K_*` bits), the index of its result in `outs`, or
    /// [`UNDECIDED`]: the whole circumstance step, decided once.
    decide: [u8; 128],
    outs: Box<[Out]>,
    /// Computing the grade's fine warns: the interpreter's business.
    ok: bool,
    /// The grade's (or the statute's) range; `None`: no fine.
    base: Option<FineRange>,
    /// The grade's fine is 可以.
    may: bool,
    /// 从轻, 从重, 一般, 减轻: rounded and clamped.
    fixed: [FineRange; 4],
    /// The amount each fixes if it is one point ([`FineRange::as_point`]).
    points: [Option<Decimal>; 4],
    /// Whether the clamp moved each.
    changed: [bool; 4],
    /// Computing 减轻 warns.
    d_warns: bool,
    /// Before rounding and clamping, where that can differ from `fixed`.
    raw: Option<Box<[FineRange; 4]>>,
}

impl Comps<'_> {
    /// Decides the circumstance step for every key made of `possible`
    /// bits, as the interpreter would (`None`: more than 255 distinct
    /// results, never in practice).
    fn decide_all(&mut self, p: &Policy, sl: &Slot<'_>, possible: usize) -> Option<()> {
        let mut outs: Vec<Out> = Vec::new();
        for key in (0..128).filter(|k| k & !possible == 0) {
            let Some(out) = self.decide_key(p, sl, key) else {
                continue;
            };
            let i = match outs.iter().position(|o| *o == out) {
                Some(i) => i,
                None => {
                    outs.push(out);
                    outs.len() - 1
                }
            };
            let i = u8::try_from(i).ok().filter(|&i| i != UNDECIDED)?;
            *self.decide.get_mut(key)? = i;
        }
        self.outs = outs.into_boxed_slice();
        Some(())
    }

    /// The circumstance step for one key (`K_*` bits), `None` where the
    /// interpreter must run.
    fn decide_key(&self, p: &Policy, sl: &Slot<'_>, key: usize) -> Option<Out> {
        if !self.ok {
            return None;
        }
        if self.base.is_none() {
            return Some(Out {
                fine: None,
                lor: false,
                plain: !self.head.may_sanction,
            });
        }
        let bit = |k: usize| key & k != 0;
        let (l_on, h_on, d_on, lor_on) = (bit(K_L), bit(K_H), bit(K_D), bit(K_LOR));
        let (opt_l, opt_h, opt_d) = (bit(K_OPT_L), bit(K_OPT_H), bit(K_OPT_D));
        let lighterish = l_on || d_on || lor_on;
        let reduced_needed = d_on || lor_on || opt_d;
        let need_l = l_on || lor_on || reduced_needed || opt_l;
        let need_h = h_on || opt_h;
        let need_o = !(lighterish || h_on)
            || (lighterish && h_on && matches!(p.mixed, MixedRule::Ask | MixedRule::Offset));
        if reduced_needed && self.d_warns {
            return None;
        }
        if lighterish && h_on && p.mixed == MixedRule::Ask {
            // Left to the officer's judgement: the interpreter lists the candidates.
            return None;
        }
        let flags = (l_on, h_on, d_on, lor_on);
        // `combine`, without copying the four ranges where it returns one of them.
        let (result, point) = match pick(p.mixed, flags) {
            Some(i) => (*self.fixed.get(i)?, *self.points.get(i)?),
            None => {
                let [l, h, o, d] = self.fixed;
                let r = combine(p.mixed, flags, l, h, o, d)?;
                (r, r.as_point())
            }
        };
        let [cl, ch, co, cd] = self.changed;
        let clamped = (need_l && cl) || (need_h && ch) || (need_o && co) || (reduced_needed && cd);
        if sl.srange.is_some() && (clamped || p.rounding != Rounding::Exact) {
            // The interpreter warns when the clamp (or rounding) changed the result.
            let [l, h, o, d] = *self.raw.as_deref()?;
            let raw = combine(p.mixed, flags, l, h, o, d).map(|r| r.rounded(p.rounding));
            if raw != Some(result) {
                return None;
            }
        }
        if result.lower.is_zero() && result.upper.is_some_and(|u| u.is_zero()) {
            return None;
        }
        let mandatory = sl.mandatory && !self.may;
        let lor = lor_on && !(lighterish && h_on) && !d_on;
        Some(Out {
            fine: Some(FineOut {
                range: result,
                point,
                mandatory,
            }),
            lor,
            plain: mandatory && !lor && !self.head.may_sanction,
        })
    }
}

/// Guards in order (`None`: `其他`).
type Guards = Box<[Option<Test>]>;

#[derive(Debug)]
struct Fast<'r> {
    m: &'r Matter,
    limitation: Box<[(Option<Test>, Period)]>,
    slots: Box<[Slot<'r>]>,
    /// Per statute version (one entry without statutes), its first slot
    /// and the guards of its fine switch (`None`: `其他`; empty: no switch,
    /// one slot): the slot is the first plus the arm that applies.
    arms: Box<[(usize, Guards)]>,
    /// Indexes into the evaluator's items: 应当不予处罚 grounds, 可以不予处罚
    /// grounds, 从轻/从重/减轻 circumstances (each in the interpreter's order).
    np_shall: Box<[u32]>,
    np_may: Box<[u32]>,
    circs: Box<[u32]>,
    /// Their conditions, copied here (no indirection when deciding).
    np_shall_tests: Box<[Test]>,
    np_may_tests: Box<[Test]>,
    circ_tests: Box<[Test]>,
    /// Bits of `circs` that, holding, may add an option or an obligation.
    noisy: u64,
    /// The limitation period where the first rule is unconditional (or
    /// there is none: the default).
    period: Option<Period>,
    /// The ruleset is in force from or to a date.
    in_force_check: bool,
    /// Per bit of `circs`, the key bits ([`Comps::decide`]) it sets when
    /// it holds, where every class is `任一` (`any_all` false).
    contrib: Box<[u8]>,
    /// A class requires `全部`: the key is worked out from the masks.
    any_all: bool,
    /// Grade guards (`None`: `其他`); empty for a matter without a table.
    guards: Box<[Option<Test>]>,
    /// The guards as a table, where they have that shape.
    index: Option<GradeIndex>,
    graded: bool,
    /// `comps[slot * width + grade]`, width = the number of grades (1 without a table).
    comps: Box<[Comps<'r>]>,
    width: usize,
    /// Bits of `circs` by class, and of those that are 应当.
    class_mask: [u64; 4],
    shall_mask: u64,
    /// Bits of `circs` that offer a 从轻 / 从重 / 减轻 option when 可以.
    opt_mask: [u64; 3],
    /// The quantifier of each class (`全部` / `任一`).
    all: [bool; 4],
}

/// The parts of a [`Recommendation`] the compiled path sets (the others
/// stay empty).
#[derive(Debug)]
struct Parts<'r> {
    outcome: Outcome,
    possible_outcomes: OutcomeSet,
    fine: Option<FineOut>,
    statutory_range: Option<FineRange>,
    statute: Option<StatuteRef<'r>>,
    grade: Option<GradeRef<'r>>,
    sanctions: Sanctions<'r>,
    options: Vec<Choice<'r>>,
    grounds: Vec<Choice<'r>>,
    obligations: Vec<&'r str>,
}

/// What the case comes to, decided before anything is built.
#[derive(Debug, Clone, Copy)]
enum Plan {
    TimeBarred,
    NotPunishable { slot: usize },
    NoPenalty { slot: usize, ground: usize },
    Penalty(Penalty),
}

#[derive(Debug, Clone, Copy)]
struct Penalty {
    slot: usize,
    /// Bits of `np_may` that hold.
    waive: u64,
    comps: usize,
    /// Bits of `circs` that hold.
    holds: u64,
    /// Bits of `circs` whose options lapse (`全部` not met).
    lapsed: u64,
    /// The index of the circumstance step's result in the comps' `outs`.
    out: u8,
    /// Nothing to list: no options, grounds or obligations.
    plain: bool,
}

/// Which of the 从轻, 从重, 一般, 减轻 ranges `combine` returns unchanged
/// (indexes into `Comps::fixed`); `None` where it returns a hull of them.
#[inline]
fn pick(mixed: MixedRule, (l_on, h_on, d_on, lor_on): (bool, bool, bool, bool)) -> Option<usize> {
    let lighter = if d_on {
        Some(3)
    } else if lor_on {
        None
    } else {
        Some(0)
    };
    let lighterish = l_on || d_on || lor_on;
    if lighterish && h_on {
        match mixed {
            MixedRule::Ask => None,
            MixedRule::Offset => Some(2),
            MixedRule::LighterPrevails => lighter,
            MixedRule::HeavierPrevails => Some(1),
        }
    } else if lighterish {
        lighter
    } else if h_on {
        Some(1)
    } else {
        Some(2)
    }
}

fn fixed_amount(a: &Amount) -> bool {
    matches!(a, Amount::Fixed(_))
}

/// Whether a fine rule needs no facts (fixed amounts or a statute band).
fn fixed_rule(r: &FineRule) -> bool {
    match r {
        FineRule::Range { lower, upper } => {
            lower.as_ref().is_none_or(|b| fixed_amount(&b.value)) && fixed_amount(&upper.value)
        }
        FineRule::Exact(a) => fixed_amount(a),
        FineRule::StatuteBand { .. } | FineRule::MaximumBand { .. } => true,
        FineRule::Switch(_) => false,
    }
}

fn unconditional(others: &[OtherSanction]) -> bool {
    // A sanction with a period has trace steps of its own: left to the interpreter.
    others
        .iter()
        .all(|o| o.when.is_none() && o.period.is_none())
}

/// A date as one integer, in the same order as `Date`'s.
#[inline]
fn date_key(d: Date) -> i64 {
    (i64::from(d.year) << 16) | (i64::from(d.month) << 8) | i64::from(d.day)
}

/// `start + period` as `Date::add_months` / `Date::add_days` compute it,
/// without the calendar where the day cannot overflow the month.
#[inline]
fn deadline(start: Date, period: Period) -> Option<Date> {
    match period {
        Period::Months(n) => {
            if (1..=28).contains(&start.day) && n <= 120_000 {
                let total = i64::from(start.year) * 12 + i64::from(start.month) - 1 + i64::from(n);
                let year = total.div_euclid(12);
                if (1..=9999).contains(&year) && (1..=12).contains(&start.month) {
                    return Some(Date {
                        year: i32::try_from(year).ok()?,
                        month: u8::try_from(total.rem_euclid(12) + 1).ok()?,
                        day: start.day,
                    });
                }
            }
            i32::try_from(n).ok().and_then(|n| start.add_months(n))
        }
        Period::Days(n) => start.add_days(i64::from(n)),
    }
}

impl<'r> Fast<'r> {
    fn compile(
        rs: &'r Ruleset,
        m: &'r Matter,
        items: &[Item<'r>],
        list_start: &[usize],
        own: usize,
    ) -> Option<Fast<'r>> {
        let declared = rs.meta.boundaries.declared;
        // The interpreter's order: the ruleset's circumstances covering the
        // matter, its own, then list items.
        let mut order: Vec<usize> = m
            .circumstances
            .iter()
            .copied()
            .filter(|&i| i < rs.circumstances.len())
            .collect();
        order.extend(own..own + m.own_circumstances.len());
        for &(li, ii) in &m.list_items {
            let (Some(&first), Some(list)) = (list_start.get(li), rs.lists.get(li)) else {
                continue;
            };
            // A list item with its own range, or a list in the document's
            // own word (免予处罚 …): left to the interpreter.
            if list.word.is_some() || list.items.get(ii).is_some_and(|it| it.fine.is_some()) {
                return None;
            }
            if ii < list.items.len() {
                order.push(first + ii);
            }
        }
        let (mut np_shall, mut np_may, mut circs) = (Vec::new(), Vec::new(), Vec::new());
        for &i in &order {
            let item = items.get(i)?;
            let idx = u32::try_from(i).ok()?;
            match item.class {
                C_NO_PENALTY if item.shall => np_shall.push(idx),
                C_NO_PENALTY => np_may.push(idx),
                C_LIGHTER | C_HEAVIER | C_REDUCED | C_LOR => circs.push(idx),
                C_IGNORED => {}
                _ => return None,
            }
        }
        if np_may.len() > MAX_ITEMS || circs.len() > MAX_ITEMS {
            return None;
        }
        let mut class_mask = [0u64; 4];
        let mut shall_mask = 0u64;
        let mut opt_mask = [0u64; 3];
        for (bit, &i) in circs.iter().enumerate() {
            let item = items.get(i as usize)?;
            let b = 1u64 << bit;
            if let Some(x) = class_mask.get_mut(item.class) {
                *x |= b;
            }
            if item.shall {
                shall_mask |= b;
            }
            for kind in item.kinds() {
                let k = match kind {
                    ChoiceKind::Lighter => 0,
                    ChoiceKind::Heavier => 1,
                    _ => 2,
                };
                if let Some(x) = opt_mask.get_mut(k) {
                    *x |= b;
                }
            }
        }
        let p = &rs.policy;
        let all = [
            p.lighter_requires,
            p.heavier_requires,
            p.reduced_requires,
            p.lighter_requires,
        ]
        .map(|q| q == Quantifier::All);

        let (grades, graded): (&'r [Grade], bool) = match &m.table {
            Table::None => (&[], false),
            Table::Graded(gs) => (gs.as_slice(), true),
            _ => return None,
        };
        for g in grades {
            // 择一 alternatives are options the interpreter lists: not compiled.
            // So are grades deciding no penalty, marked 减轻, stating 应当
            // 罚款, citing their own basis, or without a fine.
            if !g.one_of.is_empty()
                || g.no_penalty.is_some()
                || g.collective.is_some()
                || g.reduced
                || g.shall_fine
                || g.basis.is_some()
                || g.fine.is_none()
                || !unconditional(&g.others)
                || g.fine.as_ref().is_some_and(|f| !fixed_rule(&f.rule))
            {
                return None;
            }
        }

        // Statute versions: the fine in force, computed by the interpreter's own rule.
        let none = Case::default();
        let mut slots = Vec::new();
        let versions: Vec<Option<(usize, &'r Statute)>> = if m.statutes.is_empty() {
            vec![None]
        } else {
            m.statutes.iter().enumerate().map(Some).collect()
        };
        let mut arms_of = Vec::with_capacity(versions.len());
        for v in versions {
            if v.is_some_and(|(_, s)| !unconditional(&s.others) || !s.one_of.is_empty()) {
                return None;
            }
            let sref = v.map(|(version, s)| StatuteRef {
                version,
                basis: s.basis.as_deref().or(m.penalty_basis.as_deref()),
                from: s.from,
                to: s.to,
            });
            let first = slots.len();
            let mut guards = Vec::new();
            // The fine in force (`None`: no fine), with the modality the
            // rule states, as the interpreter's `rule`: one slot per arm of
            // a fine switch (情节严重的 …), the arm chosen when deciding.
            let mut ways: Vec<(Option<&'r FineRule>, Option<Modality>)> = Vec::new();
            let fine = v.and_then(|(_, s)| s.fine.as_ref());
            match fine.map(|f| &f.rule) {
                Some(FineRule::Switch(arms)) => {
                    for arm in arms {
                        if arm.fine.as_ref().is_some_and(|r| !fixed_rule(r)) {
                            return None;
                        }
                        guards.push(match &arm.guard {
                            Guard::When(c) => Some(Test::new(c, declared)),
                            Guard::Otherwise => None,
                        });
                        ways.push((arm.fine.as_ref(), arm.modality));
                    }
                }
                Some(r) if !fixed_rule(r) => return None,
                rule => ways.push((rule, None)),
            }
            for (rule, arm_modality) in ways {
                let (srange, max_only, mandatory) = match (fine, rule) {
                    (None, _) => (None, false, true),
                    (Some(f), rule) => {
                        let mut ctx = Ctx::new(rs, &none, false);
                        let val = match rule {
                            Some(r) => ctx.rule(r, None, true),
                            None => RuleVal {
                                range: None,
                                max_only: false,
                                modality: None,
                            },
                        };
                        if !ctx.warnings.is_empty() {
                            return None;
                        }
                        (
                            val.range.map(|r| r.rounded(p.rounding)),
                            val.max_only,
                            arm_modality.or(val.modality).unwrap_or(f.modality) == Modality::Shall,
                        )
                    }
                };
                slots.push(Slot {
                    statute: v,
                    sref,
                    srange,
                    max_only,
                    mandatory,
                });
            }
            arms_of.push((first, guards.into_boxed_slice()));
        }

        let width = if graded { grades.len() } else { 1 };
        let mut comps = Vec::with_capacity(slots.len().saturating_mul(width));
        for slot in &slots {
            if graded {
                for g in grades {
                    comps.push(Self::comps(rs, &none, slot, Some(g)));
                }
            } else {
                comps.push(Self::comps(rs, &none, slot, None));
            }
        }
        let mut contrib = Vec::with_capacity(circs.len());
        for &i in &circs {
            let item = items.get(i as usize)?;
            let k = if item.shall {
                1usize << item.class
            } else {
                item.kinds().iter().fold(0, |k, kind| {
                    k | match kind {
                        ChoiceKind::Lighter => K_OPT_L,
                        ChoiceKind::Heavier => K_OPT_H,
                        _ => K_OPT_D,
                    }
                })
            };
            contrib.push(u8::try_from(k).ok()?);
        }
        // The key bits any case can set (others are never looked up).
        let possible = contrib.iter().fold(0usize, |k, &c| k | usize::from(c));
        for (i, c) in comps.iter_mut().enumerate() {
            let slot = slots.get(i / width)?;
            let grade = if graded { grades.get(i % width) } else { None };
            c.head = Head::new(slot, grade);
            c.decide_all(p, slot, possible)?;
        }
        let limitation = if m.limitation.is_empty() {
            &rs.limitation
        } else {
            &m.limitation
        };
        let guards: Box<[Option<Test>]> = grades
            .iter()
            .map(|g| match &g.guard {
                Guard::When(c) => Some(Test::new(c, declared)),
                Guard::Otherwise => None,
            })
            .collect();
        let index = if graded {
            GradeIndex::new(&guards, p.several_grades == SeveralGrades::Heavier)
        } else {
            None
        };
        let tests = |ix: &[u32]| -> Option<Box<[Test]>> {
            ix.iter()
                .map(|&i| items.get(i as usize).map(|it| it.test.clone()))
                .collect()
        };
        let mut noisy = 0u64;
        for (bit, &i) in circs.iter().enumerate() {
            let item = items.get(i as usize)?;
            if !item.shall || !item.obligations.is_empty() {
                noisy |= 1 << bit;
            }
        }
        let period = match limitation.first() {
            None => Some(DEFAULT_LIMITATION),
            Some(r) if r.when.is_none() => Some(r.period),
            Some(_) => None,
        };
        Some(Fast {
            m,
            arms: arms_of.into_boxed_slice(),
            in_force_check: rs.meta.effective_from.is_some() || rs.meta.effective_to.is_some(),
            contrib: contrib.into_boxed_slice(),
            any_all: all.iter().any(|a| *a),
            np_shall_tests: tests(&np_shall)?,
            np_may_tests: tests(&np_may)?,
            circ_tests: tests(&circs)?,
            noisy,
            period,
            limitation: limitation
                .iter()
                .map(|r| (r.when.as_ref().map(|c| Test::new(c, declared)), r.period))
                .collect(),
            slots: slots.into_boxed_slice(),
            np_shall: np_shall.into_boxed_slice(),
            np_may: np_may.into_boxed_slice(),
            circs: circs.into_boxed_slice(),
            guards,
            index,
            graded,
            comps: comps.into_boxed_slice(),
            width,
            class_mask,
            shall_mask,
            opt_mask,
            all,
        })
    }

    /// The components of the circumstance step under one statute version and
    /// grade (`None`: no table), as the interpreter computes them.
    fn comps(rs: &'r Ruleset, none: &Case, slot: &Slot<'r>, grade: Option<&'r Grade>) -> Comps<'r> {
        let p = &rs.policy;
        let srange = slot.srange;
        let mut ok = true;
        let (base, may, max_only) = match grade {
            None => (srange, false, slot.max_only),
            Some(g) => match &g.fine {
                None => (None, false, false),
                Some(f) => {
                    let mut ctx = Ctx::new(rs, none, false);
                    let v = ctx.rule(&f.rule, srange, false);
                    ok = ctx.warnings.is_empty();
                    (
                        v.range,
                        v.modality.unwrap_or(f.modality) == Modality::May,
                        false,
                    )
                }
            },
        };
        let empty = FineRange::point(Decimal::ZERO);
        let Some(b) = base else {
            return Comps {
                head: Head::EMPTY,
                decide: [UNDECIDED; 128],
                outs: Box::new([]),
                ok,
                base,
                may,
                fixed: [empty; 4],
                points: [empty.as_point(); 4],
                changed: [false; 4],
                d_warns: false,
                raw: None,
            };
        };
        let [lighter, heavier, ordinary] = p.bands(max_only);
        let l = super::engine::band_of(b, &lighter, srange);
        let h = super::engine::band_of(b, &heavier, srange);
        let o = super::engine::band_of(b, &ordinary, srange);
        let mut ctx = Ctx::new(rs, none, false);
        let d = ctx.reduced_range(srange, l);
        let d_warns = !ctx.warnings.is_empty();
        let raw = [l, h, o, d];
        let mut fixed = raw;
        let mut changed = [false; 4];
        for (i, (f, c)) in fixed.iter_mut().zip(changed.iter_mut()).enumerate() {
            let r = f.rounded(p.rounding);
            *f = match srange {
                Some(s) => {
                    // 减轻 is clamped at the upper end only.
                    let (r, moved) = r.clamp_to(&s, i != 3);
                    *c = moved;
                    r
                }
                None => r,
            };
        }
        let keep_raw = p.rounding != Rounding::Exact || changed.iter().any(|c| *c);
        Comps {
            head: Head::EMPTY,
            decide: [UNDECIDED; 128],
            outs: Box::new([]),
            ok,
            base,
            may,
            fixed,
            points: fixed.map(|r| r.as_point()),
            changed,
            d_warns,
            raw: keep_raw.then(|| Box::new(raw)),
        }
    }

    // ----- deciding -------------------------------------------------------------

    /// The grade the guards choose, testing each in turn: `None` where the
    /// interpreter would explore a missing fact, `Some(None)` where no
    /// guard holds.
    #[inline(never)]
    fn guard_loop(&self, rs: &Ruleset, facts: &[Option<Value>]) -> Option<Option<usize>> {
        let heavier = rs.policy.several_grades == SeveralGrades::Heavier;
        let mut chosen = None;
        for (i, g) in self.guards.iter().enumerate() {
            let hit = match g {
                Some(t) => t.holds(facts)?,
                None => chosen.is_none(),
            };
            if hit {
                chosen = Some(i);
                if !heavier {
                    break;
                }
            }
        }
        Some(chosen)
    }

    /// Decides the case, or `None` where the interpreter must run.
    #[inline(always)]
    fn plan(&self, rs: &Ruleset, case: &Case) -> Option<Plan> {
        let facts = case.facts.as_slice();
        if self.in_force_check {
            if let Some(d) = case.decision_date {
                let before = rs.meta.effective_from.is_some_and(|f| d < f);
                let after = rs.meta.effective_to.is_some_and(|t| d > t);
                if before || after {
                    return None;
                }
            }
        }
        // 第三十六条.
        let start = case.act_end_date.or(case.act_date)?;
        let period = match self.period {
            Some(p) => p,
            None => self.conditional_period(facts)?,
        };
        if let Some(deadline) = deadline(start, period) {
            let barred = match case.discovery_date {
                Some(d) => date_key(d) > date_key(deadline),
                None => match case.decision_date {
                    Some(dd) if dd <= deadline => false,
                    _ => return None,
                },
            };
            if barred {
                return Some(Plan::TimeBarred);
            }
        }
        // 第三十七条: the versions at the act and at the decision must agree.
        let m = self.m;
        let version = if m.statutes.len() <= 1 {
            0
        } else {
            let at = |d: Date| {
                m.statutes
                    .iter()
                    .position(|s| s.from.is_none_or(|f| f <= d) && s.to.is_none_or(|t| d <= t))
            };
            let a = at(case.act_date?)?;
            if a != at(case.decision_date?)? {
                return None;
            }
            a
        };
        let (first, arms) = self.arms.get(version)?;
        let slot = *first;
        let sl = self.slots.get(slot)?;
        if sl.statute.is_some_and(|(_, s)| s.not_punishable) {
            return Some(Plan::NotPunishable { slot });
        }
        for (ground, t) in self.np_shall_tests.iter().enumerate() {
            if t.holds(facts)? {
                return Some(Plan::NoPenalty { slot, ground });
            }
        }
        let mut waive = 0u64;
        for (bit, t) in self.np_may_tests.iter().enumerate() {
            waive |= u64::from(t.holds(facts)?) << bit;
        }
        // The statute's fine switch, where the interpreter reads it.
        let slot = if arms.is_empty() {
            slot
        } else {
            slot.checked_add(Self::arm(arms, facts)?)?
        };
        let grade = if self.graded {
            if let Some(g) = self.index.as_ref().and_then(|ix| ix.lookup(facts)) {
                // No grade: the interpreter warns.
                Some(g?)
            } else {
                Some(self.guard_loop(rs, facts)??)
            }
        } else {
            None
        };
        let ci = slot
            .checked_mul(self.width)?
            .checked_add(grade.unwrap_or(0))?;
        let comps = self.comps.get(ci)?;

        // Circumstances by policy.
        let mut held = 0u64;
        let mut key = 0;
        for (bit, (t, &k)) in self.circ_tests.iter().zip(self.contrib.iter()).enumerate() {
            if t.holds(facts)? {
                held |= 1 << bit;
                key |= usize::from(k);
            }
        }
        let mut lapsed = 0u64;
        if self.any_all {
            (key, lapsed) = self.key(held);
        }
        let out = *comps.decide.get(key)?;
        let o = comps.outs.get(usize::from(out))?;
        let plain = waive == 0 && held & self.noisy == 0 && o.plain;
        Some(Plan::Penalty(Penalty {
            slot,
            waive,
            comps: ci,
            holds: held,
            lapsed,
            out,
            plain,
        }))
    }

    /// The key ([`Comps::decide`]) and the lapsed bits for the
    /// circumstances that hold, by the class masks.
    fn key(&self, held: u64) -> (usize, u64) {
        let mut key = 0;
        let mut lapsed = 0u64;
        for (i, (&mask, &all)) in self.class_mask.iter().zip(self.all.iter()).enumerate() {
            let all_hold = mask != 0 && held & mask == mask;
            let on = if all {
                mask & self.shall_mask != 0 && all_hold
            } else {
                held & mask & self.shall_mask != 0
            };
            if all && !all_hold {
                lapsed |= mask;
            }
            // K_L, K_H, K_D, K_LOR in class order.
            key |= usize::from(on) << i;
        }
        let offered = held & !self.shall_mask & !lapsed;
        for (i, &mask) in self.opt_mask.iter().enumerate() {
            // K_OPT_L, K_OPT_H, K_OPT_D.
            key |= usize::from(offered & mask != 0) << (4 + i);
        }
        (key, lapsed)
    }

    /// The first arm of a fine switch that applies (`None`: a fact is
    /// missing, or no arm applies and the interpreter warns).
    #[inline(never)]
    fn arm(arms: &[Option<Test>], facts: &[Option<Value>]) -> Option<usize> {
        for (i, g) in arms.iter().enumerate() {
            let hit = match g {
                Some(t) => t.holds(facts)?,
                None => true,
            };
            if hit {
                return Some(i);
            }
        }
        None
    }

    /// The limitation period when a rule has a condition.
    #[inline(never)]
    fn conditional_period(&self, facts: &[Option<Value>]) -> Option<Period> {
        for (when, p) in &self.limitation {
            let applies = match when {
                None => true,
                Some(t) => t.holds(facts)?,
            };
            if applies {
                return Some(*p);
            }
        }
        Some(DEFAULT_LIMITATION)
    }

    // ----- building ---------------------------------------------------------------

    /// What a recommendation that lists nothing is made of, where the plan
    /// comes to one (time-barred, or a penalty without options).
    #[inline(always)]
    fn plain_parts(&self, plan: &Plan) -> Option<(Outcome, &Head<'r>, Option<FineOut>)> {
        match plan {
            Plan::TimeBarred => Some((Outcome::TimeBarred, &Head::EMPTY, None)),
            Plan::Penalty(p) if p.plain => {
                let c = self.comps.get(p.comps)?;
                let fine = c.outs.get(usize::from(p.out))?.fine;
                Some((Outcome::Penalty, &c.head, fine))
            }
            _ => None,
        }
    }

    /// A recommendation that lists nothing, written in one go.
    #[inline(always)]
    fn plain(
        &self,
        rs: &'r Ruleset,
        outcome: Outcome,
        head: &Head<'r>,
        fine: Option<FineOut>,
    ) -> Recommendation<'r> {
        let m = self.m;
        Recommendation {
            schema_version: SCHEMA_VERSION,
            content_hash: &rs.content_hash,
            matter: MatterRef {
                id: &m.id,
                name: &m.name,
            },
            outcome,
            decision: None,
            possible_outcomes: OutcomeSet::one(outcome),
            fine,
            statutory_range: head.statutory_range,
            statute: head.statute,
            grade: head.grade,
            possible_grades: Vec::new(),
            score: None,
            sanctions: Sanctions {
                statute: head.st_others,
                grade: head.gr_others,
                extra: Vec::new(),
                source: head.source,
            },
            options: Vec::new(),
            grounds: Vec::new(),
            needs_judgement: Vec::new(),
            obligations: Vec::new(),
            warnings: Vec::new(),
            missing_facts: Vec::new(),
            alternatives: Vec::new(),
            trace: None,
        }
    }

    /// The general case: the parts are gathered first and the result
    /// written once.
    #[inline(never)]
    fn build_parts(
        &self,
        rs: &'r Ruleset,
        items: &[Item<'r>],
        plan: &Plan,
    ) -> Result<Recommendation<'r>, CaseError> {
        let m = self.m;
        let outcome = match plan {
            Plan::TimeBarred => Outcome::TimeBarred,
            _ => Outcome::Penalty,
        };
        let mut rec = Parts {
            outcome,
            possible_outcomes: OutcomeSet::one(outcome),
            fine: None,
            statutory_range: None,
            statute: None,
            grade: None,
            sanctions: Sanctions::default(),
            options: Vec::new(),
            grounds: Vec::new(),
            obligations: Vec::new(),
        };
        self.fill(&mut rec, items, plan);
        Ok(Recommendation {
            schema_version: SCHEMA_VERSION,
            content_hash: &rs.content_hash,
            matter: MatterRef {
                id: &m.id,
                name: &m.name,
            },
            outcome: rec.outcome,
            decision: None,
            possible_outcomes: rec.possible_outcomes,
            fine: rec.fine,
            statutory_range: rec.statutory_range,
            statute: rec.statute,
            grade: rec.grade,
            possible_grades: Vec::new(),
            score: None,
            sanctions: rec.sanctions,
            options: rec.options,
            grounds: rec.grounds,
            needs_judgement: Vec::new(),
            obligations: rec.obligations,
            warnings: Vec::new(),
            missing_facts: Vec::new(),
            alternatives: Vec::new(),
            trace: None,
        })
    }

    fn fill(&self, rec: &mut Parts<'r>, items: &[Item<'r>], plan: &Plan) {
        let slot = match plan {
            Plan::TimeBarred => return,
            Plan::NotPunishable { slot } | Plan::NoPenalty { slot, .. } => *slot,
            Plan::Penalty(p) => p.slot,
        };
        rec.statute = self.slots.get(slot).and_then(|s| s.sref);
        match plan {
            Plan::TimeBarred => {}
            Plan::NotPunishable { .. } => {
                rec.outcome = Outcome::NoPenalty;
                rec.possible_outcomes = OutcomeSet::one(Outcome::NoPenalty);
            }
            Plan::NoPenalty { ground, .. } => {
                let e = self
                    .np_shall
                    .get(*ground)
                    .and_then(|&i| items.get(i as usize));
                if let Some(e) = e {
                    rec.outcome = Outcome::NoPenalty;
                    rec.possible_outcomes = OutcomeSet::one(Outcome::NoPenalty);
                    rec.grounds.push(Choice {
                        kind: ChoiceKind::NoPenalty,
                        id: e.id,
                        name: e.name,
                        basis: e.basis,
                        range: None,
                        required: true,
                        obligations: e.obligations,
                    });
                    if !e.educates {
                        rec.obligations.push(EDUCATION);
                    }
                    for o in e.obligations {
                        if !rec.obligations.contains(&o.as_str()) {
                            rec.obligations.push(o);
                        }
                    }
                }
            }
            Plan::Penalty(p) => self.penalty(rec, items, p),
        }
    }

    fn penalty(&self, rec: &mut Parts<'r>, items: &[Item<'r>], p: &Penalty) {
        let m = self.m;
        if p.waive != 0 {
            for (bit, &i) in self.np_may.iter().enumerate() {
                if let (true, Some(e)) = (p.waive & (1 << bit) != 0, items.get(i as usize)) {
                    rec.options.push(Choice {
                        kind: ChoiceKind::NoPenalty,
                        id: e.id,
                        name: e.name,
                        basis: e.basis,
                        range: None,
                        required: false,
                        obligations: e.obligations,
                    });
                }
            }
            rec.outcome = Outcome::MayWaive;
            rec.possible_outcomes = OutcomeSet::one(Outcome::MayWaive);
        }
        let comps = self.comps.get(p.comps);
        let head = comps.map_or(&Head::EMPTY, |c| &c.head);
        rec.sanctions.statute = head.st_others;
        rec.sanctions.source = head.source;
        rec.statutory_range = head.statutory_range;
        rec.grade = head.grade;
        rec.sanctions.grade = head.gr_others;
        let out = comps.and_then(|c| c.outs.get(usize::from(p.out)));
        let has_fine = comps.is_some_and(|c| c.base.is_some());
        let [l, h, _, d] = comps.map_or([FineRange::point(Decimal::ZERO); 4], |c| c.fixed);
        if p.holds != 0 {
            for (bit, &i) in self.circs.iter().enumerate() {
                let b = 1u64 << bit;
                let Some(c) = items.get(i as usize) else {
                    continue;
                };
                if p.holds & b == 0 {
                    continue;
                }
                if !c.shall && p.lapsed & b == 0 {
                    for &kind in c.kinds() {
                        let range = match kind {
                            ChoiceKind::Lighter => l,
                            ChoiceKind::Heavier => h,
                            _ => d,
                        };
                        rec.options.push(Choice {
                            kind,
                            id: c.id,
                            name: c.name,
                            basis: c.basis,
                            range: has_fine.then_some(range),
                            required: false,
                            obligations: c.obligations,
                        });
                    }
                }
                for o in c.obligations {
                    if !rec.obligations.contains(&o.as_str()) {
                        rec.obligations.push(o);
                    }
                }
            }
        }
        let basis = rec
            .statute
            .and_then(|s| s.basis)
            .or(m.penalty_basis.as_deref());
        if let Some((fine, lor)) = out.and_then(|o| Some((o.fine?, o.lor))) {
            let r = fine.range;
            if lor {
                // The id the interpreter remembers: among the first eight 应当
                // circumstances that hold, the first 从轻或者减轻 one.
                let id = self
                    .circs
                    .iter()
                    .enumerate()
                    .filter(|(bit, _)| p.holds & self.shall_mask & (1u64 << bit) != 0)
                    .take(8)
                    .filter_map(|(_, &i)| items.get(i as usize))
                    .find(|c| c.class == C_LOR)
                    .map_or("从轻或者减轻", |c| c.id);
                for (kind, range) in [(ChoiceKind::Lighter, l), (ChoiceKind::Reduced, d)] {
                    rec.options.push(Choice {
                        kind,
                        id,
                        name: None,
                        basis: None,
                        range: Some(range),
                        required: true,
                        obligations: &[],
                    });
                }
            }
            rec.fine = Some(fine);
            if !fine.mandatory {
                rec.options.push(Choice {
                    kind: ChoiceKind::Fine,
                    id: "罚款",
                    name: None,
                    basis,
                    range: Some(r),
                    required: false,
                    obligations: &[],
                });
            }
        }
        let (st, gr) = (rec.sanctions.statute, rec.sanctions.grade);
        for s in st.iter().chain(gr.iter()) {
            if s.modality == Modality::May
                && !rec
                    .options
                    .iter()
                    .any(|o| o.kind == ChoiceKind::Sanction && o.id == s.name)
            {
                rec.options.push(Choice {
                    kind: ChoiceKind::Sanction,
                    id: &s.name,
                    name: None,
                    basis,
                    range: None,
                    required: false,
                    obligations: &[],
                });
            }
        }
    }
}
