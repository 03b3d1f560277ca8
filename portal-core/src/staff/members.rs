//! Staff accounts of a tenant. Every function takes a [`TenantScope`]: a
//! staff member of another tenant is never found.

use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Order};

use crate::auth::accounts::{normalize, valid_email};
use crate::db::{Db, DbError};
use crate::tenant::TenantScope;

/// What a staff member may do; each staff permission names the roles that
/// hold it ([`crate::staff_permission!`]), and an admin holds them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Everything, including staff management, API keys and settings.
    Admin,
    /// Customers, portal accounts, view-as, tickets, requests, messages.
    Support,
    /// Branding, mail templates, page messages.
    Editor,
}

impl StaffRole {
    pub const ALL: [StaffRole; 3] = [Self::Admin, Self::Support, Self::Editor];

    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Support => "support",
            Self::Editor => "editor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }

    /// True when this role holds `p`: an admin holds every staff permission.
    pub fn holds(self, p: &super::StaffPermission) -> bool {
        self == Self::Admin || p.roles.contains(&self)
    }
}

/// A staff account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Member {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub password_hash: Option<String>,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub created_at: DateTime<Utc>,
}
crate::from_sqlite! {
    Member { id, email, name, role, active, password_hash, totp_secret, totp_last_step,
        created_at }
}

impl Member {
    pub fn role(&self) -> StaffRole {
        StaffRole::parse(&self.role).unwrap_or(StaffRole::Support)
    }

    pub fn is_admin(&self) -> bool {
        self.role() == StaffRole::Admin
    }

    /// True when this member's role holds `p`.
    pub fn holds(&self, p: &super::StaffPermission) -> bool {
        self.active && self.role().holds(p)
    }
}

pub(crate) const COLUMNS: &[&str] = &[
    "id",
    "email",
    "name",
    "role",
    "active",
    "password_hash",
    "totp_secret",
    "totp_last_step",
    "created_at",
];

/// Why a staff account could not be made.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    #[error("{0:?} is not an e-mail address")]
    BadEmail(String),
    #[error("this tenant already has a staff account for {0:?}")]
    Taken(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A first password for a staff member, shown once to whoever added them:
/// 128 random bits, in groups of four for reading aloud.
pub fn first_password() -> String {
    let hex = hex::encode(rand::random::<[u8; 16]>());
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Creates a staff account with a password hash; returns its id.
///
/// # Errors
/// A malformed or taken e-mail address, or a database failure.
pub async fn create(
    db: &Db,
    scope: TenantScope,
    email: &str,
    name: &str,
    role: StaffRole,
    password_hash: &str,
) -> Result<i64, MemberError> {
    let email = email.trim();
    if !valid_email(email) {
        return Err(MemberError::BadEmail(email.into()));
    }
    let q = scope
        .insert("core_staff")
        .set("email", email)
        .set("email_norm", normalize(email))
        .set("name", name.trim().chars().take(100).collect::<String>())
        .set("role", role.code())
        .set("active", true)
        .set("password_hash", password_hash)
        .set("created_at", Utc::now())
        .statement();
    let mut tx = db.begin().await?;
    match tx.insert_returning_id(&q).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(id)
        }
        Err(e) if e.is_unique_violation() => Err(MemberError::Taken(email.into())),
        Err(e) => Err(e.into()),
    }
}

fn select(scope: TenantScope) -> sea_query::SelectStatement {
    let mut q = scope.select("core_staff");
    q.columns(COLUMNS.iter().copied());
    q
}

/// The staff account with this e-mail.
///
/// # Errors
/// A database failure.
pub async fn by_email(db: &Db, scope: TenantScope, email: &str) -> Result<Option<Member>, DbError> {
    db.fetch_optional(
        &select(scope)
            .and_where(Expr::col("email_norm").eq(normalize(email)))
            .to_owned(),
    )
    .await
}

/// The staff account with this id.
///
/// # Errors
/// A database failure.
pub async fn by_id(db: &Db, scope: TenantScope, id: i64) -> Result<Option<Member>, DbError> {
    db.fetch_optional(&select(scope).and_where(Expr::col("id").eq(id)).to_owned())
        .await
}

/// The tenant's staff, oldest first.
///
/// # Errors
/// A database failure.
pub async fn list(db: &Db, scope: TenantScope) -> Result<Vec<Member>, DbError> {
    db.fetch_all(&select(scope).order_by("id", Order::Asc).to_owned())
        .await
}

/// Activates or deactivates a staff account; deactivating ends its sessions.
///
/// # Errors
/// A database failure.
pub async fn set_active(
    db: &Db,
    scope: TenantScope,
    id: i64,
    active: bool,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            &scope
                .update("core_staff")
                .value("active", active)
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    if !active {
        end_sessions(&mut tx, scope, id).await?;
    }
    tx.commit().await?;
    Ok(n == 1)
}

/// Gives a staff member a new password hash and removes their 2FA (they
/// set it up again at the next login); their sessions end.
///
/// # Errors
/// A database failure.
pub async fn reset(
    db: &Db,
    scope: TenantScope,
    id: i64,
    password_hash: &str,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            &scope
                .update("core_staff")
                .value("password_hash", password_hash)
                .value("totp_secret", None::<String>)
                .value("totp_last_step", None::<i64>)
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    end_sessions(&mut tx, scope, id).await?;
    tx.commit().await?;
    Ok(n == 1)
}

/// Why a change to a staff account was refused.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such staff member")]
    NotFound,
    /// The change would leave the tenant without an active admin.
    #[error("the last active admin must stay an active admin")]
    LastAdmin,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Gives a staff member another role, or (de)activates them; refuses to
/// leave the tenant without an active admin, checked in the transaction
/// that makes the change. Deactivating ends their sessions.
///
/// # Errors
/// [`ChangeError`].
pub async fn change(
    db: &Db,
    scope: TenantScope,
    id: i64,
    role: StaffRole,
    active: bool,
) -> Result<(), ChangeError> {
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            &scope
                .update("core_staff")
                .value("role", role.code())
                .value("active", active)
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    if n != 1 {
        return Err(ChangeError::NotFound);
    }
    let admins: Vec<(i64,)> = tx
        .fetch_all(
            &scope
                .select("core_staff")
                .column("id")
                .and_where(Expr::col("role").eq("admin"))
                .and_where(Expr::col("active").eq(true))
                .to_owned(),
        )
        .await?;
    if admins.is_empty() {
        return Err(ChangeError::LastAdmin);
    }
    if !active {
        end_sessions(&mut tx, scope, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A staff member's new password (their own change): 2FA stays, their
/// other sessions end.
///
/// # Errors
/// A database failure.
pub async fn set_password(
    db: &Db,
    scope: TenantScope,
    id: i64,
    password_hash: &str,
    keep_session: i64,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    tx.execute(
        &scope
            .update("core_staff")
            .value("password_hash", password_hash)
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await?;
    tx.execute(
        &scope
            .delete("core_staff_sessions")
            .and_where(Expr::col("staff_id").eq(id))
            .and_where(Expr::col("id").ne(keep_session))
            .to_owned(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn end_sessions(
    tx: &mut crate::db::Tx,
    scope: TenantScope,
    staff_id: i64,
) -> Result<(), DbError> {
    tx.execute(
        &scope
            .delete("core_staff_sessions")
            .and_where(Expr::col("staff_id").eq(staff_id))
            .to_owned(),
    )
    .await
    .map(drop)
}
