//! Objects for unit tests (compiled in tests only): a session of the
//! catalog's yearly price, and coupons.

use std::collections::BTreeMap;

use crate::ids::now;
use crate::model::{Coupon, LineItem, Permissions, Session, Status};
use crate::prices::catalog;

pub(crate) fn session(quantity: u64, coupons: Vec<Coupon>) -> Session {
    let price = catalog().remove(1);
    Session {
        id: "cs_test_x".into(),
        client_secret: "cs_test_x_secret_y".into(),
        created: 0,
        expires_at: now() + 3600,
        mode: "subscription".into(),
        ui_mode: "custom".into(),
        status: Status::Open,
        payment_status: "unpaid".into(),
        currency: Some("usd".into()),
        line_items: vec![LineItem {
            id: "li_1".into(),
            price,
            quantity,
        }],
        discounts: coupons,
        permissions: Permissions {
            update_line_items: "server_only".into(),
            update_discounts: "server_only".into(),
            update_shipping_details: None,
        },
        return_url: "http://x".into(),
        metadata: BTreeMap::new(),
        client_reference_id: None,
        customer_email: None,
        collected_email: None,
        customer: None,
        customer_record_email: None,
        trial_period_days: None,
        shipping_options: Vec::new(),
        allowed_countries: None,
        shipping_details: None,
        selected_shipping_rate: None,
    }
}

pub(crate) fn coupon(amount_off: Option<i64>, percent_off: Option<f64>) -> Coupon {
    Coupon {
        id: "c".into(),
        amount_off,
        percent_off,
        currency: amount_off.map(|_| "usd".into()),
        name: None,
        duration: "once".into(),
        duration_in_months: None,
        created: 0,
        metadata: BTreeMap::new(),
    }
}
