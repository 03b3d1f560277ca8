//! Reading dossiers. A dossier is found only within the principal's
//! [`Reach`] (another customer's dossier is not found: a 404); everything
//! below a dossier (clients, products, actions, files, documents,
//! appointments) is read by the dossier's id within the tenant, after the
//! dossier itself was found.

use chrono::{DateTime, NaiveDate, Utc};
use portal_core::access::Reach;
use portal_core::db::{Db, DbError};
use portal_core::sea_query::{Expr, ExprTrait, Order};
use portal_core::tenant::TenantScope;

/// A dossier.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Dossier {
    pub id: i64,
    pub customer_id: i64,
    pub external_id: String,
    pub title: String,
    pub status: String,
    pub closed_on: Option<NaiveDate>,
    pub adviser_id: Option<i64>,
    pub handler_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    Dossier { id, customer_id, external_id, title, status, closed_on, adviser_id, handler_id,
        created_at }
}

const DOSSIER: [&str; 9] = [
    "id",
    "customer_id",
    "external_id",
    "title",
    "status",
    "closed_on",
    "adviser_id",
    "handler_id",
    "created_at",
];

/// An adviser or handler.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Adviser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub signature: String,
}
portal_core::from_sqlite! {
    Adviser { id, name, email, phone, signature }
}

/// A client of a dossier.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Client {
    pub position: i64,
    pub user_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
}
portal_core::from_sqlite! {
    Client { position, user_id, first_name, last_name }
}

/// A product with its status.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Product {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub explanation: String,
    pub visible: bool,
    pub updated_at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    Product { id, title, status, explanation, visible, updated_at }
}

/// An action item.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Action {
    pub id: i64,
    pub dossier_id: i64,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub status: String,
    pub remark: String,
    pub valid_months: Option<i64>,
    pub spec_json: String,
    pub replaces: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    Action { id, dossier_id, kind, title, description, status, remark, valid_months, spec_json,
        replaces, created_at, updated_at }
}

pub(crate) const ACTION: [&str; 12] = [
    "id",
    "dossier_id",
    "kind",
    "title",
    "description",
    "status",
    "remark",
    "valid_months",
    "spec_json",
    "replaces",
    "created_at",
    "updated_at",
];

/// A form field as the back-office defines it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, poem_openapi::Object)]
pub struct Field {
    /// Unique within the form.
    #[oai(validator(min_length = 1, max_length = 60))]
    pub key: String,
    #[oai(validator(min_length = 1, max_length = 300))]
    pub label: String,
    /// `text`, `number`, `date`, `choice` or `yes_no`.
    #[oai(rename = "type", validator(max_length = 10))]
    #[serde(rename = "type")]
    pub kind: String,
    /// The choices of a `choice` field.
    #[oai(default, validator(max_items = 30))]
    #[serde(default)]
    pub options: Vec<String>,
    #[oai(default)]
    #[serde(default)]
    pub required: bool,
}

/// A part of an agreement, accepted on its own.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, poem_openapi::Object)]
pub struct Part {
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: String,
    #[oai(validator(min_length = 1, max_length = 20000))]
    pub text: String,
}

impl Action {
    pub fn fields(&self) -> Vec<Field> {
        serde_json::from_str(&self.spec_json).unwrap_or_default()
    }
    pub fn parts(&self) -> Vec<Part> {
        serde_json::from_str(&self.spec_json).unwrap_or_default()
    }
}

/// An upload action's merged PDF.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub action_id: i64,
    pub pdf_key: String,
    pub names: String,
    pub pages: i64,
    pub size: i64,
}
portal_core::from_sqlite! {
    FileRow { action_id, pdf_key, names, pages, size }
}

/// A document (the dossier's, or the office's standard one).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Document {
    pub id: i64,
    pub dossier_id: Option<i64>,
    pub title: String,
    pub blob_key: String,
    pub name: String,
    pub mime: String,
    pub created_at: DateTime<Utc>,
}
portal_core::from_sqlite! {
    Document { id, dossier_id, title, blob_key, name, mime, created_at }
}

/// An appointment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Appointment {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub items: String,
}
portal_core::from_sqlite! {
    Appointment { id, starts_at, place, items }
}

/// The dossiers the page is for, newest first.
///
/// # Errors
/// A database failure.
pub async fn dossiers(reach: &Reach) -> Result<Vec<Dossier>, DbError> {
    let mut q = reach.select("dossiers_dossiers");
    q.columns(DOSSIER).order_by("id", Order::Desc);
    reach.db().fetch_all(&q).await
}

/// Dossier `id`, if the reach sees it.
///
/// # Errors
/// A database failure.
pub async fn dossier(reach: &Reach, id: i64) -> Result<Option<Dossier>, DbError> {
    let mut q = reach.select("dossiers_dossiers");
    q.columns(DOSSIER).and_where(Expr::col("id").eq(id));
    reach.db().fetch_optional(&q).await
}

/// Dossier `id` of the tenant (staff, the back-office, housekeeping).
///
/// # Errors
/// A database failure.
pub async fn dossier_in(db: &Db, scope: TenantScope, id: i64) -> Result<Option<Dossier>, DbError> {
    db.fetch_optional(
        &scope
            .select("dossiers_dossiers")
            .columns(DOSSIER)
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
}

/// The tenant's dossiers with these ids.
///
/// # Errors
/// A database failure.
pub async fn dossiers_in(
    db: &Db,
    scope: TenantScope,
    ids: &[i64],
) -> Result<Vec<Dossier>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db.fetch_all(
        &scope
            .select("dossiers_dossiers")
            .columns(DOSSIER)
            .and_where(Expr::col("id").is_in(ids.iter().copied()))
            .to_owned(),
    )
    .await
}

/// The tenant's dossier with this external id.
///
/// # Errors
/// A database failure.
pub async fn dossier_by_external(
    db: &Db,
    scope: TenantScope,
    external_id: &str,
) -> Result<Option<Dossier>, DbError> {
    db.fetch_optional(
        &scope
            .select("dossiers_dossiers")
            .columns(DOSSIER)
            .and_where(Expr::col("external_id").eq(external_id))
            .to_owned(),
    )
    .await
}

/// Adviser `id`.
///
/// # Errors
/// A database failure.
pub async fn adviser(
    db: &Db,
    scope: TenantScope,
    id: Option<i64>,
) -> Result<Option<Adviser>, DbError> {
    let Some(id) = id else { return Ok(None) };
    db.fetch_optional(
        &scope
            .select("dossiers_advisers")
            .columns(["id", "name", "email", "phone", "signature"])
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
}

/// The dossier's clients, first client first.
///
/// # Errors
/// A database failure.
pub async fn clients(db: &Db, scope: TenantScope, dossier: i64) -> Result<Vec<Client>, DbError> {
    db.fetch_all(
        &scope
            .select("dossiers_clients")
            .columns(["position", "user_id", "first_name", "last_name"])
            .and_where(Expr::col("dossier_id").eq(dossier))
            .order_by("position", Order::Asc)
            .to_owned(),
    )
    .await
}

/// The dossier's products (`visible_only`: the tabs the client sees).
///
/// # Errors
/// A database failure.
pub async fn products(
    db: &Db,
    scope: TenantScope,
    dossier: i64,
    visible_only: bool,
) -> Result<Vec<Product>, DbError> {
    let mut q = scope.select("dossiers_products");
    q.columns([
        "id",
        "title",
        "status",
        "explanation",
        "visible",
        "updated_at",
    ])
    .and_where(Expr::col("dossier_id").eq(dossier))
    .order_by("id", Order::Asc);
    if visible_only {
        q.and_where(Expr::col("visible").eq(true));
    }
    db.fetch_all(&q).await
}

/// The dossier's action items, oldest first.
///
/// # Errors
/// A database failure.
pub async fn actions(db: &Db, scope: TenantScope, dossier: i64) -> Result<Vec<Action>, DbError> {
    db.fetch_all(
        &scope
            .select("dossiers_actions")
            .columns(ACTION)
            .and_where(Expr::col("dossier_id").eq(dossier))
            .order_by("id", Order::Asc)
            .to_owned(),
    )
    .await
}

/// Action `id` of the tenant.
///
/// # Errors
/// A database failure.
pub async fn action(db: &Db, scope: TenantScope, id: i64) -> Result<Option<Action>, DbError> {
    db.fetch_optional(
        &scope
            .select("dossiers_actions")
            .columns(ACTION)
            .and_where(Expr::col("id").eq(id))
            .to_owned(),
    )
    .await
}

/// The tenant's actions waiting for review (received uploads and forms),
/// oldest first.
///
/// # Errors
/// A database failure.
pub async fn waiting(db: &Db, scope: TenantScope) -> Result<Vec<Action>, DbError> {
    db.fetch_all(
        &scope
            .select("dossiers_actions")
            .columns(ACTION)
            .and_where(Expr::col("status").eq("received"))
            .and_where(Expr::col("kind").is_in(["upload", "form"]))
            .order_by("id", Order::Asc)
            .limit(500)
            .to_owned(),
    )
    .await
}

/// An upload action's merged PDF, if any.
///
/// # Errors
/// A database failure.
pub async fn file(db: &Db, scope: TenantScope, action: i64) -> Result<Option<FileRow>, DbError> {
    db.fetch_optional(
        &scope
            .select("dossiers_files")
            .columns(["action_id", "pdf_key", "names", "pages", "size"])
            .and_where(Expr::col("action_id").eq(action))
            .to_owned(),
    )
    .await
}

/// A form action's answers, if given.
///
/// # Errors
/// A database failure.
pub async fn answers(
    db: &Db,
    scope: TenantScope,
    action: i64,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, DbError> {
    let row: Option<(String,)> = db
        .fetch_optional(
            &scope
                .select("dossiers_answers")
                .column("answers_json")
                .and_where(Expr::col("action_id").eq(action))
                .to_owned(),
        )
        .await?;
    Ok(row.and_then(|(j,)| serde_json::from_str(&j).ok()))
}

/// A signature of a sign action.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Signature {
    pub signer_name: String,
    pub signed_at: DateTime<Utc>,
    pub ip: String,
    pub hash: String,
    pub pdf_key: String,
}
portal_core::from_sqlite! {
    Signature { signer_name, signed_at, ip, hash, pdf_key }
}

/// The signature of action `action`, if signed.
///
/// # Errors
/// A database failure.
pub async fn signature(
    db: &Db,
    scope: TenantScope,
    action: i64,
) -> Result<Option<Signature>, DbError> {
    db.fetch_optional(
        &scope
            .select("dossiers_signatures")
            .columns(["signer_name", "signed_at", "ip", "hash", "pdf_key"])
            .and_where(Expr::col("action_id").eq(action))
            .to_owned(),
    )
    .await
}

/// The office's standard documents and the dossier's, standard first.
///
/// # Errors
/// A database failure.
pub async fn documents(
    db: &Db,
    scope: TenantScope,
    dossier: i64,
) -> Result<Vec<Document>, DbError> {
    db.fetch_all(
        &scope
            .select("dossiers_documents")
            .columns([
                "id",
                "dossier_id",
                "title",
                "blob_key",
                "name",
                "mime",
                "created_at",
            ])
            .cond_where(
                portal_core::sea_query::Cond::any()
                    .add(Expr::col("dossier_id").eq(dossier))
                    .add(Expr::col("dossier_id").is_null()),
            )
            .order_by("dossier_id", Order::Asc)
            .order_by("id", Order::Asc)
            .to_owned(),
    )
    .await
}

/// The dossier's next appointment (or the latest when none is ahead).
///
/// # Errors
/// A database failure.
pub async fn appointment(
    db: &Db,
    scope: TenantScope,
    dossier: i64,
) -> Result<Option<Appointment>, DbError> {
    let all: Vec<Appointment> = db
        .fetch_all(
            &scope
                .select("dossiers_appointments")
                .columns(["id", "starts_at", "place", "items"])
                .and_where(Expr::col("dossier_id").eq(dossier))
                .order_by("starts_at", Order::Asc)
                .to_owned(),
        )
        .await?;
    let now = Utc::now();
    let ahead = all.iter().find(|a| a.starts_at >= now).cloned();
    Ok(ahead.or_else(|| all.last().cloned()))
}
