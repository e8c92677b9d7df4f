//! Altinn 3's answers, built from the OpenAPI response schemas: every property present, arrays
//! of two items, every leaf a distinctive value of its type and format. Where a manifest link
//! reads a response field through a transform, the value is one that transform accepts.

use std::collections::BTreeMap;

use altinn_bridge::link::{Format, Mapping, Pages, Source, Transform};
use altinn_bridge::model::{Builtin, Endpoint, TypeGraph, TypeKind, TypeRef};
use serde_json::{Map, Value};

use super::values::Values;

/// How many items an array gets.
const REPEAT: usize = 2;
const MAX_DEPTH: usize = 8;

/// What the manifests' links ask of response fields, by endpoint (`METHOD /path`) and JSON path
/// as the manifest writes it (`correspondences[].status`).
#[derive(Debug, Default, Clone)]
pub struct ResponseHints {
    by_field: BTreeMap<(String, String), Vec<Transform>>,
    /// Fields a `where` tests: the first item of each array gets the wanted value.
    wanted: BTreeMap<(String, String), String>,
    /// The fields that lead a paged answer to its next page: each answer says it is the last
    /// page (`false` or `null`), since the harness's upstream answers every request alike.
    /// The runtime's own tests (`runtime/tests/adapter_pages.rs`) follow several pages.
    last_page: BTreeMap<(String, String), Value>,
}

impl ResponseHints {
    /// The transforms of every link (inputs, outputs, loops) that reads a response of `m`.
    pub fn of(m: &Mapping) -> Self {
        let mut by_field: BTreeMap<(String, String), Vec<Transform>> = BTreeMap::new();
        let mut wanted = BTreeMap::new();
        for op in &m.resolved.operations {
            let endpoint_of = |call: &str| {
                op.calls
                    .iter()
                    .find(|c| c.name == call)
                    .map(|c| format!("{} {}", c.method.as_str(), c.path))
            };
            for link in op.inputs.iter().chain(&op.outputs) {
                if let Source::Response { call, path } = &link.from
                    && let Some(e) = endpoint_of(call)
                {
                    for f in &link.filter {
                        let item = json_text(&path.steps[..=f.item]);
                        let field = normal(&format!("{item}.{}", f.path.text));
                        wanted.insert((e.clone(), field), f.equals.clone());
                    }
                    by_field
                        .entry((e, normal(&path.text)))
                        .or_default()
                        .extend(link.transforms.iter().cloned());
                }
            }
        }
        let mut last_page = BTreeMap::new();
        for c in m.resolved.operations.iter().flat_map(|op| &op.calls) {
            let e = format!("{} {}", c.method.as_str(), c.path);
            let ends: Vec<(&str, Value)> = match &c.pages {
                Some(Pages::Token { token, more, .. }) => {
                    let mut v = vec![(token.text.as_str(), Value::Null)];
                    v.extend(more.iter().map(|m| (m.text.as_str(), Value::Bool(false))));
                    v
                }
                Some(Pages::Next { next, .. }) => vec![(next.text.as_str(), Value::Null)],
                None => Vec::new(),
            };
            for (path, value) in ends {
                last_page.insert((e.clone(), normal(path)), value);
            }
        }
        ResponseHints {
            by_field,
            wanted,
            last_page,
        }
    }

    fn get(&self, endpoint: &str, path: &str) -> &[Transform] {
        self.by_field
            .get(&(endpoint.to_owned(), path.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// A resolved JSON path spelt as the manifest would (`data[]`).
fn json_text(steps: &[altinn_bridge::link::PathStep]) -> String {
    steps
        .iter()
        .map(|s| {
            if s.many {
                format!("{}[]", s.name)
            } else {
                s.name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A manifest's JSON path as this module spells them: `body` and leading dots dropped.
pub fn normal(path: &str) -> String {
    let p = path.strip_prefix("body").unwrap_or(path);
    p.trim_start_matches('.').replace(".[]", "[]")
}

/// What an endpoint answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A JSON document with this status.
    Json(u16, Value),
    /// Bytes (a file download) with this status.
    Bytes(u16, Vec<u8>),
    /// No content.
    Empty(u16),
}

/// The first success response of `e`, made up.
pub fn reply(graph: &TypeGraph, e: &Endpoint, hints: &ResponseHints, values: &mut Values) -> Reply {
    let Some(ok) = e.responses.iter().find(|r| r.status.starts_with('2')) else {
        return Reply::Empty(200);
    };
    let status: u16 = ok.status.parse().unwrap_or(200);
    let json = ok
        .content
        .iter()
        .find(|c| c.media_type.contains("json"))
        .and_then(|c| c.ty.as_ref());
    let endpoint = format!("{} {}", e.method.as_str(), e.path);
    match json {
        Some(ty) => {
            let mut g = Gen {
                graph,
                hints,
                endpoint: &endpoint,
                values,
                given: std::collections::BTreeSet::new(),
            };
            Reply::Json(status, g.value(ty, "", 0))
        }
        None if ok.content.is_empty() && status == 204 => Reply::Empty(status),
        None => Reply::Bytes(status, values.binary().0),
    }
}

struct Gen<'a> {
    graph: &'a TypeGraph,
    hints: &'a ResponseHints,
    endpoint: &'a str,
    values: &'a mut Values,
    /// Wanted values already given in this answer (only the first item gets each).
    given: std::collections::BTreeSet<(String, String)>,
}

impl Gen<'_> {
    fn value(&mut self, ty: &TypeRef, path: &str, depth: usize) -> Value {
        let ty = self.graph.unalias(ty);
        let def = self.graph.resolve(ty);
        match def.map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) if depth <= MAX_DEPTH => {
                let id = ty.as_named().expect("named").clone();
                let mut obj = Map::new();
                for f in self.graph.all_fields(&id) {
                    if f.write_only {
                        continue;
                    }
                    let p = join(path, &f.name);
                    obj.insert(f.name.clone(), self.value(&f.ty, &p, depth + 1));
                }
                // A map: two entries with distinct keys.
                let extra = s
                    .additional_properties
                    .clone()
                    .or_else(|| s.pattern_properties.values().next().cloned());
                if let Some(item) = extra {
                    for _ in 0..REPEAT {
                        let key = self.values.token();
                        let p = join(path, "{value}");
                        obj.insert(key, self.value(&item, &p, depth + 1));
                    }
                }
                Value::Object(obj)
            }
            Some(TypeKind::Struct(_)) => Value::Object(Map::new()),
            Some(TypeKind::List(l)) if depth <= MAX_DEPTH => {
                let p = format!("{path}[]");
                // Deep inside, one item is enough: schemas with arrays in arrays would grow
                // exponentially, and the links read the outer levels.
                let n = if depth > 3 {
                    1
                } else {
                    REPEAT.max(l.min_items as usize)
                };
                Value::Array((0..n).map(|_| self.value(&l.item, &p, depth + 1)).collect())
            }
            Some(TypeKind::List(_)) => Value::Array(Vec::new()),
            Some(TypeKind::Enum(e)) if !e.values.is_empty() => {
                // A value the manifest's table knows, where a link maps this field.
                // Several operations may map this field: a value every table knows.
                let maps: Vec<&BTreeMap<String, String>> = self
                    .hints
                    .get(self.endpoint, path)
                    .iter()
                    .filter_map(|t| match t {
                        Transform::EnumMap { map } => Some(map),
                        _ => None,
                    })
                    .collect();
                if let Some(first) = maps.first() {
                    let keys: Vec<&String> = first
                        .keys()
                        .filter(|k| e.values.iter().any(|v| &v.value == *k))
                        .filter(|k| maps.iter().all(|m| m.contains_key(*k)))
                        .collect();
                    if !keys.is_empty() {
                        let i = self.values.int_in(0, 1_000_000) as usize;
                        return Value::from(keys[i % keys.len()].clone());
                    }
                }
                let i = self.values.int_in(0, 1_000_000) as usize;
                let v = &e.values[i % e.values.len()].value;
                match self.graph.builtin_of(&e.base) {
                    Some(b) if b.is_integer() => {
                        v.parse::<i64>().map_or(Value::from(v.clone()), Value::from)
                    }
                    _ => Value::from(v.clone()),
                }
            }
            Some(TypeKind::Union(u)) if !u.members.is_empty() && depth <= MAX_DEPTH => {
                let first = u.members[0].clone();
                self.value(&first, path, depth + 1)
            }
            _ => self.scalar(ty, path),
        }
    }

    fn scalar(&mut self, ty: &TypeRef, path: &str) -> Value {
        let key = (self.endpoint.to_owned(), path.to_owned());
        if let Some(v) = self.hints.last_page.get(&key) {
            return v.clone();
        }
        if let Some(w) = self.hints.wanted.get(&key)
            && self.given.insert(key)
        {
            return Value::from(w.clone());
        }
        let format = self.graph.resolve(ty).and_then(|d| match &d.kind {
            TypeKind::Scalar(s) => s.facets.format.clone(),
            _ => None,
        });
        for t in self.hints.get(self.endpoint, path) {
            let wanted = match t {
                Transform::EnumMap { map } if !map.is_empty() => {
                    let keys: Vec<&String> = map.keys().collect();
                    let i = self.values.int_in(0, 1_000_000) as usize;
                    Some(keys[i % keys.len()].clone())
                }
                // The value Altinn 3 writes: the prefix, then a value of the field's own kind.
                Transform::StripPrefix { prefix } => {
                    Some(format!("{prefix}{}", self.values.token()))
                }
                Transform::Format { format } => match format {
                    Format::InstancePartyId | Format::InstanceGuid => {
                        Some(self.values.instance_id())
                    }
                    Format::Uuid | Format::UuidV5 => Some(self.values.guid()),
                    Format::Integer => Some(self.values.int_in(71_000_000, 79_999_999).to_string()),
                    Format::Base64ToBinary => Some(self.values.binary().1),
                    _ => None,
                },
                _ => None,
            };
            if let Some(w) = wanted {
                return Value::from(w);
            }
        }
        let b = self.graph.builtin_of(ty).unwrap_or(Builtin::String);
        match (b, format.as_deref()) {
            (Builtin::Boolean, _) => Value::from(self.values.int_in(0, 1) == 1),
            (b, _) if b.is_integer() => Value::from(self.values.int_in(71_000_000, 79_999_999)),
            (Builtin::Number | Builtin::Double | Builtin::Float | Builtin::Decimal, _) => {
                Value::from(self.values.int_in(71_000_000, 79_999_999) as f64 + 0.25)
            }
            (Builtin::DateTime, _) | (_, Some("date-time")) => {
                Value::from(self.values.utc_date_time())
            }
            (Builtin::Date, _) | (_, Some("date")) => {
                Value::from(self.values.utc_date_time()[..10].to_owned())
            }
            (Builtin::Guid, _) | (_, Some("uuid")) => Value::from(self.values.guid()),
            (Builtin::AnyUri, _) | (_, Some("uri")) => {
                Value::from(format!("https://example.test/{}", self.values.token()))
            }
            (Builtin::Binary, _) | (_, Some("byte")) => Value::from(self.values.binary().1),
            _ => Value::from(self.values.token()),
        }
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}
