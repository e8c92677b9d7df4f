//! Checking a manifest against both contracts and building the [`Resolved`] link model.
//!
//! Every problem is reported at the manifest's line and column, with the contract's location as a
//! second label where the model knows it. All problems are collected in one pass.

use std::collections::BTreeSet;

use toml::Spanned;

use super::manifest::{self, CallSpec, FaultSpec, LinkSpec, Manifest, OperationSpec};
use super::model::*;
use super::paths::{fields_of, list_item, walk_json, walk_soap};
use super::types::{Cat, category, check_compatible, check_const};
use crate::diag::{Diagnostic, Diagnostics, FileId, Span};
use crate::model::{
    Endpoint, HttpMethod, MessagePart, PartContent, RestContract, SoapContract, SoapOperation,
    TypeGraph, TypeKind, TypeRef,
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
            scopes,
            system_user: a.system_user,
            note: a.note.clone(),
        })
    }

    fn fault(&mut self, f: &FaultSpec) -> Option<FaultMap> {
        let status = f.status.get_ref();
        let ok_status = matches!(status.as_str(), "default" | "timeout" | "4XX" | "5XX")
            || (status.len() == 3 && status.parse::<u16>().is_ok_and(|n| (400..600).contains(&n)));
        if !ok_status {
            let d = Diagnostic::error(format!("unknown error status `{status}`"))
                .at(self.span(&f.status), "here")
                .note("expected a 4xx/5xx status such as `404`, a range `4XX`/`5XX`, `default` or `timeout`");
            self.diags.push(d);
        }
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
            status: status.clone(),
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
        let (coverage, unresolved) = coverage(&self.c.soap.types, op, &inputs, &scope, auth);
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
            note: spec.note.clone(),
        })
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
        let call = Call {
            name: spec.name.get_ref().clone(),
            endpoint: ep.id.clone(),
            api,
            method: ep.method,
            path: ep.path.clone(),
            for_each,
            note: spec.note.clone(),
        };
        Some((call, ep))
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

    fn input(&mut self, l: &LinkSpec, scope: &OpScope<'a>) -> Option<FieldLink> {
        let span = l
            .from
            .as_ref()
            .or(l.to.as_ref())
            .or(l.value.as_ref())
            .map(|s| self.span(s));
        if let Some(reason) = &l.drop {
            let Some(from) = &l.from else {
                self.error(
                    reason,
                    "`drop` needs `from`: the SOAP field that is dropped",
                    "here",
                );
                return None;
            };
            let path = self.soap_path(&scope.op.input_parts(), from, "SOAP input")?;
            return Some(FieldLink {
                from: Source::Soap { path },
                to: Target::Dropped,
                transforms: Vec::new(),
                note: Some(reason.get_ref().clone()),
                span,
            });
        }
        let from = self.input_source(l, scope)?;
        let Some(to_spec) = &l.to else {
            let at = l.from.as_ref().or(l.value.as_ref())?;
            self.error(at, "link has no `to`", "here");
            return None;
        };
        let (call, ep) = match self.call_named(scope, l.into.as_ref(), false) {
            Some(c) => c,
            None => {
                if l.into.is_none() {
                    self.error(
                        to_spec,
                        "this operation has several calls; say which one with `into = \"CALL\"`",
                        "here",
                    );
                }
                return None;
            }
        };
        let to = self.request_target(call, ep, to_spec)?;
        let transforms = self.transforms(l, &from, &to, scope, call.for_each.as_ref())?;
        Some(FieldLink {
            from,
            to,
            transforms,
            note: l.note.clone(),
            span,
        })
    }

    fn input_source(&mut self, l: &LinkSpec, scope: &OpScope<'a>) -> Option<Source> {
        if let Some(c) = self.config_source(l)? {
            return Some(c);
        }
        match (&l.from, &l.value) {
            (Some(_), Some(v)) => {
                self.error(v, "a link takes `from` or `value`, not both", "here");
                None
            }
            (None, Some(v)) => Some(Source::Const {
                value: v.get_ref().clone(),
            }),
            (Some(from), None) => match &l.call {
                Some(_) => {
                    let (call, ep) = self.call_named(scope, l.call.as_ref(), false)?;
                    let path = self.response_path(ep, from)?;
                    Some(Source::Response {
                        call: call.name.clone(),
                        path,
                    })
                }
                None => Some(Source::Soap {
                    path: self.soap_path(&scope.op.input_parts(), from, "SOAP input")?,
                }),
            },
            (None, None) => {
                let at = l.to.as_ref()?;
                self.error(at, "link has no source", "here");
                None
            }
        }
    }

    fn response_path(&mut self, ep: &Endpoint, at: &Spanned<String>) -> Option<ResolvedPath> {
        let text = at.get_ref().as_str();
        let text = if text == "body" {
            ""
        } else {
            text.strip_prefix("body.").unwrap_or(text)
        };
        let success = || {
            ep.responses
                .iter()
                .filter(|r| r.status.starts_with('2'))
                .flat_map(|r| &r.content)
        };
        let root = success()
            .find(|m| m.media_type.contains("json"))
            .and_then(|m| m.ty.clone())
            // A download (e.g. application/octet-stream) is read whole, as one value.
            .or_else(|| {
                text.is_empty()
                    .then(|| success().find_map(|m| m.ty.clone()))
                    .flatten()
            });
        let Some(root) = root else {
            if text.is_empty() {
                if let Some(path) = self.raw_response(ep, at) {
                    return Some(path);
                }
            }
            self.error(
                at,
                format!(
                    "`{}` has no JSON success response to read `{text}` from",
                    ep.id
                ),
                "here",
            );
            return None;
        };
        let types = self.rest_types(ep);
        self.walk(at, walk_json(types, &root, text), "response")
    }

    /// The whole body of a success response that is not JSON (a file download), as bytes. A
    /// success response that declares no content is taken as bytes too, with a warning: some
    /// published specs leave a download's content out (the service writes the file's own type).
    fn raw_response(&mut self, ep: &Endpoint, at: &Spanned<String>) -> Option<ResolvedPath> {
        let success: Vec<_> = ep
            .responses
            .iter()
            .filter(|r| r.status.starts_with('2'))
            .collect();
        let declared = success.iter().any(|r| !r.content.is_empty());
        if success.is_empty() {
            return None;
        }
        if !declared {
            self.warn(
                at,
                format!(
                    "`{}` declares no content for its success response; the body is read as raw bytes",
                    ep.id
                ),
            );
        }
        let step = PathStep {
            name: String::new(),
            xml_name: None,
            ty: TypeRef::Builtin(crate::model::Builtin::Binary),
            optional: false,
            nullable: false,
            many: false,
        };
        Some(ResolvedPath {
            text: String::new(),
            steps: vec![step],
        })
    }

    fn rest_types(&self, ep: &Endpoint) -> &'a TypeGraph {
        let doc = self
            .c
            .rest
            .iter()
            .find(|r| r.endpoints.iter().any(|e| std::ptr::eq(e, ep)));
        &doc.unwrap_or(&self.c.rest[0]).types
    }

    fn request_target(
        &mut self,
        call: &Call,
        ep: &Endpoint,
        at: &Spanned<String>,
    ) -> Option<Target> {
        let text = at.get_ref();
        let (kind, rest) = text.split_once('.').unwrap_or((text.as_str(), ""));
        match kind {
            "body" => {
                let Some(body) = &ep.body else {
                    return self.undeclared_body(call, ep, at, rest);
                };
                let media = body
                    .content
                    .iter()
                    .find(|m| m.media_type.contains("json"))
                    .or_else(|| body.content.first())
                    .and_then(|m| m.ty.clone())?;
                let path = self.walk(
                    at,
                    walk_json(self.rest_types(ep), &media, rest),
                    "request body",
                )?;
                Some(Target::Body {
                    call: call.name.clone(),
                    path,
                })
            }
            "path" | "query" | "header" | "cookie" => {
                let p = ep.params.iter().find(|p| {
                    p.name == rest && format!("{:?}", p.location).eq_ignore_ascii_case(kind)
                });
                let Some(p) = p else {
                    let names: Vec<String> = ep
                        .params
                        .iter()
                        .map(|p| format!("{:?}.{}", p.location, p.name).to_lowercase())
                        .collect();
                    let d =
                        Diagnostic::error(format!("`{}` has no {kind} parameter `{rest}`", ep.id))
                            .at(self.span(at), "here")
                            .note(format!(
                                "expected one of: {}",
                                if names.is_empty() {
                                    "(no parameters)".into()
                                } else {
                                    names.join(", ")
                                }
                            ));
                    self.diags.push(d);
                    return None;
                };
                Some(Target::Param {
                    call: call.name.clone(),
                    location: p.location,
                    name: p.name.clone(),
                    ty: p.ty.clone(),
                    required: p.required,
                })
            }
            _ => {
                let d = Diagnostic::error(format!("unknown target `{text}`"))
                    .at(self.span(at), "here")
                    .note("expected `body.PATH`, `path.NAME`, `query.NAME`, `header.NAME` or `cookie.NAME`");
                self.diags.push(d);
                None
            }
        }
    }

    /// Some published specs omit the body of raw uploads (the service reads the request stream).
    /// The whole body may still be sent, as bytes, with a warning; a path into it is an error.
    fn undeclared_body(
        &mut self,
        call: &Call,
        ep: &Endpoint,
        at: &Spanned<String>,
        rest: &str,
    ) -> Option<Target> {
        if !rest.is_empty() {
            self.error(
                at,
                format!(
                    "`{}` declares no request body, so `body.{rest}` cannot be reached",
                    ep.id
                ),
                "here",
            );
            return None;
        }
        self.warn(at, format!("`{}` declares no request body; the value is sent as raw bytes (application/octet-stream)", ep.id));
        let step = PathStep {
            name: String::new(),
            xml_name: None,
            ty: TypeRef::Builtin(crate::model::Builtin::Binary),
            optional: false,
            nullable: false,
            many: false,
        };
        Some(Target::Body {
            call: call.name.clone(),
            path: ResolvedPath {
                text: String::new(),
                steps: vec![step],
            },
        })
    }

    fn output(&mut self, l: &LinkSpec, scope: &OpScope<'a>) -> Option<FieldLink> {
        let span = l
            .from
            .as_ref()
            .or(l.to.as_ref())
            .or(l.value.as_ref())
            .map(|s| self.span(s));
        let Some(to_spec) = &l.to else {
            let at = l.from.as_ref().or(l.value.as_ref()).or(l.drop.as_ref())?;
            self.error(
                at,
                "an output link needs `to`: the SOAP output field it fills",
                "here",
            );
            return None;
        };
        let to_path = self.soap_path(&scope.op.output_parts(), to_spec, "SOAP output")?;
        let config = self.config_source(l)?;
        let from = match (&l.from, &l.value) {
            _ if config.is_some() => config?,
            (Some(f), None) => {
                let (call, ep) = self.call_named(scope, l.call.as_ref(), true)?;
                Source::Response {
                    call: call.name.clone(),
                    path: self.response_path(ep, f)?,
                }
            }
            (None, Some(v)) => Source::Const {
                value: v.get_ref().clone(),
            },
            _ => {
                self.error(
                    to_spec,
                    "an output link takes exactly one of `from` or `value`",
                    "here",
                );
                return None;
            }
        };
        let to = Target::Soap { path: to_path };
        let transforms = self.transforms(l, &from, &to, scope, None)?;
        Some(FieldLink {
            from,
            to,
            transforms,
            note: l.note.clone(),
            span,
        })
    }

    /// `config = "key"`: `Some(Some(source))`; no `config`: `Some(None)`; `config` beside another
    /// source: `None` after an error.
    fn config_source(&mut self, l: &LinkSpec) -> Option<Option<Source>> {
        let Some(key) = &l.config else {
            return Some(None);
        };
        if l.from.is_some() || l.value.is_some() {
            self.error(
                key,
                "a link takes one of `from`, `value` or `config`",
                "here",
            );
            return None;
        }
        Some(Some(Source::Config {
            key: key.get_ref().clone(),
        }))
    }

    /// Builds the transform list and checks that the value's type survives the trip. `each` is
    /// the loop of the call the link feeds, if any.
    fn transforms(
        &mut self,
        l: &LinkSpec,
        from: &Source,
        to: &Target,
        scope: &OpScope<'a>,
        each: Option<&Loop>,
    ) -> Option<Vec<Transform>> {
        let (src_types, dst_types) = self.graphs(from, to, scope);
        let at = l
            .from
            .as_ref()
            .or(l.value.as_ref())
            .or(l.config.as_ref())
            .or(l.to.as_ref())?;
        let mut out = Vec::new();
        let mut cat = match from {
            Source::Const { .. } | Source::Config { .. } => None,
            Source::Soap { path } | Source::Response { path, .. } => {
                path.leaf_type().map(|t| category(src_types, t))
            }
        };
        if let Some(sep) = &l.split {
            if !matches!(cat, Some(Cat::Text) | None) {
                self.error(
                    sep,
                    format!(
                        "`split` needs a text source, but `{}` is {}",
                        at.get_ref(),
                        describe(cat)
                    ),
                    "here",
                );
                return None;
            }
            out.push(Transform::Split {
                separator: sep.get_ref().clone(),
            });
            cat = Some(Cat::List);
        }
        if let Some(map) = &l.map {
            self.check_map(map, from, to, cat.as_ref(), scope)?;
            out.push(Transform::EnumMap {
                map: map.get_ref().clone(),
            });
            // A boolean mapped to booleans (a negation) stays a boolean.
            let booleans = map.get_ref().values().all(|v| v == "true" || v == "false");
            cat = Some(if cat == Some(Cat::Boolean) && booleans {
                Cat::Boolean
            } else {
                // What comes out is exactly the map's values, already checked against the target.
                Cat::Enum(map.get_ref().values().cloned().collect())
            });
        }
        if let Some(table) = &l.lookup {
            if !matches!(cat, Some(Cat::Text | Cat::Enum(_) | Cat::Integer(_)) | None) {
                self.error(
                    table,
                    format!(
                        "`lookup` needs a text, enumeration or integer source, but `{}` is {}",
                        at.get_ref(),
                        describe(cat)
                    ),
                    "here",
                );
                return None;
            }
            out.push(Transform::Lookup {
                table: table.get_ref().clone(),
            });
            cat = Some(Cat::Text);
        }
        if let Some(f) = &l.format {
            let Some(format) = Format::parse(f.get_ref()) else {
                let d = Diagnostic::error(format!("unknown format `{}`", f.get_ref()))
                    .at(self.span(f), "here")
                    .note(format!("expected one of: {}", Format::ALL));
                self.diags.push(d);
                return None;
            };
            if let Some(c) = &cat {
                if !super::types::format_accepts(format, c) {
                    self.error(
                        f,
                        format!(
                            "format `{}` does not apply to `{}`, which is {}",
                            f.get_ref(),
                            at.get_ref(),
                            describe(cat.clone())
                        ),
                        "here",
                    );
                    return None;
                }
            }
            out.push(Transform::Format { format });
            cat = Some(super::types::format_output(format));
        }
        if let Some(sep) = &l.join {
            if !matches!(cat, Some(Cat::List) | None) && !repeats_below_loop(from, each) {
                self.error(
                    sep,
                    format!(
                        "`join` needs a list source, but `{}` is {}",
                        at.get_ref(),
                        describe(cat)
                    ),
                    "here",
                );
                return None;
            }
            out.push(Transform::Join {
                separator: sep.get_ref().clone(),
            });
            cat = Some(Cat::Text);
        }
        let target_ty = target_type(to);
        if let (Some(v), Some(tt)) = (&l.default, target_ty) {
            if let Err(e) = check_const(dst_types, tt, v.get_ref()) {
                self.error(
                    v,
                    format!("default `{}` does not fit the target: {e}", v.get_ref()),
                    "here",
                );
            }
            out.push(Transform::Default {
                value: v.get_ref().clone(),
            });
        }
        if let (Source::Const { value }, Some(tt)) = (from, target_ty) {
            if let Err(e) = check_const(dst_types, tt, value) {
                self.error(
                    at,
                    format!("value `{value}` does not fit the target: {e}"),
                    "here",
                );
                return None;
            }
        }
        if let (Some(c), Some(tt)) = (cat, target_ty) {
            let explicit = l.map.is_some() || l.format.is_some() || l.lookup.is_some();
            match check_compatible(&c, &category(dst_types, tt), explicit) {
                Ok(None) => {}
                Ok(Some(warning)) => self.warn(
                    at,
                    format!("`{}` → `{}`: {warning}", at.get_ref(), target_text(to)),
                ),
                Err(e) => {
                    let d = Diagnostic::error(format!(
                        "type clash: `{}` is {} but `{}` is {}",
                        at.get_ref(),
                        c.describe(),
                        target_text(to),
                        category(dst_types, tt).describe()
                    ))
                    .at(self.span(at), "here")
                    .note(e);
                    self.diags.push(d);
                    return None;
                }
            }
        }
        if let (Source::Soap { path } | Source::Response { path, .. }, true) =
            (from, target_required(to))
        {
            if path.may_be_absent() && l.default.is_none() {
                self.warn(at, format!("`{}` may be absent or nil but `{}` is required: the call fails at run time when it is", at.get_ref(), target_text(to)));
            }
        }
        Some(out)
    }

    /// The type graphs of a link's source and target: the WSDL's, or the OpenAPI document of the
    /// call the side belongs to (a manifest may use several documents, with clashing names).
    fn graphs(
        &self,
        from: &Source,
        to: &Target,
        scope: &OpScope<'a>,
    ) -> (&'a TypeGraph, &'a TypeGraph) {
        let soap = &self.c.soap.types;
        let of_call = |name: &String| {
            scope
                .calls
                .iter()
                .find(|(c, _)| &c.name == name)
                .map(|(_, ep)| self.rest_types(ep))
        };
        let first = self.c.rest.first().map_or(soap, |r| &r.types);
        let src = match from {
            Source::Soap { .. } => soap,
            Source::Response { call, .. } => of_call(call).unwrap_or(first),
            // Constants and configuration are checked against the target.
            Source::Const { .. } | Source::Config { .. } => first,
        };
        let dst = match to {
            Target::Soap { .. } | Target::Dropped => soap,
            Target::Body { call, .. } | Target::Param { call, .. } => {
                of_call(call).unwrap_or(first)
            }
        };
        (src, dst)
    }

    fn check_map(
        &mut self,
        map: &Spanned<std::collections::BTreeMap<String, String>>,
        from: &Source,
        to: &Target,
        cat: Option<&Cat>,
        scope: &OpScope<'a>,
    ) -> Option<()> {
        let values = |c: Option<&Cat>| match c {
            Some(Cat::Enum(v)) => Some(v.clone()),
            _ => None,
        };
        if !matches!(cat, Some(Cat::Enum(_) | Cat::Text | Cat::Boolean) | None) {
            self.error(
                map,
                format!(
                    "`map` needs an enumeration or text source, but the source is {}",
                    describe(cat.cloned())
                ),
                "here",
            );
            return None;
        }
        if let Some(src) = values(cat) {
            let unknown: Vec<&String> = map.get_ref().keys().filter(|k| !src.contains(k)).collect();
            if !unknown.is_empty() {
                self.error(
                    map,
                    format!(
                        "`map` has keys that are not values of the source: {}",
                        join(&unknown)
                    ),
                    "here",
                );
                return None;
            }
            let unmapped: Vec<&String> = src
                .iter()
                .filter(|v| !map.get_ref().contains_key(*v))
                .collect();
            if !unmapped.is_empty() {
                self.warn(
                    map,
                    format!(
                        "source values without a mapping fail at run time: {}",
                        join(&unmapped)
                    ),
                );
            }
        }
        let (_, dst_types) = self.graphs(from, to, scope);
        if let Some(Cat::Enum(dst)) = target_type(to).map(|t| category(dst_types, t)) {
            let bad: Vec<&String> = map
                .get_ref()
                .values()
                .filter(|v| !dst.contains(v))
                .collect();
            if !bad.is_empty() {
                self.error(
                    map,
                    format!(
                        "`map` produces values the target does not accept: {}",
                        join(&bad)
                    ),
                    "here",
                );
                return None;
            }
        }
        Some(())
    }

    /// Every required parameter and body property of every call is fed by some link.
    fn check_required_fed(
        &mut self,
        spec: &OperationSpec,
        scope: &OpScope<'a>,
        inputs: &[FieldLink],
    ) {
        for (call, ep) in &scope.calls {
            let targets: Vec<&Target> = inputs
                .iter()
                .map(|l| &l.to)
                .filter(|t| target_call(t) == Some(&call.name))
                .collect();
            for p in ep.params.iter().filter(|p| p.required) {
                let fed = targets.iter().any(|t| matches!(t, Target::Param { name, location, .. } if *name == p.name && *location == p.location));
                if !fed {
                    let loc = format!("{:?}", p.location).to_lowercase();
                    let d = Diagnostic::error(format!(
                        "required {loc} parameter `{}` of `{}` is not fed",
                        p.name, ep.id
                    ))
                    .at(self.span(&spec.soap), "in this operation")
                    .note(format!(
                        "add a link with `to = \"{loc}.{}\"` and `into = \"{}\"`",
                        p.name, call.name
                    ));
                    self.diags.push(d);
                }
            }
            let body_paths: Vec<Vec<String>> = targets
                .iter()
                .filter_map(|t| match t {
                    Target::Body { path, .. } => {
                        Some(path.steps.iter().map(|s| s.name.clone()).collect())
                    }
                    _ => None,
                })
                .collect();
            let Some(body) = &ep.body else { continue };
            let root = body
                .content
                .iter()
                .find(|m| m.media_type.contains("json"))
                .or(body.content.first())
                .and_then(|m| m.ty.clone());
            if body_paths.is_empty() {
                if body.required {
                    let d = Diagnostic::error(format!(
                        "the required request body of `{}` is not fed",
                        ep.id
                    ))
                    .at(self.span(&spec.soap), "in this operation")
                    .note(format!(
                        "add links with `to = \"body.…\"` and `into = \"{}\"`",
                        call.name
                    ));
                    self.diags.push(d);
                }
                continue;
            }
            let whole = body_paths.iter().any(|p| p.len() == 1 && p[0].is_empty());
            if let (Some(root), false) = (root, whole) {
                let mut missing = Vec::new();
                required_unfed(
                    self.rest_types(ep),
                    &root,
                    &[],
                    &body_paths,
                    &mut missing,
                    0,
                );
                for m in missing {
                    let d = Diagnostic::error(format!(
                        "required field `body.{m}` of `{}` is not fed",
                        ep.id
                    ))
                    .at(self.span(&spec.soap), "in this operation")
                    .note(format!(
                        "add a link with `to = \"body.{m}\"` (or `value = …`) and `into = \"{}\"`",
                        call.name
                    ));
                    self.diags.push(d);
                }
            }
        }
    }
}

/// Required properties under `ty` (at `prefix`) that no link path reaches. Descends only into
/// properties that links go into, so an object fed as a whole counts as fed.
fn required_unfed(
    types: &TypeGraph,
    ty: &TypeRef,
    prefix: &[String],
    fed: &[Vec<String>],
    out: &mut Vec<String>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    for f in fields_of(types, ty) {
        let mut here = prefix.to_vec();
        here.push(f.name.clone());
        let reaching: Vec<&Vec<String>> = fed.iter().filter(|p| p.starts_with(&here)).collect();
        if reaching.is_empty() {
            if f.min_occurs > 0 && !f.read_only {
                out.push(here.join("."));
            }
            continue;
        }
        if reaching.iter().all(|p| p.len() > here.len()) {
            let inner = list_item(types, &f.ty).unwrap_or_else(|| f.ty.clone());
            required_unfed(types, &inner, &here, fed, out, depth + 1);
        }
    }
}

/// Leaf fields of an operation's input (headers and body), as SOAP paths. Recursion and depth
/// are cut, so recursive types give finitely many leaves.
pub fn input_leaves(types: &TypeGraph, op: &SoapOperation) -> Vec<String> {
    let mut out = Vec::new();
    for part in op.input_parts() {
        let name = match &part.content {
            crate::model::PartContent::Element { element, .. } => element.local.clone(),
            crate::model::PartContent::Type { .. } => part.name.clone(),
        };
        leaves(
            types,
            part.content.ty(),
            name,
            &mut BTreeSet::new(),
            &mut out,
        );
    }
    out
}

fn leaves(
    types: &TypeGraph,
    ty: &TypeRef,
    path: String,
    stack: &mut BTreeSet<String>,
    out: &mut Vec<String>,
) {
    let ty = types.unalias(ty);
    let Some(def) = types.resolve(ty) else {
        out.push(path);
        return;
    };
    if stack.len() > 12 || !stack.insert(def.id.0.clone()) {
        out.push(path);
        return;
    }
    match &def.kind {
        TypeKind::Struct(_) => {
            let fields = types.all_fields(&def.id);
            if fields.is_empty() {
                out.push(path.clone());
            }
            for f in fields {
                let seg = if f.kind == crate::model::FieldKind::Attribute {
                    format!("@{}", f.name)
                } else {
                    f.name.clone()
                };
                leaves(types, &f.ty, format!("{path}/{seg}"), stack, out);
            }
        }
        TypeKind::List(l) => match &l.item_element {
            Some(item)
                if types
                    .resolve(types.unalias(&l.item))
                    .is_some_and(|d| matches!(d.kind, TypeKind::Struct(_))) =>
            {
                leaves(
                    types,
                    &l.item,
                    format!("{path}/{}", item.xml_name.local),
                    stack,
                    out,
                );
            }
            _ => out.push(path.clone()),
        },
        _ => out.push(path.clone()),
    }
    stack.remove(&def.id.0);
}

fn coverage(
    types: &TypeGraph,
    op: &SoapOperation,
    inputs: &[FieldLink],
    scope: &OpScope<'_>,
    auth: Option<&AuthChange>,
) -> (Coverage, Vec<String>) {
    let mut linked: Vec<&str> = Vec::new();
    let mut dropped: Vec<&str> = auth
        .map(|a| a.old_fields.iter().map(String::as_str).collect())
        .unwrap_or_default();
    for l in inputs {
        if let Source::Soap { path } = &l.from {
            match l.to {
                Target::Dropped => dropped.push(&path.text),
                _ => linked.push(&path.text),
            }
        }
    }
    // A loop's list is consumed by the loop only where its items are linked; nothing to add here.
    let _ = scope;
    let covers = |set: &[&str], leaf: &str| {
        set.iter()
            .any(|p| leaf == *p || leaf.starts_with(&format!("{p}/")))
    };
    let mut cov = Coverage::default();
    let mut unresolved = Vec::new();
    for leaf in input_leaves(types, op) {
        if covers(&linked, &leaf) {
            cov.linked += 1;
        } else if covers(&dropped, &leaf) {
            cov.dropped += 1;
        } else {
            cov.unresolved += 1;
            unresolved.push(leaf);
        }
    }
    (cov, unresolved)
}

/// A source path that passes through a repeated element (or an array) below the loop of its call
/// gives one value per item: a list, which `join` can make into one text.
fn repeats_below_loop(from: &Source, each: Option<&Loop>) -> bool {
    let path = match from {
        Source::Soap { path } | Source::Response { path, .. } => path,
        Source::Const { .. } | Source::Config { .. } => return false,
    };
    let covered = match (from, each) {
        (Source::Soap { .. }, Some(Loop::Soap { path: lp }))
            if lp.steps.len() <= path.steps.len()
                && lp
                    .steps
                    .iter()
                    .zip(&path.steps)
                    .all(|(a, b)| a.name == b.name) =>
        {
            lp.steps.len()
        }
        _ => 0,
    };
    path.steps.iter().skip(covered).any(|s| s.many)
}

fn target_type(t: &Target) -> Option<&TypeRef> {
    match t {
        Target::Body { path, .. } | Target::Soap { path } => path.leaf_type(),
        Target::Param { ty, .. } => Some(ty),
        Target::Dropped => None,
    }
}

fn target_required(t: &Target) -> bool {
    match t {
        Target::Body { path, .. } => path
            .steps
            .last()
            .is_some_and(|s| !s.optional && !s.nullable),
        Target::Param { required, .. } => *required,
        Target::Soap { .. } | Target::Dropped => false,
    }
}

fn target_call(t: &Target) -> Option<&String> {
    match t {
        Target::Body { call, .. } | Target::Param { call, .. } => Some(call),
        _ => None,
    }
}

fn target_text(t: &Target) -> String {
    match t {
        Target::Body { path, .. } if path.text.is_empty() => "body".into(),
        Target::Body { path, .. } => format!("body.{}", path.text),
        Target::Param { location, name, .. } => {
            format!("{}.{name}", format!("{location:?}").to_lowercase())
        }
        Target::Soap { path } => path.text.clone(),
        Target::Dropped => "(dropped)".into(),
    }
}

fn describe(c: Option<Cat>) -> String {
    c.map(|c| c.describe())
        .unwrap_or_else(|| "a constant".into())
}

fn join(v: &[&String]) -> String {
    v.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::diag::SourceMap;
    use crate::link::{Overrides, Source, load_mapping};
    use crate::load::Limits;

    const WSDL: &str = r#"<wsdl:definitions name="S" targetNamespace="urn:s" xmlns:tns="urn:s"
        xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/">
      <wsdl:types>
        <xs:schema elementFormDefault="qualified" targetNamespace="urn:s" xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="Get"><xs:complexType><xs:sequence>
            <xs:element name="ref" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
          <xs:element name="GetResponse"><xs:complexType><xs:sequence>
            <xs:element name="Data" type="xs:base64Binary"/></xs:sequence></xs:complexType></xs:element>
        </xs:schema>
      </wsdl:types>
      <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Get"/></wsdl:message>
      <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:GetResponse"/></wsdl:message>
      <wsdl:portType name="P"><wsdl:operation name="Get">
        <wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
      <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
        <wsdl:operation name="Get"><soap:operation soapAction="urn:s/Get" style="document"/>
          <wsdl:input><soap:body use="literal"/></wsdl:input>
          <wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
      <wsdl:service name="S"><wsdl:port name="B" binding="tns:B">
        <soap:address location="https://example.invalid/s"/></wsdl:port></wsdl:service>
    </wsdl:definitions>"#;

    const OPENAPI: &str = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/files/{id}/download": {"get": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "the file",
          "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}}}}"#;

    fn check(output_from: &str) -> Result<crate::link::Resolved, String> {
        let manifest = format!(
            r#"api = "S"
strategy = 1
[sources]
wsdl = "s.wsdl"
openapi = ["a.json"]
[[operations]]
soap = "Get"
calls = [{{ name = "download", endpoint = "GET /files/{{id}}/download" }}]
[[operations.inputs]]
from = "Get/ref"
to = "path.id"
[[operations.outputs]]
from = "{output_from}"
to = "GetResponse/Data"
"#
        );
        let mut sources = SourceMap::new();
        sources.register_virtual("m/s.wsdl", WSDL);
        sources.register_virtual("m/a.json", OPENAPI);
        sources.register_virtual("m/x.toml", manifest);
        load_mapping(
            &mut sources,
            Path::new("m/x.toml"),
            &Overrides::default(),
            &Limits::default(),
        )
        .map(|(m, _)| m.resolved)
        .map_err(|d| sources.render_all(&d))
    }

    #[test]
    fn a_binary_download_is_read_whole_but_not_into() {
        let resolved = check("body").expect("the whole download fills the output");
        let link = &resolved.operations[0].outputs[0];
        assert!(matches!(&link.from, Source::Response { call, .. } if call == "download"));
        let err = check("body.name").expect_err("a non-JSON response has no fields");
        assert!(err.contains("no JSON success response"), "{err}");
    }
}

/// Joins through repeated elements below a call's loop.
#[cfg(test)]
mod join_tests {
    use std::path::Path;

    use super::super::sources::{Overrides, load_mapping};
    use crate::diag::SourceMap;
    use crate::load::Limits;

    const WSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="S" targetNamespace="urn:t" xmlns:tns="urn:t"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="urn:t">
      <xs:complexType name="Token">
        <xs:sequence><xs:element minOccurs="0" name="Value" type="xs:string"/></xs:sequence>
      </xs:complexType>
      <xs:complexType name="Note">
        <xs:sequence>
          <xs:element minOccurs="0" name="Title" type="xs:string"/>
          <xs:element minOccurs="0" maxOccurs="unbounded" name="Token" type="tns:Token"/>
        </xs:sequence>
      </xs:complexType>
      <xs:element name="Send">
        <xs:complexType><xs:sequence>
          <xs:element maxOccurs="unbounded" name="Note" type="tns:Note"/>
        </xs:sequence></xs:complexType>
      </xs:element>
      <xs:element name="SendResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Send"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:SendResponse"/></wsdl:message>
  <wsdl:portType name="P">
    <wsdl:operation name="Send"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Send">
      <soap:operation soapAction="urn:t/Send" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="B" binding="tns:B"><soap:address location="https://x/s"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"#;

    const OPENAPI: &str = r#"{"openapi": "3.0.1", "info": {"title": "T", "version": "1"},
  "paths": {"/send": {"post": {
    "requestBody": {"content": {"application/json": {"schema": {"type": "object",
      "properties": {"subject": {"type": "string"}, "body": {"type": "string"}}}}}},
    "responses": {"202": {"description": "ok"}}}}}}"#;

    /// Resolves `links` (TOML for one operation's calls and links) against the fixture pair and
    /// returns the rendered errors, empty when it resolves.
    fn errors(links: &str) -> String {
        errors_with(WSDL, OPENAPI, links)
    }

    fn errors_with(wsdl: &str, openapi: &str, links: &str) -> String {
        let manifest = format!(
            "api = \"S\"\nstrategy = 1\n[sources]\nwsdl = \"s.wsdl\"\nopenapi = [\"o.json\"]\n\n[[operations]]\nsoap = \"Send\"\n{links}"
        );
        let dir = Path::new("/virtual/link-join");
        let mut sources = SourceMap::new();
        sources.register_virtual(dir.join("s.wsdl"), wsdl.to_owned());
        sources.register_virtual(dir.join("o.json"), openapi.to_owned());
        sources.register_virtual(dir.join("m.toml"), manifest);
        match load_mapping(
            &mut sources,
            &dir.join("m.toml"),
            &Overrides::default(),
            &Limits::default(),
        ) {
            Ok(_) => String::new(),
            Err(d) => sources.render_all(&d),
        }
    }

    #[test]
    fn a_non_json_success_response_is_read_whole_as_body() {
        let wsdl = WSDL.replace(
            "<xs:element name=\"SendResponse\"><xs:complexType><xs:sequence/></xs:complexType></xs:element>",
            "<xs:element name=\"SendResponse\"><xs:complexType><xs:sequence>\
             <xs:element minOccurs=\"0\" name=\"Data\" type=\"xs:base64Binary\"/>\
             </xs:sequence></xs:complexType></xs:element>",
        );
        let openapi = r#"{"openapi": "3.0.1", "info": {"title": "T", "version": "1"},
  "paths": {"/file": {"get": {"responses": {"200": {"description": "the bytes",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}}}}"#;
        let run = |from: &str| {
            errors_with(
                &wsdl,
                openapi,
                &format!(
                    r#"calls = [{{ name = "get", endpoint = "GET /file" }}]
inputs = [{{ from = "Send/Note", drop = "not sent" }}]
outputs = [{{ from = "{from}", to = "SendResponse/Data" }}]"#
                ),
            )
        };
        assert_eq!(run("body"), "", "the bytes, whole");
        let err = run("body.name");
        assert!(
            err.contains("has no JSON success response to read `name`"),
            "{err}"
        );
    }

    #[test]
    fn join_takes_the_values_of_a_repeated_element_below_the_loop() {
        let ok = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send", for_each = "Send/Note" }]
inputs = [
  { from = "Send/Note/Title", to = "body.subject" },
  { from = "Send/Note/Token/Value", to = "body.body", join = " " },
]"#,
        );
        assert_eq!(ok, "", "one value per Token: a list");
        // The loop's own repetition is used up by the loop: one Title per call is not a list.
        let err = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send", for_each = "Send/Note" }]
inputs = [
  { from = "Send/Note/Title", to = "body.subject", join = " " },
  { from = "Send/Note/Token/Value", to = "body.body", join = " " },
]"#,
        );
        assert!(err.contains("`join` needs a list source"), "{err}");
        assert!(!err.contains("Token/Value` is"), "{err}");
        // Without a loop, the repeated Note makes even Title a list.
        let ok = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send" }]
inputs = [
  { from = "Send/Note/Title", to = "body.subject", join = " " },
  { from = "Send/Note/Token/Value", to = "body.body", join = " " },
]"#,
        );
        assert_eq!(ok, "");
    }
}

/// Links typed against their own call's document; downloads that declare no content.
#[cfg(test)]
mod document_tests {
    use std::path::Path;

    use super::Resolved;
    use crate::diag::{Diagnostics, SourceMap};
    use crate::link::{Overrides, load_mapping};
    use crate::load::Limits;

    const WSDL: &str = r#"<?xml version="1.0"?>
<wsdl:definitions name="S" targetNamespace="urn:s" xmlns:tns="urn:s"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="urn:s">
      <xs:element name="Get"><xs:complexType><xs:sequence>
        <xs:element name="id" type="xs:string"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="GetResponse"><xs:complexType><xs:sequence>
        <xs:element name="Data" type="xs:base64Binary"/>
      </xs:sequence></xs:complexType></xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Get"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:GetResponse"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Get">
    <wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/>
  </wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Get"><soap:operation soapAction="urn:s/Get" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="B" binding="tns:B"><soap:address location="https://x/s"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"#;

    /// The first document: a download whose success response declares no content, and a `Kind`
    /// schema that clashes with the second document's.
    const FIRST: &str = r##"{ "openapi": "3.0.1", "info": { "title": "A", "version": "1" },
  "paths": {
    "/files/{id}": { "get": {
      "parameters": [
        { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
        { "name": "party", "in": "query", "schema": { "type": "integer", "format": "int32" } }
      ],
      "responses": { "200": { "description": "the file" } } } },
    "/files": { "post": {
      "requestBody": { "required": true, "content": { "application/octet-stream": {
        "schema": { "type": "string", "format": "binary" } } } },
      "responses": { "201": { "description": "stored" } } } }
  },
  "components": { "schemas": { "Kind": { "type": "string", "enum": ["p", "q"] } } } }"##;

    /// The second document: same schema name, other values; a named array in a response.
    const SECOND: &str = r##"{ "openapi": "3.0.1", "info": { "title": "B", "version": "1" },
  "paths": {
    "/things": {
      "get": { "responses": { "200": { "description": "ok", "content": { "application/json": {
        "schema": { "$ref": "#/components/schemas/Page" } } } } } },
      "post": {
        "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } },
        "responses": { "200": { "description": "ok" } } } }
  },
  "components": { "schemas": {
    "Kind": { "type": "string", "enum": ["x", "y"] },
    "Thing": { "type": "object", "properties": { "kind": { "$ref": "#/components/schemas/Kind" } } },
    "Things": { "type": "array", "items": { "$ref": "#/components/schemas/Thing" } },
    "Page": { "type": "object", "properties": { "items": { "$ref": "#/components/schemas/Things" } } }
  } } }"##;

    fn check(operation: &str) -> Result<(Resolved, Diagnostics), Diagnostics> {
        let manifest = format!(
            "api = \"S\"\nstrategy = 1\n[sources]\nwsdl = \"s.wsdl\"\nopenapi = [\"a.json\", \"b.json\"]\n\n[[operations]]\nsoap = \"Get\"\n{operation}"
        );
        let mut sources = SourceMap::new();
        let dir = Path::new("/virtual/link-tests");
        sources.register_virtual(dir.join("m.toml"), manifest);
        sources.register_virtual(dir.join("s.wsdl"), WSDL);
        sources.register_virtual(dir.join("a.json"), FIRST);
        sources.register_virtual(dir.join("b.json"), SECOND);
        load_mapping(
            &mut sources,
            &dir.join("m.toml"),
            &Overrides::default(),
            &Limits::default(),
        )
        .map(|(m, d)| (m.resolved, d))
    }

    fn messages(d: &Diagnostics) -> Vec<String> {
        d.0.iter().map(|d| d.message.clone()).collect()
    }

    #[test]
    fn links_are_typed_against_their_own_document() {
        // `x` is a value of the second document's `Kind`, not of the first's.
        let ok = check(
            r#"calls = [{ name = "add", endpoint = "POST /things" }]
inputs = [
  { from = "Get/id", drop = "not needed" },
  { value = "x", to = "body.kind" },
]"#,
        );
        let (_, warnings) = ok.unwrap_or_else(|d| panic!("{:?}", messages(&d)));
        assert!(warnings.is_empty(), "{:?}", messages(&warnings));
        let bad = check(
            r#"calls = [{ name = "add", endpoint = "POST /things" }]
inputs = [
  { from = "Get/id", drop = "not needed" },
  { value = "p", to = "body.kind" },
]"#,
        );
        let errors = messages(&bad.expect_err("`p` is not a value of the second `Kind`"));
        assert!(errors.iter().any(|m| m.contains("value `p`")), "{errors:?}");
    }

    #[test]
    fn loops_over_a_later_documents_named_array() {
        let r = check(
            r#"calls = [
  { name = "list", endpoint = "GET /things" },
  { name = "add", endpoint = "POST /things", for_each = "list: items" },
]
inputs = [
  { from = "Get/id", drop = "not needed" },
  { into = "add", call = "list", from = "items[].kind", to = "body.kind" },
]"#,
        );
        r.unwrap_or_else(|d| panic!("{:?}", messages(&d)));
    }

    #[test]
    fn a_download_body_is_read_as_bytes_and_instance_ids_split() {
        let (_, warnings) = check(
            r#"calls = [{ name = "file", endpoint = "GET /files/{id}" }]
inputs = [
  { from = "Get/id", to = "path.id", format = "instance-guid" },
  { from = "Get/id", to = "query.party", format = "instance-party-id" },
]
outputs = [{ from = "body", to = "GetResponse/Data" }]"#,
        )
        .unwrap_or_else(|d| panic!("{:?}", messages(&d)));
        let w = messages(&warnings);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("declares no content"), "{w:?}");
        let uuid = check(
            r#"calls = [{ name = "file", endpoint = "GET /files/{id}" }]
inputs = [{ from = "Get/id", to = "path.id", format = "uuid" }]"#,
        );
        let (_, w) = uuid.unwrap_or_else(|d| panic!("{:?}", messages(&d)));
        assert!(
            w.is_empty(),
            "an explicit parse is not a warning: {:?}",
            messages(&w)
        );
        // Text is not bytes unless it is encoded on purpose.
        let upload = r#"calls = [{ name = "put", endpoint = "POST /files" }]
inputs = [{ from = "Get/id", to = "body" FORMAT }]"#;
        let clash = check(&upload.replace("FORMAT", ""));
        let errors = messages(&clash.expect_err("text into bytes needs a format"));
        assert!(
            errors.iter().any(|m| m.contains("type clash")),
            "{errors:?}"
        );
        check(&upload.replace("FORMAT", ", format = \"utf-8\""))
            .unwrap_or_else(|d| panic!("{:?}", messages(&d)));
        let part = check(
            r#"calls = [{ name = "file", endpoint = "GET /files/{id}" }]
inputs = [{ from = "Get/id", to = "path.id" }]
outputs = [{ from = "body.name", to = "GetResponse/Data" }]"#,
        );
        let errors = messages(&part.expect_err("a path into a body that is not JSON"));
        assert!(
            errors
                .iter()
                .any(|m| m.contains("no JSON success response")),
            "{errors:?}"
        );
    }
}
