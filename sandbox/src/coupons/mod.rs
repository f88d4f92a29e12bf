//! Coupons: `POST /v1/coupons`, `GET /v1/coupons/{id}`; the terms a
//! session discount's `coupon_data` shares with them.

pub mod params;
pub mod render;
pub mod rules;

use std::sync::{Arc, PoisonError};

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
use crate::state::{SandboxState, MAX_COUPONS};

/// The coupon routes (a secret key is required by the caller's layer).
pub fn routes() -> Router<Arc<SandboxState>> {
    Router::new()
        .route("/v1/coupons", post(create_coupon))
        .route("/v1/coupons/{id}", get(retrieve_coupon))
}

/// `POST /v1/coupons`.
async fn create_coupon(
    State(state): State<Arc<SandboxState>>,
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
    let mut coupons = state.coupons.lock().unwrap_or_else(PoisonError::into_inner);
    if coupons.contains_key(&coupon.id) {
        return Err(StripeApiError {
            code: Some("resource_already_exists"),
            ..StripeApiError::invalid("id", "Coupon already exists.")
        });
    }
    if coupons.len() >= MAX_COUPONS {
        return Err(StripeApiError::bad_request(format!(
            "The sandbox holds at most {MAX_COUPONS} coupons; restart it to start afresh."
        )));
    }
    let body = json_response(&CouponJson::new(&coupon));
    coupons.insert(coupon.id.clone(), coupon);
    Ok(body)
}

/// `GET /v1/coupons/{id}`.
async fn retrieve_coupon(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let coupon = state.coupon(&id).ok_or_else(|| {
        StripeApiError::resource_missing(
            StatusCode::NOT_FOUND,
            "id",
            format!("No such coupon: '{id}'"),
        )
    })?;
    Ok(json_response(&CouponJson::new(&coupon)))
}
