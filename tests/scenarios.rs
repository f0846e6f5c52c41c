//! Every scenario file in `rulesets/` runs as part of `cargo test`, so CI
//! guards the worked cases of every bundled ruleset.

use cailiang::cli::{collect_scenarios, run_scenarios};
use std::path::PathBuf;

#[test]
fn every_bundled_scenario_passes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rulesets");
    let files = collect_scenarios(&[root]).unwrap();
    assert!(!files.is_empty(), "no scenario files under rulesets/");
    let report = run_scenarios(&files);
    for f in &report.failures {
        eprintln!("{f}");
    }
    assert_eq!(
        report.failed, 0,
        "{} passed, {} failed",
        report.passed, report.failed
    );
    assert!(report.passed >= files.len());
}
