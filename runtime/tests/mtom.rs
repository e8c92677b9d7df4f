//! The MTOM reader and writer on whole messages: every chunking, both line endings, the shapes
//! node-soap and WCF send, and each kind of broken message.

use altinn_bridge_runtime::Error;
use altinn_bridge_runtime::bytes::Bytes;
use altinn_bridge_runtime::mtom::{self, Incoming, Reader, Writer};
use altinn_bridge_runtime::soap::{Limits, SoapVersion};
use futures_util::{StreamExt, stream};
use proptest::prelude::*;

const BROKER_NS: &str = "http://www.altinn.no/services/ServiceEngine/Broker/2015/06";

/// The broker upload's envelope as node-soap sends it: header parts and a DataStream include.
fn envelope(cids: &[&str]) -> String {
    let includes: String = cids
        .iter()
        .map(|c| format!("<DataStream><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:{}\"/></DataStream>", c.replace('@', "%40")))
        .collect();
    format!(
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Header>\
         <FileName xmlns=\"{BROKER_NS}\">a.zip</FileName><Reference xmlns=\"{BROKER_NS}\">ref-1</Reference>\
         </soap:Header><soap:Body><StreamedPayloadBasicBE xmlns=\"{BROKER_NS}\">{includes}</StreamedPayloadBasicBE>\
         </soap:Body></soap:Envelope>"
    )
}

struct Shape {
    nl: &'static str,
    preamble: &'static str,
    epilogue: &'static str,
    quoted: bool,
}

const CRLF: Shape = Shape {
    nl: "\r\n",
    preamble: "",
    epilogue: "",
    quoted: true,
};

/// A message with the root part and `parts`, and its Content-Type.
fn message(shape: &Shape, parts: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let cids: Vec<&str> = parts.iter().map(|(c, _)| *c).collect();
    message_referencing(shape, &cids, parts)
}

/// A message whose envelope includes `cids` and which carries `parts`.
fn message_referencing(shape: &Shape, cids: &[&str], parts: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let b = "----=_Part_0_1";
    let nl = shape.nl;
    let mut out = Vec::new();
    out.extend_from_slice(shape.preamble.as_bytes());
    out.extend_from_slice(format!("--{b}{nl}Content-Type: application/xop+xml; charset=utf-8; type=\"text/xml\"{nl}Content-Transfer-Encoding: 8bit{nl}Content-ID: <root@soap>{nl}{nl}").as_bytes());
    out.extend_from_slice(envelope(cids).as_bytes());
    for (cid, data) in parts {
        out.extend_from_slice(format!("{nl}--{b}  {nl}Content-Type: application/octet-stream{nl}Content-Transfer-Encoding: binary{nl}Content-ID: <{cid}>{nl}{nl}").as_bytes());
        out.extend_from_slice(data);
    }
    out.extend_from_slice(format!("{nl}--{b}--{}", shape.epilogue).as_bytes());
    let ct = if shape.quoted {
        format!(
            "multipart/related; type=\"application/xop+xml\"; start=\"<root@soap>\"; start-info=\"text/xml\"; boundary=\"{b}\""
        )
    } else {
        format!(
            "Multipart/Related;type=application/xop+xml;boundary={b};start=<root@soap>;start-info=text/xml"
        )
    };
    (ct, out)
}

type Chunks = stream::Iter<std::vec::IntoIter<Result<Bytes, std::io::Error>>>;

fn chunked(bytes: &[u8], cuts: &[usize]) -> Chunks {
    let mut chunks = Vec::new();
    let mut from = 0;
    for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
        let cut = cut.clamp(from, bytes.len());
        chunks.push(Ok(Bytes::copy_from_slice(&bytes[from..cut])));
        from = cut;
    }
    stream::iter(chunks)
}

/// Reads every part whole: (Content-ID, data).
async fn read_all(ct: &str, body: Chunks) -> Result<(String, Vec<(String, Vec<u8>)>), Error> {
    let reader = Reader::open(ct, body, &Limits::default()).await?;
    let root = reader.envelope().body.name.local.clone();
    let mut parts = Vec::new();
    let mut next = reader.next_part().await?;
    while let Some(mut part) = next {
        let mut data = Vec::new();
        while let Some(chunk) = part.next().await {
            data.extend_from_slice(&chunk?);
        }
        parts.push((part.content_id.clone(), data));
        next = part.next_part().await?;
    }
    Ok((root, parts))
}

fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

const DATA: &[u8] = b"PK\x03\x04 binary\r\n--not-the-boundary\r\n\r\n\x00\xff tail";

#[test]
fn every_split_position_of_both_line_endings_and_parameter_styles() {
    let shapes = [
        CRLF,
        Shape {
            nl: "\n",
            preamble: "This is a preamble.\r\n",
            epilogue: "\r\nepilogue text",
            quoted: false,
        },
        Shape {
            nl: "\r\n",
            preamble: "\r\n",
            epilogue: "\r\n",
            quoted: false,
        },
    ];
    for shape in &shapes {
        let (ct, msg) = message(shape, &[("file@altinn", DATA), ("second@x", b"")]);
        for cut in 0..=msg.len() {
            let (root, parts) = block_on(read_all(&ct, chunked(&msg, &[cut])))
                .unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
            assert_eq!(root, "StreamedPayloadBasicBE");
            assert_eq!(
                parts,
                vec![
                    ("file@altinn".into(), DATA.to_vec()),
                    ("second@x".into(), vec![])
                ],
                "cut at {cut} (nl {:?})",
                shape.nl
            );
        }
        let ones: Vec<usize> = (1..msg.len()).collect();
        let (_, parts) = block_on(read_all(&ct, chunked(&msg, &ones))).expect("1-byte chunks");
        assert_eq!(parts[0].1, DATA);
    }
}

#[test]
fn includes_name_their_element_and_decode_the_cid_url() {
    let (ct, msg) = message(&CRLF, &[("file@altinn", DATA)]);
    let reader = block_on(Reader::open(&ct, chunked(&msg, &[]), &Limits::default())).expect("open");
    let includes = reader.includes();
    assert_eq!(includes.len(), 1);
    assert_eq!(includes[0].cid, "file@altinn");
    assert!(includes[0].element.is(BROKER_NS, "DataStream"));
    assert_eq!(reader.envelope().headers.len(), 2);
    assert_eq!(reader.related().start.as_deref(), Some("root@soap"));
}

fn open_err(ct: &str, msg: &[u8]) -> Error {
    block_on(read_all(ct, chunked(msg, &[7]))).expect_err("must fail")
}

#[test]
fn broken_messages_get_typed_errors() {
    let (ct, msg) = message(&CRLF, &[("file@altinn", DATA)]);
    // No boundary parameter, or a body without the boundary.
    assert!(matches!(
        open_err("multipart/related; type=\"application/xop+xml\"", &msg),
        Error::Multipart(_)
    ));
    assert!(matches!(
        open_err(&ct, b"just some text, no delimiter"),
        Error::Multipart(m) if m.contains("----=_Part_0_1")
    ));
    // The root part named by `start` is not there.
    let other_start = ct.replace("<root@soap>", "<other@soap>");
    assert!(matches!(open_err(&other_start, &msg), Error::MissingPart(p) if p == "other@soap"));
    // Cut off inside the attachment, and right after a delimiter.
    let cut = msg.len() - 30;
    assert!(matches!(open_err(&ct, &msg[..cut]), Error::Truncated(_)));
    let (_, short) = message(&CRLF, &[("file@altinn", b"x")]);
    let end = short.len() - 2;
    assert!(matches!(open_err(&ct, &short[..end]), Error::Truncated(_)));
    // A part the envelope does not reference, and a referenced one that never comes.
    let renamed = String::from_utf8_lossy(&msg).replace("<file@altinn>", "<stray@x>");
    assert!(
        matches!(open_err(&ct, renamed.as_bytes()), Error::UnreferencedPart(p) if p == "stray@x")
    );
    let (_, one_of_two) = message_referencing(&CRLF, &["a@x", "b@x"], &[("a@x", b"1")]);
    let err = open_err(&ct, &one_of_two);
    assert!(
        matches!(err, Error::MissingPart(ref p) if p == "b@x"),
        "{err}"
    );
    // An extra part after the last referenced one ends that part's stream with an error.
    let (_, one) = message(&CRLF, &[("a@x", b"1")]);
    let extra = String::from_utf8_lossy(&one).replace(
        "\r\n------=_Part_0_1--",
        "\r\n------=_Part_0_1\r\nContent-ID: <extra@x>\r\n\r\nzz\r\n------=_Part_0_1--",
    );
    assert!(
        matches!(open_err(&ct, extra.as_bytes()), Error::UnreferencedPart(p) if p == "extra@x")
    );
    // An envelope over the limit.
    let limits = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    let err = block_on(Reader::open(&ct, chunked(&msg, &[]), &limits)).expect_err("too large");
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
}

#[test]
fn the_body_stream_failing_is_a_read_error() {
    let (ct, msg) = message(&CRLF, &[("file@altinn", DATA)]);
    let items = vec![
        Ok(Bytes::copy_from_slice(&msg[..msg.len() - 20])),
        Err(std::io::Error::other("connection reset")),
    ];
    let err = block_on(read_all(&ct, stream::iter(items))).expect_err("fails");
    assert!(matches!(err, Error::BodyRead(m) if m.contains("connection reset")));
}

#[test]
fn plain_envelopes_carry_the_binary_inline() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(DATA);
    let xml = format!(
        "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap-env:Body>\
         <ns0:StreamedPayloadBasicBE xmlns:ns0=\"{BROKER_NS}\"><ns0:DataStream>{}\n{}</ns0:DataStream>\
         </ns0:StreamedPayloadBasicBE></soap-env:Body></soap-env:Envelope>",
        &b64[..10],
        &b64[10..]
    );
    let body = chunked(xml.as_bytes(), &[5, 50]);
    let incoming = block_on(mtom::read(
        "text/xml; charset=utf-8",
        body,
        &Limits::default(),
    ))
    .expect("read");
    assert!(matches!(incoming, Incoming::Plain(_)));
    let (envelope, binary) = block_on(incoming.into_binary("DataStream")).expect("binary");
    assert_eq!(envelope.body.name.local, "StreamedPayloadBasicBE");
    assert_eq!(binary.len_hint(), Some(DATA.len() as u64));
    let data: Vec<Bytes> = block_on(binary.map(|c| c.expect("chunk")).collect());
    assert_eq!(data.concat(), DATA);
    let over = Limits {
        max_bytes: 64,
        ..Limits::default()
    };
    let err =
        block_on(mtom::read("text/xml", chunked(xml.as_bytes(), &[]), &over)).expect_err("limit");
    assert!(matches!(err, Error::TooLarge { .. }));
}

#[test]
fn mtom_requests_give_the_included_part_through_the_same_call() {
    let (ct, msg) = message(&CRLF, &[("file@altinn", DATA)]);
    let incoming =
        block_on(mtom::read(&ct, chunked(&msg, &[100]), &Limits::default())).expect("read");
    let (envelope, binary) = block_on(incoming.into_binary("DataStream")).expect("binary");
    assert_eq!(envelope.headers.len(), 2);
    assert_eq!(binary.len_hint(), None);
    let data: Vec<Bytes> = block_on(binary.map(|c| c.expect("chunk")).collect());
    assert_eq!(data.concat(), DATA);
}

async fn written(version: SoapVersion, data: Vec<u8>, cut: usize) -> (String, Vec<u8>) {
    let cid = Writer::new_cid();
    let xml = envelope(&[&cid]);
    let halves = vec![
        Ok::<_, std::io::Error>(Bytes::copy_from_slice(&data[..cut])),
        Ok(Bytes::copy_from_slice(&data[cut..])),
    ];
    let writer =
        Writer::new(version, xml).attach(&cid, "application/octet-stream", stream::iter(halves));
    let ct = writer.content_type();
    let chunks: Vec<Bytes> = writer
        .into_stream()
        .map(|c| c.expect("chunk"))
        .collect()
        .await;
    (ct, chunks.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the data (boundary look-alikes included) and however the network cuts it, what
    /// the writer sends the reader gives back.
    #[test]
    fn writer_to_reader_round_trip(
        data in proptest::collection::vec(prop_oneof![any::<u8>(), Just(b'\r'), Just(b'\n'), Just(b'-')], 0..600),
        cut in any::<prop::sample::Index>(),
        cuts in proptest::collection::vec(0usize..2000, 0..12),
        v12 in any::<bool>(),
    ) {
        let version = if v12 { SoapVersion::V12 } else { SoapVersion::V11 };
        let (ct, msg) = block_on(written(version, data.clone(), cut.index(data.len() + 1)));
        let mut cuts = cuts;
        cuts.sort_unstable();
        let (root, parts) = block_on(read_all(&ct, chunked(&msg, &cuts))).expect("reads back");
        prop_assert_eq!(root, "StreamedPayloadBasicBE");
        prop_assert_eq!(parts.len(), 1);
        prop_assert_eq!(&parts[0].1, &data);
        let start_info = if v12 { "start-info=\"application/soap+xml\"" } else { "start-info=\"text/xml\"" };
        prop_assert!(ct.contains(start_info));
    }
}
