//! Unit tests of the table analysis and the refinement check on small
//! rulesets written in the language.

use super::*;
use crate::load;

fn model(text: &str) -> Ruleset {
    let read = |_: &str| None;
    let l = load::load("t.rules", text, &read);
    assert!(
        !crate::diag::has_errors(&l.diagnostics),
        "{}",
        crate::render::diagnostics_human(&l.sources, &l.diagnostics)
    );
    l.ruleset.unwrap()
}

fn codes(fs: &[Finding]) -> Vec<&'static str> {
    fs.iter().map(|f| f.diagnostic.code).collect()
}

const HEAD: &str = "规则集 \"测试\" {\n  施行 2024-01-01\n  边界 以上含本数 以下不含本数\n  政策 { 多阶次: 从重 }\n}\n";
const HEAD_NO_POLICY: &str =
    "规则集 \"测试\" {\n  施行 2024-01-01\n  边界 以上含本数 以下不含本数\n}\n";

#[test]
fn a_complete_partition_has_no_findings() {
    let rs = model(&format!(
        "{HEAD}事项 A \"甲\" {{\n  事实 {{ 量: 数量 吨 }}\n  法定 {{ 罚款 1万 至 10万 }}\n  阶次 1 当 量 < 10吨 {{ 罚款 1万 至 5万 }}\n  阶次 2 当 量 >= 10吨 {{ 罚款 5万 至 10万 }}\n}}\n"
    ));
    let fs = analyse(&rs);
    assert!(fs.is_empty(), "{fs:#?}");
}

#[test]
fn a_gap_is_reported_with_a_case_inside_it() {
    let rs = model(&format!(
        "{HEAD}事项 A \"甲\" {{\n  事实 {{ 量: 数量 吨 }}\n  法定 {{ 罚款 1万 至 10万 }}\n  阶次 1 当 量 < 10吨 {{ 罚款 1万 至 5万 }}\n  阶次 2 当 量 > 20吨 {{ 罚款 5万 至 10万 }}\n}}\n"
    ));
    let fs = analyse(&rs);
    assert_eq!(codes(&fs), vec!["V0101"]);
    let w = fs[0].witness.as_ref().unwrap();
    let v = &w.cases[0].case.facts["量"];
    assert_eq!(v, "10吨");
    assert_eq!(
        w.cases[0].case.dates.unwrap().decision.to_string(),
        "2024-01-01"
    );
}

#[test]
fn overlaps_with_different_results_need_a_policy() {
    let text = |head: &str| {
        format!(
            "{head}事项 A \"甲\" {{\n  事实 {{ 量: 数量 吨; 超标: 是否 }}\n  法定 {{ 罚款 1万 至 10万 }}\n  阶次 1 当 量 < 10吨 {{ 罚款 1万 至 5万 }}\n  阶次 2 当 超标 {{ 罚款 5万 至 10万 }}\n  阶次 3 其他 {{ 罚款 8万 至 10万 }}\n}}\n"
        )
    };
    let fs = analyse(&model(&text(HEAD_NO_POLICY)));
    assert!(codes(&fs).contains(&"V0102"));
    let fs = analyse(&model(&text(HEAD)));
    assert!(!codes(&fs).contains(&"V0102"));
}

#[test]
fn unreachable_and_shadowed_grades() {
    let rs = model(&format!(
        "{HEAD}事项 A \"甲\" {{\n  事实 {{ 量: 数量 吨 }}\n  法定 {{ 罚款 1万 至 10万 }}\n  阶次 1 当 量 < 10吨 且 量 > 20吨 {{ 罚款 1万 至 5万 }}\n  阶次 2 当 量 < 5吨 {{ 罚款 1万 至 3万 }}\n  阶次 3 当 量 < 50吨 {{ 罚款 5万 至 10万 }}\n  阶次 4 其他 {{ 罚款 9万 }}\n}}\n"
    ));
    let fs = analyse(&rs);
    let cs = codes(&fs);
    assert!(cs.contains(&"V0103"), "{cs:?}");
    assert!(cs.contains(&"V0104"), "{cs:?}");
}

#[test]
fn a_later_lighter_grade_and_a_monotonicity_break() {
    let rs = model(&format!(
        "{HEAD}事项 A \"甲\" {{\n  事实 {{ 量: 数量 吨 }}\n  法定 {{ 罚款 1万 至 10万 }}\n  阶次 1 当 量 >= 10吨 {{ 罚款 5万 至 10万 }}\n  阶次 2 当 量 < 10吨 {{ 罚款 1万 至 5万 }}\n}}\n"
    ));
    let fs = analyse(&rs);
    let cs = codes(&fs);
    assert!(cs.contains(&"V0105"), "{cs:?}");
    assert!(cs.contains(&"V0106"), "{cs:?}");
    let m = fs.iter().find(|f| f.diagnostic.code == "V0106").unwrap();
    let w = m.witness.as_ref().unwrap();
    assert_eq!(w.cases.len(), 2);
}

#[test]
fn a_weighted_model_below_the_statutory_minimum() {
    let rs = model(&format!(
        "{HEAD}事项 A \"甲\" {{\n  事实 {{ 所得: 金额 }}\n  法定 {{ 罚款 5万 至 10万 }}\n  权重 {{\n    起始 10%\n    因素 所得 {{\n      当 所得 < 1万 : 5%\n      其他 : 40%\n    }}\n    上限 100%\n    乘以 法定上限\n  }}\n}}\n"
    ));
    let fs = analyse(&rs);
    assert_eq!(codes(&fs), vec!["V0108"]);
    let w = fs[0].witness.as_ref().unwrap();
    assert!(w.cases[0].results[0].result.contains("1.5万元"), "{w:?}");
}

#[test]
fn unsatisfiable_and_shadowed_list_items() {
    let rs = model(&format!(
        "{HEAD}事实 {{ 初次: 是否; 轻微: 是否 }}\n清单 不予处罚 甲 \"甲\" {{\n  应当\n  项 1 \"一\" {{ 当 初次 }}\n  项 2 \"二\" {{ 当 初次 且 轻微 }}\n  项 3 \"三\" {{ 当 轻微 且 非 轻微 }}\n}}\n事项 A \"甲\" {{\n  法定 {{ 罚款 1万 至 10万 }}\n}}\n"
    ));
    let fs = analyse(&rs);
    let cs = codes(&fs);
    assert!(cs.contains(&"V0109"), "{cs:?}");
    assert!(cs.contains(&"V0110"), "{cs:?}");
}

/// A grade marked 减轻 below the minimum is not V0107; unmarked it is.
#[test]
fn a_marked_reduced_grade_is_not_below_the_minimum_defect() {
    let body = |mark: &str| {
        format!(
            "{HEAD}事项 A \"甲\" {{\n  事实 {{ 量: 数量 吨 }}\n  法定 自 2020-01-01 至 2024-06-30 {{ 罚款 1万 至 50万 }}\n  法定 自 2024-07-01 {{ 罚款 5万 至 50万 }}\n  阶次 1 \"减轻处罚\" {mark} 当 量 < 10吨 {{ 罚款 2万 至 5万 }}\n  阶次 2 当 量 >= 10吨 {{ 罚款 5万 至 50万 }}\n}}\n"
        )
    };
    let fs = analyse(&model(&body("减轻")));
    assert!(!codes(&fs).contains(&"V0107"), "{fs:#?}");
    let fs = analyse(&model(&body("")));
    let f = fs.iter().find(|f| f.diagnostic.code == "V0107").unwrap();
    assert!(
        f.diagnostic.message.contains("写 减轻"),
        "{}",
        f.diagnostic.message
    );
}

/// V0215: a township may not open a 减轻 or no-penalty grade the superior lacks.
#[test]
fn a_township_reduced_or_no_penalty_grade_the_superior_lacks() {
    let sup = model(&format!(
        "{HEAD}事项 A \"甲\" {{\n  事实 {{ 量: 数量 吨 }}\n  法定 {{ 罚款 5万 至 50万 }}\n  阶次 1 当 量 < 10吨 {{ 罚款 5万 至 20万 }}\n  阶次 2 当 量 >= 10吨 {{ 罚款 20万 至 50万 }}\n}}\n"
    ));
    let town = model(&format!(
        "{HEAD}事项 A \"甲\" {{\n  事实 {{ 量: 数量 吨; 情形: 是否 }}\n  法定 {{ 罚款 5万 至 50万 }}\n  阶次 0 \"不予处罚\" 当 情形 {{ 不予处罚 }}\n  阶次 1 \"减轻处罚\" 减轻 当 量 < 1吨 {{ 罚款 2万 至 5万 }}\n  阶次 2 当 量 < 10吨 {{ 罚款 5万 至 20万 }}\n  阶次 3 当 量 >= 10吨 {{ 罚款 20万 至 50万 }}\n}}\n"
    ));
    let fs = validate(&town, &sup);
    let n = codes(&fs).iter().filter(|c| **c == "V0215").count();
    assert_eq!(n, 2, "{fs:#?}");
    // The same superior rows: no V0215.
    let fs = validate(&town, &town);
    assert!(!codes(&fs).contains(&"V0215"), "{fs:#?}");
}
