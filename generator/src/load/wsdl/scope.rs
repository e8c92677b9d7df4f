//! Per-file parsing context: QName resolution in the element's own prefix scope, attribute
//! parsing with diagnostics, documentation text.

use roxmltree::Node;

use super::ns;
use super::raw::{Occurs, Ref};
use crate::diag::{Diagnostic, Diagnostics, FileId, Span};
use crate::load::xml::{attr_span, node_span};
use crate::model::{MaxOccurs, QName};

/// Where phase 1 is in one file.
pub(super) struct FileCx<'d> {
    pub file: FileId,
    pub diags: &'d mut Diagnostics,
    /// For a chameleon include: the includer's namespace, given to unqualified names.
    pub chameleon: Option<String>,
}

impl FileCx<'_> {
    /// The span of an element's start tag.
    pub fn span(&self, node: Node<'_, '_>) -> Span {
        node_span(self.file, node)
    }

    /// The span of an attribute's value.
    pub fn attr_span(&self, node: Node<'_, '_>, attr: &str) -> Span {
        attr_span(self.file, node, attr)
    }

    /// Records an error.
    pub fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Warns that a construct is not modelled.
    pub fn unsupported(&mut self, node: Node<'_, '_>, what: &str) {
        let name = display_tag(node);
        let d = Diagnostic::warning(format!("unsupported {what} `{name}` ignored"))
            .at(self.span(node), "not modelled")
            .note("the generated code will not reflect it");
        self.diags.push(d);
    }

    /// Resolves a QName-valued attribute (`type="q1:Foo"`) in the element's prefix scope.
    pub fn qname_attr(&mut self, node: Node<'_, '_>, attr: &str) -> Option<Ref> {
        let value = node.attribute(attr)?;
        let span = self.attr_span(node, attr);
        self.resolve(node, value.trim(), span)
    }

    /// Resolves one QName written at `span` in `node`'s scope.
    pub fn resolve(&mut self, node: Node<'_, '_>, value: &str, span: Span) -> Option<Ref> {
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, value),
        };
        if local.is_empty() || local.contains(':') || prefix.is_some_and(str::is_empty) {
            self.error(
                Diagnostic::error(format!("malformed QName `{value}`"))
                    .at(span, "here")
                    .note("expected `prefix:name` or `name`"),
            );
            return None;
        }
        let ns = match (node.lookup_namespace_uri(prefix), prefix) {
            (Some(ns), _) => ns.to_owned(),
            (None, None) => String::new(),
            // Bound by the XML and Namespaces specifications themselves; never declared.
            (None, Some("xml")) => ns::XML.to_owned(),
            (None, Some("xmlns")) => ns::XMLNS.to_owned(),
            (None, Some(p)) => {
                self.error(
                    Diagnostic::error(format!("unknown namespace prefix `{p}` in `{value}`"))
                        .at(span, "prefix not declared")
                        .note(format!(
                            "expected an `xmlns:{p}` declaration on this element or an ancestor"
                        )),
                );
                return None;
            }
        };
        let ns = match (&self.chameleon, ns.is_empty()) {
            (Some(c), true) => c.clone(),
            _ => ns,
        };
        Some(Ref {
            q: QName::new(ns, local),
            span,
        })
    }

    /// A boolean attribute (`true`/`false`/`1`/`0`), `default` when absent or invalid.
    pub fn bool_attr(&mut self, node: Node<'_, '_>, attr: &str, default: bool) -> bool {
        match node.attribute(attr).map(str::trim) {
            None => default,
            Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(v) => {
                let d = Diagnostic::error(format!("invalid boolean `{v}` in `{attr}`"))
                    .at(self.attr_span(node, attr), "here")
                    .note("expected `true` or `false`");
                self.error(d);
                default
            }
        }
    }

    /// A non-negative integer attribute.
    pub fn u32_attr(&mut self, node: Node<'_, '_>, attr: &str) -> Option<u32> {
        let v = node.attribute(attr)?.trim();
        match v.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                let d = Diagnostic::error(format!("invalid `{attr}` value `{v}`"))
                    .at(self.attr_span(node, attr), "here")
                    .note("expected a non-negative integer");
                self.error(d);
                None
            }
        }
    }

    /// `minOccurs` and `maxOccurs`.
    pub fn occurs(&mut self, node: Node<'_, '_>) -> Occurs {
        let min = self.u32_attr(node, "minOccurs").unwrap_or(1);
        let max = match node.attribute("maxOccurs").map(str::trim) {
            None => MaxOccurs::Bounded(1),
            Some("unbounded") => MaxOccurs::Unbounded,
            Some(v) => match v.parse::<u32>() {
                Ok(n) => MaxOccurs::Bounded(n),
                Err(_) => {
                    let d = Diagnostic::error(format!("invalid `maxOccurs` value `{v}`"))
                        .at(self.attr_span(node, "maxOccurs"), "here")
                        .note("expected a non-negative integer or `unbounded`");
                    self.error(d);
                    MaxOccurs::Bounded(1)
                }
            },
        };
        Occurs { min, max }
    }

    /// A required `name` attribute; an error naming the element when it is missing.
    pub fn required_name(&mut self, node: Node<'_, '_>) -> Option<String> {
        match node.attribute("name").map(str::trim) {
            Some(n) if !n.is_empty() => Some(n.to_owned()),
            _ => {
                let d = Diagnostic::error(format!("`{}` has no name", display_tag(node)))
                    .at(self.span(node), "here")
                    .note("expected a `name` attribute");
                self.error(d);
                None
            }
        }
    }
}

/// `prefix:local` of an element as written, for messages.
pub(super) fn display_tag(node: Node<'_, '_>) -> String {
    let name = node.tag_name();
    let prefix = name
        .namespace()
        .and_then(|ns| node.lookup_prefix(ns))
        .filter(|p| !p.is_empty());
    match prefix {
        Some(p) => format!("{p}:{}", name.name()),
        None => name.name().to_owned(),
    }
}

/// True when `node` is an element named `local` in namespace `ns`.
pub(super) fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

/// Element children.
pub(super) fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// The text of a documentation element: every descendant text, lines trimmed, blank lines
/// dropped (contracts are pretty-printed, and WCF puts `<summary>` elements inside).
pub(super) fn doc_text(node: Node<'_, '_>) -> Option<String> {
    let mut text = String::new();
    for t in node.descendants().filter(Node::is_text) {
        text.push_str(t.text().unwrap_or_default());
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Joins the documentation found in several places.
pub(super) fn join_docs(docs: impl Iterator<Item = String>) -> Option<String> {
    let docs: Vec<String> = docs.collect();
    (!docs.is_empty()).then(|| docs.join("\n"))
}
