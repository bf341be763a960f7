//! "Only the latest keystroke counts": a request is sent after a pause in typing, and an answer
//! that arrives after a newer keystroke is dropped, so a slow early answer never overwrites a
//! fresh one. Used by the header's search box and quick order's SKU suggestions.

use leptos::prelude::*;
use std::future::Future;
use std::time::Duration;

#[derive(Clone, Copy)]
pub struct Latest(StoredValue<u64>);

impl Default for Latest {
    fn default() -> Self {
        Latest(StoredValue::new(0))
    }
}

impl Latest {
    /// A new keystroke: every earlier pending request or answer is now stale. Returns its ticket.
    pub fn next(&self) -> u64 {
        self.0.update_value(|g| *g += 1);
        self.0.get_value()
    }

    fn is_current(&self, ticket: u64) -> bool {
        self.0.get_value() == ticket
    }

    /// After `delay`, if `ticket` is still the latest, runs `fetch`; hands a successful answer
    /// to `apply` if it is still the latest when it arrives.
    pub fn debounce<T, E, Fut>(
        self,
        ticket: u64,
        delay: Duration,
        fetch: impl FnOnce() -> Fut + 'static,
        apply: impl FnOnce(T) + 'static,
    ) where
        Fut: Future<Output = Result<T, E>> + 'static,
        T: 'static,
        E: 'static,
    {
        set_timeout(
            move || {
                if !self.is_current(ticket) {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(answer) = fetch().await {
                        if self.is_current(ticket) {
                            apply(answer);
                        }
                    }
                });
            },
            delay,
        );
    }
}
