//! A self-signed server certificate for `localhost` and 127.0.0.1, made by openssl, for tests
//! that run the facade with `[tls]` (also included by the tests crate's end-to-end tests).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `cert.pem` and `key-tls.pem` into `dir`; returns their paths.
pub fn self_signed(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key-tls.pem"));
    let out = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        // A server certificate, not a CA: rustls refuses a CA certificate as a server's.
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-addext", "extendedKeyUsage=serverAuth"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

/// The `[tls]` table for `cert` and `key`.
pub fn table(cert: &Path, key: &Path) -> String {
    format!(
        "[tls]\ncertificate_file = \"{}\"\nkey_file = \"{}\"\n",
        cert.display(),
        key.display()
    )
}
