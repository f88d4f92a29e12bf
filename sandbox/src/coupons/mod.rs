//! Coupons: `POST /v1/coupons`, `GET /v1/coupons/{id}`; the terms a
//! session discount's `coupon_data` shares with them; their storage
//! ([`store`]).

pub mod params;
pub mod render;
pub mod rules;
pub mod store;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use self::params::{CouponDataIn, CreateCouponParams};
use self::render::CouponJson;
use self::rules::parse_coupon;
use crate::error::{ApiResult, StripeApiError};
use crate::params::{body_bytes, decode, expand};
use crate::render::json_response;

pub use self::store::{Coupons, MAX_COUPONS, SEEDED_COUPON};

/// The coupon routes over `coupons` (a secret key is required by the
/// caller's layer).
pub fn routes(coupons: Arc<Coupons>) -> Router {
    Router::new()
        .route("/v1/coupons", post(create_coupon))
        .route("/v1/coupons/{id}", get(retrieve_coupon))
        .with_state(coupons)
}

/// `POST /v1/coupons`.
async fn create_coupon(
    State(coupons): State<Arc<Coupons>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let params: CreateCouponParams = decode(&body_bytes(body)?)?;
    expand::parse(params.expand)?;
    let mut coupon = parse_coupon(
        "",
        CouponDataIn {
            amount_off: params.amount_off,
            currency: params.currency,
            percent_off: params.percent_off,
            name: params.name,
            duration: params.duration,
            duration_in_months: params.duration_in_months,
            metadata: params.metadata,
        },
        None,
    )?;
    if let Some(id) = params.id {
        if id.is_empty()
            || id.len() > 200
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(StripeApiError::invalid(
                "id",
                format!("Invalid coupon id: '{id}'"),
            ));
        }
        coupon.id = id;
    }
    let body = json_response(&CouponJson::new(&coupon));
    coupons.add(coupon)?;
    Ok(body)
}

/// `GET /v1/coupons/{id}`.
async fn retrieve_coupon(
    State(coupons): State<Arc<Coupons>>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let coupon = coupons.get(&id).ok_or_else(|| {
        StripeApiError::resource_missing(
            StatusCode::NOT_FOUND,
            "id",
            format!("No such coupon: '{id}'"),
        )
    })?;
    Ok(json_response(&CouponJson::new(&coupon)))
}
