//! The invariant of `checkout_server::policy`: whatever requests arrive, in
//! whatever order and concurrency, on however many server instances, a session
//! never holds a discount, trial or quantity the policies forbid for the line
//! items it holds. Each test ends by reading the emulator's session (server
//! side, and the client side Stripe.js sees for the trial) and checking it,
//! and by checking in the emulator's request log that every update the
//! merchant answered as done was applied, none twice (one idempotency key,
//! one application), and that the only other updates were repairs of what a
//! concurrent update left.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use axum::Router;
use common::*;
use serde_json::{json, Value};

/// Rounds per race; each round starts a fresh session.
const ROUNDS: usize = 20;

/// The default discount policy: 10 % over $100, at most $20.
fn allowed_discount(subtotal: i64) -> i64 {
    if subtotal > 10_000 {
        (subtotal / 10).min(2_000)
    } else {
        0
    }
}

/// Reads the session and checks the invariant; returns (interval, quantity,
/// discount, trial days) for the caller's own assertions.
async fn check_invariant(base: &str, id: &str, secret: &str) -> (String, i64, i64, Option<i64>) {
    let (status, s) = sandbox_get(base, id).await;
    assert_eq!(status, 200, "{s}");
    let items = s["line_items"]["data"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{s}");
    let quantity = items[0]["quantity"].as_i64().unwrap();
    assert!((1..=10).contains(&quantity), "quantity {quantity}");
    let interval = items[0]["price"]["recurring"]["interval"]
        .as_str()
        .unwrap()
        .to_owned();
    let subtotal = s["amount_subtotal"].as_i64().unwrap();
    let discount = s["total_details"]["amount_discount"].as_i64().unwrap();
    assert!(
        discount == 0 || discount == allowed_discount(subtotal),
        "{interval} × {quantity} = {subtotal} holds a discount of {discount}; the policy allows {} (or none)",
        allowed_discount(subtotal)
    );
    let (_, client) = sandbox_post(
        base,
        &format!("/v1/payment_pages/{id}/init"),
        &[("key", "pk_test_sandbox"), ("client_secret", secret)],
    )
    .await;
    let trial = client["recurring"]["trial"]["trialPeriodDays"].as_i64();
    assert!(
        trial.is_none() || (interval == "year" && trial == Some(14)),
        "a {interval} plan holds a trial of {trial:?} days"
    );
    (interval, quantity, discount, trial)
}

/// A fresh session through `merchant`, brought to `interval` × `quantity`.
async fn session_at(
    base: &str,
    merchant: &Router,
    interval: &str,
    quantity: u64,
) -> (String, String, String) {
    let (id, secret) = merchant_session(merchant).await;
    if interval == "yearly" {
        let (status, r) = post_json(
            merchant,
            "/change-subscription-interval",
            &json!({"checkout_session_id": id, "interval": "yearly"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{r}");
    }
    let (_, s) = sandbox_get(base, &id).await;
    let li = s["line_items"]["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    if quantity != 1 {
        let (status, r) = post_json(
            merchant,
            "/update-line-item-quantity",
            &json!({"checkout_session_id": id, "line_item_id": li, "quantity": quantity}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{r}");
    }
    (id, secret, li)
}

/// Whether a merchant answer says the update was applied.
fn applied(status: StatusCode, body: &Value) -> bool {
    status == StatusCode::OK && body["type"] != "error"
}

/// A merchant request: path and body.
type Req = (&'static str, Value);

/// Sends `a` through `via_a` and `b` through `via_b` at the same moment, `a`
/// started first on even rounds and `b` on odd ones. Each must succeed, be
/// refused by a business rule (200 `type: error`), or be refused as a
/// conflict (409) — never fail otherwise. Returns how many the merchant
/// answered as applied.
async fn race(round: usize, (via_a, a): (&Router, Req), (via_b, b): (&Router, Req)) -> u64 {
    let send = |via: &Router, (path, body): Req| {
        let via = via.clone();
        tokio::spawn(async move { post_json(&via, path, &body).await })
    };
    let (ta, tb) = if round.is_multiple_of(2) {
        let ta = send(via_a, a);
        (ta, send(via_b, b))
    } else {
        let tb = send(via_b, b);
        (send(via_a, a), tb)
    };
    let mut done = 0;
    for (status, body) in [ta.await.unwrap(), tb.await.unwrap()] {
        assert!(
            status == StatusCode::OK || status == StatusCode::CONFLICT,
            "{status}: {body}"
        );
        done += u64::from(applied(status, &body));
    }
    done
}

/// What one round ended with: (interval, quantity, discount, trial days).
type Outcome = (String, i64, i64, Option<i64>);

/// [`ROUNDS`] races of `make(session id, line item id)` on fresh sessions at
/// `interval` × `quantity` (after the `prepare` endpoints), through one
/// merchant instance or two. After each round: the invariant, and the
/// emulator applied exactly the updates the merchant answered as applied.
async fn races(
    two_instances: bool,
    interval: &str,
    quantity: u64,
    prepare: &[&'static str],
    make: impl Fn(&str, &str) -> (Req, Req),
) -> Vec<Outcome> {
    let base = spawn_sandbox().await;
    let a = checkout_server::app(checkout_server::Config::sandbox(&base));
    let b = if two_instances {
        checkout_server::app(checkout_server::Config::sandbox(&base))
    } else {
        a.clone()
    };
    let mut outcomes = Vec::new();
    let mut repairs = 0;
    for round in 0..ROUNDS {
        let (id, secret, li) = session_at(&base, &a, interval, quantity).await;
        for path in prepare {
            let (status, r) = post_json(&a, path, &json!({"checkout_session_id": id})).await;
            assert!(applied(status, &r), "{path}: {status} {r}");
        }
        let before = last_sent(&base).await;
        let (x, y) = make(&id, &li);
        let done = race(round, (&a, x), (&b, y)).await;
        let requests = sent(&base, &id, before).await;
        let applied = applied_updates(&requests);
        let mut keys: Vec<&str> = applied
            .iter()
            .map(|r| r["idempotency_key"].as_str().unwrap())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), applied.len(), "no update was applied twice");
        let applied = u64::try_from(applied.len()).unwrap();
        assert!(
            applied >= done,
            "every update answered as applied was applied ({applied} of {done})"
        );
        // Beyond those, only repairs of what a concurrent update left.
        assert!(
            applied - done <= 2 * MAX_REPAIRS,
            "{applied} applied for {done} answered"
        );
        repairs += applied - done;
        outcomes.push(check_invariant(&base, &id, &secret).await);
    }
    eprintln!("{ROUNDS} rounds, {repairs} repairs");
    outcomes
}

/// Repairs one merchant update may make (`merchant/consistency.rs`).
const MAX_REPAIRS: u64 = 3;

fn interval(id: &str, interval: &str) -> Req {
    (
        "/change-subscription-interval",
        json!({"checkout_session_id": id, "interval": interval}),
    )
}

fn apply_discount(id: &str) -> Req {
    (
        "/apply-customer-discount",
        json!({"checkout_session_id": id}),
    )
}

fn update_discounts(id: &str) -> Req {
    (
        "/update-discounts",
        json!({"checkout_session_id": id, "discounts": [{"coupon": "customer"}]}),
    )
}

fn quantity(id: &str, li: &str, quantity: u64) -> Req {
    (
        "/update-line-item-quantity",
        json!({"checkout_session_id": id, "line_item_id": li, "quantity": quantity}),
    )
}

fn trial(id: &str) -> Req {
    (
        "/extend-trial-for-yearly",
        json!({"checkout_session_id": id}),
    )
}

/// Yearly → trial → monthly, the widget's normal order: the monthly plan
/// must not keep the yearly trial.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_monthly_plan_never_keeps_the_yearly_trial() {
    let (base, merchant) = setup().await;
    let (id, secret, _) = session_at(&base, &merchant, "yearly", 1).await;
    let (status, r) = post_json(&merchant, trial(&id).0, &trial(&id).1).await;
    assert!(applied(status, &r), "{r}");
    let (interval_now, _, _, days) = check_invariant(&base, &id, &secret).await;
    assert_eq!((interval_now.as_str(), days), ("year", Some(14)));
    let (path, body) = interval(&id, "monthly");
    let (status, r) = post_json(&merchant, path, &body).await;
    assert!(applied(status, &r), "{r}");
    let (interval_now, _, _, days) = check_invariant(&base, &id, &secret).await;
    assert_eq!((interval_now.as_str(), days), ("month", None));
    // Back to yearly: the trial is an offer the customer takes again.
    let (path, body) = interval(&id, "yearly");
    post_json(&merchant, path, &body).await;
    let (_, _, _, days) = check_invariant(&base, &id, &secret).await;
    assert_eq!(days, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn race_discount_vs_interval() {
    for two in [false, true] {
        let outcomes = races(two, "yearly", 1, &[], |id, _| {
            (apply_discount(id), interval(id, "monthly"))
        })
        .await;
        // Both orders happen; what matters is that each end is allowed.
        assert!(outcomes.iter().all(|(i, ..)| i == "month"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn race_discount_vs_quantity() {
    for two in [false, true] {
        races(two, "monthly", 10, &[], |id, li| {
            (apply_discount(id), quantity(id, li, 1))
        })
        .await;
        races(two, "monthly", 10, &[], |id, li| {
            (update_discounts(id), quantity(id, li, 1))
        })
        .await;
    }
}

/// Yearly × 2 with $20 off, then a race to quantity 1 ($150: at most $15).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn race_to_a_smaller_quantity_with_a_capped_discount() {
    for two in [false, true] {
        races(two, "yearly", 2, &["/apply-customer-discount"], |id, li| {
            (apply_discount(id), quantity(id, li, 1))
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn race_trial_vs_interval() {
    for two in [false, true] {
        races(two, "yearly", 1, &[], |id, _| {
            (trial(id), interval(id, "monthly"))
        })
        .await;
        races(two, "yearly", 1, &["/apply-customer-discount"], |id, li| {
            (trial(id), quantity(id, li, 3))
        })
        .await;
    }
}
