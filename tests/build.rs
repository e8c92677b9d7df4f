//! Which test peers are installed, as `cfg`s the tests are ignored without (see
//! `build/peers.rs`): a test whose peer is missing is reported `ignored` with the reason.
//! `cargo xtask setup` installs them all; in CI (`CI` set) every test runs.
//!
//! A new peer: a `declare` line here, and `#[cfg_attr(not(peer_x), ignore = "needs X: ...")]`
//! on its tests (the reason starts with `needs `, which `cargo xtask test` looks for).

#[path = "build/peers.rs"]
mod peers;

#[path = "build/docs_site.rs"]
mod docs_site;

use std::path::PathBuf;

fn main() {
    // Read at run time: `env!` would bake in the path of whichever checkout built the script.
    let package = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let peers = peers::Peers::new(&package.join(".."));
    peers.declare("peer_corpus", peers.corpus());
    peers.declare(
        "peer_prism",
        peers.file("tests/prism/node_modules/.bin/prism"),
    );
    peers.declare(
        "peer_python",
        peers.file_or_env("ALTINN_BRIDGE_PYTHON", "tests/zeep/.venv/bin/python"),
    );
    peers.declare(
        "peer_node_soap",
        peers.file("tests/node-soap/node_modules/soap/package.json"),
    );
    docs_site::declare(&package.join(".."));
}
