//! Facts in conditions: name resolution, literal typing against fact types
//! and units, range phrases read by the boundary convention.

use super::{Checker, Scope, text};
use crate::diag::Diagnostic;
use crate::model::{Bound, Boundaries, Cond, FactId, FactType, Interval, LimitationRule, Period};
use crate::source::Span;
use crate::syntax::ast::{self, CompareOp, EndKind, Ident, Literal, LiteralValue, RangePhrase};
use crate::value::{Date, Dimension};
use rust_decimal::Decimal;

/// A literal typed against a fact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Typed {
    Num(Decimal),
    Date(Date),
    Bool(bool),
    Enum(u16),
}

/// The keywords that, glued to names, make the classic Chinese-text mistake.
const GLUED: [char; 3] = ['且', '或', '非'];

impl Checker<'_> {
    /// Resolves a fact name in a scope, reporting unknown names with hints.
    pub fn lookup(&mut self, id: &Ident, scope: Scope<'_>) -> Option<(FactId, FactType)> {
        if let Some(f) = scope.facts.get(&id.name).copied() {
            return self.fact_type(f).cloned().map(|t| (f, t));
        }
        let where_ = match scope.owner {
            Some(m) => format!("事项 {m} 中没有声明这个事实"),
            None => "共享事实中没有这个名称".to_string(),
        };
        let mut d = Diagnostic::error(
            "E0101",
            format!(
                "未知事实 `{}`：{where_}；请先在 事实 {{ … }} 中声明它，或改正拼写",
                id.name
            ),
        )
        .with_primary(id.span, "未知事实");
        // 且/或/非 glued to names.
        if id.name.chars().any(|c| GLUED.contains(&c)) {
            let parts: Vec<&str> = id.name.split(GLUED).filter(|p| !p.is_empty()).collect();
            let known = parts
                .iter()
                .filter(|p| scope.facts.contains_key(**p))
                .count();
            if parts.len() >= 2 && known >= 1 || parts.len() == 1 && known == 1 {
                let mut fixed = String::new();
                for c in id.name.chars() {
                    if GLUED.contains(&c) {
                        fixed.push(' ');
                        fixed.push(c);
                        fixed.push(' ');
                    } else {
                        fixed.push(c);
                    }
                }
                let fixed = fixed.trim().to_string();
                d = d.with_note(format!(
                    "是否想写 `{fixed}`？关键字 且、或、非 两侧需要空格，否则会被当作名称的一部分"
                ));
            }
        }
        if let Some(c) = text::closest(&id.name, scope.facts.keys().map(|k| k.as_str())) {
            d = d.with_note(format!("最接近的已声明事实是 {c}"));
        }
        if scope.owner.is_none() {
            d = d.with_note(
                "清单条目和规则集级情节只能使用共享事实；只适用于一个事项时，也可使用该事项自己的事实"
                    .to_string(),
            );
        }
        self.emit(d);
        None
    }

    /// Lowers a condition.
    pub fn cond(&mut self, c: &ast::Cond, scope: Scope<'_>) -> Option<Cond> {
        match c {
            ast::Cond::And(cs, _) | ast::Cond::Or(cs, _) => {
                let mut out = Vec::new();
                let mut ok = true;
                for c in cs {
                    match self.cond(c, scope) {
                        Some(x) => out.push(x),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                Some(if matches!(c, ast::Cond::And(..)) {
                    Cond::And(out)
                } else {
                    Cond::Or(out)
                })
            }
            ast::Cond::Not(inner, _) => self.cond(inner, scope).map(|x| Cond::Not(Box::new(x))),
            ast::Cond::Fact(id) => {
                let (f, ty) = self.lookup(id, scope)?;
                if ty == FactType::Bool {
                    return Some(Cond::Bool {
                        fact: f,
                        value: true,
                    });
                }
                let example = match &ty {
                    FactType::Enum(vs) => format!(
                        "`{} = {}`",
                        id.name,
                        vs.first().map(String::as_str).unwrap_or("…")
                    ),
                    _ => format!("`{} >= …`", id.name),
                };
                self.emit(
                    Diagnostic::error(
                        "E0204",
                        format!(
                            "事实 {} 是{}，不能单独作为条件；请写出比较，例如 {example}",
                            id.name,
                            text::fact_type(&ty)
                        ),
                    )
                    .with_primary(id.span, "不是是否事实"),
                );
                None
            }
            ast::Cond::Compare {
                fact,
                op,
                value,
                span,
            } => {
                let (f, ty) = self.lookup(fact, scope)?;
                self.compare(fact, f, &ty, *op, value, *span)
            }
            ast::Cond::In {
                fact,
                values,
                negated,
                ..
            } => {
                let (f, ty) = self.lookup(fact, scope)?;
                let mut alts = Vec::new();
                let mut ok = true;
                for v in values {
                    match self.compare(fact, f, &ty, CompareOp::Eq, v, v.span) {
                        Some(c) => alts.push(c),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                if let FactType::Enum(vs) = &ty {
                    let mut set: Vec<u16> = alts
                        .iter()
                        .flat_map(|c| match c {
                            Cond::Enum { values, .. } => values.clone(),
                            _ => Vec::new(),
                        })
                        .collect();
                    set.sort_unstable();
                    set.dedup();
                    if *negated {
                        set = (0..enum_len(vs)).filter(|i| !set.contains(i)).collect();
                    }
                    return Some(Cond::Enum {
                        fact: f,
                        values: set,
                    });
                }
                let or = Cond::Or(alts);
                Some(if *negated {
                    Cond::Not(Box::new(or))
                } else {
                    or
                })
            }
            ast::Cond::Range { fact, range, span } => {
                let (f, ty) = self.lookup(fact, scope)?;
                // The fact's own 边界 reads this range (restored however it ends).
                let outer = self.range_fact.replace(f);
                let c = self.range_cond(f, &ty, fact, range, *span);
                self.range_fact = outer;
                c
            }
        }
    }

    /// A range condition on a date or number fact, read by the fact's,
    /// matter's or file's 边界.
    fn range_cond(
        &mut self,
        f: FactId,
        ty: &FactType,
        fact: &Ident,
        range: &ast::RangePhrase,
        span: Span,
    ) -> Option<Cond> {
        let ty = ty.clone();
        match &ty {
            FactType::Date => {
                let iv = self.read_range(range, &mut |ck: &mut Checker<'_>, l| match ck
                    .typed(fact, &ty, l)?
                {
                    Typed::Date(d) => Some(d),
                    _ => None,
                })?;
                Some(Cond::Date {
                    fact: f,
                    interval: iv,
                })
            }
            t if t.is_numeric() => {
                let iv = self.read_range(range, &mut |ck: &mut Checker<'_>, l| match ck
                    .typed(fact, &ty, l)?
                {
                    Typed::Num(d) => Some(d),
                    _ => None,
                })?;
                let conv = |e: &Option<ast::RangeEnd>| {
                    e.as_ref().is_some_and(|e| e.kind == EndKind::Convention)
                };
                let local = self.declared_locally(Some(f));
                Some(Cond::Number {
                    fact: f,
                    interval: iv,
                    // Ends a declared convention (the fact's or matter's
                    // own) decided are not the undeclared convention's.
                    by_convention: (
                        !self.in_statute && !local && conv(&range.lower),
                        !self.in_statute && !local && conv(&range.upper),
                    ),
                })
            }
            _ => {
                self.emit(
                            Diagnostic::error(
                                "E0205",
                                format!(
                                    "事实 {} 是{}，不能用 以上/以下 这类范围表述；请写 `{} = 值` 或 `{} 属于 (…)`",
                                    fact.name,
                                    text::fact_type(&ty),
                                    fact.name,
                                    fact.name
                                ),
                            )
                            .with_primary(span, "范围表述不适用"),
                        );
                None
            }
        }
    }

    fn compare(
        &mut self,
        fact: &Ident,
        f: FactId,
        ty: &FactType,
        op: CompareOp,
        value: &Literal,
        span: Span,
    ) -> Option<Cond> {
        if matches!(ty, FactType::Bool) && !matches!(op, CompareOp::Eq | CompareOp::Ne) {
            self.emit(
                Diagnostic::error(
                    "E0205",
                    format!(
                        "事实 {} 是是否事实，只能用 = 或 ≠ 比较；请写 `{}` 或 `非 {}`",
                        fact.name, fact.name, fact.name
                    ),
                )
                .with_primary(span, "比较符不适用"),
            );
            return None;
        }
        let v = self.typed(fact, ty, value)?;
        let ne = op == CompareOp::Ne;
        Some(match v {
            Typed::Bool(b) => Cond::Bool {
                fact: f,
                value: b != ne,
            },
            Typed::Enum(i) => {
                let n = match ty {
                    FactType::Enum(vs) => enum_len(vs),
                    _ => 0,
                };
                let values: Vec<u16> = (0..n)
                    .filter(|&j| match op {
                        CompareOp::Eq => j == i,
                        CompareOp::Ne => j != i,
                        CompareOp::Lt => j < i,
                        CompareOp::Le => j <= i,
                        CompareOp::Gt => j > i,
                        CompareOp::Ge => j >= i,
                    })
                    .collect();
                Cond::Enum { fact: f, values }
            }
            Typed::Num(d) => {
                let c = Cond::Number {
                    fact: f,
                    interval: op_interval(op, d),
                    by_convention: (false, false),
                };
                if ne { Cond::Not(Box::new(c)) } else { c }
            }
            Typed::Date(d) => {
                let c = Cond::Date {
                    fact: f,
                    interval: op_interval(op, d),
                };
                if ne { Cond::Not(Box::new(c)) } else { c }
            }
        })
    }

    /// Types a literal against a fact's type, converting quantities to the
    /// fact's unit.
    pub fn typed(&mut self, fact: &Ident, ty: &FactType, lit: &Literal) -> Option<Typed> {
        let shown = self.lit_text(lit);
        let mismatch = |ck: &mut Checker<'_>, hint: &str| {
            ck.emit(
                Diagnostic::error(
                    "E0201",
                    format!(
                        "事实 {} 是{}；{} 是{}，不能与之比较{hint}",
                        fact.name,
                        text::fact_type(ty),
                        shown,
                        text::literal_kind(&lit.value)
                    ),
                )
                .with_primary(lit.span, "类型不符")
                .with_secondary(fact.span, format!("{}：{}", fact.name, text::fact_type(ty))),
            );
            None
        };
        match (ty, &lit.value) {
            (FactType::Bool, LiteralValue::Bool(b)) => Some(Typed::Bool(*b)),
            (FactType::Bool, _) => mismatch(self, "；请写 是 或 否"),
            (FactType::Enum(vs), LiteralValue::Name(n) | LiteralValue::Text(n)) => {
                match vs.iter().position(|v| v == n) {
                    Some(i) => Some(Typed::Enum(u16::try_from(i).unwrap_or(u16::MAX))),
                    None => {
                        let mut d = Diagnostic::error(
                            "E0203",
                            format!(
                                "枚举事实 {} 没有取值 `{n}`；可选的取值是：{}",
                                fact.name,
                                vs.join("、")
                            ),
                        )
                        .with_primary(lit.span, "未声明的取值");
                        if let Some(c) = text::closest(n, vs.iter().map(String::as_str)) {
                            d = d.with_note(format!("最接近的取值是 {c}"));
                        }
                        self.emit(d);
                        None
                    }
                }
            }
            (FactType::Enum(vs), _) => {
                mismatch(self, &format!("；可选的取值是：{}", vs.join("、")))
            }
            (FactType::Money, LiteralValue::Money(d) | LiteralValue::Number(d)) => {
                Some(Typed::Num(*d))
            }
            (FactType::Money, _) => mismatch(self, "；请写金额，例如 10万 或 2000元"),
            (FactType::Quantity(u), LiteralValue::Number(d)) => {
                let _ = u;
                Some(Typed::Num(*d))
            }
            (FactType::Quantity(u), LiteralValue::Quantity(d, lu)) => match lu.convert(*d, *u) {
                Some(v) => Some(Typed::Num(v)),
                None if u.dimension == Dimension::Count && lu.dimension == Dimension::Count => {
                    // 人数: 数量 名 compared with 3次: a counter of another thing.
                    self.emit(
                        Diagnostic::error(
                            "E0202",
                            format!(
                                "{} 以“{}”计数；{} 数的是“{}”，不是同一种事物，不能比较。请用事实声明的量词，例如 {}{}，或改正事实的声明",
                                fact.name,
                                u.name,
                                shown,
                                lu.name,
                                d.normalize(),
                                u.name
                            ),
                        )
                        .with_primary(lit.span, "量词不符")
                        .with_secondary(fact.span, format!("{}：数量（{}）", fact.name, u.name)),
                    );
                    None
                }
                None => {
                    self.emit(
                        Diagnostic::error(
                            "E0202",
                            format!(
                                "{} 以 {} 计量（{}）；{} 是{}，两者不能换算。请用{}单位，例如 {}",
                                fact.name,
                                u.name,
                                text::dimension(u.dimension),
                                shown,
                                text::dimension(lu.dimension),
                                text::dimension(u.dimension),
                                format_args!("{}{}", d.normalize(), u.name)
                            ),
                        )
                        .with_primary(lit.span, "单位不符")
                        .with_secondary(fact.span, format!("{}：数量（{}）", fact.name, u.name)),
                    );
                    None
                }
            },
            (FactType::Quantity(u), _) => {
                mismatch(self, &format!("；请写带单位的数量，例如 20{}", u.name))
            }
            (FactType::Integer, LiteralValue::Number(d)) => self.integral(fact, lit, *d),
            (FactType::Integer, LiteralValue::Quantity(d, u))
                if u.dimension == Dimension::Count =>
            {
                self.integral(fact, lit, *d)
            }
            (FactType::Integer, LiteralValue::Quantity(_, u)) => {
                self.emit(
                    Diagnostic::error(
                        "E0202",
                        format!(
                            "{} 是整数（计数）；{} 是{}，不能与之比较。请写次数或个数，例如 3 或 3次",
                            fact.name,
                            shown,
                            text::dimension(u.dimension)
                        ),
                    )
                    .with_primary(lit.span, "单位不符"),
                );
                None
            }
            (FactType::Integer, _) => mismatch(self, "；请写整数，例如 3 或 3次"),
            // 超标倍数 0.1倍以下: a multiple compared with a number fact is that number.
            (FactType::Number, LiteralValue::Number(d) | LiteralValue::Multiple(d)) => {
                Some(Typed::Num(*d))
            }
            (FactType::Number, _) => mismatch(self, "；请写不带单位的数字"),
            (FactType::Percent, LiteralValue::Percent(d)) => Some(Typed::Num(*d)),
            (FactType::Percent, LiteralValue::Number(d)) => {
                mismatch(self, &format!("；比例请带百分号，例如 {}%", d.normalize()))
            }
            (FactType::Percent, _) => mismatch(self, "；请写百分比，例如 30%"),
            (FactType::Date, LiteralValue::Date(d)) => Some(Typed::Date(*d)),
            (FactType::Date, _) => mismatch(self, "；请写日期，例如 2024-03-01"),
        }
    }

    fn integral(&mut self, fact: &Ident, lit: &Literal, d: Decimal) -> Option<Typed> {
        if d.fract().is_zero() {
            return Some(Typed::Num(d));
        }
        self.emit(
            Diagnostic::error(
                "E0206",
                format!(
                    "事实 {} 是整数，不能与小数 {} 比较；请写整数",
                    fact.name,
                    self.lit_text(lit)
                ),
            )
            .with_primary(lit.span, "不是整数"),
        );
        None
    }

    /// Reads a range phrase into an interval by the boundary convention of
    /// its file; reports inverted and empty ranges.
    pub fn read_range<T: Copy + PartialOrd>(
        &mut self,
        p: &RangePhrase,
        conv: &mut dyn FnMut(&mut Checker<'_>, &Literal) -> Option<T>,
    ) -> Option<Interval<T>> {
        // A statute's 以上/以下 is the law's wording: the number is included
        // (the standard legal reading, cf. 刑法 第九十九条), whatever the
        // benchmark's own 边界 convention.
        let b = if self.in_statute {
            Boundaries {
                above_inclusive: true,
                below_inclusive: true,
                declared: true,
            }
        } else {
            self.convention_for(p.span.file, self.range_fact)
        };
        let uses_convention = p
            .lower
            .as_ref()
            .is_some_and(|e| e.kind == EndKind::Convention)
            || p.upper
                .as_ref()
                .is_some_and(|e| e.kind == EndKind::Convention);
        if uses_convention && !b.declared && !self.convention_warned.contains(&p.span.file) {
            let t = self.text(p.span);
            if ["以上", "以下", "above", "below"]
                .iter()
                .any(|w| t.contains(w))
            {
                self.convention_warned.insert(p.span.file);
                self.emit(
                    Diagnostic::warning(
                        "W0301",
                        format!(
                            "`{t}` 的含义取决于 以上、以下 是否包括本数，但规则集没有声明 边界；现按 以上、以下均含本数 理解。请在规则集头部写明，例如 `边界 以上含本数 以下不含本数`"
                        ),
                    )
                    .with_primary(p.span, "依赖边界约定的表述")
                    .with_note("各地文件不同：有的 以上包括本数、以下不包括本数，有的均含本数；相邻阶次在边界处是否重叠取决于此（本文件只提示一次）"),
                );
            }
        }
        let mut ok = true;
        let mut end = |ck: &mut Checker<'_>, e: &Option<ast::RangeEnd>, lower: bool| match e {
            None => None,
            Some(e) => {
                let inclusive = match e.kind {
                    EndKind::Inclusive => true,
                    EndKind::Exclusive => false,
                    EndKind::Convention if lower => b.above_inclusive,
                    EndKind::Convention => b.below_inclusive,
                };
                match conv(ck, &e.value) {
                    Some(value) => Some(Bound { value, inclusive }),
                    None => {
                        ok = false;
                        None
                    }
                }
            }
        };
        let lower = end(self, &p.lower, true);
        let upper = end(self, &p.upper, false);
        if !ok {
            return None;
        }
        if let (Some(l), Some(u)) = (lower, upper) {
            let t = self.text(p.span);
            let (ls, us) = (
                p.lower
                    .as_ref()
                    .map(|e| self.lit_text(&e.value))
                    .unwrap_or_default(),
                p.upper
                    .as_ref()
                    .map(|e| self.lit_text(&e.value))
                    .unwrap_or_default(),
            );
            if l.value > u.value {
                self.emit(
                    Diagnostic::error(
                        "E0301",
                        format!(
                            "范围 `{t}` 的下限 {ls} 大于上限 {us}；请交换两端，或改正其中一个数"
                        ),
                    )
                    .with_primary(p.span, "下限大于上限"),
                );
                return None;
            }
            if l.value == u.value && !(l.inclusive && u.inclusive) {
                self.emit(
                    Diagnostic::error(
                        "E0302",
                        format!(
                            "范围 `{t}` 是空的：两端都是 {ls}，但有一端不含本数；若指一个确定的数，请直接写 {ls}，否则请改正两端"
                        ),
                    )
                    .with_primary(p.span, "空范围"),
                );
                return None;
            }
        }
        Some(Interval { lower, upper })
    }

    /// Lowers a limitation rule.
    pub fn limitation(&mut self, l: &ast::Limitation, scope: Scope<'_>) -> Option<LimitationRule> {
        let period = self.period(&l.period);
        let when = match &l.when {
            Some(c) => Some(self.cond(c, scope)?),
            None => None,
        };
        Some(LimitationRule {
            period: period?,
            when,
            basis: l.basis.as_ref().map(|t| t.value.clone()),
            span: l.span,
        })
    }

    fn period(&mut self, lit: &Literal) -> Option<Period> {
        if let LiteralValue::Quantity(d, u) = &lit.value
            && d.fract().is_zero()
            && *d >= Decimal::ZERO
        {
            let months = crate::value::Unit::parse("月");
            let days = crate::value::Unit::parse("天");
            let as_u32 = |x: Decimal| u32::try_from(x).ok();
            match u.dimension {
                Dimension::Months => {
                    if let Some(n) = months.and_then(|m| u.convert(*d, m)).and_then(as_u32) {
                        return Some(Period::Months(n));
                    }
                }
                Dimension::Days => {
                    if let Some(n) = as_u32(*d) {
                        return Some(Period::Days(n));
                    }
                }
                _ => {}
            }
            let _ = days;
        }
        self.emit(
            Diagnostic::error(
                "E0212",
                format!(
                    "时效 {} 不是以 年、月 或 天 计的整数期限；请写 例如 2年、6个月 或 90天",
                    self.lit_text(lit)
                ),
            )
            .with_primary(lit.span, "不是期限"),
        );
        None
    }
}

fn enum_len(vs: &[String]) -> u16 {
    u16::try_from(vs.len()).unwrap_or(u16::MAX)
}

fn op_interval<T: Copy>(op: CompareOp, v: T) -> Interval<T> {
    let b = |inclusive| {
        Some(Bound {
            value: v,
            inclusive,
        })
    };
    match op {
        CompareOp::Eq | CompareOp::Ne => Interval {
            lower: b(true),
            upper: b(true),
        },
        CompareOp::Lt => Interval {
            lower: None,
            upper: b(false),
        },
        CompareOp::Le => Interval {
            lower: None,
            upper: b(true),
        },
        CompareOp::Gt => Interval {
            lower: b(false),
            upper: None,
        },
        CompareOp::Ge => Interval {
            lower: b(true),
            upper: None,
        },
    }
}

/// Conjoins optional conditions (`None` when there are none).
pub(crate) fn conjoin(parts: Vec<Cond>) -> Cond {
    match parts.len() {
        0 => Cond::True,
        1 => parts.into_iter().next().unwrap_or(Cond::True),
        _ => Cond::And(parts),
    }
}
