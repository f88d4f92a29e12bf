//! Remembering, for this tab, the session the widget created: its client
//! secret in `sessionStorage`, so that a reload (or Stripe's return URL)
//! shows the same session — paid, expired or open — instead of creating
//! another one.
//!
//! A client secret lets whoever holds it read the session and pay it; it is
//! the customer's, and Stripe.js already holds it in this page. The
//! `sessionStorage` of the tab (same origin, gone when the tab closes) is no
//! wider than that: it never leaves the browser, never goes into a URL or a
//! log, and no server hands it out again.

/// The storage key of the provider numbered `instance` whose secrets come
/// from `endpoint`.
pub(crate) fn key(instance: usize, endpoint: &str) -> String {
    format!("leptos-stripe-checkout:{instance}:{endpoint}")
}

/// The remembered client secret under `key`, if it looks like one.
pub(crate) fn recall(key: &str) -> Option<String> {
    #[cfg(not(feature = "ssr"))]
    {
        let secret = storage()?.get_item(key).ok().flatten()?;
        looks_like_secret(&secret).then_some(secret)
    }
    #[cfg(feature = "ssr")]
    {
        let _ = key;
        None
    }
}

/// Remembers `secret` under `key` (silently nothing when storage is off).
pub(crate) fn remember(key: &str, secret: &str) {
    #[cfg(not(feature = "ssr"))]
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, secret);
    }
    #[cfg(feature = "ssr")]
    let _ = (key, secret);
}

/// Forgets what is remembered under `key`, if anything.
pub(crate) fn forget(key: &Option<String>) {
    #[cfg(not(feature = "ssr"))]
    if let (Some(key), Some(storage)) = (key, storage()) {
        let _ = storage.remove_item(key);
    }
    #[cfg(feature = "ssr")]
    let _ = key;
}

/// `sessionStorage`, when the page may use it (it throws in some privacy modes).
#[cfg(not(feature = "ssr"))]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// `cs_(test|live)_…_secret_…`, letters and digits.
pub(crate) fn looks_like_secret(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("cs_test_")
        .or_else(|| text.strip_prefix("cs_live_"))
    else {
        return false;
    };
    let Some((id, secret)) = rest.split_once("_secret_") else {
        return false;
    };
    let alnum =
        |s: &str| !s.is_empty() && s.len() <= 250 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    alnum(id) && alnum(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_client_secrets_are_recalled() {
        assert!(looks_like_secret("cs_test_abc_secret_def"));
        assert!(looks_like_secret("cs_live_A1_secret_B2"));
        assert!(!looks_like_secret("cs_test_abc"));
        assert!(!looks_like_secret("cs_test__secret_x"));
        assert!(!looks_like_secret("pk_test_abc_secret_def"));
        assert!(!looks_like_secret("cs_test_a b_secret_c"));
        assert_eq!(
            key(0, "/create-checkout-session"),
            "leptos-stripe-checkout:0:/create-checkout-session"
        );
    }
}
