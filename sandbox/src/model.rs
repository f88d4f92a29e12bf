//! The emulator's objects as data: prices, line items, shipping rates,
//! coupons and Checkout Sessions. Plain data, used by every resource and by
//! the store; it uses nothing of theirs.

use std::collections::BTreeMap;

/// Recurring terms of a price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurring {
    /// `day`, `week`, `month` or `year`.
    pub interval: String,
    /// Intervals between charges.
    pub interval_count: u32,
}

/// A catalog price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    /// `price_...`.
    pub id: String,
    /// `prod_...`.
    pub product: String,
    /// Product name (line item description).
    pub product_name: String,
    /// Unit amount, minor units.
    pub unit_amount: i64,
    /// Lowercase currency code.
    pub currency: String,
    /// `None` for one-time prices.
    pub recurring: Option<Recurring>,
    /// Creation time.
    pub created: i64,
    /// Catalog prices are active; prices made from `price_data` are not (as on Stripe).
    pub active: bool,
    /// The catalogue's lookup key for it, if it names the price so.
    pub lookup_key: Option<String>,
}

/// A line item of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItem {
    /// `li_...`.
    pub id: String,
    /// The price.
    pub price: Price,
    /// Quantity (≥ 1).
    pub quantity: u64,
}

/// A shipping rate made from `shipping_options[N][shipping_rate_data]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingRate {
    /// `shr_...`.
    pub id: String,
    /// Shown to the customer.
    pub display_name: String,
    /// Fixed amount, minor units.
    pub amount: i64,
    /// Currency of `amount`.
    pub currency: String,
    /// Creation time.
    pub created: i64,
    /// `shipping_rate_data[delivery_estimate]`, when given.
    pub delivery_estimate: Option<DeliveryEstimate>,
}

/// A shipping rate's `delivery_estimate`: either bound may be absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryEstimate {
    /// `maximum`.
    pub maximum: Option<Estimate>,
    /// `minimum`.
    pub minimum: Option<Estimate>,
}

/// One bound of a delivery estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    /// `business_day`, `day`, `hour`, `month` or `week`.
    pub unit: String,
    /// Greater than 0.
    pub value: u64,
}

/// A coupon created from `coupon_data` or `POST /v1/coupons`.
#[derive(Debug, Clone, PartialEq)]
pub struct Coupon {
    /// Coupon id.
    pub id: String,
    /// Amount off (minor units), with `currency`.
    pub amount_off: Option<i64>,
    /// Percent off, in (0, 100].
    pub percent_off: Option<f64>,
    /// Currency of `amount_off`.
    pub currency: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// `once`, `forever` or `repeating`.
    pub duration: String,
    /// Months, for `repeating`.
    pub duration_in_months: Option<u32>,
    /// Creation time.
    pub created: i64,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
}

/// Session status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Open for updates and payment.
    Open,
    /// Paid.
    Complete,
    /// Expired.
    Expired,
}

impl Status {
    /// The API string.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Complete => "complete",
            Status::Expired => "expired",
        }
    }
}

/// `client_only` / `server_only` update permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permissions {
    /// Who may update line items.
    pub update_line_items: String,
    /// Who may update discounts.
    pub update_discounts: String,
    /// `permissions[update_shipping_details]` as given at creation (`None`
    /// when not given): `server_only` takes the customer's wallets away
    /// (the stand-in's Express Checkout Element renders no button).
    pub update_shipping_details: Option<String>,
}

/// A Checkout Session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// `cs_test_...`.
    pub id: String,
    /// `<id>_secret_<random>`.
    pub client_secret: String,
    /// Creation time.
    pub created: i64,
    /// Expiry (+24 h).
    pub expires_at: i64,
    /// `payment`, `subscription` or `setup`.
    pub mode: String,
    /// `custom` (`elements` from dahlia on).
    pub ui_mode: String,
    /// open / complete / expired.
    pub status: Status,
    /// `unpaid`, `paid` or `no_payment_required`.
    pub payment_status: String,
    /// Currency (from the prices), if any.
    pub currency: Option<String>,
    /// The cart.
    pub line_items: Vec<LineItem>,
    /// Applied coupons.
    pub discounts: Vec<Coupon>,
    /// Update permissions.
    pub permissions: Permissions,
    /// Return URL.
    pub return_url: String,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
    /// `client_reference_id`.
    pub client_reference_id: Option<String>,
    /// `customer_email`: the merchant's, at creation.
    pub customer_email: Option<String>,
    /// `customer`: the existing Customer the session was created for.
    pub customer: Option<String>,
    /// That Customer's email, when it has one.
    pub customer_record_email: Option<String>,
    /// The email the customer gave through Stripe.js (`updateEmail`, the
    /// stand-in's `POST /v1/payment_pages/{id}`, or `confirm({email})`).
    pub collected_email: Option<String>,
    /// `subscription_data[trial_period_days]`.
    pub trial_period_days: Option<u32>,
    /// Shipping options (payment mode).
    pub shipping_options: Vec<ShippingRate>,
    /// The id of the selected option among `shipping_options`: the first
    /// one when the options are set, the customer's choice after
    /// `updateShippingOption` (see [`Session::selected_shipping_rate`]).
    pub selected_shipping_rate: Option<String>,
    /// `shipping_address_collection[allowed_countries]`, when given at creation.
    pub allowed_countries: Option<Vec<String>>,
    /// `collected_information[shipping_details]`, as the merchant's server
    /// last set it.
    pub shipping_details: Option<ShippingDetails>,
}

/// A customer's shipping name and address (`collected_information.shipping_details`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingDetails {
    /// `name`.
    pub name: String,
    /// `address`.
    pub address: Address,
}

/// A postal address; `country` and `line1` are required where the emulator
/// takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// `city`.
    pub city: Option<String>,
    /// `country` (two-letter ISO code).
    pub country: String,
    /// `line1`.
    pub line1: String,
    /// `line2`.
    pub line2: Option<String>,
    /// `postal_code`.
    pub postal_code: Option<String>,
    /// `state`.
    pub state: Option<String>,
}

impl Session {
    /// The selected shipping rate: the one `selected_shipping_rate` names,
    /// else (none chosen, or no longer among the options) the first option.
    pub fn selected_shipping_rate(&self) -> Option<&ShippingRate> {
        self.selected_shipping_rate
            .as_deref()
            .and_then(|id| self.shipping_options.iter().find(|r| r.id == id))
            .or_else(|| self.shipping_options.first())
    }

    /// Sets the shipping options; the selection stays when the selected
    /// rate is still among them, else it falls back to the first option.
    pub fn set_shipping_options(&mut self, options: Vec<ShippingRate>) {
        self.shipping_options = options;
        let kept = self
            .selected_shipping_rate
            .as_deref()
            .is_some_and(|id| self.shipping_options.iter().any(|r| r.id == id));
        if !kept {
            self.selected_shipping_rate = self.shipping_options.first().map(|r| r.id.clone());
        }
    }

    /// The session's email: the customer's own, else the merchant's
    /// `customer_email`, else the Customer's (what Stripe.js shows as
    /// `session.email`).
    pub fn email(&self) -> Option<&str> {
        self.collected_email
            .as_deref()
            .or(self.customer_email.as_deref())
            .or(self.customer_record_email.as_deref())
    }

    /// Marks the session expired when its `expires_at` has passed; `true`
    /// when this call expired it.
    pub fn refresh_status(&mut self, now: i64) -> bool {
        let due = self.status == Status::Open && now >= self.expires_at;
        if due {
            self.status = Status::Expired;
        }
        due
    }
}
