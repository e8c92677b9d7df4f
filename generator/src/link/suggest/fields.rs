//! Field links for a chosen call: each SOAP input leaf to the request place that names the
//! same thing (a compatible type only), configuration placeholders for the required places
//! nothing feeds, explicit drops for the rest, and response fields back into the SOAP answer.

use std::collections::BTreeSet;

use serde::Serialize;

use super::profile::is_credential;
use super::words::{self, Words};
use crate::link::paths::{fields_of, list_item, walk_soap};
use crate::link::resolve::output_leaves;
use crate::link::types::{Cat, category, check_compatible};
use crate::model::{
    Endpoint, RestContract, SoapContract, SoapOperation, TypeGraph, TypeKind, TypeRef,
};

/// A call of the draft.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedCall {
    /// The name links refer to.
    pub name: String,
    /// `METHOD /path`.
    pub endpoint: String,
    /// `CALL: path[]` to repeat it per item of an earlier call's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub for_each: Option<String>,
    /// Why this call is there.
    pub why: String,
}

/// A proposed field link.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldCandidate {
    /// Which call it feeds (inputs; `None`: the only one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub into: Option<String>,
    /// For inputs taken from an earlier call's answer: that call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// Inputs: a SOAP input path. Outputs: a JSON path in the response.
    pub from: String,
    /// Inputs: `body.…`, `path.…`, `query.…`, `header.…`. Outputs: a SOAP output path.
    pub to: String,
    /// 0..1.
    pub score: f64,
    /// A `format` the values need on the way (`string`, `integer`, `date`, `date-time-utc`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
}

impl FieldCandidate {
    /// An Altinn 2 service code into an Altinn 3 resource or app id: the values differ, so
    /// they go through a table the deployment supplies (`resource_ids`).
    pub fn lookup(&self) -> Option<&'static str> {
        let (from, to) = (
            Words::of_field(last_step(&self.from)),
            Words::of_field(last_step(&self.to)),
        );
        (from.has("resource")
            && from.has("code")
            && (to.has("resource") || to.has("app"))
            && to.has("id"))
        .then_some("resource_ids")
    }
}

fn last_step(p: &str) -> &str {
    p.rsplit(['/', '.'])
        .next()
        .unwrap_or(p)
        .trim_end_matches("[]")
}

/// A required request place no SOAP field feeds: the draft feeds it from configuration.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigFeed {
    /// Which call it feeds (`None`: the only one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub into: Option<String>,
    /// The request place.
    pub to: String,
    /// The configuration key proposed.
    pub key: String,
}

/// Everything the draft links for one call.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldPlan {
    /// The calls, in order.
    pub calls: Vec<PlannedCall>,
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

/// A place a value can go or come from, with its type and whether the spec requires it where
/// it is (a required field of an optional object is required once anything goes into that
/// object).
struct Place {
    path: String,
    ty: TypeRef,
    required: bool,
    /// Inside a list's items (`body.a[].b`, `body.ids[]`).
    in_list: bool,
    name: PathName,
}

const LINK_AT: f64 = 0.6;

/// A SOAP input leaf to place.
#[derive(Debug, Clone)]
struct Leaf {
    path: String,
    cat: Cat,
    /// Some step repeats: it can only go into a list's items.
    repeats: bool,
    /// A direct argument of the operation (`Op/x`), not a field of a criteria object.
    direct: bool,
    name: PathName,
}

/// The field plan for `op` calling `e` of `r`: that call alone, or, when `e` wants an id the
/// operation cannot give and the spec has a search whose answer lists such ids, the search
/// first and `e` once per id found.
pub fn plan(soap: &SoapContract, op: &SoapOperation, r: &RestContract, e: &Endpoint) -> FieldPlan {
    let mut plan = FieldPlan::default();
    let leaves = leaves_of(soap, op, &mut plan);
    let mut single = plan.clone();
    let left = link_call(leaves.clone(), r, e, None, BTreeSet::new(), &mut single);
    let unfed_ids: Vec<String> = single
        .config
        .iter()
        .filter(|c| c.to.starts_with("path.") && is_id_name(&c.key))
        .map(|c| c.to.clone())
        .collect();
    let search = match unfed_ids.as_slice() {
        [id] => search_for(r, e).map(|(s, each)| (s, each, id.clone())),
        _ => None,
    };
    let Some((s, each, id_param)) = search else {
        single.calls.push(PlannedCall {
            name: "call".into(),
            endpoint: e.id.0.clone(),
            for_each: None,
            why: "the best candidate".into(),
        });
        drop_all(&mut single, left);
        single.outputs = output_links(soap, op, r, e);
        return single;
    };
    // Search, then the chosen call per id: the operation's fields go to whichever call names
    // them, the search first.
    plan.calls.push(PlannedCall {
        name: "search".into(),
        endpoint: s.id.0.clone(),
        for_each: None,
        why: format!(
            "`{}` wants an id no input gives; this search answers with ids",
            e.id
        ),
    });
    plan.calls.push(PlannedCall {
        name: "call".into(),
        endpoint: e.id.0.clone(),
        for_each: Some(format!("search: {each}")),
        why: "the best candidate, once per id the search finds".into(),
    });
    let left = link_call(leaves, r, s, Some("search"), BTreeSet::new(), &mut plan);
    plan.inputs.push(FieldCandidate {
        into: Some("call".into()),
        call: Some("search".into()),
        from: each,
        to: id_param.clone(),
        score: 1.0,
        format: None,
    });
    let left = link_call(
        left,
        r,
        e,
        Some("call"),
        BTreeSet::from([id_param]),
        &mut plan,
    );
    drop_all(&mut plan, left);
    plan.outputs = output_links(soap, op, r, e);
    plan
}

/// The operation's input leaves; credentials go to the plan's list of them.
fn leaves_of(soap: &SoapContract, op: &SoapOperation, plan: &mut FieldPlan) -> Vec<Leaf> {
    let parts = op.input_parts();
    let mut out = Vec::new();
    for leaf in crate::link::resolve::input_leaves(&soap.types, op) {
        if is_credential(&leaf) {
            plan.credentials.push(leaf);
            continue;
        }
        let Ok(path) = walk_soap(&soap.types, &parts, &leaf) else {
            continue;
        };
        out.push(Leaf {
            cat: path
                .leaf_type()
                .map(|t| category(&soap.types, t))
                .unwrap_or(Cat::Any),
            repeats: path.steps.iter().skip(1).any(|s| s.many),
            direct: path.steps.len() <= 2,
            name: PathName::of(&leaf),
            path: leaf,
        });
    }
    out
}

/// Links leaves into call `into` of `e`: the most alike pairs first, a list's items only from
/// repeating leaves (and only when every required field of those items is fed), an id-like
/// direct argument into an id path parameter nothing else feeds, configuration for the required
/// places left. Returns the leaves it found no place for.
fn link_call(
    leaves: Vec<Leaf>,
    r: &RestContract,
    e: &Endpoint,
    into: Option<&str>,
    mut used: BTreeSet<String>,
    plan: &mut FieldPlan,
) -> Vec<Leaf> {
    let places = request_places(r, e);
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (li, l) in leaves.iter().enumerate() {
        for (pi, p) in places.iter().enumerate() {
            let list_ok = if p.in_list { true } else { !l.repeats };
            if !list_ok || used.contains(&p.path) || !fits(&l.cat, &category(&r.types, &p.ty)) {
                continue;
            }
            let s = name_match(&l.name, &p.name);
            if s >= LINK_AT {
                pairs.push((s, li, pi));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| (a.1, a.2).cmp(&(b.1, b.2)))
    });
    let mut taken: Vec<Option<(usize, f64)>> = vec![None; leaves.len()];
    for (s, li, pi) in pairs {
        if taken[li].is_some() || used.contains(&places[pi].path) {
            continue;
        }
        used.insert(places[pi].path.clone());
        taken[li] = Some((pi, (s * 100.0).round() / 100.0));
    }
    unlink_unfed_lists(&places, &mut taken, &mut used);
    let mut left = Vec::new();
    let mut links = Vec::new();
    for (l, t) in leaves.into_iter().zip(taken) {
        match t {
            Some((pi, s)) => links.push(FieldCandidate {
                into: into.map(str::to_owned),
                call: None,
                format: conversion(&l.cat, &category(&r.types, &places[pi].ty)).flatten(),
                from: l.path,
                to: places[pi].path.clone(),
                score: s,
            }),
            None => left.push(l),
        }
    }
    // A direct argument that names one thing may feed a path parameter that wants one, when
    // the types agree (`fileReference` → `{fileTransferId}`); a field of a criteria object
    // is a filter, not the thing's id.
    let wanted: Vec<&Place> = places
        .iter()
        .filter(|p| {
            p.path.starts_with("path.")
                && p.required
                && !used.contains(&p.path)
                && is_id_name(&p.path)
        })
        .collect();
    for p in wanted {
        let dst = category(&r.types, &p.ty);
        let Some(i) = left.iter().position(|l| {
            l.direct
                && !l.repeats
                && is_id_name(&l.path)
                && !matches!(l.cat, Cat::Any)
                && fits(&l.cat, &dst)
        }) else {
            continue;
        };
        let l = left.remove(i);
        used.insert(p.path.clone());
        links.push(FieldCandidate {
            into: into.map(str::to_owned),
            call: None,
            format: conversion(&l.cat, &dst).flatten(),
            from: l.path,
            to: p.path.clone(),
            score: 0.5,
        });
    }
    plan.inputs.extend(links);
    let mut own = FieldPlan::default();
    feed_required(&places, &used, e, &mut own);
    for mut c in own.config {
        c.into = into.map(str::to_owned);
        plan.config.push(c);
    }
    left
}

/// A list whose items get values must have every required item field fed (a configuration
/// value cannot vary per item): otherwise its links are taken back.
fn unlink_unfed_lists(
    places: &[Place],
    taken: &mut [Option<(usize, f64)>],
    used: &mut BTreeSet<String>,
) {
    let lists: BTreeSet<String> = taken
        .iter()
        .flatten()
        .filter_map(|(pi, _)| {
            places[*pi]
                .path
                .find("[]")
                .map(|i| places[*pi].path[..i + 2].to_owned())
        })
        .collect();
    for list in lists {
        let unfed = places.iter().any(|p| {
            p.required
                && p.path.starts_with(&list)
                && p.path.len() > list.len()
                && !used.contains(&p.path)
                && p.path[list.len() + 1..].find('.').is_none()
        });
        if !unfed {
            continue;
        }
        for t in taken.iter_mut() {
            if let Some((pi, _)) = *t {
                if places[pi].path.starts_with(&list) {
                    used.remove(&places[pi].path);
                    *t = None;
                }
            }
        }
    }
}

/// The leaves nothing took are dropped, each with why.
fn drop_all(plan: &mut FieldPlan, left: Vec<Leaf>) {
    let calls: Vec<&str> = plan.calls.iter().map(|c| c.endpoint.as_str()).collect();
    let into = calls.join("` or `");
    for l in left {
        let why = if l.repeats {
            format!("it repeats and no list item of `{into}` names it (suggest; review)")
        } else {
            format!("no request field of `{into}` names it (suggest; review)")
        };
        plan.dropped.push((l.path, why));
    }
}

/// A path's last step and its parent, prepared for comparisons.
#[derive(Debug, Clone, Default)]
struct PathName {
    last: FieldName,
    parent: FieldName,
}

impl PathName {
    fn of(path: &str) -> PathName {
        let mut steps = path.rsplit(['/', '.']).map(|s| s.trim_end_matches("[]"));
        let last = steps.next().unwrap_or(path);
        PathName {
            last: FieldName::of(last),
            parent: FieldName::of(steps.next().unwrap_or("")),
        }
    }
}

/// How alike two paths' last steps are (their parents counting a little): the same name is 1;
/// type words (date, time, id, number, code, name) count less than the rest.
fn name_match(a: &PathName, b: &PathName) -> f64 {
    0.85 * similarity_of(&a.last, &b.last) + 0.15 * similarity_of(&a.parent, &b.parent)
}

fn is_id_name(name: &str) -> bool {
    let last = name.rsplit(['/', '.']).next().unwrap_or(name);
    Words::of(last)
        .0
        .iter()
        .any(|w| super::profile::is_id_word(w))
}

/// A GET of the same spec that searches the collection `e` belongs to (its path is a prefix of
/// `e`'s, it wants no id) and answers with ids: the search and the answer path to loop over
/// (`[]`, `ids[]`).
fn search_for<'r>(r: &'r RestContract, e: &Endpoint) -> Option<(&'r Endpoint, String)> {
    let cut = e.path.find("/{")?;
    let base = &e.path[..cut];
    r.endpoints
        .iter()
        .filter(|s| s.method == crate::model::HttpMethod::Get && s.path == base)
        .find_map(|s| ids_in_answer(r, s).map(|each| (s, each)))
}

/// Where a search's answer lists ids: the answer itself (`[]`) or an array field of it
/// (`ids[]`), of text or GUIDs.
fn ids_in_answer(r: &RestContract, s: &Endpoint) -> Option<String> {
    let root = s
        .responses
        .iter()
        .filter(|x| x.status.starts_with('2'))
        .flat_map(|x| &x.content)
        .find(|m| m.media_type.contains("json"))
        .and_then(|m| m.ty.as_ref())?;
    let scalar_ids = |t: &TypeRef| {
        list_item(&r.types, t)
            .is_some_and(|i| matches!(category(&r.types, &i), Cat::Text | Cat::Guid))
    };
    if scalar_ids(root) {
        return Some("[]".into());
    }
    fields_of(&r.types, root)
        .into_iter()
        .find(|f| scalar_ids(&f.ty))
        .map(|f| format!("{}[]", f.name))
}

fn fits(src: &Cat, dst: &Cat) -> bool {
    conversion(src, dst).is_some()
}

/// Whether values of `src` can go where `dst` is expected: `Some(None)` as they are,
/// `Some(Some(format))` through that format, `None` not at all. Date-times go through
/// `date-time-utc`: Altinn 2 took local time without an offset.
fn conversion(src: &Cat, dst: &Cat) -> Option<Option<&'static str>> {
    use Cat::*;
    match (src, dst) {
        (Any, _) => Some(None),
        (DateTime | Text, DateTime) if matches!(src, DateTime) => Some(Some("date-time-utc")),
        (Integer(_) | Number | Boolean, Text) => Some(Some("string")),
        (Text, Integer(_)) => Some(Some("integer")),
        (DateTime, Date) => Some(Some("date")),
        _ => check_compatible(src, dst, false).ok().map(|_| None),
    }
}

/// The unused place `from` most resembles, at `LINK_AT` or better.
fn best_place<'t>(
    from: &PathName,
    places: &'t [Place],
    used: &BTreeSet<String>,
    ok: impl Fn(&Place) -> bool,
) -> Option<(&'t Place, f64)> {
    places
        .iter()
        .filter(|p| !used.contains(&p.path) && ok(p))
        .map(|p| (p, name_match(from, &p.name)))
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
    let under = |p: &str, parent: &str| p.starts_with(parent) && p[parent.len()..].starts_with('.');
    let parent_of = |p: &str| match p.strip_suffix("[]") {
        Some(list) => list.to_owned(),
        None => p
            .rsplit_once('.')
            .map(|(a, _)| a.to_owned())
            .unwrap_or_default(),
    };
    let mut fed: Vec<String> = used.iter().cloned().collect();
    let mut whole: Vec<String> = Vec::new();
    // Parents come before their fields, so an object fed as a whole hides its fields, and a
    // field is required when its object is the body, required, or reached.
    let mut needed: BTreeSet<String> = BTreeSet::new();
    // Items of a list are fed per item by links, never by configuration (see
    // `unlink_unfed_lists`).
    for p in places.iter().filter(|p| !p.in_list) {
        let parent = parent_of(&p.path);
        let top = !p.path.starts_with("body.") || parent == "body";
        let parent_needed = top
            || needed.contains(&parent)
            || fed.iter().any(|u| u == &parent || under(u, &parent));
        if !(p.required && parent_needed) || whole.iter().any(|w| under(&p.path, w)) {
            continue;
        }
        needed.insert(p.path.clone());
        if used.contains(&p.path) || used.iter().any(|u| under(u, &p.path)) {
            continue;
        }
        let key = p.path.rsplit('.').next().unwrap_or(&p.path).to_owned();
        plan.config.push(ConfigFeed {
            into: None,
            to: p.path.clone(),
            key,
        });
        fed.push(p.path.clone());
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
            into: None,
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
            in_list: false,
            name: PathName::of(&p.name),
        })
        .collect();
    let body = e
        .body
        .iter()
        .flat_map(|b| &b.content)
        .find(|m| m.media_type.contains("json"));
    if let Some(t) = body.and_then(|m| m.ty.as_ref()) {
        json_places(&r.types, t, "body", &mut out, 0, &mut BTreeSet::new());
    }
    out
}

fn json_places(
    types: &TypeGraph,
    ty: &TypeRef,
    prefix: &str,
    out: &mut Vec<Place>,
    depth: usize,
    seen: &mut BTreeSet<String>,
) {
    let is_struct = types
        .resolve(types.unalias(ty))
        .is_some_and(|d| matches!(d.kind, TypeKind::Struct(_)));
    let id = types
        .unalias(ty)
        .as_named()
        .map(|i| i.0.clone())
        .unwrap_or_default();
    if !is_struct || depth > 6 || !seen.insert(id.clone()) {
        return;
    }
    let in_list = prefix.contains("[]");
    for f in fields_of(types, ty).into_iter().filter(|f| !f.read_only) {
        let path = format!("{prefix}.{}", f.name);
        out.push(Place {
            name: PathName::of(&path),
            path: path.clone(),
            ty: f.ty.clone(),
            required: f.min_occurs > 0,
            in_list,
        });
        match list_item(types, &f.ty) {
            None => json_places(types, &f.ty, &path, out, depth + 1, seen),
            Some(item) if fields_of(types, &item).is_empty() => out.push(Place {
                name: PathName::of(&path),
                path: format!("{path}[]"),
                ty: item,
                required: false,
                in_list: true,
            }),
            Some(item) => json_places(types, &item, &format!("{path}[]"), out, depth + 1, seen),
        }
    }
    seen.remove(&id);
}

/// Response fields (outside lists) into the SOAP answer's leaves (outside lists) that name the
/// same thing, with compatible types.
fn output_links(
    soap: &SoapContract,
    op: &SoapOperation,
    r: &RestContract,
    e: &Endpoint,
) -> Vec<FieldCandidate> {
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
    json_places(&r.types, root, "", &mut places, 0, &mut BTreeSet::new());
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
        let best = best_place(&PathName::of(&leaf), &places, &used, |p| {
            !p.in_list
                && list_item(&r.types, &p.ty).is_none()
                && fits(&category(&r.types, &p.ty), &dst)
                && !matches!(dst, Cat::Object)
        });
        if let Some((p, s)) = best.filter(|(_, s)| *s >= 0.7) {
            used.insert(p.path.clone());
            out.push(FieldCandidate {
                into: None,
                call: None,
                // Answers keep Altinn 3's offsets: no conversion to UTC on the way back.
                format: conversion(&category(&r.types, &p.ty), &dst)
                    .flatten()
                    .filter(|f| *f != "date-time-utc"),
                from: p.path.clone(),
                to: leaf,
                score: s,
            });
        }
    }
    out
}

/// Words that say what kind of value a field holds rather than what it is about.
const TYPE_WORDS: &[&str] = &[
    "date",
    "time",
    "id",
    "number",
    "code",
    "name",
    "type",
    "text",
    "value",
    "reference",
];

/// Dice coefficient of normalised words, type words counting less; 1 for the same name.
#[cfg(test)]
pub fn similarity(a: &str, b: &str) -> f64 {
    similarity_of(&FieldName::of(a), &FieldName::of(b))
}

/// A field name and its words, prepared once for many comparisons.
#[derive(Debug, Clone, Default)]
pub struct FieldName {
    lower: String,
    words: Vec<String>,
}

impl FieldName {
    /// `name`'s field words, sorted.
    pub fn of(name: &str) -> FieldName {
        FieldName {
            lower: name.to_lowercase(),
            words: Words::of_field(name).sorted(),
        }
    }
}

/// [`similarity`] of prepared names.
pub fn similarity_of(a: &FieldName, b: &FieldName) -> f64 {
    if a.lower == b.lower {
        return 1.0;
    }
    words::dice(&a.words, &b.words, |w| {
        if TYPE_WORDS.contains(&w) { 0.4 } else { 1.0 }
    })
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
