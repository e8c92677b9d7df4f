//! What a real SOAP client sends survives the generated SOAP types.
//!
//! For every manifest in `mappings/` and every operation it maps (with or without a successor),
//! zeep builds a full request from the corpus WSDL (`tests/zeep/envelopes.py`: every optional
//! element present, lists of two, some `xsi:nil`). The envelope goes through the runtime's
//! envelope parser, the body element and each WSDL header part through the generated
//! `soap::Message` reader and writer (and, in a second test, every response body and header
//! element as zeep renders it from a full sample: what a client reads back). Then:
//! * nothing is lost: zeep's element and ours are the same namespace-resolved tree;
//! * ours is valid: it validates against the schemas split from the WSDL (xmlschema);
//! * it is stable: reading ours back gives a value equal to the first read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::link::{Mapping, Overrides};
use altinn_bridge::model::{PartContent, QName};
use altinn_bridge_examples::generated;
use altinn_bridge_runtime::soap::{Envelope, RawElement, SoapVersion};
use altinn_bridge_runtime::xml::{self, Element, Node};
use altinn_bridge_tests::zeep::{clark, corpus_wsdl, manifests};
use altinn_bridge_tests::{files_with_ext, python, require_corpus, zeep};
use serde_json::{Value, json};

/// A generated module's `soap::Message`, behind one signature for every API.
struct Codec {
    module: &'static str,
    roundtrip: fn(&Element) -> Result<Trip, String>,
}

/// What the generated types made of one element.
struct Trip {
    /// Our re-serialisation.
    xml: String,
    /// `Some((first, second))` (their Debug forms) when reading ours back gives another value.
    reread_differs: Option<(String, String)>,
}

macro_rules! codecs {
    ($($module:ident),* $(,)?) => {
        const CODECS: &[Codec] = &[$(Codec {
            module: stringify!($module),
            roundtrip: |el| {
                use generated::$module::soap::Message;
                let first = Message::read(el).map_err(|e| format!("generated reader: {e}"))?;
                let xml = first.to_xml().map_err(|e| format!("generated writer: {e}"))?;
                let reparsed = xml::parse(&xml).map_err(|e| format!("our output does not parse: {e}"))?;
                let second = Message::read(&reparsed)
                    .map_err(|e| format!("generated reader on our own output: {e}"))?;
                let reread_differs =
                    (first != second).then(|| (format!("{first:#?}"), format!("{second:#?}")));
                Ok(Trip { xml, reread_differs })
            },
        }),*];
    };
}

codecs!(
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

/// One element to send through the generated types: an operation's body or a header part.
struct Part {
    op: String,
    /// `body`, `header <local>` or `response <local>`.
    role: String,
    zeep: RawElement,
}

/// Per API: the failures found, and figures for the report.
#[derive(Default)]
struct Outcome {
    failures: Vec<String>,
    operations: usize,
    elements: usize,
    nils: u64,
}

/// Requests or responses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

#[test]
#[cfg_attr(
    not(all(peer_corpus, peer_python)),
    ignore = "needs the corpus and the Python venv: see `cargo xtask setup`"
)]
fn zeep_requests_round_trip_through_the_generated_types() {
    round_trip(
        "zeep_requests_round_trip_through_the_generated_types",
        Side::Request,
    );
}

/// Responses are checked the same way, but the committed types are generated from the reduced
/// contracts in `wsdl/`, whose response types lack fields of the real ones (`ReceiptId`,
/// `SubReceipts`, `SdpStatusInformation`, ...): the data-loss check names each of them.
#[test]
#[ignore = "the shipped WSDLs' response types are reduced: 112 response elements of the real contracts are dropped"]
fn zeep_responses_round_trip_through_the_generated_types() {
    round_trip(
        "zeep_responses_round_trip_through_the_generated_types",
        Side::Response,
    );
}

fn round_trip(test: &str, side: Side) {
    let corpus = require_corpus(test);
    let py = python::require_python(test);
    let mut sources = SourceMap::new();
    let overrides = Overrides {
        contract_dirs: vec![corpus.clone()],
        ..Overrides::default()
    };
    let (mappings, _) = altinn_bridge::load_mappings(&mut sources, &manifests(), &overrides)
        .unwrap_or_else(|d| panic!("manifests against the corpus: {d:?}"));
    assert_codecs_cover(&mappings);

    let wsdls = files_with_ext(&corpus, &["wsdl"]);
    let work = tempdir(test);
    // Two workers (the machine's cores): each API waits mostly on its own Python processes.
    let next = AtomicUsize::new(0);
    let mut outcomes: Vec<(String, Outcome, f64)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (py, wsdls, work, mappings, next) = (&py, &wsdls, &work, &mappings, &next);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    while let Some(mapping) = mappings.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let started = Instant::now();
                        let module = altinn_bridge::emit::rust::module_name(&mapping.resolved.api);
                        let codec = CODECS
                            .iter()
                            .find(|c| c.module == module)
                            .expect("checked above");
                        let out = run_api(py, mapping, codec, wsdls, &work.join(&module), side);
                        done.push((module, out, started.elapsed().as_secs_f64()));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker panicked"))
            .collect()
    });
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    let mut failures = Vec::new();
    for (module, out, secs) in outcomes {
        eprintln!(
            "{module}: {} operations, {} elements, {} xsi:nil sent, {secs:.1} s",
            out.operations, out.elements, out.nils
        );
        failures.extend(out.failures.into_iter().map(|f| format!("{module}: {f}")));
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The macro's list is exactly the set of manifests: a new manifest must be added to it.
fn assert_codecs_cover(mappings: &[Mapping]) {
    let mut wanted: Vec<String> = mappings
        .iter()
        .map(|m| altinn_bridge::emit::rust::module_name(&m.resolved.api))
        .collect();
    wanted.sort();
    let mut listed: Vec<&str> = CODECS.iter().map(|c| c.module).collect();
    listed.sort();
    assert_eq!(
        wanted, listed,
        "the codecs! list must name one generated module per manifest in mappings/"
    );
}

fn tempdir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("altinn-bridge-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn run_api(
    py: &Path,
    mapping: &Mapping,
    codec: &Codec,
    wsdls: &[PathBuf],
    dir: &Path,
    side: Side,
) -> Outcome {
    let mut out = Outcome::default();
    let wsdl = corpus_wsdl(mapping, wsdls);
    let (by_binding, missing) = zeep::ops_by_binding(mapping, |_| true);
    out.failures.extend(
        missing
            .iter()
            .map(|op| format!("{op}: not in the corpus WSDL")),
    );
    let mut parts = Vec::new();
    for (i, (binding, ops)) in by_binding.iter().enumerate() {
        let dir = dir.join(i.to_string());
        match zeep::envelopes(py, &wsdl, binding, ops, &dir) {
            Ok(index) => {
                for op in ops {
                    out.operations += 1;
                    match envelope_parts(mapping, op, &index, side) {
                        Ok((p, nils)) => {
                            out.nils += nils;
                            parts.extend(p);
                        }
                        Err(e) => out.failures.push(format!("{op}: {e}")),
                    }
                }
            }
            Err(e) => out.failures.push(e),
        }
    }
    check_parts(py, &wsdl, codec, &parts, &mut out);
    out
}

/// The body and the WSDL header parts of zeep's envelope for `op`, checked against the model,
/// and how many `xsi:nil` zeep was asked to send.
fn envelope_parts(
    mapping: &Mapping,
    op: &str,
    index: &Value,
    side: Side,
) -> Result<(Vec<Part>, u64), String> {
    let entry = &index["operations"][op];
    let file = entry["file"].as_str().ok_or("zeep wrote no envelope")?;
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let env = Envelope::parse(&bytes).map_err(|e| format!("Envelope::parse: {e}"))?;
    let model = mapping.soap.operation(op).ok_or("not in the model")?;
    let expected = if model.soap_version == altinn_bridge::model::SoapVersion::Soap12 {
        SoapVersion::V12
    } else {
        SoapVersion::V11
    };
    if env.version != expected {
        return Err(format!(
            "zeep sent {:?}, the binding is {expected:?}",
            env.version
        ));
    }
    let input = model.input.as_ref().ok_or("no input message")?;
    let mut parts = Vec::new();
    for part in &input.body {
        let name = element_name(&part.content)?;
        if !env.body.name.is(&name.ns, &name.local) {
            return Err(format!(
                "body element is {:?}, the WSDL says {}",
                env.body.name,
                clark(name)
            ));
        }
        parts.push(Part {
            op: op.to_owned(),
            role: "body".into(),
            zeep: env.body.clone(),
        });
    }
    for part in &input.headers {
        let name = element_name(&part.content)?;
        let block = env
            .headers
            .iter()
            .find(|h| h.element.name.is(&name.ns, &name.local))
            .ok_or_else(|| format!("zeep sent no header {}", clark(name)))?;
        parts.push(Part {
            op: op.to_owned(),
            role: format!("header {}", name.local),
            zeep: block.element.clone(),
        });
    }
    if side == Side::Response {
        parts = response_parts(model, op, entry)?;
    }
    let nils = match side {
        Side::Request => &entry["nils"],
        Side::Response => &entry["response_nils"],
    };
    Ok((parts, nils.as_u64().unwrap_or(0)))
}

/// The response's body and header elements as zeep rendered them: exactly the WSDL's output
/// parts, in its order.
fn response_parts(
    model: &altinn_bridge::model::SoapOperation,
    op: &str,
    entry: &Value,
) -> Result<Vec<Part>, String> {
    let wanted: Vec<String> = model
        .output_parts()
        .into_iter()
        .map(|p| element_name(&p.content).map(clark))
        .collect::<Result<_, _>>()?;
    let responses = entry["responses"].as_array().cloned().unwrap_or_default();
    let got: Vec<String> = responses
        .iter()
        .map(|r| r["element"].as_str().unwrap_or_default().to_owned())
        .collect();
    let (mut w, mut g) = (wanted.clone(), got.clone());
    w.sort();
    g.sort();
    if w != g {
        return Err(format!(
            "zeep rendered response elements {got:?}, the model has {wanted:?}"
        ));
    }
    responses
        .iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap_or_default();
            let xml = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
            let zeep = RawElement::from_xml(xml).map_err(|e| format!("{file}: {e}"))?;
            Ok(Part {
                op: op.to_owned(),
                role: format!("response {}", zeep.name.local),
                zeep,
            })
        })
        .collect()
}

fn element_name(content: &PartContent) -> Result<&QName, String> {
    match content {
        PartContent::Element { element, .. } => Ok(element),
        PartContent::Type { .. } => Err("an rpc-style (type=) part".into()),
    }
}

/// Every part through the generated types, then one xmlschema run for all our outputs.
fn check_parts(py: &Path, wsdl: &Path, codec: &Codec, parts: &[Part], out: &mut Outcome) {
    let mut docs = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let what = format!("{} ({})", part.op, part.role);
        let theirs = match xml::parse(&part.zeep.xml) {
            Ok(t) => t,
            Err(e) => {
                out.failures.push(format!("{what}: zeep's element: {e}"));
                continue;
            }
        };
        out.elements += count_elements(&theirs);
        let trip = match (codec.roundtrip)(&theirs) {
            Ok(t) => t,
            Err(e) => {
                out.failures.push(format!("{what}: {e}"));
                continue;
            }
        };
        if let Some((a, b)) = &trip.reread_differs {
            out.failures.push(format!(
                "{what}: reading our output back gives another value\nfirst:  {a}\nsecond: {b}"
            ));
        }
        match xml::parse(&trip.xml) {
            Ok(ours) => {
                let mut diffs = Vec::new();
                diff(&theirs, &ours, &format!("/{}", theirs.local), &mut diffs);
                out.failures.extend(
                    diffs
                        .into_iter()
                        .map(|d| format!("{what}: data lost or changed: {d}")),
                );
            }
            Err(e) => out.failures.push(format!("{what}: our output: {e}")),
        }
        docs.push(json!({"id": i.to_string(), "xml": trip.xml}));
    }
    validate(py, wsdl, parts, docs, out);
}

fn validate(py: &Path, wsdl: &Path, parts: &[Part], docs: Vec<Value>, out: &mut Outcome) {
    if docs.is_empty() {
        return;
    }
    let job = json!({"wsdl": wsdl, "documents": docs}).to_string();
    let results = match python::run_script(py, "validate.py", &[], &job)
        .and_then(|s| serde_json::from_str::<Vec<Value>>(&s).map_err(|e| e.to_string()))
    {
        Ok(r) => r,
        Err(e) => {
            out.failures.push(format!("validate.py: {e}"));
            return;
        }
    };
    for r in results.iter().filter(|r| r["valid"] != Value::Bool(true)) {
        let i: usize = r["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
        let part = &parts[i];
        for e in r["errors"].as_array().into_iter().flatten() {
            out.failures.push(format!(
                "{} ({}): our output is not valid at {}: {}",
                part.op, part.role, e["path"], e["reason"]
            ));
        }
    }
}

fn count_elements(el: &Element) -> usize {
    1 + el.elements().map(count_elements).sum::<usize>()
}

/// Differences between two namespace-resolved trees: names, attributes, child elements in
/// order, and text. Prefixes are already gone; whitespace-only text beside child elements is
/// not significant and is skipped, a leaf's text is compared exactly.
fn diff(a: &Element, b: &Element, path: &str, out: &mut Vec<String>) {
    if (a.ns.as_str(), a.local.as_str()) != (b.ns.as_str(), b.local.as_str()) {
        out.push(format!(
            "{path}: zeep has {{{}}}{}, ours {{{}}}{}",
            a.ns, a.local, b.ns, b.local
        ));
        return;
    }
    let mut attrs_a = a.attributes.clone();
    let mut attrs_b = b.attributes.clone();
    attrs_a.sort();
    attrs_b.sort();
    if attrs_a != attrs_b {
        out.push(format!(
            "{path}: attributes: zeep {attrs_a:?}, ours {attrs_b:?}"
        ));
    }
    let (text_a, text_b) = (significant_text(a), significant_text(b));
    if text_a != text_b {
        out.push(format!("{path}: text: zeep {text_a:?}, ours {text_b:?}"));
    }
    let (ea, eb): (Vec<&Element>, Vec<&Element>) = (a.elements().collect(), b.elements().collect());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut step = |el: &Element| {
        let n = seen.entry(el.local.clone()).or_default();
        *n += 1;
        format!("{path}/{}[{n}]", el.local)
    };
    for pair in align(&ea, &eb) {
        match pair {
            (Some(x), Some(y)) => diff(x, y, &step(x), out),
            (Some(x), None) => out.push(format!(
                "{}: zeep has {}, ours has nothing",
                step(x),
                summary(x)
            )),
            (None, Some(y)) => out.push(format!(
                "{}: zeep has nothing, ours has {}",
                step(y),
                summary(y)
            )),
            (None, None) => {}
        }
    }
}

/// Pairs two child lists by name along their longest common subsequence, so one missing
/// element is reported once instead of shifting every sibling after it.
fn align<'a>(
    a: &[&'a Element],
    b: &[&'a Element],
) -> Vec<(Option<&'a Element>, Option<&'a Element>)> {
    let same = |x: &Element, y: &Element| x.ns == y.ns && x.local == y.local;
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if same(a[i], b[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && same(a[i], b[j]) {
            out.push((Some(a[i]), Some(b[j])));
            (i, j) = (i + 1, j + 1);
        } else if j == b.len() || (i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push((Some(a[i]), None));
            i += 1;
        } else {
            out.push((None, Some(b[j])));
            j += 1;
        }
    }
    out
}

fn significant_text(el: &Element) -> String {
    let text: String = el
        .children
        .iter()
        .filter_map(|n| match n {
            Node::Text(t) => Some(t.as_str()),
            Node::Element(_) => None,
        })
        .collect();
    if el.elements().next().is_some() && text.trim().is_empty() {
        String::new()
    } else {
        text
    }
}

fn summary(el: &Element) -> String {
    let text = significant_text(el);
    let mut s = format!("{{{}}}{}", el.ns, el.local);
    if el.is_nil() {
        s.push_str(" xsi:nil");
    }
    if !text.is_empty() {
        s.push_str(&format!(" {text:?}"));
    }
    if el.elements().next().is_some() {
        s.push_str(&format!(" with {} child elements", el.elements().count()));
    }
    s
}

// The checks above must be able to fail: each is shown catching what it is there for.

#[test]
fn tree_diff_ignores_prefixes_and_names_the_path_and_both_values() {
    let zeep = xml::parse(r#"<r xmlns="urn:a"><x>1</x><y><z>2</z><z>3</z></y></r>"#).expect("a");
    let same = xml::parse(
        "<p:r xmlns:p=\"urn:a\">\n <p:x>1</p:x>\n <p:y><p:z>2</p:z><p:z>3</p:z></p:y>\n</p:r>",
    )
    .expect("b");
    let mut diffs = Vec::new();
    diff(&zeep, &same, "/r", &mut diffs);
    assert!(diffs.is_empty(), "{diffs:?}");

    let lossy = xml::parse(r#"<r xmlns="urn:a"><x>1</x><y><z>2</z><z>4</z></y></r>"#).expect("c");
    diff(&zeep, &lossy, "/r", &mut diffs);
    assert_eq!(diffs, [r#"/r/y[1]/z[2]: text: zeep "3", ours "4""#]);
}

#[test]
fn an_element_the_generated_types_do_not_know_is_caught() {
    let codec = CODECS
        .iter()
        .find(|c| c.module == "pre_fill_basic")
        .expect("listed");
    let zeep = xml::parse(
        r#"<Test xmlns="http://www.altinn.no/services/2009/10"><Unknown>kept?</Unknown></Test>"#,
    )
    .expect("parses");
    let caught = match (codec.roundtrip)(&zeep) {
        Err(_) => true,
        Ok(trip) => {
            let mut diffs = Vec::new();
            diff(
                &zeep,
                &xml::parse(&trip.xml).expect("ours parses"),
                "/Test",
                &mut diffs,
            );
            !diffs.is_empty()
        }
    };
    assert!(caught, "an unknown child was dropped without a trace");
}

#[test]
#[cfg_attr(
    not(all(peer_corpus, peer_python)),
    ignore = "needs the corpus and the Python venv: see `cargo xtask setup`"
)]
fn the_validator_reports_every_error_with_its_path() {
    let test = "the_validator_reports_every_error_with_its_path";
    let (corpus, py) = (require_corpus(test), python::require_python(test));
    let wsdl = corpus.join("altinn2/PreFillBasic/PreFillBasic.wsdl");
    let job = json!({"wsdl": wsdl, "documents": [
        {"id": "good", "xml": r#"<Test xmlns="http://www.altinn.no/services/2009/10"/>"#},
        {"id": "bad", "xml": r#"<Test xmlns="http://www.altinn.no/services/2009/10"><Bogus/></Test>"#},
    ]});
    let out = python::run_script(&py, "validate.py", &[], &job.to_string()).expect("runs");
    let results: Vec<Value> = serde_json::from_str(&out).expect("JSON");
    assert_eq!(results[0]["valid"], true, "{out}");
    assert_eq!(results[1]["valid"], false, "{out}");
    assert!(out.contains("Bogus"), "{out}");
}
