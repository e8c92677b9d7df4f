//! What wraps every request: its id and span, the concurrency gate, `/health` and 404.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::handler::Who;
use crate::{App, respond};

/// The request's id, taken from `X-Request-Id` or generated.
#[derive(Debug, Clone)]
pub(crate) struct RequestId(pub(crate) String);

const REQUEST_ID: &str = "x-request-id";

/// Takes the caller's `X-Request-Id` when it is a sane token (so it cannot forge log lines),
/// else makes one; runs the request in a span carrying it; echoes it on the answer; logs the
/// outcome. Headers are never logged: `Authorization` and passwords stay out of the logs.
pub(crate) async fn request_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_token(v))
        .map_or_else(new_id, str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    // Both are cheap to clone (the URI shares its bytes); the request itself moves on.
    let (method, uri) = (req.method().clone(), req.uri().clone());
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %method,
        path = uri.path()
    );
    let started = Instant::now();
    let mut res = next.run(req).instrument(span.clone()).await;
    // The one line per request says who called what: the handler leaves the operation and
    // the caller on the answer once it knows them. The line carries every field itself, not
    // through the span: the JSON logger re-parses a span's stored fields for each event that
    // shows them (events inside the request still carry the span).
    let who = res.extensions_mut().remove::<Who>().unwrap_or_default();
    tracing::info!(
        parent: None,
        request_id = %id,
        method = %method,
        path = uri.path(),
        status = res.status().as_u16(),
        elapsed_us = started.elapsed().as_micros() as u64,
        op = who.op,
        caller = who.caller.as_ref().map(|c| c.name.as_str()),
        "done"
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    res
}

/// A random (version 4) UUID from the thread's generator: one per request, so not a system call
/// to the kernel's generator each time (`Uuid::new_v4`).
fn new_id() -> String {
    uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .to_string()
}

fn is_token(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 128
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=@".contains(&b))
}

/// Lets at most `max_concurrent` requests in; the rest get 503 with a Server fault at once, so
/// overload sheds instead of queueing without bound.
pub(crate) async fn gate(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let Ok(permit) = Arc::clone(&app.gate).try_acquire_owned() else {
        let id = req
            .extensions()
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        tracing::warn!(
            limit = app.limits.max_concurrent,
            "over the concurrency limit"
        );
        let fault = respond::server("the facade is busy; retry later", &id);
        let mut res = respond::fault_with(
            StatusCode::SERVICE_UNAVAILABLE,
            respond::version_of(req.headers()),
            &fault,
        );
        res.headers_mut()
            .insert("retry-after", HeaderValue::from_static("1"));
        return res;
    };
    // The permit goes with the answer's body: a streamed download counts against the limit
    // until its last byte is sent (or the client goes away), not only until its head is ready.
    next.run(req).await.map(|body| {
        axum::body::Body::new(http_body_util::BodyExt::map_frame(body, move |frame| {
            let _held = &permit;
            frame
        }))
    })
}

/// `GET /health`: 200 and the services served.
pub(crate) async fn health(app: Arc<App>) -> Response {
    let services: Vec<serde_json::Value> = app
        .services
        .iter()
        .map(|s| {
            serde_json::json!({
                "name": s.name(),
                "path": s.path(),
                "operations": s.operations().len(),
            })
        })
        .collect();
    let body = serde_json::json!({ "status": "ok", "services": services });
    axum::Json(body).into_response()
}

/// Anything that is not a service's path or `/health`.
pub(crate) async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no service at this path\n").into_response()
}
