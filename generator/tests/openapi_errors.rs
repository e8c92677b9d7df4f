//! The OpenAPI loader on broken and hostile input: every error is a diagnostic with the right
//! message and file:line:column, never a panic, a hang or unbounded memory.

use std::path::Path;
use std::time::{Duration, Instant};

use altinn_bridge::diag::{Diagnostics, SourceMap};
use altinn_bridge::load::{Limits, openapi};

/// Loads `text` as the in-memory file `name`; returns the first error's message, its
/// `file:line:column` and its notes, plus the rendered diagnostics.
fn fail_with(name: &str, text: &str, limits: &Limits) -> (String, String, Vec<String>, String) {
    let mut sources = SourceMap::new();
    sources.register_virtual(name, text);
    let diags: Diagnostics = match openapi::load(&mut sources, Path::new(name), limits) {
        Ok(_) => panic!("{name} loaded but should not"),
        Err(d) => d,
    };
    let e = diags.errors().next().expect("an error").clone();
    let at = e
        .primary
        .as_ref()
        .map(|l| sources.location(l.span).to_string())
        .unwrap_or_default();
    (e.message, at, e.notes, sources.render_all(&diags))
}

fn fail(name: &str, text: &str) -> (String, String, Vec<String>, String) {
    fail_with(name, text, &Limits::default())
}

#[test]
fn malformed_json_points_at_the_bad_token() {
    let (msg, at, notes, out) = fail("bad.json", "{\n  \"openapi\": \"3.0.0\",\n  \"info\": }\n");
    assert_eq!(msg, "malformed JSON: expected value");
    assert_eq!(at, "bad.json:3:11");
    assert_eq!(notes, ["expected a well-formed JSON document (RFC 8259)"]);
    assert!(out.contains("\"info\": }"), "{out}");
}

#[test]
fn malformed_yaml_points_at_the_bad_token() {
    let (msg, at, _, _) = fail(
        "bad.yaml",
        "openapi: 3.1.0\ninfo:\n  title: x\n   version: 1\n",
    );
    assert!(
        msg.starts_with("malformed YAML: mapping values are not allowed in this context"),
        "{msg}"
    );
    assert_eq!(at, "bad.yaml:4:11");
}

const DANGLING_JSON: &str = r##"{
  "openapi": "3.0.1",
  "info": {"title": "t", "version": "1"},
  "paths": {},
  "components": {"schemas": {
    "A": {"type": "object", "properties": {
      "b": {"$ref": "#/components/schemas/Nope"}
    }}
  }}
}"##;

#[test]
fn dangling_ref_names_the_ref_and_points_at_its_value() {
    let (msg, at, notes, _) = fail("dangling.json", DANGLING_JSON);
    assert_eq!(
        msg,
        "dangling $ref `#/components/schemas/Nope`: nothing is defined there"
    );
    assert_eq!(at, "dangling.json:7:21");
    assert_eq!(
        notes,
        ["expected a reference to a schema of this document, e.g. `#/components/schemas/Name`"]
    );
}

#[test]
fn dangling_ref_in_yaml_parameter_is_found_by_line() {
    let text = "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /x:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Gone'\n      responses:\n        '200':\n          description: ok\n";
    let (msg, at, _, _) = fail("dangling.yaml", text);
    assert_eq!(
        msg,
        "dangling $ref `#/components/parameters/Gone`: no parameter is defined there"
    );
    assert_eq!(at, "dangling.yaml:9:17");
}

#[test]
fn missing_openapi_field_and_unsupported_versions_are_refused() {
    let (msg, at, notes, _) = fail(
        "none.json",
        "{\"info\": {\"title\": \"t\", \"version\": \"1\"}}",
    );
    assert_eq!(
        msg,
        "not an OpenAPI document: the `openapi` field is missing"
    );
    assert_eq!(at, "none.json:1:1");
    assert_eq!(
        notes,
        ["expected `openapi: 3.0.x` or `openapi: 3.1.x` at the top level"]
    );

    let (msg, at, notes, _) = fail("swagger.json", "{\n  \"swagger\": \"2.0\", \"info\": {}}");
    assert_eq!(msg, "Swagger 2.0 documents are not supported");
    assert_eq!(at, "swagger.json:2:14");
    assert!(notes[0].contains("convert it first"), "{notes:?}");

    let (msg, at, _, _) = fail(
        "v4.yaml",
        "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    assert_eq!(msg, "unsupported OpenAPI version `4.0.0`");
    assert_eq!(at, "v4.yaml:1:10");
}

#[test]
fn wrong_type_for_a_known_field_is_located() {
    // In a schema: read by the converter, exact position.
    let text = "{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {},\n \"components\": {\"schemas\": {\"A\": {\"type\": \"object\", \"required\": \"id\"}}}}";
    let (msg, at, notes, _) = fail("wrong.json", text);
    assert_eq!(msg, "wrong type for `required`: found a string");
    assert_eq!(at, "wrong.json:2:65");
    assert_eq!(notes, ["expected an array of property names"]);

    // In a parameter: openapiv3's message, at the parameter object that does not read.
    let text = "{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"paths\": {\"/x\": {\"get\": {\n  \"parameters\": [{\"name\": \"a\", \"in\": \"query\", \"required\": \"yes\", \"schema\": {\"type\": \"string\"}}],\n  \"responses\": {}}}}}";
    let (msg, at, _, _) = fail("param.json", text);
    assert_eq!(
        msg,
        "invalid OpenAPI object: invalid type: string \"yes\", expected a boolean"
    );
    assert_eq!(at, "param.json:3:18");
}

#[test]
fn yaml_billion_laughs_is_refused_quickly() {
    let mut text = String::from(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let start = Instant::now();
    let (msg, at, notes, _) = fail("lol.yaml", &text);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(msg, "document expands to more than 2000000 values");
    assert!(at.starts_with("lol.yaml:"), "{at}");
    assert!(notes[0].contains("billion laughs"), "{notes:?}");
}

#[test]
fn wide_yaml_alias_expansion_hits_the_value_limit() {
    // Few aliases of one big anchor: the parser's own repetition guard does not fire, the value
    // budget does.
    let items = vec!["1"; 2000].join(", ");
    let refs = vec!["*big"; 200].join(", ");
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nbig: &big [{items}]\nmany: [{refs}]\n"
    );
    let limits = Limits {
        max_json_nodes: 100_000,
        ..Limits::default()
    };
    let (msg, at, _, _) = fail_with("wide.yaml", &text, &limits);
    assert_eq!(msg, "document expands to more than 100000 values");
    // yaml_serde reports the position inside the anchor being replayed.
    assert!(at.starts_with("wide.yaml:3:"), "{at}");
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!(
        "{{\"openapi\": \"3.0.0\", \"x\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (msg, at, _, _) = fail("deep.json", &deep);
    assert_eq!(msg, "document nested deeper than 127 levels");
    assert_eq!(at, "deep.json:1:153");

    let deep = format!(
        "openapi: 3.1.0\nx: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (msg, at, _, _) = fail("deep.yaml", &deep);
    assert_eq!(msg, "document nested deeper than 127 levels");
    assert!(at.starts_with("deep.yaml:2:"), "{at}");
}

#[test]
fn non_utf8_file_gets_the_reader_error() {
    let dir = std::env::temp_dir().join(format!("altinn-bridge-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("latin1.json");
    std::fs::write(
        &path,
        b"{\"openapi\": \"3.0.0\",\n \"info\": {\"title\": \"Bl\xe5b\xe6r\"}}",
    )
    .unwrap();
    let mut sources = SourceMap::new();
    let diags = openapi::load(&mut sources, &path, &Limits::default()).unwrap_err();
    let e = diags.errors().next().unwrap();
    assert!(
        e.message.ends_with("latin1.json` is not valid UTF-8"),
        "{}",
        e.message
    );
    let loc = sources.location(e.primary.as_ref().unwrap().span);
    assert_eq!((loc.line, loc.column), (2, 23));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn schemas_that_only_refer_to_each_other_are_refused_with_every_member() {
    let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n    C:\n      $ref: '#/components/schemas/A'\n    D:\n      type: string\n    E:\n      $ref: '#/components/schemas/D'\n";
    let (msg, at, notes, out) = fail("cycle.yaml", text);
    assert_eq!(
        msg,
        "the schemas `A`, `B` are only references to each other: no type is ever reached"
    );
    assert_eq!(at, "cycle.yaml:9:13");
    assert!(
        out.contains("cycle.yaml:11:13")
            || out.contains("11 │       $ref: '#/components/schemas/A'"),
        "{out}"
    );
    assert!(out.contains("`B` refers to `A`"), "{out}");
    assert_eq!(
        notes,
        ["expected a chain of references to end in a schema with a type"]
    );
    // One error for the cycle; C (into it) and E (out to a type) are not cycles themselves.
    assert_eq!(
        out.matches("are only references to each other").count(),
        1,
        "{out}"
    );
}
