//! The peers (behind `--features peers`): the graded matter as a
//! zen-engine decision table and as Rego in regorus.
//!
//! Inputs: the peers get the case as their own JSON value, built once per
//! case before timing (as cailiang gets a prebuilt `Case`). Dates are
//! passed as yyyymmdd integers: with days ≤ 28 (as generated), "discovered
//! more than 2 years after the act" is `discovery > act + 20000`.

use super::{Graded, Summary};
use rust_decimal::Decimal;
use serde_json::{Value as Json, json};
use std::sync::Arc;

/// The Rego policy: the same table.
pub const REGO: &str = r#"package bench

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
pub fn input(g: &Graded) -> Json {
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

pub struct Zen {
    rt: tokio::runtime::Runtime,
    decision: zen_engine::Decision,
}

impl Zen {
    pub fn new() -> Zen {
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
    pub fn eval(&self, input: &Json) -> zen_engine::DecisionGraphResponse {
        self.rt
            .block_on(self.decision.evaluate(input.clone().into()))
            .unwrap()
    }
    pub fn summary(&self, input: &Json) -> Summary {
        summary_of(&serde_json::to_value(&self.eval(input).result).unwrap())
    }
}

pub struct RegoInterp {
    engine: regorus::Engine,
}

impl RegoInterp {
    pub fn new() -> RegoInterp {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("bench.rego".to_string(), REGO.to_string())
            .unwrap();
        RegoInterp { engine }
    }
    pub fn eval(&mut self, input: &regorus::Value) -> regorus::Value {
        self.engine.set_input(input.clone());
        self.engine
            .eval_rule("data.bench.result".to_string())
            .unwrap()
    }
}

pub struct RegoRvm {
    vm: regorus::rvm::RegoVM,
}

impl RegoRvm {
    pub fn new() -> RegoRvm {
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
    pub fn eval(&mut self, input: &regorus::Value) -> regorus::Value {
        self.vm.set_input(input.clone());
        self.vm.execute().unwrap()
    }
}

pub fn rego_summary(v: &regorus::Value) -> Summary {
    summary_of(&serde_json::from_str(&v.to_json_str().unwrap()).unwrap())
}
