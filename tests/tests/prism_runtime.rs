//! The runtime's HTTP client against Stoplight Prism serving the real Altinn 3 specs.
//!
//! Mock mode (`--errors`) checks what the client sends: a valid correspondence passes with no
//! `[VALIDATOR]` line in Prism's log, an invalid one comes back as a typed API error. Proxy mode
//! puts Prism in front of a local upstream that fails on purpose (429 with `Retry-After`, 5xx,
//! slow answers, reset connections) and counts what reaches it: calls that are not idempotent
//! are never repeated, idempotent and keyed ones are.

use std::time::{Duration, Instant};

use altinn_bridge_runtime::Error;
use altinn_bridge_runtime::http::{ApiError, Client, Request, RetryPolicy};
use altinn_bridge_tests::prism::{self, shared_mock, shared_proxy};
use altinn_bridge_tests::upstream::{self, Reply, SCRIPT_HEADER};
use serde_json::{Value, json};

const CORRESPONDENCE: &str = "altinn-correspondence-v1";
const STORAGE: &str = "altinn-storage-v1";
const INIT: &str = "/correspondence/api/v1/correspondence";
const ID: &str = "0b8a1f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

/// A request body valid for `InitializeCorrespondencesExt`, shaped like what the
/// InsertCorrespondenceBasicV2 adapter sends.
fn valid_correspondence() -> Value {
    json!({
        "correspondence": {
            "resourceId": "altinn-bridge-test-resource",
            "sendersReference": "ref-4711",
            "content": {
                "language": "nb",
                "messageTitle": "Tittel",
                "messageSummary": "Sammendrag",
                "messageBody": "# Hei\n\nEn melding."
            },
            "dueDateTime": "2030-01-01T12:00:00Z",
            "isConfirmationNeeded": false
        },
        "recipients": ["urn:altinn:organization:identifier-no:910000000"],
        "idempotentKey": "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
    })
}

/// An answer valid for `CorrespondenceOverviewExt` (GET one correspondence).
fn overview() -> Value {
    json!({
        "correspondenceId": ID,
        "created": "2026-11-24T12:00:00Z",
        "recipient": "urn:altinn:organization:identifier-no:910000000",
        "resourceId": "altinn-bridge-test-resource",
        "sendersReference": "ref-4711"
    })
}

/// An answer valid for `InitializeCorrespondencesResponseExt`.
fn initialized() -> Value {
    json!({"correspondences": [{
        "correspondenceId": ID,
        "recipient": "urn:altinn:organization:identifier-no:910000000"
    }]})
}

fn client(base: &str, retry: RetryPolicy) -> Client {
    Client::new(base).expect("client").with_retry(retry)
}

/// Fast retries, so the tests measure `Retry-After` rather than the default backoff.
fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
        ..RetryPolicy::default()
    }
}

/// The problem document of an error answer. Prism's mock builds it from the spec's
/// `ProblemDetails` schema, with `status` at int32's minimum; while the runtime's `u16` status
/// refuses that, `ApiError::problem` is `None`, so the body is read here.
fn problem_body(e: &ApiError) -> Value {
    if let Some(p) = &e.problem {
        return serde_json::to_value(p).expect("serialisable");
    }
    let doc: Value = serde_json::from_str(&e.body)
        .unwrap_or_else(|err| panic!("not a JSON problem document ({err}): {}", e.body));
    assert!(
        doc.get("title").is_some() && doc.get("type").is_some(),
        "not a problem document: {doc}"
    );
    doc
}

fn api_error(result: Result<altinn_bridge_runtime::http::Response, Error>) -> Box<ApiError> {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected a typed API error, got {other:?}"),
    }
}

// ---------------------------------------------------------------- mock mode

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn mock_accepts_a_valid_correspondence_with_zero_violations() {
    let name = "mock_accepts_a_valid_correspondence_with_zero_violations";
    let prism = shared_mock(name, CORRESPONDENCE);
    let s = prism.session();
    let request = Request::post(INIT)
        .json(&valid_correspondence())
        .expect("body");
    let response = client(s.base_url(), RetryPolicy::none())
        .send(request)
        .await
        .expect("Prism accepts the request");
    assert_eq!(response.status, 200);
    let body: Value = response.json().expect("JSON answer");
    assert!(body.is_object(), "{body}");
    let log = s.log_lines();
    assert!(
        log.iter()
            .any(|l| l.contains("post /correspondence/api/v1/correspondence")),
        "Prism's log does not show the request:\n{}",
        log.join("\n")
    );
    assert_eq!(
        s.violations(),
        Vec::<String>::new(),
        "Prism's log:\n{}",
        log.join("\n")
    );
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn mock_refuses_an_invalid_correspondence_as_a_typed_error() {
    let name = "mock_refuses_an_invalid_correspondence_as_a_typed_error";
    let prism = shared_mock(name, CORRESPONDENCE);
    let s = prism.session();
    // `recipients` must be an array and `resourceId` at least one character.
    let body = json!({"correspondence": {"resourceId": "", "sendersReference": "r"}, "recipients": "910000000"});
    let request = Request::post(INIT).json(&body).expect("body");
    let e = api_error(
        client(s.base_url(), RetryPolicy::none())
            .send(request)
            .await,
    );
    assert!(matches!(e.status, 400 | 422), "{e}");
    assert_eq!(e.attempts, 1);
    problem_body(&e);
    let errors = s.errors();
    assert!(
        errors.iter().any(|l| l.contains("recipients")),
        "no violation names `recipients`: {errors:#?}"
    );
    assert!(
        errors.iter().any(|l| l.contains("resourceId")),
        "no violation names `resourceId`: {errors:#?}"
    );
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn mock_prefer_code_gives_typed_404_and_401() {
    let name = "mock_prefer_code_gives_typed_404_and_401";
    let prism = shared_mock(name, CORRESPONDENCE);
    let s = prism.session();
    let c = client(s.base_url(), quick_retries(3));
    for status in [404, 401] {
        let request =
            Request::get(format!("{INIT}/{ID}")).header("Prefer", format!("code={status}"));
        let e = api_error(c.send(request).await);
        assert_eq!(e.status, status, "{e}");
        // 4xx other than 429 are final: sent once although GET may be retried.
        assert_eq!(e.attempts, 1, "{e}");
        problem_body(&e);
    }
    assert_eq!(s.errors(), Vec::<String>::new());
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn mock_storage_needs_a_bearer_token() {
    let name = "mock_storage_needs_a_bearer_token";
    let prism = shared_mock(name, STORAGE);
    let s = prism.session();
    let c = client(s.base_url(), RetryPolicy::none());
    let path = format!("/instances/50001337/{ID}");
    let e = api_error(c.send(Request::get(&path)).await);
    assert_eq!(e.status, 401, "{e}");
    let problem = e.problem.as_ref().expect("Prism's problem document");
    assert!(
        problem
            .kind
            .as_deref()
            .unwrap_or_default()
            .contains("UNAUTHORIZED"),
        "{problem:?}"
    );
    let ok = c
        .send(Request::get(&path).header("Authorization", "Bearer test-token"))
        .await
        .expect("with a bearer token the call is accepted");
    assert_eq!(ok.status, 200);
}

// ---------------------------------------------------------------- proxy mode

fn proxy(test: &str) -> (&'static prism::Prism, &'static upstream::Upstream) {
    let up = upstream::shared();
    let prism = shared_proxy(test, CORRESPONDENCE, up.base_url());
    (prism, up)
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn proxy_forwards_a_valid_call_with_no_violations() {
    let name = "proxy_forwards_a_valid_call_with_no_violations";
    let (prism, up) = proxy(name);
    up.script(name, vec![Reply::Json(200, initialized())]);
    let request = Request::post(INIT)
        .header(SCRIPT_HEADER, name)
        .json(&valid_correspondence())
        .expect("body");
    let response = client(prism.base_url(), RetryPolicy::none())
        .send(request)
        .await
        .expect("forwarded and answered");
    assert_eq!(response.json::<Value>().expect("JSON"), initialized());
    assert_eq!(prism::sl_violations(&response.headers), Vec::<Value>::new());
    assert_eq!(up.count(name), 1);
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn proxy_refuses_an_invalid_call_before_the_upstream() {
    let name = "proxy_refuses_an_invalid_call_before_the_upstream";
    let (prism, up) = proxy(name);
    up.script(name, vec![Reply::Json(200, initialized())]);
    let request = Request::post(INIT)
        .header(SCRIPT_HEADER, name)
        .json(&json!({"correspondence": {}, "recipients": "x"}))
        .expect("body");
    let e = api_error(
        client(prism.base_url(), RetryPolicy::none())
            .send(request)
            .await,
    );
    assert_eq!(e.status, 422, "{e}");
    let validation = &e.problem.as_ref().expect("problem").extensions["validation"];
    let text = validation.to_string();
    assert!(
        text.contains("recipients") && text.contains("resourceId"),
        "{text}"
    );
    assert_eq!(up.count(name), 0, "an invalid request reached the upstream");
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn proxy_429_get_is_retried_after_retry_after() {
    let name = "proxy_429_get_is_retried_after_retry_after";
    let (prism, up) = proxy(name);
    up.script(
        name,
        vec![
            Reply::TooManyRequests { retry_after: 1 },
            Reply::Json(200, overview()),
        ],
    );
    let start = Instant::now();
    let response = client(prism.base_url(), quick_retries(3))
        .send(Request::get(format!("{INIT}/{ID}")).header(SCRIPT_HEADER, name))
        .await
        .expect("the retry succeeds");
    let waited = start.elapsed();
    assert_eq!(response.json::<Value>().expect("JSON"), overview());
    assert_eq!(up.count(name), 2);
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: 1 was not honoured: {waited:?} (the backoff alone is ≤ 100 ms)"
    );
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn proxy_429_post_without_a_key_is_not_repeated() {
    let name = "proxy_429_post_without_a_key_is_not_repeated";
    let (prism, up) = proxy(name);
    up.script(
        name,
        vec![
            Reply::TooManyRequests { retry_after: 1 },
            Reply::Json(200, initialized()),
        ],
    );
    let mut body = valid_correspondence();
    body.as_object_mut()
        .expect("object")
        .remove("idempotentKey");
    let request = Request::post(INIT)
        .header(SCRIPT_HEADER, name)
        .json(&body)
        .expect("body");
    let e = api_error(
        client(prism.base_url(), quick_retries(3))
            .send(request)
            .await,
    );
    assert_eq!(e.status, 429, "{e}");
    assert_eq!(e.retry_after, Some(Duration::from_secs(1)));
    assert_eq!(e.attempts, 1);
    assert_eq!(up.count(name), 1, "a POST without idempotency was repeated");
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn proxy_429_post_with_a_key_is_retried() {
    let name = "proxy_429_post_with_a_key_is_retried";
    let (prism, up) = proxy(name);
    let c = client(prism.base_url(), quick_retries(3));
    // The key in the body (Correspondence's `idempotentKey`) and the `Idempotency-Key` header.
    for (script, request) in [
        (
            format!("{name}-body"),
            Request::post(INIT)
                .json(&valid_correspondence())
                .expect("body")
                .idempotent_by_body(),
        ),
        (
            format!("{name}-header"),
            Request::post(INIT)
                .json(&valid_correspondence())
                .expect("body")
                .idempotency_key("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"),
        ),
    ] {
        up.script(
            &script,
            vec![
                Reply::TooManyRequests { retry_after: 1 },
                Reply::Json(200, initialized()),
            ],
        );
        let response = c
            .send(request.header(SCRIPT_HEADER, &script))
            .await
            .expect("the retry succeeds");
        assert_eq!(response.json::<Value>().expect("JSON"), initialized());
        assert_eq!(up.count(&script), 2, "{script}");
    }
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn proxy_5xx_are_typed_and_only_503_on_idempotent_calls_is_retried() {
    let name = "proxy_5xx_are_typed";
    let (prism, up) = proxy(name);
    let c = client(prism.base_url(), quick_retries(3));
    let problem = |status: u16| json!({"title": "upstream trouble", "status": status});
    let cases = [
        ("get-503", Request::get(format!("{INIT}/{ID}")), 503, 3),
        ("get-500", Request::get(format!("{INIT}/{ID}")), 500, 1),
        (
            "post-503",
            Request::post(INIT)
                .json(&valid_correspondence())
                .expect("body"),
            503,
            1,
        ),
    ];
    for (script, request, status, sent) in cases {
        let script = format!("{name}-{script}");
        up.script(&script, vec![Reply::Json(status, problem(status))]);
        let e = api_error(c.send(request.header(SCRIPT_HEADER, &script)).await);
        assert_eq!(e.status, status, "{script}: {e}");
        assert_eq!(
            e.problem.as_ref().and_then(|p| p.title.as_deref()),
            Some("upstream trouble"),
            "{script}"
        );
        assert_eq!(e.attempts, sent, "{script}");
        assert_eq!(up.count(&script), sent as usize, "{script}");
    }
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn proxy_timeouts_are_typed_and_not_repeated_for_post() {
    let name = "proxy_timeouts_are_typed";
    let (prism, up) = proxy(name);
    let timeout = Duration::from_millis(400);
    let c = client(prism.base_url(), quick_retries(2)).with_timeout(timeout);
    let slow = Reply::Slow(Duration::from_secs(2), overview());
    let cases = [
        ("get", Request::get(format!("{INIT}/{ID}")), 2),
        (
            "post",
            Request::post(INIT)
                .json(&valid_correspondence())
                .expect("body"),
            1,
        ),
    ];
    for (script, request, sent) in cases {
        let script = format!("{name}-{script}");
        up.script(&script, vec![slow.clone()]);
        match c.send(request.header(SCRIPT_HEADER, &script)).await {
            Err(Error::Timeout { timeout: t, url }) => {
                assert_eq!(t, timeout);
                assert!(
                    url.ends_with("/correspondence/api/v1/correspondence") || url.ends_with(ID)
                );
            }
            other => panic!("{script}: expected a timeout, got {other:?}"),
        }
        // A late repeat would arrive within this pause.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(up.count(&script), sent, "{script}");
    }
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_prism)),
    ignore = "needs the corpus and Prism: see `cargo xtask setup`"
)]
async fn reset_connections_are_typed_and_not_repeated() {
    let name = "reset_connections_are_typed_and_not_repeated";
    let resetter = upstream::resetter();
    let prism = shared_proxy(name, CORRESPONDENCE, resetter.base_url());
    let c = client(prism.base_url(), quick_retries(3));
    // Through Prism: it answers 500 naming the reset; 500 is final, even for a GET.
    for request in [
        Request::get(format!("{INIT}/{ID}")),
        Request::post(INIT)
            .json(&valid_correspondence())
            .expect("body"),
    ] {
        let before = resetter.count();
        let e = api_error(c.send(request).await);
        assert_eq!(e.status, 500, "{e}");
        let title = e
            .problem
            .as_ref()
            .and_then(|p| p.title.clone())
            .unwrap_or_default();
        assert!(
            title.contains("ECONNRESET") || title.contains("socket hang up"),
            "{title}"
        );
        assert_eq!(resetter.count() - before, 1);
    }
    // Directly: the client sees the reset itself, as a transport error, and sends a POST once.
    let before = resetter.count();
    let direct = client(resetter.base_url(), quick_retries(3));
    let result = direct
        .send(
            Request::post(INIT)
                .json(&valid_correspondence())
                .expect("body"),
        )
        .await;
    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(resetter.count() - before, 1);
}
