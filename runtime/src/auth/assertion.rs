//! The JWT client assertion of the Maskinporten JWT grant (RFC 7523).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};

use super::{MaskinportenConfig, SigningKey};
use crate::error::{Error, Result};

/// The `authorization_details` type that asks for a system user's token.
pub const SYSTEM_USER_TYPE: &str = "urn:altinn:systemuser";

/// The claims of a client assertion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionClaims {
    /// Maskinporten's issuer URL for the environment.
    pub aud: String,
    /// The client id.
    pub iss: String,
    /// The requested scopes, space-separated.
    pub scope: String,
    /// Issued at, seconds since the epoch.
    pub iat: u64,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// A unique id, so the assertion cannot be replayed.
    pub jti: String,
    /// Present for system user tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_details: Option<Vec<AuthorizationDetail>>,
}

/// One entry of `authorization_details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationDetail {
    /// Always [`SYSTEM_USER_TYPE`] here.
    #[serde(rename = "type")]
    pub kind: String,
    /// The customer organisation the system user acts for.
    pub systemuser_org: OrgId,
}

/// An organisation identified the way Maskinporten expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgId {
    /// Always `iso6523-actorid-upis`.
    pub authority: String,
    /// `0192:` followed by the organisation number.
    #[serde(rename = "ID")]
    pub id: String,
}

impl AuthorizationDetail {
    /// The detail naming customer `orgnr` (nine digits) as the system user's organisation.
    pub fn system_user(orgnr: &str) -> Result<Self> {
        if orgnr.len() != 9 || !orgnr.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Request(format!(
                "`{orgnr}` is not a nine-digit organisation number"
            )));
        }
        Ok(Self {
            kind: SYSTEM_USER_TYPE.to_owned(),
            systemuser_org: OrgId {
                authority: "iso6523-actorid-upis".to_owned(),
                id: format!("0192:{orgnr}"),
            },
        })
    }
}

/// Signs a client assertion for `config` as of `now`, for the system user of `customer` if given.
pub fn sign_assertion(
    config: &MaskinportenConfig,
    now: SystemTime,
    customer: Option<&str>,
) -> Result<String> {
    let iat = now
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let claims = AssertionClaims {
        aud: config.audience.clone(),
        iss: config.client_id.clone(),
        scope: config.scopes.join(" "),
        iat,
        exp: iat + config.assertion_lifetime.as_secs(),
        jti: uuid::Uuid::new_v4().to_string(),
        authorization_details: customer
            .map(AuthorizationDetail::system_user)
            .transpose()?
            .map(|d| vec![d]),
    };
    let mut header = Header::new(Algorithm::RS256);
    let key_pem = match &config.key {
        SigningKey::Kid { kid, key_pem } => {
            header.kid = Some(kid.clone());
            key_pem
        }
        SigningKey::Certificate {
            certificate_pem,
            key_pem,
        } => {
            header.x5c = Some(certificate_chain(certificate_pem)?);
            key_pem
        }
    };
    let key = EncodingKey::from_rsa_pem(key_pem.expose().as_bytes())
        .map_err(|e| Error::Key(e.to_string()))?;
    jsonwebtoken::encode(&header, &claims, &key).map_err(|e| Error::Sign(e.to_string()))
}

/// The `x5c` entries of a PEM chain: each certificate's base64 DER, leaf first, as RFC 7515 wants.
fn certificate_chain(pem: &str) -> Result<Vec<String>> {
    let mut chain = Vec::new();
    let mut current: Option<String> = None;
    for line in pem.lines().map(str::trim) {
        match (line, current.as_mut()) {
            ("-----BEGIN CERTIFICATE-----", None) => current = Some(String::new()),
            ("-----END CERTIFICATE-----", Some(_)) => chain.extend(current.take()),
            (l, Some(body)) => body.push_str(l),
            _ => {}
        }
    }
    if chain.is_empty() || current.is_some() {
        return Err(Error::Key("no complete PEM certificate found".into()));
    }
    Ok(chain)
}
