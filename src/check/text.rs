//! Wording helpers: amounts, types and literals as legal staff write them.

use crate::model::FactType;
use crate::syntax::ast::LiteralValue;
use crate::value::{Dimension, Unit};
use rust_decimal::Decimal;

/// `1200000` → `120万元`, `3000` → `3000元`, `350000000` → `3.5亿元`.
pub(crate) fn money(d: Decimal) -> String {
    let yi = Decimal::from(100_000_000u64);
    let wan = Decimal::from(10_000u64);
    if d.abs() >= yi && (d % Decimal::from(1_000_000u64)).is_zero() {
        format!("{}亿元", (d / yi).normalize())
    } else if d.abs() >= wan && (d % Decimal::from(100u64)).is_zero() {
        format!("{}万元", (d / wan).normalize())
    } else {
        format!("{}元", d.normalize())
    }
}

/// A factor 0.3 as `30%`.
pub(crate) fn percent(f: Decimal) -> String {
    format!("{}%", (f * Decimal::from(100u64)).normalize())
}

/// What a dimension measures, in Chinese.
pub(crate) fn dimension(d: Dimension) -> &'static str {
    match d {
        Dimension::Mass => "重量",
        Dimension::Area => "面积",
        Dimension::Volume => "体积",
        Dimension::Length => "长度",
        Dimension::Days => "天数",
        Dimension::Months => "月数（期限）",
        Dimension::Hours => "小时数",
        Dimension::Count => "计数",
        Dimension::MassRate => "重量流量（每小时、每天）",
        Dimension::VolumeRate => "体积流量（每小时、每天）",
        Dimension::StdVolumeRate => "标准状态体积流量（标立方米每小时、每天）",
        Dimension::Speed => "速度",
    }
}

/// A fact type as the language writes it.
pub(crate) fn fact_type(t: &FactType) -> String {
    match t {
        FactType::Bool => "是否".into(),
        FactType::Enum(vs) => format!("枚举({})", vs.join(", ")),
        FactType::Money => "金额（元）".into(),
        FactType::Quantity(u) => format!("数量（{}）", u.name),
        FactType::Integer => "整数".into(),
        FactType::Number => "数值".into(),
        FactType::Percent => "比例（百分比）".into(),
        FactType::Date => "日期".into(),
    }
}

/// What kind of value a literal is, in Chinese.
pub(crate) fn literal_kind(v: &LiteralValue) -> String {
    match v {
        LiteralValue::Money(_) => "金额".into(),
        LiteralValue::Number(_) => "不带单位的数字".into(),
        LiteralValue::Percent(_) => "百分比".into(),
        LiteralValue::Multiple(_) => "倍数".into(),
        LiteralValue::Quantity(_, u) => unit_kind(*u),
        LiteralValue::Date(_) => "日期".into(),
        LiteralValue::Bool(_) => "是/否".into(),
        LiteralValue::Name(_) | LiteralValue::Text(_) => "名称".into(),
    }
}

/// `吨` → `重量（吨）`.
pub(crate) fn unit_kind(u: Unit) -> String {
    format!("{}（{}）", dimension(u.dimension), u.name)
}

/// A literal's value written back (used when the source text is unavailable).
pub(crate) fn literal(v: &LiteralValue) -> String {
    match v {
        LiteralValue::Money(d) => money(*d),
        LiteralValue::Number(d) => d.normalize().to_string(),
        LiteralValue::Percent(d) => format!("{}%", d.normalize()),
        LiteralValue::Multiple(d) => format!("{}倍", d.normalize()),
        LiteralValue::Quantity(d, u) => format!("{}{}", d.normalize(), u.name),
        LiteralValue::Date(d) => d.to_string(),
        LiteralValue::Bool(true) => "是".into(),
        LiteralValue::Bool(false) => "否".into(),
        LiteralValue::Name(s) | LiteralValue::Text(s) => s.clone(),
    }
}

/// Edit distance over characters (so one Chinese character counts as one).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.last().copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = (len / 2).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(name, c), c))
        .filter(|(d, c)| *d <= limit.max(c.chars().count() / 2) && *d > 0)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_reads_like_documents() {
        assert_eq!(money(Decimal::from(1_200_000)), "120万元");
        assert_eq!(money(Decimal::from(3000)), "3000元");
        assert_eq!(money(Decimal::from(350_000_000)), "3.5亿元");
        assert_eq!(money(Decimal::from_str("1200.5").unwrap()), "1200.5元");
        assert_eq!(percent(Decimal::from_str("0.30").unwrap()), "30%");
    }

    #[test]
    fn closest_counts_characters() {
        assert_eq!(closest("排放量", ["排放总量", "面积"]), Some("排放总量"));
        assert_eq!(closest("完全不同的名字", ["面积"]), None);
    }
}
