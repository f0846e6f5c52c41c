//! Instruction counts (not timed): runs one implementation of the graded
//! matter over generated cases inside a `measured_*` function, for
//! `valgrind --tool=callgrind --toggle-collect='*measured_*'`.
//!
//! ```sh
//! cargo bench --bench instructions --no-run
//! valgrind --tool=callgrind --toggle-collect='*measured_*' \
//!   target/release/deps/instructions-* hand|off|on [N]
//! ```
//! Instructions per evaluation = the total / N. Without arguments (as in
//! `cargo test`) every implementation runs on 100 cases.

use cailiang::case::Case;
use cailiang::eval::{EvalOptions, evaluate};
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
        black_box(evaluate(rs, black_box(case), &opts).ok());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which: Vec<&str> = match args.first().map(String::as_str) {
        Some(w) if !w.starts_with('-') => vec![w],
        _ => vec!["hand", "off", "on"],
    };
    let n = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100usize);
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
            other => eprintln!("unknown implementation {other}: hand, off, on"),
        }
    }
}
