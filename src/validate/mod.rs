//! Validation: the analysis of one ruleset's tables, and the refinement
//! check of a township (or any lower body's) ruleset against its superior
//! (DESIGN.md §5, `docs/VALIDATION.md`).
//!
//! Method (the DMN table analysis of Calvanese et al., 2016): per matter,
//! the facts its conditions read form a box space; every interval endpoint a
//! condition uses cuts its fact's domain into elementary cells (the endpoint
//! itself, the open intervals between), enums and booleans are cut into
//! their values; the product of the cells is enumerated. Conditions are
//! unions of boxes, so each is constant on each cell and the enumeration is
//! exact. Work is bounded by [`Options::max_cells`]: beyond it a matter gets
//! an "analysis incomplete" finding instead of a guess.
//!
//! Every finding is a [`Diagnostic`] with a stable code (`V01xx` table
//! analysis, `V02xx` refinement, see [`CODES`]) labelled in both places (both
//! files for a refinement), and, where the finding is about cases, a
//! [`Witness`]: concrete cases (facts in the ruleset's terms and dates) with
//! the results that disagree. Pure: no I/O, never panics.

mod outcome;
mod refine;
mod show;
mod space;
mod table;

use crate::diag::{Diagnostic, Severity};
use crate::model::{FactType, Ruleset, Value};
use crate::value::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// Limits of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Most points (products of cells) enumerated per matter; beyond it the
    /// matter gets an "analysis incomplete" finding (`V0100` / `V0200`).
    pub max_cells: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_cells: 1_000_000,
        }
    }
}

/// One finding: a diagnostic, the matter it concerns, and a witness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The diagnostic (code `V01xx` or `V02xx`), labelled in both places;
    /// its notes spell out the witness for people.
    pub diagnostic: Diagnostic,
    /// The matter's code, when the finding concerns one.
    pub matter: Option<String>,
    /// Cases that show the finding, when it is about cases.
    pub witness: Option<Witness>,
}

/// Concrete cases that show a finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Witness {
    /// One case (a disagreement) or two (a monotonicity break, a grade
    /// boundary crossed: cases that should be treated alike or in order).
    pub cases: Vec<WitnessCase>,
}

/// One witness case and what each side makes of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WitnessCase {
    /// The case, as a case file `cailiang eval` reads.
    pub case: CaseDoc,
    /// The results that disagree.
    pub results: Vec<SideResult>,
}

/// A case document: `matter`, `facts` (values in the ruleset's terms:
/// `20万元`, `15吨`, enum names, `是`/`否`), `dates`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseDoc {
    /// The matter's code.
    pub matter: String,
    /// Fact name → value as written in a case file.
    pub facts: BTreeMap<String, String>,
    /// The dates (act, discovery and decision on one day, so that neither
    /// limitation nor 从旧兼从轻 interferes), when the analysis is dated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dates: Option<CaseDates>,
    /// The same facts as typed values (for programs and tests).
    #[serde(skip)]
    pub values: BTreeMap<String, Value>,
}

/// The dates of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CaseDates {
    /// The act.
    pub act: Date,
    /// Its discovery.
    pub discovery: Date,
    /// The decision.
    pub decision: Date,
}

/// What one ruleset (or one grade) makes of a witness case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideResult {
    /// Whose result: `下级规则集`, `上级规则集`, `本规则集`, or a grade.
    pub who: String,
    /// The grade (label), if one applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// The result in words (`阶次 2“一般”：罚款 20万元至40万元`, `无阶次适用`).
    pub result: String,
}

/// Every validation code with a one-line description (documented in
/// `docs/VALIDATION.md`).
pub const CODES: &[(&str, Severity, &str)] = &[
    (
        "V0100",
        Severity::Warning,
        "table analysis incomplete: the matter's fact space exceeds the cell limit",
    ),
    (
        "V0101",
        Severity::Error,
        "gap: a fact region where no grade applies (and the table has no 其他)",
    ),
    (
        "V0102",
        Severity::Error,
        "overlap: two grades with different results apply to one case, and the ruleset declares no 多阶次 policy",
    ),
    (
        "V0103",
        Severity::Warning,
        "a grade that never applies (its condition cannot hold, or 其他 after a complete table)",
    ),
    (
        "V0104",
        Severity::Warning,
        "a grade that applies but is never selected (shadowed by other grades under the 多阶次 policy)",
    ),
    (
        "V0105",
        Severity::Warning,
        "a grade listed later (heavier) whose fine range lies below an earlier grade's",
    ),
    (
        "V0106",
        Severity::Warning,
        "monotonicity: a more aggravating value of one fact moves a case to a lighter grade",
    ),
    (
        "V0107",
        Severity::Warning,
        "a grade's fine below the minimum of a statute version in force",
    ),
    (
        "V0108",
        Severity::Warning,
        "a weighted model whose result can fall outside the statutory range",
    ),
    (
        "V0109",
        Severity::Warning,
        "a list item whose condition can never hold",
    ),
    (
        "V0110",
        Severity::Warning,
        "a list item shadowed by another item (every case it covers, the other covers too)",
    ),
    (
        "V0111",
        Severity::Note,
        "fine ranges that cannot be compared exactly (different bases)",
    ),
    (
        "V0200",
        Severity::Warning,
        "refinement analysis incomplete: the matter's joint fact space exceeds the cell limit",
    ),
    (
        "V0201",
        Severity::Note,
        "a superior matter the township does not refine (the superior's benchmark applies directly)",
    ),
    (
        "V0202",
        Severity::Warning,
        "a township matter the superior does not have (nothing to validate it against)",
    ),
    (
        "V0203",
        Severity::Error,
        "statutory sanctions differ from the superior's",
    ),
    (
        "V0204",
        Severity::Error,
        "for a fact region, the township's result lies outside the superior's",
    ),
    (
        "V0205",
        Severity::Error,
        "a township grade crosses a superior grade boundary (one township grade, two superior grades)",
    ),
    (
        "V0206",
        Severity::Error,
        "a township list wider than the superior's (an item it lacks, a weaker condition, a wider scope, 可以 made 应当)",
    ),
    (
        "V0207",
        Severity::Error,
        "a superior list marked 不可增减 is not carried over identically",
    ),
    (
        "V0208",
        Severity::Error,
        "the township's effective period is not inside the superior's",
    ),
    (
        "V0209",
        Severity::Error,
        "a township 从轻/一般/从重 band wider than the superior's",
    ),
    (
        "V0210",
        Severity::Warning,
        "another policy differs from the superior's and may change results",
    ),
    (
        "V0211",
        Severity::Note,
        "a township fact the superior does not have (compared for every value of it)",
    ),
    (
        "V0212",
        Severity::Warning,
        "a fact of the same name but another type than the superior's: not mapped, region comparison skipped",
    ),
    (
        "V0213",
        Severity::Warning,
        "results that cannot be compared exactly (different bases of a multiple fine)",
    ),
    (
        "V0214",
        Severity::Warning,
        "a township 上调一个档次 the superior does not have: a case may leave the superior's grade",
    ),
    (
        "V0215",
        Severity::Error,
        "a township grade marked 减轻, or deciding no penalty, where the superior's matter has no such grade",
    ),
];

/// The description of a validation code, if registered.
pub fn describe(code: &str) -> Option<&'static str> {
    CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, d)| *d)
}

/// Whether any finding is an error (the ruleset does not conform).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.diagnostic.is_error())
}

/// The diagnostics of findings (for rendering).
pub fn diagnostics(findings: &[Finding]) -> Vec<Diagnostic> {
    findings.iter().map(|f| f.diagnostic.clone()).collect()
}

/// Table analysis of one ruleset with default limits.
pub fn analyse(ruleset: &Ruleset) -> Vec<Finding> {
    analyse_with(ruleset, &Options::default())
}

/// Table analysis of one ruleset: gaps, overlaps, unreachable and shadowed
/// grades, grade order and monotonicity, statute minimums, weighted models,
/// list items (codes `V01xx`).
pub fn analyse_with(ruleset: &Ruleset, options: &Options) -> Vec<Finding> {
    let mut out = Vec::new();
    table::analyse(ruleset, options, &mut out);
    out
}

/// Refinement check of `township` against `superior` with default limits.
/// Both must have been loaded into one source map (see
/// [`crate::load::load_with_superior`]) for the labels to render.
pub fn validate(township: &Ruleset, superior: &Ruleset) -> Vec<Finding> {
    validate_with(township, superior, &Options::default())
}

/// Refinement check (codes `V02xx`): matters by id, statutes, results per
/// fact region, grade boundaries, lists, effective dates, policies.
pub fn validate_with(township: &Ruleset, superior: &Ruleset, options: &Options) -> Vec<Finding> {
    let mut out = Vec::new();
    refine::validate(township, superior, options, &mut out);
    out
}

/// A diagnostic with the code's registered severity.
pub(crate) fn diag(code: &'static str, message: impl Into<String>) -> Diagnostic {
    let sev = CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, s, _)| *s)
        .unwrap_or(Severity::Warning);
    Diagnostic {
        severity: sev,
        ..Diagnostic::error(code, message)
    }
}

impl Finding {
    /// A finding about a matter (or none).
    pub(crate) fn new(diagnostic: Diagnostic, matter: Option<&str>) -> Self {
        Finding {
            diagnostic,
            matter: matter.map(str::to_string),
            witness: None,
        }
    }

    /// Attaches a witness and spells it out in the diagnostic's notes.
    pub(crate) fn with_witness(mut self, w: Witness) -> Self {
        for (i, c) in w.cases.iter().enumerate() {
            let head = if w.cases.len() > 1 {
                format!("例{}：", i + 1)
            } else {
                "例：".to_string()
            };
            let mut note = format!("{head}{}", case_text(&c.case));
            for r in &c.results {
                note.push_str(&format!("\n  {}：{}", r.who, r.result));
            }
            self.diagnostic.notes.push(note);
        }
        self.witness = Some(w);
        self
    }
}

/// A case in words: `事项 W-1，排放量 = 15吨，超标 = 是，日期 2024-03-01`.
fn case_text(c: &CaseDoc) -> String {
    let mut parts = vec![format!("事项 {}", c.matter)];
    for (k, v) in &c.facts {
        parts.push(format!("{k} = {v}"));
    }
    if let Some(d) = c.dates {
        parts.push(format!("违法行为、发现与决定日期 {}", d.decision));
    }
    parts.join("，")
}

/// A case document from typed values.
pub(crate) fn case_doc(
    matter: &str,
    values: BTreeMap<String, (FactType, Value)>,
    date: Option<Date>,
) -> CaseDoc {
    CaseDoc {
        matter: matter.to_string(),
        facts: values
            .iter()
            .map(|(k, (ty, v))| (k.clone(), show::value(ty, v)))
            .collect(),
        dates: date.map(|d| CaseDates {
            act: d,
            discovery: d,
            decision: d,
        }),
        values: values.into_iter().map(|(k, (_, v))| (k, v)).collect(),
    }
}

#[cfg(test)]
mod tests;
