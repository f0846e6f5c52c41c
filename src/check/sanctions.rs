//! Typed non-fine sanctions (行政处罚法 第九条), their periods, and 择一.

use super::fines::FineCtx;
use super::{Checker, Scope};
use crate::diag::Diagnostic;
use crate::model::{
    self, Alternative, Bound, Fine, Interval, OneOf, OtherSanction, SanctionPeriod, Table,
};
use crate::syntax::ast::{self, Literal, LiteralValue, SanctionClause, SanctionKind};
use crate::value::{Dimension, Unit};
use rust_decimal::Decimal;

impl Checker<'_> {
    /// Lowers a non-fine sanction: its kind (a 第九条 word, else a label),
    /// object, period and condition.
    pub(crate) fn other_sanction(
        &mut self,
        o: &ast::OtherSanction,
        scope: Scope<'_>,
    ) -> Option<OtherSanction> {
        let when = match &o.when {
            Some(c) => Some(self.cond(c, scope)?),
            None => None,
        };
        let period = match &o.period {
            Some(p) => Some(self.sanction_period(p, &o.name.value)?),
            None => None,
        };
        let mut display = match &o.object {
            Some(t) => format!("{}{}", o.name.value, t.value),
            None => o.name.value.clone(),
        };
        if let Some(p) = &period {
            display.push_str(&p.text());
        }
        Some(OtherSanction {
            display,
            name: o.name.value.clone(),
            modality: o.modality,
            needs_approval: o.needs_approval,
            when,
            kind: o.kind.or_else(|| SanctionKind::parse(&o.name.value)),
            object: o.object.as_ref().map(|t| t.value.clone()),
            period,
            span: o.span,
        })
    }

    /// A sanction's period: lengths in 日/天, 个月/月 or 年; a bare number
    /// takes the unit of the other end (`1至3年`). Days and months never mix.
    fn sanction_period(&mut self, p: &ast::Period, name: &str) -> Option<SanctionPeriod> {
        let (span, lits): (_, Vec<&Literal>) = match p {
            ast::Period::Exact(l) => (l.span, vec![l]),
            ast::Period::Range(r) => (
                r.span,
                r.lower
                    .iter()
                    .chain(r.upper.iter())
                    .map(|e| &e.value)
                    .collect(),
            ),
        };
        let text = self.text(span);
        let bad = |ck: &mut Checker<'_>, why: &str| {
            ck.emit(
                Diagnostic::error(
                    "E0214",
                    format!(
                        "{name} 的期限 `{text}` {why}；期限须写成 日（天）、个月（月）或 年，例如 `30日 至 60日`、`3个月 至 6个月`、`1年 至 3年`"
                    ),
                )
                .with_primary(span, "期限")
                .with_note("月不是固定的天数：以日计的期限只与以日计的比较，以月（年 = 12个月）计的只与以月计的比较"),
            );
        };
        let mut unit: Option<Unit> = None;
        for l in &lits {
            match &l.value {
                LiteralValue::Quantity(_, u)
                    if matches!(u.dimension, Dimension::Days | Dimension::Months) =>
                {
                    match unit {
                        Some(w) if w.dimension != u.dimension => {
                            bad(self, "把日与月（年）混在一个范围里，无法换算");
                            return None;
                        }
                        Some(_) => {}
                        None => unit = Some(*u),
                    }
                }
                LiteralValue::Quantity(..) => {
                    bad(self, "不是时间长度");
                    return None;
                }
                LiteralValue::Number(_) => {}
                _ => {
                    bad(self, "不是时间长度");
                    return None;
                }
            }
        }
        let Some(unit) = unit else {
            bad(self, "没有单位");
            return None;
        };
        let base = if unit.dimension == Dimension::Days {
            Unit::parse("天")
        } else {
            Unit::parse("月")
        }?;
        let mut conv = |_: &mut Checker<'_>, l: &Literal| -> Option<Decimal> {
            let v = match &l.value {
                LiteralValue::Quantity(v, u) => u.convert(*v, base)?,
                LiteralValue::Number(v) => unit.convert(*v, base)?,
                _ => return None,
            };
            (v >= Decimal::ZERO).then_some(v)
        };
        let range = match p {
            ast::Period::Exact(l) => {
                let v = conv(self, l)?;
                let b = Bound {
                    value: v,
                    inclusive: true,
                };
                Interval {
                    lower: Some(b),
                    upper: Some(b),
                }
            }
            ast::Period::Range(r) => {
                let iv = self.read_range(r, &mut conv)?;
                if iv.upper.is_none() {
                    bad(self, "没有上限");
                    return None;
                }
                Interval {
                    // `5日以下`: above zero, as for a maximum-only fine.
                    lower: iv.lower.or(Some(Bound {
                        value: Decimal::ZERO,
                        inclusive: false,
                    })),
                    upper: iv.upper,
                }
            }
        };
        Some(SanctionPeriod { unit, range })
    }

    /// Lowers `择一 { … }`.
    pub(crate) fn one_of(
        &mut self,
        alternatives: &[SanctionClause],
        span: crate::source::Span,
        scope: Scope<'_>,
        ctx: FineCtx,
        who: &str,
    ) -> Option<OneOf> {
        let mut out = Vec::new();
        let mut ok = true;
        let mut words = Vec::new();
        for a in alternatives {
            match a {
                SanctionClause::Fine {
                    modality,
                    fine,
                    span,
                    ..
                } => match self.fine(fine, scope, ctx) {
                    Some(rule) => {
                        words.push(self.text(*span).split_whitespace().collect::<String>());
                        out.push(Alternative::Fine(Fine {
                            modality: *modality,
                            rule,
                            span: *span,
                        }));
                    }
                    None => ok = false,
                },
                SanctionClause::Other(o) => match self.other_sanction(o, scope) {
                    Some(x) => {
                        words.push(x.display.clone());
                        out.push(Alternative::Other(x));
                    }
                    None => ok = false,
                },
                // The grammar admits only fines and other sanctions.
                SanctionClause::NotPunishable(_)
                | SanctionClause::Exempt(_)
                | SanctionClause::OneOf { .. } => ok = false,
            }
        }
        if out.len() < 2 && ok {
            self.emit(
                Diagnostic::error(
                    "E0315",
                    format!(
                        "{who} 的 择一 只有一项；择一 表示“……或者……”，至少要写两项，例如 `择一 {{ 警告; 罚款 200元以下 }}`。只有一项时请去掉 择一"
                    ),
                )
                .with_primary(span, "只有一项的 择一"),
            );
            return None;
        }
        ok.then(|| OneOf {
            alternatives: out,
            text: words.join("或者"),
            texts: words,
            span,
        })
    }

    /// Grade periods against the statute's period for the same sanction
    /// (E0314 outside every version in force that gives one, W0304 where
    /// days meet months), and grades imposing two alternatives of a
    /// statute's 择一 (W0306).
    pub(crate) fn sanctions_vs_statutes(&mut self, m: &model::Matter) {
        let Table::Graded(grades) = &m.table else {
            return;
        };
        let versions = self.versions_in_force(&m.statutes);
        for g in grades {
            let own = g.others.iter().chain(g.one_of.iter().flat_map(|o| {
                o.alternatives.iter().filter_map(|a| match a {
                    Alternative::Other(x) => Some(x),
                    Alternative::Fine(_) => None,
                })
            }));
            for gs in own {
                let Some(gp) = &gs.period else { continue };
                let mut comparable = 0usize;
                let mut outside: Vec<(SanctionPeriod, crate::source::Span)> = Vec::new();
                let mut other_dim: Option<(SanctionPeriod, crate::source::Span)> = None;
                for s in &versions {
                    for ss in statute_sanctions(s) {
                        let Some(sp) = &ss.period else { continue };
                        if !gs.same_sanction(ss) {
                            continue;
                        }
                        if !gp.commensurable(sp) {
                            other_dim.get_or_insert((*sp, ss.span));
                            continue;
                        }
                        comparable += 1;
                        if !gp.inside(sp) {
                            outside.push((*sp, ss.span));
                        }
                    }
                }
                if comparable == 0 {
                    if let Some((sp, sspan)) = other_dim {
                        self.emit(
                            Diagnostic::warning(
                                "W0304",
                                format!(
                                    "事项 {} 的阶次 {} 中 {} 的期限 {} 与法定期限 {} 单位不同（日与月），无法比较：一个月不是固定的天数。请按法定期限的单位书写",
                                    m.id,
                                    g.id,
                                    gs.title(),
                                    gp.text(),
                                    sp.text()
                                ),
                            )
                            .with_primary(gs.span, "阶次的期限")
                            .with_secondary(sspan, "法定期限"),
                        );
                    }
                    continue;
                }
                if outside.len() == comparable
                    && let Some((sp, sspan)) = outside.first()
                {
                    self.emit(
                        Diagnostic::error(
                            "E0314",
                            format!(
                                "事项 {} 的阶次 {} 中 {} 的期限 {} 超出法定期限 {}；请把阶次的期限改在法定期限之内",
                                m.id,
                                g.id,
                                gs.title(),
                                gp.text(),
                                sp.text()
                            ),
                        )
                        .with_primary(gs.span, "阶次的期限")
                        .with_secondary(*sspan, "法定期限"),
                    );
                }
            }
            // A grade imposing two alternatives of a statute's 择一.
            for s in &versions {
                for o in &s.one_of {
                    let imposed: Vec<&Alternative> =
                        o.alternatives
                            .iter()
                            .filter(|a| match a {
                                Alternative::Fine(_) => g.fine.is_some(),
                                Alternative::Other(x) => g.others.iter().any(|y| {
                                    y.modality == ast::Modality::Shall && y.same_sanction(x)
                                }),
                            })
                            .collect();
                    if imposed.len() >= 2 {
                        self.emit(
                            Diagnostic::warning(
                                "W0306",
                                format!(
                                    "事项 {} 的阶次 {} 同时给予了法定“{}”中的{}项；法律只允许择一适用。请只保留一项，或在阶次中也写 择一 {{ … }}",
                                    m.id,
                                    g.id,
                                    o.text,
                                    imposed.len()
                                ),
                            )
                            .with_primary(g.span, "阶次同时给予")
                            .with_secondary(o.span, "法定的择一"),
                        );
                        break;
                    }
                }
            }
        }
    }
}

/// A statute version's sanctions, the alternatives of its 择一 included.
fn statute_sanctions(s: &model::Statute) -> impl Iterator<Item = &OtherSanction> {
    s.others.iter().chain(s.one_of.iter().flat_map(|o| {
        o.alternatives.iter().filter_map(|a| match a {
            Alternative::Other(x) => Some(x),
            Alternative::Fine(_) => None,
        })
    }))
}
