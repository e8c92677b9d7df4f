//! `cargo xtask setup`: every peer the tests start, set up from the pins in the repository.
//!
//! - system tools from Debian's apt when missing: Hugo (the docs site), OpenSSL (test
//!   certificates), Chromium when `tests/browser` exists;
//! - the Python venv with zeep and xmlschema, `tests/zeep/.venv`, from
//!   `tests/zeep/requirements.txt` (rebuilt when the pins change);
//! - `npm ci` in every folder with a `package-lock.json` (Prism, node-soap, Mermaid, ... and any
//!   package folder added later), skipped while the lockfile is unchanged since the last one;
//! - the real contracts (`../shared/corpus` or `$ALTINN_BRIDGE_CORPUS`) cannot be installed:
//!   their absence is an error.
//!
//! Each step fails loudly; nothing is skipped quietly. The tests see the peers through
//! `tests/build/peers.rs`.

use std::path::{Path, PathBuf};

use crate::run::{is_root, on_path, run};

/// A system tool the tests need, and the Debian package that provides it.
struct Tool {
    command: &'static str,
    package: &'static str,
    /// Only when this folder exists (the tests that need the tool live there).
    when: Option<&'static str>,
}

const TOOLS: [Tool; 3] = [
    Tool {
        command: "hugo",
        package: "hugo",
        when: None,
    },
    Tool {
        command: "openssl",
        package: "openssl",
        when: None,
    },
    Tool {
        command: "chromium",
        package: "chromium",
        when: Some("tests/browser"),
    },
];

/// Sets every peer up; an error names the first that cannot be.
pub fn setup(root: &Path) -> Result<(), String> {
    system_tools(root)?;
    for tool in ["node", "npm", "python3"] {
        if on_path(tool).is_none() {
            return Err(format!(
                "`{tool}` is not installed: install Node.js 20+ and Python 3.11+ first"
            ));
        }
    }
    python_venv(root)?;
    for dir in npm_packages(root) {
        npm_ci(&dir)?;
    }
    let corpus = corpus(root)?;
    println!("peers ready (corpus: {})", corpus.display());
    Ok(())
}

/// Installs the missing system tools with one `apt-get install`.
fn system_tools(root: &Path) -> Result<(), String> {
    let missing: Vec<&str> = TOOLS
        .iter()
        .filter(|t| t.when.is_none_or(|dir| root.join(dir).is_dir()))
        .filter(|t| on_path(t.command).is_none())
        .map(|t| t.package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if on_path("apt-get").is_none() {
        return Err(format!(
            "missing {} and no apt-get to install them",
            missing.join(", ")
        ));
    }
    // Without --no-install-recommends Debian's hugo also pulls a Go toolchain (~335 MB).
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(&missing);
    if is_root() {
        run(root, "apt-get", &["update", "-q"])?;
        run(root, "apt-get", &install)
    } else {
        run(root, "sudo", &["apt-get", "update", "-q"])?;
        let mut sudo = vec!["apt-get"];
        sudo.extend(install);
        run(root, "sudo", &sudo)
    }
}

/// `tests/zeep/.venv` with the pinned zeep and xmlschema; rebuilt when the pins change (a copy
/// of the requirements it was built from stays inside it).
fn python_venv(root: &Path) -> Result<(), String> {
    let dir = root.join("tests/zeep");
    let pins = dir.join("requirements.txt");
    let stamp = dir.join(".venv/requirements.txt");
    if same_file_content(&pins, &stamp) {
        return Ok(());
    }
    run(&dir, "python3", &["-m", "venv", "--clear", ".venv"])?;
    run(
        &dir,
        dir.join(".venv/bin/pip"),
        &["install", "-q", "-r", "requirements.txt"],
    )?;
    run(
        &dir,
        dir.join(".venv/bin/python"),
        &["-c", "import zeep, xmlschema"],
    )?;
    std::fs::copy(&pins, &stamp).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(())
}

/// Every folder of the checkout with a `package-lock.json` (build output, `.git` and
/// `node_modules` left out), sorted.
fn npm_packages(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() && !matches!(name.to_str(), Some("target" | "node_modules" | ".git")) {
                todo.push(path);
            } else if name == "package-lock.json" {
                out.push(dir.clone());
            }
        }
    }
    out.sort();
    out
}

/// `npm ci` in `dir` unless its `node_modules` was installed from this very lockfile.
fn npm_ci(dir: &Path) -> Result<(), String> {
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.xtask-package-lock.json");
    if same_file_content(&lock, &stamp) {
        return Ok(());
    }
    run(dir, "npm", &["ci", "--no-audit", "--no-fund", "--silent"])?;
    std::fs::copy(&lock, &stamp).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(())
}

/// The real contracts: `$ALTINN_BRIDGE_CORPUS`, else `../shared/corpus` beside the checkout.
fn corpus(root: &Path) -> Result<PathBuf, String> {
    let dir = std::env::var_os("ALTINN_BRIDGE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(format!(
            "no corpus at {}: the real Altinn contracts are not part of the project; put them \
             at ../shared/corpus beside the checkout or set ALTINN_BRIDGE_CORPUS",
            dir.display()
        ))
    }
}

fn same_file_content(a: &Path, b: &Path) -> bool {
    matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}
