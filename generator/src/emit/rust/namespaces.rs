//! The XML namespaces of one API, each written once as a constant in its `soap` module and
//! referred to by that constant everywhere else (types, plan, client, facade), so a reviewer
//! reads `NS_CORRESPONDENCE_2010_10` instead of the URI a hundred times.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::link::{Loop, Mapping, ResolvedPath, Source, Target};

use super::names::{Unique, ident};

/// Namespace URI → the name of its constant in the `soap` module.
#[derive(Debug, Clone, Default)]
pub struct Namespaces {
    names: BTreeMap<String, String>,
}

impl Namespaces {
    /// Names a constant for every URI: `NS_` and the URI's last three path segments
    /// (`…/Correspondence/2010/10` → `NS_CORRESPONDENCE_2010_10`), unique in sorted URI order.
    /// The empty namespace (unqualified names) gets none.
    pub fn new(uris: impl IntoIterator<Item = String>) -> Self {
        let uris: BTreeSet<String> = uris.into_iter().filter(|u| !u.is_empty()).collect();
        let mut scope = Unique::default();
        let names = uris
            .into_iter()
            .map(|uri| {
                let tail: Vec<&str> = uri
                    .rsplit(['/', ':'])
                    .filter(|s| !s.is_empty())
                    .take(3)
                    .collect();
                let words: Vec<&str> = tail.into_iter().rev().collect();
                let name = scope.claim(format!("NS_{}", words.join("_")).to_shouty_snake_case());
                (uri, name)
            })
            .collect();
        Namespaces { names }
    }

    /// (URI, constant name), sorted by URI.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().map(|(u, n)| (u.as_str(), n.as_str()))
    }

    /// The constant names, for a scope that must not reuse them.
    pub fn const_names(&self) -> Vec<&str> {
        self.names.values().map(String::as_str).collect()
    }

    /// The namespace as code reaches it through `module` (empty inside `soap` itself, else a
    /// path such as `soap::` or `super::soap::`): its constant, or `""` for no namespace.
    pub fn at(&self, module: &TokenStream, uri: &str) -> TokenStream {
        match self.names.get(uri) {
            Some(name) => {
                let id = ident(name);
                quote!(#module #id)
            }
            None => quote!(#uri),
        }
    }
}

/// The namespace of every step of every SOAP path the API's plans, facade and client use:
/// loops, link sources and targets, filters, and the party fields.
pub fn of_paths(m: &Mapping) -> BTreeSet<String> {
    let mut paths: Vec<&ResolvedPath> = Vec::new();
    for op in &m.resolved.operations {
        paths.extend(op.calls.iter().filter_map(|c| match &c.for_each {
            Some(Loop::Soap { path }) => Some(path),
            _ => None,
        }));
        for l in op.inputs.iter().chain(&op.outputs) {
            if let Source::Soap { path } = &l.from {
                paths.push(path);
                paths.extend(l.filter.iter().map(|f| &f.path));
            }
            if let Target::Soap { path } = &l.to {
                paths.push(path);
            }
        }
        paths.extend(&op.parties);
    }
    paths
        .into_iter()
        .flat_map(|p| &p.steps)
        .filter_map(|s| s.xml_name.as_ref().map(|q| q.ns.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_uri_tail_and_stay_unique() {
        let ns = Namespaces::new(
            [
                "http://www.altinn.no/services/ServiceEngine/PreFill/2009/10",
                "http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10",
                "urn:t",
                "",
            ]
            .map(String::from),
        );
        let got: Vec<(&str, &str)> = ns.iter().collect();
        assert_eq!(
            got,
            [
                (
                    "http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10",
                    "NS_PRE_FILL_2009_10"
                ),
                (
                    "http://www.altinn.no/services/ServiceEngine/PreFill/2009/10",
                    "NS_PRE_FILL_2009_10_2"
                ),
                ("urn:t", "NS_URN_T"),
            ]
        );
        let soap = quote!(super::soap::);
        assert_eq!(
            ns.at(&soap, "urn:t").to_string(),
            quote!(super::soap::NS_URN_T).to_string()
        );
        assert_eq!(ns.at(&soap, "").to_string(), "\"\"");
    }
}
