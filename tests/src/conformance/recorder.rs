//! A recording Altinn 3 on loopback: every API under its own prefix (`/{api}/…`), answering each
//! request from its endpoint's response schema with distinctive values, and a Maskinporten token
//! endpoint that verifies each grant's JWT and keeps its claims. Everything that arrives is kept
//! for the checks.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use altinn_bridge::link::Mapping;
use altinn_bridge::model::{HttpMethod, RestContract};
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::response::{self, Reply, ResponseHints};
use super::values::Values;

/// One request that reached an Altinn 3 API, and what it was answered.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The API (OpenAPI file stem).
    pub api: String,
    /// The endpoint it matched (`METHOD /path/{template}`), if any.
    pub endpoint: Option<String>,
    /// The path below the API's prefix, as sent (percent-encoded).
    pub path: String,
    /// Query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers (lower-case names), in order.
    pub headers: Vec<(String, String)>,
    /// The body's bytes.
    pub body: Vec<u8>,
    /// The answer.
    pub reply: Reply,
}

impl Exchange {
    /// The header `name`'s values.
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Everything sent, as text, for searching (path and query decoded).
    pub fn wire_text(&self) -> String {
        let mut s = percent_decode(&self.path);
        for (k, v) in &self.query {
            s.push_str(&format!("\n{k}={v}"));
        }
        for (k, v) in &self.headers {
            s.push_str(&format!("\n{k}: {v}"));
        }
        s.push('\n');
        s.push_str(&String::from_utf8_lossy(&self.body));
        s
    }
}

/// One token grant the token endpoint saw.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The assertion's claims, after its signature was verified.
    pub claims: Value,
    /// The access token handed out.
    pub token: String,
}

#[derive(Default)]
struct State {
    exchanges: Vec<Exchange>,
    grants: Vec<Grant>,
    values: Values,
    /// Answers to GETs, by API, path and query: reading a resource twice gives the same
    /// resource, as Altinn 3 would.
    reads: BTreeMap<String, Reply>,
}

/// The running recorder.
#[derive(Clone)]
pub struct Recorder {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    state: Arc<Mutex<State>>,
}

impl Recorder {
    /// Starts one for `m`'s APIs; grants are verified against `public_pem` and `audience`.
    pub async fn start(m: &Mapping, public_pem: String, audience: String) -> Recorder {
        let apis: BTreeMap<String, RestContract> = m
            .resolved
            .openapi
            .iter()
            .zip(&m.rest)
            .map(|(name, c)| (api_stem(name), c.clone()))
            .collect();
        let hints = ResponseHints::of(m);
        let state = Arc::new(Mutex::new(State {
            values: Values::answers(),
            ..State::default()
        }));
        let shared = Arc::new(Shared {
            apis,
            hints,
            state: Arc::clone(&state),
            public_pem,
            audience,
        });
        let app = axum::Router::new().fallback(move |method, uri, headers, body| {
            let shared = Arc::clone(&shared);
            async move { shared.handle(method, uri, headers, body) }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the recorder");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Recorder {
            base: format!("http://{addr}"),
            state,
        }
    }

    /// The base URL generated code gets for `api`.
    pub fn api_url(&self, api: &str) -> String {
        format!("{}/{api}", self.base)
    }

    /// The token endpoint's URL.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.base)
    }

    /// Takes what arrived since the last call.
    pub fn take(&self) -> (Vec<Exchange>, Vec<Grant>) {
        let mut s = lock(&self.state);
        (
            std::mem::take(&mut s.exchanges),
            std::mem::take(&mut s.grants),
        )
    }
}

struct Shared {
    apis: BTreeMap<String, RestContract>,
    hints: ResponseHints,
    state: Arc<Mutex<State>>,
    public_pem: String,
    audience: String,
}

impl Shared {
    fn handle(&self, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
        if uri.path() == "/token" {
            return self.grant(&body);
        }
        let (api, path) = uri
            .path()
            .trim_start_matches('/')
            .split_once('/')
            .map(|(a, p)| (a.to_owned(), format!("/{p}")))
            .unwrap_or_default();
        let query = uri.query().map(url_pairs).unwrap_or_default();
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let contract = self.apis.get(&api);
        let endpoint = contract.and_then(|c| find_endpoint(c, method.as_str(), &path));
        let mut state = lock(&self.state);
        let key = format!("{api} {path}?{}", uri.query().unwrap_or_default());
        let cached = (method == Method::GET)
            .then(|| state.reads.get(&key).cloned())
            .flatten();
        let reply = match (contract, endpoint, cached) {
            (_, _, Some(r)) => r,
            (Some(c), Some(e), None) => {
                response::reply(&c.types, e, &self.hints, &mut state.values)
            }
            _ => Reply::Json(404, json!({"title": "no such endpoint", "status": 404})),
        };
        if method == Method::GET {
            state.reads.insert(key, reply.clone());
        }
        state.exchanges.push(Exchange {
            api,
            endpoint: endpoint.map(|e| format!("{} {}", e.method.as_str(), e.path)),
            path,
            query,
            headers,
            body: body.to_vec(),
            reply: reply.clone(),
        });
        answer(reply)
    }

    fn grant(&self, body: &[u8]) -> Response {
        let form = url_pairs(&String::from_utf8_lossy(body));
        let assertion = form
            .iter()
            .find(|(k, _)| k == "assertion")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let key = jsonwebtoken::DecodingKey::from_rsa_pem(self.public_pem.as_bytes())
            .expect("the harness's public key");
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.set_audience(&[&self.audience]);
        let claims = match jsonwebtoken::decode::<Value>(&assertion, &key, &validation) {
            Ok(t) => t.claims,
            Err(e) => {
                return answer(Reply::Json(
                    400,
                    json!({"error": "invalid_grant", "error_description": e.to_string()}),
                ));
            }
        };
        let mut state = lock(&self.state);
        let token = format!("token-{}", state.values.token());
        state.grants.push(Grant {
            claims,
            token: token.clone(),
        });
        answer(Reply::Json(
            200,
            json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600}),
        ))
    }
}

fn answer(reply: Reply) -> Response {
    let (status, ct, body) = match reply {
        Reply::Json(s, v) => (s, "application/json", v.to_string().into_bytes()),
        Reply::Bytes(s, b) => (s, "application/octet-stream", b),
        Reply::Empty(s) => (s, "text/plain", Vec::new()),
    };
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .expect("a response")
}

/// The endpoint whose template matches `path`; literal segments beat parameters.
pub fn find_endpoint<'c>(
    c: &'c RestContract,
    method: &str,
    path: &str,
) -> Option<&'c altinn_bridge::model::Endpoint> {
    let method = HttpMethod::from_key(&method.to_ascii_lowercase())?;
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    c.endpoints
        .iter()
        .filter(|e| e.method == method)
        .filter_map(|e| {
            let t: Vec<&str> = e.path.trim_matches('/').split('/').collect();
            if t.len() != segs.len() {
                return None;
            }
            let mut literal = 0;
            for (a, b) in t.iter().zip(&segs) {
                if a.starts_with('{') && a.ends_with('}') {
                    continue;
                }
                if a != b {
                    return None;
                }
                literal += 1;
            }
            Some((literal, e))
        })
        .max_by_key(|(l, _)| *l)
        .map(|(_, e)| e)
}

/// The path parameters of `path` under `template`, decoded.
pub fn path_params(template: &str, path: &str) -> BTreeMap<String, String> {
    let t = template.trim_matches('/').split('/');
    let p = path.trim_matches('/').split('/');
    t.zip(p)
        .filter_map(|(a, b)| {
            let name = a.strip_prefix('{')?.strip_suffix('}')?;
            Some((name.to_owned(), percent_decode(b)))
        })
        .collect()
}

/// The API name generated code uses: the OpenAPI file's stem.
pub fn api_stem(display: &str) -> String {
    let file = display.rsplit(['/', '\\']).next().unwrap_or(display);
    file.rsplit_once('.').map_or(file, |(s, _)| s).to_owned()
}

fn url_pairs(q: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{q}"))
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// `%XX` decoded (the path as generated code encoded it).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
