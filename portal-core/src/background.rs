//! Work a request starts but does not wait for.

use std::sync::Arc;

/// Work a request starts and answers before it ends: a request for a link
/// answers at once, so that a known account (token, mail, commit) takes as
/// long to answer as an unknown one (SECURITY.md 12). Failures are logged.
#[derive(Debug, Default)]
pub struct Background {
    pending: std::sync::atomic::AtomicUsize,
    done: tokio::sync::Notify,
}

impl Background {
    /// Runs `work` on its own task (within the request's session probe,
    /// if it owes one: its writes wait for the probe, `db::confirm`).
    pub fn spawn<E: std::fmt::Display>(
        self: &Arc<Self>,
        what: &'static str,
        work: impl std::future::Future<Output = Result<(), E>> + Send + 'static,
    ) {
        use std::sync::atomic::Ordering;
        self.pending.fetch_add(1, Ordering::SeqCst);
        let me = self.clone();
        let confirm = crate::db::carried_confirm();
        tokio::spawn(async move {
            let done = match confirm {
                Some(c) => c.around(work).await,
                None => work.await,
            };
            if let Err(e) = done {
                tracing::error!(task = what, error = %e, "background work failed");
            }
            me.pending.fetch_sub(1, Ordering::SeqCst);
            me.done.notify_waiters();
        });
    }

    /// Waits until no background work is left (tests; shutdown).
    pub async fn idle(&self) {
        loop {
            let done = self.done.notified();
            if self.pending.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                return;
            }
            done.await;
        }
    }
}
