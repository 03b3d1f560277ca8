//! The connections reads go through: a small pool of our own beside sqlx's.
//!
//! sqlx's pool pings every connection it takes back, from a task it spawns
//! for that: a second round trip per query (a hop to a SQLite connection's
//! thread and back; a network round trip to PostgreSQL). A page reads twice
//! (the session with its principal; the page), so it paid four round trips
//! for two queries. Here a connection goes back to the idle list only when
//! its read ran to the end ([`Lease::give_back`]); a lease dropped any other
//! way (an error, a request that went away mid-read) closes its connection
//! instead, so no half-read connection is ever handed out again, which is
//! what sqlx's ping on release guards against.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use sqlx::Connection;
use tokio::sync::{Semaphore, SemaphorePermit};

/// How long a read waits for a free connection before it fails (sqlx's
/// pool default).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens one more connection.
pub(crate) type Open<C> = Box<dyn Fn() -> BoxFuture<'static, Result<C, sqlx::Error>> + Send + Sync>;

/// At most `max` connections of type `C`, opened on demand and kept open.
pub(crate) struct Readers<C> {
    idle: Mutex<Vec<(C, Instant)>>,
    slots: Semaphore,
    open: Open<C>,
    /// A connection idle longer than this is pinged before use (the server
    /// or a proxy may have dropped it meanwhile); `None`: never.
    ping_when_idle: Option<Duration>,
}

impl<C> std::fmt::Debug for Readers<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers")
            .field("free", &self.slots.available_permits())
            .finish_non_exhaustive()
    }
}

impl<C: Connection> Readers<C> {
    pub(crate) fn new(max: u32, ping_when_idle: Option<Duration>, open: Open<C>) -> Self {
        Self {
            idle: Mutex::new(Vec::new()),
            slots: Semaphore::new(usize::try_from(max.max(1)).unwrap_or(1)),
            open,
            ping_when_idle,
        }
    }

    /// A connection for one read: an idle one, else a new one.
    ///
    /// # Errors
    /// No connection was free within the timeout, the pool is closed, or a
    /// new connection could not be opened.
    pub(crate) async fn lease(&self) -> Result<Lease<'_, C>, sqlx::Error> {
        let slot = tokio::time::timeout(ACQUIRE_TIMEOUT, self.slots.acquire())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match idle {
            Some((mut conn, since))
                if self
                    .ping_when_idle
                    .is_some_and(|limit| since.elapsed() > limit) =>
            {
                match conn.ping().await {
                    Ok(()) => (conn, true),
                    Err(_) => ((self.open)().await?, false),
                }
            }
            Some((conn, _)) => (conn, true),
            None => ((self.open)().await?, false),
        };
        let (conn, reused) = conn;
        Ok(Lease {
            conn: Some(conn),
            readers: self,
            reused,
            _slot: slot,
        })
    }

    /// Closes every idle connection; reads after this fail.
    pub(crate) async fn close(&self) {
        self.slots.close();
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(PoisonError::into_inner));
        for (conn, _) in idle {
            let _ = conn.close().await;
        }
    }
}

/// One connection, lent for one read.
pub(crate) struct Lease<'a, C: Connection> {
    conn: Option<C>,
    readers: &'a Readers<C>,
    /// Taken from the idle list (the server may have ended it since).
    reused: bool,
    _slot: SemaphorePermit<'a>,
}

impl<C: Connection> Lease<'_, C> {
    /// The connection, to run the read on.
    pub(crate) fn conn(&mut self) -> &mut C {
        // Present until `give_back` consumes the lease.
        #[allow(clippy::expect_used)]
        self.conn.as_mut().expect("a lease holds its connection")
    }

    /// The read ran to its end: the connection may serve the next one.
    pub(crate) fn give_back(mut self) {
        if let Some(conn) = self.conn.take() {
            self.readers
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((conn, Instant::now()));
        }
    }
}

/// Runs `read` on a leased connection; the connection is reused only when
/// the read succeeded. Every read of [`super::Db`] goes through here.
///
/// # Errors
/// No connection, or the read's own error.
pub(crate) async fn with_lease<C: Connection, T>(
    readers: &Readers<C>,
    read: impl AsyncFnOnce(&mut C) -> Result<T, sqlx::Error>,
) -> Result<T, sqlx::Error> {
    let mut lease = readers.lease().await?;
    let out = read(lease.conn()).await?;
    lease.give_back();
    Ok(out)
}

/// As [`with_lease`], for PostgreSQL: when the read fails because the
/// server ended a connection that sat idle (a restart, a fail-over, an
/// administrator's `pg_terminate_backend`), it runs once more on a newly
/// opened connection, so the visitor gets the page instead of an error.
/// Only reads go here: running one twice changes nothing.
///
/// # Errors
/// No connection, or the read's own error (the second one's, if retried).
pub(crate) async fn with_lease_again<C: Connection, T>(
    readers: &Readers<C>,
    // A boxed future that borrows only the connection (an `AsyncFn`
    // borrowing its statement is not `Send` for every lifetime).
    read: impl for<'c> Fn(&'c mut C) -> BoxFuture<'c, Result<T, sqlx::Error>>,
) -> Result<T, sqlx::Error> {
    let mut lease = readers.lease().await?;
    match read(lease.conn()).await {
        Ok(out) => {
            lease.give_back();
            Ok(out)
        }
        Err(e) if lease.reused && connection_lost(&e) => {
            tracing::info!(error = %e, "a pooled database connection had ended; reading again on a new one");
            // The same slot: after a restart every waiting read meets a
            // dead connection, and queueing behind them could time out.
            lease.conn = None;
            lease.conn = Some((readers.open)().await?);
            let out = read(lease.conn()).await?;
            lease.give_back();
            Ok(out)
        }
        Err(e) => Err(e),
    }
}

/// The connection is gone, not the statement wrong: an I/O error, or the
/// server's "terminating connection" (SQLSTATE class 57P: operator
/// intervention, shutdown).
fn connection_lost(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|c| c.starts_with("57P")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_a_lost_connection_is_read_again() {
        let io = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
        assert!(connection_lost(&io));
        assert!(!connection_lost(&sqlx::Error::RowNotFound));
        assert!(!connection_lost(&sqlx::Error::PoolTimedOut));
    }
    use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
    use sqlx::{ConnectOptions, Executor};
    use std::str::FromStr;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn counting(opened: Arc<AtomicUsize>) -> Readers<SqliteConnection> {
        Readers::new(
            2,
            None,
            Box::new(move || {
                opened.fetch_add(1, Ordering::SeqCst);
                Box::pin(async {
                    SqliteConnectOptions::from_str("sqlite::memory:")?
                        .connect()
                        .await
                })
            }),
        )
    }

    /// A connection whose read succeeded serves the next read; one whose
    /// read failed, or whose lease was dropped mid-way, is closed, and the
    /// next read gets a fresh one.
    #[tokio::test]
    async fn only_a_finished_read_gives_its_connection_back() {
        let opened = Arc::new(AtomicUsize::new(0));
        let readers = counting(opened.clone());
        for _ in 0..3 {
            let one: (i64,) = with_lease(&readers, async |c| {
                sqlx::query_as("SELECT 1").fetch_one(c).await
            })
            .await
            .unwrap();
            assert_eq!(one.0, 1);
        }
        assert_eq!(opened.load(Ordering::SeqCst), 1);
        // A connection-local mark shows whether the next read gets the same one.
        with_lease(&readers, async |c| {
            c.execute("CREATE TEMP TABLE mark (x)").await.map(drop)
        })
        .await
        .unwrap();
        let failed = with_lease(&readers, async |c| {
            c.execute("SELECT * FROM no_such_table").await.map(drop)
        })
        .await;
        assert!(failed.is_err());
        assert_eq!(opened.load(Ordering::SeqCst), 1);
        // The failed read's connection (with the mark) was not given back.
        let marked = with_lease(&readers, async |c| {
            c.execute("SELECT * FROM mark").await.map(drop)
        })
        .await;
        assert!(marked.is_err(), "the failed read's connection came back");
        assert_eq!(opened.load(Ordering::SeqCst), 2);
        // A lease dropped before its read finished.
        let lease = readers.lease().await.unwrap();
        drop(lease);
        assert!(readers.idle.lock().unwrap().is_empty());
        // At most `max` at once; close ends reading.
        let a = readers.lease().await.unwrap();
        let _b = readers.lease().await.unwrap();
        assert!(
            tokio::time::timeout(Duration::from_millis(50), readers.lease())
                .await
                .is_err(),
            "a third lease while two are out"
        );
        a.give_back();
        readers.close().await;
        assert!(matches!(
            readers.lease().await.err(),
            Some(sqlx::Error::PoolClosed)
        ));
    }
}
