//! MTOM/XOP (`multipart/related; type="application/xop+xml"`), streamed both ways.
//!
//! BrokerServiceExternalBasicStreamed uploads and downloads files as MTOM messages: a root part
//! holding the SOAP envelope, whose `<DataStream>` holds `<xop:Include href="cid:..."/>`, and the
//! file as a following part. [`Reader`] parses such a request from any byte stream (axum's
//! `Body::into_data_stream()`), buffering only the envelope; each attachment is a [`Part`], a
//! stream of the bytes as they arrive. [`Writer`] builds the same shape for an answer around a
//! byte stream (an Altinn 3 download). Clients that do not send MTOM (zeep puts the file base64
//! inline) are read by [`read`] too, within the normal body limit, so one code path serves both.

mod base64;
mod content_type;
mod reader;
mod scanner;
mod writer;
mod xop;

use std::fmt::Display;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};

pub use base64::base64_stream;
pub use content_type::{MediaType, Related};
pub use reader::{Part, Reader};
pub use scanner::Headers;
pub use writer::Writer;
pub use xop::{Include, XOP_NS, includes, inline_base64};

use crate::error::{Error, Result};
use crate::soap::{Envelope, Limits};

/// A message body as a boxed byte stream (what [`Writer::into_stream`] returns).
pub type BodyStream = crate::http::ByteStream;

/// A SOAP request read by [`read`]: MTOM, or a plain envelope.
#[derive(Debug)]
pub enum Incoming<S> {
    /// A `multipart/related` message; its attachments are still in the input.
    Mtom(Box<Reader<S>>),
    /// A plain SOAP message, read whole within the limits; binaries are base64 inline.
    Plain(Envelope),
}

/// Reads a SOAP request sent with `content_type`: MTOM is opened with [`Reader::open`] (only
/// the root part is read), anything else is read whole (refused over `limits.max_bytes`) and
/// parsed as an envelope.
pub async fn read<S, E>(content_type: &str, body: S, limits: &Limits) -> Result<Incoming<S>>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: Display,
{
    let media = MediaType::parse(content_type)?;
    if media.essence == "multipart/related" {
        return Reader::open(content_type, body, limits)
            .await
            .map(|r| Incoming::Mtom(Box::new(r)));
    }
    let bytes = collect(body, limits.max_bytes).await?;
    Envelope::parse_with(&bytes, limits).map(Incoming::Plain)
}

/// Reads `body` whole, refusing more than `limit` bytes.
async fn collect<S, E>(mut body: S, limit: usize) -> Result<Bytes>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: Display,
{
    let mut out = BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| Error::BodyRead(e.to_string()))?;
        if out.len() + chunk.len() > limit {
            return Err(Error::TooLarge {
                size: out.len() + chunk.len(),
                limit,
            });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out.freeze())
}

impl<S, E> Incoming<S>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: Display,
{
    /// The envelope (the root part's, for MTOM).
    pub fn envelope(&self) -> &Envelope {
        match self {
            Self::Mtom(r) => r.envelope(),
            Self::Plain(e) => e,
        }
    }

    /// The envelope and the binary content of the first body element named `local`
    /// (`DataStream`): its attachment streamed, or its inline base64 decoded.
    pub async fn into_binary(self, local: &str) -> Result<(Envelope, Binary<S>)> {
        match self {
            Self::Mtom(reader) => {
                let (envelope, part) = (*reader).into_part(local).await?;
                Ok((envelope, Binary::Part(Box::new(part))))
            }
            Self::Plain(envelope) => {
                let data = inline_base64(&envelope, local)?.ok_or_else(|| Error::Convert {
                    field: local.to_owned(),
                    message: "the body has no such element".into(),
                })?;
                Ok((envelope, Binary::Inline(Some(data))))
            }
        }
    }
}

/// A request's binary content as one stream, whichever way it came.
#[derive(Debug)]
pub enum Binary<S> {
    /// Decoded from inline base64 (one chunk; `None` once handed out).
    Inline(Option<Bytes>),
    /// An MTOM attachment, streamed.
    Part(Box<Part<S>>),
}

impl<S> Binary<S> {
    /// The size when it is known up front (inline data), for a `Content-Length`.
    pub fn len_hint(&self) -> Option<u64> {
        match self {
            Self::Inline(data) => Some(data.as_ref().map_or(0, |d| d.len() as u64)),
            Self::Part(_) => None,
        }
    }
}

impl<S, E> Stream for Binary<S>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: Display,
{
    type Item = Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.get_mut() {
            Self::Inline(data) => Poll::Ready(data.take().map(Ok)),
            Self::Part(part) => Pin::new(part.as_mut()).poll_next(cx),
        }
    }
}
