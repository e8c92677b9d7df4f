//! Maskinporten JWT grant against a real local token endpoint that verifies every assertion.

mod support;

use std::time::{Duration, Instant, SystemTime};

use altinn_bridge_runtime::auth::{SigningKey, TokenProvider, sign_assertion};
use altinn_bridge_runtime::{Error, Secret};
use support::{AUDIENCE, KID, keys, token_server};

#[tokio::test]
async fn a_kid_signed_assertion_is_accepted_with_every_claim() {
    let server = token_server(120).await;
    let provider = TokenProvider::new(server.config()).expect("provider");
    let token = provider.token().await.expect("token");
    assert!(token.value.expose().starts_with("token-1-"));
    let claims = server.seen.claims.lock().expect("lock")[0].clone();
    assert_eq!(claims["aud"], AUDIENCE);
    assert_eq!(
        claims["scope"],
        "altinn:correspondence.write altinn:serviceowner"
    );
    assert!(claims.get("authorization_details").is_none());
    let header = server.seen.headers.lock().expect("lock")[0].clone();
    assert_eq!(header.kid.as_deref(), Some(KID));
    assert!(header.x5c.is_none());
}

#[tokio::test]
async fn fifty_concurrent_calls_make_one_request() {
    let server = token_server(120).await;
    let provider = TokenProvider::new(server.config()).expect("provider");
    let calls = (0..50).map(|_| {
        let p = provider.clone();
        tokio::spawn(async move { p.token().await })
    });
    let mut values = std::collections::BTreeSet::new();
    for call in calls {
        values.insert(
            call.await
                .expect("join")
                .expect("token")
                .value
                .expose()
                .to_owned(),
        );
    }
    assert_eq!(server.requests(), 1);
    assert_eq!(values.len(), 1);
    provider.token().await.expect("cached");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn system_user_tokens_are_cached_per_customer() {
    let server = token_server(120).await;
    let provider = TokenProvider::new(server.config()).expect("provider");
    let calls: Vec<_> = (0..40)
        .map(|i| {
            let p = provider.clone();
            let org = if i % 2 == 0 { "991825827" } else { "310000000" };
            tokio::spawn(async move { (org, p.system_user_token(org).await) })
        })
        .collect();
    for call in calls {
        let (org, token) = call.await.expect("join");
        assert!(token.expect("token").value.expose().ends_with(org));
    }
    assert_eq!(server.requests(), 2);
    let claims = server.seen.claims.lock().expect("lock").clone();
    let mut ids: Vec<String> = claims
        .iter()
        .map(|c| {
            c["authorization_details"][0]["systemuser_org"]["ID"]
                .as_str()
                .expect("ID")
                .to_owned()
        })
        .collect();
    ids.sort();
    assert_eq!(ids, ["0192:310000000", "0192:991825827"]);
    assert_eq!(
        claims[0]["authorization_details"][0]["type"],
        "urn:altinn:systemuser"
    );
    // The client's own token is a third cache entry.
    provider.token().await.expect("own token");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_certificate_is_sent_as_x5c_and_verifies() {
    let server = token_server(120).await;
    let mut config = server.config();
    config.key = SigningKey::Certificate {
        certificate_pem: keys().cert_pem.clone(),
        key_pem: Secret::new(keys().private_pem.clone()),
    };
    let provider = TokenProvider::new(config).expect("provider");
    provider.token().await.expect("token");
    let header = server.seen.headers.lock().expect("lock")[0].clone();
    assert_eq!(header.x5c.map(|c| c.len()), Some(1));
    assert!(header.kid.is_none());
}

#[tokio::test]
async fn a_wrong_audience_is_refused() {
    let server = token_server(120).await;
    let mut config = server.config();
    config.audience = "https://maskinporten.no/".into();
    let err = TokenProvider::new(config)
        .expect("provider")
        .token()
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::TokenRefused { status: 400, error, .. } if error == "invalid_grant"),
        "{err}"
    );
}

#[tokio::test]
async fn an_expired_assertion_is_refused() {
    let server = token_server(120).await;
    let old = SystemTime::now() - Duration::from_secs(600);
    let assertion = sign_assertion(&server.config(), old, None).expect("signed");
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("assertion", assertion.as_str()),
    ];
    let response = reqwest::Client::new()
        .post(&server.url)
        .form(&form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.expect("json");
    assert!(
        body["error_description"]
            .as_str()
            .expect("text")
            .contains("Expired"),
        "{body}"
    );
}

#[tokio::test]
async fn a_token_near_expiry_is_renewed() {
    // Tokens live 30 s and are renewed 60 s early: every call fetches.
    let server = token_server(30).await;
    let provider = TokenProvider::new(server.config()).expect("provider");
    let first = provider.token().await.expect("first");
    let second = provider.token().await.expect("second");
    assert_eq!(server.requests(), 2);
    assert_ne!(first.value, second.value);
}

#[tokio::test]
async fn a_bad_organisation_number_sends_nothing() {
    let server = token_server(120).await;
    let provider = TokenProvider::new(server.config()).expect("provider");
    assert!(matches!(
        provider.system_user_token("0192:991825827").await,
        Err(Error::Request(_))
    ));
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let server = token_server(120).await;
    let mut config = server.config();
    config.subscription_key = Some(Secret::new("apim-subscription-secret"));
    let provider = TokenProvider::new(config.clone()).expect("provider");
    let token = provider.token().await.expect("token");
    let printed = format!("{config:?} {provider:?} {token:?}");
    let key_body = keys().private_pem.lines().nth(1).expect("pem body");
    for secret in [key_body, "apim-subscription-secret", token.value.expose()] {
        assert!(!printed.contains(secret), "{secret} leaked");
    }
    assert!(printed.contains("[redacted]"));
}

#[tokio::test]
async fn maskinporten_tokens_are_exchanged_for_altinn_tokens_once() {
    // Maskinporten's token lives an hour; Altinn's 300 s, so Altinn's expiry wins.
    let server = token_server(3600).await;
    let mut config = server.config();
    config.altinn_exchange = Some(server.url.replace("/token", "/exchange"));
    let provider = TokenProvider::new(config).expect("provider");
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let p = provider.clone();
            tokio::spawn(async move { p.token().await })
        })
        .collect();
    let mut tokens = Vec::new();
    for call in calls {
        tokens.push(call.await.expect("join").expect("altinn token"));
    }
    assert_eq!(
        (
            server.requests(),
            server
                .seen
                .exchanges
                .load(std::sync::atomic::Ordering::SeqCst)
        ),
        (1, 1)
    );
    let claims =
        jsonwebtoken::dangerous::insecure_decode::<serde_json::Value>(tokens[0].value.expose())
            .expect("jwt")
            .claims;
    assert_eq!(claims["maskinporten"], "token-1-");
    let left = tokens[0].expires_at - Instant::now();
    assert!(
        left <= Duration::from_secs(300) && left > Duration::from_secs(290),
        "{left:?}"
    );
}

#[tokio::test]
async fn a_refused_exchange_is_a_typed_error() {
    let server = token_server(120).await;
    let mut config = server.config();
    config.altinn_exchange = Some(server.url.replace("/token", "/nowhere"));
    let err = TokenProvider::new(config)
        .expect("provider")
        .token()
        .await
        .expect_err("404");
    assert!(
        matches!(&err, Error::TokenRefused { status: 404, .. }),
        "{err}"
    );
}
