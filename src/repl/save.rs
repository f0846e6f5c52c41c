//! `:save`: the session's evaluated cases as a scenario file, with the current
//! results as expectations. The text is checked (parsed and run) before it is
//! written, so `cailiang test` passes it.

use super::{Recorded, Session, case_file};
use crate::eval::{EvalOptions, Outcome, Recommendation, evaluate};
use crate::model::Ruleset;
use crate::scenario::{self, CaseResult, range_notation};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.replace('"', "'")))
}

fn outcome_key(o: Outcome) -> &'static str {
    match o {
        Outcome::TimeBarred => "time_barred",
        Outcome::NoPenalty => "no_penalty",
        Outcome::MayWaive => "may_waive",
        Outcome::Penalty => "penalty",
    }
}

/// `to` relative to the folder `from_dir` (both absolute or both relative to
/// the same folder).
pub(crate) fn relative(from_dir: &Path, to: &Path) -> PathBuf {
    let a: Vec<Component> = from_dir.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in b.iter().skip(common) {
        out.push(c.as_os_str());
    }
    out
}

fn list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "      {key}:");
    for i in items {
        let _ = writeln!(out, "        - {}", q(i));
    }
}

fn expectations(out: &mut String, rec: &Recommendation<'_>) {
    out.push_str("    expect:\n");
    let _ = writeln!(out, "      outcome: {}", outcome_key(rec.outcome));
    if let Some(g) = rec.grade {
        let _ = writeln!(out, "      grade: {}", q(g.id));
    }
    match rec.fine {
        Some(f) => {
            let _ = writeln!(out, "      fine: {}", q(&range_notation(&f.range)));
            if let Some(p) = f.point {
                let _ = writeln!(
                    out,
                    "      point: {}",
                    q(&crate::eval::range::money_string(p))
                );
            }
        }
        None => out.push_str("      fine: none\n"),
    }
    if let Some(s) = rec.statutory_range {
        let _ = writeln!(out, "      statutory: {}", q(&range_notation(&s)));
    }
    let options: Vec<String> = rec
        .options
        .iter()
        .map(|c| format!("{} {}", c.kind.label(), c.id))
        .collect();
    list(out, "options", &options);
    let warnings: Vec<String> = rec.warnings.iter().map(|w| w.code.to_string()).collect();
    list(out, "warnings", &warnings);
    let obligations: Vec<String> = rec.obligations.iter().map(|s| s.to_string()).collect();
    list(out, "obligations", &obligations);
    let missing: Vec<String> = rec.missing_facts.iter().map(|s| s.to_string()).collect();
    list(out, "missing_facts", &missing);
    if !rec.needs_judgement.is_empty() {
        out.push_str("      needs_judgement: true\n");
    }
    let sanctions: Vec<String> = rec.sanctions.iter().map(|s| s.name.clone()).collect();
    list(out, "sanctions", &sanctions);
}

/// The scenario text for `cases` (all of one ruleset).
pub(crate) fn scenario_text(
    ruleset: &Ruleset,
    ruleset_path: &str,
    cases: &[&Recorded],
) -> Result<String, String> {
    let mut out = format!(
        "# 由 cailiang repl 的 :保存 生成：《{}》\n# 期望值为保存时的求值结果；请核对后再作为测试保留。\n",
        ruleset.meta.name
    );
    let _ = writeln!(out, "ruleset: {}", q(ruleset_path));
    out.push_str("cases:\n");
    for r in cases {
        let case = case_file(&r.matter, &r.facts, &r.dates)
            .resolve(ruleset)
            .map_err(|e| format!("案例“{}”：{e}", r.name))?;
        let rec = evaluate(ruleset, &case, &EvalOptions::default())
            .map_err(|e| format!("案例“{}”：{e}", r.name))?;
        let _ = writeln!(out, "  - name: {}", q(&r.name));
        let _ = writeln!(out, "    matter: {}", q(&r.matter));
        if !r.facts.is_empty() {
            out.push_str("    facts:\n");
            for (k, v) in &r.facts {
                let _ = writeln!(out, "      {}: {}", q(k), q(v));
            }
        }
        let d = &r.dates;
        let dates: Vec<(&str, &Option<String>)> = vec![
            ("act", &d.act),
            ("act_end", &d.act_end),
            ("discovery", &d.discovery),
            ("decision", &d.decision),
        ];
        if dates.iter().any(|(_, v)| v.is_some()) {
            out.push_str("    dates:\n");
            for (k, v) in dates {
                if let Some(v) = v {
                    let _ = writeln!(out, "      {k}: {}", q(v));
                }
            }
        }
        expectations(&mut out, &rec);
    }
    // Check what we are about to write.
    let file =
        scenario::parse(&out).map_err(|e| format!("生成的场景文件无法读取（内部错误）：{e}"))?;
    for sc in &file.cases {
        match scenario::run(ruleset, sc) {
            CaseResult::Passed => {}
            other => {
                return Err(format!(
                    "生成的案例“{}”未通过自检（内部错误）：{other:?}",
                    sc.name
                ));
            }
        }
    }
    Ok(out)
}

pub(super) fn save(s: &mut Session, path: &str) -> Result<String, String> {
    let Some(ri) = s.recorded.last().map(|r| r.ruleset) else {
        return Err("本会话还没有求值过的案例（:求值 记录案例）".to_string());
    };
    let Some(loaded) = s.rulesets.get(ri) else {
        return Err("规则集已不在会话中".to_string());
    };
    let cases: Vec<&Recorded> = s.recorded.iter().filter(|r| r.ruleset == ri).collect();
    let skipped = s.recorded.len() - cases.len();
    let abs_file = s.io.absolute(path);
    let abs_rules = s.io.absolute(&loaded.path);
    let dir = Path::new(&abs_file).parent().unwrap_or(Path::new(""));
    let rel = relative(dir, Path::new(&abs_rules));
    let rel = rel.to_string_lossy().replace('\\', "/");
    let text = scenario_text(&loaded.ruleset, &rel, &cases)?;
    let n = cases.len();
    s.io.write(path, &text)?;
    let mut msg = format!("已把 {n} 个案例保存到 {path}（cailiang test {path} 可运行）\n");
    if skipped > 0 {
        let _ = writeln!(
            msg,
            "另有 {skipped} 个案例属于其他规则集，未保存（选择该规则集的事项后再 :保存 到另一个文件）"
        );
    }
    Ok(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/c/d.rules")),
            PathBuf::from("../c/d.rules")
        );
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/b/d.rules")),
            PathBuf::from("d.rules")
        );
        assert_eq!(
            relative(Path::new(""), Path::new("rulesets/x.rules")),
            PathBuf::from("rulesets/x.rules")
        );
    }
}
