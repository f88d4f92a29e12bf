//! One connection: hyper's HTTP/1.1 server over the socket, and a watchdog
//! that closes it when the client is too slow.
//!
//! hyper 1 has one timer of its own, `header_read_timeout`, which also runs
//! while a keep-alive connection waits for its next request, so the two
//! cannot differ. The watchdog here keeps them apart: the socket is wrapped
//! to see bytes arrive, the service to see requests start and their answers
//! end, and from that it knows which phase the connection is in:
//!
//! | phase | deadline | then |
//! |---|---|---|
//! | accepted, nothing received | accept + header read timeout | closed, no answer |
//! | part of a head received | first byte + header read timeout | `408` (with the listener's headers), closed |
//! | request open (handler or response body) | last byte moved + 2 × request timeout | dropped |
//! | keep-alive, waiting for the next request | end of last answer + idle timeout | closed |
//!
//! The request timeout itself (the `408`/`503` answers) is [`crate::guard`]'s.
//!
//! At the connection cap, the accept loop may also ask a connection that is
//! waiting for a request, with nothing of it received (just accepted, or
//! idle between keep-alive requests), to close at once ([`Activity::evict`]),
//! so that idle connections cannot keep new customers out. Only connections
//! that have waited a moment (1 s, or a quarter of their timeout) qualify,
//! so that a client that has just connected, or just been answered, gets to
//! send its request; those that never sent anything go first, then idle
//! keep-alive ones (clients that have been served, e.g. a browser's or an
//! API client's pool), each the longest waiting first.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{watch, Notify};
use tokio::time::{timeout, Instant};
use tower::ServiceExt;

use crate::limits::{Limits, HYPER_MAX_HEAD_BYTES};

/// How long a connection waits for a request before it may be closed to
/// make room at the cap (at most; a quarter of its timeout if that is less).
pub(crate) const MAX_EVICTION_GRACE: Duration = Duration::from_secs(1);
/// After the watchdog asked an idle connection to close, how long hyper may
/// take to finish writing before the socket is dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(1);
/// How long a polite close waits for the client's last bytes (so that
/// closing does not reset the connection before the answer is read).
pub(crate) const LINGER: Duration = Duration::from_millis(500);
/// The most a polite close reads and discards.
const LINGER_BYTES: usize = 64 * 1024;

/// What the watchdog knows about the connection.
#[derive(Debug)]
struct State {
    /// Requests whose answer is not finished.
    in_flight: usize,
    /// No request has started on this connection yet.
    fresh: bool,
    /// When the connection was accepted or its last answer ended.
    idle_since: Instant,
    /// The first byte of a head, while no request is open.
    head_since: Option<Instant>,
    /// The last time a byte was read or written.
    last_io: Instant,
    /// The deadline the watchdog sleeps until: a change of phase wakes it
    /// only when its new deadline comes sooner (a wake per request would
    /// cost more than the request).
    armed: Instant,
}

impl State {
    /// When the current phase runs out, and what to do then.
    fn deadline(&self, limits: &Limits) -> (Instant, Expiry) {
        if self.in_flight > 0 {
            (self.last_io + 2 * limits.request_timeout, Expiry::Stalled)
        } else if let Some(since) = self.head_since {
            (since + limits.header_read_timeout, Expiry::Head)
        } else if self.fresh {
            (self.idle_since + limits.header_read_timeout, Expiry::Silent)
        } else {
            (self.idle_since + limits.idle_timeout, Expiry::Idle)
        }
    }
}

/// Shared by the socket wrapper, the service, the watchdog and the accept
/// loop (for eviction).
#[derive(Debug)]
pub(crate) struct Activity {
    limits: Limits,
    state: Mutex<State>,
    /// Woken when the phase changes (a deadline may have come closer) or the
    /// connection is asked to close.
    changed: Notify,
    /// The accept loop wants this connection's slot.
    evicted: AtomicBool,
}

impl Activity {
    pub(crate) fn new(limits: Limits) -> Self {
        let now = Instant::now();
        Self {
            limits,
            state: Mutex::new(State {
                in_flight: 0,
                fresh: true,
                idle_since: now,
                head_since: None,
                last_io: now,
                armed: now,
            }),
            changed: Notify::new(),
            evicted: AtomicBool::new(false),
        }
    }

    /// If the connection may be closed to make room: it is waiting for a
    /// request with nothing of it received, has waited at least
    /// [`MAX_EVICTION_GRACE`] (or a quarter of its timeout, if shorter) so
    /// that a client that has just connected or just been answered gets to
    /// send its request, and has not been asked to close yet. Then: whether
    /// it has served a request before (idle keep-alive) and since when it
    /// has waited.
    pub(crate) fn evictable(&self, now: Instant) -> Option<(bool, Instant)> {
        if self.evicted.load(Ordering::Relaxed) {
            return None;
        }
        let s = self.lock();
        if s.in_flight > 0 || s.head_since.is_some() {
            return None;
        }
        let timeout = if s.fresh {
            self.limits.header_read_timeout
        } else {
            self.limits.idle_timeout
        };
        let grace = MAX_EVICTION_GRACE.min(timeout / 4);
        (now.saturating_duration_since(s.idle_since) >= grace).then_some((!s.fresh, s.idle_since))
    }

    fn waiting_since(&self) -> Option<Instant> {
        let s = self.lock();
        (s.in_flight == 0 && s.head_since.is_none()).then_some(s.idle_since)
    }

    /// Asks the connection to close if it is still waiting for a request.
    pub(crate) fn evict(&self) {
        self.evicted.store(true, Ordering::Relaxed);
        self.changed.notify_one();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Wakes the watchdog if `s`'s deadline comes before the one it sleeps until.
    fn wake_if_sooner(&self, s: MutexGuard<'_, State>) {
        let sooner = s.deadline(&self.limits).0 < s.armed;
        drop(s);
        if sooner {
            self.changed.notify_one();
        }
    }

    fn bytes_read(&self) {
        let now = Instant::now();
        let mut s = self.lock();
        s.last_io = now;
        if s.in_flight == 0 && s.head_since.is_none() {
            s.head_since = Some(now);
            self.wake_if_sooner(s);
        }
    }

    fn bytes_written(&self) {
        self.lock().last_io = Instant::now();
    }

    fn request_started(&self) {
        let mut s = self.lock();
        s.in_flight += 1;
        s.fresh = false;
        s.head_since = None;
        s.last_io = Instant::now();
        self.wake_if_sooner(s);
    }

    fn request_finished(&self) {
        let now = Instant::now();
        let mut s = self.lock();
        s.in_flight = s.in_flight.saturating_sub(1);
        if s.in_flight == 0 {
            s.idle_since = now;
        }
        self.wake_if_sooner(s);
    }

    /// When the current phase runs out and what to do then; the watchdog
    /// sleeps until then (`arm`).
    fn next(&self, arm: bool) -> (Instant, Expiry) {
        let mut s = self.lock();
        let (deadline, expiry) = s.deadline(&self.limits);
        if arm {
            s.armed = deadline;
        }
        (deadline, expiry)
    }
}

/// What the watchdog does when a phase runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expiry {
    /// Nothing was ever received: close.
    Silent,
    /// A head is incomplete: `408`, close.
    Head,
    /// A request is open and no byte moved: drop.
    Stalled,
    /// Keep-alive wait over: close gracefully.
    Idle,
}

/// The socket, telling [`Activity`] when bytes move.
struct Watched {
    tcp: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.tcp).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.bytes_read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.tcp).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.bytes_written();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.bytes_written();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}

/// The application as a hyper service, telling [`Activity`] when requests
/// start and their answers end.
#[derive(Clone)]
struct Tracked {
    app: Router,
    activity: Arc<Activity>,
    peer: std::net::SocketAddr,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl hyper::service::Service<hyper::Request<Incoming>> for Tracked {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response<Body>, Infallible>>;

    fn call(&self, request: hyper::Request<Incoming>) -> Self::Future {
        self.activity.request_started();
        let finished = InFlight(self.activity.clone());
        let app = self.app.clone();
        let peer = self.peer;
        Box::pin(async move {
            let mut request: Request = request.map(Body::new);
            // The client's address, as axum's `into_make_service_with_connect_info`
            // gives it (per-client rate limits read it).
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            let response = match app.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            Ok(response.map(|body| {
                Body::new(AnswerBody {
                    inner: body,
                    _finished: finished,
                })
            }))
        })
    }
}

/// Ends the request in [`Activity`] when dropped: when hyper is done with
/// the answer's body, or when the request is abandoned.
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.request_finished();
    }
}

struct AnswerBody {
    inner: Body,
    _finished: InFlight,
}

impl http_body::Body for AnswerBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// What the connection task needs besides its socket.
pub(crate) struct ConnectionContext {
    pub(crate) app: Router,
    /// The whole `408` answer (status line to body) for an incomplete head.
    pub(crate) head_timeout_answer: Arc<[u8]>,
    pub(crate) shutdown: watch::Receiver<()>,
    /// The client's address.
    pub(crate) peer: std::net::SocketAddr,
}

/// Serves `tcp` until the client or the server ends it; `activity` is
/// this connection's, registered with the accept loop.
pub(crate) async fn serve(tcp: TcpStream, activity: Arc<Activity>, mut cx: ConnectionContext) {
    let io = TokioIo::new(Watched {
        tcp,
        activity: activity.clone(),
    });
    let service = Tracked {
        app: cx.app,
        activity: activity.clone(),
        peer: cx.peer,
    };
    let mut conn = http1::Builder::new()
        .keep_alive(true)
        .max_header_size(HYPER_MAX_HEAD_BYTES)
        .serve_connection(io, service);
    let mut shutting_down = false;
    let mut closing_since: Option<Instant> = None;
    let sleep = tokio::time::sleep_until(Instant::now());
    tokio::pin!(sleep);
    loop {
        let (mut deadline, expiry) = activity.next(true);
        if let Some(since) = closing_since {
            deadline = since + CLOSE_GRACE;
        }
        if sleep.deadline() != deadline {
            sleep.as_mut().reset(deadline);
        }
        enum Event {
            Done(Result<(), hyper::Error>),
            Shutdown,
            Changed,
            Deadline,
        }
        let event = tokio::select! {
            done = &mut conn => Event::Done(done),
            _ = cx.shutdown.changed(), if !shutting_down => Event::Shutdown,
            () = activity.changed.notified() => Event::Changed,
            () = &mut sleep => Event::Deadline,
        };
        match event {
            Event::Done(Ok(())) => return,
            Event::Done(Err(e)) => {
                tracing::debug!(error = %e, "connection ended with an error");
                return;
            }
            Event::Shutdown => {
                shutting_down = true;
                Pin::new(&mut conn).graceful_shutdown();
            }
            Event::Changed
                if closing_since.is_none() && activity.evicted.load(Ordering::Relaxed) =>
            {
                if activity.waiting_since().is_some() {
                    tracing::debug!("closing a waiting connection for a new one");
                    closing_since = Some(Instant::now());
                    Pin::new(&mut conn).graceful_shutdown();
                } else {
                    // A request started meanwhile: it keeps its slot.
                    activity.evicted.store(false, Ordering::Relaxed);
                }
            }
            Event::Changed => {}
            Event::Deadline if closing_since.is_some() => {
                tracing::debug!("connection did not close in time; dropped");
                return;
            }
            Event::Deadline => {
                // The phase may have changed since the deadline was taken.
                let (now_deadline, now_expiry) = activity.next(false);
                if now_deadline > Instant::now() || now_expiry != expiry {
                    continue;
                }
                match expiry {
                    Expiry::Silent => {
                        tracing::debug!("closed a connection that sent nothing");
                        return;
                    }
                    Expiry::Stalled => {
                        tracing::debug!("dropped a connection whose request made no progress");
                        return;
                    }
                    Expiry::Idle => {
                        closing_since = Some(Instant::now());
                        Pin::new(&mut conn).graceful_shutdown();
                    }
                    Expiry::Head => {
                        tracing::debug!("request head too slow: 408");
                        let tcp = conn.into_parts().io.into_inner().tcp;
                        close_politely(tcp, &cx.head_timeout_answer).await;
                        return;
                    }
                }
            }
        }
    }
}

/// Writes `answer`, closes the sending side, and reads (discarding) what the
/// client still sends for a short while, so that the close does not reset
/// the connection before the client has read the answer.
pub(crate) async fn close_politely(mut tcp: TcpStream, answer: &[u8]) {
    if timeout(LINGER, tcp.write_all(answer)).await.is_err() {
        return;
    }
    if tcp.shutdown().await.is_err() {
        return;
    }
    let mut buf = [0u8; 4096];
    let mut total = 0;
    let drain = async {
        while total < LINGER_BYTES {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => total += n,
            }
        }
    };
    let _ = timeout(LINGER, drain).await;
}
