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
//! round trips as before. A probe that refuses is most often a version
//! moved by another account's change: the full look-up then runs (as it
//! did after a refused probe before the handler), in a task of its own,
//! and the page stands if it finds the very session the page runs with
//! ([`Check::rescue`]); only a real change of this session refuses the page.
//! The first answer stands: a later read of the same request does not
//! overturn it. SQLite reads run in the process and keep the
//! probe before the handler.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use sea_query_sqlx::SqlxValues;
use sqlx::postgres::PgRow;

use futures_util::future::BoxFuture;

use super::{Db, DbError};

tokio::task_local! {
    /// The probe the running request still owes, if any.
    static UNCONFIRMED: Arc<Confirm>;
}

/// What the probe's answer means for the session it checks (the kept
/// session's, `auth::session`).
pub trait Check: Send + Sync {
    /// Whether the probe's row (`None`: the probe found none) says the
    /// session still stands.
    ///
    /// # Errors
    /// The row does not decode.
    fn stands(&self, row: Option<&PgRow>) -> Result<bool, sqlx::Error>;

    /// After a refusal: whether a full look-up now finds the very session
    /// the page runs with (run in a task of its own, outside the
    /// request's probe).
    fn rescue(&self, db: Db) -> BoxFuture<'static, Result<bool, DbError>>;
}

const PENDING: u8 = 0;
const CONFIRMED: u8 = 1;
const REFUSED: u8 = 2;

/// The probe a request owes, and its answer once known.
pub struct Confirm {
    /// The probe's SQL for PostgreSQL (built once per process): its
    /// columns named so that no read's own column has their names, its
    /// placeholders `$1`, `$2`, ... for `values`.
    sql: &'static str,
    values: Vec<sea_query::Value>,
    check: Box<dyn Check>,
    /// PENDING, then CONFIRMED or REFUSED, once.
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
    pub fn new(
        sql: &'static str,
        values: Vec<sea_query::Value>,
        check: Box<dyn Check>,
    ) -> Arc<Self> {
        Arc::new(Self {
            sql,
            values,
            check,
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

    /// Records the probe's answer from its row (`None`: it found none),
    /// with the full look-up's where the row refuses; whether the session
    /// stands. The first answer of the request stands.
    ///
    /// # Errors
    /// A database failure of the full look-up, or a row that does not decode.
    pub(crate) async fn decide(&self, row: Option<&PgRow>, db: &Db) -> Result<bool, DbError> {
        let stands = self.check.stands(row)? || {
            tokio::spawn(self.check.rescue(db.clone()))
                .await
                .map_err(|e| {
                    DbError(sqlx::Error::Protocol(format!(
                        "the session's full look-up: {e}"
                    )))
                })??
        };
        let answer = if stands { CONFIRMED } else { REFUSED };
        let _ = self
            .state
            .compare_exchange(PENDING, answer, Ordering::SeqCst, Ordering::SeqCst);
        Ok(self.standing() == Standing::Confirmed)
    }

    /// The probe on its own.
    pub(crate) fn probe(&self) -> (String, SqlxValues) {
        (
            self.sql.to_string(),
            SqlxValues(sea_query::Values(self.values.clone())),
        )
    }

    /// A read's PostgreSQL SQL joined to the probe, the probe's columns
    /// after its own; the probe's values go after the read's in `values`.
    /// Strings, not statements: the probe's SQL is built once per process,
    /// and a statement's copy and build per page cost more than the round
    /// trip saved (measured, bench/RESULTS.md).
    pub(crate) fn joined(&self, read: &str, values: &mut SqlxValues) -> String {
        let before = values.0.0.len();
        let mut sql = String::with_capacity(read.len() + self.sql.len() + 64);
        sql.push_str("SELECT \"l\".*, \"p\".* FROM (");
        sql.push_str(read);
        sql.push_str(") AS \"l\" INNER JOIN (");
        renumber(self.sql, before, &mut sql);
        sql.push_str(") AS \"p\" ON TRUE");
        values.0.0.extend(self.values.iter().cloned());
        sql
    }
}

/// Copies PostgreSQL SQL into `out` with each placeholder `$k` as
/// `$(k + by)`. The probe's SQL has no literals (sea-query binds every
/// value), so every `$` followed by digits is a placeholder.
fn renumber(sql: &str, by: usize, out: &mut String) {
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(k) = rest[..digits].parse::<usize>() {
            out.push_str(&(k + by).to_string());
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
}

/// The running request's probe, whatever its answer: work the request
/// starts on a task of its own runs within it too (`Background::spawn`).
pub(crate) fn carried() -> Option<Arc<Confirm>> {
    UNCONFIRMED.try_with(Arc::clone).ok()
}

/// The probe the running request owes, if any; a refused request's
/// reads and writes fail from then on.
///
/// # Errors
/// The request's probe has refused its session.
pub(crate) fn owed() -> Result<Option<Arc<Confirm>>, DbError> {
    match carried() {
        Some(c) if c.standing() == Standing::Refused => Err(refused()),
        Some(c) if c.standing() == Standing::Pending => Ok(Some(c)),
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn placeholders_move_past_the_reads_own() {
        let mut out = String::new();
        renumber(
            "SELECT a FROM t WHERE x = $1 AND y IN ($2, $10) AND z = '$'",
            3,
            &mut out,
        );
        assert_eq!(
            out,
            "SELECT a FROM t WHERE x = $4 AND y IN ($5, $13) AND z = '$'"
        );
        struct Always;
        impl Check for Always {
            fn stands(&self, _: Option<&PgRow>) -> Result<bool, sqlx::Error> {
                Ok(true)
            }
            fn rescue(&self, _: Db) -> BoxFuture<'static, Result<bool, DbError>> {
                Box::pin(async { Ok(true) })
            }
        }
        let confirm = Confirm::new(
            "SELECT 1 AS \"probe_x\" WHERE $1 = $2",
            vec![1i64.into(), "h".into()],
            Box::new(Always),
        );
        let mut values = SqlxValues(sea_query::Values(vec![7i64.into()]));
        let sql = confirm.joined("SELECT * FROM r WHERE id = $1", &mut values);
        assert_eq!(
            sql,
            "SELECT \"l\".*, \"p\".* FROM (SELECT * FROM r WHERE id = $1) AS \"l\" \
             INNER JOIN (SELECT 1 AS \"probe_x\" WHERE $2 = $3) AS \"p\" ON TRUE"
        );
        assert_eq!(values.0.0, vec![7i64.into(), 1i64.into(), "h".into()]);
    }
}
