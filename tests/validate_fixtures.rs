//! The validation fixtures (tests/validate/): a superior, a conforming
//! township and a township with one planted defect per finding kind.
//! Snapshots of the rendered findings keep the wording stable.

use cailiang::load;
use cailiang::render::diagnostics_human;
use cailiang::validate;

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn run(path: &str) -> (String, Vec<validate::Finding>) {
    let text = read(path).unwrap();
    let pair = load::load_with_superior(path, &text, None, &read);
    assert!(
        !cailiang::diag::has_errors(&pair.diagnostics),
        "{}",
        diagnostics_human(&pair.sources, &pair.diagnostics)
    );
    let t = pair.township.as_ref().unwrap();
    let s = pair.superior.as_ref().expect("the superior named by 细化");
    let mut fs = validate::analyse(t);
    fs.extend(validate::validate(t, s));
    let rendered = diagnostics_human(&pair.sources, &validate::diagnostics(&fs));
    (rendered, fs)
}

#[test]
fn the_conforming_township_conforms() {
    let (rendered, fs) = run("tests/validate/township-ok.rules");
    assert!(!validate::has_errors(&fs), "{rendered}");
    assert!(
        fs.iter().all(|f| f.diagnostic.code == "V0201"),
        "{rendered}"
    );
    insta::assert_snapshot!("township_ok", rendered);
}

#[test]
fn every_planted_defect_is_reported_with_both_locations() {
    let (rendered, fs) = run("tests/validate/township-bad.rules");
    let codes: std::collections::BTreeSet<&str> = fs.iter().map(|f| f.diagnostic.code).collect();
    for code in [
        "V0101", "V0102", "V0103", "V0104", "V0105", "V0106", "V0107", "V0108", "V0109", "V0110",
        "V0201", "V0202", "V0203", "V0204", "V0205", "V0206", "V0207", "V0208", "V0209", "V0210",
        "V0211", "V0212", "V0213",
    ] {
        assert!(codes.contains(code), "{code} missing:\n{rendered}");
    }
    for f in fs.iter().filter(|f| f.diagnostic.code.starts_with("V02")) {
        let files: std::collections::BTreeSet<_> =
            f.diagnostic.labels.iter().map(|l| l.span.file).collect();
        assert!(
            files.len() >= 2,
            "{} labels one file only",
            f.diagnostic.code
        );
    }
    for f in fs.iter().filter(|f| f.diagnostic.code == "V0204") {
        assert!(f.witness.is_some());
    }
    insta::assert_snapshot!("township_bad", rendered);
}

#[test]
fn the_analysis_gives_up_honestly_beyond_the_cell_limit() {
    let text = read("tests/validate/township-bad.rules").unwrap();
    let pair = load::load_with_superior("tests/validate/township-bad.rules", &text, None, &read);
    let t = pair.township.as_ref().unwrap();
    let s = pair.superior.as_ref().unwrap();
    let opts = validate::Options { max_cells: 2 };
    let codes: Vec<&str> = validate::analyse_with(t, &opts)
        .iter()
        .chain(validate::validate_with(t, s, &opts).iter())
        .map(|f| f.diagnostic.code)
        .collect();
    assert!(codes.contains(&"V0100"), "{codes:?}");
    assert!(codes.contains(&"V0200"), "{codes:?}");
}
