//! Exact fine ranges and the arithmetic the evaluator does on them: bands of
//! a reference range, hulls, clamping, rounding. Every operation is checked:
//! an overflow yields `None` and the caller falls back to a sound answer.

use crate::model::Band;
use crate::syntax::ast::Rounding;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::cmp::Ordering;

/// A range of money in 元 with explicit inclusive/exclusive ends. An upper end
/// of `None` is unbounded (only in envelopes over missing base facts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FineRange {
    /// Lower end.
    pub lower: Decimal,
    /// Whether the lower end itself belongs to the range.
    pub lower_inclusive: bool,
    /// Upper end; `None`: unbounded.
    pub upper: Option<Decimal>,
    /// Whether the upper end itself belongs to the range.
    pub upper_inclusive: bool,
}

/// Formats an amount for JSON: exact, without trailing zeros, but with two
/// decimals when it has a fractional part of one digit (`1200.50`).
pub fn money_string(d: Decimal) -> String {
    let mut n = d.normalize();
    if n.scale() == 1 {
        n.rescale(2);
    }
    n.to_string()
}

struct Money(Decimal);

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&money_string(self.0))
    }
}

/// Serialises an optional amount as a string or `null`.
pub(crate) fn ser_opt_money<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&money_string(*d)),
        None => s.serialize_none(),
    }
}

/// Serialises an amount as a string.
pub(crate) fn ser_money<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&money_string(*d))
}

impl Serialize for FineRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("FineRange", 4)?;
        st.serialize_field("lower", &Money(self.lower))?;
        st.serialize_field("lower_inclusive", &self.lower_inclusive)?;
        st.serialize_field("upper", &self.upper.map(Money))?;
        st.serialize_field("upper_inclusive", &self.upper_inclusive)?;
        st.end()
    }
}

impl FineRange {
    /// The single amount `x`.
    pub fn point(x: Decimal) -> FineRange {
        FineRange {
            lower: x,
            lower_inclusive: true,
            upper: Some(x),
            upper_inclusive: true,
        }
    }

    /// `[lower, upper]`, both inclusive.
    pub fn closed(lower: Decimal, upper: Decimal) -> FineRange {
        FineRange {
            lower,
            lower_inclusive: true,
            upper: Some(upper),
            upper_inclusive: true,
        }
    }

    /// The single amount if the range is one point.
    pub fn as_point(&self) -> Option<Decimal> {
        match self.upper {
            Some(u)
                if self.lower_inclusive
                    && self.upper_inclusive
                    && cmp_dec(u, self.lower) == Ordering::Equal =>
            {
                Some(u)
            }
            _ => None,
        }
    }

    /// Whether `x` lies in the range.
    pub fn contains(&self, x: Decimal) -> bool {
        let above = x > self.lower || (self.lower_inclusive && x == self.lower);
        let below = match self.upper {
            None => true,
            Some(u) => x < u || (self.upper_inclusive && x == u),
        };
        above && below
    }

    /// Whether the range holds no amount at all.
    pub fn is_empty(&self) -> bool {
        match self.upper {
            None => false,
            Some(u) => {
                u < self.lower
                    || (u == self.lower && !(self.lower_inclusive && self.upper_inclusive))
            }
        }
    }

    /// Whether every amount of `inner` lies in `self`.
    pub fn contains_range(&self, inner: &FineRange) -> bool {
        if inner.is_empty() {
            return true;
        }
        lower_cmp(
            self.lower,
            self.lower_inclusive,
            inner.lower,
            inner.lower_inclusive,
        ) != Ordering::Greater
            && upper_cmp(
                self.upper,
                self.upper_inclusive,
                inner.upper,
                inner.upper_inclusive,
            ) != Ordering::Less
    }

    /// The smallest range containing both.
    pub fn hull(&self, other: &FineRange) -> FineRange {
        let (lower, lower_inclusive) = match lower_cmp(
            self.lower,
            self.lower_inclusive,
            other.lower,
            other.lower_inclusive,
        ) {
            Ordering::Greater => (other.lower, other.lower_inclusive),
            _ => (self.lower, self.lower_inclusive),
        };
        let (upper, upper_inclusive) = match upper_cmp(
            self.upper,
            self.upper_inclusive,
            other.upper,
            other.upper_inclusive,
        ) {
            Ordering::Less => (other.upper, other.upper_inclusive),
            _ => (self.upper, self.upper_inclusive),
        };
        FineRange {
            lower,
            lower_inclusive,
            upper,
            upper_inclusive,
        }
    }

    /// Orders ranges by severity: upper end first (unbounded is highest),
    /// then lower end. Used for 第二十九条 (the higher fine) and 从旧兼从轻.
    pub fn severity_cmp(&self, other: &FineRange) -> Ordering {
        upper_cmp(
            self.upper,
            self.upper_inclusive,
            other.upper,
            other.upper_inclusive,
        )
        .then(lower_cmp(
            self.lower,
            self.lower_inclusive,
            other.lower,
            other.lower_inclusive,
        ))
    }

    /// The band of this range: shares of its width. An unbounded range gives a
    /// sound hull (from the lower end up). `None` on overflow.
    pub fn band(&self, band: &Band) -> Option<FineRange> {
        let lo_share = band.lower.value;
        let hi_share = band.upper.value;
        if lo_share.is_zero()
            && hi_share == Decimal::ONE
            && band.lower.inclusive
            && band.upper.inclusive
        {
            return Some(*self);
        }
        let Some(upper) = self.upper else {
            if hi_share.is_zero() {
                return Some(FineRange {
                    lower: self.lower,
                    lower_inclusive: self.lower_inclusive,
                    upper: Some(self.lower),
                    upper_inclusive: self.lower_inclusive,
                });
            }
            return Some(*self);
        };
        let width = upper.checked_sub(self.lower)?;
        if width.is_zero() {
            return Some(*self);
        }
        let end_inclusive = |share: Decimal, own: bool| -> bool {
            if share.is_zero() {
                own && self.lower_inclusive
            } else if share == Decimal::ONE {
                own && self.upper_inclusive
            } else {
                own
            }
        };
        let lower = self.lower.checked_add(width.checked_mul(lo_share)?)?;
        let upper = self.lower.checked_add(width.checked_mul(hi_share)?)?;
        let mut lower_inclusive = end_inclusive(lo_share, band.lower.inclusive);
        let mut upper_inclusive = end_inclusive(hi_share, band.upper.inclusive);
        if lower == upper {
            // A point band (`中值`, `上限`) is the point itself.
            lower_inclusive = true;
            upper_inclusive = true;
        }
        Some(FineRange {
            lower,
            lower_inclusive,
            upper: Some(upper),
            upper_inclusive,
        })
    }

    /// Clamps into `limits` (the statutory range). With `lower_too == false`
    /// only the upper end is clamped (减轻 goes below the minimum). A range
    /// entirely outside collapses to the nearest end of `limits`. Returns the
    /// clamped range and whether it changed.
    pub fn clamp_to(&self, limits: &FineRange, lower_too: bool) -> (FineRange, bool) {
        let mut out = *self;
        let mut moved = false;
        if lower_too
            && lower_cmp(
                out.lower,
                out.lower_inclusive,
                limits.lower,
                limits.lower_inclusive,
            ) == Ordering::Less
        {
            out.lower = limits.lower;
            out.lower_inclusive = limits.lower_inclusive;
            moved = true;
        }
        if upper_cmp(
            out.upper,
            out.upper_inclusive,
            limits.upper,
            limits.upper_inclusive,
        ) == Ordering::Greater
        {
            out.upper = limits.upper;
            out.upper_inclusive = limits.upper_inclusive;
            moved = true;
        }
        if !moved {
            // Both ends inside: unchanged (the common case, two comparisons).
            return (out, false);
        }
        if out.is_empty() && !self.is_empty() {
            // Entirely outside: the nearest end of the limits.
            let below = match self.upper {
                Some(u) => u < limits.lower || (u == limits.lower && !limits.lower_inclusive),
                None => false,
            };
            out = if below || limits.upper.is_none() {
                FineRange {
                    lower: limits.lower,
                    lower_inclusive: limits.lower_inclusive,
                    upper: Some(limits.lower),
                    upper_inclusive: limits.lower_inclusive,
                }
            } else {
                let u = limits.upper.unwrap_or(limits.lower);
                FineRange {
                    lower: u,
                    lower_inclusive: limits.upper_inclusive,
                    upper: Some(u),
                    upper_inclusive: limits.upper_inclusive,
                }
            };
        }
        let changed = out != *self;
        (out, changed)
    }

    /// Rounds both ends per the ruleset's rounding (half away from zero).
    pub fn rounded(&self, rounding: Rounding) -> FineRange {
        if rounding == Rounding::Exact {
            return *self;
        }
        FineRange {
            lower: round(self.lower, rounding),
            upper: self.upper.map(|u| round(u, rounding)),
            ..*self
        }
    }
}

/// `Decimal` ordering, fast for the amounts and quantities of cases: equal
/// scales compare mantissas; different scales rescale the coarser mantissa
/// in `i128` (exact; `Decimal::cmp` on overflow). Same result as `a.cmp(&b)`.
#[inline]
pub(crate) fn cmp_dec(a: Decimal, b: Decimal) -> Ordering {
    let (sa, sb) = (a.scale(), b.scale());
    let (ma, mb) = (a.mantissa(), b.mantissa());
    if sa == sb {
        return ma.cmp(&mb);
    }
    let scaled = |m: i128, by: u32| pow10(by).and_then(|p| m.checked_mul(p));
    if sa < sb {
        if let Some(x) = scaled(ma, sb - sa) {
            return x.cmp(&mb);
        }
    } else if let Some(y) = scaled(mb, sa - sb) {
        return ma.cmp(&y);
    }
    a.cmp(&b)
}

/// `10^n` for the scales a `Decimal` has (0–28), from a table.
#[inline]
pub(crate) fn pow10(n: u32) -> Option<i128> {
    const P: [i128; 29] = [
        1,
        10,
        100,
        1000,
        10000,
        100000,
        1000000,
        10000000,
        100000000,
        1000000000,
        10000000000,
        100000000000,
        1000000000000,
        10000000000000,
        100000000000000,
        1000000000000000,
        10000000000000000,
        100000000000000000,
        1000000000000000000,
        10000000000000000000,
        100000000000000000000,
        1000000000000000000000,
        10000000000000000000000,
        100000000000000000000000,
        1000000000000000000000000,
        10000000000000000000000000,
        100000000000000000000000000,
        1000000000000000000000000000,
        10000000000000000000000000000,
    ];
    P.get(n as usize).copied()
}

/// Compares two lower ends: `Less` when `a` admits smaller amounts.
fn lower_cmp(a: Decimal, a_inc: bool, b: Decimal, b_inc: bool) -> Ordering {
    cmp_dec(a, b).then(match (a_inc, b_inc) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => Ordering::Equal,
    })
}

/// Compares two upper ends: `Greater` when `a` admits larger amounts.
fn upper_cmp(a: Option<Decimal>, a_inc: bool, b: Option<Decimal>, b_inc: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => cmp_dec(a, b).then(match (a_inc, b_inc) {
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ => Ordering::Equal,
        }),
    }
}

/// Rounds an amount per the ruleset's policy (四舍五入).
pub fn round(d: Decimal, rounding: Rounding) -> Decimal {
    let s = RoundingStrategy::MidpointAwayFromZero;
    match rounding {
        Rounding::Exact => d,
        Rounding::Fen => d.round_dp_with_strategy(2, s),
        Rounding::Jiao => d.round_dp_with_strategy(1, s),
        Rounding::Yuan => d.round_dp_with_strategy(0, s),
        Rounding::Hundred => round_to(d, Decimal::ONE_HUNDRED),
        Rounding::Thousand => round_to(d, Decimal::ONE_THOUSAND),
    }
}

fn round_to(d: Decimal, unit: Decimal) -> Decimal {
    d.checked_div(unit)
        .map(|q| q.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .and_then(|q| q.checked_mul(unit))
        .unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bound;
    use crate::syntax::ast::BandReference;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn band(lo: &str, hi: &str) -> Band {
        Band {
            reference: BandReference::Grade,
            lower: Bound {
                value: d(lo),
                inclusive: true,
            },
            upper: Bound {
                value: d(hi),
                inclusive: true,
            },
        }
    }

    #[test]
    fn bands_of_a_range() {
        let r = FineRange::closed(d("100000"), d("200000"));
        assert_eq!(
            r.band(&band("0", "0.3")).unwrap(),
            FineRange::closed(d("100000"), d("130000"))
        );
        assert_eq!(
            r.band(&band("0.5", "0.5")).unwrap().as_point(),
            Some(d("150000"))
        );
        let max_only = FineRange {
            lower: d("0"),
            lower_inclusive: false,
            upper: Some(d("50000")),
            upper_inclusive: true,
        };
        let l = max_only.band(&band("0", "0.2")).unwrap();
        assert!(!l.lower_inclusive);
        assert_eq!(l.upper, Some(d("10000")));
    }

    #[test]
    fn clamp_and_hull() {
        let s = FineRange::closed(d("100000"), d("1000000"));
        let (c, changed) = FineRange::closed(d("10000"), d("50000")).clamp_to(&s, true);
        assert!(changed);
        assert_eq!(c.as_point(), Some(d("100000")));
        let (c, changed) = FineRange::closed(d("50000"), d("200000")).clamp_to(&s, true);
        assert!(changed);
        assert_eq!(c, FineRange::closed(d("100000"), d("200000")));
        let (c, _) = FineRange::closed(d("50000"), d("80000")).clamp_to(&s, false);
        assert_eq!(c, FineRange::closed(d("50000"), d("80000")));
        let h = FineRange::point(d("1")).hull(&FineRange::point(d("5")));
        assert_eq!(h, FineRange::closed(d("1"), d("5")));
        assert!(h.contains_range(&FineRange::point(d("3"))));
        assert_eq!(money_string(d("1200.5")), "1200.50");
        assert_eq!(money_string(d("130000.00")), "130000");
        assert_eq!(round(d("1234.5"), Rounding::Yuan), d("1235"));
        assert_eq!(round(d("1250"), Rounding::Hundred), d("1300"));
    }
}

#[cfg(test)]
mod cmp_dec_tests {
    use super::cmp_dec;
    use rust_decimal::Decimal;

    #[test]
    fn agrees_with_decimal_ordering() {
        let xs = [
            "0",
            "-0",
            "0.0",
            "1",
            "1.0",
            "-1",
            "100",
            "100.00",
            "99.99",
            "100.01",
            "-100.5",
            "250.3",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7922816251426433759354395033.5",
            "1e-28",
        ];
        let ds: Vec<Decimal> = xs
            .iter()
            .map(|s| s.parse().or_else(|_| Decimal::from_scientific(s)).unwrap())
            .collect();
        for a in &ds {
            for b in &ds {
                assert_eq!(cmp_dec(*a, *b), a.cmp(b), "{a} vs {b}");
            }
        }
    }
}
