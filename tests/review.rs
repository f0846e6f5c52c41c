//! 案卷评查: the bundled review file gives the verdicts its comments state,
//! and, over every bundled scenario, a decision anywhere inside the
//! recommended range is judged within the benchmark while one beyond the
//! statutory range never is.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cailiang::case::Case;
use cailiang::cli::{collect_reviews, collect_scenarios, load_path};
use cailiang::eval::{EvalOptions, Evaluator, Outcome, Recommendation, evaluate};
use cailiang::model::Ruleset;
use cailiang::review::{self, Decided, DecidedOutcome, Verdict, judge};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rulesets")
}

#[test]
fn bundled_review_file_verdicts() {
    let files = collect_reviews(&[root()]).unwrap();
    assert!(!files.is_empty());
    let mut seen = Vec::new();
    for file in &files {
        let rf = review::parse(&std::fs::read_to_string(file).unwrap()).unwrap();
        let rpath = file
            .parent()
            .unwrap_or(Path::new("."))
            .join(rf.ruleset.as_deref().unwrap());
        let loaded = load_path(&rpath).unwrap();
        let rs = loaded.ruleset.as_ref().unwrap();
        let ev = Evaluator::new(rs);
        let opts = EvalOptions::default();
        for rc in &rf.cases {
            let fast = review::review_case(rs, rc, |c| ev.evaluate(c, &opts)).unwrap();
            let slow = review::review_case(rs, rc, |c| evaluate(rs, c, &opts)).unwrap();
            assert_eq!(fast, slow, "{}", rc.id);
            seen.push((fast.id, fast.verdict));
        }
    }
    let verdict = |id: &str| seen.iter().find(|(i, _)| i == id).map(|(_, v)| *v);
    assert_eq!(verdict("示例环罚〔2023〕1号"), Some(Verdict::Within));
    assert_eq!(
        verdict("示例环罚〔2023〕2号"),
        Some(Verdict::AboveBenchmark)
    );
    assert_eq!(verdict("示例环罚〔2023〕3号"), Some(Verdict::Within));
    assert_eq!(
        verdict("示例环罚〔2023〕4号"),
        Some(Verdict::OutsideStatute)
    );
    assert_eq!(verdict("示例环罚〔2023〕5号"), Some(Verdict::FineRequired));
}

/// Sanctions other than fines: kinds the benchmark does not give, 应当 ones
/// not imposed, periods outside the benchmark's.
#[test]
fn bundled_review_file_sanction_findings() {
    let file = root().join("sanctions/zhian-anquan-periods.review.yaml");
    let rf = review::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let loaded = load_path(&root().join("sanctions/zhian-anquan-periods.rules")).unwrap();
    let rs = loaded.ruleset.as_ref().unwrap();
    let opts = EvalOptions::default();
    let found: Vec<(String, Vec<Verdict>)> = rf
        .cases
        .iter()
        .map(|rc| {
            let r = review::review_case(rs, rc, |c| evaluate(rs, c, &opts)).unwrap();
            (r.id, r.sanctions.iter().map(|f| f.verdict).collect())
        })
        .collect();
    let of = |id: &str| found.iter().find(|(i, _)| i == id).map(|(_, v)| v.clone());
    assert_eq!(of("示例公（治）罚〔2024〕1号"), Some(vec![]));
    assert_eq!(
        of("示例公（治）罚〔2024〕2号"),
        Some(vec![Verdict::PeriodOutside])
    );
    assert_eq!(of("示例公（治）罚〔2024〕3号"), Some(vec![]));
    assert_eq!(of("示例建安罚〔2024〕1号"), Some(vec![]));
    assert_eq!(
        of("示例建安罚〔2024〕2号"),
        Some(vec![Verdict::SanctionNotProvided, Verdict::SanctionMissing])
    );
}

#[test]
fn sanction_kinds_from_decision_wording() {
    use cailiang::syntax::ast::SanctionKind;
    for (text, kind) in [
        ("警告", Some(SanctionKind::Warning)),
        ("给予警告", Some(SanctionKind::Warning)),
        ("并处警告", Some(SanctionKind::Warning)),
        ("行政拘留十二日", Some(SanctionKind::Detention)),
        ("暂扣安全生产许可证30日", Some(SanctionKind::SuspendLicence)),
        ("吊销营业执照", Some(SanctionKind::RevokeLicence)),
        ("责令停产停业", Some(SanctionKind::SuspendProduction)),
        ("没收违法所得", None),
        ("责令改正", None),
    ] {
        assert_eq!(review::sanction_kind(text), kind, "{text}");
    }
}

/// Every bundled ruleset with the cases of its scenarios (loaded once).
fn bundled() -> &'static [(Ruleset, Vec<Case>)] {
    static ALL: OnceLock<Vec<(Ruleset, Vec<Case>)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out: Vec<(PathBuf, Ruleset, Vec<Case>)> = Vec::new();
        for file in collect_scenarios(&[root()]).unwrap() {
            let sf = cailiang::scenario::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
            let rpath = file.parent().unwrap_or(Path::new(".")).join(&sf.ruleset);
            let loaded = load_path(&rpath).unwrap();
            let Some(rs) = loaded.ruleset else {
                continue;
            };
            let cases: Vec<Case> = sf
                .cases
                .iter()
                .filter_map(|sc| sc.case.resolve(&rs).ok())
                .collect();
            match out.iter_mut().find(|(p, _, _)| *p == rpath) {
                Some((_, _, v)) => v.extend(cases),
                None => out.push((rpath, rs, cases)),
            }
        }
        out.into_iter().map(|(_, rs, c)| (rs, c)).collect()
    })
}

fn fined(x: Decimal) -> Decided {
    Decided {
        outcome: DecidedOutcome::Penalty,
        word: None,
        fine: Some(x).filter(|x| !x.is_zero()),
        others: None,
    }
}

fn scaled(lo: Decimal, hi: Decimal, permille: u32) -> Decimal {
    let w = (hi - lo) * Decimal::from(permille) / Decimal::from(1000u32);
    (lo + w).round_dp(2).clamp(lo, hi)
}

fn settled(rec: &Recommendation<'_>) -> bool {
    rec.missing_facts.is_empty()
        && rec.outcome == Outcome::Penalty
        && rec.needs_judgement.is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Inside the recommendation is within; beyond the statute is outside it.
    #[test]
    fn inside_within_beyond_statute_outside(pick in 0usize..10_000, permille in 0u32..=1000) {
        let all: Vec<(&Ruleset, &Case)> = bundled()
            .iter()
            .flat_map(|(rs, cases)| cases.iter().map(move |c| (rs, c)))
            .collect();
        let (rs, case) = all[pick % all.len()];
        let rec = evaluate(rs, case, &EvalOptions::default()).unwrap();
        if let (true, Some(f)) = (settled(&rec), rec.fine) {
            if let Some(hi) = f.range.upper {
                let (lo, hi) = (f.range.lower, hi);
                let x = scaled(lo, hi, permille);
                if f.range.contains(x) && !x.is_zero() {
                    let j = judge(&rec, &fined(x));
                    prop_assert_eq!(j.verdict, Verdict::Within, "{} {}", x, j.reason);
                }
            }
            if let Some(su) = rec.statutory_range.and_then(|s| s.upper) {
                let beyond = su + Decimal::ONE + Decimal::from(permille);
                let j = judge(&rec, &fined(beyond));
                prop_assert!(j.verdict.is_finding(), "{} {:?} {}", beyond, j.verdict, j.reason);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A review file of any text is read or refused with an error, never a
    /// panic — also the bundled files with a span of them replaced.
    #[test]
    fn review_files_never_panic(
        text in "\\PC{0,120}",
        cut in 0usize..2_000,
        len in 0usize..40,
        insert in "[\\PC\\n:{}\\[\\],-]{0,12}",
    ) {
        let _ = review::parse(&text);
        let base = std::fs::read_to_string(root().join("sanctions/zhian-anquan-periods.review.yaml")).unwrap();
        let chars: Vec<char> = base.chars().collect();
        let at = cut % chars.len().max(1);
        let end = (at + len).min(chars.len());
        let mutated: String = chars[..at].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
        if let Ok(rf) = review::parse(&mutated) {
            static ZHIAN: OnceLock<Ruleset> = OnceLock::new();
            let rs = ZHIAN.get_or_init(|| {
                load_path(&root().join("sanctions/zhian-anquan-periods.rules"))
                    .unwrap()
                    .ruleset
                    .unwrap()
            });
            for rc in &rf.cases {
                if let Ok(r) = review::review_case(rs, rc, |c| evaluate(rs, c, &EvalOptions::default())) {
                    prop_assert!(!r.label.is_empty());
                }
            }
        }
        prop_assert!(review::sanction_kind(&text).is_none() || !text.is_empty());
    }
}
