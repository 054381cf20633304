//! The client against a tiny in-process server whose frames are written out byte by byte here
//! (not with the client's own encoder), so that a mistake cannot cancel itself out.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::opening::{Endpoint, accept_for, check_answer};
use super::{Error, Message, WebSocket};

const STEP: Duration = Duration::from_secs(10);

fn soon() -> Instant {
    Instant::now() + STEP
}

/// A server on 127.0.0.1 that runs `script` on the first connection after the opening
/// handshake (answered with `answer(key)`), and hands back what the script returns.
fn serve_with<T: Send + 'static>(
    answer: fn(&str) -> String,
    script: impl FnOnce(&mut TcpStream) -> T + Send + 'static,
) -> (String, JoinHandle<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://127.0.0.1:{}/devtools/browser/x?y=1", listener.local_addr().unwrap().port());
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(STEP)).unwrap();
        let request = read_head(&mut stream);
        assert!(request.starts_with("GET /devtools/browser/x?y=1 HTTP/1.1\r\n"), "{request}");
        for needed in
            ["upgrade: websocket", "connection: upgrade", "sec-websocket-version: 13", "host: 127.0.0.1:"]
        {
            assert!(request.to_ascii_lowercase().contains(needed), "{needed} in {request}");
        }
        let key = request
            .lines()
            .find_map(|line| line.strip_prefix("Sec-WebSocket-Key: "))
            .expect("a key")
            .trim()
            .to_owned();
        stream.write_all(answer(&key).as_bytes()).unwrap();
        script(&mut stream)
    });
    (url, server)
}

fn serve<T: Send + 'static>(
    script: impl FnOnce(&mut TcpStream) -> T + Send + 'static,
) -> (String, JoinHandle<T>) {
    serve_with(good_answer, script)
}

fn good_answer(key: &str) -> String {
    format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\n\r\n",
        accept_for(key)
    )
}

fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap()
}

/// One frame from the client, checked to be masked, and unmasked: (first byte, payload).
fn read_client_frame(stream: &mut TcpStream) -> (u8, Vec<u8>) {
    let mut head = [0u8; 2];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(head[1] & 0x80, 0x80, "client frames must be masked");
    let length = match head[1] & 0x7F {
        126 => {
            let mut b = [0u8; 2];
            stream.read_exact(&mut b).unwrap();
            usize::from(u16::from_be_bytes(b))
        }
        127 => {
            let mut b = [0u8; 8];
            stream.read_exact(&mut b).unwrap();
            usize::try_from(u64::from_be_bytes(b)).unwrap()
        }
        n => usize::from(n),
    };
    let mut mask = [0u8; 4];
    stream.read_exact(&mut mask).unwrap();
    let mut payload = vec![0u8; length];
    stream.read_exact(&mut payload).unwrap();
    for (i, byte) in payload.iter_mut().enumerate() {
        *byte ^= mask[i % 4];
    }
    (head[0], payload)
}

#[test]
fn the_accept_value_is_rfc_6455s_example() {
    // RFC 6455 section 1.3.
    assert_eq!(accept_for("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

#[test]
fn only_loopback_ws_urls_are_accepted() {
    let endpoint = Endpoint::parse("ws://127.0.0.1:9222/devtools/browser/abc").unwrap();
    assert_eq!(
        (endpoint.host.as_str(), endpoint.port, endpoint.resource.as_str()),
        ("127.0.0.1", 9222, "/devtools/browser/abc")
    );
    let endpoint = Endpoint::parse("ws://localhost:9222").unwrap();
    assert_eq!((endpoint.port, endpoint.resource.as_str()), (9222, "/"));
    assert_eq!(Endpoint::parse("WS://LOCALHOST/session").unwrap().port, 80);
    assert_eq!(Endpoint::parse("ws://127.0.0.1:1?a=b").unwrap().resource, "/?a=b");
    for bad in [
        "wss://127.0.0.1:9222/",
        "http://127.0.0.1:9222/",
        "ws://example.com:9222/",
        "ws://127.0.0.2:9222/",
        "ws://[::1]:9222/",
        "ws://user@127.0.0.1:9222/",
        "ws://127.0.0.1:0/",
        "ws://127.0.0.1:99999/",
        "ws://127.0.0.1:9222/a b",
        "ws://127.0.0.1:9222/#frag",
        "ws://localhost.example.com/",
        "ws:/",
    ] {
        assert!(matches!(Endpoint::parse(bad), Err(Error::Url(_))), "{bad}");
        assert!(matches!(WebSocket::connect(bad, STEP), Err(Error::Url(_))), "{bad}");
    }
}

#[test]
fn an_upgrade_answer_must_prove_it_read_the_key() {
    let key = "dGhlIHNhbXBsZSBub25jZQ==";
    let good = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n\
                Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    assert_eq!(check_answer(good, key), Ok(()));
    for bad in [
        good.replace("101 Switching Protocols", "200 OK"),
        good.replace("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
        good.replace("upgrade: WebSocket\r\n", ""),
        good.replace("keep-alive, Upgrade", "keep-alive"),
        good.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"),
    ] {
        assert!(matches!(check_answer(&bad, key), Err(Error::Protocol(_))), "{bad}");
    }
}

#[test]
fn text_goes_out_masked_and_every_length_encoding_round_trips() {
    let sizes = [0usize, 5, 125, 126, 65_535, 65_536, 70_000];
    let (url, server) = serve(move |stream| {
        let mut seen = Vec::new();
        for _ in sizes {
            let (first, payload) = read_client_frame(stream);
            assert_eq!(first, 0x81, "FIN + text");
            seen.push(payload);
        }
        seen
    });
    let mut ws = WebSocket::connect(&url, STEP).unwrap();
    let texts: Vec<String> =
        sizes.iter().map(|n| "ab€".chars().cycle().take(*n).collect::<String>()).collect();
    for text in &texts {
        ws.send_text(text).unwrap();
    }
    let seen = server.join().unwrap();
    for (text, payload) in texts.iter().zip(seen) {
        assert_eq!(text.as_bytes(), payload.as_slice());
    }
}

#[test]
fn messages_arrive_whole_pings_are_answered_and_close_is_echoed() {
    let (url, server) = serve(|stream| {
        // RFC 6455 section 5.7: a single-frame unmasked text message "Hello".
        stream.write_all(&[0x81, 0x05, b'H', b'e', b'l', b'l', b'o']).unwrap();
        // A fragmented text message "Hel" + "lo" with a ping between the fragments.
        stream.write_all(&[0x01, 0x03, b'H', b'e', b'l']).unwrap();
        stream.write_all(&[0x89, 0x04, b'p', b'i', b'n', b'g']).unwrap();
        stream.write_all(&[0x80, 0x02, b'l', b'o']).unwrap();
        // An unsolicited pong is skipped.
        stream.write_all(&[0x8A, 0x00]).unwrap();
        // A 256-byte binary message with a 16-bit length, and a 65 536-byte one with a 64-bit length.
        let mut binary = vec![0x82, 0x7E, 0x01, 0x00];
        binary.extend((0..=255u8).collect::<Vec<_>>());
        stream.write_all(&binary).unwrap();
        let mut long = vec![0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0];
        long.extend(std::iter::repeat_n(7u8, 65_536));
        stream.write_all(&long).unwrap();
        let pong = read_client_frame(stream);
        // Close with status 1001 "going away"; the client must echo the status.
        stream.write_all(&[0x88, 0x02, 0x03, 0xE9]).unwrap();
        let close = read_client_frame(stream);
        (pong, close)
    });
    let mut ws = WebSocket::connect(&url, STEP).unwrap();
    assert_eq!(ws.receive(soon()), Ok(Message::Text("Hello".into())));
    assert_eq!(ws.receive(soon()), Ok(Message::Text("Hello".into())));
    assert_eq!(ws.receive(soon()), Ok(Message::Binary((0..=255u8).collect())));
    assert_eq!(ws.receive(soon()), Ok(Message::Binary(vec![7; 65_536])));
    assert_eq!(ws.receive(soon()), Err(Error::Closed(Some(1001))));
    // Closed stays closed, without touching the socket.
    assert_eq!(ws.receive(soon()), Err(Error::Closed(Some(1001))));
    assert_eq!(ws.send_text("late"), Err(Error::Closed(None)));
    let (pong, close) = server.join().unwrap();
    assert_eq!(pong, (0x8A, b"ping".to_vec()));
    assert_eq!(close, (0x88, vec![0x03, 0xE9]));
}

#[test]
fn close_sends_1000_and_waits_for_the_answer() {
    let (url, server) = serve(|stream| {
        // A message still in flight when the client closes is skipped.
        stream.write_all(&[0x81, 0x02, b'h', b'i']).unwrap();
        let close = read_client_frame(stream);
        stream.write_all(&[0x88, 0x02, 0x03, 0xE8]).unwrap();
        close
    });
    let mut ws = WebSocket::connect(&url, STEP).unwrap();
    let started = Instant::now();
    ws.close(soon());
    assert!(started.elapsed() < STEP);
    assert_eq!(server.join().unwrap(), (0x88, vec![0x03, 0xE8]));
    assert_eq!(ws.send_text("after close"), Err(Error::Closed(None)));
}

#[test]
fn broken_frames_are_protocol_errors() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("masked by the server", vec![0x81, 0x85, 1, 2, 3, 4, 0, 0, 0, 0, 0]),
        ("reserved bit", vec![0xC1, 0x01, b'x']),
        ("unknown opcode", vec![0x83, 0x00]),
        ("fragmented ping", vec![0x09, 0x00]),
        ("long ping", {
            let mut v = vec![0x89, 0x7E, 0x00, 0x7E];
            v.extend([0u8; 126]);
            v
        }),
        ("continuation first", vec![0x80, 0x01, b'x']),
        ("text inside text", vec![0x01, 0x01, b'a', 0x81, 0x01, b'b']),
        ("not UTF-8", vec![0x81, 0x02, 0xC3, 0x28]),
        ("longer than the limit", vec![0x82, 0x7E, 0x04, 0x01]),
        ("fragments longer than the limit", {
            let mut v = vec![0x02, 0x7E, 0x03, 0x00];
            v.extend([1u8; 768]);
            v.extend([0x80, 0x7E, 0x01, 0x01]);
            v.extend([2u8; 257]);
            v
        }),
        ("absurd 64-bit length", vec![0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0]),
    ];
    for (what, bytes) in cases {
        let (url, server) = serve(move |stream| {
            stream.write_all(&bytes).unwrap();
            // Keep the socket open until the client has judged.
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest);
        });
        let mut ws = WebSocket::connect(&url, STEP).unwrap();
        ws.limit_message_size(1024);
        let got = ws.receive(soon());
        assert!(matches!(got, Err(Error::Protocol(_))), "{what}: {got:?}");
        // Once broken, always broken.
        assert_eq!(ws.receive(soon()), got, "{what}");
        drop(ws);
        server.join().unwrap();
    }
}

#[test]
fn a_silent_server_times_out_within_the_deadline() {
    let (url, server) = serve(|stream| {
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
    });
    let mut ws = WebSocket::connect(&url, STEP).unwrap();
    let started = Instant::now();
    assert_eq!(ws.receive(Instant::now() + Duration::from_millis(300)), Err(Error::Timeout));
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(250) && waited < Duration::from_secs(3), "{waited:?}");
    drop(ws);
    server.join().unwrap();
}

#[test]
fn a_server_that_ends_the_stream_is_closed_and_a_wrong_accept_is_refused() {
    let (url, server) = serve(|stream| {
        stream.write_all(&[0x81, 0x01]).unwrap(); // half a frame, then the end
    });
    let mut ws = WebSocket::connect(&url, STEP).unwrap();
    server.join().unwrap();
    assert_eq!(ws.receive(soon()), Err(Error::Closed(None)));

    let (url, server) = serve_with(|_| good_answer("not the key"), |_| ());
    assert!(matches!(WebSocket::connect(&url, STEP), Err(Error::Protocol(_))));
    server.join().unwrap();

    let (url, server) = serve_with(|_| "HTTP/1.1 403 Forbidden\r\n\r\n".into(), |_| ());
    let err = WebSocket::connect(&url, STEP).unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
    server.join().unwrap();
}

#[test]
fn nothing_listening_is_an_io_error() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = WebSocket::connect(&format!("ws://localhost:{port}/"), STEP).unwrap_err();
    assert!(matches!(err, Error::Io(_)), "{err:?}");
}
