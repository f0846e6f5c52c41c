//! Checker tests: DSL text through the real parser, then the checker.

use super::*;
use crate::diag::Severity;
use crate::model::{Amount, Bound, Cond, Fine, FineRule, Interval, Period, Table};
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Parses files (main first) and checks them.
fn run_files(files: &[(&str, &str)]) -> (Option<Ruleset>, Vec<Diagnostic>, SourceMap) {
    let mut sources = SourceMap::new();
    let mut parsed = Vec::new();
    for (name, text) in files {
        let id = sources.add(*name, *text);
        match crate::syntax::parse(id, text) {
            Ok(f) => parsed.push((id, f)),
            Err(ds) => panic!("parse error in {name}: {ds:#?}"),
        }
    }
    let (rs, diags) = check(&parsed, &sources);
    (rs, diags, sources)
}

fn run(text: &str) -> (Option<Ruleset>, Vec<Diagnostic>) {
    let (rs, d, _) = run_files(&[("main.rules", text)]);
    (rs, d)
}

fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
    d.iter().map(|d| d.code).collect()
}

const HEAD: &str = "规则集 \"测试\" { 边界 以上含本数 以下不含本数 }\n";

fn with_head(body: &str) -> String {
    format!("{HEAD}{body}")
}

#[test]
fn lead_example_checks() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let name = "tests/good/full_zh.rules";
    let text = std::fs::read_to_string(root.join(name)).unwrap();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).ok();
    let loaded = crate::load::load(name, &text, &read);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let rs = loaded.ruleset;
    let rs = rs.unwrap();
    assert_eq!(rs.matters.len(), 3);
    assert_eq!(rs.content_hash.len(), 64);
}

#[test]
fn graded_matter_lowers_ranges_by_convention() {
    let (rs, d) = run(&with_head(
        "事项 W-2-5 \"排污\" {\n  事实 { 排放量: 数量 吨 }\n  法定 { 罚款 10万 至 100万 }\n  阶次 1 当 排放量 10吨以上20吨以下 { 罚款 10万以上20万以下 }\n}\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
    let rs = rs.unwrap();
    let m = &rs.matters[0];
    let Table::Graded(gs) = &m.table else {
        panic!()
    };
    let fine = gs[0].fine.as_ref().unwrap();
    assert_eq!(
        fine.rule,
        FineRule::Range {
            lower: Some(Bound {
                value: Amount::Fixed(dec("100000")),
                inclusive: true
            }),
            upper: Bound {
                value: Amount::Fixed(dec("200000")),
                inclusive: false
            }
        }
    );
    let crate::model::Guard::When(Cond::Number { interval, .. }) = &gs[0].guard else {
        panic!("{:?}", gs[0].guard)
    };
    assert_eq!(
        *interval,
        Interval {
            lower: Some(Bound {
                value: dec("10"),
                inclusive: true
            }),
            upper: Some(Bound {
                value: dec("20"),
                inclusive: false
            })
        }
    );
}

#[test]
fn undeclared_convention_warns_once_per_file() {
    let (rs, d) = run(
        "规则集 \"无边界\" { 制定机关 \"某局\" }\n事项 A \"甲\" {\n  法定 { 罚款 1万以上10万以下 }\n  阶次 1 当 是否严重 = 否 { 罚款 1万以上5万以下 }\n  事实 { 是否严重: 是否 }\n}\n",
    );
    assert_eq!(codes(&d), vec!["W0301"], "{d:#?}");
    let rs = rs.unwrap();
    // Default: both ends inclusive.
    let Table::Graded(gs) = &rs.matters[0].table else {
        panic!()
    };
    let Some(FineRule::Range { upper, .. }) = gs[0].fine.as_ref().map(|f| &f.rule) else {
        panic!()
    };
    assert!(upper.inclusive);
}

#[test]
fn quantities_convert_to_the_fact_unit_and_dimensions_must_match() {
    let (rs, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 排放量: 数量 吨 }\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 排放量 >= 500千克 { 罚款 1万 至 2万 }\n}\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
    let Table::Graded(gs) = &rs.unwrap().matters[0].table else {
        panic!()
    };
    let crate::model::Guard::When(Cond::Number { interval, .. }) = &gs[0].guard else {
        panic!()
    };
    assert_eq!(interval.lower.unwrap().value, dec("0.5"));

    let (rs, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 排放量: 数量 吨 }\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 排放量 >= 20平方米 { 罚款 1万 至 2万 }\n}\n",
    ));
    assert!(rs.is_none());
    assert_eq!(codes(&d), vec!["E0202"]);
    assert!(
        d[0].message.contains("排放量 以 吨 计量"),
        "{}",
        d[0].message
    );
    assert!(d[0].message.contains("20平方米 是面积"), "{}", d[0].message);
}

#[test]
fn glued_keywords_get_a_hint() {
    let (_, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 涉重金属: 是否; 超标: 是否 }\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 涉重金属且超标 { 罚款 1万 至 2万 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0101"]);
    assert!(
        d[0].notes.iter().any(|n| n.contains("`涉重金属 且 超标`")),
        "{:#?}",
        d[0]
    );
}

#[test]
fn enum_values_are_checked_and_ordered() {
    let (_, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 类别: 枚举(简化管理, 重点管理) }\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 类别 = 重点 { 罚款 1万 至 2万 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0203"]);
    assert!(d[0].message.contains("简化管理、重点管理"));
    assert!(d[0].notes.iter().any(|n| n.contains("重点管理")));

    let (rs, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 等级: 枚举(轻, 中, 重) }\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 等级 >= 中 { 罚款 1万 至 2万 }\n}\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
    let Table::Graded(gs) = &rs.unwrap().matters[0].table else {
        panic!()
    };
    assert_eq!(
        gs[0].guard,
        crate::model::Guard::When(Cond::Enum {
            fact: FactId(0),
            values: vec![1, 2]
        })
    );
}

#[test]
fn money_compared_with_a_count_is_a_type_error() {
    let (_, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 违法所得: 金额 }\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 违法所得 > 3次 { 罚款 1万 至 2万 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0201"]);
}

#[test]
fn grade_above_statute_names_both_ranges() {
    let (_, d) = run(&with_head(
        "事项 W-2-5 \"排污\" {\n  法定 { 罚款 10万 至 100万 }\n  阶次 2 其他 { 罚款 20万 至 120万 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0303"]);
    assert_eq!(
        d[0].message,
        "事项 W-2-5 的阶次 2 罚款上限 120万元 超出法定上限 100万元；请把阶次上限改为不超过 100万元"
    );
    assert_eq!(d[0].labels.len(), 2);
    assert!(!d[0].labels[1].primary);
}

#[test]
fn raised_minimum_only_warns() {
    let (rs, d) = run(&with_head(
        "事项 G \"固废\" {\n  法定 至 2020-08-31 { 罚款 1万 至 10万 }\n  法定 自 2020-09-01 { 罚款 10万 至 100万 }\n  阶次 1 其他 { 罚款 1万 至 5万 }\n}\n",
    ));
    assert!(rs.is_some());
    assert_eq!(codes(&d), vec!["W0302"], "{d:#?}");
}

#[test]
fn inverted_and_empty_ranges() {
    let (_, d) = run(&with_head(
        "事项 A \"甲\" {\n  法定 { 罚款 100万 至 10万 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0301"]);
    let (_, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 面积: 数量 平方米 }\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 面积 超过10平方米 不满10平方米 { 罚款 1万 至 2万 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0302"], "{d:#?}");
}

#[test]
fn policies_defaults_and_contradictions() {
    let (rs, d) = run(&with_head("事项 A \"甲\" { 法定 { 罚款 1万 至 10万 } }\n"));
    assert!(d.is_empty(), "{d:#?}");
    let p = rs.unwrap().policy;
    assert_eq!(p.lighter.upper.value, dec("0.30"));
    assert!(!p.several_grades_declared);

    let (_, d) = run(
        "规则集 \"x\" { 边界 以上含本数 以下含本数 政策 { 从轻: 阶次 70% 至 100%; 从重: 阶次 0% 至 30% } }\n事项 A \"甲\" { 法定 { 罚款 1万 至 10万 } }\n",
    );
    assert_eq!(codes(&d), vec!["E0403"], "{d:#?}");
    let (_, d) = run(
        "规则集 \"x\" { 边界 以上含本数 以下含本数 政策 { 从轻: 阶次 0% 至 130% } }\n事项 A \"甲\" { 法定 { 罚款 1万 至 10万 } }\n",
    );
    assert_eq!(codes(&d), vec!["E0401"], "{d:#?}");
    let (_, d) = run(
        "规则集 \"x\" { 边界 以上含本数 以下含本数 政策 { 多阶次: 从重; 多阶次: 首个 } }\n事项 A \"甲\" { 法定 { 罚款 1万 至 10万 } }\n",
    );
    assert_eq!(codes(&d), vec!["E0404"], "{d:#?}");
}

#[test]
fn lists_merge_and_unknown_matters() {
    let (rs, d) = run(&with_head(
        "事实 { 首次: 是否; 轻微: 是否; 改正: 是否 }\n清单 首违不罚 \"首违不罚清单\" {\n  可以\n  条件 首次 且 轻微\n  义务 教育\n  项 1 \"甲\" { 事项 A 当 改正 }\n  项 2 \"乙\" { 事项 Z }\n}\n事项 A \"甲\" { 法定 { 罚款 1万 至 10万 } }\n",
    ));
    assert_eq!(codes(&d), vec!["E0501"], "{d:#?}");
    assert!(rs.is_none());
    let (rs, d) = run(&with_head(
        "事实 { 首次: 是否; 轻微: 是否; 改正: 是否 }\n清单 首违不罚 \"首违不罚清单\" {\n  可以\n  条件 首次 且 轻微\n  义务 教育\n  项 1 \"甲\" { 事项 A 当 改正 }\n}\n事项 A \"甲\" { 法定 { 罚款 1万 至 10万 } }\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
    let rs = rs.unwrap();
    let item = &rs.lists[0].items[0];
    assert!(matches!(&item.when, Cond::And(parts) if parts.len() == 2));
    assert_eq!(item.obligations, vec!["教育".to_string()]);
    assert_eq!(rs.matters[0].list_items, vec![(0, 0)]);
}

#[test]
fn circumstance_without_when_gets_a_boolean_fact() {
    let (rs, d) = run(&with_head(
        "情节 受胁迫 { 应当 从轻或者减轻 }\n事项 A \"甲\" { 法定 { 罚款 1万 至 10万 } }\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
    let rs = rs.unwrap();
    let id = rs.shared_facts["受胁迫"];
    assert_eq!(rs.facts[id.0 as usize].ty, FactType::Bool);
    assert_eq!(
        rs.circumstances[0].when,
        Cond::Bool {
            fact: id,
            value: true
        }
    );
    assert_eq!(rs.matters[0].circumstances, vec![0]);
}

#[test]
fn limitation_periods() {
    let (rs, d) = run(&with_head(
        "时效 2年\n事项 A \"甲\" { 时效 90天; 法定 { 罚款 1万 至 10万 } }\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
    let rs = rs.unwrap();
    assert_eq!(rs.limitation[0].period, Period::Months(24));
    assert_eq!(rs.matters[0].limitation[0].period, Period::Days(90));
}

#[test]
fn header_checks() {
    let (_, d) = run(
        "规则集 \"x\" { 层级 乡镇 施行 2024-03-01 至 2023-01-01 边界 以上含本数 以下含本数 }\n事项 A \"甲\" { 法定 { 罚款 1万 至 10万 } }\n",
    );
    assert_eq!(codes(&d), vec!["E0605", "W0607"], "{d:#?}");
    let mut sources = SourceMap::new();
    let text = "规则集 \"x\" { 细化 \"../city.rules\" 边界 以上含本数 以下含本数 }\n引用 \"missing.rules\"\n事项 A \"甲\" { 法定 { 罚款 1万 至 10万 } }\n";
    let id = sources.add("main.rules", text);
    let file = crate::syntax::parse(id, text).unwrap();
    let exists = |_: FileId, p: &str| p == "../city.rules";
    let opts = Options {
        path_exists: Some(&exists),
    };
    let (_, d) = check_with(&[(id, file)], &sources, &opts);
    // Missing includes are the loader's to report (E0603, see load.rs); the
    // refines path exists here, so the checker has nothing to say.
    assert!(codes(&d).is_empty(), "{d:#?}");
}

#[test]
fn weighted_models() {
    let (rs, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 所得: 金额 }\n  法定 { 罚款 1万 至 10万 }\n  权重 { 起始 10%; 因素 所得 { 当 所得 >= 1万: 20%; 其他: 5% } }\n}\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
    let Table::Weighted(w) = &rs.unwrap().matters[0].table else {
        panic!()
    };
    assert_eq!(w.start, dec("0.10"));
    assert_eq!(w.cap, Decimal::ONE);
    assert_eq!(w.factors[0].levels[0].weight, dec("0.20"));
    let (_, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 所得: 金额 }\n  法定 { 罚款 1万 至 10万 }\n  权重 { 因素 所得 { 当 所得 >= 1万: 120% } }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0309"], "{d:#?}");
}

#[test]
fn per_unit_rates_convert() {
    let (rs, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 面积: 数量 亩 }\n  法定 { 罚款 按 面积 每平方米 3元 至 30元 }\n}\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
    let st = &rs.unwrap().matters[0].statutes[0];
    let Some(FineRule::Range { lower: Some(l), .. }) = st.fine.as_ref().map(|f| &f.rule) else {
        panic!()
    };
    // 3元/平方米 × 2000/3 平方米/亩 = 2000元/亩.
    assert!(matches!(l.value, Amount::OfBase { factor, .. } if factor == dec("2000")));
}

#[test]
fn every_emitted_code_is_registered_and_severity_matches() {
    for (code, _) in CODES {
        assert!(code.len() == 5 && (code.starts_with('E') || code.starts_with('W')));
    }
    let (_, d) = run("事项 A \"甲\" { 阶次 1 其他 { 罚款 1万 } }\n");
    for x in &d {
        assert!(describe(x.code).is_some(), "{} not registered", x.code);
        assert_eq!(x.code.starts_with('W'), x.severity == Severity::Warning);
    }
    assert!(codes(&d).contains(&"W0305"));
}

#[test]
fn statute_phrases_are_read_inclusive_whatever_the_document_convention() {
    // The benchmark reads 以下 as excluding the number; the statute's own
    // 以下 is the law's and includes it.
    let (rs, d) = run(&with_head(
        "事项 A \"甲\" {\n  法定 { 罚款 10万以上100万以下 }\n  阶次 1 其他 { 罚款 10万以上20万以下 }\n}\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
    let m = &rs.unwrap().matters[0];
    let Some(Fine {
        rule: FineRule::Range { upper, .. },
        ..
    }) = &m.statutes[0].fine
    else {
        panic!()
    };
    assert!(upper.inclusive, "statutory maximum must be inclusive");
    let Table::Graded(gs) = &m.table else {
        panic!()
    };
    let Some(Fine {
        rule: FineRule::Range { upper, .. },
        ..
    }) = &gs[0].fine
    else {
        panic!()
    };
    assert!(
        !upper.inclusive,
        "the grade follows the document's 以下不含本数"
    );
}

/// The interval of grade `i`'s guard (a single range condition) and its fine.
fn grade_interval_and_fine(rs: &Ruleset, i: usize) -> (Interval<Decimal>, FineRule) {
    let Table::Graded(gs) = &rs.matters[0].table else {
        panic!()
    };
    let g = &gs[i];
    let crate::model::Guard::When(Cond::Number { interval, .. }) = &g.guard else {
        panic!("{:?}", g.guard)
    };
    (*interval, g.fine.as_ref().unwrap().rule.clone())
}

fn b(v: &str, inclusive: bool) -> Option<Bound<Decimal>> {
    Some(Bound {
        value: dec(v),
        inclusive,
    })
}

fn fixed(v: &str, inclusive: bool) -> Bound<Amount> {
    Bound {
        value: Amount::Fixed(dec(v)),
        inclusive,
    }
}

#[test]
fn inclusion_marks_and_explicit_words_override_the_convention() {
    // 以上含本数、以下不含本数; each grade's guard uses one new notation.
    let (rs, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 违法所得: 金额 }\n  法定 { 罚款 1000元 至 10万 }\n\
  阶次 1 当 违法所得 2000元以上(含2000元)1万元以下 { 罚款 1-2万元 }\n\
  阶次 2 当 违法所得 10万以下(含本数) { 罚款 5000-10000元 }\n\
  阶次 3 当 违法所得 2000元以上（不含2000元） { 罚款 1万元—2万元 }\n\
  阶次 4 当 违法所得 3万元及以下 { 罚款 0.8万-1.2万 }\n\
  阶次 5 当 违法所得 不大于 5000元 { 罚款 1万 至 2万 }\n\
  阶次 6 当 违法所得 1万元到2万元的含下线 { 罚款 1万 至 2万 }\n\
  阶次 7 当 违法所得 1万元（不含）-2万元（含） { 罚款 1万 至 2万 }\n\
  阶次 8 当 违法所得 大于25000元小于30000元 { 罚款 1万 至 2万 }\n}\n",
    ));
    assert!(!d.iter().any(|d| d.is_error()), "{d:#?}");
    let rs = rs.unwrap();
    let int = |l, u| Interval { lower: l, upper: u };
    let (i1, f1) = grade_interval_and_fine(&rs, 0);
    assert_eq!(i1, int(b("2000", true), b("10000", false)));
    assert_eq!(
        f1,
        FineRule::Range {
            lower: Some(fixed("10000", true)),
            upper: fixed("20000", false)
        }
    );
    let (i2, f2) = grade_interval_and_fine(&rs, 1);
    assert_eq!(
        i2,
        int(None, b("100000", true)),
        "（含本数） overrides 以下不含本数"
    );
    assert_eq!(
        f2,
        FineRule::Range {
            lower: Some(fixed("5000", true)),
            upper: fixed("10000", false)
        }
    );
    assert_eq!(
        grade_interval_and_fine(&rs, 2).0,
        int(b("2000", false), None)
    );
    let (i4, f4) = grade_interval_and_fine(&rs, 3);
    assert_eq!(i4, int(None, b("30000", true)), "及以下 includes");
    assert_eq!(
        f4,
        FineRule::Range {
            lower: Some(fixed("8000", true)),
            upper: fixed("12000", false)
        }
    );
    assert_eq!(
        grade_interval_and_fine(&rs, 4).0,
        int(None, b("5000", true))
    );
    assert_eq!(
        grade_interval_and_fine(&rs, 5).0,
        int(b("10000", true), b("20000", false))
    );
    assert_eq!(
        grade_interval_and_fine(&rs, 6).0,
        int(b("10000", false), b("20000", true))
    );
    assert_eq!(
        grade_interval_and_fine(&rs, 7).0,
        int(b("25000", false), b("30000", false))
    );
}

#[test]
fn lower_bound_words_counters_rates_and_per_mille() {
    let head = "规则集 \"测试\" { 边界 以上不含本数 以下不含本数 }\n";
    let (rs, d) = run(&format!(
        "{head}事项 A \"甲\" {{\n  事实 {{ 次数: 整数; 人数: 数量 名; 容量: 数量 吨/小时; 总投资额: 金额 }}\n\
  法定 {{ 罚款 总投资额 1‰ 至 5‰ }}\n\
  阶次 1 当 次数 3次以上(包含三次) {{ 罚款 总投资额 千分之一 至 千分之二 }}\n\
  阶次 2 当 次数 满3次 {{ 罚款 总投资额 1-2‰ }}\n\
  阶次 3 当 人数 3名及以上 {{ 罚款 总投资额 百分之0.1 至 百分之0.2 }}\n\
  阶次 4 当 人数 3人以上(含) {{ 罚款 总投资额 10‱ 至 20‱ }}\n\
  阶次 5 当 容量 20吨/小时以下 {{ 罚款 总投资额 0.1% 至 0.2% }}\n\
  阶次 6 当 容量 不小于 480吨/日 {{ 罚款 总投资额 0.1% 至 0.2% }}\n}}\n"
    ));
    assert!(!d.iter().any(|d| d.is_error()), "{d:#?}");
    let rs = rs.unwrap();
    let ge = |v: &str| Interval {
        lower: b(v, true),
        upper: None,
    };
    for i in 0..4 {
        let (iv, f) = grade_interval_and_fine(&rs, i);
        assert_eq!(iv, ge("3"), "grade {}", i + 1);
        let FineRule::Range { lower, upper } = f else {
            panic!()
        };
        let factor = |a: &Amount| match a {
            Amount::OfBase { factor, .. } => *factor,
            Amount::Fixed(_) | Amount::Product { .. } => panic!(),
        };
        assert_eq!(
            factor(&lower.unwrap().value),
            dec("0.001"),
            "grade {}",
            i + 1
        );
        assert_eq!(factor(&upper.value), dec("0.002"), "grade {}", i + 1);
    }
    assert_eq!(
        grade_interval_and_fine(&rs, 4).0,
        Interval {
            lower: None,
            upper: b("20", false)
        }
    );
    assert_eq!(
        grade_interval_and_fine(&rs, 5).0,
        ge("20"),
        "480吨/日 = 20吨/小时"
    );
}

#[test]
fn a_counter_of_another_thing_is_a_typed_error() {
    let (rs, d) = run(&with_head(
        "事项 A \"甲\" {\n  事实 { 人数: 数量 名 }\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 人数 3次以上 { 罚款 1万 至 2万 }\n}\n",
    ));
    assert!(rs.is_none());
    assert_eq!(codes(&d), vec!["E0202"]);
    assert!(d[0].message.contains("数的是“次”"), "{}", d[0].message);
}

/// The upper end of grade `i`'s guard (a number condition) and of its fine.
fn grade_ends(rs: &Ruleset, matter: usize, i: usize) -> (Bound<Decimal>, bool) {
    let Table::Graded(gs) = &rs.matters[matter].table else {
        panic!()
    };
    let crate::model::Guard::When(Cond::Number { interval, .. }) = &gs[i].guard else {
        panic!("{:?}", gs[i].guard)
    };
    let fine_upper = match gs[i].fine.as_ref().map(|f| &f.rule) {
        Some(FineRule::Range { upper, .. }) => upper.inclusive,
        other => panic!("{other:?}"),
    };
    (interval.upper.unwrap(), fine_upper)
}

/// 晋江 2024: the document's 以下 includes the number, but for accident
/// classes "以下不包括本数" — a fact's own 边界 reads conditions on it; a
/// matter's own 边界 reads everything written in the matter; the closest
/// declaration of each side wins, the other side is inherited.
#[test]
fn fact_and_matter_boundaries_override_the_document() {
    let (rs, d) = run("规则集 \"晋江式\" { 边界 以上含本数 以下含本数 }\n\
         事实 { 死亡人数: 数量 人 边界 以下不含本数 \"事故死亡人数\"; 违法所得: 金额 }\n\
         事项 A \"事故\" {\n  法定 { 罚款 20万 至 100万 }\n  阶次 1 当 死亡人数 3人以下 { 罚款 20万以上50万以下 }\n  阶次 2 当 死亡人数 3人以上 { 罚款 50万 至 100万 }\n}\n\
         事项 B \"其他\" {\n  边界 以下不含本数\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 违法所得 1万以下 { 罚款 1万以上5万以下 }\n  阶次 2 其他 { 罚款 5万 至 10万 }\n}\n\
         事项 C \"照文件\" {\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 违法所得 1万以下 { 罚款 1万以上5万以下 }\n  阶次 2 其他 { 罚款 5万 至 10万 }\n}\n");
    assert!(d.is_empty(), "{d:#?}");
    let rs = rs.unwrap();
    // The fact's 以下 excludes 3人; the grade's fine follows the document.
    let (guard, fine) = grade_ends(&rs, 0, 0);
    assert_eq!(
        (guard.value, guard.inclusive, fine),
        (dec("3"), false, true)
    );
    // The matter's 以下 excludes, in guards and fines alike.
    let (guard, fine) = grade_ends(&rs, 1, 0);
    assert_eq!(
        (guard.value, guard.inclusive, fine),
        (dec("10000"), false, false)
    );
    // Other matters keep the document's.
    let (guard, fine) = grade_ends(&rs, 2, 0);
    assert_eq!(
        (guard.value, guard.inclusive, fine),
        (dec("10000"), true, true)
    );
}

/// A fact's or matter's 边界 is a declaration: no W0301 for its phrases,
/// and their ends are not "decided by an undeclared convention".
#[test]
fn a_local_boundaries_declaration_counts_as_declared() {
    let (rs, d) = run("规则集 \"无边界\" { 制定机关 \"某局\" }\n\
         事项 A \"甲\" {\n  边界 以上含本数 以下不含本数\n  事实 { 数额: 金额 }\n  法定 { 罚款 1万 至 10万 }\n  阶次 1 当 数额 5万以下 { 罚款 1万以上5万以下 }\n  阶次 2 其他 { 罚款 5万 至 10万 }\n}\n");
    assert!(d.is_empty(), "{d:#?}");
    let Table::Graded(gs) = &rs.unwrap().matters[0].table else {
        panic!()
    };
    let crate::model::Guard::When(Cond::Number { by_convention, .. }) = &gs[0].guard else {
        panic!()
    };
    assert_eq!(*by_convention, (false, false));
}

#[test]
fn boundaries_twice_in_a_matter_and_on_a_bool_fact() {
    let (_, d) = run(&with_head(
        "事项 A \"甲\" {\n  边界 以下不含本数\n  边界 以上不含本数\n  法定 { 罚款 1万 至 10万 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0111"], "{d:#?}");
    let (_, d) = run(&with_head(
        "事实 { 有证: 是否 边界 以下不含本数 }\n事项 A \"甲\" {\n  法定 { 罚款 1万 至 10万 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["W0318"], "{d:#?}");
}

/// 云南 自然资源 "严重 … 按照序号5的裁量基准执行": a grade that 参照 another
/// matter's grade takes its sanctions and is checked against its own statute.
#[test]
fn a_grade_refers_to_another_matters_grade() {
    let base = "事项 5 \"甲\" {\n  事实 { 面积: 数量 平方米 }\n  法定 { 罚款 1万 至 10万 }\n  阶次 一般 当 面积 100平方米以下 { 罚款 1万 至 3万 }\n  阶次 严重 其他 { 罚款 3万 至 10万; 并处 责令改正 }\n}\n";
    let (rs, d) = run(&with_head(&format!(
        "{base}事项 6 \"乙\" {{\n  事实 {{ 面积: 数量 平方米 }}\n  法定 {{ 罚款 2万 至 10万 }}\n  阶次 一般 当 面积 100平方米以下 {{ 罚款 2万 至 4万 }}\n  阶次 严重 其他 {{ 参照 事项 5 }}\n}}\n事项 7 \"丙\" {{\n  事实 {{ 严重: 是否 }}\n  法定 {{ 罚款 1万 至 10万 }}\n  阶次 重 当 严重 {{ 参照 事项 6 阶次 严重 }}\n}}\n"
    )));
    assert!(d.is_empty(), "{d:#?}");
    let rs = rs.unwrap();
    for (mi, gi) in [(1, 1), (2, 0)] {
        let Table::Graded(gs) = &rs.matters[mi].table else {
            panic!()
        };
        assert_eq!(gs[gi].refers.as_deref(), Some("事项 5 阶次 严重"));
        assert_eq!(gs[gi].others.len(), 1);
        let Some(FineRule::Range { lower, .. }) = gs[gi].fine.as_ref().map(|f| &f.rule) else {
            panic!()
        };
        assert_eq!(lower.as_ref().unwrap().value, Amount::Fixed(dec("30000")));
    }
    // Checked against the referring matter's statute: 1万–3万 is below 2万.
    let (_, d) = run(&with_head(&format!(
        "{base}事项 6 \"乙\" {{\n  法定 {{ 罚款 2万 至 10万 }}\n  阶次 一般 其他 {{ 参照 事项 5 }}\n}}\n"
    )));
    assert_eq!(codes(&d), vec!["E0304"], "{d:#?}");
}

#[test]
fn references_that_cannot_be_followed() {
    let (_, d) = run(&with_head(
        "事项 6 \"乙\" {\n  法定 { 罚款 2万 至 10万 }\n  阶次 严重 其他 { 参照 事项 5 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0113"], "{d:#?}");
    let (_, d) = run(&with_head(
        "事项 5 \"甲\" {\n  法定 { 罚款 2万 至 10万 }\n  阶次 A 其他 { 参照 事项 6 阶次 B }\n}\n事项 6 \"乙\" {\n  法定 { 罚款 2万 至 10万 }\n  阶次 B 其他 { 参照 事项 5 阶次 A }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0113", "E0113"], "{d:#?}");
    assert!(d[0].message.contains("参照循环"), "{}", d[0].message);
    let (_, d) = run(&with_head(
        "事项 5 \"甲\" {\n  法定 { 罚款 2万 至 10万 }\n  阶次 A 其他 { 罚款 2万 至 5万 }\n}\n事项 6 \"乙\" {\n  法定 { 罚款 2万 至 10万 }\n  阶次 A 其他 { 参照 事项 5; 罚款 2万 至 3万 }\n}\n",
    ));
    assert_eq!(codes(&d), vec!["E0112"], "{d:#?}");
}
