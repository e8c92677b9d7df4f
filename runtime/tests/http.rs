//! The HTTP layer against a local axum server that fails on purpose and counts requests.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use altinn_bridge_runtime::auth::TokenProvider;
use altinn_bridge_runtime::http::{Client, Part, Request, RetryPolicy};
use altinn_bridge_runtime::{Error, Secret};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

type Counts = Arc<Mutex<BTreeMap<&'static str, usize>>>;

fn count(counts: &Counts, route: &'static str) -> usize {
    let mut c = counts.lock().expect("lock");
    let n = c.entry(route).or_default();
    *n += 1;
    *n
}

async fn limited(State(c): State<Counts>) -> Response {
    if count(&c, "limited") == 1 {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            "slow down",
        )
            .into_response();
    }
    Json(json!({"ok": true})).into_response()
}

async fn unavailable(State(c): State<Counts>) -> Response {
    count(&c, "unavailable");
    (StatusCode::SERVICE_UNAVAILABLE, "down").into_response()
}

async fn patient(State(c): State<Counts>) -> Response {
    count(&c, "patient");
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, "3600")],
    )
        .into_response()
}

async fn problem(State(c): State<Counts>) -> Response {
    count(&c, "problem");
    let body = json!({"type": "https://tools.ietf.org/html/rfc9110#section-15.5.21", "title": "One or more validation errors occurred.",
        "status": 422, "detail": "recipients is required", "errors": {"recipients": ["required"]}});
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

/// Refuses the first token the token server issued, as if it had been revoked.
async fn strict(State(c): State<Counts>, headers: HeaderMap) -> Response {
    count(&c, "strict");
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if bearer.starts_with("Bearer token-1-") {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    Json(json!({"bearer": bearer})).into_response()
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn echo(headers: HeaderMap, body: Bytes) -> Json<Value> {
    let h = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    Json(json!({
        "authorization": h("authorization"),
        "subscription_key": h("ocp-apim-subscription-key"),
        "idempotency_key": h("idempotency-key"),
        "content_type": h("content-type"),
        "body": String::from_utf8_lossy(&body),
    }))
}

async fn server() -> (String, Counts) {
    let counts = Counts::default();
    let app = Router::new()
        .route("/limited", get(limited))
        .route("/unavailable", any(unavailable))
        .route("/patient", get(patient))
        .route("/problem", get(problem))
        .route("/slow", get(slow))
        .route("/strict", post(strict))
        .route(
            "/refusing",
            post(|State(c): State<Counts>| async move {
                count(&c, "refusing");
                StatusCode::UNAUTHORIZED
            }),
        )
        .route("/text", get(|| async { "not json" }))
        .route("/echo", post(echo))
        .with_state(Arc::clone(&counts));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (url, counts)
}

fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

fn hits(counts: &Counts, route: &str) -> usize {
    counts
        .lock()
        .expect("lock")
        .get(route)
        .copied()
        .unwrap_or(0)
}

fn api_error(err: Error) -> altinn_bridge_runtime::http::ApiError {
    match err {
        Error::Api(api) => *api,
        other => panic!("expected an API error, got {other}"),
    }
}

#[tokio::test]
async fn a_get_is_retried_after_429_honouring_retry_after() {
    let (url, counts) = server().await;
    let client = Client::new(url)
        .expect("client")
        .with_retry(fast_retries(3));
    let started = Instant::now();
    let answer: Value = client
        .send_json(Request::get("/limited"))
        .await
        .expect("second attempt succeeds");
    assert_eq!(answer["ok"], true);
    assert_eq!(hits(&counts, "limited"), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_post_without_idempotency_key_is_never_repeated() {
    let (url, counts) = server().await;
    let client = Client::new(url)
        .expect("client")
        .with_retry(fast_retries(5));
    let err = api_error(
        client
            .send(
                Request::post("/unavailable")
                    .json(&json!({"a": 1}))
                    .expect("json"),
            )
            .await
            .expect_err("503"),
    );
    assert_eq!((err.status, err.attempts), (503, 1));
    assert_eq!(hits(&counts, "unavailable"), 1);
}

#[tokio::test]
async fn a_post_with_idempotency_key_is_retried_until_it_gives_up() {
    let (url, counts) = server().await;
    let client = Client::new(url)
        .expect("client")
        .with_retry(fast_retries(4));
    let keyed = Request::post("/unavailable").idempotency_key("3f1e0d2c-uuid-v5");
    let err = api_error(client.send(keyed).await.expect_err("503"));
    assert_eq!((err.status, err.attempts), (503, 4));
    assert_eq!(hits(&counts, "unavailable"), 4);
    let by_body = Request::post("/unavailable")
        .json(&json!({"idempotentKey": "k"}))
        .expect("json")
        .idempotent_by_body();
    client.send(by_body).await.expect_err("503");
    assert_eq!(hits(&counts, "unavailable"), 8);
}

#[tokio::test]
async fn a_get_gives_up_after_n_attempts() {
    let (url, counts) = server().await;
    let client = Client::new(url)
        .expect("client")
        .with_retry(fast_retries(3));
    let err = api_error(
        client
            .send(Request::get("/unavailable"))
            .await
            .expect_err("503"),
    );
    assert_eq!(err.attempts, 3);
    assert_eq!(hits(&counts, "unavailable"), 3);
}

#[tokio::test]
async fn a_retry_after_over_the_cap_ends_retries_at_once() {
    let (url, counts) = server().await;
    let client = Client::new(url)
        .expect("client")
        .with_retry(fast_retries(3));
    let err = api_error(
        client
            .send(Request::get("/patient"))
            .await
            .expect_err("429"),
    );
    assert_eq!(
        (err.status, err.retry_after),
        (429, Some(Duration::from_secs(3600)))
    );
    assert_eq!(hits(&counts, "patient"), 1);
}

#[tokio::test]
async fn problem_details_come_back_typed() {
    let (url, _) = server().await;
    let client = Client::new(url).expect("client");
    let err = api_error(
        client
            .send(Request::get("/problem"))
            .await
            .expect_err("422"),
    );
    assert_eq!(err.status, 422);
    let problem = err.problem.clone().expect("problem details");
    assert_eq!(problem.status, Some(422));
    assert_eq!(
        problem.title.as_deref(),
        Some("One or more validation errors occurred.")
    );
    assert_eq!(problem.extensions["errors"]["recipients"][0], "required");
    assert!(err.to_string().contains("recipients is required"), "{err}");
}

#[tokio::test]
async fn timeouts_connection_errors_and_bad_bodies_are_typed() {
    let (url, _) = server().await;
    let client = Client::new(url.clone())
        .expect("client")
        .with_timeout(Duration::from_millis(200))
        .with_retry(RetryPolicy::none());
    let err = client
        .send(Request::get("/slow"))
        .await
        .expect_err("timeout");
    assert!(
        matches!(err, Error::Timeout { timeout, .. } if timeout == Duration::from_millis(200)),
        "{err}"
    );
    let err = client
        .send_json::<Value>(Request::get("/text"))
        .await
        .expect_err("not json");
    assert!(matches!(err, Error::Decode { .. }), "{err}");
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let dead = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let err = Client::new(dead)
        .expect("client")
        .with_retry(RetryPolicy::none())
        .send(Request::get("/"))
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Connect { .. }), "{err}");
}

#[tokio::test]
async fn bearer_tokens_and_the_subscription_key_are_sent() {
    let (url, _) = server().await;
    let tokens = support::token_server(120).await;
    let mut config = tokens.config();
    config.subscription_key = Some(Secret::new("apim-key"));
    let client = Client::new(url)
        .expect("client")
        .with_tokens(TokenProvider::new(config).expect("provider"));
    let own: Value = client
        .send_json(Request::post("/echo").json(&json!({"x": 1})).expect("json"))
        .await
        .expect("echo");
    assert_eq!(own["authorization"], "Bearer token-1-");
    assert_eq!(own["subscription_key"], "apim-key");
    assert_eq!(own["content_type"], "application/json");
    assert_eq!(own["body"], r#"{"x":1}"#);
    let customer: Value = client
        .send_json(Request::post("/echo").system_user("991825827"))
        .await
        .expect("echo");
    assert_eq!(customer["authorization"], "Bearer token-2-991825827");
    client.send(Request::post("/echo")).await.expect("cached");
    assert_eq!(tokens.requests(), 2);
}

#[tokio::test]
async fn octet_stream_and_multipart_bodies_arrive() {
    let (url, _) = server().await;
    let client = Client::new(url).expect("client");
    let raw: Value = client
        .send_json(
            Request::post("/echo")
                .bytes("application/octet-stream", &b"zipdata"[..])
                .idempotency_key("k1"),
        )
        .await
        .expect("echo");
    assert_eq!(
        (raw["content_type"].as_str(), raw["body"].as_str()),
        (Some("application/octet-stream"), Some("zipdata"))
    );
    assert_eq!(raw["idempotency_key"], "k1");
    let part = Part {
        name: "file".into(),
        file_name: Some("a.zip".into()),
        content_type: "application/zip".into(),
        data: Bytes::from_static(b"PK-bytes"),
    };
    let form: Value = client
        .send_json(Request::post("/echo").multipart(vec![part]))
        .await
        .expect("echo");
    assert!(
        form["content_type"]
            .as_str()
            .expect("ct")
            .starts_with("multipart/form-data; boundary=")
    );
    let body = form["body"].as_str().expect("body");
    assert!(
        body.contains(r#"name="file"; filename="a.zip""#)
            && body.contains("application/zip")
            && body.contains("PK-bytes"),
        "{body}"
    );
}

#[tokio::test]
async fn a_401_renews_the_token_once_even_for_a_post() {
    let (url, counts) = server().await;
    let tokens = support::token_server(120).await;
    let provider = TokenProvider::new(tokens.config()).expect("provider");
    let client = Client::new(url)
        .expect("client")
        .with_tokens(provider)
        .with_retry(RetryPolicy::none());
    let answer: Value = client
        .send_json(Request::post("/strict"))
        .await
        .expect("renewed token accepted");
    assert_eq!(answer["bearer"], "Bearer token-2-");
    assert_eq!((hits(&counts, "strict"), tokens.requests()), (2, 2));
    // A server that refuses every token gets exactly one more try, not a loop.
    let err = api_error(
        client
            .send(Request::post("/refusing"))
            .await
            .expect_err("401"),
    );
    assert_eq!(err.status, 401);
    assert_eq!((hits(&counts, "refusing"), tokens.requests()), (2, 3));
}
