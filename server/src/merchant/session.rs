//! `GET /config` and `POST /create-checkout-session`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use checkout_catalogue::Catalogue;
use checkout_protocol::bodies::{AddOnOffer, ClientSecretReply, ConfigReply};
use checkout_protocol::email::is_valid_email;
use tracing::{field, Span};

use super::cart::policy_failed;
use super::error::ApiError;
use super::extract::CreateBody;
use super::messages::MSG_BAD_CUSTOMER_EMAIL;
use super::MerchantState;
use crate::config::previews::has_server_update_beta;
use crate::stripe_client::{
    CreateSessionParams, LineItemParam, PermissionsParam, ShippingAddressCollectionParam,
};

/// `GET /config`: what the browser needs. Never contains a secret.
pub(crate) async fn config(State(state): State<MerchantState>) -> Json<ConfigReply> {
    Json(ConfigReply {
        publishable_key: state.config.publishable_key.clone(),
        stripe_js_url: state.config.page_stripe_js_url(),
        mode: state.config.mode_name().to_owned(),
        train: state.config.train.as_str().to_owned(),
        previews: Some(state.config.previews.names()),
        intervals: Some(
            state
                .config
                .catalogue
                .intervals()
                .iter()
                .map(|i| i.name())
                .collect(),
        ),
        add_ons: add_ons(&state.config.catalogue),
        shipping: state.config.catalogue.shipping.is_some(),
    })
}

/// The catalogue's add-ons for `/config` (`None` when it has none).
fn add_ons(catalogue: &Catalogue) -> Option<Vec<AddOnOffer>> {
    (!catalogue.add_ons.is_empty()).then(|| {
        catalogue
            .add_ons
            .iter()
            .map(|a| AddOnOffer {
                id: a.id.clone(),
                name: a.name.clone(),
                amount: a.amount,
            })
            .collect()
    })
}

/// `POST /create-checkout-session` → `{"clientSecret": …}`: the catalogue's
/// starting cart (its `in_cart` products at their first price and default
/// quantity; a subscription when one is recurring, else a payment), with the
/// update permissions of [`permissions`]; in a shop that ships, with
/// `shipping_address_collection[allowed_countries]` (the Shipping Address
/// Element's countries); with
/// `{"customer_email": …}` (checked against the shared grammar, else 400)
/// Stripe gets `customer_email`, so the customer is not asked for one.
pub(crate) async fn create_checkout_session(
    State(state): State<MerchantState>,
    headers: HeaderMap,
    CreateBody(body): CreateBody,
) -> Result<Json<ClientSecretReply>, ApiError> {
    let page_email = match body.customer_email {
        Some(email) if is_valid_email(&email) => Some(email.trim().to_owned()),
        Some(_) => return Err(ApiError::invalid(MSG_BAD_CUSTOMER_EMAIL)),
        None => None,
    };
    let state = state.for_request();
    // Who the merchant's systems say this is (their email wins over the page's).
    let customer = state
        .identity
        .identify(&headers)
        .await
        .map_err(policy_failed)?;
    if let Err(why) = customer.check() {
        tracing::error!(
            why,
            "the customer identity hook named a customer Stripe would refuse"
        );
        return Err(ApiError::internal());
    }
    let customer_email = match customer.email {
        Some(email) if is_valid_email(&email) => Some(email.trim().to_owned()),
        Some(_) => {
            tracing::error!("the customer identity hook gave an email that is not one");
            return Err(ApiError::internal());
        }
        None => page_email,
    }
    // A Stripe Customer brings its own email; Stripe takes one or the other.
    .filter(|_| customer.customer.is_none());
    let catalogue = &state.config.catalogue;
    let line_items: Vec<LineItemParam> = catalogue
        .start()
        .filter_map(|product| {
            let price = product.start_price()?;
            Some(LineItemParam::price(&price.price, product.quantity.default))
        })
        .collect();
    if line_items.is_empty() {
        tracing::error!("the catalogue has nothing a new checkout starts with");
        return Err(ApiError::internal());
    }
    let params = CreateSessionParams {
        mode: catalogue.start_mode().to_owned(),
        ui_mode: state.config.train.ui_mode().to_owned(),
        line_items,
        permissions: permissions(&state.config),
        return_url: state.config.return_url.clone(),
        customer: customer.customer,
        client_reference_id: customer.client_reference_id,
        customer_email,
        metadata: customer.metadata,
        shipping_address_collection: catalogue.shipping.as_ref().map(|s| {
            ShippingAddressCollectionParam {
                allowed_countries: s.allowed_countries.clone(),
            }
        }),
    };
    let session = state.stripe.create_session(&params).await?;
    Span::current().record("session_id", field::display(&session.id));
    let client_secret = session.client_secret.ok_or_else(|| {
        tracing::error!("Stripe returned a session without a client_secret");
        ApiError::internal()
    })?;
    Ok(Json(ClientSecretReply { client_secret }))
}

/// The `permissions` a session is created with: under the server-update beta,
/// `update_line_items=server_only` (the beta's line-item updates need it) and
/// `update_discounts=server_only` when the discounts preview is on; neither
/// without the beta, where line-item updates are generally available and
/// `permissions` has neither field (stripe-node's GA `SessionCreateParams`:
/// `update_shipping_details` only; docs/research-stripe-strict.md). In a
/// shop that ships, `update_shipping_details=server_only` on every API
/// version: the server writes the address, with its shipping options
/// (Stripe's shipping guide); none otherwise.
fn permissions(config: &crate::config::Config) -> Option<PermissionsParam> {
    let beta = has_server_update_beta(&config.stripe.api_version);
    let ships = config.catalogue.shipping.is_some();
    if !beta && !ships {
        return None;
    }
    let server_only = || "server_only".to_owned();
    Some(PermissionsParam {
        update_line_items: beta.then(server_only),
        update_discounts: (beta && config.previews.discounts).then(server_only),
        update_shipping_details: ships.then(server_only),
    })
}
