//! The whole application, built in one place ([`App`]): the merchant
//! routes, the emulator in emulator mode, the static files, and the layers
//! around them (`oversize.rs`: the `413` of a declared body over its route's
//! limit).

mod oversize;

use std::sync::Arc;

use axum::middleware::from_fn;
use axum::Router;

use crate::config::Config;
#[cfg(feature = "sandbox")]
use crate::config::Mode;
#[cfg(feature = "sandbox")]
use crate::emulator;
use crate::fulfillment::{Fulfillment, RecordOnly};
use crate::merchant::{self, MerchantState};
use crate::ops;
use crate::policy::{
    Anonymous, CatalogueShippingPolicy, CustomerDiscountPolicy, CustomerIdentity, DiscountPolicy,
    ShippingPolicy, TrialPolicy, YearlyTrialPolicy,
};
use crate::request_id;
use crate::security;
use crate::static_files;
use crate::store::Store;
use crate::stripe_client::StripeClient;

/// The application's builder: its configuration, and the merchant's rules
/// and fulfilment, each replaceable.
///
/// ```no_run
/// # use std::sync::Arc;
/// # use checkout_server::{App, Config, CustomerDiscountPolicy, RecordOnly, Store, YearlyTrialPolicy};
/// let router: axum::Router = App::new(Config::sandbox("http://127.0.0.1:4242"))
///     .discount_policy(Arc::new(CustomerDiscountPolicy::default()))
///     .trial_policy(Arc::new(YearlyTrialPolicy::default()))
///     .fulfillment(Arc::new(RecordOnly))
///     .store(Store::new("sqlite://data/checkout.db")?)
///     .router();
/// # Ok::<(), checkout_server::StoreError>(())
/// ```
///
/// Each step between `new` and `router` is optional: the defaults are the
/// ones shown, but the store, whose default is [`Store::in_memory`]. [`app()`](crate::app()) is `App::new(config).router()`.
pub struct App {
    config: Config,
    discount_policy: Arc<dyn DiscountPolicy>,
    trial_policy: Arc<dyn TrialPolicy>,
    shipping_policy: Arc<dyn ShippingPolicy>,
    identity: Arc<dyn CustomerIdentity>,
    fulfillment: Arc<dyn Fulfillment>,
    store: Option<Store>,
}

impl App {
    /// The application for `config`, with the default policies
    /// ([`CustomerDiscountPolicy`], [`YearlyTrialPolicy`],
    /// [`CatalogueShippingPolicy`] of the configuration's catalogue) and
    /// fulfilment ([`RecordOnly`]).
    pub fn new(config: Config) -> Self {
        let shipping_policy = Arc::new(CatalogueShippingPolicy {
            shipping: config.catalogue.shipping.clone(),
        });
        Self {
            config,
            discount_policy: Arc::new(CustomerDiscountPolicy::default()),
            trial_policy: Arc::new(YearlyTrialPolicy::default()),
            shipping_policy,
            identity: Arc::new(Anonymous),
            fulfillment: Arc::new(RecordOnly),
            store: None,
        }
    }

    /// The discounts a session may hold (`/apply-customer-discount`, and the
    /// discount every line-item change re-derives).
    pub fn discount_policy(mut self, policy: Arc<dyn DiscountPolicy>) -> Self {
        self.discount_policy = policy;
        self
    }

    /// The trials a session may hold (`/extend-trial-for-yearly`).
    pub fn trial_policy(mut self, policy: Arc<dyn TrialPolicy>) -> Self {
        self.trial_policy = policy;
        self
    }

    /// The shipping options an address gets (`/calculate-shipping-options`,
    /// and the options every line-item change re-derives on a session with
    /// a shipping address); only used with a catalogue that has `[shipping]`.
    pub fn shipping_policy(mut self, policy: Arc<dyn ShippingPolicy>) -> Self {
        self.shipping_policy = policy;
        self
    }

    /// Who starts a checkout: the customer the session is created with
    /// (`client_reference_id`, email, metadata), which the policies then see
    /// (default [`Anonymous`]).
    pub fn customer_identity(mut self, identity: Arc<dyn CustomerIdentity>) -> Self {
        self.identity = identity;
        self
    }

    /// What paid orders become (`POST /webhook`, `POST /order-status`).
    pub fn fulfillment(mut self, fulfillment: Arc<dyn Fulfillment>) -> Self {
        self.fulfillment = fulfillment;
        self
    }

    /// Where fulfilled orders and handled events are recorded (default:
    /// [`Store::in_memory`], lost with the process; the binary uses
    /// `DATABASE_URL`).
    pub fn store(mut self, store: Store) -> Self {
        self.store = Some(store);
        self
    }

    /// The application: the merchant routes (`POST /webhook` passes paid
    /// orders to the fulfilment), the emulator's routes in emulator mode
    /// (feature `sandbox`; the server then registers its own `/webhook` with
    /// it), and the static files of `config.static_dir` (with `index.html`
    /// for `/`) as fallback, precompressed and with caching headers
    /// ([`static_files`]). Every response carries the security headers of
    /// [`security`] and an `x-request-id`, those of the request guards
    /// included ([`checkout_listener::guard`] with `config.listener`: request
    /// timeout, head sizes) and the `413` of a body declared over its
    /// route's limit.
    pub fn router(self) -> Router {
        #[cfg_attr(not(feature = "sandbox"), allow(unused_mut))]
        let mut config = self.config;
        let stripe = StripeClient::new(config.stripe.clone());
        let limits = config.listener;
        let static_dir = config.static_dir.clone();
        let stripe_js = config.page_stripe_js_url();
        #[cfg(feature = "sandbox")]
        let emulator = (config.mode == Mode::Emulator).then(|| emulator::start(&mut config));
        let store = self.store.unwrap_or_else(Store::in_memory);
        let metrics_token = config.metrics_token.clone();
        let mut router = merchant::router(MerchantState {
            config: Arc::new(config),
            stripe,
            policy: self.discount_policy,
            trials: self.trial_policy,
            shipping: self.shipping_policy,
            identity: self.identity,
            prices: Arc::default(),
            fulfillment: self.fulfillment,
            store: store.clone(),
        })
        .merge(ops::health_routes(store))
        .merge(ops::metrics_routes(metrics_token));
        #[cfg(feature = "sandbox")]
        if let Some(state) = emulator {
            router = emulator::mount(router, state);
        }
        if let Some(dir) = static_dir {
            router = router.fallback_service(static_files::router(dir, &stripe_js));
        }
        let router = checkout_listener::guard(
            router
                .layer(from_fn(oversize::refuse_declared_oversize))
                .layer(from_fn(ops::count_requests)),
            &limits,
        );
        security::with_security_headers(request_id::with_request_ids(router))
    }
}
