//! The checks, in the order a customer's checkout makes the calls: the
//! page's configuration and session, the guides' updates (each followed by
//! what Stripe holds), the refusals and bad inputs, then payment through the
//! Stripe.js stand-in's route, the signed `checkout.session.completed` the
//! emulator delivers to the merchant's `/webhook`, and the order's
//! fulfilment. A shop's checks (`/update-add-on`,
//! `/calculate-shipping-options`) run when `/config` offers them
//! ([`shop`]); a shop without a plan (`/config`'s `intervals` empty, a
//! session in payment mode) gets the refusals of the plan's endpoints
//! instead of their flows.
//!
//! Expectations come from `checkout-protocol` (paths, refusals with their
//! status and code, quantity bounds, the trial's length); amounts are
//! compared with what the emulator holds, never with the demo shop's prices.

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use checkout_protocol::bodies::{
    ClientSecretReply, ConfigReply, OrderStatusReply, SessionStatusReply, UpdateReply,
};
use checkout_protocol::limits::{MAX_QUANTITY, MIN_QUANTITY, YEARLY_TRIAL_DAYS};
use checkout_protocol::{endpoints, Refusal};
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::http::{Exchange, Http, Outgoing};
use crate::report::Report;
use crate::{Error, Options};

mod shop;

/// The test card the emulator (and Stripe) pays with.
const TEST_CARD: &str = "4242424242424242";
/// The email given at confirmation (Stripe requires one).
const EMAIL: &str = "conformance@example.com";
/// An origin no merchant allows.
const FOREIGN_ORIGIN: &str = "https://conformance-suite.invalid";

/// Runs every check against the merchant at `options.base_url`, whose
/// Stripe is the emulator at `options.stripe_url`.
pub async fn run(options: &Options) -> Result<Report, Error> {
    let http = Http::new(
        &options.base_url,
        &options.stripe_url,
        &options.stripe_key,
        options.request_timeout,
    )?;
    let mut suite = Suite {
        http,
        options: options.clone(),
        report: Report::default(),
        exercised: BTreeSet::new(),
        rate_limited: false,
        discounts_on: true,
        trials_on: true,
        plan: true,
    };
    suite.all().await;
    let missed: Vec<&str> = Refusal::ALL
        .iter()
        .filter(|r| !suite.exercised.contains(r.code()))
        .map(|r| r.code())
        .collect();
    if suite.rate_limited {
        suite.report.notes.push(
            "the server answered HTTP 429 (its per-client rate limit): run the suite with the limit off (checkout-server: RATE_LIMIT_PER_MINUTE=0)".to_owned(),
        );
    }
    if !missed.is_empty() {
        suite.report.notes.push(format!(
            "refusals no check provokes from outside (Stripe failures, races, other session modes): {}",
            missed.join(", ")
        ));
    }
    Ok(suite.report)
}

struct Suite {
    http: Http,
    options: Options,
    report: Report,
    /// The codes of the refusals checked.
    exercised: BTreeSet<&'static str>,
    /// Whether an answer was 429.
    rate_limited: bool,
    /// Whether `/config`'s `previews` has `discounts` (or is absent).
    discounts_on: bool,
    /// Whether `/config`'s `previews` has `trials` (or is absent).
    trials_on: bool,
    /// Whether the shop sells a plan: `/config`'s `intervals` is absent or
    /// not empty. Without one (a shop in payment mode), the interval and
    /// trial endpoints are checked for their refusals instead of their flows.
    plan: bool,
}

/// What the emulator holds of a session.
#[derive(Debug, Clone)]
struct Held {
    json: Value,
}

impl Held {
    fn amount_total(&self) -> Option<i64> {
        self.json["amount_total"].as_i64()
    }
    fn amount_discount(&self) -> i64 {
        self.json["total_details"]["amount_discount"]
            .as_i64()
            .unwrap_or(0)
    }
    /// The line items' ids and quantities, in order.
    fn kept(&self) -> Vec<(Value, Value)> {
        self.line_items()
            .iter()
            .map(|li| (li["id"].clone(), li["quantity"].clone()))
            .collect()
    }
    fn line_items(&self) -> Vec<Value> {
        self.json["line_items"]["data"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
    /// The recurring intervals of the line items (`month`, `year`, …).
    fn recurring_intervals(&self) -> Vec<String> {
        self.line_items()
            .iter()
            .filter_map(|li| li["price"]["recurring"]["interval"].as_str())
            .map(str::to_owned)
            .collect()
    }
    fn summary(&self) -> String {
        format!(
            "status {}, amount_total {}, amount_discount {}, recurring intervals {:?}, quantities {:?}",
            self.json["status"],
            self.json["amount_total"],
            self.amount_discount(),
            self.recurring_intervals(),
            self.line_items()
                .iter()
                .map(|li| li["quantity"].clone())
                .collect::<Vec<_>>()
        )
    }
}

/// The Stripe interval of a catalogue interval name.
fn stripe_interval(name: &str) -> &str {
    match name {
        "monthly" => "month",
        "yearly" => "year",
        "weekly" => "week",
        "daily" => "day",
        other => other,
    }
}

fn session(id: &str) -> Value {
    json!({ "checkout_session_id": id })
}

impl Suite {
    fn ok(&mut self, name: &str) {
        self.report.ok(name);
    }

    fn fail(&mut self, name: &str, sent: &str, expected: &str, got: &str) {
        self.report.fail(name, sent, expected, got);
    }

    /// A check on an exchange: `pass` decides.
    fn expect(&mut self, name: &str, ex: &Exchange, expected: &str, pass: bool) -> bool {
        if ex.status == Some(429) {
            self.rate_limited = true;
        }
        if pass {
            self.ok(name);
        } else {
            self.fail(name, &ex.sent, expected, &ex.got());
        }
        pass
    }

    /// `ex` is `refusal`: its status, `{"type":"error","message":…,"code":…}`.
    fn expect_refusal(&mut self, name: &str, ex: &Exchange, refusal: Refusal) -> bool {
        self.expect_refusal_at(name, ex, refusal, refusal.status())
    }

    /// `ex` is `refusal` answered with `status`.
    fn expect_refusal_at(
        &mut self,
        name: &str,
        ex: &Exchange,
        refusal: Refusal,
        status: u16,
    ) -> bool {
        let pass = ex.json_if(status).is_some_and(|v| {
            v["type"] == "error" && v["code"] == refusal.code() && v["message"].is_string()
        });
        if pass {
            self.exercised.insert(refusal.code());
        }
        self.expect(
            name,
            ex,
            &format!(
                "HTTP {status} {{\"type\":\"error\",\"code\":\"{}\",\"message\":<string>}}",
                refusal.code()
            ),
            pass,
        )
    }

    /// `ex` is 200 with one of the shapes in `accepted`.
    fn expect_reply(&mut self, name: &str, ex: &Exchange, accepted: &[UpdateReply]) -> bool {
        let pass = ex
            .parse_ok::<UpdateReply>()
            .is_some_and(|r| accepted.contains(&r));
        let shapes: Vec<String> = accepted
            .iter()
            .map(|r| serde_json::to_string(r).unwrap_or_default())
            .collect();
        self.expect(name, ex, &format!("HTTP 200 {}", shapes.join(" or ")), pass)
    }

    /// What the emulator holds of session `id` (line items and discounts expanded).
    async fn held(&mut self, id: &str) -> Option<Held> {
        let ex = self
            .http
            .stripe_get(&format!(
                "/v1/checkout/sessions/{id}?expand[]=line_items&expand[]=discounts"
            ))
            .await;
        match ex.json_if(200) {
            Some(json) => Some(Held { json: json.clone() }),
            None => {
                self.fail(
                    &format!("the emulator holds session {id}"),
                    &ex.sent,
                    "HTTP 200 with the session",
                    &ex.got(),
                );
                None
            }
        }
    }

    /// A check on what the emulator holds after `step`.
    async fn expect_held(
        &mut self,
        name: &str,
        id: &str,
        expected: &str,
        pass: impl FnOnce(&Held) -> bool,
    ) -> Option<Held> {
        self.expect_held_shown(name, id, expected, pass, Held::summary)
            .await
    }

    /// [`Suite::expect_held`], a failure showing the session as `show` says.
    async fn expect_held_shown(
        &mut self,
        name: &str,
        id: &str,
        expected: &str,
        pass: impl FnOnce(&Held) -> bool,
        show: fn(&Held) -> String,
    ) -> Option<Held> {
        let held = self.held(id).await?;
        if pass(&held) {
            self.ok(name);
        } else {
            self.fail(
                name,
                &format!("GET {}/v1/checkout/sessions/{id}", self.http.stripe),
                expected,
                &show(&held),
            );
        }
        Some(held)
    }

    async fn all(&mut self) {
        let Some(config) = self.config().await else {
            return;
        };
        let Some((id, secret)) = self.create().await else {
            return;
        };
        self.intervals(&config, &id).await;
        self.discounts(&id).await;
        self.trial(&config, &id, &secret).await;
        self.quantities(&id).await;
        self.shop(&config, &id).await;
        self.statuses(&id).await;
        self.bad_inputs(&id).await;
        self.webhook(&config, &id, &secret).await;
    }

    async fn config(&mut self) -> Option<ConfigReply> {
        let ex = self.http.get(endpoints::CONFIG).await;
        let config: Option<ConfigReply> = ex.parse_ok();
        let name = format!(
            "GET {}: 200 with publishableKey and stripeJsUrl",
            endpoints::CONFIG
        );
        let pass = config
            .as_ref()
            .is_some_and(|c| c.publishable_key.starts_with("pk_") && !c.stripe_js_url.is_empty());
        self.expect(
            &name,
            &ex,
            "HTTP 200 {\"publishableKey\":\"pk_…\",\"stripeJsUrl\":<non-empty>,…}",
            pass,
        );
        let secretless = ex.status.is_some()
            && !["sk_test_", "sk_live_", "rk_", "whsec_"]
                .iter()
                .any(|s| ex.text.contains(s));
        self.expect(
            &format!("GET {}: holds no secret key", endpoints::CONFIG),
            &ex,
            "no sk_…, rk_… or whsec_… in the answer",
            secretless,
        );
        if let Some(config) = &config {
            if let Some(previews) = &config.previews {
                self.discounts_on = previews.iter().any(|p| p == "discounts");
                self.trials_on = previews.iter().any(|p| p == "trials");
            }
            let intervals = self.intervals_of(config);
            if intervals.is_empty() {
                self.plan = false;
                self.report.notes.push(format!(
                    "{} lists no intervals (a shop without a plan): {} and {} were checked for their refusals, not their flows",
                    endpoints::CONFIG,
                    endpoints::CHANGE_SUBSCRIPTION_INTERVAL,
                    endpoints::EXTEND_TRIAL_FOR_YEARLY
                ));
            } else {
                let offered = ["monthly", "yearly"]
                    .iter()
                    .all(|i| intervals.iter().any(|o| o == i));
                self.expect(
                    &format!(
                        "GET {}: intervals offer monthly and yearly (the guides' plan)",
                        endpoints::CONFIG
                    ),
                    &ex,
                    "intervals containing \"monthly\" and \"yearly\" (or absent)",
                    offered,
                );
            }
        }
        config
    }

    fn intervals_of(&self, config: &ConfigReply) -> Vec<String> {
        config
            .intervals
            .clone()
            .unwrap_or_else(|| vec!["monthly".into(), "yearly".into()])
    }

    /// Creates a session; `(id, client secret)`.
    async fn create(&mut self) -> Option<(String, String)> {
        let ex = self
            .http
            .post_raw(endpoints::CREATE_CHECKOUT_SESSION, None, None)
            .await;
        let secret = ex
            .parse_ok::<ClientSecretReply>()
            .map(|r| r.client_secret)
            .filter(|s| s.starts_with("cs_") && s.contains("_secret_"));
        let name = format!(
            "POST {} (no body, as the widget): a client secret",
            endpoints::CREATE_CHECKOUT_SESSION
        );
        self.expect(
            &name,
            &ex,
            "HTTP 200 {\"clientSecret\":\"cs_…_secret_…\"}",
            secret.is_some(),
        );
        let secret = secret?;
        let id = secret
            .split("_secret_")
            .next()
            .unwrap_or_default()
            .to_owned();
        self.expect_held(
            "the new session is open at Stripe, with line items",
            &id,
            "status open, at least one line item",
            |h| h.json["status"] == "open" && !h.line_items().is_empty(),
        )
        .await;
        let ex = self
            .http
            .post_json(endpoints::CREATE_CHECKOUT_SESSION, &json!({}))
            .await;
        let pass = ex.parse_ok::<ClientSecretReply>().is_some();
        self.expect(
            &format!(
                "POST {} {{}}: a client secret",
                endpoints::CREATE_CHECKOUT_SESSION
            ),
            &ex,
            "HTTP 200 {\"clientSecret\":…}",
            pass,
        );
        let ex = self
            .http
            .post_json(
                endpoints::CREATE_CHECKOUT_SESSION,
                &json!({"amount": 1, "price": "price_free"}),
            )
            .await;
        self.expect_refusal(
            &format!(
                "POST {} with a page-chosen amount and price: refused",
                endpoints::CREATE_CHECKOUT_SESSION
            ),
            &ex,
            Refusal::InvalidRequest,
        );
        Some((id, secret))
    }

    async fn change_interval(&mut self, id: &str, interval: &str) -> Exchange {
        self.http
            .post_json(
                endpoints::CHANGE_SUBSCRIPTION_INTERVAL,
                &json!({"checkout_session_id": id, "interval": interval}),
            )
            .await
    }

    async fn intervals(&mut self, config: &ConfigReply, id: &str) {
        let path = endpoints::CHANGE_SUBSCRIPTION_INTERVAL;
        let Some(start) = self.held(id).await else {
            return;
        };
        if !self.plan {
            // No plan: any interval is one not offered.
            let ex = self.change_interval(id, "yearly").await;
            self.expect_refusal(
                &format!("POST {path} \"yearly\" (no plan: /config's intervals is empty): refused"),
                &ex,
                Refusal::InvalidRequest,
            );
            let before = start.kept();
            self.expect_held(
                "after the refused interval change: the line items at Stripe unchanged",
                id,
                &format!("line items (id, quantity) {before:?}"),
                |h| h.kept() == before,
            )
            .await;
            return;
        }
        let monthly_total = start.amount_total();
        for (to, back) in [("yearly", false), ("monthly", true)] {
            let ex = self.change_interval(id, to).await;
            self.expect_reply(
                &format!("POST {path} {to}: success"),
                &ex,
                &[UpdateReply::Success],
            );
            let want = stripe_interval(to);
            self.expect_held(
                &format!("after {to}: every recurring line item at Stripe is priced per {want}, and the total {}", if back { "is the monthly one again" } else { "changed" }),
                id,
                &format!(
                    "recurring intervals all {want:?}; amount_total {} {monthly_total:?}",
                    if back { "==" } else { "!=" }
                ),
                |h| {
                    let intervals = h.recurring_intervals();
                    !intervals.is_empty()
                        && intervals.iter().all(|i| i == want)
                        && (h.amount_total() == monthly_total) == back
                },
            )
            .await;
        }
        let offered = self.intervals_of(config);
        let unknown = ["weekly", "fortnightly", "hourly"]
            .into_iter()
            .find(|i| !offered.iter().any(|o| o == i))
            .unwrap_or("never");
        let ex = self.change_interval(id, unknown).await;
        self.expect_refusal(
            &format!("POST {path} {unknown:?} (not offered): refused"),
            &ex,
            Refusal::InvalidRequest,
        );
        let ex = self.http.post_json(path, &session(id)).await;
        self.expect_refusal(
            &format!("POST {path} without interval: refused"),
            &ex,
            Refusal::BadRequest,
        );
        self.expect_held(
            "after the refused interval changes: the session is still monthly",
            id,
            "recurring intervals all \"month\"",
            |h| h.recurring_intervals().iter().all(|i| i == "month"),
        )
        .await;
    }

    async fn discounts(&mut self, id: &str) {
        let apply = endpoints::APPLY_CUSTOMER_DISCOUNT;
        let update = endpoints::UPDATE_DISCOUNTS;
        if !self.discounts_on {
            // `/config`'s previews leave discounts out: both endpoints say so.
            for (path, body) in [
                (apply, session(id)),
                (update, json!({"checkout_session_id": id, "discounts": []})),
            ] {
                let ex = self.http.post_json(path, &body).await;
                self.expect_refusal_at(
                    &format!(
                        "POST {path} with the discounts preview off (/config's previews): 404"
                    ),
                    &ex,
                    Refusal::InvalidRequest,
                    404,
                );
            }
            if self.plan {
                let ex = self.change_interval(id, "yearly").await;
                self.expect_reply(
                    &format!(
                        "POST {} yearly (again): success",
                        endpoints::CHANGE_SUBSCRIPTION_INTERVAL
                    ),
                    &ex,
                    &[UpdateReply::Success],
                );
            }
            return;
        }
        if self.plan {
            self.monthly_discount(id).await;
        }
        // On the yearly plan (or the cart of a shop without a plan).
        let on = if self.plan {
            "on the yearly plan"
        } else {
            "on the cart"
        };
        let ex = self.http.post_json(apply, &session(id)).await;
        let not_eligible = ex
            .json_if(Refusal::NotEligible.status())
            .is_some_and(|v| v["code"] == Refusal::NotEligible.code());
        let discounted = if not_eligible {
            // A policy of the merchant's own (students only, …): the
            // discount-present checks cannot run; what they can check does.
            self.expect_refusal(
                &format!("POST {apply} {on}: applied or not_eligible"),
                &ex,
                Refusal::NotEligible,
            );
            self.report.notes.push(format!(
                "the merchant's discount policy gave no discount {on}: no check saw a discount written by {apply} or {update}"
            ));
            self.expect_held(
                &format!("after not_eligible {on}: no discount at Stripe"),
                id,
                "amount_discount 0",
                |h| h.amount_discount() == 0,
            )
            .await
        } else {
            self.expect_reply(
                &format!("POST {apply} {on}: applied or not_eligible"),
                &ex,
                &[UpdateReply::SUCCEEDED],
            );
            self.expect_held(
                "after the customer discount: a discount at Stripe, total below subtotal",
                id,
                "amount_discount > 0 and amount_total == amount_subtotal - amount_discount",
                |h| {
                    h.amount_discount() > 0
                        && h.json["amount_subtotal"]
                            .as_i64()
                            .zip(h.amount_total())
                            .is_some_and(|(subtotal, total)| {
                                total == subtotal - h.amount_discount()
                            })
                },
            )
            .await
        };
        let Some(discounted) = discounted else {
            return;
        };
        let ex = self
            .http
            .post_json(update, &json!({"checkout_session_id": id, "discounts": []}))
            .await;
        self.expect_reply(
            &format!("POST {update} []: removed"),
            &ex,
            &[UpdateReply::SUCCEEDED],
        );
        self.expect_held(
            &format!("after {update} []: no discount at Stripe"),
            id,
            "amount_discount 0",
            |h| h.amount_discount() == 0,
        )
        .await;
        let ex = self
            .http
            .post_json(
                update,
                &json!({"checkout_session_id": id, "discounts": [{"coupon": "conformance"}]}),
            )
            .await;
        self.expect_reply(
            &format!("POST {update} [one]: the merchant's discount applied"),
            &ex,
            &[UpdateReply::SUCCEEDED],
        );
        let before = discounted.amount_discount();
        self.expect_held(
            &format!(
                "after {update} [one]: the merchant's discount at Stripe (not the page's coupon)"
            ),
            id,
            &format!("amount_discount {before}"),
            |h| h.amount_discount() == before,
        )
        .await;
        let ex = self
            .http
            .post_json(
                update,
                &json!({"checkout_session_id": id, "discounts": [{"coupon": "a"}, {"coupon": "b"}]}),
            )
            .await;
        self.expect_refusal(
            &format!("POST {update} [two]: refused (the guide's validate_discounts)"),
            &ex,
            Refusal::InvalidDiscounts,
        );
        self.expect_held(
            &format!("after {update} [two]: the discount unchanged at Stripe"),
            id,
            &format!("amount_discount {before}"),
            |h| h.amount_discount() == before,
        )
        .await;
        let ex = self
            .http
            .post_json(update, &json!({"checkout_session_id": id, "discounts": 5}))
            .await;
        self.expect_refusal(
            &format!("POST {update} with discounts a number: refused"),
            &ex,
            Refusal::InvalidRequest,
        );
    }

    /// On the monthly plan: a discount, or the guide's refusal (200); then
    /// the yearly plan.
    async fn monthly_discount(&mut self, id: &str) {
        let apply = endpoints::APPLY_CUSTOMER_DISCOUNT;
        let ex = self.http.post_json(apply, &session(id)).await;
        let refused = ex
            .json_if(Refusal::NotEligible.status())
            .is_some_and(|v| v["type"] == "error");
        if refused {
            self.expect_refusal(
                &format!("POST {apply} on the monthly plan: not eligible"),
                &ex,
                Refusal::NotEligible,
            );
            self.expect_held(
                "after not_eligible: no discount at Stripe",
                id,
                "amount_discount 0",
                |h| h.amount_discount() == 0,
            )
            .await;
        } else {
            self.expect_reply(
                &format!("POST {apply} on the monthly plan: applied or not_eligible"),
                &ex,
                &[UpdateReply::SUCCEEDED],
            );
        }
        let ex = self.change_interval(id, "yearly").await;
        self.expect_reply(
            &format!(
                "POST {} yearly (again): success",
                endpoints::CHANGE_SUBSCRIPTION_INTERVAL
            ),
            &ex,
            &[UpdateReply::Success],
        );
    }

    async fn trial(&mut self, config: &ConfigReply, id: &str, secret: &str) {
        let path = endpoints::EXTEND_TRIAL_FOR_YEARLY;
        let ex = self.http.post_json(path, &session(id)).await;
        if !self.trials_on {
            self.expect_refusal_at(
                &format!("POST {path} with the trials preview off (/config's previews): 404"),
                &ex,
                Refusal::InvalidRequest,
                404,
            );
            if self.plan {
                let ex = self.change_interval(id, "monthly").await;
                self.expect_reply(
                    &format!(
                        "POST {} monthly: success",
                        endpoints::CHANGE_SUBSCRIPTION_INTERVAL
                    ),
                    &ex,
                    &[UpdateReply::Success],
                );
            }
            return;
        }
        if !self.plan {
            self.expect_refusal(
                &format!("POST {path} on a session without a plan: refused"),
                &ex,
                Refusal::NotSubscription,
            );
            self.expect_held(
                "after the refused trial: no subscription at Stripe (payment mode)",
                id,
                "mode \"payment\"",
                |h| h.json["mode"] == "payment",
            )
            .await;
            let ex = self.http.post_json(path, &json!({})).await;
            self.expect_refusal(
                &format!("POST {path} without a session id: refused"),
                &ex,
                Refusal::InvalidRequest,
            );
            return;
        }
        self.expect_reply(
            &format!("POST {path} on the yearly plan: success"),
            &ex,
            &[UpdateReply::Success],
        );
        let days = self.trial_days(config, id, secret).await;
        let name =
            format!("after {path}: Stripe.js's session shows a {YEARLY_TRIAL_DAYS}-day trial");
        match days {
            Ok(days) if days == Some(u64::from(YEARLY_TRIAL_DAYS)) => self.ok(&name),
            Ok(days) => self.fail(
                &name,
                &format!("POST {}/v1/payment_pages/{id}/init", self.http.stripe),
                &format!("recurring.trial.trialPeriodDays {YEARLY_TRIAL_DAYS}"),
                &format!("trialPeriodDays {days:?}"),
            ),
            Err(ex) => self.fail(&name, &ex.sent, "HTTP 200 with the session", &ex.got()),
        }
        let ex = self.change_interval(id, "monthly").await;
        self.expect_reply(
            &format!(
                "POST {} monthly: success",
                endpoints::CHANGE_SUBSCRIPTION_INTERVAL
            ),
            &ex,
            &[UpdateReply::Success],
        );
        let days = self.trial_days(config, id, secret).await;
        let name = "after monthly: the trial is gone";
        match days {
            Ok(None) => self.ok(name),
            Ok(days) => self.fail(
                name,
                &format!("POST {}/v1/payment_pages/{id}/init", self.http.stripe),
                "recurring.trial null",
                &format!("trialPeriodDays {days:?}"),
            ),
            Err(ex) => self.fail(name, &ex.sent, "HTTP 200 with the session", &ex.got()),
        }
        let ex = self.http.post_json(path, &json!({})).await;
        self.expect_refusal(
            &format!("POST {path} without a session id: refused"),
            &ex,
            Refusal::InvalidRequest,
        );
    }

    /// The trial Stripe.js's session shows (the stand-in's `init` call).
    async fn trial_days(
        &mut self,
        config: &ConfigReply,
        id: &str,
        secret: &str,
    ) -> Result<Option<u64>, Exchange> {
        let ex = self
            .http
            .stripe_js_post(
                &format!("/v1/payment_pages/{id}/init"),
                &[("key", &config.publishable_key), ("client_secret", secret)],
            )
            .await;
        match ex.json_if(200) {
            Some(v) => Ok(v["recurring"]["trial"]["trialPeriodDays"].as_u64()),
            None => Err(ex),
        }
    }

    async fn quantity(&mut self, id: &str, line_item: &str, quantity: Value) -> Exchange {
        self.http
            .post_json(
                endpoints::UPDATE_LINE_ITEM_QUANTITY,
                &json!({"checkout_session_id": id, "line_item_id": line_item, "quantity": quantity}),
            )
            .await
    }

    async fn quantities(&mut self, id: &str) {
        let path = endpoints::UPDATE_LINE_ITEM_QUANTITY;
        let Some(held) = self.held(id).await else {
            return;
        };
        let Some(li) = held
            .line_items()
            .first()
            .and_then(|li| li["id"].as_str().map(str::to_owned))
        else {
            self.fail(
                "the session's first line item has an id",
                &format!("GET {}/v1/checkout/sessions/{id}", self.http.stripe),
                "line_items.data[0].id",
                &held.summary(),
            );
            return;
        };
        let two = MIN_QUANTITY + 1;
        let ex = self.quantity(id, &li, json!(two)).await;
        self.expect_reply(
            &format!("POST {path} {two}: success"),
            &ex,
            &[UpdateReply::Success],
        );
        self.expect_held(
            &format!("after {path} {two}: the line item holds {two}, kept by id"),
            id,
            &format!("line_items.data[0] {{id {li}, quantity {two}}}"),
            |h| {
                h.line_items().first().is_some_and(|first| {
                    first["id"] == li.as_str() && first["quantity"].as_u64() == Some(two)
                })
            },
        )
        .await;
        for (what, bad) in [
            ("below the minimum", json!(MIN_QUANTITY - 1)),
            ("above the maximum", json!(MAX_QUANTITY + 1)),
            ("fractional", json!(2.5)),
            ("a string", json!("3")),
            ("negative", json!(-1)),
        ] {
            let ex = self.quantity(id, &li, bad.clone()).await;
            self.expect_refusal(
                &format!("POST {path} {bad} ({what}): refused"),
                &ex,
                Refusal::BadQuantity,
            );
        }
        let ex = self.quantity(id, "li_conformanceunknown", json!(two)).await;
        self.expect_refusal(
            &format!("POST {path} for a line item not on the session: refused"),
            &ex,
            Refusal::NoLineItem,
        );
        let ex = self.quantity(id, "price_conformance", json!(two)).await;
        self.expect_refusal(
            &format!("POST {path} with a line item id of the wrong shape: refused"),
            &ex,
            Refusal::InvalidRequest,
        );
        let ex = self.quantity(id, &li, json!(MIN_QUANTITY)).await;
        self.expect_reply(
            &format!("POST {path} {MIN_QUANTITY}: success"),
            &ex,
            &[UpdateReply::Success],
        );
        self.expect_held(
            &format!("after the refused quantities and {MIN_QUANTITY}: the line item holds {MIN_QUANTITY}"),
            id,
            &format!("line_items.data[0].quantity {MIN_QUANTITY}"),
            |h| {
                h.line_items()
                    .first()
                    .is_some_and(|first| first["quantity"].as_u64() == Some(MIN_QUANTITY))
            },
        )
        .await;
    }

    async fn session_status(&mut self, id: &str) -> Exchange {
        self.http
            .post_json(endpoints::CHECKOUT_SESSION_STATUS, &session(id))
            .await
    }

    async fn statuses(&mut self, id: &str) {
        let path = endpoints::CHECKOUT_SESSION_STATUS;
        for (which, asked, want) in [
            ("an open session", id, "open"),
            (
                "an unknown session",
                "cs_test_conformanceunknown0000",
                "unknown",
            ),
        ] {
            let ex = self.session_status(asked).await;
            let pass = ex
                .parse_ok::<SessionStatusReply>()
                .is_some_and(|r| r.status == want)
                && !ex.text.contains("_secret_");
            self.expect(
                &format!("POST {path} for {which}: {want}"),
                &ex,
                &format!("HTTP 200 {{\"status\":\"{want}\"}} (no client secret)"),
                pass,
            );
        }
        let ex = self.session_status("pi_not_a_session").await;
        self.expect_refusal(
            &format!("POST {path} with an id of the wrong shape: refused"),
            &ex,
            Refusal::InvalidRequest,
        );
        let ex = self
            .http
            .post_json(endpoints::ORDER_STATUS, &session(id))
            .await;
        let pass = ex
            .parse_ok::<OrderStatusReply>()
            .is_some_and(|r| r.status == "pending" && r.amount_total.is_none());
        self.expect(
            &format!(
                "POST {} for an unpaid session: pending",
                endpoints::ORDER_STATUS
            ),
            &ex,
            "HTTP 200 {\"status\":\"pending\"}",
            pass,
        );
        let ex = self
            .http
            .post_json(endpoints::ORDER_STATUS, &json!({}))
            .await;
        self.expect_refusal(
            &format!(
                "POST {} without a session id: refused",
                endpoints::ORDER_STATUS
            ),
            &ex,
            Refusal::InvalidRequest,
        );
    }

    async fn bad_inputs(&mut self, id: &str) {
        let path = endpoints::CHANGE_SUBSCRIPTION_INTERVAL;
        let good = json!({"checkout_session_id": id, "interval": "yearly"}).to_string();
        let before = match self.plan {
            true => None,
            false => self.held(id).await.map(|h| h.kept()),
        };
        let mut cases: Vec<(&str, Option<&str>, String, Refusal)> = vec![
            (
                "malformed JSON",
                Some("application/json"),
                format!(r#"{{"checkout_session_id": "{id}", "interval": "#),
                Refusal::InvalidRequest,
            ),
            ("no Content-Type", None, good.clone(), Refusal::InvalidRequest),
            (
                "Content-Type text/plain",
                Some("text/plain"),
                good.clone(),
                Refusal::InvalidRequest,
            ),
            (
                "a form",
                Some("application/x-www-form-urlencoded"),
                format!("checkout_session_id={id}&interval=yearly"),
                Refusal::InvalidRequest,
            ),
            (
                "a JSON array",
                Some("application/json"),
                json!([id, "yearly"]).to_string(),
                Refusal::InvalidRequest,
            ),
            (
                "interval a number",
                Some("application/json"),
                json!({"checkout_session_id": id, "interval": 12}).to_string(),
                Refusal::InvalidRequest,
            ),
            (
                "session id a number",
                Some("application/json"),
                json!({"checkout_session_id": 12345, "interval": "yearly"}).to_string(),
                Refusal::InvalidRequest,
            ),
            (
                "an unknown field (amount_off)",
                Some("application/json"),
                json!({"checkout_session_id": id, "interval": "yearly", "amount_off": 15000})
                    .to_string(),
                Refusal::InvalidRequest,
            ),
            (
                "session id of the wrong shape",
                Some("application/json"),
                json!({"checkout_session_id": "cs_test_../../v1/coupons", "interval": "yearly"})
                    .to_string(),
                Refusal::InvalidRequest,
            ),
            (
                "an unknown session id",
                Some("application/json"),
                json!({"checkout_session_id": "cs_test_conformanceunknown0000", "interval": "yearly"})
                    .to_string(),
                Refusal::BadRequest,
            ),
        ];
        if !self.plan {
            // Without a plan the interval is refused before the session is
            // read: the unknown session goes to the quantity endpoint.
            cases.pop();
            let ex = self
                .http
                .post_json(
                    endpoints::UPDATE_LINE_ITEM_QUANTITY,
                    &json!({"checkout_session_id": "cs_test_conformanceunknown0000", "line_item_id": "li_conformanceunknown", "quantity": MIN_QUANTITY}),
                )
                .await;
            self.expect_refusal(
                &format!(
                    "POST {} with an unknown session id: refused",
                    endpoints::UPDATE_LINE_ITEM_QUANTITY
                ),
                &ex,
                Refusal::BadRequest,
            );
        }
        for (what, content_type, body, refusal) in cases {
            let ex = self.http.post_raw(path, content_type, Some(body)).await;
            self.expect_refusal(&format!("POST {path} with {what}: refused"), &ex, refusal);
        }
        let ex = self
            .http
            .post_json(endpoints::APPLY_CUSTOMER_DISCOUNT, &json!({}))
            .await;
        self.expect_refusal(
            &format!(
                "POST {} without a session id: refused",
                endpoints::APPLY_CUSTOMER_DISCOUNT
            ),
            &ex,
            Refusal::InvalidRequest,
        );
        let ex = self
            .http
            .send(
                Method::POST,
                &format!("{}{path}", self.http.base),
                Outgoing {
                    content_type: Some("application/json"),
                    body: Some(good),
                    headers: vec![("origin", FOREIGN_ORIGIN.to_owned())],
                    ..Outgoing::default()
                },
            )
            .await;
        self.expect_refusal(
            &format!("POST {path} from a foreign Origin: refused"),
            &ex,
            Refusal::ForbiddenOrigin,
        );
        match before {
            Some(before) => {
                self.expect_held(
                    "after the bad inputs: the line items at Stripe unchanged",
                    id,
                    &format!("line items (id, quantity) {before:?}"),
                    |h| h.kept() == before,
                )
                .await;
            }
            None => {
                self.expect_held(
                    "after the bad inputs: the session is still monthly",
                    id,
                    "recurring intervals all \"month\"",
                    |h| h.recurring_intervals().iter().all(|i| i == "month"),
                )
                .await;
            }
        }
    }

    async fn post_webhook(&mut self, body: &str, signature: Option<String>) -> Exchange {
        self.http
            .send(
                Method::POST,
                &format!("{}{}", self.http.base, endpoints::WEBHOOK),
                Outgoing {
                    content_type: Some("application/json; charset=utf-8"),
                    body: Some(body.to_owned()),
                    headers: signature
                        .map(|s| vec![("stripe-signature", s)])
                        .unwrap_or_default(),
                    ..Outgoing::default()
                },
            )
            .await
    }

    async fn order_status(&mut self, id: &str) -> Exchange {
        self.http
            .post_json(endpoints::ORDER_STATUS, &session(id))
            .await
    }

    async fn webhook(&mut self, config: &ConfigReply, id: &str, secret: &str) {
        let path = endpoints::WEBHOOK;
        // Forged deliveries of the event the emulator is about to send.
        let forged = json!({
            "id": "evt_conformance_forged",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {"object": {"id": id, "object": "checkout.session", "payment_status": "paid", "amount_total": 1}},
        })
        .to_string();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let ex = self.post_webhook(&forged, None).await;
        self.expect_refusal(
            &format!("POST {path} without Stripe-Signature: refused"),
            &ex,
            Refusal::InvalidRequest,
        );
        let wrong = sign("whsec_not_the_endpoints_secret", now, &forged);
        let ex = self.post_webhook(&forged, Some(wrong)).await;
        self.expect_refusal(
            &format!("POST {path} signed with another secret: refused"),
            &ex,
            Refusal::InvalidRequest,
        );
        let ex = self
            .post_webhook(&forged, Some(format!("t={now},v1=not-hex")))
            .await;
        self.expect_refusal(
            &format!("POST {path} with a malformed signature: refused"),
            &ex,
            Refusal::InvalidRequest,
        );
        let ex = self.order_status(id).await;
        let pass = ex
            .parse_ok::<OrderStatusReply>()
            .is_some_and(|r| r.status == "pending");
        self.expect(
            "after the forged deliveries: the order is still pending",
            &ex,
            "HTTP 200 {\"status\":\"pending\"}",
            pass,
        );

        // The merchant's endpoint, as the emulator knows it.
        let ex = self
            .http
            .stripe_get("/v1/webhook_endpoints?limit=100")
            .await;
        let registered = ex.json_if(200).is_some_and(|v| {
            v["data"].as_array().is_some_and(|endpoints| {
                endpoints.iter().any(|e| {
                    e["url"].as_str().is_some_and(|u| u.ends_with(path))
                        && e["status"] == "enabled"
                        && e["enabled_events"].as_array().is_some_and(|events| {
                            events
                                .iter()
                                .any(|k| k == "*" || k == "checkout.session.completed")
                        })
                })
            })
        });
        self.expect(
            &format!(
                "the emulator has a webhook endpoint at …{path} for checkout.session.completed"
            ),
            &ex,
            &format!("an enabled webhook_endpoint whose url ends with {path}"),
            registered,
        );

        // Pay as Stripe.js does: init, then confirm with the test card.
        let ex = self
            .http
            .stripe_js_post(
                &format!("/v1/payment_pages/{id}/init"),
                &[("key", &config.publishable_key), ("client_secret", secret)],
            )
            .await;
        let total = ex
            .json_if(200)
            .map(|v| v["total"]["total"]["amount"].clone());
        self.expect(
            "Stripe.js's init of the session (with /config's publishable key)",
            &ex,
            "HTTP 200 with the session",
            total.is_some(),
        );
        let expected_amount = total.map(|t| t.to_string()).unwrap_or_default();
        let ex = self
            .http
            .stripe_js_post(
                &format!("/v1/payment_pages/{id}/confirm"),
                &[
                    ("key", &config.publishable_key),
                    ("client_secret", secret),
                    ("email", EMAIL),
                    ("payment_method[card][number]", TEST_CARD),
                    ("expected_amount", &expected_amount),
                ],
            )
            .await;
        let paid = ex.status == Some(200);
        self.expect(
            "Stripe.js's confirm with the test card: paid",
            &ex,
            "HTTP 200",
            paid,
        );
        if !paid {
            return;
        }
        let Some(held) = self
            .expect_held(
                "after payment: the session is complete and paid at Stripe",
                id,
                "status complete, payment_status paid",
                |h| h.json["status"] == "complete" && h.json["payment_status"] == "paid",
            )
            .await
        else {
            return;
        };

        // The emulator's delivery of checkout.session.completed, acknowledged
        // by the merchant (2xx), before the order is asked for.
        let mut last = None;
        let mut delivered = false;
        for _ in 0..self.options.poll_attempts {
            let ex = self
                .http
                .stripe_get("/v1/events?type=checkout.session.completed&limit=100")
                .await;
            delivered = ex.json_if(200).is_some_and(|v| {
                v["data"].as_array().is_some_and(|events| {
                    events
                        .iter()
                        .any(|e| e["data"]["object"]["id"] == id && e["pending_webhooks"] == 0)
                })
            });
            last = Some(ex);
            if delivered {
                break;
            }
            tokio::time::sleep(self.options.poll_interval).await;
        }
        let name = format!(
            "the emulator delivered a signed checkout.session.completed to {path} and the merchant acknowledged it (within {} polls)",
            self.options.poll_attempts
        );
        match (&last, delivered) {
            (_, true) => self.ok(&name),
            (Some(ex), false) => self.fail(
                &name,
                &ex.sent,
                "an event for the session with pending_webhooks 0",
                &ex.got(),
            ),
            (None, false) => self.fail(
                &name,
                "no poll (0 attempts)",
                "a delivered event",
                "nothing",
            ),
        }

        // The order, fulfilled with what Stripe says was paid.
        let want_total = held.amount_total();
        let want_currency = held.json["currency"].as_str().map(str::to_owned);
        let mut last = None;
        let mut fulfilled = false;
        for _ in 0..self.options.poll_attempts {
            let ex = self.order_status(id).await;
            fulfilled = ex.parse_ok::<OrderStatusReply>().is_some_and(|r| {
                r.status == "fulfilled"
                    && r.amount_total == want_total
                    && r.currency == want_currency
            });
            let pending = ex
                .parse_ok::<OrderStatusReply>()
                .is_some_and(|r| r.status == "pending");
            last = Some(ex);
            if fulfilled || !pending {
                break;
            }
            tokio::time::sleep(self.options.poll_interval).await;
        }
        let name = format!(
            "POST {} after payment: fulfilled with the amount Stripe holds",
            endpoints::ORDER_STATUS
        );
        let expected = format!(
            "HTTP 200 {{\"status\":\"fulfilled\",\"amountTotal\":{},\"currency\":{}}}",
            want_total
                .map(|t| t.to_string())
                .unwrap_or_else(|| "null".into()),
            serde_json::to_string(&want_currency).unwrap_or_default()
        );
        match last {
            Some(ex) => {
                self.expect(&name, &ex, &expected, fulfilled);
            }
            None => self.fail(&name, "no poll (0 attempts)", &expected, "nothing"),
        }

        let ex = self.session_status(id).await;
        let pass = ex
            .parse_ok::<SessionStatusReply>()
            .is_some_and(|r| r.status == "complete");
        self.expect(
            &format!(
                "POST {} after payment: complete",
                endpoints::CHECKOUT_SESSION_STATUS
            ),
            &ex,
            "HTTP 200 {\"status\":\"complete\"}",
            pass,
        );
        let (ex, path_refused) = if self.plan {
            let ex = self.change_interval(id, "yearly").await;
            (ex, endpoints::CHANGE_SUBSCRIPTION_INTERVAL)
        } else {
            // Without a plan, an interval is refused before the session is read.
            let line_item = held
                .line_items()
                .first()
                .and_then(|li| li["id"].as_str().map(str::to_owned))
                .unwrap_or_default();
            let ex = self.quantity(id, &line_item, json!(MIN_QUANTITY)).await;
            (ex, endpoints::UPDATE_LINE_ITEM_QUANTITY)
        };
        self.expect_refusal(
            &format!("POST {path_refused} on the paid session: refused"),
            &ex,
            Refusal::NotOpen,
        );
        let ex = self.post_webhook(&forged, None).await;
        let still = ex.status == Some(400);
        self.expect(
            &format!("POST {path} unsigned after payment: still refused"),
            &ex,
            "HTTP 400",
            still,
        );
    }
}

/// A `Stripe-Signature` header for `payload` at `t`, signed with `secret`
/// (Stripe's scheme: `t=…,v1=` hex HMAC-SHA256 of `"{t}.{payload}"`).
pub fn sign(secret: &str, t: u64, payload: &str) -> String {
    let signature = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(format!("{t}.{payload}").as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    };
    format!("t={t},v1={signature}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn signature_format() {
        let header = super::sign("whsec_x", 1_700_000_000, "{}");
        assert!(header.starts_with("t=1700000000,v1="));
        assert_eq!(header.len(), "t=1700000000,v1=".len() + 64);
    }

    #[test]
    fn truncation_is_used() {
        assert!(crate::report::truncate(&"x".repeat(1000)).ends_with('…'));
    }
}
