//! Table analysis of one ruleset (codes `V01xx`).

use super::outcome::{self, Ctx, FineOut, Res, grade_label, statute_at};
use super::space::{Point, Space, SpaceBuilder};
use super::{Finding, Options, SideResult, Witness, WitnessCase, case_doc, diag, show};
use crate::model::{
    Cond, FactType, FineRule, Grade, Guard, ListItem, Matter, Ruleset, Statute, Table, Weighted,
};
use crate::syntax::ast::Modality;
use crate::value::Date;
use std::collections::BTreeMap;

/// Adds the conditions a fine rule reads (switch guards).
pub(crate) fn add_fine_conds(b: &mut SpaceBuilder, side: usize, rs: &Ruleset, rule: &FineRule) {
    if let FineRule::Switch(arms) = rule {
        for a in arms {
            if let Guard::When(c) = &a.guard {
                b.add_cond(side, rs, c);
            }
            if let Some(r) = &a.fine {
                add_fine_conds(b, side, rs, r);
            }
        }
    }
}

/// Adds the conditions of conditional sanctions (`并处 … 当 …`).
fn add_sanction_conds(
    b: &mut SpaceBuilder,
    side: usize,
    rs: &Ruleset,
    others: &[crate::model::OtherSanction],
) {
    for o in others {
        if let Some(c) = &o.when {
            b.add_cond(side, rs, c);
        }
    }
}

/// Adds everything a matter's table reads.
pub(crate) fn add_matter(b: &mut SpaceBuilder, side: usize, rs: &Ruleset, m: &Matter) {
    for s in &m.statutes {
        if let Some(f) = &s.fine {
            add_fine_conds(b, side, rs, &f.rule);
        }
        add_sanction_conds(b, side, rs, &s.others);
    }
    match &m.table {
        Table::None => {}
        Table::Graded(gs) => {
            for g in gs {
                if let Guard::When(c) = &g.guard {
                    b.add_cond(side, rs, c);
                }
                if let Some(f) = &g.fine {
                    add_fine_conds(b, side, rs, &f.rule);
                }
                add_sanction_conds(b, side, rs, &g.others);
            }
        }
        Table::Weighted(w) => {
            for f in &w.factors {
                for l in &f.levels {
                    if let Guard::When(c) = &l.guard {
                        b.add_cond(side, rs, c);
                    }
                }
            }
        }
    }
}

/// One witness case of one ruleset.
pub(crate) fn one_case(
    space: &Space,
    matter: &str,
    p: &Point,
    date: Option<Date>,
    results: Vec<SideResult>,
) -> WitnessCase {
    WitnessCase {
        case: case_doc(matter, space.values(p), date),
        results,
    }
}

/// One side's result (a grade's, or none) for a witness.
pub(crate) fn side(who: &str, r: Option<&Res>) -> SideResult {
    match r {
        Some(r) => SideResult {
            who: who.to_string(),
            grade: r.grade.map(|_| r.label.clone()),
            result: r.describe(),
        },
        None => SideResult {
            who: who.to_string(),
            grade: None,
            result: "无阶次适用（没有基准）".to_string(),
        },
    }
}

/// Findings keyed for de-duplication across analysis dates.
#[derive(Default)]
struct Found(BTreeMap<(String, usize, usize), Finding>);

impl Found {
    fn has(&self, code: &str, a: usize, b: usize) -> bool {
        self.0.contains_key(&(code.to_string(), a, b))
    }
    fn put(&mut self, code: &str, a: usize, b: usize, f: Finding) {
        self.0.entry((code.to_string(), a, b)).or_insert(f);
    }
}

/// Runs the table analysis.
pub(crate) fn analyse(rs: &Ruleset, opts: &Options, out: &mut Vec<Finding>) {
    for m in &rs.matters {
        match &m.table {
            Table::Graded(gs) => graded(rs, m, gs, opts, out),
            Table::Weighted(w) => weighted(rs, m, w, opts, out),
            Table::None => {}
        }
    }
    lists(rs, opts, out);
}

fn too_big(space: &Space, opts: &Options) -> Option<String> {
    match space.size() {
        Some(n) if n <= opts.max_cells => None,
        n => Some(format!(
            "{} 个事实区域（上限 {}）",
            n.map(|n| n.to_string()).unwrap_or_else(|| "过多".into()),
            opts.max_cells
        )),
    }
}

fn incomplete(m: &Matter, why: String) -> Finding {
    Finding::new(
        diag(
            "V0100",
            format!(
                "事项 {} 的阶次表分析未完成：条件把事实空间切成了{why}；本事项的空缺、重叠与单调性未检查",
                m.id
            ),
        )
        .with_primary(m.span, "事项")
        .with_note("请拆分条件或减少相互独立的事实；分析不做猜测"),
        Some(&m.id),
    )
}

fn strides(space: &Space) -> Vec<usize> {
    let mut s = vec![1usize; space.dims.len()];
    for k in (0..space.dims.len()).rev() {
        if k + 1 < space.dims.len() {
            let next = s.get(k + 1).copied().unwrap_or(1);
            let len = space.dims.get(k + 1).map(|d| d.cells.len()).unwrap_or(1);
            if let Some(slot) = s.get_mut(k) {
                *slot = next.saturating_mul(len);
            }
        }
    }
    s
}

fn graded(rs: &Ruleset, m: &Matter, grades: &[Grade], opts: &Options, out: &mut Vec<Finding>) {
    let mut b = SpaceBuilder::new(1);
    add_matter(&mut b, 0, rs, m);
    let space = b.build();
    if let Some(why) = too_big(&space, opts) {
        out.push(incomplete(m, why));
        return;
    }
    let st = strides(&space);
    let mut found = Found::default();
    let mut ever_matched = vec![false; grades.len()];
    let mut first_selected: Vec<Option<(Point, Option<Date>)>> = vec![None; grades.len()];
    let mut shadow_point: Vec<Option<(Point, Option<Date>, usize)>> = vec![None; grades.len()];
    let has_otherwise = grades.iter().any(|g| matches!(g.guard, Guard::Otherwise));
    for date in outcome::analysis_dates(rs, m) {
        let statute = statute_at(m, date);
        let ctx = Ctx {
            rs,
            side: 0,
            space: &space,
            statute,
        };
        let mut selected: Vec<Option<usize>> = Vec::new();
        let mut points: Vec<Point> = Vec::new();
        space.for_each(|p| {
            let matching = ctx.matching(grades, p);
            let sel = ctx.select(grades, &matching);
            selected.push(sel);
            points.push(p.clone());
            for &i in &matching {
                if let Some(e) = ever_matched.get_mut(i) {
                    *e = true;
                }
                if Some(i) != sel
                    && let (Some(slot), Some(s)) = (shadow_point.get_mut(i), sel)
                    && slot.is_none()
                {
                    *slot = Some((p.clone(), date, s));
                }
            }
            if let Some(s) = sel
                && let Some(slot) = first_selected.get_mut(s)
                && slot.is_none()
            {
                *slot = Some((p.clone(), date));
            }
            if matching.is_empty() && !has_otherwise && !found.has("V0101", 0, 0) {
                let w = Witness {
                    cases: vec![one_case(
                        &space,
                        &m.id,
                        p,
                        date,
                        vec![side("本规则集", None)],
                    )],
                };
                found.put(
                    "V0101",
                    0,
                    0,
                    Finding::new(
                        diag(
                            "V0101",
                            format!(
                                "事项 {} 的阶次没有覆盖全部情形：{} 时没有阶次适用",
                                m.id,
                                space.describe(p)
                            ),
                        )
                        .with_primary(m.span, "事项")
                        .with_secondary(
                            grades.last().map(|g| g.span).unwrap_or(m.span),
                            "可在最后加一个 其他 阶次，或补全条件",
                        ),
                        Some(&m.id),
                    )
                    .with_witness(w),
                );
            }
            if !rs.policy.several_grades_declared && matching.len() >= 2 {
                for (x, &a) in matching.iter().enumerate() {
                    for &bb in matching.iter().skip(x + 1) {
                        if found.has("V0102", a, bb) {
                            continue;
                        }
                        let (ra, rb) = (
                            ctx.grade_result(grades, a, p),
                            ctx.grade_result(grades, bb, p),
                        );
                        let (Some(ra), Some(rb)) = (ra, rb) else {
                            continue;
                        };
                        if ra.fine == rb.fine && ra.others == rb.others {
                            continue;
                        }
                        let w = Witness {
                            cases: vec![one_case(
                                &space,
                                &m.id,
                                p,
                                date,
                                vec![side("其一", Some(&ra)), side("其二", Some(&rb))],
                            )],
                        };
                        found.put(
                            "V0102",
                            a,
                            bb,
                            Finding::new(
                                diag(
                                    "V0102",
                                    format!(
                                        "事项 {} 的{}与{}重叠且结果不同（{} 时两者都适用），而规则集没有声明 多阶次 政策",
                                        m.id,
                                        ra.label,
                                        rb.label,
                                        space.describe(p)
                                    ),
                                )
                                .with_primary(rb.span, "重叠的阶次")
                                .with_secondary(ra.span, "与此阶次重叠")
                                .with_note("请调整条件使阶次互不重叠，或在 政策 中写明 `多阶次: 从重` 或 `多阶次: 首个`"),
                                Some(&m.id),
                            )
                            .with_witness(w),
                        );
                    }
                }
            }
        });
        monotonicity(
            rs, m, grades, &space, &ctx, &st, &points, &selected, date, &mut found,
        );
        statute_minimum(
            m,
            grades,
            &ctx,
            statute,
            date,
            &first_selected,
            &space,
            &mut found,
        );
    }
    // Unreachable and shadowed grades.
    for (i, g) in grades.iter().enumerate() {
        let matched = ever_matched.get(i).copied().unwrap_or(false);
        let sel = first_selected.get(i).is_some_and(Option::is_some);
        if !matched {
            let msg = match g.guard {
                Guard::Otherwise => format!(
                    "事项 {} 的{}（其他）永远不会适用：前面的阶次已覆盖全部情形",
                    m.id,
                    grade_label(g)
                ),
                Guard::When(_) => format!(
                    "事项 {} 的{}永远不会适用：它的条件不可能成立",
                    m.id,
                    grade_label(g)
                ),
            };
            found.put(
                "V0103",
                i,
                0,
                Finding::new(
                    diag("V0103", msg).with_primary(g.span, "不可达的阶次"),
                    Some(&m.id),
                ),
            );
        } else if !sel && let Some(Some((p, date, by))) = shadow_point.get(i) {
            let by_g = grades.get(*by);
            let ctx = Ctx {
                rs,
                side: 0,
                space: &space,
                statute: statute_at(m, *date),
            };
            let ra = ctx.grade_result(grades, i, p);
            let rb = ctx.grade_result(grades, *by, p);
            let w = Witness {
                cases: vec![one_case(
                    &space,
                    &m.id,
                    p,
                    *date,
                    vec![side("该阶次", ra.as_ref()), side("实际适用", rb.as_ref())],
                )],
            };
            let mut d = diag(
                "V0104",
                format!(
                    "事项 {} 的{}虽然条件可以成立，但按 多阶次 政策永远不会被选中（被{}遮蔽）",
                    m.id,
                    grade_label(g),
                    by_g.map(grade_label).unwrap_or_default()
                ),
            )
            .with_primary(g.span, "被遮蔽的阶次");
            if let Some(bg) = by_g {
                d = d.with_secondary(bg.span, "遮蔽它的阶次");
            }
            found.put("V0104", i, 0, Finding::new(d, Some(&m.id)).with_witness(w));
        }
    }
    // Grade order: a later grade lighter than an earlier one.
    for (j, gj) in grades.iter().enumerate() {
        let Some(Some((pj, dj))) = first_selected.get(j) else {
            continue;
        };
        let cj = Ctx {
            rs,
            side: 0,
            space: &space,
            statute: statute_at(m, *dj),
        };
        let Some(rj) = cj.grade_result(grades, j, pj) else {
            continue;
        };
        let FineOut::Iv(fj) = &rj.fine else { continue };
        for (i, _) in grades.iter().enumerate().take(j) {
            let Some(Some((pi, di))) = first_selected.get(i) else {
                continue;
            };
            let ci = Ctx {
                statute: statute_at(m, *di),
                ..cj
            };
            let Some(ri) = ci.grade_result(grades, i, pi) else {
                continue;
            };
            let FineOut::Iv(fi) = &ri.fine else { continue };
            if outcome::lighter(fj, fi) != Some(true) {
                continue;
            }
            let w = Witness {
                cases: vec![
                    one_case(&space, &m.id, pi, *di, vec![side("本规则集", Some(&ri))]),
                    one_case(&space, &m.id, pj, *dj, vec![side("本规则集", Some(&rj))]),
                ],
            };
            found.put(
                "V0105",
                j,
                i,
                Finding::new(
                    diag(
                        "V0105",
                        format!(
                            "事项 {} 的{}排在{}之后（应更重），罚款幅度却更低：{} 对 {}",
                            m.id,
                            rj.label,
                            ri.label,
                            outcome::describe_fine(&rj.fine),
                            outcome::describe_fine(&ri.fine)
                        ),
                    )
                    .with_primary(gj.span, "较后的阶次")
                    .with_secondary(ri.span, "较前的阶次")
                    .with_note("阶次按从轻到重排列；请调整顺序或幅度"),
                    Some(&m.id),
                )
                .with_witness(w),
            );
            break;
        }
    }
    out.extend(found.0.into_values());
}

/// The direction in which a fact aggravates: numbers and enums by their
/// declared order (enum values are declared from lightest to heaviest);
/// booleans by the direction most of the table's transitions take (ties:
/// 是 aggravates).
#[allow(clippy::too_many_arguments)]
fn monotonicity(
    rs: &Ruleset,
    m: &Matter,
    grades: &[Grade],
    space: &Space,
    ctx: &Ctx<'_>,
    st: &[usize],
    points: &[Point],
    selected: &[Option<usize>],
    date: Option<Date>,
    found: &mut Found,
) {
    let _ = rs;
    for (d, dim) in space.dims.iter().enumerate() {
        let stride = st.get(d).copied().unwrap_or(1);
        let mut ups: Vec<(usize, usize)> = Vec::new();
        let mut downs: Vec<(usize, usize)> = Vec::new();
        for (idx, p) in points.iter().enumerate() {
            let Some(Some(a)) = selected.get(idx) else {
                continue;
            };
            // The next cell along this fact where some grade applies.
            let at = p.get(d).copied().unwrap_or(0);
            let mut next: Option<(usize, usize)> = None;
            for k in 1..dim.cells.len().saturating_sub(at) {
                let j = idx + stride * k;
                if let Some(Some(b)) = selected.get(j) {
                    next = Some((j, *b));
                    break;
                }
            }
            let Some((j, b)) = next else { continue };
            let b = &b;
            if b > a {
                ups.push((idx, j));
            } else if b < a {
                downs.push((idx, j));
            }
        }
        let breaks = match dim.ty {
            FactType::Bool if downs.len() > ups.len() => &ups,
            _ => &downs,
        };
        let Some((lo, hi)) = breaks.first() else {
            continue;
        };
        if found.has("V0106", d, 0) {
            continue;
        }
        let (Some(plo), Some(phi)) = (points.get(*lo), points.get(*hi)) else {
            continue;
        };
        let rlo = ctx.result(m, plo);
        let rhi = ctx.result(m, phi);
        let (Some(a), Some(b)) = (rlo.as_ref(), rhi.as_ref()) else {
            continue;
        };
        let (vlo, vhi) = (
            dim.cells.get(plo.get(d).copied().unwrap_or(0)),
            dim.cells.get(phi.get(d).copied().unwrap_or(0)),
        );
        let (vlo, vhi) = (
            vlo.map(|c| c.desc.clone()).unwrap_or_default(),
            vhi.map(|c| c.desc.clone()).unwrap_or_default(),
        );
        let reversed = matches!(dim.ty, FactType::Bool) && downs.len() > ups.len();
        let (heavier_v, lighter_res) = if reversed {
            (vlo.clone(), a)
        } else {
            (vhi.clone(), b)
        };
        let direction = match dim.ty {
            FactType::Bool if downs.len() > ups.len() => "本表多数情形下“否”更重".to_string(),
            FactType::Bool => "本表多数情形下“是”更重".to_string(),
            FactType::Enum(_) => "枚举值按声明顺序从轻到重".to_string(),
            _ => "数值越大越重".to_string(),
        };
        let w = Witness {
            cases: vec![
                one_case(space, &m.id, plo, date, vec![side("本规则集", Some(a))]),
                one_case(space, &m.id, phi, date, vec![side("本规则集", Some(b))]),
            ],
        };
        let sel_a = grades.get(a.grade.unwrap_or(0)).map(|g| g.span);
        let sel_b = grades.get(b.grade.unwrap_or(0)).map(|g| g.span);
        let mut dg = diag(
            "V0106",
            format!(
                "事项 {} 不单调：{} 从 {vlo} 变为 {vhi}，其他事实不变，案件却从{}变为{}（{direction}；{} 为较重一侧，却落入较轻的{}）",
                m.id, dim.name, a.label, b.label, heavier_v, lighter_res.label
            ),
        );
        if let Some(s) = sel_b {
            dg = dg.with_primary(s, "较重事实值落入的阶次");
        }
        if let Some(s) = sel_a {
            dg = dg.with_secondary(s, "较轻事实值落入的阶次");
        }
        found.put("V0106", d, 0, Finding::new(dg, Some(&m.id)).with_witness(w));
    }
}

#[allow(clippy::too_many_arguments)]
fn statute_minimum(
    m: &Matter,
    grades: &[Grade],
    ctx: &Ctx<'_>,
    statute: Option<&Statute>,
    date: Option<Date>,
    first_selected: &[Option<(Point, Option<Date>)>],
    space: &Space,
    found: &mut Found,
) {
    let Some(st) = statute else { return };
    let si = m
        .statutes
        .iter()
        .position(|s| std::ptr::eq(s, st))
        .unwrap_or(0);
    for (i, g) in grades.iter().enumerate() {
        // A grade marked 减轻 lies below the minimum by design.
        if g.reduced {
            continue;
        }
        let Some(Some((p, _))) = first_selected.get(i) else {
            continue;
        };
        let Some(r) = ctx.grade_result(grades, i, p) else {
            continue;
        };
        let FineOut::Iv(gf) = &r.fine else { continue };
        let Some(sf) = ctx.statute_fine(p) else {
            continue;
        };
        if gf.key != sf.key || found.has("V0107", i, si) {
            continue;
        }
        let below = gf.lo.value < sf.lo.value
            || (gf.lo.value == sf.lo.value && gf.lo.inclusive && !sf.lo.inclusive);
        if !below {
            continue;
        }
        let version = match (st.from, st.to) {
            (Some(f), _) => format!("{f} 起施行的"),
            (None, Some(t)) => format!("{t} 前施行的"),
            _ => String::new(),
        };
        let sres = Res {
            label: "法定".to_string(),
            grade: None,
            fine: FineOut::Iv(sf.clone()),
            others: Vec::new(),
            periods: Vec::new(),
            span: st.span,
        };
        let w = Witness {
            cases: vec![one_case(
                space,
                &m.id,
                p,
                date,
                vec![side("本规则集", Some(&r)), side("法定", Some(&sres))],
            )],
        };
        found.put(
            "V0107",
            i,
            si,
            Finding::new(
                diag(
                    "V0107",
                    format!(
                        "事项 {} 的{}罚款下限低于{}法定下限（{} 对 {}）；该版本适用时只能按法定下限处罚{}",
                        m.id,
                        grade_label(g),
                        version,
                        outcome::describe_fine(&r.fine),
                        outcome::describe_iv(&sf),
                        if g.id.contains("减轻") || g.name.as_deref().is_some_and(|n| n.contains("减轻")) {
                            "。该阶次是文件中的减轻处罚档次时，请在阶次名称后写 减轻，其幅度即按文件执行"
                        } else {
                            ""
                        }
                    ),
                )
                .with_primary(g.span, "阶次")
                .with_secondary(st.span, "法定罚款"),
                Some(&m.id),
            )
            .with_witness(w),
        );
    }
}

fn weighted(rs: &Ruleset, m: &Matter, w: &Weighted, opts: &Options, out: &mut Vec<Finding>) {
    let mut b = SpaceBuilder::new(1);
    add_matter(&mut b, 0, rs, m);
    let space = b.build();
    if let Some(why) = too_big(&space, opts) {
        out.push(incomplete(m, why));
        return;
    }
    let mut found = Found::default();
    for (di, date) in outcome::analysis_dates(rs, m).into_iter().enumerate() {
        let statute = statute_at(m, date);
        let ctx = Ctx {
            rs,
            side: 0,
            space: &space,
            statute,
        };
        let mut low: Option<(Point, Res, outcome::FineIv)> = None;
        let mut high: Option<(Point, Res, outcome::FineIv)> = None;
        let mut incomparable = false;
        space.for_each(|p| {
            let Some(r) = ctx.result(m, p) else { return };
            let (FineOut::Iv(f), Some(s)) = (&r.fine, ctx.statute_fine(p)) else {
                return;
            };
            if f.key != s.key {
                incomparable = true;
                return;
            }
            let below = f.lo.value < s.lo.value || (f.lo.value == s.lo.value && !s.lo.inclusive);
            let above = f.hi.value > s.hi.value || (f.hi.value == s.hi.value && !s.hi.inclusive);
            if below && low.as_ref().is_none_or(|(_, _, l)| f.lo.value < l.lo.value) {
                low = Some((p.clone(), r.clone(), s.clone()));
            }
            if above
                && high
                    .as_ref()
                    .is_none_or(|(_, _, h)| f.hi.value > h.hi.value)
            {
                high = Some((p.clone(), r.clone(), s.clone()));
            }
        });
        for (which, hit) in [("低于法定下限", low), ("高于法定上限", high)] {
            let Some((p, r, s)) = hit else { continue };
            let k = if which.starts_with('低') { 0 } else { 1 };
            if found.has("V0108", k, 0) {
                continue;
            }
            let sres = Res {
                label: "法定".to_string(),
                grade: None,
                fine: FineOut::Iv(s.clone()),
                others: Vec::new(),
                periods: Vec::new(),
                span: statute.map(|s| s.span).unwrap_or(m.span),
            };
            let wit = Witness {
                cases: vec![one_case(
                    &space,
                    &m.id,
                    &p,
                    date,
                    vec![side("本规则集", Some(&r)), side("法定", Some(&sres))],
                )],
            };
            found.put(
                "V0108",
                k,
                di,
                Finding::new(
                    diag(
                        "V0108",
                        format!(
                            "事项 {} 的权重模型结果可能{which}：{} 时得到 {}，法定为 {}；求值时将按法定幅度调整并警告",
                            m.id,
                            space.describe(&p),
                            outcome::describe_fine(&r.fine),
                            outcome::describe_iv(&s)
                        ),
                    )
                    .with_primary(w.span, "权重模型")
                    .with_secondary(sres.span, "法定罚款")
                    .with_note(format!(
                        "起始 {}、下限 {}、上限 {}；可提高起始权重或下限（如“不足20%的，按20%计算”）",
                        show::percent(w.start),
                        show::percent(w.floor),
                        show::percent(w.cap)
                    )),
                    Some(&m.id),
                )
                .with_witness(wit),
            );
        }
        if incomparable && !found.has("V0111", 0, 0) {
            found.put(
                "V0111",
                0,
                0,
                Finding::new(
                    diag(
                        "V0111",
                        format!(
                            "事项 {} 的权重模型与法定罚款的计算基数不同，无法精确比较是否超出法定幅度",
                            m.id
                        ),
                    )
                    .with_primary(w.span, "权重模型"),
                    Some(&m.id),
                ),
            );
        }
    }
    out.extend(found.0.into_values());
}

fn scope_within(
    inner: &Option<Vec<crate::model::MatterId>>,
    outer: &Option<Vec<crate::model::MatterId>>,
) -> bool {
    match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(i), Some(o)) => i.iter().all(|x| o.contains(x)),
    }
}

fn item_matter(rs: &Ruleset, it: &ListItem) -> String {
    let id = it
        .scope
        .as_ref()
        .and_then(|s| s.first().copied())
        .or_else(|| (!rs.matters.is_empty()).then_some(crate::model::MatterId(0)));
    id.and_then(|i| rs.matters.get(i.0 as usize))
        .map(|m| m.id.clone())
        .unwrap_or_default()
}

fn lists(rs: &Ruleset, opts: &Options, out: &mut Vec<Finding>) {
    let items: Vec<(usize, usize, &ListItem)> = rs
        .lists
        .iter()
        .enumerate()
        .flat_map(|(li, l)| l.items.iter().enumerate().map(move |(ii, it)| (li, ii, it)))
        .collect();
    for &(li, _ii, it) in &items {
        let Some(list) = rs.lists.get(li) else {
            continue;
        };
        let mut b = SpaceBuilder::new(1);
        b.add_cond(0, rs, &it.when);
        let space = b.build();
        if too_big(&space, opts).is_some() {
            continue;
        }
        let mut sat: Option<Point> = None;
        space.for_each(|p| {
            if sat.is_none() && space.eval(0, &it.when, p) {
                sat = Some(p.clone());
            }
        });
        let Some(_) = sat else {
            out.push(Finding::new(
                diag(
                    "V0109",
                    format!(
                        "清单 {} 的第 {} 项永远不会适用：它的条件（含清单的共同条件）不可能成立",
                        list.id, it.id
                    ),
                )
                .with_primary(it.span, "不可达的清单项")
                .with_secondary(list.span, "清单"),
                None,
            ));
            continue;
        };
        // Shadowed: another item of a list of the same kind covers every
        // case this one covers, with at least its force.
        for &(lj, _jj, other) in &items {
            if std::ptr::eq(other, it) {
                continue;
            }
            let Some(olist) = rs.lists.get(lj) else {
                continue;
            };
            if olist.kind != list.kind || !scope_within(&it.scope, &other.scope) {
                continue;
            }
            if !(other.modality == Modality::Shall || it.modality == Modality::May) {
                continue;
            }
            let mut b = SpaceBuilder::new(1);
            b.add_cond(0, rs, &it.when);
            b.add_cond(0, rs, &other.when);
            let sp = b.build();
            if too_big(&sp, opts).is_some() {
                continue;
            }
            let mut escapes = false;
            let mut back = false;
            let mut example: Option<Point> = None;
            sp.for_each(|p| {
                let a = sp.eval(0, &it.when, p);
                let o = sp.eval(0, &other.when, p);
                if a && !o {
                    escapes = true;
                }
                if o && !a {
                    back = true;
                }
                if a && example.is_none() {
                    example = Some(p.clone());
                }
            });
            if escapes {
                continue;
            }
            // Equivalent items: report only the later one.
            let equivalent =
                !back && scope_within(&other.scope, &it.scope) && other.modality == it.modality;
            let later = (
                lj,
                rs.lists
                    .get(lj)
                    .and_then(|l| l.items.iter().position(|x| std::ptr::eq(x, other))),
            );
            let me = (li, list.items.iter().position(|x| std::ptr::eq(x, it)));
            if equivalent && later > me {
                continue;
            }
            let Some(p) = example else { continue };
            let wit = Witness {
                cases: vec![one_case(
                    &sp,
                    &item_matter(rs, it),
                    &p,
                    rs.meta.effective_from,
                    vec![
                        SideResult {
                            who: format!("清单 {} 第 {} 项", list.id, it.id),
                            grade: None,
                            result: "适用".into(),
                        },
                        SideResult {
                            who: format!("清单 {} 第 {} 项", olist.id, other.id),
                            grade: None,
                            result: "同样适用".into(),
                        },
                    ],
                )],
            };
            out.push(
                Finding::new(
                    diag(
                        "V0110",
                        format!(
                            "清单 {} 的第 {} 项被清单 {} 的第 {} 项覆盖：凡适用前者的情形都适用后者，前者多余",
                            list.id, it.id, olist.id, other.id
                        ),
                    )
                    .with_primary(it.span, "被覆盖的清单项")
                    .with_secondary(other.span, "覆盖它的清单项"),
                    None,
                )
                .with_witness(wit),
            );
            break;
        }
    }
    let _ = Cond::True;
}
