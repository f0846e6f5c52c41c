//! Snapshots of the human output, trace included, of the first worked case
//! of every bundled scenario file: what a legal officer reads for each real
//! ruleset, kept under review.

use cailiang::cli::{collect_scenarios, load_path};
use cailiang::eval::{EvalOptions, evaluate, render_human};
use cailiang::scenario;
use std::path::{Path, PathBuf};

#[test]
fn first_case_of_every_ruleset_renders_with_its_trace() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let files = collect_scenarios(&[root.join("rulesets")]).unwrap();
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let sf = scenario::parse(&text).unwrap();
        let rpath = file.parent().unwrap_or(Path::new(".")).join(&sf.ruleset);
        let loaded = load_path(&rpath).unwrap();
        let rs = loaded.ruleset.as_ref().unwrap();
        let sc = &sf.cases[0];
        let case = sc.case.resolve(rs).unwrap();
        let rec = evaluate(rs, &case, &EvalOptions { trace: true }).unwrap();
        let name = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace(['/', '\\'], "__");
        insta::assert_snapshot!(
            format!("trace__{name}"),
            format!("案例：{}\n\n{}", sc.name, render_human(&rec, rs))
        );
    }
}
