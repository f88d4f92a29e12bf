//! The OpenAPI 3.1 document of the merchant endpoints, written from
//! `checkout-protocol`: the paths of [`endpoints`], the bodies of
//! [`bodies`](checkout_protocol::bodies) (their JSON Schemas derived by schemars, feature `schema`),
//! and the refusals of [`Refusal`] (status, wire code, message).
//!
//! What is written here and nowhere else: which refusals each endpoint may
//! answer (read from checkout-server's handlers), the statuses a refusal
//! takes besides its own (413 for an oversize body, 429 for a per-client
//! limit, 404 for a preview that is off, 500 for a failed discount that is
//! the server's fault), and the webhook's shape. The committed copy is
//! `docs/merchant-api.openapi.json`; `checkout-conformance openapi` prints
//! this one.

use std::collections::BTreeMap;

use checkout_protocol::bodies::{
    AddOnRequest, ChangeIntervalRequest, ClientSecretReply, ConfigReply, CreateSessionRequest,
    OrderStatusReply, SessionRequest, SessionStatusReply, ShippingOptionsRequest,
    UpdateDiscountsRequest, UpdateQuantityRequest, UpdateReply,
};
use checkout_protocol::limits::{MAX_QUANTITY, MIN_QUANTITY, YEARLY_TRIAL_DAYS};
use checkout_protocol::{endpoints, Refusal};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// Where the committed document lives, from the repository's root.
pub const COMMITTED_PATH: &str = "docs/merchant-api.openapi.json";

/// How to write the committed document again.
pub const REGENERATE: &str =
    "cargo run -p checkout-conformance -- openapi > docs/merchant-api.openapi.json";

/// The refusals every page `POST` may answer, with the status of each
/// (besides the endpoint's own).
const PAGE_POST: &[(Refusal, u16)] = &[
    (Refusal::InvalidRequest, 400),
    (Refusal::InvalidRequest, 413),
    (Refusal::ForbiddenOrigin, 403),
    (Refusal::TryAgain, 503),
    (Refusal::TryAgain, 429),
    (Refusal::ServerError, 500),
];

/// The refusals of an update that reads and writes the session.
const UPDATE: &[(Refusal, u16)] = &[(Refusal::NotOpen, 400), (Refusal::CartChanged, 409)];

/// One merchant endpoint.
struct Operation {
    path: &'static str,
    method: &'static str,
    id: &'static str,
    summary: String,
    request: Option<Value>,
    success: Value,
    /// Refusals besides [`PAGE_POST`] (for page `POST`s).
    refusals: Vec<(Refusal, u16)>,
}

/// Which JSON Schemas a generator writes, and under which name.
struct Schemas {
    requests: SchemaGenerator,
    replies: SchemaGenerator,
}

impl Schemas {
    fn new() -> Self {
        let settings = || {
            SchemaSettings::draft2020_12().with(|s| {
                s.definitions_path = "/components/schemas".into();
                s.meta_schema = None;
            })
        };
        Self {
            requests: settings().for_deserialize().into_generator(),
            replies: settings().for_serialize().into_generator(),
        }
    }

    /// A request body's schema (a `$ref`).
    fn request<T: JsonSchema>(&mut self) -> Value {
        self.requests.subschema_for::<T>().to_value()
    }

    /// A reply body's schema (a `$ref`).
    fn reply<T: JsonSchema>(&mut self) -> Value {
        self.replies.subschema_for::<T>().to_value()
    }

    fn into_definitions(mut self) -> Map<String, Value> {
        let mut all = self.requests.take_definitions(true);
        all.extend(self.replies.take_definitions(true));
        all
    }
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn operations(schemas: &mut Schemas) -> Vec<Operation> {
    let session_only = |schemas: &mut Schemas| Some(schemas.request::<SessionRequest>());
    // The exact successes, as the server writes them (`UpdateReply`).
    let exactly =
        |reply: &UpdateReply| json!({ "const": serde_json::to_value(reply).unwrap_or_default() });
    let update_success = exactly(&UpdateReply::Success);
    let succeeded = exactly(&UpdateReply::SUCCEEDED);
    vec![
        Operation {
            path: endpoints::CONFIG,
            method: "get",
            id: "config",
            summary: "What the browser needs to load Stripe.js: the publishable key, Stripe.js's URL, the plan's intervals, the mode, the release train and the previews. Never a secret.".into(),
            request: None,
            success: schemas.reply::<ConfigReply>(),
            refusals: Vec::new(),
        },
        Operation {
            path: endpoints::CREATE_CHECKOUT_SESSION,
            method: "post",
            id: "createCheckoutSession",
            summary: "Creates a Checkout Session from the server's catalogue (no body, or a JSON object with `customer_email`) and answers its client secret; the session id is the part before `_secret_`.".into(),
            request: Some(schemas.request::<CreateSessionRequest>()),
            success: schemas.reply::<ClientSecretReply>(),
            refusals: vec![(Refusal::BadRequest, 400)],
        },
        Operation {
            path: endpoints::CHANGE_SUBSCRIPTION_INTERVAL,
            method: "post",
            id: "changeSubscriptionInterval",
            summary: "Moves every recurring line item to its product's price at `interval` (one of `/config`'s `intervals`), keeping the quantities; the discount follows, a trial is removed.".into(),
            request: Some(schemas.request::<ChangeIntervalRequest>()),
            success: update_success.clone(),
            refusals: [&[(Refusal::BadRequest, 400)][..], UPDATE].concat(),
        },
        Operation {
            path: endpoints::UPDATE_DISCOUNTS,
            method: "post",
            id: "updateDiscounts",
            summary: "Stripe's discounts guide: `[]` (or `\"\"`) removes the discount, one entry applies the merchant's discount (the server decides what it is worth), more is refused with `invalid_discounts` (HTTP 200). 404 when the discounts preview is off.".into(),
            request: Some(schemas.request::<UpdateDiscountsRequest>()),
            success: succeeded.clone(),
            refusals: [
                &[
                    (Refusal::InvalidDiscounts, 200),
                    (Refusal::DiscountFailed, 400),
                    (Refusal::DiscountFailed, 500),
                    (Refusal::InvalidRequest, 404),
                ][..],
                UPDATE,
            ]
            .concat(),
        },
        Operation {
            path: endpoints::APPLY_CUSTOMER_DISCOUNT,
            method: "post",
            id: "applyCustomerDiscount",
            summary: "Applies the merchant's customer discount to the line items the session holds, or refuses with `not_eligible` (HTTP 200). 404 when the discounts preview is off.".into(),
            request: session_only(schemas),
            success: succeeded,
            refusals: [
                &[
                    (Refusal::NotEligible, 200),
                    (Refusal::DiscountFailed, 400),
                    (Refusal::DiscountFailed, 500),
                    (Refusal::InvalidRequest, 404),
                ][..],
                UPDATE,
            ]
            .concat(),
        },
        Operation {
            path: endpoints::EXTEND_TRIAL_FOR_YEARLY,
            method: "post",
            id: "extendTrialForYearly",
            summary: format!("The trial policy's trial for the plan the session holds ({YEARLY_TRIAL_DAYS} days on yearly plans; none on the others). 404 when the trials preview is off."),
            request: session_only(schemas),
            success: update_success.clone(),
            refusals: [
                &[
                    (Refusal::NotSubscription, 400),
                    (Refusal::BadRequest, 400),
                    (Refusal::InvalidRequest, 404),
                ][..],
                UPDATE,
            ]
            .concat(),
        },
        Operation {
            path: endpoints::UPDATE_LINE_ITEM_QUANTITY,
            method: "post",
            id: "updateLineItemQuantity",
            summary: format!("Sets one line item's quantity ({MIN_QUANTITY} to {MAX_QUANTITY}, within the product's own bounds), keeping the others by id; the discount follows the new subtotal."),
            request: Some(schemas.request::<UpdateQuantityRequest>()),
            success: update_success.clone(),
            refusals: [
                &[
                    (Refusal::BadQuantity, 400),
                    (Refusal::NoLineItem, 400),
                    (Refusal::BadRequest, 400),
                    (Refusal::CannotShipTo, 200),
                ][..],
                UPDATE,
            ]
            .concat(),
        },
        Operation {
            path: endpoints::CALCULATE_SHIPPING_OPTIONS,
            method: "post",
            id: "calculateShippingOptions",
            summary: "Writes the customer's shipping address and the shipping options the shipping policy gives it and the cart (each only when it differs from the session's), in one update; `cannot_ship_to` when the shop does not ship there (nothing written), `bad_address` without a name, first line or two-letter country, `invalid_request` in a shop without `[shipping]`.".into(),
            request: Some(schemas.request::<ShippingOptionsRequest>()),
            success: update_success.clone(),
            refusals: vec![
                (Refusal::CannotShipTo, 200),
                (Refusal::BadAddress, 400),
                (Refusal::BadRequest, 400),
                (Refusal::NotOpen, 400),
            ],
        },
        Operation {
            path: endpoints::UPDATE_ADD_ON,
            method: "post",
            id: "updateAddOn",
            summary: "Adds (`selected: true`) or removes (`false`) one of `/config`'s `addOns` as a line item at the catalogue's amount, keeping the others by id; the discount and shipping options follow the new cart in the same update. Selecting an add-on the cart has, or removing one it has not, changes nothing.".into(),
            request: Some(schemas.request::<AddOnRequest>()),
            success: update_success,
            refusals: [
                &[(Refusal::BadRequest, 400), (Refusal::CannotShipTo, 200)][..],
                UPDATE,
            ]
            .concat(),
        },
        Operation {
            path: endpoints::CHECKOUT_SESSION_STATUS,
            method: "post",
            id: "checkoutSessionStatus",
            summary: "The status of a session whose id the page holds (`open`, `complete`, `expired`, or `unknown` when Stripe does not know it). Never a client secret.".into(),
            request: session_only(schemas),
            success: schemas.reply::<SessionStatusReply>(),
            refusals: vec![(Refusal::BadRequest, 400)],
        },
        Operation {
            path: endpoints::ORDER_STATUS,
            method: "post",
            id: "orderStatus",
            summary: "Whether the server fulfilled the session's order (from Stripe's `checkout.session.completed`, or on the customer's return when the session is paid and the event is late): `pending`, or `fulfilled` with the amount paid and its currency.".into(),
            request: session_only(schemas),
            success: schemas.reply::<OrderStatusReply>(),
            refusals: vec![(Refusal::BadRequest, 400)],
        },
    ]
}

/// The `ErrorReply` of the refusals in `codes`.
fn error_schema(codes: &[&str]) -> Value {
    json!({
        "allOf": [reference("ErrorReply")],
        "properties": { "code": { "enum": codes } },
    })
}

/// Markdown lines `code`: message, for a response's description.
fn describe(refusals: &[Refusal]) -> String {
    refusals
        .iter()
        .map(|r| format!("- `{}`: {}", r.code(), r.message()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn json_content(schema: Value) -> Value {
    let mut media = Map::new();
    media.insert("schema".into(), schema);
    let mut content = Map::new();
    content.insert("application/json".into(), Value::Object(media));
    Value::Object(content)
}

/// The responses of `op`: 200 with its success (or one of its 200
/// refusals), and one response per other status with its refusals.
fn responses(op: &Operation) -> Value {
    let mut by_status: BTreeMap<u16, Vec<Refusal>> = BTreeMap::new();
    let general: &[(Refusal, u16)] = if op.method == "post" { PAGE_POST } else { &[] };
    for &(refusal, status) in op.refusals.iter().chain(general) {
        let list = by_status.entry(status).or_default();
        if !list.contains(&refusal) {
            list.push(refusal);
        }
    }
    let mut out = Map::new();
    let ok_refusals = by_status.remove(&200).unwrap_or_default();
    let ok = if ok_refusals.is_empty() {
        json!({ "description": "Done.", "content": json_content(op.success.clone()) })
    } else {
        let codes: Vec<&str> = ok_refusals.iter().map(|r| r.code()).collect();
        json!({
            "description": format!(
                "Done, or refused by a business rule of Stripe's guide (HTTP 200, `type: \"error\"`):\n{}",
                describe(&ok_refusals)
            ),
            "content": json_content(json!({ "oneOf": [op.success.clone(), error_schema(&codes)] })),
        })
    };
    out.insert("200".into(), ok);
    for (status, refusals) in by_status {
        let codes: Vec<&str> = refusals.iter().map(|r| r.code()).collect();
        out.insert(
            status.to_string(),
            json!({
                "description": format!("Refused:\n{}", describe(&refusals)),
                "content": json_content(error_schema(&codes)),
            }),
        );
    }
    Value::Object(out)
}

fn webhook_operation() -> Value {
    let webhook_refusals = [Refusal::InvalidRequest];
    json!({
        "post": {
            "operationId": "webhook",
            "summary": "Stripe's event deliveries (called by Stripe, not by the page). The signature (`Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" with the endpoint's signing secret>`, 5 minutes' tolerance) is checked on the raw body before anything else; a bad or missing one answers 400 and changes nothing. Of a verified `checkout.session.completed` or `checkout.session.async_payment_succeeded`, only the session id is read: the session is retrieved from Stripe and fulfilled once, when paid. A duplicate event is acknowledged with `duplicate: true`.",
            "parameters": [{
                "name": "Stripe-Signature",
                "in": "header",
                "required": true,
                "schema": { "type": "string", "pattern": "^t=[0-9]+(,v[0-9]+=[0-9a-f]+)+$" },
            }],
            "requestBody": {
                "required": true,
                "content": json_content(reference("StripeEvent")),
            },
            "responses": {
                "200": {
                    "description": "Received (handled, ignored as a type the server does not act on, or a duplicate).",
                    "content": json_content(json!({
                        "type": "object",
                        "required": ["received"],
                        "properties": {
                            "received": { "const": true },
                            "duplicate": { "const": true },
                        },
                    })),
                },
                "400": {
                    "description": format!(
                        "A missing, malformed, stale or wrong signature; a body that is not an event, or an event without a Checkout Session:\n{}",
                        describe(&webhook_refusals)
                    ),
                    "content": json_content(error_schema(&[Refusal::InvalidRequest.code()])),
                },
                "413": {
                    "description": format!("The body is too large:\n{}", describe(&webhook_refusals)),
                    "content": json_content(error_schema(&[Refusal::InvalidRequest.code()])),
                },
                "500": {
                    "description": format!("Fulfilment failed; Stripe delivers the event again:\n{}", describe(&[Refusal::ServerError])),
                    "content": json_content(error_schema(&[Refusal::ServerError.code()])),
                },
                "503": {
                    "description": format!("No signing secret is configured:\n{}", describe(&webhook_refusals)),
                    "content": json_content(error_schema(&[Refusal::InvalidRequest.code()])),
                },
            },
        }
    })
}

/// The schemas written here rather than derived: every refusal, the error
/// reply, and the part of Stripe's event the webhook reads.
fn own_schemas() -> Map<String, Value> {
    let refusals: Vec<Value> = Refusal::ALL
        .iter()
        .map(|r| {
            json!({
                "const": r.code(),
                "description": format!("HTTP {} (unless a response says otherwise): {}", r.status(), r.message()),
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert(
        "Refusal".into(),
        json!({
            "description": "Why the merchant server did not do what a page asked: the wire code of each refusal, with its HTTP status and the server's message (English; a malformed request's answer says precisely what is wrong instead).",
            "type": "string",
            "oneOf": refusals,
        }),
    );
    out.insert(
        "ErrorReply".into(),
        json!({
            "description": "Every refusal's answer: `{\"type\":\"error\",\"message\":…,\"code\":…}`. `message` is for the customer, `code` lets a page show its own words.",
            "type": "object",
            "required": ["type", "message", "code"],
            "properties": {
                "type": { "const": "error" },
                "message": { "type": "string" },
                "code": reference("Refusal"),
            },
        }),
    );
    out.insert(
        "StripeEvent".into(),
        json!({
            "description": "A Stripe event (https://docs.stripe.com/api/events/object); the server reads `id`, `type` and `data.object.id` only.",
            "type": "object",
            "required": ["id", "type", "data"],
            "properties": {
                "id": { "type": "string" },
                "type": { "type": "string" },
                "data": {
                    "type": "object",
                    "required": ["object"],
                    "properties": {
                        "object": {
                            "type": "object",
                            "properties": { "id": { "type": "string" } },
                        },
                    },
                },
            },
        }),
    );
    out
}

/// The document.
pub fn document() -> Value {
    let mut schemas = Schemas::new();
    let mut paths = Map::new();
    for op in operations(&mut schemas) {
        let mut operation = Map::new();
        operation.insert("operationId".into(), json!(op.id));
        operation.insert("summary".into(), json!(op.summary));
        if let Some(request) = &op.request {
            operation.insert(
                "requestBody".into(),
                json!({
                    // /create-checkout-session takes no body at all, too.
                    "required": op.path != endpoints::CREATE_CHECKOUT_SESSION,
                    "content": json_content(request.clone()),
                }),
            );
        }
        operation.insert("responses".into(), responses(&op));
        paths.insert(op.path.into(), json!({ op.method: operation }));
    }
    paths.insert(endpoints::WEBHOOK.into(), webhook_operation());
    let mut components = schemas.into_definitions();
    components.extend(own_schemas());
    // `UpdateReply` is every update's answer, as the tagged enum the server
    // writes; the paths give each endpoint's exact success.
    let mut replies = Schemas::new();
    let _ = replies.reply::<UpdateReply>();
    components.extend(replies.into_definitions());
    let components: BTreeMap<String, Value> = components.into_iter().collect();
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "leptos-stripe-checkout merchant API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!(
                "The endpoints a merchant server offers the leptos-stripe-checkout widget, and Stripe's webhook. Request bodies are JSON objects with `Content-Type: application/json` (unknown fields refused); every refusal answers `ErrorReply`. Generated from the checkout-protocol crate; do not edit: `{REGENERATE}`."
            ),
            "license": { "name": "MIT OR Apache-2.0" },
        },
        "paths": paths,
        "components": { "schemas": components },
    })
}

/// The document as committed: pretty-printed, with a final newline.
pub fn document_text() -> String {
    let mut text = serde_json::to_string_pretty(&document()).unwrap_or_default();
    text.push('\n');
    text
}
