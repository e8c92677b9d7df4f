//! The generated clients against Stoplight Prism serving the real Altinn 3 specs.
//!
//! For every curated manifest and every mapped operation with an Altinn 3 successor, zeep builds
//! the old request from the corpus WSDL; the body (and header parts) go to the generated
//! `Client::call_element`, which reads them through the generated SOAP types, makes the
//! operation's calls in order against Prism mocks (`--errors`: every request is validated
//! against the spec) and reads the answers back into the generated old response type. Prism runs
//! as a validating mock behind a local app that makes its answers realistic
//! (`altinn_bridge_tests::altinn3`). The test fails on any call error, on any
//! `[VALIDATOR]` error in Prism's log, and on an answer that does not fit the old response.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::pin::Pin;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::link::{Mapping, Overrides};
use altinn_bridge_examples::generated;
use altinn_bridge_runtime::Secret;
use altinn_bridge_runtime::adapter::{Settings, Upstream};
use altinn_bridge_runtime::http::{Client, RetryPolicy};
use altinn_bridge_runtime::soap::{Envelope, Fault};
use altinn_bridge_runtime::xml::{self, Element};
use altinn_bridge_tests::zeep::{corpus_wsdl, manifests};
use altinn_bridge_tests::{altinn3, files_with_ext, prism, python, require_corpus, zeep};

type Answer<'a> = Pin<Box<dyn Future<Output = Result<Option<String>, Fault>> + 'a>>;

/// A generated module's client, behind one signature for every API.
struct Adapter {
    module: &'static str,
    apis: &'static [&'static str],
    call: for<'a> fn(Upstream, Settings, &'a str, Element, Vec<Element>) -> Answer<'a>,
}

macro_rules! adapters {
    ($($module:ident),* $(,)?) => {
        const ADAPTERS: &[Adapter] = &[$(Adapter {
            module: stringify!($module),
            apis: generated::$module::APIS,
            call: |upstream, settings, op, body, headers| {
                Box::pin(async move {
                    let client = generated::$module::Client::new(upstream, settings)
                        .map_err(|e| altinn_bridge_runtime::soap::Fault::new(altinn_bridge_runtime::soap::FaultCode::Receiver, e.to_string()))?;
                    client.call_element(op, body, headers).await
                })
            },
        }),*];
    };
}

adapters!(
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

/// What a deployment would configure: every `config` key and lookup table the manifests use,
/// with values the specs accept (a table's `*` entry answers for any key).
fn settings() -> Settings {
    Settings::new()
        .with_value("sender", "0192:991825827")
        .with_value("system_user_org", "991825827")
        .with_value("org", "ttd")
        .with_value("app", "test-app")
        .with_value("app_url", "https://ttd.apps.tt02.altinn.no/ttd/test-app")
        .with_value("attachment_data_type", "attachment")
        .with_value("last_event_id", "0")
        .with_value("webhook_url", "https://example.test/altinn-events")
        .with_entry("resource_ids", "*", "ttd-test-resource")
        .with_entry("access_lists", "*", "ttd-approved")
        .with_entry("app_ids", "*", "ttd/test-app")
        .with_entry("app_names", "*", "test-app")
        .with_entry("app_orgs", "*", "ttd")
        .with_entry(
            "correspondence_ids",
            "*",
            "0198c0c2-6c1b-7f43-9d6d-5e4a3b2c1d0e",
        )
        .with_entry(
            "data_element_ids",
            "*",
            "0198c0c2-6c1b-7f43-9d6d-5e4a3b2c1d0f",
        )
        .with_entry("data_types", "*", "default")
        .with_entry("email_subjects", "*", "Message from the agency")
        .with_entry("instance_apps", "*", "test-app")
        .with_entry(
            "instance_ids",
            "*",
            "50001234/0198c0c2-6c1b-7f43-9d6d-5e4a3b2c1d10",
        )
        .with_entry("instance_orgs", "*", "ttd")
        .with_entry("service_codes", "*", "4504")
        .with_entry("substatus_labels", "*", "received")
}

#[tokio::test]
#[cfg_attr(
    not(all(peer_corpus, peer_python, peer_prism)),
    ignore = "needs the corpus, the Python venv and Prism: see `cargo xtask setup`"
)]
async fn every_mapped_operation_calls_prism_with_zero_violations() {
    let test = "every_mapped_operation_calls_prism_with_zero_violations";
    let corpus = require_corpus(test);
    let py = python::require_python(test);
    prism::require_prism(test);
    let overrides = Overrides {
        contract_dirs: vec![corpus.clone()],
        ..Overrides::default()
    };
    let mut sources = SourceMap::new();
    let (mappings, _) = altinn_bridge::load_mappings(&mut sources, &manifests(), &overrides)
        .unwrap_or_else(|d| panic!("manifests against the corpus: {d:?}"));
    start_all(test);
    let wsdls = files_with_ext(&corpus, &["wsdl"]);
    let work = std::env::temp_dir().join(format!("altinn-bridge-clients-{}", std::process::id()));
    let mut failures = Vec::new();
    let mut called = 0;
    for mapping in &mappings {
        let module = altinn_bridge::emit::rust::module_name(&mapping.resolved.api);
        let adapter = ADAPTERS
            .iter()
            .find(|a| a.module == module)
            .unwrap_or_else(|| panic!("add `{module}` to the adapters! list"));
        let mut mocks = BTreeMap::new();
        for api in adapter.apis {
            let mock = altinn3::shared(test, api);
            mocks.insert(*api, mock);
        }
        let upstream = upstream(&mocks);
        for (op, envelope) in requests(&py, mapping, &wsdls, &work.join(&module), &mut failures) {
            called += 1;
            let sessions: Vec<_> = mocks.values().map(|m| m.prism.session()).collect();
            let result = call(adapter, upstream.clone(), &op, &envelope).await;
            let errors: Vec<String> = sessions.iter().flat_map(|s| s.errors()).collect();
            drop(sessions);
            if let Err(e) = result {
                failures.push(format!("{module}::{op}: {e}"));
            }
            if !errors.is_empty() {
                failures.push(format!(
                    "{module}::{op}: Prism found violations:\n  {}",
                    errors.join("\n  ")
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    altinn_bridge_tests::expected::forgive(&mut failures);
    eprintln!("{called} operations called through the generated clients");
    assert!(called >= 30, "only {called} operations were called");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Starts every API's stand-in at once: Prism needs seconds for most specs but well over a
/// minute for the events spec, which is better spent in parallel.
fn start_all(test: &'static str) {
    let mut stems: Vec<&'static str> = ADAPTERS
        .iter()
        .flat_map(|a| a.apis.iter().copied())
        .collect();
    stems.sort_unstable();
    stems.dedup();
    let threads: Vec<_> = stems
        .into_iter()
        .map(|stem| std::thread::spawn(move || drop(altinn3::shared(test, stem))))
        .collect();
    for t in threads {
        t.join().expect("a stand-in failed to start");
    }
}

/// One HTTP client per API, each at its Prism mock, with a bearer token (storage and events
/// declare bearer security) and no retries (a mock answers at once).
fn upstream(mocks: &BTreeMap<&str, altinn3::Api>) -> Upstream {
    mocks.iter().fold(Upstream::new(), |up, (api, mock)| {
        let client = Client::new(&mock.url)
            .expect("client")
            .with_retry(RetryPolicy::none())
            .with_bearer(Secret::new("test-token"));
        up.with_api(*api, client)
    })
}

/// zeep's envelope for every operation of `mapping` that has a successor.
fn requests(
    py: &std::path::Path,
    mapping: &Mapping,
    wsdls: &[PathBuf],
    dir: &std::path::Path,
    failures: &mut Vec<String>,
) -> Vec<(String, Vec<u8>)> {
    let wsdl = corpus_wsdl(mapping, wsdls);
    let (by_binding, missing) = zeep::ops_by_binding(mapping, |l| l.no_successor.is_none());
    failures.extend(
        missing
            .iter()
            .map(|op| format!("{op}: not in the corpus WSDL")),
    );
    let mut out = Vec::new();
    for (i, (binding, ops)) in by_binding.iter().enumerate() {
        let index = match zeep::envelopes(py, &wsdl, binding, ops, &dir.join(i.to_string())) {
            Ok(index) => index,
            Err(e) => {
                failures.push(format!("{}: zeep: {e}", mapping.resolved.api));
                continue;
            }
        };
        for op in ops {
            let file = index["operations"][op]["file"].as_str().unwrap_or_default();
            match std::fs::read(file) {
                Ok(bytes) => out.push((op.clone(), bytes)),
                Err(e) => failures.push(format!("{op}: zeep wrote no envelope: {e}")),
            }
        }
    }
    out
}

/// The envelope's body and header blocks through the adapter.
async fn call(
    adapter: &Adapter,
    upstream: Upstream,
    op: &str,
    envelope: &[u8],
) -> Result<Option<String>, String> {
    let env = Envelope::parse(envelope).map_err(|e| format!("envelope: {e}"))?;
    let body = xml::parse(&env.body.xml).map_err(|e| format!("body: {e}"))?;
    let headers = env
        .headers
        .iter()
        .map(|h| xml::parse(&h.element.xml))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("header: {e}"))?;
    let answer = (adapter.call)(upstream, settings(), op, body, headers)
        .await
        .map_err(|f| format!("fault {:?}: {}", f.code, f.reason))?;
    if let Some(xml) = &answer {
        xml::parse(xml).map_err(|e| format!("the old response does not parse: {e}"))?;
    }
    Ok(answer)
}
