//! The byte-level multipart scanner: finds delimiters across chunk edges while holding at most
//! one incoming chunk plus a delimiter's length, whatever the size of a part.

use std::fmt::Display;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Buf, Bytes, BytesMut};
use futures_util::Stream;
use memchr::memmem::Finder;

use crate::error::{Error, Result};

/// The most bytes a part's header block may take; real ones are a few hundred.
const MAX_HEADERS: usize = 16 << 10;

/// A part's MIME headers, names lower-cased, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

impl Headers {
    /// The value of header `name` (lower-case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Splits a `multipart/*` byte stream at `boundary`.
pub(crate) struct Scanner<S> {
    stream: S,
    buf: BytesMut,
    /// `\n--boundary`: matching on LF alone accepts bare-LF senders as well as CRLF ones, and the
    /// CR before it is dropped from the data.
    finder: Finder<'static>,
    delimiter_len: usize,
    eof: bool,
}

impl<S, E> Scanner<S>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: Display,
{
    pub(crate) fn new(stream: S, boundary: &str) -> Self {
        let delimiter = format!("\n--{boundary}").into_bytes();
        Self {
            stream,
            // The first delimiter may open the body with no line break before it; a virtual one
            // lets the same search find it (what precedes it is the preamble, discarded).
            buf: BytesMut::from(&b"\r\n"[..]),
            delimiter_len: delimiter.len(),
            finder: Finder::new(&delimiter).into_owned(),
            eof: false,
        }
    }

    /// Reads one more chunk into the buffer; `false` at the end of the input.
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<Result<bool>> {
        while !self.eof {
            match ready!(Pin::new(&mut self.stream).poll_next(cx)) {
                Some(Ok(chunk)) if chunk.is_empty() => {}
                Some(Ok(chunk)) => {
                    self.buf.extend_from_slice(&chunk);
                    return Poll::Ready(Ok(true));
                }
                Some(Err(e)) => return Poll::Ready(Err(Error::BodyRead(e.to_string()))),
                None => self.eof = true,
            }
        }
        Poll::Ready(Ok(false))
    }

    /// The next piece of the current part's data, or `None` once its closing delimiter has been
    /// read (and consumed). The input ending first is [`Error::Truncated`].
    pub(crate) fn poll_body(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Bytes>>> {
        loop {
            if let Some(at) = self.finder.find(&self.buf) {
                let end = if at > 0 && self.buf[at - 1] == b'\r' {
                    at - 1
                } else {
                    at
                };
                if end > 0 {
                    return Poll::Ready(Ok(Some(self.buf.split_to(end).freeze())));
                }
                self.buf.advance(at + self.delimiter_len);
                return Poll::Ready(Ok(None));
            }
            // A delimiter can only start in the last `delimiter_len` bytes (its CR included):
            // everything before them is data for sure.
            let safe = self.buf.len().saturating_sub(self.delimiter_len);
            if safe > 0 {
                return Poll::Ready(Ok(Some(self.buf.split_to(safe).freeze())));
            }
            if !ready!(self.poll_fill(cx))? {
                return Poll::Ready(Err(Error::Truncated("inside a part".into())));
            }
        }
    }

    /// What follows a delimiter: `--` closes the message (`true`); otherwise optional transport
    /// padding and a line break open the next part (`false`).
    pub(crate) fn poll_after_delimiter(&mut self, cx: &mut Context<'_>) -> Poll<Result<bool>> {
        loop {
            if self.buf.starts_with(b"--") {
                self.buf.advance(2);
                return Poll::Ready(Ok(true));
            }
            if let Some(nl) = memchr::memchr(b'\n', &self.buf) {
                if !self.buf[..nl]
                    .iter()
                    .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
                {
                    return Poll::Ready(Err(Error::Multipart(
                        "unexpected text after a boundary (is the boundary also in the data?)"
                            .into(),
                    )));
                }
                self.buf.advance(nl + 1);
                return Poll::Ready(Ok(false));
            }
            if self.buf.len() > 1024 {
                return Poll::Ready(Err(Error::Multipart(
                    "no line break after a boundary".into(),
                )));
            }
            if !ready!(self.poll_fill(cx))? {
                return Poll::Ready(Err(Error::Truncated("after a boundary".into())));
            }
        }
    }

    /// A part's header block, up to and including the empty line that ends it.
    pub(crate) fn poll_headers(&mut self, cx: &mut Context<'_>) -> Poll<Result<Headers>> {
        loop {
            if let Some((block, end)) = header_block(&self.buf) {
                let headers = parse_headers(block)?;
                self.buf.advance(end);
                return Poll::Ready(Ok(headers));
            }
            if self.buf.len() > MAX_HEADERS {
                return Poll::Ready(Err(Error::TooLarge {
                    size: self.buf.len(),
                    limit: MAX_HEADERS,
                }));
            }
            if !ready!(self.poll_fill(cx))? {
                return Poll::Ready(Err(Error::Truncated("in a part's headers".into())));
            }
        }
    }

    /// Reads the current part's data whole, refusing more than `limit` bytes.
    pub(crate) async fn read_body(&mut self, limit: usize) -> Result<Bytes> {
        let mut out = BytesMut::new();
        while let Some(chunk) = std::future::poll_fn(|cx| self.poll_body(cx)).await? {
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

    /// Reads past the current part's data without keeping it; more than `limit` bytes is an error.
    pub(crate) async fn skip_body(&mut self, limit: u64) -> Result<()> {
        let mut seen = 0u64;
        while let Some(chunk) = std::future::poll_fn(|cx| self.poll_body(cx)).await? {
            seen += chunk.len() as u64;
            if seen > limit {
                return Err(Error::TooLarge {
                    size: usize::try_from(seen).unwrap_or(usize::MAX),
                    limit: usize::try_from(limit).unwrap_or(usize::MAX),
                });
            }
        }
        Ok(())
    }

    pub(crate) async fn after_delimiter(&mut self) -> Result<bool> {
        std::future::poll_fn(|cx| self.poll_after_delimiter(cx)).await
    }

    pub(crate) async fn headers(&mut self) -> Result<Headers> {
        std::future::poll_fn(|cx| self.poll_headers(cx)).await
    }
}

/// The header block at the start of `buf` (without its blank line) and where the part's data
/// starts, once the blank line is in the buffer.
fn header_block(buf: &[u8]) -> Option<(&[u8], usize)> {
    // No headers at all: the data starts after the first line break.
    if buf.starts_with(b"\n") {
        return Some((&[], 1));
    }
    if buf.starts_with(b"\r\n") {
        return Some((&[], 2));
    }
    memchr::memchr_iter(b'\n', buf).find_map(|nl| {
        let next = &buf[nl + 1..];
        if next.starts_with(b"\n") {
            Some((&buf[..nl], nl + 2))
        } else if next.starts_with(b"\r\n") {
            Some((&buf[..nl], nl + 3))
        } else {
            None
        }
    })
}

/// `Name: value` lines, folded continuation lines joined.
fn parse_headers(block: &[u8]) -> Result<Headers> {
    let text = std::str::from_utf8(block)
        .map_err(|_| Error::Multipart("a part's headers are not UTF-8".into()))?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.split('\n').map(|l| l.trim_end_matches('\r')) {
        if line.starts_with([' ', '\t']) {
            match headers.last_mut() {
                Some((_, value)) => {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                None => {
                    return Err(Error::Multipart(
                        "a part's headers start with a continuation line".into(),
                    ));
                }
            }
            continue;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| Error::Multipart(format!("part header line `{line}` has no colon")))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok(Headers(headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_blocks_with_crlf_lf_and_none() {
        assert_eq!(
            header_block(b"A: 1\r\nB: 2\r\n\r\ndata"),
            Some((&b"A: 1\r\nB: 2\r"[..], 14))
        );
        assert_eq!(header_block(b"A: 1\n\ndata"), Some((&b"A: 1"[..], 6)));
        assert_eq!(header_block(b"\r\ndata"), Some((&b""[..], 2)));
        assert_eq!(header_block(b"A: 1\r\n\r"), None);
        let h = parse_headers(b"Content-ID: <a>\r\nX-Long: one\r\n two\r").expect("headers");
        assert_eq!(h.get("content-id"), Some("<a>"));
        assert_eq!(h.get("x-long"), Some("one two"));
        assert!(parse_headers(b"no colon").is_err());
        assert!(parse_headers(b" folded first").is_err());
    }
}
