//! Syntax: the pest grammar (private), the typed AST, the parser that builds
//! one from the other, and the canonical printer.

pub mod ast;
mod errors;
mod format;
mod parser;

pub use format::format;
pub use parser::{MAX_NESTING, parse};

/// The syntax tree as JSON with every span removed: two files that differ
/// only in layout, comments or keyword set give the same value.
pub fn without_spans(file: &ast::File) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("span");
                map.remove("keywords");
                map.remove("comments");
                for (_, x) in map.iter_mut() {
                    strip(x);
                }
            }
            serde_json::Value::Array(xs) => {
                // Spans also sit in tuple variants as {file, start, end}.
                xs.retain(|x| !is_span(x));
                xs.iter_mut().for_each(strip);
            }
            _ => {}
        }
    }
    fn is_span(v: &serde_json::Value) -> bool {
        matches!(v, serde_json::Value::Object(m) if m.len() == 3 && m.contains_key("file") && m.contains_key("start") && m.contains_key("end"))
    }
    let mut v = serde_json::to_value(file).unwrap_or(serde_json::Value::Null);
    strip(&mut v);
    // Spans as the only payload of a unit-like variant ({"Otherwise": {file,start,end}}).
    fn unit_spans(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (_, x) in map.iter_mut() {
                    if is_span(x) {
                        *x = serde_json::Value::Null;
                    } else {
                        unit_spans(x);
                    }
                }
            }
            serde_json::Value::Array(xs) => xs.iter_mut().for_each(unit_spans),
            _ => {}
        }
    }
    unit_spans(&mut v);
    v
}
