//! Circumstances, lists and their scopes.

use super::conds::conjoin;
use super::{Checker, Scope};
use crate::diag::Diagnostic;
use crate::model::{Circumstance, Cond, FactId, List, ListItem, MatterId};
use crate::source::Span;
use crate::syntax::ast::{self, ListKind, Modality};
use std::collections::BTreeMap;

/// The default id of a list of this kind.
fn list_kind_id(k: ListKind) -> &'static str {
    match k {
        ListKind::NoPenalty => "不予处罚",
        ListKind::Lighter => "从轻",
        ListKind::Reduced => "减轻",
        ListKind::FirstOffence => "首违不罚",
    }
}

impl Checker<'_> {
    /// Facts visible to a construct scoped to `matters`: the shared facts,
    /// plus the matter's own when it is scoped to exactly one matter.
    fn scoped_facts(
        &self,
        matters: Option<&[MatterId]>,
        scopes: &[BTreeMap<String, FactId>],
    ) -> (BTreeMap<String, FactId>, Option<String>) {
        if let Some([m]) = matters
            && let Some(map) = scopes.get(m.0 as usize)
        {
            let name = self
                .matter_index
                .iter()
                .find(|(_, id)| *id == m)
                .map(|(k, _)| k.clone());
            return (map.clone(), name);
        }
        (self.shared.clone(), None)
    }

    /// Ruleset-level circumstances.
    pub fn circumstances(
        &mut self,
        circs: &[&ast::Circumstance],
        implicit: &BTreeMap<usize, FactId>,
        scopes: &[BTreeMap<String, FactId>],
    ) -> Vec<Circumstance> {
        let mut out: Vec<Circumstance> = Vec::new();
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        for (i, c) in circs.iter().enumerate() {
            if let Some(prev) = seen.get(&c.id.name) {
                self.emit(
                    Diagnostic::error(
                        "E0106",
                        format!("情节 {} 重复声明；请删除其中一个或改名", c.id.name),
                    )
                    .with_primary(c.id.span, "重复的情节")
                    .with_secondary(*prev, "第一次声明"),
                );
                continue;
            }
            seen.insert(c.id.name.clone(), c.id.span);
            let scope = self.scope(c.scope.as_ref(), &format!("情节 {}", c.id.name));
            let (facts, owner) = self.scoped_facts(scope.as_deref(), scopes);
            let fs = Scope {
                facts: &facts,
                owner: owner.as_deref(),
            };
            let when = match (&c.when, implicit.get(&i)) {
                (Some(w), _) => self.cond(w, fs),
                (None, Some(f)) => Some(Cond::Bool {
                    fact: *f,
                    value: true,
                }),
                (None, None) => None,
            };
            if let Some(when) = when {
                out.push(lower_circumstance(c, when, scope));
            }
        }
        out
    }

    /// A circumstance declared inside a matter.
    pub fn own_circumstance(
        &mut self,
        c: &ast::Circumstance,
        scope: Scope<'_>,
        implicit: Option<FactId>,
        matter: MatterId,
    ) -> Option<Circumstance> {
        if let Some(ast::Scope::Matters(_, span) | ast::Scope::All(span)) = &c.scope {
            self.emit(
                Diagnostic::warning(
                    "W0504",
                    format!(
                        "情节 {} 写在事项内部，只适用于该事项；它的 适用 范围不起作用，请删除，或把情节移到事项外面",
                        c.id.name
                    ),
                )
                .with_primary(*span, "被忽略的适用范围"),
            );
        }
        let when = match (&c.when, implicit) {
            (Some(w), _) => self.cond(w, scope)?,
            (None, Some(f)) => Cond::Bool {
                fact: f,
                value: true,
            },
            (None, None) => return None,
        };
        Some(lower_circumstance(c, when, Some(vec![matter])))
    }

    /// The lists.
    pub fn lists(
        &mut self,
        lists: &[&ast::ListDecl],
        scopes: &[BTreeMap<String, FactId>],
    ) -> Vec<List> {
        let mut out: Vec<List> = Vec::new();
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        let shared = self.shared.clone();
        for l in lists {
            let id =
                l.id.as_ref()
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| list_kind_id(l.kind).to_string());
            let id_span = l.id.as_ref().map(|i| i.span).unwrap_or(l.name.span);
            if let Some(prev) = seen.get(&id) {
                self.emit(
                    Diagnostic::error(
                        "E0107",
                        format!(
                            "清单 {id} 重复声明；同类清单有多份时，请用不同的编号区分，例如 清单 不予处罚 A \"…\""
                        ),
                    )
                    .with_primary(id_span, "重复的清单")
                    .with_secondary(*prev, "第一次声明"),
                );
                continue;
            }
            seen.insert(id.clone(), id_span);
            if l.items.is_empty() {
                self.emit(
                    Diagnostic::warning(
                        "W0502",
                        format!("清单 {} 没有任何条目；请补充条目或删除该清单", l.name.value),
                    )
                    .with_primary(l.name.span, "空清单"),
                );
            }
            let common = match &l.common {
                Some(c) => self.cond(
                    c,
                    Scope {
                        facts: &shared,
                        owner: None,
                    },
                ),
                None => Some(Cond::True),
            };
            let default_modality = match l.kind {
                ListKind::FirstOffence => Modality::May,
                _ => Modality::Shall,
            };
            if l.modality.is_none() && l.items.iter().any(|i| i.modality.is_none()) {
                let word = match default_modality {
                    Modality::May => "可以",
                    Modality::Shall => "应当",
                };
                self.emit(
                    Diagnostic::warning(
                        "W0503",
                        format!(
                            "清单 {} 没有写明 应当 还是 可以；现按 {word} 处理。请在清单或条目上写明，以免把裁量选择当成强制结果（或相反）",
                            l.name.value
                        ),
                    )
                    .with_primary(l.name.span, "未写明 应当/可以"),
                );
            }
            let mut items: Vec<ListItem> = Vec::new();
            let mut item_ids: BTreeMap<String, Span> = BTreeMap::new();
            for it in &l.items {
                if let Some(prev) = item_ids.get(&it.id.name) {
                    self.emit(
                        Diagnostic::error(
                            "E0108",
                            format!(
                                "清单 {} 的条目 {} 重复；请给每个条目不同的编号",
                                l.name.value, it.id.name
                            ),
                        )
                        .with_primary(it.id.span, "重复的条目")
                        .with_secondary(*prev, "第一次出现"),
                    );
                    continue;
                }
                item_ids.insert(it.id.name.clone(), it.id.span);
                let scope = self.scope(
                    it.scope.as_ref(),
                    &format!("清单 {} 的条目 {}", l.name.value, it.id.name),
                );
                let (facts, owner) = self.scoped_facts(scope.as_deref(), scopes);
                let own = match &it.when {
                    Some(w) => self.cond(
                        w,
                        Scope {
                            facts: &facts,
                            owner: owner.as_deref(),
                        },
                    ),
                    None => Some(Cond::True),
                };
                let (Some(common), Some(own)) = (common.clone(), own) else {
                    continue;
                };
                let parts: Vec<Cond> = [common, own]
                    .into_iter()
                    .filter(|c| *c != Cond::True)
                    .collect();
                let mut obligations: Vec<String> =
                    l.obligations.iter().map(|t| t.value.clone()).collect();
                for o in &it.obligations {
                    if !obligations.contains(&o.value) {
                        obligations.push(o.value.clone());
                    }
                }
                // The item's own range (减轻清单 “裁量幅度”): only 从轻 and 减轻
                // lists decide a fine; the comparison with the statute is
                // made once the matters are lowered (E0507).
                let fine = match &it.fine {
                    None => None,
                    Some(f) if matches!(l.kind, ListKind::Lighter | ListKind::Reduced) => self
                        .fine(
                            &f.fine,
                            Scope {
                                facts: &facts,
                                owner: owner.as_deref(),
                            },
                            super::fines::FineCtx::Grade,
                        ),
                    Some(f) => {
                        self.emit(
                            Diagnostic::error(
                                "E0506",
                                format!(
                                    "清单 {} 的条目 {} 写了罚款，但该清单不是 从轻 或 减轻 清单；{}清单的条目不给予罚款。请删除罚款，或把条目放入 从轻/减轻 清单",
                                    l.name.value,
                                    it.id.name,
                                    l.word.as_deref().unwrap_or(list_kind_id(l.kind))
                                ),
                            )
                            .with_primary(f.span, "此清单的条目不能写罚款"),
                        );
                        None
                    }
                };
                items.push(ListItem {
                    id: it.id.name.clone(),
                    name: it.name.value.clone(),
                    scope,
                    when: conjoin(parts),
                    modality: it.modality.or(l.modality).unwrap_or(default_modality),
                    obligations,
                    basis: it
                        .basis
                        .as_ref()
                        .or(l.basis.as_ref())
                        .map(|t| t.value.clone()),
                    fine,
                    span: it.span,
                });
            }
            out.push(List {
                kind: l.kind,
                id,
                name: l.name.value.clone(),
                basis: l.basis.as_ref().map(|t| t.value.clone()),
                fixed: l.fixed,
                items,
                word: l.word.clone(),
                span: l.span,
            });
        }
        out
    }
}

fn lower_circumstance(
    c: &ast::Circumstance,
    when: Cond,
    scope: Option<Vec<MatterId>>,
) -> Circumstance {
    Circumstance {
        id: c.id.name.clone(),
        name: c.name.as_ref().map(|t| t.value.clone()),
        modality: c.modality,
        effect: c.effect,
        when,
        basis: c.basis.as_ref().map(|t| t.value.clone()),
        scope,
        obligations: c.obligations.iter().map(|t| t.value.clone()).collect(),
        span: c.span,
    }
}
