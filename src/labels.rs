//! Every customer-visible string, overridable, with English, French and
//! Japanese sets.

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
/// Templates contain placeholders: `{days}`, `{total}`, `{quantity}`, `{name}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    /// BCP 47 locale used to format money (`en-US`, `fr-FR`, `ja-JP`).
    pub locale: String,
    /// Switch label while billed monthly.
    pub switch_to_yearly: String,
    /// Switch label while billed yearly.
    pub switch_to_monthly: String,
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
            switch_to_yearly: "Save with a yearly subscription".into(),
            switch_to_monthly: "Use monthly subscription".into(),
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
            complete: "This order is complete and can no longer be changed.".into(),
            expired: "This checkout has expired. Please refresh the page to start again.".into(),
            generic_error: "We couldn't update your order. Please try again.".into(),
            network_error: "We couldn't reach the server. Check your connection and try again."
                .into(),
            load_error: "The payment form could not be loaded. Please try again.".into(),
            retry: "Try again".into(),
        }
    }

    /// French.
    pub fn fr() -> Self {
        Self {
            locale: "fr-FR".into(),
            switch_to_yearly: "Économisez avec un abonnement annuel".into(),
            switch_to_monthly: "Passer à l’abonnement mensuel".into(),
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
            complete: "Cette commande est terminée et ne peut plus être modifiée.".into(),
            expired: "Cette session de paiement a expiré. Actualisez la page pour recommencer."
                .into(),
            generic_error: "Nous n’avons pas pu mettre à jour votre commande. Veuillez réessayer."
                .into(),
            network_error:
                "Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.".into(),
            load_error: "Le formulaire de paiement n’a pas pu être chargé. Veuillez réessayer."
                .into(),
            retry: "Réessayer".into(),
        }
    }

    /// Japanese.
    pub fn ja() -> Self {
        Self {
            locale: "ja-JP".into(),
            switch_to_yearly: "年間プランでお得に".into(),
            switch_to_monthly: "月額プランに切り替える".into(),
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
            complete: "この注文は完了しているため、変更できません。".into(),
            expired: "このチェックアウトは期限切れです。ページを再読み込みしてください。".into(),
            generic_error: "注文を更新できませんでした。もう一度お試しください。".into(),
            network_error:
                "サーバーに接続できませんでした。接続を確認して、もう一度お試しください。".into(),
            load_error: "支払いフォームを読み込めませんでした。もう一度お試しください。".into(),
            retry: "再試行".into(),
        }
    }

    /// The set for a BCP 47 tag (`fr`, `fr-CA`, `ja-JP`, ...); English otherwise.
    pub fn for_locale(tag: &str) -> Self {
        let language = tag.split(['-', '_']).next().unwrap_or_default();
        match language.to_ascii_lowercase().as_str() {
            "fr" => Self::fr(),
            "ja" => Self::ja(),
            _ => Self::en(),
        }
    }

    /// The suffix after a recurring amount for `interval`.
    pub fn per(&self, interval: Option<&str>) -> &str {
        match interval {
            Some("day") => &self.per_day,
            Some("week") => &self.per_week,
            Some("month") => &self.per_month,
            Some("year") => &self.per_year,
            _ => "",
        }
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
            for text in [
                &labels.switch_to_yearly,
                &labels.apply_discount,
                &labels.trial,
                &labels.pay,
                &labels.complete,
                &labels.generic_error,
            ] {
                assert!(!text.trim().is_empty());
            }
            assert!(labels.trial.contains("{days}"));
            assert!(labels.total_now.contains("{total}"));
        }
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
