//! `:whynot`: why a grade, factor level, circumstance or list item did not
//! apply — which condition failed on which fact values — and the smallest
//! change of facts that makes it apply, verified by evaluating it.

use super::{Dates, brief_line, case_file, show_value, value_input};
use crate::case::Case;
use crate::eval::{EvalOptions, Recommendation, evaluate};
use crate::model::{
    Bound, Circumstance, Cond, FactId, FactType, Factor, Grade, Guard, Interval, List, ListItem,
    Matter, Ruleset, Table, Value,
};
use crate::scenario::coverage::step_for;
use crate::source::Span;
use crate::syntax::ast::SeveralGrades;
use crate::value::Date;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// What `:whynot` is about.
enum Target<'r> {
    Grade(usize, &'r Grade, &'r [Grade]),
    Level(&'r Factor, usize),
    Circ(&'r Circumstance),
    Item(&'r List, &'r ListItem),
}

impl Target<'_> {
    fn span(&self) -> Option<Span> {
        match self {
            Target::Grade(_, g, _) => Some(g.span),
            Target::Level(f, i) => f.levels.get(*i).map(|l| l.span),
            Target::Circ(c) => Some(c.span),
            Target::Item(_, it) => Some(it.span),
        }
    }

    fn title(&self) -> String {
        match self {
            Target::Grade(_, g, _) => format!(
                "阶次“{}”{}",
                g.id,
                g.name
                    .as_deref()
                    .map(|n| format!("（{n}）"))
                    .unwrap_or_default()
            ),
            Target::Level(f, i) => {
                let label = f
                    .levels
                    .get(*i)
                    .and_then(|l| l.label.clone())
                    .unwrap_or_else(|| format!("第{}档", i + 1));
                format!("因素“{}”的“{label}”档", f.name)
            }
            Target::Circ(c) => format!(
                "情节“{}”{}",
                c.id,
                c.name
                    .as_deref()
                    .map(|n| format!("（{n}）"))
                    .unwrap_or_default()
            ),
            Target::Item(l, it) => format!("《{}》第{}项（{}）", l.name, it.id, it.name),
        }
    }

    fn basis(&self) -> Option<&str> {
        match self {
            Target::Circ(c) => c.basis.as_deref(),
            Target::Item(l, it) => it.basis.as_deref().or(l.basis.as_deref()),
            _ => None,
        }
    }

    /// The condition under which it applies, earlier/later rules included.
    fn condition(&self, rs: &Ruleset) -> Cond {
        match self {
            Target::Grade(i, g, all) => {
                let first = rs.policy.several_grades == SeveralGrades::First;
                let mut parts = Vec::new();
                for (j, o) in all.iter().enumerate() {
                    let Guard::When(c) = &o.guard else { continue };
                    let blocks = match g.guard {
                        Guard::Otherwise => j != *i,
                        Guard::When(_) if first => j < *i,
                        Guard::When(_) => j > *i,
                    };
                    if blocks {
                        parts.push(Cond::Not(Box::new(c.clone())));
                    }
                }
                if let Guard::When(c) = &g.guard {
                    parts.insert(0, c.clone());
                }
                and(parts)
            }
            Target::Level(f, i) => {
                let mut parts = Vec::new();
                for (j, l) in f.levels.iter().enumerate() {
                    let Guard::When(c) = &l.guard else { continue };
                    if j < *i {
                        parts.push(Cond::Not(Box::new(c.clone())));
                    } else if j == *i {
                        parts.insert(0, c.clone());
                    }
                }
                and(parts)
            }
            Target::Circ(c) => c.when.clone(),
            Target::Item(_, it) => it.when.clone(),
        }
    }

    fn applied(&self, rec: &Recommendation<'_>) -> bool {
        if let Target::Grade(_, g, _) = self {
            if rec.grade.is_some_and(|x| x.id == g.id) {
                return true;
            }
        }
        let span = self.span();
        rec.trace
            .iter()
            .flatten()
            .any(|s| s.span.is_some() && s.span == span)
    }
}

fn and(mut parts: Vec<Cond>) -> Cond {
    if parts.len() == 1 {
        parts.pop().unwrap_or(Cond::True)
    } else {
        Cond::And(parts)
    }
}

/// Every name `:whynot` accepts for a matter (completion).
pub(super) fn targets(rs: Option<&Ruleset>, m: &Matter) -> Vec<String> {
    let mut out = Vec::new();
    match &m.table {
        Table::Graded(gs) => out.extend(gs.iter().map(|g| g.id.clone())),
        Table::Weighted(w) => {
            for f in &w.factors {
                for l in &f.levels {
                    if let Some(lab) = &l.label {
                        out.push(lab.clone());
                    }
                }
            }
        }
        Table::None => {}
    }
    let Some(rs) = rs else { return out };
    for &i in &m.circumstances {
        if let Some(c) = rs.circumstances.get(i) {
            out.push(c.id.clone());
        }
    }
    out.extend(m.own_circumstances.iter().map(|c| c.id.clone()));
    for &(li, ii) in &m.list_items {
        if let Some(it) = rs.lists.get(li).and_then(|l| l.items.get(ii)) {
            out.push(format!("第{}项", it.id));
        }
    }
    out
}

fn find<'r>(rs: &'r Ruleset, m: &'r Matter, text: &str) -> Vec<Target<'r>> {
    let t = text.trim();
    let (kind, key) = if let Some(k) = t.strip_prefix("阶次") {
        ("grade", k.trim())
    } else if let Some(k) = t.strip_prefix("情节") {
        ("circ", k.trim())
    } else if let Some(k) = t.strip_prefix("第").and_then(|k| k.strip_suffix('项')) {
        ("item", k.trim())
    } else if let Some(k) = t.strip_prefix("项") {
        ("item", k.trim())
    } else {
        ("", t)
    };
    let mut out = Vec::new();
    if matches!(kind, "" | "grade") {
        if let Table::Graded(gs) = &m.table {
            for (i, g) in gs.iter().enumerate() {
                if g.id == key || g.name.as_deref() == Some(key) {
                    out.push(Target::Grade(i, g, gs));
                }
            }
        }
    }
    if kind.is_empty() {
        if let Table::Weighted(w) = &m.table {
            for f in &w.factors {
                for (i, l) in f.levels.iter().enumerate() {
                    let full = l.label.as_deref().map(|lab| format!("{}/{lab}", f.name));
                    if l.label.as_deref() == Some(key) || full.as_deref() == Some(key) {
                        out.push(Target::Level(f, i));
                    }
                }
            }
        }
    }
    if matches!(kind, "" | "circ") {
        let circs = m
            .circumstances
            .iter()
            .filter_map(|&i| rs.circumstances.get(i))
            .chain(m.own_circumstances.iter());
        for c in circs {
            if c.id == key || c.name.as_deref() == Some(key) {
                out.push(Target::Circ(c));
            }
        }
    }
    if matches!(kind, "" | "item") {
        for &(li, ii) in &m.list_items {
            let Some(l) = rs.lists.get(li) else { continue };
            let Some(it) = l.items.get(ii) else { continue };
            let (lk, ik) = match key.split_once(['/', ' ']) {
                Some((a, b)) => (Some(a.trim()), b.trim()),
                None => (None, key),
            };
            let ik = ik.trim_start_matches('第').trim_end_matches('项');
            if it.id == ik && lk.is_none_or(|lk| lk == l.id || lk == l.name) {
                out.push(Target::Item(l, it));
            }
        }
    }
    out
}

/// `:whynot X` for the matter `m` and the facts and dates as written.
pub(super) fn why_not(
    rs: &Ruleset,
    m: &Matter,
    facts: &[(String, String)],
    dates: &Dates,
    text: &str,
) -> Result<String, String> {
    let found = find(rs, m, text);
    let Some(target) = found.first() else {
        let names = targets(Some(rs), m);
        return Err(format!(
            "事项 {} 中没有阶次、因素档次、情节或清单项“{text}”；可选：{}",
            m.id,
            names.join("、")
        ));
    };
    let case = case_file(&m.id, facts, dates)
        .resolve(rs)
        .map_err(|e| e.to_string())?;
    let rec = evaluate(rs, &case, &EvalOptions { trace: true }).map_err(|e| e.to_string())?;
    let mut out = String::new();
    if found.len() > 1 {
        let _ = writeln!(
            out,
            "（“{text}”有 {} 处同名，按 {} 解释；可加前缀“阶次”“情节”或写“第N项”区分）",
            found.len(),
            target.title()
        );
    }
    let title = target.title();
    let cond = target.condition(rs);
    if target.applied(&rec) {
        let _ = writeln!(out, "{title} 已适用。本案结果：{}", brief_line(&rec));
        return Ok(out);
    }
    let _ = writeln!(out, "{title} 未适用。");
    let _ = writeln!(out, "本案结果：{}", brief_line(&rec));
    if let Some(b) = target.basis() {
        let _ = writeln!(out, "依据：{b}");
    }
    let holds = eval_cond(&cond, &case);
    out.push_str("适用条件（✓ 满足，✗ 不满足，? 事实未知）：\n");
    render_cond(&mut out, rs, &cond, &case, 1);
    if holds == Some(true) {
        let _ = writeln!(
            out,
            "条件已满足，但{title}未被采用：{}",
            blocked_reason(&rec, target)
        );
        return Ok(out);
    }
    // Smallest change.
    let mut cands = changes(rs, &nnf(rs, &cond, false), &case);
    cands.sort_by_key(|c| c.len());
    let mut first_fail: Option<(Vec<(FactId, Value)>, String)> = None;
    for cand in cands.iter().take(12) {
        let mut fs: Vec<(String, String)> = facts.to_vec();
        for (id, v) in cand {
            let Some(def) = rs.facts.get(id.0 as usize) else {
                continue;
            };
            let text = value_input(def, *v);
            match fs.iter_mut().find(|(n, _)| *n == def.name) {
                Some(slot) => slot.1 = text,
                None => fs.push((def.name.clone(), text)),
            }
        }
        let Ok(c2) = case_file(&m.id, &fs, dates).resolve(rs) else {
            continue;
        };
        let Ok(r2) = evaluate(rs, &c2, &EvalOptions { trace: true }) else {
            continue;
        };
        if target.applied(&r2) {
            let _ = writeln!(out, "使其适用的最小改动：");
            for (id, v) in cand {
                let Some(def) = rs.facts.get(id.0 as usize) else {
                    continue;
                };
                let now = case
                    .get(*id)
                    .map(|x| show_value(def, x))
                    .unwrap_or_else(|| "未知".to_string());
                let _ = writeln!(
                    out,
                    "  {} = {}（现为 {now}）",
                    def.name,
                    value_input(def, *v)
                );
            }
            let _ = writeln!(out, "已验证：改动后适用{title}；结果：{}", brief_line(&r2));
            return Ok(out);
        }
        if first_fail.is_none() {
            first_fail = Some((cand.clone(), brief_line(&r2)));
        }
    }
    match first_fail {
        Some((cand, result)) => {
            let ch: Vec<String> = cand
                .iter()
                .filter_map(|(id, v)| {
                    rs.facts
                        .get(id.0 as usize)
                        .map(|d| format!("{} = {}", d.name, value_input(d, *v)))
                })
                .collect();
            let _ = writeln!(
                out,
                "改动 {} 可使条件成立，但{title}仍未被采用（结果：{result}）；可能另有规则优先（如不予处罚、追责时效或其他阶次）。",
                ch.join("，")
            );
        }
        None => {
            let _ = writeln!(
                out,
                "找不到能使其适用的事实改动（条件在本事项的事实范围内无法同时满足）。"
            );
        }
    }
    Ok(out)
}

fn blocked_reason(rec: &Recommendation<'_>, target: &Target<'_>) -> String {
    use crate::eval::Outcome;
    match rec.outcome {
        Outcome::TimeBarred => "本案已超过追责时效，未进入后续裁量".to_string(),
        Outcome::NoPenalty => "本案结论为不予处罚，未进入后续裁量".to_string(),
        _ => match target {
            Target::Grade(..) => match rec.grade {
                Some(g) => format!("按“多阶次”政策，选用了阶次“{}”", g.id),
                None => "阶次未能确定（事实不全）".to_string(),
            },
            _ => "可能因事实不全或政策规定（见 :为什么）".to_string(),
        },
    }
}

// ----- three-valued evaluation and rendering -----------------------------------

fn eval_cond(c: &Cond, case: &Case) -> Option<bool> {
    match c {
        Cond::True => Some(true),
        Cond::Bool { fact, value } => match case.get(*fact)? {
            Value::Bool(b) => Some(b == *value),
            _ => None,
        },
        Cond::Enum { fact, values } => match case.get(*fact)? {
            Value::Enum(i) => Some(values.contains(&i)),
            _ => None,
        },
        Cond::Number { fact, interval, .. } => match case.get(*fact)? {
            Value::Number(x) => Some(interval.contains(x)),
            _ => None,
        },
        Cond::Date { fact, interval } => match case.get(*fact)? {
            Value::Date(x) => Some(interval.contains(x)),
            _ => None,
        },
        Cond::And(cs) => {
            let mut unknown = false;
            for c in cs {
                match eval_cond(c, case) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        Cond::Or(cs) => {
            let mut unknown = false;
            for c in cs {
                match eval_cond(c, case) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            if unknown { None } else { Some(false) }
        }
        Cond::Not(c) => eval_cond(c, case).map(|b| !b),
    }
}

fn mark(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "?",
    }
}

fn fact_name(rs: &Ruleset, f: FactId) -> &str {
    rs.facts
        .get(f.0 as usize)
        .map(|d| d.name.as_str())
        .unwrap_or("?")
}

fn now_text(rs: &Ruleset, case: &Case, f: FactId) -> String {
    match (rs.facts.get(f.0 as usize), case.get(f)) {
        (Some(d), Some(v)) => show_value(d, v),
        _ => "未知".to_string(),
    }
}

fn unit_of(rs: &Ruleset, f: FactId) -> &'static str {
    match rs.facts.get(f.0 as usize).map(|d| &d.ty) {
        Some(FactType::Money) => "元",
        Some(FactType::Quantity(u)) => u.name,
        Some(FactType::Percent) => "%",
        _ => "",
    }
}

/// An interval in words: `不低于10吨且不满20吨`, `= 0元`.
fn interval_phrase(lower: Option<(String, bool)>, upper: Option<(String, bool)>) -> String {
    if let (Some((a, true)), Some((b, true))) = (&lower, &upper) {
        if a == b {
            return format!("= {a}");
        }
    }
    let lo = lower.map(|(v, inc)| {
        if inc {
            format!("不低于{v}")
        } else {
            format!("超过{v}")
        }
    });
    let hi = upper.map(|(v, inc)| {
        if inc {
            format!("不超过{v}")
        } else {
            format!("不满{v}")
        }
    });
    match (lo, hi) {
        (Some(a), Some(b)) => format!("{a}且{b}"),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => "任意值".to_string(),
    }
}

fn number_text(rs: &Ruleset, f: FactId, d: Decimal) -> String {
    match rs.facts.get(f.0 as usize).map(|x| &x.ty) {
        Some(FactType::Money) => crate::eval::render::money_text(d),
        _ => format!("{}{}", d.normalize(), unit_of(rs, f)),
    }
}

fn atom_text(rs: &Ruleset, c: &Cond) -> String {
    match c {
        Cond::True => "（恒成立）".to_string(),
        Cond::Bool { fact, value } => {
            format!(
                "{} = {}",
                fact_name(rs, *fact),
                if *value { "是" } else { "否" }
            )
        }
        Cond::Enum { fact, values } => {
            let names: Vec<String> = match rs.facts.get(fact.0 as usize).map(|d| &d.ty) {
                Some(FactType::Enum(ns)) => values
                    .iter()
                    .filter_map(|i| ns.get(usize::from(*i)).cloned())
                    .collect(),
                _ => values.iter().map(|i| i.to_string()).collect(),
            };
            if names.len() == 1 {
                format!("{} = {}", fact_name(rs, *fact), names.join(""))
            } else {
                format!("{} 属于（{}）", fact_name(rs, *fact), names.join("、"))
            }
        }
        Cond::Number { fact, interval, .. } => {
            let t = |b: Bound<Decimal>| (number_text(rs, *fact, b.value), b.inclusive);
            format!(
                "{} {}",
                fact_name(rs, *fact),
                interval_phrase(interval.lower.map(t), interval.upper.map(t))
            )
        }
        Cond::Date { fact, interval } => {
            let t = |b: Bound<Date>| (b.value.to_string(), b.inclusive);
            format!(
                "{} {}",
                fact_name(rs, *fact),
                interval_phrase(interval.lower.map(t), interval.upper.map(t))
            )
        }
        Cond::And(_) | Cond::Or(_) | Cond::Not(_) => String::new(),
    }
}

fn single_fact(c: &Cond) -> Option<FactId> {
    match c {
        Cond::Bool { fact, .. }
        | Cond::Enum { fact, .. }
        | Cond::Number { fact, .. }
        | Cond::Date { fact, .. } => Some(*fact),
        _ => None,
    }
}

fn render_cond(out: &mut String, rs: &Ruleset, c: &Cond, case: &Case, depth: usize) {
    let ind = "  ".repeat(depth);
    let m = mark(eval_cond(c, case));
    match c {
        Cond::And(cs) => {
            let _ = writeln!(out, "{ind}{m} 以下全部满足：");
            for x in cs {
                render_cond(out, rs, x, case, depth + 1);
            }
        }
        Cond::Or(cs) => {
            let _ = writeln!(out, "{ind}{m} 以下满足其一：");
            for x in cs {
                render_cond(out, rs, x, case, depth + 1);
            }
        }
        Cond::Not(x) => match single_fact(x) {
            Some(f) => {
                let _ = writeln!(
                    out,
                    "{ind}{m} 非（{}）（本案：{}）",
                    atom_text(rs, x),
                    now_text(rs, case, f)
                );
            }
            None => {
                let _ = writeln!(out, "{ind}{m} 以下不成立：");
                render_cond(out, rs, x, case, depth + 1);
            }
        },
        Cond::True => {
            let _ = writeln!(out, "{ind}{m} （无条件）");
        }
        atom => {
            let now = single_fact(atom)
                .map(|f| now_text(rs, case, f))
                .unwrap_or_default();
            let _ = writeln!(out, "{ind}{m} {}（本案：{now}）", atom_text(rs, atom));
        }
    }
}

// ----- smallest change ---------------------------------------------------------

/// Negation normal form: `Not` only disappears (complements are computed).
fn nnf(rs: &Ruleset, c: &Cond, neg: bool) -> Cond {
    match (c, neg) {
        (Cond::True, false) => Cond::True,
        (Cond::True, true) => Cond::Or(Vec::new()),
        (Cond::And(cs), false) => Cond::And(cs.iter().map(|x| nnf(rs, x, false)).collect()),
        (Cond::And(cs), true) => Cond::Or(cs.iter().map(|x| nnf(rs, x, true)).collect()),
        (Cond::Or(cs), false) => Cond::Or(cs.iter().map(|x| nnf(rs, x, false)).collect()),
        (Cond::Or(cs), true) => Cond::And(cs.iter().map(|x| nnf(rs, x, true)).collect()),
        (Cond::Not(x), n) => nnf(rs, x, !n),
        (Cond::Bool { fact, value }, true) => Cond::Bool {
            fact: *fact,
            value: !value,
        },
        (Cond::Enum { fact, values }, true) => {
            let n = match rs.facts.get(fact.0 as usize).map(|d| &d.ty) {
                Some(FactType::Enum(ns)) => ns.len(),
                _ => 0,
            };
            let rest: Vec<u16> = (0..n)
                .filter_map(|i| u16::try_from(i).ok())
                .filter(|i| !values.contains(i))
                .collect();
            Cond::Enum {
                fact: *fact,
                values: rest,
            }
        }
        (Cond::Number { fact, interval, .. }, true) => Cond::Or(
            complement(interval)
                .into_iter()
                .map(|interval| Cond::Number {
                    fact: *fact,
                    interval,
                    by_convention: (false, false),
                })
                .collect(),
        ),
        (Cond::Date { fact, interval }, true) => Cond::Or(
            complement(interval)
                .into_iter()
                .map(|interval| Cond::Date {
                    fact: *fact,
                    interval,
                })
                .collect(),
        ),
        (atom, false) => atom.clone(),
    }
}

fn complement<T: Copy>(i: &Interval<T>) -> Vec<Interval<T>> {
    let mut out = Vec::new();
    if let Some(l) = i.lower {
        out.push(Interval {
            lower: None,
            upper: Some(Bound {
                value: l.value,
                inclusive: !l.inclusive,
            }),
        });
    }
    if let Some(u) = i.upper {
        out.push(Interval {
            lower: Some(Bound {
                value: u.value,
                inclusive: !u.inclusive,
            }),
            upper: None,
        });
    }
    out
}

const MAX_CONJUNCTS: usize = 512;

/// Disjunctive normal form of an NNF condition: a list of conjunctions of atoms.
fn dnf(c: &Cond) -> Vec<Vec<Cond>> {
    match c {
        Cond::True => vec![Vec::new()],
        Cond::Or(cs) => {
            let mut out = Vec::new();
            for x in cs {
                out.extend(dnf(x));
                if out.len() > MAX_CONJUNCTS {
                    out.truncate(MAX_CONJUNCTS);
                    break;
                }
            }
            out
        }
        Cond::And(cs) => {
            let mut acc: Vec<Vec<Cond>> = vec![Vec::new()];
            for x in cs {
                let d = dnf(x);
                let mut next = Vec::new();
                for a in &acc {
                    for b in &d {
                        if next.len() >= MAX_CONJUNCTS {
                            break;
                        }
                        let mut v = a.clone();
                        v.extend(b.iter().cloned());
                        next.push(v);
                    }
                }
                acc = next;
            }
            acc
        }
        atom => vec![vec![atom.clone()]],
    }
}

enum Need {
    Bool(bool),
    Enum(Vec<u16>),
    Num(Interval<Decimal>),
    Date(Interval<Date>),
}

fn meet<T: PartialOrd + Copy>(a: Interval<T>, b: Interval<T>) -> Interval<T> {
    let lower = match (a.lower, b.lower) {
        (Some(x), Some(y)) => Some(
            if x.value > y.value || (x.value == y.value && !x.inclusive) {
                x
            } else {
                y
            },
        ),
        (x, y) => x.or(y),
    };
    let upper = match (a.upper, b.upper) {
        (Some(x), Some(y)) => Some(
            if x.value < y.value || (x.value == y.value && !x.inclusive) {
                x
            } else {
                y
            },
        ),
        (x, y) => x.or(y),
    };
    Interval { lower, upper }
}

/// For each conjunction that can hold: the fact changes it needs.
fn changes(rs: &Ruleset, c: &Cond, case: &Case) -> Vec<Vec<(FactId, Value)>> {
    let mut out = Vec::new();
    'conj: for conj in dnf(c) {
        let mut needs: Vec<(FactId, Need)> = Vec::new();
        for a in conj {
            let (f, n) = match a {
                Cond::Bool { fact, value } => (fact, Need::Bool(value)),
                Cond::Enum { fact, values } => (fact, Need::Enum(values)),
                Cond::Number { fact, interval, .. } => (fact, Need::Num(interval)),
                Cond::Date { fact, interval } => (fact, Need::Date(interval)),
                _ => continue 'conj, // an empty Or: false
            };
            match needs.iter_mut().find(|(g, _)| *g == f) {
                None => needs.push((f, n)),
                Some((_, old)) => {
                    let merged = match (&*old, n) {
                        (Need::Bool(x), Need::Bool(y)) if *x == y => Need::Bool(y),
                        (Need::Enum(x), Need::Enum(y)) => {
                            Need::Enum(x.iter().copied().filter(|v| y.contains(v)).collect())
                        }
                        (Need::Num(x), Need::Num(y)) => Need::Num(meet(*x, y)),
                        (Need::Date(x), Need::Date(y)) => Need::Date(meet(*x, y)),
                        _ => continue 'conj,
                    };
                    *old = merged;
                }
            }
        }
        let mut change = Vec::new();
        for (f, n) in needs {
            let now = case.get(f);
            let ty = rs.facts.get(f.0 as usize).map(|d| &d.ty);
            let v = match n {
                Need::Bool(b) => {
                    if now == Some(Value::Bool(b)) {
                        continue;
                    }
                    Value::Bool(b)
                }
                Need::Enum(vs) => {
                    if let Some(Value::Enum(i)) = now {
                        if vs.contains(&i) {
                            continue;
                        }
                    }
                    let cur = match now {
                        Some(Value::Enum(i)) => i32::from(i),
                        _ => 0,
                    };
                    let Some(best) = vs.iter().min_by_key(|v| (i32::from(**v) - cur).abs()) else {
                        continue 'conj;
                    };
                    Value::Enum(*best)
                }
                Need::Num(i) => {
                    if let Some(Value::Number(x)) = now {
                        if i.contains(x) {
                            continue;
                        }
                    }
                    let x = match now {
                        Some(Value::Number(x)) => Some(x),
                        _ => None,
                    };
                    let Some(ty) = ty else { continue 'conj };
                    match nearest_number(&i, x, ty) {
                        Some(v) => Value::Number(v),
                        None => continue 'conj,
                    }
                }
                Need::Date(i) => {
                    if let Some(Value::Date(x)) = now {
                        if i.contains(x) {
                            continue;
                        }
                    }
                    match nearest_date(&i, now) {
                        Some(d) => Value::Date(d),
                        None => continue 'conj,
                    }
                }
            };
            change.push((f, v));
        }
        if !change.is_empty() && !out.contains(&change) {
            out.push(change);
        }
    }
    out
}

/// The value in `i` nearest to `x` (or a natural one when unknown).
fn nearest_number(i: &Interval<Decimal>, x: Option<Decimal>, ty: &FactType) -> Option<Decimal> {
    let integer = matches!(ty, FactType::Integer);
    let from_lower = |b: Bound<Decimal>| {
        if integer {
            if b.inclusive {
                b.value.ceil()
            } else {
                b.value.floor() + Decimal::ONE
            }
        } else if b.inclusive {
            b.value
        } else {
            b.value + step_for(ty, b.value)
        }
    };
    let from_upper = |b: Bound<Decimal>| {
        if integer {
            if b.inclusive {
                b.value.floor()
            } else {
                b.value.ceil() - Decimal::ONE
            }
        } else if b.inclusive {
            b.value
        } else {
            b.value - step_for(ty, b.value)
        }
    };
    let cand = match x {
        Some(x) => match (i.lower, i.upper) {
            (Some(l), _) if !i.contains(x) && x <= l.value => from_lower(l),
            (_, Some(u)) if !i.contains(x) && x >= u.value => from_upper(u),
            _ => x,
        },
        None => match (i.lower, i.upper) {
            (Some(l), _) => from_lower(l),
            (None, Some(u)) => from_upper(u),
            (None, None) => Decimal::ZERO,
        },
    };
    (i.contains(cand) && cand >= Decimal::ZERO).then_some(cand)
}

fn nearest_date(i: &Interval<Date>, now: Option<Value>) -> Option<Date> {
    let x = match now {
        Some(Value::Date(d)) => Some(d),
        _ => None,
    };
    let lo = |b: Bound<Date>| {
        if b.inclusive {
            Some(b.value)
        } else {
            b.value.add_days(1)
        }
    };
    let hi = |b: Bound<Date>| {
        if b.inclusive {
            Some(b.value)
        } else {
            b.value.add_days(-1)
        }
    };
    let cand = match (x, i.lower, i.upper) {
        (Some(x), Some(l), _) if x <= l.value => lo(l),
        (Some(x), _, Some(u)) if x >= u.value => hi(u),
        (Some(x), _, _) => Some(x),
        (None, Some(l), _) => lo(l),
        (None, None, Some(u)) => hi(u),
        (None, None, None) => None,
    }?;
    i.contains(cand).then_some(cand)
}
