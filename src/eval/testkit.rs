//! Hand-built models for unit tests (shared with the integration tests).

/// What the model builder needs.
pub(crate) mod prelude {
    pub use crate::model::*;
    pub use crate::source::Span;
    pub use crate::syntax::ast::{
        BandReference, Effect, ListKind, MixedRule, Modality, Quantifier, Rounding, SeveralGrades,
        UnknownFactor,
    };
}

#[path = "../../tests/common/build.rs"]
pub(crate) mod build;
