//! Kill -9 at each step of fulfilment loses no paid order and fulfils none
//! twice, on SQLite and on PostgreSQL. The binary (built with the
//! `crash-points` feature: `cargo test -p checkout-server --features
//! crash-points --test crash`) talks to an emulator in this process as its
//! Stripe; `CHECKOUT_CRASH_AT` stops it at a step, where it is killed with
//! SIGKILL; Stripe's redelivery then goes to a restarted server.
#![cfg(all(feature = "sandbox", feature = "crash-points", unix))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use checkout_server::Store;
use common::orders::*;
use common::postgres::Cluster;
use common::*;

struct Server {
    child: Child,
    url: String,
    /// Lines the server writes to stderr.
    lines: mpsc::Receiver<String>,
}

fn start(stripe: &str, database: &str, crash_at: Option<&str>) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_checkout-server"));
    command
        .env("PORT", "0")
        .env("HOST", "127.0.0.1")
        .env("RUST_LOG", "info")
        .env("STRIPE_SECRET_KEY", KEY)
        .env("STRIPE_PUBLISHABLE_KEY", "pk_test_sandbox")
        .env(
            "CHECKOUT_CATALOGUE",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../catalogue/demo.toml"),
        )
        .env("STRIPE_API_BASE", stripe)
        .env("STRIPE_WEBHOOK_SECRET", SECRET)
        .env("DATABASE_URL", database)
        .env_remove("CHECKOUT_MODE")
        .env_remove("CHECKOUT_CRASH_AT")
        .stderr(Stdio::piped());
    if let Some(point) = crash_at {
        command.env("CHECKOUT_CRASH_AT", point);
    }
    let (mut child, url) = spawn_listening(&mut command);
    let (tx, lines) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Server { child, url, lines }
}

impl Server {
    /// Waits for a stderr line containing `text` (the server is blocked at
    /// a crash point or has logged it), or for the server to close stderr.
    fn wait_for(&self, text: &str) -> bool {
        self.lines.iter().any(|line| line.contains(text))
    }

    /// SIGKILL, and wait for the exit.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// How many "order fulfilled" lines (the default hook's) it logged
    /// before the outcome of the request it answered ("request succeeded",
    /// logged before the answer is sent: no waiting on time).
    fn fulfilled_lines(&self) -> usize {
        let mut hooks = 0;
        for line in self.lines.iter() {
            if line.contains("order fulfilled") {
                hooks += 1;
            }
            if line.contains("request succeeded") {
                return hooks;
            }
        }
        panic!("the server ended without logging the request's outcome")
    }
}

async fn deliver(url: &str, body: &str) -> Result<u16, reqwest::Error> {
    let response = http()
        .post(format!("{url}/webhook"))
        .header("content-type", "application/json")
        .header("stripe-signature", header(SECRET, now(), body))
        .body(body.to_owned())
        .send()
        .await?;
    Ok(response.status().as_u16())
}

async fn crash_at_each_step(database: &str) {
    let stripe = spawn_emulator().await;
    for point in ["claimed", "fulfilled-not-committed", "committed"] {
        let id = paid_session(&stripe).await;
        let body = event(
            &format!("evt_{point}"),
            "checkout.session.completed",
            &id,
            "paid",
        );

        // The first delivery: the server dies at `point`; Stripe gets no 2xx.
        let server = start(&stripe, database, Some(point));
        let url = server.url.clone();
        let delivery = tokio::spawn({
            let body = body.clone();
            async move { deliver(&url, &body).await }
        });
        assert!(
            server.wait_for(&format!("crash point: {point}")),
            "{point}: not reached"
        );
        server.kill();
        let answer = delivery.await.unwrap();
        assert!(answer.is_err(), "{point}: Stripe got an answer: {answer:?}");

        // Stripe delivers it again, to the restarted server: fulfilled once.
        let server = start(&stripe, database, None);
        assert_eq!(deliver(&server.url, &body).await.unwrap(), 200, "{point}");
        let order = Store::new(database).unwrap().order(&id).await.unwrap();
        let order = order.unwrap_or_else(|| panic!("{point}: the paid order is lost"));
        assert_eq!(
            (order.source.as_str(), order.amount_total),
            (body_id(&body), Some(1500))
        );
        // The hook runs again only when it had run and the record had not
        // been committed (documented: make it idempotent by session id).
        let expected = usize::from(point != "committed");
        assert_eq!(server.fulfilled_lines(), expected, "{point}");

        // Killed after acknowledging: the next delivery is a duplicate.
        server.kill();
        let server = start(&stripe, database, None);
        assert_eq!(deliver(&server.url, &body).await.unwrap(), 200);
        assert_eq!(server.fulfilled_lines(), 0, "{point}: fulfilled twice");
        server.kill();
    }
}

fn body_id(body: &str) -> &str {
    let start = body.find("\"evt_").unwrap() + 1;
    let end = start + body[start..].find('"').unwrap();
    &body[start..end]
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_at_each_step_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("checkout-crash-{}", std::process::id()));
    let database = format!("sqlite://{}/orders.db", dir.display());
    crash_at_each_step(&database).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_at_each_step_on_postgres() {
    let cluster = Cluster::start();
    crash_at_each_step(&cluster.url).await;
}
