//! The `altinn-bridge` binary as a user runs it: exit codes, output, rendered diagnostics.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Writes a scratch file in a directory of this test process.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("altinn-bridge-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn inspect_without_paths_summarises_the_embedded_default() {
    let out = run(&["inspect"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("WSDL CorrespondenceAgencyExternalBasic"),
        "{stdout}"
    );
    assert!(
        stdout.contains("operation InsertCorrespondenceBasicV2"),
        "{stdout}"
    );
    assert!(
        stdout.contains("OpenAPI Altinn.Correspondence.API"),
        "{stdout}"
    );
    assert!(
        stdout.contains("POST /correspondence/api/v1/correspondence "),
        "{stdout}"
    );
}

#[test]
fn inspect_json_is_the_whole_model_and_deterministic() {
    let a = run(&["inspect", "--json"]);
    let b = run(&["inspect", "--json"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout, "two runs differ");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("valid JSON");
    let soap = v["soap"].as_array().expect("soap array");
    let rest = v["rest"].as_array().expect("rest array");
    assert!(
        !soap.is_empty() && !rest.is_empty(),
        "the embedded default has WSDLs and OpenAPI documents"
    );
    assert!(
        soap[0]["operations"]
            .as_array()
            .is_some_and(|o| !o.is_empty())
    );
    assert!(soap[0]["types"].as_object().is_some_and(|t| !t.is_empty()));
    assert!(
        rest[0]["endpoints"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
}

#[test]
fn malformed_xml_exits_non_zero_with_a_located_diagnostic() {
    let path = scratch("broken.wsdl", b"<definitions>\n  <types>\n</definitions>\n");
    let out = run(&["inspect", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains("error: malformed XML"), "{stderr}");
    assert!(stderr.contains("broken.wsdl:3:"), "{stderr}");
    assert!(
        stderr.contains("could not load the contracts due to 1 previous error"),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let out = run(&["inspect", "does/not/exist.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("cannot read `does/not/exist.json`"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn non_utf8_input_is_refused_with_its_position() {
    let path = scratch("latin1.wsdl", b"<a>\n  <b>bl\xE5b\xE6r</b>\n</a>\n");
    let out = run(&["inspect", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("is not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("latin1.wsdl:2:8"), "{stderr}");
    assert!(stderr.contains("byte 0xE5 is not UTF-8"), "{stderr}");
}
