//! Writing an MTOM answer: the envelope as the root part, attachments streamed after it.

use std::fmt::Display;

use bytes::Bytes;
use futures_util::{Stream, StreamExt, stream};

use super::BodyStream;
use super::xop::XOP_NS;
use crate::error::Error;
use crate::soap::SoapVersion;

/// A `multipart/related` MTOM message under construction.
///
/// ```
/// # use altinn_bridge_runtime::mtom::Writer;
/// # use altinn_bridge_runtime::soap::SoapVersion;
/// # use altinn_bridge_runtime::bytes::Bytes;
/// let cid = Writer::new_cid();
/// let envelope = format!("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>\
///     <R><Data>{}</Data></R></s:Body></s:Envelope>", Writer::include(&cid));
/// let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"..."))]);
/// let writer = Writer::new(SoapVersion::V11, envelope).attach(&cid, "application/octet-stream", chunks);
/// let content_type = writer.content_type();
/// let body = writer.into_stream();
/// # let _ = (content_type, body);
/// ```
pub struct Writer {
    version: SoapVersion,
    boundary: String,
    start: String,
    root: BodyStream,
    parts: Vec<(String, String, BodyStream)>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("boundary", &self.boundary)
            .field("start", &self.start)
            .field("parts", &self.parts.len())
            .finish_non_exhaustive()
    }
}

impl Writer {
    /// A message whose root part is `envelope` (a whole SOAP envelope of `version`).
    pub fn new(version: SoapVersion, envelope: impl Into<Bytes>) -> Self {
        let root = Ok(envelope.into());
        Self::streamed(version, stream::once(async move { root }).boxed())
    }

    /// A message whose root part is streamed from `envelope` (an answer with a binary put
    /// inline as base64 text, as for a `xs:string` field, still streaming).
    pub fn streamed(version: SoapVersion, envelope: BodyStream) -> Self {
        Self {
            version,
            // WCF's shape; a UUID cannot occur in the envelope or by chance in a binary.
            boundary: format!("uuid:{}", uuid::Uuid::new_v4()),
            start: Self::new_cid(),
            root: envelope,
            parts: Vec::new(),
        }
    }

    /// A fresh Content-ID for an attachment.
    pub fn new_cid() -> String {
        format!("{}@altinn-bridge", uuid::Uuid::new_v4())
    }

    /// The `<xop:Include>` element to put in the envelope where the binary of `cid` belongs.
    pub fn include(cid: &str) -> String {
        format!("<xop:Include xmlns:xop=\"{XOP_NS}\" href=\"cid:{cid}\"/>")
    }

    /// Adds an attachment streamed from `body`; an error from it aborts the answer mid-way (the
    /// receiver sees a message without its closing boundary, never a complete one).
    pub fn attach<S, E>(mut self, cid: &str, content_type: &str, body: S) -> Self
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Send + 'static,
        E: Display,
    {
        let body = body.map(|r| r.map_err(|e| Error::BodyRead(e.to_string())));
        self.parts
            .push((cid.to_owned(), content_type.to_owned(), body.boxed()));
        self
    }

    /// The message's `Content-Type` header value.
    pub fn content_type(&self) -> String {
        format!(
            "multipart/related; type=\"application/xop+xml\"; boundary=\"{}\"; start=\"<{}>\"; start-info=\"{}\"",
            self.boundary,
            self.start,
            self.start_info()
        )
    }

    fn start_info(&self) -> &'static str {
        match self.version {
            SoapVersion::V11 => "text/xml",
            SoapVersion::V12 => "application/soap+xml",
        }
    }

    /// The message body as a stream: headers and boundaries are small chunks between the
    /// attachments' own chunks, so nothing is copied or held beyond one chunk.
    pub fn into_stream(self) -> BodyStream {
        let root_head = format!(
            "--{}\r\nContent-ID: <{}>\r\nContent-Transfer-Encoding: 8bit\r\nContent-Type: application/xop+xml; charset=utf-8; type=\"{}\"\r\n\r\n",
            self.boundary,
            self.start,
            self.start_info()
        );
        let head = Ok(Bytes::from(root_head));
        let mut out: BodyStream = stream::once(async move { head }).chain(self.root).boxed();
        for (cid, content_type, body) in self.parts {
            let head = format!(
                "\r\n--{}\r\nContent-ID: <{cid}>\r\nContent-Transfer-Encoding: binary\r\nContent-Type: {content_type}\r\n\r\n",
                self.boundary
            );
            out = out
                .chain(stream::once(
                    async move { Ok::<_, Error>(Bytes::from(head)) },
                ))
                .chain(body)
                .boxed();
        }
        let tail = Bytes::from(format!("\r\n--{}--\r\n", self.boundary));
        out.chain(stream::once(async move { Ok::<_, Error>(tail) }))
            .boxed()
    }
}
