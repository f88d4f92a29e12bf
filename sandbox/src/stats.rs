//! Counters shown by `GET /sandbox/stats` that no resource owns: requests
//! by route, connections accepted, and counters registered under a name (a
//! subsystem's, or the embedding application's).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// Counts per key (a route or an endpoint).
#[derive(Debug, Default)]
pub struct RouteCounts(Mutex<BTreeMap<String, u64>>);

impl RouteCounts {
    /// Adds one to `key`.
    pub fn incr(&self, key: &str) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match map.get_mut(key) {
            Some(n) => *n += 1,
            None => {
                map.insert(key.to_owned(), 1);
            }
        }
    }

    /// The count of `key` (0 if never seen).
    pub fn get(&self, key: &str) -> u64 {
        self.snapshot().get(key).copied().unwrap_or(0)
    }

    /// A copy of every count.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The emulator's own counters.
#[derive(Debug, Default)]
pub struct Stats {
    /// Requests by route (`"POST /v1/checkout/sessions/{id}"`).
    pub requests: RouteCounts,
    /// Connections accepted, when the serving program counts them (the
    /// `stripe-sandbox` binary does, with [`Stats::connection_accepted`]).
    connections: AtomicU64,
    /// Whether `connections` is counted.
    counts_connections: AtomicBool,
    /// Counters shown under their names.
    counters: Mutex<BTreeMap<&'static str, Arc<RouteCounts>>>,
}

impl Stats {
    /// Shows the connections accepted in the stats from now on (0 until
    /// [`Stats::connection_accepted`] counts one).
    pub fn count_connections(&self) {
        self.counts_connections.store(true, Ordering::Relaxed);
    }

    /// Counts one accepted connection (called by the serving program).
    pub fn connection_accepted(&self) {
        self.count_connections();
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    /// Connections accepted so far, if counted (`null` in the stats when not).
    pub fn connections_accepted(&self) -> Option<u64> {
        self.counts_connections
            .load(Ordering::Relaxed)
            .then(|| self.connections.load(Ordering::Relaxed))
    }

    /// The counter shown as `name` (created on first use).
    pub fn counter(&self, name: &'static str) -> Arc<RouteCounts> {
        self.counters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(name)
            .or_default()
            .clone()
    }

    /// Shows `counts` as `name`.
    pub fn register(&self, name: &'static str, counts: Arc<RouteCounts>) {
        self.counters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name, counts);
    }

    /// A copy of every named counter.
    pub fn counters(&self) -> BTreeMap<&'static str, BTreeMap<String, u64>> {
        self.counters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(name, counts)| (*name, counts.snapshot()))
            .collect()
    }
}
