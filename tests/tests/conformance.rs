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
use altinn_bridge_facade::{
    Credentials, Facade, FacadeConfig, Operation, SoapService, hash_password,
};
use altinn_bridge_runtime::Secret;
use altinn_bridge_runtime::adapter::{Settings, Upstream};
use altinn_bridge_runtime::auth::{Environment, MaskinportenConfig, SigningKey, TokenProvider};
use altinn_bridge_runtime::http::{Client, RetryPolicy};
use altinn_bridge_runtime::soap::Fault;
use altinn_bridge_runtime::xml::{self, Element};
use altinn_bridge_tests::conformance::check::{Cx, Observed};
use altinn_bridge_tests::conformance::node_soap::NodeSoap;
use altinn_bridge_tests::conformance::recorder::Recorder;
use altinn_bridge_tests::conformance::request::{self, Hints, Request};
use altinn_bridge_tests::conformance::values::{Values, instant};
use altinn_bridge_tests::conformance::walk;
use altinn_bridge_tests::conformance::zeep::Zeep;
use altinn_bridge_tests::conformance::{
    self as conf, PASSWORD, REFUSED_SEVERAL, SYSTEM_USER_ORG, USER,
};
use altinn_bridge_tests::python;

type Answer = Pin<Box<dyn Future<Output = Result<Option<Element>, Fault>> + Send>>;

/// A generated module: its APIs, its typed entry point and its facade service.
struct Adapter {
    apis: &'static [&'static str],
    operations: &'static [Operation],
    scopes: &'static [&'static str],
    typed: fn(Upstream, Settings, String, Element, Vec<Element>) -> Answer,
    service: fn() -> Arc<dyn SoapService>,
}

/// The ways into a generated adapter the harness drives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    /// The typed `Client::call_message`, in-process.
    Client,
    /// The facade over HTTP, with the harness's own envelopes.
    Facade,
    /// The facade over HTTP, called by zeep (a real SOAP client) from the facade's `?wsdl`.
    Zeep,
    /// The facade over HTTP, called by node-soap from the facade's `?wsdl`.
    NodeSoap,
}

impl Via {
    fn name(self) -> &'static str {
        match self {
            Via::Client => "Client",
            Via::Facade => "facade",
            Via::Zeep => "zeep",
            Via::NodeSoap => "node-soap",
        }
    }
}

/// One module per manifest: the typed client and the harness's envelopes (no peer needed), zeep
/// (needs the Python venv) and node-soap (needs node-soap, and zeep to convert its arguments).
macro_rules! conformance {
    ($($module:ident => $manifest:literal),* $(,)?) => {$(
        mod $module {
            use super::*;

            fn adapter() -> Adapter {
                Adapter {
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
                            let client = Client::new(upstream, settings)
                                .map_err(|e| Fault::new(altinn_bridge_runtime::soap::FaultCode::Receiver, e.to_string()))?;
                            let answer = client.call_message(body, headers).await?;
                            Ok(answer.map(|m| xml::parse(&m.to_xml().expect("a generated message writes")).expect("a generated message is XML")))
                        })
                    },
                    service: || Arc::new(generated::$module::facade::Service),
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn client_and_facade() {
                run($manifest, &adapter(), &[Via::Client, Via::Facade], None).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(
                not(peer_python),
                ignore = "needs the Python venv with zeep (run `cargo xtask setup`)"
            )]
            async fn zeep() {
                let python = python::require_python(concat!(stringify!($module), "::zeep"));
                run($manifest, &adapter(), &[Via::Zeep], Some(python)).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(
                not(all(peer_python, peer_node_soap)),
                ignore = "needs the Python venv with zeep and node-soap (run `cargo xtask setup`)"
            )]
            async fn node_soap() {
                let test = concat!(stringify!($module), "::node_soap");
                let python = python::require_python(test);
                altinn_bridge_tests::require_node_soap(test);
                run($manifest, &adapter(), &[Via::NodeSoap], Some(python)).await;
            }
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

/// Runs every operation of `manifest` through each of `vias` and checks it value by value
/// (`python`: the venv's, for [`Via::Zeep`]).
async fn run(manifest: &str, adapter: &Adapter, vias: &[Via], python: Option<PathBuf>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../mappings")
        .join(manifest);
    let mut sources = SourceMap::new();
    let (mut mappings, _) =
        altinn_bridge::load_mappings(&mut sources, &[path], &Overrides::default())
            .unwrap_or_else(|d| panic!("{manifest}: {d:?}"));
    let m = mappings.remove(0);
    // One folder per test: the tests of one manifest run at the same time.
    let vias_name: Vec<&str> = vias.iter().map(|v| v.name()).collect();
    let work = std::env::temp_dir().join(format!(
        "altinn-bridge-conformance-{}-{manifest}-{}",
        std::process::id(),
        vias_name.join("-")
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
    let mut clients = Clients::start(vias, python, &format!("{}{}", facade.url, facade.path));
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
            if let Some(&via) = vias.iter().find(|v| clients.drives(**v)) {
                no_successor_via_client(
                    op,
                    soap_op,
                    reason,
                    adapter,
                    (&mut clients, via),
                    &m,
                    &recorder,
                    &mut failures,
                )
                .await;
                continue;
            }
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
        // The in-process ways also run once with every nillable field nil (see
        // `request::build_with`); the real clients send what the first run sends.
        let runs = vias.iter().flat_map(|&via| {
            let nil_too = matches!(via, Via::Client | Via::Facade);
            [(via, false), (via, true)]
                .into_iter()
                .take(if nil_too { 2 } else { 1 })
        });
        for (via, nil) in runs {
            let name = if nil {
                format!("{} with nils", via.name())
            } else {
                via.name().to_owned()
            };
            let mut hints = Hints::of(op);
            let wsse = via != Via::Client && credentials(adapter, op, &mut hints);
            let mut repeat = 2;
            let (req, settings, answer, exchanges, grants) = loop {
                let req = request::build_with(&m, soap_op, &hints, &mut values, repeat, nil);
                let settings = conf::settings_for(&base_settings, op, &req, &mut values);
                recorder.take();
                let answer = match via {
                    Via::Client => {
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
                    Via::Facade => facade.call(soap_op, &req, wsse).await,
                    Via::Zeep | Via::NodeSoap => clients.call(via, soap_op, &req, wsse).await,
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
                        failures.push(format!("{} [{} via {}]: refused for several values, but the field it names had one: {e}", m.resolved.manifest, op.name, name));
                    }
                    repeat = 1;
                    continue;
                }
                break (req, settings, answer, exchanges, grants);
            };
            let answer = match answer {
                Ok(a) => a,
                // A field Altinn 3 requires, sent nil: refused, naming it, before any call.
                Err(e) if nil && exchanges.is_empty() && refused_for_nil(&e, &req, op) => {
                    checked += 1;
                    continue;
                }
                Err(e) => {
                    failures.push(format!(
                        "{} [{} via {}]: the operation failed: {e}; requests: {:?}",
                        m.resolved.manifest,
                        op.name,
                        name,
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
                settings: if via != Via::Client {
                    &base_settings
                } else {
                    &settings
                },
                via: &name,
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
    if vias.contains(&Via::NodeSoap) {
        known_client_bugs(manifest, NODE_SOAP_BUGS, &mut failures);
    }
    eprintln!("{manifest}: {checked} operation runs checked value by value");
    assert!(
        failures.is_empty(),
        "{manifest}: {} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A real client's own bug on one operation: (manifest, operation, what the failure it causes
/// says). The bug must still show (the entry goes when the client is fixed); only the failures
/// it explains are forgiven.
type KnownBug = (&'static str, &'static str, &'static str);

/// node-soap 1.13.0 maps namespace prefixes per WSDL, not per schema (vpulim/node-soap#83): in
/// the Basic correspondence contract it writes the attachments' elements under the prefix of
/// another namespace, so the facade does not see them and makes no attachment call. (The facade
/// reads the elements its contract names and ignores others: see the issue note.)
const NODE_SOAP_BUGS: &[KnownBug] = &[
    (
        "correspondence-agency-external-basic.toml",
        "InsertCorrespondenceBasicV2",
        "call `attachment` should be POST",
    ),
    (
        "correspondence-agency-external-basic.toml",
        "InsertCorrespondenceBasic",
        "call `attachment` should be POST",
    ),
];

/// Removes the failures `known` explains for `manifest`, and fails when one no longer shows.
fn known_client_bugs(manifest: &str, known: &[KnownBug], failures: &mut Vec<String>) {
    for (m, op, says) in known.iter().filter(|(m, ..)| *m == manifest) {
        let tag = format!("[{op} via ");
        let before = failures.len();
        failures.retain(|f| !(f.contains(&tag) && f.contains(says)));
        if failures.len() == before {
            failures.push(format!(
                "{m} [{op}]: the known client bug ({says}) no longer shows: remove its entry"
            ));
        }
    }
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

/// Whether `message` is a refusal to map that names the target of a link whose SOAP source
/// the request sent nil.
fn refused_for_nil(message: &str, req: &Request, op: &OpLink) -> bool {
    let roots = req.roots();
    message.contains("cannot map")
        && op.inputs.iter().any(|l| {
            let Source::Soap { path } = &l.from else {
                return false;
            };
            let nil = walk::nil_on_path(&roots, &path.steps);
            let target = match &l.to {
                Target::Body { path, .. } => path.steps.last().map(|s| s.name.as_str()),
                Target::Param { name, .. } => Some(name.as_str()),
                _ => None,
            };
            nil && target.is_some_and(|t| message.contains(&format!("{t}`")))
        })
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
}

/// The real SOAP clients a test drives: zeep, and node-soap (whose arguments zeep converts).
struct Clients {
    zeep: Option<Zeep>,
    node_soap: Option<NodeSoap>,
}

impl Clients {
    /// The clients `vias` need, on the facade service at `url`.
    fn start(vias: &[Via], python: Option<PathBuf>, url: &str) -> Clients {
        let zeep = python.map(|py| Zeep::start(&py, url));
        let node_soap = vias.contains(&Via::NodeSoap).then(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("node-soap");
            NodeSoap::start(&dir, url)
        });
        Clients { zeep, node_soap }
    }

    /// Whether `via` is one of the real clients.
    fn drives(&self, via: Via) -> bool {
        matches!(via, Via::Zeep | Via::NodeSoap)
    }

    async fn call(
        &mut self,
        via: Via,
        op: &SoapOperation,
        req: &Request,
        wsse: bool,
    ) -> Result<Option<Element>, String> {
        let zeep = self.zeep.as_mut().expect("zeep runs for every real client");
        match (via, self.node_soap.as_mut()) {
            (Via::NodeSoap, Some(node)) => node.call(op, req, wsse, zeep).await,
            _ => zeep.call(op, req, wsse).await,
        }
    }
}

/// An operation with no successor answers its documented reason to a real client too, as a
/// fault it raises, with and without credentials, and sends nothing upstream.
#[allow(clippy::too_many_arguments)]
async fn no_successor_via_client(
    op: &OpLink,
    soap_op: &SoapOperation,
    reason: &str,
    adapter: &Adapter,
    (clients, via): (&mut Clients, Via),
    m: &Mapping,
    recorder: &Recorder,
    failures: &mut Vec<String>,
) {
    let mut values = Values::default();
    let reason_start: String = reason.chars().take(40).collect();
    for with_credentials in [false, true] {
        let mut hints = Hints::of(op);
        let wsse = with_credentials && credentials(adapter, op, &mut hints);
        let req = request::build(m, soap_op, &hints, &mut values, 2);
        match clients.call(via, soap_op, &req, wsse).await {
            Err(e) if e.contains(&reason_start) && !e.to_ascii_lowercase().contains("authentic") => {}
            other => failures.push(format!(
                "{} [{} via {}, credentials: {with_credentials}]: no successor, so the client should raise the documented reason; got {other:?}",
                m.resolved.manifest, op.name, via.name()
            )),
        }
    }
    if !recorder.take().0.is_empty() {
        failures.push(format!(
            "{} [{} via {}]: an operation with no successor sent requests upstream",
            m.resolved.manifest,
            op.name,
            via.name()
        ));
    }
}
