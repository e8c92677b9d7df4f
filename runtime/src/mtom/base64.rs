//! A byte stream as base64 text, chunk by chunk: for a binary answered inline (a client that did
//! not ask for MTOM), so it is never held whole.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::{Bytes, BytesMut};
use futures_util::{StreamExt, stream};

use super::BodyStream;

/// `body` as standard base64 text. Each chunk is encoded up to a multiple of 3 bytes and the
/// rest (at most 2 bytes) carried into the next, so the pieces concatenate to exactly the
/// base64 of the whole body (padding only at its end). An error from `body` ends the text with
/// that error.
pub fn base64_stream(body: BodyStream) -> BodyStream {
    stream::unfold(Some((body, BytesMut::new())), |state| async move {
        let (mut body, mut carry) = state?;
        loop {
            match body.next().await {
                Some(Ok(chunk)) => {
                    carry.extend_from_slice(&chunk);
                    let whole = carry.len() - carry.len() % 3;
                    if whole == 0 {
                        continue;
                    }
                    let ready = carry.split_to(whole);
                    let text = Bytes::from(STANDARD.encode(&ready));
                    return Some((Ok(text), Some((body, carry))));
                }
                Some(Err(e)) => return Some((Err(e), None)),
                None if carry.is_empty() => return None,
                None => return Some((Ok(Bytes::from(STANDARD.encode(&carry))), None)),
            }
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_concatenate_to_the_whole_base64() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        for sizes in [vec![1usize], vec![2, 5], vec![3], vec![4, 1, 7], vec![1000]] {
            let mut chunks = Vec::new();
            let mut at = 0;
            let mut k = 0;
            while at < data.len() {
                let n = sizes[k % sizes.len()].min(data.len() - at);
                chunks.push(Ok(Bytes::copy_from_slice(&data[at..at + n])));
                at += n;
                k += 1;
            }
            let text: Vec<Bytes> = base64_stream(stream::iter(chunks).boxed())
                .map(|c| c.expect("no error"))
                .collect()
                .await;
            assert_eq!(
                text.concat(),
                STANDARD.encode(&data).into_bytes(),
                "{sizes:?}"
            );
        }
    }

    #[tokio::test]
    async fn an_error_ends_the_text() {
        let chunks = vec![
            Ok(Bytes::from_static(b"abcd")),
            Err(crate::Error::BodyRead("reset".into())),
        ];
        let out: Vec<_> = base64_stream(stream::iter(chunks).boxed()).collect().await;
        assert_eq!(out.len(), 2);
        assert!(matches!(&out[0], Ok(t) if t.as_ref() == b"YWJj"));
        assert!(out[1].is_err());
    }
}
