//! Shared by the benchmarks and `tests/bench_smoke.rs`: the benchmark
//! rulesets, a deterministic case generator, the hand-written baseline and
//! the check that the engine and the baseline agree.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cailiang::case::Case;
use cailiang::eval::{EvalOptions, Evaluator, Outcome, Recommendation, evaluate};
use cailiang::model::{FactId, MatterId, Ruleset, Value};
use cailiang::value::Date;
use rust_decimal::Decimal;

pub mod generate;
pub mod hand;
#[cfg(feature = "peers")]
pub mod peers;

/// The DESIGN §7 reference table (B-1: 4 grades by area and zone, a
/// no-penalty rule, lighter/heavier by the lower/upper 30 % of the grade),
/// plus a weighted matter (B-2) and a matter on a 首违不罚 list (B-3).
pub const BENCH_RULESET: &str = r#"规则集 "基准测试：分档事项（DESIGN §7 参照表）" {
  层级 县级
  边界 以上含本数 以下含本数
  政策 {
    从轻: 阶次 0% 至 30%
    从重: 阶次 70% 至 100%
    情节竞合: 抵消
    多阶次: 首个
  }
}

事实 {
  轻微并及时改正: 是否 默认 否 "违法行为轻微并及时改正，没有造成危害后果"
  主动消除危害后果: 是否 默认 否 "主动消除或者减轻违法行为危害后果"
  拒不改正: 是否 默认 否 "经责令改正拒不改正"
  首次违法: 是否 默认 否
  危害后果轻微: 是否 默认 否
}

时效 2年 依据 "《行政处罚法》第三十六条第一款"

情节 轻微不罚 "违法行为轻微并及时改正，没有造成危害后果" {
  应当 不予处罚
  当 轻微并及时改正
  依据 "《行政处罚法》第三十三条第一款"
}

情节 主动消除 "主动消除或者减轻违法行为危害后果" {
  应当 从轻
  当 主动消除危害后果
  依据 "《行政处罚法》第三十二条第（一）项"
}

情节 拒不改正 "经责令改正拒不改正" {
  应当 从重
  当 拒不改正
  依据 "基准第五条"
}

清单 首违不罚 首违不罚清单 "首违不罚事项清单" {
  依据 "基准附件2"
  应当
  条件 首次违法 且 危害后果轻微
  项 1 "首次违法且危害后果轻微" { 事项 B-3 }
}

事项 B-1 "未经许可占用场地" {
  处罚依据 "《某条例》第三十条"
  事实 {
    面积: 数量 平方米 "占用面积"
    区域: 枚举(一般区域, 重点区域) "所在区域"
  }
  法定 {
    罚款 1万 至 10万
  }
  阶次 1 "一般区域，不满100平方米" 当 面积 不满100平方米 且 区域 = 一般区域 { 罚款 1万 至 3万 }
  阶次 2 "重点区域，不满100平方米" 当 面积 不满100平方米 且 区域 = 重点区域 { 罚款 3万 至 5万 }
  阶次 3 "一般区域，100平方米以上" 当 面积 达到100平方米 且 区域 = 一般区域 { 罚款 5万 至 8万 }
  阶次 4 "重点区域，100平方米以上" 当 面积 达到100平方米 且 区域 = 重点区域 { 罚款 8万 至 10万 }
}

事项 B-2 "排放污染物（权重累加）" {
  处罚依据 "《某条例》第三十一条"
  事实 {
    影响程度: 枚举(小, 中, 大, 重大)
    持续时间: 数量 月
    违法次数: 整数
  }
  法定 {
    罚款 3万 至 10万
  }
  权重 {
    起始 30%
    因素 影响 "环境影响程度" {
      当 影响程度 = 小 : 0%
      当 影响程度 = 中 : 6%
      当 影响程度 = 大 : 18%
      当 影响程度 = 重大 : 32%
    }
    因素 持续 "持续时间" {
      当 持续时间 不足3个月 : 0%
      当 持续时间 达到3个月 不足12个月 : 11%
      其他 : 26%
    }
    因素 次数 "两年内违法次数" {
      当 违法次数 = 1 : 0%
      当 违法次数 = 2 : 5%
      其他 : 12%
    }
    上限 100%
    乘以 法定上限
  }
}

事项 B-3 "未按规定报送资料" {
  处罚依据 "《某条例》第三十二条"
  法定 {
    罚款 2000元 至 1万元
  }
}
"#;

/// The ids the benchmarks need, looked up once.
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub graded: MatterId,
    pub weighted: MatterId,
    pub listed: MatterId,
    pub minor: FactId,
    pub light: FactId,
    pub heavy: FactId,
    pub first: FactId,
    pub slight: FactId,
    pub area: FactId,
    pub zone: FactId,
    pub impact: FactId,
    pub months: FactId,
    pub times: FactId,
}

fn fact(rs: &Ruleset, name: &str, owner: Option<MatterId>) -> FactId {
    let i = rs
        .facts
        .iter()
        .position(|f| f.name == name && f.owner == owner)
        .unwrap_or_else(|| panic!("fact {name}"));
    FactId(u32::try_from(i).unwrap())
}

/// Loads a ruleset text (no includes), panicking with its diagnostics.
pub fn load(name: &str, text: &str) -> Ruleset {
    let loaded = cailiang::load::load(name, text, &|_| None);
    match loaded.ruleset {
        Some(rs) => rs,
        None => panic!("{name}: {:#?}", loaded.diagnostics),
    }
}

/// The benchmark ruleset and its ids.
pub fn bench_ruleset() -> (Ruleset, Ids) {
    let rs = load("bench.rules", BENCH_RULESET);
    let m = |id: &str| *rs.matter_index.get(id).unwrap();
    let (graded, weighted, listed) = (m("B-1"), m("B-2"), m("B-3"));
    let ids = Ids {
        graded,
        weighted,
        listed,
        minor: fact(&rs, "轻微并及时改正", None),
        light: fact(&rs, "主动消除危害后果", None),
        heavy: fact(&rs, "拒不改正", None),
        first: fact(&rs, "首次违法", None),
        slight: fact(&rs, "危害后果轻微", None),
        area: fact(&rs, "面积", Some(graded)),
        zone: fact(&rs, "区域", Some(graded)),
        impact: fact(&rs, "影响程度", Some(weighted)),
        months: fact(&rs, "持续时间", Some(weighted)),
        times: fact(&rs, "违法次数", Some(weighted)),
    };
    (rs, ids)
}

/// A generated case of the graded matter, in plain data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Graded {
    /// `None`: not known (partial facts).
    pub area: Option<Decimal>,
    /// 0 一般区域, 1 重点区域.
    pub zone: u8,
    pub minor: bool,
    pub light: bool,
    pub heavy: bool,
    /// (year, month, day), day ≤ 28.
    pub act: (i32, u8, u8),
    pub discovery: (i32, u8, u8),
    pub decision: (i32, u8, u8),
}

fn date((y, m, d): (i32, u8, u8)) -> Date {
    Date::new(y, m, d).unwrap()
}

/// The engine's case for a generated one.
pub fn graded_case(rs: &Ruleset, ids: &Ids, g: &Graded) -> Case {
    let mut c = Case::new(rs, ids.graded);
    if let Some(a) = g.area {
        c.set(ids.area, Value::Number(a));
    }
    c.set(ids.zone, Value::Enum(u16::from(g.zone)));
    c.set(ids.minor, Value::Bool(g.minor));
    c.set(ids.light, Value::Bool(g.light));
    c.set(ids.heavy, Value::Bool(g.heavy));
    c.act_date = Some(date(g.act));
    c.discovery_date = Some(date(g.discovery));
    c.decision_date = Some(date(g.decision));
    c
}

/// What is compared between implementations: the outcome, the grade and
/// the fine range with its open/closed ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Summary {
    /// 0 time-barred, 1 no penalty, 2 may waive, 3 penalty.
    pub outcome: u8,
    /// The grade's label as a number (1–4).
    pub grade: Option<u8>,
    /// lower, lower inclusive, upper, upper inclusive.
    pub fine: Option<(Decimal, bool, Decimal, bool)>,
}

/// The engine's result in comparable form.
pub fn summarize(r: &Recommendation<'_>) -> Summary {
    Summary {
        outcome: match r.outcome {
            Outcome::TimeBarred => 0,
            Outcome::NoPenalty => 1,
            Outcome::MayWaive => 2,
            Outcome::Penalty => 3,
        },
        grade: r.grade.map(|g| g.id.parse().unwrap()),
        fine: r.fine.map(|f| {
            (
                f.range.lower.normalize(),
                f.range.lower_inclusive,
                f.range.upper.unwrap().normalize(),
                f.range.upper_inclusive,
            )
        }),
    }
}

/// Normalizes decimals so that `3.0` and `3` compare equal.
pub fn normalized(s: Summary) -> Summary {
    Summary {
        fine: s
            .fine
            .map(|(a, ai, b, bi)| (a.normalize(), ai, b.normalize(), bi)),
        ..s
    }
}

/// Evaluates with the engine (trace off) and summarizes.
pub fn engine_summary(rs: &Ruleset, case: &Case) -> Summary {
    summarize(&evaluate(rs, case, &EvalOptions::default()).unwrap())
}

/// Checks that the engine and the hand-written logic agree on every case;
/// returns how many cases fell in each outcome (to show the cases cover
/// every path).
pub fn check_hand_agrees(rs: &Ruleset, ids: &Ids, cases: &[Graded]) -> [usize; 4] {
    let mut per = [0usize; 4];
    for (i, g) in cases.iter().enumerate() {
        let e = engine_summary(rs, &graded_case(rs, ids, g));
        let h = normalized(hand::evaluate(g));
        assert_eq!(e, h, "case {i}: {g:?}");
        per[usize::from(e.outcome)] += 1;
    }
    per
}

/// Checks that the compiled form (`Evaluator`) gives exactly the engine's
/// result on every case and takes its fast path for every case of the
/// graded matter whose facts are all known; returns how many took it.
pub fn check_compiled_agrees(rs: &Ruleset, ids: &Ids, cases: &[Graded]) -> usize {
    let ev = Evaluator::new(rs);
    assert!(
        ev.is_compiled(ids.graded),
        "the graded matter is not compiled"
    );
    let off = EvalOptions::default();
    let mut fast = 0;
    for (i, g) in cases.iter().enumerate() {
        let case = graded_case(rs, ids, g);
        let taken = ev.takes_fast_path(&case, &off);
        assert_eq!(
            taken,
            g.area.is_some(),
            "case {i}: fast path taken: {taken}; {g:?}"
        );
        fast += usize::from(taken);
        let a = ev.evaluate(&case, &off).unwrap();
        let b = evaluate(rs, &case, &off).unwrap();
        assert_eq!(a, b, "case {i}: {g:?}");
    }
    fast
}

/// Loads generated files (main first), panicking with the diagnostics.
pub fn load_files(files: &[(String, String)]) -> Ruleset {
    let (name, main) = &files[0];
    let read = |p: &str| files.iter().find(|(n, _)| n == p).map(|(_, t)| t.clone());
    let loaded = cailiang::load::load(name, main, &read);
    match loaded.ruleset {
        Some(rs) => rs,
        None => panic!("{name}: {:#?}", loaded.diagnostics),
    }
}
