//! Scale: parse + check of generated rulesets (1 … 10,000 matters),
//! evaluation cost against ruleset size and case count, township-vs-superior
//! validation, and memory (allocations counted by a wrapping allocator).
//!
//! `cargo bench --bench scale`; `cargo test` runs every body once.

use cailiang::case::Case;
use cailiang::eval::{EvalOptions, Evaluator, evaluate};
use cailiang::model::{FactId, MatterId, Ruleset, Value};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

#[path = "support/mod.rs"]
mod support;
use support::generate;

/// Counts allocations and live / peak heap bytes.
struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        let live = LIVE.fetch_add(l.size(), Relaxed) + l.size();
        PEAK.fetch_max(live, Relaxed);
        // SAFETY: same layout, forwarded.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        // SAFETY: allocated by `alloc` above with this layout.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        if new >= l.size() {
            let live = LIVE.fetch_add(new - l.size(), Relaxed) + new - l.size();
            PEAK.fetch_max(live, Relaxed);
        } else {
            LIVE.fetch_sub(l.size() - new, Relaxed);
        }
        // SAFETY: forwarded.
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];

/// A generated ruleset of `n` matters, loaded.
fn generated(n: usize) -> Ruleset {
    support::load_files(&generate::n_matter_files(n, "县级", None, false))
}

/// A case for matter `m` of a generated ruleset.
fn generated_case(rs: &Ruleset, m: MatterId, area: &str, zone: u16) -> Case {
    let find = |name: &str| {
        let i = rs
            .facts
            .iter()
            .position(|f| f.name == name && f.owner == Some(m))
            .unwrap_or_default();
        FactId(u32::try_from(i).unwrap_or_default())
    };
    let mut c = Case::new(rs, m);
    c.set(
        find("面积"),
        Value::Number(area.parse::<Decimal>().unwrap_or_default()),
    );
    c.set(find("区域"), Value::Enum(zone));
    c.act_date = cailiang::value::Date::new(2024, 3, 1);
    c.discovery_date = cailiang::value::Date::new(2024, 6, 1);
    c.decision_date = cailiang::value::Date::new(2024, 7, 1);
    c
}

fn parse_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_check");
    group.sample_size(10);
    for n in [1, 10, 100, 1_000, 2_000, 10_000] {
        let files = generate::n_matter_files(n, "县级", None, false);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &files, |b, files| {
            b.iter(|| black_box(support::load_files(black_box(files))))
        });
    }
    group.finish();
}

fn eval_vs_ruleset_size(c: &mut Criterion) {
    let mut group = c.benchmark_group("eval_vs_ruleset_size");
    let off = EvalOptions::default();
    for n in SIZES {
        let rs = generated(n);
        let m = MatterId(u32::try_from(n / 2).unwrap_or_default());
        let case = generated_case(&rs, m, "250", 1);
        assert!(evaluate(&rs, &case, &off).is_ok_and(|r| r.fine.is_some()));
        group.throughput(Throughput::Elements(1));
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| black_box(evaluate(&rs, black_box(&case), &off).ok()))
        });
    }
    group.finish();
}

fn eval_vs_case_count(c: &mut Criterion) {
    let (rs, ids) = support::bench_ruleset();
    let off = EvalOptions::default();
    let all: Vec<Case> = generate::graded_cases(10_000, 11)
        .iter()
        .map(|g| support::graded_case(&rs, &ids, g))
        .collect();
    let mut group = c.benchmark_group("eval_vs_case_count");
    for n in SIZES {
        let cases = all.get(..n).unwrap_or(&all);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), cases, |b, cases| {
            b.iter(|| {
                for case in cases {
                    {
                        let r = evaluate(&rs, black_box(case), &off);
                        black_box(&r);
                    }
                }
            })
        });
    }
    group.finish();
}

/// 案卷评查 of decided cases: each evaluated with the compiled form and its
/// decided fine judged (years of case files against one ruleset).
fn review(c: &mut Criterion) {
    use cailiang::review::{Decided, DecidedOutcome, judge};
    let (rs, ids) = support::bench_ruleset();
    let ev = Evaluator::new(&rs);
    let off = EvalOptions::default();
    let decided: Vec<(Case, Decided)> = generate::graded_cases(10_000, 17)
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let fine = Decimal::from(10_000u64 + (i as u64 * 7_919) % 990_000);
            let d = Decided {
                outcome: DecidedOutcome::Penalty,
                word: None,
                fine: Some(fine),
                others: None,
            };
            (support::graded_case(&rs, &ids, g), d)
        })
        .collect();
    // Every verdict is reached by some case (the bench judges real work).
    let verdicts: std::collections::BTreeSet<&str> = decided
        .iter()
        .filter_map(|(c, d)| {
            ev.evaluate(c, &off)
                .ok()
                .map(|r| judge(&r, d).verdict.code())
        })
        .collect();
    assert!(verdicts.len() >= 3, "{verdicts:?}");
    let mut group = c.benchmark_group("review");
    for n in [1_000, 10_000] {
        let cases = decided.get(..n).unwrap_or(&decided);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), cases, |b, cases| {
            b.iter(|| {
                let mut findings = 0usize;
                for (case, d) in cases {
                    if let Ok(r) = ev.evaluate(black_box(case), &off) {
                        findings += usize::from(judge(&r, d).is_finding());
                    }
                }
                black_box(findings)
            })
        });
    }
    group.finish();
}

/// A superior (县级) and a township refining it (乡镇, 细化; each grade's
/// fine the upper half of the superior's), `n` matters each.
fn pair(n: usize) -> (Ruleset, Ruleset) {
    let sup = generate::n_matter_ruleset(n, "县级", None, false);
    let town = generate::n_matter_ruleset(n, "乡镇", Some("superior.rules"), true);
    let read = |p: &str| (p == "superior.rules").then(|| sup.clone());
    let loaded = cailiang::load::load_with_superior("township.rules", &town, None, &read);
    match (loaded.township, loaded.superior) {
        (Some(t), Some(s)) => (t, s),
        _ => panic!("{:#?}", loaded.diagnostics),
    }
}

fn validation(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate_township_vs_superior");
    group.sample_size(10);
    for n in [100usize, 2_000] {
        let (town, sup) = pair(n);
        let findings = cailiang::validate::validate(&town, &sup);
        assert!(
            !cailiang::validate::has_errors(&findings),
            "{:#?}",
            findings.first()
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                black_box(cailiang::validate::validate(
                    black_box(&town),
                    black_box(&sup),
                ))
            })
        });
    }
    group.finish();
}

/// Memory: printed once per run (not timed).
fn memory(_: &mut Criterion) {
    let (rs, ids) = support::bench_ruleset();
    let cases: Vec<Case> = generate::graded_cases(10_000, 5)
        .iter()
        .map(|g| support::graded_case(&rs, &ids, g))
        .collect();
    for trace in [false, true] {
        let opts = EvalOptions { trace };
        for n in [1usize, 100, 10_000] {
            let a0 = ALLOCS.load(Relaxed);
            let (l0, _) = (LIVE.load(Relaxed), PEAK.swap(LIVE.load(Relaxed), Relaxed));
            for case in cases.iter().take(n) {
                {
                    let r = evaluate(&rs, case, &opts);
                    black_box(&r);
                }
            }
            let allocs = ALLOCS.load(Relaxed) - a0;
            let peak = PEAK.load(Relaxed).saturating_sub(l0);
            eprintln!(
                "memory: {n:>6} evaluations, trace {}: {allocs} allocations ({:.2} per evaluation), peak heap above baseline {peak} bytes",
                if trace { "on " } else { "off" },
                allocs as f64 / n as f64
            );
        }
    }
    // The compiled form, trace off.
    let ev = Evaluator::new(&rs);
    let off = EvalOptions::default();
    let a0 = ALLOCS.load(Relaxed);
    let (l0, _) = (LIVE.load(Relaxed), PEAK.swap(LIVE.load(Relaxed), Relaxed));
    for case in &cases {
        let r = ev.evaluate(case, &off);
        black_box(&r);
    }
    let allocs = ALLOCS.load(Relaxed) - a0;
    eprintln!(
        "memory: {} evaluations, compiled, trace off: {allocs} allocations ({:.2} per evaluation), peak heap above baseline {} bytes",
        cases.len(),
        allocs as f64 / cases.len() as f64,
        PEAK.load(Relaxed).saturating_sub(l0)
    );
    // In `cargo test` (no `--bench`), the small sizes only.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    for n in SIZES.into_iter().filter(|&n| benchmarking || n <= 100) {
        let files = generate::n_matter_files(n, "县级", None, false);
        let text_len: usize = files.iter().map(|(_, t)| t.len()).sum();
        let l0 = LIVE.load(Relaxed);
        PEAK.store(l0, Relaxed);
        let a0 = ALLOCS.load(Relaxed);
        let rs = generated(n);
        let retained = LIVE.load(Relaxed).saturating_sub(l0);
        let peak = PEAK.load(Relaxed).saturating_sub(l0);
        let allocs = ALLOCS.load(Relaxed) - a0;
        eprintln!(
            "memory: ruleset of {n:>5} matters ({} bytes of text): retained {retained} bytes ({} per matter), peak while loading {peak} bytes, {allocs} allocations",
            text_len,
            retained / n
        );
        // Its compiled form (`Evaluator`).
        let l1 = LIVE.load(Relaxed);
        let ev = Evaluator::new(&rs);
        let compiled = LIVE.load(Relaxed).saturating_sub(l1);
        eprintln!(
            "memory: compiled form of {n:>5} matters: {compiled} bytes ({} per matter)",
            compiled / n
        );
        black_box(ev);
        black_box(rs);
    }
}

criterion_group!(
    benches,
    memory,
    parse_check,
    eval_vs_ruleset_size,
    eval_vs_case_count,
    review,
    validation
);
criterion_main!(benches);
