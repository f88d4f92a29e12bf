//! The suite against checkout-server (its own emulator, and a separate
//! emulator as its Stripe with the webhook endpoint registered as a
//! merchant of its own would), and against deliberately broken servers
//! (a proxy in front of checkout-server that changes one answer): the
//! report names the failing check and what came back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../server/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use checkout_catalogue::Catalogue;
use checkout_conformance::{run, Options, Outcome, Report};
use checkout_protocol::{endpoints, Refusal};
use checkout_server::{
    App, Config, Discount, DiscountPolicy, Mode, Order, PolicyFuture, Previews, WebhookSecret,
};
use serde_json::Value;

/// checkout-server with `--emulator`'s setup: the emulator on the same
/// listener, the webhook registered by the server.
async fn emulator_mode_server() -> String {
    common::spawn_sandbox().await
}

/// The goods shop (a desk lamp, gift wrap, shipping to some of the
/// countries its address form offers): `CHECKOUT_CATALOGUE`'s file.
const GOODS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/shops/goods.toml");

/// [`emulator_mode_server`] on the goods shop (as with
/// `CHECKOUT_CATALOGUE=examples/shops/goods.toml`): the emulator seeded
/// from the same file.
async fn goods_server() -> String {
    let goods = Arc::new(Catalogue::load(Path::new(GOODS)).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::sandbox(&base);
    config.catalogue = goods.clone();
    config.emulator.catalogue = goods;
    common::serve(listener, App::new(config).router());
    base
}

/// A separate emulator, and checkout-server in Stripe mode pointed at it
/// (as with `STRIPE_API_BASE`), whose `/webhook` is registered with the
/// emulator through its API, the secret given to the server as
/// `STRIPE_WEBHOOK_SECRET` would be. `(merchant, emulator)`.
async fn stripe_mode_server() -> (String, String) {
    stripe_mode_server_with(Previews::ALL).await
}

/// [`stripe_mode_server`] with `previews` (as `STRIPE_PREVIEWS`).
async fn stripe_mode_server_with(previews: Previews) -> (String, String) {
    let emulator = common::spawn_emulator().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let merchant = format!("http://{}", listener.local_addr().unwrap());
    let (status, endpoint) = common::sandbox_post(
        &emulator,
        "/v1/webhook_endpoints",
        &[
            ("url", &format!("{merchant}{}", endpoints::WEBHOOK)),
            ("enabled_events[]", "checkout.session.completed"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{endpoint}");
    let mut config = Config::sandbox(&emulator);
    config.mode = Mode::Stripe;
    config.previews = previews;
    config.webhook_secret = Some(WebhookSecret::new(endpoint["secret"].as_str().unwrap()));
    common::serve(listener, App::new(config).router());
    (merchant, emulator)
}

fn assert_passed(report: &Report) {
    assert!(report.passed(), "the suite failed:\n{report}");
    // Every flow ran: the payment and its webhook too.
    for name in [
        "the emulator delivered a signed checkout.session.completed to /webhook and the merchant acknowledged it (within 80 polls)",
        "POST /order-status after payment: fulfilled with the amount Stripe holds",
    ] {
        assert!(report.check(name).is_some(), "no check {name:?}:\n{report}");
    }
    assert!(report.checks.len() > 50, "{report}");
}

#[tokio::test]
async fn passes_against_checkout_server_with_its_own_emulator() {
    let base = emulator_mode_server().await;
    let report = run(&Options::new(&base, &base)).await.unwrap();
    println!("{report}");
    assert_passed(&report);
    // The demo's subscription shop has no shop endpoints: said, not checked.
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("no addOns and no shipping")),
        "{report}"
    );
    assert!(report
        .checks
        .iter()
        .all(|c| !c.name.contains(endpoints::UPDATE_ADD_ON)
            && !c.name.contains(endpoints::CALCULATE_SHIPPING_OPTIONS)));
}

/// The goods shop (payment mode, an add-on, shipping to US/CA/GB/FR and
/// not DE/JP/AU): the shop's checks run, and pass; `bad_address` and
/// `cannot_ship_to` are provoked; the plan's endpoints answer their
/// refusals.
#[tokio::test]
async fn passes_against_checkout_server_on_the_goods_shop() {
    let base = goods_server().await;
    let report = run(&Options::new(&base, &base)).await.unwrap();
    println!("{report}");
    assert_passed(&report);
    for name in [
        "POST /update-add-on \"gift-wrap\" selected: success",
        "after /update-add-on \"gift-wrap\" selected: one more line item at Stripe, \"Gift wrap\" at 500 (quantity 1), the others kept",
        "after /update-add-on \"gift-wrap\" deselected: the add-on is gone at Stripe, the others kept",
        "POST /update-add-on with no selected: refused",
        "a session that ships: permissions.update_shipping_details is server_only at Stripe (the server writes the address)",
        "POST /calculate-shipping-options without line1: refused",
        "after /calculate-shipping-options in US: Stripe holds the address and 1 to 5 shipping options, amount_total = subtotal - discount + the selected option's shipping_amount",
        "after cannot_ship_to in DE: the session's address and shipping options unchanged at Stripe",
        "POST /calculate-shipping-options: at least one of the session's allowed countries is shipped to",
        "after /update-add-on \"gift-wrap\" selected with an address: the address kept, 1 to 5 shipping options, amount_total = subtotal - discount + the selected option's shipping_amount at Stripe",
        "POST /extend-trial-for-yearly on a session without a plan: refused",
    ] {
        assert!(report.check(name).is_some(), "no check {name:?}:\n{report}");
    }
    let missed = report
        .notes
        .iter()
        .find(|n| n.starts_with("refusals no check provokes"))
        .cloned()
        .unwrap_or_default();
    for refusal in [
        Refusal::BadAddress,
        Refusal::CannotShipTo,
        Refusal::NotSubscription,
    ] {
        assert!(!missed.contains(refusal.code()), "{report}");
    }
}

#[tokio::test]
async fn passes_against_checkout_server_with_a_separate_emulator() {
    let (merchant, emulator) = stripe_mode_server().await;
    let report = run(&Options::new(&merchant, &emulator)).await.unwrap();
    println!("{report}");
    assert_passed(&report);
}

/// An answer: status and body.
type Answer = (StatusCode, Bytes);

/// What a broken server does to an answer: given the path, the JSON sent
/// and the upstream's answer, the answer it gives.
type Tamper = fn(&str, &Value, Answer) -> Answer;

/// With `STRIPE_PREVIEWS=none`, `/config`'s previews say so and the suite
/// expects 404 from the discount and trial endpoints instead of their flows.
#[tokio::test]
async fn passes_against_checkout_server_with_the_previews_off() {
    let (merchant, emulator) = stripe_mode_server_with(Previews::NONE).await;
    let report = run(&Options::new(&merchant, &emulator)).await.unwrap();
    assert!(report.passed(), "{report}");
    for path in [
        endpoints::APPLY_CUSTOMER_DISCOUNT,
        endpoints::UPDATE_DISCOUNTS,
    ] {
        let name = format!("POST {path} with the discounts preview off (/config's previews): 404");
        assert!(report.check(&name).is_some(), "{report}");
    }
    assert!(report
        .check("POST /apply-customer-discount on the yearly plan: applied or not_eligible")
        .is_none());
}

/// A merchant whose discount policy never gives one (a shop of its own).
struct NoDiscount;

impl DiscountPolicy for NoDiscount {
    fn discount_for<'a>(&'a self, _: &'a Order<'a>) -> PolicyFuture<'a, Option<Discount>> {
        Box::pin(async { Ok(None) })
    }
}

/// A policy of the merchant's own that refuses every discount passes: the
/// suite checks the refusal and that Stripe holds no discount, and says
/// which checks it could not make.
#[tokio::test]
async fn passes_against_a_server_whose_policy_gives_no_discount() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = App::new(Config::sandbox(&base))
        .discount_policy(std::sync::Arc::new(NoDiscount))
        .router();
    common::serve(listener, router);
    let report = run(&Options::new(&base, &base)).await.unwrap();
    assert!(report.passed(), "{report}");
    assert!(report
        .check("after not_eligible on the yearly plan: no discount at Stripe")
        .is_some());
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("gave no discount on the yearly plan")),
        "{report}"
    );
}

/// A server that forwards everything to `upstream` but lets `tamper`
/// answer first (or change the upstream's answer).
#[derive(Clone)]
struct Proxy {
    upstream: String,
    client: reqwest::Client,
    tamper: Tamper,
}

async fn forward(
    State(proxy): State<Proxy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut request = proxy
        .client
        .request(method, format!("{}{path}", proxy.upstream))
        .body(body.clone());
    for name in [
        "content-type",
        "origin",
        "stripe-signature",
        "authorization",
    ] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value.as_bytes());
        }
    }
    let response = request.send().await.unwrap();
    let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.as_bytes().to_vec());
    let bytes = response.bytes().await.unwrap();
    let sent: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (status, bytes) = (proxy.tamper)(uri.path(), &sent, (status, bytes));
    let mut out = (status, Body::from(bytes)).into_response();
    if let Some(ct) = content_type {
        out.headers_mut()
            .insert("content-type", ct.try_into().unwrap());
    }
    out
}

/// A broken merchant: `tamper` in front of checkout-server (emulator mode).
/// `(broken merchant, emulator)`.
async fn broken(tamper: Tamper) -> (String, String) {
    broken_in_front_of(emulator_mode_server().await, tamper).await
}

/// A broken merchant: `tamper` in front of the server at `upstream`, which
/// is also the emulator. `(broken merchant, emulator)`.
async fn broken_in_front_of(upstream: String, tamper: Tamper) -> (String, String) {
    let proxy = Proxy {
        upstream: upstream.clone(),
        client: reqwest::Client::new(),
        tamper,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = Router::new().fallback(forward).with_state(proxy);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (base, upstream)
}

/// Accepts any interval (answers success without asking Stripe).
fn accepts_any_interval(
    path: &str,
    sent: &Value,
    answer: (StatusCode, Bytes),
) -> (StatusCode, Bytes) {
    let interval = sent["interval"].as_str().unwrap_or("");
    if path == endpoints::CHANGE_SUBSCRIPTION_INTERVAL
        && !["monthly", "yearly"].contains(&interval)
        && sent["checkout_session_id"].is_string()
    {
        return (
            StatusCode::OK,
            Bytes::from_static(b"{\"type\":\"success\"}"),
        );
    }
    answer
}

/// Drops `amountTotal` from `/order-status`'s answer.
fn drops_the_amount(
    path: &str,
    _: &Value,
    (status, body): (StatusCode, Bytes),
) -> (StatusCode, Bytes) {
    if path == endpoints::ORDER_STATUS {
        if let Ok(mut v) = serde_json::from_slice::<Value>(&body) {
            if let Some(object) = v.as_object_mut() {
                object.remove("amountTotal");
            }
            return (status, Bytes::from(v.to_string()));
        }
    }
    (status, body)
}

/// Acknowledges every webhook delivery without checking its signature.
fn acknowledges_unsigned_webhooks(
    path: &str,
    _: &Value,
    answer: (StatusCode, Bytes),
) -> (StatusCode, Bytes) {
    if path == endpoints::WEBHOOK {
        return (StatusCode::OK, Bytes::from_static(b"{\"received\":true}"));
    }
    answer
}

/// Answers success where the shop refused an address (`cannot_ship_to`),
/// though nothing was written.
fn ships_anywhere(path: &str, _: &Value, (status, body): Answer) -> Answer {
    let refused = serde_json::from_slice::<Value>(&body)
        .is_ok_and(|v| v["code"] == Refusal::CannotShipTo.code());
    if path == endpoints::CALCULATE_SHIPPING_OPTIONS && refused {
        return (
            StatusCode::OK,
            Bytes::from_static(b"{\"type\":\"success\"}"),
        );
    }
    (status, body)
}

fn failure<'a>(report: &'a Report, name: &str) -> (&'a str, &'a str, &'a str) {
    match &report
        .check(name)
        .unwrap_or_else(|| panic!("no check {name:?}:\n{report}"))
        .outcome
    {
        Outcome::Fail {
            sent,
            expected,
            got,
        } => (sent, expected, got),
        Outcome::Ok => panic!("{name:?} passed against a broken server:\n{report}"),
    }
}

#[tokio::test]
async fn names_the_check_a_server_accepting_any_interval_fails() {
    let (base, stripe) = broken(accepts_any_interval).await;
    let report = run(&Options::new(&base, &stripe)).await.unwrap();
    let text = report.to_string();
    assert!(!report.passed(), "{text}");
    let name = "POST /change-subscription-interval \"weekly\" (not offered): refused";
    let (sent, expected, got) = failure(&report, name);
    assert!(
        sent.contains("/change-subscription-interval") && sent.contains("weekly"),
        "{sent}"
    );
    assert!(
        expected.contains("400") && expected.contains("invalid_request"),
        "{expected}"
    );
    assert_eq!(got, "HTTP 200 {\"type\":\"success\"}");
    // The report's text shows it.
    assert!(text.contains(&format!("FAIL {name}")), "{text}");
    assert!(
        text.contains("got:      HTTP 200 {\"type\":\"success\"}"),
        "{text}"
    );
    assert!(
        text.lines().last().unwrap().starts_with("FAILED: "),
        "{text}"
    );
    // Only what the proxy broke fails: every interval the server must refuse.
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.outcome != Outcome::Ok)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        failed,
        vec![
            name,
            "POST /change-subscription-interval without interval: refused",
            "POST /change-subscription-interval with interval a number: refused",
        ],
        "{text}"
    );
}

/// A shop claiming to ship where it wrote nothing: the checks of what
/// Stripe holds after each such address fail, and only those.
#[tokio::test]
async fn names_the_checks_a_shop_answering_success_for_an_address_it_does_not_ship_to_fails() {
    let (base, stripe) = broken_in_front_of(goods_server().await, ships_anywhere).await;
    let report = run(&Options::new(&base, &stripe)).await.unwrap();
    let text = report.to_string();
    assert!(!report.passed(), "{text}");
    let names: Vec<String> = ["DE", "JP", "AU"]
        .iter()
        .map(|country| format!("after /calculate-shipping-options in {country}: Stripe holds the address and 1 to 5 shipping options, amount_total = subtotal - discount + the selected option's shipping_amount"))
        .collect();
    for name in &names {
        let (sent, expected, got) = failure(&report, name);
        assert!(sent.contains("/v1/checkout/sessions/cs_"), "{sent}");
        assert!(
            expected.contains("collected_information.shipping_details"),
            "{expected}"
        );
        // Stripe still holds the last address shipped to.
        assert!(got.contains("\"country\":\"FR\""), "{got}");
    }
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.outcome != Outcome::Ok)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(failed, names, "{text}");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("no check saw /calculate-shipping-options refuse")),
        "{text}"
    );
}

#[tokio::test]
async fn names_the_check_a_server_dropping_the_paid_amount_fails() {
    let (base, stripe) = broken(drops_the_amount).await;
    let report = run(&Options::new(&base, &stripe)).await.unwrap();
    let (_, expected, got) = failure(
        &report,
        "POST /order-status after payment: fulfilled with the amount Stripe holds",
    );
    assert!(expected.contains("\"amountTotal\":"), "{expected}");
    assert!(
        got.starts_with("HTTP 200 ") && got.contains("fulfilled") && !got.contains("amountTotal"),
        "{got}"
    );
}

#[tokio::test]
async fn names_the_checks_a_server_acknowledging_unsigned_webhooks_fails() {
    let (base, stripe) = broken(acknowledges_unsigned_webhooks).await;
    let report = run(&Options::new(&base, &stripe)).await.unwrap();
    for name in [
        "POST /webhook without Stripe-Signature: refused",
        "POST /webhook signed with another secret: refused",
    ] {
        let (sent, _, got) = failure(&report, name);
        assert!(
            sent.starts_with("POST ") && sent.contains("/webhook"),
            "{sent}"
        );
        assert_eq!(got, "HTTP 200 {\"received\":true}");
    }
}

/// The binary: exit code 0 when every check passes, 1 with the report
/// naming the failure otherwise, 2 on a usage error.
#[tokio::test]
async fn binary_exit_codes_follow_the_report() {
    let good = emulator_mode_server().await;
    let (bad, bad_stripe) = broken(accepts_any_interval).await;
    let exe = env!("CARGO_BIN_EXE_checkout-conformance");
    let run_binary = |args: Vec<String>| {
        tokio::task::spawn_blocking(move || Command::new(exe).args(args).output().unwrap())
    };
    let ok = run_binary(vec![
        "--base-url".into(),
        good.clone(),
        "--stripe-url".into(),
        good.clone(),
        "--stripe-key".into(),
        "sk_test_conformance".into(),
    ])
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.lines().last().unwrap().starts_with("PASSED: "),
        "{stdout}"
    );
    let failed = run_binary(vec![
        format!("--base-url={bad}"),
        format!("--stripe-url={bad_stripe}"),
    ])
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL POST /change-subscription-interval \"weekly\""),
        "{stdout}"
    );
    let usage = run_binary(vec!["--base-url".into(), good]).await.unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("--stripe-url is required"));
}
