//! The pest parser and the lowering of its parse tree into [`ast`] types.
//! Nothing of pest leaves this module.

use super::ast::*;
use crate::diag::Diagnostic;
use crate::numeral;
use crate::source::{FileId, Span};
use crate::value::{Date, Unit};
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use rust_decimal::Decimal;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/cailiang.pest"]
struct Grammar;

/// Deepest nesting of brackets the parser accepts.
pub const MAX_NESTING: usize = 64;

/// Parses one ruleset file into its syntax tree, or the syntax errors found.
pub fn parse(file: FileId, text: &str) -> Result<File, Vec<Diagnostic>> {
    if let Some(d) = check_nesting(file, text) {
        return Err(vec![d]);
    }
    let depth = check_code_nesting(file, text).map_err(|d| vec![d])?;
    if depth > SHALLOW {
        // Recursion grows with the nesting, and pest does not probe the stack
        // (see `check_code_nesting`): a deeply nested file is parsed on a
        // thread whose stack holds MAX_NESTING levels even in a debug build.
        let run = std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(DEEP_STACK)
                .spawn_scoped(s, || parse_unchecked(file, text))
                .ok()
                .and_then(|h| h.join().ok())
        });
        if let Some(result) = run {
            return result;
        }
    }
    parse_unchecked(file, text)
}

/// Nesting up to which the caller's stack is used (a debug build needs tens
/// of kilobytes of stack per level; a release build a few).
const SHALLOW: usize = 12;
/// Stack for parsing deeper nesting, up to [`MAX_NESTING`].
const DEEP_STACK: usize = 32 << 20;

/// [`parse`] once the nesting is known to be within bounds.
fn parse_unchecked(file: FileId, text: &str) -> Result<File, Vec<Diagnostic>> {
    // The call limit guards against pathological backtracking; it grows with
    // the text so that a large but ordinary file (10,000 matters) parses.
    pest::set_call_limit(std::num::NonZeroUsize::new(
        20_000_000usize.saturating_add(text.len().saturating_mul(64)),
    ));
    let mut pairs = match Grammar::parse(Rule::file, text) {
        Ok(p) => p,
        Err(e) => {
            return Err(vec![super::errors::from_pest(
                file,
                text,
                &detailed(text, e),
            )]);
        }
    };
    let cx = Cx { file };
    let root = pairs
        .next()
        .ok_or_else(|| vec![cx.internal(0, "empty parse")])?;
    let mut items = Vec::new();
    let mut keywords = None;
    for pair in root.into_inner() {
        if pair.as_rule() == Rule::EOI {
            continue;
        }
        if keywords.is_none() {
            let first = pair.as_str();
            keywords = Some(if first.starts_with(|c: char| c.is_ascii_alphabetic()) {
                KeywordSet::English
            } else {
                KeywordSet::Chinese
            });
        }
        items.push(cx.item(pair).map_err(|d| vec![d])?);
    }
    Ok(File {
        keywords: keywords.unwrap_or_default(),
        items,
        comments: comments(file, text),
    })
}

/// The error again, with pest's detailed parse attempts (cold path: only when
/// the file does not parse). The plain error only records rules, so a missing
/// `{` or `:` after a keyword is reported at the start of the statement; the
/// detailed attempts see literal tokens and the farthest position reached.
fn detailed(text: &str, plain: pest::error::Error<Rule>) -> pest::error::Error<Rule> {
    if matches!(
        &plain.variant,
        pest::error::ErrorVariant::CustomError { .. }
    ) {
        return plain;
    }
    pest::set_error_detail(true);
    let again = Grammar::parse(Rule::file, text).err();
    pest::set_error_detail(false);
    match again {
        Some(e) if e.parse_attempts().is_some() => e,
        _ => plain,
    }
}

/// Every comment outside strings, in source order.
fn comments(file: FileId, text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut in_string: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(close) = in_string {
            if c == close || c == '\n' {
                in_string = None;
            }
            continue;
        }
        let starts = c == '#' || (c == '/' && chars.peek().is_some_and(|(_, n)| *n == '/'));
        match c {
            '"' => in_string = Some('"'),
            '“' => in_string = Some('”'),
            '「' => in_string = Some('」'),
            _ if starts => {
                let end = text
                    .get(i..)
                    .and_then(|r| r.find('\n'))
                    .map_or(text.len(), |e| i + e);
                let body = text.get(i..end).unwrap_or("").trim_end().to_string();
                out.push(Comment {
                    text: body,
                    span: Span::new(file, i, end),
                });
                while chars.peek().is_some_and(|(j, _)| *j < end) {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

/// Refuses bracket nesting deeper than [`MAX_NESTING`] before pest sees the
/// text, counting brackets outside strings (comments included).
fn check_nesting(file: FileId, text: &str) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut in_string: Option<char> = None;
    for (i, c) in text.char_indices() {
        if let Some(close) = in_string {
            if c == close || c == '\n' {
                in_string = None;
            }
            continue;
        }
        match c {
            '"' => in_string = Some('"'),
            '“' => in_string = Some('”'),
            '「' => in_string = Some('」'),
            '(' | '（' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(too_deep(file, i, c));
                }
            }
            ')' | '）' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The same bound over the code alone: the nesting the parser can actually
/// recurse into, where a closing bracket inside a comment closes nothing.
/// Returns the deepest nesting found.
/// This bound is what keeps the recursive parser (and the lowering) within a
/// small, fixed stack: pest's own stack probe is not compiled in (`pest`
/// without its `std` feature), because probing the stack on every rule cost
/// a tenth of the parse time. Strings and comments end where the grammar's
/// do at the latest (at a line break), so the count never misses a bracket
/// the parser sees.
fn check_code_nesting(file: FileId, text: &str) -> Result<usize, Diagnostic> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut in_string: Option<char> = None;
    let mut in_comment = false;
    let mut prev = '\0';
    for (i, c) in text.char_indices() {
        let before = std::mem::replace(&mut prev, c);
        if c == '\n' || c == '\r' {
            in_string = None;
            in_comment = false;
            continue;
        }
        if in_comment {
            continue;
        }
        if let Some(close) = in_string {
            if c == close {
                in_string = None;
            }
            continue;
        }
        match c {
            '"' => in_string = Some('"'),
            '“' => in_string = Some('”'),
            '「' => in_string = Some('」'),
            '#' => in_comment = true,
            '/' if before == '/' => in_comment = true,
            '(' | '（' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(file, i, c));
                }
                deepest = deepest.max(depth);
            }
            ')' | '）' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(deepest)
}

fn too_deep(file: FileId, at: usize, c: char) -> Diagnostic {
    Diagnostic::error(
        "E0002",
        format!("括号嵌套超过 {MAX_NESTING} 层；请拆分条件或删去多余的括号"),
    )
    .with_primary(Span::new(file, at, at + c.len_utf8()), "嵌套过深")
}

/// A numeral of plain ASCII digits (at most 18, no separators) read
/// directly; the same value, with the same scale, as
/// [`numeral::parse_numeral`] gives, which reads every other form.
fn plain_integer(digits: &str) -> Option<Decimal> {
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    Some(Decimal::from(n))
}

struct Cx {
    file: FileId,
}

type R<T> = Result<T, Diagnostic>;

impl Cx {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn internal(&self, at: usize, what: &str) -> Diagnostic {
        Diagnostic::error(
            "E0003",
            format!("解析器内部错误（{what}）；请把这个文件报告给 cailiang 的维护者"),
        )
        .with_primary(Span::new(self.file, at, at), "")
    }

    fn next<'a>(
        &self,
        it: &mut Pairs<'a, Rule>,
        at: &Pair<'a, Rule>,
        what: &str,
    ) -> R<Pair<'a, Rule>> {
        it.next()
            .ok_or_else(|| self.internal(at.as_span().start(), what))
    }

    fn ident(&self, p: Pair<Rule>) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(&p),
        }
    }

    fn text(&self, p: Pair<Rule>) -> Text {
        let span = self.span(&p);
        let value = p
            .into_inner()
            .next()
            .map(|i| i.as_str().to_string())
            .unwrap_or_default();
        Text { value, span }
    }

    /// A `label` (string or code) as text.
    fn label_text(&self, p: Pair<Rule>) -> Text {
        if p.as_rule() == Rule::string {
            self.text(p)
        } else {
            Text {
                value: p.as_str().to_string(),
                span: self.span(&p),
            }
        }
    }

    /// A `label` as an identifier.
    fn label_ident(&self, p: Pair<Rule>) -> Ident {
        let t = self.label_text(p);
        Ident {
            name: t.value,
            span: t.span,
        }
    }

    fn date(&self, p: Pair<Rule>) -> R<DateLit> {
        let span = self.span(&p);
        match Date::parse(p.as_str()) {
            Some(date) => Ok(DateLit { date, span }),
            None => Err(Diagnostic::error(
                "E0004",
                format!(
                    "日期 {} 不存在；请写成 2024-03-01 或 2024年3月1日 的形式",
                    p.as_str()
                ),
            )
            .with_primary(span, "不是有效日期")),
        }
    }

    fn item(&self, p: Pair<Rule>) -> R<Item> {
        Ok(match p.as_rule() {
            Rule::header => Item::Header(self.header(p)?),
            Rule::include => {
                let at = p.clone();
                let mut it = p.into_inner();
                self.next(&mut it, &at, "include keyword")?;
                Item::Include(self.text(self.next(&mut it, &at, "include path")?))
            }
            Rule::facts_block => Item::Facts(self.facts(p)?),
            Rule::limitation => Item::Limitation(self.limitation(p)?),
            Rule::circumstance => Item::Circumstance(self.circumstance(p)?),
            Rule::list_decl => Item::List(self.list(p)?),
            Rule::matter => Item::Matter(self.matter(p)?),
            _ => return Err(self.internal(p.as_span().start(), "item")),
        })
    }

    fn header(&self, p: Pair<Rule>) -> R<Header> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "ruleset keyword")?;
        let name = self.text(self.next(&mut it, &at, "ruleset name")?);
        let mut entries = Vec::new();
        for e in it {
            let espan = self.span(&e);
            let rule = e.as_rule();
            let at = e.clone();
            let mut inner = e.into_inner();
            let _kw = inner.next();
            let entry = match rule {
                Rule::h_authority => {
                    HeaderEntry::Authority(self.text(self.next(&mut inner, &at, "authority")?))
                }
                Rule::h_docnum => {
                    HeaderEntry::DocumentNumber(self.text(self.next(&mut inner, &at, "number")?))
                }
                Rule::h_source => {
                    HeaderEntry::Source(self.text(self.next(&mut inner, &at, "source")?))
                }
                Rule::h_note => HeaderEntry::Note(self.text(self.next(&mut inner, &at, "note")?)),
                Rule::h_refines => {
                    HeaderEntry::Refines(self.text(self.next(&mut inner, &at, "refines")?))
                }
                Rule::h_level => {
                    let v = self.next(&mut inner, &at, "level")?;
                    let level = match v.as_str() {
                        "国家级" | "国家" | "national" => Level::National,
                        "省级" | "省" | "province" => Level::Province,
                        "市级" | "市" | "city" => Level::City,
                        "县级" | "县" | "county" => Level::County,
                        _ => Level::Township,
                    };
                    HeaderEntry::Level(LevelDecl {
                        level,
                        span: self.span(&v),
                    })
                }
                Rule::h_effective => {
                    let from = self.date(self.next(&mut inner, &at, "from date")?)?;
                    let mut to = None;
                    for q in inner {
                        if q.as_rule() == Rule::date {
                            to = Some(self.date(q)?);
                        }
                    }
                    HeaderEntry::Effective {
                        from,
                        to,
                        span: espan,
                    }
                }
                Rule::h_boundaries => HeaderEntry::Boundaries(boundaries_decl(inner, espan)),
                Rule::h_policy => {
                    let mut entries = Vec::new();
                    for pe in inner {
                        entries.push(self.policy_entry(pe)?);
                    }
                    HeaderEntry::Policy(entries)
                }
                _ => return Err(self.internal(espan.start as usize, "header entry")),
            };
            entries.push(entry);
        }
        Ok(Header {
            name,
            entries,
            span,
        })
    }

    fn policy_entry(&self, p: Pair<Rule>) -> R<PolicyEntry> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        let key = self.next(&mut it, &at, "policy key")?;
        let value = self.next(&mut it, &at, "policy value")?;
        let kind = match key.as_rule() {
            Rule::policy_band_key => {
                let band = self.band(value)?;
                match key.as_str() {
                    "从轻" | "lighter" => PolicyEntryKind::Lighter(band),
                    "从重" | "heavier" => PolicyEntryKind::Heavier(band),
                    "一般" | "ordinary" => PolicyEntryKind::Ordinary(band),
                    "仅有上限从轻" | "max_only_lighter" => {
                        PolicyEntryKind::MaxOnlyLighter(band)
                    }
                    "仅有上限一般" | "max_only_ordinary" => {
                        PolicyEntryKind::MaxOnlyOrdinary(band)
                    }
                    _ => PolicyEntryKind::MaxOnlyHeavier(band),
                }
            }
            Rule::kw_p_reduced_floor => {
                let vspan = self.span(&value);
                let at = value.clone();
                let mut vi = value.into_inner();
                let first = self.next(&mut vi, &at, "reduced floor")?;
                PolicyEntryKind::ReducedFloor(match first.as_rule() {
                    Rule::kw_none => ReducedFloor::None(vspan),
                    Rule::share_of_min => ReducedFloor::ShareOfMinimum(
                        self.literal(self.next(&mut vi, &at, "share")?)?,
                    ),
                    _ => ReducedFloor::Amount(self.literal(first)?),
                })
            }
            _ => {
                let vspan = self.span(&value);
                let word = value.as_str();
                let bad = || {
                    Diagnostic::error(
                        "E0005",
                        format!(
                            "政策“{}”不接受取值“{}”；{}",
                            key.as_str(),
                            word,
                            policy_values_hint(key.as_str())
                        ),
                    )
                    .with_primary(vspan, "取值不适用于此政策")
                };
                match key.as_str() {
                    "情节竞合" | "mixed" => PolicyEntryKind::Mixed(
                        match word {
                            "询问" | "ask" => MixedRule::Ask,
                            "抵消" | "offset" => MixedRule::Offset,
                            "从轻优先" | "lighter_prevails" => MixedRule::LighterPrevails,
                            "从重优先" | "heavier_prevails" => MixedRule::HeavierPrevails,
                            _ => return Err(bad()),
                        },
                        vspan,
                    ),
                    "多阶次" | "several_grades" => PolicyEntryKind::SeveralGrades(
                        match word {
                            "从重" | "heavier" => SeveralGrades::Heavier,
                            "首个" | "first" => SeveralGrades::First,
                            _ => return Err(bad()),
                        },
                        vspan,
                    ),
                    "未知因素" | "unknown_factor" => PolicyEntryKind::UnknownFactor(
                        match word {
                            "最低" | "lowest" => UnknownFactor::Lowest,
                            "全部" | "all_levels" => UnknownFactor::AllLevels,
                            _ => return Err(bad()),
                        },
                        vspan,
                    ),
                    "取整" | "rounding" => PolicyEntryKind::Rounding(
                        match word {
                            "不取整" | "exact" => Rounding::Exact,
                            "分" | "fen" => Rounding::Fen,
                            "角" | "jiao" => Rounding::Jiao,
                            "元" | "yuan" => Rounding::Yuan,
                            "百元" | "hundred" => Rounding::Hundred,
                            "千元" | "thousand" => Rounding::Thousand,
                            _ => return Err(bad()),
                        },
                        vspan,
                    ),
                    k => {
                        let q = match word {
                            "全部" | "all" => Quantifier::All,
                            "任一" | "any" => Quantifier::Any,
                            _ => return Err(bad()),
                        };
                        match k {
                            "减轻条件" | "reduced_requires" => {
                                PolicyEntryKind::ReducedRequires(q, vspan)
                            }
                            "从轻条件" | "lighter_requires" => {
                                PolicyEntryKind::LighterRequires(q, vspan)
                            }
                            _ => PolicyEntryKind::HeavierRequires(q, vspan),
                        }
                    }
                }
            }
        };
        Ok(PolicyEntry { kind, span })
    }

    fn band(&self, p: Pair<Rule>) -> R<Band> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        let r = self.next(&mut it, &at, "band reference")?;
        let reference = match r.as_str() {
            "阶次" | "grade" => BandReference::Grade,
            "法定上限" | "statutory_maximum" => BandReference::StatutoryMaximum,
            _ => BandReference::Statute,
        };
        let v = self.next(&mut it, &at, "band value")?;
        let value = match v.as_rule() {
            Rule::range_phrase => BandValue::Range(self.range_phrase(v)?),
            _ => {
                let at = v.clone();
                let inner = self.next(&mut v.into_inner(), &at, "band point")?;
                if inner.as_rule() == Rule::band_word {
                    let pct = match inner.as_str() {
                        "中值" | "midpoint" => 50,
                        "上限" | "maximum" => 100,
                        _ => 0,
                    };
                    BandValue::Point(Literal {
                        value: LiteralValue::Percent(Decimal::from(pct)),
                        span: self.span(&inner),
                    })
                } else {
                    BandValue::Point(self.literal(inner)?)
                }
            }
        };
        Ok(Band {
            reference,
            value,
            span,
        })
    }

    fn literal(&self, p: Pair<Rule>) -> R<Literal> {
        let span = self.span(&p);
        let s = p.as_str();
        let bad_number = || {
            Diagnostic::error(
                "E0006",
                format!("无法读出数值 {s}；请检查千位分隔符和小数点"),
            )
            .with_primary(span, "不是有效数值")
        };
        // The numeral (digits and scale word, adjacent in the text) and the
        // suffix, as slices of the source: no allocation per literal.
        // The numeral (digits and scale word) and the suffix, as slices of the
        // source where the parts are adjacent (no allocation per literal).
        let num_part = || -> R<(Decimal, Option<&str>)> {
            let mut digits: Option<(usize, usize)> = None;
            let mut adjacent = true;
            let mut plain = true;
            let mut suffix = None;
            for q in p.clone().into_inner() {
                match q.as_rule() {
                    Rule::arabic | Rule::cn_numeral | Rule::scale => {
                        let qs = q.as_span();
                        plain &= q.as_rule() == Rule::arabic;
                        digits = Some(match digits {
                            Some((start, end)) => {
                                adjacent &= end == qs.start();
                                (start, qs.end())
                            }
                            None => (qs.start(), qs.end()),
                        });
                    }
                    Rule::unit | Rule::counter | Rule::yuan | Rule::bei | Rule::pct => {
                        suffix = Some(q.as_str())
                    }
                    _ => {}
                }
            }
            let v = if adjacent {
                let base = p.as_span().start();
                let digits = digits
                    .and_then(|(a, b)| s.get(a.saturating_sub(base)..b.saturating_sub(base)))
                    .unwrap_or("");
                let v = if plain { plain_integer(digits) } else { None };
                v.or_else(|| numeral::parse_numeral(digits))
            } else {
                // Parts separated in the text: join them as written.
                let joined: String = p
                    .clone()
                    .into_inner()
                    .filter(|q| {
                        matches!(q.as_rule(), Rule::arabic | Rule::cn_numeral | Rule::scale)
                    })
                    .map(|q| q.as_str())
                    .collect();
                numeral::parse_numeral(&joined)
            };
            Ok((v.ok_or_else(bad_number)?, suffix))
        };
        let value = match p.as_rule() {
            Rule::date => LiteralValue::Date(self.date(p)?.date),
            // The first number of 二至四倍: bare here, it takes the second's suffix.
            Rule::cn_bare => {
                LiteralValue::Number(numeral::parse_numeral(s).ok_or_else(bad_number)?)
            }
            Rule::num_lit => match num_kind(&p) {
                NumKind::Money => LiteralValue::Money(num_part()?.0),
                NumKind::Percent => {
                    LiteralValue::Percent(numeral::parse_percent(s).ok_or_else(bad_number)?)
                }
                NumKind::Multiple => LiteralValue::Multiple(num_part()?.0),
                NumKind::Number => LiteralValue::Number(num_part()?.0),
                NumKind::Quantity => {
                    let (v, suffix) = num_part()?;
                    let unit = suffix
                        .and_then(Unit::parse)
                        .ok_or_else(|| self.internal(span.start as usize, "unit"))?;
                    LiteralValue::Quantity(v, unit)
                }
            },
            Rule::percent_lit => {
                LiteralValue::Percent(numeral::parse_percent(s).ok_or_else(bad_number)?)
            }
            Rule::number_lit => LiteralValue::Number(num_part()?.0),
            Rule::bool_lit => LiteralValue::Bool(matches!(s, "是" | "true")),
            Rule::string => LiteralValue::Text(self.text(p).value),
            Rule::ident | Rule::code => LiteralValue::Name(s.to_string()),
            _ => return Err(self.internal(span.start as usize, "literal")),
        };
        Ok(Literal { value, span })
    }

    fn range_phrase(&self, p: Pair<Rule>) -> R<RangePhrase> {
        let span = self.span(&p);
        let mut lower = None;
        let mut upper = None;
        let mut with_to = false;
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::to_range => {
                    with_to = true;
                    let (lo, hi) = self.to_range(part)?;
                    lower = Some(lo);
                    upper = Some(hi);
                }
                Rule::lower_end => lower = Some(self.range_end(part)?),
                Rule::upper_end => upper = Some(self.range_end(part)?),
                _ => return Err(self.internal(span.start as usize, "range part")),
            }
        }
        Ok(RangePhrase {
            lower,
            upper,
            with_to,
            span,
        })
    }

    /// `X至Y`, `X-Y`, with marks on either end (`（含）`, `含下线` …). A bare
    /// first number takes the second's scale and suffix: `1-2万元` is
    /// 1万元至2万元, `2-4倍` is 2倍至4倍, `1-5‰` is 1‰至5‰.
    fn to_range(&self, p: Pair<Rule>) -> R<(RangeEnd, RangeEnd)> {
        let at = p.clone();
        let mut it = flat(p).into_iter().peekable();
        let first_pair = self.next_pair(&mut it, &at, "range start")?;
        let first = self.literal(first_pair.clone())?;
        let mut lo_marks = Vec::new();
        let mut hi_marks = Vec::new();
        while it.peek().is_some_and(|q| q.as_rule() == Rule::bound_mark) {
            lo_marks.push(self.next_pair(&mut it, &at, "mark")?);
        }
        self.next_pair(&mut it, &at, "range word")?;
        let second_pair = self.next_pair(&mut it, &at, "range end")?;
        let second = self.literal(second_pair.clone())?;
        let mut to_marks = Vec::new();
        for q in it {
            match q.as_rule() {
                Rule::bound_mark => hi_marks.push(q),
                _ => to_marks.push(q),
            }
        }
        // Only a bare number carries (`carry_back` returns `None` otherwise).
        let carried = carry_back(&first, &first_pair, &second, &second_pair);
        let lo_value = carried.unwrap_or_else(|| first.clone());
        let mut lo_kind = self.marks_kind(&lo_marks, &[&lo_value, &first])?;
        let mut hi_kind = self.marks_kind(&hi_marks, &[&second])?;
        for m in to_marks {
            let w = m.as_str();
            let kind = if w.contains('不') || w.contains("excluded") {
                EndKind::Exclusive
            } else {
                EndKind::Inclusive
            };
            let lower_end = w.contains('下') || w.contains("lower");
            let (slot, value) = if lower_end {
                (&mut lo_kind, &lo_value)
            } else {
                (&mut hi_kind, &second)
            };
            if *slot != EndKind::Convention && *slot != kind {
                return Err(self.contradicting_marks(self.span(&m), value));
            }
            *slot = kind;
        }
        Ok((
            RangeEnd {
                value: lo_value,
                kind: lo_kind,
            },
            RangeEnd {
                value: second,
                kind: hi_kind,
            },
        ))
    }

    fn next_pair<'a>(
        &self,
        it: &mut std::iter::Peekable<std::vec::IntoIter<Pair<'a, Rule>>>,
        at: &Pair<'a, Rule>,
        what: &str,
    ) -> R<Pair<'a, Rule>> {
        it.next()
            .ok_or_else(|| self.internal(at.as_span().start(), what))
    }

    /// The inclusion that the marks on one bound state (`（含）`, `（不含本数）`,
    /// `（包含三次）`), or `Convention` if none. A mark that repeats a number
    /// must repeat the bound (any of `bounds`: as written or as carried).
    fn marks_kind(&self, marks: &[Pair<Rule>], bounds: &[&Literal]) -> R<EndKind> {
        let mut kind = EndKind::Convention;
        for m in marks {
            let k = self.mark(m.clone(), bounds)?;
            if kind != EndKind::Convention && kind != k {
                let bound = bounds.first().copied();
                return Err(match bound {
                    Some(b) => self.contradicting_marks(self.span(m), b),
                    None => self.internal(m.as_span().start(), "mark"),
                });
            }
            kind = k;
        }
        Ok(kind)
    }

    /// One `incl_mark` or `bound_mark`.
    fn mark(&self, m: Pair<Rule>, bounds: &[&Literal]) -> R<EndKind> {
        let exclusive = |w: &str| w.starts_with('不') || w.starts_with("excluding");
        if m.as_rule() == Rule::incl_mark {
            return Ok(if m.as_str().contains('不') {
                EndKind::Exclusive
            } else {
                EndKind::Inclusive
            });
        }
        let span = self.span(&m);
        let mut kind = EndKind::Inclusive;
        for q in m.into_inner() {
            match q.as_rule() {
                Rule::mark_word => {
                    if exclusive(q.as_str()) {
                        kind = EndKind::Exclusive;
                    }
                }
                Rule::mark_self => {}
                _ => {
                    let repeated = self.literal(q)?;
                    if !bounds
                        .iter()
                        .any(|b| same_number(&b.value, &repeated.value))
                    {
                        let bound = bounds
                            .first()
                            .copied()
                            .ok_or_else(|| self.internal(span.start as usize, "mark"))?;
                        return Err(self.mark_mismatch(span, &repeated, bound));
                    }
                }
            }
        }
        Ok(kind)
    }

    fn shown(&self, l: &Literal) -> String {
        super::format::literal_text(l)
    }

    fn mark_mismatch(&self, span: Span, repeated: &Literal, bound: &Literal) -> Diagnostic {
        let (r, b) = (self.shown(repeated), self.shown(bound));
        Diagnostic::error(
            "E0008",
            format!(
                "括注里的数 {r} 与它所标注的界限 {b} 不同；括注只说明界限本身是否包括在内，请写与界限相同的数（如 `{b}以上（含{b}）`），或只写 `（含）`/`（不含）`"
            ),
        )
        .with_primary(span, format!("应为 {b}"))
        .with_secondary(bound.span, "界限")
    }

    fn contradicting_marks(&self, span: Span, bound: &Literal) -> Diagnostic {
        let b = self.shown(bound);
        Diagnostic::error(
            "E0008",
            format!(
                "界限 {b} 既标注为包括本数又标注为不包括本数；请只保留一个标注（`（含）` 或 `（不含）`）"
            ),
        )
        .with_primary(span, "与前一个标注矛盾")
        .with_secondary(bound.span, "界限")
    }

    fn range_end(&self, p: Pair<Rule>) -> R<RangeEnd> {
        let mut value = None;
        let mut kind = EndKind::Convention;
        let mut marks = Vec::new();
        let mut or_same = None;
        for q in flat(p.clone()) {
            match q.as_rule() {
                Rule::pre_lower_incl
                | Rule::pre_upper_incl
                | Rule::post_above_incl
                | Rule::post_below_incl => kind = EndKind::Inclusive,
                Rule::pre_lower_excl | Rule::pre_upper_excl => kind = EndKind::Exclusive,
                Rule::incl_mark | Rule::bound_mark => marks.push(q),
                Rule::or_same => or_same = Some(q),
                Rule::post_above | Rule::post_below => {}
                _ => value = Some(self.literal(q)?),
            }
        }
        let value = value.ok_or_else(|| self.internal(p.as_span().start(), "range end"))?;
        if !marks.is_empty() {
            kind = self.marks_kind(&marks, &[&value])?;
        }
        // X或X以上: X itself belongs (whatever 边界 says); the second X must
        // repeat the first.
        if let Some(o) = or_same {
            let span = self.span(&o);
            let at = o.clone();
            let repeated = o
                .into_inner()
                .next()
                .ok_or_else(|| self.internal(at.as_span().start(), "或 X"))?;
            let repeated = self.literal(repeated)?;
            if !same_number(&value.value, &repeated.value) {
                let (r, b) = (self.shown(&repeated), self.shown(&value));
                return Err(Diagnostic::error(
                    "E0008",
                    format!(
                        "“或”后面的数 {r} 与前面的 {b} 不同；`{b}或{b}以上` 两处应写同一个数，表示包括 {b} 本身。若是两个界限，请写成 `{b}至{r}` 或分开的两个条件"
                    ),
                )
                .with_primary(span, format!("应为 {b}"))
                .with_secondary(value.span, "界限"));
            }
            if kind == EndKind::Exclusive {
                return Err(self.contradicting_marks(span, &value));
            }
            kind = EndKind::Inclusive;
        }
        Ok(RangeEnd { value, kind })
    }

    fn cond(&self, p: Pair<Rule>) -> R<Cond> {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::cond | Rule::conj => {
                let is_or = p.as_rule() == Rule::cond;
                let mut parts = Vec::new();
                for q in p.into_inner() {
                    if matches!(q.as_rule(), Rule::kw_or | Rule::kw_and) {
                        continue;
                    }
                    parts.push(self.cond(q)?);
                }
                if parts.len() == 1 {
                    if let Some(only) = parts.pop() {
                        return Ok(only);
                    }
                }
                Ok(if is_or {
                    Cond::Or(parts, span)
                } else {
                    Cond::And(parts, span)
                })
            }
            Rule::neg => {
                let mut nots = Vec::new();
                let mut inner = None;
                for q in p.into_inner() {
                    if q.as_rule() == Rule::kw_not {
                        nots.push(self.span(&q));
                    } else {
                        inner = Some(self.cond(q)?);
                    }
                }
                if nots.len() > MAX_NESTING {
                    return Err(Diagnostic::error(
                        "E0002",
                        format!("连续的“非”超过 {MAX_NESTING} 个；两个“非”相互抵消，请化简条件"),
                    )
                    .with_primary(span, "否定嵌套过深"));
                }
                let mut c = inner.ok_or_else(|| self.internal(span.start as usize, "negation"))?;
                for s in nots.into_iter().rev() {
                    let whole = s.to(c.span());
                    c = Cond::Not(Box::new(c), whole);
                }
                Ok(c)
            }
            Rule::fact_test => {
                let at = p.clone();
                let mut it = p.into_inner();
                let fact = self.ident(self.next(&mut it, &at, "fact")?);
                let Some(test) = it.next() else {
                    return Ok(Cond::Fact(fact));
                };
                match test.as_rule() {
                    Rule::compare => {
                        let at = test.clone();
                        let mut ti = test.into_inner();
                        let op = self.next(&mut ti, &at, "operator")?;
                        let op = match op.as_str() {
                            ">=" | "≥" | "＞＝" => CompareOp::Ge,
                            "<=" | "≤" | "＜＝" => CompareOp::Le,
                            "!=" | "≠" => CompareOp::Ne,
                            ">" | "＞" => CompareOp::Gt,
                            "<" | "＜" => CompareOp::Lt,
                            _ => CompareOp::Eq,
                        };
                        let value = self.literal(self.next(&mut ti, &at, "value")?)?;
                        Ok(Cond::Compare {
                            fact,
                            op,
                            value,
                            span,
                        })
                    }
                    Rule::in_list => {
                        let mut negated = false;
                        let mut values = Vec::new();
                        for q in test.into_inner() {
                            match q.as_rule() {
                                Rule::kw_not_in => negated = true,
                                Rule::kw_in => {}
                                _ => values.push(self.literal(q)?),
                            }
                        }
                        Ok(Cond::In {
                            fact,
                            values,
                            negated,
                            span,
                        })
                    }
                    _ => Ok(Cond::Range {
                        fact,
                        range: self.range_phrase(test)?,
                        span,
                    }),
                }
            }
            _ => Err(self.internal(span.start as usize, "condition")),
        }
    }

    fn guard(&self, p: Pair<Rule>) -> R<Guard> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        let kw = self.next(&mut it, &at, "guard keyword")?;
        if kw.as_rule() == Rule::kw_otherwise {
            return Ok(Guard::Otherwise(span));
        }
        Ok(Guard::When(self.cond(self.next(
            &mut it,
            &at,
            "guard condition",
        )?)?))
    }

    fn facts(&self, p: Pair<Rule>) -> R<Vec<FactDecl>> {
        let mut out = Vec::new();
        for d in p.into_inner() {
            if d.as_rule() != Rule::fact_decl {
                continue;
            }
            let span = self.span(&d);
            let at = d.clone();
            let mut it = d.into_inner();
            let name = self.ident(self.next(&mut it, &at, "fact name")?);
            let ty_pair = self.next(&mut it, &at, "fact type")?;
            let at_ty = ty_pair.clone();
            let t = self.next(&mut ty_pair.into_inner(), &at_ty, "fact type")?;
            let ty = match t.as_rule() {
                Rule::ty_enum => {
                    let mut values = Vec::new();
                    for v in t.into_inner() {
                        if v.as_rule() != Rule::ty_enum_kw {
                            values.push(self.label_ident(v));
                        }
                    }
                    FactTypeExpr::Enum(values)
                }
                Rule::ty_quantity => {
                    let at = t.clone();
                    let mut qi = t.into_inner();
                    self.next(&mut qi, &at, "quantity keyword")?;
                    let u = self.next(&mut qi, &at, "unit")?;
                    let unit = Unit::parse(u.as_str())
                        .ok_or_else(|| self.internal(u.as_span().start(), "unit"))?;
                    FactTypeExpr::Quantity(unit, self.span(&u))
                }
                _ => match t.as_str() {
                    "是否" | "bool" => FactTypeExpr::Bool,
                    "金额" | "money" => FactTypeExpr::Money,
                    "整数" | "integer" => FactTypeExpr::Integer,
                    "数值" | "number" => FactTypeExpr::Number,
                    "比例" | "percent" => FactTypeExpr::Percent,
                    _ => FactTypeExpr::Date,
                },
            };
            let mut default = None;
            let mut description = None;
            let mut boundaries = None;
            for q in it {
                match q.as_rule() {
                    Rule::fact_default => {
                        let at = q.clone();
                        let mut di = q.into_inner();
                        self.next(&mut di, &at, "default keyword")?;
                        default =
                            Some(self.literal(self.next(&mut di, &at, "default value")?)?);
                    }
                    Rule::h_boundaries => {
                        let bspan = self.span(&q);
                        let mut bi = q.into_inner();
                        let _kw = bi.next();
                        boundaries = Some(boundaries_decl(bi, bspan));
                    }
                    _ => description = Some(self.text(q)),
                }
            }
            out.push(FactDecl {
                name,
                ty,
                default,
                description,
                boundaries,
                span,
            });
        }
        Ok(out)
    }

    fn limitation(&self, p: Pair<Rule>) -> R<Limitation> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "limitation keyword")?;
        let period = self.literal(self.next(&mut it, &at, "period")?)?;
        let mut when = None;
        let mut basis = None;
        for q in it {
            match q.as_rule() {
                Rule::cond => when = Some(self.cond(q)?),
                Rule::string => basis = Some(self.text(q)),
                _ => {}
            }
        }
        Ok(Limitation {
            period,
            when,
            basis,
            span,
        })
    }

    fn modality(&self, p: &Pair<Rule>) -> Modality {
        if p.as_str().starts_with("可以") || p.as_str().starts_with("may") {
            Modality::May
        } else {
            Modality::Shall
        }
    }

    fn clause(&self, p: Pair<Rule>) -> R<SanctionClause> {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::fine_clause => {
                let mut modality = Modality::Shall;
                let mut fine = None;
                let mut stated = false;
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::modality => {
                            modality = self.modality(&q);
                            stated = modality == Modality::Shall;
                        }
                        Rule::fine_expr => fine = Some(self.fine_expr(q)?),
                        _ => {}
                    }
                }
                let fine = fine.ok_or_else(|| self.internal(span.start as usize, "fine"))?;
                Ok(SanctionClause::Fine {
                    modality,
                    fine,
                    span,
                    stated,
                })
            }
            Rule::other_sanction | Rule::kind_sanction => {
                // Optional tails take the whitespace after the clause into
                // its span: end it at its last part.
                let mut span = span;
                if let Some(last) = p.clone().into_inner().last() {
                    span.end = self.span(&last).end;
                }
                let mut modality = Modality::Shall;
                let mut name = None;
                let mut needs_approval = false;
                let mut when = None;
                let mut kind = None;
                let mut object = None;
                let mut period = None;
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::kw_may_also | Rule::kw_may => modality = Modality::May,
                        Rule::modality => modality = self.modality(&q),
                        Rule::kw_also | Rule::kw_when => {}
                        Rule::kw_approval => needs_approval = true,
                        Rule::cond => when = Some(self.cond(q)?),
                        Rule::sanction_kind => {
                            let k = SanctionKind::parse(q.as_str())
                                .ok_or_else(|| self.internal(span.start as usize, "kind"))?;
                            kind = Some(k);
                            name = Some(Text {
                                value: k.zh().to_string(),
                                span: self.span(&q),
                            });
                        }
                        Rule::sanction_object => {
                            let at = q.clone();
                            let t = self.next(&mut q.into_inner(), &at, "object")?;
                            object = Some(self.text(t));
                        }
                        Rule::period => {
                            let at = q.clone();
                            let t = self.next(&mut q.into_inner(), &at, "period")?;
                            period = Some(if t.as_rule() == Rule::range_phrase {
                                Period::Range(self.range_phrase(t)?)
                            } else {
                                Period::Exact(self.literal(t)?)
                            });
                        }
                        _ => name = Some(self.label_text(q)),
                    }
                }
                let name = name.ok_or_else(|| self.internal(span.start as usize, "sanction"))?;
                Ok(SanctionClause::Other(OtherSanction {
                    modality,
                    name,
                    needs_approval,
                    when,
                    kind,
                    object,
                    period,
                    span,
                }))
            }
            Rule::one_of => {
                let mut alternatives = Vec::new();
                for q in p.into_inner() {
                    if q.as_rule() != Rule::kw_one_of {
                        alternatives.push(self.clause(q)?);
                    }
                }
                Ok(SanctionClause::OneOf { alternatives, span })
            }
            Rule::not_punishable => {
                if p.into_inner().any(|q| q.as_rule() == Rule::kw_exempt) {
                    Ok(SanctionClause::Exempt(span))
                } else {
                    Ok(SanctionClause::NotPunishable(span))
                }
            }
            _ => Err(self.internal(span.start as usize, "clause")),
        }
    }

    fn factors(&self, p: Pair<Rule>) -> R<BaseFactors> {
        Ok(if p.as_rule() == Rule::range_phrase {
            BaseFactors::Range(self.range_phrase(p)?)
        } else {
            BaseFactors::Point(self.literal(p)?)
        })
    }

    fn fine_expr(&self, p: Pair<Rule>) -> R<FineExpr> {
        let span = self.span(&p);
        let at = p.clone();
        let inner = self.next(&mut p.into_inner(), &at, "fine")?;
        Ok(match inner.as_rule() {
            Rule::fine_switch => {
                let mut arms = Vec::new();
                for arm in inner.into_inner() {
                    let aspan = self.span(&arm);
                    let at = arm.clone();
                    let mut ai = arm.into_inner();
                    let guard = self.guard(self.next(&mut ai, &at, "arm guard")?)?;
                    let mut f = self.next(&mut ai, &at, "arm fine")?;
                    let mut modality = None;
                    if f.as_rule() == Rule::modality {
                        modality = Some(self.modality(&f));
                        f = self.next(&mut ai, &at, "arm fine")?;
                    }
                    let fine = if f.as_rule() == Rule::kw_none {
                        None
                    } else {
                        Some(self.fine_expr(f)?)
                    };
                    arms.push(FineArm {
                        guard,
                        modality,
                        fine,
                        span: aspan,
                    });
                }
                FineExpr::Switch(arms, span)
            }
            Rule::fine_per_unit => {
                let at = inner.clone();
                let mut it = inner.into_inner();
                self.next(&mut it, &at, "per")?;
                let fact = self.ident(self.next(&mut it, &at, "quantity fact")?);
                self.next(&mut it, &at, "each")?;
                let u = self.next(&mut it, &at, "unit")?;
                let unit = Unit::parse(u.as_str())
                    .ok_or_else(|| self.internal(u.as_span().start(), "unit"))?;
                let rates = self.factors(self.next(&mut it, &at, "rates")?)?;
                let cap = self.fine_cap(it.next())?;
                FineExpr::PerUnit {
                    fact,
                    unit,
                    rates,
                    cap,
                    span,
                }
            }
            Rule::fine_band => {
                let at = inner.clone();
                FineExpr::Band(self.band(self.next(&mut inner.into_inner(), &at, "band")?)?)
            }
            Rule::fine_of_base => {
                let at = inner.clone();
                let mut it = inner.into_inner();
                let b = self.next(&mut it, &at, "base")?;
                let bspan = self.span(&b);
                let at_b = b.clone();
                let mut bi = b.into_inner();
                let fact = self.ident(self.next(&mut bi, &at_b, "base fact")?);
                let mut floor = None;
                for q in bi {
                    if q.as_rule() != Rule::kw_at_least_as {
                        floor = Some(self.literal(q)?);
                    }
                }
                let factors = self.factors(self.next(&mut it, &at, "factors")?)?;
                let cap = self.fine_cap(it.next())?;
                FineExpr::OfBase {
                    base: BaseRef {
                        fact,
                        floor,
                        span: bspan,
                    },
                    factors,
                    cap,
                    span,
                }
            }
            Rule::fine_product => {
                let at = inner.clone();
                let mut it = inner.into_inner();
                let money = self.ident(self.next(&mut it, &at, "money fact")?);
                self.next(&mut it, &at, "times")?;
                let count = self.ident(self.next(&mut it, &at, "count fact")?);
                let cap = self.fine_cap(it.next())?;
                FineExpr::Product {
                    money,
                    count,
                    cap,
                    span,
                }
            }
            Rule::range_phrase => FineExpr::Range(self.range_phrase(inner)?),
            _ => FineExpr::Exact(self.literal(inner)?),
        })
    }

    /// The amount of a `最高不超过 …` cap, if one is written.
    fn fine_cap(&self, p: Option<Pair<Rule>>) -> R<Option<Literal>> {
        let Some(p) = p else { return Ok(None) };
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "cap keyword")?;
        Ok(Some(self.literal(self.next(
            &mut it,
            &at,
            "cap amount",
        )?)?))
    }

    fn matter(&self, p: Pair<Rule>) -> R<Matter> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "matter keyword")?;
        let id = self.ident(self.next(&mut it, &at, "matter code")?);
        let name = self.text(self.next(&mut it, &at, "matter name")?);
        let mut entries = Vec::new();
        for e in it {
            let rule = e.as_rule();
            let entry = match rule {
                Rule::m_vbasis | Rule::m_pbasis | Rule::m_note => {
                    let at = e.clone();
                    let mut ei = e.into_inner();
                    self.next(&mut ei, &at, "keyword")?;
                    let t = self.text(self.next(&mut ei, &at, "text")?);
                    match rule {
                        Rule::m_vbasis => MatterEntry::ViolationBasis(t),
                        Rule::m_pbasis => MatterEntry::PenaltyBasis(t),
                        _ => MatterEntry::Note(t),
                    }
                }
                Rule::h_boundaries => {
                    let bspan = self.span(&e);
                    let mut bi = e.into_inner();
                    let _kw = bi.next();
                    MatterEntry::Boundaries(boundaries_decl(bi, bspan))
                }
                Rule::facts_block => MatterEntry::Facts(self.facts(e)?),
                Rule::limitation => MatterEntry::Limitation(self.limitation(e)?),
                Rule::statute => MatterEntry::Statute(self.statute(e)?),
                Rule::grade => MatterEntry::Grade(self.grade(e)?),
                Rule::weighted => MatterEntry::Weighted(self.weighted(e)?),
                Rule::circumstance => MatterEntry::Circumstance(self.circumstance(e)?),
                _ => return Err(self.internal(e.as_span().start(), "matter entry")),
            };
            entries.push(entry);
        }
        Ok(Matter {
            id,
            name,
            entries,
            span,
        })
    }

    fn statute(&self, p: Pair<Rule>) -> R<Statute> {
        let span = self.span(&p);
        let mut from = None;
        let mut to = None;
        let mut basis = None;
        let mut clauses = Vec::new();
        let mut after_to = false;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::kw_statute | Rule::kw_from => {}
                Rule::kw_to => after_to = true,
                Rule::date => {
                    let d = self.date(q)?;
                    if after_to {
                        to = Some(d);
                    } else {
                        from = Some(d);
                    }
                }
                Rule::s_basis => {
                    let at = q.clone();
                    let mut bi = q.into_inner();
                    self.next(&mut bi, &at, "basis keyword")?;
                    basis = Some(self.text(self.next(&mut bi, &at, "basis")?));
                }
                _ => clauses.push(self.clause(q)?),
            }
        }
        Ok(Statute {
            from,
            to,
            basis,
            clauses,
            span,
        })
    }

    fn grade(&self, p: Pair<Rule>) -> R<Grade> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "grade keyword")?;
        let id = self.label_ident(self.next(&mut it, &at, "grade label")?);
        let mut name = None;
        let mut guard = None;
        let mut clauses = Vec::new();
        let mut notes = Vec::new();
        let mut reduced = false;
        let mut collective = None;
        let mut refer = None;
        let mut basis = None;
        for q in it {
            match q.as_rule() {
                Rule::string => name = Some(self.text(q)),
                Rule::guard => guard = Some(self.guard(q)?),
                Rule::g_note => notes.push(self.second_text(q)?),
                Rule::grade_mark => reduced = true,
                Rule::g_basis => basis = Some(self.second_text(q)?),
                Rule::g_refer => {
                    let rspan = self.span(&q);
                    let at = q.clone();
                    let mut ri = q.into_inner();
                    let _kw = ri.next();
                    let _matter_kw = ri.next();
                    let matter = self.ident(self.next(&mut ri, &at, "referred matter")?);
                    let _grade_kw = ri.next();
                    let grade = ri.next().map(|l| self.label_ident(l));
                    refer = Some(GradeRefer {
                        matter,
                        grade,
                        span: rspan,
                    });
                }
                Rule::g_collective => {
                    let cspan = self.span(&q);
                    let mut ci = q.into_inner();
                    let _kw = ci.next();
                    collective = Some(CollectiveReview {
                        words: ci.next().map(|t| self.text(t)),
                        span: cspan,
                    });
                }
                _ => clauses.push(self.clause(q)?),
            }
        }
        let guard = guard.ok_or_else(|| self.internal(span.start as usize, "grade guard"))?;
        Ok(Grade {
            id,
            name,
            guard,
            clauses,
            notes,
            reduced,
            collective,
            refer,
            basis,
            span,
        })
    }

    fn weighted(&self, p: Pair<Rule>) -> R<Weighted> {
        let span = self.span(&p);
        let mut w = Weighted {
            start: None,
            factors: Vec::new(),
            cap: None,
            floor: None,
            times: None,
            span,
        };
        for q in p.into_inner() {
            let rule = q.as_rule();
            if rule == Rule::kw_weighted {
                continue;
            }
            let at = q.clone();
            let qspan = self.span(&q);
            let mut qi = q.into_inner();
            self.next(&mut qi, &at, "keyword")?;
            match rule {
                Rule::w_start => w.start = Some(self.literal(self.next(&mut qi, &at, "start")?)?),
                Rule::w_cap => w.cap = Some(self.literal(self.next(&mut qi, &at, "cap")?)?),
                Rule::w_floor => w.floor = Some(self.literal(self.next(&mut qi, &at, "floor")?)?),
                Rule::w_times => {
                    let t = self.next(&mut qi, &at, "times")?;
                    w.times = Some(if t.as_rule() == Rule::kw_stat_max {
                        WeightedBase::StatutoryMaximum(self.span(&t))
                    } else {
                        WeightedBase::Amount(self.fine_expr(t)?)
                    });
                }
                Rule::w_factor => {
                    let name = self.ident(self.next(&mut qi, &at, "factor name")?);
                    let mut description = None;
                    let mut levels = Vec::new();
                    for l in qi {
                        if l.as_rule() == Rule::string {
                            description = Some(self.text(l));
                            continue;
                        }
                        let lspan = self.span(&l);
                        let mut label = None;
                        let mut guard = None;
                        let mut weight = None;
                        for x in l.into_inner() {
                            match x.as_rule() {
                                Rule::string => label = Some(self.text(x)),
                                Rule::guard => guard = Some(self.guard(x)?),
                                _ => weight = Some(self.literal(x)?),
                            }
                        }
                        let (Some(guard), Some(weight)) = (guard, weight) else {
                            return Err(self.internal(lspan.start as usize, "factor level"));
                        };
                        levels.push(FactorLevel {
                            label,
                            guard,
                            weight,
                            span: lspan,
                        });
                    }
                    w.factors.push(Factor {
                        name,
                        description,
                        levels,
                        span: qspan,
                    });
                }
                _ => return Err(self.internal(qspan.start as usize, "weighted entry")),
            }
        }
        Ok(w)
    }

    fn scope(&self, p: Pair<Rule>) -> Scope {
        let span = self.span(&p);
        let mut ids = Vec::new();
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::kw_all => return Scope::All(span),
                Rule::code => ids.push(self.ident(q)),
                _ => {}
            }
        }
        Scope::Matters(ids, span)
    }

    fn obligations(&self, p: Pair<Rule>) -> Vec<Text> {
        p.into_inner()
            .filter(|q| q.as_rule() != Rule::kw_obligation)
            .map(|q| self.label_text(q))
            .collect()
    }

    fn second_text(&self, p: Pair<Rule>) -> R<Text> {
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "keyword")?;
        Ok(self.text(self.next(&mut it, &at, "text")?))
    }

    fn second_cond(&self, p: Pair<Rule>) -> R<Cond> {
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "keyword")?;
        self.cond(self.next(&mut it, &at, "condition")?)
    }

    fn circumstance(&self, p: Pair<Rule>) -> R<Circumstance> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "circumstance keyword")?;
        let id = self.ident(self.next(&mut it, &at, "circumstance id")?);
        let mut c = Circumstance {
            id,
            name: None,
            modality: Modality::Shall,
            effect: Effect::Lighter,
            when: None,
            basis: None,
            scope: None,
            obligations: Vec::new(),
            span,
        };
        let mut effect_seen = false;
        for q in it {
            match q.as_rule() {
                Rule::string => c.name = Some(self.text(q)),
                Rule::effect_decl => {
                    effect_seen = true;
                    for x in q.into_inner() {
                        match x.as_rule() {
                            Rule::modality => c.modality = self.modality(&x),
                            _ => c.effect = effect_of(x.as_str()),
                        }
                    }
                }
                Rule::c_when => c.when = Some(self.second_cond(q)?),
                Rule::c_basis => c.basis = Some(self.second_text(q)?),
                Rule::scope => c.scope = Some(self.scope(q)),
                Rule::obligations => c.obligations.extend(self.obligations(q)),
                _ => {}
            }
        }
        if !effect_seen {
            return Err(Diagnostic::error(
                "E0007",
                format!(
                    "情节 {} 没有写明效果；请加一行“应当 从轻”“可以 减轻”“应当 不予处罚”等",
                    c.id.name
                ),
            )
            .with_primary(
                c.id.span,
                "缺少效果（应当/可以 + 从轻/从重/减轻/从轻或者减轻/不予处罚）",
            ));
        }
        Ok(c)
    }

    fn list(&self, p: Pair<Rule>) -> R<ListDecl> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "list keyword")?;
        let (kind, word) = match self.next(&mut it, &at, "list kind")?.as_str() {
            "不予处罚" | "no_penalty" => (ListKind::NoPenalty, None),
            "免予处罚" | "exempt" => (ListKind::NoPenalty, Some("免予处罚")),
            "轻微免罚" | "minor_exempt" => (ListKind::NoPenalty, Some("轻微免罚")),
            "首错免罚" | "first_error_exempt" => (ListKind::FirstOffence, Some("首错免罚")),
            "从轻" | "lighter" => (ListKind::Lighter, None),
            "减轻" | "reduced" => (ListKind::Reduced, None),
            _ => (ListKind::FirstOffence, None),
        };
        let word = word.map(str::to_string);
        let mut l = ListDecl {
            kind,
            id: None,
            name: Text {
                value: String::new(),
                span,
            },
            basis: None,
            modality: None,
            common: None,
            fixed: false,
            obligations: Vec::new(),
            items: Vec::new(),
            word,
            span,
        };
        for q in it {
            match q.as_rule() {
                Rule::ident => l.id = Some(self.ident(q)),
                Rule::string => l.name = self.text(q),
                Rule::c_basis => l.basis = Some(self.second_text(q)?),
                Rule::list_modality => l.modality = Some(self.modality(&q)),
                Rule::l_common => l.common = Some(self.second_cond(q)?),
                Rule::l_fixed => l.fixed = true,
                Rule::obligations => l.obligations.extend(self.obligations(q)),
                Rule::list_item => l.items.push(self.list_item(q)?),
                _ => {}
            }
        }
        Ok(l)
    }

    fn list_item(&self, p: Pair<Rule>) -> R<ListItem> {
        let span = self.span(&p);
        let at = p.clone();
        let mut it = p.into_inner();
        self.next(&mut it, &at, "item keyword")?;
        let id = self.ident(self.next(&mut it, &at, "item number")?);
        let name = self.text(self.next(&mut it, &at, "item wording")?);
        let mut item = ListItem {
            id,
            name,
            scope: None,
            when: None,
            modality: None,
            obligations: Vec::new(),
            basis: None,
            fine: None,
            span,
        };
        for q in it {
            match q.as_rule() {
                Rule::scope => item.scope = Some(self.scope(q)),
                Rule::c_when => item.when = Some(self.second_cond(q)?),
                Rule::list_modality => item.modality = Some(self.modality(&q)),
                Rule::obligations => item.obligations.extend(self.obligations(q)),
                Rule::c_basis => item.basis = Some(self.second_text(q)?),
                Rule::i_fine => {
                    let fspan = self.span(&q);
                    let at = q.clone();
                    let mut qi = q.into_inner();
                    self.next(&mut qi, &at, "fine keyword")?;
                    let fine = self.fine_expr(self.next(&mut qi, &at, "item fine")?)?;
                    item.fine = Some(ItemFine { fine, span: fspan });
                }
                _ => {}
            }
        }
        Ok(item)
    }
}

/// The children of a range pair, with the compound-atomic tails
/// (`to_upper`, `above_marked`, `below_marked`) opened in place.
fn flat(p: Pair<Rule>) -> Vec<Pair<Rule>> {
    let mut out = Vec::new();
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::to_upper | Rule::above_marked | Rule::below_marked => out.extend(q.into_inner()),
            _ => out.push(q),
        }
    }
    out
}

/// What a `num_lit` is, read off its parts (see the grammar): the suffix, or
/// without one money if it has a scale word (10万) and a number if not.
#[derive(Clone, Copy)]
enum NumKind {
    Quantity,
    Money,
    Percent,
    Multiple,
    Number,
}

fn num_kind(p: &Pair<Rule>) -> NumKind {
    let mut kind = NumKind::Number;
    for q in p.clone().into_inner() {
        match q.as_rule() {
            Rule::unit | Rule::counter => return NumKind::Quantity,
            Rule::yuan => return NumKind::Money,
            Rule::pct | Rule::permille => return NumKind::Percent,
            Rule::bei => return NumKind::Multiple,
            Rule::scale => kind = NumKind::Money,
            _ => {}
        }
    }
    kind
}

/// `1-2万元`: the bare first number `first` read with the scale and suffix of
/// `second` (money with its scale, a quantity with its scale and unit, a
/// multiple, a percentage with its sign). `None` when nothing carries.
fn carry_back(
    first: &Literal,
    first_pair: &Pair<Rule>,
    second: &Literal,
    second_pair: &Pair<Rule>,
) -> Option<Literal> {
    let LiteralValue::Number(x) = first.value else {
        return None;
    };
    let inner = || second_pair.clone().into_inner();
    let scale = || -> Option<Decimal> {
        if let Some(q) = inner().find(|q| q.as_rule() == Rule::scale) {
            return numeral::scale_factor(q.as_str());
        }
        // A Chinese second number's trailing 万/亿 (二十至五十万元), unless
        // the first has its own (两万至五万元 is read as written).
        let cn = inner().find(|q| q.as_rule() == Rule::cn_numeral);
        let first_text = first_pair.as_str();
        match cn {
            Some(q) if !first_text.contains(['万', '亿']) => {
                let t = q.as_str();
                if t.ends_with("万亿") {
                    numeral::scale_factor("万亿")
                } else if t.ends_with('亿') {
                    numeral::scale_factor("亿")
                } else if t.ends_with('万') {
                    numeral::scale_factor("万")
                } else {
                    Some(Decimal::ONE)
                }
            }
            _ => Some(Decimal::ONE),
        }
    };
    // The scale carries only where the first number is below the second's
    // own numeral (二十至五十万元: 20 < 50; 1-2万元: 1 < 2), so that a first
    // number written in full stays as written (一千至一万元, 1000至1万元).
    let carried = |v2: Decimal| -> Option<Decimal> {
        let f = scale()?;
        let mantissa = v2.checked_div(f)?;
        Some(if x < mantissa { f } else { Decimal::ONE })
    };
    let value = match &second.value {
        LiteralValue::Money(v2) => LiteralValue::Money(x.checked_mul(carried(*v2)?)?),
        LiteralValue::Quantity(v2, u) => LiteralValue::Quantity(x.checked_mul(carried(*v2)?)?, *u),
        LiteralValue::Multiple(_) => LiteralValue::Multiple(x),
        LiteralValue::Percent(_) => {
            if inner().any(|q| q.as_rule() == Rule::pct_word) {
                return None;
            }
            let div = match inner().find(|q| q.as_rule() == Rule::permille) {
                Some(q) if q.as_str() == "‱" => 100u32,
                Some(_) => 10,
                None => 1,
            };
            if div == 1 {
                LiteralValue::Percent(x)
            } else {
                LiteralValue::Percent(x.checked_div(Decimal::from(div))?.normalize())
            }
        }
        _ => return None,
    };
    Some(Literal {
        value,
        span: first.span,
    })
}

/// Whether `repeated` (in a mark such as `（含2000元）`) is the same number as
/// the bound it marks. A bare number matches any bound of that value;
/// quantities compare after conversion.
fn same_number(bound: &LiteralValue, repeated: &LiteralValue) -> bool {
    use LiteralValue as L;
    let plain = |v: &LiteralValue| match v {
        L::Money(d) | L::Number(d) | L::Percent(d) | L::Multiple(d) | L::Quantity(d, _) => Some(*d),
        _ => None,
    };
    match (bound, repeated) {
        (_, L::Number(_)) | (L::Number(_), _) => {
            plain(bound).is_some() && plain(bound) == plain(repeated)
        }
        (L::Money(a), L::Money(b))
        | (L::Percent(a), L::Percent(b))
        | (L::Multiple(a), L::Multiple(b)) => a == b,
        (L::Quantity(a, ua), L::Quantity(b, ub)) => ub.convert(*b, *ua) == Some(*a),
        (L::Date(a), L::Date(b)) => a == b,
        _ => false,
    }
}

fn effect_of(s: &str) -> Effect {
    match s {
        "从轻或者减轻" | "从轻或减轻" | "lighter_or_reduced" => Effect::LighterOrReduced,
        "不予行政处罚" | "不予处罚" | "no_penalty" => Effect::NoPenalty,
        "从重" | "heavier" => Effect::Heavier,
        "减轻" | "reduced" => Effect::Reduced,
        "本档最高限度" | "该档次最高限度" | "grade_maximum" => Effect::GradeMaximum,
        "本档较低限" | "所在档次较低限" | "grade_minimum" => Effect::GradeMinimum,
        "上调一个档次" | "grade_up" => Effect::GradeUp,
        _ => Effect::Lighter,
    }
}

fn policy_values_hint(key: &str) -> &'static str {
    match key {
        "情节竞合" | "mixed" => "可选：询问、抵消、从轻优先、从重优先",
        "多阶次" | "several_grades" => "可选：从重、首个",
        "未知因素" | "unknown_factor" => "可选：最低、全部",
        "取整" | "rounding" => "可选：不取整、分、角、元、百元、千元",
        _ => "可选：全部、任一",
    }
}

/// The words of a `边界` declaration (after its keyword).
fn boundaries_decl(words: Pairs<'_, Rule>, span: Span) -> BoundariesDecl {
    let mut b = BoundariesDecl {
        above_inclusive: None,
        below_inclusive: None,
        span,
    };
    for w in words {
        // The declaration ends with its last word (not the blank after it).
        b.span.end = u32::try_from(w.as_span().end()).unwrap_or(b.span.end);
        match w.as_str() {
            "以上含本数" | "above_inclusive" => b.above_inclusive = Some(true),
            "以上不含本数" | "above_exclusive" => b.above_inclusive = Some(false),
            "以下含本数" | "below_inclusive" => b.below_inclusive = Some(true),
            _ => b.below_inclusive = Some(false),
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(src: &str) -> File {
        match parse(FileId(0), src) {
            Ok(f) => f,
            Err(d) => panic!("{d:#?}"),
        }
    }

    #[test]
    fn parses_the_full_chinese_example() {
        let f = parse_ok(include_str!("../../tests/good/full_zh.rules"));
        assert_eq!(f.keywords, KeywordSet::Chinese);
        assert_eq!(f.items.len(), 11);
    }

    #[test]
    fn plain_integers_read_exactly_as_the_numeral_reader_does() {
        let long = "9".repeat(18);
        for s in [
            "0",
            "7",
            "007",
            "10",
            "100",
            "10000",
            "30000",
            "123456789",
            &long,
        ] {
            let fast = plain_integer(s).unwrap();
            let slow = numeral::parse_numeral(s).unwrap();
            assert_eq!(fast.serialize(), slow.serialize(), "{s}");
        }
        for s in ["", "1,000", "1.5", "１０", "十", &"9".repeat(19)] {
            assert_eq!(plain_integer(s), None, "{s}");
        }
    }

    #[test]
    fn brackets_closed_only_in_comments_still_count_as_nesting() {
        // Each line opens a bracket the parser sees and closes it in a comment.
        let deep = format!(
            "事项 A \"x\" {{ 阶次 1 当 {}是 {{ }} }}",
            "( # )\n".repeat(MAX_NESTING + 1)
        );
        let err = parse(FileId(0), &deep).unwrap_err();
        assert_eq!(err[0].code, "E0002");
    }

    #[test]
    fn nesting_up_to_the_bound_parses_and_checks_on_an_ordinary_thread() {
        // The matter and grade braces add two levels. Deep files are parsed on
        // a thread of their own; the caller's (test) thread must still do the
        // rest of loading.
        for n in [1, SHALLOW - 2, SHALLOW - 1, SHALLOW, MAX_NESTING - 2] {
            let text = format!(
                "事实 {{ 是: 是否 }}\n事项 A \"x\" {{ 阶次 1 当 {}是{} {{ 罚款 100元 }} }}",
                "( # )\n".repeat(n),
                ")".repeat(n)
            );
            parse_ok(&text);
            let loaded = crate::load::load("deep.rules", &text, &|_| None);
            assert!(loaded.ruleset.is_some(), "{n}: {:#?}", loaded.diagnostics);
        }
    }
}

#[cfg(test)]
mod notation {
    use super::*;

    fn grade_range(guard_and_fine: &str) -> (RangePhrase, FineExpr) {
        let src = format!("事项 SZ60-1-4 \"x\" {{ 阶次 1-2 当 {guard_and_fine} }}");
        let f = match parse(FileId(0), &src) {
            Ok(f) => f,
            Err(d) => panic!("{src}\n{d:#?}"),
        };
        let Some(Item::Matter(m)) = f.items.first() else {
            panic!()
        };
        assert_eq!(m.id.name, "SZ60-1-4", "codes keep their hyphens");
        let Some(MatterEntry::Grade(g)) = m.entries.first() else {
            panic!()
        };
        assert_eq!(g.id.name, "1-2", "grade labels keep their hyphens");
        let Guard::When(Cond::Range { range, .. }) = &g.guard else {
            panic!("{:?}", g.guard)
        };
        let Some(SanctionClause::Fine { fine, .. }) = g.clauses.first() else {
            panic!()
        };
        (range.clone(), fine.clone())
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    type End = Option<(LiteralValue, EndKind)>;

    fn ends(r: &RangePhrase) -> (End, End) {
        let f = |e: &Option<RangeEnd>| e.as_ref().map(|e| (e.value.value.clone(), e.kind));
        (f(&r.lower), f(&r.upper))
    }

    /// Statutes write the first number of a range in Chinese without its
    /// suffix (二至四倍, 二十至五十万元): it takes the second's suffix, and its
    /// trailing 万/亿 where it is below the second's own numeral (20 < 50) —
    /// not where it writes its own 万 (两万至五万元) or is written in full
    /// (一千至一万元).
    #[test]
    fn a_bare_chinese_first_number_takes_the_seconds_suffix() {
        use EndKind::Convention as C;
        use LiteralValue as L;
        for (fine, lo, hi) in [
            (
                "二十至五十万元",
                L::Money(d("200000")),
                L::Money(d("500000")),
            ),
            ("二至四万元", L::Money(d("20000")), L::Money(d("40000"))),
            ("两万至五万元", L::Money(d("20000")), L::Money(d("50000"))),
            ("三千至五千元", L::Money(d("3000")), L::Money(d("5000"))),
            ("一千至一万元", L::Money(d("1000")), L::Money(d("10000"))),
            (
                "五至十亿元",
                L::Money(d("500000000")),
                L::Money(d("1000000000")),
            ),
            (
                "三千至五千万元",
                L::Money(d("30000000")),
                L::Money(d("50000000")),
            ),
            ("1000至1万元", L::Money(d("1000")), L::Money(d("10000"))),
        ] {
            let (_, f) = grade_range(&format!("甲 1-3次 {{ 罚款 {fine} }}"));
            let FineExpr::Range(fr) = f else {
                panic!("{fine}")
            };
            assert_eq!(ends(&fr), (Some((lo, C)), Some((hi, C))), "{fine}");
        }
        let (_, f) = grade_range("甲 1次以上 { 罚款 违法所得 二至四倍 }");
        let FineExpr::OfBase {
            factors: BaseFactors::Range(r),
            ..
        } = f
        else {
            panic!()
        };
        assert_eq!(
            ends(&r),
            (
                Some((L::Multiple(d("2")), C)),
                Some((L::Multiple(d("4")), C))
            )
        );
        // A bare Chinese numeral is a number only before 至: 一般 stays a name.
        assert!(parse(FileId(0), "事实 { 一般: 是否 }").is_ok());
    }

    /// `2次或2次以上`, `5000元或者5000元以下`: the number itself is included,
    /// whatever 边界 says; the second number must repeat the first (E0008).
    #[test]
    fn x_or_x_above_includes_x() {
        use EndKind::Inclusive as I;
        use LiteralValue as L;
        let times = |n: &str| L::Quantity(d(n), Unit::parse("次").unwrap());
        let (r, _) = grade_range("甲 2次或2次以上 { 罚款 1万 }");
        assert_eq!(ends(&r), (Some((times("2"), I)), None));
        let (r, _) = grade_range("甲 2次或者2次以下 { 罚款 1万 }");
        assert_eq!(ends(&r), (None, Some((times("2"), I))));
        let (_, f) = grade_range("甲 2次以上 { 罚款 5000元或5000元以上10000元以下 }");
        let FineExpr::Range(fr) = f else { panic!() };
        assert_eq!(fr.lower.as_ref().map(|e| e.kind), Some(I));
        let src = "规则集 \"t\" {}\n事项 A \"a\" {\n  法定 { 罚款 1万 }\n  阶次 1 当 甲 2次或3次以上 { 罚款 1万 }\n}\n";
        let e = parse(FileId(0), src).unwrap_err();
        assert_eq!(e[0].code, "E0008");
        assert!(
            e[0].message.contains("“或”后面的数 3次 与前面的 2次 不同"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn hyphen_and_dash_ranges_carry_the_scale_back() {
        use EndKind::Convention as C;
        use LiteralValue as L;
        for (fine, lo, hi) in [
            ("1-2万元", L::Money(d("10000")), L::Money(d("20000"))),
            ("1万-2万元", L::Money(d("10000")), L::Money(d("20000"))),
            ("5000-10000元", L::Money(d("5000")), L::Money(d("10000"))),
            ("1万元—2万元", L::Money(d("10000")), L::Money(d("20000"))),
            ("1万元——2万元", L::Money(d("10000")), L::Money(d("20000"))),
            ("1万元－2万元", L::Money(d("10000")), L::Money(d("20000"))),
            ("1万元–2万元", L::Money(d("10000")), L::Money(d("20000"))),
            ("0.8万-1.2万", L::Money(d("8000")), L::Money(d("12000"))),
            ("3至10万", L::Money(d("30000")), L::Money(d("100000"))),
            ("3 到 10万元", L::Money(d("30000")), L::Money(d("100000"))),
        ] {
            let (r, f) = grade_range(&format!("甲 1-3次 {{ 罚款 {fine} }}"));
            assert_eq!(
                ends(&r),
                (
                    Some((L::Quantity(d("1"), Unit::parse("次").unwrap()), C)),
                    Some((L::Quantity(d("3"), Unit::parse("次").unwrap()), C))
                )
            );
            let FineExpr::Range(fr) = f else {
                panic!("{fine}")
            };
            assert!(fr.with_to, "{fine}");
            assert_eq!(ends(&fr), (Some((lo, C)), Some((hi, C))), "{fine}");
        }
        let base_range = |src: &str| {
            let (_, f) = grade_range(src);
            let FineExpr::OfBase {
                factors: BaseFactors::Range(r),
                ..
            } = f
            else {
                panic!("{src}")
            };
            ends(&r)
        };
        assert_eq!(
            base_range("甲 1次以上 { 罚款 违法所得 2-4倍 }"),
            (
                Some((L::Multiple(d("2")), C)),
                Some((L::Multiple(d("4")), C))
            )
        );
        assert_eq!(
            base_range("甲 1次以上 { 罚款 总投资额 1-5‰ }"),
            (
                Some((L::Percent(d("0.1")), C)),
                Some((L::Percent(d("0.5")), C))
            )
        );
        // Both bare: nothing to carry.
        let (r, _) = grade_range("pH值 5-10 { 罚款 1万 }");
        assert_eq!(
            ends(&r),
            (Some((L::Number(d("5")), C)), Some((L::Number(d("10")), C)))
        );
        // Dates keep their hyphens; a date range may use a dash too.
        let (r, _) = grade_range("发生日期 2024-01-01 至 2024-12-31 { 罚款 1万 }");
        assert!(matches!(ends(&r).0, Some((L::Date(_), C))));
        let (r, _) = grade_range("发生日期 2024-01-01-2024-12-31 { 罚款 1万 }");
        assert!(matches!(ends(&r).1, Some((L::Date(_), C))));
    }

    #[test]
    fn inclusion_words_and_marks() {
        use EndKind::{Convention as C, Exclusive as X, Inclusive as I};
        for (phrase, lo, hi) in [
            ("2000元以上(含2000元)1万元以下", Some(I), Some(C)),
            ("200元以上(含)", Some(I), None),
            ("10万以下(含本数)", None, Some(I)),
            ("1万元（含1万元）以上", Some(I), None),
            ("1万元（不含1万元）以上", Some(X), None),
            ("1万元以上（不包括本数）", Some(X), None),
            ("3次以上(包含三次)", Some(I), None),
            ("3次以上(含3次)", Some(I), None),
            ("3次以上(含3)", Some(I), None),
            ("3万元及以上", Some(I), None),
            ("3万元及以下", None, Some(I)),
            ("不大于 5000元", None, Some(I)),
            ("不小于5000元", Some(I), None),
            ("满3次", Some(I), None),
            ("大于25000平方米小于30000平方米", Some(X), Some(X)),
            ("10%以上(含10%)、30%以下", Some(I), Some(C)),
            ("1倍到2倍的含下线", Some(I), Some(C)),
            ("1倍到2倍（含上线）", Some(C), Some(I)),
            ("1倍 to 2倍 lower_excluded upper_included", Some(X), Some(I)),
            ("1万元(含)至2万元(不含)", Some(I), Some(X)),
            ("3名以上(including 3)", Some(I), None),
        ] {
            let (r, _) = grade_range(&format!("甲 {phrase} {{ 罚款 1万 }}"));
            let kinds = (
                r.lower.as_ref().map(|e| e.kind),
                r.upper.as_ref().map(|e| e.kind),
            );
            assert_eq!(kinds, (lo, hi), "{phrase}");
        }
    }

    #[test]
    fn percent_words_counters_and_rates() {
        use LiteralValue as L;
        let (r, _) = grade_range("甲 百分之二 至 百分之四 { 罚款 1万 }");
        assert_eq!(r.lower.unwrap().value.value, L::Percent(d("2")));
        let (r, _) = grade_range("甲 百分之五十以上三倍以下 { 罚款 1万 }");
        assert_eq!(r.lower.unwrap().value.value, L::Percent(d("50")));
        assert_eq!(r.upper.unwrap().value.value, L::Multiple(d("3")));
        let (r, _) = grade_range("甲 1‰ 至 5‱ { 罚款 1万 }");
        assert_eq!(r.lower.unwrap().value.value, L::Percent(d("0.1")));
        assert_eq!(r.upper.unwrap().value.value, L::Percent(d("0.05")));
        for (q, unit) in [
            ("3名", "名"),
            ("20款", "款"),
            ("10棵", "棵"),
            ("2起", "起"),
            ("3项", "项"),
            ("3人次", "人次"),
            ("20吨/小时", "吨/小时"),
            ("20标立方米/日", "标立方米/天"),
        ] {
            let (r, _) = grade_range(&format!("甲 {q}以上 {{ 罚款 1万 }}"));
            let Some(RangeEnd {
                value:
                    Literal {
                        value: L::Quantity(_, u),
                        ..
                    },
                ..
            }) = r.lower
            else {
                panic!("{q}")
            };
            assert_eq!(u.name, unit, "{q}");
        }
    }

    #[test]
    fn a_mark_repeating_another_number_is_e0008_at_the_mark() {
        for (src, mark) in [
            ("2000元以上(含3000元)", "(含3000元)"),
            ("3次以上(包含四次)", "(包含四次)"),
            ("3次（含）以上（不含）", "（不含）"),
            ("1倍（不含）到2倍含下线", "含下线"),
        ] {
            let text = format!("事项 A \"x\" {{ 阶次 1 当 甲 {src} {{ 罚款 1万 }} }}");
            let err = parse(FileId(0), &text).unwrap_err();
            let dg = &err[0];
            assert_eq!(dg.code, "E0008", "{src}: {dg:#?}");
            let at = dg.labels.first().map(|l| l.span).unwrap();
            assert_eq!(
                text.get(at.start as usize..at.end as usize),
                Some(mark),
                "{src}"
            );
        }
    }
}

#[cfg(test)]
mod debug_dump {
    #[test]
    #[ignore]
    fn dump() {
        let src = std::fs::read_to_string(std::env::var("DUMP").unwrap()).unwrap();
        match super::parse(crate::source::FileId(0), &src) {
            Ok(f) => println!("{}", serde_json::to_string_pretty(&f).unwrap()),
            Err(d) => println!("{d:#?}"),
        }
    }
}

#[cfg(test)]
mod roundtrip {
    use super::*;
    use crate::syntax::{format, without_spans};

    #[test]
    fn format_then_parse_gives_the_same_tree_in_both_keyword_sets() {
        let src = include_str!("../../tests/good/full_zh.rules");
        let a = parse(FileId(0), src).unwrap();
        for kw in [KeywordSet::Chinese, KeywordSet::English] {
            let printed = format(&a, kw);
            let b = match parse(FileId(0), &printed) {
                Ok(b) => b,
                Err(d) => panic!("{printed}\n{d:#?}"),
            };
            assert_eq!(without_spans(&a), without_spans(&b), "{printed}");
            assert_eq!(format(&b, kw), printed);
        }
    }
}
