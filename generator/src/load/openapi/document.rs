//! The document level: the `openapi` version, reading the structure with `openapiv3` (with
//! errors put where they are), and security schemes.

use openapiv3 as oa;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::locate::{Locator, child, lookup};
use super::schema::wrong_type;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::SecurityScheme;

/// The OpenAPI minor version a document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Version {
    /// 3.0.x.
    V30,
    /// 3.1.x.
    V31,
}

/// Checks that the root is an OpenAPI 3.0/3.1 object and says which.
pub(super) fn version(root: &Value, loc: &Locator) -> Result<Version, Diagnostic> {
    let Some(obj) = root.as_object() else {
        return Err(wrong_type(
            loc,
            "",
            root,
            "an OpenAPI object at the top level",
        ));
    };
    match obj.get("openapi") {
        Some(Value::String(v)) if v == "3.0" || v.starts_with("3.0.") => Ok(Version::V30),
        Some(Value::String(v)) if v == "3.1" || v.starts_with("3.1.") => Ok(Version::V31),
        Some(Value::String(v)) => Err(Diagnostic::error(format!("unsupported OpenAPI version `{v}`"))
            .at(loc.value_span("/openapi"), "not 3.0 or 3.1")
            .note("expected `openapi: 3.0.x` or `openapi: 3.1.x`")),
        Some(other) => Err(wrong_type(loc, "/openapi", other, "a version string such as \"3.1.0\"")),
        None if obj.contains_key("swagger") => Err(Diagnostic::error("Swagger 2.0 documents are not supported")
            .at(loc.span("/swagger"), "a Swagger 2.0 document")
            .note("expected an OpenAPI 3.0 or 3.1 document (`openapi: 3.x.y`); convert it first, e.g. with swagger2openapi")),
        None => Err(Diagnostic::error("not an OpenAPI document: the `openapi` field is missing")
            .at(loc.span(""), "document starts here")
            .note("expected `openapi: 3.0.x` or `openapi: 3.1.x` at the top level")),
    }
}

/// A value of the wrong shape for the OpenAPI object expected at `ptr`.
pub(super) fn shape_error(loc: &Locator, ptr: &str, msg: &str) -> Diagnostic {
    let msg = msg.split(" at line ").next().unwrap_or(msg);
    Diagnostic::error(format!("invalid OpenAPI object: {msg}"))
        .at(loc.span(ptr), "in this object")
        .note("expected the fields and types OpenAPI 3.x defines for this object")
}

/// Reads the document with `openapiv3`. On failure, finds the smallest object that does not
/// read (serde's messages carry no position) and reports there.
pub(super) fn read(doc: &Value, loc: &Locator) -> Result<oa::OpenAPI, Diagnostic> {
    oa::OpenAPI::deserialize(doc).map_err(|e| {
        let (ptr, msg) = localise(doc).unwrap_or_else(|| (String::new(), e.to_string()));
        shape_error(loc, &ptr, &msg)
    })
}

/// The first object of the document that fails to read as what OpenAPI says it is, deepest
/// first, with serde's message.
fn localise(doc: &Value) -> Option<(String, String)> {
    if let Some(hit) = fails::<oa::Info>(doc, "/info") {
        return Some(hit);
    }
    for (ptr, v) in entries(doc, "/servers") {
        if let Some(e) = try_as::<oa::Server>(v) {
            return Some((ptr, e));
        }
    }
    for (ptr, item) in entries(doc, "/paths") {
        if let Some(hit) = path_item(item, &ptr) {
            return Some(hit);
        }
    }
    for (kind, check) in [
        (
            "parameters",
            try_as::<oa::ReferenceOr<oa::Parameter>> as fn(&Value) -> Option<String>,
        ),
        ("requestBodies", try_as::<oa::ReferenceOr<oa::RequestBody>>),
        ("responses", try_as::<oa::ReferenceOr<oa::Response>>),
        ("headers", try_as::<oa::ReferenceOr<oa::Header>>),
    ] {
        for (ptr, v) in entries(doc, &format!("/components/{kind}")) {
            if let Some(e) = check(v) {
                return Some((ptr, e));
            }
        }
    }
    for (ptr, v) in entries(doc, "/security") {
        if let Some(e) = try_as::<oa::SecurityRequirement>(v) {
            return Some((ptr, e));
        }
    }
    for (ptr, v) in entries(doc, "/tags") {
        if let Some(e) = try_as::<oa::Tag>(v) {
            return Some((ptr, e));
        }
    }
    try_as::<oa::OpenAPI>(doc).map(|e| (String::new(), e))
}

fn path_item(item: &Value, ptr: &str) -> Option<(String, String)> {
    for (key, v) in item.as_object().into_iter().flatten() {
        let optr = child(ptr, key);
        let hit = match key.as_str() {
            "parameters" => params(v, &optr),
            k if crate::model::HttpMethod::from_key(k).is_some() => operation(v, &optr),
            _ => None,
        };
        if hit.is_some() {
            return hit;
        }
    }
    try_as::<oa::ReferenceOr<oa::PathItem>>(item).map(|e| (ptr.to_owned(), e))
}

fn params(list: &Value, ptr: &str) -> Option<(String, String)> {
    let items = list.as_array().into_iter().flatten().enumerate();
    items.into_iter().find_map(|(i, p)| {
        try_as::<oa::ReferenceOr<oa::Parameter>>(p).map(|e| (child(ptr, &i.to_string()), e))
    })
}

fn operation(op: &Value, ptr: &str) -> Option<(String, String)> {
    if let Some(hit) = op
        .get("parameters")
        .and_then(|v| params(v, &child(ptr, "parameters")))
    {
        return Some(hit);
    }
    if let Some(e) = op
        .get("requestBody")
        .and_then(try_as::<oa::ReferenceOr<oa::RequestBody>>)
    {
        return Some((child(ptr, "requestBody"), e));
    }
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    for (code, r) in responses.filter(|(k, _)| !k.starts_with("x-")) {
        if let Some(e) = try_as::<oa::ReferenceOr<oa::Response>>(r) {
            return Some((child(&child(ptr, "responses"), code), e));
        }
    }
    try_as::<oa::Operation>(op).map(|e| (ptr.to_owned(), e))
}

/// The members (object) or items (array) at `ptr`, with their pointers.
fn entries<'v>(doc: &'v Value, ptr: &str) -> Vec<(String, &'v Value)> {
    match lookup(doc, ptr) {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (child(ptr, k), v)).collect(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (child(ptr, &i.to_string()), v))
            .collect(),
        _ => Vec::new(),
    }
}

fn fails<T: DeserializeOwned>(doc: &Value, ptr: &str) -> Option<(String, String)> {
    lookup(doc, ptr)
        .and_then(try_as::<T>)
        .map(|e| (ptr.to_owned(), e))
}

fn try_as<T: DeserializeOwned>(v: &Value) -> Option<String> {
    T::deserialize(v).err().map(|e| e.to_string())
}

/// `components.securitySchemes` (read here rather than by `openapiv3`, which knows no
/// `mutualTLS`), sorted by name.
pub(super) fn security_schemes(
    schemes: Option<&Value>,
    loc: &Locator,
    diags: &mut Diagnostics,
) -> Vec<SecurityScheme> {
    let base = "/components/securitySchemes";
    let Some(schemes) = schemes else {
        return Vec::new();
    };
    let Some(map) = schemes.as_object() else {
        diags.push(wrong_type(
            loc,
            base,
            schemes,
            "an object of security scheme names to schemes",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, v) in map {
        let ptr = child(base, name);
        let doc = v
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if v.get("type").is_some_and(|t| t == "mutualTLS") {
            out.push(SecurityScheme {
                name: name.clone(),
                kind: "mutualTLS".into(),
                detail: None,
                scopes: Vec::new(),
                doc,
            });
            continue;
        }
        match oa::SecurityScheme::deserialize(v) {
            Ok(s) => out.push(scheme(name, s, doc)),
            Err(e) => diags.push(shape_error(loc, &ptr, &e.to_string())),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn scheme(name: &str, s: oa::SecurityScheme, doc: Option<String>) -> SecurityScheme {
    let (kind, detail, mut scopes) = match s {
        oa::SecurityScheme::APIKey { location, name, .. } => {
            let at = match location {
                oa::APIKeyLocation::Query => "query",
                oa::APIKeyLocation::Header => "header",
                oa::APIKeyLocation::Cookie => "cookie",
            };
            ("apiKey", Some(format!("{at}: {name}")), Vec::new())
        }
        oa::SecurityScheme::HTTP { scheme, .. } => ("http", Some(scheme), Vec::new()),
        oa::SecurityScheme::OAuth2 { flows, .. } => {
            let mut kinds = Vec::new();
            let mut scopes: Vec<String> = Vec::new();
            if let Some(f) = &flows.implicit {
                kinds.push("implicit");
                scopes.extend(f.scopes.keys().cloned());
            }
            if let Some(f) = &flows.password {
                kinds.push("password");
                scopes.extend(f.scopes.keys().cloned());
            }
            if let Some(f) = &flows.client_credentials {
                kinds.push("clientCredentials");
                scopes.extend(f.scopes.keys().cloned());
            }
            if let Some(f) = &flows.authorization_code {
                kinds.push("authorizationCode");
                scopes.extend(f.scopes.keys().cloned());
            }
            (
                "oauth2",
                Some(kinds.join(", ")).filter(|k| !k.is_empty()),
                scopes,
            )
        }
        oa::SecurityScheme::OpenIDConnect {
            open_id_connect_url,
            ..
        } => ("openIdConnect", Some(open_id_connect_url), Vec::new()),
    };
    scopes.sort();
    scopes.dedup();
    SecurityScheme {
        name: name.to_owned(),
        kind: kind.to_owned(),
        detail,
        scopes,
        doc,
    }
}
