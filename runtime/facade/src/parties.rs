//! Binding a legacy caller to the parties it may act for. Altinn 2 checked the reportee of a
//! request against the system user's rights; Altinn 3 checks its own system user, which acts for
//! one organisation whatever the old request names. Without this check, any configured caller
//! could name any reportee in the fields the adapters still read (or drop).

use altinn_bridge_runtime::facade::{Caller, Operation};
use altinn_bridge_runtime::xml::Element;

/// Stands for every party in a caller's `parties`.
const ANY: &str = "*";

/// The first party `req` names that `caller` may not act for, if any. Requests that name no
/// party (the field is optional, or the operation has none) pass.
pub(crate) fn refused(
    op: &Operation,
    caller: &Caller,
    headers: &[Element],
    body: &Element,
) -> Option<String> {
    if caller.parties.iter().any(|p| p == ANY) {
        return None;
    }
    op.parties
        .iter()
        .flat_map(|path| values(path, headers, body))
        .find(|v| !caller.parties.iter().any(|p| p == v))
}

/// Every non-empty value at `path`, whose first step is the body element or a header block;
/// repeated elements give one value each.
fn values(path: &[(&str, &str)], headers: &[Element], body: &Element) -> Vec<String> {
    let Some(((ns, local), rest)) = path.split_first() else {
        return Vec::new();
    };
    let roots = std::iter::once(body)
        .chain(headers)
        .filter(|e| e.ns == *ns && e.local == *local);
    let mut at: Vec<&Element> = roots.collect();
    for (ns, local) in rest {
        at = at
            .into_iter()
            .flat_map(|e| e.children_named(ns, local))
            .collect();
    }
    at.into_iter()
        .map(|e| e.text().trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}
