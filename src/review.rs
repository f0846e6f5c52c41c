//! 案卷评查 (case-file review): were decided cases within the benchmark?
//!
//! A supervisor (or a case system, before a decision is signed) gives the
//! facts of each decided case and what was decided; every case is evaluated
//! against the ruleset and the decision is judged against the
//! recommendation. Pure: no I/O, no panics.
//!
//! A review file mirrors a scenario file, with `决定` (what was decided) in
//! place of `期望`:
//!
//! ```yaml
//! 规则集: food-safety-law-124.rules      # relative to this file
//! 案卷:
//! - 案号: 某市监罚〔2024〕12号
//!   事项: SP124
//!   事实: { 货值金额: 5000元 }
//!   日期: { 违法行为发生日: 2024-03-01, 决定日: 2024-07-01 }
//!   决定: { 罚款: 6万 }                 # 结论: 处罚 | 不予处罚 | 免予处罚
//! ```
//!
//! English keys work too (`ruleset`, `cases`, `id`, `matter`, `facts`,
//! `dates`, `decided: { outcome: penalty | no_penalty, fine: 60000 }`).
//!
//! **What is judged.** The decided outcome (处罚 or not) and the fine, exactly,
//! against the recommended range, the choices the benchmark leaves to the
//! officer (从轻 / 减轻 / 可以不予 …, each with its range) and the statutory
//! range; where the file lists them (`其他`), the other sanctions of 第九条
//! kinds: not provided, 应当 but missing, a period outside the benchmark's.
//!
//! **Missing facts.** The recommendation is then the envelope of every
//! completion of the facts; a decision outside it is a finding for certain,
//! one inside it is [`Verdict::Undetermined`] with the facts that would
//! settle it.

use crate::case::{CaseFile, Location, MatterIds, RawDates, case_file, loc};
use crate::eval::{ChoiceKind, FineRange, Outcome, Recommendation, render};
use crate::model::SanctionPeriod;
use crate::numeral::parse_money;
use crate::syntax::ast::Modality;
use crate::syntax::ast::SanctionKind;
use crate::value::{Dimension, Unit};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// What was decided in a case, as the case file states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    /// Whether a penalty was given.
    pub outcome: DecidedOutcome,
    /// The document's word for the outcome (`不予处罚`, `免予处罚` …), when written.
    pub word: Option<String>,
    /// The fine imposed (`None`: no fine).
    pub fine: Option<Decimal>,
    /// The other sanctions imposed, as the decision words them (`警告`,
    /// `暂扣安全生产许可证30日`); `None` when the file does not say (they are
    /// then not judged).
    pub others: Option<Vec<String>>,
}

/// Whether a penalty was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecidedOutcome {
    /// 给予行政处罚 (a fine, a warning, …).
    Penalty,
    /// 不予（免予）行政处罚.
    NoPenalty,
}

/// One decided case of a review file, not yet resolved against a ruleset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewCase {
    /// 案号 (or the entry's position when the file gives none).
    pub id: String,
    /// Where the entry starts.
    pub at: Option<Location>,
    /// Facts, matters and dates as written.
    pub case: CaseFile,
    /// What was decided.
    pub decided: Decided,
}

/// A review file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFile {
    /// The ruleset the file names (relative to the file), if it names one.
    pub ruleset: Option<String>,
    /// The decided cases.
    pub cases: Vec<ReviewCase>,
}

/// What is wrong with a review file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// Not valid YAML/JSON or not shaped like a review file.
    #[error("评查文件格式错误{}：{message}", at_text(.at))]
    Syntax {
        /// What the reader said.
        message: String,
        /// Where.
        at: Option<Location>,
    },
    /// A decided fine that is not an amount of money.
    #[error("案卷“{case}”的决定罚款“{found}”无效{}：应为金额，如 6万、60000、1,200.50元", at_text(.at))]
    BadFine {
        /// 案号.
        case: String,
        /// As written.
        found: String,
        /// Where.
        at: Option<Location>,
    },
    /// An outcome word not understood.
    #[error("案卷“{case}”的决定结论“{found}”无效{}：应为 处罚、不予处罚 或 免予处罚（penalty / no_penalty）", at_text(.at))]
    BadOutcome {
        /// 案号.
        case: String,
        /// As written.
        found: String,
        /// Where.
        at: Option<Location>,
    },
    /// A decision that states neither outcome nor fine.
    #[error("案卷“{case}”的决定未写明结论或罚款{}：写 罚款: 金额，或 结论: 处罚 / 不予处罚", at_text(.at))]
    EmptyDecision {
        /// 案号.
        case: String,
        /// Where.
        at: Option<Location>,
    },
    /// A no-penalty decision with a fine or another penalty.
    #[error("案卷“{case}”的决定自相矛盾{}：结论为{word}却写有罚款或其他行政处罚", at_text(.at))]
    FineWithoutPenalty {
        /// 案号.
        case: String,
        /// The outcome word.
        word: String,
        /// Where.
        at: Option<Location>,
    },
}

fn at_text(at: &Option<Location>) -> String {
    at.map(|l| format!("（{l}）")).unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default, alias = "规则集")]
    ruleset: Option<String>,
    #[serde(alias = "案卷")]
    cases: Vec<Spanned<RawCase>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    #[serde(default, alias = "案号", alias = "name", alias = "名称")]
    id: Option<String>,
    #[serde(default, alias = "说明")]
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(alias = "事项")]
    matter: Spanned<MatterIds>,
    #[serde(default, alias = "事实")]
    facts: BTreeMap<String, Spanned<Option<String>>>,
    #[serde(default, alias = "日期")]
    dates: RawDates,
    #[serde(alias = "决定")]
    decided: Spanned<RawDecided>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecided {
    #[serde(default, alias = "结论")]
    outcome: Option<Spanned<String>>,
    #[serde(default, alias = "罚款")]
    fine: Option<Spanned<String>>,
    #[serde(default, alias = "其他", alias = "其他处罚")]
    others: Option<Vec<String>>,
}

/// Reads a review file.
///
/// # Errors
/// [`ReviewError`] with the place of the error (unknown keys included).
pub fn parse(text: &str) -> Result<ReviewFile, ReviewError> {
    let raw: RawFile = serde_saphyr::from_str(text).map_err(|e| ReviewError::Syntax {
        message: e.to_string(),
        at: e.location().as_ref().and_then(loc),
    })?;
    let mut cases = Vec::with_capacity(raw.cases.len());
    for (i, c) in raw.cases.into_iter().enumerate() {
        let at = loc(&c.referenced);
        let r = c.value;
        let id = r.id.unwrap_or_else(|| format!("第{}件", i + 1));
        let decided = decided(&id, r.decided)?;
        cases.push(ReviewCase {
            at,
            case: case_file(Some(r.matter), r.facts, r.dates),
            decided,
            id,
        });
    }
    Ok(ReviewFile {
        ruleset: raw.ruleset,
        cases,
    })
}

fn decided(id: &str, d: Spanned<RawDecided>) -> Result<Decided, ReviewError> {
    let at = loc(&d.referenced);
    let d = d.value;
    let fine = match d.fine {
        None => None,
        Some(f) => Some(
            parse_money(&f.value)
                .filter(|x| !x.is_sign_negative() || x.is_zero())
                .ok_or_else(|| ReviewError::BadFine {
                    case: id.to_string(),
                    found: f.value.clone(),
                    at: loc(&f.referenced),
                })?,
        ),
    };
    let (outcome, word) = match &d.outcome {
        None => (DecidedOutcome::Penalty, None),
        Some(o) => {
            let w = o.value.trim();
            let outcome = match w {
                "处罚" | "给予处罚" | "给予行政处罚" | "行政处罚" | "penalty" => {
                    DecidedOutcome::Penalty
                }
                "不予处罚" | "不予行政处罚" | "免予处罚" | "免予行政处罚" | "免罚"
                | "no_penalty" => DecidedOutcome::NoPenalty,
                _ => {
                    return Err(ReviewError::BadOutcome {
                        case: id.to_string(),
                        found: o.value.clone(),
                        at: loc(&o.referenced),
                    });
                }
            };
            (outcome, Some(w.to_string()))
        }
    };
    if outcome == DecidedOutcome::NoPenalty && fine.is_some_and(|f| !f.is_zero()) {
        return Err(ReviewError::FineWithoutPenalty {
            case: id.to_string(),
            word: word.unwrap_or_default(),
            at,
        });
    }
    if outcome == DecidedOutcome::NoPenalty
        && d.others
            .as_ref()
            .is_some_and(|o| o.iter().any(|x| sanction_kind(x).is_some()))
    {
        return Err(ReviewError::FineWithoutPenalty {
            case: id.to_string(),
            word: word.unwrap_or_default(),
            at,
        });
    }
    if d.outcome.is_none() && fine.is_none() && d.others.is_none() {
        return Err(ReviewError::EmptyDecision {
            case: id.to_string(),
            at,
        });
    }
    Ok(Decided {
        outcome,
        word,
        fine: fine.filter(|f| !f.is_zero()),
        others: d.others,
    })
}

/// The judgement of one decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Within the benchmark's recommendation.
    Within,
    /// Within a choice the benchmark leaves to the officer (从轻, 减轻,
    /// 可以不予处罚, a candidate left to judgement); the file must state why.
    WithinDiscretion,
    /// Inside the envelope of a case with missing facts: cannot be settled.
    Undetermined,
    /// A fine above the benchmark's range (still within the statute).
    AboveBenchmark,
    /// A fine below the benchmark's range and every choice it leaves
    /// (still within the statute).
    BelowBenchmark,
    /// A fine outside the statutory range in force.
    OutsideStatute,
    /// A penalty where the benchmark says no penalty may be given
    /// (不予处罚, 超过追责时效).
    PenaltyNotAllowed,
    /// No penalty where the benchmark gives one and leaves no exemption.
    PenaltyRequired,
    /// No fine where the benchmark requires one (应当处罚款).
    FineRequired,
    /// A fine where the benchmark gives none.
    FineNotProvided,
    /// A 第九条 sanction kind (警告, 暂扣, 吊销 …) the benchmark does not
    /// give for the case, neither as 应当 nor as 可以.
    SanctionNotProvided,
    /// A sanction the benchmark makes mandatory (应当) that was not imposed.
    SanctionMissing,
    /// A sanction's period (暂扣30日, 拘留10日, 停业整顿3个月) outside the
    /// benchmark's period for the case.
    PeriodOutside,
}

impl Verdict {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Within => "within",
            Verdict::WithinDiscretion => "within_discretion",
            Verdict::Undetermined => "undetermined",
            Verdict::AboveBenchmark => "above_benchmark",
            Verdict::BelowBenchmark => "below_benchmark",
            Verdict::OutsideStatute => "outside_statute",
            Verdict::PenaltyNotAllowed => "penalty_not_allowed",
            Verdict::PenaltyRequired => "penalty_required",
            Verdict::FineRequired => "fine_required",
            Verdict::FineNotProvided => "fine_not_provided",
            Verdict::SanctionNotProvided => "sanction_not_provided",
            Verdict::SanctionMissing => "sanction_missing",
            Verdict::PeriodOutside => "period_outside",
        }
    }

    /// Its Chinese wording.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Within => "适当：在裁量基准内",
            Verdict::WithinDiscretion => "适当：属基准留给执法人员的选择（案卷应载明理由）",
            Verdict::Undetermined => "无法判断：事实不全",
            Verdict::AboveBenchmark => "高于裁量基准",
            Verdict::BelowBenchmark => "低于裁量基准",
            Verdict::OutsideStatute => "超出法定罚款幅度",
            Verdict::PenaltyNotAllowed => "不应处罚而处罚",
            Verdict::PenaltyRequired => "应予处罚而未处罚",
            Verdict::FineRequired => "应当罚款而未罚款",
            Verdict::FineNotProvided => "基准未设罚款而处罚款",
            Verdict::SanctionNotProvided => "基准未设该处罚种类",
            Verdict::SanctionMissing => "应当并处而未处",
            Verdict::PeriodOutside => "处罚期限超出基准",
        }
    }

    /// Whether the decision departs from the benchmark (a finding).
    pub fn is_finding(self) -> bool {
        !matches!(
            self,
            Verdict::Within | Verdict::WithinDiscretion | Verdict::Undetermined
        )
    }
}

/// A decision judged against the recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The verdict on the outcome and the fine.
    pub verdict: Verdict,
    /// Why, in the ruleset's terms: the decided fine, the range it was
    /// compared with, the grade and the choice it fell in.
    pub reason: String,
    /// Findings on the other sanctions (when the file lists them).
    pub sanctions: Vec<SanctionFinding>,
}

impl Judged {
    /// Whether anything departs from the benchmark.
    pub fn is_finding(&self) -> bool {
        self.verdict.is_finding() || !self.sanctions.is_empty()
    }
}

/// A finding on one sanction other than the fine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SanctionFinding {
    /// [`Verdict::SanctionNotProvided`] or [`Verdict::SanctionMissing`].
    pub verdict: Verdict,
    /// The verdict in Chinese.
    pub label: &'static str,
    /// The sanction, as decided or as the benchmark words it.
    pub sanction: String,
    /// Why.
    pub reason: String,
}

/// The 第九条 kind a decision's wording names (`警告`, `给予警告`,
/// `暂扣安全生产许可证30日`, `责令停产停业`), by its longest leading word.
pub fn sanction_kind(text: &str) -> Option<SanctionKind> {
    let t = text.trim();
    let t = ["并处", "并予以", "给予", "予以", "处以", "处"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t);
    SanctionKind::ALL
        .iter()
        .flat_map(|(k, zh, _, more)| {
            std::iter::once((*k, *zh)).chain(more.iter().map(move |w| (*k, *w)))
        })
        .filter(|(_, w)| t.starts_with(w))
        .max_by_key(|(_, w)| w.len())
        .map(|(k, _)| k)
}

/// The period a decision's wording ends with (`暂扣安全生产许可证30日`,
/// `拘留十日`, `责令停业整顿3个月`, `停止招生1年`), in its unit.
fn decided_period(text: &str) -> Option<(Decimal, Unit)> {
    let t = text.trim();
    let (rest, unit) = ["个月", "月", "日", "天", "年"]
        .iter()
        .find_map(|u| t.strip_suffix(u).map(|r| (r, *u)))?;
    let digits: String = rest
        .chars()
        .rev()
        .take_while(|c| {
            c.is_ascii_digit() || *c == '.' || "〇零一二两三四五六七八九十百".contains(*c)
        })
        .collect::<Vec<char>>()
        .into_iter()
        .rev()
        .collect();
    let value = crate::numeral::parse_numeral(&digits)?;
    Some((value, Unit::parse(unit)?))
}

/// The other sanctions decided, against those the recommendation gives
/// (应当 or 可以, conditional ones as the facts decide them, 择一 options).
/// Only 第九条 kinds are judged: labels (没收违法所得, 责令改正) are orders
/// or confiscations the law requires anyway, worded too freely to match.
fn judge_sanctions(rec: &Recommendation<'_>, decided: &[String]) -> Vec<SanctionFinding> {
    let given: Vec<(SanctionKind, bool, String, Option<SanctionPeriod>)> = rec
        .sanctions
        .iter()
        .filter_map(|x| {
            let kind = x.kind.or_else(|| sanction_kind(&x.name))?;
            let period = rec.sanctions.periods(x).0;
            Some((
                kind,
                x.modality == Modality::Shall,
                x.display.clone(),
                period,
            ))
        })
        .chain(rec.options.iter().filter_map(|o| {
            matches!(o.kind, ChoiceKind::Sanction | ChoiceKind::OneOf)
                .then(|| sanction_kind(o.id))
                .flatten()
                .map(|k| (k, false, o.id.to_string(), None))
        }))
        .collect();
    let decided_kinds: Vec<(SanctionKind, &String)> = decided
        .iter()
        .filter_map(|d| sanction_kind(d).map(|k| (k, d)))
        .collect();
    let mut out = Vec::new();
    for (k, text) in &decided_kinds {
        // A period the decision names, against the benchmark's for the kind.
        let periods: Vec<&SanctionPeriod> = given
            .iter()
            .filter(|(g, ..)| g == k)
            .filter_map(|(.., p)| p.as_ref())
            .collect();
        if let (Some((value, unit)), false) = (decided_period(text), periods.is_empty()) {
            let comparable: Vec<&&SanctionPeriod> = periods
                .iter()
                .filter(|p| p.unit.dimension == unit.dimension)
                .collect();
            let base = if unit.dimension == Dimension::Days {
                Unit::parse("天")
            } else {
                Unit::parse("月")
            };
            let x = base.and_then(|b| unit.convert(value, b));
            if let (Some(x), false) = (x, comparable.is_empty()) {
                if !comparable.iter().any(|p| p.range.contains(x)) {
                    let shown: Vec<String> = comparable.iter().map(|p| p.text()).collect();
                    out.push(SanctionFinding {
                        verdict: Verdict::PeriodOutside,
                        label: Verdict::PeriodOutside.label(),
                        sanction: (*text).clone(),
                        reason: format!("基准期限为{}", shown.join("或")),
                    });
                }
            }
        }
        if !given.iter().any(|(g, ..)| g == k) {
            out.push(SanctionFinding {
                verdict: Verdict::SanctionNotProvided,
                label: Verdict::SanctionNotProvided.label(),
                sanction: (*text).clone(),
                reason: format!("基准对本案未设“{}”（应当与可以的处罚均无此种类）", k.zh()),
            });
        }
    }
    let mut missing: Vec<&String> = Vec::new();
    for (k, shall, display, _) in &given {
        if *shall && !decided_kinds.iter().any(|(d, _)| d == k) && !missing.contains(&display) {
            missing.push(display);
            out.push(SanctionFinding {
                verdict: Verdict::SanctionMissing,
                label: Verdict::SanctionMissing.label(),
                sanction: display.clone(),
                reason: format!("基准应当并处“{display}”，决定未载明"),
            });
        }
    }
    out
}

fn possible(rec: &Recommendation<'_>, o: Outcome) -> bool {
    rec.outcome == o || rec.possible_outcomes.contains(o)
}

fn choice_text(kind: ChoiceKind, name: Option<&str>, id: &str) -> String {
    match kind {
        ChoiceKind::Sanction | ChoiceKind::Fine => kind.label().to_string(),
        _ => format!("{}（{}）", kind.label(), name.unwrap_or(id)),
    }
}

fn grade_text(rec: &Recommendation<'_>) -> String {
    match rec.grade {
        Some(g) => match g.name {
            Some(n) => format!("阶次 {}“{n}”", g.id),
            None => format!("阶次 {}", g.id),
        },
        None => String::new(),
    }
}

/// Judges a decision against the recommendation for its case: the outcome
/// and the fine, and, where the file lists them, the other sanctions.
///
/// Exact: amounts are compared as decimals, ends by their inclusion.
pub fn judge(rec: &Recommendation<'_>, decided: &Decided) -> Judged {
    let mut j = judge_outcome_and_fine(rec, decided);
    let penalty = matches!(
        j.verdict,
        Verdict::Within
            | Verdict::WithinDiscretion
            | Verdict::AboveBenchmark
            | Verdict::BelowBenchmark
            | Verdict::OutsideStatute
            | Verdict::FineRequired
            | Verdict::FineNotProvided
    );
    // With missing facts the sanctions of one completion are not the case's.
    if let (Some(others), true, true) = (
        &decided.others,
        decided.outcome == DecidedOutcome::Penalty && penalty,
        rec.missing_facts.is_empty(),
    ) {
        j.sanctions = judge_sanctions(rec, others);
    }
    j
}

fn judge_outcome_and_fine(rec: &Recommendation<'_>, decided: &Decided) -> Judged {
    let incomplete = !rec.missing_facts.is_empty();
    let missing = || format!("；补充事实可确定：{}", rec.missing_facts.join("、"));
    let penalty_possible = possible(rec, Outcome::Penalty) || possible(rec, Outcome::MayWaive);
    let exemption_possible = possible(rec, Outcome::NoPenalty)
        || possible(rec, Outcome::TimeBarred)
        || possible(rec, Outcome::MayWaive)
        || rec
            .options
            .iter()
            .any(|o| matches!(o.kind, ChoiceKind::NoPenalty));
    let judged = |verdict, reason: String| Judged {
        verdict,
        reason,
        sanctions: Vec::new(),
    };

    if decided.outcome == DecidedOutcome::NoPenalty {
        if !penalty_possible {
            return judged(
                Verdict::Within,
                format!("基准结论：{}", rec.outcome.label()),
            );
        }
        if !exemption_possible {
            let fine = rec
                .fine
                .map(|f| format!("，罚款 {}", render::range_text(&f.range)))
                .unwrap_or_default();
            return judged(
                Verdict::PenaltyRequired,
                format!(
                    "基准结论：{}{fine}，且无不予处罚的情形",
                    rec.outcome.label()
                ),
            );
        }
        if incomplete && !possible(rec, Outcome::MayWaive) && rec.options.is_empty() {
            return judged(
                Verdict::Undetermined,
                format!("是否属于不予处罚情形取决于尚未提供的事实{}", missing()),
            );
        }
        let why = rec
            .options
            .iter()
            .find(|o| matches!(o.kind, ChoiceKind::NoPenalty))
            .map(|o| choice_text(o.kind, o.name, o.id))
            .unwrap_or_else(|| Outcome::MayWaive.label().to_string());
        return if incomplete {
            judged(
                Verdict::Undetermined,
                format!("{why}取决于尚未提供的事实{}", missing()),
            )
        } else {
            judged(Verdict::WithinDiscretion, format!("基准：{why}"))
        };
    }

    // A penalty was given.
    if !penalty_possible {
        return judged(
            Verdict::PenaltyNotAllowed,
            format!("基准结论：{}", rec.outcome.label()),
        );
    }
    let grade = grade_text(rec);
    let grade = if grade.is_empty() {
        grade
    } else {
        format!("（{grade}）")
    };
    let Some(fine) = rec.fine else {
        return match decided.fine {
            None => judged(Verdict::Within, "基准无罚款，决定未处罚款".to_string()),
            Some(x) if rec.statute.is_none() => judged(
                Verdict::Undetermined,
                format!(
                    "决定罚款 {}；本规则集未载明该事项的法定罚款，无从比较",
                    render::money_text(x)
                ),
            ),
            Some(x) => judged(
                Verdict::FineNotProvided,
                format!("决定罚款 {}；基准{grade}不设罚款", render::money_text(x)),
            ),
        };
    };
    let Some(x) = decided.fine else {
        return if !fine.mandatory {
            judged(
                Verdict::Within,
                "决定未处罚款；基准的罚款为“可以”，不罚款在裁量之内".to_string(),
            )
        } else if !exemption_possible {
            judged(
                Verdict::FineRequired,
                format!("决定未处罚款；{}，应当罚款", benchmark(&fine.range, &grade)),
            )
        } else if incomplete {
            judged(
                Verdict::Undetermined,
                format!(
                    "决定未处罚款；是否可以不予处罚取决于尚未提供的事实{}",
                    missing()
                ),
            )
        } else {
            judged(
                Verdict::WithinDiscretion,
                format!(
                    "决定未处罚款；基准{}，不罚款在裁量之内",
                    Outcome::MayWaive.label()
                ),
            )
        };
    };
    let decided_text = format!("决定罚款 {}", render::money_text(x));
    let range = fine.range;
    if range.contains(x) {
        return if incomplete {
            judged(
                Verdict::Undetermined,
                format!(
                    "{decided_text}，在所有可能情形的幅度 {} 内{}",
                    render::range_text(&range),
                    missing()
                ),
            )
        } else {
            judged(
                Verdict::Within,
                format!("{decided_text}，{}", benchmark(&range, &grade)),
            )
        };
    }
    // Outside the recommendation: a choice the officer may take?
    let chosen = rec
        .options
        .iter()
        .find(|o| o.range.is_some_and(|r| r.contains(x)))
        .map(|o| choice_text(o.kind, o.name, o.id))
        .or_else(|| {
            rec.needs_judgement.iter().find_map(|j| {
                j.candidates
                    .iter()
                    .find(|c| c.range.contains(x))
                    .map(|c| format!("需综合判断的候选“{}”", c.label))
            })
        });
    if let Some(choice) = chosen {
        let verdict = if incomplete {
            Verdict::Undetermined
        } else {
            Verdict::WithinDiscretion
        };
        let tail = if incomplete { missing() } else { String::new() };
        return judged(
            verdict,
            format!(
                "{decided_text}，不在{} 内，但在{choice}的幅度内{tail}",
                benchmark(&range, &grade)
            ),
        );
    }
    if let Some(s) = rec.statutory_range.filter(|s| !s.contains(x)) {
        return judged(
            Verdict::OutsideStatute,
            format!(
                "{decided_text}，超出法定幅度 {}（{}）",
                render::range_text(&s),
                benchmark(&range, &grade)
            ),
        );
    }
    let above = range.upper.is_some_and(|u| above_upper(&range, u, x));
    let (verdict, word) = if above {
        (Verdict::AboveBenchmark, "高于")
    } else {
        (Verdict::BelowBenchmark, "低于")
    };
    judged(
        verdict,
        format!("{decided_text}，{word}{}", benchmark(&range, &grade)),
    )
}

/// `基准幅度（阶次 1“一般”） 10万元至40万元`, or `基准金额 12.5万元` for one amount.
fn benchmark(range: &FineRange, grade: &str) -> String {
    let what = if range.as_point().is_some() {
        "基准金额"
    } else {
        "基准幅度"
    };
    format!("{what}{grade} {}", render::range_text(range))
}

fn above_upper(r: &FineRange, u: Decimal, x: Decimal) -> bool {
    x > u || (x == u && !r.upper_inclusive)
}

/// One reviewed case, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reviewed {
    /// 案号.
    pub id: String,
    /// The line of the entry in the review file.
    pub line: Option<u32>,
    /// The matter evaluated (id).
    pub matter: String,
    /// The verdict's stable code.
    pub verdict: Verdict,
    /// The verdict in Chinese.
    pub label: &'static str,
    /// Why.
    pub reason: String,
    /// Findings on the other sanctions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sanctions: Vec<SanctionFinding>,
}

impl Reviewed {
    /// Whether anything departs from the benchmark.
    pub fn is_finding(&self) -> bool {
        self.verdict.is_finding() || !self.sanctions.is_empty()
    }
}

/// Judges one decided case: resolves it against the ruleset, evaluates it
/// with `evaluate` (an [`crate::eval::Evaluator`] or [`crate::eval::evaluate`])
/// and judges the decision.
///
/// # Errors
/// The case's own error (unknown matter or fact, wrong value …), as text.
pub fn review_case<'r>(
    ruleset: &'r crate::model::Ruleset,
    rc: &ReviewCase,
    evaluate: impl FnOnce(&crate::case::Case) -> Result<Recommendation<'r>, crate::case::CaseError>,
) -> Result<Reviewed, crate::case::CaseError> {
    let case = rc.case.resolve(ruleset)?;
    let rec = evaluate(&case)?;
    let j = judge(&rec, &rc.decided);
    Ok(Reviewed {
        id: rc.id.clone(),
        line: rc.at.map(|l| l.line),
        matter: rec.matter.id.to_string(),
        verdict: j.verdict,
        label: j.verdict.label(),
        reason: j.reason,
        sanctions: j.sanctions,
    })
}

#[cfg(test)]
mod tests;
