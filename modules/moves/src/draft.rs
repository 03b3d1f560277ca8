//! A move-in in progress. The browser holds a random key in a cookie and
//! the database only its hash, so a leaked database row opens no draft.
//! What the resident typed is kept as typed (also when a step refused it),
//! so back and forward lose nothing. A resume link is a second secret,
//! single use and expiring; using it gives the browser a new key. A draft
//! expires some days after its last change and is then deleted.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use portal_core::auth::{hash_secret, new_secret};
use portal_core::db::{Db, DbError};
use portal_core::sea_query::{Expr, ExprTrait, Query};
use portal_core::tenant::TenantScope;

/// The cookie that holds the browser's draft key.
pub const COOKIE: &str = "portal_move_in";

/// Everything the wizard asks, as typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DraftData {
    pub postcode: String,
    pub house_number: String,
    pub addition: String,
    pub address_id: Option<i64>,
    pub moving_on: String,
    /// "meter|register" -> the start reading as typed.
    pub readings: BTreeMap<String, String>,
    /// `person` or `organisation`.
    pub customer_kind: String,
    pub name: String,
    pub organisation: String,
    pub coc_number: String,
    pub email: String,
    pub phone: String,
    /// `same` (the new address) or `other`.
    pub correspondence: String,
    pub corr_street: String,
    pub corr_postcode: String,
    pub corr_city: String,
    pub corr_country: String,
    /// `direct_debit` or `transfer`.
    pub payment: String,
    pub iban: String,
    pub account_holder: String,
    pub mandate: bool,
    pub terms: bool,
}

/// A stored draft.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: i64,
    pub step: i64,
    pub data: DraftData,
    pub document_key: Option<String>,
    pub document_name: String,
    pub document_type: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    step: i64,
    data_json: String,
    document_key: Option<String>,
    document_name: String,
    document_type: String,
}
portal_core::from_sqlite! {
    Row { id, step, data_json, document_key, document_name, document_type }
}

impl From<Row> for Draft {
    fn from(r: Row) -> Self {
        Self {
            id: r.id,
            step: r.step,
            data: serde_json::from_str(&r.data_json).unwrap_or_default(),
            document_key: r.document_key,
            document_name: r.document_name,
            document_type: r.document_type,
        }
    }
}

const COLUMNS: [&str; 6] = [
    "id",
    "step",
    "data_json",
    "document_key",
    "document_name",
    "document_type",
];

/// Starts a draft; returns it and the key for the browser's cookie.
///
/// # Errors
/// A database failure.
pub async fn create(
    db: &Db,
    scope: TenantScope,
    data: &DraftData,
    lifetime: Duration,
) -> Result<(Draft, String), DbError> {
    let key = new_secret();
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let id = tx
        .insert_returning_id(
            &scope
                .insert("moves_drafts")
                .set("key_hash", hash_secret(&key))
                .set("step", 2_i64)
                .set("data_json", json(data))
                .set("created_at", now)
                .set("updated_at", now)
                .set("expires_at", now + lifetime)
                .statement(),
        )
        .await?;
    tx.commit().await?;
    Ok((
        Draft {
            id,
            step: 2,
            data: data.clone(),
            document_key: None,
            document_name: String::new(),
            document_type: String::new(),
        },
        key,
    ))
}

fn json(data: &DraftData) -> String {
    serde_json::to_string(data).unwrap_or_else(|_| "{}".into())
}

/// The draft of this browser key, unless it expired.
///
/// # Errors
/// A database failure.
pub async fn by_key(db: &Db, scope: TenantScope, key: &str) -> Result<Option<Draft>, DbError> {
    let row: Option<Row> = db
        .fetch_optional(
            &scope
                .select("moves_drafts")
                .columns(COLUMNS)
                .and_where(Expr::col("key_hash").eq(hash_secret(key)))
                .and_where(Expr::col("expires_at").gt(Utc::now()))
                .to_owned(),
        )
        .await?;
    Ok(row.map(Draft::from))
}

/// Saves what was typed and the furthest step; the draft lives on for
/// `lifetime` from now.
///
/// # Errors
/// A database failure.
pub async fn save(
    db: &Db,
    scope: TenantScope,
    d: &Draft,
    lifetime: Duration,
) -> Result<(), DbError> {
    let now = Utc::now();
    db.execute(
        &scope
            .update("moves_drafts")
            .value("step", d.step)
            .value("data_json", json(&d.data))
            .value("document_key", d.document_key.clone())
            .value("document_name", d.document_name.as_str())
            .value("document_type", d.document_type.as_str())
            .value("updated_at", now)
            .value("expires_at", now + lifetime)
            .and_where(Expr::col("id").eq(d.id))
            .to_owned(),
    )
    .await?;
    Ok(())
}

/// Makes a resume link's secret for draft `id` (a new one replaces the
/// old), valid for `valid`.
///
/// # Errors
/// A database failure.
pub async fn issue_resume(
    tx: &mut portal_core::db::Tx,
    scope: TenantScope,
    id: i64,
    valid: Duration,
) -> Result<String, DbError> {
    let secret = new_secret();
    tx.execute(
        &scope
            .update("moves_drafts")
            .value("resume_hash", hash_secret(&secret))
            .value("resume_expires_at", Utc::now() + valid)
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await?;
    Ok(secret)
}

/// Whether a resume secret is valid now (without using it).
///
/// # Errors
/// A database failure.
pub async fn resume_valid(db: &Db, scope: TenantScope, secret: &str) -> Result<bool, DbError> {
    let now = Utc::now();
    let found: Option<(i64,)> = db
        .fetch_optional(
            &scope
                .select("moves_drafts")
                .column("id")
                .and_where(Expr::col("resume_hash").eq(hash_secret(secret)))
                .and_where(Expr::col("resume_expires_at").gt(now))
                .and_where(Expr::col("expires_at").gt(now))
                .to_owned(),
        )
        .await?;
    Ok(found.is_some())
}

/// Uses a resume secret once: the draft gets a new browser key (returned
/// with the draft) and the secret is gone. `None` for an unknown, used or
/// expired secret.
///
/// # Errors
/// A database failure.
pub async fn resume(
    db: &Db,
    scope: TenantScope,
    secret: &str,
) -> Result<Option<(Draft, String)>, DbError> {
    let now = Utc::now();
    let key = new_secret();
    let mut tx = db.begin().await?;
    // One UPDATE both checks and spends the secret: two clicks at once
    // cannot both resume.
    let rows: Vec<Row> = tx
        .fetch_all(
            &scope
                .update("moves_drafts")
                .value("key_hash", hash_secret(&key))
                .value("resume_hash", Option::<String>::None)
                .value("resume_expires_at", Option::<DateTime<Utc>>::None)
                .and_where(Expr::col("resume_hash").eq(hash_secret(secret)))
                .and_where(Expr::col("resume_expires_at").gt(now))
                .and_where(Expr::col("expires_at").gt(now))
                .returning(Query::returning().columns(COLUMNS))
                .to_owned(),
        )
        .await?;
    tx.commit().await?;
    Ok(rows.into_iter().next().map(|r| (Draft::from(r), key)))
}

/// Deletes draft `id` (after it became a request).
///
/// # Errors
/// A database failure.
pub async fn delete(
    tx: &mut portal_core::db::Tx,
    scope: TenantScope,
    id: i64,
) -> Result<(), DbError> {
    tx.execute(
        &scope
            .delete("moves_drafts")
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await?;
    Ok(())
}

/// Deletes every tenant's expired drafts (their documents become
/// unreferenced and go with the blob sweep); returns how many.
///
/// # Errors
/// A database failure.
pub async fn delete_expired(db: &Db) -> Result<u64, DbError> {
    db.execute_across_tenants(
        &Query::delete()
            .from_table("moves_drafts")
            .and_where(Expr::col("expires_at").lte(Utc::now()))
            .to_owned(),
    )
    .await
}
