//! The registry of every diagnostic code the checker emits.
//!
//! Codes are stable: tools and tests match on them. `E01xx` names,
//! `E02xx` types and units, `E03xx` ranges and statutes, `E04xx` policies,
//! `E05xx` lists and scopes, `E06xx` header and includes; `W…` are warnings
//! in the same families. `docs/DIAGNOSTICS.md` documents each one.

/// Every checker code with a one-line description.
pub const CODES: &[(&str, &str)] = &[
    (
        "E0001",
        "a syntax error (with hints for full-width digits, missing spaces after keywords, unbalanced brackets)",
    ),
    ("E0002", "brackets nested deeper than the parser accepts"),
    ("E0003", "an internal parser error (please report the file)"),
    ("E0004", "a date that does not exist in the calendar"),
    ("E0005", "a policy given a value it does not accept"),
    ("E0006", "a number that cannot be read"),
    (
        "E0007",
        "a circumstance without its effect (应当/可以 + 从轻/从重/减轻/…)",
    ),
    (
        "E0101",
        "unknown fact name (with a hint when 且/或/非 lack spaces)",
    ),
    (
        "E0102",
        "a fact is declared twice (or a matter's fact reuses a shared fact's name)",
    ),
    ("E0103", "two matters have the same code"),
    ("E0104", "two grades of one matter have the same label"),
    (
        "E0105",
        "two factors of one weighted model have the same name",
    ),
    ("E0106", "two circumstances have the same id"),
    ("E0107", "two lists have the same id"),
    ("E0108", "two items of one list have the same id"),
    ("E0109", "an enum type lists a value twice, or no value"),
    (
        "E0110",
        "a circumstance without 当 needs a boolean fact of its name, but that name is a fact of another type",
    ),
    (
        "E0201",
        "a value's type does not fit the fact (e.g. money compared with a count)",
    ),
    (
        "E0202",
        "a quantity's unit measures something else than the fact's unit",
    ),
    ("E0203", "an enum value that the fact does not declare"),
    ("E0204", "a fact that is not 是否 used alone as a condition"),
    (
        "E0205",
        "an operator or range phrase that does not apply to the fact's type",
    ),
    ("E0206", "an integer fact compared with a fractional number"),
    (
        "E0207",
        "a fine amount that is not an amount of money, or is negative",
    ),
    (
        "E0208",
        "the base of a multiple/percentage fine is not a money fact",
    ),
    (
        "E0209",
        "a per-unit fine over a fact that is not a quantity in a compatible unit",
    ),
    (
        "E0210",
        "a base factor that is neither a multiple (倍) nor a percentage",
    ),
    ("E0211", "a percentage was expected"),
    (
        "E0212",
        "a limitation period that is not a whole number of 年, 月 or 天",
    ),
    (
        "E0213",
        "a weighted model's multiplier is neither 法定上限, an amount, nor a base multiple",
    ),
    (
        "E0301",
        "an inverted range: the lower end is above the upper end",
    ),
    (
        "E0302",
        "an empty range: both ends equal and one excludes the number",
    ),
    (
        "E0303",
        "a grade's fine exceeds the statutory maximum of every version in force",
    ),
    (
        "E0304",
        "a grade's fine is below the statutory minimum of every version in force",
    ),
    (
        "E0306",
        "a statute version ends before it starts, or two versions overlap in time",
    ),
    ("E0307", "a statute or grade with more than one fine"),
    (
        "E0308",
        "a fine band outside 0%–100% of the statutory range, or a band of 阶次 in a fine",
    ),
    (
        "E0309",
        "a weighted factor level with a weight outside 0%–100%",
    ),
    (
        "E0310",
        "a weighted model's start, cap or floor outside 0%–100%, or floor above cap",
    ),
    (
        "E0311",
        "a matter with both grades and a weighted model, or two weighted models",
    ),
    ("E0312", "a fine range without an upper end"),
    (
        "E0313",
        "a construct that only statutes (或 only grades) may use",
    ),
    ("E0401", "a policy band outside 0%–100%"),
    ("E0402", "an inverted or empty policy band"),
    (
        "E0403",
        "policies that contradict each other (从轻 band above 从重 band)",
    ),
    (
        "E0404",
        "the same policy declared twice with different values",
    ),
    (
        "E0405",
        "an invalid 减轻下限 (negative amount, share outside 0%–100%)",
    ),
    (
        "E0501",
        "a list item or circumstance scoped to an unknown matter",
    ),
    ("E0601", "more than one ruleset header"),
    ("E0602", "the effective period ends before it starts"),
    ("E0603", "the superior ruleset named by 细化 does not exist"),
    ("E0604", "an included file does not exist"),
    (
        "E0605",
        "a township (乡镇) ruleset without 细化 (the superior it refines)",
    ),
    ("E0606", "a header entry given twice"),
    (
        "E0607",
        "an include cycle (a file includes a file that includes it)",
    ),
    ("E0608", "includes nested deeper than the limit"),
    (
        "W0305",
        "a matter without a statute (法定): lists and circumstances evaluate, no fine range (e.g. a list-only document)",
    ),
    (
        "W0301",
        "a convention-dependent 以上/以下 phrase in a ruleset without 边界 (once per file)",
    ),
    (
        "W0302",
        "a grade's fine lies outside one statute version's range and will be clamped",
    ),
    (
        "W0303",
        "a max-only statute without 仅有上限 policies, where the benchmark relies on it",
    ),
    (
        "W0401",
        "the same policy declared twice with the same value",
    ),
    ("W0501", "a matter named twice in one scope"),
    ("W0502", "a list without items"),
    (
        "W0503",
        "a list item whose modality (应当/可以) is stated neither on it nor on its list",
    ),
    (
        "W0504",
        "a scope on a circumstance declared inside a matter (it is ignored)",
    ),
    ("W0601", "the main file has no ruleset header"),
];

/// The description of a code, if it is registered.
pub fn describe(code: &str) -> Option<&'static str> {
    CODES.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}
