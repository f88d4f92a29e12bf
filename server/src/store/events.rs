//! The webhook events handled: a redelivered event (Stripe delivers at least
//! once) is acknowledged without asking Stripe again.

use super::{Store, StoreError};

impl Store {
    /// Whether event `event_id` was handled.
    pub async fn event_handled(&self, event_id: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM webhook_events WHERE event_id = $1")
            .bind(event_id)
            .fetch_optional(self.pool().await?)
            .await?;
        Ok(row.is_some())
    }

    /// Records event `event_id` as handled (again: no change).
    pub async fn record_event(
        &self,
        event_id: &str,
        event_type: &str,
        session_id: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO webhook_events (event_id, event_type, session_id, handled_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(event_id)
        .bind(event_type)
        .bind(session_id)
        .bind(now)
        .execute(self.pool().await?)
        .await?;
        Ok(())
    }
}
