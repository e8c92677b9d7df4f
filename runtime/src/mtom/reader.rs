//! Reading an MTOM request: the root part buffered and parsed, the attachments streamed.

use std::fmt::Display;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_util::Stream;

use super::content_type::{Related, strip_angles};
use super::scanner::{Headers, Scanner};
use super::xop::{self, Include};
use crate::error::{Error, Result};
use crate::soap::{Envelope, Limits};

/// The rest of a message after the root part: the scanner and the bookkeeping that checks every
/// part against the envelope's `xop:Include`s.
struct Rest<S> {
    scanner: Scanner<S>,
    /// Content-IDs referenced and not seen yet, in reference order.
    pending: Vec<String>,
    /// Whether the delimiter just read was the closing one.
    last: bool,
}

impl<S, E> Rest<S>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: Display,
{
    /// The part whose headers come next, checked against the references.
    async fn next_part(mut self) -> Result<Option<Part<S>>> {
        if self.last {
            return match self.pending.first() {
                Some(cid) => Err(Error::MissingPart(cid.clone())),
                None => Ok(None),
            };
        }
        let headers = self.scanner.headers().await?;
        let content_id = self.claim(&headers)?;
        Ok(Some(Part {
            content_id,
            content_type: headers.get("content-type").map(str::to_owned),
            headers,
            rest: self,
            state: State::Data,
        }))
    }

    /// The part's Content-ID, taken off the pending list; one no `xop:Include` names (or names
    /// a second time) is refused.
    fn claim(&mut self, headers: &Headers) -> Result<String> {
        let id = headers
            .get("content-id")
            .map(strip_angles)
            .ok_or_else(|| Error::Multipart("a part has no Content-ID".into()))?;
        let at = self
            .pending
            .iter()
            .position(|p| p == id)
            .ok_or_else(|| Error::UnreferencedPart(id.to_owned()))?;
        Ok(self.pending.remove(at))
    }
}

/// An MTOM (`multipart/related; type="application/xop+xml"`) message being read.
///
/// [`Reader::open`] reads up to the end of the root part only; the attachments stay in the
/// input until [`Reader::next_part`] hands them out one at a time as byte streams.
pub struct Reader<S> {
    envelope: Envelope,
    includes: Vec<Include>,
    related: Related,
    rest: Rest<S>,
}

impl<S> std::fmt::Debug for Reader<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("related", &self.related)
            .field("includes", &self.includes)
            .finish_non_exhaustive()
    }
}

impl<S, E> Reader<S>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: Display,
{
    /// Reads the root part of `body`, sent with `content_type`, and parses its envelope within
    /// `limits` (the root part and the preamble count against `limits.max_bytes`).
    pub async fn open(content_type: &str, body: S, limits: &Limits) -> Result<Self> {
        let related = Related::parse(content_type)?;
        let mut scanner = Scanner::new(body, &related.boundary);
        scanner
            .skip_body(limits.max_bytes as u64)
            .await
            .map_err(|e| match e {
                Error::Truncated(_) => Error::Multipart(format!(
                    "the body holds no `--{}` delimiter",
                    related.boundary
                )),
                e => e,
            })?;
        let start = related.start.clone().unwrap_or_default();
        if scanner.after_delimiter().await? {
            return Err(Error::MissingPart(start));
        }
        let headers = scanner.headers().await?;
        let id = headers.get("content-id").map(strip_angles);
        if related.start.is_some() && id != related.start.as_deref() {
            // Parts are read in order and attachments are never buffered, so the root must
            // come first (every MTOM sender puts it there).
            return Err(Error::MissingPart(start));
        }
        let root = scanner.read_body(limits.max_bytes).await?;
        let envelope = Envelope::parse_with(&root, limits)?;
        let includes = xop::includes(&envelope)?;
        let mut pending: Vec<String> = Vec::new();
        for i in &includes {
            if !pending.contains(&i.cid) {
                pending.push(i.cid.clone());
            }
        }
        let last = scanner.after_delimiter().await?;
        Ok(Self {
            envelope,
            includes,
            related,
            rest: Rest {
                scanner,
                pending,
                last,
            },
        })
    }

    /// The root part's envelope.
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// The `xop:Include`s of the envelope, in document order.
    pub fn includes(&self) -> &[Include] {
        &self.includes
    }

    /// The message's `Content-Type` parameters.
    pub fn related(&self) -> &Related {
        &self.related
    }

    /// The next attachment, or `None` after the last one. A part no `xop:Include` names is
    /// [`Error::UnreferencedPart`]; the message ending while one is still unseen is
    /// [`Error::MissingPart`].
    pub async fn next_part(self) -> Result<Option<Part<S>>> {
        self.rest.next_part().await
    }

    /// The envelope, and the part included under the first element named `local` (the
    /// attachments before it are read past, not kept).
    pub async fn into_part(self, local: &str) -> Result<(Envelope, Part<S>)> {
        let cid = self
            .includes
            .iter()
            .find(|i| i.element.local == local)
            .map(|i| i.cid.clone())
            .ok_or_else(|| {
                Error::Multipart(format!("`{local}` holds no xop:Include in the envelope"))
            })?;
        let envelope = self.envelope;
        let mut next = self.rest.next_part().await?;
        while let Some(part) = next {
            if part.content_id == cid {
                return Ok((envelope, part));
            }
            next = part.next_part().await?;
        }
        Err(Error::MissingPart(cid))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Handing out the part's data.
    Data,
    /// The closing delimiter is read; what follows decides how the stream ends.
    Closing,
    /// No part is expected any more but the message goes on: read the intruder's headers.
    Intruder,
    /// Ended; another referenced part follows.
    Between,
    /// Ended: the message is complete, or an error was yielded.
    Done,
}

/// One attachment, streamed: a [`Stream`] of its bytes that holds one input chunk at a time.
///
/// When this is the last part the envelope references, the stream also checks that the message
/// closes properly after it: a truncated message or an unreferenced extra part ends the stream
/// with an error instead of a clean end, so a consumer forwarding it (an upload to Altinn 3)
/// aborts rather than completes with bad data.
pub struct Part<S> {
    /// The Content-ID, without angle brackets.
    pub content_id: String,
    /// The part's own Content-Type, if it has one.
    pub content_type: Option<String>,
    /// All the part's MIME headers.
    pub headers: Headers,
    rest: Rest<S>,
    state: State,
}

impl<S> std::fmt::Debug for Part<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Part")
            .field("content_id", &self.content_id)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl<S, E> Part<S>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: Display,
{
    /// Reads past what is left of this part and returns the next one (see [`Reader::next_part`]).
    pub async fn next_part(mut self) -> Result<Option<Part<S>>> {
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            item?;
        }
        match self.state {
            State::Between => self.rest.next_part().await,
            _ => Ok(None),
        }
    }

    fn poll_step(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes>>> {
        loop {
            match self.state {
                State::Data => match ready!(self.rest.scanner.poll_body(cx)) {
                    Ok(Some(data)) => return Poll::Ready(Some(Ok(data))),
                    Ok(None) => self.state = State::Closing,
                    Err(e) => return self.fail(e),
                },
                State::Closing => {
                    let last = match ready!(self.rest.scanner.poll_after_delimiter(cx)) {
                        Ok(last) => last,
                        Err(e) => return self.fail(e),
                    };
                    self.rest.last = last;
                    self.state = match (last, self.rest.pending.first()) {
                        (true, None) => State::Done,
                        (true, Some(cid)) => {
                            let missing = Error::MissingPart(cid.clone());
                            return self.fail(missing);
                        }
                        (false, None) => State::Intruder,
                        (false, Some(_)) => State::Between,
                    };
                }
                State::Intruder => {
                    let headers = match ready!(self.rest.scanner.poll_headers(cx)) {
                        Ok(h) => h,
                        Err(e) => return self.fail(e),
                    };
                    let id = headers.get("content-id").map(strip_angles).unwrap_or("");
                    return self.fail(Error::UnreferencedPart(id.to_owned()));
                }
                State::Between | State::Done => return Poll::Ready(None),
            }
        }
    }

    fn fail(&mut self, e: Error) -> Poll<Option<Result<Bytes>>> {
        self.state = State::Done;
        Poll::Ready(Some(Err(e)))
    }
}

impl<S, E> Stream for Part<S>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: Display,
{
    type Item = Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_step(cx)
    }
}
