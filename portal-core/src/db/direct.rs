//! SQLite reads on the calling thread, for the reads every page makes.
//!
//! sqlx runs each SQLite connection on a thread of its own: a query is a
//! message to that thread, every value of every row is copied there
//! (`sqlite3_value_dup`) and sent back, and both sides park and wake on
//! the way. For the logged-in invoice list that was a fifth of the
//! process's CPU on the connection threads alone, and much of the kernel's
//! thread switching besides (perf, bench/RESULTS.md). Here a read runs on
//! the thread that asks for it, through `rusqlite` on the same bundled
//! SQLite, and decodes straight from SQLite's own buffers.
//!
//! Only for short reads: an index lookup, one page of a list. The read
//! holds its async worker while it runs (microseconds for such a read); a
//! bulk read within a tenant goes through [`super::Db::fetch_all_bulk`]
//! and stays on sqlx's threads. Every row type ([`super::Row`]) implements
//! [`FromSqlite`] beside its `sqlx::FromRow` (`from_sqlite!`); the tests
//! below read every column kind both ways and compare.
//!
//! Bound values are encoded exactly as sqlx encodes them (a date as
//! `%F`, a timestamp as RFC 3339, a bool as 0/1), so a comparison with a
//! stored value means the same on both paths; a value of a kind not listed
//! here sends the read back to sqlx's path instead of guessing.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::types::{FromSql, Value as SqlValue, ValueRef};
use rusqlite::{Connection, OpenFlags};

/// How long a direct read waits for a lock before it gives the read to
/// sqlx's connection threads (which wait the configured `busy_timeout`):
/// a WAL reader waits only in rare cases (recovery after a crash, another
/// process with an exclusive lock), and here it would hold an async worker.
const BUSY_HERE: Duration = Duration::from_millis(20);

/// Statements each connection keeps prepared (rusqlite's default is 16;
/// every module's list and look-up reads go through here).
const STATEMENT_CACHE: usize = 128;

/// A row that decodes itself from a SQLite row read on the calling thread.
pub trait FromSqlite: Sized {
    /// The columns the row reads itself, in field order (without those of
    /// its flattened parts; none for a tuple, which reads by position): a
    /// query can select exactly these.
    const COLUMNS: &'static [&'static str];

    /// Reads the row's columns by name.
    ///
    /// # Errors
    /// A column is missing or holds a value of another type.
    fn from_sqlite(row: &Cells<'_>) -> Result<Self, CellError>;
}

/// One row of a direct read, with its statement's column names.
pub struct Cells<'a> {
    row: &'a rusqlite::Row<'a>,
    /// Read once per statement: rusqlite's own look-up by name asks SQLite
    /// for each column's name and compares it without case, per field and
    /// row.
    names: &'a [String],
}

impl Cells<'_> {
    /// The value of the column `name` (its exact name, as sqlx matches it).
    ///
    /// # Errors
    /// No such column, or its value does not decode as `T`.
    pub fn get<T: Cell>(&self, name: &str) -> Result<T, CellError> {
        let at = self
            .names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| CellError(rusqlite::Error::InvalidColumnName(name.to_owned())))?;
        self.get_at(at, name)
    }

    /// The value of the column at `at` (a tuple's element), `name` for the
    /// error.
    fn get_at<T: Cell>(&self, at: usize, name: &str) -> Result<T, CellError> {
        let value = self.row.get_ref(at).map_err(CellError)?;
        T::read(value).map_err(|e| {
            CellError(rusqlite::Error::FromSqlConversionFailure(
                at,
                value.data_type(),
                format!("column {name}: {e}").into(),
            ))
        })
    }
}

/// A column that could not be read; its text names the column's index and type.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct CellError(rusqlite::Error);

/// A column type a [`FromSqlite`] row can hold, decoded as sqlx decodes it.
pub trait Cell: Sized {
    /// # Errors
    /// The value is not of this type.
    fn read(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self>;
}

macro_rules! cell_as_rusqlite_reads_it {
    ($($t:ty),*) => {$(
        impl Cell for $t {
            fn read(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                <$t as FromSql>::column_result(value)
            }
        }
    )*};
}
cell_as_rusqlite_reads_it!(i64, i32, f64, bool, String, Vec<u8>);

impl Cell for NaiveDate {
    /// sqlx writes `YYYY-MM-DD`; read those ten digits and dashes directly
    /// (rusqlite's parse walks the format string `%F` on every call: a
    /// list of invoices has a few dates a row), anything else as before.
    fn read(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        if let ValueRef::Text(&[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]) = value {
            let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
            if digits.iter().all(u8::is_ascii_digit) {
                let n = |ds: &[u8]| ds.iter().fold(0_u32, |n, d| n * 10 + u32::from(d - b'0'));
                #[allow(clippy::cast_possible_wrap)] // at most 9999
                let year = n(&digits[..4]) as i32;
                if let Some(d) = NaiveDate::from_ymd_opt(year, n(&digits[4..6]), n(&digits[6..])) {
                    return Ok(d);
                }
            }
        }
        <NaiveDate as FromSql>::column_result(value)
    }
}

impl Cell for DateTime<Utc> {
    /// sqlx writes RFC 3339; parse that first (rusqlite's own parse walks
    /// a format string on every call), then the other forms it accepts
    /// (`CURRENT_TIMESTAMP`'s, a Unix time).
    fn read(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        if let ValueRef::Text(t) = value
            && let Ok(at) = std::str::from_utf8(t).map(DateTime::parse_from_rfc3339)
            && let Ok(at) = at
        {
            return Ok(at.with_timezone(&Utc));
        }
        <DateTime<Utc> as FromSql>::column_result(value)
    }
}

impl<T: Cell> Cell for Option<T> {
    fn read(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        match value {
            ValueRef::Null => Ok(None),
            v => T::read(v).map(Some),
        }
    }
}

/// A tuple reads its columns by position, as sqlx's `FromRow` for tuples does.
macro_rules! tuple_from_sqlite {
    ($(($($t:ident $i:tt),+))*) => {$(
        impl<$($t: Cell),+> FromSqlite for ($($t,)+) {
            const COLUMNS: &'static [&'static str] = &[];

            fn from_sqlite(row: &Cells<'_>) -> Result<Self, CellError> {
                Ok(($(row.get_at::<$t>($i, stringify!($i))?,)+))
            }
        }
    )*};
}
tuple_from_sqlite! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
}

/// The values of a statement as sqlx would bind them; `None` when one is of
/// a kind this path does not encode (the caller then reads through sqlx).
pub(crate) fn bind(values: &sea_query::Values) -> Option<Vec<SqlValue>> {
    use sea_query::Value as V;
    fn int(i: Option<i64>) -> SqlValue {
        i.map_or(SqlValue::Null, SqlValue::Integer)
    }
    values
        .0
        .iter()
        .map(|v| {
            Some(match v {
                V::Bool(b) => int(b.map(i64::from)),
                V::TinyInt(i) => int(i.map(i64::from)),
                V::SmallInt(i) => int(i.map(i64::from)),
                V::Int(i) => int(i.map(i64::from)),
                V::BigInt(i) => int(*i),
                V::TinyUnsigned(i) => int(i.map(i64::from)),
                V::SmallUnsigned(i) => int(i.map(i64::from)),
                V::Unsigned(i) => int(i.map(i64::from)),
                // A `LIMIT` is one; past `i64::MAX` sqlx refuses it too.
                V::BigUnsigned(i) => match i {
                    Some(u) => SqlValue::Integer(i64::try_from(*u).ok()?),
                    None => SqlValue::Null,
                },
                V::Double(d) => d.map_or(SqlValue::Null, SqlValue::Real),
                V::String(s) => s.clone().map_or(SqlValue::Null, SqlValue::Text),
                V::Bytes(b) => b.clone().map_or(SqlValue::Null, SqlValue::Blob),
                V::ChronoDate(d) => d.map_or(SqlValue::Null, |d| {
                    SqlValue::Text(d.format("%F").to_string())
                }),
                V::ChronoDateTimeUtc(t) => t.map_or(SqlValue::Null, |t| {
                    SqlValue::Text(t.to_rfc3339_opts(SecondsFormat::AutoSi, false))
                }),
                _ => return None,
            })
        })
        .collect()
}

/// Read-only connections to one SQLite file, used on the calling thread.
#[derive(Debug)]
pub(crate) struct Direct {
    file: PathBuf,
    /// Connections between reads. A read is synchronous, so at most one
    /// per thread that reads at once is ever out.
    idle: Mutex<Vec<Connection>>,
    closed: AtomicBool,
}

impl Direct {
    pub(crate) fn new(file: PathBuf) -> Self {
        Self {
            file,
            idle: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
        }
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_HERE)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    /// Runs `sql` with `values` and decodes each row; at most `limit` rows.
    ///
    /// # Errors
    /// The database is busy ([`Refused::Busy`]: read it elsewhere), closed,
    /// the statement fails or a row does not decode.
    pub(crate) fn read<T: FromSqlite>(
        &self,
        sql: &str,
        values: Vec<SqlValue>,
        limit: usize,
    ) -> Result<Vec<T>, Refused> {
        if self.closed.load(Ordering::Acquire) {
            return Err(Refused::Failed(sqlx::Error::PoolClosed));
        }
        let conn = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match conn {
            Some(c) => c,
            None => self.open().map_err(refused)?,
        };
        let rows = Self::run(&conn, sql, values, limit);
        // A statement is reset when its rows are dropped, so the connection
        // is clean whatever happened to this read; after `close` it is
        // dropped instead of kept.
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if !self.closed.load(Ordering::Acquire) {
            idle.push(conn);
        }
        rows
    }

    fn run<T: FromSqlite>(
        conn: &Connection,
        sql: &str,
        values: Vec<SqlValue>,
        limit: usize,
    ) -> Result<Vec<T>, Refused> {
        let mut stmt = conn.prepare_cached(sql).map_err(refused)?;
        let names: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values))
            .map_err(refused)?;
        let mut out = Vec::new();
        while out.len() < limit
            && let Some(row) = rows.next().map_err(refused)?
        {
            out.push(
                T::from_sqlite(&Cells { row, names: &names })
                    .map_err(|e| Refused::Failed(sqlx::Error::Decode(Box::new(e))))?,
            );
        }
        Ok(out)
    }

    /// Closes the idle connections (the database is closing).
    pub(crate) fn close(&self) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        self.closed.store(true, Ordering::Release);
        idle.clear();
    }
}

/// Why a direct read gave no rows.
#[derive(Debug)]
pub(crate) enum Refused {
    /// The file was locked longer than [`BUSY_HERE`].
    Busy,
    /// Any other failure, as the `sqlx::Error` the rest of `db` carries.
    Failed(sqlx::Error),
}

fn refused(e: rusqlite::Error) -> Refused {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            Refused::Busy
        }
        _ => Refused::Failed(sqlx::Error::Protocol(format!(
            "SQLite (read on the calling thread): {e}"
        ))),
    }
}

/// Implements [`FromSqlite`] for a struct whose fields are read from the
/// columns of their own names (as `#[derive(sqlx::FromRow)]` reads them);
/// the fields after `; flatten` are structs read from the same row (sqlx's
/// `#[sqlx(flatten)]`). Every field must be named: the struct literal it
/// expands to does not compile otherwise.
///
/// ```
/// use portal_core::db::FromSqlite;
///
/// #[derive(portal_core::sqlx::FromRow)]
/// struct Customer { name: String, active: bool }
/// #[derive(portal_core::sqlx::FromRow)]
/// struct Listed {
///     id: i64,
///     #[sqlx(flatten)]
///     customer: Customer,
/// }
/// portal_core::from_sqlite!(Customer { name, active });
/// portal_core::from_sqlite!(Listed { id; flatten customer });
///
/// assert_eq!(<Listed as FromSqlite>::COLUMNS, ["id"]);
/// assert_eq!(<Customer as FromSqlite>::COLUMNS, ["name", "active"]);
/// ```
#[macro_export]
macro_rules! from_sqlite {
    ($t:ty { $($field:ident),* $(,)? $(; flatten $($inner:ident),+ $(,)?)? }) => {
        impl $crate::db::FromSqlite for $t {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn from_sqlite(
                row: &$crate::db::Cells<'_>,
            ) -> ::std::result::Result<Self, $crate::db::CellError> {
                Ok(Self {
                    $($field: row.get(stringify!($field))?,)*
                    $($($inner: $crate::db::FromSqlite::from_sqlite(row)?,)+)?
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};
    use sea_query::{Expr, ExprTrait, Order};

    use crate::db::{Db, DbOptions};
    use crate::tenant::TenantScope;

    /// Every kind of column a row can hold, read both ways (and compared
    /// through `Debug`).
    #[allow(dead_code)]
    #[derive(Debug, sqlx::FromRow)]
    struct Kinds {
        id: i64,
        small: i32,
        name: String,
        note: Option<String>,
        flag: bool,
        ratio: f64,
        day: NaiveDate,
        due: Option<NaiveDate>,
        at: DateTime<Utc>,
        raw: Vec<u8>,
    }
    crate::from_sqlite! {
        Kinds { id, small, name, note, flag, ratio, day, due, at, raw }
    }

    /// The same row with a flattened part, as the session row has.
    #[allow(dead_code)]
    #[derive(Debug, sqlx::FromRow)]
    struct Outer {
        id: i64,
        #[sqlx(flatten)]
        inner: Inner,
    }
    #[allow(dead_code)]
    #[derive(Debug, sqlx::FromRow)]
    struct Inner {
        name: String,
        at: DateTime<Utc>,
    }
    crate::from_sqlite! {
        Outer { id; flatten inner }
    }
    crate::from_sqlite! {
        Inner { name, at }
    }

    async fn db_with_rows(dir: &tempfile::TempDir) -> Db {
        let url = format!("sqlite://{}", dir.path().join("d.db").display());
        let db = Db::connect(&url, DbOptions::default()).await.unwrap();
        db.execute_raw(
            "CREATE TABLE kinds (id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, \
             small INTEGER NOT NULL, name TEXT NOT NULL, note TEXT, flag BOOLEAN NOT NULL, \
             ratio REAL NOT NULL, day TEXT NOT NULL, due TEXT, at TEXT NOT NULL, raw BLOB NOT NULL)",
        )
        .await
        .unwrap();
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 13, 5, 9).unwrap();
        // id, name, note, flag, due, at
        type Fields<'a> = (
            i64,
            &'a str,
            Option<&'a str>,
            bool,
            Option<NaiveDate>,
            DateTime<Utc>,
        );
        let rows: [Fields<'_>; 4] = [
            (1, "<b>één</b> \u{202e}", None, true, None, at),
            (
                2,
                "",
                Some("x'; --"),
                false,
                NaiveDate::from_ymd_opt(1, 1, 1),
                at,
            ),
            (
                3,
                "plain",
                Some(""),
                true,
                NaiveDate::from_ymd_opt(9999, 12, 31),
                at + chrono::Duration::nanoseconds(123_456_789),
            ),
            (4, "other tenant", None, false, None, at),
        ];
        for (id, name, note, flag, due, at) in rows {
            let q = TenantScope::for_tests(if id == 4 { 2 } else { 1 })
                .insert("kinds")
                .set("id", id)
                .set("small", i32::try_from(id).unwrap() * -7)
                .set("name", name)
                .set("note", note.map(str::to_owned))
                .set("flag", flag)
                .set("ratio", 0.1 * id as f64)
                .set(
                    "day",
                    NaiveDate::from_ymd_opt(2026, 1, u32::try_from(id).unwrap()).unwrap(),
                )
                .set("due", due)
                .set("at", at)
                .set("raw", vec![0_u8, 159, 146, 150, u8::try_from(id).unwrap()])
                .statement();
            db.execute_across_tenants(&q).await.unwrap();
        }
        // A timestamp as SQLite's CURRENT_TIMESTAMP writes it (no offset).
        db.execute_raw("UPDATE kinds SET at = '2026-12-06 13:05:09' WHERE id = 2")
            .await
            .unwrap();
        // A date without leading zeros (not the ten-character fast path).
        db.execute_raw("UPDATE kinds SET due = '2026-1-5' WHERE id = 1")
            .await
            .unwrap();
        db
    }

    fn select(cond: Option<sea_query::SimpleExpr>) -> sea_query::SelectStatement {
        let mut q = TenantScope::for_tests(1).select("kinds");
        q.columns(<Kinds as super::FromSqlite>::COLUMNS.iter().copied())
            .order_by("id", Order::Asc);
        if let Some(c) = cond {
            q.and_where(c);
        }
        q
    }

    /// `fetch_all` within a tenant reads on the calling thread; a read
    /// across tenants goes through sqlx: both must give the same rows.
    #[tokio::test]
    async fn a_direct_read_gives_what_sqlx_gives() {
        let dir = tempfile::tempdir().unwrap();
        let db = db_with_rows(&dir).await;
        let trips = db.round_trips();
        let direct: Vec<Kinds> = db.fetch_all(&select(None)).await.unwrap();
        assert_eq!(
            db.round_trips(),
            trips + 1,
            "a direct read counts as a round trip"
        );
        // A `LIMIT` is a bound u64: it stays on the direct path.
        let mut two = select(None);
        two.limit(2);
        assert_eq!(
            super::bind(&two.build(sea_query::SqliteQueryBuilder).1).map(|v| v.len()),
            Some(2),
            "the tenant and the limit"
        );
        let limited: Vec<Kinds> = db.fetch_all(&two).await.unwrap();
        assert_eq!(limited.len(), 2);
        let sqlx: Vec<Kinds> = db.fetch_all_across_tenants(&select(None)).await.unwrap();
        assert_eq!(direct.len(), 3, "the other tenant's row stays out");
        assert_eq!(format!("{direct:?}"), format!("{sqlx:?}"));

        // Bound values compare with stored ones as sqlx's bindings do.
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 13, 5, 9).unwrap();
        let conditions = [
            Expr::col("flag").eq(true),
            Expr::col("day").gt(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            Expr::col("at").gt(at),
            Expr::col("at").eq(at),
            Expr::col("note").eq(""),
            Expr::col("raw").eq(vec![0_u8, 159, 146, 150, 3]),
            Expr::col("small").lt(-7_i16),
            Expr::col("id").lt(3_u64),
        ];
        for c in conditions {
            let direct: Vec<Kinds> = db.fetch_all(&select(Some(c.clone()))).await.unwrap();
            let sqlx: Vec<Kinds> = db
                .fetch_all_across_tenants(&select(Some(c.clone())))
                .await
                .unwrap();
            assert_eq!(format!("{direct:?}"), format!("{sqlx:?}"), "{c:?}");
            assert!(!direct.is_empty(), "{c:?} matches a row");
        }

        // A value kind the direct path does not bind goes through sqlx.
        let uuid = Expr::col("name")
            .ne(uuid::Uuid::nil().to_string())
            .and(Expr::col("name").ne(sea_query::Value::Uuid(Some(uuid::Uuid::nil()))));
        let direct: Vec<Kinds> = db.fetch_all(&select(Some(uuid))).await.unwrap();
        assert_eq!(direct.len(), 3);

        let one: Option<Outer> = db
            .fetch_optional(&select(Some(Expr::col("id").eq(3))))
            .await
            .unwrap();
        let via_sqlx: Option<Outer> = db
            .fetch_optional_across_tenants(&select(Some(Expr::col("id").eq(3))))
            .await
            .unwrap();
        assert!(one.is_some());
        assert_eq!(format!("{one:?}"), format!("{via_sqlx:?}"));
        let none: Option<Outer> = db
            .fetch_optional(&select(Some(Expr::col("id").eq(4))))
            .await
            .unwrap();
        assert!(none.is_none());
    }

    /// A bulk read within a tenant goes through sqlx and gives the same rows.
    #[tokio::test]
    async fn a_bulk_read_gives_what_a_direct_read_gives() {
        let dir = tempfile::tempdir().unwrap();
        let db = db_with_rows(&dir).await;
        let direct: Vec<Kinds> = db.fetch_all(&select(None)).await.unwrap();
        let bulk: Vec<Kinds> = db.fetch_all_bulk(&select(None)).await.unwrap();
        assert_eq!(bulk.len(), 3);
        assert_eq!(format!("{direct:?}"), format!("{bulk:?}"));
    }

    /// A file another process holds locked: the direct read gives up
    /// after a moment (`Db` then reads through sqlx's connection thread,
    /// which waits `busy_timeout`, instead of the async worker), and reads
    /// again once the lock is gone.
    #[test]
    fn a_locked_file_is_refused_as_busy() {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async { db_with_rows(&dir).await.close().await });
        let file = dir.path().join("d.db");
        // Exclusive locking in WAL mode: no other connection may read.
        let holder = rusqlite::Connection::open(&file).unwrap();
        holder
            .execute_batch(
                "PRAGMA locking_mode = EXCLUSIVE; BEGIN IMMEDIATE; \
                 UPDATE kinds SET small = small WHERE id = 1; COMMIT;",
            )
            .unwrap();
        let (sql, values) = select(None).build(sea_query::SqliteQueryBuilder);
        let direct = super::Direct::new(file);
        let read = || direct.read::<Kinds>(&sql, super::bind(&values).unwrap(), usize::MAX);
        assert!(matches!(read(), Err(super::Refused::Busy)));
        drop(holder);
        assert_eq!(read().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn a_bad_column_or_a_closed_database_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let db = db_with_rows(&dir).await;
        // `name` is text: it does not decode as `Inner::at`.
        let mut q = TenantScope::for_tests(1).select("kinds");
        q.column("id")
            .expr_as(Expr::col("name"), "name")
            .expr_as(Expr::col("name"), "at");
        let err = db.fetch_all::<Outer>(&q).await.unwrap_err();
        assert!(err.to_string().contains("column at"), "{err}");
        let mut missing = TenantScope::for_tests(1).select("kinds");
        missing.column("id");
        let err = db.fetch_all::<Outer>(&missing).await.unwrap_err();
        assert!(
            err.to_string().contains("name"),
            "names the missing column: {err}"
        );
        // The connection that failed still serves the next read.
        assert_eq!(db.fetch_all::<Kinds>(&select(None)).await.unwrap().len(), 3);
        db.close().await;
        assert!(db.fetch_all::<Kinds>(&select(None)).await.is_err());
    }
}
