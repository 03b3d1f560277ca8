//! Failure counters with a growing temporary lockout, in the database so
//! every portal process sees the same counts (SECURITY.md 35).
//!
//! A key names what is counted: `login:<hash of what was typed>` (so an
//! unknown account is throttled exactly like a known one), `ip:<address>`,
//! `totp:<user id>`, `link:<...>`. Within `window`, `max` failures are
//! free; each further one locks the key for `lock`, doubling per failure up
//! to `max_lock`. A locked login answers exactly like a wrong password.
//! How the login keys work together (identity, device, distinct identities
//! per address) is in ARCHITECTURE.md, "Login throttling".

use chrono::{DateTime, Duration, Utc};
use sea_query::{Expr, ExprTrait, OnConflict, Query};

use crate::db::{Db, DbError};
use crate::tenant::TenantScope;

/// How many failures a key may have, and how it locks.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window: Duration,
    pub lock: Duration,
    pub max_lock: Duration,
}

/// Wrong passwords per account (what was typed): 5 free per 15 minutes,
/// then a delay that starts at 15 seconds and doubles per failure up to 15
/// minutes. A browser that logged in to the account before is counted on
/// its own key ([`super::device`]), and a completed reset lifts the delay:
/// someone without the password cannot keep the owner out.
pub const LOGIN_ACCOUNT: Limit = Limit {
    max: 5,
    window: Duration::minutes(15),
    lock: Duration::seconds(15),
    max_lock: Duration::minutes(15),
};

/// Distinct identities with a wrong password per client address (many
/// accounts tried from one place): an office behind one address, where one
/// person mistypes thirty times, counts one.
pub const LOGIN_ADDRESS: Limit = Limit {
    max: 30,
    window: Duration::minutes(15),
    lock: Duration::minutes(5),
    max_lock: Duration::hours(1),
};

/// Counts failures of one identity from one address, only to tell a new
/// identity for [`LOGIN_ADDRESS`]; never locks.
pub const LOGIN_ADDRESS_IDENTITY: Limit = Limit {
    max: i64::MAX,
    window: Duration::minutes(15),
    lock: Duration::seconds(0),
    max_lock: Duration::seconds(0),
};

/// Wrong TOTP codes per account.
pub const TOTP: Limit = Limit {
    max: 5,
    window: Duration::minutes(15),
    lock: Duration::minutes(1),
    max_lock: Duration::hours(1),
};

/// Reset and resend requests per account: 3 mails an hour.
pub const LINK_ACCOUNT: Limit = Limit {
    max: 3,
    window: Duration::hours(1),
    lock: Duration::hours(1),
    max_lock: Duration::hours(1),
};

/// Reset, resend and registration requests per client address.
pub const LINK_ADDRESS: Limit = Limit {
    max: 20,
    window: Duration::hours(1),
    lock: Duration::hours(1),
    max_lock: Duration::hours(1),
};

#[derive(sqlx::FromRow)]
struct Row {
    failures: i64,
    window_start: DateTime<Utc>,
    locked_until: Option<DateTime<Utc>>,
}
crate::from_sqlite! {
    Row { failures, window_start, locked_until }
}

async fn row(db: &Db, scope: TenantScope, key: &str) -> Result<Option<Row>, DbError> {
    let q = scope
        .select("core_throttle")
        .columns(["failures", "window_start", "locked_until"])
        .and_where(Expr::col("key").eq(key))
        .to_owned();
    db.fetch_optional(&q).await
}

/// True while `key` is locked.
///
/// # Errors
/// A database failure.
pub async fn locked(db: &Db, scope: TenantScope, key: &str) -> Result<bool, DbError> {
    let locked = row(db, scope, key)
        .await?
        .and_then(|r| r.locked_until)
        .is_some_and(|t| t > Utc::now());
    if locked {
        crate::metrics::count(|m| &m.throttle_hits);
    }
    Ok(locked)
}

/// Counts one failure (or one request) for `key`; returns true when the
/// key is now locked.
///
/// # Errors
/// A database failure.
pub async fn hit(db: &Db, scope: TenantScope, key: &str, limit: Limit) -> Result<bool, DbError> {
    Ok(hit_count(db, scope, key, limit).await?.0)
}

/// As [`hit`], also returning the failures counted in the current window
/// (1 for the first).
///
/// # Errors
/// A database failure.
pub async fn hit_count(
    db: &Db,
    scope: TenantScope,
    key: &str,
    limit: Limit,
) -> Result<(bool, i64), DbError> {
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let insert = Query::insert()
        .into_table("core_throttle")
        .columns(["tenant_id", "key", "failures", "window_start"])
        .values_panic([
            scope.tenant_id().into(),
            key.into(),
            0i64.into(),
            now.into(),
        ])
        .on_conflict(
            OnConflict::columns(["tenant_id", "key"])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    tx.execute(&insert).await?;
    // The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite):
    // two processes counting at once both count.
    let bump = scope
        .update("core_throttle")
        .value("failures", Expr::col("failures").add(1))
        .and_where(Expr::col("key").eq(key))
        .returning(Query::returning().columns(["failures", "window_start", "locked_until"]))
        .to_owned();
    let rows: Vec<Row> = tx.fetch_all(&bump).await?;
    let Some(r) = rows.into_iter().next() else {
        tx.commit().await?;
        return Ok((false, 0));
    };
    let still_locked = r.locked_until.is_some_and(|t| t > now);
    let (failures, window_start) = if r.window_start + limit.window < now && !still_locked {
        (1, now)
    } else {
        (r.failures, r.window_start)
    };
    let over = failures.saturating_sub(limit.max);
    let locked_until = if over > 0 {
        let factor = 1i32 << Ord::min(u32::try_from(over - 1).unwrap_or(0), 16);
        Some(now + (limit.lock * factor).min(limit.max_lock))
    } else {
        r.locked_until.filter(|t| *t > now)
    };
    let set = scope
        .update("core_throttle")
        .value("failures", failures)
        .value("window_start", window_start)
        .value("locked_until", locked_until)
        .and_where(Expr::col("key").eq(key))
        .to_owned();
    tx.execute(&set).await?;
    tx.commit().await?;
    Ok((locked_until.is_some_and(|t| t > now), failures))
}

/// Forgets the failures of `key` (after a successful login).
///
/// # Errors
/// A database failure.
pub async fn clear(db: &Db, scope: TenantScope, key: &str) -> Result<(), DbError> {
    db.execute(
        &scope
            .delete("core_throttle")
            .and_where(Expr::col("key").eq(key))
            .to_owned(),
    )
    .await
    .map(drop)
}

/// The keys one password attempt is counted on, the same for customers
/// and staff (ARCHITECTURE.md, "Login throttling"): the typed identity, or
/// identity plus device id when the browser's device cookie names the
/// account found (`trusted`); and the client address, which counts
/// distinct identities and does not apply to a trusted browser.
#[derive(Debug)]
pub struct LoginKeys {
    identity: String,
    account: String,
    address: Option<String>,
}

impl LoginKeys {
    /// `found` is the id of the account the typed identity names, if any;
    /// `address` is the address key (`ip:<address>`), when known. Only a
    /// browser whose device cookie names that very account is trusted: an
    /// unknown account can have no such browser, so nothing is told by it.
    pub fn new(
        identity: String,
        found: Option<i64>,
        device: Option<&super::device::Device>,
        address: Option<String>,
    ) -> Self {
        let trusted = found.and_then(|id| device.filter(|d| d.knows(id)));
        match trusted {
            Some(d) => Self {
                account: format!("{identity}:device:{}", d.id),
                identity,
                address: None,
            },
            None => Self {
                account: identity.clone(),
                identity,
                address,
            },
        }
    }

    /// True while the account key or the address is held back.
    ///
    /// # Errors
    /// A database failure.
    pub async fn locked(&self, db: &Db, scope: TenantScope) -> Result<bool, DbError> {
        let mut held = locked(db, scope, &self.account).await?;
        if let Some(k) = &self.address {
            held |= locked(db, scope, k).await?;
        }
        Ok(held)
    }

    /// Counts a failed attempt: on the account key, and on the address
    /// when this identity is new there in the window.
    ///
    /// # Errors
    /// A database failure.
    pub async fn failed(&self, db: &Db, scope: TenantScope) -> Result<(), DbError> {
        crate::metrics::count(|m| &m.login_failures);
        hit(db, scope, &self.account, LOGIN_ACCOUNT).await?;
        if let Some(k) = &self.address {
            let per = format!("{k}:{}", self.identity);
            let (_, n) = hit_count(db, scope, &per, LOGIN_ADDRESS_IDENTITY).await?;
            if n == 1 {
                hit(db, scope, k, LOGIN_ADDRESS).await?;
            }
        }
        Ok(())
    }

    /// The right password: the account key's failures are forgotten, and
    /// the identity's delay that others ran up ends too.
    ///
    /// # Errors
    /// A database failure.
    pub async fn succeeded(&self, db: &Db, scope: TenantScope) -> Result<(), DbError> {
        clear(db, scope, &self.account).await?;
        if self.account != self.identity {
            clear(db, scope, &self.identity).await?;
        }
        Ok(())
    }
}
