//! The interactive session (`cailiang repl`): legal staff try cases against a
//! ruleset line by line and keep them as scenario tests (docs/REPL.md).
//!
//! [`Session`] is pure: it never touches a terminal or the file system.
//! Reading rulesets and writing scenario files go through an injected [`Io`];
//! [`Session::handle`] takes one line and returns the text to print. The
//! binary's terminal glue (rustyline: completion, history) is in [`terminal`].

mod explain;
mod save;
pub mod terminal;

use crate::case::{
    CaseError, CaseFile, Located, close_names, fact_ids, parse_fact_value, type_name,
};
use crate::eval::render::{money_text, range_text};
use crate::eval::{EvalOptions, Outcome, Recommendation, evaluate, render_human};
use crate::model::{FactDef, FactId, FactType, Matter, MatterId, Ruleset, Table, Value};
use crate::value::Date;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// File access for a session: the binary reads and writes the file system,
/// tests an in-memory map.
pub trait Io {
    /// The text of a file, `None` when it cannot be read.
    fn read(&self, path: &str) -> Option<String>;
    /// Writes a file.
    ///
    /// # Errors
    /// A message (in Chinese) when it cannot be written.
    fn write(&mut self, path: &str, text: &str) -> Result<(), String>;
    /// The absolute form of a path (to write a scenario's ruleset path
    /// relative to the scenario file). In-memory stores keep paths as they are.
    fn absolute(&self, path: &str) -> String {
        path.to_string()
    }
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsIo;

impl Io for FsIo {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }

    fn write(&mut self, path: &str, text: &str) -> Result<(), String> {
        std::fs::write(path, text).map_err(|e| format!("无法写入 {path}：{e}"))
    }

    fn absolute(&self, path: &str) -> String {
        std::path::absolute(path)
            .map(|p| p.to_string_lossy().to_string())
            .unwrap_or_else(|_| path.to_string())
    }
}

/// An in-memory file store (tests, embedding).
#[derive(Debug, Default, Clone)]
pub struct MemIo {
    /// Path → text.
    pub files: BTreeMap<String, String>,
}

impl Io for MemIo {
    fn read(&self, path: &str) -> Option<String> {
        self.files.get(path).cloned()
    }

    fn write(&mut self, path: &str, text: &str) -> Result<(), String> {
        self.files.insert(path.to_string(), text.to_string());
        Ok(())
    }
}

/// What a line produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Text to print (may be empty; ends with a newline when not empty).
    pub text: String,
    /// The user asked to leave.
    pub exit: bool,
    /// The line ended in `\`: more input follows (the prompt may change).
    pub continued: bool,
}

impl Output {
    fn text(text: impl Into<String>) -> Output {
        let mut text = text.into();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        Output {
            text,
            ..Output::default()
        }
    }
}

/// A loaded ruleset.
#[derive(Debug, Clone)]
pub struct LoadedRuleset {
    /// The path as given.
    pub path: String,
    /// The checked model.
    pub ruleset: Ruleset,
}

/// The four dates of a case, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dates {
    /// 违法行为发生日.
    pub act: Option<String>,
    /// 行为终了日.
    pub act_end: Option<String>,
    /// 发现日.
    pub discovery: Option<String>,
    /// 决定日.
    pub decision: Option<String>,
}

/// A case evaluated with `:eval`, kept for `:save`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Index into the session's rulesets.
    pub ruleset: usize,
    /// The case's name.
    pub name: String,
    /// The matter id.
    pub matter: String,
    /// Facts as written, in the order set.
    pub facts: Vec<(String, String)>,
    /// Dates as written.
    pub dates: Dates,
}

/// One command: its names (English first, then Chinese aliases), arguments and help.
pub struct CommandInfo {
    /// Names without the colon.
    pub names: &'static [&'static str],
    /// Argument synopsis.
    pub args: &'static str,
    /// What it does.
    pub help: &'static str,
}

/// Every command, for `:help` and completion.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        names: &["load", "载入"],
        args: "文件…",
        help: "载入规则集文件",
    },
    CommandInfo {
        names: &["matters", "事项"],
        args: "[过滤词]",
        help: "列出事项（可按编号或名称过滤）",
    },
    CommandInfo {
        names: &["matter", "选择"],
        args: "事项编号",
        help: "选择要裁量的事项",
    },
    CommandInfo {
        names: &["facts", "事实"],
        args: "",
        help: "已设定的事实、尚缺的事实、类型与可选值",
    },
    CommandInfo {
        names: &["unset", "清除"],
        args: "事实名称…",
        help: "清除事实（回到未知或默认值）",
    },
    CommandInfo {
        names: &["date", "日期"],
        args: "act|act_end|discovery|decision 日期",
        help: "设定日期：违法行为发生日、行为终了日、发现日、决定日（不写日期则清除）",
    },
    CommandInfo {
        names: &["asof", "时点"],
        args: "日期",
        help: "按某一决定日求值（设定决定日）",
    },
    CommandInfo {
        names: &["eval", "求值"],
        args: "[案例名称]",
        help: "求值并显示完整结果；本案记入会话，供 :save 保存",
    },
    CommandInfo {
        names: &["why", "为什么"],
        args: "",
        help: "裁量过程：每一步的理由、事实与法律依据",
    },
    CommandInfo {
        names: &["whynot", "为什么不"],
        args: "阶次|情节|清单项",
        help: "为什么没有适用，以及使其适用的最小事实改动（已验证）",
    },
    CommandInfo {
        names: &["save", "保存"],
        args: "文件",
        help: "把本会话求值过的案例保存为场景测试文件（以当前结果为期望）",
    },
    CommandInfo {
        names: &["reset", "重置"],
        args: "",
        help: "清除全部事实和日期",
    },
    CommandInfo {
        names: &["help", "帮助"],
        args: "",
        help: "显示本帮助",
    },
    CommandInfo {
        names: &["quit", "退出"],
        args: "",
        help: "退出（也可用 :exit 或 Ctrl-D）",
    },
];

/// The REPL session: loaded rulesets, the case being built and the cases evaluated.
pub struct Session {
    io: Box<dyn Io>,
    rulesets: Vec<LoadedRuleset>,
    current: Option<usize>,
    matter: Option<MatterId>,
    facts: Vec<(String, String)>,
    dates: Dates,
    recorded: Vec<Recorded>,
    pending: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("rulesets", &self.rulesets.len())
            .field("current", &self.current)
            .field("matter", &self.matter)
            .field("facts", &self.facts)
            .field("dates", &self.dates)
            .finish()
    }
}

/// Which date a `:date` argument names.
fn date_field(word: &str) -> Option<(&'static str, DateKind)> {
    Some(match word.trim() {
        "act" | "违法行为发生日" | "发生日" | "行为日" => {
            ("违法行为发生日", DateKind::Act)
        }
        "act_end" | "行为终了日" | "终了日" => ("行为终了日", DateKind::ActEnd),
        "discovery" | "发现日" => ("发现日", DateKind::Discovery),
        "decision" | "决定日" => ("决定日", DateKind::Decision),
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateKind {
    Act,
    ActEnd,
    Discovery,
    Decision,
}

/// The names of the date kinds, for completion.
pub const DATE_WORDS: &[&str] = &[
    "act",
    "act_end",
    "discovery",
    "decision",
    "违法行为发生日",
    "行为终了日",
    "发现日",
    "决定日",
];

impl Session {
    /// A session reading and writing files through `io`.
    pub fn new(io: Box<dyn Io>) -> Session {
        Session {
            io,
            rulesets: Vec::new(),
            current: None,
            matter: None,
            facts: Vec::new(),
            dates: Dates::default(),
            recorded: Vec::new(),
            pending: String::new(),
        }
    }

    /// The greeting the binary prints first.
    pub fn banner() -> &'static str {
        "cailiang 裁量 交互式试算。输入 :help（:帮助）查看命令，:quit（:退出）退出。\n"
    }

    /// The prompt for the next line.
    pub fn prompt(&self) -> String {
        if !self.pending.is_empty() {
            return "……> ".to_string();
        }
        match self.current_matter() {
            Some((_, m)) => format!("裁量[{}]> ", m.id),
            None => "裁量> ".to_string(),
        }
    }

    /// The loaded rulesets.
    pub fn rulesets(&self) -> &[LoadedRuleset] {
        &self.rulesets
    }

    /// The cases evaluated with `:eval`.
    pub fn recorded(&self) -> &[Recorded] {
        &self.recorded
    }

    fn current_ruleset(&self) -> Option<&Ruleset> {
        self.current
            .and_then(|i| self.rulesets.get(i))
            .map(|l| &l.ruleset)
    }

    fn current_matter(&self) -> Option<(&Ruleset, &Matter)> {
        let rs = self.current_ruleset()?;
        let m = rs.matters.get(self.matter?.0 as usize)?;
        Some((rs, m))
    }

    /// Handles one line of input.
    pub fn handle(&mut self, line: &str) -> Output {
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(head) = line.strip_suffix('\\') {
            self.pending.push_str(head);
            self.pending.push('\n');
            return Output {
                continued: true,
                ..Output::default()
            };
        }
        let full = if self.pending.is_empty() {
            line.to_string()
        } else {
            let mut p = std::mem::take(&mut self.pending);
            p.push_str(line);
            p
        };
        self.handle_full(&full)
    }

    fn handle_full(&mut self, input: &str) -> Output {
        let t = input.trim();
        if t.is_empty() || t.starts_with('#') {
            return Output::default();
        }
        let cmd = t.strip_prefix(':').or_else(|| t.strip_prefix('：'));
        if let Some(cmd) = cmd {
            let cmd = cmd.trim_start();
            let (name, rest) = match cmd.find(char::is_whitespace) {
                Some(i) => (
                    cmd.get(..i).unwrap_or(cmd),
                    cmd.get(i..).unwrap_or("").trim(),
                ),
                None => (cmd, ""),
            };
            return self.command(name, rest);
        }
        // Fact assignments; several may be separated by `；` or `;` or lines.
        let parts: Vec<&str> = t
            .split(['；', ';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let mut out = String::new();
        let mut changed = false;
        for p in parts {
            match self.assign(p) {
                Ok(msg) => {
                    changed = true;
                    out.push_str(&msg);
                }
                Err(e) => {
                    let _ = writeln!(out, "错误：{e}");
                }
            }
        }
        if changed {
            out.push_str(&self.brief());
        }
        Output::text(out)
    }

    fn command(&mut self, name: &str, rest: &str) -> Output {
        let r = match name {
            "load" | "载入" | "加载" => self.cmd_load(rest),
            "matters" | "事项" | "ls" => self.cmd_matters(rest),
            "matter" | "选择" | "use" => self.cmd_matter(rest),
            "facts" | "事实" => self.cmd_facts(),
            "unset" | "清除" => self.cmd_unset(rest),
            "date" | "日期" => self.cmd_date(rest),
            "asof" | "时点" => self.cmd_asof(rest),
            "eval" | "求值" => self.cmd_eval(rest),
            "why" | "为什么" => self.cmd_why(),
            "whynot" | "为什么不" => self.cmd_whynot(rest),
            "save" | "保存" => self.cmd_save(rest),
            "reset" | "重置" => {
                self.facts.clear();
                self.dates = Dates::default();
                Ok("已清除全部事实和日期。\n".to_string())
            }
            "help" | "帮助" | "h" | "?" => Ok(help_text()),
            "quit" | "退出" | "exit" | "q" => {
                return Output {
                    exit: true,
                    ..Output::default()
                };
            }
            other => {
                let names: Vec<String> = COMMANDS
                    .iter()
                    .flat_map(|c| c.names.iter().map(|n| n.to_string()))
                    .collect();
                let close = close_names(other, names.iter());
                let hint = if close.is_empty() {
                    String::new()
                } else {
                    let c: Vec<String> = close.iter().map(|c| format!(":{c}")).collect();
                    format!("；是否指：{}", c.join("、"))
                };
                Err(format!(
                    "没有命令“:{other}”{hint}（输入 :帮助 查看全部命令）"
                ))
            }
        };
        match r {
            Ok(t) => Output::text(t),
            Err(e) => Output::text(format!("错误：{e}")),
        }
    }

    // ----- loading --------------------------------------------------------------

    /// Loads a ruleset file through the session's [`Io`].
    ///
    /// # Errors
    /// A message when the file cannot be read or has errors.
    pub fn load(&mut self, path: &str) -> Result<String, String> {
        let text = self
            .io
            .read(path)
            .ok_or_else(|| format!("无法读取规则集文件 {path}"))?;
        let io = &self.io;
        let read = |p: &str| io.read(p);
        let loaded = crate::load::load(path, &text, &read);
        let errors: Vec<&crate::diag::Diagnostic> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .collect();
        let Some(ruleset) = loaded.ruleset.filter(|_| errors.is_empty()) else {
            let shown = crate::render::diagnostics_human(&loaded.sources, &loaded.diagnostics);
            return Err(format!(
                "规则集 {path} 有 {} 个错误，无法使用（请先运行 cailiang check 修正）：\n{shown}",
                errors.len()
            ));
        };
        let warnings = loaded.diagnostics.len();
        let mut msg = format!(
            "已载入《{}》（{path}）：{} 个事项",
            ruleset.meta.name,
            ruleset.matters.len()
        );
        if warnings > 0 {
            let _ = write!(msg, "，{warnings} 个提示（cailiang check 查看）");
        }
        msg.push('\n');
        // Reloading the same path replaces it (edits to the file take effect).
        let idx = match self.rulesets.iter().position(|l| l.path == path) {
            Some(i) => {
                if let Some(slot) = self.rulesets.get_mut(i) {
                    slot.ruleset = ruleset;
                }
                i
            }
            None => {
                self.rulesets.push(LoadedRuleset {
                    path: path.to_string(),
                    ruleset,
                });
                self.rulesets.len() - 1
            }
        };
        if self.current == Some(idx) {
            // The matter may be gone or renumbered: choose it again by id.
            let id = self.recorded_matter_id();
            self.matter = id.and_then(|id| {
                self.rulesets
                    .get(idx)
                    .and_then(|l| l.ruleset.matter_index.get(&id).copied())
            });
        }
        if self.current.is_none() {
            self.current = Some(idx);
        }
        if let Some(rs) = self.rulesets.get(idx).map(|l| &l.ruleset) {
            if rs.matters.len() == 1 && self.matter.is_none() && self.current == Some(idx) {
                self.matter = Some(MatterId(0));
                if let Some(m) = rs.matters.first() {
                    let _ = writeln!(msg, "已选择唯一的事项 {} {}", m.id, m.name);
                }
            } else if self.matter.is_none() {
                msg.push_str("输入 :事项 列出事项，:选择 编号 选择事项。\n");
            }
        }
        Ok(msg)
    }

    fn recorded_matter_id(&self) -> Option<String> {
        self.current_matter().map(|(_, m)| m.id.clone())
    }

    fn cmd_load(&mut self, rest: &str) -> Result<String, String> {
        if rest.is_empty() {
            return Err("请给出规则集文件，如 :载入 rulesets/tax/shouwei-bufa.rules".to_string());
        }
        let mut out = String::new();
        for p in rest.split_whitespace() {
            match self.load(p) {
                Ok(m) => out.push_str(&m),
                Err(e) => {
                    let _ = writeln!(out, "错误：{e}");
                }
            }
        }
        Ok(out)
    }

    // ----- matters --------------------------------------------------------------

    fn cmd_matters(&self, filter: &str) -> Result<String, String> {
        if self.rulesets.is_empty() {
            return Err("尚未载入规则集；请用 :载入 文件".to_string());
        }
        let mut out = String::new();
        let mut n = 0;
        for (i, l) in self.rulesets.iter().enumerate() {
            let ms: Vec<&Matter> = l
                .ruleset
                .matters
                .iter()
                .filter(|m| filter.is_empty() || m.id.contains(filter) || m.name.contains(filter))
                .collect();
            if ms.is_empty() {
                continue;
            }
            let mark = if self.current == Some(i) {
                "（当前）"
            } else {
                ""
            };
            let _ = writeln!(out, "《{}》{mark}", l.ruleset.meta.name);
            for m in ms {
                n += 1;
                let chosen = self.current == Some(i)
                    && self
                        .matter
                        .and_then(|id| l.ruleset.matters.get(id.0 as usize))
                        == Some(m);
                let _ = writeln!(
                    out,
                    "  {} {}{}{}",
                    if chosen { "*" } else { " " },
                    m.id,
                    " ".repeat(12usize.saturating_sub(m.id.chars().count())),
                    m.name
                );
            }
        }
        if n == 0 {
            return Err(format!("没有编号或名称含“{filter}”的事项"));
        }
        Ok(out)
    }

    fn find_matter(&self, id: &str) -> Option<(usize, MatterId)> {
        let order = self
            .current
            .into_iter()
            .chain((0..self.rulesets.len()).filter(|i| Some(*i) != self.current));
        for i in order {
            if let Some(mid) = self
                .rulesets
                .get(i)
                .and_then(|l| l.ruleset.matter_index.get(id))
            {
                return Some((i, *mid));
            }
        }
        None
    }

    fn cmd_matter(&mut self, id: &str) -> Result<String, String> {
        if self.rulesets.is_empty() {
            return Err("尚未载入规则集；请用 :载入 文件".to_string());
        }
        if id.is_empty() {
            return Err("请给出事项编号，如 :选择 SZ62；:事项 列出全部事项".to_string());
        }
        let Some((ri, mid)) = self.find_matter(id) else {
            let ids: Vec<String> = self
                .rulesets
                .iter()
                .flat_map(|l| l.ruleset.matter_index.keys().cloned())
                .collect();
            // Also match by title.
            let by_name: Vec<String> = self
                .rulesets
                .iter()
                .flat_map(|l| l.ruleset.matters.iter())
                .filter(|m| m.name.contains(id))
                .map(|m| m.id.clone())
                .collect();
            let mut close = close_names(id, ids.iter());
            close.extend(by_name);
            close.dedup();
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!("；是否指：{}", close.join("、"))
            };
            return Err(format!("没有事项“{id}”{hint}"));
        };
        let mut out = String::new();
        if self.current != Some(ri) {
            if !self.facts.is_empty() {
                out.push_str("已切换规则集，原有事实已清除。\n");
            }
            self.facts.clear();
        }
        self.current = Some(ri);
        self.matter = Some(mid);
        // Keep only the facts the new matter knows.
        let facts = std::mem::take(&mut self.facts);
        let (dropped, kept): (Vec<_>, Vec<_>) = {
            let rs = self.current_ruleset();
            facts
                .into_iter()
                .partition(|(n, _)| rs.is_none_or(|rs| fact_ids(rs, &[mid], n).is_empty()))
        };
        self.facts = kept;
        if !dropped.is_empty() {
            let names: Vec<&str> = dropped.iter().map(|(n, _)| n.as_str()).collect();
            let _ = writeln!(out, "以下事实不适用于该事项，已清除：{}", names.join("、"));
        }
        if let Some((rs, m)) = self.current_matter() {
            let _ = writeln!(out, "已选择事项 {} {}", m.id, m.name);
            if let Some(b) = &m.violation_basis {
                let _ = writeln!(out, "违法依据：{b}");
            }
            if let Some(b) = &m.penalty_basis {
                let _ = writeln!(out, "处罚依据：{b}");
            }
            let table = match &m.table {
                Table::None => "无裁量阶次（按法定幅度）".to_string(),
                Table::Graded(g) => {
                    let ids: Vec<&str> = g.iter().map(|g| g.id.as_str()).collect();
                    format!("裁量阶次 {}", ids.join("、"))
                }
                Table::Weighted(w) => format!("权重累加（{} 个因素）", w.factors.len()),
            };
            let _ = writeln!(out, "裁量方式：{table}");
            let needed = self.needed_facts(rs, m);
            if !needed.is_empty() {
                let _ = writeln!(
                    out,
                    "需要的事实：{}（:事实 查看类型与可选值）",
                    needed.join("、")
                );
            }
        }
        Ok(out)
    }

    /// Facts of the matter with no value and no default.
    fn needed_facts(&self, rs: &Ruleset, m: &Matter) -> Vec<String> {
        let mut ids: Vec<(FactId, &String)> = m.facts.iter().map(|(n, id)| (*id, n)).collect();
        ids.sort();
        ids.into_iter()
            .filter(|(id, name)| {
                rs.facts
                    .get(id.0 as usize)
                    .is_some_and(|d| d.default.is_none())
                    && !self.facts.iter().any(|(n, _)| n == *name)
            })
            .map(|(_, n)| n.clone())
            .collect()
    }

    // ----- facts ----------------------------------------------------------------

    fn assign(&mut self, text: &str) -> Result<String, String> {
        let Some(i) = text.find(['=', '＝']) else {
            return Err(format!(
                "无法理解“{text}”：设定事实请写 名称 = 值（如 违法所得 = 3.5万），命令以冒号开头（:帮助）"
            ));
        };
        let name = text.get(..i).unwrap_or("").trim();
        let eq_len = text
            .get(i..)
            .and_then(|s| s.chars().next())
            .map_or(1, char::len_utf8);
        let value = text.get(i + eq_len..).unwrap_or("").trim();
        if name.is_empty() {
            return Err("等号前缺少事实名称".to_string());
        }
        if let Some((label, kind)) = date_field(name) {
            self.set_date(kind, value)?;
            return Ok(format!("{label} = {value}\n"));
        }
        let Some(rs) = self.current_ruleset() else {
            return Err("尚未载入规则集；请用 :载入 文件".to_string());
        };
        let matters: Vec<MatterId> = self.matter.into_iter().collect();
        let ids = fact_ids(rs, &matters, name);
        if ids.is_empty() {
            let mut known: Vec<&String> = rs.shared_facts.keys().collect();
            if let Some((_, m)) = self.current_matter() {
                known.extend(m.facts.keys());
            }
            let close = close_names(name, known.into_iter());
            let e = CaseError::UnknownFact {
                name: name.to_string(),
                close,
                at: None,
            };
            let hint = if self.matter.is_none() {
                "（尚未选择事项：事项自己的事实要先 :选择 事项）"
            } else {
                ""
            };
            return Err(format!("{e}{hint}"));
        }
        if value.is_empty() || matches!(value, "未知" | "?" | "？" | "~") {
            self.facts.retain(|(n, _)| n != name);
            return Ok(format!("{name} 设为未知\n"));
        }
        let mut shown = String::new();
        for id in &ids {
            let Some(def) = rs.facts.get(id.0 as usize) else {
                continue;
            };
            let v = parse_fact_value(def, value).map_err(|e| e.to_string())?;
            shown = show_value(def, v);
        }
        match self.facts.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.facts.push((name.to_string(), value.to_string())),
        }
        let note = if shown != value {
            format!("（{shown}）")
        } else {
            String::new()
        };
        Ok(format!("{name} = {value}{note}\n"))
    }

    fn cmd_unset(&mut self, rest: &str) -> Result<String, String> {
        if rest.is_empty() {
            return Err("请给出要清除的事实名称，如 :清除 违法所得".to_string());
        }
        let mut out = String::new();
        for name in rest.split([' ', '、', ',', '，']).filter(|s| !s.is_empty()) {
            if let Some((label, kind)) = date_field(name) {
                self.set_date(kind, "")?;
                let _ = writeln!(out, "已清除 {label}");
                continue;
            }
            let before = self.facts.len();
            self.facts.retain(|(n, _)| n != name);
            if self.facts.len() == before {
                let names: Vec<String> = self.facts.iter().map(|(n, _)| n.clone()).collect();
                let close = close_names(name, names.iter());
                let hint = if close.is_empty() {
                    String::new()
                } else {
                    format!("；是否指：{}", close.join("、"))
                };
                return Err(format!("事实“{name}”尚未设定{hint}"));
            }
            let default = self.default_of(name);
            match default {
                Some(d) => {
                    let _ = writeln!(out, "已清除 {name}（取默认值 {d}）");
                }
                None => {
                    let _ = writeln!(out, "已清除 {name}（未知）");
                }
            }
        }
        out.push_str(&self.brief());
        Ok(out)
    }

    fn default_of(&self, name: &str) -> Option<String> {
        let rs = self.current_ruleset()?;
        let matters: Vec<MatterId> = self.matter.into_iter().collect();
        let id = fact_ids(rs, &matters, name).into_iter().next()?;
        let def = rs.facts.get(id.0 as usize)?;
        def.default.map(|v| show_value(def, v))
    }

    fn set_date(&mut self, kind: DateKind, value: &str) -> Result<(), String> {
        let value = value.trim();
        let v = if value.is_empty() || value == "-" {
            None
        } else {
            if Date::parse(value).is_none() {
                return Err(format!("日期“{value}”无效：应为如 2024-03-01 的日期"));
            }
            Some(value.to_string())
        };
        let slot = match kind {
            DateKind::Act => &mut self.dates.act,
            DateKind::ActEnd => &mut self.dates.act_end,
            DateKind::Discovery => &mut self.dates.discovery,
            DateKind::Decision => &mut self.dates.decision,
        };
        *slot = v;
        Ok(())
    }

    fn cmd_date(&mut self, rest: &str) -> Result<String, String> {
        let mut words = rest.split_whitespace();
        let Some(which) = words.next() else {
            return Ok(self.dates_text());
        };
        let Some((label, kind)) = date_field(which) else {
            return Err(format!(
                "没有日期“{which}”：可选 act（违法行为发生日）、act_end（行为终了日）、discovery（发现日）、decision（决定日）"
            ));
        };
        let value = words.next().unwrap_or("");
        self.set_date(kind, value)?;
        let mut out = if value.is_empty() {
            format!("已清除 {label}\n")
        } else {
            format!("{label} = {value}\n")
        };
        out.push_str(&self.brief());
        Ok(out)
    }

    fn dates_text(&self) -> String {
        let d = &self.dates;
        let mut out = String::new();
        for (label, v) in [
            ("违法行为发生日", &d.act),
            ("行为终了日", &d.act_end),
            ("发现日", &d.discovery),
            ("决定日", &d.decision),
        ] {
            let _ = writeln!(out, "  {label}：{}", v.as_deref().unwrap_or("未设定"));
        }
        out
    }

    fn cmd_asof(&mut self, rest: &str) -> Result<String, String> {
        if rest.is_empty() {
            return Err("请给出决定日，如 :时点 2024-06-01".to_string());
        }
        self.set_date(DateKind::Decision, rest)?;
        let mut out = format!("决定日 = {rest}\n");
        out.push_str(&self.brief());
        Ok(out)
    }

    fn cmd_facts(&self) -> Result<String, String> {
        let Some((rs, m)) = self.current_matter() else {
            return Err("尚未选择事项；请用 :选择 事项编号".to_string());
        };
        let mut out = format!("事项 {} {} 的事实：\n", m.id, m.name);
        let mut ids: Vec<(FactId, &String)> = m.facts.iter().map(|(n, id)| (*id, n)).collect();
        ids.sort();
        let mut set = String::new();
        let mut defaults = String::new();
        let mut unset = String::new();
        for (id, name) in ids {
            let Some(def) = rs.facts.get(id.0 as usize) else {
                continue;
            };
            let desc = def
                .description
                .as_deref()
                .map(|d| format!("——{d}"))
                .unwrap_or_default();
            if let Some((_, v)) = self.facts.iter().find(|(n, _)| n == name) {
                let shown = parse_fact_value(def, v)
                    .map(|x| show_value(def, x))
                    .unwrap_or_else(|_| v.clone());
                let note = if &shown != v {
                    format!("（{shown}）")
                } else {
                    String::new()
                };
                let _ = writeln!(set, "  {name} = {v}{note}");
            } else if let Some(d) = def.default {
                let _ = writeln!(
                    defaults,
                    "  {name} = {}（默认）；{}{}",
                    show_value(def, d),
                    type_text(def),
                    desc
                );
            } else {
                let _ = writeln!(unset, "  {name}：{}{}", type_text(def), desc);
            }
        }
        if !set.is_empty() {
            out.push_str("已设定：\n");
            out.push_str(&set);
        }
        if !unset.is_empty() {
            out.push_str("尚未设定：\n");
            out.push_str(&unset);
        }
        if !defaults.is_empty() {
            out.push_str("取默认值（可改）：\n");
            out.push_str(&defaults);
        }
        out.push_str("日期：\n");
        out.push_str(&self.dates_text());
        if let Ok(case) = self.case() {
            if let Ok(rec) = evaluate(rs, &case, &EvalOptions::default()) {
                if !rec.missing_facts.is_empty() {
                    let _ = writeln!(
                        out,
                        "影响本案结果、尚缺的事实：{}",
                        rec.missing_facts.join("、")
                    );
                }
            }
        }
        Ok(out)
    }

    // ----- evaluation -----------------------------------------------------------

    /// The current case as a case file.
    fn case_file(&self) -> Option<CaseFile> {
        let (_, m) = self.current_matter()?;
        Some(case_file(&m.id, &self.facts, &self.dates))
    }

    fn case(&self) -> Result<crate::case::Case, String> {
        let rs = self
            .current_ruleset()
            .ok_or_else(|| "尚未载入规则集；请用 :载入 文件".to_string())?;
        let cf = self
            .case_file()
            .ok_or_else(|| "尚未选择事项；请用 :选择 事项编号（:事项 列出全部）".to_string())?;
        cf.resolve(rs).map_err(|e| e.to_string())
    }

    /// One line after each change: the result so far.
    fn brief(&self) -> String {
        let Some(rs) = self.current_ruleset() else {
            return String::new();
        };
        if self.matter.is_none() {
            return String::new();
        }
        match self.case() {
            Ok(case) => match evaluate(rs, &case, &EvalOptions::default()) {
                Ok(rec) => format!("→ {}\n", brief_line(&rec)),
                Err(e) => format!("错误：{e}\n"),
            },
            Err(e) => format!("错误：{e}\n"),
        }
    }

    fn cmd_eval(&mut self, name: &str) -> Result<String, String> {
        let case = self.case()?;
        let rs = self
            .current_ruleset()
            .ok_or_else(|| "尚未载入规则集".to_string())?;
        let rec = evaluate(rs, &case, &EvalOptions::default()).map_err(|e| e.to_string())?;
        let text = render_human(&rec, rs);
        let summary = brief_line(&rec);
        let (Some(ri), Some((_, m))) = (self.current, self.current_matter()) else {
            return Ok(text);
        };
        let matter = m.id.clone();
        let mut rec_case = Recorded {
            ruleset: ri,
            name: String::new(),
            matter: matter.clone(),
            facts: self.facts.clone(),
            dates: self.dates.clone(),
        };
        let same = self.recorded.iter().position(|r| {
            r.ruleset == ri
                && r.matter == matter
                && same_facts(&r.facts, &self.facts)
                && r.dates == self.dates
        });
        let note = match same {
            Some(i) => {
                if !name.is_empty() {
                    if let Some(r) = self.recorded.get_mut(i) {
                        r.name = name.to_string();
                    }
                }
                format!("（与案例 {} 相同，未重复记录）", i + 1)
            }
            None => {
                rec_case.name = if name.is_empty() {
                    auto_name(self.recorded.len() + 1, &rec_case, &summary)
                } else {
                    name.to_string()
                };
                self.recorded.push(rec_case);
                format!(
                    "（已记为案例 {}，:保存 文件 可存为场景测试）",
                    self.recorded.len()
                )
            }
        };
        Ok(format!("{text}{note}\n"))
    }

    fn cmd_why(&self) -> Result<String, String> {
        let case = self.case()?;
        let (rs, m) = self
            .current_matter()
            .ok_or_else(|| "尚未选择事项".to_string())?;
        let rec = evaluate(rs, &case, &EvalOptions { trace: true }).map_err(|e| e.to_string())?;
        let mut out = format!("事项 {} {}：{}\n", m.id, m.name, brief_line(&rec));
        out.push_str("裁量过程：\n");
        for (i, st) in rec.trace.iter().flatten().enumerate() {
            let _ = writeln!(out, "  {}. {}", i + 1, st.explanation);
            if let Some(b) = st.basis {
                let _ = writeln!(out, "     依据：{b}");
            }
            if !st.facts.is_empty() {
                let fs: Vec<String> = st
                    .facts
                    .iter()
                    .map(|f| format!("{} = {}", f.name, f.value.as_deref().unwrap_or("未知")))
                    .collect();
                let _ = writeln!(out, "     所据事实：{}", fs.join("，"));
            }
            if let (Some(b), Some(a)) = (st.before, st.after) {
                if b != a {
                    let _ = writeln!(out, "     罚款：{} → {}", range_text(&b), range_text(&a));
                }
            } else if let (None, Some(a)) = (st.before, st.after) {
                let _ = writeln!(out, "     罚款：{}", range_text(&a));
            }
        }
        for w in &rec.warnings {
            let _ = writeln!(out, "  提示：{}", w.message);
        }
        Ok(out)
    }

    fn cmd_whynot(&self, target: &str) -> Result<String, String> {
        if target.is_empty() {
            return Err("请给出阶次、情节或清单项，如 :为什么不 2、:为什么不 从轻情节".to_string());
        }
        let (rs, m) = self
            .current_matter()
            .ok_or_else(|| "尚未选择事项；请用 :选择 事项编号".to_string())?;
        explain::why_not(rs, m, &self.facts, &self.dates, target)
    }

    fn cmd_save(&mut self, path: &str) -> Result<String, String> {
        if path.is_empty() {
            return Err("请给出文件名，如 :保存 my.scenarios.yaml".to_string());
        }
        if self.recorded.is_empty() {
            if self.matter.is_some() {
                let _ = self.cmd_eval("")?;
            } else {
                return Err("本会话还没有求值过的案例（:求值 记录案例）".to_string());
            }
        }
        save::save(self, path)
    }

    // ----- completion -----------------------------------------------------------

    /// Completion candidates for `line` with the cursor at byte `pos`: the
    /// byte offset where the completed word starts, and the candidates.
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let head = line.get(..pos).unwrap_or(line);
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || matches!(c, '=' | '＝' | '；' | ';'))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let word = head.get(start..).unwrap_or("");
        let before = head.get(..start).unwrap_or("").trim();
        let mut cands: Vec<String> = Vec::new();
        if before.is_empty() && (word.starts_with(':') || word.starts_with('：')) {
            let colon = word.chars().next().map_or(1, char::len_utf8);
            let w = word.get(colon..).unwrap_or("");
            for c in COMMANDS {
                for n in c.names {
                    if n.starts_with(w) {
                        cands.push(format!(":{n}"));
                    }
                }
            }
            return (start, cands);
        }
        let cmd = before
            .strip_prefix(':')
            .or_else(|| before.strip_prefix('：'))
            .map(|c| c.split_whitespace().next().unwrap_or(""));
        match cmd {
            Some("matter" | "选择" | "matters" | "事项") => {
                for l in &self.rulesets {
                    for m in &l.ruleset.matters {
                        if m.id.starts_with(word) {
                            cands.push(m.id.clone());
                        }
                    }
                }
            }
            Some("unset" | "清除") => {
                for (n, _) in &self.facts {
                    if n.starts_with(word) {
                        cands.push(n.clone());
                    }
                }
            }
            Some("date" | "日期") if before.split_whitespace().count() == 1 => {
                for d in DATE_WORDS {
                    if d.starts_with(word) {
                        cands.push(d.to_string());
                    }
                }
            }
            Some("whynot" | "为什么不") => {
                if let Some((_, m)) = self.current_matter() {
                    for t in explain::targets(self.current_ruleset(), m) {
                        if t.starts_with(word) {
                            cands.push(t);
                        }
                    }
                }
            }
            Some(_) => {}
            None => {
                // After `名称 =`: the fact's enum values (or 是/否).
                let eq = before.ends_with(['=', '＝']);
                if eq {
                    let name = before.trim_end_matches(['=', '＝']).trim();
                    let name = name.rsplit(['；', ';']).next().unwrap_or(name).trim();
                    for v in self.allowed_values(name) {
                        if v.starts_with(word) {
                            cands.push(v);
                        }
                    }
                } else {
                    for n in self.fact_names() {
                        if n.starts_with(word) {
                            cands.push(n);
                        }
                    }
                }
            }
        }
        cands.sort();
        cands.dedup();
        (start, cands)
    }

    /// Fact names the current matter can read (shared ones without a matter).
    pub fn fact_names(&self) -> Vec<String> {
        let Some(rs) = self.current_ruleset() else {
            return Vec::new();
        };
        match self.current_matter() {
            Some((_, m)) => m.facts.keys().cloned().collect(),
            None => rs.shared_facts.keys().cloned().collect(),
        }
    }

    /// The allowed values of a fact (enum values, 是/否), for completion.
    pub fn allowed_values(&self, name: &str) -> Vec<String> {
        let Some(rs) = self.current_ruleset() else {
            return Vec::new();
        };
        let matters: Vec<MatterId> = self.matter.into_iter().collect();
        let mut out = Vec::new();
        for id in fact_ids(rs, &matters, name) {
            match rs.facts.get(id.0 as usize).map(|d| &d.ty) {
                Some(FactType::Enum(vs)) => out.extend(vs.iter().cloned()),
                Some(FactType::Bool) => out.extend(["是".to_string(), "否".to_string()]),
                _ => {}
            }
        }
        out
    }
}

fn same_facts(a: &[(String, String)], b: &[(String, String)]) -> bool {
    let mut x: Vec<&(String, String)> = a.iter().collect();
    let mut y: Vec<&(String, String)> = b.iter().collect();
    x.sort();
    y.sort();
    x == y
}

fn auto_name(n: usize, r: &Recorded, summary: &str) -> String {
    let facts: Vec<String> = r.facts.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let facts = if facts.is_empty() {
        "无事实".to_string()
    } else {
        facts.join("，")
    };
    format!("案例{n}：{} {facts} → {summary}", r.matter)
}

/// A case file for a matter, facts and dates as written.
pub(crate) fn case_file(matter: &str, facts: &[(String, String)], dates: &Dates) -> CaseFile {
    let l = |s: &Option<String>| {
        s.as_ref().map(|v| Located {
            value: v.clone(),
            at: None,
        })
    };
    CaseFile {
        matters: vec![Located {
            value: matter.to_string(),
            at: None,
        }],
        facts: facts
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    Located {
                        value: Some(v.clone()),
                        at: None,
                    },
                )
            })
            .collect(),
        act: l(&dates.act),
        act_end: l(&dates.act_end),
        discovery: l(&dates.discovery),
        decision: l(&dates.decision),
    }
}

/// The result in one line: outcome, grade, fine, what is missing.
pub fn brief_line(rec: &Recommendation<'_>) -> String {
    let mut parts = vec![rec.outcome.label().to_string()];
    if let Some(g) = rec.grade {
        parts.push(format!(
            "阶次 {}{}",
            g.id,
            g.name.map(|n| format!("（{n}）")).unwrap_or_default()
        ));
    } else if rec.possible_grades.len() > 1 {
        let ids: Vec<&str> = rec.possible_grades.iter().map(|g| g.id).collect();
        parts.push(format!("可能阶次 {}", ids.join("、")));
    }
    if let Some(s) = rec.score {
        parts.push(format!("权重合计 {}%", pct(s)));
    }
    if !matches!(rec.outcome, Outcome::NoPenalty | Outcome::TimeBarred) {
        match rec.fine {
            Some(f) => {
                let what = if f.mandatory {
                    "罚款"
                } else {
                    "可以罚款"
                };
                match f.point {
                    Some(p) => parts.push(format!("{what} {}", money_text(p))),
                    None => parts.push(format!("{what} {}", range_text(&f.range))),
                }
            }
            None => parts.push("无罚款".to_string()),
        }
    }
    if !rec.options.is_empty() {
        let o: Vec<String> = rec
            .options
            .iter()
            .map(|c| {
                format!(
                    "{}{}",
                    c.kind.label(),
                    c.name.map(|_| format!("（{}）", c.id)).unwrap_or_default()
                )
            })
            .collect();
        parts.push(format!("可选：{}", o.join("、")));
    }
    if !rec.missing_facts.is_empty() {
        parts.push(format!("尚缺事实：{}", rec.missing_facts.join("、")));
    }
    parts.join("；")
}

fn pct(x: rust_decimal::Decimal) -> String {
    (x * rust_decimal::Decimal::from(100))
        .normalize()
        .to_string()
}

/// A fact's type with its allowed values, in Chinese.
pub fn type_text(def: &FactDef) -> String {
    match &def.ty {
        FactType::Enum(vs) => format!("枚举，可选值：{}", vs.join("、")),
        t => type_name(t),
    }
}

/// A value as the officer writes it: 是/否, the enum's name, a number with its unit.
pub fn show_value(def: &FactDef, v: Value) -> String {
    match v {
        Value::Bool(true) => "是".to_string(),
        Value::Bool(false) => "否".to_string(),
        Value::Enum(i) => match &def.ty {
            FactType::Enum(names) => names
                .get(usize::from(i))
                .cloned()
                .unwrap_or_else(|| i.to_string()),
            _ => i.to_string(),
        },
        Value::Number(d) => match &def.ty {
            FactType::Money => money_text(d),
            FactType::Quantity(u) => format!("{}{}", d.normalize(), u.name),
            FactType::Percent => format!("{}%", d.normalize()),
            _ => d.normalize().to_string(),
        },
        Value::Date(d) => d.to_string(),
    }
}

/// A value written so that [`parse_fact_value`] reads it back exactly.
pub fn value_input(def: &FactDef, v: Value) -> String {
    match v {
        Value::Number(d) => match &def.ty {
            FactType::Money => format!("{}元", d.normalize()),
            FactType::Quantity(u) => format!("{}{}", d.normalize(), u.name),
            FactType::Percent => format!("{}%", d.normalize()),
            _ => d.normalize().to_string(),
        },
        other => show_value(def, other),
    }
}

fn help_text() -> String {
    let mut out = String::from("命令（冒号可用全角“：”；每个命令都有中文名）：\n");
    for c in COMMANDS {
        let names: Vec<String> = c.names.iter().map(|n| format!(":{n}")).collect();
        let head = if c.args.is_empty() {
            names.join(" / ")
        } else {
            format!("{} {}", names.join(" / "), c.args)
        };
        let _ = writeln!(out, "  {head}\n      {}", c.help);
    }
    out.push_str(
        "设定事实：名称 = 值（全角＝亦可），用规则集自己的名称与单位，如\n  排放量 = 20吨    违法所得 = 3.5万    管理类别 = 重点管理    涉重金属 = 是\n  名称 = 未知 使事实回到未知；多个设定可用“；”隔开；行末的 \\ 表示下一行接续。\n每次设定后显示一行当前结果；:求值 显示完整结果并把本案记入会话。\n",
    );
    out
}

#[cfg(test)]
mod tests;
