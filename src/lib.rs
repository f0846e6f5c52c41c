//! cailiang (裁量): a rules engine for China's administrative-penalty
//! discretion benchmarks (行政处罚裁量基准).
//!
//! Pipeline: [`syntax`] (pest grammar → typed AST with spans) → [`check`]
//! (names, types, units, ranges → [`model::Ruleset`]) → [`eval`] (a case →
//! a [`eval::Recommendation`] with a justification trace); [`scenario`] keeps
//! worked cases as tests. Nothing below [`cli`] does I/O: reading files is
//! injected into [`load::load`].
//!
//! # Embedding in a case system
//!
//! Load a ruleset once (the [`model::Ruleset`] is immutable, `Send + Sync`:
//! share it behind an `Arc`), then evaluate as many cases as needed and store
//! the JSON form of each recommendation (it carries `schema_version` and the
//! ruleset's `content_hash`; see `docs/recommendation.md`). For many cases,
//! prepare the ruleset once with [`eval::Evaluator`] (same results, faster).
//!
//! ```
//! use cailiang::{case, eval, load};
//!
//! let text = r#"
//! 规则集 "示例裁量基准" { 边界 以上含本数 以下不含本数 }
//! 事项 W-1 "未按规定贮存危险废物" {
//!   处罚依据 "《固体废物污染环境防治法》第一百一十二条"
//!   事实 { 贮存量: 数量 吨 }
//!   法定 { 罚款 10万 至 100万 }
//!   阶次 1 "轻微" 当 贮存量 1吨以下 { 罚款 10万以上30万以下 }
//!   阶次 2 "一般" 其他 { 罚款 30万 至 100万 }
//! }
//! "#;
//! // No includes here, so the reader is never asked for a file.
//! let loaded = load::load("示例.rules", text, &|_| None);
//! assert!(loaded.diagnostics.iter().all(|d| !d.is_error()));
//! let ruleset = std::sync::Arc::new(loaded.ruleset.expect("checked ruleset"));
//!
//! // A case, as a case system would send it (YAML or JSON).
//! let case_text = r#"{ "matter": "W-1", "facts": { "贮存量": "800千克" },
//!                      "dates": { "act": "2024-03-01", "discovery": "2024-04-01" } }"#;
//! let case = case::load_case(case_text, case::CaseFormat::Json, &ruleset).unwrap();
//! let rec = eval::evaluate(&ruleset, &case, &eval::EvalOptions::default()).unwrap();
//!
//! assert_eq!(rec.outcome, eval::Outcome::Penalty);
//! assert_eq!(rec.grade.as_ref().map(|g| g.id), Some("1"));
//! let fine = rec.fine.as_ref().unwrap().range;
//! assert_eq!(fine.lower.to_string(), "100000");   // exact decimals, never floats
//! assert!(!fine.upper_inclusive);                 // 以下不含本数: [10万, 30万)
//!
//! let json = serde_json::to_value(&rec).unwrap();
//! assert_eq!(json["schema_version"], 1);
//! assert_eq!(json["fine"]["upper"], "300000");
//! assert_eq!(json["fine"]["upper_inclusive"], false);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Syntax trees and models are built once per load; boxing variants buys nothing.
#![allow(clippy::large_enum_variant)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod case;
pub mod check;
pub mod cli;
pub mod diag;
pub mod eval;
pub mod load;
pub mod model;
pub mod numeral;
pub mod render;
pub mod repl;
pub mod review;
pub mod scenario;
pub mod source;
pub mod syntax;
pub mod validate;
pub mod value;
