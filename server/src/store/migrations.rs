//! The schema, as sqlx migrations embedded in the binary (no files to ship):
//! [`migrator`] runs those not yet applied, in order, each in a transaction,
//! and records them in `_sqlx_migrations`; a changed migration is refused.
//! Add a migration at the end; never edit one that shipped.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};

/// `(version, description, SQL)`, oldest first. The SQL runs on SQLite and
/// on PostgreSQL alike.
pub const MIGRATIONS: [(i64, &str, &str); 1] = [(
    1,
    "orders and webhook events",
    "CREATE TABLE orders (
        session_id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        payment_status TEXT NOT NULL,
        amount_total BIGINT,
        currency TEXT,
        mode TEXT,
        customer_email TEXT,
        client_reference_id TEXT,
        line_items TEXT NOT NULL,
        fulfilled_at BIGINT NOT NULL
    );
    CREATE TABLE webhook_events (
        event_id TEXT PRIMARY KEY,
        event_type TEXT NOT NULL,
        session_id TEXT,
        handled_at BIGINT NOT NULL
    );",
)];

/// The migrator of [`MIGRATIONS`].
pub fn migrator() -> Migrator {
    Migrator {
        migrations: Cow::Owned(
            MIGRATIONS
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect(),
        ),
        ..Migrator::DEFAULT
    }
}
