//! The parts of the widget that `mount()` and the demo's layout place, each
//! defined once: its `mount()` name, its cargo feature, its place in the
//! layout, whether `mount()` shows it by default, and its component. The
//! layout's parts ([`Parts`]), `mount()`'s list of names, its default, its
//! messages and the `MountControl` TypeScript union are derived from here.
//!
//! A control's merchant path and request body live with its component (the
//! `*_ENDPOINT` constant, from `checkout_protocol::endpoints`) and its labels
//! in [`crate::Labels`].

use leptos::prelude::*;

/// Where the layout puts a control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// The row of update controls.
    Controls,
    /// Below them, in the main column.
    Main,
    /// The order summary's column.
    Summary,
    /// Below both: the payment form.
    Pay,
}

/// Declares [`Control`]: variant = `mount()` name, slot, shown by default,
/// cargo feature (or `always`), component, and what `mount()` sets on it:
/// `endpoint` (a control that calls a merchant endpoint: its `endpoint`
/// prop, from `mount()`'s `endpoints`), `options` (its `options` prop: the
/// Express Checkout Element's, from `expressCheckoutOptions`) or `none`.
macro_rules! controls {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $slot:ident, $default:literal,
        $feature:tt, $component:ident, $endpoint:ident;)*) => {
        /// A part of the widget `mount()` can render.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Control {
            $($(#[$doc])* $variant,)*
        }

        impl Control {
            /// Every control, in the layout's order.
            pub(crate) const ALL: &'static [Control] = &[$(Control::$variant,)*];

            /// Its `mount()` name.
            #[cfg_attr(any(not(feature = "embed"), feature = "ssr"), allow(dead_code))]
            pub(crate) const fn name(self) -> &'static str {
                match self { $(Control::$variant => $name,)* }
            }

            /// Where the layout puts it.
            pub(crate) const fn slot(self) -> Slot {
                match self { $(Control::$variant => Slot::$slot,)* }
            }

            /// Whether `mount()` shows it when the page names no controls.
            #[cfg_attr(any(not(feature = "embed"), feature = "ssr"), allow(dead_code))]
            pub(crate) const fn by_default(self) -> bool {
                match self { $(Control::$variant => $default,)* }
            }

            /// Its cargo feature, if it has one.
            #[cfg_attr(any(not(feature = "embed"), feature = "ssr"), allow(dead_code))]
            pub(crate) const fn feature(self) -> Option<&'static str> {
                match self { $(Control::$variant => controls!(@feature $feature),)* }
            }

            /// Whether this build has it (its cargo feature is on).
            pub(crate) const fn in_build(self) -> bool {
                match self { $(Control::$variant => controls!(@built $feature),)* }
            }

            /// Whether it calls a merchant endpoint.
            #[cfg_attr(any(not(feature = "embed"), feature = "ssr"), allow(dead_code))]
            pub(crate) const fn calls_endpoint(self) -> bool {
                match self { $(Control::$variant => controls!(@calls $endpoint),)* }
            }

            /// Its component, with what `mount()` set on it (an endpoint
            /// or options, as JSON text; `None`: its default).
            pub(crate) fn view(self, setting: Option<String>) -> AnyView {
                let _ = &setting;
                match self {
                    $(Control::$variant => controls!(@view $feature, {
                        controls!(@component $component, $endpoint, setting)
                    }),)*
                }
            }
        }

        /// The `MountControl` TypeScript union (`| "switch" | …`; TypeScript
        /// allows the leading bar).
        #[cfg_attr(not(all(feature = "embed", not(feature = "ssr"))), allow(unused_macros))]
        macro_rules! mount_control_union {
            () => { concat!($(" | \"", $name, "\""),*) };
        }

        /// The `MountEndpoints` TypeScript type: a key per control that
        /// calls an endpoint.
        // Read by wasm-bindgen (a TypeScript section, on wasm32 only) and tests.
        #[allow(dead_code)]
        pub(crate) const MOUNT_ENDPOINTS_TS: &str = concat!(
            "\n/** A merchant path or URL per control that calls the server, by the control's name. */\n",
            "export type MountEndpoints = {",
            $(controls!(@member $endpoint, $name),)*
            " };\n"
        );
    };
    (@feature always) => { None };
    (@feature $feature:literal) => { Some($feature) };
    (@built always) => { true };
    (@built $feature:literal) => { cfg!(feature = $feature) };
    (@calls endpoint) => { true };
    (@calls $other:ident) => { false };
    (@member endpoint, $name:literal) => { concat!(" ", $name, "?: string;") };
    (@member $other:ident, $name:literal) => { "" };
    (@component $component:ident, endpoint, $value:ident) => {
        view! { <crate::$component endpoint=$value/> }
    };
    (@component $component:ident, options, $value:ident) => {
        view! { <crate::$component options=$value/> }
    };
    (@component $component:ident, none, $value:ident) => { view! { <crate::$component/> } };
    (@view always, $view:block) => { $view.into_any() };
    (@view $feature:literal, $view:block) => {{
        #[cfg(feature = $feature)]
        let view = $view.into_any();
        #[cfg(not(feature = $feature))]
        let view = ().into_any();
        view
    }};
}

controls! {
    /// The monthly ⇄ yearly switch (`SubscriptionIntervalSwitch`).
    Switch = "switch", Controls, true, always, SubscriptionIntervalSwitch, endpoint;
    /// The customer discount button (`ApplyDiscountButton`).
    Discount = "discount", Controls, true, always, ApplyDiscountButton, endpoint;
    /// The free trial offer (`TrialOffer`).
    Trial = "trial", Controls, false, "trial", TrialOffer, endpoint;
    /// The quantity stepper (`LineItemQuantity`).
    Quantity = "quantity", Main, false, "quantity", LineItemQuantity, endpoint;
    /// The status and alert regions (`UpdateStatus`).
    Status = "status", Main, true, always, UpdateStatus, none;
    /// The order summary (`OrderSummary`).
    Summary = "summary", Summary, true, always, OrderSummary, none;
    /// The wallet buttons (`ExpressCheckout`), above the payment form.
    Express = "express", Pay, false, "express", ExpressCheckout, options;
    /// The payment form (`PaymentForm`).
    Payment = "payment", Pay, false, "payment", PaymentForm, none;
}

// Named by path in `embed.rs` (`crate::controls::mount_control_union!`),
// which textual macro scoping does not reach.
#[cfg(any(all(feature = "embed", not(feature = "ssr")), test))]
#[allow(clippy::single_component_path_imports)]
pub(crate) use mount_control_union;

impl Control {
    /// The control named `name`, if there is one.
    #[cfg_attr(any(not(feature = "embed"), feature = "ssr"), allow(dead_code))]
    pub(crate) fn named(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The names of the controls `which` keeps, for messages (`switch,
    /// discount, …`).
    #[cfg_attr(any(not(feature = "embed"), feature = "ssr"), allow(dead_code))]
    pub(crate) fn names(which: fn(Self) -> bool) -> String {
        Self::ALL
            .iter()
            .filter(|c| which(**c))
            .map(|c| c.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Which controls a widget shows, and whether it adds the order's
/// confirmation (the demo page's `OrderConfirmation`, which `mount()` does
/// not offer).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Parts {
    shown: u16,
    /// `OrderConfirmation` below the payment form.
    pub(crate) confirmation: bool,
}

impl Parts {
    /// Everything this build has (the demo page).
    pub(crate) fn all() -> Self {
        Control::ALL
            .iter()
            .filter(|c| c.in_build())
            .fold(Self::default(), |parts, c| parts.with(*c))
            .with_confirmation()
    }

    /// `mount()`'s default.
    #[cfg_attr(any(not(feature = "embed"), feature = "ssr"), allow(dead_code))]
    pub(crate) fn default_controls() -> Self {
        Control::ALL
            .iter()
            .filter(|c| c.by_default())
            .fold(Self::default(), |parts, c| parts.with(*c))
    }

    /// These parts and `control`.
    pub(crate) fn with(self, control: Control) -> Self {
        Self {
            shown: self.shown | 1 << control as u16,
            ..self
        }
    }

    fn with_confirmation(self) -> Self {
        Self {
            confirmation: cfg!(feature = "payment"),
            ..self
        }
    }

    /// Whether `control` is shown.
    pub(crate) fn has(self, control: Control) -> bool {
        self.shown & (1 << control as u16) != 0
    }

    /// The controls shown in `slot`, in order.
    pub(crate) fn in_slot(self, slot: Slot) -> impl Iterator<Item = Control> {
        Control::ALL
            .iter()
            .copied()
            .filter(move |c| c.slot() == slot && self.has(*c))
    }

    /// Whether anything is shown in `slot`.
    pub(crate) fn any_in(self, slot: Slot) -> bool {
        self.in_slot(slot).next().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_list_of_controls() {
        assert_eq!(
            Control::names(|_| true),
            "switch, discount, trial, quantity, status, summary, express, payment"
        );
        for control in Control::ALL {
            assert_eq!(Control::named(control.name()), Some(*control));
            if control.feature().is_none() {
                assert!(control.in_build(), "{control:?} is in every build");
            }
        }
        assert_eq!(
            mount_control_union!(),
            r#" | "switch" | "discount" | "trial" | "quantity" | "status" | "summary" | "express" | "payment""#
        );
        let default = Parts::default_controls();
        let shown: Vec<&str> = Control::ALL
            .iter()
            .filter(|c| default.has(**c))
            .map(|c| c.name())
            .collect();
        assert_eq!(shown, ["switch", "discount", "status", "summary"]);
        assert!(Control::ALL.len() < 16, "Parts holds them in a u16");
        assert_eq!(
            Control::names(Control::calls_endpoint),
            "switch, discount, trial, quantity"
        );
        assert!(MOUNT_ENDPOINTS_TS.contains(
            "= { switch?: string; discount?: string; trial?: string; quantity?: string; };"
        ));
    }
}
