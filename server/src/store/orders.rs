//! Fulfilment records, one per Checkout Session, written exactly once.
//!
//! [`Store::claim`] inserts the record inside a transaction and hands it
//! back as an [`OrderClaim`]; the merchant's fulfilment runs while it is
//! held, and [`OrderClaim::commit`] makes it permanent. The open transaction
//! is the lock: a concurrent claim of the same session (another delivery,
//! the return page, another instance on the same PostgreSQL) waits for it,
//! then finds the record committed ([`Claim::Fulfilled`]) or, if the first
//! failed or its process died (the database rolls an unfinished transaction
//! back), claims it itself. A record is therefore never lost once
//! committed, and never written twice.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::{Store, StoreError};

/// One line of a fulfilled order, as Stripe's session listed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// The price (`price_…`), if any.
    pub price: Option<String>,
    /// The product's name.
    pub description: Option<String>,
    /// How many.
    pub quantity: u64,
    /// The line's total (minor units).
    pub amount_total: i64,
}

/// A fulfilled order: the Checkout Session as Stripe returned it when it
/// was fulfilled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    /// `cs_…`.
    pub session_id: String,
    /// What fulfilled it: the event (`evt_…`), or `return` (the page, on the
    /// customer's return).
    pub source: String,
    /// `paid` or `no_payment_required`.
    pub payment_status: String,
    /// The amount paid (minor units).
    pub amount_total: Option<i64>,
    /// Its currency.
    pub currency: Option<String>,
    /// `payment` or `subscription`.
    pub mode: Option<String>,
    /// The customer's email (`customer_details.email`).
    pub customer_email: Option<String>,
    /// The merchant's `client_reference_id`.
    pub client_reference_id: Option<String>,
    /// What was bought.
    pub line_items: Vec<OrderLine>,
    /// When it was fulfilled (Unix seconds).
    pub fulfilled_at: i64,
}

/// What [`Store::claim`] found.
#[derive(Debug)]
pub enum Claim {
    /// Not fulfilled yet: this caller fulfils it, then commits.
    New(OrderClaim),
    /// Already fulfilled: the record.
    Fulfilled(OrderRecord),
}

/// A claimed fulfilment: the record, written but not committed. Dropping it
/// without [`OrderClaim::commit`] rolls it back.
#[derive(Debug)]
pub struct OrderClaim {
    tx: Transaction<'static, Any>,
    record: OrderRecord,
}

impl OrderClaim {
    /// The record being written.
    pub fn record(&self) -> &OrderRecord {
        &self.record
    }

    /// Makes the record permanent.
    pub async fn commit(self) -> Result<OrderRecord, StoreError> {
        self.tx.commit().await?;
        Ok(self.record)
    }
}

const COLUMNS: &str = "session_id, source, payment_status, amount_total, currency, mode, \
                       customer_email, client_reference_id, line_items, fulfilled_at";

fn from_row(row: &AnyRow) -> Result<OrderRecord, StoreError> {
    let lines: String = row.try_get("line_items")?;
    Ok(OrderRecord {
        session_id: row.try_get("session_id")?,
        source: row.try_get("source")?,
        payment_status: row.try_get("payment_status")?,
        amount_total: row.try_get("amount_total")?,
        currency: row.try_get("currency")?,
        mode: row.try_get("mode")?,
        customer_email: row.try_get("customer_email")?,
        client_reference_id: row.try_get("client_reference_id")?,
        line_items: serde_json::from_str(&lines)
            .map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))?,
        fulfilled_at: row.try_get("fulfilled_at")?,
    })
}

impl Store {
    /// The record of session `session_id`, once fulfilled.
    pub async fn order(&self, session_id: &str) -> Result<Option<OrderRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM orders WHERE session_id = $1"
        ))
        .bind(session_id)
        .fetch_optional(self.pool().await?)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Claims the fulfilment of `record.session_id` (see the module's
    /// documentation): waits while another caller holds it.
    pub async fn claim(&self, record: OrderRecord) -> Result<Claim, StoreError> {
        let lines = serde_json::to_string(&record.line_items)
            .map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
        let mut tx = self.pool().await?.begin().await?;
        let inserted = sqlx::query(&format!(
            "INSERT INTO orders ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (session_id) DO NOTHING"
        ))
        .bind(&record.session_id)
        .bind(&record.source)
        .bind(&record.payment_status)
        .bind(record.amount_total)
        .bind(&record.currency)
        .bind(&record.mode)
        .bind(&record.customer_email)
        .bind(&record.client_reference_id)
        .bind(lines)
        .bind(record.fulfilled_at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(Claim::New(OrderClaim { tx, record }));
        }
        tx.rollback().await?;
        match self.order(&record.session_id).await? {
            Some(existing) => Ok(Claim::Fulfilled(existing)),
            // Not possible: a conflicting row is a committed one.
            None => Err(StoreError::Database(sqlx::Error::RowNotFound)),
        }
    }
}
