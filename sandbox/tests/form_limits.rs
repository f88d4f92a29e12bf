//! The form parser's limits over HTTP semantics (docs/sandbox-contract.md,
//! "Limits"): parameter count, nesting depth, array indexes, and the
//! publishable key checked before the parse. No timing is asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod inprocess;

use inprocess::*;

/// A payment-mode session's base parameters (no line items).
fn payment_base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("mode", "payment"),
        ("ui_mode", "custom"),
        ("return_url", "http://127.0.0.1:8080/return"),
        ("permissions[update_line_items]", "server_only"),
        ("permissions[update_discounts]", "server_only"),
    ]
}

/// `n` junk parameters `a[]=` (what the probe sent).
fn junk(n: usize) -> String {
    vec!["a[]="; n].join("&")
}

#[tokio::test]
async fn too_many_parameters_is_a_400_naming_the_limit() {
    let app = app();
    let body = format!("{}&{}", form(&payment_base()), junk(12_000));
    let (status, body) = send(&app, "POST", "/v1/checkout/sessions", body, true).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("1000 parameters"), "{message}");

    // The same on the query string of a GET.
    let uri = format!("/v1/checkout/sessions/cs_test_x?{}", junk(1_001));
    let (status, body) = send(&app, "GET", &uri, String::new(), true).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("1000 parameters"));
}

#[tokio::test]
async fn payment_pages_check_the_key_before_parsing_the_body() {
    let app = app();
    for path in ["init", "confirm"] {
        let uri = format!("/v1/payment_pages/cs_test_x/{path}");
        // A bad or missing key answers 401 even when the rest of the body
        // could not be parsed (12 000 keys, conflicting keys): the key is
        // looked up with a linear scan before the tree is built.
        for body in [
            format!("{}&key=pk_live_abcdefgh", junk(12_000)),
            format!("key=sk_test_abcdefgh&{}", junk(12_000)),
            junk(12_000),
            "key=pk_live_abcdefgh&a=1&a[b]=2".to_owned(),
        ] {
            let (status, answer) = send(&app, "POST", &uri, body, false).await;
            assert_eq!(status, 401, "{path}: {answer}");
            assert_eq!(answer["error"]["type"], "invalid_request_error");
        }
        // The last `key` wins, as for every other parameter.
        let body = format!("key=pk_test_sandbox&key=pk_live_x&{}", junk(3));
        let (status, _) = send(&app, "POST", &uri, body, false).await;
        assert_eq!(status, 401, "{path}");
        // A good key: the full parse then refuses the body with a 400.
        let body = format!("key=pk_test_sandbox&{}", junk(12_000));
        let (status, answer) = send(&app, "POST", &uri, body, false).await;
        assert_eq!(status, 400, "{path}: {answer}");
        assert!(answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1000 parameters"));
    }
}

#[tokio::test]
async fn array_indexes_and_depth_are_bounded() {
    let app = app();
    // An index past the bound is refused, naming the parameter.
    let mut pairs = payment_base();
    pairs.extend([
        ("line_items[99999999][price]", "price_sandbox_monthly"),
        ("line_items[99999999][quantity]", "1"),
    ]);
    let (status, body) = post(&app, "/v1/checkout/sessions", &pairs).await;
    assert_refused(status, &body, "line_items[99999999]");
    assert!(body["error"]["message"].as_str().unwrap().contains("999"));
    // So is an index too long to be a number at all.
    let (status, body) = post(
        &app,
        "/v1/checkout/sessions",
        &[("expand[123456789012345678901234567890]", "line_items")],
    )
    .await;
    assert_refused(status, &body, "expand[123456789012345678901234567890]");
    // Nesting deeper than 8 levels.
    let (status, body) = post(
        &app,
        "/v1/checkout/sessions",
        &[("metadata[a][b][c][d][e][f][g][h]", "x")],
    )
    .await;
    assert_refused(status, &body, "metadata[a][b][c][d][e][f][g][h]");
    assert!(body["error"]["message"].as_str().unwrap().contains('8'));
}
