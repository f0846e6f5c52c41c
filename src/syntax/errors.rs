//! Turns pest's parse errors into [`Diagnostic`]s in the ruleset's own terms,
//! with targeted hints for the mistakes Chinese text invites.

use super::parser::Rule;
use crate::diag::Diagnostic;
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

/// Converts a pest error. The span is a byte range, so the renderer puts the
/// caret under the right Chinese character (pest's own rendering does not).
pub(super) fn from_pest(file: FileId, text: &str, e: &Error<Rule>) -> Diagnostic {
    if let ErrorVariant::CustomError { message } = &e.variant {
        if message.contains("call limit") {
            return Diagnostic::error(
                "E0002",
                "规则集文件过于复杂，解析步数超过上限；请把文件拆成几个文件，用 引用 组合",
            )
            .with_primary(Span::new(file, 0, text.len().min(1)), "本文件");
        }
    }
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let start = start.min(text.len());
    // pest's plain error records rules only: a missing `{` or `:` after a
    // keyword is reported where the statement began, naming the keyword that
    // is in fact there. The detailed attempts see literal tokens; where they
    // got farther, report there.
    let farther = e
        .parse_attempts()
        .filter(|a| a.max_position > start && a.max_position <= text.len())
        .map(|a| {
            let rules: Vec<Rule> = a
                .call_stacks()
                .iter()
                .filter_map(|c| c.deepest.get_rule().copied())
                .collect();
            let tokens: Vec<String> = a
                .expected_tokens()
                .iter()
                .map(ToString::to_string)
                .collect();
            (a.max_position, farther_expected(&rules, &tokens, text))
        })
        .filter(|(_, names)| !names.is_empty());
    let start = farther.as_ref().map_or(start, |(p, _)| *p);
    let end = if farther.is_some() { start } else { end };
    let rest = text.get(start..).unwrap_or("");
    let found: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(12)
        .collect();
    let end = if end > start {
        end
    } else {
        start + rest.chars().next().map(char::len_utf8).unwrap_or(0)
    };
    let span = Span::new(file, start, end);

    let expected: Vec<String> = if let Some((_, names)) = farther {
        names
    } else {
        match &e.variant {
            ErrorVariant::ParsingError { positives, .. } => {
                let mut names: Vec<&'static str> = positives
                    .iter()
                    .flat_map(|r| match r {
                        // Compound-atomic tails report themselves, not the literal
                        // they start with: name what may stand there.
                        Rule::to_upper => vec![
                            "倍数（如 3倍）",
                            "数量（如 20吨）",
                            "日期（如 2024-03-01）",
                            "金额（如 10万元）",
                        ],
                        Rule::above_marked => vec!["“以上”"],
                        Rule::below_marked => vec!["“以下”"],
                        _ => described(*r),
                    })
                    .collect();
                names.sort_unstable();
                names.dedup();
                names.into_iter().map(String::from).collect()
            }
            ErrorVariant::CustomError { .. } => Vec::new(),
        }
    };
    let found_desc = if found.is_empty() {
        "文件结尾".to_string()
    } else {
        format!("“{found}”")
    };
    let message = if expected.is_empty() {
        format!("语法错误：不能理解 {found_desc}")
    } else {
        format!(
            "语法错误：此处应为 {}，实际为 {found_desc}",
            expected.join("、")
        )
    };
    let mut d = Diagnostic::error("E0001", message).with_primary(span, "在这里");
    for hint in hints(text, start, rest) {
        d = d.with_note(hint);
    }
    d
}

/// What the detailed attempts expected at their farthest position: the rules
/// worth naming, and literal punctuation (`{`, `:` …). Keywords are named by
/// their rules; English spellings are left out of a Chinese file and the other
/// way round.
fn farther_expected(rules: &[Rule], tokens: &[String], text: &str) -> Vec<String> {
    let english = text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .starts_with(|c: char| c.is_ascii_alphabetic());
    // Punctuation the grammar wanted there (`{`, `:`, `）` …), leaving out
    // what may stand anywhere (comment starts, a byte-order mark).
    let mut names: Vec<String> = tokens
        .iter()
        .filter(|t| {
            !t.is_empty()
                && !matches!(t.as_str(), "//" | "#" | "/*" | "\u{feff}")
                && t.chars()
                    .all(|c| !c.is_alphanumeric() && !c.is_whitespace())
        })
        .map(|t| format!("“{t}”"))
        .collect();
    if names.is_empty() {
        names = rules
            .iter()
            .flat_map(|r| described(*r))
            .map(String::from)
            .collect();
    }
    if names.is_empty() {
        // Keywords spelled out, in the file's own keyword set.
        names = tokens
            .iter()
            .filter(|t| t.chars().any(char::is_alphanumeric))
            .filter(|t| english == t.is_ascii())
            .map(|t| format!("“{t}”"))
            .collect();
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// Hints for common slips at the error position.
fn hints(text: &str, start: usize, rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let first = rest.chars().next();
    if let Some(c) = first {
        if ('０'..='９').contains(&c) {
            out.push("提示：数字请用半角（0-9），例如 10万 而不是 １０万".to_string());
        }
        if c == '【' || c == '】' || c == '［' || c == '］' {
            out.push("提示：请用 ( ) 或（ ）分组，方括号不是本语言的符号".to_string());
        }
        if c == '‘' || c == '’' || c == '\'' {
            out.push("提示：字符串请用 \"…\"、“…” 或 「…」".to_string());
        }
    }
    // A keyword glued to the next word: 当管理类别, 阶次1, 事项A.
    const GLUE: &[&str] = &[
        "当", "阶次", "事项", "事实", "罚款", "并处", "情节", "清单", "依据", "且", "或", "非",
        "应当", "可以", "法定", "权重", "因素", "时效", "项",
    ];
    let before = text.get(..start).unwrap_or("");
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let word: String = text
        .get(word_start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    for kw in GLUE {
        if let Some(tail) = word.strip_prefix(kw) {
            if !tail.is_empty() && !tail.starts_with(['(', '（', ':', '：', '{']) {
                out.push(format!(
                    "提示：关键字后要有空格：请把“{word}”写成“{kw} {tail}”"
                ));
                break;
            }
        }
    }
    if rest.starts_with('}') || rest.is_empty() {
        out.push("提示：检查上一行是否写完整，以及括号 { } ( ) 是否成对".to_string());
    }
    out
}

/// The readable names of a rule: one number literal rule (`num_lit`) stands
/// for the quantities, amounts of money and multiples it reads.
fn described(r: Rule) -> Vec<&'static str> {
    match r {
        Rule::num_lit => vec!["数量（如 20吨）", "金额（如 10万元）", "倍数（如 3倍）"],
        _ => describe(r).into_iter().collect(),
    }
}

/// A readable name for the rules worth naming in "expected …"; `None` hides
/// internal rules.
fn describe(r: Rule) -> Option<&'static str> {
    Some(match r {
        Rule::EOI => "文件结尾",
        Rule::header | Rule::kw_ruleset => "“规则集”",
        Rule::include | Rule::kw_include => "“引用”",
        Rule::facts_block | Rule::kw_facts => "“事实”",
        Rule::limitation | Rule::kw_limitation => "“时效”",
        Rule::circumstance | Rule::kw_circumstance => "“情节”",
        Rule::list_decl | Rule::kw_list => "“清单”",
        Rule::matter | Rule::kw_matter => "“事项”",
        Rule::string => "带引号的文字",
        Rule::ident => "名称",
        Rule::code => "编号",
        Rule::date => "日期（如 2024-03-01）",
        Rule::percent_lit => "百分比（如 30%）",
        Rule::number_lit => "数字",
        Rule::bool_lit => "是/否",
        Rule::kw_authority => "“制定机关”",
        Rule::kw_docnum => "“文号”",
        Rule::kw_source => "“来源”",
        Rule::kw_level => "“层级”",
        Rule::level_value => "层级（国家、省级、市级、县级、乡镇）",
        Rule::kw_effective => "“施行”",
        Rule::kw_to => "“至”",
        Rule::kw_refines => "“细化”",
        Rule::kw_boundaries => "“边界”",
        Rule::boundary_word => "边界约定（以上含本数、以上不含本数、以下含本数、以下不含本数）",
        Rule::kw_policy => "“政策”",
        Rule::policy_entry
        | Rule::policy_band_key
        | Rule::policy_word_key
        | Rule::kw_p_reduced_floor => "政策项（如 从轻: 阶次 0% 至 30%）",
        Rule::policy_word => "政策取值",
        Rule::band | Rule::band_ref => "“阶次”或“法定”加百分比",
        Rule::kw_note => "“说明”",
        Rule::kw_vbasis => "“违法依据”",
        Rule::kw_pbasis => "“处罚依据”",
        Rule::kw_basis => "“依据”",
        Rule::statute | Rule::kw_statute => "“法定”",
        Rule::grade | Rule::kw_grade => "“阶次”",
        Rule::weighted | Rule::kw_weighted => "“权重”",
        Rule::guard | Rule::kw_when => "“当”",
        Rule::kw_otherwise => "“其他”",
        Rule::kw_and => "“且”",
        Rule::kw_or => "“或”",
        Rule::kw_not => "“非”",
        Rule::cond | Rule::conj | Rule::neg | Rule::fact_test => "条件",
        Rule::compare | Rule::cmp_op => "比较符（= ≠ > ≥ < ≤）",
        Rule::in_list | Rule::kw_in | Rule::kw_not_in => "“属于”",
        Rule::range_phrase | Rule::lower_end | Rule::upper_end | Rule::to_range => {
            "范围（如 10万以上20万以下、5万以下、1万至5万）"
        }
        Rule::post_above => "“以上”",
        Rule::post_below => "“以下”",
        Rule::kw_range_to => "“至”",
        Rule::fine_clause | Rule::kw_fine => "“罚款”",
        Rule::fine_expr => "罚款数额",
        Rule::other_sanction | Rule::kw_also => "“并处”",
        Rule::kw_may_also => "“可以并处”",
        Rule::modality | Rule::kw_shall | Rule::kw_may => "“应当”或“可以”",
        Rule::effect => "效果（从轻、从重、减轻、从轻或者减轻、不予处罚）",
        Rule::fact_decl => "事实声明（如 排放量: 数量 吨）",
        Rule::fact_type | Rule::ty_simple | Rule::ty_enum_kw | Rule::ty_quantity_kw => {
            "类型（是否、枚举(…)、金额、数量 单位、整数、数值、比例、日期）"
        }
        Rule::unit => "单位（吨、平方米、天 …）",
        Rule::w_factor | Rule::kw_factor => "“因素”",
        Rule::w_start | Rule::kw_start => "“起始”",
        Rule::w_cap | Rule::kw_cap => "“上限”",
        Rule::w_floor | Rule::kw_floor => "“下限”",
        Rule::w_times | Rule::kw_times => "“乘以”",
        Rule::factor_level => "因素水平（如 当 … : 10%）",
        Rule::scope | Rule::kw_applies => "“适用”",
        Rule::obligations | Rule::kw_obligation => "“义务”",
        Rule::list_kind => "清单种类（不予处罚、从轻、减轻、首违不罚）",
        Rule::list_item | Rule::kw_item => "“项”",
        Rule::kw_condition | Rule::l_common => "“条件”",
        _ => return None,
    })
}
