//! The shop's checks (issue 25), run when `/config` says `shipping: true`
//! or lists `addOns`: `/update-add-on` and `/calculate-shipping-options`,
//! each followed by what the emulator holds of the session.
//!
//! They know nothing of the merchant's prices or countries: the add-on is
//! `/config`'s first, the countries are the session's
//! `shipping_address_collection.allowed_countries` at Stripe, and totals
//! are compared with the amounts Stripe holds (subtotal, discount, the
//! selected shipping option).

use checkout_protocol::bodies::{AddOnOffer, ConfigReply, UpdateReply};
use checkout_protocol::{endpoints, Refusal};
use serde_json::{json, Map, Value};

use super::{Held, Suite};
use crate::http::Exchange;

/// The recipient of every address the suite sends.
const NAME: &str = "Ada Conformance";
/// The street of every address the suite sends.
const LINE1: &str = "1 Main Street";
/// The city of every address the suite sends.
const CITY: &str = "Springfield";
/// The postal code of every address the suite sends.
const POSTAL_CODE: &str = "12345";
/// An add-on id no merchant offers.
const UNKNOWN_ADD_ON: &str = "conformance-unknown-add-on";
/// The fewest shipping options a session that ships holds once an address
/// is accepted.
const MIN_OPTIONS: usize = 1;
/// The most shipping options a Checkout Session takes (Stripe's limit on
/// `shipping_options`).
const MAX_OPTIONS: usize = 5;

/// A complete address in `country` (no `line2` or `state`: optional).
fn address(country: &str) -> Value {
    json!({
        "name": NAME,
        "address": {
            "line1": LINE1,
            "city": CITY,
            "postal_code": POSTAL_CODE,
            "country": country,
        }
    })
}

/// [`address`] in `country` without `field` (`name`, or an address field).
fn address_without(country: &str, field: &str) -> Value {
    let mut details = address(country);
    if let Some(object) = details.as_object_mut() {
        object.remove(field);
    }
    if let Some(object) = details["address"].as_object_mut() {
        object.remove(field);
    }
    details
}

/// What Stripe holds of a session's shipping: the address, the options,
/// the selected rate and the total (a refused address must leave them).
fn shipping_of(h: &Held) -> Value {
    json!({
        "shipping_details": h.json["collected_information"]["shipping_details"],
        "shipping_options": h.json["shipping_options"],
        "shipping_cost": h.json["shipping_cost"],
        "amount_total": h.json["amount_total"],
    })
}

/// Whether Stripe holds `sent` (an [`address`]) as the shipping details:
/// the name and every field sent, the others empty.
fn holds_address(h: &Held, sent: &Value) -> bool {
    let held = &h.json["collected_information"]["shipping_details"];
    let empty = Map::new();
    let sent_address = sent["address"].as_object().unwrap_or(&empty);
    held["name"] == sent["name"]
        && ["line1", "line2", "city", "state", "postal_code", "country"]
            .iter()
            .all(|field| match sent_address.get(*field) {
                Some(value) => held["address"][*field] == *value,
                None => held["address"][*field].as_str().is_none_or(str::is_empty),
            })
}

/// The session's shipping options' count is in
/// `MIN_OPTIONS..=MAX_OPTIONS` and its `amount_total` is the subtotal after
/// discount plus the selected option's `shipping_amount`.
fn options_consistent(h: &Held) -> bool {
    let options = h.json["shipping_options"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let selected = h.json["shipping_cost"]["shipping_rate"].clone();
    let selected_rate = selected
        .as_str()
        .or_else(|| selected["id"].as_str())
        .map(str::to_owned);
    let shipping = options.iter().find_map(|o| {
        let rate = o["shipping_rate"]
            .as_str()
            .or_else(|| o["shipping_rate"]["id"].as_str());
        (rate.is_some() && rate.map(str::to_owned) == selected_rate)
            .then(|| o["shipping_amount"].as_i64())
            .flatten()
    });
    (MIN_OPTIONS..=MAX_OPTIONS).contains(&options.len())
        && shipping.is_some_and(|shipping| {
            h.json["amount_subtotal"]
                .as_i64()
                .zip(h.amount_total())
                .is_some_and(|(subtotal, total)| total == subtotal - h.amount_discount() + shipping)
        })
}

/// The line items `after` has that `before` has not (by id).
fn added(before: &Held, after: &Held) -> Vec<Value> {
    let ids: Vec<Value> = before
        .line_items()
        .iter()
        .map(|li| li["id"].clone())
        .collect();
    after
        .line_items()
        .into_iter()
        .filter(|li| !ids.contains(&li["id"]))
        .collect()
}

/// `after` is `before` with one more line item, `add_on` at its amount
/// (quantity 1), the others kept (ids, quantities, order).
fn holds_add_on(before: &Held, after: &Held, add_on: &AddOnOffer) -> bool {
    let new = added(before, after);
    let others: Vec<(Value, Value)> = after
        .kept()
        .into_iter()
        .filter(|(id, _)| new.iter().all(|li| li["id"] != *id))
        .collect();
    let [item] = new.as_slice() else {
        return false;
    };
    // Its price: `amount_total` when no discount shares it, else before it.
    let amount = if item["amount_discount"].as_i64().unwrap_or(0) == 0 {
        &item["amount_total"]
    } else {
        &item["amount_subtotal"]
    };
    others == before.kept()
        && after.line_items().len() == before.line_items().len() + 1
        && item["description"] == add_on.name.as_str()
        && item["quantity"].as_u64() == Some(1)
        && amount.as_i64() == Some(add_on.amount)
}

/// What a session's line items and shipping look like, for a failure.
fn describe(h: &Held) -> String {
    let items: Vec<String> = h
        .line_items()
        .iter()
        .map(|li| {
            format!(
                "{{id {}, description {}, quantity {}, amount_total {}}}",
                li["id"], li["description"], li["quantity"], li["amount_total"]
            )
        })
        .collect();
    format!(
        "line items [{}]; amount_subtotal {}, amount_discount {}, amount_total {}; shipping_details {}; shipping_options {}; shipping_cost {}",
        items.join(", "),
        h.json["amount_subtotal"],
        h.amount_discount(),
        h.json["amount_total"],
        h.json["collected_information"]["shipping_details"],
        h.json["shipping_options"],
        h.json["shipping_cost"],
    )
}

impl Suite {
    /// A check on what the emulator holds, reported with [`describe`].
    async fn expect_shop(
        &mut self,
        name: &str,
        id: &str,
        expected: &str,
        pass: impl FnOnce(&Held) -> bool,
    ) -> Option<Held> {
        self.expect_held_shown(name, id, expected, pass, describe)
            .await
    }

    /// The shop's checks, or a note saying why they did not run.
    pub(super) async fn shop(&mut self, config: &ConfigReply, id: &str) {
        let add_on = config.add_ons.as_ref().and_then(|a| a.first()).cloned();
        if add_on.is_none() && !config.shipping {
            self.report.notes.push(format!(
                "{} has no addOns and no shipping: the shop's checks ({}, {}) did not run",
                endpoints::CONFIG,
                endpoints::UPDATE_ADD_ON,
                endpoints::CALCULATE_SHIPPING_OPTIONS
            ));
            return;
        }
        if let Some(add_on) = &add_on {
            self.add_ons(config, add_on, id).await;
        } else {
            self.report.notes.push(format!(
                "{} lists no addOns: the checks of {} did not run",
                endpoints::CONFIG,
                endpoints::UPDATE_ADD_ON
            ));
        }
        if !config.shipping {
            self.report.notes.push(format!(
                "{} says shipping false: the checks of {} did not run",
                endpoints::CONFIG,
                endpoints::CALCULATE_SHIPPING_OPTIONS
            ));
            return;
        }
        let shipped = self.shipping(id).await;
        if let (Some(add_on), true) = (&add_on, shipped) {
            self.add_on_with_address(add_on, id).await;
        }
    }

    /// `POST /update-add-on` for `add_on`, `selected` or not.
    async fn select(&mut self, id: &str, add_on: &str, selected: bool) -> Exchange {
        self.http
            .post_json(
                endpoints::UPDATE_ADD_ON,
                &json!({"checkout_session_id": id, "add_on": add_on, "selected": selected}),
            )
            .await
    }

    /// `/update-add-on` with `/config`'s first add-on.
    async fn add_ons(&mut self, config: &ConfigReply, add_on: &AddOnOffer, id: &str) {
        let path = endpoints::UPDATE_ADD_ON;
        let which = serde_json::to_string(&add_on.id).unwrap_or_default();
        let Some(before) = self.held(id).await else {
            return;
        };
        let ex = self.select(id, &add_on.id, true).await;
        self.expect_reply(
            &format!("POST {path} {which} selected: success"),
            &ex,
            &[UpdateReply::Success],
        );
        let Some(with) = self
            .expect_shop(
                &format!(
                    "after {path} {which} selected: one more line item at Stripe, {:?} at {} (quantity 1), the others kept",
                    add_on.name, add_on.amount
                ),
                id,
                &format!(
                    "the line items before ({}) kept by id and quantity, and one more: description {:?}, quantity 1, amount_total {}",
                    describe(&before),
                    add_on.name,
                    add_on.amount
                ),
                |h| holds_add_on(&before, h, add_on),
            )
            .await
        else {
            return;
        };
        let ex = self.select(id, &add_on.id, true).await;
        self.expect_reply(
            &format!("POST {path} {which} selected again: success"),
            &ex,
            &[UpdateReply::Success],
        );
        let items = with.line_items();
        self.expect_shop(
            &format!("after {path} {which} selected again: the line items at Stripe unchanged"),
            id,
            &describe(&with),
            |h| h.line_items() == items,
        )
        .await;
        let ex = self.select(id, &add_on.id, false).await;
        self.expect_reply(
            &format!("POST {path} {which} deselected: success"),
            &ex,
            &[UpdateReply::Success],
        );
        let removed = format!(
            "the line items before ({}), kept by id and quantity, none {:?}",
            describe(&before),
            add_on.name
        );
        self.expect_shop(
            &format!(
                "after {path} {which} deselected: the add-on is gone at Stripe, the others kept"
            ),
            id,
            &removed,
            |h| {
                h.kept() == before.kept()
                    && h.line_items()
                        .iter()
                        .all(|li| li["description"] != add_on.name.as_str())
            },
        )
        .await;

        let offered: Vec<&str> = config
            .add_ons
            .iter()
            .flatten()
            .map(|a| a.id.as_str())
            .collect();
        let unknown = if offered.contains(&UNKNOWN_ADD_ON) {
            "conformance-unknown-add-on-2"
        } else {
            UNKNOWN_ADD_ON
        };
        let cases = [
            (
                "an add-on /config does not list",
                json!({"checkout_session_id": id, "add_on": unknown, "selected": true}),
            ),
            (
                "no selected",
                json!({"checkout_session_id": id, "add_on": add_on.id}),
            ),
            (
                "selected a string",
                json!({"checkout_session_id": id, "add_on": add_on.id, "selected": "true"}),
            ),
            (
                "an unknown field (amount)",
                json!({"checkout_session_id": id, "add_on": add_on.id, "selected": true, "amount": 1}),
            ),
        ];
        for (what, body) in cases {
            let ex = self.http.post_json(path, &body).await;
            self.expect_refusal(
                &format!("POST {path} with {what}: refused"),
                &ex,
                Refusal::InvalidRequest,
            );
        }
        self.expect_shop(
            &format!("after the refused {path} requests: the line items at Stripe unchanged"),
            id,
            &removed,
            |h| h.kept() == before.kept(),
        )
        .await;
    }

    /// `POST /calculate-shipping-options` with `details`.
    async fn ship_to(&mut self, id: &str, details: &Value) -> Exchange {
        self.http
            .post_json(
                endpoints::CALCULATE_SHIPPING_OPTIONS,
                &json!({"checkout_session_id": id, "shipping_details": details}),
            )
            .await
    }

    /// `/calculate-shipping-options` in the session's allowed countries;
    /// whether an address was accepted.
    async fn shipping(&mut self, id: &str) -> bool {
        let path = endpoints::CALCULATE_SHIPPING_OPTIONS;
        let Some(start) = self
            .expect_shop(
                "a session that ships: shipping_address_collection.allowed_countries at Stripe is not empty",
                id,
                "shipping_address_collection.allowed_countries: a non-empty list",
                |h| {
                    h.json["shipping_address_collection"]["allowed_countries"]
                        .as_array()
                        .is_some_and(|c| !c.is_empty())
                },
            )
            .await
        else {
            return false;
        };
        let permission = &start.json["permissions"]["update_shipping_details"];
        let pass = permission == "server_only";
        let name = "a session that ships: permissions.update_shipping_details is server_only at Stripe (the server writes the address)";
        if pass {
            self.ok(name);
        } else {
            self.fail(
                name,
                &format!("GET {}/v1/checkout/sessions/{id}", self.http.stripe),
                "permissions.update_shipping_details \"server_only\"",
                &format!("permissions {}", start.json["permissions"]),
            );
        }
        let countries: Vec<String> = start.json["shipping_address_collection"]["allowed_countries"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect();
        let Some(first) = countries.first().cloned() else {
            return false;
        };

        // Incomplete addresses: refused, nothing written.
        for field in ["line1", "name", "country"] {
            let ex = self.ship_to(id, &address_without(&first, field)).await;
            self.expect_refusal(
                &format!("POST {path} without {field}: refused"),
                &ex,
                Refusal::BadAddress,
            );
        }
        let unchanged = shipping_of(&start);
        self.expect_shop(
            "after the incomplete addresses: the session's address and shipping options unchanged at Stripe",
            id,
            &unchanged.to_string(),
            |h| shipping_of(h) == unchanged,
        )
        .await;

        // Complete addresses in the allowed countries, until one is accepted
        // and one refused (a shop may ship everywhere it asks about).
        let mut accepted = Vec::new();
        let mut refused = false;
        for country in &countries {
            let Some(before) = self.held(id).await else {
                return false;
            };
            let details = address(country);
            let ex = self.ship_to(id, &details).await;
            let cannot = ex
                .json_if(Refusal::CannotShipTo.status())
                .is_some_and(|v| v["type"] == "error");
            if cannot {
                refused = true;
                self.expect_refusal(
                    &format!("POST {path} in {country}: success or cannot_ship_to"),
                    &ex,
                    Refusal::CannotShipTo,
                );
                let unchanged = shipping_of(&before);
                self.expect_shop(
                    &format!("after cannot_ship_to in {country}: the session's address and shipping options unchanged at Stripe"),
                    id,
                    &unchanged.to_string(),
                    |h| shipping_of(h) == unchanged,
                )
                .await;
            } else {
                let ok = self.expect_reply(
                    &format!("POST {path} in {country}: success or cannot_ship_to"),
                    &ex,
                    &[UpdateReply::Success],
                );
                if ok {
                    accepted.push(country.clone());
                    self.expect_shop(
                        &format!("after {path} in {country}: Stripe holds the address and {MIN_OPTIONS} to {MAX_OPTIONS} shipping options, amount_total = subtotal - discount + the selected option's shipping_amount"),
                        id,
                        &format!("collected_information.shipping_details {details}; {MIN_OPTIONS} to {MAX_OPTIONS} shipping_options; shipping_cost.shipping_rate one of them; amount_total == amount_subtotal - amount_discount + its shipping_amount"),
                        |h| holds_address(h, &details) && options_consistent(h),
                    )
                    .await;
                }
            }
            if !accepted.is_empty() && refused {
                break;
            }
        }
        let name =
            format!("POST {path}: at least one of the session's allowed countries is shipped to");
        if accepted.is_empty() {
            self.fail(
                &name,
                &format!("POST {path} with an address in each of {countries:?}"),
                "one answered {\"type\":\"success\"}",
                "none (the shop ships nowhere it asks about)",
            );
        } else {
            self.ok(&name);
        }
        if !refused {
            self.report.notes.push(format!(
                "every allowed country tried ({}) was shipped to: no check saw {} refuse an address with cannot_ship_to",
                countries.join(", "),
                path
            ));
        }
        !accepted.is_empty()
    }

    /// After an address is accepted: the add-on changes the cart, and the
    /// shipping options follow it.
    async fn add_on_with_address(&mut self, add_on: &AddOnOffer, id: &str) {
        let path = endpoints::UPDATE_ADD_ON;
        let which = serde_json::to_string(&add_on.id).unwrap_or_default();
        let Some(before) = self.held(id).await else {
            return;
        };
        let details = before.json["collected_information"]["shipping_details"].clone();
        for (selected, what) in [(true, "selected"), (false, "deselected")] {
            let ex = self.select(id, &add_on.id, selected).await;
            self.expect_reply(
                &format!("POST {path} {which} {what} with an address: success"),
                &ex,
                &[UpdateReply::Success],
            );
            self.expect_shop(
                &format!("after {path} {which} {what} with an address: the address kept, {MIN_OPTIONS} to {MAX_OPTIONS} shipping options, amount_total = subtotal - discount + the selected option's shipping_amount at Stripe"),
                id,
                &format!("collected_information.shipping_details {details}; {MIN_OPTIONS} to {MAX_OPTIONS} shipping_options; amount_total == amount_subtotal - amount_discount + the selected option's shipping_amount"),
                |h| {
                    h.json["collected_information"]["shipping_details"] == details
                        && options_consistent(h)
                },
            )
            .await;
        }
    }
}
