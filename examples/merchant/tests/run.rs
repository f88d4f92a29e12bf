//! The example merchant server, built and run as a merchant would
//! (`--emulator`): a student's checkout gets 10 % off, paying it writes the
//! warehouse's line once (the webhook and the customer's return both
//! fulfil), the answers carry the security headers, and SIGTERM ends it
//! cleanly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

#[tokio::test]
async fn a_students_order_is_discounted_paid_and_written_for_the_warehouse_once() {
    let dir = std::env::temp_dir().join(format!("merchant-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let orders = dir.join("orders.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_checkout-merchant-example"))
        .arg("--emulator")
        .env("PORT", "0")
        .env("HOST", "127.0.0.1")
        .env("RUST_LOG", "warn")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/orders.db", dir.display()),
        )
        .env("ORDERS_FILE", &orders)
        .env_remove("CHECKOUT_MODE")
        .env_remove("STRIPE_SECRET_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let http = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        let request = http.post(format!("{base}{path}")).json(&body);
        async move {
            let response = request.send().await.unwrap();
            let headers = response.headers().clone();
            (
                response.status().as_u16(),
                headers,
                response.json::<Value>().await.unwrap(),
            )
        }
    };

    let (status, headers, created) = post(
        "/create-checkout-session",
        json!({"customer_email": "ada@uni.example.edu"}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(
        headers["x-content-type-options"], "nosniff",
        "security headers"
    );
    let secret = created["clientSecret"].as_str().unwrap().to_owned();
    let id = secret.split("_secret_").next().unwrap().to_owned();
    let (status, _, body) = post(
        "/apply-customer-discount",
        json!({"checkout_session_id": id}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let paid = http
        .post(format!("{base}/v1/payment_pages/{id}/confirm"))
        .form(&[
            ("key", "pk_test_sandbox"),
            ("client_secret", secret.as_str()),
            ("payment_method[card][number]", "4242424242424242"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 200);
    let (_, _, status_reply) = post("/order-status", json!({"checkout_session_id": id})).await;
    assert_eq!(
        status_reply,
        json!({"status": "fulfilled", "amountTotal": 1350, "currency": "usd"})
    );
    // The webhook's delivery may come before or after: one line either way.
    let (_, _, _) = post("/order-status", json!({"checkout_session_id": id})).await;
    let written = std::fs::read_to_string(&orders).unwrap();
    assert_eq!(written, format!("{id} 1350 usd ada@uni.example.edu\n"));

    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
