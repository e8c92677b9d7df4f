//! Which types of a graph a module needs and what they are called: everything reachable from
//! the roots (the types the mapped operations and calls use), named in sorted id order so the
//! same contract always yields the same names.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{TypeDef, TypeGraph, TypeId, TypeKind, TypeRef};

use super::names::{Unique, camel};
use super::namespaces::Namespaces;

/// The types one module emits from one graph.
pub struct Plan<'a> {
    /// The graph.
    pub graph: &'a TypeGraph,
    /// Reachable types and their Rust names.
    pub names: BTreeMap<TypeId, String>,
    /// Types on a containment cycle: a field holding one directly is boxed.
    pub recursive: BTreeSet<TypeId>,
    /// The namespace constants its code refers to (SOAP only; empty for REST).
    pub namespaces: Namespaces,
}

impl<'a> Plan<'a> {
    /// Plans the types reachable from `roots`, claiming names in `scope`.
    pub fn new<'r>(
        graph: &'a TypeGraph,
        roots: impl IntoIterator<Item = &'r TypeRef>,
        scope: &mut Unique,
    ) -> Self {
        let reachable = reachable(graph, roots);
        let names = reachable
            .iter()
            .filter_map(|id| graph.get(id))
            .filter(|def| !is_inlined(def))
            .map(|def| (def.id.clone(), scope.claim(camel(&def.name.local, "T"))))
            .collect();
        Plan {
            graph,
            names,
            recursive: graph.recursive_types(),
            namespaces: Namespaces::default(),
        }
    }

    /// The planned types with their names, in id order.
    pub fn types(&self) -> impl Iterator<Item = (&'a TypeDef, &str)> + '_ {
        self.names
            .iter()
            .filter_map(|(id, name)| Some((self.graph.get(id)?, name.as_str())))
    }

    /// Every namespace the planned types' elements and attributes use.
    pub fn type_namespaces(&self) -> BTreeSet<String> {
        let mut uris = BTreeSet::new();
        for (def, _) in self.types() {
            match &def.kind {
                TypeKind::Struct(_) => uris.extend(
                    self.graph
                        .all_fields(&def.id)
                        .into_iter()
                        .filter_map(|f| f.xml_name.as_ref().map(|q| q.ns.clone())),
                ),
                TypeKind::List(l) => {
                    uris.extend(l.item_element.iter().map(|i| i.xml_name.ns.clone()))
                }
                _ => {}
            }
        }
        uris
    }

    /// True when a field of this type must be boxed (a containment cycle passes through it).
    pub fn needs_box(&self, r: &TypeRef) -> bool {
        r.as_named().is_some_and(|id| self.recursive.contains(id))
    }
}

/// Anonymous restrictions, aliases and arrays (a property's `maxLength` string, an inline
/// array) are written where they are used instead of becoming a named alias each.
pub fn is_inlined(def: &TypeDef) -> bool {
    def.anonymous
        && match &def.kind {
            TypeKind::Scalar(_) | TypeKind::Alias { .. } => true,
            TypeKind::List(l) => l.item_element.is_none(),
            _ => false,
        }
}

/// What an inlined type stands for.
pub enum Inline<'a> {
    /// The same values as this type.
    Same(&'a TypeRef),
    /// A list of these.
    ListOf(&'a TypeRef),
}

impl Plan<'_> {
    /// For an inlined type, what to write instead of its name.
    pub fn inline(&self, id: &TypeId) -> Option<Inline<'_>> {
        let def = self.graph.get(id).filter(|d| is_inlined(d))?;
        match &def.kind {
            TypeKind::Scalar(s) => Some(Inline::Same(&s.base)),
            TypeKind::Alias { target } => Some(Inline::Same(target)),
            TypeKind::List(l) => Some(Inline::ListOf(&l.item)),
            _ => None,
        }
    }
}

fn reachable<'r>(
    graph: &TypeGraph,
    roots: impl IntoIterator<Item = &'r TypeRef>,
) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<TypeId> = roots
        .into_iter()
        .filter_map(|r| r.as_named().cloned())
        .collect();
    while let Some(id) = todo.pop() {
        if graph.get(&id).is_none() || !seen.insert(id.clone()) {
            continue;
        }
        todo.extend(
            graph
                .children(&id)
                .into_iter()
                .filter_map(|r| r.as_named().cloned()),
        );
    }
    seen
}
