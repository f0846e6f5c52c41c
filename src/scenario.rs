//! Scenario files: worked cases kept as tests (docs/SCENARIOS.md).
//!
//! Reading a scenario file and checking its cases against a ruleset is pure;
//! the CLI (`cailiang test`) finds the files, loads the rulesets and prints.

use crate::case::{CaseError, CaseFile, Location, MatterIds, RawDates, case_file, loc};
use crate::eval::{EvalOptions, FineRange, Outcome, Recommendation, evaluate};
use crate::model::Ruleset;
use crate::numeral::parse_money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

pub mod coverage;

/// A scenario file as written.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    /// The ruleset, relative to the scenario file.
    pub ruleset: String,
    /// The cases.
    pub cases: Vec<Scenario>,
}

/// One worked case.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its name (usually the sentence of the document it rests on).
    pub name: String,
    /// Where it starts in the file.
    pub at: Option<Location>,
    /// The case.
    pub case: CaseFile,
    /// What the result must be.
    pub expect: Expect,
}

/// Expectations; every one is optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `penalty`, `no_penalty`, `may_waive`, `time_barred`.
    #[serde(default, alias = "结论", skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The grade id.
    #[serde(default, alias = "阶次", skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// The fine range (`"[10万, 20万)"`) or `none`.
    #[serde(default, alias = "罚款", skip_serializing_if = "Option::is_none")]
    pub fine: Option<String>,
    /// The point value.
    #[serde(default, alias = "罚款金额", skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
    /// The statutory range in force.
    #[serde(default, alias = "法定幅度", skip_serializing_if = "Option::is_none")]
    pub statutory: Option<String>,
    /// Texts each contained in some option.
    #[serde(default, alias = "选项", skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Codes or texts of warnings.
    #[serde(default, alias = "提示", skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Texts each contained in some obligation.
    #[serde(default, alias = "义务", skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<String>,
    /// Facts reported as missing.
    #[serde(default, alias = "缺少事实", skip_serializing_if = "Vec::is_empty")]
    pub missing_facts: Vec<String>,
    /// Whether mixed circumstances are left to the officer.
    #[serde(default, alias = "需要判断", skip_serializing_if = "Option::is_none")]
    pub needs_judgement: Option<bool>,
    /// Texts each appearing in the trace.
    #[serde(default, alias = "过程包含", skip_serializing_if = "Vec::is_empty")]
    pub trace_contains: Vec<String>,
    /// Texts each contained in some ground of a no-penalty outcome.
    #[serde(default, alias = "理由", skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<String>,
    /// Texts each contained in some other sanction.
    #[serde(default, alias = "其他处罚", skip_serializing_if = "Vec::is_empty")]
    pub sanctions: Vec<String>,
}

/// What is wrong with a scenario file or a case in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Not valid YAML or not shaped like a scenario file.
    #[error("场景文件格式错误{}：{message}", .at.map(|l| format!("（{l}）")).unwrap_or_default())]
    Syntax {
        /// What the reader said.
        message: String,
        /// Where.
        at: Option<Location>,
    },
    /// An expectation that cannot be read (a range, an outcome).
    #[error("期望值“{value}”无法理解：{hint}")]
    BadExpectation {
        /// The value as written.
        value: String,
        /// How to write it.
        hint: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(alias = "规则集")]
    ruleset: String,
    #[serde(alias = "案例")]
    cases: Vec<Spanned<RawScenario>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    #[serde(alias = "名称")]
    name: String,
    #[serde(default, alias = "说明")]
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(alias = "事项")]
    matter: Spanned<MatterIds>,
    #[serde(default, alias = "事实")]
    facts: BTreeMap<String, Spanned<Option<String>>>,
    #[serde(default, alias = "日期")]
    dates: RawDates,
    #[serde(default, alias = "期望")]
    expect: Expect,
}

/// Reads a scenario file.
///
/// # Errors
/// [`ScenarioError::Syntax`] with the place of the error (unknown keys
/// included: a misspelt expectation is an error, not a silent pass).
pub fn parse(text: &str) -> Result<ScenarioFile, ScenarioError> {
    let raw: RawFile = serde_saphyr::from_str(text).map_err(|e| ScenarioError::Syntax {
        message: e.to_string(),
        at: e.location().as_ref().and_then(loc),
    })?;
    let cases = raw
        .cases
        .into_iter()
        .map(|s| {
            let at = loc(&s.referenced);
            let r = s.value;
            Scenario {
                name: r.name,
                at,
                case: case_file(Some(r.matter), r.facts, r.dates),
                expect: r.expect,
            }
        })
        .collect();
    Ok(ScenarioFile {
        ruleset: raw.ruleset,
        cases,
    })
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// Which expectation (`outcome`, `fine` …).
    pub key: &'static str,
    /// What the scenario expects, in the ruleset's terms.
    pub expected: String,
    /// What the evaluation gave.
    pub actual: String,
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CaseResult {
    /// Every expectation held.
    Passed,
    /// Some did not.
    Failed {
        /// What differed.
        mismatches: Vec<Mismatch>,
    },
    /// The case itself is wrong (unknown matter or fact, bad value, bad expectation).
    Invalid {
        /// Why.
        error: String,
    },
}

/// Evaluates one scenario and compares the result with its expectations.
pub fn run(ruleset: &Ruleset, scenario: &Scenario) -> CaseResult {
    let case = match scenario.case.resolve(ruleset) {
        Ok(c) => c,
        Err(e) => return invalid(&e),
    };
    let trace = !scenario.expect.trace_contains.is_empty();
    let rec = match evaluate(ruleset, &case, &EvalOptions { trace }) {
        Ok(r) => r,
        Err(e) => return invalid(&e),
    };
    match compare(&scenario.expect, &rec) {
        Ok(m) if m.is_empty() => CaseResult::Passed,
        Ok(mismatches) => CaseResult::Failed { mismatches },
        Err(e) => CaseResult::Invalid {
            error: e.to_string(),
        },
    }
}

fn invalid(e: &CaseError) -> CaseResult {
    CaseResult::Invalid {
        error: e.to_string(),
    }
}

/// Reads an expected range: `[10万, 20万)`, `(0, 2000]`, `[5000, 5000]`, or
/// one amount (`5000`: the point range).
pub fn parse_range(s: &str) -> Result<FineRange, ScenarioError> {
    let bad = || ScenarioError::BadExpectation {
        value: s.to_string(),
        hint: "范围请写成 \"[10万, 20万)\"：[ ] 含端点，( ) 不含端点；或写一个金额".to_string(),
    };
    let t = s.trim();
    let open = t.chars().next().ok_or_else(bad)?;
    let close = t.chars().last().ok_or_else(bad)?;
    if !matches!(open, '[' | '(' | '［' | '（') {
        let v = parse_money(t).ok_or_else(bad)?;
        return Ok(FineRange {
            lower: v,
            lower_inclusive: true,
            upper: Some(v),
            upper_inclusive: true,
        });
    }
    if !matches!(close, ']' | ')' | '］' | '）') {
        return Err(bad());
    }
    let inner: String = t
        .chars()
        .skip(1)
        .take(t.chars().count().saturating_sub(2))
        .collect();
    let (a, b) = inner.split_once([',', '，']).ok_or_else(bad)?;
    let lower = parse_money(a.trim()).ok_or_else(bad)?;
    let b = b.trim();
    let upper = if matches!(b, "∞" | "inf" | "无上限") {
        None
    } else {
        Some(parse_money(b).ok_or_else(bad)?)
    };
    Ok(FineRange {
        lower,
        lower_inclusive: matches!(open, '[' | '［'),
        upper,
        upper_inclusive: upper.is_some() && matches!(close, ']' | '］'),
    })
}

/// A range in the notation scenarios use.
pub fn range_notation(r: &FineRange) -> String {
    let m = |d: Decimal| crate::eval::range::money_string(d);
    format!(
        "{}{}, {}{}",
        if r.lower_inclusive { '[' } else { '(' },
        m(r.lower),
        r.upper.map(m).unwrap_or_else(|| "∞".to_string()),
        if r.upper_inclusive { ']' } else { ')' }
    )
}

fn same_range(a: &FineRange, b: &FineRange) -> bool {
    a.lower == b.lower
        && a.lower_inclusive == b.lower_inclusive
        && a.upper == b.upper
        && a.upper_inclusive == b.upper_inclusive
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::TimeBarred => "time_barred",
        Outcome::NoPenalty => "no_penalty",
        Outcome::MayWaive => "may_waive",
        Outcome::Penalty => "penalty",
    }
}

fn parse_outcome(s: &str) -> Option<Outcome> {
    Some(match s.trim() {
        "penalty" | "给予行政处罚" | "处罚" => Outcome::Penalty,
        "no_penalty" | "不予行政处罚" | "不予处罚" => Outcome::NoPenalty,
        "may_waive" | "可以不予行政处罚" | "可以不予处罚" => Outcome::MayWaive,
        "time_barred" | "超过追责时效" => Outcome::TimeBarred,
        _ => return None,
    })
}

fn push_missing(
    out: &mut Vec<Mismatch>,
    key: &'static str,
    wanted: &[String],
    have: &[String],
    what: &str,
) {
    for w in wanted {
        if !have.iter().any(|h| h.contains(w.as_str())) {
            out.push(Mismatch {
                key,
                expected: format!("{what}包含“{w}”"),
                actual: if have.is_empty() {
                    "无".to_string()
                } else {
                    have.join("；")
                },
            });
        }
    }
}

/// Compares a recommendation with expectations.
///
/// # Errors
/// An expectation that cannot be read.
pub fn compare(e: &Expect, rec: &Recommendation<'_>) -> Result<Vec<Mismatch>, ScenarioError> {
    let mut out = Vec::new();
    if let Some(o) = &e.outcome {
        let want = parse_outcome(o).ok_or_else(|| ScenarioError::BadExpectation {
            value: o.clone(),
            hint: "结论请写 penalty、no_penalty、may_waive 或 time_barred".to_string(),
        })?;
        if want != rec.outcome {
            out.push(Mismatch {
                key: "outcome",
                expected: format!("{}（{}）", outcome_name(want), want.label()),
                actual: format!("{}（{}）", outcome_name(rec.outcome), rec.outcome.label()),
            });
        }
    }
    if let Some(g) = &e.grade {
        let actual = rec.grade.as_ref().map(|g| g.id);
        if actual != Some(g.as_str()) {
            out.push(Mismatch {
                key: "grade",
                expected: format!("阶次 {g}"),
                actual: match actual {
                    Some(a) => format!("阶次 {a}"),
                    None if rec.possible_grades.is_empty() => "未选定阶次".to_string(),
                    None => {
                        let ids: Vec<&str> = rec.possible_grades.iter().map(|g| g.id).collect();
                        format!("未选定阶次（可能为 {}）", ids.join("、"))
                    }
                },
            });
        }
    }
    if let Some(f) = &e.fine {
        let actual = rec.fine.as_ref().map(|f| f.range);
        if matches!(f.trim(), "none" | "无") {
            if let Some(a) = actual {
                out.push(Mismatch {
                    key: "fine",
                    expected: "无罚款".to_string(),
                    actual: range_notation(&a),
                });
            }
        } else {
            let want = parse_range(f)?;
            if !actual.is_some_and(|a| same_range(&a, &want)) {
                out.push(Mismatch {
                    key: "fine",
                    expected: range_notation(&want),
                    actual: actual
                        .map(|a| range_notation(&a))
                        .unwrap_or_else(|| "无罚款".to_string()),
                });
            }
        }
    }
    if let Some(p) = &e.point {
        let want = parse_money(p).ok_or_else(|| ScenarioError::BadExpectation {
            value: p.clone(),
            hint: "金额请写成 5000、\"3.5万\" 或 \"1,200.50元\"".to_string(),
        })?;
        let actual = rec.fine.as_ref().and_then(|f| f.point);
        if actual != Some(want) {
            out.push(Mismatch {
                key: "point",
                expected: crate::eval::range::money_string(want),
                actual: actual
                    .map(crate::eval::range::money_string)
                    .unwrap_or_else(|| "无确定金额".to_string()),
            });
        }
    }
    if let Some(s) = &e.statutory {
        let want = parse_range(s)?;
        if !rec.statutory_range.is_some_and(|a| same_range(&a, &want)) {
            out.push(Mismatch {
                key: "statutory",
                expected: range_notation(&want),
                actual: rec
                    .statutory_range
                    .map(|a| range_notation(&a))
                    .unwrap_or_else(|| "无".to_string()),
            });
        }
    }
    let options: Vec<String> = rec
        .options
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {}",
                c.kind.label(),
                c.id,
                c.name.unwrap_or(""),
                c.range.map(|r| range_notation(&r)).unwrap_or_default()
            )
        })
        .collect();
    push_missing(&mut out, "options", &e.options, &options, "选项");
    let grounds: Vec<String> = rec
        .grounds
        .iter()
        .map(|g| {
            format!(
                "{} {} {}",
                g.id,
                g.name.unwrap_or(""),
                g.basis.unwrap_or("")
            )
        })
        .collect();
    push_missing(&mut out, "grounds", &e.grounds, &grounds, "不予处罚的理由");
    let warnings: Vec<String> = rec
        .warnings
        .iter()
        .map(|w| format!("[{}] {}", w.code, w.message))
        .collect();
    push_missing(&mut out, "warnings", &e.warnings, &warnings, "提示");
    let obligations: Vec<String> = rec.obligations.iter().map(|s| s.to_string()).collect();
    push_missing(
        &mut out,
        "obligations",
        &e.obligations,
        &obligations,
        "义务",
    );
    let missing: Vec<String> = rec.missing_facts.iter().map(|s| s.to_string()).collect();
    push_missing(
        &mut out,
        "missing_facts",
        &e.missing_facts,
        &missing,
        "缺少的事实",
    );
    let sanctions: Vec<String> = rec
        .sanctions
        .statute
        .iter()
        .chain(rec.sanctions.grade.iter())
        .chain(rec.sanctions.extra.iter().copied())
        .map(|s| match rec.sanctions.periods(s) {
            // With a period: the name, object and the recommended period
            // (`暂扣安全生产许可证30日至60日`), which contains the name.
            (Some(p), _) => format!("{}{}", s.title(), p.text()),
            _ => s.name.clone(),
        })
        .collect();
    push_missing(&mut out, "sanctions", &e.sanctions, &sanctions, "其他处罚");
    if let Some(want) = e.needs_judgement {
        let actual = !rec.needs_judgement.is_empty();
        if want != actual {
            out.push(Mismatch {
                key: "needs_judgement",
                expected: if want {
                    "需要执法人员判断"
                } else {
                    "无需判断"
                }
                .to_string(),
                actual: if actual {
                    "需要执法人员判断"
                } else {
                    "无需判断"
                }
                .to_string(),
            });
        }
    }
    if !e.trace_contains.is_empty() {
        let steps: Vec<String> = rec
            .trace
            .iter()
            .flatten()
            .map(|t| {
                format!(
                    "{} {} {} {}",
                    t.kind,
                    t.rule.unwrap_or(""),
                    t.basis.unwrap_or(""),
                    t.explanation
                )
            })
            .collect();
        push_missing(
            &mut out,
            "trace_contains",
            &e.trace_contains,
            &steps,
            "裁量过程",
        );
    }
    Ok(out)
}

/// A summary line: `N passed, N failed` (`, N skipped` when any).
pub fn summary_line(passed: usize, failed: usize, skipped: usize) -> String {
    if skipped > 0 {
        format!("{passed} passed, {failed} failed, {skipped} skipped")
    } else {
        format!("{passed} passed, {failed} failed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_with_their_ends() {
        let r = parse_range("[10万, 20万)").unwrap();
        assert_eq!(r.lower, Decimal::from(100_000));
        assert!(r.lower_inclusive && !r.upper_inclusive);
        assert_eq!(range_notation(&r), "[100000, 200000)");
        let p = parse_range("5000").unwrap();
        assert_eq!(p.upper, Some(Decimal::from(5000)));
        assert!(parse_range("10万至20万").is_err());
        assert!(parse_range("(0, 2000]").is_ok());
    }

    #[test]
    fn unknown_expectation_keys_are_errors() {
        let text = "ruleset: a.rules\ncases:\n  - name: x\n    matter: A\n    expect:\n      outcom: penalty\n";
        assert!(matches!(parse(text), Err(ScenarioError::Syntax { .. })));
        let ok = "ruleset: a.rules\ncases:\n  - name: x\n    matter: A\n    facts: { 甲: 是, 乙: \"20万\", 丙: 3 }\n    expect:\n      outcome: penalty\n      grade: 2\n";
        let f = parse(ok).unwrap();
        assert_eq!(f.cases[0].expect.grade.as_deref(), Some("2"));
        assert_eq!(f.cases[0].case.facts.len(), 3);
    }
}
