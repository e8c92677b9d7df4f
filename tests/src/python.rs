//! The Python venv that holds the real SOAP client (zeep) and the schema validator (xmlschema),
//! and running the scripts in `tests/zeep` with it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (the parent of `tests/`).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The folder of the Python scripts (`tests/zeep`).
pub fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("zeep")
}

/// The venv's python: `$ALTINN_BRIDGE_PYTHON`, else `<workspace>/target/py-venv/bin/python`
/// (where `.ci/run` creates it). `None` when that file does not exist.
pub fn python() -> Option<PathBuf> {
    let path = match std::env::var_os("ALTINN_BRIDGE_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => workspace().join("target/py-venv/bin/python"),
    };
    path.is_file().then_some(path)
}

/// The venv's python, or `None` after a loud skip notice naming the test. In CI (`CI` set) a
/// missing venv is a failure: `.ci/run` always creates it.
pub fn python_or_skip(test: &str) -> Option<PathBuf> {
    let py = python();
    if py.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: no Python venv in CI (expected target/py-venv or $ALTINN_BRIDGE_PYTHON)"
        );
        eprintln!(
            "\n*** SKIPPED {test}: no Python venv at target/py-venv and $ALTINN_BRIDGE_PYTHON is unset \
             (python3 -m venv target/py-venv && target/py-venv/bin/pip install -r tests/zeep/requirements.txt) ***\n"
        );
    }
    py
}

/// Runs `tests/zeep/<script>` with `args`, feeding `stdin`; returns stdout, or an error that
/// carries the command and its stderr so a failing test says why.
pub fn run_script(
    python: &Path,
    script: &str,
    args: &[&str],
    stdin: &str,
) -> Result<String, String> {
    let mut child = Command::new(python)
        .arg(scripts_dir().join(script))
        .args(args)
        .current_dir(scripts_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.as_bytes())
            .map_err(|e| format!("{script}: writing stdin: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{script}: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "{script} {args:?} failed ({}):\n{}\n{stdout}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(stdout)
}
