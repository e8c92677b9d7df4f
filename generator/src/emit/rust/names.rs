//! Rust names for contract names: `heck` casing, keywords escaped, collisions made unique in a
//! fixed order (callers claim names in sorted id order, so the same contract always gets the
//! same names).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust's strict and reserved keywords (2024 edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a `_` suffix instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names generated code uses from the prelude or the runtime; a contract type with one of
/// these names gets a `Type` suffix so it never shadows them.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Clone",
    "Debug",
    "Default",
    "Deserialize",
    "Err",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Self",
    "Serialize",
    "Some",
    "String",
    "Vec",
    "Value",
];

/// Only ASCII letters, digits and `_` survive, so every name is a valid identifier; other
/// characters become word breaks (`æ`, `-`, `.`).
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// `UpperCamelCase` for a type; never empty, never starting with a digit, never a prelude name.
pub fn camel(name: &str, fallback: &str) -> String {
    let mut s = variant(name, fallback);
    if RESERVED_TYPES.contains(&s.as_str()) {
        s.push_str("Type");
    }
    s
}

/// `UpperCamelCase` for an enum variant (always written `Self::X`, so prelude names are fine).
pub fn variant(name: &str, fallback: &str) -> String {
    let mut s = ascii_words(name).to_upper_camel_case();
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, fallback);
    }
    s
}

/// `snake_case` for a field; never empty, never starting with a digit.
pub fn snake(name: &str) -> String {
    let mut s = ascii_words(name).to_snake_case();
    if s.is_empty() || s == "_" {
        s = "field".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, "f_");
    }
    s
}

/// An identifier for a name made by [`camel`] or [`snake`]: raw (`r#type`) for keywords that
/// allow it, `_`-suffixed for the rest.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Hands out names unique within one scope: the second `Foo` becomes `Foo2`, then `Foo3`.
#[derive(Debug, Default)]
pub struct Unique {
    used: BTreeSet<String>,
}

impl Unique {
    /// A scope where `taken` are already used.
    pub fn with(taken: &[&str]) -> Self {
        Unique {
            used: taken.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `base`, or `base` with the smallest number ≥ 2 that is still free.
    pub fn claim(&mut self, base: String) -> String {
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut name = base.clone();
        let mut n = 2;
        while !self.used.insert(name.clone()) {
            name = format!("{base}{sep}{n}");
            n += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_escaped_and_unique() {
        assert_eq!(camel("ArrayOfstring", "T"), "ArrayOfstring");
        assert_eq!(
            camel("insert-correspondence.v2", "T"),
            "InsertCorrespondenceV2"
        );
        assert_eq!(camel("3dPoint", "T"), "T3dPoint");
        assert_eq!(camel("String", "T"), "StringType");
        assert_eq!(camel("", "Variant"), "Variant");
        assert_eq!(snake("SystemUserCode"), "system_user_code");
        assert_eq!(snake("ÆØÅ"), "field");
        assert_eq!(snake("1st"), "f_1st");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        let mut u = Unique::with(&["x"]);
        let got: Vec<String> = ["x", "x", "y", "v2", "v2"]
            .map(|s| u.claim(s.into()))
            .into();
        assert_eq!(got, ["x2", "x3", "y", "v2", "v2_2"]);
    }
}
