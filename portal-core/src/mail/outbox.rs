//! The outbox: mails are rows written in the same transaction as the change
//! that caused them, then claimed and delivered by a worker.
//!
//! Claiming sets a lease (`status = 'sending'`, `lease_until`, a fresh
//! `claim_token`) in one `UPDATE ... RETURNING`; on PostgreSQL its subquery
//! takes the rows with `FOR UPDATE SKIP LOCKED`, so workers in several
//! processes never claim the same mail at once. Right before sending, the
//! worker renews the lease of that one mail under its token ([`renew`]); a
//! worker whose lease ran out (and was taken over) finds no row and does not
//! send. Results are written only under the token. A worker that dies
//! mid-send leaves a lease that runs out; the mail is claimed again, until
//! `max_attempts` claims, after which it fails.

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
    /// Sent by staff from the template editor (counted for the hourly limit).
    pub is_test: bool,
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
crate::from_sqlite! {
    OutboxMail { id, tenant_id, mail_key, to_address, to_name, from_address, from_name,
        reply_to, subject, body_html, body_text, message_id, status, attempts, last_error,
        created_at, sent_at }
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
    let q = scope
        .insert("mail_outbox")
        .set("mail_key", m.key.clone())
        .set("to_address", m.to_address.clone())
        .set("to_name", m.to_name.clone())
        .set("from_address", m.from_address.clone())
        .set("from_name", m.from_name.clone())
        .set("reply_to", m.reply_to.clone())
        .set("subject", m.subject.clone())
        .set("body_html", m.html.clone())
        .set("body_text", m.text.clone())
        .set("message_id", m.message_id.clone())
        .set("status", "queued")
        .set("attempts", 0i64)
        .set("next_attempt_at", now)
        .set("created_at", now)
        .set("is_test", m.is_test)
        .statement();
    tx.insert_returning_id(&q).await
}

/// A batch claimed by one worker: its token and mails.
#[derive(Debug)]
pub struct Claim {
    pub token: String,
    pub mails: Vec<OutboxMail>,
}

/// Claims up to `limit` due mails for `lease`. Mails whose worker died
/// `max_attempts` times (lease ran out each time) are failed first.
///
/// # Errors
/// A database failure.
pub async fn claim(
    db: &Db,
    limit: u64,
    lease: Duration,
    max_attempts: i64,
) -> Result<Claim, DbError> {
    let now = Utc::now();
    let token = uuid::Uuid::new_v4().simple().to_string();
    let abandoned = Expr::col("status")
        .eq("sending")
        .and(Expr::col("lease_until").lt(now));
    let give_up = Query::update()
        .table("mail_outbox")
        .value("status", "failed")
        .value(
            "last_error",
            format!("gave up after {max_attempts} attempts: the sending process stopped each time"),
        )
        .value("claim_token", None::<String>)
        .and_where(
            abandoned
                .clone()
                .and(Expr::col("attempts").gte(max_attempts)),
        )
        .to_owned();
    let due = Expr::col("status")
        .eq("queued")
        .and(Expr::col("next_attempt_at").lte(now))
        .or(abandoned);
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
        .value("claim_token", token.clone())
        .value("attempts", Expr::col("attempts").add(1))
        .and_where(Expr::col("id").in_subquery(ids))
        .returning(Query::returning().columns(COLUMNS))
        .to_owned();
    let mut tx = db.begin().await?;
    tx.execute_across_tenants(&give_up).await?;
    let mut mails: Vec<OutboxMail> = tx.fetch_all_across_tenants(&q).await?;
    tx.commit().await?;
    mails.sort_by_key(|r| r.id);
    Ok(Claim { token, mails })
}

fn held(id: i64, token: &str) -> sea_query::SimpleExpr {
    Expr::col("id")
        .eq(id)
        .and(Expr::col("claim_token").eq(token))
        .and(Expr::col("status").eq("sending"))
}

/// Extends the lease of one claimed mail right before it is sent; false when
/// the lease was lost (another worker took the mail over): then do not send.
///
/// # Errors
/// A database failure.
pub async fn renew(db: &Db, id: i64, token: &str, lease: Duration) -> Result<bool, DbError> {
    let q = Query::update()
        .table("mail_outbox")
        .value("lease_until", Utc::now() + lease)
        .and_where(held(id, token))
        .to_owned();
    Ok(db.execute_across_tenants(&q).await? == 1)
}

/// Records a delivery made under `token`.
///
/// # Errors
/// A database failure.
pub async fn mark_sent(db: &Db, id: i64, token: &str) -> Result<(), DbError> {
    let q = Query::update()
        .table("mail_outbox")
        .value("status", "sent")
        .value("sent_at", Utc::now())
        .value("lease_until", None::<DateTime<Utc>>)
        .value("claim_token", None::<String>)
        .value("last_error", None::<String>)
        .and_where(held(id, token))
        .to_owned();
    db.execute_across_tenants(&q).await.map(drop)
}

/// Records a failed attempt under `token`: queued again at `retry_at`, or
/// failed for good when `None`.
///
/// # Errors
/// A database failure.
pub async fn mark_failed(
    db: &Db,
    id: i64,
    token: &str,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    let mut q = Query::update().table("mail_outbox").to_owned();
    q.value("last_error", error.chars().take(1000).collect::<String>())
        .value("lease_until", None::<DateTime<Utc>>)
        .value("claim_token", None::<String>)
        .and_where(held(id, token));
    match retry_at {
        Some(at) => q.value("status", "queued").value("next_attempt_at", at),
        None => q.value("status", "failed"),
    };
    db.execute_across_tenants(&q).await.map(drop)
}

/// How many test mails the tenant queued since `since`.
///
/// # Errors
/// A database failure.
pub async fn count_tests_since(
    db: &Db,
    scope: TenantScope,
    since: DateTime<Utc>,
) -> Result<i64, DbError> {
    let q = scope
        .select("mail_outbox")
        .expr(Expr::col("id").count())
        .and_where(Expr::col("is_test").eq(true))
        .and_where(Expr::col("created_at").gte(since))
        .to_owned();
    Ok(db.fetch_optional::<(i64,)>(&q).await?.map_or(0, |r| r.0))
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
