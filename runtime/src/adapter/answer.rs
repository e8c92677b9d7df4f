//! The facade's answer when an operation downloads files from Altinn 3: the response element as
//! XML with a placeholder where each file belongs, and the files' bodies, opened but unread, to
//! be streamed into the answer (an MTOM part, or base64 inline) as the client reads it.

use super::plan::Operation;
use super::{Settings, Upstream, exec, typed};
use crate::http::ByteStream;
use crate::soap::Fault;
use crate::xml::{Element, XmlContent};

/// An operation's answer as the facade writes it.
#[derive(Debug, Default)]
pub struct XmlAnswer {
    /// The response element as XML (no declaration); empty for a one-way operation.
    pub xml: String,
    /// The bodies still to be streamed, each standing in `xml` as its placeholder text.
    pub parts: Vec<Pending>,
}

/// A download whose headers arrived with a success status and whose body has not been read.
pub struct Pending {
    /// The text in the answer's XML where the body's content belongs (unique to this answer).
    pub placeholder: String,
    /// The field is base64Binary (an MTOM answer may carry it as an `xop:Include`d part);
    /// otherwise it is text that holds the body's base64.
    pub binary: bool,
    /// The download's `Content-Type`.
    pub content_type: String,
    /// The download's `Content-Length`, when announced.
    pub len: Option<u64>,
    /// The body; a failure mid-way ends it with an error.
    pub body: ByteStream,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("placeholder", &self.placeholder)
            .field("binary", &self.binary)
            .field("content_type", &self.content_type)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// A piece of an answer in document order: text as it is, or a body to stream in.
#[derive(Debug)]
pub enum Segment {
    /// XML text.
    Text(String),
    /// A body whose content goes here.
    Body(Pending),
}

impl XmlAnswer {
    /// An answer with nothing to stream.
    pub fn xml(xml: String) -> Self {
        Self {
            xml,
            parts: Vec::new(),
        }
    }

    /// The XML cut at each placeholder, in document order. A body whose placeholder the XML
    /// does not hold (the typed output dropped the field) is closed unread.
    pub fn segments(self) -> Vec<Segment> {
        let mut found: Vec<(usize, Pending)> = self
            .parts
            .into_iter()
            .filter_map(|p| self.xml.find(&p.placeholder).map(|at| (at, p)))
            .collect();
        found.sort_by_key(|(at, _)| *at);
        let mut out = Vec::with_capacity(found.len() * 2 + 1);
        let mut from = 0;
        for (at, part) in found {
            out.push(Segment::Text(self.xml[from..at].to_owned()));
            from = at + part.placeholder.len();
            out.push(Segment::Body(part));
        }
        out.push(Segment::Text(self.xml[from..].to_owned()));
        out
    }
}

/// The facade's path for an operation that may download files: like
/// [`call_xml`](super::call_xml) (the answer is read through the generated output type `O`, so
/// it fits the contract), but each whole-body download into a binary field is left streaming,
/// its status already checked (a refusal is the manifest's fault, as on the buffered path).
pub async fn call_xml_answer<O: XmlContent>(
    op: &'static Operation,
    input: Vec<Element>,
    upstream: &Upstream,
    settings: &Settings,
) -> Result<XmlAnswer, Fault> {
    let (out, parts) = exec::run_answer(op, input, None, upstream, settings)
        .await
        .map_err(|e| super::fault(op, &e))?;
    let Some(el) = out else {
        return Ok(XmlAnswer::default());
    };
    let xml = typed::retyped::<O>(&el).map_err(|e| super::fault(op, &e))?;
    Ok(XmlAnswer { xml, parts })
}
