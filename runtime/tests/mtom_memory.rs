//! Peak memory while 64 MiB stream through the facade both ways: its growth must stay far below
//! the payload (the 1 GiB run is `cargo run --release -p altinn-bridge-facade --example
//! mtom_memory`). One test in this binary, so no other test's allocations count.

#[path = "mtom_support/mod.rs"]
mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streaming_64_mib_keeps_peak_memory_flat() {
    let (up, seen) = upstream().await;
    let facade = facade(up).await;
    // Warm up: connection pools, buffers and the allocator's arenas settle first.
    let (status, _) = upload_through(facade, "warm", 4 * CHUNK as u64, 1).await;
    assert_eq!(status, 200);
    download_through(facade, "262144-1")
        .await
        .expect("warm download");
    let (before, _) = memory_kib();
    let total = 64u64 << 20;
    let (status, answer) = upload_through(facade, "big", total, 5).await;
    assert_eq!(status, 200, "{answer}");
    let (n, _) = download_through(facade, &format!("{total}-5"))
        .await
        .expect("download");
    assert_eq!(n, total);
    let (after, _) = memory_kib();
    let growth_mib = after.saturating_sub(before) / 1024;
    let uploads = seen.uploads.lock().expect("lock").clone();
    assert_eq!(uploads.last().map(|u| u.1), Some(total));
    eprintln!("peak RSS {before} KiB before, {after} KiB after 2 × 64 MiB: +{growth_mib} MiB");
    assert!(
        growth_mib < 16,
        "peak RSS grew by {growth_mib} MiB while streaming 64 MiB"
    );
}
