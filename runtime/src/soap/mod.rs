//! SOAP 1.1 and 1.2 envelopes and faults.
//!
//! [`Envelope::parse`] accepts whatever prefixes a client chose (zeep's `soap-env:`/`ns0:`,
//! node-soap's `soap:` with every WSDL prefix on the Envelope) and hands out each header block and
//! the body's element as self-contained raw XML: prefixes the element uses but only an ancestor
//! declared are declared again on it, so generated code can parse it on its own.

mod fault;
mod from_error;
mod raw;
mod tree;

pub use fault::{ALTINN_FAULT_NS, AltinnFault, Fault, FaultCode, FaultDetail};

use crate::error::{Error, Result};

/// The SOAP 1.1 envelope namespace.
pub const SOAP11_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The SOAP 1.2 envelope namespace.
pub const SOAP12_ENVELOPE_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The SOAP version of an envelope, told by its namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SoapVersion {
    /// SOAP 1.1 (`text/xml`, `SOAPAction` header).
    V11,
    /// SOAP 1.2 (`application/soap+xml`, `action` parameter).
    V12,
}

impl SoapVersion {
    /// The envelope namespace of this version.
    pub fn namespace(self) -> &'static str {
        match self {
            Self::V11 => SOAP11_ENVELOPE_NS,
            Self::V12 => SOAP12_ENVELOPE_NS,
        }
    }

    /// The version whose envelope namespace is `ns`.
    pub fn from_namespace(ns: &str) -> Option<Self> {
        match ns {
            SOAP11_ENVELOPE_NS => Some(Self::V11),
            SOAP12_ENVELOPE_NS => Some(Self::V12),
            _ => None,
        }
    }

    /// The `Content-Type` of a message of this version; SOAP 1.2 carries the action in it.
    pub fn content_type(self, action: &str) -> String {
        match self {
            Self::V11 => "text/xml; charset=utf-8".to_owned(),
            Self::V12 if action.is_empty() => "application/soap+xml; charset=utf-8".to_owned(),
            Self::V12 => format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
        }
    }
}

/// A namespace-qualified name; an empty `ns` means no namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    /// The namespace URI, empty for none.
    pub ns: String,
    /// The local name.
    pub local: String,
}

impl QName {
    /// A name in namespace `ns`.
    pub fn new(ns: impl Into<String>, local: impl Into<String>) -> Self {
        Self {
            ns: ns.into(),
            local: local.into(),
        }
    }

    /// True when this is `{ns}local`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.local == local
    }
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ns.is_empty() {
            write!(f, "{}", self.local)
        } else {
            write!(f, "{{{}}}{}", self.ns, self.local)
        }
    }
}

/// Bounds on what [`Envelope::parse`] reads; hostile input is refused before it costs much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted message in bytes.
    pub max_bytes: usize,
    /// Deepest accepted element nesting.
    pub max_depth: usize,
    /// Most accepted elements and text nodes.
    pub max_nodes: usize,
}

impl Default for Limits {
    /// The generator's own limits: 32 MiB, 256 levels, 4 million nodes.
    fn default() -> Self {
        Self {
            max_bytes: 32 << 20,
            max_depth: 256,
            max_nodes: 4_000_000,
        }
    }
}

/// One element as self-contained raw XML, with its resolved name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawElement {
    /// The element's name.
    pub name: QName,
    /// The element's XML, declaring every namespace prefix it uses.
    pub xml: String,
}

impl RawElement {
    /// Wraps `xml` (one element, self-contained), reading its name.
    pub fn from_xml(xml: impl Into<String>) -> Result<Self> {
        let xml = xml.into();
        let root = tree::parse(&xml, &Limits::default())?;
        Ok(Self {
            name: root.name,
            xml,
        })
    }
}

/// A SOAP header block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderBlock {
    /// The block's element as raw XML.
    pub element: RawElement,
    /// Whether the block carries `mustUnderstand="1"` (or `"true"`) in the envelope namespace.
    pub must_understand: bool,
}

/// A parsed SOAP envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// SOAP 1.1 or 1.2, from the envelope namespace.
    pub version: SoapVersion,
    /// The header blocks, in document order.
    pub headers: Vec<HeaderBlock>,
    /// The body's one child element (an operation's wrapper element or a `Fault`).
    pub body: RawElement,
}

impl Envelope {
    /// An envelope with no headers around `body`.
    pub fn new(version: SoapVersion, body: RawElement) -> Self {
        Self {
            version,
            headers: Vec::new(),
            body,
        }
    }

    /// Parses a message with the default [`Limits`].
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        Self::parse_with(bytes, &Limits::default())
    }

    /// Parses a message, refusing anything over `limits`, DTDs, processing instructions, unknown
    /// entities, ill-formed XML and non-UTF-8 input. Names are resolved down to the header blocks
    /// and the body element; below them the reader of the raw XML resolves its own names (a
    /// prefix left undeclared deep in the body is refused there, not here).
    pub fn parse_with(bytes: &[u8], limits: &Limits) -> Result<Self> {
        if bytes.len() > limits.max_bytes {
            return Err(Error::TooLarge {
                size: bytes.len(),
                limit: limits.max_bytes,
            });
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let src = std::str::from_utf8(bytes).map_err(|_| Error::NotUtf8)?;
        // Envelope, Header/Body, then the blocks and the body element: nothing deeper is kept.
        let root = tree::parse_shallow(src, limits, 2)?;
        raw::envelope(src, &root)
    }

    /// Writes the envelope with the `s:` prefix, as WCF does.
    pub fn to_xml(&self) -> String {
        let ns = self.version.namespace();
        let mut out = String::with_capacity(self.body.xml.len() + 256);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        out.push_str(&format!("<s:Envelope xmlns:s=\"{ns}\">"));
        if !self.headers.is_empty() {
            out.push_str("<s:Header>");
            for h in &self.headers {
                out.push_str(&h.element.xml);
            }
            out.push_str("</s:Header>");
        }
        out.push_str("<s:Body>");
        out.push_str(&self.body.xml);
        out.push_str("</s:Body></s:Envelope>");
        out
    }

    /// The fault this envelope carries, if its body is a `Fault` of its version.
    pub fn fault(&self) -> Option<Result<Fault>> {
        self.body
            .name
            .is(self.version.namespace(), "Fault")
            .then(|| Fault::from_xml(self.version, &self.body.xml))
    }
}
