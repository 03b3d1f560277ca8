//! Staff sessions, in the database like customer sessions: 256 random bits
//! in the cookie, their SHA-256 in `core_staff_sessions`. Stage `password`
//! means the code (or the first 2FA setup) is still to come; every staff
//! page answers as logged out until the stage is `full`. A staff session
//! may carry the portal account it is viewing as.

use chrono::{DateTime, Duration, Utc};
use sea_query::{Expr, ExprTrait, Query};

use super::members::{COLUMNS, Member};
use crate::auth::{hash_secret, new_secret};
use crate::db::{Db, DbError};
use crate::tenant::TenantScope;

/// Cookie name over plain http (development).
pub const COOKIE: &str = "portal_staff";
/// Cookie name over https.
pub const COOKIE_HTTPS: &str = "__Host-portal_staff";

/// The staff cookie's name for this portal.
pub fn cookie_name(https: bool) -> &'static str {
    if https { COOKIE_HTTPS } else { COOKIE }
}

// How long a staff session lasts at most, and idle, is a tenant setting
// (`auth.staff_session_absolute_hours`, `auth.staff_session_idle_minutes`).
/// Between password and code.
pub const PASSWORD_STEP: Duration = Duration::minutes(10);

/// A live staff session with its member.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub id: i64,
    /// True once the code was given.
    pub full: bool,
    pub pending_totp: Option<String>,
    pub view_as_user_id: Option<i64>,
    pub member: Member,
}

#[derive(sqlx::FromRow)]
struct Row {
    session_id: i64,
    stage: String,
    pending_totp: Option<String>,
    view_as_user_id: Option<i64>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    #[sqlx(flatten)]
    member: Member,
}
crate::from_sqlite! {
    Row { session_id, stage, pending_totp, view_as_user_id, last_seen_at, expires_at; flatten
        member }
}

/// Starts a staff session, at stage `password` or (after the code) `full`;
/// returns the cookie value.
///
/// # Errors
/// A database failure.
pub async fn create(
    db: &Db,
    scope: TenantScope,
    staff_id: i64,
    full: bool,
    ip: Option<&str>,
    absolute: Duration,
) -> Result<String, DbError> {
    let value = new_secret();
    let now = Utc::now();
    db.execute(
        &Query::insert()
            .into_table("core_staff_sessions")
            .columns([
                "token_hash",
                "tenant_id",
                "staff_id",
                "stage",
                "created_at",
                "last_seen_at",
                "expires_at",
                "ip",
            ])
            .values_panic([
                hash_secret(&value).into(),
                scope.tenant_id().into(),
                staff_id.into(),
                if full { "full" } else { "password" }.into(),
                now.into(),
                now.into(),
                (now + if full { absolute } else { PASSWORD_STEP }).into(),
                ip.map(str::to_string).into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok(value)
}

/// The live staff session of a cookie on this tenant; `None` when unknown,
/// of another tenant, expired, idle or its member deactivated.
///
/// # Errors
/// A database failure.
pub async fn lookup(
    db: &Db,
    scope: TenantScope,
    cookie_value: &str,
    idle: Duration,
) -> Result<Option<StaffSession>, DbError> {
    if cookie_value.len() != 64 || !cookie_value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let mut q = scope.select("core_staff");
    for c in COLUMNS {
        q.column(("core_staff", *c));
    }
    q.expr_as(Expr::col(("core_staff_sessions", "id")), "session_id")
        .column(("core_staff_sessions", "stage"))
        .column(("core_staff_sessions", "pending_totp"))
        .column(("core_staff_sessions", "view_as_user_id"))
        .column(("core_staff_sessions", "last_seen_at"))
        .column(("core_staff_sessions", "expires_at"))
        .inner_join(
            "core_staff_sessions",
            Expr::col(("core_staff_sessions", "staff_id")).equals(("core_staff", "id")),
        )
        .and_where(Expr::col(("core_staff_sessions", "token_hash")).eq(hash_secret(cookie_value)))
        .and_where(Expr::col(("core_staff_sessions", "tenant_id")).eq(scope.tenant_id()));
    let Some(row) = db.fetch_optional::<Row>(&q).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if row.expires_at <= now || row.last_seen_at + idle <= now || !row.member.active {
        end(db, scope, row.session_id).await?;
        return Ok(None);
    }
    if now - row.last_seen_at > Duration::seconds(60) {
        db.execute(
            &scope
                .update("core_staff_sessions")
                .value("last_seen_at", now)
                .and_where(Expr::col("id").eq(row.session_id))
                .to_owned(),
        )
        .await?;
    }
    Ok(Some(StaffSession {
        id: row.session_id,
        full: row.stage == "full",
        pending_totp: row.pending_totp,
        view_as_user_id: row.view_as_user_id,
        member: row.member,
    }))
}

/// Ends a staff session.
///
/// # Errors
/// A database failure.
pub async fn end(db: &Db, scope: TenantScope, id: i64) -> Result<(), DbError> {
    db.execute(
        &scope
            .delete("core_staff_sessions")
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
    .map(drop)
}

/// Changes columns of one staff session.
///
/// # Errors
/// A database failure.
pub async fn update(
    db: &Db,
    scope: TenantScope,
    id: i64,
    values: Vec<(&'static str, sea_query::Value)>,
) -> Result<(), DbError> {
    let mut q = scope.update("core_staff_sessions");
    for (c, v) in values {
        q.value(c, v);
    }
    q.and_where(Expr::col("id").eq(id));
    db.execute(&q).await.map(drop)
}
