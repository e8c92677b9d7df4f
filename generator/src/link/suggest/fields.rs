//! Field links for a chosen call: each SOAP input leaf to the request place that names the
//! same thing (a compatible type only), configuration placeholders for the required places
//! nothing feeds, explicit drops for the rest, and response fields back into the SOAP answer.

use std::collections::BTreeSet;

use serde::Serialize;

use super::profile::is_credential;
use super::words::Words;
use crate::link::paths::{fields_of, list_item, walk_soap};
use crate::link::resolve::output_leaves;
use crate::link::types::{Cat, category, check_compatible};
use crate::model::{Endpoint, RestContract, SoapContract, SoapOperation, TypeGraph, TypeKind, TypeRef};

/// A proposed field link.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldCandidate {
    /// Inputs: a SOAP input path. Outputs: a JSON path in the response.
    pub from: String,
    /// Inputs: `body.…`, `path.…`, `query.…`, `header.…`. Outputs: a SOAP output path.
    pub to: String,
    /// 0..1.
    pub score: f64,
}

/// A required request place no SOAP field feeds: the draft feeds it from configuration.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigFeed {
    /// The request place.
    pub to: String,
    /// The configuration key proposed.
    pub key: String,
}

/// Everything the draft links for one call.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldPlan {
    /// SOAP input → request.
    pub inputs: Vec<FieldCandidate>,
    /// Required request places fed from configuration.
    pub config: Vec<ConfigFeed>,
    /// SOAP inputs left out, with why.
    pub dropped: Vec<(String, String)>,
    /// Credentials (they go under `[auth]`).
    pub credentials: Vec<String>,
    /// Response → SOAP output.
    pub outputs: Vec<FieldCandidate>,
}

/// A place a value can go or come from, with its type and whether the spec requires it.
struct Place {
    path: String,
    ty: TypeRef,
    required: bool,
}

const LINK_AT: f64 = 0.6;

/// The field plan for `op` calling `e` of `r`.
pub fn plan(soap: &SoapContract, op: &SoapOperation, r: &RestContract, e: &Endpoint) -> FieldPlan {
    let mut plan = FieldPlan::default();
    let targets = request_places(r, e);
    let parts = op.input_parts();
    let mut used = BTreeSet::new();
    for leaf in crate::link::resolve::input_leaves(&soap.types, op) {
        if is_credential(&leaf) {
            plan.credentials.push(leaf);
            continue;
        }
        let Ok(path) = walk_soap(&soap.types, &parts, &leaf) else {
            continue;
        };
        if path.steps.iter().skip(1).any(|s| s.many) {
            plan.dropped.push((leaf, "it repeats; to send each item, link it with a `for_each` call after review".into()));
            continue;
        }
        let src = path.leaf_type().map(|t| category(&soap.types, t)).unwrap_or(Cat::Any);
        let best = best_place(&leaf, &targets, &used, |t| fits(&src, &category(&r.types, &t.ty)));
        match best {
            Some((t, s)) => {
                used.insert(t.path.clone());
                plan.inputs.push(FieldCandidate { from: leaf, to: t.path.clone(), score: s });
            }
            None => plan.dropped.push((leaf, format!("no request field of `{}` names it (suggest; review)", e.id))),
        }
    }
    feed_required(&targets, &used, e, &mut plan);
    plan.outputs = output_links(soap, op, r, e);
    plan
}

fn fits(src: &Cat, dst: &Cat) -> bool {
    matches!(src, Cat::Any) || check_compatible(src, dst, false).is_ok()
}

/// The unused place `name` most resembles, at `LINK_AT` or better.
fn best_place<'t>(
    from: &str,
    places: &'t [Place],
    used: &BTreeSet<String>,
    ok: impl Fn(&Place) -> bool,
) -> Option<(&'t Place, f64)> {
    let last = from.rsplit(['/', '.']).next().unwrap_or(from);
    let parent = from.rsplit(['/', '.']).nth(1).unwrap_or("");
    places
        .iter()
        .filter(|p| !used.contains(&p.path) && ok(p))
        .map(|p| {
            let tl = p.path.rsplit('.').next().unwrap_or(&p.path);
            let tp = p.path.rsplit('.').nth(1).unwrap_or("");
            (p, 0.85 * similarity(last, tl) + 0.15 * similarity(parent, tp))
        })
        .filter(|(_, s)| *s >= LINK_AT)
        // Equal scores go to the place declared first.
        .fold(None, |best: Option<(&Place, f64)>, (p, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((p, (s * 100.0).round() / 100.0)),
        })
}

/// Required parameters and body fields nothing feeds get a configuration placeholder (an
/// object nothing reaches, as a whole); a required body that nothing reaches gets one too.
fn feed_required(places: &[Place], used: &BTreeSet<String>, e: &Endpoint, plan: &mut FieldPlan) {
    let mut whole: Vec<String> = Vec::new();
    let under = |p: &str, parent: &str| p.starts_with(parent) && p[parent.len()..].starts_with('.');
    // Parents come before their fields, so an object fed as a whole hides its fields.
    for p in places.iter().filter(|p| p.required && !used.contains(&p.path)) {
        let reached = used.iter().any(|u| under(u, &p.path));
        if reached || whole.iter().any(|w| under(&p.path, w)) {
            continue;
        }
        let key = p.path.rsplit('.').next().unwrap_or(&p.path).to_owned();
        plan.config.push(ConfigFeed {
            to: p.path.clone(),
            key,
        });
        whole.push(p.path.clone());
    }
    let body_fed = plan
        .inputs
        .iter()
        .map(|i| &i.to)
        .chain(plan.config.iter().map(|c| &c.to))
        .any(|t| t.starts_with("body"));
    if e.body.as_ref().is_some_and(|b| b.required) && !body_fed {
        plan.config.push(ConfigFeed {
            to: "body".into(),
            key: "body".into(),
        });
    }
}

/// Every place a request value can go: `path.x`, `query.x`, `header.x`, and `body.a.b` for the
/// body's fields (lists and objects as wholes too; their items are left for review).
fn request_places(r: &RestContract, e: &Endpoint) -> Vec<Place> {
    let mut out: Vec<Place> = e
        .params
        .iter()
        .map(|p| Place {
            path: format!("{}.{}", format!("{:?}", p.location).to_lowercase(), p.name),
            ty: p.ty.clone(),
            required: p.required,
        })
        .collect();
    let body = e.body.iter().flat_map(|b| &b.content).find(|m| m.media_type.contains("json"));
    if let Some(t) = body.and_then(|m| m.ty.as_ref()) {
        json_places(&r.types, t, "body", true, &mut out, 0, &mut BTreeSet::new());
    }
    out
}

fn json_places(
    types: &TypeGraph,
    ty: &TypeRef,
    prefix: &str,
    required: bool,
    out: &mut Vec<Place>,
    depth: usize,
    seen: &mut BTreeSet<String>,
) {
    let is_struct = types
        .resolve(types.unalias(ty))
        .is_some_and(|d| matches!(d.kind, TypeKind::Struct(_)));
    let id = types.unalias(ty).as_named().map(|i| i.0.clone()).unwrap_or_default();
    if !is_struct || depth > 6 || !seen.insert(id.clone()) {
        return;
    }
    for f in fields_of(types, ty).into_iter().filter(|f| !f.read_only) {
        let path = format!("{prefix}.{}", f.name);
        let req = required && f.min_occurs > 0;
        out.push(Place { path: path.clone(), ty: f.ty.clone(), required: req });
        if list_item(types, &f.ty).is_none() {
            json_places(types, &f.ty, &path, req, out, depth + 1, seen);
        }
    }
    seen.remove(&id);
}

/// Response fields (outside lists) into the SOAP answer's leaves (outside lists) that name the
/// same thing, with compatible types.
fn output_links(soap: &SoapContract, op: &SoapOperation, r: &RestContract, e: &Endpoint) -> Vec<FieldCandidate> {
    let Some(root) = e
        .responses
        .iter()
        .filter(|x| x.status.starts_with('2'))
        .flat_map(|x| &x.content)
        .find(|m| m.media_type.contains("json"))
        .and_then(|m| m.ty.as_ref())
    else {
        return Vec::new();
    };
    let mut places = Vec::new();
    json_places(&r.types, root, "", false, &mut places, 0, &mut BTreeSet::new());
    for p in &mut places {
        p.path = p.path.trim_start_matches('.').to_owned();
    }
    let parts = op.output_parts();
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for leaf in output_leaves(&soap.types, op) {
        let Ok(path) = walk_soap(&soap.types, &parts, &leaf) else {
            continue;
        };
        if path.steps.iter().skip(1).any(|s| s.many) {
            continue;
        }
        let Some(dst) = path.leaf_type().map(|t| category(&soap.types, t)) else {
            continue;
        };
        let best = best_place(&leaf, &places, &used, |p| {
            list_item(&r.types, &p.ty).is_none() && fits(&category(&r.types, &p.ty), &dst) && !matches!(dst, Cat::Object)
        });
        if let Some((p, s)) = best.filter(|(_, s)| *s >= 0.7) {
            used.insert(p.path.clone());
            out.push(FieldCandidate { from: p.path.clone(), to: leaf, score: s });
        }
    }
    out
}

/// Dice coefficient of normalised words, 1 for the same name.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a.eq_ignore_ascii_case(b) {
        return 1.0;
    }
    super::rank::dice(&Words::of(a), &Words::of(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_is_symmetric_and_exact_names_win() {
        assert_eq!(similarity("MessageTitle", "messageTitle"), 1.0);
        assert!(similarity("MessageTitle", "title") > 0.6);
        assert_eq!(similarity("ServiceCode", "title"), 0.0);
        assert_eq!(similarity("a", "b"), similarity("b", "a"));
    }
}
