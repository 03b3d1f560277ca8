//! A page read before its kept session is confirmed (PostgreSQL).
//!
//! A page of a kept session ([`crate::auth::session_keep`]) checked the
//! session's row with a probe of its own, one round trip before the
//! handler's first read. On PostgreSQL a GET or HEAD page carries that
//! probe in its first read instead: the read is joined to the probe's one
//! row (`SELECT l.*, p.* FROM (read) l JOIN (probe) p ON TRUE`), so that
//! one round trip both confirms the session and reads the page. A join
//! without an equality is a nested loop in PostgreSQL, which keeps the
//! read's own order.
//!
//! Until the probe's answer is known the request is *unconfirmed*, and
//! these rules keep that safe:
//! - nothing is written: a transaction ([`super::Db::begin`], which every
//!   write goes through) runs the probe on its own first, and fails when
//!   the probe refuses;
//! - nothing is answered: the pages' middleware settles the probe (on its
//!   own, when no read carried it) before a response leaves, and answers
//!   a refused one with a redirect to the same address, where the full
//!   look-up decides (the log-in page, changed rights);
//! - once refused, every later read or write of the request fails.
//!
//! A joined read that finds no row cannot tell the probe's answer (the
//! join gives no row either way): the probe then runs on its own, two
//! round trips as before. SQLite reads run in the process and keep the
//! probe before the handler.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use sea_query::{Alias, Asterisk, Expr, JoinType, Query, SelectStatement};
use sqlx::postgres::PgRow;

use super::DbError;

tokio::task_local! {
    /// The probe the running request still owes, if any.
    static UNCONFIRMED: Arc<Confirm>;
}

/// Says from the probe's row (`None`: the probe found none) whether the
/// kept session still stands.
pub type Verdict = Box<dyn Fn(Option<&PgRow>) -> Result<bool, sqlx::Error> + Send + Sync>;

const PENDING: u8 = 0;
const CONFIRMED: u8 = 1;
const REFUSED: u8 = 2;

/// The probe a request owes, and its answer once known.
pub struct Confirm {
    /// Its columns named so that no read's own column has their names.
    probe: SelectStatement,
    verdict: Verdict,
    /// PENDING, then CONFIRMED or REFUSED; a refusal is never undone.
    state: AtomicU8,
}

impl std::fmt::Debug for Confirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Confirm")
            .field("state", &self.state.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}

/// Where a request's probe stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    Pending,
    Confirmed,
    Refused,
}

impl Confirm {
    pub fn new(probe: SelectStatement, verdict: Verdict) -> Arc<Self> {
        Arc::new(Self {
            probe,
            verdict,
            state: AtomicU8::new(PENDING),
        })
    }

    /// Runs `page` as a request that owes this probe.
    pub async fn around<F: Future>(self: &Arc<Self>, page: F) -> F::Output {
        UNCONFIRMED.scope(self.clone(), page).await
    }

    pub(crate) fn standing(&self) -> Standing {
        match self.state.load(Ordering::SeqCst) {
            PENDING => Standing::Pending,
            CONFIRMED => Standing::Confirmed,
            _ => Standing::Refused,
        }
    }

    /// Records the probe's answer from its row; whether the session
    /// stands (a refusal by a concurrent read of the request wins).
    pub(crate) fn decide(&self, row: Option<&PgRow>) -> Result<bool, sqlx::Error> {
        let stands = (self.verdict)(row)?;
        self.state
            .fetch_max(if stands { CONFIRMED } else { REFUSED }, Ordering::SeqCst);
        Ok(self.standing() == Standing::Confirmed)
    }

    pub(crate) fn probe(&self) -> &SelectStatement {
        &self.probe
    }

    /// `read` with the probe's columns after its own.
    pub(crate) fn joined(&self, read: &SelectStatement) -> SelectStatement {
        Query::select()
            .column((Alias::new("l"), Asterisk))
            .column((Alias::new("p"), Asterisk))
            .from_subquery(read.clone(), Alias::new("l"))
            .join_subquery(
                JoinType::InnerJoin,
                self.probe.clone(),
                Alias::new("p"),
                Expr::cust("TRUE"),
            )
            .to_owned()
    }
}

/// The probe the running request owes, if any; a refused request's
/// reads and writes fail from then on.
///
/// # Errors
/// The request's probe has refused its session.
pub(crate) fn owed() -> Result<Option<Arc<Confirm>>, DbError> {
    match UNCONFIRMED.try_with(Arc::clone) {
        Ok(c) if c.standing() == Standing::Refused => Err(refused()),
        Ok(c) if c.standing() == Standing::Pending => Ok(Some(c)),
        _ => Ok(None),
    }
}

/// The error of every read and write of a request whose session the
/// probe refused (the middleware answers with a redirect instead).
pub(crate) fn refused() -> DbError {
    DbError(sqlx::Error::Protocol(
        "the session changed during this request (a logout or an access change elsewhere)".into(),
    ))
}
