//! XML reading and writing for generated SOAP types.
//!
//! Generated structs implement [`XmlContent`] (their attributes and children); scalars and
//! enumerations implement [`XmlText`] (their text). Reading goes through a small namespace-resolved
//! tree ([`Element`]) so fields are matched by (namespace, local name) whatever prefix a client
//! used; writing goes through [`XmlWriter`], which declares namespaces as defaults where they
//! change, so output never depends on the prefixes of the input.
//!
//! Absent, `xsi:nil` and present are kept apart: an optional element is `Option<T>`, a nillable
//! one [`Nillable<T>`], an optional nillable one `Option<Nillable<T>>`.

mod error;
pub mod read;
mod text;
mod tree;
pub mod write;
mod writer;

pub use error::XmlError;
pub use text::{Base64Binary, Date, DateTime, Decimal, Duration, Guid, Integer, Time, XmlText};
pub use tree::{Element, Limits, Node, parse, parse_with};
pub use writer::XmlWriter;

/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A value that may be explicitly `xsi:nil="true"`, which differs from being absent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nillable<T> {
    /// `xsi:nil="true"`.
    Nil,
    /// A value.
    Value(T),
}

impl<T> Nillable<T> {
    /// The value, if not nil.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nillable::Nil => None,
            Nillable::Value(v) => Some(v),
        }
    }

    /// A borrowed view.
    pub fn as_ref(&self) -> Nillable<&T> {
        match self {
            Nillable::Nil => Nillable::Nil,
            Nillable::Value(v) => Nillable::Value(v),
        }
    }

    /// A borrowed view through a pointer (`Nillable<Box<T>>` → `Nillable<&T>`).
    pub fn as_deref(&self) -> Nillable<&T::Target>
    where
        T: std::ops::Deref,
    {
        match self {
            Nillable::Nil => Nillable::Nil,
            Nillable::Value(v) => Nillable::Value(v),
        }
    }

    /// Applies `f` to the value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nillable<U> {
        match self {
            Nillable::Nil => Nillable::Nil,
            Nillable::Value(v) => Nillable::Value(f(v)),
        }
    }
}

/// The content of one element: its attributes, then its children or text. The element's own
/// name is the parent's business (the same type appears under many names).
pub trait XmlContent: Sized {
    /// Reads the content of `el`.
    fn read_content(el: &Element) -> Result<Self, XmlError>;
    /// Writes attributes, then content, into the element the writer has just started.
    fn write_content(&self, w: &mut XmlWriter) -> Result<(), XmlError>;
}

/// Scalars are elements with text content.
impl<T: XmlText> XmlContent for T {
    fn read_content(el: &Element) -> Result<Self, XmlError> {
        T::from_text(&el.text()).map_err(|e| e.at(&el.local))
    }

    fn write_content(&self, w: &mut XmlWriter) -> Result<(), XmlError> {
        w.text(&self.to_text());
        Ok(())
    }
}

/// Content the contract leaves open (`xs:anyType`) is kept as the element itself.
impl XmlContent for Element {
    fn read_content(el: &Element) -> Result<Self, XmlError> {
        Ok(el.clone())
    }

    fn write_content(&self, w: &mut XmlWriter) -> Result<(), XmlError> {
        for (ns, local, value) in &self.attributes {
            w.attribute(ns, local, value)?;
        }
        for child in &self.children {
            match child {
                Node::Element(e) => write::required(w, &e.ns, &e.local, e)?,
                Node::Text(t) => w.text(t),
            }
        }
        Ok(())
    }
}

/// Parses a document whose root is `{ns}local` into `T`.
pub fn from_str<T: XmlContent>(xml: &str, ns: &str, local: &str) -> Result<T, XmlError> {
    let root = parse(xml)?;
    if root.ns != ns || root.local != local {
        return Err(XmlError::UnexpectedRoot {
            expected: format!("{{{ns}}}{local}"),
            found: format!("{{{}}}{}", root.ns, root.local),
        });
    }
    T::read_content(&root)
}

/// Writes `value` as a document whose root element is `{ns}local`.
pub fn to_string<T: XmlContent>(value: &T, ns: &str, local: &str) -> Result<String, XmlError> {
    let mut w = XmlWriter::new();
    write::required(&mut w, ns, local, value)?;
    w.finish()
}
