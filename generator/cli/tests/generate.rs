//! `altinn-bridge generate` and the `Builder`: the committed adapters are current, `--check`
//! catches hand edits, and a build script gets byte-for-byte the committed files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn committed() -> PathBuf {
    workspace().join("output-examples/src/generated")
}

fn generate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
        .current_dir(workspace())
        .arg("generate")
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A copy of the committed output (the modules and the contract copies under `contracts/`) in
/// a directory of this test process.
fn scratch_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("altinn-bridge-gen-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&committed(), &dir);
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("temp dir");
    for entry in std::fs::read_dir(from).expect("committed output") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, target).expect("copy");
        }
    }
}

/// Every file under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path.strip_prefix(dir).expect("under").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_fails_after_a_hand_edit_and_passes_after_regenerating() {
    let dir = scratch_copy("check");
    let out = dir.to_string_lossy().into_owned();
    let first = generate(&["--check", "--out", &out]);
    assert!(
        first.status.success(),
        "committed output is stale: {}",
        stderr(&first)
    );

    let edited = dir.join("pre_fill_basic.rs");
    let text = std::fs::read_to_string(&edited).expect("generated file");
    std::fs::write(&edited, text.replace("pub struct", "pub(crate) struct")).expect("edit");
    let stale = generate(&["--check", "--out", &out]);
    assert!(!stale.status.success());
    assert!(
        stderr(&stale).contains("stale: ") && stderr(&stale).contains("pre_fill_basic.rs"),
        "{}",
        stderr(&stale)
    );
    assert_eq!(
        std::fs::read_to_string(&edited)
            .ok()
            .map(|t| t.contains("pub(crate)")),
        Some(true),
        "--check must not write"
    );

    let regen = generate(&["--out", &out]);
    assert!(regen.status.success(), "{}", stderr(&regen));
    let unchanged = files_under(&committed()).len() - 1;
    let said = String::from_utf8_lossy(&regen.stdout).into_owned();
    assert!(
        said.contains(&format!("wrote 1 file(s), {unchanged} unchanged")),
        "{said}"
    );
    assert!(generate(&["--check", "--out", &out]).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn builder_writes_the_committed_files_and_nothing_else() {
    let dir = std::env::temp_dir().join(format!("altinn-bridge-builder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut manifests: Vec<PathBuf> = std::fs::read_dir(workspace().join("mappings"))
        .expect("mappings")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    manifests.sort();
    // The header names the manifest as given, so give the same relative paths the CLI uses.
    let relative: Vec<PathBuf> = manifests
        .iter()
        .map(|p| Path::new("mappings").join(p.file_name().expect("name")))
        .collect();
    std::env::set_current_dir(workspace()).expect("cd");
    let outcome = altinn_bridge::Builder::new()
        .manifests(&relative)
        .out_dir(&dir)
        .quiet(true)
        .generate()
        .expect("generates");
    // Every committed file (modules, mod.rs, the contract copies the facades serve) is written.
    assert_eq!(outcome.changed.len(), files_under(&committed()).len());
    for path in &outcome.changed {
        let name = path.strip_prefix(&dir).expect("under the out dir");
        let ours = std::fs::read_to_string(path).expect("written");
        let theirs = std::fs::read_to_string(committed().join(name)).expect("committed");
        assert!(
            ours == theirs,
            "{} differs from the committed file",
            name.display()
        );
    }
    let again = altinn_bridge::Builder::new()
        .manifests(&relative)
        .out_dir(&dir)
        .quiet(true)
        .generate()
        .expect("generates");
    assert!(
        again.changed.is_empty(),
        "a second run rewrote {:?}",
        again.changed
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn builder_reports_every_manifest_and_contract_it_read() {
    let manifest = workspace().join("mappings/correspondence-agency-external-basic.toml");
    let generated = altinn_bridge::Builder::new()
        .manifest(&manifest)
        .render()
        .expect("generates");
    let names: Vec<String> = generated
        .inputs
        .iter()
        .filter_map(|p| Some(p.file_name()?.to_string_lossy().into_owned()))
        .collect();
    for expected in [
        "correspondence-agency-external-basic.toml",
        "CorrespondenceAgencyExternalBasic.wsdl",
        "altinn-correspondence-v1.json",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in {names:?}"
        );
    }
    assert!(
        generated.inputs.iter().all(|p| p.exists()),
        "{:?}",
        generated.inputs
    );
    let modules = generated
        .files
        .keys()
        .filter(|k| k.ends_with(".rs"))
        .count();
    assert_eq!(
        modules,
        2,
        "one module and mod.rs: {:?}",
        generated.files.keys()
    );
}

#[test]
fn builder_without_out_dir_outside_a_build_script_is_an_error() {
    if std::env::var_os("OUT_DIR").is_some() {
        return;
    }
    let err = altinn_bridge::Builder::new().quiet(true).generate();
    assert!(
        matches!(err, Err(altinn_bridge::Error::NoOutDir)),
        "{err:?}"
    );
}

#[test]
fn missing_manifest_is_reported_not_panicked() {
    let o = generate(&["no/such/manifest.toml", "--check"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("manifest.toml"), "{}", stderr(&o));
}

#[test]
fn every_module_file_can_be_included_inside_a_module() {
    // `include!` refuses inner attributes, which a build script's user would hit.
    for entry in std::fs::read_dir(committed()).expect("committed output") {
        let path = entry.expect("entry").path();
        if path.is_dir() || path.file_name().is_some_and(|n| n == "mod.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let wrapped = format!("pub mod included {{\n{text}\n}}");
        let file = syn::parse_file(&wrapped).expect("parses");
        let syn::Item::Mod(m) = &file.items[0] else {
            panic!("not a module")
        };
        let inner = m
            .attrs
            .iter()
            .any(|a| matches!(a.style, syn::AttrStyle::Inner(_)));
        assert!(!inner, "{} has inner attributes", path.display());
    }
}
