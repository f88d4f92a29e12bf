//! Prices: the emulator's catalog (the merchant's catalogue file's prices;
//! the demo's: the monthly and yearly subscription) and `GET /v1/prices/{id}`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use checkout_catalogue::Catalogue;

use crate::error::{ApiResult, StripeApiError};
use crate::model::{Price, Recurring};
use serde_json::Value;

use crate::render::{self, to_value, EmptyObject, Null};
use axum::routing::get;
use axum::Router;

/// The catalog's prices by id: the merchant's catalogue's
/// ([`checkout_catalogue::Catalogue`], the same file checkout-server reads),
/// so that the emulator, the server and the demo cannot disagree.
#[derive(Debug)]
pub struct Catalog(Vec<Price>);

impl Default for Catalog {
    fn default() -> Self {
        Self(catalog())
    }
}

impl Catalog {
    /// The prices of `catalogue`: one Stripe product per catalogue product
    /// (`prod_<id>`), named as the file says.
    pub fn from_catalogue(catalogue: &Catalogue) -> Self {
        let created = 1_735_689_600; // 2025-01-01
        let catalogue = catalogue.clone().resolved_for_emulator();
        Self(
            catalogue
                .prices()
                .map(|(product, price)| Price {
                    id: price.price.clone(),
                    product: format!("prod_{}", product.id),
                    product_name: price.name.clone().unwrap_or_else(|| product.name.clone()),
                    unit_amount: price.amount,
                    currency: catalogue.currency.clone(),
                    recurring: price.interval.map(|interval| Recurring {
                        interval: interval.unit.as_str().to_owned(),
                        interval_count: interval.count,
                    }),
                    created,
                    active: true,
                    lookup_key: price.lookup_key.clone(),
                })
                .collect(),
        )
    }

    /// The catalog price `id`.
    pub fn price(&self, id: &str) -> Option<&Price> {
        self.0.iter().find(|p| p.id == id)
    }
}

/// The demo shop's prices ([`Catalogue::demo`]): the monthly and yearly
/// subscription.
pub fn catalog() -> Vec<Price> {
    Catalog::from_catalogue(&Catalogue::demo()).0
}

/// The `recurring` of a price.
#[derive(Serialize)]
pub(crate) struct RecurringJson<'a> {
    interval: &'a str,
    interval_count: u32,
    meter: Null,
    trial_period_days: Null,
    usage_type: &'static str,
}

/// A `price` object, serialized directly.
#[derive(Serialize)]
pub struct PriceJson<'a> {
    active: bool,
    billing_scheme: &'static str,
    created: i64,
    currency: &'a str,
    custom_unit_amount: Null,
    id: &'a str,
    livemode: bool,
    lookup_key: Option<&'a str>,
    metadata: EmptyObject,
    nickname: Null,
    object: &'static str,
    product: &'a str,
    recurring: Option<RecurringJson<'a>>,
    tax_behavior: &'static str,
    tiers_mode: Null,
    transform_quantity: Null,
    #[serde(rename = "type")]
    kind: &'static str,
    unit_amount: i64,
    unit_amount_decimal: String,
}

impl<'a> PriceJson<'a> {
    /// The `price` object of `p`.
    pub fn new(p: &'a Price) -> Self {
        Self {
            active: p.active,
            billing_scheme: "per_unit",
            created: p.created,
            currency: &p.currency,
            custom_unit_amount: (),
            id: &p.id,
            livemode: false,
            lookup_key: p.lookup_key.as_deref(),
            metadata: EmptyObject,
            nickname: (),
            object: "price",
            product: &p.product,
            recurring: p.recurring.as_ref().map(|r| RecurringJson {
                interval: &r.interval,
                interval_count: r.interval_count,
                meter: (),
                trial_period_days: (),
                usage_type: "licensed",
            }),
            tax_behavior: "unspecified",
            tiers_mode: (),
            transform_quantity: (),
            kind: if p.recurring.is_some() {
                "recurring"
            } else {
                "one_time"
            },
            unit_amount: p.unit_amount,
            unit_amount_decimal: p.unit_amount.to_string(),
        }
    }
}

/// A `price` object.
pub fn price(p: &Price) -> Value {
    to_value(&PriceJson::new(p))
}

/// The price routes over `catalog` (a secret key is required by the
/// caller's layer).
pub fn routes(catalog: Arc<Catalog>) -> Router {
    Router::new()
        .route("/v1/prices", get(list_prices))
        .route("/v1/prices/{id}", get(retrieve_price))
        .with_state(catalog)
}

/// `GET /v1/prices/{id}` (catalog prices only).
/// `GET /v1/prices` parameters (what the emulator filters on).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    lookup_keys: Option<Vec<String>>,
    active: Option<String>,
    limit: Option<String>,
}

/// The most `lookup_keys` one list takes: "You can specify up to 10
/// lookup_keys" (stripe-python's `PriceListParams`, generated from Stripe's
/// API description).
pub const MAX_LOOKUP_KEYS: usize = 10;

/// `GET /v1/prices`: the catalog's prices, filtered by `lookup_keys[]` and
/// `active` (one page: the catalog is small).
async fn list_prices(
    State(catalog): State<Arc<Catalog>>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let params: ListParams = crate::params::decode(query.unwrap_or_default().as_bytes())?;
    let page = crate::list::PageParams {
        limit: params.limit,
        ..Default::default()
    }
    .page()?;
    if params
        .lookup_keys
        .as_ref()
        .is_some_and(|k| k.len() > MAX_LOOKUP_KEYS)
    {
        return Err(StripeApiError::invalid(
            "lookup_keys",
            format!("You can specify up to {MAX_LOOKUP_KEYS} lookup_keys."),
        ));
    }
    let active = match params.active.as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err(StripeApiError::invalid("active", "Invalid boolean: active")),
    };
    let data: Vec<PriceJson<'_>> = catalog
        .0
        .iter()
        .filter(|p| {
            params
                .lookup_keys
                .as_ref()
                .is_none_or(|keys| p.lookup_key.as_ref().is_some_and(|key| keys.contains(key)))
        })
        .filter(|p| active.is_none_or(|a| p.active == a))
        .take(page.limit)
        .map(PriceJson::new)
        .collect();
    Ok(render::json_response(&crate::list::ListJson::new(
        data,
        false,
        "/v1/prices",
    )))
}

async fn retrieve_price(
    State(catalog): State<Arc<Catalog>>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let price = catalog.price(&id).ok_or_else(|| {
        StripeApiError::resource_missing(
            StatusCode::NOT_FOUND,
            "price",
            format!("No such price: '{id}'"),
        )
    })?;
    Ok(render::json_response(&PriceJson::new(price)))
}
