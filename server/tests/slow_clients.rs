//! Slow and numerous clients over real sockets, through the listener the
//! binary uses (`checkout_listener::Listener`), with short limits so that
//! each timeout is waited for once, briefly.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use checkout_listener::{Limits, Listener};
use checkout_server::security::{self, CONTENT_SECURITY_POLICY};
use checkout_server::{app, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MS: Duration = Duration::from_millis(1);

/// Serves the whole app (merchant + emulator) on 127.0.0.1:0 through the
/// binary's listener with `limits`; returns its address.
async fn spawn(limits: Limits) -> String {
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap().to_string();
    let mut config = Config::sandbox(&format!("http://{addr}"));
    config.listener = limits;
    let listener = Listener::new(tcp, limits).with_response_headers(security::headers());
    tokio::spawn(listener.serve(app(config), std::future::pending()));
    addr
}

/// Short timeouts for the tests (each is overridden where it is the subject).
fn short() -> Limits {
    Limits {
        header_read_timeout: 300 * MS,
        request_timeout: 300 * MS,
        idle_timeout: 300 * MS,
        ..Limits::default()
    }
}

/// Reads until the server closes the connection (or `within` passes: then
/// `None`); returns what was read and when the close came.
async fn until_closed(tcp: &mut TcpStream, within: Duration) -> Option<(String, Duration)> {
    let started = Instant::now();
    let mut received = Vec::new();
    let read = async {
        let mut buf = [0u8; 8192];
        loop {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read).await.ok()?;
    Some((
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    ))
}

/// Reads one whole answer (head and a `content-length` body).
async fn one_answer(tcp: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut buf))
            .await
            .expect("an answer")
            .unwrap();
        assert!(n > 0, "closed before a whole answer");
        received.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = header(head, "content-length")
                .map(|v| v.parse().unwrap())
                .unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
    }
}

/// The value of header `name` in the head of `answer`.
fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    answer
        .split("\r\n\r\n")
        .next()?
        .lines()
        .skip(1)
        .find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
}

fn status(answer: &str) -> &str {
    answer.get(9..12).unwrap_or("")
}

#[track_caller]
fn assert_security_headers(answer: &str) {
    assert_eq!(
        header(answer, "content-security-policy"),
        Some(CONTENT_SECURITY_POLICY),
        "{answer}"
    );
    assert_eq!(
        header(answer, "x-content-type-options"),
        Some("nosniff"),
        "{answer}"
    );
    assert_eq!(
        header(answer, "referrer-policy"),
        Some("same-origin"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_at_the_header_timeout() {
    let addr = spawn(Limits {
        idle_timeout: Duration::from_secs(30),
        ..short()
    })
    .await;
    let mut tcp = TcpStream::connect(&addr).await.unwrap();
    let (received, after) = until_closed(&mut tcp, Duration::from_secs(5))
        .await
        .expect("closed");
    assert_eq!(received, "", "nothing was asked, nothing is answered");
    assert!(
        after >= 250 * MS && after < Duration::from_secs(3),
        "{after:?}"
    );
}

#[tokio::test]
async fn a_trickled_head_gets_408_with_the_security_headers() {
    let addr = spawn(short()).await;
    let mut tcp = TcpStream::connect(&addr).await.unwrap();
    let (mut reader, mut writer) = tcp.split();
    let trickle = async {
        writer
            .write_all(b"GET /config HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        for i in 0.. {
            tokio::time::sleep(100 * MS).await;
            if writer
                .write_all(format!("X-Trickle-{i}: x\r\n").as_bytes())
                .await
                .is_err()
            {
                break;
            }
        }
    };
    let started = Instant::now();
    let mut received = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = reader.read(&mut buf).await {
            received.extend_from_slice(&buf[..n]);
        }
    };
    tokio::select! {
        () = read => {},
        () = trickle => {},
        () = tokio::time::sleep(Duration::from_secs(5)) => panic!("still open after 5 s"),
    }
    let after = started.elapsed();
    let answer = String::from_utf8_lossy(&received);
    assert_eq!(status(&answer), "408", "{answer}");
    assert_eq!(header(&answer, "connection"), Some("close"));
    assert_security_headers(&answer);
    assert!(after < Duration::from_secs(3), "{after:?}");
}

#[tokio::test]
async fn a_trickled_body_gets_408_and_the_connection_is_closed() {
    let addr = spawn(Limits {
        header_read_timeout: Duration::from_secs(5),
        idle_timeout: Duration::from_secs(5),
        ..short()
    })
    .await;
    let mut tcp = TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(
        b"POST /change-subscription-interval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{\"a\":\"",
    )
    .await
    .unwrap();
    let (mut reader, mut writer) = tcp.split();
    let trickle = async {
        loop {
            tokio::time::sleep(50 * MS).await;
            if writer.write_all(b"xxxxxxxxxx").await.is_err() {
                break;
            }
        }
    };
    let started = Instant::now();
    let mut received = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = reader.read(&mut buf).await {
            received.extend_from_slice(&buf[..n]);
        }
    };
    tokio::select! {
        () = read => {},
        () = tokio::time::sleep(Duration::from_secs(5)) => panic!("still open after 5 s"),
    }
    drop(trickle);
    let after = started.elapsed();
    let answer = String::from_utf8_lossy(&received);
    assert_eq!(status(&answer), "408", "{answer}");
    assert_security_headers(&answer);
    assert!(header(&answer, "x-request-id").is_some(), "{answer}");
    assert!(
        after >= 250 * MS && after < Duration::from_secs(3),
        "{after:?}"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_at_the_idle_timeout() {
    // Idle longer than the header timeout: waiting for the next request is
    // not reading a head.
    let addr = spawn(Limits {
        idle_timeout: 900 * MS,
        ..short()
    })
    .await;
    let mut tcp = TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(b"GET /config HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = one_answer(&mut tcp).await;
    assert_eq!(status(&answer), "200", "{answer}");
    let (rest, after) = until_closed(&mut tcp, Duration::from_secs(5))
        .await
        .expect("closed");
    assert_eq!(rest, "");
    assert!(
        after >= 700 * MS && after < Duration::from_secs(3),
        "{after:?}"
    );
}

#[tokio::test]
async fn a_keep_alive_connection_serves_several_requests() {
    let addr = spawn(short()).await;
    let mut tcp = TcpStream::connect(&addr).await.unwrap();
    for _ in 0..3 {
        tcp.write_all(b"GET /config HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(status(&one_answer(&mut tcp).await), "200");
        tokio::time::sleep(150 * MS).await;
    }
}

#[tokio::test]
async fn a_declared_oversize_body_gets_413_at_once() {
    // Long timeouts: the answer must not wait for any of them.
    let addr = spawn(Limits::default()).await;
    for (path, auth, limit_kib) in [
        ("/change-subscription-interval", "", 16),
        ("/create-checkout-session", "", 16),
        (
            "/v1/checkout/sessions",
            "Authorization: Bearer sk_test_sandbox\r\n",
            64,
        ),
    ] {
        let mut tcp = TcpStream::connect(&addr).await.unwrap();
        let started = Instant::now();
        tcp.write_all(
            format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: 99999999\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
        let answer = one_answer(&mut tcp).await;
        let after = started.elapsed();
        assert_eq!(status(&answer), "413", "{path}: {answer}");
        assert!(after < Duration::from_secs(1), "{path}: {after:?}");
        assert_security_headers(&answer);
        assert!(
            answer.contains(&format!("limit {limit_kib} KiB")),
            "{path}: {answer}"
        );
        let body: serde_json::Value =
            serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap();
        if limit_kib == 16 {
            assert_eq!(body["type"], "error", "{path}");
        } else {
            assert_eq!(body["error"]["type"], "invalid_request_error", "{path}");
        }
    }
    // Between the two limits: the merchant refuses, the emulator reads on.
    let client = reqwest::Client::new();
    let big = format!("{{\"checkout_session_id\":\"{}\"}}", "a".repeat(20_000));
    let r = client
        .post(format!("http://{addr}/apply-customer-discount"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let r = client
        .post(format!("http://{addr}/v1/checkout/sessions"))
        .bearer_auth("sk_test_sandbox")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("metadata[note]={}", "a".repeat(20_000)))
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 413);
}

#[tokio::test]
async fn over_the_connection_cap_new_connections_get_a_polite_503() {
    let addr = spawn(Limits {
        header_read_timeout: Duration::from_secs(10),
        max_connections: 3,
        ..short()
    })
    .await;
    // Three connections in the middle of a head: they keep their slots.
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut tcp = TcpStream::connect(&addr).await.unwrap();
        tcp.write_all(b"GET /config HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        held.push(tcp);
    }
    tokio::time::sleep(100 * MS).await;
    let mut refused = TcpStream::connect(&addr).await.unwrap();
    refused
        .write_all(b"GET /config HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (answer, after) = until_closed(&mut refused, Duration::from_secs(3))
        .await
        .expect("refused and closed");
    assert_eq!(status(&answer), "503", "{answer}");
    assert_eq!(header(&answer, "retry-after"), Some("1"));
    assert_eq!(header(&answer, "connection"), Some("close"));
    assert_security_headers(&answer);
    assert!(after < Duration::from_secs(2), "{after:?}");
    // Once the held connections go, a customer is served again.
    drop(held);
    tokio::time::sleep(100 * MS).await;
    let r = reqwest::get(format!("http://{addr}/config")).await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn at_the_cap_a_connection_that_only_waits_gives_its_slot_to_a_new_one() {
    // Connections qualify after a quarter of their timeout here (500 ms).
    let addr = spawn(Limits {
        header_read_timeout: 2000 * MS,
        idle_timeout: 2000 * MS,
        max_connections: 3,
        ..short()
    })
    .await;
    // One idle keep-alive connection (the longest waiting) and two that sent nothing.
    let mut keep_alive = TcpStream::connect(&addr).await.unwrap();
    keep_alive
        .write_all(b"GET /config HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(status(&one_answer(&mut keep_alive).await), "200");
    let mut silent = Vec::new();
    for _ in 0..2 {
        silent.push(TcpStream::connect(&addr).await.unwrap());
        tokio::time::sleep(20 * MS).await;
    }
    // Not yet: a client that has just connected keeps its slot.
    let mut early = TcpStream::connect(&addr).await.unwrap();
    let (answer, _) = until_closed(&mut early, Duration::from_secs(3))
        .await
        .expect("refused");
    assert_eq!(status(&answer), "503", "{answer}");
    tokio::time::sleep(600 * MS).await;
    let started = Instant::now();
    let mut customer = TcpStream::connect(&addr).await.unwrap();
    customer
        .write_all(b"GET /config HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = until_closed(&mut customer, Duration::from_secs(3))
        .await
        .expect("answered");
    assert_eq!(status(&answer), "200", "{answer}");
    assert!(started.elapsed() < Duration::from_secs(1));
    // A connection that never sent anything goes first (the older one), not
    // the keep-alive client that was served.
    let (rest, after) = until_closed(&mut silent[0], Duration::from_secs(1))
        .await
        .expect("the older silent connection was closed");
    assert_eq!(rest, "");
    assert!(after < Duration::from_secs(1));
    assert!(
        until_closed(&mut keep_alive, 300 * MS).await.is_none(),
        "the keep-alive connection was closed"
    );
}

#[tokio::test]
async fn oversized_heads_get_431_and_414_with_the_security_headers() {
    let addr = spawn(Limits::default()).await;
    let ask = |request: String| {
        let addr = addr.clone();
        async move {
            let mut tcp = TcpStream::connect(&addr).await.unwrap();
            tcp.write_all(request.as_bytes()).await.unwrap();
            until_closed(&mut tcp, Duration::from_secs(5))
                .await
                .expect("answered")
                .0
        }
    };
    let long_uri = ask(format!(
        "GET /config?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(10_000)
    ))
    .await;
    assert_eq!(status(&long_uri), "414", "{long_uri}");
    assert_security_headers(&long_uri);
    let big_headers = ask(format!(
        "GET /config HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(20_000)
    ))
    .await;
    assert_eq!(status(&big_headers), "431", "{big_headers}");
    assert_security_headers(&big_headers);
    // The documented exception: a head over hyper's 64 KiB buffer is
    // answered by hyper itself, bare.
    let huge = ask(format!(
        "GET /config HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(100_000)
    ))
    .await;
    assert_eq!(status(&huge), "431", "{huge}");
    assert_eq!(header(&huge, "content-security-policy"), None, "{huge}");
}

#[tokio::test]
async fn a_slow_application_gets_503_with_the_security_headers() {
    let addr = spawn(Limits {
        request_timeout: 400 * MS,
        ..Limits::default()
    })
    .await;
    let client = reqwest::Client::new();
    let r = client
        .post(format!("http://{addr}/sandbox/faults"))
        .json(&serde_json::json!({"hang_next": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let started = Instant::now();
    let r = client
        .get(format!("http://{addr}/v1/checkout/sessions/cs_test_hang"))
        .bearer_auth("sk_test_sandbox")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        r.headers()["content-security-policy"],
        CONTENT_SECURITY_POLICY
    );
    assert!(r.headers().contains_key("x-request-id"));
}
