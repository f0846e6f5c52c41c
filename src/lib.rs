//! cailiang (裁量): a rules engine for China's administrative-penalty
//! discretion benchmarks (行政处罚裁量基准).
//!
//! Pipeline: [`syntax`] (pest grammar → typed AST with spans) → [`check`]
//! (names, types, units, ranges → [`model::Ruleset`]) → [`eval`] (a case →
//! a recommendation with a justification trace).
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
pub mod scenario;
pub mod source;
pub mod syntax;
pub mod value;
