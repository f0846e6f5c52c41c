//! Evaluation throughput: the DESIGN §7 graded matter (trace off and on)
//! against the same logic hand-written in Rust, a weighted matter, a
//! list-exempt case and a partial-facts envelope.
//!
//! `cargo bench --bench eval`; `cargo test` runs every body once.

use cailiang::case::Case;
use cailiang::eval::{EvalOptions, Evaluator, Outcome, evaluate};
use cailiang::model::Value;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;
use std::hint::black_box;

#[path = "support/mod.rs"]
mod support;
use support::{bench_ruleset, generate, graded_case, hand};

/// Cases per timed iteration: the figure is evaluations per second over
/// the generated mix (every path of the table).
const BATCH: usize = 1_000;
/// Cases checked identical before anything is timed.
const CHECKED: usize = 100_000;

fn graded(c: &mut Criterion) {
    let (rs, ids) = bench_ruleset();
    let gens = generate::graded_cases(CHECKED, 7);
    let per = support::check_hand_agrees(&rs, &ids, &gens);
    eprintln!(
        "graded: engine and hand-written agree on {CHECKED} cases (time-barred {}, no penalty {}, penalty {})",
        per[0], per[1], per[3]
    );
    let fast = support::check_compiled_agrees(&rs, &ids, &gens);
    eprintln!("graded: the compiled form agrees on {CHECKED} cases ({fast} on its fast path)");
    let batch: Vec<_> = gens.iter().take(BATCH).copied().collect();
    let cases: Vec<Case> = batch.iter().map(|g| graded_case(&rs, &ids, g)).collect();
    let ev = Evaluator::new(&rs);

    let mut group = c.benchmark_group("graded");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            for g in &batch {
                black_box(hand::evaluate(black_box(g)));
            }
        })
    });
    let off = EvalOptions { trace: false };
    group.bench_function("cailiang_trace_off", |b| {
        b.iter(|| {
            for case in &cases {
                {
                    let r = evaluate(&rs, black_box(case), &off);
                    black_box(&r);
                }
            }
        })
    });
    // The compiled form (`Evaluator`, built once outside the measurement).
    group.bench_function("cailiang_compiled_trace_off", |b| {
        b.iter(|| {
            for case in &cases {
                {
                    let r = ev.evaluate(black_box(case), &off);
                    black_box(&r);
                }
            }
        })
    });
    let on = EvalOptions { trace: true };
    group.bench_function("cailiang_trace_on", |b| {
        b.iter(|| {
            for case in &cases {
                {
                    let r = evaluate(&rs, black_box(case), &on);
                    black_box(&r);
                }
            }
        })
    });
    // Building the case from plain data is part of a case system's work.
    group.bench_function("cailiang_build_case_and_eval", |b| {
        b.iter(|| {
            for g in &batch {
                let case = graded_case(&rs, &ids, black_box(g));
                {
                    let r = ev.evaluate(&case, &off);
                    black_box(&r);
                }
            }
        })
    });
    group.finish();
}

fn others(c: &mut Criterion) {
    let (rs, ids) = bench_ruleset();
    let off = EvalOptions::default();

    // Weighted: 4 × 3 × 3 factor combinations.
    let mut weighted = Vec::new();
    for impact in 0..4u16 {
        for months in ["1", "6", "24"] {
            for times in ["1", "2", "5"] {
                let mut case = Case::new(&rs, ids.weighted);
                case.set(ids.impact, Value::Enum(impact));
                case.set(
                    ids.months,
                    Value::Number(months.parse::<Decimal>().unwrap_or_default()),
                );
                case.set(
                    ids.times,
                    Value::Number(times.parse::<Decimal>().unwrap_or_default()),
                );
                weighted.push(case);
            }
        }
    }
    for case in &weighted {
        let r = evaluate(&rs, case, &off).ok();
        assert!(r.is_some_and(|r| r.fine.is_some() && r.score.is_some()));
    }

    // A 首违不罚 list item that exempts.
    let mut listed = Case::new(&rs, ids.listed);
    listed.set(ids.first, Value::Bool(true));
    listed.set(ids.slight, Value::Bool(true));
    assert_eq!(
        evaluate(&rs, &listed, &off).ok().map(|r| r.outcome),
        Some(Outcome::NoPenalty)
    );

    // Partial facts: the area unknown → an envelope over two grades.
    let mut partial = graded_case(&rs, &ids, &generate::graded_cases(1, 3)[0]);
    partial.set(ids.minor, Value::Bool(false));
    partial.unset(ids.area);
    partial.act_date = cailiang::value::Date::new(2024, 3, 1);
    partial.discovery_date = cailiang::value::Date::new(2024, 6, 1);
    partial.decision_date = cailiang::value::Date::new(2024, 7, 1);
    let env = evaluate(&rs, &partial, &off).ok();
    assert!(env.is_some_and(|r| r.is_envelope() && r.possible_grades.len() == 2));

    let mut group = c.benchmark_group("matters");
    group.throughput(Throughput::Elements(weighted.len() as u64));
    group.bench_function("weighted", |b| {
        b.iter(|| {
            for case in &weighted {
                {
                    let r = evaluate(&rs, black_box(case), &off);
                    black_box(&r);
                }
            }
        })
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("list_exempt", |b| {
        b.iter(|| black_box(evaluate(&rs, black_box(&listed), &off).ok()))
    });
    group.bench_function("partial_facts_envelope", |b| {
        b.iter(|| black_box(evaluate(&rs, black_box(&partial), &off).ok()))
    });
    group.bench_function("case_new", |b| {
        b.iter_batched(
            || (),
            |()| black_box(Case::new(&rs, ids.graded)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, graded, others);
criterion_main!(benches);
