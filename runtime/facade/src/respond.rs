//! SOAP answers: success envelopes and faults, in the request's SOAP version.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{StreamExt, stream};

use altinn_bridge_runtime::adapter::{Segment, XmlAnswer};
use altinn_bridge_runtime::mtom::{self, BodyStream, Writer};
use altinn_bridge_runtime::soap::{AltinnFault, Fault, FaultCode, SoapVersion};

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

/// The envelope of `version` up to where the body element goes.
fn envelope_head(version: SoapVersion) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"{}\"><s:Body>",
        version.namespace()
    )
}

const ENVELOPE_TAIL: &str = "</s:Body></s:Envelope>";

/// 200 with `body` (one element, no declaration) in an envelope of `version`.
pub(crate) fn success(version: SoapVersion, body: &str) -> Response {
    let mut out = envelope_head(version);
    out.reserve(body.len() + ENVELOPE_TAIL.len());
    out.push_str(body);
    out.push_str(ENVELOPE_TAIL);
    xml(StatusCode::OK, version, out)
}

/// 200 with `answer`, its downloads streamed in as the client reads: to a request that came as
/// MTOM, an MTOM answer whose binary fields are `xop:Include`d parts; to any other, the
/// envelope with the binaries as base64 text inline. A download failing mid-way aborts the
/// answer (the client sees a broken message, never a complete one).
pub(crate) fn answer(version: SoapVersion, as_mtom: bool, answer: XmlAnswer) -> Response {
    if answer.parts.is_empty() {
        return success(version, &answer.xml);
    }
    let mut root: Vec<BodyStream> = vec![text(envelope_head(version))];
    let mut attachments = Vec::new();
    for segment in answer.segments() {
        match segment {
            Segment::Text(t) => root.push(text(t)),
            Segment::Body(part) if as_mtom && part.binary => {
                let cid = Writer::new_cid();
                root.push(text(Writer::include(&cid)));
                attachments.push((cid, part));
            }
            Segment::Body(part) => root.push(mtom::base64_stream(part.body)),
        }
    }
    root.push(text(ENVELOPE_TAIL.to_owned()));
    let root = stream::iter(root).flatten().boxed();
    if !as_mtom {
        return xml(StatusCode::OK, version, Body::from_stream(root));
    }
    let mut writer = Writer::streamed(version, root);
    for (cid, part) in attachments {
        writer = writer.attach(&cid, &part.content_type, part.body);
    }
    let ct = HeaderValue::from_str(&writer.content_type())
        .unwrap_or(HeaderValue::from_static("multipart/related"));
    let body = Body::from_stream(writer.into_stream());
    (StatusCode::OK, [(header::CONTENT_TYPE, ct)], body).into_response()
}

fn text(t: String) -> BodyStream {
    let chunk = Ok(Bytes::from(t));
    stream::once(async move { chunk }).boxed()
}

/// The fault with HTTP 500, as SOAP over HTTP requires.
pub(crate) fn fault(version: SoapVersion, fault: &Fault) -> Response {
    fault_with(StatusCode::INTERNAL_SERVER_ERROR, version, fault)
}

/// The fault with another status (503 when the facade is over its concurrency limit).
pub(crate) fn fault_with(status: StatusCode, version: SoapVersion, fault: &Fault) -> Response {
    xml(status, version, fault.to_envelope(version).to_xml())
}

fn xml(status: StatusCode, version: SoapVersion, body: impl Into<Body>) -> Response {
    let ct = HeaderValue::from_str(&version.content_type(""))
        .unwrap_or(HeaderValue::from_static("text/xml; charset=utf-8"));
    (status, [(header::CONTENT_TYPE, ct)], body.into()).into_response()
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
