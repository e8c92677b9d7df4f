//! `GET ?wsdl` and `GET ?xsd=<file>`: the contract a service was generated from, with every
//! endpoint address pointing where the facade runs and every schema location pointing back at it.

use std::ops::Range;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::escape::escape;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::App;
use altinn_bridge_runtime::facade::SoapService;

const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
const WSDL_SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const WSDL_SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// Answers a GET to a service's path.
pub(crate) async fn serve(app: Arc<App>, service: Arc<dyn SoapService>, req: Request) -> Response {
    let query = req.uri().query().unwrap_or("");
    let docs = service.documents();
    let address = address(&app, req.headers(), service.path());
    let doc = if query.eq_ignore_ascii_case("wsdl") || query.eq_ignore_ascii_case("singlewsdl") {
        docs.first()
    } else if let Some(file) = query.strip_prefix("xsd=") {
        docs.iter().skip(1).find(|(name, _)| *name == file)
    } else {
        let text = format!(
            "{} is a SOAP service. Its contract is at {address}?wsdl\n",
            service.name()
        );
        return (StatusCode::OK, text).into_response();
    };
    match doc {
        Some((_, text)) => {
            let body = rewrite(text, docs, &address);
            ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such document\n").into_response(),
    }
}

/// Where the service runs, as its callers see it: `scheme://host/path`. The forwarded headers
/// are honoured only behind a proxy (otherwise any client could make the WSDL point elsewhere),
/// and a host that is not a plain `name[:port]` falls back to the listen address.
fn address(app: &App, headers: &HeaderMap, path: &str) -> String {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let (scheme, host) = if app.behind_proxy {
        (
            get("x-forwarded-proto").unwrap_or("http"),
            get("x-forwarded-host").or_else(|| get(header::HOST.as_str())),
        )
    } else if app.tls {
        ("https", get(header::HOST.as_str()))
    } else {
        ("http", get(header::HOST.as_str()))
    };
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else {
        "http"
    };
    let listen = app.listen.to_string();
    let host = host.filter(|h| is_host(h)).unwrap_or(&listen);
    format!("{scheme}://{host}{path}")
}

fn is_host(h: &str) -> bool {
    h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
}

/// `text` with soap(12):address locations set to `address` and each import, include or
/// redefine of one of `docs` pointed at `address?xsd=<file>`. Text that is not well-formed is
/// served as it is; the facade only serves contracts it was generated from.
pub(crate) fn rewrite(text: &str, docs: &[(&str, &str)], address: &str) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut reader = NsReader::from_str(text);
    loop {
        let start = pos(&reader);
        let Ok((ns, event)) = reader.read_resolved_event() else {
            break;
        };
        let (Event::Start(e) | Event::Empty(e)) = event else {
            if matches!(event, Event::Eof) {
                break;
            }
            continue;
        };
        let ns = match ns {
            ResolveResult::Bound(n) => n.as_ref().to_owned(),
            _ => String::new(),
        };
        let local = e.local_name().as_ref().to_owned();
        let end = pos(&reader);
        let tag = &text[start..end];
        let Some((attr, value)) = target(&ns, &local, tag, docs, address) else {
            continue;
        };
        if let Some(r) = attr_value(tag, attr) {
            edits.push((start + r.start..start + r.end, value));
        }
    }
    let mut out = String::with_capacity(text.len() + edits.len() * 64);
    let mut at = 0;
    for (range, value) in edits {
        out.push_str(&text[at..range.start]);
        out.push_str(&escape(value.as_str()));
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

fn pos(reader: &NsReader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// The attribute to rewrite on `{ns}local` and its new value.
fn target(
    ns: &str,
    local: &str,
    tag: &str,
    docs: &[(&str, &str)],
    address: &str,
) -> Option<(&'static str, String)> {
    let attr = match (ns, local) {
        (WSDL_SOAP11 | WSDL_SOAP12, "address") => return Some(("location", address.to_owned())),
        (XSD_NS, "import" | "include" | "redefine") => "schemaLocation",
        (WSDL_NS, "import") => "location",
        _ => return None,
    };
    let current = &tag[attr_value(tag, attr)?];
    let file = current
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    let (name, _) = docs
        .iter()
        .skip(1)
        .find(|(n, _)| *n == file || n.rsplit(['/', '\\']).next() == Some(file))?;
    Some((attr, format!("{address}?xsd={name}")))
}

/// The byte range of attribute `name`'s value inside a start tag.
fn attr_value(tag: &str, name: &str) -> Option<Range<usize>> {
    let bytes = tag.as_bytes();
    for (i, _) in tag.match_indices(name) {
        if i == 0 || !bytes[i - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &tag[i + name.len()..];
        let after_eq = rest.trim_start().strip_prefix('=')?;
        let value = after_eq.trim_start();
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let value_start = tag.len() - value.len() + 1;
        let len = tag[value_start..].find(quote)?;
        return Some(value_start..value_start + len);
    }
    None
}
