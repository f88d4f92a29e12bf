//! The emulator's Checkout Sessions by id: storage and eviction only.
//! Updates are applied atomically, one after the other.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::ids::now;
use crate::model::{Session, Status};

/// Default cap on stored sessions (see [`Store::with_limits`]).
pub const DEFAULT_MAX_SESSIONS: usize = 100_000;

/// How long an expired session stays retrievable (with `status: expired`)
/// before it is evicted.
pub const EXPIRED_RETENTION_SECS: i64 = 3600;

#[derive(Debug, Default)]
struct Sessions {
    by_id: HashMap<String, Session>,
    /// Ids in creation order (all sessions share one TTL, so this is also
    /// expiry order). May hold ids already evicted.
    order: VecDeque<String>,
    /// How many ids at the front of `order` [`Store::expire_due`] has passed
    /// (no longer open, or gone).
    swept: usize,
}

/// Called once for each session whose `expires_at` passes while it is open,
/// at the moment the store marks it expired (under the store's lock: it must
/// not call the store).
pub type ExpiryHook = Arc<dyn Fn(&Session) + Send + Sync>;

/// Sessions by id, bounded: expired sessions are evicted
/// [`EXPIRED_RETENTION_SECS`] after `expires_at` (swept on every insert), and
/// when the store holds `max_sessions`, inserting evicts the oldest session.
pub struct Store {
    sessions: Mutex<Sessions>,
    max_sessions: usize,
    on_expired: Option<ExpiryHook>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("max_sessions", &self.max_sessions)
            .field("on_expired", &self.on_expired.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::with_limits(DEFAULT_MAX_SESSIONS)
    }
}

impl Store {
    /// A store holding at most `max_sessions` sessions (at least 1).
    pub fn with_limits(max_sessions: usize) -> Self {
        Self {
            sessions: Mutex::new(Sessions::default()),
            max_sessions: max_sessions.max(1),
            on_expired: None,
        }
    }

    /// Calls `hook` with every session that expires by time (see [`ExpiryHook`]).
    pub fn with_expiry_hook(mut self, hook: ExpiryHook) -> Self {
        self.on_expired = Some(hook);
        self
    }

    /// Brings `session`'s status up to date, telling the hook when it expires.
    fn refresh(&self, session: &mut Session, now: i64) {
        if session.refresh_status(now) {
            if let Some(hook) = &self.on_expired {
                hook(session);
            }
        }
    }

    /// Marks expired every open session whose `expires_at` is past (each
    /// goes through the expiry hook once). Walks from the oldest session not
    /// yet passed and stops at the first open session not yet due, so a call
    /// costs about the number of sessions it expires. Returns how many.
    pub fn expire_due(&self, now: i64) -> usize {
        let mut guard = self.lock();
        let sessions = &mut *guard;
        let mut expired = 0;
        while let Some(id) = sessions.order.get(sessions.swept) {
            if let Some(session) = sessions.by_id.get_mut(id) {
                if session.status == Status::Open && now < session.expires_at {
                    break;
                }
                if session.refresh_status(now) {
                    expired += 1;
                    if let Some(hook) = &self.on_expired {
                        hook(session);
                    }
                }
            }
            sessions.swept += 1;
        }
        expired
    }

    /// Runs `f` over the stored sessions, newest first, under the lock
    /// (statuses as stored: call [`Store::expire_due`] first).
    pub fn with_newest_first<R>(
        &self,
        f: impl FnOnce(&mut dyn Iterator<Item = &Session>) -> R,
    ) -> R {
        let guard = self.lock();
        let sessions = &*guard;
        let mut iter = sessions
            .order
            .iter()
            .rev()
            .filter_map(|id| sessions.by_id.get(id));
        f(&mut iter)
    }

    fn lock(&self) -> MutexGuard<'_, Sessions> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Number of stored sessions.
    pub fn len(&self) -> usize {
        self.lock().by_id.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stores a new session, first evicting long-expired sessions and, at the
    /// cap, the oldest ones. Returns how many sessions were evicted.
    pub fn insert(&self, session: Session) -> usize {
        let now = now();
        let mut guard = self.lock();
        let sessions = &mut *guard;
        let mut evicted = 0;
        while let Some(front) = sessions.order.front() {
            let stale = match sessions.by_id.get(front) {
                None => true,
                Some(s) => {
                    sessions.by_id.len() >= self.max_sessions
                        || now >= s.expires_at.saturating_add(EXPIRED_RETENTION_SECS)
                }
            };
            if !stale {
                break;
            }
            if let Some(id) = sessions.order.pop_front() {
                sessions.swept = sessions.swept.saturating_sub(1);
                if sessions.by_id.remove(&id).is_some() {
                    evicted += 1;
                }
            }
        }
        sessions.order.push_back(session.id.clone());
        sessions.by_id.insert(session.id.clone(), session);
        evicted
    }

    /// A copy of the session `id` (with its status brought up to date).
    pub fn get(&self, id: &str) -> Option<Session> {
        let now = now();
        let mut sessions = self.lock();
        let session = sessions.by_id.get_mut(id)?;
        self.refresh(session, now);
        Some(session.clone())
    }

    /// Applies `f` to a copy of session `id` and stores the copy only if `f`
    /// succeeds, all under the lock: updates are atomic and serialized.
    /// `Ok(None)` means no such session.
    pub fn update<E>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Session) -> Result<(), E>,
    ) -> Result<Option<Session>, E> {
        let now = now();
        let mut sessions = self.lock();
        let Some(current) = sessions.by_id.get_mut(id) else {
            return Ok(None);
        };
        self.refresh(current, now);
        let mut next = current.clone();
        f(&mut next)?;
        *current = next.clone();
        Ok(Some(next))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::fixtures::session;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn atomic_update() {
        let store = Store::default();
        store.insert(session(1, vec![]));
        let r: Result<_, &str> = store.update("cs_test_x", |s| {
            s.line_items.clear();
            Err("nope")
        });
        assert!(r.is_err());
        assert_eq!(store.get("cs_test_x").unwrap().line_items.len(), 1);
        let r: Result<_, &str> = store.update("cs_test_missing", |_| Ok(()));
        assert_eq!(r, Ok(None));
    }

    #[test]
    fn expiry_and_cap() {
        let store = Store::with_limits(2);
        let mut old = session(1, vec![]);
        old.id = "cs_test_old".into();
        old.expires_at = now() - EXPIRED_RETENTION_SECS - 1;
        store.insert(old);
        let mut expired = session(1, vec![]);
        expired.id = "cs_test_expired".into();
        expired.expires_at = now() - 1;
        assert_eq!(store.insert(expired), 1, "long-expired session evicted");
        assert_eq!(
            store.get("cs_test_expired").unwrap().status,
            Status::Expired
        );
        let mut a = session(1, vec![]);
        a.id = "cs_test_a".into();
        a.expires_at = now() + 100;
        store.insert(a);
        let mut b = session(1, vec![]);
        b.id = "cs_test_b".into();
        b.expires_at = now() + 100;
        assert_eq!(store.insert(b), 1, "at the cap the oldest goes");
        assert!(store.get("cs_test_expired").is_none());
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn expiry_hook_fires_once_per_session() {
        let fired = Arc::new(AtomicUsize::new(0));
        let counter = fired.clone();
        let store = Store::with_limits(10).with_expiry_hook(Arc::new(move |s: &Session| {
            assert_eq!(s.status, Status::Expired);
            counter.fetch_add(1, Ordering::SeqCst);
        }));
        for (id, offset) in [("cs_test_a", -5), ("cs_test_b", -1), ("cs_test_c", 100)] {
            let mut s = session(1, vec![]);
            s.id = id.into();
            s.expires_at = now() + offset;
            store.insert(s);
        }
        // A read expires a due session and tells the hook.
        assert_eq!(store.get("cs_test_b").unwrap().status, Status::Expired);
        assert_eq!(fired.load(Ordering::SeqCst), 1);
        // The sweep expires the other due one, not the open one, and never twice.
        assert_eq!(store.expire_due(now()), 1);
        assert_eq!(store.expire_due(now()), 0);
        assert_eq!(fired.load(Ordering::SeqCst), 2);
        assert_eq!(store.get("cs_test_c").unwrap().status, Status::Open);
        assert_eq!(store.expire_due(now() + 200), 1);
        assert_eq!(fired.load(Ordering::SeqCst), 3);
        let newest: Vec<String> = store.with_newest_first(|it| it.map(|s| s.id.clone()).collect());
        assert_eq!(newest, ["cs_test_c", "cs_test_b", "cs_test_a"]);
    }
}
