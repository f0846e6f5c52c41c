//! The typed syntax tree of a ruleset file.
//!
//! Both keyword sets (Chinese and English) parse into this one tree; it keeps
//! every construct's [`Span`] and nothing of pest. Literal values are already
//! exact (`20万` is 200000 as a [`Decimal`]); names are not yet resolved and
//! types are not yet checked: that is the checker's job.

use crate::source::Span;
use crate::value::{Date, Unit};
use rust_decimal::Decimal;
use serde::Serialize;

/// Which keyword set a construct was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum KeywordSet {
    /// 中文关键字 (`规则集`, `事项`, `阶次` …).
    #[default]
    Chinese,
    /// English keywords (`ruleset`, `matter`, `grade` …).
    English,
}

/// A name as written, with its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// A quoted string as written (quotes removed), with its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// The string's contents.
    pub value: String,
    /// Where it is written, quotes included.
    pub span: Span,
}

/// One parsed file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct File {
    /// The keyword set of the file's first keyword (used by the formatter).
    pub keywords: KeywordSet,
    /// Top-level items in source order.
    pub items: Vec<Item>,
    /// Comments (`# …`, `// …`) in source order, kept for the formatter.
    pub comments: Vec<Comment>,
}

/// A comment as written, marker included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The comment's text, from `#` or `//` to the end of the line.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    /// `规则集 "名称" { … }` — the ruleset header (at most one per ruleset).
    Header(Header),
    /// `引用 "path"` — include another file's shared facts, circumstances, lists, matters.
    Include(Text),
    /// `事实 { … }` — facts shared by every matter.
    Facts(Vec<FactDecl>),
    /// `时效 2年 [当 …]` — a limitation rule for every matter.
    Limitation(Limitation),
    /// `情节 …` — a circumstance.
    Circumstance(Circumstance),
    /// `清单 …` — one of the four lists.
    List(ListDecl),
    /// `事项 …` — an enforceable matter.
    Matter(Matter),
}

/// The ruleset header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// The ruleset's (document's) title.
    pub name: Text,
    /// The header's entries in source order.
    pub entries: Vec<HeaderEntry>,
    /// The whole header.
    pub span: Span,
}

/// One entry of the header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum HeaderEntry {
    /// `制定机关 "…"` — issuing authority.
    Authority(Text),
    /// `文号 "…"` — document number.
    DocumentNumber(Text),
    /// `来源 "…"` — where the document was published.
    Source(Text),
    /// `层级 县级` — administrative level.
    Level(LevelDecl),
    /// `施行 2024-03-01 [至 2028-12-31]` — effective period.
    Effective {
        /// First day in force.
        from: DateLit,
        /// Last day in force, if any.
        to: Option<DateLit>,
        /// The whole entry.
        span: Span,
    },
    /// `细化 "path"` — the superior ruleset this one refines.
    Refines(Text),
    /// `边界 以上含本数 以下不含本数` — how `以上`/`以下` read.
    Boundaries(BoundariesDecl),
    /// `政策 { … }` — policies.
    Policy(Vec<PolicyEntry>),
    /// `说明 "…"` — a free note (e.g. an interpretation of the source).
    Note(Text),
}

/// An administrative level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Level {
    /// 国家 / national.
    National,
    /// 省级 / province.
    Province,
    /// 市级 / city.
    City,
    /// 县级 / county.
    County,
    /// 乡镇 (街道) / township.
    Township,
}

/// `层级 …` with its span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelDecl {
    /// The level.
    pub level: Level,
    /// Where written.
    pub span: Span,
}

/// `边界 …`: whether the number itself is included by `以上` and by `以下`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoundariesDecl {
    /// `以上含本数` → true, `以上不含本数` → false; `None` if not stated.
    pub above_inclusive: Option<bool>,
    /// `以下含本数` → true, `以下不含本数` → false; `None` if not stated.
    pub below_inclusive: Option<bool>,
    /// Where written.
    pub span: Span,
}

/// A date literal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DateLit {
    /// The date.
    pub date: Date,
    /// Where written.
    pub span: Span,
}

/// One policy entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyEntry {
    /// What it sets.
    pub kind: PolicyEntryKind,
    /// The whole entry.
    pub span: Span,
}

/// What a policy entry sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PolicyEntryKind {
    /// `从轻: 阶次 0% 至 30%` — what 从轻 means.
    Lighter(Band),
    /// `从重: 阶次 70% 至 100%` — what 从重 means.
    Heavier(Band),
    /// `一般: 阶次 0% 至 100%` — the ordinary result within a grade.
    Ordinary(Band),
    /// `仅有上限从轻: 法定 0% 至 20%` — 从轻 when the statute gives a maximum only.
    MaxOnlyLighter(Band),
    /// `仅有上限一般: 法定 40% 至 60%`.
    MaxOnlyOrdinary(Band),
    /// `仅有上限从重: 法定 60% 至 100%`.
    MaxOnlyHeavier(Band),
    /// `减轻下限: 无 | 1000元 | 法定下限 50%` — the floor of a 减轻 fine.
    ReducedFloor(ReducedFloor),
    /// `情节竞合: 询问 | 抵消 | 从轻优先 | 从重优先` — mixed 从轻/减轻 and 从重.
    Mixed(MixedRule, Span),
    /// `多阶次: 从重 | 首个` — several grades match one case.
    SeveralGrades(SeveralGrades, Span),
    /// `未知因素: 最低 | 全部` — a weighted factor that cannot be established.
    UnknownFactor(UnknownFactor, Span),
    /// `减轻条件: 全部 | 任一` — whether all listed 减轻 conditions are required.
    ReducedRequires(Quantifier, Span),
    /// `从轻条件: 全部 | 任一` — whether all listed 从轻 conditions are required.
    LighterRequires(Quantifier, Span),
    /// `从重条件: 全部 | 任一`.
    HeavierRequires(Quantifier, Span),
    /// `取整: 元 | 角 | 分 | 百元 | 千元 | 不取整` — rounding of computed amounts.
    Rounding(Rounding, Span),
}

/// A band of a reference range, given as percentages of its width.
/// `阶次 0% 至 30%` is the lower 30 % of the grade's range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// The range the percentages apply to.
    pub reference: BandReference,
    /// The percentages: a point (`50%`, `中值`) or a range phrase over percentages.
    pub value: BandValue,
    /// Where written.
    pub span: Span,
}

/// The range a band refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BandReference {
    /// `阶次` / `grade` — the selected grade's range.
    Grade,
    /// `法定` / `statute` — the statutory range.
    Statute,
    /// `法定上限` / `statutory_maximum` — shares of the statutory maximum
    /// (the range from 0 to the maximum), not of the min–max width.
    StatutoryMaximum,
}

/// A band's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BandValue {
    /// One point: `50%`, `中值` (= 50%), `上限` (= 100%), `下限` (= 0%).
    Point(Literal),
    /// A range phrase over percentages: `0% 至 30%`, `低于 50%`, `不低于 50%`.
    Range(RangePhrase),
}

/// The floor of a 减轻 fine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ReducedFloor {
    /// `无` — no floor: anything below the statutory minimum down to zero.
    None(Span),
    /// A fixed amount.
    Amount(Literal),
    /// `法定下限 50%` — a percentage of the statutory minimum.
    ShareOfMinimum(Literal),
}

/// How mixed lighter/heavier circumstances combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MixedRule {
    /// `询问` — leave it to the officer: report candidates (needs judgement).
    Ask,
    /// `抵消` — they cancel: the ordinary result.
    Offset,
    /// `从轻优先` — the lighter circumstance prevails.
    LighterPrevails,
    /// `从重优先` — the heavier circumstance prevails.
    HeavierPrevails,
}

/// Which grade applies when several match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SeveralGrades {
    /// `从重` — the heavier (later-listed) grade.
    Heavier,
    /// `首个` — the first grade listed that matches.
    First,
}

/// A weighted factor whose level cannot be established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnknownFactor {
    /// `最低` — counts at its lowest level.
    Lowest,
    /// `全部` — consider every level (the result is an envelope).
    AllLevels,
}

/// All or any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Quantifier {
    /// `全部` — all listed conditions are required.
    All,
    /// `任一` — any one suffices.
    Any,
}

/// Rounding of computed amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Rounding {
    /// `不取整` — exact.
    Exact,
    /// `分` — to 0.01 元.
    Fen,
    /// `角` — to 0.1 元.
    Jiao,
    /// `元` — to 1 元.
    Yuan,
    /// `百元` — to 100 元.
    Hundred,
    /// `千元` — to 1000 元.
    Thousand,
}

/// A fact declaration: `名称: 类型 ["说明"]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactDecl {
    /// The fact's name.
    pub name: Ident,
    /// Its type.
    pub ty: FactTypeExpr,
    /// `默认 否` — the value when a case does not state the fact.
    pub default: Option<Literal>,
    /// An optional description (what the officer must establish).
    pub description: Option<Text>,
    /// `边界 …` — how 以上/以下 read in conditions on this fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boundaries: Option<BoundariesDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// A fact's type as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FactTypeExpr {
    /// `是否` / `bool`.
    Bool,
    /// `枚举(甲, 乙)` / `enum(a, b)` — listed from lightest to heaviest.
    Enum(Vec<Ident>),
    /// `金额` / `money` (元).
    Money,
    /// `数量 吨` / `quantity t`.
    Quantity(Unit, Span),
    /// `整数` / `integer`.
    Integer,
    /// `数值` / `number`.
    Number,
    /// `比例` / `percent`.
    Percent,
    /// `日期` / `date`.
    Date,
}

/// A literal value as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Literal {
    /// The value.
    pub value: LiteralValue,
    /// Where written.
    pub span: Span,
}

/// The value of a literal. Numbers are exact; scale words (万, 亿) are applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum LiteralValue {
    /// A number with 元 (or a scale word such as 万 that marks an amount): yuan.
    Money(Decimal),
    /// A bare number (its meaning comes from where it stands).
    Number(Decimal),
    /// `30%` — stored as 30.
    Percent(Decimal),
    /// `3倍` — a multiple.
    Multiple(Decimal),
    /// A number with a unit: `20吨`, `3次`, `2年`.
    Quantity(Decimal, Unit),
    /// A date.
    Date(Date),
    /// `是` / `否` / `true` / `false`.
    Bool(bool),
    /// A name standing for an enum value (or, in amounts, a fact).
    Name(String),
    /// A quoted string standing for an enum value.
    Text(String),
}

/// How one end of a range phrase was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EndKind {
    /// `以上` / `above` (lower end) or `以下` / `below` (upper end), and
    /// `至` / `to` on either end: read by the ruleset's `边界` convention.
    Convention,
    /// Explicitly includes the number: `（含）`, `≥`, `≤`, `达到`, `不超过`, `不低于`.
    Inclusive,
    /// Explicitly excludes it: `（不含）`, `>`, `<`, `超过`, `不满`, `不足`, `低于`.
    Exclusive,
}

/// One end of a range phrase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangeEnd {
    /// The number at the end.
    pub value: Literal,
    /// How its inclusion was written.
    pub kind: EndKind,
}

/// A range phrase: `X以上Y以下`, `X以下`, `X至Y`, `超过X`, `不满Y`, `>= X` …
/// At least one end is present.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangePhrase {
    /// The lower end, if any.
    pub lower: Option<RangeEnd>,
    /// The upper end, if any.
    pub upper: Option<RangeEnd>,
    /// Written `X至Y` (or `X to Y`) rather than `X以上Y以下`: the same
    /// meaning, kept so that the formatter prints the document's own wording.
    pub with_to: bool,
    /// Where written.
    pub span: Span,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `≠` / `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=` / `≤`
    Le,
    /// `>`
    Gt,
    /// `>=` / `≥`
    Ge,
}

/// A condition over facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Cond {
    /// `甲 且 乙` / `a and b`.
    And(Vec<Cond>, Span),
    /// `甲 或 乙` / `a or b`.
    Or(Vec<Cond>, Span),
    /// `非 甲` / `not a`.
    Not(Box<Cond>, Span),
    /// A boolean fact standing alone: true when the fact is 是.
    Fact(Ident),
    /// `事实 op 值`.
    Compare {
        /// The fact.
        fact: Ident,
        /// The operator.
        op: CompareOp,
        /// The value compared with.
        value: Literal,
        /// The whole comparison.
        span: Span,
    },
    /// `事实 属于 (甲, 乙)` / `fact in (a, b)`.
    In {
        /// The fact.
        fact: Ident,
        /// The values.
        values: Vec<Literal>,
        /// Negated: `不属于` / `not in`.
        negated: bool,
        /// The whole condition.
        span: Span,
    },
    /// `事实 X以上Y以下`.
    Range {
        /// The fact.
        fact: Ident,
        /// The phrase.
        range: RangePhrase,
        /// The whole condition.
        span: Span,
    },
}

impl Cond {
    /// The condition's span.
    pub fn span(&self) -> Span {
        match self {
            Cond::And(_, s) | Cond::Or(_, s) | Cond::Not(_, s) => *s,
            Cond::Fact(i) => i.span,
            Cond::Compare { span, .. } | Cond::In { span, .. } | Cond::Range { span, .. } => *span,
        }
    }
}

/// A `当 …` guard or `其他` (otherwise).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Guard {
    /// `当 条件` / `when cond`.
    When(Cond),
    /// `其他` / `otherwise` — when no earlier guard of the same list matched.
    Otherwise(Span),
}

/// `保底` floor of a base: `违法所得 最低按 10万` (固废法 第102条 style:
/// "不足十万元的，按十万元计算").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseRef {
    /// The fact the amount is computed from (money or quantity).
    pub fact: Ident,
    /// The amount the base counts at least as.
    pub floor: Option<Literal>,
    /// Where written.
    pub span: Span,
}

/// A fine as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FineExpr {
    /// A range of amounts: `10万 至 100万`, `10万以上100万以下`, `5万以下`.
    Range(RangePhrase),
    /// One amount: `200元`.
    Exact(Literal),
    /// Multiples or percentages of a base: `违法所得 1倍 至 5倍`,
    /// `总投资额 1% 至 5%`, or one point `违法所得 3倍`.
    OfBase {
        /// The base.
        base: BaseRef,
        /// The multiples or percentages.
        factors: BaseFactors,
        /// `最高不超过 5万` — the amount never exceeds this (each end is
        /// `min(factor × base, cap)`).
        #[serde(skip_serializing_if = "Option::is_none")]
        cap: Option<Literal>,
        /// Where written.
        span: Span,
    },
    /// Per unit of a quantity: `按 面积 每平方米 10元 至 30元`.
    PerUnit {
        /// The quantity fact.
        fact: Ident,
        /// The unit the rate is per.
        unit: Unit,
        /// The rate range (or one rate).
        rates: BaseFactors,
        /// `最高不超过 2000元` — 按日计罚 capped: each end is `min(rate × quantity, cap)`.
        #[serde(skip_serializing_if = "Option::is_none")]
        cap: Option<Literal>,
        /// Where written.
        span: Span,
    },
    /// One fact times another: `原处罚数额 乘以 计罚日数` (按日连续处罚,
    /// 环境保护法 第五十九条): a money fact times a count or quantity fact.
    Product {
        /// The money fact (the amount per unit: 原处罚数额).
        money: Ident,
        /// The count or quantity fact (计罚日数).
        count: Ident,
        /// `最高不超过 …` — the product never exceeds this.
        #[serde(skip_serializing_if = "Option::is_none")]
        cap: Option<Literal>,
        /// Where written.
        span: Span,
    },
    /// A band of the statutory range: `法定 30% 至 70%`, `法定 上限`.
    Band(Band),
    /// A switch on conditions: `{ 当 货值金额 不足1万: 5万 至 10万; 其他: 货值金额 10倍 至 20倍 }`.
    /// An arm whose fine is `None` (`无`) imposes no fine.
    Switch(Vec<FineArm>, Span),
}

/// The factors of a base-relative fine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BaseFactors {
    /// One factor: `3倍`, `50%`, `10元`.
    Point(Literal),
    /// A range phrase over factors.
    Range(RangePhrase),
}

/// One arm of a fine switch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FineArm {
    /// When the arm applies.
    pub guard: Guard,
    /// `可以` / `应当` for this arm only (`其他: 可以 2000元以下`); `None`: the clause's.
    pub modality: Option<Modality>,
    /// The fine, or `None` for `无` (no fine).
    pub fine: Option<FineExpr>,
    /// Where written.
    pub span: Span,
}

/// 应当 or 可以.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Modality {
    /// 应当 / 并处 / shall — mandatory.
    Shall,
    /// 可以 / 可 / may — discretionary.
    May,
}

/// A clause of a statute or a grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SanctionClause {
    /// `[可以] 罚款 …`.
    Fine {
        /// 应当 (default) or 可以 (`可以 罚款 2000元以下`).
        modality: Modality,
        /// The fine.
        fine: FineExpr,
        /// Where written.
        span: Span,
        /// `应当` was written (not defaulted): a grade's `应当 罚款` makes the
        /// statute's discretionary fine mandatory.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        stated: bool,
    },
    /// `并处 吊销许可证` (Shall) / `可以并处 没收违法所得` (May) / `责令改正` as an order.
    Other(OtherSanction),
    /// `不予处罚` in a statute version: the act is no longer punished; in a
    /// grade: the grade decides no penalty (不予行政处罚).
    NotPunishable(Span),
    /// `免予处罚` / `exempt` in a grade: as `不予处罚`, the document's word kept.
    Exempt(Span),
    /// `择一 { 警告; 罚款 200元以下 }`: exactly one of the alternatives
    /// (fines and other sanctions), chosen by the officer.
    OneOf {
        /// The alternatives, as written (fines and other sanctions only).
        alternatives: Vec<SanctionClause>,
        /// Where written.
        span: Span,
    },
}

/// A kind of sanction of 行政处罚法 第九条 that the language knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SanctionKind {
    /// 警告.
    Warning,
    /// 通报批评.
    PublicCriticism,
    /// 暂扣（许可证件）.
    SuspendLicence,
    /// 吊销（许可证件）.
    RevokeLicence,
    /// 降低资质等级.
    LowerQualification,
    /// 限制开展生产经营活动.
    RestrictBusiness,
    /// 责令停产停业.
    SuspendProduction,
    /// 责令停业整顿 (治安、文化市场: a period).
    SuspendBusiness,
    /// 责令关闭.
    OrderClosure,
    /// 限制从业.
    RestrictPractice,
    /// 行政拘留.
    Detention,
    /// 停止招生 (民办教育: a period; 第九条 其他).
    StopEnrolment,
}

impl SanctionKind {
    /// Every kind with its canonical Chinese word, its English keyword and
    /// further Chinese spellings.
    pub const ALL: &'static [(
        SanctionKind,
        &'static str,
        &'static str,
        &'static [&'static str],
    )] = &[
        (SanctionKind::Warning, "警告", "warning", &[]),
        (
            SanctionKind::PublicCriticism,
            "通报批评",
            "public_criticism",
            &[],
        ),
        (SanctionKind::SuspendLicence, "暂扣", "suspend_licence", &[]),
        (SanctionKind::RevokeLicence, "吊销", "revoke_licence", &[]),
        (
            SanctionKind::LowerQualification,
            "降低资质等级",
            "lower_qualification",
            &[],
        ),
        (
            SanctionKind::RestrictBusiness,
            "限制开展生产经营活动",
            "restrict_business",
            &[],
        ),
        (
            SanctionKind::SuspendProduction,
            "责令停产停业",
            "suspend_production",
            &[],
        ),
        (
            SanctionKind::SuspendBusiness,
            "责令停业整顿",
            "suspend_business",
            &[],
        ),
        (SanctionKind::OrderClosure, "责令关闭", "order_closure", &[]),
        (
            SanctionKind::RestrictPractice,
            "限制从业",
            "restrict_practice",
            &[],
        ),
        (SanctionKind::Detention, "拘留", "detention", &["行政拘留"]),
        (
            SanctionKind::StopEnrolment,
            "停止招生",
            "stop_enrolment",
            &[],
        ),
    ];

    /// The kind a word names (either keyword set, or a further spelling).
    pub fn parse(word: &str) -> Option<SanctionKind> {
        Self::ALL
            .iter()
            .find(|(_, zh, en, more)| *zh == word || *en == word || more.contains(&word))
            .map(|(k, ..)| *k)
    }

    /// Its canonical Chinese word.
    pub fn zh(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, ..)| *k == self)
            .map_or("", |(_, zh, ..)| zh)
    }

    /// Its English keyword.
    pub fn en(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, ..)| *k == self)
            .map_or("", |(_, _, en, _)| en)
    }
}

/// A non-fine sanction or order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherSanction {
    /// Must or may.
    pub modality: Modality,
    /// Its name, e.g. `责令改正`, `没收违法所得`, `吊销许可证件`.
    pub name: Text,
    /// `需批准` / `approval` — needs the people's government's approval.
    pub needs_approval: bool,
    /// `当 情节严重` — the sanction applies only when this holds
    /// ("情节严重的，吊销许可证").
    pub when: Option<Cond>,
    /// Written as a kind keyword without 并处 (`拘留 10日 至 15日`): the
    /// kind; `name` then holds its canonical Chinese word.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<SanctionKind>,
    /// What it applies to: `暂扣 "安全生产许可证"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<Text>,
    /// Its period: `30日 至 60日`, `3个月`, `5日以下`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Where written.
    pub span: Span,
}

/// The period of a sanction as written: one length or a range phrase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Period {
    /// `30日`.
    Exact(Literal),
    /// `30日 至 60日`, `5日以下`.
    Range(RangePhrase),
}

/// `时效 2年 [当 条件]` — limitation period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limitation {
    /// The period (a quantity in 年, 月 or 天).
    pub period: Literal,
    /// When this period applies (e.g. harm to life, health or financial safety).
    pub when: Option<Cond>,
    /// The legal basis.
    pub basis: Option<Text>,
    /// Where written.
    pub span: Span,
}

/// An enforceable matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matter {
    /// The matter's code (e.g. `W-2-5`, `C11013000`).
    pub id: Ident,
    /// Its title (违法行为).
    pub name: Text,
    /// The body's entries in source order.
    pub entries: Vec<MatterEntry>,
    /// The whole matter.
    pub span: Span,
}

/// One entry of a matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum MatterEntry {
    /// `违法依据 "…"`.
    ViolationBasis(Text),
    /// `处罚依据 "…"`.
    PenaltyBasis(Text),
    /// `说明 "…"`.
    Note(Text),
    /// `边界 …` — this matter's own reading of 以上/以下.
    Boundaries(BoundariesDecl),
    /// `事实 { … }`.
    Facts(Vec<FactDecl>),
    /// `时效 …`.
    Limitation(Limitation),
    /// `法定 [自 D] [至 D] { … }` — the statutory sanctions (one per statute version).
    Statute(Statute),
    /// `阶次 …`.
    Grade(Grade),
    /// `权重 { … }`.
    Weighted(Weighted),
    /// A circumstance that applies to this matter only.
    Circumstance(Circumstance),
}

/// The statutory sanctions of a matter, in force from/to dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statute {
    /// First day this version is in force.
    pub from: Option<DateLit>,
    /// Last day this version is in force.
    pub to: Option<DateLit>,
    /// `依据 "…"` of this version.
    pub basis: Option<Text>,
    /// Its clauses.
    pub clauses: Vec<SanctionClause>,
    /// Where written.
    pub span: Span,
}

/// A grade (阶次) of a graded table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    /// Its label (`1`, `轻微`, `A`).
    pub id: Ident,
    /// Its description (`"轻微"`, `"情节较重"`).
    pub name: Option<Text>,
    /// When it applies.
    pub guard: Guard,
    /// Its sanctions.
    pub clauses: Vec<SanctionClause>,
    /// `说明 "…"` — the document's own wording or an interpretation.
    pub notes: Vec<Text>,
    /// `减轻` / `reduced` after the name: the document's 减轻处罚 row, whose
    /// range may lie below the statutory minimum.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reduced: bool,
    /// `集体讨论 "…"`: the amount is decided collectively (行政处罚法
    /// 第五十七条第二款), within the grade's fine or the statute's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collective: Option<CollectiveReview>,
    /// `参照 事项 5 阶次 严重`: the grade applies another matter's grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refer: Option<GradeRefer>,
    /// `依据 "…"` of the grade (e.g. the 裁量规则 article it applies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Text>,
    /// Where written.
    pub span: Span,
}

/// `参照 事项 X [阶次 Y]` in a grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeRefer {
    /// The matter referred to.
    pub matter: Ident,
    /// Its grade (`None`: the one with the referring grade's label).
    pub grade: Option<Ident>,
    /// Where written.
    pub span: Span,
}

/// `集体讨论 ["…"]` in a grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CollectiveReview {
    /// The document's own words (`由案审会讨论决定`).
    pub words: Option<Text>,
    /// Where written.
    pub span: Span,
}

/// A weighted (权重累加) model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weighted {
    /// `起始 10%` — the start weight.
    pub start: Option<Literal>,
    /// The factors.
    pub factors: Vec<Factor>,
    /// `上限 100%` — cap on the sum.
    pub cap: Option<Literal>,
    /// `下限 20%` — floor on the sum.
    pub floor: Option<Literal>,
    /// `乘以 …` — what the percentage multiplies (default: the statutory maximum).
    pub times: Option<WeightedBase>,
    /// Where written.
    pub span: Span,
}

/// What a weighted percentage multiplies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum WeightedBase {
    /// `法定上限` / `statutory_maximum`.
    StatutoryMaximum(Span),
    /// A base-relative amount or a fixed amount: `违法所得 5倍`, `10万`.
    Amount(FineExpr),
}

/// A factor of a weighted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// The factor's name.
    pub name: Ident,
    /// Its description.
    pub description: Option<Text>,
    /// Its levels, in source order.
    pub levels: Vec<FactorLevel>,
    /// Where written.
    pub span: Span,
}

/// One level of a factor: `["说明"] 当 条件: 5%`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorLevel {
    /// Its label.
    pub label: Option<Text>,
    /// When it applies.
    pub guard: Guard,
    /// Its weight (a percentage).
    pub weight: Literal,
    /// Where written.
    pub span: Span,
}

/// What a circumstance does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// 从轻.
    Lighter,
    /// 从重.
    Heavier,
    /// 减轻.
    Reduced,
    /// 从轻或者减轻.
    LighterOrReduced,
    /// 不予处罚.
    NoPenalty,
    /// 本档最高限度 / grade_maximum — the fine is the matched grade's upper
    /// end ("以该档次最高限度处罚").
    GradeMaximum,
    /// 本档较低限 / grade_minimum — the fine is the matched grade's lower end
    /// ("可按所在裁量档次的较低限处罚").
    GradeMinimum,
    /// 上调一个档次 / grade_up — punish in the next heavier grade; at the top
    /// grade, the statutory maximum ("已经是最高档次的，按最高处罚额度处罚").
    GradeUp,
}

impl Effect {
    /// Whether this is a within-grade adjustment (本档最高限度, 本档较低限,
    /// 上调一个档次): meaningful only for a matter with grades.
    pub fn is_grade_adjustment(self) -> bool {
        matches!(
            self,
            Effect::GradeMaximum | Effect::GradeMinimum | Effect::GradeUp
        )
    }
}

/// Which matters a circumstance or list item covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Scope {
    /// `适用 全部` — every matter (the default).
    All(Span),
    /// `适用 事项 A, B` / `事项 A, B`.
    Matters(Vec<Ident>, Span),
}

/// A circumstance (情节).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Circumstance {
    /// Its id.
    pub id: Ident,
    /// Its description.
    pub name: Option<Text>,
    /// 应当 or 可以.
    pub modality: Modality,
    /// What it does.
    pub effect: Effect,
    /// When it applies.
    pub when: Option<Cond>,
    /// The legal basis.
    pub basis: Option<Text>,
    /// Which matters it covers (None: all).
    pub scope: Option<Scope>,
    /// `义务 教育, 承诺书` — obligations when it applies.
    pub obligations: Vec<Text>,
    /// Where written.
    pub span: Span,
}

/// The kind of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ListKind {
    /// 不予处罚 / no_penalty.
    NoPenalty,
    /// 从轻 / lighter.
    Lighter,
    /// 减轻 / reduced.
    Reduced,
    /// 首违不罚 (首次轻微违法免予处罚) / first_offence.
    FirstOffence,
}

/// A list (清单).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListDecl {
    /// Its kind.
    pub kind: ListKind,
    /// Its id (optional; defaults to the kind).
    pub id: Option<Ident>,
    /// Its title.
    pub name: Text,
    /// `依据 "…"`.
    pub basis: Option<Text>,
    /// `应当` / `可以` before the items: the default for items.
    pub modality: Option<Modality>,
    /// `条件 …` — conditions every item shares.
    pub common: Option<Cond>,
    /// `不可增减` / `fixed` — lower bodies may not widen or narrow it.
    pub fixed: bool,
    /// `义务 …` — obligations when an item applies.
    pub obligations: Vec<Text>,
    /// The items.
    pub items: Vec<ListItem>,
    /// The document's own word for the kind when it is not the canonical
    /// one (`免予处罚`, `轻微免罚`, `首错免罚`), always in Chinese.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
    /// Where written.
    pub span: Span,
}

/// An item of a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem {
    /// Its number or label.
    pub id: Ident,
    /// Its wording.
    pub name: Text,
    /// The matters it covers.
    pub scope: Option<Scope>,
    /// Extra conditions.
    pub when: Option<Cond>,
    /// Overrides the list's modality.
    pub modality: Option<Modality>,
    /// Extra obligations.
    pub obligations: Vec<Text>,
    /// `依据 "…"`.
    pub basis: Option<Text>,
    /// `罚款 …` — the item's own range (减轻清单 “裁量幅度”).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fine: Option<ItemFine>,
    /// Where written.
    pub span: Span,
}

/// A list item's own fine (`罚款 { 当 当事人 = 个人: 200元以下; 其他: 1000元以下 }`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemFine {
    /// The fine.
    pub fine: FineExpr,
    /// Where written.
    pub span: Span,
}
