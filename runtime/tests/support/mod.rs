//! Test peers: an RSA key and certificate made by openssl, and a real token endpoint that verifies
//! client assertions the way Maskinporten does.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use altinn_bridge_runtime::Secret;
use altinn_bridge_runtime::auth::{Environment, MaskinportenConfig, SigningKey};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, routing::post};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};

pub const AUDIENCE: &str = "http://maskinporten.test/";
pub const CLIENT_ID: &str = "0b1c2d3e-client";
pub const KID: &str = "test-kid";
pub const SCOPES: [&str; 2] = ["altinn:correspondence.write", "altinn:serviceowner"];

/// A fresh RSA key pair and self-signed certificate, made once per test binary.
pub struct Keys {
    pub private_pem: String,
    pub public_pem: String,
    pub cert_pem: String,
}

fn scratch_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "altinn-bridge-rt-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = scratch_dir();
        let key = dir.join("key.pem");
        let key_s = key.to_str().expect("utf-8 path");
        openssl(&["genrsa", "-out", key_s, "2048"]);
        let public_pem =
            String::from_utf8(openssl(&["rsa", "-in", key_s, "-pubout"])).expect("pem");
        let cert_pem = String::from_utf8(openssl(&[
            "req",
            "-x509",
            "-new",
            "-key",
            key_s,
            "-subj",
            "/CN=altinn-bridge test",
            "-days",
            "1",
        ]))
        .expect("pem");
        let private_pem = std::fs::read_to_string(&key).expect("key");
        std::fs::remove_dir_all(&dir).ok();
        Keys {
            private_pem,
            public_pem,
            cert_pem,
        }
    })
}

/// The public key inside a base64 DER certificate, read by openssl.
fn public_key_of_x5c(der_b64: &str) -> Option<String> {
    let dir = scratch_dir();
    let lines: Vec<String> = der_b64
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    );
    let path = dir.join("cert.pem");
    std::fs::write(&path, pem).ok()?;
    let out = Command::new("openssl")
        .args(["x509", "-in", path.to_str()?, "-pubkey", "-noout"])
        .output()
        .ok()?;
    std::fs::remove_dir_all(&dir).ok();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What the token endpoint saw.
#[derive(Default)]
pub struct Seen {
    pub requests: AtomicUsize,
    pub exchanges: AtomicUsize,
    pub claims: Mutex<Vec<Value>>,
    pub headers: Mutex<Vec<jsonwebtoken::Header>>,
    jtis: Mutex<BTreeSet<String>>,
}

#[derive(Clone)]
struct Endpoint {
    seen: Arc<Seen>,
    expires_in: u64,
}

/// A running token endpoint on 127.0.0.1.
pub struct TokenServer {
    pub url: String,
    pub seen: Arc<Seen>,
}

impl TokenServer {
    pub fn requests(&self) -> usize {
        self.seen.requests.load(Ordering::SeqCst)
    }

    pub fn environment(&self) -> Environment {
        Environment::custom(AUDIENCE, self.url.clone())
    }

    pub fn config(&self) -> MaskinportenConfig {
        let key = SigningKey::Kid {
            kid: KID.into(),
            key_pem: Secret::new(keys().private_pem.clone()),
        };
        MaskinportenConfig::new(
            self.environment(),
            CLIENT_ID,
            SCOPES.iter().map(|s| s.to_string()).collect(),
            key,
        )
    }
}

pub async fn token_server(expires_in: u64) -> TokenServer {
    let seen = Arc::new(Seen::default());
    let app = Router::new()
        .route("/token", post(grant))
        .route("/exchange", axum::routing::get(exchange))
        .with_state(Endpoint {
            seen: Arc::clone(&seen),
            expires_in,
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/token", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    TokenServer { url, seen }
}

fn refuse(error: &str, description: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": error, "error_description": description.into()})),
    )
        .into_response()
}

async fn grant(State(ep): State<Endpoint>, Form(form): Form<HashMap<String, String>>) -> Response {
    let n = ep.seen.requests.fetch_add(1, Ordering::SeqCst) + 1;
    // Slow enough that concurrent callers overlap with the request in flight.
    tokio::time::sleep(Duration::from_millis(50)).await;
    if form.get("grant_type").map(String::as_str)
        != Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
    {
        return refuse("unsupported_grant_type", "");
    }
    let Some(assertion) = form.get("assertion") else {
        return refuse("invalid_request", "no assertion");
    };
    match verify(&ep, assertion) {
        Ok(customer) => {
            let token = format!("token-{n}-{}", customer.unwrap_or_default());
            Json(json!({"access_token": token, "token_type": "Bearer", "expires_in": ep.expires_in, "scope": SCOPES.join(" ")})).into_response()
        }
        Err(description) => refuse("invalid_grant", description),
    }
}

/// Verifies signature and every claim; returns the system user's organisation, if any.
fn verify(ep: &Endpoint, assertion: &str) -> Result<Option<String>, String> {
    let header = jsonwebtoken::decode_header(assertion).map_err(|e| e.to_string())?;
    let public_pem = match (&header.kid, &header.x5c) {
        (Some(kid), None) if kid == KID => keys().public_pem.clone(),
        (None, Some(chain)) => {
            public_key_of_x5c(chain.first().ok_or("empty x5c")?).ok_or("x5c is no certificate")?
        }
        _ => return Err("unknown client key".into()),
    };
    let key = DecodingKey::from_rsa_pem(public_pem.as_bytes()).map_err(|e| e.to_string())?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 0;
    validation.set_audience(&[AUDIENCE]);
    validation.set_issuer(&[CLIENT_ID]);
    validation.set_required_spec_claims(&["exp", "iat", "aud", "iss"]);
    let claims = jsonwebtoken::decode::<Value>(assertion, &key, &validation)
        .map_err(|e| e.to_string())?
        .claims;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let (iat, exp) = (
        claims["iat"].as_u64().ok_or("iat")?,
        claims["exp"].as_u64().ok_or("exp")?,
    );
    if iat > now + 5 || exp <= iat || exp - iat > 120 {
        return Err(format!("bad lifetime iat={iat} exp={exp}"));
    }
    if claims["scope"] != SCOPES.join(" ") {
        return Err(format!("bad scope {}", claims["scope"]));
    }
    let jti = claims["jti"]
        .as_str()
        .filter(|j| !j.is_empty())
        .ok_or("no jti")?
        .to_owned();
    if !ep.seen.jtis.lock().expect("lock").insert(jti) {
        return Err("replayed jti".into());
    }
    let customer = system_user(&claims)?;
    ep.seen.claims.lock().expect("lock").push(claims);
    ep.seen.headers.lock().expect("lock").push(header);
    Ok(customer)
}

fn system_user(claims: &Value) -> Result<Option<String>, String> {
    let Some(details) = claims.get("authorization_details") else {
        return Ok(None);
    };
    let [detail] = details.as_array().map(Vec::as_slice).unwrap_or_default() else {
        return Err("authorization_details must hold one entry".into());
    };
    let org = &detail["systemuser_org"];
    if detail["type"] != "urn:altinn:systemuser" || org["authority"] != "iso6523-actorid-upis" {
        return Err(format!("bad authorization_details {detail}"));
    }
    let id = org["ID"]
        .as_str()
        .and_then(|id| id.strip_prefix("0192:"))
        .ok_or("ID must start with 0192:")?;
    if id.len() != 9 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("bad organisation number {id}"));
    }
    Ok(Some(id.to_owned()))
}

/// Altinn's exchange: takes a token this server issued, answers with a bare JWT that lives 300 s.
async fn exchange(State(ep): State<Endpoint>, headers: HeaderMap) -> Response {
    ep.seen.exchanges.fetch_add(1, Ordering::SeqCst);
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(mp) = bearer.filter(|t| t.starts_with("token-")) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let exp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        + 300;
    let claims = json!({"exp": exp, "maskinporten": mp, "iss": "https://platform.altinn.test/"});
    let key = jsonwebtoken::EncodingKey::from_secret(b"altinn-test-signing-secret");
    let jwt = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).expect("sign");
    format!("\"{jwt}\"").into_response()
}
