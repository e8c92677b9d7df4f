//! WSDL 1.1 and XSD loader.
//!
//! Two phases, so no parsed document outlives the [`SourceMap`] borrow:
//!
//! 1. [`files`] reads every file once (the root and everything it imports or includes), parses it
//!    with the hardened [`xml`](super::xml) reader and turns it into owned raw items ([`raw`]) with
//!    every QName already resolved in its own prefix scope ([`parse_xsd`], [`parse_wsdl`]).
//! 2. [`xsd`] resolves the schema components of all files into the [`TypeGraph`](crate::model::TypeGraph)
//!    and global elements; [`definitions`] resolves messages, portTypes, bindings and services and builds
//!    the bound [`SoapOperation`](crate::model::SoapOperation) view.
//!
//! Errors are collected across files and phases; the load fails at the end if there were any.

mod builtins;
mod definitions;
mod files;
mod parse_wsdl;
mod parse_xsd;
mod raw;
mod rpc;
mod scope;
mod xsd;

use std::path::Path;

use super::{Limits, Loaded};
use crate::diag::{Diagnostics, SourceMap};
use crate::model::SoapContract;

/// Namespace URIs the loader recognises.
pub(crate) mod ns {
    /// XML Schema.
    pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";
    /// WSDL 1.1.
    pub const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
    /// WSDL SOAP 1.1 binding.
    pub const SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
    /// WSDL SOAP 1.2 binding.
    pub const SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
    /// WS-Policy 1.2 (what WCF emits).
    pub const WSP: &str = "http://schemas.xmlsoap.org/ws/2004/09/policy";
    /// WS-Policy 1.5.
    pub const WSP15: &str = "http://www.w3.org/ns/ws-policy";
    /// WS-Security utility (`wsu:Id` on policies).
    pub const WSU: &str =
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    /// WS-Addressing WSDL binding (`wsaw:Action`).
    pub const WSAW: &str = "http://www.w3.org/2006/05/addressing/wsdl";
    /// WS-Addressing metadata (`wsam:Action`).
    pub const WSAM: &str = "http://www.w3.org/2007/05/addressing/metadata";
    /// The Microsoft serialization schema WCF inlines in every WSDL.
    pub const MS_SER: &str = "http://schemas.microsoft.com/2003/10/Serialization/";
    /// The `xml:` namespace.
    pub const XML: &str = "http://www.w3.org/XML/1998/namespace";
    /// SOAP 1.1 encoding (`soapenc:Array`, `soapenc:arrayType`, `soapenc:string`, ...): what
    /// rpc/encoded (Axis-era) services type their arrays and scalars with.
    pub const SOAP_ENC: &str = "http://schemas.xmlsoap.org/soap/encoding/";
    /// The `xmlns:` namespace (namespace declarations themselves).
    pub const XMLNS: &str = "http://www.w3.org/2000/xmlns/";
    /// The local name of the MTOM policy assertion
    /// (`http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization`).
    pub const MTOM_ASSERTION: &str = "OptimizedMimeSerialization";
}

/// Loads a WSDL (or a bare XSD) and everything it imports.
///
/// Every problem found is reported: the result is `Err` with all errors (and warnings) when any
/// error was found, else the contract and the warnings.
pub fn load(
    sources: &mut SourceMap,
    path: &Path,
    limits: &Limits,
) -> Result<Loaded<SoapContract>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let raw = files::read_all(sources, path, limits, &mut diags);
    let Some(raw) = raw else { return Err(diags) };
    let schema_out = xsd::build(&raw, &mut diags);
    let contract = definitions::build(&raw, schema_out, path, &mut diags);
    dedup(&mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Loaded {
        value: contract,
        warnings: diags,
    })
}

/// Drops repeated diagnostics (a group used by several types reports its problems once).
fn dedup(diags: &mut Diagnostics) {
    let mut seen = std::collections::HashSet::new();
    diags
        .0
        .retain(|d| seen.insert((d.message.clone(), d.primary.as_ref().map(|l| l.span))));
}

/// Indexes `item` under `q` unless the name is taken; a second declaration is reported and the
/// first one kept (WCF-generated schemas sometimes repeat a type in two schema documents).
fn add_unique<'r, T>(
    map: &mut std::collections::HashMap<crate::model::QName, &'r T>,
    q: crate::model::QName,
    item: &'r T,
    span: crate::diag::Span,
    what: &str,
    diags: &mut Diagnostics,
) {
    if map.contains_key(&q) {
        diags.push(
            crate::diag::Diagnostic::warning(format!(
                "{what} `{q}` is declared twice; the first declaration is used"
            ))
            .at(span, "second declaration")
            .note(format!(
                "expected each {what} name to be unique in its namespace"
            )),
        );
        return;
    }
    map.insert(q, item);
}
