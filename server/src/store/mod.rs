//! The order store: fulfilment records and handled webhook event ids, in a
//! real database that survives a crash.
//!
//! One [`Store`] over sqlx's `Any` driver: an embedded SQLite file by default
//! (`DATABASE_URL=sqlite://data/checkout.db`, created with its directory),
//! PostgreSQL for several server instances (`DATABASE_URL=postgres://…`).
//! The same queries run on both (`$1` placeholders, `INSERT … ON CONFLICT`,
//! which SQLite has since 3.24 and PostgreSQL since 9.5); the schema is
//! migrated at start ([`migrations`]). `orders.rs` claims and records a
//! session's fulfilment exactly once; `events.rs` remembers the webhook
//! events handled.

mod events;
pub mod migrations;
mod orders;

use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use tokio::sync::OnceCell;

pub use orders::{Claim, OrderClaim, OrderLine, OrderRecord};

/// The default `DATABASE_URL` of the binary: a SQLite file under `./data`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/checkout.db";

/// The database of [`crate::Config::sandbox`] (and so of tests and of an
/// [`crate::App`] given no store): SQLite in memory, gone with the process.
pub const IN_MEMORY_DATABASE_URL: &str = "sqlite::memory:";

/// A database failure (connecting, migrating, a query).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `DATABASE_URL` is not a database this server supports.
    #[error("DATABASE_URL must start with sqlite: or postgres:, got {0:?}")]
    Unsupported(String),
    /// The database could not be created (its directory).
    #[error("could not create the database directory {path}: {source}")]
    Directory {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The store could not be set up (see [`Store::in_memory`]).
    #[error("the order store is unavailable: {0}")]
    Unavailable(String),
    /// Migrating the schema failed.
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query or the connection failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The order store (cheap to clone: a connection pool).
#[derive(Debug, Clone)]
pub struct Store {
    /// The pool, or why there is none (only [`Store::in_memory`] keeps an
    /// error here instead of returning it).
    pool: Result<AnyPool, std::sync::Arc<str>>,
    migrated: std::sync::Arc<OnceCell<()>>,
    backend: Backend,
}

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (embedded).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Store {
    /// A store for `url`, connected on first use (and migrated then): call
    /// [`Store::ready`] at start to fail fast. A SQLite file's directory is
    /// created; a SQLite file is opened in WAL mode with `synchronous=FULL`
    /// (a committed record survives a crash and a power loss).
    pub fn new(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Unsupported(url.to_owned()));
        };
        let in_memory = backend == Backend::Sqlite && url.contains(":memory:");
        let mut url = url.to_owned();
        if backend == Backend::Sqlite && !in_memory {
            let path = url
                .trim_start_matches("sqlite:")
                .trim_start_matches("//")
                .split('?')
                .next()
                .unwrap_or_default()
                .to_owned();
            if let Some(dir) = std::path::Path::new(&path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
                        path: dir.display().to_string(),
                        source,
                    })?;
                }
            }
            if !url.contains("mode=") {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str("mode=rwc");
            }
        }
        let options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn: &mut AnyConnection, _| {
                Box::pin(async move {
                    if conn.backend_name() == "SQLite" && !in_memory {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                    }
                    Ok(())
                })
            });
        // SQLite in memory is one database per connection: keep one, forever.
        let options = if in_memory {
            options
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            options.max_connections(8)
        };
        Ok(Self {
            pool: Ok(options.connect_lazy(&url)?),
            migrated: std::sync::Arc::default(),
            backend,
        })
    }

    /// SQLite in memory ([`IN_MEMORY_DATABASE_URL`]): what an [`crate::App`]
    /// given no store uses. Every record is lost with the process.
    pub fn in_memory() -> Self {
        Self::new(IN_MEMORY_DATABASE_URL).unwrap_or_else(|e| Self {
            pool: Err(e.to_string().into()),
            migrated: std::sync::Arc::default(),
            backend: Backend::Sqlite,
        })
    }

    /// Connects and migrates (once): the schema is at the newest version
    /// when this returns `Ok`.
    pub async fn ready(&self) -> Result<(), StoreError> {
        self.migrated
            .get_or_try_init(|| async {
                migrations::migrator().run(self.raw_pool()?).await?;
                Ok::<(), StoreError>(())
            })
            .await?;
        Ok(())
    }

    /// Whether the database answers now (`GET /readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.ready().await?;
        let mut conn = self.raw_pool()?.acquire().await?;
        conn.ping().await?;
        Ok(())
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    async fn pool(&self) -> Result<&AnyPool, StoreError> {
        self.ready().await?;
        self.raw_pool()
    }

    fn raw_pool(&self) -> Result<&AnyPool, StoreError> {
        self.pool
            .as_ref()
            .map_err(|e| StoreError::Unavailable(e.to_string()))
    }
}
