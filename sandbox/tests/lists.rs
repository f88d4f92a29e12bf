//! `GET /v1/checkout/sessions` and `GET /v1/checkout/sessions/{id}/line_items`
//! as Stripe's list objects, paginated with `limit`, `starting_after`,
//! `ending_before`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::Value;

async fn get(base: &str, path: &str) -> (u16, Value) {
    let r = http()
        .get(format!("{base}{path}"))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn ids(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn sessions_list_newest_first_with_cursors_and_filters() {
    let base = spawn_emulator().await;
    let mut created = Vec::new();
    for _ in 0..3 {
        created.push(
            sandbox_create(&base, &[]).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let (status, page) = get(&base, "/v1/checkout/sessions?limit=2").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["object"], "list");
    assert_eq!(page["url"], "/v1/checkout/sessions");
    assert_eq!(page["has_more"], true);
    assert_eq!(ids(&page), [created[2].clone(), created[1].clone()]);
    assert_eq!(page["data"][0]["object"], "checkout.session");
    assert!(page["data"][0].get("line_items").is_none());
    let (_, next) = get(
        &base,
        &format!(
            "/v1/checkout/sessions?limit=2&starting_after={}",
            created[1]
        ),
    )
    .await;
    assert_eq!(ids(&next), [created[0].clone()]);
    assert_eq!(next["has_more"], false);
    let (_, back) = get(
        &base,
        &format!("/v1/checkout/sessions?limit=1&ending_before={}", created[0]),
    )
    .await;
    assert_eq!(ids(&back), [created[1].clone()]);
    assert_eq!(back["has_more"], true);
    // Filters and expansion of each object.
    sandbox_post(
        &base,
        &format!("/v1/checkout/sessions/{}/expire", created[1]),
        &[],
    )
    .await;
    let (_, expired) = get(
        &base,
        "/v1/checkout/sessions?status=expired&expand[]=data.line_items",
    )
    .await;
    assert_eq!(ids(&expired), [created[1].clone()]);
    assert_eq!(expired["data"][0]["line_items"]["object"], "list");
    let (_, open) = get(&base, "/v1/checkout/sessions?status=open").await;
    assert_eq!(ids(&open), [created[2].clone(), created[0].clone()]);
    let (_, none) = get(&base, "/v1/checkout/sessions?customer=cus_x").await;
    assert_eq!(ids(&none), Vec::<String>::new());
    // Stripe's errors.
    for (query, param) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("starting_after=cs_test_nope", "starting_after"),
        ("status=done", "status"),
        ("expand[]=line_items", "expand[0]"),
        ("colour=red", "colour"),
    ] {
        let (status, body) = get(&base, &format!("/v1/checkout/sessions?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["param"], param, "{query}");
    }
}

#[tokio::test]
async fn line_items_list_in_session_order_paginated() {
    let base = spawn_emulator().await;
    let session = sandbox_create(
        &base,
        &[
            ("line_items[1][price]", "price_sandbox_yearly"),
            ("line_items[1][quantity]", "2"),
        ],
    )
    .await;
    let id = session["id"].as_str().unwrap();
    let (status, all) = get(&base, &format!("/v1/checkout/sessions/{id}/line_items")).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["object"], "list");
    assert_eq!(
        all["url"].as_str().unwrap(),
        format!("/v1/checkout/sessions/{id}/line_items")
    );
    assert_eq!(all["has_more"], false);
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
    assert_eq!(all["data"][0]["object"], "item");
    assert_eq!(all["data"][0]["price"]["id"], "price_sandbox_monthly");
    let first = all["data"][0]["id"].as_str().unwrap();
    let (_, page) = get(
        &base,
        &format!("/v1/checkout/sessions/{id}/line_items?limit=1"),
    )
    .await;
    assert_eq!(page["has_more"], true);
    assert_eq!(page["data"][0]["id"], first);
    let (_, rest) = get(
        &base,
        &format!("/v1/checkout/sessions/{id}/line_items?limit=1&starting_after={first}"),
    )
    .await;
    assert_eq!(rest["has_more"], false);
    assert_eq!(rest["data"][0]["price"]["id"], "price_sandbox_yearly");
    // The same items as the expanded session shows.
    let (_, expanded) = sandbox_get(&base, id).await;
    assert_eq!(expanded["line_items"]["data"], all["data"]);
    let (status, body) = get(&base, "/v1/checkout/sessions/cs_test_nope/line_items").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "resource_missing");
}
