//! Shared test helpers.
#![allow(dead_code)]

/// What the model builder needs.
pub mod prelude {
    pub use cailiang::model::*;
    pub use cailiang::source::Span;
    pub use cailiang::syntax::ast::{
        BandReference, Effect, ListKind, MixedRule, Modality, Quantifier, Rounding, SeveralGrades,
        UnknownFactor,
    };
}

pub mod build;
