//! Exact reading of the numerals legal documents use: Arabic digits with
//! thousands separators (`1,200.50`), scale words (`20万`, `3.5亿`), and
//! Chinese numerals (`十万`, `一百万`, `二千`, `两万五千`). Shared by the
//! ruleset parser and the case-file reader, so `20万` means the same in both.

use rust_decimal::Decimal;
use std::str::FromStr;

/// The unit a money string may end with, stripped by [`parse_money`].
const YUAN_SUFFIXES: &[&str] = &["人民币元", "元", "yuan", "CNY", "RMB"];

/// Reads an amount of money in 元: a numeral optionally followed by `元`.
/// `20万` → 200000, `1,200.50元` → 1200.50, `十万元` → 100000, `3.5亿元`.
pub fn parse_money(s: &str) -> Option<Decimal> {
    let mut t = s.trim();
    for suffix in YUAN_SUFFIXES {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.trim_end();
            break;
        }
    }
    parse_numeral(t)
}

/// Reads a numeral: Arabic (with `,` thousands separators and an optional
/// scale word 千/万/亿/万亿 after it) or Chinese. Full-width digits are accepted.
pub fn parse_numeral(s: &str) -> Option<Decimal> {
    let s: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            _ => c,
        })
        .collect();
    if s.is_empty() {
        return None;
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        parse_arabic(&s)
    } else {
        parse_chinese(&s)
    }
}

/// Reads a percentage and returns it in percent (`30%` → 30): `30%`, `30％`,
/// `1‰` (千分之一 → 0.1), `5‱` (万分之五 → 0.05), `百分之三十` → 30,
/// `百分之2.5` → 2.5, `千分之三` → 0.3, `万分之五` → 0.05. Exact.
pub fn parse_percent(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let per = |n: &str, div: u32| -> Option<Decimal> {
        let v = parse_numeral(n)?;
        if div == 1 {
            return Some(v);
        }
        Some(v.checked_div(Decimal::from(div))?.normalize())
    };
    for (word, div) in [("百分之", 1), ("千分之", 10), ("万分之", 100)] {
        if let Some(n) = s.strip_prefix(word) {
            return per(n, div);
        }
    }
    for (sign, div) in [("%", 1), ("％", 1), ("‰", 10), ("‱", 100)] {
        if let Some(n) = s.strip_suffix(sign) {
            return per(n, div);
        }
    }
    None
}

/// The factor of a scale word written after an Arabic numeral (`万` → 10000;
/// `""` → 1), if it is one.
pub fn scale_factor(word: &str) -> Option<Decimal> {
    scale_of(word.trim())
}

fn scale_of(word: &str) -> Option<Decimal> {
    Some(match word {
        "" => Decimal::ONE,
        "千" => Decimal::from(1_000u32),
        "万" => Decimal::from(10_000u32),
        "十万" => Decimal::from(100_000u32),
        "百万" => Decimal::from(1_000_000u32),
        "千万" => Decimal::from(10_000_000u32),
        "亿" => Decimal::from(100_000_000u32),
        "万亿" => Decimal::from(1_000_000_000_000u64),
        _ => return None,
    })
}

fn parse_arabic(s: &str) -> Option<Decimal> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(s.len());
    let (digits, scale) = s.split_at(end);
    // Thousands separators: groups of exactly three digits after the first.
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut groups = int_part.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 && int_part.contains(',') {
        return None;
    }
    let mut plain = first.to_string();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        plain.push_str(g);
    }
    if let Some(f) = frac_part {
        if f.is_empty() || f.contains(',') {
            return None;
        }
        plain.push('.');
        plain.push_str(f);
    }
    let value = Decimal::from_str(&plain).ok()?;
    value.checked_mul(scale_of(scale)?)
}

fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn cn_small_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// Whether `c` may appear in a Chinese numeral.
pub fn is_chinese_numeral_char(c: char) -> bool {
    cn_digit(c).is_some() || cn_small_unit(c).is_some() || c == '万' || c == '亿' || c == '点'
}

fn parse_chinese(s: &str) -> Option<Decimal> {
    // Integer part and an optional 点 fraction (一点五万 = 15000).
    let (int_part, frac_part) = match s.split_once('点') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let mut total: u64 = 0; // completed 亿 groups
    let mut section: u64 = 0; // below 万/亿
    let mut number: u64 = 0; // pending digit
    let mut seen = false;
    let mut trailing_scale = Decimal::ONE;
    let chars: Vec<char> = int_part.chars().collect();
    let mut frac_scale_applied = false;
    for (i, &c) in chars.iter().enumerate() {
        if let Some(d) = cn_digit(c) {
            number = u64::from(d);
            seen = true;
        } else if let Some(u) = cn_small_unit(c) {
            let n = if number == 0 && !seen {
                1
            } else {
                number.max(if seen { number } else { 1 })
            };
            let n = if n == 0 { 1 } else { n };
            section = section.checked_add(n.checked_mul(u64::from(u))?)?;
            number = 0;
            seen = true;
        } else if c == '万' || c == '亿' {
            let unit: u64 = if c == '万' { 10_000 } else { 100_000_000 };
            let group = section.checked_add(number)?;
            let group = if group == 0 && !seen { 1 } else { group };
            if frac_part.is_some() && i + 1 == chars.len() {
                // 一点五万: the scale applies to the whole decimal.
                total = total.checked_add(group)?;
                trailing_scale = Decimal::from(unit);
                frac_scale_applied = true;
            } else if c == '亿' {
                total = total.checked_add(group)?.checked_mul(unit)?;
            } else {
                total = total.checked_add(group.checked_mul(unit)?)?;
            }
            section = 0;
            number = 0;
            seen = true;
        } else {
            return None;
        }
    }
    if !seen {
        return None;
    }
    let int_value = total.checked_add(section)?.checked_add(number)?;
    let mut value = Decimal::from(int_value);
    if let Some(f) = frac_part {
        let mut frac_digits = String::new();
        let (f, scale) = if !frac_scale_applied {
            match f.strip_suffix('万') {
                Some(r) => (r, Decimal::from(10_000u32)),
                None => match f.strip_suffix('亿') {
                    Some(r) => (r, Decimal::from(100_000_000u32)),
                    None => (f, Decimal::ONE),
                },
            }
        } else {
            (f, Decimal::ONE)
        };
        if !frac_scale_applied {
            trailing_scale = scale;
        }
        for c in f.chars() {
            frac_digits.push(char::from_digit(cn_digit(c)?, 10)?);
        }
        if frac_digits.is_empty() {
            return None;
        }
        value = Decimal::from_str(&format!("{int_value}.{frac_digits}")).ok()?;
    }
    value.checked_mul(trailing_scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn arabic_with_scales_and_separators() {
        assert_eq!(parse_money("20万"), Some(d("200000")));
        assert_eq!(parse_money("3.5亿元"), Some(d("350000000")));
        assert_eq!(parse_money("1,200.50元"), Some(d("1200.50")));
        assert_eq!(parse_money("3000.10"), Some(d("3000.10")));
        assert_eq!(parse_money("１２万元"), Some(d("120000")));
        assert_eq!(parse_money("1,20"), None);
        assert_eq!(parse_money("12,345,678.9"), Some(d("12345678.9")));
        assert_eq!(
            parse_money("12345678901234567.89"),
            Some(d("12345678901234567.89"))
        );
        assert_eq!(parse_money("abc"), None);
        assert_eq!(parse_money(""), None);
    }

    #[test]
    fn chinese_numerals() {
        for (s, v) in [
            ("十万元", "100000"),
            ("一百万元", "1000000"),
            ("二千元", "2000"),
            ("五万", "50000"),
            ("两万五千", "25000"),
            ("十", "10"),
            ("二十", "20"),
            ("一万零五百", "10500"),
            ("三十万", "300000"),
            ("五百", "500"),
            ("一亿", "100000000"),
            ("一点五万", "15000"),
            ("十五", "15"),
            ("一千二百", "1200"),
        ] {
            assert_eq!(parse_money(s), Some(d(v)), "{s}");
        }
        assert_eq!(parse_money("一般"), None);
    }

    #[test]
    fn percent_words_and_per_mille_signs_are_exact() {
        for (s, v) in [
            ("30%", "30"),
            ("30％", "30"),
            ("2.5%", "2.5"),
            ("百分之三十", "30"),
            ("百分之五十", "50"),
            ("百分之二", "2"),
            ("百分之2.5", "2.5"),
            ("百分之零点五", "0.5"),
            ("百分之一百", "100"),
            ("千分之三", "0.3"),
            ("千分之1", "0.1"),
            ("万分之五", "0.05"),
            ("1‰", "0.1"),
            ("5‰", "0.5"),
            ("3‰", "0.3"),
            ("5‱", "0.05"),
            ("12.5‰", "1.25"),
        ] {
            assert_eq!(parse_percent(s), Some(d(v)), "{s}");
        }
        for bad in ["", "百分之", "30", "千分之一般", "%", "‰"] {
            assert_eq!(parse_percent(bad), None, "{bad}");
        }
    }

    #[test]
    fn scale_words() {
        assert_eq!(scale_factor("万"), Some(d("10000")));
        assert_eq!(scale_factor(""), Some(d("1")));
        assert_eq!(scale_factor("亿"), Some(d("100000000")));
        assert_eq!(scale_factor("元"), None);
    }
}
