//! Storage: one [`Db`] handle over SQLite (the embedded default) or PostgreSQL.
//!
//! Queries are sea-query statements, built for the backend in use and bound
//! through `sea-query-sqlx`; rows decode into types that implement sqlx's
//! `FromRow` for both backends and [`FromSqlite`] ([`Row`]): reads within
//! one tenant on a SQLite file run on the calling thread (`direct.rs`).
//!
//! SQLite gets read-only connections for reads (WAL lets them run beside a
//! writer) and a write pool of exactly one connection, so writers queue in
//! the pool instead of failing with "database is locked". Another process
//! on the same file waits up to `busy_timeout`. PostgreSQL reads go through
//! their own connections too (`readers.rs` says why); writes and
//! transactions through sqlx's pool.
//!
//! Layout:
//! - `mod.rs`: the handle, reads, writes, transactions
//! - `readers.rs`: the connections reads go through
//! - `confirm.rs`: a page's first read carrying its kept session's probe
//! - `direct.rs`: SQLite reads on the calling thread (the per-page reads)
//! - `migrate.rs`: per-component migration histories

mod confirm;
mod direct;
mod migrate;
mod readers;

pub(crate) use confirm::{Check, Confirm, carried as carried_confirm};
pub use direct::{Cell, CellError, Cells, FromSqlite};

pub use migrate::{CORE_MIGRATIONS, Migrations, run_migrations};

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use direct::Direct;
use futures_util::{FutureExt as _, TryFutureExt as _};
use readers::{Readers, with_lease, with_lease_again};
use sea_query::{InsertStatement, PostgresQueryBuilder, SelectStatement, SqliteQueryBuilder};
use sea_query_sqlx::{SqlxBinder, SqlxValues};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, ConnectOptions, FromRow, Postgres, Sqlite, Transaction};

/// A database failure. Its text may contain SQL: log it, never show it.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DbError(#[from] pub sqlx::Error);

impl DbError {
    /// True when the failure is a unique-constraint violation.
    pub fn is_unique_violation(&self) -> bool {
        matches!(&self.0, sqlx::Error::Database(e) if e.is_unique_violation())
    }
}

/// In a handler a database failure is a 500 whose detail goes to the log
/// with the correlation id (`web::errors`), so `?` needs no `map_err`.
impl poem::error::ResponseError for DbError {
    fn status(&self) -> poem::http::StatusCode {
        poem::http::StatusCode::INTERNAL_SERVER_ERROR
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// Search words typed by a person as a `LIKE` pattern (`%words%`): lower
/// case (compare with `LOWER(column)`), `%`, `_` and the backslash escaped so they
/// match themselves (an e-mail address has `_` in it), control characters
/// dropped, at most 100 characters. `None` for an empty search.
pub fn like_pattern(q: &str) -> Option<sea_query::LikeExpr> {
    let mut needle = String::new();
    for c in q
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
    {
        if matches!(c, '%' | '_' | '\\') {
            needle.push('\\');
        }
        needle.push(c);
    }
    (!needle.is_empty()).then(|| sea_query::LikeExpr::new(format!("%{needle}%")).escape('\\'))
}

/// One page of a keyset-paginated list. Read [`Paged::limit`] rows (one
/// more than the page holds) and hand them to [`Paged::new`]: the extra
/// row only tells whether a next page exists, so a full last page shows
/// no "more" link.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    /// True when rows follow this page.
    pub more: bool,
}

impl<T> Paged<T> {
    /// How many rows to read for a page of `size`.
    pub const fn limit(size: u64) -> u64 {
        size + 1
    }

    /// The page of `size` out of what was read with [`Paged::limit`].
    pub fn new(mut rows: Vec<T>, size: u64) -> Self {
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        let more = rows.len() > size;
        rows.truncate(size);
        Self { rows, more }
    }

    /// The cursor of the next page (`key` of the last row), when there is one.
    pub fn next<K>(&self, key: impl FnOnce(&T) -> K) -> Option<K> {
        self.more.then(|| self.rows.last().map(key)).flatten()
    }
}

/// A row type that decodes from both backends, and from a SQLite row read
/// on the calling thread ([`FromSqlite`]: `from_sqlite!` beside the
/// `#[derive(sqlx::FromRow)]`; tuples have it already).
pub trait Row:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + FromSqlite + Send + Unpin + 'static
{
}
impl<T> Row for T where
    T: for<'r> FromRow<'r, SqliteRow>
        + for<'r> FromRow<'r, PgRow>
        + FromSqlite
        + Send
        + Unpin
        + 'static
{
}

/// Which database is behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug)]
enum Pools {
    Sqlite {
        read: Readers<SqliteConnection>,
        write: SqlitePool,
        /// The database file (`None` in memory).
        file: Option<std::path::PathBuf>,
        /// Reads on the calling thread (`None` in memory: each connection
        /// there is a database of its own).
        direct: Option<Direct>,
    },
    Postgres {
        pool: PgPool,
        read: Readers<PgConnection>,
    },
}

/// Pool sizes and timeouts for [`Db::connect`].
#[derive(Debug, Clone, Copy)]
pub struct DbOptions {
    pub max_connections: u32,
    pub busy_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// The database handle; cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pools: Arc<Pools>,
    /// Counts transactions committed through this handle, so this process's
    /// caches know at once that they must look at the database again.
    commits: Arc<AtomicU64>,
    /// Counts statements sent through this handle (with BEGIN and COMMIT):
    /// the round trips a request costs, for tests and benchmarks.
    trips: Arc<AtomicU64>,
}

/// True when the SQLite library was compiled with the query planner
/// stability guarantee on (`PRAGMA compile_options` lists `ENABLE_QPSG`).
async fn sqlite_plans_stable(read: &Readers<SqliteConnection>) -> DbResult<bool> {
    let options: Vec<(String,)> = with_lease(read, async |c| {
        sqlx::query_as("PRAGMA compile_options").fetch_all(c).await
    })
    .await?;
    Ok(options.iter().any(|(o,)| o == "ENABLE_QPSG"))
}

/// PostgreSQL plans every statement once per connection and runs it on its
/// generic plan: its default planned the session and invoice-list queries
/// anew on every call (a fifth of the server's time per page, measured).
/// Long `IN` lists, where a generic plan is poor, go through
/// `fetch_all_unprepared`, which asks for a custom plan. A `SET` after
/// connecting, not a startup option: poolers such as PgBouncer refuse
/// startup options they do not know.
const PG_GENERIC_PLANS: &str = "SET plan_cache_mode = force_generic_plan";

/// A read connection's settings: generic plans, and read-only, so that a
/// statement with an effect can never reach the reads, which run once
/// more after a lost connection (`readers::with_lease_again`).
const PG_READ_CONNECTION: &str =
    "SET plan_cache_mode = force_generic_plan; SET default_transaction_read_only = on";

/// For the rest of a transaction: plan each statement with its values.
const PG_CUSTOM_PLANS_HERE: &str = "SET LOCAL plan_cache_mode = force_custom_plan";
/// Back to the connection's generic plans for the rest of a transaction.
const PG_GENERIC_PLANS_HERE: &str = "SET LOCAL plan_cache_mode = force_generic_plan";

/// A pooled PostgreSQL connection idle longer than this is pinged before use.
const PING_WHEN_IDLE: Duration = Duration::from_secs(30);

impl Db {
    /// Opens the database named by `url` (`sqlite://file` or `postgres://...`),
    /// creating a SQLite file (and its folder) when missing.
    ///
    /// # Errors
    /// The database cannot be reached or opened.
    pub async fn connect(url: &str, opts: DbOptions) -> DbResult<Self> {
        let pools = if url.starts_with("sqlite:") {
            let base = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(opts.busy_timeout);
            if let Some(dir) = base.get_filename().parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(|e| DbError(sqlx::Error::Io(e)))?;
            }
            let file = (!url.contains(":memory:") && !url.contains("mode=memory"))
                .then(|| base.get_filename().to_path_buf());
            // The writer opens (and creates) the file first and switches it to WAL.
            // A connection to a local file cannot be hung up on: no ping
            // before each use (it is a round trip to the connection's thread).
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .test_before_acquire(false)
                .connect_with(base.clone())
                .await?;
            let read_options = base.read_only(true);
            let read = Readers::new(
                opts.max_connections,
                None,
                Box::new(move || {
                    let o = read_options.clone();
                    Box::pin(async move { o.connect().await })
                }),
            );
            if !sqlite_plans_stable(&read).await? {
                tracing::warn!(
                    "SQLite was built without SQLITE_ENABLE_QPSG: statements are planned again \
                     on every use once ANALYZE has run; build with \
                     LIBSQLITE3_FLAGS=-DSQLITE_ENABLE_QPSG (see .cargo/config.toml)"
                );
            }
            let direct = file.clone().map(Direct::new);
            Pools::Sqlite {
                read,
                write,
                file,
                direct,
            }
        } else {
            // sqlx pings every connection it hands out by default: a second
            // round trip per query. Ping only one that sat idle a while (the
            // server or a proxy may have dropped it meanwhile); a connection
            // that breaks in use fails that query and is replaced.
            let pool = PgPoolOptions::new()
                .max_connections(opts.max_connections)
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for > PING_WHEN_IDLE {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        sqlx::raw_sql(PG_GENERIC_PLANS)
                            .execute(conn)
                            .await
                            .map(drop)
                    })
                })
                .connect(url)
                .await?;
            let read_options = PgConnectOptions::from_str(url)?;
            let read = Readers::new(
                opts.max_connections,
                Some(PING_WHEN_IDLE),
                Box::new(move || {
                    let o = read_options.clone();
                    Box::pin(async move {
                        let mut conn = o.connect().await?;
                        sqlx::raw_sql(PG_READ_CONNECTION).execute(&mut conn).await?;
                        Ok(conn)
                    })
                }),
            );
            Pools::Postgres { pool, read }
        };
        Ok(Self {
            pools: Arc::new(pools),
            commits: Arc::new(AtomicU64::new(0)),
            trips: Arc::new(AtomicU64::new(0)),
        })
    }

    pub fn backend(&self) -> Backend {
        match &*self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres { .. } => Backend::Postgres,
        }
    }

    /// The PostgreSQL pool, for features only PostgreSQL has (`LISTEN`).
    /// The SQLite database file, if the database is one (and not in memory).
    pub fn sqlite_file(&self) -> Option<&std::path::Path> {
        match &*self.pools {
            Pools::Sqlite { file, .. } => file.as_deref(),
            Pools::Postgres { .. } => None,
        }
    }

    pub fn pg_pool(&self) -> Option<&PgPool> {
        match &*self.pools {
            Pools::Postgres { pool, .. } => Some(pool),
            Pools::Sqlite { .. } => None,
        }
    }

    /// All rows of a query within one tenant (debug builds check that it
    /// names `tenant_id`; see [`Spans`]). On a SQLite file the read runs on
    /// the calling thread (`direct.rs`): a page's reads are short; reads
    /// across tenants (a worker's, the sweeper's), [`Db::fetch_all_bulk`]
    /// and [`Db::fetch_all_unprepared`] stay on the connection threads.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_all<T: Row>(&self, q: &SelectStatement) -> DbResult<Vec<T>> {
        if let Some(owed) = confirm::owed()? {
            return self.read_confirming(&owed, q, usize::MAX).await;
        }
        let (sql, values) = build_for(self.backend(), q, Spans::OneTenant);
        match self.try_direct(&sql, &values, usize::MAX) {
            Some(rows) => rows,
            None => self.fetch_all_built(sql, values).await,
        }
    }

    /// All rows of a query within one tenant, read on the connection
    /// threads even on SQLite: for bulk reads (a sync's thousands of keys, a
    /// background job's whole table), which would hold an async worker for
    /// their whole run on the calling thread.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_all_bulk<T: Row>(&self, q: &SelectStatement) -> DbResult<Vec<T>> {
        self.fetch_all_spanning(q, Spans::OneTenant).await
    }

    /// All rows of a query that deliberately reads across tenants (a
    /// worker, a cache, the sweeper): the name a reviewer greps for.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_all_across_tenants<T: Row>(&self, q: &SelectStatement) -> DbResult<Vec<T>> {
        self.fetch_all_spanning(q, Spans::AllTenants).await
    }

    async fn fetch_all_spanning<T: Row>(
        &self,
        q: &SelectStatement,
        spans: Spans,
    ) -> DbResult<Vec<T>> {
        let (sql, values) = build_for(self.backend(), q, spans);
        self.fetch_all_built(sql, values).await
    }

    async fn fetch_all_built<T: Row>(&self, sql: String, values: SqlxValues) -> DbResult<Vec<T>> {
        confirm::owed()?;
        match &*self.pools {
            Pools::Sqlite { read, .. } => {
                self.trips.fetch_add(1, Ordering::Relaxed);
                Ok(with_lease(read, async move |c| {
                    sqlx::query_as_with::<Sqlite, T, _>(AssertSqlSafe(sql), values)
                        .fetch_all(c)
                        .await
                })
                .await?)
            }
            Pools::Postgres { .. } => decode(&self.pg_rows(sql, values, usize::MAX).await?),
        }
    }

    /// Like [`Db::fetch_all`], but planned with its values on every call
    /// instead of from a cached statement: for long `IN (...)` lists, where
    /// PostgreSQL's cached generic plan reads every row of the tenant and
    /// compares each with the whole list (1,000 ids took seconds at 100k rows).
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_all_unprepared<T: Row>(&self, q: &SelectStatement) -> DbResult<Vec<T>> {
        confirm::owed()?;
        self.trips.fetch_add(1, Ordering::Relaxed);
        let (sql, values) = build_for(self.backend(), q, Spans::OneTenant);
        Ok(match &*self.pools {
            Pools::Sqlite { read, .. } => {
                with_lease(read, async move |c| {
                    sqlx::query_as_with::<Sqlite, T, _>(AssertSqlSafe(sql), values)
                        .persistent(false)
                        .fetch_all(c)
                        .await
                })
                .await?
            }
            Pools::Postgres { pool: p, .. } => {
                // Planned for these values: a custom plan, in a transaction
                // so the setting cannot outlive the call on the pooled
                // connection (three more round trips, on bulk paths only).
                self.trips.fetch_add(3, Ordering::Relaxed);
                let mut tx = p.begin().await?;
                sqlx::raw_sql(PG_CUSTOM_PLANS_HERE)
                    .execute(&mut *tx)
                    .await?;
                let rows = sqlx::query_as_with::<Postgres, T, _>(AssertSqlSafe(sql), values)
                    .persistent(false)
                    .fetch_all(&mut *tx)
                    .await?;
                tx.commit().await?;
                rows
            }
        })
    }

    /// The first row of a query within one tenant, if any (read as
    /// [`Db::fetch_all`] reads).
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_optional<T: Row>(&self, q: &SelectStatement) -> DbResult<Option<T>> {
        if let Some(owed) = confirm::owed()? {
            return Ok(self.read_confirming(&owed, q, 1).await?.pop());
        }
        let (sql, values) = build_for(self.backend(), q, Spans::OneTenant);
        self.fetch_optional_within(Cow::Owned(sql), values).await
    }

    /// The first row of a query within one tenant whose SQL is the same
    /// on every call (a page's session read): its SQL is built once per
    /// process and kept in `fixed`; `values` are the placeholders' values
    /// in the order `build` would bind them. Building the session's
    /// statement was a twentieth of a page's CPU.
    ///
    /// Debug builds (every test) build the statement on each call too and
    /// panic when its SQL or values differ from the kept ones: a change to
    /// the statement that moves a value shows in the first test that
    /// reads through it.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_optional_fixed<T: Row>(
        &self,
        fixed: &'static FixedSql,
        build: impl Fn() -> SelectStatement,
        values: Vec<sea_query::Value>,
    ) -> DbResult<Option<T>> {
        let slot = &fixed.sql[usize::from(self.backend() == Backend::Postgres)];
        let sql = slot.get_or_init(|| build_for(self.backend(), &build(), Spans::OneTenant).0);
        let values = SqlxValues(sea_query::Values(values));
        if cfg!(debug_assertions) {
            let (fresh, bound) = build_for(self.backend(), &build(), Spans::OneTenant);
            assert!(
                fresh == *sql && bound.0 == values.0,
                "fetch_optional_fixed: the kept statement or its values differ from a fresh build:\n{sql}\n{:?}\n{fresh}\n{:?}",
                values.0,
                bound.0
            );
        }
        self.fetch_optional_within(Cow::Borrowed(sql), values).await
    }

    /// The first row of a built read within one tenant: on the calling
    /// thread where it can go that way, else through sqlx.
    async fn fetch_optional_within<T: Row>(
        &self,
        sql: Cow<'_, str>,
        values: SqlxValues,
    ) -> DbResult<Option<T>> {
        match self.try_direct(&sql, &values, 1) {
            Some(rows) => rows.map(|mut r| r.pop()),
            None => self.fetch_optional_built(sql.into_owned(), values).await,
        }
    }

    /// The first row of a query that deliberately reads across tenants.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_optional_across_tenants<T: Row>(
        &self,
        q: &SelectStatement,
    ) -> DbResult<Option<T>> {
        self.fetch_optional_spanning(q, Spans::AllTenants).await
    }

    async fn fetch_optional_spanning<T: Row>(
        &self,
        q: &SelectStatement,
        spans: Spans,
    ) -> DbResult<Option<T>> {
        let (sql, values) = build_for(self.backend(), q, spans);
        self.fetch_optional_built(sql, values).await
    }

    async fn fetch_optional_built<T: Row>(
        &self,
        sql: String,
        values: SqlxValues,
    ) -> DbResult<Option<T>> {
        confirm::owed()?;
        match &*self.pools {
            Pools::Sqlite { read, .. } => {
                self.trips.fetch_add(1, Ordering::Relaxed);
                Ok(with_lease(read, async move |c| {
                    sqlx::query_as_with::<Sqlite, T, _>(AssertSqlSafe(sql), values)
                        .fetch_optional(c)
                        .await
                })
                .await?)
            }
            Pools::Postgres { .. } => Ok(decode(&self.pg_rows(sql, values, 1).await?)?.pop()),
        }
    }

    /// `q` joined to the probe the request owes (`confirm.rs`), up to
    /// `limit` rows: one round trip for both where the read finds a row.
    ///
    /// # Errors
    /// The probe refused the session, or a database failure.
    async fn read_confirming<T: Row>(
        &self,
        owed: &Confirm,
        q: &SelectStatement,
        limit: usize,
    ) -> DbResult<Vec<T>> {
        let (sql, mut values) = build_for(Backend::Postgres, q, Spans::OneTenant);
        let sql = owed.joined(&sql, &mut values);
        let rows = self.pg_rows(sql, values, limit).await?;
        let stands = match rows.first() {
            Some(row) => owed.decide(Some(row), self).await?,
            // No row: the read found none, or the probe did.
            None => self.settle(owed).await?,
        };
        if !stands {
            return Err(confirm::refused());
        }
        decode(&rows)
    }

    /// The answer of a request's probe: known, or read now on its own.
    ///
    /// # Errors
    /// A database failure.
    pub(crate) async fn settle(&self, owed: &Confirm) -> DbResult<bool> {
        match owed.standing() {
            confirm::Standing::Confirmed => Ok(true),
            confirm::Standing::Refused => Ok(false),
            confirm::Standing::Pending => {
                let (sql, values) = owed.probe();
                let row = self.pg_rows(sql, values, 1).await?.pop();
                owed.decide(row.as_ref(), self).await
            }
        }
    }

    /// Before a write: the probe the request owes, if any, has answered
    /// that its session stands.
    ///
    /// # Errors
    /// The probe refused the session, or a database failure.
    async fn confirm_owed(&self) -> DbResult<()> {
        if let Some(owed) = confirm::owed()?
            && !self.settle(&owed).await?
        {
            return Err(confirm::refused());
        }
        Ok(())
    }

    /// Up to `limit` undecoded rows of a built read on PostgreSQL (every
    /// read there, the probe and the reads joined to it included); run
    /// again once on a new connection when its idle one had ended
    /// ([`with_lease_again`]).
    ///
    /// # Errors
    /// A database failure; on SQLite, always.
    async fn pg_rows(&self, sql: String, values: SqlxValues, limit: usize) -> DbResult<Vec<PgRow>> {
        let Pools::Postgres { read, .. } = &*self.pools else {
            return Err(DbError(sqlx::Error::Protocol(
                "a PostgreSQL read on SQLite".into(),
            )));
        };
        self.trips.fetch_add(1, Ordering::Relaxed);
        Ok(with_lease_again(read, |c| {
            let query = sqlx::query_with::<Postgres, _>(AssertSqlSafe(sql.clone()), values.clone());
            if limit == 1 {
                query
                    .fetch_optional(c)
                    .map_ok(|row| row.into_iter().collect())
                    .boxed()
            } else {
                query.fetch_all(c).boxed()
            }
        })
        .await?)
    }

    /// Up to `limit` rows read on the calling thread; `None` where this
    /// read cannot go that way (PostgreSQL, in memory, a value kind
    /// `direct::bind` does not encode).
    fn try_direct<T: FromSqlite>(
        &self,
        sql: &str,
        values: &SqlxValues,
        limit: usize,
    ) -> Option<DbResult<Vec<T>>> {
        let Pools::Sqlite {
            direct: Some(d), ..
        } = &*self.pools
        else {
            return None;
        };
        let bound = direct::bind(&values.0)?;
        self.trips.fetch_add(1, Ordering::Relaxed);
        match d.read(sql, bound, limit) {
            // Busy (another process holds the file in a way a WAL reader
            // must wait for): wait on a connection thread, not here.
            Err(direct::Refused::Busy) => None,
            Err(direct::Refused::Failed(e)) => Some(Err(DbError(e))),
            Ok(rows) => Some(Ok(rows)),
        }
    }

    /// Runs one write statement within one tenant on its own; returns the
    /// rows affected.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn execute(&self, q: &impl SqlxBinder) -> DbResult<u64> {
        let mut tx = self.begin().await?;
        let n = tx.execute(q).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Runs one write statement that deliberately spans tenants on its own.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn execute_across_tenants(&self, q: &impl SqlxBinder) -> DbResult<u64> {
        let mut tx = self.begin().await?;
        let n = tx.execute_across_tenants(q).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Starts a transaction on the write path.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn begin(&self) -> DbResult<Tx> {
        self.confirm_owed().await?;
        self.trips.fetch_add(1, Ordering::Relaxed);
        let inner = match &*self.pools {
            // IMMEDIATE takes the write lock at once: a transaction that reads
            // before it writes then waits (busy_timeout) for another process's
            // writer instead of failing with SQLITE_BUSY_SNAPSHOT.
            Pools::Sqlite { write, .. } => {
                TxInner::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?)
            }
            Pools::Postgres { pool, .. } => TxInner::Postgres(pool.begin().await?),
        };
        Ok(Tx {
            inner,
            commits: self.commits.clone(),
            trips: self.trips.clone(),
        })
    }

    /// How many statements (BEGIN and COMMIT included) went to the database
    /// through this handle and its clones: a request's round trips are the
    /// difference before and after it.
    pub fn round_trips(&self) -> u64 {
        self.trips.load(Ordering::Relaxed)
    }

    /// How many transactions this process committed through this handle.
    pub fn commit_count(&self) -> u64 {
        self.commits.load(Ordering::SeqCst)
    }

    /// Writes a consistent copy of the SQLite database to `path` with
    /// `VACUUM INTO`, on a read connection: writers go on meanwhile, and
    /// the copy is the database as of one moment (`portal backup`).
    /// `Ok(false)` on PostgreSQL, which is backed up with `pg_dump`.
    ///
    /// # Errors
    /// A database failure, or `path` exists already.
    pub async fn sqlite_copy_to(&self, path: &std::path::Path) -> DbResult<bool> {
        let Pools::Sqlite { read, .. } = &*self.pools else {
            return Ok(false);
        };
        let target = path.display().to_string().replace('\'', "''");
        let sql = format!("VACUUM INTO '{target}'");
        with_lease(read, async move |c| {
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(c).await.map(drop)
        })
        .await?;
        Ok(true)
    }

    /// Whether SQLite keeps its plans stable (built with
    /// `SQLITE_ENABLE_QPSG`, see `.cargo/config.toml`); `None` on PostgreSQL.
    ///
    /// # Errors
    /// A database failure.
    pub async fn sqlite_plans_stable(&self) -> DbResult<Option<bool>> {
        match &*self.pools {
            Pools::Sqlite { read, .. } => Ok(Some(sqlite_plans_stable(read).await?)),
            Pools::Postgres { .. } => Ok(None),
        }
    }

    /// SQLite's `PRAGMA quick_check`: "ok", or what is damaged. `None` on
    /// PostgreSQL.
    ///
    /// # Errors
    /// A database failure.
    pub async fn sqlite_check(&self) -> DbResult<Option<String>> {
        let Pools::Sqlite { read, .. } = &*self.pools else {
            return Ok(None);
        };
        let rows: Vec<(String,)> = with_lease(read, async |c| {
            sqlx::query_as("PRAGMA quick_check").fetch_all(c).await
        })
        .await?;
        Ok(Some(
            rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("; "),
        ))
    }

    /// Runs SQL text as it is (no parameters), on the write path. For
    /// start-up, tests and operator commands, never with user input.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn execute_raw(&self, sql: &'static str) -> DbResult<()> {
        self.confirm_owed().await?;
        match &*self.pools {
            Pools::Sqlite { write, .. } => sqlx::raw_sql(sql).execute(write).await.map(drop)?,
            Pools::Postgres { pool, .. } => sqlx::raw_sql(sql).execute(pool).await.map(drop)?,
        }
        Ok(())
    }

    /// Refreshes the planner's statistics of one table (`ANALYZE`).
    ///
    /// # Errors
    /// Any database failure.
    pub async fn analyze(&self, table: &'static str) -> DbResult<()> {
        let sql = format!("ANALYZE {}", sea_query::Iden::quoted(&table));
        match &*self.pools {
            Pools::Sqlite { write, .. } => {
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(write)
                    .await
                    .map(drop)?;
            }
            Pools::Postgres { pool, .. } => sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(pool)
                .await
                .map(drop)?,
        }
        Ok(())
    }

    /// Checks that the database answers (for `/health`).
    ///
    /// # Errors
    /// The database does not answer.
    pub async fn ping(&self) -> DbResult<()> {
        match &*self.pools {
            Pools::Sqlite { read, .. } => {
                with_lease(read, async move |c| {
                    sqlx::query("SELECT 1").execute(c).await.map(drop)
                })
                .await?;
            }
            Pools::Postgres { read, .. } => {
                with_lease_again(read, |c| {
                    sqlx::query("SELECT 1").execute(c).map_ok(drop).boxed()
                })
                .await?;
            }
        }
        Ok(())
    }

    /// Closes every connection (tests, shutdown).
    pub async fn close(&self) {
        match &*self.pools {
            Pools::Sqlite {
                read,
                write,
                direct,
                ..
            } => {
                if let Some(d) = direct {
                    d.close();
                }
                read.close().await;
                write.close().await;
            }
            Pools::Postgres { pool, read } => {
                read.close().await;
                pool.close().await;
            }
        }
    }

    pub(crate) fn pools_for_migration(&self) -> MigrationTarget<'_> {
        match &*self.pools {
            Pools::Sqlite { write, .. } => MigrationTarget::Sqlite(write),
            Pools::Postgres { pool, .. } => MigrationTarget::Postgres(pool),
        }
    }
}

pub(crate) enum MigrationTarget<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
}

/// Whether a statement stays within one tenant or deliberately spans all.
/// Statements run through the plain calls (`fetch_all`, `execute`, ...)
/// stay within one: debug builds (every test) check that a statement on a
/// tenant-owned table names `tenant_id`, so a query that forgot its scope
/// fails a test. Workers, caches and the sweeper read across tenants with
/// the `*_across_tenants` calls, a name a reviewer can grep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spans {
    OneTenant,
    AllTenants,
}

/// Tables that belong to no tenant (no `tenant_id` column).
const SHARED_TABLES: &[&str] = &["core_tenants", "core_secrets", "core_cache_version"];

/// The tenant-owned table a one-tenant statement reaches without naming
/// `tenant_id`, if any.
fn unscoped_table(sql: &str) -> Option<&str> {
    // A condition on it (`"tenant_id" = ?`, `"t"."tenant_id" IN (...)`), or
    // an insert that sets it; a select that merely lists the column spans
    // every tenant.
    let scoped = sql.contains("\"tenant_id\" = ")
        || sql.contains("\"tenant_id\" IN ")
        || (sql.starts_with("INSERT") && sql.contains("\"tenant_id\""));
    if scoped {
        return None;
    }
    ["FROM \"", "JOIN \"", "INTO \"", "UPDATE \""]
        .iter()
        .flat_map(|kw| sql.match_indices(kw).map(move |(at, _)| at + kw.len()))
        .filter_map(|start| sql[start..].find('"').map(|end| &sql[start..start + end]))
        .find(|table| !SHARED_TABLES.contains(table) && !table.starts_with("_sqlx"))
}

/// The SQL of one statement, per backend, built on first use: see
/// [`Db::fetch_optional_fixed`].
#[derive(Debug)]
pub struct FixedSql {
    sql: [std::sync::OnceLock<String>; 2],
}

impl FixedSql {
    #[allow(clippy::new_without_default)] // a `static`'s initialiser
    pub const fn new() -> Self {
        Self {
            sql: [std::sync::OnceLock::new(), std::sync::OnceLock::new()],
        }
    }

    /// The statement's PostgreSQL SQL, built on first use; `values` are
    /// its placeholders' values in the order `build` binds them (debug
    /// builds check both against a fresh build, as
    /// [`Db::fetch_optional_fixed`] does).
    pub(crate) fn postgres(
        &'static self,
        build: impl Fn() -> SelectStatement,
        values: &[sea_query::Value],
    ) -> &'static str {
        let sql =
            self.sql[1].get_or_init(|| build_for(Backend::Postgres, &build(), Spans::OneTenant).0);
        if cfg!(debug_assertions) {
            let (fresh, bound) = build_for(Backend::Postgres, &build(), Spans::OneTenant);
            assert!(
                fresh == *sql && bound.0.0 == values,
                "FixedSql::postgres: the kept statement or its values differ from a fresh build:\n{sql}\n{values:?}\n{fresh}\n{:?}",
                bound.0
            );
        }
        sql
    }
}

/// PostgreSQL rows as `T`.
///
/// # Errors
/// A row does not decode.
fn decode<T: Row>(rows: &[PgRow]) -> DbResult<Vec<T>> {
    rows.iter()
        .map(|row| T::from_row(row))
        .collect::<Result<_, _>>()
        .map_err(DbError)
}

fn build_for(backend: Backend, q: &impl SqlxBinder, spans: Spans) -> (String, SqlxValues) {
    let (sql, values) = match backend {
        Backend::Sqlite => q.build_sqlx(SqliteQueryBuilder),
        Backend::Postgres => q.build_sqlx(PostgresQueryBuilder),
    };
    if cfg!(debug_assertions)
        && spans == Spans::OneTenant
        && let Some(table) = unscoped_table(&sql)
    {
        // Debug builds only: a test that reaches this found a query
        // without its tenant filter.
        panic!(
            "{table} is reached without a tenant_id condition: start from a TenantScope or a \
             Reach, or use a *_across_tenants call for a deliberate cross-tenant statement: {sql}"
        );
    }
    (sql, values)
}

/// A transaction on the write path; dropped without [`Tx::commit`] it rolls back.
#[derive(Debug)]
pub struct Tx {
    inner: TxInner,
    commits: Arc<AtomicU64>,
    trips: Arc<AtomicU64>,
}

#[derive(Debug)]
enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match &self.inner {
            TxInner::Sqlite(_) => Backend::Sqlite,
            TxInner::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a write statement within one tenant; returns the rows affected.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn execute(&mut self, q: &impl SqlxBinder) -> DbResult<u64> {
        self.execute_spanning(q, Spans::OneTenant).await
    }

    /// Runs a write statement that deliberately spans tenants.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn execute_across_tenants(&mut self, q: &impl SqlxBinder) -> DbResult<u64> {
        self.execute_spanning(q, Spans::AllTenants).await
    }

    async fn execute_spanning(&mut self, q: &impl SqlxBinder, spans: Spans) -> DbResult<u64> {
        self.trips.fetch_add(1, Ordering::Relaxed);
        let (sql, values) = build_for(self.backend(), q, spans);
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => sqlx::query_with::<Sqlite, _>(AssertSqlSafe(sql), values)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            TxInner::Postgres(tx) => sqlx::query_with::<Postgres, _>(AssertSqlSafe(sql), values)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        })
    }

    /// Inserts one row and returns the value of its `id` column.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn insert_returning_id(&mut self, q: &InsertStatement) -> DbResult<i64> {
        let mut q = q.clone();
        q.returning_col(sea_query::Alias::new("id"));
        self.trips.fetch_add(1, Ordering::Relaxed);
        let (sql, values) = build_for(self.backend(), &q, Spans::OneTenant);
        let (id,): (i64,) = match &mut self.inner {
            TxInner::Sqlite(tx) => {
                sqlx::query_as_with::<Sqlite, _, _>(AssertSqlSafe(sql), values)
                    .fetch_one(&mut **tx)
                    .await?
            }
            TxInner::Postgres(tx) => {
                sqlx::query_as_with::<Postgres, _, _>(AssertSqlSafe(sql), values)
                    .fetch_one(&mut **tx)
                    .await?
            }
        };
        Ok(id)
    }

    /// Rows of a query within one tenant (or of an `UPDATE ... RETURNING`),
    /// seen from inside the transaction.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_all<T: Row>(&mut self, q: &impl SqlxBinder) -> DbResult<Vec<T>> {
        self.fetch_all_spanning(q, Spans::OneTenant).await
    }

    /// Rows of a statement that deliberately spans tenants, inside the transaction.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_all_across_tenants<T: Row>(
        &mut self,
        q: &impl SqlxBinder,
    ) -> DbResult<Vec<T>> {
        self.fetch_all_spanning(q, Spans::AllTenants).await
    }

    async fn fetch_all_spanning<T: Row>(
        &mut self,
        q: &impl SqlxBinder,
        spans: Spans,
    ) -> DbResult<Vec<T>> {
        self.trips.fetch_add(1, Ordering::Relaxed);
        let (sql, values) = build_for(self.backend(), q, spans);
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => {
                sqlx::query_as_with::<Sqlite, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(&mut **tx)
                    .await?
            }
            TxInner::Postgres(tx) => {
                sqlx::query_as_with::<Postgres, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(&mut **tx)
                    .await?
            }
        })
    }

    /// Like [`Tx::fetch_all`], planned with its values, for long `IN`
    /// lists inside a transaction (as [`Db::fetch_all_unprepared`] outside
    /// one); the transaction's other statements keep their cached plans.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn fetch_all_unprepared<T: Row>(&mut self, q: &impl SqlxBinder) -> DbResult<Vec<T>> {
        self.trips.fetch_add(1, Ordering::Relaxed);
        let (sql, values) = build_for(self.backend(), q, Spans::OneTenant);
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => {
                sqlx::query_as_with::<Sqlite, T, _>(AssertSqlSafe(sql), values)
                    .persistent(false)
                    .fetch_all(&mut **tx)
                    .await?
            }
            TxInner::Postgres(tx) => {
                self.trips.fetch_add(2, Ordering::Relaxed);
                sqlx::raw_sql(PG_CUSTOM_PLANS_HERE)
                    .execute(&mut **tx)
                    .await?;
                let rows = sqlx::query_as_with::<Postgres, T, _>(AssertSqlSafe(sql), values)
                    .persistent(false)
                    .fetch_all(&mut **tx)
                    .await?;
                sqlx::raw_sql(PG_GENERIC_PLANS_HERE)
                    .execute(&mut **tx)
                    .await?;
                rows
            }
        })
    }

    /// Runs SQL text as it is (no parameters), for statements sea-query does not build.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn execute_raw(&mut self, sql: &'static str) -> DbResult<()> {
        match &mut self.inner {
            TxInner::Sqlite(tx) => sqlx::raw_sql(sql).execute(&mut **tx).await.map(drop)?,
            TxInner::Postgres(tx) => sqlx::raw_sql(sql).execute(&mut **tx).await.map(drop)?,
        }
        Ok(())
    }

    /// Makes the transaction's writes permanent.
    ///
    /// # Errors
    /// Any database failure.
    pub async fn commit(self) -> DbResult<()> {
        self.trips.fetch_add(1, Ordering::Relaxed);
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        self.commits.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use sea_query::{Expr, ExprTrait, Query, SqliteQueryBuilder};

    use super::unscoped_table;
    use crate::tenant::TenantScope;

    fn sql(q: &impl sea_query::QueryStatementWriter) -> String {
        q.to_string(SqliteQueryBuilder)
    }

    /// `.cargo/config.toml` builds SQLite with the query planner stability
    /// guarantee; without it every bound query is planned again once
    /// `ANALYZE` has run (the page benchmark's largest single cost).
    #[tokio::test]
    async fn sqlite_is_built_with_stable_plans() {
        let db = super::Db::connect("sqlite::memory:", super::DbOptions::default())
            .await
            .unwrap();
        assert_eq!(db.sqlite_plans_stable().await.unwrap(), Some(true));
    }

    #[test]
    fn a_statement_on_a_tenant_table_needs_its_tenant_condition() {
        let scope = TenantScope::for_tests(4);
        let scoped = scope.select("invoices_invoices").column("id").to_owned();
        assert_eq!(unscoped_table(&sql(&scoped)), None);
        let insert = scope
            .insert("tickets_tickets")
            .set("subject", "x")
            .statement();
        assert_eq!(unscoped_table(&sql(&insert)), None);
        let forgot = Query::select()
            .column("id")
            .from("invoices_invoices")
            .and_where(Expr::col("customer_id").eq(1))
            .to_owned();
        assert_eq!(unscoped_table(&sql(&forgot)), Some("invoices_invoices"));
        // Listing the column is no condition: that select spans every tenant.
        let listed = Query::select()
            .columns(["tenant_id", "url"])
            .from("core_tenant_urls")
            .to_owned();
        assert_eq!(unscoped_table(&sql(&listed)), Some("core_tenant_urls"));
        let update = Query::update()
            .table("mail_outbox")
            .value("status", "failed")
            .to_owned();
        assert_eq!(unscoped_table(&sql(&update)), Some("mail_outbox"));
        let shared = Query::select().column("id").from("core_tenants").to_owned();
        assert_eq!(unscoped_table(&sql(&shared)), None, "belongs to no tenant");
    }
}
