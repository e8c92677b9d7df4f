//! Checking a manifest against both contracts and building the [`Resolved`] link model.
//!
//! Every problem is reported at the manifest's line and column, with the contract's location as a
//! second label where the model knows it. All problems are collected in one pass.

use altinn_bridge_vocab::StatusMatch;
use std::collections::BTreeSet;

mod coverage;
mod links;
mod lint;

use coverage::coverage as input_coverage;
pub use coverage::{input_leaves, output_leaves};
use links::*;
#[cfg(test)]
mod tests;

use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics, FileId, Span};
use crate::link::manifest::{self, CallSpec, FaultSpec, Manifest, OperationSpec, PagesSpec};
use crate::link::model::*;
use crate::link::paths::{fields_of, list_item, walk_soap};
use crate::model::{
    Endpoint, HttpMethod, MessagePart, ParamLocation, PartContent, RestContract, SoapContract,
    SoapOperation,
};

/// The contracts a manifest is checked against.
pub struct Contracts<'a> {
    /// The Altinn 2 WSDL.
    pub soap: &'a SoapContract,
    /// The Altinn 3 OpenAPI documents, in the manifest's order.
    pub rest: Vec<&'a RestContract>,
}

/// Resolves a parsed manifest. `file` is the manifest's file in the source map (for spans),
/// `name` its display name.
pub fn resolve(
    file: FileId,
    name: &str,
    m: &Manifest,
    c: &Contracts<'_>,
) -> Result<(Resolved, Diagnostics), Diagnostics> {
    let mut cx = Cx {
        file,
        c,
        diags: Diagnostics::default(),
    };
    let strategy = cx.strategy(&m.strategy).unwrap_or(Strategy::AdoptRest);
    let auth = m.auth.as_ref().and_then(|a| cx.auth(a));
    cx.check_party_fields(m);
    let api_faults: Vec<FaultMap> = m.faults.iter().filter_map(|f| cx.fault(f)).collect();
    let mut operations = Vec::new();
    let mut seen = BTreeSet::new();
    for op in &m.operations {
        if !seen.insert(op.soap.get_ref().clone()) {
            cx.error(
                &op.soap,
                format!("operation `{}` is mapped twice", op.soap.get_ref()),
                "second mapping",
            );
            continue;
        }
        if let Some(link) = cx.operation(op, strategy, &api_faults, auth.as_ref()) {
            operations.push(link);
        }
    }
    let mapped: BTreeSet<&str> = m
        .operations
        .iter()
        .map(|o| o.soap.get_ref().as_str())
        .collect();
    let mut unmapped: Vec<String> = c
        .soap
        .operations
        .iter()
        .map(|o| o.name.clone())
        .filter(|n| !mapped.contains(n.as_str()))
        .collect();
    unmapped.sort();
    unmapped.dedup();
    for n in &unmapped {
        cx.diags.push(
            Diagnostic::warning(format!("SOAP operation `{n}` is not in the manifest"))
                .at(manifest::span_of(file, &m.api), "in this manifest")
                .note("map it, or say why it has no successor with `no_successor`"),
        );
    }
    let mut coverage = Coverage::default();
    for o in &operations {
        coverage.add(o.coverage);
    }
    if cx.diags.has_errors() {
        return Err(cx.diags);
    }
    let resolved = Resolved {
        api: m.api.get_ref().clone(),
        title: m.title.clone().unwrap_or_else(|| m.api.get_ref().clone()),
        summary: m.summary.clone(),
        audience: m.audience.as_ref().map(|a| a.get_ref().clone()),
        manifest: name.to_owned(),
        strategy,
        auth,
        wsdl: c.soap.source.clone(),
        openapi: c.rest.iter().map(|r| r.source.clone()).collect(),
        operations,
        faults: api_faults,
        unmapped_operations: unmapped,
        coverage,
    };
    Ok((resolved, cx.diags))
}

/// Resolution state: the manifest file, the contracts, and the diagnostics so far.
struct Cx<'a> {
    file: FileId,
    c: &'a Contracts<'a>,
    diags: Diagnostics,
}

/// What one operation's links are resolved against.
struct OpScope<'a> {
    op: &'a SoapOperation,
    calls: Vec<(Call, &'a Endpoint)>,
}

impl<'a> Cx<'a> {
    fn span<T>(&self, v: &Spanned<T>) -> Span {
        manifest::span_of(self.file, v)
    }

    fn error<T>(&mut self, at: &Spanned<T>, msg: impl Into<String>, label: &str) {
        let d = Diagnostic::error(msg).at(self.span(at), label);
        self.diags.push(d);
    }

    fn warn<T>(&mut self, at: &Spanned<T>, msg: impl Into<String>) {
        let d = Diagnostic::warning(msg).at(self.span(at), "");
        self.diags.push(d);
    }

    fn strategy(&mut self, s: &Spanned<u8>) -> Option<Strategy> {
        match s.get_ref() {
            1 => Some(Strategy::AdoptRest),
            2 => Some(Strategy::Facade),
            n => {
                let d = Diagnostic::error(format!("unknown strategy {n}"))
                    .at(self.span(s), "here")
                    .note(
                        "expected 1 (the old API ends; adopt the new one) or 2 (transition facade)",
                    );
                self.diags.push(d);
                None
            }
        }
    }

    fn auth(&mut self, a: &manifest::Auth) -> Option<AuthChange> {
        let old = match a.old.get_ref().as_str() {
            "system-user-password" => OldAuth::SystemUserPassword,
            "enterprise-certificate" => OldAuth::EnterpriseCertificate,
            "end-user-login" => OldAuth::EndUserLogin,
            "none" => OldAuth::None,
            other => {
                let d = Diagnostic::error(format!("unknown old authentication `{other}`"))
                    .at(self.span(&a.old), "here")
                    .note("expected system-user-password, enterprise-certificate, end-user-login or none");
                self.diags.push(d);
                return None;
            }
        };
        for s in &a.scopes {
            if !s.get_ref().contains(':') {
                self.warn(
                    s,
                    format!(
                        "`{}` does not look like a Maskinporten scope (`prefix:name`)",
                        s.get_ref()
                    ),
                );
            }
        }
        let mut scopes: Vec<String> = a.scopes.iter().map(|s| s.get_ref().clone()).collect();
        scopes.sort();
        scopes.dedup();
        Some(AuthChange {
            old,
            old_fields: a.old_fields.iter().map(|f| f.get_ref().clone()).collect(),
            party_fields: a.party_fields.iter().map(|f| f.get_ref().clone()).collect(),
            scopes,
            system_user: a.system_user,
            note: a.note.clone(),
        })
    }

    fn fault(&mut self, f: &FaultSpec) -> Option<FaultMap> {
        let status = f.status.get_ref();
        // Fault rules answer errors: statuses and classes of 4xx and 5xx only.
        let parsed = StatusMatch::parse(status).filter(|m| match m {
            StatusMatch::Exact(n) => (400..600).contains(n),
            StatusMatch::Class(c) => matches!(c, 4 | 5),
            StatusMatch::Default | StatusMatch::Timeout => true,
        });
        let Some(parsed) = parsed else {
            let d = Diagnostic::error(format!("unknown error status `{status}`"))
                .at(self.span(&f.status), "here")
                .note("expected a 4xx/5xx status such as `404`, a range `4XX`/`5XX`, `default` or `timeout`");
            self.diags.push(d);
            return None;
        };
        let client = match f.code.get_ref().as_str() {
            "client" => true,
            "server" => false,
            other => {
                let d = Diagnostic::error(format!("unknown fault code `{other}`"))
                    .at(self.span(&f.code), "here")
                    .note("expected `client` (SOAP 1.1 Client, 1.2 Sender) or `server` (Server, Receiver)");
                self.diags.push(d);
                return None;
            }
        };
        self.check_fault_name(f);
        Some(FaultMap {
            status: parsed,
            fault: f.fault.get_ref().clone(),
            client,
            fields: f
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.get_ref().clone()))
                .collect(),
            note: f.note.clone(),
        })
    }

    /// A fault is named by its `wsdl:fault` name (`AltinnFaultFault`) or its detail element
    /// (`AltinnFault`); its `fields` must be fields of the detail.
    fn check_fault_name(&mut self, f: &FaultSpec) {
        let wanted = f.fault.get_ref();
        let faults = || self.c.soap.operations.iter().flat_map(|o| &o.faults);
        let fault = faults().find(|x| {
            &x.name == wanted
                || x.detail.as_ref().is_some_and(|d| matches!(&d.content, PartContent::Element { element, .. } if &element.local == wanted))
        });
        let Some(fault) = fault else {
            let mut names: Vec<&str> = faults().map(|x| x.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            let have = if names.is_empty() {
                "(no faults)".to_owned()
            } else {
                names.join(", ")
            };
            let d = Diagnostic::error(format!(
                "no operation of the WSDL declares a fault `{wanted}`"
            ))
            .at(self.span(&f.fault), "here")
            .note(format!(
                "expected a fault name or its detail element; the WSDL has: {have}"
            ));
            self.diags.push(d);
            return;
        };
        let fields: Vec<String> = fault
            .detail
            .as_ref()
            .map(|d| {
                fields_of(&self.c.soap.types, d.content.ty())
                    .iter()
                    .map(|fd| fd.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        for (key, value) in &f.fields {
            if !fields.contains(key) {
                let d = Diagnostic::error(format!("fault `{wanted}` has no detail field `{key}`"))
                    .at(self.span(value), "mapped here")
                    .note(format!("expected one of: {}", fields.join(", ")));
                self.diags.push(d);
            }
        }
    }

    fn operation(
        &mut self,
        spec: &OperationSpec,
        default: Strategy,
        api_faults: &[FaultMap],
        auth: Option<&AuthChange>,
    ) -> Option<OpLink> {
        let name = spec.soap.get_ref();
        let Some(op) = self.c.soap.operation(name) else {
            let mut names: Vec<&str> = self
                .c
                .soap
                .operations
                .iter()
                .map(|o| o.name.as_str())
                .collect();
            names.dedup();
            let d = Diagnostic::error(format!(
                "unknown SOAP operation `{name}` in `{}`",
                self.c.soap.source
            ))
            .at(self.span(&spec.soap), "not in the WSDL")
            .note(format!("expected one of: {}", names.join(", ")));
            self.diags.push(d);
            return None;
        };
        let strategy = spec
            .strategy
            .as_ref()
            .and_then(|s| self.strategy(s))
            .unwrap_or(default);
        let mut faults: Vec<FaultMap> = spec.faults.iter().filter_map(|f| self.fault(f)).collect();
        faults.extend(api_faults.iter().cloned());
        if let Some(reason) = &spec.no_successor {
            if !spec.calls.is_empty() || !spec.inputs.is_empty() || !spec.outputs.is_empty() {
                self.error(
                    reason,
                    "an operation with `no_successor` cannot have calls or links",
                    "here",
                );
            }
            let leaves = input_leaves(&self.c.soap.types, op);
            return Some(OpLink {
                soap_op: op.id.clone(),
                name: name.clone(),
                strategy,
                calls: Vec::new(),
                no_successor: Some(reason.get_ref().clone()),
                inputs: Vec::new(),
                outputs: Vec::new(),
                faults,
                coverage: Coverage {
                    dropped: leaves.len(),
                    ..Coverage::default()
                },
                unresolved: Vec::new(),
                parties: self.parties(op, auth),
                note: spec.note.clone(),
            });
        }
        if spec.calls.is_empty() {
            let d = Diagnostic::error(format!(
                "operation `{name}` has neither calls nor `no_successor`"
            ))
            .at(self.span(&spec.soap), "here")
            .note("expected `calls = [...]` with the Altinn 3 calls, or `no_successor = \"why\"`");
            self.diags.push(d);
            return None;
        }
        let mut calls: Vec<(Call, &Endpoint)> = Vec::new();
        for c in &spec.calls {
            if let Some(call) = self.call(c, op, &calls) {
                calls.push(call);
            }
        }
        let scope = OpScope { op, calls };
        if scope.calls.len() != spec.calls.len() {
            return None; // the call errors are reported; links against missing calls would only repeat them
        }
        let inputs: Vec<FieldLink> = spec
            .inputs
            .iter()
            .filter_map(|l| self.input(l, &scope))
            .collect();
        let outputs: Vec<FieldLink> = spec
            .outputs
            .iter()
            .filter_map(|l| self.output(l, &scope))
            .collect();
        self.check_required_fed(spec, &scope, &inputs);
        self.check_bodies(&scope, &inputs);
        lint::operation(
            &mut self.diags,
            self.file,
            self.c.soap,
            spec,
            &scope,
            &inputs,
            &outputs,
        );
        let (coverage, unresolved) = input_coverage(&self.c.soap.types, op, &inputs, &scope, auth);
        for path in &unresolved {
            let d = Diagnostic::error(format!("SOAP input `{path}` of `{name}` is neither linked nor dropped"))
                .at(self.span(&spec.soap), "in this operation")
                .note(format!("add `{{ from = \"{path}\", to = \"...\" }}` or `{{ from = \"{path}\", drop = \"why\" }}`"));
            self.diags.push(d);
        }
        Some(OpLink {
            soap_op: op.id.clone(),
            name: name.clone(),
            strategy,
            calls: scope.calls.into_iter().map(|(c, _)| c).collect(),
            no_successor: None,
            inputs,
            outputs,
            faults,
            coverage,
            unresolved,
            parties: self.parties(op, auth),
            note: spec.note.clone(),
        })
    }

    /// The party fields that are inputs of `op`, resolved to qualified steps.
    fn parties(&self, op: &SoapOperation, auth: Option<&AuthChange>) -> Vec<ResolvedPath> {
        let Some(auth) = auth else {
            return Vec::new();
        };
        let leaves = input_leaves(&self.c.soap.types, op);
        let parts = op.input_parts();
        auth.party_fields
            .iter()
            .filter(|f| leaves.contains(f))
            .filter_map(|f| walk_soap(&self.c.soap.types, &parts, f).ok())
            .collect()
    }

    /// Every `auth.party_fields` entry must be an input of some operation: a typo would
    /// otherwise switch the facade's party check off without a word.
    fn check_party_fields(&mut self, m: &Manifest) {
        let Some(auth) = &m.auth else { return };
        let leaves: BTreeSet<String> = self
            .c
            .soap
            .operations
            .iter()
            .flat_map(|op| input_leaves(&self.c.soap.types, op))
            .collect();
        for f in &auth.party_fields {
            if !leaves.contains(f.get_ref()) {
                let d = Diagnostic::error(format!(
                    "party field `{}` is not an input field of any operation",
                    f.get_ref()
                ))
                .at(self.span(f), "not in the WSDL")
                .note("expected a SOAP input path such as `Operation/element/Reportee`, or a header part's name");
                self.diags.push(d);
            }
        }
    }

    fn call(
        &mut self,
        spec: &CallSpec,
        op: &SoapOperation,
        earlier: &[(Call, &'a Endpoint)],
    ) -> Option<(Call, &'a Endpoint)> {
        let (api, ep) = self.find_endpoint(&spec.endpoint)?;
        if earlier.iter().any(|(c, _)| &c.name == spec.name.get_ref()) {
            self.error(
                &spec.name,
                format!("two calls are named `{}`", spec.name.get_ref()),
                "second one",
            );
            return None;
        }
        let for_each = match &spec.for_each {
            Some(fe) => Some(self.for_each(fe, op, earlier)?),
            None => None,
        };
        let body = self.body_media(spec, ep);
        let pages = match &spec.pages {
            Some(p) => Some(self.pages(p, ep, &spec.endpoint)?),
            None => None,
        };
        let call = Call {
            name: spec.name.get_ref().clone(),
            endpoint: ep.id.clone(),
            api,
            method: ep.method,
            path: ep.path.clone(),
            for_each,
            body,
            pages,
            answers: success_media(ep),
            note: spec.note.clone(),
        };
        Some((call, ep))
    }

    /// A call's `pages`: the items an array of the answer, the token or link a field of it, the
    /// token's parameter a query parameter of the endpoint, and the method one that may be
    /// repeated (every page repeats the request).
    fn pages(&mut self, p: &PagesSpec, ep: &Endpoint, endpoint: &Spanned<String>) -> Option<Pages> {
        if !ep.method.is_idempotent() {
            self.error(
                endpoint,
                format!(
                    "`pages` repeats the request for every page, and a {} may not be repeated",
                    ep.method.as_str()
                ),
                "here",
            );
            return None;
        }
        let items = self.response_path(ep, &p.items)?;
        let types = self.rest_types(ep);
        if !(items.steps.last().is_some_and(|s| s.many)
            || items
                .leaf_type()
                .and_then(|t| list_item(types, t))
                .is_some())
        {
            self.error(
                &p.items,
                "`items` must be an array of the answer",
                "not a list",
            );
            return None;
        }
        match (&p.token, &p.param, &p.more, &p.next) {
            (Some(token), Some(param), more, None) => {
                let token = self.response_path(ep, token)?;
                let more = match more {
                    Some(m) => Some(self.response_path(ep, m)?),
                    None => None,
                };
                let query = ep
                    .params
                    .iter()
                    .any(|q| q.location == ParamLocation::Query && &q.name == param.get_ref());
                if !query {
                    self.error(
                        param,
                        format!(
                            "`{}` is not a query parameter of `{}`",
                            param.get_ref(),
                            ep.id
                        ),
                        "here",
                    );
                    return None;
                }
                Some(Pages::Token {
                    items,
                    token,
                    param: param.get_ref().clone(),
                    more,
                })
            }
            (None, None, None, Some(next)) => Some(Pages::Next {
                items,
                next: self.response_path(ep, next)?,
            }),
            _ => {
                self.error(
                    &p.items,
                    "`pages` takes `token` and `param` (and optionally `more`), or `next`",
                    "here",
                );
                None
            }
        }
    }

    /// What the call's body is sent as: the manifest's `body`, which must be one the endpoint
    /// declares when it declares any (one it does not declare is a finding about the spec,
    /// reported as a warning); else the declared JSON media type, else the first declared.
    fn body_media(&mut self, spec: &CallSpec, ep: &Endpoint) -> Option<String> {
        let declared: Vec<&str> = ep
            .body
            .iter()
            .flat_map(|b| &b.content)
            .map(|m| m.media_type.as_str())
            .collect();
        match &spec.body {
            Some(b) if declared.is_empty() => {
                self.warn(
                    b,
                    format!(
                        "the OpenAPI document declares no request body for `{} {}`; the call sends `{}` as the manifest says",
                        ep.method.as_str(),
                        ep.path,
                        b.get_ref()
                    ),
                );
                Some(b.get_ref().clone())
            }
            Some(b) if !declared.contains(&b.get_ref().as_str()) => {
                self.error(
                    b,
                    format!(
                        "`{} {}` takes {}; expected one of them",
                        ep.method.as_str(),
                        ep.path,
                        declared.join(", ")
                    ),
                    "not declared",
                );
                None
            }
            Some(b) => Some(b.get_ref().clone()),
            None => declared
                .iter()
                .find(|m| m.contains("json"))
                .or(declared.first())
                .map(|m| (*m).to_owned()),
        }
    }

    /// A link into the body of a call that sends none would be lost: say how to name one.
    fn check_bodies(&mut self, scope: &OpScope<'_>, inputs: &[FieldLink]) {
        for link in inputs {
            let Target::Body { call, .. } = &link.to else {
                continue;
            };
            let Some((c, ep)) = scope.calls.iter().find(|(c, _)| &c.name == call) else {
                continue;
            };
            if c.body.is_none() {
                let at = link.span;
                let mut d = Diagnostic::error(format!(
                    "`{} {}` declares no request body, so this value would be lost",
                    ep.method.as_str(),
                    ep.path
                ))
                .note(format!(
                    "say what the call sends with `body = \"application/octet-stream\"` (or another media type) on the call `{call}`"
                ));
                if let Some(at) = at {
                    d = d.at(at, "into the body");
                }
                self.diags.push(d);
            }
        }
    }

    /// A loop: `SOAP/path/Item` or `CALL: path[]` (an array in an earlier call's response).
    fn for_each(
        &mut self,
        fe: &Spanned<String>,
        op: &SoapOperation,
        earlier: &[(Call, &'a Endpoint)],
    ) -> Option<Loop> {
        let (l, path) = match fe.get_ref().split_once(':') {
            Some((call, rest)) => {
                let call = call.trim();
                let Some((c, ep)) = earlier.iter().find(|(c, _)| c.name == call) else {
                    let names: Vec<&str> = earlier.iter().map(|(c, _)| c.name.as_str()).collect();
                    let d = Diagnostic::error(format!(
                        "`for_each` names `{call}`, which is not an earlier call"
                    ))
                    .at(self.span(fe), "here")
                    .note(format!(
                        "expected one of the calls before this one: {}",
                        if names.is_empty() {
                            "(none)".into()
                        } else {
                            names.join(", ")
                        }
                    ));
                    self.diags.push(d);
                    return None;
                };
                let at = Spanned::new(fe.span(), rest.trim().to_owned());
                let path = self.response_path(ep, &at)?;
                (
                    Loop::Response {
                        call: c.name.clone(),
                        path: path.clone(),
                    },
                    path,
                )
            }
            None => {
                let path = self.soap_path(&op.input_parts(), fe, "SOAP input")?;
                (Loop::Soap { path: path.clone() }, path)
            }
        };
        let types = match &l {
            Loop::Soap { .. } => &self.c.soap.types,
            Loop::Response { call, .. } => earlier
                .iter()
                .find(|(c, _)| &c.name == call)
                .map_or(&self.c.soap.types, |(_, ep)| self.rest_types(ep)),
        };
        let repeated = path.steps.last().is_some_and(|s| s.many)
            || path.leaf_type().and_then(|t| list_item(types, t)).is_some();
        if !repeated {
            self.error(
                fe,
                format!(
                    "`{}` is not a list; `for_each` needs a repeated element or an array (`[]`)",
                    fe.get_ref()
                ),
                "here",
            );
            return None;
        }
        Some(l)
    }

    /// `METHOD /path` or an endpoint name, across every OpenAPI document of the manifest.
    fn find_endpoint(&mut self, at: &Spanned<String>) -> Option<(usize, &'a Endpoint)> {
        let text = at.get_ref().trim();
        let parsed = text
            .split_once(' ')
            .and_then(|(m, p)| Some((HttpMethod::from_key(&m.to_ascii_lowercase())?, p.trim())));
        let found: Vec<(usize, &Endpoint)> = self
            .c
            .rest
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.endpoints.iter().map(move |e| (i, e)))
            .filter(|(_, e)| match parsed {
                Some((m, p)) => e.method == m && e.path == p,
                None => e.name == text,
            })
            .collect();
        match found.as_slice() {
            [one] => Some(*one),
            [] => {
                let near = self.nearest_endpoints(text);
                let d = Diagnostic::error(format!("unknown endpoint `{text}`"))
                    .at(self.span(at), "not in the OpenAPI documents")
                    .note(format!(
                        "expected `METHOD /path` or an endpoint name; nearest: {near}"
                    ));
                self.diags.push(d);
                None
            }
            _ => {
                self.error(
                    at,
                    format!("endpoint `{text}` is ambiguous: several OpenAPI documents have it"),
                    "here",
                );
                None
            }
        }
    }

    fn nearest_endpoints(&self, text: &str) -> String {
        let last = text.rsplit('/').next().unwrap_or(text);
        let mut v: Vec<String> = self
            .c
            .rest
            .iter()
            .flat_map(|r| &r.endpoints)
            .filter(|e| e.path.ends_with(last) || e.name.contains(last))
            .map(|e| e.id.0.clone())
            .take(5)
            .collect();
        if v.is_empty() {
            v = self
                .c
                .rest
                .iter()
                .flat_map(|r| &r.endpoints)
                .map(|e| e.id.0.clone())
                .take(5)
                .collect();
        }
        v.join(", ")
    }

    /// Walks a SOAP path from `parts` (an operation's `input_parts()` or `output_parts()`).
    fn soap_path(
        &mut self,
        parts: &[&MessagePart],
        at: &Spanned<String>,
        what: &str,
    ) -> Option<ResolvedPath> {
        self.walk(at, walk_soap(&self.c.soap.types, parts, at.get_ref()), what)
    }

    fn walk(
        &mut self,
        at: &Spanned<String>,
        r: Result<ResolvedPath, String>,
        what: &str,
    ) -> Option<ResolvedPath> {
        match r {
            Ok(p) => Some(p),
            Err(e) => {
                self.error(
                    at,
                    format!("unknown field in {what} path `{}`: {e}", at.get_ref()),
                    "here",
                );
                None
            }
        }
    }

    fn call_named<'s>(
        &mut self,
        scope: &'s OpScope<'a>,
        at: Option<&Spanned<String>>,
        fallback_last: bool,
    ) -> Option<&'s (Call, &'a Endpoint)> {
        match at {
            Some(n) => {
                let found = scope.calls.iter().find(|(c, _)| &c.name == n.get_ref());
                if found.is_none() {
                    let names: Vec<&str> =
                        scope.calls.iter().map(|(c, _)| c.name.as_str()).collect();
                    let d = Diagnostic::error(format!("unknown call `{}`", n.get_ref()))
                        .at(self.span(n), "here")
                        .note(format!(
                            "expected one of this operation's calls: {}",
                            names.join(", ")
                        ));
                    self.diags.push(d);
                }
                found
            }
            None if scope.calls.len() == 1 || fallback_last => scope.calls.last(),
            None => None,
        }
    }
}

/// The media types `ep`'s success responses declare, sorted and without repeats.
fn success_media(ep: &Endpoint) -> Vec<String> {
    let types: BTreeSet<&str> = ep
        .responses
        .iter()
        .filter(|r| r.status.starts_with('2'))
        .flat_map(|r| &r.content)
        .map(|m| m.media_type.as_str())
        .collect();
    types.into_iter().map(str::to_owned).collect()
}
