//! The canonical printer behind `cailiang fmt`.
//!
//! Prints a syntax tree in one keyword set with one layout. Parsing the
//! output gives the same tree (spans aside): a property the tests check.

use super::ast::*;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Prints `file` canonically in the keyword set `keywords`.
pub fn format(file: &File, keywords: KeywordSet) -> String {
    let mut p = Printer {
        out: String::new(),
        zh: keywords == KeywordSet::Chinese,
        indent: 0,
        comments: &file.comments,
        next_comment: 0,
    };
    for (i, item) in file.items.iter().enumerate() {
        if i > 0 {
            p.out.push('\n');
        }
        if let Some(at) = item_start(item) {
            p.comments_before(at);
        }
        p.item(item);
    }
    p.comments_before(u32::MAX);
    p.out
}

/// Where an item starts, for placing the comments before it.
fn item_start(item: &Item) -> Option<u32> {
    Some(match item {
        Item::Header(h) => h.span.start,
        Item::Include(t) => t.span.start,
        Item::Facts(fs) => fs.first()?.span.start,
        Item::Limitation(l) => l.span.start,
        Item::Circumstance(c) => c.span.start,
        Item::List(l) => l.span.start,
        Item::Matter(m) => m.span.start,
    })
}

struct Printer<'a> {
    out: String,
    zh: bool,
    indent: usize,
    /// The file's comments, and the first one not yet printed.
    comments: &'a [Comment],
    next_comment: usize,
}

impl Printer<'_> {
    /// Prints, at the current indentation, every comment that starts before `at`.
    fn comments_before(&mut self, at: u32) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.span.start >= at {
                break;
            }
            let text = c.text.clone();
            self.line(&text);
            self.next_comment += 1;
        }
    }

    fn kw(&self, zh: &'static str, en: &'static str) -> &'static str {
        if self.zh { zh } else { en }
    }

    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn open(&mut self, s: &str) {
        self.line(&format!("{s} {{"));
        self.indent += 1;
    }

    fn close(&mut self) {
        self.indent = self.indent.saturating_sub(1);
        self.line("}");
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Header(h) => self.header(h),
            Item::Include(t) => self.line(&format!(
                "{} {}",
                self.kw("引用", "include"),
                quote(&t.value)
            )),
            Item::Facts(fs) => self.facts(fs),
            Item::Limitation(l) => self.limitation(l),
            Item::Circumstance(c) => self.circumstance(c),
            Item::List(l) => self.list(l),
            Item::Matter(m) => self.matter(m),
        }
    }

    fn header(&mut self, h: &Header) {
        self.open(&format!(
            "{} {}",
            self.kw("规则集", "ruleset"),
            quote(&h.name.value)
        ));
        for e in &h.entries {
            if let Some(at) = header_entry_start(e) {
                self.comments_before(at);
            }
            match e {
                HeaderEntry::Authority(t) => self.line(&format!(
                    "{} {}",
                    self.kw("制定机关", "authority"),
                    quote(&t.value)
                )),
                HeaderEntry::DocumentNumber(t) => self.line(&format!(
                    "{} {}",
                    self.kw("文号", "document_number"),
                    quote(&t.value)
                )),
                HeaderEntry::Source(t) => self.line(&format!(
                    "{} {}",
                    self.kw("来源", "source"),
                    quote(&t.value)
                )),
                HeaderEntry::Note(t) => {
                    self.line(&format!("{} {}", self.kw("说明", "note"), quote(&t.value)))
                }
                HeaderEntry::Refines(t) => self.line(&format!(
                    "{} {}",
                    self.kw("细化", "refines"),
                    quote(&t.value)
                )),
                HeaderEntry::Level(l) => {
                    let v = match l.level {
                        Level::National => self.kw("国家", "national"),
                        Level::Province => self.kw("省级", "province"),
                        Level::City => self.kw("市级", "city"),
                        Level::County => self.kw("县级", "county"),
                        Level::Township => self.kw("乡镇", "township"),
                    };
                    self.line(&format!("{} {v}", self.kw("层级", "level")));
                }
                HeaderEntry::Effective { from, to, .. } => {
                    let mut s = format!("{} {}", self.kw("施行", "effective"), from.date);
                    if let Some(to) = to {
                        let _ = write!(s, " {} {}", self.kw("至", "to"), to.date);
                    }
                    self.line(&s);
                }
                HeaderEntry::Boundaries(b) => {
                    let s = self.boundaries(b);
                    self.line(&s);
                }
                HeaderEntry::Policy(entries) => {
                    self.open(self.kw("政策", "policy"));
                    for pe in entries {
                        self.comments_before(pe.span.start);
                        let s = self.policy_entry(&pe.kind);
                        self.line(&s);
                    }
                    self.close();
                }
            }
        }
        self.close();
    }

    fn policy_entry(&self, k: &PolicyEntryKind) -> String {
        let word = |zh: &'static str, en: &'static str| self.kw(zh, en);
        match k {
            PolicyEntryKind::Lighter(b) => format!("{}: {}", word("从轻", "lighter"), self.band(b)),
            PolicyEntryKind::Heavier(b) => format!("{}: {}", word("从重", "heavier"), self.band(b)),
            PolicyEntryKind::Ordinary(b) => {
                format!("{}: {}", word("一般", "ordinary"), self.band(b))
            }
            PolicyEntryKind::MaxOnlyLighter(b) => format!(
                "{}: {}",
                word("仅有上限从轻", "max_only_lighter"),
                self.band(b)
            ),
            PolicyEntryKind::MaxOnlyOrdinary(b) => {
                format!(
                    "{}: {}",
                    word("仅有上限一般", "max_only_ordinary"),
                    self.band(b)
                )
            }
            PolicyEntryKind::MaxOnlyHeavier(b) => format!(
                "{}: {}",
                word("仅有上限从重", "max_only_heavier"),
                self.band(b)
            ),
            PolicyEntryKind::ReducedFloor(f) => {
                let v = match f {
                    ReducedFloor::None(_) => word("无", "none").to_string(),
                    ReducedFloor::Amount(l) => self.literal(l),
                    ReducedFloor::ShareOfMinimum(l) => format!(
                        "{} {}",
                        word("法定下限", "share_of_minimum"),
                        self.literal(l)
                    ),
                };
                format!("{}: {v}", word("减轻下限", "reduced_floor"))
            }
            PolicyEntryKind::Mixed(m, _) => {
                let v = match m {
                    MixedRule::Ask => word("询问", "ask"),
                    MixedRule::Offset => word("抵消", "offset"),
                    MixedRule::LighterPrevails => word("从轻优先", "lighter_prevails"),
                    MixedRule::HeavierPrevails => word("从重优先", "heavier_prevails"),
                };
                format!("{}: {v}", word("情节竞合", "mixed"))
            }
            PolicyEntryKind::SeveralGrades(s, _) => {
                let v = match s {
                    SeveralGrades::Heavier => word("从重", "heavier"),
                    SeveralGrades::First => word("首个", "first"),
                };
                format!("{}: {v}", word("多阶次", "several_grades"))
            }
            PolicyEntryKind::UnknownFactor(u, _) => {
                let v = match u {
                    UnknownFactor::Lowest => word("最低", "lowest"),
                    UnknownFactor::AllLevels => word("全部", "all_levels"),
                };
                format!("{}: {v}", word("未知因素", "unknown_factor"))
            }
            PolicyEntryKind::ReducedRequires(q, _) => format!(
                "{}: {}",
                word("减轻条件", "reduced_requires"),
                self.quant(*q)
            ),
            PolicyEntryKind::LighterRequires(q, _) => format!(
                "{}: {}",
                word("从轻条件", "lighter_requires"),
                self.quant(*q)
            ),
            PolicyEntryKind::HeavierRequires(q, _) => format!(
                "{}: {}",
                word("从重条件", "heavier_requires"),
                self.quant(*q)
            ),
            PolicyEntryKind::Rounding(r, _) => {
                let v = match r {
                    Rounding::Exact => word("不取整", "exact"),
                    Rounding::Fen => word("分", "fen"),
                    Rounding::Jiao => word("角", "jiao"),
                    Rounding::Yuan => word("元", "yuan"),
                    Rounding::Hundred => word("百元", "hundred"),
                    Rounding::Thousand => word("千元", "thousand"),
                };
                format!("{}: {v}", word("取整", "rounding"))
            }
        }
    }

    fn quant(&self, q: Quantifier) -> &'static str {
        match q {
            Quantifier::All => self.kw("全部", "all"),
            Quantifier::Any => self.kw("任一", "any"),
        }
    }

    fn band(&self, b: &Band) -> String {
        let r = match b.reference {
            BandReference::Grade => self.kw("阶次", "grade"),
            BandReference::Statute => self.kw("法定", "statute"),
            BandReference::StatutoryMaximum => self.kw("法定上限", "statutory_maximum"),
        };
        let v = match &b.value {
            BandValue::Point(l) => self.literal(l),
            BandValue::Range(rp) => self.range(rp),
        };
        format!("{r} {v}")
    }

    fn literal(&self, l: &Literal) -> String {
        match &l.value {
            LiteralValue::Money(d) => money(*d),
            LiteralValue::Number(d) => d.to_string(),
            LiteralValue::Percent(d) => format!("{d}%"),
            LiteralValue::Multiple(d) => format!("{d}倍"),
            LiteralValue::Quantity(d, u) => format!("{d}{}", u.name),
            LiteralValue::Date(d) => d.to_string(),
            LiteralValue::Bool(b) => match (b, self.zh) {
                (true, true) => "是".into(),
                (false, true) => "否".into(),
                (true, false) => "true".into(),
                (false, false) => "false".into(),
            },
            LiteralValue::Name(n) => n.clone(),
            LiteralValue::Text(t) => quote(t),
        }
    }

    fn range(&self, r: &RangePhrase) -> String {
        match (&r.lower, &r.upper) {
            (Some(lo), Some(hi)) if r.with_to => {
                // X至Y; an end marked explicitly keeps its mark after the
                // range: `1倍 至 2倍 含下线` (`X（含）至Y`, `X-Y（不含）` …).
                let mut s = format!(
                    "{} {} {}",
                    self.literal(&lo.value),
                    self.kw("至", "to"),
                    self.literal(&hi.value)
                );
                for (end, zh_in, zh_ex, en_in, en_ex) in [
                    (lo, "含下线", "不含下线", "lower_included", "lower_excluded"),
                    (hi, "含上线", "不含上线", "upper_included", "upper_excluded"),
                ] {
                    let mark = match end.kind {
                        EndKind::Convention => continue,
                        EndKind::Inclusive => self.kw(zh_in, en_in),
                        EndKind::Exclusive => self.kw(zh_ex, en_ex),
                    };
                    s.push(' ');
                    s.push_str(mark);
                }
                s
            }
            (lo, hi) => {
                let mut parts = Vec::new();
                if let Some(lo) = lo {
                    let v = self.literal(&lo.value);
                    parts.push(match lo.kind {
                        EndKind::Convention if self.zh => format!("{v}以上"),
                        EndKind::Convention => format!("{v} above"),
                        EndKind::Inclusive => format!("{} {v}", self.kw("不低于", "at_least")),
                        EndKind::Exclusive => format!("{} {v}", self.kw("超过", "over")),
                    });
                }
                if let Some(hi) = hi {
                    let v = self.literal(&hi.value);
                    parts.push(match hi.kind {
                        EndKind::Convention if self.zh => format!("{v}以下"),
                        EndKind::Convention => format!("{v} below"),
                        EndKind::Inclusive => format!("{} {v}", self.kw("不超过", "at_most")),
                        EndKind::Exclusive => format!("{} {v}", self.kw("不满", "under")),
                    });
                }
                // 以上/以下 phrases read as one word in Chinese: 10万元以上20万元以下.
                let glued = self.zh
                    && r.lower
                        .as_ref()
                        .is_some_and(|e| e.kind == EndKind::Convention)
                    && r.upper
                        .as_ref()
                        .is_some_and(|e| e.kind == EndKind::Convention);
                parts.join(if glued { "" } else { " " })
            }
        }
    }

    fn cond(&self, c: &Cond) -> String {
        self.cond_prec(c, 0)
    }

    /// Precedence: 0 = or, 1 = and, 2 = not/atom.
    fn cond_prec(&self, c: &Cond, ctx: u8) -> String {
        let (s, prec) = match c {
            Cond::Or(parts, _) => (
                parts
                    .iter()
                    .map(|p| self.cond_prec(p, 1))
                    .collect::<Vec<_>>()
                    .join(&format!(" {} ", self.kw("或", "or"))),
                0,
            ),
            Cond::And(parts, _) => (
                parts
                    .iter()
                    .map(|p| self.cond_prec(p, 2))
                    .collect::<Vec<_>>()
                    .join(&format!(" {} ", self.kw("且", "and"))),
                1,
            ),
            Cond::Not(inner, _) => (
                format!("{} {}", self.kw("非", "not"), self.cond_prec(inner, 3)),
                2,
            ),
            Cond::Fact(i) => (i.name.clone(), 3),
            Cond::Compare {
                fact, op, value, ..
            } => {
                let op = match op {
                    CompareOp::Eq => "=",
                    CompareOp::Ne => "≠",
                    CompareOp::Lt => "<",
                    CompareOp::Le => "<=",
                    CompareOp::Gt => ">",
                    CompareOp::Ge => ">=",
                };
                (format!("{} {op} {}", fact.name, self.literal(value)), 3)
            }
            Cond::In {
                fact,
                values,
                negated,
                ..
            } => {
                let kw = if *negated {
                    self.kw("不属于", "not_in")
                } else {
                    self.kw("属于", "in")
                };
                let vs: Vec<String> = values.iter().map(|v| self.literal(v)).collect();
                (format!("{} {kw} ({})", fact.name, vs.join(", ")), 3)
            }
            Cond::Range { fact, range, .. } => (format!("{} {}", fact.name, self.range(range)), 3),
        };
        if prec < ctx && !(prec == 2 && ctx == 2) {
            format!("({s})")
        } else {
            s
        }
    }

    fn guard(&self, g: &Guard) -> String {
        match g {
            Guard::When(c) => format!("{} {}", self.kw("当", "when"), self.cond(c)),
            Guard::Otherwise(_) => self.kw("其他", "otherwise").to_string(),
        }
    }

    /// `边界 以上含本数 以下不含本数`.
    fn boundaries(&self, b: &BoundariesDecl) -> String {
        let mut s = self.kw("边界", "boundaries").to_string();
        if let Some(a) = b.above_inclusive {
            s.push(' ');
            s.push_str(match (a, self.zh) {
                (true, true) => "以上含本数",
                (false, true) => "以上不含本数",
                (true, false) => "above_inclusive",
                (false, false) => "above_exclusive",
            });
        }
        if let Some(a) = b.below_inclusive {
            s.push(' ');
            s.push_str(match (a, self.zh) {
                (true, true) => "以下含本数",
                (false, true) => "以下不含本数",
                (true, false) => "below_inclusive",
                (false, false) => "below_exclusive",
            });
        }
        s
    }

    fn facts(&mut self, fs: &[FactDecl]) {
        self.open(self.kw("事实", "facts"));
        for f in fs {
            self.comments_before(f.span.start);
            let ty = match &f.ty {
                FactTypeExpr::Bool => self.kw("是否", "bool").to_string(),
                FactTypeExpr::Enum(vs) => {
                    let names: Vec<String> = vs.iter().map(|v| label(&v.name)).collect();
                    format!("{}({})", self.kw("枚举", "enum"), names.join(", "))
                }
                FactTypeExpr::Money => self.kw("金额", "money").to_string(),
                FactTypeExpr::Quantity(u, _) => {
                    format!("{} {}", self.kw("数量", "quantity"), u.name)
                }
                FactTypeExpr::Integer => self.kw("整数", "integer").to_string(),
                FactTypeExpr::Number => self.kw("数值", "number").to_string(),
                FactTypeExpr::Percent => self.kw("比例", "percent").to_string(),
                FactTypeExpr::Date => self.kw("日期", "date").to_string(),
            };
            let mut s = format!("{}: {ty}", f.name.name);
            if let Some(d) = &f.default {
                let _ = write!(s, " {} {}", self.kw("默认", "default"), self.literal(d));
            }
            if let Some(b) = &f.boundaries {
                let _ = write!(s, " {}", self.boundaries(b));
            }
            if let Some(d) = &f.description {
                let _ = write!(s, " {}", quote(&d.value));
            }
            self.line(&s);
        }
        self.close();
    }

    fn limitation(&mut self, l: &Limitation) {
        let mut s = format!(
            "{} {}",
            self.kw("时效", "limitation"),
            self.literal(&l.period)
        );
        if let Some(c) = &l.when {
            let _ = write!(s, " {} {}", self.kw("当", "when"), self.cond(c));
        }
        if let Some(b) = &l.basis {
            let _ = write!(s, " {} {}", self.kw("依据", "basis"), quote(&b.value));
        }
        self.line(&s);
    }

    fn modality(&self, m: Modality) -> &'static str {
        match m {
            Modality::Shall => self.kw("应当", "shall"),
            Modality::May => self.kw("可以", "may"),
        }
    }

    fn effect(&self, e: Effect) -> &'static str {
        match e {
            Effect::Lighter => self.kw("从轻", "lighter"),
            Effect::Heavier => self.kw("从重", "heavier"),
            Effect::Reduced => self.kw("减轻", "reduced"),
            Effect::LighterOrReduced => self.kw("从轻或者减轻", "lighter_or_reduced"),
            Effect::NoPenalty => self.kw("不予处罚", "no_penalty"),
            Effect::GradeMaximum => self.kw("本档最高限度", "grade_maximum"),
            Effect::GradeMinimum => self.kw("本档较低限", "grade_minimum"),
            Effect::GradeUp => self.kw("上调一个档次", "grade_up"),
        }
    }

    fn scope(&self, s: &Scope) -> String {
        match s {
            Scope::All(_) => format!(
                "{} {}",
                self.kw("适用", "applies_to"),
                self.kw("全部", "all")
            ),
            Scope::Matters(ids, _) => {
                let ids: Vec<&str> = ids.iter().map(|i| i.name.as_str()).collect();
                format!("{} {}", self.kw("事项", "matter"), ids.join(", "))
            }
        }
    }

    fn obligations(&self, os: &[Text]) -> String {
        let names: Vec<String> = os.iter().map(|o| label(&o.value)).collect();
        format!("{} {}", self.kw("义务", "obligations"), names.join(", "))
    }

    fn circumstance(&mut self, c: &Circumstance) {
        let mut head = format!("{} {}", self.kw("情节", "circumstance"), c.id.name);
        if let Some(n) = &c.name {
            let _ = write!(head, " {}", quote(&n.value));
        }
        self.open(&head);
        self.line(&format!(
            "{} {}",
            self.modality(c.modality),
            self.effect(c.effect)
        ));
        if let Some(w) = &c.when {
            self.line(&format!("{} {}", self.kw("当", "when"), self.cond(w)));
        }
        if let Some(b) = &c.basis {
            self.line(&format!("{} {}", self.kw("依据", "basis"), quote(&b.value)));
        }
        if let Some(s) = &c.scope {
            let s = self.scope(s);
            self.line(&s);
        }
        if !c.obligations.is_empty() {
            let s = self.obligations(&c.obligations);
            self.line(&s);
        }
        self.close();
    }

    fn list(&mut self, l: &ListDecl) {
        let kind = match (l.kind, l.word.as_deref()) {
            (_, Some("免予处罚")) => self.kw("免予处罚", "exempt"),
            (_, Some("轻微免罚")) => self.kw("轻微免罚", "minor_exempt"),
            (_, Some("首错免罚")) => self.kw("首错免罚", "first_error_exempt"),
            (ListKind::NoPenalty, _) => self.kw("不予处罚", "no_penalty"),
            (ListKind::Lighter, _) => self.kw("从轻", "lighter"),
            (ListKind::Reduced, _) => self.kw("减轻", "reduced"),
            (ListKind::FirstOffence, _) => self.kw("首违不罚", "first_offence"),
        };
        let mut head = format!("{} {kind}", self.kw("清单", "list"));
        if let Some(id) = &l.id {
            let _ = write!(head, " {}", id.name);
        }
        let _ = write!(head, " {}", quote(&l.name.value));
        self.open(&head);
        if let Some(b) = &l.basis {
            self.line(&format!("{} {}", self.kw("依据", "basis"), quote(&b.value)));
        }
        if let Some(m) = l.modality {
            self.line(self.modality(m));
        }
        if l.fixed {
            self.line(self.kw("不可增减", "fixed"));
        }
        if let Some(c) = &l.common {
            self.line(&format!(
                "{} {}",
                self.kw("条件", "condition"),
                self.cond(c)
            ));
        }
        if !l.obligations.is_empty() {
            let s = self.obligations(&l.obligations);
            self.line(&s);
        }
        for it in &l.items {
            self.comments_before(it.span.start);
            let head = format!(
                "{} {} {}",
                self.kw("项", "item"),
                it.id.name,
                quote(&it.name.value)
            );
            let empty = it.scope.is_none()
                && it.when.is_none()
                && it.modality.is_none()
                && it.obligations.is_empty()
                && it.basis.is_none()
                && it.fine.is_none();
            if empty {
                self.line(&head);
                continue;
            }
            self.open(&head);
            if let Some(s) = &it.scope {
                let s = self.scope(s);
                self.line(&s);
            }
            if let Some(w) = &it.when {
                self.line(&format!("{} {}", self.kw("当", "when"), self.cond(w)));
            }
            if let Some(m) = it.modality {
                self.line(self.modality(m));
            }
            if !it.obligations.is_empty() {
                let s = self.obligations(&it.obligations);
                self.line(&s);
            }
            if let Some(b) = &it.basis {
                self.line(&format!("{} {}", self.kw("依据", "basis"), quote(&b.value)));
            }
            if let Some(f) = &it.fine {
                self.line(&format!(
                    "{} {}",
                    self.kw("罚款", "fine"),
                    self.fine(&f.fine)
                ));
            }
            self.close();
        }
        self.close();
    }

    fn matter(&mut self, m: &Matter) {
        self.open(&format!(
            "{} {} {}",
            self.kw("事项", "matter"),
            m.id.name,
            quote(&m.name.value)
        ));
        for e in &m.entries {
            if let Some(at) = matter_entry_start(e) {
                self.comments_before(at);
            }
            match e {
                MatterEntry::ViolationBasis(t) => self.line(&format!(
                    "{} {}",
                    self.kw("违法依据", "violation_basis"),
                    quote(&t.value)
                )),
                MatterEntry::PenaltyBasis(t) => self.line(&format!(
                    "{} {}",
                    self.kw("处罚依据", "penalty_basis"),
                    quote(&t.value)
                )),
                MatterEntry::Note(t) => {
                    self.line(&format!("{} {}", self.kw("说明", "note"), quote(&t.value)))
                }
                MatterEntry::Boundaries(b) => {
                    let s = self.boundaries(b);
                    self.line(&s);
                }
                MatterEntry::Facts(fs) => self.facts(fs),
                MatterEntry::Limitation(l) => self.limitation(l),
                MatterEntry::Statute(s) => {
                    let mut head = self.kw("法定", "statute").to_string();
                    if let Some(f) = &s.from {
                        let _ = write!(head, " {} {}", self.kw("自", "from"), f.date);
                    }
                    if let Some(t) = &s.to {
                        let _ = write!(head, " {} {}", self.kw("至", "to"), t.date);
                    }
                    self.open(&head);
                    if let Some(b) = &s.basis {
                        self.line(&format!("{} {}", self.kw("依据", "basis"), quote(&b.value)));
                    }
                    self.clauses(&s.clauses);
                    self.close();
                }
                MatterEntry::Grade(g) => {
                    let mut head = format!("{} {}", self.kw("阶次", "grade"), label(&g.id.name));
                    if let Some(n) = &g.name {
                        let _ = write!(head, " {}", quote(&n.value));
                    }
                    if g.reduced {
                        let _ = write!(head, " {}", self.kw("减轻", "reduced"));
                    }
                    let _ = write!(head, " {}", self.guard(&g.guard));
                    self.open(&head);
                    for n in &g.notes {
                        self.line(&format!("{} {}", self.kw("说明", "note"), quote(&n.value)));
                    }
                    if let Some(b) = &g.basis {
                        self.line(&format!("{} {}", self.kw("依据", "basis"), quote(&b.value)));
                    }
                    if let Some(r) = &g.refer {
                        let mut s = format!(
                            "{} {} {}",
                            self.kw("参照", "refer"),
                            self.kw("事项", "matter"),
                            r.matter.name
                        );
                        if let Some(gr) = &r.grade {
                            let _ = write!(s, " {} {}", self.kw("阶次", "grade"), label(&gr.name));
                        }
                        self.line(&s);
                    }
                    if let Some(c) = &g.collective {
                        let mut s = self.kw("集体讨论", "collective_review").to_string();
                        if let Some(w) = &c.words {
                            let _ = write!(s, " {}", quote(&w.value));
                        }
                        self.line(&s);
                    }
                    self.clauses(&g.clauses);
                    self.close();
                }
                MatterEntry::Weighted(w) => self.weighted(w),
                MatterEntry::Circumstance(c) => self.circumstance(c),
            }
        }
        self.close();
    }

    fn clauses(&mut self, cs: &[SanctionClause]) {
        for c in cs {
            let at = match c {
                SanctionClause::Fine { span, .. }
                | SanctionClause::NotPunishable(span)
                | SanctionClause::Exempt(span)
                | SanctionClause::OneOf { span, .. } => span.start,
                SanctionClause::Other(o) => o.span.start,
            };
            self.comments_before(at);
            let s = self.clause_text(c);
            self.line(&s);
        }
    }

    fn clause_text(&self, c: &SanctionClause) -> String {
        match c {
            SanctionClause::Fine {
                modality,
                fine,
                stated,
                ..
            } => {
                let prefix = match modality {
                    Modality::Shall if *stated => format!("{} ", self.kw("应当", "shall")),
                    Modality::Shall => String::new(),
                    Modality::May => format!("{} ", self.kw("可以", "may")),
                };
                format!("{prefix}{} {}", self.kw("罚款", "fine"), self.fine(fine))
            }
            SanctionClause::Other(o) => {
                let mut s = match o.kind {
                    Some(k) => {
                        let word = self.kw(k.zh(), k.en());
                        match o.modality {
                            Modality::Shall => word.to_string(),
                            Modality::May => format!("{} {word}", self.kw("可以", "may")),
                        }
                    }
                    None => {
                        let kw = match o.modality {
                            Modality::Shall => self.kw("并处", "also"),
                            Modality::May => self.kw("可以并处", "may_also"),
                        };
                        format!("{kw} {}", label(&o.name.value))
                    }
                };
                if let Some(obj) = &o.object {
                    let _ = write!(s, " {}", quote(&obj.value));
                }
                match &o.period {
                    Some(Period::Exact(l)) => {
                        let _ = write!(s, " {}", self.literal(l));
                    }
                    Some(Period::Range(r)) => {
                        let _ = write!(s, " {}", self.range(r));
                    }
                    None => {}
                }
                if o.needs_approval {
                    let _ = write!(s, " {}", self.kw("需批准", "approval_required"));
                }
                if let Some(c) = &o.when {
                    let _ = write!(s, " {} {}", self.kw("当", "when"), self.cond(c));
                }
                s
            }
            SanctionClause::NotPunishable(_) => self.kw("不予处罚", "not_punishable").to_string(),
            SanctionClause::Exempt(_) => self.kw("免予处罚", "exempt").to_string(),
            SanctionClause::OneOf { alternatives, .. } => {
                let parts: Vec<String> = alternatives.iter().map(|a| self.clause_text(a)).collect();
                format!("{} {{ {} }}", self.kw("择一", "one_of"), parts.join("; "))
            }
        }
    }

    fn factors(&self, f: &BaseFactors) -> String {
        match f {
            BaseFactors::Point(l) => self.literal(l),
            BaseFactors::Range(r) => self.range(r),
        }
    }

    /// ` 最高不超过 2000元`, or nothing.
    fn fine_cap(&self, cap: &Option<Literal>) -> String {
        match cap {
            Some(c) => format!(
                " {} {}",
                self.kw("最高不超过", "capped_at"),
                self.literal(c)
            ),
            None => String::new(),
        }
    }

    fn fine(&self, f: &FineExpr) -> String {
        match f {
            FineExpr::Range(r) => self.range(r),
            FineExpr::Exact(l) => self.literal(l),
            FineExpr::OfBase {
                base, factors, cap, ..
            } => {
                let mut s = base.fact.name.clone();
                if let Some(fl) = &base.floor {
                    let _ = write!(
                        s,
                        " {} {}",
                        self.kw("最低按", "at_least_as"),
                        self.literal(fl)
                    );
                }
                format!("{s} {}{}", self.factors(factors), self.fine_cap(cap))
            }
            FineExpr::PerUnit {
                fact,
                unit,
                rates,
                cap,
                ..
            } => format!(
                "{} {} {}{} {}{}",
                self.kw("按", "per"),
                fact.name,
                self.kw("每", "each "),
                unit.name,
                self.factors(rates),
                self.fine_cap(cap)
            ),
            FineExpr::Product {
                money, count, cap, ..
            } => format!(
                "{} {} {}{}",
                money.name,
                self.kw("乘以", "times"),
                count.name,
                self.fine_cap(cap)
            ),
            FineExpr::Band(b) => self.band(b),
            FineExpr::Switch(arms, _) => {
                let parts: Vec<String> = arms
                    .iter()
                    .map(|a| {
                        let f = match &a.fine {
                            Some(f) => self.fine(f),
                            None => self.kw("无", "none").to_string(),
                        };
                        let m = match a.modality {
                            Some(m) => format!("{} ", self.modality(m)),
                            None => String::new(),
                        };
                        format!("{}: {m}{f}", self.guard(&a.guard))
                    })
                    .collect();
                format!("{{ {} }}", parts.join("; "))
            }
        }
    }

    fn weighted(&mut self, w: &Weighted) {
        self.open(self.kw("权重", "weighted"));
        if let Some(s) = &w.start {
            self.line(&format!("{} {}", self.kw("起始", "start"), self.literal(s)));
        }
        for f in &w.factors {
            let mut head = format!("{} {}", self.kw("因素", "factor"), f.name.name);
            if let Some(d) = &f.description {
                let _ = write!(head, " {}", quote(&d.value));
            }
            self.open(&head);
            for l in &f.levels {
                self.comments_before(l.span.start);
                let mut s = String::new();
                if let Some(lbl) = &l.label {
                    let _ = write!(s, "{} ", quote(&lbl.value));
                }
                let _ = write!(s, "{}: {}", self.guard(&l.guard), self.literal(&l.weight));
                self.line(&s);
            }
            self.close();
        }
        if let Some(c) = &w.cap {
            self.line(&format!("{} {}", self.kw("上限", "cap"), self.literal(c)));
        }
        if let Some(c) = &w.floor {
            self.line(&format!("{} {}", self.kw("下限", "floor"), self.literal(c)));
        }
        if let Some(t) = &w.times {
            let v = match t {
                WeightedBase::StatutoryMaximum(_) => {
                    self.kw("法定上限", "statutory_maximum").to_string()
                }
                WeightedBase::Amount(f) => self.fine(f),
            };
            self.line(&format!("{} {v}", self.kw("乘以", "times")));
        }
        self.close();
    }
}

/// Where a matter entry starts.
fn matter_entry_start(e: &MatterEntry) -> Option<u32> {
    Some(match e {
        MatterEntry::ViolationBasis(t) | MatterEntry::PenaltyBasis(t) | MatterEntry::Note(t) => {
            t.span.start
        }
        MatterEntry::Boundaries(b) => b.span.start,
        MatterEntry::Facts(fs) => fs.first()?.span.start,
        MatterEntry::Limitation(l) => l.span.start,
        MatterEntry::Statute(s) => s.span.start,
        MatterEntry::Grade(g) => g.span.start,
        MatterEntry::Weighted(w) => w.span.start,
        MatterEntry::Circumstance(c) => c.span.start,
    })
}

/// Where a header entry starts (its value, for entries that keep no span of their own).
fn header_entry_start(e: &HeaderEntry) -> Option<u32> {
    Some(match e {
        HeaderEntry::Authority(t)
        | HeaderEntry::DocumentNumber(t)
        | HeaderEntry::Source(t)
        | HeaderEntry::Refines(t)
        | HeaderEntry::Note(t) => t.span.start,
        HeaderEntry::Level(l) => l.span.start,
        HeaderEntry::Effective { span, .. } => span.start,
        HeaderEntry::Boundaries(b) => b.span.start,
        HeaderEntry::Policy(ps) => ps.first()?.span.start,
    })
}

/// A literal as the Chinese keyword set prints it (for messages).
pub(crate) fn literal_text(l: &Literal) -> String {
    let p = Printer {
        out: String::new(),
        zh: true,
        indent: 0,
        comments: &[],
        next_comment: 0,
    };
    p.literal(l)
}

/// A money amount written exactly, with 万 where it divides evenly.
fn money(d: Decimal) -> String {
    let wan = Decimal::from(10_000u32);
    if d >= wan && (d % wan).is_zero() {
        if let Some(w) = d.checked_div(wan) {
            return format!("{w}万元");
        }
    }
    format!("{d}元")
}

/// A string in the quotes that can hold it.
fn quote(s: &str) -> String {
    if !s.contains('"') {
        format!("\"{s}\"")
    } else if !s.contains('”') {
        format!("“{s}”")
    } else {
        format!("「{s}」")
    }
}

/// A label (enum value, grade id, sanction name) bare when it lexes as a code.
fn label(s: &str) -> String {
    let bare = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
        && !matches!(
            s,
            "且" | "或" | "非" | "当" | "其他" | "and" | "or" | "not" | "when" | "otherwise"
        );
    if bare { s.to_string() } else { quote(s) }
}
