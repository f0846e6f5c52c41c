//! The `cailiang` command line. Everything here may do I/O; the library
//! below it does none.

use crate::diag::{Diagnostic, Severity, has_errors};
use crate::load::{self, Loaded};
use crate::render::{self, SCHEMA_VERSION};
use crate::syntax::{self, ast::KeywordSet};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Exit codes (DESIGN.md §6).
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// Findings or failed tests.
    pub const FINDINGS: i32 = 1;
    /// Usage error.
    pub const USAGE: i32 = 2;
    /// Invalid ruleset or case.
    pub const INVALID: i32 = 3;
    /// I/O error.
    pub const IO: i32 = 4;
}

/// cailiang (裁量): 行政处罚裁量基准规则引擎 — check, evaluate, validate and test
/// discretion benchmarks.
#[derive(Debug, Parser)]
#[command(name = "cailiang", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// For people, in the ruleset's own terms.
    #[default]
    Human,
    /// One JSON document on standard output.
    Json,
}

/// Keyword set for `fmt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// 中文关键字.
    Zh,
    /// English keywords.
    En,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查规则集：语法、名称、类型、单位、幅度与政策（check rulesets).
    Check {
        /// Ruleset files or folders (folders: every *.rules file inside).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// 求值：对一个案件给出裁量建议（evaluate a case: recommended sanction with its basis).
    Eval {
        /// The ruleset file.
        ruleset: PathBuf,
        /// The case file (YAML or JSON); `-` or absent: standard input.
        case: Option<PathBuf>,
        /// Show the justification trace (every step with its legal basis).
        #[arg(long)]
        trace: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// 运行场景测试（run scenario files: worked cases kept as tests).
    Test {
        /// Scenario files or folders (default: rulesets/).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Also report what no scenario reached (grades, factor levels,
        /// circumstances, list items) and untested threshold sides.
        #[arg(long)]
        coverage: bool,
    },
    /// 案卷评查：已决定的案件是否在裁量基准内（review decided cases against the benchmark).
    Review {
        /// Review files (`*.review.yaml`, `*.review.json`) or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The ruleset to review against (default: the one each file names).
        #[arg(long)]
        ruleset: Option<PathBuf>,
        /// Also list the cases within the benchmark (default: findings and
        /// undetermined cases only).
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// 交互式试算（REPL: load rulesets, set facts, evaluate, :why, :whynot, :save).
    Repl {
        /// Ruleset files to load first.
        rulesets: Vec<PathBuf>,
    },
    /// 格式化规则集（print a ruleset in canonical form).
    Fmt {
        /// Ruleset files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Keyword set of the output (default: the file's own).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        /// Rewrite the files in place.
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// Exit 1 if a file is not in canonical form.
        #[arg(long)]
        check: bool,
    },
    /// 验证规则集：阶次表分析，以及乡镇规则集是否超出上级的阶次与幅度（validate).
    Validate {
        /// The ruleset to validate (a township's, or any single ruleset).
        path: PathBuf,
        /// The superior ruleset (default: the ruleset's own 细化; without
        /// either, only the table analysis runs).
        #[arg(long)]
        superior: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// Runs the CLI and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check { paths, format } => check(&paths, format),
        Command::Fmt {
            paths,
            lang,
            write,
            check,
        } => fmt(&paths, lang, write, check),
        Command::Validate {
            path,
            superior,
            format,
        } => validate(&path, superior.as_deref(), format),
        Command::Eval {
            ruleset,
            case,
            trace,
            format,
        } => eval(&ruleset, case.as_deref(), trace, format),
        Command::Test {
            paths,
            format,
            coverage,
        } => test(&paths, format, coverage),
        Command::Repl { rulesets } => crate::repl::terminal::run(&rulesets),
        Command::Review {
            paths,
            ruleset,
            all,
            format,
        } => review(&paths, ruleset.as_deref(), all, format),
    }
}

/// Every review file (`*.review.yaml|yml|json`) under the given paths.
pub fn collect_reviews(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    collect_files(paths, |p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        [".review.yaml", ".review.yml", ".review.json"]
            .iter()
            .any(|ext| name.ends_with(ext))
    })
}

/// 案卷评查 over review files: every decided case evaluated (with a compiled
/// [`crate::eval::Evaluator`] per ruleset) and its decision judged.
fn review(paths: &[PathBuf], ruleset: Option<&Path>, all: bool, format: Format) -> i32 {
    use crate::eval::{EvalOptions, Evaluator};
    use crate::review::{self, Verdict};
    use std::collections::BTreeMap;
    let files = match collect_reviews(paths) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            eprintln!("错误：未找到评查文件（*.review.yaml、*.review.json）");
            return exit::USAGE;
        }
        Err(e) => {
            eprintln!("错误：{e}");
            return exit::IO;
        }
    };
    let mut counts: BTreeMap<Verdict, usize> = BTreeMap::new();
    let (mut findings, mut invalid, mut total) = (0usize, 0usize, 0usize);
    let mut lines: Vec<String> = Vec::new();
    let mut docs: Vec<serde_json::Value> = Vec::new();
    let options = EvalOptions::default();
    for file in &files {
        let shown = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("错误：无法读取评查文件 {shown}：{e}");
                return exit::IO;
            }
        };
        if shown.ends_with(".json") {
            if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
                eprintln!("错误：{shown}：评查文件格式错误（第{}行）：{e}", e.line());
                return exit::INVALID;
            }
        }
        let rf = match review::parse(&text) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("错误：{shown}：{e}");
                return exit::INVALID;
            }
        };
        let rpath = match (ruleset, &rf.ruleset) {
            (Some(r), _) => r.to_path_buf(),
            (None, Some(r)) => file.parent().unwrap_or(Path::new(".")).join(r),
            (None, None) => {
                eprintln!(
                    "错误：{shown} 未写明规则集（规则集: 文件名），请在文件中写明或用 --ruleset 指定"
                );
                return exit::USAGE;
            }
        };
        let loaded = match load_for_use(&rpath) {
            Ok(l) => l,
            Err(code) => return code,
        };
        let Some(rs) = loaded.ruleset.as_ref() else {
            return exit::INVALID;
        };
        let evaluator = Evaluator::new(rs);
        let mut cases = Vec::with_capacity(rf.cases.len());
        for rc in &rf.cases {
            total += 1;
            let at = rc.at.map(|l| format!(":{}", l.line)).unwrap_or_default();
            match review::review_case(rs, rc, |c| evaluator.evaluate(c, &options)) {
                Ok(r) => {
                    *counts.entry(r.verdict).or_default() += 1;
                    for f in &r.sanctions {
                        *counts.entry(f.verdict).or_default() += 1;
                    }
                    let mark = match r.verdict {
                        _ if r.is_finding() => {
                            findings += 1;
                            "✗"
                        }
                        Verdict::Undetermined => "?",
                        _ => "✓",
                    };
                    if all || mark != "✓" {
                        let label = if r.verdict.is_finding() || r.sanctions.is_empty() {
                            r.label.to_string()
                        } else {
                            format!("罚款与结论{}；其他处罚有偏离", r.label)
                        };
                        let mut l = format!(
                            "{mark} {shown}{at} {} 事项 {}：{label}\n    {}",
                            r.id, r.matter, r.reason
                        );
                        for f in &r.sanctions {
                            l.push_str(&format!(
                                "\n    {}：{}（{}）",
                                f.label, f.sanction, f.reason
                            ));
                        }
                        lines.push(l);
                    }
                    cases.push(serde_json::to_value(&r).unwrap_or_default());
                }
                Err(e) => {
                    invalid += 1;
                    lines.push(format!("✗ {shown}{at} {}：案卷无效：{e}", rc.id));
                    cases.push(
                        json!({"id": rc.id, "line": rc.at.map(|l| l.line), "error": e.to_string()}),
                    );
                }
            }
        }
        docs.push(json!({"file": shown, "ruleset": rpath.to_string_lossy(), "cases": cases}));
    }
    match format {
        Format::Json => {
            let doc = json!({
                "schema_version": SCHEMA_VERSION,
                "cases": total,
                "findings": findings,
                "invalid": invalid,
                "verdicts": counts
                    .iter()
                    .map(|(v, n)| (v.code(), *n))
                    .collect::<BTreeMap<_, _>>(),
                "files": docs,
            });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        Format::Human => {
            for l in &lines {
                println!("{l}");
            }
            let count = |v: Verdict| counts.get(&v).copied().unwrap_or(0);
            let within = count(Verdict::Within) + count(Verdict::WithinDiscretion);
            let undetermined = count(Verdict::Undetermined);
            let mut by_kind: Vec<String> = counts
                .iter()
                .filter(|(v, _)| v.is_finding())
                .map(|(v, n)| format!("{}{n}", v.label()))
                .collect();
            by_kind.sort();
            let kinds = if by_kind.is_empty() {
                String::new()
            } else {
                format!("（{}）", by_kind.join("，"))
            };
            println!(
                "案卷评查：{total} 件；罚款与结论适当 {within}，有偏离的案卷 {findings}{kinds}，无法判断 {undetermined}，案卷无效 {invalid}"
            );
        }
    }
    if findings > 0 || invalid > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// Every scenario file (`*.scenarios.yaml`) under the given paths.
pub fn collect_scenarios(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    collect_files(paths, is_scenario_file)
}

fn is_scenario_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    name.ends_with(".scenarios.yaml") || name.ends_with(".scenarios.yml")
}

/// The outcome of running scenario files.
#[derive(Debug, Default, serde::Serialize)]
pub struct TestReport {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed (or were invalid).
    pub failed: usize,
    /// Per file: the ruleset and each case's result.
    pub files: Vec<serde_json::Value>,
    /// Human-readable failure reports.
    #[serde(skip)]
    pub failures: Vec<String>,
}

/// Runs scenario files (I/O: reads them and their rulesets).
pub fn run_scenarios(files: &[PathBuf]) -> TestReport {
    use crate::scenario::{self, CaseResult};
    let mut report = TestReport::default();
    let mut cache: std::collections::BTreeMap<PathBuf, Result<Loaded, String>> = Default::default();
    for file in files {
        let shown = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                report.failed += 1;
                report.failures.push(format!("✗ {shown}：无法读取：{e}"));
                continue;
            }
        };
        let sf = match scenario::parse(&text) {
            Ok(s) => s,
            Err(e) => {
                report.failed += 1;
                report.failures.push(format!("✗ {shown}：{e}"));
                report
                    .files
                    .push(json!({"file": shown, "error": e.to_string()}));
                continue;
            }
        };
        let rpath = file.parent().unwrap_or(Path::new(".")).join(&sf.ruleset);
        let loaded = cache.entry(rpath.clone()).or_insert_with(|| {
            let l = load_path(&rpath)?;
            if has_errors(&l.diagnostics) {
                return Err(format!(
                    "规则集 {} 有错误：\n{}",
                    rpath.display(),
                    render::diagnostics_human(&l.sources, &l.diagnostics)
                ));
            }
            Ok(l)
        });
        let ruleset = match loaded {
            Ok(l) => l.ruleset.as_ref(),
            Err(e) => {
                report.failed += sf.cases.len().max(1);
                report.failures.push(format!("✗ {shown}：{e}"));
                report.files.push(json!({"file": shown, "error": e}));
                continue;
            }
        };
        let Some(ruleset) = ruleset else { continue };
        let mut cases = Vec::new();
        for sc in &sf.cases {
            let result = scenario::run(ruleset, sc);
            let at = sc.at.map(|l| format!(":{}", l.line)).unwrap_or_default();
            match &result {
                CaseResult::Passed => report.passed += 1,
                CaseResult::Failed { mismatches } => {
                    report.failed += 1;
                    let mut s = format!("✗ {shown}{at} {}\n", sc.name);
                    for m in mismatches {
                        s.push_str(&format!(
                            "    {}：\n      期望 {}\n      实际 {}\n",
                            m.key, m.expected, m.actual
                        ));
                    }
                    report.failures.push(s);
                }
                CaseResult::Invalid { error } => {
                    report.failed += 1;
                    report.failures.push(format!(
                        "✗ {shown}{at} {}\n    案例无效：{error}\n",
                        sc.name
                    ));
                }
            }
            cases.push(json!({"name": sc.name, "line": sc.at.map(|l| l.line), "result": result}));
        }
        report
            .files
            .push(json!({"file": shown, "ruleset": rpath.to_string_lossy(), "cases": cases}));
    }
    report
}

fn test(paths: &[PathBuf], format: Format, coverage: bool) -> i32 {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("rulesets")]
    } else {
        paths.to_vec()
    };
    let files = match collect_scenarios(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("错误：{e}");
            return exit::IO;
        }
    };
    let report = run_scenarios(&files);
    let cov = if coverage {
        Some(coverage_of(&files))
    } else {
        None
    };
    match format {
        Format::Json => {
            let mut doc = json!({
                "schema_version": SCHEMA_VERSION,
                "passed": report.passed,
                "failed": report.failed,
                "files": report.files,
            });
            if let (Some(c), Some(obj)) = (&cov, doc.as_object_mut()) {
                let list: Vec<serde_json::Value> = c
                    .iter()
                    .map(|(name, c)| json!({"ruleset": name, "coverage": c}))
                    .collect();
                obj.insert("coverage".to_string(), serde_json::Value::Array(list));
            }
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        Format::Human => {
            for f in &report.failures {
                println!("{f}");
            }
            for (name, c) in cov.iter().flatten() {
                print!("{}", crate::scenario::coverage::render_human(name, c));
            }
            println!(
                "{}",
                crate::scenario::summary_line(report.passed, report.failed, 0)
            );
        }
    }
    if report.failed > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// Coverage per ruleset of the scenario files (rulesets in first-seen order).
pub fn coverage_of(files: &[PathBuf]) -> Vec<(String, crate::scenario::coverage::Coverage)> {
    let mut groups: Vec<(PathBuf, Vec<crate::scenario::Scenario>)> = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let Ok(sf) = crate::scenario::parse(&text) else {
            continue;
        };
        let rpath = file.parent().unwrap_or(Path::new(".")).join(&sf.ruleset);
        match groups.iter_mut().find(|(p, _)| *p == rpath) {
            Some((_, v)) => v.extend(sf.cases),
            None => groups.push((rpath, sf.cases)),
        }
    }
    let mut out = Vec::new();
    for (rpath, scenarios) in groups {
        let Ok(loaded) = load_path(&rpath) else {
            continue;
        };
        let Some(ruleset) = loaded.ruleset.as_ref() else {
            continue;
        };
        let cases: Vec<crate::case::Case> = scenarios
            .iter()
            .filter_map(|s| s.case.resolve(ruleset).ok())
            .collect();
        out.push((
            rpath.to_string_lossy().to_string(),
            crate::scenario::coverage::coverage(ruleset, &cases),
        ));
    }
    out
}

/// Loads a ruleset for use (eval, test, repl): diagnostics go to standard
/// error; `Err(exit code)` when it cannot be used.
pub fn load_for_use(path: &Path) -> Result<Loaded, i32> {
    let loaded = match load_path(path) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("错误：{e}");
            return Err(exit::IO);
        }
    };
    if has_errors(&loaded.diagnostics) {
        print_diagnostics_human(&loaded);
        eprintln!(
            "错误：规则集 {} 有错误，无法求值；请先运行 cailiang check 修正",
            path.display()
        );
        return Err(exit::INVALID);
    }
    Ok(loaded)
}

fn eval(ruleset_path: &Path, case_path: Option<&Path>, trace: bool, format: Format) -> i32 {
    use crate::case::{CaseFormat, load_case};
    use crate::eval::{EvalOptions, evaluate, render_human};
    let loaded = match load_for_use(ruleset_path) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let Some(ruleset) = loaded.ruleset.as_ref() else {
        return exit::INVALID;
    };
    let (name, text) = match case_path {
        Some(p) if p.as_os_str() != "-" => match std::fs::read_to_string(p) {
            Ok(t) => (p.to_string_lossy().to_string(), t),
            Err(e) => {
                eprintln!("错误：无法读取案件文件 {}：{e}", p.display());
                return exit::IO;
            }
        },
        _ => {
            let mut t = String::new();
            if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut t) {
                eprintln!("错误：无法读取标准输入：{e}");
                return exit::IO;
            }
            ("<stdin>".to_string(), t)
        }
    };
    let format_of_case = if name.ends_with(".json") || text.trim_start().starts_with('{') {
        CaseFormat::Json
    } else {
        CaseFormat::Yaml
    };
    let case = match load_case(&text, format_of_case, ruleset) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{name}：{e}");
            return exit::INVALID;
        }
    };
    let rec = match evaluate(ruleset, &case, &EvalOptions { trace }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("错误：{name}：{e}");
            return exit::INVALID;
        }
    };
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&rec).unwrap_or_default()),
        Format::Human => print!("{}", render_human(&rec, ruleset)),
    }
    exit::OK
}

/// Reads a file for the loader (`None` when it cannot be read).
pub fn read_file(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// Loads a ruleset from disk; `Err` with a message when the file cannot be read.
pub fn load_path(path: &Path) -> Result<Loaded, String> {
    let name = path.to_string_lossy().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("无法读取 {name}：{e}"))?;
    Ok(load::load(&name, &text, &read_file))
}

/// Every `*.rules` file under the given paths (files as given, folders walked).
pub fn collect_rules(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    collect_files(paths, |p| p.extension().is_some_and(|e| e == "rules"))
}

/// The files given, and in the folders given every file (recursively, in
/// name order) that `wanted` accepts.
fn collect_files(paths: &[PathBuf], wanted: fn(&Path) -> bool) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, wanted: fn(&Path) -> bool, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, wanted, out)?;
            } else if wanted(&p) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, wanted, &mut out).map_err(|e| format!("无法读取目录 {}：{e}", p.display()))?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("找不到 {}", p.display()));
        }
    }
    Ok(out)
}

fn print_diagnostics_human(loaded: &Loaded) {
    if !loaded.diagnostics.is_empty() {
        eprint!(
            "{}",
            render::diagnostics_human(&loaded.sources, &loaded.diagnostics)
        );
    }
}

/// `通过` / `通过，2 个警告` / `3 个错误，2 个警告` (with the words of the command).
fn status_text(errors: usize, warnings: usize, ok: &str, failed: &str) -> String {
    if errors > 0 {
        format!("{failed}{errors} 个错误，{warnings} 个警告")
    } else if warnings > 0 {
        format!("{ok}，{warnings} 个警告")
    } else {
        ok.to_string()
    }
}

fn summary(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    (errors, warnings)
}

fn check(paths: &[PathBuf], format: Format) -> i32 {
    let files = match collect_rules(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("错误：{e}");
            return exit::IO;
        }
    };
    let mut any_error = false;
    let mut io_error = false;
    let mut reports = Vec::new();
    for f in &files {
        let loaded = match load_path(f) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("错误：{e}");
                io_error = true;
                continue;
            }
        };
        any_error |= has_errors(&loaded.diagnostics);
        let (errors, warnings) = summary(&loaded.diagnostics);
        match format {
            Format::Human => {
                print_diagnostics_human(&loaded);
                let status = status_text(errors, warnings, "通过", "");
                let matters = loaded
                    .ruleset
                    .as_ref()
                    .map(|r| r.matters.len())
                    .unwrap_or(0);
                println!("{}：{status}（{matters} 个事项）", f.display());
            }
            Format::Json => reports.push(json!({
                "file": f.to_string_lossy(),
                "ok": errors == 0,
                "errors": errors,
                "warnings": warnings,
                "matters": loaded.ruleset.as_ref().map(|r| r.matters.len()).unwrap_or(0),
                "content_hash": loaded.ruleset.as_ref().map(|r| r.content_hash.clone()),
                "diagnostics": render::diagnostics_json(&loaded.sources, &loaded.diagnostics),
            })),
        }
    }
    if format == Format::Json {
        let diagnostics: Vec<serde_json::Value> = reports
            .iter()
            .flat_map(|r| r["diagnostics"].as_array().cloned().unwrap_or_default())
            .collect();
        let doc = json!({
            "schema_version": SCHEMA_VERSION,
            "ok": !any_error && !io_error,
            "files": reports,
            "diagnostics": diagnostics,
        });
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    }
    if io_error {
        exit::IO
    } else if any_error {
        exit::INVALID
    } else {
        exit::OK
    }
}

fn fmt(paths: &[PathBuf], lang: Option<Lang>, write: bool, check: bool) -> i32 {
    let mut code = exit::OK;
    for path in paths {
        let name = path.to_string_lossy().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("错误：无法读取 {name}：{e}");
                return exit::IO;
            }
        };
        let mut sources = crate::source::SourceMap::new();
        let id = sources.add(name.clone(), text.clone());
        let tree = match syntax::parse(id, &text) {
            Ok(t) => t,
            Err(ds) => {
                eprint!("{}", render::diagnostics_human(&sources, &ds));
                return exit::INVALID;
            }
        };
        let keywords = match lang {
            Some(Lang::Zh) => KeywordSet::Chinese,
            Some(Lang::En) => KeywordSet::English,
            None => tree.keywords,
        };
        let out = syntax::format(&tree, keywords);
        if check {
            if out != text {
                println!("{name}：不是规范格式（运行 cailiang fmt --write {name}）");
                code = exit::FINDINGS;
            }
        } else if write {
            if out != text {
                if let Err(e) = std::fs::write(path, &out) {
                    eprintln!("错误：无法写入 {name}：{e}");
                    return exit::IO;
                }
            }
        } else {
            print!("{out}");
        }
    }
    code
}

/// `cailiang validate`: table analysis of a ruleset and, when it has a
/// superior, the refinement check. Exit 0 conforming (warnings allowed),
/// 1 findings, 3 invalid ruleset, 4 unreadable file.
fn validate(path: &Path, superior: Option<&Path>, format: Format) -> i32 {
    use crate::validate as v;
    let name = path.to_string_lossy().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("错误：无法读取 {name}：{e}");
            return exit::IO;
        }
    };
    let sup = superior.map(|p| p.to_string_lossy().to_string());
    let pair = load::load_with_superior(&name, &text, sup.as_deref(), &read_file);
    if has_errors(&pair.diagnostics) || pair.township.is_none() {
        eprint!(
            "{}",
            render::diagnostics_human(&pair.sources, &pair.diagnostics)
        );
        return exit::INVALID;
    }
    if pair.superior_unreadable {
        eprintln!(
            "错误：无法读取上级规则集 {}",
            pair.superior_name.clone().unwrap_or_default()
        );
        return exit::IO;
    }
    let Some(township) = pair.township.as_ref() else {
        return exit::INVALID;
    };
    let mut findings = v::analyse(township);
    if let Some(s) = pair.superior.as_ref() {
        findings.extend(v::validate(township, s));
    } else if pair.superior_name.is_some() {
        eprint!(
            "{}",
            render::diagnostics_human(&pair.sources, &pair.diagnostics)
        );
        return exit::INVALID;
    }
    let diags = v::diagnostics(&findings);
    let (errors, warnings) = summary(&diags);
    match format {
        Format::Human => {
            eprint!("{}", render::diagnostics_human(&pair.sources, &diags));
            let against = pair
                .superior_name
                .as_ref()
                .map(|s| format!("（对照上级 {s}）"))
                .unwrap_or_default();
            let status = status_text(errors, warnings, "符合", "不符合：");
            println!("{name}{against}：{status}");
        }
        Format::Json => {
            let rendered = render::diagnostics_json(&pair.sources, &diags);
            let items: Vec<serde_json::Value> = findings
                .iter()
                .zip(rendered)
                .map(|(f, d)| {
                    json!({
                        "matter": f.matter,
                        "diagnostic": d,
                        "witness": f.witness,
                    })
                })
                .collect();
            let doc = json!({
                "schema_version": SCHEMA_VERSION,
                "file": name,
                "superior": pair.superior_name,
                "conforming": errors == 0,
                "errors": errors,
                "warnings": warnings,
                "findings": items,
            });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
    }
    if errors > 0 { exit::FINDINGS } else { exit::OK }
}
