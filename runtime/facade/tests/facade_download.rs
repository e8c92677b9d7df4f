//! Downloads through the facade's runtime path stream into the answer: a 64 MiB file arrives
//! whole (sha256 equal) as MTOM and as inline base64; an upstream refusal before the body is the
//! manifest's fault; an upstream that dies mid-body breaks the client's read instead of
//! completing it.

mod download_support;
// The MTOM stand-ins are the runtime's (its own MTOM tests use them too).
#[path = "../../tests/mtom_support/mod.rs"]
mod mtom_support;

use download_support::{ask, facade, facade_with, read_inline, read_mtom, upstream};
use mtom_support::generated_sha256;

const SIZE: u64 = 64 << 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_download_streams_as_mtom_and_inline() {
    let facade = facade(upstream().await).await;
    let expected = generated_sha256(SIZE, 42).await;
    let reference = format!("{SIZE}-42");

    let mtom = read_mtom(ask(facade, &reference, true).await).await;
    assert_eq!(mtom, Ok((SIZE, expected.clone())), "MTOM");

    let inline = read_inline(ask(facade, &reference, false).await).await;
    assert_eq!(inline, Ok((SIZE, expected)), "inline");
}

#[tokio::test]
async fn an_empty_file_is_an_empty_binary() {
    let facade = facade(upstream().await).await;
    let expected = generated_sha256(0, 1).await;
    let inline = read_inline(ask(facade, "0-1", false).await).await;
    assert_eq!(inline, Ok((0, expected.clone())));
    let mtom = read_mtom(ask(facade, "0-1", true).await).await;
    assert_eq!(mtom, Ok((0, expected)));
}

/// (HTTP status, body) of the facade's answer for `reference`.
async fn answer_text(reference: &str, as_mtom: bool) -> (u16, String) {
    let facade = facade(upstream().await).await;
    let answer = ask(facade, reference, as_mtom).await;
    let status = answer.status().as_u16();
    (status, answer.text().await.expect("a whole answer"))
}

#[tokio::test]
async fn a_404_before_the_body_is_the_client_fault_of_the_manifest() {
    for as_mtom in [false, true] {
        let (status, text) = answer_text("status-404", as_mtom).await;
        assert_eq!(status, 500, "{text}");
        assert!(text.contains("<faultcode>s:Client</faultcode>"), "{text}");
        assert!(
            text.contains("<AltinnErrorMessage>Broker says 404</AltinnErrorMessage>"),
            "{text}"
        );
        assert!(
            text.contains("The requested file transfer was not found"),
            "{text}"
        );
        assert!(text.contains("<ErrorID>404</ErrorID>"), "{text}");
    }
}

#[tokio::test]
async fn a_500_before_the_body_is_the_server_fault_of_the_manifest() {
    let (status, text) = answer_text("status-500", false).await;
    assert_eq!(status, 500, "{text}");
    assert!(text.contains("<faultcode>s:Server</faultcode>"), "{text}");
    assert!(
        text.contains("<AltinnErrorMessage>Broker says 500</AltinnErrorMessage>"),
        "{text}"
    );
}

#[tokio::test]
async fn an_upstream_dying_mid_body_breaks_the_answer() {
    let facade = facade(upstream().await).await;
    let reference = format!("die-{}", 3 << 20);
    let mtom = read_mtom(ask(facade, &reference, true).await).await;
    assert!(
        matches!(&mtom, Err(e) if e.contains("body")),
        "MTOM read: {mtom:?}"
    );
    let inline = read_inline(ask(facade, &reference, false).await).await;
    assert!(
        matches!(&inline, Err(e) if e.contains("body")),
        "inline read: {inline:?}"
    );
}

/// A download being streamed still counts against `max_concurrent` until its last byte: with a
/// limit of one, a second request meanwhile is turned away (503), and once the file has been
/// read the next one is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_download_holds_its_concurrency_permit_until_the_end() {
    let facade = facade_with(upstream().await, "[limits]\nmax_concurrent = 1\n").await;
    let reference = format!("{SIZE}-7");
    // The head is in; 64 MiB cannot all sit in socket buffers, so the body is still streaming.
    let first = ask(facade, &reference, true).await;
    assert_eq!(first.status(), 200);
    let busy = ask(facade, "0-1", false).await;
    assert_eq!(
        busy.status(),
        503,
        "a second request got in during the stream"
    );
    let expected = generated_sha256(SIZE, 7).await;
    assert_eq!(read_mtom(first).await, Ok((SIZE, expected)));
    // The permit is released once the body is done; the connection's end may lag a moment.
    let mut status = 0;
    for _ in 0..50 {
        status = ask(facade, "0-1", false).await.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(status, 200);
}
