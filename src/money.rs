//! Money for display: the session's currency in the page's locale.

use crate::session::Amount;

/// Formats `minor` units of `currency` (ISO code) for `locale`.
///
/// In the browser this is `Intl.NumberFormat(locale, {style: 'currency'})`,
/// called so that a bad locale or currency is an error, not a trap; when
/// that fails (or off the browser) the amount Stripe.js formatted is used, and
/// failing that a plain `150.00 USD`.
pub fn format_money(amount: &Amount, currency: &str, divisor: i64, locale: &str) -> String {
    let divisor = if divisor > 0 { divisor } else { 100 };
    #[cfg(target_arch = "wasm32")]
    if let Some(text) = intl::format(amount.minor_units_amount, currency, divisor, locale) {
        return text;
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = locale;
    if !amount.amount.is_empty() {
        return amount.amount.clone();
    }
    plain(amount.minor_units_amount, currency, divisor)
}

/// `150.00 USD`: the amount with as many decimals as the divisor implies.
pub fn plain(minor: i64, currency: &str, divisor: i64) -> String {
    let divisor = divisor.max(1).unsigned_abs();
    let sign = if minor < 0 { "-" } else { "" };
    let units = minor.unsigned_abs();
    let decimals = divisor.checked_ilog10().unwrap_or(0) as usize;
    let whole = units / divisor;
    let currency = currency.to_ascii_uppercase();
    if decimals == 0 {
        format!("{sign}{whole} {currency}")
    } else {
        let fraction = units % divisor;
        format!("{sign}{whole}.{fraction:0decimals$} {currency}")
    }
}

#[cfg(target_arch = "wasm32")]
mod intl {
    use js_sys::{Array, Function, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    fn valid_currency(code: &str) -> bool {
        code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic())
    }

    pub(super) fn format(minor: i64, currency: &str, divisor: i64, locale: &str) -> Option<String> {
        if !valid_currency(currency) {
            return None;
        }
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let constructor: Function = Reflect::get(&intl, &"NumberFormat".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let options = Object::new();
        Reflect::set(&options, &"style".into(), &"currency".into()).ok()?;
        Reflect::set(
            &options,
            &"currency".into(),
            &currency.to_ascii_uppercase().into(),
        )
        .ok()?;
        let locales: JsValue = if locale.is_empty() {
            JsValue::UNDEFINED
        } else {
            Array::of1(&locale.into()).into()
        };
        let args = Array::of2(&locales, &options);
        let formatter = Reflect::construct(&constructor, &args).ok()?;
        let format: Function = Reflect::get(&formatter, &"format".into())
            .ok()?
            .dyn_into()
            .ok()?;
        // Amounts are whole minor units; f64 holds them exactly up to 2^53.
        let value = minor as f64 / divisor as f64;
        format.call1(&formatter, &value.into()).ok()?.as_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts() {
        assert_eq!(plain(15000, "usd", 100), "150.00 USD");
        assert_eq!(plain(-1505, "eur", 100), "-15.05 EUR");
        assert_eq!(plain(1500, "jpy", 1), "1500 JPY");
        assert_eq!(plain(1, "kwd", 1000), "0.001 KWD");
        assert!(plain(i64::MIN, "usd", 100).starts_with('-'));
        assert_eq!(plain(5, "usd", 0), "5 USD");
    }

    #[test]
    fn stripe_formatting_is_the_fallback_off_the_browser() {
        let amount = Amount {
            minor_units_amount: 15000,
            amount: "$150.00".into(),
        };
        assert_eq!(format_money(&amount, "usd", 100, "en-US"), "$150.00");
        let bare = Amount {
            minor_units_amount: 15000,
            amount: String::new(),
        };
        assert_eq!(format_money(&bare, "usd", 0, "en-US"), "150.00 USD");
    }
}
