//! Cases: the input of an evaluation, and the case-file reader.
//!
//! A case file (YAML or JSON) names the matter (or several matters for one
//! act, 行政处罚法 第二十九条), the facts and the dates:
//!
//! ```yaml
//! matter: W-2-5            # or [W-2-5, W-3-1]
//! facts:
//!   管理类别: 重点管理      # enum values by name
//!   涉重金属: 是            # 是/否/true/false
//!   违法所得: 20万          # money: 20万, "1,200.50元", 3000.10
//!   排放量: 1500千克        # quantities converted to the fact's unit
//!   危害后果: ~             # null: not known (the result is an envelope)
//! dates:
//!   违法行为发生日: 2024-03-01   # or act
//!   行为终了日: 2024-05-01       # or act_end
//!   发现日: 2024-06-01           # or discovery
//!   决定日: 2024-07-01           # or decision
//! ```
//!
//! Numbers never pass through `f64`: every scalar is read as text and parsed
//! exactly. JSON is read with the same reader (JSON is YAML's flow syntax) after
//! `serde_json` has checked its syntax.

use crate::model::{FactDef, FactId, FactType, MatterId, Ruleset, Value};
use crate::numeral::{parse_money, parse_numeral};
use crate::value::{Date, Unit};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::fmt;

/// A case ready to evaluate: facts indexed by [`FactId`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Case {
    /// The matter (several for one act, 第二十九条).
    pub matters: Vec<MatterId>,
    /// Fact values indexed by `FactId` (`None`: not known). May be shorter
    /// than the ruleset's fact list: absent entries are unknown.
    pub facts: Vec<Option<Value>>,
    /// 违法行为发生日.
    pub act_date: Option<Date>,
    /// 行为终了日 (end of a continuing act).
    pub act_end_date: Option<Date>,
    /// 发现日.
    pub discovery_date: Option<Date>,
    /// 决定日.
    pub decision_date: Option<Date>,
}

impl Case {
    /// A case for one matter: every fact unknown except those with a
    /// declared default (`默认`), which take it.
    pub fn new(ruleset: &Ruleset, matter: MatterId) -> Case {
        Case {
            matters: vec![matter],
            facts: ruleset.facts.iter().map(|f| f.default).collect(),
            ..Case::default()
        }
    }

    /// Sets a fact (growing the fact vector if needed).
    pub fn set(&mut self, fact: FactId, value: Value) {
        let i = fact.0 as usize;
        if self.facts.len() <= i {
            self.facts.resize(i + 1, None);
        }
        if let Some(slot) = self.facts.get_mut(i) {
            *slot = Some(value);
        }
    }

    /// Forgets a fact.
    pub fn unset(&mut self, fact: FactId) {
        if let Some(slot) = self.facts.get_mut(fact.0 as usize) {
            *slot = None;
        }
    }

    /// A fact's value.
    pub fn get(&self, fact: FactId) -> Option<Value> {
        self.facts.get(fact.0 as usize).copied().flatten()
    }
}

/// A place in a case file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Line.
    pub line: u32,
    /// Column (in characters).
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}行第{}列", self.line, self.column)
    }
}

fn at_text(loc: &Option<Location>) -> String {
    loc.map(|l| format!("（{l}）")).unwrap_or_default()
}

fn close_list(close: &[String]) -> String {
    if close.is_empty() {
        String::new()
    } else {
        format!("；是否指：{}", close.join("、"))
    }
}

fn allowed_list(allowed: &[String]) -> String {
    if allowed.is_empty() {
        String::new()
    } else {
        format!("；可选值：{}", allowed.join("、"))
    }
}

/// What is wrong with a case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// The file is not valid YAML/JSON or not shaped like a case file.
    #[error("案件文件格式错误{}：{message}", at_text(.at))]
    Syntax {
        /// What the reader said.
        message: String,
        /// Where.
        at: Option<Location>,
    },
    /// No matter named.
    #[error("案件未指定事项（matter / 事项）")]
    NoMatter,
    /// A matter id not in the ruleset.
    #[error("规则集中没有事项“{id}”{}{}", at_text(.at), close_list(.close))]
    UnknownMatter {
        /// The id as written.
        id: String,
        /// Ids that look alike.
        close: Vec<String>,
        /// Where.
        at: Option<Location>,
    },
    /// A matter index out of range (library use).
    #[error("事项编号 {0} 超出规则集范围")]
    InvalidMatterId(u32),
    /// A fact name the matter does not know.
    #[error("事项中没有名为“{name}”的事实{}{}", at_text(.at), close_list(.close))]
    UnknownFact {
        /// The name as written.
        name: String,
        /// Names that look alike.
        close: Vec<String>,
        /// Where.
        at: Option<Location>,
    },
    /// A value of the wrong type or an unknown enum value.
    #[error("事实“{fact}”的值“{found}”无效{}：应为{expected}{}", at_text(.at), allowed_list(.allowed))]
    WrongType {
        /// The fact.
        fact: String,
        /// The expected type, in Chinese.
        expected: String,
        /// The value as written.
        found: String,
        /// The allowed values (enums, booleans).
        allowed: Vec<String>,
        /// Where.
        at: Option<Location>,
    },
    /// A negative amount or quantity.
    #[error("事实“{fact}”的值“{found}”不能为负数{}", at_text(.at))]
    Negative {
        /// The fact.
        fact: String,
        /// The value as written.
        found: String,
        /// Where.
        at: Option<Location>,
    },
    /// A date that cannot be read.
    #[error("日期“{field}”的值“{found}”无效{}：应为如 2024-03-01 的日期", at_text(.at))]
    BadDate {
        /// Which date.
        field: String,
        /// The value as written.
        found: String,
        /// Where.
        at: Option<Location>,
    },
}

/// The format of a case file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseFormat {
    /// YAML.
    Yaml,
    /// JSON.
    Json,
}

impl CaseFormat {
    /// The format a file name suggests (`.json` → JSON, else YAML).
    pub fn from_path(path: &str) -> CaseFormat {
        if path.to_ascii_lowercase().ends_with(".json") {
            CaseFormat::Json
        } else {
            CaseFormat::Yaml
        }
    }
}

/// A value with its place in the case file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where written, if known.
    pub at: Option<Location>,
}

/// A case file as written, not yet resolved against a ruleset.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseFile {
    /// Matter ids as written.
    pub matters: Vec<Located<String>>,
    /// Facts as written (name → text; `None` for null), in name order.
    pub facts: Vec<(String, Located<Option<String>>)>,
    /// 违法行为发生日.
    pub act: Option<Located<String>>,
    /// 行为终了日.
    pub act_end: Option<Located<String>>,
    /// 发现日.
    pub discovery: Option<Located<String>>,
    /// 决定日.
    pub decision: Option<Located<String>>,
}

// ----- raw deserialisation --------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    #[serde(alias = "事项")]
    matter: Option<Spanned<MatterIds>>,
    #[serde(default, alias = "事实")]
    facts: BTreeMap<String, Spanned<Option<String>>>,
    #[serde(default, alias = "日期")]
    dates: RawDates,
    /// The ruleset a case file may name (used by the CLI and scenarios).
    #[serde(default, alias = "规则集")]
    #[allow(dead_code)]
    ruleset: Option<String>,
    /// A free description.
    #[serde(default, alias = "说明", alias = "name", alias = "名称")]
    #[allow(dead_code)]
    description: Option<String>,
}

/// The `dates` of a case as written (shared by case files and scenario files).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDates {
    #[serde(default, alias = "违法行为发生日", alias = "act_date")]
    act: Option<Spanned<String>>,
    #[serde(default, alias = "行为终了日", alias = "act_end_date")]
    act_end: Option<Spanned<String>>,
    #[serde(default, alias = "发现日", alias = "discovery_date")]
    discovery: Option<Spanned<String>>,
    #[serde(default, alias = "决定日", alias = "decision_date")]
    decision: Option<Spanned<String>>,
}

/// A matter id, or a list of them (行政处罚法 第二十九条), as written.
#[derive(Debug)]
pub(crate) struct MatterIds(Vec<String>);

impl<'de> Deserialize<'de> for MatterIds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MatterIds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a matter id or a list of matter ids")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MatterIds, E> {
                Ok(MatterIds(vec![v.to_string()]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MatterIds, E> {
                Ok(MatterIds(vec![v.to_string()]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<MatterIds, E> {
                Ok(MatterIds(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MatterIds, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    v.push(s);
                }
                Ok(MatterIds(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A place in a YAML/JSON file, 1-based (`None` when unknown).
pub(crate) fn loc(l: &serde_saphyr::Location) -> Option<Location> {
    let (line, column) = (l.line(), l.column());
    if line == 0 {
        return None;
    }
    Some(Location {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    })
}

fn located(s: Spanned<String>) -> Located<String> {
    Located {
        at: loc(&s.referenced),
        value: s.value,
    }
}

/// Reads a case file (not yet resolved against a ruleset).
///
/// # Errors
/// [`CaseError::Syntax`] with the place of the error.
pub fn parse_case_file(text: &str, format: CaseFormat) -> Result<CaseFile, CaseError> {
    if format == CaseFormat::Json {
        if let Err(e) = serde_json::from_str::<de::IgnoredAny>(text) {
            return Err(CaseError::Syntax {
                message: e.to_string(),
                at: u32::try_from(e.line())
                    .ok()
                    .filter(|l| *l > 0)
                    .map(|line| Location {
                        line,
                        column: u32::try_from(e.column()).unwrap_or(0),
                    }),
            });
        }
    }
    let raw: RawCase = serde_saphyr::from_str(text).map_err(|e| CaseError::Syntax {
        message: e.to_string(),
        at: e.location().as_ref().and_then(loc),
    })?;
    Ok(case_file(raw.matter, raw.facts, raw.dates))
}

/// A case file from its parts as written, with their places.
pub(crate) fn case_file(
    matter: Option<Spanned<MatterIds>>,
    facts: BTreeMap<String, Spanned<Option<String>>>,
    dates: RawDates,
) -> CaseFile {
    let matters = match matter {
        Some(s) => {
            let at = loc(&s.referenced);
            s.value
                .0
                .into_iter()
                .map(|value| Located { value, at })
                .collect()
        }
        None => Vec::new(),
    };
    CaseFile {
        matters,
        facts: facts
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    Located {
                        at: loc(&v.referenced),
                        value: v.value,
                    },
                )
            })
            .collect(),
        act: dates.act.map(located),
        act_end: dates.act_end.map(located),
        discovery: dates.discovery.map(located),
        decision: dates.decision.map(located),
    }
}

/// Reads a case file and resolves it against a ruleset.
///
/// # Errors
/// Any [`CaseError`]: syntax, unknown matter or fact, wrong value.
pub fn load_case(text: &str, format: CaseFormat, ruleset: &Ruleset) -> Result<Case, CaseError> {
    parse_case_file(text, format)?.resolve(ruleset)
}

impl CaseFile {
    /// Resolves names against a ruleset and parses every value exactly.
    ///
    /// # Errors
    /// Unknown matters or facts (with close names), wrong values (with the
    /// expected type and allowed values), bad dates.
    pub fn resolve(&self, ruleset: &Ruleset) -> Result<Case, CaseError> {
        if self.matters.is_empty() {
            return Err(CaseError::NoMatter);
        }
        // Facts the file does not state take their declared default (`默认`);
        // a fact stated as null stays unknown.
        let mut case = Case {
            facts: ruleset.facts.iter().map(|f| f.default).collect(),
            ..Case::default()
        };
        for m in &self.matters {
            match ruleset.matter_index.get(m.value.trim()) {
                Some(id) => case.matters.push(*id),
                None => {
                    return Err(CaseError::UnknownMatter {
                        id: m.value.clone(),
                        close: close_names(&m.value, ruleset.matter_index.keys()),
                        at: m.at,
                    });
                }
            }
        }
        for (name, value) in &self.facts {
            let ids = fact_ids(ruleset, &case.matters, name);
            if ids.is_empty() {
                let mut known: Vec<&String> = ruleset.shared_facts.keys().collect();
                for mid in &case.matters {
                    if let Some(m) = ruleset.matters.get(mid.0 as usize) {
                        known.extend(m.facts.keys());
                    }
                }
                return Err(CaseError::UnknownFact {
                    name: name.clone(),
                    close: close_names(name, known.into_iter()),
                    at: value.at,
                });
            }
            let Some(text) = &value.value else {
                for id in ids {
                    case.unset(id);
                }
                continue;
            };
            for id in ids {
                let Some(def) = ruleset.facts.get(id.0 as usize) else {
                    continue;
                };
                let v = parse_fact_value(def, text).map_err(|e| e.at(value.at))?;
                case.set(id, v);
            }
        }
        let date = |d: &Option<Located<String>>, field: &str| -> Result<Option<Date>, CaseError> {
            match d {
                None => Ok(None),
                Some(l) => Date::parse(&l.value)
                    .map(Some)
                    .ok_or_else(|| CaseError::BadDate {
                        field: field.to_string(),
                        found: l.value.clone(),
                        at: l.at,
                    }),
            }
        };
        case.act_date = date(&self.act, "违法行为发生日")?;
        case.act_end_date = date(&self.act_end, "行为终了日")?;
        case.discovery_date = date(&self.discovery, "发现日")?;
        case.decision_date = date(&self.decision, "决定日")?;
        Ok(case)
    }
}

impl CaseError {
    fn at(self, loc: Option<Location>) -> CaseError {
        match self {
            CaseError::WrongType {
                fact,
                expected,
                found,
                allowed,
                ..
            } => CaseError::WrongType {
                fact,
                expected,
                found,
                allowed,
                at: loc,
            },
            CaseError::Negative { fact, found, .. } => CaseError::Negative {
                fact,
                found,
                at: loc,
            },
            e => e,
        }
    }
}

/// The fact ids a name denotes for these matters (shared and own facts).
pub fn fact_ids(ruleset: &Ruleset, matters: &[MatterId], name: &str) -> Vec<FactId> {
    let mut ids = Vec::new();
    if let Some(id) = ruleset.shared_facts.get(name) {
        ids.push(*id);
    }
    for mid in matters {
        if let Some(id) = ruleset
            .matters
            .get(mid.0 as usize)
            .and_then(|m| m.facts.get(name))
        {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
    }
    ids
}

/// The Chinese name of a fact type.
pub fn type_name(ty: &FactType) -> String {
    match ty {
        FactType::Bool => "是否（是/否）".to_string(),
        FactType::Enum(_) => "枚举值".to_string(),
        FactType::Money => "金额（如 20万、1,200.50元）".to_string(),
        FactType::Quantity(u) => format!("数量（单位：{u}）"),
        FactType::Integer => "整数".to_string(),
        FactType::Number => "数值".to_string(),
        FactType::Percent => "比例（如 30%）".to_string(),
        FactType::Date => "日期（如 2024-03-01）".to_string(),
    }
}

/// Parses one fact value as written (`是`, `重点管理`, `20万`, `1500千克`,
/// `30%`, `2024-03-01`) for a fact. Exact: no floating point.
///
/// # Errors
/// [`CaseError::WrongType`] (with allowed values for enums and booleans) or
/// [`CaseError::Negative`]; without a location.
pub fn parse_fact_value(def: &FactDef, text: &str) -> Result<Value, CaseError> {
    let t = text.trim();
    let wrong = |allowed: Vec<String>| CaseError::WrongType {
        fact: def.name.clone(),
        expected: type_name(&def.ty),
        found: text.to_string(),
        allowed,
        at: None,
    };
    let negative = || CaseError::Negative {
        fact: def.name.clone(),
        found: text.to_string(),
        at: None,
    };
    let number = |s: &str| -> Result<Decimal, CaseError> {
        let s = s.trim();
        if s.starts_with('-') || s.starts_with('－') {
            return Err(negative());
        }
        parse_numeral(s).ok_or_else(|| wrong(Vec::new()))
    };
    match &def.ty {
        FactType::Bool => match t {
            "是" | "true" | "True" | "TRUE" | "有" | "yes" => Ok(Value::Bool(true)),
            "否" | "false" | "False" | "FALSE" | "无" | "no" => Ok(Value::Bool(false)),
            _ => Err(wrong(vec!["是".into(), "否".into()])),
        },
        FactType::Enum(names) => names
            .iter()
            .position(|n| n == t)
            .and_then(|i| u16::try_from(i).ok())
            .map(Value::Enum)
            .ok_or_else(|| wrong(names.clone())),
        FactType::Money => {
            if t.starts_with('-') || t.starts_with('－') {
                return Err(negative());
            }
            parse_money(t)
                .map(Value::Number)
                .ok_or_else(|| wrong(Vec::new()))
        }
        FactType::Quantity(unit) => {
            let split = t
                .char_indices()
                .find(|(_, c)| {
                    !(c.is_ascii_digit()
                        || matches!(c, '.' | ',' | '-' | '０'..='９' | '．' | '，')
                        || crate::numeral::is_chinese_numeral_char(*c))
                })
                .map(|(i, _)| i)
                .unwrap_or(t.len());
            let (num, suffix) = t.split_at(split);
            let suffix = suffix.trim();
            let x = number(num)?;
            if suffix.is_empty() {
                return Ok(Value::Number(x));
            }
            let from = Unit::parse(suffix).ok_or_else(|| wrong(Vec::new()))?;
            from.convert(x, *unit)
                .map(Value::Number)
                .ok_or_else(|| wrong(Vec::new()))
        }
        FactType::Integer => {
            // Allow a counting suffix such as 次 or 人.
            let t = match t.chars().last() {
                Some(c)
                    if !c.is_ascii_digit() && Unit::parse(c.encode_utf8(&mut [0; 4])).is_some() =>
                {
                    t.get(..t.len() - c.len_utf8()).unwrap_or(t)
                }
                _ => t,
            };
            let x = number(t)?;
            if x.fract().is_zero() {
                Ok(Value::Number(x.normalize()))
            } else {
                Err(wrong(Vec::new()))
            }
        }
        FactType::Number => number(t).map(Value::Number),
        FactType::Percent => number(t.strip_suffix(['%', '％']).unwrap_or(t)).map(Value::Number),
        FactType::Date => Date::parse(t)
            .map(Value::Date)
            .ok_or_else(|| wrong(Vec::new())),
    }
}

/// Names close to `name` (edit distance or containment), at most five.
pub fn close_names<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Vec<String> {
    let target: Vec<char> = name.trim().chars().collect();
    let mut scored: Vec<(usize, &String)> = candidates
        .filter_map(|c| {
            let cc: Vec<char> = c.chars().collect();
            let d = edit_distance(&target, &cc);
            let limit = (target.len().max(cc.len()) / 3).max(1);
            let contains =
                !name.is_empty() && (c.contains(name.trim()) || name.contains(c.as_str()));
            (d <= limit || contains).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(5).map(|(_, c)| c.clone()).collect()
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests;
