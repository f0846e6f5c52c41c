//! The physical limit: the graded matter B-1 written by hand in plain Rust
//! with `rust_decimal` — no ruleset, no interpretation, no trace.

use super::{Graded, Summary};
use rust_decimal::Decimal;

const GRADES: [(i64, i64); 4] = [
    (10_000, 30_000),
    (30_000, 50_000),
    (50_000, 80_000),
    (80_000, 100_000),
];

/// Evaluates a generated case of B-1 (all facts known).
#[inline(never)]
pub fn evaluate(g: &Graded) -> Summary {
    // 时效 2年 (行政处罚法 第三十六条): generated days are ≤ 28, so adding
    // 24 months is adding 2 to the year.
    let (y, m, d) = g.act;
    if g.discovery > (y + 2, m, d) {
        return Summary {
            outcome: 0,
            grade: None,
            fine: None,
        };
    }
    if g.minor {
        return Summary {
            outcome: 1,
            grade: None,
            fine: None,
        };
    }
    let Some(area) = g.area else {
        return Summary {
            outcome: 3,
            grade: None,
            fine: None,
        };
    };
    let big = area >= Decimal::ONE_HUNDRED;
    let grade = usize::from(big) * 2 + usize::from(g.zone);
    let (lo, hi) = GRADES[grade];
    let (lo, hi) = (Decimal::from(lo), Decimal::from(hi));
    let width = hi - lo;
    let (a, b) = match (g.light, g.heavy) {
        (true, false) => (lo, lo + width * Decimal::new(3, 1)),
        (false, true) => (lo + width * Decimal::new(7, 1), hi),
        _ => (lo, hi),
    };
    Summary {
        outcome: 3,
        grade: Some(grade as u8 + 1),
        fine: Some((a, true, b, true)),
    }
}
