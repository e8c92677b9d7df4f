//! XOP (`xop:Include`) references in an envelope, and the inline base64 form zeep sends instead.

use base64::Engine;
use bytes::Bytes;

use super::content_type::cid_from_href;
use crate::error::{Error, Result};
use crate::soap::{Envelope, QName};
use crate::xml::{self as tree, Element, Node};

/// The XOP namespace of `<xop:Include href="cid:..."/>`.
pub const XOP_NS: &str = "http://www.w3.org/2004/08/xop/include";

/// One `xop:Include` in an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The Content-ID it names (the `cid:` URL decoded, no angle brackets).
    pub cid: String,
    /// The element whose content the part is (`DataStream` for the broker's upload).
    pub element: QName,
}

/// Every `xop:Include` in the header blocks and the body, in document order.
pub fn includes(envelope: &Envelope) -> Result<Vec<Include>> {
    let mut found = Vec::new();
    let blocks = envelope.headers.iter().map(|h| &h.element.xml);
    for xml in blocks.chain(std::iter::once(&envelope.body.xml)) {
        collect(&parse(xml)?, &mut found)?;
    }
    Ok(found)
}

fn parse(xml: &str) -> Result<Element> {
    tree::parse(xml).map_err(|e| Error::Envelope(e.to_string()))
}

fn collect(element: &Element, found: &mut Vec<Include>) -> Result<()> {
    for child in element.elements() {
        if child.ns == XOP_NS && child.local == "Include" {
            let href = child.attribute("", "href").unwrap_or_default();
            let cid = cid_from_href(href).ok_or_else(|| {
                Error::Multipart(format!(
                    "xop:Include in `{}` has href `{href}`, not a cid: URL",
                    element.local
                ))
            })?;
            found.push(Include {
                cid,
                element: QName::new(&element.ns, &element.local),
            });
        } else {
            collect(child, found)?;
        }
    }
    Ok(())
}

/// The first element named `local` anywhere in the body, decoded from its base64 text: the
/// binary of a plain (non-MTOM) message. `None` when there is no such element. An element holding
/// an `xop:Include` here names a part the plain message cannot have: [`Error::MissingPart`].
pub fn inline_base64(envelope: &Envelope, local: &str) -> Result<Option<Bytes>> {
    let body = parse(&envelope.body.xml)?;
    let Some(element) = find(&body, local) else {
        return Ok(None);
    };
    let mut nested = Vec::new();
    collect(element, &mut nested)?;
    if let Some(include) = nested.first() {
        return Err(Error::MissingPart(include.cid.clone()));
    }
    let text: Vec<u8> = element
        .children
        .iter()
        .filter_map(|n| match n {
            Node::Text(t) => Some(t.as_bytes()),
            Node::Element(_) => None,
        })
        .flatten()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(&text)
        .map(|v| Some(Bytes::from(v)))
        .map_err(|e| Error::Convert {
            field: local.to_owned(),
            message: format!("not base64: {e}"),
        })
}

fn find<'a>(element: &'a Element, local: &str) -> Option<&'a Element> {
    if element.local == local {
        return Some(element);
    }
    element.elements().find_map(|c| find(c, local))
}
