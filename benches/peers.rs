//! The graded matter of DESIGN §7 in the peers, in the same run as cailiang
//! and the hand-written logic: a zen-engine decision table (+ an expression
//! node for the 30 % bands) and Rego in regorus (compiled to its RVM, and its
//! interpreter). Every implementation is checked identical to cailiang on
//! the same 100,000 generated cases before anything is timed.
//!
//! `cargo bench --features peers --bench peers` (the peers take 12–15
//! minutes to build on 2 cores; never built by default or in CI).
//!
//! The peers' code is in `support/peers.rs`.

use cailiang::case::Case;
use cailiang::eval::{EvalOptions, evaluate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value as Json;
use std::hint::black_box;

#[path = "support/mod.rs"]
mod support;
use support::peers::{RegoInterp, RegoRvm, Zen, input, rego_summary};
use support::{generate, hand};

const CHECKED: usize = 100_000;
const BATCH: usize = 200;

fn peers(c: &mut Criterion) {
    let (rs, ids) = support::bench_ruleset();
    let gens = generate::graded_cases(CHECKED, 7);
    let per = support::check_hand_agrees(&rs, &ids, &gens);
    let inputs: Vec<Json> = gens.iter().map(input).collect();
    let rego_inputs: Vec<regorus::Value> = inputs
        .iter()
        .map(|j| regorus::Value::from_json_str(&j.to_string()).unwrap())
        .collect();
    let zen = Zen::new();
    let mut interp = RegoInterp::new();
    let mut rvm = RegoRvm::new();
    for (i, g) in gens.iter().enumerate() {
        let want = support::normalized(hand::evaluate(g));
        assert_eq!(zen.summary(&inputs[i]), want, "zen, case {i}: {g:?}");
        assert_eq!(
            rego_summary(&rvm.eval(&rego_inputs[i])),
            want,
            "regorus RVM, case {i}: {g:?}"
        );
        // The interpreter is slow: every 10th case (10,000 cases).
        if i % 10 == 0 {
            assert_eq!(
                rego_summary(&interp.eval(&rego_inputs[i])),
                want,
                "regorus interpreter, case {i}: {g:?}"
            );
        }
    }
    eprintln!(
        "peers: cailiang, hand-written, zen-engine and regorus RVM agree on {CHECKED} cases, the regorus interpreter on every 10th (time-barred {}, no penalty {}, penalty {})",
        per[0], per[1], per[3]
    );

    let batch = &gens[..BATCH];
    let cases: Vec<Case> = batch
        .iter()
        .map(|g| support::graded_case(&rs, &ids, g))
        .collect();
    let inputs = &inputs[..BATCH];
    let rego_inputs = &rego_inputs[..BATCH];
    let off = EvalOptions::default();

    let mut group = c.benchmark_group("peers");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            for g in batch {
                black_box(hand::evaluate(black_box(g)));
            }
        })
    });
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
    group.bench_function("zen_engine", |b| {
        b.iter(|| {
            for i in inputs {
                black_box(zen.eval(black_box(i)));
            }
        })
    });
    group.bench_function("regorus_rvm", |b| {
        b.iter(|| {
            for i in rego_inputs {
                black_box(rvm.eval(black_box(i)));
            }
        })
    });
    group.sample_size(10);
    group.bench_function("regorus_interpreter", |b| {
        b.iter(|| {
            for i in rego_inputs {
                black_box(interp.eval(black_box(i)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
