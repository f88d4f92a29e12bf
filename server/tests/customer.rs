//! Policies that ask the merchant's systems about the customer: a
//! [`CustomerIdentity`] names the customer from the request that starts the
//! checkout (here a header standing for the shop's session cookie), the
//! session is created with it, and the async discount policy decides on it
//! (a loyalty tier looked up in the "merchant's database"); when that lookup
//! fails, the update is refused with 503 "try again" and nothing is sent to
//! Stripe.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use checkout_server::{
    App, Config, Customer, CustomerIdentity, Discount, DiscountPolicy, Order, PolicyError,
    PolicyFuture,
};
use common::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The shop's accounts: id → (email, tier).
fn accounts() -> HashMap<&'static str, (&'static str, &'static str)> {
    HashMap::from([
        ("acct-7", ("ada@example.com", "gold")),
        ("acct-8", ("bob@example.com", "basic")),
        ("acct-9", ("cy@example.com", "gold")),
        ("acct-down", ("eve@example.com", "unreachable")),
    ])
}

/// The account of the `x-shop-account` header (the shop's login, here);
/// some accounts have a Stripe Customer (`stripe`: account → `cus_…`).
#[derive(Default)]
struct ShopLogin {
    stripe: HashMap<&'static str, String>,
}

impl CustomerIdentity for ShopLogin {
    fn identify<'a>(&'a self, headers: &'a HeaderMap) -> PolicyFuture<'a, Customer> {
        Box::pin(async move {
            let Some(id) = headers.get("x-shop-account").and_then(|v| v.to_str().ok()) else {
                return Ok(Customer::default());
            };
            let accounts = accounts();
            let (email, tier) = accounts
                .get(id)
                .ok_or_else(|| PolicyError("no such account".into()))?;
            Ok(Customer {
                customer: self.stripe.get(id).cloned(),
                client_reference_id: Some(id.to_owned()),
                email: Some((*email).to_owned()),
                metadata: BTreeMap::from([("tier".to_owned(), (*tier).to_owned())]),
            })
        })
    }
}

/// 25 % off for gold members, whatever the amount; asks the loyalty system,
/// which may be down. Remembers the Stripe Customers it was asked about.
#[derive(Default)]
struct Loyalty {
    seen: std::sync::Mutex<Vec<Option<String>>>,
}

impl DiscountPolicy for Loyalty {
    fn discount_for<'a>(&'a self, order: &'a Order<'a>) -> PolicyFuture<'a, Option<Discount>> {
        self.seen
            .lock()
            .unwrap()
            .push(order.customer.customer.clone());
        Box::pin(async move {
            match order.customer.metadata.get("tier").map(String::as_str) {
                Some("unreachable") => Err(PolicyError("loyalty system timed out".into())),
                Some("gold") => Ok(Some(Discount {
                    name: "Gold member".into(),
                    amount_off: order.subtotal / 4,
                    currency: order.currency.to_owned(),
                })),
                _ => Ok(None),
            }
        })
    }
}

async fn start(merchant: &axum::Router, account: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::post("/create-checkout-session");
    if let Some(account) = account {
        request = request.header("x-shop-account", account);
    }
    let response = merchant
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn id_of(reply: &Value) -> String {
    reply["clientSecret"]
        .as_str()
        .unwrap()
        .split("_secret_")
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_customer_the_shop_names_is_on_the_session_and_the_policy_decides_on_it() {
    let base = spawn_sandbox().await;
    // acct-9 has a Stripe Customer.
    let (_, stripe_customer) =
        sandbox_post(&base, "/v1/customers", &[("email", "cy@example.com")]).await;
    let cus = stripe_customer["id"].as_str().unwrap().to_owned();
    let loyalty = Arc::new(Loyalty::default());
    let merchant = App::new(Config::sandbox(&base))
        .customer_identity(Arc::new(ShopLogin {
            stripe: HashMap::from([("acct-9", cus.clone())]),
        }))
        .discount_policy(loyalty.clone())
        .router();

    // A gold member: the session carries who they are; 25 % off $15.00.
    let (status, reply) = start(&merchant, Some("acct-7")).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let gold = id_of(&reply);
    let (_, session) = sandbox_get(&base, &gold).await;
    assert_eq!(session["client_reference_id"], "acct-7");
    assert_eq!(session["customer_email"], "ada@example.com");
    assert_eq!(session["metadata"]["tier"], "gold");
    let apply = |id: &str| json!({"checkout_session_id": id});
    let (status, body) = post_json(&merchant, "/apply-customer-discount", &apply(&gold)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, session) = sandbox_get(&base, &gold).await;
    assert_eq!(session["amount_total"], 1500 - 375);
    // The discount follows the plan: yearly, 25 % of $150.00.
    let (status, _) = post_json(
        &merchant,
        "/change-subscription-interval",
        &json!({"checkout_session_id": gold, "interval": "yearly"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        sandbox_get(&base, &gold).await.1["amount_total"],
        15000 - 3750
    );

    // A member with a Stripe Customer: the session is created for it (and
    // not with an email: Stripe takes one or the other); the policy sees it.
    let before = last_sent(&base).await;
    let (status, reply) = start(&merchant, Some("acct-9")).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    // What went to Stripe: the Customer, and no customer_email beside it.
    let log = get_json(&format!("{base}/sandbox/requests?after={before}")).await;
    let create = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["method"] == "POST" && r["path"] == "/v1/checkout/sessions")
        .unwrap()
        .clone();
    assert_eq!(param(&create, "customer"), Some(cus.as_str()));
    assert_eq!(param(&create, "client_reference_id"), Some("acct-9"));
    assert_eq!(param(&create, "metadata[tier]"), Some("gold"));
    assert!(
        !param_names(&create).contains(&"customer_email".to_owned()),
        "{create}"
    );
    let with_customer = id_of(&reply);
    let (_, session) = sandbox_get(&base, &with_customer).await;
    assert_eq!(
        (session["customer"].as_str(), &session["customer_email"]),
        (Some(cus.as_str()), &Value::Null)
    );
    let (status, _) = post_json(
        &merchant,
        "/apply-customer-discount",
        &apply(&with_customer),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(loyalty.seen.lock().unwrap().contains(&Some(cus.clone())));

    // A basic member and an anonymous customer: not eligible.
    for account in [Some("acct-8"), None] {
        let (_, reply) = start(&merchant, account).await;
        let (status, body) = post_json(
            &merchant,
            "/apply-customer-discount",
            &apply(&id_of(&reply)),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::OK, Some("not_eligible")),
            "{account:?}"
        );
    }

    // The loyalty system is down: 503 "try again", nothing sent to Stripe.
    let (_, reply) = start(&merchant, Some("acct-down")).await;
    let down = id_of(&reply);
    let before = last_sent(&base).await;
    let (status, body) = post_json(&merchant, "/apply-customer-discount", &apply(&down)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("try_again"))
    );
    let sent = sent(&base, &down, before).await;
    assert!(
        sent.iter().all(|r| r["method"] == "GET"),
        "only reads: {sent:#?}"
    );

    // An account the shop does not know: no checkout starts.
    let (status, body) = start(&merchant, Some("acct-unknown")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("try_again"))
    );
}
