//! A merchant's own server, in a few dozen lines: checkout-server's
//! application with this shop's discount (10 % off for students, whatever
//! the amount) and its fulfilment (one line per order in a file the
//! warehouse reads, `ORDERS_FILE`), served exactly as `checkout-server` is
//! (`--emulator`, the environment, the hardened listener, graceful shutdown).

use std::process::ExitCode;
use std::sync::Arc;

use checkout_server::fulfillment::BoxFuture;
use checkout_server::{
    Discount, DiscountPolicy, Fulfillment, FulfillmentError, Order, OrderRecord, PolicyFuture,
};
use tokio::io::AsyncWriteExt;

/// 10 % off for customers with a university email.
struct Students;

impl DiscountPolicy for Students {
    fn discount_for<'a>(&'a self, order: &'a Order<'a>) -> PolicyFuture<'a, Option<Discount>> {
        let student = order
            .customer
            .email
            .as_deref()
            .is_some_and(|e| e.ends_with(".edu"));
        let discount = student.then(|| Discount {
            name: "Student discount".to_owned(),
            amount_off: order.subtotal / 10,
            currency: order.currency.to_owned(),
        });
        Box::pin(async move { Ok(discount) })
    }
}

/// Appends `session amount currency email` to the warehouse's file, once
/// per session (a line already there is not written again).
struct Warehouse(std::path::PathBuf);

impl Fulfillment for Warehouse {
    fn fulfill<'a>(
        &'a self,
        order: &'a OrderRecord,
    ) -> BoxFuture<'a, Result<(), FulfillmentError>> {
        Box::pin(async move {
            let failed = |e: std::io::Error| FulfillmentError(e.to_string());
            let done = tokio::fs::read_to_string(&self.0).await.unwrap_or_default();
            if done.lines().any(|line| line.starts_with(&order.session_id)) {
                return Ok(());
            }
            let line = format!(
                "{} {} {} {}\n",
                order.session_id,
                order.amount_total.unwrap_or(0),
                order.currency.as_deref().unwrap_or("-"),
                order.customer_email.as_deref().unwrap_or("-"),
            );
            let mut file = tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.0)
                .await
                .map_err(failed)?;
            file.write_all(line.as_bytes()).await.map_err(failed)?;
            file.sync_all().await.map_err(failed)
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let orders = std::env::var_os("ORDERS_FILE").unwrap_or_else(|| "orders.txt".into());
    checkout_server::serve::main(|app| {
        app.discount_policy(Arc::new(Students))
            .fulfillment(Arc::new(Warehouse(orders.into())))
    })
    .await
}
