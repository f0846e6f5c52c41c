//! The checker: lowers the syntax tree of a ruleset (and its includes) into
//! the checked [`model::Ruleset`], reporting every problem as a
//! [`Diagnostic`] with a stable code (see [`CODES`] and `docs/DIAGNOSTICS.md`).
//!
//! The lowering is pure: no I/O (the loader resolves includes and tells the
//! checker which paths exist through [`Options::path_exists`]) and it never
//! panics.
//!
//! Resolution rules worth knowing:
//! - A matter sees the shared facts (`事实 { … }` at top level, from every
//!   file) and its own. List items and ruleset-level circumstances see the
//!   shared facts, plus the own facts of the matter when they are scoped to
//!   exactly one matter.
//! - A circumstance written without `当` is asserted by the officer: the
//!   checker declares a boolean fact named after the circumstance's id
//!   (shared for ruleset-level circumstances, owned by the matter for a
//!   matter's own), or reuses a boolean fact of that name if one exists.
//! - Range phrases read `以上`/`以下` (and `至`) by the file's `边界`
//!   declaration, else by the main file's; undeclared, both include the
//!   number and the checker warns once per file (`W0301`).
//! - Enum values are ordered from lightest to heaviest as declared, so
//!   `管理类别 >= 重点管理` is allowed and means "that value or a heavier one".
//! - Files are laid out includes first (in include order), then the main
//!   file: that is the order of matters, circumstances and lists in the model.

mod codes;
mod conds;
mod fines;
mod header;
mod lists;
mod sanctions;
#[cfg(test)]
mod tests;
pub(crate) mod text;

pub use codes::{CODES, describe};

use crate::diag::{Diagnostic, has_errors};
use crate::model::{self, Boundaries, FactDef, FactId, FactType, MatterId, Ruleset};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Whether a path written in file `FileId` (by `引用` or `细化`) exists.
pub type PathExists<'a> = &'a dyn Fn(FileId, &str) -> bool;

/// What the checker needs to know about the world, supplied by the loader.
#[derive(Default)]
pub struct Options<'a> {
    /// Whether a path written in `引用` (include) or `细化` (refines) in the
    /// given file exists. `None`: paths are not checked.
    pub path_exists: Option<PathExists<'a>>,
}

/// Checks a ruleset: `files` holds the main file first, then its includes in
/// include order. Paths are not checked; see [`check_with`].
///
/// Returns the model when there are no errors (warnings allowed), and every
/// diagnostic in source order of discovery.
pub fn check(
    files: &[(FileId, ast::File)],
    sources: &SourceMap,
) -> (Option<Ruleset>, Vec<Diagnostic>) {
    check_with(files, sources, &Options::default())
}

/// [`check`] with options (e.g. which include/refines paths exist).
pub fn check_with(
    files: &[(FileId, ast::File)],
    sources: &SourceMap,
    options: &Options<'_>,
) -> (Option<Ruleset>, Vec<Diagnostic>) {
    let mut checker = Checker::new(sources, options);
    let ruleset = checker.run(files);
    let diags = checker.diags;
    if has_errors(&diags) {
        (None, diags)
    } else {
        (ruleset, diags)
    }
}

/// Which facts a construct may read.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'s> {
    /// Name → fact.
    pub facts: &'s BTreeMap<String, FactId>,
    /// The matter whose facts these are, `None` for shared facts only.
    pub owner: Option<&'s str>,
}

/// The checker's working state.
pub(crate) struct Checker<'a> {
    pub sources: &'a SourceMap,
    pub options: &'a Options<'a>,
    pub diags: Vec<Diagnostic>,
    pub facts: Vec<FactDef>,
    pub shared: BTreeMap<String, FactId>,
    pub matter_index: BTreeMap<String, MatterId>,
    pub matter_spans: Vec<Span>,
    /// Per-file boundary convention (the file's own `边界`, else the main one).
    pub file_boundaries: BTreeMap<FileId, Boundaries>,
    pub main_boundaries: Boundaries,
    pub convention_warned: BTreeSet<FileId>,
    /// The matter being lowered's own `边界` (each side, where it declares it).
    pub matter_boundaries: Option<(Option<bool>, Option<bool>)>,
    /// Facts declaring their own `边界` (each side, where declared).
    pub fact_boundaries: BTreeMap<FactId, (Option<bool>, Option<bool>)>,
    /// The fact whose condition's range is being read (for its `边界`).
    pub range_fact: Option<FactId>,
    /// Lowering a statute (法定): its phrases are the law's and read with
    /// both ends included, whatever the document's 边界 says.
    pub in_statute: bool,
    /// Effective period of the ruleset (for statute versions in force).
    pub effective: (Option<crate::value::Date>, Option<crate::value::Date>),
    pub policy: Option<model::Policy>,
}

impl<'a> Checker<'a> {
    fn new(sources: &'a SourceMap, options: &'a Options<'a>) -> Self {
        Checker {
            sources,
            options,
            diags: Vec::new(),
            facts: Vec::new(),
            shared: BTreeMap::new(),
            matter_index: BTreeMap::new(),
            matter_spans: Vec::new(),
            file_boundaries: BTreeMap::new(),
            main_boundaries: Boundaries {
                above_inclusive: true,
                below_inclusive: true,
                declared: false,
            },
            convention_warned: BTreeSet::new(),
            matter_boundaries: None,
            fact_boundaries: BTreeMap::new(),
            range_fact: None,
            in_statute: false,
            effective: (None, None),
            policy: None,
        }
    }

    /// Records a diagnostic.
    pub fn emit(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// The source text of a span.
    pub fn text(&self, span: Span) -> String {
        self.sources.slice(span).trim().to_string()
    }

    /// A literal as written in the source (or re-rendered).
    pub fn lit_text(&self, lit: &ast::Literal) -> String {
        let t = self.text(lit.span);
        if t.is_empty() {
            text::literal(&lit.value)
        } else {
            t
        }
    }

    /// The type of a fact.
    pub fn fact_type(&self, id: FactId) -> Option<&FactType> {
        self.facts.get(id.0 as usize).map(|f| &f.ty)
    }

    /// The name of a fact.
    pub fn fact_name(&self, id: FactId) -> &str {
        self.facts
            .get(id.0 as usize)
            .map(|f| f.name.as_str())
            .unwrap_or("?")
    }

    /// Declares a fact; reports duplicates within `scope`.
    fn declare_fact(
        &mut self,
        decl: &ast::FactDecl,
        owner: Option<(MatterId, &str)>,
        scope: &mut BTreeMap<String, FactId>,
    ) {
        if let Some(prev) = scope.get(&decl.name.name).copied() {
            let prev_span = self.facts.get(prev.0 as usize).map(|f| f.span);
            let prev_owner = self.facts.get(prev.0 as usize).and_then(|f| f.owner);
            let msg = match (owner, prev_owner) {
                (Some((_, m)), None) => format!(
                    "事项 {m} 的事实 {} 与共享事实重名；请改名，或删除这里的声明直接使用共享事实",
                    decl.name.name
                ),
                _ => format!(
                    "事实 {} 重复声明；请删除其中一个，或给它们不同的名称",
                    decl.name.name
                ),
            };
            let mut d = Diagnostic::error("E0102", msg).with_primary(decl.name.span, "重复的声明");
            if let Some(s) = prev_span {
                d = d.with_secondary(s, "第一次声明在这里");
            }
            self.emit(d);
            return;
        }
        let ty = self.lower_fact_type(decl);
        let default = decl.default.as_ref().and_then(|lit| {
            self.typed(&decl.name, &ty, lit).map(|t| match t {
                conds::Typed::Num(n) => crate::model::Value::Number(n),
                conds::Typed::Date(d) => crate::model::Value::Date(d),
                conds::Typed::Bool(b) => crate::model::Value::Bool(b),
                conds::Typed::Enum(e) => crate::model::Value::Enum(e),
            })
        });
        let id = FactId(u32::try_from(self.facts.len()).unwrap_or(u32::MAX));
        if let Some(b) = &decl.boundaries {
            if matches!(ty, FactType::Bool | FactType::Enum(_)) {
                self.emit(
                    Diagnostic::warning(
                        "W0318",
                        format!(
                            "事实 {} 是{}，对它的条件不用 以上、以下，它的 边界 不起作用；请删除，或写在数量、金额等事实上",
                            decl.name.name,
                            text::fact_type(&ty)
                        ),
                    )
                    .with_primary(b.span, "不起作用的 边界"),
                );
            }
            self.fact_boundaries
                .insert(id, (b.above_inclusive, b.below_inclusive));
        }
        self.facts.push(FactDef {
            name: decl.name.name.clone(),
            ty,
            default,
            description: decl.description.as_ref().map(|t| t.value.clone()),
            owner: owner.map(|(m, _)| m),
            span: decl.span,
        });
        scope.insert(decl.name.name.clone(), id);
    }

    fn lower_fact_type(&mut self, decl: &ast::FactDecl) -> FactType {
        match &decl.ty {
            ast::FactTypeExpr::Bool => FactType::Bool,
            ast::FactTypeExpr::Enum(values) => {
                let mut out: Vec<String> = Vec::new();
                let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
                for v in values {
                    if let Some(first) = seen.get(v.name.as_str()) {
                        let d = Diagnostic::error(
                            "E0109",
                            format!(
                                "枚举事实 {} 的取值 {} 列了两次；请删除重复的取值",
                                decl.name.name, v.name
                            ),
                        )
                        .with_primary(v.span, "重复的取值")
                        .with_secondary(*first, "第一次列出");
                        self.emit(d);
                    } else {
                        seen.insert(&v.name, v.span);
                        out.push(v.name.clone());
                    }
                }
                if out.is_empty() {
                    self.emit(
                        Diagnostic::error(
                            "E0109",
                            format!(
                                "枚举事实 {} 没有任何取值；请按从轻到重列出取值，例如 枚举(一般, 较重, 严重)",
                                decl.name.name
                            ),
                        )
                        .with_primary(decl.span, "没有取值"),
                    );
                }
                FactType::Enum(out)
            }
            ast::FactTypeExpr::Money => FactType::Money,
            ast::FactTypeExpr::Quantity(u, _) => FactType::Quantity(*u),
            ast::FactTypeExpr::Integer => FactType::Integer,
            ast::FactTypeExpr::Number => FactType::Number,
            ast::FactTypeExpr::Percent => FactType::Percent,
            ast::FactTypeExpr::Date => FactType::Date,
        }
    }

    /// Declares (or reuses) the boolean fact a circumstance without `当` is
    /// asserted through; returns the condition "that fact is 是".
    fn implicit_fact(
        &mut self,
        c: &ast::Circumstance,
        owner: Option<(MatterId, &str)>,
        scope: &mut BTreeMap<String, FactId>,
    ) -> Option<FactId> {
        if let Some(id) = scope.get(&c.id.name).copied() {
            return match self.fact_type(id) {
                Some(FactType::Bool) => Some(id),
                other => {
                    let ty = other.map(text::fact_type).unwrap_or_default();
                    let span = self.facts.get(id.0 as usize).map(|f| f.span);
                    let mut d = Diagnostic::error(
                        "E0110",
                        format!(
                            "情节 {} 没有 当 条件，由执法人员认定，需要一个同名的是否事实；但 {} 已声明为{}。请给情节写 当 条件，或改用另一个名称",
                            c.id.name, c.id.name, ty
                        ),
                    )
                    .with_primary(c.id.span, "没有 当 条件的情节");
                    if let Some(s) = span {
                        d = d.with_secondary(s, "同名事实在这里");
                    }
                    self.emit(d);
                    None
                }
            };
        }
        let id = FactId(u32::try_from(self.facts.len()).unwrap_or(u32::MAX));
        self.facts.push(FactDef {
            name: c.id.name.clone(),
            ty: FactType::Bool,
            // An asserted circumstance nobody asserted does not apply.
            default: Some(crate::model::Value::Bool(false)),
            description: Some(
                c.name
                    .as_ref()
                    .map(|t| t.value.clone())
                    .unwrap_or_else(|| format!("是否存在情节 {}", c.id.name)),
            ),
            owner: owner.map(|(m, _)| m),
            span: c.id.span,
        });
        scope.insert(c.id.name.clone(), id);
        Some(id)
    }

    /// The boundary convention for phrases written in `file`.
    pub fn boundaries_for(&self, file: FileId) -> Boundaries {
        self.file_boundaries
            .get(&file)
            .copied()
            .unwrap_or(self.main_boundaries)
    }

    /// The convention a range phrase is read by: the fact's own `边界` (in a
    /// condition on it), else the matter's, else its file's — side by side,
    /// the closest declaration of each side winning.
    pub fn convention_for(&self, file: FileId, fact: Option<FactId>) -> Boundaries {
        let mut b = self.boundaries_for(file);
        let local = [
            self.matter_boundaries,
            fact.and_then(|f| self.fact_boundaries.get(&f).copied()),
        ];
        for (above, below) in local.into_iter().flatten() {
            if let Some(a) = above {
                b.above_inclusive = a;
            }
            if let Some(x) = below {
                b.below_inclusive = x;
            }
            b.declared = true;
        }
        b
    }

    /// Grades that `参照` another matter's grade (云南 自然资源 "按照序号5的裁量
    /// 基准执行"): each takes the sanctions, 减轻 mark and 集体讨论 of the grade
    /// it names (followed through chains), and is then lowered in its own
    /// matter, so every check runs against its own statute. E0112 when the
    /// grade also writes sanctions, E0113 when the matter or grade does not
    /// exist or the references go round. Returns the matters changed.
    fn resolve_refers(&mut self, matters: &[&ast::Matter]) -> Vec<Option<ast::Matter>> {
        let grade_of = |m: &ast::Matter, label: &str| -> Option<ast::Grade> {
            m.entries.iter().find_map(|e| match e {
                ast::MatterEntry::Grade(g) if g.id.name == label => Some(g.clone()),
                _ => None,
            })
        };
        let mut out = Vec::with_capacity(matters.len());
        for m in matters {
            let mut changed: Option<ast::Matter> = None;
            for (ei, e) in m.entries.iter().enumerate() {
                let ast::MatterEntry::Grade(g) = e else {
                    continue;
                };
                let Some(r) = &g.refer else {
                    continue;
                };
                if !g.clauses.is_empty() {
                    self.emit(
                        Diagnostic::error(
                            "E0112",
                            format!(
                                "事项 {} 的阶次 {} 既 参照 事项 {} 又写了自己的处罚；参照的阶次按被参照的阶次处罚。请删除其中之一",
                                m.id.name, g.id.name, r.matter.name
                            ),
                        )
                        .with_primary(r.span, "参照"),
                    );
                    continue;
                }
                // Follow the chain.
                let mut seen: Vec<(String, String)> = vec![(m.id.name.clone(), g.id.name.clone())];
                let mut cur = r.clone();
                let mut label = r
                    .grade
                    .as_ref()
                    .map_or(g.id.name.clone(), |x| x.name.clone());
                let target = loop {
                    let key = (cur.matter.name.clone(), label.clone());
                    let found = self
                        .matter_index
                        .get(&cur.matter.name)
                        .and_then(|id| matters.get(id.0 as usize))
                        .and_then(|tm| grade_of(tm, &label));
                    let Some(tg) = found else {
                        self.emit(
                            Diagnostic::error(
                                "E0113",
                                format!(
                                    "事项 {} 的阶次 {} 参照的 事项 {} 阶次 {} 不存在；请核对事项编码与阶次编号",
                                    m.id.name, g.id.name, cur.matter.name, label
                                ),
                            )
                            .with_primary(cur.span, "参照"),
                        );
                        break None;
                    };
                    if seen.contains(&key) {
                        let path: Vec<String> = seen
                            .iter()
                            .map(|(a, b)| format!("事项 {a} 阶次 {b}"))
                            .collect();
                        self.emit(
                            Diagnostic::error(
                                "E0113",
                                format!(
                                    "参照循环：{} → 事项 {} 阶次 {}；请让其中一个阶次写明自己的处罚",
                                    path.join(" → "),
                                    key.0,
                                    key.1
                                ),
                            )
                            .with_primary(r.span, "参照"),
                        );
                        break None;
                    }
                    seen.push(key);
                    match &tg.refer {
                        Some(next) if tg.clauses.is_empty() => {
                            label = next
                                .grade
                                .as_ref()
                                .map_or(tg.id.name.clone(), |x| x.name.clone());
                            cur = next.clone();
                        }
                        _ => break Some((cur.matter.name.clone(), tg)),
                    }
                };
                let Some((tm, tg)) = target else {
                    continue;
                };
                let nm = changed.get_or_insert_with(|| (*m).clone());
                if let Some(ast::MatterEntry::Grade(ng)) = nm.entries.get_mut(ei) {
                    ng.clauses = tg.clauses.clone();
                    ng.reduced = ng.reduced || tg.reduced;
                    if ng.collective.is_none() {
                        ng.collective = tg.collective.clone();
                    }
                    // The grade names the one it finally applies (for the trace).
                    ng.refer = Some(ast::GradeRefer {
                        matter: ast::Ident {
                            name: tm,
                            span: r.matter.span,
                        },
                        grade: Some(tg.id.clone()),
                        span: r.span,
                    });
                }
            }
            out.push(changed);
        }
        out
    }

    /// A matter's own `边界` (E0111 when it writes two).
    fn matter_convention(&mut self, m: &ast::Matter) -> Option<(Option<bool>, Option<bool>)> {
        let mut found: Option<&ast::BoundariesDecl> = None;
        for e in &m.entries {
            if let ast::MatterEntry::Boundaries(b) = e {
                match found {
                    Some(first) => self.emit(
                        Diagnostic::error(
                            "E0111",
                            format!(
                                "事项 {} 写了两次 边界；请合并为一条，例如 `边界 以上含本数 以下不含本数`",
                                m.id.name
                            ),
                        )
                        .with_primary(b.span, "第二条 边界")
                        .with_secondary(first.span, "第一条在这里"),
                    ),
                    None => found = Some(b),
                }
            }
        }
        found.map(|b| (b.above_inclusive, b.below_inclusive))
    }

    /// Whether a matter or fact declares its own `边界` for this reading.
    pub fn declared_locally(&self, fact: Option<FactId>) -> bool {
        self.matter_boundaries.is_some()
            || fact.is_some_and(|f| self.fact_boundaries.contains_key(&f))
    }

    fn run(&mut self, files: &[(FileId, ast::File)]) -> Option<Ruleset> {
        let (main_id, main) = files.first().map(|(id, f)| (*id, f))?;
        // Header, boundaries, policies.
        let meta = self.header(main_id, main, files.get(1..).unwrap_or(&[]));
        // Includes are resolved (and missing ones reported) by the loader.
        // Includes first, then the main file.
        let ordered: Vec<(FileId, &ast::File)> = files
            .iter()
            .skip(1)
            .chain(files.iter().take(1))
            .map(|(id, f)| (*id, f))
            .collect();
        // Shared facts.
        let mut shared = BTreeMap::new();
        for (_, f) in &ordered {
            for item in &f.items {
                if let ast::Item::Facts(decls) = item {
                    for d in decls {
                        self.declare_fact(d, None, &mut shared);
                    }
                }
            }
        }
        // Matter codes.
        let mut matters_ast: Vec<&ast::Matter> = Vec::new();
        for (_, f) in &ordered {
            for item in &f.items {
                if let ast::Item::Matter(m) = item {
                    if let Some(prev) = self.matter_index.get(&m.id.name).copied() {
                        let mut d = Diagnostic::error(
                            "E0103",
                            format!(
                                "事项编码 {} 重复；每个事项需要唯一的编码，请修改其中一个",
                                m.id.name
                            ),
                        )
                        .with_primary(m.id.span, "重复的编码");
                        if let Some(s) = self.matter_spans.get(prev.0 as usize) {
                            d = d.with_secondary(*s, "第一次使用在这里");
                        }
                        self.emit(d);
                        continue;
                    }
                    let id = MatterId(u32::try_from(matters_ast.len()).unwrap_or(u32::MAX));
                    self.matter_index.insert(m.id.name.clone(), id);
                    self.matter_spans.push(m.id.span);
                    matters_ast.push(m);
                }
            }
        }
        // Grades that 参照 another matter's grade take its sanctions.
        let expanded = self.resolve_refers(&matters_ast);
        let matters_ast: Vec<&ast::Matter> = matters_ast
            .iter()
            .zip(&expanded)
            .map(|(m, e)| e.as_ref().unwrap_or(m))
            .collect();
        // Implicit facts of ruleset-level circumstances without 当.
        let mut implicit: BTreeMap<usize, FactId> = BTreeMap::new();
        let circ_ast: Vec<&ast::Circumstance> = ordered
            .iter()
            .flat_map(|(_, f)| f.items.iter())
            .filter_map(|i| match i {
                ast::Item::Circumstance(c) => Some(c),
                _ => None,
            })
            .collect();
        for (i, c) in circ_ast.iter().enumerate() {
            if c.when.is_none()
                && let Some(id) = self.implicit_fact(c, None, &mut shared)
            {
                implicit.insert(i, id);
            }
        }
        self.shared = shared;
        // Each matter's own facts.
        let mut scopes: Vec<BTreeMap<String, FactId>> = Vec::new();
        let mut own_implicit: Vec<BTreeMap<usize, FactId>> = Vec::new();
        for (mi, m) in matters_ast.iter().enumerate() {
            let mid = MatterId(u32::try_from(mi).unwrap_or(u32::MAX));
            let mut scope = self.shared.clone();
            for e in &m.entries {
                if let ast::MatterEntry::Facts(decls) = e {
                    for d in decls {
                        self.declare_fact(d, Some((mid, &m.id.name)), &mut scope);
                    }
                }
            }
            let mut imp = BTreeMap::new();
            for (ci, e) in m.entries.iter().enumerate() {
                if let ast::MatterEntry::Circumstance(c) = e
                    && c.when.is_none()
                    && let Some(id) = self.implicit_fact(c, Some((mid, &m.id.name)), &mut scope)
                {
                    imp.insert(ci, id);
                }
            }
            scopes.push(scope);
            own_implicit.push(imp);
        }
        // Ruleset-level limitation rules.
        let shared_map = self.shared.clone();
        let shared_scope = Scope {
            facts: &shared_map,
            owner: None,
        };
        let mut limitation = Vec::new();
        for (_, f) in &ordered {
            for item in &f.items {
                if let ast::Item::Limitation(l) = item
                    && let Some(rule) = self.limitation(l, shared_scope)
                {
                    limitation.push(rule);
                }
            }
        }
        order_limitation(&mut limitation);
        // Circumstances and lists.
        let circumstances = self.circumstances(&circ_ast, &implicit, &scopes);
        let lists_ast: Vec<&ast::ListDecl> = ordered
            .iter()
            .flat_map(|(_, f)| f.items.iter())
            .filter_map(|i| match i {
                ast::Item::List(l) => Some(l),
                _ => None,
            })
            .collect();
        let lists = self.lists(&lists_ast, &scopes);
        // Matters.
        let mut matters = Vec::new();
        for (mi, m) in matters_ast.iter().enumerate() {
            let empty = BTreeMap::new();
            let scope_map = scopes.get(mi).unwrap_or(&empty);
            let imp = own_implicit.get(mi).cloned().unwrap_or_default();
            self.matter_boundaries = self.matter_convention(m);
            matters.push(self.matter(m, scope_map, &imp));
            self.matter_boundaries = None;
        }
        // Indexes: circumstances and list items covering each matter.
        for (mi, m) in matters.iter_mut().enumerate() {
            let mid = MatterId(u32::try_from(mi).unwrap_or(u32::MAX));
            m.circumstances = circumstances
                .iter()
                .enumerate()
                .filter(|(_, c)| c.scope.as_ref().is_none_or(|s| s.contains(&mid)))
                .map(|(i, _)| i)
                .collect();
            for (li, l) in lists.iter().enumerate() {
                for (ii, item) in l.items.iter().enumerate() {
                    if item.scope.as_ref().is_none_or(|s| s.contains(&mid)) {
                        m.list_items.push((li, ii));
                    }
                }
            }
        }
        self.adjustments_need_grades(&matters, &circumstances);
        self.item_fines_vs_statutes(&lists, &matters);
        let policy = self.policy.clone().unwrap_or_else(header::default_policy);
        let mut hasher = Sha256::new();
        for (id, _) in files {
            if let Some(f) = self.sources.get(*id) {
                hasher.update(f.text.as_bytes());
            }
        }
        let content_hash = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Some(Ruleset {
            meta,
            facts: std::mem::take(&mut self.facts),
            shared_facts: self.shared.clone(),
            matters,
            matter_index: self.matter_index.clone(),
            circumstances,
            lists,
            limitation,
            policy,
            content_hash,
        })
    }

    /// E0505: a within-grade adjustment (本档最高限度, 本档较低限, 上调一个档次)
    /// that certainly covers a matter without grades — the matter's own
    /// circumstance, or a circumstance naming the matter in its scope. A
    /// circumstance for every matter (no scope, `适用 全部`) may cover
    /// ungraded matters too: there it has no effect, and evaluation warns
    /// (`adjustment_without_grade`) when it holds.
    fn adjustments_need_grades(
        &mut self,
        matters: &[model::Matter],
        circs: &[model::Circumstance],
    ) {
        let mut found: Vec<(&model::Circumstance, &model::Matter)> = Vec::new();
        for m in matters {
            if matches!(m.table, model::Table::Graded(_)) {
                continue;
            }
            let mid = self.matter_index.get(&m.id).copied();
            let scoped = circs.iter().filter(|c| {
                c.scope
                    .as_ref()
                    .is_some_and(|s| mid.is_some_and(|id| s.contains(&id)))
            });
            for c in m.own_circumstances.iter().chain(scoped) {
                if c.effect.is_grade_adjustment() {
                    found.push((c, m));
                }
            }
        }
        for (c, m) in found {
            let (what, fix) = match m.table {
                model::Table::Weighted(_) => (
                    "按权重模型裁量，没有阶次",
                    "权重模型请用 从轻/从重 情节或因素权重表达",
                ),
                _ => (
                    "没有阶次（只有法定幅度）",
                    "请为事项写出阶次，或改用 从轻/从重",
                ),
            };
            let effect = match c.effect {
                ast::Effect::GradeMaximum => "本档最高限度",
                ast::Effect::GradeMinimum => "本档较低限",
                _ => "上调一个档次",
            };
            self.emit(
                Diagnostic::error(
                    "E0505",
                    format!(
                        "情节 {} 的效果“{effect}”只对分档（阶次）的事项有意义，而事项 {} {what}；{fix}，或把该情节限定到有阶次的事项",
                        c.id, m.id
                    ),
                )
                .with_primary(c.span, format!("“{effect}”需要阶次"))
                .with_note(format!("事项 {}：{}", m.id, m.name)),
            );
        }
    }

    /// Resolves matter codes of a scope; `None` for "all matters".
    pub fn scope(&mut self, s: Option<&ast::Scope>, what: &str) -> Option<Vec<MatterId>> {
        let (ids, _) = match s {
            None | Some(ast::Scope::All(_)) => return None,
            Some(ast::Scope::Matters(ids, span)) => (ids, span),
        };
        let mut out: Vec<MatterId> = Vec::new();
        for id in ids {
            match self.matter_index.get(&id.name).copied() {
                Some(m) if out.contains(&m) => {
                    self.emit(
                        Diagnostic::warning(
                            "W0501",
                            format!(
                                "{what} 的适用范围两次列出事项 {}；请删除重复的一个",
                                id.name
                            ),
                        )
                        .with_primary(id.span, "重复列出"),
                    );
                }
                Some(m) => out.push(m),
                None => {
                    let hint =
                        text::closest(&id.name, self.matter_index.keys().map(|k| k.as_str()))
                            .map(|c| format!("；最接近的编码是 {c}"))
                            .unwrap_or_default();
                    self.emit(
                        Diagnostic::error(
                            "E0501",
                            format!(
                                "{what} 适用于事项 {}，但规则集中没有这个事项编码{hint}。请改为已声明的事项编码，或先声明该事项",
                                id.name
                            ),
                        )
                        .with_primary(id.span, "未知的事项编码"),
                    );
                }
            }
        }
        Some(out)
    }
}

/// Limitation rules with conditions first (in source order), then those without.
pub(crate) fn order_limitation(rules: &mut [model::LimitationRule]) {
    rules.sort_by_key(|r| r.when.is_none());
}
