//! Every customer-visible string, overridable, with English, French and
//! Japanese sets.

use checkout_protocol::Refusal;

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
    pub locale: String,
    /// The interval switch's name, the same in both states (WAI-ARIA switch
    /// pattern: the state is `aria-checked`, on = yearly; the summary shows
    /// the current plan). Override the text, but keep it one name.
    pub interval_switch: String,
    /// Discount button before the discount.
    pub apply_discount: String,
    /// Discount button once the discount is on the order.
    pub discount_applied: String,
    /// Name shown for a discount without one.
    pub discount: String,
    /// Heading of the order summary.
    pub order_summary: String,
    /// "Total" in the summary.
    pub total: String,
    /// Suffixes after a recurring total.
    pub per_day: String,
    /// " per week"
    pub per_week: String,
    /// " per month"
    pub per_month: String,
    /// " per year"
    pub per_year: String,
    /// Trial line in the summary; `{days}`.
    pub trial: String,
    /// Shown while the checkout loads.
    pub loading: String,
    /// Shown when the checkout could not load.
    pub unavailable: String,
    /// Polite announcement after a successful update; `{total}`.
    pub total_now: String,
    /// Quantity field label; `{name}`.
    pub quantity_of: String,
    /// Decrease-quantity button label; `{name}`.
    pub decrease_quantity: String,
    /// Increase-quantity button label; `{name}`.
    pub increase_quantity: String,
    /// Trial offer button.
    pub trial_offer: String,
    /// Trial offer once the trial is on the order; `{days}`.
    pub trial_added: String,
    /// Pay button.
    pub pay: String,
    /// Pay button while paying.
    pub paying: String,
    /// After the payment went through.
    pub paid: String,
    /// After paying, while the merchant server has not yet fulfilled the order.
    pub order_confirming: String,
    /// The merchant server fulfilled the order (from Stripe's webhook).
    pub order_confirmed: String,
    /// The fulfilment record did not come in time.
    pub order_confirmation_late: String,
    /// Shown once the session is complete, about the update controls.
    pub complete: String,
    /// Shown once the session has expired.
    pub expired: String,
    /// A failure without a message from the server.
    pub generic_error: String,
    /// The merchant server could not be reached.
    pub network_error: String,
    /// Stripe.js could not be loaded or set up.
    pub load_error: String,
    /// Button that loads the checkout again after a failure.
    pub retry: String,
    /// Accessible name of the payment form.
    pub payment_form: String,
    /// A declined payment (the card or payment method was refused).
    pub payment_declined: String,
    /// A payment that could not be completed for another reason.
    pub payment_failed: String,
    /// Pay pressed while Stripe.js says the session cannot be confirmed yet
    /// (`canConfirm` false): what the customer should do.
    pub payment_incomplete: String,
    /// Pay found the order changed since it was shown; `{total}`.
    pub total_changed: String,
    /// Polite announcement when the order changed elsewhere (another tab,
    /// a late update) and the page caught up; `{total}`.
    pub order_updated: String,
    /// Polite announcement after a quantity change; `{quantity}`, `{total}`.
    pub quantity_now: String,
    /// Polite announcement after the trial was added; `{days}`, `{total}`.
    pub trial_now: String,
    /// Quantity field label while the line item is not known.
    pub quantity: String,
    /// Decrease button label while the line item is not known.
    pub decrease: String,
    /// Increase button label while the line item is not known.
    pub increase: String,
    /// Shown while the order is being read again after a failure.
    pub checking: String,
    /// The order could not be read again (offline, server unreachable).
    pub sync_failed: String,
    /// Stripe.js gave up waiting for an update whose outcome is not known yet.
    pub update_slow: String,
    /// Button that reads the order again now.
    pub check_again: String,
    /// The session no longer exists (unknown to Stripe and the server).
    pub session_gone: String,
    /// Button that forgets this checkout and starts a new one.
    pub start_over: String,
    /// Merchant refusal `not_eligible`: no customer discount for this order.
    pub not_eligible: String,
    /// Merchant refusal `cart_changed`: another window changed the order.
    pub cart_changed: String,
    /// Merchant refusal `not_subscription`: trials need a subscription.
    pub not_subscription: String,
    /// Merchant refusal `no_line_item`: the item is not in the order.
    pub no_line_item: String,
    /// Merchant refusal `bad_quantity`: a quantity out of bounds.
    pub bad_quantity: String,
    /// Merchant refusal `invalid_discounts`.
    pub invalid_discounts: String,
    /// Merchant refusal `discount_failed`.
    pub discount_failed: String,
    /// Merchant refusal `bad_request`: Stripe or the server refused the request.
    pub bad_request: String,
    /// Merchant failure `server_error`.
    pub server_error: String,
    /// Merchant failure `try_again`: Stripe was busy or unreachable; nothing changed.
    pub try_again: String,
    /// Merchant refusal `forbidden_origin`.
    pub forbidden: String,
    /// Merchant refusal `not_open`: the session is complete or expired.
    pub not_open: String,
    /// The email field's visible label.
    pub email: String,
    /// Stripe.js refused the email as unfinished (`incompleteEmail`).
    pub email_incomplete: String,
    /// Stripe.js refused the email as malformed (`invalidEmail`).
    pub email_invalid: String,
    /// The email could not be saved for another reason (offline, Stripe.js).
    pub email_failed: String,
    /// The total's label during a free trial ("Due today").
    pub due_today: String,
    /// The summary line after the total during a trial; `{total}` (the first
    /// charge, with its interval), `{days}`.
    pub after_trial: String,
    /// The total as announced during a trial; `{today}`, `{total}`, `{days}`.
    pub total_in_trial: String,
    /// The suffix after a recurring amount billed every `{n}` days (`n` > 1).
    pub per_n_days: String,
    /// … every `{n}` weeks.
    pub per_n_weeks: String,
    /// … every `{n}` months (a quarterly plan: 3).
    pub per_n_months: String,
    /// … every `{n}` years.
    pub per_n_years: String,
    /// The summary line after the total when the first charge differs from
    /// the next ones (one-time items on the first invoice); `{total}` (the
    /// next charge, with its interval).
    pub then_next: String,
    /// That total as announced; `{today}`, `{total}`.
    pub total_then_next: String,
}

impl Default for Labels {
    fn default() -> Self {
        Self::en()
    }
}

impl Labels {
    /// English (the seeds' wording).
    pub fn en() -> Self {
        Self {
            locale: "en-US".into(),
            interval_switch: "Save with a yearly subscription".into(),
            apply_discount: "Apply Customer Discount".into(),
            discount_applied: "Discount Applied!".into(),
            discount: "Discount".into(),
            order_summary: "Order summary".into(),
            total: "Total".into(),
            per_day: " per day".into(),
            per_week: " per week".into(),
            per_month: " per month".into(),
            per_year: " per year".into(),
            trial: "{days}-day free trial".into(),
            loading: "Loading your order…".into(),
            unavailable: "Your order is not available.".into(),
            total_now: "Total is now {total}".into(),
            quantity_of: "Quantity of {name}".into(),
            decrease_quantity: "Decrease quantity of {name}".into(),
            increase_quantity: "Increase quantity of {name}".into(),
            trial_offer: "Add a 14-day free trial".into(),
            trial_added: "{days}-day free trial added".into(),
            pay: "Pay".into(),
            paying: "Paying…".into(),
            paid: "Payment complete. Thank you!".into(),
            order_confirming: "Confirming your order…".into(),
            order_confirmed: "Order confirmed".into(),
            order_confirmation_late: "Payment received. Your order confirmation is on its way."
                .into(),
            complete: "This order is complete and can no longer be changed.".into(),
            expired: "This checkout has expired.".into(),
            generic_error: "We couldn't update your order. Please try again.".into(),
            network_error: "We couldn't reach the server. Check your connection and try again."
                .into(),
            load_error: "The payment form could not be loaded. Please try again.".into(),
            retry: "Try again".into(),
            payment_form: "Payment".into(),
            payment_declined: "Your card was declined. Please try another card.".into(),
            payment_failed: "The payment could not be completed. Please try again.".into(),
            payment_incomplete: "Complete your payment details to pay.".into(),
            total_changed: "Your order changed: the total is now {total}. Please check it before you pay."
                .into(),
            order_updated: "Your order was updated. Total is now {total}".into(),
            quantity_now: "Quantity {quantity}. Total is now {total}".into(),
            trial_now: "{days}-day free trial added. Total is now {total}".into(),
            quantity: "Quantity".into(),
            decrease: "Decrease quantity".into(),
            increase: "Increase quantity".into(),
            checking: "Checking your order…".into(),
            sync_failed: "We couldn't load the latest version of your order. Check your connection; we'll try again automatically."
                .into(),
            update_slow: "Your change is taking longer than usual. Your order will show here as soon as it is confirmed."
                .into(),
            check_again: "Check again".into(),
            session_gone: "This checkout is no longer available.".into(),
            start_over: "Start a new checkout".into(),
            not_eligible: "Customer discounts apply to orders over $100.00.".into(),
            cart_changed: "Your order changed in another window. Please review it and try again."
                .into(),
            not_subscription: "Trials are only available for subscriptions.".into(),
            no_line_item: "That item is not in your order any more.".into(),
            bad_quantity: "Please choose a quantity from 1 to 10.".into(),
            invalid_discounts: "Your discounts are invalid. Please try again.".into(),
            discount_failed: "We could not update your discounts. Please try again.".into(),
            bad_request: "We couldn't process your request. Please try again later.".into(),
            server_error: "Something went wrong on our end. Please try again later.".into(),
            try_again: "We couldn't update your order just now. Please try again in a moment."
                .into(),
            forbidden: "This page is not allowed to change your order.".into(),
            not_open: "This checkout is no longer open.".into(),
            email: "Email".into(),
            email_incomplete: "Your email address is incomplete.".into(),
            email_invalid: "Your email address is invalid.".into(),
            email_failed: "We couldn't save your email address. Please try again.".into(),
            due_today: "Due today".into(),
            after_trial: "Then {total} after the {days}-day trial".into(),
            total_in_trial: "{today} due today, then {total} after the {days}-day trial".into(),
            per_n_days: " every {n} days".into(),
            per_n_weeks: " every {n} weeks".into(),
            per_n_months: " every {n} months".into(),
            per_n_years: " every {n} years".into(),
            then_next: "Then {total}".into(),
            total_then_next: "{today} due today, then {total}".into(),
        }
    }

    /// French (cargo feature `locale-fr`).
    #[cfg(feature = "locale-fr")]
    pub fn fr() -> Self {
        Self {
            locale: "fr-FR".into(),
            interval_switch: "Économisez avec un abonnement annuel".into(),
            apply_discount: "Appliquer la remise client".into(),
            discount_applied: "Remise appliquée !".into(),
            discount: "Remise".into(),
            order_summary: "Récapitulatif de la commande".into(),
            total: "Total".into(),
            per_day: " par jour".into(),
            per_week: " par semaine".into(),
            per_month: " par mois".into(),
            per_year: " par an".into(),
            trial: "Essai gratuit de {days} jours".into(),
            loading: "Chargement de votre commande…".into(),
            unavailable: "Votre commande n’est pas disponible.".into(),
            total_now: "Le total est maintenant de {total}".into(),
            quantity_of: "Quantité de {name}".into(),
            decrease_quantity: "Diminuer la quantité de {name}".into(),
            increase_quantity: "Augmenter la quantité de {name}".into(),
            trial_offer: "Ajouter un essai gratuit de 14 jours".into(),
            trial_added: "Essai gratuit de {days} jours ajouté".into(),
            pay: "Payer".into(),
            paying: "Paiement…".into(),
            paid: "Paiement effectué. Merci !".into(),
            order_confirming: "Confirmation de votre commande…".into(),
            order_confirmed: "Commande confirmée".into(),
            order_confirmation_late:
                "Paiement reçu. La confirmation de votre commande arrive.".into(),
            complete: "Cette commande est terminée et ne peut plus être modifiée.".into(),
            expired: "Cette session de paiement a expiré.".into(),
            generic_error: "Nous n’avons pas pu mettre à jour votre commande. Veuillez réessayer."
                .into(),
            network_error:
                "Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.".into(),
            load_error: "Le formulaire de paiement n’a pas pu être chargé. Veuillez réessayer."
                .into(),
            retry: "Réessayer".into(),
            payment_form: "Paiement".into(),
            payment_declined: "Votre carte a été refusée. Veuillez essayer une autre carte.".into(),
            payment_failed: "Le paiement n’a pas pu être effectué. Veuillez réessayer.".into(),
            payment_incomplete: "Complétez vos informations de paiement pour payer.".into(),
            total_changed:
                "Votre commande a changé : le total est maintenant de {total}. Vérifiez-la avant de payer."
                    .into(),
            order_updated: "Votre commande a été mise à jour. Le total est maintenant de {total}"
                .into(),
            quantity_now: "Quantité {quantity}. Le total est maintenant de {total}".into(),
            trial_now: "Essai gratuit de {days} jours ajouté. Le total est maintenant de {total}"
                .into(),
            quantity: "Quantité".into(),
            decrease: "Diminuer la quantité".into(),
            increase: "Augmenter la quantité".into(),
            checking: "Vérification de votre commande…".into(),
            sync_failed: "Impossible de charger la dernière version de votre commande. Vérifiez votre connexion ; nous réessaierons automatiquement."
                .into(),
            update_slow: "Votre modification prend plus de temps que prévu. Votre commande s’affichera ici dès qu’elle sera confirmée."
                .into(),
            check_again: "Vérifier à nouveau".into(),
            session_gone: "Cette session de paiement n’est plus disponible.".into(),
            start_over: "Commencer un nouveau paiement".into(),
            not_eligible: "Les remises client s’appliquent aux commandes de plus de 100,00 $ US."
                .into(),
            cart_changed:
                "Votre commande a été modifiée dans une autre fenêtre. Vérifiez-la et réessayez."
                    .into(),
            not_subscription: "Les essais ne sont proposés que pour les abonnements.".into(),
            no_line_item: "Cet article ne fait plus partie de votre commande.".into(),
            bad_quantity: "Veuillez choisir une quantité de 1 à 10.".into(),
            invalid_discounts: "Vos remises ne sont pas valides. Veuillez réessayer.".into(),
            discount_failed: "Nous n’avons pas pu mettre à jour vos remises. Veuillez réessayer."
                .into(),
            bad_request: "Nous n’avons pas pu traiter votre demande. Veuillez réessayer plus tard."
                .into(),
            server_error: "Un problème est survenu de notre côté. Veuillez réessayer plus tard."
                .into(),
            try_again:
                "Nous n’avons pas pu mettre à jour votre commande pour le moment. Veuillez réessayer dans un instant."
                    .into(),
            forbidden: "Cette page n’est pas autorisée à modifier votre commande.".into(),
            not_open: "Cette session de paiement n’est plus ouverte.".into(),
            email: "Adresse e-mail".into(),
            email_incomplete: "Votre adresse e-mail est incomplète.".into(),
            email_invalid: "Votre adresse e-mail n’est pas valide.".into(),
            email_failed:
                "Nous n’avons pas pu enregistrer votre adresse e-mail. Veuillez réessayer.".into(),
            due_today: "À payer aujourd’hui".into(),
            after_trial: "Puis {total} après l’essai gratuit de {days} jours".into(),
            total_in_trial:
                "{today} à payer aujourd’hui, puis {total} après l’essai gratuit de {days} jours"
                    .into(),
            per_n_days: " tous les {n} jours".into(),
            per_n_weeks: " toutes les {n} semaines".into(),
            per_n_months: " tous les {n} mois".into(),
            per_n_years: " tous les {n} ans".into(),
            then_next: "Puis {total}".into(),
            total_then_next: "{today} à payer aujourd’hui, puis {total}".into(),
        }
    }

    /// Japanese (cargo feature `locale-ja`).
    #[cfg(feature = "locale-ja")]
    pub fn ja() -> Self {
        Self {
            locale: "ja-JP".into(),
            interval_switch: "年間プランでお得に".into(),
            apply_discount: "顧客割引を適用".into(),
            discount_applied: "割引が適用されました".into(),
            discount: "割引".into(),
            order_summary: "注文内容".into(),
            total: "合計".into(),
            per_day: "／日".into(),
            per_week: "／週".into(),
            per_month: "／月".into(),
            per_year: "／年".into(),
            trial: "{days}日間の無料トライアル".into(),
            loading: "注文内容を読み込んでいます…".into(),
            unavailable: "注文内容を表示できません。".into(),
            total_now: "合計は{total}になりました".into(),
            quantity_of: "{name}の数量".into(),
            decrease_quantity: "{name}の数量を減らす".into(),
            increase_quantity: "{name}の数量を増やす".into(),
            trial_offer: "14日間の無料トライアルを追加".into(),
            trial_added: "{days}日間の無料トライアルを追加しました".into(),
            pay: "支払う".into(),
            paying: "処理中…".into(),
            paid: "お支払いが完了しました。ありがとうございました。".into(),
            order_confirming: "ご注文を確認しています…".into(),
            order_confirmed: "ご注文が確定しました".into(),
            order_confirmation_late: "お支払いを受け付けました。ご注文の確認をお送りします。".into(),
            complete: "この注文は完了しているため、変更できません。".into(),
            expired: "このチェックアウトは期限切れです。".into(),
            generic_error: "注文を更新できませんでした。もう一度お試しください。".into(),
            network_error:
                "サーバーに接続できませんでした。接続を確認して、もう一度お試しください。".into(),
            load_error: "支払いフォームを読み込めませんでした。もう一度お試しください。".into(),
            retry: "再試行".into(),
            payment_form: "お支払い".into(),
            payment_declined: "カードが承認されませんでした。別のカードをお試しください。".into(),
            payment_failed: "お支払いを完了できませんでした。もう一度お試しください。".into(),
            payment_incomplete: "お支払い情報を入力してから、お支払いください。".into(),
            total_changed: "ご注文が変更されました。合計は{total}です。お支払いの前にご確認ください。"
                .into(),
            order_updated: "ご注文が更新されました。合計は{total}になりました".into(),
            quantity_now: "数量{quantity}。合計は{total}になりました".into(),
            trial_now: "{days}日間の無料トライアルを追加しました。合計は{total}になりました".into(),
            quantity: "数量".into(),
            decrease: "数量を減らす".into(),
            increase: "数量を増やす".into(),
            checking: "ご注文を確認しています…".into(),
            sync_failed: "最新のご注文内容を読み込めませんでした。接続を確認してください。自動的に再試行します。"
                .into(),
            update_slow: "変更に時間がかかっています。確認が取れ次第、ご注文内容をここに表示します。"
                .into(),
            check_again: "もう一度確認".into(),
            session_gone: "このチェックアウトは利用できなくなりました。".into(),
            start_over: "新しいチェックアウトを開始".into(),
            not_eligible: "顧客割引は100.00米ドルを超えるご注文に適用されます。".into(),
            cart_changed: "別のウィンドウでご注文が変更されました。内容を確認して、もう一度お試しください。"
                .into(),
            not_subscription: "トライアルはサブスクリプションでのみご利用いただけます。".into(),
            no_line_item: "この商品はご注文に含まれていません。".into(),
            bad_quantity: "数量は1から10の間で選択してください。".into(),
            invalid_discounts: "割引が無効です。もう一度お試しください。".into(),
            discount_failed: "割引を更新できませんでした。もう一度お試しください。".into(),
            bad_request: "リクエストを処理できませんでした。しばらくしてからもう一度お試しください。"
                .into(),
            server_error: "問題が発生しました。しばらくしてからもう一度お試しください。".into(),
            try_again: "ただいまご注文を更新できませんでした。少し待ってからもう一度お試しください。"
                .into(),
            forbidden: "このページからはご注文を変更できません。".into(),
            not_open: "このチェックアウトは終了しています。".into(),
            email: "メールアドレス".into(),
            email_incomplete: "メールアドレスが不完全です。".into(),
            email_invalid: "メールアドレスが無効です。".into(),
            email_failed: "メールアドレスを保存できませんでした。もう一度お試しください。".into(),
            due_today: "本日のお支払い".into(),
            after_trial: "{days}日間の無料トライアル終了後は{total}".into(),
            total_in_trial: "本日のお支払いは{today}、{days}日間の無料トライアル終了後は{total}"
                .into(),
            per_n_days: "／{n}日ごと".into(),
            per_n_weeks: "／{n}週間ごと".into(),
            per_n_months: "／{n}か月ごと".into(),
            per_n_years: "／{n}年ごと".into(),
            then_next: "以降は{total}".into(),
            total_then_next: "本日のお支払いは{today}、以降は{total}".into(),
        }
    }

    /// The set for a BCP 47 tag (`fr`, `fr-CA`, `ja-JP`, ...); English
    /// otherwise (and for languages whose feature this build leaves out).
    pub fn for_locale(tag: &str) -> Self {
        let language = tag.split(['-', '_']).next().unwrap_or_default();
        match language.to_ascii_lowercase().as_str() {
            #[cfg(feature = "locale-fr")]
            "fr" => Self::fr(),
            #[cfg(feature = "locale-ja")]
            "ja" => Self::ja(),
            _ => Self::en(),
        }
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
            Refusal::InvalidRequest => &self.generic_error,
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
            one.clone()
        }
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
