//! The recommendation an evaluation returns, and its stable JSON form
//! (`schema_version` 1, documented in `docs/recommendation.md`).
//!
//! Strings borrow from the ruleset (`'r`): building a recommendation
//! allocates nothing for names, bases or sanctions.

use super::range::{FineRange, ser_money, ser_opt_money};
use crate::model::OtherSanction;
use crate::source::Span;
use crate::syntax::ast::Modality;
use crate::value::Date;
use rust_decimal::Decimal;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

/// The JSON schema version of [`Recommendation`].
pub const SCHEMA_VERSION: u32 = 1;

/// What the evaluation concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 超过追责时效 (行政处罚法 第三十六条): no penalty may be given.
    TimeBarred,
    /// 不予行政处罚 (mandatory).
    NoPenalty,
    /// A discretionary exemption applies (可以不予处罚); the penalty that
    /// applies otherwise is reported too.
    MayWaive,
    /// A penalty.
    Penalty,
}

impl Outcome {
    /// Its Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::TimeBarred => "超过追责时效，不再给予行政处罚",
            Outcome::NoPenalty => "不予行政处罚",
            Outcome::MayWaive => "可以不予行政处罚",
            Outcome::Penalty => "给予行政处罚",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Outcome::TimeBarred => 1,
            Outcome::NoPenalty => 2,
            Outcome::MayWaive => 4,
            Outcome::Penalty => 8,
        }
    }
}

/// A set of outcomes (serialised as a list, lightest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutcomeSet(u8);

const ALL_OUTCOMES: [Outcome; 4] = [
    Outcome::TimeBarred,
    Outcome::NoPenalty,
    Outcome::MayWaive,
    Outcome::Penalty,
];

impl OutcomeSet {
    /// The set holding one outcome.
    pub fn one(o: Outcome) -> OutcomeSet {
        OutcomeSet(o.bit())
    }

    /// Every outcome.
    pub fn all() -> OutcomeSet {
        OutcomeSet(15)
    }

    /// Adds every outcome of `other`.
    pub fn union(self, other: OutcomeSet) -> OutcomeSet {
        OutcomeSet(self.0 | other.0)
    }

    /// Whether `o` is in the set.
    pub fn contains(self, o: Outcome) -> bool {
        self.0 & o.bit() != 0
    }

    /// The outcomes in the set, lightest first.
    pub fn iter(self) -> impl Iterator<Item = Outcome> {
        ALL_OUTCOMES.into_iter().filter(move |o| self.contains(*o))
    }

    /// The number of outcomes in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl Serialize for OutcomeSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for o in self.iter() {
            seq.serialize_element(&o)?;
        }
        seq.end()
    }
}

/// The recommended fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FineOut {
    /// The exact range.
    pub range: FineRange,
    /// The amount the document fixes, if it fixes one (weighted models,
    /// exact amounts, point bands).
    pub point: Option<Decimal>,
    /// `false` when the law says 可以处罚款: the fine itself is an option.
    pub mandatory: bool,
}

impl Serialize for FineOut {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct P(#[serde(serialize_with = "ser_opt_money")] Option<Decimal>);
        let mut st = s.serialize_struct("Fine", 6)?;
        st.serialize_field("lower", &P(Some(self.range.lower)))?;
        st.serialize_field("lower_inclusive", &self.range.lower_inclusive)?;
        st.serialize_field("upper", &P(self.range.upper))?;
        st.serialize_field("upper_inclusive", &self.range.upper_inclusive)?;
        st.serialize_field("point", &P(self.point))?;
        st.serialize_field("mandatory", &self.mandatory)?;
        st.end()
    }
}

/// A matter, by code and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MatterRef<'r> {
    /// Its code.
    pub id: &'r str,
    /// Its title.
    pub name: &'r str,
}

/// A grade, by label and description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GradeRef<'r> {
    /// Its label.
    pub id: &'r str,
    /// Its description.
    pub name: Option<&'r str>,
}

/// The statute version applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatuteRef<'r> {
    /// Index of the version in the matter's statutes.
    pub version: usize,
    /// Its legal basis.
    pub basis: Option<&'r str>,
    /// In force from.
    pub from: Option<Date>,
    /// In force to.
    pub to: Option<Date>,
}

/// Non-fine sanctions: the statute's and the grade's, borrowed from the
/// ruleset (plus any further ones gathered from an envelope).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sanctions<'r> {
    /// The statute's.
    pub statute: &'r [OtherSanction],
    /// The grade's.
    pub grade: &'r [OtherSanction],
    /// Further ones (envelopes over missing facts).
    pub extra: Vec<&'r OtherSanction>,
    /// The statute version applied: where a sanction's statutory period is read.
    pub source: Option<&'r crate::model::Statute>,
}

impl<'r> Sanctions<'r> {
    /// Every sanction, duplicates (same name and modality) removed, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'r OtherSanction> + '_ {
        let all = self
            .statute
            .iter()
            .chain(self.grade.iter())
            .chain(self.extra.iter().copied());
        all.enumerate()
            .filter(move |(i, s)| {
                let every = || {
                    self.statute
                        .iter()
                        .chain(self.grade.iter())
                        .chain(self.extra.iter().copied())
                };
                // A later one with a period (the grade's) supersedes an
                // earlier one of the same sanction (the statute's range).
                let from_statute = |x: &OtherSanction| {
                    self.source
                        .is_some_and(|st| st.others.iter().any(|y| std::ptr::eq(x, y)))
                };
                let superseded = s.period.is_some()
                    && from_statute(s)
                    && every()
                        .any(|t| t.period.is_some() && !from_statute(t) && t.same_sanction(s));
                !superseded
                    && !every().take(*i).any(|t| {
                        t.name == s.name
                            && t.modality == s.modality
                            && t.object == s.object
                            && t.period == s.period
                    })
            })
            .map(|(_, s)| s)
    }

    /// A sanction's periods: (recommended, statutory). The statutory period
    /// is the applied statute version's for the same sanction; the
    /// recommended one is the sanction's own period inside it (where days
    /// meet months they are not compared and the own period stands).
    pub fn periods(
        &self,
        s: &OtherSanction,
    ) -> (
        Option<crate::model::SanctionPeriod>,
        Option<crate::model::SanctionPeriod>,
    ) {
        let statutory = self.source.and_then(|st| {
            st.others
                .iter()
                .chain(st.one_of.iter().flat_map(|o| {
                    o.alternatives.iter().filter_map(|a| match a {
                        crate::model::Alternative::Other(x) => Some(x),
                        crate::model::Alternative::Fine(_) => None,
                    })
                }))
                .filter(|t| t.same_sanction(s))
                .find_map(|t| t.period)
        });
        let own = match (s.period, statutory) {
            (Some(p), Some(sp)) if p.commensurable(&sp) => p.within(&sp).or(Some(p)),
            (p, _) => p,
        };
        (own, statutory)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.statute.is_empty() && self.grade.is_empty() && self.extra.is_empty()
    }
}

impl Serialize for Sanctions<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Item<'a> {
            name: &'a str,
            modality: &'static str,
            needs_approval: bool,
            #[serde(skip_serializing_if = "Option::is_none")]
            kind: Option<&'static str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            object: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            period: Option<PeriodOut>,
            #[serde(skip_serializing_if = "Option::is_none")]
            statutory_period: Option<PeriodOut>,
        }
        let mut seq = s.serialize_seq(None)?;
        for x in self.iter() {
            let (period, statutory) = self.periods(x);
            seq.serialize_element(&Item {
                name: &x.name,
                modality: modality_str(x.modality),
                needs_approval: x.needs_approval,
                kind: x.kind.map(|k| k.en()),
                object: x.object.as_deref(),
                period: period.map(PeriodOut::from),
                statutory_period: statutory.map(PeriodOut::from),
            })?;
        }
        seq.end()
    }
}

/// A period in the JSON: exact decimal strings in `unit` (`day` or
/// `month`; 年 are given in months), ends with their inclusiveness, and the
/// text as a document writes it.
#[derive(Serialize)]
struct PeriodOut {
    unit: &'static str,
    lower: Option<String>,
    lower_inclusive: bool,
    upper: Option<String>,
    upper_inclusive: bool,
    text: String,
}

impl From<crate::model::SanctionPeriod> for PeriodOut {
    fn from(p: crate::model::SanctionPeriod) -> Self {
        PeriodOut {
            unit: if p.unit.dimension == crate::value::Dimension::Days {
                "day"
            } else {
                "month"
            },
            lower: p.range.lower.map(|b| b.value.normalize().to_string()),
            lower_inclusive: p.range.lower.is_some_and(|b| b.inclusive),
            upper: p.range.upper.map(|b| b.value.normalize().to_string()),
            upper_inclusive: p.range.upper.is_some_and(|b| b.inclusive),
            text: p.text(),
        }
    }
}

/// `must` / `may`.
pub fn modality_str(m: Modality) -> &'static str {
    match m {
        Modality::Shall => "must",
        Modality::May => "may",
    }
}

/// What a discretionary choice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceKind {
    /// 从轻.
    Lighter,
    /// 从重.
    Heavier,
    /// 减轻.
    Reduced,
    /// 不予处罚.
    NoPenalty,
    /// 可以处罚款: whether to fine at all.
    Fine,
    /// 可以并处 another sanction.
    Sanction,
    /// 可以按本档最高限度处罚.
    GradeMaximum,
    /// 可以按所在裁量档次的较低限处罚.
    GradeMinimum,
    /// 可以上调一个档次处罚.
    GradeUp,
    /// One alternative of a 择一 (`required`: exactly one must be chosen).
    OneOf,
}

impl ChoiceKind {
    /// Its Chinese wording.
    pub fn label(self) -> &'static str {
        match self {
            ChoiceKind::Lighter => "从轻处罚",
            ChoiceKind::Heavier => "从重处罚",
            ChoiceKind::Reduced => "减轻处罚",
            ChoiceKind::NoPenalty => "不予行政处罚",
            ChoiceKind::Fine => "处罚款",
            ChoiceKind::Sanction => "并处",
            ChoiceKind::GradeMaximum => "按本档最高限度处罚",
            ChoiceKind::GradeMinimum => "按所在裁量档次的较低限处罚",
            ChoiceKind::GradeUp => "上调一个档次处罚",
            ChoiceKind::OneOf => "择一",
        }
    }
}

/// A discretionary choice the officer still has (可以…).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice<'r> {
    /// What it is about.
    pub kind: ChoiceKind,
    /// The circumstance, list item or sanction it comes from.
    pub id: &'r str,
    /// Its description.
    pub name: Option<&'r str>,
    /// Its legal basis.
    pub basis: Option<&'r str>,
    /// The fine if the choice is taken (where it is about the fine).
    pub range: Option<FineRange>,
    /// `true` when the law requires one of several choices (应当从轻或者减轻).
    pub required: bool,
    /// Obligations that come with it (教育, 承诺书 …).
    pub obligations: &'r [String],
}

/// The reason of the judgement a grade decided by 集体讨论 adds (行政处罚法
/// 第五十七条第二款): the amount is the leaders', the range only its frame.
pub const COLLECTIVE_REVIEW: &str = "罚款数额由行政机关负责人集体讨论决定（行政处罚法 第五十七条第二款），系统只给出讨论的幅度，不代为确定数额";

/// A point where the ruleset leaves the result to the officer's judgement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judgement<'r> {
    /// Why (e.g. mixed 从轻 and 从重 under `情节竞合: 询问`).
    pub reason: &'static str,
    /// The candidates.
    pub candidates: Vec<Candidate<'r>>,
}

/// A candidate result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate<'r> {
    /// What it stands for (从轻, 从重, 一般 …).
    pub label: &'static str,
    /// The circumstances behind it.
    pub circumstances: Vec<&'r str>,
    /// Its fine.
    pub range: FineRange,
}

/// A warning for the officer or the ruleset's author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable code (`clamped`, `not_in_force`, `boundary_convention`, `zero_base` …).
    pub code: &'static str,
    /// What happened, in Chinese.
    pub message: std::borrow::Cow<'static, str>,
}

/// A fact value as read, for the trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactRead<'r> {
    /// The fact's name.
    pub name: &'r str,
    /// Its value as written in Chinese, `None` when missing.
    pub value: Option<String>,
}

/// One step of the justification trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceStep<'r> {
    /// What kind of rule (`limitation`, `no_penalty`, `grade`, `circumstance` …).
    pub kind: &'static str,
    /// The rule's id.
    pub rule: Option<&'r str>,
    /// Where it is written.
    pub span: Option<Span>,
    /// Its legal basis.
    pub basis: Option<&'r str>,
    /// The facts it read, with their values.
    pub facts: Vec<FactRead<'r>>,
    /// The fine range before the step.
    pub before: Option<FineRange>,
    /// The fine range after it.
    pub after: Option<FineRange>,
    /// A short explanation in Chinese.
    pub explanation: String,
}

/// The recommendation for one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation<'r> {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The ruleset's content hash.
    pub content_hash: &'r str,
    /// The matter evaluated.
    pub matter: MatterRef<'r>,
    /// The outcome (with missing facts: the heaviest possible one; see
    /// `possible_outcomes`).
    pub outcome: Outcome,
    /// Every outcome some completion of the facts would give.
    pub possible_outcomes: OutcomeSet,
    /// The fine (`None`: no fine).
    pub fine: Option<FineOut>,
    /// The statutory range in force.
    pub statutory_range: Option<FineRange>,
    /// The statute version applied.
    pub statute: Option<StatuteRef<'r>>,
    /// The grade selected.
    pub grade: Option<GradeRef<'r>>,
    /// The document's word for what the grade (or list item) decided where
    /// it is not an ordinary penalty: `不予处罚` / `免予处罚` (a no-penalty
    /// grade), `减轻处罚` (a grade marked 减轻 or a 减轻 list item's range).
    pub decision: Option<&'r str>,
    /// With missing facts: every grade some completion would select.
    pub possible_grades: Vec<GradeRef<'r>>,
    /// The weighted model's percentage (as a factor, 0.45 for 45 %).
    pub score: Option<Decimal>,
    /// Non-fine sanctions (must / may).
    pub sanctions: Sanctions<'r>,
    /// Every discretionary choice left to the officer.
    pub options: Vec<Choice<'r>>,
    /// The mandatory grounds that decided a `no_penalty` outcome (list items
    /// and circumstances, with their legal basis), trace or not.
    pub grounds: Vec<Choice<'r>>,
    /// Results left to the officer's judgement, with candidates.
    pub needs_judgement: Vec<Judgement<'r>>,
    /// Obligations (教育, 承诺书 …).
    pub obligations: Vec<&'r str>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// Facts whose values would narrow the result.
    pub missing_facts: Vec<&'r str>,
    /// Other matters for the same act (第二十九条), with their results.
    pub alternatives: Vec<Recommendation<'r>>,
    /// The trace, when asked for.
    pub trace: Option<Vec<TraceStep<'r>>>,
}

impl Serialize for Recommendation<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Score(#[serde(serialize_with = "ser_money")] Decimal);
        let mut st = s.serialize_struct("Recommendation", 22)?;
        st.serialize_field("schema_version", &self.schema_version)?;
        st.serialize_field("content_hash", self.content_hash)?;
        st.serialize_field("matter", &self.matter)?;
        st.serialize_field("outcome", &self.outcome)?;
        st.serialize_field("possible_outcomes", &self.possible_outcomes)?;
        st.serialize_field("fine", &self.fine)?;
        st.serialize_field("statutory_range", &self.statutory_range)?;
        st.serialize_field("statute", &self.statute)?;
        st.serialize_field("grade", &self.grade)?;
        st.serialize_field("decision", &self.decision)?;
        st.serialize_field("possible_grades", &self.possible_grades)?;
        st.serialize_field("score", &self.score.map(Score))?;
        st.serialize_field("sanctions", &self.sanctions)?;
        st.serialize_field("grounds", &self.grounds)?;
        st.serialize_field("options", &self.options)?;
        st.serialize_field("needs_judgement", &self.needs_judgement)?;
        st.serialize_field("obligations", &self.obligations)?;
        st.serialize_field("warnings", &self.warnings)?;
        st.serialize_field("missing_facts", &self.missing_facts)?;
        st.serialize_field("alternatives", &self.alternatives)?;
        st.serialize_field("trace", &self.trace)?;
        st.end()
    }
}

impl<'r> Recommendation<'r> {
    /// An empty recommendation for `matter` with outcome `outcome`.
    pub fn new(content_hash: &'r str, matter: MatterRef<'r>, outcome: Outcome) -> Self {
        Recommendation {
            schema_version: SCHEMA_VERSION,
            content_hash,
            matter,
            outcome,
            possible_outcomes: OutcomeSet::one(outcome),
            fine: None,
            statutory_range: None,
            statute: None,
            grade: None,
            decision: None,
            possible_grades: Vec::new(),
            score: None,
            sanctions: Sanctions::default(),
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

    /// Whether the result depends on facts not given.
    pub fn is_envelope(&self) -> bool {
        !self.missing_facts.is_empty()
    }

    /// The JSON form (one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The JSON form, pretty-printed.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Whether a warning with this code was given.
    pub fn has_warning(&self, code: &str) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }
}
