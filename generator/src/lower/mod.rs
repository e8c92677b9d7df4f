//! The lower stage: the decisions between a resolved manifest ([`crate::link::Resolved`]) and the
//! emitters, made once. Per call: how its body is sent, whether it may be retried and why; per
//! API: the settings and lookup tables it needs at run time. The Rust emitter writes these into
//! the generated plan, the docs emitter shows them, so code and documentation cannot disagree.
//! A link the runtime could not honour (a cookie parameter) is refused here, with its span,
//! instead of being moved somewhere else when code is written.

use std::collections::BTreeSet;

use altinn_bridge_vocab::{BodyKind, Method, ParamIn, Retry, SYSTEM_USER_ORG};

use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{Call, FieldLink, OpLink, Resolved, Source, Target, Transform};
use crate::model::ParamLocation;

/// What was decided for one manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lowered {
    /// Per operation of the resolved manifest, in its order.
    pub operations: Vec<LoweredOp>,
    /// The `config` keys its links read (sorted), the system user's organisation among them
    /// when the API acts through a system user.
    pub settings: Vec<String>,
    /// The lookup tables its transforms name (sorted).
    pub tables: Vec<String>,
}

/// What was decided for one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoweredOp {
    /// Per call, in the operation's order.
    pub calls: Vec<LoweredCall>,
}

/// What was decided for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoweredCall {
    /// Its method.
    pub method: Method,
    /// How its body is sent (from the media type the manifest chose).
    pub body: BodyKind<String>,
    /// Whether it may be sent again when the outcome is unknown.
    pub retry: Retry,
    /// For [`Retry::IdempotencyKey`]: where the key goes (`body.idempotentKey`,
    /// `header Idempotency-Key`).
    pub retry_key: Option<String>,
    /// The media type the call asks for (`Accept`): the JSON one when a success response
    /// declares JSON, since a server (or a mock) may otherwise pick another declared type
    /// (ASP.NET documents `text/plain` first); `None` (any) for files and empty answers.
    pub accept: Option<String>,
}

/// Lowers a resolved manifest; errors (with spans) for links the runtime cannot honour.
pub fn lower(r: &Resolved) -> Result<Lowered, Diagnostics> {
    let mut errors = Diagnostics::default();
    let operations = r
        .operations
        .iter()
        .map(|op| LoweredOp {
            calls: op.calls.iter().map(|c| call(op, c)).collect(),
        })
        .collect();
    for op in &r.operations {
        for l in &op.inputs {
            if let Err(d) = param_in_of(l).and_then(|_| in_the_path(op, l)) {
                errors.0.push(d);
            }
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let (settings, tables) = needs(r);
    Ok(Lowered {
        operations,
        settings,
        tables,
    })
}

/// Where a parameter link's value goes; a cookie is refused.
pub fn param_in_of(l: &FieldLink) -> Result<Option<ParamIn>, Diagnostic> {
    let Target::Param { location, name, .. } = &l.to else {
        return Ok(None);
    };
    match location {
        ParamLocation::Path => Ok(Some(ParamIn::Path)),
        ParamLocation::Query => Ok(Some(ParamIn::Query)),
        ParamLocation::Header => Ok(Some(ParamIn::Header)),
        ParamLocation::Cookie => {
            let mut d = Diagnostic::error(format!(
                "the cookie parameter `{name}` cannot be sent: the runtime sends no cookies"
            ))
            .note("link a header, query or path parameter, or drop the field with a reason");
            if let Some(span) = &l.span {
                d = d.at(*span, "links to a cookie");
            }
            Err(d)
        }
    }
}

/// A path parameter link's parameter is in its call's path template: a spec may declare one
/// that is not (the App API's `dataType`), and a value linked to it would go nowhere.
fn in_the_path(op: &OpLink, l: &FieldLink) -> Result<(), Diagnostic> {
    let Target::Param {
        call,
        location: ParamLocation::Path,
        name,
        ..
    } = &l.to
    else {
        return Ok(());
    };
    let Some(c) = op.calls.iter().find(|c| &c.name == call) else {
        return Ok(());
    };
    if crate::model::path_uses(&c.path, name) {
        return Ok(());
    }
    let mut d = Diagnostic::error(format!(
        "the path parameter `{name}` is not in the path `{}`: a value linked to it would go nowhere",
        c.path
    ))
    .note("the spec declares a parameter its path does not use; drop the field with a reason");
    if let Some(span) = &l.span {
        d = d.at(*span, "links to it");
    }
    Err(d)
}

fn call(op: &OpLink, c: &Call) -> LoweredCall {
    let body = c
        .body
        .clone()
        .map_or(BodyKind::None, BodyKind::of_media_type);
    let (retry, retry_key) = if c.method.is_idempotent() {
        (Retry::IdempotentMethod, None)
    } else {
        match idempotency_key(op, c) {
            Some(key) => (Retry::IdempotencyKey, Some(key)),
            None => (Retry::Never, None),
        }
    };
    LoweredCall {
        method: c.method,
        body,
        retry,
        retry_key,
        accept: accept(&c.answers),
    }
}

/// What a call answering `answers` asks for: `application/json` when declared, else the first
/// JSON media type declared (`application/problem+json` is an error's, never a success's), else
/// nothing.
fn accept(answers: &[String]) -> Option<String> {
    let json = |m: &&String| BodyKind::of_media_type(m.as_str()) == BodyKind::Json;
    answers
        .iter()
        .find(|m| m.as_str() == "application/json")
        .or_else(|| answers.iter().find(json))
        .cloned()
}

/// Where a link fills an idempotency key of `c`: a body property whose name starts with
/// `idempot` (`idempotentKey`, `idempotencyKey`) or the `Idempotency-Key` header. A key filled
/// by a link makes a repeat of the same request a no-op at the API, so the call may be retried.
fn idempotency_key(op: &OpLink, c: &Call) -> Option<String> {
    op.inputs.iter().find_map(|l| match &l.to {
        Target::Body { call, path } if call == &c.name => path
            .steps
            .last()
            .filter(|s| s.name.to_ascii_lowercase().starts_with("idempot"))
            .map(|_| format!("body.{}", path.text)),
        Target::Param {
            call,
            location: ParamLocation::Header,
            name,
            ..
        } if call == &c.name && name.eq_ignore_ascii_case("idempotency-key") => {
            Some(format!("header {name}"))
        }
        _ => None,
    })
}

/// The settings and tables the manifest's links read.
fn needs(r: &Resolved) -> (Vec<String>, Vec<String>) {
    let mut settings = BTreeSet::new();
    let mut tables = BTreeSet::new();
    for op in &r.operations {
        for l in op.inputs.iter().chain(&op.outputs) {
            if let Source::Config { key } = &l.from {
                settings.insert(key.clone());
            }
            for t in &l.transforms {
                if let Transform::Lookup { table } = t {
                    tables.insert(table.clone());
                }
            }
        }
    }
    if r.auth.as_ref().is_some_and(|a| a.system_user) {
        settings.insert(SYSTEM_USER_ORG.to_owned());
    }
    (settings.into_iter().collect(), tables.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use altinn_bridge_vocab::{BodyKind, Method, Retry};

    use crate::diag::SourceMap;
    use crate::link::{Overrides, load_mapping};
    use crate::load::Limits;

    const WSDL: &str = r#"<wsdl:definitions name="S" targetNamespace="urn:s" xmlns:tns="urn:s"
        xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/">
      <wsdl:types>
        <xs:schema elementFormDefault="qualified" targetNamespace="urn:s" xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="Send"><xs:complexType><xs:sequence>
            <xs:element name="ref" type="xs:string"/><xs:element name="code" type="xs:string"/>
          </xs:sequence></xs:complexType></xs:element>
          <xs:element name="SendResponse"><xs:complexType><xs:sequence>
            <xs:element name="Id" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
        </xs:schema>
      </wsdl:types>
      <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Send"/></wsdl:message>
      <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:SendResponse"/></wsdl:message>
      <wsdl:portType name="P"><wsdl:operation name="Send">
        <wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
      <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
        <wsdl:operation name="Send"><soap:operation soapAction="urn:s/Send" style="document"/>
          <wsdl:input><soap:body use="literal"/></wsdl:input>
          <wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
      <wsdl:service name="S"><wsdl:port name="B" binding="tns:B">
        <soap:address location="https://example.invalid/s"/></wsdl:port></wsdl:service>
    </wsdl:definitions>"#;

    const OPENAPI: &str = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
      "paths": {
        "/items": {"post": {
          "parameters": [{"name": "session", "in": "cookie", "schema": {"type": "string"}}],
          "requestBody": {"content": {"application/problem+json": {"schema": {"type": "object",
            "properties": {"idempotentKey": {"type": "string"}, "resource": {"type": "string"},
                           "sender": {"type": "string"}}}}}},
          "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}},
        "/items/{id}": {"get": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                         {"name": "ghost", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}}}}"#;

    /// Lowers a manifest with two calls; `extra` adds input links.
    fn lowered(extra: &str) -> Result<super::Lowered, String> {
        let manifest = format!(
            r#"api = "S"
strategy = 1
[sources]
wsdl = "s.wsdl"
openapi = ["a.json"]
[[operations]]
soap = "Send"
calls = [
  {{ name = "send", endpoint = "POST /items", body = "application/problem+json" }},
  {{ name = "get", endpoint = "GET /items/{{id}}" }},
]
[[operations.inputs]]
into = "send"
from = "Send/code"
to = "body.resource"
lookup = "resource_ids"
[[operations.inputs]]
into = "send"
config = "sender"
to = "body.sender"
[[operations.inputs]]
into = "get"
call = "send"
from = "id"
to = "path.id"
{extra}
[[operations.outputs]]
call = "get"
from = "id"
to = "SendResponse/Id"
"#
        );
        let mut sources = SourceMap::new();
        sources.register_virtual("m/s.wsdl", WSDL);
        sources.register_virtual("m/a.json", OPENAPI);
        sources.register_virtual("m/x.toml", manifest);
        let (m, _) = load_mapping(
            &mut sources,
            Path::new("m/x.toml"),
            &Overrides::default(),
            &Limits::default(),
        )
        .map_err(|d| sources.render_all(&d))?;
        super::lower(&m.resolved).map_err(|d| sources.render_all(&d))
    }

    #[test]
    fn each_call_gets_its_body_kind_and_retry_rule_and_the_api_its_settings() {
        let keyed = "[[operations.inputs]]\ninto = \"send\"\nfrom = \"Send/ref\"\nto = \"body.idempotentKey\"\nformat = \"uuid-v5\"\n";
        let l = lowered(keyed).expect("lowers");
        let calls = &l.operations[0].calls;
        assert_eq!(calls[0].method, Method::Post);
        assert_eq!(calls[0].body, BodyKind::Json, "a +json type is JSON");
        assert_eq!(calls[0].retry, Retry::IdempotencyKey);
        assert_eq!(calls[0].retry_key.as_deref(), Some("body.idempotentKey"));
        assert_eq!(
            (calls[1].body.clone(), calls[1].retry),
            (BodyKind::None, Retry::IdempotentMethod)
        );
        assert_eq!(l.settings, ["sender"]);
        assert_eq!(l.tables, ["resource_ids"]);
        // Without a key, the POST is never repeated once sent.
        let unkeyed =
            lowered("[[operations.inputs]]\nfrom = \"Send/ref\"\ndrop = \"unused here\"\n")
                .expect("lowers");
        assert_eq!(unkeyed.operations[0].calls[0].retry, Retry::Never);
    }

    #[test]
    fn a_cookie_parameter_is_refused_where_it_is_linked() {
        let cookie = "[[operations.inputs]]\ninto = \"send\"\nfrom = \"Send/ref\"\nto = \"cookie.session\"\n";
        let err = lowered(cookie).expect_err("cookies cannot be sent");
        assert!(
            err.contains("the cookie parameter `session` cannot be sent"),
            "{err}"
        );
        assert!(
            err.contains("x.toml:"),
            "the error points into the manifest: {err}"
        );
    }

    #[test]
    fn a_path_parameter_missing_from_the_path_is_refused() {
        let ghost =
            "[[operations.inputs]]\ninto = \"get\"\nfrom = \"Send/ref\"\nto = \"path.ghost\"\n";
        let err = lowered(ghost).expect_err("the path has no {ghost}");
        assert!(
            err.contains("the path parameter `ghost` is not in the path `/items/{id}`"),
            "{err}"
        );
        assert!(err.contains("x.toml:"), "{err}");
    }
}
