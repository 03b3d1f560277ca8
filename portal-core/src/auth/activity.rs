//! The activity log: every security-relevant action on an account (login,
//! failed login, reset, 2FA on/off, staff actions), for the account's
//! "Activiteit" tab (seed 004). It never holds a password or a token.

use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Order};

use crate::db::{Db, DbError, Tx};
use crate::tenant::TenantScope;

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The portal account itself.
    User,
    /// A staff member of the tenant (`actor_id`: `core_staff`).
    Staff,
    /// The back-office through an API key (`actor_id`: `core_api_tokens`).
    ApiKey,
    /// The portal's operator (command line) or the portal itself.
    System,
}

impl Actor {
    pub fn code(self) -> &'static str {
        match self {
            Actor::User => "user",
            Actor::Staff => "staff",
            Actor::ApiKey => "api_key",
            Actor::System => "system",
        }
    }
}

/// Who acts on an account, as the activity log records it.
#[derive(Debug, Clone, Default)]
pub struct By {
    pub actor: Option<Actor>,
    pub actor_id: Option<i64>,
    pub ip: Option<String>,
}

impl By {
    /// A staff member, from a staff page.
    pub fn staff(id: i64, ip: Option<String>) -> Self {
        Self {
            actor: Some(Actor::Staff),
            actor_id: Some(id),
            ip,
        }
    }

    /// The back-office, through API key `id`.
    pub fn api_key(id: i64) -> Self {
        Self {
            actor: Some(Actor::ApiKey),
            actor_id: Some(id),
            ip: None,
        }
    }

    /// The operator at the command line.
    pub fn operator() -> Self {
        Self {
            actor: Some(Actor::System),
            actor_id: None,
            ip: None,
        }
    }

    /// A portal account acting on its organisation (an admin on a colleague).
    pub fn user(id: i64, ip: Option<String>) -> Self {
        Self {
            actor: Some(Actor::User),
            actor_id: Some(id),
            ip,
        }
    }

    pub fn actor(&self) -> Actor {
        self.actor.unwrap_or(Actor::System)
    }
}

/// One entry.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Activity {
    pub id: i64,
    pub user_id: Option<i64>,
    pub actor: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub object: String,
    pub detail: String,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}
crate::from_sqlite! {
    Activity { id, user_id, actor, actor_id, action, object, detail, ip, created_at }
}

/// What to record.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub user_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub actor: Actor,
    /// The staff member, API key or (acting on a colleague) account that did it.
    pub actor_id: Option<i64>,
    /// e.g. `login`, `login.failed`, `password.reset`, `totp.enabled`.
    pub action: &'a str,
    /// What else it touched, e.g. `location:12`.
    pub object: &'a str,
    pub detail: &'a str,
    pub ip: Option<&'a str>,
}

impl<'a> Entry<'a> {
    /// Something the account's own user did.
    pub fn by_user(a: &super::accounts::Account, action: &'a str, ip: Option<&'a str>) -> Self {
        Self {
            user_id: Some(a.id),
            customer_id: Some(a.customer_id),
            actor: Actor::User,
            actor_id: Some(a.id),
            action,
            object: "",
            detail: "",
            ip,
        }
    }

    /// Something done to the tenant itself, not to an account: staff
    /// logins, API keys, settings, branding, templates.
    pub fn tenant(
        actor: Actor,
        actor_id: Option<i64>,
        action: &'a str,
        detail: &'a str,
        ip: Option<&'a str>,
    ) -> Self {
        Self {
            user_id: None,
            customer_id: None,
            actor,
            actor_id,
            action,
            object: "",
            detail,
            ip,
        }
    }

    /// Something `by` did to account `a`.
    pub fn on(a: &super::accounts::Account, by: &'a By, action: &'a str) -> Self {
        Self {
            user_id: Some(a.id),
            customer_id: Some(a.customer_id),
            actor: by.actor(),
            actor_id: by.actor_id,
            action,
            object: "",
            detail: "",
            ip: by.ip.as_deref(),
        }
    }
}

/// Records an entry inside the change's own transaction.
///
/// # Errors
/// A database failure.
pub async fn record(tx: &mut Tx, scope: TenantScope, e: Entry<'_>) -> Result<(), DbError> {
    let q = scope
        .insert("core_activity")
        .set("user_id", e.user_id)
        .set("customer_id", e.customer_id)
        .set("actor", e.actor.code())
        .set("actor_id", e.actor_id)
        .set("action", e.action)
        .set("object", e.object.chars().take(200).collect::<String>())
        .set("detail", e.detail.chars().take(500).collect::<String>())
        .set("ip", e.ip.map(str::to_string))
        .set("created_at", Utc::now())
        .statement();
    tx.execute(&q).await.map(drop)
}

/// Records an entry on its own.
///
/// # Errors
/// A database failure.
pub async fn record_now(db: &Db, scope: TenantScope, e: Entry<'_>) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    record(&mut tx, scope, e).await?;
    tx.commit().await
}

const COLUMNS: [&str; 9] = [
    "id",
    "user_id",
    "actor",
    "actor_id",
    "action",
    "object",
    "detail",
    "ip",
    "created_at",
];

/// The newest entries of an account.
///
/// # Errors
/// A database failure.
pub async fn for_user(
    db: &Db,
    scope: TenantScope,
    user_id: i64,
    limit: u64,
) -> Result<Vec<Activity>, DbError> {
    newest(db, scope, "user_id", user_id, limit).await
}

/// The newest entries of a customer's accounts (for its admin, issue 6).
///
/// # Errors
/// A database failure.
pub async fn for_customer(
    db: &Db,
    scope: TenantScope,
    customer_id: i64,
    limit: u64,
) -> Result<Vec<Activity>, DbError> {
    newest(db, scope, "customer_id", customer_id, limit).await
}

/// The newest entries about the tenant itself (no customer): staff logins,
/// API keys, settings, branding, messages and template changes.
///
/// # Errors
/// A database failure.
pub async fn for_tenant(db: &Db, scope: TenantScope, limit: u64) -> Result<Vec<Activity>, DbError> {
    let q = scope
        .select("core_activity")
        .columns(COLUMNS)
        .and_where(Expr::col("customer_id").is_null())
        .order_by("id", Order::Desc)
        .limit(limit)
        .to_owned();
    db.fetch_all(&q).await
}

async fn newest(
    db: &Db,
    scope: TenantScope,
    column: &'static str,
    id: i64,
    limit: u64,
) -> Result<Vec<Activity>, DbError> {
    let q = scope
        .select("core_activity")
        .columns(COLUMNS)
        .and_where(Expr::col(column).eq(id))
        .order_by("id", Order::Desc)
        .limit(limit)
        .to_owned();
    db.fetch_all(&q).await
}
