//! Helpers shared by the generator's integration tests (`mod support;` in each test file):
//! reading the shipped contracts, loading them cleanly, comparing what they keep with the public
//! contracts in `../shared/corpus`, and running `altinn-bridge check` on a manifest.
//!
//! Each helper asserts as strictly as the strictest of the copies it replaces; where tests need
//! something different (how many items a file keeps, which JSON keys are our own words, which
//! coverage line `check` prints), that is a parameter.

// Every test file compiles this module on its own and uses only part of it; the helpers a file
// does not call would otherwise trip `dead_code` there.
#![allow(dead_code)]

// The corpus helpers of the `altinn-bridge-tests` crate, compiled in here: that crate depends on
// altinn-bridge, so making it a dev-dependency would build altinn-bridge twice for a cycle.
// rustfmt::skip: that file belongs to the other crate and is formatted there.
#[path = "../../../../tests/src/lib.rs"]
#[rustfmt::skip]
pub mod corpus;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::embedded;
use altinn_bridge::load::{self, Limits};
use altinn_bridge::model::{Contract, SoapContract};

/// The XML Schema namespace.
pub const XS: &str = "http://www.w3.org/2001/XMLSchema";

// ---------------------------------------------------------------------------------------------
// The shipped files

/// The text of the shipped file `path` (as named in `embedded::FILES`); panics when the project
/// does not ship it, so a renamed or dropped file fails the test that reads it.
pub fn embedded_text(path: &str) -> &'static str {
    embedded::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("{path} is not in embedded::FILES"))
}

/// Loads `paths` (after `setup` registered what it needs) and fails with the rendered
/// diagnostics on any error or warning: the shipped contracts and fixtures must load cleanly.
pub fn load_clean(setup: impl FnOnce(&mut SourceMap) -> Vec<PathBuf>) -> Contract {
    let mut sources = SourceMap::new();
    let paths = setup(&mut sources);
    match load::load_paths(&mut sources, &paths, &Limits::default()) {
        Ok(loaded) => {
            assert!(
                loaded.warnings.is_empty(),
                "expected no warnings, got:\n{}",
                sources.render_all(&loaded.warnings)
            );
            loaded.value
        }
        Err(diags) => panic!(
            "expected a clean load, got:\n{}",
            sources.render_all(&diags)
        ),
    }
}

/// The whole embedded default (every shipped contract), loaded with no error or warning.
pub fn default_contract() -> Contract {
    load_clean(embedded::register)
}

/// The shipped files `paths` loaded on their own (the rest of the default registered but not
/// loaded), with no error or warning.
pub fn load_shipped(paths: &[&str]) -> Contract {
    load_clean(|sources| {
        embedded::register(sources);
        paths.iter().map(PathBuf::from).collect()
    })
}

/// The WSDL of `contract` loaded from `source`; panics when it was not loaded.
pub fn soap_from<'a>(contract: &'a Contract, source: &str) -> &'a SoapContract {
    contract
        .soap
        .iter()
        .find(|s| s.source == source)
        .unwrap_or_else(|| panic!("{source} is not in the loaded contract"))
}

// ---------------------------------------------------------------------------------------------
// Schema items against the corpus

/// A schema item's facts that must agree with the public contract, keyed by (namespace, kind,
/// name). `true` marks a content model whose members may be a subset (kept in order); `false`
/// facts must be equal.
pub type Items = BTreeMap<(String, String, String), (bool, Vec<String>)>;

/// `value` (a `prefix:local` reference written on `node`) in Clark notation, `{namespace}local`,
/// so that files binding other prefixes to the same namespace still compare equal.
pub fn resolve_qname(node: roxmltree::Node<'_, '_>, value: &str) -> String {
    let (prefix, local) = value
        .split_once(':')
        .map_or((None, value), |(p, l)| (Some(p), l));
    format!(
        "{{{}}}{local}",
        node.lookup_namespace_uri(prefix).unwrap_or("")
    )
}

/// Whether a member's `xmime:expectedContentTypes` (its MTOM content type) is one of the facts
/// compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mime {
    /// Compared, as every other fact of a member: the default for every shipped file.
    Compared,
    /// Left out, for a shipped file known to drop the content types of the public contract.
    Ignored,
}

/// Every named top-level item of every `xs:schema` in `text` (a WSDL or an XSD, a BOM allowed),
/// with the facts [`item_facts`] takes from it.
pub fn schema_items(text: &str, mime: Mime) -> Items {
    let doc = roxmltree::Document::parse(text.trim_start_matches('\u{feff}')).expect("well-formed");
    let mut items = Items::new();
    for schema in doc.descendants().filter(|n| n.has_tag_name((XS, "schema"))) {
        let ns = schema.attribute("targetNamespace").unwrap_or("").to_owned();
        for item in schema
            .children()
            .filter(|c| c.is_element() && c.attribute("name").is_some())
        {
            let kind = item.tag_name().name().to_owned();
            let name = item.attribute("name").unwrap_or("").to_owned();
            items.insert((ns.clone(), kind, name), item_facts(item, mime));
        }
    }
    items
}

/// The facts of one top-level schema item:
/// - a restriction of the item's own (a direct child, or under its own `simpleType` or
///   `simpleContent`; not one of a member's): its base and every facet with its value and the
///   DataContract `EnumerationValue` number (equal);
/// - else its element members, each with name, type, occurrences, nillable and
///   `expectedContentTypes` (MTOM, unless `mime` is [`Mime::Ignored`]), in order (may be a
///   subset);
/// - else (an element, attribute or type without members) its type and nillable (equal).
pub fn item_facts(item: roxmltree::Node<'_, '_>, mime: Mime) -> (bool, Vec<String>) {
    let attr = |n: roxmltree::Node<'_, '_>, a: &str, default: &str| {
        n.attribute(a).unwrap_or(default).to_owned()
    };
    let own_restriction = item.descendants().find(|d| {
        d.has_tag_name((XS, "restriction"))
            && d.ancestors().skip(1).take_while(|a| a != &item).all(|a| {
                a.has_tag_name((XS, "simpleType")) || a.has_tag_name((XS, "simpleContent"))
            })
    });
    if let Some(restriction) = own_restriction {
        let mut facts = vec![resolve_qname(
            restriction,
            restriction.attribute("base").unwrap_or(""),
        )];
        for facet in restriction.children().filter(|c| c.is_element()) {
            let numeric: String = facet
                .descendants()
                .filter(|d| d.tag_name().name() == "EnumerationValue")
                .filter_map(|d| d.text())
                .map(str::trim)
                .collect();
            facts.push(format!(
                "{}={} {numeric}",
                facet.tag_name().name(),
                attr(facet, "value", "")
            ));
        }
        return (false, facts);
    }
    let members: Vec<String> = item
        .descendants()
        .filter(|d| *d != item && d.has_tag_name((XS, "element")))
        .map(|e| {
            let ty = e
                .attribute("type")
                .map(|t| resolve_qname(e, t))
                .unwrap_or_default();
            let mime = match mime {
                Mime::Compared => e
                    .attributes()
                    .find(|a| a.name() == "expectedContentTypes")
                    .map_or("", |a| a.value()),
                Mime::Ignored => "",
            };
            format!(
                "{} {ty} {}..{} nillable={} mime={mime}",
                attr(e, "name", ""),
                attr(e, "minOccurs", "1"),
                attr(e, "maxOccurs", "1"),
                attr(e, "nillable", "false"),
            )
        })
        .collect();
    if members.is_empty() {
        let ty = item
            .attribute("type")
            .map(|t| resolve_qname(item, t))
            .unwrap_or_default();
        return (false, vec![ty, attr(item, "nillable", "false")]);
    }
    (true, members)
}

/// Whether `ours` is `theirs` with some entries left out, the rest in the same order.
pub fn is_subsequence(ours: &[String], theirs: &[String]) -> bool {
    let mut rest = theirs.iter();
    ours.iter().all(|o| rest.any(|t| t == o))
}

/// Asserts that every item in `ours` is in `theirs` and agrees with it: a reduced model may
/// leave items and members out, but what it keeps must be the public contract's (a client built
/// on the shipped files must talk to the real service). `label` names the shipped file(s).
pub fn assert_items_agree(label: &str, ours: &Items, theirs: &Items) {
    for (key, (partial, facts)) in ours {
        let (_, real_facts) = theirs
            .get(key)
            .unwrap_or_else(|| panic!("{label}: {key:?} is not in the public contract"));
        if *partial {
            assert!(
                is_subsequence(facts, real_facts),
                "{label}: {key:?}\n ours:   {facts:?}\n theirs: {real_facts:?}"
            );
        } else {
            assert_eq!(facts, real_facts, "{label}: {key:?}");
        }
    }
}

/// [`assert_items_agree`] (every fact, [`Mime::Compared`]) for the shipped file `shipped` and the
/// real one at `corpus_file`, after
/// asserting that the shipped file keeps at least `at_least` items (it must stay a substantial
/// model, not shrink to nothing). Returns (ours, theirs) for further checks.
pub fn assert_kept_items_agree(
    shipped: &str,
    corpus_file: &Path,
    at_least: usize,
) -> (Items, Items) {
    let theirs = schema_items(
        &std::fs::read_to_string(corpus_file).expect("readable corpus WSDL"),
        Mime::Compared,
    );
    let ours = schema_items(embedded_text(shipped), Mime::Compared);
    assert!(
        ours.len() >= at_least,
        "{shipped}: schema items kept: {}",
        ours.len()
    );
    assert_items_agree(shipped, &ours, &theirs);
    (ours, theirs)
}

// ---------------------------------------------------------------------------------------------
// OpenAPI documents against the corpus

/// `v` without the object keys `left_out` at any depth: the words that are ours (`description`)
/// and the keywords a reduced document says it leaves out.
pub fn without_keys(v: &serde_json::Value, left_out: &[&str]) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !left_out.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), without_keys(v, left_out)))
            .collect(),
        serde_json::Value::Array(a) => a.iter().map(|v| without_keys(v, left_out)).collect(),
        other => other.clone(),
    }
}

/// Reads the OpenAPI document `corpus_file` of the corpus (a BOM allowed) as JSON.
pub fn corpus_json(corpus_file: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(corpus_file).expect("readable corpus document");
    serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("JSON")
}

/// Whether a shipped operation's request body must equal the published one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestBodies {
    /// Equal, apart from the keys left out: the default for a shipped document.
    Equal,
    /// Not compared, for a document that keeps a reduced body (a multipart form with fewer
    /// fields, a binary body written with its own `type`).
    Reduced,
}

/// Asserts that what the shipped OpenAPI document `ours` (named `label`) keeps is the published
/// `theirs`, apart from the keys `left_out`: every component schema exists and is equal; every
/// operation exists with equal parameters (and request body, with [`RequestBodies::Equal`]),
/// and every response status it answers exists with equal content. A client generated from the
/// shipped document must speak to the real service.
pub fn assert_openapi_agrees(
    label: &str,
    ours: &serde_json::Value,
    theirs: &serde_json::Value,
    left_out: &[&str],
    request_bodies: RequestBodies,
) {
    let strip = |v: &serde_json::Value| without_keys(v, left_out);
    for (name, schema) in ours["components"]["schemas"].as_object().expect("schemas") {
        let real_schema = &theirs["components"]["schemas"][name];
        assert!(
            !real_schema.is_null(),
            "{label}: schema {name} is not in the public contract"
        );
        assert_eq!(strip(schema), strip(real_schema), "{label}: schema {name}");
    }
    for (path, item) in ours["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let real_op = &theirs["paths"][path][method];
            assert!(
                !real_op.is_null(),
                "{label}: {method} {path} is not in the public contract"
            );
            assert_eq!(
                strip(&op["parameters"]),
                strip(&real_op["parameters"]),
                "{label}: {method} {path} parameters"
            );
            if request_bodies == RequestBodies::Equal {
                assert_eq!(
                    strip(&op["requestBody"]),
                    strip(&real_op["requestBody"]),
                    "{label}: {method} {path} body"
                );
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                let real_response = &real_op["responses"][status];
                assert!(
                    !real_response.is_null(),
                    "{label}: {method} {path} answers {status}"
                );
                assert_eq!(
                    strip(&response["content"]),
                    strip(&real_response["content"]),
                    "{label}: {method} {path} {status} content"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The binary

/// The repository root, where the manifests' relative paths start.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `altinn-bridge ARGS` from the repository root.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
        .current_dir(repo_root())
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs `altinn-bridge check ARGS`: whether it succeeded, and its standard output and error
/// together (the coverage table and the diagnostics).
pub fn check(args: &[&str]) -> (bool, String) {
    let out = run(&[&["check"], args].concat());
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The corpus as a `--contracts` argument (absolute, since `check` runs from the repository
/// root), for a test that needs the corpus (see [`corpus::require_corpus`]).
pub fn corpus_contracts(test: &str) -> String {
    let dir = corpus::require_corpus(test);
    let dir = dir.canonicalize().expect("corpus directory");
    dir.to_str().expect("UTF-8 path").to_owned()
}

/// The coverage line `check` prints when a manifest links `linked` operations, says of
/// `without` that they have no successor, and leaves none of the contract's out.
pub fn coverage(linked: usize, without: usize) -> String {
    format!("{linked} linked, {without} without successor, 0 not in the manifest")
}

/// Runs `altinn-bridge check EXTRA MANIFEST` and asserts the manifest is complete: `check`
/// succeeds with no error, prints `coverage` (when given), leaves no SOAP operation out of the
/// manifest and no input field unresolved. Returns the output for further checks.
pub fn assert_check_complete(manifest: &str, extra: &[&str], coverage: Option<&str>) -> String {
    let (ok, out) = check(&[extra, &[manifest]].concat());
    assert!(ok, "{manifest} {extra:?}:\n{out}");
    if let Some(coverage) = coverage {
        assert!(
            out.contains(coverage),
            "{manifest} {extra:?}: expected `{coverage}` in:\n{out}"
        );
    }
    assert!(
        out.contains(" 0 not in the manifest"),
        "{manifest} {extra:?}:\n{out}"
    );
    assert!(
        out.contains(", 0 unresolved"),
        "{manifest} {extra:?}:\n{out}"
    );
    assert!(!out.contains("error"), "{manifest} {extra:?}:\n{out}");
    out
}
