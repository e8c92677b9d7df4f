//! Reading values at resolved manifest paths: SOAP paths over element trees, JSON paths over
//! request and response bodies.

use altinn_bridge::link::PathStep;
use altinn_bridge_runtime::xml::Element;
use serde_json::Value;

use super::expect::Val;

/// Whether `el` is the element a step names.
fn is(el: &Element, step: &PathStep) -> bool {
    match &step.xml_name {
        Some(q) => el.local == q.local && (q.ns.is_empty() || el.ns == q.ns || el.ns.is_empty()),
        None => el.local == step.name,
    }
}

fn attr_name(step: &PathStep) -> Option<&str> {
    step.name.strip_prefix('@')
}

/// The elements at `steps` (attribute steps excluded) below `roots`, the first step naming a
/// root; in document order.
pub fn select<'e>(roots: &[&'e Element], steps: &[PathStep]) -> Vec<&'e Element> {
    let Some((first, rest)) = steps.split_first() else {
        return Vec::new();
    };
    let start: Vec<&Element> = roots.iter().copied().filter(|r| is(r, first)).collect();
    descend(start, rest)
}

/// Whether an element on the way to `steps` (the last included) is sent nil.
pub fn nil_on_path(roots: &[&Element], steps: &[PathStep]) -> bool {
    (1..=steps.len()).any(|k| select(roots, &steps[..k]).iter().any(|e| e.is_nil()))
}

/// The elements at `steps` below each of `from`.
pub fn descend<'e>(from: Vec<&'e Element>, steps: &[PathStep]) -> Vec<&'e Element> {
    let mut here = from;
    for step in steps.iter().filter(|s| attr_name(s).is_none()) {
        here = here
            .into_iter()
            .flat_map(|e| e.elements().filter(|c| is(c, step)))
            .collect();
    }
    here
}

/// The values at `steps` below each of `from` (texts of non-nil elements, or attributes).
pub fn values_below(from: Vec<&Element>, steps: &[PathStep]) -> Vec<Val> {
    let attr = steps.last().and_then(attr_name);
    let holders = descend(from, steps);
    holders
        .into_iter()
        .filter_map(|e| match attr {
            Some(a) => e
                .attributes
                .iter()
                .find(|(_, l, _)| l == a)
                .map(|(_, _, v)| Val::Text(v.clone())),
            None if e.is_nil() => None,
            None => Some(Val::Text(e.text())),
        })
        .collect()
}

/// The values at a SOAP path from the roots.
pub fn soap_values(roots: &[&Element], steps: &[PathStep]) -> Vec<Val> {
    let Some((first, rest)) = steps.split_first() else {
        return Vec::new();
    };
    let start: Vec<&Element> = roots.iter().copied().filter(|r| is(r, first)).collect();
    values_below(start, rest)
}

/// Whether `prefix`'s steps start `path`'s (same names).
pub fn starts_with(path: &[PathStep], prefix: &[PathStep]) -> bool {
    path.len() >= prefix.len() && path.iter().zip(prefix).all(|(a, b)| a.name == b.name)
}

/// The JSON values at `steps` (names; `{key}` / `{value}` for a map's keys and values; `many`
/// steps into array items).
pub fn json_values(root: &Value, steps: &[PathStep]) -> Vec<Val> {
    json_nodes(root, steps)
        .into_iter()
        .filter_map(|v| match v {
            Node::Key(k) => Some(Val::Text(k)),
            Node::Value(v) => Val::from_json(v),
        })
        .collect()
}

enum Node<'v> {
    Key(String),
    Value(&'v Value),
}

fn json_nodes<'v>(root: &'v Value, steps: &[PathStep]) -> Vec<Node<'v>> {
    let mut here = vec![Node::Value(root)];
    for step in steps {
        let mut next = Vec::new();
        for n in here {
            let Node::Value(v) = n else { continue };
            match step.name.as_str() {
                "{key}" => {
                    if let Some(o) = v.as_object() {
                        next.extend(o.keys().map(|k| Node::Key(k.clone())));
                    }
                    continue;
                }
                "{value}" => {
                    if let Some(o) = v.as_object() {
                        next.extend(o.values().map(Node::Value));
                    }
                    continue;
                }
                "" | "[]" => next.push(Node::Value(v)),
                name => {
                    if let Some(c) = v.get(name.trim_end_matches("[]")) {
                        next.push(Node::Value(c));
                    }
                }
            }
        }
        if step.many {
            next = next
                .into_iter()
                .flat_map(|n| match n {
                    Node::Value(Value::Array(items)) => items.iter().map(Node::Value).collect(),
                    other => vec![other],
                })
                .collect();
        }
        here = next;
    }
    here
}

/// The items (or values) at `steps`, cloned: what a loop over an answer's array iterates.
pub fn json_items(root: &Value, steps: &[PathStep]) -> Vec<Value> {
    json_nodes(root, steps)
        .into_iter()
        .filter_map(|n| match n {
            Node::Value(v) => Some(v.clone()),
            Node::Key(_) => None,
        })
        .collect()
}
