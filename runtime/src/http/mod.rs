//! HTTP to Altinn 3 APIs on reqwest (rustls): bearer tokens, timeouts, safe retries, typed errors.

mod base;
mod problem;
mod request;
mod retry;
mod stream;

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;

pub use problem::{ApiError, ProblemDetails};
pub use request::{Body, Part, Request};
pub use reqwest::Method;
pub use retry::RetryPolicy;
pub use stream::{ByteStream, StreamResponse};

use crate::auth::TokenProvider;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    url: String,
}

impl Response {
    /// The body read as JSON into `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            url: self.url.clone(),
            message: e.to_string(),
        })
    }
}

/// A client for one API base URL.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    /// `base_url` parsed once: each request sets only its path on a copy, instead of parsing
    /// scheme, host and port again (unless it has placeholders).
    base: reqwest::Url,
    /// `base_url` split at its placeholders (`https://{org}.apps.altinn.no`), filled per request
    /// from its path parameters (see [`Request::base_param`]).
    template: base::Template,
    tokens: Option<TokenProvider>,
    bearer: Option<Secret>,
    subscription_key: Option<Secret>,
    retry: RetryPolicy,
    timeout: Duration,
}

/// One attempt's outcome, before the retry decision.
enum Attempt<T = Response> {
    Done(T),
    /// The error answer and the bearer token the request carried.
    Failed(Box<ApiError>, Option<Secret>),
}

impl Client {
    /// A client for `base_url` with no authentication, default retries and a 30 s timeout; a
    /// base that is not an absolute URL without query or fragment is [`Error::Config`].
    pub fn new(base_url: impl Into<String>) -> Result<Self> {
        let http = reqwest::Client::builder()
            // `send` retries what is safe to repeat itself; reqwest's own layer would only
            // hold a copy of every request.
            .retry(reqwest::retry::never())
            .build()
            .map_err(|e| Error::Request(e.to_string()))?;
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        let template = base::Template::parse(&base_url).map_err(Error::Config)?;
        // A templated base is checked with every placeholder standing for a plain label.
        let example = template.fill(
            &template
                .params()
                .map(|p| (p.to_owned(), "x".to_owned()))
                .collect::<Vec<_>>(),
        )?;
        let base = reqwest::Url::parse(&example)
            .ok()
            .filter(|u| u.query().is_none() && u.fragment().is_none())
            .ok_or_else(|| {
                Error::Config(format!(
                    "`{base_url}` is not a base URL (absolute, no query or fragment)"
                ))
            })?;
        Ok(Self {
            http,
            base_url,
            base,
            template,
            tokens: None,
            bearer: None,
            subscription_key: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
        })
    }

    /// Sends a Maskinporten bearer token from `tokens` (and its subscription key, if configured).
    pub fn with_tokens(mut self, tokens: TokenProvider) -> Self {
        self.subscription_key = self
            .subscription_key
            .or_else(|| tokens.config().subscription_key.clone());
        self.tokens = Some(tokens);
        self
    }

    /// Sends a fixed bearer token (one obtained elsewhere, or a test token) when no
    /// [`TokenProvider`] is set.
    pub fn with_bearer(mut self, token: Secret) -> Self {
        self.bearer = Some(token);
        self
    }

    /// Sends `Ocp-Apim-Subscription-Key` with every request.
    pub fn with_subscription_key(mut self, key: Secret) -> Self {
        self.subscription_key = Some(key);
        self
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the per-request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends `request` and decodes the JSON answer.
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.send(request).await?.json()
    }

    /// Sends `request`, retrying on 429/503, timeouts and refused connections only when the
    /// request is safe to repeat ([`Request::is_retry_safe`]).
    pub async fn send(&self, request: Request) -> Result<Response> {
        let url = self.full_url(&request)?;
        let max = if request.retry_safe {
            self.retry.max_attempts.max(1)
        } else {
            1
        };
        self.retrying(&request, &url, max, |attempt| {
            self.attempt(&request, &url, attempt)
        })
        .await
    }

    /// Runs `attempt` until it succeeds, renewing a refused token once and retrying what
    /// [`Client::send`] documents, at most `max` times.
    // A plain closure returning a future (not an async closure) keeps the callers' futures
    // `Send`, which axum handlers need.
    async fn retrying<T, F, Fut>(
        &self,
        request: &Request,
        url: &str,
        max: u32,
        attempt_once: F,
    ) -> Result<T>
    where
        F: Fn(u32) -> Fut,
        Fut: Future<Output = Result<Attempt<T>>>,
    {
        let mut attempt = 1;
        let mut renewed = false;
        loop {
            let (retryable, retry_after, error) = match attempt_once(attempt).await {
                Ok(Attempt::Done(response)) => return Ok(response),
                // A token revoked or rotated early: renew it once and resend. A 401 means the
                // request was refused unread, so this is safe even for writes.
                Ok(Attempt::Failed(api, Some(used))) if api.status == 401 && !renewed => {
                    renewed = true;
                    self.forget_token(request, &used).await;
                    continue;
                }
                Ok(Attempt::Failed(api, _)) => (
                    is_retryable_status(api.status),
                    api.retry_after,
                    Error::Api(api),
                ),
                Err(e @ (Error::Timeout { .. } | Error::Connect { .. })) => (true, None, e),
                Err(e) => return Err(e),
            };
            let delay = self.retry.delay(attempt, retry_after);
            match delay {
                Some(wait) if retryable && attempt < max => {
                    tracing::info!(method = %request.method, url, attempt, ?wait, "retrying: {error}");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                _ => return Err(error),
            }
        }
    }

    async fn forget_token(&self, request: &Request, used: &Secret) {
        if let Some(tokens) = &self.tokens {
            tracing::info!(method = %request.method, path = %request.path, "401: renewing the token once");
            tokens.forget(request.customer.as_deref(), used).await;
        }
    }

    async fn attempt(&self, request: &Request, url: &str, attempt: u32) -> Result<Attempt> {
        let timeout = request.timeout.unwrap_or(self.timeout);
        let (builder, token) = self.build(request, url, Some(timeout)).await?;
        let response = builder
            .send()
            .await
            .map_err(|e| transport_error(url, timeout, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(url, timeout, &e))?;
        tracing::debug!(method = %request.method, %url, attempt, status = status.as_u16(), "answered");
        if status.is_success() {
            return Ok(Attempt::Done(Response {
                status: status.as_u16(),
                headers,
                body,
                url: url.to_owned(),
            }));
        }
        let error = api_error(request, url, status.as_u16(), &headers, &body, attempt);
        Ok(Attempt::Failed(Box::new(error), token))
    }

    /// The base URL (placeholders filled from `request`'s path parameters) and its path, as text.
    fn full_url(&self, request: &Request) -> Result<String> {
        if self.template.is_fixed() {
            return Ok(format!("{}{}", self.base_url, request.path));
        }
        let base = self.template.fill(&request.base_params)?;
        Ok(format!("{base}{}", request.path))
    }

    /// Whether the base URL names placeholders, which each request fills from its path
    /// parameters ([`Request::base_param`]).
    pub fn has_placeholders(&self) -> bool {
        !self.template.is_fixed()
    }

    /// The path (and query) of `link` below this client's base URL, for `request`: an absolute
    /// URL must start with the base, a path with the base's path. A link elsewhere is refused: a
    /// next-page link must never carry this client's token to another host.
    pub fn below_base(&self, request: &Request, link: &str) -> Result<String> {
        let base = if self.template.is_fixed() {
            self.base_url.clone()
        } else {
            self.template.fill(&request.base_params)?
        };
        base::below(&base, link).ok_or_else(|| {
            Error::Request(format!(
                "the next page's link `{link}` is not below the API's base URL `{base}`; it is not followed"
            ))
        })
    }

    /// The URL of `path` on the parsed base, or `None` for a path carrying its own query or
    /// fragment, which the string `base_url + path` says as it is, and for a templated base,
    /// which differs per request.
    fn url(&self, path: &str) -> Option<reqwest::Url> {
        if path.contains(['?', '#']) || !self.template.is_fixed() {
            return None;
        }
        let mut url = self.base.clone();
        let joined = format!("{}{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        Some(url)
    }

    async fn build(
        &self,
        request: &Request,
        url: &str,
        timeout: Option<Duration>,
    ) -> Result<(reqwest::RequestBuilder, Option<Secret>)> {
        let mut builder = match self.url(&request.path) {
            Some(parsed) => self.http.request(request.method.clone(), parsed),
            None => self.http.request(request.method.clone(), url),
        };
        // Streamed transfers pass `None`: a deadline on the whole exchange would cut off a
        // large file, so they bound each wait instead (see `stream`).
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let mut used = None;
        if let Some(tokens) = &self.tokens {
            let token = match &request.customer {
                Some(orgnr) => tokens.system_user_token(orgnr).await?,
                None => tokens.token().await?,
            };
            builder = builder.header(AUTHORIZATION, format!("Bearer {}", token.value.expose()));
            used = Some(token.value);
        } else if let Some(token) = &self.bearer {
            builder = builder.header(AUTHORIZATION, format!("Bearer {}", token.expose()));
        }
        if let Some(key) = &self.subscription_key {
            builder = builder.header("Ocp-Apim-Subscription-Key", key.expose());
        }
        Ok((request::attach(builder, &request.body)?, used))
    }
}

/// The typed error for an answer with a failure status.
fn api_error(
    request: &Request,
    url: &str,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    attempts: u32,
) -> ApiError {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    ApiError {
        method: request.method.to_string(),
        url: url.to_owned(),
        status,
        problem: problem::parse_problem(content_type, body),
        body: problem::body_text(body),
        retry_after: headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(retry::parse_retry_after),
        attempts,
    }
}

fn is_retryable_status(status: u16) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS.as_u16()
        || status == StatusCode::SERVICE_UNAVAILABLE.as_u16()
}

/// Sorts a reqwest failure into the runtime's transport errors.
pub(crate) fn transport_error(url: &str, timeout: Duration, e: &reqwest::Error) -> Error {
    let url = url.split('?').next().unwrap_or(url).to_owned();
    if e.is_timeout() {
        Error::Timeout { url, timeout }
    } else if e.is_connect() {
        Error::Connect {
            url,
            message: e.to_string(),
        }
    } else {
        Error::Transport {
            url,
            message: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Client;

    /// Setting the path on the parsed base gives the URL that parsing the joined string gives.
    #[test]
    fn a_path_on_the_parsed_base_is_the_url_the_joined_string_parses_to() {
        let bases = [
            "http://127.0.0.1:8080",
            "https://platform.tt02.altinn.no/",
            "https://example.invalid/prefix/",
            "http://[::1]:9/a%20b",
        ];
        let paths = [
            "/correspondence/api/v1/correspondence",
            "/storage/api/v1/instances/512345/0b6e4c3a-6f0e-4b5b-9d2a-2f8e1c3d4e5f/data",
            "/a b/ø/%2F/x",
            "/",
            "",
        ];
        for base in bases {
            let client = Client::new(base).expect("a client");
            for path in paths {
                let joined = format!("{}{path}", client.base_url);
                let expected = reqwest::Url::parse(&joined).expect("a URL");
                assert_eq!(client.url(path), Some(expected), "{base} + {path}");
            }
        }
    }

    #[test]
    fn a_base_that_is_not_a_url_is_refused_when_the_client_is_made() {
        for base in [
            "platform.tt02.altinn.no",
            "https://x.invalid/?code=1",
            "http://x/#f",
        ] {
            let err = Client::new(base).expect_err(base).to_string();
            assert!(err.contains("is not a base URL"), "{base}: {err}");
        }
    }

    #[test]
    fn a_path_with_its_own_query_is_parsed_whole() {
        let client = Client::new("http://127.0.0.1:8080").expect("a client");
        assert_eq!(client.url("/x?y=1"), None);
        assert_eq!(client.url("/x#y"), None);
    }
}
