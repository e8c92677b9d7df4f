//! `cargo xtask`: the project's chores, in Rust so they run wherever Cargo does.
//!
//! - `cargo xtask test [ARGS]`: sets up every test peer (see [`peers`]), then runs
//!   `cargo test --workspace ARGS` and fails if any test was ignored for want of a peer. The one
//!   command a fresh machine needs; `.ci/run` calls it.
//! - `cargo xtask setup`: only the peers.
//! - `cargo xtask sync-assets`: copies the top-level `wsdl/`, `openapi/` and `templates/` into
//!   `generator/assets/`, which the published generator embeds (see [`assets`]).
//!
//! Plain `cargo test --workspace` still runs every test whose peers are present and reports the
//! others as ignored, with the reason.

mod assets;
mod peers;
mod run;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test [ARGS]    set up every test peer, then `cargo test --workspace ARGS`; fails if a peer
                 cannot be set up or a test was ignored for want of one
  setup          set up every test peer only (Hugo, the Python venv, the npm packages, ...)
  sync-assets    copy templates/, wsdl/ and openapi/ into generator/assets/";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run(&root, &args[1..]),
        Some("setup") => peers::setup(&root),
        Some("sync-assets") => assets::sync(&root),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The checkout's root (this package's parent).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
