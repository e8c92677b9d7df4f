//! One SOAP request, from bytes to answer. Nothing reaches a service's `call` until the message
//! is within limits, well-formed, dispatched, its `mustUnderstand` headers understood and its
//! caller authenticated.

use std::sync::Arc;

use axum::body::{Body, BodyDataStream};
use axum::extract::{ConnectInfo, Request as HttpRequest};
use axum::http::header;
use axum::response::Response;

use crate::client_cert::{ClientCertificate, Peer};
use crate::layers::RequestId;
use crate::{App, credentials, dispatch, parties, respond};
use altinn_bridge_runtime::Error;
use altinn_bridge_runtime::adapter::XmlAnswer;
use altinn_bridge_runtime::facade::{Caller, Operation, Request, SoapService};
use altinn_bridge_runtime::mtom;
use altinn_bridge_runtime::soap::{Envelope, Fault, FaultCode, Limits, SoapVersion};
use altinn_bridge_runtime::xml::{self, Element};

/// Answers one POST to `service`'s path, within the request timeout.
pub(crate) async fn soap(
    app: Arc<App>,
    service: Arc<dyn SoapService>,
    req: HttpRequest,
) -> Response {
    let id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let guess = respond::version_of(req.headers());
    let timeout = app.limits.request_timeout;
    let mut unread = None;
    let mut who = Who::default();
    let handled = handle(&app, service.as_ref(), req, &id, &mut unread, &mut who);
    let mut res = match tokio::time::timeout(timeout, handled).await {
        Ok(Ok((version, as_mtom, answer))) => respond::answer(version, as_mtom, answer),
        Ok(Err((version, fault))) => {
            if let Some(rest) = unread {
                tokio::spawn(drain(rest));
            }
            respond::fault(version, &fault)
        }
        Err(_) => {
            tracing::warn!(?timeout, "the request timed out");
            let reason =
                format!("the request took longer than {timeout:?}; its outcome is unknown");
            respond::fault(guess, &respond::server(reason, &id))
        }
    };
    res.extensions_mut().insert(who);
    res
}

/// Which operation a request turned out to be and who called it, as far as it got: the
/// request's log line names them ([`super::layers::request_id`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Who {
    pub(crate) op: Option<&'static str>,
    pub(crate) caller: Option<Arc<Caller>>,
}

/// The version, whether to answer as MTOM (the request came so), and the answer.
type Answer = Result<(SoapVersion, bool, XmlAnswer), (SoapVersion, Fault)>;

/// What is left of a request's body when it is refused: an MTOM message's attachments, or the
/// rest of a plain body over the limit.
enum Unread {
    Mtom(mtom::Incoming<BodyDataStream>),
    Raw(BodyDataStream),
}

/// Reads past the rest of a refused MTOM message, at most [`DRAIN_BYTES`] for at most
/// [`DRAIN_TIME`]. A connection closed while the client is still sending is reset, and the reset
/// can discard the fault before the client reads it; past the bounds that risk is taken rather
/// than reading a refused gigabyte.
async fn drain(rest: Unread) {
    use futures_util::StreamExt;
    let reader = match rest {
        Unread::Mtom(mtom::Incoming::Mtom(reader)) => reader,
        Unread::Mtom(mtom::Incoming::Plain(_)) => return,
        Unread::Raw(mut body) => {
            let read_past = async move {
                let mut total = 0usize;
                while let Some(Ok(c)) = body.next().await {
                    total += c.len();
                    if total > DRAIN_BYTES {
                        return;
                    }
                }
            };
            let _ = tokio::time::timeout(DRAIN_TIME, read_past).await;
            return;
        }
    };
    let read_past = async move {
        let mut total = 0usize;
        let mut part = reader.next_part().await.ok().flatten();
        while let Some(mut p) = part {
            while let Some(chunk) = p.next().await {
                match chunk {
                    Ok(c) => total += c.len(),
                    Err(_) => return,
                }
                if total > DRAIN_BYTES {
                    return;
                }
            }
            part = p.next_part().await.ok().flatten();
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, read_past).await;
}

/// The most of a refused message read past so its fault is not lost.
const DRAIN_BYTES: usize = 64 << 20;
/// The longest spent reading past it.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(5);

async fn handle(
    app: &App,
    service: &dyn SoapService,
    req: HttpRequest,
    id: &str,
    unread: &mut Option<Unread>,
    who: &mut Who,
) -> Answer {
    let guess = respond::version_of(req.headers());
    let (parts, body) = req.into_parts();
    let certificate = parts
        .extensions
        .get::<ConnectInfo<Peer>>()
        .and_then(|c| c.0.certificate.clone());
    let limits = Limits {
        max_bytes: app.limits.max_body_bytes,
        max_depth: app.limits.max_depth,
        max_nodes: app.limits.max_nodes,
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // MTOM: only the root part is read here; the attachment stays in the connection until the
    // operation streams it upstream, so its size is not bounded by the body limit.
    let envelope = if content_type
        .to_ascii_lowercase()
        .starts_with("multipart/related")
    {
        let reader = mtom::read(&content_type, body.into_data_stream(), &limits)
            .await
            .map_err(|e| (guess, Fault::from(&e)))?;
        let envelope = reader.envelope().clone();
        *unread = Some(Unread::Mtom(reader));
        envelope
    } else {
        let bytes = read_body(app, &parts.headers, body, unread)
            .await
            .map_err(|e| (guess, Fault::from(&e)))?;
        Envelope::parse_with(&bytes, &limits).map_err(|e| (guess, Fault::from(&e)))?
    };
    let version = envelope.version;
    let fail = |f: Fault| (version, f);
    let xml_limits = xml::Limits {
        max_depth: app.limits.max_depth,
        max_nodes: app.limits.max_nodes,
    };
    let body = xml::parse_with(&envelope.body.xml, xml_limits).map_err(|e| {
        fail(respond::client(
            format!(
                "the body element {} could not be read: {e}",
                envelope.body.name
            ),
            id,
        ))
    })?;
    let headers = envelope
        .headers
        .iter()
        .map(|h| xml::parse_with(&h.element.xml, xml_limits))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            fail(respond::client(
                format!("a header block could not be read: {e}"),
                id,
            ))
        })?;

    let actions = dispatch::actions(&parts.headers, &headers);
    let op = dispatch::find(service.operations(), &actions, &body).map_err(|why| {
        fail(respond::client(
            format!("unknown operation of {}: {why}", service.name()),
            id,
        ))
    })?;
    who.op = Some(op.name);
    check_body(op, &body).map_err(|why| fail(respond::client(why, id)))?;
    if let Some(why) = must_understand(op, &envelope, &headers) {
        return Err(fail(Fault::new(FaultCode::MustUnderstand, why)));
    }

    // An operation Altinn 3 dropped answers why, whoever asks: a monitoring ping without
    // credentials must learn "not available", not "wrong password". Nothing goes upstream.
    if let Some(reason) = op.no_successor {
        return Err(fail(altinn_bridge_runtime::adapter::no_successor(
            op.name, reason,
        )));
    }
    let caller = match &certificate {
        Some(cert) => by_certificate(app, op, cert),
        None => by_password(app, op, &headers, &body).await,
    }
    .ok_or_else(|| fail(auth_failed(id)))?;
    who.caller = Some(Arc::clone(&caller));
    if let Some(party) = parties::refused(op, &caller, &headers, &body) {
        tracing::info!(op = op.name, caller = %caller.name, %party, "party refused");
        let why = format!(
            "the caller {} may not act for the party {party}",
            caller.name
        );
        return Err(fail(respond::client(why, id)));
    }
    let request = Request {
        version,
        headers,
        body,
        caller: Arc::clone(&caller),
        request_id: id.to_owned(),
    };
    tracing::debug!(op = op.name, caller = %caller.name, "calling the service");
    if op.streamed.is_none()
        && matches!(unread, Some(Unread::Mtom(mtom::Incoming::Mtom(r))) if !r.includes().is_empty())
    {
        let why = format!("{} takes no MTOM attachments", op.name);
        return Err(fail(respond::client(why, id)));
    }
    let incoming = match unread.take() {
        Some(Unread::Mtom(m)) => Some(m),
        _ => None,
    };
    let as_mtom = incoming.is_some();
    let answer = match (op.streamed, incoming) {
        (Some(local), Some(incoming)) => {
            let (_, binary) = incoming
                .into_binary(local)
                .await
                .map_err(|e| fail(Fault::from(&e)))?;
            let len = binary.len_hint();
            service
                .call_streamed(op, request, Box::pin(binary), len)
                .await
                .map(XmlAnswer::xml)
        }
        // An MTOM request without attachments (a download asked for as MTOM) is answered so.
        (_, _) => service.answer(op, request).await,
    };
    let out = answer.map_err(|f| {
        tracing::info!(op = op.name, caller = %caller.name, code = ?f.code, reason = %f.reason, "the service answered a fault");
        fail(f)
    })?;
    tracing::debug!(op = op.name, caller = %caller.name, "answered");
    Ok((version, as_mtom, out))
}

/// The body, refused as soon as it is known to be over the limit: from `Content-Length` before
/// reading anything, else while streaming, so a huge body is never read whole. A refused body's
/// rest is left in `unread` for [`drain`].
async fn read_body(
    app: &App,
    headers: &axum::http::HeaderMap,
    body: Body,
    unread: &mut Option<Unread>,
) -> Result<bytes::Bytes, Error> {
    use futures_util::StreamExt;
    let limit = app.limits.max_body_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    let mut stream = body.into_data_stream();
    if let Some(size) = declared.filter(|s| *s > limit) {
        *unread = Some(Unread::Raw(stream));
        return Err(Error::TooLarge { size, limit });
    }
    let mut buf = bytes::BytesMut::with_capacity(declared.unwrap_or(8 << 10));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Error::Transport {
            url: "the request body".into(),
            message: e.to_string(),
        })?;
        if buf.len() + chunk.len() > limit {
            *unread = Some(Unread::Raw(stream));
            return Err(Error::TooLarge {
                size: limit + 1,
                limit,
            });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// An action can name an operation whose input is another element; say which.
fn check_body(op: &Operation, body: &Element) -> Result<(), String> {
    let (ns, local) = op.input;
    if body.ns == ns && body.local == local {
        return Ok(());
    }
    Err(format!(
        "the body element {} is not the input of {}; expected {}",
        dispatch::qname(&body.ns, &body.local),
        op.name,
        dispatch::qname(ns, local)
    ))
}

/// The reason for a `MustUnderstand` fault, if a block marked so is not understood.
fn must_understand(op: &Operation, envelope: &Envelope, headers: &[Element]) -> Option<String> {
    let (_, el) = envelope
        .headers
        .iter()
        .zip(headers)
        .find(|(block, el)| block.must_understand && !credentials::understood(op, el))?;
    Some(format!(
        "the header block {} is marked mustUnderstand and {} does not understand it",
        dispatch::qname(&el.ns, &el.local),
        op.name
    ))
}

/// The caller a verified client certificate names. The certificate is the credential: a user
/// name and password in the message are not looked at (Altinn 2's EC endpoints took both, but a
/// certificate caller has no password configured), and a certificate naming no configured
/// organisation is refused even when the message also carries a valid password, so one
/// connection is never two identities.
fn by_certificate(app: &App, op: &Operation, cert: &ClientCertificate) -> Option<Arc<Caller>> {
    let Some(org) = &cert.org else {
        tracing::info!(op = op.name, subject = %cert.subject, "authentication failed: the client certificate names no organisation number, or more than one");
        return None;
    };
    let caller = app.callers.by_certificate(org);
    if caller.is_none() {
        tracing::info!(op = op.name, %org, subject = %cert.subject, "authentication failed: no caller accepts the client certificate's organisation");
    }
    caller
}

/// The caller whose user name and password the message carries.
async fn by_password(
    app: &App,
    op: &Operation,
    headers: &[Element],
    body: &Element,
) -> Option<Arc<Caller>> {
    let Some((user, password)) = credentials::find(op, headers, body) else {
        tracing::info!(op = op.name, "no credentials");
        return None;
    };
    match app.callers.verify(&user, &password).await {
        Ok(c) => Some(c),
        Err(_) => {
            tracing::info!(op = op.name, %user, "authentication failed");
            None
        }
    }
}

/// The same fault for an unknown user, a wrong password and missing credentials.
fn auth_failed(id: &str) -> Fault {
    respond::client("authentication failed", id)
}
