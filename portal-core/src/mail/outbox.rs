//! The outbox: mails are rows written in the same transaction as the change
//! that caused them, then claimed and delivered by a worker.
//!
//! Claiming sets a lease (`status = 'sending'`, `lease_until`) in one
//! `UPDATE ... RETURNING`; on PostgreSQL its subquery takes the rows with
//! `FOR UPDATE SKIP LOCKED`, so workers in several processes never claim the
//! same mail. A worker that dies mid-send leaves a lease that runs out, and
//! the mail is claimed again.

use chrono::{DateTime, Duration, Utc};
use sea_query::{Expr, ExprTrait, LockBehavior, LockType, Order, Query};

use crate::db::{Backend, Db, DbError, Tx};
use crate::tenant::TenantScope;

/// A rendered mail ready for the outbox.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub key: String,
    pub to_address: String,
    pub to_name: String,
    pub from_address: String,
    pub from_name: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub message_id: String,
}

/// A mail as the outbox holds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxMail {
    pub id: i64,
    pub tenant_id: i64,
    pub mail_key: String,
    pub to_address: String,
    pub to_name: String,
    pub from_address: String,
    pub from_name: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_html: String,
    pub body_text: String,
    pub message_id: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

const COLUMNS: [&str; 17] = [
    "id",
    "tenant_id",
    "mail_key",
    "to_address",
    "to_name",
    "from_address",
    "from_name",
    "reply_to",
    "subject",
    "body_html",
    "body_text",
    "message_id",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "sent_at",
];

/// Writes a mail to the outbox inside the caller's transaction.
///
/// # Errors
/// A database failure (the caller's transaction then fails as a whole).
pub async fn insert(tx: &mut Tx, scope: TenantScope, m: &NewMail) -> Result<i64, DbError> {
    let now = Utc::now();
    let q = Query::insert()
        .into_table("mail_outbox")
        .columns([
            "tenant_id",
            "mail_key",
            "to_address",
            "to_name",
            "from_address",
            "from_name",
            "reply_to",
            "subject",
            "body_html",
            "body_text",
            "message_id",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
        ])
        .values_panic([
            scope.tenant_id().into(),
            m.key.clone().into(),
            m.to_address.clone().into(),
            m.to_name.clone().into(),
            m.from_address.clone().into(),
            m.from_name.clone().into(),
            m.reply_to.clone().into(),
            m.subject.clone().into(),
            m.html.clone().into(),
            m.text.clone().into(),
            m.message_id.clone().into(),
            "queued".into(),
            0i64.into(),
            now.into(),
            now.into(),
        ])
        .to_owned();
    tx.insert_returning_id(&q).await
}

/// Claims up to `limit` due mails for `lease`.
///
/// # Errors
/// A database failure.
pub async fn claim(db: &Db, limit: u64, lease: Duration) -> Result<Vec<OutboxMail>, DbError> {
    let now = Utc::now();
    let due = Expr::col("status")
        .eq("queued")
        .and(Expr::col("next_attempt_at").lte(now))
        .or(Expr::col("status")
            .eq("sending")
            .and(Expr::col("lease_until").lt(now)));
    let mut ids = Query::select()
        .column("id")
        .from("mail_outbox")
        .and_where(due)
        .order_by("id", Order::Asc)
        .limit(limit)
        .to_owned();
    if db.backend() == Backend::Postgres {
        ids.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let q = Query::update()
        .table("mail_outbox")
        .value("status", "sending")
        .value("lease_until", now + lease)
        .value("attempts", Expr::col("attempts").add(1))
        .and_where(Expr::col("id").in_subquery(ids))
        .returning(Query::returning().columns(COLUMNS))
        .to_owned();
    let mut tx = db.begin().await?;
    let mut rows: Vec<OutboxMail> = tx.fetch_all(&q).await?;
    tx.commit().await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Records a delivery.
///
/// # Errors
/// A database failure.
pub async fn mark_sent(db: &Db, id: i64) -> Result<(), DbError> {
    let q = Query::update()
        .table("mail_outbox")
        .value("status", "sent")
        .value("sent_at", Utc::now())
        .value("lease_until", None::<DateTime<Utc>>)
        .value("last_error", None::<String>)
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// Records a failed attempt: queued again at `retry_at`, or failed for good when `None`.
///
/// # Errors
/// A database failure.
pub async fn mark_failed(
    db: &Db,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    let mut q = Query::update().table("mail_outbox").to_owned();
    q.value("last_error", error.chars().take(1000).collect::<String>())
        .value("lease_until", None::<DateTime<Utc>>)
        .and_where(Expr::col("id").eq(id));
    match retry_at {
        Some(at) => q.value("status", "queued").value("next_attempt_at", at),
        None => q.value("status", "failed"),
    };
    db.execute(&q).await.map(drop)
}

/// The tenant's mails, newest first, optionally of one status.
///
/// # Errors
/// A database failure.
pub async fn list(
    db: &Db,
    scope: TenantScope,
    status: Option<&str>,
    limit: u64,
) -> Result<Vec<OutboxMail>, DbError> {
    let mut q = scope
        .select("mail_outbox")
        .columns(COLUMNS)
        .order_by("id", Order::Desc)
        .limit(limit)
        .to_owned();
    if let Some(s) = status {
        q.and_where(Expr::col("status").eq(s));
    }
    db.fetch_all(&q).await
}

/// One mail of the tenant.
///
/// # Errors
/// A database failure.
pub async fn get(db: &Db, scope: TenantScope, id: i64) -> Result<Option<OutboxMail>, DbError> {
    db.fetch_optional(
        &scope
            .select("mail_outbox")
            .columns(COLUMNS)
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
}
