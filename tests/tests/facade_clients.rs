//! Old SOAP clients, unchanged, through the generated facade to Prism serving the real Altinn 3
//! specs.
//!
//! The facade runs in-process on 127.0.0.1 with every generated service; its custom environment
//! points each Altinn 3 API at the Altinn 3 stand-in (`altinn_bridge_tests::altinn3`: a local app
//! in front of a Prism mock with `--errors`, so every upstream request is validated against the
//! spec, and the mock's placeholder ids are made realistic) and its one Maskinporten client at a small local token endpoint (a caller
//! must be bound to a client; storage and events want a bearer token). One legacy caller is
//! configured with an argon2 hash. zeep (`tests/zeep/facade_calls.py`) and node-soap
//! (`tests/node-soap/calls.js`) load the corpus WSDLs, point the bindings at the facade and call
//! every mapped operation of every curated manifest with full sample requests carrying the
//! caller's credentials where the contract keeps them (body fields, header parts, or a
//! WS-Security UsernameToken where the operation has none).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::link::{Mapping, Overrides};
use altinn_bridge_examples::generated;
use altinn_bridge_facade::{Credentials, Facade, FacadeConfig, Operation, hash_password};
use altinn_bridge_tests::zeep::{self, corpus_wsdl, manifests};

#[path = "../../runtime/facade/tests/tls_support/mod.rs"]
mod tls_support;
use altinn_bridge_tests::{altinn3, files_with_ext, prism, python, require_corpus};
use serde_json::{Value, json};

const USER: &str = "legacy-erp";
const PASSWORD: &str = "Corr3ct-h0rse <&> æøå";

/// A generated module's facade: where it is served and what it dispatches on.
struct Api {
    module: &'static str,
    path: &'static str,
    operations: &'static [Operation],
}

macro_rules! apis {
    ($($module:ident),* $(,)?) => {
        const APIS: &[Api] = &[$(Api {
            module: stringify!($module),
            path: generated::$module::facade::PATH,
            operations: generated::$module::facade::OPERATIONS,
        }),*];
    };
}

apis!(
    broker_service_external_basic,
    broker_service_external_basic_streamed,
    correspondence_agency_external,
    correspondence_agency_external_basic,
    correspondence_external_ec2,
    download_queue_external_basic,
    intermediary_inbound_external_ec2,
    notification_agency_external_basic,
    online_batch_receiver,
    pre_fill_basic,
    receipt_agency_external_basic,
    receipt_external_basic,
    register_srr_agency_external_basic,
    service_owner_archive_external_basic,
    subscription_basic,
);

/// The running facade and what the tests need to drive it.
struct Env {
    python: PathBuf,
    url: String,
    /// The same facade served over HTTPS (`[tls]`), and the certificate clients trust for it.
    https_url: String,
    cafile: PathBuf,
    mappings: Vec<Mapping>,
    wsdls: Vec<PathBuf>,
    mocks: BTreeMap<String, altinn3::Api>,
    /// The APIs whose Prism mock did not start.
    missing: Vec<String>,
    work: PathBuf,
}

impl Env {
    /// The facade for all generated services, started once per test binary, for a test that
    /// needs the corpus, the Python venv and Prism.
    fn get(test: &str) -> &'static Env {
        static ENV: OnceLock<Env> = OnceLock::new();
        let corpus = require_corpus(test);
        let py = python::require_python(test);
        prism::require_prism(test);
        ENV.get_or_init(|| Env::start(test, corpus, py))
    }

    fn start(test: &str, corpus: PathBuf, python: PathBuf) -> Env {
        let overrides = Overrides {
            contract_dirs: vec![corpus.clone()],
            ..Overrides::default()
        };
        let mut sources = SourceMap::new();
        let (mappings, _) = altinn_bridge::load_mappings(&mut sources, &manifests(), &overrides)
            .unwrap_or_else(|d| panic!("manifests against the corpus: {d:?}"));
        let mut stems: Vec<&'static str> = generated::services()
            .iter()
            .flat_map(|s| s.apis().iter().copied())
            .collect();
        stems.sort_unstable();
        stems.dedup();
        // Prism takes seconds to start each spec, more on a busy machine: start all at once.
        // One that does not start is reported by every test, and its API points at a closed port
        // so the other APIs are still exercised.
        let mut mocks = BTreeMap::new();
        let mut missing = Vec::new();
        std::thread::scope(|scope| {
            let started: Vec<_> = stems
                .iter()
                .map(|api| scope.spawn(move || altinn3::shared(test, api)))
                .collect();
            for (api, t) in stems.iter().zip(started) {
                match t.join() {
                    Ok(mock) => {
                        mocks.insert((*api).to_owned(), mock);
                    }
                    _ => missing.push((*api).to_owned()),
                }
            }
        });
        let work = std::env::temp_dir().join(format!("altinn-bridge-e2e-{}", std::process::id()));
        std::fs::create_dir_all(&work).expect("scratch dir");
        let addr = serve(&work, &mocks, &missing, "");
        let (cafile, key) = tls_support::self_signed(&work);
        let tls = serve(&work, &mocks, &missing, &tls_support::table(&cafile, &key));
        Env {
            missing,
            python,
            url: format!("http://{addr}"),
            https_url: format!("https://localhost:{}", tls.port()),
            cafile,
            mappings,
            wsdls: files_with_ext(&corpus, &["wsdl"]),
            mocks,
            work,
        }
    }

    /// Exclusive Prism sessions on the mocks of `apis`, taken in one order (no deadlock between
    /// tests that run in parallel).
    fn sessions(&self, apis: &[&str]) -> Vec<prism::Session<'static>> {
        self.mocks
            .iter()
            .filter(|(name, _)| apis.contains(&name.as_str()))
            .map(|(_, m)| m.prism.session())
            .collect()
    }
}

/// Starts the token endpoint and the facade on a thread of their own (the tests block on
/// client processes); returns the facade's address.
/// The facade for every generated service, its configuration ending with `extra` (a `[tls]` table).
fn serve(
    work: &Path,
    mocks: &BTreeMap<String, altinn3::Api>,
    missing: &[String],
    extra: &str,
) -> SocketAddr {
    let key = work.join("key.pem");
    let out = Command::new("openssl")
        .args(["genrsa", "-out"])
        .arg(&key)
        .arg("2048")
        .output()
        .expect("openssl runs");
    assert!(out.status.success(), "openssl genrsa: {out:?}");
    let mut apis: BTreeMap<&str, &str> = mocks
        .iter()
        .map(|(name, m)| (name.as_str(), m.url.as_str()))
        .collect();
    for name in missing {
        apis.insert(name, "http://127.0.0.1:9");
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let work = work.to_path_buf();
    let extra = extra.to_owned();
    let apis: BTreeMap<String, String> = apis
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let token_url = token_endpoint().await;
            let text = config_text(&token_url, &apis) + &extra;
            let config = FacadeConfig::parse(&text, "facade.toml", &work).expect("config");
            let facade = Facade::bind(&config, generated::services())
                .await
                .expect("bind");
            let addr = facade.local_addr().expect("addr");
            tx.send(addr).expect("the test waits");
            facade.run(std::future::pending()).await.expect("serve");
        });
    });
    rx.recv().expect("the facade started")
}

/// A token endpoint that grants any assertion: Maskinporten's own checks are tested in the
/// runtime (`runtime/tests/auth.rs`); here only the bearer Prism wants matters.
async fn token_endpoint() -> String {
    let app = axum::Router::new().route(
        "/token",
        axum::routing::post(|| async {
            axum::Json(json!({
                "access_token": "e2e-test-token",
                "token_type": "Bearer",
                "expires_in": 3600,
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/token")
}

/// `facade.toml`: the custom environment at the mocks, one client, one caller, and the settings
/// the manifests read (as in `clients_prism.rs`).
fn config_text(token_url: &str, apis: &BTreeMap<String, String>) -> String {
    let apis: String = apis
        .iter()
        .map(|(name, url)| format!("{name} = \"{url}\"\n"))
        .collect();
    format!(
        r#"listen = "127.0.0.1:0"

[environment]
name = "custom"
audience = "http://127.0.0.1/"
token_endpoint = "{token_url}"
[environment.apis]
{apis}
[[maskinporten]]
name = "main"
client_id = "e2e-client"
kid = "e2e-kid"
key_file = "key.pem"
scopes = ["altinn:correspondence.write", "altinn:serviceowner"]
system_user_org = "991825827"

[[callers]]
user = "{USER}"
password_hash = "{hash}"
maskinporten = "main"
parties = ["910075918", "991825827"]

[settings.values]
sender = "0192:991825827"
org = "ttd"
app = "test-app"
app_url = "https://ttd.apps.tt02.altinn.no/ttd/test-app"
attachment_data_type = "attachment"
last_event_id = "0"
webhook_url = "https://example.test/altinn-events"

[settings.tables]
resource_ids = {{ "*" = "ttd-test-resource" }}
access_lists = {{ "*" = "ttd-approved" }}
app_ids = {{ "*" = "ttd/test-app" }}
app_names = {{ "*" = "test-app" }}
app_orgs = {{ "*" = "ttd" }}
correspondence_ids = {{ "*" = "0198c0c2-6c1b-7f43-9d6d-5e4a3b2c1d0e" }}
data_element_ids = {{ "*" = "0198c0c2-6c1b-7f43-9d6d-5e4a3b2c1d0f" }}
data_types = {{ "*" = "default" }}
email_subjects = {{ "*" = "Message from the agency" }}
instance_apps = {{ "*" = "test-app" }}
instance_ids = {{ "*" = "50001234/0198c0c2-6c1b-7f43-9d6d-5e4a3b2c1d10" }}
instance_orgs = {{ "*" = "ttd" }}
service_codes = {{ "*" = "4504" }}
substatus_labels = {{ "*" = "received" }}
"#,
        hash = hash_password(PASSWORD),
    )
}

/// One binding's operations of one manifest: what a client run covers.
struct Batch<'a> {
    mapping: &'a Mapping,
    api: &'static Api,
    binding: String,
    ops: Vec<String>,
}

impl Batch<'_> {
    fn url(&self, env: &Env) -> String {
        self.url_at(&env.url)
    }

    /// The service's URL on the facade at `base` (`http://host:port`).
    fn url_at(&self, base: &str) -> String {
        format!("{base}{}", self.api.path)
    }

    /// Operations whose contract carries no credentials: the clients send a UsernameToken.
    fn wsse(&self) -> String {
        let none: Vec<&str> = self
            .api
            .operations
            .iter()
            .filter(|o| matches!(o.credentials, Credentials::None))
            .map(|o| o.name)
            .filter(|n| self.ops.iter().any(|o| o == n))
            .collect();
        none.join(",")
    }

    /// The manifest's reason why `op` has no successor, if it has none.
    fn no_successor(&self, op: &str) -> Option<&str> {
        self.api
            .operations
            .iter()
            .find(|o| o.name == op)
            .and_then(|o| o.no_successor)
    }

    fn dir(&self, env: &Env, client: &str) -> PathBuf {
        let dir = env
            .work
            .join(client)
            .join(self.api.module)
            .join(self.binding.replace(['{', '}', '/', ':'], "_"));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }
}

/// Every curated manifest's mapped operations, grouped by WSDL binding.
fn batches(env: &Env) -> Vec<Batch<'_>> {
    let mut out = Vec::new();
    for mapping in &env.mappings {
        let module = altinn_bridge::emit::rust::module_name(&mapping.resolved.api);
        let api = APIS
            .iter()
            .find(|a| a.module == module)
            .unwrap_or_else(|| panic!("add `{module}` to the apis! list"));
        let (by_binding, missing) = zeep::ops_by_binding(mapping, |_| true);
        assert!(missing.is_empty(), "not in the corpus WSDL: {missing:?}");
        for (binding, ops) in by_binding {
            out.push(Batch {
                mapping,
                api,
                binding,
                ops,
            });
        }
    }
    out
}

/// Runs zeep for `batch`. `wsdl` is the corpus file unless given (the served `?wsdl`).
fn zeep(env: &Env, batch: &Batch<'_>, wsdl: Option<&str>, password: &str) -> Result<Value, String> {
    zeep_run(env, batch, (wsdl, &batch.url(env)), password, &[])
}

/// zeep's sample requests for node-soap, written to `<work>/node-soap/...` without calling.
fn node_requests(env: &Env, batch: &Batch<'_>) -> Result<PathBuf, String> {
    zeep_run(
        env,
        batch,
        (None, &batch.url(env)),
        PASSWORD,
        &["--no-call"],
    )?;
    Ok(batch.dir(env, "node-soap").join("requests.json"))
}

/// zeep for `batch`: `(wsdl, url)` are the WSDL (the corpus file unless given) and the
/// service's address.
fn zeep_run(
    env: &Env,
    batch: &Batch<'_>,
    (wsdl, url): (Option<&str>, &str),
    password: &str,
    extra: &[&str],
) -> Result<Value, String> {
    let corpus = corpus_wsdl(batch.mapping, &env.wsdls);
    let corpus = corpus.to_string_lossy();
    let client = if extra.contains(&"--no-call") {
        "node-soap"
    } else {
        "zeep"
    };
    let node_args = batch.dir(env, client).join("requests.json");
    let (wsse, node_args) = (batch.wsse(), node_args.to_string_lossy());
    let mut args = vec![
        "--wsdl",
        wsdl.unwrap_or(&corpus),
        "--schemas",
        &corpus,
        "--binding",
        &batch.binding,
        "--url",
        url,
        "--user",
        USER,
        "--password",
        password,
        "--wsse",
        &wsse,
        "--node-args",
        &node_args,
    ];
    args.extend(extra);
    args.extend(batch.ops.iter().map(String::as_str));
    let out = python::run_script(&env.python, "facade_calls.py", &args, "")?;
    serde_json::from_str(&out).map_err(|e| format!("zeep printed no JSON ({e}):\n{out}"))
}

/// node-soap's package (`npm ci` in tests/node-soap).
fn node_soap_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("node-soap")
}

/// Runs node-soap for `batch` with the sample requests zeep builds.
fn node_soap(env: &Env, batch: &Batch<'_>) -> Result<Value, String> {
    let requests = node_requests(env, batch)?;
    let corpus = corpus_wsdl(batch.mapping, &env.wsdls);
    let local = batch
        .binding
        .rsplit('}')
        .next()
        .unwrap_or_default()
        .to_owned();
    let out = Command::new("node")
        .arg(node_soap_dir().join("calls.js"))
        .args(["--wsdl"])
        .arg(&corpus)
        .args(["--binding", &local, "--url", &batch.url(env), "--requests"])
        .arg(&requests)
        .args([
            "--user",
            USER,
            "--password",
            PASSWORD,
            "--wsse",
            &batch.wsse(),
        ])
        .current_dir(node_soap_dir())
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "node-soap failed ({}):\n{}\n{stdout}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_str(&stdout).map_err(|e| format!("node-soap printed no JSON ({e}):\n{stdout}"))
}

/// What a client answered for `op`, checked: success for an operation with a successor, the
/// documented fault otherwise.
fn check(batch: &Batch<'_>, op: &str, result: &Value) -> Result<(), String> {
    let fault = &result["fault"];
    match batch.no_successor(op) {
        Some(reason) => {
            let message = fault["message"].as_str().unwrap_or_default();
            let first_line = reason.lines().next().unwrap_or_default();
            if message.contains("has no successor in Altinn 3") && message.contains(first_line) {
                Ok(())
            } else {
                Err(format!(
                    "expected the no-successor fault ({first_line}), got {result}"
                ))
            }
        }
        None if result.get("ok").is_some() => Ok(()),
        None => Err(format!("{result}")),
    }
}

/// A client's own bug on one operation: (module, operation, what the facade's Client fault must
/// name). The facade is right to refuse the request; the test checks that it does, and fails
/// when the client is fixed and the operation succeeds (then remove the entry).
type KnownBug = (&'static str, &'static str, &'static str);

/// node-soap 1.13.0 maps namespace prefixes per WSDL, not per schema (vpulim/node-soap#83):
/// it writes `SdpOptions`' children (namespace `.../Correspondence/2016/02`) with the prefix of
/// `.../2010/10`, so the facade does not find the required `PrimaryDocumentFileName`.
const NODE_SOAP_BUGS: &[KnownBug] = &[(
    "correspondence_agency_external_basic",
    "InsertCorrespondenceBasicV2",
    "PrimaryDocumentFileName",
)];

/// Runs `client` over every batch and checks every operation and Prism's validation.
fn every_operation(
    test: &str,
    client: &str,
    known: &[KnownBug],
    run: fn(&Env, &Batch<'_>) -> Result<Value, String>,
) {
    let env = Env::get(test);
    let mut failures: Vec<String> = env
        .missing
        .iter()
        .map(|api| format!("the Prism mock of {api} did not start (see the panic above)"))
        .collect();
    let (mut ok, mut documented, mut bugs) = (0, 0, 0);
    for batch in batches(env) {
        let name = format!("{}::{}", batch.api.module, batch.binding);
        // Prism writes a request's violations to its log; the session isolates this batch's.
        let sessions = env.sessions(&apis_of(batch.api));
        let results = run(env, &batch);
        let errors: Vec<String> = sessions.iter().flat_map(|s| s.errors()).collect();
        drop(sessions);
        let results = match results {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        for op in &batch.ops {
            let result = &results["operations"][op];
            eprintln!("{client} {}::{op}: {}", batch.api.module, short(result));
            let bug = known
                .iter()
                .find(|(m, o, _)| *m == batch.api.module && o == op);
            if let Some((_, _, names)) = bug {
                let message = result["fault"]["message"].as_str().unwrap_or_default();
                if message.contains(names) {
                    bugs += 1;
                } else {
                    failures.push(format!(
                        "{}::{op}: the known client bug ({names}) did not show: {result}",
                        batch.api.module
                    ));
                }
                continue;
            }
            match check(&batch, op, result) {
                Ok(()) if batch.no_successor(op).is_some() => documented += 1,
                Ok(()) => ok += 1,
                Err(e) => failures.push(format!("{}::{op}: {e}", batch.api.module)),
            }
        }
        if !errors.is_empty() {
            failures.push(format!(
                "{name}: Prism found violations in the facade's upstream calls:\n  {}",
                errors.join("\n  ")
            ));
        }
    }
    altinn_bridge_tests::expected::forgive(&mut failures);
    let called = ok + documented + bugs + failures.iter().filter(|f| f.contains("::")).count();
    eprintln!(
        "{client}: {ok} operations answered, {documented} documented no-successor faults, {bugs} known client bug(s), {} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{client}: {} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(called >= 40, "only {called} operations were called");
}

/// The Altinn 3 APIs a facade module calls.
fn apis_of(api: &Api) -> Vec<&'static str> {
    generated::services()
        .iter()
        .find(|s| s.path() == api.path)
        .map(|s| s.apis().to_vec())
        .unwrap_or_default()
}

/// A result for the log: the fault, or the answer cut short.
fn short(result: &Value) -> String {
    let text = result.to_string();
    match text.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

#[test]
#[cfg_attr(
    not(all(peer_corpus, peer_python, peer_prism)),
    ignore = "needs the corpus, the Python venv and Prism: see `cargo xtask setup`"
)]
fn zeep_calls_every_mapped_operation_through_the_facade() {
    every_operation(
        "zeep_calls_every_mapped_operation_through_the_facade",
        "zeep",
        &[],
        |env, batch| zeep(env, batch, None, PASSWORD),
    );
}

#[test]
#[cfg_attr(
    not(all(peer_corpus, peer_python, peer_prism, peer_node_soap)),
    ignore = "needs the corpus, the Python venv, Prism and node-soap: see `cargo xtask setup`"
)]
fn node_soap_calls_every_mapped_operation_through_the_facade() {
    let test = "node_soap_calls_every_mapped_operation_through_the_facade";
    altinn_bridge_tests::require_node_soap(test);
    every_operation(test, "node-soap", NODE_SOAP_BUGS, node_soap);
}

#[test]
#[cfg_attr(
    not(all(peer_corpus, peer_python, peer_prism)),
    ignore = "needs the corpus, the Python venv and Prism: see `cargo xtask setup`"
)]
fn zeep_loads_the_served_wsdl_and_calls_through_it() {
    let test = "zeep_loads_the_served_wsdl_and_calls_through_it";
    let env = Env::get(test);
    let batch = batches(env)
        .into_iter()
        .find(|b| b.api.module == "correspondence_agency_external_basic")
        .expect("the basic correspondence manifest");
    let served = format!("{}?wsdl", batch.url(env));
    // Held so that other tests' sessions on these mocks see only their own requests.
    let _sessions = env.sessions(&apis_of(batch.api));
    let through_served = zeep(env, &batch, Some(&served), PASSWORD).expect("zeep, served WSDL");
    let through_corpus = zeep(env, &batch, None, PASSWORD).expect("zeep, corpus WSDL");
    // The served contract (the embedded, curated WSDL: smaller than the corpus one, so zeep's
    // parsed answers can lack a few optional members) must give the same outcome as the
    // corpus WSDL: a success where it succeeds, the same fault where it faults.
    for op in &batch.ops {
        let (served, corpus) = (
            &through_served["operations"][op],
            &through_corpus["operations"][op],
        );
        assert!(served.get("error").is_none(), "{op}: {served}");
        assert_eq!(outcome(served), outcome(corpus), "{op}");
        if batch.no_successor(op).is_some() {
            check(&batch, op, served).unwrap_or_else(|e| panic!("{op}: {e}"));
        }
    }
}

/// What a client run gave for one operation: a success, or which fault or error.
fn outcome(r: &Value) -> String {
    match r.get("ok") {
        Some(_) => "ok".to_owned(),
        None => format!("fault {} error {}", r["fault"]["message"], r["error"]),
    }
}

/// A client whose binding insists on https changes only the host: zeep loads the WSDL the
/// HTTPS facade serves, trusts its certificate, and gets the same outcomes as over HTTP.
#[test]
#[cfg_attr(
    not(all(peer_corpus, peer_python, peer_prism)),
    ignore = "needs the corpus, the Python venv and Prism: see `cargo xtask setup`"
)]
fn zeep_calls_the_https_facade_with_only_the_address_changed() {
    let test = "zeep_calls_the_https_facade_with_only_the_address_changed";
    let env = Env::get(test);
    let batch = batches(env)
        .into_iter()
        .find(|b| b.api.module == "correspondence_agency_external_basic")
        .expect("the basic correspondence manifest");
    let url = batch.url_at(&env.https_url);
    let served = format!("{url}?wsdl");
    let cafile = env.cafile.to_string_lossy();
    let _sessions = env.sessions(&apis_of(batch.api));
    let over_https = zeep_run(
        env,
        &batch,
        (Some(&served), &url),
        PASSWORD,
        &["--cafile", &cafile],
    )
    .expect("zeep over https");
    let over_http = zeep(env, &batch, None, PASSWORD).expect("zeep over http");
    let mut ok = 0;
    for op in &batch.ops {
        let (tls, plain) = (&over_https["operations"][op], &over_http["operations"][op]);
        assert!(tls.get("error").is_none(), "{op}: {tls}");
        assert_eq!(outcome(tls), outcome(plain), "{op}");
        ok += usize::from(tls.get("ok").is_some());
    }
    assert!(ok > 0, "no operation succeeded over https: {over_https}");
}

#[test]
#[cfg_attr(
    not(all(peer_corpus, peer_python, peer_prism)),
    ignore = "needs the corpus, the Python venv and Prism: see `cargo xtask setup`"
)]
fn a_wrong_password_is_a_fault_and_makes_no_upstream_call() {
    let test = "a_wrong_password_is_a_fault_and_makes_no_upstream_call";
    let env = Env::get(test);
    for batch in batches(env)
        .into_iter()
        .filter(|b| b.api.module == "correspondence_agency_external_basic")
    {
        let sessions = env.sessions(&apis_of(batch.api));
        let results = zeep(env, &batch, None, "not-the-password").expect("zeep");
        let upstream: Vec<String> = sessions
            .iter()
            .flat_map(|s| s.log_lines())
            .filter(|l| l.contains("Request received"))
            .collect();
        for op in &batch.ops {
            let fault = &results["operations"][op]["fault"];
            // An operation with no successor answers its reason before any credentials are
            // checked (the conformance harness checks that reason).
            if batch.no_successor(op).is_some() {
                check(&batch, op, &results["operations"][op])
                    .unwrap_or_else(|e| panic!("{op}: {e}"));
                continue;
            }
            assert_eq!(
                fault["message"], "authentication failed",
                "{op}: {}",
                results["operations"][op]
            );
            assert!(
                matches!(fault["code"].as_str(), Some(c) if c.ends_with("Client") || c.ends_with("Sender")),
                "{op}: {fault}"
            );
        }
        assert!(
            upstream.is_empty(),
            "upstream calls were made: {upstream:?}"
        );
    }
}
