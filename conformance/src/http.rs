//! The suite's HTTP: requests to the merchant server (as the widget sends
//! them) and to the emulator (as the merchant's Stripe client and Stripe.js
//! do), each answer kept with what was sent, for the report.

use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use crate::report::truncate;
use crate::Error;

/// One request and its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// `METHOD URL body`, for the report.
    pub sent: String,
    /// The status, if an answer came.
    pub status: Option<u16>,
    /// The body as text.
    pub text: String,
    /// The body as JSON, if it is JSON.
    pub json: Option<Value>,
    /// Why no answer came.
    pub error: Option<String>,
}

impl Exchange {
    /// What came back, for the report: `HTTP 200 {…}` or `no answer: …`.
    pub fn got(&self) -> String {
        match (self.status, &self.error) {
            (Some(status), _) => format!("HTTP {status} {}", truncate(&self.text)),
            (None, Some(error)) => format!("no answer: {error}"),
            (None, None) => "no answer".to_owned(),
        }
    }

    /// The JSON body if the status is `status`.
    pub fn json_if(&self, status: u16) -> Option<&Value> {
        (self.status == Some(status))
            .then_some(self.json.as_ref())
            .flatten()
    }

    /// The body deserialized as `T`, if the status is 200.
    pub fn parse_ok<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.json_if(200)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    }
}

/// A request to send.
#[derive(Debug, Clone, Default)]
pub struct Outgoing<'a> {
    /// `Content-Type`, if any.
    pub content_type: Option<&'a str>,
    /// The body, if any.
    pub body: Option<String>,
    /// More headers.
    pub headers: Vec<(&'a str, String)>,
    /// A bearer token.
    pub bearer: Option<&'a str>,
}

/// The two servers the suite talks to.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    /// The merchant server's base URL.
    pub base: String,
    /// The emulator's base URL.
    pub stripe: String,
    /// The emulator's secret key.
    pub key: String,
}

impl Http {
    /// A client for `base` and `stripe` (each request bounded by `timeout`).
    pub fn new(base: &str, stripe: &str, key: &str, timeout: Duration) -> Result<Self, Error> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Client(e.to_string()))?;
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            stripe: stripe.trim_end_matches('/').to_owned(),
            key: key.to_owned(),
        })
    }

    /// Sends `out` to `url`.
    pub async fn send(&self, method: Method, url: &str, out: Outgoing<'_>) -> Exchange {
        let mut sent = format!("{method} {url}");
        for (name, value) in &out.headers {
            sent.push_str(&format!(" [{name}: {}]", truncate(value)));
        }
        if let Some(ct) = out.content_type {
            sent.push_str(&format!(" [Content-Type: {ct}]"));
        }
        if let Some(body) = &out.body {
            sent.push_str(&format!(" {}", truncate(body)));
        }
        let mut request = self.client.request(method, url);
        if let Some(ct) = out.content_type {
            request = request.header(reqwest::header::CONTENT_TYPE, ct);
        }
        for (name, value) in out.headers {
            request = request.header(name, value);
        }
        if let Some(token) = out.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(body) = out.body {
            request = request.body(body);
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                match response.text().await {
                    Ok(text) => Exchange {
                        sent,
                        status: Some(status),
                        json: serde_json::from_str(&text).ok(),
                        text,
                        error: None,
                    },
                    Err(e) => Exchange {
                        sent,
                        status: Some(status),
                        text: String::new(),
                        json: None,
                        error: Some(format!("the body could not be read: {e}")),
                    },
                }
            }
            Err(e) => Exchange {
                sent,
                status: None,
                text: String::new(),
                json: None,
                error: Some(e.to_string()),
            },
        }
    }

    /// `GET {base}{path}`.
    pub async fn get(&self, path: &str) -> Exchange {
        self.send(
            Method::GET,
            &format!("{}{path}", self.base),
            Outgoing::default(),
        )
        .await
    }

    /// `POST {base}{path}` with a JSON body, as the widget sends it.
    pub async fn post_json(&self, path: &str, body: &Value) -> Exchange {
        self.post_raw(path, Some("application/json"), Some(body.to_string()))
            .await
    }

    /// `POST {base}{path}` with any body and `Content-Type`.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: Option<&str>,
        body: Option<String>,
    ) -> Exchange {
        self.send(
            Method::POST,
            &format!("{}{path}", self.base),
            Outgoing {
                content_type,
                body,
                ..Outgoing::default()
            },
        )
        .await
    }

    /// `GET {stripe}{path}` with the secret key, as the merchant's Stripe client.
    pub async fn stripe_get(&self, path: &str) -> Exchange {
        self.send(
            Method::GET,
            &format!("{}{path}", self.stripe),
            Outgoing {
                bearer: Some(&self.key),
                ..Outgoing::default()
            },
        )
        .await
    }

    /// `POST {stripe}{path}` with a form and no secret key, as Stripe.js
    /// (the publishable key is a field of the form).
    pub async fn stripe_js_post(&self, path: &str, form: &[(&str, &str)]) -> Exchange {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Method::POST,
            &format!("{}{path}", self.stripe),
            Outgoing {
                content_type: Some("application/x-www-form-urlencoded"),
                body: Some(body),
                ..Outgoing::default()
            },
        )
        .await
    }
}

/// `application/x-www-form-urlencoded` encoding of one key or value.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn form_encoding() {
        assert_eq!(super::encode("a b&c=d[é]"), "a+b%26c%3Dd%5B%C3%A9%5D");
    }
}
