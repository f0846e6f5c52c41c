//! Syntax: the pest grammar (private), the typed AST, and the parser that
//! builds one from the other.

pub mod ast;
mod errors;
mod parser;

pub use parser::{MAX_NESTING, parse};
