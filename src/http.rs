//! Every request to the merchant server, with gloo-net; bodies and replies
//! are the serde types of `checkout_protocol::bodies` (see [`crate::wire`]).

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
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

impl Reply {
    /// The body as `T`, when the status was 2xx; otherwise an error naming
    /// the URL and the status.
    pub(crate) fn parse<T: DeserializeOwned>(&self, url: &str) -> Result<T, CheckoutError> {
        if !self.ok {
            return Err(CheckoutError::Network(format!(
                "{url} answered {}",
                self.status
            )));
        }
        crate::wire::from_json(&self.text, &format!("{url}'s reply")).map_err(CheckoutError::from)
    }
}

/// POSTs `body` to `url` as JSON. Only a network failure is an error; any
/// HTTP status is a [`Reply`].
pub(crate) async fn post<T: Serialize + ?Sized>(
    url: &str,
    body: &T,
) -> Result<Reply, CheckoutError> {
    let json = crate::wire::to_json(body)
        .ok_or_else(|| CheckoutError::Unexpected("the request body".to_owned()))?;
    post_text(url, json).await
}

/// POSTs JSON text to `url`.
pub(crate) async fn post_text(url: &str, json: String) -> Result<Reply, CheckoutError> {
    let request = with_timeout(Request::post(url))
        .header("Content-Type", "application/json")
        .body(json)
        .map_err(network)?;
    send(request).await
}

/// POSTs nothing to `url` (creating a session).
pub(crate) async fn post_empty(url: &str) -> Result<Reply, CheckoutError> {
    send(with_timeout(Request::post(url)).build().map_err(network)?).await
}

/// GETs `url`.
pub(crate) async fn get(url: &str) -> Result<Reply, CheckoutError> {
    send(with_timeout(Request::get(url)).build().map_err(network)?).await
}

/// Sends a request gloo-net built. Not `Request::send`: gloo-net panics when
/// `fetch` rejects with something that is not an `Error`, or resolves with
/// something that is not a `Response` (a page may wrap `fetch`), and nothing
/// the page does may make the widget panic. The fetch is awaited here, the
/// response read through gloo-net's `Response`.
async fn send(request: Request) -> Result<Reply, CheckoutError> {
    let window = web_sys::window().ok_or(CheckoutError::NotReady)?;
    let request: web_sys::Request = request.into();
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|e| CheckoutError::Network(js_message(&e)))?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| CheckoutError::Unexpected("fetch() did not give a Response".to_owned()))?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let response = Response::from(response);
    Ok(Reply {
        ok: response.ok(),
        status: response.status(),
        text,
    })
}

/// Building a request fails only in the browser (`JsError`). Not
/// `error.to_string()`: `gloo_net::Error`'s `Display` reaches serde_json's
/// and std::io's error texts (serde_json is in the build for Leptos's
/// server functions), 2.0 KB raw of the guides' page (issue 23, measured).
#[allow(clippy::needless_pass_by_value)] // the shape `map_err` hands over
fn network(error: gloo_net::Error) -> CheckoutError {
    CheckoutError::Network(match error {
        gloo_net::Error::JsError(error) => error.message,
        _ => "the request could not be built".to_owned(),
    })
}

/// A request that never ends would keep the widget waiting for an outcome;
/// after a minute it is given up (and the session read again).
fn with_timeout(builder: RequestBuilder) -> RequestBuilder {
    builder.abort_signal(timeout_signal(REQUEST_TIMEOUT_MS).as_ref())
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
