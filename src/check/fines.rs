//! Fines, statutes, grades, weighted models and matters.

use super::{Checker, Scope, text};
use crate::diag::Diagnostic;
use crate::model::{
    self, Amount, Bound, Fine, FineArm, FineRule, Grade, Guard, OtherSanction, Statute, Table,
};
use crate::model::{FactId, FactType, MatterId};
use crate::source::Span;
use crate::syntax::ast::{
    self, BandReference, BandValue, BaseFactors, FineExpr, Literal, LiteralValue, SanctionClause,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Where a fine stands: some shapes are allowed only in some places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FineCtx {
    Statute,
    Grade,
}

/// What two fine ends are measured in: fixed 元, or factors of one base
/// (with its floor and cap: capped ends are comparable only under one cap).
type Key = Option<(FactId, Option<Decimal>, Option<Decimal>)>;

/// A statute's or grade's lowered clauses: (fine, others, not punishable, 择一).
/// A lowered sanction block: the fine, other sanctions, the no-penalty word
/// (`不予处罚` / `免予处罚`) if any, and the 择一 alternatives.
pub(crate) type Lowered = (
    Option<Fine>,
    Vec<OtherSanction>,
    Option<&'static str>,
    Vec<model::OneOf>,
);

/// The comparable ends of a fine: (unit key, lower, upper).
fn ends(rule: &FineRule) -> Option<(Key, Option<Bound<Decimal>>, Bound<Decimal>)> {
    fn split(a: &Amount) -> Option<(Key, Decimal)> {
        Some(match a {
            Amount::Fixed(d) => (None, *d),
            Amount::OfBase {
                base,
                floor,
                factor,
                cap,
            } => (Some((*base, *floor, *cap)), *factor),
            // A product of two facts is not compared before evaluation.
            Amount::Product { .. } => return None,
        })
    }
    match rule {
        FineRule::Exact(a) => {
            let (k, v) = split(a)?;
            let b = Bound {
                value: v,
                inclusive: true,
            };
            Some((k, Some(b), b))
        }
        FineRule::Range { lower, upper } => {
            let (k, u) = split(&upper.value)?;
            let l = match lower {
                None => None,
                Some(l) => {
                    let (lk, lv) = split(&l.value)?;
                    if lk != k {
                        return None;
                    }
                    Some(Bound {
                        value: lv,
                        inclusive: l.inclusive,
                    })
                }
            };
            Some((
                k,
                l,
                Bound {
                    value: u,
                    inclusive: upper.inclusive,
                },
            ))
        }
        _ => None,
    }
}

impl Checker<'_> {
    /// A money literal (元), not negative.
    fn money_lit(&mut self, lit: &Literal, what: &str) -> Option<Decimal> {
        match &lit.value {
            LiteralValue::Money(d) | LiteralValue::Number(d) if *d >= Decimal::ZERO => Some(*d),
            LiteralValue::Money(_) | LiteralValue::Number(_) => {
                self.emit(
                    Diagnostic::error(
                        "E0207",
                        format!("{what} {} 是负数；金额不能为负", self.lit_text(lit)),
                    )
                    .with_primary(lit.span, "负的金额"),
                );
                None
            }
            other => {
                self.emit(
                    Diagnostic::error(
                        "E0207",
                        format!(
                            "{what} 应为金额，例如 10万 或 2000元；{} 是{}",
                            self.lit_text(lit),
                            text::literal_kind(other)
                        ),
                    )
                    .with_primary(lit.span, "不是金额"),
                );
                None
            }
        }
    }

    /// A multiple (`3倍` → 3) or percentage (`5%` → 0.05) of a base.
    fn factor_lit(&mut self, lit: &Literal) -> Option<Decimal> {
        match &lit.value {
            LiteralValue::Multiple(d) if *d >= Decimal::ZERO => Some(*d),
            LiteralValue::Percent(d) if *d >= Decimal::ZERO => Some(*d / Decimal::from(100)),
            other => {
                self.emit(
                    Diagnostic::error(
                        "E0210",
                        format!(
                            "基数的系数应为倍数或百分比（如 3倍、5%），且不能为负；{} 是{}",
                            self.lit_text(lit),
                            text::literal_kind(other)
                        ),
                    )
                    .with_primary(lit.span, "不是倍数或百分比"),
                );
                None
            }
        }
    }

    /// A percentage literal as a factor (`30%` → 0.3).
    pub fn percent_lit(&mut self, lit: &Literal, what: &str) -> Option<Decimal> {
        match &lit.value {
            LiteralValue::Percent(d) => Some(*d / Decimal::from(100)),
            other => {
                self.emit(
                    Diagnostic::error(
                        "E0211",
                        format!(
                            "{what} 应为百分比，例如 30%；{} 是{}",
                            self.lit_text(lit),
                            text::literal_kind(other)
                        ),
                    )
                    .with_primary(lit.span, "不是百分比"),
                );
                None
            }
        }
    }

    /// A band point: a percentage, or 中值/上限/下限.
    fn band_point(&mut self, lit: &Literal, what: &str) -> Option<Decimal> {
        if let LiteralValue::Name(n) | LiteralValue::Text(n) = &lit.value {
            match n.as_str() {
                "中值" | "中间值" | "midpoint" => return Some(Decimal::new(5, 1)),
                "上限" | "最高" | "maximum" | "max" => return Some(Decimal::ONE),
                "下限" | "最低" | "minimum" | "min" => return Some(Decimal::ZERO),
                _ => {}
            }
        }
        self.percent_lit(lit, what)
    }

    /// Lowers a band to shares 0–1; `code` is reported for shares outside 0–100%.
    pub fn band(&mut self, b: &ast::Band, what: &str, code: &'static str) -> Option<model::Band> {
        let (lower, upper) = match &b.value {
            BandValue::Point(l) => {
                let v = self.band_point(l, what)?;
                let p = Bound {
                    value: v,
                    inclusive: true,
                };
                (p, p)
            }
            BandValue::Range(p) => {
                let w = what.to_string();
                let iv = self.read_range(p, &mut |ck: &mut Checker<'_>, l| ck.band_point(l, &w));
                let Some(iv) = iv else {
                    if code == "E0401" {
                        // Re-label inverted policy bands under the policy family.
                        if let Some(d) = self.diags.last_mut()
                            && (d.code == "E0301" || d.code == "E0302")
                        {
                            d.code = "E0402";
                        }
                    }
                    return None;
                };
                (
                    iv.lower.unwrap_or(Bound {
                        value: Decimal::ZERO,
                        inclusive: true,
                    }),
                    iv.upper.unwrap_or(Bound {
                        value: Decimal::ONE,
                        inclusive: true,
                    }),
                )
            }
        };
        let out = |x: Decimal| x < Decimal::ZERO || x > Decimal::ONE;
        if out(lower.value) || out(upper.value) {
            let reference = match b.reference {
                BandReference::Grade => "阶次幅度",
                BandReference::Statute => "法定幅度",
                BandReference::StatutoryMaximum => "法定最高额",
            };
            self.emit(
                Diagnostic::error(
                    code,
                    format!(
                        "{what} `{}` 超出 0%–100%；它是{reference}中的位置，请改为 0% 至 100% 之间的百分比",
                        self.text(b.span)
                    ),
                )
                .with_primary(b.span, "超出 0%–100%"),
            );
            return None;
        }
        Some(model::Band {
            reference: b.reference,
            lower,
            upper,
        })
    }

    /// Lowers a fine expression.
    pub fn fine(&mut self, e: &FineExpr, scope: Scope<'_>, ctx: FineCtx) -> Option<FineRule> {
        match e {
            FineExpr::Range(p) => {
                let iv = self.read_range(p, &mut |ck: &mut Checker<'_>, l| {
                    ck.money_lit(l, "罚款金额")
                })?;
                let fixed = |b: Bound<Decimal>| Bound {
                    value: Amount::Fixed(b.value),
                    inclusive: b.inclusive,
                };
                let iv = model::Interval {
                    lower: iv.lower.map(fixed),
                    upper: iv.upper.map(fixed),
                };
                self.range_rule(iv, p.span)
            }
            FineExpr::Exact(l) => self
                .money_lit(l, "罚款金额")
                .map(|d| FineRule::Exact(Amount::Fixed(d))),
            FineExpr::OfBase {
                base,
                factors,
                cap,
                span,
            } => {
                let (f, ty) = self.lookup(&base.fact, scope)?;
                if ty != FactType::Money {
                    self.emit(
                        Diagnostic::error(
                            "E0208",
                            format!(
                                "按倍数或比例计算的罚款，其基数须是金额事实；{} 是{}。请声明为 金额，或改用 按 {} 每…计 的按单位罚款",
                                base.fact.name,
                                text::fact_type(&ty),
                                base.fact.name
                            ),
                        )
                        .with_primary(base.fact.span, "不是金额事实")
                        .with_secondary(*span, "这个罚款"),
                    );
                    return None;
                }
                let floor = match &base.floor {
                    Some(l) => Some(self.money_lit(l, "基数保底金额")?),
                    None => None,
                };
                let cap = match cap {
                    Some(l) => Some(self.money_lit(l, "罚款封顶金额（最高不超过）")?),
                    None => None,
                };
                let mk = |factor| Amount::OfBase {
                    base: f,
                    floor,
                    factor,
                    cap,
                };
                self.factors(factors, *span, &mut |ck, l| ck.factor_lit(l).map(mk))
            }
            FineExpr::PerUnit {
                fact,
                unit,
                rates,
                cap,
                span,
            } => {
                let (f, ty) = self.lookup(fact, scope)?;
                let fu = match ty {
                    FactType::Quantity(fu) if fu.converts_to(*unit) => fu,
                    FactType::Quantity(fu) => {
                        self.emit(
                            Diagnostic::error(
                                "E0209",
                                format!(
                                    "{} 以 {} 计量（{}），不能按 每{} 计罚款（{}）；请改为按 每{} 计",
                                    fact.name,
                                    fu.name,
                                    text::dimension(fu.dimension),
                                    unit.name,
                                    text::dimension(unit.dimension),
                                    fu.name
                                ),
                            )
                            .with_primary(*span, "单位不符")
                            .with_secondary(fact.span, format!("{}：数量（{}）", fact.name, fu.name)),
                        );
                        return None;
                    }
                    other => {
                        self.emit(
                            Diagnostic::error(
                                "E0209",
                                format!(
                                    "按单位计罚的事实须是数量；{} 是{}。请声明为 数量 {}",
                                    fact.name,
                                    text::fact_type(&other),
                                    unit.name
                                ),
                            )
                            .with_primary(fact.span, "不是数量事实"),
                        );
                        return None;
                    }
                };
                let cap = match cap {
                    Some(l) => Some(self.money_lit(l, "罚款封顶金额（最高不超过）")?),
                    None => None,
                };
                let unit = *unit;
                self.factors(rates, *span, &mut |ck, l| {
                    let rate = ck.money_lit(l, "单价")?;
                    // Rate per `unit` → rate per the fact's unit.
                    let factor = fu.convert(rate, unit)?;
                    Some(Amount::OfBase {
                        base: f,
                        floor: None,
                        factor,
                        cap,
                    })
                })
            }
            FineExpr::Product {
                money,
                count,
                cap,
                span,
            } => {
                let m = self.lookup(money, scope);
                let c = self.lookup(count, scope);
                let (Some((m, mty)), Some((c, cty))) = (m, c) else {
                    return None;
                };
                let mut ok = true;
                let swapped = mty != FactType::Money
                    && cty == FactType::Money
                    && matches!(mty, FactType::Integer | FactType::Quantity(_));
                if mty != FactType::Money {
                    let fix = if swapped {
                        format!("两个事实写反了：请写 {} 乘以 {}", count.name, money.name)
                    } else {
                        format!("请把 {} 声明为 金额", money.name)
                    };
                    self.emit(
                        Diagnostic::error(
                            "E0208",
                            format!(
                                "罚款 `{} 乘以 {}`：乘以 之前须是金额事实（每日的罚款数额，如 原处罚数额）；{} 是{}。{fix}",
                                money.name,
                                count.name,
                                money.name,
                                text::fact_type(&mty)
                            ),
                        )
                        .with_primary(money.span, "不是金额事实")
                        .with_secondary(*span, "这个罚款"),
                    );
                    ok = false;
                }
                if !swapped && !matches!(cty, FactType::Integer | FactType::Quantity(_)) {
                    self.emit(
                        Diagnostic::error(
                            "E0209",
                            format!(
                                "罚款 `{} 乘以 {}`：乘以 之后须是整数或数量事实（如 计罚日数: 数量 日）；{} 是{}。请把 {} 声明为 整数 或 数量 日",
                                money.name,
                                count.name,
                                count.name,
                                text::fact_type(&cty),
                                count.name
                            ),
                        )
                        .with_primary(count.span, "不是整数或数量事实")
                        .with_secondary(*span, "这个罚款"),
                    );
                    ok = false;
                }
                let cap = match cap {
                    Some(l) => Some(self.money_lit(l, "罚款封顶金额（最高不超过）")?),
                    None => None,
                };
                ok.then_some(FineRule::Exact(Amount::Product {
                    money: m,
                    count: c,
                    cap,
                }))
            }
            FineExpr::Band(b) => {
                if ctx != FineCtx::Grade || b.reference == BandReference::Grade {
                    let msg = if ctx == FineCtx::Statute {
                        "法定罚款不能写成法定幅度的百分比；请写出法律规定的金额、倍数或单价"
                            .to_string()
                    } else {
                        "阶次的罚款只能写成 法定 幅度的百分比（如 法定 30% 至 70%），不能引用 阶次 自身".to_string()
                    };
                    self.emit(
                        Diagnostic::error(
                            if ctx == FineCtx::Statute {
                                "E0313"
                            } else {
                                "E0308"
                            },
                            msg,
                        )
                        .with_primary(b.span, "不能用在这里"),
                    );
                    return None;
                }
                let band = self.band(b, "罚款幅度", "E0308")?;
                if b.reference == BandReference::StatutoryMaximum {
                    return Some(FineRule::MaximumBand {
                        lower: band.lower,
                        upper: band.upper,
                    });
                }
                Some(FineRule::StatuteBand {
                    lower: band.lower,
                    upper: band.upper,
                })
            }
            FineExpr::Switch(arms, _) => {
                let mut out = Vec::new();
                let mut ok = true;
                for arm in arms {
                    let guard = self.guard(&arm.guard, scope);
                    let fine = match &arm.fine {
                        Some(f) => self.fine(f, scope, ctx).map(Some),
                        None => Some(None),
                    };
                    match (guard, fine) {
                        (Some(guard), Some(fine)) => out.push(FineArm {
                            guard,
                            modality: arm.modality,
                            fine,
                            span: arm.span,
                        }),
                        _ => ok = false,
                    }
                }
                ok.then_some(FineRule::Switch(out))
            }
        }
    }

    fn range_rule(&mut self, iv: model::Interval<Amount>, span: Span) -> Option<FineRule> {
        match iv.upper {
            Some(upper) => Some(FineRule::Range {
                lower: iv.lower,
                upper,
            }),
            None => {
                self.emit(
                    Diagnostic::error(
                        "E0312",
                        format!(
                            "罚款幅度 `{}` 没有上限；请写出上限，例如 `10万 至 100万` 或 `5万以下`",
                            self.text(span)
                        ),
                    )
                    .with_primary(span, "缺少上限"),
                );
                None
            }
        }
    }

    fn factors(
        &mut self,
        f: &BaseFactors,
        span: Span,
        conv: &mut dyn FnMut(&mut Checker<'_>, &Literal) -> Option<Amount>,
    ) -> Option<FineRule> {
        match f {
            BaseFactors::Point(l) => conv(self, l).map(FineRule::Exact),
            BaseFactors::Range(p) => {
                // Compare by factor: read factors as ordered numbers first.
                let mut amounts: Vec<Amount> = Vec::new();
                let iv = self.read_range(p, &mut |ck: &mut Checker<'_>, l| {
                    let a = conv(ck, l)?;
                    let v = match &a {
                        Amount::Fixed(d) => *d,
                        Amount::OfBase { factor, .. } => *factor,
                        Amount::Product { .. } => Decimal::ONE,
                    };
                    amounts.push(a);
                    Some(v)
                })?;
                let rebuild = |b: Option<Bound<Decimal>>, amounts: &[Amount]| {
                    b.and_then(|b| {
                        amounts
                            .iter()
                            .find(|a| match a {
                                Amount::Fixed(d) => *d == b.value,
                                Amount::OfBase { factor, .. } => *factor == b.value,
                                Amount::Product { .. } => b.value == Decimal::ONE,
                            })
                            .cloned()
                            .map(|value| Bound {
                                value,
                                inclusive: b.inclusive,
                            })
                    })
                };
                let lower = rebuild(iv.lower, &amounts);
                let upper = rebuild(iv.upper, &amounts);
                self.range_rule(model::Interval { lower, upper }, span)
            }
        }
    }

    /// Lowers a guard.
    pub fn guard(&mut self, g: &ast::Guard, scope: Scope<'_>) -> Option<Guard> {
        match g {
            ast::Guard::When(c) => self.cond(c, scope).map(Guard::When),
            ast::Guard::Otherwise(_) => Some(Guard::Otherwise),
        }
    }

    /// Lowers the clauses of a statute or grade: (fine, others, not
    /// punishable — the document's word: `不予处罚` or, in a grade, `免予处罚`).
    fn clauses(
        &mut self,
        clauses: &[SanctionClause],
        scope: Scope<'_>,
        ctx: FineCtx,
        who: &str,
    ) -> Option<Lowered> {
        let mut fine: Option<(Fine, Span)> = None;
        let mut others = Vec::new();
        let mut one_of = Vec::new();
        let mut not_punishable: Option<&'static str> = None;
        let mut ok = true;
        for c in clauses {
            match c {
                SanctionClause::Fine {
                    modality,
                    fine: f,
                    span,
                    ..
                } => {
                    if let Some((_, first)) = &fine {
                        self.emit(
                            Diagnostic::error(
                                "E0307",
                                format!(
                                    "{who} 写了两项罚款；同一违法行为只能给予一次罚款（行政处罚法 第二十九条）。请合并为一项，或用 {{ 当 …: …; 其他: … }} 按条件区分"
                                ),
                            )
                            .with_primary(*span, "第二项罚款")
                            .with_secondary(*first, "第一项罚款"),
                        );
                        ok = false;
                        continue;
                    }
                    match self.fine(f, scope, ctx) {
                        Some(rule) => {
                            fine = Some((
                                Fine {
                                    modality: *modality,
                                    rule,
                                    span: *span,
                                },
                                *span,
                            ))
                        }
                        None => ok = false,
                    }
                }
                SanctionClause::Other(o) => match self.other_sanction(o, scope) {
                    Some(x) => others.push(x),
                    None => ok = false,
                },
                SanctionClause::OneOf { alternatives, span } => {
                    match self.one_of(alternatives, *span, scope, ctx, who) {
                        Some(x) => one_of.push(x),
                        None => ok = false,
                    }
                }
                SanctionClause::NotPunishable(_) => {
                    // In a statute: the new law no longer punishes; in a
                    // grade: the grade decides 不予行政处罚 (checked below).
                    not_punishable = Some("不予处罚");
                }
                SanctionClause::Exempt(span) => {
                    if ctx == FineCtx::Grade {
                        not_punishable = Some("免予处罚");
                    } else {
                        self.emit(
                            Diagnostic::error(
                                "E0313",
                                format!(
                                    "{who} 写了 免予处罚；免予处罚是裁量阶次的结论，法定版本中新法不再处罚请写 不予处罚"
                                ),
                            )
                            .with_primary(*span, "法定版本中不能写 免予处罚"),
                        );
                        ok = false;
                    }
                }
            }
        }
        if let (FineCtx::Grade, Some(word)) = (ctx, not_punishable) {
            // 第三十三条: 不予处罚 still allows 责令改正 (第二十八条) and
            // requires education; a fine or a penalty contradicts it.
            if let Some((_, fspan)) = &fine {
                self.emit(
                    Diagnostic::error(
                        "E0316",
                        format!(
                            "{who} 写了 {word}，又写了罚款；{word}的阶次不给予任何行政处罚。请删除罚款，或删除 {word} 改为处罚阶次"
                        ),
                    )
                    .with_primary(*fspan, "罚款"),
                );
                ok = false;
            }
            if let Some(o) = one_of.first() {
                self.emit(
                    Diagnostic::error(
                        "E0316",
                        format!(
                            "{who} 写了 {word}，又写了 择一；{word}的阶次不给予任何行政处罚。请删除 择一，或删除 {word} 改为处罚阶次"
                        ),
                    )
                    .with_primary(o.span, "择一"),
                );
                ok = false;
            }
            for o in &others {
                if !crate::model::is_order(&o.name) {
                    self.emit(
                        Diagnostic::error(
                            "E0316",
                            format!(
                                "{who} 写了 {word}，又并处“{}”；{word}时只能责令改正（行政处罚法 第二十八条、第三十三条），不能给予行政处罚。请删除该处罚，或删除 {word}",
                                o.name
                            ),
                        )
                        .with_primary(o.span, "不予处罚时不能给予的处罚"),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some((fine.map(|(f, _)| f), others, not_punishable, one_of))
    }

    /// Lowers a matter.
    pub fn matter(
        &mut self,
        m: &ast::Matter,
        facts: &BTreeMap<String, FactId>,
        implicit: &BTreeMap<usize, FactId>,
    ) -> model::Matter {
        let scope = Scope {
            facts,
            owner: Some(&m.id.name),
        };
        let mid = self
            .matter_index
            .get(&m.id.name)
            .copied()
            .unwrap_or(MatterId(0));
        let mut out = model::Matter {
            id: m.id.name.clone(),
            name: m.name.value.clone(),
            violation_basis: None,
            penalty_basis: None,
            notes: Vec::new(),
            facts: facts.clone(),
            statutes: Vec::new(),
            table: Table::None,
            limitation: Vec::new(),
            circumstances: Vec::new(),
            own_circumstances: Vec::new(),
            list_items: Vec::new(),
            span: m.span,
        };
        let mut grades: Vec<Grade> = Vec::new();
        let mut grade_spans: BTreeMap<String, Span> = BTreeMap::new();
        let mut weighted: Option<(model::Weighted, Span)> = None;
        let mut first_grade: Option<Span> = None;
        for (ei, e) in m.entries.iter().enumerate() {
            match e {
                ast::MatterEntry::ViolationBasis(t) => out.violation_basis = Some(t.value.clone()),
                ast::MatterEntry::PenaltyBasis(t) => out.penalty_basis = Some(t.value.clone()),
                ast::MatterEntry::Note(t) => out.notes.push(t.value.clone()),
                // Read before lowering (`Checker::matter_convention`).
                ast::MatterEntry::Facts(_) | ast::MatterEntry::Boundaries(_) => {}
                ast::MatterEntry::Limitation(l) => {
                    if let Some(r) = self.limitation(l, scope) {
                        out.limitation.push(r);
                    }
                }
                ast::MatterEntry::Statute(s) => {
                    let who = format!("事项 {} 的法定处罚", m.id.name);
                    self.in_statute = true;
                    let lowered = self.clauses(&s.clauses, scope, FineCtx::Statute, &who);
                    self.in_statute = false;
                    if let Some((fine, others, np, one_of)) = lowered {
                        out.statutes.push(Statute {
                            from: s.from.map(|d| d.date),
                            to: s.to.map(|d| d.date),
                            basis: s.basis.as_ref().map(|t| t.value.clone()),
                            fine,
                            others,
                            one_of,
                            not_punishable: np.is_some(),
                            span: s.span,
                        });
                    }
                }
                ast::MatterEntry::Grade(g) => {
                    first_grade.get_or_insert(g.span);
                    if let Some(prev) = grade_spans.get(&g.id.name) {
                        self.emit(
                            Diagnostic::error(
                                "E0104",
                                format!(
                                    "事项 {} 的阶次 {} 重复；请给每个阶次不同的编号",
                                    m.id.name, g.id.name
                                ),
                            )
                            .with_primary(g.id.span, "重复的阶次")
                            .with_secondary(*prev, "第一次出现"),
                        );
                        continue;
                    }
                    grade_spans.insert(g.id.name.clone(), g.id.span);
                    let who = format!("事项 {} 的阶次 {}", m.id.name, g.id.name);
                    let guard = self.guard(&g.guard, scope);
                    let cl = self.clauses(&g.clauses, scope, FineCtx::Grade, &who);
                    if let (Some(guard), Some((fine, others, np, one_of))) = (guard, cl) {
                        if let (Some(c), Some(word)) = (&g.collective, np) {
                            self.emit(
                                Diagnostic::error(
                                    "E0316",
                                    format!(
                                        "{who} 既写了 集体讨论 又写了 {word}；集体讨论决定的是处罚的数额。请删除其中之一"
                                    ),
                                )
                                .with_primary(c.span, "集体讨论 与 不予处罚 矛盾"),
                            );
                            continue;
                        }
                        if let (true, Some(word)) = (g.reduced, np) {
                            self.emit(
                                Diagnostic::error(
                                    "E0316",
                                    format!(
                                        "{who} 既标为 减轻 又写了 {word}；减轻处罚仍给予处罚。请删除其中之一"
                                    ),
                                )
                                .with_primary(g.id.span, "减轻 与 不予处罚 矛盾"),
                            );
                            continue;
                        }
                        grades.push(Grade {
                            id: g.id.name.clone(),
                            name: g.name.as_ref().map(|t| t.value.clone()),
                            guard,
                            fine,
                            others,
                            one_of,
                            notes: g.notes.iter().map(|t| t.value.clone()).collect(),
                            reduced: g.reduced,
                            shall_fine: g
                                .clauses
                                .iter()
                                .any(|c| matches!(c, SanctionClause::Fine { stated: true, .. })),
                            no_penalty: np.map(str::to_string),
                            collective: g.collective.as_ref().map(|c| {
                                c.words
                                    .as_ref()
                                    .map_or_else(|| "集体讨论".to_string(), |t| t.value.clone())
                            }),
                            refers: g.refer.as_ref().map(|r| match &r.grade {
                                Some(x) => format!("事项 {} 阶次 {}", r.matter.name, x.name),
                                None => format!("事项 {} 阶次 {}", r.matter.name, g.id.name),
                            }),
                            basis: g.basis.as_ref().map(|t| t.value.clone()),
                            span: g.span,
                        });
                    }
                }
                ast::MatterEntry::Weighted(w) => {
                    if let Some((_, first)) = &weighted {
                        self.emit(
                            Diagnostic::error(
                                "E0311",
                                format!("事项 {} 有两个 权重 模型；请合并为一个", m.id.name),
                            )
                            .with_primary(w.span, "第二个权重模型")
                            .with_secondary(*first, "第一个"),
                        );
                        continue;
                    }
                    if let Some(x) = self.weighted(w, scope) {
                        weighted = Some((x, w.span));
                    }
                }
                ast::MatterEntry::Circumstance(c) => {
                    if let Some(x) =
                        self.own_circumstance(c, scope, implicit.get(&ei).copied(), mid)
                    {
                        if let Some(prev) = out.own_circumstances.iter().find(|p| p.id == x.id) {
                            self.emit(
                                Diagnostic::error(
                                    "E0106",
                                    format!(
                                        "事项 {} 中情节 {} 重复；请删除其中一个或改名",
                                        m.id.name, x.id
                                    ),
                                )
                                .with_primary(c.id.span, "重复的情节")
                                .with_secondary(prev.span, "第一次出现"),
                            );
                            continue;
                        }
                        out.own_circumstances.push(x);
                    }
                }
            }
        }
        super::order_limitation(&mut out.limitation);
        if let (Some(gs), Some((_, ws))) = (first_grade, &weighted) {
            self.emit(
                Diagnostic::error(
                    "E0311",
                    format!(
                        "事项 {} 同时有 阶次 和 权重 模型；一个事项只能用其中一种方式裁量，请删除其中一种",
                        m.id.name
                    ),
                )
                .with_primary(*ws, "权重模型")
                .with_secondary(gs, "阶次"),
            );
        }
        out.table = match weighted {
            Some((w, _)) if grades.is_empty() => Table::Weighted(w),
            _ if !grades.is_empty() => Table::Graded(grades),
            _ => Table::None,
        };
        let has_statute = m
            .entries
            .iter()
            .any(|e| matches!(e, ast::MatterEntry::Statute(_)));
        // A matter with neither statute nor table is a list-only matter (a
        // 不予处罚清单 names violations without restating their fines): fine.
        if !has_statute && !matches!(out.table, Table::None) {
            self.emit(
                Diagnostic::warning(
                    "W0305",
                    format!(
                        "事项 {} 没有写 法定 处罚：求值只能判断清单和情节是否适用，给不出罚款幅度；如有处罚依据，请写出法定罚款，例如 `法定 {{ 罚款 10万 至 100万 }}`",
                        m.id.name
                    ),
                )
                .with_primary(m.id.span, "没有法定处罚"),
            );
        }
        self.statute_versions(m, &out.statutes);
        self.grades_vs_statutes(&out);
        self.sanctions_vs_statutes(&out);
        self.grades_vs_statute_terms(&out);
        self.max_only(&out);
        out
    }

    fn weighted(&mut self, w: &ast::Weighted, scope: Scope<'_>) -> Option<model::Weighted> {
        let mut ok = true;
        let mut pct =
            |ck: &mut Checker<'_>, l: &Option<Literal>, what: &str, default: Decimal| match l {
                None => default,
                Some(l) => match ck.percent_lit(l, what) {
                    Some(v) if v >= Decimal::ZERO && v <= Decimal::ONE => v,
                    Some(_) => {
                        ck.emit(
                        Diagnostic::error(
                            "E0310",
                            format!(
                                "权重模型的{what} {} 超出 0%–100%；请改为 0% 至 100% 之间的百分比",
                                ck.lit_text(l)
                            ),
                        )
                        .with_primary(l.span, "超出 0%–100%"),
                    );
                        ok = false;
                        default
                    }
                    None => {
                        ok = false;
                        default
                    }
                },
            };
        let start = pct(self, &w.start, "起始权重", Decimal::ZERO);
        let cap = pct(self, &w.cap, "上限", Decimal::ONE);
        let floor = pct(self, &w.floor, "下限", Decimal::ZERO);
        if floor > cap {
            let span = w.floor.as_ref().map(|l| l.span).unwrap_or(w.span);
            let mut d = Diagnostic::error(
                "E0310",
                format!(
                    "权重模型的下限 {} 高于上限 {}；请改正其中一个",
                    text::percent(floor),
                    text::percent(cap)
                ),
            )
            .with_primary(span, "下限");
            if let Some(c) = &w.cap {
                d = d.with_secondary(c.span, "上限");
            }
            self.emit(d);
            ok = false;
        }
        let mut factors = Vec::new();
        let mut names: BTreeMap<String, Span> = BTreeMap::new();
        for f in &w.factors {
            if let Some(prev) = names.get(&f.name.name) {
                self.emit(
                    Diagnostic::error(
                        "E0105",
                        format!("权重因素 {} 重复；请合并或改名", f.name.name),
                    )
                    .with_primary(f.name.span, "重复的因素")
                    .with_secondary(*prev, "第一次出现"),
                );
                ok = false;
                continue;
            }
            names.insert(f.name.name.clone(), f.name.span);
            let mut levels = Vec::new();
            for lv in &f.levels {
                let guard = self.guard(&lv.guard, scope);
                let weight = self.percent_lit(&lv.weight, "因素权重");
                if let Some(wt) = weight
                    && (wt < Decimal::ZERO || wt > Decimal::ONE)
                {
                    self.emit(
                        Diagnostic::error(
                            "E0309",
                            format!(
                                "因素 {} 的权重 {} 超出 0%–100%；请改为 0% 至 100% 之间的百分比",
                                f.name.name,
                                self.lit_text(&lv.weight)
                            ),
                        )
                        .with_primary(lv.weight.span, "超出 0%–100%"),
                    );
                    ok = false;
                    continue;
                }
                match (guard, weight) {
                    (Some(guard), Some(weight)) => levels.push(model::FactorLevel {
                        label: lv.label.as_ref().map(|t| t.value.clone()),
                        guard,
                        weight,
                        span: lv.span,
                    }),
                    _ => ok = false,
                }
            }
            factors.push(model::Factor {
                name: f.name.name.clone(),
                description: f.description.as_ref().map(|t| t.value.clone()),
                levels,
                span: f.span,
            });
        }
        let times = match &w.times {
            None | Some(ast::WeightedBase::StatutoryMaximum(_)) => {
                model::WeightedBase::StatutoryMaximum
            }
            Some(ast::WeightedBase::Amount(e)) => match self.fine(e, scope, FineCtx::Statute) {
                Some(FineRule::Exact(a)) => model::WeightedBase::Amount(a),
                Some(_) => {
                    let span = match e {
                        FineExpr::Range(p) => p.span,
                        FineExpr::Exact(l) => l.span,
                        FineExpr::OfBase { span, .. }
                        | FineExpr::PerUnit { span, .. }
                        | FineExpr::Product { span, .. }
                        | FineExpr::Switch(_, span) => *span,
                        FineExpr::Band(b) => b.span,
                    };
                    self.emit(
                            Diagnostic::error(
                                "E0213",
                                "权重模型的 乘以 后应为 法定上限、一个金额（如 10万）或 基数的倍数（如 违法所得 5倍），不能是一个幅度",
                            )
                            .with_primary(span, "不是单一的金额"),
                        );
                    ok = false;
                    model::WeightedBase::StatutoryMaximum
                }
                None => {
                    ok = false;
                    model::WeightedBase::StatutoryMaximum
                }
            },
        };
        ok.then_some(model::Weighted {
            start,
            factors,
            cap,
            floor,
            times,
            span: w.span,
        })
    }

    /// Statute versions: `至` before `自`, overlapping periods.
    fn statute_versions(&mut self, m: &ast::Matter, statutes: &[Statute]) {
        for s in statutes {
            if let (Some(f), Some(t)) = (s.from, s.to)
                && t < f
            {
                self.emit(
                    Diagnostic::error(
                        "E0306",
                        format!(
                            "事项 {} 的法定处罚版本 自 {f} 至 {t}：结束日期早于开始日期；请改正日期",
                            m.id.name
                        ),
                    )
                    .with_primary(s.span, "日期颠倒"),
                );
            }
        }
        for (i, a) in statutes.iter().enumerate() {
            for b in statutes.iter().skip(i + 1) {
                let a_from = a.from.map(|d| d.to_days()).unwrap_or(i64::MIN);
                let a_to = a.to.map(|d| d.to_days()).unwrap_or(i64::MAX);
                let b_from = b.from.map(|d| d.to_days()).unwrap_or(i64::MIN);
                let b_to = b.to.map(|d| d.to_days()).unwrap_or(i64::MAX);
                // An undated version next to dated ones reads as "at every
                // other time"; overlap is reported only where it is certain.
                let dated = |s: &Statute| s.from.is_some() || s.to.is_some();
                if dated(a) != dated(b) {
                    continue;
                }
                if a_from <= b_to && b_from <= a_to {
                    self.emit(
                        Diagnostic::error(
                            "E0306",
                            format!(
                                "事项 {} 的两个法定处罚版本施行期间重叠；同一天只能有一个版本有效。请用 自 … 至 … 写明每个版本的施行期间（旧版本的 至 应早于新版本的 自）",
                                m.id.name
                            ),
                        )
                        .with_primary(b.span, "与前一版本重叠")
                        .with_secondary(a.span, "前一版本"),
                    );
                }
            }
        }
    }

    /// Statute versions in force during the ruleset's effective period.
    pub(crate) fn versions_in_force<'s>(&self, statutes: &'s [Statute]) -> Vec<&'s Statute> {
        let (from, to) = self.effective;
        let inforce: Vec<&Statute> = statutes
            .iter()
            .filter(|s| {
                let starts_ok = match (s.from, to) {
                    (Some(sf), Some(rt)) => sf <= rt,
                    _ => true,
                };
                let ends_ok = match (s.to, from) {
                    (Some(st), Some(rf)) => st >= rf,
                    _ => true,
                };
                starts_ok && ends_ok
            })
            .collect();
        if inforce.is_empty() {
            statutes.iter().collect()
        } else {
            inforce
        }
    }

    fn show_end(&self, key: Key, v: Decimal) -> String {
        match key {
            None => text::money(v),
            Some((base, _, _)) => format!("{}的{}倍", self.fact_name(base), v.normalize()),
        }
    }

    /// Grade fines against the statutory range of each version in force.
    fn grades_vs_statutes(&mut self, m: &model::Matter) {
        let Table::Graded(grades) = &m.table else {
            return;
        };
        let versions = self.versions_in_force(&m.statutes);
        for g in grades {
            let Some(fine) = &g.fine else { continue };
            let mut rules: Vec<(&FineRule, Span)> = Vec::new();
            match &fine.rule {
                FineRule::Switch(arms) => {
                    for a in arms {
                        if let Some(r) = &a.fine {
                            rules.push((r, a.span));
                        }
                    }
                }
                r => rules.push((r, fine.span)),
            }
            for (rule, span) in rules {
                let Some((gk, gl, gu)) = ends(rule) else {
                    continue;
                };
                let mut comparable = 0usize;
                let mut above: Vec<(&Statute, Bound<Decimal>, Span)> = Vec::new();
                let mut below: Vec<(&Statute, Bound<Decimal>, Span)> = Vec::new();
                for s in &versions {
                    let Some(sf) = s.fine.as_ref().or_else(|| s.alternative_fine()) else {
                        continue;
                    };
                    let Some((sk, sl, su)) = ends(&sf.rule) else {
                        continue;
                    };
                    if sk != gk {
                        continue;
                    }
                    comparable += 1;
                    if gu.value > su.value
                        || (gu.value == su.value && gu.inclusive && !su.inclusive)
                    {
                        above.push((s, su, sf.span));
                    }
                    if let (Some(gl), Some(sl)) = (gl, sl)
                        && (gl.value < sl.value
                            || (gl.value == sl.value && gl.inclusive && !sl.inclusive))
                    {
                        below.push((s, sl, sf.span));
                    }
                }
                if comparable == 0 {
                    continue;
                }
                let version = |s: &Statute| match (s.from, s.to) {
                    (Some(f), _) => format!(" {f} 起施行的"),
                    (None, Some(t)) => format!(" {t} 前施行的"),
                    _ => String::new(),
                };
                if let Some((s, su, sspan)) = above.first() {
                    let (gus, sus) = (self.show_end(gk, gu.value), self.show_end(gk, su.value));
                    let d = if above.len() == comparable {
                        Diagnostic::error(
                            "E0303",
                            format!(
                                "事项 {} 的阶次 {} 罚款上限 {gus} 超出法定上限 {sus}；请把阶次上限改为不超过 {sus}",
                                m.id, g.id
                            ),
                        )
                    } else {
                        Diagnostic::warning(
                            "W0302",
                            format!(
                                "事项 {} 的阶次 {} 罚款上限 {gus} 超出{}法定上限 {sus}；该版本适用时将按法定上限计算。请按该版本修订阶次",
                                m.id,
                                g.id,
                                version(s)
                            ),
                        )
                    };
                    self.emit(
                        d.with_primary(span, "阶次罚款")
                            .with_secondary(*sspan, "法定罚款幅度"),
                    );
                }
                // A marked 减轻 grade may lie below the minimum: that is its point.
                if g.reduced {
                    continue;
                }
                // A grade the document calls 减轻: suggest the mark.
                let hint = if g.id.contains("减轻")
                    || g.name.as_deref().is_some_and(|n| n.contains("减轻"))
                {
                    format!(
                        "。该阶次是文件中的减轻处罚档次时，请在阶次名称后写 减轻（`阶次 {} \"…\" 减轻 当 …`），其幅度即按文件执行，不再上调到法定下限",
                        g.id
                    )
                } else {
                    String::new()
                };
                if let (Some((s, sl, sspan)), Some(gl)) = (below.first(), gl) {
                    let (gls, sls) = (self.show_end(gk, gl.value), self.show_end(gk, sl.value));
                    let d = if below.len() == comparable {
                        Diagnostic::error(
                            "E0304",
                            format!(
                                "事项 {} 的阶次 {} 罚款下限 {gls} 低于法定下限 {sls}；请把阶次下限改为不低于 {sls}（低于法定下限属于减轻处罚，应由情节、清单或标为 减轻 的阶次决定）{hint}",
                                m.id, g.id
                            ),
                        )
                    } else {
                        Diagnostic::warning(
                            "W0302",
                            format!(
                                "事项 {} 的阶次 {} 罚款下限 {gls} 低于{}法定下限 {sls}；该版本适用的案件将按法定下限计算。请按新规定修订阶次{hint}",
                                m.id,
                                g.id,
                                version(s)
                            ),
                        )
                    };
                    self.emit(
                        d.with_primary(span, "阶次罚款")
                            .with_secondary(*sspan, "法定罚款幅度"),
                    );
                }
            }
        }
    }

    /// E0507: a list item's own fine against the statutory range of each
    /// matter it covers (versions in force; where both are fixed amounts or
    /// multiples of one base): a 从轻 item's range must lie inside it, a
    /// 减轻 item's may lie below the minimum but never above the maximum.
    pub(super) fn item_fines_vs_statutes(
        &mut self,
        lists: &[model::List],
        matters: &[model::Matter],
    ) {
        for l in lists {
            let lighter = l.kind == ast::ListKind::Lighter;
            for it in &l.items {
                let Some(rule) = &it.fine else { continue };
                let mut rules: Vec<&FineRule> = Vec::new();
                match rule {
                    FineRule::Switch(arms) => {
                        rules.extend(arms.iter().filter_map(|a| a.fine.as_ref()))
                    }
                    r => rules.push(r),
                }
                let covered = matters.iter().enumerate().filter(|(i, _)| {
                    it.scope.as_ref().is_none_or(|s| {
                        s.contains(&MatterId(u32::try_from(*i).unwrap_or(u32::MAX)))
                    })
                });
                let mut bad: Option<(String, Span)> = None;
                for (_, m) in covered {
                    for st in self.versions_in_force(&m.statutes) {
                        let Some(sf) = &st.fine else { continue };
                        let Some((sk, sl, su)) = ends(&sf.rule) else {
                            continue;
                        };
                        for r in &rules {
                            let Some((gk, gl, gu)) = ends(r) else {
                                continue;
                            };
                            if gk != sk {
                                continue;
                            }
                            let above = gu.value > su.value
                                || (gu.value == su.value && gu.inclusive && !su.inclusive);
                            let below = lighter
                                && match (gl, sl) {
                                    (Some(gl), Some(sl)) => {
                                        gl.value < sl.value
                                            || (gl.value == sl.value
                                                && gl.inclusive
                                                && !sl.inclusive)
                                    }
                                    (None, Some(sl)) => sl.value > Decimal::ZERO,
                                    _ => false,
                                };
                            if (above || below) && bad.is_none() {
                                let what = if above {
                                    "高于法定上限"
                                } else {
                                    "低于法定下限"
                                };
                                bad = Some((
                                    format!(
                                        "清单 {} 的条目 {} 的罚款{what}（事项 {}）；{}请把条目的罚款改在法定幅度内{}",
                                        l.name,
                                        it.id,
                                        m.id,
                                        if lighter {
                                            "从轻处罚不能超出法定幅度，"
                                        } else {
                                            "减轻处罚可低于法定下限，但不能高于法定上限；"
                                        },
                                        if lighter && !above {
                                            "，或把条目放入 减轻 清单"
                                        } else {
                                            ""
                                        }
                                    ),
                                    sf.span,
                                ));
                            }
                        }
                    }
                }
                if let Some((msg, sspan)) = bad {
                    self.emit(
                        Diagnostic::error("E0507", msg)
                            .with_primary(it.span, "条目")
                            .with_secondary(sspan, "法定罚款幅度"),
                    );
                }
            }
        }
    }

    /// W0315–W0317: a grade's sanctions against the statute's terms, where
    /// the grade's condition cannot be shown to meet them (a syntactic
    /// check: a condition is met when it is one of the grade's conjuncts).
    /// Evaluation follows the statute and warns per case.
    fn grades_vs_statute_terms(&mut self, m: &model::Matter) {
        let Table::Graded(grades) = &m.table else {
            return;
        };
        let implies = |g: &Guard, c: &model::Cond| match g {
            Guard::Otherwise => false,
            Guard::When(gc) => {
                gc == c || matches!(gc, model::Cond::And(xs) if xs.iter().any(|x| x == c))
            }
        };
        let mut found: Vec<Diagnostic> = Vec::new();
        for st in &m.statutes {
            for g in grades {
                if g.no_penalty.is_some() {
                    continue;
                }
                for o in &g.others {
                    let Some(so) = st.others.iter().find(|x| x.name == o.name) else {
                        continue;
                    };
                    let Some(c) = &so.when else { continue };
                    if o.when.as_ref() == Some(c) || implies(&g.guard, c) {
                        continue;
                    }
                    found.push(
                        Diagnostic::warning(
                            "W0315",
                            format!(
                                "事项 {} 的阶次 {} 并处“{}”，而法定罚则只在特定条件下允许它；阶次条件不能表明该条件成立。不具备该条件的案件将不推荐这项处罚。请把法定条件写进阶次条件，或写成 并处 {} 当 …",
                                m.id, g.id, o.name, o.name
                            ),
                        )
                        .with_primary(o.span, "阶次的处罚")
                        .with_secondary(so.span, "法定条件"),
                    );
                }
                let Some(sf) = &st.fine else { continue };
                match (&g.fine, &sf.rule) {
                    // The precondition shape (`当 逾期不改正: …; 其他: 无`); a
                    // conditional `无` arm (a zero base) is left to evaluation.
                    (Some(gf), FineRule::Switch(arms))
                        if arms
                            .iter()
                            .any(|a| a.fine.is_none() && a.guard == Guard::Otherwise) =>
                    {
                        // The grade's fine needs an arm with a fine to apply.
                        let fined: Vec<&model::Cond> = arms
                            .iter()
                            .take_while(|a| a.fine.is_some())
                            .filter_map(|a| match &a.guard {
                                Guard::When(c) => Some(c),
                                Guard::Otherwise => None,
                            })
                            .collect();
                        let shown = fined.iter().any(|c| implies(&g.guard, c))
                            // A grade switch mirroring the statute's arms.
                            || matches!(&gf.rule, FineRule::Switch(garms) if garms.iter().all(|ga| {
                                ga.fine.is_none()
                                    || fined.iter().any(|c| implies(&ga.guard, c))
                            }));
                        if !shown {
                            found.push(
                                Diagnostic::warning(
                                    "W0316",
                                    format!(
                                        "事项 {} 的阶次 {} 规定了罚款，而法定罚则在某些情形下不处罚款（分支为 无）；阶次条件不能表明法定罚款的条件成立。不处罚款的案件将按法律不处罚款。请把法定条件写进阶次条件",
                                        m.id, g.id
                                    ),
                                )
                                .with_primary(gf.span, "阶次的罚款")
                                .with_secondary(sf.span, "法定罚款"),
                            );
                        }
                    }
                    (None, FineRule::Switch(_)) => {}
                    (None, _)
                        if !g.reduced
                            && g.collective.is_none()
                            && g.refers.is_none()
                            && sf.modality == ast::Modality::Shall =>
                    {
                        found.push(
                            Diagnostic::warning(
                                "W0317",
                                format!(
                                    "事项 {} 的阶次 {} 没有规定罚款，而法定罚则应当处罚款；适用该阶次的案件将按法定幅度计算。请在阶次中写明罚款，或把阶次标为 减轻（减轻处罚可不处罚款）、写成 不予处罚",
                                    m.id, g.id
                                ),
                            )
                            .with_primary(g.span, "没有罚款的阶次")
                            .with_secondary(sf.span, "法定罚款"),
                        );
                    }
                    _ => {}
                }
            }
        }
        // One diagnostic per place, even with several statute versions.
        let mut seen: Vec<(String, Option<Span>)> = Vec::new();
        for d in found {
            let key = (d.code.to_string(), d.labels.first().map(|l| l.span));
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            self.emit(d);
        }
    }

    /// A max-only statute the benchmark relies on, without 仅有上限 policies.
    fn max_only(&mut self, m: &model::Matter) {
        let declared = self.policy.as_ref().is_some_and(|p| {
            p.max_only_lighter.is_some()
                || p.max_only_ordinary.is_some()
                || p.max_only_heavier.is_some()
        });
        if declared {
            return;
        }
        let relies = match &m.table {
            Table::None => true,
            Table::Graded(gs) => gs.iter().any(|g| {
                matches!(
                    g.fine.as_ref().map(|f| &f.rule),
                    Some(FineRule::StatuteBand { .. } | FineRule::MaximumBand { .. })
                )
            }),
            Table::Weighted(_) => false,
        };
        if !relies {
            return;
        }
        for s in &m.statutes {
            if let Some(f) = &s.fine
                && let FineRule::Range { lower: None, upper } = &f.rule
            {
                let up = match &upper.value {
                    Amount::Fixed(d) => text::money(*d),
                    Amount::OfBase { base, factor, .. } => {
                        format!("{}的{}倍", self.fact_name(*base), factor.normalize())
                    }
                    Amount::Product { money, count, .. } => {
                        format!("{}乘以{}", self.fact_name(*money), self.fact_name(*count))
                    }
                };
                self.emit(
                    Diagnostic::warning(
                        "W0303",
                        format!(
                            "事项 {} 的法定罚款只有上限（{up}以下），而规则集没有声明 仅有上限从轻 / 仅有上限一般 / 仅有上限从重 政策；从轻、从重将按 0 至 {up} 的百分比计算。请在 政策 中写明，例如 `仅有上限从轻: 法定 0% 至 20%`",
                            m.id
                        ),
                    )
                    .with_primary(f.span, "只有上限的法定罚款"),
                );
                break;
            }
        }
    }
}
