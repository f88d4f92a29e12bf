//! Property tests: what turns Stripe.js sessions and merchant replies into
//! Rust types never panics, whatever JSON arrives (issue 5, "no panics").
#![cfg(not(target_arch = "wasm32"))]

use leptos_stripe_checkout::money::{format_money, plain};
use leptos_stripe_checkout::session::{Amount, Session};
use leptos_stripe_checkout::{fill, Labels};
use proptest::prelude::*;
use serde_json::Value;

/// Arbitrary JSON, biased towards the session's own keys so that parsing
/// goes deep rather than failing at the first field.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("id".to_owned()),
        Just("currency".to_owned()),
        Just("lineItems".to_owned()),
        Just("discountAmounts".to_owned()),
        Just("total".to_owned()),
        Just("recurring".to_owned()),
        Just("status".to_owned()),
        Just("minorUnitsAmount".to_owned()),
        Just("amount".to_owned()),
        Just("interval".to_owned()),
        Just("trial".to_owned()),
        Just("trialPeriodDays".to_owned()),
        Just("quantity".to_owned()),
        Just("type".to_owned()),
        Just("message".to_owned()),
        "[a-zA-Z]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn sessions_parse_or_fail_without_panicking(value in json()) {
        if let Ok(session) = Session::from_json(&value.to_string()) {
            // Everything the components read from a session.
            let _ = (session.interval(), session.is_yearly(), session.discounts(),
                     session.trial(), session.is_open(), session.is_complete());
            let labels = Labels::en();
            let _ = format_money(&session.total.total, &session.currency,
                                 session.minor_units_amount_divisor, &labels.locale);
            let _ = labels.per(session.interval(), session.interval_count());
            let _ = session.next_charge_if_different();
        }
    }

    #[test]
    fn raw_text_never_panics(text in ".{0,200}") {
        let _ = Session::from_json(&text);
    }

    #[test]
    fn money_never_panics(minor in any::<i64>(), divisor in any::<i64>(), currency in ".{0,5}") {
        let amount = Amount { minor_units_amount: minor, amount: String::new() };
        let text = format_money(&amount, &currency, divisor, "en-US");
        prop_assert!(!text.is_empty());
        let _ = plain(minor, &currency, divisor);
    }

    #[test]
    fn label_templates_never_panic(template in ".{0,40}", value in ".{0,10}") {
        let _ = fill(&template, &[("days", &value), ("total", &value)]);
        let _ = Labels::for_locale(&template);
    }
}
