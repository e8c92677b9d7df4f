//! Test peers seen from a build script: the real contracts in `../shared/corpus`, Prism, the
//! Python venv, node-soap. Each peer becomes a `cfg` that its tests are ignored without, with
//! the reason (`#[cfg_attr(not(peer_prism), ignore = "needs Prism: ...")]`), so a test whose peer
//! is missing is reported `ignored`, never `ok`.
//!
//! In CI (`CI` set) every peer's `cfg` is set whether or not it is found: the tests then run
//! and fail, naming what is missing. `cargo xtask test` sets every peer up first and fails if
//! any test was still ignored for want of one (the reasons start with `needs `).
//!
//! Shared by the build scripts of the tests crate and the CLI (`#[path]`).

use std::path::{Path, PathBuf};

/// What a build script knows about the peers of its package's tests.
pub struct Peers {
    workspace: PathBuf,
    required: bool,
}

impl Peers {
    /// Peers of a package in `workspace` (the checkout's root).
    pub fn new(workspace: &Path) -> Self {
        println!("cargo::rerun-if-env-changed=CI");
        Peers {
            workspace: workspace
                .canonicalize()
                .unwrap_or_else(|_| workspace.to_path_buf()),
            required: std::env::var_os("CI").is_some(),
        }
    }

    /// Declares `cfg(name)` and sets it when the peer is `present`, or in CI.
    pub fn declare(&self, name: &str, present: bool) {
        println!("cargo::rustc-check-cfg=cfg({name})");
        if present || self.required {
            println!("cargo::rustc-cfg={name}");
        }
    }

    /// Whether `rel`, a file inside the workspace that exists once the peer is set up (such as
    /// `tests/prism/node_modules/.bin/prism`), exists. Cargo reruns the script when it appears
    /// or goes.
    pub fn file(&self, rel: &str) -> bool {
        self.watch(&self.workspace.join(rel))
    }

    /// Whether the file `$var` names exists, else `rel` in the workspace (as [`Peers::file`]).
    pub fn file_or_env(&self, var: &str, rel: &str) -> bool {
        println!("cargo::rerun-if-env-changed={var}");
        match std::env::var_os(var) {
            Some(path) => self.watch(Path::new(&path)),
            None => self.file(rel),
        }
    }

    /// Whether the corpus is there: `$ALTINN_BRIDGE_CORPUS`, else `../shared/corpus` beside the
    /// checkout. It lies outside the checkout, so only the folder itself is watched, and only
    /// when it exists: a corpus added later is seen when `$ALTINN_BRIDGE_CORPUS` changes or the
    /// script reruns for another reason.
    pub fn corpus(&self) -> bool {
        println!("cargo::rerun-if-env-changed=ALTINN_BRIDGE_CORPUS");
        let dir = match std::env::var_os("ALTINN_BRIDGE_CORPUS") {
            Some(d) => PathBuf::from(d),
            None => self.workspace.join("../shared/corpus"),
        };
        let present = dir.is_dir();
        if present {
            println!("cargo::rerun-if-changed={}", dir.display());
        }
        present
    }

    /// Watches `path` and says whether it exists. A missing path would make Cargo rerun the
    /// script, and rebuild the tests, on every build; its nearest existing folder inside the
    /// workspace (scanned recursively by Cargo, small while the peer is missing) changes when
    /// it is created. Outside the workspace a missing path is not watched.
    fn watch(&self, path: &Path) -> bool {
        if path.exists() {
            println!("cargo::rerun-if-changed={}", path.display());
            return true;
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            if !d.starts_with(&self.workspace) || d == self.workspace {
                break;
            }
            if d.is_dir() {
                println!("cargo::rerun-if-changed={}", d.display());
                break;
            }
            dir = d.parent();
        }
        false
    }
}
