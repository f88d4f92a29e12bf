//! HTTP to the merchant server with the browser's `fetch` (web-sys), JSON
//! through the browser's own `JSON`.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::error::{js_message, CheckoutError};

/// How long a request to the merchant server may take, in milliseconds.
pub(crate) const REQUEST_TIMEOUT_MS: u32 = 60_000;

/// A merchant server's answer: whether the status was 2xx, and the body.
pub(crate) struct Reply {
    /// `response.ok`.
    pub(crate) ok: bool,
    /// `response.status`.
    pub(crate) status: u16,
    /// The body as text (empty when it could not be read).
    pub(crate) text: String,
}

/// Sends `method` to `url`, with `json` as an `application/json` body.
/// Only a network failure is an error; any HTTP status is a [`Reply`].
pub(crate) async fn send(
    method: &str,
    url: &str,
    json: Option<&str>,
) -> Result<Reply, CheckoutError> {
    let window = web_sys::window().ok_or(CheckoutError::NotReady)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(json) = json {
        let headers =
            web_sys::Headers::new().map_err(|e| CheckoutError::Network(js_message(&e)))?;
        headers
            .set("Content-Type", "application/json")
            .map_err(|e| CheckoutError::Network(js_message(&e)))?;
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(json));
    }
    // A request that never ends would keep the widget waiting for an
    // outcome; after a minute it is given up (and the session read again).
    if let Some(signal) = timeout_signal(REQUEST_TIMEOUT_MS) {
        init.set_signal(Some(&signal));
    }
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|e| CheckoutError::Network(js_message(&e)))?
        .dyn_into()
        .map_err(|_| CheckoutError::Unexpected("fetch() did not give a Response".to_owned()))?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok(Reply {
        ok: response.ok(),
        status: response.status(),
        text,
    })
}

/// `AbortSignal.timeout(ms)`, where the browser has it (looked up, so that
/// an older browser is no trap).
fn timeout_signal(ms: u32) -> Option<web_sys::AbortSignal> {
    let class = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("AbortSignal")).ok()?;
    let timeout: js_sys::Function = js_sys::Reflect::get(&class, &JsValue::from_str("timeout"))
        .ok()?
        .dyn_into()
        .ok()?;
    timeout
        .call1(&class, &JsValue::from(ms))
        .ok()?
        .dyn_into()
        .ok()
}

/// Sends `method` to `url` and parses the JSON it answers; a non-2xx status
/// is a [`CheckoutError::Network`] naming the URL and status.
pub(crate) async fn json(method: &str, url: &str) -> Result<JsValue, CheckoutError> {
    let reply = send(method, url, None).await?;
    if !reply.ok {
        return Err(CheckoutError::Network(format!(
            "{url} answered {}",
            reply.status
        )));
    }
    js_sys::JSON::parse(&reply.text)
        .map_err(|_| CheckoutError::Unexpected(format!("{url} did not answer JSON")))
}
