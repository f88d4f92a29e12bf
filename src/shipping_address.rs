//! `ShippingAddress`: Stripe's Shipping Address Element, whose complete
//! addresses go to the merchant's `/calculate-shipping-options` (feature
//! `shipping`).

use leptos::html;
use leptos::prelude::*;
use serde::Deserialize;

use checkout_protocol::bodies::{Address, ShippingDetails, ShippingOptionsRequest};

use crate::lifecycle::{use_lifecycle, Lifecycle};
use crate::server_update::{use_component_update, ServerUpdate};
use crate::state::CheckoutState;
use crate::ui::classes;
use crate::update_status::ControlAlert;

/// Default merchant endpoint.
pub const SHIPPING_ENDPOINT: &str = checkout_protocol::endpoints::CALCULATE_SHIPPING_OPTIONS;

/// The customer's shipping address, in Stripe's Shipping Address Element
/// (`createShippingAddressElement`, every train; docs/research-stripe-js.md
/// §13), for a session created with `shipping_address_collection` and
/// `permissions.update_shipping_details=server_only` (Stripe's shipping
/// guide: only the merchant's server writes the address).
///
/// Each complete address the element reports goes, inside
/// `runServerUpdate`, to the merchant's `/calculate-shipping-options`
/// (`{checkout_session_id, shipping_details: {name, address}}`), which
/// checks it and writes it with the shipping options its policy gives it
/// ([`ShippingOptions`](crate::ShippingOptions) shows them). One address is
/// sent at a time; one typed meanwhile is sent when the update ends.
///
/// Until the address shown is one the server accepted (while it is typed,
/// when it is refused: `cannot_ship_to`, `bad_address`, said in the alert
/// under it), Pay is unavailable and `ShippingOptions` shows no option.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! {
///     <CheckoutProvider>
///         <ShippingAddress/>
///         <ShippingOptions/>
///         <PaymentForm/>
///     </CheckoutProvider>
/// }
/// # }
/// ```
#[component]
pub fn ShippingAddress(
    /// Merchant endpoint (default `/calculate-shipping-options`).
    #[prop(optional, into)]
    endpoint: MaybeProp<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let (Some(update), Some(lifecycle)) = (
        use_component_update("ShippingAddress", endpoint, SHIPPING_ENDPOINT),
        use_lifecycle(),
    ) else {
        return ().into_any();
    };
    let checkout = update.context();
    let hold = checkout.shipping_hold();
    hold.set(1);
    // Gone from the page, it holds Pay back no more.
    on_cleanup(move || {
        let _ = hold.try_set(0);
    });
    let element = NodeRef::<html::Div>::new();
    // The latest complete address typed and not sent yet.
    let typed = RwSignal::new(None::<ShippingDetails>);
    // The address sent last, and the one the server accepted.
    let sent = StoredValue::new(None::<ShippingDetails>);
    let accepted = StoredValue::new(None::<ShippingDetails>);
    // Mounts the element once per checkout (like the Payment Element).
    Effect::new(move |mounted: Option<u32>| {
        let mounted = mounted.unwrap_or(0);
        let generation = checkout.generation().get();
        let ready = checkout
            .state()
            .with(|state| *state == CheckoutState::Ready);
        match (ready && checkout.is_open(), element.get()) {
            (true, Some(container)) if mounted != generation => {
                // A new checkout (after "Start a new checkout"): its
                // session has no address the server accepted yet.
                hold.set(1);
                accepted.set_value(None);
                mount(lifecycle, &container, move |details| {
                    // Typing again: what is shown is not accepted (yet).
                    let _ = hold.try_set(1);
                    let same = details.is_some()
                        && accepted.try_with_value(|a| *a == details).unwrap_or(false);
                    if same {
                        let _ = hold.try_set(0);
                        let _ = typed.try_set(None);
                    } else {
                        let _ = typed.try_set(details);
                    }
                });
                generation
            }
            _ => mounted,
        }
    });
    // Sends the address typed once nothing else runs.
    Effect::new(move |_| {
        if checkout.blocked() {
            return;
        }
        if let Some(details) = typed.get() {
            typed.set(None);
            send(update, sent, details);
        }
    });
    // When this control's update ends: accepted, or not (its alert says why).
    Effect::new(move |was_pending: Option<bool>| {
        let pending = update.pending();
        if was_pending == Some(true) && !pending {
            let ok = update.error().is_none() && typed.with_untracked(Option::is_none);
            if ok {
                accepted.set_value(sent.get_value());
            }
            hold.set(u32::from(!ok));
        }
        pending
    });
    view! {
        <div
            class=classes("lsc-shipping-address", class)
            role="group"
            aria-label=move || Some(checkout.labels_ref().with(|l| l.shipping_address.to_string()))
            aria-busy=move || update.pending().then_some("true")
        >
            <div class="lsc-shipping-address__element" node_ref=element></div>
        </div>
        <ControlAlert checkout control=update.control()/>
    }
    .into_any()
}

fn send(
    update: ServerUpdate,
    sent: StoredValue<Option<ShippingDetails>>,
    details: ShippingDetails,
) {
    sent.set_value(Some(details.clone()));
    update.run_request(move |session_id| ShippingOptionsRequest {
        checkout_session_id: Some(session_id),
        shipping_details: Some(details),
    });
}

/// `StripeAddressElementChangeEvent`, as far as the widget reads it.
#[derive(Deserialize)]
struct Change {
    #[serde(default)]
    complete: bool,
    #[serde(default)]
    value: Option<ChangeValue>,
}

#[derive(Deserialize)]
struct ChangeValue {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    address: Option<ChangeAddress>,
}

#[derive(Deserialize)]
struct ChangeAddress {
    #[serde(default)]
    line1: Option<String>,
    #[serde(default)]
    line2: Option<String>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    postal_code: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

/// The address of a `change` event: `None` while it is not complete (or
/// not of the shape Stripe.js documents).
fn details_of(event: wasm_bindgen::JsValue) -> Option<ShippingDetails> {
    let change: Change = crate::wire::from_js(event, "the Shipping Address Element's change")
        .map_err(|error| crate::log::warn(&error.to_string()))
        .ok()?;
    let value = change.value.filter(|_| change.complete)?;
    let part = |text: Option<String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let address = value.address?;
    Some(ShippingDetails {
        name: part(value.name),
        address: Some(Address {
            line1: part(address.line1),
            line2: part(address.line2),
            city: part(address.city),
            state: part(address.state),
            postal_code: part(address.postal_code),
            country: part(address.country),
        }),
    })
}

#[cfg(not(feature = "ssr"))]
fn mount(
    lifecycle: Lifecycle,
    container: &web_sys::HtmlDivElement,
    on_address: impl Fn(Option<ShippingDetails>) + 'static,
) {
    let Some(stripe) = lifecycle.checkout() else {
        return;
    };
    container.set_inner_html("");
    let mounted = stripe.mount_shipping_address_element(container, move |event| {
        on_address(details_of(event));
    });
    if let Err(error) = mounted {
        crate::log::warn(&format!(
            "the Shipping Address Element could not be mounted: {error}"
        ));
    }
}

#[cfg(feature = "ssr")]
fn mount(
    _lifecycle: Lifecycle,
    _container: &web_sys::HtmlDivElement,
    _on_address: impl Fn(Option<ShippingDetails>) + 'static,
) {
}
