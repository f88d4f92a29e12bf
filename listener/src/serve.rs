//! The accept loop: a connection cap, polite refusals, graceful shutdown.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::time::Instant;

use crate::connection::{self, close_politely, Activity, ConnectionContext};
use crate::limits::Limits;

/// Refused connections answered at once (a `503` and a short linger); past
/// this many, further refusals are closed without an answer.
const MAX_REFUSING: usize = 64;
/// At the cap, how long a new connection waits for the slot of a waiting
/// connection asked to close.
const EVICTION_WAIT: Duration = Duration::from_millis(100);
/// After an accept error that is not about one connection (e.g. no file
/// descriptor left), the loop waits this long before accepting again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// A TCP listener serving an axum [`Router`] over HTTP/1.1 with the
/// [`Limits`] of this crate.
pub struct Listener {
    tcp: TcpListener,
    limits: Limits,
    headers: HeaderMap,
    on_accept: Option<OnAccept>,
}

/// Called for every accepted connection.
type OnAccept = Arc<dyn Fn() + Send + Sync>;

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("tcp", &self.tcp)
            .field("limits", &self.limits)
            .field("on_accept", &self.on_accept.is_some())
            .finish_non_exhaustive()
    }
}

impl Listener {
    /// Serves connections accepted on `tcp` within `limits`.
    pub fn new(tcp: TcpListener, limits: Limits) -> Self {
        Self {
            tcp,
            limits,
            headers: HeaderMap::new(),
            on_accept: None,
        }
    }

    /// Calls `hook` for every connection accepted (before the cap is checked),
    /// e.g. to count them.
    pub fn on_accept(mut self, hook: impl Fn() + Send + Sync + 'static) -> Self {
        self.on_accept = Some(Arc::new(hook));
        self
    }

    /// Headers added to the answers the listener writes itself, below the
    /// application: the `503` of the connection cap and the `408` of a head
    /// that arrives too slowly (e.g. the application's security headers).
    pub fn with_response_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.tcp.local_addr()
    }

    /// Serves `app` until `shutdown` completes; then stops accepting, lets
    /// open requests finish (within their timeouts), closes idle
    /// connections, and returns once every connection is closed.
    pub async fn serve(
        self,
        app: Router,
        shutdown: impl Future<Output = ()> + Send,
    ) -> io::Result<()> {
        let cap = self.limits.effective_max_connections();
        if cap < self.limits.max_connections {
            tracing::warn!(
                configured = self.limits.max_connections,
                cap,
                open_file_limit = crate::limits::open_file_limit().unwrap_or_default(),
                "connection cap lowered to fit the open-file limit"
            );
        }
        let cap_u32 = u32::try_from(cap).unwrap_or(u32::MAX);
        let connections = Arc::new(Semaphore::new(cap_u32 as usize));
        let registry = Arc::new(Registry::default());
        let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
        let busy_answer: Arc<[u8]> = answer(
            StatusCode::SERVICE_UNAVAILABLE,
            &self.headers,
            &[("retry-after", "1")],
            "The server is busy; try again in a moment.\n",
        )
        .into();
        let head_timeout_answer: Arc<[u8]> = answer(
            StatusCode::REQUEST_TIMEOUT,
            &self.headers,
            &[],
            "The request head took too long to arrive.\n",
        )
        .into();
        let (stop, stopped) = watch::channel(());
        let refusals = RateLimited::new();
        let evictions = RateLimited::new();
        let accept_errors = RateLimited::new();
        tokio::pin!(shutdown);
        loop {
            let accepted = tokio::select! {
                accepted = self.tcp.accept() => accepted,
                () = &mut shutdown => break,
            };
            let (tcp, peer) = match accepted {
                Ok(accepted) => accepted,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    accept_errors.hit(|n| {
                        tracing::error!(error = %e, times = n, "could not accept connections");
                    });
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            };
            if let Some(hook) = &self.on_accept {
                hook();
            }
            // Small request/response exchanges: send each write at once (no Nagle).
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!("could not set TCP_NODELAY on an accepted socket: {e}");
            }
            let mut permit = connections.clone().try_acquire_owned().ok();
            if permit.is_none() && registry.evict_longest_waiting() {
                evictions.hit(|n| {
                    tracing::info!(
                        cap,
                        closed = n,
                        "connection cap reached: closed connections waiting for a request to make room"
                    );
                });
                // A connection that was only waiting gives its slot up.
                permit = tokio::time::timeout(EVICTION_WAIT, connections.clone().acquire_owned())
                    .await
                    .ok()
                    .and_then(Result::ok);
            }
            match permit {
                Some(permit) => {
                    let cx = ConnectionContext {
                        app: app.clone(),
                        head_timeout_answer: head_timeout_answer.clone(),
                        shutdown: stopped.clone(),
                        peer,
                    };
                    let (id, activity) = registry.add(self.limits);
                    let registry = registry.clone();
                    tokio::spawn(async move {
                        connection::serve(tcp, activity, cx).await;
                        registry.remove(id);
                        drop(permit);
                    });
                }
                None => {
                    refusals.hit(|n| {
                        tracing::warn!(
                            cap,
                            refused = n,
                            "connection cap reached: refused connections with 503"
                        );
                    });
                    refuse(tcp, &refusing, &busy_answer);
                }
            }
        }
        tracing::debug!("stopped accepting; closing connections");
        drop(self.tcp);
        drop(stopped);
        stop.send_replace(());
        // Every connection task holds a permit until it ends.
        let _all = connections.acquire_many(cap_u32).await;
        let _all_refusals = refusing.acquire_many(MAX_REFUSING as u32).await;
        Ok(())
    }
}

/// The open connections, for eviction at the cap.
#[derive(Default)]
struct Registry {
    next: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Activity>>>,
}

impl Registry {
    fn add(&self, limits: Limits) -> (u64, Arc<Activity>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity::new(limits));
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, activity.clone());
        (id, activity)
    }

    fn remove(&self, id: u64) {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
    }

    /// Asks a connection waiting for a request, with nothing of it
    /// received, to close: one that never sent anything if there is one,
    /// else an idle keep-alive one; the longest waiting of them. Whether
    /// there was one.
    fn evict_longest_waiting(&self) -> bool {
        let now = Instant::now();
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let oldest = open
            .values()
            .filter_map(|a| a.evictable(now).map(|key| (key, a)))
            .min_by_key(|(key, _)| *key);
        match oldest {
            Some((_, activity)) => {
                activity.evict();
                true
            }
            None => false,
        }
    }
}

/// Answers a connection over the cap with `answer` and closes it, without
/// ever holding more than [`MAX_REFUSING`] such sockets open.
fn refuse(tcp: TcpStream, refusing: &Arc<Semaphore>, answer: &Arc<[u8]>) {
    match refusing.clone().try_acquire_owned() {
        Ok(permit) => {
            let answer = answer.clone();
            tokio::spawn(async move {
                close_politely(tcp, &answer).await;
                drop(permit);
            });
        }
        Err(_) => drop(tcp),
    }
}

/// Errors about one connection (the client gave up before it was
/// accepted): the loop goes on at once.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// A whole HTTP/1.1 answer with `Connection: close`, as bytes.
fn answer(status: StatusCode, headers: &HeaderMap, extra: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes();
    for (name, value) in extra {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body.as_bytes());
    out
}

/// A log line at most once a second, with the number of events it stands for.
struct RateLimited {
    last: Mutex<Option<Instant>>,
    count: AtomicU64,
}

impl RateLimited {
    fn new() -> Self {
        Self {
            last: Mutex::new(None),
            count: AtomicU64::new(0),
        }
    }

    /// Counts one event; calls `log` with the count since the last line if
    /// a second has passed since it.
    fn hit(&self, log: impl FnOnce(u64)) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let now = Instant::now();
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if last.is_some_and(|t| now.duration_since(t) < Duration::from_secs(1)) {
            return;
        }
        *last = Some(now);
        drop(last);
        log(self.count.swap(0, Ordering::Relaxed));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn answers_are_whole() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        );
        let text = String::from_utf8(answer(
            StatusCode::SERVICE_UNAVAILABLE,
            &headers,
            &[("retry-after", "1")],
            "busy\n",
        ))
        .unwrap();
        assert!(
            text.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
            "{text}"
        );
        assert!(text.contains("\r\ncontent-length: 5\r\n"));
        assert!(text.contains("\r\nretry-after: 1\r\n"));
        assert!(text.contains("\r\nx-content-type-options: nosniff\r\n"));
        assert!(text.ends_with("\r\n\r\nbusy\n"));
    }

    #[test]
    fn rate_limited_logs_once_a_second() {
        let r = RateLimited::new();
        let mut logged = Vec::new();
        for _ in 0..5 {
            r.hit(|n| logged.push(n));
        }
        assert_eq!(logged, [1]);
    }
}
