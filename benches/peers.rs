//! The graded matter of DESIGN §7 in the peers, in the same run as cailiang
//! and the hand-written logic: a zen-engine decision table (+ an expression
//! node for the 30 % bands) and Rego in regorus (compiled to its RVM, and its
//! interpreter). Every implementation is checked identical to cailiang on
//! the same 100,000 generated cases before anything is timed.
//!
//! `cargo bench --features peers --bench peers` (the peers take 12–15
//! minutes to build on 2 cores; never built by default or in CI).
//!
//! Inputs: the peers get the case as their own JSON value, built once per
//! case before timing (as cailiang gets a prebuilt `Case`). Dates are
//! passed as yyyymmdd integers: with days ≤ 28 (as generated), "discovered
//! more than 2 years after the act" is `discovery > act + 20000`.

use cailiang::case::Case;
use cailiang::eval::{EvalOptions, evaluate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;
use serde_json::{Value as Json, json};
use std::hint::black_box;
use std::sync::Arc;

#[path = "support/mod.rs"]
mod support;
use support::{Graded, Summary, generate, hand};

const CHECKED: usize = 100_000;
const BATCH: usize = 200;

/// The Rego policy: the same table.
const REGO: &str = r#"package bench

import rego.v1

outcome := 0 if {
	input.discovery > input.act + 20000
} else := 1 if {
	input.minor
} else := 3

grade := 1 if {
	input.area < 100
	input.zone == 0
} else := 2 if {
	input.area < 100
	input.zone == 1
} else := 3 if {
	input.area >= 100
	input.zone == 0
} else := 4

bounds := {1: [10000, 30000], 2: [30000, 50000], 3: [50000, 80000], 4: [80000, 100000]}

lo := bounds[grade][0]

hi := bounds[grade][1]

fine := [lo, lo + ((hi - lo) * 3) / 10] if {
	input.light
	not input.heavy
} else := [lo + ((hi - lo) * 7) / 10, hi] if {
	input.heavy
	not input.light
} else := [lo, hi]

result := {"outcome": outcome, "grade": grade, "lo": fine[0], "hi": fine[1]} if {
	outcome == 3
} else := {"outcome": outcome}
"#;

/// The zen-engine graph: input → decision table (first hit) → expression
/// node (the 30 % bands) → output.
fn zen_graph() -> Json {
    let rule = |id: &str, diff: &str, minor: &str, area: &str, zone: &str, out: [&str; 4]| {
        json!({
            "_id": id, "i_diff": diff, "i_minor": minor, "i_area": area, "i_zone": zone,
            "o_outcome": out[0], "o_grade": out[1], "o_lo": out[2], "o_hi": out[3]
        })
    };
    let rules = vec![
        rule("r0", "> 20000", "", "", "", ["0", "null", "null", "null"]),
        rule("r1", "", "true", "", "", ["1", "null", "null", "null"]),
        rule("r2", "", "", "< 100", "0", ["3", "1", "10000", "30000"]),
        rule("r3", "", "", "< 100", "1", ["3", "2", "30000", "50000"]),
        rule("r4", "", "", ">= 100", "0", ["3", "3", "50000", "80000"]),
        rule("r5", "", "", ">= 100", "1", ["3", "4", "80000", "100000"]),
    ];
    json!({
        "nodes": [
            { "id": "in", "name": "request", "type": "inputNode", "content": {} },
            { "id": "dt", "name": "grades", "type": "decisionTableNode", "content": {
                "hitPolicy": "first",
                "inputs": [
                    { "id": "i_diff", "name": "limitation", "field": "discovery - act" },
                    { "id": "i_minor", "name": "minor", "field": "minor" },
                    { "id": "i_area", "name": "area", "field": "area" },
                    { "id": "i_zone", "name": "zone", "field": "zone" }
                ],
                "outputs": [
                    { "id": "o_outcome", "name": "outcome", "field": "outcome" },
                    { "id": "o_grade", "name": "grade", "field": "grade" },
                    { "id": "o_lo", "name": "lo", "field": "glo" },
                    { "id": "o_hi", "name": "hi", "field": "ghi" }
                ],
                "rules": rules,
                "passThrough": true
            } },
            { "id": "ex", "name": "bands", "type": "expressionNode", "content": {
                "expressions": [
                    { "id": "e1", "key": "outcome", "value": "outcome" },
                    { "id": "e2", "key": "grade", "value": "grade" },
                    { "id": "e3", "key": "lo", "value": "outcome == 3 ? (heavy and not light ? glo + (ghi - glo) * 0.7 : glo) : null" },
                    { "id": "e4", "key": "hi", "value": "outcome == 3 ? (light and not heavy ? glo + (ghi - glo) * 0.3 : ghi) : null" }
                ]
            } },
            { "id": "out", "name": "response", "type": "outputNode", "content": {} }
        ],
        "edges": [
            { "id": "e-in", "sourceId": "in", "targetId": "dt" },
            { "id": "e-dt", "sourceId": "dt", "targetId": "ex" },
            { "id": "e-ex", "sourceId": "ex", "targetId": "out" }
        ]
    })
}

fn ymd((y, m, d): (i32, u8, u8)) -> i64 {
    i64::from(y) * 10_000 + i64::from(m) * 100 + i64::from(d)
}

/// A generated case as the peers' input.
fn input(g: &Graded) -> Json {
    let area: f64 = g
        .area
        .map(|a| a.to_string().parse().unwrap_or(0.0))
        .unwrap_or(0.0);
    json!({
        "area": area, "zone": g.zone, "minor": g.minor, "light": g.light, "heavy": g.heavy,
        "act": ymd(g.act), "discovery": ymd(g.discovery)
    })
}

fn num(v: &Json) -> Option<Decimal> {
    match v {
        Json::Number(n) => n.to_string().parse::<Decimal>().ok().map(|d| d.normalize()),
        _ => None,
    }
}

/// A peer's JSON result in comparable form.
fn summary_of(v: &Json) -> Summary {
    let outcome = v["outcome"].as_u64().unwrap_or(99) as u8;
    let grade = v["grade"].as_u64().map(|g| g as u8);
    let fine = match (num(&v["lo"]), num(&v["hi"])) {
        (Some(a), Some(b)) if outcome == 3 => Some((a, true, b, true)),
        _ => None,
    };
    Summary {
        outcome,
        grade: if outcome == 3 { grade } else { None },
        fine,
    }
}

struct Zen {
    rt: tokio::runtime::Runtime,
    decision: zen_engine::Decision,
}

impl Zen {
    fn new() -> Zen {
        let content: zen_engine::model::DecisionContent =
            serde_json::from_value(zen_graph()).unwrap();
        let graph = match content {
            zen_engine::model::DecisionContent::Graph(g) => (*g).clone(),
            _ => panic!("expected a graph"),
        };
        let mut decision = zen_engine::Decision::from(Arc::new(graph));
        decision.compile();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        Zen { rt, decision }
    }
    fn eval(&self, input: &Json) -> zen_engine::DecisionGraphResponse {
        self.rt
            .block_on(self.decision.evaluate(input.clone().into()))
            .unwrap()
    }
    fn summary(&self, input: &Json) -> Summary {
        summary_of(&serde_json::to_value(&self.eval(input).result).unwrap())
    }
}

struct RegoInterp {
    engine: regorus::Engine,
}

impl RegoInterp {
    fn new() -> RegoInterp {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("bench.rego".to_string(), REGO.to_string())
            .unwrap();
        RegoInterp { engine }
    }
    fn eval(&mut self, input: &regorus::Value) -> regorus::Value {
        self.engine.set_input(input.clone());
        self.engine
            .eval_rule("data.bench.result".to_string())
            .unwrap()
    }
}

struct RegoRvm {
    vm: regorus::rvm::RegoVM,
}

impl RegoRvm {
    fn new() -> RegoRvm {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("bench.rego".to_string(), REGO.to_string())
            .unwrap();
        let entry: regorus::Rc<str> = "data.bench.result".into();
        let policy = engine.compile_with_entrypoint(&entry).unwrap();
        let program = regorus::languages::rego::compiler::Compiler::compile_from_policy(
            &policy,
            &["data.bench.result"],
        )
        .unwrap();
        let mut vm = regorus::rvm::RegoVM::new();
        vm.load_program(program);
        RegoRvm { vm }
    }
    fn eval(&mut self, input: &regorus::Value) -> regorus::Value {
        self.vm.set_input(input.clone());
        self.vm.execute().unwrap()
    }
}

fn rego_summary(v: &regorus::Value) -> Summary {
    summary_of(&serde_json::from_str(&v.to_json_str().unwrap()).unwrap())
}

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
                black_box(evaluate(&rs, black_box(case), &off).ok());
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
