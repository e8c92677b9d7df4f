//! Reading values along plan paths: SOAP element chains and texts, JSON values, and the
//! `where` filters on repeated items.

use serde_json::Value;

use super::convert::Val;
use super::plan::{Filter, FilterPath, JsonStep, XmlStep};
use crate::xml::Element;

/// Whether a SOAP item passes a filter.
pub(super) fn soap_passes(el: &Element, f: &Filter) -> bool {
    match f.path {
        FilterPath::Soap(p) => xml_values(el, p)
            .iter()
            .any(|v| v.to_text().trim() == f.equals),
        FilterPath::Json(_) => false,
    }
}

/// Whether a JSON item passes a filter.
pub(super) fn json_passes(item: &Value, f: &Filter) -> bool {
    match f.path {
        FilterPath::Json(p) => json_values(item, p)
            .into_iter()
            .filter_map(Val::from_json)
            .any(|v| v.to_text() == f.equals),
        FilterPath::Soap(_) => false,
    }
}

pub(super) fn common_prefix(a: &[XmlStep], b: &[XmlStep]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Every element chain matching `path` from `root`: one element per step.
pub(super) fn chains<'x>(root: &'x Element, path: &[XmlStep]) -> Vec<Vec<&'x Element>> {
    let mut out = vec![Vec::new()];
    for step in path.iter().filter(|s| !s.attribute) {
        let mut next = Vec::new();
        for chain in out {
            let here = chain.last().copied().unwrap_or(root);
            for child in here.children_named(step.ns, step.local) {
                let mut c = chain.clone();
                c.push(child);
                next.push(c);
            }
        }
        out = next;
    }
    out
}

/// The texts at `path` below `start`; `xsi:nil` elements give no value.
pub(super) fn xml_values(start: &Element, path: &[XmlStep]) -> Vec<Val> {
    let Some((last, parents)) = path.split_last() else {
        return if start.is_nil() {
            vec![]
        } else {
            vec![Val::Text(start.text())]
        };
    };
    let holders: Vec<&Element> = if parents.is_empty() {
        vec![start]
    } else {
        chains(start, parents)
            .into_iter()
            .filter_map(|c| c.last().copied())
            .collect()
    };
    let mut out = Vec::new();
    for h in holders {
        if last.attribute {
            out.extend(
                h.attribute(last.ns, last.local)
                    .map(|v| Val::Text(v.to_owned())),
            );
        } else {
            out.extend(
                h.children_named(last.ns, last.local)
                    .filter(|e| !e.is_nil())
                    .map(|e| Val::Text(e.text())),
            );
        }
    }
    out
}

/// The values at `path` in a JSON document.
pub(super) fn json_values<'v>(root: &'v Value, path: &[JsonStep]) -> Vec<&'v Value> {
    let mut here = vec![root];
    for step in path {
        let mut next = Vec::new();
        for v in here {
            let v = if step.name.is_empty() {
                Some(v)
            } else {
                v.get(step.name)
            };
            match (v, step.many) {
                (Some(Value::Array(items)), true) => next.extend(items),
                (Some(Value::Null) | None, _) => {}
                (Some(v), _) => next.push(v),
            }
        }
        here = next;
    }
    here
}
