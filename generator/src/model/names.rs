//! Qualified names and stable ids.

use std::fmt;

use serde::{Serialize, Serializer};

/// A namespace-qualified name. XML names use their target namespace; OpenAPI names use the
/// empty namespace. Ordered by namespace, then local name, so maps keyed by it iterate stably.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct QName {
    /// Namespace URI (empty for none).
    pub ns: String,
    /// Local part.
    pub local: String,
}

impl QName {
    /// A qualified name.
    pub fn new(ns: impl Into<String>, local: impl Into<String>) -> Self {
        QName {
            ns: ns.into(),
            local: local.into(),
        }
    }

    /// A name in no namespace.
    pub fn local(local: impl Into<String>) -> Self {
        QName {
            ns: String::new(),
            local: local.into(),
        }
    }
}

/// Clark notation: `{ns}local`, or just `local` without a namespace.
impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ns.is_empty() {
            f.write_str(&self.local)
        } else {
            write!(f, "{{{}}}{}", self.ns, self.local)
        }
    }
}

impl Serialize for QName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }
    };
}

string_id!(
    /// Stable id of a type in a [`TypeGraph`](super::TypeGraph).
    ///
    /// XSD named types: `{ns}Name`. XSD anonymous types: the path of the declaration that holds
    /// them, e.g. `{ns}InsertCorrespondenceBasicV2#` or `{ns}Outer#/inner`. OpenAPI component
    /// schemas: `#/components/schemas/Name`; inline schemas: their JSON pointer. Both spellings
    /// depend only on the document, never on load order.
    TypeId
);
string_id!(
    /// Stable id of a SOAP operation: `{binding ns}BindingName/OperationName`.
    OpId
);
string_id!(
    /// Stable id of a REST endpoint: `METHOD /path` (or `webhook NAME METHOD` for webhooks).
    EndpointId
);
