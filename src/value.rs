//! Values shared by the language, the model and the evaluator: calendar
//! dates, units of measure and their exact conversions.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::fmt;

/// A calendar date (proleptic Gregorian), without time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
}

impl Date {
    /// A date if `year-month-day` exists in the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1..=9999).contains(&year) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `2024-03-01`, `2024-3-1`, `2024/03/01` or `2024年3月1日`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let parts: Vec<&str> = if s.contains('年') {
            let s = s.strip_suffix('日').unwrap_or(s);
            s.split(['年', '月']).collect()
        } else {
            s.split(['-', '/']).collect()
        };
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// The same calendar day `years` years later; 29 February becomes 28
    /// February in a common year. `None` if the year leaves 1–9999.
    pub fn add_years(self, years: i32) -> Option<Date> {
        let year = self.year.checked_add(years)?;
        let day = self.day.min(days_in_month(year, self.month));
        Date::new(year, self.month, day)
    }

    /// The same day `months` months later, clamped to the month's last day.
    pub fn add_months(self, months: i32) -> Option<Date> {
        let total = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(months);
        let year = i32::try_from(total.div_euclid(12)).ok()?;
        let month = u8::try_from(total.rem_euclid(12) + 1).ok()?;
        let day = self.day.min(days_in_month(year, month));
        Date::new(year, month, day)
    }

    /// `days` days later (or earlier, if negative).
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days(self.to_days().checked_add(days)?)
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(z: i64) -> Option<Date> {
        let z = z.checked_add(719468)?;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = if m <= 2 { y + 1 } else { y };
        Date::new(
            i32::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`. Dates in years 0–9999 (every date a case carries) are
    /// written digit by digit: the trace writes several per evaluation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match u16::try_from(self.year) {
            Ok(y) if y <= 9999 && self.month <= 99 && self.day <= 99 => {
                let d = |v: u16| b'0' + (v % 10) as u8;
                let (m, day) = (u16::from(self.month), u16::from(self.day));
                let buf = [
                    d(y / 1000),
                    d(y / 100),
                    d(y / 10),
                    d(y),
                    b'-',
                    d(m / 10),
                    d(m),
                    b'-',
                    d(day / 10),
                    d(day),
                ];
                // Only ASCII digits and '-' were written.
                f.pad(std::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
            }
            _ => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a unit measures; only units of one dimension convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Dimension {
    /// 吨, 千克, 克.
    Mass,
    /// 平方米, 亩, 公顷.
    Area,
    /// 立方米, 升.
    Volume,
    /// 米, 千米.
    Length,
    /// 天, 日 (days).
    Days,
    /// 月, 年 (calendar months).
    Months,
    /// 小时.
    Hours,
    /// A counted thing (次, 人, 名, 件, 辆, 台, 头, 只, 株, 棵, 个, 家, 款, 起, 项 …).
    Count,
    /// A mass per unit of time (吨/小时, 千克/天); base 吨/小时.
    MassRate,
    /// A volume per unit of time (立方米/小时, 升/天); base 立方米/小时.
    VolumeRate,
    /// A volume at standard conditions per unit of time (标立方米/小时): it
    /// does not convert into actual volume, which depends on temperature and pressure.
    StdVolumeRate,
    /// A speed (千米/小时).
    Speed,
}

/// A unit of measure as written in a ruleset, with its exact factor to the
/// dimension's base unit (吨 for mass, 平方米 for area, 立方米 for volume,
/// 米 for length, 天, 月, 小时; counted things are their own base).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unit {
    /// The canonical written form (e.g. `吨`).
    pub name: &'static str,
    /// What it measures.
    pub dimension: Dimension,
    /// Numerator and denominator of the factor to the base unit.
    factor: (u64, u64),
    /// For counted units: what is counted. Counters of one thing convert
    /// (3名 = 3人 = 3位; 10棵 = 10株); others never do (3次 is not 3件).
    thing: &'static str,
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

const fn u(name: &'static str, dimension: Dimension, num: u64, den: u64) -> Unit {
    Unit {
        name,
        dimension,
        factor: (num, den),
        thing: name,
    }
}

/// A counter word (量词) for `thing`.
const fn c(name: &'static str, thing: &'static str) -> Unit {
    Unit {
        name,
        dimension: Dimension::Count,
        factor: (1, 1),
        thing,
    }
}

/// Every unit the language knows: (spellings, unit). The first spelling of
/// each entry is canonical.
const UNITS: &[(&[&str], Unit)] = &[
    (&["吨", "t"], u("吨", Dimension::Mass, 1, 1)),
    (&["千克", "公斤", "kg"], u("千克", Dimension::Mass, 1, 1000)),
    (&["克", "g"], u("克", Dimension::Mass, 1, 1_000_000)),
    (
        &["平方米", "㎡", "m2", "m²"],
        u("平方米", Dimension::Area, 1, 1),
    ),
    (&["亩"], u("亩", Dimension::Area, 2000, 3)),
    (&["公顷", "ha"], u("公顷", Dimension::Area, 10_000, 1)),
    (
        &["立方米", "m3", "m³"],
        u("立方米", Dimension::Volume, 1, 1),
    ),
    (&["升", "L"], u("升", Dimension::Volume, 1, 1000)),
    (
        &["千米", "公里", "km"],
        u("千米", Dimension::Length, 1000, 1),
    ),
    (&["米", "m"], u("米", Dimension::Length, 1, 1)),
    (&["天", "日", "day", "days"], u("天", Dimension::Days, 1, 1)),
    (
        &["个月", "月", "month", "months"],
        u("月", Dimension::Months, 1, 1),
    ),
    (&["年", "year", "years"], u("年", Dimension::Months, 12, 1)),
    (
        &["小时", "hour", "hours"],
        u("小时", Dimension::Hours, 1, 1),
    ),
    (&["次", "times"], u("次", Dimension::Count, 1, 1)),
    (&["人", "persons"], u("人", Dimension::Count, 1, 1)),
    (&["件"], u("件", Dimension::Count, 1, 1)),
    (&["辆"], u("辆", Dimension::Count, 1, 1)),
    (&["台"], u("台", Dimension::Count, 1, 1)),
    (&["头"], u("头", Dimension::Count, 1, 1)),
    (&["只"], u("只", Dimension::Count, 1, 1)),
    (&["株"], u("株", Dimension::Count, 1, 1)),
    (&["个"], u("个", Dimension::Count, 1, 1)),
    (&["家"], u("家", Dimension::Count, 1, 1)),
    (&["份"], u("份", Dimension::Count, 1, 1)),
    (&["批"], u("批", Dimension::Count, 1, 1)),
    (&["套"], u("套", Dimension::Count, 1, 1)),
    (&["张"], u("张", Dimension::Count, 1, 1)),
    (&["箱"], u("箱", Dimension::Count, 1, 1)),
    (&["瓶"], u("瓶", Dimension::Count, 1, 1)),
    (&["袋"], u("袋", Dimension::Count, 1, 1)),
    (&["处"], u("处", Dimension::Count, 1, 1)),
    // Counters (量词) that follow an Arabic numeral (grammar rule `counter`).
    (&["人次"], c("人次", "人次")),
    (&["名"], c("名", "人")),
    (&["位"], c("位", "人")),
    (&["棵"], c("棵", "株")),
    (&["款"], c("款", "款")),
    (&["起"], c("起", "起")),
    (&["项"], c("项", "项")),
    (&["条"], c("条", "条")),
    (&["户"], c("户", "户")),
    (&["宗"], c("宗", "宗")),
    (&["例"], c("例", "例")),
    (&["座"], c("座", "座")),
    (&["艘"], c("艘", "艘")),
    (&["部"], c("部", "部")),
    (&["本"], c("本", "本")),
    (&["册"], c("册", "册")),
    (&["盒"], c("盒", "盒")),
    (&["包"], c("包", "包")),
    (&["桶"], c("桶", "桶")),
    (&["根"], c("根", "根")),
    (&["匹"], c("匹", "匹")),
    (&["尾"], c("尾", "尾")),
    (&["羽"], c("羽", "羽")),
    (&["枚"], c("枚", "枚")),
    (&["粒"], c("粒", "粒")),
    (&["片"], c("片", "片")),
    (&["间"], c("间", "间")),
    (&["栋"], c("栋", "栋")),
    (&["幢"], c("幢", "栋")),
    (&["层"], c("层", "层")),
    (&["所"], c("所", "所")),
    (&["组"], c("组", "组")),
    (&["对"], c("对", "对")),
    (&["双"], c("双", "双")),
    (&["副"], c("副", "副")),
    (&["把"], c("把", "把")),
    (&["支"], c("支", "支")),
    (&["页"], c("页", "页")),
    (&["篇"], c("篇", "篇")),
    (&["场"], c("场", "场")),
    (&["类"], c("类", "类")),
    (&["种"], c("种", "种")),
    (&["口"], c("口", "口")),
    (&["门"], c("门", "门")),
    // Rates (grammar rule `rate_unit`): per hour is the base, a day is 24 hours.
    (&["吨/小时", "t/h"], u("吨/小时", Dimension::MassRate, 1, 1)),
    (
        &["吨/天", "吨/日", "t/d"],
        u("吨/天", Dimension::MassRate, 1, 24),
    ),
    (
        &["千克/小时", "公斤/小时", "kg/h"],
        u("千克/小时", Dimension::MassRate, 1, 1000),
    ),
    (
        &["千克/天", "千克/日", "公斤/天", "公斤/日"],
        u("千克/天", Dimension::MassRate, 1, 24_000),
    ),
    (
        &["立方米/小时", "m3/h"],
        u("立方米/小时", Dimension::VolumeRate, 1, 1),
    ),
    (
        &["立方米/天", "立方米/日", "m3/d"],
        u("立方米/天", Dimension::VolumeRate, 1, 24),
    ),
    (&["升/小时"], u("升/小时", Dimension::VolumeRate, 1, 1000)),
    (
        &["升/天", "升/日"],
        u("升/天", Dimension::VolumeRate, 1, 24_000),
    ),
    (
        &["标立方米/小时"],
        u("标立方米/小时", Dimension::StdVolumeRate, 1, 1),
    ),
    (
        &["标立方米/天", "标立方米/日"],
        u("标立方米/天", Dimension::StdVolumeRate, 1, 24),
    ),
    (
        &["千米/小时", "公里/小时", "km/h"],
        u("千米/小时", Dimension::Speed, 1, 1),
    ),
];

impl Unit {
    /// The unit written as `s`, if the language knows it.
    pub fn parse(s: &str) -> Option<Unit> {
        UNITS
            .iter()
            .find(|(names, _)| names.contains(&s))
            .map(|(_, unit)| *unit)
    }

    /// Every spelling the language accepts, longest first (for lexing).
    pub fn spellings() -> Vec<&'static str> {
        let mut all: Vec<&'static str> =
            UNITS.iter().flat_map(|(n, _)| n.iter().copied()).collect();
        all.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        all
    }

    /// Whether a quantity in `self` can be converted to `other`.
    pub fn converts_to(self, other: Unit) -> bool {
        self.dimension == other.dimension
            && (self.dimension != Dimension::Count || self.thing == other.thing)
    }

    /// Converts `value` in `self` into `target`, exactly where the factors
    /// allow (rounded to 28 significant digits otherwise). `None` if the
    /// dimensions differ or the arithmetic overflows.
    pub fn convert(self, value: Decimal, target: Unit) -> Option<Decimal> {
        if !self.converts_to(target) {
            return None;
        }
        if self.factor == target.factor {
            return Some(value);
        }
        // value * (a/b) / (c/d) = value * a * d / (b * c)
        let (a, b) = self.factor;
        let (c, d) = target.factor;
        let num = Decimal::from(a).checked_mul(Decimal::from(d))?;
        let den = Decimal::from(b).checked_mul(Decimal::from(c))?;
        value.checked_mul(num)?.checked_div(den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// The digit writer writes what the padded `write!` wrote, on every day
    /// of years 1–9999 (every date `Date::new` accepts), sampled.
    #[test]
    fn date_display_as_padded_write() {
        let padded = |d: Date| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
        let mut n = 0;
        for z in (-719_528i64..2_932_897).step_by(97) {
            if let Some(d) = Date::from_days(z) {
                assert_eq!(d.to_string(), padded(d));
                n += 1;
            }
        }
        assert!(n > 37_000, "{n}");
        assert_eq!(
            format!("{:>12}", Date::new(2024, 3, 5).unwrap()),
            "  2024-03-05"
        );
    }

    #[test]
    fn dates_round_trip_and_parse_chinese() {
        let d = Date::parse("2024年2月29日").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(Date::from_days(d.to_days()), Some(d));
        assert_eq!(d.add_years(1).unwrap().to_string(), "2025-02-28");
        assert_eq!(d.add_months(-2).unwrap().to_string(), "2023-12-29");
        assert!(Date::parse("2023-02-29").is_none());
        assert_eq!(Date::parse("1970-01-01").unwrap().to_days(), 0);
    }

    #[test]
    fn units_convert_exactly() {
        let t = Unit::parse("吨").unwrap();
        let kg = Unit::parse("公斤").unwrap();
        assert_eq!(kg.convert(dec("1500"), t), Some(dec("1.5")));
        let mu = Unit::parse("亩").unwrap();
        let m2 = Unit::parse("平方米").unwrap();
        assert_eq!(mu.convert(dec("3"), m2), Some(dec("2000")));
        assert!(t.convert(dec("1"), m2).is_none());
        let year = Unit::parse("年").unwrap();
        let month = Unit::parse("个月").unwrap();
        assert_eq!(year.convert(dec("2"), month), Some(dec("24")));
    }

    #[test]
    fn counters_convert_only_within_what_they_count() {
        let ming = Unit::parse("名").unwrap();
        let ren = Unit::parse("人").unwrap();
        let ci = Unit::parse("次").unwrap();
        assert_eq!(ming.convert(dec("3"), ren), Some(dec("3")));
        assert!(ming.convert(dec("3"), ci).is_none());
        assert!(
            Unit::parse("人次")
                .unwrap()
                .convert(dec("3"), ren)
                .is_none()
        );
        let ke = Unit::parse("棵").unwrap();
        assert_eq!(
            ke.convert(dec("10"), Unit::parse("株").unwrap()),
            Some(dec("10"))
        );
        assert!(
            Unit::parse("款")
                .unwrap()
                .converts_to(Unit::parse("款").unwrap())
        );
    }

    #[test]
    fn rates_convert_between_hours_and_days_but_not_across_kinds() {
        let th = Unit::parse("吨/小时").unwrap();
        let td = Unit::parse("吨/日").unwrap();
        assert_eq!(td.name, "吨/天");
        assert_eq!(th.convert(dec("1"), td), Some(dec("24")));
        let kgh = Unit::parse("公斤/小时").unwrap();
        assert_eq!(kgh.convert(dec("20000"), th), Some(dec("20")));
        let nm3 = Unit::parse("标立方米/小时").unwrap();
        let m3 = Unit::parse("立方米/小时").unwrap();
        assert!(nm3.convert(dec("1"), m3).is_none());
        assert!(th.convert(dec("1"), Unit::parse("吨").unwrap()).is_none());
    }

    #[test]
    fn every_counter_and_rate_the_grammar_lexes_is_a_unit() {
        let grammar = include_str!("../grammar/cailiang.pest");
        for rule in ["counter", "rate_unit"] {
            let start = grammar
                .find(&format!("\n{rule} "))
                .unwrap_or_else(|| panic!("rule {rule}"));
            let body = &grammar[start + 1..];
            let body = &body[..body.find("}\n").unwrap()];
            let words: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
            assert!(!words.is_empty());
            if rule == "counter" {
                for w in words {
                    assert!(Unit::parse(w).is_some(), "counter {w} is not a unit");
                }
            }
        }
        for num in ["标立方米", "立方米", "千克", "公斤", "吨", "升"] {
            for per in ["小时", "天", "日"] {
                let s = format!("{num}/{per}");
                assert!(Unit::parse(&s).is_some(), "{s}");
            }
        }
        for s in [
            "千米/小时",
            "公里/小时",
            "t/h",
            "t/d",
            "kg/h",
            "m3/h",
            "m3/d",
            "km/h",
        ] {
            assert!(Unit::parse(s).is_some(), "{s}");
        }
    }
}
