//! A namespace-resolved element tree: what generated readers walk. Prefixes are gone once a
//! document is here, so `ns0:Foo` and `<Foo xmlns="...">` read the same.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::{XSI_NS, XmlError};

/// One element with its namespace URI (empty for none) and local name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Namespace URI; empty when unqualified.
    pub ns: String,
    /// Local name.
    pub local: String,
    /// Attributes other than namespace declarations: (namespace, local name, value).
    pub attributes: Vec<(String, String, String)>,
    /// Children in document order.
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Text (entity and character references already resolved; CDATA included).
    Text(String),
}

/// Bounds on what [`parse_with`] accepts, so hostile input fails instead of exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest element nesting.
    pub max_depth: usize,
    /// Most elements and text nodes.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_nodes: 4_000_000,
        }
    }
}

impl Element {
    /// Child elements named `{ns}local`, in order.
    pub fn children_named<'a>(
        &'a self,
        ns: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements()
            .filter(move |e| e.ns == ns && e.local == local)
    }

    /// All child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The concatenated text children.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }

    /// The attribute `{ns}local`.
    pub fn attribute(&self, ns: &str, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, l, _)| n == ns && l == local)
            .map(|(_, _, v)| v.as_str())
    }

    /// `xsi:nil="true"` (or `"1"`).
    pub fn is_nil(&self) -> bool {
        matches!(
            self.attribute(XSI_NS, "nil").map(str::trim),
            Some("true" | "1")
        )
    }
}

/// Parses a document into its root element with the default [`Limits`].
pub fn parse(xml: &str) -> Result<Element, XmlError> {
    parse_with(xml, Limits::default())
}

/// Parses a document into its root element. DTDs are refused (no entity expansion at all).
pub fn parse_with(xml: &str, limits: Limits) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut nodes = 0usize;
    loop {
        // The namespace is turned into a string only for start tags: End and Text events
        // would otherwise pay an allocation each for nothing.
        let (ns, event) = reader.read_resolved_event().map_err(syntax)?;
        match event {
            Event::Start(start) | Event::Empty(start) if stack.len() >= limits.max_depth => {
                let _ = start;
                return Err(XmlError::Syntax(format!(
                    "nested deeper than {} elements",
                    limits.max_depth
                )));
            }
            Event::Start(start) => {
                let ns = namespace(ns)?;
                let el = element(&reader, ns, &start)?;
                stack.push(el);
            }
            Event::Empty(start) => {
                let ns = namespace(ns)?;
                let el = element(&reader, ns, &start)?;
                if let Some(root) = attach(&mut stack, el) {
                    return finish(&mut reader, root);
                }
            }
            Event::End(_) => {
                let mut el = stack
                    .pop()
                    .ok_or(XmlError::Syntax("stray end tag".into()))?;
                drop_indentation(&mut el);
                if let Some(root) = attach(&mut stack, el) {
                    return finish(&mut reader, root);
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content())?,
            Event::CData(c) => push_text(&mut stack, &c.xml10_content())?,
            Event::GeneralRef(r) => push_text(&mut stack, &reference(&r)?)?,
            Event::DocType(_) => return Err(XmlError::Syntax("DTDs are not accepted".into())),
            Event::Eof => return Err(XmlError::Syntax("no root element".into())),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
        nodes += 1;
        if nodes > limits.max_nodes {
            return Err(XmlError::Syntax(format!(
                "more than {} nodes",
                limits.max_nodes
            )));
        }
    }
}

fn syntax(e: impl std::fmt::Display) -> XmlError {
    XmlError::Syntax(e.to_string())
}

fn namespace(ns: ResolveResult<'_>) -> Result<String, XmlError> {
    match ns {
        ResolveResult::Unbound => Ok(String::new()),
        ResolveResult::Bound(n) => Ok(n.as_ref().to_owned()),
        ResolveResult::Unknown(p) => Err(XmlError::Syntax(format!("undeclared prefix `{p}`"))),
    }
}

fn element(
    reader: &NsReader<&[u8]>,
    ns: String,
    start: &BytesStart<'_>,
) -> Result<Element, XmlError> {
    let mut el = Element {
        ns,
        local: start.local_name().as_ref().to_owned(),
        ..Element::default()
    };
    for attr in start.attributes() {
        let attr = attr.map_err(syntax)?;
        let key = attr.key.as_ref();
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let (ans, local) = reader.resolver().resolve_attribute(attr.key);
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(syntax)?;
        el.attributes.push((
            namespace(ans)?,
            local.as_ref().to_owned(),
            value.into_owned(),
        ));
    }
    Ok(el)
}

/// Whitespace-only text between child elements is indentation, not content: readers never look
/// at it (an element with children has no text value), so it is not kept.
fn drop_indentation(el: &mut Element) {
    if el.children.iter().any(|n| matches!(n, Node::Element(_))) {
        el.children
            .retain(|n| !matches!(n, Node::Text(t) if t.trim().is_empty()));
    }
}

/// Adds a finished element to its parent; returns it when it was the root.
fn attach(stack: &mut [Element], el: Element) -> Option<Element> {
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(Node::Element(el));
            None
        }
        None => Some(el),
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => {
            if let Some(Node::Text(prev)) = parent.children.last_mut() {
                prev.push_str(text);
            } else {
                parent.children.push(Node::Text(text.to_owned()));
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(XmlError::Syntax("text outside the root element".into())),
    }
}

fn reference(r: &quick_xml::events::BytesRef<'_>) -> Result<String, XmlError> {
    if let Some(c) = r.resolve_char_ref().map_err(syntax)? {
        return Ok(c.to_string());
    }
    let name = r.xml10_content();
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(|| XmlError::Syntax(format!("unknown entity `&{name};`")))
}

/// After the root: only comments, processing instructions and whitespace may follow.
fn finish(reader: &mut NsReader<&[u8]>, root: Element) -> Result<Element, XmlError> {
    loop {
        match reader.read_event().map_err(syntax)? {
            Event::Eof => return Ok(root),
            Event::Text(t) if t.xml10_content().trim().is_empty() => {}
            Event::Comment(_) | Event::PI(_) => {}
            _ => return Err(XmlError::Syntax("content after the root element".into())),
        }
    }
}
