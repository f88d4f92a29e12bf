//! `ExpressCheckout`: Stripe's Express Checkout Element (Apple Pay, Google
//! Pay, Link, PayPal, … as the customer's browser and the merchant's account
//! allow) for the checkout (cargo feature `express`).

use leptos::html;
use leptos::prelude::*;

use crate::lifecycle::{use_lifecycle, Lifecycle};
use crate::state::CheckoutState;
use crate::ui::{classes, missing_provider};

/// The Express Checkout Element: one-click wallet buttons above the payment
/// form, created with Stripe.js's `createExpressCheckoutElement` on every
/// train (docs/research-stripe-js.md §11). It shows only once Stripe.js says
/// a button renders (its `ready` event's `availablePaymentMethods`); with
/// none available, or once the session is complete, it takes no room.
///
/// When the customer approves a payment in the wallet, the widget pays as
/// Pay does ([`PaymentForm`](crate::PaymentForm)): one payment at a time,
/// after reading the order again (when it changed since it was shown,
/// nothing is charged and the customer is told), then
/// `confirm({expressCheckoutConfirmEvent})`. A payment that does not go
/// through is told to the wallet (`paymentFailed`) and to the customer in
/// the alert region, as Pay's is.
///
/// ```no_run
/// # use leptos::prelude::*;
/// # use leptos_stripe_checkout::*;
/// # fn v() -> impl IntoView {
/// view! {
///     <CheckoutProvider>
///         <ExpressCheckout options=r#"{"buttonHeight":48}"#/>
///         <PaymentForm/>
///         <UpdateStatus/>
///     </CheckoutProvider>
/// }
/// # }
/// ```
#[component]
pub fn ExpressCheckout(
    /// `createExpressCheckoutElement`'s options as JSON text
    /// (`buttonHeight`, `buttonTheme`, `buttonType`, `layout`,
    /// `paymentMethodOrder`, `paymentMethods`; Stripe.js checks them;
    /// default: Stripe's).
    #[prop(optional, into)]
    options: MaybeProp<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let Some(lifecycle) = use_lifecycle() else {
        missing_provider("ExpressCheckout");
        return ().into_any();
    };
    let checkout = lifecycle.context();
    let element = NodeRef::<html::Div>::new();
    // Whether a button renders (1) for the checkout mounted; a `u32`, as
    // the widget's other flags, so that no `RwSignal<bool>` is compiled in
    // (docs/weight.md).
    let available = RwSignal::new(0u32);
    // Its value is the generation whose element is mounted; a session
    // not ready or no longer open (paid, expired) leaves it no room.
    Effect::new(move |mounted: Option<u32>| {
        let mounted = mounted.unwrap_or(0);
        let generation = checkout.generation().get();
        let ready = checkout
            .state()
            .with(|state| *state == CheckoutState::Ready);
        match (ready && checkout.is_open(), element.get()) {
            (true, Some(container)) if mounted != generation => {
                mount(
                    lifecycle,
                    &container,
                    options.get_untracked().as_deref(),
                    available,
                );
                generation
            }
            (false, _) => {
                available.set(0);
                mounted
            }
            _ => mounted,
        }
    });
    view! {
        <div
            class=classes("lsc-express", class)
            node_ref=element
            hidden=move || available.get() == 0
        ></div>
    }
    .into_any()
}

#[cfg(not(feature = "ssr"))]
fn mount(
    lifecycle: Lifecycle,
    container: &web_sys::HtmlDivElement,
    options: Option<&str>,
    available: RwSignal<u32>,
) {
    let Some(stripe) = lifecycle.checkout() else {
        return;
    };
    // What a checkout mounted here before (one that expired) goes first.
    container.set_inner_html("");
    let mounted =
        crate::setup::json_option(options, "ExpressCheckout options").and_then(|options| {
            stripe.mount_express_checkout_element(
                container,
                &options,
                move |any| {
                    available.try_set(u32::from(any));
                },
                move |event| crate::payment_form::pay_with_wallet(lifecycle, event),
            )
        });
    if let Err(error) = mounted {
        // The Payment Element stays the way to pay.
        crate::log::warn(&format!(
            "the Express Checkout Element could not be mounted: {error}"
        ));
    }
}

#[cfg(feature = "ssr")]
fn mount(
    _lifecycle: Lifecycle,
    _container: &web_sys::HtmlDivElement,
    _options: Option<&str>,
    _available: RwSignal<u32>,
) {
}
