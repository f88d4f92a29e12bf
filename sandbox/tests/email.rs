//! The customer's email: `customer_email` at creation, the stand-in's
//! `updateEmail` route (`POST /v1/payment_pages/{id}`), confirm refusing a
//! session without one, and `customer_details.email` once paid.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;

const PK: (&str, &str) = ("key", "pk_test_sandbox");
const CARD: (&str, &str) = ("payment_method[card][number]", "4242424242424242");

#[tokio::test]
async fn the_customers_email_is_checked_kept_and_needed_to_confirm() {
    let base = spawn_emulator().await;
    let created = sandbox_create(&base, &[]).await;
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let email_path = format!("/v1/payment_pages/{id}");
    let confirm_path = format!("/v1/payment_pages/{id}/confirm");
    let keys = [PK, ("client_secret", secret)];

    // Without an email: not confirmable, and confirm refuses.
    let (status, body) =
        page_post(&base, &confirm_path, &[PK, ("client_secret", secret), CARD]).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["param"], "email");
    assert_eq!(body["error"]["code"], "parameter_missing");
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(session["status"], "open");
    assert_eq!(session["customer_details"], Value::Null);

    // What the server refuses: anything that is not a whole address.
    for bad in ["ada@", "a da@example.com", "ada@@example.com", "ada"] {
        let (status, body) =
            page_post(&base, &email_path, &[keys[0], keys[1], ("email", bad)]).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(body["error"]["code"], "email_invalid", "{bad}");
        assert_eq!(body["error"]["param"], "email");
    }
    let (status, body) = page_post(&base, &email_path, &keys).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "parameter_missing");

    // Accepted (trimmed): the client-shape session has it and can confirm.
    let (status, s) = page_post(
        &base,
        &email_path,
        &[keys[0], keys[1], ("email", " ada@example.com ")],
    )
    .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["email"], "ada@example.com");
    assert_eq!(s["canConfirm"], true);
    let (_, s) = page_post(&base, &format!("/v1/payment_pages/{id}/init"), &keys).await;
    assert_eq!(s["email"], "ada@example.com", "kept on the session");
    // "" clears it (updateEmail(null) on clover and dahlia).
    let (_, s) = page_post(&base, &email_path, &[keys[0], keys[1], ("email", "")]).await;
    assert_eq!(s["email"], Value::Null);
    assert_eq!(s["canConfirm"], false);
    let (_, s) = page_post(
        &base,
        &email_path,
        &[keys[0], keys[1], ("email", "ada@example.com")],
    )
    .await;
    assert_eq!(s["canConfirm"], true);

    // The key, the secret, an unknown session.
    let (status, _) = page_post(
        &base,
        &email_path,
        &[("client_secret", secret), ("email", "x@y.zz")],
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = page_post(
        &base,
        &email_path,
        &[
            PK,
            ("client_secret", "cs_test_x_secret_y"),
            ("email", "x@y.zz"),
        ],
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = page_post(
        &base,
        "/v1/payment_pages/cs_test_nope",
        &[keys[0], keys[1], ("email", "x@y.zz")],
    )
    .await;
    assert_eq!(status, 404);

    // Paid: the API object carries customer_details.email.
    let (status, s) = page_post(&base, &confirm_path, &[PK, ("client_secret", secret), CARD]).await;
    assert_eq!(status, 200, "{s}");
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(session["status"], "complete");
    assert_eq!(session["customer_email"], Value::Null);
    let details = &session["customer_details"];
    assert_eq!(details["email"], "ada@example.com");
    assert_eq!(details["tax_exempt"], "none");
    assert_eq!(details["address"]["country"], Value::Null);
    // A complete session takes no more emails.
    let (status, _) = page_post(
        &base,
        &email_path,
        &[keys[0], keys[1], ("email", "bob@example.com")],
    )
    .await;
    assert_eq!(status, 400);

    // Listed by customer_details[email].
    let list = get_json_with_key(
        &base,
        "/v1/checkout/sessions?customer_details[email]=ada@example.com",
    )
    .await;
    let ids: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id]);
    let list = get_json_with_key(
        &base,
        "/v1/checkout/sessions?customer_details[email]=bob@example.com",
    )
    .await;
    assert_eq!(list["data"], serde_json::json!([]));
}

async fn get_json_with_key(base: &str, path: &str) -> Value {
    let response = http()
        .get(format!("{base}{path}"))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_email_given_at_confirm_is_used() {
    let base = spawn_emulator().await;
    let created = sandbox_create(&base, &[]).await;
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let path = format!("/v1/payment_pages/{id}/confirm");
    let (status, body) = page_post(
        &base,
        &path,
        &[PK, ("client_secret", secret), CARD, ("email", "nope")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "email_invalid");
    let (status, body) = page_post(
        &base,
        &path,
        &[
            PK,
            ("client_secret", secret),
            CARD,
            ("email", "cy@example.org"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["email"], "cy@example.org");
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(session["customer_details"]["email"], "cy@example.org");
}

#[tokio::test]
async fn the_merchants_customer_email_is_the_sessions_from_the_start() {
    let base = spawn_emulator().await;
    let (status, body) = sandbox_try_create(&base, &[("customer_email", "ada@")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "email_invalid");
    assert_eq!(body["error"]["param"], "customer_email");

    let created = sandbox_create(&base, &[("customer_email", "known@example.com")]).await;
    assert_eq!(created["customer_email"], "known@example.com");
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let keys = [PK, ("client_secret", secret)];
    let (_, s) = page_post(&base, &format!("/v1/payment_pages/{id}/init"), &keys).await;
    assert_eq!(s["email"], "known@example.com");
    assert_eq!(s["canConfirm"], true);
    let (status, _) = page_post(
        &base,
        &format!("/v1/payment_pages/{id}/confirm"),
        &[keys[0], keys[1], CARD],
    )
    .await;
    assert_eq!(status, 200);
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(session["customer_details"]["email"], "known@example.com");
}

/// Stripe.js throws from `updateEmail` when the session was created with
/// `customer_email` (beta_6 changelog); the emulator's email route refuses
/// every address then, the merchant's own included, and `""` (clearing it),
/// with 400 `param: email` and no code (the stand-in's IntegrationError),
/// and the session keeps the merchant's address.
#[tokio::test]
async fn update_email_is_refused_when_the_session_has_customer_email() {
    let base = spawn_emulator().await;
    let created = sandbox_create(&base, &[("customer_email", "known@example.com")]).await;
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let path = format!("/v1/payment_pages/{id}");
    for email in [
        "other@example.com",
        "known@example.com",
        "KNOWN@example.com",
        "",
    ] {
        let (status, body) = page_post(
            &base,
            &path,
            &[PK, ("client_secret", secret), ("email", email)],
        )
        .await;
        assert_eq!(status, 400, "{email:?}: {body}");
        let error = &body["error"];
        assert_eq!(error["type"], "invalid_request_error", "{email:?}");
        assert_eq!(error["param"], "email", "{email:?}");
        assert_eq!(error["code"], Value::Null, "{email:?}: no code");
        assert_eq!(
            error["message"],
            stripe_sandbox::payment_pages::MSG_CUSTOMER_EMAIL_SET,
            "{email:?}"
        );
    }
    let (_, s) = page_post(
        &base,
        &format!("/v1/payment_pages/{id}/init"),
        &[PK, ("client_secret", secret)],
    )
    .await;
    assert_eq!(s["email"], "known@example.com");
    assert_eq!(s["canConfirm"], true);

    // A session without customer_email takes the customer's.
    let created = sandbox_create(&base, &[]).await;
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let (status, s) = page_post(
        &base,
        &format!("/v1/payment_pages/{id}"),
        &[PK, ("client_secret", secret), ("email", "ada@example.com")],
    )
    .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["email"], "ada@example.com");
}

/// Stripe.js throws from `confirm({returnUrl})` when the session already
/// has a `return_url` (basil changelog); every session has one, so the
/// emulator's confirm route refuses any `return_url` with 400
/// `param: return_url` and no code, before paying: the session stays open.
/// Without it the same confirmation pays.
#[tokio::test]
async fn confirm_with_a_return_url_is_refused_when_the_session_has_one() {
    let base = spawn_emulator().await;
    let created = sandbox_create(&base, &[("customer_email", "known@example.com")]).await;
    let id = created["id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    assert!(created["return_url"]
        .as_str()
        .is_some_and(|u| !u.is_empty()));
    let path = format!("/v1/payment_pages/{id}/confirm");
    for url in ["https://shop.example/done", ""] {
        let (status, body) = page_post(
            &base,
            &path,
            &[PK, ("client_secret", secret), CARD, ("return_url", url)],
        )
        .await;
        assert_eq!(status, 400, "{url:?}: {body}");
        let error = &body["error"];
        assert_eq!(error["type"], "invalid_request_error");
        assert_eq!(error["param"], "return_url");
        assert_eq!(error["code"], Value::Null);
        assert_eq!(
            error["message"],
            stripe_sandbox::payment_pages::MSG_RETURN_URL_SET
        );
    }
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(session["status"], "open", "nothing was paid");
    let (status, body) = page_post(&base, &path, &[PK, ("client_secret", secret), CARD]).await;
    assert_eq!(status, 200, "{body}");
    let (_, session) = sandbox_get(&base, id).await;
    assert_eq!(session["status"], "complete");
}
