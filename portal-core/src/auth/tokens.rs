//! Single-use links: password reset, invitation (set a first password)
//! and e-mail confirmation after registration (SECURITY.md C).
//!
//! A token is 256 random bits; only its SHA-256 is stored. Redeeming is one
//! `UPDATE ... WHERE used_at IS NULL AND expires_at > now RETURNING`, so of
//! many parallel redemptions exactly one wins. A new link of a purpose
//! ends the account's earlier unused ones of that purpose.

use chrono::{DateTime, Duration, Utc};
use sea_query::{Expr, ExprTrait, Query};

use super::{hash_secret, new_secret};
use crate::db::{Db, DbError, Tx};
use crate::tenant::TenantScope;

/// What a link is for; also its path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Invite,
    Confirm,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Invite => "invite",
            Purpose::Confirm => "confirm",
        }
    }
}

/// Issues a link token for `user_id`, ending earlier unused ones of the
/// same purpose; returns the token (to put in the mail, never to log).
///
/// # Errors
/// A database failure.
pub async fn issue(
    tx: &mut Tx,
    scope: TenantScope,
    user_id: i64,
    purpose: Purpose,
    valid_for: Duration,
) -> Result<String, DbError> {
    let token = new_secret();
    issue_this(tx, scope, user_id, purpose, valid_for, &token).await?;
    Ok(token)
}

/// As [`issue`], for a token made earlier with [`crate::auth::new_secret`]
/// (its mail was rendered before the transaction began).
///
/// # Errors
/// A database failure.
pub async fn issue_this(
    tx: &mut Tx,
    scope: TenantScope,
    user_id: i64,
    purpose: Purpose,
    valid_for: Duration,
    token: &str,
) -> Result<(), DbError> {
    let now = Utc::now();
    tx.execute(
        &scope
            .update("core_auth_tokens")
            .value("used_at", now)
            .and_where(Expr::col("user_id").eq(user_id))
            .and_where(Expr::col("purpose").eq(purpose.code()))
            .and_where(Expr::col("used_at").is_null())
            .to_owned(),
    )
    .await?;
    tx.execute(
        &scope
            .insert("core_auth_tokens")
            .set("user_id", user_id)
            .set("purpose", purpose.code())
            .set("token_hash", hash_secret(token))
            .set("created_at", now)
            .set("expires_at", now + valid_for)
            .statement(),
    )
    .await?;
    Ok(())
}

/// What a link is worth right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Valid {
        user_id: i64,
    },
    /// Expired, already used, or replaced by a newer link.
    Spent,
    Unknown,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    user_id: i64,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}
crate::from_sqlite! {
    TokenRow { user_id, expires_at, used_at }
}

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Looks at a link without using it (to show its form, or a page that
/// offers a new link).
///
/// # Errors
/// A database failure.
pub async fn peek(
    db: &Db,
    scope: TenantScope,
    purpose: Purpose,
    token: &str,
) -> Result<LinkState, DbError> {
    if !well_formed(token) {
        return Ok(LinkState::Unknown);
    }
    let q = scope
        .select("core_auth_tokens")
        .columns(["user_id", "expires_at", "used_at"])
        .and_where(Expr::col("token_hash").eq(hash_secret(token)))
        .and_where(Expr::col("purpose").eq(purpose.code()))
        .to_owned();
    Ok(match db.fetch_optional::<TokenRow>(&q).await? {
        None => LinkState::Unknown,
        Some(r) if r.used_at.is_none() && r.expires_at > Utc::now() => {
            LinkState::Valid { user_id: r.user_id }
        }
        Some(_) => LinkState::Spent,
    })
}

/// Uses a link: atomically marks it used and returns its account, or
/// `None` when it is unknown, spent or expired (or another request won).
///
/// # Errors
/// A database failure.
pub async fn redeem(
    tx: &mut Tx,
    scope: TenantScope,
    purpose: Purpose,
    token: &str,
) -> Result<Option<i64>, DbError> {
    if !well_formed(token) {
        return Ok(None);
    }
    let now = Utc::now();
    let q = scope
        .update("core_auth_tokens")
        .value("used_at", now)
        .and_where(Expr::col("token_hash").eq(hash_secret(token)))
        .and_where(Expr::col("purpose").eq(purpose.code()))
        .and_where(Expr::col("used_at").is_null())
        .and_where(Expr::col("expires_at").gt(now))
        .returning(Query::returning().column("user_id"))
        .to_owned();
    let rows: Vec<(i64,)> = tx.fetch_all(&q).await?;
    Ok(rows.first().map(|r| r.0))
}

/// Ends every unused link of an account (its password changed, or it was deactivated).
///
/// # Errors
/// A database failure.
pub async fn revoke_all(tx: &mut Tx, scope: TenantScope, user_id: i64) -> Result<(), DbError> {
    tx.execute(
        &scope
            .update("core_auth_tokens")
            .value("used_at", Utc::now())
            .and_where(Expr::col("user_id").eq(user_id))
            .and_where(Expr::col("used_at").is_null())
            .to_owned(),
    )
    .await
    .map(drop)
}
