//! `cargo xtask test`: every peer set up, then every test run; a test ignored for want of a
//! peer fails the run.
//!
//! The tests mark what they need with `#[cfg_attr(not(peer_x), ignore = "needs X: ...")]` (see
//! `tests/build/peers.rs`); libtest prints such a test as `test NAME ... ignored, needs X: ...`.
//! After the setup none may be left: if one is, a peer did not install as it should.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::peers;

/// What libtest prints after the name of a test ignored for want of a peer.
const PEER_MISSING: &str = " ... ignored, needs ";

/// Sets the peers up, then runs `cargo test --workspace --no-fail-fast ARGS`, echoing its output.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let start = Instant::now();
    peers::setup(root)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(cargo)
        .current_dir(root)
        // Every failure shows, not only the first test binary's.
        .args(["test", "--workspace", "--no-fail-fast"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    let mut unrun = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            if line.contains(PEER_MISSING) {
                unrun.push(line);
            }
        }
    }
    let status = child.wait().map_err(|e| format!("cargo test: {e}"))?;
    let minutes = start.elapsed().as_secs_f64() / 60.0;
    if !status.success() {
        return Err(format!(
            "cargo test failed ({status}) after {minutes:.1} min"
        ));
    }
    if !unrun.is_empty() {
        return Err(format!(
            "{} test(s) did not run for want of a peer, after setup:\n  {}",
            unrun.len(),
            unrun.join("\n  ")
        ));
    }
    println!("every test ran: {minutes:.1} min including the setup");
    Ok(())
}
