//! node-soap 1.13.0, a real MTOM client, uploads through the streaming facade: it loads the
//! shipped broker WSDL, sends `forceMTOM` with the file as an attachment, and the upstream
//! receives the file byte for byte. Needs `node` and `npm ci` in tests/node-soap (`cargo xtask
//! setup`); ignored without them.

// The runtime's MTOM test helpers (a local upstream and the streaming facade in front of it).
#[path = "../../runtime/tests/mtom_support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::process::Command;

use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(peer_node_soap),
    ignore = "needs node-soap (tests/node-soap): run `cargo xtask setup`"
)]
async fn node_soap_mtom_upload_streams_upstream() {
    let dir = altinn_bridge_tests::require_node_soap("node_soap_mtom_upload_streams_upstream");
    let (up, seen) = upstream().await;
    let facade = facade(up).await;
    // A file with bytes that look like MIME boundaries and line breaks.
    let mut data = Vec::new();
    let mut chunks = std::pin::pin!(generated(300_000, 9));
    while let Some(c) = chunks.next().await {
        data.extend_from_slice(&c.expect("chunk"));
    }
    data.extend_from_slice(b"\r\n--uuid:not-a-boundary\r\n\r\n");
    let file = std::env::temp_dir().join(format!("mtom-node-soap-{}.bin", std::process::id()));
    std::fs::write(&file, &data).expect("write file");
    let wsdl = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../wsdl/BrokerServiceExternalBasicStreamed.wsdl");
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(dir.join("upload.js"))
            .arg(&wsdl)
            .arg(format!("http://{facade}/upload"))
            .arg(&file)
            .arg("ft-node")
            .output()
    })
    .await
    .expect("join")
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node-soap failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sha = hex(Sha256::digest(&data).as_slice());
    let uploads = seen.uploads.lock().expect("lock").clone();
    assert_eq!(
        uploads,
        vec![("ft-node".to_owned(), data.len() as u64, sha.clone())]
    );
    // node-soap parsed the receipt the facade answered.
    let answer: serde_json::Value = serde_json::from_str(&stdout).expect("node's JSON");
    assert_eq!(
        answer["result"]["ReceiptText"],
        serde_json::json!(sha),
        "{stdout}"
    );
}
