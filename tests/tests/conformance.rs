//! Value-level conformance of every mapped operation of every manifest, through the typed
//! `Client` and through the facade (see `altinn_bridge_tests::conformance`).
//!
//! The manifests are resolved against the contracts they name (the shipped `wsdl/` and
//! `openapi/`, which the committed adapters were generated from), so this runs on a fresh clone
//! with no peer installed: the recording Altinn 3, the token endpoint and the facade are all
//! in-process on loopback. A failure names the manifest line of the link that did not hold.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::link::{Mapping, OpLink, Overrides, Source, Target};
use altinn_bridge::model::{SoapOperation, SoapVersion as ModelVersion};
use altinn_bridge_examples::generated;
use altinn_bridge_runtime::Secret;
use altinn_bridge_runtime::adapter::{Settings, Upstream};
use altinn_bridge_runtime::auth::{Environment, MaskinportenConfig, SigningKey, TokenProvider};
use altinn_bridge_runtime::facade::{
    Credentials, Facade, FacadeConfig, Operation, SoapService, hash_password,
};
use altinn_bridge_runtime::http::{Client, RetryPolicy};
use altinn_bridge_runtime::soap::Fault;
use altinn_bridge_runtime::xml::{self, Element};
use altinn_bridge_tests::conformance::check::{Cx, Observed};
use altinn_bridge_tests::conformance::recorder::{Recorder, api_stem};
use altinn_bridge_tests::conformance::request::{self, Hints, Request};
use altinn_bridge_tests::conformance::values::{Values, instant};
use altinn_bridge_tests::conformance::{
    self as conf, PASSWORD, REFUSED_SEVERAL, SYSTEM_USER_ORG, USER,
};

type Answer = Pin<Box<dyn Future<Output = Result<Option<Element>, Fault>> + Send>>;

/// A generated module: its APIs, its typed entry point and its facade service.
struct Adapter {
    apis: &'static [&'static str],
    operations: &'static [Operation],
    scopes: &'static [&'static str],
    typed: fn(Upstream, Settings, String, Element, Vec<Element>) -> Answer,
    service: fn() -> Arc<dyn SoapService>,
}

macro_rules! conformance {
    ($($module:ident => $manifest:literal),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $module() {
            let adapter = Adapter {
                apis: generated::$module::APIS,
                operations: generated::$module::facade::OPERATIONS,
                scopes: generated::$module::SCOPES,
                typed: |upstream, settings, _op, body, headers| {
                    Box::pin(async move {
                        use generated::$module::{Client, soap::Message};
                        let invalid = |e: altinn_bridge_runtime::xml::XmlError| {
                            Fault::new(altinn_bridge_runtime::soap::FaultCode::Sender, e.to_string())
                        };
                        let body = Message::read(&body).map_err(invalid)?;
                        let headers = headers
                            .iter()
                            .map(Message::read)
                            .collect::<Result<Vec<_>, _>>()
                            .map_err(invalid)?;
                        let client = Client::new(upstream, settings);
                        let answer = client.call_message(body, headers).await?;
                        Ok(answer.map(|m| xml::parse(&m.to_xml().expect("a generated message writes")).expect("a generated message is XML")))
                    })
                },
                service: || Arc::new(generated::$module::facade::Service),
            };
            run($manifest, &adapter).await;
        }
    )*};
}

conformance!(
    broker_service_external_basic => "broker-service-external-basic.toml",
    broker_service_external_basic_streamed => "broker-service-external-basic-streamed.toml",
    correspondence_agency_external => "correspondence-agency-external.toml",
    correspondence_agency_external_basic => "correspondence-agency-external-basic.toml",
    correspondence_external_ec2 => "correspondence-external-ec2.toml",
    download_queue_external_basic => "download-queue-external-basic.toml",
    intermediary_inbound_external_ec2 => "intermediary-inbound-external-ec2.toml",
    notification_agency_external_basic => "notification-agency-external-basic.toml",
    online_batch_receiver => "online-batch-receiver.toml",
    pre_fill_basic => "pre-fill-basic.toml",
    receipt_agency_external_basic => "receipt-agency-external-basic.toml",
    receipt_external_basic => "receipt-external-basic.toml",
    register_srr_agency_external_basic => "register-srr-agency-external-basic.toml",
    service_owner_archive_external_basic => "service-owner-archive-external-basic.toml",
    subscription_basic => "subscription-basic.toml",
);

/// Every manifest in `mappings/` has a test above: a new manifest without one fails here.
#[test]
fn every_manifest_is_covered() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mappings");
    let src = include_str!("conformance.rs");
    for e in std::fs::read_dir(dir).expect("mappings/") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            assert!(
                src.contains(&format!("\"{name}\"")),
                "add `{name}` to conformance!"
            );
        }
    }
}

#[test]
fn the_harness_reads_local_times_as_norwegian() {
    assert_eq!(
        instant("2024-01-10T12:00:00"),
        instant("2024-01-10T11:00:00Z")
    );
    assert_eq!(
        instant("2024-07-10T12:00:00"),
        instant("2024-07-10T10:00:00Z")
    );
    assert_eq!(
        instant("2024-07-10T12:00:00+00:00"),
        instant("2024-07-10T12:00:00Z")
    );
    assert_eq!(instant("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(instant("not a date"), None);
}

async fn run(manifest: &str, adapter: &Adapter) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../mappings")
        .join(manifest);
    let mut sources = SourceMap::new();
    let (mut mappings, _) =
        altinn_bridge::load_mappings(&mut sources, &[path], &Overrides::default())
            .unwrap_or_else(|d| panic!("{manifest}: {d:?}"));
    let m = mappings.remove(0);
    let work = std::env::temp_dir().join(format!(
        "altinn-bridge-conformance-{}-{manifest}",
        std::process::id()
    ));
    let (private, public) = conf::key_pair(&work);
    let audience = "http://127.0.0.1/maskinporten/".to_owned();
    let recorder = Recorder::start(&m, public, audience.clone()).await;
    let mut values = Values::default();
    let base_settings = conf::settings(&m, &mut values);
    let facade = start_facade(
        &m,
        adapter,
        &recorder,
        &work,
        &private,
        &audience,
        &base_settings,
    )
    .await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in &m.resolved.operations {
        let soap_op = m
            .soap
            .operations
            .iter()
            .find(|o| o.id == op.soap_op)
            .expect("resolved op");
        if let Some(reason) = &op.no_successor {
            no_successor(
                op,
                soap_op,
                reason,
                adapter,
                &facade,
                &m,
                &recorder,
                &base_settings,
                &mut failures,
            )
            .await;
            continue;
        }
        for via in ["Client", "facade"] {
            let mut hints = Hints::of(op);
            let wsse = via == "facade" && credentials(adapter, op, &mut hints);
            let mut repeat = 2;
            let (req, settings, answer, exchanges, grants) = loop {
                let req = request::build(&m, soap_op, &hints, &mut values, repeat);
                let settings = conf::settings_for(&base_settings, op, &req, &mut values);
                recorder.take();
                let answer = match via {
                    "Client" => {
                        let upstream = upstream(adapter, &recorder, &private, &audience);
                        (adapter.typed)(
                            upstream,
                            settings.clone(),
                            op.name.clone(),
                            req.body.clone(),
                            req.headers.clone(),
                        )
                        .await
                        .map_err(|f| f.reason.clone())
                    }
                    _ => facade.call(soap_op, &req, wsse).await,
                };
                let (exchanges, grants) = recorder.take();
                // Several different values where Altinn 3 holds one are refused, as the
                // manifests document, never cut: check the refusal names a field that had
                // several, then check everything else with one item per list.
                if repeat > 1
                    && let Err(e) = &answer
                    && e.contains(REFUSED_SEVERAL)
                {
                    if !refusal_is_true(e, &req, op) {
                        failures.push(format!("{} [{} via {via}]: refused for several values, but the field it names had one: {e}", m.resolved.manifest, op.name));
                    }
                    repeat = 1;
                    continue;
                }
                break (req, settings, answer, exchanges, grants);
            };
            let answer = match answer {
                Ok(a) => a,
                Err(e) => {
                    failures.push(format!(
                        "{} [{} via {via}]: the operation failed: {e}; requests: {:?}",
                        m.resolved.manifest,
                        op.name,
                        exchanges
                            .iter()
                            .map(|x| format!("{} {}", x.api, x.path))
                            .collect::<Vec<_>>()
                    ));
                    continue;
                }
            };
            let cx = Cx {
                mapping: &m,
                sources: &sources,
                settings: if via == "facade" {
                    &base_settings
                } else {
                    &settings
                },
                via,
            };
            let seen = Observed {
                request: &req,
                exchanges: &exchanges,
                grants: &grants,
                answer: answer.as_ref(),
            };
            cx.check(op, &seen, &mut failures);
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    eprintln!("{manifest}: {checked} operation runs checked value by value");
    assert!(
        failures.is_empty(),
        "{manifest}: {} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The typed client's upstream: one HTTP client per API at the recorder, with a Maskinporten
/// token provider for the generated module's scopes.
fn upstream(adapter: &Adapter, recorder: &Recorder, private: &str, audience: &str) -> Upstream {
    let config = MaskinportenConfig::new(
        Environment::custom(audience, recorder.token_url()),
        "conformance-client",
        adapter.scopes.iter().map(|s| (*s).to_owned()).collect(),
        SigningKey::Kid {
            kid: "conformance-kid".to_owned(),
            key_pem: Secret::new(private.to_owned()),
        },
    );
    let tokens = TokenProvider::new(config).expect("token provider");
    let mut up = Upstream::new();
    for api in adapter.apis {
        let client = Client::new(recorder.api_url(api))
            .expect("a URL")
            .with_tokens(tokens.clone())
            .with_retry(RetryPolicy::none());
        up = up.with_api(*api, client);
    }
    up
}

/// Where the facade looks for the caller's credentials in `op`, filled with the caller's;
/// `true` when the operation carries none and a WS-Security UsernameToken is sent instead.
fn credentials(adapter: &Adapter, op: &OpLink, hints: &mut Hints) -> bool {
    let Some(o) = adapter.operations.iter().find(|o| o.name == op.name) else {
        return true;
    };
    let below = |steps: &[(&str, &str)]| {
        let mut p = o.input.1.to_owned();
        for (_, local) in steps {
            p.push('/');
            p.push_str(local);
        }
        p
    };
    match &o.credentials {
        Credentials::None => true,
        Credentials::Body { user, password } => {
            hints.fix(&below(user), USER);
            hints.fix(&below(password), PASSWORD);
            false
        }
        Credentials::Header { user, password } => {
            hints.fix(user.1, USER);
            hints.fix(password.1, PASSWORD);
            false
        }
    }
}

/// Whether a refusal for several values names a request field that had several different
/// ones, or an answer field filled from a call the request made repeat.
fn refusal_is_true(message: &str, req: &Request, op: &OpLink) -> bool {
    let input = req.leaves.iter().any(|(path, made)| {
        let distinct: std::collections::BTreeSet<&str> =
            made.iter().map(|m| m.text.as_str()).collect();
        distinct.len() > 1 && message.contains(&format!("`{path}`"))
    });
    let output = op.outputs.iter().any(|l| match (&l.from, &l.to) {
        (Source::Response { call, .. }, Target::Soap { path }) => {
            message.contains(&format!("`{}`", path.text))
                && op
                    .calls
                    .iter()
                    .any(|c| &c.name == call && c.for_each.is_some())
        }
        _ => false,
    });
    input || output
}

/// The facade for this manifest's module, its APIs at the recorder.
struct FacadeUnderTest {
    url: String,
    path: &'static str,
    http: reqwest::Client,
}

async fn start_facade(
    m: &Mapping,
    adapter: &Adapter,
    recorder: &Recorder,
    work: &Path,
    private: &str,
    audience: &str,
    settings: &Settings,
) -> FacadeUnderTest {
    std::fs::write(work.join("facade-key.pem"), private).expect("key file");
    let apis: String = adapter
        .apis
        .iter()
        .map(|a| format!("\"{a}\" = \"{}\"\n", recorder.api_url(a)))
        .collect();
    let scopes: Vec<String> = adapter.scopes.iter().map(|s| format!("\"{s}\"")).collect();
    let values: String = settings
        .values
        .iter()
        .filter(|(k, _)| *k != "system_user_org")
        .map(|(k, v)| format!("\"{k}\" = \"{v}\"\n"))
        .collect();
    let tables: String = settings
        .tables
        .iter()
        .map(|(t, entries)| {
            let e: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("\"{k}\" = \"{v}\""))
                .collect();
            format!("\"{t}\" = {{ {} }}\n", e.join(", "))
        })
        .collect();
    let text = format!(
        r#"listen = "127.0.0.1:0"
[environment]
name = "custom"
audience = "{audience}"
token_endpoint = "{token}"
[environment.apis]
{apis}
[[maskinporten]]
name = "main"
client_id = "conformance-client"
kid = "conformance-kid"
key_file = "facade-key.pem"
scopes = [{scopes}]
system_user_org = "{SYSTEM_USER_ORG}"
[[callers]]
user = "{USER}"
password_hash = "{hash}"
maskinporten = "main"
parties = ["*"]
[upstream]
max_attempts = 1
[settings.values]
{values}
[settings.tables]
{tables}
"#,
        token = recorder.token_url(),
        scopes = scopes.join(", "),
        hash = hash_password(PASSWORD),
    );
    let config = FacadeConfig::parse(&text, "facade.toml", work)
        .unwrap_or_else(|e| panic!("{}: facade.toml: {e}\n{text}", m.resolved.manifest));
    let service = (adapter.service)();
    let path = service.path();
    let facade = Facade::bind(&config, vec![service])
        .await
        .expect("bind the facade");
    let addr = facade.local_addr().expect("addr");
    tokio::spawn(facade.run(std::future::pending()));
    FacadeUnderTest {
        url: format!("http://{addr}"),
        path,
        http: reqwest::Client::new(),
    }
}

impl FacadeUnderTest {
    /// Posts the request as an old client would and reads the answer's body element (or the
    /// fault's reason).
    async fn call(
        &self,
        op: &SoapOperation,
        req: &Request,
        wsse: bool,
    ) -> Result<Option<Element>, String> {
        let (text, status) = self.post(op, req, wsse).await;
        let envelope =
            xml::parse(&text).map_err(|e| format!("HTTP {status}: not XML: {e}: {text}"))?;
        let body = envelope
            .elements()
            .find(|e| e.local == "Body")
            .ok_or_else(|| format!("no Body: {text}"))?;
        let first = body.elements().next().cloned();
        match first {
            Some(f) if f.local == "Fault" => {
                Err(format!("fault (HTTP {status}): {}", request::to_xml(&f)))
            }
            other => Ok(other),
        }
    }

    async fn post(&self, op: &SoapOperation, req: &Request, wsse: bool) -> (String, u16) {
        let v12 = op.soap_version == ModelVersion::Soap12;
        let env_ns = if v12 {
            "http://www.w3.org/2003/05/soap-envelope"
        } else {
            "http://schemas.xmlsoap.org/soap/envelope/"
        };
        let mut headers: String = req.headers.iter().map(request::to_xml).collect();
        if wsse {
            headers.push_str(&format!(
                r#"<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken><wsse:Username>{}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">{}</wsse:Password></wsse:UsernameToken></wsse:Security>"#,
                request::escape(USER),
                request::escape(PASSWORD)
            ));
        }
        let body = format!(
            r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{env_ns}"><s:Header>{headers}</s:Header><s:Body>{}</s:Body></s:Envelope>"#,
            request::to_xml(&req.body)
        );
        let action = op.soap_action.clone().unwrap_or_default();
        let mut r = self.http.post(format!("{}{}", self.url, self.path));
        r = if v12 {
            r.header(
                "content-type",
                format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
            )
        } else {
            r.header("content-type", "text/xml; charset=utf-8")
                .header("SOAPAction", format!("\"{action}\""))
        };
        let resp = r.body(body).send().await.expect("the facade answers");
        let status = resp.status().as_u16();
        (resp.text().await.unwrap_or_default(), status)
    }
}

/// An operation with no successor answers its documented reason through both paths, with and
/// without credentials, and sends nothing upstream.
#[allow(clippy::too_many_arguments)]
async fn no_successor(
    op: &OpLink,
    soap_op: &SoapOperation,
    reason: &str,
    adapter: &Adapter,
    facade: &FacadeUnderTest,
    m: &Mapping,
    recorder: &Recorder,
    settings: &Settings,
    failures: &mut Vec<String>,
) {
    let mut values = Values::default();
    let hints = Hints::of(op);
    let req = request::build(m, soap_op, &hints, &mut values, 2);
    let reason_start: String = reason.chars().take(40).collect();
    let up = Upstream::new();
    let typed = (adapter.typed)(
        up,
        settings.clone(),
        op.name.clone(),
        req.body.clone(),
        req.headers.clone(),
    )
    .await;
    match typed {
        Err(f) if f.reason.contains(&reason_start) => {}
        other => failures.push(format!(
            "{} [{} via Client]: no successor, so the documented reason was expected; got {other:?}",
            m.resolved.manifest, op.name
        )),
    }
    // Without credentials at all, and with the caller's.
    for with_credentials in [false, true] {
        let mut hints = Hints::of(op);
        let wsse = with_credentials && credentials(adapter, op, &mut hints);
        let req = request::build(m, soap_op, &hints, &mut values, 2);
        let (text, status) = facade.post(soap_op, &req, wsse).await;
        let ok = text.contains(&request::escape(&reason_start))
            && !text.to_ascii_lowercase().contains("authentic");
        if !ok {
            failures.push(format!(
                "{} [{} via facade, credentials: {with_credentials}]: no successor, so the documented reason (not an authentication fault) was expected; got HTTP {status}: {text}",
                m.resolved.manifest, op.name
            ));
        }
    }
    let (exchanges, _) = recorder.take();
    if !exchanges.is_empty() {
        failures.push(format!(
            "{} [{}]: an operation with no successor sent {} request(s) upstream",
            m.resolved.manifest,
            op.name,
            exchanges.len()
        ));
    }
    let _ = api_stem;
}
