//! Values and amounts in the ruleset's own terms (`20万元`, `15吨`, `是`).

use crate::model::{FactType, Value};
use rust_decimal::Decimal;

/// Amounts are worded as the checker words them (`120万元`, `3.5亿元`).
pub(crate) use crate::check::text::money;

/// `是` / `否`.
pub(crate) fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

/// A number of a fact's type: `20万元`, `15吨`, `3`, `30%`.
pub(crate) fn number(ty: &FactType, d: Decimal) -> String {
    match ty {
        FactType::Money => money(d),
        FactType::Quantity(u) => format!("{}{}", d.normalize(), u.name),
        FactType::Percent => format!("{}%", d.normalize()),
        _ => d.normalize().to_string(),
    }
}

/// A fact value as a case file writes it.
pub(crate) fn value(ty: &FactType, v: &Value) -> String {
    match (ty, v) {
        (_, Value::Bool(b)) => yes_no(*b).to_string(),
        (FactType::Enum(vs), Value::Enum(i)) => vs
            .get(usize::from(*i))
            .cloned()
            .unwrap_or_else(|| i.to_string()),
        (_, Value::Enum(i)) => i.to_string(),
        (ty, Value::Number(d)) => number(ty, *d),
        (_, Value::Date(d)) => d.to_string(),
    }
}

/// A factor as `30%`.
pub(crate) fn percent(f: Decimal) -> String {
    format!("{}%", (f * Decimal::from(100u64)).normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_legal_staff_write_them() {
        assert_eq!(money(Decimal::from(200_000)), "20万元");
        assert_eq!(money(Decimal::from(3000)), "3000元");
        assert_eq!(
            number(
                &FactType::Quantity(crate::value::Unit::parse("吨").unwrap()),
                15.into()
            ),
            "15吨"
        );
        assert_eq!(value(&FactType::Bool, &Value::Bool(true)), "是");
    }
}
