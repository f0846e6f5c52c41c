//! The ruleset header: meta, boundary convention, policies; include paths.

use super::Checker;
use crate::diag::Diagnostic;
use crate::model::{Band, Bound, Boundaries, Meta, Policy, ReducedFloor};
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    self, BandReference, HeaderEntry, Level, MixedRule, PolicyEntryKind, Quantifier, Rounding,
    SeveralGrades, UnknownFactor,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn band(reference: BandReference, lo: i64, hi: i64) -> Band {
    Band {
        reference,
        lower: Bound {
            value: Decimal::new(lo, 2),
            inclusive: true,
        },
        upper: Bound {
            value: Decimal::new(hi, 2),
            inclusive: true,
        },
    }
}

/// The policies that apply when a ruleset declares none: 从轻 = lower 30 %
/// of the grade, 从重 = upper 30 %, 一般 = the whole grade (SAMR 2022
/// guidance), 减轻 without floor, mixed circumstances left to the officer,
/// several grades → the heavier (undeclared), unknown factor → lowest
/// level, any listed condition suffices, no rounding.
pub(crate) fn default_policy() -> Policy {
    Policy {
        lighter: band(BandReference::Grade, 0, 30),
        heavier: band(BandReference::Grade, 70, 100),
        ordinary: band(BandReference::Grade, 0, 100),
        max_only_lighter: None,
        max_only_ordinary: None,
        max_only_heavier: None,
        reduced_floor: ReducedFloor::None,
        mixed: MixedRule::Ask,
        several_grades: SeveralGrades::Heavier,
        several_grades_declared: false,
        unknown_factor: UnknownFactor::Lowest,
        reduced_requires: Quantifier::Any,
        lighter_requires: Quantifier::Any,
        heavier_requires: Quantifier::Any,
        rounding: Rounding::Exact,
        spans: BTreeMap::new(),
    }
}

fn boundaries(b: &ast::BoundariesDecl) -> Boundaries {
    Boundaries {
        above_inclusive: b.above_inclusive.unwrap_or(true),
        below_inclusive: b.below_inclusive.unwrap_or(true),
        declared: true,
    }
}

/// The policy's key and Chinese name.
fn policy_name(k: &PolicyEntryKind) -> (&'static str, &'static str) {
    match k {
        PolicyEntryKind::Lighter(_) => ("lighter", "从轻"),
        PolicyEntryKind::Heavier(_) => ("heavier", "从重"),
        PolicyEntryKind::Ordinary(_) => ("ordinary", "一般"),
        PolicyEntryKind::MaxOnlyLighter(_) => ("max_only_lighter", "仅有上限从轻"),
        PolicyEntryKind::MaxOnlyOrdinary(_) => ("max_only_ordinary", "仅有上限一般"),
        PolicyEntryKind::MaxOnlyHeavier(_) => ("max_only_heavier", "仅有上限从重"),
        PolicyEntryKind::ReducedFloor(_) => ("reduced_floor", "减轻下限"),
        PolicyEntryKind::Mixed(..) => ("mixed", "情节竞合"),
        PolicyEntryKind::SeveralGrades(..) => ("several_grades", "多阶次"),
        PolicyEntryKind::UnknownFactor(..) => ("unknown_factor", "未知因素"),
        PolicyEntryKind::ReducedRequires(..) => ("reduced_requires", "减轻条件"),
        PolicyEntryKind::LighterRequires(..) => ("lighter_requires", "从轻条件"),
        PolicyEntryKind::HeavierRequires(..) => ("heavier_requires", "从重条件"),
        PolicyEntryKind::Rounding(..) => ("rounding", "取整"),
    }
}

impl Checker<'_> {
    /// Reads the main header (and the includes' boundary conventions).
    pub fn header(
        &mut self,
        main_id: FileId,
        main: &ast::File,
        includes: &[(FileId, ast::File)],
    ) -> Meta {
        let headers: Vec<&ast::Header> = main
            .items
            .iter()
            .filter_map(|i| match i {
                ast::Item::Header(h) => Some(h),
                _ => None,
            })
            .collect();
        let mut meta = Meta {
            name: String::new(),
            authority: None,
            document_number: None,
            source: None,
            level: None,
            effective_from: None,
            effective_to: None,
            refines: None,
            boundaries: self.main_boundaries,
            notes: Vec::new(),
            span: Span::new(main_id, 0, 0),
        };
        for extra in headers.iter().skip(1) {
            let mut d = Diagnostic::error(
                "E0604",
                "一个规则集只能有一个 规则集 头部；请把两个头部的内容合并为一个",
            )
            .with_primary(extra.name.span, "第二个头部");
            if let Some(first) = headers.first() {
                d = d.with_secondary(first.name.span, "第一个头部");
            }
            self.emit(d);
        }
        let Some(h) = headers.first() else {
            self.emit(
                Diagnostic::warning(
                    "W0601",
                    "规则集没有 规则集 \"名称\" { … } 头部；请写明文件名称、制定机关、施行日期和 边界 约定",
                )
                .with_primary(Span::new(main_id, 0, 0), "文件开头"),
            );
            self.policy = Some(default_policy());
            self.include_boundaries(includes);
            return meta;
        };
        meta.name = h.name.value.clone();
        meta.span = h.span;
        let mut seen: BTreeMap<&'static str, Span> = BTreeMap::new();
        let mut policy_entries: Vec<&ast::PolicyEntry> = Vec::new();
        for e in &h.entries {
            let (key, word, span) = match e {
                HeaderEntry::Authority(t) => ("authority", "制定机关", t.span),
                HeaderEntry::DocumentNumber(t) => ("document_number", "文号", t.span),
                HeaderEntry::Source(t) => ("source", "来源", t.span),
                HeaderEntry::Level(l) => ("level", "层级", l.span),
                HeaderEntry::Effective { span, .. } => ("effective", "施行", *span),
                HeaderEntry::Refines(t) => ("refines", "细化", t.span),
                HeaderEntry::Boundaries(b) => ("boundaries", "边界", b.span),
                HeaderEntry::Policy(entries) => {
                    policy_entries.extend(entries.iter());
                    continue;
                }
                HeaderEntry::Note(t) => {
                    meta.notes.push(t.value.clone());
                    continue;
                }
            };
            if let Some(first) = seen.get(key) {
                self.emit(
                    Diagnostic::error(
                        "E0608",
                        format!("规则集头部的 {word} 写了两次；请只保留一个"),
                    )
                    .with_primary(span, "第二次")
                    .with_secondary(*first, "第一次"),
                );
                continue;
            }
            seen.insert(key, span);
            match e {
                HeaderEntry::Authority(t) => meta.authority = Some(t.value.clone()),
                HeaderEntry::DocumentNumber(t) => meta.document_number = Some(t.value.clone()),
                HeaderEntry::Source(t) => meta.source = Some(t.value.clone()),
                HeaderEntry::Level(l) => meta.level = Some(l.level),
                HeaderEntry::Effective { from, to, span } => {
                    meta.effective_from = Some(from.date);
                    if let Some(to) = to {
                        if to.date < from.date {
                            self.emit(
                                Diagnostic::error(
                                    "E0605",
                                    format!(
                                        "施行期间的结束日期 {} 早于开始日期 {}；请改正日期",
                                        to.date, from.date
                                    ),
                                )
                                .with_primary(to.span, "结束日期")
                                .with_secondary(from.span, "开始日期"),
                            );
                        } else {
                            meta.effective_to = Some(to.date);
                        }
                    }
                    let _ = span;
                }
                HeaderEntry::Refines(t) => {
                    if let Some(exists) = self.options.path_exists
                        && !exists(main_id, &t.value)
                    {
                        self.emit(
                            Diagnostic::error(
                                "E0606",
                                format!(
                                    "细化 的上级规则集 \"{}\" 不存在；请改正路径（相对于本文件）",
                                    t.value
                                ),
                            )
                            .with_primary(t.span, "找不到这个文件"),
                        );
                    }
                    meta.refines = Some(t.value.clone());
                }
                HeaderEntry::Boundaries(b) => {
                    self.main_boundaries = boundaries(b);
                    meta.boundaries = self.main_boundaries;
                }
                HeaderEntry::Policy(_) | HeaderEntry::Note(_) => {}
            }
        }
        if meta.level == Some(Level::Township) && meta.refines.is_none() {
            let span = seen.get("level").copied().unwrap_or(h.name.span);
            self.emit(
                Diagnostic::warning(
                    "W0607",
                    "乡镇（街道）的裁量基准须在上级基准范围内细化，但本规则集没有写 细化：无法校验它是否超出上级划定的阶次或幅度；上级基准编码后，请在头部写明 细化 \"上级规则集路径\"",
                )
                .with_primary(span, "乡镇层级")
                .with_note("乡镇、街道承接县级执法权（行政处罚法 第二十四条），不能超出上级划定的阶次或幅度"),
            );
        }
        self.effective = (meta.effective_from, meta.effective_to);
        self.include_boundaries(includes);
        self.policy = Some(self.policies(&policy_entries));
        meta
    }

    fn include_boundaries(&mut self, includes: &[(FileId, ast::File)]) {
        for (id, f) in includes {
            for item in &f.items {
                if let ast::Item::Header(h) = item {
                    for e in &h.entries {
                        if let HeaderEntry::Boundaries(b) = e {
                            self.file_boundaries.insert(*id, boundaries(b));
                        }
                    }
                }
            }
        }
    }

    fn policies(&mut self, entries: &[&ast::PolicyEntry]) -> Policy {
        let mut p = default_policy();
        let mut seen: BTreeMap<&'static str, (String, Span)> = BTreeMap::new();
        for e in entries {
            let (key, word) = policy_name(&e.kind);
            // A repeated declaration is lowered into a scratch copy: the first stands.
            let mut scratch = p.clone();
            let t: &mut Policy = if seen.contains_key(key) {
                &mut scratch
            } else {
                &mut p
            };
            let value = match &e.kind {
                PolicyEntryKind::Lighter(b)
                | PolicyEntryKind::Heavier(b)
                | PolicyEntryKind::Ordinary(b)
                | PolicyEntryKind::MaxOnlyLighter(b)
                | PolicyEntryKind::MaxOnlyOrdinary(b)
                | PolicyEntryKind::MaxOnlyHeavier(b) => {
                    let Some(band) = self.band(b, word, "E0401") else {
                        continue;
                    };
                    match &e.kind {
                        PolicyEntryKind::Lighter(_) => t.lighter = band,
                        PolicyEntryKind::Heavier(_) => t.heavier = band,
                        PolicyEntryKind::Ordinary(_) => t.ordinary = band,
                        PolicyEntryKind::MaxOnlyLighter(_) => t.max_only_lighter = Some(band),
                        PolicyEntryKind::MaxOnlyOrdinary(_) => t.max_only_ordinary = Some(band),
                        _ => t.max_only_heavier = Some(band),
                    }
                    format!("{band:?}")
                }
                PolicyEntryKind::ReducedFloor(f) => {
                    let Some(rf) = self.reduced_floor(f) else {
                        continue;
                    };
                    t.reduced_floor = rf;
                    format!("{rf:?}")
                }
                PolicyEntryKind::Mixed(r, _) => {
                    t.mixed = *r;
                    format!("{r:?}")
                }
                PolicyEntryKind::SeveralGrades(r, _) => {
                    t.several_grades = *r;
                    t.several_grades_declared = true;
                    format!("{r:?}")
                }
                PolicyEntryKind::UnknownFactor(r, _) => {
                    t.unknown_factor = *r;
                    format!("{r:?}")
                }
                PolicyEntryKind::ReducedRequires(q, _) => {
                    t.reduced_requires = *q;
                    format!("{q:?}")
                }
                PolicyEntryKind::LighterRequires(q, _) => {
                    t.lighter_requires = *q;
                    format!("{q:?}")
                }
                PolicyEntryKind::HeavierRequires(q, _) => {
                    t.heavier_requires = *q;
                    format!("{q:?}")
                }
                PolicyEntryKind::Rounding(r, _) => {
                    t.rounding = *r;
                    format!("{r:?}")
                }
            };
            if let Some((first, first_span)) = seen.get(key) {
                let d = if *first == value {
                    Diagnostic::warning(
                        "W0401",
                        format!("政策 {word} 声明了两次（取值相同）；请删除重复的一处"),
                    )
                } else {
                    Diagnostic::error(
                        "E0404",
                        format!(
                            "政策 {word} 声明了两次且取值不同：`{}` 与 `{}`；请只保留一个",
                            self.text(*first_span),
                            self.text(e.span)
                        ),
                    )
                };
                self.emit(
                    d.with_primary(e.span, "第二次声明")
                        .with_secondary(*first_span, "第一次声明"),
                );
                // The first declaration stands.
                continue;
            }
            seen.insert(key, (value, e.span));
            p.spans.insert(key.to_string(), e.span);
        }
        self.contradictions(&p, &seen);
        p
    }

    fn reduced_floor(&mut self, f: &ast::ReducedFloor) -> Option<ReducedFloor> {
        match f {
            ast::ReducedFloor::None(_) => Some(ReducedFloor::None),
            ast::ReducedFloor::Amount(l) => match &l.value {
                ast::LiteralValue::Money(d) | ast::LiteralValue::Number(d)
                    if *d >= Decimal::ZERO =>
                {
                    Some(ReducedFloor::Amount(*d))
                }
                _ => {
                    self.emit(
                        Diagnostic::error(
                            "E0405",
                            format!(
                                "减轻下限 {} 应为不为负的金额，例如 1000元；或写 无、法定下限 50%",
                                self.lit_text(l)
                            ),
                        )
                        .with_primary(l.span, "不是有效的金额"),
                    );
                    None
                }
            },
            ast::ReducedFloor::ShareOfMinimum(l) => {
                let v = self.percent_lit(l, "减轻下限")?;
                if v < Decimal::ZERO || v > Decimal::ONE {
                    self.emit(
                        Diagnostic::error(
                            "E0405",
                            format!(
                                "减轻下限 法定下限 {} 超出 0%–100%；减轻处罚低于法定下限，比例须在 0% 至 100% 之间",
                                self.lit_text(l)
                            ),
                        )
                        .with_primary(l.span, "超出 0%–100%"),
                    );
                    return None;
                }
                Some(ReducedFloor::ShareOfMinimum(v))
            }
        }
    }

    fn contradictions(&mut self, p: &Policy, seen: &BTreeMap<&'static str, (String, Span)>) {
        type Pair<'p> = (
            Option<&'p Band>,
            Option<&'p Band>,
            &'p str,
            &'p str,
            &'p str,
            &'p str,
        );
        let pairs: [Pair<'_>; 2] = [
            (
                Some(&p.lighter),
                Some(&p.heavier),
                "lighter",
                "heavier",
                "从轻",
                "从重",
            ),
            (
                p.max_only_lighter.as_ref(),
                p.max_only_heavier.as_ref(),
                "max_only_lighter",
                "max_only_heavier",
                "仅有上限从轻",
                "仅有上限从重",
            ),
        ];
        for (l, h, lk, hk, lw, hw) in pairs {
            let (Some(l), Some(h)) = (l, h) else { continue };
            if l.reference != h.reference {
                continue;
            }
            if l.lower.value > h.lower.value || l.upper.value > h.upper.value {
                let ls = seen.get(lk).map(|(_, s)| *s);
                let hs = seen.get(hk).map(|(_, s)| *s);
                let Some(primary) = ls.or(hs) else { continue };
                let mut d = Diagnostic::error(
                    "E0403",
                    format!(
                        "政策自相矛盾：{lw} 的幅度（{}–{}）高于 {hw} 的幅度（{}–{}）；{lw} 应处在较低的一端，请调整两者",
                        super::text::percent(l.lower.value),
                        super::text::percent(l.upper.value),
                        super::text::percent(h.lower.value),
                        super::text::percent(h.upper.value)
                    ),
                )
                .with_primary(primary, lw.to_string());
                if let (Some(_), Some(hs)) = (ls, hs) {
                    d = d.with_secondary(hs, hw.to_string());
                }
                self.emit(d);
            }
        }
    }
}
