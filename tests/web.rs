//! Component tests in headless Chromium, against a scripted Stripe.js and
//! merchant server (`tests/fake_stripe.js`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use leptos::prelude::*;
use leptos_stripe_checkout::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/fake_stripe.js")]
extern "C" {
    fn install_fake(scenario: &str);
    fn requests_to(path: &str) -> String;
    fn betas() -> String;
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

async fn wait_for(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..300 {
        if condition() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

struct Page {
    root: web_sys::HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

impl Page {
    async fn mount(scenario: &str) -> Self {
        install_fake(scenario);
        let document = web_sys::window().unwrap().document().unwrap();
        let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&root).unwrap();
        let handle = leptos::mount::mount_to(root.clone(), || {
            view! {
                <CheckoutProvider>
                    <SubscriptionIntervalSwitch/>
                    <ApplyDiscountButton/>
                    <UpdateStatus/>
                    <OrderSummary/>
                </CheckoutProvider>
            }
            .into_any()
        });
        let page = Self {
            root,
            _handle: handle,
        };
        wait_for("the checkout to load", || {
            page.text("[data-testid=total]").is_some()
        })
        .await;
        page
    }

    fn element(&self, selector: &str) -> Option<web_sys::HtmlElement> {
        self.root
            .query_selector(selector)
            .unwrap()
            .map(|element| element.unchecked_into())
    }

    fn text(&self, selector: &str) -> Option<String> {
        self.element(selector)
            .and_then(|element| element.text_content())
    }

    fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.element(selector)
            .and_then(|element| element.get_attribute(name))
    }

    fn click(&self, selector: &str) {
        self.element(selector).expect(selector).click();
    }

    fn switch_checked(&self) -> String {
        self.attr("#change-subscription-interval", "aria-checked")
            .unwrap()
    }

    fn idle(&self) -> bool {
        self.attr("#change-subscription-interval", "aria-busy")
            .is_none()
            && self.attr("#apply-customer-discount", "aria-busy").is_none()
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn requests(path: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(&requests_to(path)).unwrap()
}

#[wasm_bindgen_test]
async fn initialises_stripe_with_the_server_updates_beta() {
    let page = Page::mount("{}").await;
    assert_eq!(betas(), r#"["custom_checkout_server_updates_1"]"#);
    assert_eq!(page.switch_checked(), "false");
    assert_eq!(
        page.text("#change-subscription-interval").unwrap(),
        "Save with a yearly subscription"
    );
    assert_eq!(
        page.attr("#change-subscription-interval", "role").unwrap(),
        "switch"
    );
    assert_eq!(
        page.text("[data-testid=total]").unwrap(),
        "$15.00 per month"
    );
}

#[wasm_bindgen_test]
async fn switch_success_flips_to_yearly() {
    let page = Page::mount("{}").await;
    page.click("#change-subscription-interval");
    wait_for("aria-checked=true", || page.switch_checked() == "true").await;
    assert_eq!(
        page.text("#change-subscription-interval").unwrap(),
        "Use monthly subscription"
    );
    assert_eq!(
        page.text("[data-testid=total]").unwrap(),
        "$150.00 per year"
    );
    let sent = requests("/change-subscription-interval");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0]["body"],
        serde_json::json!({"checkout_session_id": "cs_test_fake", "interval": "yearly"})
    );
    assert_eq!(sent[0]["contentType"], "application/json");
    assert_eq!(page.text("[role=alert]").unwrap(), "");

    page.click("#change-subscription-interval");
    wait_for("aria-checked=false", || page.switch_checked() == "false").await;
    assert_eq!(
        requests("/change-subscription-interval")[1]["body"]["interval"],
        "monthly"
    );
}

#[wasm_bindgen_test]
async fn switch_failure_shows_the_message_and_changes_nothing() {
    let page = Page::mount(
        r#"{"switchReplies":[{"status":400,"body":{"type":"error","message":"We couldn't process your request. Please try again later."}}]}"#,
    )
    .await;
    page.click("#change-subscription-interval");
    wait_for("the alert", || {
        !page.text("[role=alert]").unwrap().is_empty()
    })
    .await;
    assert_eq!(
        page.text("[role=alert]").unwrap(),
        "We couldn't process your request. Please try again later."
    );
    wait_for("idle", || page.idle()).await;
    assert_eq!(page.switch_checked(), "false");
    assert_eq!(
        page.text("[data-testid=total]").unwrap(),
        "$15.00 per month"
    );
    assert!(page
        .attr("#change-subscription-interval", "aria-disabled")
        .is_none());

    // A retry succeeds and clears the message.
    page.click("#change-subscription-interval");
    wait_for("aria-checked=true", || page.switch_checked() == "true").await;
    assert_eq!(page.text("[role=alert]").unwrap(), "");
}

#[wasm_bindgen_test]
async fn a_200_with_type_error_is_a_failure() {
    let page = Page::mount(
        r#"{"discountReplies":[{"status":200,"body":{"type":"error","message":"Customer discounts apply to orders over $100.00."}}]}"#,
    )
    .await;
    page.click("#apply-customer-discount");
    wait_for("the alert", || {
        !page.text("[role=alert]").unwrap().is_empty()
    })
    .await;
    assert_eq!(
        page.text("[role=alert]").unwrap(),
        "Customer discounts apply to orders over $100.00."
    );
    wait_for("idle", || page.idle()).await;
    assert_eq!(
        page.text("#apply-customer-discount").unwrap(),
        "Apply Customer Discount"
    );
    assert!(page
        .attr("#apply-customer-discount", "aria-disabled")
        .is_none());
}

#[wasm_bindgen_test]
async fn discount_success_disables_the_button() {
    let page = Page::mount("{}").await;
    page.click("#change-subscription-interval");
    wait_for("yearly", || page.switch_checked() == "true").await;
    page.click("#apply-customer-discount");
    wait_for("Discount Applied!", || {
        page.text("#apply-customer-discount").as_deref() == Some("Discount Applied!")
    })
    .await;
    assert_eq!(
        page.attr("#apply-customer-discount", "aria-disabled")
            .unwrap(),
        "true"
    );
    assert_eq!(
        page.text("[data-testid=total]").unwrap(),
        "$135.00 per year"
    );
    assert_eq!(
        page.text("[data-testid=discount]").unwrap(),
        "Customer Discount−$15.00"
    );
    // Clicking the applied button sends nothing.
    page.click("#apply-customer-discount");
    sleep(50).await;
    assert_eq!(requests("/apply-customer-discount").len(), 1);
}

#[wasm_bindgen_test]
async fn two_clicks_send_one_request() {
    let page = Page::mount(r#"{"delayMs":100}"#).await;
    page.click("#change-subscription-interval");
    page.click("#change-subscription-interval");
    page.click("#apply-customer-discount");
    // The render is scheduled; the guard against the second click is not.
    wait_for("aria-busy on the switch", || {
        page.attr("#change-subscription-interval", "aria-busy")
            .as_deref()
            == Some("true")
    })
    .await;
    assert_eq!(
        page.attr("#apply-customer-discount", "aria-disabled")
            .as_deref(),
        Some("true")
    );
    assert!(page.attr("#apply-customer-discount", "aria-busy").is_none());
    wait_for("aria-checked=true", || page.switch_checked() == "true").await;
    wait_for("idle", || page.idle()).await;
    assert_eq!(requests("/change-subscription-interval").len(), 1);
    assert_eq!(requests("/apply-customer-discount").len(), 0);
}

#[wasm_bindgen_test]
async fn a_rejected_run_server_update_is_reported() {
    let page = Page::mount(r#"{"rejectUpdates":true}"#).await;
    page.click("#change-subscription-interval");
    wait_for("the alert", || {
        !page.text("[role=alert]").unwrap().is_empty()
    })
    .await;
    assert_eq!(
        page.text("[role=alert]").unwrap(),
        "Stripe.js rejected the update"
    );
    wait_for("idle", || page.idle()).await;
    assert_eq!(page.switch_checked(), "false");
}
