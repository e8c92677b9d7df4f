//! Writing one field of a struct, by its occurrence shape: the counterparts of [`super::read`].

use super::{Nillable, XmlContent, XmlError, XmlText, XmlWriter};

/// One element.
pub fn required<T: XmlContent>(
    w: &mut XmlWriter,
    ns: &str,
    local: &str,
    value: &T,
) -> Result<(), XmlError> {
    w.start(ns, local);
    value.write_content(w)?;
    w.end()
}

/// An element when present.
pub fn optional<T: XmlContent>(
    w: &mut XmlWriter,
    ns: &str,
    local: &str,
    value: Option<&T>,
) -> Result<(), XmlError> {
    match value {
        Some(v) => required(w, ns, local, v),
        None => Ok(()),
    }
}

/// An element, `xsi:nil="true"` when nil.
pub fn nillable<T: XmlContent>(
    w: &mut XmlWriter,
    ns: &str,
    local: &str,
    value: Nillable<&T>,
) -> Result<(), XmlError> {
    match value {
        Nillable::Value(v) => required(w, ns, local, v),
        Nillable::Nil => {
            w.start(ns, local);
            w.nil()?;
            w.end()
        }
    }
}

/// An element when present, `xsi:nil="true"` when nil.
pub fn optional_nillable<T: XmlContent>(
    w: &mut XmlWriter,
    ns: &str,
    local: &str,
    value: Option<Nillable<&T>>,
) -> Result<(), XmlError> {
    match value {
        Some(v) => nillable(w, ns, local, v),
        None => Ok(()),
    }
}

/// One element per item.
pub fn many<T: XmlContent>(
    w: &mut XmlWriter,
    ns: &str,
    local: &str,
    values: &[T],
) -> Result<(), XmlError> {
    values.iter().try_for_each(|v| required(w, ns, local, v))
}

/// One element per item, nil items as `xsi:nil="true"`.
pub fn many_nillable<T: XmlContent>(
    w: &mut XmlWriter,
    ns: &str,
    local: &str,
    values: &[Nillable<T>],
) -> Result<(), XmlError> {
    values
        .iter()
        .try_for_each(|v| nillable(w, ns, local, v.as_ref()))
}

/// A required attribute.
pub fn attribute<T: XmlText>(
    w: &mut XmlWriter,
    ns: &str,
    local: &str,
    value: &T,
) -> Result<(), XmlError> {
    w.attribute(ns, local, &value.to_text())
}

/// An attribute when present.
pub fn optional_attribute<T: XmlText>(
    w: &mut XmlWriter,
    ns: &str,
    local: &str,
    value: Option<&T>,
) -> Result<(), XmlError> {
    match value {
        Some(v) => attribute(w, ns, local, v),
        None => Ok(()),
    }
}

/// Simple content.
pub fn text<T: XmlText>(w: &mut XmlWriter, value: &T) -> Result<(), XmlError> {
    w.text(&value.to_text());
    Ok(())
}
