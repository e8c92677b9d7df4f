//! Which operation a request is for: by action (`SOAPAction`, the SOAP 1.2 `action` media-type
//! parameter, `wsa:Action`), else by the body element's name.

use axum::http::{HeaderMap, header};

use altinn_bridge_runtime::facade::Operation;
use altinn_bridge_runtime::xml::Element;

/// WS-Addressing 1.0 (what zeep sends).
pub(crate) const WSA_2005: &str = "http://www.w3.org/2005/08/addressing";
/// The 2004/08 submission WCF still accepts.
pub(crate) const WSA_2004: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";

/// The actions a request names, in the order they are tried; empty ones are left out.
pub(crate) fn actions(headers: &HeaderMap, blocks: &[Element]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(a) = headers.get("soapaction").and_then(|v| v.to_str().ok()) {
        out.push(unquote(a));
    }
    if let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        out.extend(content_type_action(ct));
    }
    out.extend(
        blocks
            .iter()
            .filter(|b| (b.ns == WSA_2005 || b.ns == WSA_2004) && b.local == "Action")
            .map(|b| b.text().trim().to_owned()),
    );
    out.retain(|a| !a.is_empty());
    out
}

/// The `action` parameter of a media type (`application/soap+xml; action="urn:x"`).
fn content_type_action(ct: &str) -> Option<String> {
    ct.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("action")
            .then(|| unquote(value))
    })
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
        .to_owned()
}

/// The operation `actions` name (the first that matches), else the one whose input is the
/// body element; `Err` says what was asked for.
pub(crate) fn find(
    ops: &'static [Operation],
    actions: &[String],
    body: &Element,
) -> Result<&'static Operation, String> {
    if !actions.is_empty() {
        return actions
            .iter()
            .find_map(|a| {
                ops.iter().find(|o| {
                    (!o.soap_action.is_empty() && o.soap_action == a)
                        || (!o.wsa_action.is_empty() && o.wsa_action == a)
                })
            })
            .ok_or_else(|| format!("no operation has the action `{}`", actions.join("` or `")));
    }
    ops.iter()
        .find(|o| o.input.0 == body.ns && o.input.1 == body.local)
        .ok_or_else(|| {
            format!(
                "no operation takes the body element {}",
                qname(&body.ns, &body.local)
            )
        })
}

/// `{ns}local`, or `local` without a namespace.
pub(crate) fn qname(ns: &str, local: &str) -> String {
    if ns.is_empty() {
        local.to_owned()
    } else {
        format!("{{{ns}}}{local}")
    }
}
