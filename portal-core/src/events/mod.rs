//! Events to the back-office: what customers did that the back-office must
//! act on (a subscription change request; later tickets and move-ins)
//! reaches it without polling. An event is written in the change's own
//! transaction ([`emit`]), delivered to the tenant's webhook by a worker
//! with retry and doubling backoff (like mail), and stays listable through
//! the API. Each delivery is signed: `X-Portal-Signature: t=<unix
//! seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook secret>`.
//!
//! Layout:
//! - `mod.rs`: emitting, the webhook of a tenant, listing
//! - `deliver.rs`: the worker: claim, sign, post, retry
//! - `client.rs`: one HTTP(S) POST (hyper over TCP, rustls for https)

pub mod client;
pub mod deliver;

use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};

use crate::db::{Db, DbError, Tx};
use crate::tenant::TenantScope;

/// Writes an event inside the change's transaction: a rolled-back change
/// emits nothing, a committed one is always delivered (at least once).
///
/// # Errors
/// A database failure.
pub async fn emit(
    tx: &mut Tx,
    scope: TenantScope,
    kind: &str,
    payload: &serde_json::Value,
) -> Result<i64, DbError> {
    let now = Utc::now();
    tx.insert_returning_id(
        &scope
            .insert("core_events")
            .set("kind", kind)
            .set("payload", payload.to_string())
            .set("created_at", now)
            .set("next_attempt_at", now)
            .statement(),
    )
    .await
}

/// An event as the API lists it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, poem_openapi::Object)]
pub struct EventView {
    pub id: i64,
    pub kind: String,
    /// The event's data, as JSON text.
    pub payload: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i64,
    pub delivered_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub last_error: String,
}
crate::from_sqlite! {
    EventView { id, kind, payload, created_at, attempts, delivered_at, failed_at, last_error }
}

/// Events of the tenant after id `after`, oldest first.
///
/// # Errors
/// A database failure.
pub async fn list(
    db: &Db,
    scope: TenantScope,
    after: i64,
    limit: u64,
) -> Result<Vec<EventView>, DbError> {
    db.fetch_all(
        &scope
            .select("core_events")
            .columns([
                "id",
                "kind",
                "payload",
                "created_at",
                "attempts",
                "delivered_at",
                "failed_at",
                "last_error",
            ])
            .and_where(Expr::col("id").gt(after))
            .order_by("id", Order::Asc)
            .limit(limit)
            .to_owned(),
    )
    .await
}

/// Sets the tenant's webhook; returns the new signing secret (shown once).
///
/// # Errors
/// A database failure.
pub async fn set_webhook(db: &Db, scope: TenantScope, url: &str) -> Result<String, DbError> {
    let secret = hex::encode(rand::random::<[u8; 32]>());
    db.execute(
        &Query::insert()
            .into_table("core_webhooks")
            .columns(["tenant_id", "url", "secret", "created_at"])
            .values_panic([
                scope.tenant_id().into(),
                url.into(),
                secret.clone().into(),
                Utc::now().into(),
            ])
            .on_conflict(
                OnConflict::column("tenant_id")
                    .update_columns(["url", "secret", "created_at"])
                    .to_owned(),
            )
            .to_owned(),
    )
    .await?;
    Ok(secret)
}

/// Removes the tenant's webhook (events stay listable).
///
/// # Errors
/// A database failure.
pub async fn remove_webhook(db: &Db, scope: TenantScope) -> Result<bool, DbError> {
    Ok(db
        .execute(&scope.delete("core_webhooks").to_owned())
        .await?
        == 1)
}

/// Checks a webhook address: https, or http where the operator allows it
/// (`events.allow_http`: tests and local relays).
///
/// # Errors
/// What is wrong, for the person who typed it.
pub fn check_url(url: &str, allow_http: bool) -> Result<url::Url, String> {
    let u = url::Url::parse(url.trim()).map_err(|e| format!("{url:?} is not an address: {e}"))?;
    match u.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => return Err("the webhook address must start with https://".into()),
        other => return Err(format!("{other}: use https://")),
    }
    if u.host_str().is_none_or(str::is_empty) || !u.username().is_empty() || u.password().is_some()
    {
        return Err("the webhook address needs a host and no user name or password in it".into());
    }
    Ok(u)
}
