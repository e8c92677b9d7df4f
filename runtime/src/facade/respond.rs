//! SOAP answers: success envelopes and faults, in the request's SOAP version.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::soap::{AltinnFault, Fault, FaultCode, SoapVersion};

/// The version a request's `Content-Type` announces, for answering before (or without) an
/// envelope: `application/soap+xml` is 1.2, anything else 1.1.
pub(crate) fn version_of(headers: &HeaderMap) -> SoapVersion {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("application/soap+xml")
    {
        SoapVersion::V12
    } else {
        SoapVersion::V11
    }
}

/// 200 with `body` (one element, no declaration) in an envelope of `version`.
pub(crate) fn success(version: SoapVersion, body: &str) -> Response {
    let ns = version.namespace();
    let mut out = String::with_capacity(body.len() + 160);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"");
    out.push_str(ns);
    out.push_str("\"><s:Body>");
    out.push_str(body);
    out.push_str("</s:Body></s:Envelope>");
    xml(StatusCode::OK, version, out)
}

/// The fault with HTTP 500, as SOAP over HTTP requires.
pub(crate) fn fault(version: SoapVersion, fault: &Fault) -> Response {
    fault_with(StatusCode::INTERNAL_SERVER_ERROR, version, fault)
}

/// The fault with another status (503 when the facade is over its concurrency limit).
pub(crate) fn fault_with(status: StatusCode, version: SoapVersion, fault: &Fault) -> Response {
    xml(status, version, fault.to_envelope(version).to_xml())
}

fn xml(status: StatusCode, version: SoapVersion, body: String) -> Response {
    let ct = HeaderValue::from_str(&version.content_type(""))
        .unwrap_or(HeaderValue::from_static("text/xml; charset=utf-8"));
    (status, [(header::CONTENT_TYPE, ct)], body).into_response()
}

/// A fault with an `AltinnFault` detail, as Altinn 2 answered: the reason is repeated as the
/// `AltinnErrorMessage` and the request id is the `ErrorGuid` an operator can search the logs for.
pub(crate) fn altinn(code: FaultCode, reason: impl Into<String>, request_id: &str) -> Fault {
    let reason = reason.into();
    let detail = AltinnFault {
        altinn_error_message: Some(reason.clone()),
        error_guid: Some(request_id.to_owned()),
        ..AltinnFault::default()
    };
    Fault {
        code,
        ..Fault::altinn(reason, detail)
    }
}

/// A `Client`/`Sender` fault: the caller's message is wrong.
pub(crate) fn client(reason: impl Into<String>, request_id: &str) -> Fault {
    altinn(FaultCode::Sender, reason, request_id)
}

/// A `Server`/`Receiver` fault: the facade or Altinn 3 failed.
pub(crate) fn server(reason: impl Into<String>, request_id: &str) -> Fault {
    altinn(FaultCode::Receiver, reason, request_id)
}
