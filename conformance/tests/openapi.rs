//! The committed OpenAPI document is the one the protocol crate's types
//! generate, and it lists every path, every refusal and every body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use checkout_conformance::openapi::{document, document_text, COMMITTED_PATH, REGENERATE};
use checkout_protocol::{endpoints, Refusal};
use serde_json::Value;

fn committed() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(COMMITTED_PATH);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}\nwrite it with:\n  {REGENERATE}", path.display()))
}

#[test]
fn the_committed_document_is_the_generated_one() {
    let generated = document_text();
    let committed = committed();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || committed.lines().count().min(generated.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "{COMMITTED_PATH} differs from what checkout-protocol's types generate (first at line {line}).\nWrite it again with:\n  {REGENERATE}"
        );
    }
}

#[test]
fn every_path_refusal_and_body_is_in_the_document() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in endpoints::ALL.iter().chain([&endpoints::WEBHOOK]) {
        let item = &doc["paths"][*path];
        assert!(item.is_object(), "{path} missing");
        let op = item.as_object().unwrap().values().next().unwrap();
        assert!(op["responses"]["200"].is_object(), "{path}: no success");
    }
    let refusals: Vec<&str> = doc["components"]["schemas"]["Refusal"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["const"].as_str().unwrap())
        .collect();
    let all: Vec<&str> = Refusal::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(refusals, all);
    // Each refusal is answered by some endpoint at its own status, with its message.
    let text = doc.to_string();
    for refusal in Refusal::ALL {
        assert!(text.contains(refusal.message()), "{refusal:?}'s message");
        let at_status = doc["paths"].as_object().unwrap().values().any(|item| {
            item.as_object().unwrap().values().any(|op| {
                let response = &op["responses"][refusal.status().to_string()];
                response
                    .to_string()
                    .contains(&format!("\"{}\"", refusal.code()))
            })
        });
        assert!(at_status, "{refusal:?} at {}", refusal.status());
    }
    // The bodies, with their fields.
    let schemas = &doc["components"]["schemas"];
    for (name, field) in [
        ("ChangeIntervalRequest", "interval"),
        ("UpdateQuantityRequest", "quantity"),
        ("UpdateDiscountsRequest", "discounts"),
        ("SessionRequest", "checkout_session_id"),
        ("CreateSessionRequest", "customer_email"),
        ("ConfigReply", "publishableKey"),
        ("ClientSecretReply", "clientSecret"),
        ("OrderStatusReply", "amountTotal"),
        ("SessionStatusReply", "status"),
    ] {
        assert!(
            schemas[name]["properties"][field].is_object(),
            "{name}.{field}: {}",
            schemas[name]
        );
    }
    assert_eq!(
        schemas["ChangeIntervalRequest"]["additionalProperties"],
        Value::Bool(false)
    );
    assert_eq!(
        schemas["Quantity"]["maximum"],
        checkout_protocol::limits::MAX_QUANTITY
    );
}
