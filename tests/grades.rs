//! Grades that decide no penalty (不予处罚 / 免予处罚), grades marked 减轻,
//! list items with their own range, and grades against the statute's terms
//! — from ruleset text through checker and evaluator.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cailiang::case::{CaseFormat, load_case};
use cailiang::eval::{EvalOptions, Outcome, Recommendation, evaluate};
use cailiang::model::Ruleset;

fn load(text: &str) -> (Option<Ruleset>, Vec<&'static str>) {
    let read = |_: &str| None;
    let loaded = cailiang::load::load("t.rules", text, &read);
    let codes = loaded.diagnostics.iter().map(|d| d.code).collect();
    (loaded.ruleset, codes)
}

fn ok(text: &str) -> Ruleset {
    let (rs, codes) = load(text);
    rs.unwrap_or_else(|| panic!("{codes:?}"))
}

fn eval<'r>(rs: &'r Ruleset, case: &str) -> Recommendation<'r> {
    let c = load_case(case, CaseFormat::Yaml, rs).unwrap();
    evaluate(rs, &c, &EvalOptions { trace: true }).unwrap()
}

fn fine(r: &Recommendation<'_>) -> String {
    match &r.fine {
        None => "none".into(),
        Some(f) => format!(
            "{}{}, {}{}",
            if f.range.lower_inclusive { "[" } else { "(" },
            f.range.lower.normalize(),
            f.range
                .upper
                .map(|u| u.normalize().to_string())
                .unwrap_or_default(),
            if f.range.upper_inclusive { "]" } else { ")" },
        ),
    }
}

const HEAD: &str = "规则集 \"测试\" { 边界 以上含本数 以下含本数 }\n";

fn reduced_rules(policy: &str) -> String {
    format!(
        "规则集 \"测试\" {{ 边界 以上含本数 以下含本数 政策 {{ {policy} }} }}
事项 A \"甲\" {{
  事实 {{ 减轻情形: 是否; 不予情形: 是否; 严重: 是否 }}
  法定 {{ 罚款 5万 至 50万; 并处 责令改正; 并处 \"吊销许可证\" }}
  阶次 0 \"不予处罚\" 当 不予情形 {{ 不予处罚; 并处 责令改正 }}
  阶次 1 \"减轻处罚\" 减轻 当 减轻情形 {{ 罚款 2万 至 5万; 依据 \"某规则 第八条\" }}
  阶次 2 \"一般\" 当 非 严重 {{ 罚款 5万 至 20万 }}
  阶次 3 \"严重\" 当 严重 {{ 罚款 20万 至 50万 }}
}}
"
    )
}

#[test]
fn a_reduced_grade_goes_below_the_minimum_and_drops_unlisted_sanctions() {
    let rs = ok(&reduced_rules(""));
    let r = eval(
        &rs,
        "matter: A\nfacts: {减轻情形: 是, 不予情形: 否, 严重: 否}\n",
    );
    // 多阶次 undeclared = 从重: grade 2 also matches and is heavier.
    assert_eq!(r.grade.unwrap().id, "2");
    let r = eval(
        &rs,
        "matter: A\nfacts: {减轻情形: 是, 不予情形: 否, 严重: 是}\n",
    );
    assert_eq!(r.grade.unwrap().id, "3");
    let rs = ok(&reduced_rules("多阶次: 首个"));
    let r = eval(
        &rs,
        "matter: A\nfacts: {减轻情形: 是, 不予情形: 否, 严重: 否}\n",
    );
    assert_eq!(r.grade.unwrap().id, "1");
    assert_eq!(fine(&r), "[20000, 50000]");
    assert_eq!(r.decision, Some("减轻处罚"));
    assert!(!r.has_warning("clamped"), "{:?}", r.warnings);
    let names: Vec<&str> = r.sanctions.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["责令改正"], "orders stay, 吊销 is dropped");
    assert!(r.has_warning("reduced_drops_sanction"));
    let trace = serde_json::to_string(&r.trace).unwrap();
    assert!(trace.contains("某规则 第八条"), "{trace}");
    assert!(trace.contains("减轻处罚档次"));
}

#[test]
fn a_reduced_grade_respects_the_reduced_floor_and_the_maximum() {
    let rs = ok(&reduced_rules("多阶次: 首个; 减轻下限: 3万"));
    let r = eval(&rs, "matter: A\nfacts: {减轻情形: 是, 不予情形: 否}\n");
    assert_eq!(fine(&r), "[30000, 50000]");
    assert!(r.has_warning("reduced_floor"));
    let rs = ok(&reduced_rules("多阶次: 首个; 减轻下限: 法定下限 50%"));
    let r = eval(&rs, "matter: A\nfacts: {减轻情形: 是, 不予情形: 否}\n");
    assert_eq!(fine(&r), "[25000, 50000]");
    // Above the maximum: clamped there (E0303 is the checker's error, so a
    // statute version makes it a warning only).
    let text = format!(
        "{HEAD}事项 A \"甲\" {{ 事实 {{ 减轻情形: 是否 }}
  法定 自 2020-01-01 至 2022-12-31 {{ 罚款 5万 至 50万 }}
  法定 自 2023-01-01 {{ 罚款 5万 至 8万 }}
  阶次 1 \"减轻处罚\" 减轻 当 减轻情形 {{ 罚款 2万 至 10万 }} }}"
    );
    let rs = ok(&text);
    let r = eval(
        &rs,
        "matter: A\nfacts: {减轻情形: 是}\ndates: {act: 2024-01-01, decision: 2024-02-01, discovery: 2024-01-15}\n",
    );
    assert_eq!(fine(&r), "[20000, 80000]");
}

#[test]
fn without_the_mark_a_reduced_range_is_clamped_and_the_checker_suggests_the_mark() {
    let text = format!(
        "{HEAD}事项 A \"甲\" {{ 事实 {{ 减轻情形: 是否 }}
  法定 自 2020-01-01 至 2022-12-31 {{ 罚款 1万 至 50万 }}
  法定 自 2023-01-01 {{ 罚款 5万 至 50万 }}
  阶次 1 \"减轻处罚\" 当 减轻情形 {{ 罚款 2万 至 5万 }} }}"
    );
    let read = |_: &str| None;
    let loaded = cailiang::load::load("t.rules", &text, &read);
    let w = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "W0302")
        .unwrap();
    assert!(w.message.contains("写 减轻"), "{}", w.message);
    let rs = loaded.ruleset.unwrap();
    let r = eval(
        &rs,
        "matter: A\nfacts: {减轻情形: 是}\ndates: {act: 2024-01-01, decision: 2024-02-01, discovery: 2024-01-15}\n",
    );
    assert_eq!(fine(&r), "[50000, 50000]");
    assert!(r.has_warning("clamped"));
    assert_eq!(r.decision, None);
}

#[test]
fn a_no_penalty_grade_decides_no_penalty_with_orders_and_education() {
    let rs = ok(&reduced_rules("多阶次: 首个"));
    let r = eval(&rs, "matter: A\nfacts: {不予情形: 是}\n");
    assert_eq!(r.outcome, Outcome::NoPenalty);
    assert_eq!(r.decision, Some("不予处罚"));
    assert!(r.fine.is_none());
    assert_eq!(r.grounds[0].id, "0");
    assert!(r.obligations.iter().any(|o| o.starts_with("教育")));
    let names: Vec<&str> = r.sanctions.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["责令改正"]);
    // Under 从重 (undeclared) a penalty grade that also applies wins.
    let rs = ok(&reduced_rules(""));
    let r = eval(
        &rs,
        "matter: A\nfacts: {不予情形: 是, 减轻情形: 否, 严重: 否}\n",
    );
    assert_eq!(r.outcome, Outcome::Penalty);
    assert!(r.has_warning("no_penalty_grade_overridden"));
    // Missing facts: a possible no-penalty is reported as such.
    let rs = ok(&reduced_rules("多阶次: 首个"));
    let r = eval(&rs, "matter: A\nfacts: {减轻情形: 否, 严重: 否}\n");
    assert!(r.possible_outcomes.contains(Outcome::NoPenalty));
    assert!(r.possible_outcomes.contains(Outcome::Penalty));
}

#[test]
fn exempt_keeps_the_word_and_round_trips() {
    let text = format!(
        "{HEAD}事项 A \"甲\" {{ 事实 {{ 免予: 是否 }} 法定 {{ 罚款 1万 至 5万 }}
  阶次 免 \"免予处罚\" 当 免予 {{ 免予处罚 }}
  阶次 一般 其他 {{ 罚款 1万 至 5万 }} }}"
    );
    let rs = ok(&text);
    let r = eval(&rs, "matter: A\nfacts: {免予: 是}\n");
    assert_eq!(r.outcome, Outcome::NoPenalty);
    assert_eq!(r.decision, Some("免予处罚"));
    let human = cailiang::eval::render_human(&r, &rs);
    assert!(human.contains("结论：不予行政处罚（免予处罚）"), "{human}");
    let json = r.to_json();
    assert!(json.contains("\"decision\":\"免予处罚\""), "{json}");
}

#[test]
fn no_penalty_grade_errors() {
    let (_, c) = load(&format!(
        "{HEAD}事项 A \"甲\" {{ 法定 {{ 罚款 1万 至 5万 }} 阶次 1 减轻 其他 {{ 不予处罚 }} }}"
    ));
    assert!(c.contains(&"E0316"), "{c:?}");
    let (_, c) = load(&format!(
        "{HEAD}事项 A \"甲\" {{ 法定 {{ 罚款 1万 至 5万 }} 阶次 1 其他 {{ 不予处罚; 可以并处 \"暂扣许可证\" }} }}"
    ));
    assert!(c.contains(&"E0316"), "{c:?}");
    let (rs, c) = load(&format!(
        "{HEAD}事项 A \"甲\" {{ 法定 {{ 罚款 1万 至 5万 }} 阶次 1 其他 {{ 不予处罚; 并处 责令限期改正 }} }}"
    ));
    assert!(rs.is_some(), "{c:?}");
}

fn item_rules(kind: &str, modality: &str, item_fine: &str) -> String {
    format!(
        "{HEAD}事实 {{ 当事人: 枚举(个人, 单位); 情形: 是否 }}
事项 A \"甲\" {{ 法定 {{ 罚款 {{ 当 当事人 = 个人: 200元 至 1000元; 其他: 1000元 至 3万 }} }} }}
清单 {kind} L \"清单\" {{ {modality} 项 1 \"条目\" {{ 事项 A; 当 情形; 罚款 {item_fine} }} }}"
    )
}

#[test]
fn a_mandatory_reduced_item_decides_its_own_range() {
    let rs = ok(&item_rules(
        "减轻",
        "应当",
        "{ 当 当事人 = 个人: 200元以下; 其他: 1000元以下 }",
    ));
    let r = eval(&rs, "matter: A\nfacts: {当事人: 单位, 情形: 是}\n");
    assert_eq!(fine(&r), "(0, 1000]");
    assert_eq!(r.decision, Some("减轻处罚"));
    let r = eval(&rs, "matter: A\nfacts: {当事人: 个人, 情形: 否}\n");
    assert_eq!(fine(&r), "[200, 1000]");
}

#[test]
fn a_discretionary_item_range_is_an_option_only() {
    let rs = ok(&item_rules(
        "减轻",
        "可以",
        "{ 当 当事人 = 个人: 200元以下; 其他: 1000元以下 }",
    ));
    let r = eval(&rs, "matter: A\nfacts: {当事人: 个人, 情形: 是}\n");
    assert_eq!(fine(&r), "[200, 1000]");
    let o = r.options.iter().find(|o| o.id == "1").unwrap();
    let range = o.range.unwrap();
    assert_eq!(range.upper.unwrap().normalize().to_string(), "200");
    assert_eq!(r.decision, None);
}

#[test]
fn a_lighter_item_inside_the_statute_applies_and_outside_is_an_error() {
    let rs = ok(&format!(
        "{HEAD}事实 {{ 情形: 是否 }}
事项 A \"甲\" {{ 法定 {{ 罚款 1000元 至 1万 }} }}
清单 从轻 L \"清单\" {{ 应当 项 1 \"条目\" {{ 事项 A; 当 情形; 罚款 1000元 至 2000元 }} }}"
    ));
    let r = eval(&rs, "matter: A\nfacts: {情形: 是}\n");
    assert_eq!(fine(&r), "[1000, 2000]");
    assert_eq!(r.decision, Some("从轻处罚"));
    let (_, c) = load(&format!(
        "{HEAD}事项 A \"甲\" {{ 法定 {{ 罚款 1000元 至 1万 }} }}
清单 从轻 L \"清单\" {{ 应当 项 1 \"条目\" {{ 事项 A; 罚款 500元 至 2000元 }} }}"
    ));
    assert!(c.contains(&"E0507"), "{c:?}");
    let (_, c) = load(&format!(
        "{HEAD}事项 A \"甲\" {{ 法定 {{ 罚款 1000元 至 1万 }} }}
清单 减轻 L \"清单\" {{ 应当 项 1 \"条目\" {{ 事项 A; 罚款 500元 至 2万 }} }}"
    ));
    assert!(c.contains(&"E0507"), "{c:?}");
}

#[test]
fn list_kind_words_keep_the_document_word() {
    let text = format!(
        "{HEAD}事实 {{ 轻微: 是否 }}
事项 A \"甲\" {{ 法定 {{ 罚款 1000元 至 1万 }} }}
清单 免予处罚 L \"轻微违法行为免予处罚事项清单\" {{ 应当 项 1 \"条目\" {{ 事项 A; 当 轻微 }} }}
清单 首错免罚 M \"首错免罚清单\" {{ 项 1 \"条目\" {{ 事项 A }} }}"
    );
    let rs = ok(&text);
    assert_eq!(rs.lists[0].word.as_deref(), Some("免予处罚"));
    assert_eq!(
        rs.lists[1].kind,
        cailiang::syntax::ast::ListKind::FirstOffence
    );
    let r = eval(&rs, "matter: A\nfacts: {轻微: 是}\n");
    assert_eq!(r.outcome, Outcome::NoPenalty);
    assert_eq!(r.decision, Some("免予处罚"));
    // 首错免罚 defaults to 可以 (as 首违不罚): without 轻微 it is an option.
    let r = eval(&rs, "matter: A\nfacts: {轻微: 否}\n");
    assert_eq!(r.outcome, Outcome::MayWaive);
}

#[test]
fn grade_sanctions_and_fines_follow_the_statutes_terms() {
    let text = format!(
        "{HEAD}事项 A \"甲\" {{
  事实 {{ 情节严重: 是否; 逾期不改正: 是否; 面积: 数值 }}
  法定 {{ 罚款 {{ 当 逾期不改正: 1000元 至 5000元; 其他: 无 }}; 可以并处 \"吊销许可证\" 当 情节严重 }}
  阶次 1 当 面积 100以下 {{ 罚款 1000元 至 3000元; 并处 \"吊销许可证\" }}
  阶次 2 当 面积 超过100 {{ 并处 责令改正 }} }}"
    );
    let (rs, codes) = load(&text);
    assert!(
        codes.contains(&"W0315") && codes.contains(&"W0316"),
        "{codes:?}"
    );
    let rs = rs.unwrap();
    let r = eval(
        &rs,
        "matter: A\nfacts: {情节严重: 否, 逾期不改正: 否, 面积: 50}\n",
    );
    assert!(
        r.has_warning("grade_sanction_not_permitted"),
        "{:?}",
        r.warnings
    );
    assert!(r.has_warning("grade_fine_without_statute"));
    assert!(r.fine.is_none());
    assert!(r.sanctions.iter().all(|s| s.name != "吊销许可证"));
    let r = eval(
        &rs,
        "matter: A\nfacts: {情节严重: 是, 逾期不改正: 是, 面积: 50}\n",
    );
    assert!(r.sanctions.iter().any(|s| s.name == "吊销许可证"));
    assert_eq!(fine(&r), "[1000, 3000]");
    // Grade 2 gives no fine where the statute's fine is due: the statute's range.
    let r = eval(
        &rs,
        "matter: A\nfacts: {情节严重: 否, 逾期不改正: 是, 面积: 500}\n",
    );
    assert!(r.has_warning("grade_fine_missing"), "{:?}", r.warnings);
    assert_eq!(fine(&r), "[1000, 5000]");
}

#[test]
fn a_grade_may_make_a_discretionary_fine_mandatory() {
    let text = format!(
        "{HEAD}事项 A \"甲\" {{ 事实 {{ 首次: 是否 }}
  法定 {{ 可以 罚款 15000元以下 }}
  阶次 1 当 首次 {{ 罚款 3000元 }}
  阶次 2 其他 {{ 应当 罚款 5000元 }} }}"
    );
    let rs = ok(&text);
    let r = eval(&rs, "matter: A\nfacts: {首次: 否}\n");
    let f = r.fine.unwrap();
    assert!(f.mandatory, "应当 in the grade");
    assert!(r.options.iter().all(|o| o.id != "罚款"));
    let trace = serde_json::to_string(&r.trace).unwrap();
    assert!(trace.contains("法定为可以处罚款"), "{trace}");
    // A plain `罚款` keeps the statute's 可以.
    let r = eval(&rs, "matter: A\nfacts: {首次: 是}\n");
    assert!(!r.fine.unwrap().mandatory);
    assert!(r.options.iter().any(|o| o.id == "罚款"));
    // Round trip keeps the written 应当 (English too).
    let ast = cailiang::syntax::parse(cailiang::source::FileId(0), &text).unwrap();
    for kw in [
        cailiang::syntax::ast::KeywordSet::Chinese,
        cailiang::syntax::ast::KeywordSet::English,
    ] {
        let printed = cailiang::syntax::format(&ast, kw);
        let rs2 = ok(&printed);
        let r = eval(&rs2, "matter: A\nfacts: {首次: 否}\n");
        assert!(r.fine.unwrap().mandatory, "{printed}");
    }
}

#[test]
fn bands_of_the_statutory_maximum() {
    let text = "规则集 \"测试\" { 边界 以上含本数 以下含本数 政策 { 从轻: 法定上限 0% 至 30%; 多阶次: 首个 } }
事项 A \"甲\" { 事实 { 轻: 是否; 从轻情形: 是否 }
  法定 { 罚款 3万 至 30万 }
  阶次 1 当 轻 { 罚款 法定上限 5% 至 30% }
  阶次 2 其他 { 罚款 法定上限 30% 至 70% }
  情节 从轻情形 { 应当 从轻 } }";
    let rs = ok(text);
    // 30% to 70% of the maximum 30万, not of the width 27万.
    let r = eval(&rs, "matter: A\nfacts: {轻: 否, 从轻情形: 否}\n");
    assert_eq!(fine(&r), "[90000, 210000]");
    // 5% of the maximum is below the minimum: clamped, with a warning.
    let r = eval(&rs, "matter: A\nfacts: {轻: 是, 从轻情形: 否}\n");
    assert_eq!(fine(&r), "[30000, 90000]");
    assert!(r.has_warning("clamped"));
    // 从轻: 法定上限 0% 至 30% = 0 … 9万, clamped into the statute.
    let r = eval(&rs, "matter: A\nfacts: {轻: 否, 从轻情形: 是}\n");
    assert_eq!(fine(&r), "[30000, 90000]");
    // Round trip in both keyword sets.
    let ast = cailiang::syntax::parse(cailiang::source::FileId(0), text).unwrap();
    for kw in [
        cailiang::syntax::ast::KeywordSet::Chinese,
        cailiang::syntax::ast::KeywordSet::English,
    ] {
        let printed = cailiang::syntax::format(&ast, kw);
        let b = cailiang::syntax::parse(cailiang::source::FileId(0), &printed).unwrap();
        assert_eq!(
            cailiang::syntax::without_spans(&ast),
            cailiang::syntax::without_spans(&b),
            "{printed}"
        );
    }
    // Outside 0%–100%: the usual band error.
    let (_, c) = load(
        "规则集 \"测试\" { 边界 以上含本数 以下含本数 }
事项 A \"甲\" { 法定 { 罚款 3万 至 30万 } 阶次 1 其他 { 罚款 法定上限 30% 至 130% } }",
    );
    assert!(c.contains(&"E0308"), "{c:?}");
}

/// 连云港 渔业 (2022): "特别严重情节下……罚款金额不参照此表,由案审会讨论决定" —
/// a grade whose amount is decided collectively (行政处罚法 第五十七条第二款).
fn collective_rules() -> String {
    format!(
        "{HEAD}事项 A \"甲\" {{
  事实 {{ 情节: 枚举(一般, 严重, 特别严重); 拒不改正: 是否 默认 否 }}
  法定 {{ 罚款 1万 至 10万 }}
  阶次 1 \"一般\" 当 情节 = 一般 {{ 罚款 1万 至 3万 }}
  阶次 2 \"严重\" 当 情节 = 严重 {{ 罚款 3万 至 6万; 集体讨论 }}
  阶次 3 \"特别严重\" 当 情节 = 特别严重 {{ 集体讨论 \"罚款金额不参照此表，由案审会讨论决定\" }}
  情节 拒不改正 {{ 应当 从重 当 拒不改正 }}
}}
"
    )
}

#[test]
fn a_collective_grade_gives_the_frame_and_leaves_the_amount_to_the_discussion() {
    let (rs, codes) = load(&collective_rules());
    // No W0317: a collective grade without a fine of its own is not a gap.
    assert!(codes.is_empty(), "{codes:?}");
    let rs = rs.unwrap();
    let r = eval(&rs, "matter: A\nfacts: {情节: 特别严重}\n");
    assert_eq!(r.grade.unwrap().id, "3");
    assert_eq!(fine(&r), "[10000, 100000]");
    assert_eq!(r.decision, Some("罚款金额不参照此表，由案审会讨论决定"));
    assert_eq!(r.needs_judgement.len(), 1);
    assert!(r.needs_judgement[0].reason.contains("第五十七条第二款"));
    assert_eq!(
        r.needs_judgement[0].candidates[0].range,
        r.fine.unwrap().range
    );
    assert!(r.warnings.iter().all(|w| w.code != "grade_fine_missing"));
    let trace = r.trace.as_ref().unwrap();
    assert!(trace.iter().any(|s| s.kind == "collective_review"));
    // With a fine of its own, that is the frame (circumstances still move it).
    let r = eval(&rs, "matter: A\nfacts: {情节: 严重}\n");
    assert_eq!(fine(&r), "[30000, 60000]");
    assert_eq!(r.decision, Some("集体讨论"));
    let heavier = eval(&rs, "matter: A\nfacts: {情节: 严重, 拒不改正: 是}\n");
    assert_eq!(
        heavier.needs_judgement[0].candidates[0].range,
        heavier.fine.unwrap().range
    );
    // An ordinary grade has none of it.
    let r = eval(&rs, "matter: A\nfacts: {情节: 一般}\n");
    assert!(r.needs_judgement.is_empty() && r.decision.is_none());
}

#[test]
fn a_collective_grade_cannot_also_decide_no_penalty_and_formats_back() {
    let (_, codes) = load(&format!(
        "{HEAD}事项 A \"甲\" {{\n  事实 {{ 轻微: 是否 }}\n  法定 {{ 罚款 1万 至 10万 }}\n  阶次 1 当 轻微 {{ 集体讨论; 不予处罚 }}\n}}\n"
    ));
    assert_eq!(codes, vec!["E0316"]);
    let text = collective_rules();
    let file = cailiang::syntax::parse(cailiang::source::FileId(0), &text).unwrap();
    let out = cailiang::syntax::format(&file, cailiang::syntax::ast::KeywordSet::Chinese);
    assert!(
        out.contains("集体讨论 \"罚款金额不参照此表，由案审会讨论决定\""),
        "{out}"
    );
    assert!(out.contains("    集体讨论\n"), "{out}");
}

#[test]
fn a_collective_grade_renders_its_fine_as_a_frame_only_when_settled() {
    let rs = ok(&collective_rules());
    let settled = eval(&rs, "matter: A\nfacts: {情节: 特别严重}\n");
    let text = cailiang::eval::render_human(&settled, &rs);
    assert!(
        text.contains("罚款（由集体讨论决定，幅度）：1万元至10万元"),
        "{text}"
    );
    let envelope = eval(&rs, "matter: A\nfacts: {情节: ~}\n");
    let text = cailiang::eval::render_human(&envelope, &rs);
    assert!(text.contains("建议罚款："), "{text}");
    assert!(text.contains("第五十七条第二款"), "{text}");
}
