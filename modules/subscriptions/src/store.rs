//! Reading subscriptions and change requests, always within the
//! principal's [`Reach`]: another tenant's or customer's row is not found.

use chrono::NaiveDate;
use portal_core::access::Reach;
use portal_core::db::DbError;
use portal_core::sea_query::{Expr, ExprTrait, Order};

/// One product of a subscription with its cost (seed 000 "kosten specificatie").
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize, poem_openapi::Object)]
pub struct Product {
    pub name: String,
    #[oai(default = "one_piece")]
    #[serde(default = "one_piece")]
    pub quantity: f64,
    pub unit_cents: i64,
    /// `monthly`, `yearly` or `once`, as the back-office bills it.
    pub period: String,
    pub total_cents: i64,
}

fn one_piece() -> f64 {
    1.0
}

/// A subscription as the pages use it.
#[derive(Debug, Clone, portal_core::sqlx::FromRow)]
pub struct Subscription {
    pub id: i64,
    pub customer_id: i64,
    pub external_id: String,
    pub name: String,
    pub period: String,
    pub started_on: Option<NaiveDate>,
    pub next_invoice_on: Option<NaiveDate>,
    pub status: String,
    pub currency: String,
    pub products_json: String,
}
portal_core::from_sqlite! {
    Subscription { id, customer_id, external_id, name, period, started_on, next_invoice_on,
        status, currency, products_json }
}

impl Subscription {
    pub fn products(&self) -> Vec<Product> {
        serde_json::from_str(&self.products_json).unwrap_or_default()
    }
}

pub(crate) const COLUMNS: [&str; 10] = [
    "id",
    "customer_id",
    "external_id",
    "name",
    "period",
    "started_on",
    "next_invoice_on",
    "status",
    "currency",
    "products_json",
];

/// The running subscriptions within `reach`: one-off services are never
/// listed (seed 000), ended ones neither.
///
/// # Errors
/// A database failure.
pub async fn list(reach: &Reach) -> Result<Vec<Subscription>, DbError> {
    reach
        .db()
        .fetch_all(
            &reach
                .select("subscriptions_subscriptions")
                .columns(COLUMNS)
                .and_where(Expr::col("period").ne("once"))
                .and_where(Expr::col("status").eq("active"))
                .order_by("name", Order::Asc)
                .to_owned(),
        )
        .await
}

/// One running subscription within `reach`.
///
/// # Errors
/// A database failure.
pub async fn one(reach: &Reach, id: i64) -> Result<Option<Subscription>, DbError> {
    reach
        .db()
        .fetch_optional(
            &reach
                .select("subscriptions_subscriptions")
                .columns(COLUMNS)
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("period").ne("once"))
                .and_where(Expr::col("status").eq("active"))
                .to_owned(),
        )
        .await
}

/// A change request.
#[derive(Debug, Clone, portal_core::sqlx::FromRow, serde::Serialize, poem_openapi::Object)]
pub struct ChangeRequest {
    pub id: i64,
    pub customer_id: i64,
    pub user_id: Option<i64>,
    pub subject: String,
    pub description: String,
    pub agreed_extra_costs: bool,
    /// `new`, `acknowledged`, `in_progress`, `done` or `rejected`.
    #[oai(validator(pattern = "^(new|acknowledged|in_progress|done|rejected)$"))]
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}
portal_core::from_sqlite! {
    ChangeRequest { id, customer_id, user_id, subject, description, agreed_extra_costs, status,
        created_at }
}

pub(crate) const REQUEST_COLUMNS: [&str; 8] = [
    "id",
    "customer_id",
    "user_id",
    "subject",
    "description",
    "agreed_extra_costs",
    "status",
    "created_at",
];

/// The change requests of the customer the page is for, newest first.
///
/// # Errors
/// A database failure.
pub async fn requests_of(reach: &Reach) -> Result<Vec<ChangeRequest>, DbError> {
    reach
        .db()
        .fetch_all(
            &reach
                .select("subscriptions_change_requests")
                .columns(REQUEST_COLUMNS)
                .and_where(Expr::col("customer_id").eq(reach.customer_id()))
                .order_by("id", Order::Desc)
                .limit(50)
                .to_owned(),
        )
        .await
}

/// The statuses a change request goes through.
pub const REQUEST_STATUSES: [&str; 5] = ["new", "acknowledged", "in_progress", "done", "rejected"];

/// True when a request with this status is settled.
pub fn settled(status: &str) -> bool {
    matches!(status, "done" | "rejected")
}

/// The tenant's change requests for support (`open`: not settled), newest first.
///
/// # Errors
/// A database failure.
pub async fn requests_for_staff(
    reach: &portal_core::staff::StaffReach,
    open: bool,
) -> Result<Vec<ChangeRequest>, DbError> {
    let mut q = reach.scope().select("subscriptions_change_requests");
    q.columns(REQUEST_COLUMNS)
        .order_by("id", Order::Desc)
        .limit(500);
    if open {
        q.and_where(Expr::col("status").is_not_in(["done", "rejected"]));
    }
    reach.db().fetch_all(&q).await
}

/// One change request of the tenant, for support.
///
/// # Errors
/// A database failure.
pub async fn request_for_staff(
    reach: &portal_core::staff::StaffReach,
    id: i64,
) -> Result<Option<ChangeRequest>, DbError> {
    let mut q = reach.scope().select("subscriptions_change_requests");
    q.columns(REQUEST_COLUMNS).and_where(Expr::col("id").eq(id));
    reach.db().fetch_optional(&q).await
}
