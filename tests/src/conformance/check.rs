//! The checks: from one operation's resolved links, what must have reached Altinn 3 and what
//! must have come back, against what the recorder saw and what the adapter answered. Each
//! failure names the manifest line of the link that did not hold.

use std::collections::{BTreeMap, BTreeSet};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::link::{Call, FieldLink, Loop, Mapping, OpLink, PathStep, Source, Target};
use altinn_bridge::model::{ParamLocation, TypeGraph, TypeKind, TypeRef};
use altinn_bridge_runtime::adapter::Settings;
use altinn_bridge_runtime::xml::{Element, Node};
use serde_json::Value;

use super::expect::{Val, Want, through};
use super::recorder::{Exchange, Grant, find_endpoint, path_params};
use super::request::Request;
use super::response::Reply;
use super::walk;

/// One run of one operation, as observed.
pub struct Observed<'a> {
    /// The request sent.
    pub request: &'a Request,
    /// What reached Altinn 3, in order.
    pub exchanges: &'a [Exchange],
    /// The token grants made during the run.
    pub grants: &'a [Grant],
    /// The answer's element (`None`: one-way, or a fault).
    pub answer: Option<&'a Element>,
}

/// What the checks need besides the observation.
pub struct Cx<'a> {
    /// The manifest, resolved against the contracts the adapters were generated from.
    pub mapping: &'a Mapping,
    /// Where its spans point.
    pub sources: &'a SourceMap,
    /// The settings the adapter ran with.
    pub settings: &'a Settings,
    /// Which path the run took (`Client`, `facade`), for messages.
    pub via: &'a str,
}

/// One repetition of a call: the request it made and where in the input it was.
struct Rep<'a> {
    exchange: &'a Exchange,
    anchor: Option<(&'a [PathStep], &'a Element)>,
    item: Option<(&'a str, usize, &'a [PathStep], Value)>,
}

impl Cx<'_> {
    fn at(&self, link: Option<&FieldLink>, op: &OpLink) -> String {
        match link.and_then(|l| l.span) {
            Some(span) => format!(
                "{} [{} via {}]",
                self.sources.location(span),
                op.name,
                self.via
            ),
            None => format!(
                "{} [{} via {}]",
                self.mapping.resolved.manifest, op.name, self.via
            ),
        }
    }

    /// Every check for one operation's run; failures are pushed to `out`.
    pub fn check(&self, op: &OpLink, seen: &Observed<'_>, out: &mut Vec<String>) {
        let Some(reps) = self.assign(op, seen, out) else {
            return;
        };
        for link in &op.inputs {
            self.input(op, link, seen, &reps, out);
        }
        if let Some(answer) = seen.answer {
            for link in &op.outputs {
                self.output(op, link, &reps, answer, out);
            }
            self.nothing_invented(op, answer, out);
        }
        self.nothing_leaked(op, seen, out);
        self.required_sent(op, seen, out);
        self.tokens(op, seen, out);
    }

    /// Matches the requests to the operation's calls, in order, repetitions included.
    fn assign<'s>(
        &self,
        op: &'s OpLink,
        seen: &'s Observed<'s>,
        out: &mut Vec<String>,
    ) -> Option<BTreeMap<&'s str, Vec<Rep<'s>>>> {
        let roots = seen.request.roots();
        let mut done: BTreeMap<&str, Vec<Rep<'_>>> = BTreeMap::new();
        let mut next = seen.exchanges.iter().peekable();
        for call in &op.calls {
            let places = places(call, &roots, &done);
            if places.is_empty() && nothing_to_loop_over(call, &roots, &done) {
                // The list the loop walks is nil (or the call it walks never ran): no call is
                // right.
                done.insert(call.name.as_str(), Vec::new());
                continue;
            }
            if places.is_empty() {
                out.push(format!(
                    "{}: call `{}` was never made: its loop found no items in a request that has them all",
                    self.at(None, op),
                    call.name
                ));
            }
            let want = format!("{} {}", call.method.as_str(), call.path);
            let mut reps = Vec::new();
            for (anchor, item) in places {
                let Some(x) = next.next() else {
                    out.push(format!(
                        "{}: call `{}` ({want}) was not made (or not as often as its loop says)",
                        self.at(None, op),
                        call.name
                    ));
                    return None;
                };
                if x.endpoint.as_deref() != Some(want.as_str()) {
                    out.push(format!(
                        "{}: call `{}` should be {want}, but the request was {} {}",
                        self.at(None, op),
                        call.name,
                        x.endpoint
                            .as_deref()
                            .unwrap_or("to no endpoint of the spec:"),
                        x.path
                    ));
                    return None;
                }
                // The same GET again (the facade opens a download once per answer field it
                // streams into): the same resource, read twice, counts as one repetition.
                while next.peek().is_some_and(|y| same_get(x, y)) {
                    next.next();
                }
                reps.push(Rep {
                    exchange: x,
                    anchor,
                    item,
                });
            }
            done.insert(call.name.as_str(), reps);
        }
        let extra: Vec<String> = next.map(|x| format!("{} {}", x.api, x.path)).collect();
        if !extra.is_empty() {
            out.push(format!(
                "{}: requests beyond the manifest's calls: {extra:?}",
                self.at(None, op)
            ));
        }
        Some(done)
    }

    fn input(
        &self,
        op: &OpLink,
        link: &FieldLink,
        seen: &Observed<'_>,
        reps: &BTreeMap<&str, Vec<Rep<'_>>>,
        out: &mut Vec<String>,
    ) {
        let (call_name, what) = match &link.to {
            Target::Body { call, path } => (call, format!("body.{}", path.text)),
            Target::Param {
                call,
                location,
                name,
                ..
            } => (
                call,
                format!("{location:?} parameter `{name}`").to_lowercase(),
            ),
            Target::Soap { .. } | Target::Dropped => return,
        };
        let Some(call) = op.calls.iter().find(|c| &c.name == call_name) else {
            return;
        };
        let roots = seen.request.roots();
        for (r, rep) in reps
            .get(call.name.as_str())
            .into_iter()
            .flatten()
            .enumerate()
        {
            let source = if link.filter.is_empty() {
                self.source_values(&link.from, rep, &roots, reps)
            } else {
                filtered(link, &roots, reps)
            };
            let want = match through(source.clone(), &link.transforms, self.settings) {
                Ok(w) => w,
                Err(e) => {
                    out.push(format!(
                        "{}: the harness cannot transform {source:?}: {e}",
                        self.at(Some(link), op)
                    ));
                    continue;
                }
            };
            let found = target_values(&link.to, call, rep.exchange);
            if !same(&want, &found) {
                out.push(format!(
                    "{}: {} → {what} of call `{}` (repetition {}): expected [{}], found {:?}",
                    self.at(Some(link), op),
                    describe(&link.from),
                    call.name,
                    r + 1,
                    want.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    found.iter().map(Val::to_text).collect::<Vec<_>>()
                ));
            }
        }
    }

    fn source_values(
        &self,
        from: &Source,
        rep: &Rep<'_>,
        roots: &[&Element],
        reps: &BTreeMap<&str, Vec<Rep<'_>>>,
    ) -> Vec<Val> {
        match from {
            Source::Const { value } => vec![Val::Text(value.clone())],
            Source::Config { key } => self
                .settings
                .values
                .get(key)
                .map(|v| vec![Val::Text(v.clone())])
                .unwrap_or_default(),
            Source::Soap { path } => match rep.anchor {
                Some((lp, el)) if walk::starts_with(&path.steps, lp) => {
                    walk::values_below(vec![el], &path.steps[lp.len()..])
                }
                _ => walk::soap_values(roots, &path.steps),
            },
            Source::Response { call, path } => {
                if let Some((from, _, lp, item)) = &rep.item
                    && *from == call.as_str()
                    && walk::starts_with(&path.steps, lp)
                {
                    return walk::json_values(item, &path.steps[lp.len()..]);
                }
                let theirs = reps
                    .get(call.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                // In a loop over an item of that call's answer: that repetition only.
                let only = match &rep.item {
                    Some((from, i, _, _)) if *from == call.as_str() => Some(*i),
                    _ => None,
                };
                theirs
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| only.is_none_or(|o| o == *i))
                    .map(|(_, t)| t)
                    .filter(|t| same_place(rep, t))
                    .flat_map(|t| reply_values(&t.exchange.reply, &path.steps))
                    .collect()
            }
        }
    }

    fn output(
        &self,
        op: &OpLink,
        link: &FieldLink,
        reps: &BTreeMap<&str, Vec<Rep<'_>>>,
        answer: &Element,
        out: &mut Vec<String>,
    ) {
        let Target::Soap { path } = &link.to else {
            return;
        };
        let found = walk::soap_values(&[answer], &path.steps);
        let source: Vec<Val> = match &link.from {
            Source::Response { call, path: from } => reps
                .get(call.as_str())
                .into_iter()
                .flatten()
                .flat_map(|t| reply_values(&t.exchange.reply, &from.steps))
                .collect(),
            Source::Const { value } => {
                // A constant fills every element its path reaches in the answer.
                let holders = walk::select(&[answer], &path.steps[..path.steps.len()])
                    .len()
                    .max(1);
                vec![Val::Text(value.clone()); holders]
            }
            Source::Config { key } => self
                .settings
                .values
                .get(key)
                .map(|v| vec![Val::Text(v.clone())])
                .unwrap_or_default(),
            Source::Soap { .. } => return,
        };
        let want = match through(source, &link.transforms, self.settings) {
            Ok(w) => w,
            Err(e) => {
                out.push(format!(
                    "{}: the harness cannot transform the answer: {e}",
                    self.at(Some(link), op)
                ));
                return;
            }
        };
        let want = match &link.from {
            // One per repetition of the element the constant sits in, however many there are.
            Source::Const { .. } if path.steps.iter().any(|s| s.many) => {
                let parent = walk::select(&[answer], &path.steps[..path.steps.len() - 1]).len();
                want.into_iter()
                    .take(1)
                    .cycle()
                    .take(parent.max(1))
                    .collect()
            }
            _ => want,
        };
        if !same(&want, &found) {
            out.push(format!(
                "{}: {} → answer `{}`: expected [{}], found {:?}",
                self.at(Some(link), op),
                describe(&link.from),
                path.text,
                want.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                found.iter().map(Val::to_text).collect::<Vec<_>>()
            ));
        }
    }

    /// Every value in the answer sits where an output link puts it: nothing made up.
    fn nothing_invented(&self, op: &OpLink, answer: &Element, out: &mut Vec<String>) {
        let targets: BTreeSet<String> = op
            .outputs
            .iter()
            .filter_map(|l| match &l.to {
                Target::Soap { path } => Some(plain_path(&path.steps)),
                _ => None,
            })
            .collect();
        let mut leaves = Vec::new();
        collect_leaves(answer, &answer.local, &mut leaves);
        for (path, text) in leaves {
            if !targets.contains(&path) {
                out.push(format!(
                    "{}: the answer holds `{text}` at `{path}`, which no output link fills (an invented value)",
                    self.at(None, op)
                ));
            }
        }
    }

    /// A request field no input link reads must not reach Altinn 3 (credentials included).
    fn nothing_leaked(&self, op: &OpLink, seen: &Observed<'_>, out: &mut Vec<String>) {
        let read: BTreeSet<String> = op
            .inputs
            .iter()
            .filter(|l| !matches!(l.to, Target::Dropped))
            .filter_map(|l| match &l.from {
                Source::Soap { path } => Some(plain_path(&path.steps)),
                _ => None,
            })
            .chain(op.calls.iter().filter_map(|c| match &c.for_each {
                Some(Loop::Soap { path }) => Some(plain_path(&path.steps)),
                _ => None,
            }))
            .collect();
        let wire: Vec<String> = seen.exchanges.iter().map(Exchange::wire_text).collect();
        for (path, made) in &seen.request.leaves {
            if read.contains(path) {
                continue;
            }
            for m in made.iter().filter(|m| m.unique) {
                if let Some(x) = wire.iter().position(|w| w.contains(&m.text)) {
                    let link = op
                        .inputs
                        .iter()
                        .find(|l| matches!(&l.from, Source::Soap { path: p } if &p.text == path));
                    out.push(format!(
                        "{}: `{path}` is not linked (dropped or a credential), yet its value `{}` reached Altinn 3 in request {} ({})",
                        self.at(link, op),
                        m.text,
                        x + 1,
                        seen.exchanges[x].path
                    ));
                }
            }
        }
    }

    /// Every parameter and body property the spec requires was sent.
    fn required_sent(&self, op: &OpLink, seen: &Observed<'_>, out: &mut Vec<String>) {
        for x in seen.exchanges {
            let Some(contract) = self
                .mapping
                .resolved
                .openapi
                .iter()
                .position(|n| super::recorder::api_stem(n) == x.api)
                .map(|i| &self.mapping.rest[i])
            else {
                continue;
            };
            let Some(e) = x
                .endpoint
                .as_ref()
                .and_then(|id| id.split_once(' '))
                .and_then(|(m, p)| find_endpoint(contract, m, p).filter(|e| e.path == p))
            else {
                continue;
            };
            let params = path_params(&e.path, &x.path);
            // A path parameter the spec declares but its path does not use cannot be sent
            // (the App API's `dataType`): the generator refuses links to it.
            let sendable = |p: &&altinn_bridge::model::Parameter| {
                p.location != ParamLocation::Path
                    || altinn_bridge::model::path_uses(&e.path, &p.name)
            };
            for p in e.params.iter().filter(|p| p.required).filter(sendable) {
                let present = match p.location {
                    ParamLocation::Path => params.get(&p.name).is_some_and(|v| !v.is_empty()),
                    ParamLocation::Query => x.query.iter().any(|(k, _)| *k == p.name),
                    ParamLocation::Header => !x.header(&p.name.to_ascii_lowercase()).is_empty(),
                    ParamLocation::Cookie => x.header("cookie").iter().any(|c| c.contains(&p.name)),
                };
                if !present {
                    out.push(format!(
                        "{}: {} was sent without its required {:?} parameter `{}`",
                        self.at(None, op),
                        e.id_text(),
                        p.location,
                        p.name
                    ));
                }
            }
            let json_body = e.body.as_ref().and_then(|b| {
                b.content
                    .iter()
                    .find(|c| c.media_type.contains("json"))
                    .and_then(|c| c.ty.clone())
            });
            if let (Some(ty), Ok(v)) = (json_body, serde_json::from_slice::<Value>(&x.body)) {
                let mut missing = Vec::new();
                required_fields(&contract.types, &ty, &v, "body", &mut missing, 0);
                for m in missing {
                    out.push(format!(
                        "{}: {} was sent without the required `{m}`",
                        self.at(None, op),
                        e.id_text()
                    ));
                }
            }
        }
    }

    /// Each request carried a token the token endpoint granted, for the manifest's scopes, and
    /// for the configured system user where the manifest says `system_user = true`.
    fn tokens(&self, op: &OpLink, seen: &Observed<'_>, out: &mut Vec<String>) {
        let Some(auth) = &self.mapping.resolved.auth else {
            return;
        };
        let org = self.settings.values.get("system_user_org");
        for g in seen.grants {
            let mut scope: Vec<&str> = g.claims["scope"]
                .as_str()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            scope.sort_unstable();
            let mut want: Vec<&str> = auth.scopes.iter().map(String::as_str).collect();
            want.sort_unstable();
            if scope != want {
                out.push(format!(
                    "{}: a token was asked for scopes {scope:?}; the manifest says {want:?}",
                    self.at(None, op)
                ));
            }
            let detail = &g.claims["authorization_details"];
            if auth.system_user {
                let ok = detail.as_array().is_some_and(|d| {
                    d.iter().any(|d| {
                        d["type"] == "urn:altinn:systemuser"
                            && d["systemuser_org"]["ID"].as_str()
                                == org.map(|o| format!("0192:{o}")).as_deref()
                    })
                });
                if !ok {
                    out.push(format!(
                        "{}: the manifest says system_user = true, but a token grant carried authorization_details {detail} (wanted the system user of {org:?})",
                        self.at(None, op)
                    ));
                }
            }
        }
        let granted: BTreeSet<String> = seen
            .grants
            .iter()
            .map(|g| format!("Bearer {}", g.token))
            .collect();
        for x in seen.exchanges {
            let auth_header = x.header("authorization");
            let ok = auth_header.iter().any(|h| granted.contains(*h));
            if !ok && !seen.grants.is_empty() {
                out.push(format!(
                    "{}: request {} carried {:?}, not a token granted in this run",
                    self.at(None, op),
                    x.path,
                    auth_header
                ));
            }
        }
    }
}

/// A `where` link's values: from the items whose tested fields hold the wanted values.
fn filtered(link: &FieldLink, roots: &[&Element], reps: &BTreeMap<&str, Vec<Rep<'_>>>) -> Vec<Val> {
    let Some(item) = link.filter.first().map(|f| f.item) else {
        return Vec::new();
    };
    let passes = |vals: Vec<Val>, want: &str| vals.iter().any(|v| v.to_text().trim() == want);
    match &link.from {
        Source::Soap { path } => walk::select(roots, &path.steps[..=item])
            .into_iter()
            .filter(|el| {
                link.filter
                    .iter()
                    .all(|f| passes(walk::values_below(vec![*el], &f.path.steps), &f.equals))
            })
            .flat_map(|el| walk::values_below(vec![el], &path.steps[item + 1..]))
            .collect(),
        Source::Response { call, path } => reps
            .get(call.as_str())
            .into_iter()
            .flatten()
            .filter_map(|r| match &r.exchange.reply {
                Reply::Json(_, v) => Some(v),
                _ => None,
            })
            .flat_map(|v| walk::json_items(v, &path.steps[..=item]))
            .filter(|it| {
                link.filter
                    .iter()
                    .all(|f| passes(walk::json_values(it, &f.path.steps), &f.equals))
            })
            .flat_map(|it| {
                let rest = &path.steps[item + 1..];
                if rest.is_empty() {
                    Val::from_json(&it).into_iter().collect()
                } else {
                    walk::json_values(&it, rest)
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The repetitions of `call`: one, one per SOAP item, or one per item of an earlier answer.
#[allow(clippy::type_complexity)]
fn places<'a>(
    call: &'a Call,
    roots: &[&'a Element],
    done: &BTreeMap<&str, Vec<Rep<'a>>>,
) -> Vec<(
    Option<(&'a [PathStep], &'a Element)>,
    Option<(&'a str, usize, &'a [PathStep], Value)>,
)> {
    match &call.for_each {
        None => vec![(None, None)],
        Some(Loop::Soap { path }) => walk::select(roots, &path.steps)
            .into_iter()
            .map(|el| (Some((path.steps.as_slice(), el)), None))
            .collect(),
        Some(Loop::Response { call: from, path }) => {
            let mut out = Vec::new();
            for (i, rep) in done.get(from.as_str()).into_iter().flatten().enumerate() {
                let Reply::Json(_, body) = &rep.exchange.reply else {
                    continue;
                };
                for item in walk::json_items(body, &path.steps) {
                    out.push((
                        rep.anchor,
                        Some((from.as_str(), i, path.steps.as_slice(), item)),
                    ));
                }
            }
            out
        }
    }
}

/// Whether `call`'s loop has nothing to walk because the request made it so: an element on its
/// SOAP path is nil, or the earlier call whose answer it walks was not made.
fn nothing_to_loop_over(
    call: &Call,
    roots: &[&Element],
    done: &BTreeMap<&str, Vec<Rep<'_>>>,
) -> bool {
    match &call.for_each {
        None => false,
        Some(Loop::Soap { path }) => walk::nil_on_path(roots, &path.steps),
        Some(Loop::Response { call: from, .. }) => {
            done.get(from.as_str()).is_some_and(Vec::is_empty)
        }
    }
}

/// Whether an earlier call's repetition `theirs` belongs with `ours` (same SOAP item, or the
/// same item of a common loop).
fn same_place(ours: &Rep<'_>, theirs: &Rep<'_>) -> bool {
    match (ours.anchor, theirs.anchor) {
        (Some((la, ea)), Some((lb, eb))) if la.len() == lb.len() && walk::starts_with(la, lb) => {
            std::ptr::eq(ea, eb)
        }
        _ => true,
    }
}

fn reply_values(reply: &Reply, steps: &[PathStep]) -> Vec<Val> {
    match reply {
        Reply::Json(_, v) => walk::json_values(v, steps),
        Reply::Bytes(_, b) if steps.iter().all(|s| s.name.is_empty() || s.name == "body") => {
            vec![Val::Bytes(b.clone())]
        }
        _ => Vec::new(),
    }
}

/// What a request holds at a link's target.
fn target_values(to: &Target, call: &Call, x: &Exchange) -> Vec<Val> {
    match to {
        Target::Param { location, name, .. } => match location {
            ParamLocation::Path => path_params(&call.path, &x.path)
                .remove(name)
                .map(Val::Text)
                .into_iter()
                .collect(),
            ParamLocation::Query => x
                .query
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| Val::Text(v.clone()))
                .collect(),
            ParamLocation::Header => x
                .header(&name.to_ascii_lowercase())
                .into_iter()
                .map(|v| Val::Text(v.to_owned()))
                .collect(),
            ParamLocation::Cookie => Vec::new(),
        },
        Target::Body { path, .. } => {
            let steps = &path.steps;
            let ct = x
                .header("content-type")
                .first()
                .copied()
                .unwrap_or("")
                .to_owned();
            if ct.starts_with("multipart/") {
                let name = steps.first().map_or("file", |s| s.name.as_str());
                return super::multipart::parts(&ct, &x.body)
                    .into_iter()
                    .filter(|p| p.name == name)
                    .map(|p| match String::from_utf8(p.data.clone()) {
                        Ok(t) if p.file_name.is_none() => Val::Text(t),
                        _ => Val::Bytes(p.data),
                    })
                    .collect();
            }
            if steps.iter().all(|s| s.name.is_empty()) {
                return match serde_json::from_slice::<Value>(&x.body) {
                    Ok(v) if ct.contains("json") => Val::from_json(&v).into_iter().collect(),
                    _ => vec![Val::Bytes(x.body.clone())],
                };
            }
            serde_json::from_slice::<Value>(&x.body)
                .map(|v| walk::json_values(&v, steps))
                .unwrap_or_default()
        }
        Target::Soap { .. } | Target::Dropped => Vec::new(),
    }
}

fn same_get(a: &Exchange, b: &Exchange) -> bool {
    a.endpoint.as_deref().is_some_and(|e| e.starts_with("GET "))
        && a.endpoint == b.endpoint
        && a.api == b.api
        && a.path == b.path
        && a.query == b.query
}

fn same(want: &[Want], found: &[Val]) -> bool {
    want.len() == found.len() && want.iter().zip(found).all(|(w, f)| w.matches(f))
}

fn describe(from: &Source) -> String {
    match from {
        Source::Soap { path } => format!("`{}`", path.text),
        Source::Response { call, path } => format!("`{call}: {}`", path.text),
        Source::Const { value } => format!("the constant `{value}`"),
        Source::Config { key } => format!("the setting `{key}`"),
    }
}

fn plain_path(steps: &[PathStep]) -> String {
    steps
        .iter()
        .map(|s| {
            s.xml_name.as_ref().map_or(s.name.clone(), |q| {
                if s.name.starts_with('@') {
                    s.name.clone()
                } else {
                    q.local.clone()
                }
            })
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Leaf texts (and attributes) of an answer with their paths (`Root/child/@attr`).
fn collect_leaves(el: &Element, path: &str, out: &mut Vec<(String, String)>) {
    for (ns, local, v) in &el.attributes {
        if ns.contains("XMLSchema-instance") || ns == "http://www.w3.org/2000/xmlns/" {
            continue;
        }
        out.push((format!("{path}/@{local}"), v.clone()));
    }
    let has_children = el.children.iter().any(|c| matches!(c, Node::Element(_)));
    if !has_children {
        let t = el.text();
        if !t.trim().is_empty() {
            out.push((path.to_owned(), t));
        }
        return;
    }
    for c in el.elements() {
        collect_leaves(c, &format!("{path}/{}", c.local), out);
    }
}

/// Paths of required properties missing from `v` (a value of `ty`).
fn required_fields(
    graph: &TypeGraph,
    ty: &TypeRef,
    v: &Value,
    at: &str,
    out: &mut Vec<String>,
    depth: usize,
) {
    if depth > 12 {
        return;
    }
    let ty = graph.unalias(ty);
    let Some(def) = graph.resolve(ty) else { return };
    match (&def.kind, v) {
        (TypeKind::Struct(_), Value::Object(o)) => {
            for f in graph.all_fields(&def.id) {
                match o.get(&f.name) {
                    None if f.min_occurs > 0 && !f.read_only => {
                        out.push(format!("{at}.{}", f.name))
                    }
                    Some(child) => required_fields(
                        graph,
                        &f.ty,
                        child,
                        &format!("{at}.{}", f.name),
                        out,
                        depth + 1,
                    ),
                    None => {}
                }
            }
        }
        (TypeKind::List(l), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                required_fields(graph, &l.item, item, &format!("{at}[{i}]"), out, depth + 1);
            }
        }
        _ => {}
    }
}

trait IdText {
    fn id_text(&self) -> String;
}

impl IdText for altinn_bridge::model::Endpoint {
    fn id_text(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path)
    }
}
