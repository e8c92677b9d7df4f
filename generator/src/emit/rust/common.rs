//! Pieces both modules use: doc comments, enumeration variants.
//!
//! Every generated type, field and variant gets a doc comment: the contract's own
//! documentation (`xs:documentation`, an OpenAPI `description`) where it has one, else a line
//! naming what it was generated from, so a reader can find it in the contract.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{EnumType, EnumValue, Field, FieldKind, TypeDef};

use super::names::{Unique, ident, variant};

/// `///` lines for contract documentation. Lines are trimmed and code fences defused, because
/// rustdoc would otherwise compile indented text and fenced blocks of prose as doctests.
pub fn doc_attr(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc.map(str::trim).filter(|d| !d.is_empty()) else {
        return TokenStream::new();
    };
    let lines = doc.lines().map(|l| {
        let line = format!(" {}", l.trim().replace("```", "'''"));
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// A Rust variant name per value, unique within the enumeration, in declaration order.
pub fn enum_variants(e: &EnumType) -> Vec<(Ident, &EnumValue)> {
    let mut scope = Unique::default();
    e.values
        .iter()
        .map(|v| (ident(&scope.claim(variant(&v.value, "V"))), v))
        .collect()
}

/// Where a type comes from, for [`type_doc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An XSD type of the WSDL.
    Xsd,
    /// A schema of an OpenAPI document.
    OpenApi,
}

/// A type's doc lines: its documentation, else the XSD type or OpenAPI schema it comes from.
pub fn type_doc(def: &TypeDef, origin: Origin) -> TokenStream {
    let fallback = match (origin, def.anonymous) {
        (Origin::Xsd, false) => format!("XSD type `{}`.", def.id),
        // An element's own anonymous type has its id with a trailing `#`.
        (Origin::Xsd, true) => match def.id.0.strip_suffix('#') {
            Some(element) => format!("The inline type of SOAP element `{element}`."),
            None => format!("The inline XSD type at `{}`.", def.id),
        },
        (Origin::OpenApi, _) => format!("OpenAPI schema `{}`.", def.id),
    };
    doc_or(def.doc.as_deref(), &fallback)
}

/// A field's doc lines: its documentation, else the element, attribute or property it reads.
pub fn field_doc(f: &Field) -> TokenStream {
    let fallback = match (&f.kind, &f.xml_name) {
        (FieldKind::Element, Some(q)) => format!("SOAP element `{{{}}}{}`.", q.ns, q.local),
        (FieldKind::Attribute, Some(q)) if !q.ns.is_empty() => {
            format!("XML attribute `{{{}}}{}`.", q.ns, q.local)
        }
        (FieldKind::Attribute, _) => format!("XML attribute `{}`.", f.name),
        (FieldKind::Text, _) => "The element's text content.".to_owned(),
        (FieldKind::Property, _) => format!("JSON property `{}`.", f.name),
        (FieldKind::Element, None) => format!("SOAP element `{}`.", f.name),
    };
    doc_or(f.doc.as_deref(), &fallback)
}

/// An enumeration value's doc lines: its documentation, else its text on the wire.
pub fn value_doc(v: &EnumValue) -> TokenStream {
    doc_or(v.doc.as_deref(), &format!("`{}`.", v.value))
}

fn doc_or(doc: Option<&str>, fallback: &str) -> TokenStream {
    match doc.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => doc_attr(Some(d)),
        None => doc_attr(Some(fallback)),
    }
}
