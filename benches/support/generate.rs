//! Deterministic generators: cases and N-matter rulesets.

use super::Graded;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// xorshift64*: deterministic, no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn add_months((y, m, d): (i32, u8, u8), n: u32) -> (i32, u8, u8) {
    let total = y * 12 + i32::from(m) - 1 + n as i32;
    (total / 12, (total % 12 + 1) as u8, d)
}

/// `n` cases of the graded matter with every fact known: areas 0–400 m² in
/// tenths (1 in 20 exactly on the 100 m² boundary), both zones, 5 % minor
/// (no penalty), 30 % lighter, 30 % heavier (some both), about 8 % past the
/// 2-year limitation.
pub fn graded_cases(n: usize, seed: u64) -> Vec<Graded> {
    let mut r = Rng::new(seed);
    (0..n)
        .map(|_| {
            let area = if r.chance(5) {
                Decimal::ONE_HUNDRED
            } else {
                Decimal::new(r.below(4000) as i64, 1)
            };
            let act = (
                2021 + r.below(4) as i32,
                1 + r.below(12) as u8,
                1 + r.below(28) as u8,
            );
            let discovery = add_months(act, r.below(27) as u32);
            let decision = add_months(discovery, r.below(3) as u32);
            Graded {
                area: Some(area),
                zone: r.below(2) as u8,
                minor: r.chance(5),
                light: r.chance(30),
                heavy: r.chance(30),
                act,
                discovery,
                decision,
            }
        })
        .collect()
}

/// Most matters per generated file: a single file of 10,000 matters
/// exceeds the parser's call limit (see BENCHMARKS.md), so larger rulesets
/// are a main file including parts, as a real one would be.
pub const PER_FILE: usize = 2_000;

/// A generated ruleset of `n` matters as files: (name, text), main first.
pub fn n_matter_files(
    n: usize,
    level: &str,
    refines: Option<&str>,
    narrow: bool,
) -> Vec<(String, String)> {
    if n <= PER_FILE {
        return vec![(
            "gen.rules".to_string(),
            n_matter_ruleset(n, level, refines, narrow),
        )];
    }
    let mut main = n_matter_ruleset(0, level, refines, narrow);
    let mut files = Vec::new();
    for (k, start) in (0..n).step_by(PER_FILE).enumerate() {
        let name = format!("gen-part{k}.rules");
        let _ = writeln!(main, "引用 \"{name}\"");
        files.push((name, matters(start, (start + PER_FILE).min(n), narrow)));
    }
    files.insert(0, ("gen.rules".to_string(), main));
    files
}

/// The text of a ruleset with `n` graded matters (each with its own facts
/// and 4 grades), at `level`, refining `refines` if given. With `narrow`
/// the grades' fines are the upper half of the superior's (a valid
/// refinement).
pub fn n_matter_ruleset(n: usize, level: &str, refines: Option<&str>, narrow: bool) -> String {
    let mut s = String::with_capacity(n * 700 + 1000);
    s.push_str("规则集 \"生成的基准（");
    let _ = write!(s, "{n} 个事项）\" {{\n  层级 {level}\n");
    if let Some(r) = refines {
        let _ = writeln!(s, "  细化 \"{r}\"");
    }
    s.push_str("  边界 以上含本数 以下含本数\n}\n\n");
    s.push_str("事实 {\n  主动消除危害后果: 是否 默认 否\n  拒不改正: 是否 默认 否\n}\n\n");
    s.push_str("情节 主动消除 \"主动消除或者减轻违法行为危害后果\" {\n  应当 从轻\n  当 主动消除危害后果\n}\n\n");
    s.push_str("情节 拒不改正 \"经责令改正拒不改正\" {\n  应当 从重\n  当 拒不改正\n}\n\n");
    s.push_str(&matters(0, n, narrow));
    s
}

/// Matters `from..to` of a generated ruleset.
fn matters(from: usize, to: usize, narrow: bool) -> String {
    let mut s = String::with_capacity((to - from) * 700);
    for i in from..to {
        // Fines in 万: statute [1, 10 + i%5]; grades split it in four.
        let top = 10 + (i % 5) as i64;
        let cut = [1, 3, 5, 8, top];
        let _ = writeln!(s, "事项 G-{i} \"生成的事项第{i}项\" {{");
        let _ = writeln!(s, "  处罚依据 \"《生成条例》第{i}条\"");
        s.push_str("  事实 {\n    面积: 数量 平方米\n    区域: 枚举(一般区域, 重点区域)\n  }\n");
        let _ = writeln!(s, "  法定 {{\n    罚款 1万 至 {top}万\n  }}");
        let conds = [
            "面积 不满100平方米 且 区域 = 一般区域",
            "面积 不满100平方米 且 区域 = 重点区域",
            "面积 达到100平方米 且 区域 = 一般区域",
            "面积 达到100平方米 且 区域 = 重点区域",
        ];
        for (g, cond) in conds.iter().enumerate() {
            let (lo, hi) = (cut[g] * 10_000, cut[g + 1] * 10_000);
            let lo = if narrow { (lo + hi) / 2 } else { lo };
            let _ = writeln!(s, "  阶次 {} 当 {cond} {{ 罚款 {lo}元 至 {hi}元 }}", g + 1);
        }
        s.push_str("}\n\n");
    }
    s
}
