//! Instruction counts (not timed): runs one implementation of the graded
//! matter over generated cases inside a `measured_*` function, for
//! `valgrind --tool=callgrind --toggle-collect='*measured_*'`.
//!
//! ```sh
//! cargo bench --bench instructions --no-run
//! valgrind --tool=callgrind --toggle-collect='*measured_*' \
//!   target/release/deps/instructions-* hand|off|on|fast|fast-on|load|compile|zen|rvm|interp [N]
//! ```
//! (zen, rvm and interp need `--features peers`.) Instructions per
//! evaluation = the total / N (setup is outside `measured_*`). Without arguments (as in
//! `cargo test`) every implementation runs on 100 cases.

use cailiang::case::Case;
use cailiang::eval::{EvalOptions, Evaluator, evaluate};
use cailiang::model::Ruleset;
use std::hint::black_box;

#[path = "support/mod.rs"]
mod support;
use support::{Graded, generate, hand};

#[inline(never)]
fn measured_hand(cases: &[Graded]) {
    for g in cases {
        black_box(hand::evaluate(black_box(g)));
    }
}

#[inline(never)]
fn measured_engine(rs: &Ruleset, cases: &[Case], trace: bool) {
    let opts = EvalOptions { trace };
    for case in cases {
        {
            let r = evaluate(rs, black_box(case), &opts);
            black_box(&r);
        }
    }
}

#[inline(never)]
fn measured_compiled(ev: &Evaluator<'_>, cases: &[Case], trace: bool) {
    let opts = EvalOptions { trace };
    for case in cases {
        {
            let r = ev.evaluate(black_box(case), &opts);
            black_box(&r);
        }
    }
}

#[cfg(feature = "peers")]
mod peer_runs {
    use super::support::peers::{RegoInterp, RegoRvm, Zen, input};
    use super::*;

    #[inline(never)]
    fn measured_zen(zen: &Zen, inputs: &[serde_json::Value]) {
        for i in inputs {
            black_box(zen.eval(black_box(i)));
        }
    }

    #[inline(never)]
    fn measured_rvm(vm: &mut RegoRvm, inputs: &[regorus::Value]) {
        for i in inputs {
            black_box(vm.eval(black_box(i)));
        }
    }

    #[inline(never)]
    fn measured_interp(e: &mut RegoInterp, inputs: &[regorus::Value]) {
        for i in inputs {
            black_box(e.eval(black_box(i)));
        }
    }

    /// Runs a peer; false when `which` names none.
    pub fn run(which: &str, gens: &[Graded]) -> bool {
        let json: Vec<serde_json::Value> = gens.iter().map(input).collect();
        let rego = || -> Vec<regorus::Value> {
            json.iter()
                .filter_map(|j| regorus::Value::from_json_str(&j.to_string()).ok())
                .collect()
        };
        match which {
            "zen" => measured_zen(&Zen::new(), &json),
            "rvm" => measured_rvm(&mut RegoRvm::new(), &rego()),
            "interp" => measured_interp(&mut RegoInterp::new(), &rego()),
            _ => return false,
        }
        true
    }
}

#[inline(never)]
fn measured_load(files: &[(String, String)]) {
    black_box(support::load_files(files));
}

#[inline(never)]
fn measured_compile(rs: &Ruleset) {
    black_box(Evaluator::new(black_box(rs)));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which: Vec<&str> = match args.first().map(String::as_str) {
        Some(w) if !w.starts_with('-') => vec![w],
        _ if cfg!(feature = "peers") => vec!["hand", "off", "on", "fast", "zen", "rvm", "interp"],
        _ => vec!["hand", "off", "on", "fast", "fast-on"],
    };
    let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100usize);
    let (rs, ids) = support::bench_ruleset();
    let gens = generate::graded_cases(n, 7);
    let cases: Vec<Case> = gens
        .iter()
        .map(|g| support::graded_case(&rs, &ids, g))
        .collect();
    for w in which {
        match w {
            "hand" => measured_hand(&gens),
            "off" => measured_engine(&rs, &cases, false),
            "on" => measured_engine(&rs, &cases, true),
            // The same through the compiled form (`Evaluator`, built outside the measurement).
            "fast" => measured_compiled(&Evaluator::new(&rs), &cases, false),
            "fast-on" => measured_compiled(&Evaluator::new(&rs), &cases, true),
            // Parse + check of an N-matter generated ruleset.
            "load" => measured_load(&generate::n_matter_files(n, "县级", None, false)),
            // Building the compiled form of an N-matter generated ruleset.
            "compile" => measured_compile(&support::load_files(&generate::n_matter_files(
                n, "县级", None, false,
            ))),
            #[cfg(feature = "peers")]
            other if peer_runs::run(other, &gens) => {}
            other => eprintln!(
                "unknown implementation {other}: hand, off, on, fast, fast-on, load, compile, zen, rvm, interp"
            ),
        }
    }
}
