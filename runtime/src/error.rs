//! The crate's one error type: every fallible runtime call returns [`Error`].

use std::time::Duration;

use crate::http::ApiError;

/// Everything that can go wrong in the runtime, typed so generated code can match on it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The XML is not well-formed.
    #[error("XML is not well-formed at byte {position}: {message}")]
    Xml {
        /// Byte offset where the reader stopped.
        position: u64,
        /// What the reader found wrong.
        message: String,
    },
    /// The input is larger than the configured limit.
    #[error("input is {size} bytes, over the limit of {limit}")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The XML nests deeper than the configured limit.
    #[error("XML nested deeper than {limit} levels")]
    TooDeep {
        /// The depth limit.
        limit: usize,
    },
    /// The XML holds more nodes than the configured limit.
    #[error("XML holds more than {limit} nodes")]
    TooManyNodes {
        /// The node limit.
        limit: usize,
    },
    /// The XML carries a document type declaration; DTDs open entity-expansion attacks.
    #[error("DTDs and entity declarations are not accepted")]
    Dtd,
    /// The XML carries a processing instruction, which SOAP forbids.
    #[error("processing instructions are not accepted in SOAP messages")]
    ProcessingInstruction,
    /// The XML refers to an entity other than the five predefined ones or a character reference.
    #[error("unknown entity `&{0};`")]
    UnknownEntity(String),
    /// The input is not UTF-8.
    #[error("the message is not UTF-8")]
    NotUtf8,
    /// A prefix is used without an `xmlns:` declaration in scope.
    #[error("namespace prefix `{0}` is not declared")]
    UnboundPrefix(String),
    /// The root element is not a SOAP 1.1 or 1.2 `Envelope` (a SOAP `VersionMismatch`).
    #[error("not a SOAP 1.1 or 1.2 envelope: the root element is `{0}`")]
    NotEnvelope(String),
    /// The envelope's structure breaks the SOAP rules.
    #[error("invalid SOAP envelope: {0}")]
    Envelope(String),
    /// A SOAP fault is missing a part or carries an unreadable one.
    #[error("invalid SOAP fault: {0}")]
    Fault(String),
    /// A signing key or certificate could not be read.
    #[error("could not read the key or certificate: {0}")]
    Key(String),
    /// The client assertion could not be signed.
    #[error("could not sign the client assertion: {0}")]
    Sign(String),
    /// The token endpoint refused the grant.
    #[error("the token endpoint refused the grant ({status}): {error}: {description}")]
    TokenRefused {
        /// HTTP status of the answer.
        status: u16,
        /// The OAuth `error` code.
        error: String,
        /// The OAuth `error_description`, empty if none.
        description: String,
    },
    /// The token endpoint's answer could not be read.
    #[error("unreadable token response: {0}")]
    TokenResponse(String),
    /// The API answered with an error status (boxed: it is by far the largest variant).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request took longer than its timeout.
    #[error("the request to {url} timed out after {timeout:?}")]
    Timeout {
        /// The URL called, without query.
        url: String,
        /// The timeout that elapsed.
        timeout: Duration,
    },
    /// No connection could be made.
    #[error("could not connect to {url}: {message}")]
    Connect {
        /// The URL called, without query.
        url: String,
        /// The transport's description.
        message: String,
    },
    /// Any other transport failure (TLS, reset connection, body read).
    #[error("transport error calling {url}: {message}")]
    Transport {
        /// The URL called, without query.
        url: String,
        /// The transport's description.
        message: String,
    },
    /// A response body did not have the expected shape.
    #[error("could not decode the response from {url}: {message}")]
    Decode {
        /// The URL called, without query.
        url: String,
        /// What did not match.
        message: String,
    },
    /// A request could not be built (bad URL, bad header value).
    #[error("invalid request: {0}")]
    Request(String),
    /// The deployment's configuration lacks something an adapter needs (a setting, a lookup
    /// table, an API client).
    #[error("configuration: {0}")]
    Config(String),
    /// A `multipart/related` (MTOM) message or its `Content-Type` is malformed.
    #[error("invalid multipart message: {0}")]
    Multipart(String),
    /// A part the message needs is not there: the root part (named by `start`) or an attachment
    /// an `xop:Include` references (named by its Content-ID).
    #[error("the message has no part `{0}`")]
    MissingPart(String),
    /// A part no `xop:Include` in the envelope references (or references a second time).
    #[error("the message carries part `{0}`, which the envelope does not reference")]
    UnreferencedPart(String),
    /// The message ended before its closing boundary; says where.
    #[error("the message is truncated: it ended {0}")]
    Truncated(String),
    /// Reading a streamed body failed (the sender or the connection broke off).
    #[error("could not read the message body: {0}")]
    BodyRead(String),
    /// A value could not be converted between the old and the new contract; `field` names it
    /// by its manifest path.
    #[error("cannot map `{field}`: {message}")]
    Convert {
        /// The field, as the manifest names it (`InsertCorrespondenceBasicV2/Correspondence/ServiceCode`).
        field: String,
        /// What was wrong with the value.
        message: String,
    },
}

/// The runtime's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}
