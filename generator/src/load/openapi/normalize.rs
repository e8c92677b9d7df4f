//! OpenAPI 3.1 (JSON Schema 2020-12) schemas rewritten into the 3.0 forms `openapiv3` models
//! and the schema converter reads, in place on the `Value`:
//!
//! - `type: [T, "null"]` → `type: T` + `nullable: true` (several non-null types → `anyOf`);
//! - `const: v` → `enum: [v]`;
//! - numeric `exclusiveMinimum: n` → `minimum: n` + `exclusiveMinimum: true` (same for maximum);
//! - `examples: [..]` → `example` (the first), the list kept as well;
//! - `oneOf`/`anyOf: [X, {type: null}]` → `X` + `nullable: true` (a `$ref` X as `allOf: [X]`);
//! - `$ref` with constraint siblings → `allOf: [{$ref}]` + the siblings (annotation siblings such
//!   as `description` or `nullable` stay beside the `$ref`, where the converter reads them).
//!
//! Everything else is left alone, so `patternProperties` and `x-` extensions survive for the
//! converter, which reads the `Value`, not `openapiv3`'s types.

use serde_json::{Map, Value};

/// Keys that only annotate a `$ref` and may stay beside it.
const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "default",
    "example",
    "examples",
    "$comment",
];

/// Normalises every schema of the document: component schemas and every `schema` under paths,
/// webhooks and components.
pub(super) fn document(root: &mut Value) {
    let Some(obj) = root.as_object_mut() else {
        return;
    };
    for (key, v) in obj.iter_mut() {
        match key.as_str() {
            "components" => components(v),
            "paths" | "webhooks" => find_schemas(v, 0),
            _ => {}
        }
    }
}

fn components(v: &mut Value) {
    let Some(obj) = v.as_object_mut() else { return };
    for (key, v) in obj.iter_mut() {
        if key == "schemas" {
            if let Some(schemas) = v.as_object_mut() {
                schemas.values_mut().for_each(|s| schema(s, 0));
            }
        } else {
            find_schemas(v, 0);
        }
    }
}

/// Walks non-schema structure (path items, operations, media types) looking for `schema`.
fn find_schemas(v: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(obj) => {
            for (key, v) in obj.iter_mut() {
                match key.as_str() {
                    "schema" => schema(v, depth + 1),
                    "example" | "examples" => {} // data, not structure
                    _ => find_schemas(v, depth + 1),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| find_schemas(v, depth + 1)),
        _ => {}
    }
}

/// The document's nesting is bounded when it is read; this only guards the recursion again.
const MAX_DEPTH: usize = 256;

/// Normalises one schema and its subschemas.
pub(super) fn schema(v: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(obj) = v.as_object_mut() else { return };
    type_array(obj);
    if let Some(c) = obj.remove("const") {
        obj.entry("enum").or_insert_with(|| Value::Array(vec![c]));
    }
    exclusive_bound(obj, "exclusiveMinimum", "minimum");
    exclusive_bound(obj, "exclusiveMaximum", "maximum");
    if let Some(first) = obj
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .cloned()
    {
        obj.entry("example").or_insert(first);
    }
    for key in ["oneOf", "anyOf"] {
        null_alternative(obj, key);
    }
    ref_siblings(obj);
    subschemas(obj, depth);
}

fn subschemas(obj: &mut Map<String, Value>, depth: usize) {
    for (key, v) in obj.iter_mut() {
        match key.as_str() {
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedProperties"
            | "unevaluatedItems" => schema(v, depth + 1),
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                if let Some(items) = v.as_array_mut() {
                    items.iter_mut().for_each(|s| schema(s, depth + 1));
                }
            }
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                if let Some(map) = v.as_object_mut() {
                    map.values_mut().for_each(|s| schema(s, depth + 1));
                }
            }
            _ => {}
        }
    }
}

fn type_array(obj: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = obj.get("type") else {
        return;
    };
    let null = types.iter().any(|t| t == "null");
    let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    match rest.as_slice() {
        [] => {
            obj.insert("type".into(), Value::from("null"));
        }
        [one] => {
            obj.insert("type".into(), one.clone());
        }
        _ => {
            obj.remove("type");
            let members = rest
                .into_iter()
                .map(|t| Value::Object(Map::from_iter([("type".to_owned(), t)])))
                .collect();
            obj.insert("anyOf".into(), Value::Array(members));
        }
    }
    if null && obj.get("type").is_none_or(|t| t != "null") {
        obj.insert("nullable".into(), Value::Bool(true));
    }
}

fn exclusive_bound(obj: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    if let Some(n @ Value::Number(_)) = obj.get(exclusive).cloned() {
        obj.insert(bound.into(), n);
        obj.insert(exclusive.into(), Value::Bool(true));
    }
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type").is_some_and(|t| t == "null") && v.as_object().is_some_and(|o| o.len() == 1)
}

/// `oneOf: [X, {type: null}]` → X, nullable.
fn null_alternative(obj: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(members)) = obj.get(key) else {
        return;
    };
    if members.len() != 2 || !members.iter().any(is_null_schema) {
        return;
    }
    let Some(other) = members.iter().find(|m| !is_null_schema(m)).cloned() else {
        return;
    };
    obj.remove(key);
    obj.insert("nullable".into(), Value::Bool(true));
    match other {
        Value::Object(o) if o.contains_key("$ref") => {
            obj.insert("allOf".into(), Value::Array(vec![Value::Object(o)]));
        }
        Value::Object(o) => {
            for (k, v) in o {
                obj.entry(k).or_insert(v);
            }
        }
        _ => {}
    }
}

/// `$ref` with constraint siblings → `allOf: [{$ref}]` + siblings.
fn ref_siblings(obj: &mut Map<String, Value>) {
    if !obj.contains_key("$ref") {
        return;
    }
    let constrained = obj
        .keys()
        .any(|k| k != "$ref" && !k.starts_with("x-") && !ANNOTATIONS.contains(&k.as_str()));
    if !constrained {
        return;
    }
    if let Some(r) = obj.remove("$ref") {
        let wrapped = Value::Object(Map::from_iter([("$ref".to_owned(), r)]));
        match obj.get_mut("allOf") {
            Some(Value::Array(all)) => all.insert(0, wrapped),
            _ => {
                obj.insert("allOf".into(), Value::Array(vec![wrapped]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::schema;

    fn norm(mut v: serde_json::Value) -> serde_json::Value {
        schema(&mut v, 0);
        v
    }

    #[test]
    fn rewrites_31_forms() {
        assert_eq!(
            norm(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(norm(json!({"const": "x"})), json!({"enum": ["x"]}));
        assert_eq!(
            norm(json!({"type": "integer", "exclusiveMinimum": 0})),
            json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0})
        );
        assert_eq!(
            norm(json!({"oneOf": [{"$ref": "#/a"}, {"type": "null"}]})),
            json!({"nullable": true, "allOf": [{"$ref": "#/a"}]})
        );
        assert_eq!(
            norm(json!({"$ref": "#/a", "maxLength": 3})),
            json!({"maxLength": 3, "allOf": [{"$ref": "#/a"}]})
        );
        assert_eq!(
            norm(json!({"$ref": "#/a", "description": "d"})),
            json!({"$ref": "#/a", "description": "d"})
        );
        assert_eq!(
            norm(json!({"type": ["string", "integer"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }
}
