//! Exchanging a Maskinporten token for an Altinn token (Altinn 3's `exchange/maskinporten`).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::AccessToken;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Altinn's exchange endpoint in the TT02 test environment.
pub const ALTINN_EXCHANGE_TT02: &str =
    "https://platform.tt02.altinn.no/authentication/api/v1/exchange/maskinporten";
/// Altinn's exchange endpoint in production.
pub const ALTINN_EXCHANGE_PRODUCTION: &str =
    "https://platform.altinn.no/authentication/api/v1/exchange/maskinporten";

#[derive(Deserialize)]
struct Expiry {
    exp: u64,
}

/// Sends the Maskinporten token to `url` and returns Altinn's token, which expires no later than
/// the Maskinporten token did.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    url: &str,
    timeout: Duration,
    maskinporten: &AccessToken,
    subscription_key: Option<&Secret>,
) -> Result<AccessToken> {
    let mut request = http.get(url).bearer_auth(maskinporten.value.expose());
    if let Some(key) = subscription_key {
        request = request.header("Ocp-Apim-Subscription-Key", key.expose());
    }
    let response = request
        .send()
        .await
        .map_err(|e| crate::http::transport_error(url, timeout, &e))?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| crate::http::transport_error(url, timeout, &e))?;
    if !status.is_success() {
        return Err(Error::TokenRefused {
            status: status.as_u16(),
            error: "exchange_failed".into(),
            description: body,
        });
    }
    // Altinn answers with the bare JWT, sometimes JSON-quoted.
    let token = body.trim().trim_matches('"').to_owned();
    Ok(AccessToken {
        expires_at: expiry(&token)
            .map_or(maskinporten.expires_at, |e| e.min(maskinporten.expires_at)),
        value: Secret::new(token),
    })
}

/// The token's own `exp`, read without verification: only Altinn's APIs verify it, we merely
/// schedule the renewal.
fn expiry(token: &str) -> Option<Instant> {
    let exp = jsonwebtoken::dangerous::insecure_decode::<Expiry>(token)
        .ok()?
        .claims
        .exp;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Instant::now() + Duration::from_secs(exp.saturating_sub(now)))
}
