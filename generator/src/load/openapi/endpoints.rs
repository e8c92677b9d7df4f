//! Paths, operations and webhooks (as `openapiv3` reads them) into model [`Endpoint`]s.
//!
//! `$ref`ed parameters, request bodies, responses, headers and path items are resolved against
//! the document's `Value` (any local pointer, chains followed), and every schema is converted by
//! pointer through [`Schemas`], so inline schemas get ids that say where they are.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use openapiv3 as oa;
use openapiv3::ReferenceOr;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::locate::{Locator, child, lookup, ref_to_pointer};
use super::names;
use super::schema::{Hint, Schemas, Shape, wrong_type};
use crate::diag::Diagnostic;
use crate::model::{
    Builtin, Endpoint, EndpointId, HttpMethod, MediaContent, ParamLocation, Parameter, RequestBody,
    Response, SecurityRequirement, TypeRef, Webhook,
};

/// Longest chain of `$ref` → `$ref` followed.
const MAX_REF_CHAIN: usize = 32;

/// One operation found in the document, before it is converted.
struct Found<'i> {
    path: String,
    method: HttpMethod,
    op: &'i oa::Operation,
    item_params: &'i [ReferenceOr<oa::Parameter>],
    op_ptr: String,
    item_ptr: String,
}

/// Builds endpoints and webhooks of one document.
pub(super) struct Endpoints<'a, 's> {
    /// The document as `openapiv3` read it (schemas, webhooks and security schemes taken out).
    pub api: &'a oa::OpenAPI,
    /// The whole normalised document.
    pub root: &'a Value,
    /// Spans.
    pub loc: &'a Locator,
    /// Schema conversion and the diagnostics list.
    pub schemas: &'s mut Schemas<'a>,
    /// Endpoint names in use (given operationIds are reserved up front).
    pub taken: BTreeSet<String>,
    /// Given operationIds already assigned to an endpoint.
    pub claimed: BTreeSet<String>,
}

impl<'a> Endpoints<'a, '_> {
    /// Every path operation, sorted by path then method, named.
    pub(super) fn paths(&mut self) -> Vec<Endpoint> {
        let api = self.api;
        let mut items = Vec::new();
        for (path, item) in &api.paths.paths {
            let item_ptr = child("/paths", path);
            if let Some((item, item_ptr)) = self.resolve(item, &item_ptr, "path item") {
                items.push((path, item, item_ptr));
            }
        }
        let mut found: Vec<Found<'_>> = items
            .iter()
            .flat_map(|(path, item, item_ptr)| operations(item, path, item_ptr))
            .collect();
        found.sort_by(|a, b| (&a.path, a.method).cmp(&(&b.path, b.method)));
        self.reserve_operation_ids(&found);
        found
            .iter()
            .map(|f| {
                let id = EndpointId(format!("{} {}", f.method.as_str(), f.path));
                let derived = names::derive(f.method, &f.path);
                self.endpoint(f, id, derived)
            })
            .collect()
    }

    /// The webhooks of `webhooks` (a `Value`, as `openapiv3` drops them), sorted by name.
    pub(super) fn webhooks(&mut self, webhooks: Option<&'a Value>) -> Vec<Webhook> {
        let Some(webhooks) = webhooks else {
            return Vec::new();
        };
        let Some(map) = webhooks.as_object() else {
            self.schemas.diags.push(wrong_type(
                self.loc,
                "/webhooks",
                webhooks,
                "an object of webhook names to path items",
            ));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, v) in map {
            let ptr = child("/webhooks", name);
            let item: ReferenceOr<oa::PathItem> = match ReferenceOr::deserialize(v) {
                Ok(item) => item,
                Err(e) => {
                    self.shape_error(&ptr, &e.to_string());
                    continue;
                }
            };
            let Some((item, item_ptr)) = self.resolve(&item, &ptr, "path item") else {
                continue;
            };
            let mut found = operations(&item, "", &item_ptr);
            found.sort_by_key(|f| f.method);
            self.reserve_operation_ids(&found);
            let operations = found
                .iter()
                .map(|f| {
                    let id = EndpointId(format!("webhook {name} {}", f.method.as_str()));
                    self.endpoint(f, id, names::derive_webhook(f.method, name))
                })
                .collect();
            out.push(Webhook {
                name: name.clone(),
                operations,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Given operationIds are taken first, so derived names never steal them; a repeated
    /// operationId is reported.
    fn reserve_operation_ids(&mut self, found: &[Found<'_>]) {
        for f in found {
            if let Some(id) = &f.op.operation_id {
                if !self.taken.insert(id.clone()) {
                    let d = Diagnostic::warning(format!(
                        "operationId `{id}` is used more than once"
                    ))
                    .at(
                        self.loc.span(&child(&f.op_ptr, "operationId")),
                        "repeated here",
                    )
                    .note("expected unique operationIds; a numbered suffix keeps the names apart");
                    self.schemas.diags.push(d);
                }
            }
        }
    }

    fn endpoint(&mut self, f: &Found<'_>, id: EndpointId, derived: String) -> Endpoint {
        let (name, name_derived) = match &f.op.operation_id {
            // Taken already by `reserve_operation_ids`; a repeat gets a suffix.
            Some(op_id) if self.claimed.insert(op_id.clone()) => (op_id.clone(), false),
            Some(op_id) => (names::unique(&mut self.taken, op_id), false),
            None => (names::unique(&mut self.taken, &derived), true),
        };
        let hint = name.to_upper_camel_case();
        let params = self.params(f, &hint);
        let body =
            f.op.request_body
                .as_ref()
                .and_then(|rb| self.body(rb, &child(&f.op_ptr, "requestBody"), &hint));
        let responses = self.responses(&f.op.responses, &child(&f.op_ptr, "responses"), &hint);
        let security =
            f.op.security
                .as_ref()
                .or(self.api.security.as_ref())
                .map(|s| requirements(s))
                .unwrap_or_default();
        Endpoint {
            id,
            method: f.method,
            path: f.path.clone(),
            name,
            name_derived,
            summary: f.op.summary.clone(),
            doc: f.op.description.clone(),
            tags: f.op.tags.clone(),
            deprecated: f.op.deprecated,
            params,
            body,
            responses,
            security,
            extensions: f
                .op
                .extensions
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            span: Some(self.loc.span(&f.op_ptr)),
        }
    }

    /// Path-level parameters merged with the operation's (which win), sorted by location, name.
    fn params(&mut self, f: &Found<'_>, hint: &str) -> Vec<Parameter> {
        let mut merged: BTreeMap<(ParamLocation, String), Parameter> = BTreeMap::new();
        let levels = [
            (f.item_params, child(&f.item_ptr, "parameters")),
            (f.op.parameters.as_slice(), child(&f.op_ptr, "parameters")),
        ];
        for (list, base) in levels {
            for (i, p) in list.iter().enumerate() {
                let ptr = child(&base, &i.to_string());
                let Some((p, ptr)) = self.resolve(p, &ptr, "parameter") else {
                    continue;
                };
                let p = self.param(&p, &ptr, hint);
                merged.insert((p.location, p.name.clone()), p);
            }
        }
        merged.into_values().collect()
    }

    fn param(&mut self, p: &oa::Parameter, ptr: &str, hint: &str) -> Parameter {
        use oa::{CookieStyle, HeaderStyle, PathStyle, QueryStyle};
        let (location, style) = match p {
            oa::Parameter::Query { style, .. } => (
                ParamLocation::Query,
                match style {
                    QueryStyle::Form => "form",
                    QueryStyle::SpaceDelimited => "spaceDelimited",
                    QueryStyle::PipeDelimited => "pipeDelimited",
                    QueryStyle::DeepObject => "deepObject",
                },
            ),
            oa::Parameter::Header {
                style: HeaderStyle::Simple,
                ..
            } => (ParamLocation::Header, "simple"),
            oa::Parameter::Path { style, .. } => (
                ParamLocation::Path,
                match style {
                    PathStyle::Simple => "simple",
                    PathStyle::Label => "label",
                    PathStyle::Matrix => "matrix",
                },
            ),
            oa::Parameter::Cookie {
                style: CookieStyle::Form,
                ..
            } => (ParamLocation::Cookie, "form"),
        };
        let data = p.parameter_data_ref();
        if location == ParamLocation::Path && !data.required {
            let d = Diagnostic::warning(format!(
                "path parameter `{}` is not marked required",
                data.name
            ))
            .at(self.loc.span(ptr), "treated as required")
            .note("expected `required: true`: path parameters are always sent");
            self.schemas.diags.push(d);
        }
        let shape = self.schema_or_content(&data.format, ptr, Hint(hint, &data.name));
        Parameter {
            name: data.name.clone(),
            location,
            required: data.required || location == ParamLocation::Path,
            ty: shape.ty,
            nullable: shape.nullable,
            style: style.to_owned(),
            // `form` explodes by default, every other style does not.
            explode: data.explode.unwrap_or(style == "form"),
            deprecated: data.deprecated.unwrap_or(false),
            doc: data.description.clone(),
        }
    }

    fn schema_or_content(
        &mut self,
        f: &oa::ParameterSchemaOrContent,
        ptr: &str,
        hint: Hint<'_>,
    ) -> Shape {
        match f {
            oa::ParameterSchemaOrContent::Schema(_) => {
                self.schemas.type_at(&child(ptr, "schema"), hint)
            }
            oa::ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((mt, m)) if m.schema.is_some() => self
                    .schemas
                    .type_at(&child(&child(&child(ptr, "content"), mt), "schema"), hint),
                _ => Shape {
                    ty: TypeRef::Builtin(Builtin::AnyType),
                    nullable: false,
                },
            },
        }
    }

    fn body(
        &mut self,
        rb: &ReferenceOr<oa::RequestBody>,
        ptr: &str,
        hint: &str,
    ) -> Option<RequestBody> {
        let (rb, ptr) = self.resolve(rb, ptr, "request body")?;
        Some(RequestBody {
            required: rb.required,
            content: self.content(&rb.content, &ptr, Hint(hint, "Request")),
            doc: rb.description.clone(),
        })
    }

    fn content(&mut self, content: &oa::Content, ptr: &str, hint: Hint<'_>) -> Vec<MediaContent> {
        let base = child(ptr, "content");
        let mut out: Vec<MediaContent> = content
            .iter()
            .map(|(mt, m)| MediaContent {
                media_type: mt.clone(),
                ty: m.schema.as_ref().map(|_| {
                    self.schemas
                        .type_at(&child(&child(&base, mt), "schema"), hint)
                        .ty
                }),
            })
            .collect();
        out.sort_by(|a, b| a.media_type.cmp(&b.media_type));
        out
    }

    fn responses(&mut self, rs: &oa::Responses, ptr: &str, hint: &str) -> Vec<Response> {
        let raw_keys: Vec<&String> = lookup(self.root, ptr)
            .and_then(Value::as_object)
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        let mut all: Vec<(String, &ReferenceOr<oa::Response>)> = rs
            .responses
            .iter()
            .map(|(code, r)| (code.to_string(), r))
            .collect();
        all.extend(rs.default.as_ref().map(|r| ("default".to_owned(), r)));
        let mut out = Vec::new();
        for (status, r) in all {
            // The key as written (`4xx`, `200` or 200 in YAML) for the pointer.
            let key = raw_keys
                .iter()
                .find(|k| k.eq_ignore_ascii_case(&status))
                .map_or(status.clone(), |k| (*k).clone());
            let Some((r, rptr)) = self.resolve(r, &child(ptr, &key), "response") else {
                continue;
            };
            let mut headers: Vec<Parameter> = r
                .headers
                .iter()
                .filter_map(|(name, h)| {
                    let (h, hptr) =
                        self.resolve(h, &child(&child(&rptr, "headers"), name), "header")?;
                    let shape = self.schema_or_content(&h.format, &hptr, Hint(hint, name));
                    Some(Parameter {
                        name: name.clone(),
                        location: ParamLocation::Header,
                        required: h.required,
                        ty: shape.ty,
                        nullable: shape.nullable,
                        style: "simple".to_owned(),
                        explode: false,
                        deprecated: h.deprecated.unwrap_or(false),
                        doc: h.description.clone(),
                    })
                })
                .collect();
            headers.sort_by(|a, b| a.name.cmp(&b.name));
            let content =
                self.content(&r.content, &rptr, Hint(hint, &format!("response_{status}")));
            let doc = Some(r.description.clone()).filter(|d| !d.is_empty());
            out.push(Response {
                status,
                doc,
                content,
                headers,
            });
        }
        out.sort_by(|a, b| a.status.cmp(&b.status));
        out
    }

    /// The object itself, or what its `$ref` points at (chains followed), with its pointer.
    fn resolve<'x, T: DeserializeOwned + Clone>(
        &mut self,
        item: &'x ReferenceOr<T>,
        ptr: &str,
        what: &str,
    ) -> Option<(Cow<'x, T>, String)> {
        let mut reference = match item {
            ReferenceOr::Item(t) => return Some((Cow::Borrowed(t), ptr.to_owned())),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        let mut at = child(ptr, "$ref");
        for _ in 0..MAX_REF_CHAIN {
            let Some(target) = ref_to_pointer(&reference) else {
                self.ref_error(
                    &at,
                    format!("external reference `{reference}` is not supported"),
                    "refers outside this document",
                    what,
                );
                return None;
            };
            let Some(v) = lookup(self.root, &target) else {
                self.ref_error(
                    &at,
                    format!("dangling $ref `{reference}`: no {what} is defined there"),
                    "nothing at this pointer",
                    what,
                );
                return None;
            };
            if let Some(next) = v.get("$ref").and_then(Value::as_str) {
                reference = next.to_owned();
                at = child(&target, "$ref");
                continue;
            }
            return match T::deserialize(v) {
                Ok(t) => Some((Cow::Owned(t), target)),
                Err(e) => {
                    self.shape_error(&target, &e.to_string());
                    None
                }
            };
        }
        self.ref_error(
            &at,
            format!("reference `{reference}` leads into a cycle of references"),
            "here",
            what,
        );
        None
    }

    fn ref_error(&mut self, at: &str, msg: String, label: &str, what: &str) {
        let d = Diagnostic::error(msg)
            .at(self.loc.value_span(at), label)
            .note(format!(
                "expected a local reference to a {what} of this document, e.g. `#/components/...`"
            ));
        self.schemas.diags.push(d);
    }

    fn shape_error(&mut self, ptr: &str, msg: &str) {
        self.schemas
            .diags
            .push(super::document::shape_error(self.loc, ptr, msg));
    }
}

/// The operations of one path item.
fn operations<'i>(item: &'i oa::PathItem, path: &str, item_ptr: &str) -> Vec<Found<'i>> {
    item.iter()
        .filter_map(|(key, op)| {
            Some(Found {
                path: path.to_owned(),
                method: HttpMethod::from_key(key)?,
                op,
                item_params: &item.parameters,
                op_ptr: child(item_ptr, key),
                item_ptr: item_ptr.to_owned(),
            })
        })
        .collect()
}

/// Requirements flattened to scheme + scopes, sorted and without repeats.
pub(super) fn requirements(reqs: &[oa::SecurityRequirement]) -> Vec<SecurityRequirement> {
    let mut out: Vec<SecurityRequirement> = reqs
        .iter()
        .flat_map(|r| r.iter())
        .map(|(scheme, scopes)| {
            let mut scopes = scopes.clone();
            scopes.sort();
            SecurityRequirement {
                scheme: scheme.clone(),
                scopes,
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
