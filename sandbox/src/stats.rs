//! Request counters by route, shown by `GET /sandbox/stats`.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

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
