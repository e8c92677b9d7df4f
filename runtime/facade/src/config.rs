//! `facade.toml`: where the facade listens, which Altinn environment it calls, its Maskinporten
//! clients, the legacy callers it accepts, its limits and the adapters' settings. Every error
//! names the file, line and column and says what was expected there.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use altinn_bridge_runtime::adapter::Settings;
use altinn_bridge_runtime::auth::{ALTINN_EXCHANGE_PRODUCTION, ALTINN_EXCHANGE_TT02};
use altinn_bridge_runtime::secret::Secret;

/// The whole configuration, checked and with every key file read.
#[derive(Debug, Clone)]
pub struct FacadeConfig {
    /// The socket address to listen on.
    pub listen: SocketAddr,
    /// Whether `X-Forwarded-Proto`/`X-Forwarded-Host` are trusted when writing addresses.
    pub behind_proxy: bool,
    /// The Altinn and Maskinporten environment.
    pub environment: EnvironmentConfig,
    /// Maskinporten clients by name.
    pub maskinporten: Vec<MaskinportenClient>,
    /// The legacy callers.
    pub callers: Vec<CallerConfig>,
    /// Bounds on requests.
    pub limits: FacadeLimits,
    /// How Altinn 3 is called: per-request timeout and retries.
    pub upstream: UpstreamConfig,
    /// TLS served by the facade itself; `None` serves plain HTTP (TLS terminated in front).
    pub tls: Option<TlsConfig>,
    /// Values and lookup tables for the adapters.
    pub settings: Settings,
}

/// `[tls]`: the certificate chain and private key the facade serves HTTPS with, and the CAs a
/// caller's client certificate must chain to.
#[derive(Debug, Clone)]
pub struct TlsConfig {
    /// The certificate file as written in the configuration, for messages.
    pub certificate_file: String,
    /// The certificate chain, PEM, the server's own certificate first.
    pub certificate_pem: String,
    /// The private key, PEM (PKCS#8, PKCS#1 or SEC1).
    pub key_pem: Secret,
    /// The CA certificates, PEM, that client certificates are verified against; `None` asks
    /// clients for no certificate. With it a client may still come without one (a password
    /// caller), but one it presents must chain to these.
    pub client_ca_pem: Option<String>,
}

/// `[upstream]`: how each call to Altinn 3 is timed out and retried. Retries only ever repeat
/// requests that are safe to repeat (reads, and writes carrying an idempotency key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpstreamConfig {
    /// Longest one upstream request may take.
    pub timeout: Duration,
    /// The retry policy (attempts, backoff, longest `Retry-After` honoured).
    pub retry: altinn_bridge_runtime::http::RetryPolicy,
}

impl Default for UpstreamConfig {
    /// 30 s per request; the runtime's default retries (3 attempts, `Retry-After` up to 60 s).
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            retry: altinn_bridge_runtime::http::RetryPolicy::default(),
        }
    }
}

/// The Altinn 3 environment: Maskinporten's endpoint and one base URL per API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentConfig {
    /// `test`, `production` or `custom`.
    pub name: String,
    /// Maskinporten's token endpoint.
    pub token_endpoint: String,
    /// Maskinporten's issuer (the assertion's audience).
    pub audience: String,
    /// Altinn's token exchange endpoint, for clients with `altinn_token_exchange = true`.
    pub altinn_exchange: Option<String>,
    /// Base URL per Altinn 3 API name (`altinn-correspondence-v1`).
    pub apis: BTreeMap<String, String>,
}

/// How a Maskinporten client signs its grants.
#[derive(Debug, Clone)]
pub enum ClientKey {
    /// A key registered with a `kid`.
    Kid {
        /// The key id.
        kid: String,
        /// The private key, PEM.
        key_pem: Secret,
    },
    /// An enterprise certificate, sent as `x5c`.
    Certificate {
        /// The certificate chain, PEM.
        certificate_pem: String,
        /// The private key, PEM.
        key_pem: Secret,
    },
}

/// One `[[maskinporten]]` client.
#[derive(Debug, Clone)]
pub struct MaskinportenClient {
    /// The name callers refer to it by.
    pub name: String,
    /// The client id.
    pub client_id: String,
    /// The signing key or certificate.
    pub key: ClientKey,
    /// The scopes asked for.
    pub scopes: Vec<String>,
    /// The customer whose system user the client acts as, if any.
    pub system_user_org: Option<String>,
    /// The `Ocp-Apim-Subscription-Key`, if any.
    pub subscription_key: Option<Secret>,
    /// Whether Maskinporten tokens are exchanged for Altinn tokens.
    pub altinn_token_exchange: bool,
}

/// One `[[callers]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerConfig {
    /// The legacy user name; for a certificate caller, the name it has in logs and faults.
    pub user: String,
    /// How the caller proves who it is.
    pub auth: CallerAuth,
    /// The Maskinporten client's name.
    pub maskinporten: String,
    /// The parties the caller may act for.
    pub parties: Vec<String>,
}

/// How a `[[callers]]` entry authenticates: exactly one of `password_hash` or `certificate_org`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerAuth {
    /// Its user name and password in the message (body, header parts or a WS-Security
    /// `UsernameToken`), checked against this argon2 PHC hash.
    Password {
        /// The argon2 PHC hash of the password.
        hash: String,
    },
    /// A TLS client certificate, verified against `[tls] client_ca_file`, whose subject carries
    /// this organisation number (an enterprise certificate, as Altinn 2's EC endpoints took).
    Certificate {
        /// The nine-digit organisation number.
        org: String,
    },
}

/// Bounds on requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacadeLimits {
    /// Largest request body in bytes.
    pub max_body_bytes: usize,
    /// Deepest XML nesting.
    pub max_depth: usize,
    /// Most XML nodes.
    pub max_nodes: usize,
    /// Most requests handled at once; more are answered 503 at once, not queued.
    pub max_concurrent: usize,
    /// Longest a request may take, upstream calls included.
    pub request_timeout: Duration,
}

impl Default for FacadeLimits {
    /// 5 MiB, 256 levels, 1 million nodes, 512 requests at once, 120 s.
    fn default() -> Self {
        Self {
            max_body_bytes: 5 << 20,
            max_depth: 256,
            max_nodes: 1_000_000,
            max_concurrent: 512,
            request_timeout: Duration::from_secs(120),
        }
    }
}

const TT02: &str = "https://platform.tt02.altinn.no";
const PRODUCTION: &str = "https://platform.altinn.no";

/// The apps' host template in each environment: every app is served from its owner's host, and
/// each App API call fills `{org}` from the owner in its own path.
const APPS_TT02: &str = "https://{org}.apps.tt02.altinn.no";
const APPS_PRODUCTION: &str = "https://{org}.apps.altinn.no";

/// The base URL of each Altinn 3 API in an environment (`host` is TT02's or production's). The
/// correspondence and broker specs carry the full path in each operation; the others do not.
/// The App API (`altinn-app-v1`) gets its owner's host per call from `apps`.
fn default_apis(host: &str, apps: &str) -> BTreeMap<String, String> {
    let app_api = ("altinn-app-v1".to_owned(), apps.to_owned());
    [
        ("altinn-correspondence-v1", String::new()),
        ("altinn-broker-v1", String::new()),
        ("dialogporten-enduser-v1", "/dialogporten".to_owned()),
        (
            "altinn-resource-registry-v1",
            "/resourceregistry/api/v1".to_owned(),
        ),
        ("altinn-events-v1", "/events/api/v1".to_owned()),
        (
            "altinn-notifications-v1",
            "/notifications/api/v1".to_owned(),
        ),
        ("altinn-storage-v1", "/storage/api/v1".to_owned()),
    ]
    .into_iter()
    .map(|(name, path)| (name.to_owned(), format!("{host}{path}")))
    .chain([app_api])
    .collect()
}

// ---- the raw file, with spans ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    listen: Spanned<String>,
    #[serde(default)]
    behind_proxy: bool,
    environment: Spanned<RawEnvironment>,
    #[serde(default)]
    maskinporten: Vec<RawClient>,
    #[serde(default)]
    callers: Vec<RawCaller>,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    upstream: RawUpstream,
    tls: Option<RawTls>,
    #[serde(default)]
    settings: Settings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTls {
    certificate_file: Spanned<String>,
    key_file: Spanned<String>,
    client_ca_file: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawUpstream {
    timeout_seconds: Option<Spanned<u64>>,
    max_attempts: Option<Spanned<u64>>,
    max_retry_after_seconds: Option<Spanned<u64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    name: Spanned<String>,
    token_endpoint: Option<String>,
    audience: Option<String>,
    altinn_exchange: Option<String>,
    #[serde(default)]
    apis: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClient {
    name: Spanned<String>,
    client_id: String,
    kid: Option<Spanned<String>>,
    key_file: Spanned<String>,
    certificate_file: Option<Spanned<String>>,
    #[serde(default)]
    scopes: Vec<String>,
    system_user_org: Option<Spanned<String>>,
    subscription_key_file: Option<Spanned<String>>,
    #[serde(default)]
    altinn_token_exchange: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCaller {
    user: Spanned<String>,
    password_hash: Option<Spanned<String>>,
    certificate_org: Option<Spanned<String>>,
    maskinporten: Spanned<String>,
    #[serde(default)]
    parties: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_body_bytes: Option<usize>,
    max_depth: Option<usize>,
    max_nodes: Option<usize>,
    max_concurrent: Option<Spanned<usize>>,
    request_timeout_seconds: Option<Spanned<u64>>,
}

/// Where errors point: the file's name for messages, its text for line and column, its
/// directory for relative key paths.
struct Source<'a> {
    name: String,
    text: &'a str,
    dir: PathBuf,
}

impl Source<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> Error {
        let at = span.start.min(self.text.len());
        let before = self.text.get(..at).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Error::ConfigFile {
            file: self.name.clone(),
            line,
            column,
            message: message.into(),
        }
    }

    /// Reads a file named relative to the configuration's directory.
    fn read(&self, path: &Spanned<String>) -> Result<String> {
        let full = self.dir.join(path.get_ref());
        std::fs::read_to_string(&full).map_err(|e| {
            self.error(
                path.span(),
                format!("cannot read `{}`: {e}; expected a readable file, relative to the configuration file", path.get_ref()),
            )
        })
    }
}

impl FacadeConfig {
    /// Reads and checks the configuration at `path`; key files are read relative to it.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::ConfigFile {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            message: format!("cannot read the configuration: {e}"),
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::parse(&text, &path.display().to_string(), &dir)
    }

    /// Parses `text`, naming it `name` in errors; key files are read relative to `dir`.
    pub fn parse(text: &str, name: &str, dir: &Path) -> Result<Self> {
        let src = Source {
            name: name.to_owned(),
            text,
            dir: dir.to_path_buf(),
        };
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| src.error(e.span().unwrap_or(0..0), e.message().trim_end().to_owned()))?;
        let listen = raw.listen.get_ref().parse().map_err(|e| {
            src.error(
                raw.listen.span(),
                format!("{e}; expected a socket address such as `127.0.0.1:8080`"),
            )
        })?;
        let environment = environment(&src, &raw.environment)?;
        let maskinporten = raw
            .maskinporten
            .iter()
            .map(|c| client(&src, c))
            .collect::<Result<Vec<_>>>()?;
        unique(
            &src,
            raw.maskinporten.iter().map(|c| &c.name),
            "Maskinporten client is named",
        )?;
        unique(&src, raw.callers.iter().map(|c| &c.user), "caller is named")?;
        let client_ca = raw.tls.as_ref().is_some_and(|t| t.client_ca_file.is_some());
        let callers = raw
            .callers
            .iter()
            .map(|c| caller(&src, c, &maskinporten, client_ca))
            .collect::<Result<Vec<_>>>()?;
        unique_orgs(&src, &raw.callers)?;
        let limits = limits(&src, &raw.limits)?;
        Ok(Self {
            listen,
            behind_proxy: raw.behind_proxy,
            environment,
            maskinporten,
            callers,
            limits,
            upstream: upstream(&src, &raw.upstream, &limits)?,
            tls: raw.tls.as_ref().map(|t| tls(&src, t)).transpose()?,
            settings: raw.settings,
        })
    }
}

fn environment(src: &Source<'_>, raw: &Spanned<RawEnvironment>) -> Result<EnvironmentConfig> {
    let env = raw.get_ref();
    let name = env.name.get_ref().as_str();
    let (audience, token_endpoint, exchange, mut apis) = match name {
        "test" => (
            "https://test.maskinporten.no/",
            "https://test.maskinporten.no/token",
            Some(ALTINN_EXCHANGE_TT02),
            default_apis(TT02, APPS_TT02),
        ),
        "production" => (
            "https://maskinporten.no/",
            "https://maskinporten.no/token",
            Some(ALTINN_EXCHANGE_PRODUCTION),
            default_apis(PRODUCTION, APPS_PRODUCTION),
        ),
        "custom" => ("", "", None, BTreeMap::new()),
        other => {
            return Err(src.error(
                env.name.span(),
                format!("unknown environment `{other}`; expected `test`, `production` or `custom`"),
            ));
        }
    };
    let audience = env.audience.clone().unwrap_or_else(|| audience.to_owned());
    let token_endpoint = env
        .token_endpoint
        .clone()
        .unwrap_or_else(|| token_endpoint.to_owned());
    if audience.is_empty() || token_endpoint.is_empty() {
        return Err(src.error(
            raw.span(),
            "a `custom` environment needs `audience` and `token_endpoint`",
        ));
    }
    apis.extend(env.apis.clone());
    Ok(EnvironmentConfig {
        name: name.to_owned(),
        token_endpoint,
        audience,
        altinn_exchange: env.altinn_exchange.clone().or(exchange.map(str::to_owned)),
        apis,
    })
}

fn client(src: &Source<'_>, raw: &RawClient) -> Result<MaskinportenClient> {
    let key_pem = Secret::new(src.read(&raw.key_file)?);
    let key = match (&raw.kid, &raw.certificate_file) {
        (Some(kid), None) => ClientKey::Kid {
            kid: kid.get_ref().clone(),
            key_pem,
        },
        (None, Some(cert)) => ClientKey::Certificate {
            certificate_pem: src.read(cert)?,
            key_pem,
        },
        _ => {
            return Err(src.error(
                raw.name.span(),
                "expected exactly one of `kid` (a registered key) or `certificate_file` (an enterprise certificate)",
            ));
        }
    };
    if let Some(org) = &raw.system_user_org {
        org_number(src, org)?;
    }
    let subscription_key = raw
        .subscription_key_file
        .as_ref()
        .map(|f| src.read(f).map(|k| Secret::new(k.trim())))
        .transpose()?;
    Ok(MaskinportenClient {
        name: raw.name.get_ref().clone(),
        client_id: raw.client_id.clone(),
        key,
        scopes: raw.scopes.clone(),
        system_user_org: raw.system_user_org.as_ref().map(|o| o.get_ref().clone()),
        subscription_key,
        altinn_token_exchange: raw.altinn_token_exchange,
    })
}

/// Checks that `org` is an organisation number: nine digits.
fn org_number(src: &Source<'_>, org: &Spanned<String>) -> Result<()> {
    let o = org.get_ref();
    if o.len() != 9 || !o.bytes().all(|b| b.is_ascii_digit()) {
        return Err(src.error(
            org.span(),
            format!("`{o}` is not an organisation number; expected nine digits"),
        ));
    }
    Ok(())
}

/// How a caller authenticates. A certificate caller needs `[tls] client_ca_file`: without it no
/// client certificate is asked for, so the entry could never match.
fn caller_auth(src: &Source<'_>, raw: &RawCaller, client_ca: bool) -> Result<CallerAuth> {
    match (&raw.password_hash, &raw.certificate_org) {
        (Some(hash), None) => {
            crate::callers::check_hash(hash.get_ref()).map_err(|e| {
                src.error(
                    hash.span(),
                    format!("{e}; expected an argon2 PHC string (`altinn-bridge hash-password`)"),
                )
            })?;
            Ok(CallerAuth::Password {
                hash: hash.get_ref().clone(),
            })
        }
        (None, Some(org)) => {
            org_number(src, org)?;
            if !client_ca {
                return Err(src.error(
                    org.span(),
                    "a certificate caller needs client certificates; expected `client_ca_file` in `[tls]` (the CAs they must chain to)",
                ));
            }
            Ok(CallerAuth::Certificate {
                org: org.get_ref().clone(),
            })
        }
        _ => Err(src.error(
            raw.user.span(),
            "expected exactly one of `password_hash` (a user name and password) or `certificate_org` (a TLS client certificate for that organisation)",
        )),
    }
}

/// No two callers accept certificates of the same organisation: which one a certificate is
/// would be a guess.
fn unique_orgs(src: &Source<'_>, callers: &[RawCaller]) -> Result<()> {
    unique(
        src,
        callers.iter().filter_map(|c| c.certificate_org.as_ref()),
        "certificate caller accepts the organisation",
    )
}

fn caller(
    src: &Source<'_>,
    raw: &RawCaller,
    clients: &[MaskinportenClient],
    client_ca: bool,
) -> Result<CallerConfig> {
    let auth = caller_auth(src, raw, client_ca)?;
    let client = raw.maskinporten.get_ref();
    if !clients.iter().any(|c| &c.name == client) {
        let known: Vec<&str> = clients.iter().map(|c| c.name.as_str()).collect();
        return Err(src.error(
            raw.maskinporten.span(),
            format!("no `[[maskinporten]]` client is named `{client}`; expected one of {known:?}"),
        ));
    }
    Ok(CallerConfig {
        user: raw.user.get_ref().clone(),
        auth,
        maskinporten: client.clone(),
        parties: raw.parties.clone(),
    })
}

fn unique<'a>(
    src: &Source<'_>,
    names: impl Iterator<Item = &'a Spanned<String>>,
    what: &str,
) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for name in names {
        if !seen.insert(name.get_ref()) {
            return Err(src.error(
                name.span(),
                format!(
                    "a second {what} `{}`; expected each only once",
                    name.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

/// `[tls]`, with both files read and checked here so that a wrong file is reported at its key.
fn tls(src: &Source<'_>, raw: &RawTls) -> Result<TlsConfig> {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certificate_pem = src.read(&raw.certificate_file)?;
    let certs = CertificateDer::pem_slice_iter(certificate_pem.as_bytes())
        .collect::<std::result::Result<Vec<_>, _>>();
    if !certs.is_ok_and(|c| !c.is_empty()) {
        return Err(src.error(
            raw.certificate_file.span(),
            format!(
                "`{}` holds no readable certificate; expected PEM `CERTIFICATE` blocks, the server's own first",
                raw.certificate_file.get_ref()
            ),
        ));
    }
    let key_pem = Secret::new(src.read(&raw.key_file)?);
    if PrivateKeyDer::from_pem_slice(key_pem.expose().as_bytes()).is_err() {
        return Err(src.error(
            raw.key_file.span(),
            format!(
                "`{}` holds no readable private key; expected a PEM `PRIVATE KEY` (PKCS#8, PKCS#1 or SEC1)",
                raw.key_file.get_ref()
            ),
        ));
    }
    let client_ca_pem = raw
        .client_ca_file
        .as_ref()
        .map(|f| client_cas(src, f))
        .transpose()?;
    Ok(TlsConfig {
        certificate_file: raw.certificate_file.get_ref().clone(),
        certificate_pem,
        key_pem,
        client_ca_pem,
    })
}

/// `client_ca_file`: at least one certificate, each one rustls takes as a trust anchor.
fn client_cas(src: &Source<'_>, file: &Spanned<String>) -> Result<String> {
    use tokio_rustls::rustls::RootCertStore;
    use tokio_rustls::rustls::pki_types::CertificateDer;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    let pem = src.read(file)?;
    let bad = |why: String| {
        src.error(
            file.span(),
            format!(
                "`{}` {why}; expected PEM `CERTIFICATE` blocks of the CAs client certificates chain to",
                file.get_ref()
            ),
        )
    };
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| bad(format!("cannot be read ({e})")))?;
    if certs.is_empty() {
        return Err(bad("holds no certificate".to_owned()));
    }
    let mut roots = RootCertStore::empty();
    for cert in certs {
        roots
            .add(cert)
            .map_err(|e| bad(format!("holds a certificate that is no trust anchor ({e})")))?;
    }
    Ok(pem)
}

/// `Some(value)` of a key that must be at least 1; the error points at a 0.
fn positive(src: &Source<'_>, v: &Option<Spanned<u64>>, name: &str) -> Result<Option<u64>> {
    match v {
        Some(s) if *s.get_ref() == 0 => {
            Err(src.error(s.span(), format!("`{name}` is 0; expected at least 1")))
        }
        Some(s) => Ok(Some(*s.get_ref())),
        None => Ok(None),
    }
}

fn limits(src: &Source<'_>, raw: &RawLimits) -> Result<FacadeLimits> {
    let d = FacadeLimits::default();
    let concurrent = raw
        .max_concurrent
        .as_ref()
        .map(|s| Spanned::new(s.span(), *s.get_ref() as u64));
    Ok(FacadeLimits {
        max_body_bytes: raw.max_body_bytes.unwrap_or(d.max_body_bytes),
        max_depth: raw.max_depth.unwrap_or(d.max_depth),
        max_nodes: raw.max_nodes.unwrap_or(d.max_nodes),
        max_concurrent: positive(src, &concurrent, "max_concurrent")?
            .map_or(d.max_concurrent, |v| v as usize),
        request_timeout: positive(src, &raw.request_timeout_seconds, "request_timeout_seconds")?
            .map_or(d.request_timeout, Duration::from_secs),
    })
}

/// `[upstream]`. An upstream timeout as long as the whole request's would end every slow call
/// with the facade's own timeout instead of the manifest's `timeout` fault, so it must be
/// shorter; left out, it is 30 s or half the request's, whichever is less.
fn upstream(src: &Source<'_>, raw: &RawUpstream, limits: &FacadeLimits) -> Result<UpstreamConfig> {
    let d = UpstreamConfig::default();
    let timeout = positive(src, &raw.timeout_seconds, "timeout_seconds")?.map_or(
        d.timeout.min(limits.request_timeout / 2),
        Duration::from_secs,
    );
    if timeout >= limits.request_timeout {
        let at = raw.timeout_seconds.as_ref().map_or(0..0, Spanned::span);
        return Err(src.error(
            at,
            format!(
                "`timeout_seconds` ({}) is not shorter than `limits.request_timeout_seconds` ({}); \
                 expected an upstream timeout below the request's",
                timeout.as_secs(),
                limits.request_timeout.as_secs()
            ),
        ));
    }
    let attempts = positive(src, &raw.max_attempts, "max_attempts")?;
    let retry = altinn_bridge_runtime::http::RetryPolicy {
        max_attempts: attempts.map_or(d.retry.max_attempts, |n| n.min(u64::from(u32::MAX)) as u32),
        max_retry_after: raw
            .max_retry_after_seconds
            .as_ref()
            .map_or(d.retry.max_retry_after, |s| {
                Duration::from_secs(*s.get_ref())
            }),
        ..d.retry
    };
    Ok(UpstreamConfig { timeout, retry })
}
