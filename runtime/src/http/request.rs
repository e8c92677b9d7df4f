//! A request description that can be sent again: bodies are kept as cheap-to-clone bytes.

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

use crate::error::{Error, Result};

/// One part of a multipart/form-data body.
#[derive(Debug, Clone)]
pub struct Part {
    /// The form field name.
    pub name: String,
    /// The file name, for file parts.
    pub file_name: Option<String>,
    /// The part's content type.
    pub content_type: String,
    /// The part's bytes.
    pub data: Bytes,
}

/// A request body.
#[derive(Debug, Clone, Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// `application/json`, already serialised.
    Json(Bytes),
    /// Raw bytes with their content type (`application/octet-stream` for file uploads).
    Bytes {
        /// The content type.
        content_type: String,
        /// The bytes.
        data: Bytes,
    },
    /// `multipart/form-data`.
    Multipart(Vec<Part>),
}

/// A request to an API, relative to the client's base URL.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) retry_safe: bool,
    pub(crate) customer: Option<String>,
    pub(crate) timeout: Option<Duration>,
    /// Values for a templated base URL's placeholders (the call's path parameters).
    pub(crate) base_params: Vec<(String, String)>,
}

impl Request {
    /// A request with any method.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        // GET, HEAD, PUT, DELETE, OPTIONS and TRACE are idempotent by RFC 9110; POST and PATCH are not.
        let retry_safe = method.is_idempotent();
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            retry_safe,
            customer: None,
            timeout: None,
            base_params: Vec::new(),
        }
    }

    /// A GET request.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A POST request.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A PUT request.
    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    /// A DELETE request.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// A PATCH request.
    pub fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::PATCH, path)
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The same request with the query parameter `name` set to `value` alone (the next page's
    /// continuation token).
    pub(crate) fn with_query(mut self, name: &str, value: String) -> Self {
        self.query.retain(|(n, _)| n != name);
        self.query.push((name.to_owned(), value));
        self
    }

    /// The same request sent to `path_and_query` on the client's base URL instead (the next
    /// page's link); its own query parameters give way to the link's.
    pub(crate) fn at(mut self, path_and_query: String) -> Self {
        self.path = path_and_query;
        self.query.clear();
        self
    }

    /// Gives a value for the placeholder `name` of a templated base URL
    /// (`https://{org}.apps.altinn.no`); a fixed base ignores it. Generated adapters pass every
    /// path parameter of the call.
    pub fn base_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.base_params.push((name.into(), value.into()));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::Request(format!("body is not JSON-serialisable: {e}")))?;
        self.body = Body::Json(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets a raw body with its content type.
    pub fn bytes(mut self, content_type: impl Into<String>, data: impl Into<Bytes>) -> Self {
        self.body = Body::Bytes {
            content_type: content_type.into(),
            data: data.into(),
        };
        self
    }

    /// Sets a multipart/form-data body.
    pub fn multipart(mut self, parts: Vec<Part>) -> Self {
        self.body = Body::Multipart(parts);
        self
    }

    /// Sends `key` as the `Idempotency-Key` header and allows retries: the server drops repeats.
    pub fn idempotency_key(self, key: impl Into<String>) -> Self {
        Self {
            retry_safe: true,
            ..self.header("Idempotency-Key", key)
        }
    }

    /// Whether the request may be sent again when its outcome is unknown, as the generator
    /// decided it ([`Retry`](crate::adapter::plan::Retry)); `Never` also stops retries of an
    /// idempotent method.
    pub fn retry(self, rule: altinn_bridge_vocab::Retry) -> Self {
        Self {
            retry_safe: rule != altinn_bridge_vocab::Retry::Never,
            ..self
        }
    }

    /// Allows retries because the body carries a key the API deduplicates on
    /// (Correspondence's `idempotentKey`).
    pub fn idempotent_by_body(self) -> Self {
        Self {
            retry_safe: true,
            ..self
        }
    }

    /// Authenticates as the system user of customer `orgnr` instead of the client itself.
    pub fn system_user(self, orgnr: impl Into<String>) -> Self {
        Self {
            customer: Some(orgnr.into()),
            ..self
        }
    }

    /// Overrides the client's timeout for this request.
    pub fn timeout(self, timeout: Duration) -> Self {
        Self {
            timeout: Some(timeout),
            ..self
        }
    }

    /// Whether the request may be sent more than once.
    pub fn is_retry_safe(&self) -> bool {
        self.retry_safe
    }
}

/// Puts `body` on a reqwest request; multipart forms are rebuilt because they cannot be cloned.
pub(crate) fn attach(
    builder: reqwest::RequestBuilder,
    body: &Body,
) -> Result<reqwest::RequestBuilder> {
    Ok(match body {
        Body::Empty => builder,
        Body::Json(data) => builder
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(data.clone()),
        Body::Bytes { content_type, data } => builder
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(data.clone()),
        Body::Multipart(parts) => {
            let mut form = reqwest::multipart::Form::new();
            for p in parts {
                let mut part =
                    reqwest::multipart::Part::stream(reqwest::Body::from(p.data.clone()))
                        .mime_str(&p.content_type)
                        .map_err(|e| Error::Request(format!("part `{}`: {e}", p.name)))?;
                if let Some(f) = &p.file_name {
                    part = part.file_name(f.clone());
                }
                form = form.part(p.name.clone(), part);
            }
            builder.multipart(form)
        }
    })
}
