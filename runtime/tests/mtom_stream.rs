//! MTOM end to end over real sockets: a client sends MTOM to a streaming facade (axum on
//! 127.0.0.1), which streams the attachment into a second local axum server standing in for
//! Altinn 3 Broker; the upstream hashes what it receives. Downloads go the other way.

#[path = "mtom_support/mod.rs"]
mod support;

use altinn_bridge_runtime::Error;
use altinn_bridge_runtime::bytes::Bytes;
use altinn_bridge_runtime::http::{Client, Request};
use futures_util::{StreamExt, stream};
use support::*;

#[tokio::test]
async fn an_mtom_upload_arrives_upstream_byte_for_byte() {
    let (up, seen) = upstream().await;
    let facade = facade(up).await;
    let total = 3 * CHUNK as u64 + 12_345;
    let (status, answer) = upload_through(facade, "ft-1", total, 7).await;
    assert_eq!(status, 200, "{answer}");
    let expected = generated_sha256(total, 7).await;
    assert!(answer.contains(&expected), "{answer}");
    let uploads = seen.uploads.lock().expect("lock").clone();
    assert_eq!(uploads, vec![("ft-1".to_owned(), total, expected)]);
}

#[tokio::test]
async fn a_zeep_style_inline_upload_takes_the_same_path() {
    use base64::Engine;
    let (up, seen) = upstream().await;
    let facade = facade(up).await;
    let data = b"zeep sends the file base64 inline, never MTOM";
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let xml = format!(
        "<?xml version='1.0' encoding='utf-8'?><soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\">\
         <soap-env:Header><ns0:Reference xmlns:ns0=\"{BROKER_NS}\">ft-zeep</ns0:Reference></soap-env:Header><soap-env:Body>\
         <ns0:StreamedPayloadBasicBE xmlns:ns0=\"{BROKER_NS}\"><ns0:DataStream>{b64}</ns0:DataStream></ns0:StreamedPayloadBasicBE>\
         </soap-env:Body></soap-env:Envelope>"
    );
    let answer = reqwest::Client::new()
        .post(format!("http://{facade}/upload"))
        .header("content-type", "text/xml; charset=utf-8")
        .body(xml)
        .send()
        .await
        .expect("answer");
    assert_eq!(
        answer.status(),
        200,
        "{}",
        answer.text().await.unwrap_or_default()
    );
    let uploads = seen.uploads.lock().expect("lock").clone();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].1, data.len() as u64);
}

#[tokio::test]
async fn a_truncated_upload_never_completes_upstream() {
    let (up, seen) = upstream().await;
    let facade = facade(up).await;
    // The client's MTOM body loses its last bytes (the closing boundary) and the connection
    // ends: the facade must abort its upstream upload rather than finish it.
    let (ct, body) = upload_request("ft-cut", generated(2 * CHUNK as u64, 3));
    let mut all = Vec::new();
    let mut body = body;
    while let Some(c) = body.next().await {
        all.extend_from_slice(&c.expect("chunk"));
    }
    all.truncate(all.len() - 40);
    let answer = reqwest::Client::new()
        .post(format!("http://{facade}/upload"))
        .header("content-type", ct)
        .body(all)
        .send()
        .await
        .expect("answer");
    assert_ne!(answer.status(), 200);
    // The upstream saw a broken body, not a complete upload.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(seen.uploads.lock().expect("lock").is_empty());
    assert_eq!(*seen.aborted.lock().expect("lock"), 1);
}

#[tokio::test]
async fn a_streamed_download_reaches_the_client_intact() {
    let (up, _) = upstream().await;
    let facade = facade(up).await;
    let total = 5 * CHUNK as u64 + 1;
    let (n, sha) = download_through(facade, &format!("{total}-11"))
        .await
        .expect("download");
    assert_eq!(n, total);
    assert_eq!(sha, generated_sha256(total, 11).await);
}

#[tokio::test]
async fn stream_calls_type_problem_details_and_never_retry_uploads() {
    let (up, _) = upstream().await;
    let client = Client::new(format!("http://{up}")).expect("client");
    let err = client
        .get_stream(Request::get("/broker/api/v1/filetransfer/nope/download"))
        .await
        .expect_err("404");
    let Error::Api(api) = err else {
        panic!("not an API error: {err}")
    };
    assert_eq!(api.status, 404);
    let problem = api.problem.expect("problem details");
    assert_eq!(problem.title.as_deref(), Some("Not Found"));
    // A body error aborts the upload; the upstream records no upload.
    let broken = stream::iter(vec![
        Ok(Bytes::from_static(b"first")),
        Err(std::io::Error::other("client went away")),
    ]);
    let err = client
        .send_stream(
            Request::post("/broker/api/v1/filetransfer/x/upload"),
            "application/octet-stream",
            broken,
            None,
        )
        .await
        .expect_err("aborted");
    assert!(matches!(err, Error::Transport { .. }), "{err}");
    // A request with a body of its own is refused before anything is sent.
    let err = client
        .send_stream(
            Request::post("/x").bytes("text/plain", "body"),
            "application/octet-stream",
            stream::empty::<Result<Bytes, std::io::Error>>(),
            Some(0),
        )
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Request(_)));
}

/// An upstream that reads an upload and then never answers, and one that sends a download's
/// headers and first bytes and then stalls.
async fn stalling_upstream() -> std::net::SocketAddr {
    use axum::body::Body;
    use axum::routing::{get, post};
    async fn swallow(body: Body) -> &'static str {
        let mut s = body.into_data_stream();
        while s.next().await.is_some() {}
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        "late"
    }
    async fn trickle() -> Body {
        let first = stream::once(async { Ok::<_, std::io::Error>(Bytes::from_static(b"first")) });
        let never = stream::pending::<Result<Bytes, std::io::Error>>();
        Body::from_stream(first.chain(never))
    }
    let router = axum::Router::new()
        .route("/up", post(swallow))
        .route("/down", get(trickle));
    serve(router).await
}

#[tokio::test]
async fn stream_timeouts_bound_each_wait_not_the_transfer() {
    use std::time::{Duration, Instant};
    let up = stalling_upstream().await;
    let client = Client::new(format!("http://{up}"))
        .expect("client")
        .with_timeout(Duration::from_millis(300));
    // The body takes longer than the timeout to send, which is fine; the answer then never
    // comes, which is a timeout counted from the last byte.
    // Sized and chunked bodies alike.
    for length in [Some(5000), None] {
        let slow_body = stream::iter(0..5).then(|i| async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            Ok::<_, std::io::Error>(Bytes::from(vec![i as u8; 1000]))
        });
        let t = Instant::now();
        let err = client
            .send_stream(
                Request::post("/up"),
                "application/octet-stream",
                slow_body,
                length,
            )
            .await
            .expect_err("no answer");
        assert!(matches!(err, Error::Timeout { .. }), "{length:?}: {err}");
        let took = t.elapsed();
        assert!(
            took >= Duration::from_millis(750) && took < Duration::from_secs(5),
            "{took:?}"
        );
    }
    // A download that stalls mid-way ends its stream with a timeout after the first chunk.
    let mut answer = client
        .get_stream(Request::get("/down"))
        .await
        .expect("headers");
    assert_eq!(answer.status, 200);
    let first = answer
        .body
        .next()
        .await
        .expect("a chunk")
        .expect("first bytes");
    assert_eq!(&first[..], b"first");
    let stalled = answer.body.next().await.expect("an item");
    assert!(matches!(stalled, Err(Error::Timeout { .. })), "{stalled:?}");
    assert!(answer.body.next().await.is_none());
}
