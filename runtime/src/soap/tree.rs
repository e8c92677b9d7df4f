//! A small, bounded, namespace-aware element tree over quick-xml, with byte spans into the source.
//!
//! SOAP envelopes and faults are small at the top and opaque below, so a tree with spans is the
//! simplest way to hand out the raw XML of header blocks and the body while still resolving names.
//! Every limit is checked while reading, before memory is spent.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::{Limits, QName};
use crate::error::{Error, Result};

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A namespace declaration: prefix (`None` for the default namespace) and URI.
pub(crate) type Decl = (Option<String>, String);

/// An attribute with its resolved name.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub name: QName,
    pub value: String,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

/// An element with its resolved name, its own declarations and its span in the source.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub name: QName,
    pub decls: Vec<Decl>,
    pub attrs: Vec<Attr>,
    pub children: Vec<Node>,
    /// Byte offset of `<`.
    pub start: usize,
    /// Byte offset just after the tag name, where declarations can be inserted.
    pub name_end: usize,
    /// Byte offset just after the end tag (or `/>`).
    pub end: usize,
}

impl Element {
    /// Child elements, in document order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element with this namespace and local name.
    pub fn child(&self, ns: &str, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.name.is(ns, local))
    }

    /// The element's direct text content.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            if let Node::Text(t) = n {
                out.push_str(t);
            }
        }
        out
    }

    /// True when text children hold something other than whitespace.
    pub fn has_text(&self) -> bool {
        !self.text().trim().is_empty()
    }

    /// The value of the attribute with this namespace and local name.
    pub fn attr(&self, ns: &str, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name.is(ns, local))
            .map(|a| a.value.as_str())
    }
}

/// Parses `src` into its root element, refusing DTDs, PIs, unknown entities and anything over `limits`.
pub(crate) fn parse(src: &str, limits: &Limits) -> Result<Element> {
    parse_shallow(src, limits, usize::MAX)
}

/// Like [`parse`], but elements deeper than `keep_depth` (the root is 0) are only counted and
/// checked for nesting, DTDs, PIs and entities, not kept and not namespace-resolved: an
/// envelope's body can be large, and generated code reads it again, names included, from the
/// raw text.
pub(crate) fn parse_shallow(src: &str, limits: &Limits, keep_depth: usize) -> Result<Element> {
    if src.len() > limits.max_bytes {
        return Err(Error::TooLarge {
            size: src.len(),
            limit: limits.max_bytes,
        });
    }
    let mut state = State {
        reader: Reader::from_str(src),
        limits,
        stack: Vec::new(),
        scopes: Vec::new(),
        nodes: 0,
        root: None,
        keep_depth,
        skipped: 0,
    };
    state.reader.config_mut().check_end_names = true;
    loop {
        let before = pos(&state.reader);
        let event = state
            .reader
            .read_event()
            .map_err(|e| xml_error(&state.reader, e))?;
        let after = pos(&state.reader);
        match event {
            Event::Start(e) => state.open(&e, before, after, false)?,
            Event::Empty(e) => state.open(&e, before, after, true)?,
            Event::End(_) => state.close(after)?,
            Event::Text(t) => state.text(&t.xml10_content(), before)?,
            Event::CData(t) => state.text(&t.xml10_content(), before)?,
            Event::GeneralRef(r) => state.text(&entity(&r)?, before)?,
            Event::Comment(_) | Event::Decl(_) => {}
            Event::PI(_) => return Err(Error::ProcessingInstruction),
            Event::DocType(_) => return Err(Error::Dtd),
            Event::Eof => break,
        }
    }
    state.root.ok_or_else(|| Error::Xml {
        position: src.len() as u64,
        message: "no root element".into(),
    })
}

struct State<'a, 'l> {
    reader: Reader<&'a [u8]>,
    limits: &'l Limits,
    stack: Vec<Element>,
    scopes: Vec<Vec<Decl>>,
    nodes: usize,
    root: Option<Element>,
    keep_depth: usize,
    /// How many elements below `keep_depth` are open.
    skipped: usize,
}

impl State<'_, '_> {
    fn count_node(&mut self) -> Result<()> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(Error::TooManyNodes {
                limit: self.limits.max_nodes,
            });
        }
        Ok(())
    }

    fn open(&mut self, e: &BytesStart<'_>, start: usize, end: usize, empty: bool) -> Result<()> {
        self.count_node()?;
        if self.root.is_some() {
            return Err(Error::Xml {
                position: start as u64,
                message: "content after the root element".into(),
            });
        }
        let depth = self.stack.len() + self.skipped;
        if depth >= self.limits.max_depth {
            return Err(Error::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        if depth > self.keep_depth {
            // An empty element opens and closes at once: nothing stays open.
            self.skipped += usize::from(!empty);
            return Ok(());
        }
        let qname = e.name();
        let raw_name: &str = qname.as_ref();
        let (decls, raw_attrs) = split_attributes(e)?;
        self.scopes.push(decls.clone());
        let (prefix, local) = split_qname(raw_name);
        let name = QName::new(self.lookup(prefix, true)?, local);
        let mut attrs = Vec::with_capacity(raw_attrs.len());
        for (key, value) in raw_attrs {
            let (p, l) = split_qname(&key);
            attrs.push(Attr {
                name: QName::new(self.lookup(p, false)?, l),
                value,
            });
        }
        let element = Element {
            name,
            decls,
            attrs,
            children: Vec::new(),
            start,
            name_end: start + 1 + raw_name.len(),
            end,
        };
        self.stack.push(element);
        if empty { self.close(end) } else { Ok(()) }
    }

    fn close(&mut self, end: usize) -> Result<()> {
        if self.skipped > 0 {
            self.skipped -= 1;
            return Ok(());
        }
        self.scopes.pop();
        let Some(mut element) = self.stack.pop() else {
            return Err(Error::Xml {
                position: end as u64,
                message: "unexpected end tag".into(),
            });
        };
        element.end = end;
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(Node::Element(element)),
            None => self.root = Some(element),
        }
        Ok(())
    }

    fn text(&mut self, text: &str, position: usize) -> Result<()> {
        if self.skipped > 0 {
            return self.count_node();
        }
        let Some(parent) = self.stack.last_mut() else {
            if text.trim().is_empty() {
                return Ok(());
            }
            return Err(Error::Xml {
                position: position as u64,
                message: "text outside the root element".into(),
            });
        };
        // Text split by entity references is joined back into one node.
        if let Some(Node::Text(last)) = parent.children.last_mut() {
            last.push_str(text);
            return Ok(());
        }
        parent.children.push(Node::Text(text.to_owned()));
        self.count_node()
    }

    /// Resolves a prefix against the open scopes; unprefixed attributes are in no namespace.
    fn lookup(&self, prefix: Option<&str>, is_element: bool) -> Result<String> {
        if prefix.is_none() && !is_element {
            return Ok(String::new());
        }
        resolve_prefix(self.scopes.iter().flatten(), prefix)
    }
}

/// Finds the URI bound to `prefix` in `decls` (outermost first, so the last match wins).
pub(crate) fn resolve_prefix<'d>(
    decls: impl Iterator<Item = &'d Decl>,
    prefix: Option<&str>,
) -> Result<String> {
    if prefix == Some("xml") {
        return Ok(XML_NS.to_owned());
    }
    let found = decls
        .filter(|(p, _)| p.as_deref() == prefix)
        .last()
        .map(|(_, uri)| uri.clone());
    match (found, prefix) {
        (Some(uri), _) => Ok(uri),
        (None, None) => Ok(String::new()),
        (None, Some(p)) => Err(Error::UnboundPrefix(p.to_owned())),
    }
}

/// An attribute before its name is resolved: raw `prefix:local` key and value.
type RawAttr = (String, String);

fn split_attributes(e: &BytesStart<'_>) -> Result<(Vec<Decl>, Vec<RawAttr>)> {
    let mut decls = Vec::new();
    let mut attrs = Vec::new();
    for attr in e.attributes().with_checks(true) {
        let attr = attr.map_err(|err| Error::Xml {
            position: 0,
            message: err.to_string(),
        })?;
        let key: String = attr.key.as_ref().to_owned();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| Error::Xml {
                position: 0,
                message: err.to_string(),
            })?
            .into_owned();
        match key.strip_prefix("xmlns") {
            Some("") => decls.push((None, value)),
            Some(rest) if rest.starts_with(':') => decls.push((Some(rest[1..].to_owned()), value)),
            _ => attrs.push((key, value)),
        }
    }
    Ok((decls, attrs))
}

/// Splits `p:local` into its prefix and local part.
pub(crate) fn split_qname(raw: &str) -> (Option<&str>, &str) {
    match raw.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, raw),
    }
}

fn entity(r: &BytesRef<'_>) -> Result<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Ok(c.to_string());
    }
    let name = r.xml10_content();
    let c = match name.as_ref() {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        other => return Err(Error::UnknownEntity(other.to_owned())),
    };
    Ok(c.to_string())
}

fn pos(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

fn xml_error(reader: &Reader<&[u8]>, e: quick_xml::Error) -> Error {
    Error::Xml {
        position: reader.error_position(),
        message: e.to_string(),
    }
}
