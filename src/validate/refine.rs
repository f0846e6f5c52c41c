//! Refinement check of a township ruleset against its superior (`V02xx`).

use super::{Finding, Options};
use crate::model::Ruleset;

/// Runs the refinement check.
pub(crate) fn validate(t: &Ruleset, s: &Ruleset, opts: &Options, out: &mut Vec<Finding>) {
    let _ = (t, s, opts, out);
}
