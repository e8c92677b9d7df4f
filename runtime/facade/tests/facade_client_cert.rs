//! Callers authenticated by their TLS client certificate (`[tls] client_ca_file` and
//! `[[callers]] certificate_org`), over real TLS: openssl makes a CA and enterprise certificates
//! whose subjects carry the organisation number as Norwegian ones do; the facade serves HTTPS;
//! reqwest (rustls, with an `Identity`) and curl (`--cert`) present them.
//!
//! What the tests observe is the identity upstream: the service calls a local Altinn 3 through
//! the authenticated caller's `Upstream`, whose token provider asks a local Maskinporten for a
//! system-user token. The token endpoint answers a token naming the client id and the customer
//! organisation of the grant it was sent, and Altinn 3 echoes the bearer it got; so a caller
//! chosen by the certificate is seen where it matters, not inferred from a 200.

mod facade_support;
mod tls_support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use altinn_bridge_facade::{
    CallFuture, Credentials, Error, Facade, FacadeConfig, Operation, Request, SoapService,
    hash_password, init_logs,
};
use altinn_bridge_runtime::adapter::plan::SYSTEM_USER_ORG;
use altinn_bridge_runtime::http::Request as Call;
use altinn_bridge_runtime::soap::{Envelope, Fault, FaultCode};
use axum::Router;
use axum::extract::Form;
use axum::http::HeaderMap;
use base64::Engine;
use facade_support::{S11, envelope, http, scratch};

const NS: &str = "urn:whoami";
const PATH: &str = "/ServiceEngineExternal/Whoami.svc";
const ACTION: &str = "urn:whoami/IWhoami/Whoami";

/// The organisation the certificate caller's enterprise certificate names.
const CERT_ORG: &str = "910075918";
/// The organisation the password caller's system user acts for.
const PASSWORD_ORG: &str = "991825827";
/// A password caller, as before certificates.
const USER: &str = "erp";
const PASSWORD: &str = "s3cret-Pa55";
/// The certificate caller's name in logs.
const CERT_CALLER: &str = "accounting";

static OPS: [Operation; 1] = [Operation {
    name: "Whoami",
    soap_action: ACTION,
    wsa_action: "",
    input: (NS, "Whoami"),
    header_parts: &[],
    credentials: Credentials::Body {
        user: &[(NS, "user")],
        password: &[(NS, "password")],
    },
    parties: &[],
    no_successor: None,
    streamed: None,
}];

static DOCS: [(&str, &str); 1] = [("Whoami.wsdl", "<definitions/>")];

/// Asks Altinn 3 who it is, as the authenticated caller, and answers the caller's name and the
/// bearer Altinn 3 saw.
struct Whoami;

impl SoapService for Whoami {
    fn name(&self) -> &'static str {
        "Whoami"
    }
    fn path(&self) -> &'static str {
        PATH
    }
    fn documents(&self) -> &'static [(&'static str, &'static str)] {
        &DOCS
    }
    fn apis(&self) -> &'static [&'static str] {
        &["altinn-correspondence-v1"]
    }
    fn operations(&self) -> &'static [Operation] {
        &OPS
    }
    fn call<'a>(&'a self, _: &'static Operation, req: Request) -> CallFuture<'a> {
        Box::pin(async move {
            let caller = &req.caller;
            let org = caller
                .settings
                .value(SYSTEM_USER_ORG)
                .map_err(|e| Fault::from(&e))?;
            let seen: serde_json::Value = caller
                .upstream
                .api("altinn-correspondence-v1")
                .map_err(|e| Fault::from(&e))?
                .send_json(Call::get("/whoami").system_user(org))
                .await
                .map_err(|e| Fault::from(&e))?;
            let bearer = seen["authorization"].as_str().unwrap_or_default();
            Ok(format!(
                "<WhoamiResponse xmlns=\"{NS}\"><caller>{}</caller><upstream>{bearer}</upstream></WhoamiResponse>",
                caller.name
            ))
        })
    }
}

/// A local Maskinporten and Altinn 3. `/token` answers a token `<client id>/<customer org>`
/// read from the grant's assertion (`-` without `authorization_details`); `/whoami` answers the
/// `Authorization` it got and records it.
async fn altinn3() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let app = Router::new()
        .route(
            "/token",
            axum::routing::post(|Form(form): Form<HashMap<String, String>>| async move {
                let claims = form
                    .get("assertion")
                    .and_then(|jwt| jwt.split('.').nth(1))
                    .and_then(|p| {
                        base64::engine::general_purpose::URL_SAFE_NO_PAD
                            .decode(p)
                            .ok()
                    })
                    .and_then(|p| serde_json::from_slice::<serde_json::Value>(&p).ok())
                    .unwrap_or_default();
                let client = claims["iss"].as_str().unwrap_or("?");
                let org = claims["authorization_details"][0]["systemuser_org"]["ID"]
                    .as_str()
                    .unwrap_or("-");
                axum::Json(serde_json::json!({
                    "access_token": format!("{client}/{org}"),
                    "token_type": "Bearer",
                    "expires_in": 3600,
                }))
            }),
        )
        .route(
            "/whoami",
            axum::routing::get(move |headers: HeaderMap| {
                let bearer = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                record.lock().expect("lock").push(bearer.clone());
                async move { axum::Json(serde_json::json!({ "authorization": bearer })) }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

/// Every file the tests need, made once per process: the facade's server certificate, the
/// enterprise CA and a second CA the facade does not trust, client certificates, and an RSA key
/// the Maskinporten clients sign their grants with.
struct Pki {
    dir: PathBuf,
    server: (PathBuf, PathBuf),
    ca: PathBuf,
}

impl Pki {
    fn get() -> &'static Pki {
        static PKI: OnceLock<Pki> = OnceLock::new();
        PKI.get_or_init(|| {
            let dir = scratch();
            let server = tls_support::self_signed(&dir);
            let (ca, ca_key) = tls_support::client_ca(&dir, "enterprise");
            let (other, other_key) = tls_support::client_ca(&dir, "other");
            let sign = |name: &str, subject: &str, by: (&Path, &Path)| {
                tls_support::client_certificate(&dir, name, subject, by);
            };
            let trusted = (ca.as_path(), ca_key.as_path());
            sign(
                "ntrno",
                &format!("/C=NO/O=REGNSKAP AS/serialNumber=NTRNO-{CERT_ORG}/CN=REGNSKAP AS"),
                trusted,
            );
            sign(
                "bare",
                &format!("/C=NO/O=REGNSKAP AS/serialNumber={CERT_ORG}/CN=REGNSKAP AS"),
                trusted,
            );
            sign(
                "org-identifier",
                &format!("/C=NO/O=REGNSKAP AS/organizationIdentifier=NTRNO-{CERT_ORG}/CN=REGNSKAP AS"),
                trusted,
            );
            sign(
                "unknown-org",
                "/C=NO/O=ANNET AS/serialNumber=NTRNO-312345678/CN=ANNET AS",
                trusted,
            );
            sign("no-org", "/C=NO/O=NOEN AS/CN=NOEN AS", trusted);
            sign(
                "conflicting",
                &format!(
                    "/C=NO/O=REGNSKAP AS/serialNumber=NTRNO-{CERT_ORG}/organizationIdentifier=NTRNO-312345678/CN=REGNSKAP AS"
                ),
                trusted,
            );
            sign(
                "untrusted",
                &format!("/C=NO/O=REGNSKAP AS/serialNumber=NTRNO-{CERT_ORG}/CN=REGNSKAP AS"),
                (other.as_path(), other_key.as_path()),
            );
            let out = std::process::Command::new("openssl")
                .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
                .output()
                .expect("openssl is installed");
            assert!(out.status.success(), "openssl genpkey failed");
            std::fs::write(dir.join("key.pem"), out.stdout).expect("the RSA key");
            Pki { dir, server, ca }
        })
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A client certificate and its key as one PEM, as reqwest's `Identity` takes it.
    fn identity(&self, name: &str) -> reqwest::Identity {
        let mut pem = std::fs::read(self.file(&format!("{name}.pem"))).expect("certificate");
        pem.extend(std::fs::read(self.file(&format!("{name}-key.pem"))).expect("key"));
        reqwest::Identity::from_pem(&pem).expect("an identity")
    }
}

/// `facade.toml`: one password caller and one certificate caller, each with its own
/// Maskinporten client acting for its own organisation's system user.
fn config(upstream: &str, client_ca: bool) -> String {
    let pki = Pki::get();
    let ca = if client_ca {
        format!("client_ca_file = \"{}\"\n", pki.ca.display())
    } else {
        String::new()
    };
    format!(
        r#"listen = "127.0.0.1:0"
[tls]
certificate_file = "{cert}"
key_file = "{key}"
{ca}
[environment]
name = "custom"
audience = "{upstream}/"
token_endpoint = "{upstream}/token"
[environment.apis]
altinn-correspondence-v1 = "{upstream}"

[[maskinporten]]
name = "erp-client"
client_id = "erp-client"
kid = "erp-kid"
key_file = "key.pem"
system_user_org = "{PASSWORD_ORG}"

[[maskinporten]]
name = "accounting-client"
client_id = "accounting-client"
kid = "accounting-kid"
key_file = "key.pem"
system_user_org = "{CERT_ORG}"

[[callers]]
user = "{USER}"
password_hash = "{hash}"
maskinporten = "erp-client"
parties = ["*"]

[[callers]]
user = "{CERT_CALLER}"
certificate_org = "{CERT_ORG}"
maskinporten = "accounting-client"
parties = ["{CERT_ORG}"]
"#,
        cert = pki.server.0.display(),
        key = pki.server.1.display(),
        hash = hash_password(PASSWORD),
    )
}

/// The facade with client certificates asked for, in front of a fresh local Altinn 3: its
/// port and what Altinn 3 saw.
async fn start() -> (u16, Arc<Mutex<Vec<String>>>) {
    logs();
    let (upstream, seen) = altinn3().await;
    let config = FacadeConfig::parse(&config(&upstream, true), "facade.toml", &Pki::get().dir)
        .expect("config");
    let facade = Facade::bind(&config, vec![Arc::new(Whoami) as Arc<dyn SoapService>])
        .await
        .expect("bind");
    let port = facade.local_addr().expect("addr").port();
    tokio::spawn(facade.run(std::future::pending()));
    (port, seen)
}

/// The facade's JSON log lines, as `altinn-bridge serve` writes them, into one buffer for the
/// whole test binary (a process has one subscriber).
fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static OUT: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    static GUARD: OnceLock<Option<altinn_bridge_facade::LogGuard>> = OnceLock::new();
    let out = OUT.get_or_init(Arc::default);
    GUARD.get_or_init(|| init_logs(Writer(Arc::clone(out))));
    out
}

struct Writer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Waits (the log buffer is written out at least every 200 ms) for a log line holding every
/// one of `parts`.
async fn log_line(parts: &[&str]) -> String {
    for _ in 0..40 {
        let text = String::from_utf8_lossy(&logs().lock().expect("lock")).into_owned();
        if let Some(line) = text.lines().find(|l| parts.iter().all(|p| l.contains(p))) {
            return line.to_owned();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no log line with {parts:?}");
}

/// A rustls client trusting the facade's certificate, presenting `identity`.
fn client(identity: Option<reqwest::Identity>) -> reqwest::Client {
    let ca = std::fs::read(&Pki::get().server.0).expect("server certificate");
    let mut b = reqwest::Client::builder()
        .no_proxy()
        .https_only(true)
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("a certificate"));
    if let Some(id) = identity {
        b = b.identity(id);
    }
    b.build().expect("client")
}

/// A Whoami envelope; credentials in the body when `credentials` is given.
fn whoami(credentials: Option<(&str, &str)>) -> String {
    let creds = credentials.map_or_else(String::new, |(u, p)| {
        format!("<w:user>{u}</w:user><w:password>{p}</w:password>")
    });
    envelope(
        S11,
        "",
        &format!(r#"<w:Whoami xmlns:w="{NS}">{creds}</w:Whoami>"#),
    )
}

fn url(port: u16) -> String {
    format!("https://localhost:{port}{PATH}")
}

/// Posts `body`; answers the status and the text.
async fn post(client: &reqwest::Client, port: u16, body: String) -> (u16, String) {
    let res = client
        .post(url(port))
        .header("content-type", "text/xml; charset=utf-8")
        .header("SOAPAction", format!("\"{ACTION}\""))
        .body(body)
        .send()
        .await
        .expect("an HTTPS answer");
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

/// `(caller, upstream bearer)` of a Whoami answer.
fn answered(text: &str) -> (String, String) {
    let envelope = Envelope::parse(text.as_bytes()).expect("an envelope");
    let body = altinn_bridge_runtime::xml::parse(&envelope.body.xml).expect("the body element");
    let field = |local: &str| {
        body.children_named(NS, local)
            .next()
            .map(|e| e.text())
            .unwrap_or_default()
    };
    (field("caller"), field("upstream"))
}

fn fault(text: &str) -> (FaultCode, String) {
    let fault = Envelope::parse(text.as_bytes())
        .expect("an envelope")
        .fault()
        .expect("a fault")
        .expect("readable");
    (fault.code, fault.reason)
}

/// The bearer Altinn 3 sees for a Maskinporten client acting for `org`'s system user.
fn bearer(client: &str, org: &str) -> String {
    format!("Bearer {client}/0192:{org}")
}

#[tokio::test]
async fn a_client_certificate_is_the_caller_its_organisation_names_up_to_altinn_3() {
    let (port, seen) = start().await;
    // serialNumber=NTRNO-<org> (ETSI EN 319 412-1), a bare serialNumber, and
    // organizationIdentifier: each is the certificate caller. No password is sent.
    for name in ["ntrno", "bare", "org-identifier"] {
        let (status, text) =
            post(&client(Some(Pki::get().identity(name))), port, whoami(None)).await;
        assert_eq!(status, 200, "{name}: {text}");
        let (caller, upstream) = answered(&text);
        assert_eq!(caller, CERT_CALLER, "{name}");
        assert_eq!(upstream, bearer("accounting-client", CERT_ORG), "{name}");
    }
    assert_eq!(
        *seen.lock().expect("lock"),
        vec![bearer("accounting-client", CERT_ORG); 3]
    );
    let line = log_line(&["\"done\"", &format!("\"caller\":\"{CERT_CALLER}\"")]).await;
    assert!(line.contains("\"op\":\"Whoami\""), "{line}");
}

#[tokio::test]
async fn curl_presenting_the_certificate_is_the_certificate_caller() {
    let (port, seen) = start().await;
    let pki = Pki::get();
    let out = tokio::process::Command::new("curl")
        .args(["--silent", "--show-error", "--noproxy", "*"])
        .arg("--cacert")
        .arg(&pki.server.0)
        .arg("--cert")
        .arg(pki.file("ntrno.pem"))
        .arg("--key")
        .arg(pki.file("ntrno-key.pem"))
        .args(["-H", "content-type: text/xml; charset=utf-8"])
        .args(["-H", &format!("SOAPAction: \"{ACTION}\"")])
        .args(["--data-binary", &whoami(None)])
        .arg(url(port))
        .output()
        .await
        .expect("curl is installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "curl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (caller, upstream) = answered(&text);
    assert_eq!(caller, CERT_CALLER);
    assert_eq!(upstream, bearer("accounting-client", CERT_ORG));
    assert_eq!(
        *seen.lock().expect("lock"),
        vec![bearer("accounting-client", CERT_ORG)]
    );
}

#[tokio::test]
async fn without_a_certificate_the_password_callers_still_authenticate() {
    let (port, seen) = start().await;
    let plain = client(None);
    let (status, text) = post(&plain, port, whoami(Some((USER, PASSWORD)))).await;
    assert_eq!(status, 200, "{text}");
    let (caller, upstream) = answered(&text);
    assert_eq!(caller, USER);
    assert_eq!(upstream, bearer("erp-client", PASSWORD_ORG));

    // Without a certificate nothing else authenticates: no credentials, a wrong password, or
    // the certificate caller's name (it has no password).
    for creds in [
        None,
        Some((USER, "wrong")),
        Some((CERT_CALLER, PASSWORD)),
        Some((CERT_CALLER, "")),
    ] {
        let (status, text) = post(&plain, port, whoami(creds)).await;
        assert_eq!(status, 500, "{creds:?}: {text}");
        let (code, reason) = fault(&text);
        assert_eq!(code, FaultCode::Sender, "{reason}");
        assert_eq!(reason, "authentication failed", "{creds:?}");
    }
    assert_eq!(
        *seen.lock().expect("lock"),
        vec![bearer("erp-client", PASSWORD_ORG)]
    );
}

#[tokio::test]
async fn a_certificate_naming_no_configured_organisation_is_refused() {
    let (port, seen) = start().await;
    // Chained to the trusted CA, but for another organisation, for none, or for two: refused,
    // even with the password caller's right password in the message.
    for (name, logged) in [
        (
            "unknown-org",
            "no caller accepts the client certificate's organisation",
        ),
        (
            "no-org",
            "the client certificate names no organisation number",
        ),
        (
            "conflicting",
            "the client certificate names no organisation number",
        ),
    ] {
        let c = client(Some(Pki::get().identity(name)));
        for creds in [None, Some((USER, PASSWORD))] {
            let (status, text) = post(&c, port, whoami(creds)).await;
            assert_eq!(status, 500, "{name}: {text}");
            assert_eq!(fault(&text).1, "authentication failed", "{name}");
        }
        let line = log_line(&[logged, "\"op\":\"Whoami\""]).await;
        assert!(line.contains("authentication failed"), "{line}");
    }
    let line = log_line(&["\"org\":\"312345678\""]).await;
    assert!(line.contains("ANNET AS"), "the subject is named: {line}");
    assert!(seen.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn a_certificate_not_chained_to_the_client_ca_fails_the_handshake() {
    let (port, seen) = start().await;
    let c = client(Some(Pki::get().identity("untrusted")));
    let err = c
        .post(url(port))
        .header("SOAPAction", format!("\"{ACTION}\""))
        .body(whoami(Some((USER, PASSWORD))))
        .send()
        .await
        .expect_err("the handshake is refused");
    assert!(!err.is_status(), "{err}");
    let line = log_line(&["TLS handshake failed", "UnknownIssuer"]).await;
    assert!(line.contains("invalid peer certificate"), "{line}");
    assert!(seen.lock().expect("lock").is_empty());
}

/// The configuration: where a certificate caller is refused, and why.
#[test]
fn certificate_callers_are_checked_where_they_are_configured() {
    let pki = Pki::get();
    let base = config("http://127.0.0.1:9", true);
    let cases: Vec<(String, &str)> = vec![
        (
            config("http://127.0.0.1:9", false),
            "expected `client_ca_file` in `[tls]`",
        ),
        (
            base.replace(
                &format!("certificate_org = \"{CERT_ORG}\""),
                "certificate_org = \"NTRNO-910075918\"",
            ),
            "is not an organisation number; expected nine digits",
        ),
        (
            base.replace(
                &format!("certificate_org = \"{CERT_ORG}\""),
                &format!(
                    "certificate_org = \"{CERT_ORG}\"\npassword_hash = \"{}\"",
                    hash_password("x")
                ),
            ),
            "expected exactly one of `password_hash`",
        ),
        (
            base.replace(&format!("certificate_org = \"{CERT_ORG}\"\n"), ""),
            "expected exactly one of `password_hash`",
        ),
        (
            format!(
                "{base}\n[[callers]]\nuser = \"twin\"\ncertificate_org = \"{CERT_ORG}\"\nmaskinporten = \"erp-client\"\n"
            ),
            "a second certificate caller accepts the organisation `910075918`",
        ),
        (
            base.replace(
                &format!("client_ca_file = \"{}\"", pki.ca.display()),
                &format!("client_ca_file = \"{}\"", pki.file("key.pem").display()),
            ),
            "holds no certificate; expected PEM `CERTIFICATE` blocks of the CAs",
        ),
    ];
    for (text, expected) in cases {
        match FacadeConfig::parse(&text, "facade.toml", &pki.dir) {
            Err(Error::ConfigFile { message, line, .. }) => {
                assert!(message.contains(expected), "{message}");
                assert!(line > 1, "{message} points at its key");
            }
            other => panic!("expected a config error with {expected:?}, got {other:?}"),
        }
    }
}

/// A plain-HTTP facade never sees a certificate: `SocketAddr` is all it knows of a peer, and
/// the password path is the only one.
#[tokio::test]
async fn over_plain_http_the_password_path_is_unchanged() {
    let (upstream, seen) = altinn3().await;
    let text = config(&upstream, true);
    // The same callers without `[tls]`: the certificate caller cannot be configured then.
    let start = text.find("[tls]").expect("tls");
    let end = text.find("[environment]").expect("env");
    let plain = format!("{}{}", &text[..start], &text[end..]);
    let err = FacadeConfig::parse(&plain, "facade.toml", &Pki::get().dir).expect_err("refused");
    assert!(err.to_string().contains("client_ca_file"), "{err}");
    let only_password = plain.replace(
        &format!(
            "[[callers]]\nuser = \"{CERT_CALLER}\"\ncertificate_org = \"{CERT_ORG}\"\nmaskinporten = \"accounting-client\"\nparties = [\"{CERT_ORG}\"]\n"
        ),
        "",
    );
    let config =
        FacadeConfig::parse(&only_password, "facade.toml", &Pki::get().dir).expect("config");
    let facade = Facade::bind(&config, vec![Arc::new(Whoami) as Arc<dyn SoapService>])
        .await
        .expect("bind");
    let addr: SocketAddr = facade.local_addr().expect("addr");
    tokio::spawn(facade.run(std::future::pending()));
    let res = http()
        .post(format!("http://{addr}{PATH}"))
        .header("content-type", "text/xml; charset=utf-8")
        .header("SOAPAction", format!("\"{ACTION}\""))
        .body(whoami(Some((USER, PASSWORD))))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    let (caller, upstream) = answered(&res.text().await.expect("text"));
    assert_eq!(caller, USER);
    assert_eq!(upstream, bearer("erp-client", PASSWORD_ORG));
    assert_eq!(seen.lock().expect("lock").len(), 1);
}
