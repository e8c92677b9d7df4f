//! Pieces both modules use: doc comments, enumeration variants, element name constants.

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{EnumType, EnumValue, QName};

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

/// `pub const NAME: (&str, &str) = (namespace, local name);` for a global element.
pub fn name_const(scope: &mut Unique, q: &QName) -> TokenStream {
    let mut base = q.local.to_shouty_snake_case();
    base.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base.insert_str(0, "E_");
    }
    let name = ident(&scope.claim(base));
    let (ns, local) = (q.ns.as_str(), q.local.as_str());
    let doc = format!(" The element `{local}` of `{ns}`: (namespace, local name).");
    quote! {
        #[doc = #doc]
        pub const #name: (&str, &str) = (#ns, #local);
    }
}
