//! Human rendering of a recommendation in Chinese, for a legal officer.
//! Amounts keep their exact digits: `12万元`, `1,200.50元`.

use super::output::{ChoiceKind, Outcome, Recommendation, modality_str};
use super::range::FineRange;
use crate::model::Ruleset;
use rust_decimal::Decimal;
use std::fmt::Write;

/// Writes an amount the way benchmark documents do: `12万元`, `3.5亿元`,
/// `1,200.50元`, `0元`. Exact: no digit is dropped.
pub fn money_text(d: Decimal) -> String {
    let mut out = String::with_capacity(16);
    push_money(&mut out, d);
    out
}

/// [`money_text`] appended to `out` (the trace writes many amounts; no
/// intermediate strings and no formatting machinery on its hot path).
pub(crate) fn push_money(out: &mut String, d: Decimal) {
    let n = d.normalize();
    // Normalised, a whole number has scale 0: whole 万 / 亿 are read off the
    // mantissa (no decimal division on the trace's hot path). With the
    // divisibility guards the quotient has at most two decimals.
    let (m, whole) = (n.mantissa(), n.scale() == 0);
    let scaled = |pow: u32| -> Option<Decimal> {
        let q = Decimal::try_from_i128_with_scale(m, pow).ok()?.normalize();
        (q.scale() <= 4).then_some(q)
    };
    if whole && m.unsigned_abs() >= 100_000_000 && m % 1_000_000 == 0 {
        if let Some(q) = scaled(8) {
            push_decimal(out, q);
            out.push_str("亿元");
            return;
        }
    }
    if whole && m.unsigned_abs() >= 10_000 && m % 100 == 0 {
        if let Some(q) = scaled(4) {
            push_decimal(out, q);
            out.push_str("万元");
            return;
        }
    }
    push_grouped(out, n);
    out.push('元');
}

/// The decimal digits of `|mantissa|`, most significant first, at the end
/// of `buf` (29 digits at most); returns them.
fn mantissa_digits(d: Decimal, buf: &mut [u8; 40]) -> &str {
    let mut n = 0;
    let u = d.mantissa().unsigned_abs();
    // Most amounts fit 64 bits, whose division is far cheaper than 128-bit.
    if let Ok(mut v) = u64::try_from(u) {
        for slot in buf.iter_mut().rev() {
            *slot = b'0' + (v % 10) as u8;
            v /= 10;
            n += 1;
            if v == 0 {
                break;
            }
        }
    } else {
        let mut v = u;
        for slot in buf.iter_mut().rev() {
            *slot = b'0' + (v % 10) as u8;
            v /= 10;
            n += 1;
            if v == 0 {
                break;
            }
        }
    }
    // Only ASCII digits were written.
    buf.get(buf.len() - n..)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("0")
}

/// Appends `d` exactly as its `Display` writes it (`-1.50`, `0.05`, `12`),
/// without the formatting machinery.
pub(crate) fn push_decimal(out: &mut String, d: Decimal) {
    let mut buf = [0u8; 40];
    let digits = mantissa_digits(d, &mut buf);
    if d.is_sign_negative() {
        out.push('-');
    }
    let scale = d.scale() as usize;
    match digits.len().checked_sub(scale) {
        _ if scale == 0 => out.push_str(digits),
        Some(int) if int > 0 => {
            let (i, f) = digits.split_at_checked(int).unwrap_or((digits, ""));
            out.push_str(i);
            out.push('.');
            out.push_str(f);
        }
        _ => {
            out.push_str("0.");
            for _ in digits.len()..scale {
                out.push('0');
            }
            out.push_str(digits);
        }
    }
}

/// Appends `n` (already normalised) with thousands separators and, for one
/// decimal, a second (`1,200.50`).
fn push_grouped(out: &mut String, n: Decimal) {
    let mut s = n;
    if s.scale() == 1 {
        s.rescale(2);
    }
    let mut buf = [0u8; 40];
    let digits = mantissa_digits(s, &mut buf);
    let scale = s.scale() as usize;
    if s.is_sign_negative() {
        out.push('-');
    }
    let (int, frac) = match digits.len().checked_sub(scale) {
        Some(i) if i > 0 => digits.split_at_checked(i).unwrap_or((digits, "")),
        _ => ("0", digits),
    };
    let len = int.len();
    for (i, c) in int.char_indices() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if scale > 0 {
        out.push('.');
        for _ in frac.len()..scale {
            out.push('0');
        }
        out.push_str(frac);
    }
}

/// A range in words: `10万元至20万元`, `超过0元、5万元以下`, `5,000元`.
pub fn range_text(r: &FineRange) -> String {
    let mut out = String::with_capacity(40);
    push_range(&mut out, r);
    out
}

/// [`range_text`] appended to `out`.
pub(crate) fn push_range(out: &mut String, r: &FineRange) {
    if let Some(p) = r.as_point() {
        push_money(out, p);
        return;
    }
    if !r.lower_inclusive {
        out.push_str("超过");
    }
    push_money(out, r.lower);
    match r.upper {
        None => out.push_str("以上（上限取决于尚未确定的事实）"),
        Some(u) => {
            out.push_str(if r.upper_inclusive {
                "至"
            } else {
                "至不满"
            });
            push_money(out, u);
        }
    }
}

/// Renders a recommendation for a legal officer, in the ruleset's own terms.
pub fn render_human(rec: &Recommendation<'_>, ruleset: &Ruleset) -> String {
    let mut s = String::new();
    render_into(&mut s, rec, ruleset, 0);
    s
}

fn render_into(s: &mut String, rec: &Recommendation<'_>, ruleset: &Ruleset, depth: usize) {
    let ind = "  ".repeat(depth);
    let _ = writeln!(s, "{ind}事项：{} {}", rec.matter.id, rec.matter.name);
    if depth == 0 {
        let _ = writeln!(s, "{ind}裁量基准：《{}》", ruleset.meta.name);
    }
    match rec.decision {
        // The document's own word (免予处罚, 减轻处罚 …) next to the outcome.
        Some(d) if d != rec.outcome.label() => {
            let _ = writeln!(s, "{ind}结论：{}（{d}）", rec.outcome.label());
        }
        _ => {
            let _ = writeln!(s, "{ind}结论：{}", rec.outcome.label());
        }
    }
    if rec.possible_outcomes.len() > 1 {
        let all: Vec<&str> = rec.possible_outcomes.iter().map(Outcome::label).collect();
        let _ = writeln!(s, "{ind}  可能的结论：{}", all.join("；"));
    }
    for g in &rec.grounds {
        // A grade deciding no penalty is named as a grade, not a list item
        // (the ground borrows the grade's own id).
        let is_grade = rec
            .grade
            .is_some_and(|gr| std::ptr::eq(gr.id.as_ptr(), g.id.as_ptr()));
        let what = match (g.name, g.id.chars().all(|c| c.is_ascii_digit())) {
            (Some(n), _) if is_grade && n == g.id => format!("阶次“{n}”"),
            (Some(n), _) if is_grade => format!("阶次{}“{n}”", g.id),
            (Some(n), true) => format!("第{}项“{n}”", g.id),
            (Some(n), false) => format!("“{n}”"),
            (None, _) => format!("“{}”", g.id),
        };
        let _ = writeln!(
            s,
            "{ind}不予处罚的理由：符合{what}{}",
            g.basis
                .map(|b| format!("（依据：{b}）"))
                .unwrap_or_default()
        );
    }
    if let Some(st) = &rec.statute {
        if let Some(b) = st.basis {
            let _ = writeln!(s, "{ind}处罚依据：{b}");
        }
    }
    if let Some(r) = &rec.statutory_range {
        let _ = writeln!(s, "{ind}法定罚款幅度：{}", range_text(r));
    }
    if let Some(g) = &rec.grade {
        let _ = writeln!(
            s,
            "{ind}裁量阶次：{}{}",
            g.id,
            g.name.map(|n| format!("（{n}）")).unwrap_or_default()
        );
    } else if rec.possible_grades.len() > 1 {
        let gs: Vec<String> = rec
            .possible_grades
            .iter()
            .map(|g| g.id.to_string())
            .collect();
        let _ = writeln!(s, "{ind}可能的裁量阶次：{}", gs.join("、"));
    }
    if let Some(sc) = rec.score {
        let _ = writeln!(s, "{ind}权重合计：{}%", super::engine::pct(sc));
    }
    match (&rec.outcome, &rec.fine) {
        (Outcome::NoPenalty | Outcome::TimeBarred, _) => {}
        (_, Some(f)) => {
            // Only when the case is settled: an envelope's range spans the
            // other grades too (its judgement line still says so).
            let collective = rec.missing_facts.is_empty()
                && rec
                    .needs_judgement
                    .iter()
                    .any(|j| j.reason == super::output::COLLECTIVE_REVIEW);
            let what = match (collective, f.mandatory) {
                (true, _) => "罚款（由集体讨论决定，幅度）",
                (false, true) => "建议罚款",
                (false, false) => "可以处罚款",
            };
            match f.point {
                Some(p) => {
                    let _ = writeln!(s, "{ind}{what}：{}", money_text(p));
                }
                None => {
                    let _ = writeln!(s, "{ind}{what}：{}", range_text(&f.range));
                }
            }
        }
        (_, None) if rec.statute.is_none() => {
            let _ = writeln!(
                s,
                "{ind}罚款：本规则集未载明该事项的法定罚款，请依处罚依据另行裁量"
            );
        }
        (_, None) => {
            let _ = writeln!(s, "{ind}罚款：无");
        }
    }
    // A no-penalty outcome still shows the orders (责令改正) a grade gives.
    if !matches!(rec.outcome, Outcome::TimeBarred) && !rec.sanctions.is_empty() {
        let items: Vec<String> = rec
            .sanctions
            .iter()
            .map(|x| {
                let m = if modality_str(x.modality) == "must" {
                    "应当"
                } else {
                    "可以"
                };
                let approval = if x.needs_approval {
                    "（需报经批准）"
                } else {
                    ""
                };
                let mut t = format!("{m}{}{approval}", x.title());
                match rec.sanctions.periods(x) {
                    (Some(p), Some(sp)) if p != sp => {
                        let _ = write!(t, "{}（法定期限{}）", p.text(), sp.text());
                    }
                    (Some(p), _) => t.push_str(&p.text()),
                    _ => {}
                }
                t
            })
            .collect();
        let _ = writeln!(s, "{ind}其他处罚或措施：{}", items.join("；"));
    }
    if !rec.options.is_empty() {
        let _ = writeln!(s, "{ind}可供裁量的选项（由执法人员决定，系统未代为选择）：");
        for o in &rec.options {
            let mut line = match o.kind {
                ChoiceKind::Sanction => format!("可以并处{}", o.id),
                ChoiceKind::Fine => "可以处罚款".to_string(),
                ChoiceKind::OneOf => format!("择一（{}）：{}", o.name.unwrap_or(o.id), o.id),
                k => format!(
                    "{}{}",
                    if o.required {
                        "应当（择一）"
                    } else {
                        "可以"
                    },
                    k.label()
                ),
            };
            if !matches!(
                o.kind,
                ChoiceKind::Sanction | ChoiceKind::Fine | ChoiceKind::OneOf
            ) {
                let _ = write!(line, "（{}）", o.name.unwrap_or(o.id));
            }
            if let Some(r) = &o.range {
                let _ = write!(line, "：{}", range_text(r));
            }
            if let Some(b) = o.basis {
                let _ = write!(line, "；依据 {b}");
            }
            if !o.obligations.is_empty() {
                let _ = write!(line, "；须{}", o.obligations.join("、"));
            }
            let _ = writeln!(s, "{ind}  - {line}");
        }
    }
    for j in &rec.needs_judgement {
        let _ = writeln!(s, "{ind}需综合判断：{}", j.reason);
        for c in &j.candidates {
            let who = if c.circumstances.is_empty() {
                String::new()
            } else {
                format!("（{}）", c.circumstances.join("、"))
            };
            let _ = writeln!(s, "{ind}  - {}{who}：{}", c.label, range_text(&c.range));
        }
    }
    if !rec.obligations.is_empty() {
        let _ = writeln!(s, "{ind}应履行的事项：{}", rec.obligations.join("；"));
    }
    if !rec.missing_facts.is_empty() {
        let _ = writeln!(
            s,
            "{ind}事实不全：以上为所有可能情形的范围；补充以下事实可确定结果：{}",
            rec.missing_facts.join("、")
        );
    }
    for w in &rec.warnings {
        let _ = writeln!(s, "{ind}提示[{}]：{}", w.code, w.message);
    }
    if let Some(t) = &rec.trace {
        let _ = writeln!(s, "{ind}裁量过程：");
        for (i, st) in t.iter().enumerate() {
            let _ = write!(s, "{ind}  {}. {}", i + 1, st.explanation);
            if let Some(b) = st.basis {
                let _ = write!(s, "【{b}】");
            }
            if !st.facts.is_empty() {
                let fs: Vec<String> = st
                    .facts
                    .iter()
                    .map(|f| format!("{}={}", f.name, f.value.as_deref().unwrap_or("未知")))
                    .collect();
                let _ = write!(s, "（事实：{}）", fs.join("，"));
            }
            let _ = writeln!(s);
        }
    }
    if !rec.alternatives.is_empty() {
        let _ = writeln!(s, "{ind}其他事项的结果（行政处罚法 第二十九条）：");
        for a in &rec.alternatives {
            render_into(s, a, ruleset, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn amounts_in_words() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(money_text(d("120000")), "12万元");
        assert_eq!(money_text(d("125000")), "12.5万元");
        assert_eq!(money_text(d("1200.50")), "1,200.50元");
        assert_eq!(money_text(d("1200.5")), "1,200.50元");
        assert_eq!(money_text(d("350000000")), "3.5亿元");
        assert_eq!(money_text(d("12345.67")), "12,345.67元");
        assert_eq!(money_text(d("0")), "0元");
        assert_eq!(money_text(d("5000")), "5,000元");
    }

    /// The mantissa reading gives what dividing by 万 / 亿 gave.
    #[test]
    fn whole_wan_and_yi_as_by_division() {
        let by_division = |d: Decimal| -> String {
            let n = d.normalize();
            let scaled = |unit: Decimal, word: &str| -> Option<String> {
                let q = n.checked_div(unit)?.normalize();
                (q.scale() <= 4).then(|| format!("{q}{word}元"))
            };
            let yi = Decimal::from(100_000_000u32);
            let wan = Decimal::from(10_000u32);
            if n.abs() >= yi && (n % Decimal::from(1_000_000u32)).is_zero() {
                if let Some(s) = scaled(yi, "亿") {
                    return s;
                }
            }
            if n.abs() >= wan && (n % Decimal::ONE_HUNDRED).is_zero() {
                if let Some(s) = scaled(wan, "万") {
                    return s;
                }
            }
            format!("{}元", group_thousands_by_string(n))
        };
        let mut x: i64 = 1;
        for step in 0..4000i64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mant =
                i128::from((x >> 20) % 1_000_000_000_000) * if step % 7 == 0 { -1 } else { 1 };
            for scale in [0u32, 1, 2, 4] {
                for v in [
                    mant,
                    mant / 100 * 100,
                    mant / 1_000_000 * 1_000_000,
                    (step * 10_000).into(),
                ] {
                    let d = Decimal::from_i128_with_scale(v, scale);
                    assert_eq!(money_text(d), by_division(d), "{d}");
                }
            }
        }
    }

    /// The string-splitting grouping the digit writer replaced.
    fn group_thousands_by_string(n: Decimal) -> String {
        let mut s = n;
        if s.scale() == 1 {
            s.rescale(2);
        }
        let text = s.to_string();
        let (sign, text) = match text.strip_prefix('-') {
            Some(t) => ("-", t),
            None => ("", text.as_str()),
        };
        let (int, frac) = match text.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (text, None),
        };
        let mut out = String::new();
        let len = int.chars().count();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (len - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        match frac {
            Some(f) => format!("{sign}{out}.{f}"),
            None => format!("{sign}{out}"),
        }
    }

    /// The digit writer writes what `Decimal`'s `Display` writes, for every
    /// scale, sign and size (including the 96-bit maximum and -0).
    #[test]
    fn decimal_digits_as_display() {
        let mut x: u64 = 7;
        let mut cases = vec![
            Decimal::MAX,
            Decimal::MIN,
            Decimal::ZERO,
            -Decimal::ZERO,
            Decimal::from_i128_with_scale(5, 28),
            Decimal::from_i128_with_scale(-5, 3),
        ];
        for step in 0..5000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let hi = i128::from(x >> 1);
            let mant = if step % 3 == 0 {
                hi * hi % (1i128 << 95)
            } else {
                hi % 1_000_000
            };
            let mant = if step % 5 == 0 { -mant } else { mant };
            cases.push(Decimal::from_i128_with_scale(mant, (step % 29) as u32));
        }
        for d in cases {
            let mut s = String::new();
            push_decimal(&mut s, d);
            assert_eq!(s, d.to_string(), "{d:?}");
            let n = d.normalize();
            let mut g = String::new();
            push_grouped(&mut g, n);
            assert_eq!(g, group_thousands_by_string(n), "{d:?}");
        }
    }
}
