//! Refinement check of a township ruleset against its superior (`V02xx`).
//!
//! Side 0 of every space is the township, side 1 the superior; facts are
//! matched by name and type.

use super::outcome::{self, Ctx, FineOut, statute_at, within};
use super::space::{Point, SpaceBuilder};
use super::table::{add_fine_conds, add_matter, one_case};
use super::{Finding, Options, SideResult, Witness, diag, show};
use crate::model::{
    Band, Circumstance, Cond, FineRule, List, ListItem, Matter, MatterId, Ruleset, Statute, Table,
};
use crate::source::Span;
use crate::syntax::ast::Modality;
use crate::value::Date;
use std::collections::{BTreeMap, BTreeSet};

const T: &str = "下级规则集";
const S: &str = "上级规则集";

use super::table::side;

fn text(who: &str, result: impl Into<String>) -> SideResult {
    SideResult {
        who: who.to_string(),
        grade: None,
        result: result.into(),
    }
}

/// Runs the refinement check.
pub(crate) fn validate(t: &Ruleset, s: &Ruleset, opts: &Options, out: &mut Vec<Finding>) {
    dates(t, s, out);
    policies(t, s, out);
    for sm in &s.matters {
        if !t.matter_index.contains_key(&sm.id) {
            out.push(Finding::new(
                diag(
                    "V0201",
                    format!(
                        "上级的事项 {} 在下级规则集中没有细化；将直接适用上级基准",
                        sm.id
                    ),
                )
                .with_primary(t.meta.span, "下级规则集")
                .with_secondary(sm.span, "上级的事项"),
                Some(&sm.id),
            ));
        }
    }
    for tm in &t.matters {
        let Some(sm) = s
            .matter_index
            .get(&tm.id)
            .and_then(|i| s.matters.get(i.0 as usize))
        else {
            out.push(Finding::new(
                diag(
                    "V0202",
                    format!(
                        "下级的事项 {} 在上级规则集中不存在，无法核对它是否超出上级划定的阶次或幅度",
                        tm.id
                    ),
                )
                .with_primary(tm.span, "下级的事项")
                .with_secondary(s.meta.span, "上级规则集"),
                Some(&tm.id),
            ));
            continue;
        };
        matter(t, s, tm, sm, opts, out);
        grade_up(t, s, tm, sm, out);
        special_grades(tm, sm, out);
    }
    lists(t, s, opts, out);
}

/// The circumstances covering a matter (ruleset-level ones, then its own).
fn covering<'a>(rs: &'a Ruleset, m: &'a Matter) -> impl Iterator<Item = &'a Circumstance> {
    m.circumstances
        .iter()
        .filter_map(|&i| rs.circumstances.get(i))
        .chain(m.own_circumstances.iter())
}

/// V0215: a township grade marked 减轻, or deciding no penalty (不予处罚 /
/// 免予处罚), where the superior's matter has no such grade: the township
/// may not open a 减轻 or no-penalty row its superior does not have (the
/// region comparison V0204 also reports where its result leaves the
/// superior's, e.g. a widened 减轻 range).
fn special_grades(tm: &Matter, sm: &Matter, out: &mut Vec<Finding>) {
    let (Table::Graded(tg), Table::Graded(sg)) = (&tm.table, &sm.table) else {
        return;
    };
    let sup_reduced = sg.iter().any(|g| g.reduced);
    let sup_free = sg.iter().any(|g| g.no_penalty.is_some());
    for g in tg {
        let what = if g.reduced && !sup_reduced {
            "减轻处罚阶次"
        } else if g.no_penalty.is_some() && !sup_free {
            "不予处罚阶次"
        } else {
            continue;
        };
        out.push(Finding::new(
            diag(
                "V0215",
                format!(
                    "下级事项 {} 的阶次 {} 是{what}，而上级的事项没有这样的阶次：下级不能超出上级划定的阶次；请删除该阶次，或核对上级基准",
                    tm.id, g.id
                ),
            )
            .with_primary(g.span, "下级的阶次")
            .with_secondary(sm.span, "上级的事项"),
            Some(&tm.id),
        ));
    }
}

/// V0214: 上调一个档次 moves a case into the township's next grade, which
/// the region comparison (V0204) never sees: where the superior has no such
/// adjustment (or only a discretionary one for a mandatory one here), the
/// township may punish above the superior's grade for that fact region.
/// 本档最高限度 / 本档较低限 stay inside the township's grade, which V0204
/// keeps inside the superior's.
fn grade_up(t: &Ruleset, s: &Ruleset, tm: &Matter, sm: &Matter, out: &mut Vec<Finding>) {
    use crate::syntax::ast::Effect;
    if !matches!(tm.table, Table::Graded(_)) {
        return;
    }
    let sup: Vec<Modality> = covering(s, sm)
        .filter(|c| c.effect == Effect::GradeUp)
        .map(|c| c.modality)
        .collect();
    for c in covering(t, tm).filter(|c| c.effect == Effect::GradeUp) {
        let covered = sup
            .iter()
            .any(|m| *m == Modality::Shall || c.modality == Modality::May);
        if covered {
            continue;
        }
        let modal = if c.modality == Modality::Shall {
            "应当"
        } else {
            "可以"
        };
        out.push(Finding::new(
            diag(
                "V0214",
                format!(
                    "下级事项 {} 的情节 {} 规定{modal}上调一个档次，而上级没有{}：上调后的阶次可能超出上级对同一情形划定的阶次或幅度；请删除该情节，或核对上级是否另有依据",
                    tm.id,
                    c.id,
                    if sup.is_empty() {
                        "这样的规定"
                    } else {
                        "应当上调的规定"
                    }
                ),
            )
            .with_primary(c.span, "下级的上调一个档次")
            .with_secondary(sm.span, "上级的事项"),
            Some(&tm.id),
        ));
    }
}

fn version_text(st: &Statute) -> String {
    match (st.from, st.to) {
        (Some(f), Some(t)) => format!("{f} 至 {t}"),
        (Some(f), None) => format!("{f} 起"),
        (None, Some(t)) => format!("至 {t}"),
        (None, None) => "不限日期".to_string(),
    }
}

/// A statute version's sanctions in comparable words (fact names, not ids).
fn statute_sig(rs: &Ruleset, st: &Statute) -> String {
    let fine = st
        .fine
        .as_ref()
        .map(|f| format!("{:?} {}", f.modality, rule_sig(rs, &f.rule)))
        .unwrap_or_default();
    let mut others: Vec<String> = st
        .others
        .iter()
        .map(|o| format!("{:?} {} {}", o.modality, o.name, o.needs_approval))
        .collect();
    others.sort();
    format!(
        "{:?}|{:?}|{fine}|{}|{}",
        st.from,
        st.to,
        others.join(","),
        st.not_punishable
    )
}

fn rule_sig(rs: &Ruleset, r: &FineRule) -> String {
    let amount = |a: &crate::model::Amount| match a {
        crate::model::Amount::Fixed(d) => d.normalize().to_string(),
        crate::model::Amount::OfBase {
            base,
            floor,
            factor,
            cap,
        } => format!(
            "{}x{}>{:?}<{:?}",
            fact_name(rs, *base),
            factor.normalize(),
            floor.map(|f| f.normalize()),
            cap.map(|c| c.normalize())
        ),
        crate::model::Amount::Product { money, count, cap } => format!(
            "{}*{}<{:?}",
            fact_name(rs, *money),
            fact_name(rs, *count),
            cap.map(|c| c.normalize())
        ),
    };
    match r {
        FineRule::Range { lower, upper } => format!(
            "[{} {}{}]",
            lower
                .as_ref()
                .map(|l| format!("{}{}", amount(&l.value), l.inclusive))
                .unwrap_or_default(),
            amount(&upper.value),
            upper.inclusive
        ),
        FineRule::Exact(a) => amount(a),
        FineRule::StatuteBand { lower, upper } => format!("band {lower:?} {upper:?}"),
        FineRule::MaximumBand { lower, upper } => format!("max band {lower:?} {upper:?}"),
        FineRule::Switch(arms) => arms
            .iter()
            .map(|a| {
                let g = match &a.guard {
                    crate::model::Guard::When(c) => cond_sig(rs, c),
                    crate::model::Guard::Otherwise => "otherwise".into(),
                };
                format!(
                    "{g}:{}",
                    a.fine.as_ref().map(|f| rule_sig(rs, f)).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join(";"),
    }
}

fn cond_sig(rs: &Ruleset, c: &Cond) -> String {
    match c {
        Cond::True => "true".into(),
        Cond::Bool { fact, value } => format!("{}={value}", fact_name(rs, *fact)),
        Cond::Enum { fact, values } => format!("{} in {values:?}", fact_name(rs, *fact)),
        Cond::Number { fact, interval, .. } => format!("{} {interval:?}", fact_name(rs, *fact)),
        Cond::Date { fact, interval } => format!("{} {interval:?}", fact_name(rs, *fact)),
        Cond::And(cs) => format!(
            "and({})",
            cs.iter()
                .map(|c| cond_sig(rs, c))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Cond::Or(cs) => format!(
            "or({})",
            cs.iter()
                .map(|c| cond_sig(rs, c))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Cond::Not(c) => format!("not({})", cond_sig(rs, c)),
    }
}

fn fact_name(rs: &Ruleset, f: crate::model::FactId) -> String {
    rs.facts
        .get(f.0 as usize)
        .map(|d| d.name.clone())
        .unwrap_or_default()
}

fn statutes(t: &Ruleset, s: &Ruleset, tm: &Matter, sm: &Matter, out: &mut Vec<Finding>) {
    let n = tm.statutes.len().max(sm.statutes.len());
    for i in 0..n {
        let (ts, ss) = (tm.statutes.get(i), sm.statutes.get(i));
        let same = match (ts, ss) {
            (Some(a), Some(b)) => statute_sig(t, a) == statute_sig(s, b),
            _ => false,
        };
        if same {
            continue;
        }
        // A witness: the statutory fine on the version's first day.
        let date = ts.or(ss).and_then(|v| v.from).or(t.meta.effective_from);
        let mut b = SpaceBuilder::new(2);
        for (side, rs, st) in [(0usize, t, ts), (1, s, ss)] {
            if let Some(f) = st.and_then(|v| v.fine.as_ref()) {
                add_fine_conds(&mut b, side, rs, &f.rule);
            }
        }
        let space = b.build();
        let mut witness_point: Option<Point> = None;
        let fine_at = |rs: &Ruleset, side: usize, st: Option<&Statute>, p: &Point| -> String {
            let ctx = Ctx {
                rs,
                side,
                space: &space,
                statute: st,
            };
            match st {
                None => "（无此法定版本）".to_string(),
                Some(v) => {
                    let f = match &v.fine {
                        None => FineOut::NoFine,
                        Some(f) => ctx.fine(&f.rule, p),
                    };
                    format!("{}：{}", version_text(v), outcome::describe_fine(&f))
                }
            }
        };
        if space.size().is_some_and(|n| n <= 100_000) {
            space.for_each(|p| {
                if witness_point.is_none() && fine_at(t, 0, ts, p) != fine_at(s, 1, ss, p) {
                    witness_point = Some(p.clone());
                }
            });
        }
        let p = witness_point.unwrap_or_else(|| vec![0; space.dims.len()]);
        let w = Witness {
            cases: vec![one_case(
                &space,
                &tm.id,
                &p,
                date,
                vec![
                    text(T, fine_at(t, 0, ts, &p)),
                    text(S, fine_at(s, 1, ss, &p)),
                ],
            )],
        };
        let mut d = diag(
            "V0203",
            format!(
                "事项 {} 的法定处罚（第 {} 个法定版本）与上级规则集不一致；法定幅度由法律规定，细化时不能改变",
                tm.id,
                i + 1
            ),
        )
        .with_primary(ts.map(|v| v.span).unwrap_or(tm.span), "下级的法定处罚");
        d = d.with_secondary(ss.map(|v| v.span).unwrap_or(sm.span), "上级的法定处罚");
        out.push(Finding::new(d, Some(&tm.id)).with_witness(w));
        break;
    }
}

/// Township facts read by the table that the superior's matter lacks.
fn facts_read(rs: &Ruleset, m: &Matter) -> BTreeSet<String> {
    let mut b = SpaceBuilder::new(1);
    add_matter(&mut b, 0, rs, m);
    b.build().dims.into_iter().map(|d| d.name).collect()
}

struct Agg {
    finding: Finding,
    count: usize,
}

fn matter(
    t: &Ruleset,
    s: &Ruleset,
    tm: &Matter,
    sm: &Matter,
    opts: &Options,
    out: &mut Vec<Finding>,
) {
    statutes(t, s, tm, sm, out);
    let sup_names: BTreeSet<String> = sm.facts.keys().cloned().collect();
    for name in facts_read(t, tm) {
        if sup_names.contains(&name) {
            continue;
        }
        let span = tm
            .facts
            .get(&name)
            .and_then(|f| t.facts.get(f.0 as usize))
            .map(|f| f.span)
            .unwrap_or(tm.span);
        out.push(Finding::new(
            diag(
                "V0211",
                format!(
                    "下级事项 {} 按事实 {name} 细化，上级没有这一事实；已按 {name} 的每一种取值分别与上级结果比较。若它是上级某事实的更细划分（如更细的枚举），语言目前无法表达这种对应，请核对",
                    tm.id
                ),
            )
            .with_primary(span, "下级新增的事实")
            .with_secondary(sm.span, "上级的事项"),
            Some(&tm.id),
        ));
    }
    let mut b = SpaceBuilder::new(2);
    add_matter(&mut b, 0, t, tm);
    add_matter(&mut b, 1, s, sm);
    if !b.conflicts.is_empty() {
        for c in &b.conflicts {
            let tspan = tm
                .facts
                .get(&c.name)
                .and_then(|f| t.facts.get(f.0 as usize))
                .map(|f| f.span)
                .unwrap_or(tm.span);
            let sspan = sm
                .facts
                .get(&c.name)
                .and_then(|f| s.facts.get(f.0 as usize))
                .map(|f| f.span)
                .unwrap_or(sm.span);
            out.push(Finding::new(
                diag(
                    "V0212",
                    format!(
                        "事项 {} 的事实 {} 在下级与上级规则集中类型不同，无法对应；本事项的分区域比较未进行（不做猜测）",
                        tm.id, c.name
                    ),
                )
                .with_primary(tspan, "下级的声明")
                .with_secondary(sspan, "上级的声明")
                .with_note("请使用与上级相同的事实名称和类型；更细的划分请另起一个事实"),
                Some(&tm.id),
            ));
        }
        return;
    }
    let space = b.build();
    match space.size() {
        Some(n) if n <= opts.max_cells => {}
        n => {
            out.push(Finding::new(
                diag(
                    "V0200",
                    format!(
                        "事项 {} 的细化分析未完成：两级条件把事实空间切成了 {} 个区域（上限 {}）；本事项是否超出上级阶次与幅度未检查",
                        tm.id,
                        n.map(|n| n.to_string()).unwrap_or_else(|| "过多".into()),
                        opts.max_cells
                    ),
                )
                .with_primary(tm.span, "下级的事项")
                .with_secondary(sm.span, "上级的事项"),
                Some(&tm.id),
            ));
            return;
        }
    }
    let mut found: BTreeMap<(&'static str, String), Agg> = BTreeMap::new();
    // Township grade → superior grade → first point where they meet.
    let mut crossing: BTreeMap<usize, BTreeMap<usize, (Point, Option<Date>)>> = BTreeMap::new();
    // Dated inside both effective periods where they overlap, so that the
    // witness is a case both rulesets are in force for.
    let mut dates: Vec<Option<Date>> = Vec::new();
    for d in outcome::analysis_dates(t, tm) {
        let d = match (d, s.meta.effective_from) {
            (Some(a), Some(b)) if a < b && t.meta.effective_to.is_none_or(|e| b <= e) => Some(b),
            (d, _) => d,
        };
        if !dates.contains(&d) {
            dates.push(d);
        }
    }
    for date in dates {
        let tc = Ctx {
            rs: t,
            side: 0,
            space: &space,
            statute: statute_at(tm, date),
        };
        let sc = Ctx {
            rs: s,
            side: 1,
            space: &space,
            statute: statute_at(sm, date),
        };
        space.for_each(|p| {
            let Some(sr) = sc.result(sm, p) else { return };
            let tr = tc.result(tm, p);
            if let (Some(tr), Some(tg), Some(sg)) = (&tr, tr.as_ref().and_then(|r| r.grade), sr.grade)
            {
                let _ = tr;
                crossing
                    .entry(tg)
                    .or_default()
                    .entry(sg)
                    .or_insert_with(|| (p.clone(), date));
            }
            let problem: Option<(&'static str, String)> = match &tr {
                None => Some((
                    "V0204",
                    "下级没有阶次适用，上级有基准".to_string(),
                )),
                Some(tr) => match (&tr.fine, &sr.fine) {
                    (FineOut::Iv(a), FineOut::Iv(b)) => match within(a, b) {
                        Some(true) => None,
                        Some(false) => Some((
                            "V0204",
                            format!(
                                "下级罚款 {} 超出上级同一情形的罚款 {}",
                                outcome::describe_iv(a),
                                outcome::describe_iv(b)
                            ),
                        )),
                        None => Some((
                            "V0213",
                            "两级罚款的计算基数不同（固定金额与倍数，或不同的基数或保底），无法精确比较".to_string(),
                        )),
                    },
                    (FineOut::NoFine, FineOut::NoFine) => None,
                    (FineOut::NoFine, FineOut::Iv(_)) => Some((
                        "V0204",
                        "下级不罚款，上级同一情形应当罚款".to_string(),
                    )),
                    (FineOut::Iv(_), FineOut::NoFine) => Some((
                        "V0204",
                        "下级罚款，上级同一情形不罚款".to_string(),
                    )),
                    (FineOut::Unknown(w), _) | (_, FineOut::Unknown(w)) => {
                        Some(("V0213", format!("无法精确计算：{w}")))
                    }
                }
                .or_else(|| {
                    let t_must: BTreeSet<&String> =
                        tr.others.iter().filter(|o| o.1).map(|o| &o.0).collect();
                    let s_must: BTreeSet<&String> =
                        sr.others.iter().filter(|o| o.1).map(|o| &o.0).collect();
                    let s_all: BTreeSet<&String> = sr.others.iter().map(|o| &o.0).collect();
                    let t_all: BTreeSet<&String> = tr.others.iter().map(|o| &o.0).collect();
                    if !s_must.is_subset(&t_must) || !t_all.is_subset(&s_all) {
                        Some((
                            "V0204",
                            "下级的其他处罚（并处、可以并处）与上级同一情形不一致".to_string(),
                        ))
                    } else {
                        // A township period must stay inside the superior's
                        // period for the same sanction (days and months are
                        // not compared with each other).
                        tr.periods.iter().find_map(|(name, tp)| {
                            sr.periods
                                .iter()
                                .filter(|(n, sp)| n == name && tp.commensurable(sp))
                                .find(|(_, sp)| !tp.inside(sp))
                                .map(|(_, sp)| {
                                    (
                                        "V0204",
                                        format!(
                                            "下级{name}的期限 {} 超出上级同一情形的期限 {}",
                                            tp.text(),
                                            sp.text()
                                        ),
                                    )
                                })
                        })
                    }
                }),
            };
            let Some((code, why)) = problem else { return };
            let key = (
                code,
                format!(
                    "{}|{}|{why}",
                    tr.as_ref().map(|r| r.label.clone()).unwrap_or_default(),
                    sr.label
                ),
            );
            if let Some(a) = found.get_mut(&key) {
                a.count += 1;
                return;
            }
            let w = Witness {
                cases: vec![one_case(
                    &space,
                    &tm.id,
                    p,
                    date,
                    vec![side(T, tr.as_ref()), side(S, Some(&sr))],
                )],
            };
            let tlabel = tr
                .as_ref()
                .map(|r| r.label.clone())
                .unwrap_or_else(|| "（无阶次）".into());
            let msg = format!(
                "事项 {}：{} 时，{why}（下级{}，上级{}）；细化不能超出上级划定的阶次或幅度",
                tm.id,
                space.describe(p),
                tlabel,
                sr.label
            );
            let d = diag(code, msg)
                .with_primary(tr.as_ref().map(|r| r.span).unwrap_or(tm.span), "下级的结果")
                .with_secondary(sr.span, "上级的结果");
            found.insert(
                key,
                Agg {
                    finding: Finding::new(d, Some(&tm.id)).with_witness(w),
                    count: 1,
                },
            );
        });
    }
    for (_, mut a) in found {
        if a.count > 1 {
            a.finding
                .diagnostic
                .notes
                .push(format!("同类情形共 {} 个事实区域，只举一例", a.count));
        }
        out.push(a.finding);
    }
    // Grade boundaries crossing the superior's.
    let (Table::Graded(tg), Table::Graded(sg)) = (&tm.table, &sm.table) else {
        return;
    };
    for (ti, sups) in crossing {
        if sups.len() < 2 {
            continue;
        }
        let mut it = sups.iter();
        let (Some((s1, (p1, d1))), Some((s2, (p2, d2)))) = (it.next(), it.next()) else {
            continue;
        };
        let (Some(tgrade), Some(g1), Some(g2)) = (tg.get(ti), sg.get(*s1), sg.get(*s2)) else {
            continue;
        };
        let res = |p: &Point, d: &Option<Date>| {
            let tc = Ctx {
                rs: t,
                side: 0,
                space: &space,
                statute: statute_at(tm, *d),
            };
            let sc = Ctx {
                rs: s,
                side: 1,
                space: &space,
                statute: statute_at(sm, *d),
            };
            vec![
                side(T, tc.result(tm, p).as_ref()),
                side(S, sc.result(sm, p).as_ref()),
            ]
        };
        let w = Witness {
            cases: vec![
                one_case(&space, &tm.id, p1, *d1, res(p1, d1)),
                one_case(&space, &tm.id, p2, *d2, res(p2, d2)),
            ],
        };
        let names: Vec<String> = sups
            .keys()
            .filter_map(|i| sg.get(*i).map(outcome::grade_label))
            .collect();
        out.push(
            Finding::new(
                diag(
                    "V0205",
                    format!(
                        "事项 {} 下级的{}跨越了上级的阶次界限：同一下级阶次内的案件分属上级的{}",
                        tm.id,
                        outcome::grade_label(tgrade),
                        names.join("、")
                    ),
                )
                .with_primary(tgrade.span, "下级的阶次")
                .with_secondary(g1.span, "上级的阶次")
                .with_secondary(g2.span, "上级的另一阶次")
                .with_note("下级阶次应在上级阶次之内再细分，不能把上级不同阶次的案件并入同一阶次"),
                Some(&tm.id),
            )
            .with_witness(w),
        );
    }
}

fn dates(t: &Ruleset, s: &Ruleset, out: &mut Vec<Finding>) {
    let matter = t.matters.first().map(|m| m.id.clone()).unwrap_or_default();
    let witness = |d: Date, sres: &str| Witness {
        cases: vec![super::WitnessCase {
            case: super::case_doc(&matter, BTreeMap::new(), Some(d)),
            results: vec![text(T, "施行中"), text(S, sres)],
        }],
    };
    let (tf, tt, sf, st) = (
        t.meta.effective_from,
        t.meta.effective_to,
        s.meta.effective_from,
        s.meta.effective_to,
    );
    if let Some(sf) = sf
        && tf.is_none_or(|tf| tf < sf)
    {
        let d = tf.or_else(|| sf.add_days(-1));
        let mut f = Finding::new(
            diag(
                "V0208",
                format!(
                    "下级规则集的施行日期（{}）早于上级规则集（{sf}）；上级施行前下级没有可细化的基准",
                    tf.map(|d| d.to_string()).unwrap_or_else(|| "未写明".into())
                ),
            )
            .with_primary(t.meta.span, "下级的施行期间")
            .with_secondary(s.meta.span, "上级的施行期间"),
            None,
        );
        if let Some(d) = d {
            f = f.with_witness(witness(d, "尚未施行"));
        }
        out.push(f);
    }
    if let Some(st) = st
        && tt.is_none_or(|tt| tt > st)
    {
        let d = st.add_days(1);
        let mut f = Finding::new(
            diag(
                "V0208",
                format!(
                    "下级规则集的失效日期（{}）晚于上级规则集（{st}）；上级失效后下级基准失去依据",
                    tt.map(|d| d.to_string()).unwrap_or_else(|| "未写明".into())
                ),
            )
            .with_primary(t.meta.span, "下级的施行期间")
            .with_secondary(s.meta.span, "上级的施行期间"),
            None,
        );
        if let Some(d) = d {
            f = f.with_witness(witness(d, "已失效"));
        }
        out.push(f);
    }
}

/// A policy value in the language's own words.
fn zh_policy(debug: &str) -> String {
    let w = match debug {
        "Exact" => "不取整",
        "Fen" => "分",
        "Jiao" => "角",
        "Yuan" => "元",
        "Hundred" => "百元",
        "Thousand" => "千元",
        "Heavier" => "从重",
        "First" => "首个",
        "Ask" => "询问",
        "Offset" => "抵消",
        "LighterPrevails" => "从轻优先",
        "HeavierPrevails" => "从重优先",
        "Lowest" => "最低",
        "AllLevels" => "全部",
        "All" => "全部",
        "Any" => "任一",
        "None" => "无",
        other => other,
    };
    w.to_string()
}

fn band_within(t: &Band, s: &Band) -> bool {
    t.reference == s.reference
        && (t.lower.value > s.lower.value
            || (t.lower.value == s.lower.value && (!t.lower.inclusive || s.lower.inclusive)))
        && (t.upper.value < s.upper.value
            || (t.upper.value == s.upper.value && (!t.upper.inclusive || s.upper.inclusive)))
}

fn band_text(b: &Band) -> String {
    let r = match b.reference {
        crate::syntax::ast::BandReference::Grade => "阶次",
        crate::syntax::ast::BandReference::Statute => "法定",
        crate::syntax::ast::BandReference::StatutoryMaximum => "法定上限",
    };
    format!(
        "{r} {} 至 {}",
        show::percent(b.lower.value),
        show::percent(b.upper.value)
    )
}

fn policy_span(rs: &Ruleset, key: &str) -> Span {
    rs.policy.spans.get(key).copied().unwrap_or(rs.meta.span)
}

fn policies(t: &Ruleset, s: &Ruleset, out: &mut Vec<Finding>) {
    let (tp, sp) = (&t.policy, &s.policy);
    let bands: [(&str, &str, Band, Band); 6] = [
        ("lighter", "从轻", tp.lighter, sp.lighter),
        ("ordinary", "一般", tp.ordinary, sp.ordinary),
        ("heavier", "从重", tp.heavier, sp.heavier),
        (
            "max_only_lighter",
            "仅有上限从轻",
            tp.max_only_lighter.unwrap_or(tp.lighter),
            sp.max_only_lighter.unwrap_or(sp.lighter),
        ),
        (
            "max_only_ordinary",
            "仅有上限一般",
            tp.max_only_ordinary.unwrap_or(tp.ordinary),
            sp.max_only_ordinary.unwrap_or(sp.ordinary),
        ),
        (
            "max_only_heavier",
            "仅有上限从重",
            tp.max_only_heavier.unwrap_or(tp.heavier),
            sp.max_only_heavier.unwrap_or(sp.heavier),
        ),
    ];
    for (i, (key, zh, tb, sb)) in bands.into_iter().enumerate() {
        let declared = match i {
            3 => tp.max_only_lighter.is_some() || sp.max_only_lighter.is_some(),
            4 => tp.max_only_ordinary.is_some() || sp.max_only_ordinary.is_some(),
            5 => tp.max_only_heavier.is_some() || sp.max_only_heavier.is_some(),
            _ => true,
        };
        if !declared || band_within(&tb, &sb) {
            continue;
        }
        out.push(Finding::new(
            diag(
                "V0209",
                format!(
                    "下级的 {zh} 政策（{}）超出上级的 {zh}（{}）；适用该情节的案件结果会超出上级的幅度",
                    band_text(&tb),
                    band_text(&sb)
                ),
            )
            .with_primary(policy_span(t, key), "下级的政策")
            .with_secondary(policy_span(s, key), "上级的政策")
            .with_note("下级可以把幅度定得更窄，不能更宽或改用另一参照"),
            None,
        ));
    }
    let others: [(&str, &str, String, String); 8] = [
        (
            "reduced_floor",
            "减轻下限",
            format!("{:?}", tp.reduced_floor),
            format!("{:?}", sp.reduced_floor),
        ),
        (
            "mixed",
            "情节竞合",
            format!("{:?}", tp.mixed),
            format!("{:?}", sp.mixed),
        ),
        (
            "several_grades",
            "多阶次",
            format!("{:?}", tp.several_grades),
            format!("{:?}", sp.several_grades),
        ),
        (
            "unknown_factor",
            "未知因素",
            format!("{:?}", tp.unknown_factor),
            format!("{:?}", sp.unknown_factor),
        ),
        (
            "reduced_requires",
            "减轻条件",
            format!("{:?}", tp.reduced_requires),
            format!("{:?}", sp.reduced_requires),
        ),
        (
            "lighter_requires",
            "从轻条件",
            format!("{:?}", tp.lighter_requires),
            format!("{:?}", sp.lighter_requires),
        ),
        (
            "heavier_requires",
            "从重条件",
            format!("{:?}", tp.heavier_requires),
            format!("{:?}", sp.heavier_requires),
        ),
        (
            "rounding",
            "取整",
            format!("{:?}", tp.rounding),
            format!("{:?}", sp.rounding),
        ),
    ];
    for (key, zh, a, b) in others {
        if a == b {
            continue;
        }
        out.push(Finding::new(
            diag(
                "V0210",
                format!(
                    "下级的 {zh} 政策与上级不同（{} 对 {}），可能改变处罚结果；请核对是否有上级授权",
                    zh_policy(&a),
                    zh_policy(&b)
                ),
            )
            .with_primary(policy_span(t, key), "下级的政策")
            .with_secondary(policy_span(s, key), "上级的政策"),
            None,
        ));
    }
    let (tb, sb) = (t.meta.boundaries, s.meta.boundaries);
    if (tb.above_inclusive, tb.below_inclusive) != (sb.above_inclusive, sb.below_inclusive) {
        let word = |b: bool| if b { "含本数" } else { "不含本数" };
        out.push(Finding::new(
            diag(
                "V0210",
                format!(
                    "下级的 边界 约定（以上{}、以下{}）与上级（以上{}、以下{}）不同；同样的“以上/以下”写法在两级文件中含义不同",
                    word(tb.above_inclusive),
                    word(tb.below_inclusive),
                    word(sb.above_inclusive),
                    word(sb.below_inclusive)
                ),
            )
            .with_primary(t.meta.span, "下级的边界约定")
            .with_secondary(s.meta.span, "上级的边界约定")
            .with_note("各阶次已按各自约定换算为精确区间后逐区域比较，真正的差异会另行报告（V0204）"),
            None,
        ));
    }
}

fn scope_codes(rs: &Ruleset, sc: &Option<Vec<MatterId>>) -> Option<BTreeSet<String>> {
    sc.as_ref().map(|ids| {
        ids.iter()
            .filter_map(|i| rs.matters.get(i.0 as usize).map(|m| m.id.clone()))
            .collect()
    })
}

fn subset(a: &Option<BTreeSet<String>>, b: &Option<BTreeSet<String>>) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a.is_subset(b),
    }
}

fn kind_text(k: crate::syntax::ast::ListKind) -> &'static str {
    use crate::syntax::ast::ListKind as K;
    match k {
        K::NoPenalty => "不予处罚",
        K::Lighter => "从轻处罚",
        K::Reduced => "减轻处罚",
        K::FirstOffence => "首违不罚",
    }
}

fn item_matter(rs: &Ruleset, it: &ListItem) -> String {
    it.scope
        .as_ref()
        .and_then(|s| s.first())
        .and_then(|i| rs.matters.get(i.0 as usize))
        .or(rs.matters.first())
        .map(|m| m.id.clone())
        .unwrap_or_default()
}

fn applies(list: &List, it: &ListItem) -> String {
    let m = match it.modality {
        Modality::Shall => "应当",
        Modality::May => "可以",
    };
    format!(
        "适用 清单 {} 第 {} 项（{m}{}）",
        list.id,
        it.id,
        kind_text(list.kind)
    )
}

fn lists(t: &Ruleset, s: &Ruleset, opts: &Options, out: &mut Vec<Finding>) {
    for tl in &t.lists {
        let sl = s.lists.iter().find(|l| l.id == tl.id && l.kind == tl.kind);
        let Some(sl) = sl else {
            out.push(Finding::new(
                diag(
                    "V0206",
                    format!(
                        "下级的清单 {}（{}）在上级规则集中没有对应清单；增加{}情形会放宽上级的处罚",
                        tl.id,
                        kind_text(tl.kind),
                        kind_text(tl.kind)
                    ),
                )
                .with_primary(tl.span, "下级新增的清单")
                .with_secondary(s.meta.span, "上级规则集"),
                None,
            ));
            continue;
        };
        let code = if sl.fixed { "V0207" } else { "V0206" };
        for ti in &tl.items {
            let Some(si) = sl.items.iter().find(|i| i.id == ti.id) else {
                out.push(Finding::new(
                    diag(
                        code,
                        format!(
                            "下级清单 {} 的第 {} 项在上级清单中没有{}",
                            tl.id,
                            ti.id,
                            if sl.fixed {
                                "；上级清单不可增减"
                            } else {
                                "；增加清单项会放宽上级的处罚"
                            }
                        ),
                    )
                    .with_primary(ti.span, "下级新增的清单项")
                    .with_secondary(sl.span, "上级的清单"),
                    None,
                ));
                continue;
            };
            item(t, s, tl, ti, sl, si, opts, out);
        }
        if sl.fixed {
            for si in &sl.items {
                if !tl.items.iter().any(|i| i.id == si.id) {
                    out.push(Finding::new(
                        diag(
                            "V0207",
                            format!("上级清单 {} 不可增减，下级清单缺少第 {} 项", sl.id, si.id),
                        )
                        .with_primary(tl.span, "下级的清单")
                        .with_secondary(si.span, "上级的清单项"),
                        None,
                    ));
                }
            }
        }
    }
    for sl in s.lists.iter().filter(|l| l.fixed) {
        if !t.lists.iter().any(|l| l.id == sl.id && l.kind == sl.kind) {
            out.push(Finding::new(
                diag(
                    "V0207",
                    format!(
                        "上级清单 {} 不可增减，下级规则集没有载入它；请用 引用 载入或原样抄录",
                        sl.id
                    ),
                )
                .with_primary(t.meta.span, "下级规则集")
                .with_secondary(sl.span, "上级的清单"),
                None,
            ));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn item(
    t: &Ruleset,
    s: &Ruleset,
    tl: &List,
    ti: &ListItem,
    sl: &List,
    si: &ListItem,
    opts: &Options,
    out: &mut Vec<Finding>,
) {
    let fixed = sl.fixed;
    let code = if fixed { "V0207" } else { "V0206" };
    let (tsc, ssc) = (scope_codes(t, &ti.scope), scope_codes(s, &si.scope));
    let label = |d: crate::diag::Diagnostic| {
        d.with_primary(ti.span, "下级的清单项")
            .with_secondary(si.span, "上级的清单项")
    };
    if !subset(&tsc, &ssc) || (fixed && tsc != ssc) {
        out.push(Finding::new(
            label(diag(
                code,
                format!(
                    "下级清单 {} 第 {} 项适用的事项范围与上级{}",
                    tl.id,
                    ti.id,
                    if subset(&tsc, &ssc) {
                        "不同（上级清单不可增减）"
                    } else {
                        "相比更宽"
                    }
                ),
            )),
            None,
        ));
    }
    if ti.modality != si.modality && (fixed || ti.modality == Modality::Shall) {
        out.push(Finding::new(
            label(diag(
                code,
                format!(
                    "下级清单 {} 第 {} 项的 应当/可以 与上级不同{}",
                    tl.id,
                    ti.id,
                    if fixed {
                        "（上级清单不可增减）"
                    } else {
                        "：把上级的“可以”改成了“应当”"
                    }
                ),
            )),
            None,
        ));
    }
    let mut b = SpaceBuilder::new(2);
    b.add_cond(0, t, &ti.when);
    b.add_cond(1, s, &si.when);
    if !b.conflicts.is_empty() {
        return;
    }
    let space = b.build();
    if space.size().is_none_or(|n| n > opts.max_cells) {
        return;
    }
    let mut wider: Option<Point> = None;
    let mut narrower: Option<Point> = None;
    space.for_each(|p| {
        let (a, c) = (space.eval(0, &ti.when, p), space.eval(1, &si.when, p));
        if a && !c && wider.is_none() {
            wider = Some(p.clone());
        }
        if c && !a && narrower.is_none() {
            narrower = Some(p.clone());
        }
    });
    let date = t.meta.effective_from;
    if let Some(p) = wider {
        let w = Witness {
            cases: vec![one_case(
                &space,
                &item_matter(t, ti),
                &p,
                date,
                vec![text(T, applies(tl, ti)), text(S, "不适用该清单项")],
            )],
        };
        out.push(
            Finding::new(
                label(diag(
                    code,
                    format!(
                        "下级清单 {} 第 {} 项的条件比上级宽：{} 时下级适用、上级不适用",
                        tl.id,
                        ti.id,
                        space.describe(&p)
                    ),
                )),
                None,
            )
            .with_witness(w),
        );
    }
    if fixed && let Some(p) = narrower {
        let w = Witness {
            cases: vec![one_case(
                &space,
                &item_matter(s, si),
                &p,
                date,
                vec![text(T, "不适用该清单项"), text(S, applies(sl, si))],
            )],
        };
        out.push(
            Finding::new(
                label(diag(
                    "V0207",
                    format!(
                        "下级清单 {} 第 {} 项的条件比上级窄（上级清单不可增减）：{} 时上级适用、下级不适用",
                        tl.id,
                        ti.id,
                        space.describe(&p)
                    ),
                )),
                None,
            )
            .with_witness(w),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_nest() {
        let b = |l: i64, u: i64| Band {
            reference: crate::syntax::ast::BandReference::Grade,
            lower: crate::model::Bound {
                value: rust_decimal::Decimal::new(l, 2),
                inclusive: true,
            },
            upper: crate::model::Bound {
                value: rust_decimal::Decimal::new(u, 2),
                inclusive: true,
            },
        };
        assert!(band_within(&b(0, 20), &b(0, 30)));
        assert!(!band_within(&b(0, 40), &b(0, 30)));
    }

    fn load(text: &str) -> Ruleset {
        let l = crate::load::load("x.rules", text, &|_| None);
        l.ruleset.expect("checks")
    }

    #[test]
    fn a_township_grade_up_the_superior_lacks_is_reported() {
        let matter = r#"事项 A "甲" {
  事实 { 程度: 枚举(轻, 重) }
  法定 { 罚款 1万 至 10万 }
  阶次 1 当 程度 = 轻 { 罚款 1万 至 5万 }
  阶次 2 当 程度 = 重 { 罚款 5万 至 10万 }
}"#;
        let head = r#"规则集 "x" { 边界 以上含本数 以下不含本数 }"#;
        let up = |m: &str| {
            format!(
                "情节 再犯 {{ {m} 上调一个档次 }}
"
            )
        };
        let sup = load(&format!(
            "{head}
{matter}"
        ));
        let sup_may = load(&format!(
            "{head}
{}{matter}",
            up("可以")
        ));
        let sup_shall = load(&format!(
            "{head}
{}{matter}",
            up("应当")
        ));
        let town = load(&format!(
            "{head}
{}{matter}",
            up("应当")
        ));
        let town_may = load(&format!(
            "{head}
{}{matter}",
            up("可以")
        ));
        let has = |t: &Ruleset, s: &Ruleset| {
            let mut out = Vec::new();
            validate(t, s, &super::super::Options::default(), &mut out);
            out.iter().any(|f| f.diagnostic.code == "V0214")
        };
        assert!(has(&town, &sup));
        assert!(has(&town, &sup_may));
        assert!(!has(&town, &sup_shall));
        assert!(!has(&town_may, &sup_may));
        assert!(has(&town_may, &sup));
    }
}
