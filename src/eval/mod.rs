//! Evaluation: a checked [`Ruleset`] and a [`Case`] → a [`Recommendation`].
//!
//! Pure (no I/O) and panic-free. The order is DESIGN.md §4: limitation
//! (行政处罚法 第三十六条) → mandatory no-penalty → discretionary exemptions →
//! grade or weighted score → circumstances by policy → clamp to the
//! statutory range in force, with 从旧兼从轻 (第三十七条) across statute
//! versions and 第二十九条 across several matters for one act.
//!
//! **Missing facts.** Conditions are three-valued. Where one depends on a
//! missing fact the evaluation explores both answers and returns the
//! envelope: the hull of every fine, every possible outcome and grade, and
//! the facts that would narrow it (`missing_facts`). Every completion of the
//! facts gives a result inside the envelope.
//!
//! **Cost.** With the trace off and all facts given, one path is run and
//! nothing is allocated for names or sanctions (they borrow from the ruleset).
//! To evaluate many cases against one ruleset, build an [`Evaluator`] once:
//! it precomputes what does not depend on the case (fine ranges, policy
//! bands, clamps, compiled conditions) and gives the same results, several
//! times faster for the common shapes.
//!
//! # Example
//!
//! Load a ruleset once (it is `Send + Sync`), then evaluate many cases:
//!
//! ```
//! use cailiang::case::{load_case, CaseFormat};
//! use cailiang::eval::{evaluate, render_human, EvalOptions, Outcome};
//!
//! let text = r#"
//! 规则集 "示例裁量基准" {
//!   边界 以上含本数 以下不含本数
//!   政策 { 从轻: 阶次 0% 至 30%; 从重: 阶次 70% 至 100%; 多阶次: 从重 }
//! }
//! 事项 W-1 "未依法取得排污许可证排放水污染物" {
//!   处罚依据 "《水污染防治法》第八十三条"
//!   事实 { 排放量: 数量 吨; 拒不改正: 是否 默认 否 }
//!   法定 { 罚款 10万 至 100万; 并处 责令改正 }
//!   阶次 1 "一般" 当 排放量 10吨以下 { 罚款 10万 至 40万 }
//!   阶次 2 "严重" 其他 { 罚款 40万 至 100万 }
//!   情节 拒不改正 { 应当 从重 当 拒不改正 }
//! }
//! "#;
//! let loaded = cailiang::load::load("example.rules", text, &|_| None);
//! let ruleset = loaded.ruleset.expect("a valid ruleset");
//!
//! let case = load_case(
//!     "matter: W-1\nfacts:\n  排放量: 5000千克\n  拒不改正: 是\n",
//!     CaseFormat::Yaml,
//!     &ruleset,
//! )
//! .expect("a valid case");
//! let rec = evaluate(&ruleset, &case, &EvalOptions::default()).expect("the matter exists");
//! assert_eq!(rec.outcome, Outcome::Penalty);
//! assert_eq!(rec.grade.map(|g| g.id), Some("1"));
//! // 从重: the upper 30 % of 10万–40万.
//! let fine = rec.fine.expect("a fine");
//! assert_eq!(fine.range.lower.normalize().to_string(), "310000");
//! assert!(rec.to_json().contains("\"schema_version\":1"));
//! assert!(render_human(&rec, &ruleset).contains("31万元至不满40万元"));
//! ```

mod compiled;
mod engine;
pub mod output;
pub mod range;
pub mod render;

pub use compiled::Evaluator;
pub use output::{
    COLLECTIVE_REVIEW, Candidate, Choice, ChoiceKind, FactRead, FineOut, GradeRef, Judgement,
    MatterRef, Outcome, OutcomeSet, Recommendation, SCHEMA_VERSION, Sanctions, StatuteRef,
    TraceStep, Warning,
};
pub use range::FineRange;
pub use render::render_human;

use crate::case::{Case, CaseError};
use crate::model::{MatterId, Ruleset};
use engine::Ctx;

/// Evaluation options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvalOptions {
    /// Record the justification trace (off by default: it costs allocations).
    pub trace: bool,
}

/// The most decision sequences explored for missing facts; beyond it the
/// envelope is widened to everything possible (still sound).
const MAX_PATHS: usize = 4096;

/// Evaluates a case against a ruleset.
///
/// With several matters for one act (行政处罚法 第二十九条) each is evaluated;
/// the result is the one with the higher fine, the others are its
/// `alternatives`.
///
/// # Errors
/// [`CaseError::NoMatter`] when the case names no matter,
/// [`CaseError::InvalidMatterId`] when an id is not in the ruleset.
pub fn evaluate<'r>(
    ruleset: &'r Ruleset,
    case: &Case,
    options: &EvalOptions,
) -> Result<Recommendation<'r>, CaseError> {
    let Some((&first, rest)) = case.matters.split_first() else {
        return Err(CaseError::NoMatter);
    };
    if rest.is_empty() {
        // One matter: returned as built (no move out of and back into a Result).
        return evaluate_matter(ruleset, first, case, options);
    }
    let mut best = evaluate_matter(ruleset, first, case, options)?;
    let mut alternatives = Vec::with_capacity(rest.len());
    for &mid in rest {
        let r = evaluate_matter(ruleset, mid, case, options)?;
        if engine::lighter_cmp(&r, &best) == std::cmp::Ordering::Greater {
            alternatives.push(std::mem::replace(&mut best, r));
        } else {
            alternatives.push(r);
        }
    }
    let others: Vec<&str> = alternatives.iter().map(|a| a.matter.id).collect();
    best.warnings.push(Warning {
        code: "article_29",
        message: format!(
            "同一违法行为违反多个法律规范（行政处罚法 第二十九条），按照罚款数额高的规定处罚：适用事项 {}；其他事项（{}）见备选结果",
            best.matter.id,
            others.join("、")
        )
        .into(),
    });
    if let Some(t) = &mut best.trace {
        t.push(TraceStep {
            kind: "article_29",
            rule: Some(best.matter.id),
            span: None,
            basis: Some("《中华人民共和国行政处罚法》第二十九条"),
            facts: Vec::new(),
            before: None,
            after: best.fine.map(|f| f.range),
            explanation: format!(
                "比较 {} 个事项，适用罚款数额高的事项 {}",
                others.len() + 1,
                best.matter.id
            ),
        });
    }
    best.alternatives = alternatives;
    Ok(best)
}

/// Evaluates one matter (no 第二十九条 comparison).
///
/// # Errors
/// [`CaseError::InvalidMatterId`] when the id is not in the ruleset.
pub fn evaluate_matter<'r>(
    ruleset: &'r Ruleset,
    matter: MatterId,
    case: &Case,
    options: &EvalOptions,
) -> Result<Recommendation<'r>, CaseError> {
    let Some(m) = ruleset.matters.get(matter.0 as usize) else {
        return Err(CaseError::InvalidMatterId(matter.0));
    };
    let mut ctx = Ctx::new(ruleset, case, options.trace);
    let mut rec = ctx.run_path(m);
    if ctx.chooser.record.is_empty() {
        return Ok(rec);
    }
    let trace = rec.trace.take();
    let mut paths = 1usize;
    while ctx.chooser.advance() {
        if paths >= MAX_PATHS {
            widen(&mut rec);
            break;
        }
        ctx.reset_for_next_path();
        let r = ctx.run_path(m);
        merge(&mut rec, r);
        paths += 1;
    }
    rec.trace = trace;
    if let Some(t) = &mut rec.trace {
        let names = rec.missing_facts.join("、");
        t.push(TraceStep {
            kind: "envelope",
            rule: None,
            span: None,
            basis: None,
            facts: Vec::new(),
            before: None,
            after: rec.fine.map(|f| f.range),
            explanation: format!(
                "事实不全（{names}）：以上为其中一种可能；结果为所有可能取值下结果的包络（共 {paths} 种情形）"
            ),
        });
    }
    Ok(rec)
}

/// Widens an envelope to everything possible (when too many paths).
fn widen(rec: &mut Recommendation<'_>) {
    rec.possible_outcomes = OutcomeSet::all();
    rec.outcome = Outcome::Penalty;
    let mandatory = rec.fine.is_some_and(|f| f.mandatory);
    rec.fine = Some(FineOut {
        range: FineRange {
            lower: rust_decimal::Decimal::ZERO,
            lower_inclusive: true,
            upper: None,
            upper_inclusive: true,
        },
        point: None,
        mandatory,
    });
    rec.grade = None;
    rec.warnings.push(Warning {
        code: "envelope_truncated",
        message: "缺失事实过多，可能情形超过上限，结果放宽为任意数额；请补充事实".into(),
    });
}

/// Merges the result of another path into an envelope.
fn merge<'r>(acc: &mut Recommendation<'r>, r: Recommendation<'r>) {
    acc.possible_outcomes = acc.possible_outcomes.union(r.possible_outcomes);
    acc.outcome = acc.outcome.max(r.outcome);
    acc.fine = match (acc.fine, r.fine) {
        (Some(a), Some(b)) => Some(FineOut {
            range: a.range.hull(&b.range),
            point: if a.point == b.point { a.point } else { None },
            mandatory: a.mandatory && b.mandatory,
        }),
        (a, b) => a.or(b),
    };
    acc.statutory_range = match (acc.statutory_range, r.statutory_range) {
        (Some(a), Some(b)) => Some(a.hull(&b)),
        (a, b) => a.or(b),
    };
    if acc.statute != r.statute {
        acc.statute = acc.statute.or(r.statute);
    }
    // Grades: one grade only when every path agrees.
    if acc.possible_grades.is_empty() {
        if let Some(g) = acc.grade {
            acc.possible_grades.push(g);
        }
    }
    if let Some(g) = r.grade {
        if !acc.possible_grades.contains(&g) {
            acc.possible_grades.push(g);
        }
    }
    if acc.grade != r.grade {
        acc.grade = None;
    }
    if acc.score != r.score {
        acc.score = None;
    }
    if acc.decision != r.decision {
        acc.decision = None;
    }
    for s in r.sanctions.iter() {
        if !acc.sanctions.iter().any(|t| {
            t.name == s.name
                && t.modality == s.modality
                && t.object == s.object
                && t.period == s.period
        }) {
            acc.sanctions.extra.push(s);
        }
    }
    for o in r.options {
        match acc
            .options
            .iter_mut()
            .find(|x| x.kind == o.kind && x.id == o.id)
        {
            Some(x) => {
                x.range = match (x.range, o.range) {
                    (Some(a), Some(b)) => Some(a.hull(&b)),
                    (a, b) => a.or(b),
                };
                x.required &= o.required;
            }
            None => acc.options.push(o),
        }
    }
    for g in r.grounds {
        if !acc.grounds.iter().any(|x| x.kind == g.kind && x.id == g.id) {
            acc.grounds.push(g);
        }
    }
    for j in r.needs_judgement {
        if !acc.needs_judgement.contains(&j) {
            acc.needs_judgement.push(j);
        }
    }
    for o in r.obligations {
        if !acc.obligations.contains(&o) {
            acc.obligations.push(o);
        }
    }
    for w in r.warnings {
        if !acc.warnings.contains(&w) {
            acc.warnings.push(w);
        }
    }
    for f in r.missing_facts {
        if !acc.missing_facts.contains(&f) {
            acc.missing_facts.push(f);
        }
    }
}

#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;
