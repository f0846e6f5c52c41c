//! Parser and formatter tests over the good corpus and generated input.

use cailiang::source::FileId;
use cailiang::syntax::{self, ast::KeywordSet};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn rules_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rules_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rules") {
            out.push(p);
        }
    }
}

fn corpus() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rules_files(Path::new("tests/good"), &mut files);
    rules_files(Path::new("rulesets"), &mut files);
    files
        .into_iter()
        .map(|p| {
            (
                p.to_string_lossy().replace('\\', "/"),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_good_file_and_ruleset_parses_and_its_ast_is_snapshotted() {
    for (name, text) in corpus() {
        let ast = syntax::parse(FileId(0), &text).unwrap_or_else(|d| panic!("{name}: {d:#?}"));
        let snap = name.replace('/', "__");
        insta::assert_json_snapshot!(format!("ast__{snap}"), syntax::without_spans(&ast));
    }
}

#[test]
fn every_file_round_trips_through_the_formatter_in_both_keyword_sets() {
    for (name, text) in corpus() {
        let a = syntax::parse(FileId(0), &text).unwrap();
        for kw in [KeywordSet::Chinese, KeywordSet::English] {
            let printed = syntax::format(&a, kw);
            let b = syntax::parse(FileId(0), &printed)
                .unwrap_or_else(|d| panic!("{name} {kw:?}:\n{printed}\n{d:#?}"));
            assert_eq!(
                syntax::without_spans(&a),
                syntax::without_spans(&b),
                "{name} {kw:?}"
            );
            assert_eq!(
                syntax::format(&b, kw),
                printed,
                "{name}: formatting is not idempotent"
            );
            let kept: Vec<&str> = b.comments.iter().map(|c| c.text.as_str()).collect();
            let orig: Vec<&str> = a.comments.iter().map(|c| c.text.as_str()).collect();
            assert_eq!(
                kept, orig,
                "{name}: the formatter must keep every comment, in order"
            );
        }
    }
}

#[test]
fn deep_nesting_is_refused_with_a_diagnostic_not_a_stack_overflow() {
    let deep = format!(
        "事项 A \"x\" {{ 阶次 1 当 {}是{} {{ }} }}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let err = syntax::parse(FileId(0), &deep).unwrap_err();
    assert_eq!(err[0].code, "E0002");
    let nots = format!(
        "事项 A \"x\" {{ 阶次 1 当 {}甲 {{ }} }}",
        "非 ".repeat(50_000)
    );
    assert_eq!(
        syntax::parse(FileId(0), &nots).unwrap_err()[0].code,
        "E0002"
    );
}

#[test]
fn syntax_errors_point_at_the_right_character_and_give_hints() {
    let src = "事项 A \"x\" {\n  阶次1 当 甲 { }\n}";
    let err = syntax::parse(FileId(0), src).unwrap_err();
    let d = &err[0];
    assert_eq!(d.code, "E0001");
    assert!(d.notes.iter().any(|n| n.contains("阶次 1")), "{d:#?}");
    let src = "事项 A \"x\" { 法定 { 罚款 １０万 至 20万 } }";
    let d = &syntax::parse(FileId(0), src).unwrap_err()[0];
    assert!(d.notes.iter().any(|n| n.contains("半角")), "{d:#?}");
}

fn token_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "规则集",
        "事项",
        "阶次",
        "当",
        "且",
        "或",
        "非",
        "罚款",
        "法定",
        "{",
        "}",
        "(",
        ")",
        "（",
        "）",
        ":",
        "：",
        ";",
        "10万",
        "20万元",
        "30%",
        "3倍",
        "20吨",
        "以上",
        "以下",
        "至",
        "超过",
        "不满",
        "其他",
        "\"名\"",
        "甲",
        "乙",
        "是",
        "否",
        "权重",
        "因素",
        "情节",
        "应当",
        "可以",
        "从轻",
        "清单",
        "首违不罚",
        "项",
        "1",
        "2024-03-01",
        "\n",
        " ",
        "#注释\n",
        "＞",
        ">=",
        "=",
        "属于",
        "并处",
        "按",
        "每",
        "平方米",
        "最低按",
        "事实",
        "枚举",
        "金额",
    ]);
    prop::collection::vec(tokens, 0..60).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_arbitrary_text(s in "\\PC{0,200}") {
        let _ = syntax::parse(FileId(0), &s);
    }

    #[test]
    fn parser_never_panics_on_token_soup(s in token_soup()) {
        let _ = syntax::parse(FileId(0), &s);
    }

    #[test]
    fn mutated_rulesets_never_panic_and_round_trip_when_they_parse(
        which in 0usize..64, cut in 0usize..4000, len in 0usize..40, insert in token_soup()
    ) {
        let files = corpus();
        let (_, text) = &files[which % files.len()];
        let chars: Vec<char> = text.chars().collect();
        let at = cut % (chars.len() + 1);
        let end = (at + len).min(chars.len());
        let mutated: String = chars[..at].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
        if let Ok(a) = syntax::parse(FileId(0), &mutated) {
            for kw in [KeywordSet::Chinese, KeywordSet::English] {
                let printed = syntax::format(&a, kw);
                let b = syntax::parse(FileId(0), &printed);
                prop_assert!(b.is_ok(), "{}", printed);
                prop_assert_eq!(syntax::without_spans(&a), syntax::without_spans(&b.unwrap()));
            }
        }
    }
}
