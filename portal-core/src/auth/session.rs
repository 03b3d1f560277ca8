//! Database-backed sessions (never poem's cookie session: SECURITY.md D).
//!
//! The cookie holds 256 random bits; the table keeps only their SHA-256.
//! A session is looked up together with its account and customer in one
//! query. It ends when idle longer than the tenant's idle timeout, at its
//! absolute expiry, at logout, or when the account is deactivated, deleted
//! or changes its password (other sessions). Stage `totp` is the step
//! between password and code: the context treats it as logged out.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_query::{Expr, ExprTrait, Query, SelectStatement};

use super::accounts::Account;
use super::{hash_secret, new_secret};
use crate::access::load::{CachedParts, PrincipalParts};
use crate::access::parts_cache::{PartsCache, PartsKey};
use crate::auth::session_keep::{Candidate, KeptAt, KeptSessions};
use crate::db::{Backend, Confirm, Db, DbError, Tx};
use crate::tenant::TenantScope;
use futures_util::future::BoxFuture;

/// Cookie name over plain http (development).
pub const SESSION_COOKIE: &str = "portal_session";
/// Cookie name over https: the `__Host-` prefix pins it to this host, path `/`, Secure.
pub const SESSION_COOKIE_HTTPS: &str = "__Host-portal_session";

/// The session cookie's name for this portal.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        SESSION_COOKIE_HTTPS
    } else {
        SESSION_COOKIE
    }
}

/// How far a session is: between password and code, or logged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Totp,
    Full,
}

impl Stage {
    /// As stored (`totp` or `full`; anything else is the code step).
    pub(crate) fn from_code(code: &str) -> Self {
        if code == "full" {
            Stage::Full
        } else {
            Stage::Totp
        }
    }

    fn code(self) -> &'static str {
        match self {
            Stage::Totp => "totp",
            Stage::Full => "full",
        }
    }
}

/// A live session with its account.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: i64,
    pub stage: Stage,
    /// A TOTP secret being enabled, until its first code verifies.
    pub pending_totp: Option<String>,
    /// The customer chosen in the header's switcher (parent accounts, seed
    /// 002): `None` for the account's own, `Some(0)` for "all".
    pub selected_customer_id: Option<i64>,
    pub account: Account,
    /// The account's roles, customers and location rights (see
    /// [`crate::access::load::principal_from`]), kept per process while
    /// the tenant's access version holds ([`crate::access::parts_cache`]).
    pub principal: Arc<PrincipalParts>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: i64,
    stage: String,
    pending_totp: Option<String>,
    selected_customer_id: Option<i64>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    access_version: i64,
    accounts_version: i64,
    #[sqlx(flatten)]
    account: Account,
}

// Every page reads its session: on SQLite on the calling thread (db/direct.rs).
crate::from_sqlite! {
    SessionRow { session_id, stage, pending_totp, selected_customer_id, last_seen_at,
        expires_at, access_version, accounts_version; flatten account }
}

/// Creates a session for `user_id`; returns the cookie value.
///
/// # Errors
/// A database failure.
pub async fn create(
    tx: &mut Tx,
    scope: TenantScope,
    user_id: i64,
    stage: Stage,
    lifetime: Duration,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<String, DbError> {
    let value = new_secret();
    let now = Utc::now();
    let q = Query::insert()
        .into_table("core_sessions")
        .columns([
            "token_hash",
            "tenant_id",
            "user_id",
            "stage",
            "created_at",
            "last_seen_at",
            "expires_at",
            "ip",
            "user_agent",
        ])
        .values_panic([
            hash_secret(&value).into(),
            scope.tenant_id().into(),
            user_id.into(),
            stage.code().into(),
            now.into(),
            now.into(),
            (now + lifetime).into(),
            ip.map(str::to_string).into(),
            user_agent
                .map(|u| u.chars().take(300).collect::<String>())
                .into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(value)
}

/// The session's own columns a look-up returns: the full look-up reads
/// them, the probe compares them (one list, so neither misses one).
fn session_columns(q: &mut SelectStatement) -> &mut SelectStatement {
    q.expr_as(Expr::col(("core_sessions", "id")), "session_id")
        .column(("core_sessions", "stage"))
        .column(("core_sessions", "pending_totp"))
        .column(("core_sessions", "selected_customer_id"))
        .column(("core_sessions", "last_seen_at"))
        .column(("core_sessions", "expires_at"))
}

/// The session with its account and its tenant's access version, by the
/// hash of its token. Its values are bound in this order: the tenant, the
/// hash, the tenant (what [`lookup`] passes as the kept statement's values).
fn session_statement(scope: TenantScope, token_hash: &str) -> SelectStatement {
    let mut q = super::accounts::select_accounts(scope);
    session_columns(&mut q)
        .inner_join(
            "core_sessions",
            Expr::col(("core_sessions", "user_id")).equals(("core_users", "id")),
        )
        .and_where(Expr::col(("core_sessions", "token_hash")).eq(token_hash))
        .and_where(Expr::col(("core_sessions", "tenant_id")).eq(scope.tenant_id()));
    crate::access::load::tenant_version_column(&mut q, "version");
    crate::access::load::tenant_version_column(&mut q, "accounts_version");
    q
}

/// What a kept session is checked against ([`crate::auth::session_keep`]):
/// the session's own row and the tenant's accounts version, by the hash
/// of its token. Bound in this order: the tenant, the hash.
fn probe_statement(scope: TenantScope, token_hash: &str) -> SelectStatement {
    let mut q = scope.select("core_sessions");
    session_columns(&mut q)
        .column(("core_sessions", "user_id"))
        .column(("core_access_versions", "accounts_version"))
        .inner_join(
            "core_access_versions",
            Expr::col(("core_access_versions", "tenant_id")).equals(("core_sessions", "tenant_id")),
        )
        .and_where(Expr::col(("core_sessions", "token_hash")).eq(token_hash))
        .to_owned()
}

/// The session's row as the probe reads it.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ProbeRow {
    pub session_id: i64,
    pub user_id: i64,
    pub stage: String,
    pub pending_totp: Option<String>,
    pub selected_customer_id: Option<i64>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accounts_version: i64,
}

crate::from_sqlite! {
    ProbeRow { session_id, user_id, stage, pending_totp, selected_customer_id, last_seen_at,
        expires_at, accounts_version }
}

/// The probe's columns, as [`ProbeRow`] names them.
const PROBE_COLUMNS: [&str; 8] = [
    "session_id",
    "user_id",
    "stage",
    "pending_totp",
    "selected_customer_id",
    "last_seen_at",
    "expires_at",
    "accounts_version",
];

/// The probe as a page's first read carries it on PostgreSQL
/// ([`crate::db::Confirm`]): its columns renamed `probe_*`, which no
/// read's own column is named.
fn joined_probe_statement(scope: TenantScope, token_hash: &str) -> SelectStatement {
    let mut q = Query::select();
    for column in PROBE_COLUMNS {
        q.expr_as(
            Expr::col(("probe", column)),
            sea_query::Alias::new(format!("probe_{column}")),
        );
    }
    q.from_subquery(probe_statement(scope, token_hash), "probe");
    q
}

impl ProbeRow {
    /// From the `probe_*` columns of a joined read.
    fn from_joined(row: &sqlx::postgres::PgRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        Ok(Self {
            session_id: row.try_get("probe_session_id")?,
            user_id: row.try_get("probe_user_id")?,
            stage: row.try_get("probe_stage")?,
            pending_totp: row.try_get("probe_pending_totp")?,
            selected_customer_id: row.try_get("probe_selected_customer_id")?,
            last_seen_at: row.try_get("probe_last_seen_at")?,
            expires_at: row.try_get("probe_expires_at")?,
            accounts_version: row.try_get("probe_accounts_version")?,
        })
    }
}

/// The session's row and the tenant's accounts version, by the probe's
/// kept statement; `None` when the session is gone.
async fn probe(db: &Db, scope: TenantScope, token_hash: &str) -> Result<Option<ProbeRow>, DbError> {
    static PROBE_SQL: crate::db::FixedSql = crate::db::FixedSql::new();
    db.fetch_optional_fixed(
        &PROBE_SQL,
        || probe_statement(scope, token_hash),
        vec![scope.tenant_id().into(), token_hash.into()],
    )
    .await
}

/// The live session for a cookie value on this tenant, with its account;
/// `None` when unknown, of another tenant, expired, idle too long, or its
/// account or customer is inactive. Refreshes `last_seen_at` at most once
/// a minute (a write per page would be the budget's biggest cost). A
/// session this process kept (`kept`) is checked by a probe of its own
/// row and the tenant's accounts version only
/// ([`crate::auth::session_keep`]).
///
/// # Errors
/// A database failure.
pub async fn lookup(
    db: &Db,
    parts: &PartsCache,
    kept: &KeptSessions,
    scope: TenantScope,
    cookie_value: &str,
    idle: Duration,
) -> Result<Option<Arc<Session>>, DbError> {
    if !well_formed(cookie_value) {
        return Ok(None);
    }
    lookup_kept_or_full(db, parts, kept, scope, hash_secret(cookie_value), idle).await
}

/// A session cookie's value has the form of one.
fn well_formed(cookie_value: &str) -> bool {
    cookie_value.len() == 64 && cookie_value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// [`lookup`] after the cookie's hash: the kept session checked by the
/// probe, else the full look-up.
async fn lookup_kept_or_full(
    db: &Db,
    parts: &PartsCache,
    kept: &KeptSessions,
    scope: TenantScope,
    token_hash: String,
    idle: Duration,
) -> Result<Option<Arc<Session>>, DbError> {
    if let Some(candidate) = kept.candidate(scope.tenant_id(), &token_hash, idle, Utc::now())
        && let Some(row) = probe(db, scope, &token_hash).await?
        && candidate.still(&row, idle, Utc::now())
    {
        kept.hit();
        return Ok(Some(candidate.session));
    }
    let found = lookup_in_full(db, parts, scope, &token_hash, idle)
        .await?
        .map(|(session, at)| (Arc::new(session), at));
    match &found {
        Some((session, at)) => kept.put(scope.tenant_id(), &token_hash, session, *at),
        None => kept.forget(scope.tenant_id(), &token_hash),
    }
    Ok(found.map(|(session, _)| session))
}

/// As [`lookup`], for a page: where `may_defer` (a GET or HEAD page) and
/// the database is PostgreSQL, a kept session is returned at once with
/// its probe owed ([`Confirm`]: the middleware runs the page within it
/// and settles it before answering) instead of checked first.
///
/// # Errors
/// A database failure.
pub async fn lookup_for_page(
    db: &Db,
    parts: &Arc<PartsCache>,
    kept: &Arc<KeptSessions>,
    scope: TenantScope,
    cookie_value: &str,
    idle: Duration,
    may_defer: bool,
) -> Result<Option<(Arc<Session>, Option<Arc<Confirm>>)>, DbError> {
    if !well_formed(cookie_value) {
        return Ok(None);
    }
    let token_hash = hash_secret(cookie_value);
    if may_defer
        && db.backend() == Backend::Postgres
        && let Some(candidate) = kept.candidate(scope.tenant_id(), &token_hash, idle, Utc::now())
    {
        static JOINED_PROBE_SQL: crate::db::FixedSql = crate::db::FixedSql::new();
        let values = vec![scope.tenant_id().into(), token_hash.as_str().into()];
        let sql = JOINED_PROBE_SQL.postgres(|| joined_probe_statement(scope, &token_hash), &values);
        let page = Arc::clone(&candidate.session);
        let check = KeptCheck {
            candidate,
            idle,
            parts: Arc::clone(parts),
            kept: Arc::clone(kept),
            scope,
            token_hash,
        };
        return Ok(Some((
            page,
            Some(Confirm::new(sql, values, Box::new(check))),
        )));
    }
    let found = lookup_kept_or_full(db, parts, kept, scope, token_hash, idle).await?;
    Ok(found.map(|s| (s, None)))
}

/// A kept session whose probe a page's first read carries.
struct KeptCheck {
    candidate: Candidate,
    idle: Duration,
    parts: Arc<PartsCache>,
    kept: Arc<KeptSessions>,
    scope: TenantScope,
    token_hash: String,
}

impl crate::db::Check for KeptCheck {
    /// The probe's row says what was kept, checked by the clock when it is read.
    fn stands(&self, row: Option<&sqlx::postgres::PgRow>) -> Result<bool, sqlx::Error> {
        Ok(match row {
            Some(row) => self
                .candidate
                .still(&ProbeRow::from_joined(row)?, self.idle, Utc::now()),
            None => false,
        })
    }

    /// When the probe refuses (most often because the tenant's accounts
    /// version moved for another account): the full look-up, as the page
    /// would have run it; the page stands when it finds this very session
    /// as kept (an account's last used code step aside, see
    /// [`crate::auth::session_keep`]). It refreshes the kept entry either way.
    fn rescue(&self, db: Db) -> BoxFuture<'static, Result<bool, DbError>> {
        let (parts, kept) = (Arc::clone(&self.parts), Arc::clone(&self.kept));
        let (scope, token_hash, idle) = (self.scope, self.token_hash.clone(), self.idle);
        let page = Arc::clone(&self.candidate.session);
        Box::pin(async move {
            let fresh = lookup_kept_or_full(&db, &parts, &kept, scope, token_hash, idle).await?;
            Ok(fresh.is_some_and(|fresh| same_for_a_page(&fresh, &page)))
        })
    }
}

/// Two reads of one session say the same for a page: every column but the
/// account's last used code step (which a kept copy may hold older).
fn same_for_a_page(a: &Session, b: &Session) -> bool {
    let step = |s: &Session| Session {
        account: Account {
            totp_last_step: None,
            ..s.account.clone()
        },
        ..s.clone()
    };
    step(a) == step(b)
}

/// The session in full: one statement, the account's parts (kept per
/// access version), the main account's state for other accounts.
async fn lookup_in_full(
    db: &Db,
    parts: &PartsCache,
    scope: TenantScope,
    token_hash: &str,
    idle: Duration,
) -> Result<Option<(Session, KeptAt)>, DbError> {
    let build = || session_statement(scope, token_hash);
    // Every page reads this: its SQL is built once (`SESSION_SQL`).
    static SESSION_SQL: crate::db::FixedSql = crate::db::FixedSql::new();
    let values = || {
        vec![
            scope.tenant_id().into(),
            token_hash.into(),
            scope.tenant_id().into(),
        ]
    };
    // A second pass only when the account changed customer or kind between
    // the session's statement and its parts' (never two states in one page).
    for _ in 0..3 {
        let Some(row) = db
            .fetch_optional_fixed::<SessionRow>(&SESSION_SQL, build, values())
            .await?
        else {
            return Ok(None);
        };
        let now = Utc::now();
        let a = &row.account;
        let usable = row.expires_at > now
            && row.last_seen_at + idle > now
            && a.active
            && a.customer_active
            && (a.is_main
                || super::accounts::main_account_active(db, scope, a.customer_id).await?);
        if !usable {
            end_by_id(db, scope, row.session_id).await?;
            return Ok(None);
        }
        let mut last_seen_at = row.last_seen_at;
        if now - row.last_seen_at > Duration::seconds(60) {
            // Two processes refreshing at once may move it back by a
            // moment: harmless (the kept path reads the row's value).
            let refreshed = db
                .execute(
                    &scope
                        .update("core_sessions")
                        .value("last_seen_at", now)
                        .and_where(Expr::col("id").eq(row.session_id))
                        .to_owned(),
                )
                .await?;
            if refreshed == 1 {
                last_seen_at = now;
            }
        }
        let key = PartsKey {
            tenant_id: scope.tenant_id(),
            user_id: a.id,
            customer_id: a.customer_id,
            is_main: a.is_main,
            version: row.access_version,
        };
        let principal = match crate::access::load::cached_parts(db, parts, scope, key).await? {
            CachedParts::Parts(p) => p,
            CachedParts::Moved => continue,
            CachedParts::Gone => return Ok(None),
        };
        let at = KeptAt {
            version: row.accounts_version,
            last_seen_at,
            expires_at: row.expires_at,
        };
        let session = Session {
            id: row.session_id,
            stage: Stage::from_code(&row.stage),
            pending_totp: row.pending_totp,
            selected_customer_id: row.selected_customer_id,
            account: row.account,
            principal,
        };
        return Ok(Some((session, at)));
    }
    // Moved on every pass: treated as logged out for this one request.
    Ok(None)
}

/// Ends one session.
///
/// # Errors
/// A database failure.
pub async fn end_by_id(db: &Db, scope: TenantScope, id: i64) -> Result<(), DbError> {
    db.execute(&delete_one(scope, id)).await.map(drop)
}

fn delete_one(scope: TenantScope, id: i64) -> sea_query::DeleteStatement {
    scope
        .delete("core_sessions")
        .and_where(Expr::col("id").eq(id))
        .to_owned()
}

/// Ends one session inside a transaction.
///
/// # Errors
/// A database failure.
pub async fn end_in(tx: &mut Tx, scope: TenantScope, id: i64) -> Result<(), DbError> {
    tx.execute(&delete_one(scope, id)).await.map(drop)
}

/// Ends every session of an account, except `keep` (the one in use).
///
/// # Errors
/// A database failure.
pub async fn end_all_for_user(
    tx: &mut Tx,
    scope: TenantScope,
    user_id: i64,
    keep: Option<i64>,
) -> Result<u64, DbError> {
    let mut q = scope
        .delete("core_sessions")
        .and_where(Expr::col("user_id").eq(user_id))
        .to_owned();
    if let Some(k) = keep {
        q.and_where(Expr::col("id").ne(k));
    }
    tx.execute(&q).await
}

/// Ends every session of every account of a customer (its main account was deactivated).
///
/// # Errors
/// A database failure.
pub async fn end_all_for_customer(
    tx: &mut Tx,
    scope: TenantScope,
    customer_id: i64,
) -> Result<u64, DbError> {
    let users = scope
        .select("core_users")
        .column("id")
        .and_where(Expr::col("customer_id").eq(customer_id))
        .to_owned();
    let q = scope
        .delete("core_sessions")
        .and_where(Expr::col("user_id").in_subquery(users))
        .to_owned();
    tx.execute(&q).await
}

/// Stores (or clears) the TOTP secret being enabled in this session.
///
/// # Errors
/// A database failure.
pub async fn set_pending_totp(
    db: &Db,
    scope: TenantScope,
    id: i64,
    secret: Option<&str>,
) -> Result<(), DbError> {
    db.execute(
        &scope
            .update("core_sessions")
            .value("pending_totp", secret.map(str::to_string))
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
    .map(drop)
}

/// Removes sessions past their absolute expiry (housekeeping; lookups
/// refuse them anyway).
///
/// # Errors
/// A database failure.
pub async fn purge_expired(db: &Db) -> Result<u64, DbError> {
    db.execute_across_tenants(
        &Query::delete()
            .from_table("core_sessions")
            .and_where(Expr::col("expires_at").lt(Utc::now()))
            .to_owned(),
    )
    .await
}

/// Stores the customer chosen in the header's switcher (`0`: all).
///
/// # Errors
/// A database failure.
pub async fn set_selected_customer(
    db: &Db,
    scope: TenantScope,
    id: i64,
    customer_id: i64,
) -> Result<(), DbError> {
    db.execute(
        &scope
            .update("core_sessions")
            .value("selected_customer_id", customer_id)
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
    .map(drop)
}
