//! Customers, as far as Checkout Sessions need them: `POST /v1/customers`
//! (`email`, `name`, `metadata`) and `GET /v1/customers/{id}`, so that a
//! session can be created for an existing Customer (`customer=cus_…`).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

use crate::error::{ApiResult, StripeApiError};
use crate::ids::{new_id, now};
use crate::params::{body_bytes, decode, expand};
use crate::render::json_response;

/// At most this many customers can be created (then 400; restart the
/// emulator to start afresh).
pub const MAX_CUSTOMERS: usize = 10_000;

/// A customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// `cus_…`.
    pub id: String,
    /// Its email, if any.
    pub email: Option<String>,
    /// Its name, if any.
    pub name: Option<String>,
    /// Its metadata.
    pub metadata: BTreeMap<String, String>,
    /// Creation time.
    pub created: i64,
}

/// The customers by id.
#[derive(Debug, Default)]
pub struct Customers(Mutex<HashMap<String, Customer>>);

impl Customers {
    /// Customer `id`, or Stripe's `resource_missing` on `param`.
    pub fn get(&self, id: &str, param: &str) -> ApiResult<Customer> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .cloned()
            .ok_or_else(|| no_such_customer(id, param))
    }
}

fn no_such_customer(id: &str, param: &str) -> StripeApiError {
    StripeApiError {
        param: Some(param.to_owned()),
        ..StripeApiError::resource_missing(
            StatusCode::BAD_REQUEST,
            "customer",
            format!("No such customer: '{id}'"),
        )
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateParams {
    email: Option<String>,
    name: Option<String>,
    metadata: Option<BTreeMap<String, String>>,
    expand: Option<Vec<String>>,
}

#[derive(Serialize)]
struct CustomerJson<'a> {
    id: &'a str,
    object: &'static str,
    created: i64,
    email: Option<&'a str>,
    name: Option<&'a str>,
    metadata: &'a BTreeMap<String, String>,
    livemode: bool,
}

fn render(c: &Customer) -> CustomerJson<'_> {
    CustomerJson {
        id: &c.id,
        object: "customer",
        created: c.created,
        email: c.email.as_deref(),
        name: c.name.as_deref(),
        metadata: &c.metadata,
        livemode: false,
    }
}

/// The customer routes over `customers` (a secret key is required by the
/// caller's layer).
pub fn routes(customers: Arc<Customers>) -> Router {
    Router::new()
        .route("/v1/customers", post(create_customer))
        .route("/v1/customers/{id}", get(retrieve_customer))
        .with_state(customers)
}

async fn create_customer(
    State(customers): State<Arc<Customers>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let params: CreateParams = decode(&body_bytes(body)?)?;
    expand::parse(params.expand)?;
    let customer = Customer {
        id: new_id("cus", 14),
        email: params.email.filter(|e| !e.is_empty()),
        name: params.name.filter(|n| !n.is_empty()),
        metadata: params.metadata.unwrap_or_default(),
        created: now(),
    };
    let mut all = customers.0.lock().unwrap_or_else(PoisonError::into_inner);
    if all.len() >= MAX_CUSTOMERS {
        return Err(StripeApiError::bad_request(format!(
            "The emulator holds at most {MAX_CUSTOMERS} customers; restart it."
        )));
    }
    all.insert(customer.id.clone(), customer.clone());
    Ok(json_response(&render(&customer)))
}

async fn retrieve_customer(
    State(customers): State<Arc<Customers>>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let customer = customers.get(&id, "id").map_err(|e| StripeApiError {
        status: StatusCode::NOT_FOUND,
        ..e
    })?;
    Ok(json_response(&render(&customer)))
}
