//! Text to `serde_json::Value`, for JSON and YAML, with nesting and size bounded.
//!
//! Both parsers feed one [`BoundedValue`] seed that counts every value it builds (YAML aliases
//! are counted each time they are expanded, so a billion-laughs document runs out of budget
//! long before it runs out of memory) and refuses nesting deeper than the limit. Syntax errors
//! become diagnostics at the parser's line and column.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diag::{Diagnostic, FileId, SourceMap, Span};
use crate::load::Limits;

/// How the document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    /// JSON.
    Json,
    /// YAML (1.2 as libyaml reads it).
    Yaml,
}

impl Syntax {
    /// By extension; without one, JSON when the text starts with `{`, else YAML.
    pub(super) fn detect(path: &Path, text: &str) -> Syntax {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("yaml" | "yml") => Syntax::Yaml,
            Some("json") => Syntax::Json,
            _ if text.trim_start().starts_with('{') => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }
}

/// Parses `text` (file `file` of `sources`) into a JSON value.
pub(super) fn parse(
    sources: &SourceMap,
    file: FileId,
    text: &str,
    syntax: Syntax,
    limits: &Limits,
) -> Result<Value, Diagnostic> {
    let mut budget = Budget {
        left: limits.max_json_nodes,
        max_depth: limits.max_json_depth,
    };
    match syntax {
        Syntax::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let value = BoundedValue {
                budget: &mut budget,
                depth: 0,
            }
            .deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v));
            value.map_err(|e| json_error(sources, file, text, &e, limits))
        }
        Syntax::Yaml => BoundedValue {
            budget: &mut budget,
            depth: 0,
        }
        .deserialize(yaml_serde::Deserializer::from_str(text))
        .map_err(|e| yaml_error(sources, file, text, &e, limits)),
    }
}

fn json_error(
    sources: &SourceMap,
    file: FileId,
    text: &str,
    e: &serde_json::Error,
    limits: &Limits,
) -> Diagnostic {
    let f = sources.file(file);
    // serde_json counts columns in bytes.
    let line_start = f.offset_of(e.line(), 1);
    let at = clamp_to_char(text, line_start + e.column().saturating_sub(1));
    let span = Span::new(file, at..next_char(text, at));
    let msg = e.to_string();
    let bare = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    if let Some(d) = limit_error(&bare, span, limits) {
        return d;
    }
    Diagnostic::error(format!("malformed JSON: {bare}"))
        .at(span, "here")
        .note("expected a well-formed JSON document (RFC 8259)")
}

fn yaml_error(
    sources: &SourceMap,
    file: FileId,
    text: &str,
    e: &yaml_serde::Error,
    limits: &Limits,
) -> Diagnostic {
    let msg = e.to_string();
    let bare = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    let span = match e.location() {
        Some(loc) => {
            let at = sources.file(file).offset_of(loc.line(), loc.column());
            Span::new(file, at..next_char(text, at))
        }
        // Errors without a position (repeated alias expansion): point at the first alias.
        None => {
            let at = first_alias(text).unwrap_or(0);
            Span::new(file, at..next_char(text, at))
        }
    };
    if bare.contains("repetition limit exceeded") {
        return alias_error(span, limits);
    }
    if let Some(d) = limit_error(&bare, span, limits) {
        return d;
    }
    Diagnostic::error(format!("malformed YAML: {bare}"))
        .at(span, "here")
        .note("expected a well-formed YAML document holding one OpenAPI object")
}

/// The limit diagnostics, recognised by the message the seed (or the parser) gave.
fn limit_error(bare: &str, span: Span, limits: &Limits) -> Option<Diagnostic> {
    if bare.contains("recursion limit exceeded") || bare.contains(DEPTH_MSG) {
        let max = limits.max_json_depth.min(127);
        return Some(
            Diagnostic::error(format!("document nested deeper than {max} levels"))
                .at(span, "too deep here")
                .note("deep nesting is refused to bound stack use; expected a shallower document"),
        );
    }
    if bare.contains(NODES_MSG) {
        return Some(alias_error(span, limits));
    }
    if let Some((_, rest)) = bare.split_once(DUP_MSG) {
        return Some(
            Diagnostic::error(format!("duplicate key {rest}"))
                .at(span, "repeated here")
                .note("expected every key of an object to be unique"),
        );
    }
    None
}

fn alias_error(span: Span, limits: &Limits) -> Diagnostic {
    Diagnostic::error(format!("document expands to more than {} values", limits.max_json_nodes))
        .at(span, "expansion exceeds the limit here")
        .note("YAML aliases are counted each time they are expanded; documents that blow up (billion laughs) are refused")
}

fn first_alias(text: &str) -> Option<usize> {
    text.match_indices('*')
        .map(|(i, _)| i)
        .find(|&i| i > 0 && matches!(text.as_bytes().get(i - 1), Some(b' ' | b'[' | b',' | b'\t')))
}

fn clamp_to_char(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn next_char(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

const DEPTH_MSG: &str = "nesting deeper than";
const NODES_MSG: &str = "more values than";
const DUP_MSG: &str = "duplicate key ";

struct Budget {
    left: usize,
    max_depth: usize,
}

impl Budget {
    fn take<E: de::Error>(&mut self) -> Result<(), E> {
        match self.left.checked_sub(1) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(E::custom(format!("{NODES_MSG} the limit"))),
        }
    }
}

/// Builds a `Value`, counting values and nesting.
struct BoundedValue<'b> {
    budget: &'b mut Budget,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for BoundedValue<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl BoundedValue<'_> {
    fn enter<E: de::Error>(&mut self) -> Result<(), E> {
        self.budget.take()?;
        if self.depth >= self.budget.max_depth {
            return Err(E::custom(format!(
                "{DEPTH_MSG} {} levels",
                self.budget.max_depth
            )));
        }
        Ok(())
    }

    fn leaf<E: de::Error>(&mut self, v: Value) -> Result<Value, E> {
        self.budget.take()?;
        Ok(v)
    }
}

impl<'de> Visitor<'de> for BoundedValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<Value, E> {
        self.leaf(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<Value, E> {
        self.leaf(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<Value, E> {
        self.leaf(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<Value, E> {
        match Number::from_f64(v) {
            Some(n) => self.leaf(Value::Number(n)),
            None => Err(E::custom(
                "a number that is not finite (JSON has no NaN or infinity)",
            )),
        }
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<Value, E> {
        self.leaf(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(mut self, v: String) -> Result<Value, E> {
        self.leaf(Value::String(v))
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<Value, E> {
        self.leaf(Value::Null)
    }

    fn visit_none<E: de::Error>(mut self) -> Result<Value, E> {
        self.leaf(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(BoundedValue {
            budget: self.budget,
            depth: self.depth + 1,
        })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let v = map.next_value_seed(BoundedValue {
                budget: self.budget,
                depth: self.depth + 1,
            })?;
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUP_MSG}`{key}`")));
            }
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Object keys: strings, and in YAML also numbers, booleans and null (`200:` in `responses`).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean as an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
}
