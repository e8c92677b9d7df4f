//! Streamed transfers (Broker file upload and download): bodies go through as they arrive, never
//! whole in memory.
//!
//! The client's timeout bounds each wait, not the whole transfer (a 1 GB file may take minutes):
//! an upload must get its answer's headers within it once the last byte is sent, a download its
//! headers within it, then each chunk within it of the previous one.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::{self, Either};
use futures_util::{Stream, StreamExt, stream};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap};
use tokio::sync::Notify;

use super::{Attempt, Client, Request, Response, api_error, transport_error};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// A body as a boxed byte stream.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

/// A successful answer whose body is still arriving.
pub struct StreamResponse {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, chunk by chunk; a stall longer than the client's timeout ends it with
    /// [`Error::Timeout`], a broken connection with [`Error::Transport`].
    pub body: ByteStream,
}

impl std::fmt::Debug for StreamResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl StreamResponse {
    /// The `Content-Length` the server announced.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
    }
}

impl Client {
    /// Sends `request` with `body` streamed as its content (`content_type`, and
    /// `Content-Length` when `content_length` is known, chunked otherwise). Never retried, not
    /// even after a 401, since a stream cannot be sent twice; an error from `body` aborts the
    /// upload so the server never sees a complete request. `request` must not carry a body.
    pub async fn send_stream<S, E>(
        &self,
        request: Request,
        content_type: &str,
        body: S,
        content_length: Option<u64>,
    ) -> Result<Response>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
    {
        if !matches!(request.body, super::Body::Empty) {
            return Err(Error::Request(
                "a streamed request carries its body as the stream only".into(),
            ));
        }
        let url = self.full_url(&request)?;
        let timeout = request.timeout.unwrap_or(self.timeout);
        let (mut builder, token) = self.build(&request, &url, None).await?;
        builder = builder.header(CONTENT_TYPE, content_type);
        if let Some(len) = content_length {
            builder = builder.header(CONTENT_LENGTH, len);
        }
        let sent = Arc::new(Notify::new());
        let body = signal_end(body, sent.clone(), content_length);
        let exchange = builder.body(reqwest::Body::wrap_stream(body)).send();
        let deadline = std::pin::pin!(deadline_after(sent, timeout));
        let response = match future::select(exchange, deadline).await {
            Either::Left((r, _)) => r.map_err(|e| transport_error(&url, timeout, &e))?,
            Either::Right(((), _)) => {
                return Err(Error::Timeout {
                    url: strip_query(&url),
                    timeout,
                });
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let answer = tokio::time::timeout(timeout, response.bytes())
            .await
            .map_err(|_| Error::Timeout {
                url: strip_query(&url),
                timeout,
            })?
            .map_err(|e| transport_error(&url, timeout, &e))?;
        tracing::debug!(method = %request.method, %url, status = status.as_u16(), "streamed upload answered");
        if !status.is_success() {
            self.forget_refused(&request, status.as_u16(), token).await;
            let error = api_error(&request, &url, status.as_u16(), &headers, &answer, 1);
            return Err(error.into());
        }
        Ok(Response {
            status: status.as_u16(),
            headers,
            body: answer,
            url,
        })
    }

    /// Sends `request` (a GET, usually) and hands the answer's body out as a stream. Retried like
    /// [`Client::send`] until the headers of a success arrive; after that, a failure ends the
    /// stream with an error. Error statuses are [`Error::Api`] with the ProblemDetails read.
    pub async fn get_stream(&self, request: Request) -> Result<StreamResponse> {
        let url = self.full_url(&request)?;
        let max = if request.retry_safe {
            self.retry.max_attempts.max(1)
        } else {
            1
        };
        self.retrying(&request, &url, max, |attempt| {
            self.stream_attempt(&request, &url, attempt)
        })
        .await
    }

    async fn stream_attempt(
        &self,
        request: &Request,
        url: &str,
        attempt: u32,
    ) -> Result<Attempt<StreamResponse>> {
        let timeout = request.timeout.unwrap_or(self.timeout);
        let (builder, token) = self.build(request, url, None).await?;
        let response = tokio::time::timeout(timeout, builder.send())
            .await
            .map_err(|_| Error::Timeout {
                url: strip_query(url),
                timeout,
            })?
            .map_err(|e| transport_error(url, timeout, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        tracing::debug!(method = %request.method, %url, attempt, status = status.as_u16(), "answered (streamed)");
        if status.is_success() {
            return Ok(Attempt::Done(StreamResponse {
                status: status.as_u16(),
                headers,
                body: idle_bounded(response.bytes_stream(), url.to_owned(), timeout),
            }));
        }
        let body = tokio::time::timeout(timeout, response.bytes())
            .await
            .ok()
            .and_then(|r| r.ok())
            .unwrap_or_default();
        let error = api_error(request, url, status.as_u16(), &headers, &body, attempt);
        Ok(Attempt::Failed(Box::new(error), token))
    }

    /// After a 401 the token is dropped from the cache, so the caller's next try gets a new one
    /// (this call cannot resend its stream itself).
    async fn forget_refused(&self, request: &Request, status: u16, token: Option<Secret>) {
        if let (401, Some(used)) = (status, token) {
            self.forget_token(request, &used).await;
        }
    }
}

/// `body`, notifying `sent` once its last byte has been taken: when it ends, or, with a known
/// length, when that many bytes have gone (hyper stops polling a sized body there).
fn signal_end<S, E>(
    body: S,
    sent: Arc<Notify>,
    length: Option<u64>,
) -> impl Stream<Item = std::result::Result<Bytes, E>>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Send + 'static,
    E: Send + 'static,
{
    let mut taken = 0u64;
    let counted = sent.clone();
    let body = body.inspect(move |item| {
        if let Ok(chunk) = item {
            taken += chunk.len() as u64;
            if length.is_some_and(|n| taken >= n) {
                counted.notify_one();
            }
        }
    });
    let end = stream::once(async move { sent.notify_one() })
        .filter_map(|()| async { None::<std::result::Result<Bytes, E>> });
    body.chain(end)
}

/// Completes `timeout` after `sent` is notified; pending until then.
async fn deadline_after(sent: Arc<Notify>, timeout: Duration) {
    sent.notified().await;
    tokio::time::sleep(timeout).await;
}

/// A response body whose every chunk must come within `timeout` of the previous one.
fn idle_bounded(
    body: impl Stream<Item = reqwest::Result<Bytes>> + Send + 'static,
    url: String,
    timeout: Duration,
) -> ByteStream {
    let body = Box::pin(body);
    stream::unfold(Some(body), move |state| {
        let url = url.clone();
        async move {
            let mut body = state?;
            match tokio::time::timeout(timeout, body.next()).await {
                Ok(Some(Ok(chunk))) => Some((Ok(chunk), Some(body))),
                Ok(None) => None,
                Ok(Some(Err(e))) => Some((Err(transport_error(&url, timeout, &e)), None)),
                Err(_) => Some((
                    Err(Error::Timeout {
                        url: strip_query(&url),
                        timeout,
                    }),
                    None,
                )),
            }
        }
    })
    .boxed()
}

fn strip_query(url: &str) -> String {
    url.split('?').next().unwrap_or(url).to_owned()
}
