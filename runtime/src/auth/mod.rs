//! Maskinporten tokens through the JWT grant, cached per customer and fetched once under concurrency.

mod assertion;
mod exchange;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use serde::Deserialize;

pub use assertion::{
    AssertionClaims, AuthorizationDetail, OrgId, SYSTEM_USER_TYPE, sign_assertion,
};
pub use exchange::{ALTINN_EXCHANGE_PRODUCTION, ALTINN_EXCHANGE_TT02};

use crate::error::{Error, Result};
use crate::secret::Secret;

/// A Maskinporten environment: its issuer (the assertion's `aud`) and token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// The issuer URL, used as the assertion's audience.
    pub audience: String,
    /// The token endpoint.
    pub token_endpoint: String,
}

impl Environment {
    /// Maskinporten's test environment.
    pub fn test() -> Self {
        Self::custom(
            "https://test.maskinporten.no/",
            "https://test.maskinporten.no/token",
        )
    }

    /// Maskinporten's production environment.
    pub fn production() -> Self {
        Self::custom("https://maskinporten.no/", "https://maskinporten.no/token")
    }

    /// Any other issuer and endpoint (a local test server, a proxy).
    pub fn custom(audience: impl Into<String>, token_endpoint: impl Into<String>) -> Self {
        Self {
            audience: audience.into(),
            token_endpoint: token_endpoint.into(),
        }
    }
}

/// How the client proves who it is.
#[derive(Debug, Clone)]
pub enum SigningKey {
    /// A key registered with Maskinporten, named by `kid`.
    Kid {
        /// The key id registered for the client.
        kid: String,
        /// The RSA private key, PEM (PKCS#1 or PKCS#8).
        key_pem: Secret,
    },
    /// An enterprise certificate (virksomhetssertifikat), sent as `x5c`.
    Certificate {
        /// The certificate chain, PEM, leaf first.
        certificate_pem: String,
        /// The certificate's RSA private key, PEM.
        key_pem: Secret,
    },
}

/// Everything a [`TokenProvider`] needs.
#[derive(Debug, Clone)]
pub struct MaskinportenConfig {
    /// The client id (the assertion's `iss`).
    pub client_id: String,
    /// The issuer URL used as `aud`.
    pub audience: String,
    /// The token endpoint.
    pub token_endpoint: String,
    /// The scopes asked for.
    pub scopes: Vec<String>,
    /// The signing key or certificate.
    pub key: SigningKey,
    /// How long an assertion is valid; Maskinporten accepts at most 120 seconds.
    pub assertion_lifetime: Duration,
    /// A token is renewed this long before it expires.
    pub refresh_margin: Duration,
    /// The timeout of one token request.
    pub timeout: Duration,
    /// The `Ocp-Apim-Subscription-Key` some Altinn APIs want, sent by [`crate::http::Client`].
    pub subscription_key: Option<Secret>,
    /// When set, each Maskinporten token is exchanged here for an Altinn token
    /// ([`ALTINN_EXCHANGE_TT02`], [`ALTINN_EXCHANGE_PRODUCTION`]) and the Altinn token is used.
    pub altinn_exchange: Option<String>,
}

impl MaskinportenConfig {
    /// A configuration with the defaults: 120 s assertions, renewal 60 s early, 30 s timeout.
    pub fn new(
        environment: Environment,
        client_id: impl Into<String>,
        scopes: Vec<String>,
        key: SigningKey,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            audience: environment.audience,
            token_endpoint: environment.token_endpoint,
            scopes,
            key,
            assertion_lifetime: Duration::from_secs(120),
            refresh_margin: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
            subscription_key: None,
            altinn_exchange: None,
        }
    }
}

/// An access token and when to stop using it.
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// The bearer token.
    pub value: Secret,
    /// When Maskinporten says it expires.
    pub expires_at: Instant,
}

/// The cache key: the client's own token, or a system user's token for one customer.
type Slot = Arc<tokio::sync::Mutex<Option<AccessToken>>>;

/// Fetches and caches Maskinporten tokens. Clone it freely: clones share the cache.
#[derive(Debug, Clone)]
pub struct TokenProvider {
    config: Arc<MaskinportenConfig>,
    http: reqwest::Client,
    slots: Arc<Mutex<BTreeMap<Option<String>, Slot>>>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

#[derive(Deserialize, Default)]
struct OAuthError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

impl TokenProvider {
    /// A provider for `config` with its own HTTP client.
    pub fn new(config: MaskinportenConfig) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| Error::Request(e.to_string()))?;
        Ok(Self {
            config: Arc::new(config),
            http,
            slots: Arc::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &MaskinportenConfig {
        &self.config
    }

    /// The client's own token.
    pub async fn token(&self) -> Result<AccessToken> {
        self.cached(None).await
    }

    /// A system user token for customer `orgnr` (nine digits); one cache entry per customer.
    pub async fn system_user_token(&self, orgnr: &str) -> Result<AccessToken> {
        AuthorizationDetail::system_user(orgnr)?;
        self.cached(Some(orgnr.to_owned())).await
    }

    /// Drops the cached token of `customer` (`None`: the client's own) if it is still `used`, so
    /// the next call fetches a new one; a token another caller already renewed is kept.
    pub async fn forget(&self, customer: Option<&str>, used: &Secret) {
        let slot = {
            let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots.get(&customer.map(str::to_owned)).cloned()
        };
        if let Some(slot) = slot {
            let mut guard = slot.lock().await;
            if guard.as_ref().is_some_and(|t| &t.value == used) {
                *guard = None;
            }
        }
    }

    /// Returns the cached token if it is fresh; otherwise fetches one while holding the slot's
    /// lock, so concurrent callers wait for that one request instead of sending their own.
    async fn cached(&self, customer: Option<String>) -> Result<AccessToken> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(slots.entry(customer.clone()).or_default())
        };
        let mut guard = slot.lock().await;
        if let Some(token) = guard
            .as_ref()
            .filter(|t| Instant::now() + self.config.refresh_margin < t.expires_at)
        {
            return Ok(token.clone());
        }
        let mut token = self.fetch(customer.as_deref()).await?;
        if let Some(url) = &self.config.altinn_exchange {
            let key = self.config.subscription_key.as_ref();
            token = exchange::exchange(&self.http, url, self.config.timeout, &token, key).await?;
        }
        *guard = Some(token.clone());
        Ok(token)
    }

    async fn fetch(&self, customer: Option<&str>) -> Result<AccessToken> {
        let assertion = sign_assertion(&self.config, SystemTime::now(), customer)?;
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ];
        let url = &self.config.token_endpoint;
        tracing::debug!(%url, customer, "requesting a Maskinporten token");
        let sent = Instant::now();
        let response = self
            .http
            .post(url)
            .form(&form)
            .send()
            .await
            .map_err(|e| crate::http::transport_error(url, self.config.timeout, &e))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| crate::http::transport_error(url, self.config.timeout, &e))?;
        if !status.is_success() {
            let err: OAuthError = serde_json::from_slice(&body).unwrap_or_default();
            return Err(Error::TokenRefused {
                status: status.as_u16(),
                error: err.error,
                description: err.error_description,
            });
        }
        let token: TokenResponse =
            serde_json::from_slice(&body).map_err(|e| Error::TokenResponse(e.to_string()))?;
        // Expiry counts from when the request was sent, so a slow answer cannot stretch it.
        Ok(AccessToken {
            value: Secret::new(token.access_token),
            expires_at: sent + Duration::from_secs(token.expires_in),
        })
    }
}
