//! The legacy caller's user name and password: where the operation keeps them (body or header
//! parts), else a WS-Security `UsernameToken` with a plain-text password.

use crate::dispatch::{WSA_2004, WSA_2005};
use altinn_bridge_runtime::facade::{Credentials, Operation};
use altinn_bridge_runtime::secret::Secret;
use altinn_bridge_runtime::xml::Element;

/// WS-Security 1.0's namespace.
pub(crate) const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";

/// `(user, password)` if the request carries both; the password is a [`Secret`] from here on.
pub(crate) fn find(
    op: &Operation,
    headers: &[Element],
    body: &Element,
) -> Option<(String, Secret)> {
    let own = match &op.credentials {
        Credentials::None => None,
        Credentials::Body { user, password } => path(body, user).zip(path(body, password)),
        Credentials::Header { user, password } => {
            block(headers, *user).zip(block(headers, *password))
        }
    };
    own.filter(|(u, _)| !u.is_empty())
        .or_else(|| username_token(headers))
        .map(|(u, p)| (u, Secret::new(p)))
}

fn path(from: &Element, steps: &[(&str, &str)]) -> Option<String> {
    let mut at = from;
    for (ns, local) in steps {
        at = at.children_named(ns, local).next()?;
    }
    Some(at.text().trim().to_owned())
}

fn block(headers: &[Element], (ns, local): (&str, &str)) -> Option<String> {
    headers
        .iter()
        .find(|h| h.ns == ns && h.local == local)
        .map(|h| h.text().trim().to_owned())
}

/// `wsse:Security/wsse:UsernameToken`; a digest password cannot be checked against a stored
/// hash, so only `PasswordText` (or no `Type`) is accepted. `wsu:Id` is never looked at:
/// node-soap writes ids with `:` that are not valid `xs:ID`s.
fn username_token(headers: &[Element]) -> Option<(String, String)> {
    let token = headers
        .iter()
        .filter(|h| h.ns == WSSE && h.local == "Security")
        .find_map(|s| s.children_named(WSSE, "UsernameToken").next())?;
    let user = token.children_named(WSSE, "Username").next()?.text();
    let pw = token.children_named(WSSE, "Password").next()?;
    let plain = pw
        .attribute("", "Type")
        .is_none_or(|t| t.ends_with("#PasswordText"));
    plain.then(|| (user.trim().to_owned(), pw.text()))
}

/// Whether the facade understands header block `h` for `op`: the operation's header parts,
/// WS-Addressing and WS-Security.
pub(crate) fn understood(op: &Operation, h: &Element) -> bool {
    h.ns == WSA_2005
        || h.ns == WSA_2004
        || (h.ns == WSSE && h.local == "Security")
        || op
            .header_parts
            .iter()
            .any(|(ns, local)| h.ns == *ns && h.local == *local)
}
