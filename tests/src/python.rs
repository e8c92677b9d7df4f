//! The Python venv that holds the real SOAP client (zeep) and the schema validator (xmlschema),
//! and running the scripts in `tests/zeep` with it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The folder of the Python scripts (`tests/zeep`).
pub fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("zeep")
}

/// The venv's python: `$ALTINN_BRIDGE_PYTHON`, else `tests/zeep/.venv/bin/python` (where
/// `cargo xtask setup` creates it from `tests/zeep/requirements.txt`). `None` when that file does
/// not exist.
pub fn python() -> Option<PathBuf> {
    let path = match std::env::var_os("ALTINN_BRIDGE_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => scripts_dir().join(".venv/bin/python"),
    };
    path.is_file().then_some(path)
}

/// The venv's python, for a test marked
/// `#[cfg_attr(not(peer_python), ignore = "needs the Python venv: ...")]` (see
/// [`crate::require`]).
pub fn require_python(test: &str) -> PathBuf {
    crate::require(
        test,
        python(),
        "the Python venv with zeep and xmlschema (run `cargo xtask setup`, or set $ALTINN_BRIDGE_PYTHON)",
    )
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
