//! `assets/checkout-start.js` creates the Stripe.js checkout before the wasm
//! runs; what it calls must be what the widget would call (`Train`'s
//! `init_entry` and `secret_option`, the server-updates beta). It cannot
//! import them, so this reads its table and compares.

#![cfg(not(target_arch = "wasm32"))]

use checkout_protocol::api_version::STRIPE_JS_BETA;
use checkout_protocol::Train;

fn script() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/checkout-start.js");
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn the_starter_creates_the_checkout_as_each_train_wants() {
    let script = script();
    assert!(
        script.contains(&format!("const BETA = '{STRIPE_JS_BETA}';")),
        "checkout-start.js's BETA is not {STRIPE_JS_BETA}"
    );
    let table = script
        .split("const INIT = {")
        .nth(1)
        .and_then(|rest| rest.split("};").next())
        .unwrap_or_default();
    let rows: Vec<&str> = table
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let expected: Vec<String> = Train::ALL
        .iter()
        .map(|train| {
            format!(
                "{}: ['{}', '{}'],",
                train.as_str(),
                train.init_entry(),
                train.secret_option()
            )
        })
        .collect();
    assert_eq!(rows, expected, "checkout-start.js's INIT table");
}
