//! The providers live on the page, numbered: the first widget's element ids
//! are the guides' own, the others' carry a prefix
//! ([`CheckoutContext::element_id`](crate::CheckoutContext::element_id)).

use std::cell::RefCell;

thread_local! {
    /// Which provider numbers are in use on the page.
    static INSTANCES: RefCell<Vec<bool>> = const { RefCell::new(Vec::new()) };
}

/// The lowest provider number not in use, now in use.
pub(crate) fn take_instance() -> usize {
    INSTANCES.with(|live| {
        let mut live = live.borrow_mut();
        match live.iter().position(|used| !used) {
            Some(free) => {
                live[free] = true;
                free
            }
            None => {
                live.push(true);
                live.len() - 1
            }
        }
    })
}

pub(crate) fn release_instance(instance: usize) {
    INSTANCES.with(|live| {
        if let Some(used) = live.borrow_mut().get_mut(instance) {
            *used = false;
        }
    });
}
