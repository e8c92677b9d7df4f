//! A realistic stand-in for an Altinn 3 API, for the tests that drive whole operations: a local
//! app that passes each request on to a Prism mock of the real spec (`--errors`: Prism validates
//! every request and logs each violation) and makes the mock's answer realistic.
//!
//! A mock answers from the spec alone, so ids come back as `"string"` and binary downloads
//! cannot be produced at all. The operations then fail on the mock's placeholders, not on the
//! adapter: an instance id that is not `partyId/guid`, a language that is not a language. The
//! local app replaces exactly those values, keeping their types, and serves downloads as bytes.
//!
//! (Prism's proxy mode would also validate the answers, but Prism 5.14.2 never finishes starting
//! a proxy for the events spec, so the mock does the validating here.)

use std::collections::HashMap;
use std::net::TcpListener as StdListener;
use std::sync::{Mutex, OnceLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::Value;

use crate::prism::{self, Prism};

/// The instance id every storage answer carries (party 50001).
pub const INSTANCE_ID: &str = "50001/3f2504e0-4f89-11d3-9a0c-0305e82c3301";
/// The GUID data elements and file transfers get.
pub const GUID: &str = "3f2504e0-4f89-11d3-9a0c-0305e82c3303";
/// The bytes every download answers.
pub const FILE: &[u8] = b"%PDF-1.4\n% a file from the test upstream\n";

/// One stand-in: where clients send requests, and the Prism whose log holds the violations.
pub struct Api {
    /// The local app's base URL.
    pub url: String,
    /// The validating mock behind it.
    pub prism: &'static Prism,
}

/// The stand-in for corpus spec `altinn3/<stem>.json`, started on first use (for a test that
/// needs the corpus and Prism; see [`prism::require_spec`]).
pub fn shared(test: &str, stem: &str) -> Api {
    let spec = prism::require_spec(test, stem);
    let prism = prism::shared_mock(test, stem);
    let url = app_for(stem, prism.base_url(), &spec);
    Api { url, prism }
}

/// The endpoints that declare no request body, as (method, path template).
fn bodiless(spec: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(spec).unwrap_or_default();
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap_or_default();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if matches!(method.as_str(), "post" | "put" | "patch")
                && op.get("requestBody").is_none()
            {
                out.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// `/a/{id}/b` matches `/a/123/b`.
fn matches_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

/// The local app's URL for `stem`, one per test binary.
fn app_for(stem: &str, mock: &str, spec: &std::path::Path) -> String {
    static APPS: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let mut apps = APPS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    apps.entry(stem.to_owned())
        .or_insert_with(|| start(stem.to_owned(), mock.to_owned(), bodiless(spec)))
        .clone()
}

/// Serves the app on a thread of its own (its own runtime, so sync and async tests can use it).
fn start(stem: String, mock: String, bodiless: Vec<(String, String)>) -> String {
    let listener = StdListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.set_nonblocking(true).expect("non-blocking");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let cx = std::sync::Arc::new(Cx {
                http: reqwest::Client::new(),
                mock,
                stem,
                bodiless,
            });
            let app = Router::new().fallback(move |method, uri, headers, body| {
                answer(cx.clone(), method, uri, headers, body)
            });
            let _ = axum::serve(listener, app).await;
        });
    });
    url
}

/// What the app needs per request.
struct Cx {
    http: reqwest::Client,
    mock: String,
    stem: String,
    bodiless: Vec<(String, String)>,
}

async fn answer(
    cx: std::sync::Arc<Cx>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    if method == Method::GET && path.split('?').next().is_some_and(is_download) {
        return bytes(StatusCode::OK, "application/octet-stream", FILE.to_vec());
    }
    // Raw uploads to endpoints whose spec declares no body (the service reads the request
    // stream): the mock refuses any body there, so it checks the rest of the request without it.
    let (http, mock, stem) = (&cx.http, &cx.mock, &cx.stem);
    let raw_upload = cx.bodiless.iter().any(|(m, t)| {
        m == method.as_str() && matches_template(t, path.split('?').next().unwrap_or(path))
    });
    let body = if raw_upload { Bytes::new() } else { body };
    let mut req = http.request(method, format!("{mock}{path}")).body(body);
    let forwarded: &[header::HeaderName] = if raw_upload {
        &[header::AUTHORIZATION, header::ACCEPT]
    } else {
        &[header::CONTENT_TYPE, header::AUTHORIZATION, header::ACCEPT]
    };
    for name in forwarded.iter().cloned() {
        if let Some(v) = headers.get(&name) {
            req = req.header(name, v);
        }
    }
    let Ok(res) = req.send().await else {
        return bytes(
            StatusCode::BAD_GATEWAY,
            "text/plain",
            b"mock unreachable".to_vec(),
        );
    };
    let status = StatusCode::from_u16(res.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let data = res.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
    if !content_type.contains("json") || !status.is_success() {
        return bytes(status, &content_type, data);
    }
    match serde_json::from_slice::<Value>(&data) {
        Ok(mut v) => {
            realistic(stem, &mut v);
            bytes(
                status,
                &content_type,
                serde_json::to_vec(&v).unwrap_or(data),
            )
        }
        Err(_) => bytes(status, &content_type, data),
    }
}

/// File contents: what the mock cannot produce.
fn is_download(path: &str) -> bool {
    path.ends_with("/download") || path.contains("/data/")
}

fn bytes(status: StatusCode, content_type: &str, data: Vec<u8>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(data))
        .unwrap_or_default()
}

/// Replaces the mock's placeholders with values of the right shape, wherever they occur.
fn realistic(stem: &str, v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|i| realistic(stem, i)),
        Value::Object(map) => {
            if stem.contains("storage") && map.contains_key("instanceOwner") {
                map.insert("id".into(), INSTANCE_ID.into());
                if let Some(owner) = map.get_mut("instanceOwner").and_then(Value::as_object_mut) {
                    owner.insert("partyId".into(), "50001".into());
                }
            }
            if stem.contains("storage") && map.contains_key("instanceGuid") {
                map.insert("instanceGuid".into(), INSTANCE_ID[6..].into());
            }
            if stem.contains("storage") && map.contains_key("contentType") && map.contains_key("id")
            {
                map.insert("id".into(), GUID.into());
            }
            if stem.contains("events") && map.contains_key("source") {
                let source =
                    format!("https://ttd.apps.tt02.altinn.no/ttd/test-app/instances/{INSTANCE_ID}");
                map.insert("source".into(), source.into());
            }
            for (key, value) in map.iter_mut() {
                match (key.as_str(), &*value) {
                    ("language", Value::String(_)) => *value = "nb".into(),
                    _ => realistic(stem, value),
                }
            }
        }
        _ => {}
    }
}
