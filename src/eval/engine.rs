//! One evaluation path: the order of DESIGN.md §4 over one matter, with
//! three-valued conditions. Where a condition is unknown (a fact is missing)
//! the [`Chooser`] decides it; the driver in `mod.rs` re-runs the path for
//! every decision sequence and merges the results into an envelope.

use super::output::{
    Candidate, Choice, ChoiceKind, FactRead, FineOut, GradeRef, Judgement, MatterRef, Outcome,
    Recommendation, StatuteRef, TraceStep, Warning,
};
use super::range::FineRange;
use crate::case::Case;
use crate::model::{
    Amount, Band, Circumstance, Cond, FactId, FactType, Fine, FineRule, Grade, Guard, Matter,
    Period, ReducedFloor, Ruleset, Statute, Table, Value, Weighted, WeightedBase,
};
use crate::syntax::ast::{
    BandReference, Effect, ListKind, MixedRule, Modality, Quantifier, Rounding, SeveralGrades,
    UnknownFactor,
};
use crate::value::Date;
use rust_decimal::Decimal;
use std::cell::Cell;

/// A three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tri {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// Depends on a missing fact.
    Unknown,
}

impl Tri {
    fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }
}

/// Something the case does not say that the result depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    /// A fact.
    Fact(FactId),
    /// A date of the case.
    Date(&'static str),
}

/// Decisions for unknown conditions: a forced prefix, then the first choice.
#[derive(Debug, Default)]
pub(crate) struct Chooser {
    prefix: Vec<(u8, u8)>,
    pos: usize,
    /// (choice, arity) of every decision made on this path.
    pub(crate) record: Vec<(u8, u8)>,
}

impl Chooser {
    fn choose(&mut self, arity: u8) -> u8 {
        let c = match self.prefix.get(self.pos) {
            Some(&(c, _)) if c < arity => c,
            _ => 0,
        };
        self.pos += 1;
        self.record.push((c, arity));
        c
    }

    /// Prepares the next decision sequence (depth first); false when all are done.
    pub(crate) fn advance(&mut self) -> bool {
        let mut v = std::mem::take(&mut self.record);
        while let Some((c, a)) = v.pop() {
            if c.saturating_add(1) < a {
                v.push((c.saturating_add(1), a));
                self.prefix = v;
                self.pos = 0;
                return true;
            }
        }
        false
    }
}

/// Where a bounds warning about the boundary convention was triggered.
type BoundaryHit = Option<(FactId, Decimal)>;

/// The evaluation context of one path.
pub(crate) struct Ctx<'r, 'c> {
    pub(crate) rs: &'r Ruleset,
    case: &'c Case,
    pub(crate) chooser: Chooser,
    missing: Vec<Missing>,
    pub(super) warnings: Vec<Warning>,
    pub(crate) trace: Option<Vec<TraceStep<'r>>>,
    boundary: Cell<BoundaryHit>,
    /// An amount on this statute run depends on a missing base fact.
    uncertain: bool,
}

pub(super) const DEFAULT_LIMITATION: Period = Period::Months(24);

/// The mandatory education of 行政处罚法 第三十三条.
pub(super) const EDUCATION: &str =
    "教育（行政处罚法 第三十三条：对依法不予行政处罚的当事人进行教育）";

/// Indexes of circumstance classes (the compiled form uses the first four).
pub(super) const C_LIGHTER: usize = 0;
pub(super) const C_HEAVIER: usize = 1;
pub(super) const C_REDUCED: usize = 2;
pub(super) const C_LOR: usize = 3;
/// Within-grade adjustments (本档最高限度, 本档较低限, 上调一个档次): any one suffices.
const C_GMAX: usize = 4;
const C_GMIN: usize = 5;
const C_UP: usize = 6;
const N_CLASSES: usize = 7;

#[derive(Debug, Clone, Copy, Default)]
struct Class {
    members: u16,
    holds: u16,
    shall_member: bool,
    shall_holds: bool,
}

/// Up to 8 circumstance ids remembered without allocating.
#[derive(Clone, Copy, Default)]
struct Ids<'r> {
    items: [Option<(usize, &'r str)>; 8],
    len: usize,
}

impl<'r> Ids<'r> {
    fn push(&mut self, class: usize, id: &'r str) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = Some((class, id));
            self.len += 1;
        }
    }
    fn of(&self, classes: &[usize]) -> Vec<&'r str> {
        self.items
            .iter()
            .flatten()
            .filter(|(c, _)| classes.contains(c))
            .map(|(_, id)| *id)
            .collect()
    }
}

/// Where 上调一个档次 led.
#[derive(Debug, Clone, Copy)]
enum Up<'r> {
    /// The next heavier grade.
    Next(&'r Grade),
    /// Already the top grade: the statutory maximum.
    Top,
    /// No heavier grade to move to: the current grade stays.
    Stay,
}

/// An amount that may depend on a missing base: `[lo, hi]`, `hi` None = unbounded.
#[derive(Debug, Clone, Copy)]
struct AmountVal {
    lo: Decimal,
    hi: Option<Decimal>,
}

/// A fine rule's value on this path.
#[derive(Debug, Clone, Copy)]
pub(super) struct RuleVal {
    /// `None`: no fine.
    pub(super) range: Option<FineRange>,
    /// A maximum-only statute (处…以下罚款).
    pub(super) max_only: bool,
    /// The modality of the switch arm taken, if it states one.
    pub(super) modality: Option<Modality>,
}

impl<'r, 'c> Ctx<'r, 'c> {
    pub(crate) fn new(rs: &'r Ruleset, case: &'c Case, trace: bool) -> Self {
        Ctx {
            rs,
            case,
            chooser: Chooser::default(),
            missing: Vec::new(),
            warnings: Vec::new(),
            // A graded matter traces about eight steps: no regrowth.
            trace: if trace {
                Some(Vec::with_capacity(8))
            } else {
                None
            },
            boundary: Cell::new(None),
            uncertain: false,
        }
    }

    /// Prepares a re-run for the next decision sequence (no trace).
    pub(crate) fn reset_for_next_path(&mut self) {
        self.warnings.clear();
        self.trace = None;
        self.boundary.set(None);
    }

    // ----- facts and conditions -------------------------------------------------

    fn val(&self, f: FactId) -> Option<Value> {
        self.case.facts.get(f.0 as usize).copied().flatten()
    }

    /// Three-valued evaluation of a condition.
    pub(crate) fn tri(&self, c: &Cond) -> Tri {
        match c {
            Cond::True => Tri::True,
            Cond::Bool { fact, value } => match self.val(*fact) {
                Some(Value::Bool(b)) => Tri::from_bool(b == *value),
                _ => Tri::Unknown,
            },
            Cond::Enum { fact, values } => match self.val(*fact) {
                Some(Value::Enum(i)) => Tri::from_bool(values.contains(&i)),
                _ => Tri::Unknown,
            },
            Cond::Number {
                fact,
                interval,
                by_convention,
            } => match self.val(*fact) {
                Some(Value::Number(x)) => {
                    if !self.rs.meta.boundaries.declared && self.boundary.get().is_none() {
                        // Only an end whose inclusion the undeclared convention decided.
                        let on_edge = (by_convention.0
                            && interval.lower.is_some_and(|b| b.value == x))
                            || (by_convention.1 && interval.upper.is_some_and(|b| b.value == x));
                        if on_edge {
                            self.boundary.set(Some((*fact, x)));
                        }
                    }
                    Tri::from_bool(contains(interval, x))
                }
                _ => Tri::Unknown,
            },
            Cond::Date { fact, interval } => match self.val(*fact) {
                Some(Value::Date(d)) => Tri::from_bool(interval.contains(d)),
                _ => Tri::Unknown,
            },
            Cond::And(cs) => {
                let mut unknown = false;
                for c in cs {
                    match self.tri(c) {
                        Tri::False => return Tri::False,
                        Tri::Unknown => unknown = true,
                        Tri::True => {}
                    }
                }
                if unknown { Tri::Unknown } else { Tri::True }
            }
            Cond::Or(cs) => {
                let mut unknown = false;
                for c in cs {
                    match self.tri(c) {
                        Tri::True => return Tri::True,
                        Tri::Unknown => unknown = true,
                        Tri::False => {}
                    }
                }
                if unknown { Tri::Unknown } else { Tri::False }
            }
            Cond::Not(c) => match self.tri(c) {
                Tri::True => Tri::False,
                Tri::False => Tri::True,
                Tri::Unknown => Tri::Unknown,
            },
        }
    }

    /// Decides a condition; an unknown one is decided by the chooser and its
    /// missing facts are recorded.
    fn decide(&mut self, c: &Cond) -> bool {
        match self.tri(c) {
            Tri::True => true,
            Tri::False => false,
            Tri::Unknown => {
                self.note_missing_in(c);
                self.chooser.choose(2) == 1
            }
        }
    }

    fn guard(&mut self, g: &Guard, earlier: bool) -> bool {
        match g {
            Guard::When(c) => self.decide(c),
            Guard::Otherwise => !earlier,
        }
    }

    fn note_missing(&mut self, m: Missing) {
        if !self.missing.contains(&m) {
            self.missing.push(m);
        }
    }

    fn note_missing_in(&mut self, c: &Cond) {
        for_each_fact(c, &mut |f| {
            if self.val(f).is_none() {
                let m = Missing::Fact(f);
                if !self.missing.contains(&m) {
                    self.missing.push(m);
                }
            }
        });
    }

    fn warn(&mut self, code: &'static str, message: impl Into<std::borrow::Cow<'static, str>>) {
        let message = message.into();
        if !self
            .warnings
            .iter()
            .any(|w| w.code == code && w.message == message)
        {
            self.warnings.push(Warning { code, message });
        }
    }

    // ----- trace ---------------------------------------------------------------

    fn tracing(&self) -> bool {
        self.trace.is_some()
    }

    fn push_step(&mut self, step: TraceStep<'r>) {
        if let Some(t) = &mut self.trace {
            t.push(step);
        }
    }

    fn fact_name(&self, f: FactId) -> &'r str {
        let rs: &'r Ruleset = self.rs;
        rs.facts
            .get(f.0 as usize)
            .map(|d| d.name.as_str())
            .unwrap_or("?")
    }

    /// A value written the way the officer would: 是/否, the enum's name, the number.
    pub(crate) fn show_value(rs: &Ruleset, f: FactId, v: Value) -> String {
        match v {
            Value::Bool(true) => "是".to_string(),
            Value::Bool(false) => "否".to_string(),
            Value::Enum(i) => match rs.facts.get(f.0 as usize).map(|d| &d.ty) {
                Some(FactType::Enum(names)) => names
                    .get(usize::from(i))
                    .cloned()
                    .unwrap_or_else(|| i.to_string()),
                _ => i.to_string(),
            },
            Value::Number(d) => {
                let unit = match rs.facts.get(f.0 as usize).map(|d| &d.ty) {
                    Some(FactType::Money) => "元",
                    Some(FactType::Quantity(u)) => u.name,
                    Some(FactType::Percent) => "%",
                    _ => "",
                };
                let mut t = String::with_capacity(12);
                super::render::push_decimal(&mut t, d.normalize());
                t.push_str(unit);
                t
            }
            Value::Date(d) => d.to_string(),
        }
    }

    fn reads(&self, c: &Cond) -> Vec<FactRead<'r>> {
        let mut out: Vec<FactRead<'r>> = Vec::new();
        for_each_fact(c, &mut |f| {
            let name = self.fact_name(f);
            // Each fact's name is its own string in the ruleset: the same
            // address is the same fact (no second vector of ids).
            if !out.iter().any(|r| std::ptr::eq(r.name, name)) {
                out.push(FactRead {
                    name,
                    value: self.val(f).map(|v| Self::show_value(self.rs, f, v)),
                });
            }
        });
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn step(
        &mut self,
        kind: &'static str,
        rule: Option<&'r str>,
        span: Option<crate::source::Span>,
        basis: Option<&'r str>,
        cond: Option<&Cond>,
        before: Option<FineRange>,
        after: Option<FineRange>,
        explanation: impl FnOnce() -> String,
    ) {
        if self.tracing() {
            let facts = cond.map(|c| self.reads(c)).unwrap_or_default();
            self.push_step(TraceStep {
                kind,
                rule,
                span,
                basis,
                facts,
                before,
                after,
                explanation: explanation(),
            });
        }
    }

    // ----- the path ------------------------------------------------------------

    /// Evaluates one matter along the current decision sequence.
    pub(crate) fn run_path(&mut self, m: &'r Matter) -> Recommendation<'r> {
        let rs = self.rs;
        if let Some(d) = self.case.decision_date {
            let before = rs.meta.effective_from.is_some_and(|f| d < f);
            let after = rs.meta.effective_to.is_some_and(|t| d > t);
            if before || after {
                self.warn(
                    "not_in_force",
                    format!(
                        "决定日 {d} 不在规则集《{}》的施行期间（{}至{}）内，请核对应适用的裁量基准",
                        rs.meta.name,
                        rs.meta
                            .effective_from
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        rs.meta
                            .effective_to
                            .map(|d| d.to_string())
                            .unwrap_or_default()
                    ),
                );
            }
        }
        // Built where it lands (an `Option<Recommendation>` would be moved).
        let mut rec = if self.limitation(m) {
            self.new_rec(m, Outcome::TimeBarred)
        } else {
            self.statutes(m)
        };
        if let Some((f, x)) = self.boundary.get() {
            let name = self.fact_name(f);
            self.warn(
                "boundary_convention",
                format!(
                    "规则集未声明“以上”“以下”是否包括本数；事实“{name}”的值 {} 恰在条件边界上，已按“均含本数”理解，请核对原文",
                    x.normalize()
                ),
            );
        }
        rec.warnings.append(&mut self.warnings);
        for m in &self.missing {
            let name: &'r str = match m {
                Missing::Fact(f) => self.fact_name(*f),
                Missing::Date(d) => d,
            };
            if !rec.missing_facts.contains(&name) {
                rec.missing_facts.push(name);
            }
        }
        rec.trace = self.trace.take();
        rec
    }

    fn new_rec(&self, m: &'r Matter, outcome: Outcome) -> Recommendation<'r> {
        let rs: &'r Ruleset = self.rs;
        Recommendation::new(
            &rs.content_hash,
            MatterRef {
                id: &m.id,
                name: &m.name,
            },
            outcome,
        )
    }

    // ----- limitation (第三十六条) -----------------------------------------------

    /// Whether the act is time-barred (第三十六条).
    fn limitation(&mut self, m: &'r Matter) -> bool {
        let rs: &'r Ruleset = self.rs;
        let Some(start) = self.case.act_end_date.or(self.case.act_date) else {
            self.warn(
                "limitation_unchecked",
                "未提供违法行为发生日，未审查追责时效（行政处罚法 第三十六条）",
            );
            return false;
        };
        let rules = if m.limitation.is_empty() {
            &rs.limitation
        } else {
            &m.limitation
        };
        let mut chosen = None;
        for r in rules {
            let applies = match &r.when {
                None => true,
                Some(c) => self.decide(c),
            };
            if applies {
                chosen = Some(r);
                break;
            }
        }
        let period = chosen.map(|r| r.period).unwrap_or(DEFAULT_LIMITATION);
        let deadline = match period {
            Period::Months(n) => i32::try_from(n).ok().and_then(|n| start.add_months(n)),
            Period::Days(n) => start.add_days(i64::from(n)),
        };
        let Some(deadline) = deadline else {
            return false;
        };
        let barred = match self.case.discovery_date {
            Some(d) => d > deadline,
            None => match self.case.decision_date {
                Some(dd) if dd <= deadline => false,
                _ => {
                    self.note_missing(Missing::Date("发现日"));
                    self.chooser.choose(2) == 1
                }
            },
        };
        let basis = chosen
            .and_then(|r| r.basis.as_deref())
            .or(Some("《中华人民共和国行政处罚法》第三十六条"));
        let cond = chosen.and_then(|r| r.when.as_ref());
        let span = chosen.map(|r| r.span);
        let discovery = self.case.discovery_date;
        self.step("limitation", None, span, basis, cond, None, None, || {
            let verdict = if barred {
                "已超过时效"
            } else {
                "未超过时效"
            };
            let period = period_text(period);
            match discovery {
                Some(d) => format!(
                    "追责时效{period}，自{start}起算，至{deadline}届满；发现日{d}，{verdict}"
                ),
                None => format!(
                    "追责时效{period}，自{start}起算，至{deadline}届满；发现日未提供，{verdict}"
                ),
            }
        });
        barred
    }

    // ----- statute versions (第三十七条) ------------------------------------------

    fn version_at(&mut self, m: &'r Matter, d: Date, which: &str) -> usize {
        let found = m
            .statutes
            .iter()
            .position(|s| s.from.is_none_or(|f| f <= d) && s.to.is_none_or(|t| d <= t));
        match found {
            Some(i) => i,
            None => {
                self.warn(
                    "no_statute_in_force",
                    format!("{which} {d} 无在施行的法定罚则版本，按最接近的版本计算"),
                );
                // The latest version that began on or before d, else the first.
                m.statutes
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.from.is_some_and(|f| f <= d))
                    .max_by_key(|(_, s)| s.from)
                    .map(|(i, _)| i)
                    .unwrap_or(0)
            }
        }
    }

    fn statutes(&mut self, m: &'r Matter) -> Recommendation<'r> {
        let n = m.statutes.len();
        if n <= 1 {
            return self.run_under(m, if n == 1 { Some(0) } else { None });
        }
        let arity = u8::try_from(n).unwrap_or(u8::MAX);
        let act_v = match self.case.act_date {
            Some(d) => self.version_at(m, d, "违法行为发生日"),
            None => {
                self.note_missing(Missing::Date("违法行为发生日"));
                usize::from(self.chooser.choose(arity))
            }
        };
        let dec_v = match self.case.decision_date {
            Some(d) => self.version_at(m, d, "决定日"),
            None => {
                self.note_missing(Missing::Date("决定日"));
                usize::from(self.chooser.choose(arity))
            }
        };
        if act_v == dec_v {
            return self.run_under(m, Some(act_v));
        }
        let w0 = self.warnings.len();
        let a = self.run_under(m, Some(act_v));
        let wa = self.warnings.split_off(w0);
        let b = self.run_under(m, Some(dec_v));
        let wb = self.warnings.split_off(w0);
        // Lighter: by outcome and fine, and the mandatory other sanctions of
        // the lighter version must not go beyond the other's. Where the two
        // disagree (a lower fine but an added 吊销, or equal fines with
        // different sanctions) the law at the act date stands and the choice
        // is left to the officer (needs_judgement) — never silently taken.
        let (ma, mb) = (mandatory_sanctions(&a), mandatory_sanctions(&b));
        let b_within_a = mb.iter().all(|x| ma.contains(x));
        let a_within_b = ma.iter().all(|x| mb.contains(x));
        let (new_is_lighter, conflict) = match lighter_cmp(&b, &a) {
            std::cmp::Ordering::Less => (b_within_a, !b_within_a),
            std::cmp::Ordering::Greater => (false, !a_within_b),
            std::cmp::Ordering::Equal => (b_within_a && !a_within_b, !b_within_a && !a_within_b),
        };
        let judgement = conflict.then(|| Judgement {
            reason: "新旧规定轻重不一（罚款与其他处罚的轻重方向相反）：从旧兼从轻（行政处罚法 第三十七条）须由执法人员判断哪一规定处罚较轻；在此之前按违法行为发生时的规定",
            candidates: vec![
                Candidate {
                    label: "违法行为发生时的规定",
                    circumstances: ma.clone(),
                    range: a.fine.map(|f| f.range).unwrap_or(FineRange::point(Decimal::ZERO)),
                },
                Candidate {
                    label: "作出决定时的规定",
                    circumstances: mb.clone(),
                    range: b.fine.map(|f| f.range).unwrap_or(FineRange::point(Decimal::ZERO)),
                },
            ],
        });
        let (mut chosen, w, other, ci) = if new_is_lighter {
            (b, wb, a, dec_v)
        } else {
            (a, wa, b, act_v)
        };
        self.warnings.extend(w);
        let text = format!(
            "从旧兼从轻（行政处罚法 第三十七条）：违法行为发生时与作出决定时的规定不同，适用{}的规定（{}）；另一规定下的结果为：{}",
            if new_is_lighter {
                "作出决定时（较轻）"
            } else {
                "违法行为发生时"
            },
            describe(&chosen),
            describe(&other),
        );
        self.warn("cong_jiu_cong_qing", text.clone());
        let basis = m.statutes.get(ci).and_then(|s| s.basis.as_deref());
        self.step(
            "cong_jiu_cong_qing",
            None,
            m.statutes.get(ci).map(|s| s.span),
            basis,
            None,
            other.fine.map(|f| f.range),
            chosen.fine.map(|f| f.range),
            || text,
        );
        chosen.alternatives.clear();
        if let Some(j) = judgement {
            chosen.needs_judgement.push(j);
        }
        chosen
    }

    // ----- 集体讨论 (第五十七条第二款) ---------------------------------------------

    /// A grade whose amount the body's leaders decide collectively: the
    /// range computed is the frame of the discussion, never a recommendation
    /// the system takes; the officer is told so (`needs_judgement`).
    fn collective_review(
        &mut self,
        rec: &mut Recommendation<'r>,
        g: &'r Grade,
        word: &'r str,
        range: Option<FineRange>,
    ) {
        if rec.decision.is_none() {
            rec.decision = Some(word);
        }
        rec.needs_judgement.push(Judgement {
            reason: super::output::COLLECTIVE_REVIEW,
            candidates: range
                .map(|r| Candidate {
                    label: "集体讨论的幅度",
                    circumstances: Vec::new(),
                    range: r,
                })
                .into_iter()
                .collect(),
        });
        self.step(
            "collective_review",
            Some(&g.id),
            Some(g.span),
            Some("《中华人民共和国行政处罚法》第五十七条第二款"),
            None,
            None,
            range,
            || match range {
                Some(r) => format!(
                    "阶次“{}”：{word}；罚款数额由集体讨论决定，幅度 {}",
                    g.id,
                    super::render::range_text(&r)
                ),
                None => format!("阶次“{}”：{word}；处罚由集体讨论决定", g.id),
            },
        );
    }

    // ----- one statute version -----------------------------------------------

    fn run_under(&mut self, m: &'r Matter, sidx: Option<usize>) -> Recommendation<'r> {
        let rs: &'r Ruleset = self.rs;
        let statute: Option<&'r Statute> = sidx.and_then(|i| m.statutes.get(i));
        self.uncertain = false;
        let mut rec = self.new_rec(m, Outcome::Penalty);
        if let (Some(i), Some(s)) = (sidx, statute) {
            rec.statute = Some(StatuteRef {
                version: i,
                basis: s.basis.as_deref().or(m.penalty_basis.as_deref()),
                from: s.from,
                to: s.to,
            });
            if m.statutes.len() > 1 {
                self.step(
                    "statute",
                    None,
                    Some(s.span),
                    s.basis.as_deref(),
                    None,
                    None,
                    None,
                    || {
                        format!(
                            "适用法定罚则版本 {}（{}至{}）",
                            i + 1,
                            s.from.map(|d| d.to_string()).unwrap_or_default(),
                            s.to.map(|d| d.to_string()).unwrap_or_default()
                        )
                    },
                );
            }
            if s.not_punishable {
                rec.outcome = Outcome::NoPenalty;
                rec.possible_outcomes = super::output::OutcomeSet::one(Outcome::NoPenalty);
                self.step(
                    "not_punishable",
                    None,
                    Some(s.span),
                    s.basis.as_deref(),
                    None,
                    None,
                    None,
                    || "该版本规定对此行为不予处罚（或不认为是违法）".to_string(),
                );
                return rec;
            }
        }

        // Mandatory no-penalty: circumstances, then list items.
        for c in self.circumstances(m) {
            if c.effect == Effect::NoPenalty
                && c.modality == Modality::Shall
                && self.decide(&c.when)
            {
                self.no_penalty(
                    &mut rec,
                    &c.id,
                    c.name.as_deref(),
                    c.basis.as_deref(),
                    &c.obligations,
                    c.span,
                    &c.when,
                );
                return rec;
            }
        }
        for &(li, ii) in &m.list_items {
            let Some(list) = rs.lists.get(li) else {
                continue;
            };
            let Some(item) = list.items.get(ii) else {
                continue;
            };
            if matches!(list.kind, ListKind::NoPenalty | ListKind::FirstOffence)
                && item.modality == Modality::Shall
                && self.decide(&item.when)
            {
                let basis = item.basis.as_deref().or(list.basis.as_deref());
                rec.decision = list.word.as_deref();
                self.no_penalty(
                    &mut rec,
                    &item.id,
                    Some(&item.name),
                    basis,
                    &item.obligations,
                    item.span,
                    &item.when,
                );
                return rec;
            }
        }

        // Discretionary exemptions: reported as options, the penalty is computed too.
        let mut waivable = false;
        for c in self.circumstances(m) {
            if c.effect == Effect::NoPenalty && c.modality == Modality::May && self.decide(&c.when)
            {
                waivable = true;
                rec.options.push(Choice {
                    kind: ChoiceKind::NoPenalty,
                    id: &c.id,
                    name: c.name.as_deref(),
                    basis: c.basis.as_deref(),
                    range: None,
                    required: false,
                    obligations: &c.obligations,
                });
                self.step("may_waive", Some(&c.id), Some(c.span), c.basis.as_deref(), Some(&c.when), None, None, || {
                    "符合可以不予处罚的情形：是否不予处罚由执法人员裁量，同时给出不免除时应予的处罚".to_string()
                });
            }
        }
        for &(li, ii) in &m.list_items {
            let Some(list) = rs.lists.get(li) else {
                continue;
            };
            let Some(item) = list.items.get(ii) else {
                continue;
            };
            if matches!(list.kind, ListKind::NoPenalty | ListKind::FirstOffence)
                && item.modality == Modality::May
                && self.decide(&item.when)
            {
                waivable = true;
                let basis = item.basis.as_deref().or(list.basis.as_deref());
                rec.options.push(Choice {
                    kind: ChoiceKind::NoPenalty,
                    id: &item.id,
                    name: Some(&item.name),
                    basis,
                    range: None,
                    required: false,
                    obligations: &item.obligations,
                });
                self.step(
                    "may_waive",
                    Some(&item.id),
                    Some(item.span),
                    basis,
                    Some(&item.when),
                    None,
                    None,
                    || format!("符合《{}》第{}项：可以不予处罚", list.name, item.id),
                );
            }
        }
        if waivable {
            rec.outcome = Outcome::MayWaive;
            rec.possible_outcomes = super::output::OutcomeSet::one(Outcome::MayWaive);
        }

        // The statutory range in force.
        // A statute whose only fine is an alternative of 择一 gives the range
        // a grade's fine is clamped to, but imposes no fine by itself.
        let s_fine: Option<&'r Fine> =
            statute.and_then(|s| s.fine.as_ref().or_else(|| s.alternative_fine()));
        let fine_only_alternative = statute.is_some_and(|s| s.fine.is_none());
        if let Some(s) = statute {
            match self.conditional_sanctions(&s.others) {
                None => rec.sanctions.statute = &s.others,
                Some(applying) => rec.sanctions.extra.extend(applying),
            }
        }
        let s_val = match s_fine {
            Some(f) => self.rule(&f.rule, None, true),
            None => RuleVal {
                range: None,
                max_only: false,
                modality: None,
            },
        };
        let srange = s_val.range.map(|r| r.rounded(rs.policy.rounding));
        rec.statutory_range = srange;
        if let (Some(f), Some(s)) = (s_fine, srange) {
            let basis = statute
                .and_then(|s| s.basis.as_deref())
                .or(m.penalty_basis.as_deref());
            self.step(
                "statutory_range",
                None,
                Some(f.span),
                basis,
                None,
                None,
                Some(s),
                || format!("法定罚款幅度：{}", super::render::range_text(&s)),
            );
        }
        let mut mandatory_fine =
            s_fine.is_none_or(|f| s_val.modality.unwrap_or(f.modality) == Modality::Shall);

        // Grade, weighted score or the statute itself.
        let mut base: Option<FineRange> = None;
        let mut table_none = false;
        // The grades and the selected grade's index (within-grade adjustments).
        let mut graded: Option<(&'r [Grade], usize)> = None;
        // A grade marked 减轻: its range is not raised to the statutory minimum.
        let mut reduced_grade = false;
        // A grade whose amount is decided collectively (第五十七条第二款).
        let mut collective: Option<(&'r Grade, &'r str)> = None;
        match &m.table {
            Table::None => {
                base = if fine_only_alternative { None } else { srange };
                table_none = true;
            }
            Table::Graded(grades) => match self.select_grade(grades) {
                Some(g) => {
                    graded = grades
                        .iter()
                        .position(|x| std::ptr::eq(x, g))
                        .map(|i| (grades.as_slice(), i));
                    rec.grade = Some(GradeRef {
                        id: &g.id,
                        name: g.name.as_deref(),
                    });
                    let cond = match &g.guard {
                        Guard::When(c) => Some(c),
                        Guard::Otherwise => None,
                    };
                    let basis = g.basis.as_deref().or(m.penalty_basis.as_deref());
                    if let Some(word) = g.no_penalty.as_deref() {
                        self.grade_no_penalty(&mut rec, g, word, basis, cond);
                        return rec;
                    }
                    if g.reduced {
                        self.reduced_grade_sanctions(&mut rec, g);
                    }
                    match self.conditional_sanctions(&g.others) {
                        None => rec.sanctions.grade = &g.others,
                        Some(applying) => rec.sanctions.extra.extend(applying),
                    }
                    if let Some(s) = statute {
                        self.grade_sanctions_vs_statute(&mut rec, g, s);
                    }
                    if let Some(f) = &g.fine {
                        let v = self.rule(&f.rule, srange, false);
                        base = v.range;
                        if v.modality.unwrap_or(f.modality) == Modality::May {
                            mandatory_fine = false;
                        } else if g.shall_fine && !mandatory_fine && v.range.is_some() {
                            // 应当 in the grade under the statute's 可以: the
                            // benchmark exercises the discretion.
                            mandatory_fine = true;
                            self.step("grade_fine", Some(&g.id), Some(f.span), None, None, None, v.range, || {
                                format!(
                                    "阶次“{}”规定应当处罚款；法定为可以处罚款，裁量基准据此行使裁量（本档应当处罚款）",
                                    g.id
                                )
                            });
                        }
                    }
                    reduced_grade = g.reduced;
                    collective = g.collective.as_deref().map(|w| (g, w));
                    // 集体讨论 without a fine of its own: the statute's range
                    // is the frame of the discussion.
                    if collective.is_some() && g.fine.is_none() && !fine_only_alternative {
                        base = srange;
                    }
                    if let (Some(sf), Some(s)) = (s_fine, statute) {
                        match (&g.fine, srange, base) {
                            // The statute's arm for this case is 无 (e.g. a
                            // precondition 逾期不改正 not met): the law gives
                            // no fine, the grade cannot create one.
                            (Some(gf), None, Some(_)) => {
                                self.warn(
                                    "grade_fine_without_statute",
                                    format!(
                                        "阶次“{}”规定了罚款，但法定罚则（{}）对本案的事实不处罚款（该分支为 无）；按法律不处罚款。请核对阶次条件是否包含法定前提",
                                        g.id,
                                        s.basis.as_deref().or(m.penalty_basis.as_deref()).unwrap_or("法定")
                                    ),
                                );
                                self.step(
                                    "grade_fine",
                                    Some(&g.id),
                                    Some(gf.span),
                                    None,
                                    None,
                                    None,
                                    None,
                                    || {
                                        format!(
                                            "阶次“{}”的罚款不适用：法定罚则对本案不处罚款",
                                            g.id
                                        )
                                    },
                                );
                                base = None;
                            }
                            // The statute's fine is mandatory here but the
                            // grade gives none (a 减轻 grade may drop it).
                            // (Not where the statute's only fine is one
                            // alternative of a 择一: it is never imposed alone.)
                            (None, Some(sr), None)
                                if !g.reduced
                                    && g.collective.is_none()
                                    && !fine_only_alternative
                                    && s_val.modality.unwrap_or(sf.modality) == Modality::Shall =>
                            {
                                self.warn(
                                    "grade_fine_missing",
                                    format!(
                                        "阶次“{}”没有规定罚款，但法定罚则（{}）对本案应当处罚款 {}；按法定幅度计算。请在阶次中补写罚款",
                                        g.id,
                                        s.basis.as_deref().or(m.penalty_basis.as_deref()).unwrap_or("法定"),
                                        super::render::range_text(&sr)
                                    ),
                                );
                                base = Some(sr);
                            }
                            _ => {}
                        }
                    }
                    if g.reduced {
                        rec.decision = Some("减轻处罚");
                    }
                    self.step(
                        "grade",
                        Some(&g.id),
                        Some(g.span),
                        basis,
                        cond,
                        srange,
                        base,
                        || {
                            let mut head = match g.name.as_deref() {
                                Some(n) => format!("适用裁量阶次“{}”（{n}）", g.id),
                                None => format!("适用裁量阶次“{}”", g.id),
                            };
                            if let Some(r) = g.refers.as_deref() {
                                head.push_str("，参照");
                                head.push_str(r);
                                head.push_str("的裁量基准");
                            }
                            if g.reduced {
                                format!("{head}：减轻处罚档次，按阶次幅度处罚，可低于法定最低限（不高于法定最高限，不低于减轻下限）")
                            } else {
                                head
                            }
                        },
                    );
                }
                None => {
                    self.warn(
                        "no_grade",
                        format!("事项 {} 的裁量阶次均不适用本案，按法定幅度计算", m.id),
                    );
                    base = if fine_only_alternative { None } else { srange };
                    table_none = true;
                }
            },
            Table::Weighted(w) => {
                let (r, score) = self.weighted(w, srange);
                base = r;
                rec.score = score;
            }
        }

        // Circumstances by policy.
        let (mut result, raw) = self.circumstances_step(
            m,
            &mut rec,
            base,
            srange,
            s_val.max_only && table_none,
            graded,
            reduced_grade,
        );
        if reduced_grade {
            result = result.map(|r| self.reduced_floor_of(r, srange));
            for o in rec.options.iter_mut() {
                if let Some(r) = o.range {
                    o.range = Some(reduced_floor_pure(&self.rs.policy.reduced_floor, r, srange));
                }
            }
        }

        // The statutory clamp was applied to each component; warn when it changed the result.
        if let (Some(r), Some(c), Some(s)) = (raw, result, srange) {
            if r != c {
                let what = match rec.grade {
                    Some(g) => format!("阶次“{}”的结果", g.id),
                    None if rec.score.is_some() => "权重计算结果".to_string(),
                    None => "计算结果".to_string(),
                };
                let text = format!(
                    "{what}（{}）超出法定幅度（{}），已调整为 {}；请核对裁量基准是否与现行法律一致",
                    super::render::range_text(&r),
                    super::render::range_text(&s),
                    super::render::range_text(&c)
                );
                self.warn("clamped", text.clone());
                self.step("clamp", None, None, None, None, Some(r), Some(c), || text);
            }
        }

        // A list item's own range (减轻清单 “裁量幅度”): a mandatory item that
        // applies decides the fine (the first one); a 可以 item's range is
        // its option's range — never applied silently.
        if !m.list_items.is_empty() {
            self.item_ranges(m, &mut rec, &mut result, srange);
        }

        if self.uncertain {
            // An amount depends on a missing base: the bands, clamps and
            // reductions of the unknown amount are not known either. Sound
            // answer: anything from 0 up to the statutory maximum (if known).
            let cap = |r: FineRange| FineRange {
                lower: Decimal::ZERO,
                lower_inclusive: true,
                upper: match srange {
                    Some(s) => s.upper,
                    None => r.upper,
                },
                upper_inclusive: true,
            };
            result = result.map(cap);
            for o in rec.options.iter_mut() {
                o.range = o.range.map(cap);
            }
            for j in rec.needs_judgement.iter_mut() {
                for c in j.candidates.iter_mut() {
                    c.range = cap(c.range);
                }
            }
        }
        if let Some(r) = result {
            if r.lower.is_zero() && r.upper == Some(Decimal::ZERO) {
                self.warn(
                    "zero_base",
                    "罚款计算基数为零且规则未规定兜底数额，罚款为0元；系统未自行推定数额，请执法人员核实",
                );
            }
            rec.fine = Some(FineOut {
                range: r,
                point: r.as_point(),
                mandatory: mandatory_fine,
            });
            if !mandatory_fine {
                rec.options.push(Choice {
                    kind: ChoiceKind::Fine,
                    id: "罚款",
                    name: None,
                    basis: rec
                        .statute
                        .and_then(|s| s.basis)
                        .or(m.penalty_basis.as_deref()),
                    range: Some(r),
                    required: false,
                    obligations: &[],
                });
            }
        }
        if let Some((g, word)) = collective {
            self.collective_review(&mut rec, g, word, result);
        }
        rec.sanctions.source = statute;
        let grade = graded.and_then(|(gs, i)| gs.get(i));
        self.one_of_options(&mut rec, m, statute, grade, srange);
        self.period_steps(&rec, m);
        let (st, gr) = (rec.sanctions.statute, rec.sanctions.grade);
        let extra = rec.sanctions.extra.clone();
        for s in st.iter().chain(gr.iter()).chain(extra) {
            if s.modality == Modality::May
                && !rec
                    .options
                    .iter()
                    .any(|o| o.kind == ChoiceKind::Sanction && o.id == s.display)
            {
                rec.options.push(Choice {
                    kind: ChoiceKind::Sanction,
                    id: &s.display,
                    name: None,
                    basis: rec
                        .statute
                        .and_then(|s| s.basis)
                        .or(m.penalty_basis.as_deref()),
                    range: None,
                    required: false,
                    obligations: &[],
                });
            }
        }
        rec
    }

    /// `择一 { … }`: each alternative becomes a required choice (exactly one
    /// of the group), never imposed. The grade's own 择一 when it has one;
    /// else the statute's, unless the grade already imposes one of its
    /// alternatives (the benchmark has chosen). An alternative with a
    /// condition that does not hold is left out.
    fn one_of_options(
        &mut self,
        rec: &mut Recommendation<'r>,
        m: &'r Matter,
        statute: Option<&'r Statute>,
        grade: Option<&'r Grade>,
        srange: Option<FineRange>,
    ) {
        use crate::model::Alternative;
        let basis = rec
            .statute
            .and_then(|s| s.basis)
            .or(m.penalty_basis.as_deref());
        let imposes = |g: &Grade, o: &crate::model::OneOf| {
            o.alternatives.iter().any(|a| match a {
                Alternative::Fine(_) => g.fine.is_some(),
                Alternative::Other(x) => g.others.iter().any(|y| y.same_sanction(x)),
            })
        };
        let groups: Vec<&'r crate::model::OneOf> = match grade {
            Some(g) if !g.one_of.is_empty() => g.one_of.iter().collect(),
            _ => statute
                .map(|s| {
                    s.one_of
                        .iter()
                        .filter(|o| !grade.is_some_and(|g| imposes(g, o)))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let from_statute = grade.is_none_or(|g| g.one_of.is_empty());
        for o in groups {
            for (a, text) in o.alternatives.iter().zip(&o.texts) {
                let range = match a {
                    Alternative::Fine(f) => {
                        if from_statute {
                            self.rule(&f.rule, None, true).range
                        } else {
                            self.rule(&f.rule, srange, false).range
                        }
                    }
                    Alternative::Other(x) => {
                        if let Some(c) = &x.when
                            && !self.decide(c)
                        {
                            continue;
                        }
                        None
                    }
                };
                let range = range.map(|r| r.rounded(self.rs.policy.rounding));
                rec.options.push(Choice {
                    kind: ChoiceKind::OneOf,
                    id: text,
                    name: Some(&o.text),
                    basis,
                    range,
                    required: true,
                    obligations: &[],
                });
            }
            self.step(
                "one_of",
                None,
                Some(o.span),
                basis,
                None,
                None,
                None,
                || {
                    format!(
                        "择一：{}（由执法人员选择其中一项，系统不代为选择，也不并处）",
                        o.text
                    )
                },
            );
        }
    }

    /// Trace steps for sanctions with periods: the grade's period and the
    /// statute's.
    fn period_steps(&mut self, rec: &Recommendation<'r>, m: &'r Matter) {
        if !self.tracing() {
            return;
        }
        let basis = rec
            .statute
            .and_then(|s| s.basis)
            .or(m.penalty_basis.as_deref());
        let items: Vec<&'r crate::model::OtherSanction> = rec
            .sanctions
            .iter()
            .filter(|s| s.period.is_some())
            .collect();
        for s in items {
            let (own, statutory) = rec.sanctions.periods(s);
            let text = match (own, statutory) {
                (Some(p), Some(sp)) if !p.commensurable(&sp) => format!(
                    "{}：期限 {}（法定期限 {}，日与月不作换算比较）",
                    s.title(),
                    p.text(),
                    sp.text()
                ),
                (Some(p), Some(sp)) => {
                    format!("{}：期限 {}（法定期限 {}）", s.title(), p.text(), sp.text())
                }
                (Some(p), None) => format!("{}：期限 {}", s.title(), p.text()),
                _ => continue,
            };
            self.step(
                "sanction_period",
                None,
                Some(s.span),
                basis,
                None,
                None,
                None,
                || text,
            );
        }
    }

    /// Where some sanctions carry a condition (`并处 吊销许可证 当 情节严重`),
    /// those that apply; `None` when none is conditional (the common case,
    /// borrowed as a whole without allocating).
    fn conditional_sanctions(
        &mut self,
        others: &'r [crate::model::OtherSanction],
    ) -> Option<Vec<&'r crate::model::OtherSanction>> {
        if others.iter().all(|o| o.when.is_none()) {
            return None;
        }
        let mut applying = Vec::new();
        for o in others {
            let holds = match &o.when {
                None => true,
                Some(c) => self.decide(c),
            };
            if holds {
                applying.push(o);
            }
        }
        Some(applying)
    }

    #[allow(clippy::too_many_arguments)]
    fn no_penalty(
        &mut self,
        rec: &mut Recommendation<'r>,
        id: &'r str,
        name: Option<&'r str>,
        basis: Option<&'r str>,
        obligations: &'r [String],
        span: crate::source::Span,
        when: &Cond,
    ) {
        rec.outcome = Outcome::NoPenalty;
        rec.possible_outcomes = super::output::OutcomeSet::one(Outcome::NoPenalty);
        if !rec.grounds.iter().any(|g| g.id == id) {
            rec.grounds.push(Choice {
                kind: ChoiceKind::NoPenalty,
                id,
                name,
                basis,
                range: None,
                required: true,
                obligations,
            });
        }
        if !obligations.iter().any(|o| o.starts_with("教育")) {
            rec.obligations.push(EDUCATION);
        }
        for o in obligations {
            if !rec.obligations.contains(&o.as_str()) {
                rec.obligations.push(o);
            }
        }
        self.step(
            "no_penalty",
            Some(id),
            Some(span),
            basis,
            Some(when),
            None,
            None,
            || {
                format!(
                    "符合应当不予处罚的情形“{}”：不予行政处罚，并对当事人进行教育",
                    name.unwrap_or(id)
                )
            },
        );
    }

    fn circumstances(&self, m: &'r Matter) -> impl Iterator<Item = &'r Circumstance> + use<'r> {
        let rs: &'r Ruleset = self.rs;
        m.circumstances
            .iter()
            .filter_map(move |&i| rs.circumstances.get(i))
            .chain(m.own_circumstances.iter())
    }

    // ----- fine rules -----------------------------------------------------------

    fn amount(&mut self, a: &Amount) -> AmountVal {
        match a {
            Amount::Fixed(x) => AmountVal {
                lo: *x,
                hi: Some(*x),
            },
            Amount::OfBase {
                base,
                floor,
                factor,
                cap,
            } => {
                // `最高不超过`: each amount is min(factor × base, cap).
                let capped = |v: Decimal| cap.map_or(v, |c| v.min(c));
                match self.val(*base) {
                    Some(Value::Number(b)) => {
                        let eff = floor.map_or(b, |f| b.max(f));
                        match factor.checked_mul(eff) {
                            Some(v) => {
                                let v = capped(v);
                                AmountVal { lo: v, hi: Some(v) }
                            }
                            // Too large to compute: the cap, if any, bounds it.
                            None => AmountVal {
                                lo: cap.unwrap_or(Decimal::ZERO),
                                hi: *cap,
                            },
                        }
                    }
                    _ => {
                        self.uncertain = true;
                        self.note_missing(Missing::Fact(*base));
                        let lo = floor
                            .and_then(|f| factor.checked_mul(f))
                            .unwrap_or(Decimal::ZERO)
                            .max(Decimal::ZERO);
                        AmountVal {
                            lo: capped(lo),
                            hi: *cap,
                        }
                    }
                }
            }
            Amount::Product { money, count, cap } => self.product(*money, *count, *cap),
        }
    }

    /// `min(money × count, cap)`, exact; a missing operand widens it to
    /// `0 … cap` (unbounded without a cap) unless the other is known to be 0.
    fn product(&mut self, money: FactId, count: FactId, cap: Option<Decimal>) -> AmountVal {
        let capped = |v: Decimal| cap.map_or(v, |c| v.min(c));
        let num = |v: Option<Value>| match v {
            Some(Value::Number(d)) => Some(d),
            _ => None,
        };
        let (m, c) = (num(self.val(money)), num(self.val(count)));
        match (m, c) {
            (Some(m), Some(c)) => match m.checked_mul(c) {
                Some(v) => {
                    let v = capped(v.max(Decimal::ZERO));
                    AmountVal { lo: v, hi: Some(v) }
                }
                None => {
                    self.warn(
                        "product_overflow",
                        "罚款为两个事实之积，乘积超出可精确计算的范围，未计算；请核实事实数值",
                    );
                    self.uncertain = true;
                    AmountVal {
                        lo: cap.unwrap_or(Decimal::ZERO),
                        hi: cap,
                    }
                }
            },
            (Some(z), None) | (None, Some(z)) if z.is_zero() => AmountVal {
                lo: Decimal::ZERO,
                hi: Some(Decimal::ZERO),
            },
            _ => {
                self.uncertain = true;
                if m.is_none() {
                    self.note_missing(Missing::Fact(money));
                }
                if c.is_none() {
                    self.note_missing(Missing::Fact(count));
                }
                AmountVal {
                    lo: Decimal::ZERO,
                    hi: cap,
                }
            }
        }
    }

    pub(super) fn rule(
        &mut self,
        r: &'r FineRule,
        statute: Option<FineRange>,
        is_statute: bool,
    ) -> RuleVal {
        match r {
            FineRule::Range { lower, upper } => {
                let up = self.amount(&upper.value);
                let (lo, lo_inc, max_only) = match lower {
                    None => (Decimal::ZERO, false, true),
                    Some(b) => {
                        let a = self.amount(&b.value);
                        (a.lo, b.inclusive || a.hi.is_none(), false)
                    }
                };
                RuleVal {
                    range: Some(FineRange {
                        lower: lo,
                        lower_inclusive: lo_inc,
                        upper: up.hi,
                        upper_inclusive: upper.inclusive || up.hi.is_none(),
                    }),
                    max_only,
                    modality: None,
                }
            }
            FineRule::Exact(a) => {
                let v = self.amount(a);
                RuleVal {
                    range: Some(FineRange {
                        lower: v.lo,
                        lower_inclusive: true,
                        upper: v.hi,
                        upper_inclusive: true,
                    }),
                    max_only: false,
                    modality: None,
                }
            }
            FineRule::StatuteBand { lower, upper } => {
                let band = Band {
                    reference: BandReference::Statute,
                    lower: *lower,
                    upper: *upper,
                };
                match statute {
                    Some(s) if !is_statute => RuleVal {
                        range: Some(s.band(&band).unwrap_or(s)),
                        max_only: false,
                        modality: None,
                    },
                    _ => {
                        self.warn(
                            "band_without_statute",
                            "按法定幅度比例规定的罚款缺少法定罚款幅度，无法计算",
                        );
                        RuleVal {
                            range: None,
                            max_only: false,
                            modality: None,
                        }
                    }
                }
            }
            FineRule::MaximumBand { lower, upper } => {
                let band = Band {
                    reference: BandReference::StatutoryMaximum,
                    lower: *lower,
                    upper: *upper,
                };
                match statute {
                    Some(s) if !is_statute => {
                        let of_max = FineRange {
                            lower: Decimal::ZERO,
                            lower_inclusive: true,
                            upper: s.upper,
                            upper_inclusive: s.upper_inclusive,
                        };
                        RuleVal {
                            range: Some(of_max.band(&band).unwrap_or(of_max)),
                            max_only: false,
                            modality: None,
                        }
                    }
                    _ => {
                        self.warn(
                            "band_without_statute",
                            "按法定最高罚款额比例规定的罚款缺少法定罚款幅度，无法计算",
                        );
                        RuleVal {
                            range: None,
                            max_only: false,
                            modality: None,
                        }
                    }
                }
            }
            FineRule::Switch(arms) => {
                for arm in arms {
                    let hit = match &arm.guard {
                        Guard::When(c) => self.decide(c),
                        Guard::Otherwise => true,
                    };
                    if hit {
                        let mut v = match &arm.fine {
                            None => RuleVal {
                                range: None,
                                max_only: false,
                                modality: None,
                            },
                            Some(f) => self.rule(f, statute, is_statute),
                        };
                        v.modality = arm.modality.or(v.modality);
                        let cond = match &arm.guard {
                            Guard::When(c) => Some(c),
                            Guard::Otherwise => None,
                        };
                        self.step(
                            "fine_switch",
                            None,
                            Some(arm.span),
                            None,
                            cond,
                            None,
                            v.range,
                            || match v.range {
                                Some(r) => {
                                    format!("适用罚款分支：{}", super::render::range_text(&r))
                                }
                                None => "适用罚款分支：不处罚款".to_string(),
                            },
                        );
                        return v;
                    }
                }
                self.warn("no_fine_arm", "罚款规定的各分支均不适用本案，未计算罚款");
                RuleVal {
                    range: None,
                    max_only: false,
                    modality: None,
                }
            }
        }
    }

    // ----- grades and weights ----------------------------------------------------

    fn select_grade(&mut self, grades: &'r [Grade]) -> Option<&'r Grade> {
        let heavier = self.rs.policy.several_grades == SeveralGrades::Heavier;
        let mut chosen = None;
        // A no-penalty grade (不予处罚 / 免予处罚) is the lightest wherever
        // it is listed: under `多阶次: 从重` any penalty grade that also
        // applies wins over it.
        let mut free: Option<&'r Grade> = None;
        let mut any = false;
        for g in grades {
            if self.guard(&g.guard, any) {
                any = true;
                if !heavier {
                    chosen = Some(g);
                    break;
                }
                if g.no_penalty.is_some() {
                    free = Some(g);
                } else {
                    chosen = Some(g);
                }
            }
        }
        if let (Some(f), Some(c)) = (free, chosen) {
            self.warn(
                "no_penalty_grade_overridden",
                format!(
                    "阶次“{}”（{}）与阶次“{}”同时适用本案；按 多阶次: 从重 适用较重的阶次“{}”，不予处罚不适用。若文件本意是优先不予处罚，请收窄阶次条件或声明 多阶次: 首个",
                    f.id,
                    f.no_penalty.as_deref().unwrap_or("不予处罚"),
                    c.id,
                    c.id
                ),
            );
        }
        chosen.or(free)
    }

    fn weighted(
        &mut self,
        w: &'r Weighted,
        srange: Option<FineRange>,
    ) -> (Option<FineRange>, Option<Decimal>) {
        let policy = self.rs.policy.unknown_factor;
        let mut lo = w.start;
        let mut hi = w.start;
        for f in &w.factors {
            let mut any_unknown = false;
            let mut matched: Option<&'r crate::model::FactorLevel> = None;
            for lvl in &f.levels {
                let t = match &lvl.guard {
                    Guard::When(c) => self.tri(c),
                    Guard::Otherwise if any_unknown => Tri::Unknown,
                    Guard::Otherwise => Tri::True,
                };
                match t {
                    Tri::True => {
                        matched = Some(lvl);
                        break;
                    }
                    Tri::Unknown => {
                        any_unknown = true;
                        if let Guard::When(c) = &lvl.guard {
                            self.note_missing_in(c);
                        }
                    }
                    Tri::False => {}
                }
            }
            let weight = if !any_unknown {
                matched.map_or(Decimal::ZERO, |l| l.weight)
            } else if policy == UnknownFactor::Lowest {
                // The document's rule: a factor that cannot be established
                // counts at its lowest level.
                let lowest = f
                    .levels
                    .iter()
                    .map(|l| l.weight)
                    .min()
                    .unwrap_or(Decimal::ZERO);
                matched = None;
                self.warn(
                    "unknown_factor",
                    format!(
                        "因素“{}”无法确定，按其最低档（{}%）计算",
                        f.name,
                        pct(lowest)
                    ),
                );
                lowest
            } else {
                // Every level the facts allow: one path per candidate weight.
                let mut cands: Vec<(Decimal, Option<&'r crate::model::FactorLevel>)> = Vec::new();
                let mut earlier_unknown = false;
                for lvl in &f.levels {
                    let t = match &lvl.guard {
                        Guard::When(c) => self.tri(c),
                        Guard::Otherwise if earlier_unknown => Tri::Unknown,
                        Guard::Otherwise => Tri::True,
                    };
                    match t {
                        Tri::True => {
                            cands.push((lvl.weight, Some(lvl)));
                            break;
                        }
                        Tri::Unknown => {
                            earlier_unknown = true;
                            cands.push((lvl.weight, Some(lvl)));
                        }
                        Tri::False => {}
                    }
                }
                if matched.is_none() {
                    cands.push((Decimal::ZERO, None));
                }
                let arity = u8::try_from(cands.len()).unwrap_or(u8::MAX);
                let c = usize::from(self.chooser.choose(arity));
                let (w, l) = cands.get(c).copied().unwrap_or((Decimal::ZERO, None));
                matched = l;
                w
            };
            let (fmin, fmax) = (Some(weight), Some(weight));
            let (a, b) = (fmin.unwrap_or_default(), fmax.unwrap_or_default());
            lo = lo.checked_add(a).unwrap_or(lo);
            hi = hi.checked_add(b).unwrap_or(hi);
            if self.tracing() {
                let cond = matched.and_then(|l| match &l.guard {
                    Guard::When(c) => Some(c),
                    Guard::Otherwise => None,
                });
                let label = matched.and_then(|l| l.label.as_deref());
                let span = matched.map(|l| l.span).unwrap_or(f.span);
                self.step(
                    "factor",
                    Some(&f.name),
                    Some(span),
                    None,
                    cond,
                    None,
                    None,
                    || {
                        if a == b {
                            format!(
                                "因素“{}”{}：权重 {}%",
                                f.name,
                                label.map(|l| format!("（{l}）")).unwrap_or_default(),
                                pct(a)
                            )
                        } else {
                            format!("因素“{}”无法确定：权重 {}% 至 {}%", f.name, pct(a), pct(b))
                        }
                    },
                );
            }
        }
        let clamp = |x: Decimal| x.max(w.floor).min(w.cap);
        let (lo_c, hi_c) = (clamp(lo), clamp(hi));
        let base = match &w.times {
            WeightedBase::StatutoryMaximum => match srange {
                Some(s) => AmountVal {
                    lo: s.upper.unwrap_or(s.lower),
                    hi: s.upper,
                },
                None => {
                    self.warn(
                        "weighted_without_maximum",
                        "权重模型以法定罚款上限为基数，但法定罚则没有罚款，未计算罚款",
                    );
                    return (None, None);
                }
            },
            WeightedBase::Amount(a) => self.amount(a),
        };
        let flo = lo_c.checked_mul(base.lo).unwrap_or(base.lo);
        let fhi = base.hi.and_then(|b| hi_c.checked_mul(b));
        let range = FineRange {
            lower: flo,
            lower_inclusive: true,
            upper: fhi,
            upper_inclusive: true,
        };
        let score = if lo_c == hi_c { Some(lo_c) } else { None };
        self.step(
            "weighted",
            None,
            Some(w.span),
            None,
            None,
            srange,
            Some(range),
            || {
                format!(
                    "权重合计 {}%{}（起始 {}%，下限 {}%，上限 {}%），罚款 {}",
                    pct(lo_c),
                    if lo_c == hi_c {
                        String::new()
                    } else {
                        format!(" 至 {}%", pct(hi_c))
                    },
                    pct(w.start),
                    pct(w.floor),
                    pct(w.cap),
                    super::render::range_text(&range)
                )
            },
        );
        (Some(range), score)
    }

    // ----- circumstances --------------------------------------------------------

    /// Applies 从轻/从重/减轻 per policy. Returns the result and the result
    /// before the statutory clamp (`None` when it is the result itself).
    #[allow(clippy::too_many_arguments)]
    fn circumstances_step(
        &mut self,
        m: &'r Matter,
        rec: &mut Recommendation<'r>,
        base: Option<FineRange>,
        srange: Option<FineRange>,
        max_only: bool,
        graded: Option<(&'r [Grade], usize)>,
        reduced_grade: bool,
    ) -> (Option<FineRange>, Option<FineRange>) {
        let rs: &'r Ruleset = self.rs;
        let p = &rs.policy;
        let mut cls = [Class::default(); N_CLASSES];
        let mut ids = Ids::default();
        // The first mandatory circumstance of each adjustment class that
        // holds: (id, basis, span), cited by the adjustment's trace step.
        let mut adj_src: [Option<(&'r str, Option<&'r str>, crate::source::Span)>; 3] = [None; 3];
        let opt_start = rec.options.len();
        // (class, holds) of each option pushed, to drop those of classes that do not apply.
        let mut opt_class: [u8; 32] = [u8::MAX; 32];
        let mut n_opt = 0usize;

        let mut visit = |this: &mut Self,
                         rec: &mut Recommendation<'r>,
                         effect: Effect,
                         modality: Modality,
                         id: &'r str,
                         name: Option<&'r str>,
                         basis: Option<&'r str>,
                         obligations: &'r [String],
                         span: crate::source::Span,
                         when: &'r Cond| {
            let class = match effect {
                Effect::Lighter => C_LIGHTER,
                Effect::Heavier => C_HEAVIER,
                Effect::Reduced => C_REDUCED,
                Effect::LighterOrReduced => C_LOR,
                Effect::GradeMaximum => C_GMAX,
                Effect::GradeMinimum => C_GMIN,
                Effect::GradeUp => C_UP,
                Effect::NoPenalty => return,
            };
            let Some(c) = cls.get_mut(class) else { return };
            c.members = c.members.saturating_add(1);
            if modality == Modality::Shall {
                c.shall_member = true;
            }
            if !this.decide(when) {
                return;
            }
            c.holds = c.holds.saturating_add(1);
            if modality == Modality::Shall {
                c.shall_holds = true;
                ids.push(class, id);
                if let Some(slot @ None) =
                    class.checked_sub(C_GMAX).and_then(|k| adj_src.get_mut(k))
                {
                    *slot = Some((id, basis, span));
                }
            } else {
                let kinds: &[ChoiceKind] = match effect {
                    Effect::Lighter => &[ChoiceKind::Lighter],
                    Effect::Heavier => &[ChoiceKind::Heavier],
                    Effect::Reduced => &[ChoiceKind::Reduced],
                    Effect::GradeMaximum => &[ChoiceKind::GradeMaximum],
                    Effect::GradeMinimum => &[ChoiceKind::GradeMinimum],
                    Effect::GradeUp => &[ChoiceKind::GradeUp],
                    _ => &[ChoiceKind::Lighter, ChoiceKind::Reduced],
                };
                for &kind in kinds {
                    rec.options.push(Choice {
                        kind,
                        id,
                        name,
                        basis,
                        range: None,
                        required: false,
                        obligations,
                    });
                    if let Some(slot) = opt_class.get_mut(n_opt) {
                        *slot = u8::try_from(class).unwrap_or(u8::MAX);
                    }
                    n_opt += 1;
                }
            }
            this.step(
                "circumstance",
                Some(id),
                Some(span),
                basis,
                Some(when),
                None,
                None,
                || {
                    format!(
                        "情节“{}”成立：{}{}",
                        name.unwrap_or(id),
                        if modality == Modality::Shall {
                            "应当"
                        } else {
                            "可以"
                        },
                        effect_text(effect)
                    )
                },
            );
            for o in obligations {
                if !rec.obligations.contains(&o.as_str()) {
                    rec.obligations.push(o);
                }
            }
        };
        for c in self.circumstances(m) {
            visit(
                self,
                rec,
                c.effect,
                c.modality,
                &c.id,
                c.name.as_deref(),
                c.basis.as_deref(),
                &c.obligations,
                c.span,
                &c.when,
            );
        }
        for &(li, ii) in &m.list_items {
            let Some(list) = rs.lists.get(li) else {
                continue;
            };
            let Some(item) = list.items.get(ii) else {
                continue;
            };
            let effect = match list.kind {
                ListKind::Lighter => Effect::Lighter,
                ListKind::Reduced => Effect::Reduced,
                _ => continue,
            };
            let basis = item.basis.as_deref().or(list.basis.as_deref());
            visit(
                self,
                rec,
                effect,
                item.modality,
                &item.id,
                Some(&item.name),
                basis,
                &item.obligations,
                item.span,
                &item.when,
            );
        }

        let q = |class: usize| match class {
            C_HEAVIER => p.heavier_requires,
            C_REDUCED => p.reduced_requires,
            C_GMAX | C_GMIN | C_UP => Quantifier::Any,
            _ => p.lighter_requires,
        };
        let all_hold = |c: &Class| c.members > 0 && c.holds == c.members;
        let applies = |class: usize| -> bool {
            cls.get(class).is_some_and(|c| match q(class) {
                Quantifier::Any => c.shall_holds,
                Quantifier::All => c.shall_member && all_hold(c),
            })
        };
        // Options of a class whose conditions are not all met under `全部` lapse.
        if n_opt > 0 {
            let mut k = 0usize;
            let keep: Vec<bool> = (0..rec.options.len())
                .map(|i| {
                    if i < opt_start {
                        return true;
                    }
                    let class = usize::from(opt_class.get(k).copied().unwrap_or(u8::MAX));
                    k += 1;
                    match cls.get(class) {
                        Some(c) if q(class) == Quantifier::All => all_hold(c),
                        _ => true,
                    }
                })
                .collect();
            let mut it = keep.iter();
            rec.options.retain(|_| it.next().copied().unwrap_or(true));
        }

        let (l_on, h_on, d_on, lor_on) = (
            applies(C_LIGHTER),
            applies(C_HEAVIER),
            applies(C_REDUCED),
            applies(C_LOR),
        );
        let (mut gmax_on, mut gmin_on, mut up_on) =
            (applies(C_GMAX), applies(C_GMIN), applies(C_UP));

        let Some(base) = base else {
            return (None, None);
        };
        let is_adj = |k: ChoiceKind| {
            matches!(
                k,
                ChoiceKind::GradeMaximum | ChoiceKind::GradeMinimum | ChoiceKind::GradeUp
            )
        };
        // Within-grade adjustments need a grade: elsewhere they have no
        // effect (the checker reports E0505 where that is certain).
        let adj_holds = [C_GMAX, C_GMIN, C_UP]
            .iter()
            .any(|&k| cls.get(k).is_some_and(|c| c.holds > 0));
        if graded.is_none() && adj_holds {
            self.warn(
                "adjustment_without_grade",
                format!(
                    "事项 {} 本案没有适用的裁量阶次，“本档最高限度”“本档较低限”“上调一个档次”等档内调整情节不起作用",
                    m.id
                ),
            );
            (gmax_on, gmin_on, up_on) = (false, false, false);
            let mut i = 0usize;
            rec.options.retain(|o| {
                let keep = i < opt_start || !is_adj(o.kind);
                i += 1;
                keep
            });
        }
        let has_adj_opt = |rec: &Recommendation<'r>, k: ChoiceKind| {
            rec.options.iter().skip(opt_start).any(|o| o.kind == k)
        };

        // 上调一个档次: the next heavier grade becomes the reference range
        // (at the top grade: the statutory maximum as a point).
        let mut base = base;
        let mut up_base: Option<FineRange> = None;
        if let Some((grades, gi)) = graded
            && (up_on || has_adj_opt(rec, ChoiceKind::GradeUp))
        {
            let (r, next) = self.next_grade(grades, gi, base, srange);
            up_base = Some(r);
            if up_on {
                let before = base;
                base = r;
                let src = adj_src.get(2).copied().flatten();
                let (id, basis, span) = (src.map(|x| x.0), src.and_then(|x| x.1), src.map(|x| x.2));
                let cur = grades.get(gi);
                self.step(
                    "adjustment",
                    id,
                    span,
                    basis,
                    None,
                    Some(before),
                    Some(r),
                    || match next {
                        Up::Next(g) => format!(
                            "上调一个档次：由阶次“{}”上调至阶次“{}”{}，按其幅度 {} 处罚",
                            cur.map(|c| c.id.as_str()).unwrap_or(""),
                            g.id,
                            g.name
                                .as_deref()
                                .map(|n| format!("（{n}）"))
                                .unwrap_or_default(),
                            super::render::range_text(&r)
                        ),
                        Up::Top => format!(
                            "上调一个档次：已经是最高档次，按最高处罚额度 {} 处罚（不得高于法定最高罚款额）",
                            super::render::range_text(&r)
                        ),
                        Up::Stay => "上调一个档次：上一档次的罚款不重于本档（或无法计算），仍按本档幅度处罚".to_string(),
                    },
                );
            }
        }
        let [lighter_band, heavier_band, ordinary_band] = p.bands(max_only);
        let of_ref = |reference: FineRange, b: &Band| band_of(reference, b, srange);
        let of = |b: &Band| of_ref(base, b);
        // Only the components the result or an option needs are computed.
        let has_opt = |k: ChoiceKind| rec.options.iter().skip(opt_start).any(|o| o.kind == k);
        // 本档最高限度 counts as 从重 and 本档较低限 as 从轻 for 情节竞合.
        let l_on_all = l_on || gmin_on;
        let h_on_all = h_on || gmax_on;
        let lighterish = l_on_all || d_on || lor_on;
        let reduced_needed = d_on || lor_on || has_opt(ChoiceKind::Reduced);
        let need_l = l_on || lor_on || reduced_needed || has_opt(ChoiceKind::Lighter);
        let need_h = h_on || has_opt(ChoiceKind::Heavier);
        let need_o = !(lighterish || h_on_all)
            || (lighterish && h_on_all && matches!(p.mixed, MixedRule::Ask | MixedRule::Offset));
        let need_gmax = gmax_on || has_opt(ChoiceKind::GradeMaximum);
        let need_gmin = gmin_on || has_opt(ChoiceKind::GradeMinimum);
        let l = if need_l { of(&lighter_band) } else { base };
        let h = if need_h { of(&heavier_band) } else { base };
        let o = if need_o { of(&ordinary_band) } else { base };
        // 本档最高限度: the grade's upper end as a point (the number the
        // grade names, whatever the boundary convention).
        let gmax = match base.upper {
            Some(u) if need_gmax => FineRange::point(u),
            _ => base,
        };
        // 本档较低限: the grade's lower end as a point; a grade whose lower
        // end is zero (“2000元以下”) has none — a point of 0 would be no
        // fine at all: its 从轻 band stands in, with a warning.
        let gmin = if !need_gmin {
            base
        } else if base.lower.is_zero() {
            self.warn(
                "grade_minimum_open",
                "本档没有下限（如“2000元以下”），“本档较低限”无法取点，按从轻幅度计算",
            );
            of(&lighter_band)
        } else {
            FineRange::point(base.lower)
        };
        let up_o = up_base.map(|u| of_ref(u, &ordinary_band));
        // 减轻 under a maximum-only statute falls back to the lighter result:
        // the grade's lower end when 本档较低限 applies.
        // On a grade marked 减轻 the grade already is the document's 减轻
        // row: a 减轻 circumstance does not reduce it a second time — it
        // leaves the lighter (else the ordinary) result of the grade.
        let d = if reduced_grade {
            if gmin_on {
                gmin
            } else if l_on {
                l
            } else {
                of(&ordinary_band)
            }
        } else if reduced_needed {
            self.reduced_range(srange, if gmin_on { gmin } else { l })
        } else {
            l
        };
        // The lighter and heavier components of the result.
        let lr = if gmin_on { gmin } else { l };
        let hr = if gmax_on { gmax } else { h };
        for (on, k, pt, what) in [
            (gmax_on, 0usize, gmax, "按本档最高限度处罚"),
            (gmin_on, 1usize, gmin, "按所在裁量档次的较低限处罚"),
        ] {
            if !on || !self.tracing() {
                continue;
            }
            let src = adj_src.get(k).copied().flatten();
            self.step(
                "adjustment",
                src.map(|x| x.0),
                src.map(|x| x.2),
                src.and_then(|x| x.1),
                None,
                Some(base),
                Some(pt),
                || format!("{what}：{}", super::render::range_text(&pt)),
            );
        }
        let flags = (l_on_all, h_on_all, d_on, lor_on);
        let unclamped = (lr, hr, o, d);
        // Each component rounded and clamped on its own: 从轻/从重/一般 into
        // the statutory range, 减轻 only at the upper end.
        let mut clamped = false;
        let mut fix = |r: FineRange, lower_too: bool| {
            let r = r.rounded(p.rounding);
            match srange {
                Some(s) => {
                    let (r, changed) = r.clamp_to(&s, lower_too);
                    clamped |= changed;
                    r
                }
                None => r,
            }
        };
        // A grade marked 减轻 is clamped at the statutory maximum only.
        let lo_too = !reduced_grade;
        let l = if need_l { fix(l, lo_too) } else { l };
        let h = if need_h { fix(h, lo_too) } else { h };
        let o = if need_o { fix(o, lo_too) } else { o };
        let d = if reduced_needed { fix(d, false) } else { d };
        let gmax = if need_gmax { fix(gmax, lo_too) } else { gmax };
        let gmin = if need_gmin { fix(gmin, lo_too) } else { gmin };
        let up_o = up_o.map(|u| fix(u, lo_too));
        let lr = if gmin_on { gmin } else { l };
        let hr = if gmax_on { gmax } else { h };
        // The result as the benchmark computes it, before the statutory clamp
        // (to tell whether the clamp changed anything). Without rounding and
        // with no component clamped it is the result itself: `None` then.
        let raw = if clamped || p.rounding != Rounding::Exact {
            let (l, h, o, d) = unclamped;
            combine(p.mixed, flags, l, h, o, d).map(|r| r.rounded(p.rounding))
        } else {
            None
        };

        for opt in rec.options.iter_mut().skip(opt_start) {
            opt.range = match opt.kind {
                ChoiceKind::Lighter => Some(l),
                ChoiceKind::Heavier => Some(h),
                ChoiceKind::Reduced => Some(d),
                ChoiceKind::GradeMaximum => Some(gmax),
                ChoiceKind::GradeMinimum => Some(gmin),
                ChoiceKind::GradeUp => up_o,
                _ => opt.range,
            };
        }
        let (l_on, h_on, l, h) = (l_on_all, h_on_all, lr, hr);

        let lighter_result = if d_on {
            d
        } else if lor_on {
            l.hull(&d)
        } else {
            l
        };
        let reduced_part = d_on || lor_on;
        let (result, _reduced, text): (FineRange, bool, &'static str) = if lighterish && h_on {
            match p.mixed {
                MixedRule::Ask => {
                    let lighter_label = if reduced_part {
                        "从轻或减轻"
                    } else {
                        "从轻"
                    };
                    rec.needs_judgement.push(Judgement {
                        reason: "同时具有从轻（减轻）和从重情节，规则集规定由执法人员综合考虑（情节竞合：询问）",
                        candidates: vec![
                            Candidate {
                                label: lighter_label,
                                circumstances: ids.of(&[C_LIGHTER, C_REDUCED, C_LOR, C_GMIN]),
                                range: lighter_result,
                            },
                            Candidate {
                                label: "从重",
                                circumstances: ids.of(&[C_HEAVIER, C_GMAX]),
                                range: h,
                            },
                            Candidate {
                                label: "一般（相互抵消）",
                                circumstances: Vec::new(),
                                range: o,
                            },
                        ],
                    });
                    (
                        lighter_result.hull(&h).hull(&o),
                        reduced_part,
                        "从轻（减轻）与从重情节并存，需执法人员综合判断；结果为各候选幅度的并集",
                    )
                }
                MixedRule::Offset => (o, false, "从轻与从重情节相互抵消，按一般幅度"),
                MixedRule::LighterPrevails => {
                    (lighter_result, reduced_part, "从轻（减轻）情节优先")
                }
                MixedRule::HeavierPrevails => (h, false, "从重情节优先"),
            }
        } else if d_on {
            (d, true, "应当减轻处罚：低于法定最低限")
        } else if lor_on {
            for (kind, r) in [(ChoiceKind::Lighter, l), (ChoiceKind::Reduced, d)] {
                rec.options.push(Choice {
                    kind,
                    id: ids.of(&[C_LOR]).first().copied().unwrap_or("从轻或者减轻"),
                    name: None,
                    basis: None,
                    range: Some(r),
                    required: true,
                    obligations: &[],
                });
            }
            (
                l.hull(&d),
                true,
                "应当从轻或者减轻处罚：二者择一，由执法人员选择",
            )
        } else if l_on {
            if gmin_on {
                (l, false, "按所在裁量档次的较低限处罚")
            } else {
                (l, false, "从轻处罚")
            }
        } else if h_on {
            if gmax_on {
                (h, false, "按本档最高限度处罚")
            } else {
                (h, false, "从重处罚")
            }
        } else {
            (o, false, "无从轻、从重情节，按一般幅度")
        };
        self.step(
            "circumstances",
            None,
            None,
            None,
            None,
            Some(base),
            Some(result),
            || text.to_string(),
        );
        (Some(result), raw)
    }

    /// 上调一个档次 from grade `gi`: the next grade's range when it is at
    /// least as heavy as `cur` on both ends; at the top grade the statutory
    /// maximum as a point (“已经是最高档次的，按最高处罚额度处罚”); otherwise
    /// the current grade stays (the move never lowers the fine).
    fn next_grade(
        &mut self,
        grades: &'r [Grade],
        gi: usize,
        cur: FineRange,
        srange: Option<FineRange>,
    ) -> (FineRange, Up<'r>) {
        let Some(next) = gi.checked_add(1).and_then(|i| grades.get(i)) else {
            return match srange.and_then(|s| s.upper) {
                Some(u) => (FineRange::point(u), Up::Top),
                None => (cur, Up::Stay),
            };
        };
        let r = next
            .fine
            .as_ref()
            .and_then(|f| self.rule(&f.rule, srange, false).range);
        let heavier = |r: &FineRange| {
            r.lower >= cur.lower
                && match (r.upper, cur.upper) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some(a), Some(b)) => a >= b,
                }
        };
        match r {
            Some(r) if heavier(&r) => (r, Up::Next(next)),
            _ => {
                self.warn(
                    "grade_up_not_heavier",
                    format!(
                        "“上调一个档次”：阶次“{}”的罚款不重于本档（或无罚款），仍按本档计算；请核对阶次是否按由轻到重排列",
                        next.id
                    ),
                );
                (cur, Up::Stay)
            }
        }
    }

    /// A grade deciding no penalty (`不予处罚` / `免予处罚`): the outcome is
    /// no penalty, the grade is the ground; only orders that are not
    /// penalties (责令改正, 第二十八条) stay; education (第三十三条).
    fn grade_no_penalty(
        &mut self,
        rec: &mut Recommendation<'r>,
        g: &'r Grade,
        word: &'r str,
        basis: Option<&'r str>,
        cond: Option<&'r Cond>,
    ) {
        rec.outcome = Outcome::NoPenalty;
        rec.possible_outcomes = super::output::OutcomeSet::one(Outcome::NoPenalty);
        rec.decision = Some(word);
        // Discretionary exemptions are moot; the statute's penalties lapse.
        rec.options.clear();
        let orders: Vec<&'r crate::model::OtherSanction> = rec
            .sanctions
            .iter()
            .filter(|s| crate::model::is_order(&s.name))
            .collect();
        rec.sanctions.statute = &[];
        rec.sanctions.extra.clear();
        rec.sanctions.extra.extend(orders);
        match self.conditional_sanctions(&g.others) {
            None => rec.sanctions.grade = &g.others,
            Some(applying) => rec.sanctions.extra.extend(applying),
        }
        rec.grounds.push(Choice {
            kind: ChoiceKind::NoPenalty,
            id: &g.id,
            name: g.name.as_deref().or(Some(word)),
            basis,
            range: None,
            required: true,
            obligations: &[],
        });
        if !rec.obligations.iter().any(|o| o.starts_with("教育")) {
            rec.obligations.push(EDUCATION);
        }
        self.step("no_penalty", Some(&g.id), Some(g.span), basis, cond, None, None, || {
            format!(
                "适用裁量阶次“{}”{}：{word}（不予行政处罚），并对当事人进行教育（行政处罚法 第三十三条）",
                g.id,
                g.name.as_deref().map(|n| format!("（{n}）")).unwrap_or_default()
            )
        });
    }

    /// A grade marked 减轻 imposes the sanctions it lists: the statute's
    /// other sanctions it does not list are not imposed (减轻 = not imposing a
    /// 并处 sanction), except orders that are not penalties (责令改正).
    fn reduced_grade_sanctions(&mut self, rec: &mut Recommendation<'r>, g: &'r Grade) {
        let mut dropped: Vec<&'r str> = Vec::new();
        let mut kept: Vec<&'r crate::model::OtherSanction> = Vec::new();
        for s in rec.sanctions.iter() {
            if crate::model::is_order(&s.name) || g.others.iter().any(|o| o.name == s.name) {
                if !g.others.iter().any(|o| o.name == s.name) {
                    kept.push(s);
                }
            } else {
                dropped.push(&s.name);
            }
        }
        rec.sanctions.statute = &[];
        rec.sanctions.extra.clear();
        rec.sanctions.extra.extend(kept);
        if !dropped.is_empty() {
            let text = format!(
                "阶次“{}”为减轻处罚档次，未列出法定的“{}”：按减轻处罚不予并处。如文件本意仍须并处，请在阶次中写明 并处 …",
                g.id,
                dropped.join("、")
            );
            self.warn("reduced_drops_sanction", text.clone());
            self.step(
                "grade",
                Some(&g.id),
                Some(g.span),
                None,
                None,
                None,
                None,
                || text,
            );
        }
    }

    /// A grade's sanction that the statute allows only under a condition
    /// (`可以并处 吊销… 当 情节严重`) is not recommended where that condition
    /// does not hold: the statute is followed, with a warning.
    fn grade_sanctions_vs_statute(
        &mut self,
        rec: &mut Recommendation<'r>,
        g: &'r Grade,
        s: &'r Statute,
    ) {
        let mut drop: Vec<&'r str> = Vec::new();
        for o in &g.others {
            let Some(so) = s.others.iter().find(|x| x.name == o.name) else {
                continue;
            };
            let Some(c) = &so.when else { continue };
            let holds = match self.tri(c) {
                Tri::True => true,
                Tri::False => false,
                Tri::Unknown => self.decide(c),
            };
            if !holds {
                drop.push(&o.name);
                self.warn(
                    "grade_sanction_not_permitted",
                    format!(
                        "阶次“{}”并处“{}”，但法定罚则只在特定条件下允许该处罚，本案不具备该条件；按法律不予推荐。请在阶次条件中包含该法定条件",
                        g.id, o.name
                    ),
                );
            }
        }
        if drop.is_empty() {
            return;
        }
        // The statute's entry of the same name lapses by the same condition.
        let applying: Vec<&'r crate::model::OtherSanction> = rec
            .sanctions
            .iter()
            .filter(|x| !drop.contains(&x.name.as_str()))
            .collect();
        rec.sanctions.statute = &[];
        rec.sanctions.grade = &[];
        rec.sanctions.extra.clear();
        rec.sanctions.extra.extend(applying);
    }

    /// List items with their own fine (see the call).
    fn item_ranges(
        &mut self,
        m: &'r Matter,
        rec: &mut Recommendation<'r>,
        result: &mut Option<FineRange>,
        srange: Option<FineRange>,
    ) {
        let rs: &'r Ruleset = self.rs;
        let mut applied = false;
        for &(li, ii) in &m.list_items {
            let Some(list) = rs.lists.get(li) else {
                continue;
            };
            let Some(item) = list.items.get(ii) else {
                continue;
            };
            let Some(rule) = &item.fine else { continue };
            let (reduced, kind) = match list.kind {
                ListKind::Reduced => (true, ChoiceKind::Reduced),
                ListKind::Lighter => (false, ChoiceKind::Lighter),
                _ => continue,
            };
            if !self.decide(&item.when) {
                continue;
            }
            let Some(r) = self.rule(rule, srange, false).range else {
                continue;
            };
            let r = r.rounded(rs.policy.rounding);
            // 从轻 stays inside the statute; 减轻 only below its maximum,
            // and not below the 减轻下限 policy.
            let r = match srange {
                Some(s) => r.clamp_to(&s, !reduced).0,
                None => r,
            };
            let r = if reduced {
                reduced_floor_pure(&rs.policy.reduced_floor, r, srange)
            } else {
                r
            };
            let basis = item.basis.as_deref().or(list.basis.as_deref());
            let word = if reduced {
                "减轻处罚"
            } else {
                "从轻处罚"
            };
            if item.modality == Modality::Shall {
                if applied {
                    continue;
                }
                applied = true;
                let before = *result;
                *result = Some(r);
                rec.decision = Some(word);
                self.step(
                    "list_item_range",
                    Some(&item.id),
                    Some(item.span),
                    basis,
                    Some(&item.when),
                    before,
                    Some(r),
                    || {
                        format!(
                            "符合《{}》第{}项：应当{word}，按该项规定的裁量幅度 {}",
                            list.name,
                            item.id,
                            super::render::range_text(&r)
                        )
                    },
                );
            } else {
                match rec
                    .options
                    .iter_mut()
                    .find(|o| o.kind == kind && o.id == item.id.as_str())
                {
                    Some(o) => o.range = Some(r),
                    None => rec.options.push(Choice {
                        kind,
                        id: &item.id,
                        name: Some(&item.name),
                        basis,
                        range: Some(r),
                        required: false,
                        obligations: &item.obligations,
                    }),
                }
            }
        }
    }

    /// Raises a 减轻 grade's result to the `减轻下限` policy floor, with a warning.
    fn reduced_floor_of(&mut self, r: FineRange, srange: Option<FineRange>) -> FineRange {
        let out = reduced_floor_pure(&self.rs.policy.reduced_floor, r, srange);
        if out != r {
            self.warn(
                "reduced_floor",
                format!(
                    "减轻处罚档次的结果（{}）低于规则集的减轻下限，已调整为 {}",
                    super::render::range_text(&r),
                    super::render::range_text(&out)
                ),
            );
        }
        out
    }

    pub(super) fn reduced_range(
        &mut self,
        srange: Option<FineRange>,
        lighter: FineRange,
    ) -> FineRange {
        let Some(s) = srange else { return lighter };
        if s.lower.is_zero() {
            self.warn(
                "reduced_max_only",
                "法定罚款仅有上限，减轻处罚无法低于法定最低限：按从轻幅度计算，或依法改用较轻的处罚种类",
            );
            // The 从轻 range, inside the statute as the 从轻 path keeps it
            // (a grade's point at 0 is not a fine above zero).
            return lighter.clamp_to(&s, true).0;
        }
        let (floor, floor_inc) = match self.rs.policy.reduced_floor {
            ReducedFloor::None => (Decimal::ZERO, false),
            ReducedFloor::Amount(a) => (a, true),
            ReducedFloor::ShareOfMinimum(p) => {
                (p.checked_mul(s.lower).unwrap_or(Decimal::ZERO), true)
            }
        };
        if floor >= s.lower {
            self.warn(
                "reduced_floor",
                "减轻处罚的下限不低于法定最低限，减轻幅度为空，按法定最低限计算",
            );
            return FineRange::point(s.lower);
        }
        FineRange {
            lower: floor,
            lower_inclusive: floor_inc,
            upper: Some(s.lower),
            upper_inclusive: !s.lower_inclusive,
        }
    }
}

/// A policy band (从轻 0%–30% …) applied to its reference: the grade's
/// range, the statutory range, or 0 … the statutory maximum (A9: “法定罚款
/// 最高额度的30%”); the reference itself where the band cannot apply.
pub(super) fn band_of(grade: FineRange, band: &Band, srange: Option<FineRange>) -> FineRange {
    let reference = match band.reference {
        BandReference::Grade => grade,
        BandReference::Statute => srange.unwrap_or(grade),
        BandReference::StatutoryMaximum => match srange {
            Some(s) => FineRange {
                lower: Decimal::ZERO,
                lower_inclusive: true,
                upper: s.upper,
                upper_inclusive: s.upper_inclusive,
            },
            None => grade,
        },
    };
    reference.band(band).unwrap_or(reference)
}

/// `Interval::contains` with one comparison per end (a `Decimal`
/// comparison rescales; `x > b || x == b` would do it twice).
#[inline]
fn contains(interval: &crate::model::Interval<Decimal>, x: Decimal) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let above = match &interval.lower {
        None => true,
        Some(b) => match super::range::cmp_dec(x, b.value) {
            Greater => true,
            Equal => b.inclusive,
            Less => false,
        },
    };
    above
        && match &interval.upper {
            None => true,
            Some(b) => match super::range::cmp_dec(x, b.value) {
                Less => true,
                Equal => b.inclusive,
                Greater => false,
            },
        }
}

/// Calls `f` on every fact a condition reads.
pub(crate) fn for_each_fact(c: &Cond, f: &mut impl FnMut(FactId)) {
    match c {
        Cond::True => {}
        Cond::Bool { fact, .. }
        | Cond::Enum { fact, .. }
        | Cond::Number { fact, .. }
        | Cond::Date { fact, .. } => f(*fact),
        Cond::And(cs) | Cond::Or(cs) => {
            for c in cs {
                for_each_fact(c, f);
            }
        }
        Cond::Not(c) => for_each_fact(c, f),
    }
}

/// Orders results by how heavy they are (for 从旧兼从轻 and 第二十九条).
/// The names of the mandatory other sanctions (并处) of a result.
fn mandatory_sanctions<'r>(r: &Recommendation<'r>) -> Vec<&'r str> {
    r.sanctions
        .iter()
        .filter(|s| s.modality == Modality::Shall)
        .map(|s| s.name.as_str())
        .collect()
}

pub(crate) fn lighter_cmp(a: &Recommendation<'_>, b: &Recommendation<'_>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let rank = |r: &Recommendation<'_>| match r.outcome {
        Outcome::TimeBarred | Outcome::NoPenalty => 0,
        Outcome::MayWaive | Outcome::Penalty => 1,
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| match (&a.fine, &b.fine) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => x.range.severity_cmp(&y.range),
        })
}

fn describe(r: &Recommendation<'_>) -> String {
    match (&r.outcome, &r.fine) {
        (Outcome::NoPenalty | Outcome::TimeBarred, _) => r.outcome.label().to_string(),
        (_, Some(f)) => format!("罚款 {}", super::render::range_text(&f.range)),
        (_, None) => "不处罚款".to_string(),
    }
}

fn effect_text(e: Effect) -> &'static str {
    match e {
        Effect::GradeMaximum => "按本档最高限度处罚",
        Effect::GradeMinimum => "按所在裁量档次的较低限处罚",
        Effect::GradeUp => "上调一个档次处罚",
        Effect::Lighter => "从轻处罚",
        Effect::Heavier => "从重处罚",
        Effect::Reduced => "减轻处罚",
        Effect::LighterOrReduced => "从轻或者减轻处罚",
        Effect::NoPenalty => "不予处罚",
    }
}

fn period_text(p: Period) -> PeriodText {
    PeriodText(p)
}

/// A limitation period written in Chinese (formatted in place, no allocation).
struct PeriodText(Period);

impl std::fmt::Display for PeriodText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Period::Months(n) if n % 12 == 0 => write!(f, "{}年", n / 12),
            Period::Months(n) => write!(f, "{n}个月"),
            Period::Days(n) => write!(f, "{n}日"),
        }
    }
}

/// A factor as a percentage, exact.
pub(crate) fn pct(x: Decimal) -> String {
    x.checked_mul(Decimal::ONE_HUNDRED)
        .unwrap_or(x)
        .normalize()
        .to_string()
}

/// The result of the circumstances step from its components (pure).
pub(super) fn combine(
    mixed: MixedRule,
    (l_on, h_on, d_on, lor_on): (bool, bool, bool, bool),
    l: FineRange,
    h: FineRange,
    o: FineRange,
    d: FineRange,
) -> Option<FineRange> {
    let lighter_result = if d_on {
        d
    } else if lor_on {
        l.hull(&d)
    } else {
        l
    };
    let lighterish = l_on || d_on || lor_on;
    Some(if lighterish && h_on {
        match mixed {
            MixedRule::Ask => lighter_result.hull(&h).hull(&o),
            MixedRule::Offset => o,
            MixedRule::LighterPrevails => lighter_result,
            MixedRule::HeavierPrevails => h,
        }
    } else if lighterish {
        lighter_result
    } else if h_on {
        h
    } else {
        o
    })
}

/// A 减轻 result raised to the `减轻下限` policy floor (pure): each end below
/// the floor moves up to it.
pub(crate) fn reduced_floor_pure(
    policy: &ReducedFloor,
    r: FineRange,
    srange: Option<FineRange>,
) -> FineRange {
    let floor = match policy {
        ReducedFloor::None => return r,
        ReducedFloor::Amount(a) => *a,
        ReducedFloor::ShareOfMinimum(p) => match srange {
            Some(s) => p.checked_mul(s.lower).unwrap_or(Decimal::ZERO),
            None => return r,
        },
    };
    let mut out = r;
    if out.lower < floor {
        out.lower = floor;
        out.lower_inclusive = true;
    }
    if let Some(u) = out.upper
        && u < floor
    {
        out.upper = Some(floor);
        out.upper_inclusive = true;
    }
    out
}
