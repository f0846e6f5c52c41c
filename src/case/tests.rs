//! Case-file reader tests.
#![allow(clippy::unwrap_used)]

use crate::eval::testkit::{build, prelude};

use super::*;
use build::*;
use prelude::{Table, Value};

fn ruleset() -> Ruleset {
    let mut b = Rb::new();
    b.fact(
        "管理类别",
        FactType::Enum(vec!["简化管理".into(), "重点管理".into()]),
    );
    b.fact("涉重金属", FactType::Bool);
    b.fact("违法所得", FactType::Money);
    b.fact("排放量", FactType::Quantity(Unit::parse("吨").unwrap()));
    b.fact("次数", FactType::Integer);
    b.fact("比例", FactType::Percent);
    b.fact("检查日", FactType::Date);
    b.matter(
        "W-2-5",
        vec![statute(range("100000", "1000000"))],
        Table::None,
    );
    b.matter("W-2-6", vec![statute(range("1", "2"))], Table::None);
    b.finish()
}

#[test]
fn yaml_case_reads_exact_values() {
    let rs = ruleset();
    let text = "matter: W-2-5\nfacts:\n  管理类别: 重点管理\n  涉重金属: 是\n  违法所得: 12345678901234567.89\n  排放量: 1500千克\n  次数: 3次\n  比例: 30%\n  检查日: 2024-03-01\ndates:\n  违法行为发生日: 2024-01-02\n  decision: 2024-05-06\n";
    let c = load_case(text, CaseFormat::Yaml, &rs).unwrap();
    assert_eq!(c.matters, vec![MatterId(0)]);
    assert_eq!(c.get(FactId(0)), Some(Value::Enum(1)));
    assert_eq!(c.get(FactId(1)), Some(Value::Bool(true)));
    assert_eq!(
        c.get(FactId(2)),
        Some(Value::Number(d("12345678901234567.89")))
    );
    assert_eq!(c.get(FactId(3)), Some(Value::Number(d("1.5"))));
    assert_eq!(c.get(FactId(4)), Some(Value::Number(d("3"))));
    assert_eq!(c.get(FactId(5)), Some(Value::Number(d("30"))));
    assert_eq!(
        c.get(FactId(6)),
        Some(Value::Date(Date::new(2024, 3, 1).unwrap()))
    );
    assert_eq!(c.act_date, Date::new(2024, 1, 2));
    assert_eq!(c.decision_date, Date::new(2024, 5, 6));
}

#[test]
fn money_forms() {
    let rs = ruleset();
    for (text, want) in [
        ("20万", "200000"),
        ("\"1,200.50元\"", "1200.50"),
        ("3000.10", "3000.10"),
        ("十万元", "100000"),
    ] {
        let c = load_case(
            &format!("matter: W-2-5\nfacts:\n  违法所得: {text}\n"),
            CaseFormat::Yaml,
            &rs,
        )
        .unwrap();
        assert_eq!(c.get(FactId(2)), Some(Value::Number(d(want))), "{text}");
    }
}

#[test]
fn json_case_keeps_digits() {
    let rs = ruleset();
    let text = r#"{"matter": ["W-2-5", "W-2-6"], "facts": {"违法所得": 12345678901234567.89, "涉重金属": false, "管理类别": null}, "dates": {"act": "2024-03-01"}}"#;
    let c = load_case(text, CaseFormat::Json, &rs).unwrap();
    assert_eq!(c.matters, vec![MatterId(0), MatterId(1)]);
    assert_eq!(
        c.get(FactId(2)),
        Some(Value::Number(d("12345678901234567.89")))
    );
    assert_eq!(c.get(FactId(1)), Some(Value::Bool(false)));
    assert_eq!(c.get(FactId(0)), None);
}

#[test]
fn errors_name_the_fact_and_place() {
    let rs = ruleset();
    let e = load_case(
        "matter: W-2-5\nfacts:\n  管理类别: 一般管理\n",
        CaseFormat::Yaml,
        &rs,
    )
    .unwrap_err();
    match &e {
        CaseError::WrongType {
            fact, allowed, at, ..
        } => {
            assert_eq!(fact, "管理类别");
            assert_eq!(
                allowed,
                &vec!["简化管理".to_string(), "重点管理".to_string()]
            );
            assert_eq!(at.unwrap().line, 3);
        }
        e => panic!("{e:?}"),
    }
    assert!(e.to_string().contains("可选值：简化管理、重点管理"), "{e}");
    let e = load_case(
        "matter: W-2-5\nfacts:\n  违法所得: -5\n",
        CaseFormat::Yaml,
        &rs,
    )
    .unwrap_err();
    assert!(matches!(e, CaseError::Negative { .. }), "{e:?}");
    let e = load_case("matter: W-2-7\n", CaseFormat::Yaml, &rs).unwrap_err();
    match e {
        CaseError::UnknownMatter { close, .. } => assert!(close.contains(&"W-2-5".to_string())),
        e => panic!("{e:?}"),
    }
    let e = load_case(
        "matter: W-2-5\nfacts:\n  涉重金: 是\n",
        CaseFormat::Yaml,
        &rs,
    )
    .unwrap_err();
    match e {
        CaseError::UnknownFact { close, .. } => assert_eq!(close, vec!["涉重金属".to_string()]),
        e => panic!("{e:?}"),
    }
    let e = load_case(
        "matter: W-2-5\nfacts:\n  排放量: 3平方米\n",
        CaseFormat::Yaml,
        &rs,
    )
    .unwrap_err();
    assert!(matches!(e, CaseError::WrongType { .. }), "{e:?}");
    let e = load_case(
        "{\"matter\": \"W-2-5\",\n \"facts\": {\"涉重金属\": 1,}}",
        CaseFormat::Json,
        &rs,
    )
    .unwrap_err();
    match e {
        CaseError::Syntax { at, .. } => assert_eq!(at.unwrap().line, 2),
        e => panic!("{e:?}"),
    }
    let e = load_case(
        "matter: W-2-5\ndates:\n  发现日: 2024-02-30\n",
        CaseFormat::Yaml,
        &rs,
    )
    .unwrap_err();
    assert!(matches!(e, CaseError::BadDate { .. }), "{e:?}");
    let e = load_case("matter: W-2-5\nfatcs: {}\n", CaseFormat::Yaml, &rs).unwrap_err();
    assert!(matches!(e, CaseError::Syntax { .. }), "{e:?}");
}
