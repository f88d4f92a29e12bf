//! [`ReadOnly`]: the face through which components read a piece of the
//! checkout's state that only the lifecycle writes.

use std::panic::Location;

use leptos::prelude::*;
use leptos::reactive::traits::{DefinedAt, IsDisposed, ReadUntracked, Track};

/// A piece of the checkout's state that components read and cannot write:
/// Leptos's `RwSignal`, whose writer is the checkout's lifecycle, behind a
/// face that only reads. It implements Leptos's reading traits, so `get`,
/// `with`, `read` and their `_untracked` and `try_` forms work as on any
/// signal; `Signal::from` it where a `Signal` is wanted.
///
/// Not a `ReadSignal`: that is a second signal per value, and reading
/// through it adds its own code for each type; this wrapper reads through
/// the `RwSignal`'s (measured: the guides' page 1.2 KB gzip larger with
/// `ReadSignal`s).
pub struct ReadOnly<T: 'static>(RwSignal<T>);

impl<T> ReadOnly<T> {
    /// The read-only face of `signal` (its writer keeps `signal`).
    pub(crate) fn of(signal: RwSignal<T>) -> Self {
        Self(signal)
    }
}

impl<T> Clone for ReadOnly<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ReadOnly<T> {}

impl<T> std::fmt::Debug for ReadOnly<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ReadOnly").field(&self.0).finish()
    }
}

impl<T> DefinedAt for ReadOnly<T> {
    fn defined_at(&self) -> Option<&'static Location<'static>> {
        self.0.defined_at()
    }
}

impl<T> IsDisposed for ReadOnly<T> {
    fn is_disposed(&self) -> bool {
        self.0.is_disposed()
    }
}

impl<T: Send + Sync> Track for ReadOnly<T> {
    fn track(&self) {
        self.0.track();
    }
}

impl<T: Send + Sync> ReadUntracked for ReadOnly<T> {
    type Value = <RwSignal<T> as ReadUntracked>::Value;

    fn try_read_untracked(&self) -> Option<Self::Value> {
        self.0.try_read_untracked()
    }
}

impl<T: Send + Sync> From<ReadOnly<T>> for Signal<T> {
    fn from(value: ReadOnly<T>) -> Self {
        value.0.into()
    }
}
