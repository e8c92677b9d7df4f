//! The one error type of XML reading and writing.

use std::fmt;

/// Why XML could not be read or written. Reading never panics; every problem is one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    /// Not well-formed, or refused (a DTD, too deep, too large).
    Syntax(String),
    /// The document's root is not the element expected.
    UnexpectedRoot {
        /// `{ns}local` expected.
        expected: String,
        /// `{ns}local` found.
        found: String,
    },
    /// A required element or attribute is missing.
    Missing {
        /// The parent element's local name.
        parent: String,
        /// `{ns}local` of what is missing.
        name: String,
    },
    /// `xsi:nil` on an element that is not nillable.
    NotNillable(String),
    /// A value outside an enumeration.
    UnknownValue {
        /// The enumeration's name.
        ty: &'static str,
        /// The value found.
        value: String,
    },
    /// Text that is not a valid value of its type.
    Invalid {
        /// Where: the element or attribute's local name (empty when not known yet).
        at: String,
        /// The type expected.
        ty: &'static str,
        /// The text found.
        value: String,
    },
    /// A writer used out of order (generated code never does this).
    Writer(&'static str),
}

impl XmlError {
    /// Names the element or attribute an [`XmlError::Invalid`] came from.
    pub fn at(self, name: &str) -> XmlError {
        match self {
            XmlError::Invalid { at, ty, value } if at.is_empty() => XmlError::Invalid {
                at: name.to_owned(),
                ty,
                value,
            },
            other => other,
        }
    }

    /// A value that is not valid for `ty`.
    pub fn invalid(ty: &'static str, value: &str) -> XmlError {
        XmlError::Invalid {
            at: String::new(),
            ty,
            value: value.chars().take(64).collect(),
        }
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::Syntax(m) => write!(f, "malformed XML: {m}"),
            XmlError::UnexpectedRoot { expected, found } => {
                write!(f, "expected root element {expected}, found {found}")
            }
            XmlError::Missing { parent, name } => {
                write!(f, "`{parent}` lacks the required {name}")
            }
            XmlError::NotNillable(n) => write!(f, "`{n}` is xsi:nil but not nillable"),
            XmlError::UnknownValue { ty, value } => {
                write!(f, "`{value}` is not a value of the enumeration {ty}")
            }
            XmlError::Invalid { at, ty, value } => {
                write!(f, "`{value}` in `{at}` is not a valid {ty}")
            }
            XmlError::Writer(m) => write!(f, "XML writer misuse: {m}"),
        }
    }
}

impl std::error::Error for XmlError {}
