//! The checked, resolved ruleset the evaluator runs.
//!
//! Produced by the checker from the syntax tree: names are resolved to
//! indexes, literals are typed and converted to each fact's unit, range
//! phrases are read by the ruleset's boundary convention into explicit
//! inclusive/exclusive intervals, and policies carry their defaults. Nothing
//! here refers to pest or needs a string lookup at evaluation time. Spans are
//! kept so that traces and validation findings can point at the source.

use crate::source::Span;
use crate::syntax::ast::{
    Effect, Level, ListKind, MixedRule, Modality, Quantifier, Rounding, SeveralGrades,
    UnknownFactor,
};
use crate::value::{Date, Unit};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Index of a fact in [`Ruleset::facts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FactId(pub u32);

/// Index of a matter in [`Ruleset::matters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct MatterId(pub u32);

/// A checked ruleset, ready to evaluate. Immutable and `Send + Sync`: load it
/// once and share it (e.g. in an `Arc`) across threads.
#[derive(Debug, Clone, Serialize)]
pub struct Ruleset {
    /// Header information.
    pub meta: Meta,
    /// Every fact: shared ones first, then each matter's own.
    pub facts: Vec<FactDef>,
    /// Fact name → id, for shared facts.
    pub shared_facts: BTreeMap<String, FactId>,
    /// The matters in source order (included files first).
    pub matters: Vec<Matter>,
    /// Matter code → id.
    pub matter_index: BTreeMap<String, MatterId>,
    /// Ruleset-level circumstances (included ones first).
    pub circumstances: Vec<Circumstance>,
    /// The lists.
    pub lists: Vec<List>,
    /// Ruleset-level limitation rules, most specific first; the last one
    /// without a condition is the default. Empty: 2 years (行政处罚法 第36条).
    pub limitation: Vec<LimitationRule>,
    /// Policies, defaults filled in.
    pub policy: Policy,
    /// SHA-256 of the ruleset's source texts (hex), for audit.
    pub content_hash: String,
}

/// Header information.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// Title of the document.
    pub name: String,
    /// Issuing authority.
    pub authority: Option<String>,
    /// Document number (文号).
    pub document_number: Option<String>,
    /// Where published.
    pub source: Option<String>,
    /// Administrative level.
    pub level: Option<Level>,
    /// First day in force.
    pub effective_from: Option<Date>,
    /// Last day in force.
    pub effective_to: Option<Date>,
    /// The superior ruleset's path as written (`细化`).
    pub refines: Option<String>,
    /// The boundary convention in force.
    pub boundaries: Boundaries,
    /// Free notes.
    pub notes: Vec<String>,
    /// The header's span (or the file start when there is no header).
    pub span: Span,
}

/// How `以上` and `以下` read in this ruleset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Boundaries {
    /// `以上` includes the number.
    pub above_inclusive: bool,
    /// `以下` includes the number.
    pub below_inclusive: bool,
    /// Whether the ruleset declared it (otherwise both inclusive, the usual
    /// legal reading, and the checker warns where it matters).
    pub declared: bool,
}

/// A declared fact.
#[derive(Debug, Clone, Serialize)]
pub struct FactDef {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: FactType,
    /// Its description.
    pub description: Option<String>,
    /// The value a case gets when it does not state the fact (`默认`).
    pub default: Option<Value>,
    /// The matter that declares it, `None` for a shared fact.
    pub owner: Option<MatterId>,
    /// Where declared.
    pub span: Span,
}

/// The type of a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum FactType {
    /// 是否.
    Bool,
    /// 枚举: the values, from lightest to heaviest.
    Enum(Vec<String>),
    /// 金额 (元).
    Money,
    /// 数量 in a unit.
    Quantity(Unit),
    /// 整数.
    Integer,
    /// 数值.
    Number,
    /// 比例 (stored as a percentage number: 30 for 30%).
    Percent,
    /// 日期.
    Date,
}

impl FactType {
    /// Whether values of this type are numbers (compared as intervals).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            FactType::Money
                | FactType::Quantity(_)
                | FactType::Integer
                | FactType::Number
                | FactType::Percent
        )
    }
}

/// A fact value in a case. Numbers are in the fact's own unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// An enum value's index.
    Enum(u16),
    /// A number (money in 元, quantities in the fact's unit, percentages as 30 for 30%).
    Number(Decimal),
    /// A date.
    Date(Date),
}

/// One end of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bound<T> {
    /// The value.
    pub value: T,
    /// Whether the value itself belongs to the interval.
    pub inclusive: bool,
}

/// An interval of numbers; a missing end is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Interval<T> {
    /// Lower end.
    pub lower: Option<Bound<T>>,
    /// Upper end.
    pub upper: Option<Bound<T>>,
}

impl<T: PartialOrd + Copy> Interval<T> {
    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: T) -> bool {
        let above = match self.lower {
            None => true,
            Some(b) => x > b.value || (b.inclusive && x == b.value),
        };
        let below = match self.upper {
            None => true,
            Some(b) => x < b.value || (b.inclusive && x == b.value),
        };
        above && below
    }
}

/// A checked condition over facts. Atoms are boxes: a set of enum values, a
/// boolean, an interval of numbers or dates; so conditions are unions of boxes
/// (what validation sweeps).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Cond {
    /// Always true (`其他` after resolution is expressed by the evaluator, not here).
    True,
    /// A boolean fact equals `value`.
    Bool {
        /// The fact.
        fact: FactId,
        /// The value it must have.
        value: bool,
    },
    /// An enum fact is one of `values` (indexes, sorted).
    Enum {
        /// The fact.
        fact: FactId,
        /// The allowed value indexes, sorted ascending.
        values: Vec<u16>,
    },
    /// A numeric fact lies in an interval (in the fact's unit).
    Number {
        /// The fact.
        fact: FactId,
        /// The interval.
        interval: Interval<Decimal>,
        /// Whether the inclusion of the lower and of the upper end was read by
        /// the ruleset's 边界 convention (`以上`/`以下`/`至`) rather than
        /// written explicitly (`（含）`, `不满`, `≥` …): an evaluator warns about
        /// a value exactly on such an end when the convention is undeclared.
        by_convention: (bool, bool),
    },
    /// A date fact lies in an interval.
    Date {
        /// The fact.
        fact: FactId,
        /// The interval.
        interval: Interval<Date>,
    },
    /// All hold.
    And(Vec<Cond>),
    /// Any holds.
    Or(Vec<Cond>),
    /// Does not hold.
    Not(Box<Cond>),
}

/// A guarded rule: `当 …` or `其他`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Guard {
    /// Applies when the condition holds.
    When(Cond),
    /// Applies when no earlier guard in the same list applied.
    Otherwise,
}

/// An amount of money, fixed or computed from a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Amount {
    /// A fixed amount in 元.
    Fixed(Decimal),
    /// `min(factor × max(base, floor), cap)`; percentages are stored as
    /// factors (5% → 0.05).
    OfBase {
        /// The base fact (money, or a quantity for per-unit fines).
        base: FactId,
        /// The base counts at least this much (固废法 第102条).
        floor: Option<Decimal>,
        /// The multiplier.
        factor: Decimal,
        /// The amount never exceeds this (`最高不超过二千元`, 按日计罚). It
        /// belongs to the amount, so each end of a range is capped on its
        /// own: `每日 5元 至 20元 最高不超过 2000元` over 150 days is
        /// 750元 至 2000元.
        #[serde(skip_serializing_if = "Option::is_none")]
        cap: Option<Decimal>,
    },
    /// `min(money × count, cap)`: one fact times another (按日连续处罚:
    /// 原处罚数额 乘以 计罚日数). Computed exactly; an overflow is reported,
    /// never wrapped.
    Product {
        /// The money fact (元 per unit counted).
        money: FactId,
        /// The count or quantity fact (in its declared unit).
        count: FactId,
        /// The amount never exceeds this (`最高不超过`).
        #[serde(skip_serializing_if = "Option::is_none")]
        cap: Option<Decimal>,
    },
}

/// A statutory or grade fine rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FineRule {
    /// A range between two amounts. A missing lower end means "maximum only"
    /// (the fine is above zero: lower end 0 exclusive).
    Range {
        /// Lower end (None: above zero).
        lower: Option<Bound<Amount>>,
        /// Upper end.
        upper: Bound<Amount>,
    },
    /// One amount.
    Exact(Amount),
    /// A band of the statutory range (grades only): percentages as factors 0–1.
    StatuteBand {
        /// Lower end as a share of the statutory range's width.
        lower: Bound<Decimal>,
        /// Upper end.
        upper: Bound<Decimal>,
    },
    /// A switch: the first arm whose guard holds; `None` fine = no fine.
    Switch(Vec<FineArm>),
    /// A band of the statutory maximum (grades only, `法定上限 30% 至 70%`):
    /// shares of 0 … the maximum in force, as factors 0–1.
    MaximumBand {
        /// Lower end as a share of the statutory maximum.
        lower: Bound<Decimal>,
        /// Upper end.
        upper: Bound<Decimal>,
    },
}

/// An arm of a fine switch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FineArm {
    /// When it applies.
    pub guard: Guard,
    /// This arm's own modality (`其他: 可以 2000元以下`); `None`: the fine's.
    pub modality: Option<Modality>,
    /// The fine, or no fine.
    pub fine: Option<FineRule>,
    /// Where written.
    pub span: Span,
}

/// A fine with its modality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fine {
    /// 应当 or 可以 (`可以处…罚款`).
    pub modality: Modality,
    /// The rule.
    pub rule: FineRule,
    /// Where written.
    pub span: Span,
}

/// A non-fine sanction or order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherSanction {
    /// Its name.
    pub name: String,
    /// Must or may.
    pub modality: Modality,
    /// Needs the government's approval.
    pub needs_approval: bool,
    /// Applies only when this holds (`并处 吊销许可证 当 情节严重`).
    pub when: Option<Cond>,
    /// The 第九条 kind it names (`拘留`, `暂扣`, `并处 警告` …); `None`: a label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::syntax::ast::SanctionKind>,
    /// What it applies to (`暂扣 "安全生产许可证"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Its period (`30日 至 60日`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<SanctionPeriod>,
    /// How it reads with its object and period (`暂扣安全生产许可证30日至60日`);
    /// the name alone for a plain label.
    #[serde(skip)]
    pub display: String,
    /// Where written.
    pub span: Span,
}

impl OtherSanction {
    /// Whether `self` and `other` name the same sanction: the same kind
    /// (or, for labels, the same name) and, where both name one, the same object.
    pub fn same_sanction(&self, other: &OtherSanction) -> bool {
        let kind = match (self.kind, other.kind) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.name == other.name,
            _ => false,
        };
        kind && match (&self.object, &other.object) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    /// Its name with its object (`暂扣安全生产许可证`).
    pub fn title(&self) -> String {
        match &self.object {
            Some(o) => format!("{}{o}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The period of a sanction. Days and months are not commensurable (a month
/// is not a fixed number of days), so a period is kept in its dimension:
/// days (日 = 天) or calendar months (年 = 12 个月, exact). Periods of
/// different dimensions are never compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SanctionPeriod {
    /// The unit written (天, 月 or 年): how it is shown.
    pub unit: crate::value::Unit,
    /// The range in the dimension's base unit (天, or 月); a lower end of
    /// `None` never occurs (a maximum-only period is `(0, max]`).
    pub range: Interval<Decimal>,
}

impl Statute {
    /// The fine among the alternatives of a 择一 (`处警告或者二百元以下罚款`):
    /// the range a grade's fine must stay in where the statute has no other fine.
    pub fn alternative_fine(&self) -> Option<&Fine> {
        self.one_of
            .iter()
            .flat_map(|o| o.alternatives.iter())
            .find_map(|a| match a {
                Alternative::Fine(f) => Some(f),
                Alternative::Other(_) => None,
            })
    }
}

/// One alternative of `择一 { … }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Alternative {
    /// A fine.
    Fine(Fine),
    /// Another sanction.
    Other(OtherSanction),
}

/// `择一 { 警告; 罚款 200元以下 }`: exactly one alternative, the officer's choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OneOf {
    /// The alternatives, as written.
    pub alternatives: Vec<Alternative>,
    /// How it reads (`警告或者罚款200元以下`).
    pub text: String,
    /// How each alternative reads (`警告`, `罚款200元以下`), as `alternatives`.
    pub texts: Vec<String>,
    /// Where written.
    pub span: Span,
}

/// One version of a matter's statutory sanctions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statute {
    /// In force from.
    pub from: Option<Date>,
    /// In force to (inclusive).
    pub to: Option<Date>,
    /// Legal basis of this version.
    pub basis: Option<String>,
    /// The fine, if the statute has one.
    pub fine: Option<Fine>,
    /// Other sanctions.
    pub others: Vec<OtherSanction>,
    /// Alternatives (`择一 { … }`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<OneOf>,
    /// The act is no longer punishable under this version.
    pub not_punishable: bool,
    /// Where written.
    pub span: Span,
}

/// A grade of a graded table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    /// Its label.
    pub id: String,
    /// Its description.
    pub name: Option<String>,
    /// When it applies.
    pub guard: Guard,
    /// Its fine (None: the grade imposes no fine, or only other sanctions).
    pub fine: Option<Fine>,
    /// Its other sanctions.
    pub others: Vec<OtherSanction>,
    /// Alternatives (`择一 { … }`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<OneOf>,
    /// `说明` notes.
    pub notes: Vec<String>,
    /// `减轻`: the document's 减轻处罚 row. Its range is the recommendation
    /// even below the statutory minimum (never above the maximum, never
    /// below the `减轻下限` policy); statutory sanctions it does not list are
    /// not imposed (减轻 = a lighter range or fewer sanctions).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reduced: bool,
    /// The grade decides no penalty: the document's word (`不予处罚`,
    /// `免予处罚`). It then has no fine; its other sanctions are orders
    /// that are not penalties (责令改正).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_penalty: Option<String>,
    /// The grade writes `应当 罚款 …`: a benchmark may make the statute's
    /// discretionary fine (`可以 罚款`) mandatory — that is how the body
    /// exercises its discretion — so the fine is reported as 应当, with the
    /// statute's 可以 noted in the trace. A plain `罚款 …` keeps the statute's
    /// modality.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shall_fine: bool,
    /// `集体讨论`: the amount is decided collectively (行政处罚法 第五十七条
    /// 第二款) within the grade's fine, else the statute's; the document's
    /// words (`由案审会讨论决定`), else `集体讨论`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collective: Option<String>,
    /// `参照`: the grade applies this other grade's sanctions
    /// (`事项 5 阶次 严重`, the end of any chain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refers: Option<String>,
    /// `依据` of the grade, else the matter's 处罚依据 is cited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Where written.
    pub span: Span,
}

/// A weighted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weighted {
    /// Start weight as a factor (10% → 0.10).
    pub start: Decimal,
    /// The factors.
    pub factors: Vec<Factor>,
    /// Cap on the sum (factor), default 1.
    pub cap: Decimal,
    /// Floor on the sum (factor), default 0.
    pub floor: Decimal,
    /// What the percentage multiplies.
    pub times: WeightedBase,
    /// Where written.
    pub span: Span,
}

/// What a weighted percentage multiplies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum WeightedBase {
    /// The statutory maximum in force.
    StatutoryMaximum,
    /// An amount (fixed or from a base).
    Amount(Amount),
}

/// A factor of a weighted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its levels in source order.
    pub levels: Vec<FactorLevel>,
    /// Where written.
    pub span: Span,
}

/// A level of a factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorLevel {
    /// Its label.
    pub label: Option<String>,
    /// When it applies.
    pub guard: Guard,
    /// Its weight as a factor (5% → 0.05).
    pub weight: Decimal,
    /// Where written.
    pub span: Span,
}

/// How a matter grades a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Table {
    /// No table: the statutory range (with policy bands) is the benchmark.
    None,
    /// A graded table, grades from lightest to heaviest.
    Graded(Vec<Grade>),
    /// A weighted model.
    Weighted(Weighted),
}

/// A limitation rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LimitationRule {
    /// The period.
    pub period: Period,
    /// When it applies (None: always).
    pub when: Option<Cond>,
    /// The legal basis.
    pub basis: Option<String>,
    /// Where written.
    pub span: Span,
}

/// A period of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Period {
    /// Calendar months (years are 12 months).
    Months(u32),
    /// Days.
    Days(u32),
}

/// An enforceable matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matter {
    /// Its code.
    pub id: String,
    /// Its title.
    pub name: String,
    /// 违法依据.
    pub violation_basis: Option<String>,
    /// 处罚依据.
    pub penalty_basis: Option<String>,
    /// Notes.
    pub notes: Vec<String>,
    /// Facts this matter may read (shared and own), by name.
    pub facts: BTreeMap<String, FactId>,
    /// Statute versions, in source order.
    pub statutes: Vec<Statute>,
    /// The table.
    pub table: Table,
    /// Matter-specific limitation rules (override the ruleset's).
    pub limitation: Vec<LimitationRule>,
    /// Indexes into [`Ruleset::circumstances`] of those that cover this matter,
    /// followed by its own (in `own_circumstances`).
    pub circumstances: Vec<usize>,
    /// Circumstances declared inside the matter.
    pub own_circumstances: Vec<Circumstance>,
    /// (list index, item index) of list items that cover this matter.
    pub list_items: Vec<(usize, usize)>,
    /// Where written.
    pub span: Span,
}

/// A circumstance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Circumstance {
    /// Its id.
    pub id: String,
    /// Its description.
    pub name: Option<String>,
    /// 应当 / 可以.
    pub modality: Modality,
    /// What it does.
    pub effect: Effect,
    /// When it applies (None: never by facts alone — the officer asserts it
    /// through a boolean fact of the same name, which the checker creates).
    pub when: Cond,
    /// Legal basis.
    pub basis: Option<String>,
    /// Matters covered (None: all).
    pub scope: Option<Vec<MatterId>>,
    /// Obligations when it applies.
    pub obligations: Vec<String>,
    /// Where written.
    pub span: Span,
}

/// A list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct List {
    /// Its kind.
    pub kind: ListKind,
    /// Its id.
    pub id: String,
    /// Its title.
    pub name: String,
    /// Legal basis.
    pub basis: Option<String>,
    /// Lower bodies may not widen or narrow it.
    pub fixed: bool,
    /// The items.
    pub items: Vec<ListItem>,
    /// The document's word for the list's kind when it is not the canonical
    /// one (`免予处罚`, `轻微免罚`, `首错免罚`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
    /// Where written.
    pub span: Span,
}

/// A list item, its list's common conditions, modality and obligations merged in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem {
    /// Its number or label.
    pub id: String,
    /// Its wording.
    pub name: String,
    /// Matters it covers (None: all).
    pub scope: Option<Vec<MatterId>>,
    /// When it applies (common conditions and its own, conjoined).
    pub when: Cond,
    /// Mandatory or discretionary.
    pub modality: Modality,
    /// Obligations (教育, 承诺书 …).
    pub obligations: Vec<String>,
    /// Legal basis (its own, else the list's).
    pub basis: Option<String>,
    /// The item's own fine (减轻清单 “裁量幅度”): when the item applies, its
    /// range is the recommendation (a 从轻 item's inside the statute; a 减轻
    /// item's may lie below the minimum).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fine: Option<FineRule>,
    /// Where written.
    pub span: Span,
}

/// A band of a reference range, shares as factors 0–1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Band {
    /// Grade or statute.
    pub reference: crate::syntax::ast::BandReference,
    /// Lower share.
    pub lower: Bound<Decimal>,
    /// Upper share (equal to lower for a point).
    pub upper: Bound<Decimal>,
}

/// The floor of a 减轻 fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReducedFloor {
    /// Down to zero (exclusive).
    None,
    /// A fixed amount.
    Amount(Decimal),
    /// A share (factor) of the statutory minimum.
    ShareOfMinimum(Decimal),
}

/// Policies of a ruleset, with defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    /// 从轻 (default: lower 30 % of the grade, SAMR 2022 guidance).
    pub lighter: Band,
    /// 从重 (default: upper 30 % of the grade).
    pub heavier: Band,
    /// 一般 (default: the whole grade).
    pub ordinary: Band,
    /// 从轻 when the statute has a maximum only (default: as `lighter`).
    pub max_only_lighter: Option<Band>,
    /// 一般 under a max-only statute.
    pub max_only_ordinary: Option<Band>,
    /// 从重 under a max-only statute.
    pub max_only_heavier: Option<Band>,
    /// 减轻 floor (default none).
    pub reduced_floor: ReducedFloor,
    /// Mixed circumstances (default ask).
    pub mixed: MixedRule,
    /// Several grades match (default: declared, else the checker warns and uses heavier).
    pub several_grades: SeveralGrades,
    /// Whether `several_grades` was declared.
    pub several_grades_declared: bool,
    /// Unknown weighted factor (default lowest).
    pub unknown_factor: UnknownFactor,
    /// 减轻 conditions: all or any (default any).
    pub reduced_requires: Quantifier,
    /// 从轻 conditions (default any).
    pub lighter_requires: Quantifier,
    /// 从重 conditions (default any).
    pub heavier_requires: Quantifier,
    /// Rounding of computed amounts (default exact).
    pub rounding: Rounding,
    /// Spans of the declared entries, for diagnostics and validation.
    pub spans: BTreeMap<String, Span>,
}

impl Policy {
    /// The 从轻, 从重 and 一般 bands in force: a maximum-only statute's own
    /// bands where declared (`max_only`), else the ordinary ones.
    pub fn bands(&self, max_only: bool) -> [Band; 3] {
        let pick = |own: Option<Band>, ordinary: Band| {
            if max_only {
                own.unwrap_or(ordinary)
            } else {
                ordinary
            }
        };
        [
            pick(self.max_only_lighter, self.lighter),
            pick(self.max_only_heavier, self.heavier),
            pick(self.max_only_ordinary, self.ordinary),
        ]
    }
}

impl SanctionPeriod {
    /// Whether two periods are measured alike (days with days, months with months).
    pub fn commensurable(&self, other: &SanctionPeriod) -> bool {
        self.unit.dimension == other.unit.dimension
    }

    /// The dimension's base unit name as the documents write it (日 or 个月).
    fn base_word(&self) -> &'static str {
        if self.unit.dimension == crate::value::Dimension::Days {
            "日"
        } else {
            "个月"
        }
    }

    /// One length in the written unit where it is whole (`1年`), else in the
    /// base unit (`18个月`, `30日`).
    pub fn length_text(&self, v: Decimal) -> String {
        if self.unit.name == "年" {
            let twelve = Decimal::from(12);
            if let Some(y) = v.checked_div(twelve)
                && y.fract().is_zero()
            {
                return format!("{}年", y.normalize());
            }
        }
        format!("{}{}", v.normalize(), self.base_word())
    }

    /// How the range reads: `30日至60日`, `5日以下`, `30日`.
    pub fn text(&self) -> String {
        let r = &self.range;
        match (r.lower, r.upper) {
            (Some(l), Some(u)) if l.value == u.value => self.length_text(u.value),
            (Some(l), Some(u)) if l.value.is_zero() && !l.inclusive => {
                let tail = if u.inclusive {
                    "以下"
                } else {
                    "（不含）以下"
                };
                format!("{}{tail}", self.length_text(u.value))
            }
            (Some(l), Some(u)) => {
                let lo = if l.inclusive { "" } else { "（不含）" };
                let hi = if u.inclusive { "" } else { "（不含）" };
                format!(
                    "{}{lo}至{}{hi}",
                    self.length_text(l.value),
                    self.length_text(u.value)
                )
            }
            (Some(l), None) => format!("{}以上", self.length_text(l.value)),
            (None, Some(u)) => format!("{}以下", self.length_text(u.value)),
            (None, None) => String::new(),
        }
    }

    /// `self` within `outer` (both of one dimension): the intersection, or
    /// `None` when they do not meet or cannot be compared.
    pub fn within(&self, outer: &SanctionPeriod) -> Option<SanctionPeriod> {
        if !self.commensurable(outer) {
            return None;
        }
        let lower = match (self.range.lower, outer.range.lower) {
            (Some(a), Some(b)) if b.value > a.value || (b.value == a.value && !b.inclusive) => {
                Some(b)
            }
            (Some(a), _) => Some(a),
            (None, b) => b,
        };
        let upper = match (self.range.upper, outer.range.upper) {
            (Some(a), Some(b)) if b.value < a.value || (b.value == a.value && !b.inclusive) => {
                Some(b)
            }
            (Some(a), _) => Some(a),
            (None, b) => b,
        };
        if let (Some(l), Some(u)) = (lower, upper)
            && (l.value > u.value || (l.value == u.value && !(l.inclusive && u.inclusive)))
        {
            return None;
        }
        Some(SanctionPeriod {
            unit: self.unit,
            range: Interval { lower, upper },
        })
    }

    /// Whether `self` lies inside `outer` (same dimension).
    pub fn inside(&self, outer: &SanctionPeriod) -> bool {
        self.within(outer).is_some_and(|w| w == *self)
    }
}

/// An order that is not an administrative penalty (行政处罚法 第二十八条:
/// 责令改正 / 责令限期改正; 责令停止违法行为) or the education 第三十三条
/// requires: allowed next to 不予处罚, and kept by a 减轻 grade.
pub fn is_order(name: &str) -> bool {
    name.contains("改正")
        || name.starts_with("责令停止违法")
        || name.starts_with("教育")
        || name.contains("批评教育")
}
