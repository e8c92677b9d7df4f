//! Reading one field of a struct, by its occurrence shape. Generated `read_content` calls one
//! of these per field; elements match by namespace and local name, never by prefix.

use super::{Element, Nillable, XmlContent, XmlError, XmlText};

fn missing(parent: &Element, ns: &str, local: &str) -> XmlError {
    XmlError::Missing {
        parent: parent.local.clone(),
        name: format!("{{{ns}}}{local}"),
    }
}

fn value<T: XmlContent>(el: &Element) -> Result<T, XmlError> {
    if el.is_nil() {
        return Err(XmlError::NotNillable(el.local.clone()));
    }
    T::read_content(el)
}

fn nillable_value<T: XmlContent>(el: &Element) -> Result<Nillable<T>, XmlError> {
    if el.is_nil() {
        Ok(Nillable::Nil)
    } else {
        T::read_content(el).map(Nillable::Value)
    }
}

/// Exactly one, not nil.
pub fn required<T: XmlContent>(parent: &Element, ns: &str, local: &str) -> Result<T, XmlError> {
    let el = parent
        .children_named(ns, local)
        .next()
        .ok_or_else(|| missing(parent, ns, local))?;
    value(el)
}

/// At most one, not nil.
pub fn optional<T: XmlContent>(
    parent: &Element,
    ns: &str,
    local: &str,
) -> Result<Option<T>, XmlError> {
    parent
        .children_named(ns, local)
        .next()
        .map(value)
        .transpose()
}

/// Exactly one, possibly nil.
pub fn nillable<T: XmlContent>(
    parent: &Element,
    ns: &str,
    local: &str,
) -> Result<Nillable<T>, XmlError> {
    let el = parent
        .children_named(ns, local)
        .next()
        .ok_or_else(|| missing(parent, ns, local))?;
    nillable_value(el)
}

/// At most one, possibly nil.
pub fn optional_nillable<T: XmlContent>(
    parent: &Element,
    ns: &str,
    local: &str,
) -> Result<Option<Nillable<T>>, XmlError> {
    parent
        .children_named(ns, local)
        .next()
        .map(nillable_value)
        .transpose()
}

/// Any number, not nil.
pub fn many<T: XmlContent>(parent: &Element, ns: &str, local: &str) -> Result<Vec<T>, XmlError> {
    parent.children_named(ns, local).map(value).collect()
}

/// Any number, each possibly nil.
pub fn many_nillable<T: XmlContent>(
    parent: &Element,
    ns: &str,
    local: &str,
) -> Result<Vec<Nillable<T>>, XmlError> {
    parent
        .children_named(ns, local)
        .map(nillable_value)
        .collect()
}

/// A required attribute.
pub fn attribute<T: XmlText>(el: &Element, ns: &str, local: &str) -> Result<T, XmlError> {
    let text = el
        .attribute(ns, local)
        .ok_or_else(|| missing(el, ns, local))?;
    T::from_text(text).map_err(|e| e.at(local))
}

/// An optional attribute.
pub fn optional_attribute<T: XmlText>(
    el: &Element,
    ns: &str,
    local: &str,
) -> Result<Option<T>, XmlError> {
    el.attribute(ns, local)
        .map(|t| T::from_text(t).map_err(|e| e.at(local)))
        .transpose()
}

/// The text of an element with simple content (`xs:simpleContent`).
pub fn text<T: XmlText>(el: &Element) -> Result<T, XmlError> {
    T::from_text(&el.text()).map_err(|e| e.at(&el.local))
}
