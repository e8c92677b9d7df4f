//! The SOAP output element, written link by link: each value at its place in the repeated
//! elements, constants in every item, and never two different values in one place.

use std::collections::BTreeMap;

use super::exec::Placed;
use super::plan::XmlStep;
use crate::error::{Error, Result};
use crate::xml::{Element, Node};

/// Writes an output link's placed values. Each repeated step of `path` takes one position,
/// outermost first: a status change `j` of correspondence `i` lands in the `j`th `StatusChange`
/// of the `i`th `Status`. A value with more positions than the path repeats has its outer
/// positions counted off into the first repeated step; one with fewer sits in the first item
/// of the inner ones. Two different values for one place are an error, never an overwrite.
pub(super) fn set_output(
    root: &mut Element,
    path: &[XmlStep],
    field: &str,
    values: Vec<Placed>,
) -> Result<()> {
    let k = path.iter().filter(|s| s.many).count();
    let depth = values.iter().map(|(at, _)| at.len()).max().unwrap_or(0);
    // The outer positions beyond what the path repeats, ranked in order.
    let cut = (depth + 1).saturating_sub(k.max(1));
    let outer: BTreeMap<Vec<usize>, usize> = values
        .iter()
        .map(|(at, _)| at[..cut.min(at.len())].to_vec())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .enumerate()
        .map(|(rank, key)| (key, rank))
        .collect();
    let mut placed: BTreeMap<Vec<usize>, String> = BTreeMap::new();
    for (at, v) in values {
        let mut place = if k == 0 {
            Vec::new()
        } else {
            let key = at[..cut.min(at.len())].to_vec();
            let mut p = vec![outer.get(&key).copied().unwrap_or(0)];
            p.extend_from_slice(&at[cut.min(at.len())..]);
            p
        };
        place.resize(k, 0);
        let text = v.to_text();
        match placed.get(&place) {
            Some(have) if *have != text => {
                return Err(Error::Convert {
                    field: field.to_owned(),
                    message: "several different values for a field that holds one".to_owned(),
                });
            }
            _ => {
                placed.insert(place, text);
            }
        }
    }
    for (place, text) in placed {
        set_xml(root, path, &place, text);
    }
    Ok(())
}

/// Writes `text` at `path` in every element its parent path reaches (a constant in each
/// repeated item), or once, creating the path, when none exists yet.
pub(super) fn set_everywhere(root: &mut Element, path: &[XmlStep], text: &str) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut holders = Vec::new();
    collect_paths(root, parents, &mut Vec::new(), &mut holders);
    if holders.is_empty() {
        set_xml(
            root,
            path,
            &vec![0; path.iter().filter(|s| s.many).count()],
            text.to_owned(),
        );
        return;
    }
    let k_parent = parents.iter().filter(|s| s.many).count();
    for place in holders {
        let mut at = place;
        at.truncate(k_parent);
        if last.many {
            at.push(0);
        }
        set_xml(root, path, &at, text.to_owned());
    }
}

/// The positions (one per repeated step) of every element at `path` below `el`.
fn collect_paths(el: &Element, path: &[XmlStep], at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    let Some((step, rest)) = path.split_first() else {
        out.push(at.clone());
        return;
    };
    for (i, child) in el.children_named(step.ns, step.local).enumerate() {
        if step.many {
            at.push(i);
        } else if i > 0 {
            break;
        }
        collect_paths(child, rest, at, out);
        if step.many {
            at.pop();
        }
    }
}

fn set_xml(root: &mut Element, path: &[XmlStep], place: &[usize], text: String) {
    let mut here = root;
    let mut place = place.iter().copied();
    for step in path {
        if step.attribute {
            here.attributes
                .retain(|(n, l, _)| !(n == step.ns && l == step.local));
            here.attributes
                .push((step.ns.to_owned(), step.local.to_owned(), text));
            return;
        }
        let want = if step.many {
            place.next().unwrap_or(0)
        } else {
            0
        };
        let have = here.children_named(step.ns, step.local).count();
        for _ in have..=want {
            here.children.push(Node::Element(Element {
                ns: step.ns.to_owned(),
                local: step.local.to_owned(),
                ..Element::default()
            }));
        }
        here = here
            .children
            .iter_mut()
            .filter_map(|n| match n {
                Node::Element(e) if e.ns == step.ns && e.local == step.local => Some(e),
                _ => None,
            })
            .nth(want)
            .expect("created above");
    }
    here.children = vec![Node::Text(text)];
}
