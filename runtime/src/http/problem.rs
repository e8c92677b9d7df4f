//! Error answers from Altinn 3 APIs: RFC 9457 ProblemDetails, typed.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// An RFC 9457 problem document; members beyond the standard ones (Altinn's `code`,
/// `validationErrors`, Prism's `validation`) are kept in `extensions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemDetails {
    /// A URI naming the problem type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A short summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The HTTP status the server meant (`None` when it is missing or not a status: a mock may
    /// send any integer, and one odd member must not cost the rest of the document).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_status"
    )]
    pub status: Option<u16>,
    /// This occurrence's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A URI naming this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Every other member, by name.
    #[serde(flatten)]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

fn lenient_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(v.and_then(|v| v.as_u64())
        .and_then(|n| u16::try_from(n).ok()))
}

/// An API's error answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{method} {url} answered {status}{}", problem_suffix(.problem))]
pub struct ApiError {
    /// The HTTP method.
    pub method: String,
    /// The URL, without query.
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The problem document, when the body was one.
    pub problem: Option<ProblemDetails>,
    /// The body as text, cut at 4 KiB, for answers that are not problem documents.
    pub body: String,
    /// The server's `Retry-After`, if it sent one.
    pub retry_after: Option<Duration>,
    /// How many times the request was sent.
    pub attempts: u32,
}

fn problem_suffix(problem: &Option<ProblemDetails>) -> String {
    let Some(p) = problem else {
        return String::new();
    };
    match (&p.title, &p.detail) {
        (Some(t), Some(d)) => format!(": {t}: {d}"),
        (Some(t), None) | (None, Some(t)) => format!(": {t}"),
        (None, None) => String::new(),
    }
}

const BODY_LIMIT: usize = 4096;

/// Reads a problem document from a JSON body; anything else gives `None`.
pub(crate) fn parse_problem(content_type: &str, body: &[u8]) -> Option<ProblemDetails> {
    if !content_type.contains("json") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value
        .is_object()
        .then(|| serde_json::from_value(value).ok())
        .flatten()
}

/// The body as text for an error message, cut on a character boundary.
pub(crate) fn body_text(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= BODY_LIMIT {
        return text.into_owned();
    }
    let mut end = BODY_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
