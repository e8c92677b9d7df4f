//! Built-in types: XML Schema's, the three Microsoft serialization types WCF defines as
//! restrictions (`ser:guid`, `ser:char`, `ser:duration`), which map to built-ins directly, and
//! the SOAP-encoding copies of the XML Schema types (`soapenc:string`, `soapenc:base64`) that
//! rpc/encoded services use.

use super::ns;
use crate::model::{Builtin, QName, TypeGraph, TypeId, TypeRef};

/// The built-in a QName denotes, if it is one.
pub(super) fn builtin(q: &QName) -> Option<Builtin> {
    match q.ns.as_str() {
        ns::XSD => Builtin::from_xsd(&q.local),
        ns::MS_SER => Builtin::from_ms_serialization(&q.local),
        ns::SOAP_ENC => match q.local.as_str() {
            "base64" => Some(Builtin::Base64Binary),
            // An array or struct with no declared item type: anything.
            "Array" | "Struct" => Some(Builtin::AnyType),
            other => Builtin::from_xsd(other),
        },
        _ => None,
    }
}

/// The id of a named XSD type.
pub(super) fn type_id(q: &QName) -> TypeId {
    TypeId(q.to_string())
}

/// A reference to the type named `q`, if it is a built-in or in the graph.
pub(super) fn lookup(graph: &TypeGraph, q: &QName) -> Option<TypeRef> {
    if let Some(b) = builtin(q) {
        return Some(TypeRef::Builtin(b));
    }
    let id = type_id(q);
    graph.get(&id).map(|_| TypeRef::Named(id))
}

/// The first character upper-cased, for names derived from element names.
pub(super) fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
