//! Every customer-visible string, overridable, with English, French and
//! Japanese sets.

use std::borrow::Cow;

use checkout_protocol::Refusal;
use leptos::prelude::{MaybeProp, With, WithUntracked};

/// Declares [`Labels`] from one list: each text's field, its key in
/// `mount()`'s `labels` option and its documentation, which also becomes
/// the `MountLabels` TypeScript interface ([`MOUNT_LABELS_TS`]).
macro_rules! labels {
    (
        $($(#[doc = $doc:literal])* $field:ident: $key:literal;)*
        // Texts of parts that a feature adds (the shop's), which `mount()`
        // does not offer: fields only, each behind its feature.
        $(#[cfg($cfg:meta)] $(#[doc = $xdoc:literal])* $xfield:ident;)*
    ) => {
        /// The text the components show. Start from [`Labels::en`], [`Labels::fr`] or
        /// [`Labels::ja`] (or [`Labels::for_locale`]) and override what you need:
        ///
        /// ```
        /// use leptos_stripe_checkout::Labels;
        /// let labels = Labels {
        ///     apply_discount: "Use my loyalty discount".into(),
        ///     ..Labels::en()
        /// };
        /// assert_eq!(labels.locale, "en-US");
        /// ```
        ///
        /// Templates contain placeholders: `{days}`, `{total}`, `{today}`, `{quantity}`, `{name}`.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Labels {
            /// BCP 47 locale used to format money (`en-US`, `fr-FR`, `ja-JP`).
            pub locale: Cow<'static, str>,
            $($(#[doc = $doc])* pub $field: Cow<'static, str>,)*
            $(#[cfg($cfg)] $(#[doc = $xdoc])* pub $xfield: Cow<'static, str>,)*
        }

        impl Labels {
            /// The texts' keys in `mount()`'s `labels` option, in the
            /// order of [`Labels::texts_mut`].
            #[cfg_attr(not(feature = "embed"), allow(dead_code))]
            pub(crate) const KEYS: &'static [&'static str] = &[$($key),*];

            /// How many texts this build has that `mount()` does not offer
            /// (the shop's, behind their features).
            #[allow(dead_code)]
            pub(crate) const UNMOUNTED: usize = 0 $(+ cfg!($cfg) as usize)*;

            /// Every text, in the order of [`Labels::KEYS`].
            #[cfg_attr(not(feature = "embed"), allow(dead_code))]
            pub(crate) fn texts_mut(&mut self) -> [&mut Cow<'static, str>; Self::KEYS.len()] {
                [$(&mut self.$field),*]
            }
        }

        /// The `MountLabels` TypeScript interface: every key of
        /// [`Labels::KEYS`], documented as its field is.
        // Read by wasm-bindgen (a TypeScript section, on wasm32 only) and tests.
        #[allow(dead_code)]
        pub(crate) const MOUNT_LABELS_TS: &str = concat!(
            "\n/** The texts `mount()` lets a page override (at most 300 characters each; the\n",
            " * built-in set of `locale` fills the rest). Templates keep their placeholders. */\n",
            "export interface MountLabels {\n",
            $("  /**", $($doc, "\n   *",)* "/\n  ", $key, "?: string;\n",)*
            "  /** @deprecated Read as `intervalSwitch`. */\n  switchToYearly?: string;\n}\n"
        );
    };
}

labels! {
    /// The interval switch's name, the same in both states (WAI-ARIA switch
    /// pattern: the state is `aria-checked`, on = yearly; the summary shows
    /// the current plan). Override the text, but keep it one name.
    interval_switch: "intervalSwitch";
    /// Discount button before the discount.
    apply_discount: "applyDiscount";
    /// Discount button once the discount is on the order.
    discount_applied: "discountApplied";
    /// Name shown for a discount without one.
    discount: "discount";
    /// Heading of the order summary.
    order_summary: "orderSummary";
    /// "Total" in the summary.
    total: "total";
    /// Suffixes after a recurring total: " per day".
    per_day: "perDay";
    /// " per week"
    per_week: "perWeek";
    /// " per month"
    per_month: "perMonth";
    /// " per year"
    per_year: "perYear";
    /// Trial line in the summary; `{days}`.
    trial: "trial";
    /// Shown while the checkout loads.
    loading: "loading";
    /// Shown when the checkout could not load.
    unavailable: "unavailable";
    /// Polite announcement after a successful update; `{total}`.
    total_now: "totalNow";
    /// Quantity field label; `{name}`.
    quantity_of: "quantityOf";
    /// Decrease-quantity button label; `{name}`.
    decrease_quantity: "decreaseQuantity";
    /// Increase-quantity button label; `{name}`.
    increase_quantity: "increaseQuantity";
    /// Trial offer button.
    trial_offer: "trialOffer";
    /// Trial offer once the trial is on the order; `{days}`.
    trial_added: "trialAdded";
    /// Pay button.
    pay: "pay";
    /// Pay button while paying.
    paying: "paying";
    /// After the payment went through.
    paid: "paid";
    /// After paying, while the merchant server has not yet fulfilled the order.
    order_confirming: "orderConfirming";
    /// The merchant server fulfilled the order (from Stripe's webhook).
    order_confirmed: "orderConfirmed";
    /// The fulfilment record did not come in time.
    order_confirmation_late: "orderConfirmationLate";
    /// Shown once the session is complete, about the update controls.
    complete: "complete";
    /// Shown once the session has expired.
    expired: "expired";
    /// A failure without a message from the server.
    generic_error: "genericError";
    /// The merchant server could not be reached.
    network_error: "networkError";
    /// Stripe.js could not be loaded or set up.
    load_error: "loadError";
    /// Button that loads the checkout again after a failure.
    retry: "retry";
    /// Accessible name of the payment form.
    payment_form: "paymentForm";
    /// A declined payment (the card or payment method was refused).
    payment_declined: "paymentDeclined";
    /// A payment that could not be completed for another reason.
    payment_failed: "paymentFailed";
    /// Pay pressed while Stripe.js says the session cannot be confirmed yet
    /// (`canConfirm` false): what the customer should do.
    payment_incomplete: "paymentIncomplete";
    /// Pay found the order changed since it was shown; `{total}`.
    total_changed: "totalChanged";
    /// Polite announcement when the order changed elsewhere (another tab,
    /// a late update) and the page caught up; `{total}`.
    order_updated: "orderUpdated";
    /// Polite announcement after a quantity change; `{quantity}`, `{total}`.
    quantity_now: "quantityNow";
    /// Polite announcement after the trial was added; `{days}`, `{total}`.
    trial_now: "trialNow";
    /// Quantity field label while the line item is not known.
    quantity: "quantity";
    /// Decrease button label while the line item is not known.
    decrease: "decrease";
    /// Increase button label while the line item is not known.
    increase: "increase";
    /// Shown while the order is being read again after a failure.
    checking: "checking";
    /// The order could not be read again (offline, server unreachable).
    sync_failed: "syncFailed";
    /// Stripe.js gave up waiting for an update whose outcome is not known yet.
    update_slow: "updateSlow";
    /// Button that reads the order again now.
    check_again: "checkAgain";
    /// The session no longer exists (unknown to Stripe and the server).
    session_gone: "sessionGone";
    /// Button that forgets this checkout and starts a new one.
    start_over: "startOver";
    /// Merchant refusal `not_eligible`: no customer discount for this order.
    not_eligible: "notEligible";
    /// Merchant refusal `cart_changed`: another window changed the order.
    cart_changed: "cartChanged";
    /// Merchant refusal `not_subscription`: trials need a subscription.
    not_subscription: "notSubscription";
    /// Merchant refusal `no_line_item`: the item is not in the order.
    no_line_item: "noLineItem";
    /// Merchant refusal `bad_quantity`: a quantity out of bounds.
    bad_quantity: "badQuantity";
    /// Merchant refusal `invalid_discounts`.
    invalid_discounts: "invalidDiscounts";
    /// Merchant refusal `discount_failed`.
    discount_failed: "discountFailed";
    /// Merchant refusal `bad_request`: Stripe or the server refused the request.
    bad_request: "badRequest";
    /// Merchant failure `server_error`.
    server_error: "serverError";
    /// Merchant failure `try_again`: Stripe was busy or unreachable; nothing changed.
    try_again: "tryAgain";
    /// Merchant refusal `forbidden_origin`.
    forbidden: "forbidden";
    /// Merchant refusal `not_open`: the session is complete or expired.
    not_open: "notOpen";
    /// The email field's visible label.
    email: "email";
    /// Stripe.js refused the email as unfinished (`incompleteEmail`).
    email_incomplete: "emailIncomplete";
    /// Stripe.js refused the email as malformed (`invalidEmail`).
    email_invalid: "emailInvalid";
    /// The email could not be saved for another reason (offline, Stripe.js).
    email_failed: "emailFailed";
    /// The total's label during a free trial ("Due today").
    due_today: "dueToday";
    /// The summary line after the total during a trial; `{total}` (the first
    /// charge, with its interval), `{days}`.
    after_trial: "afterTrial";
    /// The total as announced during a trial; `{today}`, `{total}`, `{days}`.
    total_in_trial: "totalInTrial";
    /// The suffix after a recurring amount billed every `{n}` days (`n` > 1).
    per_n_days: "perNDays";
    /// … every `{n}` weeks.
    per_n_weeks: "perNWeeks";
    /// … every `{n}` months (a quarterly plan: 3).
    per_n_months: "perNMonths";
    /// … every `{n}` years.
    per_n_years: "perNYears";
    /// The summary line after the total when the first charge differs from
    /// the next ones (one-time items on the first invoice); `{total}` (the
    /// next charge, with its interval).
    then_next: "thenNext";
    /// That total as announced; `{today}`, `{total}`.
    total_then_next: "totalThenNext";
    #[cfg(feature = "shipping")]
    /// The shipping address's group name (`ShippingAddress`).
    shipping_address;
    #[cfg(feature = "shipping")]
    /// The shipping options' radio group name (`ShippingOptions`).
    shipping_method;
    #[cfg(feature = "shipping")]
    /// Where the shipping options will be, before an accepted address.
    shipping_pending;
    #[cfg(feature = "shipping")]
    /// A shipping option that costs nothing.
    shipping_free;
    #[cfg(feature = "shipping")]
    /// A shipping option's delivery estimate in business days; `{min}`, `{max}`.
    delivery_days;
    #[cfg(feature = "shipping")]
    /// The summary's shipping line.
    shipping;
    #[cfg(feature = "shipping")]
    /// Merchant refusal `cannot_ship_to`: the shop does not ship there.
    cannot_ship_to;
    #[cfg(feature = "shipping")]
    /// Merchant refusal `bad_address`: the address is not complete.
    bad_address;
    #[cfg(feature = "shipping")]
    /// Pay was pressed before an accepted address and a shipping option.
    shipping_incomplete;
    #[cfg(feature = "add-ons")]
    /// An add-on's name (`AddOn`); `{name}`, `{amount}` (its price).
    add_on;
}

impl Default for Labels {
    fn default() -> Self {
        Self::en()
    }
}

impl Labels {
    /// English (the seeds' wording).
    pub const fn en() -> Self {
        Self {
            locale: Cow::Borrowed("en-US"),
            #[cfg(feature = "shipping")]
            shipping_address: Cow::Borrowed("Shipping address"),
            #[cfg(feature = "shipping")]
            shipping_method: Cow::Borrowed("Shipping method"),
            #[cfg(feature = "shipping")]
            shipping_pending: Cow::Borrowed("Enter your address to see the shipping options."),
            #[cfg(feature = "shipping")]
            shipping_free: Cow::Borrowed("Free"),
            #[cfg(feature = "shipping")]
            delivery_days: Cow::Borrowed("{min}–{max} business days"),
            #[cfg(feature = "shipping")]
            shipping: Cow::Borrowed("Shipping"),
            #[cfg(feature = "shipping")]
            cannot_ship_to: Cow::Borrowed("We can't ship to this address. Please enter a different one."),
            #[cfg(feature = "shipping")]
            bad_address: Cow::Borrowed("Please enter a complete shipping address."),
            #[cfg(feature = "shipping")]
            shipping_incomplete: Cow::Borrowed("Enter an address we ship to and choose a shipping method."),
            #[cfg(feature = "add-ons")]
            add_on: Cow::Borrowed("Add {name} ({amount})"),
            interval_switch: Cow::Borrowed("Save with a yearly subscription"),
            apply_discount: Cow::Borrowed("Apply Customer Discount"),
            discount_applied: Cow::Borrowed("Discount Applied!"),
            discount: Cow::Borrowed("Discount"),
            order_summary: Cow::Borrowed("Order summary"),
            total: Cow::Borrowed("Total"),
            per_day: Cow::Borrowed(" per day"),
            per_week: Cow::Borrowed(" per week"),
            per_month: Cow::Borrowed(" per month"),
            per_year: Cow::Borrowed(" per year"),
            trial: Cow::Borrowed("{days}-day free trial"),
            loading: Cow::Borrowed("Loading your order…"),
            unavailable: Cow::Borrowed("Your order is not available."),
            total_now: Cow::Borrowed("Total is now {total}"),
            quantity_of: Cow::Borrowed("Quantity of {name}"),
            decrease_quantity: Cow::Borrowed("Decrease quantity of {name}"),
            increase_quantity: Cow::Borrowed("Increase quantity of {name}"),
            trial_offer: Cow::Borrowed("Add a 14-day free trial"),
            trial_added: Cow::Borrowed("{days}-day free trial added"),
            pay: Cow::Borrowed("Pay"),
            paying: Cow::Borrowed("Paying…"),
            paid: Cow::Borrowed("Payment complete. Thank you!"),
            order_confirming: Cow::Borrowed("Confirming your order…"),
            order_confirmed: Cow::Borrowed("Order confirmed"),
            order_confirmation_late: Cow::Borrowed("Payment received. Your order confirmation is on its way."),
            complete: Cow::Borrowed("This order is complete and can no longer be changed."),
            expired: Cow::Borrowed("This checkout has expired."),
            generic_error: Cow::Borrowed("We couldn't update your order. Please try again."),
            network_error: Cow::Borrowed("We couldn't reach the server. Check your connection and try again."),
            load_error: Cow::Borrowed("The payment form could not be loaded. Please try again."),
            retry: Cow::Borrowed("Try again"),
            payment_form: Cow::Borrowed("Payment"),
            payment_declined: Cow::Borrowed("Your card was declined. Please try another card."),
            payment_failed: Cow::Borrowed("The payment could not be completed. Please try again."),
            payment_incomplete: Cow::Borrowed("Complete your payment details to pay."),
            total_changed: Cow::Borrowed("Your order changed: the total is now {total}. Please check it before you pay."),
            order_updated: Cow::Borrowed("Your order was updated. Total is now {total}"),
            quantity_now: Cow::Borrowed("Quantity {quantity}. Total is now {total}"),
            trial_now: Cow::Borrowed("{days}-day free trial added. Total is now {total}"),
            quantity: Cow::Borrowed("Quantity"),
            decrease: Cow::Borrowed("Decrease quantity"),
            increase: Cow::Borrowed("Increase quantity"),
            checking: Cow::Borrowed("Checking your order…"),
            sync_failed: Cow::Borrowed("We couldn't load the latest version of your order. Check your connection; we'll try again automatically."),
            update_slow: Cow::Borrowed("Your change is taking longer than usual. Your order will show here as soon as it is confirmed."),
            check_again: Cow::Borrowed("Check again"),
            session_gone: Cow::Borrowed("This checkout is no longer available."),
            start_over: Cow::Borrowed("Start a new checkout"),
            not_eligible: Cow::Borrowed("Customer discounts apply to orders over $100.00."),
            cart_changed: Cow::Borrowed("Your order changed in another window. Please review it and try again."),
            not_subscription: Cow::Borrowed("Trials are only available for subscriptions."),
            no_line_item: Cow::Borrowed("That item is not in your order any more."),
            bad_quantity: Cow::Borrowed("Please choose a quantity from 1 to 10."),
            invalid_discounts: Cow::Borrowed("Your discounts are invalid. Please try again."),
            discount_failed: Cow::Borrowed("We could not update your discounts. Please try again."),
            bad_request: Cow::Borrowed("We couldn't process your request. Please try again later."),
            server_error: Cow::Borrowed("Something went wrong on our end. Please try again later."),
            try_again: Cow::Borrowed("We couldn't update your order just now. Please try again in a moment."),
            forbidden: Cow::Borrowed("This page is not allowed to change your order."),
            not_open: Cow::Borrowed("This checkout is no longer open."),
            email: Cow::Borrowed("Email"),
            email_incomplete: Cow::Borrowed("Your email address is incomplete."),
            email_invalid: Cow::Borrowed("Your email address is invalid."),
            email_failed: Cow::Borrowed("We couldn't save your email address. Please try again."),
            due_today: Cow::Borrowed("Due today"),
            after_trial: Cow::Borrowed("Then {total} after the {days}-day trial"),
            total_in_trial: Cow::Borrowed("{today} due today, then {total} after the {days}-day trial"),
            per_n_days: Cow::Borrowed(" every {n} days"),
            per_n_weeks: Cow::Borrowed(" every {n} weeks"),
            per_n_months: Cow::Borrowed(" every {n} months"),
            per_n_years: Cow::Borrowed(" every {n} years"),
            then_next: Cow::Borrowed("Then {total}"),
            total_then_next: Cow::Borrowed("{today} due today, then {total}"),
        }
    }

    /// French (cargo feature `locale-fr`).
    #[cfg(feature = "locale-fr")]
    pub const fn fr() -> Self {
        Self {
            locale: Cow::Borrowed("fr-FR"),
            #[cfg(feature = "shipping")]
            shipping_address: Cow::Borrowed("Adresse de livraison"),
            #[cfg(feature = "shipping")]
            shipping_method: Cow::Borrowed("Mode de livraison"),
            #[cfg(feature = "shipping")]
            shipping_pending: Cow::Borrowed("Saisissez votre adresse pour voir les modes de livraison."),
            #[cfg(feature = "shipping")]
            shipping_free: Cow::Borrowed("Gratuit"),
            #[cfg(feature = "shipping")]
            delivery_days: Cow::Borrowed("{min} à {max} jours ouvrés"),
            #[cfg(feature = "shipping")]
            shipping: Cow::Borrowed("Livraison"),
            #[cfg(feature = "shipping")]
            cannot_ship_to: Cow::Borrowed("Nous ne livrons pas à cette adresse. Veuillez en saisir une autre."),
            #[cfg(feature = "shipping")]
            bad_address: Cow::Borrowed("Veuillez saisir une adresse de livraison complète."),
            #[cfg(feature = "shipping")]
            shipping_incomplete: Cow::Borrowed("Saisissez une adresse que nous desservons et choisissez un mode de livraison."),
            #[cfg(feature = "add-ons")]
            add_on: Cow::Borrowed("Ajouter {name} ({amount})"),
            interval_switch: Cow::Borrowed("Économisez avec un abonnement annuel"),
            apply_discount: Cow::Borrowed("Appliquer la remise client"),
            discount_applied: Cow::Borrowed("Remise appliquée !"),
            discount: Cow::Borrowed("Remise"),
            order_summary: Cow::Borrowed("Récapitulatif de la commande"),
            total: Cow::Borrowed("Total"),
            per_day: Cow::Borrowed(" par jour"),
            per_week: Cow::Borrowed(" par semaine"),
            per_month: Cow::Borrowed(" par mois"),
            per_year: Cow::Borrowed(" par an"),
            trial: Cow::Borrowed("Essai gratuit de {days} jours"),
            loading: Cow::Borrowed("Chargement de votre commande…"),
            unavailable: Cow::Borrowed("Votre commande n’est pas disponible."),
            total_now: Cow::Borrowed("Le total est maintenant de {total}"),
            quantity_of: Cow::Borrowed("Quantité de {name}"),
            decrease_quantity: Cow::Borrowed("Diminuer la quantité de {name}"),
            increase_quantity: Cow::Borrowed("Augmenter la quantité de {name}"),
            trial_offer: Cow::Borrowed("Ajouter un essai gratuit de 14 jours"),
            trial_added: Cow::Borrowed("Essai gratuit de {days} jours ajouté"),
            pay: Cow::Borrowed("Payer"),
            paying: Cow::Borrowed("Paiement…"),
            paid: Cow::Borrowed("Paiement effectué. Merci !"),
            order_confirming: Cow::Borrowed("Confirmation de votre commande…"),
            order_confirmed: Cow::Borrowed("Commande confirmée"),
            order_confirmation_late:
                Cow::Borrowed("Paiement reçu. La confirmation de votre commande arrive."),
            complete: Cow::Borrowed("Cette commande est terminée et ne peut plus être modifiée."),
            expired: Cow::Borrowed("Cette session de paiement a expiré."),
            generic_error: Cow::Borrowed("Nous n’avons pas pu mettre à jour votre commande. Veuillez réessayer."),
            network_error:
                Cow::Borrowed("Impossible de joindre le serveur. Vérifiez votre connexion et réessayez."),
            load_error: Cow::Borrowed("Le formulaire de paiement n’a pas pu être chargé. Veuillez réessayer."),
            retry: Cow::Borrowed("Réessayer"),
            payment_form: Cow::Borrowed("Paiement"),
            payment_declined: Cow::Borrowed("Votre carte a été refusée. Veuillez essayer une autre carte."),
            payment_failed: Cow::Borrowed("Le paiement n’a pas pu être effectué. Veuillez réessayer."),
            payment_incomplete: Cow::Borrowed("Complétez vos informations de paiement pour payer."),
            total_changed:
                Cow::Borrowed("Votre commande a changé : le total est maintenant de {total}. Vérifiez-la avant de payer."),
            order_updated: Cow::Borrowed("Votre commande a été mise à jour. Le total est maintenant de {total}"),
            quantity_now: Cow::Borrowed("Quantité {quantity}. Le total est maintenant de {total}"),
            trial_now: Cow::Borrowed("Essai gratuit de {days} jours ajouté. Le total est maintenant de {total}"),
            quantity: Cow::Borrowed("Quantité"),
            decrease: Cow::Borrowed("Diminuer la quantité"),
            increase: Cow::Borrowed("Augmenter la quantité"),
            checking: Cow::Borrowed("Vérification de votre commande…"),
            sync_failed: Cow::Borrowed("Impossible de charger la dernière version de votre commande. Vérifiez votre connexion ; nous réessaierons automatiquement."),
            update_slow: Cow::Borrowed("Votre modification prend plus de temps que prévu. Votre commande s’affichera ici dès qu’elle sera confirmée."),
            check_again: Cow::Borrowed("Vérifier à nouveau"),
            session_gone: Cow::Borrowed("Cette session de paiement n’est plus disponible."),
            start_over: Cow::Borrowed("Commencer un nouveau paiement"),
            not_eligible: Cow::Borrowed("Les remises client s’appliquent aux commandes de plus de 100,00 $ US."),
            cart_changed:
                Cow::Borrowed("Votre commande a été modifiée dans une autre fenêtre. Vérifiez-la et réessayez."),
            not_subscription: Cow::Borrowed("Les essais ne sont proposés que pour les abonnements."),
            no_line_item: Cow::Borrowed("Cet article ne fait plus partie de votre commande."),
            bad_quantity: Cow::Borrowed("Veuillez choisir une quantité de 1 à 10."),
            invalid_discounts: Cow::Borrowed("Vos remises ne sont pas valides. Veuillez réessayer."),
            discount_failed: Cow::Borrowed("Nous n’avons pas pu mettre à jour vos remises. Veuillez réessayer."),
            bad_request: Cow::Borrowed("Nous n’avons pas pu traiter votre demande. Veuillez réessayer plus tard."),
            server_error: Cow::Borrowed("Un problème est survenu de notre côté. Veuillez réessayer plus tard."),
            try_again:
                Cow::Borrowed("Nous n’avons pas pu mettre à jour votre commande pour le moment. Veuillez réessayer dans un instant."),
            forbidden: Cow::Borrowed("Cette page n’est pas autorisée à modifier votre commande."),
            not_open: Cow::Borrowed("Cette session de paiement n’est plus ouverte."),
            email: Cow::Borrowed("Adresse e-mail"),
            email_incomplete: Cow::Borrowed("Votre adresse e-mail est incomplète."),
            email_invalid: Cow::Borrowed("Votre adresse e-mail n’est pas valide."),
            email_failed:
                Cow::Borrowed("Nous n’avons pas pu enregistrer votre adresse e-mail. Veuillez réessayer."),
            due_today: Cow::Borrowed("À payer aujourd’hui"),
            after_trial: Cow::Borrowed("Puis {total} après l’essai gratuit de {days} jours"),
            total_in_trial:
                Cow::Borrowed("{today} à payer aujourd’hui, puis {total} après l’essai gratuit de {days} jours"),
            per_n_days: Cow::Borrowed(" tous les {n} jours"),
            per_n_weeks: Cow::Borrowed(" toutes les {n} semaines"),
            per_n_months: Cow::Borrowed(" tous les {n} mois"),
            per_n_years: Cow::Borrowed(" tous les {n} ans"),
            then_next: Cow::Borrowed("Puis {total}"),
            total_then_next: Cow::Borrowed("{today} à payer aujourd’hui, puis {total}"),
        }
    }

    /// Japanese (cargo feature `locale-ja`).
    #[cfg(feature = "locale-ja")]
    pub const fn ja() -> Self {
        Self {
            locale: Cow::Borrowed("ja-JP"),
            #[cfg(feature = "shipping")]
            shipping_address: Cow::Borrowed("お届け先住所"),
            #[cfg(feature = "shipping")]
            shipping_method: Cow::Borrowed("配送方法"),
            #[cfg(feature = "shipping")]
            shipping_pending: Cow::Borrowed("住所を入力すると配送方法が表示されます。"),
            #[cfg(feature = "shipping")]
            shipping_free: Cow::Borrowed("無料"),
            #[cfg(feature = "shipping")]
            delivery_days: Cow::Borrowed("{min}〜{max}営業日"),
            #[cfg(feature = "shipping")]
            shipping: Cow::Borrowed("送料"),
            #[cfg(feature = "shipping")]
            cannot_ship_to: Cow::Borrowed("この住所には配送できません。別の住所を入力してください。"),
            #[cfg(feature = "shipping")]
            bad_address: Cow::Borrowed("配送先住所をすべて入力してください。"),
            #[cfg(feature = "shipping")]
            shipping_incomplete: Cow::Borrowed("配送可能な住所を入力し、配送方法を選択してください。"),
            #[cfg(feature = "add-ons")]
            add_on: Cow::Borrowed("{name}を追加（{amount}）"),
            interval_switch: Cow::Borrowed("年間プランでお得に"),
            apply_discount: Cow::Borrowed("顧客割引を適用"),
            discount_applied: Cow::Borrowed("割引が適用されました"),
            discount: Cow::Borrowed("割引"),
            order_summary: Cow::Borrowed("注文内容"),
            total: Cow::Borrowed("合計"),
            per_day: Cow::Borrowed("／日"),
            per_week: Cow::Borrowed("／週"),
            per_month: Cow::Borrowed("／月"),
            per_year: Cow::Borrowed("／年"),
            trial: Cow::Borrowed("{days}日間の無料トライアル"),
            loading: Cow::Borrowed("注文内容を読み込んでいます…"),
            unavailable: Cow::Borrowed("注文内容を表示できません。"),
            total_now: Cow::Borrowed("合計は{total}になりました"),
            quantity_of: Cow::Borrowed("{name}の数量"),
            decrease_quantity: Cow::Borrowed("{name}の数量を減らす"),
            increase_quantity: Cow::Borrowed("{name}の数量を増やす"),
            trial_offer: Cow::Borrowed("14日間の無料トライアルを追加"),
            trial_added: Cow::Borrowed("{days}日間の無料トライアルを追加しました"),
            pay: Cow::Borrowed("支払う"),
            paying: Cow::Borrowed("処理中…"),
            paid: Cow::Borrowed("お支払いが完了しました。ありがとうございました。"),
            order_confirming: Cow::Borrowed("ご注文を確認しています…"),
            order_confirmed: Cow::Borrowed("ご注文が確定しました"),
            order_confirmation_late: Cow::Borrowed("お支払いを受け付けました。ご注文の確認をお送りします。"),
            complete: Cow::Borrowed("この注文は完了しているため、変更できません。"),
            expired: Cow::Borrowed("このチェックアウトは期限切れです。"),
            generic_error: Cow::Borrowed("注文を更新できませんでした。もう一度お試しください。"),
            network_error:
                Cow::Borrowed("サーバーに接続できませんでした。接続を確認して、もう一度お試しください。"),
            load_error: Cow::Borrowed("支払いフォームを読み込めませんでした。もう一度お試しください。"),
            retry: Cow::Borrowed("再試行"),
            payment_form: Cow::Borrowed("お支払い"),
            payment_declined: Cow::Borrowed("カードが承認されませんでした。別のカードをお試しください。"),
            payment_failed: Cow::Borrowed("お支払いを完了できませんでした。もう一度お試しください。"),
            payment_incomplete: Cow::Borrowed("お支払い情報を入力してから、お支払いください。"),
            total_changed: Cow::Borrowed("ご注文が変更されました。合計は{total}です。お支払いの前にご確認ください。"),
            order_updated: Cow::Borrowed("ご注文が更新されました。合計は{total}になりました"),
            quantity_now: Cow::Borrowed("数量{quantity}。合計は{total}になりました"),
            trial_now: Cow::Borrowed("{days}日間の無料トライアルを追加しました。合計は{total}になりました"),
            quantity: Cow::Borrowed("数量"),
            decrease: Cow::Borrowed("数量を減らす"),
            increase: Cow::Borrowed("数量を増やす"),
            checking: Cow::Borrowed("ご注文を確認しています…"),
            sync_failed: Cow::Borrowed("最新のご注文内容を読み込めませんでした。接続を確認してください。自動的に再試行します。"),
            update_slow: Cow::Borrowed("変更に時間がかかっています。確認が取れ次第、ご注文内容をここに表示します。"),
            check_again: Cow::Borrowed("もう一度確認"),
            session_gone: Cow::Borrowed("このチェックアウトは利用できなくなりました。"),
            start_over: Cow::Borrowed("新しいチェックアウトを開始"),
            not_eligible: Cow::Borrowed("顧客割引は100.00米ドルを超えるご注文に適用されます。"),
            cart_changed: Cow::Borrowed("別のウィンドウでご注文が変更されました。内容を確認して、もう一度お試しください。"),
            not_subscription: Cow::Borrowed("トライアルはサブスクリプションでのみご利用いただけます。"),
            no_line_item: Cow::Borrowed("この商品はご注文に含まれていません。"),
            bad_quantity: Cow::Borrowed("数量は1から10の間で選択してください。"),
            invalid_discounts: Cow::Borrowed("割引が無効です。もう一度お試しください。"),
            discount_failed: Cow::Borrowed("割引を更新できませんでした。もう一度お試しください。"),
            bad_request: Cow::Borrowed("リクエストを処理できませんでした。しばらくしてからもう一度お試しください。"),
            server_error: Cow::Borrowed("問題が発生しました。しばらくしてからもう一度お試しください。"),
            try_again: Cow::Borrowed("ただいまご注文を更新できませんでした。少し待ってからもう一度お試しください。"),
            forbidden: Cow::Borrowed("このページからはご注文を変更できません。"),
            not_open: Cow::Borrowed("このチェックアウトは終了しています。"),
            email: Cow::Borrowed("メールアドレス"),
            email_incomplete: Cow::Borrowed("メールアドレスが不完全です。"),
            email_invalid: Cow::Borrowed("メールアドレスが無効です。"),
            email_failed: Cow::Borrowed("メールアドレスを保存できませんでした。もう一度お試しください。"),
            due_today: Cow::Borrowed("本日のお支払い"),
            after_trial: Cow::Borrowed("{days}日間の無料トライアル終了後は{total}"),
            total_in_trial: Cow::Borrowed("本日のお支払いは{today}、{days}日間の無料トライアル終了後は{total}"),
            per_n_days: Cow::Borrowed("／{n}日ごと"),
            per_n_weeks: Cow::Borrowed("／{n}週間ごと"),
            per_n_months: Cow::Borrowed("／{n}か月ごと"),
            per_n_years: Cow::Borrowed("／{n}年ごと"),
            then_next: Cow::Borrowed("以降は{total}"),
            total_then_next: Cow::Borrowed("本日のお支払いは{today}、以降は{total}"),
        }
    }

    /// The set for a BCP 47 tag (`fr`, `fr-CA`, `ja-JP`, ...); English
    /// otherwise (and for languages whose feature this build leaves out).
    pub fn for_locale(tag: &str) -> Self {
        built_in(tag).clone()
    }

    /// The customer's words for a refusal of the merchant server.
    pub fn refusal(&self, refusal: Refusal) -> &str {
        match refusal {
            Refusal::NotEligible => &self.not_eligible,
            Refusal::CartChanged => &self.cart_changed,
            Refusal::NotSubscription => &self.not_subscription,
            Refusal::NoLineItem => &self.no_line_item,
            Refusal::BadQuantity => &self.bad_quantity,
            Refusal::InvalidDiscounts => &self.invalid_discounts,
            Refusal::DiscountFailed => &self.discount_failed,
            Refusal::BadRequest => &self.bad_request,
            Refusal::ServerError => &self.server_error,
            Refusal::TryAgain => &self.try_again,
            Refusal::ForbiddenOrigin => &self.forbidden,
            Refusal::NotOpen => &self.not_open,
            #[cfg(feature = "shipping")]
            Refusal::CannotShipTo => &self.cannot_ship_to,
            #[cfg(feature = "shipping")]
            Refusal::BadAddress => &self.bad_address,
            Refusal::InvalidRequest => &self.generic_error,
            // The shop's refusals in a build without the shipping parts:
            // checkout-protocol's `shop` feature is on whenever a crate of
            // the same build (the server, the add-ons) turns it on.
            #[allow(unreachable_patterns)]
            _ => &self.generic_error,
        }
    }

    /// The text for a refusal's wire code (`None` for a code no
    /// [`Refusal`] has).
    pub fn for_code(&self, code: &str) -> Option<&str> {
        Refusal::from_code(code).map(|refusal| self.refusal(refusal))
    }

    /// The primary language subtag of [`Labels::locale`], lower case (`fr` for `fr-FR`).
    pub fn language(&self) -> String {
        primary_language(&self.locale)
    }

    /// The suffix after a recurring amount billed every `count` × `interval`
    /// (" per year", " every 3 months").
    pub fn per(&self, interval: Option<&str>, count: i64) -> String {
        let (one, many) = match interval {
            Some("day") => (&self.per_day, &self.per_n_days),
            Some("week") => (&self.per_week, &self.per_n_weeks),
            Some("month") => (&self.per_month, &self.per_n_months),
            Some("year") => (&self.per_year, &self.per_n_years),
            _ => return String::new(),
        };
        if count > 1 {
            fill(many, &[("n", &count.to_string())])
        } else {
            one.to_string()
        }
    }
}

/// The built-in set for a BCP 47 tag, English by default (see
/// [`Labels::for_locale`]): a `static`, read in place.
pub(crate) fn built_in(tag: &str) -> &'static Labels {
    static EN: Labels = Labels::en();
    #[cfg(feature = "locale-fr")]
    static FR: Labels = Labels::fr();
    #[cfg(feature = "locale-ja")]
    static JA: Labels = Labels::ja();
    match primary_language(tag).as_str() {
        #[cfg(feature = "locale-fr")]
        "fr" => &FR,
        #[cfg(feature = "locale-ja")]
        "ja" => &JA,
        _ => &EN,
    }
}

/// Where the components read their labels: the provider's `labels` or,
/// while it has none, the built-in set for the page's language. Read in
/// place, never copied (74 strings; a copy per read cost 3.3 KB of wasm for
/// `Clone` and rebuilt the English set on every read, docs/weight.md).
#[derive(Clone, Copy, Debug)]
pub(crate) struct LabelSource {
    chosen: MaybeProp<Labels>,
    defaults: &'static Labels,
}

impl LabelSource {
    /// The provider's `chosen` labels, else `defaults`.
    pub(crate) fn new(chosen: MaybeProp<Labels>, defaults: &'static Labels) -> Self {
        Self { chosen, defaults }
    }

    /// `f` of the labels, tracked; `None` once the provider is gone.
    pub(crate) fn try_with<R>(&self, f: impl FnOnce(&Labels) -> R) -> Option<R> {
        let defaults = self.defaults;
        self.chosen
            .try_with(|chosen| f(chosen.as_ref().unwrap_or(defaults)))
    }

    /// `f` of the labels, untracked; `None` once the provider is gone.
    pub(crate) fn try_with_untracked<R>(&self, f: impl FnOnce(&Labels) -> R) -> Option<R> {
        let defaults = self.defaults;
        self.chosen
            .try_with_untracked(|chosen| f(chosen.as_ref().unwrap_or(defaults)))
    }

    /// `f` of the labels, tracked; `R::default()` once the provider is gone.
    pub(crate) fn with<R: Default>(&self, f: impl FnOnce(&Labels) -> R) -> R {
        self.try_with(f).unwrap_or_default()
    }
}

/// The primary language subtag of a BCP 47 tag, lower case (`fr` for `fr-CA`).
pub(crate) fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// At most `max` characters of `text`, with `…` when it was cut, and
/// whether it was.
pub(crate) fn truncate(text: &str, max: usize) -> (String, bool) {
    match text.char_indices().nth(max) {
        Some((end, _)) => (format!("{}…", &text[..end]), true),
        None => (text.to_owned(), false),
    }
}

/// Fills `{key}` placeholders of a label template.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (key, value)| {
            text.replace(&format!("{{{key}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_pick_a_set() {
        assert_eq!(Labels::for_locale("fr-CA").locale, "fr-FR");
        assert_eq!(Labels::for_locale("ja").locale, "ja-JP");
        assert_eq!(Labels::for_locale("de-DE").locale, "en-US");
        assert_eq!(Labels::for_locale("").locale, "en-US");
    }

    #[test]
    fn every_set_fills_every_string() {
        for labels in [Labels::en(), Labels::fr(), Labels::ja()] {
            // Debug lists every field: none may be empty.
            let debug = format!("{labels:?}");
            assert!(!debug.contains(": \"\""), "an empty label in {debug}");
            assert!(labels.trial.contains("{days}"));
            for template in [
                &labels.total_now,
                &labels.total_changed,
                &labels.order_updated,
                &labels.quantity_now,
                &labels.trial_now,
            ] {
                assert!(template.contains("{total}"), "{template}");
            }
            assert!(labels.quantity_now.contains("{quantity}"));
            assert!(labels.trial_now.contains("{days}"));
            for template in [&labels.after_trial, &labels.total_in_trial] {
                assert!(template.contains("{total}"), "{template}");
                assert!(template.contains("{days}"), "{template}");
            }
            assert!(labels.total_in_trial.contains("{today}"));
            for template in [
                &labels.per_n_days,
                &labels.per_n_weeks,
                &labels.per_n_months,
                &labels.per_n_years,
            ] {
                assert!(template.contains("{n}"), "{template}");
            }
            #[cfg(feature = "shipping")]
            assert!(
                labels.delivery_days.contains("{min}") && labels.delivery_days.contains("{max}"),
                "{}",
                labels.delivery_days
            );
            #[cfg(feature = "add-ons")]
            assert!(
                labels.add_on.contains("{name}") && labels.add_on.contains("{amount}"),
                "{}",
                labels.add_on
            );
            assert!(labels.then_next.contains("{total}"));
            assert!(
                labels.total_then_next.contains("{today}")
                    && labels.total_then_next.contains("{total}")
            );
        }
    }

    #[test]
    fn every_refusal_code_has_a_message_in_every_set() {
        for labels in [Labels::en(), Labels::fr(), Labels::ja()] {
            for code in checkout_protocol::Refusal::ALL.iter().map(|r| r.code()) {
                let text = labels.for_code(code);
                assert!(text.is_some_and(|t| !t.trim().is_empty()), "{code}");
            }
            assert_eq!(labels.for_code("nope"), None);
        }
        // The English messages are the server's own wording where it has one.
        assert_eq!(
            Labels::en().for_code(checkout_protocol::Refusal::CartChanged.code()),
            Some("Your order changed in another window. Please review it and try again.")
        );
    }

    #[test]
    fn truncation_keeps_short_text_and_cuts_long_text_on_a_char_boundary() {
        assert_eq!(truncate("Plan", 10), ("Plan".to_owned(), false));
        assert_eq!(truncate("ééééé", 3), ("ééé…".to_owned(), true));
        assert_eq!(truncate(&"x".repeat(200_000), 5).0, "xxxxx…");
        assert_eq!(primary_language("fr-CA"), "fr");
        assert_eq!(Labels::ja().language(), "ja");
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(
            fill("{days}-day free trial", &[("days", "14")]),
            "14-day free trial"
        );
        assert_eq!(fill("no placeholder", &[("days", "14")]), "no placeholder");
    }
}
