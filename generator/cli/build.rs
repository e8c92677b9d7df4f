//! Whether the real contracts (`../shared/corpus`) are there, as `cfg(peer_corpus)`: the tests
//! that compare the shipped default with them are ignored without it, with the reason (see
//! `tests/build/peers.rs`).

// Only the corpus is a peer of the CLI's tests; the other probes go unused here.
#[allow(dead_code)]
#[path = "../../tests/build/peers.rs"]
mod peers;

use std::path::PathBuf;

fn main() {
    // Read at run time: `env!` would bake in the path of whichever checkout built the script.
    let package = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let peers = peers::Peers::new(&package.join("../.."));
    peers.declare("peer_corpus", peers.corpus());
}
